//! What every request passes before the application sees it, and what every response carries.
//!
//! - [`requests`]: a state-changing request (anything but GET, HEAD, OPTIONS) from another site
//!   is refused (403), whatever its address: the browser says where a request comes from in
//!   `Sec-Fetch-Site` and `Origin`, and a request that names another origin is a cross-site
//!   forgery (log-in CSRF included). Clients that are not browsers send neither header and pass.
//!   Server functions take only form bodies (`text/plain` and the like get 415). A body over
//!   [`BODY_LIMIT`] gets 413, a body that does not arrive within [`BODY_TIMEOUT`] gets 408.
//! - [`responses`]: security headers on every response, and a Content-Security-Policy whose
//!   script nonce is made per request and handed to Leptos (which puts it on the hydration
//!   script and the scripts that carry server data): no other inline script runs.
//! - [`redacted`]: the address as the request log writes it, with the secrets taken out.

use crate::ApiError;
use app::error::{AppError, ErrorKind};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::time::Duration;

/// The largest request body taken (a declaration of several hundred pages fits).
pub const BODY_LIMIT: usize = 2 << 20;
/// A body declared larger than [`BODY_LIMIT`] but at most this is read and dropped before
/// the 413; a larger one gets the 413 at once.
const DRAIN_LIMIT: u64 = 16 << 20;
/// How long a request body may take to arrive.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// A refusal in the format its caller reads: a server function's error (the bare error, as
/// the functions answer, so that the page's code reads it), or the API's `{"error": …}`.
fn answer(path: &str, status: StatusCode, err: AppError) -> Response {
    let mut res = if path.starts_with("/fn/") {
        let retry = err.retry_after;
        let mut res = axum::Json(err).into_response();
        if let Some(secs) = retry {
            res.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        res
    } else {
        ApiError(err).into_response()
    };
    *res.status_mut() = status;
    res
}

/// Where the site is reached, as a browser writes it in `Origin`: `scheme://host[:port]`.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// Whether a state-changing request comes from another site.
pub fn cross_site(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    if origin.eq_ignore_ascii_case(origin_of(public_url)) {
        return false;
    }
    // the address the browser used, when it differs from PUBLIC_URL (e.g. 127.0.0.1 and localhost)
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    !host.is_some_and(|h| {
        origin
            .split_once("://")
            .is_some_and(|(_, o)| o.eq_ignore_ascii_case(h))
    })
}

/// A form body, or none said (a call without arguments).
fn form_body(headers: &HeaderMap) -> bool {
    match headers.get(header::CONTENT_TYPE) {
        None => true,
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|v| v.split(';').next())
            .is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            }),
    }
}

