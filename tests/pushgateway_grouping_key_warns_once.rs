//! Two processes that push the same Pushgateway grouping key replace each other's
//! series (every push is a `PUT` of the whole group): Prometheus then sees one process's
//! counts, not their sum. A grouping key that cannot tell processes apart — only `job`,
//! or labels none of which holds the process id — is reported once, when the pipeline
//! starts, to the `on_error` handler as `Error::SinkWarning`; the pushes themselves go
//! on and succeed. The default from the environment (`instance` = `<hostname>-<pid>`)
//! and `unique_grouping_key(true)` are quiet.
#![cfg(feature = "prometheus")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::server::TestServer;
use telemetra::sinks::env::from_vars;
use telemetra::sinks::prometheus::{PushgatewayBuilder, PushgatewaySink};
use telemetra::sinks::Sink;
use telemetra::{Config, Error, Telemetry};

/// Starts a pipeline on `sink`, flushes three times; every `on_error` report, and
/// whether each report was a warning.
fn reports(sink: Box<dyn Sink>) -> Vec<(bool, String)> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let t = Telemetry::start(
        Config::builder()
            .self_metrics(false)
            .flush_interval(Duration::from_secs(3600))
            .boxed_sink(sink)
            .on_error(move |e| {
                let warning = matches!(e, Error::SinkWarning { .. });
                record.lock().unwrap().push((warning, e.to_string()));
            })
            .build()
            .unwrap(),
    )
    .unwrap();
    // Reported before `start` returns.
    let at_start = seen.lock().unwrap().clone();
    for _ in 0..3 {
        t.incr("jobs", ());
        t.flush(Duration::from_secs(10)).unwrap();
    }
    t.shutdown(Duration::from_secs(10)).unwrap();
    let all = seen.lock().unwrap().clone();
    assert_eq!(at_start, all, "reported at start only");
    all
}

fn gateway(server: &TestServer) -> PushgatewayBuilder {
    PushgatewaySink::builder(server.url("")).job("wallet")
}

#[test]
fn grouping_only_by_job_warns_once() {
    let server = TestServer::start(vec![]);
    let r = reports(Box::new(gateway(&server).build().unwrap()));
    assert_eq!(r.len(), 1, "{r:?}");
    let (warning, text) = &r[0];
    assert!(warning, "{text}");
    assert!(text.starts_with("sink `prometheus` warning:"), "{text}");
    assert!(text.contains("{job} groups only by job"), "{text}");
    assert!(text.contains("instance"), "names the fix: {text}");
    assert!(server.requests().len() >= 3, "the pushes go on");
}

#[test]
fn a_fixed_instance_warns_once_without_repeating_its_value() {
    let server = TestServer::start(vec![]);
    let sink = gateway(&server)
        .grouping_label("instance", "wallet-replica")
        .build()
        .unwrap();
    let r = reports(Box::new(sink));
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(r[0].0);
    assert!(r[0].1.contains("{job, instance}"), "{}", r[0].1);
    assert!(!r[0].1.contains("wallet-replica"), "{}", r[0].1);
}

#[test]
fn a_per_process_instance_or_a_declared_unique_key_is_quiet() {
    let server = TestServer::start(vec![]);
    let per_process = gateway(&server)
        .grouping_label("instance", format!("host-{}", std::process::id()))
        .build()
        .unwrap();
    assert_eq!(reports(Box::new(per_process)), vec![]);
    let declared = gateway(&server)
        .grouping_label("instance", "wallet-replica")
        .unique_grouping_key(true)
        .build()
        .unwrap();
    assert_eq!(reports(Box::new(declared)), vec![]);
}

#[test]
fn from_the_environment_the_default_instance_is_quiet_a_fixed_one_warns() {
    let server = TestServer::start(vec![]);
    let url = server.url("");
    let env = |instance: Option<&str>| {
        let url = url.clone();
        let instance = instance.map(str::to_owned);
        from_vars(move |name| match name {
            "OBSERVABILITY_PROVIDER" => Some("prometheus".to_owned()),
            "PROMETHEUS_PUSHGATEWAY_URL" => Some(url.clone()),
            "PROMETHEUS_PUSHGATEWAY_INSTANCE" => instance.clone(),
            _ => None,
        })
        .unwrap()
    };
    assert_eq!(reports(env(None)), vec![]);
    let fixed = reports(env(Some("replica-3")));
    assert_eq!(fixed.len(), 1, "{fixed:?}");
    assert!(fixed[0].0 && fixed[0].1.contains("PROMETHEUS_PUSHGATEWAY_INSTANCE"));
}
