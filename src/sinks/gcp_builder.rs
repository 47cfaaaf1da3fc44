//! [`GcpBuilder`]: a [`GcpSink`]'s project, resource, credentials and limits.

use super::*;

/// Configures a [`GcpSink`]. Its `Debug` output shows URLs without user info or query
/// (where credentials ride) and no token or key.
#[derive(Clone)]
pub struct GcpBuilder {
    pub(super) project: String,
    pub(super) base_url: String,
    pub(super) token: TokenSource,
    /// A service-account key to load in `build`; when set, it replaces `token`.
    pub(super) key: Option<KeySource>,
    pub(super) prefix: String,
    pub(super) resource: Option<(String, Vec<(String, String)>)>,
    pub(super) bounds: Vec<f64>,
    pub(super) spacing: Duration,
    pub(super) transport: Option<HttpTransport>,
    pub(super) name: String,
}

impl fmt::Debug for GcpBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GcpBuilder")
            .field("project", &self.project)
            .field("base_url", &redact_url(&self.base_url))
            .field("token", &self.token)
            .field("key", &self.key)
            .field("prefix", &self.prefix)
            .field("resource", &self.resource)
            .field("bounds", &self.bounds)
            .field("spacing", &self.spacing)
            .field("transport", &self.transport)
            .field("name", &self.name)
            .finish()
    }
}

