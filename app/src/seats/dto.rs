//! Seats' data: a session's seats and waiting list, the personal agenda, the calendar link.

use crate::dto::*;
use crate::programme::dto::*;
use serde::{Deserialize, Serialize};

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
