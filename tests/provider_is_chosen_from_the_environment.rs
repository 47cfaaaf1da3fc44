//! `sinks::env::from_vars`: OBSERVABILITY_PROVIDER picks the sink, required variables
//! are checked with errors that name them (and never echo a key), and a provider whose
//! feature is compiled out says so.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::HashMap;

use telemetra::sinks::env::from_vars;
use telemetra::sinks::Sink;
use telemetra::Error;

fn build(vars: &[(&str, &str)]) -> Result<Box<dyn Sink>, Error> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    from_vars(move |k| map.get(k).cloned())
}

fn config_error(vars: &[(&str, &str)]) -> (String, String) {
    match build(vars) {
        Err(e @ Error::Config { .. }) => {
            let Error::Config { field, .. } = &e else {
                unreachable!()
            };
            (field.to_string(), e.to_string())
        }
        Err(other) => panic!("{vars:?}: expected a config error, got {other}"),
        Ok(sink) => panic!("{vars:?}: expected a config error, got {sink:?}"),
    }
}

#[test]
fn unset_empty_or_none_means_the_noop_sink() {
    for vars in [
        &[][..],
        &[("OBSERVABILITY_PROVIDER", "")][..],
        &[("OBSERVABILITY_PROVIDER", "none")][..],
        &[("OBSERVABILITY_PROVIDER", " NONE ")][..],
    ] {
        assert_eq!(build(vars).unwrap().name(), "noop", "{vars:?}");
    }
}

#[test]
fn an_unknown_provider_is_a_config_error_naming_the_variable() {
    let (field, msg) = config_error(&[("OBSERVABILITY_PROVIDER", "newrelic")]);
    assert_eq!(field, "OBSERVABILITY_PROVIDER");
    assert!(
        msg.contains("newrelic") && msg.contains("prometheus"),
        "{msg}"
    );
    // A value with line breaks cannot forge log lines, and a long one is cut.
    let forged = format!("x\nERROR forged line\r{}", "y".repeat(100));
    let (_, msg) = config_error(&[("OBSERVABILITY_PROVIDER", &forged)]);
    assert!(!msg.contains('\n') && !msg.contains('\r'), "{msg:?}");
    assert!(
        msg.contains("\\nerror forged line"),
        "escaped, not dropped: {msg:?}"
    );
    assert!(!msg.contains(&"y".repeat(41)), "cut: {msg:?}");
}

#[cfg(feature = "prometheus")]
#[test]
fn prometheus_needs_a_valid_pushgateway_url() {
    let sink = build(&[
        ("OBSERVABILITY_PROVIDER", "Prometheus"),
        ("PROMETHEUS_PUSHGATEWAY_URL", "http://127.0.0.1:9091"),
    ])
    .unwrap();
    assert_eq!(sink.name(), "prometheus");
    let (field, msg) = config_error(&[("OBSERVABILITY_PROVIDER", "prometheus")]);
    assert_eq!(field, "PROMETHEUS_PUSHGATEWAY_URL", "{msg}");
    assert!(msg.contains("must be set"), "{msg}");
    let (field, msg) = config_error(&[
        ("OBSERVABILITY_PROVIDER", "prometheus"),
        ("PROMETHEUS_PUSHGATEWAY_URL", "ftp://user:s3cretpw@gw:9091"),
    ]);
    assert_eq!(field, "PROMETHEUS_PUSHGATEWAY_URL");
    assert!(!msg.contains("s3cretpw"), "{msg}");
}

/// A pipeline (hour-long interval: only explicit flushes export) whose one sink comes
/// from `vars`.
#[cfg(feature = "prometheus")]
fn start_from_env(vars: &[(&str, &str)]) -> telemetra::Telemetry {
    let config = telemetra::Config::builder()
        .flush_interval(std::time::Duration::from_secs(3600))
        .boxed_sink(build(vars).unwrap());
    telemetra::Telemetry::start(config.build().unwrap()).unwrap()
}

