//! The device lifecycle in the browser: the helpdesk console (agent login, recognising
//! the caller, suspending and resuming a device, the audit log), and what a stopped
//! device can no longer do on a partner's page.
use tessera_e2e::*;

/// The helpdesk console: log in as the demo agent and open Alice's page.
async fn helpdesk_on_alice(agent: &Browser, server: &Server) {
    agent.goto(&format!("{}/helpdesk", server.url())).await;
    agent.type_into("#agent-id", "agent").await;
    agent.type_into("#agent-password", "Helpdesk-Demo-1!").await;
    agent.click("#agent-login").await;
    agent.type_into("#user-query", "alice").await;
    agent.click("#user-find").await;
    agent.find("#devices-h").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_the_helpdesk_suspends_cannot_log_in_until_resumed() {
    let server = Server::start(180);
    let (agent, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &server, &DEMO_USERS[0]).await;

    // Nothing without an agent login.
    phone
        .goto(&format!("{}/helpdesk/users/alice", server.url()))
        .await;
    phone.find("#agent-login").await;

    helpdesk_on_alice(&agent, &server).await;
    let suspend = agent.find("[id^='suspend-']").await;
    let device = suspend.attr("id").await.unwrap().unwrap()["suspend-".len()..].to_string();
    let row = format!("#device-{device}");
    assert_eq!(
        agent.attr(&row, "data-status").await.as_deref(),
        Some("active")
    );
    // Resuming or revoking needs the caller recognised; suspending does not.
    assert!(
        agent
            .attr(&format!("#revoke-{device}"), "disabled")
            .await
            .is_some()
    );
    suspend.click().await.unwrap();
    agent.wait_attr("#notice", "data-notice", "suspended").await;
    assert_eq!(
        agent.attr(&row, "data-status").await.as_deref(),
        Some("suspended")
    );
    agent.screenshot("helpdesk-user").await;

    // The phone cannot open the bank's request; the widget never logs anyone in.
    let desktop = Browser::desktop().await;
    let link = show_qr(&desktop, &server.bank_url()).await;
    phone.goto(&link).await;
    phone
        .wait_attr("#problem", "data-problem", "device_inactive")
        .await;
    assert_eq!(
        desktop
            .attr("#tessera-status", "data-state")
            .await
            .as_deref(),
        Some("pending")
    );

    // The caller answers the security questions (spelled loosely), and is recognised.
    agent.type_into("#answer-0", "esch-sur-alzette").await;
    agent.type_into("#answer-1", "REX").await;
    agent.type_into("#answer-2", "rue de la  gare").await;
    agent.click("#verify-caller").await;
    agent.wait_attr("#notice", "data-notice", "verified").await;
    agent.click(&format!("#resume-{device}")).await;
    agent.wait_attr("#notice", "data-notice", "resumed").await;

    let link = show_qr(&desktop, &server.bank_url()).await;
    open_scanned(&phone, &link).await;
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "alice").await;

    agent
        .goto(&format!("{}/helpdesk/audit", server.url()))
        .await;
    let log = agent.text("#audit").await;
    for action in [
        "agent_login",
        "user_looked_up",
        "device_suspended",
        "caller_recognised",
        "device_resumed",
    ] {
        assert!(log.contains(action), "{action} is in the audit log:\n{log}");
    }
    for secret in ["esch-sur-alzette", "REX", "Helpdesk-Demo-1!"] {
        assert!(!log.contains(secret), "{secret} leaked into the audit log");
    }
    agent.screenshot("helpdesk-audit").await;
    agent.close().await;
    desktop.close().await;
    phone.close().await;
}
