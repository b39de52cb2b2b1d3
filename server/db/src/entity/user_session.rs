use sea_orm::entity::prelude::*;

/// A log-in session (tower-sessions record as JSON), shared by every server instance.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub data: String,
    /// Unix seconds
    pub expires_at: i64,
    /// Unix seconds: when the session began (sessions end a fixed time after it)
    pub created_at: i64,
}
no_relations!();
