//! Every ```rust block of `generated/docs` compiles (as a module of this test, written by
//! `e2e/build.rs`) and runs: each operation example's `main()` calls a wiremock server on
//! 127.0.0.1 that answers every operation with the spec's example response, configured the way
//! users configure it (`SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`); each model
//! example's `main()` runs too.
//!
//! The examples read process-wide environment variables, so they run one after the other in the
//! one test of this binary.

mod docs;
mod support;

use serde_json::{json, Value};
use wiremock::matchers::{body_string, header, method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "doc-example-token";
const CLIENT_ID: &str = "doc-client";
const CLIENT_SECRET: &str = "doc-secret";

/// A server answering the token endpoint and every operation of the spec with its example.
async fn mock_every_operation(operations: &[support::SpecOperation]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string(format!(
            "grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN,
            "token_type": "bearer",
            "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    for op in operations {
        let success = op.success();
        let response = match &success.example {
            Some(example) => ResponseTemplate::new(success.status).set_body_json(example),
            None => ResponseTemplate::new(success.status),
        };
        Mock::given(method(op.method.as_str()))
            .and(path_regex(op.path_regex()))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(response)
            .named(op.id.clone())
            .mount(&server)
            .await;
    }
    server
}

/// The operation's path as the client sends it, each `{name}` replaced by the parameter's
/// example (the spec's examples need no percent-encoding).
fn example_path(op: &support::SpecOperation) -> String {
    let mut path = format!("{}{}", support::API_PREFIX, op.path);
    for (name, _) in &op.path_params {
        path = path.replace(&format!("{{{name}}}"), &op.path_example(name));
    }
    path
}

#[test]
fn every_doc_example_compiles_and_runs_against_the_spec_examples() {
    let examples = docs::all();
    let operations = support::operations();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = runtime.block_on(mock_every_operation(&operations));

    // wiremock serves from its own thread: the examples' own runtimes reach it from here.
    let failures = docs::run(examples, &server.uri(), CLIENT_ID, CLIENT_SECRET);
    assert!(
        failures.is_empty(),
        "{} of {} doc examples failed:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n\n")
    );

    // Every block ran (none is compile-only), and there is one example per operation.
    let not_run: Vec<String> = examples
        .iter()
        .filter(|e| e.run.is_none())
        .map(docs::DocExample::location)
        .collect();
    assert!(not_run.is_empty(), "blocks without main(): {not_run:?}");
    let operation_examples = examples.iter().filter(|e| e.calls_the_api()).count();
    assert_eq!(
        operation_examples,
        operations.len(),
        "one example per operation"
    );
    assert!(
        examples.len() > operation_examples,
        "the model pages have examples too"
    );

    // Each operation was called, with the spec's example values.
    let requests = runtime
        .block_on(server.received_requests())
        .expect("recording is on");
    let tokens = requests
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .count();
    assert_eq!(tokens, operation_examples, "one token per example's client");
    for op in &operations {
        let calls: Vec<_> = requests
            .iter()
            .filter(|r| r.method.as_str() == op.method && r.url.path() == example_path(op))
            .collect();
        assert_eq!(
            calls.len(),
            1,
            "{}: expected one {} {} from its doc example, got {:?}",
            op.id,
            op.method,
            example_path(op),
            requests
                .iter()
                .map(|r| format!("{} {}", r.method, r.url))
                .collect::<Vec<_>>()
        );
        if let Some((content_type, Some(example))) = &op.request_body {
            let call = calls[0];
            assert_eq!(
                call.headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok()),
                Some(content_type.as_str()),
                "{}",
                op.id
            );
            let sent: Value = serde_json::from_slice(&call.body).expect("a JSON body");
            assert_eq!(
                &sent, example,
                "{}: the doc example sends the spec's example body",
                op.id
            );
        }
    }
}
