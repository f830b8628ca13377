//! Client-Initiated Backchannel Authentication (CIBA Core 1.0): the client names the user
//! (`login_hint`, the Tessera user ID), Tessera pushes the request to the user's phones,
//! and the client polls the token endpoint (poll mode) or is told when to (ping mode,
//! when it registered a notification endpoint). The push works as the widget's: the phone
//! asks its user to pick the number the client shows (`tessera_number` in the answer)
//! before the PIN, against push bombing.
//!
//! A payment is confirmed the same way with `authorization_details` (RFC 9396) of type
//! `tessera_transaction`: the phone shows exactly that payment and signs its digest, and
//! the ID token carries the signed approval and the details.
use std::{sync::OnceLock, time::Duration};

use axum::{
    Form, Json,
    extract::{State, rejection::FormRejection},
    http::HeaderMap,
};
use http_body_util::Full;
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use serde_json::{Value, json};
use tessera_protocol::{Details, Kind, Transaction, details_for, text_problem};

use super::{
    clients::{authenticate, form},
    session::{TRANSACTION_TYPE, open_session},
};
use crate::{
    clock::now,
    error::{AppError, AppResult},
    partner::relay::{PUSH_LIMIT, PUSH_WINDOW_SECS, number_choices},
    secrets::random_id,
    state::{AppState, Change},
    store::OidcRequestRow,
};

/// How often a client may poll, at first (CIBA §7.3: default 5 s).
const POLL_INTERVAL_SECS: u64 = 5;
/// The longest `requested_expiry` granted.
const MAX_EXPIRY_SECS: u64 = 600;
/// The longest binding message: it must fit the phone's screen next to the request.
const MAX_BINDING_CHARS: usize = 40;
/// The longest client notification token taken (CIBA §7.1 asks for at least 128 bits).
const MAX_NOTIFICATION_TOKEN: usize = 1024;

fn invalid(why: impl Into<String>) -> AppError {
    AppError::oauth("invalid_request", why)
}

/// The payment in `authorization_details`, checked as the partner API checks one.
fn transaction(text: &str) -> AppResult<Details> {
    let mut list: Vec<Value> = serde_json::from_str(text)
        .map_err(|_| AppError::oauth("invalid_authorization_details", "not a JSON array"))?;
    let (Some(mut detail), true) = (list.pop(), list.is_empty()) else {
        return Err(AppError::oauth(
            "invalid_authorization_details",
            "exactly one authorization detail is supported",
        ));
    };
    if detail.get("type").and_then(Value::as_str) != Some(TRANSACTION_TYPE) {
        return Err(AppError::oauth(
            "invalid_authorization_details",
            format!("the type must be {TRANSACTION_TYPE}"),
        ));
    }
    if let Some(object) = detail.as_object_mut() {
        object.remove("type");
    }
    let transaction: Transaction = serde_json::from_value(detail).map_err(|e| {
        AppError::oauth(
            "invalid_authorization_details",
            format!("not a transaction: {e}"),
        )
    })?;
    details_for(Kind::Confirm, Some(Details::Transaction(transaction)))
        .map_err(|problem| {
            AppError::oauth(
                "invalid_authorization_details",
                format!("{}: {problem}", problem.code()),
            )
        })?
        .ok_or_else(|| AppError::Internal("a confirmation without details".into()))
}

