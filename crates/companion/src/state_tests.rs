use super::*;
use tessera_protocol::Kind;

fn device() -> Device {
    Device {
        device_id: "d-1".into(),
        user_id: "alice".into(),
        name: "Phone".into(),
        certificates: vec![],
    }
}

fn request(sid: &str, expires_at: u64) -> DeviceRequest {
    DeviceRequest {
        session_id: sid.into(),
        nonce: "n".into(),
        partner_id: "demo-bank".into(),
        partner_name: "Demo Bank".into(),
        origin: "https://bank.example".into(),
        kind: Kind::Login,
        details: None,
        number_choices: None,
        expires_at,
    }
}

/// A pushed request as `open` answers before the number is matched.
fn pushed(sid: &str) -> DeviceRequest {
    DeviceRequest {
        number_choices: Some(vec![42, 17, 88]),
        ..request(sid, 100)
    }
}

/// Activated, on the home screen, a pushed request opened.
fn on_number_screen(sid: &str) -> Rc<State> {
    run([
        Action::Started {
            device: Some(device()),
            scanned: false,
            pending: None,
            scan: None,
        },
        Action::Opening,
        Action::Opened(pushed(sid)),
    ])
}

fn run(actions: impl IntoIterator<Item = Action>) -> Rc<State> {
    actions
        .into_iter()
        .fold(Rc::new(State::default()), |s, a| s.reduce(a))
}

#[test]
fn start_without_device_shows_welcome_then_activation() {
    let s = run([Action::Started {
        device: None,
        scanned: false,
        pending: None,
        scan: None,
    }]);
    assert_eq!(s.screen, Screen::Welcome);
    let s = s.reduce(Action::LogIn(Some(Path::Code)));
    assert_eq!(s.screen, Screen::Activate(Some(Path::Code)));
    let s = s.reduce(Action::Activated(device()));
    assert_eq!(s.screen, Screen::Certificate);
    assert_eq!(s.device.as_deref(), Some(&device()));
    assert_eq!(s.reduce(Action::Home).screen, Screen::Home);
}

#[test]
fn scanning_before_activation_explains_instead_of_opening() {
    let s = run([Action::Started {
        device: None,
        scanned: true,
        pending: None,
        scan: None,
    }]);
    assert_eq!(s.screen, Screen::Problem(Problem::NoDevice));
    assert_eq!(
        s.clone().reduce(Action::Opening).screen,
        Screen::Problem(Problem::NoDevice)
    );
    assert_eq!(s.clone().reduce(Action::ShowCertificate).screen, s.screen);
    assert_eq!(s.reduce(Action::Home).screen, Screen::Welcome);
}

#[test]
fn scan_opens_then_answer_shows_result_and_is_remembered() {
    let s = run([Action::Started {
        device: Some(device()),
        scanned: true,
        pending: None,
        scan: None,
    }]);
    assert_eq!(s.screen, Screen::Opening);
    let s = s.reduce(Action::Opened(request("s1", 100)));
    assert!(matches!(&s.screen, Screen::Request(r) if r.session_id == "s1"));
    let s = s.reduce(Action::Answered {
        session_id: "s1".into(),
        outcome: Outcome::Denied,
    });
    assert_eq!(s.screen, Screen::Result(Outcome::Denied));
    assert_eq!(s.handled, vec!["s1".to_string()]);
    let s = s
        .reduce(Action::Home)
        .reduce(Action::Opened(request("s1", 100)));
    assert_eq!(
        s.screen,
        Screen::Home,
        "an answered session is not reopened"
    );
}

#[test]
fn a_push_does_not_interrupt_another_screen() {
    let s = run([
        Action::Started {
            device: Some(device()),
            scanned: false,
            pending: None,
            scan: None,
        },
        Action::ShowCertificate,
    ]);
    assert_eq!(
        s.clone().reduce(Action::Opened(request("s2", 100))).screen,
        Screen::Certificate
    );
    let s = s
        .reduce(Action::Home)
        .reduce(Action::Opened(request("s2", 100)));
    let on_request = s.screen.clone();
    assert_eq!(
        s.reduce(Action::Opened(request("s3", 100))).screen,
        on_request
    );
}

#[test]
fn failures_show_only_while_opening() {
    let s = run([Action::Started {
        device: Some(device()),
        scanned: true,
        pending: None,
        scan: None,
    }]);
    assert_eq!(
        s.clone().reduce(Action::Failed(Problem::QrStale)).screen,
        Screen::Problem(Problem::QrStale)
    );
    let home = s.reduce(Action::Home);
    assert_eq!(
        home.clone().reduce(Action::Failed(Problem::Network)).screen,
        Screen::Home
    );
}

