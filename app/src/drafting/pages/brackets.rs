//! Square brackets: where the negotiation of the current text stands, paragraph by paragraph
//! (agreed, agreed ad referendum, in brackets), the share of the text still in brackets drawn,
//! filterable by Key Feature; the committee brackets passages and settles them here.

use crate::drafting::api::*;
use crate::drafting::components::*;
use crate::live::components::use_live;
use crate::ui::form::{error_of, Alert, Field, NoticeView, SelectField, TextField};
use crate::ui::page::{slug_param, Loaded};
use domain::drafting::brackets::{BracketState, ParagraphStatus};
use domain::live::Topic;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn status_label(s: ParagraphStatus) -> String {
    match s {
        ParagraphStatus::Agreed => "Agreed".into(),
        ParagraphStatus::AdRef => "Agreed ad ref".into(),
        ParagraphStatus::Bracketed(1) => "1 passage in brackets".into(),
        ParagraphStatus::Bracketed(n) => format!("{n} passages in brackets"),
    }
}

fn status_class(s: ParagraphStatus) -> &'static str {
    match s {
        ParagraphStatus::Agreed => "agreed",
        ParagraphStatus::AdRef => "adref",
        ParagraphStatus::Bracketed(_) => "bracketed",
    }
}

/// The paragraphs by status as one bar, drawn: agreed, ad ref, in brackets.
#[component]
fn StatusBar(agreed: usize, ad_ref: usize, bracketed: usize) -> impl IntoView {
    let total = (agreed + ad_ref + bracketed).max(1) as f64;
    let w = |n: usize| n as f64 / total * 100.0;
    let (a, r) = (w(agreed), w(ad_ref));
    let label = format!(
        "Paragraphs: {agreed} agreed, {ad_ref} agreed ad ref, {bracketed} with passages in brackets"
    );
    let title = label.clone();
    view! {
        <svg class="bracket-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label=label>
            <title>{title}</title>
            <rect x="0" y="0" width=format!("{a:.2}") height="6" class="bar-agreed" />
            <rect x=format!("{a:.2}") y="0" width=format!("{r:.2}") height="6" class="bar-adref" />
            <rect x=format!("{:.2}", a + r) y="0" width=format!("{:.2}", w(bracketed)) height="6" class="bar-bracketed" />
        </svg>
    }
}

