//! The desk (server side): badges, check-in and the dashboard, for organisers only
//! ([`Action::ManageRegistrations`]). Every check-in is one idempotent write (see `db::desk`).

use crate::access::{Access, Caller};
use crate::desk::dto::*;
use crate::dto::{Notice, OptionDto};
use crate::error::{AppError, OrInternal};
use crate::public::service::{moment_label, summary, tz_of};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use db::desk::{self as q, CheckedIn, Whose};
use db::entity::{delegation, registration, session};
use db::DatabaseConnection;
use domain::desk::{admits, BadgeCode};
use domain::drafting::amendment::AmendmentStatus;
use domain::ids::{DelegationId, PersonId, RegistrationId, SessionId};
use domain::permissions::Action;
use domain::registration::{Category, Status, REGIONS};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// The conference, for an organiser; 401 or 403 for anyone else.
async fn organiser(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<(Access, PersonId), AppError> {
    let access = caller.access(db, slug).await?;
    let me = PersonId(access.require(Action::ManageRegistrations)?.person_id);
    Ok((access, me))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn time_of(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%H:%M").to_string()
}

fn person(tz: Tz, a: q::Arrival) -> DeskPersonDto {
    let status = a.registration.state();
    let category = Category::parse(&a.registration.category);
    DeskPersonDto {
        registration: RegistrationId(a.registration.id),
        name: a.name,
        delegation: a.delegation,
        category: a.registration.category.clone(),
        category_label: category
            .map_or_else(|| a.registration.category.clone(), |c| c.label().to_owned()),
        status,
        status_label: status.label().to_owned(),
        reason: a
            .registration
            .status_reason
            .clone()
            .filter(|r| !r.trim().is_empty()),
        arrived_label: a
            .arrived_at
            .map(|t| format!("Arrived {}", moment_label(tz, t))),
    }
}

/// The check-in page's frame.
pub async fn desk(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<DeskDto, AppError> {
    let (access, _) = organiser(db, caller, slug).await?;
    let c = access.conference_id();
    let sessions = session::Entity::find()
        .filter(session::Column::ConferenceId.eq(c.0))
        .filter(session::Column::Capacity.is_not_null())
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await
        .or_internal()?
        .into_iter()
        .map(|s| OptionDto {
            value: s.id.to_string(),
            label: s.title,
        })
        .collect();
    let delegations = delegation::Entity::find()
        .filter(delegation::Column::ConferenceId.eq(c.0))
        .order_by_asc(delegation::Column::Name)
        .all(db)
        .await
        .or_internal()?
        .into_iter()
        .map(|d| OptionDto {
            value: d.id.to_string(),
            label: d.name,
        })
        .collect();
    let accredited = registration::Entity::find()
        .filter(registration::Column::ConferenceId.eq(c.0))
        .filter(registration::Column::Status.eq(Status::Accredited.as_str()))
        .count(db)
        .await
        .or_internal()?;
    Ok(DeskDto {
        conference: summary(&access.conference),
        sessions,
        delegations,
        accredited,
        arrived: q::arrivals_count(db, c).await.or_internal()?,
    })
}

/// Checks someone in, by the code on their badge (typed or scanned) or by their registration
/// (found by name), at the door or (with `session`) at a capacity-limited session. Refused:
/// a code no current badge carries (404), a registration not accredited (409, with its
/// reason), a session the person holds no seat in (409).
pub async fn check_in(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    code: Option<&str>,
    registration: Option<RegistrationId>,
    session_id: Option<SessionId>,
) -> Result<CheckInDto, AppError> {
    let (access, me) = organiser(db, caller, slug).await?;
    let c = access.conference_id();
    let tz = tz_of(&access.conference)?;
    let id = match (code.map(str::trim).filter(|s| !s.is_empty()), registration) {
        (Some(code), _) => {
            let code = BadgeCode::parse(code).ok_or_else(|| {
                AppError::validation(
                    "code",
                    "A badge code has 16 letters and digits, as printed under the QR code (for example 7K3M-Q9XA-2B4C-D5EF).",
                )
            })?;
            q::by_code(db, c, &code).await.or_internal()?.ok_or_else(|| {
                AppError::not_found(
                    "No current badge carries this code: it may have been replaced by a newer badge. Search by name instead.",
                )
            })?
        }
        (None, Some(r)) => r,
        (None, None) => {
            return Err(AppError::validation(
                "code",
                "Type or scan the code on the badge, or search by name.",
            ));
        }
    };
    let session = match session_id {
        None => None,
        Some(s) => Some(
            session::Entity::find_by_id(s.0)
                .filter(session::Column::ConferenceId.eq(c.0))
                .one(db)
                .await
                .or_internal()?
                .ok_or_else(|| {
                    AppError::validation("session", "There is no such session in this conference.")
                })?,
        ),
    };
    db::write(db, async |txn| {
        let found = q::arrival(txn, c, id).await.or_internal()?.ok_or_else(|| {
            AppError::not_found("There is no such registration in this conference.")
        })?;
        let name = found.name.clone();
        if let Err(why) = admits(found.registration.state()) {
            let reason = found
                .registration
                .status_reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| format!(" Reason: {r}"))
                .unwrap_or_default();
            return Err(AppError::conflict(format!(
                "{name}: {}{reason}",
                why.message()
            )));
        }
        let done = match &session {
            None => q::check_in(txn, c, id, me).await.or_internal()?,
            Some(s) => {
                if !q::holds_seat(txn, SessionId(s.id), id)
                    .await
                    .or_internal()?
                {
                    return Err(AppError::conflict(format!(
                        "{name} holds no seat in “{}”.",
                        s.title
                    )));
                }
                q::check_in_session(txn, SessionId(s.id), id, me)
                    .await
                    .or_internal()?
            }
        };
        let place = session
            .as_ref()
            .map(|s| format!(" to “{}”", s.title))
            .unwrap_or_default();
        let (outcome, message) = match done {
            CheckedIn::Now(t) => (
                CheckInOutcome::Recorded,
                format!("{name} checked in{place} at {}.", time_of(tz, t)),
            ),
            CheckedIn::Already(t) => (
                CheckInOutcome::Already,
                format!(
                    "{name} was already checked in{place} at {}.",
                    time_of(tz, t)
                ),
            ),
        };
        if outcome == CheckInOutcome::Recorded {
            db::events::append(txn, c, &domain::live::Event::registrations_changed())
                .await
                .or_internal()?;
        }
        let now = q::arrival(txn, c, id).await.or_internal()?.unwrap_or(found);
        Ok(CheckInDto {
            person: person(tz, now),
            outcome,
            message,
        })
    })
    .await
}

/// The session a desk form names (empty: the arrival at the conference); 422 when it is no
/// number.
pub fn session_of(session: Option<&str>) -> Result<Option<SessionId>, AppError> {
    match session.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(|id| Some(SessionId(id)))
            .map_err(|_| AppError::validation("session", "Choose a session from the list.")),
    }
}

/// Registrations whose name holds `name` (at most 20); with `at`, a capacity-limited session
/// of the conference, to be checked in there.
pub async fn find(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    name: &str,
    at: Option<SessionId>,
) -> Result<FoundDto, AppError> {
    let (access, _) = organiser(db, caller, slug).await?;
    let tz = tz_of(&access.conference)?;
    if name.chars().count() > 200 {
        return Err(AppError::validation(
            "name",
            "A name to search for has at most 200 characters.",
        ));
    }
    let at = match at {
        None => None,
        Some(id) => Some(
            session::Entity::find_by_id(id.0)
                .filter(session::Column::ConferenceId.eq(access.conference_id().0))
                .filter(session::Column::Capacity.is_not_null())
                .one(db)
                .await
                .or_internal()?
                .map(|s| OptionDto {
                    value: s.id.to_string(),
                    label: s.title,
                })
                .ok_or_else(|| {
                    AppError::validation("session", "Choose a session from the list.")
                })?,
        ),
    };
    let people = q::search(db, access.conference_id(), name, 20)
        .await
        .or_internal()?
        .into_iter()
        .map(|a| person(tz, a))
        .collect();
    Ok(FoundDto { people, at })
}

/// A new code for one participant's badge (a lost badge): the old one checks no one in.
pub async fn reissue(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    registration: RegistrationId,
) -> Result<Notice, AppError> {
    let (access, _) = organiser(db, caller, slug).await?;
    let c = access.conference_id();
    db::write(db, async |txn| {
        let found = q::arrival(txn, c, registration)
            .await
            .or_internal()?
            .ok_or_else(|| AppError::not_found("There is no such registration in this conference."))?;
        if found.registration.state() != Status::Accredited {
            return Err(AppError::conflict(format!("{} is not accredited: only accredited participants have badges.", found.name)));
        }
        q::reissue(txn, c, registration).await.or_internal()?;
        Ok(Notice {
            message: format!("{} has a new badge code: print the badge again. The old badge no longer checks anyone in.", found.name),
        })
    })
    .await
}

/// The badges to print: the conference's title and the rows (codes given where missing).
/// (Called by the file's route with the `access` it looked up.)
pub async fn badges(
    db: &DatabaseConnection,
    access: &Access,
    delegation: Option<&str>,
    registration: Option<&str>,
) -> Result<(String, Vec<q::BadgeRow>), AppError> {
    access.require(Action::ManageRegistrations)?;
    let number = |s: Option<&str>, field: &str| -> Result<Option<i32>, AppError> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| AppError::validation(field, "Choose one from the list.")),
        }
    };
    let whose = match (
        number(registration, "registration")?,
        number(delegation, "delegation")?,
    ) {
        (Some(r), _) => Whose::One(RegistrationId(r)),
        (None, Some(d)) => Whose::Delegation(DelegationId(d)),
        (None, None) => Whose::Everyone,
    };
    let c = access.conference_id();
    let rows = db::write(db, async |txn| q::badges(txn, c, whose).await.or_internal()).await?;
    Ok((access.conference.title.clone(), rows))
}

