//! Signing up for sessions, inside the caller's write transaction. The session's row is locked
//! first (`FOR UPDATE` on PostgreSQL; SQLite has one writer at a time anyway), so concurrent
//! sign-ups for one session take turns: a seat is never given twice, and the row id records the
//! order of arrival. What a sign-up or a cancellation does is decided by
//! [`domain::waiting_list`]: a sign-up from the session's counts ([`Tally`]), a cancellation
//! or a change of capacity from its enrolments ([`Roster`]).

use crate::entity::{delegation, enrolment, registration, session};
use chrono::Utc;
use domain::ids::{ConferenceId, RegistrationId, SessionId};
use domain::live::Event;
use domain::programme::SessionKind;
use domain::waiting_list::{Enrolment, Roster, RosterError, Seat, Tally};
use sea_orm::DatabaseConnection;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Why a sign-up or cancellation is refused, in words for the delegate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("There is no such session in this conference.")]
    NoSuchSession,
    #[error("Only participants with an accredited registration can sign up for sessions.")]
    NotAccredited,
    #[error("Everyone attends this session: there is no sign-up for it.")]
    NoSignUpNeeded,
    #[error("This regional forum is for delegations of its region ({0}).")]
    WrongRegion(String),
    #[error("You are already signed up for “{0}”, which overlaps this session.")]
    Overlaps(String),
    #[error("{0}")]
    Roster(#[from] RosterError),
}

/// The result of a change, for the people concerned to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// the seat of the registration that asked
    pub seat: Seat,
    /// position on the waiting list, when waitlisted (1 = next)
    pub waiting_position: Option<usize>,
    /// registrations promoted from the waiting list to a seat, in arrival order
    pub promoted: Vec<i32>,
}

use enrolment::{parse_seat, seat_name};

/// Lock the session's row and load its active enrolments (ordered by arrival).
async fn lock_roster(
    db: &impl ConnectionTrait,
    conference_id: i32,
    session_id: i32,
) -> Result<Option<(session::Model, Vec<enrolment::Model>, Roster)>, DbErr> {
    let Some(s) = session::Entity::find_by_id(session_id)
        .filter(session::Column::ConferenceId.eq(conference_id))
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.eq(session_id))
        .filter(enrolment::Column::Seat.ne(seat_name(Seat::Cancelled)))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let roster = Roster::new(
        s.capacity.map(|c| c.max(0) as u32),
        rows.iter()
            .filter_map(|r| {
                parse_seat(&r.seat).map(|seat| Enrolment {
                    registration: r.registration_id as i64,
                    arrival: r.id as i64,
                    seat,
                })
            })
            .collect(),
    );
    Ok(Some((s, rows, roster)))
}

/// How many hold a seat and how many wait in session `s` (whose row the caller has locked),
/// counted without reading the enrolments themselves.
async fn tally_of(db: &impl ConnectionTrait, s: &session::Model) -> Result<Tally, DbErr> {
    let (confirmed, waitlisted) = counts(db, &[SessionId(s.id)])
        .await?
        .into_iter()
        .next()
        .map(|(_, confirmed, waitlisted)| (confirmed, waitlisted))
        .unwrap_or_default();
    Ok(Tally {
        capacity: s.capacity.map(|c| c.max(0) as u32),
        confirmed,
        waitlisted,
    })
}

/// Sign `registration_id` up for `session_id` (see [`sign_up_many`]).
pub async fn sign_up(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    session_id: SessionId,
    registration_id: RegistrationId,
) -> Result<Result<Change, Refusal>, DbErr> {
    let mut one = sign_up_many(db, conference_id, session_id, &[registration_id]).await?;
    Ok(one.pop().unwrap_or(Err(Refusal::NoSuchSession)))
}

