//! The event log: numbered in commit order with no gaps, announced after commit (in this
//! process, and by NOTIFY to other instances on PostgreSQL), nothing left by a rolled-back write.

use db::events;
use db::testing::{Backend, TestDb};
use domain::ids::{ConferenceId, SessionId};
use domain::live::{Change, Event};
use std::time::Duration;

async fn demo(t: &TestDb) -> ConferenceId {
    db::seed::load_demo(&t.db).await.unwrap();
    let c = db::queries::conference_by_slug(&t.db, db::seed::DEMO_SLUG)
        .await
        .unwrap()
        .unwrap();
    ConferenceId(c.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_are_numbered_in_commit_order_and_a_reader_never_sees_a_gap() {
    for t in TestDb::all().await {
        let conf = demo(&t).await;
        let writers: Vec<_> = (0..40)
            .map(|i| {
                let db = t.db.clone();
                tokio::spawn(async move {
                    db::write(&db, async |txn| {
                        let seq =
                            events::append(txn, conf, &Event::seats_changed(SessionId(i))).await?;
                        // hold the transaction open a little, so that writers overlap
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        Ok::<_, db::DbErr>(seq)
                    })
                    .await
                })
            })
            .collect();
        // a reader following the log while the writers run
        let reader = {
            let db = t.db.clone();
            tokio::spawn(async move {
                let mut seen = 0i64;
                while seen < 40 {
                    for e in events::after(&db, conf, seen, 100).await.unwrap() {
                        assert_eq!(e.seq, seen + 1, "a gap after {seen}");
                        seen = e.seq;
                    }
                    tokio::task::yield_now().await;
                }
                seen
            })
        };
        let mut seqs = Vec::new();
        for w in writers {
            seqs.push(w.await.unwrap().unwrap());
        }
        seqs.sort();
        assert_eq!(seqs, (1..=40).collect::<Vec<_>>(), "{:?}", t.backend);
        assert_eq!(reader.await.unwrap(), 40);
        assert_eq!(events::last_seq(&t.db, conf).await.unwrap(), 40);
        let all = events::after(&t.db, conf, 0, 1000).await.unwrap();
        let mut sessions: Vec<i32> = all
            .iter()
            .map(|e| match e.change {
                Change::SeatsChanged { session } => session.0,
                _ => panic!("{:?}", e.change),
            })
            .collect();
        sessions.sort();
        assert_eq!(sessions, (0..40).collect::<Vec<_>>());
        assert_eq!(events::after(&t.db, conf, 38, 1000).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_write_is_announced_after_commit_and_a_refused_one_leaves_nothing() {
    for t in TestDb::all().await {
        let conf = demo(&t).await;
        let mut heard = events::commits();
        let refused: Result<(), db::DbErr> = db::write(&t.db, async |txn| {
            events::append(txn, conf, &Event::registrations_changed()).await?;
            Err(db::DbErr::Custom("refused".into()))
        })
        .await;
        assert!(refused.is_err());
        assert_eq!(events::last_seq(&t.db, conf).await.unwrap(), 0);
        assert!(events::after(&t.db, conf, 0, 10).await.unwrap().is_empty());
        db::write(&t.db, async |txn| {
            events::append(txn, conf, &Event::outbox_changed()).await
        })
        .await
        .unwrap();
        // other tests of this binary write too: find ours
        let got = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                if heard.recv().await.unwrap() == conf {
                    break;
                }
            }
        })
        .await;
        assert!(got.is_ok(), "{:?}: no announcement", t.backend);
        let log = events::after(&t.db, conf, 0, 10).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].seq, &log[0].change), (1, &Change::OutboxChanged));
    }
}

#[tokio::test]
async fn postgres_notifies_other_instances_on_commit_only() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    let conf = demo(&t).await;
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect(&t.url)
        .await
        .unwrap();
    listener.listen(events::PG_CHANNEL).await.unwrap();
    let _: Result<(), db::DbErr> = db::write(&t.db, async |txn| {
        events::append(
            txn,
            conf,
            &Event::version_saved(domain::ids::VersionNumber(2)),
        )
        .await?;
        Err(db::DbErr::Custom("refused".into()))
    })
    .await;
    db::write(&t.db, async |txn| {
        events::append(txn, conf, &Event::declaration_published()).await
    })
    .await
    .unwrap();
    let n = tokio::time::timeout(Duration::from_secs(5), listener.recv())
        .await
        .expect("a notification")
        .unwrap();
    assert_eq!(n.payload(), conf.0.to_string());
    // the refused write sent nothing: the one notification is the committed one's
    assert!(
        tokio::time::timeout(Duration::from_millis(300), listener.recv())
            .await
            .is_err()
    );
    assert_eq!(t.backend, Backend::Postgres);
}

#[tokio::test]
async fn old_events_are_pruned_and_numbers_never_reused() {
    for t in TestDb::all().await {
        let conf = demo(&t).await;
        for _ in 0..3 {
            db::write(&t.db, async |txn| {
                events::append(txn, conf, &Event::programme_released(1)).await
            })
            .await
            .unwrap();
        }
        assert_eq!(events::prune(&t.db).await.unwrap(), 0, "nothing is old yet");
        let later = chrono::Utc::now() + chrono::Duration::seconds(1);
        assert_eq!(events::prune_before(&t.db, later).await.unwrap(), 3);
        let seq = db::write(&t.db, async |txn| {
            events::append(txn, conf, &Event::programme_released(2)).await
        })
        .await
        .unwrap();
        assert_eq!(seq, 4, "{:?}", t.backend);
    }
}
