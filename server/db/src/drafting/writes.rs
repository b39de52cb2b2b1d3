//! Drafting writes: committee versions, amendments and their workflow, the rebase after each
//! new version, Key Feature tags on paragraphs. Each runs in the caller's write transaction.

use super::*;
use domain::drafting::amendment::Step;
use domain::ids::{AmendmentId, DeclarationId, DelegationId, PersonId, VersionId};

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
/// becomes the next version as is (source [`VersionSource::DirectEdit`]); on an older version it is merged
/// onto the current one (`merge3(base, current, markdown)`, source [`VersionSource::MergedEdit`]),
/// and a conflict is refused with [`DraftingError::Conflict`], writing nothing. A text the
/// same as the current version is refused ([`DraftingError::NothingChanged`]). The new
/// version's parent is the version that was current, its author `author_person_id`; pending
/// amendments are then rebased onto it ([`rebase_pending`]), in the same transaction.
pub async fn save_version(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    author_person_id: PersonId,
    base_version_id: VersionId,
    markdown: &str,
    message: &str,
) -> Outcome<SavedVersion> {
    finish(
        async {
            let text = check_text(markdown)?;
            let message = check_message(message)?;
            let (_, current) = lock_for_writing(db, declaration_id.0).await?;
            let (text, merged) = onto_current(db, &current, base_version_id.0, text).await?;
            if text == current.markdown {
                return Err(DraftingError::NothingChanged.into());
            }
            let source = if merged {
                VersionSource::MergedEdit
            } else {
                VersionSource::DirectEdit
            };
            let version = append_version(
                db,
                &current,
                author_person_id.0,
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
    declaration_id: DeclarationId,
    new_version: &declaration_version::Model,
    actor_person_id: PersonId,
) -> Result<RebaseSummary, DbErr> {
    let pending = amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id.0))
        .filter(amendment::Column::Status.is_in([
            AmendmentStatus::Draft.as_str(),
            AmendmentStatus::Submitted.as_str(),
        ]))
        .filter(amendment::Column::BaseVersionId.ne(new_version.id))
        // a draft already holding a conflict waits for its sponsor, like one needing an update
        .filter(amendment::Column::ConflictMarkdown.is_null())
        // amendments to an amendment follow the amendment they amend (below)
        .filter(amendment::Column::ParentAmendmentId.is_null())
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
        let rebaser = Rebaser::new(&base.markdown, &new_version.markdown).map_err(fault)?;
        for a in group {
            let status = status_of(&a)?;
            let id = a.id;
            let outcome = rebaser.rebase(&a.proposed_markdown).map_err(fault)?;
            let mut am: amendment::ActiveModel = a.into();
            am.updated_at = Set(now);
            match outcome {
                RebaseOutcome::Clean(text) => {
                    am.proposed_markdown = Set(text);
                    am.base_version_id = Set(new_version.id);
                    let a = am.update(db).await?;
                    summary.rebased.push(id);
                    let subs = follow_parent(db, &a, actor_person_id.0).await?;
                    summary.rebased.extend(subs.rebased);
                    summary.flagged.extend(subs.flagged);
                }
                RebaseOutcome::NeedsUpdate(conflict) => {
                    let held = Held {
                        from: status,
                        with_markers: conflict.with_markers,
                        on_version: new_version.id,
                        actor: actor_person_id.0,
                        note: format!(
                            "Version {} changed the text this amendment amends.",
                            new_version.number
                        ),
                    };
                    hold_conflict(db, am, id, held, now).await?;
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
    pub sponsor_person_id: PersonId,
    /// The delegation the sponsor proposes it for; must belong to the conference.
    pub sponsor_delegation_id: Option<DelegationId>,
    /// The version `proposed_markdown` is written against.
    pub base_version_id: VersionId,
    /// 1 to [`MAX_TITLE_CHARS`] characters.
    pub title: String,
    /// At most [`MAX_PROSE_CHARS`] characters; may be empty.
    pub rationale: String,
    /// The whole declaration as the amendment would have it.
    pub proposed_markdown: String,
    /// Co-sponsors (repeats and the sponsor are ignored).
    pub co_sponsor_person_ids: Vec<PersonId>,
    /// Submit at once, else keep as a draft.
    pub submit: bool,
}

/// Refused with [`DraftingError::PastDeadline`] once the declaration's amendment deadline has
/// passed, unless `committee` (the drafting committee can still act). Locks the declaration
/// (as every drafting write does), so a proposal and the organiser setting the deadline take
/// turns: call it first in the transaction of the proposal, submission or edit.
pub async fn proposals_open(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    committee: bool,
) -> Outcome<()> {
    finish(
        async {
            let (decl, _) = lock_for_writing(db, declaration_id.0).await?;
            match domain::drafting::amendment::past_deadline(
                decl.amendment_deadline,
                Utc::now(),
                committee,
            ) {
                Some(d) => Err(DraftingError::PastDeadline(d).into()),
                None => Ok(()),
            }
        }
        .await,
    )
}

/// The organisers set (or clear, `None`) the amendment deadline. Refused once adopted.
pub async fn set_amendment_deadline(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    deadline: Option<chrono::DateTime<Utc>>,
) -> Outcome<declaration::Model> {
    finish(
        async {
            let (decl, _) = lock_for_writing(db, declaration_id.0).await?;
            let mut d: declaration::ActiveModel = decl.into();
            d.amendment_deadline = Set(deadline);
            Ok(d.update(db).await?)
        }
        .await,
    )
}

/// Proposes an amendment to the declaration: the next number, status `submitted` or `draft`,
/// and an event (no "from" status) by the sponsor.
///
/// A text written against an older version is merged onto the current one first (refused with
/// the conflict when that is not clean), so a new amendment is always written against the
/// current version, as the first base on record. A text that changes nothing is refused.
pub async fn create_amendment(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    new: NewAmendment,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let title = check_title(&new.title)?;
            let rationale = check_prose(&new.rationale, InputField::Rationale, false)?;
            let text = check_text(&new.proposed_markdown)?;
            let (decl, current) = lock_for_writing(db, declaration_id.0).await?;
            person_exists(db, new.sponsor_person_id.0).await?;
            let co_sponsors =
                check_co_sponsors(db, new.sponsor_person_id.0, &new.co_sponsor_person_ids).await?;
            let (text, _) = onto_current(db, &current, new.base_version_id.0, text).await?;
            if text == current.markdown {
                return Err(DraftingError::AmendsNothing.into());
            }
            let (number, status) = number_and_state(
                db,
                &decl,
                new.sponsor_delegation_id.map(|d| d.0),
                new.submit,
            )
            .await?;
            let now = Utc::now();
            let a = amendment::ActiveModel {
                declaration_id: Set(declaration_id.0),
                number: Set(number),
                title: Set(title),
                rationale: Set(rationale),
                sponsor_person_id: Set(new.sponsor_person_id.0),
                sponsor_delegation_id: Set(new.sponsor_delegation_id.map(|x| x.0)),
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
            record_event(db, a.id, new.sponsor_person_id.0, None, status, None, now).await?;
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
    pub base_version_id: VersionId,
    pub title: String,
    pub rationale: String,
    pub proposed_markdown: String,
    /// `None` keeps the co-sponsors.
    pub co_sponsor_person_ids: Option<Vec<PersonId>>,
    /// For an amendment to an amendment: the SHA-256 (hex) of the amended amendment's text the
    /// sponsor wrote on, if the form sent it (refused when that text changed since).
    pub amended_sha256: Option<String>,
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
    amendment_id: AmendmentId,
    actor_person_id: PersonId,
    edit: AmendmentEdit,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let title = check_title(&edit.title)?;
            let rationale = check_prose(&edit.rationale, InputField::Rationale, false)?;
            let text = check_text(&edit.proposed_markdown)?;
            let (_, current, a, status) = lock_amendment(db, amendment_id.0).await?;
            status.step(Step::Edit)?;
            let co_sponsors = match &edit.co_sponsor_person_ids {
                Some(ids) => Some(check_co_sponsors(db, a.sponsor_person_id, ids).await?),
                None => None,
            };
            let (text, parent_text, base, to) = if a.parent_amendment_id.is_some() {
                let (text, parent_text, base, to) =
                    sub_edit(db, &a, status, text, edit.amended_sha256.as_deref()).await?;
                (text, Some(parent_text), base, to)
            } else {
                let (text, _) = onto_current(db, &current, edit.base_version_id.0, text).await?;
                if text == current.markdown {
                    return Err(DraftingError::AmendsNothing.into());
                }
                let to = if status == AmendmentStatus::NeedsUpdate {
                    status_before_flag(db, a.id).await?
                } else {
                    status
                };
                (text, None, current.id, to)
            };
            let is_sub = parent_text.is_some();
            let now = Utc::now();
            let mut am: amendment::ActiveModel = a.into();
            am.title = Set(title);
            am.rationale = Set(rationale);
            am.proposed_markdown = Set(text);
            am.base_version_id = Set(base);
            if is_sub {
                am.parent_markdown = Set(parent_text);
            }
            am.status = Set(to.as_str().to_owned());
            am.conflict_markdown = Set(None);
            am.conflict_version_id = Set(None);
            am.updated_at = Set(now);
            let a = am.update(db).await?;
            if let Some(ids) = co_sponsors {
                set_co_sponsors(db, a.id, &ids).await?;
            }
            if !is_sub {
                follow_parent(db, &a, actor_person_id.0).await?;
            }
            let note = if status == AmendmentStatus::NeedsUpdate && is_sub {
                "Updated onto the amended amendment's text.".to_owned()
            } else if status == AmendmentStatus::NeedsUpdate {
                format!("Updated onto version {}.", current.number)
            } else {
                "Text edited.".to_owned()
            };
            record_event(
                db,
                a.id,
                actor_person_id.0,
                Some(status),
                to,
                Some(note),
                now,
            )
            .await?;
            Ok(a)
        }
        .await,
    )
}

/// The status a pending amendment takes when a change collides with it: a submitted one
/// `needs_update` (it is before the committee, which sees that it must be updated); a draft stays
/// a draft, holding its conflict (it is its sponsors' own, and "needs update" is public). A
/// draft that holds a conflict cannot be submitted until its sponsor resolves it.
pub(super) fn flagged(status: AmendmentStatus) -> AmendmentStatus {
    match status {
        AmendmentStatus::Draft => AmendmentStatus::Draft,
        _ => AmendmentStatus::NeedsUpdate,
    }
}

/// A conflict an amendment is to hold, for [`hold_conflict`].
pub(super) struct Held {
    /// Its status before.
    pub from: AmendmentStatus,
    /// The merge with git-style conflict markers.
    pub with_markers: String,
    /// The version the conflict is shown on (`conflict_version_id`).
    pub on_version: i32,
    pub actor: i32,
    /// Why, for its history.
    pub note: String,
}

/// Stores a conflict on amendment `id` (`am` is its row, with whatever else changes with it):
/// [`flagged`] status, the conflict and its version, and the event in its history.
pub(super) async fn hold_conflict(
    db: &impl ConnectionTrait,
    mut am: amendment::ActiveModel,
    id: i32,
    held: Held,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let to = flagged(held.from);
    am.status = Set(to.as_str().to_owned());
    am.conflict_markdown = Set(Some(held.with_markers));
    am.conflict_version_id = Set(Some(held.on_version));
    am.update(db).await?;
    record_event(
        db,
        id,
        held.actor,
        Some(held.from),
        to,
        Some(held.note),
        now,
    )
    .await
}

/// The status an amendment had when it was last marked `needs_update` (submitted if unknown).
pub(super) async fn status_before_flag(
    db: &impl ConnectionTrait,
    amendment_id: i32,
) -> Result<AmendmentStatus, DbErr> {
    let flagged = amendment_event::Entity::find()
        .filter(amendment_event::Column::AmendmentId.eq(amendment_id))
        .filter(amendment_event::Column::ToStatus.eq(AmendmentStatus::NeedsUpdate.as_str()))
        .order_by_desc(amendment_event::Column::Id)
        .one(db)
        .await?;
    Ok(match flagged.and_then(|e| e.from_state()) {
        Some(AmendmentStatus::Draft) => AmendmentStatus::Draft,
        _ => AmendmentStatus::Submitted,
    })
}

/// Sets the status (and the reason, for a rejection) and records the event.
pub(super) async fn transition(
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
    amendment_id: AmendmentId,
    actor_person_id: PersonId,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let (_, _, a, status) = lock_amendment(db, amendment_id.0).await?;
            let to = status.step(Step::Submit)?;
            if a.conflict_markdown.is_some() {
                return Err(DraftingError::NeedsUpdate.into());
            }
            check_submittable(db, &a).await?;
            Ok(transition(db, a, status, to, actor_person_id.0, None).await?)
        }
        .await,
    )
}

/// The sponsor withdraws a pending amendment (draft, submitted or needs update).
pub async fn withdraw(
    db: &impl ConnectionTrait,
    amendment_id: AmendmentId,
    actor_person_id: PersonId,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let (_, _, a, status) = lock_amendment(db, amendment_id.0).await?;
            let to = status.step(Step::Withdraw)?;
            settle_subs_before(db, &a, Step::Withdraw, actor_person_id.0).await?;
            Ok(transition(db, a, status, to, actor_person_id.0, None).await?)
        }
        .await,
    )
}

