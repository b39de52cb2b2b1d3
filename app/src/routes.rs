//! The application's routes: every public address and the page that answers it, inside the
//! header and footer every page shares.

use crate::{
    accounts, adoption, desk, drafting, live, programme, public, registration, seats, ui, PRODUCT,
};
use leptos::lazy;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, Lazy, LazyRoute, SsrMode,
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
                    <Route path=path!("") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug") view={Lazy::<ConferenceRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme") view={Lazy::<ProgrammeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/sessions/:id") view={Lazy::<SessionRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/manage") view={Lazy::<ManageProgrammeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/clashes") view={Lazy::<ClashesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/changes") view={Lazy::<ChangesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/sessions/new") view={Lazy::<SessionEditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/programme/sessions/:id/edit") view={Lazy::<SessionEditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration") view={Lazy::<DeclarationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/agenda") view={Lazy::<AgendaRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/delegation") view={Lazy::<DelegationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/participants") view={Lazy::<ParticipantsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/register") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/registrations") view={Lazy::<QueueRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/key-features") view={Lazy::<FrameworkRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/final") view={Lazy::<FinalRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/adopt") view={Lazy::<AdoptionRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/versions") view={Lazy::<VersionsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/compare") view={Lazy::<CompareRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/edit") view={Lazy::<EditorRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/provenance") view={Lazy::<ProvenanceRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/compilation") view={Lazy::<CompilationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/screen") view={Lazy::<ScreenRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/brackets") view={Lazy::<BracketsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/declaration/comments") view={Lazy::<CommentsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments") view={Lazy::<AmendmentsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments/new") view={Lazy::<ProposeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments/voting") view={Lazy::<VotingRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments/:number") view={Lazy::<AmendmentRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/amendments/:number/amend") view={Lazy::<ProposeSubRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/people") view={Lazy::<RolesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/check-in") view={Lazy::<CheckInRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/conferences/:slug/dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/confirm") view={Lazy::<ConfirmRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/password/forgot") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/password/reset") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/outbox") view={Lazy::<OutboxRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/invitations/:token") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{PRODUCT}" — registration, programme and declaration drafting for intergovernmental conferences."</p>
            </footer>
        </Router>
    }
}

/// Pages whose code the browser loads when one of them is first shown (code splitting: `cargo
/// leptos build --split` puts each group's code, and what groups share, in files of their own,
/// so the WASM every page loads holds only the shell; see `frontend`, which hydrates once the
/// page's code has arrived). Pages that are opened together share a group; the editor and the
/// amendment pages stand alone, so that opening one brings little else.
macro_rules! route_in {
    ($route:ident, $group:ident, $preload:ident, $page:ident) => {
        #[derive(Debug)]
        struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            // the router loads a page's code before it renders or hydrates the page
            async fn preload() {
                #[cfg(target_arch = "wasm32")]
                $preload().await;
            }

            async fn view(_this: Self) -> AnyView {
                $group(Page::$page).await
            }
        }
    };
}

/// The pages, each the code of one route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    Home,
    Conference,
    Programme,
    Session,
    Changes,
    Declaration,
    Framework,
    Final,
    Editor,
    Propose,
    ProposeSub,
    Amendments,
    Amendment,
    Versions,
    Compare,
    Provenance,
    Compilation,
    Voting,
    Screen,
    Brackets,
    Comments,
    ManageProgramme,
    Clashes,
    SessionEdit,
    Queue,
    Adoption,
    Roles,
    Outbox,
    Agenda,
    Delegation,
    Register,
    Participants,
    Login,
    SignUp,
    Account,
    Confirm,
    ForgotPassword,
    ResetPassword,
    Invitation,
    CheckIn,
    Dashboard,
}

