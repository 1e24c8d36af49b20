//! The generated `AuthUsersApi` against wiremock servers on 127.0.0.1: what each operation
//! sends (method, raw path, headers, body), how it decodes the spec's example answers, how every
//! documented and undocumented status becomes an `Error`, and how the models treat unknown enum
//! values, unknown fields, `null` and the `oneOf` patch value.
//!
//! Token handling, retries and configuration are covered by `runtime.rs`; here the client uses a
//! ready access token and no retries.

mod support;

use std::time::Duration;

use sailpoint::v2024::apis::{AuthUsersApi, GetAuthUserError, PatchAuthUserError};
use sailpoint::v2024::models::{
    AuthUser, AuthUserCapability, ErrorMessageDto, ErrorResponseDto, JsonPatchOperation,
    JsonPatchOperationOp, JsonPatchOperationValue, JsonPatchOperationValueArrayItem, LocaleOrigin,
    Response401, Response429,
};
use sailpoint::v2024::{ApiClient, Configuration, Error, RetryPolicy};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The statuses both operations document, each with a body.
const DOCUMENTED_ERRORS: [u16; 6] = [400, 401, 403, 404, 429, 500];

fn api(server: &MockServer) -> AuthUsersApi {
    let configuration = Configuration::new(server.uri())
        .with_access_token("t")
        .with_retry(RetryPolicy::disabled())
        .with_timeout(Duration::from_secs(10));
    AuthUsersApi::new(&ApiClient::new(configuration).expect("valid configuration"))
}

/// Answers `method` on every `/v2024/auth-users/{id}` with `response`.
async fn answer(server: &MockServer, http_method: &str, response: ResponseTemplate) {
    Mock::given(method(http_method))
        .and(path_regex("^/v2024/auth-users/[^/]+$"))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'a>(request: &'a Request, name: &str) -> Vec<&'a str> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ASCII header"))
        .collect()
}

fn decode<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{value} does not decode into the expected type: {e}"))
}

/// The operation of the spec's example request body: replace the capabilities.
fn replace_capabilities() -> Vec<JsonPatchOperation> {
    vec![
        JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/capabilities")
            .with_value(JsonPatchOperationValue::from(vec!["ORG_ADMIN"])),
    ]
}

/// The `AuthUser` the spec's example describes, field by field.
fn expected_auth_user() -> AuthUser {
    let date = "2021-03-08T22:37:33.901Z".parse().expect("RFC 3339");
    AuthUser::new()
        .with_tenant("test-tenant")
        .with_id("2c91808458ae7a4f0158b1bbf8af0628")
        .with_uid("will.smith")
        .with_profile("2c91808458ae7a4f0158b1bbf8af0756")
        .with_identification_number("19-5588452")
        .with_email("william.smith@example.com")
        .with_phone("5555555555")
        .with_work_phone("5555555555")
        .with_personal_email("william.smith@example.com")
        .with_firstname("Will")
        .with_lastname("Smith")
        .with_display_name("Will Smith")
        .with_alias("will.smith")
        .with_last_password_change_date(date)
        .with_last_login_timestamp(1_656_327_185_832)
        .with_current_login_timestamp(1_656_327_185_832)
        .with_last_unlock_timestamp(date)
        .with_capabilities(vec![AuthUserCapability::OrgAdmin])
}

