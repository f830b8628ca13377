//! The roots a verifier pins. Usually one; while Tessera rotates its root, two: the
//! current root and the next one, which Tessera announces (JWKS, `tessera root-key
//! --all`) before any certificate chains to it, so partners pin it first and notice no
//! rotation. Devices certified under the old root keep chaining to it until their
//! certificates expire, so a partner keeps it pinned as long as Tessera lists it.
use alloc::vec::Vec;

use p256::ecdsa::VerifyingKey;

use crate::verifying_key_from_b64;

/// What [`crate::verify_approval`] accepts as the pinned roots: one key, or a set.
pub trait PinnedRoots {
    /// The keys an issuer certificate may be signed by. Empty trusts nothing.
    fn keys(&self) -> &[VerifyingKey];
}

impl PinnedRoots for VerifyingKey {
    fn keys(&self) -> &[VerifyingKey] {
        core::slice::from_ref(self)
    }
}

impl PinnedRoots for [VerifyingKey] {
    fn keys(&self) -> &[VerifyingKey] {
        self
    }
}

impl<const N: usize> PinnedRoots for [VerifyingKey; N] {
    fn keys(&self) -> &[VerifyingKey] {
        self
    }
}

impl PinnedRoots for Vec<VerifyingKey> {
    fn keys(&self) -> &[VerifyingKey] {
        self
    }
}

/// Reads pinned roots written as base64url keys separated by whitespace or commas (a
/// configuration file with one key a line, a `--root` value). `None` if there is none,
/// or if any is not a P-256 key: a list with a typo must be fixed, never half-used.
pub fn pinned_roots_from_b64(text: &str) -> Option<Vec<VerifyingKey>> {
    let keys = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty())
        .map(verifying_key_from_b64)
        .collect::<Option<Vec<_>>>()?;
    (!keys.is_empty()).then_some(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        SigningKey, VerifyError,
        testkit::{Fixture, NOW, certificate, certificate_claims, expected, key as signing_key},
        verify_approval, verifying_key_to_b64,
    };

    /// The default fixture's device, certified by an issuer under `root` instead.
    fn under(root: &SigningKey) -> Fixture {
        let mut fixture = Fixture::default();
        fixture.certificates[1] = certificate(root, &certificate_claims(&fixture.issuer, None));
        fixture.root = root.clone();
        fixture
    }

    #[test]
    fn before_during_and_after_a_rotation() {
        let (old, next) = (signing_key(1), signing_key(9));
        let (old_pub, next_pub) = (*old.verifying_key(), *next.verifying_key());
        let from_old = under(&old).approval(&expected());
        let from_next = under(&next).approval(&expected());
        // Before: the partner pins the old root only; nothing chains to the next yet.
        assert!(verify_approval(&from_old, &expected(), &old_pub, NOW).is_ok());
        assert_eq!(
            verify_approval(&from_next, &expected(), &old_pub, NOW),
            Err(VerifyError::UntrustedRoot)
        );
        // During: both pinned, in either order; devices of both roots verify.
        for pinned in [[old_pub, next_pub], [next_pub, old_pub]] {
            assert!(verify_approval(&from_old, &expected(), &pinned, NOW).is_ok());
            assert!(verify_approval(&from_next, &expected(), &pinned[..], NOW).is_ok());
        }
        // After: the old root dropped, its devices no longer verify.
        assert!(verify_approval(&from_next, &expected(), &alloc::vec![next_pub], NOW).is_ok());
        assert_eq!(
            verify_approval(&from_old, &expected(), &[next_pub], NOW),
            Err(VerifyError::UntrustedRoot)
        );
    }

    #[test]
    fn a_wrong_root_among_several_or_none_at_all_trusts_nothing() {
        let signed = Fixture::default().approval(&expected());
        let wrong = [
            *signing_key(8).verifying_key(),
            *signing_key(7).verifying_key(),
        ];
        assert_eq!(
            verify_approval(&signed, &expected(), &wrong, NOW),
            Err(VerifyError::UntrustedRoot)
        );
        let none: [VerifyingKey; 0] = [];
        assert_eq!(
            verify_approval(&signed, &expected(), &none, NOW),
            Err(VerifyError::UntrustedRoot)
        );
    }

    #[test]
    fn a_second_root_does_not_excuse_a_broken_chain() {
        // An issuer certificate signed by a pinned root but for a device the issuer did
        // not certify: the extra root changes nothing below the root.
        let mut fixture = Fixture::default();
        fixture.certificates[0] = certificate(
            &signing_key(5),
            &certificate_claims(&fixture.device, Some("d-0001")),
        );
        let signed = fixture.approval(&expected());
        let pinned = [
            *signing_key(9).verifying_key(),
            *fixture.root.verifying_key(),
        ];
        assert_eq!(
            verify_approval(&signed, &expected(), &pinned, NOW),
            Err(VerifyError::SignatureInvalid(
                crate::Token::DeviceCertificate
            ))
        );
    }

    fn key(byte: u8) -> VerifyingKey {
        *SigningKey::from_slice(&[byte; 32])
            .expect("a valid scalar")
            .verifying_key()
    }

    #[test]
    fn a_list_of_roots_reads_whole_or_not_at_all() {
        let (a, b) = (key(1), key(2));
        let text = alloc::format!(
            "{}\n{}, \n",
            verifying_key_to_b64(&a),
            verifying_key_to_b64(&b)
        );
        assert_eq!(pinned_roots_from_b64(&text), Some(alloc::vec![a, b]));
        assert_eq!(pinned_roots_from_b64(" \n"), None, "no key at all");
        let typo = alloc::format!("{} AAAA", verifying_key_to_b64(&a));
        assert_eq!(
            pinned_roots_from_b64(&typo),
            None,
            "one bad key spoils the list"
        );
    }
}
