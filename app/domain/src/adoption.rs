//! Adoption of a declaration: the checked content of the organiser's form.
//!
//! The declaration is adopted at the conference: the date must be one of the conference's
//! days, the place is a line of text, and the session (if named) is checked by the caller to be
//! one of the conference's sessions.

use crate::registration::FieldError;

/// What the organiser records at adoption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdoptionForm {
    /// The version adopted.
    pub version: i32,
    /// `YYYY-MM-DD`, within the conference's dates.
    pub date: String,
    pub place: String,
    pub session_id: Option<i32>,
}

/// Whether `s` is a date written `YYYY-MM-DD` that exists in the Gregorian calendar.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        s.get(r.clone())
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse().ok())
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && (1..=days).contains(&d)
}

impl AdoptionForm {
    /// Checks the form against the conference's first and last day (`YYYY-MM-DD`).
    pub fn parse(
        version: i32,
        date: &str,
        place: &str,
        session_id: Option<i32>,
        first_day: &str,
        last_day: &str,
    ) -> Result<AdoptionForm, FieldError> {
        if version < 1 {
            return Err(FieldError {
                field: "version",
                message: "Choose the version to adopt.",
            });
        }
        let date = date.trim();
        if !is_iso_date(date) {
            return Err(FieldError {
                field: "date",
                message: "Give the date of adoption as a date (year-month-day).",
            });
        }
        // ISO dates compare as text
        if date < first_day || date > last_day {
            return Err(FieldError {
                field: "date",
                message: "The declaration is adopted at the conference: choose one of its days.",
            });
        }
        let place = place.trim();
        if place.is_empty() || place.chars().count() > 200 || place.contains(['\n', '\r']) {
            return Err(FieldError {
                field: "place",
                message: "Give the place of adoption on one line (at most 200 characters).",
            });
        }
        Ok(AdoptionForm {
            version,
            date: date.to_owned(),
            place: place.to_owned(),
            session_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(date: &str, place: &str) -> Result<AdoptionForm, &'static str> {
        AdoptionForm::parse(3, date, place, Some(7), "2015-09-28", "2015-09-30")
            .map_err(|e| e.field)
    }

    #[test]
    fn a_date_of_the_conference_and_a_place_are_needed() {
        let ok = parse(" 2015-09-30 ", " Mexico City, Mexico ").unwrap();
        assert_eq!(
            ok,
            AdoptionForm {
                version: 3,
                date: "2015-09-30".into(),
                place: "Mexico City, Mexico".into(),
                session_id: Some(7),
            }
        );
        assert_eq!(
            parse("2015-09-28", "Mexico City").unwrap().date,
            "2015-09-28"
        );
        for bad in [
            "",
            "30/09/2015",
            "2015-9-30",
            "2015-09-31",
            "2015-02-29",
            "x015-09-30",
        ] {
            assert_eq!(parse(bad, "Mexico City"), Err("date"), "{bad}");
        }
        for outside in ["2015-09-27", "2015-10-01", "2016-09-29"] {
            assert_eq!(parse(outside, "Mexico City"), Err("date"), "{outside}");
        }
        for bad in ["", "   ", "Two\nlines", &"x".repeat(201)] {
            assert_eq!(parse("2015-09-30", bad), Err("place"), "{bad:?}");
        }
        assert_eq!(
            AdoptionForm::parse(
                0,
                "2015-09-30",
                "Mexico City",
                None,
                "2015-09-28",
                "2015-09-30"
            )
            .map_err(|e| e.field),
            Err("version")
        );
    }

    #[test]
    fn calendar_dates_are_checked() {
        assert!(is_iso_date("2016-02-29"));
        assert!(is_iso_date("2000-02-29"));
        assert!(!is_iso_date("1900-02-29"));
        assert!(!is_iso_date("2015-13-01"));
        assert!(!is_iso_date("2015-00-10"));
        assert!(!is_iso_date("2015-01-00"));
        assert!(!is_iso_date("2015-01-1a"));
    }
}
