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
        expires_at,
    }
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
    }]);
    assert_eq!(s.screen, Screen::Welcome);
    let s = s.reduce(Action::BeginActivation);
    assert_eq!(s.screen, Screen::Activate);
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
fn locked_and_closed_outcomes_have_their_attributes() {
    let attrs: Vec<_> = [
        Outcome::Approved,
        Outcome::Denied,
        Outcome::Locked,
        Outcome::Closed,
    ]
    .iter()
    .map(|o| o.attr())
    .collect();
    assert_eq!(attrs, ["approved", "denied", "locked", "closed"]);
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
