//! Users and the activation that gives them a device, in one transaction.
use super::sql::params;

use super::{db::Store, devices::COUNTED};
use crate::error::{AppError, AppResult};

pub struct UserRow {
    pub id: String,
    pub password_hash: String,
    pub activation_code_hash: Option<String>,
    pub activation_failures: u32,
    /// Where SMS for this user go.
    pub phone: String,
    /// SHA-256 of the secret in the user's latest backup file.
    pub restore_secret_hash: Option<Vec<u8>>,
}

pub struct NewDevice<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub name: &'a str,
    pub public_key: &'a str,
    pub certificates: &'a [String],
    pub pin_hash: &'a str,
    pub token_hash: &'a [u8],
    pub now: u64,
    /// A new user's password and security answers, hashed (flow A).
    pub setup: Option<&'a HashedSetup>,
}

/// What a new user set up, ready to store: Argon2id hashes only.
pub struct HashedSetup {
    pub password_hash: String,
    /// `(question index, hash of the normalised answer)`.
    pub answers: Vec<(u8, String)>,
}

/// What an activation used up.
#[derive(Debug, Clone, Copy)]
pub enum Consumed<'a> {
    ActivationCode,
    SecurityCode,
    /// A pending activation (by id), finished by its SMS link or its second mosaic;
    /// `backup` if it was a restore, whose secret is used up too.
    Pending {
        id: &'a str,
        backup: bool,
    },
}

/// How an activation went in the store.
#[derive(Debug, PartialEq, Eq)]
pub enum Activation {
    Done,
    /// The user has the maximum number of devices: one must be replaced.
    Limit,
    /// The device to replace is not one of the user's counted devices.
    NoSuchReplacement,
}

impl Store {
    pub fn insert_user(
        &self,
        id: &str,
        password_hash: &str,
        code_hash: &str,
        phone: &str,
        email: &str,
    ) -> AppResult<()> {
        self.execute(
            "INSERT INTO users (id, password_hash, activation_code_hash, phone, email) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, password_hash, code_hash, phone, email],
        )?;
        Ok(())
    }

    pub fn user(&self, id: &str) -> AppResult<Option<UserRow>> {
        self.query_opt(
                "SELECT id, password_hash, activation_code_hash, activation_failures, phone, restore_secret_hash FROM users WHERE id = ?1",
                params![id],
                |r| {
                    Ok(UserRow {
                        id: r.get(0)?,
                        password_hash: r.get(1)?,
                        activation_code_hash: r.get(2)?,
                        activation_failures: r.get(3)?,
                        phone: r.get(4)?,
                        restore_secret_hash: r.get(5)?,
                    })
                },
            )
    }

    /// Counts a failed activation; at `limit` failures the activation code is voided.
    /// Returns the failures so far.
    pub fn record_activation_failure(&self, user_id: &str, limit: u32) -> AppResult<u32> {
        let failures: u32 = self.query_row(
            "UPDATE users SET activation_failures = activation_failures + 1,
                activation_code_hash = CASE WHEN activation_failures + 1 >= ?2 THEN NULL ELSE activation_code_hash END
             WHERE id = ?1 RETURNING activation_failures",
            params![user_id, limit],
            |r| r.get(0),
        )?;
        Ok(failures)
    }

    /// Stores the new device, replaces `replace` if given, and consumes the credential
    /// that allowed it, all in one transaction: a crash leaves either nothing or all of it,
    /// and two activations racing cannot both pass the device limit.
    pub fn activate_device(
        &self,
        device: &NewDevice<'_>,
        replace: Option<&str>,
        consumed: Consumed<'_>,
        max_devices: usize,
    ) -> AppResult<Activation> {
        self.transaction(|tx| {
            // The user's row is locked first: activations of one user, on any instance,
            // take turns, so two cannot both pass the limit or use one code.
            tx.query_opt(
                "SELECT id FROM users WHERE id = ?1 FOR UPDATE",
                params![device.user_id],
                |_| Ok(()),
            )?;
            let counted: usize = tx.query_row(
                &format!("SELECT COUNT(*) FROM devices WHERE user_id = ?1 AND status IN {COUNTED}"),
                params![device.user_id],
                |r| r.get(0),
            )?;
            // Every check comes before the first write: an early answer leaves nothing.
            if let Some(replaced) = replace {
                let changed = tx.execute(
                    &format!("UPDATE devices SET status = 'replaced' WHERE id = ?1 AND user_id = ?2 AND status IN {COUNTED}"),
                    params![replaced, device.user_id],
                )?;
                if changed != 1 {
                    return Ok(Activation::NoSuchReplacement);
                }
            } else if counted >= max_devices {
                return Ok(Activation::Limit);
            }
            tx.execute(
                "INSERT INTO devices (id, user_id, name, public_key, certificates, status, pin_hash, token_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, ?7, ?8)",
                params![
                    device.id,
                    device.user_id,
                    device.name,
                    device.public_key,
                    serde_json::to_string(device.certificates).map_err(|e| AppError::Internal(e.to_string()))?,
                    device.pin_hash,
                    device.token_hash,
                    device.now
                ],
            )?;
            if let Some(setup) = device.setup {
                tx.execute(
                    "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                    params![device.user_id, setup.password_hash],
                )?;
                tx.execute(
                    "DELETE FROM security_answers WHERE user_id = ?1",
                    params![device.user_id],
                )?;
                for (question, hash) in &setup.answers {
                    tx.execute(
                        "INSERT INTO security_answers (user_id, question, answer_hash) VALUES (?1, ?2, ?3)",
                        params![device.user_id, question, hash],
                    )?;
                }
            }
            // What allowed the activation is used up here, and only once: one that
            // another request used first fails the whole transaction.
            let used = match consumed {
                Consumed::ActivationCode => tx.execute(
                    "UPDATE users SET activation_code_hash = NULL, activation_failures = 0
                     WHERE id = ?1 AND activation_code_hash IS NOT NULL",
                    params![device.user_id],
                )?,
                Consumed::SecurityCode => tx.execute(
                    "DELETE FROM security_codes WHERE user_id = ?1",
                    params![device.user_id],
                )?,
                Consumed::Pending { id, backup } => {
                    if backup {
                        tx.execute(
                            "UPDATE users SET restore_secret_hash = NULL WHERE id = ?1",
                            params![device.user_id],
                        )?;
                    }
                    tx.execute("DELETE FROM pending_activations WHERE id = ?1", params![id])?
                }
            };
            if used != 1 {
                return Err(AppError::unauthorized(
                    "credential_used",
                    "this code or link was already used",
                ));
            }
            Ok(Activation::Done)
        })
    }
}
