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
