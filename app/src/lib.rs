#![recursion_limit = "256"]
//! The Leptos application: shell, routes, pages and server functions.
//!
//! Built twice: with `ssr` into the server, with `hydrate` into the browser's WASM. Anything that
//! touches the database sits behind `ssr`.

pub mod account_api;
mod account_pages;
#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod adoption;
mod adoption_pages;
pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod drafting;
pub mod drafting_api;
pub mod drafting_dto;
mod drafting_pages;
pub mod dto;
pub mod error;
#[cfg(feature = "ssr")]
pub mod fora;
pub mod fora_api;
mod fora_pages;
#[cfg(feature = "ssr")]
pub mod idempotency;
#[cfg(feature = "ssr")]
pub mod limits;
mod pages;
#[cfg(feature = "ssr")]
pub mod programme;
pub mod programme_api;
pub mod programme_dto;
mod programme_pages;
mod programme_view;
#[cfg(feature = "ssr")]
pub mod registration;
pub mod registration_api;
mod registration_pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// The product's name, as shown in the header and titles.
pub const PRODUCT: &str = "Plenary";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The document title for a page title. On the server the text is escaped, because
/// leptos_meta writes the `<title>` contents unescaped during SSR (a session called
/// `</title><script>…` would otherwise run); the browser sets `document.title`, which is text.
fn title_text(t: String) -> String {
    let full = if t.is_empty() {
        PRODUCT.to_string()
    } else {
        format!("{t} · {PRODUCT}")
    };
    #[cfg(feature = "ssr")]
    let full = full
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    full
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    account_pages::provide_auth();
    // Runs only in the browser, once hydration has wired up the page: tests wait for it.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/conference.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="description" content="Runs an intergovernmental conference from registration to its adopted declaration." />
        <Title formatter=title_text />
        <Router>
            <a class="skip" href="#main">"Skip to content"</a>
            <header class="site-header">
                <nav aria-label="Site">
                    <A href="/" attr:class="brand">
                        <span class="brand-mark" aria-hidden="true">"◆"</span>
                        {PRODUCT}
                    </A>
                    <A href="/">"Conferences"</A>
                    <account_pages::UserMenu />
                </nav>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("") view=pages::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug") view=pages::ConferencePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme") view=programme_view::ProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/sessions/:id") view=pages::SessionPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/manage") view=programme_pages::ManageProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/clashes") view=programme_pages::ClashesPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/changes") view=programme_pages::ChangesPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/sessions/new") view=programme_pages::SessionEditPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/sessions/:id/edit") view=programme_pages::SessionEditPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration") view=pages::DeclarationPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/agenda") view=fora_pages::AgendaPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/delegation") view=registration_pages::DelegationPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/participants") view=registration_pages::ParticipantsPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/register") view=registration_pages::RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/registrations") view=registration_pages::QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/key-features") view=adoption_pages::FrameworkPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/final") view=adoption_pages::FinalPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/adopt") view=adoption_pages::AdoptionPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/versions") view=drafting_pages::VersionsPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/compare") view=drafting_pages::ComparePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/edit") view=drafting_pages::EditorPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/provenance") view=drafting_pages::ProvenancePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments") view=drafting_pages::AmendmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments/new") view=drafting_pages::ProposePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments/:number") view=drafting_pages::AmendmentPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/people") view=account_pages::RolesPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=account_pages::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=account_pages::SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=account_pages::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/account/confirm") view=account_pages::ConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/password/forgot") view=account_pages::ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/password/reset") view=account_pages::ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/outbox") view=account_pages::OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/invitations/:token") view=account_pages::InvitationPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{PRODUCT}" — registration, programme and declaration drafting for intergovernmental conferences."</p>
            </footer>
        </Router>
    }
}
