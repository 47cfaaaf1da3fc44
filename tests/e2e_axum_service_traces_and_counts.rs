//! Issue #12's acceptance test, end to end with real servers: two axum services on
//! 127.0.0.1, both behind `integrations::tower::HttpLayer`, share one pipeline whose sinks
//! are the Datadog APM sink (pointed at Datadog's own APM test agent, `ddapm-test-agent`),
//! a Pushgateway sink (pointed at a real `prometheus-pushgateway`) and a `MemorySink`.
//! `TelemetraLayer` is the global `tracing` subscriber and telemetra the global `metrics`
//! recorder.
//!
//! A client calls service A with a `traceparent`; A's handler calls an `#[instrument]`ed
//! function (a child span, with an e-mail address in a field and in an `info!` event)
//! which calls a library instrumented only with `metrics::counter!` and then calls
//! service B with `reqwest`, the trace headers injected by `propagation::inject_current`.
//!
//! Checked: the agent holds exactly one trace, the caller's, made of A's server span
//! (child of the caller's span), the instrumented child and B's server span (child of
//! the span current when A called B), for every request; the e-mail address appears
//! nowhere in what the agent received; the gateway shows the library's counter and the
//! per-endpoint request counts (status 200) exactly.
//!
//! Skips with a printed `SKIPPED:` reason when the agent (`$TELEMETRA_DDAPM_AGENT`,
//! `PATH`, `/tmp/v/bin`, `${TELEMETRA_VENV:-/tmp/telemetra-venv}/bin`; see
//! `scripts/test-deps/python.sh`) or the Pushgateway (`scripts/test-deps/prometheus.sh`)
//! is not installed.
#![cfg(all(
    feature = "datadog",
    feature = "prometheus",
    feature = "tracing",
    feature = "metrics",
    feature = "tower"
))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    missing_docs
)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Path, State};
use axum::routing::get;
use axum::Router;
use serde_json::Value as Json;
use support::ddapm::{find_agent, http, Agent};
use support::prom;
use telemetra::integrations::tower::HttpLayer;
use telemetra::integrations::tracing::TelemetraLayer;
use telemetra::sinks::datadog_apm::DatadogApmSink;
use telemetra::sinks::prometheus::PushgatewaySink;
use telemetra::sinks::MemorySink;
use telemetra::trace::{current, propagation, AttrValue, SpanContext, TraceId};
use telemetra::{Config, Telemetry};
use tracing_subscriber::layer::SubscriberExt;

/// The caller's trace.
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
/// The caller's span of request `i` is `CALLER_SPAN + i`.
const CALLER_SPAN: u64 = 0x00f0_67aa_0ba9_0200;
const REQUESTS: u64 = 3;
const USER: &str = "ann.lee@example.com";
const JOB: &str = "telemetra_e2e_axum";
const ROUTE_A: &str = "/checkout/{order}";
const ROUTE_B: &str = "/inventory/{sku}";
/// Bound of every wait on a server.
const LIMIT: Duration = Duration::from_secs(30);

/// A library that knows nothing of telemetra: it counts through the `metrics` facade.
mod library {
    pub(crate) fn reserve_stock() {
        metrics::counter!("library.calls").increment(1);
    }
}

/// What service A saw during one request.
#[derive(Clone, Debug)]
struct SeenByA {
    order: String,
    /// Current when A's handler started: the middleware's server span.
    server: Option<SpanContext>,
    /// Current inside the `#[instrument]`ed function, right before calling B.
    at_call: Option<SpanContext>,
    /// Whether `inject_current` wrote headers.
    injected: bool,
}

/// What service B saw during one request.
#[derive(Clone, Debug)]
struct SeenByB {
    sku: String,
    /// Current in B's handler: B's server span.
    server: Option<SpanContext>,
    traceparent: Option<String>,
}

#[derive(Clone)]
struct AState {
    client: reqwest::Client,
    b_base: String,
    seen: Arc<Mutex<Vec<SeenByA>>>,
}

async fn handle_a(
    State(st): State<AState>,
    Path(order): Path<String>,
) -> Result<String, (axum::http::StatusCode, String)> {
    let server = current();
    let (stock, at_call, injected) = checkout(&st, &order)
        .await
        .map_err(|e| (axum::http::StatusCode::BAD_GATEWAY, e))?;
    st.seen.lock().unwrap().push(SeenByA {
        order: order.clone(),
        server,
        at_call,
        injected,
    });
    Ok(format!("order {order}: {stock}"))
}

