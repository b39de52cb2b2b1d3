//! Shared by the HTTP test files: the real router on a random port, and a browser that keeps
//! its cookies and calls server functions. (Each test file uses part of it.)
#![allow(dead_code)]

use leptos::prelude::LeptosOptions;
use sea_orm::{DatabaseConnection, FromQueryResult};
use serde::de::DeserializeOwned;

/// Serve the whole application on 127.0.0.1 (random port) over `db`; returns its base URL.
pub async fn serve(db: &DatabaseConnection) -> String {
    serve_with(db, |_| {}).await
}

/// The same, with the state changed by `change` first (e.g. other rate limits).
pub async fn serve_with(
    db: &DatabaseConnection,
    change: impl FnOnce(&mut server::AppState),
) -> String {
    let leptos_options = LeptosOptions::builder()
        .output_name("conference")
        .site_root("target/site")
        .build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let mut state = server::AppState::new(leptos_options, db.clone(), &base);
    change(&mut state);
    let router = server::router(state);
    tokio::spawn(server::serve_until(
        listener,
        router,
        std::future::pending(),
        server::ServeOptions::default(),
    ));
    base
}

/// How long a test waits for one response: a hung response fails the test with its address
/// instead of stalling the whole run.
pub const RESPONSE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A client without cookies that does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(RESPONSE_TIMEOUT)
        .build()
        .expect("HTTP client")
}

/// A running server.
pub struct App {
    pub base: String,
}

impl App {
    pub async fn start(db: &DatabaseConnection) -> App {
        App {
            base: serve(db).await,
        }
    }

    /// A new browser: its own cookie jar, redirects not followed.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(RESPONSE_TIMEOUT)
                .build()
                .unwrap(),
        }
    }
}

pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
}

/// The path of a server function (its registered path carries a numeric suffix).
pub fn fn_path(name: &str) -> String {
    server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .find(|p| {
            p.strip_prefix(&format!("/fn/{name}"))
                .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
        })
        .unwrap_or_else(|| panic!("no server function {name}"))
}

/// A success or a redirect.
pub fn ok(status: u16) -> bool {
    (200..400).contains(&status)
}

impl Browser {
    /// GET `path`: its status, headers and text.
    pub async fn get(&self, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r
            .text()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: body: {e}"));
        (status, headers, text)
    }

    /// Call a server function with form fields: (status, body, response headers).
    pub async fn call_raw(
        &self,
        name: &str,
        form: &[(&str, &str)],
    ) -> (u16, String, reqwest::header::HeaderMap) {
        let r = self
            .http
            .post(format!("{}{}", self.base, fn_path(name)))
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("server function {name}: {e}"));
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r
            .text()
            .await
            .unwrap_or_else(|e| panic!("server function {name}: body: {e}"));
        (status, body, headers)
    }

    /// Call a server function with form fields: (status, body).
    pub async fn call(&self, name: &str, form: &[(&str, &str)]) -> (u16, String) {
        let (s, b, _) = self.call_raw(name, form).await;
        (s, b)
    }

    /// The same, with the form's values owned (forms built by a test).
    pub async fn call_with(&self, name: &str, form: &[(&str, String)]) -> (u16, String) {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.call(name, &form).await
    }

    /// Call, expect 200, decode the answer.
    pub async fn ok<T: DeserializeOwned>(&self, name: &str, form: &[(&str, &str)]) -> T {
        let (s, body) = self.call(name, form).await;
        assert_eq!(s, 200, "{name}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}: {body}"))
    }

    /// Call, expect `status`, return the error.
    pub async fn fails(&self, name: &str, form: &[(&str, &str)], status: u16) -> serde_json::Value {
        let (s, body) = self.call(name, form).await;
        assert_eq!(s, status, "{name}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}: {body}"))
    }

    /// Try to log in; the status of the answer.
    pub async fn log_in(&self, email: &str, password: &str) -> u16 {
        self.call(
            "log_in",
            &[
                ("email", email),
                ("password", password),
                ("next", "/account"),
            ],
        )
        .await
        .0
    }

    /// Log in, or fail the test.
    pub async fn must_log_in(&self, email: &str, password: &str) {
        let s = self.log_in(email, password).await;
        assert!(ok(s), "{email} cannot log in: {s}");
    }

    pub async fn whoami(&self) -> serde_json::Value {
        let (s, b) = self.call("whoami", &[]).await;
        assert_eq!(s, 200, "{b}");
        serde_json::from_str(&b).unwrap()
    }
}

/// A browser logged in as `email` (panics if the log-in fails).
#[allow(dead_code)]
pub async fn logged_in(app: &App, email: &str, password: &str) -> Browser {
    let b = app.browser();
    b.must_log_in(email, password).await;
    b
}

