//! The HTTP client shared by all API groups: authentication, retries and request encoding.

use std::fmt::{self, Display};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER,
};
use reqwest::Method;

use super::auth::{Auth, Bearer};
use super::configuration::{ConfigError, Configuration, RetryPolicy};
use super::error::{ApiError, Error, UnexpectedResponse};

/// The `User-Agent` sent with every request: `sailpoint-rust/<crate version>`.
pub const USER_AGENT: &str = concat!("sailpoint-rust/", env!("CARGO_PKG_VERSION"));

/// The header that marks a call of an experimental operation.
const EXPERIMENTAL_HEADER: &str = "x-sailpoint-experimental";

/// Characters kept as they are in a path segment or a query name or value: the unreserved
/// ones of RFC 3986 (`A-Z a-z 0-9 - . _ ~`); everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A client for one tenant, shared by all API groups (`AuthUsersApi::new(&client)`, …).
///
/// Cloning is cheap and clones share one connection pool and one access token cache.
/// It fetches OAuth access tokens, renews them before they expire (and once when the API
/// answers 401), and retries `429` and `503` answers as its
/// [`RetryPolicy`] allows.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    configuration: Configuration,
    http: reqwest::Client,
    auth: Auth,
    /// `{base URL}/v2024` parsed once: each request's URL is this with its path and query set.
    api_base_url: reqwest::Url,
    /// The path of `api_base_url`, e.g. `/v2024`.
    api_base_path: String,
}

impl ApiClient {
    /// A client for `configuration`.
    ///
    /// Fails when the base URL is not an absolute `http(s)` URL, when no credentials are
    /// configured, or when the HTTP client cannot be built. Nothing is sent yet: the first
    /// access token is fetched by the first call.
    pub fn new(configuration: Configuration) -> Result<ApiClient, ConfigError> {
        let invalid_base = |reason: &str| ConfigError::InvalidBaseUrl {
            url: configuration.base_url().to_owned(),
            reason: reason.to_owned(),
        };
        let base = reqwest::Url::parse(configuration.base_url())
            .map_err(|e| invalid_base(&e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid_base("the scheme must be http or https"));
        }
        if base.host().is_none() {
            return Err(invalid_base("no host"));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(invalid_base("a base URL has no query or fragment"));
        }
        let api_base = configuration.api_base();
        let api_base_url =
            reqwest::Url::parse(&api_base).map_err(|e| invalid_base(&e.to_string()))?;
        let api_base_path = api_base_url.path().trim_end_matches('/').to_owned();
        let auth = Auth::new(&configuration)?;
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(configuration.timeout())
            .connect_timeout(configuration.connect_timeout())
            .build()
            .map_err(ConfigError::HttpClient)?;
        Ok(ApiClient {
            inner: Arc::new(Inner {
                configuration,
                http,
                auth,
                api_base_url,
                api_base_path,
            }),
        })
    }

    /// The configuration this client was built with.
    pub fn configuration(&self) -> &Configuration {
        &self.inner.configuration
    }

    /// A request of `method` for `path`: relative to the API base, already percent-encoded
    /// (path parameters through [`encode_path_segment`]), e.g. `"/auth-users/abc%20d"`.
    pub(crate) fn request(&self, method: Method, path: String) -> Request {
        Request {
            method,
            path,
            query: String::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            experimental: None,
            error: None,
        }
    }

