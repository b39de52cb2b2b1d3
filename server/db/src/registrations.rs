//! Registrations and accreditation, inside the caller's write transaction. The conference row
//! is locked first, so that the cap holds when many register at once.

use crate::entity::{account, conference, conference_role, delegation, person, registration};
use chrono::Utc;
use domain::ids::{ConferenceId, DelegationId, PersonId, RegistrationId};
use domain::permissions::Role;
use domain::registration::{Form, Status};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// The stored states that hold a place against the caps (pending and accredited).
const PLACE_HOLDING: [&str; 2] = [Status::Pending.as_str(), Status::Accredited.as_str()];

/// Why a registration or a decision is refused, in words for the person asking.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Registration for this conference is not open yet.")]
    NotOpenYet,
    #[error("Registration for this conference has closed.")]
    Closed,
    #[error("The conference is full: the number of participants has reached its limit.")]
    CapReached,
    #[error("You are already registered for this conference.")]
    AlreadyRegistered,
    #[error("There is no such delegation in this conference.")]
    UnknownDelegation,
    #[error("You have no registration to withdraw.")]
    NotRegistered,
    #[error("Some of the chosen registrations are not in this conference.")]
    NotInConference,
    #[error("This delegation already has its {cap} {role} (the most a delegation may have).")]
    MemberCapReached { role: &'static str, cap: i32 },
    #[error("There is already a delegation called “{0}” in this conference.")]
    DelegationExists(String),
    #[error("{0} already heads the delegation of {1}.")]
    AlreadyHeads(String, String),
}

pub async fn delegations(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
) -> Result<Vec<delegation::Model>, DbErr> {
    delegation::Entity::find()
        .filter(delegation::Column::ConferenceId.eq(conference_id.0))
        .order_by_asc(delegation::Column::Name)
        .all(db)
        .await
}

