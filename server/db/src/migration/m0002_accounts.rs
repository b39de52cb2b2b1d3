//! Log-in sessions, confirmation and reset tokens, rate limiting of log-in attempts, the
//! outbox of messages, and invitations that carry a role.

use super::*;

pub(super) struct M0002Accounts;

impl MigrationName for M0002Accounts {
    fn name(&self) -> &str {
        "m0002_accounts"
    }
}

#[derive(DeriveIden)]
pub(super) enum UserSessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
pub(super) enum LoginFailures {
    Table,
    Id,
    EmailKey,
    At,
}

#[derive(DeriveIden)]
pub(super) enum Outbox {
    Table,
    Id,
    ToEmail,
    Subject,
    Body,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
pub(super) enum AccountTokens {
    Table,
    TokenHash,
    AccountId,
    Purpose,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
pub(super) enum Invitations {
    Table,
    TokenHash,
    ConferenceId,
    Role,
    Email,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedBy,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0002Accounts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(timestamp_with_time_zone_null(Accounts::ConfirmedAt))
                .to_owned(),
        )
        .await?;
        // accounts made before confirmation existed (the demo ones) count as confirmed
        m.get_connection()
            .execute_unprepared("UPDATE accounts SET confirmed_at = created_at")
            .await?;

        m.create_table(
            Table::create()
                .table(UserSessions::Table)
                .col(string(UserSessions::Id).primary_key())
                .col(text(UserSessions::Data))
                .col(big_integer(UserSessions::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_user_sessions_expires",
            UserSessions::Table,
            &["expires_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(pk_auto(LoginFailures::Id))
                .col(string(LoginFailures::EmailKey))
                .col(timestamp_with_time_zone(LoginFailures::At))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_login_failures_email_at",
            LoginFailures::Table,
            &["email_key", "at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(pk_auto(Outbox::Id))
                .col(string(Outbox::ToEmail))
                .col(string(Outbox::Subject))
                .col(text(Outbox::Body))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccountTokens::Table)
                .col(string(AccountTokens::TokenHash).primary_key())
                .col(integer(AccountTokens::AccountId))
                .col(string(AccountTokens::Purpose))
                .col(timestamp_with_time_zone(AccountTokens::CreatedAt))
                .col(timestamp_with_time_zone(AccountTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(AccountTokens::UsedAt))
                .foreign_key(&mut fk(
                    AccountTokens::Table,
                    AccountTokens::AccountId,
                    Accounts::Table,
                    Accounts::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Invitations::Table)
                .col(string(Invitations::TokenHash).primary_key())
                .col(integer(Invitations::ConferenceId))
                .col(string(Invitations::Role))
                .col(string_null(Invitations::Email))
                .col(integer(Invitations::CreatedBy))
                .col(timestamp_with_time_zone(Invitations::CreatedAt))
                .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                .col(integer_null(Invitations::UsedBy))
                .col(timestamp_with_time_zone_null(Invitations::UsedAt))
                .foreign_key(&mut fk(
                    Invitations::Table,
                    Invitations::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Invitations::Table,
                    Invitations::CreatedBy,
                    People::Table,
                    People::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Invitations::Table.into_iden(),
            AccountTokens::Table.into_iden(),
            Outbox::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            UserSessions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .drop_column(Accounts::ConfirmedAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
