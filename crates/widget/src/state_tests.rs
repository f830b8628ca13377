use tessera_protocol::{
    Kind, SignedApproval, VerifyError,
    api::{CancelReason, SessionCreated, SessionEvent, SessionState, WidgetConfig},
    b64_encode, verifying_key_to_b64,
};

use super::*;

fn config(id: &str) -> WidgetConfig {
    let root = tessera_protocol::SigningKey::from_slice(&[1; 32]).expect("valid scalar");
    WidgetConfig {
        server: "https://tessera.example/".into(),
        session: SessionCreated {
            session_id: id.into(),
            nonce: "n".into(),
            partner_id: "demo-bank".into(),
            qr_secret: b64_encode(b"0123456789abcdef"),
            watch_token: "w".into(),
            expires_at: 1_000,
        },
        kind: Kind::Login,
        root_key: verifying_key_to_b64(root.verifying_key()),
        root_keys: Vec::new(),
        details: None,
    }
}

fn waiting(id: &str) -> State {
    let s = State::Starting;
    s.next(Action::Loaded {
        config: Box::new(config(id)),
        now_ms: 500_000.0,
    })
    .expect("loads")
}

fn event(id: &str, state: SessionState, result: Option<SignedApproval>) -> Action {
    Action::Event {
        session_id: id.into(),
        event: SessionEvent {
            state,
            result,
            reason: None,
        },
    }
}

fn cancelled(id: &str, reason: Option<CancelReason>) -> Action {
    Action::Event {
        session_id: id.into(),
        event: SessionEvent {
            state: SessionState::Cancelled,
            result: None,
            reason,
        },
    }
}

fn pushed(id: &str, push: Push) -> Action {
    Action::Push {
        session_id: id.into(),
        push,
    }
}

fn signed() -> SignedApproval {
    SignedApproval {
        approval: "a.b.c".into(),
        status: "d.e.f".into(),
    }
}

#[test]
fn start_load_and_hints() {
    assert_eq!(State::Idle.next(Action::Start), Some(State::Starting));
    assert_eq!(State::Starting.next(Action::Start), None, "no double start");
    let s = waiting("s1");
    assert_eq!(s.code(), "pending");
    let s = s
        .next(event("s1", SessionState::PushSent, None))
        .expect("push_sent");
    assert_eq!(s.code(), "push_sent");
    let s = s
        .next(event("s1", SessionState::Opened, None))
        .expect("opened");
    assert_eq!(s.code(), "opened");
    assert_eq!(
        s.next(event("s1", SessionState::Opened, None)),
        None,
        "repeat is no change"
    );
}

#[test]
fn qr_link_is_animated() {
    let State::Waiting { session, .. } = waiting("s1") else {
        panic!("waiting")
    };
    assert_eq!(session.elapsed_secs(500_000.0), 0);
    assert_eq!(session.elapsed_secs(502_999.0), 2);
    let link = session.qr_link(2);
    let code = tessera_protocol::qr_code(b"0123456789abcdef", 2);
    assert_eq!(
        link,
        format!("https://tessera.example/companion/#/scan/s1/2/{code}")
    );
    assert_ne!(session.qr_link(3), link);
}

#[test]
fn bad_config_and_failed_start() {
    let mut bad = config("s1");
    bad.root_key = "AAAA".into();
    let s = State::Starting
        .next(Action::Loaded {
            config: Box::new(bad),
            now_ms: 0.0,
        })
        .expect("fails");
    assert_eq!(
        (s.code(), s.error_code()),
        ("error", Some("config_invalid"))
    );
    let s = State::Starting
        .next(Action::StartFailed { bank_code: None })
        .expect("fails");
    assert_eq!(s.error_code(), Some("start_failed"));
    assert!(s.can_restart());
    assert_eq!(s.next(Action::Start), Some(State::Starting));
}

#[test]
fn the_banks_refusal_keeps_its_code() {
    let s = State::Starting
        .next(Action::StartFailed {
            bank_code: Some("payee_iban_invalid".into()),
        })
        .expect("fails");
    assert_eq!(
        (s.code(), s.error_code()),
        ("error", Some("payee_iban_invalid"))
    );
    assert!(s.can_restart());
}

