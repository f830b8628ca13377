//! The rules for a new PIN. The server checks the PIN and counts failures; these rules
//! only stop the user from choosing a PIN anyone would try first.

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

/// Whether `pin` is six ASCII digits (the shape the approval screen accepts).
pub fn is_pin_shape(pin: &str) -> bool {
    pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a six-digit PIN is among the first ones an attacker would try.
pub fn is_trivial(pin: &str) -> bool {
    if !is_pin_shape(pin) {
        return false;
    }
    let d: Vec<i8> = pin.bytes().map(|b| (b - b'0') as i8).collect();
    let steps: Vec<i8> = d.windows(2).map(|w| w[1] - w[0]).collect();
    let constant_step = steps.windows(2).all(|w| w[0] == w[1]);
    let arithmetic = constant_step && matches!(steps.first(), Some(-1..=1));
    let repeats_pair = d.chunks(2).all(|c| c == &d[..2]);
    let repeats_triple = d[..3] == d[3..];
    let pairs_doubled = d.chunks(2).all(|c| c[0] == c[1]); // 112233, 998877
    arithmetic || repeats_pair || repeats_triple || pairs_doubled || pin == "654321"
}

/// Checks a new PIN and its confirmation, in the order the user should fix them.
pub fn check_new_pin(pin: &str, confirm: &str) -> Result<(), PinError> {
    if !is_pin_shape(pin) {
        return Err(PinError::Length);
    }
    if is_trivial(pin) {
        return Err(PinError::Trivial);
    }
    if pin != confirm {
        return Err(PinError::Mismatch);
    }
    Ok(())
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
        for pin in ["000000", "999999", "123456", "012345", "456789", "987654", "654321",
            "543210", "121212", "909090", "123123", "827827", "112233", "998877"] {
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

    #[test]
    fn pin_shape() {
        assert!(is_pin_shape("000000"));
        assert!(!is_pin_shape("00000"));
        assert!(!is_pin_shape("00000x"));
    }
}
