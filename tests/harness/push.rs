//! Web Push to the closed companion (issue 16), with no internet: a push service run by
//! the test on 127.0.0.1 that checks and decrypts what the server sends, a browser whose
//! `pushManager.subscribe()` answers with that service's endpoint, and the DevTools
//! protocol to hand the payload to the service worker, as the browser's own push service
//! connection would (RESEARCH.md §1.4–1.5: headless Chromium cannot reach Google's).
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};
use serde_json::{Value, json};
use tessera_webpush::{Auth, decrypt, ecdh_p256, verify_authorization};
use tokio::sync::mpsc;

use crate::devtools::DevTools;
use crate::{Browser, STEP_TIMEOUT};

// The browser's subscription keys: RFC 8291 Appendix A's user agent. Public, so only a
// test may use them.
const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const UA_PUBLIC: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

/// A push service on 127.0.0.1: accepts a message only as a real one would check it
/// (RFC 8030 headers, a valid VAPID JWT for this origin signed with the key the
/// subscription was made for, RFC 8292) and keeps its plaintext, decrypted with the
/// subscription's private key (RFC 8291).
pub struct PushService {
    origin: String,
    application_server_key: Arc<Mutex<Option<String>>>,
    received: mpsc::UnboundedReceiver<Result<String, String>>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct Receiver {
    origin: String,
    application_server_key: Arc<Mutex<Option<String>>>,
    received: mpsc::UnboundedSender<Result<String, String>>,
}

fn b64(text: &str) -> Vec<u8> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(text).expect("base64url")
}

fn check(push: &Receiver, headers: &HeaderMap, body: &[u8]) -> Result<String, String> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    if header("content-encoding") != "aes128gcm" {
        return Err(format!("Content-Encoding {:?}", header("content-encoding")));
    }
    if header("ttl").parse::<u32>().is_err() {
        return Err(format!("TTL {:?}", header("ttl")));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let (_, key) = verify_authorization(header("authorization"), &push.origin, now)
        .map_err(|e| format!("VAPID: {e}"))?;
    // A subscription is bound to the key it was made with; another signer is refused.
    let bound = push
        .application_server_key
        .lock()
        .expect("not poisoned")
        .clone();
    if bound.as_deref() != Some(key.as_str()) {
        return Err(format!(
            "VAPID key {key} is not the subscription's ({bound:?})"
        ));
    }
    let secret = ecdh_p256::SecretKey::from_slice(&b64(UA_PRIVATE)).expect("a P-256 key");
    let auth = Auth::clone_from_slice(&b64(AUTH));
    let plaintext = decrypt(body.to_vec(), &secret, &auth).map_err(|e| format!("{e}"))?;
    String::from_utf8(plaintext).map_err(|e| format!("not UTF-8: {e}"))
}

async fn receive(State(push): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let checked = check(&push, &headers, &body);
    let answer = if checked.is_ok() {
        StatusCode::CREATED
    } else {
        StatusCode::BAD_REQUEST
    };
    let _ = push.received.send(checked);
    answer
}

impl PushService {
    pub async fn start() -> PushService {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let origin = format!("http://{}", listener.local_addr().expect("an address"));
        let (sender, received) = mpsc::unbounded_channel();
        let application_server_key = Arc::new(Mutex::new(None));
        let state = Receiver {
            origin: origin.clone(),
            application_server_key: application_server_key.clone(),
            received: sender,
        };
        let app = axum::Router::new()
            .route("/push/{token}", post(receive))
            .with_state(state);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        PushService {
            origin,
            application_server_key,
            received,
            task,
        }
    }

    /// The endpoint of the browser's subscription.
    pub fn endpoint(&self) -> String {
        format!("{}/push/e2e-subscription", self.origin)
    }

    /// The subscription was made with `key` (base64url), the server's VAPID public key as
    /// the companion gave it to `subscribe()`.
    pub fn subscribed_with(&self, key: String) {
        *self.application_server_key.lock().expect("not poisoned") = Some(key);
    }

    /// The next message's plaintext; fails on a message the checks refused, or none.
    pub async fn next(&mut self) -> String {
        match tokio::time::timeout(STEP_TIMEOUT, self.received.recv()).await {
            Ok(Some(Ok(plaintext))) => plaintext,
            Ok(Some(Err(refused))) => {
                panic!("the push service refused the server's message: {refused}")
            }
            _ => panic!("the server sent no push"),
        }
    }
}