/// `POST /oidc/bc-authorize` (CIBA §7.1).
pub(crate) async fn bc_authorize(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> AppResult<Json<Value>> {
    let params = form(body)?;
    let client = authenticate(&app.store, &app.config.public_url, &headers, &params)?;
    if !params
        .get("scope")
        .is_some_and(|scope| scope.split(' ').any(|s| s == "openid"))
    {
        return Err(AppError::oauth(
            "invalid_scope",
            "the scope must include openid",
        ));
    }
    if params.get("request").is_some() {
        return Err(invalid("signed authentication requests are not supported"));
    }
    if params.get("login_hint_token").is_some() || params.get("id_token_hint").is_some() {
        return Err(invalid(
            "only login_hint (the Tessera user ID) is supported",
        ));
    }
    let user_id = params
        .get("login_hint")
        .ok_or_else(|| invalid("login_hint is missing"))?
        .trim()
        .to_owned();
    let binding_message = params.get("binding_message").map(str::to_owned);
    if let Some(problem) = binding_message
        .as_deref()
        .and_then(|m| text_problem(m, MAX_BINDING_CHARS))
    {
        return Err(AppError::oauth(
            "invalid_binding_message",
            format!("the binding message cannot be shown safely: {problem:?}"),
        ));
    }
    let expiry = match params.get("requested_expiry") {
        None => app.config.session_ttl_secs,
        Some(text) => match text.parse::<u64>() {
            Ok(secs) if (1..=MAX_EXPIRY_SECS).contains(&secs) => secs,
            _ => return Err(invalid("requested_expiry must be 1 to 600 seconds")),
        },
    };
    let notification_token = match (
        &client.notification_endpoint,
        params.get("client_notification_token"),
    ) {
        (Some(_), Some(token)) if token.len() <= MAX_NOTIFICATION_TOKEN => Some(token.to_owned()),
        (Some(_), _) => {
            return Err(invalid(
                "client_notification_token is missing or too long (ping mode)",
            ));
        }
        (None, _) => None,
    };
    let details = params
        .get("authorization_details")
        .map(transaction)
        .transpose()?;
    let kind = if details.is_some() {
        Kind::Confirm
    } else {
        Kind::Login
    };
    let now = now();
    if app.store.active_devices_of(&user_id)? == 0 {
        return Err(AppError::oauth(
            "unknown_user_id",
            "no active Tessera device for this login_hint",
        ));
    }
    if app
        .store
        .pushes_since(&user_id, now.saturating_sub(PUSH_WINDOW_SECS))?
        >= PUSH_LIMIT
    {
        // CIBA §13 has no "slow down" for this endpoint: the request is refused (403).
        return Err(AppError::OAuth {
            status: axum::http::StatusCode::FORBIDDEN,
            error: "access_denied",
            description: "too many requests for this user; try again later".into(),
        });
    }
    let created = open_session(
        &app,
        &client.partner_id,
        kind,
        &client.origin,
        details.as_ref(),
        expiry,
    )?;
    let (number, choices) = number_choices();
    let session_id = created.session_id;
    let Some(superseded) = app
        .store
        .push(&session_id, &user_id, number, &choices, now)?
    else {
        return Err(AppError::Internal(
            "a new session could not be pushed".into(),
        ));
    };
    app.notify_superseded(superseded);
    let request = OidcRequestRow {
        id: random_id(),
        flow: "ciba".into(),
        client_id: client.id.clone(),
        session_id: session_id.clone(),
        redirect_uri: None,
        state: None,
        nonce: None,
        code_challenge: None,
        login_hint: Some(user_id.clone()),
        binding_message: binding_message.clone(),
        notification_token: notification_token.clone(),
        expires_at: created.expires_at,
        code_expires_at: None,
        polled_at: None,
        poll_interval: POLL_INTERVAL_SECS,
        redeemed: false,
    };
    app.store.insert_oidc_request(&request)?;
    if let Some(session) = app.store.session(&session_id)? {
        app.pusher
            .notify_user(app.store.clone(), &user_id, &session);
    }
    app.notify(Change::Session(session_id.clone()));
    app.notify(Change::User(user_id));
    if let (Some(endpoint), Some(token)) = (client.notification_endpoint, notification_token) {
        tokio::spawn(ping_when_answered(
            app.clone(),
            session_id,
            request.id.clone(),
            endpoint,
            token,
        ));
    }
    let mut answer = json!({
        "auth_req_id": request.id,
        "expires_in": expiry,
        "interval": POLL_INTERVAL_SECS,
        "tessera_number": number,
    });
    if let Some(message) = binding_message {
        answer["binding_message"] = json!(message);
    }
    Ok(Json(answer))
}

type Https = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<axum::body::Bytes>>;

/// The client of the pings: https with the webpki roots, or http (loopback endpoints).
fn http() -> Option<&'static Https> {
    static CLIENT: OnceLock<Option<Https>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
            let connector = hyper_rustls::HttpsConnectorBuilder::new()
                .with_provider_and_webpki_roots(provider)
                .ok()?
                .https_or_http()
                .enable_http1()
                .build();
            Some(Client::builder(TokioExecutor::new()).build(connector))
        })
        .as_ref()
}

/// Ping mode (CIBA §10.2): once the session is over (approved, denied, cancelled or
/// expired), tells the client's notification endpoint, once, without retrying.
async fn ping_when_answered(
    app: AppState,
    session_id: String,
    auth_req_id: String,
    endpoint: String,
    token: String,
) {
    let mut watch = app.watchers.watch(Change::Session(session_id.clone()));
    loop {
        let Ok(Some(session)) = app.store.session(&session_id) else {
            return;
        };
        let now = now();
        if session.state_at(now).is_final() {
            break;
        }
        let until_expiry =
            Duration::from_millis(session.expires_at.saturating_sub(now) * 1000 + 200);
        tokio::select! {
            _ = watch.changed() => {}
            _ = tokio::time::sleep(until_expiry) => {}
        }
    }
    let body = json!({ "auth_req_id": auth_req_id }).to_string();
    let request = axum::http::Request::post(&endpoint)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Full::new(axum::body::Bytes::from(body)));
    let Ok(request) = request else {
        tracing::warn!("CIBA ping: bad notification endpoint");
        return;
    };
    let Some(client) = http() else {
        tracing::error!("CIBA ping: no TLS client");
        return;
    };
    match tokio::time::timeout(Duration::from_secs(10), client.request(request)).await {
        Ok(Ok(response)) if response.status().is_success() => {}
        Ok(Ok(response)) => tracing::warn!("CIBA ping answered {}", response.status()),
        Ok(Err(e)) => tracing::warn!("CIBA ping failed: {e}"),
        Err(_) => tracing::warn!("CIBA ping timed out"),
    }
}
