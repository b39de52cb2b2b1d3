//! The pages of the public read side: home, conference overview, programme, session,
//! declaration, and the 404 page.

use crate::error::AppError;
use crate::live::components::use_live;
use crate::public::api::*;
use crate::ui::page::{slug_param, ConferenceHeader, Loaded, Tab};
use domain::drafting::amendment::DeclarationStatus;
use domain::live::Topic;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_conferences());
    view! {
        <Title text="Conferences" />
        <section class="page">
            <h1>"Conferences"</h1>
            <Loaded data=data let:list>
                {if list.is_empty() {
                    view! { <p>"No conferences yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="conference-list">
                            {list.into_iter().map(|c| view! {
                                <li class="conference-card">
                                    <h2><a href=format!("/conferences/{}", c.slug)>{c.title.clone()}</a></h2>
                                    <p class="theme">{c.theme.clone()}</p>
                                    <p class="meta">
                                        <span>{c.city.clone()}", "{c.country.clone()}</span>
                                        " · "
                                        <time datetime=c.start_date.clone()>{c.dates_label.clone()}</time>
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}

#[component]
pub fn ConferencePage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, get_overview);
    view! {
        <Loaded data=data let:o>
            {
                let base = format!("/conferences/{}", o.conference.slug);
                view! {
                    <Title text=o.conference.title.clone() />
                    <ConferenceHeader conference=o.conference.clone() tab=Tab::Overview />
                    <section class="page overview">
                        <div class="prose" inner_html=o.description_html.clone()></div>
                        <dl class="facts">
                            <div><dt>"Dates"</dt><dd>{o.conference.dates_label.clone()}</dd></div>
                            <div><dt>"Venue"</dt><dd>{o.conference.venue.clone()}</dd></div>
                            <div><dt>"Time zone"</dt><dd>{o.conference.timezone.clone()}</dd></div>
                            <div><dt>"Sessions"</dt><dd>{o.session_count}" sessions: "{o.plenary_count}" plenaries, "{o.forum_count}" fora"</dd></div>
                            <div><dt>"Rooms"</dt><dd>{o.room_count}</dd></div>
                        </dl>
                        <div class="cards">
                            <a class="card-link" href=format!("{base}/programme")>
                                <span class="card-title">"Programme"</span>
                                <span>"Day by day, in the conference's local time"</span>
                            </a>
                            {o.declaration_title.clone().map(|t| view! {
                                <a class="card-link" href=format!("{base}/declaration")>
                                    <span class="card-title">"Declaration"</span>
                                    <span>{t}" — "{o.declaration_status.map_or("Unknown", |s| s.label())}</span>
                                </a>
                            })}
                        </div>
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

#[component]
pub fn SessionPage(
    /// The seats and waiting list (from `seats`, joined in `routes.rs`).
    seats: fn(&crate::public::dto::SessionPageDto) -> AnyView,
    /// The organiser's Key Features form (from `adoption`, joined in `routes.rs`).
    tagging: fn(&crate::public::dto::SessionPageDto) -> AnyView,
) -> impl IntoView {
    let params = use_params_map();
    let slug = slug_param();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i32>().ok())
            .map(domain::ids::SessionId)
    };
    let data = Resource::new(
        move || (slug(), id()),
        |(slug, id)| async move {
            match id {
                Some(id) => get_session(slug, id).await,
                None => Err(AppError::not_found("There is no such session.")),
            }
        },
    );
    view! {
        <Loaded data=data let:p>
            {
                let s = p.session.clone();
                view! {
                    <Title text=s.title.clone() />
                    <ConferenceHeader conference=p.conference.clone() tab=Tab::Programme />
                    <article class="page session-page">
                        <p class="session-kind">{s.kind_label.clone()}</p>
                        <h2>{s.title.clone()}</h2>
                        {p.can_manage.then(|| view! {
                            <p class="organiser-note">
                                {(!p.released).then_some("You see the working programme: changes show to everyone at the next release. ")}
                                <a class="button small" href=format!("/conferences/{}/programme/sessions/{}/edit", p.conference.slug, s.id)>"Edit this session"</a>
                            </p>
                        })}
                        <dl class="facts">
                            <div><dt>"When"</dt><dd>{p.day_label.clone()}", "{s.start_hm().to_string()}"–"{s.end_hm().to_string()}" ("{p.conference.timezone.clone()}")"</dd></div>
                            <div><dt>"Room"</dt><dd>{s.room.clone().unwrap_or_else(|| "To be announced".into())}{p.room_capacity.map(|c| format!(" (seats {c})"))}</dd></div>
                            {s.capacity.map(|c| view! { <div><dt>"Capacity"</dt><dd>{c}" participants"</dd></div> })}
                            {s.region.clone().map(|r| view! { <div><dt>"Region"</dt><dd>{r}</dd></div> })}
                            {(!s.chairs.is_empty()).then(|| view! { <div><dt>"Chair"</dt><dd>{s.chairs.join(", ")}</dd></div> })}
                            {(!s.speakers.is_empty()).then(|| view! { <div><dt>"Speakers"</dt><dd>{s.speakers.join(", ")}</dd></div> })}
                        </dl>
                        <div class="prose" inner_html=p.description_html.clone()></div>
                        <p class="calendar-link">
                            <a href=format!("/conferences/{}/sessions/{}/session.ics", p.conference.slug, s.id) download=format!("{}-session-{}.ics", p.conference.slug, s.id) rel="external">"Add this session to a calendar (.ics)"</a>
                        </p>
                        {seats(&p)}
                        {(!s.key_features.is_empty()).then(|| view! {
                            <h3>"Key Features"</h3>
                            <ul class="tag-list">
                                {s.key_features.iter().map(|k| view! {
                                    <li><span class=format!("tag tier-{}", &k.code[..1])>{k.code.clone()}</span>" "{k.title.clone()}</li>
                                }).collect_view()}
                            </ul>
                        })}
                        {p.can_manage.then(|| tagging(&p))}
                        <p><a href=format!("/conferences/{}/programme", p.conference.slug)>"← Back to the programme"</a></p>
                    </article>
                }.into_any()
            }
        </Loaded>
    }
}

#[component]
pub fn DeclarationPage() -> impl IntoView {
    let slug = slug_param();
    let live = use_live();
    // a new version, an adoption or the publication shows without a reload
    let data = Resource::new(
        move || (slug(), live.tick(Topic::Declaration)),
        |(s, _)| get_declaration(s),
    );
    view! {
        <Loaded data=data transition=true let:d>
            {view! {
                <Title text=d.title.clone() />
                <ConferenceHeader conference=d.conference.clone() tab=Tab::Declaration />
                <section class="page declaration-page">
                    <div class="declaration-status">
                        <span class=format!("badge status-{}", d.status.as_str())>{d.status.label()}</span>
                        {d.version_number.map(|n| view! { <span>"Version "{n.0}</span> })}
                    </div>
                    {(d.status == DeclarationStatus::Published).then(|| view! {
                        <p class="form-notice" role="status">
                            {format!(
                                "Adopted at {} on {}. ",
                                d.adopted_place.clone().unwrap_or_default(),
                                d.adopted_on.clone().unwrap_or_default()
                            )}
                            <a href=format!("/conferences/{}/declaration/final", d.conference.slug)>"Read the final text, with its downloads and SHA-256"</a>
                        </p>
                    })}
                    {d.text_withheld.then(|| view! {
                        <div class="form-notice" role="status">
                            <p>"The declaration is being drafted by the conference's drafting committee. Its text will be published here once it is adopted."</p>
                            <p>"Participants can "<a href=format!("/login?next=/conferences/{}/declaration", d.conference.slug)>"log in"</a>" to follow the drafting and propose amendments."</p>
                        </div>
                    })}
                    <article class="declaration prose numbered" inner_html=d.html.clone()></article>
                    {d.sha256.clone().map(|h| view! {
                        <p class="hash">"SHA-256 of this version's Markdown: "<code>{h}</code></p>
                    })}
                </section>
            }.into_any()}
        </Loaded>
    }
}
