//! Pages for accounts and roles: log in, sign up, confirm, forgotten and reset password, the
//! account page, the outbox, a conference's people and roles, and invitations. Every form is
//! an `ActionForm`, so it works before (or without) the WASM.

use crate::accounts::api::*;
use crate::accounts::dto::*;
use crate::error::AppError;
use crate::ui::form::{error_of, urlencode, Field, FormAlert, NoticeView};
use crate::ui::page::{ErrorView, Loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Bumped after log-in and log-out, so that the header asks again who is logged in.
#[derive(Clone, Copy)]
pub struct AuthEpoch(pub RwSignal<u32>);

/// The logged-in user, for the header and any page that adapts to them.
pub type CurrentUser = Resource<Result<Option<UserDto>, AppError>>;

pub fn provide_auth() -> CurrentUser {
    let epoch = RwSignal::new(0u32);
    provide_context(AuthEpoch(epoch));
    let user = Resource::new(move || epoch.get(), |_| whoami());
    provide_context(user);
    user
}

fn bump_auth_on_success<T, S>(value: S)
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Clone + Send + Sync + 'static,
{
    if let Some(AuthEpoch(epoch)) = use_context::<AuthEpoch>() {
        Effect::new(move |_| {
            if matches!(value.get(), Some(Ok(_))) {
                epoch.update(|n| *n += 1);
            }
        });
    }
}

fn query(name: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || q.read().get(name)
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let next = query("next");
    let action = ServerAction::<LogIn>::new();
    bump_auth_on_success(action.value());
    let error = error_of(action.value());
    view! {
        <Title text="Log in" />
        <section class="page narrow">
            <h1>"Log in"</h1>
            <ActionForm action=action attr:class="form" attr:aria-label="Log in">
                <input type="hidden" name="next" value=move || next().unwrap_or_default() />
                <FormAlert error=error />
                <Field name="email" label="E-mail address" kind="email" autocomplete="username" error=error />
                <Field name="password" label="Password" kind="password" autocomplete="current-password" error=error />
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Logging in…" } else { "Log in" }}
                </button>
            </ActionForm>
            <p class="form-links">
                <a href="/password/forgot">"Forgot your password?"</a>
                " · "
                <a href="/signup">"Create an account"</a>
            </p>
        </section>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = error_of(action.value());
    let done = move || action.value().get().and_then(Result::ok);
    view! {
        <Title text="Create an account" />
        <section class="page narrow">
            <h1>"Create an account"</h1>
            <Show
                when=move || done().is_none()
                fallback=move || done().map(|n| view! { <NoticeView notice=n /> })
            >
                <p class="note">"An account lets you register for conferences, sign up for sessions and, as a delegate, propose amendments."</p>
                <ActionForm action=action attr:class="form" attr:aria-label="Create an account">
                    <input type="hidden" name="idempotency_key" value=crate::ui::form_key() />
                    <FormAlert error=error />
                    <Field name="name" label="Full name" autocomplete="name" error=error />
                    <Field name="email" label="E-mail address" kind="email" autocomplete="email" error=error />
                    <Field name="password" label="Password" kind="password" autocomplete="new-password" hint="At least 10 characters." error=error />
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Creating…" } else { "Create account" }}
                    </button>
                </ActionForm>
                <p class="form-links">"Already have an account? "<a href="/login">"Log in"</a></p>
            </Show>
        </section>
    }
}

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let token = query("token");
    let action = ServerAction::<ConfirmAccount>::new();
    bump_auth_on_success(action.value());
    let error = error_of(action.value());
    view! {
        <Title text="Confirm your account" />
        <section class="page narrow">
            <h1>"Confirm your account"</h1>
            <p>"Confirm that this e-mail address is yours, and you are logged in."</p>
            <ActionForm action=action attr:class="form" attr:aria-label="Confirm your account">
                <input type="hidden" name="token" value=move || token().unwrap_or_default() />
                <FormAlert error=error />
                <button type="submit" class="button primary">"Confirm my account"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = error_of(action.value());
    let done = move || action.value().get().and_then(Result::ok);
    view! {
        <Title text="Forgot your password?" />
        <section class="page narrow">
            <h1>"Forgot your password?"</h1>
            <Show
                when=move || done().is_none()
                fallback=move || done().map(|n| view! { <NoticeView notice=n /> })
            >
                <p class="note">"We will send a link to choose a new password to your address."</p>
                <ActionForm action=action attr:class="form" attr:aria-label="Ask for a new password">
                    <FormAlert error=error />
                    <Field name="email" label="E-mail address" kind="email" autocomplete="email" error=error />
                    <button type="submit" class="button primary">"Send the link"</button>
                </ActionForm>
            </Show>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = query("token");
    let action = ServerAction::<ResetPassword>::new();
    bump_auth_on_success(action.value());
    let error = error_of(action.value());
    view! {
        <Title text="Choose a new password" />
        <section class="page narrow">
            <h1>"Choose a new password"</h1>
            <ActionForm action=action attr:class="form" attr:aria-label="Choose a new password">
                <input type="hidden" name="token" value=move || token().unwrap_or_default() />
                <FormAlert error=error />
                <Field name="password" label="New password" kind="password" autocomplete="new-password" hint="At least 10 characters." error=error />
                <button type="submit" class="button primary">"Save and log in"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let change = ServerAction::<ChangePassword>::new();
    let error = error_of(change.value());
    let done = move || change.value().get().and_then(Result::ok);
    view! {
        <Title text="Your account" />
        <Loaded data=user let:u>
            {match u {
                Some(u) => view! {
                <section class="page">
                    <h1>"Your account"</h1>
                    <dl class="facts">
                        <div><dt>"Name"</dt><dd>{u.name.clone()}</dd></div>
                        <div><dt>"E-mail address"</dt><dd>{u.email.clone()}</dd></div>
                    </dl>
                    <h2>"Your roles"</h2>
                    {if u.roles.is_empty() {
                        view! { <p class="note">"You hold no role in a conference yet. Organisers grant roles, or send you an invitation link."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="role-list">
                                {u.roles.iter().map(|r| view! {
                                    <li><a href=format!("/conferences/{}", r.conference_slug)>{r.conference_slug.clone()}</a>": "{r.label.clone()}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <Notifications />
                <section class="page narrow">
                    <h2>"Change your password"</h2>
                    {move || done().map(|n| view! { <NoticeView notice=n /> })}
                    <ActionForm action=change attr:class="form" attr:aria-label="Change your password">
                        <FormAlert error=error />
                        <Field name="current_password" label="Current password" kind="password" autocomplete="current-password" error=error />
                        <Field name="new_password" label="New password" kind="password" autocomplete="new-password" hint="At least 10 characters. Other devices will be logged out." error=error />
                        <button type="submit" class="button primary">"Change password"</button>
                    </ActionForm>
                </section>
                }.into_any(),
                None => view! { <ErrorView err=AppError::unauthorised() /> }.into_any(),
            }}
        </Loaded>
    }
}

/// The kinds a notifications form offers, as it sends them.
fn offered(list: &[NotificationSettingDto]) -> String {
    list.iter()
        .map(|n| n.kind.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The notifications the person gets, each a checkbox; one button saves them all.
#[component]
fn Notifications() -> impl IntoView {
    let save = ServerAction::<SetNotifications>::new();
    let error = error_of(save.value());
    let settings = Resource::new(move || save.version().get(), |_| get_notifications());
    view! {
        <section class="page narrow">
            <h2 id="notifications-heading">"Notifications"</h2>
            {move || save.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
            <Loaded data=settings let:list>
                <ActionForm action=save attr:class="form" attr:aria-label="Notifications">
                    <input type="hidden" name="offered" value=offered(&list) />
                    <FormAlert error=error />
                    <fieldset class="checks">
                        <legend>"E-mail me when…"</legend>
                        {list.into_iter().enumerate().map(|(i, n)| view! {
                            <label class="check">
                                <input type="checkbox" name=format!("on[{i}]") value=n.kind.clone() checked=n.on />
                                " "{n.label.clone()}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="button" disabled=move || save.pending().get()>"Save notifications"</button>
                </ActionForm>
            </Loaded>
        </section>
    }
}

/// The header's account corner: the name and a log-out button, or a log-in link.
#[component]
pub fn UserMenu() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let logout = ServerAction::<LogOut>::new();
    bump_auth_on_success(logout.value());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => view! {
                        <div class="user-menu">
                            <a href="/account" class="user-name">{u.name.clone()}</a>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="link-button">"Log out"</button>
                            </ActionForm>
                        </div>
                    }.into_any(),
                    _ => visitor_corner().into_any(),
                }
            })}
        </Transition>
    }
}

/// A visitor's account corner.
fn visitor_corner() -> impl IntoView {
    view! { <div class="user-menu"><a href="/login">"Log in"</a></div> }
}

/// The account corner's markup as a page without WASM carries it: a visitor's (`None`), or a
/// logged-in person's with their name and a log-out form (a plain form, as `ActionForm`
/// renders it). The server puts a logged-in person's corner into the visitors' kept programme
/// page instead of rendering the page for them (`server::page_cache`).
#[cfg(feature = "ssr")]
pub fn corner_html(name: Option<&str>) -> String {
    use leptos::server_fn::ServerFn;
    match name {
        None => visitor_corner().to_html(),
        Some(name) => view! {
            <div class="user-menu">
                <a href="/account" class="user-name">{name.to_string()}</a>
                <form method="post" action=LogOut::url() class="inline-form">
                    <button type="submit" class="link-button">"Log out"</button>
                </form>
            </div>
        }
        .to_html(),
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    // new messages and deliveries appear without a reload: the page follows every conference's
    // stream (each brings its outbox changes only to that conference's organisers)
    let live = crate::live::components::use_live();
    let data = Resource::new(
        move || live.tick(domain::live::Topic::Outbox),
        |_| read_outbox(),
    );
    live.follow_every_conference();
    view! {
        <Title text="Outbox" />
        <section class="page">
            <h1>"Outbox"</h1>
            <p class="note">"The messages sent about the conferences you organise, newest first. Links in them are masked: they are for their recipients only. Messages about accounts (confirmations, password resets) are not shown. With an SMTP server configured (SMTP_URL), the server sends them and marks them sent here; without one, they wait here."</p>
            <Loaded data=data transition=true let:list>
                {if list.is_empty() {
                    view! { <p>"No messages yet."</p> }.into_any()
                } else {
                    view! {
                        <ol class="outbox">
                            {list.into_iter().map(|m| view! {
                                <li class="message">
                                    <h2 class="message-subject">{m.subject.clone()}</h2>
                                    <p class="meta">"To "{m.to.clone()}" · "<time datetime=m.created_at.clone()>{m.created_label.clone()}</time>
                                        " · "<span class=if m.sent { "delivery sent" } else { "delivery" }>{m.delivery.clone()}</span></p>
                                    <pre class="message-body">{m.body.clone()}</pre>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}

fn role_options() -> impl IntoView {
    domain::permissions::Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str()>{r.label()}</option> })
        .collect_view()
}

#[component]
pub fn RolesPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let invite = ServerAction::<CreateInvitation>::new();
    let data = Resource::new(
        move || (slug(), grant.version().get(), revoke.version().get()),
        |(s, _, _)| get_roles(s),
    );
    let grant_error = error_of(grant.value());
    let revoke_error = error_of(revoke.value());
    let invite_error = error_of(invite.value());
    view! {
        <Title text="People and roles" />
        <Loaded data=data let:page>
            {
                let slug = page.conference.slug.clone();
                let slug_grant = slug.clone();
                let slug_invite = slug.clone();
                view! {
                    <section class="page">
                        <p class="eyebrow"><a href=format!("/conferences/{slug}")>{page.conference.title.clone()}</a></p>
                        <h1>"People and roles"</h1>
                        {move || grant.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        {move || revoke.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <FormAlert error=revoke_error />
                        <table class="roles-table">
                            <caption class="visually-hidden">"Roles held in this conference"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {page.holders.into_iter().map({ let slug = slug.clone(); move |h| {
                                    let slug = slug.clone();
                                    let label = format!("Revoke {} from {}", h.label.to_lowercase(), h.person_name);
                                    view! {
                                        <tr>
                                            <td>{h.person_name.clone()}</td>
                                            <td>{h.email.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{h.label.clone()}</td>
                                            <td>
                                                <ActionForm action=revoke attr:class="inline-form">
                                                    <input type="hidden" name="slug" value=slug />
                                                    <input type="hidden" name="role_id" value=h.id.0 />
                                                    <button type="submit" class="link-button danger" aria-label=label>"Revoke"</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }}).collect_view()}
                            </tbody>
                        </table>
                    </section>
                    <div class="two-up">
                        <section class="page">
                            <h2>"Grant a role"</h2>
                            <p class="note">"To someone who already has an account."</p>
                            <ActionForm action=grant attr:class="form" attr:aria-label="Grant a role">
                                <input type="hidden" name="slug" value=slug_grant />
                                <FormAlert error=grant_error />
                                <Field name="email" label="Their e-mail address" kind="email" error=grant_error />
                                <div class="field">
                                    <label for="grant-role">"Role"</label>
                                    <select id="grant-role" name="role">{role_options()}</select>
                                </div>
                                <button type="submit" class="button primary">"Grant role"</button>
                            </ActionForm>
                        </section>
                        <section class="page">
                            <h2>"Invite with a role"</h2>
                            <p class="note">"A link that grants the role to whoever follows it, once (they log in or create an account first). With an address, we send it for you."</p>
                            <ActionForm action=invite attr:class="form" attr:aria-label="Create an invitation">
                                <input type="hidden" name="slug" value=slug_invite />
                                <FormAlert error=invite_error />
                                <div class="field">
                                    <label for="invite-role">"Role"</label>
                                    <select id="invite-role" name="role">{role_options()}</select>
                                </div>
                                <Field name="email" id="f-invite-email" label="Their e-mail address (optional)" kind="email" required=false error=invite_error />
                                <button type="submit" class="button">"Create invitation link"</button>
                            </ActionForm>
                            {move || invite.value().get().and_then(Result::ok).map(|i| view! {
                                <div class="form-notice" role="status">
                                    <p>"Invitation as "{i.role_label.to_lowercase()}", valid for "{i.expires_in_days}" days:"</p>
                                    <p><code class="invitation-link">{i.link.clone()}</code></p>
                                </div>
                            })}
                        </section>
                    </div>
                }.into_any()
            }
        </Loaded>
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let offer = Resource::new(token, get_invitation);
    let user = expect_context::<CurrentUser>();
    let accept = ServerAction::<AcceptInvitation>::new();
    bump_auth_on_success(accept.value());
    let error = error_of(accept.value());
    view! {
        <Title text="Invitation" />
        <Loaded data=offer let:o>
            {
                let here = format!("/invitations/{}", token());
                view! {
                    <section class="page narrow">
                        <h1>"You are invited"</h1>
                        <p>"to take part in "<strong>{o.conference_title.clone()}</strong>" as "<strong>{o.role_label.to_lowercase()}</strong>"."</p>
                        <Transition fallback=|| ()>{move || { let here = here.clone(); Suspend::new(async move { match user.await.ok().flatten() {
                            Some(u) => view! {
                                <ActionForm action=accept attr:class="form" attr:aria-label="Accept the invitation">
                                    <input type="hidden" name="token" value=token() />
                                    <FormAlert error=error />
                                    <p class="note">"You are logged in as "{u.name.clone()}" ("{u.email.clone()}")."</p>
                                    <button type="submit" class="button primary">"Accept invitation"</button>
                                </ActionForm>
                            }.into_any(),
                            None => view! {
                                <p>
                                    <a class="button primary" href=format!("/login?next={}", urlencode(&here))>"Log in to accept"</a>
                                    " or "
                                    <a href="/signup">"create an account"</a>
                                    " first, then come back to this link."
                                </p>
                            }.into_any(),
                        }})}}</Transition>
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}
