//! Each device's platform credential (biometrics) and the one registration challenge it
//! may have outstanding.
use super::sql::params;

use super::db::Store;
use crate::error::AppResult;

/// A registered credential, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: Vec<u8>,
    /// Uncompressed SEC1 point (65 bytes).
    pub public_key: Vec<u8>,
    pub sign_count: u32,
}

impl Store {
    /// Issues `challenge` to `device_id`, replacing any older one.
    pub fn put_biometric_challenge(
        &self,
        device_id: &str,
        challenge: &[u8],
        expires_at: u64,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO biometric_challenges (device_id, challenge, expires_at)
             VALUES (?1, ?2, ?3)
             ON CONFLICT (device_id) DO UPDATE SET challenge = ?2, expires_at = ?3",
            params![device_id, challenge, expires_at],
        )?;
        Ok(())
    }

    /// Takes the device's challenge (single use: it is gone afterwards, answered or not)
    /// if it has not expired.
    pub fn take_biometric_challenge(
        &self,
        device_id: &str,
        now: u64,
    ) -> AppResult<Option<Vec<u8>>> {
        let taken: Option<(Vec<u8>, u64)> = self.query_opt(
            "DELETE FROM biometric_challenges WHERE device_id = ?1
                 RETURNING challenge, expires_at",
            params![device_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(taken.and_then(|(challenge, expires_at)| (now < expires_at).then_some(challenge)))
    }

    /// Stores the device's credential, replacing an older one.
    pub fn set_biometric_credential(
        &self,
        device_id: &str,
        credential: &Credential,
        now: u64,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO biometric_credentials
             (device_id, credential_id, public_key, sign_count, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (device_id) DO UPDATE SET credential_id = ?2, public_key = ?3,
                sign_count = ?4, created_at = ?5",
            params![
                device_id,
                credential.id,
                credential.public_key,
                credential.sign_count,
                now
            ],
        )?;
        Ok(())
    }

    pub fn biometric_credential(&self, device_id: &str) -> AppResult<Option<Credential>> {
        self.query_opt(
            "SELECT credential_id, public_key, sign_count FROM biometric_credentials
                 WHERE device_id = ?1",
            params![device_id],
            |r| {
                Ok(Credential {
                    id: r.get(0)?,
                    public_key: r.get(1)?,
                    sign_count: r.get(2)?,
                })
            },
        )
    }

    /// Moves the signature counter from `seen` to `next` (compare-and-set: of two
    /// assertions racing with the same counter, one fails).
    pub fn advance_sign_count(&self, device_id: &str, seen: u32, next: u32) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE biometric_credentials SET sign_count = ?3
             WHERE device_id = ?1 AND sign_count = ?2",
            params![device_id, seen, next],
        )?;
        Ok(changed == 1)
    }

    /// Forgets the device's credential; false if it had none.
    pub fn delete_biometric_credential(&self, device_id: &str) -> AppResult<bool> {
        self.execute(
            "DELETE FROM biometric_challenges WHERE device_id = ?1",
            params![device_id],
        )?;
        let changed = self.execute(
            "DELETE FROM biometric_credentials WHERE device_id = ?1",
            params![device_id],
        )?;
        Ok(changed == 1)
    }
}
