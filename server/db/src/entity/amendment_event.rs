use sea_orm::entity::prelude::*;

/// One step in an amendment's history: who changed its status, when, and why. A change of
/// its text without a change of status is recorded with `from_status == to_status`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "amendment_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub amendment_id: i32,
    /// `None` once the person is deleted
    pub actor_person_id: Option<i32>,
    /// `None` for the creation
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub at: DateTimeUtc,
}
no_relations!();
