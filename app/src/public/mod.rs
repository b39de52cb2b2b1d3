//! The public read side: conferences, their overview, a session, the declaration.
//!
//! `api` holds the server functions (a few lines each), `service` the server-only work they call,
//! `pages` the routed pages.

pub mod api;
pub mod dto;
pub(crate) mod pages;
#[cfg(feature = "ssr")]
pub mod service;
