//! The live streams of this server instance: one [`Hub`] per process fans each conference's
//! events out to the streams open on it, each stream passing on only what its listener may
//! hear (`domain::live::Audience`).
//!
//! The hub reads a conference's new events once per announcement (a commit in this process, or
//! a PostgreSQL `NOTIFY` from another instance, see `db::events`) and once every
//! [`REREAD_EVERY`] as a safety net, and broadcasts them to its streams through one bounded
//! ring per conference. A stream that falls [`RING`] events behind (a slow or dead client) is
//! ended; the browser reconnects with `Last-Event-ID` and catches up from the database, so a
//! slow client never holds up the others and never loses an event.

use crate::access::Access;
use crate::auth::User;
use crate::error::{AppError, OrInternal};
use db::events::{self, Stored};
use db::DatabaseConnection;
use domain::ids::ConferenceId;
use domain::live::{Change, Listener};
use futures::stream::{self, Stream};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// How many events one conference's ring holds: a stream further behind is ended (and
/// reconnects from the database).
pub const RING: usize = 256;
/// How often the hub re-reads the conferences it serves even without an announcement (a
/// `NOTIFY` lost while the listening connection was down).
pub const REREAD_EVERY: Duration = Duration::from_secs(2);
/// A stream ends after this long and the browser reconnects at once, with `Last-Event-ID`:
/// so a listener's roles (a log-out, a role revoked) are looked at again at least this often.
pub const MAX_STREAM: Duration = Duration::from_secs(300);
/// At most this many streams are open on one instance; one more gets 503 with `Retry-After`
/// (its browser tries again), so that a flood of connections cannot exhaust the instance.
pub const MAX_STREAMS: usize = 20_000;
/// At most this many events are read from the database at once when catching up.
const PAGE: u64 = 500;

/// What a stream sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// An event the listener may hear, with its number (the SSE `id:`).
    Event { seq: i64, change: Change },
    /// The listener is too far behind (its last event was pruned, or it comes from another
    /// database): it should load the page again.
    Reload,
}

struct Channel {
    tx: broadcast::Sender<Arc<Stored>>,
    /// The last event broadcast (reads are serialised by this lock).
    last: tokio::sync::Mutex<i64>,
}

struct Inner {
    db: DatabaseConnection,
    channels: Mutex<HashMap<ConferenceId, Arc<Channel>>>,
    /// `true` once the server is shutting down: every stream ends.
    closing: watch::Sender<bool>,
}

/// This instance's live streams (cheap to clone).
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

impl Hub {
    /// A hub over `db`, with its reader task (which ends when the hub is closed).
    pub fn start(db: DatabaseConnection) -> Hub {
        Hub::start_with(db, REREAD_EVERY)
    }

    /// The same, re-reading every `reread` without an announcement.
    pub fn start_with(db: DatabaseConnection, reread: Duration) -> Hub {
        let hub = Hub {
            inner: Arc::new(Inner {
                db,
                channels: Mutex::new(HashMap::new()),
                closing: watch::channel(false).0,
            }),
        };
        tokio::spawn(hub.clone().read_loop(reread));
        hub
    }

    /// End every stream and the reader task (at shutdown, so that open streams do not hold
    /// the server's graceful stop).
    pub fn close(&self) {
        let _ = self.inner.closing.send(true);
    }

