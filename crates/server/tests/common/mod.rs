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
    APPROVAL_TYPE, CoarseLocation, Decision, Expected, JwsHeader, Kind, SignedApproval, SigningKey,
    UserVerification, VerifiedApproval,
    api::{DeviceRequest, SessionCreated, activation_message},
    assemble, b64_decode, b64_encode, qr_code, signing_input, verify_approval,
    verifying_key_to_b64,
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

/// PostgreSQL for the tests when set (scripts/postgres.sh sets it): each test database
/// path then names a schema of its own there.
pub const DATABASE_VARIABLE: &str = "TESSERA_TEST_DATABASE_URL";

/// The URL of the PostgreSQL schema that stands for `db`, made empty on first use.
pub fn postgres_url(db: &std::path::Path) -> Option<String> {
    use std::hash::{Hash, Hasher};
    let base = std::env::var(DATABASE_VARIABLE).ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    db.hash(&mut hasher);
    let schema = format!("t{:016x}", hasher.finish());
    sql_on(&base, &format!("CREATE SCHEMA IF NOT EXISTS {schema}"));
    let separator = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{separator}options=-csearch_path%3D{schema}"))
}

/// Runs `sql` on PostgreSQL, from a thread of its own: the synchronous client cannot
/// run on a thread that drives async tasks.
fn sql_on(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client.batch_execute(&sql).unwrap();
    })
    .join()
    .unwrap();
}

/// The store for `db`: the SQLite file, or its PostgreSQL schema.
pub fn open_store(db: &std::path::Path) -> Store {
    match postgres_url(db) {
        Some(url) => Store::connect(&url).unwrap(),
        None => Store::open(db).unwrap(),
    }
}

impl Harness {
    /// Changes the database behind the server's back, as an older version or the passing
    /// of time would have left it.
    pub fn sql(&self, sql: &str) {
        match postgres_url(&self.db) {
            Some(url) => sql_on(&url, sql),
            None => rusqlite::Connection::open(&self.db)
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
        }
    }
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
    // The OpenID sign-in page embeds the widget's tags: an empty list will do here.
    let widget_web_dir = db.parent().unwrap().join("dist-widget");
    std::fs::create_dir_all(&widget_web_dir).unwrap();
    std::fs::write(widget_web_dir.join("tessera-tags.html"), "").unwrap();
    let config = Config {
        public_url: "http://127.0.0.1:1".into(),
        session_ttl_secs,
        companion_web_dir: "/nonexistent".into(),
        widget_web_dir,
        // The push tests run their push service on 127.0.0.1.
        push: tessera_server::push::PushConfig {
            contact: "mailto:ops@tessera.example".into(),
            allow_loopback: true,
        },
    };
    let state = AppState::new(config, open_store(&db)).unwrap();
    let data = db.parent().expect("the database sits in a folder");
    let key_file = demo::seed(&state, ORIGIN, data).await.unwrap();
    let api_key = std::fs::read_to_string(key_file).unwrap().trim().to_owned();
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
        let credential = json!({ "activation_code": code });
        let (reply, phone) = self.try_activate(user, password, credential, None).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        phone.expect("a new device")
    }

    /// A new backup's restore secret, as the phone's "Back up" gets it.
    pub async fn make_backup(&self, phone: &Phone) -> String {
        let reply = self
            .call(
                Method::POST,
                "/v1/device/backup",
                None,
                Some(&phone.cookie),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body["restore_secret"].as_str().unwrap().to_string()
    }

    /// The link of the newest SMS that carries one, as `(activation_id, token)`.
    pub fn sms_link(&self) -> (String, String) {
        let messages = self.state.store.messages().unwrap();
        let link = messages
            .iter()
            .find_map(|m| {
                m.body
                    .split_whitespace()
                    .find(|w| w.contains("/#/confirm/"))
            })
            .expect("an SMS with the link");
        let mut parts = link.rsplit('/');
        let token = parts.next().unwrap().to_string();
        (parts.next().unwrap().to_string(), token)
    }

    /// An activation with any credential (and a device to replace); the phone if it worked.
    pub async fn try_activate(
        &self,
        user: &str,
        password: &str,
        credential: Value,
        replace: Option<&str>,
    ) -> (Reply, Option<Phone>) {
        let key = SigningKey::from_slice(&tessera_server::secrets::random_bytes::<32>()).unwrap();
        let mut body = activation_body(&key, user, password, "", PIN);
        body["credential"] = credential;
        if let Some(replace) = replace {
            body["replace_device_id"] = replace.into();
        }
        let reply = self
            .call(Method::POST, "/v1/activation", None, None, Some(body))
            .await;
        let phone = (reply.status == StatusCode::CREATED).then(|| Phone {
            key,
            cookie: reply.cookie.clone().expect("the device cookie"),
            device_id: reply.body["device_id"].as_str().unwrap().into(),
            certificates: serde_json::from_value(reply.body["certificates"].clone()).unwrap(),
            location: None,
        });
        (reply, phone)
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
        self.send_answer(phone, &request.session_id, &approval, pin)
            .await
    }

    /// Sends `approval`, as signed, to answer the session `session_id`.
    pub async fn send_answer(
        &self,
        phone: &Phone,
        session_id: &str,
        approval: &str,
        pin: Option<&str>,
    ) -> Reply {
        let uri = format!("/v1/device/sessions/{session_id}/respond");
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

    /// `phone` logs in by QR on a new session: what the partner receives, and the session.
    pub async fn approved_login(&self, phone: &Phone) -> (SignedApproval, SessionCreated) {
        let session = self.create_session().await;
        let request = device_request(self.scan(phone, &session).await);
        let reply = self
            .respond(phone, &request, Decision::Approve, Some(PIN))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let result = self.result(&session).await;
        let signed = serde_json::from_value(result.body["result"].clone()).unwrap();
        (signed, session)
    }

    /// The approved result of a login `session`, verified as the partner verifies it.
    pub async fn verified_login(&self, session: &SessionCreated) -> VerifiedApproval {
        let result = self.result(session).await;
        assert_eq!(result.body["state"], "approved", "{}", result.body);
        let signed: SignedApproval = serde_json::from_value(result.body["result"].clone()).unwrap();
        let expected = login_expected(session);
        verify_approval(
            &signed,
            &expected,
            self.state.ca.root(),
            tessera_server::now(),
        )
        .unwrap()
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
        "user_id": user, "password": password, "credential": {"activation_code": code}, "pin": pin,
        "device_name": "Test phone", "public_key": public_key, "proof": b64_encode(&signature.normalize_s().to_bytes()),
    })
}

