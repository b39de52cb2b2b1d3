//! Drafting a declaration in the database: versions, amendments and their workflow, the rebase
//! of pending amendments after every new version, and the reads behind the drafting pages.
//! The text work itself (three-way merge, rebase, collisions, attribution) is the pure engine
//! [`domain::drafting`]; this module stores its inputs and outcomes.
//!
//! Writes are in `writes.rs`, reads in `reads.rs`; the types, the refusals and the steps both
//! share are here.
//!
//! # Writes
//! Every write runs inside the caller's write transaction (from [`crate::write`]) and
//! starts by locking the declaration's row (`FOR UPDATE` on PostgreSQL; SQLite writers are
//! serialised by `begin_write`), so writes to one declaration take turns and each one sees the
//! previous one's result: two committee members accepting two amendments at the same moment
//! both land, the second merged onto the version the first created.
//!
//! A write returns `Ok(Err(DraftingError))` when it is refused, with a message for the person
//! who asked; it has then written nothing (everything is checked before the first write).
//! `Err(DbErr)` is a database failure; either way [`crate::write`] rolls the transaction back. Who may do what is
//! the caller's business ([`domain::permissions`]); this layer records who did it.
//!
//! Only a declaration whose status is `drafting` can change: once adopted, every write here is
//! refused with [`DraftingError::Adopted`].
//!
//! # Texts
//! Texts are whole Markdown documents. Incoming texts are normalised ([`normalise`]: `\n` line
//! ends and a final newline), so that line-end noise from a browser never shows as a change.
//! A version is immutable; an amendment is its full proposed text and the version it is
//! written against (`base_version_id`): its diff is computed, never stored.
//!
//! # Versions
//! [`save_version`] stores a committee edit. Written against the current version, it becomes
//! the next version as is; written against an older one, it is three-way merged onto the
//! current version (base = the version the editor started from), and refused with the
//! conflict when that cannot be done cleanly, so an edit never overwrites another one. Every
//! new version is followed by [`rebase_pending`].
//!
//! # Amendments
//! Status ([`AmendmentStatus`]): `draft` → `submitted` → `accepted` |
//! `accepted_with_modification` | `rejected`; a pending one (draft, submitted, needs update) can
//! be `withdrawn`. `needs_update` is set by [`rebase_pending`] when a new version collides with
//! the amendment; the sponsor resolves it with [`update_amendment`], which puts it back to the
//! status it had. Every transition is an [`amendment_event`] row (who, when, from, to, note).

use crate::entity::{amendment, amendment_comment, amendment_event, amendment_sponsor};
use crate::entity::{declaration, declaration_version, delegation, person};
use chrono::{DateTime, Utc};
use domain::drafting::amendment::{NotAmendable, StepRefused, VersionSource};
use domain::drafting::{self as engine, Conflict, MergeOutcome, RebaseOutcome, Rebaser};
use domain::ids::PersonId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap, HashSet};

mod comments;
mod reads;
mod subs;
mod voting;
mod writes;
pub use comments::*;
pub use reads::*;
pub use subs::*;
pub use voting::*;
pub use writes::*;

pub use domain::drafting::amendment::{AmendmentStatus, DeclarationStatus};
use domain::drafting::input::{
    check_message, check_prose, check_text, check_title, InputField, Invalid,
};
pub use domain::drafting::input::{
    normalise, MAX_MARKDOWN_BYTES, MAX_MESSAGE_CHARS, MAX_PROSE_CHARS, MAX_TITLE_CHARS,
};

fn wrong_state(from: &AmendmentStatus, to: &AmendmentStatus) -> String {
    let article = if *from == AmendmentStatus::Draft {
        "a draft"
    } else {
        from.label()
    };
    format!(
        "This amendment is {article}, so it cannot be {}.",
        to.verb()
    )
}

