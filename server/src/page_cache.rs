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
//! A logged-in person who does not manage the programme (a delegate, an observer, the
//! committee) reads the same programme page as a visitor but for the header's account corner
//! (their name and a log-out button instead of "Log in"). Their page is the visitors' kept
//! copy with their corner put in its place: the copy is kept cut around the corner, each side
//! compressed on its own ([`crate::splice`]), and only the corner is made for the person (once
//! a second, not per request). [`serve_kept`] answers such a request before the log-in layer
//! reads the session and the account from the database, when this instance confirmed that
//! session within [`CONFIRM_EVERY`]; so a session ended elsewhere may still see the public
//! programme under its name for up to that second, and nothing else. Organisers' pages are
//! rendered for them (they see the working copy's button), as are non-GET requests, a
//! logged-in person's JSON and calendar, and every other address.

use crate::splice::{self, Part, Place};
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
    /// A page's parts before and after the visitor's account corner, for logged-in people.
    frame: Option<Frame>,
}

/// A kept page cut around its account corner.
struct Frame {
    head: Part,
    tail: Part,
}

/// A logged-in person's account corner, compressed to go between a [`Frame`]'s parts.
pub struct Corner {
    part: Part,
    /// Names the corner in the page's ETag.
    tag: String,
}

impl Corner {
    /// The corner of a person called `name`.
    pub fn of(name: &str) -> std::io::Result<Corner> {
        use sha2::{Digest, Sha256};
        let html = app::accounts::corner_html(Some(name));
        Ok(Corner {
            part: Part::make(html.as_bytes(), Place::Middle, 5)?,
            tag: hex::encode(&Sha256::digest(html.as_bytes())[..6]),
        })
    }
}

impl Frame {
    /// Cut `body` around the visitor's account corner, if it holds it once.
    fn cut(body: &[u8]) -> std::io::Result<Option<Frame>> {
        let corner = app::accounts::corner_html(None);
        let corner = corner.as_bytes();
        let mut found = body
            .windows(corner.len().max(1))
            .enumerate()
            .filter(|(_, w)| *w == corner)
            .map(|(i, _)| i);
        let (Some(at), None) = (found.next(), found.next()) else {
            return Ok(None);
        };
        Ok(Some(Frame {
            head: Part::make(&body[..at], Place::First, BROTLI_QUALITY)?,
            tail: Part::make(&body[at + corner.len()..], Place::Last, BROTLI_QUALITY)?,
        }))
    }
}

impl Stored {
    /// Compress `body` both ways (blocking: call off the async threads).
    fn make(version: u64, kind: Kept, headers: HeaderMap, body: &[u8]) -> std::io::Result<Stored> {
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
        let frame = match kind {
            Kept::Page => Frame::cut(body)?,
            Kept::Json | Kept::Calendar => None,
        };
        Ok(Stored {
            version,
            headers,
            etag,
            brotli: brotli.into(),
            gzip: gzip.into(),
            frame,
        })
    }

    fn weight(&self) -> usize {
        let frame = self
            .frame
            .as_ref()
            .map_or(0, |f| f.head.weight() + f.tail.weight());
        self.brotli.len() + self.gzip.len() + frame + 512
    }

    /// The page of a logged-in person: this page with `corner` for the visitor's, or `None`
    /// if this copy was not cut (not a page, or no corner found).
    fn respond_for(
        &self,
        corner: &Corner,
        encoding: Encoding,
        if_none_match: Option<&HeaderValue>,
    ) -> Option<Response> {
        let frame = self.frame.as_ref()?;
        let mut headers = self.headers.clone();
        let ours = self.etag.to_str().ok()?.trim_matches('"');
        let etag = HeaderValue::from_str(&format!("\"{ours}-{}\"", corner.tag)).ok()?;
        headers.insert(header::ETAG, etag.clone());
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Encoding, Cookie"),
        );
        headers.insert(HEADER, HeaderValue::from_static("personal"));
        if if_none_match.is_some_and(|v| etag_matches(v, &etag)) {
            return Some(not_modified(headers));
        }
        let parts = [&frame.head, &corner.part, &frame.tail];
        let brotli = match encoding {
            Encoding::Brotli => splice::brotli(&parts),
            _ => None,
        };
        let body = match (encoding, brotli) {
            (Encoding::Brotli, Some(br)) => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
                br
            }
            (Encoding::Identity, _) => gunzip(&splice::gzip(&parts)).ok()?,
            // gzip asked, or (never seen) brotli parts that do not join
            _ => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                splice::gzip(&parts)
            }
        };
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        let mut res = Response::new(Body::from(body));
        *res.headers_mut() = headers;
        Some(res)
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
            return not_modified(headers);
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
            Encoding::Identity => match gunzip(&self.gzip) {
                Ok(out) => Bytes::from(out),
                Err(_) => {
                    tracing::error!("page cache: a kept copy does not unpack");
                    return crate::ApiError(app::error::AppError::internal()).into_response();
                }
            },
        };
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        let mut res = Response::new(Body::from(body));
        *res.headers_mut() = headers;
        res
    }
}

