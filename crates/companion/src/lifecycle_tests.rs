use super::*;
use crate::backup::encrypt;
use tessera_protocol::testkit::NOW;

fn summary(id: &str, status: DeviceStatus, last_used_at: Option<u64>) -> DeviceSummary {
    DeviceSummary {
        id: id.into(),
        name: format!("Phone {id}"),
        status,
        created_at: NOW,
        last_used_at,
    }
}

fn request(credential: Credential) -> ActivationRequest {
    ActivationRequest {
        user_id: "alice".into(),
        password: "Tessera-Demo-1!".into(),
        credential,
        pin: "246810".into(),
        device_name: "New phone".into(),
        public_key: "pk".into(),
        proof: "proof".into(),
        replace_device_id: None,
        setup: None,
    }
}

#[test]
fn paths_have_their_ids_in_the_seeds_order() {
    assert_eq!(
        Path::ALL.map(Path::id),
        [
            "act-token",
            "act-scan",
            "act-with-code",
            "act-restore",
            "act-lost-device"
        ]
    );
    assert_eq!(
        Lang::En.t(Path::LostDevice.label()),
        "I no longer have my device"
    );
    assert_eq!(Lang::Fr.t(Path::Token.label()), "Avec mon Token");
    assert_eq!(
        Path::ALL.map(Path::needs_password),
        [true, false, true, true, true],
        "a Scan needs no password"
    );
}

#[test]
fn token_and_scan_codes_have_six_digits() {
    assert_eq!(token_code("482 913"), Ok("482913".into()));
    assert_eq!(scan_response(" 048291 "), Ok("048291".into()));
    for bad in ["", "12345", "1234567", "12345a", "１２３４５６"] {
        assert_eq!(token_code(bad), Err(T::TokenCodeShape), "{bad:?}");
        assert_eq!(scan_response(bad), Err(T::ScanResponseShape), "{bad:?}");
    }
    assert_eq!(group_challenge("12345678"), "1234 5678");
    assert_eq!(group_challenge("123"), "123");
    assert_eq!(minutes_seconds(299), "4:59");
    assert_eq!(minutes_seconds(65), "1:05");
    assert_eq!(minutes_seconds(0), "0:00");
}

