//! Tests of the client runtime (authentication, retries, encoding, errors, configuration)
//! through the public API, against wiremock servers on 127.0.0.1.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sailpoint::v2024::apis::auth_users_api::AuthUsersApi;
use sailpoint::v2024::client::USER_AGENT;
use sailpoint::v2024::configuration::{ConfigError, RetryPolicy};
use sailpoint::v2024::models::JsonPatchOperation;
use sailpoint::v2024::{ApiClient, Configuration, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN_PATH: &str = "/oauth/token";
const USER_PATH: &str = "/v2024/auth-users/u1";

/// Hands out `tok-1`, `tok-2`, … with the given lifetime.
struct Tokens {
    issued: AtomicUsize,
    expires_in: u64,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("tok-{n}"),
            "token_type": "bearer",
            "expires_in": self.expires_in,
        }))
    }
}

async fn mount_tokens(server: &MockServer, expires_in: u64) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(Tokens {
            issued: AtomicUsize::new(0),
            expires_in,
        })
        .mount(server)
        .await;
}

fn user_json(id: &str) -> serde_json::Value {
    json!({ "id": id, "uid": "will.smith", "capabilities": ["ORG_ADMIN"] })
}

async fn mount_user(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("u1")))
        .mount(server)
        .await;
}

/// Short timeouts and fast backoff, so that the tests take little time.
fn configuration(server: &MockServer) -> Configuration {
    Configuration::new(server.uri())
        .with_client_credentials("my id", "s&=x")
        .with_timeout(Duration::from_secs(5))
        .with_connect_timeout(Duration::from_secs(1))
        .with_retry(RetryPolicy::new().with_initial_backoff(Duration::from_millis(10)))
}

fn auth_users(configuration: Configuration) -> AuthUsersApi {
    let client = ApiClient::new(configuration).expect("valid configuration");
    AuthUsersApi::new(&client)
}

async fn requests_to(server: &MockServer, wanted: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|r| r.url.path() == wanted)
        .collect()
}

/// Fails instead of hanging when the client loops or waits too long.
async fn within<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), call)
        .await
        .expect("the call did not finish within 15 s")
}

fn bearer_of(request: &Request) -> String {
    request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn token_is_fetched_once_with_a_form_and_cached() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_user(&server).await;
    let api = auth_users(configuration(&server));
    for _ in 0..3 {
        let user = within(api.get_auth_user("u1")).await.expect("user");
        assert_eq!(user.id.as_deref(), Some("u1"));
    }
    let tokens = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 1, "one token request for three calls");
    let token_request = &tokens[0];
    assert_eq!(token_request.method.as_str(), "POST");
    assert_eq!(
        token_request
            .headers
            .get("content-type")
            .map(|v| v.as_bytes()),
        Some(&b"application/x-www-form-urlencoded"[..])
    );
    assert_eq!(
        String::from_utf8_lossy(&token_request.body),
        "grant_type=client_credentials&client_id=my+id&client_secret=s%26%3Dx"
    );
    assert!(token_request.headers.get("authorization").is_none());
    for request in requests_to(&server, USER_PATH).await {
        assert_eq!(bearer_of(&request), "Bearer tok-1");
    }
}

#[tokio::test]
async fn token_is_renewed_before_it_expires() {
    let server = MockServer::start().await;
    // A 2 s token is renewed once half of its lifetime is gone (the margin is
    // max(60 s, 10 %) but at most half the lifetime).
    mount_tokens(&server, 2).await;
    mount_user(&server).await;
    let api = auth_users(configuration(&server));
    within(api.get_auth_user("u1")).await.expect("first call");
    within(api.get_auth_user("u1")).await.expect("second call");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    within(api.get_auth_user("u1"))
        .await
        .expect("call after renewal");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    within(api.get_auth_user("u1"))
        .await
        .expect("call after second renewal");
    let seen: Vec<String> = requests_to(&server, USER_PATH)
        .await
        .iter()
        .map(bearer_of)
        .collect();
    assert_eq!(
        seen,
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-3"
        ]
    );
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "shared", "expires_in": 3600}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    mount_user(&server).await;
    let client = ApiClient::new(configuration(&server)).expect("client");
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(
                async move { within(AuthUsersApi::new(&client).get_auth_user("u1")).await },
            )
        })
        .collect();
    for result in futures::future::join_all(calls).await {
        result.expect("task").expect("call");
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    let users = requests_to(&server, USER_PATH).await;
    assert_eq!(users.len(), 20);
    assert!(users.iter().all(|r| bearer_of(r) == "Bearer shared"));
}

