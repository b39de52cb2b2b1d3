//! Accounts and roles on the server: log-in with rate limiting, sign-up with a confirmation
//! link, password change and reset, the outbox, roles and invitations. Each write runs in one
//! transaction; no answer reveals whether an e-mail address has an account.

use crate::access::Caller;
use crate::accounts::dto::*;
use crate::auth::{hash_password, AuthSession, Credentials, User};
use crate::dto::*;
use crate::error::{AppError, OrInternal};
use chrono::Duration;
use db::accounts::{self as q, TokenPurpose};
use db::DatabaseConnection;
use domain::accounts::{Email, NewPassword, PersonName};
use domain::ids::{AccountId, ConferenceId, PersonId, RoleId};
use domain::notifications::Notification;
use domain::permissions::{Action, Role};

/// Sign-up and reset requests answer no sooner than this, whether or not the address has an
/// account, so that their timing does not tell.
const EVEN_ANSWER: std::time::Duration = std::time::Duration::from_millis(300);

/// Wait until `EVEN_ANSWER` has passed since `start`.
async fn even_answer(start: std::time::Instant) {
    if let Some(rest) = EVEN_ANSWER.checked_sub(start.elapsed()) {
        tokio::time::sleep(rest).await;
    }
}

fn email_field(input: &str) -> Result<Email, AppError> {
    Email::parse(input).map_err(|m| AppError::validation("email", m))
}

/// Only same-site paths of plain characters are followed after log-in: no `//host`, no
/// backslash, no white space or control characters (`/\t/evil.example` would be read as
/// `//evil.example`, and a line break cannot go into a header).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2000
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Put a message in the outbox (with the conference it is about, if any). The server log gets
/// its id and subject only: bodies carry live links.
async fn send(
    txn: &impl sea_orm::ConnectionTrait,
    conference: Option<i32>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    let m = q::enqueue(txn, conference.map(ConferenceId), to, subject, body)
        .await
        .or_internal()?;
    tracing::info!(target: "outbox", id = m.id, %subject, "message queued");
    Ok(())
}

pub async fn whoami(
    db: &DatabaseConnection,
    user: Option<User>,
) -> Result<Option<UserDto>, AppError> {
    let Some(u) = user else { return Ok(None) };
    let roles = q::roles_everywhere(db, u.person())
        .await
        .or_internal()?
        .into_iter()
        .map(|(slug, role)| RoleDto {
            conference_slug: slug,
            role,
            label: role.label().to_string(),
        })
        .collect();
    Ok(Some(UserDto {
        name: u.name,
        email: u.email,
        roles,
    }))
}

pub async fn log_in(
    db: &DatabaseConnection,
    caller: &Caller,
    auth: &mut AuthSession,
    email: &str,
    password: String,
) -> Result<(), AppError> {
    let email = email_field(email)?;
    if password.is_empty() {
        return Err(AppError::validation("password", "Enter your password."));
    }
    if password.chars().count() > NewPassword::MAX {
        return Err(AppError::validation(
            "password",
            "A password has at most 128 characters.",
        ));
    }
    caller.limits.log_in(caller.client)?;
    let key = email.key();
    // counted before the password is checked, so parallel guesses cannot share one check
    if let q::LoginTurn::Wait(secs) = q::reserve_login(db, &key).await.or_internal()? {
        return Err(AppError::too_many(
            format!("Too many failed log-in attempts for this address. Wait {secs} seconds and try again, or choose a new password."),
            secs as u64,
        ));
    }
    let user = auth
        .authenticate(Credentials {
            email_key: key.clone(),
            password,
        })
        .await
        .map_err(|e| match e {
            axum_login::Error::Backend(crate::auth::BackendError::Check(e)) => e,
            e => {
                tracing::error!(error = %e, "log-in backend failed");
                AppError::internal()
            }
        })?;
    let Some(user) = user else {
        return Err(AppError::new(
            crate::error::ErrorKind::Unauthorised,
            "That e-mail address and password do not match an account.",
        ));
    };
    // the password was right: the attempt is not a failure
    db::write(db, async |txn| q::clear_failures(txn, &key).await)
        .await
        .or_internal()?;
    if !user.confirmed {
        return Err(AppError::forbidden(
            "Confirm your e-mail address first: follow the link in the message we sent you.",
        ));
    }
    crate::auth::log_in_as(auth, &user).await
}

