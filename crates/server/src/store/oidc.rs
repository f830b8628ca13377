//! The OpenID Provider's records: registered clients, their authorization requests (one
//! row per code-flow or CIBA request, tied to the session the phone approves), the client
//! assertions already used (`private_key_jwt`), and the ID-token signing keys (rows of `ca_keys` named `oidc-id-token:<generation>`).
use super::{
    db::{Store, json_list, to_json},
    sql::{Row, params},
};
use crate::error::AppResult;

/// A registered client. Its secret is 256 random bits, so its SHA-256 is enough (as for
/// partners' API keys); a client with a JWKS authenticates with `private_key_jwt`.
pub struct OidcClientRow {
    pub id: String,
    pub name: String,
    pub secret_hash: Option<Vec<u8>>,
    pub jwks: Option<String>,
    /// Compared exactly, character for character.
    pub redirect_uris: Vec<String>,
    /// The partner whose sessions the client's requests open.
    pub partner_id: String,
    /// The origin a CIBA request's approval is bound to (the partner's site).
    pub origin: String,
    /// Set for CIBA ping mode: where Tessera says a request is answered.
    pub notification_endpoint: Option<String>,
}

/// One authorization request: `code` (the browser's code flow) or `ciba`.
pub struct OidcRequestRow {
    pub id: String,
    pub flow: String,
    pub client_id: String,
    pub session_id: String,
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub login_hint: Option<String>,
    pub binding_message: Option<String>,
    pub notification_token: Option<String>,
    pub expires_at: u64,
    pub code_expires_at: Option<u64>,
    pub polled_at: Option<u64>,
    pub poll_interval: u64,
    pub redeemed: bool,
}

const REQUEST_COLUMNS: &str = "id, flow, client_id, session_id, redirect_uri, state, nonce, \
    code_challenge, login_hint, binding_message, notification_token, expires_at, \
    code_expires_at, polled_at, poll_interval, redeemed";

fn request_row(r: &Row) -> AppResult<OidcRequestRow> {
    Ok(OidcRequestRow {
        id: r.get(0)?,
        flow: r.get(1)?,
        client_id: r.get(2)?,
        session_id: r.get(3)?,
        redirect_uri: r.get(4)?,
        state: r.get(5)?,
        nonce: r.get(6)?,
        code_challenge: r.get(7)?,
        login_hint: r.get(8)?,
        binding_message: r.get(9)?,
        notification_token: r.get(10)?,
        expires_at: r.get(11)?,
        code_expires_at: r.get(12)?,
        polled_at: r.get(13)?,
        poll_interval: r.get(14)?,
        redeemed: r.get(15)?,
    })
}

/// The prefix of the ID-token keys' names in `ca_keys`.
const KEY_PREFIX: &str = "oidc-id-token:";

impl Store {
    /// Registers a client, or replaces the one with the same id.
    pub fn upsert_oidc_client(&self, client: &OidcClientRow, now: u64) -> AppResult<()> {
        self.execute(
            "INSERT INTO oidc_clients (id, name, secret_hash, jwks, redirect_uris, partner_id,
                origin, notification_endpoint, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(id) DO UPDATE SET name = ?2, secret_hash = ?3, jwks = ?4,
                redirect_uris = ?5, partner_id = ?6, origin = ?7, notification_endpoint = ?8",
            params![
                client.id,
                client.name,
                client.secret_hash,
                client.jwks,
                to_json(&client.redirect_uris)?,
                client.partner_id,
                client.origin,
                client.notification_endpoint,
                now
            ],
        )?;
        Ok(())
    }

