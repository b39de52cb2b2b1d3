//! A tower-sessions store over our own database, so that log-in sessions live in the same
//! SQLite file or PostgreSQL database as everything else and every server instance shares
//! them. (The published sqlx stores would pull in a second sqlx next to sea-orm's.)
//!
//! A row is keyed by the SHA-256 of the session id, never the id itself: whoever reads the
//! table (a backup, a leaked dump) cannot use it to act as anyone. A session also ends
//! [`ABSOLUTE_LIFETIME_DAYS`] after it began, however active it stays.

use crate::entity::user_session;
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        DbSessionStore { db }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// A session ends this long after it began, whatever its activity.
pub const ABSOLUTE_LIFETIME_DAYS: i64 = 30;

/// The key a session's row is stored under.
fn key(id: &Id) -> String {
    crate::accounts::hash_secret(&id.to_string())
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn row(record: &Record) -> Result<user_session::ActiveModel, session_store::Error> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    // never later than the absolute end; `created_at` is kept by `save` on conflict
    let created = now_unix();
    Ok(user_session::ActiveModel {
        id: Set(key(&record.id)),
        data: Set(data),
        expires_at: Set(record
            .expiry_date
            .unix_timestamp()
            .min(created + ABSOLUTE_LIFETIME_DAYS * 86_400)),
        created_at: Set(created),
    })
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // a fresh random id; on the (astronomically rare) collision, draw again
        loop {
            let exists = user_session::Entity::find_by_id(key(&record.id))
                .one(&self.db)
                .await
                .map_err(backend)?
                .is_some();
            if !exists {
                break;
            }
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = row(record)?;
        crate::write(&self.db, async |txn| {
            user_session::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(user_session::Column::Id)
                        .update_columns([
                            user_session::Column::Data,
                            user_session::Column::ExpiresAt,
                        ])
                        .to_owned(),
                )
                .exec_without_returning(txn)
                .await
        })
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = now_unix();
        let Some(m) = user_session::Entity::find_by_id(key(id))
            .filter(user_session::Column::ExpiresAt.gt(now))
            .filter(user_session::Column::CreatedAt.gt(now - ABSOLUTE_LIFETIME_DAYS * 86_400))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&m.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(m.expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        crate::write(&self.db, async |txn| {
            user_session::Entity::delete_by_id(key(id)).exec(txn).await
        })
        .await
        .map(|_| ())
        .map_err(backend)
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        crate::write(&self.db, async |txn| {
            user_session::Entity::delete_many()
                .filter(
                    sea_orm::Condition::any()
                        .add(user_session::Column::ExpiresAt.lte(now_unix()))
                        .add(
                            user_session::Column::CreatedAt
                                .lte(now_unix() - ABSOLUTE_LIFETIME_DAYS * 86_400),
                        ),
                )
                .exec(txn)
                .await
        })
        .await
        .map(|_| ())
        .map_err(backend)
    }
}
