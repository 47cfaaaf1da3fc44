//! Prometheus remote write 1.0: the bytes on the wire (snappy-compressed protobuf, the
//! protocol's headers, sorted labels, strictly increasing timestamps), and a real
//! Prometheus receiver storing exact totals, through an outage of the receiver.
#![cfg(feature = "remote-write")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::time::Duration;

use prost::Message;
use telemetra::sinks::prometheus::RemoteWriteSink;
use telemetra::{Config, Telemetry};

const T: Duration = Duration::from_secs(20);

// The test's own reading of prompb (remote.proto / types.proto), to decode what was
// sent; the real receiver below is the independent check.
#[derive(Clone, PartialEq, Message)]
struct WriteRequest {
    #[prost(message, repeated, tag = "1")]
    timeseries: Vec<TimeSeries>,
}
#[derive(Clone, PartialEq, Message)]
struct TimeSeries {
    #[prost(message, repeated, tag = "1")]
    labels: Vec<Label>,
    #[prost(message, repeated, tag = "2")]
    samples: Vec<Sample>,
}
#[derive(Clone, PartialEq, Message)]
struct Label {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(string, tag = "2")]
    value: String,
}
#[derive(Clone, PartialEq, Message)]
struct Sample {
    #[prost(double, tag = "1")]
    value: f64,
    #[prost(int64, tag = "2")]
    timestamp: i64,
}

fn start(url: &str) -> Telemetry {
    let sink = RemoteWriteSink::builder(url)
        .external_label("instance", "rw-1")
        .build()
        .unwrap();
    Telemetry::start(
        Config::builder()
            .sink(sink)
            .flush_interval(Duration::from_secs(3600))
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn emit(t: &Telemetry, n: u64) {
    for i in 0..n {
        let status = if i % 4 == 0 { "500" } else { "200" };
        t.incr("http.requests", &[("status", status)]);
        t.timing("http.latency", Duration::from_millis(1 + i % 100), ());
    }
}

#[test]
fn the_bytes_are_snappy_protobuf_with_sorted_labels_and_rising_timestamps() {
    let server = support::server::TestServer::start(vec![]);
    let t = start(&server.url("/api/v1/write"));
    emit(&t, 100);
    t.flush(T).unwrap();
    t.flush(T).unwrap();
    t.shutdown(T).unwrap();
    let reqs = server.requests();
    assert!(reqs.len() >= 2, "{}", reqs.len());
    let mut last_ts = i64::MIN;
    for r in &reqs {
        assert_eq!(r.header("content-encoding"), Some("snappy"));
        assert_eq!(r.header("content-type"), Some("application/x-protobuf"));
        assert_eq!(r.header("x-prometheus-remote-write-version"), Some("0.1.0"));
        let raw = snap::raw::Decoder::new().decompress_vec(&r.body).unwrap();
        let w = WriteRequest::decode(raw.as_slice()).unwrap();
        let ts = w.timeseries[0].samples[0].timestamp;
        assert!(ts > last_ts, "timestamps rise: {ts} after {last_ts}");
        last_ts = ts;
        for s in &w.timeseries {
            let names: Vec<&str> = s.labels.iter().map(|l| l.name.as_str()).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(names, sorted, "labels sorted and unique");
            assert!(names.contains(&"__name__") && names.contains(&"instance"));
            assert_eq!(s.samples.len(), 1);
            assert_eq!(s.samples[0].timestamp, ts, "one timestamp per export");
        }
        let value = |name: &str, status: &str| {
            w.timeseries
                .iter()
                .find(|s| {
                    s.labels
                        .iter()
                        .any(|l| l.name == "__name__" && l.value == name)
                        && (status.is_empty()
                            || s.labels
                                .iter()
                                .any(|l| l.name == "status" && l.value == status))
                })
                .map(|s| s.samples[0].value)
        };
        assert_eq!(value("http_requests_total", "500"), Some(25.0));
        assert_eq!(value("http_requests_total", "200"), Some(75.0));
        assert_eq!(value("http_latency_seconds_count", ""), Some(100.0));
    }
}

#[test]
fn bad_settings_are_config_errors() {
    let bad = [
        RemoteWriteSink::builder("ftp://x/api/v1/write")
            .build()
            .err(),
        RemoteWriteSink::builder("not a url").build().err(),
        RemoteWriteSink::builder("http://x/w")
            .external_label("__name__", "x")
            .build()
            .err(),
        RemoteWriteSink::builder("http://x/w")
            .external_label("instance", "")
            .build()
            .err(),
        RemoteWriteSink::builder("http://x/w")
            .buckets_ms(vec![5.0, 1.0])
            .build()
            .err(),
    ];
    for e in bad {
        assert!(matches!(e, Some(telemetra::Error::Config { .. })), "{e:?}");
    }
    // Credentials in the URL never show in Debug.
    let s = RemoteWriteSink::builder("http://user:hunter2@127.0.0.1:1/api/v1/write")
        .build()
        .unwrap();
    assert!(!format!("{s:?}").contains("hunter2"));
}

#[test]
fn a_real_prometheus_receiver_stores_exact_totals_through_an_outage() {
    use support::prom;
    if let Some(reason) = prom::missing(&[prom::PROMETHEUS]) {
        support::skip::skipped(&reason);
        return;
    }
    // Scrapes nothing useful (port 1); it is here as the remote-write receiver.
    let mut prometheus =
        prom::prometheus_with("127.0.0.1:1", &["--web.enable-remote-write-receiver"]);
    let t = start(&format!("{}/api/v1/write", prometheus.base_url()));
    emit(&t, 400);
    t.flush(T).unwrap();
    let sel = "instance=\"rw-1\"";
    let q = |p: &prom::Daemon, promql: &str, want: f64| {
        prom::query_until(p, promql, Duration::from_secs(30), |v| v == want)
    };
    assert_eq!(
        q(
            &prometheus,
            &format!("http_requests_total{{{sel},status=\"500\"}}"),
            100.0
        ),
        Some(100.0)
    );
    assert_eq!(
        q(
            &prometheus,
            &format!("http_latency_seconds_count{{{sel}}}"),
            400.0
        ),
        Some(400.0)
    );
    // Values 1..=100 ms, four of each: the median is 50 ms; classic buckets put it in
    // (25, 50] ms, and Prometheus interpolates inside the bucket.
    let p50 = prom::query(
        &prometheus,
        &format!("histogram_quantile(0.5, http_latency_seconds_bucket{{{sel}}})"),
    )
    .unwrap();
    assert!((0.025..=0.05).contains(&p50), "p50 {p50}");

    // Outage: the receiver is down while more is emitted and an export fails.
    prometheus.stop();
    emit(&t, 200);
    assert!(
        t.flush(T).is_err(),
        "the export to a stopped receiver fails"
    );
    prometheus.restart_prometheus();
    emit(&t, 100);
    t.flush(T).unwrap();
    // Nothing lost, nothing counted twice.
    assert_eq!(
        q(
            &prometheus,
            &format!("http_requests_total{{{sel},status=\"500\"}}"),
            175.0
        ),
        Some(175.0)
    );
    assert_eq!(
        q(
            &prometheus,
            &format!("http_requests_total{{{sel},status=\"200\"}}"),
            525.0
        ),
        Some(525.0)
    );
    assert_eq!(
        q(
            &prometheus,
            &format!("http_latency_seconds_count{{{sel}}}"),
            700.0
        ),
        Some(700.0)
    );
    t.shutdown(T).unwrap();
}
