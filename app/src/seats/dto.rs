//! Seats' data: a session's seats and waiting list, the personal agenda, the calendar link.

use crate::dto::*;
use crate::programme::dto::*;
pub use domain::ids::SessionId;
pub use domain::waiting_list::Seat;
use serde::{Deserialize, Serialize};

/// Seats of one session, as the person asking sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatsDto {
    pub session_id: SessionId,
    /// false for plenaries, ceremonies and breaks: everyone attends
    pub needs_sign_up: bool,
    /// `None`: no limit
    pub capacity: Option<i32>,
    pub confirmed: usize,
    pub waitlisted: usize,
    pub seats_left: Option<usize>,
    /// confirmed or waitlisted, when the asker is signed up
    pub my_seat: Option<Seat>,
    /// 1 = next to get a seat
    pub my_waiting_position: Option<usize>,
    /// whether the asker can sign up at all (logged in, accredited); if not, why
    pub can_sign_up: bool,
    pub why_not: Option<String>,
    /// whether the asker may change the number of seats (organisers)
    pub can_manage: bool,
}

/// Why a session is on a personal agenda. On the wire `"confirmed"`, `"waitlisted"`,
/// `"everyone"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaSeat {
    Confirmed,
    Waitlisted,
    /// plenaries and ceremonies: everyone attends, no sign-up
    Everyone,
}

impl AgendaSeat {
    pub fn as_str(self) -> &'static str {
        match self {
            AgendaSeat::Confirmed => "confirmed",
            AgendaSeat::Waitlisted => "waitlisted",
            AgendaSeat::Everyone => "everyone",
        }
    }
}

/// One entry of a personal agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItemDto {
    pub session: SessionDto,
    pub seat: AgendaSeat,
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
    /// The same address as a `webcal://` link, which calendar apps open as a subscription.
    pub webcal: String,
}
