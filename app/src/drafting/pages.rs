//! The drafting pages: versions and their comparison, the committee's editor, amendments (list,
//! proposal, one amendment with its workflow), and provenance ("who wrote this").
//!
//! Every form is an `ActionForm`, so it works before (or without) the WASM; the formatting
//! toolbar, the keyboard shortcuts and the live preview come with hydration. Markdown becomes
//! HTML only through [`domain::markdown::render_safe`]; diff and provenance texts are raw
//! Markdown source and are shown as text.

use crate::drafting::api::*;
use crate::drafting::dto::*;
use crate::error::AppError;
use crate::ui::form::{error_of, Field, NoticeView};
use crate::ui::page::{loading, slug_param, ErrorView};
use crate::ui::textarea_text;
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

// ---------------------------------------------------------------------------------------------
// small helpers

fn query_param(name: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || q.read().get(name).filter(|v| !v.is_empty())
}

/// `?view=inline` shows diffs inline; anything else side by side.
fn inline_view() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let view = query_param("view");
    move || view().as_deref() == Some("inline")
}

/// "2015-09-28 14:03 UTC" from an RFC 3339 time in UTC.
fn when(rfc: &str) -> String {
    match (rfc.get(..10), rfc.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => rfc.to_owned(),
    }
}

#[component]
fn Time(at: String) -> impl IntoView {
    let label = when(&at);
    view! { <time datetime=at>{label}</time> }
}

fn base_path(slug: &str) -> String {
    format!("/conferences/{slug}")
}

fn amendment_href(slug: &str, number: i32) -> String {
    format!("/conferences/{slug}/amendments/{number}")
}

/// Bumps `reload` whenever an action succeeds: resources keyed on it read again, while a failed
/// action leaves every form (and what was typed into it) as it is.
fn reload_on_success<T, S>(value: S, reload: RwSignal<u32>)
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

/// The message of an error for a form: errors for none of `fields` (so no error is ever hidden
/// because its field is not on the form).
#[component]
fn Alert(error: Signal<Option<AppError>>, fields: &'static [&'static str]) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field.as_deref().is_none_or(|f| !fields.contains(&f)))
            .map(|e| view! { <p class="form-alert" role="alert">{e.message}</p> })
    }
}

