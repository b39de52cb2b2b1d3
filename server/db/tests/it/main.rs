//! The database layer's integration tests, one binary (each module was its own binary).

mod concurrency;
mod drafting;
mod enrolments;
mod events;
mod seed;
