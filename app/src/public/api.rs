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
pub async fn get_programme(slug: String, tz: Option<String>) -> Result<ProgrammeDto, AppError> {
    let db = db()?;
    let mut p = crate::public::service::programme_in(&db, &slug, tz.as_deref())
        .await
        .map_err(AppError::with_status)?;
    p.can_manage = crate::auth::Access::load(&db, &slug)
        .await
        .map_err(AppError::with_status)?
        .may(domain::permissions::Action::ManageProgramme);
    Ok(p)
}

#[server(prefix = "/fn")]
pub async fn get_session(slug: String, id: i32) -> Result<SessionPageDto, AppError> {
    let db = db()?;
    let access = crate::auth::Access::load(&db, &slug)
        .await
        .map_err(AppError::with_status)?;
    // organisers see the session as they are editing it; everyone else as released
    let working = access.may(domain::permissions::Action::ViewUnreleasedProgramme);
    let mut page = crate::public::service::session_page(&db, &slug, id, working)
        .await
        .map_err(AppError::with_status)?;
    page.can_manage = access.may(domain::permissions::Action::ManageProgramme);
    Ok(page)
}

/// The organiser sets the Key Features a session serves (codes; none clears them).
#[server(prefix = "/fn")]
pub async fn tag_session(
    slug: String,
    session_id: i32,
    key_features: Option<Vec<String>>,
) -> Result<Vec<String>, AppError> {
    crate::adoption::service::tag_session(
        &db()?,
        &slug,
        session_id,
        &key_features.unwrap_or_default(),
    )
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
    crate::public::service::declaration(&db, &slug, may_see_draft)
        .await
        .map_err(AppError::with_status)
}
