//! The sending side: the VAPID key, the HTTPS client, one task per subscribed device.

use std::{sync::Arc, time::Duration};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use tessera_protocol::push::{DeviceAddedPush, PushMessage};
use tessera_webpush::{EndpointPolicy, Message, Outcome, Subscription, Urgency, Vapid};
use tokio::sync::Semaphore;

use crate::{
    clock::now,
    error::{AppError, AppResult},
    store::{PushSubscriptionRow, SessionRow, Store},
};

/// The name of the VAPID key in the `ca_keys` table.
const VAPID_KEY: &str = "vapid";
/// One push service request, connection included, may take this long.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests to push services in flight at once, over all users: a burst of pushes queues
/// instead of opening thousands of connections.
const MAX_IN_FLIGHT: usize = 32;

/// How the server pushes.
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// The VAPID `sub`: a `mailto:` or `https:` contact for the push services' operators.
    pub contact: String,
    /// Also allow `http://127.0.0.1:<port>` endpoints (tests, a local demo). Off in
    /// production: the endpoint is chosen by the client.
    pub allow_loopback: bool,
}

impl PushConfig {
    /// The contact from the public URL when it is https (Apple refuses placeholders),
    /// else a reserved example address.
    pub fn for_public_url(public_url: &str) -> PushConfig {
        let contact = if public_url.starts_with("https://") {
            public_url.to_string()
        } else {
            "mailto:push@tessera.invalid".to_string()
        };
        PushConfig {
            contact,
            allow_loopback: false,
        }
    }

    pub fn policy(&self) -> EndpointPolicy {
        if self.allow_loopback {
            EndpointPolicy::AlsoLoopback
        } else {
            EndpointPolicy::PushServices
        }
    }
}

/// The user's subscriptions; none (logged) if they cannot be read: a push is a courtesy,
/// never what a request or an activation depends on.
fn subscriptions_of(store: &Store, user_id: &str) -> Vec<PushSubscriptionRow> {
    store
        .push_subscriptions_of(user_id)
        .unwrap_or_else(|error| {
            tracing::error!(%error, "reading push subscriptions");
            Vec::new()
        })
}

/// A push `Topic` (RFC 8030 §5.4: at most 32 URL-safe characters) from a session id.
fn topic_of(session: &str) -> Option<String> {
    Some(
        session
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(32)
            .collect(),
    )
}

type HttpsClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

pub struct Pusher {
    vapid: Vapid,
    policy: EndpointPolicy,
    client: HttpsClient,
    in_flight: Arc<Semaphore>,
}