    /// Sends `request`, with authentication and retries, and reads the whole response.
    ///
    /// Any status is returned as a [`RawResponse`] for the operation to interpret; errors are
    /// those of encoding, authentication, transport and a disabled experimental operation.
    pub(crate) async fn execute<E>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        let inner = &*self.inner;
        if let Some(operation) = request.experimental {
            if !inner.configuration.experimental() {
                return Err(Error::ExperimentalDisabled { operation });
            }
        }
        if let Some(message) = request.error {
            return Err(Error::Encode(message));
        }
        let url = self.url(&request)?;
        let policy = inner.configuration.retry_policy();
        let mut retrying = Retrying::new(policy);
        let mut renewed = false;
        let mut renewed_token = None;
        loop {
            let token = match renewed_token.take() {
                Some(token) => token,
                None => inner.auth.token(&inner.http, policy).await?,
            };
            let mut response = self
                .send(&request, &url, &token)
                .await
                .map_err(Error::Transport)?;
            let status = response.status().as_u16();
            if status == 401 && !renewed {
                if let Some(renewal) = inner.auth.renew(&inner.http, policy, &token.token).await {
                    renewed_token = Some(renewal?);
                    renewed = true;
                    let _ = response.bytes().await;
                    continue;
                }
            }
            if let Some(delay) = retrying.delay(status, response.headers()) {
                // Read the body so that the connection can be reused.
                let _ = response.bytes().await;
                tokio::time::sleep(delay).await;
                continue;
            }
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(Error::Transport)?;
            return Ok(RawResponse {
                status,
                headers,
                body,
                method: request.method,
                url: url.into(),
            });
        }
    }

    /// The request's URL; fails when URL normalisation would change its path (a path
    /// parameter `.` or `..`, even percent-encoded, is removed by it).
    #[allow(clippy::result_large_err)]
    fn url<E>(&self, request: &Request) -> Result<reqwest::Url, Error<E>> {
        let inner = &*self.inner;
        let expected_path = format!("{}{}", inner.api_base_path, request.path);
        // Setting the path of the parsed base costs less than parsing a whole URL.
        let mut url = inner.api_base_url.clone();
        url.set_path(&expected_path);
        if !request.query.is_empty() {
            url.set_query(Some(&request.query));
        }
        if url.path() != expected_path {
            return Err(Error::Encode(format!(
                "the request path {} cannot be sent as is (a path parameter is \".\" or \"..\")",
                request.path
            )));
        }
        Ok(url)
    }

    /// Sends one attempt of `request` with `token`.
    async fn send(
        &self,
        request: &Request,
        url: &reqwest::Url,
        token: &Bearer,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut headers = request.headers.clone();
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        headers.insert(AUTHORIZATION, token.header.clone());
        if request.experimental.is_some() {
            headers.insert(EXPERIMENTAL_HEADER, HeaderValue::from_static("true"));
        }
        let builder = self.inner.http.request(request.method.clone(), url.clone());
        let builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { content_type, data } => {
                headers.insert(CONTENT_TYPE, content_type.clone());
                builder.body(data.clone())
            }
            Body::Multipart(parts) => match build_form(parts) {
                Ok(form) => builder.multipart(form),
                // Checked by `Request::multipart`; cannot fail here.
                Err(_) => builder,
            },
        };
        builder.headers(headers).send().await
    }
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("configuration", &self.inner.configuration)
            .finish_non_exhaustive()
    }
}

/// Percent-encodes `value` as one path segment: everything but `A-Z a-z 0-9 - . _ ~` is
/// encoded (so `/`, `?`, `#`, `%`, space as `%20`, and each byte of non-ASCII characters),
/// and the whole segments `.` and `..` become `%2E` and `%2E%2E`.
///
/// URL normalisation would still remove a `%2E` or `%2E%2E` segment, so `execute` refuses
/// such a path with `Error::Encode` instead of sending the request elsewhere.
// Unused when no enabled API has path parameters, hence `allow(dead_code)`.
#[allow(dead_code)]
pub(crate) fn encode_path_segment(value: &str) -> String {
    match value {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(value, UNRESERVED).to_string(),
    }
}

/// Percent-encodes a query parameter name or value.
fn encode_query(value: &str) -> impl Display + '_ {
    utf8_percent_encode(value, UNRESERVED)
}

/// A request being built by an operation: owned, and sent again as is by retries.
///
/// Errors found while building (a body that fails to serialize, an invalid header) are kept
/// and returned by `ApiClient::execute` as `Error::Encode`, before anything is sent.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    method: Method,
    path: String,
    /// Encoded `name=value` pairs joined by `&`.
    query: String,
    headers: HeaderMap,
    body: Body,
    experimental: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone)]
enum Body {
    Empty,
    Bytes {
        content_type: HeaderValue,
        data: Bytes,
    },
    Multipart(Vec<Part>),
}

// Which of these an API uses depends on the OpenAPI document, hence `allow(dead_code)`.
#[allow(dead_code)]
impl Request {
    /// Adds the query parameter `name=value`.
    pub(crate) fn query(mut self, name: &str, value: impl Display) -> Self {
        self.push_query(name, &[value.to_string()], ",");
        self
    }

