use sea_orm::entity::prelude::*;

/// A clash the organiser has seen and accepted (`domain::clashes::Clash::key`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clash_acknowledgements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub conference_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub clash_key: String,
    pub acknowledged_by_person_id: Option<i32>,
    pub acknowledged_at: DateTimeUtc,
}
no_relations!();
