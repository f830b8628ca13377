//! SMS and e-mail leave through an [`Outbox`]. The one built in keeps messages in the
//! database and shows them on a page, so the demo and the tests can read them; a real
//! SMS or mail gateway implements the same trait.
use std::sync::Arc;

use axum::{Json, Router, extract::State, response::Response, routing::get};

use crate::{
    AppState,
    error::AppResult,
    now,
    pages::{escape, page, secured},
    store::{OutboxMessage, Store},
};

#[derive(Debug, Clone, Copy)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    fn name(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

pub trait Outbox: Send + Sync {
    fn send(&self, channel: Channel, recipient: &str, body: &str) -> AppResult<()>;
}

pub struct StoreOutbox(pub Arc<Store>);

impl Outbox for StoreOutbox {
    fn send(&self, channel: Channel, recipient: &str, body: &str) -> AppResult<()> {
        self.0
            .insert_message(channel.name(), recipient, body, now())
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/outbox", get(outbox_list))
        .route("/outbox", get(outbox_page))
}

async fn outbox_list(State(app): State<AppState>) -> AppResult<Json<Vec<OutboxMessage>>> {
    Ok(Json(app.store.messages()?))
}

async fn outbox_page(State(app): State<AppState>) -> AppResult<Response> {
    let rows: String = app
        .store
        .messages()?
        .iter()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                m.id,
                m.channel,
                escape(&m.recipient),
                escape(&m.body)
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Outbox</h1><p>SMS and e-mail that Tessera sent (newest first). A real deployment plugs in a gateway instead.</p>
<section><table><thead><tr><th scope="col">#</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Message</th></tr></thead>
<tbody>{rows}</tbody></table></section>"#
    );
    Ok(secured(page("Tessera outbox", "", &body)))
}
