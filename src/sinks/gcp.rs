//! Google Cloud Monitoring sink: `projects.timeSeries.create`
//! (`POST https://monitoring.googleapis.com/v3/projects/{project}/timeSeries`).
//!
//! Cloud Monitoring keeps user-defined metrics as time series of points; this sink
//! writes one point per changed series per export:
//!
//! | telemetra | metric kind | value |
//! | --- | --- | --- |
//! | counter | `CUMULATIVE`, start = when the series was first seen | `doubleValue` (the total) |
//! | gauge | `GAUGE` | `doubleValue` |
//! | timing | `CUMULATIVE`, unit `ms` | `distributionValue` with explicit bucket bounds |
//!
//! Counters are always `DOUBLE` (a counter may be incremented by fractions, and a
//! metric's value type cannot change once its descriptor exists).
//!
//! Metric types are `custom.googleapis.com/` (configurable) plus the name with `.` as
//! `/`; labels are the tags with keys sanitised to `[a-zA-Z][a-zA-Z0-9_]*` (≤ 100
//! characters), values cut to 1024 bytes, at most 30 labels (the first 30 by key).
//! The monitored resource defaults to `global` with `project_id`.
//!
//! # Distributions
//! Bucket counts come from the histogram ([`Distribution::count_le`](crate::snapshot::Distribution::count_le)
//! at each bound, so they add up to `count` exactly); `mean` is exact. The histogram
//! keeps no sum of squares, so `sumOfSquaredDeviation` is computed from its recorded
//! buckets (each value known to within the histogram's precision, 1% by default):
//! close, never negative, and far better than the `0` that would make every
//! standard-deviation chart flat.
//!
//! # Spacing and partial failures
//! Cloud Monitoring rejects a point written sooner than the metric's sampling period
//! after the previous one (5–10 s). A series written less than
//! [`min_point_spacing`](GcpBuilder::min_point_spacing) ago (less one second of slack
//! for flush jitter, never under 5 s) is skipped; since points
//! are cumulative, its next point carries everything, nothing is lost. At most 200
//! series go in one request. A `400` means some points of that request were refused
//! (the others were written): the request's series count as written, the error
//! summary's point counts are reported (as far as the transport's truncated error text
//! shows them), and the next export moves on. A `401` drops a cached metadata-server
//! or service-account token. Other failures stop the export and the series are retried next time.
//!
//! # Credentials
//! A bearer token from one of these (when several setters are called, the last wins):
//! - [`GcpBuilder::token`]: a fixed token;
//! - [`GcpBuilder::token_provider`]: a closure, called once per export;
//! - [`GcpBuilder::service_account_key_file`] / [`GcpBuilder::service_account_key_json`]:
//!   a service-account JSON key (`"type": "service_account"`, as `gcloud iam
//!   service-accounts keys create` writes it; what `GOOGLE_APPLICATION_CREDENTIALS`
//!   points at). The sink signs an RS256 JWT (`kid` = `private_key_id`, `iss` =
//!   `client_email`, `scope` = `https://www.googleapis.com/auth/monitoring.write`,
//!   `aud` = `token_uri`, valid one hour) with the key's PKCS#8 `private_key` and
//!   exchanges it at `token_uri` (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`)
//!   for an access token, cached until five minutes before it expires. The key is read
//!   and checked in [`build`](GcpBuilder::build): a missing, unreadable or malformed
//!   file, another credential type or a key that is not RSA is a config error naming
//!   the file (never quoting it);
//! - by default, the GCE/GKE/Cloud Run metadata server (`Metadata-Flavor: Google`),
//!   cached until a minute before it expires.
//!
//! A `401` from the API drops a cached metadata-server or service-account token. The
//! private key, the signed JWT and the access tokens never appear in `Debug` output or
//! error messages (a token endpoint echoing the request has the JWT scrubbed).

#[path = "gcp_builder.rs"]
mod builder;
#[path = "gcp_encode.rs"]
mod encode;

pub use builder::GcpBuilder;
#[path = "gcp_sa.rs"]
mod sa;
#[path = "gcp_token.rs"]
mod token;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value as Json};

