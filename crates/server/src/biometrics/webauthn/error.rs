//! Why WebAuthn refuses a registration or an assertion.

/// Why a registration or an assertion is refused; each has its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebAuthnError {
    #[error("the client data is not the JSON a browser sends")]
    ClientData,
    #[error("the client data is for another ceremony")]
    WrongType,
    #[error("the client data answers another challenge")]
    WrongChallenge,
    #[error("the client data comes from another origin")]
    WrongOrigin,
    #[error("the CBOR is malformed or uses what we do not accept")]
    Cbor,
    #[error("only attestation \"none\" is accepted")]
    Attestation,
    #[error("the authenticator data is truncated or has trailing bytes")]
    AuthData,
    #[error("the authenticator data is for another relying party")]
    WrongRpId,
    #[error("the authenticator did not see the user (UP flag)")]
    UserNotPresent,
    #[error("the authenticator did not verify the user (UV flag)")]
    UserNotVerified,
    #[error("the credential is not the one registered for this device")]
    WrongCredential,
    #[error("only an ES256 key on P-256 is accepted")]
    UnsupportedKey,
    #[error("the signature is not a DER-encoded ECDSA signature")]
    SignatureMalformed,
    #[error("the signature does not verify with the registered key")]
    SignatureInvalid,
    #[error("the signature counter did not grow: the credential may have been cloned")]
    CounterNotIncreased,
}

impl WebAuthnError {
    /// The stable code the API answers with.
    pub fn code(self) -> &'static str {
        use WebAuthnError::*;
        match self {
            ClientData => "webauthn_client_data",
            WrongType => "webauthn_type",
            WrongChallenge => "webauthn_challenge",
            WrongOrigin => "webauthn_origin",
            Cbor => "webauthn_cbor",
            Attestation => "webauthn_attestation",
            AuthData => "webauthn_auth_data",
            WrongRpId => "webauthn_rp_id",
            UserNotPresent => "webauthn_user_not_present",
            UserNotVerified => "webauthn_user_not_verified",
            WrongCredential => "webauthn_credential",
            UnsupportedKey => "webauthn_key",
            SignatureMalformed => "webauthn_signature_malformed",
            SignatureInvalid => "webauthn_signature",
            CounterNotIncreased => "webauthn_counter",
        }
    }
}
