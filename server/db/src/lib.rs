//! The data layer: connection, migrations, queries and the demo conference.
//!
//! SQLite is the embedded default (a file, created and migrated on first start); PostgreSQL is
//! for deployments with several server instances on one database. Everything here runs on both.

pub mod accounts;
pub mod adoption;
pub mod desk;
pub mod drafting;
pub mod enrolments;
pub mod entity;
pub mod events;
pub mod migration;
pub mod notifications;
pub mod presence;
pub mod programme;
pub mod queries;
pub mod registrations;
pub mod seed;
pub mod session_store;
pub mod shared;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
pub use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// The default database: a SQLite file under `data/`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/conference.db?mode=rwc";

/// Connect to the database named by `url` (`sqlite://…` or `postgres://…`).
///
/// SQLite gets WAL, a busy timeout, foreign keys and a pool of several connections, so that a
/// read outside a transaction never waits on the only connection held by that transaction.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opt = ConnectOptions::new(url.to_string());
    opt.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
    if is_sqlite(url) {
        if let Some(dir) = sqlite_file(url).and_then(|p| p.parent().map(|d| d.to_path_buf())) {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(&dir).map_err(|e| {
                    DbErr::Custom(format!(
                        "cannot create database folder {}: {e}",
                        dir.display()
                    ))
                })?;
            }
        }
        use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
        opt.max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(15))
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
    } else {
        opt.max_connections(PG_POOL).min_connections(1);
    }
    Database::connect(opt).await
}

/// Connect and bring the schema up to date.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// When to load the demo conference at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoData {
    /// into an empty database only
    Auto,
    /// on every start (loading is idempotent)
    Always,
    Never,
}

/// Everything a server does to its database before serving: migrate, then load the demo as
/// asked. On PostgreSQL, where several instances may start at once on one database, this runs
/// under an advisory lock, so exactly one instance migrates and loads; SQLite serves one process.
pub async fn prepare(
    url: &str,
    demo: DemoData,
) -> Result<(DatabaseConnection, Option<seed::SeedReport>), DbErr> {
    let lock = if is_sqlite(url) {
        None
    } else {
        let mut opt = ConnectOptions::new(url.to_string());
        opt.max_connections(1)
            .min_connections(1)
            .sqlx_logging(false);
        let c = Database::connect(opt).await?;
        c.execute_unprepared(&format!("SELECT pg_advisory_lock({STARTUP_LOCK})"))
            .await?;
        Some(c)
    };
    let result = async {
        let db = connect_and_migrate(url).await?;
        let load = match demo {
            DemoData::Never => false,
            DemoData::Always => true,
            DemoData::Auto => queries::conferences(&db).await?.is_empty(),
        };
        let report = if load {
            Some(seed::load_demo(&db).await?)
        } else {
            None
        };
        Ok::<_, DbErr>((db, report))
    }
    .await;
    if let Some(c) = lock {
        // closing the session releases the lock even if the unlock fails
        let _ = c
            .execute_unprepared(&format!("SELECT pg_advisory_unlock({STARTUP_LOCK})"))
            .await;
        let _ = c.close().await;
    }
    result
}

/// Key of the PostgreSQL advisory lock held during start-up.
const STARTUP_LOCK: i64 = 72_430_192_015;

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    migration::Migrator::up(db, None).await
}

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The file behind a SQLite URL, if it names one.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(std::path::PathBuf::from(path))
    }
}

/// The one SQLite writer of this process. SQLite allows one writer per database anyway;
/// queuing here, before a pooled connection is taken, means a waiting writer never holds a
/// connection that the current writer may need for a read outside its transaction (which would
/// deadlock the pool until the busy timeout).
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Pool size on PostgreSQL, and how many of those connections open write transactions may
/// hold at once: the rest stay free for reads, so a writer that also reads outside its
/// transaction always finds a connection.
const PG_POOL: u32 = 16;
static PG_WRITERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PG_POOL as usize - 4);

enum Turn {
    Sqlite(#[allow(dead_code)] tokio::sync::MutexGuard<'static, ()>),
    Postgres(#[allow(dead_code)] tokio::sync::SemaphorePermit<'static>),
}

/// A transaction that will write; see [`begin_write`]. Derefs to the transaction.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _turn: Turn,
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

/// Begin a transaction that will write. On SQLite, writers of this process take turns (see
/// [`SQLITE_WRITER`]) and each takes the write lock at once (`BEGIN IMMEDIATE`), so a writer
/// never fails because a read lock cannot be upgraded; on PostgreSQL it is a plain `BEGIN`,
/// with at most [`PG_WRITERS`] open at once. Application code writes through [`write`], which
/// commits or rolls back; tests take the transaction directly to hold it open.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    let turn = if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        Turn::Sqlite(SQLITE_WRITER.lock().await)
    } else {
        Turn::Postgres(
            PG_WRITERS
                .acquire()
                .await
                .map_err(|e| DbErr::Custom(format!("writer queue closed: {e}")))?,
        )
    };
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(WriteTxn { txn, _turn: turn })
}

/// Runs `work` in one write transaction ([`begin_write`]): commits when it returns `Ok`, rolls
/// back when it returns `Err` (a refusal or a database error), so nothing of a refused write
/// remains. A panic or a dropped request rolls back too: the transaction is dropped unfinished.
///
/// ```ignore
/// let notice = db::write(db, async |txn| {
///     q::withdraw(txn, conference, person).await?.map_err(refused)?;
///     Ok(Notice::new("Your registration is withdrawn."))
/// })
/// .await?;
/// ```
pub async fn write<T, E>(
    db: &DatabaseConnection,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DbErr>,
{
    let txn = begin_write(db).await?;
    let (out, appended) = events::noting(work(&txn)).await;
    match out {
        Ok(v) => {
            txn.commit().await?;
            // the live streams of this process hear of the events now (other instances by
            // PostgreSQL's NOTIFY, see `events`)
            for conference in appended {
                events::announce(conference);
            }
            Ok(v)
        }
        Err(e) => {
            if let Err(r) = txn.rollback().await {
                // the refusal is what the caller needs to hear; the connection will be
                // dropped and the transaction with it
                tracing::warn!(error = %r, "rollback failed");
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls() {
        assert_eq!(
            sqlite_file(DEFAULT_DATABASE_URL),
            Some(std::path::PathBuf::from("data/conference.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(
            sqlite_file("sqlite:///tmp/x.db"),
            Some(std::path::PathBuf::from("/tmp/x.db"))
        );
        assert!(is_sqlite("sqlite://x.db"));
        assert!(!is_sqlite("postgres://postgres@127.0.0.1/x"));
    }
}
