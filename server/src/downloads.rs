//! Files to download, behind the same permission rules as the pages: the registrations as
//! CSV (organisers), the compilation text and the working draft (PDF, with its square brackets)
//! of the declaration (participants), and the published declaration (everyone, once it is
//! published).

use crate::{ApiError, AppState};
use app::access::Access;
use app::auth::AuthSession;
use app::error::{AppError, OrInternal};
use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use domain::ids::{ConferenceId, DeclarationId, SessionId};
use domain::permissions::Action;
use sea_orm::EntityTrait;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/conferences/{slug}/registrations.csv",
            get(registrations_csv),
        )
        .route(
            "/conferences/{slug}/declaration/compilation.md",
            get(compilation_md),
        )
        .route(
            "/conferences/{slug}/declaration/compilation.html",
            get(compilation_html),
        )
        .route("/conferences/{slug}/declaration/final.md", get(final_md))
        .route(
            "/conferences/{slug}/declaration/final.html",
            get(final_html),
        )
        .route("/conferences/{slug}/declaration/final.pdf", get(final_pdf))
        .route("/conferences/{slug}/declaration/draft.pdf", get(draft_pdf))
        .route("/conferences/{slug}/agenda.ics", get(agenda_ics))
        .route("/conferences/{slug}/programme.ics", get(programme_ics))
        .route("/conferences/{slug}/programme.csv", get(programme_csv))
        .route("/conferences/{slug}/schedule.xml", get(schedule_xml))
        .route("/conferences/{slug}/badges.pdf", get(badges_pdf))
        .route("/conferences/{slug}/programme.pdf", get(programme_pdf))
        .route("/conferences/{slug}/amendments.csv", get(amendments_csv))
        .route("/conferences/{slug}/amendments.pdf", get(amendments_pdf))
        .route("/conferences/{slug}/schedule.json", get(schedule_json))
        .route(
            "/conferences/{slug}/sessions/{id}/session.ics",
            get(session_ics),
        )
        .route("/calendar/{file}", get(calendar_feed))
}

