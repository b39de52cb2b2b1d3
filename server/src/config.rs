//! Configuration, from environment variables only.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `DATABASE_URL` | `sqlite://data/conference.db?mode=rwc` | `sqlite://PATH` or `postgres://…` |
//! | `LEPTOS_SITE_ADDR` | `127.0.0.1:3000` | address to listen on |
//! | `RUST_LOG` | `info` | log filter (tracing `EnvFilter` syntax) |
//! | `DEMO_DATA` | `auto` | `auto`: load the demo conference into an empty database; `always`; `never` |
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
            Err(_) | Ok("") | Ok("auto") => DemoData::Auto,
            Ok("always") => DemoData::Always,
            Ok("never") => DemoData::Never,
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
        Ok(Config {
            database_url,
            demo_data,
            public_url,
            smtp_url,
            mail_from,
        })
    }
}
