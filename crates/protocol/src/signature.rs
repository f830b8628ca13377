//! A detached document signature: the approval of a `sign` session together with what it
//! answered, so anyone holding the document, the signature file and the pinned root can
//! check the pair years later, without asking the server.
use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::{
    Details, Document, Expected, Kind, PinnedRoots, SignedApproval, StatusClaims, Token,
    VerifiedApproval, VerifyError, json::object_only, jws::Parsed, verify_approval,
};

/// The `format` of a signature file, version 1.
pub const SIGNATURE_FORMAT: &str = "tessera-signature/1";

/// A signature file (`<document>.tessera.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct DocumentSignature {
    /// Always [`SIGNATURE_FORMAT`].
    pub format: String,
    /// The partner that asked for the signature.
    pub partner_id: String,
    /// The web origin the document was signed on.
    pub origin: String,
    /// The session.
    pub session_id: String,
    /// The session's nonce.
    pub nonce: String,
    /// The document's name and SHA-256, as the phone showed them.
    pub document: Document,
    /// The phone's approval and the server's status statement.
    pub signed: SignedApproval,
}

object_only!(DocumentSignature);

impl DocumentSignature {
    /// Checks that this file signs a document whose SHA-256 is `document_sha256`, with a
    /// chain to `root`. Validity is judged at the moment of signing, which the server's
    /// status statement dates: a signature stays valid after the short-lived status and
    /// the device certificate expire, as a signature on paper does.
    pub fn verify<R: PinnedRoots + ?Sized>(
        &self,
        document_sha256: &[u8; 32],
        root: &R,
    ) -> Result<VerifiedApproval, VerifyError> {
        if self.format != SIGNATURE_FORMAT {
            return Err(VerifyError::ClaimsMalformed(Token::Approval));
        }
        let details = Details::Document(self.document.clone())
            .validated()
            .map_err(|_| VerifyError::DocumentMismatch)?;
        if hex(document_sha256) != self.document.sha256 {
            return Err(VerifyError::DocumentMismatch);
        }
        // The time is read before the status is verified, and only used to verify it: a
        // forged time fails the signature check that follows.
        let signed_at = Parsed::parse(&self.signed.status, Token::Status)?
            .claims_unverified::<StatusClaims>()
            .ok_or(VerifyError::ClaimsMalformed(Token::Status))?
            .iat;
        let expected = Expected {
            session_id: &self.session_id,
            nonce: &self.nonce,
            partner_id: &self.partner_id,
            origin: &self.origin,
            kind: Kind::Sign,
            details_digest: Some(details.digest()),
            user_id: None,
        };
        verify_approval(&self.signed, &expected, root, signed_at)
    }
}

/// Lowercase hex, the form documents' digests travel in.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{
        sha256,
        testkit::{Fixture, NOW, expected},
    };

    fn signature(fixture: &Fixture, pdf: &[u8]) -> DocumentSignature {
        let document = Document {
            name: "Tax form 2026.pdf".into(),
            sha256: hex(&sha256(pdf)),
        };
        let digest = Details::Document(document.clone()).digest();
        let base = expected();
        let expected = Expected {
            kind: Kind::Sign,
            details_digest: Some(digest),
            ..base
        };
        DocumentSignature {
            format: SIGNATURE_FORMAT.into(),
            partner_id: base.partner_id.into(),
            origin: base.origin.into(),
            session_id: base.session_id.into(),
            nonce: base.nonce.into(),
            document,
            signed: fixture.approval(&expected),
        }
    }

    #[test]
    fn hex_is_lowercase_and_complete() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn a_signature_verifies_with_its_document_long_after_signing() {
        let fixture = Fixture::default();
        let pdf = b"%PDF-1.7 tax form";
        let file = signature(&fixture, pdf);
        let verified = file
            .verify(&sha256(pdf), fixture.root.verifying_key())
            .unwrap();
        assert_eq!(verified.user_id(), "alice");
        assert_eq!(verified.signed_at(), NOW);
        // A round trip through JSON, as the file is stored, changes nothing.
        let json = serde_json::to_string(&file).unwrap();
        let read: DocumentSignature = serde_json::from_str(&json).unwrap();
        assert!(
            read.verify(&sha256(pdf), fixture.root.verifying_key())
                .is_ok()
        );
    }

    #[test]
    fn another_document_name_time_or_root_is_refused() {
        let fixture = Fixture::default();
        let pdf = b"%PDF-1.7 tax form";
        let file = signature(&fixture, pdf);
        let root = fixture.root.verifying_key();
        assert_eq!(
            file.verify(&sha256(b"%PDF-1.7 other form"), root),
            Err(VerifyError::DocumentMismatch)
        );
        let mut renamed = file.clone();
        renamed.document.name = "Other form.pdf".into();
        assert_eq!(
            renamed.verify(&sha256(pdf), root),
            Err(VerifyError::DetailsMismatch)
        );
        let mut relabelled = file.clone();
        relabelled.origin = "https://evil.example".into();
        assert_eq!(
            relabelled.verify(&sha256(pdf), root),
            Err(VerifyError::OriginMismatch)
        );
        let other_root = crate::testkit::key(9);
        assert_eq!(
            file.verify(&sha256(pdf), other_root.verifying_key()),
            Err(VerifyError::UntrustedRoot)
        );
        let mut forged_time = file.clone();
        let mut parts: alloc::vec::Vec<&str> = file.signed.status.split('.').collect();
        let mut claims: StatusClaims =
            serde_json::from_slice(&crate::b64_decode(parts[1]).unwrap()).unwrap();
        claims.iat += 3600;
        claims.exp += 3600;
        let payload = crate::b64_encode(&serde_json::to_vec(&claims).unwrap());
        parts[1] = &payload;
        forged_time.signed.status = parts.join(".");
        assert_eq!(
            forged_time.verify(&sha256(pdf), root),
            Err(VerifyError::SignatureInvalid(Token::Status))
        );
    }
}
