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