fn calendar(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The logged-in person's agenda as a calendar file.
async fn agenda_ics(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let access = Access::for_user(&state.db, &slug, auth.user).await?;
    let user = access.user.clone().ok_or_else(AppError::unauthorised)?;
    let agenda =
        app::seats::service::agenda_of(&state.db, &access.conference, user.person_id, user.name)
            .await?;
    Ok(calendar(
        app::seats::service::agenda_ics(&agenda, &state.site.public_url),
        &format!("{slug}-agenda.ics"),
    ))
}

/// One session as a calendar file (public, like the session's page).
async fn session_ics(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id: i32 = id
        .parse()
        .map_err(|_| AppError::not_found("There is no such session in this conference."))?;
    let page = app::public::service::session_page(&state.db, &slug, id, false).await?;
    Ok(calendar(
        app::seats::service::session_ics(&page, &state.site.public_url),
        &format!("{slug}-session-{id}.ics"),
    ))
}

/// The released programme as a calendar: one event per session (breaks included, as they are
/// on the printed programme), the same UIDs as every other calendar of this site, SEQUENCE
/// raised by each release that changed a session.
async fn programme_ics(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let p = app::public::service::programme(&state.db, &slug).await?;
    Ok(calendar(
        app::seats::service::programme_ics(&p, &state.site.public_url),
        &format!("{slug}-programme.ics"),
    ))
}

/// The released programme in the frab format (`schedule.xml`), for conference apps and video
/// tools; public, as the programme is.
async fn schedule_xml(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let p = app::public::service::programme(&state.db, &slug).await?;
    let body = app::programme::service::frab::schedule_xml(&p, &state.site.public_url);
    Ok(schedule_file(
        "application/xml; charset=utf-8",
        body.into_bytes(),
    ))
}

/// The same as `schedule.json`.
async fn schedule_json(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let p = app::public::service::programme(&state.db, &slug).await?;
    let body = app::programme::service::frab::schedule_json(&p, &state.site.public_url);
    Ok(schedule_file(
        "application/json",
        serde_json::to_vec_pretty(&body).map_err(|e| {
            tracing::error!(error = %e, "cannot write schedule.json");
            AppError::internal()
        })?,
    ))
}

/// A public schedule file: shown in the browser, cached briefly (a release changes it).
fn schedule_file(content_type: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, "public, max-age=60".to_string()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The working programme as CSV, for the organisers (signage, printing, checks in a
/// spreadsheet): every field of every session, times in the conference's time zone, and the
/// seats taken.
async fn programme_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let access = Access::for_user(&state.db, &slug, auth.user).await?;
    access.require(Action::ManageProgramme)?;
    let c = &access.conference;
    let tz = app::public::service::tz_of(c)?;
    let snap = db::programme::working(&state.db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let ids: Vec<SessionId> = snap.sessions.iter().map(|s| SessionId(s.id)).collect();
    let counts = db::enrolments::counts(&state.db, &ids)
        .await
        .or_internal()?;
    let header = [
        "id",
        "kind",
        "title",
        "day",
        "start",
        "end",
        "timezone",
        "room",
        "capacity",
        "region",
        "chairs",
        "speakers",
        "key_features",
        "confirmed",
        "waitlisted",
        "description",
    ];
    let mut rows = Vec::new();
    for s in &snap.sessions {
        let start = s.starts_at.with_timezone(&tz);
        let end = s.ends_at.with_timezone(&tz);
        let (confirmed, waitlisted) = counts
            .iter()
            .find(|(id, ..)| *id == s.id)
            .map(|(_, c, w)| (*c, *w))
            .unwrap_or((0, 0));
        rows.push([
            s.id.to_string(),
            s.kind.as_str().to_string(),
            cell(&s.title),
            start.format("%Y-%m-%d").to_string(),
            start.format("%H:%M").to_string(),
            end.format("%H:%M").to_string(),
            c.timezone.clone(),
            cell(s.room.as_deref().unwrap_or_default()),
            s.capacity.map(|x| x.to_string()).unwrap_or_default(),
            cell(s.region.as_deref().unwrap_or_default()),
            cell(&s.chairs.join("; ")),
            cell(&s.speakers.join("; ")),
            s.key_features.join(" "),
            confirmed.to_string(),
            waitlisted.to_string(),
            cell(&s.description),
        ]);
    }
    csv_file(&header, &rows, &format!("{slug}-programme.csv"))
}

/// The same, at a secret address for calendar apps to subscribe to (no log-in); 404 once
/// its owner has turned it off.
async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let gone = || AppError::not_found("This calendar address is not valid (any more).");
    let token = file.strip_suffix(".ics").ok_or_else(gone)?;
    let (person_id, conference_id) = db::accounts::calendar_feed_owner(&state.db, token)
        .await
        .or_internal()?
        .ok_or_else(gone)?;
    let conference = db::entity::conference::Entity::find_by_id(conference_id)
        .one(&state.db)
        .await
        .or_internal()?
        .ok_or_else(gone)?;
    let name = db::entity::person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await
        .or_internal()?
        .map(|p| p.name)
        .unwrap_or_default();
    let agenda = app::seats::service::agenda_of(&state.db, &conference, person_id, name).await?;
    Ok(calendar(
        app::seats::service::agenda_ics(&agenda, &state.site.public_url),
        &format!("{}-agenda.ics", conference.slug),
    ))
}

/// A CSV file to download: a header and rows of cells (already made safe with [`cell`]),
/// UTF-8 with a byte order mark.
fn csv_file<const N: usize>(
    header: &[&str; N],
    rows: &[[String; N]],
    filename: &str,
) -> Result<Response, ApiError> {
    let internal = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "cannot write the CSV");
        AppError::internal()
    };
    // a UTF-8 byte order mark first, so that spreadsheet programs read "México" and "Søren"
    // as UTF-8 rather than their locale's code page
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(header).map_err(|e| internal(&e))?;
    for r in rows {
        w.write_record(r).map_err(|e| internal(&e))?;
    }
    let body = w.into_inner().map_err(|e| internal(&e))?;
    Ok(download("text/csv; charset=utf-8", filename, body))
}

fn download(content_type: &str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading
/// apostrophe, so exported text stays text.
fn cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Runs a PDF layout off the async threads.
async fn pdf_of(
    work: impl FnOnce() -> Result<Vec<u8>, AppError> + Send + 'static,
) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!("PDF task: {e}");
        AppError::internal()
    })?
}

/// The released programme as a PDF to print (public, as the programme is).
async fn programme_pdf(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let p = app::public::service::programme(&state.db, &slug).await?;
    let pdf = pdf_of(move || crate::pdf::programme_pdf(&p)).await?;
    Ok(download(
        "application/pdf",
        &format!("{slug}-programme.pdf"),
        pdf,
    ))
}

/// The amendments as a table (participants, as the amendments page): CSV.
async fn amendments_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let access = Access::for_user(&state.db, &slug, auth.user).await?;
    let t = app::drafting::service::table::amendments_table(&state.db, &access).await?;
    let header = [
        "number",
        "paragraph",
        "title",
        "sponsor",
        "co_sponsors",
        "state",
        "decision",
    ];
    let rows: Vec<[String; 7]> = t
        .rows
        .into_iter()
        .map(|r| {
            [
                r.number.to_string(),
                cell(&r.paragraph),
                cell(&r.title),
                cell(&r.sponsor),
                cell(&r.co_sponsors),
                r.state,
                cell(&r.decision),
            ]
        })
        .collect();
    csv_file(&header, &rows, &format!("{slug}-amendments.csv"))
}