#[test]
fn approved_goes_through_verification() {
    let s = waiting("s1")
        .next(event("s1", SessionState::Approved, Some(signed())))
        .expect("v");
    assert_eq!(s.code(), "verifying");
    assert!(s.listening().is_none(), "stream closes while verifying");
    assert_eq!(
        s.next(event("s1", SessionState::Denied, None)),
        None,
        "relay is ignored now"
    );
    let refused = s.next(Action::Refused {
        session_id: "s1".into(),
        error: VerifyError::OriginMismatch,
    });
    let refused = refused.expect("refused");
    assert_eq!(
        (refused.code(), refused.error_code()),
        ("error", Some("origin_mismatch"))
    );
    let ok = s.next(Action::Verified {
        session_id: "s1".into(),
        user_id: "alice".into(),
    });
    assert_eq!(ok.expect("verified").code(), "verified");
}

#[test]
fn approved_without_result_fails_closed() {
    let s = waiting("s1")
        .next(event("s1", SessionState::Approved, None))
        .expect("fails");
    assert_eq!(s.error_code(), Some("result_missing"));
}

#[test]
fn other_sessions_are_ignored() {
    let s = waiting("s1");
    assert_eq!(
        s.next(event("old", SessionState::Approved, Some(signed()))),
        None
    );
    assert_eq!(
        s.next(Action::Trouble {
            session_id: "old".into(),
            problem: Problem::ConnectionLost
        }),
        None
    );
    let v = s
        .next(event("s1", SessionState::Approved, Some(signed())))
        .expect("verifying");
    assert_eq!(
        v.next(Action::Verified {
            session_id: "old".into(),
            user_id: "eve".into()
        }),
        None
    );
}

#[test]
fn final_states_and_expiry() {
    for (st, code) in [
        (SessionState::Denied, "denied"),
        (SessionState::Expired, "expired"),
        (SessionState::Cancelled, "cancelled"),
    ] {
        let s = waiting("s1").next(event("s1", st, None)).expect("final");
        assert_eq!(s.code(), code);
        assert!(s.can_restart());
    }
    assert_eq!(waiting("s1").next(Action::Tick { now_secs: 999 }), None);
    assert_eq!(
        waiting("s1").next(Action::Tick { now_secs: 1_000 }),
        Some(State::Expired)
    );
    let s = waiting("s1").next(Action::Cancel).expect("cancelled");
    assert_eq!(s, State::Cancelled(Some(CancelReason::Page)));
    assert_eq!((s.code(), s.cancel_reason()), ("cancelled", Some("page")));
}

#[test]
fn cancellation_on_the_phone_says_why() {
    for (reason, code) in [
        (CancelReason::WrongNumber, "wrong_number"),
        (CancelReason::FraudReported, "fraud_reported"),
        (CancelReason::Superseded, "superseded"),
    ] {
        let s = waiting("s1")
            .next(cancelled("s1", Some(reason)))
            .expect("cancelled");
        assert_eq!((s.code(), s.cancel_reason()), ("cancelled", Some(code)));
        assert!(s.can_restart());
    }
    let s = waiting("s1")
        .next(cancelled("s1", None))
        .expect("cancelled");
    assert_eq!((s.code(), s.cancel_reason()), ("cancelled", None));
}

#[test]
fn awaiting_pin_is_its_own_hint() {
    let s = waiting("s1")
        .next(event("s1", SessionState::AwaitingPin, None))
        .expect("awaiting_pin");
    assert_eq!(s.code(), "awaiting_pin");
    assert!(s.listening().is_some(), "still listening for the answer");
    assert_eq!(
        s.next(event("s1", SessionState::AwaitingPin, None)),
        None,
        "repeat is no change"
    );
    let s = s
        .next(event("s1", SessionState::Approved, Some(signed())))
        .expect("verifying");
    assert_eq!(s.code(), "verifying");
}

