//! The organiser's session and room forms: what makes them valid, before any database is asked.
//!
//! Times arrive as the browser's `datetime-local` values (`YYYY-MM-DDTHH:MM`) in the
//! conference's time zone; turning them into instants (and refusing a time that does not exist
//! because the clocks jump) is the caller's, which knows the zone.

use crate::programme::SessionKind;
use crate::registration::FieldError;

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const NAME_MAX: usize = 120;
pub const PEOPLE_MAX: usize = 40;

/// A checked session form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionForm {
    pub kind: SessionKind,
    pub title: String,
    pub description: String,
    pub room_id: Option<i32>,
    /// `YYYY-MM-DDTHH:MM`, conference time
    pub start: String,
    pub end: String,
    pub capacity: Option<i32>,
    /// Only for a regional forum (required there).
    pub region: Option<String>,
    /// Names, one per line in the form; trimmed, without blanks or repeats.
    pub chairs: Vec<String>,
    pub speakers: Vec<String>,
}

/// What the form sends, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawSession<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub room_id: &'a str,
    pub start: &'a str,
    pub end: &'a str,
    pub capacity: &'a str,
    pub region: &'a str,
    pub chairs: &'a str,
    pub speakers: &'a str,
}

fn err(field: &'static str, message: &'static str) -> FieldError {
    FieldError { field, message }
}

/// Whether `s` is `YYYY-MM-DDTHH:MM` (seconds, if the browser adds them, are accepted as `:00`)
/// naming a real date and a time of day. Returns the minute-precision form.
pub fn local_datetime(s: &str) -> Option<String> {
    let s = s.trim();
    let (date, time) = s.split_once('T').or_else(|| s.split_once(' '))?;
    if !crate::adoption::is_iso_date(date) {
        return None;
    }
    let time = match time.len() {
        5 => time,
        8 if time.ends_with(":00") => &time[..5],
        _ => return None,
    };
    let b = time.as_bytes();
    if b[2] != b':'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
    {
        return None;
    }
    let h: u32 = time[..2].parse().ok()?;
    let m: u32 = time[3..].parse().ok()?;
    (h < 24 && m < 60).then(|| format!("{date}T{time}"))
}

/// Names from a textarea: one per line (commas also separate), trimmed, blanks and repeats
/// (ignoring case) dropped, in the order written.
pub fn names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in text.split(['\n', ',', ';']) {
        let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
        if !n.is_empty() && !out.iter().any(|o| o.to_lowercase() == n.to_lowercase()) {
            out.push(n);
        }
    }
    out
}

fn optional_count(s: &str, field: &'static str) -> Result<Option<i32>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if (1..=100_000).contains(&n) => Ok(Some(n as i32)),
        Ok(_) => Err(err(
            field,
            "Give a number of seats from 1 to 100000, or leave it empty.",
        )),
        Err(_) => Err(err(
            field,
            "Give the number of seats as a whole number, e.g. 120.",
        )),
    }
}

impl SessionForm {
    pub fn parse(raw: &RawSession<'_>) -> Result<SessionForm, FieldError> {
        let kind = SessionKind::parse(raw.kind.trim())
            .ok_or_else(|| err("kind", "Choose what kind of session this is."))?;
        let title = raw.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Err(err("title", "Give the session a title."));
        }
        if title.chars().count() > TITLE_MAX {
            return Err(err("title", "Keep the title under 200 characters."));
        }
        let description = raw.description.trim().replace("\r\n", "\n");
        if description.chars().count() > DESCRIPTION_MAX {
            return Err(err(
                "description",
                "Keep the description under 20000 characters.",
            ));
        }
        let room_id = match raw.room_id.trim() {
            "" => None,
            r => Some(
                r.parse::<i32>()
                    .map_err(|_| err("room_id", "Choose one of the conference's rooms."))?,
            ),
        };
        let start = local_datetime(raw.start).ok_or_else(|| {
            err(
                "start",
                "Give the start as a date and time, e.g. 2015-09-28T09:00.",
            )
        })?;
        let end = local_datetime(raw.end).ok_or_else(|| {
            err(
                "end",
                "Give the end as a date and time, e.g. 2015-09-28T10:30.",
            )
        })?;
        if end <= start {
            return Err(err("end", "The session must end after it starts."));
        }
        let capacity = optional_count(raw.capacity, "capacity")?;
        let region = raw.region.split_whitespace().collect::<Vec<_>>().join(" ");
        let region = match kind {
            SessionKind::RegionalForum if region.is_empty() => {
                return Err(err("region", "Name the region this forum is for."))
            }
            SessionKind::RegionalForum if region.chars().count() > NAME_MAX => {
                return Err(err("region", "Keep the region under 120 characters."))
            }
            SessionKind::RegionalForum => Some(region),
            _ => None,
        };
        let chairs = names(raw.chairs);
        let speakers = names(raw.speakers);
        for (field, list) in [("chairs", &chairs), ("speakers", &speakers)] {
            if list.len() > PEOPLE_MAX {
                return Err(err(field, "List at most 40 people."));
            }
            if list.iter().any(|n| n.chars().count() > NAME_MAX) {
                return Err(err(field, "Keep each name under 120 characters."));
            }
        }
        Ok(SessionForm {
            kind,
            title,
            description,
            room_id,
            start,
            end,
            capacity,
            region,
            chairs,
            speakers,
        })
    }
}

