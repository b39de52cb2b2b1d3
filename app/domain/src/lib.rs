//! Domain logic of the conference system, in plain Rust.
//!
//! Nothing in this crate knows about HTTP, Leptos or the database: it is the part of the
//! product that can be reasoned about and tested on its own (and it compiles to WASM, so the
//! browser can use the same rules as the server).

pub mod accounts;
pub mod adoption;
pub mod clashes;
pub mod coedit;
pub mod common_ends;
pub mod desk;
pub mod drafting;
pub mod ids;
pub mod key_features;
pub mod live;
pub mod markdown;
pub mod notifications;
pub mod permissions;
pub mod programme;
pub mod registration;
pub mod releases;
pub mod schedule;
pub mod text;
pub mod waiting_list;