/// The amendments as a table: PDF.
async fn amendments_pdf(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let access = Access::for_user(&state.db, &slug, auth.user).await?;
    let t = app::drafting::service::table::amendments_table(&state.db, &access).await?;
    let pdf = pdf_of(move || crate::pdf::amendments_pdf(&t)).await?;
    Ok(download(
        "application/pdf",
        &format!("{slug}-amendments.pdf"),
        pdf,
    ))
}

/// Whose badges, on which paper.
#[derive(serde::Deserialize)]
struct BadgeQuery {
    delegation: Option<String>,
    registration: Option<String>,
    layout: Option<String>,
}

/// Badges of accredited participants (organisers): everyone's, a delegation's or one person's,
/// one A6 per page or four per A4 sheet.
async fn badges_pdf(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
    axum::extract::Query(q): axum::extract::Query<BadgeQuery>,
) -> Result<Response, ApiError> {
    let access = Access::for_user(&state.db, &slug, auth.user).await?;
    access.require(Action::ManageRegistrations)?;
    let layout = domain::desk::BadgeLayout::parse(q.layout.as_deref().unwrap_or_default())
        .ok_or_else(|| AppError::validation("layout", "Choose A6 or A4 paper."))?;
    let (conference, rows) = app::desk::service::badges(
        &state.db,
        &access,
        q.delegation.as_deref(),
        q.registration.as_deref(),
    )
    .await?;
    let pdf = pdf_of(move || crate::badges::badges_pdf(&conference, &rows, layout)).await?;
    Ok(download(
        "application/pdf",
        &format!("{slug}-badges.pdf"),
        pdf,
    ))
}

async fn registrations_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let access = Access::for_user(&state.db, &slug, auth.user).await?;
    access.require(Action::ManageRegistrations)?;
    let rows = db::registrations::list(&state.db, access.conference_id(), None, None)
        .await
        .or_internal()?;
    let header = [
        "id",
        "name",
        "email",
        "category",
        "delegation",
        "member_role",
        "status",
        "status_reason",
        "needs",
        "consent_listed",
        "registered_at",
        "updated_at",
    ];
    let mut out = Vec::new();
    for r in rows {
        let g = &r.registration;
        out.push([
            g.id.to_string(),
            cell(&r.person.name),
            cell(r.email.as_deref().unwrap_or_default()),
            domain::registration::Category::parse(&g.category)
                .map_or(g.category.clone(), |c| c.label().to_string()),
            cell(r.delegation.as_ref().map_or("", |d| d.name.as_str())),
            g.member_role.clone().unwrap_or_default(),
            g.status.clone(),
            cell(g.status_reason.as_deref().unwrap_or_default()),
            cell(&g.needs),
            if g.consent_listed { "yes" } else { "no" }.to_string(),
            g.created_at.to_rfc3339(),
            g.updated_at.to_rfc3339(),
        ]);
    }
    csv_file(&header, &out, &format!("{slug}-registrations.csv"))
}

async fn compilation(state: &AppState, auth: AuthSession, slug: &str) -> Result<String, AppError> {
    let access = Access::for_user(&state.db, slug, auth.user).await?;
    access.require(Action::ViewDraftDeclaration)?;
    let (decl, _) = db::queries::declaration(&state.db, access.conference_id())
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("This conference has no declaration yet."))?;
    db::drafting::compilation(&state.db, DeclarationId(decl.id))
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("This declaration has no text yet."))
}

/// The current version of the working draft as a PDF, with its square brackets (participants).
async fn draft_pdf(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let access = Access::for_user(&state.db, &slug, auth.user).await?;
    access.require(Action::ViewDraftDeclaration)?;
    let (decl, current) = db::queries::declaration(&state.db, access.conference_id())
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("This conference has no declaration yet."))?;
    let v = current.ok_or_else(|| AppError::not_found("This declaration has no text yet."))?;
    let tz = app::public::service::tz_of(&access.conference)?;
    let under = format!(
        "Working draft, version {} of {}. Text in square brackets is not agreed; \"(ad ref)\" marks \
         text agreed ad referendum.",
        v.number,
        app::public::service::moment_label(tz, v.created_at)
    );
    let labels = db::drafting::labels_of(&v);
    let conference = access.conference.title.clone();
    let pdf = pdf_of(move || {
        crate::pdf::draft_pdf(&conference, &decl.title, &under, &v.markdown, &labels)
    })
    .await?;
    Ok(download(
        "application/pdf",
        &format!("{slug}-draft.pdf"),
        pdf,
    ))
}