#[test]
fn every_outcome_has_its_attribute() {
    let attrs: Vec<_> = [
        Outcome::Approved,
        Outcome::Denied,
        Outcome::Locked,
        Outcome::Closed,
        Outcome::WrongNumber,
        Outcome::Reported {
            partner: "Demo Bank".into(),
        },
    ]
    .iter()
    .map(|o| o.attr())
    .collect();
    assert_eq!(
        attrs,
        [
            "approved",
            "denied",
            "locked",
            "closed",
            "wrong_number",
            "reported"
        ]
    );
}

#[test]
fn a_push_with_number_choices_asks_for_the_number_first() {
    let s = on_number_screen("p1");
    assert!(matches!(&s.screen, Screen::Match(r) if r.session_id == "p1"));
}

#[test]
fn the_right_number_leads_to_the_details_and_the_pin() {
    let s = on_number_screen("p1").reduce(Action::Matched(request("p1", 100)));
    assert!(
        matches!(&s.screen, Screen::Request(r) if r.session_id == "p1" && r.number_choices.is_none())
    );
    assert!(s.handled.is_empty(), "matching does not answer the request");
}

#[test]
fn a_match_for_another_request_or_screen_is_ignored() {
    let s = on_number_screen("p1");
    assert_eq!(
        s.clone()
            .reduce(Action::Matched(request("other", 100)))
            .screen,
        s.screen
    );
    // A late answer to a match must not open a request the user has left.
    let home = s.reduce(Action::Home);
    assert_eq!(
        home.reduce(Action::Matched(request("p1", 100))).screen,
        Screen::Home
    );
    // A scanned request is never on the number screen, so it cannot be "matched".
    let scanned = run([
        Action::Started {
            device: Some(device()),
            scanned: true,
            pending: None,
            scan: None,
        },
        Action::Opened(request("s1", 100)),
    ]);
    assert_eq!(
        scanned
            .clone()
            .reduce(Action::Matched(request("s1", 100)))
            .screen,
        scanned.screen
    );
}

#[test]
fn a_wrong_number_ends_on_its_result_and_is_not_reopened() {
    let s = on_number_screen("p1").reduce(Action::Answered {
        session_id: "p1".into(),
        outcome: Outcome::WrongNumber,
    });
    assert_eq!(s.screen, Screen::Result(Outcome::WrongNumber));
    let s = s.reduce(Action::Home).reduce(Action::Opened(pushed("p1")));
    assert_eq!(s.screen, Screen::Home);
}

#[test]
fn a_report_ends_on_its_result_naming_the_partner() {
    let reported = Outcome::Reported {
        partner: "Demo Bank".into(),
    };
    // From the number screen...
    let s = on_number_screen("p1").reduce(Action::Answered {
        session_id: "p1".into(),
        outcome: reported.clone(),
    });
    assert_eq!(s.screen, Screen::Result(reported.clone()));
    assert_eq!(s.handled, vec!["p1".to_string()]);
    // ...and from the details and PIN screen.
    let s = on_number_screen("p2")
        .reduce(Action::Matched(request("p2", 100)))
        .reduce(Action::Answered {
            session_id: "p2".into(),
            outcome: reported.clone(),
        });
    assert_eq!(s.screen, Screen::Result(reported));
}

#[test]
fn next_request_skips_answered_and_expired() {
    let pending = [
        request("old", 10),
        request("done", 100),
        request("new", 100),
    ];
    let handled = vec!["done".to_string()];
    assert_eq!(
        next_request(&pending, &handled, 50).map(|r| r.session_id.as_str()),
        Some("new")
    );
    assert_eq!(next_request(&pending, &handled, 100), None);
    assert_eq!(next_request(&[], &handled, 0), None);
}

// --- device lifecycle: replace, restore and its SMS link, devices, backup ---------------

use crate::lifecycle::{PendingActivation, Replace, Retry};
use tessera_protocol::{
    DeviceStatus,
    api::{ActivationRequest, Credential, DeviceSummary},
};

fn pending(id: &str) -> PendingActivation {
    PendingActivation {
        activation_id: id.into(),
        user_id: "alice".into(),
        device_name: "New phone".into(),
        phone_hint: "+352 ••• ••• 001".into(),
        expires_at: 100,
    }
}

