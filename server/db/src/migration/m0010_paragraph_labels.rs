//! Paragraph labels ("4 bis") stored with each version of a declaration, so that a paragraph
//! keeps its label from version to version. Versions already there get theirs in version order.

use super::*;

pub(super) struct M0010ParagraphLabels;

impl MigrationName for M0010ParagraphLabels {
    fn name(&self) -> &str {
        "m0010_paragraph_labels"
    }
}

#[derive(DeriveIden)]
pub(super) enum VersionsV10 {
    #[sea_orm(iden = "declaration_versions")]
    Table,
    ParagraphLabels,
}

#[async_trait::async_trait]
impl MigrationTrait for M0010ParagraphLabels {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            VersionsV10::Table,
            [text(VersionsV10::ParagraphLabels).default("").to_owned()],
        )
        .await?;
        crate::drafting::label_all_versions(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, VersionsV10::Table, [VersionsV10::ParagraphLabels]).await
    }
}
