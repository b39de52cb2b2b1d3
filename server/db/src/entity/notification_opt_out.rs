use sea_orm::entity::prelude::*;

/// Person `person_id` turned notification `kind` off (`domain::notifications::Notification`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_opt_outs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
}
no_relations!();
