use sea_orm::entity::prelude::*;

/// Failed log-ins for one address in a row, and the last one's time: each further
/// attempt waits longer (see `accounts::reserve_login`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttle")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub email_key: String,
    pub failures: i32,
    pub last_failure_at: Option<DateTimeUtc>,
}
no_relations!();
