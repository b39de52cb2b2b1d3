//! Accounts, roles, single-use tokens, log-in failures and the outbox: the queries behind
//! log-in, sign-up, password reset and role management. Writes take a transaction from the
//! caller, so that a server function does its whole change in one.

use crate::entity::{
    account, account_token, calendar_feed, conference, conference_role, invitation, login_throttle,
    outbox, person,
};
use chrono::{Duration, Utc};
use domain::ids::{AccountId, ConferenceId, DelegationId, MessageId, PersonId, RoleId};
use domain::permissions::Role;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

/// What a single-use token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    Confirm,
    Reset,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Confirm => "confirm",
            TokenPurpose::Reset => "reset",
        }
    }
}

/// A fresh secret for a link (URL-safe, 256 bits) and the hash that is stored for it.
pub fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = hash_secret(&token);
    (token, hash)
}

pub fn hash_secret(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn by_email(
    db: &impl ConnectionTrait,
    email_key: &str,
) -> Result<Option<(account::Model, person::Model)>, DbErr> {
    let Some(a) = account::Entity::find()
        .filter(account::Column::Email.eq(email_key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let p = person::Entity::find_by_id(a.person_id).one(db).await?;
    Ok(p.map(|p| (a, p)))
}

pub async fn by_id(
    db: &impl ConnectionTrait,
    account_id: AccountId,
) -> Result<Option<(account::Model, person::Model)>, DbErr> {
    let Some(a) = account::Entity::find_by_id(account_id.0).one(db).await? else {
        return Ok(None);
    };
    let p = person::Entity::find_by_id(a.person_id).one(db).await?;
    Ok(p.map(|p| (a, p)))
}

/// The roles a person holds in one conference (a stored name no version knows is skipped).
pub async fn roles_in(
    db: &impl ConnectionTrait,
    person: PersonId,
    conference: ConferenceId,
) -> Result<Vec<Role>, DbErr> {
    Ok(conference_role::Entity::find()
        .filter(conference_role::Column::PersonId.eq(person.0))
        .filter(conference_role::Column::ConferenceId.eq(conference.0))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role))
        .collect())
}

/// The conferences a person organises.
pub async fn organised_conferences(
    db: &impl ConnectionTrait,
    person_id: PersonId,
) -> Result<Vec<ConferenceId>, DbErr> {
    Ok(conference_role::Entity::find()
        .filter(conference_role::Column::PersonId.eq(person_id.0))
        .filter(conference_role::Column::Role.eq(Role::Organiser.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| ConferenceId(r.conference_id))
        .collect())
}

/// Every (conference slug, role) a person holds.
pub async fn roles_everywhere(
    db: &impl ConnectionTrait,
    person_id: PersonId,
) -> Result<Vec<(String, Role)>, DbErr> {
    let roles = conference_role::Entity::find()
        .filter(conference_role::Column::PersonId.eq(person_id.0))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(roles.len());
    for r in roles {
        if let Some(c) = conference::Entity::find_by_id(r.conference_id)
            .one(db)
            .await?
        {
            if let Some(role) = r.role_held() {
                out.push((c.slug, role));
            }
        }
    }
    // by conference, then by the role's stored name
    out.sort_by(|a, b| (&a.0, a.1.as_str()).cmp(&(&b.0, b.1.as_str())));
    Ok(out)
}

/// What [`reserve_login`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginTurn {
    /// Go ahead: the attempt is counted as a failure until [`clear_failures`] says otherwise.
    Go,
    /// Too many failures in a row: wait this many seconds.
    Wait(i64),
}

/// Failures allowed in a row before each further attempt must wait.
pub const FREE_FAILURES: i32 = 5;
/// The longest wait between attempts.
pub const MAX_WAIT_SECONDS: i64 = 15 * 60;
/// Failures older than this are forgotten.
pub const FAILURE_MEMORY_MINUTES: i64 = 60;

/// The wait before the next attempt after `failures` failures in a row: none for the first
/// [`FREE_FAILURES`], then 1 s, 2 s, 4 s, … up to [`MAX_WAIT_SECONDS`]. Growing delays, not a
/// lock-out: the owner can always get in, an attacker gets a handful of guesses an hour.
pub fn login_wait(failures: i32) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let exp = (failures - FREE_FAILURES).min(20) as u32;
    (1i64 << exp).min(MAX_WAIT_SECONDS)
}

