//! The programme's writes: rooms, sessions, acknowledged clashes and releases.
//!
//! The working programme lives in `rooms`, `sessions`, `session_people` and
//! `session_key_features`; organisers edit it. A release freezes it as a [`Snapshot`] with its
//! changes against the previous release: visitors and delegates read only releases.

use crate::entity::*;
use chrono::{DateTime, Utc};
use domain::ids::{ConferenceId, PersonId, RoomId, SessionId};
use domain::programme::SessionKind;
use domain::releases::{self, Change, Entry};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A room as released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSnap {
    pub id: i32,
    pub name: String,
    pub capacity: i32,
}

/// A session as released: everything a participant reads, with names instead of ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSnap {
    pub id: i32,
    pub kind: SessionKind,
    pub title: String,
    pub description: String,
    pub room_id: Option<i32>,
    pub room: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i32>,
    pub region: Option<String>,
    pub chairs: Vec<String>,
    pub speakers: Vec<String>,
    /// Key Feature codes
    pub key_features: Vec<String>,
    /// iCalendar SEQUENCE: raised by each release that changes the session
    #[serde(default)]
    pub sequence: u32,
}

/// A whole programme at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub rooms: Vec<RoomSnap>,
    pub sessions: Vec<SessionSnap>,
}

impl SessionSnap {
    /// What a release compares.
    pub fn entry(&self) -> Entry {
        let details = format!(
            "{}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{}",
            self.kind.as_str(),
            self.description,
            self.capacity,
            self.region,
            self.chairs.join("\u{1e}"),
            self.speakers.join("\u{1e}"),
            self.key_features.join("\u{1e}"),
        );
        Entry {
            id: self.id as i64,
            title: self.title.clone(),
            room: self.room.clone(),
            start: self.starts_at.timestamp(),
            end: self.ends_at.timestamp(),
            details: hex::encode(Sha256::digest(details.as_bytes())),
        }
    }
}

/// The revision of each session and room of the working programme, by id: what an edit form
/// is loaded at (a stale one is refused).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revisions {
    pub sessions: BTreeMap<i32, i32>,
    pub rooms: BTreeMap<i32, i32>,
}

/// The working programme of a conference, as it would be released now (sequence numbers are
/// those of the latest release).
pub async fn working<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Snapshot, DbErr> {
    Ok(working_with_revisions(db, conference_id).await?.0)
}

/// [`working`], with the revisions of its sessions and rooms from the same reads.
pub async fn working_with_revisions<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<(Snapshot, Revisions), DbErr> {
    let rooms = crate::queries::rooms(db, conference_id).await?;
    let sessions = crate::queries::sessions(db, conference_id).await?;
    let revisions = Revisions {
        sessions: sessions.iter().map(|s| (s.id, s.revision)).collect(),
        rooms: rooms.iter().map(|r| (r.id, r.revision)).collect(),
    };
    let ids: Vec<SessionId> = sessions.iter().map(|s| SessionId(s.id)).collect();
    let mut tags: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for t in crate::queries::session_key_features(db, &ids).await? {
        tags.entry(t.session_id)
            .or_default()
            .push(t.key_feature_code);
    }
    let mut chairs: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    let mut speakers: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for (link, person) in crate::queries::session_people(db, &ids).await? {
        let map = if link.is_chair() {
            &mut chairs
        } else {
            &mut speakers
        };
        map.entry(link.session_id).or_default().push(person.name);
    }
    // the release is read once and kept (the working programme is read on every edit)
    let seq = match latest_cached(db, conference_id).await? {
        Some((_, snap)) => sequences_of(&snap),
        None => BTreeMap::new(),
    };
    let snapshot = Snapshot {
        sessions: sessions
            .into_iter()
            .map(|s| SessionSnap {
                id: s.id,
                room: s
                    .room_id
                    .and_then(|r| rooms.iter().find(|x| x.id == r))
                    .map(|r| r.name.clone()),
                // a kind no version wrote shows as a side event (for a programme, not for everyone)
                kind: s.session_kind().unwrap_or(SessionKind::SideEvent),
                title: s.title,
                description: s.description,
                room_id: s.room_id,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                capacity: s.capacity,
                region: s.region,
                chairs: chairs.remove(&s.id).unwrap_or_default(),
                speakers: speakers.remove(&s.id).unwrap_or_default(),
                key_features: tags.remove(&s.id).unwrap_or_default(),
                sequence: seq.get(&(s.id as i64)).copied().unwrap_or(0),
            })
            .collect(),
        rooms: rooms
            .into_iter()
            .map(|r| RoomSnap {
                id: r.id,
                name: r.name,
                capacity: r.capacity,
            })
            .collect(),
    };
    Ok((snapshot, revisions))
}

