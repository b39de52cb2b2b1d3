//! The registration window and the overall cap of a conference.

use super::*;

pub(super) struct M0005Registration;

impl MigrationName for M0005Registration {
    fn name(&self) -> &str {
        "m0005_registration"
    }
}

#[derive(DeriveIden)]
pub(super) enum ConferencesV5 {
    #[sea_orm(iden = "conferences")]
    Table,
    RegistrationOpensAt,
    RegistrationClosesAt,
    RegistrationCap,
}

#[async_trait::async_trait]
impl MigrationTrait for M0005Registration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            ConferencesV5::Table,
            [
                timestamp_with_time_zone_null(ConferencesV5::RegistrationOpensAt),
                timestamp_with_time_zone_null(ConferencesV5::RegistrationClosesAt),
                integer_null(ConferencesV5::RegistrationCap),
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            ConferencesV5::Table,
            [
                ConferencesV5::RegistrationOpensAt,
                ConferencesV5::RegistrationClosesAt,
                ConferencesV5::RegistrationCap,
            ],
        )
        .await?;
        Ok(())
    }
}
