//! Adoption: Key Features, the final text, its publication and downloads.
//!
//! `api` holds the server functions (a few lines each), `service` the server-only work they call,
//! `pages` the routed pages.

pub mod api;
pub mod dto;
pub(crate) mod pages;
#[cfg(feature = "ssr")]
pub mod service;
