//! The animated QR code, drawn as inline SVG.
use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};
use yew::prelude::*;

use crate::i18n::{Lang, Text, t};

/// Props of [`QrPanel`].
#[derive(Properties, PartialEq)]
pub struct QrPanelProps {
    /// The companion link the QR encodes now.
    pub link: AttrValue,
    /// The language of the text alternative.
    pub lang: Lang,
}

/// The QR code for `link`, with the link in `data-qr-link` and a text alternative.
#[component]
pub fn QrPanel(props: &QrPanelProps) -> Html {
    let svg = use_memo(props.link.clone(), |link| qr_svg(link));
    html! {
        <figure class="tessera-qr">
            <div id="tessera-qr" class="tessera-qr__code" role="img"
                aria-label={t(props.lang, Text::QrAlt)} data-qr-link={props.link.clone()}>
                { Html::from_html_unchecked(AttrValue::from((*svg).clone())) }
            </div>
        </figure>
    }
}

/// The SVG markup of a QR code for `text`: one path of dark runs on a white square with
/// the 4-module quiet zone, in module units (CSS sets the size). Only numbers are written
/// into the markup, never any of `text`. Drawn here rather than with `qrcode`'s generic
/// renderer, which costs more code in the wasm than this whole function.
pub fn qr_svg(text: &str) -> String {
    const QUIET: usize = 4;
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L) else {
        return String::new();
    };
    let width = code.width();
    let size = width + 2 * QUIET;
    let mut svg = String::with_capacity(width * width * 4);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" aria-hidden=\"true\" focusable=\"false\">\
         <path fill=\"#fff\" d=\"M0 0h{size}v{size}H0z\"/><path fill=\"#000\" d=\""
    );
    for (y, row) in code.to_colors().chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
            if run > 0 {
                let _ = write!(svg, "M{} {}h{run}v1h-{run}z", x + QUIET, y + QUIET);
                x += run;
            } else {
                x += 1;
            }
        }
    }
    svg.push_str("\"/></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_only_numbers() {
        let svg = qr_svg("https://tessera.example/companion/#s=<script>&t=1");
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(!svg.contains("script") && !svg.contains("tessera.example"));
        // Version 3 at level L holds the link: 29 modules and the quiet zone.
        assert!(svg.contains("viewBox=\"0 0 37 37\""));
        assert!(svg.matches('M').count() > 50);
    }
}
