use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i32,
    /// chair | speaker
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
    pub position: i32,
}
no_relations!();

/// The stored role of a session's chair.
pub const CHAIR: &str = "chair";
/// The stored role of a session's speaker.
pub const SPEAKER: &str = "speaker";

impl Model {
    /// Chairs the session (otherwise speaks in it).
    pub fn is_chair(&self) -> bool {
        self.role == CHAIR
    }
}
