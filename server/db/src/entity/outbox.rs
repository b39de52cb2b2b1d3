use sea_orm::entity::prelude::*;

/// A message the system sends (confirmation, reset, invitation, waiting-list promotion).
/// Kept for organisers to read; sent by SMTP when one is configured.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// SMTP attempts so far
    pub attempts: i32,
    /// why the last attempt failed (for the organisers' outbox page)
    pub last_error: Option<String>,
    /// when a server instance took the message to send it
    pub claimed_at: Option<DateTimeUtc>,
    /// the conference the message is about (none for account messages)
    pub conference_id: Option<i32>,
}
no_relations!();
