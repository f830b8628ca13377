//! What the phone signs.
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};

use crate::json::object_only;

/// The JWS `typ` of an approval.
pub const APPROVAL_TYPE: &str = "tessera-approval+jwt";

/// What a session asks the user to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Log in to the partner's site.
    Login,
    /// Confirm a transaction.
    Confirm,
    /// Sign a document.
    Sign,
}

impl Kind {
    /// The lowercase name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Login => "login",
            Kind::Confirm => "confirm",
            Kind::Sign => "sign",
        }
    }
}

/// The user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// The user approved.
    Approve,
    /// The user refused.
    Deny,
}

/// How the user proved presence on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum UserVerification {
    /// The 6-digit PIN, checked by the server.
    Pin,
    /// A platform authenticator (WebAuthn user verification).
    Biometric,
}

/// The claims of an approval, in this field order when signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct ApprovalClaims {
    /// Session id.
    pub sid: String,
    /// The session's nonce.
    pub nonce: String,
    /// Partner id.
    pub pid: String,
    /// The partner's web origin, as the phone showed it.
    pub origin: String,
    /// Login, confirm or sign.
    pub kind: Kind,
    /// SHA-256 of the canonical transaction details (base64url), for confirm and sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dd: Option<String>,
    /// Approve or deny.
    pub decision: Decision,
    /// Device id.
    pub dev: String,
    /// Signed at (Unix seconds, the phone's clock).
    pub iat: u64,
    /// How the user was verified; absent on a denial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uv: Option<UserVerification>,
    /// Where the phone was, coarsely, if the user turned geolocation on; absent on a
    /// denial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loc: Option<CoarseLocation>,
}

object_only!(ApprovalClaims, CoarseLocation);

impl ApprovalClaims {
    /// These claims carrying `location` if they approve; a denial shares no location.
    pub fn with_location(self, location: Option<CoarseLocation>) -> ApprovalClaims {
        let loc = location.filter(|_| self.decision == Decision::Approve);
        ApprovalClaims { loc, ..self }
    }
}

/// A position rounded to tenths of a degree (about 11 km), as the phone signs it. Integers,
/// not floats: a signed claim has exactly one encoding, and nothing finer than a tenth can
/// be smuggled in. Latitude is in `-900..=900`; longitude in `-1800..1800` (180° E is
/// written as 180° W, its one form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct CoarseLocation {
    /// Latitude in tenths of a degree, north positive.
    lat: i16,
    /// Longitude in tenths of a degree, east positive.
    lon: i16,
}

impl CoarseLocation {
    /// The location from tenths of a degree; `None` outside the ranges above.
    pub fn new(lat_tenths: i16, lon_tenths: i16) -> Option<CoarseLocation> {
        let location = CoarseLocation {
            lat: lat_tenths,
            lon: lon_tenths,
        };
        location.in_range().then_some(location)
    }

    /// Rounds a position in degrees (as a browser gives it) to the nearest tenth, halves
    /// away from zero; `None` for what is not a position on Earth (NaN, ±90.05° and
    /// beyond, |longitude| > 180°).
    pub fn from_degrees(latitude: f64, longitude: f64) -> Option<CoarseLocation> {
        if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
            return None;
        }
        let lon = tenths(longitude);
        // 179.96° E rounds to 180.0°, which is written in its one form, 180.0° W.
        let lon = if lon == 1800 { -1800 } else { lon };
        CoarseLocation::new(tenths(latitude), lon)
    }

    /// Whether both coordinates are in range (a deserialized location was not checked).
    pub fn in_range(&self) -> bool {
        (-900..=900).contains(&self.lat) && (-1800..1800).contains(&self.lon)
    }

    /// Latitude in tenths of a degree, north positive.
    pub fn lat_tenths(&self) -> i16 {
        self.lat
    }

    /// Longitude in tenths of a degree, east positive.
    pub fn lon_tenths(&self) -> i16 {
        self.lon
    }
}

/// `degrees` (already range-checked, so it fits) to the nearest tenth, halves away from
/// zero. `core` has no `f64::round`; the cast truncates toward zero after the half is added.
fn tenths(degrees: f64) -> i16 {
    let scaled = degrees * 10.0;
    let rounded = if scaled < 0.0 {
        scaled - 0.5
    } else {
        scaled + 0.5
    };
    rounded as i16
}

/// `49.6° N, 6.1° E`: how a partner shows it.
impl fmt::Display for CoarseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = |f: &mut fmt::Formatter<'_>, tenths: i16, plus: char, minus: char| {
            let hemisphere = if tenths < 0 { minus } else { plus };
            let abs = tenths.unsigned_abs();
            write!(f, "{}.{}° {hemisphere}", abs / 10, abs % 10)
        };
        part(f, self.lat, 'N', 'S')?;
        f.write_str(", ")?;
        part(f, self.lon, 'E', 'W')
    }
}
