//! Amendments to amendments (`db::drafting::subs`): proposed on the text of an amendment before
//! the committee, decided before it, and, once accepted, part of it.

use super::{
    chosen_co_sponsors, delegation_of, notify_sponsors, notify_sponsors_of, refused,
    tell_amendments, Draft,
};
use crate::access::Caller;
use crate::drafting::dto::{AcceptResultDto, AmendedDto, AmendmentNumber, SubAmendmentDto};
use crate::error::{AppError, OrInternal};
use db::drafting::{self as d, AmendmentStatus, DraftingError, NewSubAmendment};
use db::entity::amendment;
use db::DatabaseConnection;
use domain::drafting::amendment::{amendable, visible_to};
use domain::ids::{AmendmentId, DelegationId, PersonId};
use domain::permissions::Action;
use sea_orm::{ConnectionTrait, EntityTrait};
use std::collections::HashMap;

/// What an amendment's page shows of amendments to amendments.
pub(super) struct Related {
    /// The amendment it amends, if it is an amendment to an amendment.
    pub amends: Option<AmendedDto>,
    /// The amendments to it the asker may see.
    pub list: Vec<SubAmendmentDto>,
    /// The asker could amend it (its state and sponsorship allow; proposals open is checked
    /// by the caller).
    pub can_amend: bool,
}

pub(super) async fn related(
    db: &DatabaseConnection,
    draft: &Draft,
    a: &amendment::Model,
    me: Option<PersonId>,
) -> Result<Related, AppError> {
    let amends = match a.parent_amendment_id {
        Some(p) => amendment::Entity::find_by_id(p)
            .one(db)
            .await
            .or_internal()?
            .map(|p| AmendedDto {
                number: AmendmentNumber(p.number),
                status: p.state(),
                status_label: p.state().label().to_owned(),
                title: p.title,
            }),
        None => None,
    };
    let subs = d::sub_amendments(db, AmendmentId(a.id))
        .await
        .or_internal()?;
    let mut list = Vec::new();
    if !subs.is_empty() {
        let names = d::sponsors(db, &subs).await.or_internal()?;
        for s in &subs {
            let co = super::co_sponsor_ids(db, s.id).await?;
            if !visible_to(s.state(), PersonId(s.sponsor_person_id), &co, me) {
                continue;
            }
            list.push(SubAmendmentDto {
                number: AmendmentNumber(s.number),
                title: s.title.clone(),
                sponsor_name: names.get(&s.id).map(|n| n.0.clone()).unwrap_or_default(),
                status: s.state(),
                status_label: s.state().label().to_owned(),
            });
        }
    }
    let own = match me {
        Some(p) => {
            p.0 == a.sponsor_person_id || super::co_sponsor_ids(db, a.id).await?.contains(&p)
        }
        None => false,
    };
    let can_amend = draft.drafting()
        && draft.access.may(Action::ProposeAmendment)
        && amendable(a.state(), a.parent_amendment_id.is_some(), own).is_ok();
    Ok(Related {
        amends,
        list,
        can_amend,
    })
}

/// Proposes an amendment to amendment `number`, written on its text whose SHA-256 the form
/// sends back (`amended_sha256`); returns the new amendment's number.
#[allow(clippy::too_many_arguments)]
pub async fn propose(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    number: AmendmentNumber,
    amended_sha256: &str,
    title: &str,
    rationale: &str,
    proposed_markdown: &str,
    co_sponsors: &[PersonId],
    submit: bool,
    idempotency_key: Option<&str>,
) -> Result<AmendmentNumber, AppError> {
    let draft = Draft::load(db, caller, slug, Action::ProposeAmendment).await?;
    let user = draft.user()?;
    let once = crate::idempotency::Once::parse(
        idempotency_key,
        "propose_sub_amendment",
        Some(user.person_id),
    )?;
    let parent = draft.amendment(db, number.0).await?;
    let delegation = delegation_of(db, draft.access.conference.id, user.person_id).await?;
    let co_sponsors =
        chosen_co_sponsors(db, draft.access.conference.id, user.person_id, co_sponsors).await?;
    db::write(db, async |txn| {
        if let Some(number) = once.earlier::<AmendmentNumber>(txn).await? {
            return Ok(number);
        }
        draft.proposals_open(txn).await?;
        let outcome = d::create_sub_amendment(
            txn,
            AmendmentId(parent.id),
            NewSubAmendment {
                sponsor_person_id: PersonId(user.person_id),
                sponsor_delegation_id: delegation.map(DelegationId),
                title: title.to_owned(),
                rationale: rationale.to_owned(),
                proposed_markdown: proposed_markdown.to_owned(),
                amended_sha256: amended_sha256.to_owned(),
                co_sponsor_person_ids: co_sponsors,
                submit,
            },
        )
        .await
        .or_internal()?;
        match outcome {
            Ok(a) => {
                once.record(txn, &a.number).await?;
                tell_amendments(txn, draft.access.conference_id(), [a.id, parent.id]).await?;
                Ok(AmendmentNumber(a.number))
            }
            Err(e) => Err(draft.refused(e, "proposed_markdown")),
        }
    })
    .await
}

