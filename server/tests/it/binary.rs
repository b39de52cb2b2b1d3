//! The server binary itself: first start creates, migrates and loads the database; SIGTERM
//! stops it cleanly.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn first_start_loads_the_demo_and_sigterm_stops_cleanly() {
    let dir = std::env::temp_dir().join(format!("conference-bin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db_file = dir.join("nested").join("conference.db");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", db_file.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "conference")
        .env("DEMO_DATA", "auto")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("HTTP client");
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status() == 200 {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not come up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        db_file.exists(),
        "the SQLite file (and its folder) is created"
    );
    let list: serde_json::Value = client
        .get(format!("{base}/api/v1/conferences"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.to_string().contains("mexico-city-2015"));

    // the shell's builtin kill: no procps needed
    let status = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "server ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert!(
        out.contains("organiser@example.org"),
        "logins are printed: {out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A deployment that says nothing about demo data gets none: no accounts with published
/// passwords, and none printed.
#[tokio::test]
async fn by_default_no_demo_accounts_are_loaded() {
    let dir = std::env::temp_dir().join(format!("conference-bin-nodemo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db_file = dir.join("conference.db");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", db_file.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "conference")
        .env_remove("DEMO_DATA")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not come up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let list: serde_json::Value = client
        .get(format!("{base}/api/v1/conferences"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!list.to_string().contains("mexico-city-2015"), "{list}");
    let _ = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status();
    let _ = child.wait();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert!(
        !out.contains("demo-organiser"),
        "no passwords printed: {out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
