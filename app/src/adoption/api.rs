//! Server functions for adoption: the organisers adopt a version and publish it, tag sessions
//! with Key Features; everyone reads the published text and the framework. Thin: the work is in
//! [`crate::adoption::service`].

use crate::adoption::dto::*;
use crate::dto::Notice;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::public::api::{caller, db, ticked};

/// The organiser's adoption page: versions, sessions, what was adopted and published.
#[server(prefix = "/fn")]
pub async fn get_adoption(slug: String) -> Result<AdoptionDto, AppError> {
    crate::adoption::service::adoption(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// Adopt a version: the date (`YYYY-MM-DD`, a day of the conference), the place and the
/// session of adoption. From then on the text cannot change.
#[server(prefix = "/fn")]
pub async fn adopt_declaration(
    slug: String,
    version: domain::ids::VersionNumber,
    date: String,
    place: String,
    session_id: Option<String>,
    confirm: Option<String>,
) -> Result<Notice, AppError> {
    if !ticked(confirm.as_deref()) {
        return Err(AppError::validation(
            "confirm",
            "Adoption cannot be undone: tick the box to confirm that the conference adopted this version.",
        )
        .with_status());
    }
    let session_id = match session_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(s.parse::<i32>().map_err(|_| {
            AppError::validation("session_id", "Choose one of the conference's sessions.")
                .with_status()
        })?),
    };
    crate::adoption::service::adopt(
        &db()?,
        &caller().await?,
        &slug,
        version,
        &date,
        &place,
        session_id,
    )
    .await
    .map_err(AppError::with_status)
}

/// Set the amendment deadline (`YYYY-MM-DDTHH:MM` in the conference's time zone; empty: no
/// deadline). After it only the drafting committee may propose, submit or edit amendments.
#[server(prefix = "/fn")]
pub async fn set_amendment_deadline(slug: String, deadline: String) -> Result<Notice, AppError> {
    crate::adoption::service::set_deadline(&db()?, &caller().await?, &slug, &deadline)
        .await
        .map_err(AppError::with_status)
}

/// Publish the adopted declaration; `history_public` ticked opens its drafting history to
/// everyone. Publishing again changes only that.
#[server(prefix = "/fn")]
pub async fn publish_declaration(
    slug: String,
    history_public: Option<String>,
) -> Result<Notice, AppError> {
    crate::adoption::service::publish(
        &db()?,
        &caller().await?,
        &slug,
        ticked(history_public.as_deref()),
    )
    .await
    .map_err(AppError::with_status)
}

/// The published declaration (404 until it is published).
#[server(prefix = "/fn")]
pub async fn get_final(slug: String) -> Result<FinalDto, AppError> {
    crate::adoption::service::published(&db()?, &slug)
        .await
        .map(|p| p.dto)
        .map_err(AppError::with_status)
}

/// The Key Features framework: the twelve areas, with the paragraphs and sessions tagged with
/// each.
#[server(prefix = "/fn")]
pub async fn get_framework(slug: String) -> Result<FrameworkDto, AppError> {
    crate::adoption::service::framework(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// The organiser sets the Key Features a session serves (codes; none clears them).
#[server(prefix = "/fn")]
pub async fn tag_session(
    slug: String,
    session_id: domain::ids::SessionId,
    key_features: Option<Vec<String>>,
) -> Result<Vec<String>, AppError> {
    crate::adoption::service::tag_session(
        &db()?,
        &caller().await?,
        &slug,
        session_id,
        &key_features.unwrap_or_default(),
    )
    .await
    .map_err(AppError::with_status)
}
