//! Web Push (issue 16): a device's subscription is stored and checked, a push to its user
//! reaches a push service run here on 127.0.0.1, which checks the request as a real one
//! would (RFC 8030 headers, the VAPID JWT of RFC 8292) and decrypts the body with the
//! subscription's private key (RFC 8291); the push service's 410 removes it.
mod common;

use std::sync::{Arc, Mutex};

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode},
    routing::post,
};
use base64ct::{Base64UrlUnpadded, Encoding};
use common::*;
use serde_json::{Value, json};
use tessera_protocol::{Kind, push::PushMessage};
use tessera_webpush::{Auth, decrypt, ecdh_p256, verify_authorization};
use tokio::sync::mpsc;

// The browser's keys: RFC 8291 Appendix A's user agent.
const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const UA_PUBLIC: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

/// What the fake push service received: the checked headers and the decrypted payload.
struct Received {
    headers: HeaderMap,
    plaintext: Vec<u8>,
}

#[derive(Clone)]
struct FakePushService {
    origin: String,
    vapid_key: Arc<Mutex<String>>,
    answer: Arc<Mutex<StatusCode>>,
    received: mpsc::UnboundedSender<Result<Received, String>>,
}

async fn receive(
    State(fake): State<FakePushService>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let checked = (|| {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        };
        if header("content-encoding") != "aes128gcm" {
            return Err("content-encoding".to_string());
        }
        if header("ttl").parse::<u32>().is_err() {
            return Err("ttl".into());
        }
        let now = tessera_server::now();
        let (claims, key) = verify_authorization(header("authorization"), &fake.origin, now)
            .map_err(|e| e.to_string())?;
        if key != *fake.vapid_key.lock().unwrap() || !claims.sub.starts_with("mailto:") {
            return Err("vapid key or subject".into());
        }
        let secret = ecdh_p256::SecretKey::from_slice(&b64(UA_PRIVATE)).unwrap();
        let auth = Auth::clone_from_slice(&b64(AUTH));
        let plaintext = decrypt(body.to_vec(), &secret, &auth).map_err(|e| e.to_string())?;
        Ok(Received {
            headers: headers.clone(),
            plaintext,
        })
    })();
    let _ = fake.received.send(checked);
    *fake.answer.lock().unwrap()
}

fn b64(text: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(text).unwrap()
}

async fn fake_push_service() -> (
    FakePushService,
    mpsc::UnboundedReceiver<Result<Received, String>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    let fake = FakePushService {
        origin: format!("http://{}", listener.local_addr().unwrap()),
        vapid_key: Arc::default(),
        answer: Arc::new(Mutex::new(StatusCode::CREATED)),
        received: tx,
    };
    let router = axum::Router::new()
        .route("/push/{token}", post(receive))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (fake, rx)
}

fn subscription(endpoint: &str, lang: &str) -> Value {
    json!({"endpoint": endpoint, "keys": {"p256dh": UA_PUBLIC, "auth": AUTH}, "lang": lang})
}

