//! The organisers' programme (server side): rooms, sessions, clashes and releases. The rules
//! are in `domain::schedule`, `domain::clashes` and `domain::releases`; the writes in
//! `db::programme`. Every function here starts with who is asking and whether they may.

pub mod frab;

use crate::access::Caller;
use crate::dto::*;
use crate::error::{AppError, OrInternal};
use crate::programme::dto::*;
use crate::public::service::{release_summary, session_dto, tz_of};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use db::entity::conference;
use db::programme::{SessionFields, Snapshot, Stale};
use db::DatabaseConnection;
use domain::clashes::{self, Clash, Slot};
use domain::ids::{ConferenceId, RoomId, SessionId};
use domain::live::Event;
use domain::permissions::Action;
use domain::programme::SessionKind;
use domain::releases::Change;
use domain::releases::ChangeKind;
use domain::schedule::{RawSession, RoomForm, SessionForm};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;

fn field(e: domain::registration::FieldError) -> AppError {
    AppError::validation(e.field, e.message)
}

/// The conference's span as the clash rules want it: `[first day 00:00, day after the last
/// 00:00)` in its own time zone, in seconds.
fn window(c: &conference::Model, tz: Tz) -> (i64, i64) {
    let at = |d: chrono::NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|n| tz.from_local_datetime(&n).earliest())
            .map(|t| t.timestamp())
    };
    let end = c.end_date.succ_opt().unwrap_or(c.end_date);
    (
        at(c.start_date).unwrap_or(i64::MIN),
        at(end).unwrap_or(i64::MAX),
    )
}

/// A `YYYY-MM-DDTHH:MM` of the conference's clock as an instant. A time the clocks skip is
/// refused; a time they pass twice is taken the first time.
fn instant(tz: Tz, local: &str, name: &'static str) -> Result<DateTime<Utc>, AppError> {
    let n = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
        .map_err(|_| AppError::validation(name, "Give a date and a time."))?;
    tz.from_local_datetime(&n)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            AppError::validation(
                name,
                format!("{local} does not exist in {tz}: the clocks skip it. Choose another time."),
            )
        })
}

fn local_input(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// Names for the words of a clash.
struct Names {
    sessions: HashMap<i64, String>,
    rooms: HashMap<i64, String>,
    people: HashMap<i64, String>,
}

impl Names {
    async fn load(
        db: &impl ConnectionTrait,
        snap: &Snapshot,
        extra: Option<(i64, &str)>,
    ) -> Result<Names, AppError> {
        let mut sessions: HashMap<i64, String> = snap
            .sessions
            .iter()
            .map(|s| (s.id as i64, s.title.clone()))
            .collect();
        if let Some((id, title)) = extra {
            sessions.insert(id, title.to_string());
        }
        let rooms = snap
            .rooms
            .iter()
            .map(|r| (r.id as i64, r.name.clone()))
            .collect();
        let ids: Vec<SessionId> = snap.sessions.iter().map(|s| SessionId(s.id)).collect();
        let people = db::queries::session_people(db, &ids)
            .await
            .or_internal()?
            .into_iter()
            .map(|(_, p)| (p.id as i64, p.name))
            .collect();
        Ok(Names {
            sessions,
            rooms,
            people,
        })
    }

    fn session(&self, id: i64) -> String {
        self.sessions
            .get(&id)
            .map(|t| format!("“{t}”"))
            .unwrap_or_else(|| "this session".into())
    }

    fn describe(&self, c: &Clash, acknowledged: &[String]) -> ClashDto {
        let room = |id: i64| {
            self.rooms
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "a room".into())
        };
        let (rule, message) = match *c {
            Clash::RoomDoubleBooked { room: r, a, b } => (
                "room",
                format!(
                    "{} is booked twice: {} and {} overlap.",
                    room(r),
                    self.session(a),
                    self.session(b)
                ),
            ),
            Clash::PersonDoubleBooked { person, a, b } => (
                "person",
                format!(
                    "{} is in two places at once: {} and {}.",
                    self.people
                        .get(&person)
                        .cloned()
                        .unwrap_or_else(|| "A chair or speaker".into()),
                    self.session(a),
                    self.session(b)
                ),
            ),
            Clash::DuringPlenary { session, plenary } => (
                "plenary",
                format!(
                    "{} is scheduled during {}, which is for everyone.",
                    self.session(session),
                    self.session(plenary)
                ),
            ),
            Clash::OverRoomCapacity {
                session,
                room: r,
                capacity,
                room_capacity,
            } => (
                "capacity",
                format!(
                    "{} admits {capacity} people but {} seats {room_capacity}.",
                    self.session(session),
                    room(r)
                ),
            ),
            Clash::OutsideConference { session } => (
                "dates",
                format!(
                    "{} is not within the conference's dates.",
                    self.session(session)
                ),
            ),
        };
        let key = c.key();
        ClashDto {
            acknowledged: acknowledged.contains(&key),
            key,
            rule: rule.into(),
            message,
            sessions: c
                .sessions()
                .into_iter()
                .map(|s| SessionId(s as i32))
                .collect(),
        }
    }
}

