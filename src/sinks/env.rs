//! Choosing and configuring a sink from the environment (`OBSERVABILITY_PROVIDER` and
//! friends), as the services do today.
//!
//! | variable | used by | |
//! | --- | --- | --- |
//! | `OBSERVABILITY_PROVIDER` | all | `datadog`, `gcp`, `prometheus`, `http`, `otlp` or `none`; unset or empty = `none` (case-insensitive) |
//! | `OTEL_EXPORTER_OTLP_*`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` | otlp | as the OpenTelemetry specification has them; see [`otlp`](super::otlp) |
//! | `DD_API_KEY` | datadog | required |
//! | `DD_SITE` | datadog | optional (`datadoghq.eu`, …) |
//! | `GOOGLE_CLOUD_PROJECT` | gcp | the project; required unless the key file below has a `project_id` (the variable wins when both are set) |
//! | `GOOGLE_APPLICATION_CREDENTIALS` | gcp | optional path of a service-account JSON key; unset = tokens from the metadata server |
//! | `PROMETHEUS_PUSHGATEWAY_URL` | prometheus | required (`http://pushgateway:9091`) |
//! | `PROMETHEUS_PUSHGATEWAY_JOB` | prometheus | optional, default `telemetra` |
//! | `PROMETHEUS_PUSHGATEWAY_INSTANCE` | prometheus | optional `instance` grouping label; default `<hostname>-<pid>` (the OS hostname, else `$HOSTNAME`, else `unknown`) |
//! | `PROMETHEUS_PUSHGATEWAY_DELETE_ON_SHUTDOWN` | prometheus | optional `true`/`false` (default `false`): delete the group when the pipeline shuts down |
//! | `TELEMETRA_INGEST_URL` | http | required |
//! | `TELEMETRA_INGEST_TOKEN` | http | optional bearer token |
//!
//! Empty values count as unset. A missing or malformed required variable is an
//! [`Error::Config`] naming the variable; a provider whose cargo feature was disabled
//! is an error saying so (never a silent no-op). Error messages never contain keys or
//! tokens.
//!
//! The Pushgateway sink `PUT`s the whole group each time, so two processes must not
//! share a grouping key: the second one's push *replaces* the first one's series. The
//! default `instance` is therefore the OS hostname plus the process id (the `HOSTNAME`
//! variable is not used first: bash and systemd do not export it, so it is often unset
//! or stale). The price of a per-process key: each restart leaves the previous process's
//! group on the gateway until it is deleted — set
//! `PROMETHEUS_PUSHGATEWAY_DELETE_ON_SHUTDOWN=true` so that a clean exit deletes it, or
//! give a stable `PROMETHEUS_PUSHGATEWAY_INSTANCE` per replica.
//!
//! ```
//! # fn main() -> Result<(), telemetra::Error> {
//! use telemetra::sinks::env::from_vars;
//! let sink = from_vars(|name| match name {
//!     "OBSERVABILITY_PROVIDER" => Some("none".to_owned()),
//!     _ => None,
//! })?;
//! assert_eq!(sink.name(), "noop");
//! # Ok(()) }
//! ```

use super::{NoopSink, Sink};
use crate::Error;

/// The variable that chooses the provider.
pub const PROVIDER_VAR: &str = "OBSERVABILITY_PROVIDER";

/// Builds the sink that the process environment asks for (see the
/// [module docs](self)).
pub fn from_env() -> Result<Box<dyn Sink>, Error> {
    from_vars(|name| std::env::var(name).ok())
}

/// Builds the sink that the variables given by `get` ask for; `get` returns a
/// variable's value or `None` when unset. For tests and for configuration that does
/// not live in the process environment.
pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    let var = |name: &str| {
        get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let provider = var(PROVIDER_VAR)
        .unwrap_or_else(|| "none".to_owned())
        .to_ascii_lowercase();
    match provider.as_str() {
        "none" | "noop" => Ok(Box::new(NoopSink)),
        "prometheus" => prometheus(&var),
        "http" => http(&var),
        "datadog" => datadog(&var),
        "gcp" => gcp(&var),
        "otlp" => otlp(&var),
        other => {
            // Quoted and escaped (`{:?}`), so that a value with newlines or control
            // characters cannot forge lines in a log; cut to 40 characters.
            let mut shown: String = other.chars().take(40).collect();
            if other.chars().count() > 40 {
                shown.push('…');
            }
            Err(Error::config(
                PROVIDER_VAR,
                format!("is {shown:?}; expected one of datadog, gcp, prometheus, http, otlp, none"),
            ))
        }
    }
}

#[cfg(any(feature = "prometheus", feature = "http", feature = "datadog"))]
fn required(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    provider: &str,
) -> Result<String, Error> {
    var(name)
        .ok_or_else(|| Error::config(name, format!("must be set when {PROVIDER_VAR}={provider}")))
}

