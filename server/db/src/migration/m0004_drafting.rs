//! M0004: amendments to declarations, their co-sponsors, history and comments. Entities in
//! [`crate::entity`].

use super::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Delegations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Declarations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DeclarationVersions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Amendments {
    Table,
    Id,
    DeclarationId,
    Number,
    Title,
    Rationale,
    SponsorPersonId,
    SponsorDelegationId,
    OriginalBaseVersionId,
    BaseVersionId,
    ProposedMarkdown,
    Status,
    DecisionReason,
    ConflictMarkdown,
    ConflictVersionId,
    MergedVersionId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AmendmentSponsors {
    Table,
    AmendmentId,
    PersonId,
}

#[derive(DeriveIden)]
enum AmendmentEvents {
    Table,
    Id,
    AmendmentId,
    ActorPersonId,
    FromStatus,
    ToStatus,
    Note,
    At,
}

#[derive(DeriveIden)]
enum AmendmentComments {
    Table,
    Id,
    AmendmentId,
    AuthorPersonId,
    Body,
    CreatedAt,
}

/// Amendments (a proposed full text against a base version, with a status), co-sponsors,
/// the history of every transition, and comments.
///
/// References to versions use `NO ACTION` (checked at the end of the statement), so that
/// deleting a declaration, which cascades to both its versions and its amendments, succeeds.
/// A sponsor cannot be deleted while their amendments exist (`RESTRICT`); actors of events and
/// authors of comments are set to `NULL` instead.
pub(super) struct M0004Drafting;

impl MigrationName for M0004Drafting {
    fn name(&self) -> &str {
        "m0004_drafting"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004Drafting {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, NoAction, Restrict, SetNull};

        let version_fk = |col: Amendments| {
            fk(
                Amendments::Table,
                col,
                DeclarationVersions::Table,
                DeclarationVersions::Id,
                NoAction,
            )
        };
        m.create_table(
            Table::create()
                .table(Amendments::Table)
                .col(pk_auto(Amendments::Id))
                .col(integer(Amendments::DeclarationId))
                .col(integer(Amendments::Number))
                .col(string(Amendments::Title))
                .col(text(Amendments::Rationale))
                .col(integer(Amendments::SponsorPersonId))
                .col(integer_null(Amendments::SponsorDelegationId))
                .col(integer(Amendments::OriginalBaseVersionId))
                .col(integer(Amendments::BaseVersionId))
                .col(text(Amendments::ProposedMarkdown))
                .col(string(Amendments::Status))
                .col(text_null(Amendments::DecisionReason))
                .col(text_null(Amendments::ConflictMarkdown))
                .col(integer_null(Amendments::ConflictVersionId))
                .col(integer_null(Amendments::MergedVersionId))
                .col(timestamp_with_time_zone(Amendments::CreatedAt))
                .col(timestamp_with_time_zone(Amendments::UpdatedAt))
                .foreign_key(&mut fk(
                    Amendments::Table,
                    Amendments::DeclarationId,
                    Declarations::Table,
                    Declarations::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Amendments::Table,
                    Amendments::SponsorPersonId,
                    People::Table,
                    People::Id,
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    Amendments::Table,
                    Amendments::SponsorDelegationId,
                    Delegations::Table,
                    Delegations::Id,
                    SetNull,
                ))
                .foreign_key(&mut version_fk(Amendments::OriginalBaseVersionId))
                .foreign_key(&mut version_fk(Amendments::BaseVersionId))
                .foreign_key(&mut version_fk(Amendments::ConflictVersionId))
                .foreign_key(&mut version_fk(Amendments::MergedVersionId))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "ux_amendments_declaration_number",
            Amendments::Table,
            &["declaration_id", "number"],
        ))
        .await?;
        m.create_index(index(
            "ix_amendments_declaration_status",
            Amendments::Table,
            &["declaration_id", "status"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AmendmentSponsors::Table)
                .col(integer(AmendmentSponsors::AmendmentId))
                .col(integer(AmendmentSponsors::PersonId))
                .primary_key(
                    Index::create()
                        .col(AmendmentSponsors::AmendmentId)
                        .col(AmendmentSponsors::PersonId),
                )
                .foreign_key(&mut fk(
                    AmendmentSponsors::Table,
                    AmendmentSponsors::AmendmentId,
                    Amendments::Table,
                    Amendments::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    AmendmentSponsors::Table,
                    AmendmentSponsors::PersonId,
                    People::Table,
                    People::Id,
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AmendmentEvents::Table)
                .col(pk_auto(AmendmentEvents::Id))
                .col(integer(AmendmentEvents::AmendmentId))
                .col(integer_null(AmendmentEvents::ActorPersonId))
                .col(string_null(AmendmentEvents::FromStatus))
                .col(string(AmendmentEvents::ToStatus))
                .col(text_null(AmendmentEvents::Note))
                .col(timestamp_with_time_zone(AmendmentEvents::At))
                .foreign_key(&mut fk(
                    AmendmentEvents::Table,
                    AmendmentEvents::AmendmentId,
                    Amendments::Table,
                    Amendments::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    AmendmentEvents::Table,
                    AmendmentEvents::ActorPersonId,
                    People::Table,
                    People::Id,
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_amendment_events_amendment",
            AmendmentEvents::Table,
            &["amendment_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AmendmentComments::Table)
                .col(pk_auto(AmendmentComments::Id))
                .col(integer(AmendmentComments::AmendmentId))
                .col(integer_null(AmendmentComments::AuthorPersonId))
                .col(text(AmendmentComments::Body))
                .col(timestamp_with_time_zone(AmendmentComments::CreatedAt))
                .foreign_key(&mut fk(
                    AmendmentComments::Table,
                    AmendmentComments::AmendmentId,
                    Amendments::Table,
                    Amendments::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    AmendmentComments::Table,
                    AmendmentComments::AuthorPersonId,
                    People::Table,
                    People::Id,
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_amendment_comments_amendment",
            AmendmentComments::Table,
            &["amendment_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AmendmentComments::Table.into_iden(),
            AmendmentEvents::Table.into_iden(),
            AmendmentSponsors::Table.into_iden(),
            Amendments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
