//! Fresh databases for tests: a SQLite file always, and a throwaway PostgreSQL database when
//! one can be had. In CI (`CI=true`), or when `TEST_DATABASE_URL` names a server, PostgreSQL is
//! required; elsewhere a missing server is reported once per test binary and its tests skipped.

use crate::{connect_and_migrate, DatabaseConnection};
use sea_orm::{ConnectionTrait, Database};
use std::sync::atomic::{AtomicU32, Ordering};

/// Where the PostgreSQL server for tests is (admin database; tests create their own).
pub const DEFAULT_TEST_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static COUNTER: AtomicU32 = AtomicU32::new(0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, migrated database that is removed when dropped.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub db: DatabaseConnection,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    PgDatabase { admin_url: String, name: String },
}

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Written straight to the process's stderr, which the test harness does not capture, so the
/// notice shows even when every test passes; once per test binary.
fn notice_once(text: &str) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let _ = std::io::stderr().write_all(text.as_bytes());
    });
}

fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name("conference_test")));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = connect_and_migrate(&url)
            .await
            .expect("fresh SQLite test database");
        TestDb {
            backend: Backend::Sqlite,
            url,
            db,
            cleanup: Cleanup::File(path),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a notice) when no server answers outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let configured = std::env::var("TEST_DATABASE_URL").ok();
        let admin_url = configured
            .clone()
            .unwrap_or_else(|| DEFAULT_TEST_PG_URL.to_string());
        let admin = match Database::connect(admin_url.as_str()).await {
            Ok(c) => c,
            Err(e) => {
                if in_ci() || configured.is_some() {
                    panic!("PostgreSQL at {admin_url} does not answer (CI=true or TEST_DATABASE_URL set): {e}");
                }
                notice_once(&format!(
                    "notice: no PostgreSQL at {admin_url} ({e}): PostgreSQL tests are skipped, \
                     SQLite tests still run. Set TEST_DATABASE_URL to use another server.\n"
                ));
                return None;
            }
        };
        let name = unique_name("conference_test");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create test database");
        let _ = admin.close().await;
        let url = replace_db_name(&admin_url, &name);
        let db = connect_and_migrate(&url)
            .await
            .expect("fresh PostgreSQL test database");
        Some(TestDb {
            backend: Backend::Postgres,
            url,
            db,
            cleanup: Cleanup::PgDatabase { admin_url, name },
        })
    }

    /// One fresh database per available backend: SQLite, then PostgreSQL where there is one.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite().await];
        if let Some(pg) = TestDb::postgres().await {
            v.push(pg);
        }
        v
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Cleanup::PgDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop may run outside a runtime: use a thread with its own. FORCE ends the pool's
                // connections, which belong to the test's runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(rt) = rt {
                        rt.block_on(async move {
                            if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                                let _ = admin
                                    .execute_unprepared(&format!(
                                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                    ))
                                    .await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// The person behind the account with `email` (panics when there is none: a test's mistake).
pub async fn person_of(db: &DatabaseConnection, email: &str) -> i32 {
    use crate::entity::account;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(db)
        .await
        .expect("read accounts")
        .unwrap_or_else(|| panic!("no account {email}"))
        .person_id
}

/// The first thematic forum of a conference.
pub async fn first_forum(
    db: &DatabaseConnection,
    conference_id: i32,
) -> crate::entity::session::Model {
    use crate::entity::session;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    session::Entity::find()
        .filter(session::Column::ConferenceId.eq(conference_id))
        .filter(session::Column::Kind.eq("thematic_forum"))
        .order_by_asc(session::Column::Id)
        .one(db)
        .await
        .expect("read sessions")
        .expect("the conference has a thematic forum")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_name_is_replaced() {
        assert_eq!(
            replace_db_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_db_name("postgres://u@h/db?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
    }
}
