//! The public read side's data: a conference's overview, a session page, the declaration.

use crate::dto::*;
use crate::programme::dto::*;
use domain::drafting::amendment::DeclarationStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConferenceOverview {
    pub conference: ConferenceSummary,
    pub description_html: String,
    pub session_count: usize,
    pub plenary_count: usize,
    pub forum_count: usize,
    pub room_count: usize,
    pub declaration_title: Option<String>,
    pub declaration_status: Option<DeclarationStatus>,
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
    pub status: DeclarationStatus,
    /// the text is not shown: the declaration is not published and the asker is not a
    /// participant (the version, Markdown, HTML and hash are then empty)
    pub text_withheld: bool,
    pub version_number: Option<domain::ids::VersionNumber>,
    pub markdown: String,
    /// SHA-256 of the Markdown's UTF-8 bytes, lower-case hex
    pub sha256: Option<String>,
    pub html: String,
    /// when the current version was made, RFC 3339 (UTC)
    pub updated_at: Option<String>,
    /// Once adopted: the version adopted (the one shown), the date (`YYYY-MM-DD`) and place.
    pub adopted_version: Option<domain::ids::VersionNumber>,
    pub adopted_on: Option<String>,
    pub adopted_place: Option<String>,
}