#[tokio::test]
async fn unauthorized_renews_the_token_and_retries_once() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "JWT is expired"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("u1")))
        .mount(&server)
        .await;
    let api = auth_users(configuration(&server));
    let user = within(api.get_auth_user("u1"))
        .await
        .expect("retried with tok-2");
    assert_eq!(user.id.as_deref(), Some("u1"));
    // The renewed token is cached.
    within(api.get_auth_user("u1")).await.expect("second call");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 3);
}

#[tokio::test]
async fn a_second_unauthorized_is_returned_not_looped() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "nope"})))
        .mount(&server)
        .await;
    let api = auth_users(configuration(&server));
    let err = within(api.get_auth_user("u1")).await.expect_err("401");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status(), Some(401));
    assert!(err.content().is_some());
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_ready_access_token_is_sent_as_is() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .and(header("authorization", "Bearer ready-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("u1")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/auth-users/other"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "expired"})))
        .mount(&server)
        .await;
    let api = auth_users(Configuration::new(server.uri()).with_access_token("ready-token"));
    within(api.get_auth_user("u1")).await.expect("user");
    within(api.get_auth_user("u1")).await.expect("user");
    // A 401 cannot be cured by renewing a ready token: returned at once.
    let err = within(api.get_auth_user("other")).await.expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        requests_to(&server, "/v2024/auth-users/other").await.len(),
        1
    );
    assert!(requests_to(&server, TOKEN_PATH).await.is_empty());
}

#[tokio::test]
async fn token_endpoint_failure_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "invalid_client"}))
                .insert_header("x-trace", "t1"),
        )
        .mount(&server)
        .await;
    let api = auth_users(configuration(&server));
    let err = within(api.get_auth_user("u1"))
        .await
        .expect_err("auth fails");
    match &err {
        Error::Auth(auth) => {
            assert_eq!(auth.status, Some(401));
            assert!(auth
                .body
                .as_deref()
                .unwrap_or("")
                .contains("invalid_client"));
        }
        other => panic!("expected Error::Auth, got {other:?}"),
    }
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        err.headers()
            .and_then(|h| h.get("x-trace"))
            .map(|v| v.as_bytes()),
        Some(&b"t1"[..])
    );
    let message = err.to_string();
    assert!(
        message.contains("/oauth/token") && message.contains("invalid_client"),
        "{message}"
    );
    assert!(!message.contains("s&=x"));
    assert!(requests_to(&server, USER_PATH).await.is_empty());
}

/// Answers `status` (with `Retry-After: retry_after` when given) `times` times, then
/// falls through to the user mock.
async fn mount_failures(server: &MockServer, status: u16, retry_after: Option<&str>, times: u64) {
    let mut template = ResponseTemplate::new(status).set_body_json(json!({"message": "slow down"}));
    if let Some(value) = retry_after {
        template = template.insert_header("retry-after", value);
    }
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(template)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn too_many_requests_is_retried_after_retry_after() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 429, Some("0"), 1).await;
    mount_failures(&server, 429, Some("1"), 1).await;
    mount_user(&server).await;
    let api = auth_users(configuration(&server));
    let started = Instant::now();
    within(api.get_auth_user("u1"))
        .await
        .expect("succeeds on the third attempt");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(950), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 3);
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
}

