//! What the chair shows on the plenary hall's screen: an amendment on the floor, or a paragraph
//! of the working draft (by its label), and when it was put there. Empty: nothing.

use super::*;

pub(super) struct M0022Screen;

impl MigrationName for M0022Screen {
    fn name(&self) -> &str {
        "m0022_screen"
    }
}

#[derive(DeriveIden)]
enum DeclarationsV22 {
    #[sea_orm(iden = "declarations")]
    Table,
    ScreenAmendmentId,
    ScreenParagraph,
    ScreenChangedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0022Screen {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DeclarationsV22 as D;
        add_columns(
            m,
            D::Table,
            [
                integer_null(D::ScreenAmendmentId).to_owned(),
                string_len_null(D::ScreenParagraph, 64).to_owned(),
                timestamp_with_time_zone_null(D::ScreenChangedAt).to_owned(),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DeclarationsV22 as D;
        drop_columns(
            m,
            D::Table,
            [D::ScreenChangedAt, D::ScreenParagraph, D::ScreenAmendmentId],
        )
        .await
    }
}
