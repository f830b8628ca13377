//! The settings' pure parts (FLOWS.md, "self-service"): checking a PIN change and a new
//! device name before they are sent, and the support details and version shown.
use tessera_protocol::api::{DeviceRename, PinChange};

use crate::i18n::T;
use crate::pin::{PinError, check_new_pin, is_pin_shape};

/// The helpdesk's phone number, as written.
pub const SUPPORT_PHONE: &str = "+352 24 550 550";
/// The helpdesk's e-mail address.
pub const SUPPORT_EMAIL: &str = "helpdesk@tessera.example";
/// This app's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The longest device name the server accepts, in characters.
pub const DEVICE_NAME_MAX_CHARS: usize = 64;

/// The `tel:` link of a phone number: `+` and the digits.
pub fn tel_href(number: &str) -> String {
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// Checks a PIN change as typed: the current PIN's shape, then the new PIN as at
/// activation, then that it differs. The request to send, or what to say.
pub fn pin_change(old: &str, new: &str, confirm: &str) -> Result<PinChange, T> {
    if !is_pin_shape(old) {
        return Err(T::ErrPinShape);
    }
    check_new_pin(new, confirm).map_err(|e| match e {
        PinError::Length => T::PinLength,
        PinError::Trivial => T::PinTrivial,
        PinError::Mismatch => T::PinMismatch,
    })?;
    if new == old {
        return Err(T::PinSame);
    }
    Ok(PinChange {
        old_pin: old.into(),
        new_pin: new.into(),
    })
}

/// Checks a new device name as typed (trimmed): the request to send, or what to say.
pub fn rename(typed: &str) -> Result<DeviceRename, T> {
    let name = typed.trim();
    match name.chars().count() {
        0 => Err(T::Required),
        n if n > DEVICE_NAME_MAX_CHARS => Err(T::ErrDeviceName),
        _ => Ok(DeviceRename { name: name.into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_change_needs_the_current_pin_and_a_good_new_one() {
        let ok = pin_change("482913", "739154", "739154").expect("fine");
        assert_eq!(
            (ok.old_pin.as_str(), ok.new_pin.as_str()),
            ("482913", "739154")
        );
        for (old, new, confirm, expected) in [
            ("", "739154", "739154", T::ErrPinShape),
            ("4829", "739154", "739154", T::ErrPinShape),
            ("482913", "123456", "123456", T::PinTrivial),
            ("482913", "73915", "73915", T::PinLength),
            ("482913", "739154", "739145", T::PinMismatch),
            ("482913", "482913", "482913", T::PinSame),
        ] {
            assert_eq!(
                pin_change(old, new, confirm).map(drop),
                Err(expected),
                "{old} {new}"
            );
        }
    }

    #[test]
    fn a_new_name_is_trimmed_and_bounded() {
        assert_eq!(
            rename("  Work phone ").map(|r| r.name),
            Ok("Work phone".into())
        );
        assert_eq!(rename("   ").map(drop), Err(T::Required));
        assert_eq!(
            rename(&"é".repeat(64)).map(|r| r.name.chars().count()),
            Ok(64)
        );
        assert_eq!(rename(&"é".repeat(65)).map(drop), Err(T::ErrDeviceName));
    }

    #[test]
    fn support_details() {
        assert_eq!(tel_href(SUPPORT_PHONE), "tel:+35224550550");
        assert!(SUPPORT_EMAIL.contains('@'));
        assert_eq!(VERSION, env!("CARGO_PKG_VERSION"));
        assert!(!VERSION.is_empty());
    }
}