#[tokio::test]
async fn retries_are_bounded_and_the_last_answer_is_returned() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 429, Some("0"), 100).await;
    let api = auth_users(configuration(&server));
    let err = within(api.get_auth_user("u1")).await.expect_err("429");
    assert_eq!(err.status(), Some(429));
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(
        err.headers()
            .and_then(|h| h.get("retry-after"))
            .map(|v| v.as_bytes()),
        Some(&b"0"[..])
    );
    assert_eq!(
        requests_to(&server, USER_PATH).await.len(),
        4,
        "1 + 3 retries"
    );

    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 429, Some("0"), 100).await;
    let api = auth_users(configuration(&server).with_retry(RetryPolicy::new().with_max_retries(1)));
    assert_eq!(
        within(api.get_auth_user("u1"))
            .await
            .expect_err("429")
            .status(),
        Some(429)
    );
    assert_eq!(
        requests_to(&server, USER_PATH).await.len(),
        2,
        "1 + 1 retry"
    );
}

#[tokio::test]
async fn retry_after_beyond_the_wait_budget_is_not_waited_for() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 429, Some("120"), 100).await;
    let api = auth_users(configuration(&server));
    let started = Instant::now();
    let err = within(api.get_auth_user("u1")).await.expect_err("429");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.status(), Some(429));
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 1);

    // The budget covers all waits: 2 × 1 s fit in 2.5 s, a third does not.
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 429, Some("1"), 100).await;
    let policy = RetryPolicy::new()
        .with_max_retries(10)
        .with_max_total_wait(Duration::from_millis(2500));
    let api = auth_users(configuration(&server).with_retry(policy));
    assert_eq!(
        within(api.get_auth_user("u1"))
            .await
            .expect_err("429")
            .status(),
        Some(429)
    );
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 3);
}

#[tokio::test]
async fn retry_after_as_http_date() {
    let policy = RetryPolicy::new()
        .with_initial_backoff(Duration::from_secs(50))
        .with_max_total_wait(Duration::from_secs(10));
    // A date in the past means "now": retried at once (a backoff of 50 s would not fit).
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 429, Some("Wed, 21 Oct 2015 07:28:00 GMT"), 1).await;
    mount_user(&server).await;
    let api = auth_users(configuration(&server).with_retry(policy));
    within(api.get_auth_user("u1")).await.expect("retried");
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 2);

    // A date far ahead is beyond the budget: not retried.
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 429, Some("Fri, 01 Jan 2100 00:00:00 GMT"), 1).await;
    mount_user(&server).await;
    let api = auth_users(configuration(&server).with_retry(policy));
    assert_eq!(
        within(api.get_auth_user("u1"))
            .await
            .expect_err("429")
            .status(),
        Some(429)
    );
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 1);
}

#[tokio::test]
async fn service_unavailable_is_retried_with_backoff() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 503, None, 2).await;
    mount_user(&server).await;
    let api = auth_users(configuration(&server));
    within(api.get_auth_user("u1"))
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 3);

    // Still unavailable after all retries: 503 is not documented, so it is unexpected.
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 503, None, 100).await;
    let api = auth_users(configuration(&server));
    let err = within(api.get_auth_user("u1")).await.expect_err("503");
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 4);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("retry-after", "0")
                .set_body_json(
                    json!({"detailCode": "500.0 Internal Fault", "trackingId": "t-500"}),
                ),
        )
        .mount(&server)
        .await;
    let api = auth_users(configuration(&server));
    let err = within(api.get_auth_user("u1")).await.expect_err("500");
    assert_eq!(err.status(), Some(500));
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 1);
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_failures(&server, 429, Some("0"), 100).await;
    let api = auth_users(configuration(&server).with_retry(RetryPolicy::disabled()));
    assert_eq!(
        within(api.get_auth_user("u1"))
            .await
            .expect_err("429")
            .status(),
        Some(429)
    );
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 1);
}

#[tokio::test]
async fn transport_errors_are_reported_and_not_retried() {
    // A port nobody listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let api =
        auth_users(Configuration::new(format!("http://127.0.0.1:{port}")).with_access_token("t"));
    let err = within(api.get_auth_user("u1")).await.expect_err("refused");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.status(), None);

    // A response slower than the timeout.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(user_json("u1"))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let api = auth_users(
        Configuration::new(server.uri())
            .with_access_token("t")
            .with_timeout(Duration::from_millis(300)),
    );
    let started = Instant::now();
    match within(api.get_auth_user("u1")).await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(requests_to(&server, USER_PATH).await.len(), 1);
}

