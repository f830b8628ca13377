//! The OpenID Provider in-process: discovery, the code flow with PKCE up to a verified ID
//! token, CIBA poll, and every refusal the specs name (RFC 6749 §4.1.2.1 and §5.2,
//! RFC 7636, CIBA §11 and §13). A real client library (authlib) and a real browser go
//! through the same in `tests/e2e/oidc.rs`.
mod ciba;
mod code;
#[path = "../common/mod.rs"]
mod common;

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tessera_protocol::{
    Decision, SignedApproval, api::DeviceRequest, b64_encode, sha256, verify_approval,
};
use tessera_server::oidc::{
    clients::{NewClient, register},
    keys,
};
use tower::ServiceExt;

pub(crate) const REDIRECT: &str = "https://rp.example/callback";
pub(crate) const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub(crate) const ISSUER: &str = "http://127.0.0.1:1";

/// `POST /oidc/authorize/complete`, as the sign-in page calls it once its widget verified
/// the approval (or saw the session end).
pub(crate) async fn complete_sign_in(h: &Harness, request_id: &str) -> Reply {
    h.call(
        Method::POST,
        "/oidc/authorize/complete",
        None,
        None,
        Some(json!({ "request": request_id })),
    )
    .await
}

pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) text: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

pub(crate) async fn send(h: &Harness, request: Request<Body>) -> Answer {
    let response = h.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        location,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub(crate) fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", tessera_server::oidc::authorize::escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A form POST, authenticated with `client_secret_basic` when `client` is given.
pub(crate) async fn post_form(
    h: &Harness,
    uri: &str,
    client: Option<(&str, &str)>,
    pairs: &[(&str, &str)],
) -> Answer {
    let mut request =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some((id, secret)) = client {
        let basic = b64_encode(format!("{id}:{secret}").as_bytes());
        // base64url without padding → standard base64 with padding, as clients send it.
        let mut standard = basic.replace('-', "+").replace('_', "/");
        while !standard.len().is_multiple_of(4) {
            standard.push('=');
        }
        request = request.header(header::AUTHORIZATION, format!("Basic {standard}"));
    }
    send(h, request.body(Body::from(form_body(pairs))).unwrap()).await
}

pub(crate) async fn get(h: &Harness, uri: &str) -> Answer {
    send(h, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// Registers the test client of the Demo Bank; returns its secret.
pub(crate) fn client(h: &Harness) -> String {
    let new = NewClient {
        id: "rp".into(),
        name: "Test RP".into(),
        redirect_uris: vec![REDIRECT.into()],
        partner_id: "demo-bank".into(),
        origin: ORIGIN.into(),
        notification_endpoint: None,
        jwks: None,
    };
    register(&h.state.store, new, tessera_server::now())
        .unwrap()
        .unwrap()
}

pub(crate) fn authorize_uri(extra: &[(&str, &str)]) -> String {
    let challenge = b64_encode(&sha256(VERIFIER.as_bytes()));
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", "rp"),
        ("redirect_uri", REDIRECT),
        ("scope", "openid"),
        ("state", "st-1"),
        ("nonce", "n-1"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    for (name, value) in extra {
        pairs.retain(|(n, _)| n != name);
        if !value.is_empty() {
            pairs.push((name, value));
        }
    }
    format!("/oidc/authorize?{}", form_body(&pairs))
}

/// The value of `name` in a URL's query.
pub(crate) fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| {
            let mut out = Vec::new();
            let bytes = v.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        })
    })
}

/// An attribute of the sign-in page's widget element, unescaped.
pub(crate) fn page_attribute(html: &str, name: &str) -> String {
    let start = html.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
    let end = start + html[start..].find('"').unwrap();
    html[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Alice signs in through the code flow; returns the code and the session's config.
pub(crate) async fn alice_gets_a_code(h: &Harness) -> (String, Phone) {
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let page = get(h, &authorize_uri(&[])).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let config: Value = serde_json::from_str(&page_attribute(&page.text, "data-config")).unwrap();
    let request_id = page_attribute(&page.text, "data-request");
    assert_eq!(config["server"], ISSUER);
    let session = serde_json::from_value(config["session"].clone()).unwrap();
    let request = device_request(h.scan(&phone, &session).await);
    assert_eq!(request.origin, ISSUER, "the phone sees Tessera's own page");
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let done = complete_sign_in(h, &request_id).await;
    let redirect = done.body["redirect"].as_str().unwrap().to_string();
    assert!(redirect.starts_with(&format!("{REDIRECT}?")), "{redirect}");
    assert_eq!(query_param(&redirect, "state").as_deref(), Some("st-1"));
    assert_eq!(query_param(&redirect, "iss").as_deref(), Some(ISSUER));
    (query_param(&redirect, "code").expect("a code"), phone)
}

pub(crate) fn exchange<'a>(code: &'a str, verifier: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier),
    ]
}

#[tokio::test]
async fn discovery_names_the_endpoints_es256_s256_and_ciba() {
    let h = harness().await;
    let d = get(&h, "/.well-known/openid-configuration").await.json();
    assert_eq!(d["issuer"], ISSUER);
    assert_eq!(d["token_endpoint"], format!("{ISSUER}/oidc/token"));
    assert_eq!(d["jwks_uri"], format!("{ISSUER}/.well-known/jwks.json"));
    assert_eq!(d["id_token_signing_alg_values_supported"], json!(["ES256"]));
    assert_eq!(d["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(
        d["backchannel_token_delivery_modes_supported"],
        json!(["poll", "ping"])
    );
    assert!(
        d["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("urn:openid:params:grant-type:ciba"))
    );

    let jwks = get(&h, "/.well-known/jwks.json").await.json();
    let id_keys: Vec<&Value> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["tessera_role"] == "id_token")
        .collect();
    assert_eq!(id_keys.len(), 1);
    keys::rotate(&h.state.store).unwrap();
    let jwks = get(&h, "/.well-known/jwks.json").await.json();
    let kids: Vec<&Value> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["tessera_role"] == "id_token")
        .map(|k| &k["kid"])
        .collect();
    assert_eq!(kids.len(), 2, "the previous key stays published");
    assert_eq!(kids[1], &id_keys[0]["kid"], "newest first");
}
