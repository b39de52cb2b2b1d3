use sea_orm::entity::prelude::*;

/// A proposed change to a declaration: the full proposed text, written against
/// `base_version_id`. Its diff is computed from the two, never stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "amendments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub declaration_id: i32,
    /// 1, 2, 3 … within its declaration ("Amendment 3")
    pub number: i32,
    pub title: String,
    pub rationale: String,
    pub sponsor_person_id: i32,
    /// the delegation the sponsor proposes it for, if any
    pub sponsor_delegation_id: Option<i32>,
    /// the version it was first written against; never changes
    pub original_base_version_id: i32,
    /// the version `proposed_markdown` is written against; moves forward when the
    /// amendment is rebased onto a new version
    pub base_version_id: i32,
    pub proposed_markdown: String,
    /// draft | submitted | needs_update | accepted | accepted_with_modification |
    /// rejected | withdrawn (see `crate::drafting::AmendmentStatus`)
    pub status: String,
    /// why it was rejected
    pub decision_reason: Option<String>,
    /// while `needs_update`: the version that could not be merged cleanly with
    /// the amendment, with git-style conflict markers where the two collide; the sponsor
    /// resolves it and submits the result against `conflict_version_id`
    pub conflict_markdown: Option<String>,
    /// while `needs_update`: the version `conflict_markdown` was computed against
    pub conflict_version_id: Option<i32>,
    /// once accepted: the version it became
    pub merged_version_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Its place in the voting order of its passage when the committee changed the proposed
    /// order (0, 1, 2 …); `None`: the proposed place.
    pub vote_rank: Option<i32>,
    /// For an amendment to an amendment: the amendment it amends (pending, in the same
    /// declaration). Its `proposed_markdown` is then the whole text as the amended amendment
    /// would have it, and `base_version_id` follows that amendment's.
    pub parent_amendment_id: Option<i32>,
    /// For an amendment to an amendment: the amended amendment's text it is written against
    /// (while `needs_update`, the text its conflict was shown on).
    pub parent_markdown: Option<String>,
}
no_relations!();

impl Model {
    /// Its state. The string stays in the row; everything above the entity reads this. A value
    /// no migration wrote reads as a draft, which only its sponsors see.
    pub fn state(&self) -> domain::drafting::amendment::AmendmentStatus {
        use domain::drafting::amendment::AmendmentStatus;
        AmendmentStatus::parse(&self.status).unwrap_or(AmendmentStatus::Draft)
    }
}
