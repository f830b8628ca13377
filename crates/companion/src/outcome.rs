//! How a request ended and why one could not be opened: what the result and problem
//! screens show. Below the state machine and the error mapping, which both use them.

/// How a request ended, as the result screen shows it (`data-result`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Approved with the PIN.
    Approved,
    /// Denied.
    Denied,
    /// Too many wrong PINs: the server locked the device.
    Locked,
    /// The session had expired or was already answered.
    Closed,
    /// The user picked a number the widget did not show: the server cancelled the
    /// session, since the push may not be the user's own doing.
    WrongNumber,
    /// The user said "This wasn't me": the server cancelled the session and recorded a
    /// fraud report for this partner.
    Reported {
        /// The partner's name, as the request showed it.
        partner: String,
    },
}

impl Outcome {
    /// The value of the result screen's `data-result` attribute.
    pub fn attr(&self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::Denied => "denied",
            Outcome::Locked => "locked",
            Outcome::Closed => "closed",
            Outcome::WrongNumber => "wrong_number",
            Outcome::Reported { .. } => "reported",
        }
    }
}

/// Why a request could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The scanned QR code is too old.
    QrStale,
    /// The scanned QR code is not one the server issued.
    QrInvalid,
    /// The device is suspended or revoked.
    DeviceInactive,
    /// A QR was scanned before this browser was activated.
    NoDevice,
    /// The session does not exist (any more).
    NotFound,
    /// The server could not be reached.
    Network,
    /// Anything else.
    Unexpected,
    /// The SMS link of a restore is older than its 6 hours.
    LinkExpired,
    /// The SMS link names no activation the server is waiting for.
    LinkInvalid,
    /// The SMS link was opened in a browser that did not start that restore (the new
    /// key is in the other one).
    LinkElsewhere,
}

impl Problem {
    /// The value of the problem screen's `data-problem` attribute.
    pub fn attr(self) -> &'static str {
        match self {
            Problem::QrStale => "qr_stale",
            Problem::QrInvalid => "qr_invalid",
            Problem::DeviceInactive => "device_inactive",
            Problem::NoDevice => "no_device",
            Problem::NotFound => "not_found",
            Problem::Network => "network",
            Problem::Unexpected => "unexpected",
            Problem::LinkExpired => "link_expired",
            Problem::LinkInvalid => "link_invalid",
            Problem::LinkElsewhere => "link_elsewhere",
        }
    }

    /// Whether it is about finishing an activation (the SMS link), not about a request.
    pub fn about_activation(self) -> bool {
        matches!(
            self,
            Problem::LinkExpired | Problem::LinkInvalid | Problem::LinkElsewhere
        )
    }
}
