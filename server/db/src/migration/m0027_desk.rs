//! The secretariat's desk: each accredited participant's badge code (printed on the badge as
//! text and as a QR code; a new one revokes the old), their arrival at the conference, and
//! their check-in at capacity-limited sessions. One arrival per registration and one check-in
//! per registration and session: the primary keys make two organisers checking in the same
//! person at once record one.

use super::*;

pub(super) struct M0027Desk;

impl MigrationName for M0027Desk {
    fn name(&self) -> &str {
        "m0027_desk"
    }
}

#[derive(DeriveIden)]
enum Badges {
    Table,
    RegistrationId,
    ConferenceId,
    Code,
    IssuedAt,
}

#[derive(DeriveIden)]
enum Arrivals {
    Table,
    RegistrationId,
    ConferenceId,
    ArrivedAt,
    ByPersonId,
}

#[derive(DeriveIden)]
enum SessionCheckIns {
    Table,
    SessionId,
    RegistrationId,
    ArrivedAt,
    ByPersonId,
}

#[derive(DeriveIden)]
enum RegistrationsV27 {
    #[sea_orm(iden = "registrations")]
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SessionsV27 {
    #[sea_orm(iden = "sessions")]
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for M0027Desk {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use RegistrationsV27 as R;
        m.create_table(
            Table::create()
                .table(Badges::Table)
                .col(integer(Badges::RegistrationId).primary_key())
                .col(integer(Badges::ConferenceId))
                .col(string_len(Badges::Code, 32).unique_key())
                .col(timestamp_with_time_zone(Badges::IssuedAt))
                .foreign_key(&mut fk(
                    Badges::Table,
                    Badges::RegistrationId,
                    R::Table,
                    R::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Arrivals::Table)
                .col(integer(Arrivals::RegistrationId).primary_key())
                .col(integer(Arrivals::ConferenceId))
                .col(timestamp_with_time_zone(Arrivals::ArrivedAt))
                .col(integer_null(Arrivals::ByPersonId))
                .foreign_key(&mut fk(
                    Arrivals::Table,
                    Arrivals::RegistrationId,
                    R::Table,
                    R::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "arrivals_conference",
            Arrivals::Table,
            &["conference_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(SessionCheckIns::Table)
                .col(integer(SessionCheckIns::SessionId))
                .col(integer(SessionCheckIns::RegistrationId))
                .col(timestamp_with_time_zone(SessionCheckIns::ArrivedAt))
                .col(integer_null(SessionCheckIns::ByPersonId))
                .primary_key(
                    Index::create()
                        .col(SessionCheckIns::SessionId)
                        .col(SessionCheckIns::RegistrationId),
                )
                .foreign_key(&mut fk(
                    SessionCheckIns::Table,
                    SessionCheckIns::SessionId,
                    SessionsV27::Table,
                    SessionsV27::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    SessionCheckIns::Table,
                    SessionCheckIns::RegistrationId,
                    R::Table,
                    R::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["session_check_ins", "arrivals", "badges"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
