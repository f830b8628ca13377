//! Partners and their sessions: what the relay and the partner API keep.
use tessera_protocol::Details;
use tessera_protocol::Expected;
use tessera_protocol::Kind;
use tessera_protocol::api::CancelReason;
use tessera_protocol::api::FraudReport;
use tessera_protocol::api::SessionState;

use super::{
    db::{Store, json_column, json_list, to_json},
    sql::{Db, Row, params, quoted},
};
use crate::error::{AppError, AppResult};

/// What [`Store::insert_session`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Inserted {
    New,
    /// The idempotency key was seen with the same request: this earlier session.
    Earlier(String),
    /// The idempotency key was seen with another request.
    KeyReused,
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
    /// What an approval must answer to be this session's: `verify_approval` checks it
    /// against the session as stored, never as a relay or a phone describes it.
    pub fn expected<'a>(&'a self, user_id: Option<&'a str>) -> Expected<'a> {
        Expected {
            session_id: &self.id,
            nonce: &self.nonce,
            partner_id: &self.partner_id,
            origin: &self.origin,
            kind: self.kind,
            details_digest: self.details.as_ref().map(Details::digest),
            user_id,
        }
    }

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
        "superseded" => CancelReason::Superseded,
        _ => CancelReason::Page,
    }
}

fn kind_of(name: &str) -> Option<Kind> {
    match name {
        "login" => Some(Kind::Login),
        "confirm" => Some(Kind::Confirm),
        "sign" => Some(Kind::Sign),
        _ => None,
    }
}

pub(crate) fn kind(name: &str) -> AppResult<Kind> {
    kind_of(name).ok_or_else(|| AppError::Database(format!("unknown kind {name:?}")))
}

const SESSION_COLUMNS: &str = "s.id, s.partner_id, p.name, s.kind, s.origin, s.nonce, s.qr_secret, \
    s.watch_hash, s.created_at, s.expires_at, s.state, s.user_id, s.approval, s.status, s.result_delivered, \
    s.details, s.match_number, s.match_choices, s.cancel_reason";

fn session_row(row: &Row) -> AppResult<SessionRow> {
    Ok(SessionRow {
        id: row.get(0)?,
        partner_id: row.get(1)?,
        partner_name: row.get(2)?,
        kind: kind(&row.get::<String>(3)?)?,
        origin: row.get(4)?,
        nonce: row.get(5)?,
        qr_secret: row.get(6)?,
        watch_hash: row.get(7)?,
        created_at: row.get(8)?,
        expires_at: row.get(9)?,
        state: parse_state(&row.get::<String>(10)?),
        user_id: row.get(11)?,
        approval: row.get(12)?,
        status: row.get(13)?,
        result_delivered: row.get(14)?,
        details: json_column(15, row.get(15)?)?,
        match_number: row.get(16)?,
        match_choices: json_column(17, row.get(17)?)?,
        cancel_reason: row.get::<Option<String>>(18)?.as_deref().map(parse_reason),
    })
}

/// Locks the user's row until the transaction ends: requests naming one user, on any
/// instance, take turns, so two new requests cannot both leave the other pending.
fn lock_user(tx: &mut dyn Db, user_id: &str) -> AppResult<()> {
    tx.query_opt(
        "SELECT id FROM users WHERE id = ?1 FOR UPDATE",
        params![user_id],
        |_| Ok(()),
    )?;
    Ok(())
}

/// One pending request per user (BankID's `alreadyInProgress`, Freja's one pending
/// authentication): every other open session of `user_id` is cancelled as superseded by
/// `newest`. Runs in the transaction that gave `newest` to the user, after [`lock_user`].
/// Returns the ids cancelled, so their widgets and the user's phones can be told.
fn supersede(tx: &mut dyn Db, newest: &str, user_id: &str, now: u64) -> AppResult<Vec<String>> {
    tx.query_map(
        "UPDATE sessions SET state = 'cancelled', cancel_reason = 'superseded'
         WHERE user_id = ?1 AND id <> ?2 AND expires_at > ?3
           AND state IN ('pending', 'push_sent', 'opened', 'awaiting_pin')
         RETURNING id",
        params![user_id, newest, now],
        |r| r.get(0),
    )
}

