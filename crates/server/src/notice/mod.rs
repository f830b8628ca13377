//! "A new device was added to your Tessera" (issue 17): every activation, restore or
//! replacement sends the user an e-mail and an SMS, and a Web Push to the user's other
//! devices, with a link that suspends the new device and records it in the helpdesk audit
//! log ("Not you?").
//!
//! The link is `/device-added/{id}/{token}`: the id names a row that names the device, the
//! token (256 random bits, only its SHA-256 stored) proves the link was received. It works
//! once, for [`NOTICE_VALID_SECS`], and only on the device it was made for. Opening it
//! shows a page and changes nothing (mail scanners and link previews open links); the
//! page's button suspends.
mod texts;

use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::get,
};
use maud::html;
use tessera_protocol::{push::DeviceAddedPush, sha256};

use crate::{
    clock::{now, utc},
    error::AppResult,
    outbox::Channel,
    pages::{page_in, secured},
    secrets::{random_id, random_token},
    state::{AppState, Change},
    store::NoticeUsed,
};
use texts::{Text, fill, known, t};

/// How long the link of a notice works.
pub const NOTICE_VALID_SECS: u64 = 7 * 86_400;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/device-added/{id}/{token}",
        get(notice_page).post(notice_suspend),
    )
}

/// `2026-12-04T09:55:08Z` → `2026-12-04 09:55 UTC`: what people read in a message.
fn date(unix: u64) -> String {
    let iso = utc(unix);
    format!("{} {} UTC", &iso[..10], &iso[11..16])
}

/// Tells the user that `device_id` (`device_name`) was just added: SMS and e-mail to the
/// user's contacts, a push to the user's other devices. In the user's language when a
/// device of theirs told it (its push subscription), else English.
pub fn device_added(
    app: &AppState,
    user_id: &str,
    device_id: &str,
    device_name: &str,
    now: u64,
) -> AppResult<()> {
    let lang = app
        .store
        .push_subscriptions_of(user_id)?
        .into_iter()
        .find(|row| row.device_id != device_id)
        .map_or("en", |row| known(&row.lang));
    let (id, (token, token_hash)) = (random_id(), random_token());
    app.store.insert_device_notice(
        &id,
        &token_hash,
        user_id,
        device_id,
        lang,
        now,
        now + NOTICE_VALID_SECS,
    )?;
    let link = format!("{}/device-added/{id}/{token}", app.config.public_url);
    let when = date(now);
    if let Some((phone, email)) = app.store.contact(user_id)? {
        let sms = fill(t(lang, Text::Sms), device_name, &when, &link);
        app.outbox.send(Channel::Sms, &phone, &sms)?;
        let mail = fill(t(lang, Text::Email), device_name, &when, &link);
        app.outbox.send(Channel::Email, &email, &mail)?;
    }
    let (name, at) = (device_name.to_owned(), when);
    app.pusher
        .notify_device_added(app.store.clone(), user_id, device_id, move |lang| {
            let lang = known(lang);
            DeviceAddedPush {
                v: 1,
                notice: "device_added".into(),
                title: t(lang, Text::PushTitle).into(),
                body: fill(t(lang, Text::PushBody), &name, &at, ""),
                link: link.clone(),
                lang: lang.into(),
            }
        });
    Ok(())
}

/// `GET`: what was added, and the button that suspends it. Changes nothing.
async fn notice_page(
    State(app): State<AppState>,
    Path((id, token)): Path<(String, String)>,
) -> AppResult<Response> {
    let Some(notice) = app.store.device_notice(&id, &sha256(token.as_bytes()))? else {
        return Ok(invalid("en"));
    };
    let lang = notice.lang.as_str();
    if notice.used || now() >= notice.expires_at {
        return Ok(invalid(lang));
    }
    let when = date(notice.created_at);
    let body = html! {
        h1 { (t(lang, Text::PageTitle)) }
        section {
            p #notice-ask { (fill(t(lang, Text::PageAsk), &notice.device_name, &when, "")) }
            form method="post" {
                button.danger #notice-suspend type="submit" { (t(lang, Text::PageButton)) }
            }
            p.muted { (t(lang, Text::PageKeep)) }
        }
    };
    Ok(secured(page_in(lang, "Tessera", html! {}, body)))
}

/// `POST`: suspends the device the link names, once.
async fn notice_suspend(
    State(app): State<AppState>,
    Path((id, token)): Path<(String, String)>,
) -> AppResult<Response> {
    let token_hash = sha256(token.as_bytes());
    // Read before use, for the page's language and the device's name only.
    let Some(notice) = app.store.device_notice(&id, &token_hash)? else {
        return Ok(invalid("en"));
    };
    let lang = notice.lang.as_str();
    let outcome = app.store.use_device_notice(&id, &token_hash, now())?;
    let text = match outcome {
        NoticeUsed::Suspended => Text::PageDone,
        NoticeUsed::NotActive => Text::PageNotActive,
        NoticeUsed::Invalid => return Ok(invalid(lang)),
    };
    if outcome == NoticeUsed::Suspended {
        tracing::warn!(device = %notice.device_id, "device suspended from its new-device notice");
        app.notify(Change::User(notice.user_id.clone()));
    }
    let body = html! {
        h1 { (t(lang, Text::PageTitle)) }
        section.notice.ok #notice-result role="status" data-result=(match outcome {
            NoticeUsed::Suspended => "suspended",
            _ => "not_active",
        }) {
            (fill(t(lang, text), &notice.device_name, "", ""))
        }
    };
    Ok(secured(page_in(lang, "Tessera", html! {}, body)))
}

fn invalid(lang: &str) -> Response {
    let body = html! {
        h1 { (t(lang, Text::PageTitle)) }
        section.notice.error #notice-result role="alert" data-result="invalid" {
            (t(lang, Text::PageInvalid))
        }
    };
    secured(page_in(lang, "Tessera", html! {}, body))
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(super::date(1_795_564_800), "2026-11-25 00:00 UTC");
    }
}