#[component]
pub fn BracketsPage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let live = use_live();
    let mark = ServerAction::<BracketPassage>::new();
    let settle = ServerAction::<SettleBracket>::new();
    let mark_error = error_of(mark.value());
    let settle_error = error_of(settle.value());
    let data = Resource::new(
        move || {
            (
                slug(),
                query.with(|q| q.get("feature")),
                live.tick(Topic::Declaration),
                mark.version().get(),
                settle.version().get(),
            )
        },
        |(s, f, _, _, _)| get_brackets(s, f),
    );
    view! {
        <Title text="Brackets" />
        <Loaded data=data transition=true let:d>
            {
                let slug = d.head.conference.slug.clone();
                let edit = d.can_edit;
                let version = d.version.0;
                let share = if d.total_words == 0 { 0.0 } else { d.bracketed_words as f64 / d.total_words as f64 * 100.0 };
                let action = format!("/conferences/{slug}/declaration/brackets");
                view! {
                    <DraftingHeader head=d.head.clone() section=Some(Section::Brackets) />
                    <section class="page brackets-page">
                        <h1>"Brackets"</h1>
                        <p class="note">
                            "Text still under negotiation stands in square brackets, with its alternatives when there are several. "
                            "Once agreed at working level it is agreed ad referendum (pending confirmation); once confirmed, its brackets go. "
                            "The declaration can be adopted only when no passage is in brackets or awaiting confirmation."
                        </p>
                        {move || mark.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        {move || settle.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <Alert error=settle_error fields=&[] />
                        <div class="bracket-summary">
                            <p class="bracket-share">
                                <strong>{format!("{share:.0}%")}</strong>
                                {format!(" of the text in brackets ({} of {} words) in version {version}.", d.bracketed_words, d.total_words)}
                            </p>
                            <StatusBar agreed=d.agreed ad_ref=d.ad_ref bracketed=d.bracketed />
                            <ul class="bracket-legend">
                                <li><span class="swatch bar-agreed"></span>{format!("{} agreed", d.agreed)}</li>
                                <li><span class="swatch bar-adref"></span>{format!("{} agreed ad ref", d.ad_ref)}</li>
                                <li><span class="swatch bar-bracketed"></span>{format!("{} with passages in brackets", d.bracketed)}</li>
                            </ul>
                        </div>
                        <p>
                            <a href=format!("/conferences/{slug}/declaration/draft.pdf") download=format!("{slug}-draft.pdf")>
                                "The working draft as a PDF, with its brackets (draft.pdf)"
                            </a>
                        </p>
                        <form method="get" action=action.clone() class="form inline-filter" aria-label="Filter by Key Feature">
                            <SelectField name="feature" label="Key Feature" options=d.features.clone() empty="All paragraphs" selected=d.feature.clone().unwrap_or_default() error=Signal::derive(|| None) />
                            <button type="submit" class="button">"Show"</button>
                        </form>
                        {edit.then(|| {
                            let s = slug.clone();
                            view! {
                                <section class="bracket-new">
                                    <h2>"Put a passage in brackets"</h2>
                                    <ActionForm action=mark attr:class="form" attr:aria-label="Put a passage in brackets">
                                        <input type="hidden" name="slug" value=s />
                                        <input type="hidden" name="version" value=version />
                                        <Alert error=mark_error fields=&["paragraph", "passage", "alternatives"] />
                                        <SelectField name="paragraph" label="Paragraph" options=d.choices.clone() error=mark_error />
                                        <Field name="passage" label="Passage" hint="The words to bracket, exactly as they stand in the paragraph." error=mark_error />
                                        <TextField name="alternatives" id="f-alternatives" label="Alternatives (optional)" hint="Other wordings proposed for the passage, one per line." rows=2 error=mark_error />
                                        <button type="submit" class="button" disabled=move || mark.pending().get()>"Put in brackets"</button>
                                    </ActionForm>
                                </section>
                            }
                        })}
                        {if d.paragraphs.is_empty() {
                            view! { <p>"No paragraph carries this Key Feature."</p> }.into_any()
                        } else {
                            view! {
                                <ol class="bracket-list">
                                    {d.paragraphs.clone().into_iter().map(|p| {
                                        let label = p.label.clone();
                                        let heading = format!("Paragraph {label}");
                                        view! {
                                            <li class=format!("bracket-para status-{}", status_class(p.status))>
                                                <h2 class="bracket-para-head">
                                                    {heading.clone()}
                                                    " "
                                                    <span class=format!("badge bracket-status {}", status_class(p.status))>{status_label(p.status)}</span>
                                                    {p.codes.iter().map(|c| view! { " "<span class="kf-code">{c.clone()}</span> }).collect_view()}
                                                </h2>
                                                <div class="declaration prose bracket-text" inner_html=p.html.clone()></div>
                                                {edit.then(|| {
                                                    let slug = slug.clone();
                                                    p.brackets.clone().into_iter().map(move |b| {
                                                        let slug = slug.clone();
                                                        let passage = b.alternatives.join(" / ");
                                                        let form = move |decision: &'static str, choice: Option<usize>, text: String, aria: String| {
                                                            let slug = slug.clone();
                                                            view! {
                                                                <ActionForm action=settle attr:class="inline-form">
                                                                    <input type="hidden" name="slug" value=slug />
                                                                    <input type="hidden" name="version" value=version />
                                                                    <input type="hidden" name="bracket" value=b.index />
                                                                    <input type="hidden" name="decision" value=decision />
                                                                    {choice.map(|c| view! { <input type="hidden" name="choice" value=c /> })}
                                                                    <button type="submit" class="button small" aria-label=aria disabled=move || settle.pending().get()>{text}</button>
                                                                </ActionForm>
                                                            }
                                                        };
                                                        let controls = match (b.state, b.alternatives.len()) {
                                                            (BracketState::AdRef, _) => vec![
                                                                form("agreed", None, "Confirm as agreed".into(), format!("Confirm “{passage}” in paragraph {label} as agreed")),
                                                                form("reopen", None, "Back in brackets".into(), format!("Put “{passage}” in paragraph {label} back in brackets")),
                                                            ],
                                                            (BracketState::Open, 1) => vec![
                                                                form("ad_ref", None, "Agree ad ref".into(), format!("Agree “{passage}” in paragraph {label} ad ref")),
                                                                form("agreed", None, "Agree".into(), format!("Agree “{passage}” in paragraph {label}")),
                                                            ],
                                                            (BracketState::Open, _) => b.alternatives.iter().enumerate().flat_map(|(k, alt)| [
                                                                form("ad_ref", Some(k + 1), format!("Ad ref: “{alt}”"), format!("Agree “{alt}” in paragraph {label} ad ref")),
                                                                form("agreed", Some(k + 1), format!("Agree: “{alt}”"), format!("Agree “{alt}” in paragraph {label}")),
                                                            ]).collect(),
                                                        };
                                                        view! {
                                                            <div class="bracket-controls">
                                                                <span class="bracket-passage">
                                                                    {match b.state { BracketState::Open => "In brackets: ", BracketState::AdRef => "Agreed ad ref: " }}
                                                                    {format!("“{passage}”")}
                                                                </span>
                                                                {controls}
                                                            </div>
                                                        }
                                                    }).collect_view()
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}