/// The answer to a request whose `If-None-Match` names the copy's ETag: `headers`, no body.
fn not_modified(mut headers: HeaderMap) -> Response {
    headers.remove(header::CONTENT_TYPE);
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::NOT_MODIFIED;
    *res.headers_mut() = headers;
    res
}

/// The text of a gzip copy, for the rare client that accepts neither encoding.
fn gunzip(gz: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut d = flate2::write::GzDecoder::new(&mut out);
    d.write_all(gz)?;
    d.finish()?;
    Ok(out)
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

/// A logged-in person's session seen on a programme page.
struct Seen {
    corner: Arc<Corner>,
    at: Instant,
}

/// Sessions remembered at most, per instance (older ones are dropped past this).
const MAX_SEEN: usize = 10_000;

struct Inner {
    copies: quick_cache::sync::Cache<String, Arc<Stored>, Weight>,
    confirmed: Mutex<HashMap<String, Confirmed>>,
    /// Sessions of people who do not manage a conference's programme, by the SHA-256 of the
    /// session id and the slug, with their corner: confirmed by the log-in layer within
    /// [`CONFIRM_EVERY`].
    seen: Mutex<HashMap<String, Seen>>,
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
            seen: Mutex::new(HashMap::new()),
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

    fn seen(&self) -> std::sync::MutexGuard<'_, HashMap<String, Seen>> {
        self.0
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Remember that `key`'s session belongs to someone with `corner` who does not manage the
    /// programme.
    fn saw(&self, key: String, corner: Arc<Corner>) {
        let mut seen = self.seen();
        if seen.len() >= MAX_SEEN {
            seen.retain(|_, s| s.at.elapsed() < CONFIRM_EVERY);
        }
        if seen.len() < MAX_SEEN {
            seen.insert(
                key,
                Seen {
                    corner,
                    at: Instant::now(),
                },
            );
        }
    }

    /// The corner of `key`'s session if it was confirmed within [`CONFIRM_EVERY`].
    fn known(&self, key: &str) -> Option<Arc<Corner>> {
        let seen = self.seen();
        seen.get(key)
            .filter(|s| s.at.elapsed() < CONFIRM_EVERY)
            .map(|s| s.corner.clone())
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

/// The key a session is remembered under for `slug`: the SHA-256 of its id (the id itself is
/// a secret and is not kept), and the slug.
fn seen_key(session_id: &str, slug: &str) -> String {
    format!("{} {slug}", db::accounts::hash_secret(session_id))
}

/// The key of a kept copy: the address, and for pages the kind of device they are made for.
fn page_key(req_uri: &axum::http::Uri, kind: Kept, headers: &HeaderMap) -> String {
    let mut key = req_uri.to_string();
    if kind == Kept::Page {
        // the automatic view differs by device; an explicit `view=` is in the address already
        key.push_str(if app::programme::api::from_phone(headers) {
            " phone"
        } else {
            " desk"
        });
    }
    key
}

fn accepted(headers: &HeaderMap) -> Encoding {
    negotiate(
        headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The session cookies a request carries: none (a visitor), one, or more than one (left to
/// the log-in layer to judge).
enum Cookies<'a> {
    None,
    One(&'a str),
    Several,
}

fn session_cookies(headers: &HeaderMap) -> Cookies<'_> {
    let mut found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .filter(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim_matches('"'));
    match (found.next(), found.next()) {
        (None, _) => Cookies::None,
        (Some(id), None) => Cookies::One(id),
        _ => Cookies::Several,
    }
}

/// The outermost layer (inside the request log): a kept copy sent before any other layer runs,
/// to a visitor (no session cookie at all, so the log-in layer would find nobody and set no
/// cookie) or to a session this instance confirmed within [`CONFIRM_EVERY`] (its page). Only
/// current copies in a kept encoding (brotli, gzip) go this way; anything else, a first request
/// included, takes the whole stack, where [`serve`] makes and keeps the copy.
pub async fn serve_kept(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let Some((slug, kind)) = kept_address(req.uri().path()) else {
        return next.run(req).await;
    };
    let encoding = accepted(req.headers());
    if encoding == Encoding::Identity {
        return next.run(req).await;
    }
    let corner = match session_cookies(req.headers()) {
        Cookies::None => None,
        Cookies::One(id) if kind == Kept::Page => match state.pages.known(&seen_key(id, slug)) {
            Some(corner) => Some(corner),
            None => return next.run(req).await,
        },
        Cookies::One(_) | Cookies::Several => return next.run(req).await,
    };
    let Ok(Some(version)) = state.pages.version(&state.db, slug).await else {
        return next.run(req).await;
    };
    let key = page_key(req.uri(), kind, req.headers());
    let Some(copy) = state
        .pages
        .0
        .copies
        .get(&key)
        .filter(|c| c.version == version)
    else {
        return next.run(req).await;
    };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH);
    let res = match &corner {
        None => Some(copy.respond(encoding, if_none_match, true)),
        Some(corner) => copy.respond_for(corner, encoding, if_none_match),
    };
    match res {
        Some(res) => res,
        None => next.run(req).await,
    }
}

/// Who a request is from, as the log-in layer (which runs before [`serve`]) found: decided
/// from its result, not from the cookie's text, which browsers and servers may spell
/// differently (`plenary_session =…`, `plenary%5Fsession=…`).
enum Who {
    Visitor,
    Person(app::auth::User, Option<String>),
    /// No log-in layer: nothing tells who this is, so nothing is shared.
    Unknown,
}

fn who(req: &Request) -> Who {
    match req.extensions().get::<app::auth::AuthSession>() {
        Some(auth) => match &auth.user {
            None => Who::Visitor,
            Some(u) => Who::Person(u.clone(), auth.session.id().map(|id| id.to_string())),
        },
        None => Who::Unknown,
    }
}

/// The middleware: serves a kept copy when it is still current, keeps a made one; a logged-in
/// person who does not manage the programme gets the kept page with their own corner.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let Some((slug, kind)) = kept_address(req.uri().path()) else {
        return next.run(req).await;
    };
    let slug = slug.to_string();
    let (req, corner, original) = match who(&req) {
        Who::Unknown => return next.run(req).await,
        Who::Visitor => (req, None, None),
        // their JSON and calendar are made for them, as before
        Who::Person(..) if kind != Kept::Page => return next.run(req).await,
        Who::Person(user, session) => {
            use domain::permissions::Action;
            match app::access::Access::for_user(&state.db, &slug, Some(user.clone())).await {
                Ok(a) if !a.may(Action::ManageProgramme) => {}
                // organisers get the working copy's button; no such conference: its 404
                _ => return next.run(req).await,
            }
            let corner = match Corner::of(&user.name) {
                Ok(c) => Arc::new(c),
                Err(e) => {
                    tracing::error!(error = %e, "page cache: cannot compress an account corner");
                    return next.run(req).await;
                }
            };
            if let Some(id) = session {
                state.pages.saw(seen_key(&id, &slug), corner.clone());
            }
            // the visitors' copy, if it must be made, is made from this request as a visitor's
            let (parts, body) = req.into_parts();
            let original = parts.clone();
            let mut anonymous = Request::from_parts(parts, body);
            if let Some(auth) = anonymous
                .extensions_mut()
                .get_mut::<app::auth::AuthSession>()
            {
                auth.user = None;
            }
            anonymous.headers_mut().remove(header::COOKIE);
            (anonymous, Some(corner), Some(original))
        }
    };
    // a logged-in person's own page, made as before, when the kept copy cannot be used
    let own = |next: Next| {
        let original = original.clone();
        async move {
            match original {
                Some(parts) => Some(next.run(Request::from_parts(parts, Body::empty())).await),
                None => None,
            }
        }
    };
    let version = match state.pages.version(&state.db, &slug).await {
        Ok(Some(v)) => v,
        found => {
            if let Err(e) = found {
                tracing::warn!(error = %e, "page cache: cannot read the programme's version; rendering");
            }
            // no such conference: the page says so, as always
            return match own(next.clone()).await {
                Some(res) => res,
                None => next.run(req).await,
            };
        }
    };
    let key = page_key(req.uri(), kind, req.headers());
    let encoding = accepted(req.headers());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let send = |copy: &Stored, hit: bool| match &corner {
        None => Some(copy.respond(encoding, if_none_match.as_ref(), hit)),
        Some(c) => copy.respond_for(c, encoding, if_none_match.as_ref()),
    };
    if let Some(copy) = state
        .pages
        .0
        .copies
        .get(&key)
        .filter(|c| c.version == version)
    {
        if let Some(res) = send(&copy, true) {
            return res;
        }
        if let Some(res) = own(next.clone()).await {
            return res;
        }
    }
    let res = next.clone().run(req).await;
    // only a complete, ordinary response that sets no cookie is the same for every visitor
    if res.status() != StatusCode::OK
        || res.headers().contains_key(header::SET_COOKIE)
        || res.headers().contains_key(header::CONTENT_ENCODING)
    {
        return own(next).await.unwrap_or(res);
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
        tokio::task::spawn_blocking(move || Stored::make(version, kind, headers, &body)).await
    };
    match made {
        Ok(Ok(copy)) => {
            let copy = Arc::new(copy);
            state.pages.0.copies.insert(key, copy.clone());
            match send(&copy, false) {
                Some(res) => res,
                None => own(next)
                    .await
                    .unwrap_or_else(|| copy.respond(encoding, if_none_match.as_ref(), false)),
            }
        }
        _ => {
            tracing::error!("page cache: cannot compress a made response; sending it as made");
            match own(next).await {
                Some(res) => res,
                None => Response::from_parts(parts, Body::from(body)),
            }
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
        let copy =
            Stored::make(1, Kept::Json, HeaderMap::new(), body.as_bytes()).expect("compress");
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
