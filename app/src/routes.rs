//! The application's routes: every public address and the page that answers it, inside the
//! header and footer every page shares.

use crate::{
    accounts, adoption, drafting, live, programme, public, registration, seats, ui, PRODUCT,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

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
    accounts::pages::provide_auth();
    live::components::provide_live();
    // Runs only in the browser, once hydration has wired up the page: tests wait for it.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Meta name="theme-color" content="#1b4f8a" />
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
                    <accounts::pages::UserMenu />
                </nav>
            </header>
            <live::components::LiveEvents />
            <main id="main" tabindex="-1">
                <Routes fallback=ui::page::NotFound>
                    <Route path=path!("") view=public::pages::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug") view=public::pages::ConferencePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme") view=programme::pages::ProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/sessions/:id") view=|| view! { <public::pages::SessionPage seats=session_seats tagging=session_tagging /> } ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/manage") view=programme::pages::ManageProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/clashes") view=programme::pages::ClashesPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/changes") view=programme::pages::ChangesPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/sessions/new") view=programme::pages::SessionEditPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/sessions/:id/edit") view=programme::pages::SessionEditPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration") view=public::pages::DeclarationPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/agenda") view=seats::pages::AgendaPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/delegation") view=registration::pages::DelegationPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/participants") view=registration::pages::ParticipantsPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/register") view=registration::pages::RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/registrations") view=registration::pages::QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/key-features") view=adoption::pages::FrameworkPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/final") view=adoption::pages::FinalPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/adopt") view=adoption::pages::AdoptionPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/versions") view=drafting::pages::VersionsPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/compare") view=drafting::pages::ComparePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/edit") view=drafting::pages::EditorPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/provenance") view=drafting::pages::ProvenancePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/compilation") view=drafting::pages::CompilationPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments") view=drafting::pages::AmendmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments/new") view=drafting::pages::ProposePage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments/:number") view=drafting::pages::AmendmentPage ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/people") view=accounts::pages::RolesPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=accounts::pages::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=accounts::pages::SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=accounts::pages::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/account/confirm") view=accounts::pages::ConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/password/forgot") view=accounts::pages::ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/password/reset") view=accounts::pages::ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/outbox") view=accounts::pages::OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/invitations/:token") view=accounts::pages::InvitationPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{PRODUCT}" — registration, programme and declaration drafting for intergovernmental conferences."</p>
            </footer>
        </Router>
    }
}

/// A session page's seats and waiting list (the seats feature's part of the page).
fn session_seats(p: &public::dto::SessionPageDto) -> AnyView {
    view! { <seats::pages::SeatsPanel slug=p.conference.slug.clone() session_id=p.session.id /> }
        .into_any()
}

/// A session page's Key Features form for organisers (the adoption feature's part of the page).
fn session_tagging(p: &public::dto::SessionPageDto) -> AnyView {
    let codes = p
        .session
        .key_features
        .iter()
        .map(|k| k.code.clone())
        .collect();
    view! {
        <adoption::pages::SessionKeyFeatures
            slug=p.conference.slug.clone()
            session_id=p.session.id
            codes=codes
        />
    }
    .into_any()
}
