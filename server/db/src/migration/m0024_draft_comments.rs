//! Comments anchored to a passage of the working draft: the version the commenter read, the
//! passage's byte range in it and its words then; followed into later versions on reading.
//! Resolved comments keep who resolved them and when.

use super::*;

pub(super) struct M0024DraftComments;

impl MigrationName for M0024DraftComments {
    fn name(&self) -> &str {
        "m0024_draft_comments"
    }
}

#[derive(DeriveIden)]
enum DraftComments {
    Table,
    Id,
    DeclarationId,
    VersionId,
    AnchorStart,
    AnchorEnd,
    Quote,
    AuthorPersonId,
    Body,
    CreatedAt,
    ResolvedAt,
    ResolvedByPersonId,
}

#[derive(DeriveIden)]
enum DeclarationsV24 {
    #[sea_orm(iden = "declarations")]
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DeclarationVersionsV24 {
    #[sea_orm(iden = "declaration_versions")]
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PeopleV24 {
    #[sea_orm(iden = "people")]
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for M0024DraftComments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DraftComments as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(pk_auto(C::Id))
                .col(integer(C::DeclarationId))
                .col(integer(C::VersionId))
                .col(integer(C::AnchorStart))
                .col(integer(C::AnchorEnd))
                .col(text(C::Quote))
                .col(integer_null(C::AuthorPersonId))
                .col(text(C::Body))
                .col(timestamp_with_time_zone(C::CreatedAt))
                .col(timestamp_with_time_zone_null(C::ResolvedAt))
                .col(integer_null(C::ResolvedByPersonId))
                .foreign_key(&mut fk(
                    C::Table,
                    C::DeclarationId,
                    DeclarationsV24::Table,
                    DeclarationsV24::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    C::Table,
                    C::VersionId,
                    DeclarationVersionsV24::Table,
                    DeclarationVersionsV24::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    C::Table,
                    C::AuthorPersonId,
                    PeopleV24::Table,
                    PeopleV24::Id,
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    C::Table,
                    C::ResolvedByPersonId,
                    PeopleV24::Table,
                    PeopleV24::Id,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_draft_comments_declaration")
                .table(C::Table)
                .col(C::DeclarationId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DraftComments::Table).to_owned())
            .await
    }
}
