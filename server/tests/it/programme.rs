//! The organisers' programme over HTTP, on both engines: forms with their validation, clashes
//! shown before saving and refused without an acknowledgement, stale forms refused, releases
//! with their changes, and visitors seeing only what was released (pages, API, calendars).

use crate::common;
use app::dto::*;
use app::programme::dto::*;
use app::public::dto::*;
use common::{fingerprint, logged_in, App, Browser};
use db::testing::TestDb;
use domain::ids::{ConferenceId, SessionId};
use std::time::Duration;

const SLUG: &str = "mexico-city-2015";

/// A forum form at the given local times, in the given room.
fn forum<'a>(
    title: &'a str,
    room: &'a str,
    start: &'a str,
    end: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", SLUG),
        ("kind", "thematic_forum"),
        ("title", title),
        ("description", "A forum *added* by the organiser."),
        ("room_id", room),
        ("start", start),
        ("end", end),
        ("capacity", "50"),
        ("region", ""),
        ("chairs", "Ana Pérez"),
        ("speakers", ""),
    ]
}

/// Change one field of a form.
fn set<'a>(form: &mut [(&'a str, &'a str)], key: &str, value: &'a str) {
    for f in form.iter_mut() {
        if f.0 == key {
            f.1 = value;
        }
    }
}

async fn get_text(b: &Browser, path: &str) -> (u16, String) {
    let (status, _, text) = b.get(path).await;
    (status, text)
}

