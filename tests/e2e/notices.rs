//! "A new device was added to your Tessera" (issue 17): a second device activated in the
//! companion is announced by SMS and e-mail; the link in them, followed on the first
//! phone, suspends the new device, which then cannot log in, and the helpdesk console
//! shows it suspended and the report in the audit log.
use tessera_e2e::*;

use crate::lifecycle::{lost_device_activation, security_code_from_helpdesk};

#[tokio::test(flavor = "multi_thread")]
async fn a_device_added_is_announced_and_its_link_suspends_it() {
    let server = Server::start(180);
    let (agent, first) = (Browser::desktop().await, Browser::phone().await);
    activate(&first, &server, &DEMO_USERS[0]).await;
    let code = security_code_from_helpdesk(&agent, &server).await;
    let second = Browser::phone().await;
    lost_device_activation(&second, &server, &code).await;
    second.find("#cert-details").await;

    // Alice reads the outbox page as her messages: the SMS and the e-mail name the new
    // device and carry one link.
    first.goto(&format!("{}/outbox", server.url())).await;
    first
        .wait_text(
            "body",
            "A new device, \"New phone\", was added to your Tessera",
        )
        .await;
    let page = first.page_text().await;
    let links: Vec<&str> = page
        .split_whitespace()
        .filter(|word| word.contains("/device-added/"))
        .collect();
    assert!(
        links.len() >= 2,
        "an SMS and an e-mail with the link:\n{page}"
    );
    let link = links[0].to_owned();
    assert!(
        links.iter().filter(|l| **l == link).count() >= 2,
        "the same link in both"
    );

    first.goto(&link).await;
    first.find("#notice-suspend").await;
    assert!(first.text("#notice-ask").await.contains("New phone"));
    first.screenshot("device-added-notice").await;
    first.axe("new-device notice: ask").await;
    first.click("#notice-suspend").await;
    first
        .wait_attr("#notice-result", "data-result", "suspended")
        .await;
    first.axe("new-device notice: suspended").await;

    // The new phone can no longer answer a partner's request.
    let desktop = Browser::desktop().await;
    let qr = show_qr(&desktop, &server.bank_url()).await;
    second.goto(&qr).await;
    second
        .wait_attr("#problem", "data-problem", "device_inactive")
        .await;

    // The helpdesk sees the device suspended and the user's report.
    agent
        .goto(&format!("{}/helpdesk/users/alice", server.url()))
        .await;
    let suspended = agent.find("tr[data-status='suspended']").await;
    assert!(suspended.text().await.unwrap().contains("New phone"));
    agent
        .goto(&format!("{}/helpdesk/audit", server.url()))
        .await;
    let log = agent.text("#audit").await;
    assert!(log.contains("device_suspended_by_user"), "{log}");

    // The link works once.
    first.goto(&link).await;
    first
        .wait_attr("#notice-result", "data-result", "invalid")
        .await;
    for browser in [agent, first, second, desktop] {
        browser.close().await;
    }
}
