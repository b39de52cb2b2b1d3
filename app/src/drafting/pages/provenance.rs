//! Which version introduced each word of the current text.

use crate::drafting::api::*;
use crate::drafting::components::*;
use crate::drafting::dto::*;
use crate::ui::page::{slug_param, Loaded};
use leptos::prelude::*;
use leptos_meta::Title;

// ---------------------------------------------------------------------------------------------
// provenance

/// Where a passage came from, as a key for its colour and legend.
#[derive(Clone, PartialEq)]
pub(crate) enum Source {
    /// A version, and who wrote the passage (in a co-edited version, each typist apart).
    Version(i32, Option<String>),
    Amendment(i32),
}

pub(crate) fn source_of(s: &ProvenanceSpanDto) -> Source {
    match &s.amendment {
        Some(a) => Source::Amendment(a.number.0),
        None => Source::Version(s.version.0, s.author_name.clone()),
    }
}

pub(crate) fn source_label(s: &ProvenanceSpanDto) -> String {
    match &s.amendment {
        Some(a) => {
            let mut l = format!("Amendment {} — {}", a.number, a.sponsor_name);
            if let Some(d) = &a.delegation_name {
                l.push_str(", ");
                l.push_str(d);
            }
            l.push_str(&format!(" (version {})", s.version));
            l
        }
        None => match &s.author_name {
            Some(author) => format!("Version {} — {author}", s.version),
            None => format!("Version {}", s.version),
        },
    }
}

pub(crate) const PALETTE: usize = 8;

/// The class of each legend entry: the source with the most text is the quiet background
/// ("prov-base"); the others take the palette's colours in order.
pub(crate) fn source_classes(legend: &[LegendEntry], spans: &[ProvenanceSpanDto]) -> Vec<String> {
    let size = |key: &Source| -> usize {
        spans
            .iter()
            .filter(|s| source_of(s) == *key)
            .map(|s| s.text.len())
            .sum()
    };
    let base = legend
        .iter()
        .enumerate()
        .max_by_key(|(i, (k, _, _))| (size(k), std::cmp::Reverse(*i)))
        .map(|(i, _)| i);
    let mut next = 0;
    legend
        .iter()
        .enumerate()
        .map(|(i, _)| {
            if Some(i) == base {
                "prov-base".to_owned()
            } else {
                next += 1;
                format!("prov-{}", (next - 1) % PALETTE)
            }
        })
        .collect()
}

/// A source, its label, and the number and title of its amendment.
pub(crate) type LegendEntry = (Source, String, Option<(AmendmentNumber, String)>);

#[component]
pub fn ProvenancePage() -> impl IntoView {
    let slug = slug_param();
    let live = crate::live::components::use_live();
    // a new version is credited without a reload
    let data = Resource::new(
        move || (slug(), live.tick(domain::live::Topic::Declaration)),
        |(s, _)| get_provenance(s),
    );
    view! {
        <Title text="Who wrote this" />
        <Loaded data=data transition=true let:p>
            {
                let slug = p.head.conference.slug.clone();
                // each source once, in version order (the version that brought it in), with its
                // colour and label
                let mut legend: Vec<LegendEntry> = Vec::new();
                let mut versions: Vec<i32> = Vec::new();
                for s in &p.spans {
                    let key = source_of(s);
                    if !legend.iter().any(|(k, _, _)| *k == key) {
                        legend.push((key, source_label(s), s.amendment.as_ref().map(|a| (a.number, a.title.clone()))));
                        versions.push(s.version.0);
                    }
                }
                let mut order: Vec<usize> = (0..legend.len()).collect();
                order.sort_by_key(|&i| (versions[i], i));
                let legend: Vec<LegendEntry> = order.into_iter().map(|i| legend[i].clone()).collect();
                let classes = source_classes(&legend, &p.spans);
                let class_of = |key: &Source| legend.iter().position(|(k, _, _)| k == key).and_then(|i| classes.get(i).cloned()).unwrap_or_default();
                let pieces: Vec<Piece<(String, String)>> = p.spans.iter().map(|s| {
                    ((class_of(&source_of(s)), source_label(s)), s.text.clone())
                }).collect();
                let paragraphs = split_paragraphs(pieces);
                let legend_view = legend.iter().zip(&classes).map(|((_, label, amendment), class)| view! {
                    <li>
                        <span class=format!("prov-swatch {class}") aria-hidden="true"></span>
                        {match amendment {
                            Some((n, title)) => view! {
                                <span>
                                    <a href=amendment_href(&slug, *n)>{label.clone()}</a>
                                    <span class="session-meta">{format!(" “{title}”")}</span>
                                </span>
                            }.into_any(),
                            None => view! { <span>{label.clone()}</span> }.into_any(),
                        }}
                    </li>
                }).collect_view();
                view! {
                    <DraftingHeader head=p.head.clone() section=Some(Section::Provenance) />
                    <section class="page">
                        <h1>"Who wrote this"</h1>
                        <p class="note">
                            "The current text (version "{p.head.current_version.0}"), each passage marked with the version or amendment that brought it in. "
                            "In a version the committee co-edited, each passage is credited to whoever typed it. Hover or focus a passage to read its source. "
                            <a href=format!("/conferences/{slug}/declaration/compilation.md") download="compilation.md">"Download the compilation text"</a>
                            " (with every pending amendment inline, Markdown)."
                        </p>
                        <div class="provenance-layout">
                            <section class="prov-legend-box" aria-labelledby="legend-heading">
                                <h2 id="legend-heading">"Sources"</h2>
                                <ul class="prov-legend">{legend_view}</ul>
                            </section>
                            <div class="provenance-text declaration" role="region" aria-label="The current text by source">
                                {paragraphs.into_iter().map(|para| view! {
                                    <p class="prov-para">
                                        {para.into_iter().map(|((class, label), text)| {
                                            let base = class == "prov-base";
                                            view! {
                                                <span class=format!("prov {class}") title=label.clone() aria-description=label tabindex=(!base).then_some("0")>{soft_wrap(&text)}</span>
                                            }
                                        }).collect_view()}
                                    </p>
                                }).collect_view()}
                            </div>
                        </div>
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}
