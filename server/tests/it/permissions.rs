//! One table for every server function of the application, run as every role.
//!
//! Each row names a server function, the form it is called with, and the status each role gets:
//! a visitor, a delegate (Jonas, accredited in the Danish delegation), the head of that
//! delegation (Trine), a drafting committee member and an organiser. Where a role is refused
//! (401 or 403) the test checks that nothing in the database changed. A last check makes sure
//! the table names every server function the application registers, so a new one cannot be
//! added without deciding who may call it.
//!
//! The areas' own tests (accounts, registration, fora, drafting) check in detail what each
//! allowed call does; this table checks the whole surface in one place.

use crate::common;
use common::{App, Browser};
use db::entity::{conference_role, delegation, registration};
use db::testing::{person_of, TestDb};
use domain::ids::{ConferenceId, PersonId};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::BTreeSet;

const SLUG: &str = "mexico-city-2015";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Visitor,
    Delegate,
    Head,
    Committee,
    Organiser,
}

const EVERYONE: [Who; 5] = [
    Who::Visitor,
    Who::Delegate,
    Who::Head,
    Who::Committee,
    Who::Organiser,
];

impl Who {
    fn login(self) -> Option<(&'static str, &'static str)> {
        match self {
            Who::Visitor => None,
            Who::Delegate => Some(("jonas@example.org", "demo-delegate")),
            Who::Head => Some(("trine@example.org", "demo-delegate")),
            Who::Committee => Some(("committee@example.org", "demo-committee")),
            Who::Organiser => Some(("organiser@example.org", "demo-organiser")),
        }
    }
    fn tag(self) -> &'static str {
        match self {
            Who::Visitor => "visitor",
            Who::Delegate => "delegate",
            Who::Head => "head",
            Who::Committee => "committee",
            Who::Organiser => "organiser",
        }
    }
}

/// What the table's rows refer to.
struct Fixture {
    forum: i32,
    denmark: i32,
    mette_registration: i32,
    /// a registration waiting for a decision
    pending_registration: i32,
    niels_role: i32,
    version: i32,
    text: String,
    /// amendments proposed by the head: a draft, and submitted ones for each decision
    draft: i32,
    to_withdraw: i32,
    to_reject: i32,
    to_accept: i32,
    /// a submitted amendment by the head, to amend: its text and that text's SHA-256
    to_amend: i32,
    to_amend_text: String,
    to_amend_sha256: String,
    /// a forum during Plenary 1 (to delete), the key of that clash, and an unused room
    spare_session: i32,
    clash_key: String,
    spare_room: i32,
}