use self::encode::{due, GcpEncoding, Written};
use self::sa::KeySource;
use self::token::{TokenSource, Tokens};
use super::http::{redact_url, Encoding, HttpConfig, HttpTransport, Method, Request, Secret};
use super::{Export, Sink, SinkError};
use crate::Error;

pub use self::encode::DEFAULT_BOUNDS_MS;
pub use self::token::TokenProvider;

/// The Cloud Monitoring API host.
pub const DEFAULT_BASE_URL: &str = "https://monitoring.googleapis.com";
/// The metadata server.
pub const DEFAULT_METADATA_URL: &str = "http://metadata.google.internal";
/// The default metric type prefix.
pub const DEFAULT_PREFIX: &str = "custom.googleapis.com/";
/// The most series in one request.
pub const MAX_SERIES_PER_REQUEST: usize = 200;
const USER_PREFIXES: [&str; 3] = [
    "custom.googleapis.com/",
    "workload.googleapis.com/",
    "external.googleapis.com/",
];

/// Writes snapshots to Google Cloud Monitoring (see the module docs).
///
/// ```
/// # fn main() -> Result<(), telemetra::Error> {
/// use telemetra::sinks::gcp::GcpSink;
///
/// // On GCE/GKE/Cloud Run the token comes from the metadata server by default.
/// let sink = GcpSink::builder("my-project")
///     .resource("generic_task", [
///         ("project_id", "my-project"), ("location", "europe-west1"),
///         ("namespace", "payments"), ("job", "wallet"), ("task_id", "0"),
///     ])
///     .build()?;
/// assert_eq!(sink.url(), "https://monitoring.googleapis.com/v3/projects/my-project/timeSeries");
/// # Ok(()) }
/// ```
pub struct GcpSink {
    name: String,
    url: String,
    tokens: Tokens,
    encoding: GcpEncoding,
    spacing: Duration,
    transport: HttpTransport,
    written: HashMap<usize, Written>,
    collisions: u64,
}

impl fmt::Debug for GcpSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GcpSink")
            .field("name", &self.name)
            .field("url", &redact_url(&self.url))
            .field("tokens", &self.tokens)
            .field("resource_type", &self.encoding.resource_type)
            .finish_non_exhaustive()
    }
}

impl GcpSink {
    /// Starts configuring a sink for `project` (an id or number). With a
    /// service-account key ([`GcpBuilder::service_account_key_file`]) the project may
    /// be empty: the key's `project_id` is used then.
    pub fn builder(project: impl Into<String>) -> GcpBuilder {
        GcpBuilder {
            project: project.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            token: TokenSource::Metadata(DEFAULT_METADATA_URL.to_owned()),
            key: None,
            prefix: DEFAULT_PREFIX.to_owned(),
            resource: None,
            bounds: DEFAULT_BOUNDS_MS.to_vec(),
            spacing: Duration::from_secs(10),
            transport: None,
            name: "gcp".to_owned(),
        }
    }

    /// The sink as configured from the environment (`GOOGLE_CLOUD_PROJECT`): tokens
    /// from the metadata server, everything else at its default.
    pub fn from_env_parts(project: String) -> Result<GcpSink, Error> {
        GcpSink::from_env_parts_with_key(project, None)
    }

    /// The sink as configured from the environment: `GOOGLE_CLOUD_PROJECT` and, when
    /// set, `GOOGLE_APPLICATION_CREDENTIALS` (the path of a service-account key file;
    /// without it, tokens come from the metadata server). An empty `project` is taken
    /// from the key's `project_id` (the variable wins when both are set). Errors name
    /// the variable.
    pub fn from_env_parts_with_key(
        project: String,
        key_file: Option<String>,
    ) -> Result<GcpSink, Error> {
        let mut b = GcpSink::builder(project.trim());
        if let Some(path) = key_file.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            b = b.service_account_key_file(path);
        }
        b.build()
            // Name the variable the user set, not the builder setter.
            .map_err(|e| match e {
                Error::Config {
                    field: "project",
                    reason,
                } => Error::config("GOOGLE_CLOUD_PROJECT", reason),
                Error::Config {
                    field: "service_account_key",
                    reason,
                } => Error::config("GOOGLE_APPLICATION_CREDENTIALS", reason),
                other => other,
            })
    }

    /// The URL time series are posted to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Series left out because another series had the same metric type and labels
    /// after sanitising (they would be duplicates to Cloud Monitoring).
    pub fn collisions(&self) -> u64 {
        self.collisions
    }
}

