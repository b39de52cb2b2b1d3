use sea_orm::entity::prelude::*;

/// The last event number given out in a conference. Its row is updated in the transaction
/// that appends an event, so that on PostgreSQL appends to one conference take turns until
/// they commit: numbers become visible in the order they were given, and a reader that has
/// seen number n has seen every number before it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub conference_id: i32,
    pub last_seq: i64,
}
no_relations!();