#[tokio::test]
async fn get_auth_user_sends_a_bare_get_and_decodes_the_spec_example() {
    let operation = support::operation("getAuthUser");
    let example = operation.success().example.clone().expect("200 example");
    assert_eq!(example, support::auth_user_example());
    let id = operation.path_example("id");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2024/auth-users/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&example))
        .expect(1)
        .mount(&server)
        .await;

    let user = api(&server).get_auth_user(&id).await.expect("200");
    assert_eq!(user, expected_auth_user());
    assert_eq!(
        serde_json::to_value(&user).expect("encode"),
        example,
        "re-encoding the decoded example gives it back"
    );

    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), format!("/v2024/auth-users/{id}"));
    assert_eq!(request.url.query(), None);
    assert_eq!(header(request, "accept"), ["application/json"]);
    assert_eq!(header(request, "authorization"), ["Bearer t"]);
    assert!(header(request, "content-type").is_empty());
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn patch_auth_user_sends_the_json_patch_body_and_decodes_the_answer() {
    let operation = support::operation("patchAuthUser");
    let example = operation.success().example.clone().expect("200 example");
    let (content_type, body_example) = operation.request_body.clone().expect("a body");
    let body_example = body_example.expect("a body example");
    assert_eq!(content_type, "application/json-patch+json");
    let id = operation.path_example("id");
    let server = MockServer::start().await;
    answer(
        &server,
        "PATCH",
        ResponseTemplate::new(200).set_body_json(&example),
    )
    .await;
    let api = api(&server);

    let user = api
        .patch_auth_user(&id, &replace_capabilities())
        .await
        .expect("200");
    assert_eq!(user, expected_auth_user());

    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), format!("/v2024/auth-users/{id}"));
    assert_eq!(
        header(request, "content-type"),
        ["application/json-patch+json"]
    );
    assert_eq!(header(request, "accept"), ["application/json"]);
    assert_eq!(header(request, "authorization"), ["Bearer t"]);
    assert_eq!(
        std::str::from_utf8(&request.body).expect("UTF-8 body"),
        r#"[{"op":"replace","path":"/capabilities","value":["ORG_ADMIN"]}]"#
    );
    let sent: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(sent, body_example, "the body is the spec's example");

    // Each alternative of the value, and an operation without one, is sent as given.
    let mut object = serde_json::Map::new();
    object.insert("attributes".into(), json!({"name": "philip"}));
    let operations = vec![
        JsonPatchOperation::new(JsonPatchOperationOp::Add, "/a").with_value("text".into()),
        JsonPatchOperation::new(JsonPatchOperationOp::Test, "/b").with_value(true.into()),
        JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/c")
            .with_value(5_000_000_000i64.into()),
        JsonPatchOperation::new(JsonPatchOperationOp::Add, "/d").with_value(object.into()),
        JsonPatchOperation::new(JsonPatchOperationOp::Add, "/e").with_value(
            JsonPatchOperationValue::Array(vec![
                "001".into(),
                JsonPatchOperationValueArrayItem::Integer(2),
                JsonPatchOperationValueArrayItem::Object(serde_json::Map::new()),
            ]),
        ),
        JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/f"),
        JsonPatchOperation::new(JsonPatchOperationOp::Unknown("merge".into()), "/g"),
    ];
    api.patch_auth_user(&id, &operations).await.expect("200");
    api.patch_auth_user(&id, &[]).await.expect("200");
    let requests = received(&server).await;
    assert_eq!(
        std::str::from_utf8(&requests[1].body).expect("UTF-8 body"),
        concat!(
            r#"[{"op":"add","path":"/a","value":"text"},"#,
            r#"{"op":"test","path":"/b","value":true},"#,
            r#"{"op":"replace","path":"/c","value":5000000000},"#,
            r#"{"op":"add","path":"/d","value":{"attributes":{"name":"philip"}}},"#,
            r#"{"op":"add","path":"/e","value":["001",2,{}]},"#,
            r#"{"op":"remove","path":"/f"},"#,
            r#"{"op":"merge","path":"/g"}]"#
        )
    );
    assert_eq!(&requests[2].body[..], b"[]");
}

#[tokio::test]
async fn both_operations_send_the_id_as_one_percent_encoded_segment() {
    let server = MockServer::start().await;
    let user = support::auth_user_example();
    answer(
        &server,
        "GET",
        ResponseTemplate::new(200).set_body_json(&user),
    )
    .await;
    answer(
        &server,
        "PATCH",
        ResponseTemplate::new(200).set_body_json(&user),
    )
    .await;
    let api = api(&server);
    let cases = [
        ("a/b?c#d", "/v2024/auth-users/a%2Fb%3Fc%23d"),
        ("with space", "/v2024/auth-users/with%20space"),
        ("%2F", "/v2024/auth-users/%252F"),
    ];
    for (id, _) in cases {
        api.get_auth_user(id).await.expect(id);
        api.patch_auth_user(id, &replace_capabilities())
            .await
            .expect(id);
    }
    let requests = received(&server).await;
    let seen: Vec<(&str, &str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.url.path(), r.url.query()))
        .collect();
    let expected: Vec<(&str, &str, Option<&str>)> = cases
        .iter()
        .flat_map(|(_, raw)| [("GET", *raw, None), ("PATCH", *raw, None)])
        .collect();
    assert_eq!(seen, expected);
    assert!(requests.iter().all(|r| r.url.fragment().is_none()));
}

