//! Load on the live streams (issue 15): `--streams` visitors follow the demo conference's event
//! stream (split over the instances given), while `--writers` organisers each change a forum's
//! seats `--rate` times a second for `--seconds` (every change is an event every visitor hears).
//! Prints, per event, the delay from its write (the time stamped in its transaction) to the
//! last stream that received it, as p50 / p99 / max, how many deliveries went missing, and each
//! server's RSS before and at the end of the load.
//!
//! ```text
//! live-bench --base http://127.0.0.1:3400,http://127.0.0.1:3401 --database-url URL \
//!            --pids 123,124 --streams 1000 --writers 20 --rate 5 --seconds 20
//! ```

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
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
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
async fn follow(base: String, index: usize, heard: Heard, ready: tokio::sync::mpsc::Sender<()>) {
    let addr = base.trim_start_matches("http://").to_owned();
    let Ok(mut conn) = tokio::net::TcpStream::connect(&addr).await else {
        eprintln!("stream {index}: cannot connect to {addr}");
        return;
    };
    let req = format!(
        "GET /conferences/{SLUG}/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
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

    let heard: Heard = Arc::new(Mutex::new(vec![HashMap::new(); a.streams]));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(a.streams.max(1));
    for i in 0..a.streams {
        let base = a.bases[i % a.bases.len()].clone();
        tokio::spawn(follow(base, i, heard.clone(), ready_tx.clone()));
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
    let first = db::events::last_seq(&db, domain::ids::ConferenceId(conf.id))
        .await
        .map_err(|e| e.to_string())?;

    // the writers, spread over the instances
    let mut tasks = Vec::new();
    for w in 0..a.writers {
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
    println!(
        "writes: {} sent, {failed} refused; events: {}; deliveries missing: {missing} of {}",
        a.writers as f64 * a.rate * a.seconds as f64,
        rows.len(),
        rows.len() * open
    );
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