async fn fixture(db: &DatabaseConnection, head: &Browser) -> Fixture {
    let conf = db::queries::conference_by_slug(db, SLUG)
        .await
        .unwrap()
        .unwrap();
    let forum = db::testing::first_forum(db, conf.id).await.id;
    let denmark = delegation::Entity::find()
        .filter(delegation::Column::ConferenceId.eq(conf.id))
        .filter(delegation::Column::Name.eq("Denmark"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mette = person_of(db, "mette@example.org").await;
    let mette_registration = registration::Entity::find()
        .filter(registration::Column::ConferenceId.eq(conf.id))
        .filter(registration::Column::PersonId.eq(mette))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    // a registration waiting for the organiser
    let newcomer = db::accounts::create(db, "Ana Newcomer", "ana@example.org", "x".into())
        .await
        .unwrap();
    let form = domain::registration::Form::parse("observer", None, "", false).unwrap();
    let pending_registration = db::registrations::register(
        db,
        ConferenceId(conf.id),
        PersonId(newcomer.person_id),
        &form,
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    // a role to revoke: Niels on the drafting committee
    let niels = person_of(db, "niels@example.org").await;
    db::accounts::grant(
        db,
        domain::ids::ConferenceId(conf.id),
        domain::ids::PersonId(niels),
        domain::permissions::Role::Committee,
    )
    .await
    .unwrap();
    let niels_role = conference_role::Entity::find()
        .filter(conference_role::Column::PersonId.eq(niels))
        .filter(conference_role::Column::Role.eq("committee"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let draft: serde_json::Value = head.ok("get_draft", &[("slug", SLUG)]).await;
    let version = draft["version"]["number"]
        .as_i64()
        .expect("current version") as i32;
    let text = draft["markdown"].as_str().unwrap().to_string();
    let v = version.to_string();
    let mut numbers = Vec::new();
    for (i, submit) in [(1, false), (2, true), (3, true), (4, true), (5, true)] {
        let proposed = format!("{text}\n\nA paragraph added by amendment {i}.\n");
        let mut form = vec![
            ("slug", SLUG),
            ("base_version", v.as_str()),
            ("title", "An amendment for the permission table"),
            ("rationale", "So that every call has something to act on."),
            ("proposed_markdown", proposed.as_str()),
        ];
        if submit {
            form.push(("submit", "on"));
        }
        let n: i32 = head.ok("propose_amendment", &form).await;
        numbers.push(n);
    }
    let to_amend: serde_json::Value = head
        .ok(
            "get_amendment",
            &[("slug", SLUG), ("number", &numbers[4].to_string())],
        )
        .await;
    let to_amend_text = to_amend["proposed_markdown"].as_str().unwrap().to_string();
    let to_amend_sha256 = to_amend["text_sha256"].as_str().unwrap().to_string();
    // a forum during Plenary 1, and a room nobody uses
    let plenary = db::queries::sessions(db, ConferenceId(conf.id))
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.title.starts_with("Plenary 1"))
        .unwrap();
    let fields = db::programme::SessionFields {
        kind: domain::programme::SessionKind::ThematicForum,
        title: "A forum during the plenary".into(),
        description: String::new(),
        room_id: None,
        starts_at: plenary.starts_at,
        ends_at: plenary.ends_at,
        capacity: None,
        region: None,
        chairs: vec![],
        speakers: vec![],
    };
    let spare_session = db::programme::save_session(db, ConferenceId(conf.id), None, 0, &fields)
        .await
        .unwrap()
        .unwrap()
        .id;
    let clash_key = domain::clashes::Clash::DuringPlenary {
        session: spare_session as i64,
        plenary: plenary.id as i64,
    }
    .key();
    let spare_room = db::programme::save_room(db, ConferenceId(conf.id), None, 0, "Spare room", 20)
        .await
        .unwrap()
        .unwrap()
        .id;
    Fixture {
        forum,
        denmark,
        mette_registration,
        pending_registration,
        niels_role,
        version,
        text,
        draft: numbers[0],
        to_withdraw: numbers[1],
        to_reject: numbers[2],
        to_accept: numbers[3],
        to_amend: numbers[4],
        to_amend_text,
        to_amend_sha256,
        spare_session,
        clash_key,
        spare_room,
    }
}

/// One row: a server function, its form (per role, as some carry the caller's own details),
/// and the status each of [visitor, delegate, head, committee, organiser] gets.
struct Row {
    name: &'static str,
    form: Box<dyn Fn(Who) -> Vec<(&'static str, String)>>,
    expect: [u16; 5],
}

fn row(
    name: &'static str,
    form: impl Fn(Who) -> Vec<(&'static str, String)> + 'static,
    expect: [u16; 5],
) -> Row {
    Row {
        name,
        form: Box::new(form),
        expect,
    }
}

/// A side event's form, an hour from `start`.
fn session_form(title: &str, start: &str) -> Vec<(&'static str, String)> {
    let end = format!("{}15:00", &start[..11]);
    with(&[
        ("kind", "side_event".into()),
        ("title", title.into()),
        ("description", String::new()),
        ("room_id", String::new()),
        ("start", start.into()),
        ("end", end),
        ("capacity", String::new()),
        ("region", String::new()),
        ("chairs", String::new()),
        ("speakers", String::new()),
    ])
}

fn slug() -> Vec<(&'static str, String)> {
    vec![("slug", SLUG.to_string())]
}

fn with(extra: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    let mut f = slug();
    f.extend(extra.iter().cloned());
    f
}

const ALL_OK: [u16; 5] = [200; 5];
const PARTICIPANTS: [u16; 5] = [401, 200, 200, 200, 200];
const ORGANISERS: [u16; 5] = [401, 403, 403, 403, 200];

/// The table, in the order it runs: reads first, then writes, and the calls that end a
/// registration, a password or a session last.
fn table(f: &Fixture) -> Vec<Row> {
    let forum = f.forum.to_string();
    let denmark = f.denmark.to_string();
    let mette = f.mette_registration.to_string();
    let pending = f.pending_registration.to_string();
    let niels_role = f.niels_role.to_string();
    let version = f.version.to_string();
    let text = f.text.clone();
    let (draft, to_withdraw, to_reject, to_accept) = (
        f.draft.to_string(),
        f.to_withdraw.to_string(),
        f.to_reject.to_string(),
        f.to_accept.to_string(),
    );
    let fs = forum.clone();
    let seat_form = move |_: Who| with(&[("session_id", fs.clone())]);
    vec![
        // public reads
        row("whoami", |_| vec![], ALL_OK),
        row("list_conferences", |_| vec![], ALL_OK),
        row("get_overview", |_| slug(), ALL_OK),
        row("get_programme", |_| slug(), ALL_OK),
        {
            let forum = forum.clone();
            row(
                "get_session",
                move |_| with(&[("id", forum.clone())]),
                ALL_OK,
            )
        },
        row("get_declaration", |_| slug(), ALL_OK),
        row("get_participants", |_| slug(), ALL_OK),
        row("get_seats", seat_form.clone(), ALL_OK),
        row("get_registration_page", |_| slug(), ALL_OK),
        // the working draft and its amendments: participants
        row("get_versions", |_| slug(), PARTICIPANTS),
        row("get_draft", |_| slug(), PARTICIPANTS),
        // the shared draft: the committee's; an operation appends a paragraph to the text it
        // started from (the current version's: the first call above starts it)
        row("get_shared_draft", |_| slug(), [401, 403, 403, 200, 403]),
        row(
            "get_shared_ops",
            |_| with(&[("after", "0".into())]),
            [401, 403, 403, 200, 403],
        ),
        {
            let text = text.clone();
            row(
                "edit_shared_draft",
                move |who| {
                    // after the first paragraph (the preamble below goes before it and an
                    // accepted amendment at the end: the save merges cleanly)
                    let n = text.chars().count();
                    let at = text
                        .find("\n\n")
                        .map_or(n, |b| text[..b + 2].chars().count());
                    let added = "Co-edited by the table.\n\n";
                    let op = serde_json::json!({
                        "steps": [{"retain": at}, {"insert": added}, {"retain": n - at}],
                        "base_len": n,
                        "target_len": n + added.chars().count(),
                    });
                    with(&[
                        ("seen", "0".into()),
                        ("operation", op.to_string()),
                        ("key", format!("table-{}", who.tag())),
                    ])
                },
                [401, 403, 403, 200, 403],
            )
        },
        // who is in the editor: the committee's (an amendment's page: tests/live.rs)
        row(
            "i_am_here",
            |_| with(&[("place", "editor".into()), ("paragraph", "2".into())]),
            [401, 403, 403, 200, 403],
        ),
        {
            let version = version.clone();
            row(
                "compare_versions",
                move |_| with(&[("from", "1".into()), ("to", version.clone())]),
                PARTICIPANTS,
            )
        },
        row("get_amendments", |_| slug(), PARTICIPANTS),
        {
            let n = to_reject.clone();
            row(
                "get_amendment",
                move |_| with(&[("number", n.clone())]),
                PARTICIPANTS,
            )
        },
        row("get_provenance", |_| slug(), PARTICIPANTS),
        row("get_compilation", |_| slug(), PARTICIPANTS),
        row("get_adoption", |_| slug(), ORGANISERS),
        row("get_framework", |_| slug(), ALL_OK),
        row(
            "get_co_sponsor_options",
            |_| slug(),
            [401, 200, 200, 200, 403],
        ),
        // a person's own things: anyone logged in
        row("get_agenda", |_| slug(), PARTICIPANTS),
        row("create_calendar_link", |_| slug(), PARTICIPANTS),
        row("revoke_calendar_link", |_| slug(), PARTICIPANTS),
        // organisers
        row("read_outbox", |_| vec![], ORGANISERS),
        row("get_roles", |_| slug(), ORGANISERS),
        row("get_registration_queue", |_| slug(), ORGANISERS),
        // the desk
        row("get_desk", |_| slug(), ORGANISERS),
        row("get_dashboard", |_| slug(), ORGANISERS),
        row(
            "find_participants",
            |_| with(&[("name", "Trine".into())]),
            ORGANISERS,
        ),
        row(
            "check_in_participant",
            {
                let m = mette.clone();
                move |_| with(&[("registration", m.clone())])
            },
            ORGANISERS,
        ),
        row(
            "reissue_badge",
            {
                let m = mette.clone();
                move |_| with(&[("registration", m.clone())])
            },
            ORGANISERS,
        ),
        row(
            "grant_role",
            |_| {
                with(&[
                    ("email", "mette@example.org".into()),
                    ("role", "committee".into()),
                ])
            },
            ORGANISERS,
        ),
        row(
            "revoke_role",
            move |_| with(&[("role_id", niels_role.clone())]),
            ORGANISERS,
        ),
        row(
            "create_invitation",
            |_| {
                with(&[
                    ("role", "delegate".into()),
                    ("email", "invited@example.org".into()),
                ])
            },
            ORGANISERS,
        ),
        {
            let forum = forum.clone();
            row(
                "set_session_capacity",
                move |_| with(&[("session_id", forum.clone()), ("capacity", "40".into())]),
                ORGANISERS,
            )
        },
        row(
            "save_registration_settings",
            |_| {
                with(&[
                    ("opens_at", String::new()),
                    ("closes_at", String::new()),
                    ("cap", "900".into()),
                    ("cap_delegates", "5".into()),
                    ("cap_alternates", "5".into()),
                    ("cap_advisers", "6".into()),
                ])
            },
            ORGANISERS,
        ),
        row(
            "create_delegation",
            |who| {
                with(&[
                    ("name", format!("Delegation added by the {}", who.tag())),
                    ("kind", "organisation".into()),
                    ("country", String::new()),
                    ("region", String::new()),
                    ("lead_organisation", String::new()),
                    ("head_email", String::new()),
                ])
            },
            ORGANISERS,
        ),
        // the programme: organisers edit and release; everyone reads what changed
        row("get_releases", |_| slug(), ALL_OK),
        row("get_manage_programme", |_| slug(), ORGANISERS),
        {
            let forum = forum.clone();
            row(
                "get_session_form",
                move |_| with(&[("id", forum.clone())]),
                ORGANISERS,
            )
        },
        row(
            "check_session",
            |_| session_form("Checked", "2015-09-30T14:00"),
            ORGANISERS,
        ),
        row(
            "save_room",
            |who| {
                with(&[
                    ("name", format!("Room of the {}", who.tag())),
                    ("capacity", "30".into()),
                ])
            },
            ORGANISERS,
        ),
        row(
            "save_session",
            |_| session_form("Saved", "2015-09-30T14:00"),
            ORGANISERS,
        ),
        {
            let key = f.clash_key.clone();
            row(
                "acknowledge_clash",
                move |_| with(&[("key", key.clone())]),
                ORGANISERS,
            )
        },
        {
            let id = f.spare_session.to_string();
            row(
                "delete_session",
                move |_| with(&[("id", id.clone()), ("revision", "0".into())]),
                ORGANISERS,
            )
        },
        {
            let id = f.spare_room.to_string();
            row(
                "delete_room",
                move |_| with(&[("id", id.clone())]),
                ORGANISERS,
            )
        },
        row(
            "release_programme",
            |_| with(&[("changelog", "A release for the permission table".into())]),
            ORGANISERS,
        ),
        // the head of a delegation
        row("get_my_delegation", |_| slug(), [401, 403, 200, 403, 403]),
        row(
            "nominate_member",
            |_| {
                with(&[
                    ("name", "Astrid Holm".into()),
                    ("email", "astrid@example.org".into()),
                    ("member_role", "adviser".into()),
                ])
            },
            [401, 403, 200, 403, 403],
        ),
        // registering: the committee member and the organiser have no registration yet, so
        // theirs goes through; the Danes are registered already (409)
        row(
            "register",
            |_| {
                with(&[
                    ("category", "observer".into()),
                    ("needs", String::new()),
                    ("consent_listed", "on".into()),
                ])
            },
            [401, 409, 409, 200, 200],
        ),
        {
            let denmark = denmark.clone();
            row(
                "accredit_delegation",
                move |_| with(&[("delegation_id", denmark.clone())]),
                ORGANISERS,
            )
        },
        // fora: accredited participants only
        row(
            "sign_up_for_session",
            seat_form.clone(),
            [401, 200, 200, 403, 403],
        ),
        row("cancel_sign_up", seat_form, [401, 200, 200, 403, 403]),
        // drafting
        row(
            "propose_amendment",
            |who| {
                with(&[
                    ("base_version", "1".into()),
                    ("title", format!("Proposed by the {}", who.tag())),
                    ("rationale", String::new()),
                    (
                        "proposed_markdown",
                        "# Declaration\n\nAnother text.\n".into(),
                    ),
                ])
            },
            [401, 200, 200, 200, 403],
        ),
        // an amendment to the head's amendment: not by the head (her own: 409)
        {
            let (n, text, sha) = (
                f.to_amend.to_string(),
                f.to_amend_text
                    .replace("by amendment 5", "by amendment 5, amended"),
                f.to_amend_sha256.clone(),
            );
            row(
                "propose_sub_amendment",
                move |who| {
                    with(&[
                        ("number", n.clone()),
                        ("amended_sha256", sha.clone()),
                        ("title", format!("Amended by the {}", who.tag())),
                        ("proposed_markdown", text.clone()),
                    ])
                },
                [401, 200, 409, 200, 403],
            )
        },
        {
            let n = draft.clone();
            row(
                "update_amendment",
                move |_| {
                    with(&[
                        ("number", n.clone()),
                        ("base_version", "1".into()),
                        ("title", "Retitled".into()),
                        ("rationale", "Better now.".into()),
                        (
                            "proposed_markdown",
                            "# Declaration\n\nA better text.\n".into(),
                        ),
                    ])
                },
                // the head's draft: to the others who may propose, it does not exist
                [401, 404, 200, 404, 403],
            )
        },
        {
            let n = draft.clone();
            row(
                "submit_amendment",
                move |_| with(&[("number", n.clone())]),
                [401, 404, 200, 403, 403],
            )
        },
        row(
            "withdraw_amendment",
            move |_| with(&[("number", to_withdraw.clone())]),
            [401, 403, 200, 403, 403],
        ),
        {
            let n = to_reject.clone();
            row(
                "comment_amendment",
                move |who| {
                    with(&[
                        ("number", n.clone()),
                        ("body", format!("A comment by the {}.", who.tag())),
                    ])
                },
                PARTICIPANTS,
            )
        },
        // the voting order, while both are before the committee
        row("get_voting_order", |_| slug(), PARTICIPANTS),
        {
            let a = to_accept.clone();
            row(
                "move_in_voting_order",
                move |_| with(&[("number", a.clone()), ("direction", "down".into())]),
                [401, 403, 403, 200, 403],
            )
        },
        {
            let (a, b) = (to_reject.clone(), to_accept.clone());
            row(
                "set_vote_dependency",
                move |_| with(&[("number", a.clone()), ("depends_on", b.clone())]),
                [401, 403, 403, 200, 403],
            )
        },
        // notifications: each logged-in person their own (all kept on)
        row("get_notifications", |_| Vec::new(), PARTICIPANTS),
        row(
            "set_notifications",
            |_| {
                let all = domain::notifications::Notification::ALL;
                let mut form: Vec<(&'static str, String)> = all
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        (
                            [
                                "on[0]", "on[1]", "on[2]", "on[3]", "on[4]", "on[5]", "on[6]",
                            ][i],
                            n.as_str().to_owned(),
                        )
                    })
                    .collect();
                form.push((
                    "offered",
                    all.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(" "),
                ));
                form
            },
            PARTICIPANTS,
        ),
        // comments on passages of the draft: participants comment; the first (the
        // delegate's, id 1 in this fresh database) is resolved by its author, then refused
        row("get_draft_comments", |_| slug(), PARTICIPANTS),
        {
            let v = f.version.to_string();
            row(
                "comment_on_draft",
                move |who| {
                    with(&[
                        ("version", v.clone()),
                        ("paragraph", "1".into()),
                        ("passage", "recall the Beijing Declaration".into()),
                        ("body", format!("A comment by the {}.", who.tag())),
                    ])
                },
                PARTICIPANTS,
            )
        },
        row(
            "resolve_draft_comment",
            |_| with(&[("id", "1".into())]),
            [401, 200, 403, 409, 403],
        ),
        // square brackets: the committee brackets a passage of the current version, then
        // agrees it (the text as before, so the rows after are unaffected)
        row("get_brackets", |_| slug(), PARTICIPANTS),
        {
            let v = f.version.to_string();
            row(
                "bracket_passage",
                move |_| {
                    with(&[
                        ("version", v.clone()),
                        ("paragraph", "1".into()),
                        ("passage", "second International Conference".into()),
                    ])
                },
                [401, 403, 403, 200, 403],
            )
        },
        {
            let v = (f.version + 1).to_string();
            row(
                "settle_bracket",
                move |_| {
                    with(&[
                        ("version", v.clone()),
                        ("bracket", "0".into()),
                        ("decision", "agreed".into()),
                    ])
                },
                [401, 403, 403, 200, 403],
            )
        },
        row(
            "reject_amendment",
            move |_| {
                with(&[
                    ("number", to_reject.clone()),
                    ("reason", "Out of scope.".into()),
                ])
            },
            [401, 403, 403, 200, 403],
        ),
        row(
            "accept_amendment",
            move |_| with(&[("number", to_accept.clone())]),
            [401, 403, 403, 200, 403],
        ),
        // an edit of the opening, on the version before the acceptance: merged with it
        {
            let (version, text) = (version.clone(), text.clone());
            row(
                "save_declaration",
                move |_| {
                    with(&[
                        ("base_version", version.clone()),
                        (
                            "markdown",
                            format!("A preamble added by the table.\n\n{text}"),
                        ),
                        ("message", "A committee edit".into()),
                    ])
                },
                [401, 403, 403, 200, 403],
            )
        },
        // the shared draft (the paragraph appended above) saved: merged onto the versions since
        row(
            "save_shared_draft",
            |_| with(&[("message", "Co-edited".into())]),
            [401, 403, 403, 200, 403],
        ),
        {
            let forum = forum.clone();
            row(
                "tag_session",
                move |_| {
                    with(&[
                        ("session_id", forum.clone()),
                        ("key_features[0]", "C3".into()),
                    ])
                },
                ORGANISERS,
            )
        },
        row(
            "tag_paragraph",
            |_| with(&[("paragraph", "1".into()), ("key_features[0]", "F1".into())]),
            [401, 403, 403, 200, 403],
        ),
        // the plenary screen: read by participants, driven by the chair
        row("get_screen", |_| slug(), PARTICIPANTS),
        row(
            "put_on_screen",
            |_| with(&[("paragraph", "1".into())]),
            [401, 403, 403, 200, 200],
        ),
        // a deadline far ahead (it binds nobody in the rows above, which have already run)
        row(
            "set_amendment_deadline",
            |_| with(&[("deadline", "2099-01-01T09:00".into())]),
            ORGANISERS,
        ),
        // adoption, after every drafting write: from here on the text is frozen
        row(
            "adopt_declaration",
            |_| {
                with(&[
                    ("version", "1".into()),
                    ("date", "2015-09-30".into()),
                    ("place", "Mexico City".into()),
                    ("confirm", "on".into()),
                ])
            },
            ORGANISERS,
        ),
        row("publish_declaration", |_| slug(), ORGANISERS),
        row("get_final", |_| slug(), ALL_OK),
        // registration decisions
        row(
            "decide_registrations",
            move |_| with(&[("ids[0]", pending.clone()), ("decision", "accredit".into())]),
            ORGANISERS,
        ),
        row(
            "withdraw_member",
            move |_| with(&[("registration_id", mette.clone())]),
            [401, 403, 200, 403, 403],
        ),
        // accounts: the links carry secrets that these calls do not have
        row(
            "get_invitation",
            |_| vec![("token", "0".repeat(64))],
            [404; 5],
        ),
        row(
            "accept_invitation",
            |_| vec![("token", "0".repeat(64))],
            [401, 404, 404, 404, 404],
        ),
        row(
            "confirm_account",
            |_| vec![("token", "0".repeat(64))],
            [404; 5],
        ),
        row(
            "reset_password",
            |_| {
                vec![
                    ("token", "0".repeat(64)),
                    ("password", "a long new password".into()),
                ]
            },
            [404; 5],
        ),
        row(
            "request_password_reset",
            // one address each: an address gets three requests, then waits
            |who| vec![("email", format!("nobody-{}@example.org", who.tag()))],
            ALL_OK,
        ),
        row(
            "sign_up",
            |who| {
                vec![
                    ("name", format!("New {}", who.tag())),
                    ("email", format!("new-{}@example.org", who.tag())),
                    ("password", "a long new password".into()),
                ]
            },
            ALL_OK,
        ),
        row(
            "log_in",
            |_| {
                vec![
                    ("email", "nobody-here@example.org".into()),
                    ("password", "not the password".into()),
                ]
            },
            [401; 5],
        ),
        row(
            "withdraw_registration",
            |_| slug(),
            [401, 200, 200, 200, 200],
        ),
        row(
            "change_password",
            |who| {
                let current = who.login().map(|l| l.1).unwrap_or_default().to_string();
                vec![
                    ("current_password", current.clone()),
                    ("new_password", format!("{current} and more")),
                ]
            },
            [401, 200, 200, 200, 200],
        ),
        row("log_out", |_| vec![], ALL_OK),
    ]
}

/// The names of every server function the application registers.
fn registered() -> BTreeSet<String> {
    server_fn::axum::server_fn_paths()
        .filter_map(|(p, _)| {
            let name = p.strip_prefix("/fn/")?;
            Some(
                name.trim_end_matches(|c: char| c.is_ascii_digit())
                    .to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_as_every_role() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let mut browsers = Vec::new();
        for who in EVERYONE {
            let b = app.browser();
            if let Some((e, p)) = who.login() {
                assert!(common::ok(b.log_in(e, p).await), "{who:?} cannot log in");
            }
            browsers.push((who, b));
        }
        let fp = common::fingerprint(&t.db).await;
        assert!(
            fp.iter().any(|r| r.starts_with("sessions: "))
                && fp.iter().any(|r| r.starts_with("registrations: ")),
            "the fingerprint reads the tables"
        );
        let f = fixture(&t.db, &browsers[2].1).await;
        let rows = table(&f);

        let named: BTreeSet<String> = rows.iter().map(|r| r.name.to_string()).collect();
        assert_eq!(
            named.len(),
            rows.len(),
            "a server function appears twice in the table"
        );
        let missing: Vec<_> = registered().difference(&named).cloned().collect();
        assert!(
            missing.is_empty(),
            "server functions missing from the table: {missing:?}"
        );
        let unknown: Vec<_> = named.difference(&registered()).cloned().collect();
        assert!(unknown.is_empty(), "not server functions: {unknown:?}");

        let mut failures = Vec::new();
        for r in &rows {
            for (i, (who, b)) in browsers.iter().enumerate() {
                let form = (r.form)(*who);
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let refused = matches!(r.expect[i], 401 | 403 | 404);
                let before = if refused {
                    Some(common::fingerprint(&t.db).await)
                } else {
                    None
                };
                let (status, body) = b.call(r.name, &form).await;
                if status != r.expect[i] {
                    failures.push(format!(
                        "{:?} {} as {who:?}: {status}, expected {}: {}",
                        t.backend,
                        r.name,
                        r.expect[i],
                        body.chars().take(200).collect::<String>()
                    ));
                    continue;
                }
                if let Some(before) = before {
                    let after = common::fingerprint(&t.db).await;
                    if after != before {
                        let changed: Vec<_> = after
                            .iter()
                            .filter(|row| !before.contains(row))
                            .take(3)
                            .collect();
                        failures.push(format!(
                            "{:?} {} as {who:?} was refused but changed {changed:?}",
                            t.backend, r.name
                        ));
                    }
                    let e: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                    if e["message"].as_str().unwrap_or_default().is_empty() {
                        failures.push(format!(
                            "{:?} {} as {who:?}: a refusal without a message: {body}",
                            t.backend, r.name
                        ));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of the table's calls did not answer as expected:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