    pub fn oidc_client(&self, id: &str) -> AppResult<Option<OidcClientRow>> {
        self.query_opt(
            "SELECT id, name, secret_hash, jwks, redirect_uris, partner_id, origin,
                notification_endpoint FROM oidc_clients WHERE id = ?1",
            params![id],
            |r| {
                Ok(OidcClientRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    secret_hash: r.get(2)?,
                    jwks: r.get(3)?,
                    redirect_uris: json_list(r.get(4)?),
                    partner_id: r.get(5)?,
                    origin: r.get(6)?,
                    notification_endpoint: r.get(7)?,
                })
            },
        )
    }

    pub fn insert_oidc_request(&self, request: &OidcRequestRow) -> AppResult<()> {
        self.execute(
            &format!(
                "INSERT INTO oidc_requests ({REQUEST_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
            ),
            params![
                request.id,
                request.flow,
                request.client_id,
                request.session_id,
                request.redirect_uri,
                request.state,
                request.nonce,
                request.code_challenge,
                request.login_hint,
                request.binding_message,
                request.notification_token,
                request.expires_at,
                request.code_expires_at,
                request.polled_at,
                request.poll_interval,
                request.redeemed
            ],
        )?;
        Ok(())
    }

    pub fn oidc_request(&self, id: &str) -> AppResult<Option<OidcRequestRow>> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM oidc_requests WHERE id = ?1");
        self.query_opt(&sql, params![id], request_row)
    }

    pub fn oidc_request_by_code(&self, code_hash: &[u8]) -> AppResult<Option<OidcRequestRow>> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM oidc_requests WHERE code_hash = ?1");
        self.query_opt(&sql, params![code_hash], request_row)
    }

    /// Gives the request its authorization code; only once.
    pub fn set_oidc_code(&self, id: &str, code_hash: &[u8], expires_at: u64) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE oidc_requests SET code_hash = ?2, code_expires_at = ?3
             WHERE id = ?1 AND code_hash IS NULL",
            params![id, code_hash, expires_at],
        )?;
        Ok(changed == 1)
    }

    /// Marks the request's grant used and stores the access token issued for `subject`.
    /// False if it was used before: the caller refuses, and revokes what was issued.
    pub fn redeem_oidc_request(
        &self,
        id: &str,
        access_hash: &[u8],
        access_expires_at: u64,
        subject: &str,
    ) -> AppResult<bool> {
        let changed = self.execute(
            "UPDATE oidc_requests SET redeemed = 1, access_hash = ?2, access_expires_at = ?3,
                subject = ?4
             WHERE id = ?1 AND redeemed = 0",
            params![id, access_hash, access_expires_at, subject],
        )?;
        Ok(changed == 1)
    }

    /// Revokes the access token issued for the request (a reused code, RFC 6749 §4.1.2).
    pub fn revoke_oidc_request(&self, id: &str) -> AppResult<()> {
        self.execute(
            "UPDATE oidc_requests SET access_hash = NULL WHERE id = ?1",
            params![id],
        )?;
        Ok(())
    }

    /// Records a CIBA poll at `now` with the interval the client must keep from now on.
    pub fn record_oidc_poll(&self, id: &str, now: u64, interval: u64) -> AppResult<()> {
        self.execute(
            "UPDATE oidc_requests SET polled_at = ?2, poll_interval = ?3 WHERE id = ?1",
            params![id, now, interval],
        )?;
        Ok(())
    }

    /// The binding message of the CIBA request behind a session, for the phone.
    pub fn binding_message(&self, session_id: &str) -> AppResult<Option<String>> {
        Ok(self
            .query_opt(
                "SELECT binding_message FROM oidc_requests WHERE session_id = ?1",
                params![session_id],
                |r| r.get::<Option<String>>(0),
            )?
            .flatten())
    }

    /// The subject of a valid access token.
    pub fn oidc_subject(&self, access_hash: &[u8], now: u64) -> AppResult<Option<String>> {
        Ok(self
            .query_opt(
                "SELECT subject FROM oidc_requests WHERE access_hash = ?1 AND access_expires_at > ?2",
                params![access_hash, now],
                |r| r.get::<Option<String>>(0),
            )?
            .flatten())
    }

    /// Records a client assertion's `jti` until `expires_at`; false if it was seen (a
    /// replay). Forgets the expired ones on the way.
    pub fn use_oidc_assertion(
        &self,
        client_id: &str,
        jti: &str,
        expires_at: u64,
        now: u64,
    ) -> AppResult<bool> {
        self.transaction(|db| {
            db.execute(
                "DELETE FROM oidc_assertions WHERE expires_at < ?1",
                params![now],
            )?;
            let added = db.execute(
                "INSERT INTO oidc_assertions (client_id, jti, expires_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
                params![client_id, jti, expires_at],
            )?;
            Ok(added == 1)
        })
    }

    /// The ID-token signing keys: `(generation, secret)`, oldest first.
    pub fn id_token_keys(&self) -> AppResult<Vec<(u32, Vec<u8>)>> {
        let rows = self.query_map(
            "SELECT name, secret FROM ca_keys WHERE name LIKE ?1",
            params![format!("{KEY_PREFIX}%")],
            |r| Ok((r.get::<String>(0)?, r.get::<Vec<u8>>(1)?)),
        )?;
        let mut keys = Vec::new();
        for (name, secret) in rows {
            if let Some(generation) = name
                .strip_prefix(KEY_PREFIX)
                .and_then(|g| g.parse::<u32>().ok())
            {
                keys.push((generation, secret));
            }
        }
        keys.sort_by_key(|(generation, _)| *generation);
        Ok(keys)
    }

    /// ID-token key generation 1: `secret`, unless another process stored one first;
    /// the one that is stored.
    pub fn first_id_token_key_or_insert(&self, secret: &[u8]) -> AppResult<Vec<u8>> {
        self.ca_key_or_insert(&format!("{KEY_PREFIX}1"), secret)
    }

    /// Adds ID-token key `generation`; fails if another process added it first.
    pub fn insert_id_token_key(&self, generation: u32, secret: &[u8]) -> AppResult<()> {
        self.insert_ca_key(&format!("{KEY_PREFIX}{generation}"), secret, None)
    }
}
