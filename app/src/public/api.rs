//! Server functions: thin. Who is asking, may they, call the service, return a DTO.
//! (All of these are public reads; the writes of later issues check permissions here.)

use crate::dto::*;
use crate::error::AppError;
use crate::public::dto::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<db::DatabaseConnection, AppError> {
    use_context::<db::DatabaseConnection>().ok_or_else(|| {
        tracing::error!("no database connection in the Leptos context");
        AppError::internal()
    })
}

/// Who is calling the current server function.
#[cfg(feature = "ssr")]
pub(crate) async fn caller() -> Result<crate::access::Caller, AppError> {
    crate::access::Caller::from_request()
        .await
        .map_err(AppError::with_status)
}

/// A ticked checkbox arrives as "on" (or "true"); an unticked one not at all.
#[cfg(feature = "ssr")]
pub(crate) fn ticked(v: Option<&str>) -> bool {
    v.is_some_and(|v| !v.is_empty() && v != "false")
}

#[server(prefix = "/fn")]
pub async fn list_conferences() -> Result<Vec<ConferenceSummary>, AppError> {
    crate::public::service::conferences(&db()?)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_overview(slug: String) -> Result<ConferenceOverview, AppError> {
    crate::public::service::overview(&db()?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_session(
    slug: String,
    id: domain::ids::SessionId,
) -> Result<SessionPageDto, AppError> {
    let db = db()?;
    let access = caller()
        .await?
        .access(&db, &slug)
        .await
        .map_err(AppError::with_status)?;
    // organisers see the session as they are editing it; everyone else as released
    let working = access.may(domain::permissions::Action::ViewUnreleasedProgramme);
    let mut page = crate::public::service::session_page(&db, &slug, id.0, working)
        .await
        .map_err(AppError::with_status)?;
    page.can_manage = access.may(domain::permissions::Action::ManageProgramme);
    Ok(page)
}

#[server(prefix = "/fn")]
pub async fn get_declaration(slug: String) -> Result<DeclarationDto, AppError> {
    let db = db()?;
    let access = caller()
        .await?
        .access(&db, &slug)
        .await
        .map_err(AppError::with_status)?;
    let may_see_draft = access.may(domain::permissions::Action::ViewDraftDeclaration);
    crate::public::service::declaration(&db, &slug, may_see_draft)
        .await
        .map_err(AppError::with_status)
}
