//! A Scan's mosaic on screen (flow C, steps 5 and 8): the QR code its Scan reads
//! (`#scan-mosaic[data-challenge]`), the challenge written out, and how long it can be
//! answered.
use tessera_protocol::api::ScanChallenge;
use yew::prelude::*;

use super::{use_ctx, use_seconds_left};
use crate::i18n::{T, Texts};
use crate::lifecycle::{group_challenge, minutes_seconds};
use tessera_ui::{EcLevel, qr_svg};

/// Props of [`Mosaic`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The challenge the server made.
    pub challenge: ScanChallenge,
}

/// The mosaic, its challenge and its time left (`#scan-expiry`; an alert once expired).
#[function_component]
pub fn Mosaic(props: &Props) -> Html {
    let ctx = use_ctx();
    let c = &props.challenge;
    let svg = use_memo(c.challenge.clone(), |challenge| {
        qr_svg(challenge, EcLevel::M).unwrap_or_default()
    });
    let left = use_seconds_left(c.expires_at);
    html! {
        <figure id="scan-mosaic" class="mosaic" data-challenge={c.challenge.clone()}
            data-expired={(left == 0).to_string()}>
            <div class="mosaic-code" role="img" aria-label={ctx.t(T::MosaicAlt)}>
                { Html::from_html_unchecked(AttrValue::from((*svg).clone())) }
            </div>
            <figcaption>
                <span class="label">{ ctx.t(T::MosaicChallenge) }</span>
                <span id="scan-challenge" class="mono challenge">{ group_challenge(&c.challenge) }</span>
                if left > 0 {
                    <span id="scan-expiry" class="countdown" role="timer">
                        { ctx.lang.tn(T::MosaicValid, minutes_seconds(left)) }</span>
                } else {
                    <span id="scan-expiry" class="error" role="alert">{ ctx.t(T::MosaicExpired) }</span>
                }
            </figcaption>
        </figure>
    }
}
