//! Web Push to the companion while it is closed (issue 16). The device registers its
//! browser's subscription ([`routes`]); when a partner pushes a session to a user, each of
//! the user's active devices with a subscription gets an encrypted message naming the
//! session, its partner and its kind ([`Pusher::notify_user`]), sent off the request path.
//! A device without a subscription still gets the request through its open page's event
//! stream, as before.
//!
//! The crypto and the request are `tessera-webpush`; this module keeps the VAPID key (in
//! the database, like the CA keys), sends with hyper over rustls (webpki roots, no
//! OpenSSL), and removes subscriptions the push service says are gone (404, 410).
pub mod routes;
pub mod sender;

pub use routes::routes;
pub use sender::{PushConfig, Pusher};
