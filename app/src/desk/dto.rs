//! What the desk's pages receive.

use crate::dto::{ConferenceSummary, OptionDto};
use domain::ids::RegistrationId;
use domain::registration::Status;
use serde::{Deserialize, Serialize};

/// The check-in page: where one can check people in, and how many have come.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskDto {
    pub conference: ConferenceSummary,
    /// Capacity-limited sessions, for checking seat holders in.
    pub sessions: Vec<OptionDto>,
    /// The delegations, for printing their badges.
    pub delegations: Vec<OptionDto>,
    pub accredited: u64,
    pub arrived: u64,
}

/// Someone at the desk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskPersonDto {
    pub registration: RegistrationId,
    pub name: String,
    pub delegation: Option<String>,
    pub category: String,
    pub category_label: String,
    pub status: Status,
    pub status_label: String,
    /// The reason of a rejection.
    pub reason: Option<String>,
    /// "Arrived 1 December 2026, 09:12 CET", once checked in.
    pub arrived_label: Option<String>,
}

/// What a check-in did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckInOutcome {
    /// Recorded now.
    Recorded,
    /// Recorded before: nothing written.
    Already,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckInDto {
    pub person: DeskPersonDto,
    pub outcome: CheckInOutcome,
    /// "Trine Hansen checked in at 09:12." / "Already checked in at 09:12."
    pub message: String,
}

/// People found by name at the desk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoundDto {
    pub people: Vec<DeskPersonDto>,
    /// The session they are to be checked in at, if not the arrival at the conference.
    pub at: Option<OptionDto>,
}

/// One bar of a chart: a label and a number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BarDto {
    pub label: String,
    pub value: u64,
}

/// A forum's seats: capacity, taken, waiting, checked in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForumDto {
    pub title: String,
    pub capacity: u64,
    pub taken: u64,
    pub waiting: u64,
    pub checked_in: u64,
}

/// One day of registrations: the day and, per state, how many registrations made by then are
/// in it now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayDto {
    pub day: String,
    /// In the order of `DashboardDto::states`.
    pub counts: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardDto {
    pub conference: ConferenceSummary,
    pub total: u64,
    /// Pending registrations: the accreditation queue.
    pub queue: u64,
    pub arrived: u64,
    /// The states, as labels, in chart order.
    pub states: Vec<String>,
    /// Registrations over time (cumulative by the day they were made), by state.
    pub days: Vec<DayDto>,
    pub by_region: Vec<BarDto>,
    pub by_category: Vec<BarDto>,
    pub fora: Vec<ForumDto>,
    pub amendments: Vec<BarDto>,
}