/// The committee rejects a submitted amendment (or one that needs an update), with a reason
/// (required; stored as `decision_reason` and as the event's note).
pub async fn reject(
    db: &impl ConnectionTrait,
    amendment_id: AmendmentId,
    actor_person_id: PersonId,
    reason: &str,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let reason = check_prose(reason, InputField::Reason, true)?;
            let (_, _, a, status) = lock_amendment(db, amendment_id.0).await?;
            let to = status.step(Step::Reject)?;
            settle_subs_before(db, &a, Step::Reject, actor_person_id.0).await?;
            Ok(transition(db, a, status, to, actor_person_id.0, Some(reason)).await?)
        }
        .await,
    )
}

/// Comments on an amendment, whatever its status (while the declaration is being drafted).
/// The body is Markdown, 1 to [`MAX_PROSE_CHARS`] characters.
pub async fn comment(
    db: &impl ConnectionTrait,
    amendment_id: AmendmentId,
    author_person_id: PersonId,
    body: &str,
) -> Outcome<amendment_comment::Model> {
    finish(
        async {
            let body = check_prose(body, InputField::Comment, true)?;
            let (_, _, a, _) = lock_amendment(db, amendment_id.0).await?;
            Ok(amendment_comment::ActiveModel {
                amendment_id: Set(a.id),
                author_person_id: Set(Some(author_person_id.0)),
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
    pub base_version_id: VersionId,
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
/// [`VersionSource::MergedAmendment`], `amendment_id` set, author `actor_person_id`, message "Amendment N:
/// title"); the amendment becomes `accepted`, or `accepted_with_modification` when the
/// modification gives another text than the proposal would, with `merged_version_id` set; an
/// event is recorded, and the other pending amendments are rebased ([`rebase_pending`]). A
/// conflict is refused with [`DraftingError::Conflict`] and nothing changes. An amendment that
/// needs an update is refused with [`DraftingError::NeedsUpdate`]; one that would change
/// nothing (its change is already in the text) with [`DraftingError::AmendsNothing`].
pub async fn accept(
    db: &impl ConnectionTrait,
    amendment_id: AmendmentId,
    actor_person_id: PersonId,
    modification: Option<Modification>,
) -> Outcome<Accepted> {
    finish(
        async {
            let modification = match modification {
                Some(m) => Some((m.base_version_id, check_text(&m.markdown)?)),
                None => None,
            };
            let (_, current, a, status) = lock_amendment(db, amendment_id.0).await?;
            status.step(Step::Accept)?;
            if a.parent_amendment_id.is_some() {
                // an amendment to an amendment becomes part of it, not a version
                return Err(DbErr::Custom(format!(
                    "amendment {} amends an amendment: accept_sub_amendment",
                    a.id
                ))
                .into());
            }
            settle_subs_before(db, &a, Step::Accept, actor_person_id.0).await?;
            let base = version_of(db, a.declaration_id, a.base_version_id).await?;
            let as_proposed =
                engine::merge3(&base.markdown, &current.markdown, &a.proposed_markdown)
                    .map_err(fault)?;
            let (text, modified) = match modification {
                None => match as_proposed {
                    MergeOutcome::Clean(t) => (t, false),
                    MergeOutcome::Conflict(c) => return Err(DraftingError::Conflict(c).into()),
                },
                Some((base_id, markdown)) => {
                    let other;
                    let base_text = if base_id == VersionId(base.id) {
                        &base.markdown
                    } else {
                        other = version_of(db, a.declaration_id, base_id.0).await?;
                        &other.markdown
                    };
                    match engine::merge3(base_text, &current.markdown, &markdown).map_err(fault)? {
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
                actor_person_id.0,
                format!("Amendment {}: {}", a.number, a.title),
                VersionSource::MergedAmendment,
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
                actor_person_id.0,
                Some(status),
                to,
                Some(format!("Merged as version {}.", version.number)),
                now,
            )
            .await?;
            let rebase = rebase_pending(
                db,
                DeclarationId(amendment.declaration_id),
                &version,
                actor_person_id,
            )
            .await?;
            Ok(Accepted {
                version,
                amendment,
                rebase,
            })
        }
        .await,
    )
}

/// Sets the Key Features of one paragraph of the current version (by its label; `codes` are
/// checked Key Feature codes). While the declaration is being drafted only.
pub async fn set_paragraph_tags(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
    label: engine::Label,
    codes: &[&str],
) -> Outcome<()> {
    use crate::entity::paragraph_key_feature as t;
    finish(
        async {
            let (_, current) = lock_for_writing(db, declaration_id.0).await?;
            if !labels_of(&current).contains(&Some(label)) {
                return Err(Invalid::new(
                    InputField::Paragraph,
                    format!("Version {} has no paragraph {label}.", current.number),
                )
                .into());
            }
            t::Entity::delete_many()
                .filter(t::Column::DeclarationId.eq(declaration_id.0))
                .filter(t::Column::ParagraphLabel.eq(label.to_string()))
                .exec(db)
                .await?;
            for code in codes {
                t::ActiveModel {
                    declaration_id: Set(declaration_id.0),
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
