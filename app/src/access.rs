//! Who is asking (server side). A server function or an axum handler builds a [`Caller`] at the
//! edge, from the request (the log-in session, the client's address, the site's settings), and
//! passes it to the service it calls: a service never reads the request itself, so its
//! signature says who acts, and every entry point takes the same path. In a conference, the
//! caller's roles there make an [`Access`], which answers what they may do.

use crate::auth::{AuthSession, User};
use crate::error::{AppError, OrInternal};
use crate::limits::Limits;
use db::DatabaseConnection;
use domain::ids::ConferenceId;
use domain::permissions::{self, Action, Actor};
use std::net::IpAddr;

/// Site settings the messages need.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// Where the site is reached, without a trailing slash, e.g. `https://plenary.example.org`.
    pub public_url: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            public_url: "http://127.0.0.1:3000".into(),
        }
    }
}

/// The person acting (if logged in), from which address, on which site, under which limits.
#[derive(Clone)]
pub struct Caller {
    pub user: Option<User>,
    /// The client's address, for rate limits (`None` where the transport has none, as in tests).
    pub client: Option<IpAddr>,
    pub site: SiteConfig,
    /// This server instance's rate limits.
    pub limits: Limits,
}

impl Caller {
    /// The caller of the current server function, read from Leptos's request context.
    pub async fn from_request() -> Result<Caller, AppError> {
        Ok(Caller {
            user: auth_session().await?.user,
            client: crate::limits::client_ip(),
            site: leptos::prelude::use_context::<SiteConfig>().unwrap_or_default(),
            limits: crate::limits::limits(),
        })
    }

    /// The caller's access in the conference at `slug` (404 if there is none).
    pub async fn access(&self, db: &DatabaseConnection, slug: &str) -> Result<Access, AppError> {
        Access::for_user(db, slug, self.user.clone()).await
    }
}

/// The log-in session of the current request.
pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|e| {
        tracing::error!(error = %e, "no auth session: is the auth layer installed?");
        AppError::internal()
    })
}

/// Who is asking, in one conference: the user (if any) and the roles they hold there.
pub struct Access {
    pub user: Option<User>,
    pub conference: db::entity::conference::Model,
    pub actor: Actor,
}

impl Access {
    /// The conference's id, as the database layer takes it.
    pub fn conference_id(&self) -> domain::ids::ConferenceId {
        domain::ids::ConferenceId(self.conference.id)
    }

    /// Look up the conference and `user`'s roles in it.
    pub async fn for_user(
        db: &DatabaseConnection,
        slug: &str,
        user: Option<User>,
    ) -> Result<Access, AppError> {
        let conference = db::queries::conference_by_slug(db, slug)
            .await
            .or_internal()?
            .ok_or_else(|| AppError::not_found("There is no conference at this address."))?;
        let actor = match &user {
            None => Actor::visitor(),
            Some(u) => Actor::signed_in(
                db::accounts::roles_in(db, u.person(), ConferenceId(conference.id))
                    .await
                    .or_internal()?,
            ),
        };
        Ok(Access {
            user,
            conference,
            actor,
        })
    }

    pub fn may(&self, action: Action) -> bool {
        permissions::may(&self.actor, action)
    }

    /// 401 for visitors, 403 for users without the right role.
    pub fn require(&self, action: Action) -> Result<&User, AppError> {
        match &self.user {
            None => Err(AppError::unauthorised()),
            Some(u) if permissions::may(&self.actor, action) => Ok(u),
            Some(_) => Err(AppError::forbidden(permissions::refusal(
                &self.actor,
                action,
            ))),
        }
    }
}