#[test]
fn the_push_number_shows_until_the_phone_matched_it() {
    let s = waiting("s1");
    assert_eq!(s.push_number(), None);
    let s = s.next(pushed("s1", Push::Sending)).expect("sending");
    assert_eq!(s.push_number(), None);
    let s = s.next(pushed("s1", Push::Sent(Some(42)))).expect("sent");
    assert_eq!(s.push_number(), Some(42), "shown at once, before the event");
    let s = s
        .next(event("s1", SessionState::PushSent, None))
        .expect("push_sent");
    assert_eq!((s.code(), s.push_number()), ("push_sent", Some(42)));
    let s = s
        .next(event("s1", SessionState::Opened, None))
        .expect("opened");
    assert_eq!((s.code(), s.push_number()), ("opened", Some(42)));
    let s = s
        .next(event("s1", SessionState::AwaitingPin, None))
        .expect("awaiting_pin");
    assert_eq!(s.push_number(), None, "matched: the number is done");
    // A late answer for an older session does not set a number here.
    let other = waiting("s2");
    assert_eq!(other.next(pushed("s1", Push::Sent(Some(17)))), None);
}

#[test]
fn a_new_push_replaces_the_number() {
    let s = waiting("s1")
        .next(pushed("s1", Push::Sent(Some(42))))
        .expect("sent");
    let s = s.next(pushed("s1", Push::Sending)).expect("sending again");
    assert_eq!(s.push_number(), None);
    let s = s.next(pushed("s1", Push::Sent(Some(73)))).expect("sent");
    assert_eq!(s.push_number(), Some(73));
    let s = s.next(pushed("s1", Push::Sent(None))).expect("no number");
    assert_eq!(s.push_number(), None);
}

#[test]
fn push_progress_keeps_hint() {
    let s = waiting("s1")
        .next(event("s1", SessionState::PushSent, None))
        .expect("hint");
    let s = s
        .next(Action::Push {
            session_id: "s1".into(),
            push: Push::Failed,
        })
        .expect("push");
    assert!(matches!(
        s,
        State::Waiting {
            hint: Hint::PushSent,
            push: Push::Failed,
            ..
        }
    ));
}

#[test]
fn new_details_from_the_page_start_over() {
    assert_eq!(State::Idle.next(Action::Reset), None);
    assert_eq!(State::Starting.next(Action::Reset), Some(State::Idle));
    assert_eq!(waiting("s1").next(Action::Reset), Some(State::Idle));
    // A late configuration for the old details is not shown.
    assert_eq!(
        State::Idle.next(Action::Loaded {
            config: Box::new(config("s1")),
            now_ms: 0.0,
        }),
        None
    );
    let failed = State::Starting
        .next(Action::StartFailed {
            bank_code: Some("payee_iban_invalid".into()),
        })
        .expect("failed");
    assert_eq!(failed.next(Action::Reset), Some(State::Idle));
    let verified = waiting("s1")
        .next(event("s1", SessionState::Approved, Some(signed())))
        .and_then(|s| {
            s.next(Action::Verified {
                session_id: "s1".into(),
                user_id: "alice".into(),
            })
        })
        .expect("verified");
    assert_eq!(
        verified.next(Action::Reset),
        Some(State::Idle),
        "a next one"
    );
}

#[test]
fn more_time_moves_the_expiry_of_the_session_waited_on_only() {
    let extended = |id: &str, expires_at| Action::Extended {
        session_id: id.into(),
        expires_at,
    };
    let s = waiting("s1")
        .next(event("s1", SessionState::AwaitingPin, None))
        .expect("awaiting_pin");
    let s = s.next(extended("s1", 1_180)).expect("extended");
    assert_eq!(s.code(), "awaiting_pin", "the hint stays");
    assert_eq!(
        s.session().expect("a session").config.session.expires_at,
        1_180
    );
    // The old expiry has passed; the new one has not.
    assert_eq!(s.next(Action::Tick { now_secs: 1_000 }), None);
    assert_eq!(
        s.next(Action::Tick { now_secs: 1_180 }),
        Some(State::Expired)
    );
    assert_eq!(
        s.next(extended("other", 2_000)),
        None,
        "another session's answer"
    );
    assert_eq!(State::Expired.next(extended("s1", 2_000)), None, "too late");
}

#[test]
fn a_page_that_cannot_verify_starts_nothing() {
    let failed = State::Starting.next(Action::Unsupported).expect("failed");
    assert_eq!(failed.error_code(), Some("insecure_page"));
    assert!(failed.can_restart());
    assert_eq!(State::Idle.next(Action::Unsupported), None);
}
