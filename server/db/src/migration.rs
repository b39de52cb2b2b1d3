//! The schema, owned by sea-orm migrations. The same statements run on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Foundation),
            Box::new(M0002Accounts),
            Box::new(M0003Enrolments),
            Box::new(crate::migration_drafting::M0004Drafting),
            Box::new(M0005Registration),
            Box::new(M0006CalendarFeeds),
            Box::new(M0007MemberCaps),
            Box::new(M0008Nominations),
            Box::new(M0009OutboxDelivery),
            Box::new(M0010ParagraphLabels),
            Box::new(M0011Adoption),
            Box::new(M0012ParagraphKeyFeatures),
            Box::new(M0013ProgrammeReleases),
            Box::new(M0014RoomRevisions),
            Box::new(crate::migration_hardening::M0015Hardening),
        ]
    }
}

#[derive(DeriveIden)]
enum Conferences {
    Table,
    Id,
    Slug,
    Title,
    Theme,
    City,
    Country,
    Venue,
    StartDate,
    EndDate,
    Timezone,
    Description,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
    ConferenceId,
    Name,
    Capacity,
}

#[derive(DeriveIden)]
enum KeyFeatures {
    Table,
    Code,
    Tier,
    Position,
    Title,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    Name,
    Organisation,
    Country,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    PersonId,
    Email,
    PasswordHash,
    CreatedAt,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum ConferenceRoles {
    Table,
    Id,
    ConferenceId,
    PersonId,
    Role,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    ConferenceId,
    Kind,
    Title,
    Description,
    RoomId,
    StartsAt,
    EndsAt,
    Capacity,
    Region,
}

#[derive(DeriveIden)]
enum SessionKeyFeatures {
    Table,
    SessionId,
    KeyFeatureCode,
}

#[derive(DeriveIden)]
enum SessionPeople {
    Table,
    SessionId,
    PersonId,
    Role,
    Position,
}

#[derive(DeriveIden)]
enum Delegations {
    Table,
    Id,
    ConferenceId,
    Name,
    Kind,
    Country,
    Region,
    LeadOrganisation,
    HeadPersonId,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
    ConferenceId,
    PersonId,
    DelegationId,
    Category,
    MemberRole,
    Status,
    StatusReason,
    Needs,
    ConsentListed,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Declarations {
    Table,
    Id,
    ConferenceId,
    Title,
    Status,
    CurrentVersionId,
}

#[derive(DeriveIden)]
enum DeclarationVersions {
    Table,
    Id,
    DeclarationId,
    Number,
    ParentId,
    AuthorPersonId,
    Message,
    Source,
    AmendmentId,
    Markdown,
    Sha256,
    CreatedAt,
}

pub(crate) fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .to_owned()
}

/// Add nullable columns to `table`, one statement each: SQLite adds columns one at a time.
pub(crate) async fn add_columns(
    m: &SchemaManager<'_>,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = ColumnDef>,
) -> Result<(), DbErr> {
    let table = table.into_iden();
    for mut col in columns {
        m.alter_table(
            Table::alter()
                .table(table.clone())
                .add_column(&mut col)
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

/// Drop columns of `table`, one statement each.
pub(crate) async fn drop_columns<C: IntoIden>(
    m: &SchemaManager<'_>,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    let table = table.into_iden();
    for col in columns {
        m.alter_table(
            Table::alter()
                .table(table.clone())
                .drop_column(col)
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

pub(crate) fn unique_index(
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table).unique();
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

pub(crate) fn index(
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

struct M0001Foundation;

impl MigrationName for M0001Foundation {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Foundation {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        m.create_table(
            Table::create()
                .table(Conferences::Table)
                .col(pk_auto(Conferences::Id))
                .col(string_uniq(Conferences::Slug))
                .col(string(Conferences::Title))
                .col(string(Conferences::Theme))
                .col(string(Conferences::City))
                .col(string(Conferences::Country))
                .col(string(Conferences::Venue))
                .col(date(Conferences::StartDate))
                .col(date(Conferences::EndDate))
                .col(string(Conferences::Timezone))
                .col(text(Conferences::Description))
                .col(timestamp_with_time_zone(Conferences::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Rooms::Table)
                .col(pk_auto(Rooms::Id))
                .col(integer(Rooms::ConferenceId))
                .col(string(Rooms::Name))
                .col(integer(Rooms::Capacity))
                .foreign_key(&mut fk(
                    Rooms::Table,
                    Rooms::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "ux_rooms_conference_name",
            Rooms::Table,
            &["conference_id", "name"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(KeyFeatures::Table)
                .col(string_len(KeyFeatures::Code, 8).primary_key())
                .col(string(KeyFeatures::Tier))
                .col(integer(KeyFeatures::Position))
                .col(string(KeyFeatures::Title))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(People::Table)
                .col(pk_auto(People::Id))
                .col(string(People::Name))
                .col(string_null(People::Organisation))
                .col(string_null(People::Country))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(pk_auto(Accounts::Id))
                .col(integer_uniq(Accounts::PersonId))
                .col(string_uniq(Accounts::Email))
                .col(string(Accounts::PasswordHash))
                .col(timestamp_with_time_zone(Accounts::CreatedAt))
                .foreign_key(&mut fk(
                    Accounts::Table,
                    Accounts::PersonId,
                    People::Table,
                    People::Id,
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ConferenceRoles::Table)
                .col(pk_auto(ConferenceRoles::Id))
                .col(integer(ConferenceRoles::ConferenceId))
                .col(integer(ConferenceRoles::PersonId))
                .col(string(ConferenceRoles::Role))
                .foreign_key(&mut fk(
                    ConferenceRoles::Table,
                    ConferenceRoles::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    ConferenceRoles::Table,
                    ConferenceRoles::PersonId,
                    People::Table,
                    People::Id,
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "ux_conference_roles",
            ConferenceRoles::Table,
            &["conference_id", "person_id", "role"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(pk_auto(Sessions::Id))
                .col(integer(Sessions::ConferenceId))
                .col(string(Sessions::Kind))
                .col(string(Sessions::Title))
                .col(text(Sessions::Description))
                .col(integer_null(Sessions::RoomId))
                .col(timestamp_with_time_zone(Sessions::StartsAt))
                .col(timestamp_with_time_zone(Sessions::EndsAt))
                .col(integer_null(Sessions::Capacity))
                .col(string_null(Sessions::Region))
                .foreign_key(&mut fk(
                    Sessions::Table,
                    Sessions::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Sessions::Table,
                    Sessions::RoomId,
                    Rooms::Table,
                    Rooms::Id,
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_sessions_conference_start",
            Sessions::Table,
            &["conference_id", "starts_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SessionKeyFeatures::Table)
                .col(integer(SessionKeyFeatures::SessionId))
                .col(string_len(SessionKeyFeatures::KeyFeatureCode, 8))
                .primary_key(
                    Index::create()
                        .col(SessionKeyFeatures::SessionId)
                        .col(SessionKeyFeatures::KeyFeatureCode),
                )
                .foreign_key(&mut fk(
                    SessionKeyFeatures::Table,
                    SessionKeyFeatures::SessionId,
                    Sessions::Table,
                    Sessions::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    SessionKeyFeatures::Table,
                    SessionKeyFeatures::KeyFeatureCode,
                    KeyFeatures::Table,
                    KeyFeatures::Code,
                    Restrict,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SessionPeople::Table)
                .col(integer(SessionPeople::SessionId))
                .col(integer(SessionPeople::PersonId))
                .col(string(SessionPeople::Role))
                .col(integer(SessionPeople::Position))
                .primary_key(
                    Index::create()
                        .col(SessionPeople::SessionId)
                        .col(SessionPeople::PersonId)
                        .col(SessionPeople::Role),
                )
                .foreign_key(&mut fk(
                    SessionPeople::Table,
                    SessionPeople::SessionId,
                    Sessions::Table,
                    Sessions::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    SessionPeople::Table,
                    SessionPeople::PersonId,
                    People::Table,
                    People::Id,
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Delegations::Table)
                .col(pk_auto(Delegations::Id))
                .col(integer(Delegations::ConferenceId))
                .col(string(Delegations::Name))
                .col(string(Delegations::Kind))
                .col(string_null(Delegations::Country))
                .col(string_null(Delegations::Region))
                .col(string_null(Delegations::LeadOrganisation))
                .col(integer_null(Delegations::HeadPersonId))
                .foreign_key(&mut fk(
                    Delegations::Table,
                    Delegations::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Delegations::Table,
                    Delegations::HeadPersonId,
                    People::Table,
                    People::Id,
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "ux_delegations_conference_name",
            Delegations::Table,
            &["conference_id", "name"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Registrations::Table)
                .col(pk_auto(Registrations::Id))
                .col(integer(Registrations::ConferenceId))
                .col(integer(Registrations::PersonId))
                .col(integer_null(Registrations::DelegationId))
                .col(string(Registrations::Category))
                .col(string_null(Registrations::MemberRole))
                .col(string(Registrations::Status))
                .col(text_null(Registrations::StatusReason))
                .col(text(Registrations::Needs))
                .col(boolean(Registrations::ConsentListed))
                .col(timestamp_with_time_zone(Registrations::CreatedAt))
                .col(timestamp_with_time_zone(Registrations::UpdatedAt))
                .foreign_key(&mut fk(
                    Registrations::Table,
                    Registrations::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Registrations::Table,
                    Registrations::PersonId,
                    People::Table,
                    People::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Registrations::Table,
                    Registrations::DelegationId,
                    Delegations::Table,
                    Delegations::Id,
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "ux_registrations_conference_person",
            Registrations::Table,
            &["conference_id", "person_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Declarations::Table)
                .col(pk_auto(Declarations::Id))
                .col(integer_uniq(Declarations::ConferenceId))
                .col(string(Declarations::Title))
                .col(string(Declarations::Status))
                .col(integer_null(Declarations::CurrentVersionId))
                .foreign_key(&mut fk(
                    Declarations::Table,
                    Declarations::ConferenceId,
                    Conferences::Table,
                    Conferences::Id,
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DeclarationVersions::Table)
                .col(pk_auto(DeclarationVersions::Id))
                .col(integer(DeclarationVersions::DeclarationId))
                .col(integer(DeclarationVersions::Number))
                .col(integer_null(DeclarationVersions::ParentId))
                .col(integer_null(DeclarationVersions::AuthorPersonId))
                .col(text(DeclarationVersions::Message))
                .col(string(DeclarationVersions::Source))
                .col(integer_null(DeclarationVersions::AmendmentId))
                .col(text(DeclarationVersions::Markdown))
                .col(string_len(DeclarationVersions::Sha256, 64))
                .col(timestamp_with_time_zone(DeclarationVersions::CreatedAt))
                .foreign_key(&mut fk(
                    DeclarationVersions::Table,
                    DeclarationVersions::DeclarationId,
                    Declarations::Table,
                    Declarations::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    DeclarationVersions::Table,
                    DeclarationVersions::ParentId,
                    DeclarationVersions::Table,
                    DeclarationVersions::Id,
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    DeclarationVersions::Table,
                    DeclarationVersions::AuthorPersonId,
                    People::Table,
                    People::Id,
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "ux_declaration_versions_number",
            DeclarationVersions::Table,
            &["declaration_id", "number"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DeclarationVersions::Table.into_iden(),
            Declarations::Table.into_iden(),
            Registrations::Table.into_iden(),
            Delegations::Table.into_iden(),
            SessionPeople::Table.into_iden(),
            SessionKeyFeatures::Table.into_iden(),
            Sessions::Table.into_iden(),
            ConferenceRoles::Table.into_iden(),
            Accounts::Table.into_iden(),
            People::Table.into_iden(),
            KeyFeatures::Table.into_iden(),
            Rooms::Table.into_iden(),
            Conferences::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

/// Log-in sessions, confirmation and reset tokens, rate limiting of log-in attempts, the
/// outbox of messages, and invitations that carry a role.
struct M0002Accounts;

impl MigrationName for M0002Accounts {
    fn name(&self) -> &str {
        "m0002_accounts"
    }
}

#[derive(DeriveIden)]
enum UserSessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    EmailKey,
    At,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    ToEmail,
    Subject,
    Body,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum AccountTokens {
    Table,
    TokenHash,
    AccountId,
    Purpose,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Invitations {
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

/// Sign-ups for capacity-limited sessions: a seat or a place on the waiting list. The row id is
/// the arrival order (rows are only inserted while the session's roster is locked).
struct M0003Enrolments;

impl MigrationName for M0003Enrolments {
    fn name(&self) -> &str {
        "m0003_enrolments"
    }
}

#[derive(DeriveIden)]
enum Enrolments {
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

/// The registration window and the overall cap of a conference.
struct M0005Registration;

impl MigrationName for M0005Registration {
    fn name(&self) -> &str {
        "m0005_registration"
    }
}

#[derive(DeriveIden)]
enum ConferencesV5 {
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

/// Personal calendar feeds: a secret address per person and conference (only its hash is
/// kept), which its owner can revoke.
struct M0006CalendarFeeds;

impl MigrationName for M0006CalendarFeeds {
    fn name(&self) -> &str {
        "m0006_calendar_feeds"
    }
}

#[derive(DeriveIden)]
enum CalendarFeeds {
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

/// Caps per member role of a delegation (UNESCO's rule: five delegates, five alternates).
struct M0007MemberCaps;

impl MigrationName for M0007MemberCaps {
    fn name(&self) -> &str {
        "m0007_member_caps"
    }
}

#[derive(DeriveIden)]
enum ConferencesV7 {
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

/// Nominations: invitations a head of delegation sends to future members.
struct M0008Nominations;

impl MigrationName for M0008Nominations {
    fn name(&self) -> &str {
        "m0008_nominations"
    }
}

#[derive(DeriveIden)]
enum InvitationsV8 {
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

/// Delivery of outbox messages by SMTP: attempts, the last error, and a claim, so that one of
/// several server instances sends each message.
struct M0009OutboxDelivery;

impl MigrationName for M0009OutboxDelivery {
    fn name(&self) -> &str {
        "m0009_outbox_delivery"
    }
}

#[derive(DeriveIden)]
enum OutboxV9 {
    #[sea_orm(iden = "outbox")]
    Table,
    Attempts,
    LastError,
    ClaimedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0009OutboxDelivery {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            OutboxV9::Table,
            [
                integer(OutboxV9::Attempts).default(0).to_owned(),
                text_null(OutboxV9::LastError),
                timestamp_with_time_zone_null(OutboxV9::ClaimedAt),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            OutboxV9::Table,
            [OutboxV9::Attempts, OutboxV9::LastError, OutboxV9::ClaimedAt],
        )
        .await
    }
}

/// Paragraph labels ("4 bis") stored with each version of a declaration, so that a paragraph
/// keeps its label from version to version. Versions already there get theirs in version order.
struct M0010ParagraphLabels;

impl MigrationName for M0010ParagraphLabels {
    fn name(&self) -> &str {
        "m0010_paragraph_labels"
    }
}

#[derive(DeriveIden)]
enum VersionsV10 {
    #[sea_orm(iden = "declaration_versions")]
    Table,
    ParagraphLabels,
}

#[async_trait::async_trait]
impl MigrationTrait for M0010ParagraphLabels {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            VersionsV10::Table,
            [text(VersionsV10::ParagraphLabels).default("").to_owned()],
        )
        .await?;
        crate::drafting::label_all_versions(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, VersionsV10::Table, [VersionsV10::ParagraphLabels]).await
    }
}

/// Adoption and publication of a declaration: which version was adopted, when (the date, in
/// the conference's calendar), where and at which session, by whom; when it was published and
/// whether its drafting history is public.
struct M0011Adoption;

impl MigrationName for M0011Adoption {
    fn name(&self) -> &str {
        "m0011_adoption"
    }
}

#[derive(DeriveIden)]
enum DeclarationsV11 {
    #[sea_orm(iden = "declarations")]
    Table,
    AdoptedVersionId,
    AdoptedOn,
    AdoptedPlace,
    AdoptedSessionId,
    AdoptedByPersonId,
    AdoptedAt,
    PublishedAt,
    HistoryPublic,
}

#[async_trait::async_trait]
impl MigrationTrait for M0011Adoption {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DeclarationsV11 as D;
        add_columns(
            m,
            D::Table,
            [
                integer_null(D::AdoptedVersionId),
                date_null(D::AdoptedOn),
                string_null(D::AdoptedPlace),
                integer_null(D::AdoptedSessionId),
                integer_null(D::AdoptedByPersonId),
                timestamp_with_time_zone_null(D::AdoptedAt),
                timestamp_with_time_zone_null(D::PublishedAt),
                boolean(D::HistoryPublic).default(false).to_owned(),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DeclarationsV11 as D;
        drop_columns(
            m,
            D::Table,
            [
                D::AdoptedVersionId,
                D::AdoptedOn,
                D::AdoptedPlace,
                D::AdoptedSessionId,
                D::AdoptedByPersonId,
                D::AdoptedAt,
                D::PublishedAt,
                D::HistoryPublic,
            ],
        )
        .await
    }
}

/// Key Feature tags on the declaration's paragraphs, by the paragraph's label ("4 bis"), which
/// stays with the paragraph from version to version.
struct M0012ParagraphKeyFeatures;

impl MigrationName for M0012ParagraphKeyFeatures {
    fn name(&self) -> &str {
        "m0012_paragraph_key_features"
    }
}

#[derive(DeriveIden)]
enum ParagraphKeyFeatures {
    Table,
    DeclarationId,
    ParagraphLabel,
    KeyFeatureCode,
}

#[derive(DeriveIden)]
enum DeclarationsV12 {
    #[sea_orm(iden = "declarations")]
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for M0012ParagraphKeyFeatures {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ParagraphKeyFeatures as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(integer(P::DeclarationId))
                .col(string_len(P::ParagraphLabel, 32))
                .col(string_len(P::KeyFeatureCode, 8))
                .primary_key(
                    Index::create()
                        .col(P::DeclarationId)
                        .col(P::ParagraphLabel)
                        .col(P::KeyFeatureCode),
                )
                .foreign_key(&mut fk(
                    P::Table,
                    P::DeclarationId,
                    DeclarationsV12::Table,
                    DeclarationsV12::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ParagraphKeyFeatures::Table).to_owned())
            .await
    }
}

/// Released versions of the programme (each a frozen snapshot with its changes against the
/// previous one), the clashes an organiser has acknowledged, and a revision number on sessions
/// so that two organisers editing one session never silently overwrite each other.
struct M0013ProgrammeReleases;

impl MigrationName for M0013ProgrammeReleases {
    fn name(&self) -> &str {
        "m0013_programme_releases"
    }
}

#[derive(DeriveIden)]
enum ProgrammeReleases {
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
enum ClashAcknowledgements {
    Table,
    ConferenceId,
    ClashKey,
    AcknowledgedByPersonId,
    AcknowledgedAt,
}

#[derive(DeriveIden)]
enum SessionsV13 {
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

/// A revision number on rooms, as on sessions: two organisers renaming or resizing one room at
/// once never silently overwrite each other.
struct M0014RoomRevisions;

impl MigrationName for M0014RoomRevisions {
    fn name(&self) -> &str {
        "m0014_room_revisions"
    }
}

#[derive(DeriveIden)]
enum RoomsV14 {
    #[sea_orm(iden = "rooms")]
    Table,
    Revision,
}

#[async_trait::async_trait]
impl MigrationTrait for M0014RoomRevisions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            RoomsV14::Table,
            [integer(RoomsV14::Revision).default(0).to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, RoomsV14::Table, [RoomsV14::Revision]).await
    }
}
