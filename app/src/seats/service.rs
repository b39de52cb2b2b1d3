//! Signing up for fora and the personal agenda (server side). The seat logic itself is in
//! `db::enrolments` (locking) and `domain::waiting_list` (the rules).

use crate::access::Caller;
use crate::auth::User;
use crate::dto::*;
use crate::error::{AppError, OrInternal};
use crate::programme::dto::*;
use crate::public::dto::*;
use crate::seats::dto::*;
use db::entity::registration;
use db::DatabaseConnection;
use domain::ids::{ConferenceId, PersonId, RegistrationId, SessionId};
use domain::live::Event;
use domain::notifications::Notification;
use domain::permissions::Action;
use domain::programme::SessionKind;
use domain::waiting_list::Seat;
use sea_orm::{ConnectionTrait, EntityTrait};
use std::collections::HashMap;

/// The asker's registration in the conference, if any.
async fn registration_of(
    db: &impl ConnectionTrait,
    conference_id: i32,
    user: &User,
) -> Result<Option<registration::Model>, AppError> {
    db::registrations::of_person(db, ConferenceId(conference_id), user.person())
        .await
        .or_internal()
}

pub async fn seats(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    session_id: domain::ids::SessionId,
) -> Result<SeatsDto, AppError> {
    let access = caller.access(db, slug).await?;
    let s = db::queries::session_in(db, access.conference_id(), session_id)
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("There is no such session in this conference."))?;
    let needs_sign_up = s.session_kind().is_some_and(|k| !k.is_for_everyone());
    let (_, confirmed, waitlisted) = db::enrolments::counts(db, &[SessionId(s.id)])
        .await
        .or_internal()?
        .pop()
        .unwrap_or((s.id, 0, 0));
    let mut dto = SeatsDto {
        session_id: SessionId(s.id),
        needs_sign_up,
        capacity: s.capacity,
        confirmed,
        waitlisted,
        seats_left: s
            .capacity
            .map(|c| (c.max(0) as usize).saturating_sub(confirmed)),
        my_seat: None,
        my_waiting_position: None,
        can_sign_up: false,
        why_not: None,
        can_manage: access.may(Action::ManageProgramme),
    };
    let Some(user) = &access.user else {
        dto.why_not = Some("Log in to sign up.".into());
        return Ok(dto);
    };
    let reg = registration_of(db, access.conference.id, user).await?;
    match &reg {
        Some(r) if r.state() == domain::registration::Status::Accredited => {
            if access.may(Action::SignUpForSessions) {
                dto.can_sign_up = true;
            } else {
                dto.why_not = Some(
                    domain::permissions::refusal(&access.actor, Action::SignUpForSessions).into(),
                );
            }
        }
        Some(_) => {
            dto.why_not =
                Some("You can sign up for sessions once your registration is accredited.".into())
        }
        None => dto.why_not = Some("Register for the conference to sign up for sessions.".into()),
    }
    if let Some(r) = reg {
        for (e, _, position) in db::enrolments::of_registration(db, RegistrationId(r.id))
            .await
            .or_internal()?
        {
            if e.session_id == s.id {
                dto.my_seat = Some(e.state());
                dto.my_waiting_position = position;
            }
        }
    }
    Ok(dto)
}

/// Tell the people promoted from a waiting list (outbox, inside the same transaction).
pub(crate) async fn tell_promoted(
    txn: &impl ConnectionTrait,
    session_title: &str,
    agenda_url: &str,
    registrations: &[i32],
) -> Result<(), AppError> {
    for r in registrations {
        let Some(reg) = registration::Entity::find_by_id(*r)
            .one(txn)
            .await
            .or_internal()?
        else {
            continue;
        };
        let body = format!(
            "Good news: a seat freed up in “{session_title}”, and it is yours. You no longer need to wait.\n\nYour agenda: {agenda_url}\n\nIf you cannot come after all, please cancel there so that the next person gets the seat.{}",
            crate::accounts::service::OPT_OUT_LINE
        );
        let sent = db::notifications::notify(
            txn,
            ConferenceId(reg.conference_id),
            PersonId(reg.person_id),
            Notification::Promoted,
            &format!("You have a seat: {session_title}"),
            &body,
        )
        .await
        .or_internal()?;
        if sent {
            tracing::info!(target: "outbox", registration = reg.id, "promoted from the waiting list of {session_title}");
        }
    }
    Ok(())
}

