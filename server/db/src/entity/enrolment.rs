use sea_orm::entity::prelude::*;

/// A registration's seat (or place on the waiting list) in a session. `id` is the
/// arrival order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    pub registration_id: i32,
    /// confirmed | waitlisted | cancelled
    pub seat: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}
no_relations!();
