//! Visitors' copies of the programme page: one per address (filters included), kept until the
//! programme is released again or the conference's row changes.
//!
//! The page of a released programme is the same for every visitor who is not logged in, and it
//! changes only at a release; at 400 sessions, rendering it costs far more than sending it. So
//! the first visitor's page is kept, and each later request checks it against
//! [`db::programme::public_version`] (two small indexed reads) before sending it. The check runs
//! on every request, so several server instances on one database never send an outdated page:
//! each keeps its own copies and sees the new release as soon as it is committed.
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
use std::sync::Arc;

/// Says whether a page came from the cache (`hit`) or was rendered and kept (`miss`).
pub const HEADER: &str = "x-page-cache";
/// The log-in session's cookie (see `router`).
pub const SESSION_COOKIE: &str = "plenary_session";
/// Memory for kept pages, per server instance (a 400-session page is about 0.8 MiB).
const CAPACITY_BYTES: u64 = 64 << 20;
/// A page larger than this is sent as rendered but not kept.
const MAX_PAGE_BYTES: usize = 16 << 20;

struct Page {
    version: u64,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Arc<Page>> for Weight {
    fn weight(&self, key: &String, page: &Arc<Page>) -> u64 {
        (key.len() + page.body.len()).max(1) as u64
    }
}

/// The kept pages of one server instance.
#[derive(Clone)]
pub struct PageCache(Arc<quick_cache::sync::Cache<String, Arc<Page>, Weight>>);

impl Default for PageCache {
    fn default() -> Self {
        PageCache(Arc::new(quick_cache::sync::Cache::with_weighter(
            256,
            CAPACITY_BYTES,
            Weight,
        )))
    }
}

/// The slug of a programme page's path, `/conferences/{slug}/programme`.
fn programme_slug(path: &str) -> Option<&str> {
    let slug = path
        .strip_prefix("/conferences/")?
        .strip_suffix("/programme")?;
    (!slug.is_empty() && !slug.contains('/')).then_some(slug)
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

/// The middleware: serves a kept page when it is still current, keeps a rendered one.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET || !anonymous(&req) {
        return next.run(req).await;
    }
    let Some(slug) = programme_slug(req.uri().path()) else {
        return next.run(req).await;
    };
    let version = match db::programme::public_version(&state.db, slug).await {
        Ok(Some(v)) => v,
        // no such conference: the page says so, as always
        Ok(None) => return next.run(req).await,
        Err(e) => {
            tracing::warn!(error = %e, "page cache: cannot read the programme's version; rendering");
            return next.run(req).await;
        }
    };
    let key = req.uri().to_string();
    if let Some(page) = state.pages.0.get(&key).filter(|p| p.version == version) {
        let mut res = Response::new(Body::from(page.body.clone()));
        *res.headers_mut() = page.headers.clone();
        res.headers_mut()
            .insert(HEADER, HeaderValue::from_static("hit"));
        return res;
    }
    let res = next.run(req).await;
    // only a complete, ordinary page that sets no cookie is the same for every visitor
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "page cache: cannot read a rendered page");
            return crate::ApiError(app::error::AppError::internal()).into_response();
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    state.pages.0.insert(
        key,
        Arc::new(Page {
            version,
            headers: parts.headers.clone(),
            body: body.clone(),
        }),
    );
    parts
        .headers
        .insert(HEADER, HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_programme_page_of_a_conference() {
        assert_eq!(
            programme_slug("/conferences/mexico-2015/programme"),
            Some("mexico-2015")
        );
        assert_eq!(
            programme_slug("/conferences/mexico-2015/programme/changes"),
            None
        );
        assert_eq!(programme_slug("/conferences/a/b/programme"), None);
        assert_eq!(programme_slug("/conferences//programme"), None);
        assert_eq!(programme_slug("/conferences/mexico-2015"), None);
    }
}
