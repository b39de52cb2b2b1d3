//! Server functions for seats in sessions and the personal agenda.

use crate::dto::*;
use crate::error::AppError;
use crate::seats::dto::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    public::api::{caller, db},
    seats::service as svc,
};

/// This instance's sign-up desk (see `db::enrolments::Desk`).
#[cfg(feature = "ssr")]
fn desk() -> Result<db::enrolments::Desk, AppError> {
    use_context::<db::enrolments::Desk>().ok_or_else(|| {
        tracing::error!("no sign-up desk in the Leptos context");
        AppError::internal()
    })
}

#[server(prefix = "/fn")]
pub async fn get_seats(
    slug: String,
    session_id: domain::ids::SessionId,
) -> Result<SeatsDto, AppError> {
    svc::seats(&db()?, &caller().await?, &slug, session_id)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn sign_up_for_session(
    slug: String,
    session_id: domain::ids::SessionId,
) -> Result<Notice, AppError> {
    svc::sign_up(&db()?, &desk()?, &caller().await?, &slug, session_id)
        .await
        .map_err(AppError::with_status)
}

/// Organisers: the number of seats (`capacity` empty: no limit).
#[server(prefix = "/fn")]
pub async fn set_session_capacity(
    slug: String,
    session_id: domain::ids::SessionId,
    capacity: String,
) -> Result<Notice, AppError> {
    let caller = caller().await?;
    svc::set_capacity(
        &db()?,
        &caller,
        &slug,
        session_id,
        &capacity,
        &caller.site.public_url,
    )
    .await
    .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn cancel_sign_up(
    slug: String,
    session_id: domain::ids::SessionId,
) -> Result<Notice, AppError> {
    let caller = caller().await?;
    svc::cancel(&db()?, &caller, &slug, session_id, &caller.site.public_url)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_agenda(slug: String) -> Result<AgendaDto, AppError> {
    svc::agenda(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn create_calendar_link(slug: String) -> Result<CalendarLinkDto, AppError> {
    let caller = caller().await?;
    svc::new_calendar_link(&db()?, &caller, &slug, &caller.site.public_url)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn revoke_calendar_link(slug: String) -> Result<Notice, AppError> {
    svc::revoke_calendar_link(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}