#[tokio::test]
async fn every_request_has_one_authorization_accept_and_user_agent() {
    let server = MockServer::start().await;
    mount_tokens(&server, 3600).await;
    mount_user(&server).await;
    Mock::given(method("PATCH"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("u1")))
        .mount(&server)
        .await;
    let api = auth_users(configuration(&server));
    within(api.get_auth_user("u1")).await.expect("get");
    let patch: Vec<JsonPatchOperation> = serde_json::from_value(json!([
        {"op": "replace", "path": "/capabilities", "value": ["ORG_ADMIN"]}
    ]))
    .expect("patch operations");
    within(api.patch_auth_user("u1", &patch))
        .await
        .expect("patch");

    let version = USER_AGENT
        .strip_prefix("sailpoint-rust/")
        .expect("User-Agent is sailpoint-rust/<version>");
    assert!(
        !version.is_empty() && version.split('.').all(|p| !p.is_empty()),
        "{USER_AGENT}"
    );
    let requests = requests_to(&server, USER_PATH).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let all = |name: &str| -> Vec<String> {
            request
                .headers
                .get_all(name)
                .iter()
                .map(|v| v.to_str().unwrap_or("<binary>").to_owned())
                .collect()
        };
        assert_eq!(all("authorization"), ["Bearer tok-1"]);
        assert_eq!(all("accept"), ["application/json"]);
        assert_eq!(all("user-agent"), [USER_AGENT]);
        assert!(all("x-sailpoint-experimental").is_empty());
    }
    let patch_request = &requests[1];
    assert_eq!(patch_request.method.as_str(), "PATCH");
    assert_eq!(
        patch_request
            .headers
            .get("content-type")
            .map(|v| v.as_bytes()),
        Some(&b"application/json-patch+json"[..])
    );
    let body: serde_json::Value = serde_json::from_slice(&patch_request.body).expect("JSON body");
    assert_eq!(
        body,
        json!([{"op": "replace", "path": "/capabilities", "value": ["ORG_ADMIN"]}])
    );
    let token_request = &requests_to(&server, TOKEN_PATH).await[0];
    assert_eq!(
        token_request
            .headers
            .get("user-agent")
            .map(|v| v.as_bytes()),
        Some(USER_AGENT.as_bytes())
    );
}

#[tokio::test]
async fn path_parameters_are_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/v2024/auth-users/.+$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("any")))
        .mount(&server)
        .await;
    // A trailing slash on the base URL is ignored.
    let api = auth_users(Configuration::new(format!("{}/", server.uri())).with_access_token("t"));
    let cases = [
        ("a/b?c#d", "/v2024/auth-users/a%2Fb%3Fc%23d"),
        ("../x", "/v2024/auth-users/..%2Fx"),
        ("with space", "/v2024/auth-users/with%20space"),
        ("50%+1", "/v2024/auth-users/50%25%2B1"),
        ("ünï", "/v2024/auth-users/%C3%BCn%C3%AF"),
        ("a.b-c_d~e", "/v2024/auth-users/a.b-c_d~e"),
    ];
    for (id, _) in cases {
        within(api.get_auth_user(id)).await.expect(id);
    }
    let seen: Vec<String> = server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let expected: Vec<&str> = cases.iter().map(|(_, p)| *p).collect();
    assert_eq!(seen, expected);

    // `.` and `..` would be removed by URL normalisation: refused, nothing sent.
    for id in [".", ".."] {
        let err = within(api.get_auth_user(id)).await.expect_err(id);
        assert!(matches!(err, Error::Encode(_)), "{err:?}");
    }
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        cases.len()
    );
}

