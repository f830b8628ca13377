//! The backup file: what it holds, and its encryption under the user's password. Pure,
//! tested natively (the browser adds only the file picker and the download link).
//!
//! # What a backup contains, and why
//! The plaintext is JSON ([`Contents`], format `tessera-backup-plain/1`):
//! - `user_id`: whose backup it is; restoring checks it against the user ID typed;
//! - `device_name`: the name of the device that made it, offered as the new one's name;
//! - `lang`: the language the user chose, applied again on the new device;
//! - `restore_secret`: the server's secret for this backup (`POST /v1/device/backup`).
//!   With the user ID and password it lets a new device ask for activation (flow E); the
//!   server keeps only its hash, a newer backup voids it, and even with it the new device
//!   is activated only once the user opens the link sent by SMS to their phone number;
//! - `created_at`: when the server issued the secret (Unix seconds).
//!
//! It never contains a private key, a PIN or the password. The device key is a
//! non-extractable WebCrypto key: it cannot be exported, and it should not be: a copy of
//! it in a file would be a second, unmanaged device that no suspension could stop. A
//! restored device gets a new key and a new certificate, and a new PIN.
//!
//! # The file
//! JSON ([`BackupFile`], format `tessera-backup/1`): the plaintext encrypted with
//! ChaCha20-Poly1305 (RFC 8439) under a 32-byte key derived from the password with
//! Argon2id (RFC 9106, version 0x13) and a random 16-byte salt; a random 12-byte nonce;
//! the associated data is the format name, so the ciphertext cannot be moved into another
//! format. The Argon2id parameters are written in the file: m = 19 456 KiB, t = 2, p = 1
//! (OWASP's minimum for Argon2id). The password guards the file twice: an attacker who
//! steals it must guess the password offline, against Argon2id, and even then needs the
//! SMS to the user's phone.
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::{
    ChaCha20Poly1305, KeyInit, Nonce,
    aead::{Aead, Payload},
};
use serde::{Deserialize, Serialize};
use tessera_protocol::{b64_decode, b64_encode};

/// The format of the file.
pub const FORMAT: &str = "tessera-backup/1";
/// The format of the encrypted plaintext.
pub const PLAIN_FORMAT: &str = "tessera-backup-plain/1";
/// The key derivation function.
pub const KDF: &str = "argon2id";
/// Argon2id memory in KiB (19 MiB).
pub const M_KIB: u32 = 19_456;
/// Argon2id passes.
pub const T: u32 = 2;
/// Argon2id lanes.
pub const P: u32 = 1;
/// Salt length in bytes.
pub const SALT_LEN: usize = 16;
/// Nonce length in bytes.
pub const NONCE_LEN: usize = 12;
/// The most memory a file may ask for (64 MiB), so a crafted file cannot exhaust the
/// phone; the least, so it cannot ask for a uselessly weak key.
const M_KIB_RANGE: core::ops::RangeInclusive<u32> = 8_192..=65_536;
/// The most passes a file may ask for.
const T_RANGE: core::ops::RangeInclusive<u32> = 1..=10;
/// The most lanes a file may ask for.
const P_RANGE: core::ops::RangeInclusive<u32> = 1..=4;

/// What the backup holds, encrypted. No private key: see the module documentation.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contents {
    /// Always [`PLAIN_FORMAT`].
    pub format: String,
    /// The user.
    pub user_id: String,
    /// The name of the device that made the backup.
    pub device_name: String,
    /// The language tag the user chose (`en`, `fr`, `de`, `nl`).
    pub lang: String,
    /// The server's restore secret (base64url).
    pub restore_secret: String,
    /// When the server issued the secret (Unix seconds).
    pub created_at: u64,
}

impl Contents {
    /// The contents of a new backup.
    pub fn new(
        user_id: &str,
        device_name: &str,
        lang: &str,
        restore_secret: &str,
        created_at: u64,
    ) -> Contents {
        Contents {
            format: PLAIN_FORMAT.into(),
            user_id: user_id.into(),
            device_name: device_name.into(),
            lang: lang.into(),
            restore_secret: restore_secret.into(),
            created_at,
        }
    }
}

/// Everything but the secret, so a log or a panic message never shows it.
impl core::fmt::Debug for Contents {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Contents")
            .field("user_id", &self.user_id)
            .field("device_name", &self.device_name)
            .field("lang", &self.lang)
            .field("restore_secret", &"…")
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// The file as saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`KDF`].
    pub kdf: String,
    /// Argon2id memory in KiB.
    pub m_kib: u32,
    /// Argon2id passes.
    pub t: u32,
    /// Argon2id lanes.
    pub p: u32,
    /// Salt, base64url ([`SALT_LEN`] bytes).
    pub salt: String,
    /// Nonce, base64url ([`NONCE_LEN`] bytes).
    pub nonce: String,
    /// The encrypted [`Contents`] with the 16-byte tag, base64url.
    pub ciphertext: String,
}

