//! Server functions: thin. Who is asking, may they, call the service, return a DTO.
//! (All of these are public reads; the writes of later issues check permissions here.)

use crate::dto::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<db::DatabaseConnection, AppError> {
    use_context::<db::DatabaseConnection>().ok_or_else(|| {
        tracing::error!("no database connection in the Leptos context");
        AppError::internal()
    })
}

#[server(prefix = "/fn")]
pub async fn list_conferences() -> Result<Vec<ConferenceSummary>, AppError> {
    crate::service::conferences(&db()?)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_overview(slug: String) -> Result<ConferenceOverview, AppError> {
    crate::service::overview(&db()?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_programme(slug: String) -> Result<ProgrammeDto, AppError> {
    crate::service::programme(&db()?, &slug)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_session(slug: String, id: i32) -> Result<SessionPageDto, AppError> {
    crate::service::session_page(&db()?, &slug, id)
        .await
        .map_err(AppError::with_status)
}

#[server(prefix = "/fn")]
pub async fn get_declaration(slug: String) -> Result<DeclarationDto, AppError> {
    let db = db()?;
    let access = crate::auth::Access::load(&db, &slug)
        .await
        .map_err(AppError::with_status)?;
    let may_see_draft = access.may(domain::permissions::Action::ViewDraftDeclaration);
    crate::service::declaration(&db, &slug, may_see_draft)
        .await
        .map_err(AppError::with_status)
}