#[tokio::test]
async fn organisers_schedule_see_clashes_and_release() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let organiser = logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let jonas = logged_in(&app, "jonas@example.org", "demo-delegate").await;
        let visitor = app.browser();

        // the demo programme is released once, and clash-free
        let manage: ManageDto = organiser
            .ok("get_manage_programme", &[("slug", SLUG)])
            .await;
        assert_eq!(manage.latest_release.as_ref().map(|r| r.number), Some(1));
        assert!(manage.clashes.is_empty(), "{:?}", manage.clashes);
        assert!(manage.pending.is_empty());
        let room = manage
            .rooms
            .iter()
            .find(|r| r.name == "Sala Tlatelolco")
            .unwrap();
        let room_id = room.id.to_string();
        let plenary = manage
            .sessions
            .iter()
            .find(|s| s.session.title.starts_with("Plenary 1"))
            .unwrap()
            .session
            .id;

        // a room: validation next to the field, then saved
        let e = organiser
            .fails(
                "save_room",
                &[("slug", SLUG), ("name", "  "), ("capacity", "30")],
                422,
            )
            .await;
        assert_eq!(e["field"], "name");
        let e = organiser
            .fails(
                "save_room",
                &[("slug", SLUG), ("name", "Plenary Hall"), ("capacity", "30")],
                422,
            )
            .await;
        assert_eq!(e["field"], "name", "{e}");
        let annex: ManagedRoomDto = organiser
            .ok(
                "save_room",
                &[("slug", SLUG), ("name", "Annex"), ("capacity", "80")],
            )
            .await;
        assert_eq!(annex.capacity, 80);
        // two organisers change the room from one page: the second, stale, form is refused
        let annex_id = annex.id.to_string();
        let resized: ManagedRoomDto = organiser
            .ok(
                "save_room",
                &[
                    ("slug", SLUG),
                    ("id", &annex_id),
                    ("revision", "0"),
                    ("name", "Annex"),
                    ("capacity", "90"),
                ],
            )
            .await;
        assert_eq!((resized.capacity, resized.revision), (90, 1));
        let before = fingerprint(&t.db).await;
        let e = organiser
            .fails(
                "save_room",
                &[
                    ("slug", SLUG),
                    ("id", &annex_id),
                    ("revision", "0"),
                    ("name", "Annexe"),
                    ("capacity", "80"),
                ],
                409,
            )
            .await;
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("Someone else changed “Annex”"),
            "{e}"
        );
        let e = organiser
            .fails(
                "save_room",
                &[
                    ("slug", SLUG),
                    ("id", &annex_id),
                    ("name", "Annexe"),
                    ("capacity", "80"),
                ],
                422,
            )
            .await;
        assert_eq!(e["field"], "revision");
        assert_eq!(fingerprint(&t.db).await, before);
        let manage: ManageDto = organiser
            .ok("get_manage_programme", &[("slug", SLUG)])
            .await;
        let now = manage.rooms.iter().find(|r| r.id == annex.id).unwrap();
        assert_eq!(
            (now.name.as_str(), now.capacity, now.revision),
            ("Annex", 90, 1)
        );

        // bad session forms: 422 on the field, nothing changed
        let before = fingerprint(&t.db).await;
        for (key, value, field) in [
            ("title", "", "title"),
            ("start", "2015-09-28", "start"),
            ("end", "2015-09-28T10:00", "end"),
            ("kind", "party", "kind"),
            ("capacity", "lots", "capacity"),
            ("room_id", "999999", "room_id"),
        ] {
            let mut form = forum("Forum", &room_id, "2015-09-28T11:00", "2015-09-28T12:00");
            set(&mut form, key, value);
            let e = organiser.fails("save_session", &form, 422).await;
            assert_eq!(e["field"], field, "{key}={value}: {e}");
        }
        assert_eq!(fingerprint(&t.db).await, before);

        // a forum during Plenary 1 (11:00–12:30): the clash is shown before saving…
        let form = forum(
            "Forum on libraries",
            &room_id,
            "2015-09-28T11:00",
            "2015-09-28T12:00",
        );
        let clashes: Vec<ClashDto> = organiser.ok("check_session", &form).await;
        assert_eq!(clashes.len(), 1, "{clashes:?}");
        assert_eq!(clashes[0].rule, "plenary");
        assert!(
            clashes[0].message.contains("Plenary 1"),
            "{}",
            clashes[0].message
        );
        assert!(clashes[0].sessions.contains(&plenary));
        assert_eq!(fingerprint(&t.db).await, before, "checking saves nothing");
        // …refused without an acknowledgement, nothing saved…
        let e = organiser.fails("save_session", &form, 409).await;
        assert_eq!(e["field"], "acknowledge");
        assert!(e["message"].as_str().unwrap().contains("Plenary 1"));
        assert_eq!(fingerprint(&t.db).await, before);
        // …and saved with one
        let mut ack = form.clone();
        ack.push(("acknowledge", "on"));
        let saved: SessionSavedDto = organiser.ok("save_session", &ack).await;
        assert_eq!(saved.clashes.len(), 1);
        assert!(saved.clashes[0].acknowledged);
        let id = saved.id.to_string();

        // conference time: 11:00 in Mexico City is 16:00 UTC
        let conf = db::queries::conference_by_slug(&t.db, SLUG)
            .await
            .unwrap()
            .unwrap();
        let row = db::queries::session_in(&t.db, ConferenceId(conf.id), SessionId(saved.id.0))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.starts_at.to_rfc3339(), "2015-09-28T16:00:00+00:00");

        // not released: visitors and delegates do not see it; the organiser does
        let p: ProgrammeDto = visitor.ok("get_programme", &[("slug", SLUG)]).await;
        assert!(!p.sessions.iter().any(|s| s.id == saved.id));
        visitor
            .fails("get_session", &[("slug", SLUG), ("id", &id)], 404)
            .await;
        jonas
            .fails("get_session", &[("slug", SLUG), ("id", &id)], 404)
            .await;
        let mine: SessionPageDto = organiser
            .ok("get_session", &[("slug", SLUG), ("id", &id)])
            .await;
        assert!(!mine.released);
        let (status, _) = get_text(
            &visitor,
            &format!("/conferences/{SLUG}/sessions/{id}/session.ics"),
        )
        .await;
        assert_eq!(status, 404);

        // move it out of the plenary: a stale form is refused, the current one saves
        let mut moved = forum(
            "Forum on libraries",
            &room_id,
            "2015-09-28T16:00",
            "2015-09-28T17:30",
        );
        moved.push(("id", &id));
        moved.push(("revision", "7"));
        let before = fingerprint(&t.db).await;
        organiser.fails("save_session", &moved, 409).await;
        assert_eq!(fingerprint(&t.db).await, before);
        let rev = saved.revision.to_string();
        moved.pop();
        moved.push(("revision", &rev));
        let clashes: Vec<ClashDto> = organiser.ok("check_session", &moved).await;
        assert!(clashes.is_empty(), "{clashes:?}");
        let again: SessionSavedDto = organiser.ok("save_session", &moved).await;
        assert!(again.revision > saved.revision);
        assert!(again.clashes.is_empty());

        // fewer seats, a waiting list; more seats in the form go to the people waiting
        let seat = [("slug", SLUG), ("session_id", id.as_str())];
        organiser
            .ok::<Notice>(
                "set_session_capacity",
                &[("slug", SLUG), ("session_id", &id), ("capacity", "1")],
            )
            .await;
        let trine = logged_in(&app, "trine@example.org", "demo-delegate").await;
        jonas.ok::<Notice>("sign_up_for_session", &seat).await;
        trine.ok::<Notice>("sign_up_for_session", &seat).await;
        // the form opened before the seats changed is stale now
        let stale_form = moved.clone();
        organiser.fails("save_session", &stale_form, 409).await;
        let form: SessionFormDto = organiser
            .ok("get_session_form", &[("slug", SLUG), ("id", &id)])
            .await;
        assert_eq!(form.capacity, Some(1));
        assert_eq!(form.chairs, "Ana Pérez");
        let rev = form.revision.to_string();
        let mut more = forum(
            "Forum on libraries",
            &room_id,
            "2015-09-28T16:00",
            "2015-09-28T17:30",
        );
        set(&mut more, "capacity", "2");
        more.push(("id", &id));
        more.push(("revision", &rev));
        let again: SessionSavedDto = organiser.ok("save_session", &more).await;
        assert!(
            again
                .message
                .contains("1 person moved from the waiting list"),
            "{}",
            again.message
        );
        let seats: serde_json::Value = trine.ok("get_seats", &seat).await;
        assert_eq!(seats["my_seat"], "confirmed");

        // a room booked twice is a clash that holds up the release until acknowledged
        let manage: ManageDto = organiser
            .ok("get_manage_programme", &[("slug", SLUG)])
            .await;
        let side = manage
            .sessions
            .iter()
            .find(|s| s.session.kind.as_str() == "side_event")
            .unwrap();
        let side_room = side.session.room_id.unwrap().to_string();
        let second = forum(
            "Forum on museums",
            &side_room,
            "2015-09-29T16:30",
            "2015-09-29T17:30",
        );
        let mut second_ack = second.clone();
        second_ack.push(("acknowledge", "on"));
        let museums: SessionSavedDto = organiser.ok("save_session", &second_ack).await;
        assert_eq!(museums.clashes[0].rule, "room", "{:?}", museums.clashes);
        // an acknowledged clash stays listed, but no longer blocks
        let manage: ManageDto = organiser
            .ok("get_manage_programme", &[("slug", SLUG)])
            .await;
        assert_eq!(manage.open_clashes, 0);
        assert_eq!(manage.clashes.len(), 1);
        assert_eq!(manage.pending.len(), 2, "{:?}", manage.pending);

        // a person in two places at once: the chair of both new fora, made to overlap (and the
        // museums forum taken out of its room) behind the form's back, is an open clash
        let mut s = db::queries::session_in(&t.db, ConferenceId(conf.id), SessionId(museums.id.0))
            .await
            .unwrap()
            .unwrap();
        {
            use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
            let lib = db::queries::session_in(&t.db, ConferenceId(conf.id), SessionId(saved.id.0))
                .await
                .unwrap()
                .unwrap();
            s.starts_at = lib.starts_at;
            s.ends_at = lib.ends_at;
            let mut a = s.clone().into_active_model();
            a.starts_at = Set(lib.starts_at);
            a.ends_at = Set(lib.ends_at);
            a.room_id = Set(None);
            a.update(&t.db).await.unwrap();
        }
        let manage: ManageDto = organiser
            .ok("get_manage_programme", &[("slug", SLUG)])
            .await;
        let open: Vec<&ClashDto> = manage.clashes.iter().filter(|c| !c.acknowledged).collect();
        assert_eq!(open.len(), 1, "{:?}", manage.clashes);
        assert_eq!(open[0].rule, "person");
        assert!(open[0].message.contains("Ana Pérez"), "{}", open[0].message);
        let before = fingerprint(&t.db).await;
        let e = organiser
            .fails(
                "release_programme",
                &[("slug", SLUG), ("changelog", "New fora")],
                409,
            )
            .await;
        assert!(e["message"].as_str().unwrap().contains("clash"), "{e}");
        assert_eq!(fingerprint(&t.db).await, before);
        let key = open[0].key.clone();
        organiser
            .ok::<Notice>("acknowledge_clash", &[("slug", SLUG), ("key", &key)])
            .await;
        organiser
            .fails(
                "acknowledge_clash",
                &[("slug", SLUG), ("key", "room:1:2:3")],
                404,
            )
            .await;

        // the release needs a changelog, then goes out as version 2 with its changes
        let e = organiser
            .fails(
                "release_programme",
                &[("slug", SLUG), ("changelog", " ")],
                422,
            )
            .await;
        assert_eq!(e["field"], "changelog");
        let r: ReleaseDto = organiser
            .ok(
                "release_programme",
                &[("slug", SLUG), ("changelog", "Two new fora.")],
            )
            .await;
        assert_eq!(r.summary.number, 2);
        assert_eq!(r.summary.changelog, "Two new fora.");
        let added: Vec<&str> = r
            .changes
            .iter()
            .filter(|c| c.change.as_str() == "added")
            .map(|c| c.title.as_str())
            .collect();
        assert_eq!(added.len(), 2, "{:?}", r.changes);
        assert!(added.contains(&"Forum on libraries"));
        // nothing left to release
        organiser
            .fails(
                "release_programme",
                &[("slug", SLUG), ("changelog", "Again")],
                409,
            )
            .await;

        // now everyone sees it
        let p: ProgrammeDto = visitor.ok("get_programme", &[("slug", SLUG)]).await;
        let lib = p.sessions.iter().find(|s| s.id == saved.id).unwrap();
        assert_eq!(lib.starts_at, "2015-09-28T16:00:00-05:00");
        assert_eq!(lib.chairs, vec!["Ana Pérez"]);
        assert_eq!(p.release.as_ref().map(|r| r.number), Some(2));
        let ics1 = get_text(
            &visitor,
            &format!("/conferences/{SLUG}/sessions/{id}/session.ics"),
        )
        .await;
        assert_eq!(ics1.0, 200);
        assert!(ics1.1.contains("SEQUENCE:0"), "{}", ics1.1);

        // retime and move it; release 3 says so, and the calendar's SEQUENCE goes up
        let annex_id = annex.id.to_string();
        let rev = (again.revision).to_string();
        let mut later = forum(
            "Forum on libraries",
            &annex_id,
            "2015-09-28T18:00",
            "2015-09-28T19:00",
        );
        set(&mut later, "capacity", "2");
        later.push(("id", &id));
        later.push(("revision", &rev));
        organiser
            .ok::<SessionSavedDto>("save_session", &later)
            .await;
        // before the release, the visitor still sees the old time
        let p: ProgrammeDto = visitor.ok("get_programme", &[("slug", SLUG)]).await;
        let lib = p.sessions.iter().find(|s| s.id == saved.id).unwrap();
        assert_eq!(lib.starts_at, "2015-09-28T16:00:00-05:00");
        let r: ReleaseDto = organiser
            .ok(
                "release_programme",
                &[
                    ("slug", SLUG),
                    (
                        "changelog",
                        "The libraries forum moves to the Annex at 18:00.",
                    ),
                ],
            )
            .await;
        let kinds: Vec<&str> = r.changes.iter().map(|c| c.change.as_str()).collect();
        assert_eq!(kinds, vec!["retimed", "moved"], "{:?}", r.changes);
        assert!(
            r.changes[0].detail.contains("16:00–17:30"),
            "{}",
            r.changes[0].detail
        );
        assert!(
            r.changes[0].detail.contains("18:00–19:00"),
            "{}",
            r.changes[0].detail
        );
        assert!(
            r.changes[1].detail.contains("to Annex"),
            "{}",
            r.changes[1].detail
        );
        let ics = get_text(
            &visitor,
            &format!("/conferences/{SLUG}/sessions/{id}/session.ics"),
        )
        .await;
        assert!(ics.1.contains("SEQUENCE:1"), "{}", ics.1);
        assert!(
            ics.1.contains("20150928T230000Z"),
            "18:00 in Mexico City: {}",
            ics.1
        );

        // the programme calendar, read by a real parser: one event per released session,
        // stable UIDs, the retimed forum at 18:00 Mexico City time with SEQUENCE 1
        let (status, ics) = get_text(&visitor, &format!("/conferences/{SLUG}/programme.ics")).await;
        assert_eq!(status, 200);
        let unfolded = icalendar::parser::unfold(&ics);
        let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
        let events: Vec<_> = cal
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .collect();
        let p: ProgrammeDto = visitor.ok("get_programme", &[("slug", SLUG)]).await;
        assert_eq!(events.len(), p.sessions.len());
        let prop = |c: &icalendar::parser::Component<'_>, n: &str| {
            c.properties
                .iter()
                .find(|p| p.name == n)
                .map(|p| p.val.to_string())
                .unwrap_or_default()
        };
        let lib_event = events
            .iter()
            .find(|e| prop(e, "SUMMARY") == "Forum on libraries")
            .expect("the forum is in the calendar");
        assert_eq!(prop(lib_event, "DTSTART"), "20150928T230000Z");
        assert_eq!(prop(lib_event, "SEQUENCE"), "1");
        assert_eq!(prop(lib_event, "LOCATION"), "Annex");
        assert!(prop(lib_event, "UID").starts_with(&format!("session-{id}@")));
        let opening = events
            .iter()
            .find(|e| prop(e, "SUMMARY") == "Opening ceremony")
            .unwrap();
        assert_eq!(prop(opening, "DTSTART"), "20150928T140000Z", "09:00 CDT");
        assert_eq!(prop(opening, "SEQUENCE"), "0");

        // the JSON API, filtered by kind
        let api = |q: &str| {
            let url = format!("{}/api/v1/conferences/{SLUG}/programme{q}", visitor.base);
            let http = visitor.http.clone();
            async move {
                let r = http.get(url).send().await.unwrap();
                (
                    r.status().as_u16(),
                    r.json::<serde_json::Value>().await.unwrap(),
                )
            }
        };
        let (status, fora) = api("?kind=thematic_forum").await;
        assert_eq!(status, 200);
        let fora = fora["sessions"].as_array().unwrap().clone();
        assert_eq!(fora.len(), 6, "four demo fora and the two new ones");
        assert!(fora.iter().all(|s| s["kind"] == "thematic_forum"));
        let (_, two) = api("?kind=plenary,ceremony").await;
        assert_eq!(two["sessions"].as_array().unwrap().len(), 6);
        let (status, bad) = api("?kind=party").await;
        assert_eq!(status, 422);
        assert!(bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("thematic_forum"));

        // the organisers' CSV: the working programme with seats taken; refused to others
        let (status, csv) =
            get_text(&organiser, &format!("/conferences/{SLUG}/programme.csv")).await;
        assert_eq!(status, 200);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let head = r.headers().unwrap().clone();
        assert_eq!(&head[2], "title");
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        let lib_row = rows.iter().find(|x| &x[2] == "Forum on libraries").unwrap();
        assert_eq!(
            (&lib_row[3], &lib_row[4], &lib_row[7]),
            ("2015-09-28", "18:00", "Annex")
        );
        assert_eq!(
            get_text(&jonas, &format!("/conferences/{SLUG}/programme.csv"))
                .await
                .0,
            403
        );
        assert_eq!(
            get_text(&visitor, &format!("/conferences/{SLUG}/programme.csv"))
                .await
                .0,
            401
        );

        // the organisers' pages render on the server (no JavaScript needed to read them)
        for path in [
            format!("/conferences/{SLUG}/programme/manage"),
            format!("/conferences/{SLUG}/programme/clashes"),
            format!("/conferences/{SLUG}/programme/sessions/new"),
            format!("/conferences/{SLUG}/programme/sessions/{id}/edit"),
        ] {
            let (status, page) = get_text(&organiser, &path).await;
            assert_eq!(status, 200, "{path}");
            assert!(
                page.contains("Forum on libraries") || path.ends_with("/new"),
                "{path}"
            );
        }
        // a new session's form has nothing to check yet, and says so
        let (_, page) = get_text(
            &organiser,
            &format!("/conferences/{SLUG}/programme/sessions/new"),
        )
        .await;
        assert!(
            page.contains("Not checked yet: fill in the form and the clashes show here."),
            "the new form's clash panel"
        );
        let (status, page) = get_text(
            &organiser,
            &format!("/conferences/{SLUG}/programme/sessions/{id}/edit"),
        )
        .await;
        assert_eq!(status, 200);
        assert!(page.contains("Save the session"));
        assert!(
            page.contains("value=\"2015-09-28T18:00\""),
            "the start in conference time"
        );
        let (status, _) = get_text(&jonas, &format!("/conferences/{SLUG}/programme/manage")).await;
        assert_eq!(status, 403);
        let (status, page) =
            get_text(&visitor, &format!("/conferences/{SLUG}/programme/changes")).await;
        assert_eq!(status, 200);
        assert!(page.contains("The libraries forum moves to the Annex at 18:00."));
        let (status, page) = get_text(
            &visitor,
            &format!("/conferences/{SLUG}/programme?kind=thematic_forum&tz=Asia/Tokyo"),
        )
        .await;
        assert_eq!(status, 200);
        assert!(page.contains("Times are in Asia/Tokyo"));
        // filtered on the server: no card for a plenary (its data still travels for hydration)
        assert!(page.contains("aria-label=\"Forum on libraries\""));
        assert!(!page.contains("aria-label=\"Plenary 1: Working strategies"));

        // "what changed" is public: newest first
        let all: ReleasesDto = visitor.ok("get_releases", &[("slug", SLUG)]).await;
        let numbers: Vec<i32> = all.releases.iter().map(|r| r.summary.number).collect();
        assert_eq!(numbers, vec![3, 2, 1]);

        // a room in use cannot be deleted; a session with people signed up cannot either
        let e = organiser
            .fails("delete_room", &[("slug", SLUG), ("id", &annex_id)], 409)
            .await;
        assert!(e["message"].as_str().unwrap().contains("Move"), "{e}");
        let museums_id = museums.id.to_string();
        let rev = db::queries::session_in(&t.db, ConferenceId(conf.id), SessionId(museums.id.0))
            .await
            .unwrap()
            .unwrap()
            .revision
            .to_string();
        organiser
            .ok::<Notice>(
                "delete_session",
                &[("slug", SLUG), ("id", &museums_id), ("revision", &rev)],
            )
            .await;
        let manage: ManageDto = organiser
            .ok("get_manage_programme", &[("slug", SLUG)])
            .await;
        assert_eq!(manage.pending.len(), 1);
        assert_eq!(manage.pending[0].change.as_str(), "removed");
    }
}