/// Why a drafting write is refused, in words for the person who asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftingError {
    #[error("There is no such declaration.")]
    NoSuchDeclaration,
    #[error("There is no such version of this declaration.")]
    NoSuchVersion,
    #[error("There is no such amendment.")]
    NoSuchAmendment,
    #[error("There is no such person.")]
    NoSuchPerson,
    #[error("There is no such delegation in this conference.")]
    NoSuchDelegation,
    #[error("The declaration is adopted; its text can no longer change.")]
    Adopted,
    /// The amendment deadline has passed (it binds everyone but the drafting committee).
    #[error(
        "Amendments closed at {0} (UTC); the drafting committee can still act on those proposed."
    )]
    PastDeadline(chrono::DateTime<chrono::Utc>),
    /// A transition the amendment's status does not allow.
    #[error("{}", wrong_state(.from, .to))]
    WrongState {
        from: AmendmentStatus,
        to: AmendmentStatus,
    },
    /// Editing an amendment that is decided or withdrawn.
    #[error("This amendment is {0}; it can no longer be edited.")]
    NotEditable(AmendmentStatus),
    /// Accepting or submitting an amendment in `needs_update`.
    #[error(
        "The text this amendment amends has changed since it was written: its sponsor has to \
         update it first."
    )]
    NeedsUpdate,
    /// The change cannot be merged cleanly onto the current version; the conflict shows where.
    #[error(
        "This change collides with changes made in the meantime; resolve the conflict and try \
         again."
    )]
    Conflict(Conflict),
    /// A version that would be the same as the current one.
    #[error("Nothing to save: the text is the same as the current version.")]
    NothingChanged,
    /// An amendment whose text is the current version's.
    #[error("The amendment changes nothing.")]
    AmendsNothing,
    /// Only amendments before the committee (submitted, or needing an update) are voted on.
    #[error("This amendment is {}; only amendments before the committee are put to the vote.", .0.label())]
    NotOnTheFloor(AmendmentStatus),
    /// A dependency that would close a circle.
    #[error(
        "Amendment {depends_on} already comes after amendment {amendment} (directly or through \
         others), so amendment {amendment} cannot also depend on it."
    )]
    DependencyCircle {
        amendment: domain::ids::AmendmentNumber,
        depends_on: domain::ids::AmendmentNumber,
    },
    /// An amendment that cannot be amended in turn.
    #[error("{}", not_amendable(.0))]
    NotAmendable(NotAmendable),
    /// The amended amendment's text changed since the asker read it.
    #[error(
        "Amendment {0} has changed since you opened it: read its text again and write your \
         amendment to it on that."
    )]
    AmendedChanged(domain::ids::AmendmentNumber),
    /// Amendments to this amendment are still before the committee: they are decided first.
    #[error("{}", amendments_to_it_first(.0))]
    AmendmentsToItFirst(Vec<domain::ids::AmendmentNumber>),
    /// The amendment an amendment to an amendment amends is no longer before the committee
    /// (or waits for its sponsor's update).
    #[error("Amendment {} is {}, so an amendment to it cannot be accepted or submitted now.", .0, .1.label())]
    AmendedNotOpen(domain::ids::AmendmentNumber, AmendmentStatus),
    /// Input out of bounds; it names its field and says why.
    #[error("{0}")]
    Invalid(#[from] Invalid),
}

fn not_amendable(r: &NotAmendable) -> String {
    match r {
        NotAmendable::NotSubmitted(AmendmentStatus::Draft) => {
            "This amendment is a draft: only amendments before the committee can be amended."
                .to_owned()
        }
        NotAmendable::NotSubmitted(s) => format!(
            "This amendment is {}: only amendments before the committee can be amended.",
            s.label()
        ),
        NotAmendable::AmendsAnAmendment => {
            "This is already an amendment to an amendment; it cannot be amended in turn. Amend \
             the amendment it amends instead."
                .to_owned()
        }
        NotAmendable::OwnAmendment => {
            "You sponsor this amendment: edit it instead of amending it.".to_owned()
        }
    }
}

