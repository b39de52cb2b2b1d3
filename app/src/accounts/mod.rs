//! Accounts: sign-up, log-in, passwords, roles and invitations, the outbox.
//!
//! `api` holds the server functions (a few lines each), `service` the server-only work they call,
//! `pages` the routed pages.

pub mod api;
pub mod dto;
pub(crate) mod pages;
#[cfg(feature = "ssr")]
pub mod service;
/// The header's account corner as markup, for pages the server assembles (`server::page_cache`).
#[cfg(feature = "ssr")]
pub use pages::corner_html;
