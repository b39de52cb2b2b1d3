//! The demo conference loads on both engines, and loading it again changes nothing.

use db::entity::*;
use db::queries;
use db::seed::{load_demo, DEMO_SLUG};
use db::testing::TestDb;
use domain::ids::ConferenceId;
use sea_orm::{EntityTrait, PaginatorTrait};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_loads_once_on_every_backend() {
    for t in TestDb::all().await {
        let db = &t.db;
        let first = load_demo(db).await.expect("first load");
        assert_eq!(first.conferences_created.len(), 2, "{:?}", t.backend);
        assert_eq!(first.accounts_created, db::seed::DEMO_LOGINS.len());

        let sessions_before = session::Entity::find().count(db).await.unwrap();
        let second = load_demo(db).await.expect("second load");
        assert!(second.conferences_created.is_empty());
        assert_eq!(second.accounts_created, 0);
        assert_eq!(
            session::Entity::find().count(db).await.unwrap(),
            sessions_before
        );

        let conf = queries::conference_by_slug(db, DEMO_SLUG)
            .await
            .unwrap()
            .expect("demo conference");
        assert_eq!(conf.timezone, "America/Mexico_City");
        let sessions = queries::sessions(db, ConferenceId(conf.id)).await.unwrap();
        let count = |k: &str| sessions.iter().filter(|s| s.kind == k).count();
        assert_eq!(count("plenary"), 4, "{:?}", t.backend);
        assert_eq!(count("thematic_forum"), 4);
        assert!(sessions
            .iter()
            .any(|s| s.kind == "regional_forum" && s.title.contains("Europe")));
        // times come back in order and in UTC
        assert!(sessions
            .windows(2)
            .all(|w| w[0].starts_at <= w[1].starts_at));
        assert_eq!(
            sessions[0].starts_at.to_rfc3339(),
            "2015-09-28T14:00:00+00:00"
        );

        assert_eq!(queries::key_features(db).await.unwrap().len(), 12);

        let (decl, version) = queries::declaration(db, ConferenceId(conf.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(decl.status, "drafting");
        let version = version.expect("zero draft");
        assert_eq!(version.number, 1);
        assert_eq!(version.sha256, domain::text::sha256_hex(&version.markdown));

        let danes = registration::Entity::find().count(db).await.unwrap();
        assert_eq!(danes, 4);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scale_conference_has_400_released_sessions_without_clashes() {
    for t in TestDb::all().await {
        let db = &t.db;
        assert!(db::seed::load_scale(db).await.expect("generated"));
        assert!(!db::seed::load_scale(db).await.expect("idempotent"));
        let conf = queries::conference_by_slug(db, db::seed::SCALE_SLUG)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            queries::rooms(db, ConferenceId(conf.id))
                .await
                .unwrap()
                .len(),
            20
        );
        let (release, snap) = db::programme::latest(db, ConferenceId(conf.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(release.number, 1);
        assert_eq!(snap.sessions.len(), 400, "{:?}", t.backend);
        let slots = db::programme::slots(db, ConferenceId(conf.id))
            .await
            .unwrap();
        let rooms = db::programme::clash_rooms(db, ConferenceId(conf.id))
            .await
            .unwrap();
        let window = (
            snap.sessions[0].starts_at.timestamp() - 9 * 3600,
            snap.sessions[399].ends_at.timestamp() + 3600,
        );
        assert!(domain::clashes::clashes(&slots, &rooms, window).is_empty());
    }
}
