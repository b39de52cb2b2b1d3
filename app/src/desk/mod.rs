//! The secretariat's desk: badges, checking people in (at the door and at capacity-limited
//! sessions) and the dashboard of how registration and the fora are filling.
//!
//! `api` holds the server functions (a few lines each), `service` the server-only work they call,
//! `pages` the routed pages, `components` the charts.

pub mod api;
pub(crate) mod components;
pub mod dto;
pub(crate) mod pages;
#[cfg(feature = "ssr")]
pub mod service;
