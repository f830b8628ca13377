//! "A new device was added to your Tessera" (issue 17): every activation tells the user by
//! e-mail and SMS with a link that suspends that device, once, before it expires, and
//! records it in the audit log; the link cannot reach any other device.
mod common;

use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
};
use common::*;
use http_body_util::BodyExt;
use tessera_protocol::Decision;
use tower::ServiceExt;

/// The links in the newest messages to `recipient` that carry one, newest first.
fn notice_links(h: &Harness, recipient: &str) -> Vec<String> {
    h.state
        .store
        .messages()
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == recipient)
        .filter_map(|m| {
            m.body
                .split_whitespace()
                .find(|w| w.contains("/device-added/"))
                .map(str::to_owned)
        })
        .collect()
}

/// The path of the newest notice link (both channels carry the same one).
fn newest_link(h: &Harness) -> String {
    let sms = notice_links(h, "+352 621 000 001");
    let mail = notice_links(h, "alice@example.lu");
    assert_eq!(sms.first(), mail.first(), "SMS and e-mail carry one link");
    let link = sms.first().expect("a notice by SMS").clone();
    link.strip_prefix("http://127.0.0.1:1")
        .expect("on the server's public URL")
        .to_owned()
}

/// `GET` or `POST` `path`: the status and the page.
async fn page(h: &Harness, method: Method, path: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap();
    let response = h.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

fn result_of(html: &str) -> &str {
    let start = html.find("data-result=\"").expect("a result") + 13;
    &html[start..start + html[start..].find('"').unwrap()]
}

fn status_of(h: &Harness, device_id: &str) -> String {
    h.state
        .store
        .devices_of("alice")
        .unwrap()
        .into_iter()
        .find(|d| d.id == device_id)
        .map(|d| d.status.as_str().to_owned())
        .unwrap()
}

#[tokio::test]
async fn an_activation_sends_a_link_that_suspends_that_device_once() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let messages = h.state.store.messages().unwrap();
    let mail = messages
        .iter()
        .find(|m| m.channel == "email" && m.recipient == "alice@example.lu")
        .expect("an e-mail to alice");
    assert!(
        mail.body
            .contains("A new device, \"Test phone\", was added to your Tessera on 20"),
        "{}",
        mail.body
    );
    assert!(mail.body.contains("Not you?"));
    let link = newest_link(&h);

    // Opening the link (a mail scanner, a preview) changes nothing.
    let (status, html) = page(&h, Method::GET, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"notice-suspend\""), "{html}");
    assert!(html.contains("Test phone"));
    assert_eq!(status_of(&h, &phone.device_id), "active");

    // The button suspends it, and the helpdesk sees why.
    let (_, html) = page(&h, Method::POST, &link).await;
    assert_eq!(result_of(&html), "suspended", "{html}");
    assert_eq!(status_of(&h, &phone.device_id), "suspended");
    let audit = h.state.store.audit_entries(Some("alice"), 10).unwrap();
    let entry = audit
        .iter()
        .find(|e| e.action == "device_suspended_by_user")
        .expect("the audit entry");
    assert_eq!(entry.device_id.as_deref(), Some(phone.device_id.as_str()));

    // The suspended device cannot approve.
    let session = h.create_session().await;
    let reply = h.scan(&phone, &session).await;
    assert_ne!(reply.status, StatusCode::OK, "{}", reply.body);

    // Once: the same link again, and its page, say it is not valid.
    let (_, html) = page(&h, Method::POST, &link).await;
    assert_eq!(result_of(&html), "invalid");
    let (_, html) = page(&h, Method::GET, &link).await;
    assert_eq!(result_of(&html), "invalid");
}

#[tokio::test]
async fn a_link_reaches_only_its_own_device_and_expires() {
    let h = harness().await;
    let first = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let first_link = newest_link(&h);
    let (reply, second) = activate_with_security_code(&h).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let second = second.unwrap();
    let second_link = newest_link(&h);
    assert_ne!(first_link, second_link, "one link per device added");

    // A guessed token, another link's token on this id, a truncated link: nothing.
    let parts = |link: &str| {
        let mut p = link.rsplitn(2, '/');
        let token = p.next().unwrap().to_owned();
        (p.next().unwrap().to_owned(), token)
    };
    let (first_id, first_token) = parts(&first_link);
    let (second_id, second_token) = parts(&second_link);
    for forged in [
        format!("{second_id}/{first_token}"),
        format!("{first_id}/{second_token}"),
        format!("{second_id}/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        format!("{second_id}/{}", &second_token[..20]),
    ] {
        let (_, html) = page(&h, Method::POST, &forged).await;
        assert_eq!(result_of(&html), "invalid", "{forged}");
    }
    assert_eq!(status_of(&h, &first.device_id), "active");
    assert_eq!(status_of(&h, &second.device_id), "active");

    // Expired: a week later the link no longer works.
    h.sql("UPDATE device_notices SET expires_at = 1");
    let (_, html) = page(&h, Method::POST, &second_link).await;
    assert_eq!(result_of(&html), "invalid");
    assert_eq!(status_of(&h, &second.device_id), "active");

    // The first device still answers; nothing else moved.
    let (phone, session) = (first, h.create_session().await);
    let request = device_request(h.scan(&phone, &session).await);
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn a_device_already_revoked_is_left_as_it_is() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let link = newest_link(&h);
    h.sql(&format!(
        "UPDATE devices SET status = 'revoked' WHERE id = '{}'",
        phone.device_id
    ));
    let (_, html) = page(&h, Method::POST, &link).await;
    assert_eq!(result_of(&html), "not_active");
    assert_eq!(status_of(&h, &phone.device_id), "revoked");
}