/// Every clash of the working programme, in words.
async fn all_clashes(
    db: &impl ConnectionTrait,
    c: &conference::Model,
    tz: Tz,
    snap: &Snapshot,
) -> Result<Vec<ClashDto>, AppError> {
    let slots = db::programme::slots(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let rooms = db::programme::clash_rooms(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let found = clashes::clashes(&slots, &rooms, window(c, tz));
    let acked = db::programme::acknowledged(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let names = Names::load(db, snap, None).await?;
    Ok(found.iter().map(|x| names.describe(x, &acked)).collect())
}

fn change_dto(tz: Tz, c: &Change) -> ChangeDto {
    let t = |s: i64| DateTime::<Utc>::from_timestamp(s, 0).map(|t| t.with_timezone(&tz));
    let when = |s: i64| {
        t(s).map(|t| t.format("%A %-d %B, %H:%M").to_string())
            .unwrap_or_default()
    };
    let span = |(a, b): (i64, i64)| match (t(a), t(b)) {
        (Some(a), Some(b)) => format!(
            "{}, {}–{}",
            a.format("%A %-d %B"),
            a.format("%H:%M"),
            b.format("%H:%M")
        ),
        _ => String::new(),
    };
    let room = |r: &Option<String>| r.clone().unwrap_or_else(|| "no room".into());
    let (change, id, title, detail) = match c {
        Change::Added {
            id,
            title,
            start,
            room: r,
        } => (
            ChangeKind::Added,
            id,
            title,
            format!("{}, {}", when(*start), room(r)),
        ),
        Change::Removed { id, title, start } => (
            ChangeKind::Removed,
            id,
            title,
            format!("was {}", when(*start)),
        ),
        Change::Retimed {
            id,
            title,
            from,
            to,
        } => (
            ChangeKind::Retimed,
            id,
            title,
            format!("from {} to {}", span(*from), span(*to)),
        ),
        Change::Moved {
            id,
            title,
            from,
            to,
        } => (
            ChangeKind::Moved,
            id,
            title,
            format!("from {} to {}", room(from), room(to)),
        ),
        Change::Updated { id, title } => (
            ChangeKind::Updated,
            id,
            title,
            "description, people or seats changed".to_string(),
        ),
    };
    ChangeDto {
        change,
        session_id: SessionId(*id as i32),
        title: title.clone(),
        detail,
    }
}

/// The organisers' view: working programme, clashes, and what releasing would change.
pub async fn manage(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<ManageDto, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageProgramme)?;
    let c = &access.conference;
    let tz = tz_of(c)?;
    let (snap, revisions) = db::programme::working_with_revisions(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let clashes = all_clashes(db, c, tz, &snap).await?;
    let open: Vec<&ClashDto> = clashes.iter().filter(|x| !x.acknowledged).collect();
    let latest = db::programme::latest_cached(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let before: Vec<_> = latest
        .as_ref()
        .map(|(_, s)| s.sessions.iter().map(|x| x.entry()).collect())
        .unwrap_or_default();
    let now: Vec<_> = snap.sessions.iter().map(|x| x.entry()).collect();
    let pending = domain::releases::changes(&before, &now)
        .iter()
        .map(|x| change_dto(tz, x))
        .collect();
    let rooms_in_use = {
        let mut v: Vec<RoomId> = snap
            .sessions
            .iter()
            .filter_map(|s| s.room_id)
            .map(RoomId)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    Ok(ManageDto {
        conference: crate::public::service::summary(c),
        rooms: snap
            .rooms
            .iter()
            .map(|r| ManagedRoomDto {
                id: RoomId(r.id),
                name: r.name.clone(),
                capacity: r.capacity,
                revision: revisions.rooms.get(&r.id).copied().unwrap_or(0),
            })
            .collect(),
        rooms_in_use,
        sessions: snap
            .sessions
            .iter()
            .map(|s| ManagedSessionDto {
                session: session_dto(tz, s),
                revision: revisions.sessions.get(&s.id).copied().unwrap_or(0),
                open_clashes: open
                    .iter()
                    .filter(|x| x.sessions.contains(&SessionId(s.id)))
                    .count(),
            })
            .collect(),
        open_clashes: open.len(),
        clashes,
        latest_release: latest.as_ref().map(|(r, _)| release_summary(tz, r)),
        pending,
    })
}

/// The session form: empty (`id` None) or filled from the working programme.
pub async fn session_form(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    id: Option<domain::ids::SessionId>,
) -> Result<SessionFormDto, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageProgramme)?;
    let c = &access.conference;
    let tz = tz_of(c)?;
    let (snap, revisions) = db::programme::working_with_revisions(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let kinds = SessionKind::ALL
        .iter()
        .map(|k| OptionDto {
            value: k.as_str().into(),
            label: k.label().into(),
        })
        .collect();
    let rooms = snap
        .rooms
        .iter()
        .map(|r| OptionDto {
            value: r.id.to_string(),
            label: format!("{} ({} seats)", r.name, r.capacity),
        })
        .collect();
    let all_key_features = domain::key_features::KEY_FEATURES
        .iter()
        .map(|k| KeyFeatureRef {
            code: k.code.into(),
            title: k.title.into(),
        })
        .collect();
    let first = c.start_date.format("%Y-%m-%d");
    let mut dto = SessionFormDto {
        conference: crate::public::service::summary(c),
        id: None,
        revision: 0,
        kind: SessionKind::ThematicForum,
        title: String::new(),
        description: String::new(),
        room_id: None,
        start: format!("{first}T09:00"),
        end: format!("{first}T10:30"),
        capacity: None,
        region: None,
        chairs: String::new(),
        speakers: String::new(),
        key_features: vec![],
        kinds,
        rooms,
        all_key_features,
        clashes: vec![],
        min: format!("{first}T00:00"),
        max: format!("{}T23:59", c.end_date.format("%Y-%m-%d")),
    };
    if let Some(id) = id {
        let s = snap.sessions.iter().find(|s| s.id == id.0).ok_or_else(|| {
            AppError::not_found(format!("There is no session {id} in this conference."))
        })?;
        dto.id = Some(id);
        dto.revision = revisions.sessions.get(&id.0).copied().unwrap_or(0);
        dto.kind = s.kind;
        dto.title = s.title.clone();
        dto.description = s.description.clone();
        dto.room_id = s.room_id.map(RoomId);
        dto.start = local_input(tz, s.starts_at);
        dto.end = local_input(tz, s.ends_at);
        dto.capacity = s.capacity;
        dto.region = s.region.clone();
        dto.chairs = s.chairs.join("\n");
        dto.speakers = s.speakers.join("\n");
        dto.key_features = s.key_features.clone();
        dto.clashes = all_clashes(db, c, tz, &snap)
            .await?
            .into_iter()
            .filter(|x| x.sessions.contains(&id))
            .collect();
    }
    Ok(dto)
}

/// A checked form: fields with instants, Key Feature codes.
fn checked(
    tz: Tz,
    raw: &RawSession<'_>,
    key_features: &[String],
) -> Result<(SessionFields, Vec<&'static str>), AppError> {
    let f = SessionForm::parse(raw).map_err(field)?;
    let codes = domain::key_features::parse_codes(key_features).ok_or_else(|| {
        AppError::validation("key_features", "Choose among the twelve Key Features.")
    })?;
    let starts_at = instant(tz, &f.start, "start")?;
    let ends_at = instant(tz, &f.end, "end")?;
    if ends_at <= starts_at {
        return Err(AppError::validation(
            "end",
            "The session must end after it starts (mind the change of the clocks).",
        ));
    }
    Ok((
        SessionFields {
            kind: f.kind,
            title: f.title,
            description: f.description,
            room_id: f.room_id,
            starts_at,
            ends_at,
            capacity: f.capacity,
            region: f.region,
            chairs: f.chairs,
            speakers: f.speakers,
        },
        codes,
    ))
}

/// The clashes the form's session would have (for `id`, against the rest of the programme).
async fn clashes_of_form(
    db: &impl ConnectionTrait,
    c: &conference::Model,
    tz: Tz,
    id: Option<i32>,
    f: &SessionFields,
) -> Result<Vec<ClashDto>, AppError> {
    if let Some(r) = f.room_id {
        if !db::queries::rooms(db, ConferenceId(c.id))
            .await
            .or_internal()?
            .iter()
            .any(|x| x.id == r)
        {
            return Err(AppError::validation(
                "room_id",
                "Choose one of the conference's rooms.",
            ));
        }
    }
    let mut names: Vec<String> = f.chairs.clone();
    names.extend(f.speakers.iter().cloned());
    let people = db::programme::people_named(db, &names)
        .await
        .or_internal()?;
    // a new session has no id yet: 0 is never one
    let me = id.unwrap_or(0) as i64;
    let candidate = Slot {
        id: me,
        kind: f.kind,
        room: f.room_id.map(i64::from),
        start: f.starts_at.timestamp(),
        end: f.ends_at.timestamp(),
        capacity: f.capacity.and_then(|x| u32::try_from(x).ok()),
        people: people.values().map(|p| *p as i64).collect(),
    };
    let others = db::programme::slots(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let rooms = db::programme::clash_rooms(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let found = clashes::clashes_of(&candidate, &others, &rooms, window(c, tz));
    let acked = db::programme::acknowledged(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let snap = db::programme::working(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let mut names = Names::load(db, &snap, Some((me, &f.title))).await?;
    for (n, p) in &people {
        let shown = f
            .chairs
            .iter()
            .chain(f.speakers.iter())
            .find(|x| x.to_lowercase() == *n)
            .cloned()
            .unwrap_or_default();
        names.people.entry(*p as i64).or_insert(shown);
    }
    Ok(found.iter().map(|x| names.describe(x, &acked)).collect())
}

/// The clashes a session would have if saved as the form says (shown while editing).
pub async fn check_session(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    id: Option<domain::ids::SessionId>,
    raw: &RawSession<'_>,
) -> Result<Vec<ClashDto>, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageProgramme)?;
    let tz = tz_of(&access.conference)?;
    let (f, _) = checked(tz, raw, &[])?;
    clashes_of_form(db, &access.conference, tz, id.map(|x| x.0), &f).await
}

fn stale(s: Stale) -> AppError {
    match s {
        Stale::Gone => AppError::not_found("That session is no longer in the programme."),
        Stale::Changed(_) => AppError::conflict(
            "Someone else saved this session after you opened it. Nothing was saved: reload the \
             form to see their changes, then make yours again.",
        ),
    }
}

/// Save a session (new if `id` is None). With clashes that are not yet acknowledged, nothing is
/// saved unless `acknowledge` is set, which records them as accepted.
#[allow(clippy::too_many_arguments)]
pub async fn save_session(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    public_url: &str,
    id: Option<domain::ids::SessionId>,
    revision: i32,
    raw: &RawSession<'_>,
    key_features: &[String],
    acknowledge: bool,
) -> Result<SessionSavedDto, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::ManageProgramme)?;
    let c = &access.conference;
    let tz = tz_of(c)?;
    let (f, codes) = checked(tz, raw, key_features)?;
    db::write(db, async |txn| {
        let old_capacity = match id {
            Some(id) => db::queries::session_in(txn, ConferenceId(c.id), id)
                .await
                .or_internal()?
                .map(|s| s.capacity),
            None => None,
        };
        let before = clashes_of_form(txn, c, tz, id.map(|x| x.0), &f).await?;
        let open: Vec<&ClashDto> = before.iter().filter(|x| !x.acknowledged).collect();
        if !open.is_empty() && !acknowledge {
            let list: Vec<&str> = open.iter().map(|x| x.message.as_str()).collect();
            return Err(AppError {
                kind: crate::error::ErrorKind::Conflict,
                message: format!(
                    "Not saved: {} To save it all the same, tick “Save with these clashes”.",
                    list.join(" ")
                ),
                field: Some("acknowledge".into()),
                retry_after: None,
                detail: None,
            });
        }
        let saved = db::programme::save_session(txn, ConferenceId(c.id), id, revision, &f)
            .await?
            .map_err(stale)?;
        // more seats go at once to the people waiting, who are told (as on the session page)
        let mut promoted = Vec::new();
        if old_capacity.is_some_and(|old| old != f.capacity) {
            promoted = match db::enrolments::set_capacity(
                txn,
                ConferenceId(c.id),
                SessionId(saved.id),
                f.capacity,
            )
            .await
            .or_internal()?
            {
                Ok(p) => p,
                Err(_) => {
                    return Err(AppError::not_found(
                        "That session is no longer in the programme.",
                    ));
                }
            };
            db::events::append(
                txn,
                ConferenceId(c.id),
                &Event::seats_changed(SessionId(saved.id)),
            )
            .await
            .or_internal()?;
            if !promoted.is_empty() {
                let agenda = format!("{public_url}/conferences/{slug}/agenda");
                crate::seats::service::tell_promoted(txn, &f.title, &agenda, &promoted).await?;
            }
        }
        db::queries::set_session_key_features(txn, ConferenceId(c.id), SessionId(saved.id), &codes)
            .await
            .or_internal()?;
        let revision = db::queries::session_in(txn, ConferenceId(c.id), SessionId(saved.id))
            .await
            .or_internal()?
            .map_or(saved.revision, |s| s.revision);
        // the clashes under the session's real id (a new one had none before)
        let after = clashes_of_form(txn, c, tz, Some(saved.id), &f).await?;
        if acknowledge {
            let keys: Vec<String> = after.iter().map(|x| x.key.clone()).collect();
            db::programme::acknowledge(txn, ConferenceId(c.id), user.person(), &keys)
                .await
                .or_internal()?;
        }
        let mut message = match (id, after.len()) {
            (None, 0) => "The session is added to the working programme.".to_string(),
            (Some(_), 0) => "The session is saved.".to_string(),
            (_, n) => format!(
                "The session is saved, with {n} acknowledged clash{}.",
                if n == 1 { "" } else { "es" }
            ),
        };
        match promoted.len() {
            0 => {}
            1 => message.push_str(" 1 person moved from the waiting list to a seat and was told."),
            n => message.push_str(&format!(
                " {n} people moved from the waiting list to a seat and were told."
            )),
        }
        Ok(SessionSavedDto {
            id: SessionId(saved.id),
            revision,
            message,
            clashes: after
                .into_iter()
                .map(|mut x| {
                    x.acknowledged = x.acknowledged || acknowledge;
                    x
                })
                .collect(),
        })
    })
    .await
}

pub async fn delete_session(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    id: domain::ids::SessionId,
    revision: i32,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageProgramme)?;
    db::write(db, async |txn| {
        match db::programme::delete_session(txn, access.conference_id(), id, revision)
            .await
            .or_internal()?
        {
            Ok(()) => Ok(Notice {
                message: "The session is removed from the working programme; the next release \
                              will show it as removed."
                    .into(),
            }),
            Err(r) => Err(match r {
                db::programme::DeleteRefusal::Stale(s) => stale(s),
                db::programme::DeleteRefusal::People(n) => AppError::conflict(format!(
                    "{n} {} signed up for this session. Move it instead, or ask them to cancel \
                         first.",
                    if n == 1 { "person has" } else { "people have" }
                )),
            }),
        }
    })
    .await
}

pub async fn save_room(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    id: Option<domain::ids::RoomId>,
    revision: Option<i32>,
    name: &str,
    capacity: &str,
) -> Result<ManagedRoomDto, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageProgramme)?;
    let f = RoomForm::parse(name, capacity).map_err(field)?;
    let revision = match (id, revision) {
        (None, _) => 0,
        (Some(_), Some(r)) => r,
        (Some(_), None) => {
            return Err(AppError::validation(
                "revision",
                "Say which revision of the room this change is to (reload the page).",
            ))
        }
    };
    db::write(db, async |txn| {
        let rooms = db::queries::rooms(txn, access.conference_id())
            .await
            .or_internal()?;
        let taken = rooms.iter().any(|r| {
            Some(r.id) != id.map(|x| x.0) && r.name.to_lowercase() == f.name.to_lowercase()
        });
        if taken {
            return Err(AppError::validation(
                "name",
                "There is already a room with this name.",
            ));
        }
        let saved = db::programme::save_room(
            txn,
            access.conference_id(),
            id,
            revision,
            &f.name,
            f.capacity,
        )
        .await
        .or_internal()?;
        let r = match saved {
            Ok(r) => r,
            Err(Stale::Gone) => {
                return Err(AppError::not_found(
                    "There is no such room in this conference.",
                ));
            }
            Err(Stale::Changed(_)) => {
                let name = rooms
                    .iter()
                    .find(|r| Some(r.id) == id.map(|x| x.0))
                    .map(|r| format!("“{}”", r.name))
                    .unwrap_or_else(|| "this room".into());
                return Err(AppError::conflict(format!(
                    "Someone else changed {name} since you opened the page; the page now shows \
                     their change. Make yours again if it is still needed."
                )));
            }
        };
        Ok(ManagedRoomDto {
            id: RoomId(r.id),
            name: r.name,
            capacity: r.capacity,
            revision: r.revision,
        })
    })
    .await
}

pub async fn delete_room(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    id: domain::ids::RoomId,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageProgramme)?;
    db::write(db, async |txn| {
        match db::programme::delete_room(txn, access.conference_id(), id)
            .await
            .or_internal()?
        {
            None => Err(AppError::not_found(
                "There is no such room in this conference.",
            )),
            Some(Err(n)) => Err(AppError::conflict(format!(
                "{n} session{} in this room. Move {} to another room first.",
                if n == 1 { " is" } else { "s are" },
                if n == 1 { "it" } else { "them" }
            ))),
            Some(Ok(())) => Ok(Notice {
                message: "The room is deleted.".into(),
            }),
        }
    })
    .await
}

