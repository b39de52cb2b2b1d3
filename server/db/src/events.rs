//! The event log behind each conference's live stream (`GET /conferences/{slug}/events`).
//!
//! A service appends an event in the transaction of the change it announces ([`append`]), so an
//! event exists exactly when its change was committed. Events are numbered 1, 2, … per
//! conference, in commit order: the counter row is updated in the same transaction, which on
//! PostgreSQL makes appends to one conference take turns until they commit (SQLite has one
//! writer anyway). A reader that has seen number n has therefore seen every number before it,
//! and a stream that reconnects with `Last-Event-ID: n` gets exactly the events after n.
//!
//! Who hears of a commit: in this process, [`write`](crate::write) wakes the listeners of
//! [`commits`] after it committed; other server instances on the same PostgreSQL database hear
//! of it by `NOTIFY` on [`PG_CHANNEL`] (sent by [`append`], delivered by PostgreSQL on commit).

use crate::entity::{event, event_counter};
use chrono::Utc;
use domain::ids::ConferenceId;
use domain::live::{Audience, Change, Event};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement,
};
use std::cell::RefCell;
use std::sync::OnceLock;
use tokio::sync::broadcast;

/// How long events are kept. A stream that reconnects after its last event was pruned is told
/// to reload the page instead.
pub const RETENTION: chrono::Duration = chrono::Duration::days(7);

/// The PostgreSQL channel on which instances announce appended events (payload: the
/// conference's id).
pub const PG_CHANNEL: &str = "plenary_events";

/// An event as stored: its number in the conference, what changed, and who may hear of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub conference: ConferenceId,
    pub seq: i64,
    pub change: Change,
    pub audience: Audience,
}

tokio::task_local! {
    /// The conferences the current [`crate::write`] appended events to, announced after commit.
    static APPENDED: RefCell<Vec<ConferenceId>>;
}

/// This process's announcements of committed events (the conference's id each time).
fn sender() -> &'static broadcast::Sender<ConferenceId> {
    static SENDER: OnceLock<broadcast::Sender<ConferenceId>> = OnceLock::new();
    SENDER.get_or_init(|| broadcast::channel(1024).0)
}

/// Announcements of events committed by this process: a conference's id after each write that
/// appended to it. A receiver that lags should read everything its listeners may have missed.
pub fn commits() -> broadcast::Receiver<ConferenceId> {
    sender().subscribe()
}

/// Announce, in this process, that events were committed to `conference` (also what a
/// PostgreSQL `NOTIFY` from another instance turns into).
pub fn announce(conference: ConferenceId) {
    // no receiver (no stream open) is not an error
    let _ = sender().send(conference);
}

/// Runs `work` noting the conferences it appends to; returns them with its result.
pub(crate) async fn noting<T>(
    work: impl std::future::Future<Output = T>,
) -> (T, Vec<ConferenceId>) {
    APPENDED
        .scope(RefCell::new(Vec::new()), async move {
            let out = work.await;
            let appended = APPENDED.with(|a| std::mem::take(&mut *a.borrow_mut()));
            (out, appended)
        })
        .await
}

