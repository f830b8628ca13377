//! RFC 8291 Appendix A, the request format, VAPID, and the endpoint rule: each check is
//! tried with the input that should break it.
use base64ct::{Base64UrlUnpadded, Encoding};
use tessera_webpush::{
    Auth, EndpointPolicy, Message, Outcome, PushError, Subscription, Urgency, Vapid, build_request,
    check_endpoint, decrypt, ecdh_p256, verify_authorization,
};

// RFC 8291 Appendix A: the user agent's key pair and auth secret, and the message.
const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const UA_PUBLIC: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
const PLAINTEXT: &str = "When I grow up, I want to be a watermelon";
const MESSAGE: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";
// RFC 8291 Appendix A: the application server's public key, the keyid of the message.
const AS_PUBLIC: &str =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";

const NOW: u64 = 1_800_000_000;
const FCM: &str = "https://fcm.googleapis.com/fcm/send/abc:def";

fn bytes(b64: &str) -> Vec<u8> {
    Base64UrlUnpadded::decode_vec(b64).unwrap()
}

fn ua_secret() -> ecdh_p256::SecretKey {
    ecdh_p256::SecretKey::from_slice(&bytes(UA_PRIVATE)).unwrap()
}

fn auth() -> Auth {
    Auth::clone_from_slice(&bytes(AUTH))
}

fn subscription(endpoint: &str) -> Subscription {
    Subscription::new(
        endpoint.into(),
        UA_PUBLIC.into(),
        AUTH.into(),
        EndpointPolicy::AlsoLoopback,
    )
    .unwrap()
}

fn vapid() -> Vapid {
    Vapid::new(&[7; 32], "mailto:ops@tessera.example").unwrap()
}

fn message(payload: &str) -> Message {
    Message {
        payload: payload.as_bytes().to_vec(),
        ttl: 300,
        urgency: Urgency::High,
        topic: Some("s-abc_123".into()),
    }
}

#[test]
fn rfc8291_appendix_a_message_decrypts_to_its_plaintext() {
    let message = bytes(MESSAGE);
    // The header as Appendix A lays it out: salt, rs = 4096, idlen = 65, keyid.
    assert_eq!(&message[..16], &bytes("DGv6ra1nlYgDCS1FRnbzlw")[..]);
    assert_eq!(&message[16..20], &4096u32.to_be_bytes());
    assert_eq!(message[20], 65);
    assert_eq!(&message[21..86], &bytes(AS_PUBLIC)[..]);
    let plain = decrypt(message.clone(), &ua_secret(), &auth()).unwrap();
    assert_eq!(plain, PLAINTEXT.as_bytes());

    // One flipped bit anywhere in the ciphertext, or the wrong auth secret, fails.
    let mut tampered = message.clone();
    *tampered.last_mut().unwrap() ^= 1;
    assert!(decrypt(tampered, &ua_secret(), &auth()).is_err());
    let other_auth = Auth::clone_from_slice(&[0; 16]);
    assert!(decrypt(message, &ua_secret(), &other_auth).is_err());
}

#[test]
fn request_is_rfc8030_with_an_rfc8291_body_the_subscriber_decrypts() {
    let sub = subscription(FCM);
    let request = build_request(
        &sub,
        &vapid(),
        &message(PLAINTEXT),
        EndpointPolicy::PushServices,
        NOW,
    )
    .unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri(), FCM);
    let header = |name: &str| request.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("ttl"), "300");
    assert_eq!(header("urgency"), "high");
    assert_eq!(header("topic"), "s-abc_123");
    assert_eq!(header("content-encoding"), "aes128gcm");
    assert_eq!(header("content-type"), "application/octet-stream");
    assert_eq!(header("content-length"), request.body().len().to_string());

    let body = request.body().clone();
    // aes128gcm header: 16-byte salt, record size, keyid = a fresh uncompressed P-256
    // point (not the subscriber's), then one record: plaintext + delimiter + 16-byte tag.
    assert_eq!(body[20], 65);
    assert_eq!(body[21], 4);
    assert_ne!(&body[21..86], &bytes(UA_PUBLIC)[..]);
    assert!(ecdh_p256::PublicKey::from_sec1_bytes(&body[21..86]).is_ok());
    let rs = u32::from_be_bytes(body[16..20].try_into().unwrap()) as usize;
    assert!(rs >= PLAINTEXT.len() + 17);
    assert_eq!(body.len(), 86 + PLAINTEXT.len() + 1 + 16);
    assert_eq!(
        decrypt(body.clone(), &ua_secret(), &auth()).unwrap(),
        PLAINTEXT.as_bytes()
    );

    // Two requests never share salt or key: each message has its own.
    let again = build_request(
        &sub,
        &vapid(),
        &message(PLAINTEXT),
        EndpointPolicy::PushServices,
        NOW,
    )
    .unwrap();
    assert_ne!(&again.body()[..86], &body[..86]);

    let (claims, key) =
        verify_authorization(&header("authorization"), "https://fcm.googleapis.com", NOW).unwrap();
    assert_eq!(key, vapid().public_key());
    assert_eq!(claims.sub, "mailto:ops@tessera.example");
    assert!(claims.exp > NOW && claims.exp <= NOW + 24 * 3600);
}

