//! The browser's side of the live stream: one `EventSource` on the conference of the page
//! being shown, a counter per topic that pages read in their resources' sources, and a notice
//! of what changed.

use crate::live::dto::PresenceDto;
use domain::live::{Change, Place, Topic};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// What the live stream has said so far, shared by every page (provided once, by the app).
#[derive(Clone, Copy)]
pub struct Live {
    /// One counter per [`Topic`] (in the order of `Topic::ALL`), bumped by each event of it.
    ticks: [RwSignal<usize>; 7],
    /// The last event heard, with the conference it belongs to, for the notice.
    latest: RwSignal<Option<(String, Change)>>,
    /// Whether the stream is connected (the browser reconnects by itself).
    online: RwSignal<bool>,
    /// Conferences followed besides the one whose page is shown (a page about several, as the
    /// outbox).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    also: RwSignal<Vec<String>>,
    /// Operations on the shared draft heard and not yet taken by the editor, in order (each
    /// carries its operation, so the editor applies it without asking for it).
    edits: RwSignal<Vec<Change>>,
}

/// How many unread shared-draft operations are kept for the editor; past that (no editor open
/// to take them) they are dropped, and an editor opened later reads what it needs itself.
const MAX_EDITS: usize = 1000;

impl Live {
    fn new() -> Live {
        Live {
            ticks: std::array::from_fn(|_| RwSignal::new(0)),
            latest: RwSignal::new(None),
            online: RwSignal::new(true),
            also: RwSignal::new(Vec::new()),
            edits: RwSignal::new(Vec::new()),
        }
    }

    /// Whether the stream is connected now.
    pub fn online(self) -> bool {
        self.online.get_untracked()
    }

    /// The shared-draft operations heard since the last call, in the order heard (tracked: an
    /// effect calling it runs again when more arrive).
    pub fn take_edits(self) -> Vec<Change> {
        if self.edits.with(Vec::is_empty) {
            return Vec::new();
        }
        let mut out = Vec::new();
        self.edits.update_untracked(|e| std::mem::swap(e, &mut out));
        out
    }

    /// While the calling page is shown, follow every conference besides the one whose page is
    /// shown (for a page about several, as the outbox: each stream brings only what its person
    /// may hear). In the browser only.
    pub fn follow_every_conference(self) {
        #[cfg(feature = "hydrate")]
        {
            on_cleanup(move || self.also.set(Vec::new()));
            leptos::task::spawn_local(async move {
                if let Ok(all) = crate::public::api::list_conferences().await {
                    self.also.set(all.into_iter().map(|c| c.slug).collect());
                }
            });
        }
    }

    /// How many events of `topic` arrived since the page was loaded. A page that shows
    /// something of `topic` reads this in its resource's source, and so reads again when an
    /// event arrives (always 0 on the server).
    pub fn tick(self, topic: Topic) -> usize {
        self.ticks[index(topic)].get()
    }

    /// The last change heard (for parts of a page that follow one thing, as an amendment's state).
    pub fn latest(self) -> Option<Change> {
        self.latest.get().map(|(_, c)| c)
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn heard(self, slug: &str, change: Change) {
        if matches!(change, Change::DraftEdited { .. }) {
            self.edits.update(|e| {
                if e.len() >= MAX_EDITS {
                    e.clear();
                }
                e.push(change.clone());
            });
        }
        self.ticks[index(change.topic())].update(|n| *n += 1);
        self.latest.set(Some((slug.to_owned(), change)));
    }
}

fn index(topic: Topic) -> usize {
    Topic::ALL.iter().position(|t| *t == topic).unwrap_or(0)
}

/// Make the live state for the whole app (call once, in `App`).
pub fn provide_live() {
    provide_context(Live::new());
}

/// The live state (one that never changes, where none was provided).
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(Live::new)
}

/// The conference of an address: `/conferences/{slug}/…`.
fn conference_of(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/conferences/")?;
    let slug = rest.split('/').next()?;
    (!slug.is_empty()).then(|| slug.to_owned())
}

