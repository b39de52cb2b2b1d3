//! Released versions of the programme (each a frozen snapshot with its changes against the
//! previous one), the clashes an organiser has acknowledged, and a revision number on sessions
//! so that two organisers editing one session never silently overwrite each other.

use super::*;

pub(super) struct M0013ProgrammeReleases;

impl MigrationName for M0013ProgrammeReleases {
    fn name(&self) -> &str {
        "m0013_programme_releases"
    }
}

#[derive(DeriveIden)]
pub(super) enum ProgrammeReleases {
    Table,
    Id,
    ConferenceId,
    Number,
    Changelog,
    ReleasedAt,
    ReleasedByPersonId,
    Snapshot,
    Changes,
}

#[derive(DeriveIden)]
pub(super) enum ClashAcknowledgements {
    Table,
    ConferenceId,
    ClashKey,
    AcknowledgedByPersonId,
    AcknowledgedAt,
}

#[derive(DeriveIden)]
pub(super) enum SessionsV13 {
    #[sea_orm(iden = "sessions")]
    Table,
    Revision,
}

#[async_trait::async_trait]
impl MigrationTrait for M0013ProgrammeReleases {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ProgrammeReleases as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(pk_auto(R::Id))
                .col(integer(R::ConferenceId))
                .col(integer(R::Number))
                .col(text(R::Changelog))
                .col(timestamp_with_time_zone(R::ReleasedAt))
                .col(integer_null(R::ReleasedByPersonId))
                .col(text(R::Snapshot))
                .col(text(R::Changes))
                .foreign_key(&mut fk(
                    R::Table,
                    R::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "programme_releases_number",
            R::Table,
            &["conference_id", "number"],
        ))
        .await?;
        use ClashAcknowledgements as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(integer(A::ConferenceId))
                .col(string_len(A::ClashKey, 100))
                .col(integer_null(A::AcknowledgedByPersonId))
                .col(timestamp_with_time_zone(A::AcknowledgedAt))
                .primary_key(Index::create().col(A::ConferenceId).col(A::ClashKey))
                .foreign_key(&mut fk(
                    A::Table,
                    A::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        add_columns(
            m,
            SessionsV13::Table,
            [integer(SessionsV13::Revision).default(0).to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, SessionsV13::Table, [SessionsV13::Revision]).await?;
        m.drop_table(Table::drop().table(ClashAcknowledgements::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ProgrammeReleases::Table).to_owned())
            .await
    }
}
