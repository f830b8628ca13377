//! "A new device was added": the links in those notices, each of which may suspend the
//! one device it names, once, before it expires.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

/// A notice's link, as stored: only the SHA-256 of its token.
pub struct DeviceNotice {
    pub id: String,
    pub user_id: String,
    pub device_id: String,
    pub device_name: String,
    pub created_at: u64,
    pub expires_at: u64,
    pub lang: String,
    pub used: bool,
}

/// What following a notice's link did.
#[derive(Debug, PartialEq, Eq)]
pub enum NoticeUsed {
    /// The device was suspended.
    Suspended,
    /// The link was good, but the device was no longer active (revoked, replaced or
    /// already suspended): nothing to suspend.
    NotActive,
    /// No such link, a wrong token, used already, or expired.
    Invalid,
}

impl Store {
    #[allow(clippy::too_many_arguments)]
    pub fn insert_device_notice(
        &self,
        id: &str,
        token_hash: &[u8],
        user_id: &str,
        device_id: &str,
        lang: &str,
        now: u64,
        expires_at: u64,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO device_notices (id, token_hash, user_id, device_id, created_at, expires_at, lang)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, token_hash, user_id, device_id, now, expires_at, lang],
        )?;
        Ok(())
    }

    /// The notice `id` if `token_hash` is its token's.
    pub fn device_notice(&self, id: &str, token_hash: &[u8]) -> AppResult<Option<DeviceNotice>> {
        self.query_opt(
            "SELECT n.id, n.user_id, n.device_id, d.name, n.created_at, n.expires_at, n.lang, n.used_at
             FROM device_notices n JOIN devices d ON d.id = n.device_id
             WHERE n.id = ?1 AND n.token_hash = ?2",
            params![id, token_hash],
            |r| {
                Ok(DeviceNotice {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    device_id: r.get(2)?,
                    device_name: r.get(3)?,
                    created_at: r.get(4)?,
                    expires_at: r.get(5)?,
                    lang: r.get(6)?,
                    used: r.get::<Option<u64>>(7)?.is_some(),
                })
            },
        )
    }

    /// Uses the link `id` (with its token) to suspend the device it names, and records it
    /// in the audit log, in one transaction: a link works once, whichever instance is
    /// asked, and only for its own device.
    pub fn use_device_notice(
        &self,
        id: &str,
        token_hash: &[u8],
        now: u64,
    ) -> AppResult<NoticeUsed> {
        self.transaction(|tx| {
            let claimed: Option<(String, String)> = tx.query_opt(
                "UPDATE device_notices SET used_at = ?3
                 WHERE id = ?1 AND token_hash = ?2 AND used_at IS NULL AND expires_at > ?3
                 RETURNING user_id, device_id",
                params![id, token_hash, now],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let Some((user_id, device_id)) = claimed else {
                return Ok(NoticeUsed::Invalid);
            };
            let suspended = tx.execute(
                "UPDATE devices SET status = 'suspended'
                 WHERE id = ?1 AND user_id = ?2 AND status IN ('active', 'locked')",
                params![device_id, user_id],
            )? == 1;
            let (action, detail) = if suspended {
                ("device_suspended_by_user", "the user said \"Not you?\" in the new-device notice")
            } else {
                ("device_notice_used", "new-device notice followed; the device was no longer active")
            };
            tx.execute(
                "INSERT INTO audit_log (at, actor, action, user_id, device_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![now, "user:notice-link", action, user_id, device_id, detail],
            )?;
            Ok(if suspended {
                NoticeUsed::Suspended
            } else {
                NoticeUsed::NotActive
            })
        })
    }
}