/// Append `event` to `conference`'s stream, in the transaction `txn` of the change it
/// announces. Returns its number.
pub async fn append<C: ConnectionTrait>(
    txn: &C,
    conference: ConferenceId,
    event: &Event,
) -> Result<i64, DbErr> {
    event_counter::Entity::insert(event_counter::ActiveModel {
        conference_id: Set(conference.0),
        last_seq: Set(0),
    })
    .on_conflict(
        OnConflict::column(event_counter::Column::ConferenceId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    // takes the counter row's lock until commit (see the module's comment)
    event_counter::Entity::update_many()
        .col_expr(
            event_counter::Column::LastSeq,
            Expr::col(event_counter::Column::LastSeq).add(1),
        )
        .filter(event_counter::Column::ConferenceId.eq(conference.0))
        .exec(txn)
        .await?;
    let seq = event_counter::Entity::find_by_id(conference.0)
        .one(txn)
        .await?
        .map(|c| c.last_seq)
        .ok_or_else(|| DbErr::Custom("event counter vanished".into()))?;
    event::Entity::insert(event::ActiveModel {
        conference_id: Set(conference.0),
        seq: Set(seq),
        change: Set(to_json(&event.change)?),
        audience: Set(to_json(&event.audience)?),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // delivered to every listening instance when (and only if) the transaction commits
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [PG_CHANNEL.into(), conference.0.to_string().into()],
        ))
        .await?;
    }
    // outside `crate::write` (a test holding its own transaction) nobody is noted: the
    // caller announces, or the next announcement carries it
    let _ = APPENDED.try_with(|a| {
        let mut a = a.borrow_mut();
        if !a.contains(&conference) {
            a.push(conference);
        }
    });
    Ok(seq)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, DbErr> {
    serde_json::to_string(v).map_err(|e| DbErr::Custom(format!("event to JSON: {e}")))
}

fn stored(m: event::Model) -> Result<Stored, DbErr> {
    let bad = |e: serde_json::Error| DbErr::Custom(format!("event {} unreadable: {e}", m.id));
    Ok(Stored {
        conference: ConferenceId(m.conference_id),
        seq: m.seq,
        change: serde_json::from_str(&m.change).map_err(bad)?,
        audience: serde_json::from_str(&m.audience).map_err(bad)?,
    })
}

/// The events of `conference` numbered after `after`, in order, at most `limit` of them.
pub async fn after<C: ConnectionTrait>(
    db: &C,
    conference: ConferenceId,
    after: i64,
    limit: u64,
) -> Result<Vec<Stored>, DbErr> {
    event::Entity::find()
        .filter(event::Column::ConferenceId.eq(conference.0))
        .filter(event::Column::Seq.gt(after))
        .order_by_asc(event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// The number of `conference`'s last event (0 before the first).
pub async fn last_seq<C: ConnectionTrait>(db: &C, conference: ConferenceId) -> Result<i64, DbErr> {
    Ok(event_counter::Entity::find_by_id(conference.0)
        .one(db)
        .await?
        .map_or(0, |c| c.last_seq))
}

/// Delete events older than [`RETENTION`] (the counters stay, so numbers are never reused).
/// Returns how many were deleted.
pub async fn prune<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    prune_before(db, Utc::now() - RETENTION).await
}

/// Delete events created before `before`.
pub async fn prune_before<C: ConnectionTrait>(
    db: &C,
    before: chrono::DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(event::Entity::delete_many()
        .filter(event::Column::CreatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

/// Hear other instances' appends: listens on [`PG_CHANNEL`] of the PostgreSQL database at `url`
/// and announces each notification in this process, as if the write had been made here.
/// Reconnects after a lost connection (notifications sent meanwhile are lost; the live streams'
/// periodic re-read catches up with what they announced). Runs until the process ends.
pub fn spawn_postgres_listener(url: String) -> tokio::task::JoinHandle<()> {
    use sea_orm::sqlx::postgres::PgListener;
    tokio::spawn(async move {
        loop {
            let mut listener = match PgListener::connect(&url).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "event listener: cannot connect; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(PG_CHANNEL).await {
                tracing::warn!(error = %e, "event listener: cannot LISTEN; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => match n.payload().parse::<i32>() {
                        Ok(id) => announce(ConferenceId(id)),
                        Err(_) => tracing::warn!("event listener: unexpected payload"),
                    },
                    // the connection was lost: connect again
                    Ok(None) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "event listener: connection lost");
                        break;
                    }
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    })
}

/// Append "amendment `id` changed" to `conference`'s stream, read in `txn` after the change:
/// its number and state, heard by whom its state allows (a draft: its sponsors only).
pub async fn amendment_changed<C: ConnectionTrait>(
    txn: &C,
    conference: ConferenceId,
    id: domain::ids::AmendmentId,
) -> Result<(), DbErr> {
    use crate::entity::{amendment, amendment_sponsor};
    use domain::ids::{AmendmentNumber, PersonId};
    let Some(a) = amendment::Entity::find_by_id(id.0).one(txn).await? else {
        return Ok(());
    };
    let co_sponsors: Vec<PersonId> = amendment_sponsor::Entity::find()
        .filter(amendment_sponsor::Column::AmendmentId.eq(id.0))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| PersonId(s.person_id))
        .collect();
    let event = Event::amendment_changed(
        AmendmentNumber(a.number),
        a.state(),
        PersonId(a.sponsor_person_id),
        &co_sponsors,
    );
    append(txn, conference, &event).await.map(|_| ())
}
