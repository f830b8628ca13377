//! The server's WebAuthn readers: the CBOR decoder, a registration (client data JSON,
//! attestation object with the authenticator data and COSE key) and an assertion
//! (authenticator data, DER signature) against a registered credential. The first byte
//! picks which; the rest is framed parts (`tessera_fuzz::parts`).
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tessera_fuzz::{WEBAUTHN_CHALLENGE, credential, parts, relying_party};
use tessera_server::biometrics::webauthn::{
    Assertion, Credential, Registration, RelyingParty, cbor, verify_assertion, verify_registration,
};

fn fixed() -> &'static (RelyingParty, Credential) {
    static FIXED: OnceLock<(RelyingParty, Credential)> = OnceLock::new();
    FIXED.get_or_init(|| (relying_party(), credential()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let (rp, stored) = fixed();
    match which % 3 {
        0 => {
            if let Ok(value) = cbor::decode(rest) {
                let _ = value.keys();
            }
        }
        1 => {
            let [credential_id, client_data_json, attestation_object] = parts(rest);
            let registration = Registration {
                credential_id,
                client_data_json,
                attestation_object,
            };
            let _ = verify_registration(&registration, &WEBAUTHN_CHALLENGE, rp);
        }
        _ => {
            let [
                credential_id,
                client_data_json,
                authenticator_data,
                signature,
            ] = parts(rest);
            let assertion = Assertion {
                credential_id,
                client_data_json,
                authenticator_data,
                signature,
            };
            let _ = verify_assertion(&assertion, stored, &WEBAUTHN_CHALLENGE, rp);
        }
    }
});
