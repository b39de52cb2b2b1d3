//! The secretariat's desk on SQLite and PostgreSQL: badges as a PDF with the names and codes in
//! it, check-in by the code on the badge (once: again says when), by registration, at a
//! session; refusals (a rejected registration with its reason, a bad or replaced code, a
//! session without a seat, a visitor, a delegate, a cross-site form) change nothing; two
//! organisers checking in one person at once record one arrival; the dashboard counts them.

use crate::common::{self, fingerprint, logged_in, App, Browser};
use app::desk::dto::{CheckInDto, CheckInOutcome, DashboardDto, DeskDto, FoundDto};
use db::entity::{arrival, badge, delegation, registration};
use db::testing::{person_of, TestDb};
use domain::desk::BadgeCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

const SLUG: &str = "mexico-city-2015";

async fn registration_of(db: &DatabaseConnection, email: &str) -> registration::Model {
    let p = person_of(db, email).await;
    registration::Entity::find()
        .filter(registration::Column::PersonId.eq(p))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn code_of(db: &DatabaseConnection, registration_id: i32) -> Option<String> {
    badge::Entity::find_by_id(registration_id)
        .one(db)
        .await
        .unwrap()
        .map(|b| b.code)
}

/// GET a file: status, content type, bytes.
async fn file(b: &Browser, path: &str) -> (u16, String, Vec<u8>) {
    let r = b
        .http
        .get(format!("{}{path}", b.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

/// The text of a PDF, by `pdftotext` (Debian's poppler-utils, which `make test` installs).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("badges-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.pdf", rand::random::<u64>()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils; `make tools-test` installs it)");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn check_in_form(code: &str) -> Vec<(&'static str, String)> {
    vec![("slug", SLUG.into()), ("code", code.into())]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn badges_check_in_and_the_dashboard() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let db = &t.db;
        let app = App::start(db).await;
        let organiser = logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let jonas = logged_in(&app, "jonas@example.org", "demo-delegate").await;
        let visitor = app.browser();
        let denmark = delegation::Entity::find()
            .filter(delegation::Column::Name.eq("Denmark"))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let trine = registration_of(db, "trine@example.org").await;
        let jonas_reg = registration_of(db, "jonas@example.org").await;

        // badges: refused to a visitor and a delegate, and nothing is written
        let path = format!(
            "/conferences/{SLUG}/badges.pdf?delegation={}&layout=a4",
            denmark.id
        );
        let before = fingerprint(db).await;
        assert_eq!(file(&visitor, &path).await.0, 401);
        assert_eq!(file(&jonas, &path).await.0, 403);
        assert_eq!(
            file(
                &organiser,
                &format!("/conferences/{SLUG}/badges.pdf?layout=a5")
            )
            .await
            .0,
            422
        );
        assert_eq!(fingerprint(db).await, before);

        // the Danish delegation's badges: a real PDF with each name and code in it
        let (status, kind, pdf) = file(&organiser, &path).await;
        assert_eq!(status, 200);
        assert_eq!(kind, "application/pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_text(&pdf);
        let code = code_of(db, trine.id)
            .await
            .expect("Trine's badge has a code");
        let code = BadgeCode::parse(&code).expect("a well-formed code");
        assert!(text.contains("Trine Bendix Knudsen"), "{text}");
        assert!(text.contains("Jonas"), "{text}");
        assert!(text.contains("Denmark"), "{text}");
        assert!(text.contains("MEMBER-STATE DELEGATE"), "{text}");
        assert!(text.contains(&code.grouped()), "{text}");
        // printing again keeps the codes (a badge in someone's hand stays good)
        let again = pdf_text(&file(&organiser, &path).await.2);
        assert!(again.contains(&code.grouped()));
        // codes are unguessable: 80 random bits each, none the same, none the person's id
        let codes: Vec<String> = badge::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|b| b.code)
            .collect();
        assert!(codes.len() >= 2);
        let distinct: std::collections::BTreeSet<&String> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
        assert!(codes.iter().all(|c| BadgeCode::parse(c).is_some()));
        // one A6 badge
        let one = file(
            &organiser,
            &format!("/conferences/{SLUG}/badges.pdf?registration={}", trine.id),
        )
        .await;
        assert_eq!(one.0, 200);
        let one = pdf_text(&one.2);
        assert!(
            one.contains("Trine Bendix Knudsen") && !one.contains("Jonas"),
            "{one}"
        );

        // check in Trine by the code as typed (lower case, spaces)
        let typed = code.grouped().to_lowercase().replace('-', " ");
        let desk: DeskDto = organiser.ok("get_desk", &[("slug", SLUG)]).await;
        assert_eq!(desk.arrived, 0);
        let first: CheckInDto = organiser
            .ok("check_in_participant", &[("slug", SLUG), ("code", &typed)])
            .await;
        assert_eq!(first.outcome, CheckInOutcome::Recorded);
        assert_eq!(first.person.name, "Trine Bendix Knudsen");
        assert!(
            first
                .message
                .starts_with("Trine Bendix Knudsen checked in at "),
            "{}",
            first.message
        );
        let at = first
            .message
            .trim_end_matches('.')
            .rsplit(' ')
            .next()
            .unwrap()
            .to_owned();
        let second: CheckInDto = organiser
            .ok(
                "check_in_participant",
                &[("slug", SLUG), ("code", code.as_str())],
            )
            .await;
        assert_eq!(second.outcome, CheckInOutcome::Already);
        assert_eq!(
            second.message,
            format!("Trine Bendix Knudsen was already checked in at {at}.")
        );
        assert!(second.person.arrived_label.is_some());
        assert_eq!(arrival::Entity::find().all(db).await.unwrap().len(), 1);

        // refusals change nothing
        let before = fingerprint(db).await;
        let e = organiser
            .fails(
                "check_in_participant",
                &[("slug", SLUG), ("code", "not a code")],
                422,
            )
            .await;
        assert_eq!(e["field"], "code");
        organiser
            .fails(
                "check_in_participant",
                &[("slug", SLUG), ("code", "0000-0000-0000-0000")],
                404,
            )
            .await;
        visitor
            .fails(
                "check_in_participant",
                &[("slug", SLUG), ("code", code.as_str())],
                401,
            )
            .await;
        jonas
            .fails(
                "check_in_participant",
                &[("slug", SLUG), ("code", code.as_str())],
                403,
            )
            .await;
        let cross = organiser
            .http
            .post(format!(
                "{}{}",
                organiser.base,
                common::fn_path("check_in_participant")
            ))
            .header("origin", "https://evil.example")
            .form(&check_in_form(code.as_str()))
            .send()
            .await
            .unwrap();
        assert_eq!(cross.status(), 403, "a cross-site form");
        assert_eq!(fingerprint(db).await, before);
        let mut mette: registration::ActiveModel =
            registration_of(db, "mette@example.org").await.into();
        mette.status = Set("rejected".into());
        mette.status_reason = Set(Some("No passport copy received".into()));
        let mette = mette.update(db).await.unwrap();
        let before = fingerprint(db).await;
        let e = organiser
            .fails(
                "check_in_participant",
                &[("slug", SLUG), ("registration", &mette.id.to_string())],
                409,
            )
            .await;
        let msg = e["message"].as_str().unwrap_or_default();
        assert!(
            msg.contains("rejected") && msg.contains("No passport copy received"),
            "{e}"
        );
        assert_eq!(fingerprint(db).await, before);

        // a new code for a lost badge: the old one checks no one in
        let _: app::dto::Notice = organiser
            .ok(
                "reissue_badge",
                &[("slug", SLUG), ("registration", &trine.id.to_string())],
            )
            .await;
        let new = code_of(db, trine.id).await.unwrap();
        assert_ne!(new, code.as_str());
        organiser
            .fails(
                "check_in_participant",
                &[("slug", SLUG), ("code", code.as_str())],
                404,
            )
            .await;
        let by_new: CheckInDto = organiser
            .ok("check_in_participant", &[("slug", SLUG), ("code", &new)])
            .await;
        assert_eq!(by_new.outcome, CheckInOutcome::Already);

        // found by name, checked in by registration; two organisers at the same moment record one
        let found: FoundDto = organiser
            .ok("find_participants", &[("slug", SLUG), ("name", "jonas")])
            .await;
        assert_eq!(found.people.len(), 1);
        let other = logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let id = jonas_reg.id.to_string();
        let form = [("slug", SLUG), ("registration", id.as_str())];
        let (a, b) = tokio::join!(
            organiser.call("check_in_participant", &form),
            other.call("check_in_participant", &form)
        );
        assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
        let outcomes: Vec<CheckInOutcome> = [a.1, b.1]
            .iter()
            .map(|s| serde_json::from_str::<CheckInDto>(s).unwrap().outcome)
            .collect();
        assert!(
            outcomes.contains(&CheckInOutcome::Recorded)
                && outcomes.contains(&CheckInOutcome::Already),
            "{outcomes:?}"
        );
        let arrivals = arrival::Entity::find().all(db).await.unwrap();
        assert_eq!(arrivals.len(), 2);

        // a session: only a seat holder is checked in
        let conf = db::queries::conference_by_slug(db, SLUG)
            .await
            .unwrap()
            .unwrap();
        let forum = db::testing::first_forum(db, conf.id).await;
        let forum_id = forum.id.to_string();
        let _: app::dto::Notice = organiser
            .ok(
                "set_session_capacity",
                &[
                    ("slug", SLUG),
                    ("session_id", &forum_id),
                    ("capacity", "30"),
                ],
            )
            .await;
        let _: app::dto::Notice = jonas
            .ok(
                "sign_up_for_session",
                &[("slug", SLUG), ("session_id", &forum_id)],
            )
            .await;
        // found by name with the forum as "Where": to be checked in there, not at the door
        let found: FoundDto = organiser
            .ok(
                "find_participants",
                &[("slug", SLUG), ("name", "jonas"), ("session", &forum_id)],
            )
            .await;
        assert_eq!(found.people.len(), 1);
        assert_eq!(
            found
                .at
                .as_ref()
                .map(|o| (o.value.as_str(), o.label.as_str())),
            Some((forum_id.as_str(), forum.title.as_str()))
        );
        for bad in ["abc", "999999"] {
            let e = organiser
                .fails(
                    "find_participants",
                    &[("slug", SLUG), ("name", "jonas"), ("session", bad)],
                    422,
                )
                .await;
            assert_eq!(e["field"], "session", "{e}");
        }
        let at_forum: CheckInDto = organiser
            .ok(
                "check_in_participant",
                &[
                    ("slug", SLUG),
                    ("registration", &id),
                    ("session", &forum_id),
                ],
            )
            .await;
        assert_eq!(at_forum.outcome, CheckInOutcome::Recorded);
        let trine_id = trine.id.to_string();
        let e = organiser
            .fails(
                "check_in_participant",
                &[
                    ("slug", SLUG),
                    ("registration", &trine_id),
                    ("session", &forum_id),
                ],
                409,
            )
            .await;
        assert!(
            e["message"]
                .as_str()
                .unwrap_or_default()
                .contains("holds no seat"),
            "{e}"
        );

        // the dashboard counts them
        let d: DashboardDto = organiser.ok("get_dashboard", &[("slug", SLUG)]).await;
        assert_eq!(d.arrived, 2);
        let f = d
            .fora
            .iter()
            .find(|f| f.title == forum.title)
            .expect("the forum");
        assert_eq!((f.capacity, f.taken, f.checked_in), (30, 1, 1));
        // the figures the database counted are those of the rows
        let regs = registration::Entity::find()
            .filter(registration::Column::ConferenceId.eq(conf.id))
            .all(db)
            .await
            .unwrap();
        assert_eq!(d.total, regs.len() as u64);
        let pending = regs.iter().filter(|r| r.status == "pending").count() as u64;
        assert_eq!(d.queue, pending);
        let total: u64 = d.by_category.iter().map(|b| b.value).sum();
        assert_eq!(total, d.total);
        let regions: u64 = d.by_region.iter().map(|b| b.value).sum();
        assert_eq!(regions, d.total);
        assert_eq!(
            d.days.last().map(|x| x.counts.iter().sum::<u64>()),
            Some(d.total)
        );
        let (s, _, page) = organiser
            .get(&format!("/conferences/{SLUG}/dashboard"))
            .await;
        assert_eq!(s, 200);
        assert!(page.contains("<svg") && page.contains("Registrations by UNESCO region"));
        jonas.fails("get_dashboard", &[("slug", SLUG)], 403).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_programme_and_the_amendments_print() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let db = &t.db;
        let app = App::start(db).await;
        let visitor = app.browser();
        let jonas = logged_in(&app, "jonas@example.org", "demo-delegate").await;
        let trine = logged_in(&app, "trine@example.org", "demo-delegate").await;

        // the released programme, by day, for everyone
        let (s, kind, pdf) = file(&visitor, &format!("/conferences/{SLUG}/programme.pdf")).await;
        assert_eq!((s, kind.as_str()), (200, "application/pdf"));
        let text = pdf_text(&pdf);
        assert!(text.contains("Programme"), "{text}");
        assert!(text.contains("Monday 28 September 2015"), "{text}");
        assert!(text.contains("Thematic forum 1"), "{text}");
        assert!(text.contains("Release 1"), "{text}");
        assert_eq!(
            file(&visitor, "/conferences/nowhere/programme.pdf").await.0,
            404
        );

        // the amendments: a submitted one is in the table, a draft is not
        let submitted = common::amend(
            db,
            SLUG,
            "trine@example.org",
            "health and well-being",
            "health, well-being and joy",
            "Joy in learning",
        )
        .await;
        let draft: serde_json::Value = trine.ok("get_draft", &[("slug", SLUG)]).await;
        let text_now = draft["markdown"]
            .as_str()
            .unwrap()
            .replace("in families", "in all families");
        let v = draft["version"]["number"].to_string();
        let _: i32 = trine
            .ok(
                "propose_amendment",
                &[
                    ("slug", SLUG),
                    ("base_version", &v),
                    ("title", "A private draft"),
                    ("proposed_markdown", &text_now),
                ],
            )
            .await;
        for path in ["amendments.csv", "amendments.pdf"] {
            assert_eq!(
                file(&visitor, &format!("/conferences/{SLUG}/{path}"))
                    .await
                    .0,
                401
            );
        }
        let (s, kind, csv) = file(&jonas, &format!("/conferences/{SLUG}/amendments.csv")).await;
        assert_eq!(s, 200);
        assert!(kind.starts_with("text/csv"));
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM");
        let csv = String::from_utf8(csv).unwrap();
        assert!(
            csv.contains("number,paragraph,title,sponsor,co_sponsors,state,decision"),
            "{csv}"
        );
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{submitted},")))
            .unwrap_or_else(|| panic!("{csv}"));
        assert!(
            row.starts_with(&format!(
                "{submitted},5,Joy in learning,Trine Bendix Knudsen"
            )),
            "{row}"
        );
        assert!(row.ends_with(",submitted,"), "{row}");
        assert!(!csv.contains("A private draft"), "{csv}");
        let (s, _, pdf) = file(&jonas, &format!("/conferences/{SLUG}/amendments.pdf")).await;
        assert_eq!(s, 200);
        let text = pdf_text(&pdf);
        assert!(
            text.contains("Joy in learning") && !text.contains("A private draft"),
            "{text}"
        );
    }
}