    /// Adds the query parameter `name=a,b,c` (each value encoded, the commas not); nothing
    /// when `values` is empty.
    pub(crate) fn query_csv<T: Display>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = T>,
    ) -> Self {
        let values: Vec<String> = values.into_iter().map(|v| v.to_string()).collect();
        if !values.is_empty() {
            self.push_query(name, &values, ",");
        }
        self
    }

    /// Adds the query parameters `name=a&name=b&name=c`; nothing when `values` is empty.
    pub(crate) fn query_multi<T: Display>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = T>,
    ) -> Self {
        for value in values {
            self.push_query(name, &[value.to_string()], ",");
        }
        self
    }

    fn push_query(&mut self, name: &str, values: &[String], separator: &str) {
        use std::fmt::Write as _;
        if !self.query.is_empty() {
            self.query.push('&');
        }
        let _ = write!(self.query, "{}=", encode_query(name));
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.query.push_str(separator);
            }
            let _ = write!(self.query, "{}", encode_query(value));
        }
    }

    /// Sets the header `name` (case-insensitive) to `value`, replacing the default for
    /// `Accept`. `Authorization` is always set by the client.
    pub(crate) fn header(mut self, name: &'static str, value: impl Display) -> Self {
        let value = value.to_string();
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            (Err(_), _) => self.fail(format!("invalid header name {name:?}")),
            (_, Err(_)) => self.fail(format!("invalid value for header {name}")),
        }
        self
    }

    /// Sends `body` serialized as JSON, with `Content-Type: content_type`
    /// (e.g. `application/json-patch+json`).
    pub(crate) fn json<T: serde::Serialize + ?Sized>(
        self,
        content_type: &'static str,
        body: &T,
    ) -> Self {
        match serde_json::to_vec(body) {
            Ok(data) => self.with_body(content_type, Bytes::from(data)),
            Err(e) => self.failed(format!("could not serialize the JSON body: {e}")),
        }
    }

    /// Sends `body` as `application/x-www-form-urlencoded`.
    pub(crate) fn form<T: serde::Serialize + ?Sized>(self, body: &T) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(data) => self.with_body("application/x-www-form-urlencoded", Bytes::from(data)),
            Err(e) => self.failed(format!("could not serialize the form body: {e}")),
        }
    }

    /// Sends `parts` as `multipart/form-data`.
    pub(crate) fn multipart(mut self, parts: Vec<Part>) -> Self {
        if let Err(e) = build_form(&parts) {
            return self.failed(e);
        }
        self.body = Body::Multipart(parts);
        self
    }

    /// Sends `body` as text with `Content-Type: content_type` (e.g. `text/plain`).
    pub(crate) fn text(self, content_type: &'static str, body: String) -> Self {
        self.with_body(content_type, Bytes::from(body))
    }

    /// Sends `body` as is with `Content-Type: content_type`
    /// (e.g. `application/octet-stream`).
    pub(crate) fn bytes(self, content_type: &'static str, body: Bytes) -> Self {
        self.with_body(content_type, body)
    }

    /// Marks the operation `operation_id` as experimental: `execute` refuses it unless the
    /// configuration enables experimental calls, and otherwise sends
    /// `X-SailPoint-Experimental: true`.
    pub(crate) fn experimental(mut self, operation_id: &'static str) -> Self {
        self.experimental = Some(operation_id);
        self
    }

    fn with_body(mut self, content_type: &'static str, data: Bytes) -> Self {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => self.body = Body::Bytes { content_type, data },
            Err(_) => self.fail(format!("invalid content type {content_type:?}")),
        }
        self
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    fn failed(mut self, message: String) -> Self {
        self.fail(message);
        self
    }
}

/// One part of a `multipart/form-data` body: a text field or a file.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    name: String,
    data: Result<Bytes, String>,
    file_name: Option<String>,
    content_type: Option<String>,
}

