//! Notifications: which ones each person turned off, and sending one (into the outbox) unless
//! its person turned it off or has no account to write to.

use crate::entity::{account, notification_opt_out};
use domain::ids::{ConferenceId, PersonId};
use domain::notifications::Notification;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

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
