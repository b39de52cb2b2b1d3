//! Data every feature sends to the browser: the conference in a header, a notice after an
//! action, an option of a select. Each feature's own data is in its `dto.rs`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConferenceSummary {
    pub slug: String,
    pub title: String,
    pub theme: String,
    pub city: String,
    pub country: String,
    pub venue: String,
    /// first and last day, `YYYY-MM-DD`
    pub start_date: String,
    pub end_date: String,
    /// e.g. "28–30 September 2015"
    pub dates_label: String,
    /// IANA name, e.g. America/Mexico_City
    pub timezone: String,
}

/// A message for the person after a form that must not reveal more (sign-up, reset request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionDto {
    pub value: String,
    pub label: String,
}