// Which of these an API uses depends on the OpenAPI document, hence `allow(dead_code)`.
#[allow(dead_code)]
impl Part {
    /// A text field.
    pub(crate) fn text(name: impl Into<String>, value: impl Display) -> Part {
        Part {
            name: name.into(),
            data: Ok(Bytes::from(value.to_string())),
            file_name: None,
            content_type: None,
        }
    }

    /// A field holding `value` serialized as JSON, with `Content-Type: application/json`.
    pub(crate) fn json<T: serde::Serialize + ?Sized>(name: impl Into<String>, value: &T) -> Part {
        let name = name.into();
        let data = serde_json::to_vec(value)
            .map(Bytes::from)
            .map_err(|e| format!("could not serialize multipart field {name}: {e}"));
        Part {
            name,
            data,
            file_name: None,
            content_type: Some("application/json".to_owned()),
        }
    }

    /// A file field holding `data` (without file name or content type until set).
    pub(crate) fn file(name: impl Into<String>, data: impl Into<Bytes>) -> Part {
        Part {
            name: name.into(),
            data: Ok(data.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A file field holding `file`; its file name defaults to the field name, so that servers
    /// see a file.
    pub(crate) fn upload(name: impl Into<String>, file: UploadFile) -> Part {
        let name = name.into();
        Part {
            file_name: Some(file.file_name.unwrap_or_else(|| name.clone())),
            content_type: file.content_type,
            data: Ok(file.data),
            name,
        }
    }

    /// Sets the file name sent in `Content-Disposition`.
    pub(crate) fn file_name(mut self, file_name: impl Into<String>) -> Part {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the part's `Content-Type`.
    pub(crate) fn content_type(mut self, content_type: impl Into<String>) -> Part {
        self.content_type = Some(content_type.into());
        self
    }
}

/// A file to upload in a multipart request: its content, and optionally its name and media type.
#[derive(Debug, Clone, Default)]
pub struct UploadFile {
    /// The file's content.
    pub data: Bytes,
    /// The file name sent to the server (defaults to the form field's name).
    pub file_name: Option<String>,
    /// The file's media type, e.g. `text/csv`.
    pub content_type: Option<String>,
}

impl UploadFile {
    /// A file holding `data`.
    pub fn new(data: impl Into<Bytes>) -> UploadFile {
        UploadFile {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Reads the file at `path`, named after its last component.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<UploadFile> {
        let path = path.as_ref();
        Ok(UploadFile {
            data: Bytes::from(std::fs::read(path)?),
            file_name: path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned()),
            content_type: None,
        })
    }

    /// Sets the file name sent to the server.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> UploadFile {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the file's media type, e.g. `text/csv`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> UploadFile {
        self.content_type = Some(content_type.into());
        self
    }
}

/// The multipart form for `parts`, built anew for each attempt.
fn build_form(parts: &[Part]) -> Result<reqwest::multipart::Form, String> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let data = part.data.clone()?;
        let length = data.len() as u64;
        // No copy: `Bytes` is shared between attempts.
        let mut field = reqwest::multipart::Part::stream_with_length(data, length);
        if let Some(file_name) = &part.file_name {
            field = field.file_name(file_name.clone());
        }
        if let Some(content_type) = &part.content_type {
            field = field.mime_str(content_type).map_err(|_| {
                format!(
                    "invalid content type {content_type:?} for multipart field {}",
                    part.name
                )
            })?;
        }
        form = form.part(part.name.clone(), field);
    }
    Ok(form)
}

/// A complete response, whatever its status, for the operation to interpret.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) method: Method,
    pub(crate) url: String,
}

// Which of these an API uses depends on the OpenAPI document, hence `allow(dead_code)`.
// `Error` keeps its documented shape (no boxing), hence `allow(clippy::result_large_err)`.
#[allow(dead_code, clippy::result_large_err)]
impl RawResponse {
    /// The HTTP status code.
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// The `X-Total-Count` header of a list operation, when the server sent a number.
    pub(crate) fn total_count(&self) -> Option<u64> {
        self.headers
            .get("x-total-count")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok())
    }

