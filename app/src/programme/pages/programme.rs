//! The public programme: a day grid with the rooms as columns (plenaries across) and a list,
//! filtered by kind, Key Feature, room, day and words, in conference time or another time zone.
//! Every choice lives in the address, so a filtered view can be shared; the filters work
//! without JavaScript (a plain GET form), and the browser adds the viewer's own time zone.

use crate::live::components::use_live;
use crate::programme::api::get_programme;
use crate::programme::dto::*;
use crate::ui::page::{slug_param, ConferenceHeader, Loaded, Tab};
use domain::key_features::KEY_FEATURES;
use domain::live::Topic;
use domain::programme::SessionKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The filters, as in the address (`?kind=…&kf=…&room=…&day=…&q=…&tz=…&view=…`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    pub kind: String,
    pub kf: String,
    pub room: String,
    pub day: String,
    pub q: String,
    pub tz: String,
    /// grid | list | "" (grid on wide screens, list on narrow ones)
    pub view: String,
}

/// Percent-encoding for a query value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Filters {
    fn pairs(&self) -> [(&'static str, &String); 7] {
        [
            ("kind", &self.kind),
            ("kf", &self.kf),
            ("room", &self.room),
            ("day", &self.day),
            ("q", &self.q),
            ("tz", &self.tz),
            ("view", &self.view),
        ]
    }

    /// The query string of these filters (empty values left out).
    pub fn query(&self) -> String {
        let parts: Vec<String> = self
            .pairs()
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// Whether anything narrows the programme.
    pub fn narrows(&self) -> bool {
        !(self.kind.is_empty()
            && self.kf.is_empty()
            && self.room.is_empty()
            && self.day.is_empty()
            && self.q.trim().is_empty())
    }

    pub fn matches(&self, s: &SessionDto) -> bool {
        let words = self.q.trim().to_lowercase();
        (self.kind.is_empty() || s.kind.as_str() == self.kind)
            && (self.kf.is_empty() || s.key_features.iter().any(|k| k.code == self.kf))
            && (self.room.is_empty() || s.room_id.map(|r| r.to_string()) == Some(self.room.clone()))
            && (self.day.is_empty() || s.day == self.day)
            && (words.is_empty()
                || words.split_whitespace().all(|w| {
                    s.title.to_lowercase().contains(w)
                        || s.description.to_lowercase().contains(w)
                        || s.chairs
                            .iter()
                            .chain(&s.speakers)
                            .any(|p| p.to_lowercase().contains(w))
                }))
    }
}

/// The viewer's time zone, as the browser knows it (only in the browser).
fn browser_time_zone() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let opts = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
            .resolved_options();
        js_sys::Reflect::get(&opts, &"timeZone".into())
            .ok()?
            .as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Whether the browser window is wider than a phone (only in the browser).
fn wide_screen() -> bool {
    #[cfg(feature = "hydrate")]
    {
        window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w >= 768.0)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// Minutes since midnight of a `HH:MM`.
fn minutes(hm: &str) -> i32 {
    let h: i32 = hm.get(0..2).and_then(|x| x.parse().ok()).unwrap_or(0);
    let m: i32 = hm.get(3..5).and_then(|x| x.parse().ok()).unwrap_or(0);
    h * 60 + m
}

fn is_across(s: &SessionDto) -> bool {
    s.kind.is_for_everyone() || s.kind == SessionKind::Break
}

#[component]
fn SessionCard(session: SessionDto, slug: String) -> impl IntoView {
    let href = format!("/conferences/{slug}/sessions/{}", session.id);
    let class = format!("session-card kind-{}", session.kind.as_str());
    let is_break = session.kind == SessionKind::Break;
    view! {
        <article class=class aria-label=session.title.clone()>
            <p class="session-kind">{session.kind_label.clone()}</p>
            <h4>
                {if is_break {
                    view! { <span>{session.title.clone()}</span> }.into_any()
                } else {
                    view! { <a href=href>{session.title.clone()}</a> }.into_any()
                }}
            </h4>
            <p class="session-meta">
                <time datetime=session.starts_at.clone()>{session.start_hm().to_string()}</time>
                "–"
                <time datetime=session.ends_at.clone()>{session.end_hm().to_string()}</time>
                {session.room.clone().map(|r| view! { " · " <span class="room">{r}</span> })}
            </p>
            {(!session.key_features.is_empty()).then(|| view! {
                <ul class="tags" aria-label="Key Features">
                    {session.key_features.iter().map(|k| view! {
                        <li class=format!("tag tier-{}", &k.code[..1]) title=k.title.clone()>{k.code.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
        </article>
    }
}

/// Sessions of one day grouped into time slots: sessions that start together sit side by side.
fn slots(sessions: &[SessionDto]) -> Vec<(String, Vec<SessionDto>)> {
    let mut out: Vec<(String, Vec<SessionDto>)> = Vec::new();
    for s in sessions {
        match out.last_mut() {
            Some((start, group)) if *start == s.starts_at => group.push(s.clone()),
            _ => out.push((s.starts_at.clone(), vec![s.clone()])),
        }
    }
    out
}

#[component]
fn DayList(sessions: Vec<SessionDto>, slug: String) -> impl IntoView {
    view! {
        <ol class="slots">
            {slots(&sessions).into_iter().map(|(_, group)| {
                let parallel = group.len() > 1;
                let first = group[0].clone();
                let slug = slug.clone();
                view! {
                    <li class="slot" class:parallel=parallel>
                        <div class="slot-time">
                            <time datetime=first.starts_at.clone()>{first.start_hm().to_string()}</time>
                            {parallel.then(|| view! { <span class="parallel-note">{format!("{} in parallel", group.len())}</span> })}
                        </div>
                        <div class="slot-sessions">
                            {group.into_iter().map(|s| view! { <SessionCard session=s slug=slug.clone() /> }).collect_view()}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// One day as a grid: a column per room, a row per quarter hour; plenaries, ceremonies and
/// breaks run across every room.
#[component]
fn DayGrid(
    sessions: Vec<SessionDto>,
    rooms: Vec<RoomDto>,
    slug: String,
    label: String,
) -> impl IntoView {
    const STEP: i32 = 15;
    let mut columns: Vec<(Option<RoomId>, String)> = rooms
        .iter()
        .filter(|r| {
            sessions
                .iter()
                .any(|s| !is_across(s) && s.room_id == Some(r.id))
        })
        .map(|r| (Some(r.id), r.name.clone()))
        .collect();
    if sessions
        .iter()
        .any(|s| !is_across(s) && s.room_id.is_none_or(|r| !rooms.iter().any(|x| x.id == r)))
    {
        columns.push((None, "Room to be announced".into()));
    }
    if columns.is_empty() {
        columns.push((None, "All rooms".into()));
    }
    let span = |s: &SessionDto| {
        let a = minutes(s.start_hm());
        let mut b = minutes(s.end_hm());
        if b <= a {
            b = 24 * 60; // runs past midnight: drawn to the end of the day
        }
        (a, b)
    };
    let first = sessions.iter().map(|s| span(s).0).min().unwrap_or(9 * 60) / 60 * 60;
    let last = (sessions.iter().map(|s| span(s).1).max().unwrap_or(18 * 60) + 59) / 60 * 60;
    let rows = ((last - first) / STEP).max(1);
    let row_of = |m: i32| 2 + (m - first) / STEP;
    let n = columns.len();
    let style = format!(
        "grid-template-columns: 3.5rem repeat({n}, minmax(9rem, 1fr)); grid-template-rows: auto repeat({rows}, minmax(1.15rem, auto));"
    );
    let hours: Vec<i32> = (first / 60..last / 60).collect();
    view! {
        <div class="grid-scroll" role="region" aria-label=format!("{label}, by room") tabindex="0">
            <div class="day-grid" style=style>
                {columns.iter().enumerate().map(|(i, (_, name))| view! {
                    <h3 class="grid-room" style=format!("grid-row: 1; grid-column: {}", i + 2)>{name.clone()}</h3>
                }).collect_view()}
                {hours.into_iter().map(|h| view! {
                    <div class="grid-hour" style=format!("grid-row: {} / span {}; grid-column: 1", row_of(h * 60), 60 / STEP)>{format!("{h:02}:00")}</div>
                }).collect_view()}
                {sessions.iter().map(|s| {
                    let (a, b) = span(s);
                    let (r1, r2) = (row_of(a), row_of(b + STEP - 1).max(row_of(a) + 1));
                    let col = if is_across(s) {
                        "2 / -1".to_string()
                    } else {
                        let i = columns
                            .iter()
                            .position(|(id, _)| *id == s.room_id && s.room_id.is_some())
                            .or_else(|| columns.iter().position(|(id, _)| id.is_none()))
                            .unwrap_or(0);
                        (i + 2).to_string()
                    };
                    let across = is_across(s);
                    view! {
                        <div class="grid-cell" class:across=across style=format!("grid-row: {r1} / {r2}; grid-column: {col}")>
                            <SessionCard session=s.clone() slug=slug.clone() />
                        </div>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            Filters {
                kind: get("kind"),
                kf: get("kf"),
                room: get("room"),
                day: get("day"),
                q: get("q"),
                tz: get("tz"),
                view: get("view"),
            }
        })
    });
    let live = use_live();
    // a new release shows without a reload (the notice says what changed)
    let data = Resource::new(
        move || {
            (
                slug(),
                filters.with(|f| f.tz.clone()),
                live.tick(Topic::Programme),
            )
        },
        |(slug, tz, _)| get_programme(slug, (!tz.is_empty()).then_some(tz)),
    );
    // the viewer's own time zone, once the page runs in the browser
    let mine = RwSignal::new(None::<String>);
    Effect::new(move |_| mine.set(browser_time_zone()));
    view! {
        <Loaded data=data transition=true let:p>
            {move || view! { <Programme p=p.clone() filters=filters.get() mine=mine /> }}
        </Loaded>
    }
}

#[component]
fn Programme(p: ProgrammeDto, filters: Filters, mine: RwSignal<Option<String>>) -> impl IntoView {
    let slug = p.conference.slug.clone();
    let base = format!("/conferences/{slug}/programme");
    let shown: Vec<SessionDto> = p
        .sessions
        .iter()
        .filter(|s| filters.matches(s))
        .cloned()
        .collect();
    let total = p.sessions.len();
    let in_conference_time = p.shown_timezone == p.conference.timezone;
    let zone_line = if in_conference_time {
        format!("Times are conference time ({}).", p.conference.timezone)
    } else {
        format!(
            "Times are in {} (the conference is in {}).",
            p.shown_timezone, p.conference.timezone
        )
    };
    let view_href = |v: &str| {
        let mut f = filters.clone();
        f.view = v.to_string();
        format!("{base}{}", f.query())
    };
    let (grid_href, list_href) = (view_href("grid"), view_href("list"));
    let ics_href = format!("/conferences/{slug}/programme.ics");
    // one view's markup: the one asked for, else the list on phones and the grid elsewhere
    let grid = match filters.view.as_str() {
        "grid" => true,
        "list" => false,
        _ => !p.phone,
    };
    let view_class = if grid {
        "programme-views show-grid"
    } else {
        "programme-views show-list"
    };
    let days: Vec<DayDto> = p
        .days
        .iter()
        .filter(|d| filters.day.is_empty() || d.date == filters.day)
        .cloned()
        .collect();
    let conference_zone = p.conference.timezone.clone();
    let shown_now = p.shown_timezone.clone();
    let switch_filters = Filters {
        tz: String::new(),
        ..filters.clone()
    };
    let switch_base = format!("{base}{}", switch_filters.query());
    let base_mine = base.clone();
    let light_mine = switch_base.clone();
    view! {
        <Title text=format!("Programme — {}", p.conference.title) />
        <ConferenceHeader conference=p.conference.clone() tab=Tab::Programme />
        <section class="page programme">
            {match p.release.clone() {
                Some(r) => view! {
                    <p class="release-line">
                        {format!("Version {}, released {}. ", r.number, r.released_label)}
                        <a href=format!("/conferences/{slug}/programme/changes")>"What changed"</a>
                        " · "
                        <a href=ics_href.clone() download=format!("{slug}-programme.ics") rel="external">"Download the programme (.ics)"</a>
                        " · "
                        <a href=format!("/conferences/{slug}/programme.pdf") download=format!("{slug}-programme.pdf") rel="external">"Print it (PDF)"</a>
                        " · For conference apps: "
                        <a href=format!("/conferences/{slug}/schedule.xml") rel="external" type="application/xml">"schedule.xml"</a>
                        ", "
                        <a href=format!("/conferences/{slug}/schedule.json") rel="external" type="application/json">"schedule.json"</a>
                        " (frab)"
                    </p>
                }.into_any(),
                None => view! { <p class="empty">"The programme has not been released yet."</p> }.into_any(),
            }}
            {p.can_manage.then(|| view! {
                <p><a class="button" href=format!("/conferences/{slug}/programme/manage")>"Manage the programme"</a></p>
            })}
            <FilterBox base=base.clone() filters=filters.clone() rooms=p.rooms.clone() days=p.days.clone() zones=p.timezones.clone() shown_zone=p.shown_timezone.clone() mine=mine />
            <p class="note" role="status">
                {zone_line}" "
                {move || mine.get().filter(|m| *m != conference_zone).map(|m| {
                    if m == shown_now {
                        view! { <a href=switch_base.clone()>"Show conference time"</a> }.into_any()
                    } else {
                        let mut f = switch_filters.clone();
                        f.tz = m.clone();
                        view! { <a href=format!("{}{}", base_mine, f.query())>{format!("Show my time ({m})")}</a> }.into_any()
                    }
                })}
                // a light page (a visitor's) has no WASM: its script fills in the zone
                {crate::ui::light::is_light().then(|| view! {
                    <a hidden href=light_mine data-my-time="" data-conference-zone=p.conference.timezone.clone() data-shown-zone=p.shown_timezone.clone() data-label="Show my time ({zone})">"Show my time"</a>
                })}" "
                {p.timezone_note.clone()}
                {filters.narrows().then(|| format!(" Showing {} of {} sessions.", shown.len(), total))}
            </p>
            <nav class="view-switch" aria-label="View">
                <a href=grid_href aria-current=grid.then_some("page")>"Grid"</a>
                <a href=list_href aria-current=(!grid).then_some("page")>"List"</a>
            </nav>
            <nav class="day-nav" aria-label="Days">
                {days.iter().map(|d| view! { <a href=format!("#day-{}", d.date)>{d.label.clone()}</a> }).collect_view()}
            </nav>
            <div class=view_class>
                {days.into_iter().map(|d| {
                    let day_sessions: Vec<SessionDto> = shown.iter().filter(|s| s.day == d.date).cloned().collect();
                    let slug = slug.clone();
                    let rooms = p.rooms.clone();
                    view! {
                        <section class="day" id=format!("day-{}", d.date) aria-labelledby=format!("h-{}", d.date)>
                            <h2 id=format!("h-{}", d.date)>{d.label.clone()}</h2>
                            {if day_sessions.is_empty() {
                                view! { <p class="empty">{if filters.narrows() { "Nothing matches the filters on this day." } else { "Nothing scheduled." }}</p> }.into_any()
                            } else {
                                if grid {
                                    view! { <div class="as-grid"><DayGrid sessions=day_sessions rooms=rooms slug=slug label=d.label.clone() /></div> }.into_any()
                                } else {
                                    view! { <div class="as-list"><DayList sessions=day_sessions slug=slug /></div> }.into_any()
                                }
                            }}
                        </section>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

/// The filters, the search and the time zone, folded on phones (a summary line) unless
/// something is chosen.
#[component]
fn FilterBox(
    base: String,
    filters: Filters,
    rooms: Vec<RoomDto>,
    days: Vec<DayDto>,
    zones: Vec<String>,
    shown_zone: String,
    mine: RwSignal<Option<String>>,
) -> impl IntoView {
    let clear_href = {
        let f = Filters {
            tz: filters.tz.clone(),
            view: filters.view.clone(),
            ..Default::default()
        };
        format!("{base}{}", f.query())
    };
    let f = filters.clone();
    // open where there is room for it, or when something is chosen; a summary line on phones
    let open_filters = filters.narrows() || !filters.tz.is_empty();
    let wide = RwSignal::new(false);
    Effect::new(move |_| wide.set(wide_screen()));
    view! {
        <details class="filter-box" open=move || open_filters || wide.get()>
        <summary>"Filters, search and time zone"</summary>
        <form method="get" action=base.clone() class="filters" role="search" aria-label="Filter the programme">
            <div class="field">
                <label for="p-kind">"Kind"</label>
                <select id="p-kind" name="kind">
                    <option value="">"All kinds"</option>
                    {SessionKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=f.kind == k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="p-kf">"Key Feature"</label>
                <select id="p-kf" name="kf">
                    <option value="">"All Key Features"</option>
                    {KEY_FEATURES.iter().map(|k| view! { <option value=k.code selected=f.kf == k.code>{format!("{} {}", k.code, k.title)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="p-room">"Room"</label>
                <select id="p-room" name="room">
                    <option value="">"All rooms"</option>
                    {rooms.iter().map(|r| { let v = r.id.to_string(); let on = f.room == v; view! { <option value=v selected=on>{r.name.clone()}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="p-day">"Day"</label>
                <select id="p-day" name="day">
                    <option value="">"All days"</option>
                    {days.iter().map(|d| view! { <option value=d.date.clone() selected=f.day == d.date>{d.label.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="p-q">"Search"</label>
                <input id="p-q" name="q" type="search" value=f.q.clone() placeholder="Words in titles, descriptions, names" />
            </div>
            <div class="field">
                <label for="p-tz">"Times in"</label>
                <select id="p-tz" name="tz">
                    {move || {
                        // the viewer's own zone second, under its own name, once the browser tells it
                        let own = mine.get().filter(|m| *m != zones[0]);
                        let mut options: Vec<(String, String)> = vec![(String::new(), format!("Conference time ({})", zones[0]))];
                        if let Some(m) = &own {
                            options.push((m.clone(), format!("My time zone ({m})")));
                        }
                        options.extend(zones.iter().skip(1).filter(|z| Some(*z) != own.as_ref()).map(|z| (z.clone(), z.clone())));
                        options.into_iter().map(|(value, label)| {
                            let on = if value.is_empty() { shown_zone == zones[0] } else { value == shown_zone };
                            view! { <option value=value selected=on>{label}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <input type="hidden" name="view" value=filters.view.clone() />
            <div class="filter-actions">
                <button type="submit" class="button">"Apply filters"</button>
                <a href=clear_href>"Clear filters"</a>
            </div>
        </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_address() {
        let f = Filters {
            kind: "thematic_forum".into(),
            q: "health & well-being".into(),
            tz: "Europe/Copenhagen".into(),
            ..Default::default()
        };
        assert_eq!(
            f.query(),
            "?kind=thematic_forum&q=health+%26+well-being&tz=Europe/Copenhagen"
        );
        assert!(f.narrows());
        assert!(!Filters {
            tz: "UTC".into(),
            ..Default::default()
        }
        .narrows());
    }

    #[test]
    fn minutes_of_a_clock_time() {
        assert_eq!(minutes("16:30"), 990);
        assert_eq!(minutes(""), 0);
    }
}
