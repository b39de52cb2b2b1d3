//! The HTTP server: Leptos pages and server functions, the public JSON API, `/healthz`,
//! request logs, compression and graceful shutdown. `main.rs` only reads the configuration.

pub mod config;
mod downloads;
pub mod mail;
pub mod page_cache;
mod pdf;
mod public_api;

use app::accounts::SiteConfig;
use app::error::AppError;
use axum::{
    extract::{FromRef, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use axum_login::AuthManagerLayerBuilder;
use db::session_store::DbSessionStore;
use db::DatabaseConnection;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::time::Duration;
use tower_http::{
    compression::CompressionLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tracing::Level;

/// What every handler may need.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub site: SiteConfig,
    /// Visitors' copies of the programme page (see [`page_cache`]).
    pub pages: page_cache::PageCache,
}

impl AppState {
    /// State for `db`, reached at `public_url` (which decides whether cookies are `Secure`).
    pub fn new(leptos_options: LeptosOptions, db: DatabaseConnection, public_url: &str) -> Self {
        AppState {
            leptos_options,
            db,
            site: SiteConfig {
                public_url: public_url.trim_end_matches('/').to_string(),
            },
            pages: page_cache::PageCache::default(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

/// An [`AppError`] as an HTTP response: its status and `{"error": {kind, message}}`.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(serde_json::json!({ "error": self.0 }))).into_response()
    }
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Server functions answer every failure with 500 and the error in the body; failures found
/// before a function body runs (arguments of the wrong form) never reach the body's own
/// status. Here every server-function error response gets the status of its [`AppError`] kind.
async fn server_fn_error_status(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let res = next.run(req).await;
    if !res
        .headers()
        .contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 1 << 20).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "cannot read a server function error body");
            return ApiError(AppError::internal()).into_response();
        }
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The application's routes, generated once per process.
///
/// Generating them runs the app with resource loading suppressed through a process-global flag
/// in `leptos_server`; a resource first polled by a request being rendered at that moment never
/// resolves and its response hangs (leptos-rs/leptos#4773). Building several routers in one
/// process (the integration tests do) must therefore not generate the list again while another
/// router serves pages.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context = {
        let db = state.db.clone();
        let site = state.site.clone();
        move || {
            provide_context(db.clone());
            provide_context(site.clone());
        }
    };
    let secure = state.site.public_url.starts_with("https://");
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(page_cache::SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));
    let auth =
        AuthManagerLayerBuilder::new(app::auth::Backend::new(state.db.clone()), sessions).build();
    let shell = {
        let options = state.leptos_options.clone();
        move || app::shell(options.clone())
    };
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", public_api::router())
        .merge(downloads::router())
        .leptos_routes_with_context(&state, routes, context.clone(), shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(auth)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .with_state(state)
}

/// Resolves on SIGTERM or Ctrl-C; in-flight requests then finish before the server stops.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Serve `router` on `listener` until a shutdown signal, giving requests in flight up to
/// `grace` to finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    grace: Duration,
) -> std::io::Result<()> {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, router).with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = tx.send(());
    });
    tokio::select! {
        r = server => r,
        _ = async move {
            let _ = rx.await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!("requests still in flight after {grace:?}; stopping anyway");
            Ok(())
        }
    }
}

/// Remove expired log-in sessions every hour (every instance does it; it is idempotent).
pub fn spawn_session_cleanup(db: DatabaseConnection) -> tokio::task::JoinHandle<()> {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = DbSessionStore::new(db);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "cannot remove expired sessions");
            }
        }
    })
}