pub async fn log_out(auth: &mut AuthSession) -> Result<(), AppError> {
    auth.logout().await.map(|_| ()).map_err(|e| {
        tracing::error!(error = %e, "cannot end the session");
        AppError::internal()
    })
}

pub const SIGN_UP_NOTICE: &str = "Thank you. We have sent a message to that address: follow its link to confirm your account. If nothing arrives within a few minutes, check the address and your spam folder.";

pub async fn sign_up(
    db: &DatabaseConnection,
    caller: &Caller,
    name: &str,
    email: &str,
    password: &str,
    idempotency_key: Option<&str>,
) -> Result<Notice, AppError> {
    let once = crate::idempotency::Once::parse(idempotency_key, "sign_up", None)?;
    let name = PersonName::parse(name).map_err(|m| AppError::validation("name", m))?;
    let email = email_field(email)?;
    let password = NewPassword::parse(password).map_err(|m| AppError::validation("password", m))?;
    let key = email.key();
    caller.limits.sign_up(caller.client, &key)?;
    let start = std::time::Instant::now();
    // hash in every case, so that answering takes as long whether or not the address is known
    let hash = hash_password(password.expose().to_string()).await?;
    let base = caller.site.public_url.clone();
    let notice = Notice {
        message: SIGN_UP_NOTICE.into(),
    };
    let answer = db::write(db, async |txn| -> Result<Notice, AppError> {
    // sent again (the first answer was lost): the account exists, no second message
    if let Some(earlier) = once.earlier::<Notice>(txn).await? {
        return Ok(earlier);
    }
    match q::by_email(txn, &key).await.or_internal()? {
        Some((a, p)) => {
            let body = format!(
                "Hello {},\n\nsomeone (perhaps you) tried to create an account with this address, but you already have one.\nLog in at {base}/login, or choose a new password at {base}/password/forgot.\n\nIf this was not you, you can ignore this message.",
                p.name
            );
            send(txn, None, &a.email, "You already have an account", &body).await?;
        }
        None => {
            let a = q::create(txn, name.as_str(), &key, hash)
                .await
                .or_internal()?;
            let token = q::issue_token(txn, AccountId(a.id), TokenPurpose::Confirm, Duration::hours(48))
                .await
                .or_internal()?;
            let body = format!(
                "Hello {},\n\nconfirm your account by opening this link (valid for 48 hours):\n{base}/account/confirm?token={token}\n\nIf you did not sign up, you can ignore this message.",
                name.as_str()
            );
            send(txn, None, &key, "Confirm your account", &body).await?;
        }
    }
    once.record(txn, &notice).await?;
    Ok(notice)
    })
    .await?;
    even_answer(start).await;
    Ok(answer)
}

const BAD_LINK: &str =
    "This link is not valid any more: it was used already or has expired. Ask for a new one.";

/// Confirm an account from its link, and log its owner in.
pub async fn confirm(
    db: &DatabaseConnection,
    auth: &mut AuthSession,
    token: &str,
) -> Result<(), AppError> {
    let account_id = db::write(db, async |txn| {
        let Some(account_id) = q::take_token(txn, token, TokenPurpose::Confirm).await? else {
            return Err(AppError::not_found(BAD_LINK));
        };
        q::confirm(txn, AccountId(account_id)).await?;
        Ok(account_id)
    })
    .await?;
    login_account(auth, account_id).await
}

async fn login_account(auth: &mut AuthSession, account_id: i32) -> Result<(), AppError> {
    use axum_login::AuthnBackend;
    let user = auth
        .backend
        .get_user(&account_id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "cannot load the account to log in");
            AppError::internal()
        })?
        .ok_or_else(AppError::internal)?;
    crate::auth::log_in_as(auth, &user).await
}

pub const RESET_NOTICE: &str = "If an account exists for that address, we have sent it a link to choose a new password. The link is valid for one hour.";

pub async fn request_reset(
    db: &DatabaseConnection,
    caller: &Caller,
    email: &str,
) -> Result<Notice, AppError> {
    let email = email_field(email)?;
    caller.limits.reset(caller.client, &email.key())?;
    let start = std::time::Instant::now();
    let base = caller.site.public_url.clone();
    db::write(db, async |txn| {
        if let Some((a, p)) = q::by_email(txn, &email.key()).await? {
            let token = q::issue_token(txn, AccountId(a.id), TokenPurpose::Reset, Duration::hours(1)).await?;
            let body = format!(
                "Hello {},\n\nchoose a new password by opening this link (valid for one hour):\n{base}/password/reset?token={token}\n\nIf you did not ask for this, you can ignore this message; your password stays as it is.",
                p.name
            );
            send(txn, None, &a.email, "Choose a new password", &body).await?;
        }
        Ok::<_, AppError>(())
    })
    .await?;
    even_answer(start).await;
    Ok(Notice {
        message: RESET_NOTICE.into(),
    })
}

