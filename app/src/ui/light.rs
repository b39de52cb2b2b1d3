//! Light pages: what a visitor reads — the conference list, a conference, its programme and its
//! sessions, the declaration — is sent without the application's WASM (about 1 MB with brotli),
//! so that a first visit on a phone stays far under 300 KB.
//!
//! These pages are complete as the server renders them: links and filter forms are plain HTML.
//! What the WASM would add is done by one small script, inline with the page's nonce
//! ([`SCRIPT`], about 3 KB): it follows the conference's live stream and, when something a
//! visitor can see changed, fetches the page again and puts its new content in place with a
//! notice (texts rendered here by the server, see `live::components::LiveEvents`); it opens the
//! programme's filters where there is room and offers the viewer's own time zone. No resource
//! data is written into these pages for hydration (nothing hydrates them).
//!
//! A logged-in person gets every page hydrated, as before: their pages have buttons.

/// Whether `path` is a page a visitor only reads.
pub fn light_path(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let Some(rest) = path.strip_prefix("/conferences/") else {
        return false;
    };
    let mut parts = rest.split('/');
    let slug_ok = parts.next().is_some_and(|s| !s.is_empty());
    let tail: Vec<&str> = parts.collect();
    slug_ok
        && match tail.as_slice() {
            [] | ["programme"] | ["programme", "changes"] | ["declaration"] => true,
            ["declaration", "final"] | ["key-features"] => true,
            ["sessions", id] => !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
            _ => false,
        }
}

/// Whether the page being rendered is a light one: a visitor's `GET` of a [`light_path`].
/// Always `false` in the browser (a hydrated page is never light).
pub fn is_light() -> bool {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        let Some(parts) = use_context::<axum::http::request::Parts>() else {
            return false;
        };
        let visitor = parts
            .extensions
            .get::<crate::auth::AuthSession>()
            .is_some_and(|a| a.user.is_none());
        parts.method == axum::http::Method::GET && visitor && light_path(parts.uri.path())
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The script of a light page.
pub const SCRIPT: &str = include_str!("light.js");

#[cfg(test)]
mod tests {
    use super::light_path;

    #[test]
    fn what_a_visitor_only_reads() {
        for p in [
            "/",
            "/conferences/m",
            "/conferences/m/programme",
            "/conferences/m/programme/changes",
            "/conferences/m/declaration",
            "/conferences/m/declaration/final",
            "/conferences/m/key-features",
            "/conferences/m/sessions/12",
        ] {
            assert!(light_path(p), "{p}");
        }
        for p in [
            "/login",
            "/account",
            "/conferences/",
            "/conferences/m/programme/manage",
            "/conferences/m/declaration/edit",
            "/conferences/m/amendments",
            "/conferences/m/register",
            "/conferences/m/sessions/new",
            "/conferences/m/sessions/12/edit",
            "/conferences/m/people",
        ] {
            assert!(!light_path(p), "{p}");
        }
    }
}
