//! Sign-ups for capacity-limited sessions: a seat or a place on the waiting list. The row id is
//! the arrival order (rows are only inserted while the session's roster is locked).

use super::*;

pub(super) struct M0003Enrolments;

impl MigrationName for M0003Enrolments {
    fn name(&self) -> &str {
        "m0003_enrolments"
    }
}

#[derive(DeriveIden)]
pub(super) enum Enrolments {
    Table,
    Id,
    SessionId,
    RegistrationId,
    Seat,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0003Enrolments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Enrolments::Table)
                .col(pk_auto(Enrolments::Id))
                .col(integer(Enrolments::SessionId))
                .col(integer(Enrolments::RegistrationId))
                .col(string(Enrolments::Seat))
                .col(timestamp_with_time_zone(Enrolments::CreatedAt))
                .col(timestamp_with_time_zone(Enrolments::UpdatedAt))
                .foreign_key(&mut fk(
                    Enrolments::Table,
                    Enrolments::SessionId,
                    Sessions::Table,
                    Sessions::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Enrolments::Table,
                    Enrolments::RegistrationId,
                    Registrations::Table,
                    Registrations::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_enrolments_session",
            Enrolments::Table,
            &["session_id", "seat"],
        ))
        .await?;
        m.create_index(index(
            "ix_enrolments_registration",
            Enrolments::Table,
            &["registration_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Enrolments::Table).to_owned())
            .await?;
        Ok(())
    }
}
