//! Client configuration: tenant URL, credentials, timeouts, retries and experimental calls.
//!
//! Build one explicitly:
//!
//! ```no_run
//! # use sailpoint::v2024::Configuration;
//! let configuration = Configuration::new("https://acme.api.identitynow.com")
//!     .with_client_credentials("client-id", "client-secret");
//! ```
//!
//! or read it the way SailPoint's official SDKs do, with [`Configuration::from_env`]:
//! the environment variables `SAIL_BASE_URL`, `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`,
//! each falling back to the keys `BaseURL`, `ClientId` and `ClientSecret` of `./config.json`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variable holding the tenant's API URL, e.g. `https://acme.api.identitynow.com`.
pub const ENV_BASE_URL: &str = "SAIL_BASE_URL";
/// Environment variable holding the OAuth client id.
pub const ENV_CLIENT_ID: &str = "SAIL_CLIENT_ID";
/// Environment variable holding the OAuth client secret.
pub const ENV_CLIENT_SECRET: &str = "SAIL_CLIENT_SECRET";
/// Environment variable that enables experimental operations when set to `true`.
pub const ENV_EXPERIMENTAL: &str = "SAIL_EXPERIMENTAL";
/// The configuration file [`Configuration::from_env`] falls back to, relative to the current
/// directory.
pub const DEFAULT_CONFIG_FILE: &str = "config.json";
/// The default timeout for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default timeout for a whole request, from sending it to reading the response body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// (environment variable, `config.json` key) for each value read by [`Configuration::from_env`].
const SOURCES: [(&str, &str); 4] = [
    (ENV_BASE_URL, "BaseURL"),
    (ENV_CLIENT_ID, "ClientId"),
    (ENV_CLIENT_SECRET, "ClientSecret"),
    (ENV_EXPERIMENTAL, "Experimental"),
];

/// Everything an [`ApiClient`](super::client::ApiClient) needs to reach a tenant.
///
/// `Debug` shows the client id but never the client secret or an access token.
#[derive(Clone)]
pub struct Configuration {
    base_url: String,
    credentials: Credentials,
    experimental: bool,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
}

/// How requests are authenticated.
#[derive(Clone)]
pub(crate) enum Credentials {
    /// None configured: `ApiClient::new` refuses the configuration.
    None,
    /// OAuth2 client credentials, exchanged for access tokens at `{base URL}/oauth/token`.
    OAuthClient {
        client_id: String,
        client_secret: String,
    },
    /// A ready access token, sent as is and never renewed.
    AccessToken(String),
}

impl Configuration {
    /// A configuration for the tenant at `base_url` (e.g. `https://acme.api.identitynow.com`,
    /// without the API version; trailing slashes are ignored), without credentials yet, with
    /// default timeouts and retries, and experimental calls disabled.
    pub fn new(base_url: impl Into<String>) -> Configuration {
        Configuration {
            base_url: trim_base_url(&base_url.into()),
            credentials: Credentials::None,
            experimental: false,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }

    /// Authenticates with OAuth2 client credentials (a personal access token's client id and
    /// secret). Replaces an access token set before.
    pub fn with_client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Configuration {
        self.credentials = Credentials::OAuthClient {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        };
        self
    }

    /// Authenticates with a ready access token, sent as is and never renewed. Replaces client
    /// credentials set before.
    pub fn with_access_token(mut self, access_token: impl Into<String>) -> Configuration {
        self.credentials = Credentials::AccessToken(access_token.into());
        self
    }

    /// Enables or disables experimental operations (those sent with
    /// `X-SailPoint-Experimental: true`). Disabled by default: calling one fails with
    /// `Error::ExperimentalDisabled` without sending anything.
    pub fn with_experimental(mut self, experimental: bool) -> Configuration {
        self.experimental = experimental;
        self
    }

    /// Sets the timeout of a whole request attempt, from sending it to reading the response
    /// body (default 60 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Configuration {
        self.timeout = timeout;
        self
    }

    /// Sets the timeout for establishing a connection (default 10 s).
    pub fn with_connect_timeout(mut self, connect_timeout: Duration) -> Configuration {
        self.connect_timeout = connect_timeout;
        self
    }

