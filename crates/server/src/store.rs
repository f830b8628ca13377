//! SQLite storage. Every write is a single statement or a transaction, the journal is a
//! WAL with synchronous=FULL, so a killed server loses nothing it acknowledged.
use std::{path::Path, sync::Mutex};

use rusqlite::{Connection, OptionalExtension, params};
use tessera_protocol::{
    Details, DeviceStatus, Kind,
    api::{CancelReason, FraudReport, SessionState},
};

use crate::error::{AppError, AppResult};

mod biometrics;
mod hardware;
mod helpdesk;
mod issuers;
mod restore;
pub use hardware::{HardwareDevice, ScanChallengeRow};
pub use helpdesk::{AgentSession, AuditEntry};
pub use issuers::IssuerRow;
pub use restore::PendingActivation;

/// Schema versions, applied in order; `PRAGMA user_version` remembers how far we got.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    activation_code_hash TEXT,
    activation_failures INTEGER NOT NULL DEFAULT 0,
    phone TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    public_key TEXT NOT NULL,
    certificates TEXT NOT NULL,
    status TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    pin_failures INTEGER NOT NULL DEFAULT 0,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    api_key_hash BLOB NOT NULL UNIQUE,
    origins TEXT NOT NULL
);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    kind TEXT NOT NULL,
    origin TEXT NOT NULL,
    nonce TEXT NOT NULL,
    qr_secret BLOB NOT NULL,
    watch_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    user_id TEXT,
    device_id TEXT,
    pushed_at INTEGER,
    approval TEXT,
    status TEXT,
    result_delivered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_user ON sessions(user_id, state);