fn sequences_of(s: &Snapshot) -> BTreeMap<i64, u32> {
    s.sessions
        .iter()
        .map(|x| (x.id as i64, x.sequence))
        .collect()
}

fn parse_snapshot(r: &programme_release::Model) -> Result<Snapshot, DbErr> {
    serde_json::from_str(&r.snapshot)
        .map_err(|e| DbErr::Custom(format!("release {} has an unreadable snapshot: {e}", r.id)))
}

/// The changes a release recorded against the one before it.
pub fn changes_of(r: &programme_release::Model) -> Result<Vec<Change>, DbErr> {
    serde_json::from_str(&r.changes)
        .map_err(|e| DbErr::Custom(format!("release {} has unreadable changes: {e}", r.id)))
}

/// The latest release and its programme.
pub async fn latest<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Option<(programme_release::Model, Snapshot)>, DbErr> {
    let Some(r) = programme_release::Entity::find()
        .filter(programme_release::Column::ConferenceId.eq(conference_id.0))
        .order_by_desc(programme_release::Column::Number)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let snap = parse_snapshot(&r)?;
    Ok(Some((r, snap)))
}

/// The latest release of each conference, read once per release: a release never changes, so
/// only its id is asked of the database on each request (several servers on one database
/// each notice a new release on their next request).
static RELEASED: std::sync::LazyLock<std::sync::Mutex<BTreeMap<i32, Released>>> =
    std::sync::LazyLock::new(Default::default);

/// A release and its parsed programme.
pub type Released = (programme_release::Model, std::sync::Arc<Snapshot>);

/// The latest release's id and moment of release: together they tell one release from another
/// even where one process talks to several databases (the tests).
async fn latest_id<C: ConnectionTrait>(
    db: &C,
    conference_id: i32,
) -> Result<Option<(i32, DateTime<Utc>)>, DbErr> {
    use sea_orm::QuerySelect;
    programme_release::Entity::find()
        .select_only()
        .column(programme_release::Column::Id)
        .column(programme_release::Column::ReleasedAt)
        .filter(programme_release::Column::ConferenceId.eq(conference_id))
        .order_by_desc(programme_release::Column::Number)
        .into_tuple::<(i32, DateTime<Utc>)>()
        .one(db)
        .await
}