impl Drop for PushService {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Replaces `pushManager.subscribe()`/`getSubscription()` in every page the browser opens
/// from now on: a real `PushSubscription` cannot be had offline (Chromium waits for
/// Google's push service forever), but everything the companion does with one (the
/// permission, its keys, the JSON it sends the server) stays its own code.
const SUBSCRIBE_STUB: &str = r#"
(() => {
  const ENDPOINT = %ENDPOINT%, P256DH = %P256DH%, AUTH = %AUTH%;
  const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
  let current = null;
  const make = (key) => Object.create(PushSubscription.prototype, {
    endpoint: { value: ENDPOINT },
    expirationTime: { value: null },
    options: { value: { userVisibleOnly: true, applicationServerKey: key } },
    getKey: { value: (name) => bytes(name === 'auth' ? AUTH : P256DH) },
    toJSON: { value: () => ({ endpoint: ENDPOINT, expirationTime: null, keys: { p256dh: P256DH, auth: AUTH } }) },
    unsubscribe: { value: async () => { current = null; return true; } },
  });
  PushManager.prototype.subscribe = async function (options) {
    if (!options || options.userVisibleOnly !== true) throw new DOMException('userVisibleOnly', 'NotAllowedError');
    if (Notification.permission !== 'granted') throw new DOMException('Registration failed - permission denied', 'NotAllowedError');
    const key = options.applicationServerKey;
    const raw = ArrayBuffer.isView(key) ? new Uint8Array(key.buffer, key.byteOffset, key.byteLength) : new Uint8Array(key);
    window.__tesseraApplicationServerKey = btoa(String.fromCharCode(...raw)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    current = make(key);
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"#;

impl Browser {
    /// From now on, pages get `endpoint` with RFC 8291's example browser keys from
    /// `pushManager.subscribe()`, and `origin` may show notifications (as if the user
    /// allowed the browser's prompt).
    pub async fn allow_push(&self, origin: &str, endpoint: &str) {
        self.allow_notifications(origin).await;
        let source = SUBSCRIBE_STUB
            .replace("%ENDPOINT%", &json!(endpoint).to_string())
            .replace("%P256DH%", &json!(UA_PUBLIC).to_string())
            .replace("%AUTH%", &json!(AUTH).to_string());
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )
        .await;
    }

    /// `origin` may show notifications, as if the user allowed the browser's prompt. Given
    /// through the current tab's DevTools session, it ends with that tab: call again after
    /// closing it.
    pub async fn allow_notifications(&self, origin: &str) {
        let permissions = json!({ "permissions": ["notifications"], "origin": origin });
        self.cdp("Browser.grantPermissions", permissions).await;
    }

    /// The `applicationServerKey` (base64url) the page subscribed with, "" if none.
    pub async fn application_server_key(&self) -> String {
        let key = self
            .client
            .execute("return window.__tesseraApplicationServerKey || ''", vec![])
            .await
            .expect("the script runs");
        key.as_str().unwrap_or_default().to_string()
    }

    /// A DevTools command's answer.
    pub async fn cdp_answer(&self, cmd: &str, params: Value) -> Value {
        let body = json!({ "cmd": cmd, "params": params });
        self.extension("goog/cdp/execute".into(), body).await
    }

    /// The id DevTools gives the service worker registration whose scope is `scope`.
    /// Only an event says it (`ServiceWorker.workerRegistrationUpdated`), and chromedriver
    /// passes no events on: this speaks to the browser's DevTools socket itself.
    pub async fn service_worker_registration(&self, scope: &str) -> String {
        let mut devtools = DevTools::open(&self.profile).await;
        let targets = devtools.call(None, "Target.getTargets", json!({})).await;
        let page = targets["targetInfos"]
            .as_array()
            .and_then(|all| all.iter().find(|t| t["type"] == "page"))
            .and_then(|t| t["targetId"].as_str())
            .expect("a page")
            .to_string();
        let params = json!({ "targetId": page, "flatten": true });
        let attached = devtools.call(None, "Target.attachToTarget", params).await;
        let session = attached["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        devtools
            .send(Some(&session), "ServiceWorker.enable", json!({}))
            .await;
        let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
        loop {
            let event = tokio::time::timeout_at(deadline, devtools.message())
                .await
                .unwrap_or_else(|_| panic!("no service worker registration for {scope}"));
            if event["method"] != "ServiceWorker.workerRegistrationUpdated" {
                continue;
            }
            let found = event["params"]["registrations"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["scopeURL"] == scope && r["isDeleted"] != true);
            if let Some(registration) = found {
                devtools.close().await;
                return registration["registrationId"]
                    .as_str()
                    .expect("an id")
                    .to_string();
            }
        }
    }

    /// Hands `data` to the service worker of `origin`'s registration `registration_id`,
    /// as the browser does with a message from its push service.
    pub async fn deliver_push(&self, origin: &str, registration_id: &str, data: &str) {
        let params = json!({
            "origin": origin, "registrationId": registration_id, "data": data,
        });
        // The domain must be on for this tab, whichever it is now.
        self.cdp("ServiceWorker.enable", json!({})).await;
        self.cdp("ServiceWorker.deliverPushMessage", params).await;
    }

    /// Waits until a service worker controls the page (it caches the app shell as it
    /// installs, and claims the page once active).
    pub async fn wait_for_service_worker_control(&self) {
        let script = r#"
            const done = arguments[0];
            if (navigator.serviceWorker.controller) done(true);
            else navigator.serviceWorker.addEventListener('controllerchange', () => done(true));"#;
        let controlled =
            tokio::time::timeout(STEP_TIMEOUT, self.client.execute_async(script, vec![]))
                .await
                .expect("a service worker controls the page in time")
                .expect("the script runs");
        assert_eq!(controlled, json!(true));
    }

    /// No network from now on, as in a plane (`navigator.onLine` is false too).
    pub async fn go_offline(&self) {
        let offline = json!({
            "offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
        });
        self.cdp("Network.enable", json!({})).await;
        self.cdp("Network.emulateNetworkConditions", offline).await;
    }

    /// The notifications the service worker of `scope` shows now, as
    /// `registration.getNotifications()` gives them: `{title, body, tag, url}`. The page
    /// must be of the same origin; it need not be in the scope.
    pub async fn notifications(&self, scope: &str) -> Vec<Value> {
        let script = r#"
            const [scope, done] = arguments;
            navigator.serviceWorker.getRegistration(scope)
              .then((r) => (r ? r.getNotifications() : []))
              .then((all) => done(all.map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }))),
                    (e) => done([{ error: String(e) }]));"#;
        let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
        loop {
            let shown = self
                .client
                .execute_async(script, vec![scope.into()])
                .await
                .expect("the script runs");
            let shown: Vec<Value> = serde_json::from_value(shown).expect("a list");
            if !shown.is_empty() || tokio::time::Instant::now() > deadline {
                return shown;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
