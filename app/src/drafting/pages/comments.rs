//! Comments on passages of the working draft: the open ones in the order of the text, each with
//! its passage as it reads now (it follows its words across versions); resolved ones folded
//! away. Participants comment on a passage by its words; the author or the committee resolves.

use crate::drafting::api::*;
use crate::drafting::components::*;
use crate::drafting::dto::DraftCommentDto;
use crate::live::components::use_live;
use crate::ui::form::{error_of, Alert, Field, NoticeView, SelectField, TextField};
use crate::ui::page::{slug_param, Loaded};
use domain::live::Topic;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn CommentView(
    c: DraftCommentDto,
    slug: String,
    resolve: ServerAction<ResolveDraftComment>,
) -> impl IntoView {
    let name = format!(
        "Comment by {} on {}",
        c.author_name,
        c.place
            .clone()
            .unwrap_or_else(|| "a deleted passage".into())
    );
    let moved = c.passage.as_deref().map(str::trim) != Some(c.quote.trim());
    let passage = c.passage.clone();
    view! {
        <li>
            <article class="draft-comment" class:resolved=c.resolved_label.is_some() aria-label=name>
                <p class="draft-comment-place">
                    {c.place.clone().unwrap_or_else(|| "Its passage was deleted".into())}
                </p>
                {passage.map(|p| view! { <blockquote class="draft-comment-passage">{p}</blockquote> })}
                {moved.then(|| view! {
                    <p class="session-meta">{format!("Written on version {} about: “{}”", c.written_on, c.quote.trim())}</p>
                })}
                <div class="prose draft-comment-body" inner_html=c.body_html.clone()></div>
                <p class="session-meta">{format!("{} · {}", c.author_name, c.created_label)}</p>
                {c.resolved_label.clone().map(|r| view! { <p class="session-meta">{r}</p> })}
                {c.can_resolve.then(|| view! {
                    <ActionForm action=resolve attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug.clone() />
                        <input type="hidden" name="id" value=c.id.0 />
                        <button type="submit" class="button small" aria-label=format!("Resolve the comment by {} on “{}”", c.author_name, c.quote.trim())>"Resolve"</button>
                    </ActionForm>
                })}
            </article>
        </li>
    }
}

#[component]
pub fn CommentsPage() -> impl IntoView {
    let slug = slug_param();
    let live = use_live();
    let add = ServerAction::<CommentOnDraft>::new();
    let resolve = ServerAction::<ResolveDraftComment>::new();
    let add_error = error_of(add.value());
    let resolve_error = error_of(resolve.value());
    let data = Resource::new(
        move || {
            (
                slug(),
                live.tick(Topic::Declaration),
                add.version().get(),
                resolve.version().get(),
            )
        },
        |(s, _, _, _)| get_draft_comments(s),
    );
    view! {
        <Title text="Comments on the text" />
        <Loaded data=data transition=true let:d>
            {
                let slug = d.head.conference.slug.clone();
                let resolved = d.resolved.len();
                let form_slug = slug.clone();
                view! {
                    <DraftingHeader head=d.head.clone() section=Some(Section::Comments) />
                    <section class="page comments-page">
                        <h1>"Comments on the text"</h1>
                        <p class="note">
                            "A comment belongs to a passage of the text and stays with it as the text changes. "
                            "Resolved comments are folded away at the end."
                        </p>
                        {move || add.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        {move || resolve.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <Alert error=resolve_error fields=&[] />
                        {d.can_comment.then(|| view! {
                            <section class="comment-new">
                                <h2>"Comment on a passage"</h2>
                                <ActionForm action=add attr:class="form" attr:aria-label="Comment on a passage">
                                    <input type="hidden" name="slug" value=form_slug.clone() />
                                    <input type="hidden" name="version" value=d.version.0 />
                                    <Alert error=add_error fields=&["paragraph", "passage", "body"] />
                                    <SelectField name="paragraph" label="Paragraph" options=d.choices.clone() error=add_error />
                                    <Field name="passage" label="Passage" hint="The words you comment on, exactly as they stand in the paragraph." error=add_error />
                                    <TextField name="body" id="f-comment-body" label="Your comment" rows=3 required=true error=add_error />
                                    <button type="submit" class="button" disabled=move || add.pending().get()>"Add the comment"</button>
                                </ActionForm>
                            </section>
                        })}
                        <h2>{format!("Open comments ({})", d.open.len())}</h2>
                        {if d.open.is_empty() {
                            view! { <p>"No open comment."</p> }.into_any()
                        } else {
                            view! {
                                <ol class="comment-list" aria-label="Open comments">
                                    {d.open.clone().into_iter().map(|c| view! { <CommentView c=c slug=slug.clone() resolve=resolve /> }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                        {(resolved > 0).then(|| view! {
                            <details class="comments-resolved">
                                <summary>{format!("{resolved} resolved comment{}", if resolved == 1 { "" } else { "s" })}</summary>
                                <ol class="comment-list" aria-label="Resolved comments">
                                    {d.resolved.clone().into_iter().map(|c| view! { <CommentView c=c slug=slug.clone() resolve=resolve /> }).collect_view()}
                                </ol>
                            </details>
                        })}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}
