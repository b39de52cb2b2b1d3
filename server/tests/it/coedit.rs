//! The shared draft over HTTP: two committee members type into the same paragraph at once, each
//! editor driven by `domain::coedit::Client` as the browser's would be (operations sent by
//! `edit_shared_draft`, the others' received on the live stream); both end with the server's
//! text, every keystroke in it once. On one instance (SQLite and PostgreSQL) and across two
//! server processes on one PostgreSQL database. Also: retries, refusals, saving as a version.

use crate::common;
use common::{App, Browser, SseReader};
use db::testing::{person_of, TestDb};
use domain::coedit::{Client, Operation};
use domain::ids::{ConferenceId, PersonId};
use domain::live::Change;
use domain::permissions::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::time::Duration;

const SLUG: &str = "mexico-city-2015";
const WAIT: Duration = Duration::from_secs(20);

async fn second_committee_member(db: &DatabaseConnection) {
    let conf = db::queries::conference_by_slug(db, SLUG)
        .await
        .unwrap()
        .unwrap();
    let sofia = person_of(db, "organiser@example.org").await;
    db::accounts::grant(db, ConferenceId(conf.id), PersonId(sofia), Role::Committee)
        .await
        .unwrap();
}

async fn as_who(base: &str, email: &str, password: &str) -> Browser {
    let b = App {
        base: base.to_owned(),
    }
    .browser();
    b.must_log_in(email, password).await;
    b
}

/// One committee member's editor: the co-editing client, its stream, and the operation in
/// flight's key.
struct Editor {
    name: &'static str,
    browser: Browser,
    client: Client,
    stream: SseReader,
    in_flight: Option<String>,
    sent: usize,
}

impl Editor {
    async fn open(name: &'static str, browser: Browser) -> Editor {
        // the stream first: nothing after the draft's revision is missed
        let stream = browser.follow(SLUG, None).await;
        let d: serde_json::Value = browser.ok("get_shared_draft", &[("slug", SLUG)]).await;
        let client = Client::new(d["text"].as_str().unwrap(), d["revision"].as_u64().unwrap());
        Editor {
            name,
            browser,
            client,
            stream,
            in_flight: None,
            sent: 0,
        }
    }

    async fn send(&mut self, seen: u64, op: Operation) {
        self.sent += 1;
        let key = format!("{}-{}", self.name, self.sent);
        let (s, body) = self
            .browser
            .call(
                "edit_shared_draft",
                &[
                    ("slug", SLUG),
                    ("seen", &seen.to_string()),
                    ("operation", &serde_json::to_string(&op).unwrap()),
                    ("key", &key),
                ],
            )
            .await;
        assert_eq!(s, 200, "{}: {body}", self.name);
        self.in_flight = Some(key);
    }

    /// The person types `token` at the start of the paragraph that starts with `at`.
    async fn type_at(&mut self, at: &str, token: &str) {
        let text = &self.client.text;
        let byte = text.find(at).expect("the paragraph");
        let pos = text[..byte].chars().count();
        let n = text.chars().count();
        let op = Operation::new().retain(pos).insert(token).retain(n - pos);
        if let Some((seen, op)) = self.client.local(op).unwrap() {
            self.send(seen, op).await;
        }
    }

    /// Read the stream until nothing is in flight or buffered and the client is at `revision`
    /// (or later).
    async fn settle(&mut self, revision: u64) {
        while self.client.in_flight.is_some()
            || self.client.buffer.is_some()
            || self.client.revision < revision
        {
            let e = self
                .stream
                .next(WAIT)
                .await
                .unwrap_or_else(|| panic!("{}: the stream stalled", self.name));
            if e.event != "draft_edited" {
                continue;
            }
            let Ok(Change::DraftEdited {
                revision,
                operation,
                key,
                ..
            }) = serde_json::from_str::<Change>(&e.data)
            else {
                panic!("{}: {}", self.name, e.data)
            };
            if revision <= self.client.revision {
                continue;
            }
            let mine = self.in_flight.as_deref() == Some(key.as_str());
            if mine {
                self.in_flight = None;
            }
            if let Some((seen, next)) = self.client.remote(revision, &operation, mine).unwrap() {
                self.send(seen, next).await;
            }
        }
    }
}

/// The form of an `edit_shared_draft` call: `operation` is the operation's JSON.
fn edit_form(key: &str, seen: impl ToString, operation: String) -> Vec<(&'static str, String)> {
    vec![
        ("slug", SLUG.to_string()),
        ("seen", seen.to_string()),
        ("operation", operation),
        ("key", key.to_string()),
    ]
}