/// The `GetAuthUserError` a documented `status` with `body` should give.
fn expected_get_error(status: u16, body: &Value) -> GetAuthUserError {
    match status {
        400 => GetAuthUserError::BadRequest(decode(body)),
        401 => GetAuthUserError::Unauthorized(decode(body)),
        403 => GetAuthUserError::Forbidden(decode(body)),
        404 => GetAuthUserError::NotFound(decode(body)),
        429 => GetAuthUserError::TooManyRequests(decode(body)),
        500 => GetAuthUserError::InternalServerError(decode(body)),
        other => panic!("{other} is not documented"),
    }
}

/// The `PatchAuthUserError` a documented `status` with `body` should give.
fn expected_patch_error(status: u16, body: &Value) -> PatchAuthUserError {
    match status {
        400 => PatchAuthUserError::BadRequest(decode(body)),
        401 => PatchAuthUserError::Unauthorized(decode(body)),
        403 => PatchAuthUserError::Forbidden(decode(body)),
        404 => PatchAuthUserError::NotFound(decode(body)),
        429 => PatchAuthUserError::TooManyRequests(decode(body)),
        500 => PatchAuthUserError::InternalServerError(decode(body)),
        other => panic!("{other} is not documented"),
    }
}

/// Checks an `Error::Api` of `status` against the expected content and the spec's description.
fn check_api_error<E: std::fmt::Debug + std::fmt::Display + PartialEq>(
    err: &Error<E>,
    expected: &E,
    http_method: &str,
    status: u16,
    description: &str,
) {
    assert_eq!(err.status(), Some(status));
    assert_eq!(
        err.headers()
            .and_then(|h| h.get("x-request-id"))
            .map(|v| v.as_bytes()),
        Some(format!("r-{status}").as_bytes())
    );
    assert_eq!(err.content(), Some(expected));
    match err {
        Error::Api(api_error) => {
            assert_eq!(api_error.status, status);
            assert_eq!(api_error.method.as_str(), http_method);
            assert!(
                api_error
                    .url
                    .ends_with(&format!("/v2024/auth-users/status-{status}")),
                "{}",
                api_error.url
            );
            assert_eq!(&api_error.content, expected);
        }
        other => panic!("{http_method} {status}: expected Error::Api, got {other:?}"),
    }
    let message = err.to_string();
    let prefix =
        format!("{http_method} /v2024/auth-users/status-{status} returned {status}: {status} (");
    assert!(message.starts_with(&prefix), "{message}");
    assert!(message.contains(description.trim()), "{message}");
    assert!(message.contains(&expected.to_string()), "{message}");
}

