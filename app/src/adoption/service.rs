//! Adoption and publication of the declaration (server side): the organiser adopts a version,
//! recording the date, the place and the session, and publishes it; everyone reads the
//! published text at its permanent address. Once adopted, the drafting writes refuse every
//! change (409), in [`db::drafting`].

use crate::access::Caller;
use crate::adoption::dto::*;
use crate::dto::{Notice, OptionDto};
use crate::error::{AppError, OrInternal};
use db::adoption::{self as q, Refusal};
use db::entity::{declaration, declaration_version, session};
use db::DatabaseConnection;
use domain::adoption::AdoptionForm;
use domain::drafting as engine;
use domain::ids::{ConferenceId, DeclarationId, SessionId, VersionNumber};
use domain::live::Event;
use domain::permissions::Action;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn refused(r: Refusal) -> AppError {
    match r {
        Refusal::NoDeclaration => AppError::not_found(r.to_string()),
        Refusal::NoSuchVersion(_) => AppError::validation("version", r.to_string()),
        Refusal::NoSuchSession => AppError::validation("session_id", r.to_string()),
        Refusal::AlreadyAdopted(_) | Refusal::NotAdopted => AppError::conflict(r.to_string()),
        Refusal::NotAgreed { ref remaining, .. } => {
            let list = remaining.clone();
            AppError::conflict(r.to_string()).with_detail(list)
        }
    }
}

async fn declaration_of(
    db: &DatabaseConnection,
    conference_id: i32,
) -> Result<declaration::Model, AppError> {
    declaration::Entity::find()
        .filter(declaration::Column::ConferenceId.eq(conference_id))
        .one(db)
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("This conference has no declaration yet."))
}

/// What was recorded when `version` was adopted.
async fn adopted_dto(
    db: &DatabaseConnection,
    decl: &declaration::Model,
    version: &declaration_version::Model,
) -> Result<AdoptedDto, AppError> {
    let session = match decl.adopted_session_id {
        Some(id) => session::Entity::find_by_id(id)
            .one(db)
            .await
            .or_internal()?
            .map(|s| s.title),
        None => None,
    };
    let on = decl.adopted_on.unwrap_or_default();
    Ok(AdoptedDto {
        version: VersionNumber(version.number),
        date: on.format("%Y-%m-%d").to_string(),
        date_label: crate::public::service::day_label(on),
        place: decl.adopted_place.clone().unwrap_or_default(),
        session,
    })
}

/// The organiser's adoption page.
pub async fn adoption(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<AdoptionDto, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::AdoptDeclaration)?;
    let c = &access.conference;
    let decl = declaration_of(db, c.id).await?;
    let versions = db::drafting::versions(db, DeclarationId(decl.id))
        .await
        .or_internal()?;
    let current = versions.first().map_or(0, |v| v.number.0);
    let tz = crate::public::service::tz_of(c)?;
    let sessions = db::queries::sessions(db, ConferenceId(c.id))
        .await
        .or_internal()?
        .into_iter()
        .map(|s| OptionDto {
            value: s.id.to_string(),
            label: format!(
                "{} ({})",
                s.title,
                s.starts_at.with_timezone(&tz).format("%a %-d %B, %H:%M")
            ),
        })
        .collect();
    Ok(AdoptionDto {
        head: DraftHeadDto {
            conference: crate::public::service::summary(c),
            title: decl.title.clone(),
            status: decl.state(),
            current_version: VersionNumber(current),
            can_edit: false,
            can_propose: false,
            can_adopt: true,
            deadline: None,
        },
        versions: versions
            .iter()
            .map(|v| OptionDto {
                value: v.number.to_string(),
                label: if v.number == VersionNumber(current) {
                    format!("Version {} (current) — {}", v.number, v.message)
                } else {
                    format!("Version {} — {}", v.number, v.message)
                },
            })
            .collect(),
        sessions,
        adopted: match q::adopted_version(db, &decl).await.or_internal()? {
            Some(v) => Some(adopted_dto(db, &decl, &v).await?),
            None => None,
        },
        published: decl.state() == DeclarationStatus::Published,
        history_public: decl.history_public,
        deadline: crate::public::service::local_input_value(tz, decl.amendment_deadline),
        timezone: c.timezone.clone(),
    })
}

