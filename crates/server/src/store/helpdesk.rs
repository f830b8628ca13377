//! What the helpdesk keeps: agents and their sessions, the audit log, the users' security
//! answers and single-use security codes, and the device status changes agents make.
use super::sql::{params, quoted};
use tessera_protocol::{DeviceStatus, api::DeviceSummary};

use super::{db::Store, devices::parse_device_status};
use crate::error::AppResult;

/// A logged-in agent.
pub struct AgentSession {
    pub agent_id: String,
    pub agent_name: String,
    /// The token every form must carry back (against cross-site request forgery).
    pub csrf: String,
    /// The caller this agent recognised by their security answers, and when.
    pub verified: Option<(String, u64)>,
}

/// One line of the audit log.
pub struct AuditEntry {
    pub at: u64,
    pub actor: String,
    pub action: String,
    pub user_id: Option<String>,
    pub device_id: Option<String>,
    pub detail: String,
}

impl Store {
    // --- agents ----------------------------------------------------------------------

    pub fn upsert_agent(&self, id: &str, name: &str, password_hash: &str) -> AppResult<()> {
        self.execute(
            "INSERT INTO agents (id, name, password_hash) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO NOTHING",
            params![id, name, password_hash],
        )?;
        Ok(())
    }

    /// The agent's password hash, unless the agent is locked at `now`.
    pub fn agent_login(&self, id: &str, now: u64) -> AppResult<Option<(String, bool)>> {
        self.query_opt(
            "SELECT password_hash, locked_until > ?2 FROM agents WHERE id = ?1",
            params![id, now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Counts a wrong agent password; at `limit` the agent is locked until `lock_until`.
    pub fn record_agent_failure(&self, id: &str, limit: u32, lock_until: u64) -> AppResult<()> {
        self.execute(
            "UPDATE agents SET
                locked_until = CASE WHEN failures + 1 >= ?2 THEN ?3 ELSE locked_until END,
                failures = CASE WHEN failures + 1 >= ?2 THEN 0 ELSE failures + 1 END
             WHERE id = ?1",
            params![id, limit, lock_until],
        )?;
        Ok(())
    }

    pub fn start_agent_session(
        &self,
        token_hash: &[u8],
        agent_id: &str,
        csrf: &str,
        expires_at: u64,
    ) -> AppResult<()> {
        self.execute(
            "UPDATE agents SET failures = 0 WHERE id = ?1",
            params![agent_id],
        )?;
        self.execute(
            "INSERT INTO agent_sessions (token_hash, agent_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, agent_id, csrf, expires_at],
        )?;
        Ok(())
    }

    pub fn agent_session(&self, token_hash: &[u8], now: u64) -> AppResult<Option<AgentSession>> {
        self.query_opt(
            "SELECT s.agent_id, a.name, s.csrf, s.verified_user, s.verified_at
                 FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            params![token_hash, now],
            |r| {
                let user: Option<String> = r.get(3)?;
                let at: Option<u64> = r.get(4)?;
                Ok(AgentSession {
                    agent_id: r.get(0)?,
                    agent_name: r.get(1)?,
                    csrf: r.get(2)?,
                    verified: user.zip(at),
                })
            },
        )
    }

    pub fn end_agent_session(&self, token_hash: &[u8]) -> AppResult<()> {
        self.execute(
            "DELETE FROM agent_sessions WHERE token_hash = ?1",
            params![token_hash],
        )?;
        Ok(())
    }

    /// Remembers that the agent of this session recognised `user_id` at `now`.
    pub fn mark_caller_verified(
        &self,
        token_hash: &[u8],
        user_id: &str,
        now: u64,
    ) -> AppResult<()> {
        self.execute(
            "UPDATE agent_sessions SET verified_user = ?2, verified_at = ?3 WHERE token_hash = ?1",
            params![token_hash, user_id, now],
        )?;
        Ok(())
    }

    /// The user whose id, e-mail address or phone number is exactly `query`.
    pub fn find_user(&self, query: &str) -> AppResult<Option<String>> {
        self.query_opt(
            "SELECT id FROM users WHERE id = ?1 OR email = ?1 OR phone = ?1 ORDER BY id LIMIT 1",
            params![query],
            |r| r.get(0),
        )
    }

    /// `(phone, e-mail)` of a user.
    pub fn contact(&self, user_id: &str) -> AppResult<Option<(String, String)>> {
        self.query_opt(
            "SELECT phone, email FROM users WHERE id = ?1",
            params![user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    // --- audit log -------------------------------------------------------------------

    /// Appends to the audit log. `detail` must never hold a secret (answers, codes, PINs).
    pub fn audit(
        &self,
        now: u64,
        actor: &str,
        action: &str,
        user_id: Option<&str>,
        device_id: Option<&str>,
        detail: &str,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO audit_log (at, actor, action, user_id, device_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![now, actor, action, user_id, device_id, detail],
        )?;
        Ok(())
    }

    /// The newest entries, for one user or for everyone.
    pub fn audit_entries(&self, user_id: Option<&str>, limit: u32) -> AppResult<Vec<AuditEntry>> {
        self.query_map(
            "SELECT at, actor, action, user_id, device_id, detail FROM audit_log
             WHERE CAST(?1 AS TEXT) IS NULL OR user_id = ?1 ORDER BY id DESC LIMIT ?2",
            params![user_id, limit],
            |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    user_id: r.get(3)?,
                    device_id: r.get(4)?,
                    detail: r.get(5)?,
                })
            },
        )
    }

    /// How often `action` was logged for `user_id` since `since`: the rate limits of the
    /// helpdesk count what the audit log already records.
    pub fn audit_count(&self, user_id: &str, action: &str, since: u64) -> AppResult<u32> {
        self.query_row(
            "SELECT COUNT(*) FROM audit_log WHERE user_id = ?1 AND action = ?2 AND at >= ?3",
            params![user_id, action, since],
            |r| r.get(0),
        )
    }

    // --- security answers and codes ----------------------------------------------------

    pub fn set_security_answers(&self, user_id: &str, answers: &[(u8, String)]) -> AppResult<()> {
        self.transaction(|tx| {
            tx.execute("DELETE FROM security_answers WHERE user_id = ?1", params![user_id])?;
            for (question, hash) in answers {
                tx.execute(
                    "INSERT INTO security_answers (user_id, question, answer_hash) VALUES (?1, ?2, ?3)",
                    params![user_id, question, hash],
                )?;
            }    Ok(())
        })
    }

    /// `(question index, answer hash)`, by question.
    pub fn security_answers(&self, user_id: &str) -> AppResult<Vec<(u8, String)>> {
        self.query_map(
            "SELECT question, answer_hash FROM security_answers WHERE user_id = ?1 ORDER BY question", params![user_id], |r| Ok((r.get(0)?, r.get(1)?)))
    }

    /// Replaces the user's security code (one at a time: a new one voids the old).
    pub fn set_security_code(
        &self,
        user_id: &str,
        code_hash: &str,
        expires_at: u64,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO security_codes (user_id, code_hash, expires_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(user_id) DO UPDATE SET code_hash = ?2, expires_at = ?3, failures = 0",
            params![user_id, code_hash, expires_at],
        )?;
        Ok(())
    }

    /// The hash of the user's unexpired security code.
    pub fn security_code(&self, user_id: &str, now: u64) -> AppResult<Option<String>> {
        self.query_opt(
            "SELECT code_hash FROM security_codes WHERE user_id = ?1 AND expires_at > ?2",
            params![user_id, now],
            |r| r.get(0),
        )
    }

    /// Counts a wrong security code; at `limit` the code is void. Returns failures so far.
    pub fn record_security_code_failure(&self, user_id: &str, limit: u32) -> AppResult<u32> {
        self.transaction(|tx| {
            let failures: u32 = tx.query_row(
                "UPDATE security_codes SET failures = failures + 1 WHERE user_id = ?1 RETURNING failures",
                params![user_id],
                |r| r.get(0),
            )?;
            if failures >= limit {
                tx.execute("DELETE FROM security_codes WHERE user_id = ?1", params![user_id])?;
            }    Ok(failures)
        })
    }

    // --- devices -----------------------------------------------------------------------

    pub fn devices_of(&self, user_id: &str) -> AppResult<Vec<DeviceSummary>> {
        self.query_map(
            "SELECT id, name, status, created_at, last_used_at FROM devices
             WHERE user_id = ?1 ORDER BY created_at, rowid",
            params![user_id],
            |r| {
                Ok(DeviceSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    status: parse_device_status(&r.get::<String>(2)?),
                    created_at: r.get(3)?,
                    last_used_at: r.get(4)?,
                })
            },
        )
    }

    /// Moves a device of `user_id` from one of `from` to `to`; false if it was not in one
    /// of them (already revoked, another user's…). Unlocking also forgets wrong PINs.
    pub fn set_device_status(
        &self,
        user_id: &str,
        device_id: &str,
        from: &[DeviceStatus],
        to: DeviceStatus,
    ) -> AppResult<bool> {
        let from = quoted(from.iter().map(|s| s.as_str()));
        let changed = self.execute(
            &format!(
                "UPDATE devices SET status = ?3, pin_failures = 0
                 WHERE id = ?2 AND user_id = ?1 AND status IN ({from})"
            ),
            params![user_id, device_id, to.as_str()],
        )?;
        Ok(changed == 1)
    }
}
