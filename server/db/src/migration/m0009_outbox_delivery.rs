//! Delivery of outbox messages by SMTP: attempts, the last error, and a claim, so that one of
//! several server instances sends each message.

use super::*;

pub(super) struct M0009OutboxDelivery;

impl MigrationName for M0009OutboxDelivery {
    fn name(&self) -> &str {
        "m0009_outbox_delivery"
    }
}

#[derive(DeriveIden)]
pub(super) enum OutboxV9 {
    #[sea_orm(iden = "outbox")]
    Table,
    Attempts,
    LastError,
    ClaimedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0009OutboxDelivery {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            OutboxV9::Table,
            [
                integer(OutboxV9::Attempts).default(0).to_owned(),
                text_null(OutboxV9::LastError),
                timestamp_with_time_zone_null(OutboxV9::ClaimedAt),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            OutboxV9::Table,
            [OutboxV9::Attempts, OutboxV9::LastError, OutboxV9::ClaimedAt],
        )
        .await
    }
}
