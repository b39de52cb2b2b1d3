//! The schema, owned by sea-orm migrations, one file per migration. The same statements run on
//! SQLite and PostgreSQL. A released migration never changes; a change to the schema is a new file.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

mod m0001_foundation;
mod m0002_accounts;
mod m0003_enrolments;
mod m0004_drafting;
mod m0005_registration;
mod m0006_calendar_feeds;
mod m0007_member_caps;
mod m0008_nominations;
mod m0009_outbox_delivery;
mod m0010_paragraph_labels;
mod m0011_adoption;
mod m0012_paragraph_key_features;
mod m0013_programme_releases;
mod m0014_room_revisions;
mod m0015_hardening;
mod m0016_events;
mod m0017_presence;
mod m0018_shared_drafts;
mod m0019_typists;
mod m0020_amendment_deadline;
mod m0021_voting_order;
mod m0022_screen;
mod m0023_notification_opt_outs;
mod m0024_draft_comments;
mod m0025_sub_amendments;
mod m0026_private_conflicts;
mod m0027_desk;

// the tables each migration names, for the migrations after it
use m0001_foundation::*;
use m0002_accounts::*;
use m0003_enrolments::*;
use m0005_registration::*;
use m0006_calendar_feeds::*;
use m0007_member_caps::*;
use m0008_nominations::*;
use m0009_outbox_delivery::*;
use m0010_paragraph_labels::*;
use m0011_adoption::*;
use m0012_paragraph_key_features::*;
use m0013_programme_releases::*;
use m0014_room_revisions::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Foundation),
            Box::new(M0002Accounts),
            Box::new(M0003Enrolments),
            Box::new(m0004_drafting::M0004Drafting),
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
            Box::new(m0015_hardening::M0015Hardening),
            Box::new(m0016_events::M0016Events),
            Box::new(m0017_presence::M0017Presence),
            Box::new(m0018_shared_drafts::M0018SharedDrafts),
            Box::new(m0019_typists::M0019Typists),
            Box::new(m0020_amendment_deadline::M0020AmendmentDeadline),
            Box::new(m0021_voting_order::M0021VotingOrder),
            Box::new(m0022_screen::M0022Screen),
            Box::new(m0023_notification_opt_outs::M0023NotificationOptOuts),
            Box::new(m0024_draft_comments::M0024DraftComments),
            Box::new(m0025_sub_amendments::M0025SubAmendments),
            Box::new(m0026_private_conflicts::M0026PrivateConflicts),
            Box::new(m0027_desk::M0027Desk),
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
