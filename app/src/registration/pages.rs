//! The registration form with one's own state, and the organisers' accreditation queue.

use crate::error::AppError;
use crate::registration::api::*;
use crate::registration::dto::*;
use crate::ui::form::{error_of, Field, FormAlert, NoticeView};
use crate::ui::page::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn field_error(
    error: Signal<Option<AppError>>,
    name: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    move || {
        error
            .get()
            .filter(|e| e.field.as_deref() == Some(name))
            .map(|e| e.message)
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // a nomination link arrives with the delegation and category chosen
    let pre_delegation = move || query.read().get("delegation").unwrap_or_default();
    let pre_category = move || query.read().get("category").unwrap_or_default();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let register = ServerAction::<Register>::new();
    let withdraw = ServerAction::<WithdrawRegistration>::new();
    let data = Resource::new(
        move || (slug(), register.version().get(), withdraw.version().get()),
        |(s, _, _)| get_registration_page(s),
    );
    let error = error_of(register.value());
    let withdraw_error = error_of(withdraw.value());
    view! {
        <Title text="Register" />
        <Loaded data=data let:p>
            {
                let slug = p.conference.slug.clone();
                let slug2 = slug.clone();
                view! {
                    <section class="page narrow">
                        <p class="eyebrow"><a href=format!("/conferences/{slug}")>{p.conference.title.clone()}</a></p>
                        <h1>"Register"</h1>
                        {move || register.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        {move || withdraw.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <FormAlert error=withdraw_error />
                        {match (p.logged_in, p.mine.clone()) {
                            (false, _) => view! {
                                <p>"To register, "<a href=format!("/login?next=/conferences/{slug2}/register")>"log in"</a>" or "<a href="/signup">"create an account"</a>" first."</p>
                            }.into_any(),
                            (true, Some(m)) if m.status == Status::Pending || m.status == Status::Accredited => view! {
                                <div class=format!("registration-state state-{}", m.status.as_str()) role="region" aria-label="Your registration">
                                    <p><span class=format!("badge status-{}", m.status.as_str())>{m.status_label.clone()}</span></p>
                                    <p>"You are registered as "{m.category_label.to_lowercase()}{m.delegation.clone().map(|d| format!(", {d}"))}"."</p>
                                    {(m.status == Status::Pending).then(|| view! { <p class="note">"The organisers will review your registration; we will tell you by e-mail."</p> })}
                                    <ActionForm action=withdraw attr:class="inline-form">
                                        <input type="hidden" name="slug" value=slug2.clone() />
                                        <button type="submit" class="button">"Withdraw my registration"</button>
                                    </ActionForm>
                                </div>
                            }.into_any(),
                            (true, mine) => {
                                let previous = mine.map(|m| view! {
                                    <div class="form-alert" role="status">
                                        <p>"Your earlier registration: "<strong>{m.status_label.clone()}</strong>{m.reason.clone().map(|r| format!(" — {r}"))}</p>
                                        <p>"You may register again."</p>
                                    </div>
                                });
                                if !p.open {
                                    view! { {previous} <p class="form-alert" role="status">{p.closed_because.clone().unwrap_or_default()}</p> }.into_any()
                                } else {
                                    let cat_err = field_error(error, "category");
                                    let del_err = field_error(error, "delegation_id");
                                    let needs_err = field_error(error, "needs");
                                    view! {
                                        {previous}
                                        <ActionForm action=register attr:class="form" attr:aria-label="Registration">
                                            <input type="hidden" name="slug" value=slug2.clone() />
                                            <FormAlert error=error />
                                            <div class="field" class:has-error=move || cat_err().is_some()>
                                                <label for="reg-category">"You take part as"</label>
                                                <select id="reg-category" name="category" required>
                                                    <option value="">"Choose…"</option>
                                                    {p.categories.iter().map(|c| view! { <option value=c.value.clone() selected=c.value == pre_category()>{c.label.clone()}</option> }).collect_view()}
                                                </select>
                                                {move || cat_err().map(|m| view! { <p class="field-error">{m}</p> })}
                                            </div>
                                            <div class="field" class:has-error=move || del_err().is_some()>
                                                <label for="reg-delegation">"Delegation"</label>
                                                <p class="field-hint">"Required for delegates, alternates and advisers."</p>
                                                <select id="reg-delegation" name="delegation_id">
                                                    <option value="">"None"</option>
                                                    {p.delegations.iter().map(|d| view! { <option value=d.value.clone() selected=d.value == pre_delegation()>{d.label.clone()}</option> }).collect_view()}
                                                </select>
                                                {move || del_err().map(|m| view! { <p class="field-error">{m}</p> })}
                                            </div>
                                            <div class="field" class:has-error=move || needs_err().is_some()>
                                                <label for="reg-needs">"Access and dietary needs"</label>
                                                <p class="field-hint">"Optional. Only the organisers see this."</p>
                                                <textarea id="reg-needs" name="needs" rows="3" maxlength="2000"></textarea>
                                                {move || needs_err().map(|m| view! { <p class="field-error">{m}</p> })}
                                            </div>
                                            <div class="field checkbox">
                                                <label><input type="checkbox" name="consent_listed" value="on" />" Show my name on the public participant list"</label>
                                            </div>
                                            <button type="submit" class="button primary" disabled=move || register.pending().get()>"Register"</button>
                                        </ActionForm>
                                    }.into_any()
                                }
                            }
                        }}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let status = move || query.read().get("status").filter(|s| !s.is_empty());
    let delegation = move || {
        query
            .read()
            .get("delegation")
            .and_then(|d| d.parse::<i32>().ok())
    };
    let decide = ServerAction::<DecideRegistrations>::new();
    let settings = ServerAction::<SaveRegistrationSettings>::new();
    let whole = ServerAction::<AccreditDelegation>::new();
    let add = ServerAction::<CreateDelegation>::new();
    // new registrations show without a reload, unless the organiser is in the middle of
    // choosing or typing: then a notice offers them, so that nothing chosen is lost unasked
    let live = crate::live::components::use_live();
    let touched = RwSignal::new(false);
    let arrived = RwSignal::new(false);
    let refresh = RwSignal::new(0usize);
    Effect::new(move |seen: Option<usize>| {
        let now = live.tick(domain::live::Topic::Registrations);
        if seen.is_some_and(|s| s != now) {
            if touched.get_untracked() {
                arrived.set(true);
            } else {
                refresh.update(|n| *n += 1);
            }
        }
        now
    });
    let data = Resource::new(
        move || {
            (
                slug(),
                status(),
                delegation(),
                decide.version().get()
                    + settings.version().get()
                    + whole.version().get()
                    + add.version().get()
                    + refresh.get(),
            )
        },
        |(s, st, d, _)| get_registration_queue(s, st, d.map(DelegationId)),
    );
    // a decision saved, or another filter: the page shows the queue as it is now, nothing is
    // half-chosen
    Effect::new(move |_| {
        decide.version().track();
        whole.version().track();
        let _ = (status(), delegation());
        touched.set(false);
        arrived.set(false);
    });
    let error = error_of(decide.value());
    let whole_error = error_of(whole.value());
    view! {
        <Title text="Registrations" />
        {move || arrived.get().then(|| view! {
            <p class="form-notice queue-arrived" role="status">
                "The queue changed while you were choosing. "
                <button type="button" class="link-button" on:click=move |_| {
                    touched.set(false);
                    arrived.set(false);
                    refresh.update(|n| *n += 1);
                }>"Show the queue as it is now"</button>
                " (what you chose and have not applied is cleared)."
            </p>
        })}
        <Loaded data=data transition=true let:qd>
            {
                let slug = qd.conference.slug.clone();
                let current_status = status().unwrap_or_default();
                let current_delegation = delegation().map(|d| d.to_string()).unwrap_or_default();
                let empty = qd.rows.is_empty();
                let st = qd.settings.clone();
                let slug_settings = slug.clone();
                let slug_add = slug.clone();
                view! {
                    <section class="page" on:input=move |_| touched.set(true) on:change=move |_| touched.set(true)>
                        <p class="eyebrow"><a href=format!("/conferences/{slug}")>{qd.conference.title.clone()}</a></p>
                        <h1>"Registrations"</h1>
                        <p class="desk-links">
                            <a href=format!("/conferences/{slug}/check-in")>"Check-in and badges"</a>" · "
                            <a href=format!("/conferences/{slug}/dashboard")>"Dashboard"</a>
                        </p>
                        <p class="counts">
                            {qd.counts.iter().map(|(s, label, n)| view! {
                                <span class=format!("badge status-{s}")>{label.clone()}": "{*n}</span>" "
                            }).collect_view()}
                        </p>
                        <form method="get" class="filters" aria-label="Filter registrations">
                            <div class="field">
                                <label for="q-status">"State"</label>
                                <select id="q-status" name="status">
                                    <option value="" selected=current_status.is_empty()>"All"</option>
                                    {qd.counts.iter().map(|(s, label, _)| view! {
                                        <option value=s.clone() selected=*s == current_status>{label.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="q-delegation">"Delegation"</label>
                                <select id="q-delegation" name="delegation">
                                    <option value="">"All"</option>
                                    {qd.delegations.iter().map(|d| view! {
                                        <option value=d.value.clone() selected=d.value == current_delegation>{d.label.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button">"Filter"</button>
                        </form>
                        // outside the list, which is gone once nothing waits
                        {move || whole.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <FormAlert error=whole_error />
                        {(!qd.pending_by_delegation.is_empty()).then(|| {
                            let slug = slug.clone();
                            let waiting = qd.pending_by_delegation.clone();
                            view! {
                                <section class="whole-delegations" aria-labelledby="whole-heading">
                                    <h2 id="whole-heading">"Delegations waiting"</h2>
                                    <ul>
                                        {waiting.into_iter().map(|(id, name, n)| {
                                            let label = format!("Accredit all {n} pending of {name}");
                                            let slug = slug.clone();
                                            view! {
                                                <li>
                                                    <ActionForm action=whole attr:class="inline-form">
                                                        <input type="hidden" name="slug" value=slug />
                                                        <input type="hidden" name="delegation_id" value=id />
                                                        <span>{name}": "{n}" pending "</span>
                                                        <button type="submit" class="button" disabled=move || whole.pending().get()>{label}</button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }
                        })}
                        {move || decide.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <FormAlert error=error />
                        {if empty {
                            view! { <p>"No registrations match."</p> }.into_any()
                        } else {
                            view! { <DecideForm slug=slug.clone() rows=qd.rows.clone() decide=decide /> }.into_any()
                        }}
                    </section>
                    <Delegations slug=slug_add list=qd.delegation_list.clone() regions=qd.regions.clone() add=add />
                    <RegistrationSettings slug=slug_settings timezone=qd.conference.timezone.clone() st=st settings=settings />
                }.into_any()
            }
        </Loaded>
    }
}

/// The queue's table, each row with a box to choose it, and the decision for the chosen.
#[component]
fn DecideForm(
    slug: String,
    rows: Vec<RegistrationRowDto>,
    decide: ServerAction<DecideRegistrations>,
) -> impl IntoView {
    view! {
        <ActionForm action=decide attr:class="queue-form" attr:aria-label="Decide on registrations">
            <input type="hidden" name="slug" value=slug.clone() />
            <table class="roles-table queue">
                <caption class="visually-hidden">"Registrations"</caption>
                <thead><tr>
                    <th scope="col"><span class="visually-hidden">"Choose"</span></th>
                    <th scope="col">"Name"</th><th scope="col">"Category"</th><th scope="col">"Delegation"</th><th scope="col">"State"</th><th scope="col">"Needs"</th>
                </tr></thead>
                <tbody>
                    {rows.iter().enumerate().map(|(i, r)| view! {
                        <tr>
                            <td><input type="checkbox" name=format!("ids[{i}]") value=r.id.0 aria-label=format!("Choose {}", r.name) /></td>
                            <td>{r.name.clone()}<br /><span class="session-meta">{r.email.clone().unwrap_or_default()}</span></td>
                            <td>{r.category_label.clone()}</td>
                            <td>{r.delegation.clone().unwrap_or_else(|| "—".into())}</td>
                            <td><span class=format!("badge status-{}", r.status.as_str())>{r.status_label.clone()}</span>{r.reason.clone().map(|x| view! { <br /><span class="session-meta">{x}</span> })}</td>
                            <td>{r.needs.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="decide">
                <div class="field">
                    <label for="decide-decision">"Decision"</label>
                    <select id="decide-decision" name="decision">
                        <option value="accredit">"Accredit"</option>
                        <option value="reject">"Reject"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="decide-reason">"Reason (for a rejection)"</label>
                    <input id="decide-reason" name="reason" type="text" maxlength="1000" />
                </div>
                <button type="submit" class="button primary" disabled=move || decide.pending().get()>"Apply to the chosen registrations"</button>
            </div>
        </ActionForm>
    }
}

/// The conference's delegations, and the form that adds one.
#[component]
fn Delegations(
    slug: String,
    list: Vec<DelegationSummaryDto>,
    regions: Vec<String>,
    add: ServerAction<CreateDelegation>,
) -> impl IntoView {
    let add_error = error_of(add.value());
    let slug_add = slug;
    view! {
        <section class="page" aria-labelledby="delegations-heading">
            <h2 id="delegations-heading">"Delegations"</h2>
            {if list.is_empty() {
                view! { <p>"No delegations yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="roles-table labelled">
                            <caption class="visually-hidden">"Delegations"</caption>
                            <thead><tr>
                                <th scope="col">"Delegation"</th><th scope="col">"Region"</th><th scope="col">"Lead organisation"</th><th scope="col">"Head"</th><th scope="col">"Members"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|d| view! {
                                    <tr>
                                        <td>{d.name}<br /><span class="session-meta">{d.kind_label}{d.country.map(|c| format!(", {c}"))}</span></td>
                                        <td data-label="Region">{d.region.unwrap_or_else(|| "—".into())}</td>
                                        <td data-label="Lead organisation">{d.lead_organisation.unwrap_or_else(|| "—".into())}</td>
                                        <td data-label="Head">{d.head.unwrap_or_else(|| "—".into())}</td>
                                        <td data-label="Members">{d.members}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h3 class="form-heading">"Add a delegation"</h3>
            {move || add.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
            <ActionForm action=add attr:class="form" attr:aria-label="Add a delegation">
                <input type="hidden" name="slug" value=slug_add />
                <FormAlert error=add_error />
                <div class="two-up">
                    <Field name="name" label="Name" error=add_error />
                    <div class="field">
                        <label for="f-kind">"Kind"</label>
                        <select id="f-kind" name="kind">
                            <option value="member_state">"Member state"</option>
                            <option value="organisation">"Organisation"</option>
                        </select>
                        {move || field_error(add_error, "kind")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    </div>
                    <Field name="country" label="Country" required=false error=add_error />
                    <div class="field">
                        <label for="f-region">"Region"</label>
                        <select id="f-region" name="region">
                            <option value="">"None"</option>
                            {regions.into_iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                        </select>
                        {move || field_error(add_error, "region")().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    </div>
                    <Field name="lead_organisation" label="Lead organisation" required=false error=add_error />
                    <Field name="head_email" label="Head's e-mail address" kind="email" required=false hint="The address of their account here; leave empty to name the head later." error=add_error />
                </div>
                <button type="submit" class="button primary" disabled=move || add.pending().get()>"Add the delegation"</button>
            </ActionForm>
        </section>
    }
}

/// When registration opens and closes, and its caps.
#[component]
fn RegistrationSettings(
    slug: String,
    timezone: String,
    st: RegistrationSettingsDto,
    settings: ServerAction<SaveRegistrationSettings>,
) -> impl IntoView {
    let settings_error = error_of(settings.value());
    let slug_settings = slug;
    view! {
        <section class="page">
            <h2>"Registration settings"</h2>
            <p class="note">"Times in "{timezone}". Leave a field empty for no limit."</p>
            {move || settings.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
            <ActionForm action=settings attr:class="form settings-form" attr:aria-label="Registration settings">
                <input type="hidden" name="slug" value=slug_settings />
                <FormAlert error=settings_error />
                <div class="two-up">
                    <Field name="opens_at" label="Registration opens" kind="datetime-local" required=false value=st.opens_at.clone() error=settings_error />
                    <Field name="closes_at" label="Registration closes" kind="datetime-local" required=false value=st.closes_at.clone() error=settings_error />
                </div>
                <div class="two-up">
                    <Field name="cap" label="Most participants in all" kind="number" required=false value=st.cap.clone() error=settings_error />
                    <Field name="cap_delegates" label="Delegates per delegation" kind="number" required=false value=st.cap_delegates.clone() error=settings_error />
                    <Field name="cap_alternates" label="Alternates per delegation" kind="number" required=false value=st.cap_alternates.clone() error=settings_error />
                    <Field name="cap_advisers" label="Advisers per delegation" kind="number" required=false value=st.cap_advisers.clone() error=settings_error />
                </div>
                <button type="submit" class="button primary">"Save settings"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ParticipantsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let data = Resource::new(slug, get_participants);
    view! {
        <Title text="Participants" />
        <Loaded data=data let:p>
            {view! {
                <section class="page">
                    <p class="eyebrow"><a href=format!("/conferences/{}", p.conference.slug)>{p.conference.title.clone()}</a></p>
                    <h1>"Participants"</h1>
                    <p class="note">{p.total}" accredited participants who agreed to be listed, by country."</p>
                    {p.groups.into_iter().map(|(country, people)| view! {
                        <h2 class="country">{country.clone()}</h2>
                        <ul class="participants">
                            {people.into_iter().map(|x| view! {
                                <li><strong>{x.name}</strong>" "<span class="session-meta">{x.category_label}{x.delegation.map(|d| format!(", {d}"))}</span></li>
                            }).collect_view()}
                        </ul>
                    }).collect_view()}
                </section>
            }.into_any()}
        </Loaded>
    }
}

#[component]
pub fn DelegationPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let withdraw = ServerAction::<WithdrawMember>::new();
    let nominate = ServerAction::<NominateMember>::new();
    let data = Resource::new(
        move || (slug(), withdraw.version().get(), nominate.version().get()),
        |(s, _, _)| get_my_delegation(s),
    );
    let error = error_of(withdraw.value());
    let nominate_error = error_of(nominate.value());
    view! {
        <Title text="My delegation" />
        <Loaded data=data let:d>
            {
                let slug = d.conference.slug.clone();
                let slug_nominate = slug.clone();
                view! {
                    <section class="page">
                        <p class="eyebrow"><a href=format!("/conferences/{slug}")>{d.conference.title.clone()}</a></p>
                        <h1>{format!("Delegation: {}", d.name)}</h1>
                        {d.lead_organisation.clone().map(|o| view! { <p class="note">"Led by "{o}</p> })}
                        <p class="counts">
                            {d.caps.iter().map(|(label, taken, cap)| view! {
                                <span class="badge">{format!("{label}: {taken}{}", cap.map(|c| format!(" of {c}")).unwrap_or_default())}</span>" "
                            }).collect_view()}
                        </p>
                        {move || withdraw.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <FormAlert error=error />
                        <table class="roles-table">
                            <caption class="visually-hidden">"Members of the delegation"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Category"</th><th scope="col">"State"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {d.members.into_iter().map(|m| {
                                    let you = d.own_registration == Some(m.id);
                                    let live = !you && (m.status == Status::Pending || m.status == Status::Accredited);
                                    let label = format!("Withdraw {}", m.name);
                                    let slug = slug.clone();
                                    view! {
                                        <tr>
                                            <td>{m.name.clone()}{you.then_some(" (you, head of delegation)")}</td>
                                            <td>{m.category_label.clone()}</td>
                                            <td><span class=format!("badge status-{}", m.status.as_str())>{m.status_label.clone()}</span></td>
                                            <td>{live.then(|| view! {
                                                <ActionForm action=withdraw attr:class="inline-form">
                                                    <input type="hidden" name="slug" value=slug.clone() />
                                                    <input type="hidden" name="registration_id" value=m.id.0 />
                                                    <button type="submit" class="link-button danger" aria-label=label.clone()>"Withdraw"</button>
                                                </ActionForm>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(!d.nominations.is_empty()).then(|| view! {
                            <h2>"Nominated, not yet registered"</h2>
                            <ul class="role-list">
                                {d.nominations.iter().map(|n| view! {
                                    <li>{n.name.clone()}" ("{n.email.clone()}"), "{n.member_role_label.to_lowercase()}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                    <section class="page narrow">
                        <h2>"Nominate a member"</h2>
                        <p class="note">"They get a link to complete their registration with your delegation."</p>
                        {move || nominate.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <ActionForm action=nominate attr:class="form" attr:aria-label="Nominate a member">
                            <input type="hidden" name="slug" value=slug_nominate />
                            <FormAlert error=nominate_error />
                            <Field name="name" label="Full name" error=nominate_error />
                            <Field name="email" label="E-mail address" kind="email" error=nominate_error />
                            <div class="field">
                                <label for="nominate-role">"As"</label>
                                <select id="nominate-role" name="member_role">
                                    <option value="delegate">"Delegate"</option>
                                    <option value="alternate">"Alternate"</option>
                                    <option value="adviser">"Adviser"</option>
                                </select>
                            </div>
                            <button type="submit" class="button primary" disabled=move || nominate.pending().get()>"Nominate"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}
