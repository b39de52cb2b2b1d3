//! The amendments: the list, the proposal form and one amendment's page.

use crate::drafting::api::*;
use crate::drafting::components::*;
use crate::drafting::dto::*;
use crate::dto::OptionDto;
use crate::error::AppError;
use crate::live::components::{use_live, Presence};
use crate::ui::form::{error_of, Alert, Field, NoticeView, TextField};
use crate::ui::page::{slug_param, Loaded};
use domain::live::{Change, Place, Topic};
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

// ---------------------------------------------------------------------------------------------
// amendments

pub(crate) fn collision_marker(slug: &str, with: &[AmendmentNumber]) -> impl IntoView {
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

pub(crate) fn status_badge(status: &AmendmentStatus, label: &str) -> impl IntoView {
    view! { <span class=format!("badge amendment-status status-{}", status.as_str())>{label.to_owned()}</span> }
}

/// An amendment's state, as loaded and then as the live stream reports it (the page's forms
/// stay as they are: the notice offers the whole page again).
#[component]
fn LiveStatus(number: AmendmentNumber, status: AmendmentStatus, label: String) -> impl IntoView {
    let live = use_live();
    let heard = Memo::new(
        move |before: Option<&Option<AmendmentStatus>>| match live.latest() {
            Some(Change::AmendmentChanged { number: n, status }) if n == number => Some(status),
            _ => before.copied().flatten(),
        },
    );
    move || match heard.get() {
        Some(s) if s != status => status_badge(&s, s.label()).into_any(),
        _ => status_badge(&status, &label).into_any(),
    }
}

#[component]
pub fn AmendmentsPage() -> impl IntoView {
    let slug = slug_param();
    let status = query_param("status");
    let live = use_live();
    // states, collisions and "needs an update" flags follow the committee without a reload
    let data = Resource::new(
        move || (slug(), live.tick(Topic::Declaration)),
        |(s, _)| get_amendments(s),
    );
    view! {
        <Title text="Amendments" />
        <Loaded data=data transition=true let:d>
            {
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
                            <a href=format!("/conferences/{slug}/declaration/compilation")>"Read the compilation text"</a>
                            " (the current text with every pending amendment inline) or "
                            <a href=format!("/conferences/{slug}/declaration/compilation.md") download="compilation.md">"download it"</a>
                            " (Markdown). The amendments as a table: "
                            <a href=format!("/conferences/{slug}/amendments.csv") download=format!("{slug}-amendments.csv") rel="external">"CSV"</a>
                            ", "
                            <a href=format!("/conferences/{slug}/amendments.pdf") download=format!("{slug}-amendments.pdf") rel="external">"PDF"</a>
                            "."
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
                                                    " · against version "{a.base_version.0}
                                                    " · "<Time at=a.updated_at.clone() />
                                                </p>
                                                {a.amends.map(|p| view! {
                                                    <p class="touches">"An amendment to "<a href=amendment_href(&slug, p)>{format!("amendment {p}")}</a></p>
                                                })}
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
        </Loaded>
    }
}

#[component]
pub fn ProposePage() -> impl IntoView {
    let slug = slug_param();
    let propose = ServerAction::<ProposeAmendment>::new();
    let data = Resource::new(slug, |s| async move {
        let d = get_draft(s.clone(), None).await?;
        // asked only of those who may propose: the others see no form (and would get a 403)
        let co_sponsors = if d.head.can_propose {
            get_co_sponsor_options(s).await?
        } else {
            Vec::new()
        };
        Ok::<_, AppError>((d, co_sponsors))
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(n)) = propose.value().get() {
            navigate(&amendment_href(&slug(), n), Default::default());
        }
    });
    view! {
        <Title text="Propose an amendment" />
        <Loaded data=data let:pair>
            {
                let (d, co_sponsors) = pair;
                if d.head.can_propose {
                    view! { <ProposeForm d=d co_sponsors=co_sponsors propose=propose /> }.into_any()
                } else {
                    view! {
                        <DraftingHeader head=d.head.clone() section=Some(Section::Propose) />
                        <section class="page narrow">
                            <h1>"Propose an amendment"</h1>
                            <p class="form-alert" role="status">
                                {if d.head.status == DeclarationStatus::Drafting && d.head.deadline.as_ref().is_some_and(|dl| dl.passed) {
                                    "The deadline for amendments has passed: proposals are closed."
                                } else if d.head.status == DeclarationStatus::Drafting {
                                    "Delegates, heads of delegation and members of the drafting committee propose amendments."
                                } else {
                                    "The declaration is no longer being drafted: amendments are closed."
                                }}
                            </p>
                        </section>
                    }.into_any()
                }
            }
        </Loaded>
    }
}

/// The proposal form: the text to edit, the rationale and the co-sponsors.
#[component]
fn ProposeForm(
    d: DraftDto,
    co_sponsors: Vec<OptionDto>,
    propose: ServerAction<ProposeAmendment>,
) -> impl IntoView {
    let error = error_of(propose.value());
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
                "Your amendment is what differs from version "{d.version.number.0}"; the changes are computed, you never type them."
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
                <input type="hidden" name="base_version" value=d.version.number.0 />
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
    }
}

