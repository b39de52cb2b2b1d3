//! Accounts and roles through the real server: log-in and its cookie, rate limiting, sign-up
//! with confirmation, password reset and change, sessions shared by two server instances, and
//! every role-management server function as every role. On SQLite and PostgreSQL.

use crate::common;
use common::{fn_path, ok, App, Browser};
use db::entity::{account, conference_role, outbox};
use db::testing::TestDb;
use domain::ids::{ConferenceId, PersonId};

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::Value;

const SLUG: &str = "mexico-city-2015";

async fn newest_message(db: &DatabaseConnection, to: &str) -> Option<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::ToEmail.eq(to))
        .order_by_desc(outbox::Column::Id)
        .one(db)
        .await
        .unwrap()
}

/// The secret in a link `…{marker}=TOKEN` or `…/{marker}/TOKEN` in a message body.
fn token_in(body: &str, marker: &str) -> String {
    let at = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {body}"))
        + marker.len();
    body[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// The demo conference's first thematic forum.
async fn demo_forum(db: &DatabaseConnection) -> db::entity::session::Model {
    let conf = db::queries::conference_by_slug(db, SLUG)
        .await
        .unwrap()
        .unwrap();
    db::testing::first_forum(db, conf.id).await
}

async fn backends() -> Vec<(TestDb, App)> {
    let mut out = Vec::new();
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        out.push((t, app));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_sets_a_safe_cookie_and_log_out_ends_the_session() {
    for (_t, app) in backends().await {
        let b = app.browser();
        assert_eq!(b.whoami().await, Value::Null);
        let (s, body, headers) = b
            .call_raw(
                "log_in",
                &[
                    ("email", "Organiser@Example.org"),
                    ("password", "demo-organiser"),
                    ("next", "/account"),
                ],
            )
            .await;
        assert!(ok(s), "{s} {body}");
        let cookie = headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("plenary_session="))
            .expect("a session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http: {cookie}");
        if s == 302 || s == 303 {
            assert_eq!(headers.get("location").unwrap(), "/account");
        }
        let me = b.whoami().await;
        assert_eq!(me["email"], "organiser@example.org");
        assert!(me["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["conference_slug"] == SLUG && r["role"] == "organiser"));

        // a log-in never sends people off-site
        let other = app.browser();
        let (_, _, h) = other
            .call_raw(
                "log_in",
                &[
                    ("email", "committee@example.org"),
                    ("password", "demo-committee"),
                    ("next", "//evil.example/steal"),
                ],
            )
            .await;
        if let Some(loc) = h.get("location") {
            assert_eq!(loc, "/");
        }

        let (s, _) = b.call("log_out", &[]).await;
        assert!(ok(s));
        assert_eq!(b.whoami().await, Value::Null);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_address_look_the_same_and_are_rate_limited() {
    for (t, _) in backends().await {
        // this is about the limit per address: the one per client is tested in hardening.rs
        let app = App {
            base: common::serve_with(&t.db, |s| s.limits = app::limits::Limits::new(1000, 1000))
                .await,
        };
        let b = app.browser();
        let wrong = b
            .call(
                "log_in",
                &[
                    ("email", "trine@example.org"),
                    ("password", "not-her-password"),
                    ("next", "/"),
                ],
            )
            .await;
        let unknown = b
            .call(
                "log_in",
                &[
                    ("email", "nobody@example.org"),
                    ("password", "not-her-password"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(wrong.0, 401);
        assert_eq!(wrong, unknown, "the answers must not tell the two apart");

        // bad input: a clear 422 on the field
        let (s, body) = b
            .call(
                "log_in",
                &[
                    ("email", "not-an-address"),
                    ("password", "x"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(s, 422, "{body}");
        assert!(body.contains("\"field\":\"email\""), "{body}");

        // four more failures make five: then even the right password waits a growing delay
        for _ in 0..4 {
            assert_eq!(b.log_in("trine@example.org", "still-wrong-pw").await, 401);
        }
        let (s, body) = b
            .call(
                "log_in",
                &[
                    ("email", "trine@example.org"),
                    ("password", "demo-delegate"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(s, 429, "{body}");
        assert!(body.contains("Too many failed log-in attempts"), "{body}");
        assert_eq!(b.whoami().await, Value::Null);
        // the limit is per address: the same for an address without an account
        for _ in 0..4 {
            assert_eq!(b.log_in("nobody@example.org", "whatever-pw").await, 401);
        }
        assert_eq!(b.log_in("nobody@example.org", "whatever-pw").await, 429);
        // other addresses are unaffected
        assert!(ok(b.log_in("niels@example.org", "demo-delegate").await));
        let _ = &t;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_confirms_by_link_and_never_reveals_an_existing_account() {
    for (t, app) in backends().await {
        let b = app.browser();
        let accounts_before = account::Entity::find().count(&t.db).await.unwrap();

        // bad input changes nothing
        for (form, field) in [
            (
                [
                    ("name", ""),
                    ("email", "ana@example.org"),
                    ("password", "long-enough-pw"),
                ],
                "name",
            ),
            (
                [
                    ("name", "Ana"),
                    ("email", "ana@"),
                    ("password", "long-enough-pw"),
                ],
                "email",
            ),
            (
                [
                    ("name", "Ana"),
                    ("email", "ana@example.org"),
                    ("password", "short"),
                ],
                "password",
            ),
        ] {
            let (s, body) = b.call("sign_up", &form).await;
            assert_eq!(s, 422, "{body}");
            assert!(body.contains(&format!("\"field\":\"{field}\"")), "{body}");
        }
        assert_eq!(
            account::Entity::find().count(&t.db).await.unwrap(),
            accounts_before
        );

        let new = b
            .call(
                "sign_up",
                &[
                    ("name", "Ana Pereira"),
                    ("email", "Ana@Example.org"),
                    ("password", "long-enough-pw"),
                ],
            )
            .await;
        let existing = b
            .call(
                "sign_up",
                &[
                    ("name", "Someone Else"),
                    ("email", "trine@example.org"),
                    ("password", "long-enough-pw"),
                ],
            )
            .await;
        assert_eq!(new.0, 200, "{}", new.1);
        assert_eq!(
            new, existing,
            "sign-up must answer the same for known addresses"
        );
        assert_eq!(
            account::Entity::find().count(&t.db).await.unwrap(),
            accounts_before + 1
        );
        let warned = newest_message(&t.db, "trine@example.org").await.unwrap();
        assert_eq!(warned.subject, "You already have an account");

        // not confirmed yet: no log-in
        let (s, body) = b
            .call(
                "log_in",
                &[
                    ("email", "ana@example.org"),
                    ("password", "long-enough-pw"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(s, 403, "{body}");
        assert!(body.contains("Confirm your e-mail address"), "{body}");

        let mail = newest_message(&t.db, "ana@example.org").await.unwrap();
        assert_eq!(mail.subject, "Confirm your account");
        let token = token_in(&mail.body, "/account/confirm?token=");
        assert_eq!(token.len(), 64);
        let (s, body) = b.call("confirm_account", &[("token", &token)]).await;
        assert!(ok(s), "{s} {body}");
        assert_eq!(b.whoami().await["name"], "Ana Pereira");
        // a link works once
        let (s, _) = app
            .browser()
            .call("confirm_account", &[("token", &token)])
            .await;
        assert_eq!(s, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_reset_and_change() {
    for (t, app) in backends().await {
        let b = app.browser();
        let outbox_before = outbox::Entity::find().count(&t.db).await.unwrap();
        let unknown = b
            .call("request_password_reset", &[("email", "nobody@example.org")])
            .await;
        assert_eq!(
            outbox::Entity::find().count(&t.db).await.unwrap(),
            outbox_before
        );
        let known = b
            .call("request_password_reset", &[("email", "mette@example.org")])
            .await;
        assert_eq!(known.0, 200);
        assert_eq!(
            known, unknown,
            "reset must answer the same for unknown addresses"
        );

        // a second browser is logged in as Mette with the old password
        let elsewhere = app.browser();
        assert!(ok(elsewhere
            .log_in("mette@example.org", "demo-delegate")
            .await));

        let mail = newest_message(&t.db, "mette@example.org").await.unwrap();
        let token = token_in(&mail.body, "/password/reset?token=");
        let (s, body) = b
            .call(
                "reset_password",
                &[("token", &token), ("password", "short")],
            )
            .await;
        assert_eq!(s, 422, "{body}");
        let (s, body) = b
            .call(
                "reset_password",
                &[("token", &token), ("password", "a-brand-new-pw")],
            )
            .await;
        assert!(ok(s), "{s} {body}");
        assert_eq!(b.whoami().await["email"], "mette@example.org");
        // the old password is gone, and so is the other session
        assert_eq!(
            app.browser()
                .log_in("mette@example.org", "demo-delegate")
                .await,
            401
        );
        assert_eq!(elsewhere.whoami().await, Value::Null);
        let (s, _) = b
            .call(
                "reset_password",
                &[("token", &token), ("password", "another-new-pw")],
            )
            .await;
        assert_eq!(s, 404, "a reset link works once");

        // change: needs the current password; keeps this session
        let (s, body) = b
            .call(
                "change_password",
                &[
                    ("current_password", "wrong-one"),
                    ("new_password", "third-password"),
                ],
            )
            .await;
        assert_eq!(s, 422, "{body}");
        assert!(body.contains("current_password"), "{body}");
        let (s, body) = b
            .call(
                "change_password",
                &[
                    ("current_password", "a-brand-new-pw"),
                    ("new_password", "third-password"),
                ],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(b.whoami().await["email"], "mette@example.org");
        assert!(ok(app
            .browser()
            .log_in("mette@example.org", "third-password")
            .await));

        // visitors cannot change a password
        let (s, _) = app
            .browser()
            .call(
                "change_password",
                &[("current_password", "x"), ("new_password", "whatever-new")],
            )
            .await;
        assert_eq!(s, 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_shared_by_server_instances_on_one_database() {
    for (t, a) in backends().await {
        let b = App::start(&t.db).await;
        let (s, _, h) = a
            .browser()
            .call_raw(
                "log_in",
                &[
                    ("email", "committee@example.org"),
                    ("password", "demo-committee"),
                    ("next", "/"),
                ],
            )
            .await;
        assert!(ok(s));
        let cookie = h
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .find(|c| c.starts_with("plenary_session="))
            .unwrap();
        // the cookie from instance A, presented to instance B
        let r = common::client()
            .post(format!("{}{}", b.base, fn_path("whoami")))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        let me: Value = r.json().await.unwrap();
        assert_eq!(me["email"], "committee@example.org");
    }
}

/// Who calls: a demo account, or a visitor.
#[derive(Clone, Copy, Debug)]
enum Who {
    Visitor,
    Organiser,
    Committee,
    Head,
    Delegate,
}

async fn as_who(app: &App, who: Who) -> Browser {
    let b = app.browser();
    let creds = match who {
        Who::Visitor => None,
        Who::Organiser => Some(("organiser@example.org", "demo-organiser")),
        Who::Committee => Some(("committee@example.org", "demo-committee")),
        Who::Head => Some(("trine@example.org", "demo-delegate")),
        Who::Delegate => Some(("jonas@example.org", "demo-delegate")),
    };
    if let Some((e, p)) = creds {
        assert!(ok(b.log_in(e, p).await), "{who:?} cannot log in");
    }
    b
}

async fn role_rows(db: &DatabaseConnection) -> Vec<(i32, i32, String)> {
    conference_role::Entity::find()
        .order_by_asc(conference_role::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.conference_id, r.person_id, r.role))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_management_as_every_role() {
    for (t, app) in backends().await {
        // a role row to revoke: Jonas's delegate role in Mexico
        let jonas_role = {
            let jonas = account::Entity::find()
                .filter(account::Column::Email.eq("jonas@example.org"))
                .one(&t.db)
                .await
                .unwrap()
                .unwrap();
            conference_role::Entity::find()
                .filter(conference_role::Column::PersonId.eq(jonas.person_id))
                .one(&t.db)
                .await
                .unwrap()
                .unwrap()
                .id
                .to_string()
        };
        let calls: Vec<(&str, Vec<(&str, String)>)> = vec![
            ("get_roles", vec![("slug", SLUG.into())]),
            (
                "grant_role",
                vec![
                    ("slug", SLUG.into()),
                    ("email", "niels@example.org".into()),
                    ("role", "committee".into()),
                ],
            ),
            (
                "revoke_role",
                vec![("slug", SLUG.into()), ("role_id", jonas_role.clone())],
            ),
            (
                "create_invitation",
                vec![
                    ("slug", SLUG.into()),
                    ("role", "delegate".into()),
                    ("email", "".into()),
                ],
            ),
            ("read_outbox", vec![]),
        ];
        for who in [
            Who::Visitor,
            Who::Committee,
            Who::Head,
            Who::Delegate,
            Who::Organiser,
        ] {
            let b = as_who(&app, who).await;
            for (name, form) in &calls {
                let before = role_rows(&t.db).await;
                let invitations_before = db::entity::invitation::Entity::find()
                    .count(&t.db)
                    .await
                    .unwrap();
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let (s, body) = b.call(name, &form).await;
                let expected = match who {
                    Who::Visitor => 401,
                    Who::Organiser => 200,
                    _ => 403,
                };
                assert_eq!(s, expected, "{who:?} {name}: {body}");
                if expected != 200 {
                    assert_eq!(
                        role_rows(&t.db).await,
                        before,
                        "{who:?} {name} changed roles"
                    );
                    assert_eq!(
                        db::entity::invitation::Entity::find()
                            .count(&t.db)
                            .await
                            .unwrap(),
                        invitations_before,
                        "{who:?} {name} created an invitation"
                    );
                }
            }
        }
        // the organiser's calls did what they say
        let rows = role_rows(&t.db).await;
        assert!(rows.iter().any(|(_, _, r)| r == "committee") && rows.len() >= 2);
        let b = as_who(&app, Who::Organiser).await;
        let (s, body) = b.call("get_roles", &[("slug", SLUG)]).await;
        assert_eq!(s, 200);
        let page: Value = serde_json::from_str(&body).unwrap();
        let holders = page["holders"].as_array().unwrap();
        assert!(holders
            .iter()
            .any(|h| h["email"] == "niels@example.org" && h["role"] == "committee"));
        assert!(!holders.iter().any(|h| h["email"] == "jonas@example.org"));

        // the last organiser cannot be revoked
        let organiser_role =
            holders.iter().find(|h| h["role"] == "organiser").unwrap()["id"].to_string();
        let (s, body) = b
            .call(
                "revoke_role",
                &[("slug", SLUG), ("role_id", &organiser_role)],
            )
            .await;
        assert_eq!(s, 409, "{body}");
        // unknown role names and addresses without accounts are refused on their field
        let (s, body) = b
            .call(
                "grant_role",
                &[
                    ("slug", SLUG),
                    ("email", "niels@example.org"),
                    ("role", "admin"),
                ],
            )
            .await;
        assert_eq!(s, 422, "{body}");
        let (s, body) = b
            .call(
                "grant_role",
                &[
                    ("slug", SLUG),
                    ("email", "nobody@example.org"),
                    ("role", "delegate"),
                ],
            )
            .await;
        assert_eq!(s, 422, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_grants_its_role_once() {
    for (t, app) in backends().await {
        let organiser = as_who(&app, Who::Organiser).await;
        let (s, body) = organiser
            .call(
                "create_invitation",
                &[
                    ("slug", SLUG),
                    ("role", "committee"),
                    ("email", "Niels@Example.org"),
                ],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let inv: Value = serde_json::from_str(&body).unwrap();
        let link = inv["link"].as_str().unwrap().to_string();
        let token = token_in(&link, "/invitations/");
        // sent to the address given
        let mail = newest_message(&t.db, "niels@example.org").await.unwrap();
        assert!(mail.body.contains(&link), "{}", mail.body);

        let visitor = app.browser();
        let (s, body) = visitor.call("get_invitation", &[("token", &token)]).await;
        assert_eq!(s, 200, "{body}");
        assert!(body.contains("Drafting committee member"), "{body}");
        let (s, _) = visitor
            .call("accept_invitation", &[("token", &token)])
            .await;
        assert_eq!(s, 401);

        let niels = app.browser();
        assert!(ok(niels.log_in("niels@example.org", "demo-delegate").await));
        let (s, body) = niels.call("accept_invitation", &[("token", &token)]).await;
        assert!(ok(s), "{s} {body}");
        let me = niels.whoami().await;
        assert!(me["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["conference_slug"] == SLUG && r["role"] == "committee"));

        let jonas = as_who(&app, Who::Delegate).await;
        let (s, _) = jonas.call("accept_invitation", &[("token", &token)]).await;
        assert_eq!(s, 404, "an invitation works once");
        let (s, _) = visitor.call("get_invitation", &[("token", "00ff")]).await;
        assert_eq!(s, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fora_sign_up_as_every_role_and_promotion_is_told() {
    use db::entity::session;
    for (t, app) in backends().await {
        // a thematic forum with two seats
        let forum = demo_forum(&t.db).await;
        sea_orm::ActiveModelTrait::update(
            session::ActiveModel {
                id: sea_orm::Set(forum.id),
                capacity: sea_orm::Set(Some(2)),
                ..Default::default()
            },
            &t.db,
        )
        .await
        .unwrap();
        let id = forum.id.to_string();
        let form = [("slug", SLUG), ("session_id", id.as_str())];

        // visitors and people without an accredited registration cannot sign up
        let (s, _) = app.browser().call("sign_up_for_session", &form).await;
        assert_eq!(s, 401);
        for who in [Who::Organiser, Who::Committee] {
            let (s, body) = as_who(&app, who)
                .await
                .call("sign_up_for_session", &form)
                .await;
            assert_eq!(s, 403, "{who:?}: {body}");
        }
        let seats: Value = serde_json::from_str(
            &as_who(&app, Who::Organiser)
                .await
                .call("get_seats", &form)
                .await
                .1,
        )
        .unwrap();
        assert_eq!(seats["confirmed"], 0);
        assert_eq!(seats["can_sign_up"], false);

        // three Danes for two seats: the third waits, and is promoted when one cancels
        let head = as_who(&app, Who::Head).await;
        let jonas = as_who(&app, Who::Delegate).await;
        let mette = app.browser();
        assert!(ok(mette.log_in("mette@example.org", "demo-delegate").await));
        assert_eq!(head.call("sign_up_for_session", &form).await.0, 200);
        assert_eq!(jonas.call("sign_up_for_session", &form).await.0, 200);
        let (s, body) = mette.call("sign_up_for_session", &form).await;
        assert_eq!(s, 200);
        assert!(body.contains("number 1 on the waiting list"), "{body}");
        let (s, body) = mette.call("sign_up_for_session", &form).await;
        assert_eq!(s, 409, "twice: {body}");
        let seats: Value = serde_json::from_str(&mette.call("get_seats", &form).await.1).unwrap();
        assert_eq!(
            (seats["confirmed"].as_u64(), seats["waitlisted"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(seats["my_seat"], "waitlisted");
        assert_eq!(seats["my_waiting_position"], 1);

        assert_eq!(jonas.call("cancel_sign_up", &form).await.0, 200);
        let seats: Value = serde_json::from_str(&mette.call("get_seats", &form).await.1).unwrap();
        assert_eq!(seats["my_seat"], "confirmed");
        let told = newest_message(&t.db, "mette@example.org").await.unwrap();
        assert!(
            told.subject.starts_with("You have a seat"),
            "{}",
            told.subject
        );
        let agenda: Value =
            serde_json::from_str(&mette.call("get_agenda", &[("slug", SLUG)]).await.1).unwrap();
        let items = agenda["items"].as_array().unwrap();
        assert!(items
            .iter()
            .any(|i| i["session"]["id"] == forum.id && i["seat"] == "confirmed"));
        assert!(items.iter().any(|i| i["seat"] == "everyone"));
        assert_eq!(
            app.browser().call("get_agenda", &[("slug", SLUG)]).await.0,
            401
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_and_accreditation() {
    use db::entity::{conference, registration};
    for (t, app) in backends().await {
        let reg_count = || async { registration::Entity::find().count(&t.db).await.unwrap() };
        let conf = db::queries::conference_by_slug(&t.db, SLUG)
            .await
            .unwrap()
            .unwrap();
        let danes = db::registrations::delegations(&t.db, ConferenceId(conf.id))
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.name.contains("Denmark"))
            .unwrap()
            .id
            .to_string();

        // a new account (Ana) registers; visitors cannot
        let (s, _) = app
            .browser()
            .call("register", &[("slug", SLUG), ("category", "observer")])
            .await;
        assert_eq!(s, 401);
        let ana = app.browser();
        ana.call(
            "sign_up",
            &[
                ("name", "Ana Pereira"),
                ("email", "ana@example.org"),
                ("password", "long-enough-pw"),
            ],
        )
        .await;
        let mail = newest_message(&t.db, "ana@example.org").await.unwrap();
        ana.call(
            "confirm_account",
            &[("token", &token_in(&mail.body, "token="))],
        )
        .await;
        let before = reg_count().await;
        for (form, field) in [
            (vec![("slug", SLUG), ("category", "")], "category"),
            (vec![("slug", SLUG), ("category", "minister")], "category"),
            (
                vec![("slug", SLUG), ("category", "alternate")],
                "delegation_id",
            ),
            (
                vec![
                    ("slug", SLUG),
                    ("category", "alternate"),
                    ("delegation_id", "99999"),
                ],
                "delegation_id",
            ),
            (
                vec![
                    ("slug", SLUG),
                    ("category", "alternate"),
                    ("delegation_id", "abc"),
                ],
                "delegation_id",
            ),
        ] {
            let (s, body) = ana.call("register", &form).await;
            assert_eq!(s, 422, "{form:?}: {body}");
            assert!(body.contains(&format!("\"field\":\"{field}\"")), "{body}");
        }
        let long = "x".repeat(2001);
        let (s, _) = ana
            .call(
                "register",
                &[("slug", SLUG), ("category", "observer"), ("needs", &long)],
            )
            .await;
        assert_eq!(s, 422);
        assert_eq!(reg_count().await, before, "bad input changed nothing");

        let (s, body) = ana
            .call(
                "register",
                &[
                    ("slug", SLUG),
                    ("category", "alternate"),
                    ("delegation_id", &danes),
                    ("needs", "Vegetarian"),
                    ("consent_listed", "on"),
                ],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let (s, body) = ana
            .call("register", &[("slug", SLUG), ("category", "observer")])
            .await;
        assert_eq!(s, 409, "a second registration: {body}");
        let page: Value =
            serde_json::from_str(&ana.call("get_registration_page", &[("slug", SLUG)]).await.1)
                .unwrap();
        assert_eq!(page["mine"]["status"], "pending");
        assert_eq!(page["mine"]["delegation"], "Denmark");

        // the queue is for organisers only
        for who in [Who::Visitor, Who::Committee, Who::Head, Who::Delegate] {
            let b = as_who(&app, who).await;
            let (s, _) = b.call("get_registration_queue", &[("slug", SLUG)]).await;
            assert_eq!(
                s,
                if matches!(who, Who::Visitor) {
                    401
                } else {
                    403
                },
                "{who:?}"
            );
            let (s, _) = b
                .call(
                    "decide_registrations",
                    &[
                        ("slug", SLUG),
                        ("ids[0]", "1"),
                        ("decision", "reject"),
                        ("reason", "no"),
                    ],
                )
                .await;
            assert_eq!(
                s,
                if matches!(who, Who::Visitor) {
                    401
                } else {
                    403
                },
                "{who:?}"
            );
        }
        let organiser = as_who(&app, Who::Organiser).await;
        let (s, body) = organiser
            .call(
                "get_registration_queue",
                &[("slug", SLUG), ("status", "pending")],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let q: Value = serde_json::from_str(&body).unwrap();
        let rows = q["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["name"], "Ana Pereira");
        assert_eq!(rows[0]["needs"], "Vegetarian");
        let ana_id = rows[0]["id"].to_string();

        // rejecting needs a reason; nothing changes without one
        let (s, body) = organiser
            .call(
                "decide_registrations",
                &[
                    ("slug", SLUG),
                    ("ids[0]", &ana_id),
                    ("decision", "reject"),
                    ("reason", " "),
                ],
            )
            .await;
        assert_eq!(s, 422, "{body}");
        let (s, body) = organiser
            .call(
                "decide_registrations",
                &[("slug", SLUG), ("decision", "accredit")],
            )
            .await;
        assert_eq!(s, 422, "no rows chosen: {body}");
        // accredit Ana together with an already accredited Dane: one changed, one skipped
        let jonas_reg = registration::Entity::find()
            .filter(registration::Column::Status.eq("accredited"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
        let (s, body) = organiser
            .call(
                "decide_registrations",
                &[
                    ("slug", SLUG),
                    ("ids[0]", &ana_id),
                    ("ids[3]", &jonas_reg),
                    ("decision", "accredit"),
                ],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        assert!(
            body.contains("1 registration accredited") && body.contains("1 left as they were"),
            "{body}"
        );
        let told = newest_message(&t.db, "ana@example.org").await.unwrap();
        assert!(told.subject.starts_with("Accredited"), "{}", told.subject);
        let me = ana.whoami().await;
        assert!(me["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"] == "delegate"));

        // the cap and the window
        let taken = registration::Entity::find()
            .filter(registration::Column::ConferenceId.eq(conf.id))
            .filter(registration::Column::Status.is_in(["pending", "accredited"]))
            .count(&t.db)
            .await
            .unwrap() as i32;
        sea_orm::ActiveModelTrait::update(
            conference::ActiveModel {
                id: sea_orm::Set(conf.id),
                registration_cap: sea_orm::Set(Some(taken)),
                ..Default::default()
            },
            &t.db,
        )
        .await
        .unwrap();
        let late = as_who(&app, Who::Committee).await;
        let (s, body) = late
            .call("register", &[("slug", SLUG), ("category", "observer")])
            .await;
        assert_eq!(s, 409, "{body}");
        assert!(body.contains("full"), "{body}");
        sea_orm::ActiveModelTrait::update(
            conference::ActiveModel {
                id: sea_orm::Set(conf.id),
                registration_cap: sea_orm::Set(None),
                registration_closes_at: sea_orm::Set(Some(chrono::Utc::now())),
                ..Default::default()
            },
            &t.db,
        )
        .await
        .unwrap();
        let (s, body) = late
            .call("register", &[("slug", SLUG), ("category", "observer")])
            .await;
        assert_eq!(s, 409, "{body}");
        assert!(body.contains("closed"), "{body}");

        // withdrawing ends the accreditation and the delegate role
        let (s, _) = ana.call("withdraw_registration", &[("slug", SLUG)]).await;
        assert_eq!(s, 200);
        let me = ana.whoami().await;
        assert!(!me["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"] == "delegate"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_working_draft_is_for_participants() {
    for (_t, app) in backends().await {
        let form = [("slug", SLUG)];
        let visitor: Value =
            serde_json::from_str(&app.browser().call("get_declaration", &form).await.1).unwrap();
        assert_eq!(visitor["text_withheld"], true);
        assert_eq!(visitor["markdown"], "");
        assert_eq!(visitor["sha256"], Value::Null);
        let no_role = app.browser();
        no_role
            .call(
                "sign_up",
                &[
                    ("name", "Outsider"),
                    ("email", "out@example.org"),
                    ("password", "long-enough-pw"),
                ],
            )
            .await;
        for who in [Who::Delegate, Who::Committee, Who::Organiser] {
            let b = as_who(&app, who).await;
            let d: Value = serde_json::from_str(&b.call("get_declaration", &form).await.1).unwrap();
            assert_eq!(d["text_withheld"], false, "{who:?}");
            let md = d["markdown"].as_str().unwrap();
            assert!(md.starts_with("# Mexico City Declaration"), "{who:?}");
            assert_eq!(d["sha256"].as_str().unwrap(), domain::text::sha256_hex(md));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_follow_the_same_rules() {
    use db::entity::person;
    for (t, app) in backends().await {
        // a name a spreadsheet would run as a formula
        let trine = person::Entity::find()
            .filter(person::Column::Name.eq("Trine Bendix Knudsen"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        sea_orm::ActiveModelTrait::update(
            person::ActiveModel {
                id: sea_orm::Set(trine.id),
                name: sea_orm::Set("=HYPERLINK(\"x\")".into()),
                ..Default::default()
            },
            &t.db,
        )
        .await
        .unwrap();
        let get = |b: &Browser, path: &str| {
            let url = format!("{}{path}", b.base);
            let http = b.http.clone();
            async move {
                let r = http.get(url).send().await.unwrap();
                let status = r.status().as_u16();
                let ct = r
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                (status, ct, r.text().await.unwrap())
            }
        };
        let csv_path = format!("/conferences/{SLUG}/registrations.csv");
        let md_path = format!("/conferences/{SLUG}/declaration/compilation.md");

        assert_eq!(get(&app.browser(), &csv_path).await.0, 401);
        assert_eq!(get(&app.browser(), &md_path).await.0, 401);
        let jonas = as_who(&app, Who::Delegate).await;
        assert_eq!(get(&jonas, &csv_path).await.0, 403);

        let organiser = as_who(&app, Who::Organiser).await;
        let (s, ct, body) = get(&organiser, &csv_path).await;
        assert_eq!(s, 200);
        assert!(ct.starts_with("text/csv"), "{ct}");
        let raw = organiser
            .http
            .get(format!("{}{csv_path}", organiser.base))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(
            raw.starts_with(b"\xEF\xBB\xBFid,name,email"),
            "UTF-8 with a byte order mark: {:?}",
            &raw[..raw.len().min(12)]
        );
        let body = body.trim_start_matches('\u{feff}').to_owned();
        let mut lines = body.lines();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("id,name,email,category,delegation"));
        assert_eq!(lines.count(), 4, "the four Danes: {body}");
        assert!(
            body.contains("\"'=HYPERLINK(\"\"x\"\")\""),
            "formula neutralised: {body}"
        );
        assert!(body.contains("jonas@example.org"));

        let (s, ct, md) = get(&jonas, &md_path).await;
        assert_eq!(s, 200);
        assert!(ct.starts_with("text/markdown"), "{ct}");
        assert!(md.starts_with("# Mexico City Declaration"), "{md}");
        let (s, ct, html) = get(
            &jonas,
            &format!("/conferences/{SLUG}/declaration/compilation.html"),
        )
        .await;
        assert_eq!(s, 200);
        assert!(ct.starts_with("text/html"));
        assert!(html.contains("<h1>Mexico City Declaration"));
    }
}

/// (UID, DTSTART, SUMMARY, LOCATION) of every VEVENT, read by a real iCalendar parser.
fn events(ics: &str) -> Vec<(String, String, String, String)> {
    let unfolded = icalendar::parser::unfold(ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    cal.components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let prop = |n: &str| {
                c.properties
                    .iter()
                    .find(|p| p.name == n)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            (
                prop("UID"),
                prop("DTSTART"),
                prop("SUMMARY"),
                prop("LOCATION"),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_personal_calendar_and_its_secret_address() {
    for (t, app) in backends().await {
        let forum = demo_forum(&t.db).await;
        let jonas = as_who(&app, Who::Delegate).await;
        let id = forum.id.to_string();
        assert_eq!(
            jonas
                .call(
                    "sign_up_for_session",
                    &[("slug", SLUG), ("session_id", &id)]
                )
                .await
                .0,
            200
        );
        let get = |http: reqwest::Client, url: String| async move {
            let r = http.get(url).send().await.unwrap();
            let s = r.status().as_u16();
            (s, r.text().await.unwrap())
        };
        let (s, ics) = get(
            jonas.http.clone(),
            format!("{}/conferences/{SLUG}/agenda.ics", app.base),
        )
        .await;
        assert_eq!(s, 200, "{ics}");
        let evs = events(&ics);
        let host = app.base.trim_start_matches("http://");
        let mine = evs
            .iter()
            .find(|e| e.0 == format!("session-{}@{host}", forum.id))
            .unwrap_or_else(|| panic!("{evs:?}"));
        // 16:00 in Mexico City (UTC-5 in September 2015) is 21:00 UTC
        assert_eq!(mine.1, "20150928T210000Z");
        assert_eq!(mine.2, forum.title);
        assert!(!mine.3.is_empty(), "the room");
        assert!(
            evs.iter().any(|e| e.2.starts_with("Plenary 1")),
            "plenaries are on it"
        );
        assert_eq!(
            get(
                common::client(),
                format!("{}/conferences/{SLUG}/agenda.ics", app.base)
            )
            .await
            .0,
            401
        );

        // a secret address works without log-in, until it is turned off or replaced
        let (s, body) = jonas.call("create_calendar_link", &[("slug", SLUG)]).await;
        assert_eq!(s, 200, "{body}");
        let link = serde_json::from_str::<Value>(&body).unwrap();
        let url = link["url"].as_str().unwrap().to_string();
        let (_, rest) = url.split_once("://").unwrap();
        assert_eq!(link["webcal"], format!("webcal://{rest}"), "{link}");
        let (s, feed) = get(common::client(), url.clone()).await;
        assert_eq!(s, 200);
        assert_eq!(events(&feed).len(), evs.len());
        let (_, body) = jonas.call("create_calendar_link", &[("slug", SLUG)]).await;
        let newer = serde_json::from_str::<Value>(&body).unwrap()["url"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(get(common::client(), url).await.0, 404, "replaced");
        assert_eq!(get(common::client(), newer.clone()).await.0, 200);
        assert_eq!(
            jonas
                .call("revoke_calendar_link", &[("slug", SLUG)])
                .await
                .0,
            200
        );
        assert_eq!(get(common::client(), newer).await.0, 404, "turned off");
        assert_eq!(
            get(
                common::client(),
                format!("{}/calendar/nonsense.ics", app.base)
            )
            .await
            .0,
            404
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_participant_list_shows_accredited_people_who_agreed() {
    use db::entity::{person, registration};
    for (t, app) in backends().await {
        // Mette does not want to be listed
        let mette = person::Entity::find()
            .filter(person::Column::Name.eq("Mette Lund"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        let reg = registration::Entity::find()
            .filter(registration::Column::PersonId.eq(mette.id))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        sea_orm::ActiveModelTrait::update(
            registration::ActiveModel {
                id: sea_orm::Set(reg.id),
                consent_listed: sea_orm::Set(false),
                ..Default::default()
            },
            &t.db,
        )
        .await
        .unwrap();
        let (s, body) = app
            .browser()
            .call("get_participants", &[("slug", SLUG)])
            .await;
        assert_eq!(s, 200, "{body}");
        let p: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(p["total"], 3);
        let groups = p["groups"].as_array().unwrap();
        assert_eq!(groups[0][0], "Denmark");
        let names: Vec<&str> = groups[0][1]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Jonas Holm",
                "Niels Johan Juhl-Nielsen",
                "Trine Bendix Knudsen"
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_settings_and_caps_per_member_role() {
    for (_t, app) in backends().await {
        let organiser = as_who(&app, Who::Organiser).await;
        let form = |opens: &'static str, closes: &'static str, alternates: &'static str| {
            vec![
                ("slug", SLUG),
                ("opens_at", opens),
                ("closes_at", closes),
                ("cap", ""),
                ("cap_delegates", "5"),
                ("cap_alternates", alternates),
                ("cap_advisers", ""),
            ]
        };
        let (s, body) = as_who(&app, Who::Head)
            .await
            .call("save_registration_settings", &form("", "", "1"))
            .await;
        assert_eq!(s, 403, "{body}");
        let (s, body) = organiser
            .call("save_registration_settings", &form("yesterday", "", "1"))
            .await;
        assert_eq!(s, 422);
        assert!(body.contains("\"field\":\"opens_at\""), "{body}");
        let (s, body) = organiser
            .call(
                "save_registration_settings",
                &form("2015-09-02T09:00", "2015-09-01T09:00", "1"),
            )
            .await;
        assert_eq!(s, 422);
        assert!(body.contains("\"field\":\"closes_at\""), "{body}");
        let (s, body) = organiser
            .call("save_registration_settings", &form("", "", "-3"))
            .await;
        assert_eq!(s, 422, "{body}");
        let (s, body) = organiser
            .call(
                "save_registration_settings",
                &form("2015-01-01T09:00", "2099-01-01T09:00", "1"),
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let q: Value = serde_json::from_str(
            &organiser
                .call("get_registration_queue", &[("slug", SLUG)])
                .await
                .1,
        )
        .unwrap();
        assert_eq!(
            q["settings"]["opens_at"], "2015-01-01T09:00",
            "shown in conference time"
        );
        assert_eq!(q["settings"]["cap_alternates"], "1");

        // one alternate per delegation: the second is refused
        let danes = q["delegations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["label"] == "Denmark")
            .unwrap()["value"]
            .as_str()
            .unwrap()
            .to_string();
        let register = |b: Browser, d: String| async move {
            b.call(
                "register",
                &[
                    ("slug", SLUG),
                    ("category", "alternate"),
                    ("delegation_id", &d),
                ],
            )
            .await
        };
        let first = register(as_who(&app, Who::Committee).await, danes.clone()).await;
        assert_eq!(first.0, 200, "{}", first.1);
        let second = register(as_who(&app, Who::Organiser).await, danes).await;
        assert_eq!(second.0, 409, "{}", second.1);
        assert!(
            second.1.contains("already has its 1 alternates"),
            "{}",
            second.1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_head_sees_and_withdraws_members_of_their_delegation() {
    for (_t, app) in backends().await {
        let form = [("slug", SLUG)];
        assert_eq!(app.browser().call("get_my_delegation", &form).await.0, 401);
        let jonas = as_who(&app, Who::Delegate).await;
        assert_eq!(jonas.call("get_my_delegation", &form).await.0, 403);
        let trine = as_who(&app, Who::Head).await;
        let (s, body) = trine.call("get_my_delegation", &form).await;
        assert_eq!(s, 200, "{body}");
        let d: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(d["name"], "Denmark");
        let members = d["members"].as_array().unwrap();
        assert_eq!(members.len(), 4);
        let jonas_reg =
            members.iter().find(|m| m["name"] == "Jonas Holm").unwrap()["id"].to_string();
        assert_eq!(d["caps"][0], serde_json::json!(["Delegates", 4, 5]));

        // a member cannot withdraw others; the head can, once
        let (s, _) = jonas
            .call(
                "withdraw_member",
                &[("slug", SLUG), ("registration_id", &jonas_reg)],
            )
            .await;
        assert_eq!(s, 403);
        let (s, body) = trine
            .call(
                "withdraw_member",
                &[("slug", SLUG), ("registration_id", &jonas_reg)],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let (s, _) = trine
            .call(
                "withdraw_member",
                &[("slug", SLUG), ("registration_id", &jonas_reg)],
            )
            .await;
        assert_eq!(s, 409);
        let (s, _) = trine
            .call(
                "withdraw_member",
                &[("slug", SLUG), ("registration_id", "999999")],
            )
            .await;
        assert_eq!(s, 404);
        // her own registration is not withdrawn from this table: it names her instead
        let own = d["own_registration"].to_string();
        let trine_reg = members
            .iter()
            .find(|m| m["name"] == "Trine Bendix Knudsen")
            .unwrap()["id"]
            .to_string();
        assert_eq!(own, trine_reg);
        let (s, body) = trine
            .call(
                "withdraw_member",
                &[("slug", SLUG), ("registration_id", &own)],
            )
            .await;
        assert_eq!(s, 409, "{body}");
        assert!(body.contains("You head this delegation"), "{body}");
        let (_, body) = trine.call("get_my_delegation", &form).await;
        let again: Value = serde_json::from_str(&body).unwrap();
        let her = again["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == "Trine Bendix Knudsen")
            .unwrap()
            .clone();
        assert_ne!(her["status"], "withdrawn");
        let page: Value =
            serde_json::from_str(&jonas.call("get_registration_page", &form).await.1).unwrap();
        assert_eq!(page["mine"]["status"], "withdrawn");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_head_nominates_members_within_the_caps() {
    for (t, app) in backends().await {
        let trine = as_who(&app, Who::Head).await;
        let nominate =
            |b: &Browser, name: &'static str, email: &'static str, role: &'static str| {
                let http = b.http.clone();
                let base = b.base.clone();
                async move {
                    Browser { base, http }
                        .call(
                            "nominate_member",
                            &[
                                ("slug", SLUG),
                                ("name", name),
                                ("email", email),
                                ("member_role", role),
                            ],
                        )
                        .await
                }
            };
        // only the head of a delegation
        let jonas = as_who(&app, Who::Delegate).await;
        assert_eq!(
            nominate(&jonas, "Ole", "ole@example.org", "alternate")
                .await
                .0,
            403
        );
        assert_eq!(
            nominate(&trine, "Ole", "not-an-address", "alternate")
                .await
                .0,
            422
        );
        assert_eq!(
            nominate(&trine, "Ole", "ole@example.org", "minister")
                .await
                .0,
            422
        );

        // Denmark has 4 of 5 delegates: one more nomination fits, the next does not
        let (s, body) = nominate(&trine, "Ole Hansen", "ole@example.org", "delegate").await;
        assert_eq!(s, 200, "{body}");
        let (s, body) = nominate(&trine, "Eva Berg", "eva@example.org", "delegate").await;
        assert_eq!(s, 409, "{body}");
        assert!(body.contains("5 delegates"), "{body}");
        let (s, body) = nominate(&trine, "Eva Berg", "eva@example.org", "alternate").await;
        assert_eq!(s, 200, "{body}");
        let d: Value =
            serde_json::from_str(&trine.call("get_my_delegation", &[("slug", SLUG)]).await.1)
                .unwrap();
        assert_eq!(d["nominations"].as_array().unwrap().len(), 2);
        assert_eq!(d["caps"][0], serde_json::json!(["Delegates", 5, 5]));

        // Eva follows her link, creates an account, and is taken to the form with the
        // delegation chosen; she registers as an alternate of Denmark
        let mail = newest_message(&t.db, "eva@example.org").await.unwrap();
        assert!(mail.subject.starts_with("Nomination"));
        let token = token_in(&mail.body, "/invitations/");
        let eva = app.browser();
        eva.call(
            "sign_up",
            &[
                ("name", "Eva Berg"),
                ("email", "eva@example.org"),
                ("password", "long-enough-pw"),
            ],
        )
        .await;
        let confirm = newest_message(&t.db, "eva@example.org").await.unwrap();
        eva.call(
            "confirm_account",
            &[("token", &token_in(&confirm.body, "token="))],
        )
        .await;
        let (s, _, h) = eva
            .call_raw("accept_invitation", &[("token", &token)])
            .await;
        assert!(ok(s));
        if let Some(loc) = h.get("location") {
            let loc = loc.to_str().unwrap();
            assert!(
                loc.starts_with(&format!("/conferences/{SLUG}/register?delegation=")),
                "{loc}"
            );
            assert!(loc.ends_with("&category=alternate"), "{loc}");
        }
        let danes = d["id"].to_string();
        let (s, body) = eva
            .call(
                "register",
                &[
                    ("slug", SLUG),
                    ("category", "alternate"),
                    ("delegation_id", &danes),
                ],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let d: Value =
            serde_json::from_str(&trine.call("get_my_delegation", &[("slug", SLUG)]).await.1)
                .unwrap();
        assert_eq!(
            d["nominations"].as_array().unwrap().len(),
            1,
            "Eva's was taken up"
        );
        assert!(d["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "Eva Berg" && m["status"] == "pending"));
    }
}

/// A person with an account and a pending registration, made directly in the database.
async fn pending_registrant(
    db: &DatabaseConnection,
    conference_id: i32,
    name: &str,
    email: &str,
    category: &str,
    delegation_id: Option<i32>,
) -> i32 {
    let a = db::accounts::create(db, name, email, "x".into())
        .await
        .unwrap();
    let form = domain::registration::Form::parse(category, delegation_id, "", true).unwrap();
    db::registrations::register(
        db,
        ConferenceId(conference_id),
        PersonId(a.person_id),
        &form,
    )
    .await
    .unwrap()
    .unwrap()
    .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organiser_accredits_a_whole_delegation_at_once() {
    use db::entity::{delegation, registration};
    use sea_orm::ActiveModelTrait;
    for (t, app) in backends().await {
        let conf = db::queries::conference_by_slug(&t.db, SLUG)
            .await
            .unwrap()
            .unwrap();
        let denmark = delegation::Entity::find()
            .filter(delegation::Column::Name.eq("Denmark"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        let kenya = delegation::ActiveModel {
            conference_id: sea_orm::Set(conf.id),
            name: sea_orm::Set("Kenya".into()),
            kind: sea_orm::Set("member_state".into()),
            country: sea_orm::Set(Some("Kenya".into())),
            region: sea_orm::Set(Some("Africa".into())),
            ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap();
        let danes = [
            pending_registrant(
                &t.db,
                conf.id,
                "Freja Dahl",
                "freja@example.org",
                "member_state_delegate",
                Some(denmark.id),
            )
            .await,
            pending_registrant(
                &t.db,
                conf.id,
                "Emil Bak",
                "emil@example.org",
                "alternate",
                Some(denmark.id),
            )
            .await,
        ];
        let kenyan = pending_registrant(
            &t.db,
            conf.id,
            "Wanjiru Kamau",
            "wanjiru@example.org",
            "member_state_delegate",
            Some(kenya.id),
        )
        .await;

        let organiser = as_who(&app, Who::Organiser).await;
        let queue: Value = organiser
            .ok("get_registration_queue", &[("slug", SLUG)])
            .await;
        assert_eq!(
            queue["pending_by_delegation"],
            serde_json::json!([[denmark.id, "Denmark", 2], [kenya.id, "Kenya", 1]])
        );

        let id = denmark.id.to_string();
        let form = [("slug", SLUG), ("delegation_id", id.as_str())];
        // only organisers
        assert_eq!(
            app.browser().call("accredit_delegation", &form).await.0,
            401
        );
        let head = as_who(&app, Who::Head).await;
        assert_eq!(head.call("accredit_delegation", &form).await.0, 403);

        let n: Value = organiser.ok("accredit_delegation", &form).await;
        assert_eq!(n["message"], "Denmark: 2 registrations accredited.");
        for r in danes {
            let reg = registration::Entity::find_by_id(r)
                .one(&t.db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(reg.status, "accredited");
        }
        let kenyan = registration::Entity::find_by_id(kenyan)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kenyan.status, "pending", "another delegation is untouched");
        for to in ["freja@example.org", "emil@example.org"] {
            let m = newest_message(&t.db, to).await.unwrap();
            assert!(m.subject.starts_with("Accredited"), "{}", m.subject);
        }
        assert!(newest_message(&t.db, "wanjiru@example.org").await.is_none());
        // accredited people get the delegate role, so they can sign up for fora
        let freja = account::Entity::find()
            .filter(account::Column::Email.eq("freja@example.org"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert!(role_rows(&t.db)
            .await
            .contains(&(conf.id, freja.person_id, "delegate".into())));

        // again: nothing waits any more
        let n: Value = organiser.ok("accredit_delegation", &form).await;
        assert_eq!(
            n["message"],
            "Denmark: no registration is waiting for a decision."
        );
        // a delegation of another conference, or none
        let (s, body) = organiser
            .call(
                "accredit_delegation",
                &[("slug", SLUG), ("delegation_id", "999999")],
            )
            .await;
        assert_eq!(s, 422, "{body}");
        assert!(body.contains("Choose a delegation of this conference."));
        let (s, _) = organiser
            .call(
                "accredit_delegation",
                &[("slug", "beijing-2013"), ("delegation_id", id.as_str())],
            )
            .await;
        assert_eq!(s, 403, "not an organiser of Beijing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_seats_go_to_the_waiting_list_and_fewer_take_none_away() {
    use db::entity::session;
    for (t, app) in backends().await {
        let forum = demo_forum(&t.db).await;
        let id = forum.id.to_string();
        let organiser = as_who(&app, Who::Organiser).await;
        let set = |capacity: &'static str| {
            let id = id.clone();
            let b = &organiser;
            async move {
                b.call(
                    "set_session_capacity",
                    &[("slug", SLUG), ("session_id", &id), ("capacity", capacity)],
                )
                .await
            }
        };
        let (s, body) = set("1").await;
        assert_eq!(s, 200, "{body}");

        let seat = [("slug", SLUG), ("session_id", id.as_str())];
        let head = as_who(&app, Who::Head).await;
        let jonas = as_who(&app, Who::Delegate).await;
        let mette = app.browser();
        assert!(ok(mette.log_in("mette@example.org", "demo-delegate").await));
        for b in [&head, &jonas, &mette] {
            assert_eq!(b.call("sign_up_for_session", &seat).await.0, 200);
        }
        let seats: Value = mette.ok("get_seats", &seat).await;
        assert_eq!(
            (seats["confirmed"].as_u64(), seats["waitlisted"].as_u64()),
            (Some(1), Some(2))
        );
        assert_eq!(seats["can_manage"], false);
        let seats: Value = organiser.ok("get_seats", &seat).await;
        assert_eq!(seats["can_manage"], true);

        // bad numbers change nothing
        for bad in ["0", "-3", "abc", "2.5", "100001"] {
            let (s, body) = set(bad).await;
            assert_eq!(s, 422, "{bad}: {body}");
            assert!(body.contains("whole number of seats"), "{body}");
        }
        let now = session::Entity::find_by_id(forum.id)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(now.capacity, Some(1));

        // one more seat: the first waiting (Jonas) gets it and is told
        let (s, body) = set("2").await;
        assert_eq!(s, 200, "{body}");
        assert!(
            body.contains("1 person moved from the waiting list"),
            "{body}"
        );
        let seats: Value = jonas.ok("get_seats", &seat).await;
        assert_eq!(seats["my_seat"], "confirmed");
        let told = newest_message(&t.db, "jonas@example.org").await.unwrap();
        assert!(
            told.subject.starts_with("You have a seat"),
            "{}",
            told.subject
        );
        let seats: Value = mette.ok("get_seats", &seat).await;
        assert_eq!(seats["my_seat"], "waitlisted");
        assert_eq!(seats["my_waiting_position"], 1);

        // no limit: everyone waiting gets a seat
        let (s, body) = set("").await;
        assert_eq!(s, 200, "{body}");
        assert!(body.contains("no seat limit"), "{body}");
        let seats: Value = mette.ok("get_seats", &seat).await;
        assert_eq!(seats["my_seat"], "confirmed");
        assert_eq!(seats["capacity"], Value::Null);

        // fewer seats than people seated: nobody loses theirs
        let (s, body) = set("1").await;
        assert_eq!(s, 200, "{body}");
        assert!(body.contains("3 people already have a seat"), "{body}");
        let seats: Value = head.ok("get_seats", &seat).await;
        assert_eq!(
            (seats["confirmed"].as_u64(), seats["seats_left"].as_u64()),
            (Some(3), Some(0))
        );
        assert_eq!(seats["my_seat"], "confirmed");
        // and a newcomer waits
        let niels = app.browser();
        assert!(ok(niels.log_in("niels@example.org", "demo-delegate").await));
        let (s, body) = niels.call("sign_up_for_session", &seat).await;
        assert_eq!(s, 200);
        assert!(body.contains("number 1 on the waiting list"), "{body}");

        // a session of another conference is not found here
        let (s, _) = organiser
            .call(
                "set_session_capacity",
                &[("slug", SLUG), ("session_id", "999999"), ("capacity", "5")],
            )
            .await;
        assert_eq!(s, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisers_add_delegations_with_their_heads() {
    for (t, app) in backends().await {
        let organiser = as_who(&app, Who::Organiser).await;
        // Freja has an account, and will head Sweden
        db::accounts::create(&t.db, "Freja Lind", "freja@example.org", "x".into())
            .await
            .unwrap();
        let add = |name: &'static str,
                   kind: &'static str,
                   country: &'static str,
                   region: &'static str,
                   head: &'static str| {
            let b = &organiser;
            async move {
                b.call(
                    "create_delegation",
                    &[
                        ("slug", SLUG),
                        ("name", name),
                        ("kind", kind),
                        ("country", country),
                        ("region", region),
                        ("lead_organisation", "Folkbildningsrådet"),
                        ("head_email", head),
                    ],
                )
                .await
            }
        };
        let count = || async {
            db::entity::delegation::Entity::find()
                .count(&t.db)
                .await
                .unwrap()
        };
        let before = count().await;
        for (name, kind, country, region, head, field) in [
            ("", "member_state", "Sweden", "", "", "name"),
            ("Sweden", "city", "Sweden", "", "", "kind"),
            ("Sweden", "member_state", "", "", "", "country"),
            ("Sweden", "member_state", "Sweden", "Atlantis", "", "region"),
            (
                "Sweden",
                "member_state",
                "Sweden",
                "",
                "not-an-address",
                "head_email",
            ),
            (
                "Sweden",
                "member_state",
                "Sweden",
                "",
                "nobody@example.org",
                "head_email",
            ),
        ] {
            let (s, body) = add(name, kind, country, region, head).await;
            assert_eq!(s, 422, "{field}: {body}");
            let e: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(e["field"], field, "{body}");
        }
        let (s, body) = add("denmark", "member_state", "Denmark", "", "").await;
        assert_eq!(s, 409, "a name is unique whatever its case: {body}");
        let (s, body) = add("Sweden", "member_state", "Sweden", "", "trine@example.org").await;
        assert_eq!(s, 409, "Trine heads Denmark already: {body}");
        assert!(
            body.contains("already heads the delegation of Denmark"),
            "{body}"
        );
        assert_eq!(count().await, before, "refusals change nothing");

        let (s, body) = add(
            "Sweden",
            "member_state",
            "Sweden",
            "Europe and North America",
            "Freja@Example.org",
        )
        .await;
        assert_eq!(s, 200, "{body}");
        assert!(body.contains("headed by Freja Lind"), "{body}");
        let queue: Value = organiser
            .ok("get_registration_queue", &[("slug", SLUG)])
            .await;
        let sweden = queue["delegation_list"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "Sweden")
            .unwrap()
            .clone();
        assert_eq!(sweden["head"], "Freja Lind");
        assert_eq!(sweden["region"], "Europe and North America");
        assert_eq!(sweden["members"], 0);

        // Freja is head now: her delegation's page is open to her
        sea_orm::ActiveModelTrait::update(
            account::ActiveModel {
                id: sea_orm::Set(
                    account::Entity::find()
                        .filter(account::Column::Email.eq("freja@example.org"))
                        .one(&t.db)
                        .await
                        .unwrap()
                        .unwrap()
                        .id,
                ),
                password_hash: sea_orm::Set(db::seed::hash_password("freja's password").unwrap()),
                confirmed_at: sea_orm::Set(Some(chrono::Utc::now())),
                ..Default::default()
            },
            &t.db,
        )
        .await
        .unwrap();
        let freja = app.browser();
        assert!(ok(freja
            .log_in("freja@example.org", "freja's password")
            .await));
        let d: Value = freja.ok("get_my_delegation", &[("slug", SLUG)]).await;
        assert_eq!(d["name"], "Sweden");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_session_has_its_own_calendar_file() {
    for (t, app) in backends().await {
        let forum = demo_forum(&t.db).await;
        let visitor = common::client();
        let url = format!(
            "{}/conferences/{SLUG}/sessions/{}/session.ics",
            app.base, forum.id
        );
        let r = visitor.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar"));
        let ics = r.text().await.unwrap();
        let evs = events(&ics);
        assert_eq!(evs.len(), 1, "{ics}");
        let host = app.base.trim_start_matches("http://");
        // the same UID as on the personal agenda, so calendar apps merge the two
        assert_eq!(evs[0].0, format!("session-{}@{host}", forum.id));
        // 16:00 in Mexico City (UTC-5 in September 2015) is 21:00 UTC
        assert_eq!(evs[0].1, "20150928T210000Z");
        assert_eq!(evs[0].2, forum.title);

        for bad in ["999999", "not-a-number"] {
            let r = visitor
                .get(format!(
                    "{}/conferences/{SLUG}/sessions/{bad}/session.ics",
                    app.base
                ))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 404, "{bad}");
        }
        // a session asked for under another conference
        let r = visitor
            .get(format!(
                "{}/conferences/beijing-2013/sessions/{}/session.ics",
                app.base, forum.id
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
    }
}