fn replace() -> Replace {
    Replace {
        retry: Retry(Rc::new(ActivationRequest {
            user_id: "alice".into(),
            password: "pw".into(),
            credential: Credential::SecurityCode("12345678".into()),
            pin: "246810".into(),
            device_name: "New phone".into(),
            public_key: "pk".into(),
            proof: "proof".into(),
            replace_device_id: None,
            setup: None,
        })),
        devices: vec![DeviceSummary {
            id: "d-1".into(),
            name: "Old phone".into(),
            status: DeviceStatus::Active,
            created_at: 1,
            last_used_at: None,
        }],
    }
}

fn started(device: Option<Device>, pending: Option<PendingActivation>) -> Rc<State> {
    run([Action::Started {
        device,
        scanned: false,
        pending,
        scan: None,
    }])
}

/// A fresh browser on the activation form.
fn on_form() -> Rc<State> {
    started(None, None).reduce(Action::LogIn(Some(Path::Code)))
}

#[test]
fn a_device_limit_asks_which_device_to_replace_then_activates() {
    let s = on_form().reduce(Action::NeedsReplacement(replace()));
    assert!(matches!(&s.screen, Screen::Replace(r) if r.devices[0].id == "d-1"));
    // The server may answer the retry with the limit again (a race): a new list.
    let s = s.reduce(Action::NeedsReplacement(replace()));
    assert!(matches!(&s.screen, Screen::Replace(_)));
    let s = s.reduce(Action::Activated(device()));
    assert_eq!(s.screen, Screen::Certificate);
}

#[test]
fn replacing_can_be_cancelled_and_only_follows_an_activation() {
    let s = on_form().reduce(Action::NeedsReplacement(replace()));
    assert_eq!(s.reduce(Action::CancelActivation).screen, Screen::Welcome);
    // Not from another screen, nor on an activated device.
    let welcome = started(None, None);
    assert_eq!(
        welcome
            .clone()
            .reduce(Action::NeedsReplacement(replace()))
            .screen,
        Screen::Welcome
    );
    let home = started(Some(device()), None);
    assert_eq!(
        home.clone()
            .reduce(Action::NeedsReplacement(replace()))
            .screen,
        Screen::Home
    );
    assert_eq!(home.reduce(Action::CancelActivation).screen, Screen::Home);
}

#[test]
fn a_restore_waits_for_the_sms_even_across_restarts() {
    let s = on_form().reduce(Action::ActivationPending(pending("p-1")));
    assert!(matches!(&s.screen, Screen::Pending(p) if p.activation_id == "p-1"));
    assert_eq!(s.pending.as_deref(), Some(&pending("p-1")));
    // After a replacement too.
    let s = on_form()
        .reduce(Action::NeedsReplacement(replace()))
        .reduce(Action::ActivationPending(pending("p-2")));
    assert!(matches!(&s.screen, Screen::Pending(p) if p.activation_id == "p-2"));
    // The app was closed: it opens on the wait, and "home" comes back to it.
    let s = started(None, Some(pending("p-1")));
    assert!(matches!(&s.screen, Screen::Pending(_)));
    assert!(matches!(&s.reduce(Action::Home).screen, Screen::Pending(_)));
}

#[test]
fn the_sms_link_finishes_the_restore_it_names() {
    let s = started(None, Some(pending("p-1"))).reduce(Action::Confirming {
        activation_id: "p-1".into(),
    });
    assert_eq!(s.screen, Screen::Confirming);
    let done = s.clone().reduce(Action::Activated(device()));
    assert_eq!(done.screen, Screen::Certificate);
    assert_eq!(done.pending, None, "the restore is over");
    let expired = s.reduce(Action::Failed(Problem::LinkExpired));
    assert_eq!(expired.screen, Screen::Problem(Problem::LinkExpired));
    assert!(Problem::LinkExpired.about_activation());
    assert_eq!(Problem::LinkExpired.attr(), "link_expired");
    // Back to start shows the wait again; "Start again" forgets it.
    let back = expired.clone().reduce(Action::Home);
    assert!(matches!(back.screen, Screen::Pending(_)));
    let again = expired.reduce(Action::LogIn(None));
    assert_eq!(
        (again.screen.clone(), again.pending.clone()),
        (Screen::Activate(None), None)
    );
}

