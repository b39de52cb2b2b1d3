//! The plenary hall's screen: full-screen, large type, what the chair put up (the amendment on
//! the floor as a word diff, or a paragraph), and the result once the amendment is decided. It
//! follows the live stream, so the projector changes as the chair acts; it fits a 1920×1080
//! projector and a phone alike (type sized by the viewport).

use crate::drafting::api::*;
use crate::drafting::dto::*;
use crate::live::components::use_live;
use crate::ui::page::{slug_param, Loaded};
use domain::live::Topic;
use leptos::prelude::*;
use leptos_meta::Title;

fn text_of(spans: Vec<DiffSpanDto>) -> impl IntoView {
    spans
        .into_iter()
        .map(|s| match s.kind {
            DiffKind::Equal => view! { <span>{s.text}</span> }.into_any(),
            DiffKind::Inserted => view! { <ins>{s.text}</ins> }.into_any(),
            DiffKind::Deleted => view! { <del>{s.text}</del> }.into_any(),
        })
        .collect_view()
}

#[component]
pub fn ScreenPage() -> impl IntoView {
    let slug = slug_param();
    let live = use_live();
    let data = Resource::new(
        move || (slug(), live.tick(Topic::Declaration)),
        |(s, _)| get_screen(s),
    );
    view! {
        <Title text="Screen" />
        <Loaded data=data transition=true let:d>
            {
                let back = format!("/conferences/{}/amendments/voting", d.head.conference.slug);
                let only_paragraph = d.amendment.is_none() && !d.paragraphs.is_empty();
                let paragraphs = d.paragraphs.clone();
                view! {
                    <div class="screen" role="region" aria-label="Plenary screen" aria-live="polite">
                        <header class="screen-head">
                            <p class="screen-title">{d.head.title.clone()}</p>
                            <a class="screen-exit" href=back>"Leave the screen"</a>
                        </header>
                        {match d.amendment.clone() {
                            Some(a) => view! {
                                <h1 class="screen-heading">{format!("Amendment {}: {}", a.number, a.title)}</h1>
                                <p class="screen-sponsor">
                                    {a.sponsor_name.clone()}
                                    {a.delegation_name.clone().map(|dl| format!(" ({dl})"))}
                                </p>
                                {a.result.clone().map(|r| {
                                    let class = if matches!(a.status, AmendmentStatus::Rejected | AmendmentStatus::Withdrawn | AmendmentStatus::Lapsed) { "screen-result not-adopted" } else { "screen-result adopted" };
                                    view! { <p class=class role="status">{r}</p> }
                                })}
                            }.into_any(),
                            None if only_paragraph => view! {
                                <h1 class="screen-heading">{paragraphs.first().and_then(|p| p.label.clone()).unwrap_or_default()}</h1>
                            }.into_any(),
                            None => view! {
                                <h1 class="screen-heading">"Nothing on the screen"</h1>
                                <p class="screen-sponsor">"The chair puts a paragraph or an amendment here."</p>
                            }.into_any(),
                        }}
                        {paragraphs.into_iter().map(|p| view! {
                            <section class="screen-paragraph">
                                {(!only_paragraph).then(|| p.label.clone().map(|l| view! { <h2>{l}</h2> }))}
                                <p class="screen-text">{text_of(p.spans)}</p>
                            </section>
                        }).collect_view()}
                    </div>
                }.into_any()
            }
        </Loaded>
    }
}
