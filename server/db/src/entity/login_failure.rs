use sea_orm::entity::prelude::*;

/// One failed log-in attempt (m0002). No longer written: failures are counted in
/// `login_throttle` (m0015); the table stays, as released migrations do.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email_key: String,
    pub at: DateTimeUtc,
}
no_relations!();
