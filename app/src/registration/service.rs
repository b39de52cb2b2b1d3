//! Registration and accreditation (server side): the form, one's own state, the organisers'
//! queue with filters and bulk decisions. Every decision is told to the registrant (outbox).

use crate::access::{Access, Caller};
use crate::dto::*;
use crate::error::{AppError, OrInternal};
use crate::registration::dto::*;
use chrono::Utc;
use db::registrations::{self as q, Refusal};
use db::DatabaseConnection;
use domain::ids::{ConferenceId, DelegationId, PersonId, RegistrationId};
use domain::live::Event;
use domain::permissions::Action;
use domain::registration::{self as rules, Category, Form, MemberRole, Status};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

fn refused(r: Refusal) -> AppError {
    match r {
        Refusal::UnknownDelegation => AppError::validation("delegation_id", r.to_string()),
        Refusal::NotInConference => AppError::not_found(r.to_string()),
        _ => AppError::conflict(r.to_string()),
    }
}

fn field(e: rules::FieldError) -> AppError {
    AppError::validation(e.field, e.message)
}

fn options_of_delegations(ds: Vec<db::entity::delegation::Model>) -> Vec<OptionDto> {
    ds.into_iter()
        .map(|d| OptionDto {
            value: d.id.to_string(),
            label: d.name,
        })
        .collect()
}

pub async fn page(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<RegistrationPageDto, AppError> {
    let access = caller.access(db, slug).await?;
    let c = &access.conference;
    let now = Utc::now();
    let closed_because = if c.registration_opens_at.is_some_and(|t| now < t) {
        Some(Refusal::NotOpenYet.to_string())
    } else if c.registration_closes_at.is_some_and(|t| now >= t) {
        Some(Refusal::Closed.to_string())
    } else {
        None
    };
    let delegations = q::delegations(db, ConferenceId(c.id)).await.or_internal()?;
    let mine = match &access.user {
        Some(u) => q::of_person(db, ConferenceId(c.id), u.person())
            .await
            .or_internal()?,
        None => None,
    }
    .map(|r| MyRegistrationDto {
        status_label: r.state().label().to_string(),
        status: r.state(),
        reason: r.status_reason,
        category_label: Category::parse(&r.category)
            .map_or("", |c| c.label())
            .to_string(),
        delegation: r
            .delegation_id
            .and_then(|d| delegations.iter().find(|x| x.id == d))
            .map(|d| d.name.clone()),
    });
    Ok(RegistrationPageDto {
        conference: crate::public::service::summary(c),
        logged_in: access.user.is_some(),
        open: closed_because.is_none(),
        closed_because,
        categories: Category::ALL
            .iter()
            .map(|c| OptionDto {
                value: c.as_str().into(),
                label: c.label().into(),
            })
            .collect(),
        delegations: options_of_delegations(delegations),
        mine,
    })
}

pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    category: &str,
    delegation_id: Option<&str>,
    needs: &str,
    consent_listed: bool,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::Register)?.clone();
    let delegation_id = match delegation_id.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<i32>().map_err(|_| {
            AppError::validation("delegation_id", Refusal::UnknownDelegation.to_string())
        })?),
    };
    let form = Form::parse(category, delegation_id, needs, consent_listed).map_err(field)?;
    db::write(db, async |txn| {
        // organisers with the queue open see it change (nothing if this write is refused)
        db::events::append(txn, access.conference_id(), &Event::registrations_changed())
            .await
            .or_internal()?;
        match q::register(txn, access.conference_id(), user.person(), &form)
            .await
            .or_internal()?
        {
            Ok(_) => {
                let body = format!(
                    "Hello {},\n\nwe have your registration for {} as {}. The organisers will review it; you will hear from us when it is accredited.\n",
                    user.name,
                    access.conference.title,
                    form.category.label().to_lowercase()
                );
                db::accounts::enqueue(
                    txn,
                    Some(access.conference_id()),
                    &user.email,
                    &format!("Registration received: {}", access.conference.title),
                    &body,
                )
                .await
                .or_internal()?;
                Ok(Notice {
                    message: "Thank you: your registration is pending. The organisers will review it, and we will tell you by e-mail.".into(),
                })
            }
            Err(r) => {
                Err(refused(r))
            }
        }
    })
    .await
}

