//! Drafting a declaration in the database: versions, amendments and their workflow, the rebase
//! of pending amendments after every new version, and the reads behind the drafting pages.
//! The text work itself (three-way merge, rebase, collisions, attribution) is the pure engine
//! [`domain::drafting`]; this module stores its inputs and outcomes.
//!
//! # Writes
//! Every write runs inside the caller's write transaction (from [`crate::begin_write`]) and
//! starts by locking the declaration's row (`FOR UPDATE` on PostgreSQL; SQLite writers are
//! serialised by `begin_write`), so writes to one declaration take turns and each one sees the
//! previous one's result: two committee members accepting two amendments at the same moment
//! both land, the second merged onto the version the first created.
//!
//! A write returns `Ok(Err(DraftingError))` when it is refused, with a message for the person
//! who asked; it has then written nothing (everything is checked before the first write).
//! `Err(DbErr)` is a database failure, after which the caller rolls back. Who may do what is
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

use crate::entity::{declaration, declaration_version, delegation, person};
use crate::entity_drafting::{amendment, amendment_comment, amendment_event, amendment_sponsor};
use chrono::{DateTime, Utc};
use domain::drafting::{self as engine, Conflict, MergeOutcome, RebaseOutcome, Rebaser};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// `declaration_versions.source` of a committee edit made on the current version (also the
/// zero draft's, see [`crate::seed`]).
pub const SOURCE_EDIT: &str = "direct_edit";
/// `declaration_versions.source` of a committee edit written against an older version and
/// merged onto the current one.
pub const SOURCE_MERGED_EDIT: &str = "merged_edit";
/// `declaration_versions.source` of a version made by accepting an amendment (its
/// `amendment_id` names it).
pub const SOURCE_AMENDMENT: &str = "merged_amendment";

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
    /// Input out of bounds; it names its field and says why.
    #[error("{0}")]
    Invalid(#[from] Invalid),
}

/// What a write returns: a database failure, or the outcome (done, or refused).
pub type Outcome<T> = Result<Result<T, DraftingError>, DbErr>;

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
    match engine::merge3(&base.markdown, &current.markdown, &text) {
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
    source: &str,
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
        source: Set(source.into()),
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
    ids: &[i32],
) -> Result<Vec<i32>, Fail> {
    let mut seen = HashSet::new();
    let ids: Vec<i32> = ids
        .iter()
        .copied()
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

// ---------------------------------------------------------------------------------------------
// versions

/// A new version saved by [`save_version`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedVersion {
    pub version: declaration_version::Model,
    /// The edit was written against an older version and merged onto the current one.
    pub merged: bool,
    /// What became of the pending amendments.
    pub rebase: RebaseSummary,
}

/// Saves a committee edit of the declaration as its next version.
///
/// `markdown` is the whole text, written against `base_version_id`. On the current version it
/// becomes the next version as is (source [`SOURCE_EDIT`]); on an older version it is merged
/// onto the current one (`merge3(base, current, markdown)`, source [`SOURCE_MERGED_EDIT`]),
/// and a conflict is refused with [`DraftingError::Conflict`], writing nothing. A text the
/// same as the current version is refused ([`DraftingError::NothingChanged`]). The new
/// version's parent is the version that was current, its author `author_person_id`; pending
/// amendments are then rebased onto it ([`rebase_pending`]), in the same transaction.
pub async fn save_version(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    author_person_id: i32,
    base_version_id: i32,
    markdown: &str,
    message: &str,
) -> Outcome<SavedVersion> {
    finish(
        async {
            let text = check_text(markdown)?;
            let message = check_message(message)?;
            let (_, current) = lock_for_writing(db, declaration_id).await?;
            let (text, merged) = onto_current(db, &current, base_version_id, text).await?;
            if text == current.markdown {
                return Err(DraftingError::NothingChanged.into());
            }
            let source = if merged {
                SOURCE_MERGED_EDIT
            } else {
                SOURCE_EDIT
            };
            let version = append_version(
                db,
                &current,
                author_person_id,
                message,
                source,
                None,
                text,
                Utc::now(),
            )
            .await?;
            let rebase = rebase_pending(db, declaration_id, &version, author_person_id).await?;
            Ok(SavedVersion {
                version,
                merged,
                rebase,
            })
        }
        .await,
    )
}

/// What [`rebase_pending`] did, by amendment id (in id order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebaseSummary {
    /// Moved onto the new version cleanly.
    pub rebased: Vec<i32>,
    /// Collided with the new version: now `needs_update`.
    pub flagged: Vec<i32>,
}

