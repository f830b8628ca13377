//! The authorization endpoint of the code flow (RFC 6749 §4.1, PKCE RFC 7636 with S256
//! only): `GET /oidc/authorize` checks the client and its exact redirect URI, opens a login
//! session and shows the Tessera widget (QR or push, the approval verified in wasm as on
//! any partner page); when the widget is done, the page asks `POST
//! /oidc/authorize/complete`, which looks at the session itself (never at what the page
//! says), verifies the approval again, and answers where to send the browser: the client's
//! redirect URI with a single-use code, or with the error.
//!
//! Until the redirect URI is known to be registered for the client, errors are shown
//! here and never redirected (RFC 6749 §4.1.2.1), so this endpoint cannot be made an open
//! redirector.
use axum::{
    Json,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use maud::{PreEscaped, html};
use serde::Deserialize;
use serde_json::{Value, json};
use tessera_protocol::{Kind, api::SessionState, api::WidgetConfig, verifying_key_to_b64};

use super::{
    clients::Params,
    session::{open_session, verify_session},
};
use crate::{
    clock::now,
    error::{AppError, AppResult, JsonBody},
    pages::page,
    secrets::{random_id, random_token},
    state::AppState,
    store::OidcRequestRow,
};

/// How long a code may wait for the token request.
pub const CODE_LIFETIME_SECS: u64 = 60;
/// The longest `state` or `nonce` taken (ASP.NET Core's `state` alone is a data-protected
/// blob of several hundred characters).
const MAX_PARAM_CHARS: usize = 2048;

/// `application/x-www-form-urlencoded` escaping of one value (RFC 3986 unreserved kept).
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `uri` with `params` added to its query.
fn with_query(uri: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", escape(value)))
        .collect();
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", query.join("&"))
}

/// A page that tells the user what went wrong, for errors that may not be redirected.
fn error_page(message: &str) -> Response {
    let body = html! {
        section {
            p.notice.error role="alert" { (message) }
            p.muted { "Go back to the site you came from and try again." }
        }
    };
    crate::pages::secured((
        StatusCode::BAD_REQUEST,
        page("Tessera sign-in", html! {}, body),
    ))
}

/// Where an error goes once the redirect URI is known: back to the client.
fn redirect_error(
    redirect_uri: &str,
    state: Option<&str>,
    issuer: &str,
    error: &str,
    why: &str,
) -> Response {
    let mut params = vec![
        ("error", error),
        ("error_description", why),
        ("iss", issuer),
    ];
    if let Some(state) = state {
        params.push(("state", state));
    }
    let location = with_query(redirect_uri, &params);
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// `GET /oidc/authorize`.
pub(crate) async fn authorize_page(
    State(app): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let params = match Params::new(pairs) {
        Ok(params) => params,
        Err(_) => return error_page("The sign-in request repeats a parameter."),
    };
    let client = match params.get("client_id").map(|id| app.store.oidc_client(id)) {
        Some(Ok(Some(client))) => client,
        Some(Err(error)) => return error.into_response(),
        _ => return error_page("The site that sent you here is not registered with Tessera."),
    };
    let redirect_uri = match params.get("redirect_uri") {
        Some(uri) if client.redirect_uris.iter().any(|r| r == uri) => uri.to_owned(),
        _ => {
            return error_page(
                "The site asked to send you back to an address it did not register.",
            );
        }
    };
    let issuer = app.config.public_url.clone();
    let state = params.get("state");
    let refuse = |error: &str, why: &str| redirect_error(&redirect_uri, state, &issuer, error, why);
    if params.get("response_type") != Some("code") {
        return refuse(
            "unsupported_response_type",
            "only response_type=code is supported",
        );
    }
    if !params
        .get("scope")
        .is_some_and(|scope| scope.split(' ').any(|s| s == "openid"))
    {
        return refuse("invalid_scope", "the scope must include openid");
    }
    // Only query: a client that expects form_post (ASP.NET Core's default) hears so.
    if params
        .get("response_mode")
        .is_some_and(|mode| mode != "query")
    {
        return refuse("invalid_request", "only response_mode=query is supported");
    }
    if params.get("request").is_some() {
        return refuse("request_not_supported", "request objects are not supported");
    }
    if params.get("request_uri").is_some() {
        return refuse("request_uri_not_supported", "request_uri is not supported");
    }
    if params
        .get("prompt")
        .is_some_and(|p| p.split(' ').any(|p| p == "none"))
    {
        return refuse("login_required", "every sign-in needs the user's phone");
    }
    if params.get("code_challenge_method") != Some("S256") {
        return refuse(
            "invalid_request",
            "PKCE with code_challenge_method=S256 is required",
        );
    }
    let challenge = params.get("code_challenge").unwrap_or_default();
    if challenge.len() != 43 || tessera_protocol::b64_decode(challenge).is_none() {
        return refuse(
            "invalid_request",
            "code_challenge must be a base64url SHA-256",
        );
    }
    let (nonce, too_long) = (
        params.get("nonce"),
        [state, params.get("nonce")]
            .iter()
            .flatten()
            .any(|v| v.chars().count() > MAX_PARAM_CHARS),
    );
    if too_long {
        return refuse(
            "invalid_request",
            "state and nonce are at most 2048 characters",
        );
    }
    let opened = open_session(
        &app,
        &client.partner_id,
        Kind::Login,
        &issuer,
        None,
        app.config.session_ttl_secs,
    );
    let created = match opened {
        Ok(created) => created,
        Err(error) => return error.into_response(),
    };
    let request = OidcRequestRow {
        id: random_id(),
        flow: "code".into(),
        client_id: client.id.clone(),
        session_id: created.session_id.clone(),
        redirect_uri: Some(redirect_uri.clone()),
        state: state.map(str::to_owned),
        nonce: nonce.map(str::to_owned),
        code_challenge: Some(challenge.to_owned()),
        login_hint: None,
        binding_message: None,
        notification_token: None,
        expires_at: created.expires_at,
        code_expires_at: None,
        polled_at: None,
        poll_interval: 0,
        redeemed: false,
    };
    if let Err(error) = app.store.insert_oidc_request(&request) {
        return error.into_response();
    }
    // The sign-in page is Tessera's own: it pins every root this server lists.
    let roots = match app.ca.pinned(&app.store) {
        Ok(roots) => roots,
        Err(error) => return error.into_response(),
    };
    let mut root_keys = roots.iter().map(verifying_key_to_b64);
    let config = WidgetConfig {
        server: issuer.clone(),
        session: created,
        kind: Kind::Login,
        root_key: root_keys.next().unwrap_or_default(),
        root_keys: root_keys.collect(),
        details: None,
    };
    widget_page(&app, &client.name, &request.id, &config)
}

/// The page with the widget: the tags `scripts/dist.sh` wrote (SRI hashes included) and
/// our own small module script, which mounts it and reports back.
fn widget_page(
    app: &AppState,
    client_name: &str,
    request_id: &str,
    config: &WidgetConfig,
) -> Response {
    let tags_file = app.config.widget_web_dir.join("tessera-tags.html");
    let Ok(tags) = std::fs::read_to_string(&tags_file) else {
        tracing::error!(
            "{} is missing: build it with scripts/dist.sh",
            tags_file.display()
        );
        return AppError::Internal("the widget is not installed".into()).into_response();
    };
    let Ok(config) = serde_json::to_string(config) else {
        return AppError::Internal("the widget configuration".into()).into_response();
    };
    let body = html! {
        section {
            h1 { "Sign in to " (client_name) " with Tessera" }
            div #oidc-widget data-config=(config) data-request=(request_id) {}
            p #oidc-status role="status" aria-live="polite" {}
        }
        (PreEscaped(tags))
        script type="module" src="/oidc/authorize.js" {}
    };
    let mut response = page("Tessera sign-in", html! {}, body).into_response();
    let policy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                  img-src 'self' data:; connect-src 'self'; form-action 'none'; \
                  base-uri 'none'; frame-ancestors 'none'";
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, policy),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    response
}

/// The page's script: mounts the widget, and whatever the widget's outcome, asks the
/// server where to go next. The server decides from the session, not from this script.
const SCRIPT: &str = r#"// Tessera's sign-in page (OpenID code flow).
const element = document.getElementById("oidc-widget");
const status = document.getElementById("oidc-status");
async function finish() {
  const response = await fetch("/oidc/authorize/complete", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ request: element.dataset.request }),
  });
  const answer = await response.json().catch(() => ({}));
  if (answer.redirect) {
    status.textContent = "Returning to the site…";
    window.location.assign(answer.redirect);
  } else {
    status.textContent = answer.message || "Something went wrong; go back and try again.";
  }
}
window.Tessera.mount(element, {
  config: JSON.parse(element.dataset.config),
  onResult: finish,
  onError: finish,
});
"#;