CREATE TABLE ca_keys (
    name TEXT PRIMARY KEY,
    secret BLOB NOT NULL,
    certificate TEXT
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE bank_sessions (
    session_id TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    logged_in_user TEXT
);
"#,
    r#"
ALTER TABLE sessions ADD COLUMN details TEXT;
ALTER TABLE sessions ADD COLUMN match_number INTEGER;
ALTER TABLE sessions ADD COLUMN match_choices TEXT;
ALTER TABLE sessions ADD COLUMN cancel_reason TEXT;
CREATE TABLE fraud_reports (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    device_id TEXT NOT NULL,
    reported_at INTEGER NOT NULL
);
ALTER TABLE bank_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'login';
ALTER TABLE bank_sessions ADD COLUMN details TEXT;
"#,
    r#"
CREATE TABLE security_answers (
    user_id TEXT NOT NULL REFERENCES users(id),
    question INTEGER NOT NULL,
    answer_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, question)
);
CREATE TABLE security_codes (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    code_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE agent_sessions (
    token_hash BLOB PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents(id),
    csrf TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    verified_user TEXT,
    verified_at INTEGER
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    user_id TEXT,
    device_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_user ON audit_log(user_id, action, at);
"#,
    r#"
ALTER TABLE users ADD COLUMN restore_secret_hash BLOB;
CREATE TABLE pending_activations (
    id TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    device_id TEXT NOT NULL,
    name TEXT NOT NULL,
    public_key TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    replace_device_id TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
"#,
    r#"
ALTER TABLE pending_activations ADD COLUMN via TEXT NOT NULL DEFAULT 'backup';
CREATE TABLE hardware_devices (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    kind TEXT NOT NULL,
    secret BLOB NOT NULL,
    suite TEXT,
    counter INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE scan_challenges (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    challenge TEXT NOT NULL,
    pending_id TEXT,
    expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
"#,
    r#"
CREATE TABLE idempotency_keys (
    partner_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    session_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (partner_id, key)
);
"#,
    // Issuing CAs become generations so they can be rotated: the newest certifies new
    // devices, older ones keep signing the status of the devices they certified.
    r#"
CREATE TABLE issuers (
    generation INTEGER PRIMARY KEY,
    secret BLOB NOT NULL,
    certificate TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
INSERT INTO issuers (generation, secret, certificate, created_at)
    SELECT 1, secret, certificate, CAST(strftime('%s', 'now') AS INTEGER)
    FROM ca_keys WHERE name = 'issuer' AND certificate IS NOT NULL;
DELETE FROM ca_keys WHERE name = 'issuer';
"#,
    r#"
CREATE TABLE biometric_credentials (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    credential_id BLOB NOT NULL,
    public_key BLOB NOT NULL,
    sign_count INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE biometric_challenges (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    challenge BLOB NOT NULL,
    expires_at INTEGER NOT NULL
);
"#,
];

pub struct Store {
    connection: Mutex<Connection>,
}

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

pub struct DeviceRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub certificates: Vec<String>,
    pub public_key: String,
    pub status: DeviceStatus,
    pub pin_hash: String,
    pub pin_failures: u32,
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

/// The statuses of devices that count towards a user's limit (as SQL).
const COUNTED: &str = "('active', 'suspended', 'locked')";

/// What [`Store::insert_session`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Inserted {
    New,
    /// The idempotency key was seen with the same request: this earlier session.
    Earlier(String),
    /// The idempotency key was seen with another request.
    KeyReused,
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

pub struct SessionRow {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub kind: Kind,
    pub origin: String,
    pub nonce: String,
    pub qr_secret: Vec<u8>,
    pub watch_hash: Vec<u8>,
    pub created_at: u64,
    pub expires_at: u64,
    pub state: SessionState,
    pub user_id: Option<String>,
    pub approval: Option<String>,
    pub status: Option<String>,
    pub result_delivered: bool,
    /// What the user approves, checked and normalised at creation.
    pub details: Option<Details>,
    /// For a pushed session not yet matched: the number the widget shows…
    pub match_number: Option<u8>,
    /// …and the three the phone offers.
    pub match_choices: Option<Vec<u8>>,
    pub cancel_reason: Option<CancelReason>,
}

impl SessionRow {
    /// The state as of `now`: an open session past its expiry is expired, whether or not
    /// anyone has written that down yet.
    pub fn state_at(&self, now: u64) -> SessionState {
        if !self.state.is_final() && now >= self.expires_at {
            SessionState::Expired
        } else {
            self.state
        }
    }
}

pub struct NewSession<'a> {
    pub id: &'a str,
    pub partner_id: &'a str,
    pub kind: Kind,
    pub origin: &'a str,
    pub nonce: &'a str,
    pub qr_secret: &'a [u8],
    pub watch_hash: &'a [u8],
    pub created_at: u64,
    pub expires_at: u64,
    pub details: Option<&'a Details>,
}

/// What a bank remembers of a session it opened.
pub struct BankSessionRow {
    pub nonce: String,
    pub partner_id: String,
    pub kind: Kind,
    pub details: Option<Details>,
}

/// How a number pick went.
#[derive(Debug, PartialEq, Eq)]
pub enum Matched {
    /// The right number: the session now awaits the PIN.
    Right,
    /// A wrong number: the session is cancelled.
    Wrong,
    /// The session is not waiting for a number (closed, another user's, already matched).
    NotOpen,
}

pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub origins: Vec<String>,
}

/// A message as the outbox page and `GET /v1/outbox` show it.
#[derive(serde::Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub created_at: u64,
}

fn parse_state(name: &str) -> SessionState {
    match name {
        "pending" => SessionState::Pending,
        "push_sent" => SessionState::PushSent,
        "opened" => SessionState::Opened,
        "awaiting_pin" => SessionState::AwaitingPin,
        "approved" => SessionState::Approved,
        "denied" => SessionState::Denied,
        "expired" => SessionState::Expired,
        // Unknown states are treated as closed: fail closed.
        _ => SessionState::Cancelled,
    }
}

fn parse_reason(name: &str) -> CancelReason {
    match name {
        "wrong_number" => CancelReason::WrongNumber,
        "fraud_reported" => CancelReason::FraudReported,
        _ => CancelReason::Page,
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

/// A JSON column; one that does not parse is an error, never a silent default: these
/// columns hold what users approve.
fn from_json<T: serde::de::DeserializeOwned>(
    index: usize,
    text: Option<String>,
) -> rusqlite::Result<Option<T>> {
    text.map(|text| {
        serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

fn parse_kind(name: &str) -> rusqlite::Result<Kind> {
    match name {
        "login" => Ok(Kind::Login),
        "confirm" => Ok(Kind::Confirm),
        "sign" => Ok(Kind::Sign),
        other => Err(rusqlite::Error::InvalidColumnType(
            0,
            other.into(),
            rusqlite::types::Type::Text,
        )),
    }
}

pub(crate) fn parse_device_status(name: &str) -> DeviceStatus {
    match name {
        "active" => DeviceStatus::Active,
        "suspended" => DeviceStatus::Suspended,
        "locked" => DeviceStatus::Locked,
        "replaced" => DeviceStatus::Replaced,
        // Anything unexpected is as good as revoked: fail closed.
        _ => DeviceStatus::Revoked,
    }
}

fn json_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

const SESSION_COLUMNS: &str = "s.id, s.partner_id, p.name, s.kind, s.origin, s.nonce, s.qr_secret, \
    s.watch_hash, s.created_at, s.expires_at, s.state, s.user_id, s.approval, s.status, s.result_delivered, \
    s.details, s.match_number, s.match_choices, s.cancel_reason";

fn session_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        id: row.get(0)?,
        partner_id: row.get(1)?,
        partner_name: row.get(2)?,
        kind: parse_kind(&row.get::<_, String>(3)?)?,
        origin: row.get(4)?,
        nonce: row.get(5)?,
        qr_secret: row.get(6)?,
        watch_hash: row.get(7)?,
        created_at: row.get(8)?,
        expires_at: row.get(9)?,
        state: parse_state(&row.get::<_, String>(10)?),
        user_id: row.get(11)?,
        approval: row.get(12)?,
        status: row.get(13)?,
        result_delivered: row.get(14)?,
        details: from_json(15, row.get(15)?)?,
        match_number: row.get(16)?,
        match_choices: from_json(17, row.get(17)?)?,
        cancel_reason: row
            .get::<_, Option<String>>(18)?
            .as_deref()
            .map(parse_reason),
    })
}

const DEVICE_COLUMNS: &str =
    "id, user_id, name, certificates, public_key, status, pin_hash, pin_failures";

fn device_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: row.get(0)?,
        user_id: row.get(1)?,
        name: row.get(2)?,
        certificates: json_list(row.get(3)?),
        public_key: row.get(4)?,
        status: parse_device_status(&row.get::<_, String>(5)?),
        pin_hash: row.get(6)?,
        pin_failures: row.get(7)?,
    })
}

impl Store {
    pub fn open(path: &Path) -> AppResult<Store> {
        let connection = Connection::open(path)?;
        Self::with_connection(connection)
    }

    fn with_connection(mut connection: Connection) -> AppResult<Store> {
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: usize = connection.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = connection.transaction()?;
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", index + 1)?;
            tx.commit()?;
        }
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    pub(crate) fn db(&self) -> AppResult<std::sync::MutexGuard<'_, Connection>> {
        self.connection
            .lock()
            .map_err(|_| AppError::Internal("store lock poisoned".into()))
    }

    // --- settings and CA keys -------------------------------------------------------

    pub fn setting(&self, name: &str) -> AppResult<Option<String>> {
        let db = self.db()?;
        Ok(db
            .query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, name: &str, value: &str) -> AppResult<()> {
        self.db()?.execute(
            "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
            params![name, value],
        )?;
        Ok(())
    }

    pub fn ca_key(&self, name: &str) -> AppResult<Option<(Vec<u8>, Option<String>)>> {
        let db = self.db()?;
        Ok(db
            .query_row(
                "SELECT secret, certificate FROM ca_keys WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    pub fn insert_ca_key(
        &self,
        name: &str,
        secret: &[u8],
        certificate: Option<&str>,
    ) -> AppResult<()> {
        self.db()?.execute(
            "INSERT INTO ca_keys (name, secret, certificate) VALUES (?1, ?2, ?3)",
            params![name, secret, certificate],
        )?;
        Ok(())
    }

    // --- users and devices -----------------------------------------------------------

    pub fn insert_user(
        &self,
        id: &str,
        password_hash: &str,
        code_hash: &str,
        phone: &str,
        email: &str,
    ) -> AppResult<()> {
        self.db()?.execute(
            "INSERT INTO users (id, password_hash, activation_code_hash, phone, email) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, password_hash, code_hash, phone, email],
        )?;
        Ok(())
    }

    pub fn user(&self, id: &str) -> AppResult<Option<UserRow>> {
        let db = self.db()?;
        Ok(db
            .query_row(
                "SELECT id, password_hash, activation_code_hash, activation_failures, phone, restore_secret_hash FROM users WHERE id = ?1",
                [id],
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
            .optional()?)
    }

    /// Counts a failed activation; at `limit` failures the activation code is voided.
    /// Returns the failures so far.
    pub fn record_activation_failure(&self, user_id: &str, limit: u32) -> AppResult<u32> {
        let db = self.db()?;
        let failures: u32 = db.query_row(
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
        let mut db = self.db()?;
        let tx = db.transaction()?;
        if let Some(replaced) = replace {
            let changed = tx.execute(
                &format!("UPDATE devices SET status = 'replaced' WHERE id = ?1 AND user_id = ?2 AND status IN {COUNTED}"),
                params![replaced, device.user_id],
            )?;
            if changed != 1 {
                return Ok(Activation::NoSuchReplacement);
            }
        }
        let counted: usize = tx.query_row(
            &format!("SELECT COUNT(*) FROM devices WHERE user_id = ?1 AND status IN {COUNTED}"),
            [device.user_id],
            |r| r.get(0),
        )?;
        if counted >= max_devices {
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
                [device.user_id],
            )?;
            for (question, hash) in &setup.answers {
                tx.execute(
                    "INSERT INTO security_answers (user_id, question, answer_hash) VALUES (?1, ?2, ?3)",
                    params![device.user_id, question, hash],
                )?;
            }
        }
        match consumed {
            Consumed::ActivationCode => tx.execute(
                "UPDATE users SET activation_code_hash = NULL, activation_failures = 0 WHERE id = ?1",
                [device.user_id],
            )?,
            Consumed::SecurityCode => tx.execute(
                "DELETE FROM security_codes WHERE user_id = ?1",
                [device.user_id],
            )?,
            Consumed::Pending { id, backup } => {
                if backup {
                    tx.execute(
                        "UPDATE users SET restore_secret_hash = NULL WHERE id = ?1",
                        [device.user_id],
                    )?;
                }
                tx.execute("DELETE FROM pending_activations WHERE id = ?1", [id])?
            }
        };
        tx.commit()?;
        Ok(Activation::Done)
    }

    pub fn device_by_token(&self, token_hash: &[u8]) -> AppResult<Option<DeviceRow>> {
        let db = self.db()?;
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = ?1");
        Ok(db.query_row(&sql, [token_hash], device_row).optional()?)
    }

    pub fn active_devices_of(&self, user_id: &str) -> AppResult<usize> {
        let db = self.db()?;
        Ok(db.query_row(
            "SELECT COUNT(*) FROM devices WHERE user_id = ?1 AND status = 'active'",
            [user_id],
            |r| r.get(0),
        )?)
    }

    /// Counts a wrong PIN; at `limit` the device is locked. Returns the failures so far.
    pub fn record_pin_failure(&self, device_id: &str, limit: u32) -> AppResult<u32> {
        let db = self.db()?;
        Ok(db.query_row(
            "UPDATE devices SET pin_failures = pin_failures + 1,
                status = CASE WHEN pin_failures + 1 >= ?2 THEN 'locked' ELSE status END
             WHERE id = ?1 RETURNING pin_failures",
            params![device_id, limit],
            |r| r.get(0),
        )?)
    }

    pub fn record_pin_success(&self, device_id: &str, now: u64) -> AppResult<()> {
        self.db()?.execute(
            "UPDATE devices SET pin_failures = 0, last_used_at = ?2 WHERE id = ?1",
            params![device_id, now],
        )?;
        Ok(())
    }

    pub fn set_pin(&self, device_id: &str, pin_hash: &str) -> AppResult<()> {
        self.db()?.execute(
            "UPDATE devices SET pin_hash = ?2, pin_failures = 0 WHERE id = ?1",
            params![device_id, pin_hash],
        )?;
        Ok(())
    }

    pub fn rename_device(&self, device_id: &str, name: &str) -> AppResult<()> {
        self.db()?.execute(
            "UPDATE devices SET name = ?2 WHERE id = ?1",
            params![device_id, name],
        )?;
        Ok(())
    }

    /// Makes a PIN-locked device active again; false if no such device is locked.
    pub fn unlock_device(&self, device_id: &str) -> AppResult<bool> {
        let changed = self.db()?.execute(
            "UPDATE devices SET status = 'active', pin_failures = 0 WHERE id = ?1 AND status = 'locked'",
            [device_id],
        )?;
        Ok(changed == 1)
    }

    // --- partners ----------------------------------------------------------------------

    pub fn upsert_partner(
        &self,
        id: &str,
        name: &str,
        api_key_hash: &[u8],
        origins: &[String],
    ) -> AppResult<()> {
        let origins =
            serde_json::to_string(origins).map_err(|e| AppError::Internal(e.to_string()))?;
        self.db()?.execute(
            "INSERT INTO partners (id, name, api_key_hash, origins) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET name = ?2, api_key_hash = ?3, origins = ?4",
            params![id, name, api_key_hash, origins],
        )?;
        Ok(())
    }

    pub fn partner_by_key(&self, api_key_hash: &[u8]) -> AppResult<Option<PartnerRow>> {
        let db = self.db()?;
        Ok(db
            .query_row(
                "SELECT id, name, origins FROM partners WHERE api_key_hash = ?1",
                [api_key_hash],
                |r| {
                    Ok(PartnerRow {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        origins: json_list(r.get(2)?),
                    })
                },
            )
            .optional()?)
    }

    // --- sessions ----------------------------------------------------------------------

    /// Stores a new session; with an idempotency key (the partner's `Idempotency-Key`
    /// and the hash of its request) that was seen in the last `key_lifetime` seconds,
    /// stores nothing and answers with the earlier session instead, whose watch token is
    /// rotated to `s.watch_hash` (the token itself is never stored, so it cannot be
    /// repeated).
    pub fn insert_session(
        &self,
        s: &NewSession<'_>,
        idempotency: Option<(&str, &[u8])>,
        key_lifetime: u64,
    ) -> AppResult<Inserted> {
        let details = s.details.map(to_json).transpose()?;
        let mut db = self.db()?;
        let tx = db.transaction()?;
        if let Some((key, request_hash)) = idempotency {
            let seen: Option<(Vec<u8>, String)> = tx
                .query_row(
                    "SELECT request_hash, session_id FROM idempotency_keys
                     WHERE partner_id = ?1 AND key = ?2 AND created_at > ?3",
                    params![s.partner_id, key, s.created_at.saturating_sub(key_lifetime)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match seen {
                Some((hash, _)) if hash != request_hash => return Ok(Inserted::KeyReused),
                Some((_, session_id)) => {
                    tx.execute(
                        "UPDATE sessions SET watch_hash = ?2 WHERE id = ?1",
                        params![session_id, s.watch_hash],
                    )?;
                    tx.commit()?;
                    return Ok(Inserted::Earlier(session_id));
                }
                None => {
                    tx.execute(
                        "INSERT OR REPLACE INTO idempotency_keys (partner_id, key, request_hash, session_id, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![s.partner_id, key, request_hash, s.id, s.created_at],
                    )?;
                }
            }
        }
        tx.execute(
            "INSERT INTO sessions (id, partner_id, kind, origin, nonce, qr_secret, watch_hash, created_at, expires_at, state, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10)",
            params![s.id, s.partner_id, s.kind.as_str(), s.origin, s.nonce, s.qr_secret, s.watch_hash, s.created_at, s.expires_at, details],
        )?;
        tx.commit()?;
        Ok(Inserted::New)
    }

    pub fn session(&self, id: &str) -> AppResult<Option<SessionRow>> {
        let db = self.db()?;
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN partners p ON p.id = s.partner_id WHERE s.id = ?1"
        );
        Ok(db.query_row(&sql, [id], session_row).optional()?)
    }

    /// Pushed requests waiting for this user's answer.
    pub fn pushed_sessions(&self, user_id: &str, now: u64) -> AppResult<Vec<SessionRow>> {
        let db = self.db()?;
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN partners p ON p.id = s.partner_id
             WHERE s.user_id = ?1 AND s.state = 'push_sent' AND s.expires_at > ?2 ORDER BY s.created_at"
        );
        let mut statement = db.prepare(&sql)?;
        let rows = statement.query_map(params![user_id, now], session_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn pushes_since(&self, user_id: &str, since: u64) -> AppResult<u32> {
        let db = self.db()?;
        Ok(db.query_row(
            "SELECT COUNT(*) FROM sessions WHERE user_id = ?1 AND pushed_at >= ?2",
            params![user_id, since],
            |r| r.get(0),
        )?)
    }

    /// Moves an open session from one of `from` to `to` (with `reason` when it is
    /// cancelled). Returns whether it moved: a lost race or a closed session moves nothing.
    pub fn transition(
        &self,
        id: &str,
        from: &[SessionState],
        to: SessionState,
        reason: Option<CancelReason>,
        now: u64,
    ) -> AppResult<bool> {
        let from = to_json(&from.iter().map(|s| s.as_str()).collect::<Vec<_>>())?;
        let changed = self.db()?.execute(
            "UPDATE sessions SET state = ?3, cancel_reason = ?4
             WHERE id = ?1 AND state IN (SELECT value FROM json_each(?2)) AND expires_at > ?5",
            params![id, from, to.as_str(), reason.map(CancelReason::as_str), now],
        )?;
        Ok(changed == 1)
    }

    /// Pushes the session to `user_id`, who must pick `number` among `choices` on the
    /// phone. A second push (the person pressed the button again) draws a new number.
    pub fn push(
        &self,
        id: &str,
        user_id: &str,
        number: u8,
        choices: &[u8],
        now: u64,
    ) -> AppResult<bool> {
        let changed = self.db()?.execute(
            "UPDATE sessions SET state = 'push_sent', user_id = ?2, pushed_at = ?5,
                match_number = ?3, match_choices = ?4
             WHERE id = ?1 AND state IN ('pending', 'push_sent') AND expires_at > ?5
               AND (user_id IS NULL OR user_id = ?2)",
            params![id, user_id, number, to_json(&choices)?, now],
        )?;
        Ok(changed == 1)
    }

    /// A device of `user_id` scanned the QR: being in front of the screen is the proof a
    /// number would give, so no number is asked and the session awaits the PIN.
    pub fn open_scanned(
        &self,
        id: &str,
        user_id: &str,
        device_id: &str,
        now: u64,
    ) -> AppResult<bool> {
        let changed = self.db()?.execute(
            "UPDATE sessions SET state = 'awaiting_pin', user_id = ?2, device_id = ?3,
                match_number = NULL, match_choices = NULL
             WHERE id = ?1 AND state IN ('pending', 'push_sent', 'opened', 'awaiting_pin')
               AND expires_at > ?4 AND (user_id IS NULL OR user_id = ?2)",
            params![id, user_id, device_id, now],
        )?;
        Ok(changed == 1)
    }

    /// A device of `user_id` opened a pushed session: it waits for the number, or for the
    /// PIN if the number was already matched. Returns the new state, if it moved.
    pub fn open_pushed(
        &self,
        id: &str,
        user_id: &str,
        device_id: &str,
        now: u64,
    ) -> AppResult<Option<SessionState>> {
        let db = self.db()?;
        let state: Option<String> = db
            .query_row(
                "UPDATE sessions SET device_id = ?3,
                    state = CASE WHEN match_number IS NULL THEN 'awaiting_pin' ELSE 'opened' END
                 WHERE id = ?1 AND user_id = ?2 AND state IN ('push_sent', 'opened', 'awaiting_pin')
                   AND expires_at > ?4
                 RETURNING state",
                params![id, user_id, device_id, now],
                |r| r.get(0),
            )
            .optional()?;
        Ok(state.as_deref().map(parse_state))
    }

    /// The user picked `number` for a pushed session: the right one moves it on to the
    /// PIN, a wrong one cancels it (a guess is not the user in front of the screen).
    pub fn match_number(
        &self,
        id: &str,
        user_id: &str,
        number: u8,
        now: u64,
    ) -> AppResult<Matched> {
        let mut db = self.db()?;
        let tx = db.transaction()?;
        let wanted: Option<Option<u8>> = tx
            .query_row(
                "SELECT match_number FROM sessions
                 WHERE id = ?1 AND user_id = ?2 AND state = 'opened' AND expires_at > ?3",
                params![id, user_id, now],
                |r| r.get(0),
            )
            .optional()?;
        let Some(Some(wanted)) = wanted else {
            return Ok(Matched::NotOpen);
        };
        let matched = if wanted == number {
            tx.execute(
                "UPDATE sessions SET state = 'awaiting_pin', match_number = NULL, match_choices = NULL WHERE id = ?1",
                [id],
            )?;
            Matched::Right
        } else {
            tx.execute(
                "UPDATE sessions SET state = 'cancelled', cancel_reason = 'wrong_number' WHERE id = ?1",
                [id],
            )?;
            Matched::Wrong
        };
        tx.commit()?;
        Ok(matched)
    }

    /// "This wasn't me": cancels an open session of `user_id` and records the report, in
    /// one transaction. False if the session was not open for this user.
    pub fn report_fraud(
        &self,
        id: &str,
        user_id: &str,
        device_id: &str,
        now: u64,
    ) -> AppResult<bool> {
        let mut db = self.db()?;
        let tx = db.transaction()?;
        let changed = tx.execute(
            "UPDATE sessions SET state = 'cancelled', cancel_reason = 'fraud_reported'
             WHERE id = ?1 AND user_id = ?2 AND state IN ('push_sent', 'opened', 'awaiting_pin')
               AND expires_at > ?3",
            params![id, user_id, now],
        )?;
        if changed == 1 {
            tx.execute(
                "INSERT INTO fraud_reports (session_id, device_id, reported_at) VALUES (?1, ?2, ?3)",
                params![id, device_id, now],
            )?;
        }
        tx.commit()?;
        Ok(changed == 1)
    }

    /// The fraud reports on a partner's sessions, newest first.
    pub fn fraud_reports(&self, partner_id: &str) -> AppResult<Vec<FraudReport>> {
        let db = self.db()?;
        let mut statement = db.prepare(
            "SELECT f.session_id, s.user_id, f.device_id, s.kind, s.origin, f.reported_at
             FROM fraud_reports f JOIN sessions s ON s.id = f.session_id
             WHERE s.partner_id = ?1 ORDER BY f.reported_at DESC, f.session_id LIMIT 500",
        )?;
        let rows = statement.query_map([partner_id], |r| {
            Ok(FraudReport {
                session_id: r.get(0)?,
                user_id: r.get(1)?,
                device_id: r.get(2)?,
                kind: parse_kind(&r.get::<_, String>(3)?)?,
                origin: r.get(4)?,
                reported_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn complete_session(
        &self,
        id: &str,
        device_id: &str,
        approval: &str,
        status: &str,
        now: u64,
    ) -> AppResult<bool> {
        let changed = self.db()?.execute(
            "UPDATE sessions SET state = 'approved', device_id = ?2, approval = ?3, status = ?4
             WHERE id = ?1 AND state = 'awaiting_pin' AND match_number IS NULL AND expires_at > ?5",
            params![id, device_id, approval, status, now],
        )?;
        Ok(changed == 1)
    }

    /// Marks an approved result as delivered to the partner; false if it already was.
    pub fn mark_delivered(&self, id: &str) -> AppResult<bool> {
        let changed = self.db()?.execute(
            "UPDATE sessions SET result_delivered = 1 WHERE id = ?1 AND result_delivered = 0",
            [id],
        )?;
        Ok(changed == 1)
    }

    // --- outbox ------------------------------------------------------------------------

    pub fn insert_message(
        &self,
        channel: &str,
        recipient: &str,
        body: &str,
        now: u64,
    ) -> AppResult<()> {
        self.db()?.execute(
            "INSERT INTO outbox (channel, recipient, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![channel, recipient, body, now],
        )?;
        Ok(())
    }

    pub fn messages(&self) -> AppResult<Vec<OutboxMessage>> {
        let db = self.db()?;
        let mut statement =
            db.prepare("SELECT id, channel, recipient, body, created_at FROM outbox ORDER BY id DESC LIMIT 200")?;
        let rows = statement.query_map([], |r| {
            Ok(OutboxMessage {
                id: r.get(0)?,
                channel: r.get(1)?,
                recipient: r.get(2)?,
                body: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    // --- the demo bank's own records ---------------------------------------------------

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

#[cfg(test)]
impl Store {
    pub fn in_memory() -> Store {
        Self::with_connection(Connection::open_in_memory().expect("sqlite in memory"))
            .expect("migrations")
    }
}
