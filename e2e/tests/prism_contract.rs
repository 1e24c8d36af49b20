//! Contract test: the generated client against Prism (`prism mock --errors`), which validates
//! every request against `spec/sailpoint-api.v2024.yaml` and answers with the spec's examples.
//!
//! Each operation is called with the spec's example values (and a few more values the spec
//! allows), then each operation's doc example runs against the same server. A request Prism
//! finds invalid gets a 4xx (a documented 400 with an `sl-violations` header, or 401/404/415/422)
//! and fails the test with Prism's reasons; every answer must decode into the return type.
//!
//! Prism serves the spec's paths at its root while the client sends `{base}/v2024/...`, so
//! Prism runs on a copy of the document whose paths carry the `/v2024` prefix (see
//! `support::prism_spec_copy`); the requests reach Prism exactly as the client sends them.
//!
//! Needs the npm tools in `tools/node` (`cargo xtask test` installs them): without them the
//! test fails, it does not skip.

mod docs;
mod support;

use std::fmt::{Debug, Display};
use std::time::Duration;

use sailpoint::v2024::apis::AuthUsersApi;
use sailpoint::v2024::models::{
    AuthUser, AuthUserCapability, JsonPatchOperation, JsonPatchOperationOp,
    JsonPatchOperationValue, JsonPatchOperationValueArrayItem,
};
use sailpoint::v2024::{ApiClient, Configuration, Error, RetryPolicy};
use serde_json::json;

/// Records the outcome of one call: a failure (with Prism's reasons) or the decoded answer.
fn check<T, E: Debug + Display>(
    label: &str,
    result: Result<T, Error<E>>,
    failures: &mut Vec<String>,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(err) => {
            let violations = err
                .headers()
                .and_then(|h| h.get("sl-violations"))
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none");
            failures.push(format!(
                "{label}: {err}\n    status: {:?}, sl-violations: {violations}",
                err.status()
            ));
            None
        }
    }
}

/// An `AuthUser` as Prism answers it: built from the schema's examples, with known values only.
fn check_user(label: &str, user: Option<AuthUser>, failures: &mut Vec<String>) {
    let Some(user) = user else { return };
    let mut problems = Vec::new();
    if user.id.as_deref() != Some("2c91808458ae7a4f0158b1bbf8af0628") {
        problems.push(format!("id {:?}", user.id));
    }
    match &user.capabilities {
        Some(Some(capabilities)) if !capabilities.is_empty() => {
            for capability in capabilities {
                if let AuthUserCapability::Unknown(value) = capability {
                    problems.push(format!("capability {value} is not in the enum"));
                }
            }
        }
        other => problems.push(format!("capabilities {other:?}")),
    }
    if !problems.is_empty() {
        failures.push(format!(
            "{label}: unexpected answer {problems:?}: {user:#?}"
        ));
    }
}

