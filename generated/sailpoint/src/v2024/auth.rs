//! Access tokens: a ready one, or OAuth2 client-credentials tokens fetched, cached and renewed.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, ACCEPT};
use tokio::sync::Mutex;

use super::client::Retrying;
use super::configuration::{ConfigError, Configuration, Credentials, RetryPolicy};
use super::error::AuthError;

/// The least time before expiry at which a token is renewed.
const MIN_RENEWAL_MARGIN: Duration = Duration::from_secs(60);

/// An access token with its `Authorization` header value, built once per token.
#[derive(Clone)]
pub(crate) struct Bearer {
    pub(crate) token: Arc<str>,
    /// `Bearer <token>`, marked sensitive.
    pub(crate) header: HeaderValue,
}

impl Bearer {
    /// `None` when the token is empty or cannot be sent in a header.
    pub(crate) fn new(token: &str) -> Option<Bearer> {
        let token = token.trim();
        if token.is_empty() {
            return None;
        }
        let mut header = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
        header.set_sensitive(true);
        Some(Bearer {
            token: Arc::from(token),
            header,
        })
    }
}

/// Where the access token of each request comes from.
pub(crate) enum Auth {
    /// A ready access token, sent as is and never renewed.
    Static(Bearer),
    /// Tokens fetched from the OAuth token endpoint with client credentials.
    ClientCredentials(Box<TokenSource>),
}

impl Auth {
    /// The authentication for `configuration`; fails when it has no credentials, an invalid
    /// access token or an empty client id.
    pub(crate) fn new(configuration: &Configuration) -> Result<Auth, ConfigError> {
        match configuration.credentials() {
            Credentials::None => Err(ConfigError::MissingCredentials),
            Credentials::AccessToken(token) => match Bearer::new(token) {
                Some(bearer) => Ok(Auth::Static(bearer)),
                None => Err(ConfigError::InvalidValue {
                    name: "access token".to_owned(),
                    reason: "empty or not a valid header value".to_owned(),
                }),
            },
            Credentials::OAuthClient {
                client_id,
                client_secret,
            } => {
                if client_id.trim().is_empty() {
                    return Err(ConfigError::InvalidValue {
                        name: "client id".to_owned(),
                        reason: "empty".to_owned(),
                    });
                }
                Ok(Auth::ClientCredentials(Box::new(TokenSource {
                    token_url: configuration.token_url(),
                    client_id: client_id.clone(),
                    client_secret: client_secret.clone(),
                    fresh: RwLock::new(None),
                    cache: Mutex::new(None),
                })))
            }
        }
    }

    /// The token to send now: the cached one while it is fresh, otherwise a new one (concurrent
    /// callers share one renewal).
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        retry: &RetryPolicy,
    ) -> Result<Bearer, AuthError> {
        match self {
            Auth::Static(bearer) => Ok(bearer.clone()),
            Auth::ClientCredentials(source) => source.token(http, retry).await,
        }
    }

    /// After the API rejected `rejected` with 401: a token to retry with once, or `None` when
    /// the token cannot be renewed (a ready access token).
    pub(crate) async fn renew(
        &self,
        http: &reqwest::Client,
        retry: &RetryPolicy,
        rejected: &str,
    ) -> Option<Result<Bearer, AuthError>> {
        match self {
            Auth::Static(_) => None,
            Auth::ClientCredentials(source) => Some(source.renew(http, retry, rejected).await),
        }
    }
}

/// OAuth2 client-credentials tokens, cached until shortly before they expire.
pub(crate) struct TokenSource {
    token_url: String,
    client_id: String,
    client_secret: String,
    /// The cached token while it needs no renewal: read without waiting by every request.
    fresh: RwLock<Option<(Bearer, Option<Instant>)>>,
    /// Held across a renewal, so that concurrent callers wait for that one renewal.
    cache: Mutex<Option<CachedToken>>,
}

struct CachedToken {
    value: Bearer,
    /// When the token request was sent.
    obtained_at: Instant,
    /// From when on the token is renewed before use; `None`: only after a 401.
    renew_at: Option<Instant>,
}

impl CachedToken {
    /// Whether a caller that asked for a token at `asked_at` may use this one: it is fresh, or
    /// it was fetched while that caller waited (so even a short-lived token is shared).
    fn usable(&self, asked_at: Instant) -> bool {
        self.obtained_at >= asked_at || self.renew_at.is_none_or(|renew_at| asked_at < renew_at)
    }
}

