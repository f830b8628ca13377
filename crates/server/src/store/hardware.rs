//! The users' hardware Token (HOTP) and Scan (OCRA), as the server knows them: the shared
//! secret, the suite, the counter; and the Scan's challenges, each answered once.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

/// A user's Token or Scan.
pub struct HardwareDevice {
    /// `token` or `scan`.
    pub kind: String,
    pub secret: Vec<u8>,
    /// The OCRA suite of a Scan.
    pub suite: Option<String>,
    /// The next HOTP counter the server expects from a Token.
    pub counter: u64,
}

/// A challenge shown as a mosaic.
pub struct ScanChallengeRow {
    pub user_id: String,
    pub challenge: String,
    /// For the second mosaic: the pending activation it confirms.
    pub pending_id: Option<String>,
    pub expires_at: u64,
}

impl Store {
    /// Registers a user's Token or Scan (a no-op if the user has one).
    pub fn add_hardware_device(
        &self,
        user_id: &str,
        kind: &str,
        secret: &[u8],
        suite: Option<&str>,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO hardware_devices (user_id, kind, secret, suite) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(user_id) DO NOTHING",
            params![user_id, kind, secret, suite],
        )?;
        Ok(())
    }

    pub fn hardware_device(&self, user_id: &str) -> AppResult<Option<HardwareDevice>> {
        self.query_opt(
            "SELECT kind, secret, suite, counter FROM hardware_devices WHERE user_id = ?1",
            params![user_id],
            |r| {
                Ok(HardwareDevice {
                    kind: r.get(0)?,
                    secret: r.get(1)?,
                    suite: r.get(2)?,
                    counter: r.get(3)?,
                })
            },
        )
    }

    /// Moves a Token's counter forward to `next` (never back: a code used once, or any
    /// older one, never verifies again). False if another request moved it first.
    pub fn advance_token_counter(&self, user_id: &str, from: u64, next: u64) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE hardware_devices SET counter = ?3 WHERE user_id = ?1 AND counter = ?2 AND ?3 > ?2",
            params![user_id, from, next],
        )?;
        Ok(changed == 1)
    }

    pub fn insert_scan_challenge(
        &self,
        id: &str,
        user_id: &str,
        challenge: &str,
        pending_id: Option<&str>,
        expires_at: u64,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO scan_challenges (id, user_id, challenge, pending_id, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, user_id, challenge, pending_id, expires_at],
        )?;
        Ok(())
    }

    /// Forgets challenges that can no longer be answered.
    pub fn drop_expired_scan_challenges(&self, now: u64) -> AppResult<()> {
        self.execute(
            "DELETE FROM scan_challenges WHERE expires_at <= ?1",
            params![now],
        )?;
        Ok(())
    }

    /// An unused challenge.
    pub fn scan_challenge(&self, id: &str) -> AppResult<Option<ScanChallengeRow>> {
        self.query_opt(
                "SELECT user_id, challenge, pending_id, expires_at FROM scan_challenges WHERE id = ?1 AND used = 0",
                params![id],
                |r| {
                    Ok(ScanChallengeRow {
                        user_id: r.get(0)?,
                        challenge: r.get(1)?,
                        pending_id: r.get(2)?,
                        expires_at: r.get(3)?,
                    })
                },
            )
    }

    /// Marks a challenge answered; false if it already was (a replayed response).
    pub fn use_scan_challenge(&self, id: &str) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE scan_challenges SET used = 1 WHERE id = ?1 AND used = 0",
            params![id],
        )?;
        Ok(changed == 1)
    }
}