/// Set a new password from a reset link; this also confirms the address, ends every other
/// session of the account, lifts the log-in limit, and logs its owner in.
pub async fn reset_password(
    db: &DatabaseConnection,
    auth: &mut AuthSession,
    token: &str,
    password: &str,
) -> Result<(), AppError> {
    let password = NewPassword::parse(password).map_err(|m| AppError::validation("password", m))?;
    let hash = hash_password(password.expose().to_string()).await?;
    let account_id = db::write(db, async |txn| {
        let Some(account_id) = q::take_token(txn, token, TokenPurpose::Reset).await? else {
            return Err(AppError::not_found(BAD_LINK));
        };
        q::set_password(txn, AccountId(account_id), hash).await?;
        q::confirm(txn, AccountId(account_id)).await?;
        if let Some((a, _)) = q::by_id(txn, AccountId(account_id)).await? {
            q::clear_failures(txn, &a.email).await?;
        }
        Ok(account_id)
    })
    .await?;
    login_account(auth, account_id).await
}

/// Change the password of the logged-in user; other sessions end, this one stays.
pub async fn change_password(
    db: &DatabaseConnection,
    auth: &mut AuthSession,
    current: String,
    new: &str,
) -> Result<Notice, AppError> {
    let user = auth.user.clone().ok_or_else(AppError::unauthorised)?;
    let new = NewPassword::parse(new).map_err(|m| AppError::validation("new_password", m))?;
    if !crate::auth::check_current_password(&user, current).await? {
        return Err(AppError::validation(
            "current_password",
            "That is not your current password.",
        ));
    }
    let hash = hash_password(new.expose().to_string()).await?;
    db::write(db, async |txn| {
        q::set_password(txn, user.account(), hash).await
    })
    .await
    .or_internal()?;
    login_account(auth, user.account_id).await?;
    Ok(Notice {
        message: "Your password has been changed. Other devices where you were logged in have been logged out.".into(),
    })
}

/// The outbox as an organiser sees it: the messages about the conferences they organise
/// (account messages, such as confirmations and resets, are nobody's to read), with every
/// live link's secret masked: enough to see that a message went out, not to use it.
pub async fn outbox(
    db: &DatabaseConnection,
    user: Option<User>,
) -> Result<Vec<OutboxMessageDto>, AppError> {
    let user = user.ok_or_else(AppError::unauthorised)?;
    let mine: Vec<ConferenceId> = q::organised_conferences(db, user.person())
        .await
        .or_internal()?;
    if mine.is_empty() {
        return Err(AppError::forbidden(domain::permissions::refusal(
            &domain::permissions::Actor::signed_in([]),
            Action::ReadOutbox,
        )));
    }
    Ok(q::outbox_page(db, &mine, 200)
        .await
        .or_internal()?
        .into_iter()
        .map(|m| OutboxMessageDto {
            id: MessageId(m.id),
            to: m.to_email,
            subject: m.subject,
            body: domain::accounts::mask_secrets(&m.body),
            created_at: m.created_at.to_rfc3339(),
            created_label: m.created_at.format("%-d %B %Y, %H:%M UTC").to_string(),
            sent: m.sent_at.is_some(),
            delivery: match (&m.sent_at, &m.last_error) {
                (Some(_), _) => "sent".into(),
                (None, Some(e)) if m.attempts >= db::accounts::MAX_ATTEMPTS => {
                    format!("not sent, gave up after {} attempts: {e}", m.attempts)
                }
                (None, Some(e)) => format!("not sent yet ({} attempts): {e}", m.attempts),
                (None, None) => "not sent".into(),
            },
        })
        .collect())
}

async fn conference_by_id(
    db: &impl sea_orm::ConnectionTrait,
    id: i32,
) -> Result<db::entity::conference::Model, AppError> {
    use sea_orm::EntityTrait;
    db::entity::conference::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found("There is no such conference."))
}

