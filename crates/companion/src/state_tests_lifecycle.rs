//! The device lifecycle (replace, restore and its SMS link, devices, backup) and issue 5
//! (NEW USER, LOG IN with a Token or a Scan, settings) through the state machine.
use super::*;

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
