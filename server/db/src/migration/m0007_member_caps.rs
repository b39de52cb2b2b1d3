//! Caps per member role of a delegation (UNESCO's rule: five delegates, five alternates).

use super::*;

pub(super) struct M0007MemberCaps;

impl MigrationName for M0007MemberCaps {
    fn name(&self) -> &str {
        "m0007_member_caps"
    }
}

#[derive(DeriveIden)]
pub(super) enum ConferencesV7 {
    #[sea_orm(iden = "conferences")]
    Table,
    CapDelegates,
    CapAlternates,
    CapAdvisers,
}

#[async_trait::async_trait]
impl MigrationTrait for M0007MemberCaps {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            ConferencesV7::Table,
            [
                integer_null(ConferencesV7::CapDelegates),
                integer_null(ConferencesV7::CapAlternates),
                integer_null(ConferencesV7::CapAdvisers),
            ],
        )
        .await?;
        // the UNESCO rule for conferences that exist already
        m.get_connection()
            .execute_unprepared("UPDATE conferences SET cap_delegates = 5, cap_alternates = 5")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            ConferencesV7::Table,
            [
                ConferencesV7::CapDelegates,
                ConferencesV7::CapAlternates,
                ConferencesV7::CapAdvisers,
            ],
        )
        .await?;
        Ok(())
    }
}
