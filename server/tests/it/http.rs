//! The real server on a random port, against a fresh database on each engine.

use crate::common;
use db::testing::TestDb;
use domain::ids::ConferenceId;

use sea_orm::{ActiveModelTrait, Set};

struct TestApp {
    base: String,
    client: reqwest::Client,
    _db: TestDb,
}

async fn spawn_app(t: TestDb) -> TestApp {
    db::seed::load_demo(&t.db).await.expect("demo data");
    TestApp {
        base: common::serve(&t.db).await,
        client: common::client(),
        _db: t,
    }
}

impl TestApp {
    async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = r.status().as_u16();
        let body = r
            .text()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: body: {e}"));
        (status, body)
    }
    async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, body) = self.get(path).await;
        (
            status,
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
        )
    }
}

async fn each_backend() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for t in TestDb::all().await {
        apps.push(spawn_app(t).await);
    }
    apps
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_public_api() {
    for app in each_backend().await {
        assert_eq!(app.get("/healthz").await, (200, "ok".to_string()));

        let (s, list) = app.json("/api/v1/conferences").await;
        assert_eq!(s, 200);
        let slugs: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["slug"].as_str().unwrap())
            .collect();
        assert_eq!(slugs, ["mexico-city-2015", "beijing-2013"]);

        let (s, p) = app
            .json("/api/v1/conferences/mexico-city-2015/programme")
            .await;
        assert_eq!(s, 200);
        let sessions = p["sessions"].as_array().unwrap();
        let opening = &sessions[0];
        assert_eq!(opening["title"], "Opening ceremony");
        // local time with the offset Mexico City had in September 2015
        assert_eq!(opening["starts_at"], "2015-09-28T09:00:00-05:00");
        let fora = sessions
            .iter()
            .filter(|s| s["kind"] == "thematic_forum")
            .count();
        assert_eq!(fora, 4);

        let (s, d) = app
            .json("/api/v1/conferences/mexico-city-2015/declaration")
            .await;
        assert_eq!(s, 200);
        assert_eq!(d["status"], "drafting");
        assert_eq!(
            d["title"],
            "Mexico City Declaration on Sustainable Learning Cities"
        );
        // the working draft is for participants: the public API withholds it until published
        assert_eq!(d["markdown"], serde_json::Value::Null);
        assert_eq!(d["version"], serde_json::Value::Null);
        assert_eq!(d["sha256"], serde_json::Value::Null);

        for path in [
            "/api/v1/conferences/atlantis-2099/programme",
            "/api/v1/conferences/atlantis-2099/declaration",
            "/api/v1/nothing-here",
        ] {
            let (s, e) = app.json(path).await;
            assert_eq!(s, 404, "{path}");
            assert_eq!(e["error"]["kind"], "not_found", "{path}");
            assert!(!e["error"]["message"].as_str().unwrap().is_empty());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_on_the_server() {
    for app in each_backend().await {
        let (s, home) = app.get("/").await;
        assert_eq!(s, 200);
        assert!(home.contains("Second International Conference on Learning Cities"));
        assert!(home.contains("href=\"/conferences/beijing-2013\""));

        let (s, prog) = app.get("/conferences/mexico-city-2015/programme").await;
        assert_eq!(s, 200);
        assert!(prog.contains("Monday 28 September 2015"));
        assert!(prog.contains(
            "Thematic forum 3: How can learning cities encourage environmental stewardship?"
        ));
        assert!(prog.contains(">16:00<"), "forum start time in local time");
        // one view's markup: the grid to a desk (no user agent here), the list when asked for
        assert!(prog.contains("class=\"as-grid\"") && !prog.contains("4 in parallel"));
        let (s, list) = app
            .get("/conferences/mexico-city-2015/programme?view=list")
            .await;
        assert_eq!(s, 200);
        assert!(list.contains("4 in parallel"));
        // Key Features in the framework's order: pediment, columns, foundation
        let p4 = prog.find("Plenary 4: Implementing").unwrap();
        let tags = &prog[p4..];
        assert!(tags.find(">P3<").unwrap() < tags.find(">C1<").unwrap());
        assert!(tags.find(">C6<").unwrap() < tags.find(">F1<").unwrap());

        let (s, decl) = app.get("/conferences/mexico-city-2015/declaration").await;
        assert_eq!(s, 200);
        assert!(decl.contains("The declaration is being drafted"));
        assert!(!decl.contains("<h1>Mexico City Declaration on Sustainable Learning Cities</h1>"));

        let (s, over) = app.get("/conferences/mexico-city-2015").await;
        assert_eq!(s, 200);
        assert!(over.contains("America/Mexico_City"));

        for path in [
            "/conferences/atlantis-2099",
            "/conferences/atlantis-2099/programme",
            "/conferences/mexico-city-2015/sessions/999999",
            "/conferences/mexico-city-2015/sessions/not-a-number",
            // a real session, asked for under another conference
            "/conferences/beijing-2013/sessions/1",
            "/no/such/page",
        ] {
            let (s, body) = app.get(path).await;
            assert_eq!(s, 404, "{path}");
            assert!(body.contains("Not found"), "{path}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_markdown_never_becomes_script() {
    for app in each_backend().await {
        let t = &app._db;
        let conf = db::queries::conference_by_slug(&t.db, "mexico-city-2015")
            .await
            .unwrap()
            .unwrap();
        let s = db::entity::session::ActiveModel {
            conference_id: Set(conf.id),
            kind: Set("side_event".into()),
            title: Set("</title><script>alert(1)</script><img src=x onerror=alert(1)>".into()),
            description: Set(
                "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <svg onload=alert(1)>"
                    .into(),
            ),
            room_id: Set(None),
            starts_at: Set(chrono::Utc::now()),
            ends_at: Set(chrono::Utc::now()),
            capacity: Set(None),
            region: Set(None),
            ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap();
        // visitors see released sessions
        db::programme::release(
            &t.db,
            ConferenceId(conf.id),
            None,
            "A session with hostile text",
        )
        .await
        .unwrap()
        .expect("a new release");
        let (status, page) = app
            .get(&format!("/conferences/mexico-city-2015/sessions/{}", s.id))
            .await;
        assert_eq!(status, 200);
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(!page.contains("<img src=x"), "{page}");
        assert!(!page.contains("<svg onload"));
        assert!(!page.contains("href=\"javascript:"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_are_compressed() {
    let app = spawn_app(TestDb::sqlite().await).await;
    let r = app
        .client
        .get(format!(
            "{}/api/v1/conferences/mexico-city-2015/programme",
            app.base
        ))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_answer_with_the_error_status() {
    let app = spawn_app(TestDb::sqlite().await).await;
    // server function paths carry a hash suffix: look the real one up in the registry
    let path = server_fn_path("get_programme");
    let r = app
        .client
        .post(format!("{}{path}", app.base))
        .form(&[("slug", "atlantis-2099")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body = r.text().await.unwrap();
    assert!(body.contains("not_found"), "{body}");

    // arguments of the wrong form: a 4xx with a fixed message, not a 500 with decoder text
    let path = server_fn_path("get_session");
    let r = app
        .client
        .post(format!("{}{path}", app.base))
        .form(&[("slug", "mexico-city-2015"), ("id", "abc")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("validation"), "{body}");
    assert!(
        !body.contains("invalid digit"),
        "decoder text leaked: {body}"
    );
}

fn server_fn_path(name: &str) -> String {
    server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .find(|p| p.starts_with(&format!("/fn/{name}")))
        .unwrap_or_else(|| panic!("no server function {name}"))
}

/// Building a router generates the route list, which suppresses resource loading process-wide
/// for a moment (leptos-rs/leptos#4773): a page rendered meanwhile would never finish. Routers
/// built while pages render (as the test files do, and several instances in one process would)
/// must not stall a response.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routers_built_while_pages_render_never_stall_a_response() {
    let t = TestDb::sqlite().await;
    let app = spawn_app(t).await;
    let db = app._db.db.clone();
    let builders = tokio::spawn(async move {
        for _ in 0..30 {
            common::serve(&db).await;
            tokio::task::yield_now().await;
        }
    });
    for _ in 0..30 {
        let (s, page) = app.get("/conferences/mexico-city-2015").await;
        assert_eq!(s, 200);
        assert!(page.contains("America/Mexico_City"));
    }
    builders.await.unwrap();
}
