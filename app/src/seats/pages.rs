//! Seats on the session page, and the personal agenda.

use crate::dto::*;
use crate::error::AppError;
use crate::live::components::use_live;
use crate::seats::api::*;
use crate::seats::dto::*;
use crate::ui::page::{loading, Loaded};
use domain::live::Topic;
use leptos::prelude::*;
use leptos_meta::Title;

fn seats_line(s: &SeatsDto) -> String {
    match (s.capacity, s.seats_left) {
        (Some(c), Some(0)) if s.waitlisted > 0 => {
            format!("Full: all {c} seats taken, {} waiting.", s.waitlisted)
        }
        (Some(c), Some(0)) => format!("Full: all {c} seats taken."),
        (Some(c), Some(left)) => format!("{left} of {c} seats left."),
        _ => "No limit on seats.".into(),
    }
}

/// Seats left and the asker's own seat, with the button to sign up or cancel.
#[component]
pub fn SeatsPanel(slug: String, session_id: SessionId) -> impl IntoView {
    let live = use_live();
    let sign_up = ServerAction::<SignUpForSession>::new();
    let cancel = ServerAction::<CancelSignUp>::new();
    let capacity = ServerAction::<SetSessionCapacity>::new();
    let capacity_error = crate::ui::form::error_of(capacity.value());
    let slug_key = slug.clone();
    let seats = Resource::new(
        move || {
            (
                slug_key.clone(),
                session_id,
                sign_up.version().get()
                    + cancel.version().get()
                    + capacity.version().get()
                    // seats left and waiting positions follow other people's sign-ups
                    + live.tick(Topic::Seats),
            )
        },
        |(slug, id, _)| get_seats(slug, id),
    );
    let last_message = move || {
        let pick = |v: Option<Result<Notice, AppError>>| match v {
            Some(Ok(n)) => Some((true, n.message)),
            Some(Err(e)) => Some((false, e.message)),
            None => None,
        };
        // whichever happened last
        if sign_up.version().get() >= cancel.version().get() {
            pick(sign_up.value().get()).or_else(|| pick(cancel.value().get()))
        } else {
            pick(cancel.value().get()).or_else(|| pick(sign_up.value().get()))
        }
    };
    let capacity_notice = move || {
        capacity
            .value()
            .get()
            .and_then(Result::ok)
            .map(|n| view! { <p class="form-notice" role="status">{n.message}</p> })
    };
    view! {
        <section class="seats" aria-labelledby="seats-heading">
            <h3 id="seats-heading">"Seats"</h3>
            <Transition fallback=loading>
                {move || {
                    let slug = slug.clone();
                    Suspend::new(async move {
                        match seats.await {
                            Ok(s) if !s.needs_sign_up => view! {
                                <p>"Everyone attends: no sign-up needed."</p>
                            }.into_any(),
                            Ok(s) => {
                                let line = seats_line(&s);
                                let slug_cap = slug.clone();
                                let mine = s.my_seat;
                                let full = s.seats_left == Some(0) || s.waitlisted > 0;
                                view! {
                                    <p class="seats-line">{line}</p>
                                    {match mine {
                                        Some(Seat::Confirmed) => view! {
                                            <p class="my-seat"><strong>"You have a seat."</strong></p>
                                            <ActionForm action=cancel attr:class="inline-form">
                                                <input type="hidden" name="slug" value=slug.clone() />
                                                <input type="hidden" name="session_id" value=s.session_id.0 />
                                                <button type="submit" class="button">"Cancel my seat"</button>
                                            </ActionForm>
                                        }.into_any(),
                                        Some(_) => view! {
                                            <p class="my-seat"><strong>{format!("You are number {} on the waiting list.", s.my_waiting_position.unwrap_or(0))}</strong></p>
                                            <ActionForm action=cancel attr:class="inline-form">
                                                <input type="hidden" name="slug" value=slug.clone() />
                                                <input type="hidden" name="session_id" value=s.session_id.0 />
                                                <button type="submit" class="button">"Leave the waiting list"</button>
                                            </ActionForm>
                                        }.into_any(),
                                        None if s.can_sign_up => view! {
                                            <ActionForm action=sign_up attr:class="inline-form">
                                                <input type="hidden" name="slug" value=slug.clone() />
                                                <input type="hidden" name="session_id" value=s.session_id.0 />
                                                <button type="submit" class="button primary" disabled=move || sign_up.pending().get()>
                                                    {if full { "Join the waiting list" } else { "Sign up" }}
                                                </button>
                                            </ActionForm>
                                        }.into_any(),
                                        None => view! {
                                            <p class="note">{s.why_not.clone().unwrap_or_default()}</p>
                                        }.into_any(),
                                    }}
                                    {s.can_manage.then(|| view! {
                                        <ActionForm action=capacity attr:class="capacity-form" attr:aria-label="Seats in this session">
                                            <input type="hidden" name="slug" value=slug_cap />
                                            <input type="hidden" name="session_id" value=s.session_id.0 />
                                            <crate::ui::form::FormAlert error=capacity_error />
                                            <crate::ui::form::Field name="capacity" label="Seats in all (empty for no limit)" kind="number" required=false value=s.capacity.map(|c| c.to_string()).unwrap_or_default() error=capacity_error />
                                            <button type="submit" class="button" disabled=move || capacity.pending().get()>"Save seats"</button>
                                        </ActionForm>
                                    })}
                                }.into_any()
                            }
                            Err(e) => view! { <p class="form-alert" role="alert">{e.message}</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
            {capacity_notice}
            {move || last_message().map(|(ok, m)| if ok {
                view! { <p class="form-notice" role="status">{m}</p> }.into_any()
            } else {
                view! { <p class="form-alert" role="alert">{m}</p> }.into_any()
            })}
        </section>
    }
}

#[component]
pub fn AgendaPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let live = use_live();
    let make_link = ServerAction::<CreateCalendarLink>::new();
    let revoke_link = ServerAction::<RevokeCalendarLink>::new();
    let data = Resource::new(
        move || {
            (
                slug(),
                make_link.version().get(),
                revoke_link.version().get() + live.tick(Topic::Seats),
            )
        },
        |(s, _, _)| get_agenda(s),
    );
    view! {
        <Title text="My agenda" />
        <Loaded data=data transition=true let:a>
            {
                let base = format!("/conferences/{}", a.conference.slug);
                let slug_make = a.conference.slug.clone();
                let slug_revoke = a.conference.slug.clone();
                let has_feed = a.has_feed;
                let mut days: Vec<(String, Vec<AgendaItemDto>)> = Vec::new();
                for item in a.items {
                    match days.last_mut() {
                        Some((d, list)) if *d == item.session.day => list.push(item),
                        _ => days.push((item.session.day.clone(), vec![item])),
                    }
                }
                view! {
                    <section class="page">
                        <p class="eyebrow"><a href=base.clone()>{a.conference.title.clone()}</a></p>
                        <h1>"My agenda"</h1>
                        <p class="note">{a.person_name.clone()}": the sessions you signed up for, with the plenaries and ceremonies everyone attends. Times in "{a.conference.timezone.clone()}"."</p>
                        {days.into_iter().map(|(day, items)| {
                            let base = base.clone();
                            view! {
                                <h2 class="agenda-day"><time datetime=day.clone()>{day.clone()}</time></h2>
                                <ul class="agenda">
                                    {items.into_iter().map(|i| {
                                        let s = i.session;
                                        let status = match (i.seat, i.waiting_position) {
                                            (AgendaSeat::Confirmed, _) => "Seat confirmed".to_string(),
                                            (AgendaSeat::Waitlisted, Some(n)) => format!("Waiting list: number {n}"),
                                            (AgendaSeat::Waitlisted, None) => "Waiting list".to_string(),
                                            (AgendaSeat::Everyone, _) => "Everyone attends".to_string(),
                                        };
                                        view! {
                                            <li class=format!("agenda-item seat-{}", i.seat.as_str())>
                                                <span class="agenda-time">{s.start_hm().to_string()}"–"{s.end_hm().to_string()}</span>
                                                <span class="agenda-what">
                                                    <a href=format!("{base}/sessions/{}", s.id)>{s.title.clone()}</a>
                                                    <span class="session-meta">{s.room.clone().unwrap_or_default()}</span>
                                                </span>
                                                <span class="agenda-seat">{status}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                        }).collect_view()}
                        <p><a href=format!("{base}/programme")>"Find more sessions in the programme"</a></p>
                    </section>
                    <section class="page" aria-labelledby="calendar-heading">
                        <h2 id="calendar-heading">"In your calendar"</h2>
                        <p><a class="button" href=format!("{base}/agenda.ics") download="agenda.ics">"Download my calendar (.ics)"</a></p>
                        <p class="note">"Or subscribe: your calendar app then follows changes by itself. The address is secret; anyone who has it can read your agenda, so you can turn it off or replace it at any time."</p>
                        {move || make_link.value().get().and_then(Result::ok).map(|l| view! {
                            <div class="form-notice" role="status">
                                <p>"Your calendar address (shown only now; copy it into your calendar app):"</p>
                                <p><code class="invitation-link">{l.url}</code></p>
                                <p><a class="button" href=l.webcal>"Subscribe in my calendar app"</a></p>
                            </div>
                        })}
                        {move || revoke_link.value().get().and_then(Result::ok).map(|n| view! { <crate::ui::form::NoticeView notice=n /> })}
                        <ActionForm action=make_link attr:class="inline-form">
                            <input type="hidden" name="slug" value=slug_make />
                            <button type="submit" class="button">{if has_feed { "Replace my calendar address" } else { "Make a calendar address" }}</button>
                        </ActionForm>
                        {has_feed.then(|| view! {
                            " "
                            <ActionForm action=revoke_link attr:class="inline-form">
                                <input type="hidden" name="slug" value=slug_revoke />
                                <button type="submit" class="button">"Turn off my calendar address"</button>
                            </ActionForm>
                        })}
                    </section>
                }.into_any()
            }
        </Loaded>
    }
}
