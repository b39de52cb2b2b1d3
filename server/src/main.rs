//! `server` — run the conference system.
//!
//! ```text
//! server            serve (migrates, and loads the demo into an empty database)
//! server migrate    bring the schema up to date and exit
//! server seed       load the demo conference (idempotent) and exit
//! server seed-scale add a generated conference of 400 sessions (for bench/run) and exit
//! server seed-desk  add 2,100 registrations to it (for bench/desk) and exit
//! ```

use server::config::{Config, DemoData};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    server::tune_allocator();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(start()),
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let config = Config::from_env()?;
    let demo = if command == "serve" {
        config.demo_data
    } else {
        DemoData::Never
    };
    let (db, report) = db::prepare(&config.database_url, demo)
        .await
        .map_err(|e| format!("cannot prepare the database {}: {e}", config.database_url))?;
    if let Some(r) = report {
        print_seed(&r);
    }
    match command.as_str() {
        "migrate" => {
            println!("The schema of {} is up to date.", config.database_url);
            Ok(())
        }
        "seed" => {
            let r = db::seed::load_demo(&db).await.map_err(|e| e.to_string())?;
            print_seed(&r);
            print_logins();
            Ok(())
        }
        "seed-scale" => {
            let made = db::seed::load_scale(&db).await.map_err(|e| e.to_string())?;
            println!(
                "{} /conferences/{}: 5 days, 20 rooms, 400 sessions.",
                if made { "Generated" } else { "Already there:" },
                db::seed::SCALE_SLUG
            );
            Ok(())
        }
        "seed-desk" => {
            let made = db::seed::load_desk_scale(&db)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{} /conferences/{}: 2,100 registrations (2,000 accredited) in 40 delegations.",
                if made { "Generated" } else { "Already there:" },
                db::seed::SCALE_SLUG
            );
            Ok(())
        }
        "serve" => serve(config, db).await,
        other => Err(format!(
            "unknown command {other:?}; use serve (default), migrate, seed, seed-scale or seed-desk"
        )),
    }
}

fn print_seed(r: &db::seed::SeedReport) {
    if r.conferences_created.is_empty() {
        println!("Demo data: already loaded, nothing changed.");
    } else {
        println!(
            "Demo data: loaded {} and {} account(s).",
            r.conferences_created.join(", "),
            r.accounts_created
        );
    }
}

/// Whether the built assets carry hashed names: `LEPTOS_HASH_FILES` if set, else whether the
/// hash file cargo-leptos writes next to the binary is there.
fn hashed_assets(options: &leptos::config::LeptosOptions) -> bool {
    if std::env::var_os("LEPTOS_HASH_FILES").is_some() {
        return options.hash_files;
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)))
        .is_some_and(|file| file.exists())
}

fn print_logins() {
    println!("Demo logins (these accounts exist in the demo data):");
    for l in db::seed::DEMO_LOGINS {
        println!("  {:<32} {:<26} password: {}", l.role, l.email, l.password);
    }
}

async fn serve(config: Config, db: db::DatabaseConnection) -> Result<(), String> {
    let conf = leptos::config::get_configuration(None).map_err(|e| e.to_string())?;
    let mut leptos_options = conf.leptos_options;
    // a release built by cargo-leptos with `hash-files` leaves the names of its hashed assets
    // next to the binary; the server is started directly (not by cargo-leptos), so it looks
    leptos_options.hash_files = hashed_assets(&leptos_options);
    let addr = leptos_options.site_addr;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let _cleanup = server::spawn_session_cleanup(db.clone());
    let _trim = server::spawn_memory_trim();
    let mail = match &config.smtp_url {
        Some(url) => {
            let mailer = server::mail::Mailer::new(url, &config.mail_from)?;
            let _sender = server::mail::spawn(db.clone(), mailer);
            format!("sent by SMTP from {}", config.mail_from)
        }
        None => "kept in the outbox (/outbox) and printed here: set SMTP_URL to send them".into(),
    };
    if let Some(dir) = &config.mail_dir {
        server::mail::spawn_dir_writer(db.clone(), dir.into())?;
    }
    let db_for_live = db.clone();
    let mut state = server::AppState::new(leptos_options, db, &public_url);
    state.limits =
        app::limits::Limits::new(config.login_limit_per_minute, config.requests_per_client);
    state.client_ip_header = app::limits::ClientIpHeader(config.client_ip_header.clone());
    if config.live_reread != app::live::service::REREAD_EVERY {
        state.hub.close();
        state.hub = app::live::service::Hub::start_with(db_for_live.clone(), config.live_reread);
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!();
    println!("Serving the conference system at http://{addr} (public address {public_url})");
    println!("Database: {}", config.database_url);
    println!("Messages: {mail}");
    if let Some(dir) = &config.mail_dir {
        println!(
            "Each message is also written to {dir}/ (links included: the outbox page masks them)."
        );
    }
    if config.demo_data != server::config::DemoData::Never {
        print_logins();
    }
    println!("Stop with Ctrl-C (or SIGTERM).");
    let _pruning = app::live::service::spawn_pruning(db_for_live.clone());
    if !db::is_sqlite(&config.database_url) {
        // other instances' events arrive by LISTEN/NOTIFY
        let _listener = db::events::spawn_postgres_listener(config.database_url.clone());
    }
    let hub = state.hub.clone();
    let stop = async move {
        server::shutdown_signal().await;
        // open streams end now, so that they do not hold the graceful stop
        hub.close();
    };
    server::serve_until(
        listener,
        server::router(state),
        stop,
        server::ServeOptions::default(),
    )
    .await
    .map_err(|e| e.to_string())
}
