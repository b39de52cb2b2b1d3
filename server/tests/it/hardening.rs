//! Attacks found by the outside audit, each tried against the real server on SQLite and
//! PostgreSQL: the outbox as an account-takeover path, the page cache fooled by a cookie's
//! spelling, parallel password guessing, session fixation, open redirects, cross-site requests,
//! security headers, invitations for another address, oversized bodies, forms without
//! JavaScript, and slow clients.

use crate::common;
use common::{fn_path, ok, App};
use db::entity::{outbox, user_session};
use db::testing::TestDb;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::time::Duration;

const SLUG: &str = "mexico-city-2015";

async fn backends() -> Vec<(TestDb, App)> {
    let mut out = Vec::new();
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        out.push((t, app));
    }
    out
}

/// The log-in session cookie's value that a response sets, if it sets one.
fn session_cookie(h: &reqwest::header::HeaderMap) -> Option<String> {
    h.get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("plenary_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
}

/// A run of 32 or more hexadecimal digits: a live secret.
fn has_secret(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_hexdigit() { run + 1 } else { 0 };
        if run >= 32 {
            return true;
        }
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_shows_no_live_link_and_no_account_message() {
    for (t, app) in backends().await {
        // a visitor asks for a reset of the committee member's password
        let visitor = app.browser();
        let (s, body) = visitor
            .call(
                "request_password_reset",
                &[("email", "committee@example.org")],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        // the message exists (its owner gets it) ...
        let reset = outbox::Entity::find()
            .filter(outbox::Column::ToEmail.eq("committee@example.org"))
            .order_by_desc(outbox::Column::Id)
            .one(&t.db)
            .await
            .unwrap()
            .expect("the reset message is queued");
        assert!(has_secret(&reset.body));
        // ... and an organiser cannot read it, nor any live link
        let organiser = common::logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let invite = organiser
            .call(
                "create_invitation",
                &[
                    ("slug", SLUG),
                    ("role", "committee"),
                    ("email", "newcomer@example.org"),
                ],
            )
            .await;
        assert_eq!(invite.0, 200, "{}", invite.1);
        let (s, page) = organiser.call("read_outbox", &[]).await;
        assert_eq!(s, 200, "{page}");
        assert!(!page.contains("committee@example.org"), "{page}");
        assert!(!page.contains("Choose a new password"), "{page}");
        assert!(
            page.contains("newcomer@example.org"),
            "the conference's own messages are listed: {page}"
        );
        assert!(!has_secret(&page), "a live secret in the outbox: {page}");
        // each message says when, readably and with its zone (the exact instant stays in
        // `created_at`, for <time datetime>)
        let list: serde_json::Value = serde_json::from_str(&page).expect("JSON");
        let label = list[0]["created_label"].as_str().expect("a label");
        assert!(
            label.ends_with(" UTC") && !label.contains("+00:00") && label.contains(", "),
            "{label}"
        );
        // the roles page: one id per input, so that each label names its own
        let (s, _, people) = organiser.get(&format!("/conferences/{SLUG}/people")).await;
        assert_eq!(s, 200);
        let ids: Vec<&str> = people
            .split(" id=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "duplicate ids on /people: {ids:?}");
        // the committee member is no organiser: no outbox at all
        let committee = common::logged_in(&app, "committee@example.org", "demo-committee").await;
        assert_eq!(committee.call("read_outbox", &[]).await.0, 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cookie_spelled_otherwise_does_not_put_a_personal_page_in_the_visitors_cache() {
    for (_t, app) in backends().await {
        let b = common::logged_in(&app, "niels@example.org", "demo-delegate").await;
        // the session cookie's value, as the jar holds it
        let (_, _, headers) = b
            .call_raw(
                "log_in",
                &[
                    ("email", "niels@example.org"),
                    ("password", "demo-delegate"),
                ],
            )
            .await;
        let cookie = session_cookie(&headers).expect("a session cookie");
        let http = common::client();
        let path = format!("{}/conferences/{SLUG}/programme", app.base);
        let baseline = http.get(&path).send().await.unwrap().text().await.unwrap();
        let name_shown = baseline.contains("Niels Johan");
        for spelling in [
            format!("plenary_session ={cookie}"),
            format!("plenary%5Fsession={cookie}"),
            format!("plenary_session={cookie}"),
        ] {
            let r = http
                .get(&path)
                .header("cookie", spelling.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let _ = r.text().await;
            let visitor = http.get(&path).send().await.unwrap();
            let page = visitor.text().await.unwrap();
            assert!(
                !page.contains("Log out") && (name_shown || !page.contains("Niels Johan")),
                "{spelling}: a visitor got the delegate's page"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_are_counted_before_the_password_is_checked() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.unwrap();
        // per-client limits out of the way: this is about one address
        let base = common::serve_with(&t.db, |s| {
            s.limits = app::limits::Limits::new(10_000, 1_000)
        })
        .await;
        let app = App { base };
        let mut tasks = Vec::new();
        for _ in 0..40 {
            let b = app.browser();
            tasks.push(tokio::spawn(async move {
                b.log_in("trine@example.org", "wrong-password").await
            }));
        }
        let mut checked = 0;
        let mut waited = 0;
        for task in tasks {
            match task.await.unwrap() {
                401 => checked += 1,
                429 => waited += 1,
                other => panic!("unexpected status {other}"),
            }
        }
        assert_eq!(
            checked,
            db::accounts::FREE_FAILURES as usize,
            "only the free attempts reach the password check ({waited} waited)"
        );
        // a growing delay, not a lock-out: the owner gets in once it has passed
        let owner = app.browser();
        let (s, _, h) = owner
            .call_raw(
                "log_in",
                &[
                    ("email", "trine@example.org"),
                    ("password", "demo-delegate"),
                ],
            )
            .await;
        assert_eq!(s, 429);
        let wait: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=2).contains(&wait), "{wait}");
        tokio::time::sleep(Duration::from_secs(wait)).await;
        owner
            .must_log_in("trine@example.org", "demo-delegate")
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_trying_many_addresses_is_slowed_down() {
    for (_t, app) in backends().await {
        let b = app.browser();
        let mut statuses = Vec::new();
        for i in 0..20 {
            statuses.push(
                b.log_in(&format!("guess{i}@example.org"), "password1")
                    .await,
            );
        }
        assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
        assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_log_in_gets_a_new_session_id_and_ids_are_stored_hashed() {
    for (t, app) in backends().await {
        let b = app.browser();
        let login = |email: &'static str, password: &'static str| {
            let b = &b;
            async move {
                b.call_raw("log_in", &[("email", email), ("password", password)])
                    .await
            }
        };
        let (s, _, h) = login("niels@example.org", "demo-delegate").await;
        assert!(ok(s));
        let first = session_cookie(&h).expect("a session cookie");
        // logging in again (as someone else) while holding a session: a new id
        let (s, _, h) = login("committee@example.org", "demo-committee").await;
        assert!(ok(s));
        let second = session_cookie(&h).expect("a new session cookie");
        assert_ne!(first, second);
        // the first id no longer works
        let http = common::client();
        let r = http
            .post(format!("{}{}", app.base, fn_path("whoami")))
            .header("cookie", format!("plenary_session={first}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap();
        assert_eq!(r.text().await.unwrap(), "null");
        // the table holds hashes, never the id
        let ids: Vec<String> = user_session::Entity::find()
            .all(&t.db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert!(!ids.iter().any(|id| *id == second || *id == first));
        let hashes: Vec<String> = [&first, &second]
            .iter()
            .map(|c| {
                // the cookie carries the id as tower-sessions writes it
                db::accounts::hash_secret(c)
            })
            .collect();
        assert!(ids.contains(&hashes[1]), "{ids:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_log_in_only_same_site_paths_are_followed() {
    for (_t, app) in backends().await {
        for next in [
            "/\t/evil.example",
            "/\n",
            "/\u{7f}",
            "/\0",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
        ] {
            let b = app.browser();
            let (s, _, h) = b
                .call_raw(
                    "log_in",
                    &[
                        ("email", "niels@example.org"),
                        ("password", "demo-delegate"),
                        ("next", next),
                    ],
                )
                .await;
            if next.contains('\0') {
                // no field takes a NUL character
                assert_eq!(s, 422, "{next:?}");
                continue;
            }
            assert!(ok(s), "{next:?}: {s}");
            if let Some(loc) = h.get("location") {
                assert_eq!(loc, "/", "{next:?}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_requests_and_other_bodies_are_refused() {
    for (t, app) in backends().await {
        let before = common::fingerprint(&t.db).await;
        let http = common::client();
        let url = format!("{}{}", app.base, fn_path("log_in"));
        let form = "email=niels%40example.org&password=demo-delegate";
        for (header, value) in [
            ("origin", "https://evil.example"),
            ("origin", "null"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-site", "same-site"),
        ] {
            let r = http
                .post(&url)
                .header(header, value)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{header}: {value}");
            assert!(r.headers().get("set-cookie").is_none());
        }
        let r = http
            .post(&url)
            .header("content-type", "text/plain")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415);
        // the site's own pages pass
        let r = http
            .post(&url)
            .header("origin", app.base.clone())
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert!(ok(r.status().as_u16()), "{}", r.status());
        // a body over the limit: 413, and nothing changed
        let big = format!("slug={}", "a".repeat(3 << 20));
        let r = http
            .post(format!("{}{}", app.base, fn_path("get_programme")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(big)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413);
        assert_eq!(before, common::fingerprint(&t.db).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_security_headers_and_a_script_nonce() {
    for (_t, app) in backends().await {
        let b = app.browser();
        for path in ["/", &format!("/conferences/{SLUG}/programme"), "/login"] {
            let (s, h, page) = b.get(path).await;
            assert_eq!(s, 200, "{path}");
            let csp = h["content-security-policy"].to_str().unwrap().to_string();
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
            assert!(csp.contains("object-src 'none'"), "{csp}");
            assert!(!csp.contains("unsafe-inline'; img") || csp.contains("style-src"));
            let nonce = csp
                .split("'nonce-")
                .nth(1)
                .and_then(|r| r.split('\'').next())
                .expect("a script nonce")
                .to_string();
            // every script in the page carries it
            let scripts = page.matches("<script").count();
            assert!(scripts > 0, "{path}");
            assert_eq!(
                page.matches(&format!("nonce=\"{nonce}\"")).count(),
                scripts,
                "{path}: a script without the nonce"
            );
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert_eq!(h["x-frame-options"], "DENY");
            assert!(h.contains_key("referrer-policy"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_for_one_address_is_not_anyone_elses() {
    for (t, app) in backends().await {
        let organiser = common::logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let (s, _) = organiser
            .call(
                "create_invitation",
                &[
                    ("slug", SLUG),
                    ("role", "committee"),
                    ("email", "mette@example.org"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        let m = outbox::Entity::find()
            .filter(outbox::Column::ToEmail.eq("mette@example.org"))
            .order_by_desc(outbox::Column::Id)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        let at = m.body.find("/invitations/").unwrap() + "/invitations/".len();
        let token: String = m.body[at..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        let other = common::logged_in(&app, "jonas@example.org", "demo-delegate").await;
        let (s, body) = other.call("accept_invitation", &[("token", &token)]).await;
        assert_eq!(s, 403, "{body}");
        let owner = common::logged_in(&app, "mette@example.org", "demo-delegate").await;
        let (s, body) = owner.call("accept_invitation", &[("token", &token)]).await;
        assert!(ok(s), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resets_are_limited_per_address_and_answered_alike() {
    for (t, app) in backends().await {
        let b = app.browser();
        let count = || async {
            outbox::Entity::find()
                .filter(outbox::Column::ToEmail.eq("niels@example.org"))
                .count(&t.db)
                .await
                .unwrap()
        };
        let before = count().await;
        let mut statuses = Vec::new();
        for _ in 0..5 {
            let (s, _, h) = b
                .call_raw("request_password_reset", &[("email", "niels@example.org")])
                .await;
            if s == 429 {
                assert!(h.contains_key("retry-after"));
            }
            statuses.push(s);
        }
        assert_eq!(statuses, [200, 200, 200, 429, 429]);
        assert_eq!(count().await - before, 3, "three messages, not five");
        // a known and an unknown address take the same time (at least the even answer)
        let started = std::time::Instant::now();
        let c = app.browser();
        let (s, _) = c
            .call("request_password_reset", &[("email", "nobody@example.org")])
            .await;
        assert_eq!(s, 200);
        assert!(started.elapsed() >= Duration::from_millis(300));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_without_javascript_goes_back_to_its_page_with_the_message() {
    for (_t, app) in backends().await {
        let http = common::client();
        let r = http
            .post(format!("{}{}", app.base, fn_path("sign_up")))
            .header("accept", "text/html")
            .header("referer", format!("{}/signup", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=Ana&email=not-an-address&password=a-long-enough-password")
            .send()
            .await
            .unwrap();
        assert!([302, 303].contains(&r.status().as_u16()), "{}", r.status());
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(to.contains("/signup?") && to.contains("__err="), "{to}");
        let to = if to.starts_with("http") {
            to
        } else {
            format!("{}{to}", app.base)
        };
        let page = http.get(to).send().await.unwrap().text().await.unwrap();
        assert!(
            page.contains("e-mail address"),
            "the form shows the message"
        );
        assert!(!page.starts_with('{'));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_opening_the_editor_gets_403() {
    for (_t, app) in backends().await {
        let b = common::logged_in(&app, "niels@example.org", "demo-delegate").await;
        let (s, _, page) = b
            .get(&format!("/conferences/{SLUG}/declaration/edit"))
            .await;
        assert_eq!(s, 403);
        assert!(page.contains("Only members of the drafting committee edit the text."));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_headers_slowly_is_dropped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = TestDb::sqlite().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("conference")
        .site_root("target/site")
        .build();
    let state = server::AppState::new(options, t.db.clone(), &base);
    tokio::spawn(server::serve_until(
        listener,
        server::router(state),
        std::future::pending(),
        server::ServeOptions {
            header_timeout: Duration::from_secs(1),
            ..Default::default()
        },
    ));
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    assert!(
        closed.is_ok(),
        "the half-sent request is still open after 5 s"
    );
    // an idle keep-alive connection is closed too
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    assert!(closed.is_ok(), "an idle connection stays open");
    assert!(String::from_utf8_lossy(&buf).contains("200 OK"));
}

/// A stop signal during a burst: every request already sent is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_answers_every_request_already_sent() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = TestDb::sqlite().await;
    db::seed::load_demo(&t.db).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("conference")
        .site_root("target/site")
        .build();
    let state = server::AppState::new(options, t.db.clone(), &base);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve_until(
        listener,
        server::router(state),
        async move {
            let _ = stop_rx.await;
        },
        server::ServeOptions::default(),
    ));
    // 24 keep-alive connections that have answered once, and 40 new ones
    let mut open = Vec::new();
    for _ in 0..24 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        // read the whole first answer (its body is `ok`), so that the next read starts clean
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !got.ends_with(b"\r\n\r\nok") {
            let n = s.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed early");
            got.extend_from_slice(&buf[..n]);
        }
        assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200 OK"));
        open.push(s);
    }
    let path = format!("/conferences/{SLUG}/programme");
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    // the stop comes once every request is sent (a busy machine may take more than a moment
    // to open 40 connections; one not yet sent when the server stops need not be answered)
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for mut s in open {
        let request = request.clone();
        let sent = sent.clone();
        tasks.push(tokio::spawn(async move {
            s.write_all(request.as_bytes()).await.unwrap();
            sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf).await;
            String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200")
        }));
    }
    for _ in 0..40 {
        let request = request.clone();
        let sent = sent.clone();
        tasks.push(tokio::spawn(async move {
            let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
                return false;
            };
            if s.write_all(request.as_bytes()).await.is_err() {
                return false;
            }
            sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf).await;
            String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200")
        }));
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while sent.load(std::sync::atomic::Ordering::SeqCst) < 64
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        sent.load(std::sync::atomic::Ordering::SeqCst),
        64,
        "every request is sent"
    );
    let _ = stop_tx.send(());
    let mut answered = 0;
    for task in tasks {
        if task.await.unwrap() {
            answered += 1;
        }
    }
    assert_eq!(
        answered, 64,
        "every request sent before the stop is answered"
    );
    tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_sent_again_with_its_key_is_done_once() {
    use db::entity::account;
    use db::entity::{amendment, amendment_comment};
    for (t, app) in backends().await {
        // an amendment, proposed twice with the form's one key: one amendment, one answer
        let trine = common::logged_in(&app, "trine@example.org", "demo-delegate").await;
        let draft: serde_json::Value = trine.ok("get_draft", &[("slug", SLUG)]).await;
        let version = draft["version"]["number"].to_string();
        let text = draft["markdown"].as_str().unwrap().to_string() + "\n\nA retried paragraph.\n";
        let form = [
            ("slug", SLUG),
            ("base_version", version.as_str()),
            ("title", "Sent twice"),
            ("rationale", "The answer was lost."),
            ("proposed_markdown", text.as_str()),
            ("idempotency_key", "form-0123456789abcdef"),
        ];
        let before = amendment::Entity::find().count(&t.db).await.unwrap();
        let first: i32 = trine.ok("propose_amendment", &form).await;
        let again: i32 = trine.ok("propose_amendment", &form).await;
        assert_eq!(first, again, "the retry answers as the first did");
        assert_eq!(
            amendment::Entity::find().count(&t.db).await.unwrap(),
            before + 1
        );
        // another form (another key) is another amendment
        let mut other = form;
        other[5] = ("idempotency_key", "form-fedcba9876543210");
        let second: i32 = trine.ok("propose_amendment", &other).await;
        assert_ne!(second, first);
        // the same key from someone else is refused, not taken as theirs
        let niels = common::logged_in(&app, "niels@example.org", "demo-delegate").await;
        niels.fails("propose_amendment", &form, 422).await;
        // a key that is not one
        let mut bad = form;
        bad[5] = ("idempotency_key", "x");
        trine.fails("propose_amendment", &bad, 422).await;

        // a comment, twice: one comment
        let n = first.to_string();
        let c = [
            ("slug", SLUG),
            ("number", n.as_str()),
            ("body", "Sent once, arrived twice."),
            ("idempotency_key", "comment-0123456789abcdef"),
        ];
        let comments = amendment_comment::Entity::find()
            .count(&t.db)
            .await
            .unwrap();
        let (s1, _) = trine.call("comment_amendment", &c).await;
        let (s2, _) = trine.call("comment_amendment", &c).await;
        assert_eq!((s1, s2), (200, 200));
        assert_eq!(
            amendment_comment::Entity::find()
                .count(&t.db)
                .await
                .unwrap(),
            comments + 1
        );

        // a sign-up, twice: one account, one message
        let visitor = app.browser();
        let s = [
            ("name", "Ana Retry"),
            ("email", "ana.retry@example.org"),
            ("password", "a-long-enough-password"),
            ("idempotency_key", "signup-0123456789abcdef"),
        ];
        assert_eq!(visitor.call("sign_up", &s).await.0, 200);
        assert_eq!(visitor.call("sign_up", &s).await.0, 200);
        let accounts = account::Entity::find()
            .filter(account::Column::Email.eq("ana.retry@example.org"))
            .count(&t.db)
            .await
            .unwrap();
        assert_eq!(accounts, 1);
        let messages = outbox::Entity::find()
            .filter(outbox::Column::ToEmail.eq("ana.retry@example.org"))
            .count(&t.db)
            .await
            .unwrap();
        assert_eq!(messages, 1, "no second message for the retry");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_text_field_has_a_limit_with_a_clear_message() {
    for (t, app) in backends().await {
        let niels = common::logged_in(&app, "niels@example.org", "demo-delegate").await;
        let before = common::fingerprint(&t.db).await;
        let needs = "n".repeat(100_000);
        let e = niels
            .fails(
                "register",
                &[("slug", SLUG), ("category", "observer"), ("needs", &needs)],
                422,
            )
            .await;
        assert_eq!(e["field"], "needs", "{e}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("at most 2000 characters"),
            "{e}"
        );
        // a session's title, a comment's body: each its own bound, each named
        let title = "t".repeat(2_001);
        let e = niels
            .fails(
                "propose_amendment",
                &[("slug", SLUG), ("title", &title)],
                422,
            )
            .await;
        assert_eq!(e["field"], "title");
        let body = "b".repeat(20_001);
        let e = niels
            .fails(
                "comment_amendment",
                &[("slug", SLUG), ("number", "1"), ("body", &body)],
                422,
            )
            .await;
        assert_eq!(e["field"], "body");
        assert_eq!(before, common::fingerprint(&t.db).await, "nothing changed");
        // without JavaScript, the form's page gets the message back
        let r = niels
            .http
            .post(format!("{}{}", app.base, fn_path("register")))
            .header("accept", "text/html")
            .header(
                "referer",
                format!("{}/conferences/{SLUG}/register", app.base),
            )
            .form(&[("slug", SLUG), ("category", "observer"), ("needs", &needs)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap();
        assert!(to.contains("/register?") && to.contains("__err="), "{to}");
    }
}

/// The stored XSS: a `</textarea>` in the working draft closed the editor's textarea early in
/// the server's page, and what followed ran in the reader's browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_written_back_into_a_textarea_stays_text() {
    for (_t, app) in backends().await {
        let committee = common::logged_in(&app, "committee@example.org", "demo-committee").await;
        let draft: serde_json::Value = committee.ok("get_draft", &[("slug", SLUG)]).await;
        let version = draft["version"]["number"].to_string();
        let payload = "</textarea><script>top.__xss=1</script><img src=x onerror=top.__xss=2>";
        let text = format!(
            "{}\n\nA paragraph with {payload} in it.\n",
            draft["markdown"].as_str().unwrap().trim_end()
        );
        let (s, body) = committee
            .call(
                "save_declaration",
                &[
                    ("slug", SLUG),
                    ("base_version", &version),
                    ("markdown", &text),
                ],
            )
            .await;
        assert_eq!(s, 200, "{body}");
        let niels = common::logged_in(&app, "niels@example.org", "demo-delegate").await;
        for (who, path) in [
            (&committee, format!("/conferences/{SLUG}/declaration/edit")),
            (&niels, format!("/conferences/{SLUG}/amendments/new")),
        ] {
            let (s, _, page) = who.get(&path).await;
            assert_eq!(s, 200, "{path}");
            assert!(!page.contains("<script>top.__xss"), "{path}: live script");
            assert!(!page.contains("<img src=x"), "{path}: live element");
            assert!(
                page.contains("&lt;/textarea&gt;&lt;script&gt;top.__xss=1&lt;/script&gt;"),
                "{path}: the text is in the textarea, escaped"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_a_fixed_time_after_it_began() {
    use sea_orm::sea_query::Expr;
    for (t, app) in backends().await {
        let b = common::logged_in(&app, "niels@example.org", "demo-delegate").await;
        assert_eq!(b.whoami().await["email"], "niels@example.org");
        // however active it stays, a session begun longer ago than the absolute lifetime ends
        let long_ago = chrono::Utc::now().timestamp()
            - (db::session_store::ABSOLUTE_LIFETIME_DAYS * 86_400 + 60);
        user_session::Entity::update_many()
            .col_expr(user_session::Column::CreatedAt, Expr::value(long_ago))
            .exec(&t.db)
            .await
            .unwrap();
        assert_eq!(b.whoami().await, serde_json::Value::Null);
    }
}