impl GcpBuilder {
    /// Sends to `url` instead of `https://monitoring.googleapis.com` (tests, proxies);
    /// `/v3/projects/{project}/timeSeries` is appended.
    ///
    /// Defaults to `https://monitoring.googleapis.com`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates with a fixed access token.
    ///
    /// Defaults to a token from the metadata server.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = TokenSource::Static(Secret::new(token));
        self.key = None;
        self
    }

    /// Authenticates with a token from `provider`, called once per export (cache in
    /// the closure if fetching is expensive). Its error text must not contain secrets.
    ///
    /// Defaults to a token from the metadata server.
    pub fn token_provider(
        mut self,
        provider: impl Fn() -> Result<String, String> + Send + Sync + 'static,
    ) -> Self {
        self.token = TokenSource::Provider(Arc::new(provider));
        self.key = None;
        self
    }

    /// Fetches tokens from the metadata server at `url` (tests: a loopback server).
    ///
    /// Defaults to the metadata server, `http://metadata.google.internal`.
    pub fn metadata_server(mut self, url: impl Into<String>) -> Self {
        self.token = TokenSource::Metadata(url.into());
        self.key = None;
        self
    }

    /// Authenticates as the service account whose JSON key file is at `path` (what
    /// `GOOGLE_APPLICATION_CREDENTIALS` points at): access tokens are obtained with a
    /// signed JWT from the key's `token_uri` and cached (see the
    /// [module docs](crate::sinks::gcp#credentials)). The file is read in
    /// [`build`](Self::build); a missing or malformed one is an error there.
    ///
    /// Defaults to a token from the metadata server.
    pub fn service_account_key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.key = Some(KeySource::File(path.into()));
        self
    }

    /// Like [`service_account_key_file`](Self::service_account_key_file), with the
    /// key file's content (e.g. from a secret manager). Never printed.
    ///
    /// Defaults to a token from the metadata server.
    pub fn service_account_key_json(mut self, json: impl Into<String>) -> Self {
        self.key = Some(KeySource::Json(Secret::new(json)));
        self
    }

    /// The metric type prefix, one of the user-defined domains, ending in `/`
    /// (`custom.googleapis.com/myapp/`).
    ///
    /// Defaults to `custom.googleapis.com/`.
    pub fn metric_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The monitored resource: its type and every label its descriptor requires
    /// (`generic_task` with `project_id`, `location`, `namespace`, `job`, `task_id`).
    ///
    /// Defaults to `global` with `project_id` = the project.
    pub fn resource<K: Into<String>, V: Into<String>>(
        mut self,
        resource_type: impl Into<String>,
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let labels = labels
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.resource = Some((resource_type.into(), labels));
        self
    }

    /// The finite bucket bounds of timing distributions, in ms, strictly increasing
    /// (1 to 199 bounds).
    ///
    /// Defaults to [`DEFAULT_BOUNDS_MS`] (0.5 ms to 60 s).
    pub fn bucket_bounds(mut self, bounds: impl Into<Vec<f64>>) -> Self {
        self.bounds = bounds.into();
        self
    }

    /// The least time between two points of one series; a series written more
    /// recently is skipped until the next export (≥ 5 s, Cloud Monitoring's limit).
    ///
    /// Defaults to 10 s.
    pub fn min_point_spacing(mut self, spacing: Duration) -> Self {
        self.spacing = spacing;
        self
    }

    /// The HTTP transport (timeouts, retries, backoff) to send with.
    ///
    /// Defaults to `HttpTransport::new(HttpConfig::default())`.
    pub fn transport(mut self, transport: HttpTransport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The sink's name in self-metrics and errors.
    ///
    /// Defaults to `gcp`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Checks the settings and builds the sink (nothing is sent). An empty project is
    /// taken from the service-account key's `project_id`, if there is a key with one.
    pub fn build(self) -> Result<GcpSink, Error> {
        let token = match &self.key {
            Some(key) => TokenSource::ServiceAccount(Arc::new(
                key.load()
                    .map_err(|why| Error::config("service_account_key", why))?,
            )),
            None => self.token,
        };
        let project =
            match (self.project.trim(), &token) {
                ("", TokenSource::ServiceAccount(sa)) => match sa.project_id() {
                    Some(p) => p.to_owned(),
                    None => return Err(Error::config(
                        "project",
                        "must be set: the service-account key has no `project_id` to take it from",
                    )),
                },
                (p, _) => p.to_owned(),
            };
        let p = &project;
        let valid_project = !p.is_empty()
            && p.len() <= 100
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'_'));
        if !valid_project {
            return Err(Error::config(
                "project",
                "must be a project id or number (letters, digits, `-`, `.`, `:`)",
            ));
        }
        crate::sinks::http::check_http_url("base_url", &self.base_url)?;
        match &token {
            TokenSource::Metadata(u) => {
                crate::sinks::http::check_http_url("metadata_server", u)?;
            }
            TokenSource::Static(t) if t.expose().trim().is_empty() => {
                return Err(Error::config("token", "must not be empty"))
            }
            _ => {}
        }
        let prefix_ok = USER_PREFIXES.iter().any(|u| self.prefix.starts_with(u))
            && self.prefix.ends_with('/')
            && !self.prefix.contains("//")
            && self
                .prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'/' | b'.'));
        if !prefix_ok {
            return Err(Error::config(
                "metric_prefix",
                "must be custom.googleapis.com/, workload.googleapis.com/ or external.googleapis.com/ (optionally with a path) and end in `/`",
            ));
        }
        let b = &self.bounds;
        if b.is_empty() || b.len() > 199 {
            return Err(Error::config("bucket_bounds", "needs 1 to 199 bounds"));
        }
        if b.iter().any(|x| !x.is_finite()) || b.windows(2).any(|w| w.first() >= w.get(1)) {
            return Err(Error::config(
                "bucket_bounds",
                "must be finite and strictly increasing",
            ));
        }
        if self.spacing < Duration::from_secs(5) {
            return Err(Error::config(
                "min_point_spacing",
                "must be at least 5 s (Cloud Monitoring's limit)",
            ));
        }
        let (resource_type, resource_labels) = match self.resource {
            Some((t, labels)) => {
                if t.trim().is_empty() {
                    return Err(Error::config("resource", "needs a type"));
                }
                (t, labels)
            }
            None => (
                "global".to_owned(),
                vec![("project_id".to_owned(), project.clone())],
            ),
        };
        let transport = match self.transport {
            Some(t) => t,
            None => HttpTransport::new(HttpConfig::default())?,
        };
        Ok(GcpSink {
            name: self.name,
            url: format!(
                "{}/v3/projects/{}/timeSeries",
                self.base_url.trim_end_matches('/'),
                project
            ),
            tokens: Tokens::new(token),
            encoding: GcpEncoding {
                prefix: self.prefix,
                resource_type,
                resource_labels,
                bounds: self.bounds,
            },
            spacing: self.spacing,
            transport,
            written: HashMap::new(),
            collisions: 0,
        })
    }
}
