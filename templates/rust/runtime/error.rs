//! Errors returned by API operations.
//!
//! Every operation returns `Result<T, Error<E>>`, where `E` is the operation's own
//! error enum: one variant per error status that the API documents for it (for
//! example `GetAuthUserError::NotFound(ErrorResponseDto)`).

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::Method;

/// The longest part of a response body that `Display` shows.
const DISPLAY_BODY_LIMIT: usize = 500;

/// An error from an API operation.
///
/// `E` is the operation's error enum, holding the decoded body of a documented error status.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The API answered with an error status that the operation documents; its body was decoded.
    Api(ApiError<E>),
    /// The API answered with a status the operation does not document, or with a body that
    /// could not be decoded as documented.
    UnexpectedResponse(UnexpectedResponse),
    /// The request could not be sent or its response could not be read (connection, TLS,
    /// timeout, …).
    Transport(reqwest::Error),
    /// No access token could be obtained from the OAuth token endpoint.
    Auth(AuthError),
    /// The request could not be encoded (a body that failed to serialize, an invalid header
    /// value, or a path parameter that cannot be sent as a URL path segment, such as `..`).
    /// Nothing was sent.
    Encode(String),
    /// The operation is experimental and the configuration does not enable experimental calls
    /// (see `Configuration::with_experimental` or `SAIL_EXPERIMENTAL=true`). Nothing was sent.
    ExperimentalDisabled {
        /// The operation id, e.g. `"getAuthUser"`.
        operation: &'static str,
    },
}

/// A documented error status together with its decoded body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError<E> {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded error body, wrapped in the operation's error enum.
    pub content: E,
    /// The request method.
    pub method: Method,
    /// The request URL.
    pub url: String,
}

/// A response the operation did not expect: an undocumented status or an undecodable body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body as text (invalid UTF-8 replaced by U+FFFD).
    pub body: String,
    /// Why the response was rejected when it was not simply an undocumented status,
    /// e.g. the JSON decoding error.
    pub reason: Option<String>,
    /// The request method.
    pub method: Method,
    /// The request URL.
    pub url: String,
}

/// The OAuth token endpoint did not hand out an access token.
#[derive(Debug)]
#[non_exhaustive]
pub struct AuthError {
    /// The token endpoint URL.
    pub url: String,
    /// The token endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// The token endpoint's response headers, when it answered.
    pub headers: Option<HeaderMap>,
    /// The token endpoint's response body, when it answered.
    pub body: Option<String>,
    /// What went wrong.
    pub reason: String,
    source: Option<reqwest::Error>,
}

impl AuthError {
    pub(crate) fn new(url: &str, reason: impl Into<String>) -> AuthError {
        AuthError {
            url: url.to_owned(),
            status: None,
            headers: None,
            body: None,
            reason: reason.into(),
            source: None,
        }
    }

    pub(crate) fn transport(url: &str, error: reqwest::Error) -> AuthError {
        AuthError {
            reason: format!(
                "request to the token endpoint failed: {}",
                with_causes(&error)
            ),
            source: Some(error),
            ..AuthError::new(url, "")
        }
    }

    pub(crate) fn response(
        url: &str,
        status: u16,
        headers: HeaderMap,
        body: String,
        reason: impl Into<String>,
    ) -> AuthError {
        AuthError {
            status: Some(status),
            headers: Some(headers),
            body: Some(body),
            ..AuthError::new(url, reason)
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "authentication failed at {}: {}", self.url, self.reason)?;
        if let Some(body) = self.body.as_deref().filter(|b| !b.trim().is_empty()) {
            write!(f, "; body: {}", truncate(body))?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl<E> Error<E> {
    /// The HTTP status of the response behind this error: the API's for `Api` and
    /// `UnexpectedResponse`, the token endpoint's for `Auth`, the one reqwest reports for
    /// `Transport`, and `None` when nothing was answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse(e) => Some(e.status),
            Error::Auth(e) => e.status,
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::Encode(_) | Error::ExperimentalDisabled { .. } => None,
        }
    }

    /// The headers of the response behind this error, when there was one
    /// (for `Auth`, the token endpoint's).
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::UnexpectedResponse(e) => Some(&e.headers),
            Error::Auth(e) => e.headers.as_ref(),
            _ => None,
        }
    }

    /// The decoded body of a documented error status.
    pub fn content(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.content),
            _ => None,
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(error: reqwest::Error) -> Self {
        Error::Transport(error)
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(error: AuthError) -> Self {
        Error::Auth(error)
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(
                f,
                "{} {} returned {}: {}",
                e.method,
                display_path(&e.url),
                e.status,
                e.content
            ),
            Error::UnexpectedResponse(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => write!(f, "request failed: {}", with_causes(e)),
            Error::Auth(e) => fmt::Display::fmt(e, f),
            Error::Encode(message) => write!(f, "could not encode the request: {message}"),
            Error::ExperimentalDisabled { operation } => write!(
                f,
                "operation {operation} is experimental and experimental calls are disabled \
                 (enable them with Configuration::with_experimental(true) or SAIL_EXPERIMENTAL=true)"
            ),
        }
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = display_path(&self.url);
        match &self.reason {
            Some(reason) => write!(
                f,
                "{} {} returned {} with an unexpected body: {}",
                self.method, path, self.status, reason
            )?,
            None => write!(
                f,
                "{} {} returned unexpected status {}",
                self.method, path, self.status
            )?,
        }
        if !self.body.trim().is_empty() {
            write!(f, "; body: {}", truncate(&self.body))?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::UnexpectedResponse(e) => Some(e),
            _ => None,
        }
    }
}

impl std::error::Error for UnexpectedResponse {}

/// `error` followed by its causes, e.g. "error sending request for url (…): client error
/// (Connect): tcp connect error: Connection refused (os error 111)".
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let message = e.to_string();
        if !text.ends_with(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        cause = e.source();
    }
    text
}

/// The path and query of a URL, for messages ("GET /v2024/auth-users/x returned 404: …").
fn display_path(url: &str) -> &str {
    match url.find("://") {
        Some(scheme_end) => {
            let rest = &url[scheme_end + 3..];
            match rest.find('/') {
                Some(path_start) => &rest[path_start..],
                None => "/",
            }
        }
        None => url,
    }
}

/// At most `DISPLAY_BODY_LIMIT` bytes of `text`, cut at a character boundary.
fn truncate(text: &str) -> String {
    let text = text.trim();
    if text.len() <= DISPLAY_BODY_LIMIT {
        return text.to_owned();
    }
    let mut end = DISPLAY_BODY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_path_strips_scheme_and_host() {
        assert_eq!(
            display_path("https://acme.api.identitynow.com/v2024/auth-users/x?a=b"),
            "/v2024/auth-users/x?a=b"
        );
        assert_eq!(display_path("http://127.0.0.1:80"), "/");
        assert_eq!(display_path("/v2024/x"), "/v2024/x");
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        let long = "é".repeat(400);
        let cut = truncate(&long);
        assert!(cut.starts_with("éé"));
        assert!(cut.ends_with("(800 bytes)"));
        assert_eq!(truncate(" short "), "short");
    }
}
