// Biometrics: a WebAuthn platform credential (fingerprint, face) created and used with
// user verification required. ES256 only and no attestation: the server checks every
// byte of what comes back (crates/server/src/webauthn.rs). Byte arrays in and out.

/** Creates the credential; returns its raw id, client data and attestation object. */
export async function createCredential(challenge, rpId, userHandle, userName) {
  const credential = await navigator.credentials.create({
    publicKey: {
      challenge,
      rp: { id: rpId, name: "Tessera" },
      user: { id: userHandle, name: userName, displayName: userName },
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
      authenticatorSelection: {
        authenticatorAttachment: "platform",
        userVerification: "required",
        residentKey: "discouraged",
      },
      attestation: "none",
      timeout: 120000,
    },
  });
  return [
    new Uint8Array(credential.rawId),
    new Uint8Array(credential.response.clientDataJSON),
    new Uint8Array(credential.response.attestationObject),
  ];
}

/** Asks the platform to verify the user and sign `challenge` with the credential. */
export async function getAssertion(challenge, rpId, credentialId) {
  const credential = await navigator.credentials.get({
    publicKey: {
      challenge,
      rpId,
      allowCredentials: [{ type: "public-key", id: credentialId, transports: ["internal"] }],
      userVerification: "required",
      timeout: 120000,
    },
  });
  return [
    new Uint8Array(credential.rawId),
    new Uint8Array(credential.response.clientDataJSON),
    new Uint8Array(credential.response.authenticatorData),
    new Uint8Array(credential.response.signature),
  ];
}