async fn settings(h: &Harness, phone: &Phone) -> Value {
    let reply = h
        .call(
            Method::GET,
            "/v1/device/push",
            None,
            Some(&phone.cookie),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

async fn subscribe(h: &Harness, phone: &Phone, body: Value) -> Reply {
    h.call(
        Method::POST,
        "/v1/device/push",
        None,
        Some(&phone.cookie),
        Some(body),
    )
    .await
}

/// Alice's phone subscribed with the fake push service; a session pushed to her.
async fn pushed(
    h: &Harness,
    fake: &FakePushService,
) -> (Phone, tessera_protocol::api::SessionCreated) {
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let key = settings(h, &phone).await["vapid_key"]
        .as_str()
        .unwrap()
        .to_string();
    *fake.vapid_key.lock().unwrap() = key;
    let endpoint = format!("{}/push/alice-phone", fake.origin);
    let reply = subscribe(h, &phone, subscription(&endpoint, "fr")).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let session = h.create_session().await;
    let reply = h.push(&session, &session.watch_token, "alice").await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    (phone, session)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Result<Received, String>>) -> Received {
    let got = tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv())
        .await
        .expect("the server pushed")
        .expect("channel open");
    got.unwrap_or_else(|why| panic!("the push service refused the request: {why}"))
}

#[tokio::test]
async fn a_subscription_is_stored_per_device_and_the_key_published() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let before = settings(&h, &phone).await;
    assert_eq!(before["subscribed"], false);
    let key = b64(before["vapid_key"].as_str().unwrap());
    assert_eq!((key.len(), key[0]), (65, 4));

    let endpoint = "https://fcm.googleapis.com/fcm/send/abc";
    assert_eq!(
        subscribe(&h, &phone, subscription(endpoint, "de"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(settings(&h, &phone).await["subscribed"], true);
    // The key stays: every browser subscription is bound to it.
    assert_eq!(settings(&h, &phone).await["vapid_key"], before["vapid_key"]);

    let off = h
        .call(
            Method::POST,
            "/v1/device/push/off",
            None,
            Some(&phone.cookie),
            None,
        )
        .await;
    assert_eq!(off.status, StatusCode::NO_CONTENT);
    assert_eq!(settings(&h, &phone).await["subscribed"], false);

    // Without a device cookie, nothing.
    let anonymous = h
        .call(Method::GET, "/v1/device/push", None, None, None)
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let anonymous = h
        .call(
            Method::POST,
            "/v1/device/push",
            None,
            None,
            Some(subscription(endpoint, "en")),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn endpoints_off_the_push_services_and_malformed_keys_are_refused() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    for endpoint in [
        "https://evil.example/push",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost:8080/v1/device",
        "http://127.0.0.1/push",
        "https://fcm.googleapis.com:444/x",
    ] {
        let reply = subscribe(&h, &phone, subscription(endpoint, "en")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{endpoint}");
        assert_eq!(reply.body["code"], "push_endpoint_refused", "{endpoint}");
    }
    let mut bad = subscription("https://fcm.googleapis.com/fcm/send/abc", "en");
    bad["keys"]["p256dh"] = json!(&UA_PUBLIC[..40]);
    let reply = subscribe(&h, &phone, bad).await;
    assert_eq!(reply.body["code"], "invalid_push_subscription");
    assert_eq!(settings(&h, &phone).await["subscribed"], false);
}

#[tokio::test]
async fn a_push_reaches_the_push_service_encrypted_naming_only_the_session() {
    let h = harness().await;
    let (fake, mut rx) = fake_push_service().await;
    let (_phone, session) = pushed(&h, &fake).await;
    let got = next(&mut rx).await;
    let message: PushMessage = serde_json::from_slice(&got.plaintext).unwrap();
    assert_eq!(
        message,
        PushMessage {
            v: 1,
            session: session.session_id.clone(),
            partner: "Demo Bank".into(),
            kind: Kind::Login,
            lang: "fr".into(),
        }
    );
    let header = |name: &str| got.headers[name].to_str().unwrap().to_string();
    assert_eq!(header("urgency"), "high");
    assert_eq!(header("content-type"), "application/octet-stream");
    let ttl: u64 = header("ttl").parse().unwrap();
    assert!(
        (1..=180).contains(&ttl),
        "at most the session's lifetime: {ttl}"
    );
    assert!(session.session_id.starts_with(&header("topic")));
}

#[tokio::test]
async fn a_subscription_the_push_service_says_is_gone_is_removed() {
    let h = harness().await;
    let (fake, mut rx) = fake_push_service().await;
    *fake.answer.lock().unwrap() = StatusCode::GONE;
    let (phone, _session) = pushed(&h, &fake).await;
    next(&mut rx).await;
    // The removal follows the 410 in the background: wait for it (bounded).
    for _ in 0..100 {
        if settings(&h, &phone).await["subscribed"] == false {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the subscription was not removed after 410 Gone");
}

#[tokio::test]
async fn other_refusals_keep_the_subscription() {
    let h = harness().await;
    let (fake, mut rx) = fake_push_service().await;
    *fake.answer.lock().unwrap() = StatusCode::TOO_MANY_REQUESTS;
    let (phone, _session) = pushed(&h, &fake).await;
    next(&mut rx).await;
    // A second push goes out too, so the first one's outcome has been handled.
    let session = h.create_session().await;
    h.push(&session, &session.watch_token, "alice").await;
    next(&mut rx).await;
    assert_eq!(settings(&h, &phone).await["subscribed"], true);
}

#[tokio::test]
async fn a_device_added_is_pushed_to_the_other_devices_in_their_language() {
    let h = harness().await;
    let (fake, mut rx) = fake_push_service().await;
    pushed(&h, &fake).await;
    next(&mut rx).await; // the request itself
    let (reply, _) = activate_with_security_code(&h).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    let got = next(&mut rx).await;
    let message: tessera_protocol::push::DeviceAddedPush =
        serde_json::from_slice(&got.plaintext).unwrap();
    assert_eq!(
        (message.notice.as_str(), message.lang.as_str()),
        ("device_added", "fr")
    );
    assert_eq!(
        message.title,
        "Un nouvel appareil a été ajouté à votre Tessera"
    );
    assert!(message.body.contains("« Test phone »"), "{}", message.body);
    // The same link as the SMS and the e-mail, in French too.
    let sms = h
        .state
        .store
        .messages()
        .unwrap()
        .into_iter()
        .find(|m| m.channel == "sms" && m.body.contains("/device-added/"))
        .unwrap();
    assert!(sms.body.contains(&message.link), "{}", sms.body);
    assert!(
        sms.body.starts_with("Tessera : un nouvel appareil"),
        "{}",
        sms.body
    );
    assert_eq!(got.headers["topic"].to_str().unwrap(), "device-added");
}
