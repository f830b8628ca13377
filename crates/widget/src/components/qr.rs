//! The animated QR code, drawn as inline SVG.
use tessera_ui::{EcLevel, qr_svg};
use yew::prelude::*;

use crate::{
    i18n::{Lang, Text, t},
    timing,
};

/// Draws a QR code of a typical link once, soon after the widget is ready, and throws it
/// away. The browser compiles and runs a function's code slowly the first times; without
/// this the first QR after the click took about 55 ms instead of about 12.
pub fn warm_up() {
    gloo::timers::callback::Timeout::new(0, || {
        let link = "https://tessera.example/companion/#/scan/AAAAAAAAAAAAAAAAAAAAAA/0/00000000";
        let _ = qr_svg(link, EcLevel::L);
    })
    .forget();
}

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
    // Level L: the link changes every second, so a smaller code beats a sturdier one.
    let svg = use_memo(props.link.clone(), |link| {
        qr_svg(link, EcLevel::L).unwrap_or_default()
    });
    use_effect_with((), |()| timing::mark(timing::QR));
    html! {
        <figure class="tessera-qr">
            <div id="tessera-qr" class="tessera-qr__code" role="img"
                aria-label={t(props.lang, Text::QrAlt)} data-qr-link={props.link.clone()}>
                { Html::from_html_unchecked(AttrValue::from((*svg).clone())) }
            </div>
        </figure>
    }
}