/// Re-labels a builder's config error with the variable it came from.
#[cfg(any(feature = "prometheus", feature = "http"))]
fn for_var(name: &'static str) -> impl Fn(Error) -> Error {
    move |e| match e {
        Error::Config { reason, .. } => Error::config(name, reason),
        other => other,
    }
}

#[cfg(feature = "otlp")]
fn otlp(var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    Ok(Box::new(super::otlp::OtlpSink::from_vars(var)?))
}

#[cfg(not(feature = "otlp"))]
fn otlp(_: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    Err(disabled("otlp"))
}

#[cfg(not(all(
    feature = "prometheus",
    feature = "http",
    feature = "datadog",
    feature = "gcp",
    feature = "otlp"
)))]
fn disabled(provider: &str) -> Error {
    Error::config(
        PROVIDER_VAR,
        format!("is `{provider}` but telemetra was built without the `{provider}` feature"),
    )
}

#[cfg(feature = "prometheus")]
fn prometheus(var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    use super::prometheus::PushgatewaySink;
    const URL: &str = "PROMETHEUS_PUSHGATEWAY_URL";
    let url = required(var, URL, "prometheus")?;
    let mut b = PushgatewaySink::builder(url);
    if let Some(job) = var("PROMETHEUS_PUSHGATEWAY_JOB") {
        b = b.job(job);
    }
    let instance = var("PROMETHEUS_PUSHGATEWAY_INSTANCE").unwrap_or_else(|| {
        let host = os_hostname()
            .or_else(|| var("HOSTNAME"))
            .unwrap_or_else(|| "unknown".to_owned());
        format!("{host}-{}", std::process::id())
    });
    b = b.grouping_label("instance", instance);
    const DELETE: &str = "PROMETHEUS_PUSHGATEWAY_DELETE_ON_SHUTDOWN";
    if let Some(v) = var(DELETE) {
        let on = match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => true,
            "false" | "0" | "no" | "off" => false,
            _ => {
                let shown: String = v.chars().take(20).collect();
                return Err(Error::config(
                    DELETE,
                    format!("is {shown:?}; expected true or false"),
                ));
            }
        };
        b = b.delete_on_shutdown(on);
    }
    Ok(Box::new(b.build().map_err(for_var(URL))?))
}

/// The OS's hostname (Linux: the kernel's), not the `HOSTNAME` variable.
#[cfg(feature = "prometheus")]
fn os_hostname() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
}

#[cfg(not(feature = "prometheus"))]
fn prometheus(_var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    Err(disabled("prometheus"))
}

#[cfg(feature = "http")]
fn http(var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    use super::http::Secret;
    use super::ingest::HttpIngestSink;
    const URL: &str = "TELEMETRA_INGEST_URL";
    let url = required(var, URL, "http")?;
    let mut b = HttpIngestSink::builder(url);
    if let Some(token) = var("TELEMETRA_INGEST_TOKEN") {
        b = b.bearer_token(Secret::new(token));
    }
    let sink = b.build().map_err(|e| match e {
        Error::Config {
            field: "bearer_token",
            reason,
        } => Error::config("TELEMETRA_INGEST_TOKEN", reason),
        other => for_var(URL)(other),
    })?;
    Ok(Box::new(sink))
}

#[cfg(not(feature = "http"))]
fn http(_var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    Err(disabled("http"))
}

#[cfg(feature = "datadog")]
fn datadog(var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    let key = required(var, "DD_API_KEY", "datadog")?;
    let site = var("DD_SITE");
    Ok(Box::new(super::datadog::DatadogSink::from_env_parts(
        key, site,
    )?))
}

#[cfg(not(feature = "datadog"))]
fn datadog(_var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    Err(disabled("datadog"))
}

#[cfg(feature = "gcp")]
fn gcp(var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    const PROJECT: &str = "GOOGLE_CLOUD_PROJECT";
    let key_file = var("GOOGLE_APPLICATION_CREDENTIALS");
    // With a key file, the key's `project_id` stands in for an unset project.
    let project = match var(PROJECT) {
        Some(p) => p,
        None if key_file.is_some() => String::new(),
        None => {
            return Err(Error::config(
                PROJECT,
                format!(
                    "must be set when {PROVIDER_VAR}=gcp, unless \
                     GOOGLE_APPLICATION_CREDENTIALS names a key with a `project_id`"
                ),
            ))
        }
    };
    Ok(Box::new(super::gcp::GcpSink::from_env_parts_with_key(
        project, key_file,
    )?))
}

#[cfg(not(feature = "gcp"))]
fn gcp(_var: &impl Fn(&str) -> Option<String>) -> Result<Box<dyn Sink>, Error> {
    Err(disabled("gcp"))
}