/// Accept a clash of the working programme as it is.
pub async fn acknowledge_clash(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    key: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::ManageProgramme)?;
    let c = &access.conference;
    let tz = tz_of(c)?;
    db::write(db, async |txn| {
        let snap = db::programme::working(txn, ConferenceId(c.id))
            .await
            .or_internal()?;
        if !all_clashes(txn, c, tz, &snap)
            .await?
            .iter()
            .any(|x| x.key == key)
        {
            return Err(AppError::not_found(
                "That clash is no longer in the programme: someone resolved it.",
            ));
        }
        db::programme::acknowledge(txn, ConferenceId(c.id), user.person(), &[key.to_string()])
            .await
            .or_internal()?;
        Ok(Notice {
            message: "The clash is acknowledged: it no longer holds up the release.".into(),
        })
    })
    .await
}

/// Release the working programme as the next version.
pub async fn release(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    changelog: &str,
) -> Result<ReleaseDto, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::ManageProgramme)?;
    let changelog = domain::schedule::changelog(changelog).map_err(field)?;
    let c = &access.conference;
    let tz = tz_of(c)?;
    db::write(db, async |txn| {
        let snap = db::programme::working(txn, ConferenceId(c.id)).await.or_internal()?;
        let open: Vec<ClashDto> = all_clashes(txn, c, tz, &snap)
            .await?
            .into_iter()
            .filter(|x| !x.acknowledged)
            .collect();
        if !open.is_empty() {
            return Err(AppError::conflict(format!(
                "Not released: {} clash{} neither resolved nor acknowledged. Resolve or acknowledge \
                 {} on the clashes page first.",
                open.len(),
                if open.len() == 1 { " is" } else { "es are" },
                if open.len() == 1 { "it" } else { "each" }
            )));
        }
        let released = match db::programme::release(txn, ConferenceId(c.id), Some(user.person()), &changelog)
            .await
        {
            Ok(Some(r)) => r,
            Ok(None) => {
                return Err(AppError::conflict(
                    "Nothing has changed since the last release: there is nothing to release.",
                ));
            }
            Err(e) => {
                tracing::warn!(error = %e, "release failed (a concurrent release?)");
                return Err(AppError::conflict(
                    "Another release was made at the same moment. Reload the page and check what \
                     is left to release.",
                ));
            }
        };
        db::events::append(
            txn,
            ConferenceId(c.id),
            &Event::programme_released(released.number.max(0) as u32),
        )
        .await
        .or_internal()?;
        tell_seat_holders(txn, c, tz, &released, &caller.site.public_url).await?;
        release_dto(tz, &released)
    })
    .await
}

