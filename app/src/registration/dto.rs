//! Registration's data: registrations, the queue, delegations, nominations, participants.

use crate::dto::*;
pub use domain::ids::{DelegationId, RegistrationId};
pub use domain::registration::Status;
use serde::{Deserialize, Serialize};

/// The asker's own registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyRegistrationDto {
    pub status: Status,
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
    pub id: RegistrationId,
    pub name: String,
    pub email: Option<String>,
    pub category_label: String,
    pub delegation: Option<String>,
    pub status: Status,
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
    pub id: DelegationId,
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
    pub id: DelegationId,
    pub name: String,
    pub country: Option<String>,
    pub lead_organisation: Option<String>,
    pub members: Vec<RegistrationRowDto>,
    /// The head's own registration among the members (not withdrawn from this table: the head
    /// withdraws on the registration page).
    #[serde(default)]
    pub own_registration: Option<RegistrationId>,
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