pub(crate) async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}

#[derive(Deserialize)]
pub(crate) struct Complete {
    request: String,
}

/// `POST /oidc/authorize/complete`: where the browser goes now.
pub(crate) async fn authorize_complete(
    State(app): State<AppState>,
    JsonBody(complete): JsonBody<Complete>,
) -> AppResult<Json<Value>> {
    let request = app
        .store
        .oidc_request(&complete.request)?
        .filter(|r| r.flow == "code")
        .ok_or_else(|| AppError::not_found("sign-in request"))?;
    let session = app
        .store
        .session(&request.session_id)?
        .ok_or_else(|| AppError::Internal("a sign-in request without its session".into()))?;
    let redirect_uri = request
        .redirect_uri
        .clone()
        .ok_or_else(|| AppError::Internal("a code request without a redirect URI".into()))?;
    let issuer = app.config.public_url.as_str();
    let now = now();
    let mut params = vec![("iss", issuer)];
    if let Some(state) = &request.state {
        params.push(("state", state));
    }
    let code;
    match session.state_at(now) {
        SessionState::Approved => {
            // The approval must verify now, as the client's own check would.
            verify_session(&app, &session, None, now)?;
            let (new_code, code_hash) = random_token();
            if !app
                .store
                .set_oidc_code(&request.id, &code_hash, now + CODE_LIFETIME_SECS)?
            {
                return Err(AppError::client(
                    StatusCode::CONFLICT,
                    "already_completed",
                    "this sign-in already went back to the site",
                ));
            }
            code = new_code;
            params.push(("code", &code));
        }
        SessionState::Denied | SessionState::Cancelled => {
            params.push(("error", "access_denied"));
            params.push(("error_description", "the user did not approve"));
        }
        SessionState::Expired => {
            params.push(("error", "access_denied"));
            params.push(("error_description", "the sign-in expired"));
        }
        _ => {
            return Err(AppError::client(
                StatusCode::CONFLICT,
                "authorization_pending",
                "the user has not answered yet",
            ));
        }
    }
    Ok(Json(
        json!({ "redirect": with_query(&redirect_uri, &params) }),
    ))
}

#[cfg(test)]
mod tests {
    use super::{super::session::pkce_matches, escape, with_query};

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(&verifier.replace('d', "e"), challenge));
        assert!(!pkce_matches("short", challenge));
    }

    #[test]
    fn redirect_parameters_are_escaped() {
        assert_eq!(escape("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            with_query(
                "https://rp.example/cb?x=1",
                &[("code", "a+b"), ("state", "s")]
            ),
            "https://rp.example/cb?x=1&code=a%2Bb&state=s"
        );
    }
}
