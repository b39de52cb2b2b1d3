//! Notifications through the real server, on SQLite and PostgreSQL: each person turns kinds off
//! on the account page; what happens to an amendment, a session moved in a release, a seat from
//! the waiting list and the adoption reach the people concerned by the outbox, unless they
//! turned that kind off. Refusals (visitor, cross-site form, unknown kind) change nothing.

use db::entity::{outbox, session};
use db::testing::TestDb;
use domain::ids::ConferenceId;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::common;
use common::{logged_in, App};

const SLUG: &str = "mexico-city-2015";
const TRINE: &str = "trine@example.org";

pub(crate) async fn messages_to(db: &DatabaseConnection, email: &str) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::ToEmail.eq(email))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn conference(db: &DatabaseConnection) -> i32 {
    db::queries::conference_by_slug(db, SLUG)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The kinds of notification the browser's person turned off.
async fn turned_off(b: &common::Browser) -> Vec<String> {
    let list: serde_json::Value = b.ok("get_notifications", &[]).await;
    list.as_array()
        .unwrap()
        .iter()
        .filter(|n| n["on"] == false)
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn amend(db: &DatabaseConnection, sponsor: &str, from: &str, to: &str, title: &str) -> i32 {
    common::amend(db, SLUG, sponsor, from, to, title).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_notification_reaches_its_people_unless_turned_off() {
    for t in TestDb::all().await {
        let db = &t.db;
        db::seed::load_demo(db).await.expect("demo data");
        let app = App::start(db).await;
        let trine = logged_in(&app, TRINE, "demo-delegate").await;
        let committee = logged_in(&app, "committee@example.org", "demo-committee").await;
        let organiser = logged_in(&app, "organiser@example.org", "demo-organiser").await;

        // everything is on to begin with
        let list: serde_json::Value = trine.ok("get_notifications", &[]).await;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 7);
        assert!(list.iter().all(|n| n["on"] == true));

        // refusals change nothing: a visitor, a cross-site form, an unknown kind
        let before = common::fingerprint(db).await;
        let all = domain::notifications::Notification::ALL
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let (s, _) = app
            .browser()
            .call("set_notifications", &[("offered", &all)])
            .await;
        assert_eq!(s, 401);
        let r = trine
            .http
            .post(format!(
                "{}{}",
                trine.base,
                common::fn_path("set_notifications")
            ))
            .header("origin", "https://evil.example")
            .form(&[("offered", all.as_str()), ("on[0]", "promoted")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let e = trine
            .fails(
                "set_notifications",
                &[("offered", &all), ("on[0]", "everything")],
                422,
            )
            .await;
        assert_eq!(e["field"], "on");
        let e = trine
            .fails(
                "set_notifications",
                &[("offered", "promoted"), ("on[0]", "declaration_adopted")],
                422,
            )
            .await;
        assert_eq!(e["field"], "on", "not offered");
        let e = trine
            .fails("set_notifications", &[("offered", "everything")], 422)
            .await;
        assert_eq!(e["field"], "offered");
        // a form that names no offer is not one of ours
        let (s, _) = trine.call("set_notifications", &[]).await;
        assert_eq!(s, 422);
        assert_eq!(before, common::fingerprint(db).await);
        let list: serde_json::Value = trine.ok("get_notifications", &[]).await;
        assert!(list.as_array().unwrap().iter().all(|n| n["on"] == true));

        // Trine keeps every kind but rejections
        let keep: Vec<(String, String)> = domain::notifications::Notification::ALL
            .iter()
            .filter(|n| **n != domain::notifications::Notification::AmendmentRejected)
            .enumerate()
            .map(|(i, n)| (format!("on[{i}]"), n.as_str().to_owned()))
            .collect();
        let mut keep: Vec<(&str, &str)> =
            keep.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        keep.push(("offered", &all));
        let n: serde_json::Value = trine.ok("set_notifications", &keep).await;
        assert!(
            n["message"]
                .as_str()
                .unwrap()
                .contains("1 notification turned off"),
            "{n}"
        );
        let off = turned_off(&trine).await;
        assert_eq!(off, ["amendment_rejected"]);

        // amendments: accepted (told), rejected (turned off), needing an update (told)
        let accepted = amend(
            db,
            TRINE,
            "to learning that",
            "to lifelong learning that",
            "Lifelong",
        )
        .await;
        let rejected = amend(db, TRINE, "pillars of", "foundations of", "Foundations").await;
        let collides = amend(
            db,
            TRINE,
            "architects and executors",
            "authors and executors",
            "Authors",
        )
        .await;
        let start = messages_to(db, TRINE).await.len();
        let _: serde_json::Value = committee
            .ok(
                "accept_amendment",
                &[("slug", SLUG), ("number", &accepted.to_string())],
            )
            .await;
        let _: serde_json::Value = committee
            .ok(
                "reject_amendment",
                &[
                    ("slug", SLUG),
                    ("number", &rejected.to_string()),
                    ("reason", "Out of scope."),
                ],
            )
            .await;
        let got = messages_to(db, TRINE).await;
        let new: Vec<&str> = got[start..].iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(
            new,
            [format!("Amendment {accepted} accepted")],
            "no message for the rejection"
        );
        let m = &got[start];
        assert!(
            m.body
                .contains(&format!("/conferences/{SLUG}/amendments/{accepted}")),
            "{}",
            m.body
        );
        assert!(
            m.body.contains("turn off messages like this one"),
            "{}",
            m.body
        );

        // a committee edit of the same words: the amendment needs Trine's update
        let c = conference(db).await;
        let (_, v) = db::queries::declaration(db, ConferenceId(c))
            .await
            .unwrap()
            .unwrap();
        let v = v.unwrap();
        let text = v
            .markdown
            .replacen("architects and executors", "designers and executors", 1);
        let _: serde_json::Value = committee
            .ok(
                "save_declaration",
                &[
                    ("slug", SLUG),
                    ("base_version", &v.number.to_string()),
                    ("markdown", &text),
                    ("message", "Designers"),
                ],
            )
            .await;
        let got = messages_to(db, TRINE).await;
        assert_eq!(
            got.last().map(|m| m.subject.clone()),
            Some(format!("Amendment {collides} needs your update"))
        );

        // a session Trine has a seat in starts five minutes later in the next release
        let forum = db::testing::first_forum(db, c).await;
        let (s, body) = trine
            .call(
                "sign_up_for_session",
                &[("slug", SLUG), ("session_id", &forum.id.to_string())],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        // (the demo's programme is released as it stands)
        let (s, _) = organiser
            .call(
                "release_programme",
                &[("slug", SLUG), ("changelog", "Before.")],
            )
            .await;
        assert!(s == 200 || s == 409);
        sea_orm::ActiveModelTrait::update(
            session::ActiveModel {
                id: sea_orm::Set(forum.id),
                starts_at: sea_orm::Set(forum.starts_at + chrono::Duration::minutes(5)),
                ..Default::default()
            },
            db,
        )
        .await
        .unwrap();
        let _: serde_json::Value = organiser
            .ok(
                "release_programme",
                &[("slug", SLUG), ("changelog", "Five minutes later.")],
            )
            .await;
        let got = messages_to(db, TRINE).await;
        let m = got.last().unwrap();
        assert_eq!(m.subject, format!("Changed: {}", forum.title));
        assert!(m.body.contains("it now starts at"), "{}", m.body);

        // the adoption reaches Trine; after she turns it off, nothing more reaches her
        // the adoption alone is offered and left unticked: the others stay as they were
        let _: serde_json::Value = trine
            .ok("set_notifications", &[("offered", "declaration_adopted")])
            .await;
        let off = turned_off(&trine).await;
        assert_eq!(off, ["amendment_rejected", "declaration_adopted"]);
        let _: serde_json::Value = trine.ok("set_notifications", &[("offered", &all)]).await;
        let list: serde_json::Value = trine.ok("get_notifications", &[]).await;
        assert!(list.as_array().unwrap().iter().all(|n| n["on"] == false));
        let before = messages_to(db, TRINE).await.len();
        let jonas_before = messages_to(db, "jonas@example.org").await.len();
        let outbox_events = || async {
            db::entity::event::Entity::find()
                .all(db)
                .await
                .unwrap()
                .into_iter()
                .filter(|e| e.change.contains("\"outbox_changed\""))
                .count()
        };
        let events_before = outbox_events().await;
        let (_, v) = db::queries::declaration(db, ConferenceId(c))
            .await
            .unwrap()
            .unwrap();
        let _: serde_json::Value = organiser
            .ok(
                "adopt_declaration",
                &[
                    ("slug", SLUG),
                    ("version", &v.unwrap().number.to_string()),
                    ("date", "2015-09-30"),
                    ("place", "Mexico City"),
                    ("confirm", "on"),
                ],
            )
            .await;
        assert_eq!(
            messages_to(db, TRINE).await.len(),
            before,
            "Trine turned it off"
        );
        let jonas = messages_to(db, "jonas@example.org").await;
        assert_eq!(jonas.len(), jonas_before + 1);
        assert_eq!(
            outbox_events().await,
            events_before + 1,
            "one live event for the whole batch of adoption notices"
        );
        let m = jonas.last().unwrap();
        assert!(m.subject.starts_with("Adopted: "), "{}", m.subject);
        assert!(
            m.body.contains("at Mexico City on 30 September 2015"),
            "{}",
            m.body
        );
    }
}