pub async fn withdraw(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::Register)?.clone();
    db::write(db, async |txn| {
        // organisers with the queue open see it change (nothing if this write is refused)
        db::events::append(txn, access.conference_id(), &Event::registrations_changed())
            .await
            .or_internal()?;
        q::withdraw(txn, access.conference_id(), user.person())
            .await?
            .map_err(refused)?;
        Ok(Notice {
            message: "Your registration is withdrawn.".into(),
        })
    })
    .await
}

pub async fn queue(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    status: Option<&str>,
    delegation_id: Option<domain::ids::DelegationId>,
) -> Result<RegistrationQueueDto, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageRegistrations)?;
    let status =
        match status.filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                AppError::validation("status", "Choose one of the states listed.")
            })?),
        };
    let all = q::list(db, access.conference_id(), None, None)
        .await
        .or_internal()?;
    let counts = Status::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_string(),
                s.label().to_string(),
                all.iter().filter(|r| r.registration.state() == *s).count(),
            )
        })
        .collect();
    let mut pending_by_delegation: Vec<(i32, String, usize)> = Vec::new();
    for r in all
        .iter()
        .filter(|r| r.registration.state() == Status::Pending)
    {
        let Some(d) = &r.delegation else { continue };
        match pending_by_delegation
            .iter_mut()
            .find(|(id, _, _)| *id == d.id)
        {
            Some(entry) => entry.2 += 1,
            None => pending_by_delegation.push((d.id, d.name.clone(), 1)),
        }
    }
    pending_by_delegation.sort_by(|a, b| a.1.cmp(&b.1));
    let delegations = q::delegations(db, access.conference_id())
        .await
        .or_internal()?;
    let heads: Vec<i32> = delegations
        .iter()
        .filter_map(|d| d.head_person_id)
        .collect();
    let head_names = db::entity::person::Entity::find()
        .filter(db::entity::person::Column::Id.is_in(heads))
        .all(db)
        .await
        .or_internal()?;
    let delegation_list = delegations
        .iter()
        .map(|d| DelegationSummaryDto {
            id: DelegationId(d.id),
            name: d.name.clone(),
            kind_label: d.delegation_kind().label().to_string(),
            country: d.country.clone(),
            region: d.region.clone(),
            lead_organisation: d.lead_organisation.clone(),
            head: d.head_person_id.and_then(|h| {
                head_names
                    .iter()
                    .find(|p| p.id == h)
                    .map(|p| p.name.clone())
            }),
            members: all
                .iter()
                .filter(|r| r.registration.delegation_id == Some(d.id))
                .filter(|r| {
                    Status::parse(&r.registration.status).is_some_and(|s| s.holds_a_place())
                })
                .count(),
        })
        .collect();
    let rows = all
        .into_iter()
        .filter(|r| status.is_none_or(|s| r.registration.state() == s))
        .filter(|r| delegation_id.is_none_or(|d| r.registration.delegation_id == Some(d.0)))
        .map(|r| row_dto(r, true))
        .collect();
    let tz = crate::public::service::tz_of(&access.conference)?;
    let local = |t: Option<chrono::DateTime<Utc>>| crate::public::service::local_input_value(tz, t);
    let num = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let c = &access.conference;
    Ok(RegistrationQueueDto {
        settings: RegistrationSettingsDto {
            opens_at: local(c.registration_opens_at),
            closes_at: local(c.registration_closes_at),
            cap: num(c.registration_cap),
            cap_delegates: num(c.cap_delegates),
            cap_alternates: num(c.cap_alternates),
            cap_advisers: num(c.cap_advisers),
        },
        conference: crate::public::service::summary(&access.conference),
        rows,
        delegations: options_of_delegations(delegations.clone()),
        counts,
        pending_by_delegation,
        delegation_list,
        regions: rules::REGIONS.iter().map(|r| r.to_string()).collect(),
    })
}

pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    ids: Vec<RegistrationId>,
    decision: &str,
    reason: Option<&str>,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageRegistrations)?;
    if ids.is_empty() {
        return Err(AppError::validation(
            "ids",
            "Choose at least one registration first.",
        ));
    }
    let (to, reason) = match decision {
        "accredit" => (Status::Accredited, None),
        "reject" => (
            Status::Rejected,
            Some(rules::reason(reason.unwrap_or_default()).map_err(field)?),
        ),
        _ => {
            return Err(AppError::validation(
                "decision",
                "Choose to accredit or to reject.",
            ))
        }
    };
    let done = db::write(db, async |txn| {
        // organisers with the queue open see it change (nothing if this write is refused)
        db::events::append(txn, access.conference_id(), &Event::registrations_changed())
            .await
            .or_internal()?;
        decide_and_tell(txn, &access.conference, &ids, to, reason).await
    })
    .await?;
    Ok(Notice {
        message: decided_message(&done, to),
    })
}

/// Make the decision on `ids` and tell each registrant whose registration changed (outbox), in
/// the caller's write transaction.
async fn decide_and_tell(
    txn: &db::DatabaseTransaction,
    conference: &db::entity::conference::Model,
    ids: &[RegistrationId],
    to: Status,
    reason: Option<String>,
) -> Result<q::Decided, AppError> {
    let done = q::decide(txn, ConferenceId(conference.id), ids, to, reason.clone())
        .await?
        .map_err(refused)?;
    tell_registrants(
        txn,
        conference.id,
        &conference.title,
        &done,
        to,
        reason.as_deref(),
    )
    .await?;
    Ok(done)
}

/// The organiser adds a delegation, optionally naming its head by the address of their account.
#[allow(clippy::too_many_arguments)]
pub async fn create_delegation(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    name: &str,
    kind: &str,
    country: &str,
    region: &str,
    lead_organisation: &str,
    head_email: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageRegistrations)?;
    let form = rules::DelegationForm::parse(name, kind, country, region, lead_organisation)
        .map_err(field)?;
    // checked before the write lock is taken
    let head_email = match head_email.trim() {
        "" => None,
        e => Some(
            domain::accounts::Email::parse(e).map_err(|m| AppError::validation("head_email", m))?,
        ),
    };
    db::write(db, async |txn| {
        let head = match head_email {
            None => None,
            Some(email) => match db::accounts::by_email(txn, &email.key())
                .await
                .or_internal()?
            {
                Some((_, p)) => Some((p.id, p.name)),
                None => {
                    return Err(AppError::validation(
                        "head_email",
                        "No account uses this address: ask the head to create an account first, or leave the field empty and name the head later.",
                    ));
                }
            },
        };
        let created = q::create_delegation(
            txn,
            access.conference_id(),
            &form,
            head.as_ref().map(|(id, name)| (*id, name.as_str())),
        )
        .await
        .or_internal()?;
        let d = match created {
            Ok(d) => d,
            Err(r) => {
                return Err(AppError::conflict(r.to_string()));
            }
        };
        Ok(Notice {
            message: match head {
                Some((_, name)) => format!(
                    "The delegation of {} is added, headed by {name}, who can now nominate its members.",
                    d.name
                ),
                None => format!("The delegation of {} is added.", d.name),
            },
        })
    })
    .await
}

/// Accredit every pending registration of one delegation at once.
pub async fn accredit_delegation(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    delegation_id: domain::ids::DelegationId,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageRegistrations)?;
    db::write(db, async |txn| {
        // organisers with the queue open see it change (nothing if this write is refused)
        db::events::append(txn, access.conference_id(), &Event::registrations_changed())
            .await
            .or_internal()?;
        let Some(delegation) = q::delegations(txn, access.conference_id())
            .await?
            .into_iter()
            .find(|d| d.id == delegation_id.0)
        else {
            return Err(AppError::validation(
                "delegation_id",
                "Choose a delegation of this conference.",
            ));
        };
        let ids: Vec<RegistrationId> = q::list(
            txn,
            access.conference_id(),
            Some(Status::Pending),
            Some(delegation_id),
        )
        .await?
        .into_iter()
        .map(|r| RegistrationId(r.registration.id))
        .collect();
        if ids.is_empty() {
            return Ok(Notice {
                message: format!(
                    "{}: no registration is waiting for a decision.",
                    delegation.name
                ),
            });
        }
        let done = decide_and_tell(txn, &access.conference, &ids, Status::Accredited, None).await?;
        Ok(Notice {
            message: format!(
                "{}: {}",
                delegation.name,
                decided_message(&done, Status::Accredited)
            ),
        })
    })
    .await
}

