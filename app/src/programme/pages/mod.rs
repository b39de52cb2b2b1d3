//! The organisers' programme pages (working programme, session form, clashes) and the public
//! "what changed" page.

mod programme;
pub use programme::ProgrammePage;

use crate::dto::*;
use crate::error::AppError;
use crate::programme::api::*;
use crate::programme::dto::*;
use crate::ui::form::{error_of, FormAlert, NoticeView};
use crate::ui::page::{slug_param, ConferenceHeader, Loaded, Tab};
use crate::ui::textarea_text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

/// The message of `error` if it belongs to `name`.
fn field_message(
    error: Signal<Option<AppError>>,
    name: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync {
    move || {
        error
            .get()
            .filter(|e| e.field.as_deref() == Some(name))
            .map(|e| e.message)
    }
}

#[component]
fn FieldError(error: Signal<Option<AppError>>, name: &'static str) -> impl IntoView {
    let msg = field_message(error, name);
    move || msg().map(|m| view! { <p class="field-error" id=format!("f-{name}-error")>{m}</p> })
}

fn change_word(change: ChangeKind) -> &'static str {
    match change {
        ChangeKind::Added => "Added",
        ChangeKind::Removed => "Removed",
        ChangeKind::Retimed => "New time",
        ChangeKind::Moved => "New room",
        ChangeKind::Updated => "Updated",
    }
}

