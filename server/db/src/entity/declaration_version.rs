use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declaration_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub declaration_id: i32,
    /// 1, 2, 3 … within its declaration
    pub number: i32,
    pub parent_id: Option<i32>,
    pub author_person_id: Option<i32>,
    pub message: String,
    /// direct_edit | merged_edit | merged_amendment | import (`VersionSource`)
    pub source: String,
    pub amendment_id: Option<i32>,
    pub markdown: String,
    pub sha256: String,
    pub created_at: DateTimeUtc,
    /// The paragraphs' labels ("-,1,2,2 bis"; see `domain::drafting::encode_labels`)
    pub paragraph_labels: String,
    /// For a version saved from the shared draft: who typed each character (JSON of
    /// `domain::coedit::Typists`); empty otherwise
    pub typists: String,
}
no_relations!();

impl Model {
    /// How it came about.
    pub fn origin(&self) -> domain::drafting::amendment::VersionSource {
        domain::drafting::amendment::VersionSource::read(&self.source)
    }
}