/// Follows the stream of the conference whose page is shown, and says what changed. Rendered
/// once, by the app, outside the routes (so that the stream survives a page's reloads).
#[component]
pub fn LiveEvents() -> impl IntoView {
    let live = use_live();
    let location = use_location();
    let slug = Memo::new(move |_| conference_of(&location.pathname.get()));
    #[cfg(feature = "hydrate")]
    {
        let followed = Memo::new(move |_| {
            let mut all: Vec<String> = slug.get().into_iter().collect();
            for s in live.also.get() {
                if !all.contains(&s) {
                    all.push(s);
                }
            }
            all
        });
        browser::follow(followed, live);
    }
    if crate::ui::light::is_light() {
        return light_notices(slug.get_untracked()).into_any();
    }
    let notice = move || {
        let (s, change) = live.latest.get()?;
        (slug.get().as_deref() == Some(s.as_str()))
            .then(|| notice_of(&s, &change))
            .flatten()
    };
    view! {
        <div class="live-notice" role="log" aria-label="Live updates">
            {move || notice().map(|(text, href, link)| view! {
                <p>
                    {text}" "
                    {href.map(|h| view! { <a href=h>{link}</a> })}
                    " "
                    <button type="button" class="live-dismiss" aria-label="Dismiss this notice" on:click=move |_| live.latest.set(None)>"×"</button>
                </p>
            })}
            {move || (!live.online.get() && slug.get().is_some()).then(|| view! {
                <p class="live-offline">"Live updates are paused: reconnecting…"</p>
            })}
        </div>
    }
    .into_any()
}

/// The notices of a visitor's light page (`ui::light`): one template per change a visitor
/// hears, which the page's script shows when it comes, and the line shown while the stream is
/// lost.
fn light_notices(slug: Option<String>) -> impl IntoView {
    let slug = slug.unwrap_or_default();
    let base = format!("/conferences/{slug}");
    let notices: [(&str, &str, String, &str); 5] = [
        (
            "programme_released",
            "The programme has a new release.",
            format!("{base}/programme/changes"),
            "See what changed",
        ),
        (
            "declaration_published",
            "The declaration is published.",
            format!("{base}/declaration/final"),
            "Read the final text",
        ),
        (
            "declaration_adopted",
            "The declaration was adopted.",
            format!("{base}/declaration"),
            "Read it",
        ),
        (
            "version_saved",
            "A new version of the declaration was saved.",
            format!("{base}/declaration"),
            "Read it",
        ),
        (
            "deadline_changed",
            "The amendment deadline changed.",
            format!("{base}/amendments"),
            "See it",
        ),
    ];
    view! {
        <div class="live-notice" role="log" aria-label="Live updates">
            {(!slug.is_empty()).then(|| view! {
                {notices.into_iter().map(|(event, text, href, link)| view! {
                    <template data-event=event>
                        <p>
                            {text}" "<a href=href>{link}</a>" "
                            <button type="button" class="live-dismiss" aria-label="Dismiss this notice">"×"</button>
                        </p>
                    </template>
                }).collect_view()}
                <p class="live-offline" data-offline="" hidden>"Live updates are paused: reconnecting…"</p>
            })}
        </div>
    }
}