/// One registration as a table row; `with_needs` only where organisers read them (the queue).
fn row_dto(r: q::Row, with_needs: bool) -> RegistrationRowDto {
    let status = r.registration.state();
    RegistrationRowDto {
        id: RegistrationId(r.registration.id),
        name: r.person.name,
        email: r.email,
        category_label: Category::parse(&r.registration.category)
            .map_or("", |c| c.label())
            .to_string(),
        delegation: r.delegation.map(|d| d.name),
        status_label: status.label().to_string(),
        status,
        reason: r.registration.status_reason,
        needs: if with_needs {
            r.registration.needs
        } else {
            String::new()
        },
        consent_listed: r.registration.consent_listed,
        registered_at: r.registration.created_at.to_rfc3339(),
    }
}

/// Tell each registrant whose registration changed, through the outbox.
async fn tell_registrants(
    txn: &impl sea_orm::ConnectionTrait,
    conference_id: i32,
    title: &str,
    done: &q::Decided,
    to: Status,
    reason: Option<&str>,
) -> Result<(), AppError> {
    for (_, email) in &done.changed {
        let Some(email) = email else { continue };
        let (subject, body) = match to {
            Status::Accredited => (
                format!("Accredited: {title}"),
                format!("Your registration for {title} is accredited. You can now sign up for the fora in the programme."),
            ),
            _ => (
                format!("Registration not accepted: {title}"),
                format!(
                    "Your registration for {title} was not accepted.\n\nReason: {}\n\nIf you think this is a mistake, reply to the organisers.",
                    reason.unwrap_or_default()
                ),
            ),
        };
        db::accounts::enqueue(
            txn,
            Some(ConferenceId(conference_id)),
            email,
            &subject,
            &body,
        )
        .await
        .or_internal()?;
    }
    Ok(())
}

fn decided_message(done: &q::Decided, to: Status) -> String {
    let n = done.changed.len();
    let verb = if to == Status::Accredited {
        "accredited"
    } else {
        "rejected"
    };
    let mut message = format!("{n} registration{} {verb}.", if n == 1 { "" } else { "s" });
    if done.skipped > 0 {
        message.push_str(&format!(
            " {} left as they were (already decided or withdrawn).",
            done.skipped
        ));
    }
    message
}

/// Accredited participants who consented to be listed, grouped by country (of their
/// delegation, else their own; "Other" when neither is known). Public.
pub async fn participants(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<ParticipantsDto, AppError> {
    let c = db::queries::conference_by_slug(db, slug)
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("There is no conference at this address."))?;
    let rows = q::list(db, ConferenceId(c.id), Some(Status::Accredited), None)
        .await
        .or_internal()?;
    let mut groups: std::collections::BTreeMap<String, Vec<ParticipantDto>> = Default::default();
    let mut total = 0;
    for r in rows.into_iter().filter(|r| r.registration.consent_listed) {
        let country = r
            .delegation
            .as_ref()
            .and_then(|d| d.country.clone())
            .or(r.person.country.clone())
            .unwrap_or_else(|| "Other".into());
        total += 1;
        groups.entry(country).or_default().push(ParticipantDto {
            name: r.person.name,
            delegation: r.delegation.map(|d| d.name),
            category_label: Category::parse(&r.registration.category)
                .map_or("", |c| c.label())
                .to_string(),
        });
    }
    let groups = groups
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_by(|a, b| a.name.cmp(&b.name));
            (k, v)
        })
        .collect();
    Ok(ParticipantsDto {
        conference: crate::public::service::summary(&c),
        groups,
        total,
    })
}

