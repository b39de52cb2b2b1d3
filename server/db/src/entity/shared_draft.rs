use sea_orm::entity::prelude::*;

/// The text the committee co-edits (see `crate::shared`): started from a version of the
/// declaration, changed by ordered operations, saved as a version when the committee says so.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shared_drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub declaration_id: i32,
    /// the version the text is written against (a save merges it onto the current one)
    pub base_version_id: i32,
    /// how many operations it has had
    pub revision: i64,
    pub text: String,
    /// who typed each character (JSON of `domain::coedit::Typists`; empty: nobody)
    pub typists: String,
    pub updated_at: DateTimeUtc,
}
no_relations!();