/// Brings the declaration's pending amendments onto `new_version`, which has just become its
/// current version; [`save_version`] and [`accept`] call it, and so must anything else that
/// makes a version.
///
/// Draft and submitted amendments written against another version are rebased
/// ([`domain::drafting::Rebaser`], one per base, so each base is diffed against the new version
/// once). A clean rebase replaces the proposed text and moves `base_version_id` to the new
/// version (`original_base_version_id` keeps the first base). A conflict leaves the amendment's
/// text and base as they were, sets it to `needs_update` with `conflict_markdown` (the merge
/// with conflict markers) and `conflict_version_id` = the new version, and records the
/// transition with `actor_person_id` (who made the new version) as its actor.
///
/// Amendments already in `needs_update` are left alone: only their sponsor resolves them
/// ([`update_amendment`]), against the version their conflict was shown on, and that update is
/// merged onto whatever is current by then.
pub async fn rebase_pending(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    new_version: &declaration_version::Model,
    actor_person_id: i32,
) -> Result<RebaseSummary, DbErr> {
    let pending = amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id))
        .filter(amendment::Column::Status.is_in([
            AmendmentStatus::Draft.as_str(),
            AmendmentStatus::Submitted.as_str(),
        ]))
        .filter(amendment::Column::BaseVersionId.ne(new_version.id))
        .order_by_asc(amendment::Column::Id)
        .all(db)
        .await?;
    let mut by_base: BTreeMap<i32, Vec<amendment::Model>> = BTreeMap::new();
    for a in pending {
        by_base.entry(a.base_version_id).or_default().push(a);
    }
    let now = Utc::now();
    let mut summary = RebaseSummary::default();
    for (base_id, group) in by_base {
        let base = declaration_version::Entity::find_by_id(base_id)
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("declaration version {base_id}")))?;
        let rebaser = Rebaser::new(&base.markdown, &new_version.markdown);
        for a in group {
            let status = status_of(&a)?;
            let id = a.id;
            let outcome = rebaser.rebase(&a.proposed_markdown);
            let mut am: amendment::ActiveModel = a.into();
            am.updated_at = Set(now);
            match outcome {
                RebaseOutcome::Clean(text) => {
                    am.proposed_markdown = Set(text);
                    am.base_version_id = Set(new_version.id);
                    am.update(db).await?;
                    summary.rebased.push(id);
                }
                RebaseOutcome::NeedsUpdate(conflict) => {
                    am.status = Set(AmendmentStatus::NeedsUpdate.as_str().to_owned());
                    am.conflict_markdown = Set(Some(conflict.with_markers));
                    am.conflict_version_id = Set(Some(new_version.id));
                    am.update(db).await?;
                    record_event(
                        db,
                        id,
                        actor_person_id,
                        Some(status),
                        AmendmentStatus::NeedsUpdate,
                        Some(format!(
                            "Version {} changed the text this amendment amends.",
                            new_version.number
                        )),
                        now,
                    )
                    .await?;
                    summary.flagged.push(id);
                }
            }
        }
    }
    summary.rebased.sort_unstable();
    summary.flagged.sort_unstable();
    Ok(summary)
}

// ---------------------------------------------------------------------------------------------
// amendments: writes

/// A new amendment, for [`create_amendment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAmendment {
    pub sponsor_person_id: i32,
    /// The delegation the sponsor proposes it for; must belong to the conference.
    pub sponsor_delegation_id: Option<i32>,
    /// The version `proposed_markdown` is written against.
    pub base_version_id: i32,
    /// 1 to [`MAX_TITLE_CHARS`] characters.
    pub title: String,
    /// At most [`MAX_PROSE_CHARS`] characters; may be empty.
    pub rationale: String,
    /// The whole declaration as the amendment would have it.
    pub proposed_markdown: String,
    /// Co-sponsors (repeats and the sponsor are ignored).
    pub co_sponsor_person_ids: Vec<i32>,
    /// Submit at once, else keep as a draft.
    pub submit: bool,
}

/// Proposes an amendment to the declaration: the next number, status `submitted` or `draft`,
/// and an event (no "from" status) by the sponsor.
///
/// A text written against an older version is merged onto the current one first (refused with
/// the conflict when that is not clean), so a new amendment is always written against the
/// current version, as the first base on record. A text that changes nothing is refused.
pub async fn create_amendment(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    new: NewAmendment,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let title = check_title(&new.title)?;
            let rationale = check_prose(&new.rationale, InputField::Rationale, false)?;
            let text = check_text(&new.proposed_markdown)?;
            let (decl, current) = lock_for_writing(db, declaration_id).await?;
            person_exists(db, new.sponsor_person_id).await?;
            let co_sponsors =
                check_co_sponsors(db, new.sponsor_person_id, &new.co_sponsor_person_ids).await?;
            if let Some(d) = new.sponsor_delegation_id {
                delegation::Entity::find_by_id(d)
                    .filter(delegation::Column::ConferenceId.eq(decl.conference_id))
                    .one(db)
                    .await?
                    .ok_or(DraftingError::NoSuchDelegation)?;
            }
            let (text, _) = onto_current(db, &current, new.base_version_id, text).await?;
            if text == current.markdown {
                return Err(DraftingError::AmendsNothing.into());
            }
            let number = amendment::Entity::find()
                .filter(amendment::Column::DeclarationId.eq(declaration_id))
                .order_by_desc(amendment::Column::Number)
                .one(db)
                .await?
                .map_or(0, |a| a.number)
                + 1;
            let status = if new.submit {
                AmendmentStatus::Submitted
            } else {
                AmendmentStatus::Draft
            };
            let now = Utc::now();
            let a = amendment::ActiveModel {
                declaration_id: Set(declaration_id),
                number: Set(number),
                title: Set(title),
                rationale: Set(rationale),
                sponsor_person_id: Set(new.sponsor_person_id),
                sponsor_delegation_id: Set(new.sponsor_delegation_id),
                original_base_version_id: Set(current.id),
                base_version_id: Set(current.id),
                proposed_markdown: Set(text),
                status: Set(status.as_str().to_owned()),
                decision_reason: Set(None),
                conflict_markdown: Set(None),
                conflict_version_id: Set(None),
                merged_version_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            set_co_sponsors(db, a.id, &co_sponsors).await?;
            record_event(db, a.id, new.sponsor_person_id, None, status, None, now).await?;
            Ok(a)
        }
        .await,
    )
}

/// An edit of an amendment, for [`update_amendment`]. Everything is replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentEdit {
    /// The version `proposed_markdown` is written against: for an amendment that needs an
    /// update, its `conflict_version_id` when the sponsor resolved its `conflict_markdown`.
    pub base_version_id: i32,
    pub title: String,
    pub rationale: String,
    pub proposed_markdown: String,
    /// `None` keeps the co-sponsors.
    pub co_sponsor_person_ids: Option<Vec<i32>>,
}