/// The organiser adds a room "Annex" and a "Forum on libraries" in it (not released), without
/// a clash.
async fn add_forum_on_libraries(organiser: &Browser) {
    let annex: ManagedRoomDto = organiser
        .ok(
            "save_room",
            &[("slug", SLUG), ("name", "Annex"), ("capacity", "80")],
        )
        .await;
    let annex_id = annex.id.to_string();
    let form = forum(
        "Forum on libraries",
        &annex_id,
        "2015-09-28T16:00",
        "2015-09-28T17:30",
    );
    let saved: SessionSavedDto = organiser.ok("save_session", &form).await;
    assert!(saved.clashes.is_empty(), "{:?}", saved.clashes);
}

/// A page, as a visitor gets it: status, the `x-page-cache` header (empty if none), body.
async fn page(b: &Browser, path: &str) -> (u16, String, String) {
    let (status, headers, text) = b.get(path).await;
    let cache = headers
        .get(server::page_cache::HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, cache, text)
}

/// Visitors' programme pages are rendered once per release and address, then sent from memory;
/// two server instances on one database both see a new release (or a changed conference) at
/// once, unreleased edits never show, and logged-in people always get their own page.
#[tokio::test]
async fn visitors_pages_are_kept_until_the_next_release() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let a = App::start(&t.db).await;
        let b = App::start(&t.db).await;
        let (on_a, on_b) = (a.browser(), b.browser());
        let path = format!("/conferences/{SLUG}/programme");

        let (status, cache, first) = page(&on_a, &path).await;
        assert_eq!((status, cache.as_str()), (200, "miss"));
        assert!(first.contains("Version 1, released"));
        assert!(!first.contains("Manage the programme"));
        let (status, cache, again) = page(&on_a, &path).await;
        assert_eq!((status, cache.as_str()), (200, "hit"));
        assert_eq!(again, first, "the kept page is the rendered one");
        // each instance keeps its own
        assert_eq!(page(&on_b, &path).await.1, "miss");
        assert_eq!(page(&on_b, &path).await.1, "hit");
        // each address is its own page: a filtered one is filtered
        let plenaries = format!("{path}?kind=plenary");
        let (_, cache, filtered) = page(&on_a, &plenaries).await;
        assert_eq!(cache, "miss");
        assert!(filtered.contains("Showing "), "a filtered page says so");
        assert_ne!(filtered, first);
        assert_eq!(page(&on_a, &plenaries).await.2, filtered);
        // no such conference: 404, nothing kept
        let (status, cache, _) = page(&on_a, "/conferences/nowhere/programme").await;
        assert_eq!((status, cache.as_str()), (404, ""));

        // the organiser is logged in: rendered for them, never from or into the cache
        let organiser = logged_in(&a, "organiser@example.org", "demo-organiser").await;
        let (status, cache, own) = page(&organiser, &path).await;
        assert_eq!((status, cache.as_str()), (200, ""));
        assert!(own.contains("Manage the programme"));
        assert_eq!(page(&on_a, &path).await.2, first);

        // an edit that is not released changes nothing visitors see
        add_forum_on_libraries(&organiser).await;
        let (_, cache, body) = page(&on_a, &path).await;
        assert_eq!(cache, "hit");
        assert!(!body.contains("Forum on libraries"));

        // released through instance A: both instances render the new version at once
        let r: ReleaseDto = organiser
            .ok(
                "release_programme",
                &[("slug", SLUG), ("changelog", "A forum on libraries.")],
            )
            .await;
        assert_eq!(r.summary.number, 2);
        for visitor in [&on_b, &on_a] {
            let (status, cache, body) = page(visitor, &path).await;
            assert_eq!((status, cache.as_str()), (200, "miss"));
            assert!(body.contains("Version 2, released"));
            assert!(body.contains("Forum on libraries"));
            assert_eq!(page(visitor, &path).await.1, "hit");
        }
        let (_, cache, filtered_now) = page(&on_a, &plenaries).await;
        assert_eq!(
            cache, "miss",
            "every address of the old release is outdated"
        );
        assert!(filtered_now.contains("Version 2, released"));

        // the conference's own row changes (its title): rendered again
        {
            use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
            let conf = db::queries::conference_by_slug(&t.db, SLUG)
                .await
                .unwrap()
                .unwrap();
            let mut c = conf.into_active_model();
            c.title = Set("Renamed conference".into());
            c.update(&t.db).await.unwrap();
        }
        // a change that announces no event shows once the kept copy is confirmed again
        tokio::time::sleep(server::page_cache::CONFIRM_EVERY + Duration::from_millis(100)).await;
        let (_, cache, body) = page(&on_b, &path).await;
        assert_eq!(cache, "miss");
        assert!(body.contains("Renamed conference"));
    }
}