    /// Sets how `429 Too Many Requests` and `503 Service Unavailable` answers are retried;
    /// [`RetryPolicy::disabled`] turns retries off.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Configuration {
        self.retry = retry;
        self
    }

    /// Reads the configuration like SailPoint's official SDKs: `SAIL_BASE_URL`,
    /// `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET` from the environment, each one that is unset
    /// or empty taken from the keys `BaseURL`, `ClientId` and `ClientSecret` of
    /// `./config.json` when that file exists. `SAIL_EXPERIMENTAL=true` (or `"Experimental": true`
    /// in the file) enables experimental operations.
    ///
    /// The error names every missing value and where it was looked for.
    pub fn from_env() -> Result<Configuration, ConfigError> {
        let config_file = Path::new(".").join(DEFAULT_CONFIG_FILE);
        Configuration::from_lookup(|name| std::env::var(name).ok(), Some(&config_file))
    }

    /// Like [`Configuration::from_env`], with the fallback file at `config_file`.
    pub fn from_env_and_file(config_file: impl AsRef<Path>) -> Result<Configuration, ConfigError> {
        Configuration::from_lookup(|name| std::env::var(name).ok(), Some(config_file.as_ref()))
    }

    /// Like [`Configuration::from_env`], reading the variables through `lookup` instead of the
    /// process environment and falling back to `config_file` (none when `None`). A missing
    /// file is no error (the error about missing values mentions it); an unreadable or
    /// malformed one is.
    pub fn from_lookup<F>(
        lookup: F,
        config_file: Option<&Path>,
    ) -> Result<Configuration, ConfigError>
    where
        F: Fn(&str) -> Option<String>,
    {
        let file = ConfigFile::load(config_file)?;
        let mut missing = Vec::new();
        let mut value =
            |env_name: &'static str, key: &'static str| -> Result<Option<String>, ConfigError> {
                let found = match lookup(env_name).filter(|v| !v.trim().is_empty()) {
                    Some(v) => Some(v),
                    None => file.string(key)?,
                };
                if found.is_none() {
                    missing.push(env_name);
                }
                Ok(found)
            };
        let base_url = value(SOURCES[0].0, SOURCES[0].1)?;
        let client_id = value(SOURCES[1].0, SOURCES[1].1)?;
        let client_secret = value(SOURCES[2].0, SOURCES[2].1)?;
        let experimental = match lookup(ENV_EXPERIMENTAL).filter(|v| !v.trim().is_empty()) {
            Some(v) => parse_bool(&v).ok_or_else(|| ConfigError::InvalidValue {
                name: ENV_EXPERIMENTAL.to_owned(),
                reason: format!("expected true or false, got {v:?}"),
            })?,
            None => file.bool(SOURCES[3].1)?.unwrap_or(false),
        };
        match (base_url, client_id, client_secret) {
            (Some(base_url), Some(client_id), Some(client_secret)) => {
                Ok(Configuration::new(base_url)
                    .with_client_credentials(client_id.trim(), client_secret.trim())
                    .with_experimental(experimental))
            }
            _ => Err(ConfigError::MissingValues {
                missing,
                config_file: file.path,
                config_file_found: file.values.is_some(),
            }),
        }
    }

    /// The tenant's base URL, without trailing slash (e.g. `https://acme.api.identitynow.com`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The base of every API path: the base URL followed by the API version
    /// (e.g. `https://acme.api.identitynow.com/v2024`).
    pub fn api_base(&self) -> String {
        format!("{}/{}", self.base_url, super::API_VERSION)
    }

    /// The OAuth token endpoint: the base URL followed by `/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.base_url)
    }

    /// The OAuth client id, when client credentials are configured.
    pub fn client_id(&self) -> Option<&str> {
        match &self.credentials {
            Credentials::OAuthClient { client_id, .. } => Some(client_id),
            _ => None,
        }
    }

    /// Whether experimental operations may be called.
    pub fn experimental(&self) -> bool {
        self.experimental
    }

    /// The timeout of a whole request attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The timeout for establishing a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How `429` and `503` answers are retried.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