/// The HTTP status named in a transport error (`… status 400: …`).
fn status_of(e: &SinkError) -> Option<u16> {
    let msg = e.to_string();
    let rest = msg.split("status ").nth(1)?;
    rest.get(..3)?.parse().ok()
}

/// `successPointCount` / `totalPointCount` of a `CreateTimeSeriesSummary`, when the
/// error text shows them.
fn point_counts(text: &str) -> Option<(u64, u64)> {
    let num = |key: &str| -> Option<u64> {
        let after = text.split(key).nth(1)?;
        let digits: String = after
            .trim_start_matches(|c: char| c == '"' || c == ':' || c.is_whitespace())
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    Some((
        num("successPointCount").unwrap_or(0),
        num("totalPointCount")?,
    ))
}

impl Sink for GcpSink {
    fn name(&self) -> &str {
        &self.name
    }

    /// The explicit bucket bounds: Google counts `lower <= value < upper`.
    fn exact_timing_bounds(&self) -> Vec<crate::TimingBound> {
        let b = &self.encoding.bounds;
        b.iter()
            .map(|&ms| crate::TimingBound::BelowMs(ms))
            .collect()
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let end = export.snapshot.taken_at;
        let (due, collisions) = due(
            &export.snapshot.series,
            end,
            &self.written,
            self.spacing,
            &self.encoding,
        );
        self.collisions += collisions as u64;
        if due.is_empty() {
            return Ok(());
        }
        let token = self.tokens.bearer(&self.transport)?;
        let total = due.len().div_ceil(MAX_SERIES_PER_REQUEST);
        let mut refused: Vec<String> = Vec::new();
        for (i, chunk) in due.chunks(MAX_SERIES_PER_REQUEST).enumerate() {
            let series: Vec<&Json> = chunk.iter().map(|(_, ts)| ts).collect();
            let body = serde_json::to_vec(&json!({ "timeSeries": series }))
                .map_err(|e| SinkError::permanent(format!("encoding failed: {e}")))?;
            let req = Request::new(Method::Post, self.url.as_str())
                .secret_header(
                    "Authorization",
                    Secret::new(format!("Bearer {}", token.expose())),
                )
                .header("Content-Type", "application/json")
                .encoding(Encoding::Identity)
                .body(body);
            let mark = |written: &mut HashMap<usize, Written>| {
                for (s, _) in chunk {
                    written.insert(
                        s.id,
                        Written {
                            end,
                            updated: s.updated,
                        },
                    );
                }
            };
            match self.transport.send(req) {
                Ok(_) => mark(&mut self.written),
                Err(e) if status_of(&e) == Some(400) => {
                    // Some points were written, the rest are invalid as they stand:
                    // resending would not help. Their next point carries the totals.
                    mark(&mut self.written);
                    refused.push(match point_counts(&e.to_string()) {
                        Some((ok, all)) => format!(
                            "request {} of {total}: {} of {all} points refused",
                            i + 1,
                            all.saturating_sub(ok)
                        ),
                        None => format!("request {} of {total}: some points refused", i + 1),
                    });
                }
                Err(e) => {
                    if status_of(&e) == Some(401) {
                        self.tokens.invalidate();
                    }
                    return Err(e.context(format_args!(
                        "gcp request {} of {total} failed, its series are retried next export",
                        i + 1
                    )));
                }
            }
        }
        if refused.is_empty() {
            Ok(())
        } else {
            Err(SinkError::permanent(format!(
                "cloud monitoring refused points ({})",
                refused.join("; ")
            ))
            .with_status(400))
        }
    }
}

#[cfg(test)]
#[path = "gcp_tests.rs"]
mod tests;
