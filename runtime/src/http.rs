//! Sending a request and turning the answer into a value or an [`Error`].

use crate::error::{snippet, ApiError, Error, ErrorBody};
use crate::secret::Secret;
use crate::validate::Validate;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::time::Duration;

pub use reqwest::Method;

/// Everything an [`HttpClient`] needs; generated builders fill it in.
#[derive(Debug)]
pub struct ClientConfig {
    /// The base URL every path is appended to, e.g. `https://api.intercom.io`.
    pub base_url: String,
    /// The bearer token, if the API needs one.
    pub token: Option<Secret>,
    /// Headers sent with every request, e.g. the API version.
    pub headers: Vec<(String, String)>,
    /// How long a request may take, from sending to the end of the body.
    pub timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// A `reqwest::Client` to use instead of a new one (its own timeout and headers still
    /// apply; `timeout` above is applied per request).
    pub http_client: Option<reqwest::Client>,
}

/// Sends requests for a generated client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    base_url: String,
    headers: HeaderMap,
    timeout: Duration,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The headers hold the token; only their names are shown.
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("HttpClient")
            .field("base_url", &self.base_url)
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Checks `config` and builds the client.
    pub fn new<E>(config: ClientConfig) -> Result<Self, Error<E>> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => {}
            Ok(_) => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` must be http(s) and have no query"
                )))
            }
            Err(err) => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` is not a URL: {err}"
                )))
            }
        }
        let mut headers = HeaderMap::new();
        let mut insert = |name: &str, value: &str, sensitive: bool| -> Result<(), Error<E>> {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
            // The value is not quoted in the message: it may be a credential.
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!(
                    "the value of header `{name}` has characters a header cannot carry"
                ))
            })?;
            value.set_sensitive(sensitive);
            headers.insert(name, value);
            Ok(())
        };
        for (name, value) in &config.headers {
            insert(name, value, false)?;
        }
        insert(USER_AGENT.as_str(), &config.user_agent, false)?;
        if let Some(token) = &config.token {
            if token.expose().trim().is_empty() {
                return Err(Error::Config("the access token is empty".to_owned()));
            }
            insert(
                AUTHORIZATION.as_str(),
                &format!("Bearer {}", token.expose()),
                true,
            )?;
        }
        let client = match config.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(HttpClient {
            client,
            base_url,
            headers,
            timeout: config.timeout,
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Validates `body`, sends it as JSON to `path` and decodes a JSON answer into `T`, or the
    /// error status into `Error::Api` with an `E` body.
    ///
    /// Nothing is sent when `body` breaks a rule of the spec.
    pub async fn send_json<B, T, E>(
        &self,
        method: Method,
        path: &str,
        accept: &str,
        body: Option<&B>,
    ) -> Result<T, Error<E>>
    where
        B: Serialize + Validate + ?Sized,
        T: DeserializeOwned,
        E: DeserializeOwned + ErrorBody,
    {
        if let Some(body) = body {
            body.validate().map_err(Error::Validation)?;
        }
        let url = format!("{}{path}", self.base_url);
        let mut request = self
            .client
            .request(method, url)
            .headers(self.headers.clone())
            .header(ACCEPT, accept)
            .timeout(self.timeout);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(transport)?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|err| Error::Decode {
                status,
                message: err.to_string(),
                snippet: snippet(&bytes),
            });
        }
        let body: Option<E> = serde_json::from_slice(&bytes).ok();
        let request_id = request_id.or_else(|| {
            body.as_ref()
                .and_then(|b| b.request_id())
                .map(str::to_owned)
        });
        Err(Error::Api(Box::new(ApiError {
            status,
            request_id,
            body,
            snippet: snippet(&bytes),
        })))
    }
}

fn transport<E>(err: reqwest::Error) -> Error<E> {
    if err.is_timeout() {
        Error::Timeout
    } else {
        // The URL holds no secret (the token travels in a header), so it may stay in the error.
        Error::Transport(err)
    }
}
