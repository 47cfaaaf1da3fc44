//! HTTP server middleware for any [`tower`](https://docs.rs/tower) stack — axum, tonic,
//! hyper with tower — (feature `tower`).
//!
//! [`HttpLayer`] wraps a service of `http::Request`s. Per request it:
//! - continues the caller's trace from `traceparent` (or `x-trace-id`), or starts one,
//!   in a server span `http.request` with attributes `http.method` and `http.route`;
//!   the span is the [current context](crate::trace::current()) while the inner
//!   service runs, so spans, events and outgoing requests made there join it;
//! - times the request into `infra.http.request.latency_ms` and counts it in
//!   `infra.http.request.count`, both tagged `endpoint`, `method` and `status`;
//! - marks `5xx` responses (and errors from the inner service, counted as status
//!   `500`) as failed spans with error code `http_5xx`; a request whose future is
//!   dropped before it completes is counted with status `499`.
//!
//! **`endpoint` is a route template, never the raw path**, so that `/users/8812` and
//! `/users/9113` are one series. Give the router's template with
//! [`HttpLayer::endpoint`] (with axum: `MatchedPath` from the request's extensions);
//! without one, [`route_template`] replaces path segments that look like ids (numbers,
//! UUIDs, long hex or mixed letter-digit tokens) with `:id`.
//!
//! ```
//! use telemetra::integrations::tower::HttpLayer;
//! use tower_layer::Layer;
//! # use std::task::{Context, Poll};
//! # #[derive(Clone)] struct App;
//! # impl tower_service::Service<http::Request<()>> for App {
//! #     type Response = http::Response<()>;
//! #     type Error = std::convert::Infallible;
//! #     type Future = std::future::Ready<Result<http::Response<()>, std::convert::Infallible>>;
//! #     fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> { Poll::Ready(Ok(())) }
//! #     fn call(&mut self, _: http::Request<()>) -> Self::Future { std::future::ready(Ok(http::Response::new(()))) }
//! # }
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let telemetry = telemetra::Telemetry::start(telemetra::Config::builder().build()?)?;
//! let service = HttpLayer::new(&telemetry).layer(App);
//! # let _ = service;
//! # Ok(()) }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::trace::Span;
use crate::Telemetry;

/// The request counter.
pub const REQUEST_COUNT: &str = "infra.http.request.count";
/// The request timing (milliseconds).
pub const REQUEST_LATENCY: &str = "infra.http.request.latency_ms";
/// The server span's name.
pub const SPAN_NAME: &str = "http.request";

/// Picks a request's route template (the `endpoint` tag); `None` falls back to
/// [`route_template`] of the path.
pub type EndpointFn =
    Arc<dyn Fn(&http::Method, &http::Uri, &http::Extensions) -> Option<String> + Send + Sync>;

/// A [`tower_layer::Layer`] adding telemetra's HTTP server telemetry; see the
/// [module docs](self).
#[derive(Clone)]
pub struct HttpLayer {
    telemetry: Telemetry,
    endpoint: Option<EndpointFn>,
}

impl std::fmt::Debug for HttpLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpLayer")
            .field("endpoint", &self.endpoint.is_some())
            .finish_non_exhaustive()
    }
}

impl HttpLayer {
    /// Middleware emitting into `telemetry`.
    #[must_use]
    pub fn new(telemetry: &Telemetry) -> Self {
        HttpLayer {
            telemetry: telemetry.clone(),
            endpoint: None,
        }
    }

    /// How to find a request's route template, e.g. axum's `MatchedPath`:
    ///
    /// ```text
    /// HttpLayer::new(&telemetry).endpoint(|_, _, ext| {
    ///     ext.get::<axum::extract::MatchedPath>().map(|p| p.as_str().to_owned())
    /// })
    /// ```
    #[must_use]
    pub fn endpoint(
        mut self,
        f: impl Fn(&http::Method, &http::Uri, &http::Extensions) -> Option<String>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        self.endpoint = Some(Arc::new(f));
        self
    }
}

impl<S> tower_layer::Layer<S> for HttpLayer {
    type Service = HttpService<S>;

