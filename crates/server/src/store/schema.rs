//! The schema, as a list of migrations applied in order.

/// Schema versions, applied in order; `PRAGMA user_version` remembers how far we got.
pub(super) const MIGRATIONS: &[&str] = &[
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
    // Web Push (issue 16): each device's browser subscription.
    r#"
CREATE TABLE push_subscriptions (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
"#,
    // OpenID Provider (issue 18): registered clients and their authorization requests
    // (code flow and CIBA), one row per request.
    r#"
CREATE TABLE oidc_clients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_hash BLOB,
    jwks TEXT,
    redirect_uris TEXT NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    origin TEXT NOT NULL,
    notification_endpoint TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE oidc_requests (
    id TEXT PRIMARY KEY,
    flow TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES oidc_clients(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    redirect_uri TEXT,
    state TEXT,
    nonce TEXT,
    code_challenge TEXT,
    login_hint TEXT,
    binding_message TEXT,
    notification_token TEXT,
    expires_at INTEGER NOT NULL,
    code_hash BLOB UNIQUE,
    code_expires_at INTEGER,
    polled_at INTEGER,
    poll_interval INTEGER NOT NULL DEFAULT 5,
    redeemed INTEGER NOT NULL DEFAULT 0,
    access_hash BLOB UNIQUE,
    access_expires_at INTEGER,
    subject TEXT
);
CREATE INDEX oidc_requests_by_session ON oidc_requests(session_id);
CREATE TABLE oidc_assertions (
    client_id TEXT NOT NULL REFERENCES oidc_clients(id),
    jti TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, jti)
);
"#,
    // Issue 17: the short code typed into the companion instead of scanning (its
    // SHA-256, one live per session, a bounded number per session), the wrong codes
    // counted against guessing, and a session's extensions ("more time"); each device's
    // offline OCRA key (derived from its HMAC key and the PIN), its wrong offline codes,
    // and a session's wrong offline codes and the server's signed offline result.
    r#"
ALTER TABLE sessions ADD COLUMN short_code_hash BLOB;
ALTER TABLE sessions ADD COLUMN short_codes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX sessions_by_short_code ON sessions(short_code_hash);
CREATE TABLE wrong_short_codes (
    device_id TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX wrong_short_codes_by_time ON wrong_short_codes(at);
CREATE TABLE offline_keys (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    ocra_key BLOB NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
ALTER TABLE sessions ADD COLUMN offline_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN offline_result TEXT;
"#,
    // Issue 17: the roots after the first (announced before they are activated), and
    // the links that let a user suspend a device added to the account ("Not you?").
    r#"
CREATE TABLE roots (
    generation INTEGER PRIMARY KEY,
    secret BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    activated_at INTEGER
);
CREATE TABLE device_notices (
    id TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    lang TEXT NOT NULL,
    used_at INTEGER
);
"#,
];
