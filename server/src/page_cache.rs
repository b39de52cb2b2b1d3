//! What every visitor reads of a released programme, kept in memory compressed: the programme
//! page, its JSON (`/api/v1/conferences/{slug}/programme`) and its calendar
//! (`/conferences/{slug}/programme.ics`), one copy per address (filters included) and, for the
//! page's automatic view, per kind of device (a phone gets the list, a desk the grid).
//!
//! These are the same for every visitor who is not logged in and change only when the programme
//! is released again or the conference's row changes; at 400 sessions, making them costs far
//! more than sending them. So the first visitor's copy is compressed once (brotli and gzip) and
//! kept; later requests get the bytes in the encoding they accept, with an `ETag`, or `304 Not
//! Modified` when their `If-None-Match` names it.
//!
//! Whether a kept copy is still current is asked of the database
//! ([`db::programme::public_version`], two small indexed reads) when the copy was last confirmed
//! more than [`CONFIRM_EVERY`] ago, or when any event was committed since (a release is one; on
//! PostgreSQL other instances' commits arrive by `NOTIFY`, see `db::events`). Between those the
//! copy is sent without a database read, so a change that announces itself shows at once on
//! every instance, and any other change of the conference's row within [`CONFIRM_EVERY`].
//!
//! Requests of a logged-in person are rendered as before (their page names the user, and
//! organisers see the working copy's button), as are non-GET requests and every other address.

use crate::AppState;
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::{self, error::TryRecvError};

/// Says whether a response came from the kept copies (`hit`) or was made and kept (`miss`).
pub const HEADER: &str = "x-page-cache";
/// The log-in session's cookie (see `router`).
pub const SESSION_COOKIE: &str = "plenary_session";
/// Memory for kept copies (compressed), per server instance.
const CAPACITY_BYTES: u64 = 32 << 20;
/// A response larger than this (uncompressed) is sent as made but not kept.
const MAX_BODY_BYTES: usize = 16 << 20;
/// A kept copy is confirmed against the database at least this often.
pub const CONFIRM_EVERY: Duration = Duration::from_secs(1);
/// Brotli's quality for kept copies: made once per release, so close to the best (11 takes
/// ten times as long for 2 % less).
const BROTLI_QUALITY: u32 = 9;

/// What is kept at one address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// The programme page.
    Page,
    /// The programme as JSON (the public API).
    Json,
    /// The programme as iCalendar.
    Calendar,
}

/// The slug and kind of an address whose visitor's copy is kept.
pub fn kept_address(path: &str) -> Option<(&str, Kept)> {
    let (rest, kind) = if let Some(r) = path.strip_prefix("/api/v1/conferences/") {
        (r.strip_suffix("/programme")?, Kept::Json)
    } else {
        let r = path.strip_prefix("/conferences/")?;
        match r.strip_suffix("/programme.ics") {
            Some(s) => (s, Kept::Calendar),
            None => (r.strip_suffix("/programme")?, Kept::Page),
        }
    };
    (!rest.is_empty() && !rest.contains('/')).then_some((rest, kind))
}

/// The encodings a request accepts that copies are kept in, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The best encoding `accept` (an `Accept-Encoding` value) allows: brotli, then gzip, then none.
pub fn negotiate(accept: Option<&str>) -> Encoding {
    let (mut br, mut gz) = (false, false);
    for item in accept.unwrap_or("").split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        if refused {
            continue;
        }
        match name.as_str() {
            "br" => br = true,
            "gzip" | "x-gzip" => gz = true,
            "*" => {
                br = true;
                gz = true
            }
            _ => {}
        }
    }
    if br {
        Encoding::Brotli
    } else if gz {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

struct Stored {
    version: u64,
    /// The response's headers as made, without length or encoding.
    headers: HeaderMap,
    etag: HeaderValue,
    brotli: Bytes,
    gzip: Bytes,
}

impl Stored {
    /// Compress `body` both ways (blocking: call off the async threads).
    fn make(version: u64, headers: HeaderMap, body: &[u8]) -> std::io::Result<Stored> {
        use sha2::{Digest, Sha256};
        let mut brotli = Vec::with_capacity(body.len() / 6);
        {
            let mut w = brotli::CompressorWriter::new(&mut brotli, 1 << 16, BROTLI_QUALITY, 22);
            w.write_all(body)?;
        }
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(body.len() / 5),
            flate2::Compression::best(),
        );
        gz.write_all(body)?;
        let gzip = gz.finish()?;
        let digest = Sha256::digest(body);
        let etag = HeaderValue::from_str(&format!("\"{}\"", hex::encode(&digest[..12])))
            .map_err(std::io::Error::other)?;
        Ok(Stored {
            version,
            headers,
            etag,
            brotli: brotli.into(),
            gzip: gzip.into(),
        })
    }

    fn weight(&self) -> usize {
        self.brotli.len() + self.gzip.len() + 512
    }

    /// The response to a request that accepts `encoding` and may hold our `ETag`.
    fn respond(
        &self,
        encoding: Encoding,
        if_none_match: Option<&HeaderValue>,
        hit: bool,
    ) -> Response {
        let mut headers = self.headers.clone();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Encoding, Cookie"),
        );
        headers.insert(
            HEADER,
            HeaderValue::from_static(if hit { "hit" } else { "miss" }),
        );
        if if_none_match.is_some_and(|v| etag_matches(v, &self.etag)) {
            let mut res = Response::new(Body::empty());
            *res.status_mut() = StatusCode::NOT_MODIFIED;
            headers.remove(header::CONTENT_TYPE);
            *res.headers_mut() = headers;
            return res;
        }
        let body = match encoding {
            Encoding::Brotli => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
                self.brotli.clone()
            }
            Encoding::Gzip => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                self.gzip.clone()
            }
            // rare (every browser accepts both): unpack the gzip copy for this one request
            Encoding::Identity => {
                let mut out = Vec::new();
                let mut d = flate2::write::GzDecoder::new(&mut out);
                if d.write_all(&self.gzip)
                    .and_then(|_| d.finish().map(|_| ()))
                    .is_err()
                {
                    tracing::error!("page cache: a kept copy does not unpack");
                    return crate::ApiError(app::error::AppError::internal()).into_response();
                }
                Bytes::from(out)
            }
        };
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        let mut res = Response::new(Body::from(body));
        *res.headers_mut() = headers;
        res
    }
}

