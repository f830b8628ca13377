//! The partner API as an OpenAPI document, generated from the handlers' annotations and
//! the protocol's wire types, so the description cannot drift from the code. Served at
//! `/.well-known/openapi.json`.
use tessera_protocol::{
    Details, Document, Kind, SignedApproval, Transaction, UserVerification,
    access::{Extended, ShortCodeIssued},
    api::{
        CancelReason, CreateSession, FraudReport, PushAccepted, PushRequest, SessionCreated,
        SessionEvent, SessionState, WidgetConfig,
    },
    offline::{OfflineAccepted, OfflineAnswer},
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use super::jwks;
use crate::{
    error::ProblemDetails,
    partner::{access, offline, relay},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tessera partner API",
        description = "Open a session for your page, let the widget show it, read the signed \
            approval and verify it with `tessera_protocol::verify_approval` or \
            `tessera verify-approval` against the root key you pinned. Errors are RFC 9457 \
            problem details whose `code` is stable. See docs/INTEGRATION.md.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        relay::session_create,
        relay::session_result,
        relay::fraud_reports,
        relay::session_events,
        relay::session_push,
        relay::session_cancel,
        access::session_code,
        access::session_extend,
        offline::session_offline,
        jwks::jwks,
    ),
    components(schemas(
        CreateSession, SessionCreated, WidgetConfig, SessionEvent, SessionState, CancelReason,
        SignedApproval, PushRequest, PushAccepted, FraudReport, Details, Transaction, Document,
        Kind, UserVerification, ProblemDetails, jwks::Jwks, jwks::Jwk,
        ShortCodeIssued, Extended, OfflineAnswer, OfflineAccepted,
    )),
    modifiers(&Authentication),
    tags(
        (name = "partner", description = "Called by the partner's backend with its API key"),
        (name = "widget", description = "Called by the widget in the partner's page with the session's watch token"),
        (name = "keys", description = "Tessera's public keys"),
    ),
)]
struct PartnerApi;

/// The two credentials: the partner's API key, and a session's watch token.
struct Authentication;

impl Modify for Authentication {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The partner's API key; only ever sent from the partner's backend",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "watch_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The `watch_token` of `SessionCreated`, given to the widget only",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document, with the server's version.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = PartnerApi::openapi();
    document.info.version = env!("CARGO_PKG_VERSION").into();
    document
}