#[test]
fn topic_and_size_limits_are_enforced() {
    let sub = subscription(FCM);
    for topic in ["", "has space", "ä", &"a".repeat(33)] {
        let mut m = message("x");
        m.topic = Some(topic.into());
        let result = build_request(&sub, &vapid(), &m, EndpointPolicy::PushServices, NOW);
        assert_eq!(result.unwrap_err(), PushError::BadTopic, "{topic:?}");
    }
    let big = "x".repeat(3994);
    let result = build_request(
        &sub,
        &vapid(),
        &message(&big),
        EndpointPolicy::PushServices,
        NOW,
    );
    assert_eq!(result.unwrap_err(), PushError::PayloadTooLarge(3994));
    let fits = "x".repeat(3993);
    let request = build_request(
        &sub,
        &vapid(),
        &message(&fits),
        EndpointPolicy::PushServices,
        NOW,
    )
    .unwrap();
    assert!(request.body().len() <= 4096);
}

#[test]
fn vapid_authorization_is_refused_when_anything_is_off() {
    let aud = "https://fcm.googleapis.com";
    let good = vapid().authorization(aud, NOW);
    assert!(verify_authorization(&good, aud, NOW).is_ok());
    let refused = |header: &str, aud: &str, now: u64| {
        verify_authorization(header, aud, now).expect_err(header)
    };
    // Another audience, expired, or too far ahead.
    refused(&good, "https://updates.push.services.mozilla.com", NOW);
    refused(&good, aud, NOW + 12 * 3600);
    refused(&good, aud, NOW - 13 * 3600);
    // k swapped for another key: the signature no longer matches.
    let other = Vapid::new(&[9; 32], "mailto:ops@tessera.example").unwrap();
    let (t, _) = good.split_once(", k=").unwrap();
    refused(&format!("{t}, k={}", other.public_key()), aud, NOW);
    // One character of the signature or claims changed.
    let mut chars: Vec<char> = good.chars().collect();
    let sig_at = good.rfind(", k=").unwrap() - 3;
    chars[sig_at] = if chars[sig_at] == 'A' { 'B' } else { 'A' };
    refused(&chars.iter().collect::<String>(), aud, NOW);
    let claims_at = good.find('.').unwrap() + 3;
    let mut chars: Vec<char> = good.chars().collect();
    chars[claims_at] = if chars[claims_at] == 'A' { 'B' } else { 'A' };
    refused(&chars.iter().collect::<String>(), aud, NOW);
    // Other schemes and shapes.
    refused(&good.replacen("vapid ", "WebPush ", 1), aud, NOW);
    refused("vapid t=a.b.c", aud, NOW);
    refused(&"vapid t=".repeat(500), aud, NOW);
}

#[test]
fn vapid_key_and_subject_are_checked() {
    assert_eq!(
        Vapid::new(&[7; 32], "ops@tessera.example").err(),
        Some(PushError::BadSubject)
    );
    assert_eq!(
        Vapid::new(&[7; 32], "http://tessera.example").err(),
        Some(PushError::BadSubject)
    );
    assert_eq!(
        Vapid::new(&[0; 32], "mailto:a@b.example").err(),
        Some(PushError::BadVapidKey)
    );
    assert_eq!(
        Vapid::new(&[7; 31], "mailto:a@b.example").err(),
        Some(PushError::BadVapidKey)
    );
    let a = Vapid::generate_secret();
    let b = Vapid::generate_secret();
    assert_ne!(a, b);
    let key = Vapid::new(&a, "https://tessera.example/contact")
        .unwrap()
        .public_key();
    assert_eq!(bytes(&key).len(), 65);
    assert_eq!(bytes(&key)[0], 4);
}

