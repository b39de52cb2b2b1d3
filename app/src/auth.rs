//! Log-in (server side): the account a session belongs to ([`User`]), the backend for
//! axum-login and password hashing. Who is asking in a request is [`crate::access`].

use crate::error::{AppError, OrInternal};
use axum_login::{AuthUser, AuthnBackend};
use db::DatabaseConnection;
use domain::ids::AccountId;
use sha2::{Digest, Sha256};

/// A logged-in account, loaded per request.
#[derive(Clone)]
pub struct User {
    pub account_id: i32,
    pub person_id: i32,
    pub name: String,
    pub email: String,
    pub confirmed: bool,
    /// SHA-256 of the password hash: changes when the password does, which ends every
    /// other session of the account. (The hash itself never goes into a session.)
    auth_hash: Vec<u8>,
    password_hash: String,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("account_id", &self.account_id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl User {
    /// The person's id, as the database layer takes it.
    pub fn person(&self) -> domain::ids::PersonId {
        domain::ids::PersonId(self.person_id)
    }

    /// The account's id, as the database layer takes it.
    pub fn account(&self) -> domain::ids::AccountId {
        domain::ids::AccountId(self.account_id)
    }

    fn from_rows(a: db::entity::account::Model, p: db::entity::person::Model) -> User {
        User {
            account_id: a.id,
            person_id: p.id,
            name: p.name,
            email: a.email,
            confirmed: a.confirmed_at.is_some(),
            auth_hash: Sha256::digest(a.password_hash.as_bytes()).to_vec(),
            password_hash: a.password_hash,
        }
    }
}

impl AuthUser for User {
    type Id = i32;
    fn id(&self) -> i32 {
        self.account_id
    }
    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

#[derive(Clone)]
pub struct Backend {
    db: DatabaseConnection,
}

impl Backend {
    pub fn new(db: DatabaseConnection) -> Self {
        Backend { db }
    }
}

pub struct Credentials {
    /// [`domain::accounts::Email::key`]
    pub email_key: String,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Db(#[from] db::DbErr),
    /// the password check could not run (no turn free, or the task failed)
    #[error("password check failed to run: {0}")]
    Check(AppError),
}

/// An Argon2id hash of a random password nobody knows: verifying against it when an address
/// has no account costs as much as a real check, so timing does not tell which addresses exist.
fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let (secret, _) = db::accounts::new_secret();
            db::seed::hash_password(&secret).unwrap_or_default()
        })
        .clone()
}

/// Check `password` against `hash`; with no hash (no such account), check against a dummy
/// and answer false, taking the same time.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    crate::limits::hash_turn(move || {
        use argon2::{password_hash::PasswordHash, PasswordVerifier};
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(dummy_hash);
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && real
    })
    .await
}

/// Argon2id with a fresh salt, off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    crate::limits::hash_turn(move || db::seed::hash_password(&password))
        .await?
        .or_internal()
}

/// Log `user` in on this request's session, under a new session id: whatever id the browser
/// held before (a visitor's, someone else's planted one, or its own earlier log-in) stops
/// working (session fixation). axum-login alone rotates only when nobody was logged in.
pub async fn log_in_as(auth: &mut AuthSession, user: &User) -> Result<(), AppError> {
    auth.session.cycle_id().await.map_err(|e| {
        tracing::error!(error = %e, "cannot rotate the session id");
        AppError::internal()
    })?;
    auth.login(user).await.map_err(|e| {
        tracing::error!(error = %e, "cannot store the log-in session");
        AppError::internal()
    })
}

impl AuthnBackend for Backend {
    type User = User;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<User>, BackendError> {
        let found = db::accounts::by_email(&self.db, &creds.email_key).await?;
        let hash = found.as_ref().map(|(a, _)| a.password_hash.clone());
        let ok = verify_password(creds.password, hash)
            .await
            .map_err(BackendError::Check)?;
        Ok(match (ok, found) {
            (true, Some((a, p))) => Some(User::from_rows(a, p)),
            _ => None,
        })
    }

    async fn get_user(&self, id: &i32) -> Result<Option<User>, BackendError> {
        Ok(db::accounts::by_id(&self.db, AccountId(*id))
            .await?
            .map(|(a, p)| User::from_rows(a, p)))
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// Check a password against the user's current one (for changing it).
pub async fn check_current_password(user: &User, password: String) -> Result<bool, AppError> {
    verify_password(password, Some(user.password_hash.clone())).await
}