/// A checked room form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomForm {
    pub name: String,
    pub capacity: i32,
}

impl RoomForm {
    pub fn parse(name: &str, capacity: &str) -> Result<RoomForm, FieldError> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(err("name", "Give the room a name."));
        }
        if name.chars().count() > NAME_MAX {
            return Err(err("name", "Keep the name under 120 characters."));
        }
        let capacity = optional_count(capacity, "capacity")?
            .ok_or_else(|| err("capacity", "Give the number of seats in the room."))?;
        Ok(RoomForm { name, capacity })
    }
}

/// A changelog line for a release.
pub fn changelog(text: &str) -> Result<String, FieldError> {
    let t = text.trim().replace("\r\n", "\n");
    if t.is_empty() {
        return Err(err(
            "changelog",
            "Say in a line or two what this release changes.",
        ));
    }
    if t.chars().count() > 2000 {
        return Err(err(
            "changelog",
            "Keep the changelog under 2000 characters.",
        ));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw() -> RawSession<'static> {
        RawSession {
            kind: "thematic_forum",
            title: "  Learning  cities ",
            description: "A *forum*.\r\n",
            room_id: "3",
            start: "2015-09-28T16:00",
            end: "2015-09-28T18:00",
            capacity: "60",
            region: "Europe",
            chairs: "Ana Pérez\nana pérez, Bo Li\n\n",
            speakers: "",
        }
    }

    #[test]
    fn a_good_form_is_cleaned() {
        let f = SessionForm::parse(&raw()).unwrap();
        assert_eq!(f.title, "Learning cities");
        assert_eq!(f.description, "A *forum*.");
        assert_eq!(f.room_id, Some(3));
        assert_eq!(f.capacity, Some(60));
        assert_eq!(f.region, None, "only regional fora have a region");
        assert_eq!(f.chairs, vec!["Ana Pérez", "Bo Li"]);
        assert!(f.speakers.is_empty());
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: [(RawSession<'static>, &str); 9] = [
            (
                RawSession {
                    kind: "party",
                    ..raw()
                },
                "kind",
            ),
            (
                RawSession {
                    title: "  ",
                    ..raw()
                },
                "title",
            ),
            (
                RawSession {
                    room_id: "x",
                    ..raw()
                },
                "room_id",
            ),
            (
                RawSession {
                    start: "2015-02-30T10:00",
                    ..raw()
                },
                "start",
            ),
            (
                RawSession {
                    end: "2015-09-28T24:00",
                    ..raw()
                },
                "end",
            ),
            (
                RawSession {
                    end: "2015-09-28T16:00",
                    ..raw()
                },
                "end",
            ),
            (
                RawSession {
                    capacity: "0",
                    ..raw()
                },
                "capacity",
            ),
            (
                RawSession {
                    capacity: "many",
                    ..raw()
                },
                "capacity",
            ),
            (
                RawSession {
                    kind: "regional_forum",
                    region: " ",
                    ..raw()
                },
                "region",
            ),
        ];
        for (r, field) in cases {
            assert_eq!(SessionForm::parse(&r).unwrap_err().field, field, "{r:?}");
        }
    }

    #[test]
    fn browser_seconds_are_accepted() {
        assert_eq!(
            local_datetime("2015-09-28T09:00:00").as_deref(),
            Some("2015-09-28T09:00")
        );
        assert_eq!(local_datetime("2015-09-28T09:00:30"), None);
        assert_eq!(local_datetime("2015-09-28"), None);
    }

    #[test]
    fn rooms_need_a_name_and_seats() {
        assert_eq!(
            RoomForm::parse(" Salón  A ", "120").unwrap(),
            RoomForm {
                name: "Salón A".into(),
                capacity: 120
            }
        );
        assert_eq!(RoomForm::parse("", "1").unwrap_err().field, "name");
        assert_eq!(RoomForm::parse("A", "").unwrap_err().field, "capacity");
        assert_eq!(changelog("  ").unwrap_err().field, "changelog");
    }

    proptest! {
        #[test]
        fn parsed_sessions_always_end_after_they_start(
            d1 in 1u32..29, h1 in 0u32..24, m1 in 0u32..60,
            d2 in 1u32..29, h2 in 0u32..24, m2 in 0u32..60,
        ) {
            let s = format!("2015-09-{d1:02}T{h1:02}:{m1:02}");
            let e = format!("2015-09-{d2:02}T{h2:02}:{m2:02}");
            let r = RawSession { start: &s, end: &e, ..raw() };
            match SessionForm::parse(&r) {
                Ok(f) => prop_assert!(f.end > f.start),
                Err(e) => {
                    prop_assert_eq!(e.field, "end");
                    prop_assert!((d2, h2, m2) <= (d1, h1, m1));
                }
            }
        }

        #[test]
        fn names_never_repeat_or_are_blank(text in "[a-cA-C ,\n]{0,40}") {
            let n = names(&text);
            for (i, a) in n.iter().enumerate() {
                prop_assert!(!a.trim().is_empty());
                prop_assert!(!n[i + 1..].iter().any(|b| b.to_lowercase() == a.to_lowercase()));
            }
        }
    }
}
