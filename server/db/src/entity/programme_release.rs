use sea_orm::entity::prelude::*;

/// A released version of a conference's programme. Never changed once written.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_releases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub conference_id: i32,
    /// 1, 2, … per conference
    pub number: i32,
    pub changelog: String,
    pub released_at: DateTimeUtc,
    pub released_by_person_id: Option<i32>,
    /// JSON of [`crate::programme::Snapshot`]
    pub snapshot: String,
    /// JSON of the `domain::releases::Change`s against the previous release
    pub changes: String,
}
no_relations!();