fn refused(r: db::enrolments::Refusal) -> AppError {
    use db::enrolments::Refusal::*;
    match r {
        NoSuchSession => AppError::not_found(r.to_string()),
        NotAccredited => AppError::forbidden(r.to_string()),
        _ => AppError::conflict(r.to_string()),
    }
}

/// Sign the caller up for `session_id`: written by `desk` in the next turn of sign-ups to the
/// session (with everyone else's who signs up for it at that moment), answered after its commit.
pub async fn sign_up(
    db: &DatabaseConnection,
    desk: &db::enrolments::Desk,
    caller: &Caller,
    slug: &str,
    session_id: domain::ids::SessionId,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::SignUpForSessions)?;
    let reg = registration_of(db, access.conference.id, user)
        .await?
        .ok_or_else(|| {
            AppError::forbidden("Register for the conference to sign up for sessions.")
        })?;
    let change = desk
        .sign_up(access.conference_id(), session_id, RegistrationId(reg.id))
        .await
        .or_internal()?
        .map_err(refused)?;
    Ok(Notice {
        message: match (change.seat, change.waiting_position) {
            (Seat::Confirmed, _) => "You have a seat. It is on your agenda.".into(),
            (_, Some(n)) => format!(
                "The session is full: you are number {n} on the waiting list. You get a seat automatically when one frees up, and we will tell you."
            ),
            _ => "You are on the waiting list.".into(),
        },
    })
}

pub async fn cancel(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    session_id: domain::ids::SessionId,
    public_url: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::SignUpForSessions)?;
    let reg = registration_of(db, access.conference.id, user)
        .await?
        .ok_or_else(|| AppError::conflict("You are not signed up for this session."))?;
    db::write(db, async |txn| {
        let change = db::enrolments::cancel(
            txn,
            access.conference_id(),
            session_id,
            RegistrationId(reg.id),
        )
        .await?
        .map_err(refused)?;
        db::events::append(
            txn,
            access.conference_id(),
            &Event::seats_changed(session_id),
        )
        .await
        .or_internal()?;
        if !change.promoted.is_empty() {
            let title = db::queries::session_in(txn, access.conference_id(), session_id)
                .await
                .or_internal()?
                .map(|s| s.title)
                .unwrap_or_default();
            let agenda = format!("{public_url}/conferences/{slug}/agenda");
            tell_promoted(txn, &title, &agenda, &change.promoted).await?;
        }
        Ok(Notice {
            message: "Cancelled. Your seat has gone to the next person waiting, if there was one."
                .into(),
        })
    })
    .await
}

/// The organiser sets how many seats a session has (empty: no limit). Extra seats go at once to
/// the people waiting, who are told; fewer seats take no confirmed seat away.
pub async fn set_capacity(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    session_id: domain::ids::SessionId,
    capacity: &str,
    public_url: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageProgramme)?;
    let capacity = parse_capacity(capacity)?;
    db::write(db, async |txn| {
        let promoted =
            db::enrolments::set_capacity(txn, access.conference_id(), session_id, capacity)
                .await?
                .map_err(refused)?;
        db::events::append(txn, access.conference_id(), &Event::seats_changed(session_id))
            .await
            .or_internal()?;
        let session = db::queries::session_in(txn, access.conference_id(), session_id)
            .await
            .or_internal()?
            .ok_or_else(|| AppError::not_found("There is no such session in this conference."))?;
        if !promoted.is_empty() {
            let agenda = format!("{public_url}/conferences/{slug}/agenda");
            tell_promoted(txn, &session.title, &agenda, &promoted).await?;
        }
        let (_, confirmed, _) = db::enrolments::counts(txn, &[session_id])
            .await
            .or_internal()?
            .pop()
            .unwrap_or((session_id.0, 0, 0));
        let mut message = match capacity {
            Some(n) => format!("“{}” now has {n} seats.", session.title),
            None => format!("“{}” now has no seat limit.", session.title),
        };
        match promoted.len() {
            0 => {}
            1 => message.push_str(" 1 person moved from the waiting list to a seat and was told."),
            n => message.push_str(&format!(
                " {n} people moved from the waiting list to a seat and were told."
            )),
        }
        if let Some(n) = capacity {
            if confirmed > n as usize {
                message.push_str(&format!(
                    " {confirmed} people already have a seat: nobody loses theirs, and nobody new gets one until enough cancel."
                ));
            }
        }
        Ok(Notice { message })
    })
    .await
}

