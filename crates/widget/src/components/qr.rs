//! The animated QR code, drawn as inline SVG.
use qrcode::{EcLevel, QrCode, render::svg};
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

/// The SVG markup of a QR code for `text` (only rectangles: no text of `text` is
/// interpolated into markup).
pub fn qr_svg(text: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L) else {
        return String::new();
    };
    let svg = code
        .render::<svg::Color<'_>>()
        .module_dimensions(4, 4)
        .quiet_zone(true)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    match svg.find("<svg") {
        Some(start) => {
            svg[start..].replacen("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" ", 1)
        }
        None => svg,
    }
}