/// The organiser sets the registration window (in the conference's time zone) and the caps.
pub async fn save_settings(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    form: RegistrationSettingsDto,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageRegistrations)?;
    let tz = crate::public::service::tz_of(&access.conference)?;
    let time = |field: &'static str, v: &str| crate::public::service::local_input(tz, field, v);
    let count = |field: &'static str, v: &str| -> Result<Option<i32>, AppError> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<i32>() {
            Ok(n) if (0..=100_000).contains(&n) => Ok(Some(n)),
            _ => Err(AppError::validation(
                field,
                "Enter a whole number from 0 to 100,000, or leave it empty for no limit.",
            )),
        }
    };
    let settings = q::Settings {
        opens_at: time("opens_at", &form.opens_at)?,
        closes_at: time("closes_at", &form.closes_at)?,
        cap: count("cap", &form.cap)?,
        cap_delegates: count("cap_delegates", &form.cap_delegates)?,
        cap_alternates: count("cap_alternates", &form.cap_alternates)?,
        cap_advisers: count("cap_advisers", &form.cap_advisers)?,
    };
    if let (Some(o), Some(c)) = (settings.opens_at, settings.closes_at) {
        if c <= o {
            return Err(AppError::validation(
                "closes_at",
                "Registration must close after it opens.",
            ));
        }
    }
    db::write(db, async |txn| {
        q::save_settings(txn, access.conference_id(), &settings)
            .await
            .or_internal()?;
        Ok(Notice {
            message: "Registration settings saved.".into(),
        })
    })
    .await
}

/// The delegation the asker heads in this conference (403 if none).
async fn headed_delegation(
    db: &DatabaseConnection,
    access: &Access,
) -> Result<db::entity::delegation::Model, AppError> {
    let user = access.require(Action::NominateDelegationMembers)?;
    q::delegations(db, access.conference_id())
        .await
        .or_internal()?
        .into_iter()
        .find(|d| d.head_person_id == Some(user.person_id))
        .ok_or_else(|| AppError::forbidden("You do not head a delegation in this conference."))
}