fn amendments_to_it_first(numbers: &[domain::ids::AmendmentNumber]) -> String {
    let list: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
    let (noun, verb) = if list.len() == 1 {
        ("Amendment", "amends this amendment and is")
    } else {
        ("Amendments", "amend this amendment and are")
    };
    let names = match list.len() {
        0 | 1 => list.concat(),
        n => format!("{} and {}", list[..n - 1].join(", "), list[n - 1]),
    };
    format!(
        "{noun} {names} {verb} decided first: accept or reject {} before this one.",
        if list.len() == 1 { "it" } else { "them" }
    )
}

impl From<StepRefused> for DraftingError {
    fn from(r: StepRefused) -> Self {
        match r {
            StepRefused::NeedsUpdate => DraftingError::NeedsUpdate,
            StepRefused::NotEditable(s) => DraftingError::NotEditable(s),
            StepRefused::WrongState { from, to } => DraftingError::WrongState { from, to },
        }
    }
}

impl From<StepRefused> for Fail {
    fn from(r: StepRefused) -> Self {
        Fail::Refused(r.into())
    }
}

/// What a write returns: a database failure, or the outcome (done, or refused).
pub type Outcome<T> = Result<Result<T, DraftingError>, DbErr>;

/// A broken invariant of the merge engine ([`engine::MergeFault`]): the write that needed the
/// merge fails as a database error does (rolled back, logged, "internal" to the person), never
/// with a wrong text.
pub(crate) fn fault(e: engine::MergeFault) -> DbErr {
    DbErr::Custom(e.to_string())
}

/// Internal: either kind of failure, so that `?` works on both.
enum Fail {
    Db(DbErr),
    Refused(DraftingError),
}

impl From<DbErr> for Fail {
    fn from(e: DbErr) -> Self {
        Fail::Db(e)
    }
}

impl From<Invalid> for Fail {
    fn from(e: Invalid) -> Self {
        Fail::Refused(DraftingError::Invalid(e))
    }
}

impl From<DraftingError> for Fail {
    fn from(e: DraftingError) -> Self {
        Fail::Refused(e)
    }
}

fn finish<T>(r: Result<T, Fail>) -> Outcome<T> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(Fail::Refused(e)) => Ok(Err(e)),
        Err(Fail::Db(e)) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// input

// ---------------------------------------------------------------------------------------------
// shared steps