/// Why a backup could not be made or opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupError {
    /// Not a Tessera backup file (not JSON, or another format).
    NotABackup,
    /// A Tessera backup this version cannot open (another KDF, parameters out of range).
    Unsupported,
    /// The password does not open it, or the file was changed: the two cannot be told
    /// apart (that is what authenticated encryption promises).
    WrongPassword,
    /// It opened, but what it holds is not a backup's contents.
    Damaged,
    /// No randomness (making a backup only).
    Random,
}

/// The name of the file for `user_id`: `tessera-backup-<user>.json`, the user ID reduced
/// to characters every file system accepts.
pub fn file_name(user_id: &str) -> String {
    let safe: String = user_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("tessera-backup-{}.json", safe.trim_start_matches('.'))
}

/// Encrypts `contents` under `password` with a fresh random salt and nonce; the file's
/// text (pretty JSON).
pub fn encrypt(contents: &Contents, password: &str) -> Result<String, BackupError> {
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut salt).map_err(|_| BackupError::Random)?;
    getrandom::fill(&mut nonce).map_err(|_| BackupError::Random)?;
    let file = encrypt_with(contents, password, &salt, &nonce)?;
    serde_json::to_string_pretty(&file).map_err(|_| BackupError::Damaged)
}

/// Encrypts `contents` under `password` with this salt and nonce. Deterministic: the
/// known-answer test pins it. Never reuse a salt and nonce pair: call [`encrypt`].
pub fn encrypt_with(
    contents: &Contents,
    password: &str,
    salt: &[u8; SALT_LEN],
    nonce: &[u8; NONCE_LEN],
) -> Result<BackupFile, BackupError> {
    let plaintext = serde_json::to_vec(contents).map_err(|_| BackupError::Damaged)?;
    let cipher = cipher(password, salt, M_KIB, T, P)?;
    let ciphertext = cipher
        .encrypt(
            &Nonce::from(*nonce),
            Payload {
                msg: &plaintext,
                aad: FORMAT.as_bytes(),
            },
        )
        .map_err(|_| BackupError::Damaged)?;
    Ok(BackupFile {
        format: FORMAT.into(),
        kdf: KDF.into(),
        m_kib: M_KIB,
        t: T,
        p: P,
        salt: b64_encode(salt),
        nonce: b64_encode(nonce),
        ciphertext: b64_encode(&ciphertext),
    })
}

/// Reads a backup file's text and decrypts it with `password`.
pub fn decrypt(text: &str, password: &str) -> Result<Contents, BackupError> {
    let file: BackupFile = tessera_ui::parse_json(text).ok_or(BackupError::NotABackup)?;
    if file.format != FORMAT {
        return Err(BackupError::NotABackup);
    }
    if file.kdf != KDF
        || !M_KIB_RANGE.contains(&file.m_kib)
        || !T_RANGE.contains(&file.t)
        || !P_RANGE.contains(&file.p)
    {
        return Err(BackupError::Unsupported);
    }
    let bytes = |b64: &str, len: Option<usize>| {
        b64_decode(b64)
            .filter(|b| len.is_none_or(|len| b.len() == len))
            .ok_or(BackupError::NotABackup)
    };
    let salt = bytes(&file.salt, Some(SALT_LEN))?;
    let nonce: [u8; NONCE_LEN] = bytes(&file.nonce, Some(NONCE_LEN))?
        .try_into()
        .map_err(|_| BackupError::NotABackup)?;
    let ciphertext = bytes(&file.ciphertext, None)?;
    let plaintext = cipher(password, &salt, file.m_kib, file.t, file.p)?
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &ciphertext,
                aad: FORMAT.as_bytes(),
            },
        )
        .map_err(|_| BackupError::WrongPassword)?;
    let contents: Contents =
        serde_json::from_slice(&plaintext).map_err(|_| BackupError::Damaged)?;
    if contents.format != PLAIN_FORMAT {
        return Err(BackupError::Damaged);
    }
    Ok(contents)
}

/// ChaCha20-Poly1305 keyed with Argon2id(`password`, `salt`, m, t, p), 32 bytes.
fn cipher(
    password: &str,
    salt: &[u8],
    m_kib: u32,
    t: u32,
    p: u32,
) -> Result<ChaCha20Poly1305, BackupError> {
    let params = Params::new(m_kib, t, p, Some(32)).map_err(|_| BackupError::Unsupported)?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .map_err(|_| BackupError::Unsupported)?;
    ChaCha20Poly1305::new_from_slice(&key).map_err(|_| BackupError::Unsupported)
}

#[cfg(test)]
#[path = "backup_tests.rs"]
mod tests;
