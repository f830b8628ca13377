//! The code flow with PKCE: a signed ID token, and the refusals of RFC 6749 and 7636.
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tessera_protocol::{Decision, b64_encode};

use crate::{common::*, *};

#[tokio::test]
async fn code_flow_with_pkce_gives_a_signed_id_token_carrying_the_approval() {
    let h = harness().await;
    let secret = client(&h);
    let (code, _) = alice_gets_a_code(&h).await;

    let token = post_form(
        &h,
        "/oidc/token",
        Some(("rp", &secret)),
        &exchange(&code, VERIFIER),
    )
    .await;
    assert_eq!(token.status, StatusCode::OK, "{}", token.text);
    let body = token.json();
    assert_eq!(body["token_type"], "Bearer");
    let claims = keys::verify_jwt(&h.state.store, body["id_token"].as_str().unwrap())
        .unwrap()
        .expect("the ID token verifies under the published key");
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["aud"], "rp");
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["acr"], "urn:tessera:acr:device-pin");
    assert_eq!(claims["amr"], json!(["swk", "pin", "mfa"]));
    assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());

    // The evidence verifies on its own, as the relying party keeps it.
    let evidence = &claims["tessera_approval"];
    let signed = SignedApproval {
        approval: evidence["approval"].as_str().unwrap().into(),
        status: evidence["status"].as_str().unwrap().into(),
    };
    let expected = tessera_protocol::Expected {
        session_id: evidence["session_id"].as_str().unwrap(),
        nonce: evidence["nonce"].as_str().unwrap(),
        partner_id: evidence["partner_id"].as_str().unwrap(),
        origin: evidence["origin"].as_str().unwrap(),
        kind: tessera_protocol::Kind::Login,
        details_digest: None,
        user_id: Some("alice"),
    };
    let verified =
        verify_approval(&signed, &expected, h.state.ca.root(), tessera_server::now()).unwrap();
    assert_eq!(verified.user_id(), "alice");

    let access = body["access_token"].as_str().unwrap();
    let info = h
        .call(Method::GET, "/oidc/userinfo", Some(access), None, None)
        .await;
    assert_eq!(info.body["sub"], "alice");

    // The same code again: refused, and the access token it gave is revoked.
    let again = post_form(
        &h,
        "/oidc/token",
        Some(("rp", &secret)),
        &exchange(&code, VERIFIER),
    )
    .await;
    assert_eq!(
        (again.status, again.json()["error"].clone()),
        (StatusCode::BAD_REQUEST, json!("invalid_grant"))
    );
    let info = h
        .call(Method::GET, "/oidc/userinfo", Some(access), None, None)
        .await;
    assert_eq!(info.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_token_endpoint_refuses_a_wrong_verifier_a_wrong_client_and_a_wrong_redirect() {
    let h = harness().await;
    let secret = client(&h);
    let (code, _) = alice_gets_a_code(&h).await;

    let wrong_verifier = "A".repeat(43);
    let reply = post_form(
        &h,
        "/oidc/token",
        Some(("rp", &secret)),
        &exchange(&code, &wrong_verifier),
    )
    .await;
    assert_eq!(reply.json()["error"], "invalid_grant", "{}", reply.text);

    let reply = post_form(
        &h,
        "/oidc/token",
        Some(("rp", "not-the-secret")),
        &exchange(&code, VERIFIER),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["error"], "invalid_client");
    let reply = post_form(&h, "/oidc/token", None, &exchange(&code, VERIFIER)).await;
    assert_eq!(reply.json()["error"], "invalid_client");

    let mut other_redirect = exchange(&code, VERIFIER);
    other_redirect[2] = ("redirect_uri", "https://rp.example/other");
    let reply = post_form(&h, "/oidc/token", Some(("rp", &secret)), &other_redirect).await;
    assert_eq!(reply.json()["error"], "invalid_grant");

    let reply = post_form(
        &h,
        "/oidc/token",
        Some(("rp", &secret)),
        &[("grant_type", "password")],
    )
    .await;
    assert_eq!(reply.json()["error"], "unsupported_grant_type");

    // Nothing above used the code up: the right request still works once.
    let reply = post_form(
        &h,
        "/oidc/token",
        Some(("rp", &secret)),
        &exchange(&code, VERIFIER),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn the_authorization_endpoint_redirects_errors_only_to_a_registered_uri() {
    let h = harness().await;
    client(&h);
    let unknown = get(&h, &authorize_uri(&[("client_id", "nobody")])).await;
    assert_eq!(
        (unknown.status, unknown.location),
        (StatusCode::BAD_REQUEST, None)
    );
    assert!(unknown.text.contains("not registered"));

    let foreign = get(
        &h,
        &authorize_uri(&[("redirect_uri", "https://evil.example/cb")]),
    )
    .await;
    assert_eq!(
        (foreign.status, foreign.location),
        (StatusCode::BAD_REQUEST, None)
    );
    let prefix = get(
        &h,
        &authorize_uri(&[("redirect_uri", "https://rp.example/callback/x")]),
    )
    .await;
    assert_eq!(prefix.status, StatusCode::BAD_REQUEST, "exact match only");

    for (change, error) in [
        (("code_challenge_method", "plain"), "invalid_request"),
        (("code_challenge", ""), "invalid_request"),
        (("response_type", "token"), "unsupported_response_type"),
        (("scope", "profile"), "invalid_scope"),
        (("prompt", "none"), "login_required"),
        (("response_mode", "form_post"), "invalid_request"),
    ] {
        let reply = get(&h, &authorize_uri(&[change])).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{change:?}");
        let location = reply.location.unwrap();
        assert!(location.starts_with(REDIRECT), "{location}");
        assert_eq!(
            query_param(&location, "error").as_deref(),
            Some(error),
            "{change:?}"
        );
        assert_eq!(query_param(&location, "state").as_deref(), Some("st-1"));
    }
}

#[tokio::test]
async fn a_denied_sign_in_goes_back_with_access_denied() {
    let h = harness().await;
    client(&h);
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let page = get(&h, &authorize_uri(&[])).await;
    let config: Value = serde_json::from_str(&page_attribute(&page.text, "data-config")).unwrap();
    let request_id = page_attribute(&page.text, "data-request");
    let session = serde_json::from_value(config["session"].clone()).unwrap();
    let early = complete_sign_in(&h, &request_id).await;
    assert_error(&early, StatusCode::CONFLICT, "authorization_pending");
    let request = device_request(h.scan(&phone, &session).await);
    let reply = h.respond(&phone, &request, Decision::Deny, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let done = complete_sign_in(&h, &request_id).await;
    let redirect = done.body["redirect"].as_str().unwrap();
    assert_eq!(
        query_param(redirect, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_param(redirect, "code"), None);
}

/// A client assertion (RFC 7523) signed with `key`, for the token endpoint.
fn assertion(key: &tessera_protocol::SigningKey, client_id: &str, jti: &str, exp: u64) -> String {
    use p256::ecdsa::{Signature, signature::Signer};
    let header = b64_encode(br#"{"alg":"ES256","typ":"JWT"}"#);
    let claims = json!({
        "iss": client_id, "sub": client_id, "aud": format!("{ISSUER}/oidc/token"),
        "jti": jti, "exp": exp,
    });
    let input = format!("{header}.{}", b64_encode(claims.to_string().as_bytes()));
    let signature: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64_encode(&signature.to_bytes()))
}

/// The code exchanged with `client_assertion` as the client's authentication.
async fn with_assertion(h: &Harness, code: &str, client_assertion: &str) -> Answer {
    let mut pairs = exchange(code, VERIFIER);
    pairs.push((
        "client_assertion_type",
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    ));
    pairs.push(("client_assertion", client_assertion));
    post_form(h, "/oidc/token", None, &pairs).await
}

#[tokio::test]
async fn a_client_with_a_registered_key_authenticates_with_private_key_jwt_once_per_assertion() {
    let h = harness().await;
    let key = tessera_protocol::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let point = key.verifying_key().to_sec1_point(false);
    let sec1 = point.as_bytes();
    let jwks = json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1",
        "x": b64_encode(&sec1[1..33]), "y": b64_encode(&sec1[33..65])}]});
    let new = tessera_server::oidc::clients::NewClient {
        id: "rp".into(),
        name: "Test RP".into(),
        redirect_uris: vec![REDIRECT.into()],
        partner_id: "demo-bank".into(),
        origin: ORIGIN.into(),
        notification_endpoint: None,
        jwks: Some(jwks.to_string()),
    };
    let secret = tessera_server::oidc::clients::register(&h.state.store, new, 0).unwrap();
    assert_eq!(secret, None, "a client with keys has no secret");
    let (code, _) = alice_gets_a_code(&h).await;
    let now = tessera_server::now();
    let other_key = tessera_protocol::SigningKey::from_slice(&[8u8; 32]).unwrap();
    for (bad, why) in [
        (assertion(&other_key, "rp", "j0", now + 60), "another key"),
        (assertion(&key, "rp", "j0", now - 120), "expired"),
        (assertion(&key, "rp", "j0", now + 7200), "lives too long"),
    ] {
        let reply = with_assertion(&h, &code, &bad).await;
        assert_eq!(reply.json()["error"], "invalid_client", "{why}");
    }
    let good = assertion(&key, "rp", "j1", now + 60);
    let reply = with_assertion(&h, &code, &good).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let replayed = with_assertion(&h, &code, &good).await;
    assert_eq!(
        replayed.json()["error"],
        "invalid_client",
        "the same assertion again"
    );
}
