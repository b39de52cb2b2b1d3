//! Who typed what in the shared draft: runs of (characters, person) kept with the draft as it
//! is edited, and copied onto the version it is saved as, so that provenance credits each
//! passage of a co-edited version to the committee member who typed it. Empty: nobody's.
//! And where each operation's author had their caret, so that the others can draw it.

use super::*;

pub(super) struct M0019Typists;

impl MigrationName for M0019Typists {
    fn name(&self) -> &str {
        "m0019_typists"
    }
}

#[derive(DeriveIden)]
enum SharedDraftsV19 {
    #[sea_orm(iden = "shared_drafts")]
    Table,
    Typists,
}

#[derive(DeriveIden)]
enum SharedOpsV19 {
    #[sea_orm(iden = "shared_ops")]
    Table,
    Caret,
}

#[derive(DeriveIden)]
enum VersionsV19 {
    #[sea_orm(iden = "declaration_versions")]
    Table,
    Typists,
}

#[async_trait::async_trait]
impl MigrationTrait for M0019Typists {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            SharedDraftsV19::Table,
            [text(SharedDraftsV19::Typists).default("").to_owned()],
        )
        .await?;
        add_columns(
            m,
            VersionsV19::Table,
            [text(VersionsV19::Typists).default("").to_owned()],
        )
        .await?;
        add_columns(
            m,
            SharedOpsV19::Table,
            [big_integer_null(SharedOpsV19::Caret).to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, SharedOpsV19::Table, [SharedOpsV19::Caret]).await?;
        drop_columns(m, SharedDraftsV19::Table, [SharedDraftsV19::Typists]).await?;
        drop_columns(m, VersionsV19::Table, [VersionsV19::Typists]).await
    }
}
