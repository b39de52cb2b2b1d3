//! Server functions of the desk (organisers only).

use crate::desk::dto::*;
use crate::dto::Notice;
use crate::error::AppError;
use domain::ids::RegistrationId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    desk::service as svc,
    public::api::{caller, db},
};

#[server(prefix = "/fn")]
pub async fn get_desk(slug: String) -> Result<DeskDto, AppError> {
    svc::desk(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// Check someone in by the code on their badge or (found by name) their registration; with
/// `session`, at that session.
#[server(prefix = "/fn")]
pub async fn check_in_participant(
    slug: String,
    code: Option<String>,
    registration: Option<RegistrationId>,
    session: Option<String>,
) -> Result<CheckInDto, AppError> {
    svc::check_in(
        &db()?,
        &caller().await?,
        &slug,
        code.as_deref(),
        registration,
        svc::session_of(session.as_deref())?,
    )
    .await
    .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
/// Participants found by name; with `session`, to be checked in at that session.
pub async fn find_participants(
    slug: String,
    name: String,
    session: Option<String>,
) -> Result<FoundDto, AppError> {
    let at = svc::session_of(session.as_deref())?;
    svc::find(&db()?, &caller().await?, &slug, &name, at)
        .await
        .map_err(AppError::with_status)
}

/// A new code for one participant's badge: the old badge checks no one in.
#[server(prefix = "/fn")]
pub async fn reissue_badge(slug: String, registration: RegistrationId) -> Result<Notice, AppError> {
    svc::reissue(&db()?, &caller().await?, &slug, registration)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_dashboard(slug: String) -> Result<DashboardDto, AppError> {
    svc::dashboard(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}
