use sea_orm::entity::prelude::*;

/// A participant's arrival at the conference, recorded once at the desk.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "arrivals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub registration_id: i32,
    pub conference_id: i32,
    pub arrived_at: DateTimeUtc,
    pub by_person_id: Option<i32>,
}
no_relations!();
