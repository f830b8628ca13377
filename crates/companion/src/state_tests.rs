use super::*;
use tessera_protocol::Kind;
#[path = "state_tests_lifecycle.rs"]
mod lifecycle;

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
        binding_message: None,
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
