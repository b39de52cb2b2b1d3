//! The voting order of pending amendments: which amendment only makes sense after another
//! (recorded by the committee), and the committee's own order where it changed the proposed
//! one (`vote_rank`, by passage; empty: the proposed order).

use super::*;

pub(super) struct M0021VotingOrder;

impl MigrationName for M0021VotingOrder {
    fn name(&self) -> &str {
        "m0021_voting_order"
    }
}

#[derive(DeriveIden)]
enum AmendmentDependencies {
    Table,
    AmendmentId,
    DependsOnId,
}

#[derive(DeriveIden)]
enum AmendmentsV21 {
    #[sea_orm(iden = "amendments")]
    Table,
    Id,
    VoteRank,
}

#[async_trait::async_trait]
impl MigrationTrait for M0021VotingOrder {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AmendmentDependencies as D;
        m.create_table(
            Table::create()
                .table(D::Table)
                .col(integer(D::AmendmentId))
                .col(integer(D::DependsOnId))
                .primary_key(Index::create().col(D::AmendmentId).col(D::DependsOnId))
                .foreign_key(&mut fk(
                    D::Table,
                    D::AmendmentId,
                    AmendmentsV21::Table,
                    AmendmentsV21::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    D::Table,
                    D::DependsOnId,
                    AmendmentsV21::Table,
                    AmendmentsV21::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        add_columns(
            m,
            AmendmentsV21::Table,
            [integer_null(AmendmentsV21::VoteRank).to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, AmendmentsV21::Table, [AmendmentsV21::VoteRank]).await?;
        m.drop_table(Table::drop().table(AmendmentDependencies::Table).to_owned())
            .await
    }
}