/// One raw GET with the given request headers: status, response headers, body bytes.
async fn raw(
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = reqwest::Client::new().get(format!("{base}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.expect("GET");
    let status = r.status().as_u16();
    let h = r.headers().clone();
    (status, h, r.bytes().await.expect("body").to_vec())
}

fn brotli_text(b: &[u8]) -> String {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &b[..], &mut out).expect("a brotli body");
    String::from_utf8(out).expect("UTF-8")
}

fn gzip_text(b: &[u8]) -> String {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(b), &mut s)
        .expect("a gzip body");
    s
}

const DESK: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36";

/// The kept copies (page, JSON, calendar) are sent compressed as the browser accepts, the same
/// text each way, with an ETag that a second visit sends back for a 304 without a body; the
/// page carries one view's markup (a phone's list, a desk's grid, or the one asked for).
#[tokio::test]
async fn kept_copies_are_compressed_and_revalidated() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let page_path = format!("/conferences/{SLUG}/programme");
        for path in [
            page_path.clone(),
            format!("/api/v1/conferences/{SLUG}/programme"),
            format!("/conferences/{SLUG}/programme.ics"),
        ] {
            let (status, h, plain) = raw(&app.base, &path, &[("user-agent", DESK)]).await;
            assert_eq!(status, 200, "{path}");
            assert!(
                h.get("content-encoding").is_none(),
                "{path}: no encoding asked, none sent"
            );
            let plain = String::from_utf8(plain).expect("UTF-8");
            let etag = h
                .get("etag")
                .expect("an ETag")
                .to_str()
                .unwrap()
                .to_string();
            let (_, h, br) = raw(
                &app.base,
                &path,
                &[
                    ("user-agent", DESK),
                    ("accept-encoding", "gzip, deflate, br"),
                ],
            )
            .await;
            assert_eq!(h.get("content-encoding").unwrap(), "br", "{path}");
            assert_eq!(h.get(server::page_cache::HEADER).unwrap(), "hit", "{path}");
            assert_eq!(
                brotli_text(&br),
                plain,
                "{path}: the brotli copy is the text"
            );
            assert!(br.len() * 3 < plain.len(), "{path}: compressed");
            let (_, h, gz) = raw(
                &app.base,
                &path,
                &[("user-agent", DESK), ("accept-encoding", "gzip")],
            )
            .await;
            assert_eq!(h.get("content-encoding").unwrap(), "gzip", "{path}");
            assert_eq!(gzip_text(&gz), plain, "{path}: the gzip copy is the text");
            assert!(h
                .get("vary")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("Accept-Encoding"));
            assert!(h
                .get("cache-control")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("no-cache"));
            // a second visit: 304, no body
            let (status, h, body) = raw(
                &app.base,
                &path,
                &[
                    ("user-agent", DESK),
                    ("accept-encoding", "br"),
                    ("if-none-match", &etag),
                ],
            )
            .await;
            assert_eq!(status, 304, "{path}");
            assert!(body.is_empty());
            assert_eq!(h.get("etag").unwrap().to_str().unwrap(), etag);
            let (status, _, _) = raw(
                &app.base,
                &path,
                &[
                    ("user-agent", DESK),
                    ("if-none-match", "\"something-else\""),
                ],
            )
            .await;
            assert_eq!(status, 200, "{path}: another ETag gets the body");
        }
        // one view's markup: the grid on a desk, the list on a phone, or the one asked for
        let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8");
        let desk = text(raw(&app.base, &page_path, &[("user-agent", DESK)]).await.2);
        assert!(desk.contains("class=\"as-grid\"") && !desk.contains("class=\"as-list\""));
        let phone = text(raw(&app.base, &page_path, &[("user-agent", PHONE)]).await.2);
        assert!(phone.contains("class=\"as-list\"") && !phone.contains("class=\"as-grid\""));
        let hinted = text(
            raw(
                &app.base,
                &page_path,
                &[("user-agent", DESK), ("sec-ch-ua-mobile", "?1")],
            )
            .await
            .2,
        );
        assert!(hinted.contains("class=\"as-list\""));
        let asked = text(
            raw(
                &app.base,
                &format!("{page_path}?view=list"),
                &[("user-agent", DESK)],
            )
            .await
            .2,
        );
        assert!(asked.contains("class=\"as-list\"") && !asked.contains("class=\"as-grid\""));
        // the JSON of the API is the same for every device
        let api = format!("/api/v1/conferences/{SLUG}/programme");
        let (_, _, j1) = raw(&app.base, &api, &[("user-agent", DESK)]).await;
        let (_, _, j2) = raw(&app.base, &api, &[("user-agent", PHONE)]).await;
        assert_eq!(j1, j2);
        assert!(!text(j1).contains("\"phone\""));
    }
}

