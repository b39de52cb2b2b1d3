//! Load on the live streams (issue 15): `--streams` visitors follow the demo conference's event
//! stream (split over the instances given), while `--writers` organisers each change a forum's
//! seats `--rate` times a second for `--seconds` (every change is an event every visitor hears).
//! With `--typing`, the writers are committee members co-editing the working draft instead, each
//! typing `--rate` characters a second into a paragraph of their own through the editor's
//! protocol (`domain::coedit::Client`: one operation in flight, the rest composed meanwhile,
//! catching up by `get_shared_ops`), and the streams are the committee's (every stream hears
//! every keystroke).
//! Prints, per event, the delay from its write (the time stamped in its transaction) to the
//! last stream that received it, as p50 / p99 / max, how many deliveries went missing, and each
//! server's RSS before and at the end of the load.
//!
//! ```text
//! live-bench --base http://127.0.0.1:3400,http://127.0.0.1:3401 --database-url URL \
//!            --pids 123,124 --streams 1000 --writers 20 --rate 5 --seconds 20
//! ```

use app::drafting::api::{EditSharedDraft, GetSharedDraft, GetSharedOps};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const SLUG: &str = "mexico-city-2015";

struct Args {
    bases: Vec<String>,
    database_url: String,
    pids: Vec<u32>,
    streams: usize,
    writers: usize,
    rate: f64,
    seconds: u64,
    typing: bool,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        bases: vec![],
        database_url: String::new(),
        pids: vec![],
        streams: 1000,
        writers: 20,
        rate: 5.0,
        seconds: 20,
        typing: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--typing" {
            a.typing = true;
            continue;
        }
        let v = it.next().ok_or(format!("{k} needs a value"))?;
        let num = |v: &str| v.parse::<u64>().map_err(|e| format!("{k}: {e}"));
        match k.as_str() {
            "--base" => a.bases = v.split(',').map(str::to_owned).collect(),
            "--database-url" => a.database_url = v,
            "--pids" => {
                a.pids = v
                    .split(',')
                    .map(|p| p.parse().map_err(|e| format!("--pids: {e}")))
                    .collect::<Result<_, _>>()?
            }
            "--streams" => a.streams = num(&v)? as usize,
            "--writers" => a.writers = num(&v)? as usize,
            "--rate" => a.rate = v.parse().map_err(|e| format!("--rate: {e}"))?,
            "--seconds" => a.seconds = num(&v)?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    if a.bases.is_empty() || a.database_url.is_empty() {
        return Err("--base and --database-url are required".into());
    }
    Ok(a)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// When each event number reached this stream (Unix time in microseconds).
type Heard = Arc<Mutex<Vec<HashMap<i64, i64>>>>;

fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// One visitor's stream, over a plain TCP connection; notes each event's number and arrival.
async fn follow(
    base: String,
    cookie: Option<String>,
    index: usize,
    heard: Heard,
    ready: tokio::sync::mpsc::Sender<()>,
) {
    let addr = base.trim_start_matches("http://").to_owned();
    let Ok(mut conn) = tokio::net::TcpStream::connect(&addr).await else {
        eprintln!("stream {index}: cannot connect to {addr}");
        return;
    };
    let cookie = cookie.map_or(String::new(), |c| format!("Cookie: {c}\r\n"));
    let req = format!(
        "GET /conferences/{SLUG}/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n{cookie}\r\n"
    );
    if conn.write_all(req.as_bytes()).await.is_err() {
        return;
    }
    let mut lines = BufReader::new(conn).lines();
    let mut signalled = false;
    while let Ok(Some(line)) = lines.next_line().await {
        if !signalled && line.starts_with("retry:") {
            signalled = true;
            let _ = ready.send(()).await;
        }
        if let Some(id) = line.strip_prefix("id:") {
            if let Ok(seq) = id.trim().parse::<i64>() {
                let t = now_us();
                if let Ok(mut h) = heard.lock() {
                    h[index].insert(seq, t);
                }
            }
        }
    }
}

/// A client logged in as `email` at `base`, and its session cookie.
async fn logged_in(
    base: &str,
    email: &str,
    password: &str,
) -> Result<(reqwest::Client, String), String> {
    use reqwest::cookie::CookieStore;
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let html = http
        .get(format!("{base}/login"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    let at = html.find("action=\"/fn/log_in").ok_or("no log-in form")?;
    let rest = &html[at + 8..];
    let login = &rest[..rest.find('"').unwrap_or(0)];
    http.post(format!("{base}{login}"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let url: reqwest::Url = base.parse().map_err(|e| format!("{e}"))?;
    let cookie = jar
        .cookies(&url)
        .and_then(|c| c.to_str().ok().map(str::to_owned))
        .ok_or(format!("{email}: not logged in"))?;
    Ok((http, cookie))
}

/// `n` committee members for the typing load (made once in the database: people, confirmed
/// accounts, the committee role), as (e-mail, password).
async fn committee(
    db: &sea_orm::DatabaseConnection,
    conf: i32,
    n: usize,
) -> Result<Vec<(String, String)>, String> {
    use sea_orm::{ActiveModelTrait, Set};
    let password = "bench-editor-password";
    let hash = db::seed::hash_password(password).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("editor{i}@bench.example.org");
        let existing = db::entity::account::Entity::find()
            .filter(db::entity::account::Column::Email.eq(email.clone()))
            .one(db)
            .await
            .map_err(|e| e.to_string())?;
        let person = match existing {
            Some(a) => a.person_id,
            None => {
                let p = db::entity::person::ActiveModel {
                    name: Set(format!("Editor {i}")),
                    ..Default::default()
                }
                .insert(db)
                .await
                .map_err(|e| e.to_string())?;
                db::entity::account::ActiveModel {
                    person_id: Set(p.id),
                    email: Set(email.clone()),
                    password_hash: Set(hash.clone()),
                    created_at: Set(chrono::Utc::now()),
                    confirmed_at: Set(Some(chrono::Utc::now())),
                    ..Default::default()
                }
                .insert(db)
                .await
                .map_err(|e| e.to_string())?;
                p.id
            }
        };
        let _ = db::accounts::grant(
            db,
            domain::ids::ConferenceId(conf),
            domain::ids::PersonId(person),
            domain::permissions::Role::Committee,
        )
        .await;
        out.push((email, password.to_owned()));
    }
    Ok(out)
}

/// Call the server function `F` with a form; its JSON answer.
async fn call<F: server_fn::ServerFn>(
    http: &reqwest::Client,
    base: &str,
    form: &[(&str, String)],
) -> Result<serde_json::Value, String> {
    let name = F::PATH;
    let r = http
        .post(format!("{base}{name}"))
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let body = r.text().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{name}: {status} {body}"));
    }
    serde_json::from_str(&body).map_err(|e| format!("{name}: {e}"))
}

/// One co-editor typing `rate` characters a second for `n` keystrokes, at the end of its own
/// paragraph (`marker`), as the editor page does it. Returns how many operations it sent and
/// whether its copy ended equal to the server's.
async fn type_along(
    http: reqwest::Client,
    base: String,
    marker: String,
    rate: f64,
    n: usize,
) -> Result<(usize, bool), String> {
    use domain::coedit::{Client, Operation};
    let slug = || ("slug", SLUG.to_owned());
    let d = call::<GetSharedDraft>(&http, &base, &[slug()]).await?;
    let mut client = Client::new(
        d["text"].as_str().unwrap_or_default(),
        d["revision"].as_u64().unwrap_or(0),
    );
    let mut sent = 0usize;
    let name = marker.trim_matches(['[', ']']).to_owned();
    let mut in_flight: Option<(u64, Operation, String)> = None;
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    let mut typed = 0;
    loop {
        if typed < n {
            tick.tick().await;
            // a character just before this editor's marker
            let at = client.text.find(&marker).ok_or("marker gone")?;
            let pos = client.text[..at].chars().count();
            let len = client.text.chars().count();
            let ch = ["a", "b", "c", "d", "e"][typed % 5];
            let op = Operation::new().retain(pos).insert(ch).retain(len - pos);
            typed += 1;
            if let Some((seen, op)) = client.local(op).map_err(|e| e.to_string())? {
                sent += 1;
                in_flight = Some((seen, op, format!("{name}-{sent}")));
            }
        } else if client.settled() {
            break;
        } else {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // send what is in flight and not yet sent, then catch up
        if let Some((seen, op, key)) = in_flight.take() {
            let json = serde_json::to_string(&op).map_err(|e| e.to_string())?;
            call::<EditSharedDraft>(
                &http,
                &base,
                &[
                    slug(),
                    ("seen", seen.to_string()),
                    ("operation", json),
                    ("key", key.clone()),
                ],
            )
            .await?;
            let ops = call::<GetSharedOps>(
                &http,
                &base,
                &[slug(), ("after", client.revision.to_string())],
            )
            .await?;
            for o in ops.as_array().cloned().unwrap_or_default() {
                let rev = o["revision"].as_u64().unwrap_or(0);
                if rev <= client.revision {
                    continue;
                }
                let op: Operation =
                    serde_json::from_value(o["operation"].clone()).map_err(|e| e.to_string())?;
                let mine = o["key"].as_str() == Some(key.as_str());
                if let Some((seen, next)) =
                    client.remote(rev, &op, mine).map_err(|e| e.to_string())?
                {
                    sent += 1;
                    in_flight = Some((seen, next, format!("{name}-{sent}")));
                }
            }
        }
    }
    let d = call::<GetSharedDraft>(&http, &base, &[slug()]).await?;
    let server = d["text"].as_str().unwrap_or_default();
    // every keystroke in the server's text, in order, once: this editor's paragraph is exactly
    // what it typed (the others type into their own)
    let typed: String = (0..n).map(|k| ["a", "b", "c", "d", "e"][k % 5]).collect();
    let whole = format!("{}: {typed}{marker}", marker.trim_matches(['[', ']']));
    Ok((sent, server.matches(&whole).count() == 1))
}

async fn organiser(base: &str) -> Result<(reqwest::Client, String, String), String> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let page = |path: String| {
        let http = http.clone();
        async move {
            http.get(path)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .text()
                .await
                .map_err(|e| e.to_string())
        }
    };
    let action = |html: &str, name: &str| -> Result<String, String> {
        let at = html
            .find(&format!("action=\"/fn/{name}"))
            .ok_or(format!("no form for {name}"))?;
        let rest = &html[at + 8..];
        Ok(rest[..rest.find('"').unwrap_or(0)].to_owned())
    };
    let login = action(&page(format!("{base}/login")).await?, "log_in")?;
    http.post(format!("{base}{login}"))
        .form(&[
            ("email", "organiser@example.org"),
            ("password", "demo-organiser"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let programme: serde_json::Value = http
        .get(format!("{base}/api/v1/conferences/{SLUG}/programme"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    // a session whose page has the seats form (one people sign up for)
    let sessions = programme["sessions"]
        .as_array()
        .ok_or("no session in the programme")?;
    for s in sessions {
        let Some(id) = s["id"].as_i64() else {
            continue;
        };
        let html = page(format!("{base}/conferences/{SLUG}/sessions/{id}")).await?;
        if let Ok(set) = action(&html, "set_session_capacity") {
            return Ok((http, set, id.to_string()));
        }
    }
    Err("no session with seats in the programme".into())
}

fn percentile(sorted: &[i64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let a = args()?;
    let db = db::connect(&a.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let conf = db::queries::conference_by_slug(&db, SLUG)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no demo conference")?;
    let rss_before: Vec<u64> = a.pids.iter().map(|p| rss_kib(*p)).collect();

    // with --typing: the co-editors, logged in (alternating instances), whose sessions the
    // streams use too (the committee hears the keystrokes)
    let mut editors = Vec::new();
    if a.typing {
        for (w, (email, password)) in committee(&db, conf.id, a.writers)
            .await?
            .into_iter()
            .enumerate()
        {
            let base = a.bases[w % a.bases.len()].clone();
            let (http, cookie) = logged_in(&base, &email, &password).await?;
            editors.push((base, http, cookie));
        }
    }

    let heard: Heard = Arc::new(Mutex::new(vec![HashMap::new(); a.streams]));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(a.streams.max(1));
    for i in 0..a.streams {
        let base = a.bases[i % a.bases.len()].clone();
        let cookie = (!editors.is_empty()).then(|| editors[i % editors.len()].2.clone());
        tokio::spawn(follow(base, cookie, i, heard.clone(), ready_tx.clone()));
    }
    drop(ready_tx);
    let mut open = 0;
    while open < a.streams {
        match tokio::time::timeout(Duration::from_secs(30), ready_rx.recv()).await {
            Ok(Some(())) => open += 1,
            _ => break,
        }
    }
    println!("streams open: {open} of {}", a.streams);
    let rss_open: Vec<u64> = a.pids.iter().map(|p| rss_kib(*p)).collect();

    if a.typing {
        // a paragraph for each editor, added by the first
        let (base, http, _) = &editors[0];
        let d = call::<GetSharedDraft>(http, base, &[("slug", SLUG.to_owned())]).await?;
        let text = d["text"].as_str().unwrap_or_default();
        let added: String = (0..a.writers)
            .map(|w| format!("\n\nBench paragraph e{w}: [e{w}]"))
            .collect();
        let n = text.chars().count();
        let op = domain::coedit::Operation::new().retain(n).insert(&added);
        call::<EditSharedDraft>(
            http,
            base,
            &[
                ("slug", SLUG.to_owned()),
                ("seen", d["revision"].as_u64().unwrap_or(0).to_string()),
                (
                    "operation",
                    serde_json::to_string(&op).map_err(|e| e.to_string())?,
                ),
                ("key", format!("bench-setup-{}", now_us())),
            ],
        )
        .await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let first = db::events::last_seq(&db, domain::ids::ConferenceId(conf.id))
        .await
        .map_err(|e| e.to_string())?;

    // the writers, spread over the instances
    let mut tasks = Vec::new();
    let mut typists = Vec::new();
    for (w, (base, http, _)) in editors.iter().enumerate() {
        let n = (a.rate * a.seconds as f64) as usize;
        typists.push(tokio::spawn(type_along(
            http.clone(),
            base.clone(),
            format!("[e{w}]"),
            a.rate,
            n,
        )));
    }
    for w in (0..a.writers).filter(|_| !a.typing) {
        let base = a.bases[w % a.bases.len()].clone();
        let (http, set, session) = organiser(&base).await?;
        let every = Duration::from_secs_f64(1.0 / a.rate);
        let n = (a.rate * a.seconds as f64) as usize;
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            let mut failed = 0;
            for k in 0..n {
                tick.tick().await;
                let capacity = (200 + (w * 7 + k) % 50).to_string();
                let ok = http
                    .post(format!("{base}{set}"))
                    .form(&[
                        ("slug", SLUG),
                        ("session_id", session.as_str()),
                        ("capacity", capacity.as_str()),
                    ])
                    .send()
                    .await
                    .map(|r| r.status().is_success())
                    .unwrap_or(false);
                if !ok {
                    failed += 1;
                }
            }
            failed
        }));
    }
    let mut failed = 0;
    for t in tasks {
        failed += t.await.unwrap_or(0);
    }
    let (mut ops, mut in_step) = (0, 0);
    for t in typists {
        match t.await {
            Ok(Ok((sent, ok))) => {
                ops += sent;
                in_step += usize::from(ok);
            }
            Ok(Err(e)) => {
                eprintln!("an editor stopped: {e}");
                failed += 1;
            }
            Err(_) => failed += 1,
        }
    }
    if a.typing {
        println!(
            "editors: {} typed {} keystrokes as {ops} operations; {in_step} of them found all theirs in the server's text, in order, once",
            a.writers,
            a.writers as f64 * a.rate * a.seconds as f64
        );
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_load: Vec<u64> = a.pids.iter().map(|p| rss_kib(*p)).collect();

    // when each event was written, from its row
    let rows = db::entity::event::Entity::find()
        .filter(db::entity::event::Column::ConferenceId.eq(conf.id))
        .filter(db::entity::event::Column::Seq.gt(first))
        .all(&db)
        .await
        .map_err(|e| e.to_string())?;
    let heard = heard.lock().map_err(|_| "poisoned")?.clone();
    let mut to_last = Vec::new();
    let mut missing = 0usize;
    for r in &rows {
        let written = r.created_at.timestamp_micros();
        let mut last = i64::MIN;
        for h in heard.iter().take(open) {
            match h.get(&r.seq) {
                Some(t) => last = last.max(*t),
                None => missing += 1,
            }
        }
        if last > i64::MIN {
            to_last.push(last - written);
        }
    }
    to_last.sort_unstable();
    if a.typing {
        println!(
            "editors stopped: {failed}; events: {}; deliveries missing: {missing} of {}",
            rows.len(),
            rows.len() * open
        );
    } else {
        println!(
            "writes: {} sent, {failed} refused; events: {}; deliveries missing: {missing} of {}",
            a.writers as f64 * a.rate * a.seconds as f64,
            rows.len(),
            rows.len() * open
        );
    }
    println!(
        "write → last stream: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&to_last, 0.5),
        percentile(&to_last, 0.99),
        percentile(&to_last, 1.0)
    );
    for (i, pid) in a.pids.iter().enumerate() {
        println!(
            "server {pid}: RSS {} MiB before, {} MiB with the streams open, {} MiB after the load",
            rss_before[i] / 1024,
            rss_open[i] / 1024,
            rss_load[i] / 1024
        );
    }
    std::process::exit(0)
}
