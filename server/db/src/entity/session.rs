use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub conference_id: i32,
    /// plenary | thematic_forum | regional_forum | side_event | ceremony | break
    pub kind: String,
    pub title: String,
    pub description: String,
    pub room_id: Option<i32>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: Option<i32>,
    pub region: Option<String>,
    /// Raised by every change, so a form saved over a newer version is refused.
    pub revision: i32,
}
no_relations!();

impl Model {
    /// Its kind (`None` for a value no migration wrote).
    pub fn session_kind(&self) -> Option<domain::programme::SessionKind> {
        domain::programme::SessionKind::parse(&self.kind)
    }
}