/// The committee accepts an amendment to an amendment: it becomes part of the amendment it
/// amends (no version). It is accepted as proposed: a modification is refused (the committee
/// modifies the amended amendment when it accepts that one).
pub(super) async fn accept(
    db: &DatabaseConnection,
    draft: &Draft,
    a: amendment::Model,
    modified_markdown: Option<&str>,
) -> Result<AcceptResultDto, AppError> {
    let user = draft.user()?;
    if modified_markdown.is_some_and(|m| !m.trim().is_empty()) {
        return Err(AppError::validation(
            "modified_markdown",
            "An amendment to an amendment is accepted as proposed; the committee modifies the \
             amendment it amends when it accepts that one.",
        ));
    }
    db::write(db, async |txn| {
        let done =
            match d::accept_sub_amendment(txn, AmendmentId(a.id), user.person())
                .await
                .or_internal()?
            {
                Ok(done) => done,
                Err(DraftingError::Conflict(_)) => return Err(AppError::conflict(
                    "This amendment no longer applies cleanly to the amendment it amends, which \
                     changed since it was written. Nothing was changed. Ask its sponsor to \
                     update it.",
                )),
                Err(e) => return Err(refused(e, "modified_markdown")),
            };
        let conference = draft.access.conference_id();
        let others: Vec<i32> = done
            .rebase
            .rebased
            .iter()
            .chain(done.rebase.flagged.iter())
            .copied()
            .collect();
        tell_amendments(
            txn,
            conference,
            [done.sub.id, done.parent.id].into_iter().chain(others),
        )
        .await?;
        notify_sponsors(txn, draft, &[done.sub.id]).await?;
        notify_sponsors_of(txn, draft, &[done.parent.id], Some(done.sub.number)).await?;
        notify_sponsors(txn, draft, &done.rebase.flagged).await?;
        let numbers = super::amendment_numbers(
            txn,
            &done
                .rebase
                .rebased
                .iter()
                .chain(done.rebase.flagged.iter())
                .copied()
                .collect::<Vec<_>>(),
        )
        .await?;
        let pick = |ids: &[i32]| -> Vec<AmendmentNumber> {
            ids.iter().filter_map(|i| numbers.get(i).copied()).collect()
        };
        let status = done.sub.state();
        Ok(AcceptResultDto {
            version: crate::drafting::dto::VersionNumber(draft.current.number),
            status,
            status_label: status.label().to_owned(),
            rebased: pick(&done.rebase.rebased),
            flagged: pick(&done.rebase.flagged),
            amended: Some(AmendmentNumber(done.parent.number)),
        })
    })
    .await
}

/// The pending amendments to amendment `id` and their states, read before a step on it (so
/// that [`tell`] can say what the step did to them).
pub(super) async fn pending_ids(
    txn: &impl ConnectionTrait,
    id: i32,
) -> Result<Vec<(i32, AmendmentStatus)>, AppError> {
    Ok(d::sub_amendments(txn, AmendmentId(id))
        .await
        .or_internal()?
        .into_iter()
        .filter(|s| s.state().is_pending())
        .map(|s| (s.id, s.state()))
        .collect())
}

/// After a step on an amendment: the open pages hear of the amendments to it that [`pending_ids`]
/// listed, and the sponsors of those whose state changed (lapsed, or needing an update) are told.
pub(super) async fn tell(
    txn: &impl ConnectionTrait,
    draft: &Draft,
    before: &[(i32, AmendmentStatus)],
) -> Result<(), AppError> {
    if before.is_empty() {
        return Ok(());
    }
    let ids: Vec<i32> = before.iter().map(|(id, _)| *id).collect();
    tell_amendments(txn, draft.access.conference_id(), ids).await?;
    let was: HashMap<i32, AmendmentStatus> = before.iter().copied().collect();
    let mut changed = Vec::new();
    for (id, _) in before {
        if let Some(s) = amendment::Entity::find_by_id(*id)
            .one(txn)
            .await
            .or_internal()?
        {
            if was.get(id) != Some(&s.state()) {
                changed.push(s.id);
            }
        }
    }
    notify_sponsors(txn, draft, &changed).await
}