/// Reserve a log-in attempt for an address, atomically: the attempt is counted before the
/// password is checked, under a lock on the address's row, so parallel attempts each see the
/// ones before them (none can slip through one shared check).
pub async fn reserve_login(db: &DatabaseConnection, email_key: &str) -> Result<LoginTurn, DbErr> {
    // an attempt that must wait writes nothing: the row it read is as it was
    crate::write(db, async |txn| {
        let now = Utc::now();
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            email_key: Set(email_key.to_string()),
            failures: Set(0),
            last_failure_at: Set(None),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(login_throttle::Column::EmailKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        // takes the row's lock on PostgreSQL (SQLite's write transaction is already exclusive)
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::Failures,
                Expr::col(login_throttle::Column::Failures),
            )
            .filter(login_throttle::Column::EmailKey.eq(email_key))
            .exec(txn)
            .await?;
        let Some(row) = login_throttle::Entity::find_by_id(email_key.to_string())
            .one(txn)
            .await?
        else {
            return Ok(LoginTurn::Go);
        };
        let mut failures = row.failures;
        if row
            .last_failure_at
            .is_some_and(|t| now - t > Duration::minutes(FAILURE_MEMORY_MINUTES))
        {
            failures = 0;
        }
        if let Some(last) = row.last_failure_at {
            let ready = last + Duration::seconds(login_wait(failures));
            if failures >= FREE_FAILURES && now < ready {
                return Ok(LoginTurn::Wait((ready - now).num_seconds().max(1)));
            }
        }
        login_throttle::ActiveModel {
            email_key: Set(email_key.to_string()),
            failures: Set(failures + 1),
            last_failure_at: Set(Some(now)),
        }
        .update(txn)
        .await?;
        Ok(LoginTurn::Go)
    })
    .await
}

pub async fn clear_failures(db: &impl ConnectionTrait, email_key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::EmailKey.eq(email_key))
        .exec(db)
        .await?;
    Ok(())
}