    fn layer(&self, inner: S) -> HttpService<S> {
        HttpService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`HttpLayer`] makes.
#[derive(Clone, Debug)]
pub struct HttpService<S> {
    inner: S,
    layer: HttpLayer,
}

impl<S, B, RB> tower_service::Service<http::Request<B>> for HttpService<S>
where
    S: tower_service::Service<http::Request<B>, Response = http::Response<RB>>,
{
    type Response = http::Response<RB>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let start = crate::clock::Stamp::now();
        let endpoint = self
            .layer
            .endpoint
            .as_ref()
            .and_then(|f| f(req.method(), req.uri(), req.extensions()))
            .unwrap_or_else(|| route_template(req.uri().path()));
        let method = req.method().as_str().to_owned();
        let mut span = self
            .layer
            .telemetry
            .tracer()
            .span_from_headers(req.headers(), SPAN_NAME);
        span.set_attribute("http.method", method.clone());
        span.set_attribute("http.route", endpoint.clone());
        let inner = {
            let _in = span.enter();
            self.inner.call(req)
        };
        ResponseFuture {
            inner: Box::pin(inner),
            done: Some(Done {
                telemetry: self.layer.telemetry.clone(),
                span,
                endpoint,
                method,
                start,
            }),
        }
    }
}

/// What a request's end needs.
struct Done {
    telemetry: Telemetry,
    span: Span,
    endpoint: String,
    method: String,
    start: crate::clock::Stamp,
}

impl Done {
    fn finish(mut self, status: u16) {
        let status_text = status.to_string();
        let tags = [
            ("endpoint", self.endpoint.as_str()),
            ("method", self.method.as_str()),
            ("status", status_text.as_str()),
        ];
        self.telemetry
            .timing(REQUEST_LATENCY, self.start.elapsed(), &tags);
        self.telemetry.incr(REQUEST_COUNT, &tags);
        self.span
            .set_attribute("http.status_code", i64::from(status));
        if status >= 500 {
            self.span.set_error("http_5xx");
        }
        self.span.end();
    }
}

/// The future of an [`HttpService`] call. The inner future is boxed once per request,
/// which keeps the crate free of `unsafe` pin projection.
pub struct ResponseFuture<F> {
    inner: Pin<Box<F>>,
    done: Option<Done>,
}

impl<F> std::fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<F> Drop for ResponseFuture<F> {
    /// A request dropped before its response (the client went away, a timeout layer
    /// gave up) is still counted and timed, with status `499` (nginx's "client closed
    /// request"; not an error).
    fn drop(&mut self) {
        if let Some(done) = self.done.take() {
            done.finish(499);
        }
    }
}

impl<F, RB, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<http::Response<RB>, E>>,
{
    type Output = Result<http::Response<RB>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let out = {
            let _in = this.done.as_ref().map(|d| d.span.enter());
            match this.inner.as_mut().poll(cx) {
                Poll::Ready(out) => out,
                Poll::Pending => return Poll::Pending,
            }
        };
        if let Some(done) = this.done.take() {
            let status = match &out {
                Ok(resp) => resp.status().as_u16(),
                Err(_) => 500,
            };
            done.finish(status);
        }
        Poll::Ready(out)
    }
}

/// A path with its id-like segments replaced by `:id`: decimal numbers, UUIDs, hex
/// strings of 8 or more characters, and tokens of 16 or more characters mixing letters
/// and digits. Query strings never reach it (`Uri::path`).
///
/// ```
/// use telemetra::integrations::tower::route_template;
/// assert_eq!(route_template("/users/8812/orders"), "/users/:id/orders");
/// assert_eq!(
///     route_template("/files/3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
///     "/files/:id"
/// );
/// assert_eq!(route_template("/v1/health"), "/v1/health");
/// ```
#[must_use]
pub fn route_template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(if looks_like_id(seg) { ":id" } else { seg });
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

fn looks_like_id(seg: &str) -> bool {
    if seg.is_empty() {
        return false;
    }
    let digits = seg.bytes().filter(u8::is_ascii_digit).count();
    if digits == seg.len() {
        return true;
    }
    let hex = seg.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    if hex && seg.len() >= 8 && digits > 0 {
        return true;
    }
    let alnum = seg
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    alnum && seg.len() >= 16 && digits > 0 && digits < seg.len()
}