    /// The body decoded from JSON; an undecodable body is an `Error::UnexpectedResponse`.
    pub(crate) fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(e) => Err(self.rejected(format!("could not decode the JSON body: {e}"))),
        }
    }

    /// The body as text; a body that is not UTF-8 is an `Error::UnexpectedResponse`.
    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(text),
            Err(e) => Err(self.rejected(format!("the body is not UTF-8: {e}"))),
        }
    }

    /// The body as is.
    pub(crate) fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        Ok(self.body)
    }

    /// Nothing (whatever body there is is ignored).
    pub(crate) fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// The `Error::Api` of a documented error status: the body decoded as `B` and wrapped by
    /// `wrap` (e.g. `GetAuthUserError::NotFound`); an undecodable body is an
    /// `Error::UnexpectedResponse`.
    pub(crate) fn error<B: serde::de::DeserializeOwned, E>(
        self,
        wrap: impl FnOnce(B) -> E,
    ) -> Error<E> {
        match serde_json::from_slice::<B>(&self.body) {
            Ok(content) => Error::Api(ApiError {
                status: self.status,
                headers: self.headers,
                content: wrap(content),
                method: self.method,
                url: self.url,
            }),
            Err(e) => self.rejected(format!("could not decode the JSON error body: {e}")),
        }
    }

    /// Decodes a body that must be a JSON object (a struct): serde's derived decoders would
    /// also fill a struct from an array, by position.
    pub(crate) fn json_object<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let first = self.body.iter().find(|b| !b.is_ascii_whitespace());
        if first == Some(&b'[') {
            let reason = "could not decode the JSON body: invalid type: array, expected an object";
            return Err(self.rejected(reason.to_string()));
        }
        self.json()
    }

    /// A documented error status whose response has no body: only the status tells.
    pub(crate) fn error_without_body<E>(self, content: E) -> Error<E> {
        Error::Api(ApiError {
            status: self.status,
            headers: self.headers,
            content,
            method: self.method,
            url: self.url,
        })
    }

    /// The `Error::UnexpectedResponse` of a status the operation does not document.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        self.into_unexpected(None)
    }

    fn rejected<E>(self, reason: String) -> Error<E> {
        self.into_unexpected(Some(reason))
    }

    fn into_unexpected<E>(self, reason: Option<String>) -> Error<E> {
        Error::UnexpectedResponse(UnexpectedResponse {
            status: self.status,
            headers: self.headers,
            body: String::from_utf8_lossy(&self.body).into_owned(),
            reason,
            method: self.method,
            url: self.url,
        })
    }
}

/// The retry budget of one request: which answers are retried, and after how long.
pub(crate) struct Retrying<'a> {
    policy: &'a RetryPolicy,
    retries: u32,
    waited: Duration,
}

impl<'a> Retrying<'a> {
    pub(crate) fn new(policy: &'a RetryPolicy) -> Self {
        Retrying {
            policy,
            retries: 0,
            waited: Duration::ZERO,
        }
    }

    /// How long to wait before retrying an answer of `status` with `headers`, or `None` when
    /// it is not retried (not 429 or 503, or the budget is spent). Counts the retry.
    pub(crate) fn delay(&mut self, status: u16, headers: &HeaderMap) -> Option<Duration> {
        if status != 429 && status != 503 {
            return None;
        }
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| parse_retry_after(value, SystemTime::now()));
        let delay = self
            .policy
            .next_delay(self.retries, self.waited, retry_after)?;
        self.retries += 1;
        self.waited += delay;
        Some(delay)
    }
}

