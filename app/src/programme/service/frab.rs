//! The released programme in the frab schedule format (the `schedule.xml` pentabarf began and
//! frab, pretalx and osem write; its JSON form), which conference apps (Giggity,
//! EventFahrplan), the c3voc video tools and signage read. Checked in the tests against the
//! published schemas (`server/tests/schemas/frab/`, from c3voc's `voc/schedule`, EUPL-1.2).
//!
//! Identifiers are stable across releases: an event's `guid` is a name-based UUID (version 5)
//! of the session's public address, a room's of the room's, so a client that stored one finds
//! it again in the next release. Times are in the conference's time zone with its offset, as
//! the programme's are.

use crate::programme::dto::{ProgrammeDto, SessionDto};
use chrono::{DateTime, FixedOffset};
use serde_json::{json, Value};
use uuid::Uuid;

/// The namespace of this product's name-based UUIDs (a UUID of its own, fixed forever).
const NAMESPACE: Uuid = Uuid::from_u128(0x6b0e_4f2a_9d3c_5e71_8a24_c1f0_93d5_7e68);

/// The generator named in the files.
const GENERATOR: &str = "plenary";

struct Event<'a> {
    s: &'a SessionDto,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    guid: Uuid,
    slug: String,
    url: String,
    track: &'a str,
    persons: Vec<&'a str>,
}

struct Room<'a> {
    name: &'a str,
    guid: Uuid,
    events: Vec<Event<'a>>,
}

struct Day<'a> {
    index: usize,
    date: &'a str,
    start: String,
    end: String,
    rooms: Vec<Room<'a>>,
}

/// What both forms say.
struct Schedule<'a> {
    p: &'a ProgrammeDto,
    acronym: String,
    version: String,
    base_url: String,
    days: Vec<Day<'a>>,
    /// Rooms in the programme's order (name, guid).
    rooms: Vec<(&'a str, Uuid)>,
    tracks: Vec<&'a str>,
}

/// `[a-z0-9_]` only, at least four characters: what both schemas accept as an acronym.
fn acronym(slug: &str) -> String {
    let mut a: String = slug
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while a.len() < 4 {
        a.push('_');
    }
    a
}

/// Lower-case ASCII letters and digits joined by single hyphens ("" for a title in another
/// script).
fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

fn hm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn build<'a>(p: &'a ProgrammeDto, public_url: &str) -> Schedule<'a> {
    let slug = &p.conference.slug;
    let base_url = format!("{public_url}/conferences/{slug}");
    let acronym = acronym(slug);
    let room_guid = |name: &str| {
        let id = p.rooms.iter().find(|r| r.name == name).map(|r| r.id.0);
        let key = match id {
            Some(id) => format!("{base_url}/rooms/{id}"),
            None => format!("{base_url}/rooms/{name}"),
        };
        Uuid::new_v5(&NAMESPACE, key.as_bytes())
    };
    // sessions without a room meet at the venue
    let venue = if p.conference.venue.trim().is_empty() {
        p.conference.city.as_str()
    } else {
        p.conference.venue.as_str()
    };
    let mut tracks: Vec<&str> = Vec::new();
    let mut days = Vec::new();
    for (k, day) in p.days.iter().enumerate() {
        let mut rooms: Vec<Room> = Vec::new();
        let mut bounds: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)> = None;
        for s in p.sessions.iter().filter(|s| s.day == day.date) {
            let (Ok(start), Ok(end)) = (
                DateTime::parse_from_rfc3339(&s.starts_at),
                DateTime::parse_from_rfc3339(&s.ends_at),
            ) else {
                continue;
            };
            bounds = Some(match bounds {
                None => (start, end),
                Some((a, b)) => (a.min(start), b.max(end)),
            });
            let room = s.room.as_deref().unwrap_or(venue);
            if !tracks.contains(&s.kind_label.as_str()) {
                tracks.push(&s.kind_label);
            }
            let url = format!("{base_url}/sessions/{}", s.id.0);
            let title = slugify(&s.title);
            let event = Event {
                s,
                start,
                end,
                guid: Uuid::new_v5(&NAMESPACE, url.as_bytes()),
                slug: if title.is_empty() {
                    format!("{acronym}-{:04}", s.id.0)
                } else {
                    format!("{acronym}-{:04}-{title}", s.id.0)
                },
                url,
                track: &s.kind_label,
                persons: s
                    .chairs
                    .iter()
                    .chain(s.speakers.iter())
                    .map(String::as_str)
                    .collect(),
            };
            match rooms.iter_mut().find(|r| r.name == room) {
                Some(r) => r.events.push(event),
                None => rooms.push(Room {
                    name: room,
                    guid: room_guid(room),
                    events: vec![event],
                }),
            }
        }
        // rooms in the programme's order, the venue last
        let order = |name: &str| {
            p.rooms
                .iter()
                .position(|r| r.name == name)
                .unwrap_or(usize::MAX)
        };
        rooms.sort_by_key(|r| order(r.name));
        for r in &mut rooms {
            r.events.sort_by_key(|e| (e.start, e.s.id.0));
        }
        let (start, end) = match bounds {
            Some((a, b)) => (a.to_rfc3339(), b.to_rfc3339()),
            None => {
                let offset = p
                    .sessions
                    .first()
                    .and_then(|s| s.starts_at.get(19..))
                    .unwrap_or("Z");
                (
                    format!("{}T00:00:00{offset}", day.date),
                    format!("{}T23:59:00{offset}", day.date),
                )
            }
        };
        days.push(Day {
            index: k + 1,
            date: &day.date,
            start,
            end,
            rooms,
        });
    }
    let mut rooms: Vec<(&str, Uuid)> = p
        .rooms
        .iter()
        .map(|r| (r.name.as_str(), room_guid(&r.name)))
        .collect();
    if days
        .iter()
        .flat_map(|d| d.rooms.iter())
        .any(|r| r.name == venue)
        && !rooms.iter().any(|(n, _)| *n == venue)
    {
        rooms.push((venue, room_guid(venue)));
    }
    Schedule {
        p,
        acronym,
        version: p.release.as_ref().map_or_else(
            || "unreleased".to_owned(),
            |r| format!("release {}", r.number),
        ),
        base_url,
        days,
        rooms,
        tracks,
    }
}

