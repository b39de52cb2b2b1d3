//! The public JSON API (`/api/v1`). Stable: outside tools rely on these shapes.

use crate::{ApiError, AppState};
use app::dto::ConferenceSummary;
use app::error::AppError;
use app::programme::dto::ProgrammeDto;
use app::public::service;
use axum::{
    extract::{Path, Query, State},
    routing::get,
    Json, Router,
};
use domain::drafting::amendment::DeclarationStatus;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conferences", get(conferences))
        .route("/conferences/{slug}/programme", get(programme))
        .route("/conferences/{slug}/declaration", get(declaration))
        .fallback(|| async {
            ApiError(AppError::not_found(
                "There is no API endpoint at this address. See /api/v1/conferences.",
            ))
        })
}

async fn conferences(State(s): State<AppState>) -> Result<Json<Vec<ConferenceSummary>>, ApiError> {
    Ok(Json(service::conferences(&s.db).await?))
}

#[derive(Deserialize)]
struct ProgrammeQuery {
    /// one kind, or several separated by commas (`plenary,thematic_forum`)
    kind: Option<String>,
}

/// The released programme; `?kind=` keeps only sessions of those kinds.
async fn programme(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<ProgrammeQuery>,
) -> Result<Json<ProgrammeDto>, ApiError> {
    let mut p = service::programme(&s.db, &slug).await?;
    if let Some(kinds) = q.kind.filter(|k| !k.trim().is_empty()) {
        let mut wanted = Vec::new();
        for k in kinds.split(',').map(str::trim) {
            let kind = domain::programme::SessionKind::parse(k).ok_or_else(|| {
                AppError::validation(
                    "kind",
                    format!(
                        "Unknown session kind “{k}”. Use one of: {}.",
                        domain::programme::SessionKind::ALL
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            wanted.push(kind.as_str());
        }
        p.sessions.retain(|x| wanted.contains(&x.kind.as_str()));
    }
    Ok(Json(p))
}

/// The declaration as the API shows it.
#[derive(Serialize)]
pub struct DeclarationJson {
    pub title: String,
    pub status: String,
    pub version: Option<i32>,
    /// `null` until the declaration is published: the working draft is for participants
    pub markdown: Option<String>,
    pub sha256: Option<String>,
    /// Once adopted: the adopted version, the date of adoption (`YYYY-MM-DD`) and its place.
    pub adopted_version: Option<i32>,
    pub adopted_on: Option<String>,
    pub adopted_place: Option<String>,
    /// Once published: the permanent page of the final text.
    pub final_url: Option<String>,
}

async fn declaration(
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<DeclarationJson>, ApiError> {
    // the public API answers as a visitor would see it
    let d = service::declaration(&s.db, &slug, false).await?;
    let published = d.status == DeclarationStatus::Published;
    Ok(Json(DeclarationJson {
        title: d.title,
        status: d.status.as_str().to_owned(),
        version: d.version_number.map(|x| x.0),
        markdown: (!d.text_withheld).then_some(d.markdown),
        sha256: d.sha256,
        final_url: published.then(|| format!("/conferences/{slug}/declaration/final")),
        adopted_version: d.adopted_version.map(|x| x.0),
        adopted_on: d.adopted_on,
        adopted_place: d.adopted_place,
    }))
}
