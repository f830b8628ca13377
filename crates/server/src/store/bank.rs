//! The Demo Bank's own records.
use rusqlite::OptionalExtension;

use rusqlite::params;
use tessera_protocol::Details;
use tessera_protocol::Kind;

use super::{
    db::{Store, from_json, to_json},
    sessions::parse_kind,
};
use crate::error::AppResult;

/// What a bank remembers of a session it opened.
pub struct BankSessionRow {
    pub nonce: String,
    pub partner_id: String,
    pub kind: Kind,
    pub details: Option<Details>,
}

impl Store {
    pub fn insert_bank_session(
        &self,
        session_id: &str,
        session: &BankSessionRow,
        now: u64,
    ) -> AppResult<()> {
        let details = session.details.as_ref().map(to_json).transpose()?;
        self.db()?.execute(
            "INSERT INTO bank_sessions (session_id, nonce, partner_id, created_at, kind, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                session_id,
                session.nonce,
                session.partner_id,
                now,
                session.kind.as_str(),
                details
            ],
        )?;
        Ok(())
    }

    pub fn bank_session(&self, session_id: &str) -> AppResult<Option<BankSessionRow>> {
        let db = self.db()?;
        Ok(db
            .query_row(
                "SELECT nonce, partner_id, kind, details FROM bank_sessions WHERE session_id = ?1",
                [session_id],
                |r| {
                    Ok(BankSessionRow {
                        nonce: r.get(0)?,
                        partner_id: r.get(1)?,
                        kind: parse_kind(&r.get::<_, String>(2)?)?,
                        details: from_json(3, r.get(3)?)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records that the session's approval was used (a login, a booking, a signature);
    /// false if it already was (a replay).
    pub fn consume_bank_session(&self, session_id: &str, user_id: &str) -> AppResult<bool> {
        let changed = self.db()?.execute(
            "UPDATE bank_sessions SET logged_in_user = ?2 WHERE session_id = ?1 AND logged_in_user IS NULL",
            params![session_id, user_id],
        )?;
        Ok(changed == 1)
    }
}
