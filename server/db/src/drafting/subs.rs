//! Amendments to amendments ("sub-amendments"): an amendment proposed on the text of another
//! pending amendment rather than on the declaration.
//!
//! Stored as an amendment with `parent_amendment_id` set. Its `proposed_markdown` is the whole
//! declaration as the amended amendment would have it, written against `parent_markdown` (the
//! amended amendment's text as its sponsor read it); its `base_version_id` follows the amended
//! amendment's. When the amended amendment's text changes (its sponsor edits it, a new version
//! rebases it, another amendment to it is accepted), the amendments to it follow by the same
//! three-way rebase as amendments follow the declaration ([`follow_parent`]); a collision sets
//! them to `needs_update` for their sponsor.
//!
//! Accepting one ([`accept_sub_amendment`]) makes no version: its change becomes part of the
//! amended amendment, which stays before the committee. They are decided before the amendment
//! they amend ([`domain::drafting::amendment::before_deciding`]): deciding that amendment is
//! refused while one is before the committee, and those before the committee lapse when its
//! sponsor withdraws it. Drafts to it stay their sponsors' own (never lapsed, which would make
//! them public) and can no longer be submitted once it is closed ([`check_submittable`]).

use super::writes::{hold_conflict, status_before_flag, Held, RebaseSummary};
use super::*;
use domain::drafting::amendment::{amendable, before_deciding, submittable_under, Step};
use domain::ids::{AmendmentId, AmendmentNumber, DelegationId, PersonId};

/// An amendment to an amendment, for [`create_sub_amendment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubAmendment {
    pub sponsor_person_id: PersonId,
    pub sponsor_delegation_id: Option<DelegationId>,
    pub title: String,
    pub rationale: String,
    /// The whole declaration as the amended amendment would have it.
    pub proposed_markdown: String,
    /// The SHA-256 (hex) of the amended amendment's text as the sponsor read it: refused with
    /// [`DraftingError::AmendedChanged`] when it changed since.
    pub amended_sha256: String,
    pub co_sponsor_person_ids: Vec<PersonId>,
    pub submit: bool,
}

/// Whether `person` sponsors or co-sponsors the amendment.
async fn sponsors(
    db: &impl ConnectionTrait,
    a: &amendment::Model,
    person: PersonId,
) -> Result<bool, DbErr> {
    if a.sponsor_person_id == person.0 {
        return Ok(true);
    }
    Ok(amendment_sponsor::Entity::find()
        .filter(amendment_sponsor::Column::AmendmentId.eq(a.id))
        .filter(amendment_sponsor::Column::PersonId.eq(person.0))
        .one(db)
        .await?
        .is_some())
}

