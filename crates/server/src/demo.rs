//! Demo data: two users who "ordered" Tessera (user ID by SMS, activation code chosen at
//! ordering), and the Demo Bank registered as a partner. Only with `serve --demo`.
use tessera_protocol::{normalize_answer, sha256};

use crate::{
    bank::{PARTNER_ID, PARTNER_NAME},
    error::AppResult,
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

/// Seeds what is missing; returns the Demo Bank's API key and pinned root key.
pub async fn seed(app: &AppState, bank_origin: &str) -> AppResult<(String, String)> {
    for user in &DEMO_USERS {
        if app.store.user(user.id)?.is_none() {
            let (password, code) = (user.password, user.activation_code);
            let (password_hash, code_hash) = blocking(move || {
                Ok::<_, crate::error::AppError>((hash_secret(password)?, hash_secret(code)?))
            })
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
    let api_key = match app.store.setting("demo_bank_api_key")? {
        Some(key) => key,
        None => {
            let (key, _) = random_token();
            app.store.set_setting("demo_bank_api_key", &key)?;
            key
        }
    };
    app.store.upsert_partner(
        PARTNER_ID,
        PARTNER_NAME,
        &sha256(api_key.as_bytes()),
        &[bank_origin.to_string()],
    )?;
    // The bank pins the root once, as a partner does at onboarding; later key changes on
    // the server must not silently change what the bank trusts.
    let pinned_root = match app.store.setting("demo_bank_pinned_root")? {
        Some(root) => root,
        None => {
            let root = app.ca.root_b64();
            app.store.set_setting("demo_bank_pinned_root", &root)?;
            root
        }
    };
    Ok((api_key, pinned_root))
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
        partner_id: PARTNER_ID.into(),
        origin: bank_origin.into(),
        notification_endpoint: None,
        jwks: None,
    };
    let secret = crate::oidc::clients::register(&app.store, client, crate::clock::now())?
        .ok_or_else(|| crate::error::AppError::Internal("a client without a secret".into()))?;
    app.store.set_setting("demo_oidc_client_secret", &secret)?;
    Ok((id.into(), secret))
}