/// The child span: instrumented, with the user's address in a field and in an event.
#[tracing::instrument(skip(st), fields(user = USER))]
async fn checkout(st: &AState, order: &str) -> Result<(String, Option<SpanContext>, bool), String> {
    tracing::info!(user = USER, "checkout started");
    library::reserve_stock();
    let mut headers = http::HeaderMap::new();
    let at_call = current();
    let injected = propagation::inject_current(&mut headers);
    let resp = st
        .client
        .get(format!("{}/inventory/sku-{order}", st.b_base))
        .headers(headers)
        .send()
        .await
        .map_err(|e| format!("calling B: {e}"))?;
    let status = resp.status();
    let body = resp.text().await.map_err(|e| format!("reading B: {e}"))?;
    if !status.is_success() {
        return Err(format!("B answered {status}: {body}"));
    }
    Ok((body, at_call, injected))
}

async fn handle_b(
    State(seen): State<Arc<Mutex<Vec<SeenByB>>>>,
    Path(sku): Path<String>,
    headers: axum::http::HeaderMap,
) -> String {
    let traceparent = headers
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    seen.lock().unwrap().push(SeenByB {
        sku: sku.clone(),
        server: current(),
        traceparent,
    });
    format!("{sku} in stock")
}

/// The middleware both services use: the route template from axum's `MatchedPath`.
fn http_layer(telemetry: &Telemetry) -> HttpLayer {
    HttpLayer::new(telemetry)
        .endpoint(|_, _, ext| ext.get::<MatchedPath>().map(|p| p.as_str().to_owned()))
}

/// The agent as the support code finds it, or in the venv `scripts/test-deps/python.sh`
/// installs it into.
fn agent_exe() -> Option<PathBuf> {
    find_agent().or_else(|| {
        let venv = std::env::var_os("TELEMETRA_VENV")
            .map_or_else(|| PathBuf::from("/tmp/telemetra-venv"), PathBuf::from);
        let p = venv.join("bin/ddapm-test-agent");
        p.is_file().then_some(p)
    })
}

/// Standard base64 (the agent's encoding of request bodies).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// The agent's JSON answer at `path`.
fn agent_json(agent: &Agent, path: &str) -> Json {
    let (code, body) = http(agent.port, "GET", path, &[], b"").unwrap();
    assert_eq!(code, 200, "{path}: {}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

/// Every span the agent stored for this session.
fn agent_spans(traces: &Json) -> Vec<Json> {
    traces
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t.as_array().unwrap().iter().cloned())
        .collect()
}

/// One sample line of the exposition text: name, labels, value.
type Sample = (String, BTreeMap<String, String>, f64);

/// Parses the sample lines of a Prometheus text exposition.
fn parse_samples(text: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (name, rest) = match line.find('{') {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => match line.split_once(' ') {
                Some((n, v)) => {
                    if let Ok(v) = v.trim().parse() {
                        out.push((n.to_owned(), BTreeMap::new(), v));
                    }
                    continue;
                }
                None => continue,
            },
        };
        let mut labels = BTreeMap::new();
        let mut chars = rest.chars().peekable();
        loop {
            let key: String = chars.by_ref().take_while(|&c| c != '=').collect();
            if chars.next() != Some('"') {
                break;
            }
            let mut value = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some('n') => value.push('\n'),
                        Some(e) => value.push(e),
                        None => {}
                    },
                    '"' => break,
                    c => value.push(c),
                }
            }
            labels.insert(key.trim_start_matches(',').trim().to_owned(), value);
            match chars.next() {
                Some(',') if chars.peek() == Some(&'}') => {
                    chars.next();
                    break;
                }
                Some(',') => {}
                _ => break,
            }
        }
        let value: String = chars.collect();
        if let Ok(v) = value.trim().parse() {
            out.push((name.to_owned(), labels, v));
        }
    }
    out
}

