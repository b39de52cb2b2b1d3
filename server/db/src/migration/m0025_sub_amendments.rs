//! Amendments to amendments: an amendment may amend another pending amendment instead of the
//! declaration's text. It keeps the amendment it amends and that amendment's text as it was
//! written against, so it can follow that text when it changes (a three-way merge, as an
//! amendment follows the declaration).

use super::*;

pub(super) struct M0025SubAmendments;

impl MigrationName for M0025SubAmendments {
    fn name(&self) -> &str {
        "m0025_sub_amendments"
    }
}

#[derive(DeriveIden)]
enum AmendmentsV25 {
    #[sea_orm(iden = "amendments")]
    Table,
    ParentAmendmentId,
    ParentMarkdown,
}

#[async_trait::async_trait]
impl MigrationTrait for M0025SubAmendments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AmendmentsV25 as A;
        add_columns(
            m,
            A::Table,
            [
                integer_null(A::ParentAmendmentId).to_owned(),
                text_null(A::ParentMarkdown).to_owned(),
            ],
        )
        .await?;
        m.create_index(index(
            "amendments_parent",
            A::Table,
            &["parent_amendment_id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AmendmentsV25 as A;
        m.drop_index(
            Index::drop()
                .name("amendments_parent")
                .table(A::Table)
                .to_owned(),
        )
        .await?;
        drop_columns(m, A::Table, [A::ParentMarkdown, A::ParentAmendmentId]).await
    }
}