fn field_message(
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

/// A labelled textarea with its validation message, like [`Field`].
#[component]
fn TextField(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
    #[prop(default = false)] required: bool,
    #[prop(optional, into)] value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = field_message(error, name);
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                required=required
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
                inner_html=textarea_text(&value)
            ></textarea>
            {move || message().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// the drafting header and its sub-navigation

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Versions,
    Edit,
    Provenance,
    Amendments,
    Propose,
}

#[component]
fn DraftingHeader(head: DraftHeadDto, section: Option<Section>) -> impl IntoView {
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
                <span class="drafting-current">"Current version: "{head.current_version}</span>
            </p>
            <nav class="tabs drafting-nav" aria-label="Declaration drafting">
                <a href=format!("{base}/declaration")>"Draft"</a>
                <a href=format!("{base}/declaration/versions") aria-current=current(Section::Versions)>
                    "Versions"
                </a>
                <a href=format!("{base}/amendments") aria-current=current(Section::Amendments)>
                    "Amendments"
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

// ---------------------------------------------------------------------------------------------
// Markdown: numbered rendering and the editor

/// The editor's preview: `text` rendered with its paragraphs' labels, carried over from the text
/// it started from (`base_text`, labelled `base_labels`): a paragraph kept or changed keeps its
/// label, a new one shows as "4 bis", exactly as the version would number it once saved.
pub(crate) fn preview_html(text: &str, base_text: &str, base_labels: &[Option<Label>]) -> String {
    let labels = domain::drafting::next_labels(base_text, base_labels, text, &[]);
    domain::drafting::labelled_html(text, &labels, false)
}

/// True once the page runs in the browser (never during server rendering): what only works with
/// the WASM (blocking a save while conflict markers remain) waits for it, so that without
/// JavaScript every form still submits.
fn hydrated() -> RwSignal<bool> {
    let on = RwSignal::new(false);
    Effect::new(move |_| on.set(true));
    on
}

/// Whether a text still holds the markers of a three-way merge.
fn has_markers(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
}

#[derive(Clone, Copy)]
enum Format {
    Bold,
    Italic,
    Heading,
    Bullets,
    Numbers,
    Link,
}

fn utf16_len(s: &str) -> u32 {
    u32::try_from(s.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// Applies a formatting to the selection of a textarea (in the browser) and returns the new text.
fn apply_format(el: &leptos::web_sys::HtmlTextAreaElement, format: Format) -> Option<String> {
    let value = el.value();
    let units: Vec<u16> = value.encode_utf16().collect();
    let len = u32::try_from(units.len()).ok()?;
    let start = el.selection_start().ok().flatten().unwrap_or(len).min(len);
    let end = el
        .selection_end()
        .ok()
        .flatten()
        .unwrap_or(start)
        .clamp(start, len);
    let (s, e) = (start as usize, end as usize);
    match format {
        Format::Bold | Format::Italic | Format::Link => {
            let selected = String::from_utf16_lossy(&units[s..e]);
            let (pre, post, placeholder) = match format {
                Format::Bold => ("**", "**", "bold text"),
                Format::Italic => ("*", "*", "italic text"),
                _ => ("[", "](https://)", "link text"),
            };
            let inner = if selected.is_empty() {
                placeholder.to_owned()
            } else {
                selected
            };
            let replacement = format!("{pre}{inner}{post}");
            el.set_range_text_with_start_and_end(&replacement, start, end)
                .ok()?;
            let (sel_start, sel_end) = match format {
                // select the address to type over
                Format::Link => {
                    let at = start + utf16_len(pre) + utf16_len(&inner) + 2;
                    (at, at + utf16_len("https://"))
                }
                _ => {
                    let at = start + utf16_len(pre);
                    (at, at + utf16_len(&inner))
                }
            };
            let _ = el.set_selection_range(sel_start, sel_end);
        }
        Format::Heading | Format::Bullets | Format::Numbers => {
            let line_start = units[..s]
                .iter()
                .rposition(|&u| u == u16::from(b'\n'))
                .map_or(0, |i| i + 1);
            let from = if e > s && units[e - 1] == u16::from(b'\n') {
                e - 1
            } else {
                e
            };
            let line_end = units[from..]
                .iter()
                .position(|&u| u == u16::from(b'\n'))
                .map_or(units.len(), |i| from + i);
            let block = String::from_utf16_lossy(&units[line_start..line_end]);
            let mut n = 0;
            let lines: Vec<String> = block
                .split('\n')
                .map(|line| {
                    if line.trim().is_empty() {
                        return line.to_owned();
                    }
                    match format {
                        Format::Heading if line.starts_with('#') => line.to_owned(),
                        Format::Heading => format!("## {line}"),
                        Format::Bullets if line.starts_with("- ") => line.to_owned(),
                        Format::Bullets => format!("- {line}"),
                        _ => {
                            n += 1;
                            format!("{n}. {line}")
                        }
                    }
                })
                .collect();
            let replacement = lines.join("\n");
            let ls = u32::try_from(line_start).ok()?;
            let le = u32::try_from(line_end).ok()?;
            el.set_range_text_with_start_and_end(&replacement, ls, le)
                .ok()?;
            let _ = el.set_selection_range(ls, ls + utf16_len(&replacement));
        }
    }
    let _ = el.focus();
    Some(el.value())
}

/// A Markdown textarea with a formatting toolbar, Ctrl/Cmd+B and Ctrl/Cmd+I, and a live preview
/// numbered as the declaration is. `text` holds what the textarea holds (its starting value is
/// the textarea's content); `node_ref` lets the page replace it.
#[component]
fn MarkdownEditor(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    text: RwSignal<String>,
    /// The text the editing started from, and its paragraphs' labels (for the preview).
    base_text: String,
    base_labels: Vec<Option<Label>>,
    node_ref: NodeRef<Textarea>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let base = StoredValue::new((base_text, base_labels));
    let hydrated = hydrated();
    let message = field_message(error, name);
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let markers_id = format!("{id}-markers");
    let described = {
        let (err_id, hint_id, markers_id) = (err_id.clone(), hint_id.clone(), markers_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(err_id.clone());
            }
            if has_markers(&text.read()) {
                ids.push(markers_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let format = move |f: Format| {
        if let Some(el) = node_ref.get() {
            if let Some(v) = apply_format(&el, f) {
                text.set(v);
            }
        }
    };
    let tool = move |f: Format, aria: &'static str, shown: &'static str, class: &'static str| {
        view! {
            <button type="button" class=format!("tool {class}") aria-label=aria title=aria on:click=move |_| format(f)>
                {shown}
            </button>
        }
    };
    let initial = text.get_untracked();
    let preview_id = format!("{id}-preview");
    view! {
        <div class="md-editor" class:has-error=move || message().is_some()>
            <div class="md-input field">
                <label for=id>{label}</label>
                {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
                <div class="md-toolbar" role="toolbar" aria-label="Formatting" aria-controls=id hidden=move || !hydrated.get()>
                    {tool(Format::Bold, "Bold (Ctrl+B)", "B", "tool-bold")}
                    {tool(Format::Italic, "Italic (Ctrl+I)", "I", "tool-italic")}
                    {tool(Format::Heading, "Heading", "H", "tool-heading")}
                    {tool(Format::Bullets, "Bulleted list", "• List", "")}
                    {tool(Format::Numbers, "Numbered list", "1. List", "")}
                    {tool(Format::Link, "Link", "Link", "")}
                </div>
                <textarea
                    id=id
                    name=name
                    node_ref=node_ref
                    rows="22"
                    required=true
                    spellcheck="true"
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby=described
                    on:input:target=move |ev| text.set(ev.target().value())
                    on:keydown=move |ev| {
                        if (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() && !ev.shift_key() {
                            let f = match ev.key().as_str() {
                                "b" | "B" => Some(Format::Bold),
                                "i" | "I" => Some(Format::Italic),
                                _ => None,
                            };
                            if let Some(f) = f {
                                ev.prevent_default();
                                format(f);
                            }
                        }
                    }
                    inner_html=textarea_text(&initial)
                ></textarea>
                {move || message().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
                {move || has_markers(&text.read()).then(|| view! {
                    <p class="field-error" id=markers_id.clone()>
                        "The text still holds conflict markers (lines starting with <<<<<<< or >>>>>>>). Keep the wording you want between them and delete the marker lines before saving."
                    </p>
                })}
            </div>
            <section class="md-preview" aria-labelledby=preview_id.clone()>
                <h2 class="md-preview-heading" id=preview_id.clone()>"Preview"</h2>
                <div class="declaration prose numbered" inner_html=move || base.with_value(|(t, l)| preview_html(&text.read(), t, l))></div>
            </section>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// diffs

/// A piece of a paragraph: (kind, text).
type Piece<K> = (K, String);

/// Cuts a run of pieces (that concatenate to a Markdown text) into its paragraphs, at blank
/// lines; a piece that spans a paragraph break is cut in two.
fn split_paragraphs<K: Clone>(pieces: impl IntoIterator<Item = Piece<K>>) -> Vec<Vec<Piece<K>>> {
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
enum Run<T> {
    Shown(Vec<T>),
    Folded(Vec<T>),
}

const CONTEXT: usize = 1;

fn fold<T>(items: Vec<T>, changed: impl Fn(&T) -> bool) -> Vec<Run<T>> {
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

fn unchanged_label(n: usize) -> String {
    if n == 1 {
        "… 1 unchanged paragraph".into()
    } else {
        format!("… {n} unchanged paragraphs")
    }
}

/// Whether a line of Markdown starts a block of its own (a list item, a heading, a quote, a
/// table row), so that the line break before it is kept on screen.
fn starts_block(line: &str) -> bool {
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
fn soft_wrap(text: &str) -> String {
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

fn diff_spans(spans: Vec<Piece<DiffKind>>) -> impl IntoView {
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

fn diff_cell(cell: Option<DiffCellDto>, side: &'static str, label: &str) -> impl IntoView {
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

fn diff_rows(rows: Vec<DiffRowDto>, old_label: &str, new_label: &str) -> impl IntoView {
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

fn inline_paragraphs(paras: Vec<Vec<Piece<DiffKind>>>) -> impl IntoView {
    paras
        .into_iter()
        .map(|p| view! { <p class="diff-para">{diff_spans(p)}</p> })
        .collect_view()
}

/// A word-by-word diff, side by side (paragraph by paragraph, numbered) or inline, with a
/// switch between the two made of links (it works without JavaScript).
#[component]
fn DiffView(
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

// ---------------------------------------------------------------------------------------------
// conflicts

/// One block of a text with merge markers: shared text, or a conflict between the current text
/// (`ours`) and the change (`theirs`).
enum Block {
    Text(Vec<String>),
    Conflict { ours: String, theirs: String },
}

fn parse_markers(text: &str) -> Vec<Block> {
    enum State {
        Text,
        Ours,
        Theirs,
    }
    let mut blocks = Vec::new();
    let mut plain: Vec<String> = Vec::new();
    let (mut ours, mut theirs) = (String::new(), String::new());
    let mut state = State::Text;
    for line in text.lines() {
        match state {
            State::Text if line.starts_with("<<<<<<<") => {
                if !plain.is_empty() {
                    blocks.push(Block::Text(std::mem::take(&mut plain)));
                }
                state = State::Ours;
            }
            State::Text => plain.push(line.to_owned()),
            State::Ours if line.starts_with("=======") => state = State::Theirs,
            State::Ours => {
                ours.push_str(line);
                ours.push('\n');
            }
            State::Theirs if line.starts_with(">>>>>>>") => {
                blocks.push(Block::Conflict {
                    ours: std::mem::take(&mut ours),
                    theirs: std::mem::take(&mut theirs),
                });
                state = State::Text;
            }
            State::Theirs => {
                theirs.push_str(line);
                theirs.push('\n');
            }
        }
    }
    if !plain.is_empty() {
        blocks.push(Block::Text(plain));
    }
    blocks
}

/// Two texts that collide, next to each other.
fn conflict_pair(
    ours_label: String,
    ours: String,
    theirs_label: String,
    theirs: String,
) -> impl IntoView {
    let or_empty = |t: String| {
        if t.trim().is_empty() {
            view! { <em>"(deleted)"</em> }.into_any()
        } else {
            view! { <span>{soft_wrap(&t)}</span> }.into_any()
        }
    };
    view! {
        <div class="conflict-pair">
            <div class="conflict-side ours">
                <p class="conflict-label">{ours_label}</p>
                <div class="conflict-text">{or_empty(ours)}</div>
            </div>
            <div class="conflict-side theirs">
                <p class="conflict-label">{theirs_label}</p>
                <div class="conflict-text">{or_empty(theirs)}</div>
            </div>
        </div>
    }
}

/// A text with merge markers, drawn: shared passages folded, each conflict side by side.
#[component]
fn MarkedText(text: String, ours_label: String, theirs_label: String) -> impl IntoView {
    let mut n = 0;
    parse_markers(&text)
        .into_iter()
        .map(|b| match b {
            Block::Text(lines) if lines.len() > 6 => {
                let head = lines[..2].join("\n");
                let tail = lines[lines.len() - 2..].join("\n");
                let middle = lines[2..lines.len() - 2].join("\n");
                let hidden = lines.len() - 4;
                view! {
                    <div class="conflict-context">
                        <div class="conflict-text">{head}</div>
                        <details class="diff-gap">
                            <summary>{format!("… {hidden} more lines")}</summary>
                            <div class="conflict-text">{middle}</div>
                        </details>
                        <div class="conflict-text">{tail}</div>
                    </div>
                }
                .into_any()
            }
            Block::Text(lines) => view! {
                <div class="conflict-context"><div class="conflict-text">{lines.join("\n")}</div></div>
            }
            .into_any(),
            Block::Conflict { ours, theirs } => {
                n += 1;
                view! {
                    <section class="conflict-region" aria-label=format!("Conflict {n}")>
                        <h3 class="conflict-heading">{format!("Conflict {n}")}</h3>
                        {conflict_pair(ours_label.clone(), ours, theirs_label.clone(), theirs)}
                    </section>
                }
                .into_any()
            }
        })
        .collect_view()
}

// ---------------------------------------------------------------------------------------------
// versions

#[component]
fn CompareForm(slug: String, versions: Vec<VersionDto>, from: i32, to: i32) -> impl IntoView {
    let options = move |selected: i32| {
        versions
            .iter()
            .map(|v| {
                let label = if v.message.is_empty() {
                    format!("Version {}", v.number)
                } else {
                    format!("Version {} — {}", v.number, v.message)
                };
                view! { <option value=v.number selected=v.number == selected>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <Form method="get" action=format!("/conferences/{slug}/declaration/compare") attr:class="filters compare-form" attr:aria-label="Compare versions">
            <div class="field">
                <label for="cmp-from">"Compare version"</label>
                <select id="cmp-from" name="from">{options(from)}</select>
            </div>
            <div class="field">
                <label for="cmp-to">"with version"</label>
                <select id="cmp-to" name="to">{options(to)}</select>
            </div>
            <button type="submit" class="button">"Compare"</button>
        </Form>
    }
}

#[component]
pub fn VersionsPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, get_versions);
    view! {
        <Title text="Versions of the declaration" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let slug = d.head.conference.slug.clone();
                        let current = d.head.current_version;
                        let from = d.versions.iter().map(|v| v.number).filter(|&n| n < current).max().unwrap_or(current);
                        let rows = d.versions.iter().enumerate().map(|(i, v)| {
                            let previous = d.versions.get(i + 1).map(|p| p.number);
                            let slug = slug.clone();
                            view! {
                                <tr class:current=v.current>
                                    <th scope="row">
                                        {v.number}
                                        {v.current.then(|| view! { " " <span class="badge current-badge">"current"</span> })}
                                    </th>
                                    <td>{if v.message.is_empty() { "—".to_owned() } else { v.message.clone() }}</td>
                                    <td>{v.author_name.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>
                                        {match v.amendment_number {
                                            Some(n) => view! {
                                                <a href=amendment_href(&slug, n)>{v.source_label.clone()}</a>
                                                {v.amendment_title.clone().map(|t| view! { <br /><span class="session-meta">{t}</span> })}
                                            }.into_any(),
                                            None => view! { <span>{v.source_label.clone()}</span> }.into_any(),
                                        }}
                                    </td>
                                    <td><Time at=v.created_at.clone() /></td>
                                    <td>
                                        {previous.map(|p| view! {
                                            <a href=format!("/conferences/{slug}/declaration/compare?from={p}&to={}", v.number)
                                                aria-label=format!("Changes from version {p} to version {}", v.number)>"Changes"</a>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <DraftingHeader head=d.head.clone() section=Some(Section::Versions) />
                            <section class="page">
                                <h1>"Versions"</h1>
                                <p class="note">"Every change to the text is kept as a version; versions are never changed or deleted. Newest first."</p>
                                {(d.versions.len() > 1).then(|| view! {
                                    <CompareForm slug=slug.clone() versions=d.versions.clone() from=from to=current />
                                })}
                                <div class="table-scroll">
                                    <table class="versions-table">
                                        <caption class="visually-hidden">"Versions of the declaration, newest first"</caption>
                                        <thead><tr>
                                            <th scope="col">"Version"</th>
                                            <th scope="col">"Message"</th>
                                            <th scope="col">"Author"</th>
                                            <th scope="col">"Source"</th>
                                            <th scope="col">"Date"</th>
                                            <th scope="col"><span class="visually-hidden">"Compare"</span></th>
                                        </tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </div>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorView err=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let slug = slug_param();
    let from = query_param("from");
    let to = query_param("to");
    let inline = inline_view();
    let data = Resource::new(
        move || (slug(), from(), to()),
        |(slug, from, to)| async move {
            let parse = |v: Option<String>, which: &str| -> Result<Option<i32>, AppError> {
                match v {
                    None => Ok(None),
                    Some(v) => v.trim().parse::<i32>().map(Some).map_err(|_| {
                        AppError::validation(which, format!("“{v}” is not a version number."))
                    }),
                }
            };
            let (from, to) = (parse(from, "from")?, parse(to, "to")?);
            let versions = get_versions(slug.clone()).await?;
            let current = versions.head.current_version;
            let to = to.unwrap_or(current);
            let from = from.unwrap_or_else(|| {
                versions
                    .versions
                    .iter()
                    .map(|v| v.number)
                    .filter(|&n| n < to)
                    .max()
                    .unwrap_or(to)
            });
            let cmp = compare_versions(slug, from, to).await?;
            Ok::<_, AppError>((cmp, versions.versions))
        },
    );
    view! {
        <Title text="Compare versions" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((c, versions)) => {
                        let slug = c.head.conference.slug.clone();
                        let (f, t) = (c.from.number, c.to.number);
                        let here = format!("/conferences/{slug}/declaration/compare?from={f}&to={t}");
                        let describe = |v: &VersionDto| {
                            let mut s = v.source_label.clone();
                            if let Some(a) = &v.author_name {
                                s.push_str(" · ");
                                s.push_str(a);
                            }
                            s.push_str(" · ");
                            s.push_str(&when(&v.created_at));
                            s
                        };
                        view! {
                            <DraftingHeader head=c.head.clone() section=Some(Section::Versions) />
                            <section class="page">
                                <h1>"Version "{f}" → Version "{t}</h1>
                                <dl class="facts compare-facts">
                                    <div><dt>"Version "{f}</dt><dd>{if c.from.message.is_empty() { "—".to_owned() } else { c.from.message.clone() }}<br /><span class="session-meta">{describe(&c.from)}</span></dd></div>
                                    <div><dt>"Version "{t}</dt><dd>{if c.to.message.is_empty() { "—".to_owned() } else { c.to.message.clone() }}<br /><span class="session-meta">{describe(&c.to)}</span></dd></div>
                                </dl>
                                <CompareForm slug=slug.clone() versions=versions from=f to=t />
                                <DiffView
                                    diff=c.diff
                                    old_label=format!("Version {f}")
                                    new_label=format!("Version {t}")
                                    inline=inline()
                                    side_href=format!("{here}&view=side")
                                    inline_href=format!("{here}&view=inline")
                                />
                                <p><a href=format!("/conferences/{slug}/declaration/versions")>"← All versions"</a></p>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorView err=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

// ---------------------------------------------------------------------------------------------
// the committee's editor

fn numbers_list(ns: &[i32]) -> String {
    ns.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
}

fn rebase_note(rebased: &[i32], flagged: &[i32]) -> Option<String> {
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

/// What a save did: saved, or (refused with 409) the conflict it ran into, which comes in the
/// error's detail.
fn save_outcome(v: Option<Result<SaveResultDto, AppError>>) -> Option<SaveResultDto> {
    match v? {
        Ok(r) => Some(r),
        Err(e) if e.kind == crate::error::ErrorKind::Conflict => {
            serde_json::from_value(e.detail?).ok()
        }
        Err(_) => None,
    }
}

#[component]
pub fn EditorPage() -> impl IntoView {
    let slug = slug_param();
    let save = ServerAction::<SaveDeclaration>::new();
    let reload = RwSignal::new(0u32);
    // the version the editor's text is written against, once a conflict moved it on
    let base_override = RwSignal::new(None::<i32>);
    Effect::new(move |_| match save_outcome(save.value().get()) {
        Some(r) if r.saved.is_some() => {
            base_override.set(None);
            reload.update(|n| *n += 1);
        }
        Some(r) if r.conflict.is_some() => base_override.set(Some(r.current_version)),
        _ => {}
    });
    let data = Resource::new(move || (slug(), reload.get()), |(s, _)| get_draft(s, None));
    // a conflict is shown as such below, not as an error
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.detail.is_none())
    });
    let result = move || save_outcome(save.value().get());
    view! {
        <Title text="Edit the declaration" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) if !d.head.can_edit => {
                        // the page says why; the status says it to clients that read only that
                        crate::ui::page::set_page_status(if d.head.status == DeclarationStatus::Drafting { 403 } else { 409 });
                        view! {
                        <DraftingHeader head=d.head.clone() section=Some(Section::Edit) />
                        <section class="page narrow">
                            <h1>"Edit the declaration"</h1>
                            <p class="form-alert" role="status">
                                {if d.head.status == DeclarationStatus::Drafting {
                                    "Only members of the drafting committee edit the text. You can propose an amendment instead."
                                } else {
                                    "The declaration is no longer being drafted: its text cannot change."
                                }}
                            </p>
                        </section>
                    }.into_any()},
                    Ok(d) => {
                        let slug = d.head.conference.slug.clone();
                        let loaded = d.version.number;
                        let text = RwSignal::new(d.markdown.clone());
                        let node_ref = NodeRef::<Textarea>::new();
                        let base = move || base_override.get().unwrap_or(loaded);
                        let live = hydrated();
                        let markers = move || live.get() && has_markers(&text.read());
                        let tagging = view! { <KeyFeatureTagging slug=slug.clone() markdown=d.markdown.clone() labels=d.labels.clone() tags=d.tags.clone() /> };
                        view! {
                            <DraftingHeader head=d.head.clone() section=Some(Section::Edit) />
                            <section class="page editor-page">
                                <h1>"Edit the declaration"</h1>
                                <p class="note">
                                    "Markdown: a blank line between paragraphs; "<code>"## "</code>" for a heading, "
                                    <code>"**bold**"</code>", "<code>"*italic*"</code>". The preview shows the text as the declaration page will, with its paragraph numbers. "
                                    "If someone saves in the meantime, your edit is merged onto their version; nothing you typed is lost."
                                </p>
                                {move || result().and_then(|r| r.saved.map(|n| {
                                    let mut msg = if r.merged {
                                        format!("Saved as version {n}: the text had changed since you started, and your edit was merged onto the newer version. The editor now holds the merged text.")
                                    } else {
                                        format!("Saved as version {n}.")
                                    };
                                    if let Some(note) = rebase_note(&r.rebased, &r.flagged) {
                                        msg.push(' ');
                                        msg.push_str(&note);
                                    }
                                    view! { <p class="form-notice" role="status">{msg}</p> }
                                }))}
                                {move || result().and_then(|r| r.conflict.map(|c| {
                                    let current = r.current_version;
                                    let markers_text = c.with_markers.clone();
                                    let use_merged = move |_| {
                                        if let Some(el) = node_ref.get() {
                                            el.set_value(&markers_text);
                                            let _ = el.focus();
                                        }
                                        text.set(markers_text.clone());
                                    };
                                    view! {
                                        <section class="conflict-view" role="alert" aria-labelledby="conflict-heading">
                                            <h2 id="conflict-heading">"Not saved: your edit collides with version "{current}</h2>
                                            <p>
                                                "Version "{current}" was saved while you were editing, and it changes the same passages as you. "
                                                "Your text is still in the editor below, untouched. Resolve each passage, then save again: "
                                                "the save will now be made against version "{current}"."
                                            </p>
                                            {c.regions.into_iter().enumerate().map(|(i, r)| view! {
                                                <section class="conflict-region" aria-label=format!("Conflict {}", i + 1)>
                                                    <h3 class="conflict-heading">{format!("Conflict {}", i + 1)}</h3>
                                                    {conflict_pair(format!("Version {current} (saved meanwhile)"), r.ours, "Yours".to_owned(), r.theirs)}
                                                    {(!r.base.trim().is_empty()).then(|| view! {
                                                        <details class="conflict-base">
                                                            <summary>"What it was before both changes"</summary>
                                                            <div class="conflict-text">{r.base}</div>
                                                        </details>
                                                    })}
                                                </section>
                                            }).collect_view()}
                                            <p>
                                                "The easiest way: put the merged text into the editor. It holds version "{current}" with every change of yours that merged cleanly, "
                                                "and each conflict between markers (<<<<<<< version "{current}", =======, >>>>>>> yours). Keep the wording you want and delete the marker lines."
                                            </p>
                                            <button type="button" class="button" on:click=use_merged>"Put the merged text into the editor"</button>
                                        </section>
                                    }
                                }))}
                                <ActionForm action=save attr:class="form editor-form" attr:aria-label="Edit the declaration">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <input type="hidden" name="base_version" value=move || base().to_string() />
                                    <Alert error=error fields=&["markdown", "message"] />
                                    <p class="session-meta">"Written against version "{base}"."</p>
                                    <MarkdownEditor name="markdown" id="edit-markdown" label="Text of the declaration (Markdown)" text=text base_text=d.markdown.clone() base_labels=d.labels.clone() node_ref=node_ref error=error />
                                    <Field name="message" label="Message" hint="What changed, in a few words (shown in the list of versions)." required=false error=error />
                                    <button type="submit" class="button primary" disabled=move || save.pending().get() || markers()>
                                        {move || if save.pending().get() { "Saving…" } else { "Save a new version" }}
                                    </button>
                                </ActionForm>
                                {tagging}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorView err=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The committee tags the current version's paragraphs with Key Features: a paragraph, the
/// twelve areas as checkboxes (ticked as the paragraph is tagged now), and the tagged ones
/// listed. Works without WASM too (the boxes then start from the first paragraph's tags).
#[component]
fn KeyFeatureTagging(
    slug: String,
    markdown: String,
    labels: Vec<Option<Label>>,
    tags: Vec<ParagraphTagsDto>,
) -> impl IntoView {
    let tag = ServerAction::<TagParagraph>::new();
    let error = crate::ui::form::error_of(tag.value());
    let paragraphs: Vec<(String, String)> = domain::drafting::paragraphs(&markdown)
        .iter()
        .zip(&labels)
        .filter_map(|(p, l)| {
            let l = l.as_ref()?.to_string();
            let words: String = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let short = match words.char_indices().nth(70) {
                Some((i, _)) => format!("{}…", &words[..i]),
                None => words,
            };
            Some((l, short))
        })
        .collect();
    let tags = RwSignal::new(tags);
    let selected = RwSignal::new(paragraphs.first().map(|p| p.0.clone()).unwrap_or_default());
    Effect::new(move |_| {
        if let Some(Ok(t)) = tag.value().get() {
            tags.update(|all| {
                all.retain(|x| x.label != t.label);
                if !t.codes.is_empty() {
                    all.push(t);
                }
            });
        }
    });
    let has = move |code: &'static str| {
        tags.with(|all| {
            selected.with(|sel| {
                all.iter()
                    .any(|t| &t.label == sel && t.codes.iter().any(|c| c == code))
            })
        })
    };
    view! {
        <section class="kf-tagging" aria-labelledby="kf-tagging-heading">
            <h2 id="kf-tagging-heading">"Key Features of the paragraphs"</h2>
            <p class="note">"Tag each paragraph with the areas of the Key Features framework it serves. The framework page counts them; a tag stays with its paragraph when others are inserted before it."</p>
            {move || tag.value().get().and_then(Result::ok).map(|t| view! {
                <p class="form-notice" role="status">
                    {if t.codes.is_empty() { format!("Paragraph {} has no Key Feature now.", t.label) } else { format!("Paragraph {} is tagged {}.", t.label, t.codes.join(", ")) }}
                </p>
            })}
            <ActionForm action=tag attr:class="form" attr:aria-label="Tag a paragraph with Key Features">
                <input type="hidden" name="slug" value=slug />
                <Alert error=error fields=&["paragraph", "key_features"] />
                <div class="field">
                    <label for="kf-paragraph">"Paragraph"</label>
                    <select id="kf-paragraph" name="paragraph" on:change=move |ev| selected.set(event_target_value(&ev))>
                        {paragraphs.iter().map(|(l, short)| view! { <option value=l.clone()>{format!("{l} — {short}")}</option> }).collect_view()}
                    </select>
                </div>
                <crate::adoption::pages::KeyFeatureBoxes legend="Key Features" checked=has />
                <button type="submit" class="button" disabled=move || tag.pending().get()>"Save the Key Features"</button>
            </ActionForm>
            {move || {
                let all = tags.get();
                (!all.is_empty()).then(|| view! {
                    <ul class="kf-tagged" aria-label="Tagged paragraphs">
                        {all.into_iter().map(|t| view! { <li>{format!("Paragraph {}: {}", t.label, t.codes.join(", "))}</li> }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// amendments

fn collision_marker(slug: &str, with: &[i32]) -> impl IntoView {
    (!with.is_empty()).then(|| {
        let links = with
            .iter()
            .enumerate()
            .map(|(i, n)| {
                view! {
                    {(i > 0).then_some(", ")}
                    <a href=amendment_href(slug, *n)>{format!("amendment {n}")}</a>
                }
            })
            .collect_view();
        view! {
            <p class="collision">
                <span class="collision-icon" aria-hidden="true">"⚠"</span>
                " Collides with "{links}
                <span class="session-meta">" (touches the same paragraph)"</span>
            </p>
        }
    })
}

fn status_badge(status: &AmendmentStatus, label: &str) -> impl IntoView {
    view! { <span class=format!("badge amendment-status status-{}", status.as_str())>{label.to_owned()}</span> }
}

#[component]
pub fn AmendmentsPage() -> impl IntoView {
    let slug = slug_param();
    let status = query_param("status");
    let data = Resource::new(slug, get_amendments);
    view! {
        <Title text="Amendments" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let slug = d.head.conference.slug.clone();
                        let filter = status();
                        let here = format!("/conferences/{slug}/amendments");
                        // the statuses present, in workflow order, with their counts
                        let mut counts: Vec<(AmendmentStatus, String, usize)> = Vec::new();
                        for a in &d.amendments {
                            match counts.iter_mut().find(|(s, _, _)| *s == a.status) {
                                Some(c) => c.2 += 1,
                                None => counts.push((a.status, a.status_label.clone(), 1)),
                            }
                        }
                        // AmendmentStatus orders as the workflow does
                        counts.sort_by_key(|(s, _, _)| *s);
                        let shown: Vec<AmendmentSummaryDto> = d.amendments.iter().filter(|a| filter.as_deref().is_none_or(|f| f == a.status.as_str())).cloned().collect();
                        let total = d.amendments.len();
                        view! {
                            <DraftingHeader head=d.head.clone() section=Some(Section::Amendments) />
                            <section class="page">
                                <div class="page-title-row">
                                    <h1>"Amendments"</h1>
                                    {d.head.can_propose.then(|| view! {
                                        <a class="button primary" href=format!("{here}/new")>"Propose an amendment"</a>
                                    })}
                                </div>
                                <p class="note">
                                    "Each amendment is the whole text as its sponsor would have it; its changes are computed word by word. "
                                    <a href=format!("/conferences/{slug}/declaration/compilation.md") download="compilation.md">"Download the compilation text"</a>
                                    " (the current text with every pending amendment inline, Markdown)."
                                </p>
                                {(total > 0).then(|| view! {
                                    <nav class="status-filter" aria-label="Filter by status">
                                        <a href=here.clone() aria-current=filter.is_none().then_some("page")>{format!("All ({total})")}</a>
                                        {counts.iter().map(|(s, label, n)| view! {
                                            <a href=format!("{here}?status={}", s.as_str()) aria-current=(filter.as_deref() == Some(s.as_str())).then_some("page")>{format!("{} ({n})", capitalised(label))}</a>
                                        }).collect_view()}
                                    </nav>
                                })}
                                {if shown.is_empty() {
                                    view! { <p>{if total == 0 { "No amendments yet." } else { "No amendments with this status." }}</p> }.into_any()
                                } else {
                                    view! {
                                        <ol class="amendment-list">
                                            {shown.into_iter().map(|a| {
                                                let href = amendment_href(&slug, a.number);
                                                view! {
                                                    <li class="amendment-card" class:colliding=!a.collides_with.is_empty()>
                                                        <div class="amendment-card-head">
                                                            <h2 class="amendment-title">
                                                                <a href=href>
                                                                    <span class="amendment-number">{format!("Amendment {}", a.number)}</span>
                                                                    ": "{a.title.clone()}
                                                                </a>
                                                            </h2>
                                                            {status_badge(&a.status, &a.status_label)}
                                                            {a.mine.then(|| view! { <span class="badge mine-badge">"yours"</span> })}
                                                        </div>
                                                        <p class="meta">
                                                            {a.sponsor_name.clone()}
                                                            {a.delegation_name.clone().map(|dl| format!(" — {dl}"))}
                                                            " · against version "{a.base_version}
                                                            " · "<Time at=a.updated_at.clone() />
                                                        </p>
                                                        {(!a.touches_label.is_empty()).then(|| view! { <p class="touches">{a.touches_label.clone()}</p> })}
                                                        {collision_marker(&slug, &a.collides_with)}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ol>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorView err=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ProposePage() -> impl IntoView {
    let slug = slug_param();
    let propose = ServerAction::<ProposeAmendment>::new();
    let data = Resource::new(slug, |s| get_draft(s, None));
    let options = Resource::new(slug, get_co_sponsor_options);
    let error = error_of(propose.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(n)) = propose.value().get() {
            navigate(&amendment_href(&slug(), n), Default::default());
        }
    });
    view! {
        <Title text="Propose an amendment" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                // refused (403) for those who cannot propose, who see no form anyway
                let co_sponsors = options.await.unwrap_or_default();
                match data.await {
                    Ok(d) if !d.head.can_propose => view! {
                        <DraftingHeader head=d.head.clone() section=Some(Section::Propose) />
                        <section class="page narrow">
                            <h1>"Propose an amendment"</h1>
                            <p class="form-alert" role="status">
                                {if d.head.status == DeclarationStatus::Drafting {
                                    "Delegates, heads of delegation and members of the drafting committee propose amendments."
                                } else {
                                    "The declaration is no longer being drafted: amendments are closed."
                                }}
                            </p>
                        </section>
                    }.into_any(),
                    Ok(d) => {
                        let slug = d.head.conference.slug.clone();
                        let text = RwSignal::new(d.markdown.clone());
                        let node_ref = NodeRef::<Textarea>::new();
                        let live = hydrated();
                        let markers = move || live.get() && has_markers(&text.read());
                        let done_slug = slug.clone();
                        view! {
                            <DraftingHeader head=d.head.clone() section=Some(Section::Propose) />
                            <section class="page editor-page">
                                <h1>"Propose an amendment"</h1>
                                <p class="note">
                                    "Edit the text below as you would have it: change words, add or delete paragraphs. "
                                    "Your amendment is what differs from version "{d.version.number}"; the changes are computed, you never type them."
                                </p>
                                {move || propose.value().get().and_then(Result::ok).map(|n| view! {
                                    <p class="form-notice" role="status">
                                        {format!("Amendment {n} is saved. ")}
                                        <a href=amendment_href(&done_slug, n)>{format!("Go to amendment {n}")}</a>
                                    </p>
                                })}
                                <ActionForm action=propose attr:class="form editor-form" attr:aria-label="Propose an amendment">
                                    <input type="hidden" name="idempotency_key" value=crate::ui::form_key() />
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <input type="hidden" name="base_version" value=d.version.number />
                                    <Alert error=error fields=&["title", "rationale", "proposed_markdown"] />
                                    <Field name="title" label="Title" hint="What the amendment does, in a line." error=error />
                                    <TextField name="rationale" id="propose-rationale" label="Rationale" hint="Why the text should change (Markdown)." rows=4 error=error />
                                    <MarkdownEditor name="proposed_markdown" id="propose-text" label="The text as you propose it (Markdown)" text=text base_text=d.markdown.clone() base_labels=d.labels.clone() node_ref=node_ref error=error />
                                    <fieldset class="field co-sponsors">
                                        <legend>"Co-sponsors"</legend>
                                        <p class="field-hint">"Delegates and committee members who back this amendment with you. They see it while it is a draft."</p>
                                        {if co_sponsors.is_empty() {
                                            view! { <p class="note">"No one else can co-sponsor amendments yet."</p> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="choice-list">
                                                    {co_sponsors.into_iter().enumerate().map(|(i, o)| view! {
                                                        <li><label><input type="checkbox" name=format!("co_sponsors[{i}]") value=o.value />" "{o.label}</label></li>
                                                    }).collect_view()}
                                                </ul>
                                            }.into_any()
                                        }}
                                    </fieldset>
                                    <div class="field checkbox">
                                        <label><input type="checkbox" name="submit" value="on" />" Submit to the committee now"</label>
                                        <p class="field-hint">"Otherwise it is kept as a draft that only you see, to submit later."</p>
                                    </div>
                                    <button type="submit" class="button primary" disabled=move || propose.pending().get() || markers()>
                                        {move || if propose.pending().get() { "Saving…" } else { "Save amendment" }}
                                    </button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorView err=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Needs update" from "needs update".
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Submitted → needs update" and the like.
fn event_line(e: &AmendmentEventDto) -> String {
    match &e.from_label {
        Some(from) => format!("{} → {}", capitalised(from), e.to_label),
        None => format!("Created as {}", e.to_label.to_lowercase()),
    }
}

fn accept_notice(r: &AcceptResultDto, number: i32) -> String {
    let mut msg = format!(
        "Amendment {number}: {}. It became version {}.",
        r.status_label.to_lowercase(),
        r.version
    );
    if let Some(note) = rebase_note(&r.rebased, &r.flagged) {
        msg.push(' ');
        msg.push_str(&note);
    }
    msg
}

#[component]
pub fn AmendmentPage() -> impl IntoView {
    let slug = slug_param();
    let params = use_params_map();
    let number = move || {
        params
            .read()
            .get("number")
            .and_then(|n| n.parse::<i32>().ok())
    };
    let inline = inline_view();
    let update = ServerAction::<UpdateAmendment>::new();
    let submit = ServerAction::<SubmitAmendment>::new();
    let withdraw = ServerAction::<WithdrawAmendment>::new();
    let reject = ServerAction::<RejectAmendment>::new();
    let accept = ServerAction::<AcceptAmendment>::new();
    let modify = ServerAction::<AcceptAmendment>::new();
    let comment = ServerAction::<CommentAmendment>::new();
    let reload = RwSignal::new(0u32);
    reload_on_success(update.value(), reload);
    reload_on_success(submit.value(), reload);
    reload_on_success(withdraw.value(), reload);
    reload_on_success(reject.value(), reload);
    reload_on_success(accept.value(), reload);
    reload_on_success(modify.value(), reload);
    reload_on_success(comment.value(), reload);
    let data = Resource::new(
        move || (slug(), number(), reload.get()),
        |(slug, number, _)| async move {
            match number {
                Some(n) => get_amendment(slug, n).await,
                None => Err(AppError::not_found("There is no such amendment.")),
            }
        },
    );
    let update_error = error_of(update.value());
    let submit_error = error_of(submit.value());
    let withdraw_error = error_of(withdraw.value());
    let reject_error = error_of(reject.value());
    let accept_error = error_of(accept.value());
    let modify_error = error_of(modify.value());
    let comment_error = error_of(comment.value());
    let notices = move || {
        let n = number().unwrap_or_default();
        [
            update.value().get().and_then(Result::ok).map(|x| x.message),
            submit.value().get().and_then(Result::ok).map(|x| x.message),
            withdraw
                .value()
                .get()
                .and_then(Result::ok)
                .map(|x| x.message),
            reject.value().get().and_then(Result::ok).map(|x| x.message),
            accept
                .value()
                .get()
                .and_then(Result::ok)
                .map(|r| accept_notice(&r, n)),
            modify
                .value()
                .get()
                .and_then(Result::ok)
                .map(|r| accept_notice(&r, n)),
            comment
                .value()
                .get()
                .and_then(Result::ok)
                .map(|x| x.message),
        ]
        .into_iter()
        .flatten()
        .map(|message| view! { <NoticeView notice=crate::dto::Notice { message } /> })
        .collect_view()
    };
    view! {
        <Title text="Amendment" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(a) => {
                        let slug = a.head.conference.slug.clone();
                        let n = a.number;
                        let here = amendment_href(&slug, n);
                        let slug_c = StoredValue::new(slug.clone());
                        let (title0, rationale0) = (a.title.clone(), a.rationale.clone());
                        let current = a.head.current_version;
                        let update_text = RwSignal::new(a.conflict.as_ref().map_or_else(|| a.proposed_markdown.clone(), |c| c.with_markers.clone()));
                        let update_ref = NodeRef::<Textarea>::new();
                        let live = hydrated();
                        let update_markers = move || live.get() && has_markers(&update_text.read());
                        let modify_text = RwSignal::new(a.proposed_markdown.clone());
                        let modify_ref = NodeRef::<Textarea>::new();
                        let modify_markers = move || live.get() && has_markers(&modify_text.read());
                        let update_base = a.conflict.as_ref().map_or(a.base_version, |c| c.version);
                        let proposed_base = StoredValue::new((a.proposed_markdown.clone(), a.proposed_labels.clone()));
                        let update_form = a.can_edit.then(|| view! {
                            <ActionForm action=update attr:class="form editor-form" attr:aria-label="Update the amendment">
                                <input type="hidden" name="slug" value=slug_c.get_value() />
                                <input type="hidden" name="number" value=n />
                                <input type="hidden" name="base_version" value=update_base />
                                <Alert error=update_error fields=&["title", "rationale", "proposed_markdown"] />
                                <Field name="title" label="Title" value=title0 error=update_error />
                                <TextField name="rationale" id="update-rationale" label="Rationale" rows=4 value=rationale0 error=update_error />
                                <MarkdownEditor name="proposed_markdown" id="update-text" label="The text as you propose it (Markdown)" text=update_text base_text=proposed_base.with_value(|b| b.0.clone()) base_labels=proposed_base.with_value(|b| b.1.clone()) node_ref=update_ref error=update_error />
                                <button type="submit" class="button primary" disabled=move || update.pending().get() || update_markers()>
                                    {move || if update.pending().get() { "Saving…" } else { "Update amendment" }}
                                </button>
                            </ActionForm>
                        });
                        view! {
                            <Title text=format!("Amendment {n}: {}", a.title) />
                            <DraftingHeader head=a.head.clone() section=None />
                            <article class="page amendment-page">
                                <p class="eyebrow"><a href=format!("/conferences/{slug}/amendments")>"← Amendments"</a></p>
                                <div class="page-title-row">
                                    <h1><span class="amendment-number">{format!("Amendment {n}")}</span>": "{a.title.clone()}</h1>
                                    {status_badge(&a.status, &a.status_label)}
                                </div>
                                {notices}
                                <dl class="facts">
                                    <div><dt>"Sponsor"</dt><dd>{a.sponsor_name.clone()}{a.delegation_name.clone().map(|dl| format!(" — {dl}"))}</dd></div>
                                    {(!a.co_sponsors.is_empty()).then(|| view! { <div><dt>"Co-sponsors"</dt><dd>{a.co_sponsors.join(", ")}</dd></div> })}
                                    <div><dt>"Amends"</dt><dd>{match a.touches_label.strip_prefix("amends ") {
                                        Some(what) => capitalised(what),
                                        None if a.touches_label.is_empty() => "—".to_owned(),
                                        None => a.touches_label.clone(),
                                    }}</dd></div>
                                    <div>
                                        <dt>"Written against"</dt>
                                        <dd>
                                            "Version "{a.base_version}
                                            {(a.original_base_version != a.base_version).then(|| format!(" (first written against version {}, moved onto newer versions since)", a.original_base_version))}
                                        </dd>
                                    </div>
                                    {a.merged_version.map(|v| view! {
                                        <div><dt>"Became"</dt><dd><a href=format!("/conferences/{slug}/declaration/compare?from={}&to={v}", a.base_version)>{format!("Version {v}")}</a></dd></div>
                                    })}
                                    <div><dt>"Last changed"</dt><dd><Time at=a.updated_at.clone() /></dd></div>
                                </dl>
                                {collision_marker(&slug, &a.collides_with)}
                                {a.decision_reason.clone().map(|r| view! {
                                    <div class="decision-reason" role="note">
                                        <p class="conflict-label">"Reason for the decision"</p>
                                        <p>{r}</p>
                                    </div>
                                })}
                                <h2>"Rationale"</h2>
                                {if a.rationale.trim().is_empty() {
                                    view! { <p class="note">"No rationale given."</p> }.into_any()
                                } else {
                                    view! { <div class="prose" inner_html=a.rationale_html.clone()></div> }.into_any()
                                }}

                                {match a.conflict.clone() {
                                    Some(c) => view! {
                                        <section class="conflict-view" aria-labelledby="needs-update-heading">
                                            <h2 id="needs-update-heading">"Needs an update"</h2>
                                            <p>
                                                "Version "{c.version}" changed the same passages as this amendment, so it could not be moved onto the current text by itself. "
                                                {if a.can_edit {
                                                    "Below, each conflict shows the current text next to your amendment. In the form, the text holds both between markers: keep the wording you want, delete the marker lines, and update the amendment."
                                                } else {
                                                    "Its sponsor has been asked to resolve it."
                                                }}
                                            </p>
                                            <MarkedText text=c.with_markers ours_label=format!("Version {} (current text)", c.version) theirs_label="This amendment".to_owned() />
                                            {update_form}
                                        </section>
                                    }.into_any(),
                                    None => view! {
                                        <section aria-labelledby="changes-heading">
                                            <h2 id="changes-heading">"Changes to version "{a.base_version}</h2>
                                            <DiffView
                                                diff=a.diff.clone()
                                                old_label=format!("Version {}", a.base_version)
                                                new_label=format!("Amendment {n}")
                                                inline=inline()
                                                side_href=format!("{here}?view=side")
                                                inline_href=format!("{here}?view=inline")
                                            />
                                        </section>
                                        {update_form.map(|f| view! {
                                            <details class="edit-amendment">
                                                <summary>"Edit this amendment"</summary>
                                                {f}
                                            </details>
                                        })}
                                    }.into_any(),
                                }}

                                {(a.can_submit || a.can_withdraw || a.can_decide || a.can_reject).then(|| view! {
                                    <section class="amendment-actions" aria-labelledby="actions-heading">
                                        <h2 id="actions-heading">{if a.can_decide || a.can_reject { "Decide" } else { "Actions" }}</h2>
                                        <div class="action-row">
                                            {a.can_submit.then(|| view! {
                                                <ActionForm action=submit attr:class="inline-form" attr:aria-label="Submit the amendment">
                                                    <input type="hidden" name="slug" value=slug_c.get_value() />
                                                    <input type="hidden" name="number" value=n />
                                                    <button type="submit" class="button primary" disabled=move || submit.pending().get()>
                                                        {move || if submit.pending().get() { "Submitting…" } else { "Submit to the committee" }}
                                                    </button>
                                                </ActionForm>
                                            })}
                                            {a.can_decide.then(|| view! {
                                                <ActionForm action=accept attr:class="inline-form" attr:aria-label="Accept the amendment">
                                                    <input type="hidden" name="slug" value=slug_c.get_value() />
                                                    <input type="hidden" name="number" value=n />
                                                    <button type="submit" class="button primary" disabled=move || accept.pending().get()>
                                                        {move || if accept.pending().get() { "Accepting…" } else { "Accept" }}
                                                    </button>
                                                </ActionForm>
                                            })}
                                            {a.can_withdraw.then(|| view! {
                                                <ActionForm action=withdraw attr:class="inline-form" attr:aria-label="Withdraw the amendment">
                                                    <input type="hidden" name="slug" value=slug_c.get_value() />
                                                    <input type="hidden" name="number" value=n />
                                                    <button type="submit" class="button danger" disabled=move || withdraw.pending().get()>
                                                        {move || if withdraw.pending().get() { "Withdrawing…" } else { "Withdraw" }}
                                                    </button>
                                                </ActionForm>
                                            })}
                                        </div>
                                        <Alert error=submit_error fields=&[] />
                                        <Alert error=accept_error fields=&[] />
                                        <Alert error=withdraw_error fields=&[] />
                                        {a.can_decide.then(|| view! {
                                            <details class="decide-block" open=move || modify_error.get().is_some()>
                                                <summary>"Accept with modification"</summary>
                                                <ActionForm action=modify attr:class="form editor-form" attr:aria-label="Accept with modification">
                                                    <input type="hidden" name="slug" value=slug_c.get_value() />
                                                    <input type="hidden" name="number" value=n />
                                                    <input type="hidden" name="modified_base_version" value=a.base_version />
                                                    <p class="note">"Edit the amendment's text as the committee accepts it; the result is merged onto version "{current}" as a new version."</p>
                                                    <Alert error=modify_error fields=&["modified_markdown"] />
                                                    <MarkdownEditor name="modified_markdown" id="modify-text" label="The text as the committee accepts it (Markdown)" text=modify_text base_text=proposed_base.with_value(|b| b.0.clone()) base_labels=proposed_base.with_value(|b| b.1.clone()) node_ref=modify_ref error=modify_error />
                                                    <button type="submit" class="button primary" disabled=move || modify.pending().get() || modify_markers()>
                                                        {move || if modify.pending().get() { "Accepting…" } else { "Accept with modification" }}
                                                    </button>
                                                </ActionForm>
                                            </details>
                                        })}
                                        {a.can_reject.then(|| view! {
                                            <ActionForm action=reject attr:class="form reject-form" attr:aria-label="Reject the amendment">
                                                <input type="hidden" name="slug" value=slug_c.get_value() />
                                                <input type="hidden" name="number" value=n />
                                                <Alert error=reject_error fields=&["reason"] />
                                                <TextField name="reason" id="reject-reason" label="Reason for rejecting" hint="The sponsor and the delegations will read it." rows=3 required=true error=reject_error />
                                                <button type="submit" class="button danger" disabled=move || reject.pending().get()>
                                                    {move || if reject.pending().get() { "Rejecting…" } else { "Reject" }}
                                                </button>
                                            </ActionForm>
                                        })}
                                    </section>
                                })}

                                <section aria-labelledby="history-heading">
                                    <h2 id="history-heading">"History"</h2>
                                    <ol class="timeline">
                                        {a.events.iter().map(|e| view! {
                                            <li class=format!("timeline-item to-{}", e.to_status)>
                                                <p class="timeline-what"><strong>{event_line(e)}</strong></p>
                                                <p class="meta">
                                                    {e.actor_name.clone().unwrap_or_else(|| "The system".into())}
                                                    " · "<Time at=e.at.clone() />
                                                </p>
                                                {e.note.clone().filter(|x| !x.trim().is_empty()).map(|x| view! { <p class="timeline-note">{x}</p> })}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                </section>

                                <section aria-labelledby="comments-heading">
                                    <h2 id="comments-heading">{format!("Comments ({})", a.comments.len())}</h2>
                                    {if a.comments.is_empty() {
                                        view! { <p class="note">"No comments yet."</p> }.into_any()
                                    } else {
                                        view! {
                                            <ol class="comments">
                                                {a.comments.iter().map(|c| view! {
                                                    <li class="comment" id=format!("comment-{}", c.id)>
                                                        <p class="meta"><strong>{c.author_name.clone().unwrap_or_else(|| "Someone".into())}</strong>" · "<Time at=c.created_at.clone() /></p>
                                                        <div class="prose" inner_html=c.body_html.clone()></div>
                                                    </li>
                                                }).collect_view()}
                                            </ol>
                                        }.into_any()
                                    }}
                                    {a.can_comment.then(|| view! {
                                        <ActionForm action=comment attr:class="form" attr:aria-label="Comment on the amendment">
                                            <input type="hidden" name="idempotency_key" value=crate::ui::form_key() />
                                            <input type="hidden" name="slug" value=slug_c.get_value() />
                                            <input type="hidden" name="number" value=n />
                                            <Alert error=comment_error fields=&["body"] />
                                            <TextField name="body" id="comment-body" label="Your comment" hint="Markdown." rows=3 required=true error=comment_error />
                                            <button type="submit" class="button" disabled=move || comment.pending().get()>
                                                {move || if comment.pending().get() { "Sending…" } else { "Add comment" }}
                                            </button>
                                        </ActionForm>
                                    })}
                                </section>
                            </article>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorView err=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

// ---------------------------------------------------------------------------------------------
// provenance

/// Where a passage came from, as a key for its colour and legend.
#[derive(Clone, PartialEq)]
enum Source {
    Version(i32),
    Amendment(i32),
}

fn source_of(s: &ProvenanceSpanDto) -> Source {
    match &s.amendment {
        Some(a) => Source::Amendment(a.number),
        None => Source::Version(s.version),
    }
}

fn source_label(s: &ProvenanceSpanDto) -> String {
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

const PALETTE: usize = 8;

/// The class of each legend entry: the source with the most text is the quiet background
/// ("prov-base"); the others take the palette's colours in order.
fn source_classes(legend: &[LegendEntry], spans: &[ProvenanceSpanDto]) -> Vec<String> {
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
type LegendEntry = (Source, String, Option<(i32, String)>);

#[component]
pub fn ProvenancePage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, get_provenance);
    view! {
        <Title text="Who wrote this" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => {
                        let slug = p.head.conference.slug.clone();
                        // each source in order of first appearance, with its colour and label
                        let mut legend: Vec<LegendEntry> = Vec::new();
                        for s in &p.spans {
                            let key = source_of(s);
                            if !legend.iter().any(|(k, _, _)| *k == key) {
                                legend.push((key, source_label(s), s.amendment.as_ref().map(|a| (a.number, a.title.clone()))));
                            }
                        }
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
                                    "The current text (version "{p.head.current_version}"), each passage marked with the version or amendment that brought it in. "
                                    "Hover or focus a passage to read its source. "
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
                    Err(e) => view! { <ErrorView err=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
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
        assert!(html.starts_with("<h1>"));
    }
}
