//! What the browser gets of the live parts: who is at a place.

use serde::{Deserialize, Serialize};

/// The people at a place now (the asker included, marked `me`), by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceDto {
    pub people: Vec<PresentDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentDto {
    pub name: String,
    /// The label of the paragraph they are at ("4 bis"), if any.
    pub paragraph: Option<String>,
    pub me: bool,
}
