//! The notifications each person turned off (all are on until then): one row per person and
//! kind (`domain::notifications::Notification`).

use super::*;

pub(super) struct M0023NotificationOptOuts;

impl MigrationName for M0023NotificationOptOuts {
    fn name(&self) -> &str {
        "m0023_notification_opt_outs"
    }
}

#[derive(DeriveIden)]
enum NotificationOptOuts {
    Table,
    PersonId,
    Kind,
}

#[derive(DeriveIden)]
enum PeopleV23 {
    #[sea_orm(iden = "people")]
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for M0023NotificationOptOuts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use NotificationOptOuts as N;
        m.create_table(
            Table::create()
                .table(N::Table)
                .col(integer(N::PersonId))
                .col(string_len(N::Kind, 40))
                .primary_key(Index::create().col(N::PersonId).col(N::Kind))
                .foreign_key(&mut fk(
                    N::Table,
                    N::PersonId,
                    PeopleV23::Table,
                    PeopleV23::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(NotificationOptOuts::Table).to_owned())
            .await
    }
}
