//! What the organisers' programme pages and the "what changed" page receive.

use crate::dto::{ConferenceSummary, OptionDto};
pub use domain::ids::{RoomId, SessionId};
pub use domain::programme::SessionKind;
pub use domain::releases::ChangeKind;
use serde::{Deserialize, Serialize};

/// A clash, in words, with the sessions it involves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClashDto {
    /// Stable name (kept when acknowledged)
    pub key: String,
    /// room | person | plenary | capacity | dates
    pub rule: String,
    pub message: String,
    pub sessions: Vec<SessionId>,
    pub acknowledged: bool,
}

/// One change of a release, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeDto {
    pub change: ChangeKind,
    pub session_id: SessionId,
    pub title: String,
    /// e.g. "from 16:00–17:30 to 17:30–19:00, Monday 28 September"
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseDto {
    pub summary: ReleaseSummaryDto,
    pub changes: Vec<ChangeDto>,
}

/// The released versions, newest first ("what changed").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleasesDto {
    pub conference: ConferenceSummary,
    pub releases: Vec<ReleaseDto>,
}

/// A session of the working programme, as the organiser edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedSessionDto {
    pub session: SessionDto,
    pub revision: i32,
    /// clashes this session is part of that are neither resolved nor acknowledged
    pub open_clashes: usize,
}

/// A room of the working programme, as the organiser edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedRoomDto {
    pub id: RoomId,
    pub name: String,
    pub capacity: i32,
    /// the revision the room's form is loaded at (a stale form is refused)
    pub revision: i32,
}

/// The organisers' view of the working programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManageDto {
    pub conference: ConferenceSummary,
    pub rooms: Vec<ManagedRoomDto>,
    /// rooms some session uses (they cannot be deleted)
    pub rooms_in_use: Vec<RoomId>,
    pub sessions: Vec<ManagedSessionDto>,
    pub clashes: Vec<ClashDto>,
    /// clashes neither resolved nor acknowledged: releasing waits for none
    pub open_clashes: usize,
    pub latest_release: Option<ReleaseSummaryDto>,
    /// what releasing now would change
    pub pending: Vec<ChangeDto>,
}

/// The session form, filled for an existing session or empty for a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionFormDto {
    pub conference: ConferenceSummary,
    pub id: Option<SessionId>,
    pub revision: i32,
    pub kind: SessionKind,
    pub title: String,
    pub description: String,
    pub room_id: Option<RoomId>,
    /// `YYYY-MM-DDTHH:MM`, conference time
    pub start: String,
    pub end: String,
    pub capacity: Option<i32>,
    pub region: Option<String>,
    /// one name per line
    pub chairs: String,
    pub speakers: String,
    pub key_features: Vec<String>,
    pub kinds: Vec<OptionDto>,
    pub rooms: Vec<OptionDto>,
    pub all_key_features: Vec<KeyFeatureRef>,
    /// the session's clashes as saved
    pub clashes: Vec<ClashDto>,
    /// `YYYY-MM-DDT00:00` of the first day and `YYYY-MM-DDT23:59` of the last (input bounds)
    pub min: String,
    pub max: String,
}

/// After a save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSavedDto {
    pub id: SessionId,
    pub revision: i32,
    pub message: String,
    pub clashes: Vec<ClashDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFeatureRef {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomDto {
    pub id: RoomId,
    pub name: String,
    pub capacity: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionDto {
    pub id: SessionId,
    pub kind: SessionKind,
    pub kind_label: String,
    pub title: String,
    /// Markdown, as written
    pub description: String,
    pub room: Option<String>,
    pub room_id: Option<RoomId>,
    /// RFC 3339 with the conference's offset, e.g. 2015-09-28T09:00:00-05:00
    pub starts_at: String,
    pub ends_at: String,
    /// local day, `YYYY-MM-DD`
    pub day: String,
    pub capacity: Option<i32>,
    pub region: Option<String>,
    pub key_features: Vec<KeyFeatureRef>,
    pub chairs: Vec<String>,
    pub speakers: Vec<String>,
    /// iCalendar SEQUENCE: raised by each release that changed the session
    #[serde(default)]
    pub sequence: u32,
}

impl SessionDto {
    /// Local wall-clock start, `HH:MM`.
    pub fn start_hm(&self) -> &str {
        self.starts_at.get(11..16).unwrap_or("")
    }
    pub fn end_hm(&self) -> &str {
        self.ends_at.get(11..16).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayDto {
    /// `YYYY-MM-DD`
    pub date: String,
    /// e.g. "Monday 28 September 2015"
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeDto {
    pub conference: ConferenceSummary,
    pub days: Vec<DayDto>,
    pub rooms: Vec<RoomDto>,
    pub sessions: Vec<SessionDto>,
    /// The release shown; none before the first.
    pub release: Option<ReleaseSummaryDto>,
    /// The asker may change the programme.
    #[serde(default)]
    pub can_manage: bool,
    /// The time zone the times are given in (the conference's unless another was asked for).
    #[serde(default)]
    pub shown_timezone: String,
    /// Why the times are not in the zone asked for, if they are not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone_note: Option<String>,
    /// Time zones to choose from, the conference's first.
    #[serde(default)]
    pub timezones: Vec<String>,
    /// The page was asked for from a phone: its automatic view is the list, else the grid
    /// (set by the page's server function only; the API never sends it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub phone: bool,
}

/// A released version of the programme, in brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseSummaryDto {
    pub number: i32,
    /// RFC 3339 in the conference's time zone
    pub released_at: String,
    /// "28 September 2015, 16:05" (conference time)
    pub released_label: String,
    pub changelog: String,
}
