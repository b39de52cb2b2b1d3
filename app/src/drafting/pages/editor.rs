//! The committee's editor of the working draft, with Key Feature tagging.

use crate::drafting::api::*;
use crate::drafting::components::*;
use crate::drafting::dto::*;
use crate::error::AppError;
use crate::live::components::Presence;
use crate::ui::form::{Alert, Field};
use crate::ui::page::{slug_param, Loaded};
use domain::live::Place;
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos_meta::Title;

// ---------------------------------------------------------------------------------------------
// the committee's editor

/// What a save did: saved, or (refused with 409) the conflict it ran into, which comes in the
/// error's detail.
pub(crate) fn save_outcome(v: Option<Result<SaveResultDto, AppError>>) -> Option<SaveResultDto> {
    match v? {
        Ok(r) => Some(r),
        Err(e) if e.kind == crate::error::ErrorKind::Conflict => {
            serde_json::from_value(e.detail?).ok()
        }
        Err(_) => None,
    }
}

/// The label of the paragraph the editor's caret is in ("4 bis", as the preview numbers it),
/// and what to call when the caret may have moved (a key, a click).
fn caret_paragraph(
    node_ref: NodeRef<Textarea>,
    text: RwSignal<String>,
    base_text: String,
    base_labels: Vec<Option<domain::drafting::Label>>,
) -> (Signal<Option<String>>, impl Fn() + Copy + 'static) {
    let caret = RwSignal::new(None::<String>);
    let base = StoredValue::new((base_text, base_labels));
    let moved = move || {
        let Some(el) = node_ref.get_untracked() else {
            return;
        };
        let Ok(Some(at)) = el.selection_start() else {
            return;
        };
        let t = text.get_untracked();
        // the caret counts UTF-16 units; the text is indexed by bytes
        let mut units = 0u32;
        let byte = t
            .char_indices()
            .find(|(_, c)| {
                units += c.len_utf16() as u32;
                units > at
            })
            .map_or(t.len(), |(i, _)| i);
        let label = base.with_value(|(bt, bl)| {
            let labels = domain::drafting::next_labels(bt, bl, &t, &[]);
            domain::drafting::label_at(&t, byte, &labels).map(|l| l.to_string())
        });
        if caret.get_untracked() != label {
            caret.set(label);
        }
    };
    (caret.into(), moved)
}

/// The editor page's data: the current version, and (for the committee) the shared draft.
type EditorData = (DraftDto, Option<SharedDraftDto>);

async fn editor_data(slug: String) -> Result<EditorData, AppError> {
    let d = get_draft(slug.clone(), None).await?;
    let shared = if d.head.can_edit {
        Some(get_shared_draft(slug).await?)
    } else {
        None
    };
    Ok((d, shared))
}

#[component]
pub fn EditorPage() -> impl IntoView {
    let slug = slug_param();
    // without JavaScript: the whole text is posted against its version (`save_declaration`);
    // with it: the shared draft is saved as it is (`save_shared_draft`)
    let save = ServerAction::<SaveDeclaration>::new();
    let shared_save = ServerAction::<SaveSharedDraft>::new();
    let reload = RwSignal::new(0u32);
    // the version the editor's text is written against, once a conflict moved it on
    let base_override = RwSignal::new(None::<VersionNumber>);
    let outcome = move || shared_save.value().get().or_else(|| save.value().get());
    Effect::new(move |_| match save_outcome(outcome()) {
        Some(r) if r.saved.is_some() => {
            base_override.set(None);
            reload.update(|n| *n += 1);
        }
        Some(r) if r.conflict.is_some() => base_override.set(Some(r.current_version)),
        _ => {}
    });
    let data = Resource::new(move || (slug(), reload.get()), |(s, _)| editor_data(s));
    // a conflict is shown as such below, not as an error
    let error = Signal::derive(move || {
        outcome()
            .and_then(Result::err)
            .filter(|e| e.detail.is_none())
    });
    let result = move || save_outcome(outcome());
    let pending = move || save.pending().get() || shared_save.pending().get();
    view! {
        <Title text="Edit the declaration" />
        <Loaded data=data let:pair>
            {match pair {
                (d, Some(shared)) if d.head.can_edit => {
                    let slug = d.head.conference.slug.clone();
                    let loaded = shared.base_version;
                    let text = RwSignal::new(shared.text.clone());
                    let node_ref = NodeRef::<Textarea>::new();
                    let coedit = CoEdit::start(slug.clone(), &shared, node_ref, text);
                    let base = move || base_override.get().unwrap_or(loaded);
                    let live = hydrated();
                    let markers = move || live.get() && has_markers(&text.read());
                    let caret = caret_paragraph(node_ref, text, d.markdown.clone(), d.labels.clone());
                    let tagging = view! { <KeyFeatureTagging slug=slug.clone() markdown=d.markdown.clone() labels=d.labels.clone() tags=d.tags.clone() /> };
                    // saving waits until this editor's typing has reached the shared draft
                    let waiting = RwSignal::new(false);
                    let not_sent = RwSignal::new(false);
                    let save_slug = slug.clone();
                    let on_submit = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let message = message_of(&ev);
                        let slug = save_slug.clone();
                        waiting.set(true);
                        not_sent.set(false);
                        leptos::task::spawn_local(async move {
                            let settled = wait_settled(coedit).await;
                            waiting.set(false);
                            not_sent.set(!settled);
                            if settled {
                                shared_save.dispatch(SaveSharedDraft { slug, message, base_version: base_override.get_untracked() });
                            }
                        });
                    };
                    view! {
                        <DraftingHeader head=d.head.clone() section=Some(Section::Edit) />
                        <section class="page editor-page" on:keyup=move |_| caret.1() on:click=move |_| caret.1()>
                            <h1>"Edit the declaration"</h1>
                            <Presence slug=slug.clone() place=Place::Editor paragraph=caret.0 />
                            <p class="note">
                                "Markdown: a blank line between paragraphs; "<code>"## "</code>" for a heading, "
                                <code>"**bold**"</code>", "<code>"*italic*"</code>". The preview shows the text as the declaration page will, with its paragraph numbers. "
                                "The committee edits this working draft together: what each member types appears for the others as they type. "
                                "Saving makes it a new version, each passage credited to whoever typed it."
                            </p>
                            {move || live.get().then(|| {
                                let st = coedit.status.get();
                                let class = match st {
                                    SyncStatus::Synced => "coedit-status synced",
                                    SyncStatus::Sending => "coedit-status sending",
                                    SyncStatus::Offline => "coedit-status offline",
                                    SyncStatus::Refused(_) => "coedit-status refused",
                                };
                                view! { <p class=class role="status" aria-label="Shared draft">{st.text()}</p> }
                            })}
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
                            {move || result().and_then(|r| r.conflict.map(|c| view! {
                                <SaveConflict conflict=c current=r.current_version node_ref=node_ref text=text />
                            }))}
                            <form
                                method="post"
                                action=save_declaration_url()
                                class="form editor-form"
                                aria-label="Edit the declaration"
                                on:submit=on_submit
                            >
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="base_version" value=move || base().to_string() />
                                <Alert error=error fields=&["markdown", "message"] />
                                {move || not_sent.get().then(|| view! {
                                    <p class="form-alert" role="alert">"Not saved: your latest typing has not reached the server yet (see above). It is kept here; save again once you are connected."</p>
                                })}
                                <p class="session-meta">"Written against version "{move || base().0}"."</p>
                                <MarkdownEditor name="markdown" id="edit-markdown" label="Text of the declaration (Markdown)" text=text base_text=d.markdown.clone() base_labels=d.labels.clone() node_ref=node_ref error=error carets=Signal::from(coedit.carets) />
                                <Field name="message" label="Message" hint="What changed, in a few words (shown in the list of versions)." required=false error=error />
                                <button type="submit" class="button primary" disabled=move || pending() || waiting.get() || markers()>
                                    {move || if pending() || waiting.get() { "Saving…" } else { "Save a new version" }}
                                </button>
                            </form>
                            {tagging}
                        </section>
                    }.into_any()
                }
                (d, _) => view! { <EditClosed head=d.head.clone() /> }.into_any(),
            }}
        </Loaded>
    }
}