/// Proposes an amendment to the submitted amendment `parent_id`: the next number, `submitted`
/// or `draft`, an event noting what it amends. Refused when the amendment cannot be amended
/// ([`amendable`]: not before the committee, itself an amendment to an amendment, or the
/// asker's own), when its text changed since the sponsor read it, and when the text is the
/// amended amendment's.
pub async fn create_sub_amendment(
    db: &impl ConnectionTrait,
    parent_id: AmendmentId,
    new: NewSubAmendment,
) -> Outcome<amendment::Model> {
    finish(
        async {
            let title = check_title(&new.title)?;
            let rationale = check_prose(&new.rationale, InputField::Rationale, false)?;
            let text = check_text(&new.proposed_markdown)?;
            let (decl, _, parent, parent_status) = lock_amendment(db, parent_id.0).await?;
            person_exists(db, new.sponsor_person_id.0).await?;
            let own = sponsors(db, &parent, new.sponsor_person_id).await?;
            amendable(parent_status, parent.parent_amendment_id.is_some(), own)
                .map_err(DraftingError::NotAmendable)?;
            if domain::text::sha256_hex(&parent.proposed_markdown) != new.amended_sha256.trim() {
                return Err(DraftingError::AmendedChanged(AmendmentNumber(parent.number)).into());
            }
            if text == parent.proposed_markdown {
                return Err(DraftingError::AmendsNothing.into());
            }
            let co_sponsors =
                check_co_sponsors(db, new.sponsor_person_id.0, &new.co_sponsor_person_ids).await?;
            let (number, status) = number_and_state(
                db,
                &decl,
                new.sponsor_delegation_id.map(|d| d.0),
                new.submit,
            )
            .await?;
            let now = Utc::now();
            let a = amendment::ActiveModel {
                declaration_id: Set(parent.declaration_id),
                number: Set(number),
                title: Set(title),
                rationale: Set(rationale),
                sponsor_person_id: Set(new.sponsor_person_id.0),
                sponsor_delegation_id: Set(new.sponsor_delegation_id.map(|x| x.0)),
                original_base_version_id: Set(parent.base_version_id),
                base_version_id: Set(parent.base_version_id),
                proposed_markdown: Set(text),
                status: Set(status.as_str().to_owned()),
                decision_reason: Set(None),
                conflict_markdown: Set(None),
                conflict_version_id: Set(None),
                merged_version_id: Set(None),
                parent_amendment_id: Set(Some(parent.id)),
                parent_markdown: Set(Some(parent.proposed_markdown.clone())),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            set_co_sponsors(db, a.id, &co_sponsors).await?;
            record_event(
                db,
                a.id,
                new.sponsor_person_id.0,
                None,
                status,
                Some(format!("Amends amendment {}.", parent.number)),
                now,
            )
            .await?;
            Ok(a)
        }
        .await,
    )
}

/// The amendments to amendment `parent_id`, by number, every status.
pub async fn sub_amendments(
    db: &impl ConnectionTrait,
    parent_id: AmendmentId,
) -> Result<Vec<amendment::Model>, DbErr> {
    amendment::Entity::find()
        .filter(amendment::Column::ParentAmendmentId.eq(parent_id.0))
        .order_by_asc(amendment::Column::Number)
        .all(db)
        .await
}

/// Brings the pending amendments to `parent` onto its text, which has just changed: a draft or
/// submitted one written against another text of it is rebased (clean: its text and
/// `parent_markdown` move on; a collision: `needs_update`, with the conflict shown on the new
/// text, recorded with `actor_person_id`). Ones that need an update wait for their sponsor.
/// Their `base_version_id` follows the parent's.
pub(super) async fn follow_parent(
    db: &impl ConnectionTrait,
    parent: &amendment::Model,
    actor_person_id: i32,
) -> Result<RebaseSummary, DbErr> {
    let now = Utc::now();
    let mut summary = RebaseSummary::default();
    for sub in sub_amendments(db, AmendmentId(parent.id)).await? {
        let status = status_of(&sub)?;
        if !status.is_pending() {
            continue;
        }
        let id = sub.id;
        let written_on = sub.parent_markdown.clone().unwrap_or_default();
        let waiting = status == AmendmentStatus::NeedsUpdate || sub.conflict_markdown.is_some();
        if waiting || written_on == parent.proposed_markdown {
            if sub.base_version_id != parent.base_version_id {
                let mut am: amendment::ActiveModel = sub.into();
                am.base_version_id = Set(parent.base_version_id);
                am.update(db).await?;
            }
            continue;
        }
        let rebaser = Rebaser::new(&written_on, &parent.proposed_markdown).map_err(fault)?;
        let outcome = rebaser.rebase(&sub.proposed_markdown).map_err(fault)?;
        let mut am: amendment::ActiveModel = sub.into();
        am.updated_at = Set(now);
        am.base_version_id = Set(parent.base_version_id);
        am.parent_markdown = Set(Some(parent.proposed_markdown.clone()));
        match outcome {
            RebaseOutcome::Clean(text) => {
                am.proposed_markdown = Set(text);
                am.update(db).await?;
                summary.rebased.push(id);
            }
            RebaseOutcome::NeedsUpdate(conflict) => {
                let held = Held {
                    from: status,
                    with_markers: conflict.with_markers,
                    on_version: parent.base_version_id,
                    actor: actor_person_id,
                    note: format!(
                        "Amendment {} changed where this amendment amends it.",
                        parent.number
                    ),
                };
                hold_conflict(db, am, id, held, now).await?;
                summary.flagged.push(id);
            }
        }
    }
    Ok(summary)
}

/// Before `step` is taken on amendment `a` (not itself an amendment to an amendment): refused
/// while amendments to it are before the committee (accept, reject); on withdrawal those lapse,
/// recorded with `actor_person_id`.
pub(super) async fn settle_subs_before(
    db: &impl ConnectionTrait,
    a: &amendment::Model,
    step: Step,
    actor_person_id: i32,
) -> Result<(), Fail> {
    if a.parent_amendment_id.is_some() {
        return Ok(());
    }
    let subs = sub_amendments(db, AmendmentId(a.id)).await?;
    let states: Vec<(usize, AmendmentStatus)> = subs
        .iter()
        .enumerate()
        .map(|(k, s)| Ok((k, status_of(s)?)))
        .collect::<Result<_, DbErr>>()?;
    let lapsing = match before_deciding(step, &states) {
        Ok(l) => l,
        Err(waiting) => {
            return Err(DraftingError::AmendmentsToItFirst(
                waiting
                    .into_iter()
                    .map(|k| AmendmentNumber(subs[k].number))
                    .collect(),
            )
            .into())
        }
    };
    let why = match step {
        Step::Withdraw => format!("Amendment {} was withdrawn.", a.number),
        Step::Reject => format!("Amendment {} was rejected.", a.number),
        _ => format!("Amendment {} was accepted.", a.number),
    };
    for k in lapsing {
        let sub = subs[k].clone();
        let from = states[k].1;
        super::writes::transition(
            db,
            sub,
            from,
            AmendmentStatus::Lapsed,
            actor_person_id,
            Some(why.clone()),
        )
        .await?;
    }
    Ok(())
}

/// Before an amendment to an amendment is submitted: refused once the amendment it amends is
/// decided or withdrawn. Nothing to check for any other amendment.
pub(super) async fn check_submittable(
    db: &impl ConnectionTrait,
    a: &amendment::Model,
) -> Result<(), Fail> {
    let Some(parent_id) = a.parent_amendment_id else {
        return Ok(());
    };
    let parent = amendment::Entity::find_by_id(parent_id)
        .one(db)
        .await?
        .ok_or(DraftingError::NoSuchAmendment)?;
    let status = status_of(&parent)?;
    if submittable_under(status) {
        Ok(())
    } else {
        Err(DraftingError::AmendedNotOpen(AmendmentNumber(parent.number), status).into())
    }
}

/// An accepted amendment to an amendment, and the amendment it became part of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedSub {
    pub sub: amendment::Model,
    pub parent: amendment::Model,
    /// What became of the other pending amendments to the same amendment.
    pub rebase: RebaseSummary,
}

