//! m0016: the live event stream. Each conference's events, numbered per conference, kept for
//! [`crate::events::RETENTION`]; and the per-conference counter that numbers them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct M0016Events;

impl MigrationName for M0016Events {
    fn name(&self) -> &str {
        "m0016_events"
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    ConferenceId,
    Seq,
    Change,
    Audience,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EventCounters {
    Table,
    ConferenceId,
    LastSeq,
}

#[derive(DeriveIden)]
enum ConferencesV16 {
    #[sea_orm(iden = "conferences")]
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for M0016Events {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(big_pk_auto(Events::Id))
                .col(integer(Events::ConferenceId))
                .col(big_integer(Events::Seq))
                .col(text(Events::Change))
                .col(text(Events::Audience))
                .col(timestamp_with_time_zone(Events::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Events::Table, Events::ConferenceId)
                        .to(ConferencesV16::Table, ConferencesV16::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("events_conference_seq")
                .table(Events::Table)
                .col(Events::ConferenceId)
                .col(Events::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("events_created_at")
                .table(Events::Table)
                .col(Events::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EventCounters::Table)
                .col(integer(EventCounters::ConferenceId).primary_key())
                .col(big_integer(EventCounters::LastSeq).default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(EventCounters::Table, EventCounters::ConferenceId)
                        .to(ConferencesV16::Table, ConferencesV16::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EventCounters::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Events::Table).to_owned())
            .await
    }
}