/// The organiser sets the amendment deadline (`datetime-local` in the conference's time zone;
/// empty clears it). From then on proposals, submissions and edits of amendments are refused,
/// except to the drafting committee. A moment already past closes proposals at once.
pub async fn set_deadline(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    deadline: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::AdoptDeclaration)?;
    let tz = crate::public::service::tz_of(&access.conference)?;
    let at = crate::public::service::local_input(tz, "deadline", deadline)?;
    let decl = declaration_of(db, access.conference.id).await?;
    db::write(db, async |txn| {
        db::drafting::set_amendment_deadline(txn, DeclarationId(decl.id), at)
            .await
            .or_internal()?
            .map_err(|e| AppError::conflict(e.to_string()))?;
        // pages that show the deadline (the amendments, the proposal form) read it again
        db::events::append(txn, access.conference_id(), &Event::deadline_changed())
            .await
            .or_internal()?;
        Ok::<(), AppError>(())
    })
    .await?;
    Ok(Notice {
        message: match at {
            None => "There is no amendment deadline now.".to_owned(),
            Some(t) => format!(
                "Amendments {} on {}; the drafting committee can still act after it.",
                if chrono::Utc::now() >= t {
                    "closed"
                } else {
                    "close"
                },
                crate::public::service::moment_label(tz, t)
            ),
        },
    })
}

/// The organiser adopts a version of the declaration.
pub async fn adopt(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    version: VersionNumber,
    date: &str,
    place: &str,
    session_id: Option<i32>,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::AdoptDeclaration)?;
    let c = &access.conference;
    let form = AdoptionForm::parse(
        version.0,
        date,
        place,
        session_id,
        &c.start_date.format("%Y-%m-%d").to_string(),
        &c.end_date.format("%Y-%m-%d").to_string(),
    )
    .map_err(|e| AppError::validation(e.field, e.message))?;
    let decl_title = declaration_of(db, c.id).await?.title;
    db::write(db, async |txn| {
        q::adopt(
            txn,
            ConferenceId(c.id),
            &form,
            user.person(),
            chrono::Utc::now(),
        )
        .await?
        .map_err(refused)?;
        db::events::append(
            txn,
            ConferenceId(c.id),
            &Event::declaration_adopted(VersionNumber(form.version)),
        )
        .await?;
        tell_adopted(txn, c, &decl_title, &form, &caller.site.public_url).await?;
        Ok::<(), AppError>(())
    })
    .await?;
    Ok(Notice {
        message: format!(
            "Version {} is adopted. Its text can no longer change. Publish it to open its permanent public page.",
            form.version
        ),
    })
}

/// Tells everyone taking part (registrations holding a place, and the conference's role
/// holders) that the declaration was adopted, by the outbox; each may turn this off.
async fn tell_adopted(
    txn: &impl sea_orm::ConnectionTrait,
    c: &db::entity::conference::Model,
    title: &str,
    form: &AdoptionForm,
    public_url: &str,
) -> Result<(), AppError> {
    let mut people: Vec<i32> = db::registrations::list(txn, ConferenceId(c.id), None, None)
        .await
        .or_internal()?
        .into_iter()
        .filter(|r| {
            domain::registration::Status::parse(&r.registration.status)
                .is_some_and(domain::registration::Status::holds_a_place)
        })
        .map(|r| r.registration.person_id)
        .collect();
    people.extend(
        db::accounts::role_holders(txn, ConferenceId(c.id))
            .await
            .or_internal()?
            .into_iter()
            .map(|(_, p, _)| p.id),
    );
    people.sort_unstable();
    people.dedup();
    let body = format!(
        "{} adopted “{title}” (version {}) at {} on {}.\n\nOnce the organisers publish it, the text is at {public_url}/conferences/{}/declaration/final{}",
        c.title,
        form.version,
        form.place,
        chrono::NaiveDate::parse_from_str(&form.date, "%Y-%m-%d")
            .map_or_else(|_| form.date.clone(), |d| d.format("%-d %B %Y").to_string()),
        c.slug,
        crate::accounts::service::OPT_OUT_LINE,
    );
    let people: Vec<domain::ids::PersonId> =
        people.into_iter().map(domain::ids::PersonId).collect();
    db::notifications::notify_all(
        txn,
        ConferenceId(c.id),
        &people,
        domain::notifications::Notification::DeclarationAdopted,
        &format!("Adopted: {title}"),
        &body,
    )
    .await
    .or_internal()?;
    Ok(())
}