/// A `Retry-After` value: delay seconds or an HTTP date (a past date means now); `None` when
/// it is neither.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for u64: longer than any budget.
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded_as_one_segment() {
        assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_path_segment("with space"), "with%20space");
        assert_eq!(encode_path_segment("100%+x"), "100%25%2Bx");
        assert_eq!(encode_path_segment("../x"), "..%2Fx");
        assert_eq!(encode_path_segment(".."), "%2E%2E");
        assert_eq!(encode_path_segment("."), "%2E");
        assert_eq!(encode_path_segment("a.b-c_d~e"), "a.b-c_d~e");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(encode_path_segment("a:b@c"), "a%3Ab%40c");
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::MAX)
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    fn client() -> ApiClient {
        ApiClient::new(Configuration::new("http://127.0.0.1:9/base/").with_access_token("t"))
            .expect("valid configuration")
    }

    #[test]
    fn query_parameters_are_encoded() {
        let request = client()
            .request(Method::GET, "/things".to_owned())
            .query("filters", "name eq \"a&b\"")
            .query_csv("sorters", ["-created", "name"])
            .query_csv("empty", Vec::<String>::new())
            .query_multi("ids", [1, 2])
            .query("limit", 250);
        assert_eq!(
            request.query,
            "filters=name%20eq%20%22a%26b%22&sorters=-created,name&ids=1&ids=2&limit=250"
        );
        let url = client().url::<()>(&request).expect("url");
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/base/v2024/things?filters=name%20eq%20%22a%26b%22&sorters=-created,name&ids=1&ids=2&limit=250"
        );
    }

    #[test]
    fn dot_segments_are_refused() {
        let c = client();
        for id in [".", ".."] {
            let path = format!("/things/{}", encode_path_segment(id));
            let result = c.url::<()>(&c.request(Method::GET, path));
            assert!(matches!(result, Err(Error::Encode(_))), "{id}");
        }
        let path = format!("/things/{}", encode_path_segment("..."));
        assert!(c.url::<()>(&c.request(Method::GET, path)).is_ok());
    }

    #[test]
    fn build_errors_are_kept() {
        let c = client();
        let bad_header = c
            .request(Method::GET, "/x".to_owned())
            .header("X-Thing", "a\nb");
        assert!(bad_header.error.is_some());
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        let bad_json = c
            .request(Method::POST, "/x".to_owned())
            .json("application/json", &map);
        assert!(bad_json.error.is_some());
        let bad_part =
            c.request(Method::POST, "/x".to_owned()).multipart(vec![
                Part::file("f", Bytes::new()).content_type("not a type")
            ]);
        assert!(bad_part.error.is_some());
        let form = c
            .request(Method::POST, "/x".to_owned())
            .form(&[("a", "x y"), ("b", "&")]);
        match form.body {
            Body::Bytes { content_type, data } => {
                assert_eq!(content_type, "application/x-www-form-urlencoded");
                assert_eq!(&data[..], b"a=x+y&b=%26");
            }
            other => panic!("unexpected body {other:?}"),
        }
    }

    /// Polls `execute` once: enough for the checks made before anything is sent.
    fn execute_without_network(c: &ApiClient, request: Request) -> Option<Error<()>> {
        use std::future::Future as _;
        let mut future = std::pin::pin!(c.execute::<()>(request));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(Err(e)) => Some(e),
            _ => None,
        }
    }

    #[test]
    fn experimental_operations_need_opting_in() {
        let c = client();
        let request = c
            .request(Method::GET, "/x".to_owned())
            .experimental("getThing");
        match execute_without_network(&c, request) {
            Some(Error::ExperimentalDisabled { operation }) => assert_eq!(operation, "getThing"),
            other => panic!("unexpected {other:?}"),
        }
        let message = Error::<String>::ExperimentalDisabled {
            operation: "getThing",
        }
        .to_string();
        assert!(message.contains("getThing") && message.contains("SAIL_EXPERIMENTAL"));
    }

    #[test]
    fn encode_errors_are_returned_before_sending() {
        let c = client();
        let request = c
            .request(Method::GET, "/x".to_owned())
            .header("Bad Name", 1);
        assert!(matches!(
            execute_without_network(&c, request),
            Some(Error::Encode(_))
        ));
        let request = c.request(Method::GET, format!("/x/{}", encode_path_segment("..")));
        assert!(matches!(
            execute_without_network(&c, request),
            Some(Error::Encode(_))
        ));
    }

    #[test]
    fn configuration_is_validated() {
        let err = |c: Configuration| ApiClient::new(c).err().map(|e| e.to_string());
        assert!(
            err(Configuration::new("acme.api.identitynow.com").with_access_token("t")).is_some()
        );
        assert!(err(Configuration::new("ftp://acme").with_access_token("t")).is_some());
        assert!(err(Configuration::new("https://acme")).is_some());
        assert!(err(Configuration::new("https://acme").with_access_token("a\nb")).is_some());
        assert!(err(Configuration::new("https://acme").with_client_credentials("", "s")).is_some());
        assert!(
            err(Configuration::new("https://acme").with_client_credentials("i", "s")).is_none()
        );
    }
}
