//! The declaration-drafting engine: paragraphs, word diffs, three-way merge, rebase of pending
//! amendments, provenance and collisions. Pure Rust over [`similar`]'s diff algorithms; no
//! framework, no I/O, so the browser (WASM) and the server share it.
//!
//! A declaration is Markdown; its paragraphs are separated by blank lines (a heading, a list
//! item block and a numbered paragraph are each one paragraph). Texts are plain `&str`: an
//! amendment is the full proposed text of the declaration, written against a base version.
//!
//! - [`paragraphs`], [`paragraph_numbers`]: structure and display numbers ("paragraph 5").
//! - [`initial_labels`], [`carry_labels`]: paragraph labels that stay with their paragraph
//!   across versions ("4 bis" for one inserted after paragraph 4).
//! - [`diff_words`], [`side_by_side`]: what an amendment changes, word by word.
//! - [`touched_paragraphs`], [`collisions`]: which paragraphs it changes, and which pending
//!   amendments compete for the same paragraph.
//! - [`merge3`], [`rebase`], [`Rebaser`]: line-based three-way merge with the semantics of
//!   `git merge-file`, and bringing amendments up to date after another one was merged.
//! - [`attribute`]: which version introduced each word.
//!
//! Credit: the line diff and merge (`linediff.rs`, `merge.rs`) are our own Rust, written to
//! behave exactly like git's xdiff (`git merge-file`, LGPL-2.1-or-later) so that a merge here
//! and in git agree: the algorithm's steps and tuning constants follow xdiff's published
//! behaviour; no xdiff code is included. `tests/drafting_git.rs` checks the agreement.

pub mod amendment;
pub mod anchors;
mod attribution;
pub mod brackets;
mod collisions;
pub mod input;
mod labels;
mod linediff;
mod merge;
mod paragraphs;
mod rebase;
mod tokens;
pub mod voting;
mod words;

pub use attribution::{attribute, attribute_by, AttributedSpan};
pub use collisions::{collisions, Collision};
pub use labels::{
    carry_labels, decode_labels, encode_labels, initial_labels, label_at, labelled_html,
    next_labels, stored_labels, Label,
};
pub use merge::{merge3, Conflict, ConflictRegion, MergeFault, MergeOutcome};
pub use paragraphs::{is_heading, paragraph_numbers, paragraphs, Paragraph};
pub use rebase::{rebase, rebase_all, RebaseOutcome, Rebaser};
pub use words::{diff_words, side_by_side, touched_paragraphs, Cell, DiffOp, Row, Span, SpanKind};
