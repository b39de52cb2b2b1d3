//! Accounts' data: the logged-in user, roles, invitations, the outbox.

use crate::dto::*;
pub use domain::ids::{MessageId, RoleId};
pub use domain::permissions::Role;
use serde::{Deserialize, Serialize};

/// The logged-in person, for the header and the account page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDto {
    pub name: String,
    pub email: String,
    pub roles: Vec<RoleDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleDto {
    pub conference_slug: String,
    /// on the wire its stored name: delegate, head, committee, organiser
    pub role: Role,
    pub label: String,
}

/// A role held by someone in a conference, for the organisers' people page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleHolderDto {
    pub id: RoleId,
    pub person_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolesPageDto {
    pub conference: ConferenceSummary,
    pub holders: Vec<RoleHolderDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessageDto {
    pub id: MessageId,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339, UTC
    pub created_at: String,
    /// "29 November 2026, 20:25 UTC"
    #[serde(default)]
    pub created_label: String,
    pub sent: bool,
    /// "sent", "not sent" or why the last attempt failed
    pub delivery: String,
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

/// One kind of notification on the account page: whether the person gets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationSettingDto {
    /// `domain::notifications::Notification::as_str`.
    pub kind: String,
    /// "an amendment I sponsor is accepted" (after "E-mail me when").
    pub label: String,
    pub on: bool,
}
