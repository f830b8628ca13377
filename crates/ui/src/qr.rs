//! QR codes drawn as inline SVG: the widget's animated login code and the companion's
//! Scan mosaic. Drawn here rather than with `qrcode`'s generic renderer, which costs more
//! code in the wasm than this whole function.
use std::fmt::Write;

pub use qrcode::EcLevel;
use qrcode::{Color, QrCode};

/// Modules of white around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// The SVG markup of a QR code for `text` at error-correction `level`, in module units
/// (CSS sets the size): a white square and one path of the dark runs, row by row. Only
/// numbers go into the markup, never `text`; `None` if `text` is too long for a QR code.
pub fn qr_svg(text: &str, level: EcLevel) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), level).ok()?;
    let width = code.width();
    let side = width + 2 * QUIET_ZONE;
    let mut dark = String::with_capacity(width * width * 2);
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
    fn draws_only_numbers() {
        let svg = qr_svg(
            "https://tessera.example/companion/#s=<script>&t=1",
            EcLevel::L,
        )
        .expect("a link fits");
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(!svg.contains("script") && !svg.contains("tessera.example"));
        // Version 3 at level L holds the link: 29 modules and the quiet zone.
        assert!(svg.contains("viewBox=\"0 0 37 37\""), "{svg}");
        assert!(svg.matches('M').count() > 50);
    }

    #[test]
    fn draws_a_version_1_code_of_eight_digits() {
        let svg = qr_svg("80317254", EcLevel::M).expect("eight digits fit");
        // Version 1: 21 modules and the quiet zone on both sides.
        assert!(svg.contains("viewBox=\"0 0 29 29\""), "{svg}");
        assert!(!svg.contains("80317254"));
        // The three finder patterns start with a run of 7 dark modules.
        assert!(svg.contains("M4 4h7v1H4z"), "{svg}");
        assert_ne!(Some(svg), qr_svg("80317255", EcLevel::M));
    }

    #[test]
    fn refuses_what_no_qr_code_holds() {
        assert_eq!(qr_svg(&"9".repeat(8000), EcLevel::M), None);
    }
}
