use sea_orm::entity::prelude::*;

/// A participant's check-in at a session (did a seat holder come), recorded once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_check_ins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub registration_id: i32,
    pub arrived_at: DateTimeUtc,
    pub by_person_id: Option<i32>,
}
no_relations!();
