use sea_orm::entity::prelude::*;

/// A write that was done once: its form's key, what it was, who did it, and its answer
/// (JSON), recorded in the write's own transaction.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub action: String,
    pub person_id: Option<i32>,
    pub result: String,
    pub created_at: DateTimeUtc,
}
no_relations!();