#[tokio::test]
async fn documented_error_statuses_decode_into_their_variants() {
    let get = support::operation("getAuthUser");
    let patch = support::operation("patchAuthUser");
    let server = MockServer::start().await;
    for status in DOCUMENTED_ERRORS {
        let body = get.response(status).example.clone().expect("an example");
        assert_eq!(Some(&body), patch.response(status).example.as_ref());
        Mock::given(path(format!("/v2024/auth-users/status-{status}")))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("x-request-id", format!("r-{status}").as_str())
                    .insert_header("retry-after", "0")
                    .set_body_json(&body),
            )
            .mount(&server)
            .await;
    }
    let api = api(&server);
    for status in DOCUMENTED_ERRORS {
        let id = format!("status-{status}");
        let body = get.response(status).example.clone().expect("an example");
        let description = get.raw["responses"][status.to_string()]["description"]
            .as_str()
            .expect("a description");

        let err = api.get_auth_user(&id).await.expect_err("an error status");
        check_api_error(
            &err,
            &expected_get_error(status, &body),
            "GET",
            status,
            description,
        );
        let err = api
            .patch_auth_user(&id, &replace_capabilities())
            .await
            .expect_err("an error status");
        check_api_error(
            &err,
            &expected_patch_error(status, &body),
            "PATCH",
            status,
            description,
        );
    }
    assert_eq!(
        received(&server).await.len(),
        2 * DOCUMENTED_ERRORS.len(),
        "no retries"
    );

    // The bodies decode into their typed fields.
    let message = ErrorMessageDto::new()
        .with_locale("en-US")
        .with_locale_origin(LocaleOrigin::Default);
    let not_found = expected_get_error(404, &get.response(404).example.clone().expect("404"));
    assert_eq!(
        not_found,
        GetAuthUserError::NotFound(
            ErrorResponseDto::new()
                .with_detail_code("404 Not found")
                .with_tracking_id("b21b1f7ce4da4d639f2c62a57171b427")
                .with_messages(vec![message.clone().with_text(
                    "The server did not find a current representation for the target resource."
                )])
        )
    );
    assert_eq!(
        expected_get_error(401, &get.response(401).example.clone().expect("401")),
        GetAuthUserError::Unauthorized(
            Response401::new().with_error(json!("JWT validation failed: JWT is expired"))
        )
    );
    assert_eq!(
        expected_patch_error(429, &patch.response(429).example.clone().expect("429")),
        PatchAuthUserError::TooManyRequests(
            Response429::new().with_message(json!(" Rate Limit Exceeded "))
        )
    );
}

