//! Drafting the declaration through the real server: every drafting server function as every
//! role (allowed, or 401/403 with nothing changed), refusals with clear statuses, the story of
//! two colliding amendments, and two committee members accepting at the same moment. On SQLite
//! and PostgreSQL.

use app::drafting::dto::*;
use db::drafting::{self as d, NewAmendment};
use db::entity::{amendment, amendment_comment, amendment_event, amendment_sponsor};
use db::entity::{declaration, declaration_version, delegation, registration};
use db::testing::{person_of, TestDb};
use domain::ids::{AccountId, ConferenceId, DeclarationId, PersonId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::common;
use common::{App, Browser};

pub(crate) const SLUG: &str = "mexico-city-2015";

/// Who calls: a demo account, a visitor, or an account without any role here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Who {
    Visitor,
    Organiser,
    Committee,
    /// Trine, head of the Danish delegation (the sponsor in the table of writes).
    Head,
    /// Jonas, a Danish delegate (a non-sponsor).
    Delegate,
    /// An account with no role in the conference.
    Nobody,
}

const NOBODY: (&str, &str) = ("nobody@example.org", "nobody-password");

pub(crate) async fn as_who(app: &App, who: Who) -> Browser {
    let b = app.browser();
    let creds = match who {
        Who::Visitor => None,
        Who::Organiser => Some(("organiser@example.org", "demo-organiser")),
        Who::Committee => Some(("committee@example.org", "demo-committee")),
        Who::Head => Some(("trine@example.org", "demo-delegate")),
        Who::Delegate => Some(("jonas@example.org", "demo-delegate")),
        Who::Nobody => Some(NOBODY),
    };
    if let Some((e, p)) = creds {
        b.must_log_in(e, p).await;
    }
    b
}

// ---------------------------------------------------------------------------------------------
// the database

pub(crate) async fn backends() -> Vec<(TestDb, App)> {
    let mut out = Vec::new();
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        add_person(&t.db, "Nobody Atall", NOBODY.0, NOBODY.1, &[], None).await;
        let app = App {
            base: common::serve(&t.db).await,
        };
        out.push((t, app));
    }
    out
}

async fn conference_id(db: &DatabaseConnection) -> i32 {
    db::queries::conference_by_slug(db, SLUG)
        .await
        .unwrap()
        .unwrap()
        .id
}

pub(crate) async fn declaration_id(db: &DatabaseConnection) -> i32 {
    let c = conference_id(db).await;
    db::queries::declaration(db, ConferenceId(c))
        .await
        .unwrap()
        .unwrap()
        .0
        .id
}

