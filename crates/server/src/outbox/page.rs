//! The built-in outbox shown as a page and as JSON, so the demo and the tests can read
//! what was sent.
use axum::{Json, Router, extract::State, response::Response, routing::get};

use crate::{
    error::AppResult,
    pages::{escape, page, secured},
    state::AppState,
    store::OutboxMessage,
};

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
