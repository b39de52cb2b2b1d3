//! The live stream `GET /conferences/{slug}/events`, over HTTP, on SQLite and PostgreSQL:
//! each listener hears exactly what its role may hear; a stream reconnecting with
//! `Last-Event-ID` (also to a restarted instance) gets exactly what it missed; bad input is
//! refused; a change made through one server process reaches a stream open on another.

use crate::common;
use common::{App, Browser, Sse, Stoppable};
use db::events;
use db::testing::TestDb;
use domain::ids::{
    AmendmentNumber, ConferenceId, DeclarationId, PersonId, SessionId, VersionNumber,
};
use domain::live::Event;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::time::Duration;

const SLUG: &str = "mexico-city-2015";
const WAIT: Duration = Duration::from_secs(20);

async fn conference(db: &DatabaseConnection) -> ConferenceId {
    ConferenceId(
        db::queries::conference_by_slug(db, SLUG)
            .await
            .unwrap()
            .unwrap()
            .id,
    )
}

/// Append `event` as a service would, in a write of its own.
async fn append(db: &DatabaseConnection, conf: ConferenceId, event: Event) -> i64 {
    db::write(db, async |txn| events::append(txn, conf, &event).await)
        .await
        .unwrap()
}

fn marker(n: u32) -> Event {
    Event::programme_released(n)
}

/// What a listener heard, as `name` or `name:status`.
fn heard(events: &[Sse]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            let v: serde_json::Value = serde_json::from_str(&e.data).unwrap();
            match v["status"].as_str() {
                Some(s) => format!("{}:{s}", e.event),
                None => e.event.clone(),
            }
        })
        .collect()
}

async fn logged_in(app: &App, who: &str) -> Browser {
    let b = app.browser();
    if let Some((email, password)) = match who {
        "visitor" => None,
        "delegate" => Some(("jonas@example.org", "demo-delegate")),
        "head" => Some(("trine@example.org", "demo-delegate")),
        "committee" => Some(("committee@example.org", "demo-committee")),
        "organiser" => Some(("organiser@example.org", "demo-organiser")),
        _ => unreachable!(),
    } {
        b.must_log_in(email, password).await;
    }
    b
}