/// Everything a visitor's programme page of `slug` is made of, as one number: the conference's
/// row and its latest release. Any change to either gives another number; `None` if there is no
/// such conference. Two small indexed reads, so a copy of the page can be checked on every
/// request, by every server instance.
pub async fn public_version<C: ConnectionTrait>(db: &C, slug: &str) -> Result<Option<u64>, DbErr> {
    use std::hash::{Hash, Hasher};
    let Some(c) = conference::Entity::find()
        .filter(conference::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let release = latest_id(db, c.id).await?;
    let mut h = std::hash::DefaultHasher::new();
    // the whole row, so that a column added later is covered too
    format!("{c:?}").hash(&mut h);
    release
        .map(|(id, at)| (id, at.timestamp_micros()))
        .hash(&mut h);
    Ok(Some(h.finish()))
}

/// [`latest`], from memory when the latest release is already known.
pub async fn latest_cached<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Option<Released>, DbErr> {
    let Some((id, at)) = latest_id(db, conference_id.0).await? else {
        return Ok(None);
    };
    if let Ok(cache) = RELEASED.lock() {
        if let Some((r, snap)) = cache
            .get(&conference_id.0)
            .filter(|(r, _)| r.id == id && r.released_at == at)
        {
            return Ok(Some((r.clone(), snap.clone())));
        }
    }
    let Some((r, snap)) = latest(db, conference_id).await? else {
        return Ok(None);
    };
    let snap = std::sync::Arc::new(snap);
    if let Ok(mut cache) = RELEASED.lock() {
        // the model without its (large) snapshot text, which is kept parsed
        let mut light = r.clone();
        light.snapshot = String::new();
        cache.insert(conference_id.0, (light, snap.clone()));
    }
    Ok(Some((r, snap)))
}

/// Every release, newest first.
pub async fn releases<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Vec<programme_release::Model>, DbErr> {
    programme_release::Entity::find()
        .filter(programme_release::Column::ConferenceId.eq(conference_id.0))
        .order_by_desc(programme_release::Column::Number)
        .all(db)
        .await
}

/// Release the working programme as the next version, unless nothing changed since the last
/// one (`Ok(None)`). The caller checks clashes first, in the same transaction. Two organisers
/// releasing at once cannot both get one number: the second insert fails on the unique index.
pub async fn release<C: ConnectionTrait>(
    txn: &C,
    conference_id: ConferenceId,
    person_id: Option<PersonId>,
    changelog: &str,
) -> Result<Option<programme_release::Model>, DbErr> {
    let person_id = person_id.map(|x| x.0);
    let mut now = working(txn, conference_id).await?;
    let prev = latest(txn, conference_id).await?;
    let (number, before, prev_seq) = match &prev {
        Some((r, s)) => (r.number + 1, s.sessions.clone(), sequences_of(s)),
        None => (1, Vec::new(), BTreeMap::new()),
    };
    let old: Vec<Entry> = before.iter().map(SessionSnap::entry).collect();
    let new: Vec<Entry> = now.sessions.iter().map(SessionSnap::entry).collect();
    let changes = releases::changes(&old, &new);
    let rooms_changed = prev.as_ref().is_some_and(|(_, s)| s.rooms != now.rooms);
    if prev.is_some() && changes.is_empty() && !rooms_changed {
        return Ok(None);
    }
    let seq = releases::sequences(&prev_seq, &changes, &new);
    for s in &mut now.sessions {
        s.sequence = seq.get(&(s.id as i64)).copied().unwrap_or(0);
    }
    let model = programme_release::ActiveModel {
        conference_id: Set(conference_id.0),
        number: Set(number),
        changelog: Set(changelog.to_string()),
        released_at: Set(Utc::now()),
        released_by_person_id: Set(person_id),
        snapshot: Set(to_json(&now)?),
        changes: Set(to_json(&changes)?),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(Some(model))
}

fn to_json<T: Serialize>(v: &T) -> Result<String, DbErr> {
    serde_json::to_string(v).map_err(|e| DbErr::Custom(format!("cannot encode: {e}")))
}

/// The acknowledged clash keys of a conference.
pub async fn acknowledged<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Vec<String>, DbErr> {
    Ok(clash_acknowledgement::Entity::find()
        .filter(clash_acknowledgement::Column::ConferenceId.eq(conference_id.0))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.clash_key)
        .collect())
}

/// Record that the organiser accepts these clashes (already recorded ones are kept).
pub async fn acknowledge<C: ConnectionTrait>(
    txn: &C,
    conference_id: ConferenceId,
    person_id: PersonId,
    keys: &[String],
) -> Result<(), DbErr> {
    let have = acknowledged(txn, conference_id).await?;
    for k in keys.iter().filter(|k| !have.contains(k)) {
        clash_acknowledgement::ActiveModel {
            conference_id: Set(conference_id.0),
            clash_key: Set(k.clone()),
            acknowledged_by_person_id: Set(Some(person_id.0)),
            acknowledged_at: Set(Utc::now()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The people with these names (ignoring case), as (lower-case name, id); where two people
/// share a name, the one entered first.
pub async fn people_named<C: ConnectionTrait>(
    db: &C,
    names: &[String],
) -> Result<BTreeMap<String, i32>, DbErr> {
    let mut out = BTreeMap::new();
    if names.is_empty() {
        return Ok(out);
    }
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let found = person::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col(person::Column::Name))).is_in(lower.clone()))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?;
    for p in found {
        out.entry(p.name.to_lowercase()).or_insert(p.id);
    }
    // SQLite's lower() folds ASCII only: catch the rest here
    if out.len() < lower.len() {
        for p in person::Entity::find().all(db).await? {
            let key = p.name.to_lowercase();
            if lower.contains(&key) {
                out.entry(key).or_insert(p.id);
            }
        }
    }
    Ok(out)
}

/// The id of the person with this name, creating them if nobody has it.
async fn person_for<C: ConnectionTrait>(
    txn: &C,
    known: &BTreeMap<String, i32>,
    name: &str,
) -> Result<i32, DbErr> {
    if let Some(id) = known.get(&name.to_lowercase()) {
        return Ok(*id);
    }
    Ok(person::ActiveModel {
        name: Set(name.to_string()),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id)
}

/// A session's fields, checked and with instants.
#[derive(Debug, Clone)]
pub struct SessionFields {
    pub kind: SessionKind,
    pub title: String,
    pub description: String,
    pub room_id: Option<i32>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i32>,
    pub region: Option<String>,
    pub chairs: Vec<String>,
    pub speakers: Vec<String>,
}

/// Why a write to a session or a room did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum Stale {
    /// The session or room is not (or no longer) in this conference.
    Gone,
    /// Someone saved it since the form was loaded; the current revision is given.
    Changed(i32),
}

/// Create (`id` None) or update a session. An update names the revision its form was loaded
/// at; if the session has moved on since, nothing is written.
pub async fn save_session<C: ConnectionTrait>(
    txn: &C,
    conference_id: ConferenceId,
    id: Option<SessionId>,
    revision: i32,
    f: &SessionFields,
) -> Result<Result<session::Model, Stale>, DbErr> {
    let id = id.map(|x| x.0);
    let saved = match id {
        None => {
            session::ActiveModel {
                conference_id: Set(conference_id.0),
                kind: Set(f.kind.as_str().into()),
                title: Set(f.title.clone()),
                description: Set(f.description.clone()),
                room_id: Set(f.room_id),
                starts_at: Set(f.starts_at),
                ends_at: Set(f.ends_at),
                capacity: Set(f.capacity),
                region: Set(f.region.clone()),
                revision: Set(0),
                ..Default::default()
            }
            .insert(txn)
            .await?
        }
        Some(id) => {
            let r = session::Entity::update_many()
                .col_expr(session::Column::Kind, Expr::value(f.kind.as_str()))
                .col_expr(session::Column::Title, Expr::value(f.title.clone()))
                .col_expr(
                    session::Column::Description,
                    Expr::value(f.description.clone()),
                )
                .col_expr(session::Column::RoomId, Expr::value(f.room_id))
                .col_expr(session::Column::StartsAt, Expr::value(f.starts_at))
                .col_expr(session::Column::EndsAt, Expr::value(f.ends_at))
                .col_expr(session::Column::Capacity, Expr::value(f.capacity))
                .col_expr(session::Column::Region, Expr::value(f.region.clone()))
                .col_expr(
                    session::Column::Revision,
                    Expr::col(session::Column::Revision).add(1),
                )
                .filter(session::Column::Id.eq(id))
                .filter(session::Column::ConferenceId.eq(conference_id.0))
                .filter(session::Column::Revision.eq(revision))
                .exec(txn)
                .await?;
            let now = crate::queries::session_in(txn, conference_id, SessionId(id)).await?;
            match (r.rows_affected, now) {
                (1, Some(s)) => s,
                (_, Some(s)) => return Ok(Err(Stale::Changed(s.revision))),
                (_, None) => return Ok(Err(Stale::Gone)),
            }
        }
    };
    session_person::Entity::delete_many()
        .filter(session_person::Column::SessionId.eq(saved.id))
        .exec(txn)
        .await?;
    let mut all = f.chairs.clone();
    all.extend(f.speakers.iter().cloned());
    let known = people_named(txn, &all).await?;
    let mut linked: Vec<(i32, &str)> = Vec::new();
    for (role, list) in [
        (session_person::CHAIR, &f.chairs),
        (session_person::SPEAKER, &f.speakers),
    ] {
        for (position, name) in list.iter().enumerate() {
            let person_id = person_for(txn, &known, name).await?;
            // one person, one role per session (a chair who also speaks is listed as chair)
            if linked.iter().any(|(p, _)| *p == person_id) {
                continue;
            }
            linked.push((person_id, role));
            session_person::ActiveModel {
                session_id: Set(saved.id),
                person_id: Set(person_id),
                role: Set(role.to_string()),
                position: Set(position as i32),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(Ok(saved))
}

/// Delete a session at the given revision. Returns how many people hold or wait for a seat in
/// it instead, if any do (the organiser must deal with them first).
pub async fn delete_session<C: ConnectionTrait>(
    txn: &C,
    conference_id: ConferenceId,
    id: SessionId,
    revision: i32,
) -> Result<Result<(), DeleteRefusal>, DbErr> {
    let Some(s) = crate::queries::session_in(txn, conference_id, id).await? else {
        return Ok(Err(DeleteRefusal::Stale(Stale::Gone)));
    };
    if s.revision != revision {
        return Ok(Err(DeleteRefusal::Stale(Stale::Changed(s.revision))));
    }
    let holders = enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.eq(id.0))
        .filter(
            enrolment::Column::Seat.ne(enrolment::seat_name(domain::waiting_list::Seat::Cancelled)),
        )
        .all(txn)
        .await?
        .len();
    if holders > 0 {
        return Ok(Err(DeleteRefusal::People(holders)));
    }
    enrolment::Entity::delete_many()
        .filter(enrolment::Column::SessionId.eq(id.0))
        .exec(txn)
        .await?;
    session_person::Entity::delete_many()
        .filter(session_person::Column::SessionId.eq(id.0))
        .exec(txn)
        .await?;
    session_key_feature::Entity::delete_many()
        .filter(session_key_feature::Column::SessionId.eq(id.0))
        .exec(txn)
        .await?;
    session::Entity::delete_by_id(id.0).exec(txn).await?;
    Ok(Ok(()))
}

#[derive(Debug, PartialEq, Eq)]
pub enum DeleteRefusal {
    Stale(Stale),
    /// People hold or wait for a seat.
    People(usize),
}

/// Create (`id` None) or update a room at the revision its form was loaded at; if the room has
/// moved on since, or is not in the conference, nothing is written.
pub async fn save_room<C: ConnectionTrait>(
    txn: &C,
    conference_id: ConferenceId,
    id: Option<RoomId>,
    revision: i32,
    name: &str,
    capacity: i32,
) -> Result<Result<room::Model, Stale>, DbErr> {
    let id = id.map(|x| x.0);
    match id {
        None => Ok(Ok(room::ActiveModel {
            conference_id: Set(conference_id.0),
            name: Set(name.to_string()),
            capacity: Set(capacity),
            revision: Set(0),
            ..Default::default()
        }
        .insert(txn)
        .await?)),
        Some(id) => {
            let r = room::Entity::update_many()
                .col_expr(room::Column::Name, Expr::value(name.to_string()))
                .col_expr(room::Column::Capacity, Expr::value(capacity))
                .col_expr(
                    room::Column::Revision,
                    Expr::col(room::Column::Revision).add(1),
                )
                .filter(room::Column::Id.eq(id))
                .filter(room::Column::ConferenceId.eq(conference_id.0))
                .filter(room::Column::Revision.eq(revision))
                .exec(txn)
                .await?;
            let now = room::Entity::find_by_id(id)
                .filter(room::Column::ConferenceId.eq(conference_id.0))
                .one(txn)
                .await?;
            Ok(match (r.rows_affected, now) {
                (1, Some(r)) => Ok(r),
                (_, Some(r)) => Err(Stale::Changed(r.revision)),
                (_, None) => Err(Stale::Gone),
            })
        }
    }
}

/// Delete a room nobody is scheduled in. `Ok(Err(n))`: n sessions still use it.
pub async fn delete_room<C: ConnectionTrait>(
    txn: &C,
    conference_id: ConferenceId,
    id: RoomId,
) -> Result<Option<Result<(), usize>>, DbErr> {
    let Some(_) = room::Entity::find_by_id(id.0)
        .filter(room::Column::ConferenceId.eq(conference_id.0))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let used = session::Entity::find()
        .filter(session::Column::RoomId.eq(id.0))
        .all(txn)
        .await?
        .len();
    if used > 0 {
        return Ok(Some(Err(used)));
    }
    room::Entity::delete_by_id(id.0).exec(txn).await?;
    Ok(Some(Ok(())))
}

/// What the clash rules need of the working programme: sessions with their people's ids.
pub async fn slots<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Vec<domain::clashes::Slot>, DbErr> {
    let sessions = crate::queries::sessions(db, conference_id).await?;
    let ids: Vec<i32> = sessions.iter().map(|s| s.id).collect();
    let mut people: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
    for link in session_person::Entity::find()
        .filter(session_person::Column::SessionId.is_in(ids))
        .all(db)
        .await?
    {
        people
            .entry(link.session_id)
            .or_default()
            .push(link.person_id as i64);
    }
    Ok(sessions
        .into_iter()
        .filter_map(|s| {
            Some(domain::clashes::Slot {
                id: s.id as i64,
                kind: s.session_kind()?,
                room: s.room_id.map(i64::from),
                start: s.starts_at.timestamp(),
                end: s.ends_at.timestamp(),
                capacity: s.capacity.and_then(|c| u32::try_from(c).ok()),
                people: people.remove(&s.id).unwrap_or_default(),
            })
        })
        .collect())
}

/// The rooms as the clash rules see them.
pub async fn clash_rooms<C: ConnectionTrait>(
    db: &C,
    conference_id: ConferenceId,
) -> Result<Vec<domain::clashes::Room>, DbErr> {
    Ok(crate::queries::rooms(db, conference_id)
        .await?
        .into_iter()
        .map(|r| domain::clashes::Room {
            id: r.id as i64,
            capacity: u32::try_from(r.capacity).unwrap_or(0),
        })
        .collect())
}
