//! Key Feature tags on the declaration's paragraphs, by the paragraph's label ("4 bis"), which
//! stays with the paragraph from version to version.

use super::*;

pub(super) struct M0012ParagraphKeyFeatures;

impl MigrationName for M0012ParagraphKeyFeatures {
    fn name(&self) -> &str {
        "m0012_paragraph_key_features"
    }
}

#[derive(DeriveIden)]
pub(super) enum ParagraphKeyFeatures {
    Table,
    DeclarationId,
    ParagraphLabel,
    KeyFeatureCode,
}

#[derive(DeriveIden)]
pub(super) enum DeclarationsV12 {
    #[sea_orm(iden = "declarations")]
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for M0012ParagraphKeyFeatures {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ParagraphKeyFeatures as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(integer(P::DeclarationId))
                .col(string_len(P::ParagraphLabel, 32))
                .col(string_len(P::KeyFeatureCode, 8))
                .primary_key(
                    Index::create()
                        .col(P::DeclarationId)
                        .col(P::ParagraphLabel)
                        .col(P::KeyFeatureCode),
                )
                .foreign_key(&mut fk(
                    P::Table,
                    P::DeclarationId,
                    DeclarationsV12::Table,
                    DeclarationsV12::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ParagraphKeyFeatures::Table).to_owned())
            .await
    }
}