impl fmt::Debug for Configuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Configuration")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("experimental", &self.experimental)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::OAuthClient { client_id, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", &"***")
                .finish(),
            Credentials::AccessToken(_) => f.debug_tuple("AccessToken").field(&"***").finish(),
        }
    }
}

/// How `429 Too Many Requests` and `503 Service Unavailable` answers are retried.
///
/// Such an answer is retried after the delay its `Retry-After` header asks for (seconds or an
/// HTTP date) or, without one, after an exponential backoff (1 s, 2 s, 4 s, … by default), at
/// most [`max_retries`](RetryPolicy::max_retries) times and as long as the delays add up to no
/// more than [`max_total_wait`](RetryPolicy::max_total_wait): when the next delay would go
/// beyond it, the answer is returned as the operation's error instead. Other statuses and
/// transport errors are never retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    max_total_wait: Duration,
    initial_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, 60 s total wait, backoff starting at 1 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_total_wait: Duration::from_secs(60),
            initial_backoff: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// The default policy: 3 retries, 60 s total wait, backoff starting at 1 s.
    pub fn new() -> RetryPolicy {
        RetryPolicy::default()
    }

    /// A policy that never retries.
    pub fn disabled() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Sets how many times one request is retried at most (0 disables retries).
    pub fn with_max_retries(mut self, max_retries: u32) -> RetryPolicy {
        self.max_retries = max_retries;
        self
    }

    /// Sets how long one request may wait between its attempts, added up.
    pub fn with_max_total_wait(mut self, max_total_wait: Duration) -> RetryPolicy {
        self.max_total_wait = max_total_wait;
        self
    }

    /// Sets the first backoff delay used when an answer has no `Retry-After`; each following
    /// one doubles.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> RetryPolicy {
        self.initial_backoff = initial_backoff;
        self
    }

    /// How many times one request is retried at most.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// How long one request may wait between its attempts, added up.
    pub fn max_total_wait(&self) -> Duration {
        self.max_total_wait
    }

    /// The first backoff delay used when an answer has no `Retry-After`.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The delay before the next attempt, or `None` to give up: `retries` attempts were retried
    /// already, `waited` was spent waiting so far, and the answer asked for `retry_after`.
    pub(crate) fn next_delay(
        &self,
        retries: u32,
        waited: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if retries >= self.max_retries {
            return None;
        }
        let delay = match retry_after {
            Some(delay) => delay,
            None => self
                .initial_backoff
                .checked_mul(2u32.checked_pow(retries)?)?,
        };
        let remaining = self.max_total_wait.checked_sub(waited)?;
        (delay <= remaining).then_some(delay)
    }
}

/// A configuration that cannot be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// Values that [`Configuration::from_env`] (or a variant) found neither in the environment
    /// nor in the configuration file.
    MissingValues {
        /// The environment variables that were unset or empty, e.g. `SAIL_CLIENT_SECRET`.
        missing: Vec<&'static str>,
        /// The configuration file looked at, if any.
        config_file: Option<PathBuf>,
        /// Whether that file existed.
        config_file_found: bool,
    },
    /// A value that is present but unusable.
    InvalidValue {
        /// The environment variable or configuration key.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The configuration file exists but cannot be read or is not a JSON object of the
    /// expected shape.
    InvalidFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl {
        /// The base URL as configured.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Neither client credentials nor an access token are configured.
    MissingCredentials,
    /// The HTTP client could not be built (e.g. no TLS backend could be initialised).
    HttpClient(reqwest::Error),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingValues {
                missing,
                config_file,
                config_file_found,
            } => {
                f.write_str("missing configuration value")?;
                if missing.len() > 1 {
                    f.write_str("s")?;
                }
                for (i, env_name) in missing.iter().enumerate() {
                    f.write_str(if i == 0 { " " } else { ", " })?;
                    f.write_str(env_name)?;
                    if let Some(path) = config_file {
                        let key = SOURCES
                            .iter()
                            .find(|(env, _)| env == env_name)
                            .map_or("", |(_, key)| key);
                        write!(f, " (or {key} in {})", path.display())?;
                    }
                }
                f.write_str(": looked in the environment")?;
                match config_file {
                    Some(path) if *config_file_found => write!(f, " and in {}", path.display()),
                    Some(path) => write!(f, " and for {} (not found)", path.display()),
                    None => Ok(()),
                }
            }
            ConfigError::InvalidValue { name, reason } => {
                write!(f, "invalid configuration value {name}: {reason}")
            }
            ConfigError::InvalidFile { path, reason } => {
                write!(f, "invalid configuration file {}: {reason}", path.display())
            }
            ConfigError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL {url:?}: {reason}")
            }
            ConfigError::MissingCredentials => f.write_str(
                "no credentials configured: use Configuration::with_client_credentials \
                 or Configuration::with_access_token",
            ),
            ConfigError::HttpClient(e) => write!(f, "could not build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::HttpClient(e) => Some(e),
            _ => None,
        }
    }
}