/// The sponsor edits a pending amendment (draft, submitted or needs update).
///
/// The new text is merged onto the current version when written against an older one (a
/// conflict is refused with [`DraftingError::Conflict`]), so afterwards the amendment is
/// written against the current version. An amendment that needed an update goes back to the
/// status it had before (submitted, or draft), its conflict cleared. The edit is recorded as
/// an event (`from_status == to_status` when the status stays). `actor_person_id` is who
/// edited (checking that it is the sponsor is the caller's business).
pub async fn update_amendment(
    db: &impl ConnectionTrait,
    amendment_id: i32,
    actor_person_id: i32,
    edit: AmendmentEdit,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let title = check_title(&edit.title)?;
            let rationale = check_prose(&edit.rationale, InputField::Rationale, false)?;
            let text = check_text(&edit.proposed_markdown)?;
            let (_, current, a, status) = lock_amendment(db, amendment_id).await?;
            if !status.is_pending() {
                return Err(DraftingError::NotEditable(status).into());
            }
            let co_sponsors = match &edit.co_sponsor_person_ids {
                Some(ids) => Some(check_co_sponsors(db, a.sponsor_person_id, ids).await?),
                None => None,
            };
            let (text, _) = onto_current(db, &current, edit.base_version_id, text).await?;
            if text == current.markdown {
                return Err(DraftingError::AmendsNothing.into());
            }
            let to = if status == AmendmentStatus::NeedsUpdate {
                status_before_flag(db, a.id).await?
            } else {
                status
            };
            let now = Utc::now();
            let mut am: amendment::ActiveModel = a.into();
            am.title = Set(title);
            am.rationale = Set(rationale);
            am.proposed_markdown = Set(text);
            am.base_version_id = Set(current.id);
            am.status = Set(to.as_str().to_owned());
            am.conflict_markdown = Set(None);
            am.conflict_version_id = Set(None);
            am.updated_at = Set(now);
            let a = am.update(db).await?;
            if let Some(ids) = co_sponsors {
                set_co_sponsors(db, a.id, &ids).await?;
            }
            let note = if status == AmendmentStatus::NeedsUpdate {
                format!("Updated onto version {}.", current.number)
            } else {
                "Text edited.".to_owned()
            };
            record_event(db, a.id, actor_person_id, Some(status), to, Some(note), now).await?;
            Ok(a)
        }
        .await,
    )
}

/// The status an amendment had when it was last marked `needs_update` (submitted if unknown).
async fn status_before_flag(
    db: &impl ConnectionTrait,
    amendment_id: i32,
) -> Result<AmendmentStatus, DbErr> {
    let flagged = amendment_event::Entity::find()
        .filter(amendment_event::Column::AmendmentId.eq(amendment_id))
        .filter(amendment_event::Column::ToStatus.eq(AmendmentStatus::NeedsUpdate.as_str()))
        .order_by_desc(amendment_event::Column::Id)
        .one(db)
        .await?;
    Ok(
        match flagged
            .and_then(|e| e.from_status)
            .and_then(|s| AmendmentStatus::parse(&s))
        {
            Some(AmendmentStatus::Draft) => AmendmentStatus::Draft,
            _ => AmendmentStatus::Submitted,
        },
    )
}

/// Sets the status (and the reason, for a rejection) and records the event.
async fn transition(
    db: &impl ConnectionTrait,
    a: amendment::Model,
    from: AmendmentStatus,
    to: AmendmentStatus,
    actor_person_id: i32,
    note: Option<String>,
) -> Result<amendment::Model, DbErr> {
    let now = Utc::now();
    let id = a.id;
    let mut am: amendment::ActiveModel = a.into();
    am.status = Set(to.as_str().to_owned());
    if to == AmendmentStatus::Rejected {
        am.decision_reason = Set(note.clone());
    }
    am.updated_at = Set(now);
    let a = am.update(db).await?;
    record_event(db, id, actor_person_id, Some(from), to, note, now).await?;
    Ok(a)
}

/// Submits a draft to the committee. A draft that needs an update must be updated first.
pub async fn submit(
    db: &impl ConnectionTrait,
    amendment_id: i32,
    actor_person_id: i32,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let (_, _, a, status) = lock_amendment(db, amendment_id).await?;
            match status {
                AmendmentStatus::Draft => {}
                AmendmentStatus::NeedsUpdate => return Err(DraftingError::NeedsUpdate.into()),
                from => {
                    return Err(DraftingError::WrongState {
                        from,
                        to: AmendmentStatus::Submitted,
                    }
                    .into())
                }
            }
            Ok(transition(
                db,
                a,
                status,
                AmendmentStatus::Submitted,
                actor_person_id,
                None,
            )
            .await?)
        }
        .await,
    )
}

/// The sponsor withdraws a pending amendment (draft, submitted or needs update).
pub async fn withdraw(
    db: &impl ConnectionTrait,
    amendment_id: i32,
    actor_person_id: i32,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let (_, _, a, status) = lock_amendment(db, amendment_id).await?;
            if !status.is_pending() {
                return Err(DraftingError::WrongState {
                    from: status,
                    to: AmendmentStatus::Withdrawn,
                }
                .into());
            }
            Ok(transition(
                db,
                a,
                status,
                AmendmentStatus::Withdrawn,
                actor_person_id,
                None,
            )
            .await?)
        }
        .await,
    )
}