impl Pusher {
    /// Loads the VAPID key, creating it on first start. It must stay the same: every
    /// browser subscription is bound to it.
    pub fn load_or_create(store: &Store, config: &PushConfig) -> AppResult<Pusher> {
        let secret = match store.ca_key(VAPID_KEY)? {
            Some((secret, _)) => secret,
            None => store.ca_key_or_insert(VAPID_KEY, &Vapid::generate_secret())?,
        };
        let vapid = Vapid::new(&secret, &config.contact)
            .map_err(|e| AppError::Internal(format!("VAPID: {e}")))?;
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| AppError::Internal(format!("TLS: {e}")))?
        .with_root_certificates(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        })
        .with_no_client_auth();
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .build();
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .build(connector);
        Ok(Pusher {
            vapid,
            policy: config.policy(),
            client,
            in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        })
    }

    /// The browser's `applicationServerKey`.
    pub fn public_key(&self) -> String {
        self.vapid.public_key()
    }

    pub fn policy(&self) -> EndpointPolicy {
        self.policy
    }

    /// Sends `session` to every subscribed active device of `user_id`, in the background:
    /// the partner's request returns at once and takes the same time whether or not the
    /// user has subscriptions. Subscriptions that are gone are deleted.
    pub fn notify_user(self: &Arc<Self>, store: Arc<Store>, user_id: &str, session: &SessionRow) {
        let subscriptions = subscriptions_of(&store, user_id);
        // TTL: no use delivering after the session expired.
        let ttl = session.expires_at.saturating_sub(now()).clamp(1, 3600) as u32;
        for row in subscriptions {
            let message = PushMessage {
                v: 1,
                session: session.id.clone(),
                partner: session.partner_name.clone(),
                kind: session.kind,
                lang: row.lang.clone(),
            };
            // A newer push of the same session replaces an undelivered one.
            let topic = topic_of(&message.session);
            self.spawn_send(&store, row, &message, ttl, topic);
        }
    }

    /// Tells the user's other subscribed devices that `new_device_id` was added (issue
    /// 17), in the background, each in its own language: the notification opens the
    /// link that suspends the new device.
    pub fn notify_device_added(
        self: &Arc<Self>,
        store: Arc<Store>,
        user_id: &str,
        new_device_id: &str,
        notice: impl Fn(&str) -> DeviceAddedPush,
    ) {
        let subscriptions = subscriptions_of(&store, user_id);
        for row in subscriptions
            .into_iter()
            .filter(|row| row.device_id != new_device_id)
        {
            let message = notice(&row.lang);
            // A day: the link works for a week, the news is urgent only while fresh.
            self.spawn_send(&store, row, &message, 86_400, Some("device-added".into()));
        }
    }

    fn spawn_send(
        self: &Arc<Self>,
        store: &Arc<Store>,
        row: PushSubscriptionRow,
        message: &impl serde::Serialize,
        ttl: u32,
        topic: Option<String>,
    ) {
        let payload = match serde_json::to_vec(message) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::error!(%error, "encoding a push message");
                return;
            }
        };
        let (pusher, store) = (self.clone(), store.clone());
        tokio::spawn(async move { pusher.send(&store, row, payload, ttl, topic).await });
    }

    async fn send(
        &self,
        store: &Store,
        row: PushSubscriptionRow,
        payload: Vec<u8>,
        ttl: u32,
        topic: Option<String>,
    ) {
        let Ok(_permit) = self.in_flight.acquire().await else {
            return;
        };
        let outcome =
            tokio::time::timeout(SEND_TIMEOUT, self.post(&row, payload, ttl, topic)).await;
        // Only the host is logged: the endpoint's path identifies the browser.
        let host = row.endpoint.split('/').nth(2).unwrap_or("?").to_string();
        match outcome {
            Ok(Ok(Outcome::Delivered)) => {}
            Ok(Ok(Outcome::Gone)) => {
                tracing::info!(device = %row.device_id, %host, "push subscription gone; removed");
                if let Err(error) =
                    store.delete_push_subscription(&row.device_id, Some(&row.endpoint))
                {
                    tracing::error!(%error, "removing a push subscription");
                }
            }
            Ok(Ok(other)) => {
                tracing::warn!(device = %row.device_id, %host, ?other, "push not accepted")
            }
            Ok(Err(error)) => tracing::warn!(device = %row.device_id, %host, %error, "push failed"),
            Err(_) => tracing::warn!(device = %row.device_id, %host, "push timed out"),
        }
    }

    async fn post(
        &self,
        row: &PushSubscriptionRow,
        payload: Vec<u8>,
        ttl: u32,
        topic: Option<String>,
    ) -> Result<Outcome, String> {
        let sub = Subscription::new(
            row.endpoint.clone(),
            row.p256dh.clone(),
            row.auth.clone(),
            self.policy,
        )
        .map_err(|e| e.to_string())?;
        let message = Message {
            payload,
            ttl,
            urgency: Urgency::High,
            topic,
        };
        let request =
            tessera_webpush::build_request(&sub, &self.vapid, &message, self.policy, now())
                .map_err(|e| e.to_string())?;
        let (parts, body) = request.into_parts();
        let request = http::Request::from_parts(parts, Full::new(Bytes::from(body)));
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        // Read (a bounded part of) the body so the connection can be reused.
        let _ = http_body_util::Limited::new(response.into_body(), 4096)
            .collect()
            .await;
        Ok(Outcome::of(status))
    }
}
