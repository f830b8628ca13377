//! Backups and restores: the hash of the secret in the user's latest backup file, and
//! activations that wait for the link sent by SMS.
use super::sql::params;

use super::{db::Store, devices::COUNTED};
use crate::error::AppResult;

/// An activation waiting for its SMS link to be opened.
pub struct PendingActivation {
    pub id: String,
    pub token_hash: Vec<u8>,
    pub user_id: String,
    pub device_id: String,
    pub name: String,
    pub public_key: String,
    pub pin_hash: String,
    pub replace_device_id: Option<String>,
    pub expires_at: u64,
    /// What started it: `backup`, `token` or `scan`.
    pub via: String,
}

impl Store {
    /// Remembers the secret of a new backup; the previous backup stops working.
    pub fn set_restore_secret(&self, user_id: &str, secret_hash: &[u8]) -> AppResult<()> {
        self.execute(
            "UPDATE users SET restore_secret_hash = ?2 WHERE id = ?1",
            params![user_id, secret_hash],
        )?;
        Ok(())
    }

    /// The user's devices that count towards the limit.
    pub fn counted_devices(&self, user_id: &str) -> AppResult<usize> {
        self.query_row(
            &format!("SELECT COUNT(*) FROM devices WHERE user_id = ?1 AND status IN {COUNTED}"),
            params![user_id],
            |r| r.get(0),
        )
    }

    pub fn insert_pending_activation(&self, p: &PendingActivation, now: u64) -> AppResult<()> {
        self.execute(
            "INSERT INTO pending_activations
                (id, token_hash, user_id, device_id, name, public_key, pin_hash, replace_device_id, created_at, expires_at, via)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                p.id,
                p.token_hash,
                p.user_id,
                p.device_id,
                p.name,
                p.public_key,
                p.pin_hash,
                p.replace_device_id,
                now,
                p.expires_at,
                p.via
            ],
        )?;
        Ok(())
    }

    /// The user's activations still waiting for their link, oldest first.
    pub fn pending_activations_of(&self, user_id: &str) -> AppResult<Vec<(String, String, u64)>> {
        self.query_map(
            "SELECT id, name, expires_at FROM pending_activations WHERE user_id = ?1 ORDER BY created_at, rowid", params![user_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    }

    /// Corrects the user's phone number and gives a pending activation a new link (the
    /// old one stops working) valid until `expires_at`, in one transaction.
    pub fn renew_pending_link(
        &self,
        user_id: &str,
        pending_id: &str,
        phone: &str,
        token_hash: &[u8],
        expires_at: u64,
    ) -> AppResult<bool> {
        self.transaction(|tx| {
            let changed = tx.execute(
                "UPDATE pending_activations SET token_hash = ?3, expires_at = ?4 WHERE id = ?2 AND user_id = ?1",
                params![user_id, pending_id, token_hash, expires_at],
            )?;
            if changed == 1 {
                tx.execute(
                    "UPDATE users SET phone = ?2 WHERE id = ?1",
                    params![user_id, phone],
                )?;
            }    Ok(changed == 1)
        })
    }

    pub fn pending_activation(&self, id: &str) -> AppResult<Option<PendingActivation>> {
        self.query_opt(
                "SELECT id, token_hash, user_id, device_id, name, public_key, pin_hash, replace_device_id, expires_at, via
                 FROM pending_activations WHERE id = ?1",
                params![id],
                |r| {
                    Ok(PendingActivation {
                        id: r.get(0)?,
                        token_hash: r.get(1)?,
                        user_id: r.get(2)?,
                        device_id: r.get(3)?,
                        name: r.get(4)?,
                        public_key: r.get(5)?,
                        pin_hash: r.get(6)?,
                        replace_device_id: r.get(7)?,
                        expires_at: r.get(8)?,
                        via: r.get(9)?,
                    })
                },
            )
    }
}