/// A visitor's reading pages come without the WASM and without hydration data, with the small
/// script that follows the live stream instead; a logged-in person's pages hydrate as before.
#[tokio::test]
async fn visitors_read_light_pages() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let visitor = app.browser();
        let wasm = "/pkg/conference";
        for path in [
            "/".to_string(),
            format!("/conferences/{SLUG}"),
            format!("/conferences/{SLUG}/programme"),
            format!("/conferences/{SLUG}/declaration"),
            format!("/conferences/{SLUG}/programme/changes"),
        ] {
            let (status, _, body) = visitor.get(&path).await;
            assert_eq!(status, 200, "{path}");
            assert!(
                !body.contains(wasm) || !body.contains(".wasm"),
                "{path}: no WASM for a visitor"
            );
            assert!(
                !body.contains("modulepreload"),
                "{path}: no hydration script"
            );
            assert!(
                !body.contains("__RESOLVED_RESOURCES[") && !body.contains("__PENDING_RESOURCES=[0"),
                "{path}: no hydration data"
            );
            assert!(
                body.contains("EventSource"),
                "{path}: the light script follows the stream"
            );
            assert!(
                body.contains("href=\"/pkg/conference.css\""),
                "{path}: styled"
            );
        }
        // the light script runs under the page's policy: its nonce is the policy's
        let (_, headers, body) = visitor.get(&format!("/conferences/{SLUG}/programme")).await;
        let csp = headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .expect("a nonce");
        assert!(
            body.contains(&format!("<script nonce=\"{nonce}\">")),
            "the script carries the nonce"
        );
        // the notices a visitor may get are in the page, for the script to show
        assert!(body.contains("data-event=\"programme_released\""));
        // pages with forms hydrate for visitors too
        let (_, _, login) = visitor.get("/login").await;
        assert!(login.contains("modulepreload") && login.contains(wasm));
        // a logged-in person's pages with buttons hydrate
        let delegate = logged_in(&app, "jonas@example.org", "demo-delegate").await;
        let (_, _, own) = delegate.get(&format!("/conferences/{SLUG}/agenda")).await;
        assert!(own.contains("modulepreload") && own.contains("__RESOLVED_RESOURCES["));
        assert!(!own.contains("data-my-time"));
    }
}

