//! The device lifecycle in the browser: the helpdesk console (agent login, recognising
//! the caller, suspending and resuming a device, the audit log), and what a stopped
//! device can no longer do on a partner's page.
use tessera_e2e::*;

/// The helpdesk console: log in as the demo agent and open Alice's page.
async fn helpdesk_on_alice(agent: &Browser, server: &Server) {
    agent.goto(&format!("{}/helpdesk", server.url())).await;
    agent.find("#agent-id").await;
    agent.axe("helpdesk: agent login").await;
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
    agent.axe("helpdesk: user page, device suspended").await;

    // The phone cannot open the bank's request; the widget never logs anyone in.
    let desktop = Browser::desktop().await;
    let link = show_qr(&desktop, &server.bank_url()).await;
    phone.goto(&link).await;
    phone
        .wait_attr("#problem", "data-problem", "device_inactive")
        .await;
    phone.axe("companion: problem (device inactive)").await;
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
    agent.axe("helpdesk: audit log").await;
    agent.close().await;
    desktop.close().await;
    phone.close().await;
}

/// The helpdesk recognises Alice and e-mails her a security code; returns it from the
/// outbox, as Alice would read her e-mail.
pub(crate) async fn security_code_from_helpdesk(agent: &Browser, server: &Server) -> String {
    helpdesk_on_alice(agent, server).await;
    agent.type_into("#answer-0", "Esch-sur-Alzette").await;
    agent.type_into("#answer-1", "Rex").await;
    agent.type_into("#answer-2", "Rue de la Gare").await;
    agent.click("#verify-caller").await;
    agent.wait_attr("#notice", "data-notice", "verified").await;
    another_security_code(agent, server).await
}

/// The same agent, within the 15 minutes the caller stays recognised, sends a new code.
async fn another_security_code(agent: &Browser, server: &Server) -> String {
    agent
        .goto(&format!("{}/helpdesk/users/alice", server.url()))
        .await;
    agent.find("#caller-verified").await;
    agent.click("#send-code").await;
    agent.wait_attr("#notice", "data-notice", "code_sent").await;
    let mail = server.message_with("security code is");
    let code: String = mail.chars().filter(char::is_ascii_digit).take(8).collect();
    assert_eq!(code.len(), 8, "{mail}");
    code
}

/// Flow D on a new phone, up to the point where the server answers.
pub(crate) async fn lost_device_activation(phone: &Browser, server: &Server, code: &str) {
    let alice = &DEMO_USERS[0];
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.click("#btn-activate").await;
    phone.type_into("#act-user-id", alice.id).await;
    phone.type_into("#act-password", alice.password).await;
    phone.click("#act-lost-device").await;
    phone.type_into("#act-security-code", code).await;
    phone.type_into("#act-pin", PIN).await;
    phone.type_into("#act-pin-confirm", PIN).await;
    phone.type_into("#act-device-name", "New phone").await;
    phone.click("#act-submit").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_phone_is_replaced_with_the_helpdesk_code_and_a_third_replaces_one() {
    let server = Server::start(180);
    let (agent, first) = (Browser::desktop().await, Browser::phone().await);
    activate(&first, &server, &DEMO_USERS[0]).await;

    let code = security_code_from_helpdesk(&agent, &server).await;
    let second = Browser::phone().await;
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    lost_device_activation(&second, &server, wrong).await;
    second.wait_text("#form-error", "4").await; // attempts left
    second
        .axe("companion: lost device, wrong security code")
        .await;
    second.type_into("#act-security-code", &code).await;
    second.click("#act-submit").await;
    second.find("#cert-details").await;

    // A third device: the user must choose which one it replaces.
    let code = another_security_code(&agent, &server).await;
    let third = Browser::phone().await;
    lost_device_activation(&third, &server, &code).await;
    third.find("#replace").await;
    third.screenshot("companion-replace").await;
    third.axe("companion: choose the device to replace").await;
    let choice = third.find("input[id^='replace-']").await;
    let replaced = choice.attr("id").await.unwrap().unwrap()["replace-".len()..].to_string();
    choice.click().await.unwrap();
    third.click("#btn-replace").await;
    third.find("#cert-details").await;

    // The replaced phone is the first one (the oldest is listed first), and it can no
    // longer log in; the two others can.
    agent
        .goto(&format!("{}/helpdesk/users/alice", server.url()))
        .await;
    assert_eq!(
        agent
            .attr(&format!("#device-{replaced}"), "data-status")
            .await
            .as_deref(),
        Some("replaced")
    );
    let desktop = Browser::desktop().await;
    let link = show_qr(&desktop, &server.bank_url()).await;
    first.goto(&link).await;
    first
        .wait_attr("#problem", "data-problem", "device_inactive")
        .await;
    open_scanned(&third, &link).await;
    approve_on_phone(&third).await;
    expect_logged_in(&desktop, "alice").await;
    for browser in [agent, desktop, first, second, third] {
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restores_tessera_on_a_new_phone_after_the_sms_link() {
    let server = Server::start(180);
    let old = Browser::phone().await;
    let alice = &DEMO_USERS[0];
    activate(&old, &server, alice).await;
    old.click("#btn-continue").await;
    old.click("#btn-devices").await;
    old.find("#btn-backup").await;
    old.axe("companion: devices").await;
    old.click("#btn-backup").await;
    old.find("#backup-password").await;
    old.axe("companion: backup").await;
    old.type_into("#backup-password", alice.password).await;
    old.click("#btn-backup-create").await;
    old.find("#download-backup").await;
    old.axe("companion: backup ready").await;
    let (name, file) = old.download("#download-backup").await;
    assert_eq!(name, "tessera-backup-alice.json");
    let text = String::from_utf8(file.clone()).unwrap();
    assert!(
        text.contains("tessera-backup/1") && !text.contains("alice"),
        "encrypted: {text}"
    );
    let path = std::env::temp_dir().join(format!("tessera-e2e-backup-{}.json", server.port));
    std::fs::write(&path, &file).unwrap();

    let new = Browser::phone().await;
    new.goto(&format!("{}/companion/", server.url())).await;
    new.click("#btn-activate").await;
    new.type_into("#act-user-id", alice.id).await;
    new.type_into("#act-password", "Not-the-password-1!").await;
    new.click("#act-restore").await;
    new.find("#restore-file")
        .await
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    // The wrong password cannot open the file.
    new.find("#restore-error").await;
    new.axe("companion: restore, wrong password").await;
    new.type_into("#act-password", alice.password).await;
    new.click("#btn-restore-open").await;
    new.find("#restore-contents").await;
    new.axe("companion: restore, the backup's contents").await;
    new.click("#btn-restore-confirm").await;
    new.type_into("#act-pin", PIN).await;
    new.type_into("#act-pin-confirm", PIN).await;
    new.click("#act-submit").await;
    new.find("#pending").await;
    new.screenshot("companion-restore-pending").await;
    new.axe("companion: restored, waiting for the SMS link")
        .await;

    let sms = server.message_with("/#/confirm/");
    let link = sms
        .split_whitespace()
        .find(|w| w.contains("/#/confirm/"))
        .unwrap();
    new.goto(link).await;
    new.find("#cert-details").await;
    let _ = std::fs::remove_file(&path);

    let desktop = Browser::desktop().await;
    let qr = show_qr(&desktop, &server.bank_url()).await;
    open_scanned(&new, &qr).await;
    approve_on_phone(&new).await;
    expect_logged_in(&desktop, "alice").await;
    for browser in [old, new, desktop] {
        browser.close().await;
    }
}
