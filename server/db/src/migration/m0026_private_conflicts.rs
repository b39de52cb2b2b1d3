//! A draft that a new text collides with stays a draft (holding its conflict) instead of going to
//! "needs update", which every reader sees: drafts are their sponsors' own. Drafts flagged before
//! this migration go back to "draft", keeping their conflict for the sponsor to resolve.

use super::*;

pub(super) struct M0026PrivateConflicts;

impl MigrationName for M0026PrivateConflicts {
    fn name(&self) -> &str {
        "m0026_private_conflicts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0026PrivateConflicts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // the last flag of each amendment needing an update came from "draft"
        m.get_connection()
            .execute_unprepared(
                "UPDATE amendments SET status = 'draft' \
                 WHERE status = 'needs_update' AND 'draft' = ( \
                   SELECT e.from_status FROM amendment_events e \
                   WHERE e.amendment_id = amendments.id AND e.to_status = 'needs_update' \
                   ORDER BY e.id DESC LIMIT 1)",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        // a draft holding a conflict is a valid state before and after
        Ok(())
    }
}