/// Calls every operation of the spec with its example values (and other values the spec
/// allows), counting the calls in `calls`.
async fn call_every_operation(
    base_url: &str,
    operations: &[support::SpecOperation],
    failures: &mut Vec<String>,
    calls: &mut usize,
) {
    let configuration = Configuration::new(base_url)
        .with_access_token("prism-contract")
        .with_retry(RetryPolicy::disabled())
        .with_timeout(Duration::from_secs(30));
    let client = ApiClient::new(configuration).expect("valid configuration");
    let auth_users = AuthUsersApi::new(&client);

    for op in operations {
        match op.id.as_str() {
            "getAuthUser" => {
                let example = op.path_example("id");
                for id in [example.as_str(), "a/b?c#d", "with space", "ünï"] {
                    let label = format!("getAuthUser({id:?})");
                    let user = check(&label, auth_users.get_auth_user(id).await, failures);
                    check_user(&label, user, failures);
                    *calls += 1;
                }
            }
            "patchAuthUser" => {
                let id = op.path_example("id");
                // The spec's example body, decoded into the body type and sent back.
                let example: Vec<JsonPatchOperation> = serde_json::from_value(op.body_example())
                    .expect("the spec's example decodes into Vec<JsonPatchOperation>");
                let mut object = serde_json::Map::new();
                object.insert("attributes".into(), json!({"name": "philip"}));
                let bodies: Vec<(&str, Vec<JsonPatchOperation>)> = vec![
                    ("the spec's example", example),
                    (
                        "the doc example's",
                        vec![JsonPatchOperation::new(
                            JsonPatchOperationOp::Replace,
                            "/capabilities",
                        )
                        .with_value(JsonPatchOperationValue::from(vec!["ORG_ADMIN"]))],
                    ),
                    (
                        "every value alternative",
                        vec![
                            JsonPatchOperation::new(JsonPatchOperationOp::Add, "/a")
                                .with_value("New description".into()),
                            JsonPatchOperation::new(JsonPatchOperationOp::Test, "/b")
                                .with_value(true.into()),
                            JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/c")
                                .with_value(5_000_000_000i64.into()),
                            JsonPatchOperation::new(JsonPatchOperationOp::Add, "/d")
                                .with_value(object.into()),
                            JsonPatchOperation::new(JsonPatchOperationOp::Add, "/e").with_value(
                                JsonPatchOperationValue::Array(vec![
                                    "001".into(),
                                    JsonPatchOperationValueArrayItem::Integer(2),
                                    JsonPatchOperationValueArrayItem::Object(
                                        serde_json::Map::new(),
                                    ),
                                ]),
                            ),
                            // The spec's JsonPatchOperation has no `from`, so `move` and
                            // `copy` go without one: what the spec allows, not RFC 6902.
                            JsonPatchOperation::new(JsonPatchOperationOp::Move, "/f"),
                            JsonPatchOperation::new(JsonPatchOperationOp::Copy, "/g"),
                            JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/h"),
                        ],
                    ),
                    ("an empty list", vec![]),
                ];
                for (what, body) in bodies {
                    let label = format!("patchAuthUser({id:?}, {what} body)");
                    let user = check(
                        &label,
                        auth_users.patch_auth_user(&id, &body).await,
                        failures,
                    );
                    check_user(&label, user, failures);
                    *calls += 1;
                }
                let label = "patchAuthUser(\"a/b?c#d\")".to_owned();
                let body = [JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/x")];
                let user = check(
                    &label,
                    auth_users.patch_auth_user("a/b?c#d", &body).await,
                    failures,
                );
                check_user(&label, user, failures);
                *calls += 1;
            }
            other => failures.push(format!(
                "operation {other} ({} {}) has no call in prism_contract.rs: add one",
                op.method, op.path
            )),
        }
    }
}

#[test]
fn prism_accepts_every_operation_and_doc_example_and_its_answers_decode() {
    // Fails (never skips) with instructions when the npm tools are missing.
    testkit::require_node_tools();
    let operations = support::operations();
    assert!(!operations.is_empty());
    let dir = support::TempDir::new("prism-contract");
    let spec = support::prism_spec_copy(&dir.0);
    let prism = testkit::Prism::start(&spec);

    let mut failures = Vec::new();
    let mut calls = 0;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(call_every_operation(
        &prism.base_url(),
        &operations,
        &mut failures,
        &mut calls,
    ));
    drop(runtime);

    // The doc examples, configured from the environment: Prism's copy of the spec answers the
    // token endpoint too.
    let examples: Vec<&docs::DocExample> =
        docs::all().iter().filter(|e| e.calls_the_api()).collect();
    assert_eq!(
        examples.len(),
        operations.len(),
        "one doc example per operation"
    );
    failures.extend(docs::run(
        examples.iter().copied(),
        &prism.base_url(),
        "prism-client",
        "prism-secret",
    ));

    let log = prism.log();
    let violations: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("[VALIDATOR]") && l.contains("error"))
        .collect();
    if !violations.is_empty() {
        failures.push(format!(
            "Prism reported violations:\n{}",
            violations.join("\n")
        ));
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) in {calls} calls and {} doc examples:\n\n{}\n\n--- Prism's log ---\n{log}",
        failures.len(),
        examples.len(),
        failures.join("\n\n")
    );
    let requests = log.matches("Request received").count();
    assert!(
        requests >= calls + examples.len(),
        "Prism saw {requests} requests, expected at least {}",
        calls + examples.len()
    );
}
