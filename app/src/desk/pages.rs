//! The desk's pages: check-in (with badges to print) and the dashboard.

use crate::desk::api::*;
use crate::desk::components::{BarChart, CameraScan, ForaChart, LineChart};
use crate::desk::dto::*;
use crate::ui::form::{error_of, Field, FormAlert, NoticeView};
use crate::ui::page::{slug_param, Loaded};
use leptos::prelude::*;
use leptos_meta::Title;

/// One person as the desk sees them.
#[component]
fn PersonCard(p: DeskPersonDto) -> impl IntoView {
    view! {
        <div class="desk-person">
            <p class="desk-name">{p.name.clone()}</p>
            <p>{p.delegation.clone().unwrap_or_else(|| "No delegation".into())}" · "<span class=format!("badge category-{}", p.category)>{p.category_label.clone()}</span></p>
            <p><span class=format!("badge status-{}", p.status.as_str())>{p.status_label.clone()}</span>
                {p.reason.clone().map(|r| view! { " "<span class="session-meta">{r}</span> })}</p>
            {p.arrived_label.clone().map(|a| view! { <p class="desk-arrived">{a}</p> })}
        </div>
    }
}

/// `/conferences/{slug}/check-in`: check people in by the code on their badge (typed, pasted
/// or scanned by a code reader that types) or by name, at the door or at a session; print
/// badges. Every form works without JavaScript.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let slug = slug_param();
    let check = ServerAction::<CheckInParticipant>::new();
    let find = ServerAction::<FindParticipants>::new();
    let reissue = ServerAction::<ReissueBadge>::new();
    let data = Resource::new(
        move || (slug(), check.version().get()),
        |(s, _)| get_desk(s),
    );
    let error = error_of(check.value());
    let find_error = error_of(find.value());
    let reissue_error = error_of(reissue.value());
    view! {
        <Title text="Check-in" />
        <Loaded data=data transition=true let:d>
            {
                let slug = d.conference.slug.clone();
                let sessions = d.sessions.clone();
                // each way of checking in has its own "Where": at the door or at a session
                let where_select = move |id: &'static str| {
                    let sessions = sessions.clone();
                    view! {
                        <div class="field">
                            <label for=id>"Where"</label>
                            <select id=id name="session">
                                <option value="">"Arrival at the conference"</option>
                                {sessions.into_iter().map(|s| view! { <option value=s.value>{s.label}</option> }).collect_view()}
                            </select>
                        </div>
                    }
                };
                let slug_find = slug.clone();
                let slug_found = slug.clone();
                let slug_badges = slug.clone();
                let where_code = where_select("checkin-where");
                let where_name = where_select("find-where");
                view! {
                    <section class="page desk">
                        <p class="eyebrow"><a href=format!("/conferences/{slug}")>{d.conference.title.clone()}</a></p>
                        <h1>"Check-in"</h1>
                        <p class="counts">{format!("{} of {} accredited participants have arrived.", d.arrived, d.accredited)}" "
                            <a href=format!("/conferences/{slug}/dashboard")>"Dashboard"</a></p>

                        <section aria-labelledby="by-code-heading">
                            <h2 id="by-code-heading">"By the code on the badge"</h2>
                            <ActionForm action=check attr:class="form desk-form" attr:aria-label="Check in by badge code">
                                <input type="hidden" name="slug" value=slug.clone() />
                                {where_code}
                                <Field name="code" label="Badge code" hint="The 16 letters and digits under the QR code; a code reader types them here." autocomplete="off" error=error />
                                <CameraScan input_id="f-code" />
                                <button type="submit" class="button primary" disabled=move || check.pending().get()>
                                    {move || if check.pending().get() { "Checking in…" } else { "Check in" }}
                                </button>
                            </ActionForm>
                            <FormAlert error=error />
                            {move || check.value().get().and_then(Result::ok).map(|r| view! {
                                <div class=format!("desk-result {}", if r.outcome == CheckInOutcome::Recorded { "recorded" } else { "already" }) role="status">
                                    <p class="desk-message">{r.message.clone()}</p>
                                    <PersonCard p=r.person />
                                </div>
                            })}
                        </section>

                        <section aria-labelledby="by-name-heading">
                            <h2 id="by-name-heading">"By name"</h2>
                            <ActionForm action=find attr:class="form desk-form" attr:aria-label="Find a participant by name">
                                <input type="hidden" name="slug" value=slug_find />
                                {where_name}
                                <Field name="name" id="f-find-name" label="Name" autocomplete="off" error=find_error />
                                <button type="submit" class="button">"Find"</button>
                            </ActionForm>
                            <FormAlert error=find_error />
                            {move || reissue.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                            <FormAlert error=reissue_error />
                            {move || find.value().get().and_then(Result::ok).map(|f| {
                                let slug = slug_found.clone();
                                if f.people.is_empty() {
                                    return view! { <p>"No one of that name is registered."</p> }.into_any();
                                }
                                let (at_value, at_label) = f.at.map(|o| (o.value, Some(o.label))).unwrap_or_default();
                                view! {
                                    {at_label.clone().map(|l| view! { <p class="session-meta">{format!("Checking in at: {l}")}</p> })}
                                    <ul class="desk-found">
                                        {f.people.into_iter().map(|p| {
                                            let id = p.registration.0;
                                            let name = p.name.clone();
                                            let accredited = p.status == domain::registration::Status::Accredited;
                                            let arrived = p.arrived_label.is_some();
                                            let slug = slug.clone();
                                            let (at_value, at_label) = (at_value.clone(), at_label.clone());
                                            view! {
                                                <li>
                                                    <PersonCard p=p />
                                                    {accredited.then(|| {
                                                        let badge = format!("/conferences/{slug}/badges.pdf?registration={id}");
                                                        let check_label = match &at_label {
                                                            Some(l) => format!("Check in {name} at {l}"),
                                                            None => format!("Check in {name}"),
                                                        };
                                                        // at the door once; at a session the server says if already there
                                                        let can_check_in = at_label.is_some() || !arrived;
                                                        let (badge_label, new_label) = (format!("Badge of {name} (PDF)"), format!("New badge code for {name}"));
                                                        let (slug_check, slug_new) = (slug.clone(), slug.clone());
                                                        view! {
                                                        {can_check_in.then(|| view! {
                                                            <ActionForm action=check attr:class="inline-form">
                                                                <input type="hidden" name="slug" value=slug_check />
                                                                <input type="hidden" name="registration" value=id />
                                                                <input type="hidden" name="session" value=at_value />
                                                                <button type="submit" class="button primary" aria-label=check_label>"Check in"</button>
                                                            </ActionForm>
                                                        })}
                                                        <a class="button" href=badge aria-label=badge_label>"Badge (PDF)"</a>
                                                        <ActionForm action=reissue attr:class="inline-form">
                                                            <input type="hidden" name="slug" value=slug_new />
                                                            <input type="hidden" name="registration" value=id />
                                                            <button type="submit" class="button" aria-label=new_label>"New badge code"</button>
                                                        </ActionForm>
                                                    }})}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            })}
                        </section>

                        <section aria-labelledby="badges-heading">
                            <h2 id="badges-heading">"Badges"</h2>
                            <p>"Badges of accredited participants, ready to print: name, delegation or organisation, category by colour and in words, and the code to check in with."</p>
                            <form method="get" action=format!("/conferences/{slug_badges}/badges.pdf") class="form desk-form" aria-label="Print badges">
                                <div class="field">
                                    <label for="badges-delegation">"Whose"</label>
                                    <select id="badges-delegation" name="delegation">
                                        <option value="">"Everyone accredited"</option>
                                        {d.delegations.iter().map(|o| view! { <option value=o.value.clone()>{format!("Delegation: {}", o.label)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="badges-layout">"Paper"</label>
                                    <select id="badges-layout" name="layout">
                                        <option value="a6">"A6, one badge per page"</option>
                                        <option value="a4">"A4, four badges per sheet"</option>
                                    </select>
                                </div>
                                <button type="submit" class="button">"Print badges (PDF)"</button>
                            </form>
                        </section>
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

/// `/conferences/{slug}/dashboard`: registration, the queue, the fora and the amendments at a
/// glance, drawn on the server (no JavaScript needed), with the numbers in tables.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let slug = slug_param();
    let live = crate::live::components::use_live();
    let data = Resource::new(
        move || (slug(), live.tick(domain::live::Topic::Registrations)),
        |(s, _)| get_dashboard(s),
    );
    view! {
        <Title text="Dashboard" />
        <Loaded data=data transition=true let:d>
            <section class="page dashboard">
                <p class="eyebrow"><a href=format!("/conferences/{}", d.conference.slug)>{d.conference.title.clone()}</a></p>
                <h1>"Dashboard"</h1>
                <dl class="figures">
                    <div><dt>"Registrations"</dt><dd>{d.total}</dd></div>
                    <div><dt>"Waiting for accreditation"</dt><dd>{d.queue}</dd></div>
                    <div><dt>"Checked in"</dt><dd>{d.arrived}</dd></div>
                </dl>
                <p><a href=format!("/conferences/{}/check-in", d.conference.slug)>"Check-in"</a>" · "
                   <a href=format!("/conferences/{}/registrations", d.conference.slug)>"Registrations"</a></p>
                <div class="charts">
                    <LineChart id="over-time" title="Registrations over time, by state" series=d.states.clone() days=d.days.clone() />
                    <BarChart id="by-region" title="Registrations by UNESCO region" bars=d.by_region.clone() />
                    <BarChart id="by-category" title="Registrations by category" bars=d.by_category.clone() />
                    <ForaChart fora=d.fora.clone() />
                    <BarChart id="amendments" title="Amendments by state" bars=d.amendments.clone() />
                </div>
            </section>
        </Loaded>
    }
}
