//! The page shell: loading and error states, the not-found page, the conference header and
//! its tabs, and the conference slug of the address.

use crate::dto::*;
use crate::error::{AppError, ErrorKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

pub(crate) fn loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading…"</p> }
}

/// The page shell every page uses for what it reads: "Loading…" while the server function
/// runs, the page (its children, given the data) when it answers, the error page (with its
/// HTTP status) when it refuses.
///
/// ```ignore
/// <Loaded data=data let:page>
///     <h1>{page.title}</h1>
/// </Loaded>
/// ```
#[component]
pub(crate) fn Loaded<T, F, V>(
    data: Resource<Result<T, AppError>>,
    /// Keep showing the page while it reloads (a `Transition`), for pages that reload as the
    /// person types: a `Suspense` would put the whole page back to "Loading…" each time.
    #[prop(optional)]
    transition: bool,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = std::sync::Arc::new(children);
    let page = move || {
        let children = children.clone();
        Suspend::new(async move {
            match data.await {
                Ok(v) => children(v).into_any(),
                Err(e) => view! { <ErrorView err=e /> }.into_any(),
            }
        })
    };
    shell(transition, page.into_any())
}

/// The part of [`Loaded`] that does not depend on what the page reads, kept out of its
/// generic body so that the WASM holds one copy, not one per page.
fn shell(transition: bool, page: AnyView) -> AnyView {
    if transition {
        view! { <Transition fallback=loading>{page}</Transition> }.into_any()
    } else {
        view! { <Suspense fallback=loading>{page}</Suspense> }.into_any()
    }
}

/// Set the HTTP status of the page being rendered on the server (no-op in the browser).
pub(crate) fn set_page_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(opts), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(_code),
    ) {
        opts.set_status(code);
    }
}

#[component]
pub(crate) fn ErrorView(err: AppError) -> impl IntoView {
    set_page_status(err.status());
    let heading = match err.kind {
        ErrorKind::NotFound => "Not found",
        ErrorKind::Unauthorised => "Please log in",
        ErrorKind::Forbidden => "Not allowed",
        ErrorKind::Validation => "Please check your input",
        ErrorKind::Conflict => "Changed in the meantime",
        ErrorKind::TooLarge => "Too large",
        ErrorKind::TooManyRequests | ErrorKind::Busy => "Please try again shortly",
        ErrorKind::Internal => "Something went wrong",
    };
    view! {
        <Title text=heading />
        <section class="error-page" role="alert">
            <h1>{heading}</h1>
            <p>{err.message.clone()}</p>
            {crate::ui::form::login_hint(&err).map(|href| view! {
                <p><a class="button primary" href=href>"Log in"</a></p>
            })}
            <p><A href="/">"Back to the list of conferences"</A></p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <ErrorView err=AppError::not_found("There is no page at this address. It may have moved, or the link may be mistyped.") />
    }
}

#[derive(Clone, Copy, PartialEq)]
pub enum Tab {
    Overview,
    Programme,
    Declaration,
    Framework,
}

#[component]
pub(crate) fn ConferenceHeader(
    conference: ConferenceSummary,
    tab: Tab,
    /// The page has a main heading of its own: the conference's name is then not a heading,
    /// so that each page has one `h1`.
    #[prop(optional)]
    own_heading: bool,
) -> impl IntoView {
    let base = format!("/conferences/{}", conference.slug);
    let current = move |t: Tab| if t == tab { Some("page") } else { None };
    view! {
        <header class="conference-header">
            <p class="eyebrow">{conference.city.clone()}", "{conference.dates_label.clone()}</p>
            {if own_heading {
                view! { <p class="conference-name">{conference.title.clone()}</p> }.into_any()
            } else {
                view! { <h1>{conference.title.clone()}</h1> }.into_any()
            }}
            <p class="theme">{conference.theme.clone()}</p>
            <nav class="tabs" aria-label="Conference">
                <a href=base.clone() aria-current=current(Tab::Overview)>"Overview"</a>
                <a href=format!("{base}/programme") aria-current=current(Tab::Programme)>"Programme"</a>
                <a href=format!("{base}/declaration") aria-current=current(Tab::Declaration)>"Declaration"</a>
                <a href=format!("{base}/key-features") aria-current=current(Tab::Framework)>"Key Features"</a>
                <a href=format!("{base}/participants")>"Participants"</a>
                <a href=format!("{base}/register")>"Register"</a>
                <a href=format!("{base}/agenda")>"My agenda"</a>
            </nav>
        </header>
    }
}

pub(crate) fn slug_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}