/// The committee accepts an amendment to an amendment: its change is merged into the amended
/// amendment's text (`merge3(what it was written on, the amended text now, its text)`), which
/// stays before the committee with the change (an event on it says so); the amendment to it
/// becomes `accepted`; the other amendments to the same amendment follow the new text. Refused
/// when the amended amendment is not submitted ([`DraftingError::AmendedNotOpen`]), on a
/// conflict, and when the change is already in the text. No version is made.
pub async fn accept_sub_amendment(
    db: &impl ConnectionTrait,
    sub_id: AmendmentId,
    actor_person_id: PersonId,
) -> Outcome<AcceptedSub> {
    finish(
        async {
            let (_, _, sub, status) = lock_amendment(db, sub_id.0).await?;
            status.step(Step::Accept)?;
            let parent_id = sub.parent_amendment_id.ok_or_else(|| {
                DbErr::Custom(format!("amendment {} amends no amendment", sub.id))
            })?;
            let parent = amendment::Entity::find_by_id(parent_id)
                .one(db)
                .await?
                .ok_or(DraftingError::NoSuchAmendment)?;
            let parent_status = status_of(&parent)?;
            if parent_status != AmendmentStatus::Submitted {
                return Err(DraftingError::AmendedNotOpen(
                    AmendmentNumber(parent.number),
                    parent_status,
                )
                .into());
            }
            let written_on = sub.parent_markdown.clone().unwrap_or_default();
            let text = match engine::merge3(
                &written_on,
                &parent.proposed_markdown,
                &sub.proposed_markdown,
            )
            .map_err(fault)?
            {
                MergeOutcome::Clean(t) => t,
                MergeOutcome::Conflict(c) => return Err(DraftingError::Conflict(c).into()),
            };
            if text == parent.proposed_markdown {
                return Err(DraftingError::AmendsNothing.into());
            }
            let now = Utc::now();
            let (sub_number, parent_number) = (sub.number, parent.number);
            let sub = super::writes::transition(
                db,
                sub,
                status,
                AmendmentStatus::Accepted,
                actor_person_id.0,
                Some(format!("Made part of amendment {parent_number}.")),
            )
            .await?;
            let mut am: amendment::ActiveModel = parent.into();
            am.proposed_markdown = Set(text);
            am.updated_at = Set(now);
            let parent = am.update(db).await?;
            record_event(
                db,
                parent.id,
                actor_person_id.0,
                Some(parent_status),
                parent_status,
                Some(format!(
                    "Amended by amendment {sub_number}, accepted by the committee."
                )),
                now,
            )
            .await?;
            let rebase = follow_parent(db, &parent, actor_person_id.0).await?;
            Ok(AcceptedSub {
                sub,
                parent,
                rebase,
            })
        }
        .await,
    )
}