fn role_field(role: &str) -> Result<Role, AppError> {
    Role::parse(role).ok_or_else(|| AppError::validation("role", "Choose one of the roles listed."))
}

pub async fn roles_page(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
) -> Result<RolesPageDto, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageRoles)?;
    let holders = q::role_holders(db, access.conference_id())
        .await
        .or_internal()?
        .into_iter()
        .filter_map(|(r, p, email)| {
            r.role_held().map(|role| RoleHolderDto {
                id: RoleId(r.id),
                person_name: p.name,
                email,
                role,
                label: role.label().to_string(),
            })
        })
        .collect();
    Ok(RolesPageDto {
        conference: crate::public::service::summary(&access.conference),
        holders,
    })
}

pub async fn grant_role(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    email: &str,
    role: &str,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageRoles)?;
    let role = role_field(role)?;
    let email = email_field(email)?;
    db::write(db, async |txn| {
        // Organisers may learn whether an address has an account: they need to know whom to invite.
        let Some((_, p)) = q::by_email(txn, &email.key()).await.or_internal()? else {
            return Err(AppError::validation(
                "email",
                "No account uses this address. Create an invitation link instead and send it to them.",
            ));
        };
        let new = q::grant(txn, access.conference_id(), PersonId(p.id), role)
            .await
            .or_internal()?;
        Ok(Notice {
            message: if new {
                format!("{} is now {} here.", p.name, role.label().to_lowercase())
            } else {
                format!("{} already held this role.", p.name)
            },
        })
    })
    .await
}

pub async fn revoke_role(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    role_id: domain::ids::RoleId,
) -> Result<Notice, AppError> {
    let access = caller.access(db, slug).await?;
    access.require(Action::ManageRoles)?;
    db::write(db, async |txn| {
        let Some(removed) = q::revoke(txn, access.conference_id(), role_id)
            .await
            .or_internal()?
        else {
            return Err(AppError::not_found("That role was already revoked."));
        };
        if removed.role_held() == Some(Role::Organiser)
            && q::count_role(txn, access.conference_id(), Role::Organiser)
                .await
                .or_internal()?
                == 0
        {
            return Err(AppError::conflict(
                "This is the conference's last organiser. Grant the role to someone else first.",
            ));
        }
        Ok(Notice {
            message: "Role revoked.".into(),
        })
    })
    .await
}

pub const INVITATION_DAYS: i64 = 14;

pub async fn create_invitation(
    db: &DatabaseConnection,
    caller: &Caller,
    slug: &str,
    role: &str,
    email: Option<&str>,
) -> Result<InvitationDto, AppError> {
    let access = caller.access(db, slug).await?;
    let user = access.require(Action::ManageRoles)?.clone();
    let role = role_field(role)?;
    let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Some(email_field(e)?),
        None => None,
    };
    let base = caller.site.public_url.clone();
    db::write(db, async |txn| {
        let token = q::invite(
            txn,
            access.conference_id(),
            role,
            email.as_ref().map(|e| e.key()),
            user.person(),
            Duration::days(INVITATION_DAYS),
        )
        .await
        .or_internal()?;
        let link = format!("{base}/invitations/{token}");
        if let Some(e) = &email {
            let body = format!(
                "Hello,\n\n{} invites you to take part in {} as {}.\nAccept the invitation here (valid for {INVITATION_DAYS} days):\n{link}\n",
                user.name,
                access.conference.title,
                role.label().to_lowercase()
            );
            send(
                txn,
                Some(access.conference.id),
                &e.key(),
                &format!("Invitation: {}", access.conference.title),
                &body,
            )
            .await?;
        }
        Ok(InvitationDto {
            link,
            role_label: role.label().to_string(),
            expires_in_days: INVITATION_DAYS,
        })
    })
    .await
}

const BAD_INVITATION: &str =
    "This invitation is not valid any more: it was used already or has expired. Ask the organisers for a new one.";

pub async fn invitation_offer(
    db: &DatabaseConnection,
    token: &str,
) -> Result<InvitationOfferDto, AppError> {
    let inv = q::open_invitation(db, token)
        .await
        .or_internal()?
        .ok_or_else(|| AppError::not_found(BAD_INVITATION))?;
    let c = conference_by_id(db, inv.conference_id).await?;
    let role = inv.role_granted().ok_or_else(|| {
        tracing::error!(role = %inv.role, "an invitation carries a role no version knows");
        AppError::internal()
    })?;
    Ok(InvitationOfferDto {
        conference_title: c.title,
        conference_slug: c.slug,
        role_label: role.label().to_string(),
    })
}

