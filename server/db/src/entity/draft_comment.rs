use sea_orm::entity::prelude::*;

/// A comment on a passage of the working draft: bytes `anchor_start..anchor_end` of version
/// `version_id` (whose words then were `quote`), followed into later versions on reading
/// (`domain::drafting::anchors`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub declaration_id: i32,
    pub version_id: i32,
    pub anchor_start: i32,
    pub anchor_end: i32,
    pub quote: String,
    /// `None` once the person is deleted
    pub author_person_id: Option<i32>,
    pub body: String,
    pub created_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    pub resolved_by_person_id: Option<i32>,
}
no_relations!();