/// Sign each of `registrations` up for `session_id`, in the order given (their arrival), in
/// the caller's write transaction; one answer per registration, in the same order. A refusal
/// of one changes nothing for it and does not stop the others.
///
/// The people's registration rows are locked first (in id order, so two turns never wait on
/// each other), so that two sign-ups of one person, to this session or to one at the same
/// hour, take turns and the second finds the first; then the session's row, so that sign-ups
/// to one session take turns and its seats are counted once per turn. Every read is one
/// statement for the whole turn, and the enrolments are inserted by one statement in arrival
/// order, so a turn of a hundred sign-ups costs about what one costs.
pub async fn sign_up_many(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    session_id: SessionId,
    registrations: &[RegistrationId],
) -> Result<Vec<Result<Change, Refusal>>, DbErr> {
    if registrations.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i32> = registrations.iter().map(|r| r.0).collect();
    let regs: HashMap<i32, registration::Model> = registration::Entity::find()
        .filter(registration::Column::Id.is_in(ids.clone()))
        .filter(registration::Column::ConferenceId.eq(conference_id.0))
        .order_by_asc(registration::Column::Id)
        .lock_exclusive()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let s = session::Entity::find_by_id(session_id.0)
        .filter(session::Column::ConferenceId.eq(conference_id.0))
        .lock_exclusive()
        .one(db)
        .await?;
    let accredited = |id: &i32| {
        regs.get(id)
            .is_some_and(|r| r.state() == domain::registration::Status::Accredited)
    };
    let Some(s) = s else {
        return Ok(ids
            .iter()
            .map(|id| {
                Err(if accredited(id) {
                    Refusal::NoSuchSession
                } else {
                    Refusal::NotAccredited
                })
            })
            .collect());
    };
    let for_everyone = SessionKind::parse(&s.kind).is_none_or(|k| k.is_for_everyone());
    // the delegations' regions, when the session is a regional forum
    let regions: HashMap<i32, Option<String>> = match &s.region {
        Some(_) if !for_everyone => {
            let delegations: Vec<i32> = regs.values().filter_map(|r| r.delegation_id).collect();
            delegation::Entity::find()
                .filter(delegation::Column::Id.is_in(delegations))
                .all(db)
                .await?
                .into_iter()
                .map(|d| (d.id, d.region))
                .collect()
        }
        _ => HashMap::new(),
    };
    // the people's active sign-ups: this session's (already signed up), and others that overlap
    let mut mine: HashMap<i32, Vec<enrolment::Model>> = HashMap::new();
    if !for_everyone {
        for e in enrolment::Entity::find()
            .filter(enrolment::Column::RegistrationId.is_in(ids.clone()))
            .filter(enrolment::Column::Seat.ne(seat_name(Seat::Cancelled)))
            .order_by_asc(enrolment::Column::Id)
            .all(db)
            .await?
        {
            mine.entry(e.registration_id).or_default().push(e);
        }
    }
    let others: Vec<i32> = mine
        .values()
        .flatten()
        .map(|e| e.session_id)
        .filter(|id| *id != s.id)
        .collect();
    let others: HashMap<i32, session::Model> = if others.is_empty() {
        HashMap::new()
    } else {
        session::Entity::find()
            .filter(session::Column::Id.is_in(others))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect()
    };
    let mut tally = if for_everyone {
        Tally::default()
    } else {
        tally_of(db, &s).await?
    };
    let now = Utc::now();
    let mut taken = std::collections::HashSet::new();
    let mut rows = Vec::new();
    let mut answers = Vec::with_capacity(ids.len());
    for id in &ids {
        let answer = (|| {
            let reg = regs
                .get(id)
                .filter(|_| accredited(id))
                .ok_or(Refusal::NotAccredited)?;
            if for_everyone {
                return Err(Refusal::NoSignUpNeeded);
            }
            if let Some(region) = &s.region {
                let theirs = reg
                    .delegation_id
                    .and_then(|d| regions.get(&d).cloned().flatten());
                if theirs.as_deref() != Some(region.as_str()) {
                    return Err(Refusal::WrongRegion(region.clone()));
                }
            }
            let held = mine.get(id).map(Vec::as_slice).unwrap_or_default();
            for e in held.iter().filter(|e| e.session_id != s.id) {
                if let Some(other) = others.get(&e.session_id) {
                    if other.starts_at < s.ends_at && s.starts_at < other.ends_at {
                        return Err(Refusal::Overlaps(other.title.clone()));
                    }
                }
            }
            if held.iter().any(|e| e.session_id == s.id) || !taken.insert(*id) {
                return Err(RosterError::AlreadyEnrolled.into());
            }
            let (seat, waiting_position) = tally.admit();
            rows.push(enrolment::ActiveModel {
                session_id: Set(s.id),
                registration_id: Set(*id),
                seat: Set(seat_name(seat).into()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
            Ok(Change {
                seat,
                waiting_position,
                promoted: vec![],
            })
        })();
        answers.push(answer);
    }
    if !rows.is_empty() {
        // one statement; rows get their ids in the order listed, which is arrival order
        enrolment::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(answers)
}

/// Cancel `registration_id`'s sign-up; the freed seat goes to the first on the waiting list.
pub async fn cancel(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    session_id: SessionId,
    registration_id: RegistrationId,
) -> Result<Result<Change, Refusal>, DbErr> {
    let Some((_, rows, mut roster)) = lock_roster(db, conference_id.0, session_id.0).await? else {
        return Ok(Err(Refusal::NoSuchSession));
    };
    let outcome = match roster.cancel(registration_id.0 as i64) {
        Ok(o) => o,
        Err(e) => return Ok(Err(e.into())),
    };
    let now = Utc::now();
    for r in rows {
        let new_seat = if r.registration_id == registration_id.0 {
            Some(Seat::Cancelled)
        } else if outcome.promoted.contains(&(r.registration_id as i64)) {
            Some(Seat::Confirmed)
        } else {
            None
        };
        if let Some(seat) = new_seat {
            enrolment::ActiveModel {
                id: Set(r.id),
                seat: Set(seat_name(seat).into()),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
    }
    Ok(Ok(Change {
        seat: Seat::Cancelled,
        waiting_position: None,
        promoted: outcome.promoted.iter().map(|r| *r as i32).collect(),
    }))
}

/// Set a session's capacity (`None`: no limit). More seats go at once to the people waiting, in
/// arrival order; fewer seats take no confirmed seat away. Returns the registrations promoted.
pub async fn set_capacity(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    session_id: SessionId,
    capacity: Option<i32>,
) -> Result<Result<Vec<i32>, Refusal>, DbErr> {
    let Some((s, rows, mut roster)) = lock_roster(db, conference_id.0, session_id.0).await? else {
        return Ok(Err(Refusal::NoSuchSession));
    };
    let outcome = roster.set_capacity(capacity.map(|c| c.max(0) as u32));
    let now = Utc::now();
    session::ActiveModel {
        id: Set(s.id),
        capacity: Set(capacity),
        // a session form opened before this change is now stale
        revision: Set(s.revision + 1),
        ..Default::default()
    }
    .update(db)
    .await?;
    for r in rows {
        if outcome.promoted.contains(&(r.registration_id as i64)) {
            enrolment::ActiveModel {
                id: Set(r.id),
                seat: Set(seat_name(Seat::Confirmed).into()),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
    }
    Ok(Ok(outcome.promoted.iter().map(|r| *r as i32).collect()))
}

/// Seats taken and people waiting, per session of a conference: (session id, confirmed,
/// waitlisted).
pub async fn counts(
    db: &impl ConnectionTrait,
    session_ids: &[SessionId],
) -> Result<Vec<(i32, usize, usize)>, DbErr> {
    let rows: Vec<(i32, String, i64)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::SessionId)
        .column(enrolment::Column::Seat)
        .column_as(enrolment::Column::Id.count(), "n")
        .filter(enrolment::Column::SessionId.is_in(session_ids.iter().map(|x| x.0)))
        .group_by(enrolment::Column::SessionId)
        .group_by(enrolment::Column::Seat)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i32, (usize, usize)> = HashMap::new();
    for (session, seat, n) in rows {
        let n = usize::try_from(n).unwrap_or(0);
        let entry = out.entry(session).or_default();
        match parse_seat(&seat) {
            Some(Seat::Confirmed) => entry.0 += n,
            Some(Seat::Waitlisted) => entry.1 += n,
            Some(Seat::Cancelled) | None => {}
        }
    }
    Ok(session_ids
        .iter()
        .map(|id| {
            let (confirmed, waiting) = out.get(&id.0).copied().unwrap_or_default();
            (id.0, confirmed, waiting)
        })
        .collect())
}

/// The people with a seat (confirmed, not waiting) in session `session_id`.
pub async fn seat_holders(
    db: &impl ConnectionTrait,
    session_id: SessionId,
) -> Result<Vec<domain::ids::PersonId>, DbErr> {
    let registrations: Vec<i32> = enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.eq(session_id.0))
        .filter(enrolment::Column::Seat.eq(seat_name(Seat::Confirmed)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.registration_id)
        .collect();
    if registrations.is_empty() {
        return Ok(Vec::new());
    }
    let mut people: Vec<i32> = registration::Entity::find()
        .filter(registration::Column::Id.is_in(registrations))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.person_id)
        .collect();
    people.sort_unstable();
    people.dedup();
    Ok(people.into_iter().map(domain::ids::PersonId).collect())
}

/// One registration's active enrolments with their sessions, and waiting positions.
pub async fn of_registration(
    db: &impl ConnectionTrait,
    registration_id: RegistrationId,
) -> Result<Vec<(enrolment::Model, session::Model, Option<usize>)>, DbErr> {
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::RegistrationId.eq(registration_id.0))
        .filter(enrolment::Column::Seat.ne(seat_name(Seat::Cancelled)))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for e in rows {
        let Some(s) = session::Entity::find_by_id(e.session_id).one(db).await? else {
            continue;
        };
        let position = if e.state() == Seat::Waitlisted {
            Some(
                enrolment::Entity::find()
                    .filter(enrolment::Column::SessionId.eq(e.session_id))
                    .filter(enrolment::Column::Seat.eq(seat_name(Seat::Waitlisted)))
                    .filter(enrolment::Column::Id.lte(e.id))
                    .all(db)
                    .await?
                    .len(),
            )
        } else {
            None
        };
        out.push((e, s, position));
    }
    out.sort_by_key(|(_, s, _)| s.starts_at);
    Ok(out)
}

/// One answer of [`Desk::sign_up`].
pub type Answer = Result<Result<Change, Refusal>, DbErr>;

/// The most sign-ups taken in one turn (one transaction); keeps the one insert statement well
/// under both engines' limits on parameters.
const MOST_PER_TURN: usize = 500;

/// Sign-ups of this server instance, taken in turns: the sign-ups to one session that arrive
/// while a turn is being written wait together and are written in the next turn, in arrival
/// order, by one transaction ([`sign_up_many`], plus one `seats_changed` event). So a thousand
/// people signing up at the moment a forum opens cost a few transactions, not a thousand, and
/// the answer to each comes after the commit that holds it. Instances on one PostgreSQL
/// database each take their own turns; the session's row lock orders the turns among them.
#[derive(Clone)]
pub struct Desk(Arc<DeskInner>);

struct DeskInner {
    db: DatabaseConnection,
    queues: Mutex<HashMap<(i32, i32), Queue>>,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<(RegistrationId, oneshot::Sender<Answer>)>,
}

impl Desk {
    pub fn new(db: DatabaseConnection) -> Desk {
        Desk(Arc::new(DeskInner {
            db,
            queues: Mutex::new(HashMap::new()),
        }))
    }

    fn queues(&self) -> std::sync::MutexGuard<'_, HashMap<(i32, i32), Queue>> {
        self.0
            .queues
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sign `registration` up for `session`: waits for the turn that writes it.
    pub async fn sign_up(
        &self,
        conference: ConferenceId,
        session: SessionId,
        registration: RegistrationId,
    ) -> Answer {
        let (tx, rx) = oneshot::channel();
        let key = (conference.0, session.0);
        let lead = {
            let mut queues = self.queues();
            match queues.get_mut(&key) {
                // a turn is being written: this sign-up goes in the next
                Some(q) => {
                    q.waiting.push((registration, tx));
                    false
                }
                None => {
                    queues.insert(
                        key,
                        Queue {
                            waiting: vec![(registration, tx)],
                        },
                    );
                    true
                }
            }
        };
        if lead {
            // its own task, so that a request that goes away (the client closed the tab) does
            // not leave the others waiting for a turn nobody writes
            tokio::spawn(self.clone().take_turns(key));
        }
        rx.await.unwrap_or_else(|_| {
            Err(DbErr::Custom(
                "the sign-up desk stopped before writing this sign-up".into(),
            ))
        })
    }

    /// Write turns for `key` until nobody waits.
    async fn take_turns(self, key: (i32, i32)) {
        // should a turn panic, the queue goes with it: its senders drop, so each waiting
        // request hears of the failure and the next sign-up starts a fresh queue
        struct Forget<'a>(&'a Desk, (i32, i32));
        impl Drop for Forget<'_> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    self.0.queues().remove(&self.1);
                }
            }
        }
        let _forget = Forget(&self, key);
        loop {
            let turn: Vec<(RegistrationId, oneshot::Sender<Answer>)> = {
                let mut queues = self.queues();
                let Some(q) = queues.get_mut(&key) else {
                    return;
                };
                if q.waiting.is_empty() {
                    queues.remove(&key);
                    return;
                }
                let n = q.waiting.len().min(MOST_PER_TURN);
                q.waiting.drain(..n).collect()
            };
            let (conference, session) = (ConferenceId(key.0), SessionId(key.1));
            let people: Vec<RegistrationId> = turn.iter().map(|(r, _)| *r).collect();
            let written = crate::write(&self.0.db, async |txn| {
                let answers = sign_up_many(txn, conference, session, &people).await?;
                if answers.iter().any(Result::is_ok) {
                    crate::events::append(txn, conference, &Event::seats_changed(session)).await?;
                }
                Ok::<_, DbErr>(answers)
            })
            .await;
            match written {
                Ok(answers) => {
                    for ((_, reply), answer) in turn.into_iter().zip(answers) {
                        let _ = reply.send(Ok(answer));
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a turn of sign-ups failed");
                    for (_, reply) in turn {
                        let _ = reply.send(Err(DbErr::Custom(e.to_string())));
                    }
                }
            }
        }
    }
}
