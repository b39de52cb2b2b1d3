//! Server functions of the programme: the organisers' writes (each checks the asker is an
//! organiser of the conference) and the public "what changed".

use crate::dto::*;
use crate::error::AppError;
use crate::programme::dto::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    programme::service as svc,
    public::api::{caller, db},
};

#[server(prefix = "/fn")]
pub async fn get_manage_programme(slug: String) -> Result<ManageDto, AppError> {
    svc::manage(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_session_form(
    slug: String,
    id: Option<domain::ids::SessionId>,
) -> Result<SessionFormDto, AppError> {
    svc::session_form(&db()?, &caller().await?, &slug, id)
        .await
        .map_err(AppError::with_status)
}

/// The session form's fields, as sent.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SessionFields {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub room_id: String,
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub chairs: String,
    #[serde(default)]
    pub speakers: String,
}

#[cfg(feature = "ssr")]
impl SessionFields {
    fn raw(&self) -> domain::schedule::RawSession<'_> {
        domain::schedule::RawSession {
            kind: &self.kind,
            title: &self.title,
            description: &self.description,
            room_id: &self.room_id,
            start: &self.start,
            end: &self.end,
            capacity: &self.capacity,
            region: &self.region,
            chairs: &self.chairs,
            speakers: &self.speakers,
        }
    }
}

/// The clashes the session would have as the form now says (nothing is saved).
#[server(prefix = "/fn")]
pub async fn check_session(
    slug: String,
    id: Option<domain::ids::SessionId>,
    #[server(flatten)] fields: SessionFields,
) -> Result<Vec<ClashDto>, AppError> {
    svc::check_session(&db()?, &caller().await?, &slug, id, &fields.raw())
        .await
        .map_err(AppError::with_status)
}

/// Save a session (`id` empty: a new one). `acknowledge` = "on" saves despite clashes and
/// records them as accepted.
#[server(prefix = "/fn")]
pub async fn save_session(
    slug: String,
    id: Option<domain::ids::SessionId>,
    revision: Option<i32>,
    #[server(flatten)] fields: SessionFields,
    key_features: Option<Vec<String>>,
    acknowledge: Option<String>,
) -> Result<SessionSavedDto, AppError> {
    let caller = caller().await?;
    svc::save_session(
        &db()?,
        &caller,
        &slug,
        &caller.site.public_url,
        id,
        revision.unwrap_or(0),
        &fields.raw(),
        &key_features.unwrap_or_default(),
        acknowledge.is_some_and(|a| !a.is_empty()),
    )
    .await
    .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn delete_session(
    slug: String,
    id: domain::ids::SessionId,
    revision: i32,
) -> Result<Notice, AppError> {
    svc::delete_session(&db()?, &caller().await?, &slug, id, revision)
        .await
        .map_err(AppError::with_status)
}

/// Add a room (`id` empty) or rename / resize one at the `revision` its form was loaded at.
#[server(prefix = "/fn")]
pub async fn save_room(
    slug: String,
    id: Option<domain::ids::RoomId>,
    revision: Option<i32>,
    name: String,
    capacity: String,
) -> Result<ManagedRoomDto, AppError> {
    svc::save_room(
        &db()?,
        &caller().await?,
        &slug,
        id,
        revision,
        &name,
        &capacity,
    )
    .await
    .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn delete_room(slug: String, id: domain::ids::RoomId) -> Result<Notice, AppError> {
    svc::delete_room(&db()?, &caller().await?, &slug, id)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn acknowledge_clash(slug: String, key: String) -> Result<Notice, AppError> {
    svc::acknowledge_clash(&db()?, &caller().await?, &slug, &key)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn release_programme(slug: String, changelog: String) -> Result<ReleaseDto, AppError> {
    svc::release(&db()?, &caller().await?, &slug, &changelog)
        .await
        .map_err(AppError::with_status)
}

/// Every release with its changes, newest first (public).
#[server(prefix = "/fn")]
pub async fn get_releases(slug: String) -> Result<ReleasesDto, AppError> {
    svc::releases(&db()?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// The released programme as visitors read it, its times in `tz` (an IANA name; conference time
/// when none), and whether the asker manages it.
#[server(prefix = "/fn")]
pub async fn get_programme(slug: String, tz: Option<String>) -> Result<ProgrammeDto, AppError> {
    let mut p = svc::released(&db()?, &caller().await?, &slug, tz.as_deref())
        .await
        .map_err(AppError::with_status)?;
    p.phone = asked_from_phone();
    Ok(p)
}

/// Whether the request comes from a phone: the client hint `Sec-CH-UA-Mobile: ?1` (Chromium
/// sends it on every request) or, from other browsers, "Mobi" in the user agent (the rule MDN
/// recommends). The programme page shows phones the list and desks the grid, and sends only
/// that view's markup (the other is a link away).
#[cfg(feature = "ssr")]
pub fn from_phone(headers: &axum::http::HeaderMap) -> bool {
    if let Some(v) = headers.get("sec-ch-ua-mobile") {
        return v.as_bytes() == b"?1";
    }
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| ua.contains("Mobi"))
}

/// Whether the request being answered comes from a phone (see [`from_phone`]).
#[cfg(feature = "ssr")]
fn asked_from_phone() -> bool {
    use_context::<axum::http::request::Parts>().is_some_and(|p| from_phone(&p.headers))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::from_phone;
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn phones_by_hint_or_user_agent() {
        let mut h = HeaderMap::new();
        assert!(!from_phone(&h));
        h.insert(
            header::USER_AGENT,
            HeaderValue::from_static(
                "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Mobile Safari/537.36",
            ),
        );
        assert!(from_phone(&h));
        h.insert("sec-ch-ua-mobile", HeaderValue::from_static("?0"));
        assert!(!from_phone(&h));
    }
}