/// The organiser publishes the adopted declaration (again, to open or close its drafting
/// history).
pub async fn publish(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    history_public: bool,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::AdoptDeclaration)?;
    db::write(db, async |txn| {
        q::publish(
            txn,
            access.conference_id(),
            history_public,
            chrono::Utc::now(),
        )
        .await?
        .map_err(refused)?;
        db::events::append(txn, access.conference_id(), &Event::declaration_published()).await?;
        Ok::<(), AppError>(())
    })
    .await?;
    Ok(Notice {
        message: format!(
            "The declaration is published at /conferences/{}/declaration/final. Its drafting history is {}.",
            access.conference.slug,
            if history_public { "public" } else { "private" }
        ),
    })
}

/// The published declaration: its Markdown exactly as adopted, with what the final page shows.
pub struct Published {
    pub dto: FinalDto,
    pub markdown: String,
    /// The text as the final page, final.html and the PDF lay it out: without a first
    /// paragraph that is only the title as a heading (`# <title>`), since they show the title
    /// above the place and date. Headings carry no number, so the paragraphs keep theirs.
    pub body: String,
}

fn not_published() -> AppError {
    AppError::not_found("The declaration has not been published yet.")
}

/// The published declaration, for everyone; 404 until it is published.
pub async fn published(db: &DatabaseConnection, slug: &str) -> Result<Published, AppError> {
    let c = crate::public::service::find_conference(db, slug).await?;
    let decl = declaration_of(db, c.id).await?;
    if decl.state() != DeclarationStatus::Published {
        return Err(not_published());
    }
    let version = q::adopted_version(db, &decl)
        .await
        .or_internal()?
        .ok_or_else(not_published)?;
    let adopted = adopted_dto(db, &decl, &version).await?;
    let amendments = q::adopted_amendments(db, &decl)
        .await
        .or_internal()?
        .into_iter()
        .map(|a| AdoptedAmendmentDto {
            number: AmendmentNumber(a.number.0),
            title: a.title,
            sponsor_name: a.sponsor_name,
            delegation_name: a.delegation_name,
            status_label: a.status.label().to_owned(),
        })
        .collect();
    let body = match engine::paragraphs(&version.markdown).first() {
        Some(p) if p.text.trim_end() == format!("# {}", decl.title) => {
            version.markdown[p.end..].trim_start().to_owned()
        }
        _ => version.markdown.clone(),
    };
    // adoption renumbers: the final text's paragraphs are 1, 2, 3…
    let html = engine::labelled_html(
        &body,
        &engine::initial_labels(&engine::paragraphs(&body)),
        true,
    );
    Ok(Published {
        dto: FinalDto {
            conference: crate::public::service::summary(&c),
            title: decl.title,
            adopted,
            published_at: decl
                .published_at
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
            html,
            sha256: domain::text::sha256_hex(&version.markdown),
            bytes: version.markdown.len(),
            amendments,
            history_public: decl.history_public,
        },
        markdown: version.markdown,
        body,
    })
}

/// The first words of a paragraph, for a list.
fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = flat.trim_start_matches(['#', '*', '-', ' ']);
    match flat.char_indices().nth(90) {
        Some((i, _)) => format!("{}…", flat[..i].trim_end()),
        None => flat.to_owned(),
    }
}