pub struct Phone {
    pub key: SigningKey,
    pub cookie: String,
    pub device_id: String,
    pub certificates: Vec<String>,
    /// The coarse location its approvals carry, as if its user turned geolocation on.
    pub location: Option<CoarseLocation>,
}

impl Phone {
    pub fn sign(&self, request: &DeviceRequest, decision: Decision) -> String {
        self.sign_with(request, decision, UserVerification::Pin)
    }

    /// An approval that says the user was verified with `uv`.
    pub fn sign_with(
        &self,
        request: &DeviceRequest,
        decision: Decision,
        uv: UserVerification,
    ) -> String {
        let claims = request
            .answer(&self.device_id, decision, uv, tessera_server::now())
            .with_location(self.location);
        self.sign_claims(&claims)
    }

    /// An approval of whatever `claims` say, signed by this phone's key.
    pub fn sign_claims(&self, claims: &impl serde::Serialize) -> String {
        let input = signing_input(
            &JwsHeader::new(APPROVAL_TYPE, Some(self.certificates.clone())),
            claims,
        );
        let signature: p256::ecdsa::Signature =
            p256::ecdsa::signature::Signer::sign(&self.key, input.as_bytes());
        assemble(&input, &signature.to_bytes()).unwrap()
    }
}

/// What the partner expects of a login approval for `session` at [`ORIGIN`].
pub fn login_expected(session: &SessionCreated) -> Expected<'_> {
    Expected {
        session_id: &session.session_id,
        nonce: &session.nonce,
        partner_id: &session.partner_id,
        origin: ORIGIN,
        kind: Kind::Login,
        details_digest: None,
        user_id: None,
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

// --- the helpdesk, as an agent's browser drives it --------------------------------------

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub cookie: Option<String>,
    pub html: String,
}

impl Page {
    pub fn csrf(&self) -> String {
        let start = self
            .html
            .find(r#"name="csrf" value=""#)
            .expect("a form with a CSRF token")
            + r#"name="csrf" value=""#.len();
        self.html[start..].split('"').next().unwrap().to_string()
    }
}

pub async fn web(
    h: &Harness,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> Page {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let body: String = form
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.replace('%', "%25")
                    .replace('&', "%26")
                    .replace('+', "%2B")
                    .replace(' ', "+")
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let request = request
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let response = h.router.clone().oneshot(request).await.unwrap();
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
    };
    let (location, cookie) = (header(header::LOCATION), header(header::SET_COOKIE));
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Page {
        status,
        location,
        cookie: cookie.map(|c| c.split(';').next().unwrap().to_string()),
        html: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// Logs the demo agent in; returns its cookie.
pub async fn agent(h: &Harness) -> String {
    let page = web(
        h,
        Method::POST,
        "/helpdesk/login",
        None,
        &[("agent_id", "agent"), ("password", "Helpdesk-Demo-1!")],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    page.cookie.expect("the agent cookie")
}

/// Posts a form of the user page (with its CSRF token) and returns the notice it led to.
pub async fn act(h: &Harness, cookie: &str, path: &str, form: &[(&str, &str)]) -> String {
    let user_page = web(h, Method::GET, "/helpdesk/users/alice", Some(cookie), &[]).await;
    let csrf = user_page.csrf();
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(form);
    let page = web(h, Method::POST, path, Some(cookie), &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    page.location
        .unwrap()
        .rsplit("done=")
        .next()
        .unwrap()
        .to_string()
}

/// The helpdesk recognises Alice and e-mails her a security code; returns the code.
pub async fn security_code_for_alice(h: &Harness) -> String {
    let cookie = agent(h).await;
    let right = [
        ("answer0", "Esch-sur-Alzette"),
        ("answer1", "Rex"),
        ("answer2", "Rue de la Gare"),
    ];
    assert_eq!(
        act(h, &cookie, "/helpdesk/users/alice/verify", &right).await,
        "verified"
    );
    assert_eq!(
        act(h, &cookie, "/helpdesk/users/alice/security-code", &[]).await,
        "code_sent"
    );
    let messages = h.state.store.messages().unwrap();
    let mail = messages
        .iter()
        .find(|m| m.channel == "email")
        .expect("the code by e-mail");
    mail.body
        .chars()
        .filter(char::is_ascii_digit)
        .take(8)
        .collect()
}

/// Another device for alice, activated with a security code the helpdesk e-mailed (the
/// lost-phone path): the reply, and the phone if it worked.
pub async fn activate_with_security_code(h: &Harness) -> (Reply, Option<Phone>) {
    let code = security_code_for_alice(h).await;
    h.try_activate(
        "alice",
        "Tessera-Demo-1!",
        json!({ "security_code": code }),
        None,
    )
    .await
}
