//! The OpenAPI document: valid for a real validator, served where the docs say, and
//! describing exactly the partner routes the server has.
mod common;

use std::{path::PathBuf, process::Command};

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::Value;

fn tools_dir() -> PathBuf {
    std::env::var_os("TESSERA_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/tessera-tools")
        })
}

/// Runs swagger-parser (installed by scripts/setup.sh) on `document`.
fn validate(document: &Value) -> Result<String, String> {
    let file = std::env::temp_dir().join(format!(
        "tessera-openapi-{}.json",
        tessera_server::secrets::random_id()
    ));
    std::fs::write(&file, serde_json::to_vec(document).unwrap()).unwrap();
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/validate-openapi.cjs");
    let output = Command::new("node")
        .arg(script)
        .arg(&file)
        .env("NODE_PATH", tools_dir().join("node_modules"))
        .output()
        .expect("node runs (scripts/setup.sh installs what the tests need)");
    std::fs::remove_file(&file).unwrap();
    let say = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).trim().to_owned();
    if output.status.success() {
        Ok(say(output.stdout))
    } else {
        Err(say(output.stderr))
    }
}

async fn served_document() -> Value {
    let h = harness().await;
    let reply = h
        .call(Method::GET, "/.well-known/openapi.json", None, None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.body
}

#[tokio::test]
async fn the_served_document_is_valid_openapi() {
    let document = served_document().await;
    let verdict = validate(&document);
    assert!(
        verdict
            .as_ref()
            .is_ok_and(|said| said.starts_with("valid OpenAPI 3.")),
        "{verdict:?}"
    );
    assert_eq!(document["info"]["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn the_validator_refuses_a_broken_document() {
    // The validator is real: a dangling reference and a header in no known place fail.
    let mut document = served_document().await;
    document["paths"]["/v1/sessions"]["post"]["requestBody"]["content"]["application/json"]["schema"] =
        serde_json::json!({"$ref": "#/components/schemas/NoSuchThing"});
    assert!(validate(&document).is_err());

    let mut document = served_document().await;
    document["paths"]["/v1/sessions"]["post"]["parameters"][0]["in"] = "body".into();
    assert!(validate(&document).is_err());
}

#[tokio::test]
async fn it_describes_the_partner_and_widget_routes_with_their_credentials() {
    let document = served_document().await;
    let operation = |path: &str, method: &str| document["paths"][path][method].clone();
    let security = |path: &str, method: &str| {
        operation(path, method)["security"][0]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
    };
    for (path, method) in [
        ("/v1/sessions", "post"),
        ("/v1/sessions/{id}/result", "get"),
        ("/v1/fraud-reports", "get"),
    ] {
        assert_eq!(
            security(path, method),
            Some(vec!["api_key".into()]),
            "{path}"
        );
    }
    for (path, method) in [
        ("/v1/sessions/{id}/push", "post"),
        ("/v1/sessions/{id}/cancel", "post"),
        ("/v1/sessions/{id}/code", "post"),
        ("/v1/sessions/{id}/extend", "post"),
    ] {
        assert_eq!(
            security(path, method),
            Some(vec!["watch_token".into()]),
            "{path}"
        );
    }
    assert!(operation("/v1/sessions/{id}/events", "get").is_object());
    assert!(operation("/.well-known/jwks.json", "get").is_object());

    // Idempotency keys and problem details, as the server implements them.
    let create = operation("/v1/sessions", "post");
    let header = &create["parameters"][0];
    assert_eq!(
        (header["name"].as_str(), header["in"].as_str()),
        (Some("Idempotency-Key"), Some("header"))
    );
    let problem = &create["responses"]["400"]["content"]["application/problem+json"]["schema"];
    assert_eq!(problem["$ref"], "#/components/schemas/ProblemDetails");
    let schemas = &document["components"]["schemas"];
    let required = schemas["ProblemDetails"]["required"].as_array().unwrap();
    for member in ["type", "title", "status", "detail", "code"] {
        assert!(required.contains(&Value::from(member)), "{member}");
    }
    // The wire types are the protocol crate's, refusing unknown fields.
    assert_eq!(schemas["CreateSession"]["additionalProperties"], false);
    assert!(schemas["Transaction"]["properties"]["payee_iban"].is_object());
}

#[tokio::test]
async fn a_real_error_has_the_documented_shape() {
    let h = harness().await;
    let document = served_document().await;
    let reply = h
        .call(
            Method::GET,
            "/v1/fraud-reports",
            Some("not-a-key"),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let documented = document["components"]["schemas"]["ProblemDetails"]["properties"]
        .as_object()
        .unwrap();
    for member in reply.body.as_object().unwrap().keys() {
        assert!(
            documented.contains_key(member),
            "{member} is not documented"
        );
    }
}