#[tokio::test]
async fn errors_display_and_expose_status_headers_and_content() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2024/auth-users/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-trace", "abc")
                .set_body_json(json!({"detailCode": "404 Not found", "trackingId": "t-404"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/auth-users/teapot"))
        .respond_with(ResponseTemplate::new(418).set_body_string("short and stout"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/auth-users/garbled"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/auth-users/bad-error"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>gateway</html>"))
        .mount(&server)
        .await;
    let api = auth_users(Configuration::new(server.uri()).with_access_token("t"));

    let err = within(api.get_auth_user("missing")).await.expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.headers()
            .and_then(|h| h.get("x-trace"))
            .map(|v| v.as_bytes()),
        Some(&b"abc"[..])
    );
    assert!(err.content().is_some());
    match &err {
        Error::Api(api_error) => {
            assert_eq!(api_error.status, 404);
            assert_eq!(api_error.method.as_str(), "GET");
            assert!(api_error.url.ends_with("/v2024/auth-users/missing"));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.starts_with("GET /v2024/auth-users/missing returned 404: "),
        "{message}"
    );
    let as_std: &dyn std::error::Error = &err;
    assert!(!as_std.to_string().is_empty());

    let err = within(api.get_auth_user("teapot")).await.expect_err("418");
    assert_eq!(err.status(), Some(418));
    match &err {
        Error::UnexpectedResponse(r) => {
            assert_eq!(r.body, "short and stout");
            assert!(r.reason.is_none());
        }
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "GET /v2024/auth-users/teapot returned unexpected status 418; body: short and stout"
    );

    for (id, status) in [("garbled", 200), ("bad-error", 404)] {
        let err = within(api.get_auth_user(id)).await.expect_err(id);
        assert_eq!(err.status(), Some(status));
        match &err {
            Error::UnexpectedResponse(r) => {
                assert!(
                    r.reason.as_deref().unwrap_or("").contains("decode"),
                    "{r:?}"
                );
                assert!(!r.body.is_empty());
            }
            other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
        }
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("GET /v2024/auth-users/{id} returned {status}")),
            "{message}"
        );
    }
}

#[test]
fn client_and_errors_can_be_shared_across_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<ApiClient>();
    send_sync::<Configuration>();
    send_sync::<ConfigError>();
    send_sync::<Error<String>>();
}

#[tokio::test]
async fn debug_output_hides_secrets_and_tokens() {
    let configuration = Configuration::new("https://acme.api.identitynow.com")
        .with_client_credentials("client-id-1", "very-secret-value");
    let debug = format!("{configuration:?}");
    assert!(
        debug.contains("client-id-1") && debug.contains("***"),
        "{debug}"
    );
    assert!(!debug.contains("very-secret-value"), "{debug}");
    let client = ApiClient::new(configuration).expect("client");
    let debug = format!("{client:?}");
    assert!(!debug.contains("very-secret-value"), "{debug}");

    let configuration =
        Configuration::new("https://acme.api.identitynow.com").with_access_token("ready-token-xyz");
    let debug = format!(
        "{configuration:?} {:#?}",
        ApiClient::new(configuration.clone()).expect("client")
    );
    assert!(!debug.contains("ready-token-xyz"), "{debug}");
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, content: Option<&str>) -> TempFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "sailpoint-e2e-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        if let Some(content) = content {
            std::fs::write(&path, content).expect("write temp file");
        }
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn configuration_from_environment() {
    let vars = [
        ("SAIL_BASE_URL", "https://acme.api.identitynow.com/"),
        ("SAIL_CLIENT_ID", "id-1"),
        ("SAIL_CLIENT_SECRET", "secret-1"),
    ];
    let c = Configuration::from_lookup(env(&vars), None).expect("complete");
    assert_eq!(c.base_url(), "https://acme.api.identitynow.com");
    assert_eq!(c.api_base(), "https://acme.api.identitynow.com/v2024");
    assert_eq!(
        c.token_url(),
        "https://acme.api.identitynow.com/oauth/token"
    );
    assert_eq!(c.client_id(), Some("id-1"));
    assert!(!c.experimental());
    assert_eq!(c.timeout(), Duration::from_secs(60));
    assert_eq!(c.connect_timeout(), Duration::from_secs(10));
    assert_eq!(c.retry_policy().max_retries(), 3);
    assert_eq!(c.retry_policy().max_total_wait(), Duration::from_secs(60));

    let with_experimental = [vars[0], vars[1], vars[2], ("SAIL_EXPERIMENTAL", "true")];
    let c = Configuration::from_lookup(env(&with_experimental), None).expect("complete");
    assert!(c.experimental());

    let bad = [vars[0], vars[1], vars[2], ("SAIL_EXPERIMENTAL", "perhaps")];
    let err = Configuration::from_lookup(env(&bad), None).expect_err("invalid flag");
    assert!(err.to_string().contains("SAIL_EXPERIMENTAL"), "{err}");
}

