//! Limits on the costly and abusable requests, per server instance (server side only).
//!
//! - Per client address: log-in attempts, sign-ups and password-reset requests (governor's
//!   GCRA limiters, keyed by IP). Over the limit: 429 with `Retry-After`.
//! - Per e-mail address: sign-ups and reset requests (so one address gets a few messages an
//!   hour, not hundreds). Log-in failures per address are counted in the database instead
//!   (`db::accounts::reserve_login`), so that every instance sees them.
//! - Password hashing (Argon2id, 19 MiB and tens of milliseconds each) runs at most once per
//!   core at a time; a request that cannot get a turn within [`HASH_QUEUE_WAIT`] gets 503 with
//!   `Retry-After` instead of piling up memory.

use crate::error::AppError;
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// How long a password check waits for its turn before the server says it is busy.
pub const HASH_QUEUE_WAIT: Duration = Duration::from_secs(5);

fn quota(burst: u32, one_per: Duration) -> Quota {
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(one_per)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// The limiters of one server instance (shared by its requests through the Leptos context).
#[derive(Clone)]
pub struct Limits {
    login_per_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    signup_per_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    signup_per_address: Arc<DefaultKeyedRateLimiter<String>>,
    reset_per_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    reset_per_address: Arc<DefaultKeyedRateLimiter<String>>,
}

impl Limits {
    /// `login_per_minute`: log-in attempts one client address may make per minute (also the
    /// burst). `requests_per_client`: sign-ups, and reset requests, one client address may
    /// make at once, then one every 2 minutes. Per e-mail address: 3 of each, then one every
    /// 10 minutes.
    pub fn new(login_per_minute: u32, requests_per_client: u32) -> Limits {
        let per_minute = login_per_minute.max(1);
        let login = quota(per_minute, Duration::from_secs(60) / per_minute);
        let client = quota(requests_per_client, Duration::from_secs(120));
        let address = quota(3, Duration::from_secs(600));
        Limits {
            login_per_client: Arc::new(RateLimiter::keyed(login)),
            signup_per_client: Arc::new(RateLimiter::keyed(client)),
            signup_per_address: Arc::new(RateLimiter::keyed(address)),
            reset_per_client: Arc::new(RateLimiter::keyed(client)),
            reset_per_address: Arc::new(RateLimiter::keyed(address)),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(10, 10)
    }
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
    what: &str,
) -> Result<(), AppError> {
    if limiter.len() > 100_000 {
        limiter.retain_recent();
    }
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until
            .wait_time_from(governor::clock::DefaultClock::default().now())
            .as_secs()
            + 1;
        AppError::too_many(
            format!("Too many {what} in a short time. Please wait {wait} seconds and try again."),
            wait,
        )
    })
}

impl Limits {
    pub fn log_in(&self, client: Option<IpAddr>) -> Result<(), AppError> {
        match client {
            Some(ip) => check(&self.login_per_client, &ip, "log-in attempts from here"),
            None => Ok(()),
        }
    }
    pub fn sign_up(&self, client: Option<IpAddr>, email_key: &str) -> Result<(), AppError> {
        if let Some(ip) = client {
            check(&self.signup_per_client, &ip, "sign-ups from here")?;
        }
        check(
            &self.signup_per_address,
            &email_key.to_string(),
            "sign-ups for this address",
        )
    }
    pub fn reset(&self, client: Option<IpAddr>, email_key: &str) -> Result<(), AppError> {
        if let Some(ip) = client {
            check(&self.reset_per_client, &ip, "requests from here")?;
        }
        check(
            &self.reset_per_address,
            &email_key.to_string(),
            "requests for this address",
        )
    }
}

/// The limits of this server instance, from the request's context.
pub fn limits() -> Limits {
    leptos::prelude::use_context::<Limits>().unwrap_or_default()
}

/// The client's address, as the server's accept loop recorded it (or, behind a reverse proxy,
/// the header named by `CLIENT_IP_HEADER`, which the proxy must set).
pub fn client_ip() -> Option<IpAddr> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    if let Some(name) = leptos::prelude::use_context::<ClientIpHeader>().and_then(|h| h.0) {
        return parts
            .headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next_back())
            .and_then(|v| v.trim().parse().ok());
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The header that carries the client's address behind a reverse proxy (`CLIENT_IP_HEADER`).
#[derive(Clone, Debug, Default)]
pub struct ClientIpHeader(pub Option<String>);

/// Turns for password hashing: one per core.
fn hashing() -> &'static tokio::sync::Semaphore {
    static TURNS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    })
}

/// Run a password hash or check `f` off the async threads, when a turn is free.
pub async fn hash_turn<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let turn = tokio::time::timeout(HASH_QUEUE_WAIT, hashing().acquire())
        .await
        .map_err(|_| AppError::busy(2))?
        .map_err(|_| AppError::internal())?;
    let out = tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::internal()
    });
    drop(turn);
    out
}
