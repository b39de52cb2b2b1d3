//! A revision number on rooms, as on sessions: two organisers renaming or resizing one room at
//! once never silently overwrite each other.

use super::*;

pub(super) struct M0014RoomRevisions;

impl MigrationName for M0014RoomRevisions {
    fn name(&self) -> &str {
        "m0014_room_revisions"
    }
}

#[derive(DeriveIden)]
pub(super) enum RoomsV14 {
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
