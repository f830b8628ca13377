//! Demo data: two users who "ordered" Tessera (user ID by SMS, activation code chosen at
//! ordering), a helpdesk agent, and the Demo Bank registered as a partner. Only with
//! `serve --demo`. The Demo Bank itself is its own program (`crates/demo-bank`): it gets
//! its API key and the root key it pins from two files this writes in the data folder,
//! as a partner gets them at onboarding.
use std::path::{Path, PathBuf};

use tessera_protocol::{normalize_answer, sha256};

use crate::{
    error::{AppError, AppResult},
    outbox::Channel,
    secrets::{blocking, hash_secret, random_token},
    state::AppState,
};

pub struct DemoUser {
    pub id: &'static str,
    pub password: &'static str,
    pub activation_code: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    /// `(question index, answer)`, as if chosen at activation (flow A).
    pub security_answers: [(u8, &'static str); 3],
    /// The hardware the user already owns: `token` (flow B) or `scan` (flow C).
    pub hardware: &'static str,
}

/// The Demo Bank's partner account.
pub const DEMO_BANK_PARTNER: (&str, &str) = ("demo-bank", "Demo Bank");

/// The file in the data folder that holds the Demo Bank's partner API key.
pub const DEMO_BANK_API_KEY_FILE: &str = "demo-bank-api-key";
/// The file in the data folder that holds the root key the Demo Bank pins (base64url).
pub const DEMO_BANK_ROOT_FILE: &str = "demo-bank-root-key";

/// The demo's helpdesk agent: `(agent ID, name, password)`.
pub const DEMO_AGENT: (&str, &str, &str) = ("agent", "Helpdesk Agent", "Helpdesk-Demo-1!");

pub const DEMO_USERS: [DemoUser; 2] = [
    DemoUser {
        id: "alice",
        password: "Tessera-Demo-1!",
        activation_code: "AB12C",
        phone: "+352 621 000 001",
        email: "alice@example.lu",
        security_answers: [(0, "Esch-sur-Alzette"), (1, "Rex"), (4, "Rue de la Gare")],
        hardware: "token",
    },
    DemoUser {
        id: "bob",
        password: "Tessera-Demo-2!",
        activation_code: "XY34Z",
        phone: "+352 621 000 002",
        email: "bob@example.lu",
        security_answers: [(2, "Ecole du Brill"), (5, "Renault"), (7, "Diekirch")],
        hardware: "scan",
    },
];

/// Seeds what is missing, registers the Demo Bank as a partner of `bank_origin`, and writes
/// its API key and pinned root into `data` ([`DEMO_BANK_API_KEY_FILE`],
/// [`DEMO_BANK_ROOT_FILE`]); answers the key file's path. The key file is written last, so
/// once it is there the partner account is too.
pub async fn seed(app: &AppState, bank_origin: &str, data: &Path) -> AppResult<PathBuf> {
    for user in &DEMO_USERS {
        if app.store.user(user.id)?.is_none() {
            let (password, code) = (user.password, user.activation_code);
            let (password_hash, code_hash) =
                blocking(move || Ok::<_, AppError>((hash_secret(password)?, hash_secret(code)?)))
                    .await??;
            app.store
                .insert_user(user.id, &password_hash, &code_hash, user.phone, user.email)?;
            app.outbox.send(
                Channel::Sms,
                user.phone,
                &format!(
                    "Tessera: your user ID is {}. Do not share it with anyone.",
                    user.id
                ),
            )?;
        }
        // What later versions added is seeded into older data too; nothing is overwritten.
        if app.store.security_answers(user.id)?.is_empty() {
            let answers = user.security_answers;
            let hashed = blocking(move || {
                answers
                    .iter()
                    .map(|(question, answer)| {
                        Ok((*question, hash_secret(&normalize_answer(answer))?))
                    })
                    .collect::<AppResult<Vec<_>>>()
            })
            .await??;
            app.store.set_security_answers(user.id, &hashed)?;
        }
        crate::activation::hardware::seed_device(&app.store, user.id, user.hardware)?;
    }
    let (agent_id, agent_name, agent_password) = DEMO_AGENT;
    let agent_hash = blocking(move || hash_secret(agent_password)).await??;
    app.store.upsert_agent(agent_id, agent_name, &agent_hash)?;
    let key_file = data.join(DEMO_BANK_API_KEY_FILE);
    // The same key across restarts, as a partner keeps the key it was given.
    let api_key = match std::fs::read_to_string(&key_file) {
        Ok(key) if !key.trim().is_empty() => key.trim().to_owned(),
        _ => random_token().0,
    };
    let (partner_id, partner_name) = DEMO_BANK_PARTNER;
    app.store.upsert_partner(
        partner_id,
        partner_name,
        &sha256(api_key.as_bytes()),
        &[bank_origin.to_string()],
    )?;
    // The bank pins the root once, as a partner does at onboarding; later key changes on
    // the server must not silently change what the bank trusts.
    let root_file = data.join(DEMO_BANK_ROOT_FILE);
    if !root_file.exists() {
        write_private(&root_file, &app.ca.root_b64())?;
    }
    write_private(&key_file, &api_key)?;
    Ok(key_file)
}

/// Writes `text` to `path` readable by its owner only, whole or not at all (a reader never
/// sees half a key): a temporary file next to it, then a rename.
fn write_private(path: &Path, text: &str) -> AppResult<()> {
    use std::io::Write;
    let failed = |e: std::io::Error| AppError::Internal(format!("{}: {e}", path.display()));
    let temporary = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(failed)?;
    file.write_all(format!("{text}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)
}

/// The demo's OpenID client: `(client ID, name)`, with the Demo Bank as its partner.
pub const DEMO_OIDC_CLIENT: (&str, &str) = ("demo-rp", "Demo Bank (OpenID)");
/// Where the demo client's relying party runs (docs/OIDC.md starts one there).
pub const DEMO_OIDC_REDIRECT_URI: &str = "http://127.0.0.1:8090/callback";

/// Registers the demo's OpenID client once; returns its ID and secret (kept in the
/// settings so that a restarted demo shows the same).
pub async fn seed_oidc_client(app: &AppState, bank_origin: &str) -> AppResult<(String, String)> {
    let (id, name) = DEMO_OIDC_CLIENT;
    if let (Some(secret), Some(_)) = (
        app.store.setting("demo_oidc_client_secret")?,
        app.store.oidc_client(id)?,
    ) {
        return Ok((id.into(), secret));
    }
    let client = crate::oidc::clients::NewClient {
        id: id.into(),
        name: name.into(),
        redirect_uris: vec![
            DEMO_OIDC_REDIRECT_URI.into(),
            "http://localhost:8090/callback".into(),
        ],
        partner_id: DEMO_BANK_PARTNER.0.into(),
        origin: bank_origin.into(),
        notification_endpoint: None,
        jwks: None,
    };
    let secret = crate::oidc::clients::register(&app.store, client, crate::clock::now())?
        .ok_or_else(|| crate::error::AppError::Internal("a client without a secret".into()))?;
    app.store.set_setting("demo_oidc_client_secret", &secret)?;
    Ok((id.into(), secret))
}