#[test]
fn only_known_push_services_are_called() {
    let allowed = [
        FCM,
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGx7",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    ];
    for endpoint in allowed {
        check_endpoint(endpoint, EndpointPolicy::PushServices).expect(endpoint);
    }
    let refused = [
        "http://fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com:8443/fcm/send/x",
        "https://evil@fcm.googleapis.com/x",
        "https://fcm.googleapis.com.evil.example/x",
        "https://push.apple.com/x",
        "https://evilpush.apple.com/x",
        "https://169.254.169.254/latest/meta-data",
        "http://127.0.0.1:9000/push",
        "https://localhost/push",
        "file:///etc/passwd",
        "/relative",
        "not a url",
    ];
    for endpoint in refused {
        assert!(
            matches!(
                check_endpoint(endpoint, EndpointPolicy::PushServices),
                Err(PushError::EndpointRefused(_))
            ),
            "{endpoint}"
        );
    }
    let too_long = format!("{FCM}{}", "a".repeat(1024));
    assert!(check_endpoint(&too_long, EndpointPolicy::PushServices).is_err());
}

#[test]
fn loopback_http_only_behind_the_flag_and_only_127_0_0_1_with_a_port() {
    let local = "http://127.0.0.1:9000/push/abc";
    assert!(check_endpoint(local, EndpointPolicy::PushServices).is_err());
    check_endpoint(local, EndpointPolicy::AlsoLoopback).unwrap();
    check_endpoint(FCM, EndpointPolicy::AlsoLoopback).unwrap();
    for endpoint in [
        "http://127.0.0.1/push",
        "http://localhost:9000/push",
        "http://10.0.0.1:9000/push",
        "http://127.0.0.2:9000/push",
        "http://[::1]:9000/push",
        "http://x@127.0.0.1:9000/push",
    ] {
        assert!(
            check_endpoint(endpoint, EndpointPolicy::AlsoLoopback).is_err(),
            "{endpoint}"
        );
    }
    // The request builder applies the policy too, whatever a stored row says.
    let sub = subscription(local);
    let result = build_request(
        &sub,
        &vapid(),
        &message("x"),
        EndpointPolicy::PushServices,
        NOW,
    );
    assert!(matches!(result, Err(PushError::EndpointRefused(_))));
    let request = build_request(
        &sub,
        &vapid(),
        &message("x"),
        EndpointPolicy::AlsoLoopback,
        NOW,
    )
    .unwrap();
    let auth = request.headers()["authorization"].to_str().unwrap();
    verify_authorization(auth, "http://127.0.0.1:9000", NOW).unwrap();
}

#[test]
fn subscription_json_is_parsed_and_its_keys_checked() {
    let json = |endpoint: &str, p256dh: &str, auth: &str| {
        serde_json::json!({"endpoint": endpoint, "expirationTime": null,
                           "keys": {"p256dh": p256dh, "auth": auth}})
    };
    let policy = EndpointPolicy::PushServices;
    let sub = Subscription::parse(&json(FCM, UA_PUBLIC, AUTH), policy).unwrap();
    assert_eq!(sub.endpoint, FCM);
    // The P-256 generator compressed, a point off the curve, wrong lengths, padding.
    let compressed = "A2sX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKW";
    let mut off_curve = bytes(UA_PUBLIC);
    off_curve[64] ^= 1;
    let off_curve = Base64UrlUnpadded::encode_string(&off_curve);
    for p256dh in [
        compressed,
        &off_curve,
        &UA_PUBLIC[..80],
        "",
        &format!("{UA_PUBLIC}=="),
    ] {
        let err = Subscription::parse(&json(FCM, p256dh, AUTH), policy).unwrap_err();
        assert_eq!(err, PushError::BadKey("p256dh"), "{p256dh}");
    }
    for auth in [
        "BTBZMqHH6r4Tts7J_aSI",
        "BTBZMqHH6r4Tts7J_aSIggAA",
        "!!!!!!!!!!!!!!!!!!!!!!",
    ] {
        let err = Subscription::parse(&json(FCM, UA_PUBLIC, auth), policy).unwrap_err();
        assert_eq!(err, PushError::BadKey("auth"), "{auth}");
    }
    let err = Subscription::parse(&json("http://127.0.0.1:1/x", UA_PUBLIC, AUTH), policy);
    assert!(matches!(err, Err(PushError::EndpointRefused(_))));
    let missing = serde_json::json!({"endpoint": FCM});
    assert_eq!(
        Subscription::parse(&missing, policy).unwrap_err(),
        PushError::BadSubscription
    );
}

#[test]
fn push_service_answers_map_to_what_happens_to_the_subscription() {
    use http::StatusCode;
    assert_eq!(Outcome::of(StatusCode::CREATED), Outcome::Delivered);
    assert_eq!(Outcome::of(StatusCode::NOT_FOUND), Outcome::Gone);
    assert_eq!(Outcome::of(StatusCode::GONE), Outcome::Gone);
    assert_eq!(Outcome::of(StatusCode::TOO_MANY_REQUESTS), Outcome::Retry);
    assert_eq!(Outcome::of(StatusCode::SERVICE_UNAVAILABLE), Outcome::Retry);
    assert_eq!(Outcome::of(StatusCode::FORBIDDEN), Outcome::Refused);
    assert_eq!(Outcome::of(StatusCode::PAYLOAD_TOO_LARGE), Outcome::Refused);
}
