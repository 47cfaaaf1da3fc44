//! Bucket counts are exact at every bound a sink or an SLO reads, with values exactly
//! on and just above each bound, recorded on two threads: Prometheus `le` buckets
//! (`value <= le`, checked in the pushed text and, where the Debian packages are
//! installed, with PromQL on a real Prometheus), Google's explicit buckets
//! (`lower <= value < upper`, checked in the JSON a GCP sink posts), and a latency
//! SLO's good events (`latency <= threshold`). Delta sinks see the exact extremes of
//! each interval. Before, the histogram's two-digit buckets counted a 250.5 ms value
//! under `le="0.25"` and gave an interval of five 250 ms values the extremes
//! 249.856 / 250.879.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

mod support;

use std::time::Duration;

use telemetra::sinks::{MemorySink, Sink};
use telemetra::snapshot::Value;
use telemetra::{Config, Telemetry, TimingBound};

/// Bounds in ms, each with values on it and a nanosecond either side, on top of
/// ordinary ones.
const BOUNDS_MS: [f64; 4] = [0.3, 100.0, 250.0, 1000.0];

/// The values (ns) emitted: for each bound, 1 ns below, on it, 1 ns and 500 ns above.
fn values_ns() -> Vec<u64> {
    let mut v = Vec::new();
    for b in BOUNDS_MS {
        let ns = (b * 1e6).round() as u64;
        v.extend([ns - 1, ns, ns, ns + 1, ns + 500]);
    }
    v.extend([7, 1_234_567, 5_000_000_000]);
    v
}

/// Emits every value on this thread and on another, as `name` with no tags.
fn emit_everywhere(t: &Telemetry, name: &'static str) {
    for ns in values_ns() {
        t.timing(name, Duration::from_nanos(ns), ());
    }
    let t2 = t.clone();
    std::thread::spawn(move || {
        for ns in values_ns() {
            t2.timing(name, Duration::from_nanos(ns), ());
        }
    })
    .join()
    .unwrap();
}

/// The truth: how many emitted values satisfy `keep`.
fn truth(keep: impl Fn(u64) -> bool) -> u64 {
    2 * values_ns().into_iter().filter(|&v| keep(v)).count() as u64
}

fn dist_of(t: &Telemetry, name: &str) -> telemetra::snapshot::Distribution {
    let snap = t.snapshot().unwrap();
    let s = snap
        .series
        .iter()
        .find(|s| &*s.name == name)
        .unwrap_or_else(|| panic!("no series {name}"));
    match &s.value {
        Value::Timing(d) => d.clone(),
        v => panic!("{name}: {v:?}"),
    }
}

fn start(sink: impl Sink, bounds: Vec<TimingBound>) -> Telemetry {
    start_with(sink, bounds, 2)
}

fn start_with(sink: impl Sink, bounds: Vec<TimingBound>, sigfig: u8) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .histogram_sigfig(sigfig)
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .sink(sink)
            .exact_timing_bounds(bounds)
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// At both precisions the configuration allows (2, the default, and 3).
#[test]
fn declared_bounds_count_exactly_on_and_just_above_the_bound() {
    for sigfig in [2, 3] {
        let bounds: Vec<TimingBound> = BOUNDS_MS
            .iter()
            .flat_map(|&b| [TimingBound::AtMostMs(b), TimingBound::BelowMs(b)])
            .collect();
        let t = start_with(MemorySink::new(), bounds, sigfig);
        emit_everywhere(&t, "lat");
        t.flush(Duration::from_secs(10)).unwrap();
        let d = dist_of(&t, "lat");
        assert_eq!(d.count, truth(|_| true));
        for b in BOUNDS_MS {
            let ns = (b * 1e6).round() as u64;
            assert_eq!(d.count_le(b), truth(|v| v <= ns), "sigfig {sigfig}: le {b}");
            assert_eq!(d.count_lt(b), truth(|v| v < ns), "sigfig {sigfig}: lt {b}");
        }
        // Histogram bucket edges are exact without being declared (256 ns is one).
        assert_eq!(d.count_lt(0.000256), truth(|v| v < 256));
        t.shutdown(Duration::from_secs(10)).unwrap();
    }
}