/// The sponsor's edit of an amendment to an amendment (called by
/// [`super::update_amendment`] for one): the text is written against the amended amendment's
/// text the sponsor read (`parent_markdown`; while it needs an update, the text its conflict
/// was shown on), merged onto the amended amendment's text as it is now. Returns the text and
/// the state it goes to.
pub(super) async fn sub_edit(
    db: &impl ConnectionTrait,
    a: &amendment::Model,
    status: AmendmentStatus,
    text: String,
    amended_sha256: Option<&str>,
) -> Result<(String, String, i32, AmendmentStatus), Fail> {
    let parent_id = a
        .parent_amendment_id
        .ok_or_else(|| DbErr::Custom(format!("amendment {} amends no amendment", a.id)))?;
    let parent = amendment::Entity::find_by_id(parent_id)
        .one(db)
        .await?
        .ok_or(DraftingError::NoSuchAmendment)?;
    let written_on = a.parent_markdown.clone().unwrap_or_default();
    if let Some(seen) = amended_sha256 {
        if domain::text::sha256_hex(&written_on) != seen.trim() {
            return Err(DraftingError::AmendedChanged(AmendmentNumber(parent.number)).into());
        }
    }
    let text = if written_on == parent.proposed_markdown {
        text
    } else {
        match engine::merge3(&written_on, &parent.proposed_markdown, &text).map_err(fault)? {
            MergeOutcome::Clean(t) => t,
            MergeOutcome::Conflict(c) => return Err(DraftingError::Conflict(c).into()),
        }
    };
    if text == parent.proposed_markdown {
        return Err(DraftingError::AmendsNothing.into());
    }
    let to = if status == AmendmentStatus::NeedsUpdate {
        status_before_flag(db, a.id).await?
    } else {
        status
    };
    Ok((text, parent.proposed_markdown, parent.base_version_id, to))
}
