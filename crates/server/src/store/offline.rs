//! The offline one-time code (issue 17): each device's OCRA key, the wrong codes counted
//! per device and per session, and a session answered by a code.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

/// An active device's offline key.
#[derive(Clone, PartialEq, Eq)]
pub struct OfflineKey {
    pub device_id: String,
    pub ocra_key: Vec<u8>,
    pub failures: u32,
}

// Hand-written so the key never lands in a log through `{:?}`.
impl std::fmt::Debug for OfflineKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfflineKey")
            .field("device_id", &self.device_id)
            .field("failures", &self.failures)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Stores the device's offline key, replacing an older one, with no failures.
    pub fn set_offline_key(&self, device_id: &str, ocra_key: &[u8], now: u64) -> AppResult<()> {
        self.execute(
            "INSERT INTO offline_keys (device_id, ocra_key, failures, created_at)
             VALUES (?1, ?2, 0, ?3)
             ON CONFLICT (device_id) DO UPDATE SET ocra_key = ?2, failures = 0, created_at = ?3",
            params![device_id, ocra_key, now],
        )?;
        Ok(())
    }

    /// Forgets the device's offline key (its PIN changed: the key derived from the old one
    /// must not work).
    pub fn delete_offline_key(&self, device_id: &str) -> AppResult<()> {
        self.execute(
            "DELETE FROM offline_keys WHERE device_id = ?1",
            params![device_id],
        )?;
        Ok(())
    }

    /// Whether the device has an offline key.
    pub fn has_offline_key(&self, device_id: &str) -> AppResult<bool> {
        self.query_row(
            "SELECT EXISTS (SELECT 1 FROM offline_keys WHERE device_id = ?1)",
            params![device_id],
            |r| r.get(0),
        )
    }

    /// The offline keys of the user's active devices.
    pub fn offline_keys_of(&self, user_id: &str) -> AppResult<Vec<OfflineKey>> {
        self.query_map(
            "SELECT k.device_id, k.ocra_key, k.failures
             FROM offline_keys k JOIN devices d ON d.id = k.device_id
             WHERE d.user_id = ?1 AND d.status = 'active' ORDER BY k.device_id",
            params![user_id],
            |r| {
                Ok(OfflineKey {
                    device_id: r.get(0)?,
                    ocra_key: r.get(1)?,
                    failures: r.get(2)?,
                })
            },
        )
    }

    /// Counts a wrong offline code against each of `device_ids`.
    pub fn record_offline_failure(&self, device_ids: &[String]) -> AppResult<()> {
        for device_id in device_ids {
            self.execute(
                "UPDATE offline_keys SET failures = failures + 1 WHERE device_id = ?1",
                params![device_id],
            )?;
        }
        Ok(())
    }

    /// The session's wrong offline codes so far.
    pub fn session_offline_failures(&self, session_id: &str) -> AppResult<u32> {
        let failures: Option<u32> = self.query_opt(
            "SELECT offline_failures FROM sessions WHERE id = ?1",
            params![session_id],
            |r| r.get(0),
        )?;
        Ok(failures.unwrap_or(0))
    }

    /// Counts a wrong offline code against the session; returns how many it had.
    pub fn record_session_offline_failure(&self, session_id: &str) -> AppResult<u32> {
        let failures: Option<u32> = self.query_opt(
            "UPDATE sessions SET offline_failures = offline_failures + 1 WHERE id = ?1
             RETURNING offline_failures",
            params![session_id],
            |r| r.get(0),
        )?;
        Ok(failures.unwrap_or(u32::MAX))
    }

    /// The session was answered by `device_id`'s offline code: approved, with the server's
    /// signed `result`, if it was still waiting and not another user's. The device's wrong
    /// codes are forgotten.
    pub fn complete_offline(
        &self,
        session_id: &str,
        user_id: &str,
        device_id: &str,
        result: &str,
        now: u64,
    ) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE sessions SET state = 'approved', user_id = ?2, device_id = ?3,
                offline_result = ?4, short_code_hash = NULL
             WHERE id = ?1 AND state IN ('pending', 'push_sent') AND expires_at > ?5
               AND (user_id IS NULL OR user_id = ?2)",
            params![session_id, user_id, device_id, result, now],
        )?;
        if changed == 1 {
            self.execute(
                "UPDATE offline_keys SET failures = 0 WHERE device_id = ?1",
                params![device_id],
            )?;
        }
        Ok(changed == 1)
    }

    /// The signed offline result of a session, if it was answered by a code.
    pub fn offline_result(&self, session_id: &str) -> AppResult<Option<String>> {
        let result: Option<Option<String>> = self.query_opt(
            "SELECT offline_result FROM sessions WHERE id = ?1",
            params![session_id],
            |r| r.get(0),
        )?;
        Ok(result.flatten())
    }
}