async fn current_text(db: &DatabaseConnection) -> (i32, String) {
    let decl = db::entity::declaration::Entity::find()
        .filter(db::entity::declaration::Column::ConferenceId.eq(conference(db).await.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let (_, v) = db::drafting::current(db, DeclarationId(decl.id))
        .await
        .unwrap()
        .unwrap();
    (v.number, v.markdown)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_listener_hears_exactly_what_its_role_may_hear() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.unwrap();
        let conf = conference(&t.db).await;
        let app = App::start(&t.db).await;
        let roles = ["visitor", "delegate", "head", "committee", "organiser"];
        let mut streams = Vec::new();
        let mut browsers = Vec::new();
        for who in roles {
            let b = logged_in(&app, who).await;
            streams.push(b.follow(SLUG, None).await);
            browsers.push(b);
        }
        // Trine (head of the Danish delegation) writes a draft amendment: a real write
        let (v, text) = current_text(&t.db).await;
        let changed = text.replacen("health", "health and joy", 1);
        let _: i32 = browsers[2]
            .ok(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", &v.to_string()),
                    ("title", "Joy"),
                    ("proposed_markdown", &changed),
                ],
            )
            .await;
        // one event of every other kind, as the services append them
        let someone = PersonId(1);
        for e in [
            Event::seats_changed(SessionId(1)),
            Event::declaration_published(),
            Event::declaration_adopted(VersionNumber(1)),
            Event::version_saved(VersionNumber(2)),
            Event::amendment_changed(
                AmendmentNumber(9),
                domain::drafting::amendment::AmendmentStatus::Submitted,
                someone,
                &[],
            ),
            Event::registrations_changed(),
            Event::outbox_changed(),
            marker(99),
        ] {
            append(&t.db, conf, e).await;
        }
        let public = [
            "seats_changed",
            "declaration_published",
            "programme_released",
        ];
        let participants = [
            "seats_changed",
            "declaration_published",
            "declaration_adopted",
            "version_saved",
            "amendment_changed:submitted",
            "programme_released",
        ];
        let mut head = vec!["amendment_changed:draft"];
        head.extend(participants);
        let organiser = [
            "seats_changed",
            "declaration_published",
            "declaration_adopted",
            "version_saved",
            "amendment_changed:submitted",
            "registrations_changed",
            "outbox_changed",
            "programme_released",
        ];
        let expected: [&[&str]; 5] = [&public, &participants, &head, &participants, &organiser];
        for ((who, stream), want) in roles.iter().zip(&mut streams).zip(expected) {
            let got = stream
                .until("\"release\":99", WAIT)
                .await
                .unwrap_or_else(|| panic!("{:?}: {who}'s stream stalled", t.backend));
            assert_eq!(heard(&got), want, "{:?}: {who}", t.backend);
            // numbered, in order
            let ids: Vec<i64> = got
                .iter()
                .map(|e| e.id.as_deref().unwrap().parse().unwrap())
                .collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{who}: {ids:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committee_decision_reaches_a_delegate_as_it_happens() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.unwrap();
        let app = App::start(&t.db).await;
        let trine = logged_in(&app, "head").await;
        let committee = logged_in(&app, "committee").await;
        let jonas = logged_in(&app, "delegate").await;
        let (v, text) = current_text(&t.db).await;
        let changed = text.replacen("health", "health and joy", 1);
        let number: i32 = trine
            .ok(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", &v.to_string()),
                    ("title", "Joy"),
                    ("proposed_markdown", &changed),
                    ("submit", "true"),
                ],
            )
            .await;
        let mut stream = jonas.follow(SLUG, None).await;
        let n = number.to_string();
        let (s, body) = committee
            .call("accept_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        assert_eq!(s, 200, "{body}");
        let got = stream
            .until("\"status\":\"accepted\"", WAIT)
            .await
            .expect("the decision arrives");
        assert_eq!(
            heard(&got),
            ["version_saved", "amendment_changed:accepted"],
            "{:?}",
            t.backend
        );
        assert!(got[1].data.contains(&format!("\"number\":{number}")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnecting_after_a_restart_gets_exactly_the_events_missed() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.unwrap();
        let conf = conference(&t.db).await;
        for n in 1..=3 {
            append(&t.db, conf, marker(n)).await;
        }
        let a = Stoppable::start(&t.db, |_| {}).await;
        let visitor = Browser {
            base: a.base.clone(),
            http: reqwest::Client::new(),
        };
        // from the start (as `?after=0`): events 1 to 3
        let res = visitor
            .http
            .get(format!("{}/conferences/{SLUG}/events?after=0", a.base))
            .send()
            .await
            .unwrap();
        let mut stream = common::SseReader::new(res);
        let got = stream.until("\"release\":3", WAIT).await.unwrap();
        let ids: Vec<_> = got.iter().map(|e| e.id.clone().unwrap()).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        // the instance stops; its stream ends
        a.stop().await;
        assert_eq!(stream.next(Duration::from_secs(5)).await, None);
        // meanwhile, three more
        for n in 4..=6 {
            append(&t.db, conf, marker(n)).await;
        }
        // a new instance on the same database; the browser reconnects with its last id
        let b = Stoppable::start(&t.db, |_| {}).await;
        let again = Browser {
            base: b.base.clone(),
            http: reqwest::Client::new(),
        };
        let mut stream = again.follow(SLUG, Some("3")).await;
        let got = stream.until("\"release\":6", WAIT).await.unwrap();
        let ids: Vec<_> = got.iter().map(|e| e.id.clone().unwrap()).collect();
        assert_eq!(ids, ["4", "5", "6"], "{:?}", t.backend);
        // then what happens next, once
        append(&t.db, conf, marker(7)).await;
        let next = stream.next(WAIT).await.unwrap();
        assert_eq!(next.id.as_deref(), Some("7"));
        assert_eq!(stream.next(Duration::from_millis(500)).await, None);
        // a listener whose events were pruned is told to reload
        events::prune_before(&t.db, chrono::Utc::now() + chrono::Duration::seconds(1))
            .await
            .unwrap();
        let mut old = again.follow(SLUG, Some("2")).await;
        let e = old.next(WAIT).await.unwrap();
        assert_eq!(e.event, "reload");
        // and so is one that names an event this database never had
        let mut future = again.follow(SLUG, Some("1000")).await;
        assert_eq!(future.next(WAIT).await.unwrap().event, "reload");
        b.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_the_stream_is_never_shared_across_sites() {
    let t = TestDb::sqlite().await;
    db::seed::load_demo(&t.db).await.unwrap();
    let app = App::start(&t.db).await;
    let b = app.browser();
    for bad in ["abc", "-1", "1.5", ""] {
        let res = b.events(SLUG, Some(bad)).await;
        assert_eq!(res.status(), 422, "Last-Event-ID {bad:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains("Last-Event-ID"), "{body}");
    }
    let res = b
        .http
        .get(format!("{}/conferences/{SLUG}/events?after=x", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(b.events("no-such-conference", None).await.status(), 404);
    // another site's page may not read anyone's stream: no CORS permission, and the log-in
    // cookie is SameSite=Lax (not sent on another site's subresource requests)
    let res = b
        .http
        .get(format!("{}/conferences/{SLUG}/events", app.base))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        res.headers().get("cache-control").unwrap(),
        "no-store",
        "no cache keeps a stream"
    );
}

/// Two server processes on one PostgreSQL database: a change made through the first reaches a
/// stream opened on the second. The second re-reads only every hour by itself
/// (`LIVE_REREAD_SECONDS`), so what carries the change is PostgreSQL's `NOTIFY`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_instance_reaches_a_stream_on_another() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    db::seed::load_demo(&t.db).await.unwrap();
    let a = common::Process::start(&t.url, &[]).await;
    let b = common::Process::start(&t.url, &[("LIVE_REREAD_SECONDS", "3600")]).await;
    let on_a = |who: &str| {
        let app = App {
            base: a.base.clone(),
        };
        let who = who.to_owned();
        async move { logged_in(&app, &who).await }
    };
    let committee = on_a("committee").await;
    let jonas = logged_in(
        &App {
            base: b.base.clone(),
        },
        "delegate",
    )
    .await;
    let mut stream = jonas.follow(SLUG, None).await;
    let (v, text) = current_text(&t.db).await;
    let (s, body) = committee
        .call(
            "save_declaration",
            &[
                ("slug", SLUG),
                ("base_version", &v.to_string()),
                ("markdown", &text.replacen("health", "health and joy", 1)),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let got = stream
        .until("version_saved", WAIT)
        .await
        .expect("the new version reaches the other instance");
    assert_eq!(heard(&got), ["version_saved"]);
    assert!(got[0].data.contains(&format!("\"number\":{}", v + 1)));
}

/// Presence: who is on an amendment's page (and at which paragraph) is heard by whoever may see
/// the amendment, and listed for them; a draft's page is its sponsors' alone; bad input is 422.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_is_shown_to_whoever_may_see_the_place() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.unwrap();
        let app = App::start(&t.db).await;
        let trine = logged_in(&app, "head").await;
        let jonas = logged_in(&app, "delegate").await;
        let committee = logged_in(&app, "committee").await;
        let visitor = app.browser();
        let (v, text) = current_text(&t.db).await;
        let changed = text.replacen("health", "health and joy", 1);
        let propose = |submit: bool| {
            let mut form = vec![
                ("slug", SLUG.to_string()),
                ("base_version", v.to_string()),
                ("title", "Joy".to_string()),
                ("proposed_markdown", changed.clone()),
            ];
            if submit {
                form.push(("submit", "true".into()));
            }
            form
        };
        let (_, draft) = trine.call_with("propose_amendment", &propose(false)).await;
        let (_, submitted) = trine.call_with("propose_amendment", &propose(true)).await;
        let here = |n: &str, paragraph: &str| {
            vec![
                ("slug", SLUG.to_string()),
                ("place", format!("amendment:{n}")),
                ("paragraph", paragraph.to_string()),
            ]
        };
        let mut jonas_hears = jonas.follow(SLUG, None).await;
        let mut committee_hears = committee.follow(SLUG, None).await;
        // the draft: Trine's alone
        let (s, body) = trine.call_with("i_am_here", &here(&draft, "1")).await;
        assert_eq!(s, 200, "{body}");
        for b in [&jonas, &committee] {
            assert_eq!(
                b.call_with("i_am_here", &here(&draft, "1")).await.0,
                404,
                "{:?}",
                t.backend
            );
        }
        assert_eq!(
            visitor.call_with("i_am_here", &here(&draft, "1")).await.0,
            401
        );
        // the submitted one: Trine arrives at paragraph 2; Jonas and the committee hear of it
        let (s, _) = trine.call_with("i_am_here", &here(&submitted, "2")).await;
        assert_eq!(s, 200);
        for stream in [&mut jonas_hears, &mut committee_hears] {
            let got = stream
                .until(&format!("\"number\":{submitted}}}"), WAIT)
                .await
                .expect("the arrival is heard");
            // the submission first, then the presence; never the draft's
            let names = heard(&got);
            assert!(names.contains(&"presence_changed".to_string()), "{names:?}");
            assert!(!got
                .iter()
                .any(|e| e.data.contains(&format!("\"number\":{draft}}}"))));
        }
        let (s, body) = jonas.call_with("i_am_here", &here(&submitted, "")).await;
        assert_eq!(s, 200, "{body}");
        let list: serde_json::Value = serde_json::from_str(&body).unwrap();
        let people = list["people"].as_array().unwrap();
        assert_eq!(people.len(), 2, "{list}");
        let trine_there = people
            .iter()
            .find(|p| p["name"].as_str().unwrap().starts_with("Trine"))
            .unwrap();
        assert_eq!(trine_there["paragraph"], "2");
        assert_eq!(trine_there["me"], false);
        // bad input changes nothing
        for (place, paragraph) in [("amendment:x", "1"), ("elsewhere", "1"), ("editor", "<b>")] {
            let (s, body) = committee
                .call(
                    "i_am_here",
                    &[("slug", SLUG), ("place", place), ("paragraph", paragraph)],
                )
                .await;
            assert_eq!(s, 422, "{place} {paragraph}: {body}");
        }
        let (s, _) = committee.call_with("i_am_here", &here("999", "")).await;
        assert_eq!(s, 404);
    }
}