/// A number of seats as typed by the organiser: empty for no limit, else 1 to 100,000.
pub fn parse_capacity(s: &str) -> Result<Option<i32>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(n) if (1..=100_000).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::validation(
            "capacity",
            "Enter a whole number of seats from 1 to 100,000, or leave it empty for no limit.",
        )),
    }
}

pub async fn agenda(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<AgendaDto, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.user.clone().ok_or_else(AppError::unauthorised)?;
    agenda_of(db, &access.conference, user.person_id, user.name).await
}

/// The personal agenda of `person_id`: the sessions they signed up for (with their seat)
/// and the plenaries and ceremonies everyone attends.
pub async fn agenda_of(
    db: &DatabaseConnection,
    conference: &db::entity::conference::Model,
    person_id: i32,
    person_name: String,
) -> Result<AgendaDto, AppError> {
    let tz = crate::public::service::tz_of(conference)?;
    // the agenda follows the released programme
    let (_, snap) = crate::public::service::released(db, conference).await?;
    let mut seat_of: HashMap<i32, (AgendaSeat, Option<usize>)> = HashMap::new();
    let reg = db::registrations::of_person(db, ConferenceId(conference.id), PersonId(person_id))
        .await
        .or_internal()?;
    if let Some(reg) = reg {
        for (e, _, position) in db::enrolments::of_registration(db, RegistrationId(reg.id))
            .await
            .or_internal()?
        {
            let seat = match e.state() {
                Seat::Waitlisted => AgendaSeat::Waitlisted,
                _ => AgendaSeat::Confirmed,
            };
            seat_of.insert(e.session_id, (seat, position));
        }
    }
    let dtos: Vec<SessionDto> = snap
        .sessions
        .iter()
        .filter(|s| {
            seat_of.contains_key(&s.id)
                || (s.kind.is_for_everyone() && s.kind != SessionKind::Break)
        })
        .map(|s| crate::public::service::session_dto(tz, s))
        .collect();
    let items = dtos
        .into_iter()
        .map(|s| {
            let (seat, waiting_position) = seat_of
                .get(&s.id.0)
                .cloned()
                .unwrap_or((AgendaSeat::Everyone, None));
            AgendaItemDto {
                session: s,
                seat,
                waiting_position,
            }
        })
        .collect();
    let has_feed =
        db::accounts::has_calendar_feed(db, PersonId(person_id), ConferenceId(conference.id))
            .await
            .or_internal()?;
    Ok(AgendaDto {
        conference: crate::public::service::summary(conference),
        person_name,
        items,
        has_feed,
    })
}

/// A new secret calendar address (the old one stops working); shown once.
pub async fn new_calendar_link(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    public_url: &str,
) -> Result<CalendarLinkDto, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.user.clone().ok_or_else(AppError::unauthorised)?;
    db::write(db, async |txn| {
        let token = db::accounts::new_calendar_feed(txn, user.person(), access.conference_id())
            .await
            .or_internal()?;
        let url = format!("{public_url}/calendar/{token}.ics");
        Ok(CalendarLinkDto {
            webcal: webcal(&url),
            url,
        })
    })
    .await
}

/// An `http(s)://` address as the `webcal://` address calendar apps subscribe to.
pub fn webcal(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") =>
        {
            format!("webcal://{rest}")
        }
        _ => url.to_owned(),
    }
}

pub async fn revoke_calendar_link(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.user.clone().ok_or_else(AppError::unauthorised)?;
    db::write(db, async |txn| {
        let n = db::accounts::revoke_calendar_feeds(txn, user.person(), access.conference_id())
            .await
            .or_internal()?;
        Ok(Notice {
            message: if n > 0 {
                "Your calendar address is turned off: calendars subscribed to it stop updating."
                    .into()
            } else {
                "You had no calendar address.".into()
            },
        })
    })
    .await
}

