//! The tower middleware continues the caller's trace, makes its server span current
//! for the handler, and counts and times every request — 2xx, 5xx, inner errors and
//! requests dropped before they finish — under a route template, never the raw path.
#![cfg(feature = "tower")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::future::{Future, Ready};
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use telemetra::integrations::tower::{HttpLayer, REQUEST_COUNT, REQUEST_LATENCY};
use telemetra::sinks::MemorySink;
use telemetra::trace::{current, SpanContext, Status};
use telemetra::{Config, Telemetry};
use tower_layer::Layer;
use tower_service::Service;

const T: Duration = Duration::from_secs(10);
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// Answers with the status in the `x-status` header (or fails with `x-fail`), and
/// notes the current context it ran in.
#[derive(Clone, Default)]
struct App {
    seen: Arc<Mutex<Vec<Option<SpanContext>>>>,
}

impl Service<http::Request<()>> for App {
    type Response = http::Response<()>;
    type Error = &'static str;
    type Future = Ready<Result<http::Response<()>, &'static str>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<()>) -> Self::Future {
        self.seen.lock().unwrap().push(current());
        if req.headers().contains_key("x-fail") {
            return std::future::ready(Err("boom"));
        }
        let status = req
            .headers()
            .get("x-status")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(200u16);
        let mut resp = http::Response::new(());
        *resp.status_mut() = http::StatusCode::from_u16(status).unwrap();
        std::future::ready(Ok(resp))
    }
}

struct Noop;
impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

fn run<F: Future>(f: F) -> F::Output {
    let waker = Waker::from(Arc::new(Noop));
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the test services are ready at once"),
    }
}

fn request(path: &str, headers: &[(&str, &str)]) -> http::Request<()> {
    let mut b = http::Request::builder().method("POST").uri(path);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(()).unwrap()
}

#[test]
fn requests_are_traced_counted_and_timed_by_route() {
    let sink = MemorySink::new();
    let t = Telemetry::start(Config::builder().sink(sink.clone()).build().unwrap()).unwrap();
    let app = App::default();
    let mut svc = HttpLayer::new(&t).layer(app.clone());

    let ok = run(svc.call(request("/users/8812", &[("traceparent", TRACEPARENT)]))).unwrap();
    assert_eq!(ok.status(), 200);
    run(svc.call(request("/users/9113", &[]))).unwrap();
    let unavailable = run(svc.call(request("/users/1", &[("x-status", "503")]))).unwrap();
    assert_eq!(unavailable.status(), 503);
    assert!(run(svc.call(request("/users/2", &[("x-fail", "1")]))).is_err());
    // A request dropped before it is polled to completion.
    drop(svc.call(request("/users/3", &[])));
    assert!(current().is_none(), "nothing stays current after a call");
    t.flush(T).unwrap();

    let snap = sink.last().unwrap();
    let tags = |status: &'static str| {
        [
            ("endpoint", "/users/:id"),
            ("method", "POST"),
            ("status", status),
        ]
    };
    assert_eq!(snap.counter(REQUEST_COUNT, &tags("200")), Some(2.0));
    assert_eq!(snap.counter(REQUEST_COUNT, &tags("503")), Some(1.0));
    assert_eq!(snap.counter(REQUEST_COUNT, &tags("500")), Some(1.0));
    assert_eq!(snap.counter(REQUEST_COUNT, &tags("499")), Some(1.0));
    assert_eq!(snap.timing(REQUEST_LATENCY, &tags("200")).unwrap().count, 2);
    assert!(
        snap.series
            .iter()
            .all(|s| !s.tags.iter().any(|t| t.value.contains("8812"))),
        "no raw path in any tag"
    );

    let spans = sink.spans();
    assert_eq!(spans.len(), 5);
    let first = spans
        .iter()
        .find(|s| s.context.trace_id.to_string() == "4bf92f3577b34da6a3ce929d0e0e4736")
        .expect("the first request continues the caller's trace");
    assert_eq!(
        first.parent_span_id.unwrap().to_string(),
        "00f067aa0ba902b7"
    );
    // The handler ran inside the server span.
    let seen = app.seen.lock().unwrap();
    assert_eq!(
        seen[0].as_ref().map(|c| c.span_id),
        Some(first.context.span_id)
    );
    let failed: Vec<_> = spans
        .iter()
        .filter(|s| matches!(&s.status, Status::Error { code } if code == "http_5xx"))
        .collect();
    assert_eq!(failed.len(), 2, "503 and the inner error fail their spans");
    t.shutdown(T).unwrap();
}

#[test]
fn a_router_template_is_used_when_given() {
    let sink = MemorySink::new();
    let t = Telemetry::start(Config::builder().sink(sink.clone()).build().unwrap()).unwrap();
    let mut svc = HttpLayer::new(&t)
        .endpoint(|_, uri, _| {
            uri.path()
                .starts_with("/t/")
                .then(|| "/t/{tenant}".to_owned())
        })
        .layer(App::default());
    run(svc.call(request("/t/acme", &[]))).unwrap();
    t.flush(T).unwrap();
    let snap = sink.last().unwrap();
    assert_eq!(
        snap.counter(
            REQUEST_COUNT,
            &[
                ("endpoint", "/t/{tenant}"),
                ("method", "POST"),
                ("status", "200")
            ]
        ),
        Some(1.0)
    );
    t.shutdown(T).unwrap();
}
