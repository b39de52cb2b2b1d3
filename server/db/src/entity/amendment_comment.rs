use sea_orm::entity::prelude::*;

/// A comment on an amendment (Markdown).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "amendment_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub amendment_id: i32,
    /// `None` once the person is deleted
    pub author_person_id: Option<i32>,
    pub body: String,
    pub created_at: DateTimeUtc,
}
no_relations!();
