//! `GET /conferences/{slug}/events`: the conference's live stream, as Server-Sent Events
//! (see `app::live`). Each event has its number as `id:` and its kind as `event:`; a browser
//! that reconnects sends `Last-Event-ID` and gets exactly what it missed. `?after=n` does the
//! same for a first connection (a page that knows which event it was rendered after).

use crate::{ApiError, AppState};
use app::auth::AuthSession;
use app::live::service::{parse_last_event_id, Outgoing};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    routing::get,
    Router,
};
use futures::StreamExt;
use std::convert::Infallible;
use std::time::Duration;

pub fn router() -> Router<AppState> {
    Router::new().route("/conferences/{slug}/events", get(events))
}

#[derive(serde::Deserialize)]
struct Params {
    after: Option<String>,
}

async fn events(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let last = match headers.get("last-event-id") {
        Some(v) => Some(parse_last_event_id(v.to_str().unwrap_or("-"))?),
        None => match params.after.as_deref() {
            Some(a) => Some(parse_last_event_id(a)?),
            None => None,
        },
    };
    let stream = state.hub.open(auth.user, &slug, last).await?;
    // the browser waits a second before reconnecting (after a stream ends, or a restart)
    let first = futures::stream::once(async { Event::default().retry(Duration::from_secs(1)) });
    let events = first
        .chain(stream.map(|o| {
            match o {
                Outgoing::Event { seq, change } => Event::default()
                    .id(seq.to_string())
                    .event(change.name())
                    .json_data(&change)
                    .unwrap_or_else(|_| Event::default().comment("unreadable event")),
                Outgoing::Reload => Event::default().event("reload").data("{}"),
            }
        }))
        .map(Ok::<_, Infallible>);
    let mut res = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // a proxy in front must pass each event on at once
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(res)
}