/// The committee rejects a submitted amendment (or one that needs an update), with a reason
/// (required; stored as `decision_reason` and as the event's note).
pub async fn reject(
    db: &impl ConnectionTrait,
    amendment_id: i32,
    actor_person_id: i32,
    reason: &str,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let reason = check_prose(reason, InputField::Reason, true)?;
            let (_, _, a, status) = lock_amendment(db, amendment_id).await?;
            if !matches!(
                status,
                AmendmentStatus::Submitted | AmendmentStatus::NeedsUpdate
            ) {
                return Err(DraftingError::WrongState {
                    from: status,
                    to: AmendmentStatus::Rejected,
                }
                .into());
            }
            Ok(transition(
                db,
                a,
                status,
                AmendmentStatus::Rejected,
                actor_person_id,
                Some(reason),
            )
            .await?)
        }
        .await,
    )
}

/// Comments on an amendment, whatever its status (while the declaration is being drafted).
/// The body is Markdown, 1 to [`MAX_PROSE_CHARS`] characters.
pub async fn comment(
    db: &impl ConnectionTrait,
    amendment_id: i32,
    author_person_id: i32,
    body: &str,
) -> Outcome<amendment_comment::Model> {
    finish(
        async {
            let body = check_prose(body, InputField::Comment, true)?;
            let (_, _, a, _) = lock_amendment(db, amendment_id).await?;
            Ok(amendment_comment::ActiveModel {
                amendment_id: Set(a.id),
                author_person_id: Set(Some(author_person_id)),
                body: Set(body),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?)
        }
        .await,
    )
}

/// The committee's edit of an amendment before accepting it ([`accept`]): the whole text,
/// written against `base_version_id` (the version the committee member was looking at).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modification {
    pub base_version_id: i32,
    pub markdown: String,
}

/// An accepted amendment and the version it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub version: declaration_version::Model,
    pub amendment: amendment::Model,
    /// What became of the other pending amendments.
    pub rebase: RebaseSummary,
}

/// The committee accepts a submitted amendment, as proposed or with a [`Modification`].
///
/// The text (the proposal, or the modification) is merged onto the current version:
/// `merge3(its base, current, text)`. Clean: a new version (parent the current one, source
/// [`SOURCE_AMENDMENT`], `amendment_id` set, author `actor_person_id`, message "Amendment N:
/// title"); the amendment becomes `accepted`, or `accepted_with_modification` when the
/// modification gives another text than the proposal would, with `merged_version_id` set; an
/// event is recorded, and the other pending amendments are rebased ([`rebase_pending`]). A
/// conflict is refused with [`DraftingError::Conflict`] and nothing changes. An amendment that
/// needs an update is refused with [`DraftingError::NeedsUpdate`]; one that would change
/// nothing (its change is already in the text) with [`DraftingError::AmendsNothing`].
pub async fn accept(
    db: &impl ConnectionTrait,
    amendment_id: i32,
    actor_person_id: i32,
    modification: Option<Modification>,
) -> Outcome<Accepted> {
    finish(
        async {
            let modification = match modification {
                Some(m) => Some((m.base_version_id, check_text(&m.markdown)?)),
                None => None,
            };
            let (_, current, a, status) = lock_amendment(db, amendment_id).await?;
            match status {
                AmendmentStatus::Submitted => {}
                AmendmentStatus::NeedsUpdate => return Err(DraftingError::NeedsUpdate.into()),
                from => {
                    return Err(DraftingError::WrongState {
                        from,
                        to: AmendmentStatus::Accepted,
                    }
                    .into())
                }
            }
            let base = version_of(db, a.declaration_id, a.base_version_id).await?;
            let as_proposed =
                engine::merge3(&base.markdown, &current.markdown, &a.proposed_markdown);
            let (text, modified) = match modification {
                None => match as_proposed {
                    MergeOutcome::Clean(t) => (t, false),
                    MergeOutcome::Conflict(c) => return Err(DraftingError::Conflict(c).into()),
                },
                Some((base_id, markdown)) => {
                    let other;
                    let base_text = if base_id == base.id {
                        &base.markdown
                    } else {
                        other = version_of(db, a.declaration_id, base_id).await?;
                        &other.markdown
                    };
                    match engine::merge3(base_text, &current.markdown, &markdown) {
                        MergeOutcome::Clean(t) => {
                            let modified = as_proposed.clean() != Some(t.as_str());
                            (t, modified)
                        }
                        MergeOutcome::Conflict(c) => return Err(DraftingError::Conflict(c).into()),
                    }
                }
            };
            if text == current.markdown {
                return Err(DraftingError::AmendsNothing.into());
            }
            let to = if modified {
                AmendmentStatus::AcceptedWithModification
            } else {
                AmendmentStatus::Accepted
            };
            let now = Utc::now();
            let version = append_version(
                db,
                &current,
                actor_person_id,
                format!("Amendment {}: {}", a.number, a.title),
                SOURCE_AMENDMENT,
                Some(a.id),
                text,
                now,
            )
            .await?;
            let id = a.id;
            let mut am: amendment::ActiveModel = a.into();
            am.status = Set(to.as_str().to_owned());
            am.merged_version_id = Set(Some(version.id));
            am.updated_at = Set(now);
            let amendment = am.update(db).await?;
            record_event(
                db,
                id,
                actor_person_id,
                Some(status),
                to,
                Some(format!("Merged as version {}.", version.number)),
                now,
            )
            .await?;
            let rebase =
                rebase_pending(db, amendment.declaration_id, &version, actor_person_id).await?;
            Ok(Accepted {
                version,
                amendment,
                rebase,
            })
        }
        .await,
    )
}