    /// How many streams are open on this instance.
    pub fn open_streams(&self) -> usize {
        self.channels()
            .values()
            .map(|c| c.tx.receiver_count())
            .sum()
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, HashMap<ConferenceId, Arc<Channel>>> {
        // a panic while holding this lock cannot leave the map half-changed
        self.inner
            .channels
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn read_loop(self, reread: Duration) {
        let mut commits = events::commits();
        let mut closing = self.inner.closing.subscribe();
        let mut tick = tokio::time::interval(reread);
        loop {
            let which: Vec<ConferenceId> = tokio::select! {
                _ = closing.changed() => return,
                heard = commits.recv() => match heard {
                    Ok(c) => vec![c],
                    // announcements were missed: read everything served
                    Err(broadcast::error::RecvError::Lagged(_)) => self.served(),
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = tick.tick() => self.served(),
            };
            for c in which {
                if let Err(e) = self.read(c).await {
                    tracing::warn!(error = %e, conference = c.0, "live: cannot read events");
                }
            }
        }
    }

    /// The conferences with a stream open here; channels without one are dropped.
    fn served(&self) -> Vec<ConferenceId> {
        let mut channels = self.channels();
        channels.retain(|_, ch| ch.tx.receiver_count() > 0);
        channels.keys().copied().collect()
    }

    /// Broadcast `conference`'s events after the last one broadcast.
    async fn read(&self, conference: ConferenceId) -> Result<(), db::DbErr> {
        let Some(ch) = self.channels().get(&conference).cloned() else {
            return Ok(());
        };
        let mut last = ch.last.lock().await;
        loop {
            let page = events::after(&self.inner.db, conference, *last, PAGE).await?;
            let n = page.len();
            for e in page {
                *last = e.seq;
                // no receiver left is not an error
                let _ = ch.tx.send(Arc::new(e));
            }
            if (n as u64) < PAGE {
                return Ok(());
            }
        }
    }

    /// The channel of `conference`, made on first use; and a receiver on it.
    async fn subscribe(
        &self,
        conference: ConferenceId,
    ) -> Result<broadcast::Receiver<Arc<Stored>>, db::DbErr> {
        if let Some(ch) = self.channels().get(&conference) {
            return Ok(ch.tx.subscribe());
        }
        let last = events::last_seq(&self.inner.db, conference).await?;
        let mut channels = self.channels();
        let ch = channels.entry(conference).or_insert_with(|| {
            Arc::new(Channel {
                tx: broadcast::channel(RING).0,
                last: tokio::sync::Mutex::new(last),
            })
        });
        Ok(ch.tx.subscribe())
    }

    /// Open a stream on the conference at `slug` for `user` (a visitor if `None`), after event
    /// `last_event_id` (the browser's `Last-Event-ID` on reconnecting), or from now on.
    pub async fn open(
        &self,
        user: Option<User>,
        slug: &str,
        last_event_id: Option<i64>,
    ) -> Result<impl Stream<Item = Outgoing> + Send + 'static, AppError> {
        if self.open_streams() >= MAX_STREAMS {
            return Err(AppError::busy(5));
        }
        let access = Access::for_user(&self.inner.db, slug, user).await?;
        let listener = listener(&access);
        let conference = access.conference_id();
        // subscribe before reading the backlog: an event committed in between is in one or
        // the other (or both: the stream skips what it has sent)
        let rx = self.subscribe(conference).await.or_internal()?;
        let db = &self.inner.db;
        let now = events::last_seq(db, conference).await.or_internal()?;
        let after = last_event_id.unwrap_or(now);
        let mut backlog = Vec::new();
        let mut reload = after > now;
        let mut cursor = after;
        while !reload && cursor < now {
            let page = events::after(db, conference, cursor, PAGE)
                .await
                .or_internal()?;
            match page.first() {
                // pruned, or gone from under us: the listener cannot have everything
                Some(first) if first.seq != cursor + 1 => reload = true,
                None => reload = true,
                Some(_) => {}
            }
            for e in page {
                cursor = e.seq;
                if e.audience.admits(&listener) {
                    backlog.push(Outgoing::Event {
                        seq: e.seq,
                        change: e.change,
                    });
                }
            }
        }
        if reload {
            backlog = vec![Outgoing::Reload];
        }
        Ok(follow(
            backlog,
            reload,
            rx,
            cursor,
            listener,
            self.inner.closing.subscribe(),
        ))
    }
}

/// Who listens: their roles in the conference and who they are.
fn listener(access: &Access) -> Listener {
    Listener {
        actor: access.actor.clone(),
        person: access.user.as_ref().map(|u| u.person()),
    }
}

struct Following {
    backlog: std::vec::IntoIter<Outgoing>,
    done: bool,
    rx: broadcast::Receiver<Arc<Stored>>,
    /// The last event passed on or passed over: anything up to it is not sent again.
    sent: i64,
    listener: Listener,
    closing: watch::Receiver<bool>,
    until: tokio::time::Instant,
}

/// The backlog, then the live events after `sent` that `listener` may hear, until the stream
/// falls behind, the server closes, or [`MAX_STREAM`] has passed.
fn follow(
    backlog: Vec<Outgoing>,
    done: bool,
    rx: broadcast::Receiver<Arc<Stored>>,
    sent: i64,
    listener: Listener,
    closing: watch::Receiver<bool>,
) -> impl Stream<Item = Outgoing> + Send + 'static {
    let state = Following {
        backlog: backlog.into_iter(),
        done,
        rx,
        sent,
        listener,
        closing,
        until: tokio::time::Instant::now() + MAX_STREAM,
    };
    stream::unfold(state, |mut s| async move {
        if let Some(o) = s.backlog.next() {
            return Some((o, s));
        }
        if s.done {
            return None;
        }
        loop {
            let got = tokio::select! {
                _ = s.closing.changed() => return None,
                _ = tokio::time::sleep_until(s.until) => return None,
                got = s.rx.recv() => got,
            };
            match got {
                Ok(e) => {
                    if e.seq <= s.sent {
                        continue;
                    }
                    s.sent = e.seq;
                    if e.audience.admits(&s.listener) {
                        let o = Outgoing::Event {
                            seq: e.seq,
                            change: e.change.clone(),
                        };
                        return Some((o, s));
                    }
                }
                // too slow: end, and let the browser catch up with Last-Event-ID
                Err(broadcast::error::RecvError::Lagged(_)) => return None,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}

/// Read `Last-Event-ID` (or the `after` query parameter): an event number, 0 or more.
pub fn parse_last_event_id(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            AppError::validation(
                "last_event_id",
                "Last-Event-ID must be an event number (0 or more).",
            )
        })
}

/// Prune old events now and then (see `db::events::RETENTION`). Runs until the process ends.
pub fn spawn_pruning(db: DatabaseConnection) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            match events::prune(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(events = n, "live: pruned old events"),
                Err(e) => tracing::warn!(error = %e, "live: cannot prune events"),
            }
        }
    })
}

