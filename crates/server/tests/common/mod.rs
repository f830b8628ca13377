//! The in-process harness of the API tests: the real router driven with `oneshot`, and a
//! phone simulated by a p256 key.
#![allow(dead_code)]
use std::path::PathBuf;

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tessera_protocol::{
    APPROVAL_TYPE, Decision, JwsHeader, SigningKey, UserVerification,
    api::{DeviceRequest, SessionCreated, activation_message},
    assemble, b64_decode, b64_encode, qr_code, signing_input, verifying_key_to_b64,
};
use tessera_server::{AppState, Config, app, demo, store::Store};
use tower::ServiceExt;

pub const ORIGIN: &str = "https://bank.example";
pub const PIN: &str = "482913";

pub struct Harness {
    pub state: AppState,
    pub router: Router,
    pub api_key: String,
    pub db: PathBuf,
}

pub fn temp_db() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tessera-api-{}",
        tessera_server::secrets::random_id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("tessera.sqlite3")
}

pub async fn harness_at(db: PathBuf, session_ttl_secs: u64) -> Harness {
    let config = Config {
        public_url: "http://127.0.0.1:1".into(),
        session_ttl_secs,
        companion_web_dir: "/nonexistent".into(),
    };
    let state = AppState::new(config, Store::open(&db).unwrap()).unwrap();
    let (api_key, _) = demo::seed(&state, ORIGIN).await.unwrap();
    Harness {
        router: app(state.clone()),
        state,
        api_key,
        db,
    }
}

pub async fn harness() -> Harness {
    harness_at(temp_db(), 180).await
}

pub struct Reply {
    pub status: StatusCode,
    pub cookie: Option<String>,
    pub body: Value,
}

impl Harness {
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        auth: Option<&str>,
        cookie: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = auth {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let body = match body {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            cookie,
            body,
        }
    }

    pub async fn create_session(&self) -> SessionCreated {
        let reply = self
            .call(
                Method::POST,
                "/v1/sessions",
                Some(&self.api_key),
                None,
                Some(json!({"kind": "login", "origin": ORIGIN})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        serde_json::from_value(reply.body).unwrap()
    }

    pub async fn activate(&self, user: &str, password: &str, code: &str) -> Phone {
        let key = SigningKey::from_slice(&tessera_server::secrets::random_bytes::<32>()).unwrap();
        let reply = self
            .call(
                Method::POST,
                "/v1/activation",
                None,
                None,
                Some(activation_body(&key, user, password, code, PIN)),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        Phone {
            key,
            cookie: reply.cookie.expect("the device cookie"),
            device_id: reply.body["device_id"].as_str().unwrap().into(),
            certificates: serde_json::from_value(reply.body["certificates"].clone()).unwrap(),
        }
    }

    pub async fn scan(&self, phone: &Phone, session: &SessionCreated) -> Reply {
        let code = qr_code(&b64_decode(&session.qr_secret).unwrap(), 0);
        let scan = json!({"session_id": session.session_id, "t": 0, "code": code});
        self.call(
            Method::POST,
            "/v1/device/scan",
            None,
            Some(&phone.cookie),
            Some(scan),
        )
        .await
    }

    pub async fn respond(
        &self,
        phone: &Phone,
        request: &DeviceRequest,
        decision: Decision,
        pin: Option<&str>,
    ) -> Reply {
        let approval = phone.sign(request, decision);
        let uri = format!("/v1/device/sessions/{}/respond", request.session_id);
        self.call(
            Method::POST,
            &uri,
            None,
            Some(&phone.cookie),
            Some(json!({"approval": approval, "pin": pin})),
        )
        .await
    }

    pub async fn push(&self, session: &SessionCreated, watch_token: &str, user_id: &str) -> Reply {
        let uri = format!("/v1/sessions/{}/push", session.session_id);
        let body = json!({ "user_id": user_id });
        self.call(Method::POST, &uri, Some(watch_token), None, Some(body))
            .await
    }

    /// Alice activates a phone and scans the QR of a new login session.
    pub async fn alice_scanned_a_session(&self) -> (Phone, SessionCreated, DeviceRequest) {
        let phone = self.activate("alice", "Tessera-Demo-1!", "AB12C").await;
        let session = self.create_session().await;
        let request = device_request(self.scan(&phone, &session).await);
        (phone, session, request)
    }

    pub async fn result(&self, session: &SessionCreated) -> Reply {
        let uri = format!("/v1/sessions/{}/result", session.session_id);
        self.call(Method::GET, &uri, Some(&self.api_key), None, None)
            .await
    }
}

pub fn activation_body(
    key: &SigningKey,
    user: &str,
    password: &str,
    code: &str,
    pin: &str,
) -> Value {
    let public_key = verifying_key_to_b64(key.verifying_key());
    let message = activation_message(user, &public_key);
    let signature: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(key, &message);
    json!({
        "user_id": user, "password": password, "activation_code": code, "pin": pin,
        "device_name": "Test phone", "public_key": public_key, "proof": b64_encode(&signature.normalize_s().to_bytes()),
    })
}

pub struct Phone {
    pub key: SigningKey,
    pub cookie: String,
    pub device_id: String,
    pub certificates: Vec<String>,
}

impl Phone {
    pub fn sign(&self, request: &DeviceRequest, decision: Decision) -> String {
        let claims = request.answer(
            &self.device_id,
            decision,
            UserVerification::Pin,
            tessera_server::now(),
        );
        let input = signing_input(
            &JwsHeader::new(APPROVAL_TYPE, Some(self.certificates.clone())),
            &claims,
        );
        let signature: p256::ecdsa::Signature =
            p256::ecdsa::signature::Signer::sign(&self.key, input.as_bytes());
        assemble(&input, &signature.to_bytes()).unwrap()
    }
}

pub fn assert_error(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(
        (reply.status, reply.body["code"].as_str()),
        (status, Some(code)),
        "{}",
        reply.body
    );
}

pub fn device_request(reply: Reply) -> DeviceRequest {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_value(reply.body).unwrap()
}
