use sea_orm::entity::prelude::*;

/// A secret calendar address of one person in one conference (only the SHA-256 of the
/// secret is kept).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_feeds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub person_id: i32,
    pub conference_id: i32,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}
no_relations!();