/// `edit_shared_draft` with an owned form: its status.
async fn call_edit(b: &Browser, form: Vec<(&'static str, String)>) -> u16 {
    b.call_with("edit_shared_draft", &form).await.0
}

async fn server_text(b: &Browser) -> (String, u64) {
    let d: serde_json::Value = b.ok("get_shared_draft", &[("slug", SLUG)]).await;
    (
        d["text"].as_str().unwrap().to_owned(),
        d["revision"].as_u64().unwrap(),
    )
}

/// Two editors type into the same paragraph, each several keystrokes before hearing the other.
async fn type_together(a: &mut Editor, b: &mut Editor) {
    let paragraph = "We, the mayors";
    for i in 0..5 {
        a.type_at(paragraph, &format!("[a{i}]")).await;
        b.type_at(paragraph, &format!("[b{i}]")).await;
    }
    // each settles up to where the server is now; the later of the two catches up with the other
    let (_, rev) = server_text(&a.browser).await;
    a.settle(rev).await;
    b.settle(rev).await;
    let (_, rev) = server_text(&a.browser).await;
    a.settle(rev).await;
    b.settle(rev).await;
    let (text, _) = server_text(&a.browser).await;
    assert_eq!(a.client.text, text, "a's copy");
    assert_eq!(b.client.text, text, "b's copy");
    for i in 0..5 {
        for who in ["a", "b"] {
            let token = format!("[{who}{i}]");
            assert_eq!(text.matches(&token).count(), 1, "{token} in {text:.200}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_committee_members_typing_at_once_converge() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.unwrap();
        second_committee_member(&t.db).await;
        let app = App::start(&t.db).await;
        let mut a = Editor::open(
            "a",
            as_who(&app.base, "committee@example.org", "demo-committee").await,
        )
        .await;
        let mut b = Editor::open(
            "b",
            as_who(&app.base, "organiser@example.org", "demo-organiser").await,
        )
        .await;
        type_together(&mut a, &mut b).await;

        // a retry (the same key) changes nothing
        let (before, rev) = server_text(&a.browser).await;
        let n = before.chars().count();
        let op = serde_json::to_string(&Operation::new().insert("x").retain(n)).unwrap();
        let (s, body) = a
            .browser
            .call_with("edit_shared_draft", &edit_form("a-1", rev, op.clone()))
            .await;
        assert_eq!(s, 200, "{body}");
        let again: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(again["repeated"], true, "{:?}", t.backend);
        assert_eq!(server_text(&a.browser).await, (before.clone(), rev));

        // carets travel with the operations, moved by what their author had not seen: a types
        // "X" at the start (caret after it), b types "YY" there too without having seen it
        // (caret after "YY"); b's op comes second, so its text and caret move past the "X"
        let (_, rev) = server_text(&a.browser).await;
        for (who, text, caret, key) in [(&a, "X", "1", "caret-a"), (&b, "YY", "2", "caret-b")] {
            let op = serde_json::to_string(&Operation::new().insert(text).retain(n)).unwrap();
            let mut form = edit_form(key, rev, op);
            form.push(("caret", caret.to_string()));
            let (s, body) = who.browser.call_with("edit_shared_draft", &form).await;
            assert_eq!(s, 200, "{body}");
        }
        let ops: serde_json::Value = b
            .browser
            .ok(
                "get_shared_ops",
                &[("slug", SLUG), ("after", &rev.to_string())],
            )
            .await;
        let carets: Vec<_> = ops
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["key"].as_str().unwrap().to_owned(), o["caret"].as_u64()))
            .collect();
        assert_eq!(
            carets,
            [
                ("caret-a".to_owned(), Some(1)),
                ("caret-b".to_owned(), Some(3))
            ]
        );
        assert!(server_text(&a.browser).await.0.starts_with("XYY"));
        let (before, rev) = server_text(&a.browser).await;

        // refusals change nothing
        let delegate = as_who(&app.base, "jonas@example.org", "demo-delegate").await;
        assert_eq!(
            call_edit(&delegate, edit_form("d-1", 0, op.clone())).await,
            403
        );
        assert_eq!(
            call_edit(&app.browser(), edit_form("v-1", 0, op.clone())).await,
            401
        );
        assert_eq!(
            call_edit(&a.browser, edit_form("a-x", 0, "{".into())).await,
            422
        );
        assert_eq!(
            call_edit(&a.browser, edit_form("bad key!", 0, op.clone())).await,
            422
        );
        let wrong = serde_json::to_string(&Operation::new().insert("x").retain(n + 5)).unwrap();
        assert_eq!(call_edit(&a.browser, edit_form("a-y", 0, wrong)).await, 422);
        // typing a NUL (or another control character) is refused as a whole text with one is
        let nul = serde_json::to_string(
            &Operation::new()
                .insert("a\u{0}b")
                .retain(before.chars().count()),
        )
        .unwrap();
        let (status, body) = a
            .browser
            .call_with("edit_shared_draft", &edit_form("a-nul", rev, nul))
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("NUL"), "{body}");
        assert_eq!(
            call_edit(&a.browser, edit_form("a-z", 999999, op.clone())).await,
            409
        );
        assert_eq!(server_text(&a.browser).await, (before.clone(), rev));

        // saved as a version: the delegate's stream hears of it, and the version is the text
        let mut jonas = delegate.follow(SLUG, None).await;
        let saved: serde_json::Value = a
            .browser
            .ok(
                "save_shared_draft",
                &[("slug", SLUG), ("message", "Together")],
            )
            .await;
        let number = saved["saved"].as_i64().expect("saved");
        let got = jonas
            .until("version_saved", WAIT)
            .await
            .expect("the new version is heard");
        assert!(got
            .last()
            .unwrap()
            .data
            .contains(&format!("\"number\":{number}")));
        // the delegate never hears the keystrokes
        assert!(!got.iter().any(|e| e.event == "draft_edited"));
        let draft: serde_json::Value = delegate.ok("get_draft", &[("slug", SLUG)]).await;
        let saved_text = draft["markdown"].as_str().unwrap();
        assert!(saved_text.contains("[a4]") && saved_text.contains("[b4]"));

        // provenance credits each passage of the version to whoever typed it
        let name_of = |email: &'static str| {
            let db = t.db.clone();
            async move {
                let id = person_of(&db, email).await;
                db::entity::person::Entity::find_by_id(id)
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
                    .name
            }
        };
        let (name_a, name_b) = (
            name_of("committee@example.org").await,
            name_of("organiser@example.org").await,
        );
        assert_ne!(name_a, name_b);
        let prov: serde_json::Value = delegate.ok("get_provenance", &[("slug", SLUG)]).await;
        let spans = prov["spans"].as_array().unwrap();
        let by = |token: &str| {
            let span = spans
                .iter()
                .find(|s| s["text"].as_str().unwrap().contains(token))
                .unwrap_or_else(|| panic!("{token} in one span: {spans:?}"));
            assert_eq!(span["version"].as_i64(), Some(number), "{span}");
            span["author_name"].as_str().unwrap_or_default().to_owned()
        };
        for i in 0..5 {
            assert_eq!(by(&format!("[a{i}]")), name_a, "{:?}", t.backend);
            assert_eq!(by(&format!("[b{i}]")), name_b, "{:?}", t.backend);
        }
        // what nobody typed keeps the version it came from
        let opening = spans
            .iter()
            .find(|s| s["text"].as_str().unwrap().contains("mayors"))
            .unwrap();
        assert_ne!(opening["version"].as_i64(), Some(number));

        // a version saved another way (a whole text) is followed by the shared draft, and the
        // editors hear the difference
        let mut heard = a.browser.follow(SLUG, None).await;
        let d: serde_json::Value = a.browser.ok("get_draft", &[("slug", SLUG)]).await;
        let current = d["version"]["number"].as_i64().unwrap().to_string();
        let whole = format!(
            "{}\n\nAdded as a whole text.\n",
            d["markdown"].as_str().unwrap().trim_end()
        );
        let (s, body) = a
            .browser
            .call(
                "save_declaration",
                &[
                    ("slug", SLUG),
                    ("base_version", &current),
                    ("markdown", &whole),
                ],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        heard
            .until("draft_edited", WAIT)
            .await
            .expect("the editors hear the draft follow the version");
        let (shared, _) = server_text(&a.browser).await;
        assert!(
            shared.ends_with("Added as a whole text.\n"),
            "{shared:.300}"
        );

        // once adopted, every operation and every save is refused, and nothing changes
        let conf = db::queries::conference_by_slug(&t.db, SLUG)
            .await
            .unwrap()
            .unwrap();
        let decl = db::entity::declaration::Entity::find()
            .filter(db::entity::declaration::Column::ConferenceId.eq(conf.id))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        let mut adopted: db::entity::declaration::ActiveModel = decl.into();
        adopted.status = sea_orm::Set("adopted".into());
        adopted.update(&t.db).await.unwrap();
        let (text, rev) = server_text(&a.browser).await;
        let n = text.chars().count();
        let op = serde_json::to_string(&Operation::new().insert("late ").retain(n)).unwrap();
        let (s, body) = a
            .browser
            .call_with("edit_shared_draft", &edit_form("late-1", rev, op))
            .await;
        assert_eq!(s, 409, "{body}");
        assert!(body.contains("adopted"), "{body}");
        let (s, _) = a.browser.call("save_shared_draft", &[("slug", SLUG)]).await;
        assert_eq!(s, 409);
        assert_eq!(server_text(&a.browser).await, (text, rev));
    }
}

/// The same across two server processes on one PostgreSQL database: each editor on its own
/// instance, the operations ordered in the database and carried by NOTIFY.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_on_two_instances_converge() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    db::seed::load_demo(&t.db).await.unwrap();
    second_committee_member(&t.db).await;
    let one = common::Process::start(&t.url, &[("LIVE_REREAD_SECONDS", "3600")]).await;
    let two = common::Process::start(&t.url, &[("LIVE_REREAD_SECONDS", "3600")]).await;
    let mut a = Editor::open(
        "a",
        as_who(&one.base, "committee@example.org", "demo-committee").await,
    )
    .await;
    let mut b = Editor::open(
        "b",
        as_who(&two.base, "organiser@example.org", "demo-organiser").await,
    )
    .await;
    type_together(&mut a, &mut b).await;
}