/// One significant digit gives buckets wider than the per-thread cells' (two digits),
/// so counts at declared bounds could not be exact: the configuration refuses it.
#[test]
fn one_significant_digit_is_refused() {
    let e = Config::builder()
        .histogram_sigfig(1)
        .build()
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(e.contains("histogram_sigfig") && e.contains("exact"), "{e}");
}

#[test]
fn undeclared_bounds_are_only_as_exact_as_the_histogram() {
    // The same values with no bound declared: the bucket holding 250 ms is counted
    // whole (this is what every bound did before).
    let t = start(MemorySink::new(), Vec::new());
    emit_everywhere(&t, "lat");
    t.flush(Duration::from_secs(10)).unwrap();
    let d = dist_of(&t, "lat");
    assert_ne!(d.count_le(250.0), truth(|v| v <= 250_000_000));
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn a_latency_slo_counts_good_events_at_its_threshold_exactly() {
    use telemetra::alert::{ReliabilitySink, SloSource};
    use telemetra::slo::SloDefinition;
    let slo = SloDefinition::builder("lat.slo")
        .latency(Duration::from_millis(250))
        .target_percent(99.0)
        .build()
        .unwrap();
    let sink = ReliabilitySink::builder()
        .slo(
            slo,
            SloSource::Latency {
                timing_metric: "lat".into(),
                filter: Vec::new(),
                threshold: Duration::from_millis(250),
            },
        )
        .build()
        .unwrap();
    let alerts = sink.handle();
    let t = start(sink, Vec::new());
    emit_everywhere(&t, "lat");
    t.flush(Duration::from_secs(10)).unwrap();
    let report = alerts.slo_report("lat.slo").unwrap();
    assert_eq!(report.counts.total, truth(|_| true));
    assert_eq!(report.counts.good, truth(|v| v <= 250_000_000));
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
#[cfg(feature = "gcp")]
fn gcp_buckets_are_lower_inclusive_and_exact() {
    use support::server::TestServer;
    use telemetra::sinks::gcp::GcpSink;
    let server = TestServer::start(vec![]);
    let sink = GcpSink::builder("proj")
        .token("tok")
        .base_url(server.url(""))
        .bucket_bounds(BOUNDS_MS.to_vec())
        .build()
        .unwrap();
    let t = start(sink, Vec::new());
    emit_everywhere(&t, "lat");
    t.flush(Duration::from_secs(10)).unwrap();
    let reqs = server.requests();
    let body: serde_json::Value = serde_json::from_str(&reqs.last().unwrap().text()).unwrap();
    let series = body["timeSeries"].as_array().unwrap();
    let ts = series
        .iter()
        .find(|s| s["metric"]["type"].as_str().unwrap().ends_with("/lat"))
        .expect("the timing's series");
    let dv = &ts["points"][0]["value"]["distributionValue"];
    let got: Vec<u64> = dv["bucketCounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().parse().unwrap())
        .collect();
    // Bucket 0 is (-inf, b0); bucket i is [b(i-1), b(i)); the last is [b(n-1), +inf).
    let ns: Vec<u64> = BOUNDS_MS.iter().map(|b| (b * 1e6).round() as u64).collect();
    let mut want = vec![truth(|v| v < ns[0])];
    for w in ns.windows(2) {
        want.push(truth(|v| v >= w[0] && v < w[1]));
    }
    want.push(truth(|v| v >= *ns.last().unwrap()));
    assert_eq!(got, want, "{dv}");
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
#[cfg(feature = "prometheus")]
fn prometheus_le_buckets_are_exact_in_the_text_and_in_promql() {
    use support::prom;
    use telemetra::sinks::prometheus::PushgatewaySink;
    // The pushed text first, caught by a loopback server: it needs no daemon.
    let server = support::server::TestServer::start(vec![]);
    let t = start(
        PushgatewaySink::builder(server.url(""))
            .job("exact")
            .buckets_ms(BOUNDS_MS.to_vec())
            .build()
            .unwrap(),
        Vec::new(),
    );
    emit_everywhere(&t, "lat");
    t.shutdown(Duration::from_secs(10)).unwrap();
    let text = server.requests().last().unwrap().text();
    for b in BOUNDS_MS {
        let ns = (b * 1e6).round() as u64;
        let le = b / 1000.0;
        let line = text
            .lines()
            .find(|l| l.starts_with("lat_seconds_bucket{") && l.contains(&format!("le=\"{le}\"")))
            .unwrap_or_else(|| panic!("no le={le} line in\n{text}"));
        let n: u64 = line.rsplit(' ').next().unwrap().parse().unwrap();
        assert_eq!(n, truth(|v| v <= ns), "{line}");
    }

    if let Some(reason) = prom::missing(&[prom::PUSHGATEWAY, prom::PROMETHEUS]) {
        support::skip::skipped(&reason);
        return;
    }
    let gateway = prom::pushgateway(0);
    let prometheus = prom::prometheus(&format!("127.0.0.1:{}", gateway.port));
    let job = "telemetra_exact_buckets";
    let t = start(
        PushgatewaySink::builder(gateway.base_url())
            .job(job)
            .grouping_label("instance", "exact-1")
            .buckets_ms(BOUNDS_MS.to_vec())
            .build()
            .unwrap(),
        Vec::new(),
    );
    emit_everywhere(&t, "lat");
    t.flush(Duration::from_secs(20)).unwrap();
    let sel = format!("job=\"{job}\",instance=\"exact-1\"");
    let total = prom::query_until(
        &prometheus,
        &format!("sum(lat_seconds_count{{{sel}}})"),
        Duration::from_secs(45),
        |v| v == truth(|_| true) as f64,
    );
    assert_eq!(total, Some(truth(|_| true) as f64));
    for b in BOUNDS_MS {
        let ns = (b * 1e6).round() as u64;
        let le = b / 1000.0;
        let got = prom::query(
            &prometheus,
            &format!("sum(lat_seconds_bucket{{{sel},le=\"{le}\"}})"),
        );
        eprintln!("PromQL le={le}: {got:?}");
        assert_eq!(got, Some(truth(|v| v <= ns) as f64), "le={le}");
    }
    t.shutdown(Duration::from_secs(10)).unwrap();
}

#[test]
fn delta_sinks_see_each_intervals_exact_extremes() {
    let t = start(MemorySink::new(), Vec::new());
    let mut dists = Vec::new();
    // Interval 1: values around 250 ms; interval 2: five values of exactly 250 ms
    // (the case); interval 3: one value on each of two threads.
    for ns in [100_000_000u64, 400_000_000] {
        t.timing("lat", Duration::from_nanos(ns), ());
    }
    t.flush(Duration::from_secs(10)).unwrap();
    dists.push(dist_of(&t, "lat"));
    for _ in 0..5 {
        t.timing("lat", Duration::from_millis(250), ());
    }
    t.flush(Duration::from_secs(10)).unwrap();
    dists.push(dist_of(&t, "lat"));
    t.timing("lat", Duration::from_nanos(123_456_789), ());
    let t2 = t.clone();
    std::thread::spawn(move || t2.timing("lat", Duration::from_nanos(987_654_321), ()))
        .join()
        .unwrap();
    t.flush(Duration::from_secs(10)).unwrap();
    dists.push(dist_of(&t, "lat"));
    let (a, b, c) = (&dists[0], &dists[1], &dists[2]);
    let second = b.since(a);
    assert_eq!(second.count, 5);
    assert_eq!((second.min, second.max), (250.0, 250.0));
    let third = c.since(b);
    assert_eq!(third.count, 2);
    assert_eq!((third.min, third.max), (123.456789, 987.654321));
    // Two intervals at once (a sink that missed one): the extremes of both.
    let both = c.since(a);
    assert_eq!(both.count, 7);
    assert_eq!((both.min, both.max), (123.456789, 987.654321));
    t.shutdown(Duration::from_secs(10)).unwrap();
}
