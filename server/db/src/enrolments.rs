//! Signing up for sessions, inside the caller's write transaction. The session's row is locked
//! first (`FOR UPDATE` on PostgreSQL; SQLite has one writer at a time anyway), so concurrent
//! sign-ups for one session take turns: a seat is never given twice, and the row id records the
//! order of arrival. What a sign-up or a cancellation does is decided by
//! [`domain::waiting_list`]: a sign-up from the session's counts ([`Tally`]), a cancellation
//! or a change of capacity from its enrolments ([`Roster`]).

use crate::entity::{delegation, enrolment, registration, session};
use chrono::Utc;
use domain::ids::{ConferenceId, RegistrationId, SessionId};
use domain::programme::SessionKind;
use domain::waiting_list::{Enrolment, Roster, RosterError, Seat, Tally};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

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
    let counts: Vec<(String, i64)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::Seat)
        .column_as(enrolment::Column::Id.count(), "n")
        .filter(enrolment::Column::SessionId.eq(s.id))
        .group_by(enrolment::Column::Seat)
        .into_tuple()
        .all(db)
        .await?;
    let mut tally = Tally {
        capacity: s.capacity.map(|c| c.max(0) as u32),
        ..Tally::default()
    };
    for (seat, n) in counts {
        match parse_seat(&seat) {
            Some(Seat::Confirmed) => tally.confirmed = n.max(0) as usize,
            Some(Seat::Waitlisted) => tally.waitlisted = n.max(0) as usize,
            _ => {}
        }
    }
    Ok(tally)
}

/// Sign `registration_id` up for `session_id`.
pub async fn sign_up(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    session_id: SessionId,
    registration_id: RegistrationId,
) -> Result<Result<Change, Refusal>, DbErr> {
    // the person's row first: two sign-ups of one person (to this session or to overlapping
    // ones) take turns here, so the second finds the first one's enrolment
    let Some(reg) = registration::Entity::find_by_id(registration_id.0)
        .filter(registration::Column::ConferenceId.eq(conference_id.0))
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(Err(Refusal::NotAccredited));
    };
    if reg.state() != domain::registration::Status::Accredited {
        return Ok(Err(Refusal::NotAccredited));
    }
    // then the session's row: sign-ups of different people to one session take turns here,
    // so its seats are counted once for each
    let Some(s) = session::Entity::find_by_id(session_id.0)
        .filter(session::Column::ConferenceId.eq(conference_id.0))
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(Err(Refusal::NoSuchSession));
    };
    if SessionKind::parse(&s.kind).is_none_or(|k| k.is_for_everyone()) {
        return Ok(Err(Refusal::NoSignUpNeeded));
    }
    if let Some(region) = &s.region {
        let theirs = match reg.delegation_id {
            Some(d) => delegation::Entity::find_by_id(d)
                .one(db)
                .await?
                .and_then(|d| d.region),
            None => None,
        };
        if theirs.as_deref() != Some(region.as_str()) {
            return Ok(Err(Refusal::WrongRegion(region.clone())));
        }
    }
    // the person's active sign-ups: this session's (already signed up), and others that overlap
    let mine = enrolment::Entity::find()
        .filter(enrolment::Column::RegistrationId.eq(registration_id.0))
        .filter(enrolment::Column::Seat.ne(seat_name(Seat::Cancelled)))
        .all(db)
        .await?;
    let already = mine.iter().any(|e| e.session_id == session_id.0);
    for e in mine.iter().filter(|e| e.session_id != session_id.0) {
        if let Some(other) = session::Entity::find_by_id(e.session_id).one(db).await? {
            if other.starts_at < s.ends_at && s.starts_at < other.ends_at {
                return Ok(Err(Refusal::Overlaps(other.title)));
            }
        }
    }
    if already {
        return Ok(Err(RosterError::AlreadyEnrolled.into()));
    }
    let tally = tally_of(db, &s).await?;
    let seat = tally.newcomer();
    let now = Utc::now();
    enrolment::ActiveModel {
        session_id: Set(session_id.0),
        registration_id: Set(registration_id.0),
        seat: Set(seat_name(seat).into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Ok(Change {
        seat,
        waiting_position: tally.newcomer_position(),
        promoted: vec![],
    }))
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
    let session_ids: Vec<i32> = session_ids.iter().map(|x| x.0).collect();
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.is_in(session_ids.iter().copied()))
        .filter(enrolment::Column::Seat.ne(seat_name(Seat::Cancelled)))
        .all(db)
        .await?;
    Ok(session_ids
        .iter()
        .map(|id| {
            let mine = rows.iter().filter(|r| r.session_id == *id);
            let confirmed = mine
                .clone()
                .filter(|r| r.state() == Seat::Confirmed)
                .count();
            let waiting = mine.filter(|r| r.state() == Seat::Waitlisted).count();
            (*id, confirmed, waiting)
        })
        .collect())
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
