//! Checking a new PIN as the user types it. The rules themselves live in the protocol
//! crate, so the server enforces exactly what the companion tells the user.
pub use tessera_protocol::pin::is_pin_shape;
use tessera_protocol::pin::{PinProblem, pin_problem};

/// Why a new PIN is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinError {
    /// Not exactly six ASCII digits.
    Length,
    /// Repeated or consecutive digits (000000, 123456, 121212, …).
    Trivial,
    /// The confirmation differs.
    Mismatch,
}

/// Checks a new PIN and its confirmation, in the order the user should fix them.
pub fn check_new_pin(pin: &str, confirm: &str) -> Result<(), PinError> {
    match pin_problem(pin) {
        Some(PinProblem::Shape) => Err(PinError::Length),
        Some(PinProblem::Trivial) => Err(PinError::Trivial),
        None if pin != confirm => Err(PinError::Mismatch),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_wrong_length_and_non_digits() {
        for pin in ["", "12345", "1234567", "12a456", "１２３４５６", " 48291"] {
            assert_eq!(check_new_pin(pin, pin), Err(PinError::Length), "{pin:?}");
        }
    }

    #[test]
    fn refuses_trivial_pins() {
        for pin in [
            "000000", "999999", "123456", "012345", "456789", "987654", "654321", "543210",
            "121212", "909090", "123123", "827827", "112233", "998877",
        ] {
            assert_eq!(check_new_pin(pin, pin), Err(PinError::Trivial), "{pin}");
        }
    }

    #[test]
    fn refuses_mismatched_confirmation() {
        assert_eq!(check_new_pin("482913", "482931"), Err(PinError::Mismatch));
        assert_eq!(check_new_pin("482913", ""), Err(PinError::Mismatch));
    }

    #[test]
    fn accepts_ordinary_pins() {
        for pin in ["482913", "135792", "246813", "100200", "739154"] {
            assert_eq!(check_new_pin(pin, pin), Ok(()), "{pin}");
        }
    }
}