#[test]
fn configuration_falls_back_to_config_json() {
    let file = TempFile::new(
        "config.json",
        Some(
            r#"{"BaseURL": "https://file.api.identitynow.com", "ClientId": "file-id", "ClientSecret": "file-secret", "Experimental": true}"#,
        ),
    );
    let c = Configuration::from_lookup(env(&[]), Some(&file.0)).expect("from file");
    assert_eq!(c.base_url(), "https://file.api.identitynow.com");
    assert_eq!(c.client_id(), Some("file-id"));
    assert!(c.experimental());

    // The environment wins, value by value; empty variables count as unset.
    let vars = [("SAIL_CLIENT_ID", "env-id"), ("SAIL_BASE_URL", "")];
    let c = Configuration::from_lookup(env(&vars), Some(&file.0)).expect("mixed");
    assert_eq!(c.base_url(), "https://file.api.identitynow.com");
    assert_eq!(c.client_id(), Some("env-id"));

    // The variant reading the process environment (which no test changes).
    let unset = |name: &str| std::env::var(name).map_or(true, |v| v.trim().is_empty());
    if ["SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"]
        .iter()
        .all(|n| unset(n))
    {
        let c = Configuration::from_env_and_file(&file.0).expect("from file");
        assert_eq!(c.base_url(), "https://file.api.identitynow.com");
    }
}

#[test]
fn missing_configuration_names_each_value_and_where_it_looked() {
    let absent = TempFile::new("absent.json", None);
    let err = Configuration::from_lookup(env(&[("SAIL_CLIENT_ID", "id")]), Some(&absent.0))
        .expect_err("missing values");
    match &err {
        ConfigError::MissingValues {
            missing,
            config_file_found,
            ..
        } => {
            assert_eq!(missing, &["SAIL_BASE_URL", "SAIL_CLIENT_SECRET"]);
            assert!(!config_file_found);
        }
        other => panic!("expected MissingValues, got {other:?}"),
    }
    let message = err.to_string();
    for needle in [
        "SAIL_BASE_URL",
        "BaseURL",
        "SAIL_CLIENT_SECRET",
        "ClientSecret",
        "environment",
        "absent.json",
        "not found",
    ] {
        assert!(message.contains(needle), "{needle} in {message}");
    }
    assert!(!message.contains("SAIL_CLIENT_ID"), "{message}");

    let partial = TempFile::new("partial.json", Some(r#"{"BaseURL": "https://acme"}"#));
    let err = Configuration::from_lookup(env(&[]), Some(&partial.0)).expect_err("missing values");
    let message = err.to_string();
    assert!(
        message.contains("SAIL_CLIENT_ID") && message.contains("ClientId"),
        "{message}"
    );
    assert!(!message.contains("SAIL_BASE_URL"), "{message}");
    assert!(!message.contains("not found"), "{message}");

    let err = Configuration::from_lookup(env(&[]), None).expect_err("nothing");
    assert!(
        err.to_string()
            .contains("SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET"),
        "{err}"
    );

    let broken = TempFile::new("broken.json", Some("{ not json"));
    let err = Configuration::from_lookup(env(&[]), Some(&broken.0)).expect_err("broken");
    assert!(matches!(err, ConfigError::InvalidFile { .. }), "{err:?}");
    assert!(err.to_string().contains("broken.json"), "{err}");

    assert!(matches!(
        ApiClient::new(Configuration::new("https://acme.api.identitynow.com")),
        Err(ConfigError::MissingCredentials)
    ));
    assert!(matches!(
        ApiClient::new(Configuration::new("not a url").with_access_token("t")),
        Err(ConfigError::InvalidBaseUrl { .. })
    ));
}