/// One GET by `b` (with its cookies) with the given request headers: status, headers, bytes.
async fn raw_as(
    b: &Browser,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = b.http.get(format!("{}{path}", b.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.expect("GET");
    let status = r.status().as_u16();
    let h = r.headers().clone();
    (status, h, r.bytes().await.expect("body").to_vec())
}

/// A logged-in delegate's programme page is the visitors' kept page with their own account
/// corner in place of "Log in" (the kept parts around it are not made again), in every
/// encoding, with its own ETag; their name is text, not markup; a new release shows at once;
/// after logging out they are a visitor again. Organisers get their page made for them.
#[tokio::test]
async fn a_delegates_programme_page_is_the_kept_page_with_their_corner() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let path = format!("/conferences/{SLUG}/programme");
        let visitor_page =
            String::from_utf8(raw(&app.base, &path, &[("user-agent", DESK)]).await.2)
                .expect("UTF-8");
        let delegate = logged_in(&app, "jonas@example.org", "demo-delegate").await;
        // their name holds markup: it must come out as text
        {
            use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
            use sea_orm::{ColumnTrait, QueryFilter};
            let me = delegate.whoami().await;
            let person = db::entity::person::Entity::find()
                .filter(db::entity::person::Column::Name.eq(me["name"].as_str().unwrap()))
                .one(&t.db)
                .await
                .unwrap()
                .expect("the delegate's person");
            let mut p = person.into_active_model();
            p.name = Set("Jonas <script>alert(1)</script> & Co".into());
            p.update(&t.db).await.unwrap();
        }
        let (status, h, plain) = raw_as(&delegate, &path, &[("user-agent", DESK)]).await;
        assert_eq!(status, 200);
        assert_eq!(h.get(server::page_cache::HEADER).unwrap(), "personal");
        let plain = String::from_utf8(plain).expect("UTF-8");
        let visitor_corner = app::accounts::corner_html(None);
        let own_corner = app::accounts::corner_html(Some("Jonas <script>alert(1)</script> & Co"));
        assert!(own_corner.contains("Jonas &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
        assert!(own_corner.contains("Log out") && own_corner.contains("/fn/log_out"));
        assert_eq!(
            plain,
            visitor_page.replacen(&visitor_corner, &own_corner, 1),
            "the visitors' page with the delegate's corner"
        );
        assert!(!plain.contains("<script>alert(1)"));
        assert!(!plain.contains("modulepreload"), "a light page: no WASM");
        let cc = h.get("cache-control").unwrap().to_str().unwrap();
        assert!(cc.contains("private") && cc.contains("no-cache"), "{cc}");
        assert!(h.get("vary").unwrap().to_str().unwrap().contains("Cookie"));
        let etag = h.get("etag").unwrap().to_str().unwrap().to_string();
        // brotli and gzip: the same text
        let (_, h, br) = raw_as(
            &delegate,
            &path,
            &[
                ("user-agent", DESK),
                ("accept-encoding", "gzip, deflate, br"),
            ],
        )
        .await;
        assert_eq!(h.get("content-encoding").unwrap(), "br");
        assert_eq!(brotli_text(&br), plain);
        let (_, h, gz) = raw_as(
            &delegate,
            &path,
            &[("user-agent", DESK), ("accept-encoding", "gzip")],
        )
        .await;
        assert_eq!(h.get("content-encoding").unwrap(), "gzip");
        assert_eq!(gzip_text(&gz), plain);
        assert!(
            gz.len() * 3 < plain.len(),
            "compressed: {} of {}",
            gz.len(),
            plain.len()
        );
        // a second visit: 304; another delegate's page has another ETag
        let (status, _, body) = raw_as(
            &delegate,
            &path,
            &[("user-agent", DESK), ("if-none-match", &etag)],
        )
        .await;
        assert_eq!((status, body.len()), (304, 0));
        let trine = logged_in(&app, "trine@example.org", "demo-delegate").await;
        let (status, h, theirs) = raw_as(
            &trine,
            &path,
            &[("user-agent", DESK), ("if-none-match", &etag)],
        )
        .await;
        assert_eq!(status, 200, "another person's ETag is not theirs");
        assert_ne!(h.get("etag").unwrap().to_str().unwrap(), etag);
        let theirs = String::from_utf8(theirs).unwrap();
        assert!(!theirs.contains("Jonas &lt;script"));
        // the visitors' page is still the visitors'
        let (_, h, again) = raw(&app.base, &path, &[("user-agent", DESK)]).await;
        assert_eq!(h.get(server::page_cache::HEADER).unwrap(), "hit");
        assert_eq!(String::from_utf8(again).unwrap(), visitor_page);

        // the organiser's page is made for them
        let organiser = logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let (status, cache, own) = page(&organiser, &path).await;
        assert_eq!((status, cache.as_str()), (200, ""));
        assert!(own.contains("Manage the programme"));

        // a release shows at once
        add_forum_on_libraries(&organiser).await;
        let r: ReleaseDto = organiser
            .ok(
                "release_programme",
                &[("slug", SLUG), ("changelog", "A forum on libraries.")],
            )
            .await;
        assert_eq!(r.summary.number, 2);
        let (_, h, now) = raw_as(&delegate, &path, &[("user-agent", DESK)]).await;
        assert_eq!(h.get(server::page_cache::HEADER).unwrap(), "personal");
        let now = String::from_utf8(now).unwrap();
        assert!(now.contains("Version 2, released") && now.contains("Forum on libraries"));
        assert!(now.contains("Jonas &lt;script&gt;"));

        // logged out: a visitor's page
        let (s, _) = delegate.call("log_out", &[]).await;
        assert!(common::ok(s), "log out: {s}");
        let (_, h, after) = raw_as(&delegate, &path, &[("user-agent", DESK)]).await;
        assert_eq!(h.get(server::page_cache::HEADER).unwrap(), "hit");
        let after = String::from_utf8(after).unwrap();
        assert!(after.contains(&visitor_corner) && !after.contains("Jonas &lt;script"));
    }
}