/// A confirmed account with roles in the demo conference and, optionally, a registration in a
/// delegation. Returns the person id.
async fn add_person(
    db: &DatabaseConnection,
    name: &str,
    email: &str,
    password: &str,
    roles: &[&str],
    delegation_id: Option<i32>,
) -> i32 {
    let conference = conference_id(db).await;
    let hash = db::seed::hash_password(password).unwrap();
    let a = db::accounts::create(db, name, email, hash).await.unwrap();
    db::accounts::confirm(db, AccountId(a.id)).await.unwrap();
    for r in roles {
        db::accounts::grant(
            db,
            domain::ids::ConferenceId(conference),
            domain::ids::PersonId(a.person_id),
            domain::permissions::Role::parse(r).expect("a known role"),
        )
        .await
        .unwrap();
    }
    if let Some(dl) = delegation_id {
        let now = chrono::Utc::now();
        registration::ActiveModel {
            conference_id: Set(conference),
            person_id: Set(a.person_id),
            delegation_id: Set(Some(dl)),
            category: Set("member_state_delegate".into()),
            member_role: Set(Some("delegate".into())),
            status: Set("accredited".into()),
            status_reason: Set(None),
            needs: Set(String::new()),
            consent_listed: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    a.person_id
}

/// A second delegation (Kenya) with one delegate, Wanjiru; returns her credentials.
async fn second_delegation(db: &DatabaseConnection) -> (&'static str, &'static str) {
    let dl = delegation::ActiveModel {
        conference_id: Set(conference_id(db).await),
        name: Set("Kenya".into()),
        kind: Set("member_state".into()),
        country: Set(Some("Kenya".into())),
        region: Set(Some("Africa".into())),
        lead_organisation: Set(None),
        head_person_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let creds = ("wanjiru@example.org", "kenya-delegate");
    add_person(
        db,
        "Wanjiru Kamau",
        creds.0,
        creds.1,
        &["delegate"],
        Some(dl.id),
    )
    .await;
    creds
}

pub(crate) async fn current_text(db: &DatabaseConnection) -> (i32, String) {
    let (_, v) = d::current(db, DeclarationId(declaration_id(db).await))
        .await
        .unwrap()
        .unwrap();
    (v.number, v.markdown)
}

pub(crate) async fn amendment_row(db: &DatabaseConnection, number: i32) -> amendment::Model {
    amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id(db).await))
        .filter(amendment::Column::Number.eq(number))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no amendment {number}"))
}

/// Every drafting row, to check that a refused call changed nothing.
#[derive(Debug, PartialEq)]
pub(crate) struct Snapshot {
    declarations: Vec<declaration::Model>,
    versions: Vec<declaration_version::Model>,
    amendments: Vec<amendment::Model>,
    sponsors: Vec<amendment_sponsor::Model>,
    events: Vec<amendment_event::Model>,
    comments: Vec<amendment_comment::Model>,
}

pub(crate) async fn snapshot(db: &DatabaseConnection) -> Snapshot {
    Snapshot {
        declarations: declaration::Entity::find()
            .order_by_asc(declaration::Column::Id)
            .all(db)
            .await
            .unwrap(),
        versions: declaration_version::Entity::find()
            .order_by_asc(declaration_version::Column::Id)
            .all(db)
            .await
            .unwrap(),
        amendments: amendment::Entity::find()
            .order_by_asc(amendment::Column::Id)
            .all(db)
            .await
            .unwrap(),
        sponsors: amendment_sponsor::Entity::find()
            .order_by_asc(amendment_sponsor::Column::AmendmentId)
            .order_by_asc(amendment_sponsor::Column::PersonId)
            .all(db)
            .await
            .unwrap(),
        events: amendment_event::Entity::find()
            .order_by_asc(amendment_event::Column::Id)
            .all(db)
            .await
            .unwrap(),
        comments: amendment_comment::Entity::find()
            .order_by_asc(amendment_comment::Column::Id)
            .all(db)
            .await
            .unwrap(),
    }
}

/// The current text with a new last paragraph.
fn with_paragraph(text: &str, tag: &str) -> String {
    format!("{text}\nA paragraph added for {tag}.\n")
}

/// An amendment by `sponsor` (email) against the current version, made in the database: a new
/// last paragraph.
async fn fixture(db: &DatabaseConnection, sponsor: &str, submit: bool, tag: &str) -> i32 {
    let decl = declaration_id(db).await;
    let sponsor = person_of(db, sponsor).await;
    let txn = db::begin_write(db).await.unwrap();
    let (_, current) = d::current(&*txn, DeclarationId(decl))
        .await
        .unwrap()
        .unwrap();
    let a = d::create_amendment(
        &*txn,
        DeclarationId(decl),
        NewAmendment {
            sponsor_person_id: PersonId(sponsor),
            sponsor_delegation_id: None,
            base_version_id: VersionId(current.id),
            title: format!("Fixture {tag}"),
            rationale: String::new(),
            proposed_markdown: with_paragraph(&current.markdown, tag),
            co_sponsor_person_ids: Vec::new(),
            submit,
        },
    )
    .await
    .unwrap()
    .unwrap();
    txn.commit().await.unwrap();
    a.number
}

// ---------------------------------------------------------------------------------------------
// every write as every role

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Write {
    Save,
    Propose,
    Update,
    Submit,
    Withdraw,
    Reject,
    Accept,
    Comment,
}

impl Write {
    const ALL: [Write; 8] = [
        Write::Save,
        Write::Propose,
        Write::Update,
        Write::Submit,
        Write::Withdraw,
        Write::Reject,
        Write::Accept,
        Write::Comment,
    ];

    fn name(self) -> &'static str {
        match self {
            Write::Save => "save_declaration",
            Write::Propose => "propose_amendment",
            Write::Update => "update_amendment",
            Write::Submit => "submit_amendment",
            Write::Withdraw => "withdraw_amendment",
            Write::Reject => "reject_amendment",
            Write::Accept => "accept_amendment",
            Write::Comment => "comment_amendment",
        }
    }

    /// Who may: the rules of `domain::permissions`, and "sponsor only" (Trine is the sponsor
    /// of the amendment each call is about).
    fn allowed(self, who: Who) -> bool {
        use Who::*;
        match self {
            Write::Save | Write::Reject | Write::Accept => who == Committee,
            Write::Propose => matches!(who, Committee | Head | Delegate),
            Write::Update | Write::Submit | Write::Withdraw => who == Head,
            Write::Comment => matches!(who, Organiser | Committee | Head | Delegate),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_as_every_role() {
    for (t, app) in backends().await {
        let db = &t.db;
        for who in [
            Who::Visitor,
            Who::Nobody,
            Who::Organiser,
            Who::Committee,
            Who::Head,
            Who::Delegate,
        ] {
            let b = as_who(&app, who).await;
            for call in Write::ALL {
                let tag = format!("{call:?} by {who:?}");
                // the amendment the call is about: Trine's, a draft for submitting
                let number = fixture(db, "trine@example.org", call != Write::Submit, &tag).await;
                let n = number.to_string();
                let (version, text) = current_text(db).await;
                let v = version.to_string();
                let changed = with_paragraph(&text, &format!("{tag}, changed"));
                let new_title = format!("Retitled by {who:?}");
                let form: Vec<(&str, &str)> = match call {
                    Write::Save => vec![
                        ("slug", SLUG),
                        ("base_version", &v),
                        ("markdown", &changed),
                        ("message", "A committee edit"),
                    ],
                    Write::Propose => vec![
                        ("slug", SLUG),
                        ("base_version", &v),
                        ("title", "A new amendment"),
                        ("rationale", "Because."),
                        ("proposed_markdown", &changed),
                        ("submit", "on"),
                    ],
                    Write::Update => vec![
                        ("slug", SLUG),
                        ("number", &n),
                        ("base_version", &v),
                        ("title", &new_title),
                        ("rationale", "Better now."),
                        ("proposed_markdown", &changed),
                    ],
                    Write::Submit | Write::Withdraw => vec![("slug", SLUG), ("number", &n)],
                    Write::Reject => {
                        vec![("slug", SLUG), ("number", &n), ("reason", "Out of scope.")]
                    }
                    Write::Accept => vec![("slug", SLUG), ("number", &n)],
                    Write::Comment => {
                        vec![("slug", SLUG), ("number", &n), ("body", "A *comment*.")]
                    }
                };
                let before = snapshot(db).await;
                let (status, body) = b.call(call.name(), &form).await;
                let expected = if call.allowed(who) {
                    200
                } else if who == Who::Visitor {
                    401
                } else if call == Write::Submit && matches!(who, Who::Committee | Who::Delegate) {
                    // Trine's draft: to others who may propose it does not exist (no 403 says so)
                    404
                } else {
                    403
                };
                assert_eq!(status, expected, "{:?} {who:?} {call:?}: {body}", t.backend);
                if expected != 200 {
                    assert_eq!(
                        snapshot(db).await,
                        before,
                        "{:?} {who:?} {call:?} changed something",
                        t.backend
                    );
                    let e: serde_json::Value = serde_json::from_str(&body).unwrap();
                    assert!(!e["message"].as_str().unwrap_or_default().is_empty());
                    continue;
                }
                // the change is there
                let a = amendment_row(db, number).await;
                match call {
                    Write::Save => {
                        let r: SaveResultDto = serde_json::from_str(&body).unwrap();
                        assert_eq!(r.saved, Some(VersionNumber(version + 1)));
                        assert!(r.conflict.is_none());
                        assert_eq!(current_text(db).await, (version + 1, changed.clone()));
                    }
                    Write::Propose => {
                        let new: i32 = serde_json::from_str(&body).unwrap();
                        let p = amendment_row(db, new).await;
                        assert_eq!(p.title, "A new amendment");
                        assert_eq!(p.status.as_str(), "submitted");
                        assert_eq!(p.proposed_markdown, changed);
                    }
                    Write::Update => {
                        assert_eq!(a.title, new_title);
                        assert_eq!(a.proposed_markdown, changed);
                    }
                    Write::Submit => assert_eq!(a.status.as_str(), "submitted"),
                    Write::Withdraw => assert_eq!(a.status.as_str(), "withdrawn"),
                    Write::Reject => {
                        assert_eq!(a.status.as_str(), "rejected");
                        assert_eq!(a.decision_reason.as_deref(), Some("Out of scope."));
                    }
                    Write::Accept => {
                        let r: AcceptResultDto = serde_json::from_str(&body).unwrap();
                        assert_eq!(r.version, VersionNumber(version + 1));
                        assert_eq!(a.status.as_str(), "accepted");
                        assert_eq!(current_text(db).await.0, version + 1);
                    }
                    Write::Comment => {
                        let detail: AmendmentDetailDto = b
                            .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
                            .await;
                        assert_eq!(detail.comments.len(), 1);
                        assert_eq!(detail.comments[0].body, "A *comment*.");
                        assert_eq!(detail.comments[0].body_html, "<p>A <em>comment</em>.</p>\n");
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// reads

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_needs_a_participant() {
    for (t, app) in backends().await {
        let number = fixture(&t.db, "trine@example.org", true, "reading").await;
        let n = number.to_string();
        let reads: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("get_versions", vec![("slug", SLUG)]),
            ("get_draft", vec![("slug", SLUG)]),
            ("get_draft", vec![("slug", SLUG), ("number", "1")]),
            (
                "compare_versions",
                vec![("slug", SLUG), ("from", "1"), ("to", "1")],
            ),
            ("get_amendments", vec![("slug", SLUG)]),
            ("get_amendment", vec![("slug", SLUG), ("number", &n)]),
            ("get_provenance", vec![("slug", SLUG)]),
            ("get_compilation", vec![("slug", SLUG)]),
        ];
        for who in [
            Who::Visitor,
            Who::Nobody,
            Who::Organiser,
            Who::Committee,
            Who::Head,
            Who::Delegate,
        ] {
            let b = as_who(&app, who).await;
            for (name, form) in &reads {
                let (s, body) = b.call(name, form).await;
                let expected = match who {
                    Who::Visitor => 401,
                    Who::Nobody => 403,
                    _ => 200,
                };
                assert_eq!(s, expected, "{:?} {who:?} {name}: {body}", t.backend);
            }
        }

        // what the organiser (a reader only) is offered
        let org = as_who(&app, Who::Organiser).await;
        let detail: AmendmentDetailDto = org
            .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        assert!(!detail.head.can_edit && !detail.head.can_propose);
        assert!(!detail.can_edit && !detail.can_decide && !detail.can_withdraw);
        assert!(detail.can_comment);
        let committee = as_who(&app, Who::Committee).await;
        let detail: AmendmentDetailDto = committee
            .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        assert!(detail.head.can_edit && detail.can_decide && detail.can_reject);
        assert!(!detail.can_edit);
        let trine = as_who(&app, Who::Head).await;
        let detail: AmendmentDetailDto = trine
            .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        assert!(detail.can_edit && detail.can_withdraw && !detail.can_submit);
        assert!(!detail.can_decide);
        assert_eq!(detail.touches_label, "amends paragraph 10");

        // numbers that do not exist
        for (name, form) in [
            (
                "compare_versions",
                vec![("slug", SLUG), ("from", "1"), ("to", "99")],
            ),
            ("get_draft", vec![("slug", SLUG), ("number", "99")]),
            ("get_amendment", vec![("slug", SLUG), ("number", "99")]),
            ("get_versions", vec![("slug", "no-such-conference")]),
        ] {
            org.fails(name, &form, 404).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_seen_by_their_sponsor_only() {
    for (t, app) in backends().await {
        let trine = as_who(&app, Who::Head).await;
        let (_, text) = current_text(&t.db).await;
        let changed = text.replace("health and well-being", "health, well-being and joy");
        let number: i32 = trine
            .ok(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", "1"),
                    ("title", "Joy"),
                    ("proposed_markdown", &changed),
                ],
            )
            .await;
        let n = number.to_string();
        let mine: AmendmentsDto = trine.ok("get_amendments", &[("slug", SLUG)]).await;
        assert_eq!(mine.amendments.len(), 1);
        let a = &mine.amendments[0];
        assert_eq!((a.status.as_str(), a.mine), ("draft", true));
        assert_eq!(a.delegation_name.as_deref(), Some("Denmark"));
        assert_eq!(a.touches_label, "amends paragraph 5");
        let detail: AmendmentDetailDto = trine
            .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        assert!(detail.can_submit && detail.can_edit);
        assert!(detail.diff.rows.iter().any(|r| r.changed));

        for who in [Who::Delegate, Who::Committee, Who::Organiser] {
            let b = as_who(&app, who).await;
            let list: AmendmentsDto = b.ok("get_amendments", &[("slug", SLUG)]).await;
            assert!(list.amendments.is_empty(), "{who:?} sees a draft");
            b.fails("get_amendment", &[("slug", SLUG), ("number", &n)], 404)
                .await;
            b.fails(
                "comment_amendment",
                &[("slug", SLUG), ("number", &n), ("body", "Hm.")],
                404,
            )
            .await;
        }

        // a new version collides with the draft: it stays a draft, holding its conflict for
        // Trine; the committee's save names no draft, others still see nothing of it
        let committee = as_who(&app, Who::Committee).await;
        let v2 = text.replace("health and well-being", "health and wellbeing");
        let saved: SaveResultDto = committee
            .ok(
                "save_declaration",
                &[
                    ("slug", SLUG),
                    ("base_version", "1"),
                    ("markdown", &v2),
                    ("message", "Spelling"),
                ],
            )
            .await;
        assert_eq!(saved.saved, Some(VersionNumber(2)));
        assert!(saved.flagged.is_empty() && saved.rebased.is_empty());
        for who in [Who::Delegate, Who::Committee, Who::Organiser] {
            let b = as_who(&app, who).await;
            let list: AmendmentsDto = b.ok("get_amendments", &[("slug", SLUG)]).await;
            assert!(list.amendments.is_empty(), "{who:?} sees a held draft");
            b.fails("get_amendment", &[("slug", SLUG), ("number", &n)], 404)
                .await;
        }
        let order: VotingOrderDto = committee.ok("get_voting_order", &[("slug", SLUG)]).await;
        assert!(order.waiting.is_empty() && order.amendments.is_empty());
        assert!(order.passages.iter().all(|p| p.items.is_empty()));
        let held: AmendmentDetailDto = trine
            .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        assert_eq!(held.status.as_str(), "draft");
        assert!(held.conflict.is_some() && held.can_edit && !held.can_submit);
        trine
            .fails("submit_amendment", &[("slug", SLUG), ("number", &n)], 409)
            .await;
        assert_eq!(amendment_row(&t.db, number).await.status, "draft");
        let resolved = v2.replace("health and wellbeing", "health, wellbeing and joy");
        let _: app::dto::Notice = trine
            .ok(
                "update_amendment",
                &[
                    ("slug", SLUG),
                    ("number", &n),
                    ("base_version", "2"),
                    ("title", "Joy"),
                    ("proposed_markdown", &resolved),
                ],
            )
            .await;
        let row = amendment_row(&t.db, number).await;
        assert_eq!(
            (row.status.as_str(), row.conflict_markdown),
            ("draft", None)
        );

        // submitted, everyone sees it
        let _: app::dto::Notice = trine
            .ok("submit_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        let jonas = as_who(&app, Who::Delegate).await;
        let list: AmendmentsDto = jonas.ok("get_amendments", &[("slug", SLUG)]).await;
        assert_eq!(list.amendments.len(), 1);
        assert!(!list.amendments[0].mine);
    }
}

// ---------------------------------------------------------------------------------------------
// refusals

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_clear_and_change_nothing() {
    for (t, app) in backends().await {
        let db = &t.db;
        let committee = as_who(&app, Who::Committee).await;
        let trine = as_who(&app, Who::Head).await;
        let (_, v1) = current_text(db).await;

        // a version to start from
        let v2 = v1.replace("health and well-being", "health and well-being of all ages");
        let saved: SaveResultDto = committee
            .ok(
                "save_declaration",
                &[("slug", SLUG), ("base_version", "1"), ("markdown", &v2)],
            )
            .await;
        assert_eq!(saved.saved, Some(VersionNumber(2)));
        let versions: VersionsDto = committee.ok("get_versions", &[("slug", SLUG)]).await;
        assert_eq!(versions.versions[0].message, "Edited", "default message");
        assert!(versions.versions[0].current);

        let before = snapshot(db).await;
        let field = |e: &serde_json::Value| e["field"].as_str().unwrap_or_default().to_owned();
        // unchanged text
        let e = committee
            .fails(
                "save_declaration",
                &[("slug", SLUG), ("base_version", "2"), ("markdown", &v2)],
                422,
            )
            .await;
        assert_eq!(field(&e), "markdown");
        // too long
        let huge = "word ".repeat(250_000);
        let e = committee
            .fails(
                "save_declaration",
                &[("slug", SLUG), ("base_version", "2"), ("markdown", &huge)],
                422,
            )
            .await;
        assert_eq!(field(&e), "markdown");
        // a NUL byte (git takes such a text for binary): refused, naming it and its line
        let nul = v2.replacen("health", "hea\u{0}lth", 1);
        let e = committee
            .fails(
                "save_declaration",
                &[("slug", SLUG), ("base_version", "2"), ("markdown", &nul)],
                422,
            )
            .await;
        assert_eq!(field(&e), "markdown", "{e}");
        let message = e["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("NUL") && message.contains("line"),
            "{message}"
        );
        let e = trine
            .fails(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", "2"),
                    ("title", "Control \u{1b}[31m"),
                    ("proposed_markdown", &v2.replace("well-being", "wellbeing")),
                ],
                422,
            )
            .await;
        assert_eq!(field(&e), "title");
        // no such base
        committee
            .fails(
                "save_declaration",
                &[("slug", SLUG), ("base_version", "99"), ("markdown", &v1)],
                404,
            )
            .await;
        // written against version 1, colliding with version 2: 409 with the conflict to
        // resolve, nothing saved
        let other = v1.replace("health and well-being", "health and happiness");
        let before_save = snapshot(&t.db).await;
        let e = committee
            .fails(
                "save_declaration",
                &[("slug", SLUG), ("base_version", "1"), ("markdown", &other)],
                409,
            )
            .await;
        assert_eq!(e["kind"], "conflict");
        assert_eq!(
            snapshot(&t.db).await,
            before_save,
            "a refused save changed something"
        );
        let r: SaveResultDto =
            serde_json::from_value(e["detail"].clone()).expect("the conflict in the refusal");
        assert_eq!((r.saved, r.current_version), (None, VersionNumber(2)));
        let c = r.conflict.expect("a conflict");
        assert!(c.with_markers.contains("<<<<<<<"), "{}", c.with_markers);
        assert!(c.with_markers.contains("happiness"));
        assert_eq!(c.regions.len(), 1);
        // empty title, nothing amended
        let e = trine
            .fails(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", "2"),
                    ("title", "  "),
                    ("proposed_markdown", &other),
                ],
                422,
            )
            .await;
        assert_eq!(field(&e), "title");
        let e = trine
            .fails(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", "2"),
                    ("title", "Nothing"),
                    ("proposed_markdown", &v2),
                ],
                422,
            )
            .await;
        assert_eq!(field(&e), "proposed_markdown");
        assert_eq!(snapshot(db).await, before);

        // written against version 1 elsewhere: merged onto version 2
        let elsewhere = v1.replace("strengthen partnerships", "strengthen lasting partnerships");
        let r: SaveResultDto = committee
            .ok(
                "save_declaration",
                &[
                    ("slug", SLUG),
                    ("base_version", "1"),
                    ("markdown", &elsewhere),
                    ("message", "Partnerships"),
                ],
            )
            .await;
        assert_eq!((r.saved, r.merged), (Some(VersionNumber(3)), true));
        let (_, v3) = current_text(db).await;
        assert!(v3.contains("of all ages") && v3.contains("lasting partnerships"));

        // an amendment, and the refusals around it
        let number = fixture(db, "trine@example.org", true, "refusals").await;
        let n = number.to_string();
        let before = snapshot(db).await;
        let e = committee
            .fails(
                "reject_amendment",
                &[("slug", SLUG), ("number", &n), ("reason", " ")],
                422,
            )
            .await;
        assert_eq!(field(&e), "reason");
        let e = committee
            .fails("reject_amendment", &[("slug", SLUG), ("number", &n)], 422)
            .await;
        assert_eq!(field(&e), "reason");
        let e = trine
            .fails(
                "comment_amendment",
                &[("slug", SLUG), ("number", &n), ("body", "")],
                422,
            )
            .await;
        assert_eq!(field(&e), "body");
        trine
            .fails("submit_amendment", &[("slug", SLUG), ("number", &n)], 409)
            .await;
        committee
            .fails("accept_amendment", &[("slug", SLUG), ("number", "99")], 404)
            .await;
        // a modification written against version 1 that collides with version 2
        let e = committee
            .fails(
                "accept_amendment",
                &[
                    ("slug", SLUG),
                    ("number", &n),
                    ("modified_markdown", &other),
                    ("modified_base_version", "1"),
                ],
                409,
            )
            .await;
        let message = e["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("This amendment no longer applies cleanly to the current text: "),
            "{message}"
        );
        assert_eq!(snapshot(db).await, before);

        // decided: no more changes
        let _: app::dto::Notice = committee
            .ok(
                "reject_amendment",
                &[("slug", SLUG), ("number", &n), ("reason", "Not now.")],
            )
            .await;
        let before = snapshot(db).await;
        committee
            .fails("accept_amendment", &[("slug", SLUG), ("number", &n)], 409)
            .await;
        trine
            .fails("withdraw_amendment", &[("slug", SLUG), ("number", &n)], 409)
            .await;
        let e = trine
            .fails(
                "update_amendment",
                &[
                    ("slug", SLUG),
                    ("number", &n),
                    ("base_version", "3"),
                    ("title", "Again"),
                    ("proposed_markdown", &other),
                ],
                409,
            )
            .await;
        assert!(e["message"]
            .as_str()
            .unwrap_or_default()
            .contains("rejected"));
        assert_eq!(snapshot(db).await, before);
        let detail: AmendmentDetailDto = trine
            .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        assert_eq!(detail.decision_reason.as_deref(), Some("Not now."));
        assert!(!detail.can_edit && !detail.can_withdraw);
        let steps: Vec<(Option<&str>, &str)> = detail
            .events
            .iter()
            .map(|e| (e.from_status.map(|s| s.as_str()), e.to_status.as_str()))
            .collect();
        assert_eq!(
            steps,
            [(None, "submitted"), (Some("submitted"), "rejected")]
        );
        assert_eq!(
            detail.events[1].actor_name.as_deref(),
            Some(detail_committee_name(db).await.as_str())
        );
    }
}

async fn detail_committee_name(db: &DatabaseConnection) -> String {
    let p = person_of(db, "committee@example.org").await;
    db::entity::person::Entity::find_by_id(p)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .name
}

// ---------------------------------------------------------------------------------------------
// the story

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_delegations_amend_the_same_paragraph() {
    for (t, app) in backends().await {
        let db = &t.db;
        let kenya = second_delegation(db).await;
        let committee = as_who(&app, Who::Committee).await;
        let trine = as_who(&app, Who::Head).await;
        let wanjiru = app.browser();
        wanjiru.log_in(kenya.0, kenya.1).await;

        // the committee revises the zero draft
        let draft: DraftDto = committee.ok("get_draft", &[("slug", SLUG)]).await;
        assert_eq!(draft.version.number, VersionNumber(1));
        assert!(draft.head.can_edit);
        let v2 = draft.markdown.replace(
            "and share what we learn with other cities.",
            "and share what we learn with other cities and regions.",
        );
        let saved: SaveResultDto = committee
            .ok(
                "save_declaration",
                &[
                    ("slug", SLUG),
                    ("base_version", "1"),
                    ("markdown", &v2),
                    ("message", "First revision"),
                ],
            )
            .await;
        assert_eq!(saved.saved, Some(VersionNumber(2)));

        // two delegations amend paragraph 5
        let old = "We commit to learning that contributes to health and well-being, in families, communities and";
        let danish = v2.replace(
            old,
            "We commit to learning that contributes to health, well-being and happiness, in families, communities and",
        );
        let kenyan = v2.replace(
            old,
            "We commit to learning that contributes to health and well-being at every age, in families, communities and",
        );
        assert_ne!(danish, v2);
        let one: i32 = trine
            .ok(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", "2"),
                    ("title", "Happiness"),
                    ("rationale", "Learning is *also* joy."),
                    ("proposed_markdown", &danish),
                    ("submit", "on"),
                ],
            )
            .await;
        let two: i32 = wanjiru
            .ok(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", "2"),
                    ("title", "Every age"),
                    ("rationale", "From early childhood to old age."),
                    ("proposed_markdown", &kenyan),
                    ("submit", "on"),
                ],
            )
            .await;
        assert_eq!((one, two), (1, 2));

        // the committee sees the collision
        let list: AmendmentsDto = committee.ok("get_amendments", &[("slug", SLUG)]).await;
        let by_number = |n: i32| {
            list.amendments
                .iter()
                .find(|a| a.number == AmendmentNumber(n))
                .cloned()
                .unwrap()
        };
        assert_eq!(by_number(1).collides_with, [AmendmentNumber(2)]);
        assert_eq!(by_number(2).collides_with, [AmendmentNumber(1)]);
        assert_eq!(by_number(1).touches_label, "amends paragraph 5");
        assert_eq!(by_number(2).delegation_name.as_deref(), Some("Kenya"));
        assert_eq!(by_number(1).delegation_name.as_deref(), Some("Denmark"));
        let compilation: String = committee.ok("get_compilation", &[("slug", SLUG)]).await;
        assert!(compilation.contains("**Amendment 1**"), "{compilation}");
        assert!(compilation.contains("**Amendment 2**"), "{compilation}");
        let detail: AmendmentDetailDto = committee
            .ok("get_amendment", &[("slug", SLUG), ("number", "1")])
            .await;
        assert_eq!(detail.collides_with, [AmendmentNumber(2)]);
        assert_eq!(
            detail.rationale_html,
            "<p>Learning is <em>also</em> joy.</p>\n"
        );
        let changed: Vec<&DiffRowDto> = detail.diff.rows.iter().filter(|r| r.changed).collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(
            changed[0].old.as_ref().and_then(|c| c.label.as_deref()),
            Some("5")
        );
        assert!(detail
            .diff
            .inline
            .iter()
            .any(|s| s.kind == DiffKind::Inserted && s.text.contains("happiness")));

        // the committee accepts the Danish one; the Kenyan one needs an update
        let accepted: AcceptResultDto = committee
            .ok("accept_amendment", &[("slug", SLUG), ("number", "1")])
            .await;
        assert_eq!(accepted.version, VersionNumber(3));
        assert_eq!(accepted.status.as_str(), "accepted");
        assert_eq!(accepted.flagged, [AmendmentNumber(2)]);
        let mine: AmendmentDetailDto = wanjiru
            .ok("get_amendment", &[("slug", SLUG), ("number", "2")])
            .await;
        assert_eq!(mine.status.as_str(), "needs_update");
        assert!(mine.can_edit);
        let conflict = mine.conflict.expect("a conflict to resolve");
        assert_eq!(conflict.version, VersionNumber(3));
        assert!(conflict.with_markers.contains("<<<<<<<"));
        assert!(conflict.with_markers.contains("happiness"));
        assert!(conflict.with_markers.contains("at every age"));
        // not before it is updated
        committee
            .fails("accept_amendment", &[("slug", SLUG), ("number", "2")], 409)
            .await;
        // nor by anyone but its sponsor
        trine
            .fails(
                "update_amendment",
                &[
                    ("slug", SLUG),
                    ("number", "2"),
                    ("base_version", "3"),
                    ("title", "Mine now"),
                    ("proposed_markdown", &danish),
                ],
                403,
            )
            .await;

        // its sponsor resolves it on version 3
        let (_, v3) = current_text(db).await;
        let resolved = v3.replace(
            "health, well-being and happiness,",
            "health, well-being and happiness at every age,",
        );
        assert_ne!(resolved, v3);
        let _: app::dto::Notice = wanjiru
            .ok(
                "update_amendment",
                &[
                    ("slug", SLUG),
                    ("number", "2"),
                    ("base_version", &conflict.version.to_string()),
                    ("title", "Every age"),
                    ("rationale", "From early childhood to old age."),
                    ("proposed_markdown", &resolved),
                ],
            )
            .await;
        let mine: AmendmentDetailDto = wanjiru
            .ok("get_amendment", &[("slug", SLUG), ("number", "2")])
            .await;
        assert_eq!(mine.status.as_str(), "submitted");
        assert_eq!(
            (mine.base_version, mine.original_base_version),
            (VersionNumber(3), VersionNumber(2))
        );
        assert!(mine.conflict.is_none());

        // the committee accepts it with a modification
        let modified = v3.replace(
            "health, well-being and happiness,",
            "health, well-being and happiness for people of every age,",
        );
        let accepted: AcceptResultDto = committee
            .ok(
                "accept_amendment",
                &[
                    ("slug", SLUG),
                    ("number", "2"),
                    ("modified_markdown", &modified),
                    ("modified_base_version", "3"),
                ],
            )
            .await;
        assert_eq!(accepted.version, VersionNumber(4));
        assert_eq!(accepted.status.as_str(), "accepted_with_modification");
        assert_eq!(current_text(db).await, (4, modified.clone()));

        // the versions show both amendments
        let versions: VersionsDto = trine.ok("get_versions", &[("slug", SLUG)]).await;
        let summary: Vec<(VersionNumber, Option<AmendmentNumber>, Option<&str>)> = versions
            .versions
            .iter()
            .map(|v| (v.number, v.amendment_number, v.amendment_title.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    VersionNumber(4),
                    Some(AmendmentNumber(2)),
                    Some("Every age")
                ),
                (
                    VersionNumber(3),
                    Some(AmendmentNumber(1)),
                    Some("Happiness")
                ),
                (VersionNumber(2), None, None),
                (VersionNumber(1), None, None),
            ]
        );
        assert_eq!(versions.versions[0].source_label, "Amendment 2 merged");
        assert_eq!(versions.versions[2].message, "First revision");
        let cmp: ComparisonDto = trine
            .ok(
                "compare_versions",
                &[("slug", SLUG), ("from", "2"), ("to", "4")],
            )
            .await;
        let inserted: String = cmp
            .diff
            .inline
            .iter()
            .filter(|s| s.kind == DiffKind::Inserted)
            .map(|s| s.text.as_str())
            .collect();
        assert!(inserted.contains("happiness"), "{inserted}");
        assert!(inserted.contains("every age"), "{inserted}");

        // and so does provenance
        let prov: ProvenanceDto = trine.ok("get_provenance", &[("slug", SLUG)]).await;
        let whole: String = prov.spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(whole, modified);
        let from = |n: i32| {
            prov.spans
                .iter()
                .filter(|s| {
                    s.amendment
                        .as_ref()
                        .is_some_and(|a| a.number == AmendmentNumber(n))
                })
                .map(|s| s.text.as_str())
                .collect::<String>()
        };
        assert!(from(1).contains("happiness"), "{:?}", prov.spans);
        assert!(from(2).contains("every age"), "{:?}", prov.spans);
        let sponsors: Vec<(AmendmentNumber, &str, Option<&str>)> = prov
            .spans
            .iter()
            .filter_map(|s| s.amendment.as_ref())
            .map(|a| {
                (
                    a.number,
                    a.sponsor_name.as_str(),
                    a.delegation_name.as_deref(),
                )
            })
            .collect();
        assert!(sponsors.contains(&(AmendmentNumber(2), "Wanjiru Kamau", Some("Kenya"))));
        assert!(sponsors
            .iter()
            .any(|s| s.0 == AmendmentNumber(1) && s.2 == Some("Denmark")));
        assert!(prov.spans.iter().any(|s| s.version == VersionNumber(2)));
    }
}

// ---------------------------------------------------------------------------------------------
// concurrency

/// Proposes and submits an amendment (the whole text) against `version`; returns its number.
async fn propose(who: &Browser, version: i32, markdown: &str, title: &str) -> i32 {
    let v = version.to_string();
    who.ok(
        "propose_amendment",
        &[
            ("slug", SLUG),
            ("base_version", &v),
            ("title", title),
            ("proposed_markdown", markdown),
            ("submit", "on"),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_committee_members_accept_at_the_same_moment() {
    for (t, app) in backends().await {
        let db = &t.db;
        add_person(
            db,
            "Second Committee",
            "committee2@example.org",
            "demo-committee-2",
            &["committee"],
            None,
        )
        .await;
        let first = as_who(&app, Who::Committee).await;
        let second = app.browser();
        second
            .log_in("committee2@example.org", "demo-committee-2")
            .await;
        let trine = as_who(&app, Who::Head).await;
        let jonas = as_who(&app, Who::Delegate).await;

        let rounds = [
            (
                (
                    "recall the Beijing Declaration",
                    "recall with gratitude the Beijing Declaration",
                ),
                ("strengthen partnerships", "strengthen lasting partnerships"),
            ),
            (
                ("We recognise the work", "We warmly recognise the work"),
                (
                    "to plan, monitor and evaluate",
                    "to plan, fund, monitor and evaluate",
                ),
            ),
        ];
        for (round, (a, b)) in rounds.iter().enumerate() {
            let (version, text) = current_text(db).await;
            let na = propose(&trine, version, &text.replace(a.0, a.1), "A")
                .await
                .to_string();
            let nb = propose(&jonas, version, &text.replace(b.0, b.1), "B")
                .await
                .to_string();
            let form_a = [("slug", SLUG), ("number", na.as_str())];
            let form_b = [("slug", SLUG), ("number", nb.as_str())];
            let (ra, rb) = tokio::join!(
                first.call("accept_amendment", &form_a),
                second.call("accept_amendment", &form_b),
            );
            assert_eq!(ra.0, 200, "{:?} round {round}: {}", t.backend, ra.1);
            assert_eq!(rb.0, 200, "{:?} round {round}: {}", t.backend, rb.1);
            let ra: AcceptResultDto = serde_json::from_str(&ra.1).unwrap();
            let rb: AcceptResultDto = serde_json::from_str(&rb.1).unwrap();
            let mut made = [ra.version, rb.version];
            made.sort_unstable();
            assert_eq!(
                made,
                [VersionNumber(version + 1), VersionNumber(version + 2)],
                "one after the other"
            );
            let (now, text) = current_text(db).await;
            assert_eq!(now, version + 2);
            assert!(text.contains(a.1) && text.contains(b.1), "{text}");
            for n in [&na, &nb] {
                assert_eq!(
                    amendment_row(db, n.parse().unwrap()).await.status,
                    "accepted"
                );
            }
        }
        // the history is a chain: each version's parent is the one before
        let versions = declaration_version::Entity::find()
            .filter(declaration_version::Column::DeclarationId.eq(declaration_id(db).await))
            .order_by_asc(declaration_version::Column::Number)
            .all(db)
            .await
            .unwrap();
        for w in versions.windows(2) {
            assert_eq!(w[1].parent_id, Some(w[0].id));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn co_sponsors_are_chosen_among_those_who_may_propose() {
    for (t, app) in backends().await {
        let trine = as_who(&app, Who::Head).await;
        let options: Vec<app::dto::OptionDto> =
            trine.ok("get_co_sponsor_options", &[("slug", SLUG)]).await;
        let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
        assert!(labels.contains(&"Jonas Holm (Denmark)"), "{labels:?}");
        assert!(
            labels.contains(&"Kwame Mensah (drafting committee)"),
            "{labels:?}"
        );
        assert!(
            !labels
                .iter()
                .any(|l| l.starts_with("Trine") || l.starts_with("Sofía")),
            "neither the sponsor nor an organiser: {labels:?}"
        );
        let id_of = |prefix: &str| {
            options
                .iter()
                .find(|o| o.label.starts_with(prefix))
                .unwrap()
                .value
                .clone()
        };
        let (jonas_id, kwame_id) = (id_of("Jonas"), id_of("Kwame"));

        let (_, text) = current_text(&t.db).await;
        let changed = text.replace("health and well-being", "health, well-being and joy");
        let form = |co: Vec<(&'static str, String)>| {
            let mut f: Vec<(&'static str, String)> = vec![
                ("slug", SLUG.into()),
                ("base_version", "1".into()),
                ("title", "Joy, co-sponsored".into()),
                ("proposed_markdown", changed.clone()),
            ];
            f.extend(co);
            f
        };
        let call = |f: Vec<(&'static str, String)>| {
            let b = &trine;
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                b.call("propose_amendment", &f).await
            }
        };
        // an organiser, or someone unknown, cannot be named
        let organiser_person = person_of(&t.db, "organiser@example.org").await.to_string();
        let before = amendment::Entity::find().all(&t.db).await.unwrap().len();
        for bad in [organiser_person, "999999".into()] {
            let (s, body) = call(form(vec![("co_sponsors[0]", bad)])).await;
            assert_eq!(s, 422, "{body}");
            assert!(body.contains("choose them from the list"), "{body}");
        }
        assert_eq!(
            amendment::Entity::find().all(&t.db).await.unwrap().len(),
            before
        );

        let (s, body) = call(form(vec![
            ("co_sponsors[0]", jonas_id.clone()),
            ("co_sponsors[1]", kwame_id.clone()),
            ("co_sponsors[2]", jonas_id.clone()),
        ]))
        .await;
        assert_eq!(s, 200, "{body}");
        let n = body.trim().to_string();
        let detail: AmendmentDetailDto = trine
            .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
            .await;
        let mut names = detail.co_sponsors.clone();
        names.sort();
        assert_eq!(names, ["Jonas Holm", "Kwame Mensah"]);

        // the draft is seen by its co-sponsors, and by no one else
        for who in [Who::Delegate, Who::Committee] {
            let b = as_who(&app, who).await;
            let d: AmendmentDetailDto = b
                .ok("get_amendment", &[("slug", SLUG), ("number", &n)])
                .await;
            assert_eq!(d.status.as_str(), "draft", "{who:?}");
        }
        let mette = app.browser();
        mette
            .must_log_in("mette@example.org", "demo-delegate")
            .await;
        mette
            .fails("get_amendment", &[("slug", SLUG), ("number", &n)], 404)
            .await;

        // only those who may propose ask for the list
        app.browser()
            .fails("get_co_sponsor_options", &[("slug", SLUG)], 401)
            .await;
        as_who(&app, Who::Organiser)
            .await
            .fails("get_co_sponsor_options", &[("slug", SLUG)], 403)
            .await;
    }
}

// ---------------------------------------------------------------------------------------------
// paragraph labels

/// The first paragraph a diff inserts.
fn inserted_cell(diff: &DiffDto) -> &DiffCellDto {
    diff.rows
        .iter()
        .find(|r| r.old.is_none())
        .and_then(|r| r.new.as_ref())
        .expect("an inserted paragraph")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inserted_paragraph_shows_as_bis_everywhere() {
    const GLOBAL: &str = "We commit to building learning cities that foster global citizenship";
    for (t, app) in backends().await {
        let committee = as_who(&app, Who::Committee).await;
        let (_, v1) = current_text(&t.db).await;
        let v2 = v1.replace(
            GLOBAL,
            &format!("A paragraph for older learners.\n\n{GLOBAL}"),
        );
        let saved: SaveResultDto = committee
            .ok(
                "save_declaration",
                &[("slug", SLUG), ("base_version", "1"), ("markdown", &v2)],
            )
            .await;
        assert_eq!(saved.saved, Some(VersionNumber(2)), "{:?}", t.backend);

        let draft: DraftDto = committee.ok("get_draft", &[("slug", SLUG)]).await;
        let shown: Vec<String> = draft
            .labels
            .iter()
            .flatten()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(&shown[..6], ["1", "2", "3", "3 bis", "4", "5"]);
        assert!(draft.html.contains(
            r#"<div class="para" id="para-3-bis"><span class="para-number">3 bis</span>"#
        ));

        // the comparison labels the new paragraph; the others keep their numbers
        let cmp: ComparisonDto = committee
            .ok(
                "compare_versions",
                &[("slug", SLUG), ("from", "1"), ("to", "2")],
            )
            .await;
        let inserted = inserted_cell(&cmp.diff);
        assert_eq!(inserted.label.as_deref(), Some("3 bis"));
        assert!(cmp
            .diff
            .rows
            .iter()
            .filter_map(|r| r.old.as_ref().zip(r.new.as_ref()))
            .all(|(o, n)| o.label == n.label));

        // an amendment to the paragraph after it amends paragraph 4, and one that inserts
        // after 3 bis brings in 3 ter
        let v3 = v2.replace(GLOBAL, &format!("{GLOBAL}, and learning for peace"));
        let trine = as_who(&app, Who::Head).await;
        let proposed = v2.replace(
            "A paragraph for older learners.",
            "A paragraph for older learners.\n\nAnd one for the youngest.",
        );
        for (title, text, touches) in [
            ("Peace", &v3, "amends paragraph 4"),
            ("Youngest", &proposed, "amends paragraphs 3 bis, 4"),
        ] {
            let n: i32 = trine
                .ok(
                    "propose_amendment",
                    &[
                        ("slug", SLUG),
                        ("base_version", "2"),
                        ("title", title),
                        ("rationale", "Because."),
                        ("proposed_markdown", text),
                    ],
                )
                .await;
            let a: AmendmentDetailDto = trine
                .ok(
                    "get_amendment",
                    &[("slug", SLUG), ("number", &n.to_string())],
                )
                .await;
            assert_eq!(a.touches_label, touches, "{title}");
            assert_eq!(
                a.proposed_labels.len(),
                domain::drafting::paragraphs(text).len()
            );
            if title == "Youngest" {
                let new_cell = inserted_cell(&a.diff);
                assert_eq!(new_cell.label.as_deref(), Some("3 ter"));
            }
        }

        // the declaration page shows the labels to a participant
        let page = committee
            .http
            .get(format!("{}/conferences/{SLUG}/declaration", committee.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"<span class="para-number">3 bis</span>"#),
            "{page}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// the amendment deadline

async fn deadline_of(db: &DatabaseConnection) -> Option<chrono::DateTime<chrono::Utc>> {
    declaration::Entity::find_by_id(declaration_id(db).await)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .amendment_deadline
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_deadline_only_the_committee_acts_on_amendments() {
    for (t, app) in backends().await {
        let db = &t.db;
        let organiser = as_who(&app, Who::Organiser).await;
        let committee = as_who(&app, Who::Committee).await;
        let head = as_who(&app, Who::Head).await;
        let delegate = as_who(&app, Who::Delegate).await;
        let draft = fixture(db, "trine@example.org", false, "Draft before the deadline").await;
        let pending = fixture(db, "trine@example.org", true, "Submitted before it").await;

        // bad input, a delegate, a cross-site form: refused, nothing changed
        let before = snapshot(db).await;
        let e = organiser
            .fails(
                "set_amendment_deadline",
                &[("slug", SLUG), ("deadline", "tomorrow at noon")],
                422,
            )
            .await;
        assert_eq!(e["field"], "deadline", "{e}");
        delegate
            .fails(
                "set_amendment_deadline",
                &[("slug", SLUG), ("deadline", "2015-01-01T09:00")],
                403,
            )
            .await;
        let r = organiser
            .http
            .post(format!(
                "{}{}",
                organiser.base,
                common::fn_path("set_amendment_deadline")
            ))
            .header("origin", "https://evil.example")
            .form(&[("slug", SLUG), ("deadline", "2015-01-01T09:00")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(before, snapshot(db).await);
        assert_eq!(deadline_of(db).await, None);

        // a deadline already past (in Mexico City's time) closes proposals at once
        let n: serde_json::Value = organiser
            .ok(
                "set_amendment_deadline",
                &[("slug", SLUG), ("deadline", "2015-01-01T09:00")],
            )
            .await;
        assert!(
            n["message"]
                .as_str()
                .unwrap()
                .contains("1 January 2015, 09:00 CST"),
            "{n}"
        );
        assert_eq!(
            deadline_of(db).await.map(|d| d.to_rfc3339()),
            Some("2015-01-01T15:00:00+00:00".into())
        );
        let page: DraftDto = delegate.ok("get_draft", &[("slug", SLUG)]).await;
        assert!(!page.head.can_propose);
        let dl = page.head.deadline.expect("the deadline on the page");
        assert!(dl.passed);
        assert_eq!(dl.label, "1 January 2015, 09:00 CST");

        let (version, text) = current_text(db).await;
        let v = version.to_string();
        let proposal = with_paragraph(&text, "After the deadline");
        let (dn, pn) = (draft.to_string(), pending.to_string());
        let before = snapshot(db).await;
        for (who, name, form) in [
            (
                &delegate,
                "propose_amendment",
                vec![
                    ("slug", SLUG),
                    ("base_version", v.as_str()),
                    ("title", "Too late"),
                    ("proposed_markdown", proposal.as_str()),
                    ("submit", "on"),
                ],
            ),
            (
                &head,
                "submit_amendment",
                vec![("slug", SLUG), ("number", dn.as_str())],
            ),
            (
                &head,
                "update_amendment",
                vec![
                    ("slug", SLUG),
                    ("number", pn.as_str()),
                    ("base_version", v.as_str()),
                    ("title", "Changed too late"),
                    ("rationale", ""),
                    ("proposed_markdown", proposal.as_str()),
                ],
            ),
        ] {
            let e = who.fails(name, &form, 409).await;
            let m = e["message"].as_str().unwrap();
            assert!(
                m.contains("Amendments closed on 1 January 2015, 09:00 CST"),
                "{name}: {m}"
            );
        }
        assert_eq!(before, snapshot(db).await, "refused after the deadline");

        // the committee still acts: proposes a compromise, accepts what was proposed before
        let committee_page: DraftDto = committee.ok("get_draft", &[("slug", SLUG)]).await;
        assert!(committee_page.head.can_propose);
        propose(&committee, version, &proposal, "A compromise").await;
        let _: AcceptResultDto = committee
            .ok("accept_amendment", &[("slug", SLUG), ("number", &pn)])
            .await;
        // the sponsor may still withdraw (which proposes nothing)
        let _: serde_json::Value = head
            .ok("withdraw_amendment", &[("slug", SLUG), ("number", &dn)])
            .await;

        // cleared: proposals open again
        let _: serde_json::Value = organiser
            .ok(
                "set_amendment_deadline",
                &[("slug", SLUG), ("deadline", "")],
            )
            .await;
        assert_eq!(deadline_of(db).await, None);
        let (version, text) = current_text(db).await;
        propose(
            &delegate,
            version,
            &with_paragraph(&text, "Once the deadline is lifted"),
            "On time again",
        )
        .await;
    }
}

// ---------------------------------------------------------------------------------------------
// the voting order

/// A submitted amendment by `sponsor` of the current text with `from` replaced by `to`.
pub(crate) async fn amend(db: &DatabaseConnection, sponsor: &str, from: &str, to: &str) -> i32 {
    common::amend(db, SLUG, sponsor, from, to, &format!("{from} → {to}")).await
}

pub(crate) fn order_of(v: &VotingOrderDto) -> Vec<Vec<i32>> {
    v.passages
        .iter()
        .map(|p| p.items.iter().map(|i| i.number.0).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_voting_order_follows_the_rule_and_the_committee() {
    for (t, app) in backends().await {
        let db = &t.db;
        let committee = as_who(&app, Who::Committee).await;
        let delegate = as_who(&app, Who::Delegate).await;
        let small = amend(
            db,
            "trine@example.org",
            "foster global",
            "foster active global",
        )
        .await;
        let large = amend(
            db,
            "trine@example.org",
            "global citizenship, so that",
            "a shared sense of global citizenship and solidarity among peoples, so that",
        )
        .await;
        let other = amend(
            db,
            "trine@example.org",
            "to learning that",
            "to lifelong learning that",
        )
        .await;
        let draft = fixture(db, "trine@example.org", false, "A draft is not voted on").await;

        // proposed: the passage of the text first; the furthest removed first; collisions told
        let v: VotingOrderDto = delegate.ok("get_voting_order", &[("slug", SLUG)]).await;
        assert!(!v.can_arrange);
        assert_eq!(order_of(&v), vec![vec![large, small], vec![other]]);
        let first = &v.passages[0];
        assert!(!first.by_committee);
        assert_eq!(first.items[0].collides_with, vec![AmendmentNumber(small)]);
        assert!(first.items[0].words_changed > first.items[1].words_changed);
        assert_eq!(first.items[1].words_changed, 1);
        assert_eq!(first.items[0].sponsor_name, "Trine Bendix Knudsen");
        assert!(v.passages[1].items[0].collides_with.is_empty());
        let (s, page) = {
            let (s, _, page) = delegate
                .get(&format!("/conferences/{SLUG}/amendments/voting"))
                .await;
            (s, page)
        };
        assert_eq!(s, 200);
        assert!(page.contains("Voting order"), "{page}");

        // the committee moves the small one first; the delegate may not
        let (ns, ls) = (small.to_string(), large.to_string());
        delegate
            .fails(
                "move_in_voting_order",
                &[("slug", SLUG), ("number", &ns), ("direction", "up")],
                403,
            )
            .await;
        let _: serde_json::Value = committee
            .ok(
                "move_in_voting_order",
                &[("slug", SLUG), ("number", &ns), ("direction", "up")],
            )
            .await;
        let v: VotingOrderDto = delegate.ok("get_voting_order", &[("slug", SLUG)]).await;
        assert_eq!(order_of(&v), vec![vec![small, large], vec![other]]);
        assert!(v.passages[0].by_committee);

        // a dependency: the large one only makes sense after the small one
        let _: serde_json::Value = committee
            .ok(
                "set_vote_dependency",
                &[("slug", SLUG), ("number", &ls), ("depends_on", &ns)],
            )
            .await;
        let before = snapshot(db).await;
        let e = committee
            .fails(
                "move_in_voting_order",
                &[("slug", SLUG), ("number", &ls), ("direction", "up")],
                409,
            )
            .await;
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains(&format!("Amendment {large} depends on amendment {small}")),
            "{e}"
        );
        // a circle, itself, a draft, bad input: refused, nothing changed
        committee
            .fails(
                "set_vote_dependency",
                &[("slug", SLUG), ("number", &ns), ("depends_on", &ls)],
                409,
            )
            .await;
        let e = committee
            .fails(
                "set_vote_dependency",
                &[("slug", SLUG), ("number", &ns), ("depends_on", &ns)],
                422,
            )
            .await;
        assert_eq!(e["field"], "depends_on");
        let dn = draft.to_string();
        committee
            .fails(
                "set_vote_dependency",
                &[("slug", SLUG), ("number", &dn), ("depends_on", &ns)],
                404,
            )
            .await;
        committee
            .fails(
                "move_in_voting_order",
                &[("slug", SLUG), ("number", &ns), ("direction", "sideways")],
                422,
            )
            .await;
        assert_eq!(before, snapshot(db).await);
        let v: VotingOrderDto = delegate.ok("get_voting_order", &[("slug", SLUG)]).await;
        assert_eq!(
            v.passages[0].items[1].depends_on,
            vec![AmendmentNumber(small)]
        );

        // the dependency forgotten: the large one may go first again
        let _: serde_json::Value = committee
            .ok(
                "set_vote_dependency",
                &[
                    ("slug", SLUG),
                    ("number", &ls),
                    ("depends_on", &ns),
                    ("remove", "on"),
                ],
            )
            .await;
        let _: serde_json::Value = committee
            .ok(
                "move_in_voting_order",
                &[("slug", SLUG), ("number", &ls), ("direction", "up")],
            )
            .await;
        let v: VotingOrderDto = delegate.ok("get_voting_order", &[("slug", SLUG)]).await;
        assert_eq!(order_of(&v), vec![vec![large, small], vec![other]]);

        // once decided, an amendment leaves the order
        let _: AcceptResultDto = committee
            .ok(
                "accept_amendment",
                &[("slug", SLUG), ("number", &other.to_string())],
            )
            .await;
        let v: VotingOrderDto = delegate.ok("get_voting_order", &[("slug", SLUG)]).await;
        assert_eq!(order_of(&v), vec![vec![large, small]]);
    }
}

// ---------------------------------------------------------------------------------------------
// the plenary screen

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screen_shows_what_the_chair_puts_up_and_follows_it() {
    const WAIT: std::time::Duration = std::time::Duration::from_secs(10);
    for (t, app) in backends().await {
        let db = &t.db;
        let committee = as_who(&app, Who::Committee).await;
        let organiser = as_who(&app, Who::Organiser).await;
        let delegate = as_who(&app, Who::Delegate).await;
        let n = amend(
            db,
            "trine@example.org",
            "to learning that",
            "to lifelong learning that",
        )
        .await;
        let draft = fixture(db, "trine@example.org", false, "Not for the screen").await;
        let ns = n.to_string();

        let s: ScreenDto = delegate.ok("get_screen", &[("slug", SLUG)]).await;
        assert!(s.amendment.is_none() && s.paragraphs.is_empty() && !s.can_chair);

        // refusals change nothing: a delegate, both at once, an unknown paragraph, a draft
        let before = snapshot(db).await;
        delegate
            .fails("put_on_screen", &[("slug", SLUG), ("number", &ns)], 403)
            .await;
        let e = committee
            .fails(
                "put_on_screen",
                &[("slug", SLUG), ("number", &ns), ("paragraph", "1")],
                422,
            )
            .await;
        assert_eq!(e["field"], "paragraph");
        let e = committee
            .fails(
                "put_on_screen",
                &[("slug", SLUG), ("paragraph", "99 bis")],
                422,
            )
            .await;
        assert_eq!(e["field"], "paragraph");
        committee
            .fails(
                "put_on_screen",
                &[("slug", SLUG), ("number", &draft.to_string())],
                404,
            )
            .await;
        committee
            .fails("put_on_screen", &[("slug", SLUG), ("number", "three")], 422)
            .await;
        assert_eq!(before, snapshot(db).await);

        // the chair (here the organiser) puts up a paragraph, then the committee an amendment;
        // a delegate's screen hears each change
        let mut stream = delegate.follow(SLUG, None).await;
        let _: serde_json::Value = organiser
            .ok("put_on_screen", &[("slug", SLUG), ("paragraph", "2")])
            .await;
        stream.until("screen_changed", WAIT).await.expect("heard");
        let s: ScreenDto = delegate.ok("get_screen", &[("slug", SLUG)]).await;
        assert_eq!(s.paragraphs.len(), 1);
        assert_eq!(s.paragraphs[0].label.as_deref(), Some("Paragraph 2"));
        assert!(s.paragraphs[0]
            .spans
            .iter()
            .all(|x| x.kind == DiffKind::Equal));

        let _: serde_json::Value = committee
            .ok("put_on_screen", &[("slug", SLUG), ("number", &ns)])
            .await;
        stream.until("screen_changed", WAIT).await.expect("heard");
        let s: ScreenDto = delegate.ok("get_screen", &[("slug", SLUG)]).await;
        let a = s.amendment.expect("the amendment on the screen");
        assert_eq!(a.number, AmendmentNumber(n));
        assert_eq!(a.sponsor_name, "Trine Bendix Knudsen");
        assert_eq!(a.result, None);
        assert_eq!(s.paragraphs.len(), 1, "{:?}", s.paragraphs);
        let inserted: String = s.paragraphs[0]
            .spans
            .iter()
            .filter(|x| x.kind == DiffKind::Inserted)
            .map(|x| x.text.as_str())
            .collect();
        assert_eq!(inserted.trim(), "lifelong");

        // decided: the screen shows the result
        let _: AcceptResultDto = committee
            .ok("accept_amendment", &[("slug", SLUG), ("number", &ns)])
            .await;
        let s: ScreenDto = delegate.ok("get_screen", &[("slug", SLUG)]).await;
        assert_eq!(
            s.amendment.and_then(|a| a.result).as_deref(),
            Some("Adopted")
        );

        // cleared
        let _: serde_json::Value = committee.ok("put_on_screen", &[("slug", SLUG)]).await;
        let s: ScreenDto = delegate.ok("get_screen", &[("slug", SLUG)]).await;
        assert!(s.amendment.is_none() && s.paragraphs.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// square brackets

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brackets_are_set_settled_kept_by_amendments_and_stop_adoption() {
    for (t, app) in backends().await {
        let db = &t.db;
        let committee = as_who(&app, Who::Committee).await;
        let organiser = as_who(&app, Who::Organiser).await;
        let delegate = as_who(&app, Who::Delegate).await;
        let pending = amend(
            db,
            "trine@example.org",
            "to learning that",
            "to lifelong learning that",
        )
        .await;
        let (v, _) = current_text(db).await;
        let vs = v.to_string();

        let s: BracketsDto = delegate.ok("get_brackets", &[("slug", SLUG)]).await;
        assert!(!s.can_edit);
        assert_eq!((s.bracketed, s.ad_ref, s.bracketed_words), (0, 0, 0));
        assert!(s.agreed > 3 && s.total_words > 100);

        // refusals change nothing: a delegate, the organiser, a cross-site form, a stale
        // version, words not in the paragraph, an unknown paragraph, a bad decision
        let before = snapshot(db).await;
        let form = [
            ("slug", SLUG),
            ("version", vs.as_str()),
            ("paragraph", "1"),
            ("passage", "second International Conference"),
            (
                "alternatives",
                "third International Conference\nInternational Conference",
            ),
        ];
        delegate.fails("bracket_passage", &form, 403).await;
        organiser.fails("bracket_passage", &form, 403).await;
        let r = committee
            .http
            .post(format!(
                "{}{}",
                committee.base,
                common::fn_path("bracket_passage")
            ))
            .header("origin", "https://evil.example")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let stale = (v - 1).to_string();
        let mut f = form;
        f[1].1 = &stale;
        let e = committee.fails("bracket_passage", &f, 409).await;
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains(&format!("version {v}")),
            "{e}"
        );
        let mut f = form;
        f[3].1 = "words that are not there";
        let e = committee.fails("bracket_passage", &f, 422).await;
        assert_eq!(e["field"], "passage");
        let mut f = form;
        f[2].1 = "99 bis";
        let e = committee.fails("bracket_passage", &f, 422).await;
        assert_eq!(e["field"], "paragraph");
        let mut f = form;
        f[4].1 = "a ]] b";
        let e = committee.fails("bracket_passage", &f, 422).await;
        assert_eq!(e["field"], "alternatives");
        assert_eq!(before, snapshot(db).await);

        // the committee brackets a passage with two alternatives: a new version, the pending
        // amendment rebased onto it, a delegate sees the brackets
        let n: serde_json::Value = committee.ok("bracket_passage", &form).await;
        assert!(
            n["message"].as_str().unwrap().contains("in brackets"),
            "{n}"
        );
        let (v2, text) = current_text(db).await;
        assert_eq!(v2, v + 1);
        assert!(text.contains("the [[second International Conference / third International Conference / International Conference]] on Learning"), "{text}");
        let a = amendment_row(db, pending).await;
        assert_eq!(a.status, "submitted");
        assert!(
            a.proposed_markdown
                .contains("[[second International Conference / third"),
            "the amendment carries the brackets"
        );
        let s: BracketsDto = delegate.ok("get_brackets", &[("slug", SLUG)]).await;
        assert_eq!(s.bracketed, 1);
        assert_eq!(s.bracketed_words, 8);
        let p1 = s.paragraphs.iter().find(|p| p.label == "1").unwrap();
        assert_eq!(
            p1.status,
            domain::drafting::brackets::ParagraphStatus::Bracketed(1)
        );
        assert_eq!(p1.brackets[0].alternatives.len(), 3);
        assert!(p1.html.contains(r#"<span class="bracket""#), "{}", p1.html);
        let d: DraftDto = delegate.ok("get_draft", &[("slug", SLUG)]).await;
        assert!(
            d.html
                .contains(r#"[</span>second International Conference / third"#),
            "{}",
            d.html
        );

        // the working draft as a PDF, for participants (bracket marks as text: unit-tested in
        // domain::markdown)
        let (s, _, _) = app
            .browser()
            .get(&format!("/conferences/{SLUG}/declaration/draft.pdf"))
            .await;
        assert_eq!(s, 401);
        let (s, headers, body) = delegate
            .get(&format!("/conferences/{SLUG}/declaration/draft.pdf"))
            .await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(headers["content-type"], "application/pdf");
        assert!(body.starts_with("%PDF-"));

        // filtered by a Key Feature no paragraph carries: none shown, the totals stay
        let s: BracketsDto = delegate
            .ok("get_brackets", &[("slug", SLUG), ("feature", "F3")])
            .await;
        assert!(s.paragraphs.is_empty());
        assert_eq!(s.bracketed, 1);
        delegate
            .fails("get_brackets", &[("slug", SLUG), ("feature", "Z9")], 422)
            .await;

        // adoption refused while it stands, with the list
        let adopt = |version: String| {
            vec![
                ("slug", SLUG.to_string()),
                ("version", version),
                ("date", "2015-09-30".to_string()),
                ("place", "Mexico City".to_string()),
                ("confirm", "on".to_string()),
            ]
        };
        let before = snapshot(db).await;
        let (status, body) = organiser
            .call_with("adopt_declaration", &adopt(v2.to_string()))
            .await;
        assert_eq!(status, 409, "{body}");
        let e: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(e["message"].as_str().unwrap().contains("cannot be adopted while passages are not agreed: Paragraph 1: “second International Conference / third International Conference / …” in brackets."), "{e}");
        assert_eq!(e["detail"].as_array().map(Vec::len), Some(1), "{e}");
        assert_eq!(before, snapshot(db).await);

        // agreed ad ref with the third wording: adoption still refused; then confirmed
        let v2s = v2.to_string();
        let settle = |version: &str, decision: &'static str, choice: Option<&'static str>| {
            let mut f = vec![
                ("slug", SLUG.to_string()),
                ("version", version.to_string()),
                ("bracket", "0".to_string()),
                ("decision", decision.to_string()),
            ];
            if let Some(c) = choice {
                f.push(("choice", c.to_string()));
            }
            f
        };
        let (status, body) = committee
            .call_with("settle_bracket", &settle(&v2s, "agreed", None))
            .await;
        assert_eq!(status, 422, "three wordings: which one? {body}");
        let (status, _) = committee
            .call_with("settle_bracket", &settle(&v2s, "maybe", None))
            .await;
        assert_eq!(status, 422);
        let (status, _) = delegate
            .call_with("settle_bracket", &settle(&v2s, "ad_ref", Some("3")))
            .await;
        assert_eq!(status, 403);
        let (status, body) = committee
            .call_with("settle_bracket", &settle(&v2s, "ad_ref", Some("3")))
            .await;
        assert_eq!(status, 200, "{body}");
        let (v3, text) = current_text(db).await;
        assert!(
            text.contains("the [[ad ref: International Conference]] on Learning"),
            "{text}"
        );
        let (status, body) = organiser
            .call_with("adopt_declaration", &adopt(v3.to_string()))
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(body.contains("agreed ad referendum"), "{body}");
        let (status, body) = committee
            .call_with("settle_bracket", &settle(&v3.to_string(), "agreed", None))
            .await;
        assert_eq!(status, 200, "{body}");
        let (v4, text) = current_text(db).await;
        assert!(
            text.contains("for the International Conference on Learning"),
            "{text}"
        );
        assert!(!text.contains("[["));
        let a = amendment_row(db, pending).await;
        assert_eq!(a.status, "submitted");
        assert!(a
            .proposed_markdown
            .contains("for the International Conference on Learning"));
        let s: BracketsDto = delegate.ok("get_brackets", &[("slug", SLUG)]).await;
        assert_eq!((s.bracketed, s.ad_ref), (0, 0));
        let (status, body) = committee
            .call_with("settle_bracket", &settle(&v4.to_string(), "agreed", None))
            .await;
        assert_eq!(status, 409, "no bracket left: {body}");
        let (status, body) = organiser
            .call_with("adopt_declaration", &adopt(v4.to_string()))
            .await;
        assert_eq!(status, 200, "{body}");
        // once adopted, no more marks
        let mut f = form;
        let v4s = v4.to_string();
        f[1].1 = &v4s;
        f[3].1 = "recall the Beijing Declaration";
        committee.fails("bracket_passage", &f, 409).await;
    }
}

// ---------------------------------------------------------------------------------------------
// comments anchored to passages of the draft

async fn draft_comment_count(db: &DatabaseConnection) -> usize {
    use sea_orm::PaginatorTrait;
    db::entity::draft_comment::Entity::find()
        .count(db)
        .await
        .unwrap() as usize
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_follows_its_passage_and_folds_away_when_resolved() {
    for (t, app) in backends().await {
        let db = &t.db;
        let committee = as_who(&app, Who::Committee).await;
        let head = as_who(&app, Who::Head).await;
        let delegate = as_who(&app, Who::Delegate).await;
        let (v, _) = current_text(db).await;
        let vs = v.to_string();
        let form = [
            ("slug", SLUG),
            ("version", vs.as_str()),
            ("paragraph", "1"),
            ("passage", "recall the Beijing Declaration"),
            ("body", "Which *Beijing* text? <script>alert(1)</script>"),
        ];

        // refusals add nothing: a visitor, a cross-site form, an unknown paragraph, words not
        // in it, an empty comment, a version that does not exist
        let (s, _) = app.browser().call("comment_on_draft", &form).await;
        assert_eq!(s, 401);
        let r = head
            .http
            .post(format!(
                "{}{}",
                head.base,
                common::fn_path("comment_on_draft")
            ))
            .header("origin", "https://evil.example")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let mut f = form;
        f[2].1 = "99";
        assert_eq!(
            head.fails("comment_on_draft", &f, 422).await["field"],
            "paragraph"
        );
        let mut f = form;
        f[3].1 = "recall the Tokyo Declaration";
        assert_eq!(
            head.fails("comment_on_draft", &f, 422).await["field"],
            "passage"
        );
        let mut f = form;
        f[4].1 = "  ";
        assert_eq!(
            head.fails("comment_on_draft", &f, 422).await["field"],
            "body"
        );
        let mut f = form;
        f[1].1 = "999";
        head.fails("comment_on_draft", &f, 404).await;
        assert_eq!(draft_comment_count(db).await, 0);

        // Trine comments; a passage later deleted gets Jonas's comment
        let n: serde_json::Value = head.ok("comment_on_draft", &form).await;
        assert!(
            n["message"]
                .as_str()
                .unwrap()
                .contains("recall the Beijing Declaration"),
            "{n}"
        );
        let _: serde_json::Value = delegate
            .ok(
                "comment_on_draft",
                &[
                    ("slug", SLUG),
                    ("version", vs.as_str()),
                    ("paragraph", "2"),
                    ("passage", "architects and executors"),
                    ("body", "Too grand."),
                ],
            )
            .await;
        let list: DraftCommentsDto = delegate.ok("get_draft_comments", &[("slug", SLUG)]).await;
        assert_eq!(list.open.len(), 2);
        let c = &list.open[0];
        assert_eq!(c.place.as_deref(), Some("Paragraph 1"));
        assert_eq!(c.passage.as_deref(), Some("recall the Beijing Declaration"));
        assert!(
            c.body_html.contains("<em>Beijing</em>") && !c.body_html.contains("<script"),
            "{}",
            c.body_html
        );
        assert!(!c.can_resolve, "Jonas did not write it");

        // the committee edits around and inside the first passage and deletes the second
        let (_, text) = current_text(db).await;
        let edited = text
            .replacen(
                "recall the Beijing Declaration",
                "recall with gratitude the Beijing Declaration",
                1,
            )
            .replacen(
                "both architects and executors of strategies",
                "drivers of strategies",
                1,
            );
        assert_ne!(edited, text);
        let _: serde_json::Value = committee
            .ok(
                "save_declaration",
                &[
                    ("slug", SLUG),
                    ("base_version", &vs),
                    ("markdown", &edited),
                    ("message", "Edits"),
                ],
            )
            .await;
        let list: DraftCommentsDto = head.ok("get_draft_comments", &[("slug", SLUG)]).await;
        let c = &list.open[0];
        assert_eq!(
            c.passage.as_deref(),
            Some("recall with gratitude the Beijing Declaration")
        );
        assert_eq!(c.quote, "recall the Beijing Declaration");
        assert_eq!(c.written_on, VersionNumber(v));
        assert!(c.can_resolve, "Trine wrote it");
        let gone = &list.open[1];
        assert_eq!(
            (gone.passage.as_deref(), gone.place.as_deref()),
            (None, None),
            "{gone:?}"
        );

        // resolving: not Jonas's to resolve; Trine resolves hers once; the committee any
        let id = c.id.0.to_string();
        delegate
            .fails("resolve_draft_comment", &[("slug", SLUG), ("id", &id)], 403)
            .await;
        let _: serde_json::Value = head
            .ok("resolve_draft_comment", &[("slug", SLUG), ("id", &id)])
            .await;
        head.fails("resolve_draft_comment", &[("slug", SLUG), ("id", &id)], 409)
            .await;
        head.fails(
            "resolve_draft_comment",
            &[("slug", SLUG), ("id", "9999")],
            404,
        )
        .await;
        let gone_id = gone.id.0.to_string();
        let _: serde_json::Value = committee
            .ok("resolve_draft_comment", &[("slug", SLUG), ("id", &gone_id)])
            .await;
        let list: DraftCommentsDto = delegate.ok("get_draft_comments", &[("slug", SLUG)]).await;
        assert!(list.open.is_empty());
        assert_eq!(list.resolved.len(), 2);
        assert!(list.resolved.iter().any(|c| c
            .resolved_label
            .as_deref()
            .is_some_and(|l| l.starts_with("Resolved by Trine Bendix Knudsen on "))));
    }
}
