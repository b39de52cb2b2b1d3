//! m0017: who is where (the editor, an amendment's page), and at which paragraph.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct M0017Presence;

impl MigrationName for M0017Presence {
    fn name(&self) -> &str {
        "m0017_presence"
    }
}

#[derive(DeriveIden)]
enum Presence {
    Table,
    ConferenceId,
    PersonId,
    Place,
    Paragraph,
    SeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0017Presence {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Presence::Table)
                .col(integer(Presence::ConferenceId))
                .col(integer(Presence::PersonId))
                .col(string(Presence::Place))
                .col(string_null(Presence::Paragraph))
                .col(timestamp_with_time_zone(Presence::SeenAt))
                .primary_key(
                    Index::create()
                        .col(Presence::ConferenceId)
                        .col(Presence::PersonId)
                        .col(Presence::Place),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Presence::Table).to_owned())
            .await
    }
}