// ---------------------------------------------------------------------------------------------
// reads

/// The declaration and its current version.
pub async fn current(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<Option<(declaration::Model, declaration_version::Model)>, DbErr> {
    let Some(decl) = declaration::Entity::find_by_id(declaration_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(version_id) = decl.current_version_id else {
        return Ok(None);
    };
    Ok(declaration_version::Entity::find_by_id(version_id)
        .one(db)
        .await?
        .map(|v| (decl, v)))
}

/// One version (with its text).
pub async fn version(
    db: &impl ConnectionTrait,
    version_id: i32,
) -> Result<Option<declaration_version::Model>, DbErr> {
    declaration_version::Entity::find_by_id(version_id)
        .one(db)
        .await
}

/// A version in the list of versions, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSummary {
    pub id: i32,
    pub number: i32,
    pub parent_id: Option<i32>,
    pub author_person_id: Option<i32>,
    pub author_name: Option<String>,
    pub message: String,
    /// [`SOURCE_EDIT`], [`SOURCE_MERGED_EDIT`] or [`SOURCE_AMENDMENT`]
    pub source: String,
    pub amendment_id: Option<i32>,
    /// The number of the amendment it merged ("Amendment 3").
    pub amendment_number: Option<i32>,
    pub created_at: DateTime<Utc>,
}

#[derive(FromQueryResult)]
struct VersionRow {
    id: i32,
    number: i32,
    parent_id: Option<i32>,
    author_person_id: Option<i32>,
    message: String,
    source: String,
    amendment_id: Option<i32>,
    created_at: DateTime<Utc>,
}

/// The declaration's versions, newest first, without their texts.
pub async fn versions(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<Vec<VersionSummary>, DbErr> {
    use declaration_version::Column as C;
    let rows = declaration_version::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::Number,
            C::ParentId,
            C::AuthorPersonId,
            C::Message,
            C::Source,
            C::AmendmentId,
            C::CreatedAt,
        ])
        .filter(C::DeclarationId.eq(declaration_id))
        .order_by_desc(C::Number)
        .into_model::<VersionRow>()
        .all(db)
        .await?;
    let names = names(db, rows.iter().filter_map(|r| r.author_person_id)).await?;
    let amendment_ids: Vec<i32> = rows.iter().filter_map(|r| r.amendment_id).collect();
    let numbers: HashMap<i32, i32> = if amendment_ids.is_empty() {
        HashMap::new()
    } else {
        amendment::Entity::find()
            .select_only()
            .columns([amendment::Column::Id, amendment::Column::Number])
            .filter(amendment::Column::Id.is_in(amendment_ids))
            .into_tuple::<(i32, i32)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|r| VersionSummary {
            author_name: r.author_person_id.and_then(|p| names.get(&p).cloned()),
            amendment_number: r.amendment_id.and_then(|a| numbers.get(&a).copied()),
            id: r.id,
            number: r.number,
            parent_id: r.parent_id,
            author_person_id: r.author_person_id,
            message: r.message,
            source: r.source,
            amendment_id: r.amendment_id,
            created_at: r.created_at,
        })
        .collect())
}

/// Names of people by id.
async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: HashSet<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// Names of delegations by id.
async fn delegation_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: HashSet<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(delegation::Entity::find()
        .filter(delegation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}

/// A paragraph of a version: its 0-based index among the version's paragraphs
/// ([`domain::drafting::paragraphs`]) and its display number (`None` for a heading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParagraphRef {
    pub index: usize,
    pub label: Option<engine::Label>,
}

/// The paragraphs of `base` that `proposed` touches ("amends paragraph 5"), with the labels
/// stored with `base`; see [`domain::drafting::touched_paragraphs`].
pub fn touched(base: &declaration_version::Model, proposed: &str) -> Vec<ParagraphRef> {
    let labels = labels_of(base);
    engine::touched_paragraphs(&base.markdown, proposed)
        .into_iter()
        .map(|index| ParagraphRef {
            index,
            label: labels.get(index).copied().flatten(),
        })
        .collect()
}

/// An event of an amendment's history, with the actor's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventEntry {
    pub event: amendment_event::Model,
    pub actor_name: Option<String>,
}

/// A comment, with its author's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentEntry {
    pub comment: amendment_comment::Model,
    pub author_name: Option<String>,
}

/// An amendment with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentDetail {
    pub amendment: amendment::Model,
    pub status: AmendmentStatus,
    pub sponsor: person::Model,
    pub delegation: Option<delegation::Model>,
    pub co_sponsors: Vec<person::Model>,
    /// The version its proposed text is written against (for the diff).
    pub base: declaration_version::Model,
    /// The paragraphs of `base` it touches.
    pub touched: Vec<ParagraphRef>,
    /// Oldest first.
    pub events: Vec<EventEntry>,
    /// Oldest first.
    pub comments: Vec<CommentEntry>,
}

