//! Data sent to the browser (and, for the public API, to outside tools). Plain serde types.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConferenceSummary {
    pub slug: String,
    pub title: String,
    pub theme: String,
    pub city: String,
    pub country: String,
    pub venue: String,
    /// first and last day, `YYYY-MM-DD`
    pub start_date: String,
    pub end_date: String,
    /// e.g. "28–30 September 2015"
    pub dates_label: String,
    /// IANA name, e.g. America/Mexico_City
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConferenceOverview {
    pub conference: ConferenceSummary,
    pub description_html: String,
    pub session_count: usize,
    pub plenary_count: usize,
    pub forum_count: usize,
    pub room_count: usize,
    pub declaration_title: Option<String>,
    pub declaration_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFeatureRef {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomDto {
    pub id: i32,
    pub name: String,
    pub capacity: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionDto {
    pub id: i32,
    /// plenary | thematic_forum | regional_forum | side_event | ceremony | break
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    /// Markdown, as written
    pub description: String,
    pub room: Option<String>,
    pub room_id: Option<i32>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionPageDto {
    pub conference: ConferenceSummary,
    pub session: SessionDto,
    pub day_label: String,
    pub description_html: String,
    pub room_capacity: Option<i32>,
    /// The asker may change the programme (tag the session with Key Features).
    pub can_manage: bool,
    /// Shown as released (false: the organisers' working copy).
    #[serde(default)]
    pub released: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclarationDto {
    pub conference: ConferenceSummary,
    pub title: String,
    /// drafting | adopted | published
    pub status: String,
    /// the text is not shown: the declaration is not published and the asker is not a
    /// participant (the version, Markdown, HTML and hash are then empty)
    pub text_withheld: bool,
    pub version_number: Option<i32>,
    pub markdown: String,
    /// SHA-256 of the Markdown's UTF-8 bytes, lower-case hex
    pub sha256: Option<String>,
    pub html: String,
    /// when the current version was made, RFC 3339 (UTC)
    pub updated_at: Option<String>,
    /// Once adopted: the version adopted (the one shown), the date (`YYYY-MM-DD`) and place.
    pub adopted_version: Option<i32>,
    pub adopted_on: Option<String>,
    pub adopted_place: Option<String>,
}

/// The logged-in person, for the header and the account page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDto {
    pub name: String,
    pub email: String,
    pub roles: Vec<RoleDto>,
}

impl UserDto {
    /// Holds `role` (stored name) in the conference `slug`.
    pub fn holds(&self, slug: &str, role: &str) -> bool {
        self.roles
            .iter()
            .any(|r| r.conference_slug == slug && r.role == role)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleDto {
    pub conference_slug: String,
    /// stored name: delegate, head, committee, organiser
    pub role: String,
    pub label: String,
}

/// A role held by someone in a conference, for the organisers' people page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleHolderDto {
    pub id: i32,
    pub person_name: String,
    pub email: Option<String>,
    pub role: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolesPageDto {
    pub conference: ConferenceSummary,
    pub holders: Vec<RoleHolderDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessageDto {
    pub id: i32,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339, UTC
    pub created_at: String,
    pub sent: bool,
    /// "sent", "not sent" or why the last attempt failed
    pub delivery: String,
}

/// A message for the person after a form that must not reveal more (sign-up, reset request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub message: String,
}

/// An invitation that was just created: the link to hand over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationDto {
    pub link: String,
    pub role_label: String,
    pub expires_in_days: i64,
}

/// What an invitation offers, shown before accepting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationOfferDto {
    pub conference_title: String,
    pub conference_slug: String,
    pub role_label: String,
}

/// Seats of one session, as the person asking sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatsDto {
    pub session_id: i32,
    /// false for plenaries, ceremonies and breaks: everyone attends
    pub needs_sign_up: bool,
    /// `None`: no limit
    pub capacity: Option<i32>,
    pub confirmed: usize,
    pub waitlisted: usize,
    pub seats_left: Option<usize>,
    /// confirmed | waitlisted, when the asker is signed up
    pub my_seat: Option<String>,
    /// 1 = next to get a seat
    pub my_waiting_position: Option<usize>,
    /// whether the asker can sign up at all (logged in, accredited); if not, why
    pub can_sign_up: bool,
    pub why_not: Option<String>,
    /// whether the asker may change the number of seats (organisers)
    pub can_manage: bool,
}

/// One entry of a personal agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItemDto {
    pub session: SessionDto,
    /// confirmed | waitlisted | everyone (plenaries and ceremonies)
    pub seat: String,
    pub waiting_position: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaDto {
    pub conference: ConferenceSummary,
    pub person_name: String,
    pub items: Vec<AgendaItemDto>,
    /// a secret calendar address is live
    pub has_feed: bool,
}

/// A secret calendar address, shown once when made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarLinkDto {
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionDto {
    pub value: String,
    pub label: String,
}

/// The asker's own registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyRegistrationDto {
    pub status: String,
    pub status_label: String,
    pub reason: Option<String>,
    pub category_label: String,
    pub delegation: Option<String>,
}

/// The registration page of a conference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationPageDto {
    pub conference: ConferenceSummary,
    pub logged_in: bool,
    /// whether the form can be sent now; if not, why
    pub open: bool,
    pub closed_because: Option<String>,
    pub categories: Vec<OptionDto>,
    pub delegations: Vec<OptionDto>,
    pub mine: Option<MyRegistrationDto>,
}

/// One row of the organisers' registration queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationRowDto {
    pub id: i32,
    pub name: String,
    pub email: Option<String>,
    pub category_label: String,
    pub delegation: Option<String>,
    pub status: String,
    pub status_label: String,
    pub reason: Option<String>,
    pub needs: String,
    pub consent_listed: bool,
    /// RFC 3339, UTC
    pub registered_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationQueueDto {
    pub conference: ConferenceSummary,
    pub settings: RegistrationSettingsDto,
    pub rows: Vec<RegistrationRowDto>,
    pub delegations: Vec<OptionDto>,
    /// (status, label, count) over the whole conference
    pub counts: Vec<(String, String, usize)>,
    /// Delegations with registrations waiting for a decision: (id, name, how many pending)
    pub pending_by_delegation: Vec<(i32, String, usize)>,
    /// every delegation, for the organisers' list
    pub delegation_list: Vec<DelegationSummaryDto>,
    /// UNESCO's regions, for the form that adds a delegation
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelegationSummaryDto {
    pub id: i32,
    pub name: String,
    /// "Member state" | "Organisation"
    pub kind_label: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub lead_organisation: Option<String>,
    pub head: Option<String>,
    /// registrations holding a place (pending or accredited)
    pub members: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantDto {
    pub name: String,
    pub delegation: Option<String>,
    pub category_label: String,
}

/// The public participant list: accredited participants who agreed to be listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantsDto {
    pub conference: ConferenceSummary,
    /// (country, participants), countries and names in alphabetical order
    pub groups: Vec<(String, Vec<ParticipantDto>)>,
    pub total: usize,
}

/// Registration settings, as form values: times as `YYYY-MM-DDTHH:MM` in the conference's
/// time zone, numbers as text (empty: no limit).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RegistrationSettingsDto {
    pub opens_at: String,
    pub closes_at: String,
    pub cap: String,
    pub cap_delegates: String,
    pub cap_alternates: String,
    pub cap_advisers: String,
}

/// A head of delegation's view of their delegation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelegationDto {
    pub conference: ConferenceSummary,
    pub id: i32,
    pub name: String,
    pub country: Option<String>,
    pub lead_organisation: Option<String>,
    pub members: Vec<RegistrationRowDto>,
    /// nominations sent and not yet taken up
    pub nominations: Vec<NominationDto>,
    /// (member role label, places taken including open nominations, cap)
    pub caps: Vec<(String, usize, Option<i32>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NominationDto {
    pub name: String,
    pub email: String,
    pub member_role_label: String,
    /// RFC 3339, UTC
    pub expires_at: String,
}
