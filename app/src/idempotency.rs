//! Writes that a retry must not do twice (server side). A form carries a key made once per
//! form (`ui::form_key`); the write records the key with its answer in its own transaction.
//! Sent again with the same key (the first answer was lost: a dropped connection, a crash
//! between commit and answer), the write is not done again and the first answer comes back.

use crate::error::{AppError, OrInternal};
use domain::ids::PersonId;
use serde::{de::DeserializeOwned, Serialize};

/// One write's key, checked: 16 to 64 letters, digits, `-` or `_`.
pub struct Once {
    key: Option<String>,
    action: &'static str,
    person_id: Option<i32>,
}

impl Once {
    /// `key` as the form sent it (none: the write is simply done); `action` names the write,
    /// `person_id` who does it.
    pub fn parse(
        key: Option<&str>,
        action: &'static str,
        person_id: Option<i32>,
    ) -> Result<Once, AppError> {
        let key = key.map(str::trim).filter(|k| !k.is_empty());
        if let Some(k) = key {
            let ok = (16..=64).contains(&k.len())
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !ok {
                return Err(AppError::validation(
                    "idempotency_key",
                    "This form's key is not valid. Reload the page and send it again.",
                ));
            }
        }
        Ok(Once {
            key: key.map(str::to_owned),
            action,
            person_id,
        })
    }

    /// Inside the write's transaction, before writing: the answer of the same write done
    /// earlier, if it was.
    pub async fn earlier<T: DeserializeOwned>(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
    ) -> Result<Option<T>, AppError> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        let Some(m) = db::accounts::idempotent_earlier(txn, key)
            .await
            .or_internal()?
        else {
            return Ok(None);
        };
        if m.action != self.action || m.person_id != self.person_id {
            return Err(AppError::validation(
                "idempotency_key",
                "This form was already used for something else. Reload the page and send it again.",
            ));
        }
        serde_json::from_str(&m.result).map(Some).map_err(|e| {
            tracing::error!(error = %e, "an idempotent answer cannot be read");
            AppError::internal()
        })
    }

    /// Inside the write's transaction, just before it commits: record the answer.
    pub async fn record<T: Serialize>(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        answer: &T,
    ) -> Result<(), AppError> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        let json = serde_json::to_string(answer).map_err(|e| {
            tracing::error!(error = %e, "an answer cannot be recorded");
            AppError::internal()
        })?;
        if db::accounts::idempotent_record(
            txn,
            key,
            self.action,
            self.person_id.map(PersonId),
            &json,
        )
        .await
        .or_internal()?
        {
            Ok(())
        } else {
            Err(AppError::conflict(
                "This form was sent twice at the same moment; the first one is being saved. Reload the page to see it.",
            ))
        }
    }
}