/// The fallback configuration file, as far as it was found.
struct ConfigFile {
    path: Option<PathBuf>,
    values: Option<serde_json::Map<String, serde_json::Value>>,
}

impl ConfigFile {
    fn load(path: Option<&Path>) -> Result<ConfigFile, ConfigError> {
        let Some(path) = path else {
            return Ok(ConfigFile {
                path: None,
                values: None,
            });
        };
        let invalid = |reason: String| ConfigError::InvalidFile {
            path: path.to_owned(),
            reason,
        };
        let values = match std::fs::read_to_string(path) {
            Ok(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(serde_json::Value::Object(map)) => Some(map),
                Ok(_) => return Err(invalid("expected a JSON object".to_owned())),
                Err(e) => return Err(invalid(e.to_string())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(invalid(e.to_string())),
        };
        Ok(ConfigFile {
            path: Some(path.to_owned()),
            values,
        })
    }

    fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.values.as_ref()?.get(key).filter(|v| !v.is_null())
    }

    fn invalid(&self, key: &str, expected: &str) -> ConfigError {
        ConfigError::InvalidFile {
            path: self.path.clone().unwrap_or_default(),
            reason: format!("key {key} must be {expected}"),
        }
    }

    fn string(&self, key: &str) -> Result<Option<String>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.invalid(key, "a string")),
        }
    }

    fn bool(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(serde_json::Value::Bool(b)) => Ok(Some(*b)),
            Some(serde_json::Value::String(s)) => parse_bool(s)
                .map(Some)
                .ok_or_else(|| self.invalid(key, "true or false")),
            Some(_) => Err(self.invalid(key, "true or false")),
        }
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

fn trim_base_url(url: &str) -> String {
    url.trim().trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_respects_bounds() {
        let policy = RetryPolicy::default();
        let s = Duration::from_secs;
        assert_eq!(policy.next_delay(0, s(0), None), Some(s(1)));
        assert_eq!(policy.next_delay(1, s(1), None), Some(s(2)));
        assert_eq!(policy.next_delay(2, s(3), None), Some(s(4)));
        assert_eq!(policy.next_delay(3, s(7), None), None);
        assert_eq!(policy.next_delay(0, s(0), Some(s(60))), Some(s(60)));
        assert_eq!(policy.next_delay(0, s(0), Some(s(61))), None);
        assert_eq!(policy.next_delay(1, s(59), Some(s(2))), None);
        assert_eq!(policy.next_delay(0, s(0), Some(s(0))), Some(s(0)));
        assert_eq!(
            RetryPolicy::disabled().next_delay(0, s(0), Some(s(0))),
            None
        );
        let many = RetryPolicy::default()
            .with_max_retries(100)
            .with_max_total_wait(Duration::MAX);
        assert_eq!(many.next_delay(40, s(0), None), None, "overflow gives up");
    }

    #[test]
    fn base_url_is_trimmed() {
        let c = Configuration::new(" https://acme.api.identitynow.com// ");
        assert_eq!(c.base_url(), "https://acme.api.identitynow.com");
        assert_eq!(
            c.token_url(),
            "https://acme.api.identitynow.com/oauth/token"
        );
    }

    #[test]
    fn parse_bool_values() {
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool(" false "), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