async fn compilation_md(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let md = compilation(&state, auth, &slug).await?;
    Ok(download(
        "text/markdown; charset=utf-8",
        &format!("{slug}-compilation.md"),
        md.into_bytes(),
    ))
}

async fn compilation_html(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let md = compilation(&state, auth, &slug).await?;
    let body = domain::markdown::render_draft(&md);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Compilation text</title>\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<style>body{{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1a1f2b}}\
blockquote{{border-left:4px solid #0f7a6c;background:#e8f5f2;margin:1rem 0;padding:.5rem 1rem}}\
@media print{{blockquote{{background:none}}}}</style></head><body>\n{body}\n</body></html>\n"
    );
    Ok(download(
        "text/html; charset=utf-8",
        &format!("{slug}-compilation.html"),
        html.into_bytes(),
    ))
}

/// A published file: as [`download`], but everyone may keep it for a while, and `ETag` is
/// its SHA-256.
fn published_file(content_type: &str, filename: &str, sha256: &str, body: Vec<u8>) -> Response {
    let mut r = download(content_type, filename, body);
    let headers = r.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=300"),
    );
    if let Ok(tag) = header::HeaderValue::from_str(&format!("\"{sha256}\"")) {
        headers.insert(header::ETAG, tag);
    }
    r
}

/// The adopted Markdown, byte for byte: its SHA-256 is the one the final page shows.
async fn final_md(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let p = app::adoption::service::published(&state.db, &slug).await?;
    Ok(published_file(
        "text/markdown; charset=utf-8",
        &format!("{slug}-declaration.md"),
        &p.dto.sha256,
        p.markdown.into_bytes(),
    ))
}

/// The published declaration as one standalone, printable HTML file.
async fn final_html(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let p = app::adoption::service::published(&state.db, &slug).await?;
    let d = &p.dto;
    let esc = domain::text::escape_html;
    let appendix = if d.amendments.is_empty() {
        String::new()
    } else {
        let items: String = d
            .amendments
            .iter()
            .map(|a| format!("<li>{}</li>", esc(&a.line())))
            .collect();
        format!("<section class=\"appendix\"><h2>Appendix: adopted amendments</h2><ul>{items}</ul></section>")
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<style>\
body{{font-family:Georgia,'Times New Roman',serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1a1f2b}}\
header{{border-bottom:2px solid #0f7a6c;margin-bottom:1.5rem}}\
.conference{{font-family:system-ui,sans-serif;color:#4a5568;font-size:.95rem}}\
.para{{display:grid;grid-template-columns:2.75rem 1fr;gap:.5rem;break-inside:avoid}}\
.para-number{{font-family:system-ui,sans-serif;font-size:.8rem;font-weight:700;color:#4a5568;text-align:right;padding-top:1.15em}}\
.para-body>:first-child{{margin-top:1em}}.para-body>:last-child{{margin-bottom:0}}\
.hash{{font-family:system-ui,sans-serif;font-size:.85rem;color:#4a5568;overflow-wrap:anywhere;margin-top:2rem;border-top:1px solid #d9dee7;padding-top:1rem}}\
h1,h2,h3{{break-after:avoid}}\
@page{{margin:2cm}}\
@media print{{body{{margin:0;max-width:none;font-size:11pt}}a{{color:inherit;text-decoration:none}}}}\
</style></head><body>\n<header><p class=\"conference\">{conference}</p><h1>{title}</h1><p class=\"adopted\">{adopted}</p></header>\n\
<main>{body}</main>\n{appendix}\n<p class=\"hash\">SHA-256 of the adopted Markdown ({slug}-declaration.md): {sha}</p>\n</body></html>\n",
        title = esc(&d.title),
        conference = esc(&d.conference.title),
        adopted = esc(&d.adopted.sentence()),
        body = d.html,
        sha = d.sha256,
    );
    Ok(published_file(
        "text/html; charset=utf-8",
        &format!("{slug}-declaration.html"),
        &d.sha256,
        html.into_bytes(),
    ))
}

/// The published declaration as a PDF, laid out on the server.
async fn final_pdf(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let p = app::adoption::service::published(&state.db, &slug).await?;
    let sha = p.dto.sha256.clone();
    // layout is CPU work: off the async workers
    let pdf = pdf_of(move || crate::pdf::declaration_pdf(&p)).await?;
    Ok(published_file(
        "application/pdf",
        &format!("{slug}-declaration.pdf"),
        &sha,
        pdf,
    ))
}