/// Text as XML character data or an attribute value: markup characters escaped, and the
/// characters XML 1.0 does not allow dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The programme as `schedule.xml`.
pub fn schedule_xml(p: &ProgrammeDto, public_url: &str) -> String {
    use std::fmt::Write;
    let sc = build(p, public_url);
    let c = &sc.p.conference;
    let mut o = String::new();
    // writing to a String cannot fail
    let _ = writeln!(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(o, "<schedule>");
    let _ = writeln!(
        o,
        "  <generator name=\"{GENERATOR}\" version=\"{}\"/>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        o,
        "  <url>{}</url>",
        xml(&format!("{}/schedule.xml", sc.base_url))
    );
    let _ = writeln!(o, "  <version>{}</version>", xml(&sc.version));
    let _ = writeln!(o, "  <conference>");
    let _ = writeln!(o, "    <acronym>{}</acronym>", sc.acronym);
    let _ = writeln!(o, "    <title>{}</title>", xml(&c.title));
    let _ = writeln!(o, "    <start>{}</start>", xml(&c.start_date));
    let _ = writeln!(o, "    <end>{}</end>", xml(&c.end_date));
    let _ = writeln!(o, "    <days>{}</days>", sc.days.len());
    let _ = writeln!(o, "    <timeslot_duration>00:15</timeslot_duration>");
    let _ = writeln!(o, "    <base_url>{}/</base_url>", xml(&sc.base_url));
    let _ = writeln!(o, "    <url>{}</url>", xml(&sc.base_url));
    let _ = writeln!(
        o,
        "    <time_zone_name>{}</time_zone_name>",
        xml(&c.timezone)
    );
    for t in &sc.tracks {
        let _ = writeln!(o, "    <track name=\"{}\"/>", xml(t));
    }
    let _ = writeln!(o, "  </conference>");
    for d in &sc.days {
        let _ = writeln!(
            o,
            "  <day index=\"{}\" date=\"{}\" start=\"{}\" end=\"{}\">",
            d.index,
            xml(d.date),
            xml(&d.start),
            xml(&d.end)
        );
        for r in &d.rooms {
            let _ = writeln!(o, "    <room name=\"{}\" guid=\"{}\">", xml(r.name), r.guid);
            for e in &r.events {
                let s = e.s;
                let minutes = (e.end - e.start).num_minutes().max(0);
                let _ = writeln!(o, "      <event id=\"{}\" guid=\"{}\">", s.id.0, e.guid);
                let _ = writeln!(o, "        <room>{}</room>", xml(r.name));
                let _ = writeln!(o, "        <title>{}</title>", xml(&s.title));
                let _ = writeln!(o, "        <subtitle></subtitle>");
                let _ = writeln!(o, "        <type>{}</type>", xml(&s.kind_label));
                let _ = writeln!(o, "        <date>{}</date>", e.start.to_rfc3339());
                let _ = writeln!(o, "        <start>{}</start>", e.start.format("%H:%M"));
                let _ = writeln!(o, "        <duration>{}</duration>", hm(minutes));
                let _ = writeln!(o, "        <abstract>{}</abstract>", xml(&s.description));
                let _ = writeln!(o, "        <slug>{}</slug>", xml(&e.slug));
                let _ = writeln!(o, "        <track>{}</track>", xml(e.track));
                let _ = writeln!(o, "        <persons>");
                for name in &e.persons {
                    let _ = writeln!(o, "          <person>{}</person>", xml(name));
                }
                let _ = writeln!(o, "        </persons>");
                let _ = writeln!(o, "        <language>en</language>");
                let _ = writeln!(
                    o,
                    "        <description>{}</description>",
                    xml(&s.description)
                );
                let _ = writeln!(o, "        <links></links>");
                let _ = writeln!(o, "        <attachments></attachments>");
                let _ = writeln!(o, "        <url>{}</url>", xml(&e.url));
                let _ = writeln!(o, "      </event>");
            }
            let _ = writeln!(o, "    </room>");
        }
        let _ = writeln!(o, "  </day>");
    }
    let _ = writeln!(o, "</schedule>");
    o
}

/// The programme as `schedule.json` (the c3voc JSON schema's form of the same schedule).
pub fn schedule_json(p: &ProgrammeDto, public_url: &str) -> Value {
    let sc = build(p, public_url);
    let c = &sc.p.conference;
    let days: Vec<Value> = sc
        .days
        .iter()
        .map(|d| {
            let mut rooms = serde_json::Map::new();
            for r in &d.rooms {
                let events: Vec<Value> = r
                    .events
                    .iter()
                    .map(|e| {
                        let s = e.s;
                        json!({
                            "guid": e.guid.to_string(),
                            "id": s.id.0,
                            "date": e.start.to_rfc3339(),
                            "start": e.start.format("%H:%M").to_string(),
                            "end": e.end.to_rfc3339(),
                            "duration": hm((e.end - e.start).num_minutes().max(0)),
                            "room": r.name,
                            "slug": e.slug,
                            "url": e.url,
                            "title": s.title,
                            "subtitle": "",
                            "track": e.track,
                            "type": s.kind_label,
                            "language": "en",
                            "abstract": s.description,
                            "description": s.description,
                            "persons": e.persons.iter().map(|n| json!({ "name": n })).collect::<Vec<_>>(),
                            "links": [],
                            "attachments": [],
                        })
                    })
                    .collect();
                rooms.insert(r.name.to_owned(), Value::Array(events));
            }
            json!({
                "index": d.index,
                "date": d.date,
                "day_start": d.start,
                "day_end": d.end,
                "rooms": rooms,
            })
        })
        .collect();
    json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": { "name": GENERATOR, "version": env!("CARGO_PKG_VERSION") },
        "schedule": {
            "version": sc.version,
            "base_url": format!("{}/", sc.base_url),
            "conference": {
                "acronym": sc.acronym,
                "title": c.title,
                "start": c.start_date,
                "end": c.end_date,
                "daysCount": sc.days.len(),
                "timeslot_duration": "00:15",
                "time_zone_name": c.timezone,
                "url": sc.base_url,
                "tracks": sc.tracks.iter().map(|t| json!({ "name": t })).collect::<Vec<_>>(),
                "rooms": sc.rooms.iter().map(|(n, g)| json!({ "name": n, "guid": g.to_string() })).collect::<Vec<_>>(),
                "days": days,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_and_slugs_keep_to_the_schemas_alphabet() {
        assert_eq!(acronym("mexico-city-2015"), "mexico_city_2015");
        assert_eq!(acronym("ab"), "ab__");
        assert_eq!(
            slugify("Forum on libraries: “open” — to all!"),
            "forum-on-libraries-open-to-all"
        );
        assert_eq!(slugify("منتدى"), "");
        assert_eq!(hm(90), "01:30");
    }

    #[test]
    fn xml_text_is_escaped_and_keeps_to_xml_1_0() {
        assert_eq!(
            xml("a<b>&\"'\u{0}\u{7}c\n"),
            "a&lt;b&gt;&amp;&quot;&apos;c\n"
        );
    }
}
