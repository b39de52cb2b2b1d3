//! The live conference: each conference's event stream (`GET /conferences/{slug}/events`,
//! Server-Sent Events) and what pages do when an event arrives.
//!
//! The server side ([`service`]) fans the events of `db::events` out to the streams, each
//! getting only what its listener may hear. In the browser ([`components`]) one `EventSource`
//! per page bumps a counter per [`domain::live::Topic`]; a page that reads something of a
//! topic puts that counter into its resource's source, so it reads again when it changes.
//! Without JavaScript the pages are as they were: current when loaded.
//!
//! Presence: a page where people see each other (the editor, an amendment's page) says every
//! `db::presence::BEAT` that its person is there, and at which paragraph ([`api::i_am_here`]);
//! an arrival or a move is an event, and the pages there read the list again.

pub mod api;
pub mod components;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod service;