#[test]
fn a_link_for_another_browser_or_restore_is_explained() {
    for s in [started(None, None), started(None, Some(pending("p-1")))] {
        let s = s.reduce(Action::Confirming {
            activation_id: "p-9".into(),
        });
        assert_eq!(s.screen, Screen::Problem(Problem::LinkElsewhere));
        assert_eq!(Problem::LinkElsewhere.attr(), "link_elsewhere");
    }
    // An activated device ignores it.
    let home = started(Some(device()), Some(pending("p-1")));
    assert_eq!(
        home.pending, None,
        "an activated browser has no restore waiting"
    );
    assert_eq!(
        home.reduce(Action::Confirming {
            activation_id: "p-1".into()
        })
        .screen,
        Screen::Home
    );
}

#[test]
fn the_devices_and_backup_screens_are_for_an_activated_device() {
    let home = started(Some(device()), None);
    let devices = home.clone().reduce(Action::ShowDevices);
    assert_eq!(devices.screen, Screen::Devices);
    let backup = devices.clone().reduce(Action::ShowBackup);
    assert_eq!(backup.screen, Screen::Backup);
    assert_eq!(backup.reduce(Action::ShowDevices).screen, Screen::Devices);
    assert_eq!(devices.clone().reduce(Action::Home).screen, Screen::Home);
    // A push does not interrupt them.
    assert_eq!(
        devices.reduce(Action::Opened(request("s1", 100))).screen,
        Screen::Devices
    );
    let welcome = started(None, None);
    assert_eq!(
        welcome.clone().reduce(Action::ShowDevices).screen,
        Screen::Welcome
    );
    assert_eq!(welcome.reduce(Action::ShowBackup).screen, Screen::Welcome);
}

#[test]
fn removing_this_device_forgets_it() {
    let s = started(Some(device()), None)
        .reduce(Action::Opened(request("s1", 100)))
        .reduce(Action::Answered {
            session_id: "s1".into(),
            outcome: Outcome::Approved,
        })
        .reduce(Action::ShowDevices)
        .reduce(Action::Forget);
    assert_eq!(s.screen, Screen::Welcome);
    assert_eq!((s.device.clone(), s.handled.len()), (None, 0));
    assert_eq!(
        s.clone().reduce(Action::ShowDevices).screen,
        Screen::Welcome
    );
    assert_eq!(
        s.reduce(Action::LogIn(Some(Path::Code))).screen,
        Screen::Activate(Some(Path::Code))
    );
}

// --- issue 5: NEW USER, LOG IN with a Token or a Scan, settings ----------------------------

use crate::lifecycle::ScanSecond;
use tessera_protocol::api::ScanChallenge;

fn second_mosaic() -> ScanSecond {
    ScanSecond {
        challenge: ScanChallenge {
            challenge_id: "c-2".into(),
            challenge: "12345678".into(),
            expires_at: 400,
        },
        user_id: "carol".into(),
        device_name: "Carol's phone".into(),
    }
}

#[test]
fn the_welcome_screen_leads_to_new_user_and_log_in() {
    let welcome = started(None, None);
    assert_eq!(
        welcome.clone().reduce(Action::NewUser).screen,
        Screen::NewUser
    );
    assert_eq!(
        welcome.clone().reduce(Action::LogIn(None)).screen,
        Screen::Activate(None)
    );
    assert_eq!(
        welcome.reduce(Action::LogIn(Some(Path::Code))).screen,
        Screen::Activate(Some(Path::Code)),
        "\"Activate this device\" opens LOG IN with the activation code"
    );
    // Not on an activated device.
    let home = started(Some(device()), None);
    assert_eq!(home.clone().reduce(Action::NewUser).screen, Screen::Home);
    assert_eq!(home.reduce(Action::LogIn(None)).screen, Screen::Home);
}

#[test]
fn a_new_user_activates_replaces_or_gives_up() {
    let wizard = started(None, None).reduce(Action::NewUser);
    assert_eq!(
        wizard.clone().reduce(Action::Activated(device())).screen,
        Screen::Certificate
    );
    let replace = wizard.clone().reduce(Action::NeedsReplacement(replace()));
    assert!(matches!(replace.screen, Screen::Replace(_)));
    assert_eq!(
        wizard.reduce(Action::CancelActivation).screen,
        Screen::Welcome
    );
}

#[test]
fn a_token_activation_waits_for_the_sms_link() {
    let s = started(None, None)
        .reduce(Action::LogIn(None))
        .reduce(Action::ActivationPending(pending("p-3")));
    assert!(matches!(&s.screen, Screen::Pending(p) if p.activation_id == "p-3"));
    let s = s.reduce(Action::Confirming {
        activation_id: "p-3".into(),
    });
    assert_eq!(s.screen, Screen::Confirming);
    assert_eq!(
        s.reduce(Action::Activated(device())).screen,
        Screen::Certificate
    );
}