/// Locks the declaration's row and loads its current version; refuses a declaration that is no
/// longer being drafted.
async fn lock_for_writing(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<(declaration::Model, declaration_version::Model), Fail> {
    let decl = declaration::Entity::find_by_id(declaration_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(DraftingError::NoSuchDeclaration)?;
    if decl.state() != DeclarationStatus::Drafting {
        return Err(DraftingError::Adopted.into());
    }
    let current = match decl.current_version_id {
        Some(id) => declaration_version::Entity::find_by_id(id).one(db).await?,
        None => None,
    }
    .ok_or(DraftingError::NoSuchVersion)?;
    Ok((decl, current))
}

/// Finds the amendment, locks its declaration (as [`lock_for_writing`]), and reads the
/// amendment again under the lock, so that it is what the previous writer left.
async fn lock_amendment(
    db: &impl ConnectionTrait,
    amendment_id: i32,
) -> Result<
    (
        declaration::Model,
        declaration_version::Model,
        amendment::Model,
        AmendmentStatus,
    ),
    Fail,
> {
    let a = amendment::Entity::find_by_id(amendment_id)
        .one(db)
        .await?
        .ok_or(DraftingError::NoSuchAmendment)?;
    let (decl, current) = lock_for_writing(db, a.declaration_id).await?;
    let a = amendment::Entity::find_by_id(amendment_id)
        .one(db)
        .await?
        .ok_or(DraftingError::NoSuchAmendment)?;
    let status = status_of(&a)?;
    Ok((decl, current, a, status))
}

fn status_of(a: &amendment::Model) -> Result<AmendmentStatus, DbErr> {
    AmendmentStatus::parse(&a.status).ok_or_else(|| {
        DbErr::Custom(format!(
            "amendment {} has an unknown status {:?}",
            a.id, a.status
        ))
    })
}

/// A version of this declaration.
async fn version_of(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    version_id: i32,
) -> Result<declaration_version::Model, Fail> {
    Ok(declaration_version::Entity::find_by_id(version_id)
        .filter(declaration_version::Column::DeclarationId.eq(declaration_id))
        .one(db)
        .await?
        .ok_or(DraftingError::NoSuchVersion)?)
}

/// `text`, written against version `base_version_id`, brought onto `current`: as is when that
/// is the current version, else three-way merged (base, current, text). The flag says whether
/// it was merged.
async fn onto_current(
    db: &impl ConnectionTrait,
    current: &declaration_version::Model,
    base_version_id: i32,
    text: String,
) -> Result<(String, bool), Fail> {
    if base_version_id == current.id {
        return Ok((text, false));
    }
    let base = version_of(db, current.declaration_id, base_version_id).await?;
    match engine::merge3(&base.markdown, &current.markdown, &text).map_err(fault)? {
        MergeOutcome::Clean(t) => Ok((t, true)),
        MergeOutcome::Conflict(c) => Err(DraftingError::Conflict(c).into()),
    }
}

/// The labels of a version's paragraphs, as stored with it ("4 bis" stays "4 bis").
pub fn labels_of(version: &declaration_version::Model) -> Vec<Option<engine::Label>> {
    engine::stored_labels(&version.markdown, &version.paragraph_labels)
}

/// The labels of `markdown` as the version that follows `current`: carried over from it, and
/// never giving a new paragraph a label any earlier version of the declaration used.
async fn next_version_labels(
    db: &impl ConnectionTrait,
    current: &declaration_version::Model,
    markdown: &str,
) -> Result<Vec<Option<engine::Label>>, DbErr> {
    use declaration_version::Column as C;
    let stored: Vec<String> = declaration_version::Entity::find()
        .select_only()
        .column(C::ParagraphLabels)
        .filter(C::DeclarationId.eq(current.declaration_id))
        .into_tuple()
        .all(db)
        .await?;
    let used: HashSet<engine::Label> = stored
        .iter()
        .filter_map(|s| engine::decode_labels(s))
        .flatten()
        .flatten()
        .collect();
    let used: Vec<engine::Label> = used.into_iter().collect();
    Ok(engine::next_labels(
        &current.markdown,
        &labels_of(current),
        markdown,
        &used,
    ))
}

/// Stores the labels of every version of every declaration, computed in version order: each
/// declaration's first version numbered 1, 2, 3…, every later one carried over from the one
/// before. For versions stored before versions had labels (the migration that adds them).
pub async fn label_all_versions(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    use declaration_version::Column as C;
    let rows: Vec<(i32, i32, String)> = declaration_version::Entity::find()
        .select_only()
        .columns([C::Id, C::DeclarationId, C::Markdown])
        .order_by_asc(C::DeclarationId)
        .order_by_asc(C::Number)
        .into_tuple()
        .all(db)
        .await?;
    let mut previous: Option<(i32, String, Vec<Option<engine::Label>>)> = None;
    let mut used: HashSet<engine::Label> = HashSet::new();
    for (id, declaration_id, markdown) in rows {
        let labels = match &previous {
            Some((d, text, labels)) if *d == declaration_id => {
                let retired: Vec<engine::Label> = used.iter().copied().collect();
                engine::next_labels(text, labels, &markdown, &retired)
            }
            _ => {
                used.clear();
                engine::initial_labels(&engine::paragraphs(&markdown))
            }
        };
        used.extend(labels.iter().flatten());
        declaration_version::Entity::update_many()
            .col_expr(
                C::ParagraphLabels,
                Expr::value(engine::encode_labels(&labels)),
            )
            .filter(C::Id.eq(id))
            .exec(db)
            .await?;
        previous = Some((declaration_id, markdown, labels));
    }
    Ok(())
}

/// Appends a version after `current` and makes it the declaration's current version.
#[allow(clippy::too_many_arguments)]
async fn append_version(
    db: &impl ConnectionTrait,
    current: &declaration_version::Model,
    author_person_id: i32,
    message: String,
    source: VersionSource,
    amendment_id: Option<i32>,
    markdown: String,
    now: DateTime<Utc>,
) -> Result<declaration_version::Model, DbErr> {
    let last = declaration_version::Entity::find()
        .filter(declaration_version::Column::DeclarationId.eq(current.declaration_id))
        .order_by_desc(declaration_version::Column::Number)
        .one(db)
        .await?
        .map_or(current.number, |v| v.number);
    let labels = next_version_labels(db, current, &markdown).await?;
    let version = declaration_version::ActiveModel {
        declaration_id: Set(current.declaration_id),
        paragraph_labels: Set(engine::encode_labels(&labels)),
        number: Set(last + 1),
        parent_id: Set(Some(current.id)),
        author_person_id: Set(Some(author_person_id)),
        message: Set(message),
        source: Set(source.as_str().into()),
        amendment_id: Set(amendment_id),
        sha256: Set(domain::text::sha256_hex(&markdown)),
        markdown: Set(markdown),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    declaration::Entity::update_many()
        .col_expr(
            declaration::Column::CurrentVersionId,
            Expr::value(Some(version.id)),
        )
        .filter(declaration::Column::Id.eq(current.declaration_id))
        .exec(db)
        .await?;
    Ok(version)
}

async fn record_event(
    db: &impl ConnectionTrait,
    amendment_id: i32,
    actor_person_id: i32,
    from: Option<AmendmentStatus>,
    to: AmendmentStatus,
    note: Option<String>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    amendment_event::ActiveModel {
        amendment_id: Set(amendment_id),
        actor_person_id: Set(Some(actor_person_id)),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        note: Set(note),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// What every new amendment needs before it is written: the sponsor's delegation (if any) is
/// one of the conference's, and the next number in the declaration; with the state it starts in
/// (submitted at once, or a draft).
async fn number_and_state(
    db: &impl ConnectionTrait,
    decl: &declaration::Model,
    sponsor_delegation_id: Option<i32>,
    submit: bool,
) -> Result<(i32, AmendmentStatus), Fail> {
    if let Some(d) = sponsor_delegation_id {
        delegation::Entity::find_by_id(d)
            .filter(delegation::Column::ConferenceId.eq(decl.conference_id))
            .one(db)
            .await?
            .ok_or(DraftingError::NoSuchDelegation)?;
    }
    let number = amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(decl.id))
        .order_by_desc(amendment::Column::Number)
        .one(db)
        .await?
        .map_or(0, |a| a.number)
        + 1;
    let status = if submit {
        AmendmentStatus::Submitted
    } else {
        AmendmentStatus::Draft
    };
    Ok((number, status))
}

async fn person_exists(db: &impl ConnectionTrait, person_id: i32) -> Result<(), Fail> {
    person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(DraftingError::NoSuchPerson)?;
    Ok(())
}

/// The co-sponsors as given, without repeats and without the sponsor; all must exist.
async fn check_co_sponsors(
    db: &impl ConnectionTrait,
    sponsor_person_id: i32,
    ids: &[PersonId],
) -> Result<Vec<i32>, Fail> {
    let mut seen = HashSet::new();
    let ids: Vec<i32> = ids
        .iter()
        .map(|p| p.0)
        .filter(|&id| id != sponsor_person_id && seen.insert(id))
        .collect();
    if ids.is_empty() {
        return Ok(ids);
    }
    let found = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    if found.len() != ids.len() {
        return Err(DraftingError::NoSuchPerson.into());
    }
    Ok(ids)
}

async fn set_co_sponsors(
    db: &impl ConnectionTrait,
    amendment_id: i32,
    person_ids: &[i32],
) -> Result<(), DbErr> {
    amendment_sponsor::Entity::delete_many()
        .filter(amendment_sponsor::Column::AmendmentId.eq(amendment_id))
        .exec(db)
        .await?;
    if person_ids.is_empty() {
        return Ok(());
    }
    amendment_sponsor::Entity::insert_many(person_ids.iter().map(|&person_id| {
        amendment_sponsor::ActiveModel {
            amendment_id: Set(amendment_id),
            person_id: Set(person_id),
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}
