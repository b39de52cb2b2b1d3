//! The voting order: the pending amendments passage by passage, in the order they are put to
//! the vote (proposed by the rule of `domain::drafting::voting`, arranged by the committee).
//! Prints as a clean list for the chair: the committee's controls are left out on paper.

use crate::drafting::api::*;
use crate::drafting::components::*;
use crate::drafting::dto::*;
use crate::live::components::use_live;
use crate::ui::form::{error_of, Alert, NoticeView, SelectField};
use crate::ui::page::{slug_param, Loaded};
use domain::live::Topic;
use leptos::prelude::*;
use leptos_meta::Title;

fn numbers(ns: &[AmendmentNumber]) -> String {
    ns.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn VotingOrderPage() -> impl IntoView {
    let slug = slug_param();
    let live = use_live();
    let moved = ServerAction::<MoveInVotingOrder>::new();
    let depend = ServerAction::<SetVoteDependency>::new();
    let screen = ServerAction::<PutOnScreen>::new();
    let screen_error = error_of(screen.value());
    let move_error = error_of(moved.value());
    let depend_error = error_of(depend.value());
    let data = Resource::new(
        move || {
            (
                slug(),
                live.tick(Topic::Declaration),
                moved.version().get(),
                depend.version().get(),
            )
        },
        |(s, _, _, _)| get_voting_order(s),
    );
    view! {
        <Title text="Voting order" />
        <Loaded data=data transition=true let:d>
            {
                let slug = d.head.conference.slug.clone();
                let arrange = d.can_arrange;
                let chair = d.can_chair;
                let screen_href = format!("/conferences/{slug}/declaration/screen");
                view! {
                    <DraftingHeader head=d.head.clone() section=Some(Section::Voting) />
                    <section class="page voting-page">
                        <h1>"Voting order"</h1>
                        <p class="note">
                            "For each passage, the amendment furthest removed in substance from the text is put to the vote first "
                            "(the most words changed), then the next furthest, as rule 90 of the UN General Assembly's rules of procedure has it. "
                            "Amendments that change the same words are voted one after the other: adopting one rejects the others. "
                            "An amendment that only makes sense if another passes comes after it."
                        </p>
                        {move || moved.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        {move || depend.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        {move || screen.value().get().and_then(Result::ok).map(|n| view! { <NoticeView notice=n /> })}
                        <p><a href=screen_href.clone()>"Open the plenary screen"</a>" (full screen, for the projector; it follows the chair)."</p>
                        <Alert error=move_error fields=&[] />
                        {if d.passages.is_empty() {
                            view! { <p>"No amendment is before the committee."</p> }.into_any()
                        } else {
                            d.passages.clone().into_iter().map(|p| {
                                let heading = p.label.clone();
                                let count = p.items.len();
                                view! {
                                    <section class="vote-passage" aria-label=heading.clone()>
                                        <h2>{heading.clone()}</h2>
                                        {p.by_committee.then(|| view! { <p class="session-meta">"In the order the committee set."</p> })}
                                        {p.set_aside.then(|| view! { <p class="form-alert" role="status">"The committee's order no longer kept a dependency, so the proposed order is shown."</p> })}
                                        <ol class="vote-list">
                                            {p.items.into_iter().enumerate().map(|(k, it)| {
                                                let href = amendment_href(&slug, it.number);
                                                let n = it.number;
                                                let s1 = slug.clone();
                                                let s2 = slug.clone();
                                                let s3 = slug.clone();
                                                view! {
                                                    <li class="vote-item">
                                                        <div class="vote-line">
                                                            <a href=href class="amendment-title">
                                                                <span class="amendment-number">{format!("Amendment {}", it.number)}</span>
                                                                ": "{it.title.clone()}
                                                            </a>
                                                            <span class="session-meta">
                                                                " — "{it.sponsor_name.clone()}
                                                                {it.delegation_name.clone().map(|dl| format!(" ({dl})"))}
                                                                {format!(" · {} word{} changed", it.words_changed, if it.words_changed == 1 { "" } else { "s" })}
                                                            </span>
                                                        </div>
                                                        {(!it.collides_with.is_empty()).then(|| view! {
                                                            <p class="vote-note">{format!("Changes the same words as amendment{} {}: if this one is adopted, {} not put to the vote.", if it.collides_with.len() == 1 { "" } else { "s" }, numbers(&it.collides_with), if it.collides_with.len() == 1 { "that one is" } else { "those are" })}</p>
                                                        })}
                                                        {it.amends.map(|p| view! {
                                                            <p class="vote-note">{format!("An amendment to amendment {p}: voted before it.")}</p>
                                                        })}
                                                        {(!it.depends_on.is_empty()).then(|| view! {
                                                            <p class="vote-note">{format!("Only makes sense if amendment {} passes: voted after it.", numbers(&it.depends_on))}</p>
                                                        })}
                                                        {(arrange || chair).then(|| view! {
                                                            <div class="vote-controls">
                                                                {chair.then(|| view! {
                                                                    <ActionForm action=screen attr:class="inline-form">
                                                                        <input type="hidden" name="slug" value=s3 />
                                                                        <input type="hidden" name="number" value=n.0 />
                                                                        <button type="submit" class="button small" aria-label=format!("Put amendment {n} on the screen")>"On the screen"</button>
                                                                    </ActionForm>
                                                                })}
                                                                {arrange.then(|| view! {
                                                                <ActionForm action=moved attr:class="inline-form">
                                                                    <input type="hidden" name="slug" value=s1 />
                                                                    <input type="hidden" name="number" value=n.0 />
                                                                    <input type="hidden" name="direction" value="up" />
                                                                    <button type="submit" class="button small" disabled=k == 0 aria-label=format!("Move amendment {n} earlier")>"Earlier"</button>
                                                                </ActionForm>
                                                                <ActionForm action=moved attr:class="inline-form">
                                                                    <input type="hidden" name="slug" value=s2 />
                                                                    <input type="hidden" name="number" value=n.0 />
                                                                    <input type="hidden" name="direction" value="down" />
                                                                    <button type="submit" class="button small" disabled=k + 1 == count aria-label=format!("Move amendment {n} later")>"Later"</button>
                                                                </ActionForm>
                                                                })}
                                                            </div>
                                                        })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ol>
                                    </section>
                                }
                            }).collect_view().into_any()
                        }}
                        {chair.then(|| {
                            let (s_para, s_clear) = (slug.clone(), slug.clone());
                            view! {
                            <section class="vote-dependencies">
                                <h2>"The screen"</h2>
                                <ActionForm action=screen attr:class="form" attr:aria-label="Put a paragraph on the screen">
                                    <input type="hidden" name="slug" value=s_para.clone() />
                                    <SelectField name="paragraph" label="Paragraph" options=d.paragraphs.clone() error=screen_error />
                                    <button type="submit" class="button">"Put it on the screen"</button>
                                </ActionForm>
                                <ActionForm action=screen attr:class="form" attr:aria-label="Clear the screen">
                                    <input type="hidden" name="slug" value=s_clear.clone() />
                                    <button type="submit" class="button">"Clear the screen"</button>
                                </ActionForm>
                            </section>
                            }
                        })}
                        {(!d.waiting.is_empty()).then(|| view! {
                            <section class="vote-waiting">
                                <h2>"Waiting for an update"</h2>
                                <p>"These amendments collide with changes made since they were written; each takes its place in the order once its sponsor updates it."</p>
                                <ul>{d.waiting.iter().map(|o| view! { <li>{o.label.clone()}</li> }).collect_view()}</ul>
                            </section>
                        })}
                        {(arrange && d.amendments.len() > 1).then(|| view! {
                            <section class="vote-dependencies">
                                <h2>"Dependencies"</h2>
                                <ActionForm action=depend attr:class="form" attr:aria-label="Record a dependency">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <Alert error=depend_error fields=&["number", "depends_on"] />
                                    <SelectField name="number" label="This amendment" options=d.amendments.clone() error=depend_error />
                                    <SelectField name="depends_on" label="only makes sense if this one passes" options=d.amendments.clone() error=depend_error />
                                    <div class="field check">
                                        <label><input type="checkbox" name="remove" />" Remove this dependency instead"</label>
                                    </div>
                                    <button type="submit" class="button" disabled=move || depend.pending().get()>"Save the dependency"</button>
                                </ActionForm>
                            </section>
                        })}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}
