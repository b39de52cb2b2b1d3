//! Server functions of the live parts.

use crate::error::AppError;
use crate::live::dto::PresenceDto;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    live::service as svc,
    public::api::{caller, db},
};

/// "I am at `place` (`editor`, `amendment:3`), at `paragraph`": who is there now.
#[server(prefix = "/fn")]
pub async fn i_am_here(
    slug: String,
    place: String,
    paragraph: Option<String>,
) -> Result<PresenceDto, AppError> {
    let place = domain::live::Place::parse(&place).ok_or_else(|| {
        AppError::validation("place", "The place is the editor or an amendment's page.")
    })?;
    svc::here(&db()?, &caller().await?, &slug, place, paragraph.as_deref())
        .await
        .map_err(AppError::with_status)
}
