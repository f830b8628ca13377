//! The Scan's mosaic (flow C) drawn as a QR code in inline SVG. The user's Scan reads the
//! challenge from it; the challenge is also written under it for people.
use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// The SVG markup of a QR code for `text`, in module units (CSS sets the size): a white
/// square and one path of the dark runs, row by row. Only numbers go into the markup,
/// never `text`; `None` if `text` is too long for a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let side = width + 2 * QUIET_ZONE;
    let mut dark = String::new();
    for (y, row) in code.to_colors().chunks(width).enumerate() {
        let mut x = QUIET_ZONE;
        for run in row.chunk_by(|a, b| a == b) {
            if run[0] == Color::Dark {
                let _ = write!(dark, "M{x} {}h{}v1H{x}z", y + QUIET_ZONE, run.len());
            }
            x += run.len();
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\" aria-hidden=\"true\" focusable=\"false\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{dark}\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_version_1_code_of_numbers_only() {
        let svg = qr_svg("80317254").expect("eight digits fit");
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        // Version 1: 21 modules and the quiet zone on both sides.
        assert!(svg.contains("viewBox=\"0 0 29 29\""), "{svg}");
        assert!(!svg.contains("80317254"));
        // The three finder patterns start with a run of 7 dark modules.
        assert!(svg.contains("M4 4h7v1H4z"), "{svg}");
        assert_ne!(svg, qr_svg("80317255").expect("fits"));
        let markup = svg.replace("<script", "");
        assert_eq!(markup, svg);
    }

    #[test]
    fn refuses_what_no_qr_code_holds() {
        assert_eq!(qr_svg(&"9".repeat(8000)), None);
    }
}