#[test]
fn a_scan_activation_shows_the_second_mosaic_then_the_certificate() {
    let form = started(None, None).reduce(Action::LogIn(None));
    let s = form.clone().reduce(Action::ScanSecond(second_mosaic()));
    assert!(matches!(&s.screen, Screen::ScanConfirm(m) if m.challenge.challenge_id == "c-2"));
    assert_eq!(
        s.clone().reduce(Action::Activated(device())).screen,
        Screen::Certificate
    );
    // Given up: the LOG IN form again.
    assert_eq!(s.reduce(Action::LogIn(None)).screen, Screen::Activate(None));
    // After replacing a device too.
    let s = form
        .reduce(Action::NeedsReplacement(replace()))
        .reduce(Action::ScanSecond(second_mosaic()));
    assert!(matches!(s.screen, Screen::ScanConfirm(_)));
    // Never from elsewhere, nor on an activated device.
    let welcome = started(None, None);
    assert_eq!(
        welcome.reduce(Action::ScanSecond(second_mosaic())).screen,
        Screen::Welcome
    );
    let home = started(Some(device()), None);
    assert_eq!(
        home.reduce(Action::ScanSecond(second_mosaic())).screen,
        Screen::Home
    );
}

#[test]
fn a_reload_on_the_second_mosaic_comes_back_to_it() {
    let reloaded = |device: Option<Device>, scanned, pending| {
        run([Action::Started {
            device,
            scanned,
            pending,
            scan: Some(second_mosaic()),
        }])
    };
    let s = reloaded(None, false, None);
    assert!(matches!(&s.screen, Screen::ScanConfirm(m) if *m.as_ref() == second_mosaic()));
    assert_eq!(
        s.clone().reduce(Action::Activated(device())).screen,
        Screen::Certificate
    );
    assert_eq!(s.reduce(Action::LogIn(None)).screen, Screen::Activate(None));
    // An activated device, a scanned QR or a restore waiting for its SMS come first.
    assert_eq!(reloaded(Some(device()), false, None).screen, Screen::Home);
    assert_eq!(
        reloaded(None, true, None).screen,
        Screen::Problem(Problem::NoDevice)
    );
    assert!(matches!(
        reloaded(None, false, Some(pending("p-1"))).screen,
        Screen::Pending(_)
    ));
}

#[test]
fn the_second_mosaic_is_kept_without_the_pin() {
    let json = serde_json::to_string(&second_mosaic()).expect("serializes");
    assert_eq!(
        serde_json::from_str::<ScanSecond>(&json).ok(),
        Some(second_mosaic())
    );
    let keys: Vec<String> = serde_json::from_str::<serde_json::Value>(&json)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
        .unwrap_or_default();
    assert_eq!(keys, ["challenge", "device_name", "user_id"]);
}

#[test]
fn settings_are_for_an_activated_device_and_a_rename_sticks() {
    let settings = started(Some(device()), None).reduce(Action::ShowSettings);
    assert_eq!(settings.screen, Screen::Settings);
    let renamed = settings
        .clone()
        .reduce(Action::Renamed("Work phone".into()));
    assert_eq!(
        renamed.screen,
        Screen::Settings,
        "the settings stay on screen"
    );
    assert_eq!(
        renamed.device.as_ref().map(|d| d.name.as_str()),
        Some("Work phone")
    );
    assert_eq!(
        renamed.device.as_ref().map(|d| d.device_id.as_str()),
        Some("d-1")
    );
    assert_eq!(
        settings.clone().reduce(Action::ShowDevices).screen,
        Screen::Devices
    );
    assert_eq!(
        settings.clone().reduce(Action::ShowBackup).screen,
        Screen::Backup
    );
    assert_eq!(settings.reduce(Action::Home).screen, Screen::Home);
    // A push does not interrupt them either.
    let s = started(Some(device()), None)
        .reduce(Action::ShowSettings)
        .reduce(Action::Opened(request("s9", 100)));
    assert_eq!(s.screen, Screen::Settings);
    let welcome = started(None, None);
    assert_eq!(
        welcome.clone().reduce(Action::ShowSettings).screen,
        Screen::Welcome
    );
    assert_eq!(welcome.reduce(Action::Renamed("x".into())).device, None);
}
