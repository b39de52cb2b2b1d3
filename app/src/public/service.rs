//! Server-side reads behind the pages and the public API: load from the database, shape DTOs.
//! Server functions and the JSON handlers both call these, so the two never disagree.

use crate::dto::*;
use crate::error::{AppError, OrInternal};
use crate::programme::dto::*;
use crate::public::dto::*;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use db::entity::{conference, programme_release};
use db::programme::{SessionSnap, Snapshot};
use db::queries;
use domain::drafting::amendment::DeclarationStatus;
use domain::ids::ConferenceId;
use domain::key_features;
use domain::programme::SessionKind;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub fn tz_of(c: &conference::Model) -> Result<Tz, AppError> {
    c.timezone.parse::<Tz>().map_err(|_| {
        tracing::error!(slug = %c.slug, tz = %c.timezone, "conference has an unknown time zone");
        AppError::internal()
    })
}

pub fn dates_label(start: NaiveDate, end: NaiveDate) -> String {
    use chrono::Datelike;
    if start == end {
        start.format("%-d %B %Y").to_string()
    } else if start.year() == end.year() && start.month() == end.month() {
        format!("{}–{}", start.format("%-d"), end.format("%-d %B %Y"))
    } else if start.year() == end.year() {
        format!("{} – {}", start.format("%-d %B"), end.format("%-d %B %Y"))
    } else {
        format!(
            "{} – {}",
            start.format("%-d %B %Y"),
            end.format("%-d %B %Y")
        )
    }
}

pub fn summary(c: &conference::Model) -> ConferenceSummary {
    ConferenceSummary {
        slug: c.slug.clone(),
        title: c.title.clone(),
        theme: c.theme.clone(),
        city: c.city.clone(),
        country: c.country.clone(),
        venue: c.venue.clone(),
        start_date: c.start_date.to_string(),
        end_date: c.end_date.to_string(),
        dates_label: dates_label(c.start_date, c.end_date),
        timezone: c.timezone.clone(),
    }
}

pub(crate) async fn find_conference(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<conference::Model, AppError> {
    queries::conference_by_slug(db, slug)
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found(format!("There is no conference called “{slug}”.")))
}

pub async fn conferences(db: &DatabaseConnection) -> Result<Vec<ConferenceSummary>, AppError> {
    Ok(queries::conferences(db)
        .await
        .or_internal()?
        .iter()
        .map(summary)
        .collect())
}