/// Where the form posts without JavaScript.
fn save_declaration_url() -> &'static str {
    use leptos::server_fn::ServerFn;
    SaveDeclaration::url()
}

/// The message typed into the form being submitted.
fn message_of(ev: &leptos::ev::SubmitEvent) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let form = ev
            .target()?
            .dyn_into::<leptos::web_sys::HtmlFormElement>()
            .ok()?;
        let data = leptos::web_sys::FormData::new_with_form(&form).ok()?;
        data.get("message").as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

/// Waits (up to 15 s) until everything typed here has reached the server; false if it did not
/// (offline: the status says so).
async fn wait_settled(coedit: CoEdit) -> bool {
    #[cfg(feature = "hydrate")]
    for _ in 0..150 {
        if coedit.settled() {
            return true;
        }
        if coedit.status.get_untracked() == SyncStatus::Offline {
            return false;
        }
        gloo_timers_sleep(100).await;
    }
    coedit.settled()
}

#[cfg(feature = "hydrate")]
async fn gloo_timers_sleep(ms: i32) {
    let promise = leptos::web_sys::js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// For those who cannot edit: why not (with the status that says it to clients that read only
/// that).
#[component]
fn EditClosed(head: DraftHeadDto) -> impl IntoView {
    let drafting = head.status == DeclarationStatus::Drafting;
    crate::ui::page::set_page_status(if drafting { 403 } else { 409 });
    view! {
        <DraftingHeader head=head section=Some(Section::Edit) />
        <section class="page narrow">
            <h1>"Edit the declaration"</h1>
            <p class="form-alert" role="status">
                {if drafting {
                    "Only members of the drafting committee edit the text. You can propose an amendment instead."
                } else {
                    "The declaration is no longer being drafted: its text cannot change."
                }}
            </p>
        </section>
    }
}

/// A save that collided with a version saved meanwhile: each conflict side by side, and a
/// button that puts the merged text (with markers) into the editor.
#[component]
fn SaveConflict(
    conflict: ConflictDto,
    current: VersionNumber,
    node_ref: NodeRef<Textarea>,
    text: RwSignal<String>,
) -> impl IntoView {
    let c = conflict;
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
            <h2 id="conflict-heading">"Not saved: your edit collides with version "{current.0}</h2>
            <p>
                "Version "{current.0}" was saved while you were editing, and it changes the same passages as you. "
                "Your text is still in the editor below, untouched. Resolve each passage, then save again: "
                "the save will now be made against version "{current.0}"."
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
                "The easiest way: put the merged text into the editor. It holds version "{current.0}" with every change of yours that merged cleanly, "
                "and each conflict between markers (<<<<<<< version "{current.0}", =======, >>>>>>> yours). Keep the wording you want and delete the marker lines."
            </p>
            <button type="button" class="button" on:click=use_merged>"Put the merged text into the editor"</button>
        </section>
    }
}

/// The committee tags the current version's paragraphs with Key Features: a paragraph, the
/// twelve areas as checkboxes (ticked as the paragraph is tagged now), and the tagged ones
/// listed. Works without WASM too (the boxes then start from the first paragraph's tags).
#[component]
pub(crate) fn KeyFeatureTagging(
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
                <crate::ui::key_features::KeyFeatureBoxes legend="Key Features" checked=has />
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
