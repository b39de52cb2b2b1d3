use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rooms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub conference_id: i32,
    pub name: String,
    pub capacity: i32,
    /// raised by every change, so that a stale form is refused
    pub revision: i32,
}
no_relations!();