/// The value of the sample `name` whose labels include every pair of `want` (and
/// `job`), summed over matching series; `None` when there is none.
fn gateway_sum(samples: &[Sample], name: &str, want: &[(&str, &str)]) -> Option<f64> {
    let hits: Vec<f64> = samples
        .iter()
        .filter(|(n, labels, _)| {
            n == name
                && labels.get("job").map(String::as_str) == Some(JOB)
                && want
                    .iter()
                    .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|(_, _, v)| *v)
        .collect();
    (!hits.is_empty()).then(|| hits.iter().sum())
}

fn gateway_text(client: &reqwest::blocking::Client, gateway: &prom::Daemon) -> String {
    client
        .get(format!("{}/metrics", gateway.base_url()))
        .send()
        .and_then(reqwest::blocking::Response::text)
        .unwrap_or_default()
}

#[test]
fn two_axum_services_share_one_trace_and_exact_counts() {
    let started = Instant::now();
    let Some(exe) = agent_exe() else {
        support::skip::skipped(
            "ddapm-test-agent not found (set TELEMETRA_DDAPM_AGENT, put it on PATH, or run scripts/test-deps/python.sh)",
        );
        return;
    };
    if !std::path::Path::new(prom::PUSHGATEWAY).exists() {
        support::skip::skipped(&format!(
            "{} not installed (run scripts/test-deps/prometheus.sh)",
            prom::PUSHGATEWAY
        ));
        return;
    }

    // The real servers.
    let agent = Agent::start(&exe);
    // The sink sends no session token: a session started without one collects every
    // untokened request made after it (this agent serves this test only).
    let (code, _) = http(agent.port, "GET", "/test/session/start", &[], b"").unwrap();
    assert_eq!(code, 200);
    let gateway = prom::pushgateway(0);

    // One pipeline, three sinks.
    let memory = MemorySink::new();
    let apm = DatadogApmSink::builder("telemetra-e2e-axum")
        .env("test")
        .version("0.0.1")
        .agent_url(format!("http://127.0.0.1:{}", agent.port))
        .build()
        .unwrap();
    let push = PushgatewaySink::builder(gateway.base_url())
        .job(JOB)
        .grouping_label("instance", "e2e-1")
        .build()
        .unwrap();
    let telemetry = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .sink(memory.clone())
            .sink(apm)
            .sink(push)
            .build()
            .unwrap(),
    )
    .unwrap();
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(TelemetraLayer::new(&telemetry)),
    )
    .unwrap();
    telemetra::integrations::metrics::install(&telemetry).unwrap();

    // Two services on one multi-thread runtime (handlers may resume on either worker).
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener_a = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let listener_b = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr_a = listener_a.local_addr().unwrap();
    let addr_b = listener_b.local_addr().unwrap();
    let seen_a = Arc::new(Mutex::new(Vec::new()));
    let seen_b = Arc::new(Mutex::new(Vec::new()));
    let app_a = Router::new()
        .route(ROUTE_A, get(handle_a))
        .with_state(AState {
            client: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
            b_base: format!("http://{addr_b}"),
            seen: seen_a.clone(),
        })
        .layer(http_layer(&telemetry));
    let app_b = Router::new()
        .route(ROUTE_B, get(handle_b))
        .with_state(seen_b.clone())
        .layer(http_layer(&telemetry));
    rt.spawn(async move {
        let _ = axum::serve(listener_a, app_a).await;
    });
    rt.spawn(async move {
        let _ = axum::serve(listener_b, app_b).await;
    });

    // The caller: REQUESTS calls, each from its own span of one trace.
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    for i in 0..REQUESTS {
        let traceparent = format!("00-{TRACE_ID}-{:016x}-01", CALLER_SPAN + i);
        let resp = client
            .get(format!("http://{addr_a}/checkout/{}", 8810 + i))
            .header("traceparent", traceparent)
            .send()
            .unwrap();
        let status = resp.status();
        let body = resp.text().unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body,
            format!("order {}: sku-{} in stock", 8810 + i, 8810 + i)
        );
    }
    telemetry.flush(LIMIT).unwrap();

    let trace_id = TraceId::from_hex(TRACE_ID).unwrap();
    let seen_a = seen_a.lock().unwrap().clone();
    let seen_b = seen_b.lock().unwrap().clone();
    assert_eq!(seen_a.len(), REQUESTS as usize, "{seen_a:?}");
    assert_eq!(seen_b.len(), REQUESTS as usize, "{seen_b:?}");

    // (A's server span, the instrumented child, B's server span) per request, by ids.
    let mut expected: Vec<(u64, u64, u64, u64)> = Vec::new(); // (caller, A, child, B)
    for i in 0..REQUESTS {
        let order = (8810 + i).to_string();
        let a = seen_a.iter().find(|s| s.order == order).unwrap();
        let b = seen_b
            .iter()
            .find(|s| s.sku == format!("sku-{order}"))
            .unwrap();
        let a_server = a.server.as_ref().expect("A's handler ran in a span");
        let at_call = a.at_call.as_ref().expect("a span was current at the call");
        let b_server = b.server.as_ref().expect("B's handler ran in a span");
        assert!(a.injected, "inject_current wrote nothing");
        for cx in [a_server, at_call, b_server] {
            assert_eq!(cx.trace_id, trace_id, "{a:?} {b:?}");
        }
        assert_ne!(
            at_call.span_id, a_server.span_id,
            "the child was not current"
        );
        let tp = b.traceparent.as_deref().unwrap();
        assert_eq!(
            tp,
            format!("00-{TRACE_ID}-{}-01", at_call.span_id),
            "B got the context current at the call"
        );
        expected.push((
            CALLER_SPAN + i,
            a_server.span_id.to_u64(),
            at_call.span_id.to_u64(),
            b_server.span_id.to_u64(),
        ));
    }

    // The agent: exactly one trace, the caller's, with every span where it belongs.
    let want_spans = 3 * REQUESTS as usize;
    let deadline = Instant::now() + LIMIT;
    let mut traces = agent_json(&agent, "/test/session/traces");
    while agent_spans(&traces).len() < want_spans && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        traces = agent_json(&agent, "/test/session/traces");
    }
    let spans = agent_spans(&traces);
    assert_eq!(spans.len(), want_spans, "{traces:#}\n{}", agent.log());
    let trace_ids: BTreeSet<u64> = spans
        .iter()
        .filter_map(|s| s["trace_id"].as_u64())
        .collect();
    assert_eq!(
        trace_ids,
        BTreeSet::from([trace_id.low64()]),
        "one trace, the caller's: {traces:#}"
    );
    assert_eq!(traces.as_array().unwrap().len(), 1, "{traces:#}");
    let high = format!("{:016x}", trace_id.high64());
    let by_id = |id: u64| {
        spans
            .iter()
            .find(|s| s["span_id"].as_u64() == Some(id))
            .unwrap_or_else(|| panic!("span {id:016x} not at the agent: {traces:#}"))
    };
    for &(caller, a, child, b) in &expected {
        let (a, child, b) = (by_id(a), by_id(child), by_id(b));
        assert_eq!(a["parent_id"].as_u64(), Some(caller), "{a}");
        assert_eq!(a["name"], "http.request", "{a}");
        assert_eq!(a["meta"]["http.route"], ROUTE_A, "{a}");
        assert_eq!(a["meta"]["http.method"], "GET", "{a}");
        assert_eq!(
            a["metrics"]["http.status_code"].as_f64(),
            Some(200.0),
            "{a}"
        );
        assert_eq!(child["parent_id"], a["span_id"], "{child}");
        assert_eq!(child["name"], "checkout", "{child}");
        assert_eq!(b["parent_id"], child["span_id"], "{b}");
        assert_eq!(b["name"], "http.request", "{b}");
        assert_eq!(b["meta"]["http.route"], ROUTE_B, "{b}");
        assert_eq!(
            b["metrics"]["http.status_code"].as_f64(),
            Some(200.0),
            "{b}"
        );
        for s in [a, child, b] {
            assert_eq!(s["error"].as_i64(), Some(0), "{s}");
            assert_eq!(s["meta"]["_dd.p.tid"].as_str(), Some(high.as_str()), "{s}");
            assert_eq!(s["service"], "telemetra-e2e-axum", "{s}");
        }
    }
    let child_user = by_id(expected[0].2)["meta"]["user"].clone();

    // No trace of the address in anything the agent received: stored spans, raw
    // request bodies and headers.
    let requests = agent_json(&agent, "/test/session/requests");
    let requests = requests.as_array().unwrap();
    assert!(!requests.is_empty());
    let mut raw = String::new();
    for r in requests {
        raw.push_str(&r["headers"].to_string());
        raw.push_str(&r["url"].to_string());
        raw.push_str(&String::from_utf8_lossy(&base64_decode(
            r["body"].as_str().unwrap_or_default(),
        )));
    }
    assert!(
        raw.contains("\"checkout\""),
        "request bodies were not decoded: {raw}"
    );
    for haystack in [traces.to_string(), raw] {
        for needle in [USER, "ann.lee", "example.com"] {
            assert!(
                !haystack.to_ascii_lowercase().contains(needle),
                "{needle} reached the agent: {haystack}"
            );
        }
    }

    // The same pipeline's MemorySink: the event arrived, joined to the child, scrubbed.
    let events = memory.events();
    let started_events: Vec<_> = events
        .iter()
        .filter(|e| e.message.as_deref() == Some("checkout started"))
        .collect();
    assert_eq!(started_events.len(), REQUESTS as usize, "{events:?}");
    for e in &started_events {
        assert_eq!(e.trace_id, Some(trace_id));
        assert!(
            expected
                .iter()
                .any(|x| e.span_id.map(|s| s.to_u64()) == Some(x.2)),
            "event not linked to the child span: {e:?}"
        );
        assert!(!e.metadata.to_string().contains(USER), "{e:?}");
        assert!(e.metadata.get("user").is_some(), "{e:?}");
    }
    let child_attr = memory
        .spans()
        .iter()
        .find(|s| s.name == "checkout")
        .and_then(|s| s.attributes.iter().find(|(k, _)| k == "user").cloned());
    assert!(
        !matches!(&child_attr, Some((_, AttrValue::Str(v))) if v.contains(USER)),
        "{child_attr:?}"
    );

    // The gateway: the library's counter and both endpoints' request counts, exact.
    let deadline = Instant::now() + LIMIT;
    let want_a = [("endpoint", ROUTE_A), ("method", "GET"), ("status", "200")];
    let want_b = [("endpoint", ROUTE_B), ("method", "GET"), ("status", "200")];
    let n = REQUESTS as f64;
    let mut samples = parse_samples(&gateway_text(&client, &gateway));
    while Instant::now() < deadline && gateway_sum(&samples, "library_calls_total", &[]) != Some(n)
    {
        std::thread::sleep(Duration::from_millis(200));
        samples = parse_samples(&gateway_text(&client, &gateway));
    }
    let text = gateway_text(&client, &gateway);
    let library = gateway_sum(&samples, "library_calls_total", &[("instance", "e2e-1")]);
    let count_a = gateway_sum(&samples, "infra_http_request_count_total", &want_a);
    let count_b = gateway_sum(&samples, "infra_http_request_count_total", &want_b);
    let all_requests = gateway_sum(&samples, "infra_http_request_count_total", &[]);
    let latency_a = gateway_sum(
        &samples,
        "infra_http_request_latency_seconds_count",
        &want_a,
    );
    let latency_b = gateway_sum(
        &samples,
        "infra_http_request_latency_seconds_count",
        &want_b,
    );
    assert_eq!(library, Some(n), "{text}");
    assert_eq!(count_a, Some(n), "{text}");
    assert_eq!(count_b, Some(n), "{text}");
    assert_eq!(all_requests, Some(2.0 * n), "only 200s: {text}");
    assert_eq!(latency_a, Some(n), "{text}");
    assert_eq!(latency_b, Some(n), "{text}");

    rt.shutdown_timeout(Duration::from_secs(5));
    telemetry.shutdown(Duration::from_secs(10)).unwrap();
    eprintln!(
        "agent (ddapm-test-agent on 127.0.0.1:{}): 1 trace {trace_id}, {} spans; child span's user attribute = {child_user}",
        agent.port,
        spans.len()
    );
    for (caller, a, child, b) in &expected {
        eprintln!(
            "  caller {caller:016x} -> A http.request {a:016x} -> checkout {child:016x} -> B http.request {b:016x}"
        );
    }
    eprintln!(
        "pushgateway (127.0.0.1:{}): library_calls_total = {library:?}, infra_http_request_count_total{{endpoint=\"{ROUTE_A}\",status=\"200\"}} = {count_a:?}, {{endpoint=\"{ROUTE_B}\",status=\"200\"}} = {count_b:?}",
        gateway.port
    );
    eprintln!("e2e wall time: {:.2} s", started.elapsed().as_secs_f64());
    drop(gateway);
    drop(agent);
}
