//! The organiser's page for adopting and publishing the declaration, and the published
//! declaration's permanent page.

use crate::adoption::api::*;
use crate::adoption::dto::*;
use crate::ui::form::{error_of, Field, NoticeView, SelectField};
use crate::ui::page::{slug_param, ConferenceHeader, Loaded, Tab};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdoptionPage() -> impl IntoView {
    let slug = slug_param();
    let adopt = ServerAction::<AdoptDeclaration>::new();
    let publish = ServerAction::<PublishDeclaration>::new();
    let set_deadline = ServerAction::<SetAmendmentDeadline>::new();
    let deadline_error = error_of(set_deadline.value());
    let adopt_error = error_of(adopt.value());
    let publish_error = error_of(publish.value());
    let data = Resource::new(
        move || {
            (
                slug(),
                adopt.version().get(),
                publish.version().get(),
                set_deadline.version().get(),
            )
        },
        |(slug, _, _, _)| get_adoption(slug),
    );
    view! {
        <Title text="Adopt and publish the declaration" />
        <Loaded data=data let:d>
            {
                let slug = d.head.conference.slug.clone();
                let final_href = format!("/conferences/{slug}/declaration/final");
                let hint = format!(
                    "A day of the conference, {} to {}.",
                    d.head.conference.start_date, d.head.conference.end_date
                );
                let place = format!("{}, {}", d.head.conference.city, d.head.conference.country);
                view! {
                    <ConferenceHeader conference=d.head.conference.clone() tab=Tab::Declaration own_heading=true />
                    <section class="page narrow adoption-page">
                        <h1>"Adopt and publish the declaration"</h1>
                        {move || adopt.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        {move || publish.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        {d.adopted.is_none().then(|| {
                            let slug = slug.clone();
                            let deadline_hint = format!(
                                "In the conference's time ({}). After it only the drafting committee can propose, submit or edit amendments; it can still decide on those proposed. Leave it empty for no deadline.",
                                d.timezone
                            );
                            view! {
                                <h2>"Amendment deadline"</h2>
                                {move || set_deadline.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                                <ActionForm action=set_deadline attr:class="form" attr:aria-label="Amendment deadline">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <crate::ui::form::FormAlert error=deadline_error />
                                    <Field name="deadline" label="Amendments close at" kind="datetime-local" required=false hint=deadline_hint value=d.deadline.clone() error=deadline_error />
                                    <button type="submit" class="button" disabled=move || set_deadline.pending().get()>
                                        {move || if set_deadline.pending().get() { "Saving…" } else { "Save the deadline" }}
                                    </button>
                                </ActionForm>
                                <h2>"Adoption"</h2>
                            }
                        })}
                        {match d.adopted.clone() {
                            None => view! {
                                <p>
                                    "Adopt the version the conference agreed on, usually at its closing plenary. "
                                    "From then on nobody can change the text: every edit, amendment or decision is refused."
                                </p>
                                <ActionForm action=adopt attr:class="form" attr:aria-label="Adopt the declaration">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <crate::ui::form::FormAlert error=adopt_error />
                                    <SelectField name="version" label="Version to adopt" options=d.versions.clone() error=adopt_error />
                                    <Field name="date" label="Date of adoption" kind="date" hint=hint.clone() value=d.head.conference.end_date.clone() error=adopt_error />
                                    <Field name="place" label="Place of adoption" value=place.clone() error=adopt_error />
                                    <SelectField name="session_id" label="Session of adoption" options=d.sessions.clone() empty="— not at a session —" error=adopt_error />
                                    <div class="field check" class:has-error=move || adopt_error.get().is_some_and(|e| e.field.as_deref() == Some("confirm"))>
                                        <label>
                                            <input type="checkbox" name="confirm" required />
                                            " The conference adopted this version. I understand that its text can no longer change."
                                        </label>
                                        {move || adopt_error.get().filter(|e| e.field.as_deref() == Some("confirm")).map(|e| view! { <p class="field-error">{e.message}</p> })}
                                    </div>
                                    <button type="submit" class="button primary" disabled=move || adopt.pending().get()>
                                        {move || if adopt.pending().get() { "Adopting…" } else { "Adopt this version" }}
                                    </button>
                                </ActionForm>
                            }.into_any(),
                            Some(a) => {
                                let published = d.published;
                                view! {
                                    <p class="adopted-line" role="status">
                                        {format!("Version {} is adopted. {}", a.version, a.sentence())}
                                    </p>
                                    {published.then(|| view! {
                                        <p>"It is published at its permanent address: "<a href=final_href.clone()>{final_href.clone()}</a></p>
                                    })}
                                    <ActionForm action=publish attr:class="form" attr:aria-label="Publish the declaration">
                                        <input type="hidden" name="slug" value=slug.clone() />
                                        <crate::ui::form::FormAlert error=publish_error />
                                        <div class="field check">
                                            <label>
                                                <input type="checkbox" name="history_public" checked=d.history_public />
                                                " Make the drafting history public: anyone may read the versions, the amendments and their discussion."
                                            </label>
                                        </div>
                                        <button type="submit" class="button primary" disabled=move || publish.pending().get()>
                                            {if published { "Save" } else { "Publish the declaration" }}
                                        </button>
                                    </ActionForm>
                                }.into_any()
                            }
                        }}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

#[component]
pub fn FinalPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, get_final);
    view! {
        <Loaded data=data let:d>
            {
                let slug = d.conference.slug.clone();
                let base = format!("/conferences/{slug}/declaration");
                let md_name = format!("{slug}-declaration.md");
                let history = d.history_public;
                view! {
                    <Title text=d.title.clone() />
                    <ConferenceHeader conference=d.conference.clone() tab=Tab::Declaration own_heading=true />
                    <article class="page final-declaration" aria-labelledby="final-title">
                        <header class="final-head">
                            <p class="eyebrow">{d.conference.title.clone()}</p>
                            <h1 id="final-title">{d.title.clone()}</h1>
                            <p class="adopted-line">{d.adopted.sentence()}</p>
                        </header>
                        <div class="declaration prose numbered" inner_html=d.html.clone()></div>
                        <section class="final-downloads" aria-labelledby="downloads-heading">
                            <h2 id="downloads-heading">"Downloads"</h2>
                            <ul>
                                <li><a href=format!("{base}/final.md") download=md_name.clone()>"The adopted text in Markdown (final.md)"</a></li>
                                <li><a href=format!("{base}/final.html")>"A standalone, printable page (final.html)"</a></li>
                                <li><a href=format!("{base}/final.pdf") download=format!("{slug}-declaration.pdf")>"A PDF for printing and archiving (final.pdf)"</a></li>
                            </ul>
                        </section>
                        <section class="final-verify" aria-labelledby="verify-heading">
                            <h2 id="verify-heading">"Verify the text"</h2>
                            <p>"SHA-256 of final.md ("{d.bytes}" bytes):"</p>
                            <p><code class="sha" aria-label="SHA-256">{d.sha256.clone()}</code></p>
                            <p>"A copy is the adopted text if its SHA-256 is the same. To compute it:"</p>
                            <ul class="verify-commands">
                                <li>"Linux: "<code>{format!("sha256sum {md_name}")}</code></li>
                                <li>"macOS: "<code>{format!("shasum -a 256 {md_name}")}</code></li>
                                <li>"Windows (PowerShell): "<code>{format!("Get-FileHash -Algorithm SHA256 {md_name}")}</code></li>
                            </ul>
                        </section>
                        <section class="final-appendix" aria-labelledby="appendix-heading">
                            <h2 id="appendix-heading">"Appendix: adopted amendments"</h2>
                            {if d.amendments.is_empty() {
                                view! { <p>"No amendment was adopted: the committee's text was adopted as it stood."</p> }.into_any()
                            } else {
                                let slug = slug.clone();
                                view! {
                                    <ol class="adopted-amendments">
                                        {d.amendments.iter().map(|a| {
                                            let title = format!("Amendment {}: {}", a.number, a.title);
                                            view! {
                                                <li value=a.number.0>
                                                    {if history {
                                                        view! { <a href=format!("/conferences/{slug}/amendments/{}", a.number)>{title}</a> }.into_any()
                                                    } else {
                                                        view! { <span>{title}</span> }.into_any()
                                                    }}
                                                    {format!(" — sponsored by {}; {}.", a.sponsored_by(), a.status_label)}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            {if history {
                                view! { <p>"The whole drafting history is public: "<a href=format!("{base}/versions")>"every version"</a>" and "<a href=format!("/conferences/{slug}/amendments")>"every amendment"</a>"."</p> }.into_any()
                            } else {
                                view! { <p class="note">"The drafting history is kept private by the organisers."</p> }.into_any()
                            }}
                        </section>
                    </article>
                }.into_any()
            }
        </Loaded>
    }
}

/// "2 paragraphs, 1 session", "nothing tagged yet".
fn counts(a: &AreaDto) -> String {
    let (p, s) = (a.paragraphs.len(), a.sessions.len());
    if p + s == 0 {
        return "nothing tagged yet".to_owned();
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}",
        plural(p, "paragraph", "paragraphs"),
        plural(s, "session", "sessions")
    )
}

/// One area of the emblem as SVG: its shape, code and counts, linking to its list below.
fn area_svg(a: &AreaDto, shape: &str, cx: f32, y: f32) -> String {
    let esc = domain::text::escape_html;
    let empty = a.paragraphs.is_empty() && a.sessions.is_empty();
    let label = esc(&format!("{} {}: {}", a.code, a.title, counts(a)));
    let count = if empty {
        "none".to_owned()
    } else {
        format!("¶ {} · ◷ {}", a.paragraphs.len(), a.sessions.len())
    };
    format!(
        r##"<a href="#kf-{code}" class="kf-area kf-{tier}{empty}" aria-label="{label}"><title>{label}</title>{shape}<text x="{cx}" y="{y1}" text-anchor="middle" class="kf-code">{code}</text><text x="{cx}" y="{y2}" text-anchor="middle" class="kf-count">{count}</text></a>"##,
        code = esc(&a.code),
        tier = a.tier.as_str(),
        empty = if empty { " kf-empty" } else { "" },
        y1 = y + 22.0,
        y2 = y + 42.0,
    )
}

/// The framework drawn as the UNESCO emblem, as SVG markup (built as text, so that the browser
/// parses it as SVG whether the page is rendered on the server or in the browser): the
/// pediment (3 benefits), six columns (building blocks) and three foundation steps
/// (fundamental conditions).
fn emblem_svg(areas: &[AreaDto]) -> String {
    let esc = domain::text::escape_html;
    let tier = |t: Tier| areas.iter().filter(|a| a.tier == t).collect::<Vec<_>>();
    let mut svg = String::from(
        r#"<svg class="kf-emblem" viewBox="0 0 600 470" role="group" aria-labelledby="kf-emblem-title"><title id="kf-emblem-title">The Key Features of Learning Cities, drawn as the UNESCO emblem</title><polygon points="300,12 588,150 12,150" class="kf-roof"/>"#,
    );
    for (i, a) in tier(Tier::Pediment).into_iter().enumerate() {
        let x = 140.0 + i as f32 * 110.0;
        let shape = format!(r#"<rect x="{x}" y="92" width="100" height="52" rx="6"/>"#);
        svg.push_str(&area_svg(a, &shape, x + 50.0, 92.0));
    }
    svg.push_str(r#"<rect x="12" y="154" width="576" height="14" class="kf-beam"/>"#);
    for (i, a) in tier(Tier::Column).into_iter().enumerate() {
        let x = 24.0 + i as f32 * 95.0;
        let shape = format!(r#"<rect x="{x}" y="174" width="77" height="170" rx="4"/>"#);
        svg.push_str(&area_svg(a, &shape, x + 38.5, 230.0));
    }
    for (i, a) in tier(Tier::Foundation).into_iter().enumerate() {
        let inset = 24.0 - i as f32 * 12.0;
        let y = 350.0 + i as f32 * 40.0;
        let w = 600.0 - 2.0 * inset;
        let empty = a.paragraphs.is_empty() && a.sessions.is_empty();
        let label = esc(&format!("{} {}: {}", a.code, a.title, counts(a)));
        let count = if empty {
            "none".to_owned()
        } else {
            format!("¶ {} · ◷ {}", a.paragraphs.len(), a.sessions.len())
        };
        svg.push_str(&format!(
            r##"<a href="#kf-{code}" class="kf-area kf-foundation{empty}" aria-label="{label}"><title>{label}</title><rect x="{inset}" y="{y}" width="{w}" height="36" rx="3"/><text x="{tx}" y="{ty}" class="kf-code">{code}</text><text x="{tt}" y="{ty}" class="kf-step-title">{title}</text><text x="{tc}" y="{ty}" text-anchor="end" class="kf-count">{count}</text></a>"##,
            code = esc(&a.code),
            title = esc(&a.title),
            empty = if empty { " kf-empty" } else { "" },
            tx = inset + 14.0,
            tt = inset + 54.0,
            tc = 600.0 - inset - 14.0,
            ty = y + 24.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[component]
pub fn FrameworkPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, get_framework);
    view! {
        <Title text="Key Features of Learning Cities" />
        <Loaded data=data let:f>
            {
                let slug = f.conference.slug.clone();
                let tiers = [
                    (Tier::Pediment, "Wider benefits of building a learning city"),
                    (Tier::Column, "Major building blocks of a learning city"),
                    (Tier::Foundation, "Fundamental conditions for building a learning city"),
                ];
                let missing: Vec<String> = f.areas.iter().filter(|a| a.paragraphs.is_empty() && a.sessions.is_empty()).map(|a| format!("{} {}", a.code, a.title)).collect();
                view! {
                    <ConferenceHeader conference=f.conference.clone() tab=Tab::Framework own_heading=true />
                    <section class="page framework-page">
                        <h1>"Key Features of Learning Cities"</h1>
                        <p class="note">
                            "The framework adopted in Beijing in 2013. Each area shows how many paragraphs of the declaration ("{f.text_label.clone()}", ¶) and how many sessions of the programme (◷) are tagged with it. Areas with nothing tagged are drawn dashed."
                        </p>
                        <div class="kf-emblem-wrap" inner_html=emblem_svg(&f.areas)></div>
                        {(!missing.is_empty()).then(|| view! {
                            <p class="kf-missing" role="note">{format!("Nothing tagged yet: {}.", missing.join("; "))}</p>
                        })}
                        {tiers.into_iter().map(|(tier, heading)| {
                            let slug = slug.clone();
                            view! {
                                <section class="kf-tier" aria-label=heading>
                                    <h2>{heading}</h2>
                                    {f.areas.iter().filter(|a| a.tier == tier).map(|a| {
                                        let slug = slug.clone();
                                        let empty = a.paragraphs.is_empty() && a.sessions.is_empty();
                                        view! {
                                            <section class="kf-area-list" class:kf-empty=empty id=format!("kf-{}", a.code) aria-labelledby=format!("kf-{}-title", a.code)>
                                                <h3 id=format!("kf-{}-title", a.code)>{format!("{} {}", a.code, a.title)}</h3>
                                                <p class="meta">{counts(a)}</p>
                                                {(!a.paragraphs.is_empty()).then(|| view! {
                                                    <ul class="kf-items">
                                                        {a.paragraphs.iter().map(|p| view! {
                                                            <li><a href=p.href.clone()>{format!("Paragraph {}", p.label)}</a>{p.excerpt.clone().map(|e| format!(": {e}"))}</li>
                                                        }).collect_view()}
                                                    </ul>
                                                })}
                                                {(!a.sessions.is_empty()).then(|| view! {
                                                    <ul class="kf-items">
                                                        {a.sessions.iter().map(|s| view! {
                                                            <li><a href=format!("/conferences/{slug}/sessions/{}", s.id)>{s.title.clone()}</a></li>
                                                        }).collect_view()}
                                                    </ul>
                                                })}
                                            </section>
                                        }
                                    }).collect_view()}
                                </section>
                            }
                        }).collect_view()}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

/// The organiser's form on a session page: the Key Features the session serves.
#[component]
pub(crate) fn SessionKeyFeatures(
    slug: String,
    session_id: domain::ids::SessionId,
    codes: Vec<String>,
) -> impl IntoView {
    let tag = ServerAction::<crate::adoption::api::TagSession>::new();
    let error = error_of(tag.value());
    let current = RwSignal::new(codes);
    Effect::new(move |_| {
        if let Some(Ok(codes)) = tag.value().get() {
            current.set(codes);
        }
    });
    view! {
        <ActionForm action=tag attr:class="form kf-session-form" attr:aria-label="Key Features of this session">
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="session_id" value=session_id.0 />
            <crate::ui::form::FormAlert error=error />
            <crate::ui::key_features::KeyFeatureBoxes legend="Key Features this session serves" checked=move |code| current.with(|c| c.iter().any(|x| x == code)) />
            {move || error.get().filter(|e| e.field.as_deref() == Some("key_features")).map(|e| view! { <p class="field-error">{e.message}</p> })}
            <button type="submit" class="button" disabled=move || tag.pending().get()>"Save the Key Features"</button>
            {move || tag.value().get().and_then(Result::ok).map(|c| view! {
                <p class="form-notice" role="status">
                    {if c.is_empty() { "This session serves no Key Feature now.".to_owned() } else { format!("This session now serves {}.", c.join(", ")) }}
                </p>
            })}
        </ActionForm>
    }
}