/// Accept an invitation as the logged-in user: grants its role, once.
pub async fn accept_invitation(
    db: &DatabaseConnection,
    user: Option<User>,
    token: &str,
) -> Result<String, AppError> {
    let user = user.ok_or_else(AppError::unauthorised)?;
    db::write(db, async |txn| {
        let Some(inv) = q::open_invitation(txn, token).await.or_internal()? else {
            return Err(AppError::not_found(BAD_INVITATION));
        };
        // an invitation sent to an address is for the account of that address only
        if inv.email.as_deref().is_some_and(|to| to != user.email) {
            return Err(AppError::forbidden(
                "This invitation was sent to another e-mail address. Log in with the account of that address to accept it.",
            ));
        }
        if !q::use_invitation(txn, token, user.person())
            .await
            .or_internal()?
        {
            return Err(AppError::not_found(BAD_INVITATION));
        }
        let role = inv.role_granted().ok_or_else(|| {
            tracing::error!(role = %inv.role, "an invitation carries a role no version knows");
            AppError::internal()
        })?;
        q::grant(txn, ConferenceId(inv.conference_id), user.person(), role)
            .await
            .or_internal()?;
        let c = conference_by_id(txn, inv.conference_id).await?;
        Ok(match (inv.delegation_id, inv.role_in_delegation()) {
            // a nomination: on to the registration form, with the delegation chosen
            (Some(d), Some(role)) => format!(
                "/conferences/{}/register?delegation={d}&category={}",
                c.slug,
                role.category().as_str()
            ),
            _ => format!("/conferences/{}", c.slug),
        })
    })
    .await
}

/// The notifications the logged-in person gets or turned off.
pub async fn notifications(
    db: &DatabaseConnection,
    user: Option<User>,
) -> Result<Vec<NotificationSettingDto>, AppError> {
    let user = user.ok_or_else(AppError::unauthorised)?;
    let off = db::notifications::opt_outs(db, user.person())
        .await
        .or_internal()?;
    Ok(settings(&off))
}

fn settings(off: &[Notification]) -> Vec<NotificationSettingDto> {
    Notification::ALL
        .into_iter()
        .map(|n| NotificationSettingDto {
            kind: n.as_str().to_owned(),
            label: n.label().to_owned(),
            on: !off.contains(&n),
        })
        .collect()
}

/// Of the notifications `offered` (kinds), the logged-in person keeps those in `on` and turns
/// off the others; those not offered stay as they were.
pub async fn set_notifications(
    db: &DatabaseConnection,
    user: Option<User>,
    offered: &[String],
    on: &[String],
) -> Result<Notice, AppError> {
    let user = user.ok_or_else(AppError::unauthorised)?;
    let parse = |kinds: &[String], field: &str| -> Result<Vec<Notification>, AppError> {
        kinds
            .iter()
            .map(|k| {
                Notification::parse(k).ok_or_else(|| {
                    AppError::validation(field, "Choose among the notifications listed.")
                })
            })
            .collect()
    };
    let offered = parse(offered, "offered")?;
    let kept = parse(on, "on")?;
    if offered.is_empty() || kept.iter().any(|k| !offered.contains(k)) {
        return Err(AppError::validation(
            "on",
            "Choose among the notifications listed.",
        ));
    }
    let off = db::write(db, async |txn| {
        let mut off = db::notifications::opt_outs(txn, user.person()).await?;
        off.retain(|n| !offered.contains(n));
        off.extend(offered.iter().filter(|n| !kept.contains(n)));
        db::notifications::set_opt_outs(txn, user.person(), &off).await?;
        Ok::<_, sea_orm::DbErr>(off)
    })
    .await
    .or_internal()?;
    Ok(Notice {
        message: match off.len() {
            0 => "You will get every notification.".to_owned(),
            n if n == Notification::ALL.len() => "You will get no notification.".to_owned(),
            n => format!(
                "Saved: {n} notification{} turned off.",
                if n == 1 { "" } else { "s" }
            ),
        },
    })
}

/// The last line of every notification: how to stop it.
pub const OPT_OUT_LINE: &str =
    "\n\nYou can turn off messages like this one on your account page, under Notifications.";
