//! The HTTP server: Leptos pages and server functions, the public JSON API, `/healthz`,
//! request logs, compression and graceful shutdown. `main.rs` only reads the configuration.

mod badges;
pub mod config;
mod downloads;
pub mod guard;
mod live;
pub mod mail;
pub mod page_cache;
mod pdf;
mod public_api;
pub mod splice;

use app::access::SiteConfig;
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
    trace::{DefaultOnResponse, TraceLayer},
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
    /// Rate limits of this instance (log-in, sign-up, reset per client and per address).
    pub limits: app::limits::Limits,
    /// Behind a reverse proxy: the header that carries the client's address.
    pub client_ip_header: app::limits::ClientIpHeader,
    /// This instance's live streams (`GET /conferences/{slug}/events`).
    pub hub: app::live::service::Hub,
    /// This instance's sign-ups for sessions, written in turns (`db::enrolments::Desk`).
    pub desk: db::enrolments::Desk,
}

impl AppState {
    /// State for `db`, reached at `public_url` (which decides whether cookies are `Secure`).
    pub fn new(leptos_options: LeptosOptions, db: DatabaseConnection, public_url: &str) -> Self {
        AppState {
            leptos_options,
            db: db.clone(),
            site: SiteConfig {
                public_url: public_url.trim_end_matches('/').to_string(),
            },
            pages: page_cache::PageCache::default(),
            limits: app::limits::Limits::default(),
            client_ip_header: app::limits::ClientIpHeader::default(),
            hub: app::live::service::Hub::start(db.clone()),
            desk: db::enrolments::Desk::new(db.clone()),
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
        let retry = self.0.retry_after;
        let mut res = (status, axum::Json(serde_json::json!({ "error": self.0 }))).into_response();
        if let Some(secs) = retry {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res
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
        // a form sent without JavaScript is sent back to its page, the error in the address
        // (Leptos shows it in the form): that stays a redirect, whatever status the function set
        if parts.headers.contains_key(axum::http::header::LOCATION) {
            parts.status = StatusCode::SEE_OTHER;
        } else if let Ok(status) = StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
        if let Some(secs) = err.retry_after {
            parts
                .headers
                .insert(axum::http::header::RETRY_AFTER, secs.into());
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
        let limits = state.limits.clone();
        let client_ip_header = state.client_ip_header.clone();
        let desk = state.desk.clone();
        move || {
            provide_context(db.clone());
            provide_context(desk.clone());
            provide_context(site.clone());
            provide_context(limits.clone());
            provide_context(client_ip_header.clone());
            // the script nonce of this response's Content-Security-Policy (guard::responses)
            if let Some(nonce) = use_context::<axum::http::request::Parts>()
                .and_then(|p| p.extensions.get::<guard::CspNonce>().cloned())
            {
                provide_context(leptos::nonce::Nonce::from_value(nonce.0));
            }
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
        .merge(live::router())
        .nest_service("/pkg", assets(&state.leptos_options))
        .leptos_routes_with_context(&state, routes, context.clone(), shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        // inside the page cache, so that a kept page keeps the policy its nonce belongs to
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::responses,
        ))
        // inside the log-in layer: "anonymous" is what the log-in layer found, not cookie text
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ))
        .layer(auth)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::requests,
        ))
        .layer(CompressionLayer::new())
        // before every other layer (the log-in layer's database reads included): a visitor's
        // kept copy, and the page of a session confirmed within the second
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve_kept,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    // the path without its secrets (calendar addresses, tokens)
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        uri = %guard::redacted(req.uri()),
                        version = ?req.version(),
                    )
                })
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .with_state(state)
}

/// The built assets under `/pkg` (the WASM, its JavaScript, the style sheet): the brotli or gzip
/// file made at build time when the browser takes it (`cargo leptos build --release
/// --precompress`), else compressed on the fly. With hashed file names (a release built with
/// `hash-files`) a name never changes its bytes, so browsers keep them for a year without
/// asking again; without, they ask each time (`no-cache`, answered 304 when unchanged).
fn assets(options: &LeptosOptions) -> Router {
    use axum::http::{header, HeaderValue};
    use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let policy = if options.hash_files {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    };
    Router::new().fallback_service(
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                policy,
            ))
            .service(ServeDir::new(dir).precompressed_br().precompressed_gzip()),
    )
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

