//! Server functions for accounts and roles. Thin: who is asking ([`crate::access::Caller`]),
//! then the service ([`crate::accounts::service`]), which decides and writes.

use crate::accounts::dto::*;
use crate::dto::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::service as svc,
    public::api::{caller, db},
};

/// Who is logged in (`None` for visitors).
#[server(prefix = "/fn")]
pub async fn whoami() -> Result<Option<UserDto>, AppError> {
    let user = caller().await?.user;
    svc::whoami(&db()?, user)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let mut session = crate::access::auth_session().await?;
    svc::log_in(&db()?, &caller().await?, &mut session, &email, password)
        .await
        .map_err(AppError::with_status)?;
    leptos_axum::redirect(&svc::safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn log_out() -> Result<(), AppError> {
    let mut session = crate::access::auth_session().await?;
    svc::log_out(&mut session)
        .await
        .map_err(AppError::with_status)?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn sign_up(
    name: String,
    email: String,
    password: String,
    idempotency_key: Option<String>,
) -> Result<Notice, AppError> {
    svc::sign_up(
        &db()?,
        &caller().await?,
        &name,
        &email,
        &password,
        idempotency_key.as_deref(),
    )
    .await
    .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn confirm_account(token: String) -> Result<(), AppError> {
    let mut session = crate::access::auth_session().await?;
    svc::confirm(&db()?, &mut session, &token)
        .await
        .map_err(AppError::with_status)?;
    leptos_axum::redirect("/account");
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn request_password_reset(email: String) -> Result<Notice, AppError> {
    svc::request_reset(&db()?, &caller().await?, &email)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let mut session = crate::access::auth_session().await?;
    svc::reset_password(&db()?, &mut session, &token, &password)
        .await
        .map_err(AppError::with_status)?;
    leptos_axum::redirect("/account");
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<Notice, AppError> {
    let mut session = crate::access::auth_session().await?;
    svc::change_password(&db()?, &mut session, current_password, &new_password)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn read_outbox() -> Result<Vec<OutboxMessageDto>, AppError> {
    let user = caller().await?.user;
    svc::outbox(&db()?, user)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_roles(slug: String) -> Result<RolesPageDto, AppError> {
    svc::roles_page(&db()?, &caller().await?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn grant_role(slug: String, email: String, role: String) -> Result<Notice, AppError> {
    svc::grant_role(&db()?, &caller().await?, &slug, &email, &role)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn revoke_role(slug: String, role_id: domain::ids::RoleId) -> Result<Notice, AppError> {
    svc::revoke_role(&db()?, &caller().await?, &slug, role_id)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn create_invitation(
    slug: String,
    role: String,
    email: Option<String>,
) -> Result<InvitationDto, AppError> {
    svc::create_invitation(&db()?, &caller().await?, &slug, &role, email.as_deref())
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_invitation(token: String) -> Result<InvitationOfferDto, AppError> {
    svc::invitation_offer(&db()?, &token)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let user = caller().await?.user;
    let to = svc::accept_invitation(&db()?, user, &token)
        .await
        .map_err(AppError::with_status)?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// The notifications the logged-in person gets (each may be turned off).
#[server(prefix = "/fn")]
pub async fn get_notifications() -> Result<Vec<NotificationSettingDto>, AppError> {
    let user = caller().await?.user;
    svc::notifications(&db()?, user)
        .await
        .map_err(AppError::with_status)
}

/// Of the notifications the form offered (`offered`, their kinds separated by spaces), keep
/// those ticked (`on[i]` = kind) and turn off the others; the rest stay as they were. A form
/// that names no offer is refused.
#[server(prefix = "/fn")]
pub async fn set_notifications(
    offered: String,
    on: Option<Vec<String>>,
) -> Result<Notice, AppError> {
    let user = caller().await?.user;
    let offered: Vec<String> = offered.split_whitespace().map(str::to_owned).collect();
    svc::set_notifications(&db()?, user, &offered, &on.unwrap_or_default())
        .await
        .map_err(AppError::with_status)
}
