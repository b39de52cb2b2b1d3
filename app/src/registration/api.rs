//! Server functions for registration and accreditation.

use crate::dto::*;
use crate::error::AppError;
use crate::registration::dto::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    public::api::{caller, db},
    registration::service as svc,
};

#[server(prefix = "/fn")]
pub async fn get_registration_page(slug: String) -> Result<RegistrationPageDto, AppError> {
    svc::page(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

/// `consent_listed` is the checkbox: present ("on") when ticked.
#[server(prefix = "/fn")]
pub async fn register(
    slug: String,
    category: String,
    delegation_id: Option<String>,
    needs: Option<String>,
    consent_listed: Option<String>,
) -> Result<Notice, AppError> {
    svc::register(
        &db()?,
        &caller().await?,
        &slug,
        &category,
        delegation_id.as_deref(),
        needs.as_deref().unwrap_or_default(),
        consent_listed.is_some_and(|v| !v.is_empty() && v != "false"),
    )
    .await
    .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn withdraw_registration(slug: String) -> Result<Notice, AppError> {
    svc::withdraw(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_registration_queue(
    slug: String,
    status: Option<String>,
    delegation_id: Option<domain::ids::DelegationId>,
) -> Result<RegistrationQueueDto, AppError> {
    svc::queue(
        &db()?,
        &caller().await?,
        &slug,
        status.as_deref(),
        delegation_id,
    )
    .await
    .map_err(AppError::with_status)
}

/// `ids` are the ticked rows (`ids[n]` in the form).
#[server(prefix = "/fn")]
pub async fn decide_registrations(
    slug: String,
    ids: Option<Vec<domain::ids::RegistrationId>>,
    decision: String,
    reason: Option<String>,
) -> Result<Notice, AppError> {
    svc::decide(
        &db()?,
        &caller().await?,
        &slug,
        ids.unwrap_or_default(),
        &decision,
        reason.as_deref(),
    )
    .await
    .map_err(AppError::with_status)
}

/// Organisers: add a delegation (`head_email`: the account of its head, or empty).
#[server(prefix = "/fn")]
pub async fn create_delegation(
    slug: String,
    name: String,
    kind: String,
    country: String,
    region: String,
    lead_organisation: String,
    head_email: String,
) -> Result<Notice, AppError> {
    svc::create_delegation(
        &db()?,
        &caller().await?,
        &slug,
        &name,
        &kind,
        &country,
        &region,
        &lead_organisation,
        &head_email,
    )
    .await
    .map_err(AppError::with_status)
}

/// Accredit every pending registration of one delegation.
#[server(prefix = "/fn")]
pub async fn accredit_delegation(
    slug: String,
    delegation_id: domain::ids::DelegationId,
) -> Result<Notice, AppError> {
    svc::accredit_delegation(&db()?, &caller().await?, &slug, delegation_id)
        .await
        .map_err(AppError::with_status)
}

/// The public participant list.
#[server(prefix = "/fn")]
pub async fn get_participants(slug: String) -> Result<ParticipantsDto, AppError> {
    svc::participants(&db()?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn save_registration_settings(
    slug: String,
    opens_at: String,
    closes_at: String,
    cap: String,
    cap_delegates: String,
    cap_alternates: String,
    cap_advisers: String,
) -> Result<Notice, AppError> {
    svc::save_settings(
        &db()?,
        &caller().await?,
        &slug,
        RegistrationSettingsDto {
            opens_at,
            closes_at,
            cap,
            cap_delegates,
            cap_alternates,
            cap_advisers,
        },
    )
    .await
    .map_err(AppError::with_status)
}

/// The delegation the asker heads, with its members and their states.
#[server(prefix = "/fn")]
pub async fn get_my_delegation(slug: String) -> Result<DelegationDto, AppError> {
    svc::my_delegation(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn withdraw_member(
    slug: String,
    registration_id: domain::ids::RegistrationId,
) -> Result<Notice, AppError> {
    svc::withdraw_member(&db()?, &caller().await?, &slug, registration_id)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn nominate_member(
    slug: String,
    name: String,
    email: String,
    member_role: String,
) -> Result<Notice, AppError> {
    let caller = caller().await?;
    svc::nominate(
        &db()?,
        &caller,
        &slug,
        &name,
        &email,
        &member_role,
        &caller.site.public_url,
    )
    .await
    .map_err(AppError::with_status)
}
