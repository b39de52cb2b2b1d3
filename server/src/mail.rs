//! Sending the outbox by SMTP, when `SMTP_URL` is set. Every message is written to the outbox
//! first, inside the transaction that caused it; a background task then sends what is unsent.
//! Each instance claims a message before sending it, so with several instances on one
//! database each message goes out once. A failed attempt is recorded and tried again later, up
//! to [`db::accounts::MAX_ATTEMPTS`] times; the organisers' outbox page shows each message's
//! state.

use db::entity::outbox;
use db::DatabaseConnection;
use domain::ids::MessageId;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How often the outbox is looked at.
pub const INTERVAL: Duration = Duration::from_secs(5);
/// A claim older than this belongs to an instance that stopped mid-send: the message is free.
const STALE_CLAIM_MINUTES: i64 = 5;
/// Messages sent per look.
const BATCH: u64 = 20;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// A mailer for `url` (see `config`), sending as `from`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL is not usable: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("MAIL_FROM is not an address: {e}"))?;
        Ok(Mailer { transport, from })
    }

    fn message(&self, m: &outbox::Model) -> Result<Message, String> {
        let to = m
            .to_email
            .parse::<Mailbox>()
            .map_err(|e| format!("not an address: {e}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|e| e.to_string())
    }

    /// One look at the outbox: claim what is due, send it, record each outcome. Returns how
    /// many messages went out.
    pub async fn deliver_pending(&self, db: &DatabaseConnection) -> Result<usize, db::DbErr> {
        let due =
            db::accounts::claim_unsent(db, BATCH, chrono::Duration::minutes(STALE_CLAIM_MINUTES))
                .await?;
        let mut sent = 0;
        for m in due {
            let outcome = match self.message(&m) {
                Ok(message) => self
                    .transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            match &outcome {
                Ok(()) => {
                    sent += 1;
                    tracing::info!(target: "outbox", id = m.id, "sent: {}", m.subject);
                }
                Err(e) => {
                    tracing::warn!(target: "outbox", id = m.id, "not sent ({e}): {}", m.subject)
                }
            }
            db::accounts::record_delivery(db, MessageId(m.id), outcome).await?;
        }
        Ok(sent)
    }
}

/// Send the outbox every [`INTERVAL`] for as long as the server runs.
pub fn spawn(db: DatabaseConnection, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(INTERVAL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = mailer.deliver_pending(&db).await {
                tracing::warn!("outbox: {e}");
            }
        }
    })
}

/// How often [`spawn_dir_writer`] looks at the outbox.
const DIR_INTERVAL: Duration = Duration::from_millis(200);

/// Write every outbox message, as it is queued, into `dir` as `<id>.json` (`to`, `subject`,
/// `body`), readable by the owner only. For development and tests, where no mail server is at
/// hand: the outbox page masks live links, and this folder is where their owner finds them.
pub fn spawn_dir_writer(db: DatabaseConnection, dir: std::path::PathBuf) -> Result<(), String> {
    std::fs::create_dir_all(&dir).map_err(|e| format!("MAIL_DIR {}: {e}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    tokio::spawn(async move {
        let mut last = MessageId(0);
        let mut every = tokio::time::interval(DIR_INTERVAL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match db::accounts::outbox_after(&db, last, BATCH).await {
                Ok(rows) => {
                    for m in rows {
                        last = MessageId(m.id);
                        if let Err(e) = write_message(&dir, &m) {
                            tracing::warn!(target: "outbox", id = m.id, "cannot write to MAIL_DIR: {e}");
                        }
                    }
                }
                Err(e) => tracing::warn!("outbox: {e}"),
            }
        }
    });
    Ok(())
}

fn write_message(dir: &std::path::Path, m: &outbox::Model) -> std::io::Result<()> {
    let path = dir.join(format!("{:08}.json", m.id));
    if path.exists() {
        return Ok(());
    }
    let json =
        serde_json::json!({ "id": m.id, "to": m.to_email, "subject": m.subject, "body": m.body });
    let tmp = dir.join(format!(".{:08}.tmp", m.id));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp)?;
    std::io::Write::write_all(&mut f, json.to_string().as_bytes())?;
    std::fs::rename(tmp, path)
}