/// What the notice says of a change: its text, and a link to where it can be seen.
fn notice_of(slug: &str, change: &Change) -> Option<(String, Option<String>, &'static str)> {
    let base = format!("/conferences/{slug}");
    Some(match change {
        Change::ProgrammeReleased { release } => (
            format!("The programme has a new release (release {release})."),
            Some(format!("{base}/programme/changes")),
            "See what changed",
        ),
        Change::SeatsChanged { .. } => return None,
        Change::DeclarationPublished => (
            "The declaration is published.".into(),
            Some(format!("{base}/declaration/final")),
            "Read the final text",
        ),
        Change::DeclarationAdopted { version } => (
            format!("The declaration was adopted (version {}).", version.0),
            Some(format!("{base}/declaration")),
            "Read it",
        ),
        Change::VersionSaved { number } => (
            format!(
                "A new version of the declaration was saved: version {}.",
                number.0
            ),
            Some(format!("{base}/declaration")),
            "Read it",
        ),
        Change::AmendmentChanged { number, status } => (
            format!("Amendment {}: {}.", number.0, status.label().to_lowercase()),
            Some(format!("{base}/amendments/{}", number.0)),
            "Open it",
        ),
        Change::DeadlineChanged => (
            "The amendment deadline changed.".into(),
            Some(format!("{base}/amendments")),
            "See it",
        ),
        Change::RegistrationsChanged => (
            "The registration queue changed.".into(),
            Some(format!("{base}/registrations")),
            "Open the queue",
        ),
        Change::OutboxChanged
        | Change::PresenceChanged { .. }
        | Change::DraftEdited { .. }
        | Change::VotingOrderChanged
        | Change::ScreenChanged
        | Change::DraftCommented => return None,
    })
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Live;
    use domain::live::Change;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use leptos::web_sys::{EventSource, MessageEvent};

    struct Open {
        source: EventSource,
        _handlers: Vec<Closure<dyn FnMut(leptos::web_sys::Event)>>,
    }

    impl Drop for Open {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    pub(super) fn follow(slugs: Memo<Vec<String>>, live: Live) {
        // one stream per conference followed; each closed when its conference is no longer
        // shown, the others kept open
        let open = StoredValue::new_local(Vec::<(String, Open)>::new());
        Effect::new(move |_| {
            let slugs = slugs.get();
            open.update_value(|streams| {
                streams.retain(|(s, _)| slugs.contains(s));
                for slug in &slugs {
                    if !streams.iter().any(|(s, _)| s == slug) {
                        if let Some(o) = connect(slug, live) {
                            streams.push((slug.clone(), o));
                        }
                    }
                }
            });
        });
    }

    fn connect(slug: &str, live: Live) -> Option<Open> {
        let source = EventSource::new(&format!("/conferences/{slug}/events")).ok()?;
        let mut handlers = Vec::new();
        for name in Change::NAMES {
            let slug = slug.to_owned();
            let h = Closure::<dyn FnMut(leptos::web_sys::Event)>::new(
                move |e: leptos::web_sys::Event| {
                    let Some(data) = e
                        .dyn_ref::<MessageEvent>()
                        .and_then(|m| m.data().as_string())
                    else {
                        return;
                    };
                    if let Ok(change) = serde_json::from_str::<Change>(&data) {
                        live.heard(&slug, change);
                    }
                },
            );
            let _ = source.add_event_listener_with_callback(name, h.as_ref().unchecked_ref());
            handlers.push(h);
        }
        // too far behind: the page is loaded again
        let reload = Closure::<dyn FnMut(leptos::web_sys::Event)>::new(|_| {
            let _ = window().location().reload();
        });
        let _ = source.add_event_listener_with_callback("reload", reload.as_ref().unchecked_ref());
        handlers.push(reload);
        let opened = Closure::<dyn FnMut(leptos::web_sys::Event)>::new(move |_| {
            live.online.set(true);
        });
        let _ = source.add_event_listener_with_callback("open", opened.as_ref().unchecked_ref());
        handlers.push(opened);
        let lost = Closure::<dyn FnMut(leptos::web_sys::Event)>::new(move |_| {
            live.online.set(false);
        });
        let _ = source.add_event_listener_with_callback("error", lost.as_ref().unchecked_ref());
        handlers.push(lost);
        Some(Open {
            source,
            _handlers: handlers,
        })
    }
}

/// Who is here (the editor, an amendment's page) and at which paragraph. While the page is
/// open it says every `db::presence::BEAT` (20 s) that its person is here, and again when
/// `paragraph` changes; the list is read again when someone arrives or moves. In the browser
/// only: without JavaScript nobody is shown, and the page is not counted.
#[component]
pub fn Presence(
    slug: String,
    place: Place,
    /// The label of the paragraph this person is at, if the page knows it.
    #[prop(optional, into)]
    paragraph: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let live = use_live();
    let beat = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    if let Ok(h) = set_interval_with_handle(
        move || beat.update(|b| *b += 1),
        std::time::Duration::from_secs(20),
    ) {
        on_cleanup(move || h.clear());
    }
    let key = place.key();
    // a plain signal filled by an effect, not a resource: a resource read under the page's
    // Suspense would put the whole page back to "Loading…" each time the list is read again
    let people = RwSignal::new(None::<PresenceDto>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (slug, key) = (slug.clone(), key.clone());
        let at = paragraph.and_then(|p| p.get());
        beat.track();
        live.tick(Topic::Presence);
        leptos::task::spawn_local(async move {
            if let Ok(d) = crate::live::api::i_am_here(slug, key, at).await {
                people.set(Some(d));
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (slug, key, paragraph, beat, live);
    view! {
        <p class="presence" aria-live="polite">
            {move || people.get().map(|d| presence_text(&d))}
        </p>
    }
}

fn presence_text(d: &PresenceDto) -> String {
    let at = |p: &Option<String>| match p {
        Some(l) => format!(" (paragraph {l})"),
        None => String::new(),
    };
    let others: Vec<String> = d
        .people
        .iter()
        .filter(|p| !p.me)
        .map(|p| format!("{}{}", p.name, at(&p.paragraph)))
        .collect();
    if others.is_empty() {
        "Nobody else is here now.".into()
    } else {
        format!("Here now: {}.", others.join(", "))
    }
}
