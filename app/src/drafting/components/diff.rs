//! Word diffs drawn side by side or inline, unchanged runs folded.

use super::*;

// ---------------------------------------------------------------------------------------------
// diffs

/// A piece of a paragraph: (kind, text).
pub(crate) type Piece<K> = (K, String);

/// Cuts a run of pieces (that concatenate to a Markdown text) into its paragraphs, at blank
/// lines; a piece that spans a paragraph break is cut in two.
pub(crate) fn split_paragraphs<K: Clone>(
    pieces: impl IntoIterator<Item = Piece<K>>,
) -> Vec<Vec<Piece<K>>> {
    let mut out: Vec<Vec<Piece<K>>> = vec![Vec::new()];
    for (kind, text) in pieces {
        let text = text.replace('\r', "");
        for (i, part) in text.split("\n\n").enumerate() {
            if i > 0 {
                out.push(Vec::new());
            }
            let part = if out.last().is_some_and(Vec::is_empty) {
                part.trim_start_matches('\n')
            } else {
                part
            };
            if !part.is_empty() {
                if let Some(p) = out.last_mut() {
                    p.push((kind.clone(), part.to_owned()));
                }
            }
        }
    }
    out.retain(|p| p.iter().any(|(_, t)| !t.trim().is_empty()));
    out
}

/// Runs of items to show, and runs of unchanged ones to fold: each changed item keeps
/// `CONTEXT` unchanged neighbours on either side.
pub(crate) enum Run<T> {
    Shown(Vec<T>),
    Folded(Vec<T>),
}

pub(crate) const CONTEXT: usize = 1;

pub(crate) fn fold<T>(items: Vec<T>, changed: impl Fn(&T) -> bool) -> Vec<Run<T>> {
    let flags: Vec<bool> = items.iter().map(&changed).collect();
    let keep: Vec<bool> = (0..flags.len())
        .map(|i| {
            let lo = i.saturating_sub(CONTEXT);
            let hi = (i + CONTEXT + 1).min(flags.len());
            flags[lo..hi].iter().any(|&c| c)
        })
        .collect();
    let mut runs: Vec<Run<T>> = Vec::new();
    for (item, k) in items.into_iter().zip(keep) {
        match (runs.last_mut(), k) {
            (Some(Run::Shown(v)), true) | (Some(Run::Folded(v)), false) => v.push(item),
            (_, true) => runs.push(Run::Shown(vec![item])),
            (_, false) => runs.push(Run::Folded(vec![item])),
        }
    }
    runs
}

pub(crate) fn unchanged_label(n: usize) -> String {
    if n == 1 {
        "… 1 unchanged paragraph".into()
    } else {
        format!("… {n} unchanged paragraphs")
    }
}

/// Whether a line of Markdown starts a block of its own (a list item, a heading, a quote, a
/// table row), so that the line break before it is kept on screen.
pub(crate) fn starts_block(line: &str) -> bool {
    let l = line.trim_start_matches(' ');
    let digits = l.bytes().take_while(u8::is_ascii_digit).count();
    l.is_empty()
        || l.starts_with('\n')
        || ["- ", "* ", "+ ", "#", ">", "|"]
            .iter()
            .any(|p| l.starts_with(p))
        || (digits > 0 && (l[digits..].starts_with(". ") || l[digits..].starts_with(") ")))
}

/// Markdown source for reading: the soft line breaks inside a paragraph become spaces (as they
/// do in the rendered text), while breaks before list items, headings and the like stay.
pub(crate) fn soft_wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\n') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        out.push(if starts_block(after) { '\n' } else { ' ' });
        rest = after;
    }
    out.push_str(rest);
    out
}

pub(crate) fn diff_spans(spans: Vec<Piece<DiffKind>>) -> impl IntoView {
    spans
        .into_iter()
        .map(|(kind, text)| (kind, soft_wrap(&text)))
        .map(|(kind, text)| match kind {
            DiffKind::Equal => view! { <span>{text}</span> }.into_any(),
            DiffKind::Inserted => view! { <ins>{text}</ins> }.into_any(),
            DiffKind::Deleted => view! { <del>{text}</del> }.into_any(),
        })
        .collect_view()
}