/// Everything in the database that a call could change, as text. Session rows and the log-in
/// failure counter are left out: every request may refresh its own session.
pub async fn fingerprint(db: &DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let list = match backend {
        sea_orm::DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    };
    let tables =
        sea_orm::JsonValue::find_by_statement(sea_orm::Statement::from_string(backend, list))
            .all(db)
            .await
            .expect("list tables");
    let mut out = Vec::new();
    for t in tables {
        let name = t["t"].as_str().unwrap_or_default().to_string();
        if name == "user_sessions" || name == "login_failures" || name == "login_throttle" {
            continue;
        }
        let rows = sea_orm::JsonValue::find_by_statement(sea_orm::Statement::from_string(
            backend,
            format!("SELECT * FROM \"{name}\""),
        ))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("read {name}: {e}"));
        let mut rows: Vec<String> = rows.iter().map(|r| format!("{name}: {r}")).collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

/// A server that a test can stop (and start again on the same database).
pub struct Stoppable {
    pub base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Stoppable {
    /// Serve the application over `db` on a random port, as a fresh instance (its own live
    /// hub), with the state changed by `change` first.
    pub async fn start(
        db: &DatabaseConnection,
        change: impl FnOnce(&mut server::AppState),
    ) -> Stoppable {
        let leptos_options = LeptosOptions::builder()
            .output_name("conference")
            .site_root("target/site")
            .build();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut state = server::AppState::new(leptos_options, db.clone(), &base);
        change(&mut state);
        let hub = state.hub.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let stop = async move {
            let _ = rx.await;
            hub.close();
        };
        let done = tokio::spawn(server::serve_until(
            listener,
            server::router(state),
            stop,
            server::ServeOptions::default(),
        ));
        Stoppable {
            base,
            stop: Some(tx),
            done,
        }
    }

    /// Stop the instance as SIGTERM would, and wait until it has stopped.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = tokio::time::timeout(std::time::Duration::from_secs(30), &mut self.done).await;
    }
}

/// One Server-Sent Event as a test reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sse {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

/// Reads a `text/event-stream` response event by event.
pub struct SseReader {
    res: reqwest::Response,
    buf: String,
}

impl SseReader {
    pub fn new(res: reqwest::Response) -> SseReader {
        SseReader {
            res,
            buf: String::new(),
        }
    }

    /// The next event with data (comments and `retry:`-only blocks skipped), or `None` when the
    /// stream ended or nothing came within `wait`.
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut e = Sse {
                    id: None,
                    event: "message".into(),
                    data: String::new(),
                };
                let mut has_data = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        e.id = Some(v.trim().to_owned());
                    } else if let Some(v) = line.strip_prefix("event:") {
                        e.event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        e.data.push_str(v.trim());
                        has_data = true;
                    }
                }
                if has_data {
                    return Some(e);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.res.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// Events until one named `event` with `data` containing `marker` (included), or `None`
    /// if the stream ended or stalled for `wait` first.
    pub async fn until(&mut self, marker: &str, wait: std::time::Duration) -> Option<Vec<Sse>> {
        let mut got = Vec::new();
        loop {
            let e = self.next(wait).await?;
            let done = e.data.contains(marker);
            got.push(e);
            if done {
                return Some(got);
            }
        }
    }
}

impl Browser {
    /// Open the live stream of the conference at `slug`, with `Last-Event-ID` if given.
    pub async fn events(&self, slug: &str, last_event_id: Option<&str>) -> reqwest::Response {
        let mut req = self
            .http
            .get(format!("{}/conferences/{slug}/events", self.base))
            // a stream stays open: no overall timeout, only the reader's
            .timeout(std::time::Duration::from_secs(3600));
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id);
        }
        req.send().await.expect("open the event stream")
    }

    /// The same, expecting a stream, ready to read.
    pub async fn follow(&self, slug: &str, last_event_id: Option<&str>) -> SseReader {
        let res = self.events(slug, last_event_id).await;
        assert_eq!(res.status(), 200, "events of {slug}");
        assert!(res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream")));
        SseReader::new(res)
    }
}

/// The server binary, started as its own process over `database_url` (already migrated), on a
/// free port; killed when dropped.
pub struct Process {
    pub base: String,
    child: std::process::Child,
}

impl Process {
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
        cmd.env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "conference")
            .env("DEMO_DATA", "never")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start the server binary");
        let p = Process {
            base: format!("http://127.0.0.1:{port}"),
            child,
        };
        let started = std::time::Instant::now();
        loop {
            if let Ok(r) = client().get(format!("{}/healthz", p.base)).send().await {
                if r.status() == 200 {
                    return p;
                }
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "the server binary did not come up"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A submitted amendment by `sponsor` (an e-mail address) to the current text of conference
/// `slug`'s declaration, replacing the first `from` with `to`; its number.
pub async fn amend(
    db: &DatabaseConnection,
    slug: &str,
    sponsor: &str,
    from: &str,
    to: &str,
    title: &str,
) -> i32 {
    use domain::ids::{ConferenceId, DeclarationId, PersonId, VersionId};
    let c = db::queries::conference_by_slug(db, slug)
        .await
        .unwrap()
        .unwrap();
    let (decl, _) = db::queries::declaration(db, ConferenceId(c.id))
        .await
        .unwrap()
        .unwrap();
    let sponsor = db::testing::person_of(db, sponsor).await;
    let txn = db::begin_write(db).await.unwrap();
    let (_, current) = db::drafting::current(&*txn, DeclarationId(decl.id))
        .await
        .unwrap()
        .unwrap();
    assert!(current.markdown.contains(from), "{from}");
    let a = db::drafting::create_amendment(
        &*txn,
        DeclarationId(decl.id),
        db::drafting::NewAmendment {
            sponsor_person_id: PersonId(sponsor),
            sponsor_delegation_id: None,
            base_version_id: VersionId(current.id),
            title: title.into(),
            rationale: String::new(),
            proposed_markdown: current.markdown.replacen(from, to, 1),
            co_sponsor_person_ids: Vec::new(),
            submit: true,
        },
    )
    .await
    .unwrap()
    .unwrap();
    txn.commit().await.unwrap();
    a.number
}