/// Tells everyone with a seat in a session that release `released` moved to another room or
/// time (outbox, in the release's transaction; each may turn this off).
async fn tell_seat_holders(
    txn: &impl ConnectionTrait,
    c: &conference::Model,
    tz: Tz,
    released: &db::entity::programme_release::Model,
    public_url: &str,
) -> Result<(), AppError> {
    let changes: Vec<Change> = serde_json::from_str(&released.changes).map_err(|e| {
        tracing::error!(error = %e, "a release's changes do not read back");
        AppError::internal()
    })?;
    let at = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|t| crate::public::service::moment_label(tz, t))
            .unwrap_or_default()
    };
    for change in changes {
        let (id, title, what) = match change {
            Change::Retimed {
                id,
                title,
                from,
                to,
            } => (
                id,
                title,
                format!(
                    "It no longer starts at {}: it now starts at {}.",
                    at(from.0),
                    at(to.0)
                ),
            ),
            Change::Moved {
                id,
                title,
                from,
                to,
            } => (
                id,
                title,
                format!(
                    "It moved from {} to {}.",
                    from.as_deref().unwrap_or("no room"),
                    to.as_deref().unwrap_or("no room yet")
                ),
            ),
            _ => continue,
        };
        let Ok(session) = i32::try_from(id) else {
            continue;
        };
        let body = format!(
            "“{title}”, in which you have a seat at {}, changed in programme release {}.\n\n{what}\n\nYour agenda: {public_url}/conferences/{}/agenda{}",
            c.title,
            released.number,
            c.slug,
            crate::accounts::service::OPT_OUT_LINE,
        );
        for person in db::enrolments::seat_holders(txn, SessionId(session))
            .await
            .or_internal()?
        {
            db::notifications::notify(
                txn,
                ConferenceId(c.id),
                person,
                domain::notifications::Notification::SessionMoved,
                &format!("Changed: {title}"),
                &body,
            )
            .await
            .or_internal()?;
        }
    }
    Ok(())
}

fn release_dto(tz: Tz, r: &db::entity::programme_release::Model) -> Result<ReleaseDto, AppError> {
    Ok(ReleaseDto {
        summary: release_summary(tz, r),
        changes: db::programme::changes_of(r)
            .or_internal()?
            .iter()
            .map(|x| change_dto(tz, x))
            .collect(),
    })
}

/// Every release with its changes, newest first: "what changed", for everyone.
pub async fn releases(db: &DatabaseConnection, slug: &str) -> Result<ReleasesDto, AppError> {
    let c = crate::public::service::find_conference(db, slug).await?;
    let tz = tz_of(&c)?;
    let list = db::programme::releases(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    Ok(ReleasesDto {
        conference: crate::public::service::summary(&c),
        releases: list
            .iter()
            .map(|r| release_dto(tz, r))
            .collect::<Result<_, _>>()?,
    })
}

/// The released programme, its times in `tz`, with whether `caller` manages it (the button to
/// the working programme).
pub async fn released(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    tz: Option<&str>,
) -> Result<ProgrammeDto, AppError> {
    let mut p = crate::public::service::programme_in(db, slug, tz).await?;
    p.can_manage = caller.access(db, slug).await?.may(Action::ManageProgramme);
    Ok(p)
}
