//! Notifications: which ones each person turned off, and sending one (into the outbox) unless
//! its person turned it off or has no account to write to.

use crate::entity::{account, notification_opt_out, outbox};
use domain::ids::{ConferenceId, PersonId};
use domain::notifications::Notification;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use std::collections::HashSet;

/// The notifications `person` turned off, in the order of [`Notification::ALL`].
pub async fn opt_outs(
    db: &impl ConnectionTrait,
    person: PersonId,
) -> Result<Vec<Notification>, DbErr> {
    let rows = notification_opt_out::Entity::find()
        .filter(notification_opt_out::Column::PersonId.eq(person.0))
        .all(db)
        .await?;
    Ok(Notification::ALL
        .into_iter()
        .filter(|n| rows.iter().any(|r| r.kind == n.as_str()))
        .collect())
}

/// `person` turns off exactly the notifications `off` (and on all others).
pub async fn set_opt_outs(
    db: &impl ConnectionTrait,
    person: PersonId,
    off: &[Notification],
) -> Result<(), DbErr> {
    notification_opt_out::Entity::delete_many()
        .filter(notification_opt_out::Column::PersonId.eq(person.0))
        .exec(db)
        .await?;
    let mut kinds: Vec<&str> = off.iter().map(|n| n.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    if kinds.is_empty() {
        return Ok(());
    }
    notification_opt_out::Entity::insert_many(kinds.into_iter().map(|k| {
        notification_opt_out::ActiveModel {
            person_id: Set(person.0),
            kind: Set(k.to_owned()),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Queues notification `kind` about conference `conference` for `person`, unless they turned
/// it off or have no account. Whether it was queued.
pub async fn notify(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    person: PersonId,
    kind: Notification,
    subject: &str,
    body: &str,
) -> Result<bool, DbErr> {
    let off = notification_opt_out::Entity::find_by_id((person.0, kind.as_str().to_owned()))
        .one(db)
        .await?
        .is_some();
    if off {
        return Ok(false);
    }
    let Some(a) = account::Entity::find()
        .filter(account::Column::PersonId.eq(person.0))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    crate::accounts::enqueue(db, Some(conference), &a.email, subject, body).await?;
    Ok(true)
}

/// Rows per statement when writing or reading for many people at once (well under the bind
/// parameter limits of SQLite and PostgreSQL).
const CHUNK: usize = 500;

/// Queues the same notification for many people at once (the adoption of the declaration
/// tells everyone holding a place): one read of who turned it off, one of the addresses, the
/// messages written a few hundred per statement, and one live event for the organisers' outbox
/// page instead of one per message. Returns how many were queued.
pub async fn notify_all(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    people: &[PersonId],
    kind: Notification,
    subject: &str,
    body: &str,
) -> Result<usize, DbErr> {
    let mut ids: Vec<i32> = people.iter().map(|p| p.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut off: HashSet<i32> = HashSet::new();
    let mut to: Vec<String> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        off.extend(
            notification_opt_out::Entity::find()
                .filter(notification_opt_out::Column::Kind.eq(kind.as_str()))
                .filter(notification_opt_out::Column::PersonId.is_in(chunk.iter().copied()))
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.person_id),
        );
        let mut accounts = account::Entity::find()
            .filter(account::Column::PersonId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        accounts.sort_by_key(|a| a.person_id);
        to.extend(
            accounts
                .into_iter()
                .filter(|a| !off.contains(&a.person_id))
                .map(|a| a.email),
        );
    }
    if to.is_empty() {
        return Ok(0);
    }
    let now = chrono::Utc::now();
    for chunk in to.chunks(CHUNK) {
        outbox::Entity::insert_many(chunk.iter().map(|email| outbox::ActiveModel {
            to_email: Set(email.clone()),
            subject: Set(subject.to_owned()),
            body: Set(body.to_owned()),
            created_at: Set(now),
            sent_at: Set(None),
            attempts: Set(0),
            last_error: Set(None),
            claimed_at: Set(None),
            conference_id: Set(Some(conference.0)),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    crate::events::append(db, conference, &domain::live::Event::outbox_changed()).await?;
    Ok(to.len())
}
