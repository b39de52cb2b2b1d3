//! m0015: what the hardening needs. Outbox messages name their conference (organisers see only
//! their own conference's); log-in sessions are stored by a hash of their id, with the time
//! they began (for an absolute lifetime); log-in throttling per address is one row per address,
//! updated under a lock, so that parallel attempts cannot all pass one check. A write sent again
//! with the same idempotency key (a retry after a lost answer) finds the first one's result.

use super::{add_columns, drop_columns};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct M0015Hardening;

impl MigrationName for M0015Hardening {
    fn name(&self) -> &str {
        "m0015_hardening"
    }
}

#[derive(DeriveIden)]
enum OutboxV15 {
    #[sea_orm(iden = "outbox")]
    Table,
    ConferenceId,
}

#[derive(DeriveIden)]
enum UserSessionsV15 {
    #[sea_orm(iden = "user_sessions")]
    Table,
    CreatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Key,
    Action,
    PersonId,
    Result,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    EmailKey,
    Failures,
    LastFailureAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0015Hardening {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            OutboxV15::Table,
            [integer_null(OutboxV15::ConferenceId).to_owned()],
        )
        .await?;
        // sessions were stored by their id in clear: they cannot be looked up by hash, so
        // everyone logs in once more
        m.get_connection()
            .execute_unprepared("DELETE FROM user_sessions")
            .await?;
        add_columns(
            m,
            UserSessionsV15::Table,
            [big_integer(UserSessionsV15::CreatedAt)
                .default(0)
                .to_owned()],
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(string(LoginThrottle::EmailKey).primary_key())
                .col(integer(LoginThrottle::Failures).default(0))
                .col(timestamp_with_time_zone_null(LoginThrottle::LastFailureAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(string(IdempotencyKeys::Key).primary_key())
                .col(string(IdempotencyKeys::Action))
                .col(integer_null(IdempotencyKeys::PersonId))
                .col(text(IdempotencyKeys::Result))
                .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(LoginThrottle::Table).to_owned())
            .await?;
        drop_columns(m, UserSessionsV15::Table, [UserSessionsV15::CreatedAt]).await?;
        drop_columns(m, OutboxV15::Table, [OutboxV15::ConferenceId]).await
    }
}