/// "Needs update" from "needs update".
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Submitted → needs update" and the like.
pub(crate) fn event_line(e: &AmendmentEventDto) -> String {
    match &e.from_label {
        Some(from) => format!("{} → {}", capitalised(from), e.to_label),
        None => format!("Created as {}", e.to_label.to_lowercase()),
    }
}

pub(crate) fn accept_notice(r: &AcceptResultDto, number: AmendmentNumber) -> String {
    let mut msg = match r.amended {
        Some(p) => format!(
            "Amendment {number}: {}. It is now part of amendment {p}, which stays before the committee.",
            r.status_label.to_lowercase()
        ),
        None => format!(
            "Amendment {number}: {}. It became version {}.",
            r.status_label.to_lowercase(),
            r.version
        ),
    };
    if let Some(note) = rebase_note(&r.rebased, &r.flagged) {
        msg.push(' ');
        msg.push_str(&note);
    }
    msg
}

/// An amendment's facts (sponsor, what it amends, its versions), collisions, the reason for
/// its decision, and its rationale.
fn amendment_facts(a: &AmendmentDetailDto, slug: &str) -> impl IntoView {
    view! {
        <dl class="facts">
            <div><dt>"Sponsor"</dt><dd>{a.sponsor_name.clone()}{a.delegation_name.clone().map(|dl| format!(" — {dl}"))}</dd></div>
            {(!a.co_sponsors.is_empty()).then(|| view! { <div><dt>"Co-sponsors"</dt><dd>{a.co_sponsors.join(", ")}</dd></div> })}
            {a.amends.clone().map(|p| view! {
                <div><dt>"An amendment to"</dt><dd>
                    <a href=amendment_href(slug, p.number)>{format!("Amendment {}: {}", p.number, p.title)}</a>
                    " ("{p.status_label}")"
                </dd></div>
            })}
            <div><dt>"Amends"</dt><dd>{match a.touches_label.strip_prefix("amends ") {
                Some(what) => capitalised(what),
                None if a.touches_label.is_empty() => "—".to_owned(),
                None => a.touches_label.clone(),
            }}</dd></div>
            <div>
                <dt>"Written against"</dt>
                <dd>
                    "Version "{a.base_version.0}
                    {(a.original_base_version != a.base_version).then(|| format!(" (first written against version {}, moved onto newer versions since)", a.original_base_version))}
                </dd>
            </div>
            {a.merged_version.map(|v| view! {
                <div><dt>"Became"</dt><dd><a href=format!("/conferences/{slug}/declaration/compare?from={}&to={v}", a.base_version)>{format!("Version {v}")}</a></dd></div>
            })}
            <div><dt>"Last changed"</dt><dd><Time at=a.updated_at.clone() /></dd></div>
        </dl>
        {collision_marker(slug, &a.collides_with)}
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
    }
}

