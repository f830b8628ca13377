//! Who is calling, as every job that serves a device needs to know: the device behind the
//! cookie ([`device`]) and its PIN ([`pin`]). It imports no job of the server, so
//! activation, the device API and biometrics can all stand on it.
pub mod device;
pub mod pin;
