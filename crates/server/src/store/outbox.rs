//! The outbox: every SMS and e-mail the server sends, as the demo shows them.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

/// A message as the outbox page and `GET /v1/outbox` show it.
#[derive(serde::Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub created_at: u64,
}

impl Store {
    pub fn insert_message(
        &self,
        channel: &str,
        recipient: &str,
        body: &str,
        now: u64,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO outbox (channel, recipient, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![channel, recipient, body, now],
        )?;
        Ok(())
    }

    pub fn messages(&self) -> AppResult<Vec<OutboxMessage>> {
        self.query_map("SELECT id, channel, recipient, body, created_at FROM outbox ORDER BY id DESC LIMIT 200", params![], |r| {
            Ok(OutboxMessage {
                id: r.get(0)?,
                channel: r.get(1)?,
                recipient: r.get(2)?,
                body: r.get(3)?,
                created_at: r.get(4)?,
            })
        })
    }
}