/// The host part of the public address, for calendar UIDs.
fn uid_host(public_url: &str) -> &str {
    public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .split('/')
        .next()
        .unwrap_or("plenary")
}

/// One session as a VEVENT: times in UTC, and a UID that is the same in every calendar file of
/// this site (the agenda, the feed, the session's own file), so calendar apps merge them.
fn session_event(
    s: &SessionDto,
    summary: String,
    description: &str,
    slug: &str,
    public_url: &str,
) -> Option<icalendar::Event> {
    use icalendar::{Component, Event, EventLike};
    let (Ok(start), Ok(end)) = (
        chrono::DateTime::parse_from_rfc3339(&s.starts_at),
        chrono::DateTime::parse_from_rfc3339(&s.ends_at),
    ) else {
        tracing::warn!(
            session = s.id.0,
            "session with unreadable times left out of a calendar"
        );
        return None;
    };
    let mut e = Event::new();
    e.uid(&format!("session-{}@{}", s.id, uid_host(public_url)))
        .summary(&ics_text(&summary))
        .description(&ics_text(description))
        .starts(start.with_timezone(&chrono::Utc))
        .ends(end.with_timezone(&chrono::Utc))
        .add_property("SEQUENCE", s.sequence.to_string())
        .url(&format!(
            "{public_url}/conferences/{slug}/sessions/{}",
            s.id
        ));
    if let Some(room) = &s.room {
        e.location(&ics_text(room));
    }
    Some(e.done())
}

/// Text for an iCalendar property: line breaks as `\n` (the crate escapes them), every other
/// control character dropped. A bare carriage return would otherwise end the content line in
/// some parsers and start a property of the writer's choosing.
fn ics_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// The agenda as iCalendar: one VEVENT per session, times in UTC, stable UIDs.
pub fn agenda_ics(a: &AgendaDto, public_url: &str) -> String {
    use icalendar::Calendar;
    let mut cal = Calendar::new();
    cal.name(&format!("{} — {}", a.conference.title, a.person_name));
    for item in &a.items {
        let s = &item.session;
        let mut desc = String::new();
        if item.seat == AgendaSeat::Waitlisted {
            desc.push_str(&format!(
                "On the waiting list (number {}).\n\n",
                item.waiting_position.unwrap_or(0)
            ));
        }
        desc.push_str(&s.description);
        let summary = if item.seat == AgendaSeat::Waitlisted {
            format!("{} (waiting list)", s.title)
        } else {
            s.title.clone()
        };
        if let Some(e) = session_event(s, summary, &desc, &a.conference.slug, public_url) {
            cal.push(e);
        }
    }
    cal.done().to_string()
}

/// The released programme as a calendar file.
pub fn programme_ics(p: &ProgrammeDto, public_url: &str) -> String {
    use icalendar::Calendar;
    let mut cal = Calendar::new();
    cal.name(&format!("{} — programme", p.conference.title));
    for s in &p.sessions {
        if let Some(e) = session_event(
            s,
            s.title.clone(),
            &s.description,
            &p.conference.slug,
            public_url,
        ) {
            cal.push(e);
        }
    }
    cal.done().to_string()
}

/// One session as a calendar file.
pub fn session_ics(p: &SessionPageDto, public_url: &str) -> String {
    use icalendar::Calendar;
    let mut cal = Calendar::new();
    cal.name(&p.conference.title);
    if let Some(e) = session_event(
        &p.session,
        p.session.title.clone(),
        &p.session.description,
        &p.conference.slug,
        public_url,
    ) {
        cal.push(e);
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::ics_text;

    #[test]
    fn calendar_text_has_no_bare_carriage_return_or_control_character() {
        let t = ics_text("Forum\rX-INJECTED:1\r\nnext line\u{0}\u{7}\ttab");
        assert!(!t.contains('\r'), "{t:?}");
        assert!(!t.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        assert_eq!(t, "Forum\nX-INJECTED:1\nnext line\ttab");
    }
}