/// The amendments to an amendment, and the way to propose one (its own page, so that this page
/// does not carry the proposal form's code).
fn amendments_to_it(a: &AmendmentDetailDto) -> impl IntoView {
    let slug = a.head.conference.slug.clone();
    let n = a.number;
    (a.can_amend || !a.amendments_to_it.is_empty()).then(|| view! {
        <section aria-labelledby="subs-heading">
            <h2 id="subs-heading">"Amendments to this amendment"</h2>
            <p class="note">"They are voted before this amendment; one the committee accepts becomes part of it."</p>
            {if a.amendments_to_it.is_empty() {
                view! { <p>"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="sub-amendments">
                        {a.amendments_to_it.iter().map(|s| view! {
                            <li>
                                <a href=amendment_href(&slug, s.number)>{format!("Amendment {}: {}", s.number, s.title)}</a>
                                " — "{s.sponsor_name.clone()}" "
                                {status_badge(&s.status, &s.status_label)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {a.can_amend.then(|| view! {
                <p><a class="button" href=format!("{}/amend", amendment_href(&slug, n))>{format!("Propose an amendment to amendment {n}")}</a></p>
            })}
        </section>
    })
}

/// Proposing an amendment to amendment `:number`: its text in the editor, changed as the
/// proposer would have it.
#[component]
pub fn ProposeSubPage() -> impl IntoView {
    let slug = slug_param();
    let params = use_params_map();
    let number = move || {
        params
            .read()
            .get("number")
            .and_then(|n| n.parse::<i32>().ok())
            .map(AmendmentNumber)
    };
    let propose = ServerAction::<ProposeSubAmendment>::new();
    let data = Resource::new(
        move || (slug(), number()),
        |(slug, number)| async move {
            match number {
                Some(n) => get_amendment(slug, n).await,
                None => Err(AppError::not_found("There is no such amendment.")),
            }
        },
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(m)) = propose.value().get() {
            navigate(&amendment_href(&slug(), m), Default::default());
        }
    });
    view! {
        <Title text="Propose an amendment to an amendment" />
        <Loaded data=data let:a>
            {
                let n = a.number;
                let slug = a.head.conference.slug.clone();
                view! {
                    <DraftingHeader head=a.head.clone() section=None />
                    <section class="page editor-page">
                        <p class="eyebrow"><a href=amendment_href(&slug, n)>{format!("← Amendment {n}: {}", a.title)}</a></p>
                        <h1>{format!("Propose an amendment to amendment {n}")}</h1>
                        {if a.can_amend {
                            view! { <ProposeSubForm a=a.clone() propose=propose /> }.into_any()
                        } else {
                            view! {
                                <p class="form-alert" role="status">
                                    "Only an amendment before the committee can be amended, by someone who may propose amendments and does not sponsor it (its sponsors edit it instead), while proposals are open."
                                </p>
                            }.into_any()
                        }}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

/// The form proposing an amendment to amendment `a`.
#[component]
fn ProposeSubForm(
    a: AmendmentDetailDto,
    propose: ServerAction<ProposeSubAmendment>,
) -> impl IntoView {
    let error = error_of(propose.value());
    let n = a.number;
    let text = RwSignal::new(a.proposed_markdown.clone());
    let node_ref = NodeRef::<Textarea>::new();
    let live = hydrated();
    let markers = move || live.get() && has_markers(&text.read());
    let done_slug = a.head.conference.slug.clone();
    view! {
        <p class="note">{format!("Edit amendment {n}'s text as you would have it; your amendment is what differs from it. It is voted before amendment {n}, and, accepted, becomes part of it.")}</p>
        {move || propose.value().get().and_then(Result::ok).map(|m| view! {
            <p class="form-notice" role="status">
                {format!("Amendment {m} is saved. ")}
                <a href=amendment_href(&done_slug, m)>{format!("Go to amendment {m}")}</a>
            </p>
        })}
        <ActionForm action=propose attr:class="form editor-form" attr:aria-label="Propose an amendment to this amendment">
            <input type="hidden" name="idempotency_key" value=crate::ui::form_key() />
            <input type="hidden" name="slug" value=a.head.conference.slug.clone() />
            <input type="hidden" name="number" value=n.0 />
            <input type="hidden" name="amended_sha256" value=a.text_sha256.clone() />
            <Alert error=error fields=&["title", "rationale", "proposed_markdown"] />
            <Field name="title" label="Title" hint="What your amendment to it does, in a line." error=error />
            <TextField name="rationale" id="sub-rationale" label="Rationale" hint="Why (Markdown)." rows=3 error=error />
            <MarkdownEditor name="proposed_markdown" id="sub-text" label="The amendment's text as you propose it (Markdown)" text=text base_text=a.proposed_markdown.clone() base_labels=a.proposed_labels.clone() node_ref=node_ref error=error />
            <div class="field checkbox">
                <label><input type="checkbox" name="submit" value="on" />" Submit to the committee now"</label>
                <p class="field-hint">"Otherwise it is kept as a draft that only you see, to submit later."</p>
            </div>
            <button type="submit" class="button primary" disabled=move || propose.pending().get() || markers()>
                {move || if propose.pending().get() { "Saving…" } else { "Save amendment to the amendment" }}
            </button>
        </ActionForm>
    }
}

/// An amendment's history: every step, who took it and when.
fn amendment_history(events: &[AmendmentEventDto]) -> impl IntoView {
    view! {
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <ol class="timeline">
                {events.iter().map(|e| view! {
                    <li class=format!("timeline-item to-{}", e.to_status.as_str())>
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
    }
}

/// An amendment's comments, and the form to add one.
fn amendment_comments(
    a: &AmendmentDetailDto,
    comment: ServerAction<CommentAmendment>,
    comment_error: Signal<Option<AppError>>,
    slug: String,
) -> impl IntoView {
    let n = a.number;
    view! {
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
                    <input type="hidden" name="slug" value=slug.clone() />
                    <input type="hidden" name="number" value=n.0 />
                    <Alert error=comment_error fields=&["body"] />
                    <TextField name="body" id="comment-body" label="Your comment" hint="Markdown." rows=3 required=true error=comment_error />
                    <button type="submit" class="button" disabled=move || comment.pending().get()>
                        {move || if comment.pending().get() { "Sending…" } else { "Add comment" }}
                    </button>
                </ActionForm>
            })}
        </section>
    }
}

/// What the actions on an amendment's page said when they succeeded.
fn action_notices(
    n: AmendmentNumber,
    acts: DecideActions,
    update: ServerAction<UpdateAmendment>,
    comment: ServerAction<CommentAmendment>,
) -> impl IntoView {
    let message =
        |v: Option<Result<crate::dto::Notice, AppError>>| v.and_then(Result::ok).map(|x| x.message);
    let accepted = |v: Option<Result<AcceptResultDto, AppError>>| {
        v.and_then(Result::ok).map(|r| accept_notice(&r, n))
    };
    [
        message(update.value().get()),
        message(acts.submit.value().get()),
        message(acts.withdraw.value().get()),
        message(acts.reject.value().get()),
        accepted(acts.accept.value().get()),
        accepted(acts.modify.value().get()),
        message(comment.value().get()),
    ]
    .into_iter()
    .flatten()
    .map(|message| view! { <NoticeView notice=crate::dto::Notice { message } /> })
    .collect_view()
}

/// The sponsor's form to change an amendment: title, rationale and text (the text holding
/// both sides between markers when it needs an update).
#[component]
fn UpdateForm(a: AmendmentDetailDto, update: ServerAction<UpdateAmendment>) -> impl IntoView {
    let error = error_of(update.value());
    let text = RwSignal::new(
        a.conflict
            .as_ref()
            .map_or_else(|| a.proposed_markdown.clone(), |c| c.with_markers.clone()),
    );
    let node_ref = NodeRef::<Textarea>::new();
    let live = hydrated();
    let markers = move || live.get() && has_markers(&text.read());
    let base = a.conflict.as_ref().map_or(a.base_version, |c| c.version);
    view! {
        <ActionForm action=update attr:class="form editor-form" attr:aria-label="Update the amendment">
            <input type="hidden" name="slug" value=a.head.conference.slug.clone() />
            <input type="hidden" name="number" value=a.number.0 />
            <input type="hidden" name="base_version" value=base.0 />
            {a.amended_sha256.clone().map(|h| view! { <input type="hidden" name="amended_sha256" value=h /> })}
            <Alert error=error fields=&["title", "rationale", "proposed_markdown"] />
            <Field name="title" label="Title" value=a.title.clone() error=error />
            <TextField name="rationale" id="update-rationale" label="Rationale" rows=4 value=a.rationale.clone() error=error />
            <MarkdownEditor name="proposed_markdown" id="update-text" label="The text as you propose it (Markdown)" text=text base_text=a.proposed_markdown.clone() base_labels=a.proposed_labels.clone() node_ref=node_ref error=error />
            <button type="submit" class="button primary" disabled=move || update.pending().get() || markers()>
                {move || if update.pending().get() { "Saving…" } else { "Update amendment" }}
            </button>
        </ActionForm>
    }
}

/// The step actions of an amendment's page (one each, made with the page).
#[derive(Clone, Copy)]
struct DecideActions {
    submit: ServerAction<SubmitAmendment>,
    withdraw: ServerAction<WithdrawAmendment>,
    reject: ServerAction<RejectAmendment>,
    accept: ServerAction<AcceptAmendment>,
    modify: ServerAction<AcceptAmendment>,
}

/// What may be done with an amendment now: submit or withdraw it (its sponsor), accept it as
/// it is or with a modification, or reject it with a reason (the committee).
fn amendment_actions(
    a: &AmendmentDetailDto,
    acts: DecideActions,
    slug: String,
    proposed_base: StoredValue<(String, Vec<Option<Label>>)>,
    live: RwSignal<bool>,
) -> impl IntoView {
    let DecideActions {
        submit,
        withdraw,
        reject,
        accept,
        modify,
    } = acts;
    let submit_error = error_of(submit.value());
    let withdraw_error = error_of(withdraw.value());
    let reject_error = error_of(reject.value());
    let accept_error = error_of(accept.value());
    let modify_error = error_of(modify.value());
    let modify_text = RwSignal::new(a.proposed_markdown.clone());
    let modify_ref = NodeRef::<Textarea>::new();
    let modify_markers = move || live.get() && has_markers(&modify_text.read());
    let (n, current, base_version) = (a.number, a.head.current_version, a.base_version);
    let slug = StoredValue::new(slug);
    (a.can_submit || a.can_withdraw || a.can_decide || a.can_reject).then(|| view! {
            <section class="amendment-actions" aria-labelledby="actions-heading">
                <h2 id="actions-heading">{if a.can_decide || a.can_reject { "Decide" } else { "Actions" }}</h2>
                <div class="action-row">
                    {a.can_submit.then(|| view! {
                        <ActionForm action=submit attr:class="inline-form" attr:aria-label="Submit the amendment">
                            <input type="hidden" name="slug" value=slug.get_value() />
                            <input type="hidden" name="number" value=n.0 />
                            <button type="submit" class="button primary" disabled=move || submit.pending().get()>
                                {move || if submit.pending().get() { "Submitting…" } else { "Submit to the committee" }}
                            </button>
                        </ActionForm>
                    })}
                    {a.can_decide.then(|| view! {
                        <ActionForm action=accept attr:class="inline-form" attr:aria-label="Accept the amendment">
                            <input type="hidden" name="slug" value=slug.get_value() />
                            <input type="hidden" name="number" value=n.0 />
                            <button type="submit" class="button primary" disabled=move || accept.pending().get()>
                                {move || if accept.pending().get() { "Accepting…" } else { "Accept" }}
                            </button>
                        </ActionForm>
                    })}
                    {a.can_withdraw.then(|| view! {
                        <ActionForm action=withdraw attr:class="inline-form" attr:aria-label="Withdraw the amendment">
                            <input type="hidden" name="slug" value=slug.get_value() />
                            <input type="hidden" name="number" value=n.0 />
                            <button type="submit" class="button danger" disabled=move || withdraw.pending().get()>
                                {move || if withdraw.pending().get() { "Withdrawing…" } else { "Withdraw" }}
                            </button>
                        </ActionForm>
                    })}
                </div>
                <Alert error=submit_error fields=&[] />
                <Alert error=accept_error fields=&[] />
                <Alert error=withdraw_error fields=&[] />
                {a.can_modify.then(|| view! {
                    <details class="decide-block" open=move || modify_error.get().is_some()>
                        <summary>"Accept with modification"</summary>
                        <ActionForm action=modify attr:class="form editor-form" attr:aria-label="Accept with modification">
                            <input type="hidden" name="slug" value=slug.get_value() />
                            <input type="hidden" name="number" value=n.0 />
                            <input type="hidden" name="modified_base_version" value=base_version.0 />
                            <p class="note">"Edit the amendment's text as the committee accepts it; the result is merged onto version "{current.0}" as a new version."</p>
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
                        <input type="hidden" name="slug" value=slug.get_value() />
                        <input type="hidden" name="number" value=n.0 />
                        <Alert error=reject_error fields=&["reason"] />
                        <TextField name="reason" id="reject-reason" label="Reason for rejecting" hint="The sponsor and the delegations will read it." rows=3 required=true error=reject_error />
                        <button type="submit" class="button danger" disabled=move || reject.pending().get()>
                            {move || if reject.pending().get() { "Rejecting…" } else { "Reject" }}
                        </button>
                    </ActionForm>
                })}
            </section>
    })
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
            .map(AmendmentNumber)
    };
    let inline = inline_view();
    let update = ServerAction::<UpdateAmendment>::new();
    let submit = ServerAction::<SubmitAmendment>::new();
    let withdraw = ServerAction::<WithdrawAmendment>::new();
    let reject = ServerAction::<RejectAmendment>::new();
    let accept = ServerAction::<AcceptAmendment>::new();
    let modify = ServerAction::<AcceptAmendment>::new();
    let comment = ServerAction::<CommentAmendment>::new();
    let acts = DecideActions {
        submit,
        withdraw,
        reject,
        accept,
        modify,
    };
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
    let comment_error = error_of(comment.value());
    view! {
        <Title text="Amendment" />
        <Loaded data=data let:a>
            {
                let slug = a.head.conference.slug.clone();
                let n = a.number;
                let here = amendment_href(&slug, n);
                let slug_c = StoredValue::new(slug.clone());
                let live = hydrated();
                let proposed_base = StoredValue::new((a.proposed_markdown.clone(), a.proposed_labels.clone()));
                let update_form = a.can_edit.then(|| view! { <UpdateForm a=a.clone() update=update /> });
                view! {
                    <Title text=format!("Amendment {n}: {}", a.title) />
                    <DraftingHeader head=a.head.clone() section=None />
                    <article class="page amendment-page">
                        <p class="eyebrow"><a href=format!("/conferences/{slug}/amendments")>"← Amendments"</a></p>
                        <div class="page-title-row">
                            <h1><span class="amendment-number">{format!("Amendment {n}")}</span>": "{a.title.clone()}</h1>
                            <LiveStatus number=n status=a.status label=a.status_label.clone() />
                        </div>
                        <Presence slug=slug.clone() place=Place::Amendment { number: n } />
                        {move || action_notices(n, acts, update, comment)}
                        {amendment_facts(&a, &slug)}

                        {match a.conflict.clone() {
                            Some(c) => view! {
                                <section class="conflict-view" aria-labelledby="needs-update-heading">
                                    <h2 id="needs-update-heading">"Needs an update"</h2>
                                    <p>
                                        {match a.amends.as_ref() {
                                            Some(p) => format!("Amendment {} changed the same passages as this amendment to it, so it could not follow by itself. ", p.number),
                                            None => format!("Version {} changed the same passages as this amendment, so it could not be moved onto the current text by itself. ", c.version),
                                        }}
                                        {if a.can_edit {
                                            "Below, each conflict shows the current text next to your amendment. In the form, the text holds both between markers: keep the wording you want, delete the marker lines, and update the amendment."
                                        } else {
                                            "Its sponsor has been asked to resolve it."
                                        }}
                                    </p>
                                    <MarkedText text=c.with_markers ours_label=match a.amends.as_ref() { Some(p) => format!("Amendment {} (its text now)", p.number), None => format!("Version {} (current text)", c.version) } theirs_label="This amendment".to_owned() />
                                    {update_form}
                                </section>
                            }.into_any(),
                            None => view! {
                                <section aria-labelledby="changes-heading">
                                    <h2 id="changes-heading">{match a.amends.as_ref() {
                                        Some(p) => format!("Changes to amendment {}", p.number),
                                        None => format!("Changes to version {}", a.base_version),
                                    }}</h2>
                                    <DiffView
                                        diff=a.diff.clone()
                                        old_label=match a.amends.as_ref() { Some(p) => format!("Amendment {}", p.number), None => format!("Version {}", a.base_version) }
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

                        {amendment_actions(&a, acts, slug_c.get_value(), proposed_base, live)}

                        {amendments_to_it(&a)}

                        {amendment_history(&a.events)}

                        {amendment_comments(&a, comment, comment_error, slug_c.get_value())}
                    </article>
                }.into_any()
            }
        </Loaded>
    }
}
