//! Adoption and publication of a conference's declaration.
//!
//! The organiser adopts one version (recording the date, the place and the session); from then
//! on the declaration's status is no longer `drafting`, so every drafting write is refused (see
//! [`crate::drafting`]). Publishing makes the adopted text public at its permanent address.
//! Both run in the caller's write transaction and lock the declaration's row first, so two
//! organisers cannot adopt two versions at once.

use crate::drafting::{self, AmendmentStatus, AmendmentSummary};
use crate::entity::{declaration, declaration_version};
use chrono::{DateTime, NaiveDate, Utc};
use domain::adoption::AdoptionForm;
use domain::ids::{ConferenceId, DeclarationId, PersonId, SessionId, VersionId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, Set,
};

/// Why an adoption or a publication was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("This conference has no declaration.")]
    NoDeclaration,
    #[error("The declaration was already adopted (version {0}); an adopted text cannot change.")]
    AlreadyAdopted(i32),
    #[error("There is no version {0} of this declaration.")]
    NoSuchVersion(i32),
    #[error("That session is not part of this conference.")]
    NoSuchSession,
    #[error("The declaration has not been adopted yet: adopt a version before publishing it.")]
    NotAdopted,
    /// Passages of the version still stand in brackets or await confirmation, each described.
    #[error("Version {version} cannot be adopted while passages are not agreed: {}.", .remaining.join("; "))]
    NotAgreed {
        version: i32,
        remaining: Vec<String>,
    },
}

async fn lock(
    db: &impl ConnectionTrait,
    conference_id: i32,
) -> Result<Result<declaration::Model, Refusal>, DbErr> {
    Ok(declaration::Entity::find()
        .filter(declaration::Column::ConferenceId.eq(conference_id))
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(Refusal::NoDeclaration))
}

/// Adopts version `form.version` of the conference's declaration.
pub async fn adopt(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    form: &AdoptionForm,
    actor_person_id: PersonId,
    now: DateTime<Utc>,
) -> Result<Result<declaration::Model, Refusal>, DbErr> {
    let decl = match lock(db, conference_id.0).await? {
        Ok(d) => d,
        Err(r) => return Ok(Err(r)),
    };
    if decl.state() != domain::drafting::amendment::DeclarationStatus::Drafting {
        let adopted = match decl.adopted_version_id {
            Some(id) => drafting::version(db, VersionId(id))
                .await?
                .map_or(0, |v| v.number),
            None => 0,
        };
        return Ok(Err(Refusal::AlreadyAdopted(adopted)));
    }
    let Some(version) = declaration_version::Entity::find()
        .filter(declaration_version::Column::DeclarationId.eq(decl.id))
        .filter(declaration_version::Column::Number.eq(form.version))
        .one(db)
        .await?
    else {
        return Ok(Err(Refusal::NoSuchVersion(form.version)));
    };
    let remaining =
        domain::drafting::brackets::remaining(&version.markdown, &drafting::labels_of(&version));
    if !remaining.is_empty() {
        return Ok(Err(Refusal::NotAgreed {
            version: version.number,
            remaining,
        }));
    }
    if let Some(s) = form.session_id {
        if crate::queries::session_in(db, conference_id, SessionId(s))
            .await?
            .is_none()
        {
            return Ok(Err(Refusal::NoSuchSession));
        }
    }
    let on = NaiveDate::parse_from_str(&form.date, "%Y-%m-%d")
        .map_err(|e| DbErr::Custom(format!("adoption date {}: {e}", form.date)))?;
    let mut m = decl.into_active_model();
    m.status = Set(domain::drafting::amendment::DeclarationStatus::Adopted
        .as_str()
        .into());
    m.adopted_version_id = Set(Some(version.id));
    m.adopted_on = Set(Some(on));
    m.adopted_place = Set(Some(form.place.clone()));
    m.adopted_session_id = Set(form.session_id);
    m.adopted_by_person_id = Set(Some(actor_person_id.0));
    m.adopted_at = Set(Some(now));
    Ok(Ok(m.update(db).await?))
}

/// Publishes the adopted declaration (or, once published, changes whether its drafting history
/// is public). The first publication's time is kept.
pub async fn publish(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    history_public: bool,
    now: DateTime<Utc>,
) -> Result<Result<declaration::Model, Refusal>, DbErr> {
    let decl = match lock(db, conference_id.0).await? {
        Ok(d) => d,
        Err(r) => return Ok(Err(r)),
    };
    if decl.adopted_version_id.is_none()
        || decl.state() == domain::drafting::amendment::DeclarationStatus::Drafting
    {
        return Ok(Err(Refusal::NotAdopted));
    }
    let published_at = decl.published_at.unwrap_or(now);
    let mut m = decl.into_active_model();
    m.status = Set(domain::drafting::amendment::DeclarationStatus::Published
        .as_str()
        .into());
    m.published_at = Set(Some(published_at));
    m.history_public = Set(history_public);
    Ok(Ok(m.update(db).await?))
}

/// The adopted version of a declaration, once there is one.
pub async fn adopted_version(
    db: &impl ConnectionTrait,
    decl: &declaration::Model,
) -> Result<Option<declaration_version::Model>, DbErr> {
    match decl.adopted_version_id {
        Some(id) => drafting::version(db, VersionId(id)).await,
        None => Ok(None),
    }
}

/// The amendments in the adopted text: accepted (as proposed or modified) and merged into the
/// adopted version or one before it, by number.
pub async fn adopted_amendments(
    db: &impl ConnectionTrait,
    decl: &declaration::Model,
) -> Result<Vec<AmendmentSummary>, DbErr> {
    let Some(adopted) = adopted_version(db, decl).await? else {
        return Ok(Vec::new());
    };
    let numbers: std::collections::HashMap<i32, i32> = declaration_version::Entity::find()
        .select_only()
        .columns([
            declaration_version::Column::Id,
            declaration_version::Column::Number,
        ])
        .filter(declaration_version::Column::DeclarationId.eq(decl.id))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(drafting::amendments(db, DeclarationId(decl.id))
        .await?
        .into_iter()
        .filter(|a| {
            matches!(
                a.status,
                AmendmentStatus::Accepted | AmendmentStatus::AcceptedWithModification
            ) && a
                .merged_version_id
                .and_then(|v| numbers.get(&v.0))
                .is_some_and(|&n| n <= adopted.number)
        })
        .collect())
}
