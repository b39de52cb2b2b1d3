//! m0018: the text the committee co-edits, and its ordered operations.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct M0018SharedDrafts;

impl MigrationName for M0018SharedDrafts {
    fn name(&self) -> &str {
        "m0018_shared_drafts"
    }
}

#[derive(DeriveIden)]
enum SharedDrafts {
    Table,
    DeclarationId,
    BaseVersionId,
    Revision,
    Text,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SharedOps {
    Table,
    Id,
    DeclarationId,
    Revision,
    PersonId,
    Operation,
    ClientKey,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0018SharedDrafts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SharedDrafts::Table)
                .col(integer(SharedDrafts::DeclarationId).primary_key())
                .col(integer(SharedDrafts::BaseVersionId))
                .col(big_integer(SharedDrafts::Revision).default(0))
                .col(text(SharedDrafts::Text))
                .col(timestamp_with_time_zone(SharedDrafts::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SharedOps::Table)
                .col(big_pk_auto(SharedOps::Id))
                .col(integer(SharedOps::DeclarationId))
                .col(big_integer(SharedOps::Revision))
                .col(integer(SharedOps::PersonId))
                .col(text(SharedOps::Operation))
                .col(string(SharedOps::ClientKey))
                .col(timestamp_with_time_zone(SharedOps::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("shared_ops_revision")
                .table(SharedOps::Table)
                .col(SharedOps::DeclarationId)
                .col(SharedOps::Revision)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("shared_ops_client_key")
                .table(SharedOps::Table)
                .col(SharedOps::DeclarationId)
                .col(SharedOps::ClientKey)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SharedOps::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SharedDrafts::Table).to_owned())
            .await
    }
}