/// Add a delegation, with `head` (a person) as its head, who gets the head role. Names are
/// unique in a conference, whatever their case; a person heads one delegation at most.
pub async fn create_delegation(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    form: &domain::registration::DelegationForm,
    head: Option<(i32, &str)>,
) -> Result<Result<delegation::Model, Refusal>, DbErr> {
    // one writer at a time per conference, so two organisers cannot add the same name at once
    conference::Entity::find_by_id(conference_id.0)
        .lock_exclusive()
        .one(db)
        .await?;
    let existing = delegations(db, conference_id).await?;
    if let Some(d) = existing
        .iter()
        .find(|d| d.name.to_lowercase() == form.name.to_lowercase())
    {
        return Ok(Err(Refusal::DelegationExists(d.name.clone())));
    }
    if let Some((person, name)) = head {
        if let Some(d) = existing.iter().find(|d| d.head_person_id == Some(person)) {
            return Ok(Err(Refusal::AlreadyHeads(name.to_string(), d.name.clone())));
        }
    }
    let d = delegation::ActiveModel {
        conference_id: Set(conference_id.0),
        name: Set(form.name.clone()),
        kind: Set(form.kind.as_str().to_string()),
        country: Set(form.country.clone()),
        region: Set(form.region.map(str::to_string)),
        lead_organisation: Set(form.lead_organisation.clone()),
        head_person_id: Set(head.map(|h| h.0)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if let Some((person, _)) = head {
        crate::accounts::grant(db, conference_id, PersonId(person), Role::HeadOfDelegation).await?;
    }
    Ok(Ok(d))
}

pub async fn of_person(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    person_id: PersonId,
) -> Result<Option<registration::Model>, DbErr> {
    registration::Entity::find()
        .filter(registration::Column::ConferenceId.eq(conference_id.0))
        .filter(registration::Column::PersonId.eq(person_id.0))
        .one(db)
        .await
}

/// Register `person_id` (or register again after a withdrawal or rejection).
pub async fn register(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    person_id: PersonId,
    form: &Form,
) -> Result<Result<registration::Model, Refusal>, DbErr> {
    let Some(c) = conference::Entity::find_by_id(conference_id.0)
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Err(DbErr::RecordNotFound("conference".into()));
    };
    let now = Utc::now();
    if c.registration_opens_at.is_some_and(|t| now < t) {
        return Ok(Err(Refusal::NotOpenYet));
    }
    if c.registration_closes_at.is_some_and(|t| now >= t) {
        return Ok(Err(Refusal::Closed));
    }
    if let Some(d) = form.delegation_id {
        let ok = delegation::Entity::find_by_id(d)
            .filter(delegation::Column::ConferenceId.eq(conference_id.0))
            .one(db)
            .await?
            .is_some();
        if !ok {
            return Ok(Err(Refusal::UnknownDelegation));
        }
    }
    let existing = of_person(db, conference_id, person_id).await?;
    if let Some(e) = &existing {
        if Status::parse(&e.status).is_some_and(Status::holds_a_place) {
            return Ok(Err(Refusal::AlreadyRegistered));
        }
    }
    if let Some(cap) = c.registration_cap {
        let taken = registration::Entity::find()
            .filter(registration::Column::ConferenceId.eq(conference_id.0))
            .filter(registration::Column::Status.is_in(PLACE_HOLDING))
            .count(db)
            .await?;
        if taken >= cap.max(0) as u64 {
            return Ok(Err(Refusal::CapReached));
        }
    }
    let member_role = domain::registration::MemberRole::of(form.category);
    if let (Some(d), Some(role)) = (form.delegation_id, member_role) {
        use domain::registration::MemberRole;
        let cap = match role {
            MemberRole::Delegate => c.cap_delegates,
            MemberRole::Alternate => c.cap_alternates,
            MemberRole::Adviser => c.cap_advisers,
        };
        let plural = role.plural();
        if let Some(cap) = cap {
            let taken = registration::Entity::find()
                .filter(registration::Column::ConferenceId.eq(conference_id.0))
                .filter(registration::Column::DelegationId.eq(d))
                .filter(registration::Column::MemberRole.eq(role.as_str()))
                .filter(registration::Column::Status.is_in(PLACE_HOLDING))
                .filter(registration::Column::PersonId.ne(person_id.0))
                .count(db)
                .await?;
            if taken >= cap.max(0) as u64 {
                return Ok(Err(Refusal::MemberCapReached { role: plural, cap }));
            }
        }
    }
    let model = match existing {
        Some(e) => {
            registration::ActiveModel {
                id: Set(e.id),
                delegation_id: Set(form.delegation_id),
                category: Set(form.category.as_str().into()),
                member_role: Set(member_role.map(|r| r.as_str().to_string())),
                status: Set(Status::Pending.as_str().into()),
                status_reason: Set(None),
                needs: Set(form.needs.clone()),
                consent_listed: Set(form.consent_listed),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(db)
            .await?
        }
        None => {
            registration::ActiveModel {
                conference_id: Set(conference_id.0),
                person_id: Set(person_id.0),
                delegation_id: Set(form.delegation_id),
                category: Set(form.category.as_str().into()),
                member_role: Set(member_role.map(|r| r.as_str().to_string())),
                status: Set(Status::Pending.as_str().into()),
                status_reason: Set(None),
                needs: Set(form.needs.clone()),
                consent_listed: Set(form.consent_listed),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    Ok(Ok(model))
}

/// Withdraw one's own registration.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    person_id: PersonId,
) -> Result<Result<(), Refusal>, DbErr> {
    let Some(r) = of_person(db, conference_id, person_id).await? else {
        return Ok(Err(Refusal::NotRegistered));
    };
    let from = Status::parse(&r.status);
    if !from.is_some_and(|s| s.can_become(Status::Withdrawn)) {
        return Ok(Err(Refusal::NotRegistered));
    }
    set_status(db, &r, Status::Withdrawn, None).await?;
    Ok(Ok(()))
}

async fn set_status(
    db: &impl ConnectionTrait,
    r: &registration::Model,
    to: Status,
    reason: Option<String>,
) -> Result<(), DbErr> {
    registration::ActiveModel {
        id: Set(r.id),
        status: Set(to.as_str().into()),
        status_reason: Set(reason),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?;
    // accredited participants hold the delegate role in the conference; others do not
    let held = conference_role::Entity::find()
        .filter(conference_role::Column::ConferenceId.eq(r.conference_id))
        .filter(conference_role::Column::PersonId.eq(r.person_id))
        .filter(conference_role::Column::Role.eq(Role::Delegate.as_str()))
        .one(db)
        .await?;
    match (to, held) {
        (Status::Accredited, None) => {
            crate::accounts::grant(
                db,
                ConferenceId(r.conference_id),
                PersonId(r.person_id),
                Role::Delegate,
            )
            .await?;
        }
        (Status::Rejected | Status::Withdrawn, Some(h)) => {
            conference_role::Entity::delete_by_id(h.id).exec(db).await?;
        }
        _ => {}
    }
    Ok(())
}

/// A registration with who it is, for the organisers' queue.
pub struct Row {
    pub registration: registration::Model,
    pub person: person::Model,
    pub email: Option<String>,
    pub delegation: Option<delegation::Model>,
}

/// The registrations of a conference, oldest first, optionally filtered.
pub async fn list(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    status: Option<Status>,
    delegation_id: Option<DelegationId>,
) -> Result<Vec<Row>, DbErr> {
    let delegation_id = delegation_id.map(|x| x.0);
    let mut q = registration::Entity::find()
        .filter(registration::Column::ConferenceId.eq(conference_id.0))
        .order_by_asc(registration::Column::Id);
    if let Some(s) = status {
        q = q.filter(registration::Column::Status.eq(s.as_str()));
    }
    if let Some(d) = delegation_id {
        q = q.filter(registration::Column::DelegationId.eq(d));
    }
    let regs = q.all(db).await?;
    let delegations = delegations(db, conference_id).await?;
    let mut out = Vec::with_capacity(regs.len());
    for r in regs {
        let Some(p) = person::Entity::find_by_id(r.person_id).one(db).await? else {
            continue;
        };
        let email = account::Entity::find()
            .filter(account::Column::PersonId.eq(p.id))
            .one(db)
            .await?
            .map(|a| a.email);
        let delegation = r
            .delegation_id
            .and_then(|d| delegations.iter().find(|x| x.id == d).cloned());
        out.push(Row {
            registration: r,
            person: p,
            email,
            delegation,
        });
    }
    Ok(out)
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decided {
    /// registrations changed, with the e-mail of their person (to tell them)
    pub changed: Vec<(registration::Model, Option<String>)>,
    /// registrations left as they were, because they could not make that change
    pub skipped: usize,
}

/// Accredit or reject the given registrations. Those already in a state that cannot make the
/// change (an accredited one accredited again) are skipped and counted.
pub async fn decide(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    ids: &[RegistrationId],
    to: Status,
    reason: Option<String>,
) -> Result<Result<Decided, Refusal>, DbErr> {
    let ids: Vec<i32> = ids.iter().map(|x| x.0).collect();
    let regs = registration::Entity::find()
        .filter(registration::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    if regs.len() != ids.len() || regs.iter().any(|r| r.conference_id != conference_id.0) {
        return Ok(Err(Refusal::NotInConference));
    }
    let mut done = Decided::default();
    for r in regs {
        if Status::parse(&r.status).is_some_and(|s| s.can_become(to)) {
            set_status(db, &r, to, reason.clone()).await?;
            let email = account::Entity::find()
                .filter(account::Column::PersonId.eq(r.person_id))
                .one(db)
                .await?
                .map(|a| a.email);
            done.changed.push((r, email));
        } else {
            done.skipped += 1;
        }
    }
    Ok(Ok(done))
}

/// The registration settings of a conference, as the organiser sets them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    pub opens_at: Option<chrono::DateTime<Utc>>,
    pub closes_at: Option<chrono::DateTime<Utc>>,
    pub cap: Option<i32>,
    pub cap_delegates: Option<i32>,
    pub cap_alternates: Option<i32>,
    pub cap_advisers: Option<i32>,
}

pub async fn save_settings(
    db: &impl ConnectionTrait,
    conference_id: ConferenceId,
    s: &Settings,
) -> Result<(), DbErr> {
    conference::ActiveModel {
        id: Set(conference_id.0),
        registration_opens_at: Set(s.opens_at),
        registration_closes_at: Set(s.closes_at),
        registration_cap: Set(s.cap),
        cap_delegates: Set(s.cap_delegates),
        cap_alternates: Set(s.cap_alternates),
        cap_advisers: Set(s.cap_advisers),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
