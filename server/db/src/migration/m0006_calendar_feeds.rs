//! Personal calendar feeds: a secret address per person and conference (only its hash is
//! kept), which its owner can revoke.

use super::*;

pub(super) struct M0006CalendarFeeds;

impl MigrationName for M0006CalendarFeeds {
    fn name(&self) -> &str {
        "m0006_calendar_feeds"
    }
}

#[derive(DeriveIden)]
pub(super) enum CalendarFeeds {
    Table,
    TokenHash,
    PersonId,
    ConferenceId,
    CreatedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0006CalendarFeeds {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CalendarFeeds::Table)
                .col(string(CalendarFeeds::TokenHash).primary_key())
                .col(integer(CalendarFeeds::PersonId))
                .col(integer(CalendarFeeds::ConferenceId))
                .col(timestamp_with_time_zone(CalendarFeeds::CreatedAt))
                .col(timestamp_with_time_zone_null(CalendarFeeds::RevokedAt))
                .foreign_key(&mut fk(
                    CalendarFeeds::Table,
                    CalendarFeeds::PersonId,
                    People::Table,
                    People::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    CalendarFeeds::Table,
                    CalendarFeeds::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_calendar_feeds_person",
            CalendarFeeds::Table,
            &["person_id", "conference_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CalendarFeeds::Table).to_owned())
            .await?;
        Ok(())
    }
}
