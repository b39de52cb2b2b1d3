//! m0001_foundation.

use super::*;

pub(super) struct M0001Foundation;

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
