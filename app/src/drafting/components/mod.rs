//! The drafting pages' shared parts: query helpers, times, alerts, text fields, the
//! drafting header; and, in the submodules, the Markdown editor, the diff views and the
//! conflict markers.

use crate::drafting::dto::*;
use crate::error::AppError;
use crate::ui::form::field_message;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

mod coedit;
mod conflict;
mod diff;
mod editor;
pub(crate) use coedit::*;
pub(crate) use conflict::*;
pub(crate) use diff::*;
pub(crate) use editor::*;

// ---------------------------------------------------------------------------------------------
// small helpers

pub(crate) fn query_param(
    name: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || q.read().get(name).filter(|v| !v.is_empty())
}

/// `?view=inline` shows diffs inline; anything else side by side.
pub(crate) fn inline_view() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let view = query_param("view");
    move || view().as_deref() == Some("inline")
}

/// "2015-09-28 14:03 UTC" from an RFC 3339 time in UTC.
pub(crate) fn when(rfc: &str) -> String {
    match (rfc.get(..10), rfc.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => rfc.to_owned(),
    }
}

#[component]
pub(crate) fn Time(at: String) -> impl IntoView {
    let label = when(&at);
    view! { <time datetime=at>{label}</time> }
}

pub(crate) fn base_path(slug: &str) -> String {
    format!("/conferences/{slug}")
}

pub(crate) fn amendment_href(slug: &str, number: AmendmentNumber) -> String {
    format!("/conferences/{slug}/amendments/{number}")
}

/// Bumps `reload` whenever an action succeeds: resources keyed on it read again, while a failed
/// action leaves every form (and what was typed into it) as it is.
pub(crate) fn reload_on_success<T, S>(value: S, reload: RwSignal<u32>)
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
        }
    });
}

// ---------------------------------------------------------------------------------------------
// the drafting header and its sub-navigation

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Section {
    Versions,
    Edit,
    Provenance,
    Amendments,
    Voting,
    Brackets,
    Comments,
    Propose,
}

#[component]
pub(crate) fn DraftingHeader(head: DraftHeadDto, section: Option<Section>) -> impl IntoView {
    let base = base_path(&head.conference.slug);
    let current = move |s: Section| (Some(s) == section).then_some("page");
    view! {
        <header class="drafting-header">
            <p class="eyebrow">
                <a href=base.clone()>{head.conference.title.clone()}</a>
            </p>
            <p class="drafting-title">
                {head.title.clone()}
                " "
                <span class=format!("badge status-{}", head.status.as_str())>
                    {head.status.label()}
                </span>
                " "
                <span class="drafting-current">"Current version: "{head.current_version.0}</span>
            </p>
            {head.deadline.clone().filter(|_| head.status == DeclarationStatus::Drafting).map(|dl| view! {
                <p class="drafting-deadline" class:passed=dl.passed>
                    {if dl.passed { "Amendments closed on " } else { "Amendments close on " }}
                    <time datetime=dl.at.clone()>{dl.label.clone()}</time>
                    {if dl.passed { ". The drafting committee can still act on those proposed." } else { "." }}
                </p>
            })}
            <nav class="tabs drafting-nav" aria-label="Declaration drafting">
                <a href=format!("{base}/declaration")>"Draft"</a>
                <a href=format!("{base}/declaration/versions") aria-current=current(Section::Versions)>
                    "Versions"
                </a>
                <a href=format!("{base}/amendments") aria-current=current(Section::Amendments)>
                    "Amendments"
                </a>
                <a href=format!("{base}/amendments/voting") aria-current=current(Section::Voting)>
                    "Voting order"
                </a>
                <a href=format!("{base}/declaration/brackets") aria-current=current(Section::Brackets)>
                    "Brackets"
                </a>
                <a href=format!("{base}/declaration/comments") aria-current=current(Section::Comments)>
                    "Comments"
                </a>
                <a href=format!("{base}/declaration/provenance") aria-current=current(Section::Provenance)>
                    "Provenance"
                </a>
                {head.can_edit.then(|| view! {
                    <a href=format!("{base}/declaration/edit") aria-current=current(Section::Edit)>"Edit"</a>
                })}
                {head.can_propose.then(|| view! {
                    <a href=format!("{base}/amendments/new") aria-current=current(Section::Propose)>
                        "Propose an amendment"
                    </a>
                })}
                {head.can_adopt.then(|| view! {
                    <a href=format!("{base}/declaration/adopt")>"Adopt and publish"</a>
                })}
            </nav>
        </header>
    }
}

pub(crate) fn numbers_list(ns: &[AmendmentNumber]) -> String {
    ns.iter()
        .map(AmendmentNumber::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn rebase_note(
    rebased: &[AmendmentNumber],
    flagged: &[AmendmentNumber],
) -> Option<String> {
    let mut parts = Vec::new();
    if !rebased.is_empty() {
        parts.push(format!(
            "Pending amendments moved onto it: {}.",
            numbers_list(rebased)
        ));
    }
    if !flagged.is_empty() {
        parts.push(format!(
            "Amendments that now need an update by their sponsors: {}.",
            numbers_list(flagged)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines_even_inside_pieces() {
        let pieces = vec![
            (0, "# T\n\nOne ".to_owned()),
            (1, "two\n\nThree".to_owned()),
            (0, " four.\n".to_owned()),
        ];
        let paras = split_paragraphs(pieces);
        let texts: Vec<String> = paras
            .iter()
            .map(|p| p.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(texts, vec!["# T", "One two", "Three four.\n"]);
        assert_eq!(paras[2][0].0, 1);
    }

    #[test]
    fn unchanged_runs_fold_with_context() {
        let runs = fold(vec![0, 0, 0, 1, 0, 0, 0, 0, 1], |&x| x == 1);
        let shape: Vec<(bool, usize)> = runs
            .iter()
            .map(|r| match r {
                Run::Shown(v) => (true, v.len()),
                Run::Folded(v) => (false, v.len()),
            })
            .collect();
        assert_eq!(shape, vec![(false, 2), (true, 3), (false, 2), (true, 2)]);
    }

    #[test]
    fn markers_parse_into_conflicts() {
        let text = "A\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\nB\n";
        let blocks = parse_markers(text);
        assert_eq!(blocks.len(), 3);
        assert!(
            matches!(&blocks[1], Block::Conflict { ours, theirs } if ours == "x\n" && theirs == "y\n")
        );
        assert!(has_markers(text));
        assert!(!has_markers("Title\n=======\n"));
    }

    #[test]
    fn the_preview_labels_paragraphs_as_the_saved_version_will() {
        use domain::drafting::{initial_labels, next_labels, paragraphs};
        let v1 = "# T\n\nOne.\n\nTwo.\n";
        let v2 = "# T\n\nOne.\n\nNew.\n\nTwo.\n";
        let l2 = next_labels(v1, &initial_labels(&paragraphs(v1)), v2, &[]);
        // typing a paragraph after "1 bis" and a script
        let typed = "# T\n\nOne.\n\nNew.\n\nNewer <script>x</script>.\n\nTwo.\n";
        let html = preview_html(typed, v2, &l2);
        for n in ["1", "1 bis", "1 ter", "2"] {
            assert!(
                html.contains(&format!(r#"<span class="para-number">{n}</span>"#)),
                "{n}: {html}"
            );
        }
        assert!(!html.contains("<script"));
        // under the page's own heading, the text's title is an h2 that looks like one
        assert!(html.starts_with("<h2 class=\"md-h1\">"), "{html}");
    }
}
