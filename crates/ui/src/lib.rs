//! # tessera-ui
//!
//! It must never hold one app's logic or texts, nor anything that decides security: only
//! presentation both front ends share.
//!
//! What the two Tessera front ends (the partner-site widget and the phone companion)
//! share, and nothing else: the [`Lang`] of the interface with its detection from the
//! browser, the labelled [`LangPicker`], QR codes as SVG ([`qr_svg`]), how amounts and digests are written
//! ([`format_amount`], [`group_hex`]), and [`fetch_text`], the one `fetch` call both
//! make. Each app keeps its own texts in its own `i18n.rs`.
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]

mod fetch;
mod format;
mod lang;
mod lang_picker;
mod qr;

pub use fetch::{fetch_text, parse_json};
pub use format::{format_amount, group_hex, minor_digits};
pub use lang::Lang;
pub use lang_picker::{LangPicker, LangPickerProps};
pub use qr::{EcLevel, qr_svg};