impl TokenSource {
    async fn token(
        &self,
        http: &reqwest::Client,
        retry: &RetryPolicy,
    ) -> Result<Bearer, AuthError> {
        let asked_at = Instant::now();
        // The fast path: no async lock while the token is fresh.
        if let Ok(fresh) = self.fresh.read() {
            if let Some((bearer, renew_at)) = fresh.as_ref() {
                if renew_at.is_none_or(|renew_at| asked_at < renew_at) {
                    return Ok(bearer.clone());
                }
            }
        }
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|t| t.usable(asked_at)) {
            return Ok(token.value.clone());
        }
        let token = self.fetch(http, retry).await?;
        Ok(self.store(&mut cache, token))
    }

    /// Caches `token` (and publishes it to the fast path); returns its bearer.
    fn store(&self, cache: &mut Option<CachedToken>, token: CachedToken) -> Bearer {
        let bearer = token.value.clone();
        if let Ok(mut fresh) = self.fresh.write() {
            *fresh = Some((bearer.clone(), token.renew_at));
        }
        *cache = Some(token);
        bearer
    }

    async fn renew(
        &self,
        http: &reqwest::Client,
        retry: &RetryPolicy,
        rejected: &str,
    ) -> Result<Bearer, AuthError> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|t| &*t.value.token != rejected) {
            // Renewed by another request since `rejected` was handed out.
            return Ok(token.value.clone());
        }
        *cache = None;
        if let Ok(mut fresh) = self.fresh.write() {
            *fresh = None;
        }
        let token = self.fetch(http, retry).await?;
        Ok(self.store(&mut cache, token))
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        retry: &RetryPolicy,
    ) -> Result<CachedToken, AuthError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.as_str()),
        ];
        let mut retrying = Retrying::new(retry);
        let (obtained_at, response) = loop {
            let obtained_at = Instant::now();
            let response = http
                .post(&self.token_url)
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .form(&form)
                .send()
                .await
                .map_err(|e| AuthError::transport(&self.token_url, e))?;
            match retrying.delay(response.status().as_u16(), response.headers()) {
                Some(delay) => {
                    // Read the body so that the connection can be reused.
                    let _ = response.bytes().await;
                    tokio::time::sleep(delay).await;
                }
                None => break (obtained_at, response),
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| AuthError::transport(&self.token_url, e))?;
        let text = String::from_utf8_lossy(&body).into_owned();
        if !(200..300).contains(&status) {
            return Err(AuthError::response(
                &self.token_url,
                status,
                headers,
                text,
                format!("the token endpoint returned {status}"),
            ));
        }
        let parsed: TokenResponse = match serde_json::from_slice(&body) {
            Ok(parsed) => parsed,
            Err(e) => {
                return Err(AuthError::response(
                    &self.token_url,
                    status,
                    headers,
                    text,
                    format!("the token endpoint's answer could not be decoded: {e}"),
                ))
            }
        };
        let Some(value) = Bearer::new(&parsed.access_token) else {
            return Err(AuthError::response(
                &self.token_url,
                status,
                headers,
                text,
                "the token endpoint returned an empty or malformed access_token",
            ));
        };
        let renew_at = parsed
            .lifetime()
            .and_then(|lifetime| obtained_at.checked_add(lifetime - renewal_margin(lifetime)));
        Ok(CachedToken {
            value,
            obtained_at,
            renew_at,
        })
    }
}

/// How long before expiry a token of `lifetime` is renewed: max(60 s, 10 % of the lifetime),
/// but at most half the lifetime, so that a short-lived token is still used for a while.
fn renewal_margin(lifetime: Duration) -> Duration {
    MIN_RENEWAL_MARGIN.max(lifetime / 10).min(lifetime / 2)
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

impl TokenResponse {
    /// The token's lifetime; `None` when the endpoint does not say (renewed only after a 401).
    fn lifetime(&self) -> Option<Duration> {
        let seconds = match self.expires_in.as_ref()? {
            serde_json::Value::Number(n) => n.as_f64()?,
            serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
            _ => return None,
        };
        Duration::try_from_secs_f64(seconds.max(0.0)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_is_at_least_a_minute_and_at_most_half() {
        let s = Duration::from_secs;
        assert_eq!(renewal_margin(s(43_200)), s(4_320));
        assert_eq!(renewal_margin(s(600)), s(60));
        assert_eq!(renewal_margin(s(100)), s(50));
        assert_eq!(renewal_margin(s(1)), Duration::from_millis(500));
        assert_eq!(renewal_margin(s(0)), s(0));
    }

    #[test]
    fn lifetime_accepts_numbers_and_strings() {
        let parse = |json: &str| serde_json::from_str::<TokenResponse>(json).map(|t| t.lifetime());
        assert_eq!(
            parse(r#"{"access_token":"a","expires_in":749}"#).ok(),
            Some(Some(Duration::from_secs(749)))
        );
        assert_eq!(
            parse(r#"{"access_token":"a","expires_in":"30"}"#).ok(),
            Some(Some(Duration::from_secs(30)))
        );
        assert_eq!(parse(r#"{"access_token":"a"}"#).ok(), Some(None));
        assert_eq!(
            parse(r#"{"access_token":"a","expires_in":-5}"#).ok(),
            Some(Some(Duration::ZERO))
        );
        assert!(parse(r#"{"token":"a"}"#).is_err());
    }
}
