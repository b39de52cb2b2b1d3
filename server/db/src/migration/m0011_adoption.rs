//! Adoption and publication of a declaration: which version was adopted, when (the date, in
//! the conference's calendar), where and at which session, by whom; when it was published and
//! whether its drafting history is public.

use super::*;

pub(super) struct M0011Adoption;

impl MigrationName for M0011Adoption {
    fn name(&self) -> &str {
        "m0011_adoption"
    }
}

#[derive(DeriveIden)]
pub(super) enum DeclarationsV11 {
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