pub async fn overview(db: &DatabaseConnection, slug: &str) -> Result<ConferenceOverview, AppError> {
    let c = find_conference(db, slug).await?;
    let sessions = queries::sessions(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let rooms = queries::rooms(db, ConferenceId(c.id)).await.or_internal()?;
    let decl = queries::declaration(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let count = |f: &dyn Fn(SessionKind) -> bool| {
        sessions
            .iter()
            .filter(|s| s.session_kind().is_some_and(f))
            .count()
    };
    Ok(ConferenceOverview {
        conference: summary(&c),
        description_html: domain::markdown::render_safe(&c.description),
        session_count: count(&|k| k != SessionKind::Break),
        plenary_count: count(&|k| k == SessionKind::Plenary),
        forum_count: count(&|k| {
            matches!(k, SessionKind::ThematicForum | SessionKind::RegionalForum)
        }),
        room_count: rooms.len(),
        declaration_title: decl.as_ref().map(|(d, _)| d.title.clone()),
        declaration_status: decl.as_ref().map(|(d, _)| d.state()),
    })
}

fn local(tz: Tz, t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&tz)
}

/// A session of a snapshot (released or working) as the pages show it.
pub(crate) fn session_dto(tz: Tz, s: &SessionSnap) -> SessionDto {
    let start = local(tz, s.starts_at);
    let mut tags: Vec<KeyFeatureRef> = s
        .key_features
        .iter()
        .filter_map(|c| key_features::by_code(c))
        .map(|k| KeyFeatureRef {
            code: k.code.to_string(),
            title: k.title.to_string(),
        })
        .collect();
    // in the framework's order: pediment, columns, foundation
    tags.sort_by_key(|k| {
        key_features::KEY_FEATURES
            .iter()
            .position(|x| x.code == k.code)
    });
    SessionDto {
        id: SessionId(s.id),
        kind: s.kind,
        kind_label: s.kind.label().to_string(),
        title: s.title.clone(),
        description: s.description.clone(),
        room: s.room.clone(),
        room_id: s.room_id.map(RoomId),
        starts_at: start.to_rfc3339(),
        ends_at: local(tz, s.ends_at).to_rfc3339(),
        day: start.date_naive().to_string(),
        capacity: s.capacity,
        region: s.region.clone(),
        key_features: tags,
        chairs: s.chairs.clone(),
        speakers: s.speakers.clone(),
        sequence: s.sequence,
    }
}

/// The latest released programme of a conference (an empty one before the first release).
pub(crate) async fn released(
    db: &DatabaseConnection,
    c: &conference::Model,
) -> Result<(Option<programme_release::Model>, Arc<Snapshot>), AppError> {
    Ok(
        match db::programme::latest_cached(db, ConferenceId(c.id))
            .await
            .or_internal()?
        {
            Some((r, snap)) => (Some(r), snap),
            None => (None, Arc::new(Snapshot::default())),
        },
    )
}

/// A date and time typed in a form (`datetime-local`, `2015-09-01T09:00`) in the conference's
/// time zone; empty: `None`. Refused (naming `field`) when malformed or when the moment does
/// not exist in that zone (skipped by a change of clocks).
pub(crate) fn local_input(
    tz: Tz,
    field: &'static str,
    v: &str,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let naive = chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .map_err(|_| AppError::validation(field, "Enter a date and time like 2015-09-01T09:00."))?;
    naive
        .and_local_timezone(tz)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(|| {
            AppError::validation(
                field,
                "That time does not exist in the conference's time zone.",
            )
        })
}

/// The value of a `datetime-local` input for a moment, in the conference's time zone.
pub(crate) fn local_input_value(tz: Tz, t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// A moment in the conference's time zone, for people: "28 September 2015, 16:05".
/// A moment in the conference's time zone, naming the zone ("2 September 2015, 18:00 CDT").
pub fn moment_label(tz: Tz, t: DateTime<Utc>) -> String {
    local(tz, t).format("%-d %B %Y, %H:%M %Z").to_string()
}

pub(crate) fn release_summary(tz: Tz, r: &programme_release::Model) -> ReleaseSummaryDto {
    ReleaseSummaryDto {
        number: r.number,
        released_at: local(tz, r.released_at).to_rfc3339(),
        released_label: moment_label(tz, r.released_at),
        changelog: r.changelog.clone(),
    }
}

pub(crate) fn day_label(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// The released programme, as visitors and delegates see it.
pub async fn programme(db: &DatabaseConnection, slug: &str) -> Result<ProgrammeDto, AppError> {
    programme_in(db, slug, None).await
}

/// Time zones offered besides the conference's own and the viewer's (which the browser adds).
pub const TIME_ZONES: [&str; 24] = [
    "UTC",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Bogota",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Paris",
    "Europe/Copenhagen",
    "Europe/Berlin",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// The released programme with its times in `shown` (an IANA name; the conference's own zone
/// when none or an unknown one is asked for, with a note saying so).
pub async fn programme_in(
    db: &DatabaseConnection,
    slug: &str,
    shown: Option<&str>,
) -> Result<ProgrammeDto, AppError> {
    let c = find_conference(db, slug).await?;
    let own = tz_of(&c)?;
    let (tz, note) = match shown.map(str::trim).filter(|s| !s.is_empty()) {
        None => (own, None),
        Some(name) => match name.parse::<Tz>() {
            Ok(t) => (t, None),
            Err(_) => (
                own,
                Some(format!(
                    "There is no time zone called “{name}”; times are in conference time."
                )),
            ),
        },
    };
    let (release, snap) = released(db, &c).await?;
    let mut p = programme_of(&c, tz, &snap, release.as_ref());
    p.timezone_note = note;
    Ok(p)
}

pub(crate) fn room_dtos(snap: &Snapshot) -> Vec<RoomDto> {
    snap.rooms
        .iter()
        .map(|r| RoomDto {
            id: RoomId(r.id),
            name: r.name.clone(),
            capacity: r.capacity,
        })
        .collect()
}

/// A programme DTO from a snapshot (released or working).
pub(crate) fn programme_of(
    c: &conference::Model,
    tz: Tz,
    snap: &Snapshot,
    release: Option<&programme_release::Model>,
) -> ProgrammeDto {
    let sessions: Vec<SessionDto> = snap.sessions.iter().map(|s| session_dto(tz, s)).collect();
    let mut days: Vec<DayDto> = Vec::new();
    let own_zone = tz.name() == c.timezone;
    let mut d = c.start_date;
    // in another time zone, the days are those the sessions fall on there
    while d <= c.end_date && (own_zone || sessions.is_empty()) {
        days.push(DayDto {
            date: d.to_string(),
            label: day_label(d),
        });
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    // a session outside the conference's dates still shows, on its own day
    for s in &sessions {
        if !days.iter().any(|x| x.date == s.day) {
            if let Ok(nd) = s.day.parse::<NaiveDate>() {
                days.push(DayDto {
                    date: s.day.clone(),
                    label: day_label(nd),
                });
            }
        }
    }
    days.sort_by(|a, b| a.date.cmp(&b.date));
    ProgrammeDto {
        conference: summary(c),
        days,
        rooms: room_dtos(snap),
        sessions,
        release: release.map(|r| release_summary(tz, r)),
        can_manage: false,
        phone: false,
        shown_timezone: tz.name().to_string(),
        timezone_note: None,
        timezones: {
            let mut v = vec![c.timezone.clone()];
            v.extend(
                TIME_ZONES
                    .iter()
                    .filter(|z| **z != c.timezone)
                    .map(|z| z.to_string()),
            );
            v
        },
    }
}

/// One session: as released (`working` false: visitors and delegates; a session not released
/// yet is not found), or as the organisers are editing it.
pub async fn session_page(
    db: &DatabaseConnection,
    slug: &str,
    id: i32,
    working: bool,
) -> Result<SessionPageDto, AppError> {
    let c = find_conference(db, slug).await?;
    let tz = tz_of(&c)?;
    let snap = if working {
        Arc::new(
            db::programme::working(db, ConferenceId(c.id))
                .await
                .or_internal()?,
        )
    } else {
        released(db, &c).await?.1
    };
    let s = snap.sessions.iter().find(|s| s.id == id).ok_or_else(|| {
        AppError::not_found(format!("There is no session {id} in this conference."))
    })?;
    let room_capacity = s
        .room_id
        .and_then(|r| snap.rooms.iter().find(|x| x.id == r))
        .map(|r| r.capacity);
    Ok(SessionPageDto {
        conference: summary(&c),
        day_label: day_label(local(tz, s.starts_at).date_naive()),
        description_html: domain::markdown::render_safe(&s.description),
        room_capacity,
        session: session_dto(tz, s),
        can_manage: false,
        released: !working,
    })
}

/// The declaration's current text. While it is being drafted, only participants see the text
/// (`may_see_draft`); everyone else gets its title and status, with the text withheld.
pub async fn declaration(
    db: &DatabaseConnection,
    slug: &str,
    may_see_draft: bool,
) -> Result<DeclarationDto, AppError> {
    let c = find_conference(db, slug).await?;
    let (decl, version) = queries::declaration(db, ConferenceId(c.id))
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("This conference has no declaration yet."))?;
    let withheld = decl.state() != DeclarationStatus::Published && !may_see_draft;
    // once adopted, the adopted version is the declaration's text
    let adopted = db::adoption::adopted_version(db, &decl)
        .await
        .or_internal()?;
    let adopted_version = adopted.as_ref().map(|v| v.number);
    let version = adopted.or(version);
    let version = if withheld { None } else { version };
    let markdown = version
        .as_ref()
        .map(|v| v.markdown.clone())
        .unwrap_or_default();
    Ok(DeclarationDto {
        conference: summary(&c),
        status: decl.state(),
        title: decl.title,
        text_withheld: withheld,
        version_number: version
            .as_ref()
            .map(|v| domain::ids::VersionNumber(v.number)),
        html: version.as_ref().map_or_else(String::new, |v| {
            domain::drafting::labelled_html(&markdown, &db::drafting::labels_of(v), true)
        }),
        sha256: version.as_ref().map(|v| v.sha256.clone()),
        updated_at: version.as_ref().map(|v| v.created_at.to_rfc3339()),
        adopted_version: adopted_version.map(domain::ids::VersionNumber),
        adopted_on: decl.adopted_on.map(|d| d.format("%Y-%m-%d").to_string()),
        adopted_place: decl.adopted_place.clone(),
        markdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_ranges_read_naturally() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            dates_label(d(2015, 9, 28), d(2015, 9, 30)),
            "28–30 September 2015"
        );
        assert_eq!(
            dates_label(d(2015, 9, 30), d(2015, 10, 2)),
            "30 September – 2 October 2015"
        );
        assert_eq!(
            dates_label(d(2015, 9, 30), d(2015, 9, 30)),
            "30 September 2015"
        );
        assert_eq!(
            dates_label(d(2015, 12, 31), d(2016, 1, 1)),
            "31 December 2015 – 1 January 2016"
        );
    }
}
