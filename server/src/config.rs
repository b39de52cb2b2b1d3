//! Configuration, from environment variables only.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `DATABASE_URL` | `sqlite://data/conference.db?mode=rwc` | `sqlite://PATH` or `postgres://…` |
//! | `LEPTOS_SITE_ADDR` | `127.0.0.1:3000` | address to listen on |
//! | `RUST_LOG` | `info` | log filter (tracing `EnvFilter` syntax) |
//! | `DEMO_DATA` | `never` | `auto`: load the demo conference into an empty database; `always`; `never` (its accounts have published passwords: `make run` sets `auto`) |
//! | `LOGIN_LIMIT_PER_MINUTE` | `10` | log-in attempts per minute from one client address |
//! | `SIGNUP_LIMIT_PER_CLIENT` | `10` | sign-ups (and, separately, password-reset requests) from one client address before each further one waits 2 minutes |
//! | `CLIENT_IP_HEADER` | unset | behind a reverse proxy, the header it sets to the client's address (e.g. `x-real-ip`) |
//! | `MAIL_DIR` | unset | also write each outgoing message as a JSON file into this folder (development, tests) |
//! | `LEPTOS_SITE_ROOT` | `target/site` | where the built CSS and WASM are |
//! | `PUBLIC_URL` | `http://` + the listening address | where people reach the site: the base of links in e-mails; `https://…` makes cookies `Secure` |
//! | `SMTP_URL` | unset | send the outbox by SMTP: `smtps://user:password@host:465`, `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtp://host:25` (a local relay, unencrypted); unset: messages stay in the outbox |
//! | `MAIL_FROM` | `Conference secretariat <no-reply@localhost>` | the sender of those messages |

pub use db::DemoData;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub demo_data: DemoData,
    /// `None`: derived from the listening address
    pub public_url: Option<String>,
    /// `None`: messages stay in the outbox
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// log-in attempts per minute from one client address
    pub login_limit_per_minute: u32,
    /// sign-ups (and reset requests) from one client address before it must wait
    pub requests_per_client: u32,
    /// behind a reverse proxy: the header that carries the client's address
    pub client_ip_header: Option<String>,
    /// write each message also as a file into this folder (development and tests)
    pub mail_dir: Option<String>,
    /// how often the live streams re-read the database without being told of a change (a
    /// safety net for a lost PostgreSQL notification; `LIVE_REREAD_SECONDS`, default 2)
    pub live_reread: std::time::Duration,
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let database_url =
            std::env::var("DATABASE_URL").unwrap_or_else(|_| db::DEFAULT_DATABASE_URL.to_string());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            return Err(format!(
                "DATABASE_URL must start with sqlite: or postgres://, not {database_url:?}"
            ));
        }
        let demo_data = match std::env::var("DEMO_DATA").as_deref() {
            // a deployment never gets the demo's published passwords by accident: `make run`
            // asks for the demo with DEMO_DATA=auto
            Err(_) | Ok("") | Ok("never") => DemoData::Never,
            Ok("auto") => DemoData::Auto,
            Ok("always") => DemoData::Always,
            Ok(other) => {
                return Err(format!(
                    "DEMO_DATA must be auto, always or never, not {other:?}"
                ))
            }
        };
        let public_url = match std::env::var("PUBLIC_URL") {
            Ok(u) if u.starts_with("http://") || u.starts_with("https://") => Some(u),
            Ok(u) if u.is_empty() => None,
            Ok(u) => {
                return Err(format!(
                    "PUBLIC_URL must start with http:// or https://, not {u:?}"
                ))
            }
            Err(_) => None,
        };
        let smtp_url = match std::env::var("SMTP_URL") {
            Ok(u) if u.is_empty() => None,
            Ok(u) if u.starts_with("smtp://") || u.starts_with("smtps://") => Some(u),
            Ok(_) => {
                return Err("SMTP_URL must start with smtp:// or smtps://".to_string());
            }
            Err(_) => None,
        };
        let mail_from = std::env::var("MAIL_FROM")
            .ok()
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| "Conference secretariat <no-reply@localhost>".to_string());
        let login_limit_per_minute = match std::env::var("LOGIN_LIMIT_PER_MINUTE") {
            Err(_) => 10,
            Ok(v) => v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                format!("LOGIN_LIMIT_PER_MINUTE must be a positive number, not {v:?}")
            })?,
        };
        let requests_per_client = match std::env::var("SIGNUP_LIMIT_PER_CLIENT") {
            Err(_) => 10,
            Ok(v) => v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                format!("SIGNUP_LIMIT_PER_CLIENT must be a positive number, not {v:?}")
            })?,
        };
        let client_ip_header = std::env::var("CLIENT_IP_HEADER")
            .ok()
            .filter(|h| !h.is_empty())
            .map(|h| h.to_ascii_lowercase());
        let mail_dir = std::env::var("MAIL_DIR").ok().filter(|d| !d.is_empty());
        let live_reread = match std::env::var("LIVE_REREAD_SECONDS") {
            Err(_) => app::live::service::REREAD_EVERY,
            Ok(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .map(std::time::Duration::from_secs)
                .ok_or_else(|| {
                    format!("LIVE_REREAD_SECONDS must be a positive number, not {v:?}")
                })?,
        };
        Ok(Config {
            live_reread,
            login_limit_per_minute,
            requests_per_client,
            client_ip_header,
            mail_dir,
            database_url,
            demo_data,
            public_url,
            smtp_url,
            mail_from,
        })
    }
}
