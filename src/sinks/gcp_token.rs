//! Access tokens of the GCP sink: static, from a closure, from the metadata server, or
//! exchanged for a service account's signed JWT.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use super::super::http::{redact_url, Encoding, HttpTransport, Method, Request, Secret};
use super::super::SinkError;
use super::sa::ServiceAccount;

const TOKEN_PATH: &str = "/computeMetadata/v1/instance/service-accounts/default/token";

/// A closure that returns a fresh OAuth2 access token (without `Bearer `).
pub type TokenProvider = Arc<dyn Fn() -> Result<String, String> + Send + Sync>;

/// Where tokens come from.
#[derive(Clone)]
pub(crate) enum TokenSource {
    /// A fixed token.
    Static(Secret),
    /// A closure called once per export.
    Provider(TokenProvider),
    /// The metadata server at this base URL.
    Metadata(String),
    /// A service-account key: signed JWTs exchanged at its `token_uri`.
    ServiceAccount(Arc<ServiceAccount>),
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Static(s) => write!(f, "Static({s:?})"),
            TokenSource::Provider(_) => f.write_str("Provider(..)"),
            TokenSource::Metadata(url) => write!(f, "Metadata({:?})", redact_url(url)),
            TokenSource::ServiceAccount(sa) => write!(f, "ServiceAccount({sa:?})"),
        }
    }
}

/// A token source plus the cached metadata-server or service-account token.
#[derive(Debug)]
pub(crate) struct Tokens {
    source: TokenSource,
    cached: Option<(Secret, Instant)>,
}

impl Tokens {
    pub(crate) fn new(source: TokenSource) -> Self {
        Tokens {
            source,
            cached: None,
        }
    }

    /// Forgets a cached token (the API answered 401).
    pub(crate) fn invalidate(&mut self) {
        self.cached = None;
    }

    /// A token for the next request.
    pub(crate) fn bearer(&mut self, transport: &HttpTransport) -> Result<Secret, SinkError> {
        match &self.source {
            TokenSource::Static(t) => Ok(t.clone()),
            TokenSource::Provider(p) => match p() {
                Ok(t) if !t.trim().is_empty() => Ok(Secret::new(t)),
                Ok(_) => Err(SinkError::new("the token provider returned an empty token")),
                Err(e) => Err(SinkError::new(format!("the token provider failed: {e}"))),
            },
            TokenSource::Metadata(base) => {
                if let Some(t) = self.fresh_cached() {
                    return Ok(t);
                }
                let url = format!("{}{TOKEN_PATH}", base.trim_end_matches('/'));
                let resp = transport
                    .send(
                        Request::new(Method::Get, url)
                            .header("Metadata-Flavor", "Google")
                            .encoding(Encoding::Identity),
                    )
                    .map_err(|e| SinkError::new(format!("metadata server token: {e}")))?;
                let (token, expires_in) = parse_token(&resp.body)
                    .ok_or_else(|| SinkError::new("metadata server token: unexpected reply"))?;
                // Refresh a minute early (or half-way through a short-lived token).
                Ok(self.cache(Secret::new(token), expires_in, Duration::from_secs(60)))
            }
            TokenSource::ServiceAccount(sa) => {
                if let Some(t) = self.fresh_cached() {
                    return Ok(t);
                }
                let sa = Arc::clone(sa);
                let (token, expires_in) = sa.fetch_token(transport)?;
                // Refresh five minutes early (or half-way through a short-lived token),
                // so that a slow exchange never leaves an export with an expired one.
                Ok(self.cache(token, expires_in, Duration::from_secs(300)))
            }
        }
    }

    /// The cached token, unless it is due for a refresh.
    fn fresh_cached(&self) -> Option<Secret> {
        match &self.cached {
            Some((t, until)) if Instant::now() < *until => Some(t.clone()),
            _ => None,
        }
    }

    /// Caches `token` until `margin` (at most half its lifetime) before it expires.
    fn cache(&mut self, token: Secret, expires_in: Duration, margin: Duration) -> Secret {
        let margin = margin.min(expires_in / 2);
        self.cached = Some((token.clone(), Instant::now() + (expires_in - margin)));
        token
    }
}

/// `access_token` and `expires_in` of a token reply (metadata server or OAuth2
/// token endpoint).
pub(crate) fn parse_token(body: &[u8]) -> Option<(String, Duration)> {
    let v: Json = serde_json::from_slice(body).ok()?;
    let token = v.get("access_token")?.as_str()?.to_owned();
    let expires = v.get("expires_in").and_then(Json::as_u64).unwrap_or(300);
    (!token.is_empty()).then_some((token, Duration::from_secs(expires)))
}
