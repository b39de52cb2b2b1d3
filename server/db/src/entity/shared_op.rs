use sea_orm::entity::prelude::*;

/// One operation on a shared draft, as the server ordered it (transformed against the ones
/// before it that its author had not seen). Never changed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shared_ops")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub declaration_id: i32,
    /// 1, 2, … per shared draft
    pub revision: i64,
    pub person_id: i32,
    /// JSON of `domain::coedit::Operation`
    pub operation: String,
    /// the key its editor sent it with: the same key again is the same operation (a retry)
    pub client_key: String,
    /// where its author's caret was once it was applied (a character index), if sent
    pub caret: Option<i64>,
    pub created_at: DateTimeUtc,
}
no_relations!();