/// The Key Features framework of a conference: each area with the declaration's paragraphs
/// (in the adopted text once there is one, else the current draft) and the sessions tagged
/// with it. Everyone sees the counts and the sessions; the paragraphs' words only those who
/// may read the text.
pub async fn framework(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<FrameworkDto, AppError> {
    use domain::key_features::KEY_FEATURES;
    let access = caller.access(db, slug).await?;
    let c = &access.conference;
    let sessions = db::queries::sessions(db, ConferenceId(c.id))
        .await
        .or_internal()?;
    let ids: Vec<SessionId> = sessions.iter().map(|s| SessionId(s.id)).collect();
    let session_tags = db::queries::session_key_features(db, &ids)
        .await
        .or_internal()?;

    // the text and its tagged paragraphs: (code, paragraph)
    let mut tagged: Vec<(usize, String, TaggedParagraphDto)> = Vec::new();
    let mut text_label = "no declaration yet".to_owned();
    if let Some((decl, current)) = db::queries::declaration(db, ConferenceId(c.id))
        .await
        .or_internal()?
    {
        let adopted = q::adopted_version(db, &decl).await.or_internal()?;
        let published = decl.state() == DeclarationStatus::Published;
        let readable = published || access.may(Action::ViewDraftDeclaration);
        if let Some(version) = adopted.or(current) {
            text_label = if decl.adopted_version_id.is_some() {
                "the adopted text".to_owned()
            } else {
                format!("version {} of the draft", version.number)
            };
            let paras = engine::paragraphs(&version.markdown);
            let labels = db::drafting::labels_of(&version);
            let final_numbers = engine::initial_labels(&paras);
            for (label, code) in db::drafting::paragraph_tags(db, DeclarationId(decl.id))
                .await
                .or_internal()?
            {
                let wanted = engine::Label::parse(&label);
                let Some(i) = labels.iter().position(|l| l.is_some() && *l == wanted) else {
                    continue; // a paragraph no longer in this text
                };
                let (shown, href) = match (published, final_numbers[i]) {
                    (true, Some(n)) => (
                        n.to_string(),
                        format!(
                            "/conferences/{}/declaration/final#para-{}",
                            c.slug,
                            n.anchor()
                        ),
                    ),
                    _ => (
                        label.clone(),
                        format!(
                            "/conferences/{}/declaration#para-{}",
                            c.slug,
                            labels[i].map(|l| l.anchor()).unwrap_or_default()
                        ),
                    ),
                };
                tagged.push((
                    i,
                    code,
                    TaggedParagraphDto {
                        label: shown,
                        excerpt: readable.then(|| excerpt(&paras[i].text)),
                        href,
                    },
                ));
            }
        }
    }
    // in the order of the text
    tagged.sort_by_key(|(i, _, _)| *i);
    Ok(FrameworkDto {
        conference: crate::public::service::summary(c),
        areas: KEY_FEATURES
            .iter()
            .map(|k| AreaDto {
                code: k.code.to_owned(),
                tier: k.tier,
                position: k.position,
                title: k.title.to_owned(),
                paragraphs: tagged
                    .iter()
                    .filter(|(_, code, _)| code == k.code)
                    .map(|(_, _, p)| p.clone())
                    .collect(),
                sessions: sessions
                    .iter()
                    .filter(|s| {
                        session_tags
                            .iter()
                            .any(|t| t.session_id == s.id && t.key_feature_code == k.code)
                    })
                    .map(|s| TaggedSessionDto {
                        id: SessionId(s.id),
                        title: s.title.clone(),
                    })
                    .collect(),
            })
            .collect(),
        text_label,
    })
}

/// The organiser sets the Key Features of one of the conference's sessions.
pub async fn tag_session(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    session_id: domain::ids::SessionId,
    codes: &[String],
) -> Result<Vec<String>, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageProgramme)?;
    let codes = domain::key_features::parse_codes(codes).ok_or_else(|| {
        AppError::validation("key_features", "Choose among the twelve Key Features.")
    })?;
    db::write(db, async |txn| {
        let found =
            db::queries::set_session_key_features(txn, access.conference_id(), session_id, &codes)
                .await
                .or_internal()?;
        if !found {
            return Err(AppError::not_found("There is no such session."));
        }
        Ok(codes.into_iter().map(str::to_owned).collect())
    })
    .await
}
