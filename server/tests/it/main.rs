//! The server's integration tests, one binary: each module was its own test binary, and
//! linking the whole server thirteen times cost minutes and gigabytes of disk in CI.

mod common;

mod accounts;
mod adoption;
mod binary;
mod coedit;
mod desk;
mod drafting_api;
mod frab;
mod fuzz;
mod hardening;
mod http;
mod live;
mod mail;
mod notifications;
mod permissions;
mod programme;
mod sub_amendments;