#[lazy]
fn reading_pages(page: Page) -> AnyView {
    match page {
        Page::Home => view! { <public::pages::HomePage /> }.into_any(),
        Page::Conference => view! { <public::pages::ConferencePage /> }.into_any(),
        Page::Programme => view! { <programme::pages::ProgrammePage /> }.into_any(),
        Page::Session => {
            view! { <public::pages::SessionPage seats=session_seats tagging=session_tagging /> }
                .into_any()
        }
        Page::Changes => view! { <programme::pages::ChangesPage /> }.into_any(),
        Page::Declaration => view! { <public::pages::DeclarationPage /> }.into_any(),
        Page::Framework => view! { <adoption::pages::FrameworkPage /> }.into_any(),
        Page::Final => view! { <adoption::pages::FinalPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn editor_page(page: Page) -> AnyView {
    match page {
        Page::Editor => view! { <drafting::pages::EditorPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn propose_page(page: Page) -> AnyView {
    match page {
        Page::Propose => view! { <drafting::pages::ProposePage /> }.into_any(),
        Page::ProposeSub => view! { <drafting::pages::ProposeSubPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn amendments_page(page: Page) -> AnyView {
    match page {
        Page::Amendments => view! { <drafting::pages::AmendmentsPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn amendment_page(page: Page) -> AnyView {
    match page {
        Page::Amendment => view! { <drafting::pages::AmendmentPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn drafting_pages(page: Page) -> AnyView {
    match page {
        Page::Versions => view! { <drafting::pages::VersionsPage /> }.into_any(),
        Page::Compare => view! { <drafting::pages::ComparePage /> }.into_any(),
        Page::Provenance => view! { <drafting::pages::ProvenancePage /> }.into_any(),
        Page::Compilation => view! { <drafting::pages::CompilationPage /> }.into_any(),
        Page::Voting => view! { <drafting::pages::VotingOrderPage /> }.into_any(),
        Page::Screen => view! { <drafting::pages::ScreenPage /> }.into_any(),
        Page::Brackets => view! { <drafting::pages::BracketsPage /> }.into_any(),
        Page::Comments => view! { <drafting::pages::CommentsPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn organising_pages(page: Page) -> AnyView {
    match page {
        Page::ManageProgramme => view! { <programme::pages::ManageProgrammePage /> }.into_any(),
        Page::Clashes => view! { <programme::pages::ClashesPage /> }.into_any(),
        Page::SessionEdit => view! { <programme::pages::SessionEditPage /> }.into_any(),
        Page::Queue => view! { <registration::pages::QueuePage /> }.into_any(),
        Page::Adoption => view! { <adoption::pages::AdoptionPage /> }.into_any(),
        Page::Roles => view! { <accounts::pages::RolesPage /> }.into_any(),
        Page::Outbox => view! { <accounts::pages::OutboxPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn desk_pages(page: Page) -> AnyView {
    match page {
        Page::CheckIn => view! { <desk::pages::CheckInPage /> }.into_any(),
        Page::Dashboard => view! { <desk::pages::DashboardPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn delegates_pages(page: Page) -> AnyView {
    match page {
        Page::Agenda => view! { <seats::pages::AgendaPage /> }.into_any(),
        Page::Delegation => view! { <registration::pages::DelegationPage /> }.into_any(),
        Page::Register => view! { <registration::pages::RegisterPage /> }.into_any(),
        Page::Participants => view! { <registration::pages::ParticipantsPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[lazy]
fn account_pages(page: Page) -> AnyView {
    match page {
        Page::Login => view! { <accounts::pages::LoginPage /> }.into_any(),
        Page::SignUp => view! { <accounts::pages::SignUpPage /> }.into_any(),
        Page::Account => view! { <accounts::pages::AccountPage /> }.into_any(),
        Page::Confirm => view! { <accounts::pages::ConfirmPage /> }.into_any(),
        Page::ForgotPassword => view! { <accounts::pages::ForgotPasswordPage /> }.into_any(),
        Page::ResetPassword => view! { <accounts::pages::ResetPasswordPage /> }.into_any(),
        Page::Invitation => view! { <accounts::pages::InvitationPage /> }.into_any(),
        _ => ().into_any(),
    }
}

route_in!(HomeRoute, reading_pages, __preload_reading_pages, Home);
route_in!(CheckInRoute, desk_pages, __preload_desk_pages, CheckIn);
route_in!(DashboardRoute, desk_pages, __preload_desk_pages, Dashboard);
route_in!(
    ConferenceRoute,
    reading_pages,
    __preload_reading_pages,
    Conference
);
route_in!(
    ProgrammeRoute,
    reading_pages,
    __preload_reading_pages,
    Programme
);
route_in!(
    SessionRoute,
    reading_pages,
    __preload_reading_pages,
    Session
);
route_in!(
    ChangesRoute,
    reading_pages,
    __preload_reading_pages,
    Changes
);
route_in!(
    DeclarationRoute,
    reading_pages,
    __preload_reading_pages,
    Declaration
);
route_in!(
    FrameworkRoute,
    reading_pages,
    __preload_reading_pages,
    Framework
);
route_in!(FinalRoute, reading_pages, __preload_reading_pages, Final);
route_in!(EditorRoute, editor_page, __preload_editor_page, Editor);
route_in!(ProposeRoute, propose_page, __preload_propose_page, Propose);
route_in!(
    ProposeSubRoute,
    propose_page,
    __preload_propose_page,
    ProposeSub
);
route_in!(
    AmendmentsRoute,
    amendments_page,
    __preload_amendments_page,
    Amendments
);
route_in!(
    AmendmentRoute,
    amendment_page,
    __preload_amendment_page,
    Amendment
);
route_in!(
    VersionsRoute,
    drafting_pages,
    __preload_drafting_pages,
    Versions
);
route_in!(
    CompareRoute,
    drafting_pages,
    __preload_drafting_pages,
    Compare
);
route_in!(
    ProvenanceRoute,
    drafting_pages,
    __preload_drafting_pages,
    Provenance
);
route_in!(
    CompilationRoute,
    drafting_pages,
    __preload_drafting_pages,
    Compilation
);
route_in!(
    CommentsRoute,
    drafting_pages,
    __preload_drafting_pages,
    Comments
);
route_in!(
    BracketsRoute,
    drafting_pages,
    __preload_drafting_pages,
    Brackets
);
route_in!(
    VotingRoute,
    drafting_pages,
    __preload_drafting_pages,
    Voting
);
route_in!(
    ScreenRoute,
    drafting_pages,
    __preload_drafting_pages,
    Screen
);
route_in!(
    ManageProgrammeRoute,
    organising_pages,
    __preload_organising_pages,
    ManageProgramme
);
route_in!(
    ClashesRoute,
    organising_pages,
    __preload_organising_pages,
    Clashes
);
route_in!(
    SessionEditRoute,
    organising_pages,
    __preload_organising_pages,
    SessionEdit
);
route_in!(
    QueueRoute,
    organising_pages,
    __preload_organising_pages,
    Queue
);
route_in!(
    AdoptionRoute,
    organising_pages,
    __preload_organising_pages,
    Adoption
);
route_in!(
    RolesRoute,
    organising_pages,
    __preload_organising_pages,
    Roles
);
route_in!(
    OutboxRoute,
    organising_pages,
    __preload_organising_pages,
    Outbox
);
route_in!(
    AgendaRoute,
    delegates_pages,
    __preload_delegates_pages,
    Agenda
);
route_in!(
    DelegationRoute,
    delegates_pages,
    __preload_delegates_pages,
    Delegation
);
route_in!(
    RegisterRoute,
    delegates_pages,
    __preload_delegates_pages,
    Register
);
route_in!(
    ParticipantsRoute,
    delegates_pages,
    __preload_delegates_pages,
    Participants
);
route_in!(LoginRoute, account_pages, __preload_account_pages, Login);
route_in!(SignUpRoute, account_pages, __preload_account_pages, SignUp);
route_in!(
    AccountRoute,
    account_pages,
    __preload_account_pages,
    Account
);
route_in!(
    ConfirmRoute,
    account_pages,
    __preload_account_pages,
    Confirm
);
route_in!(
    ForgotPasswordRoute,
    account_pages,
    __preload_account_pages,
    ForgotPassword
);
route_in!(
    ResetPasswordRoute,
    account_pages,
    __preload_account_pages,
    ResetPassword
);
route_in!(
    InvitationRoute,
    account_pages,
    __preload_account_pages,
    Invitation
);

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
