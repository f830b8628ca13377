//! The short codes typed into the companion instead of scanning (issue 17), the wrong
//! codes counted against guessing, and a session's extensions.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

/// Whether a session was extended, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extension {
    /// The session now expires at this time, after this many extensions.
    Done { expires_at: u64, extensions: u32 },
    /// It is not waiting any more (answered, cancelled or expired).
    NotWaiting,
    /// It used every extension, or reached its longest life.
    Exhausted,
}

impl Store {
    /// Gives the session a new short code (stored as its SHA-256), replacing the previous
    /// one, unless it already had `max_codes`. Returns whether it was stored.
    pub fn set_short_code(
        &self,
        session_id: &str,
        code_hash: &[u8],
        max_codes: u32,
        now: u64,
    ) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE sessions SET short_code_hash = ?2, short_codes = short_codes + 1
             WHERE id = ?1 AND short_codes < ?3 AND expires_at > ?4
               AND state IN ('pending', 'push_sent')",
            params![session_id, code_hash, max_codes, now],
        )?;
        Ok(changed == 1)
    }

    /// Takes the short code: the id of the waiting session it names, which forgets it so
    /// it works once.
    pub fn take_short_code(&self, code_hash: &[u8], now: u64) -> AppResult<Option<String>> {
        self.query_opt(
            "UPDATE sessions SET short_code_hash = NULL
             WHERE short_code_hash = ?1 AND expires_at > ?2
               AND state IN ('pending', 'push_sent')
             RETURNING id",
            params![code_hash, now],
            |r| r.get(0),
        )
    }

    /// Counts a wrong code typed by `device_id`, and forgets those older than `since`.
    pub fn record_wrong_code(&self, device_id: &str, now: u64, since: u64) -> AppResult<()> {
        self.execute(
            "DELETE FROM wrong_short_codes WHERE at < ?1",
            params![since],
        )?;
        self.execute(
            "INSERT INTO wrong_short_codes (device_id, at) VALUES (?1, ?2)",
            params![device_id, now],
        )?;
        Ok(())
    }

    /// Wrong codes since `since`: typed by `device_id`, and by anyone.
    pub fn wrong_codes_since(&self, device_id: &str, since: u64) -> AppResult<(u32, u32)> {
        self.query_row(
            "SELECT COUNT(CASE WHEN device_id = ?1 THEN 1 END), COUNT(*)
             FROM wrong_short_codes WHERE at >= ?2",
            params![device_id, since],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Gives a waiting session `ttl` more seconds (added to its expiry, so every
    /// extension gives the person time), at most `max_extensions` times and never past
    /// `created_at + max_life`.
    pub fn extend_session(
        &self,
        session_id: &str,
        ttl: u64,
        max_extensions: u32,
        max_life: u64,
        now: u64,
    ) -> AppResult<Extension> {
        let extended: Option<(u64, u32)> = self.query_opt(
            "UPDATE sessions SET extensions = extensions + 1,
                expires_at = CASE WHEN expires_at + ?3 < created_at + ?5 THEN expires_at + ?3
                                  ELSE created_at + ?5 END
             WHERE id = ?1 AND expires_at > ?2 AND extensions < ?4
               AND state IN ('pending', 'push_sent', 'opened', 'awaiting_pin')
               AND expires_at < created_at + ?5
             RETURNING expires_at, extensions",
            params![session_id, now, ttl, max_extensions, max_life],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let Some((expires_at, extensions)) = extended {
            return Ok(Extension::Done {
                expires_at,
                extensions,
            });
        }
        let waiting: bool = self.query_row(
            "SELECT EXISTS (SELECT 1 FROM sessions WHERE id = ?1 AND expires_at > ?2
                AND state IN ('pending', 'push_sent', 'opened', 'awaiting_pin'))",
            params![session_id, now],
            |r| r.get(0),
        )?;
        Ok(if waiting {
            Extension::Exhausted
        } else {
            Extension::NotWaiting
        })
    }
}
