use sea_orm::entity::prelude::*;

/// One event of a conference's live stream (see `crate::events`), written in the transaction
/// of the change it announces. Never changed; pruned after `crate::events::RETENTION`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub conference_id: i32,
    /// 1, 2, … per conference, in the order the changes were committed (the SSE `id:`)
    pub seq: i64,
    /// JSON of `domain::live::Change`: what the browser hears
    pub change: String,
    /// JSON of `domain::live::Audience`: who may hear it (never sent)
    pub audience: String,
    pub created_at: DateTimeUtc,
}
no_relations!();
