//! Nominations: invitations a head of delegation sends to future members.

use super::*;

pub(super) struct M0008Nominations;

impl MigrationName for M0008Nominations {
    fn name(&self) -> &str {
        "m0008_nominations"
    }
}

#[derive(DeriveIden)]
pub(super) enum InvitationsV8 {
    #[sea_orm(iden = "invitations")]
    Table,
    DelegationId,
    MemberRole,
    InviteeName,
}

#[async_trait::async_trait]
impl MigrationTrait for M0008Nominations {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            InvitationsV8::Table,
            [
                integer_null(InvitationsV8::DelegationId),
                string_null(InvitationsV8::MemberRole),
                string_null(InvitationsV8::InviteeName),
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            InvitationsV8::Table,
            [
                InvitationsV8::DelegationId,
                InvitationsV8::MemberRole,
                InvitationsV8::InviteeName,
            ],
        )
        .await?;
        Ok(())
    }
}