/// One amendment with its sponsors, base version, history and comments.
pub async fn amendment(
    db: &impl ConnectionTrait,
    amendment_id: i32,
) -> Result<Option<AmendmentDetail>, DbErr> {
    let Some(a) = amendment::Entity::find_by_id(amendment_id).one(db).await? else {
        return Ok(None);
    };
    let status = status_of(&a)?;
    let sponsor = person::Entity::find_by_id(a.sponsor_person_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("person {}", a.sponsor_person_id)))?;
    let delegation = match a.sponsor_delegation_id {
        Some(d) => delegation::Entity::find_by_id(d).one(db).await?,
        None => None,
    };
    let co_ids: Vec<i32> = amendment_sponsor::Entity::find()
        .filter(amendment_sponsor::Column::AmendmentId.eq(a.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.person_id)
        .collect();
    let co_sponsors = if co_ids.is_empty() {
        Vec::new()
    } else {
        person::Entity::find()
            .filter(person::Column::Id.is_in(co_ids))
            .order_by_asc(person::Column::Name)
            .all(db)
            .await?
    };
    let base = declaration_version::Entity::find_by_id(a.base_version_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            DbErr::RecordNotFound(format!("declaration version {}", a.base_version_id))
        })?;
    let events = amendment_event::Entity::find()
        .filter(amendment_event::Column::AmendmentId.eq(a.id))
        .order_by_asc(amendment_event::Column::Id)
        .all(db)
        .await?;
    let comments = amendment_comment::Entity::find()
        .filter(amendment_comment::Column::AmendmentId.eq(a.id))
        .order_by_asc(amendment_comment::Column::Id)
        .all(db)
        .await?;
    let who = names(
        db,
        events
            .iter()
            .filter_map(|e| e.actor_person_id)
            .chain(comments.iter().filter_map(|c| c.author_person_id)),
    )
    .await?;
    Ok(Some(AmendmentDetail {
        touched: touched(&base, &a.proposed_markdown),
        events: events
            .into_iter()
            .map(|event| EventEntry {
                actor_name: event.actor_person_id.and_then(|p| who.get(&p).cloned()),
                event,
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|comment| CommentEntry {
                author_name: comment.author_person_id.and_then(|p| who.get(&p).cloned()),
                comment,
            })
            .collect(),
        amendment: a,
        status,
        sponsor,
        delegation,
        co_sponsors,
        base,
    }))
}

/// An amendment in the list of a declaration's amendments (without its texts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentSummary {
    pub id: i32,
    pub number: i32,
    pub title: String,
    pub status: AmendmentStatus,
    pub sponsor_person_id: i32,
    pub sponsor_name: String,
    pub sponsor_delegation_id: Option<i32>,
    pub delegation_name: Option<String>,
    pub co_sponsor_person_ids: Vec<i32>,
    pub base_version_id: i32,
    pub original_base_version_id: i32,
    pub merged_version_id: Option<i32>,
    /// The paragraphs of its base version it touches.
    pub touched: Vec<ParagraphRef>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The declaration's amendments, by number, every status.
pub async fn amendments(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<Vec<AmendmentSummary>, DbErr> {
    let list = amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id))
        .order_by_asc(amendment::Column::Number)
        .all(db)
        .await?;
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = list.iter().map(|a| a.id).collect();
    let mut co: HashMap<i32, Vec<i32>> = HashMap::new();
    for s in amendment_sponsor::Entity::find()
        .filter(amendment_sponsor::Column::AmendmentId.is_in(ids))
        .order_by_asc(amendment_sponsor::Column::PersonId)
        .all(db)
        .await?
    {
        co.entry(s.amendment_id).or_default().push(s.person_id);
    }
    let who = names(db, list.iter().map(|a| a.sponsor_person_id)).await?;
    let delegations =
        delegation_names(db, list.iter().filter_map(|a| a.sponsor_delegation_id)).await?;
    let base_ids: HashSet<i32> = list.iter().map(|a| a.base_version_id).collect();
    let bases: HashMap<i32, declaration_version::Model> = declaration_version::Entity::find()
        .filter(declaration_version::Column::Id.is_in(base_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    list.into_iter()
        .map(|a| {
            Ok(AmendmentSummary {
                status: status_of(&a)?,
                sponsor_name: who.get(&a.sponsor_person_id).cloned().unwrap_or_default(),
                delegation_name: a
                    .sponsor_delegation_id
                    .and_then(|d| delegations.get(&d).cloned()),
                co_sponsor_person_ids: co.remove(&a.id).unwrap_or_default(),
                touched: bases
                    .get(&a.base_version_id)
                    .map(|base| touched(base, &a.proposed_markdown))
                    .unwrap_or_default(),
                id: a.id,
                number: a.number,
                title: a.title,
                sponsor_person_id: a.sponsor_person_id,
                sponsor_delegation_id: a.sponsor_delegation_id,
                base_version_id: a.base_version_id,
                original_base_version_id: a.original_base_version_id,
                merged_version_id: a.merged_version_id,
                created_at: a.created_at,
                updated_at: a.updated_at,
            })
        })
        .collect()
}

/// Two pending amendments that touch a common paragraph of the current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCollision {
    /// Amendment ids, `first` the lower number.
    pub first: i32,
    pub second: i32,
    /// The paragraphs of the current version both touch.
    pub paragraphs: Vec<ParagraphRef>,
}

/// Submitted amendments written against the current version that touch a common paragraph
/// ([`domain::drafting::collisions`]), in amendment-number order. (After every new version,
/// submitted amendments are rebased onto it or flagged, so this covers all the submitted ones
/// but those in `needs_update`.)
pub async fn collisions_of_pending(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<Vec<PendingCollision>, DbErr> {
    let Some((_, current)) = current(db, declaration_id).await? else {
        return Ok(Vec::new());
    };
    let pending = submitted_on(db, declaration_id, current.id).await?;
    let labels = labels_of(&current);
    let input: Vec<(i32, &str)> = pending
        .iter()
        .map(|a| (a.id, a.proposed_markdown.as_str()))
        .collect();
    Ok(engine::collisions(&current.markdown, &input)
        .into_iter()
        .map(|c| PendingCollision {
            first: c.first,
            second: c.second,
            paragraphs: c
                .paragraphs
                .into_iter()
                .map(|index| ParagraphRef {
                    index,
                    label: labels.get(index).copied().flatten(),
                })
                .collect(),
        })
        .collect())
}

/// Submitted amendments written against `version_id`, by number.
async fn submitted_on(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    version_id: i32,
) -> Result<Vec<amendment::Model>, DbErr> {
    amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id))
        .filter(amendment::Column::Status.eq(AmendmentStatus::Submitted.as_str()))
        .filter(amendment::Column::BaseVersionId.eq(version_id))
        .order_by_asc(amendment::Column::Number)
        .all(db)
        .await
}