#[cfg(feature = "prometheus")]
#[test]
fn the_prometheus_sink_from_env_pushes_to_job_and_instance() {
    use std::time::Duration;
    use support::server::TestServer;
    let server = TestServer::start(vec![]);
    let url = server.url("");
    let t = start_from_env(&[
        ("OBSERVABILITY_PROVIDER", "prometheus"),
        ("PROMETHEUS_PUSHGATEWAY_URL", url.as_str()),
        ("PROMETHEUS_PUSHGATEWAY_JOB", "wallet"),
        ("HOSTNAME", "wallet-7f9c"),
    ]);
    t.incr("orders", ());
    t.flush(Duration::from_secs(10)).unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.method, "PUT");
    // The OS hostname and the process id, not the HOSTNAME variable: two processes on
    // one host must not share a group (the second PUT would replace the first).
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "wallet-7f9c".to_owned());
    let instance = format!("{host}-{}", std::process::id());
    assert_eq!(r.path, format!("/metrics/job/wallet/instance/{instance}"));
    assert!(r.text().contains("orders_total 1\n"));
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[cfg(feature = "prometheus")]
#[test]
fn an_explicit_instance_and_delete_on_shutdown_come_from_the_environment() {
    use std::time::Duration;
    use support::server::TestServer;
    let server = TestServer::start(vec![]);
    let url = server.url("");
    let t = start_from_env(&[
        ("OBSERVABILITY_PROVIDER", "prometheus"),
        ("PROMETHEUS_PUSHGATEWAY_URL", url.as_str()),
        ("PROMETHEUS_PUSHGATEWAY_INSTANCE", "replica-3"),
        ("PROMETHEUS_PUSHGATEWAY_DELETE_ON_SHUTDOWN", "true"),
    ]);
    t.incr("orders", ());
    t.shutdown(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    let methods: Vec<_> = reqs.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods.last(), Some(&"DELETE"), "{methods:?}");
    assert!(reqs
        .iter()
        .all(|r| r.path == "/metrics/job/telemetra/instance/replica-3"));
    let (field, msg) = config_error(&[
        ("OBSERVABILITY_PROVIDER", "prometheus"),
        ("PROMETHEUS_PUSHGATEWAY_URL", url.as_str()),
        ("PROMETHEUS_PUSHGATEWAY_DELETE_ON_SHUTDOWN", "sometimes"),
    ]);
    assert_eq!(field, "PROMETHEUS_PUSHGATEWAY_DELETE_ON_SHUTDOWN");
    assert!(msg.contains("sometimes"), "{msg}");
}

#[cfg(feature = "http")]
#[test]
fn http_needs_an_ingest_url_and_a_well_formed_token() {
    let sink = build(&[
        ("OBSERVABILITY_PROVIDER", "http"),
        (
            "TELEMETRA_INGEST_URL",
            "https://collector.example/v1/metrics",
        ),
        ("TELEMETRA_INGEST_TOKEN", "tok-123"),
    ])
    .unwrap();
    assert_eq!(sink.name(), "http");
    assert!(!format!("{sink:?}").contains("tok-123"));
    let (field, _) = config_error(&[("OBSERVABILITY_PROVIDER", "http")]);
    assert_eq!(field, "TELEMETRA_INGEST_URL");
    let (field, _) = config_error(&[
        ("OBSERVABILITY_PROVIDER", "http"),
        ("TELEMETRA_INGEST_URL", "collector:8080"),
    ]);
    assert_eq!(field, "TELEMETRA_INGEST_URL");
    let (field, msg) = config_error(&[
        ("OBSERVABILITY_PROVIDER", "http"),
        ("TELEMETRA_INGEST_URL", "https://collector.example/"),
        ("TELEMETRA_INGEST_TOKEN", "two words"),
    ]);
    assert_eq!(field, "TELEMETRA_INGEST_TOKEN");
    assert!(!msg.contains("two words"), "{msg}");
}

#[cfg(feature = "datadog")]
#[test]
fn datadog_needs_an_api_key_and_never_echoes_it() {
    let (field, _) = config_error(&[("OBSERVABILITY_PROVIDER", "datadog")]);
    assert_eq!(field, "DD_API_KEY");
    // With a key, whatever the Datadog constructor answers must not show the key.
    let key = "0123456789abcdef0123456789abcdef";
    match build(&[
        ("OBSERVABILITY_PROVIDER", "datadog"),
        ("DD_API_KEY", key),
        ("DD_SITE", "datadoghq.eu"),
    ]) {
        Ok(sink) => {
            assert_eq!(sink.name(), "datadog");
            assert!(!format!("{sink:?}").contains(key));
        }
        Err(e) => assert!(!format!("{e} {e:?}").contains(key)),
    }
}

#[cfg(feature = "gcp")]
#[test]
fn gcp_needs_a_project() {
    let (field, _) = config_error(&[("OBSERVABILITY_PROVIDER", "gcp")]);
    assert_eq!(field, "GOOGLE_CLOUD_PROJECT");
}

#[test]
fn a_provider_compiled_out_says_so() {
    for (provider, feature_on) in [
        ("prometheus", cfg!(feature = "prometheus")),
        ("http", cfg!(feature = "http")),
        ("datadog", cfg!(feature = "datadog")),
        ("gcp", cfg!(feature = "gcp")),
    ] {
        if feature_on {
            continue;
        }
        let (field, msg) = config_error(&[("OBSERVABILITY_PROVIDER", provider)]);
        assert_eq!(field, "OBSERVABILITY_PROVIDER");
        assert!(
            msg.contains(&format!("without the `{provider}` feature")),
            "{msg}"
        );
    }
}