/// A list of changes, each with its session.
#[component]
fn ChangeList(slug: String, changes: Vec<ChangeDto>) -> impl IntoView {
    view! {
        <ul class="changes">
            {changes.into_iter().map(|c| {
                let href = format!("/conferences/{slug}/sessions/{}", c.session_id);
                let removed = c.change == ChangeKind::Removed;
                view! {
                    <li class=format!("change change-{}", c.change.as_str())>
                        <span class="change-kind">{change_word(c.change)}</span>" "
                        {if removed {
                            view! { <span class="change-title">{c.title.clone()}</span> }.into_any()
                        } else {
                            view! { <a href=href>{c.title.clone()}</a> }.into_any()
                        }}
                        <span class="change-detail">{format!(" — {}", c.detail)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// One clash with, for the organiser, the sessions to open and the button that accepts it.
#[component]
fn ClashItem(slug: String, clash: ClashDto, ack: ServerAction<AcknowledgeClash>) -> impl IntoView {
    let edit = clash
        .sessions
        .iter()
        .map(|id| {
            view! { <a class="button small" href=format!("/conferences/{slug}/programme/sessions/{id}/edit")>{format!("Edit session {id}")}</a> }
        })
        .collect_view();
    view! {
        <li class="clash" class:acknowledged=clash.acknowledged>
            <p>
                {if clash.acknowledged { view! { <span class="badge">"Acknowledged"</span> }.into_any() } else { view! { <span class="badge warn">"Open"</span> }.into_any() }}
                " "{clash.message.clone()}
            </p>
            <div class="clash-actions">
                {edit}
                {(!clash.acknowledged).then(|| view! {
                    <ActionForm action=ack attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug.clone() />
                        <input type="hidden" name="key" value=clash.key.clone() />
                        <button type="submit" class="button small secondary">"Acknowledge"</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}

#[component]
fn ClashList(
    slug: String,
    clashes: Vec<ClashDto>,
    ack: ServerAction<AcknowledgeClash>,
) -> impl IntoView {
    if clashes.is_empty() {
        return view! { <p class="empty">"No clashes: no room or person is booked twice, nothing overlaps a plenary, every session fits its room and the conference's dates."</p> }.into_any();
    }
    view! {
        <ul class="clashes">
            {clashes.into_iter().map(|c| view! { <ClashItem slug=slug.clone() clash=c ack=ack /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn ManageProgrammePage() -> impl IntoView {
    let slug = slug_param();
    let release = ServerAction::<ReleaseProgramme>::new();
    let ack = ServerAction::<AcknowledgeClash>::new();
    let room = ServerAction::<SaveRoom>::new();
    let edit_room = ServerAction::<SaveRoom>::new();
    let del_room = ServerAction::<DeleteRoom>::new();
    let release_error = error_of(release.value());
    let ack_error = error_of(ack.value());
    let data = Resource::new(
        move || {
            (
                slug(),
                release.version().get(),
                ack.version().get(),
                room.version().get(),
                edit_room.version().get(),
                del_room.version().get(),
            )
        },
        |(slug, ..)| get_manage_programme(slug),
    );
    view! {
        <Title text="Manage the programme" />
        <Loaded data=data let:d>
            {
                let slug = d.conference.slug.clone();
                let next = d.latest_release.as_ref().map(|r| r.number + 1).unwrap_or(1);
                let status = match &d.latest_release {
                    Some(r) => format!("Version {} is public (released {}).", r.number, r.released_label),
                    None => "Nothing is released yet: visitors and delegates see no programme.".to_string(),
                };
                let pending = d.pending.clone();
                let open = d.open_clashes;
                let nothing_to_release = pending.is_empty();
                let slug_release = slug.clone();
                let rooms = d.rooms.clone();
                let rooms_in_use = d.rooms_in_use.clone();
                view! {
                    <ConferenceHeader conference=d.conference.clone() tab=Tab::Programme own_heading=true />
                    <section class="page manage-programme">
                        <h1>"Manage the programme"</h1>
                        <p class="lead">{status}" "<a href=format!("/conferences/{slug}/programme/changes")>"What changed"</a></p>
                        <section aria-labelledby="h-release" class="panel">
                            <h2 id="h-release">{format!("Release version {next}")}</h2>
                            {if nothing_to_release {
                                view! { <p>"The working programme is the same as the public one."</p> }.into_any()
                            } else {
                                view! {
                                    <p>{format!("{} change{} since the last release:", pending.len(), if pending.len() == 1 { "" } else { "s" })}</p>
                                    <ChangeList slug=slug.clone() changes=pending />
                                }.into_any()
                            }}
                            {(open > 0).then(|| view! {
                                <p class="warning" role="note">
                                    {format!("{open} clash{} neither resolved nor acknowledged: releasing waits for {}. ", if open == 1 { " is" } else { "es are" }, if open == 1 { "it" } else { "them" })}
                                    <a href=format!("/conferences/{slug}/programme/clashes")>"See the clashes"</a>
                                </p>
                            })}
                            {(!nothing_to_release).then(|| view! {
                            <ActionForm action=release attr:class="form" attr:aria-label="Release the programme">
                                <input type="hidden" name="slug" value=slug_release.clone() />
                                <FormAlert error=release_error />
                                <div class="field">
                                    <label for="f-changelog">"Changelog"</label>
                                    <p class="field-hint" id="f-changelog-hint">"Tell delegates in a line or two what changed, e.g. “Forum 3 moves to 17:30.”"</p>
                                    <textarea id="f-changelog" name="changelog" rows="3" required aria-describedby="f-changelog-hint"></textarea>
                                    <FieldError error=release_error name="changelog" />
                                </div>
                                <button type="submit" class="button" disabled=move || release.pending().get()>{format!("Release version {next}")}</button>
                                {move || release.pending().get().then(|| view! { <p role="status">"Releasing…"</p> })}
                            </ActionForm>
                            })}
                            // outside the form, which gives way once nothing is left to release
                            {move || release.value().get().and_then(Result::ok).map(|r| view! {
                                <p class="form-notice" role="status">{format!("Version {} is released.", r.summary.number)}</p>
                            })}
                        </section>

                        <section aria-labelledby="h-clashes" class="panel">
                            <h2 id="h-clashes">"Clashes"</h2>
                            <FormAlert error=ack_error />
                            <ClashList slug=slug.clone() clashes=d.clashes.clone() ack=ack />
                        </section>

                        <SessionsTable slug=slug.clone() sessions=d.sessions.clone() />

                        <RoomsPanel slug=slug.clone() rooms=rooms rooms_in_use=rooms_in_use room=room edit_room=edit_room del_room=del_room />
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

#[component]
pub fn ClashesPage() -> impl IntoView {
    let slug = slug_param();
    let ack = ServerAction::<AcknowledgeClash>::new();
    let ack_error = error_of(ack.value());
    let data = Resource::new(
        move || (slug(), ack.version().get()),
        |(slug, _)| get_manage_programme(slug),
    );
    view! {
        <Title text="Clashes in the programme" />
        <Loaded data=data let:d>
            {
                let slug = d.conference.slug.clone();
                view! {
                    <ConferenceHeader conference=d.conference.clone() tab=Tab::Programme own_heading=true />
                    <section class="page">
                        <h1>"Clashes in the programme"</h1>
                        <p class="lead">
                            {format!("{} clash{}, {} open. ", d.clashes.len(), if d.clashes.len() == 1 { "" } else { "es" }, d.open_clashes)}
                            "A release needs every clash resolved or acknowledged. "
                            <a href=format!("/conferences/{slug}/programme/manage")>"Back to the programme"</a>
                        </p>
                        <FormAlert error=ack_error />
                        <ClashList slug=slug.clone() clashes=d.clashes.clone() ack=ack />
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

#[component]
pub fn ChangesPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, get_releases);
    view! {
        <Loaded data=data let:d>
            {
                let slug = d.conference.slug.clone();
                view! {
                    <Title text=format!("What changed — {}", d.conference.title) />
                    <ConferenceHeader conference=d.conference.clone() tab=Tab::Programme own_heading=true />
                    <section class="page changes-page">
                        <h1>"What changed in the programme"</h1>
                        {d.releases.is_empty().then(|| view! { <p class="empty">"The programme has not been released yet."</p> })}
                        {d.releases.into_iter().map(|r| {
                            let n = r.summary.number;
                            view! {
                                <section class="release" aria-labelledby=format!("h-release-{n}")>
                                    <h2 id=format!("h-release-{n}")>{format!("Version {n}")}</h2>
                                    <p class="release-meta"><time datetime=r.summary.released_at.clone()>{format!("Released {}", r.summary.released_label)}</time></p>
                                    <p class="changelog">{r.summary.changelog.clone()}</p>
                                    {if r.changes.is_empty() {
                                        view! { <p class="empty">"No session changed."</p> }.into_any()
                                    } else if n == 1 {
                                        view! { <p>{format!("The first release: {} sessions.", r.changes.len())}</p> }.into_any()
                                    } else {
                                        view! { <ChangeList slug=slug.clone() changes=r.changes /> }.into_any()
                                    }}
                                </section>
                            }
                        }).collect_view()}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}

/// The session form: `/programme/sessions/new` or `/programme/sessions/{id}/edit`. Clashes are
/// checked as the organiser types, before anything is saved.
#[component]
pub fn SessionEditPage() -> impl IntoView {
    let params = use_params_map();
    let slug = slug_param();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i32>().ok()));
    let data = Resource::new(
        move || (slug(), id()),
        |(slug, id)| get_session_form(slug, id.map(SessionId)),
    );
    // a Transition, not a Suspense: the form's own clash check reloads inside it as the
    // organiser types, and a Suspense would put the whole form back to "Loading…" each time
    // (focus and typing lost, a click on Save landing on nothing)
    view! {
        <Loaded data=data transition=true let:d>
            <SessionForm d=d />
        </Loaded>
    }
}

#[component]
fn SessionForm(d: SessionFormDto) -> impl IntoView {
    let slug = d.conference.slug.clone();
    let save = ServerAction::<SaveSession>::new();
    let error = error_of(save.value());
    let revision = RwSignal::new(d.revision);
    let fields = RwSignal::new(SessionFields {
        kind: d.kind.as_str().to_string(),
        title: d.title.clone(),
        description: d.description.clone(),
        room_id: d.room_id.map(|r| r.to_string()).unwrap_or_default(),
        start: d.start.clone(),
        end: d.end.clone(),
        capacity: d.capacity.map(|c| c.to_string()).unwrap_or_default(),
        region: d.region.clone().unwrap_or_default(),
        chairs: d.chairs.clone(),
        speakers: d.speakers.clone(),
    });
    let id = d.id;
    let initial = d.clashes.clone();
    let checked = clash_check(slug.clone(), id.map(|x| x.0), fields, initial.clone());
    // the acknowledgement box shows when there is something to acknowledge
    // (a signal fed by an effect: reading the resource outside its Transition would hold up
    // the server's render)
    let open_clashes = RwSignal::new(initial.iter().any(|c| !c.acknowledged));
    Effect::new(move |_| match checked.get() {
        Some(Ok(Some(list))) => open_clashes.set(list.iter().any(|c| !c.acknowledged)),
        Some(Ok(None) | Err(_)) => open_clashes.set(false),
        None => {}
    });
    let has_open = move || {
        open_clashes.get()
            || error
                .get()
                .is_some_and(|e| e.field.as_deref() == Some("acknowledge"))
    };
    let navigate = use_navigate();
    let list_href = format!("/conferences/{slug}/programme/manage");
    {
        let slug = slug.clone();
        Effect::new(move |_| {
            if let Some(Ok(saved)) = save.value().get() {
                revision.set(saved.revision);
                if id.is_none() {
                    navigate(
                        &format!("/conferences/{slug}/programme/sessions/{}/edit", saved.id),
                        Default::default(),
                    );
                }
            }
        });
    }
    let set = move |apply: fn(&mut SessionFields, String)| set_field(fields, apply);
    let title = if d.id.is_some() {
        format!("Edit “{}”", d.title)
    } else {
        "Add a session".to_string()
    };
    let kind_now = move || fields.with(|f| f.kind.clone());
    let selected_kf = StoredValue::new(d.key_features.clone());
    let (slug_save, slug_delete) = (slug.clone(), slug.clone());
    view! {
        <Title text=title.clone() />
        <ConferenceHeader conference=d.conference.clone() tab=Tab::Programme own_heading=true />
        <section class="page session-edit">
            <p><a href=list_href.clone()>"← The working programme"</a></p>
            <h1>{title}</h1>
            <ActionForm action=save attr:class="form session-form" attr:aria-label="Session">
                <input type="hidden" name="slug" value=slug_save.clone() />
                {d.id.map(|i| view! { <input type="hidden" name="id" value=i.0 /> })}
                <input type="hidden" name="revision" value=move || revision.get().to_string() />
                <FormAlert error=Signal::derive(move || error.get().filter(|e| e.field.as_deref() != Some("acknowledge"))) />
                <div class="field">
                    <label for="f-kind">"Kind"</label>
                    <select id="f-kind" name="kind" on:change=set(|f, v| f.kind = v)>
                        {d.kinds.iter().map(|k| view! { <option value=k.value.clone() selected=k.value == d.kind.as_str()>{k.label.clone()}</option> }).collect_view()}
                    </select>
                    <FieldError error=error name="kind" />
                </div>
                <div class="field">
                    <label for="f-title">"Title"</label>
                    <input id="f-title" name="title" required value=d.title.clone() on:change=set(|f, v| f.title = v) />
                    <FieldError error=error name="title" />
                </div>
                <div class="field">
                    <label for="f-description">"Description"</label>
                    <p class="field-hint" id="f-description-hint">"Markdown: *emphasis*, lists, links."</p>
                    <textarea id="f-description" name="description" rows="5" aria-describedby="f-description-hint" on:change=set(|f, v| f.description = v) inner_html=textarea_text(&d.description)></textarea>
                    <FieldError error=error name="description" />
                </div>
                <WhenAndWhere d=d.clone() fields=fields error=error />
                <div class="field" class:hidden-field=move || kind_now() != SessionKind::RegionalForum.as_str()>
                    <label for="f-region">"Region (regional fora)"</label>
                    <input id="f-region" name="region" value=d.region.clone().unwrap_or_default() on:change=set(|f, v| f.region = v) />
                    <FieldError error=error name="region" />
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="f-chairs">"Chairs"</label>
                        <p class="field-hint" id="f-chairs-hint">"One name per line."</p>
                        <textarea id="f-chairs" name="chairs" rows="3" aria-describedby="f-chairs-hint" on:change=set(|f, v| f.chairs = v) inner_html=textarea_text(&d.chairs)></textarea>
                        <FieldError error=error name="chairs" />
                    </div>
                    <div class="field">
                        <label for="f-speakers">"Speakers"</label>
                        <textarea id="f-speakers" name="speakers" rows="3" on:change=set(|f, v| f.speakers = v) inner_html=textarea_text(&d.speakers)></textarea>
                        <FieldError error=error name="speakers" />
                    </div>
                </div>
                <crate::ui::key_features::KeyFeatureBoxes legend="Key Features this session serves" checked=move |code| selected_kf.with_value(|v| v.iter().any(|c| c == code)) />

                <ClashPanel checked=checked initial=initial.clone() error=error has_open=Signal::derive(has_open) />
                <button type="submit" class="button" disabled=move || save.pending().get()>"Save the session"</button>
                {move || save.pending().get().then(|| view! { <p role="status">"Saving…"</p> })}
                {move || save.value().get().and_then(Result::ok).map(|s| view! { <p class="form-notice" role="status">{s.message}</p> })}
            </ActionForm>
            {id.map(|i| view! { <DeleteSession slug=slug_delete.clone() id=i.0 revision=revision list_href=list_href.clone() /> })}
        </section>
    }
}

/// A change handler that writes one field of the session form.
fn set_field(
    fields: RwSignal<SessionFields>,
    apply: fn(&mut SessionFields, String),
) -> impl Fn(leptos::ev::Event) + Copy {
    move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        fields.update(|f| apply(f, v));
    }
}

/// The clash check: follows the form (debounced by the resource: only the latest answer
/// shows). The form as loaded has the clashes the page came with, so there is no call until
/// something changes (the server's render never waits on a check, and a new, empty form is
/// not an error). `None`: not checked (a new form, until something is filled in).
fn clash_check(
    slug: String,
    id: Option<i32>,
    fields: RwSignal<SessionFields>,
    initial: Vec<ClashDto>,
) -> Resource<Result<Option<Vec<ClashDto>>, AppError>> {
    let loaded = fields.get_untracked();
    Resource::new(
        move || fields.get(),
        move |f| {
            let slug = slug.clone();
            let unchanged = f == loaded;
            let loaded_clashes = initial.clone();
            async move {
                if unchanged && id.is_none() {
                    Ok(None)
                } else if unchanged {
                    Ok(Some(loaded_clashes))
                } else {
                    check_session(slug, id.map(SessionId), f).await.map(Some)
                }
            }
        },
    )
}

/// When and where: start and end, room and seats.
#[component]
fn WhenAndWhere(
    d: SessionFormDto,
    fields: RwSignal<SessionFields>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let set = move |apply: fn(&mut SessionFields, String)| set_field(fields, apply);
    let tz = d.conference.timezone.clone();
    view! {
        <div class="field-row">
            <div class="field">
                <label for="f-start">"Starts"</label>
                <p class="field-hint" id="f-start-hint">{format!("Conference time ({tz})")}</p>
                <input id="f-start" name="start" type="datetime-local" required min=d.min.clone() max=d.max.clone() value=d.start.clone() aria-describedby="f-start-hint" on:change=set(|f, v| f.start = v) />
                <FieldError error=error name="start" />
            </div>
            <div class="field">
                <label for="f-end">"Ends"</label>
                <input id="f-end" name="end" type="datetime-local" required min=d.min.clone() max=d.max.clone() value=d.end.clone() on:change=set(|f, v| f.end = v) />
                <FieldError error=error name="end" />
            </div>
        </div>
        <div class="field-row">
            <div class="field">
                <label for="f-room_id">"Room"</label>
                <select id="f-room_id" name="room_id" on:change=set(|f, v| f.room_id = v)>
                    <option value="">"No room"</option>
                    {d.rooms.iter().map(|r| view! { <option value=r.value.clone() selected=Some(r.value.clone()) == d.room_id.map(|x| x.to_string())>{r.label.clone()}</option> }).collect_view()}
                </select>
                <FieldError error=error name="room_id" />
            </div>
            <div class="field">
                <label for="f-capacity">"Seats"</label>
                <p class="field-hint" id="f-capacity-hint">"Empty: no sign-up limit."</p>
                <input id="f-capacity" name="capacity" type="number" min="1" value=d.capacity.map(|c| c.to_string()).unwrap_or_default() aria-describedby="f-capacity-hint" on:change=set(|f, v| f.capacity = v) />
                <FieldError error=error name="capacity" />
            </div>
        </div>
    }
}

/// The clashes the form has now, and the box to save with them anyway.
#[component]
fn ClashPanel(
    checked: Resource<Result<Option<Vec<ClashDto>>, AppError>>,
    initial: Vec<ClashDto>,
    error: Signal<Option<AppError>>,
    has_open: Signal<bool>,
) -> impl IntoView {
    view! {
        <section class="clash-panel" aria-live="polite" aria-labelledby="h-clash-check">
            <h2 id="h-clash-check">"Clashes"</h2>
            <Transition fallback=move || view! { <p>"Checking…"</p> }>
                {
                    let initial = initial.clone();
                    move || {
                        let list = match checked.get() {
                            Some(Ok(Some(list))) => list,
                            Some(Ok(None)) => return view! { <p class="hint">"Not checked yet: fill in the form and the clashes show here."</p> }.into_any(),
                            Some(Err(e)) => return view! { <p class="hint">{format!("Not checked yet: {}", e.message)}</p> }.into_any(),
                            None => initial.clone(),
                        };
                        if list.is_empty() {
                            view! { <p class="ok">"No clashes."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="clashes">
                                    {list.into_iter().map(|c| view! {
                                        <li class="clash" class:acknowledged=c.acknowledged>
                                            {if c.acknowledged { "Acknowledged: " } else { "Clash: " }}{c.message}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }
                }
            </Transition>
            {move || error.get().filter(|e| e.field.as_deref() == Some("acknowledge")).map(|e| view! { <p class="form-alert" role="alert">{e.message}</p> })}
            <Show when=move || has_open.get()>
                <label class="check">
                    <input type="checkbox" name="acknowledge" value="on" />
                    " Save with these clashes (I have seen them and accept them)"
                </label>
            </Show>
        </section>
    }
}

/// Deletes the session, then goes back to the working programme.
#[component]
fn DeleteSession(
    slug: String,
    id: i32,
    revision: RwSignal<i32>,
    list_href: String,
) -> impl IntoView {
    let delete = ServerAction::<DeleteSession>::new();
    let delete_error = error_of(delete.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = delete.value().get() {
            navigate(&list_href, Default::default());
        }
    });
    let (slug_delete, i) = (slug, id);
    view! {
        <ActionForm action=delete attr:class="form danger-zone" attr:aria-label="Delete the session">
            <input type="hidden" name="slug" value=slug_delete.clone() />
            <input type="hidden" name="id" value=i />
            <input type="hidden" name="revision" value=move || revision.get().to_string() />
            <FormAlert error=delete_error />
            <button type="submit" class="button secondary">"Delete this session"</button>
            {move || delete.value().get().and_then(Result::ok).map(|n: Notice| view! { <NoticeView notice=n /> })}
        </ActionForm>

    }
}

/// The working programme's sessions, each with its open clashes and a link to edit it.
#[component]
fn SessionsTable(slug: String, sessions: Vec<ManagedSessionDto>) -> impl IntoView {
    view! {
        <section aria-labelledby="h-sessions" class="panel">
            <h2 id="h-sessions">"Sessions"</h2>
            <p><a class="button" href=format!("/conferences/{slug}/programme/sessions/new")>"Add a session"</a></p>
            <table class="table sessions-table">
                <caption class="visually-hidden">"Sessions of the working programme"</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Session"</th><th scope="col">"Room"</th><th scope="col">"Clashes"</th></tr></thead>
                <tbody>
                    {sessions.iter().map(|m| {
                        let s = &m.session;
                        view! {
                            <tr>
                                <td>{format!("{} {}–{}", s.day, s.start_hm(), s.end_hm())}</td>
                                <td>
                                    <span class="session-kind">{s.kind_label.clone()}</span>" "
                                    <a href=format!("/conferences/{slug}/programme/sessions/{}/edit", s.id)>{s.title.clone()}</a>
                                </td>
                                <td>{s.room.clone().unwrap_or_else(|| "—".into())}</td>
                                <td>{(m.open_clashes > 0).then(|| view! { <span class="badge warn">{format!("{} open", m.open_clashes)}</span> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The rooms: each editable in place (and deletable while no session uses it), and a form to
/// add one.
#[component]
fn RoomsPanel(
    slug: String,
    rooms: Vec<ManagedRoomDto>,
    rooms_in_use: Vec<RoomId>,
    room: ServerAction<SaveRoom>,
    edit_room: ServerAction<SaveRoom>,
    del_room: ServerAction<DeleteRoom>,
) -> impl IntoView {
    let room_error = error_of(room.value());
    let edit_room_error = error_of(edit_room.value());
    let del_room_error = error_of(del_room.value());
    let slug_add = slug.clone();
    view! {
        <section aria-labelledby="h-rooms" class="panel">
            <h2 id="h-rooms">"Rooms"</h2>
            <FormAlert error=del_room_error />
            // a change to an existing room: every refusal is said here,
            // above the list, whatever field it concerns
            {move || edit_room_error.get().map(|e| view! { <p class="form-alert" role="alert">{e.message}</p> })}
            <ul class="rooms">
                {rooms.into_iter().map(|r| {
                    let in_use = rooms_in_use.contains(&r.id);
                    let (slug_save, slug_delete) = (slug.clone(), slug.clone());
                    let label = format!("Room {}", r.name);
                    let delete_label = format!("Delete {}", r.name);
                    view! {
                        <li>
                            <ActionForm action=edit_room attr:class="inline-form" attr:aria-label=label>
                                <input type="hidden" name="slug" value=slug_save.clone() />
                                <input type="hidden" name="id" value=r.id.0 />
                                <input type="hidden" name="revision" value=r.revision />
                                // the attribute for the server's page, the property so that a
                                // reload after a refused change shows what is saved, not what was typed
                                <label>"Name "<input name="name" value=r.name.clone() prop:value=r.name.clone() required /></label>
                                <label>"Seats "<input name="capacity" type="number" min="1" value=r.capacity prop:value=r.capacity.to_string() required /></label>
                                <button type="submit" class="button small secondary">"Save"</button>
                            </ActionForm>
                            {(!in_use).then(|| view! {
                                <ActionForm action=del_room attr:class="inline-form">
                                    <input type="hidden" name="slug" value=slug_delete.clone() />
                                    <input type="hidden" name="id" value=r.id.0 />
                                    <button type="submit" class="button small secondary">{delete_label.clone()}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ActionForm action=room attr:class="form" attr:aria-label="Add a room">
                <h3>"Add a room"</h3>
                <input type="hidden" name="slug" value=slug_add.clone() />
                <FormAlert error=room_error />
                <div class="field">
                    <label for="f-room-name">"Room name"</label>
                    <input id="f-room-name" name="name" required />
                    <FieldError error=room_error name="name" />
                </div>
                <div class="field">
                    <label for="f-room-capacity">"Seats"</label>
                    <input id="f-room-capacity" name="capacity" type="number" min="1" required />
                    <FieldError error=room_error name="capacity" />
                </div>
                <button type="submit" class="button">"Add the room"</button>
            </ActionForm>
        </section>
    }
}
