//! The drafting pages, one file each (their parts are in `../components`): versions and their
//! comparison, the committee's editor, amendments (list, proposal, one amendment with its
//! workflow), and provenance ("who wrote this").
//!
//! Every form is an `ActionForm`, so it works before (or without) the WASM; the formatting
//! toolbar, the keyboard shortcuts and the live preview come with hydration. Markdown becomes
//! HTML only through [`domain::markdown::render_safe`]; diff and provenance texts are raw
//! Markdown source and are shown as text.

mod amendments;
mod brackets;
mod comments;
mod compilation;
mod editor;
mod provenance;
mod screen;
mod versions;
mod voting;

pub use amendments::{AmendmentPage, AmendmentsPage, ProposePage, ProposeSubPage};
pub use brackets::BracketsPage;
pub use comments::CommentsPage;
pub use compilation::CompilationPage;
pub use editor::EditorPage;
pub use provenance::ProvenancePage;
pub use screen::ScreenPage;
pub use versions::{ComparePage, VersionsPage};
pub use voting::VotingOrderPage;