/// The dashboard's figures.
pub async fn dashboard(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<DashboardDto, AppError> {
    let (access, _) = organiser(db, caller, slug).await?;
    let c = access.conference_id();
    let tz = tz_of(&access.conference)?;
    let counts = q::registration_counts(db, c).await.or_internal()?;
    let times = q::registration_times(db, c).await.or_internal()?;
    // registrations over time: for each day, those made by its end, by their state now
    let mut per_day: BTreeMap<NaiveDate, [u64; 4]> = BTreeMap::new();
    for (at, state) in &times {
        let day = at.with_timezone(&tz).date_naive();
        let i = Status::ALL.iter().position(|s| s == state).unwrap_or(0);
        per_day.entry(day).or_default()[i] += 1;
    }
    let mut running = [0u64; 4];
    let days = per_day
        .into_iter()
        .map(|(day, n)| {
            for (r, x) in running.iter_mut().zip(n) {
                *r += x;
            }
            DayDto {
                day: day.format("%-d %b").to_string(),
                counts: running.to_vec(),
            }
        })
        .collect();
    let count = |f: &dyn Fn(&q::RegistrationCount) -> bool| {
        counts.iter().filter(|r| f(r)).map(|r| r.n).sum::<u64>()
    };
    let mut by_region: Vec<BarDto> = REGIONS
        .iter()
        .map(|region| BarDto {
            label: (*region).to_owned(),
            value: count(&|r| r.region.as_deref() == Some(*region)),
        })
        .collect();
    by_region.push(BarDto {
        label: "No region".to_owned(),
        value: count(&|r| r.region.as_deref().is_none_or(|x| !REGIONS.contains(&x))),
    });
    let by_category = Category::ALL
        .iter()
        .map(|cat| BarDto {
            label: cat.label().to_owned(),
            value: count(&|r| r.category == cat.as_str()),
        })
        .collect();
    // the fora with a number of seats
    let fora_rows = session::Entity::find()
        .filter(session::Column::ConferenceId.eq(c.0))
        .filter(session::Column::Capacity.is_not_null())
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await
        .or_internal()?;
    let sessions: Vec<SessionId> = fora_rows.iter().map(|s| SessionId(s.id)).collect();
    let seats: HashMap<i32, (u64, u64)> = db::enrolments::counts(db, &sessions)
        .await
        .or_internal()?
        .into_iter()
        .map(|(id, taken, waiting)| (id, (taken as u64, waiting as u64)))
        .collect();
    let checked = q::session_check_in_counts(db, &sessions)
        .await
        .or_internal()?;
    let fora = fora_rows
        .into_iter()
        .map(|s| {
            let (taken, waiting) = seats.get(&s.id).copied().unwrap_or_default();
            ForumDto {
                capacity: u64::try_from(s.capacity.unwrap_or(0)).unwrap_or(0),
                taken,
                waiting,
                checked_in: checked.get(&s.id).copied().unwrap_or(0),
                title: s.title,
            }
        })
        .collect();
    // amendments by state (drafts are their sponsors' own, and left out)
    let states = q::amendment_counts(db, c).await.or_internal()?;
    let amendments = AmendmentStatus::ALL
        .iter()
        .filter(|s| **s != AmendmentStatus::Draft)
        .map(|s| BarDto {
            label: capitalised(s.label()),
            value: states.get(s).copied().unwrap_or(0),
        })
        .collect();
    Ok(DashboardDto {
        conference: summary(&access.conference),
        total: count(&|_| true),
        queue: count(&|r| r.state == Status::Pending),
        arrived: q::arrivals_count(db, c).await.or_internal()?,
        states: Status::ALL.iter().map(|s| s.label().to_owned()).collect(),
        days,
        by_region,
        by_category,
        fora,
        amendments,
    })
}