/// Whether an `If-None-Match` value names `etag` (weakly: `W/` prefixes aside; `*` names any).
fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    let ours = etag.as_bytes();
    list.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t).as_bytes() == ours)
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Arc<Stored>> for Weight {
    fn weight(&self, key: &String, copy: &Arc<Stored>) -> u64 {
        (key.len() + copy.weight()) as u64
    }
}

/// When a slug's version was last read from the database.
struct Confirmed {
    version: u64,
    at: Instant,
}

struct Inner {
    copies: quick_cache::sync::Cache<String, Arc<Stored>, Weight>,
    confirmed: Mutex<HashMap<String, Confirmed>>,
    /// Announcements of committed events (any conference): each clears `confirmed`.
    commits: Mutex<broadcast::Receiver<domain::ids::ConferenceId>>,
}

/// The kept copies of one server instance.
#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

impl Default for PageCache {
    fn default() -> Self {
        PageCache(Arc::new(Inner {
            copies: quick_cache::sync::Cache::with_weighter(1024, CAPACITY_BYTES, Weight),
            confirmed: Mutex::new(HashMap::new()),
            commits: Mutex::new(db::events::commits()),
        }))
    }
}

impl PageCache {
    fn confirmed(&self) -> std::sync::MutexGuard<'_, HashMap<String, Confirmed>> {
        self.0
            .confirmed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Forget every confirmation if an event was committed since the last look.
    fn drain_commits(&self) {
        let Ok(mut rx) = self.0.commits.try_lock() else {
            // another request is draining right now
            return;
        };
        let mut heard = false;
        while let Ok(_) | Err(TryRecvError::Lagged(_)) = rx.try_recv() {
            heard = true;
        }
        drop(rx);
        if heard {
            self.confirmed().clear();
        }
    }

    /// The current version of `slug`'s public programme: from the last confirmation if it is
    /// recent and nothing was committed since, else from the database.
    async fn version(
        &self,
        db: &db::DatabaseConnection,
        slug: &str,
    ) -> Result<Option<u64>, db::DbErr> {
        self.drain_commits();
        if let Some(c) = self.confirmed().get(slug) {
            if c.at.elapsed() < CONFIRM_EVERY {
                return Ok(Some(c.version));
            }
        }
        let at = Instant::now();
        let version = db::programme::public_version(db, slug).await?;
        if let Some(version) = version {
            let mut confirmed = self.confirmed();
            // unknown slugs are not remembered, so this map holds only real conferences
            confirmed.insert(slug.to_string(), Confirmed { version, at });
        }
        Ok(version)
    }
}

/// Whether the request is a visitor's: the log-in layer (which runs before this one) found no
/// logged-in user. Decided from its result, not from the cookie's text, which browsers and
/// servers may spell differently (`plenary_session =…`, `plenary%5Fsession=…`).
fn anonymous(req: &Request) -> bool {
    match req.extensions().get::<app::auth::AuthSession>() {
        Some(auth) => auth.user.is_none(),
        // no log-in layer: nothing tells who this is, so nothing is shared
        None => false,
    }
}