/// The amendment a version came from, for provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentRef {
    pub id: i32,
    pub number: i32,
    pub title: String,
    pub sponsor_name: String,
    pub delegation_name: Option<String>,
}

/// A stretch of the current text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenanceSpan {
    pub text: String,
    pub version_id: i32,
    pub version_number: i32,
    /// The version's author (for an accepted amendment: who accepted it).
    pub author_name: Option<String>,
    /// The amendment that brought it in, when the version came from one.
    pub amendment: Option<AmendmentRef>,
}

/// "Who wrote this": the current version cut into spans, each attributed to the version that
/// introduced it ([`domain::drafting::attribute`] over the chain of parents from the first
/// version to the current one) and, for a version made by accepting an amendment, to that
/// amendment and its sponsor. The spans concatenate to the current text. Empty when the
/// declaration has no version.
pub async fn provenance(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<Vec<ProvenanceSpan>, DbErr> {
    let Some((_, current)) = current(db, declaration_id).await? else {
        return Ok(Vec::new());
    };
    let mut all: HashMap<i32, declaration_version::Model> = declaration_version::Entity::find()
        .filter(declaration_version::Column::DeclarationId.eq(declaration_id))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    // the chain of parents, newest first; a version is taken once, so a cycle cannot loop
    let mut chain = Vec::new();
    let mut next = Some(current.id);
    while let Some(id) = next {
        let Some(v) = all.remove(&id) else { break };
        next = v.parent_id;
        chain.push(v);
    }
    chain.reverse();

    let amendment_ids: Vec<i32> = chain.iter().filter_map(|v| v.amendment_id).collect();
    let merged: HashMap<i32, amendment::Model> = if amendment_ids.is_empty() {
        HashMap::new()
    } else {
        amendment::Entity::find()
            .filter(amendment::Column::Id.is_in(amendment_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect()
    };
    let who = names(
        db,
        chain
            .iter()
            .filter_map(|v| v.author_person_id)
            .chain(merged.values().map(|a| a.sponsor_person_id)),
    )
    .await?;
    let delegations =
        delegation_names(db, merged.values().filter_map(|a| a.sponsor_delegation_id)).await?;

    let texts: Vec<(i32, &str)> = chain.iter().map(|v| (v.id, v.markdown.as_str())).collect();
    let by_id: HashMap<i32, &declaration_version::Model> =
        chain.iter().map(|v| (v.id, v)).collect();
    Ok(engine::attribute(&texts)
        .into_iter()
        .filter_map(|span| {
            let v = by_id.get(&span.version)?;
            let amendment = v
                .amendment_id
                .and_then(|id| merged.get(&id))
                .map(|a| AmendmentRef {
                    id: a.id,
                    number: a.number,
                    title: a.title.clone(),
                    sponsor_name: who.get(&a.sponsor_person_id).cloned().unwrap_or_default(),
                    delegation_name: a
                        .sponsor_delegation_id
                        .and_then(|d| delegations.get(&d).cloned()),
                });
            Some(ProvenanceSpan {
                text: span.text,
                version_id: v.id,
                version_number: v.number,
                author_name: v.author_person_id.and_then(|p| who.get(&p).cloned()),
                amendment,
            })
        })
        .collect())
}

/// The compilation text: the current version with every submitted amendment inline, as
/// Markdown. `None` when the declaration has no version.
///
/// The current text comes paragraph by paragraph. Each submitted amendment written against the
/// current version is compared with it paragraph by paragraph
/// ([`domain::drafting::side_by_side`]); each run of paragraphs it changes becomes a
/// blockquote placed after the last paragraph of the run (after the paragraph before an
/// insertion; at the top for an insertion at the very start):
///
/// ```text
/// > **Amendment 3** (Trine Hansen, Denmark), amends paragraph 5: *Title*
/// >
/// > the paragraph as the amendment would have it
/// ```
///
/// Blocks after the same paragraph come in amendment-number order. Amendments in
/// `needs_update` (written against an older version) and drafts are not included.
pub async fn compilation(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<Option<String>, DbErr> {
    let Some((_, current)) = current(db, declaration_id).await? else {
        return Ok(None);
    };
    let pending = submitted_on(db, declaration_id, current.id).await?;
    let labels = labels_of(&current);
    let who = names(db, pending.iter().map(|a| a.sponsor_person_id)).await?;
    let delegations =
        delegation_names(db, pending.iter().filter_map(|a| a.sponsor_delegation_id)).await?;

    // blocks by the index of the paragraph they follow (None: before the first)
    let mut blocks: BTreeMap<Option<usize>, Vec<String>> = BTreeMap::new();
    for a in &pending {
        let mut sponsor = who.get(&a.sponsor_person_id).cloned().unwrap_or_default();
        if let Some(d) = a.sponsor_delegation_id.and_then(|d| delegations.get(&d)) {
            sponsor = format!("{sponsor}, {d}");
        }
        for run in changed_runs(&current.markdown, &labels, &a.proposed_markdown) {
            let mut block = format!(
                "> **Amendment {}** ({}), {}: *{}*",
                a.number,
                escape_inline(&sponsor),
                run.label,
                escape_inline(&a.title)
            );
            if run.new.is_empty() {
                block.push_str("\n>\n> *(deleted)*");
            }
            for p in &run.new {
                block.push_str("\n>");
                for line in p.lines() {
                    block.push_str("\n> ");
                    block.push_str(line);
                }
            }
            blocks.entry(run.after).or_default().push(block);
        }
    }

    let mut out: Vec<String> = Vec::new();
    if let Some(b) = blocks.remove(&None) {
        out.extend(b);
    }
    for (i, p) in engine::paragraphs(&current.markdown)
        .into_iter()
        .enumerate()
    {
        out.push(p.text);
        if let Some(b) = blocks.remove(&Some(i)) {
            out.extend(b);
        }
    }
    let mut text = out.join("\n\n");
    text.push('\n');
    Ok(Some(text))
}

/// A run of paragraphs an amendment changes, for [`compilation`].
struct ChangedRun {
    /// The paragraph of the current version it goes after.
    after: Option<usize>,
    /// "amends paragraph 5", "deletes paragraphs 5, 6", "inserts after paragraph 4"
    label: String,
    /// The amendment's paragraphs for the run.
    new: Vec<String>,
}

fn changed_runs(
    current: &str,
    labels: &[Option<engine::Label>],
    proposed: &str,
) -> Vec<ChangedRun> {
    let label_of = |index: usize| labels.get(index).copied().flatten();
    let mut runs = Vec::new();
    let mut last_old: Option<usize> = None;
    let mut old: Vec<(usize, Option<engine::Label>)> = Vec::new();
    let mut new: Vec<String> = Vec::new();
    let mut anchor_number: Option<Option<engine::Label>> = None;
    let text = |cell: &engine::Cell| {
        cell.spans
            .iter()
            .map(|s| s.text.as_str())
            .collect::<String>()
    };
    let flush = |old: &mut Vec<(usize, Option<engine::Label>)>,
                 new: &mut Vec<String>,
                 last_old: Option<usize>,
                 anchor_number: Option<Option<engine::Label>>,
                 runs: &mut Vec<ChangedRun>| {
        if old.is_empty() && new.is_empty() {
            return;
        }
        let label = if old.is_empty() {
            match anchor_number {
                Some(Some(n)) => format!("inserts after paragraph {n}"),
                Some(None) => "inserts after the heading".to_owned(),
                None => "inserts at the beginning".to_owned(),
            }
        } else {
            let verb = if new.is_empty() { "deletes" } else { "amends" };
            let numbers: Vec<String> = old
                .iter()
                .filter_map(|(_, n)| n.map(|n| n.to_string()))
                .collect();
            match numbers.len() {
                0 => format!("{verb} the heading"),
                1 => format!("{verb} paragraph {}", numbers[0]),
                _ => format!("{verb} paragraphs {}", numbers.join(", ")),
            }
        };
        runs.push(ChangedRun {
            after: old.last().map(|(i, _)| *i).or(last_old),
            label,
            new: std::mem::take(new),
        });
        old.clear();
    };
    for row in engine::side_by_side(current, proposed) {
        let same = match (&row.old, &row.new) {
            (Some(o), Some(n)) => text(o) == text(n),
            _ => false,
        };
        if same {
            flush(&mut old, &mut new, last_old, anchor_number, &mut runs);
            if let Some(o) = &row.old {
                last_old = Some(o.index);
                anchor_number = Some(label_of(o.index));
            }
            continue;
        }
        if let Some(o) = &row.old {
            old.push((o.index, label_of(o.index)));
        }
        if let Some(n) = &row.new {
            new.push(text(n));
        }
    }
    flush(&mut old, &mut new, last_old, anchor_number, &mut runs);
    runs
}

/// Backslash-escapes Markdown punctuation in a name or title, and keeps it on one line.
fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Key Feature tags on paragraphs

/// Every Key Feature tag on the declaration's paragraphs: (paragraph label, code), sorted.
pub async fn paragraph_tags(
    db: &impl ConnectionTrait,
    declaration_id: i32,
) -> Result<Vec<(String, String)>, DbErr> {
    use crate::entity::paragraph_key_feature as t;
    Ok(t::Entity::find()
        .filter(t::Column::DeclarationId.eq(declaration_id))
        .order_by_asc(t::Column::ParagraphLabel)
        .order_by_asc(t::Column::KeyFeatureCode)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.paragraph_label, r.key_feature_code))
        .collect())
}

/// Sets the Key Features of one paragraph of the current version (by its label; `codes` are
/// checked Key Feature codes). While the declaration is being drafted only.
pub async fn set_paragraph_tags(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    label: engine::Label,
    codes: &[&str],
) -> Outcome<()> {
    use crate::entity::paragraph_key_feature as t;
    finish(
        async {
            let (_, current) = lock_for_writing(db, declaration_id).await?;
            if !labels_of(&current).contains(&Some(label)) {
                return Err(Invalid::new(
                    InputField::Paragraph,
                    format!("Version {} has no paragraph {label}.", current.number),
                )
                .into());
            }
            t::Entity::delete_many()
                .filter(t::Column::DeclarationId.eq(declaration_id))
                .filter(t::Column::ParagraphLabel.eq(label.to_string()))
                .exec(db)
                .await?;
            for code in codes {
                t::ActiveModel {
                    declaration_id: Set(declaration_id),
                    paragraph_label: Set(label.to_string()),
                    key_feature_code: Set((*code).to_owned()),
                }
                .insert(db)
                .await?;
            }
            Ok(())
        }
        .await,
    )
}
