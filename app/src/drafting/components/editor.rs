//! The Markdown editor with its toolbar and preview.

use super::*;
use crate::ui::textarea_text;
use leptos::html::Textarea;

// ---------------------------------------------------------------------------------------------
// Markdown: numbered rendering and the editor

/// The editor's preview: `text` rendered with its paragraphs' labels, carried over from the text
/// it started from (`base_text`, labelled `base_labels`): a paragraph kept or changed keeps its
/// label, a new one shows as "4 bis", exactly as the version would number it once saved.
pub(crate) fn preview_html(text: &str, base_text: &str, base_labels: &[Option<Label>]) -> String {
    let shown;
    let text = if has_markers(text) {
        shown = markers_as_text(text);
        shown.as_str()
    } else {
        text
    };
    let labels = domain::drafting::next_labels(base_text, base_labels, text, &[]);
    demote_headings(&domain::drafting::labelled_html(text, &labels, false))
}

/// A text holding the markers of a three-way merge, for the preview: each marker line a
/// paragraph of its own in code type, so that `=======` is not read as the underline of a
/// heading (it made the line above it a huge title) and the markers show as what they are.
fn markers_as_text(text: &str) -> String {
    text.lines()
        .map(|l| {
            let marker = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
                .iter()
                .any(|m| l.starts_with(m));
            if marker {
                format!("\n`` {} ``\n", l.replace('`', "'"))
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The preview sits under the page's own heading: the text's headings one level down (its
/// title an `h2` that still looks like one), so that each page has one `h1`. The renderer
/// writes heading tags without attributes and never passes raw HTML through, so the tags are
/// exactly these.
fn demote_headings(html: &str) -> String {
    let mut out = html.to_owned();
    for level in (1..=5).rev() {
        let (open, close) = (format!("<h{level}>"), format!("</h{level}>"));
        let next = level + 1;
        let to = if level == 1 {
            format!("<h{next} class=\"md-h1\">")
        } else {
            format!("<h{next}>")
        };
        out = out
            .replace(&open, &to)
            .replace(&close, &format!("</h{next}>"));
    }
    out
}

/// True once the page runs in the browser (never during server rendering): what only works with
/// the WASM (blocking a save while conflict markers remain) waits for it, so that without
/// JavaScript every form still submits.
pub(crate) fn hydrated() -> RwSignal<bool> {
    let on = RwSignal::new(false);
    Effect::new(move |_| on.set(true));
    on
}

/// Whether a text still holds the markers of a three-way merge.
pub(crate) fn has_markers(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
}

#[derive(Clone, Copy)]
pub(crate) enum Format {
    Bold,
    Italic,
    Heading,
    Bullets,
    Numbers,
    Link,
}

pub(crate) fn utf16_len(s: &str) -> u32 {
    u32::try_from(s.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// Applies a formatting to the selection of a textarea (in the browser) and returns the new text.
pub(crate) fn apply_format(
    el: &leptos::web_sys::HtmlTextAreaElement,
    format: Format,
) -> Option<String> {
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
pub(crate) fn MarkdownEditor(
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
    /// The others' carets, by name, at character indices of `text` (co-editing): drawn over
    /// the textarea.
    #[prop(optional)]
    carets: Option<Signal<Vec<(String, usize)>>>,
) -> impl IntoView {
    let base = StoredValue::new((base_text, base_labels));
    let overlay = NodeRef::<leptos::html::Div>::new();
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
                <div class="md-field-wrap">
                <textarea
                    id=id
                    name=name
                    on:scroll=move |_| {
                        if let (Some(t), Some(o)) = (node_ref.get_untracked(), overlay.get_untracked()) {
                            o.set_scroll_top(t.scroll_top());
                        }
                    }
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
                {carets.map(|carets| {
                    // the layer follows the textarea's scrolling, also when carets first appear
                    Effect::new(move |_| {
                        carets.track();
                        if let (Some(t), Some(o)) = (node_ref.get_untracked(), overlay.get_untracked()) {
                            o.set_scroll_top(t.scroll_top());
                        }
                    });
                    view! {
                        <div class="md-carets" aria-hidden="true" node_ref=overlay>
                            {move || {
                                let c = carets.get();
                                (!c.is_empty()).then(|| caret_pieces(&text.read(), &c))
                            }}
                        </div>
                    }
                })}
                </div>
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

/// The text cut at the others' carets, each caret a marked, named span (for the layer drawn
/// over the textarea, whose text it mirrors invisibly so that each caret sits where its index is).
fn caret_pieces(text: &str, carets: &[(String, usize)]) -> impl IntoView {
    let byte_at = |index: usize| {
        text.char_indices()
            .nth(index)
            .map_or(text.len(), |(b, _)| b)
    };
    let mut at: Vec<(usize, usize, String)> = carets
        .iter()
        .enumerate()
        .map(|(n, (name, index))| (byte_at(*index), n, name.clone()))
        .collect();
    at.sort();
    let mut pieces = Vec::new();
    let mut from = 0;
    for (byte, n, name) in at {
        pieces.push(text[from..byte].to_owned().into_any());
        pieces.push(
            view! {
                <span class=format!("remote-caret caret-{}", n % 6)><span class="remote-caret-name">{name}</span></span>
            }
            .into_any(),
        );
        from = byte;
    }
    // a last line break needs something after it to take its height
    pieces.push(format!("{}\u{200b}", &text[from..]).into_any());
    pieces
}

#[cfg(test)]
mod tests {
    #[test]
    fn conflict_markers_in_the_preview_are_not_headings() {
        let text =
            "# T\n\n<<<<<<< Version 5\nOne line.\n=======\nAnother line.\n>>>>>>> Amendment 3\n";
        let html = super::preview_html(text, text, &[]);
        assert!(!html.contains("<h2 class=\"md-h1\">One line."), "{html}");
        assert!(html.contains("<code>=======</code>"), "{html}");
        assert!(
            html.contains("<code>&lt;&lt;&lt;&lt;&lt;&lt;&lt; Version 5</code>"),
            "{html}"
        );
    }

    #[test]
    fn the_preview_has_no_main_heading_of_its_own() {
        let html = super::demote_headings("<h1>Title</h1><h2>Part</h2><h6>Small</h6><p>x</p>");
        assert_eq!(
            html,
            "<h2 class=\"md-h1\">Title</h2><h3>Part</h3><h6>Small</h6><p>x</p>"
        );
    }
}