pub(crate) fn diff_cell(
    cell: Option<DiffCellDto>,
    side: &'static str,
    label: &str,
) -> impl IntoView {
    match cell {
        Some(c) => {
            let number = c.label;
            let heading = number.is_none();
            let spans = c.spans.into_iter().map(|s| (s.kind, s.text)).collect();
            let sr = match &number {
                Some(n) => format!("{label}, paragraph {n}: "),
                None => format!("{label}, heading: "),
            };
            view! {
                <div class=format!("diff-cell {side}") class:heading-cell=heading>
                    <span class="para-number" aria-hidden="true">{number}</span>
                    <div class="diff-text">
                        <span class="diff-side-label" aria-hidden="true">{label.to_owned()}</span>
                        <span class="visually-hidden">{sr}</span>
                        {diff_spans(spans)}
                    </div>
                </div>
            }
            .into_any()
        }
        None => {
            let note = if side == "old" {
                format!("Not in {label}: a new paragraph")
            } else {
                format!("Not in {label}: paragraph deleted")
            };
            view! {
                <div class=format!("diff-cell {side} diff-empty")>
                    <span class="para-number" aria-hidden="true"></span>
                    <div class="diff-text">
                        <span class="diff-side-label" aria-hidden="true">{label.to_owned()}</span>
                        <em>{note}</em>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

pub(crate) fn diff_rows(rows: Vec<DiffRowDto>, old_label: &str, new_label: &str) -> impl IntoView {
    rows.into_iter()
        .map(|r| {
            view! {
                <div class="diff-row" class:changed=r.changed>
                    {diff_cell(r.old, "old", old_label)}
                    {diff_cell(r.new, "new", new_label)}
                </div>
            }
        })
        .collect_view()
}

pub(crate) fn inline_paragraphs(paras: Vec<Vec<Piece<DiffKind>>>) -> impl IntoView {
    paras
        .into_iter()
        .map(|p| view! { <p class="diff-para">{diff_spans(p)}</p> })
        .collect_view()
}

/// A word-by-word diff, side by side (paragraph by paragraph, numbered) or inline, with a
/// switch between the two made of links (it works without JavaScript).
#[component]
pub(crate) fn DiffView(
    diff: DiffDto,
    old_label: String,
    new_label: String,
    inline: bool,
    side_href: String,
    inline_href: String,
) -> impl IntoView {
    let identical = !diff.rows.iter().any(|r| r.changed);
    let body = if identical {
        view! { <p class="note">"The two texts are identical."</p> }.into_any()
    } else if inline {
        let pieces = diff.inline.into_iter().map(|s| (s.kind, s.text));
        let runs = fold(split_paragraphs(pieces), |p| {
            p.iter().any(|(k, _)| *k != DiffKind::Equal)
        });
        view! {
            <div class="diff-inline declaration" aria-label=format!("Changes from {old_label} to {new_label}, inline") role="region">
                {runs.into_iter().map(|run| match run {
                    Run::Shown(ps) => inline_paragraphs(ps).into_any(),
                    Run::Folded(ps) => view! {
                        <details class="diff-gap">
                            <summary>{unchanged_label(ps.len())}</summary>
                            {inline_paragraphs(ps)}
                        </details>
                    }.into_any(),
                }).collect_view()}
            </div>
        }
        .into_any()
    } else {
        let runs = fold(diff.rows, |r| r.changed);
        let (ol, nl) = (old_label.clone(), new_label.clone());
        view! {
            <div class="diff-side declaration" role="region" aria-label=format!("Changes from {old_label} to {new_label}, side by side")>
                <div class="diff-row diff-head" aria-hidden="true">
                    <div class="diff-cell old">{old_label.clone()}</div>
                    <div class="diff-cell new">{new_label.clone()}</div>
                </div>
                {runs.into_iter().map(|run| match run {
                    Run::Shown(rows) => diff_rows(rows, &ol, &nl).into_any(),
                    Run::Folded(rows) => view! {
                        <details class="diff-gap">
                            <summary>{unchanged_label(rows.len())}</summary>
                            {diff_rows(rows, &ol, &nl)}
                        </details>
                    }.into_any(),
                }).collect_view()}
            </div>
        }
        .into_any()
    };
    view! {
        <div class="diff">
            <div class="diff-bar">
                <nav class="view-switch" aria-label="How to show the changes">
                    <a href=side_href aria-current=(!inline).then_some("page")>"Side by side"</a>
                    <a href=inline_href aria-current=inline.then_some("page")>"Inline"</a>
                </nav>
                <p class="diff-key">
                    <ins>"inserted"</ins>" "<del>"deleted"</del>
                </p>
            </div>
            {body}
        </div>
    }
}
