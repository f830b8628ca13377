//! The relay body as a partner receives it: JSON `SignedApproval`, then the whole
//! verification (JWS, header, claims, chain, status) against the fixture's request, root
//! and time, so valid seeds reach every check; and the server's own read of an answer.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tessera_fuzz::genuine_approvals;
use tessera_protocol::{
    CertificateClaims, SignedApproval, testkit, verify_approval, verify_device_signature,
};

fuzz_target!(|data: &[u8]| {
    let Ok(signed) = serde_json::from_slice::<SignedApproval>(data) else {
        return;
    };
    // Built once: the fixture signs its certificates.
    static FIXTURE: OnceLock<testkit::Fixture> = OnceLock::new();
    let fixture = FIXTURE.get_or_init(testkit::Fixture::default);
    let expected = testkit::expected();
    let root = fixture.root.verifying_key();
    if let Ok(verified) = verify_approval(&signed, &expected, root, testkit::NOW) {
        // Only what the fixture's device signed can pass: anything else is a forgery.
        static GENUINE: OnceLock<[SignedApproval; 2]> = OnceLock::new();
        let genuine = GENUINE.get_or_init(genuine_approvals);
        assert!(genuine.contains(&signed), "a changed approval verified");
        assert_eq!(verified.user_id(), "alice");
    }
    let _ = verify_device_signature(&signed.approval, fixture.device.verifying_key());
    let _ = CertificateClaims::read_unverified(&signed.status);
});