/// The request guard (see the module's documentation). The body is read first, also of a
/// request that is then refused: a connection whose request was not read to its end cannot be
/// used again, and the client would see it dropped.
pub async fn requests(State(state): State<crate::AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let path = req.uri().path().to_owned();
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        // read what a client may reasonably still be sending, without keeping it, so that it
        // gets to read the answer rather than a reset connection in the middle of its upload
        if declared.is_some_and(|n| n <= DRAIN_LIMIT) {
            let _ = tokio::time::timeout(BODY_TIMEOUT, drain(req.into_body())).await;
        }
        return closing(answer(
            &path,
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::too_large(),
        ));
    }
    let (parts, body) = req.into_parts();
    let bytes =
        match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, BODY_LIMIT)).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                // over the limit while streaming, or the client broke off
                let too_large = std::error::Error::source(&e)
                    .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                    || e.to_string().contains("length limit");
                let res = if too_large {
                    answer(&path, StatusCode::PAYLOAD_TOO_LARGE, AppError::too_large())
                } else {
                    answer(
                        &path,
                        StatusCode::BAD_REQUEST,
                        AppError::new(
                            ErrorKind::Validation,
                            "The request's body could not be read.",
                        ),
                    )
                };
                return closing(res);
            }
            Err(_) => {
                return closing(answer(
                    &path,
                    StatusCode::REQUEST_TIMEOUT,
                    AppError::new(
                        ErrorKind::Validation,
                        "The request's body did not arrive in time.",
                    ),
                ));
            }
        };
    if cross_site(&parts.headers, &state.site.public_url) {
        return answer(
            &path,
            StatusCode::FORBIDDEN,
            AppError::forbidden(
                "This request came from another site and was refused. Use the form on this site.",
            ),
        );
    }
    if path.starts_with("/fn/") {
        if !form_body(&parts.headers) {
            return answer(
                &path,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                AppError::new(
                    ErrorKind::Validation,
                    "Send this as a form (application/x-www-form-urlencoded).",
                ),
            );
        }
        // no text anywhere holds a NUL character (PostgreSQL cannot store one, and no person
        // types one): refused here, once, for every field
        if bytes.contains(&0) || contains_encoded_nul(&bytes) {
            let err = nul_field(&bytes).unwrap_or_else(|| {
                AppError::new(
                    ErrorKind::Validation,
                    "The text contains a NUL character, which no field accepts.",
                )
            });
            return refused_form(&parts, err);
        }
        if let Some(err) = too_long(&bytes) {
            return refused_form(&parts, err);
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The first field of a form body holding a NUL character, as a refusal naming the field and
/// the line (git takes such a text for binary and will not merge it).
fn nul_field(body: &[u8]) -> Option<AppError> {
    form_urlencoded::parse(body).find_map(|(k, v)| {
        let at = v.find('\0')?;
        let line = v[..at].matches('\n').count() + 1;
        Some(AppError::validation(
            k.as_ref(),
            format!(
                "This holds a NUL character (U+0000) on line {line}, which no field accepts; \
                 remove it and send it again."
            ),
        ))
    })
}

/// The first field of a form body over its length (`domain::text::max_chars`), as a refusal.
fn too_long(body: &[u8]) -> Option<AppError> {
    form_urlencoded::parse(body).find_map(|(k, v)| {
        let max = domain::text::max_chars(&k);
        let n = v.chars().count();
        (n > max).then(|| {
            AppError::validation(
                k.into_owned(),
                format!("This is too long: at most {max} characters, and it has {n}."),
            )
        })
    })
}

/// A refusal of a form: to a page's plain form (no JavaScript: it asks for HTML) a redirect
/// back to the page with the error in the address, as Leptos does for the functions' own
/// refusals, so that the form shows it; to everyone else the error with its status.
fn refused_form(parts: &axum::http::request::Parts, err: AppError) -> Response {
    let wants_html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let referer = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok());
    if let (true, Some(referer)) = (wants_html, referer) {
        if let Ok(url) =
            server_fn::error::ServerFnUrlError::new(parts.uri.path(), err.clone()).to_url(referer)
        {
            if let Ok(to) = HeaderValue::from_str(url.as_str()) {
                let mut res = StatusCode::SEE_OTHER.into_response();
                res.headers_mut().insert(header::LOCATION, to);
                return res;
            }
        }
    }
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    answer(parts.uri.path(), status, err)
}

/// Read a body to its end (or its first error), keeping nothing.
async fn drain(mut body: Body) {
    use http_body_util::BodyExt;
    while let Some(Ok(_)) = body.frame().await {}
}

/// `res`, ending its connection: the request's body was not read to its end, so the
/// connection cannot carry another request.
fn closing(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// Whether a form body holds `%00`.
fn contains_encoded_nul(body: &[u8]) -> bool {
    body.windows(3).any(|w| w == b"%00")
}

/// The per-request script nonce, for Leptos (see [`responses`]).
#[derive(Clone)]
pub struct CspNonce(pub String);

fn policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Security headers on every response; see the module's documentation.
pub async fn responses(
    State(state): State<crate::AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = {
        use rand::RngCore;
        let mut b = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut b);
        hex::encode(b)
    };
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    // the built files (WASM, its code-split parts, scripts, style): no document, so no policy or
    // framing rule applies to them; a page loads a few hundred of them, and these headers
    // would be a third of what a small part weighs on the wire
    let asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let document = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("image/svg"));
    let h = res.headers_mut();
    if asset && !document {
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        // a name that carries its content's hash is never asked again: its date says nothing
        let immutable = h
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("immutable"));
        if immutable {
            h.remove(header::LAST_MODIFIED);
        }
        return res;
    }
    if let Ok(v) = HeaderValue::from_str(&policy(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if state.site.public_url.starts_with("https://") {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Query parameters whose values are secrets.
const SECRET_PARAMS: [&str; 3] = ["token", "secret", "key"];
/// Path prefixes whose next segment is a secret.
const SECRET_SEGMENTS: [&str; 2] = ["/calendar/", "/invitations/"];

/// `uri` as the request log writes it: secrets in the path (calendar addresses, invitation
/// links) and in the query (`token=`) replaced by `[redacted]`.
pub fn redacted(uri: &Uri) -> String {
    let path = uri.path();
    let mut out = String::with_capacity(path.len() + 16);
    let mut rest = path;
    'outer: while !rest.is_empty() {
        for prefix in SECRET_SEGMENTS {
            if let Some(i) = rest.find(prefix) {
                let start = i + prefix.len();
                out.push_str(&rest[..start]);
                let seg_end = rest[start..].find('/').map_or(rest.len(), |j| start + j);
                let seg = &rest[start..seg_end];
                if !seg.is_empty() {
                    out.push_str("[redacted]");
                    if let Some(dot) = seg.rfind('.') {
                        out.push_str(&seg[dot..]);
                    }
                }
                rest = &rest[seg_end..];
                continue 'outer;
            }
        }
        out.push_str(rest);
        break;
    }
    if let Some(q) = uri.query() {
        out.push('?');
        let parts: Vec<String> = q
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s)) => {
                    format!("{k}=[redacted]")
                }
                _ => pair.to_string(),
            })
            .collect();
        out.push_str(&parts.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_is_told_by_the_browser() {
        let site = "https://plenary.example.org";
        assert!(!cross_site(&headers(&[]), site), "not a browser");
        assert!(!cross_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            site
        ));
        assert!(cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            site
        ));
        assert!(cross_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            site
        ));
        assert!(!cross_site(
            &headers(&[("origin", "https://plenary.example.org")]),
            site
        ));
        assert!(cross_site(
            &headers(&[("origin", "https://evil.example")]),
            site
        ));
        assert!(cross_site(&headers(&[("origin", "null")]), site));
        assert!(!cross_site(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            "http://localhost:3000"
        ));
    }

    #[test]
    fn secrets_leave_the_log() {
        let r = |s: &str| redacted(&s.parse::<Uri>().unwrap());
        assert_eq!(
            r("/conferences/x/calendar/abcdef123.ics"),
            "/conferences/x/calendar/[redacted].ics"
        );
        assert_eq!(r("/invitations/abc"), "/invitations/[redacted]");
        assert_eq!(
            r("/account/confirm?token=abc&x=1"),
            "/account/confirm?token=[redacted]&x=1"
        );
        assert_eq!(
            r("/conferences/x/programme?day=2"),
            "/conferences/x/programme?day=2"
        );
    }
}
