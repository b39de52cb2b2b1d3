//! The amendment deadline the organisers set: from then on only the drafting committee may
//! propose, submit or edit amendments. Empty: no deadline.

use super::*;

pub(super) struct M0020AmendmentDeadline;

impl MigrationName for M0020AmendmentDeadline {
    fn name(&self) -> &str {
        "m0020_amendment_deadline"
    }
}

#[derive(DeriveIden)]
enum DeclarationsV20 {
    #[sea_orm(iden = "declarations")]
    Table,
    AmendmentDeadline,
}

#[async_trait::async_trait]
impl MigrationTrait for M0020AmendmentDeadline {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            DeclarationsV20::Table,
            [timestamp_with_time_zone_null(DeclarationsV20::AmendmentDeadline).to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            DeclarationsV20::Table,
            [DeclarationsV20::AmendmentDeadline],
        )
        .await
    }
}