/// How the server stops and how long it waits for slow clients.
#[derive(Clone, Copy, Debug)]
pub struct ServeOptions {
    /// After the stop signal, connections are still accepted and requests answered (each
    /// answer says `Connection: close`) for this long, so that requests already sent, also
    /// those still in the listening socket's queue, are answered rather than reset.
    pub drain: Duration,
    /// Then requests in flight get up to this long to finish.
    pub grace: Duration,
    /// A client must send a request's headers within this time, and an idle keep-alive
    /// connection is closed after it (a request's body has `guard::BODY_TIMEOUT`).
    pub header_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            drain: Duration::from_millis(500),
            grace: Duration::from_secs(20),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// The client's address, put into each request's extensions by [`serve_until`].
pub type ClientAddr = axum::extract::ConnectInfo<std::net::SocketAddr>;

/// Serve `router` on `listener` until a shutdown signal (SIGTERM or Ctrl-C).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    options: ServeOptions,
) -> std::io::Result<()> {
    serve_until(listener, router, shutdown_signal(), options).await
}

/// Serve `router` on `listener` until `stop` resolves; then drain, then finish what is in
/// flight (see [`ServeOptions`]).
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()>,
    options: ServeOptions,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use tower::ServiceExt;

    let draining = Arc::new(AtomicBool::new(false));
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .keep_alive(true);
    builder.http2().timer(TokioTimer::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let accept = |stream: tokio::net::TcpStream, peer: std::net::SocketAddr| {
        let _ = stream.set_nodelay(true);
        let draining = draining.clone();
        let svc = router
            .clone()
            .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                req
            })
            .map_response(move |mut res: Response| {
                if draining.load(Ordering::Relaxed) {
                    res.headers_mut().insert(
                        axum::http::header::CONNECTION,
                        axum::http::HeaderValue::from_static("close"),
                    );
                }
                res
            });
        let conn = builder
            .serve_connection_with_upgrades(
                TokioIo::new(stream),
                hyper_util::service::TowerToHyperService::new(svc),
            )
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    };
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => accept(stream, peer),
                Err(e) => {
                    // e.g. out of file descriptors: wait a moment rather than spin
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            _ = &mut stop => break,
        }
    }
    draining.store(true, Ordering::Relaxed);
    // accept until the listening queue has been empty for `drain` (queued connections are
    // taken first: `biased`), for at most ten times as long under a steady stream
    let start = tokio::time::Instant::now();
    let mut quiet_until = start + options.drain;
    loop {
        tokio::select! {
            biased;
            accepted = listener.accept() => if let Ok((stream, peer)) = accepted {
                accept(stream, peer);
                quiet_until = tokio::time::Instant::now() + options.drain;
            },
            _ = tokio::time::sleep_until(quiet_until.min(start + options.drain * 10)) => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(options.grace) => {
            tracing::warn!("requests still in flight after {:?}; stopping anyway", options.grace);
        }
    }
    Ok(())
}

/// Set glibc's allocator for a server whose big allocations are short-lived (a password hash
/// takes 19 MiB for tens of milliseconds): such blocks always come from and go back to the
/// system (a fixed mmap threshold; by default glibc raises it after the first free, and every
/// later hash is carved from, and stays in, one of up to 8 arenas per core), and two arenas
/// at most. Call first thing in `main`, before other threads start. Elsewhere it does nothing.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before other threads exist
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Every ten seconds, give memory that was freed back to the system. glibc's allocator keeps
/// freed memory in its arenas for reuse, so the peaks of a busy minute (password hashes take
/// 19 MiB each) would stay in the server's footprint long after; `malloc_trim` returns them.
/// Elsewhere (another allocator, another system) this does nothing.
pub fn spawn_memory_trim() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        let mut every = tokio::time::interval(Duration::from_secs(10));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            // SAFETY: malloc_trim only releases free memory; it has no preconditions
            unsafe {
                libc::malloc_trim(0);
            }
        }
    })
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