pub async fn my_delegation(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<DelegationDto, AppError> {
    let access = caller.access(db, slug).await?;
    let d = headed_delegation(db, &access).await?;
    let rows = q::list(db, access.conference_id(), None, Some(DelegationId(d.id)))
        .await
        .or_internal()?;
    let c = &access.conference;
    let nominations = db::accounts::open_nominations(db, DelegationId(d.id))
        .await
        .or_internal()?;
    let live = |role| places_taken(&rows, &nominations, role);
    let caps = vec![
        (
            "Delegates".to_string(),
            live(MemberRole::Delegate),
            c.cap_delegates,
        ),
        (
            "Alternates".to_string(),
            live(MemberRole::Alternate),
            c.cap_alternates,
        ),
        (
            "Advisers".to_string(),
            live(MemberRole::Adviser),
            c.cap_advisers,
        ),
    ];
    let own_registration = rows
        .iter()
        .find(|r| Some(r.person.id) == d.head_person_id)
        .map(|r| RegistrationId(r.registration.id));
    let members = rows.into_iter().map(|r| row_dto(r, false)).collect();
    let nominations = nominations
        .into_iter()
        .map(|n| NominationDto {
            member_role_label: n
                .role_in_delegation()
                .unwrap_or(MemberRole::Delegate)
                .label()
                .to_string(),
            name: n.invitee_name.unwrap_or_default(),
            email: n.email.unwrap_or_default(),
            expires_at: n.expires_at.to_rfc3339(),
        })
        .collect();
    Ok(DelegationDto {
        nominations,
        conference: crate::public::service::summary(c),
        id: DelegationId(d.id),
        name: d.name,
        country: d.country,
        lead_organisation: d.lead_organisation,
        members,
        own_registration,
        caps,
    })
}

/// The head withdraws a member of their own delegation.
pub async fn withdraw_member(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    registration_id: domain::ids::RegistrationId,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let d = headed_delegation(db, &access).await?;
    db::write(db, async |txn| {
        // organisers with the queue open see it change (nothing if this write is refused)
        db::events::append(txn, access.conference_id(), &Event::registrations_changed())
            .await
            .or_internal()?;
        let Some(r) = db::entity::registration::Entity::find_by_id(registration_id)
            .one(txn)
            .await
            .or_internal()?
            .filter(|r| r.delegation_id == Some(d.id))
        else {
            return Err(AppError::not_found(
                "There is no such member in your delegation.",
            ));
        };
        if Some(r.person_id) == d.head_person_id {
            return Err(AppError::conflict(
                "You head this delegation: withdraw your own registration on the registration \
                 page (the delegation then needs a new head).",
            ));
        }
        match q::withdraw(txn, access.conference_id(), PersonId(r.person_id))
            .await
            .or_internal()?
        {
            Ok(()) => Ok(Notice {
                message: "The member is withdrawn from the delegation.".into(),
            }),
            Err(_) => Err(AppError::conflict(
                "This member is already withdrawn or was rejected.",
            )),
        }
    })
    .await
}

/// Places a delegation has taken in one member role: live registrations (pending or
/// accredited) and nominations not yet taken up.
fn places_taken(
    rows: &[q::Row],
    nominations: &[db::entity::invitation::Model],
    member_role: MemberRole,
) -> usize {
    rows.iter()
        .filter(|r| {
            r.registration.role_in_delegation() == Some(member_role)
                && r.registration.state().holds_a_place()
        })
        .count()
        + nominations
            .iter()
            .filter(|n| n.role_in_delegation() == Some(member_role))
            .count()
}

/// The head nominates a member: an invitation to register with the delegation, within the
/// caps (open nominations count against them).
pub async fn nominate(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    name: &str,
    email: &str,
    member_role: &str,
    public_url: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    let d = headed_delegation(db, &access).await?;
    let head = access.user.clone().ok_or_else(AppError::unauthorised)?;
    let name =
        domain::accounts::PersonName::parse(name).map_err(|m| AppError::validation("name", m))?;
    let email =
        domain::accounts::Email::parse(email).map_err(|m| AppError::validation("email", m))?;
    let member_role = MemberRole::parse(member_role).ok_or_else(|| {
        AppError::validation("member_role", "Choose delegate, alternate or adviser.")
    })?;
    let cap = match member_role {
        MemberRole::Delegate => access.conference.cap_delegates,
        MemberRole::Alternate => access.conference.cap_alternates,
        MemberRole::Adviser => access.conference.cap_advisers,
    };
    let plural = member_role.plural();
    db::write(db, async |txn| {
        // organisers with the queue open see it change (nothing if this write is refused)
        db::events::append(txn, access.conference_id(), &Event::registrations_changed())
            .await
            .or_internal()?;
        // the conference row serialises nominations and registrations against the caps
        let _lock = db::entity::conference::Entity::find_by_id(access.conference.id)
            .lock_exclusive()
            .one(txn)
            .await
            .or_internal()?;
        if let Some(cap) = cap {
            let rows = q::list(txn, access.conference_id(), None, Some(DelegationId(d.id)))
                .await
                .or_internal()?;
            let nominations = db::accounts::open_nominations(txn, DelegationId(d.id))
                .await
                .or_internal()?;
            let live = places_taken(&rows, &nominations, member_role);
            if live >= cap.max(0) as usize {
                return Err(AppError::conflict(format!(
                    "Your delegation already has its {cap} {plural}, counting open nominations."
                )));
            }
        }
        let token = db::accounts::nominate(
            txn,
            access.conference_id(),
            DelegationId(d.id),
            member_role,
            name.as_str(),
            &email.key(),
            head.person(),
            chrono::Duration::days(crate::accounts::service::INVITATION_DAYS),
        )
        .await
        .or_internal()?;
        let body = format!(
            "Hello {},\n\n{} nominates you as {} of the delegation of {} to {}.\nComplete your registration here (log in or create an account first; valid for {} days):\n{public_url}/invitations/{token}\n",
            name.as_str(),
            head.name,
            member_role.label().to_lowercase(),
            d.name,
            access.conference.title,
            crate::accounts::service::INVITATION_DAYS,
        );
        db::accounts::enqueue(
            txn,
            Some(access.conference_id()),
            &email.key(),
            &format!("Nomination: {}", access.conference.title),
            &body,
        )
        .await
        .or_internal()?;
        Ok(Notice {
            message: format!(
                "{} is nominated; we have sent them a link to complete their registration.",
                name.as_str()
            ),
        })
    })
    .await
}
