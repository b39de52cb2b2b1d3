//! Writers queue instead of failing or deadlocking, on both engines.

use db::entity::room;
use db::testing::{Backend, TestDb};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    Statement,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_write_transactions_all_land() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.unwrap();
        let conf = db::queries::conference_by_slug(&t.db, db::seed::DEMO_SLUG)
            .await
            .unwrap()
            .unwrap();
        let mut tasks = Vec::new();
        // more writers than pooled connections, each reading before it writes and also
        // reading on the plain connection while its transaction is open
        for i in 0..40 {
            let db = t.db.clone();
            tasks.push(tokio::spawn(async move {
                let txn = db::begin_write(&db).await?;
                let n = room::Entity::find()
                    .filter(room::Column::ConferenceId.eq(conf.id))
                    .count(&*txn)
                    .await?;
                let _outside = db::queries::conferences(&db).await?;
                room::ActiveModel {
                    conference_id: Set(conf.id),
                    name: Set(format!("Annex {i} (after {n})")),
                    capacity: Set(10),
                    ..Default::default()
                }
                .insert(&*txn)
                .await?;
                txn.commit().await
            }));
        }
        for task in tasks {
            task.await
                .unwrap()
                .unwrap_or_else(|e| panic!("{:?}: {e}", t.backend));
        }
        let rooms = room::Entity::find()
            .filter(room::Column::ConferenceId.eq(conf.id))
            .count(&t.db)
            .await
            .unwrap();
        assert_eq!(rooms, 6 + 40, "{:?}", t.backend);
    }
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let t = TestDb::sqlite().await;
    assert_eq!(t.backend, Backend::Sqlite);
    let q = |sql: &str| Statement::from_string(t.db.get_database_backend(), sql.to_string());
    let mode =
        t.db.query_one_raw(q("PRAGMA journal_mode"))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(mode.try_get_by_index::<String>(0).unwrap(), "wal");
    let fk =
        t.db.query_one_raw(q("PRAGMA foreign_keys"))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(fk.try_get_by_index::<i32>(0).unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_together_prepare_the_database_once() {
    for t in TestDb::all().await {
        if t.backend == Backend::Sqlite {
            continue; // one process per SQLite file
        }
        let starts = (0..4).map(|_| {
            let url = t.url.clone();
            async move { db::prepare(&url, db::DemoData::Auto).await }
        });
        let results = futures_join_all(starts).await;
        let loaded = results
            .into_iter()
            .map(|r| r.expect("every instance starts").1)
            .filter(|r| {
                r.as_ref()
                    .is_some_and(|r| !r.conferences_created.is_empty())
            })
            .count();
        assert_eq!(loaded, 1, "exactly one instance loads the demo");
    }
}

async fn futures_join_all<F: std::future::Future + Send + 'static>(
    fs: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}
