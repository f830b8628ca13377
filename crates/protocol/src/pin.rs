//! The rules for a new PIN, one definition for the companion (to tell the user at once)
//! and the server (which enforces them). They keep out the PINs anyone would try first.
use alloc::vec::Vec;

/// Why a new PIN is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinProblem {
    /// Not exactly six ASCII digits.
    Shape,
    /// Repeated or sequential digits (000000, 123456, 121212, 123123, 112233, …).
    Trivial,
}

/// Whether `pin` is six ASCII digits.
pub fn is_pin_shape(pin: &str) -> bool {
    pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit())
}

/// What is wrong with `pin` as a new PIN, if anything.
pub fn pin_problem(pin: &str) -> Option<PinProblem> {
    if !is_pin_shape(pin) {
        return Some(PinProblem::Shape);
    }
    let d: Vec<i8> = pin.bytes().map(|b| (b - b'0') as i8).collect();
    let steps: Vec<i8> = d.windows(2).map(|w| w[1] - w[0]).collect();
    let arithmetic = steps.windows(2).all(|w| w[0] == w[1]) && matches!(steps[0], -1..=1);
    let repeats_pair = d.chunks(2).all(|c| c == &d[..2]);
    let repeats_triple = d[..3] == d[3..];
    let pairs_doubled = d.chunks(2).all(|c| c[0] == c[1]);
    (arithmetic || repeats_pair || repeats_triple || pairs_doubled).then_some(PinProblem::Trivial)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivial_and_malformed_pins_are_refused() {
        for weak in [
            "000000", "111111", "123456", "654321", "012345", "987654", "121212", "123123",
            "112233", "998877",
        ] {
            assert_eq!(pin_problem(weak), Some(PinProblem::Trivial), "{weak}");
        }
        for malformed in ["12345", "1234567", "12a456", "", "١٢٣٤٥٦", "12 456"] {
            assert_eq!(
                pin_problem(malformed),
                Some(PinProblem::Shape),
                "{malformed}"
            );
        }
        for fine in ["482913", "135790", "246813", "907153"] {
            assert_eq!(pin_problem(fine), None, "{fine}");
        }
    }
}