/// `caller` is at `place` in the conference at `slug`, at `paragraph` (a label such as
/// "4 bis"): noted, the others told if it is news, and who is there now returned. The editor
/// is the committee's; an amendment's page is anyone's who may see the amendment (a draft: its
/// sponsors; anyone else gets 404, as for the page).
pub async fn here(
    db: &DatabaseConnection,
    caller: &crate::access::Caller,
    slug: &str,
    place: domain::live::Place,
    paragraph: Option<&str>,
) -> Result<crate::live::dto::PresenceDto, AppError> {
    use domain::live::{Event, Place};
    let paragraph = match paragraph.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) if p.chars().count() <= 24 && domain::drafting::Label::parse(p).is_some() => {
            Some(p)
        }
        Some(_) => {
            return Err(AppError::validation(
                "paragraph",
                "A paragraph is named by its label, such as 4 or 4 bis.",
            ))
        }
    };
    let access = caller.access(db, slug).await?;
    let conference = access.conference_id();
    let event = match place {
        Place::Editor => {
            access.require(domain::permissions::Action::EditDeclaration)?;
            Event::presence_in_editor()
        }
        Place::Amendment { number } => {
            access.require(domain::permissions::Action::ViewDraftDeclaration)?;
            let listener = listener(&access);
            db::presence::amendment_event(db, conference, number)
                .await
                .or_internal()?
                .filter(|e| e.audience.admits(&listener))
                .ok_or_else(|| AppError::not_found("There is no such amendment."))?
        }
    };
    let user = access.user.clone().ok_or_else(AppError::unauthorised)?;
    let now = chrono::Utc::now();
    db::write(db, async |txn| {
        if db::presence::here(txn, conference, user.person(), place, paragraph, now).await? {
            events::append(txn, conference, &event).await?;
        }
        Ok::<_, AppError>(())
    })
    .await?;
    let people = db::presence::at(db, conference, place, now)
        .await
        .or_internal()?
        .into_iter()
        .map(|p| crate::live::dto::PresentDto {
            me: p.person == user.person(),
            name: p.name,
            paragraph: p.paragraph,
        })
        .collect();
    Ok(crate::live::dto::PresenceDto { people })
}
