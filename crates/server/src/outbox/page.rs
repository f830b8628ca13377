//! The built-in outbox shown as a page and as JSON, so the demo and the tests can read
//! what was sent.
use axum::{Json, Router, extract::State, response::Response, routing::get};
use maud::html;

use crate::{
    error::AppResult,
    pages::{page, secured},
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
    let messages = app.store.messages()?;
    let body = html! {
        h1 { "Outbox" }
        p { "SMS and e-mail that Tessera sent (newest first). A real deployment plugs in a gateway instead." }
        section {
            table {
                thead { tr {
                    th scope="col" { "#" } th scope="col" { "Channel" }
                    th scope="col" { "To" } th scope="col" { "Message" }
                } }
                tbody {
                    @for m in &messages {
                        tr { td { (m.id) } td { (m.channel) } td { (m.recipient) } td { (m.body) } }
                    }
                }
            }
        }
    };
    Ok(secured(page("Tessera outbox", html! {}, body)))
}