#[tokio::test]
async fn the_status_not_the_body_shape_chooses_the_variant() {
    let server = MockServer::start().await;
    let unauthorized_body = json!({"error": "JWT validation failed: JWT is expired"});
    let error_dto_body = json!({"detailCode": "401 Unauthorized", "trackingId": "t-1"});
    for (id, status, body) in [
        ("looks-401", 404, &unauthorized_body),
        ("looks-dto", 401, &error_dto_body),
        ("looks-dto-429", 429, &error_dto_body),
        ("looks-401-500", 500, &unauthorized_body),
    ] {
        Mock::given(path(format!("/v2024/auth-users/{id}")))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&server)
            .await;
    }
    let api = api(&server);
    let content = |err: Error<GetAuthUserError>| match err {
        Error::Api(e) => e.content,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(
        content(api.get_auth_user("looks-401").await.expect_err("404")),
        GetAuthUserError::NotFound(ErrorResponseDto::new())
    );
    assert_eq!(
        content(api.get_auth_user("looks-dto").await.expect_err("401")),
        GetAuthUserError::Unauthorized(Response401::new())
    );
    assert_eq!(
        content(api.get_auth_user("looks-dto-429").await.expect_err("429")),
        GetAuthUserError::TooManyRequests(Response429::new())
    );
    assert_eq!(
        content(api.get_auth_user("looks-401-500").await.expect_err("500")),
        GetAuthUserError::InternalServerError(ErrorResponseDto::new())
    );
    match api
        .patch_auth_user("looks-401", &replace_capabilities())
        .await
        .expect_err("404")
    {
        Error::Api(e) => assert_eq!(
            e.content,
            PatchAuthUserError::NotFound(ErrorResponseDto::new())
        ),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_status_is_an_unexpected_response_with_everything_kept() {
    let server = MockServer::start().await;
    let raw = "{\"teapot\": true,\n \"spout\": \"short\"}";
    Mock::given(path("/v2024/auth-users/teapot"))
        .respond_with(
            ResponseTemplate::new(418)
                .insert_header("retry-after", "120")
                .insert_header("x-request-id", "r-418")
                .set_body_raw(raw, "application/json"),
        )
        .mount(&server)
        .await;
    // 503 is retried by default; with retries disabled it comes back at once, unchanged.
    Mock::given(path("/v2024/auth-users/busy"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "1")
                .set_body_string("try later"),
        )
        .mount(&server)
        .await;
    let api = api(&server);

    let check = |err: &Error<String>, http_method: &str| {
        assert_eq!(err.status(), Some(418));
        assert!(err.content().is_none());
        let headers = err.headers().expect("headers");
        assert_eq!(
            headers.get("retry-after").map(|v| v.as_bytes()),
            Some(&b"120"[..])
        );
        assert_eq!(
            headers.get("x-request-id").map(|v| v.as_bytes()),
            Some(&b"r-418"[..])
        );
        match err {
            Error::UnexpectedResponse(r) => {
                assert_eq!(r.status, 418);
                assert_eq!(r.body, raw, "the raw body, unparsed");
                assert_eq!(
                    r.reason, None,
                    "an undocumented status needs no other reason"
                );
                assert_eq!(r.method.as_str(), http_method);
                assert!(r.url.ends_with("/v2024/auth-users/teapot"), "{}", r.url);
            }
            other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
        }
        let message = err.to_string();
        assert!(
            message.starts_with(&format!(
                "{http_method} /v2024/auth-users/teapot returned unexpected status 418; body: {{\"teapot\""
            )),
            "{message}"
        );
    };
    let err = api.get_auth_user("teapot").await.expect_err("418");
    check(&erase(err), "GET");
    let err = api
        .patch_auth_user("teapot", &replace_capabilities())
        .await
        .expect_err("418");
    check(&erase(err), "PATCH");

    let started = std::time::Instant::now();
    let err = api.get_auth_user("busy").await.expect_err("503");
    assert!(started.elapsed() < Duration::from_secs(1), "not retried");
    assert_eq!(err.status(), Some(503));
    match &err {
        Error::UnexpectedResponse(r) => {
            assert_eq!(r.body, "try later");
            assert_eq!(
                r.headers.get("retry-after").map(|v| v.as_bytes()),
                Some(&b"1"[..])
            );
        }
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
}

/// The same error without the operation's error type, for checks shared by both operations
/// (only used on errors that carry no content).
fn erase<E: std::fmt::Debug>(err: Error<E>) -> Error<String> {
    match err {
        Error::UnexpectedResponse(r) => Error::UnexpectedResponse(r),
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn a_malformed_success_body_is_an_unexpected_response_with_a_reason() {
    let server = MockServer::start().await;
    let cases = [
        ("truncated", r#"{"id": "2c9180"#, "EOF"),
        (
            "wrong-type",
            r#"{"lastLoginTimestamp": "yesterday"}"#,
            "invalid type",
        ),
        (
            "bad-date",
            r#"{"lastUnlockTimestamp": "not a date"}"#,
            "input",
        ),
        ("not-an-object", r#""will.smith""#, "invalid type"),
        ("empty", "", "EOF"),
    ];
    for (id, body, _) in cases {
        Mock::given(path(format!("/v2024/auth-users/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
    }
    let api = api(&server);
    for (id, body, why) in cases {
        let get = erase(api.get_auth_user(id).await.expect_err(id));
        let patch = erase(
            api.patch_auth_user(id, &replace_capabilities())
                .await
                .expect_err(id),
        );
        for (err, http_method) in [(get, "GET"), (patch, "PATCH")] {
            assert_eq!(err.status(), Some(200));
            let Error::UnexpectedResponse(r) = &err else {
                unreachable!()
            };
            assert_eq!(r.body, body);
            let reason = r.reason.as_deref().expect("a reason");
            assert!(
                reason.starts_with("could not decode the JSON body: ") && reason.contains(why),
                "{id}: {reason}"
            );
            let message = err.to_string();
            assert!(
                message.starts_with(&format!(
                    "{http_method} /v2024/auth-users/{id} returned 200 with an unexpected body: could not decode"
                )),
                "{message}"
            );
        }
    }
}

/// serde's derived decoders would fill a struct from a JSON array by position; a `200` whose
/// body is `["ORG_ADMIN"]` must be an `UnexpectedResponse`, not an `AuthUser` with
/// `tenant: "ORG_ADMIN"`.
#[tokio::test]
async fn an_array_is_not_an_object() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        ResponseTemplate::new(200).set_body_raw(r#"["ORG_ADMIN"]"#, "application/json"),
    )
    .await;
    let result = api(&server).get_auth_user("u1").await;
    assert!(
        matches!(&result, Err(Error::UnexpectedResponse(r)) if r.reason.is_some()),
        "an array body must not decode into an AuthUser: {result:?}"
    );
}

#[tokio::test]
async fn an_unknown_capability_is_kept_and_reencoded_unchanged() {
    let mut body = support::auth_user_example();
    body["capabilities"] = json!(["ORG_ADMIN", "NEW_CAP", "das:ui-auditor", "org_admin"]);
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        ResponseTemplate::new(200).set_body_json(&body),
    )
    .await;

    let user = api(&server).get_auth_user("u1").await.expect("200");
    assert_eq!(
        user.capabilities,
        Some(Some(vec![
            AuthUserCapability::OrgAdmin,
            AuthUserCapability::Unknown("NEW_CAP".into()),
            AuthUserCapability::DasUiAuditor,
            AuthUserCapability::Unknown("org_admin".into()),
        ]))
    );
    assert_eq!(serde_json::to_value(&user).expect("encode"), body);
    assert_eq!(
        AuthUserCapability::Unknown("NEW_CAP".into()).to_string(),
        "NEW_CAP"
    );
    assert_eq!(AuthUserCapability::from("NEW_CAP").as_str(), "NEW_CAP");
    assert!(!AuthUserCapability::ALL.contains(&AuthUserCapability::Unknown("NEW_CAP".into())));
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let example = support::auth_user_example();
    let mut body = example.clone();
    body["futureField"] = json!({"nested": [1, 2, 3]});
    body["anotherOne"] = json!(null);
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        ResponseTemplate::new(200).set_body_json(&body),
    )
    .await;

    let user = api(&server).get_auth_user("u1").await.expect("200");
    assert_eq!(user, expected_auth_user());
    assert_eq!(serde_json::to_value(&user).expect("encode"), example);
}

#[tokio::test]
async fn null_in_each_nullable_field_stays_distinct_from_absent() {
    let schema = support::schema("AuthUser");
    let mut nullable: Vec<String> = schema["properties"]
        .as_object()
        .expect("properties")
        .iter()
        .filter(|(_, p)| p.get("nullable") == Some(&json!(true)))
        .map(|(name, _)| name.clone())
        .collect();
    nullable.sort();
    assert_eq!(
        nullable,
        [
            "capabilities",
            "email",
            "firstname",
            "identificationNumber",
            "lastPasswordChangeDate",
            "lastUnlockTimestamp",
            "lastname",
            "personalEmail",
            "phone",
            "workPhone",
        ]
    );
    let example = support::auth_user_example();

    // Each field on its own: null, then absent.
    for field in &nullable {
        let mut with_null = example.clone();
        with_null[field.as_str()] = Value::Null;
        let user: AuthUser = decode(&with_null);
        assert_eq!(
            serde_json::to_value(&user).expect("encode"),
            with_null,
            "{field}: null is kept"
        );
        let mut without = example.clone();
        without.as_object_mut().expect("object").remove(field);
        let user_without: AuthUser = decode(&without);
        assert_ne!(user, user_without, "{field}: null and absent differ");
        let encoded = serde_json::to_value(&user_without).expect("encode");
        assert_eq!(encoded, without, "{field}: absent stays absent");
    }

    // All of them at once, through the API.
    let mut all_null = example.clone();
    for field in &nullable {
        all_null[field.as_str()] = Value::Null;
    }
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        ResponseTemplate::new(200).set_body_json(&all_null),
    )
    .await;
    let user = api(&server).get_auth_user("u1").await.expect("200");
    assert_eq!(user.identification_number, Some(None));
    assert_eq!(user.email, Some(None));
    assert_eq!(user.phone, Some(None));
    assert_eq!(user.work_phone, Some(None));
    assert_eq!(user.personal_email, Some(None));
    assert_eq!(user.firstname, Some(None));
    assert_eq!(user.lastname, Some(None));
    assert_eq!(user.last_password_change_date, Some(None));
    assert_eq!(user.last_unlock_timestamp, Some(None));
    assert_eq!(user.capabilities, Some(None));
    assert_eq!(user.tenant.as_deref(), Some("test-tenant"));
    assert_eq!(serde_json::to_value(&user).expect("encode"), all_null);

    let empty: AuthUser = decode(&json!({}));
    assert_eq!(empty, AuthUser::new());
    assert_eq!(empty.email, None);
    assert_eq!(serde_json::to_value(&empty).expect("encode"), json!({}));
}

#[test]
fn json_patch_operation_value_decodes_each_alternative_into_its_own_variant() {
    let value = |json: Value| -> JsonPatchOperationValue { decode(&json) };
    assert_eq!(
        value(json!("New description")),
        JsonPatchOperationValue::String("New description".into())
    );
    assert_eq!(value(json!(true)), JsonPatchOperationValue::Boolean(true));
    assert_eq!(value(json!(false)), JsonPatchOperationValue::Boolean(false));
    assert_eq!(
        value(json!(5_000_000_000i64)),
        JsonPatchOperationValue::Integer(5_000_000_000)
    );
    assert_eq!(value(json!(-300)), JsonPatchOperationValue::Integer(-300));
    let object = json!({"attributes": {"name": "philip"}});
    assert_eq!(
        value(object.clone()),
        JsonPatchOperationValue::Object(object.as_object().expect("object").clone())
    );
    assert_eq!(
        value(json!(["ORG_ADMIN"])),
        JsonPatchOperationValue::Array(vec![JsonPatchOperationValueArrayItem::String(
            "ORG_ADMIN".into()
        )])
    );
    assert_eq!(
        value(json!(["001", 2, {"k": "v"}])),
        JsonPatchOperationValue::Array(vec![
            JsonPatchOperationValueArrayItem::String("001".into()),
            JsonPatchOperationValueArrayItem::Integer(2),
            JsonPatchOperationValueArrayItem::Object(
                json!({"k": "v"}).as_object().expect("object").clone()
            ),
        ])
    );
    assert_eq!(value(json!([])), JsonPatchOperationValue::Array(vec![]));
    assert_eq!(
        JsonPatchOperationValue::from(vec!["ORG_ADMIN"]),
        value(json!(["ORG_ADMIN"]))
    );

    // Each re-encodes to what was decoded.
    for json in [
        json!("s"),
        json!(true),
        json!(5_000_000_000i64),
        object,
        json!(["001", 2, {"k": "v"}]),
    ] {
        assert_eq!(
            serde_json::to_value(value(json.clone())).expect("encode"),
            json
        );
    }

    // Inside an operation, with the spec's example.
    let operations: Vec<JsonPatchOperation> =
        decode(&support::operation("patchAuthUser").body_example());
    assert_eq!(operations, replace_capabilities());

    // What no alternative accepts is an error naming the type.
    for json in [json!(1.5), json!([true]), json!([null]), json!([[1]])] {
        let err = serde_json::from_value::<JsonPatchOperationValue>(json.clone())
            .expect_err("no alternative");
        assert!(
            err.to_string().contains("JsonPatchOperationValue"),
            "{json}: {err}"
        );
    }
    // A null value is no value.
    let op: JsonPatchOperation = decode(&json!({"op": "remove", "path": "/x", "value": null}));
    assert_eq!(op.value, None);
}

#[tokio::test]
async fn operation_errors_display_readably() {
    let server = MockServer::start().await;
    Mock::given(path("/v2024/auth-users/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "detailCode": "404 Not found",
            "trackingId": "t-404",
            "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "Gone."}]
        })))
        .mount(&server)
        .await;
    let api = api(&server);
    let err = api.get_auth_user("gone").await.expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.to_string(),
        "GET /v2024/auth-users/gone returned 404: 404 (Not Found - returned if the request URL \
         refers to a resource or object that does not exist): {\"detailCode\":\"404 Not found\",\
         \"trackingId\":\"t-404\",\"messages\":[{\"locale\":\"en-US\",\"localeOrigin\":\"DEFAULT\",\
         \"text\":\"Gone.\"}]}"
    );
    // As a boxed std error, the way the doc examples return it.
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed
        .to_string()
        .starts_with("GET /v2024/auth-users/gone returned 404"));

    let err = api
        .patch_auth_user("gone", &replace_capabilities())
        .await
        .expect_err("404");
    assert!(
        err.to_string()
            .starts_with("PATCH /v2024/auth-users/gone returned 404: 404 (Not Found"),
        "{err}"
    );
    assert_eq!(
        PatchAuthUserError::TooManyRequests(Response429::new().with_message(json!("slow down")))
            .to_string(),
        "429 (Too Many Requests - Returned in response to too many requests in a given period of \
         time - rate limited. The Retry-After header in the response includes how long to wait \
         before trying again.): {\"message\":\"slow down\"}"
    );
}