/// The middleware: serves a kept copy when it is still current, keeps a made one.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET || !anonymous(&req) {
        return next.run(req).await;
    }
    let Some((slug, kind)) = kept_address(req.uri().path()) else {
        return next.run(req).await;
    };
    let slug = slug.to_string();
    let version = match state.pages.version(&state.db, &slug).await {
        Ok(Some(v)) => v,
        // no such conference: the page says so, as always
        Ok(None) => return next.run(req).await,
        Err(e) => {
            tracing::warn!(error = %e, "page cache: cannot read the programme's version; rendering");
            return next.run(req).await;
        }
    };
    let mut key = req.uri().to_string();
    if kind == Kept::Page {
        // the automatic view differs by device; an explicit `view=` is in the address already
        key.push_str(if app::programme::api::from_phone(req.headers()) {
            " phone"
        } else {
            " desk"
        });
    }
    let encoding = negotiate(
        req.headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok()),
    );
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    if let Some(copy) = state
        .pages
        .0
        .copies
        .get(&key)
        .filter(|c| c.version == version)
    {
        return copy.respond(encoding, if_none_match.as_ref(), true);
    }
    let res = next.run(req).await;
    // only a complete, ordinary response that sets no cookie is the same for every visitor
    if res.status() != StatusCode::OK
        || res.headers().contains_key(header::SET_COOKIE)
        || res.headers().contains_key(header::CONTENT_ENCODING)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "page cache: cannot read a made response");
            return crate::ApiError(app::error::AppError::internal()).into_response();
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    // the same for every visitor, checked again on each use (ETag); a page stays in the
    // browser only, the data may sit in shared caches too
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if kind == Kept::Page {
            "private, no-cache"
        } else {
            "public, no-cache"
        }),
    );
    let headers = parts.headers.clone();
    let made = {
        let body = body.clone();
        tokio::task::spawn_blocking(move || Stored::make(version, headers, &body)).await
    };
    match made {
        Ok(Ok(copy)) => {
            let copy = Arc::new(copy);
            state.pages.0.copies.insert(key, copy.clone());
            copy.respond(encoding, if_none_match.as_ref(), false)
        }
        _ => {
            tracing::error!("page cache: cannot compress a made response; sending it as made");
            Response::from_parts(parts, Body::from(body))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_programme_of_a_conference_is_kept() {
        assert_eq!(
            kept_address("/conferences/mexico-2015/programme"),
            Some(("mexico-2015", Kept::Page))
        );
        assert_eq!(
            kept_address("/conferences/mexico-2015/programme.ics"),
            Some(("mexico-2015", Kept::Calendar))
        );
        assert_eq!(
            kept_address("/api/v1/conferences/mexico-2015/programme"),
            Some(("mexico-2015", Kept::Json))
        );
        assert_eq!(
            kept_address("/conferences/mexico-2015/programme/changes"),
            None
        );
        assert_eq!(kept_address("/conferences/a/b/programme"), None);
        assert_eq!(kept_address("/conferences//programme"), None);
        assert_eq!(kept_address("/conferences/mexico-2015"), None);
        assert_eq!(kept_address("/api/v1/conferences/x/declaration"), None);
        assert_eq!(kept_address("/conferences/x/agenda.ics"), None);
    }

    #[test]
    fn the_best_accepted_encoding() {
        assert_eq!(negotiate(Some("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(negotiate(Some("gzip")), Encoding::Gzip);
        assert_eq!(negotiate(Some("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(negotiate(Some("identity")), Encoding::Identity);
        assert_eq!(negotiate(None), Encoding::Identity);
        assert_eq!(negotiate(Some("*")), Encoding::Brotli);
    }

    #[test]
    fn etags_match_weakly_and_in_lists() {
        let ours = HeaderValue::from_static("\"abc\"");
        assert!(etag_matches(&HeaderValue::from_static("\"abc\""), &ours));
        assert!(etag_matches(&HeaderValue::from_static("W/\"abc\""), &ours));
        assert!(etag_matches(
            &HeaderValue::from_static("\"x\", \"abc\""),
            &ours
        ));
        assert!(etag_matches(&HeaderValue::from_static("*"), &ours));
        assert!(!etag_matches(&HeaderValue::from_static("\"abd\""), &ours));
    }

    #[test]
    fn a_copy_unpacks_to_what_was_kept() {
        let body = "<p>programme</p>".repeat(500);
        let copy = Stored::make(1, HeaderMap::new(), body.as_bytes()).expect("compress");
        assert!(copy.brotli.len() < body.len() / 10);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &copy.brotli[..], &mut out).expect("brotli");
        assert_eq!(out, body.as_bytes());
        let mut gz = flate2::read::GzDecoder::new(&copy.gzip[..]);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut gz, &mut text).expect("gzip");
        assert_eq!(text, body);
    }
}
