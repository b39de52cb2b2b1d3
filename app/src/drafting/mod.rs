//! Drafting: the declaration's versions, the editor, amendments and their decisions.
//!
//! `api` holds the server functions (a few lines each), `service` the server-only work they call,
//! `pages` the routed pages.

pub mod api;
pub(crate) mod components;
pub mod dto;
pub(crate) mod pages;
#[cfg(feature = "ssr")]
pub mod service;
