//! The secretariat's desk: badge codes, arrivals and session check-ins. A check-in is one
//! `INSERT … ON CONFLICT DO NOTHING` on a row keyed by the registration (and the session): two
//! organisers checking in the same person at the same moment record one arrival, and both are
//! told when it was.

use crate::entity::{
    amendment, arrival, badge, declaration, delegation, enrolment, person, registration,
    session_check_in,
};
use chrono::{DateTime, Utc};
use domain::desk::{BadgeCode, CODE_BYTES};
use domain::drafting::amendment::AmendmentStatus;
use domain::ids::{ConferenceId, DelegationId, PersonId, RegistrationId, SessionId};
use domain::registration::Status;
use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

/// A fresh badge code from the operating system's random source.
fn fresh_code() -> BadgeCode {
    let mut bytes = [0u8; CODE_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    BadgeCode::from_bytes(bytes)
}

/// Whose badges to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    Everyone,
    Delegation(DelegationId),
    One(RegistrationId),
}

/// What a badge shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadgeRow {
    pub registration_id: RegistrationId,
    pub name: String,
    /// The delegation's name, else the person's organisation.
    pub affiliation: Option<String>,
    pub category: String,
    pub code: BadgeCode,
}

/// The badges of the accredited participants chosen by `whose`, in the order of their
/// delegation and name; those without a code get one (written in `db`, which should be the
/// caller's transaction).
pub async fn badges(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    whose: Whose,
) -> Result<Vec<BadgeRow>, DbErr> {
    let mut q = registration::Entity::find()
        .filter(registration::Column::ConferenceId.eq(conference.0))
        .filter(registration::Column::Status.eq(Status::Accredited.as_str()));
    q = match whose {
        Whose::Everyone => q,
        Whose::Delegation(d) => q.filter(registration::Column::DelegationId.eq(d.0)),
        Whose::One(r) => q.filter(registration::Column::Id.eq(r.0)),
    };
    let regs = q.all(db).await?;
    if regs.is_empty() {
        return Ok(Vec::new());
    }
    let codes = ensure_codes(db, conference, regs.iter().map(|r| r.id)).await?;
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(regs.iter().map(|r| r.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let delegations: HashMap<i32, String> = delegation::Entity::find()
        .filter(delegation::Column::ConferenceId.eq(conference.0))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let mut rows: Vec<BadgeRow> = regs
        .into_iter()
        .filter_map(|r| {
            let p = people.get(&r.person_id)?;
            Some(BadgeRow {
                registration_id: RegistrationId(r.id),
                name: p.name.clone(),
                affiliation: r
                    .delegation_id
                    .and_then(|d| delegations.get(&d).cloned())
                    .or_else(|| p.organisation.clone().filter(|o| !o.trim().is_empty())),
                category: r.category,
                code: codes.get(&r.id)?.clone(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.affiliation.as_deref(), a.name.to_lowercase())
            .cmp(&(b.affiliation.as_deref(), b.name.to_lowercase()))
    });
    Ok(rows)
}

/// The badge codes of `registrations`, giving one to each that has none.
async fn ensure_codes(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    registrations: impl Iterator<Item = i32>,
) -> Result<HashMap<i32, BadgeCode>, DbErr> {
    let ids: Vec<i32> = registrations.collect();
    let mut codes: HashMap<i32, BadgeCode> = HashMap::new();
    for chunk in ids.chunks(500) {
        for b in badge::Entity::find()
            .filter(badge::Column::RegistrationId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(c) = BadgeCode::parse(&b.code) {
                codes.insert(b.registration_id, c);
            }
        }
    }
    let missing: Vec<i32> = ids.into_iter().filter(|i| !codes.contains_key(i)).collect();
    let now = Utc::now();
    for chunk in missing.chunks(500) {
        let fresh: Vec<(i32, BadgeCode)> = chunk.iter().map(|&i| (i, fresh_code())).collect();
        badge::Entity::insert_many(fresh.iter().map(|(i, c)| badge::ActiveModel {
            registration_id: Set(*i),
            conference_id: Set(conference.0),
            code: Set(c.as_str().to_owned()),
            issued_at: Set(now),
        }))
        .on_conflict(
            OnConflict::column(badge::Column::RegistrationId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        // another writer may have given some of them a code first: read what is stored
        for b in badge::Entity::find()
            .filter(badge::Column::RegistrationId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(c) = BadgeCode::parse(&b.code) {
                codes.insert(b.registration_id, c);
            }
        }
    }
    Ok(codes)
}

/// A new code for a registration's badge: the old one no longer checks anyone in.
pub async fn reissue(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    registration: RegistrationId,
) -> Result<BadgeCode, DbErr> {
    let code = fresh_code();
    badge::Entity::insert(badge::ActiveModel {
        registration_id: Set(registration.0),
        conference_id: Set(conference.0),
        code: Set(code.as_str().to_owned()),
        issued_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(badge::Column::RegistrationId)
            .update_columns([badge::Column::Code, badge::Column::IssuedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(code)
}

/// The registration in `conference` whose current badge carries `code`.
pub async fn by_code(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    code: &BadgeCode,
) -> Result<Option<RegistrationId>, DbErr> {
    Ok(badge::Entity::find()
        .filter(badge::Column::ConferenceId.eq(conference.0))
        .filter(badge::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .map(|b| RegistrationId(b.registration_id)))
}

/// Someone at the desk, as the check-in page shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub registration: registration::Model,
    pub name: String,
    pub delegation: Option<String>,
    pub arrived_at: Option<DateTime<Utc>>,
}

/// A registration of `conference` with its person, delegation and arrival.
pub async fn arrival(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    id: RegistrationId,
) -> Result<Option<Arrival>, DbErr> {
    let Some(r) = registration::Entity::find_by_id(id.0)
        .filter(registration::Column::ConferenceId.eq(conference.0))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(arrivals_of(db, vec![r]).await?.pop())
}

/// Registrations of `conference` whose person's name contains `query` (any case), at most
/// `limit`, by name.
pub async fn search(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    query: &str,
    limit: usize,
) -> Result<Vec<Arrival>, DbErr> {
    let needle = query.trim().to_lowercase();
    if needle.is_empty() {
        return Ok(Vec::new());
    }
    let regs = registration::Entity::find()
        .filter(registration::Column::ConferenceId.eq(conference.0))
        .all(db)
        .await?;
    let names: HashMap<i32, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(regs.iter().map(|r| r.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut hits: Vec<registration::Model> = regs
        .into_iter()
        .filter(|r| {
            names
                .get(&r.person_id)
                .is_some_and(|n| n.to_lowercase().contains(&needle))
        })
        .collect();
    hits.sort_by_key(|r| names.get(&r.person_id).map(|n| n.to_lowercase()));
    hits.truncate(limit);
    arrivals_of(db, hits).await
}

async fn arrivals_of(
    db: &impl ConnectionTrait,
    regs: Vec<registration::Model>,
) -> Result<Vec<Arrival>, DbErr> {
    let names: HashMap<i32, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(regs.iter().map(|r| r.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let delegations: HashMap<i32, String> = delegation::Entity::find()
        .filter(delegation::Column::Id.is_in(regs.iter().filter_map(|r| r.delegation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let arrived: HashMap<i32, DateTime<Utc>> = arrival::Entity::find()
        .filter(arrival::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.registration_id, a.arrived_at))
        .collect();
    Ok(regs
        .into_iter()
        .map(|r| Arrival {
            name: names.get(&r.person_id).cloned().unwrap_or_default(),
            delegation: r.delegation_id.and_then(|d| delegations.get(&d).cloned()),
            arrived_at: arrived.get(&r.id).copied(),
            registration: r,
        })
        .collect())
}

/// What a check-in did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckedIn {
    /// Recorded now, at this time.
    Now(DateTime<Utc>),
    /// Already recorded, at this time: nothing written.
    Already(DateTime<Utc>),
}

/// Records the arrival of registration `id` (the caller has checked that it is accredited), once.
pub async fn check_in(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
    id: RegistrationId,
    by: PersonId,
) -> Result<CheckedIn, DbErr> {
    let now = Utc::now();
    let inserted = arrival::Entity::insert(arrival::ActiveModel {
        registration_id: Set(id.0),
        conference_id: Set(conference.0),
        arrived_at: Set(now),
        by_person_id: Set(Some(by.0)),
    })
    .on_conflict(
        OnConflict::column(arrival::Column::RegistrationId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored = arrival::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("arrival of registration {}", id.0)))?;
    Ok(if inserted == 1 {
        CheckedIn::Now(stored.arrived_at)
    } else {
        CheckedIn::Already(stored.arrived_at)
    })
}

/// Whether registration `id` holds a confirmed seat in `session`.
pub async fn holds_seat(
    db: &impl ConnectionTrait,
    session: SessionId,
    id: RegistrationId,
) -> Result<bool, DbErr> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.eq(session.0))
        .filter(enrolment::Column::RegistrationId.eq(id.0))
        .filter(enrolment::Column::Seat.eq("confirmed"))
        .one(db)
        .await?
        .is_some())
}

/// Records that registration `id` came to `session`, once.
pub async fn check_in_session(
    db: &impl ConnectionTrait,
    session: SessionId,
    id: RegistrationId,
    by: PersonId,
) -> Result<CheckedIn, DbErr> {
    let now = Utc::now();
    let inserted = session_check_in::Entity::insert(session_check_in::ActiveModel {
        session_id: Set(session.0),
        registration_id: Set(id.0),
        arrived_at: Set(now),
        by_person_id: Set(Some(by.0)),
    })
    .on_conflict(
        OnConflict::columns([
            session_check_in::Column::SessionId,
            session_check_in::Column::RegistrationId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored = session_check_in::Entity::find_by_id((session.0, id.0))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("check-in of {} at {}", id.0, session.0)))?;
    Ok(if inserted == 1 {
        CheckedIn::Now(stored.arrived_at)
    } else {
        CheckedIn::Already(stored.arrived_at)
    })
}

/// The number of arrivals in `conference`.
pub async fn arrivals_count(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    arrival::Entity::find()
        .filter(arrival::Column::ConferenceId.eq(conference.0))
        .count(db)
        .await
}

/// Check-ins per session, for the sessions `ids`, counted by the database.
pub async fn session_check_in_counts(
    db: &impl ConnectionTrait,
    ids: &[SessionId],
) -> Result<HashMap<i32, u64>, DbErr> {
    use sea_orm::QuerySelect;
    let rows: Vec<(i32, i64)> = session_check_in::Entity::find()
        .select_only()
        .column(session_check_in::Column::SessionId)
        .column_as(session_check_in::Column::RegistrationId.count(), "n")
        .filter(session_check_in::Column::SessionId.is_in(ids.iter().map(|s| s.0)))
        .group_by(session_check_in::Column::SessionId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Registrations of one state, category and region, as the dashboard counts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationCount {
    pub state: Status,
    pub category: String,
    /// The region of the registration's delegation, if it has one that names its region.
    pub region: Option<String>,
    pub n: u64,
}

/// The registrations of `conference` counted by the database, per state, category and region
/// (grouped in SQL: a few dozen rows, whatever the number of registrations).
pub async fn registration_counts(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
) -> Result<Vec<RegistrationCount>, DbErr> {
    use sea_orm::QuerySelect;
    let rows: Vec<(String, String, Option<i32>, i64)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::Status)
        .column(registration::Column::Category)
        .column(registration::Column::DelegationId)
        .column_as(registration::Column::Id.count(), "n")
        .filter(registration::Column::ConferenceId.eq(conference.0))
        .group_by(registration::Column::Status)
        .group_by(registration::Column::Category)
        .group_by(registration::Column::DelegationId)
        .into_tuple()
        .all(db)
        .await?;
    let regions: HashMap<i32, Option<String>> = delegation::Entity::find()
        .select_only()
        .column(delegation::Column::Id)
        .column(delegation::Column::Region)
        .filter(delegation::Column::ConferenceId.eq(conference.0))
        .into_tuple::<(i32, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut out: HashMap<(Status, String, Option<String>), u64> = HashMap::new();
    for (status, category, delegation, n) in rows {
        let region = delegation.and_then(|d| regions.get(&d).cloned().flatten());
        let state = Status::parse(&status).unwrap_or(Status::Pending);
        *out.entry((state, category, region)).or_default() += u64::try_from(n).unwrap_or(0);
    }
    Ok(out
        .into_iter()
        .map(|((state, category, region), n)| RegistrationCount {
            state,
            category,
            region,
            n,
        })
        .collect())
}

/// When each registration of `conference` was made and its state now: two columns, not the
/// rows (the days are the conference's, so they are cut in its time zone, not in SQL).
pub async fn registration_times(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
) -> Result<Vec<(DateTime<Utc>, Status)>, DbErr> {
    use sea_orm::QuerySelect;
    Ok(registration::Entity::find()
        .select_only()
        .column(registration::Column::CreatedAt)
        .column(registration::Column::Status)
        .filter(registration::Column::ConferenceId.eq(conference.0))
        .into_tuple::<(DateTime<Utc>, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(at, s)| (at, Status::parse(&s).unwrap_or(Status::Pending)))
        .collect())
}

/// The amendments to `conference`'s declaration per state, counted by the database; drafts
/// are their sponsors' own and left out.
pub async fn amendment_counts(
    db: &impl ConnectionTrait,
    conference: ConferenceId,
) -> Result<HashMap<AmendmentStatus, u64>, DbErr> {
    use sea_orm::QuerySelect;
    let Some(declaration) = declaration::Entity::find()
        .select_only()
        .column(declaration::Column::Id)
        .filter(declaration::Column::ConferenceId.eq(conference.0))
        .into_tuple::<i32>()
        .one(db)
        .await?
    else {
        return Ok(HashMap::new());
    };
    let rows: Vec<(String, i64)> = amendment::Entity::find()
        .select_only()
        .column(amendment::Column::Status)
        .column_as(amendment::Column::Id.count(), "n")
        .filter(amendment::Column::DeclarationId.eq(declaration))
        .filter(amendment::Column::Status.ne(AmendmentStatus::Draft.as_str()))
        .group_by(amendment::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for (status, n) in rows {
        if let Some(state) = AmendmentStatus::parse(&status) {
            *out.entry(state).or_default() += u64::try_from(n).unwrap_or(0);
        }
    }
    Ok(out)
}