#[test]
fn a_scan_activation_is_answered_with_the_second_mosaic() {
    let answer = activation_answer(
        200,
        r#"{"challenge_id":"c-2","challenge":"80317254","expires_at":300}"#,
    );
    let Ok(ActivationAnswer::Scan(challenge)) = answer else {
        panic!("{answer:?}");
    };
    assert_eq!(challenge.challenge, "80317254");
    let request = request(Credential::Scan {
        challenge_id: "c-1".into(),
        response: "123456".into(),
    });
    let second = ScanSecond::new(&request, challenge);
    assert_eq!(
        (second.user_id.as_str(), second.device_name.as_str()),
        ("alice", "New phone")
    );
    // 200 with a device is an activation, as before.
    let activated = activation_answer(200, r#"{"device_id":"d-2","certificates":[]}"#);
    assert!(matches!(activated, Ok(ActivationAnswer::Activated(_))));
    let retry = format!("{:?}", Retry(Rc::new(request)));
    assert!(
        retry.contains("\"scan\"") && !retry.contains("123456"),
        "{retry}"
    );
}

#[test]
fn a_security_code_has_eight_digits() {
    assert_eq!(security_code("12345678"), Ok("12345678".into()));
    assert_eq!(security_code(" 1234 5678 "), Ok("12345678".into()));
    for bad in [
        "",
        "1234567",
        "123456789",
        "1234567a",
        "１２３４５６７８",
        "1234-5678",
    ] {
        assert_eq!(security_code(bad), Err(T::SecurityCodeShape), "{bad:?}");
    }
    assert_eq!(
        Lang::En.t(T::SecurityCodeShape),
        "The security code must be exactly 8 digits."
    );
}

#[test]
fn activation_answers() {
    let activated = activation_answer(201, r#"{"device_id":"d-2","certificates":["a","b"]}"#);
    assert!(matches!(activated, Ok(ActivationAnswer::Activated(a)) if a.device_id == "d-2"));

    let pending = activation_answer(
        202,
        r#"{"activation_id":"p-1","phone_hint":"+352 ••• ••• 001","expires_at":100}"#,
    );
    assert!(
        matches!(pending, Ok(ActivationAnswer::Pending(p)) if p.activation_id == "p-1" && p.expires_at == 100)
    );

    let limit = r#"{"code":"device_limit","message":"m","devices":[
        {"id":"d-1","name":"Old","status":"active","created_at":1},
        {"id":"d-2","name":"Tablet","status":"suspended","created_at":2,"last_used_at":3}]}"#;
    match activation_answer(409, limit) {
        Ok(ActivationAnswer::Replace(devices)) => {
            assert_eq!(devices.len(), 2);
            assert_eq!(devices[0].last_used_at, None);
            assert_eq!(devices[1].status, DeviceStatus::Suspended);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn other_answers_are_the_servers_errors() {
    let wrong = activation_answer(
        401,
        r#"{"code":"wrong_security_code","message":"m","attempts_left":4}"#,
    )
    .expect_err("an error");
    assert_eq!(wrong.code(), "wrong_security_code");
    assert_eq!(
        wrong.message(Lang::En),
        "The security code is wrong. Attempts left: 4."
    );
    let conflict = activation_answer(409, r#"{"code":"something_else","message":"m"}"#)
        .expect_err("not a device limit");
    assert_eq!(conflict.code(), "something_else");
    let void = activation_answer(403, r#"{"code":"security_code_void","message":"m"}"#)
        .expect_err("an error");
    assert!(void.message(Lang::En).contains("call the helpdesk"));
    assert_eq!(
        activation_answer(201, "not json").expect_err("garbled"),
        Failure::Network
    );
}

#[test]
fn a_retry_names_the_replaced_device_and_keeps_the_rest() {
    let retry = Retry(Rc::new(request(Credential::SecurityCode(
        "12345678".into(),
    ))));
    let again = retry.replacing("d-1");
    assert_eq!(again.replace_device_id.as_deref(), Some("d-1"));
    assert_eq!(
        (
            again.user_id.as_str(),
            again.public_key.as_str(),
            again.pin.as_str()
        ),
        ("alice", "pk", "246810")
    );
    assert!(matches!(again.credential, Credential::SecurityCode(c) if c == "12345678"));
    assert_eq!(retry, retry.clone());
    assert_ne!(retry, Retry(Rc::new((*retry.0).clone())));
    let shown = format!("{retry:?}");
    assert!(
        shown.contains("security_code")
            && !shown.contains("12345678")
            && !shown.contains("Tessera-Demo")
            && !shown.contains("246810"),
        "{shown}"
    );
}

#[test]
fn a_pending_activation_remembers_what_finishing_needs() {
    let request = request(Credential::Backup("secret".into()));
    let pending = PendingActivation::new(
        &request,
        ActivationPending {
            activation_id: "p-1".into(),
            phone_hint: "+352 ••• ••• 001".into(),
            expires_at: NOW + 360 * 60,
        },
    );
    assert_eq!(
        (pending.user_id.as_str(), pending.device_name.as_str()),
        ("alice", "New phone")
    );
    assert!(!pending.expired(NOW));
    assert!(pending.expired(NOW + 360 * 60));
    let stored = serde_json::to_string(&pending).expect("json");
    assert!(!stored.contains("secret") && !stored.contains("Tessera-Demo"));
    assert_eq!(
        serde_json::from_str::<PendingActivation>(&stored).expect("json"),
        pending
    );
}

#[test]
fn device_rows_say_this_device_status_and_last_use() {
    let devices = [
        summary("d-1", DeviceStatus::Active, Some(NOW + 3600)),
        summary("d-2", DeviceStatus::Suspended, None),
        summary("d-3", DeviceStatus::Locked, None),
        summary("d-4", DeviceStatus::Revoked, None),
        summary("d-5", DeviceStatus::Replaced, None),
    ];
    let sorted = device_rows(&devices, Some("d-2"), Lang::En);
    assert_eq!(
        sorted.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["d-2", "d-1", "d-3", "d-4", "d-5"],
        "this device first, then those that count, then the history"
    );
    assert!(sorted[0].this_device && !sorted[1].this_device);
    let rows = device_rows(&devices, None, Lang::En);
    assert!(rows.iter().all(|r| !r.this_device));
    assert_eq!(
        rows.iter().map(|r| r.status).collect::<Vec<_>>(),
        [
            "Active",
            "Suspended",
            "Locked (wrong PIN)",
            "Removed",
            "Replaced"
        ]
    );
    assert_eq!(rows[0].activated, "Activated: 25 November 2026, 00:00 UTC");
    assert_eq!(rows[0].last_used, "Last used: 25 November 2026, 01:00 UTC");
    assert_eq!(rows[1].last_used, "Last used: never used");
    assert_eq!(
        rows.iter().map(|r| r.actions.clone()).collect::<Vec<_>>(),
        [
            vec![DeviceAction::Suspend, DeviceAction::Remove],
            vec![DeviceAction::Remove],
            vec![DeviceAction::Remove],
            vec![],
            vec![],
        ]
    );
    let fr = device_rows(&devices[1..2], None, Lang::Fr);
    assert_eq!(fr[0].last_used, "Dernière utilisation : jamais utilisé");
}

#[test]
fn the_confirmation_explains_the_consequence() {
    let remove = DeviceAction::Remove.question("Old phone", false, Lang::En);
    assert!(
        remove.starts_with("Remove \"Old phone\"? This is final"),
        "{remove}"
    );
    let suspend = DeviceAction::Suspend.question("Tablet", true, Lang::En);
    assert!(
        suspend.contains("Only the helpdesk can resume it"),
        "{suspend}"
    );
    assert!(suspend.ends_with("This is the device you are using: it stops working at once."));
    assert_eq!(
        DeviceAction::Remove.done("Old phone", Lang::De),
        "„Old phone“ ist entfernt."
    );
    assert_eq!(DeviceAction::Suspend.name(), "suspend");
}

#[test]
fn a_backup_opens_with_its_password_for_its_user() {
    let contents = Contents::new("alice", "Old phone", "nl", "secret", NOW);
    let file = encrypt(&contents, "Tessera-Demo-1!").expect("encrypts");
    assert_eq!(
        open_backup(&file, "Tessera-Demo-1!", " alice "),
        Ok(contents.clone())
    );
    assert_eq!(
        open_backup(&file, "", "alice"),
        Err(RestoreError::PasswordFirst)
    );
    let wrong = open_backup(&file, "wrong", "alice").expect_err("refused");
    assert_eq!(wrong, RestoreError::Backup(BackupError::WrongPassword));
    assert!(
        wrong
            .message(Lang::En)
            .starts_with("This password does not open the backup."),
    );
    let other = open_backup(&file, "Tessera-Demo-1!", "bob").expect_err("refused");
    assert_eq!(
        other.message(Lang::En),
        "This backup belongs to another user ID (alice)."
    );
    assert_eq!(
        open_backup("{}", "pw", "alice")
            .expect_err("refused")
            .message(Lang::Fr),
        "Ce fichier n'est pas une sauvegarde Tessera."
    );
    assert_eq!(
        backup_rows(&contents, Lang::En).map(|(_, v)| v),
        [
            "alice".to_string(),
            "Old phone".into(),
            "25 November 2026, 00:00 UTC".into(),
            "Nederlands".into()
        ]
    );
}