/// A person with an (unconfirmed) account.
pub async fn create(
    db: &impl ConnectionTrait,
    name: &str,
    email_key: &str,
    password_hash: String,
) -> Result<account::Model, DbErr> {
    let p = person::ActiveModel {
        name: Set(name.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    account::ActiveModel {
        person_id: Set(p.id),
        email: Set(email_key.to_string()),
        password_hash: Set(password_hash),
        created_at: Set(Utc::now()),
        confirmed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn set_password(
    db: &impl ConnectionTrait,
    account_id: AccountId,
    password_hash: String,
) -> Result<(), DbErr> {
    account::ActiveModel {
        id: Set(account_id.0),
        password_hash: Set(password_hash),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn confirm(db: &impl ConnectionTrait, account_id: AccountId) -> Result<(), DbErr> {
    account::ActiveModel {
        id: Set(account_id.0),
        confirmed_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Store a new single-use token for `account_id` and return the secret to put in the link.
pub async fn issue_token(
    db: &impl ConnectionTrait,
    account_id: AccountId,
    purpose: TokenPurpose,
    valid_for: Duration,
) -> Result<String, DbErr> {
    let (token, hash) = new_secret();
    let now = Utc::now();
    account_token::ActiveModel {
        token_hash: Set(hash),
        account_id: Set(account_id.0),
        purpose: Set(purpose.as_str().to_string()),
        created_at: Set(now),
        expires_at: Set(now + valid_for),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Use a token: if it exists for this purpose, is unused and unexpired, mark it used and
/// return its account. Call inside the transaction that acts on it.
pub async fn take_token(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: TokenPurpose,
) -> Result<Option<i32>, DbErr> {
    let hash = hash_secret(token);
    let now = Utc::now();
    let Some(t) = account_token::Entity::find_by_id(hash.clone())
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    // conditional update: of two requests racing with one token, only one gets a row
    let res = account_token::Entity::update_many()
        .col_expr(
            account_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(account_token::Column::TokenHash.eq(hash))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((res.rows_affected == 1).then_some(t.account_id))
}

/// Queue a message. It stays in the outbox (organisers read it) whether or not it is sent.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    conference_id: Option<ConferenceId>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<outbox::Model, DbErr> {
    if let Some(c) = conference_id {
        // organisers with the outbox open see it arrive
        crate::events::append(db, c, &domain::live::Event::outbox_changed()).await?;
    }
    let conference_id = conference_id.map(|x| x.0);
    outbox::ActiveModel {
        to_email: Set(to.to_string()),
        subject: Set(subject.to_string()),
        body: Set(body.to_string()),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        claimed_at: Set(None),
        conference_id: Set(conference_id),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// How many times a message is tried before it is left for the organisers to see.
pub const MAX_ATTEMPTS: i32 = 5;

/// Claim up to `limit` messages that are due for sending: never sent, tried fewer than
/// [`MAX_ATTEMPTS`] times, and not claimed by an instance in the last `stale` (a claim that old
/// belongs to an instance that stopped). Each claim is one conditional update, so two instances
/// never send the same message.
pub async fn claim_unsent(
    db: &impl ConnectionTrait,
    limit: u64,
    stale: chrono::Duration,
) -> Result<Vec<outbox::Model>, DbErr> {
    let now = Utc::now();
    let free = sea_orm::Condition::any()
        .add(outbox::Column::ClaimedAt.is_null())
        .add(outbox::Column::ClaimedAt.lt(now - stale));
    let candidates = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::Attempts.lt(MAX_ATTEMPTS))
        .filter(free.clone())
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for m in candidates {
        let r = outbox::Entity::update_many()
            .col_expr(outbox::Column::ClaimedAt, Expr::value(now))
            .filter(outbox::Column::Id.eq(m.id))
            .filter(outbox::Column::SentAt.is_null())
            .filter(free.clone())
            .exec(db)
            .await?;
        if r.rows_affected == 1 {
            claimed.push(m);
        }
    }
    Ok(claimed)
}

/// Record the outcome of sending message `id`: sent, or the error (and the claim released).
pub async fn record_delivery(
    db: &impl ConnectionTrait,
    id: MessageId,
    outcome: Result<(), String>,
) -> Result<(), DbErr> {
    let Some(m) = outbox::Entity::find_by_id(id.0).one(db).await? else {
        return Ok(());
    };
    let mut a: outbox::ActiveModel = m.clone().into();
    a.attempts = Set(m.attempts + 1);
    match outcome {
        Ok(()) => {
            a.sent_at = Set(Some(Utc::now()));
            a.last_error = Set(None);
        }
        Err(e) => {
            a.last_error = Set(Some(e.chars().take(500).collect()));
            a.claimed_at = Set(None);
        }
    }
    a.update(db).await?;
    Ok(())
}

/// Messages after `id`, oldest first.
pub async fn outbox_after(
    db: &impl ConnectionTrait,
    id: MessageId,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::Id.gt(id.0))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The newest messages about these conferences first.
pub async fn outbox_page(
    db: &impl ConnectionTrait,
    conference_ids: &[ConferenceId],
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    let conference_ids: Vec<i32> = conference_ids.iter().map(|x| x.0).collect();
    outbox::Entity::find()
        .filter(outbox::Column::ConferenceId.is_in(conference_ids.iter().copied()))
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Everyone holding a role in a conference: (role row, person, account e-mail if any).
pub async fn role_holders(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
) -> Result<Vec<(conference_role::Model, person::Model, Option<String>)>, DbErr> {
    let rows = conference_role::Entity::find()
        .filter(conference_role::Column::ConferenceId.eq(conference_id.0))
        .order_by_asc(conference_role::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(p) = person::Entity::find_by_id(r.person_id).one(db).await? else {
            continue;
        };
        let email = account::Entity::find()
            .filter(account::Column::PersonId.eq(p.id))
            .one(db)
            .await?
            .map(|a| a.email);
        out.push((r, p, email));
    }
    Ok(out)
}

/// Grant a role; granting one already held changes nothing. Returns whether it was new.
pub async fn grant(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    person: PersonId,
    role: Role,
) -> Result<bool, DbErr> {
    let (conference_id, person_id, role) = (conference.0, person.0, role.as_str());
    let held = conference_role::Entity::find()
        .filter(conference_role::Column::ConferenceId.eq(conference_id))
        .filter(conference_role::Column::PersonId.eq(person_id))
        .filter(conference_role::Column::Role.eq(role))
        .one(db)
        .await?
        .is_some();
    if held {
        return Ok(false);
    }
    conference_role::ActiveModel {
        conference_id: Set(conference_id),
        person_id: Set(person_id),
        role: Set(role.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(true)
}

/// Revoke a role by its row id within a conference. Returns the row that was removed.
pub async fn revoke(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    role_id: RoleId,
) -> Result<Option<conference_role::Model>, DbErr> {
    let Some(r) = conference_role::Entity::find_by_id(role_id.0)
        .filter(conference_role::Column::ConferenceId.eq(conference_id.0))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    conference_role::Entity::delete_by_id(role_id.0)
        .exec(db)
        .await?;
    Ok(Some(r))
}

/// Count the organisers of a conference (the last one cannot be revoked).
pub async fn count_role(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    role: Role,
) -> Result<u64, DbErr> {
    conference_role::Entity::find()
        .filter(conference_role::Column::ConferenceId.eq(conference_id.0))
        .filter(conference_role::Column::Role.eq(role.as_str()))
        .count(db)
        .await
}

/// Create an invitation carrying `role`; returns the secret for the link.
pub async fn invite(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    role: Role,
    email: Option<String>,
    created_by: PersonId,
    valid_for: Duration,
) -> Result<String, DbErr> {
    let (token, hash) = new_secret();
    let now = Utc::now();
    invitation::ActiveModel {
        token_hash: Set(hash),
        conference_id: Set(conference_id.0),
        role: Set(role.as_str().to_string()),
        email: Set(email),
        created_by: Set(created_by.0),
        created_at: Set(now),
        expires_at: Set(now + valid_for),
        used_by: Set(None),
        used_at: Set(None),
        delegation_id: Set(None),
        member_role: Set(None),
        invitee_name: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// A nomination by a head of delegation: an invitation that carries the delegate role, the
/// delegation and the member role. Returns the secret for the link.
#[allow(clippy::too_many_arguments)]
pub async fn nominate(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    delegation_id: DelegationId,
    member_role: domain::registration::MemberRole,
    name: &str,
    email_key: &str,
    created_by: PersonId,
    valid_for: Duration,
) -> Result<String, DbErr> {
    let (token, hash) = new_secret();
    let now = Utc::now();
    invitation::ActiveModel {
        token_hash: Set(hash),
        conference_id: Set(conference_id.0),
        role: Set(Role::Delegate.as_str().into()),
        email: Set(Some(email_key.to_string())),
        created_by: Set(created_by.0),
        created_at: Set(now),
        expires_at: Set(now + valid_for),
        used_by: Set(None),
        used_at: Set(None),
        delegation_id: Set(Some(delegation_id.0)),
        member_role: Set(Some(member_role.as_str().to_string())),
        invitee_name: Set(Some(name.to_string())),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Nominations of a delegation not yet taken up and not expired.
pub async fn open_nominations(
    db: &impl ConnectionTrait,
    delegation_id: DelegationId,
) -> Result<Vec<invitation::Model>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::DelegationId.eq(delegation_id.0))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(Utc::now()))
        .order_by_asc(invitation::Column::CreatedAt)
        .all(db)
        .await
}

/// An invitation that can still be accepted.
pub async fn open_invitation(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<invitation::Model>, DbErr> {
    invitation::Entity::find_by_id(hash_secret(token))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await
}

/// Mark an invitation used by `person_id`; false if someone used it first.
pub async fn use_invitation(
    db: &impl ConnectionTrait,
    token: &str,
    person_id: PersonId,
) -> Result<bool, DbErr> {
    let res = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::UsedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            invitation::Column::UsedBy,
            sea_orm::sea_query::Expr::value(person_id.0),
        )
        .filter(invitation::Column::TokenHash.eq(hash_secret(token)))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// A new secret calendar address for a person in a conference; any earlier one stops working.
pub async fn new_calendar_feed(
    db: &impl ConnectionTrait,
    person_id: PersonId,
    conference_id: ConferenceId,
) -> Result<String, DbErr> {
    revoke_calendar_feeds(db, person_id, conference_id).await?;
    let (token, hash) = new_secret();
    calendar_feed::ActiveModel {
        token_hash: Set(hash),
        person_id: Set(person_id.0),
        conference_id: Set(conference_id.0),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Turn off every calendar address of a person in a conference; returns how many were live.
pub async fn revoke_calendar_feeds(
    db: &impl ConnectionTrait,
    person_id: PersonId,
    conference_id: ConferenceId,
) -> Result<u64, DbErr> {
    let res = calendar_feed::Entity::update_many()
        .col_expr(
            calendar_feed::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(calendar_feed::Column::PersonId.eq(person_id.0))
        .filter(calendar_feed::Column::ConferenceId.eq(conference_id.0))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Whether a person has a live calendar address in a conference.
pub async fn has_calendar_feed(
    db: &impl ConnectionTrait,
    person_id: PersonId,
    conference_id: ConferenceId,
) -> Result<bool, DbErr> {
    Ok(calendar_feed::Entity::find()
        .filter(calendar_feed::Column::PersonId.eq(person_id.0))
        .filter(calendar_feed::Column::ConferenceId.eq(conference_id.0))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .count(db)
        .await?
        > 0)
}

/// The (person, conference) of a live calendar address.
pub async fn calendar_feed_owner(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<(i32, i32)>, DbErr> {
    Ok(calendar_feed::Entity::find_by_id(hash_secret(token))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .map(|f| (f.person_id, f.conference_id)))
}

/// The write done earlier under idempotency key `key`, if any.
pub async fn idempotent_earlier(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<crate::entity::idempotency_key::Model>, DbErr> {
    crate::entity::idempotency_key::Entity::find_by_id(key.to_string())
        .one(db)
        .await
}

/// Record a write under its idempotency key, in the write's transaction. Returns false when
/// the key was recorded meanwhile (the same form sent twice at once).
pub async fn idempotent_record(
    db: &impl ConnectionTrait,
    key: &str,
    action: &str,
    person_id: Option<PersonId>,
    result: &str,
) -> Result<bool, DbErr> {
    let person_id = person_id.map(|x| x.0);
    use crate::entity::idempotency_key;
    let r = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
        key: Set(key.to_string()),
        action: Set(action.to_string()),
        person_id: Set(person_id),
        result: Set(result.to_string()),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(idempotency_key::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(r == 1)
}