impl Store {
    pub fn upsert_partner(
        &self,
        id: &str,
        name: &str,
        api_key_hash: &[u8],
        origins: &[String],
    ) -> AppResult<()> {
        let origins =
            serde_json::to_string(origins).map_err(|e| AppError::Internal(e.to_string()))?;
        self.execute(
            "INSERT INTO partners (id, name, api_key_hash, origins) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET name = ?2, api_key_hash = ?3, origins = ?4",
            params![id, name, api_key_hash, origins],
        )?;
        Ok(())
    }

    pub fn partner_by_key(&self, api_key_hash: &[u8]) -> AppResult<Option<PartnerRow>> {
        self.query_opt(
            "SELECT id, name, origins FROM partners WHERE api_key_hash = ?1",
            params![api_key_hash],
            |r| {
                Ok(PartnerRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    origins: json_list(r.get(2)?),
                })
            },
        )
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
        self.transaction(|tx| {
            if let Some((key, request_hash)) = idempotency {
                // The key's row is claimed first (an expired one is taken over), so two
                // instances given the same key at once make one session, not two.
                let claimed = tx.execute(
                    "INSERT INTO idempotency_keys (partner_id, key, request_hash, session_id, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (partner_id, key) DO UPDATE
                        SET request_hash = ?3, session_id = ?4, created_at = ?5
                        WHERE idempotency_keys.created_at <= ?6",
                    params![s.partner_id, key, request_hash, s.id, s.created_at, s.created_at.saturating_sub(key_lifetime)],
                )?;
                if claimed == 0 {
                    let (hash, session_id): (Vec<u8>, String) = tx.query_row(
                        "SELECT request_hash, session_id FROM idempotency_keys
                         WHERE partner_id = ?1 AND key = ?2",
                        params![s.partner_id, key],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )?;
                    if hash != request_hash {
                        return Ok(Inserted::KeyReused);
                    }
                    tx.execute(
                        "UPDATE sessions SET watch_hash = ?2 WHERE id = ?1",
                        params![session_id, s.watch_hash],
                    )?;
                    return Ok(Inserted::Earlier(session_id));
                }
            }
            tx.execute(
                "INSERT INTO sessions (id, partner_id, kind, origin, nonce, qr_secret, watch_hash, created_at, expires_at, state, details)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10)",
                params![s.id, s.partner_id, s.kind.as_str(), s.origin, s.nonce, s.qr_secret, s.watch_hash, s.created_at, s.expires_at, details],
            )?;
            Ok(Inserted::New)
        })
    }

    pub fn session(&self, id: &str) -> AppResult<Option<SessionRow>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN partners p ON p.id = s.partner_id WHERE s.id = ?1"
        );
        self.query_opt(&sql, params![id], session_row)
    }

    /// Pushed requests waiting for this user's answer.
    pub fn pushed_sessions(&self, user_id: &str, now: u64) -> AppResult<Vec<SessionRow>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN partners p ON p.id = s.partner_id
             WHERE s.user_id = ?1 AND s.state = 'push_sent' AND s.expires_at > ?2 ORDER BY s.created_at"
        );
        self.query_map(&sql, params![user_id, now], session_row)
    }

    pub fn pushes_since(&self, user_id: &str, since: u64) -> AppResult<u32> {
        self.query_row(
            "SELECT COUNT(*) FROM sessions WHERE user_id = ?1 AND pushed_at >= ?2",
            params![user_id, since],
            |r| r.get(0),
        )
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
        let from = quoted(from.iter().map(|s| s.as_str()));
        let changed = self.execute(
            &format!(
                "UPDATE sessions SET state = ?2, cancel_reason = ?3
                 WHERE id = ?1 AND state IN ({from}) AND expires_at > ?4"
            ),
            params![id, to.as_str(), reason.map(CancelReason::as_str), now],
        )?;
        Ok(changed == 1)
    }

    /// Pushes the session to `user_id`, who must pick `number` among `choices` on the
    /// phone. A second push (the person pressed the button again) draws a new number.
    /// `None` if the session could not be pushed; else the user's other open sessions,
    /// which this one superseded (see [`supersede`]).
    pub fn push(
        &self,
        id: &str,
        user_id: &str,
        number: u8,
        choices: &[u8],
        now: u64,
    ) -> AppResult<Option<Vec<String>>> {
        let choices = to_json(&choices)?;
        self.transaction(|tx| {
            lock_user(tx, user_id)?;
            let changed = tx.execute(
                "UPDATE sessions SET state = 'push_sent', user_id = ?2, pushed_at = ?5,
                    match_number = ?3, match_choices = ?4
                 WHERE id = ?1 AND state IN ('pending', 'push_sent') AND expires_at > ?5
                   AND (user_id IS NULL OR user_id = ?2)",
                params![id, user_id, number, choices, now],
            )?;
            if changed != 1 {
                return Ok(None);
            }
            supersede(tx, id, user_id, now).map(Some)
        })
    }

    /// A device of `user_id` scanned the QR: being in front of the screen is the proof a
    /// number would give, so no number is asked and the session awaits the PIN. The scan
    /// names the user, so the user's other open sessions are superseded as by a push.
    /// `None` if the session could not be opened.
    pub fn open_scanned(
        &self,
        id: &str,
        user_id: &str,
        device_id: &str,
        now: u64,
    ) -> AppResult<Option<Vec<String>>> {
        self.transaction(|tx| {
            lock_user(tx, user_id)?;
            let changed = tx.execute(
                "UPDATE sessions SET state = 'awaiting_pin', user_id = ?2, device_id = ?3,
                    match_number = NULL, match_choices = NULL
                 WHERE id = ?1 AND state IN ('pending', 'push_sent', 'opened', 'awaiting_pin')
                   AND expires_at > ?4 AND (user_id IS NULL OR user_id = ?2)",
                params![id, user_id, device_id, now],
            )?;
            if changed != 1 {
                return Ok(None);
            }
            supersede(tx, id, user_id, now).map(Some)
        })
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
        let state: Option<String> = self.query_opt(
            "UPDATE sessions SET device_id = ?3,
                state = CASE WHEN match_number IS NULL THEN 'awaiting_pin' ELSE 'opened' END
             WHERE id = ?1 AND user_id = ?2 AND state IN ('push_sent', 'opened', 'awaiting_pin')
               AND expires_at > ?4
             RETURNING state",
            params![id, user_id, device_id, now],
            |r| r.get(0),
        )?;
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
        self.transaction(|tx| {
            // Locked until the answer is written: two picks at once get one answer each
            // in turn, and the second finds the session no longer waiting.
            let wanted: Option<Option<u8>> = tx.query_opt(
                "SELECT match_number FROM sessions
                 WHERE id = ?1 AND user_id = ?2 AND state = 'opened' AND expires_at > ?3 FOR UPDATE",
                params![id, user_id, now],
                |r| r.get(0),
            )?;
            let Some(Some(wanted)) = wanted else {
                return Ok(Matched::NotOpen);
            };
            Ok(if wanted == number {
                tx.execute(
                    "UPDATE sessions SET state = 'awaiting_pin', match_number = NULL, match_choices = NULL WHERE id = ?1",
                    params![id],
                )?;
                Matched::Right
            } else {
                tx.execute(
                    "UPDATE sessions SET state = 'cancelled', cancel_reason = 'wrong_number' WHERE id = ?1",
                    params![id],
                )?;
                Matched::Wrong
            })
        })
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
        self.transaction(|tx| {
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
            Ok(changed == 1)
        })
    }

    /// The fraud reports on a partner's sessions, newest first.
    pub fn fraud_reports(&self, partner_id: &str) -> AppResult<Vec<FraudReport>> {
        self.query_map(
            "SELECT f.session_id, s.user_id, f.device_id, s.kind, s.origin, f.reported_at
             FROM fraud_reports f JOIN sessions s ON s.id = f.session_id
             WHERE s.partner_id = ?1 ORDER BY f.reported_at DESC, f.session_id LIMIT 500",
            params![partner_id],
            |r| {
                Ok(FraudReport {
                    session_id: r.get(0)?,
                    user_id: r.get(1)?,
                    device_id: r.get(2)?,
                    kind: kind(&r.get::<String>(3)?)?,
                    origin: r.get(4)?,
                    reported_at: r.get(5)?,
                })
            },
        )
    }

    pub fn complete_session(
        &self,
        id: &str,
        device_id: &str,
        approval: &str,
        status: &str,
        now: u64,
    ) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE sessions SET state = 'approved', device_id = ?2, approval = ?3, status = ?4
             WHERE id = ?1 AND state = 'awaiting_pin' AND match_number IS NULL AND expires_at > ?5",
            params![id, device_id, approval, status, now],
        )?;
        Ok(changed == 1)
    }

    /// Marks an approved result as delivered to the partner; false if it already was.
    pub fn mark_delivered(&self, id: &str) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE sessions SET result_delivered = 1 WHERE id = ?1 AND result_delivered = 0",
            params![id],
        )?;
        Ok(changed == 1)
    }
}
