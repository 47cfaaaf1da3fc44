//! Prometheus pull: a `/metrics` body for any HTTP framework, and a small built-in
//! listener (feature `scrape-server`).
//!
//! A scrape reads the live aggregate ([`Telemetry::collect_now`](crate::Telemetry::collect_now)), not the last
//! published snapshot, and reaches no sink, so delta sinks' cursors are untouched.
//! Text format 0.0.4 and OpenMetrics 1.0 are chosen by the `Accept` header as
//! Prometheus sends it ([`ScrapeFormat::negotiate`]).
//!
//! Bucket counts are exact at the rendered `le` bounds when the pipeline was told to
//! count them: pass [`exact_bounds`] of the same [`RenderOptions`] to
//! [`ConfigBuilder::exact_timing_bounds`](crate::ConfigBuilder::exact_timing_bounds).
//!
//! ```no_run
//! # fn main() -> Result<(), telemetra::Error> {
//! use std::time::Duration;
//! use telemetra::sinks::prometheus::{exact_bounds, scrape, RenderOptions};
//! use telemetra::{Config, Telemetry};
//!
//! let options = RenderOptions::default();
//! let t = Telemetry::start(
//!     Config::builder()
//!         .exact_timing_bounds(exact_bounds(&options))
//!         .build()?,
//! )?;
//! t.incr("http.requests", &[("route", "/pay")]);
//! // In a handler for GET /metrics, with the request's Accept header:
//! let s = scrape(&t, &options, Some("application/openmetrics-text"), Duration::from_secs(5))?;
//! assert_eq!(s.content_type(), "application/openmetrics-text; version=1.0.0; charset=utf-8");
//! assert!(s.body.contains("http_requests_total{route=\"/pay\"} 1"));
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::Duration;

use super::text::{render_as, RenderOptions};
use crate::catalog::Catalog;
use crate::snapshot::Snapshot;
use crate::{Error, TimingBound};

/// What a scrape reads: the live aggregate and the metric catalog.
/// [`Telemetry`](crate::Telemetry) implements it; the scrape takes this trait rather
/// than the handle so that sinks stay below the handle in the crate's layers
/// (`docs/architecture.md`), and so that a test can serve a fixed snapshot.
pub trait Collect {
    /// The aggregate now (see [`Telemetry::collect_now`](crate::Telemetry::collect_now)).
    ///
    /// # Errors
    /// When the aggregate cannot be read in `timeout`.
    fn collect_now(&self, timeout: Duration) -> Result<Arc<Snapshot>, Error>;

    /// The catalog giving `# HELP` lines, if any.
    fn catalog(&self) -> Option<Arc<Catalog>> {
        None
    }
}

/// A scrape's exposition format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScrapeFormat {
    /// The text format 0.0.4 (`text/plain; version=0.0.4`).
    Text,
    /// OpenMetrics 1.0 text (`application/openmetrics-text; version=1.0.0`).
    OpenMetrics,
}

impl ScrapeFormat {
    /// The format for a request's `Accept` header: OpenMetrics when the header accepts
    /// `application/openmetrics-text` (version 1.0.0 or unversioned) with a quality
    /// at least that of any text format it also accepts, else text 0.0.4. Absent or
    /// unparsable headers get text 0.0.4, which every scraper reads.
    pub fn negotiate(accept: Option<&str>) -> ScrapeFormat {
        let Some(accept) = accept else {
            return ScrapeFormat::Text;
        };
        let (mut om, mut text) = (None::<f64>, None::<f64>);
        for range in accept.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default().to_ascii_lowercase();
            let mut q = 1.0;
            let mut version = None;
            for p in parts {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                match k.trim().to_ascii_lowercase().as_str() {
                    "q" => q = v.trim().parse().unwrap_or(0.0),
                    "version" => version = Some(v.trim().to_owned()),
                    _ => {}
                }
            }
            let best = |slot: &mut Option<f64>| *slot = Some(slot.map_or(q, |b| b.max(q)));
            match media.as_str() {
                "application/openmetrics-text"
                    if version.as_deref().is_none_or(|v| v.starts_with("1.0")) =>
                {
                    best(&mut om);
                }
                "text/plain" | "text/*" | "*/*" => best(&mut text),
                _ => {}
            }
        }
        match (om, text) {
            (Some(o), t) if o > 0.0 && o >= t.unwrap_or(0.0) => ScrapeFormat::OpenMetrics,
            _ => ScrapeFormat::Text,
        }
    }

    /// The `Content-Type` of a response in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ScrapeFormat::Text => "text/plain; version=0.0.4; charset=utf-8",
            ScrapeFormat::OpenMetrics => {
                "application/openmetrics-text; version=1.0.0; charset=utf-8"
            }
        }
    }
}

/// A rendered scrape: the response body and its format.
#[derive(Debug, Clone)]
pub struct Scrape {
    /// The format the body is in.
    pub format: ScrapeFormat,
    /// The exposition.
    pub body: String,
}

impl Scrape {
    /// The response's `Content-Type`.
    pub fn content_type(&self) -> &'static str {
        self.format.content_type()
    }
}

/// The `le` bounds of `options` as the pipeline's exact timing bounds (Prometheus
/// counts `value <= le`), for
/// [`ConfigBuilder::exact_timing_bounds`](crate::ConfigBuilder::exact_timing_bounds).
pub fn exact_bounds(options: &RenderOptions) -> Vec<TimingBound> {
    options
        .buckets_ms
        .iter()
        .map(|&ms| TimingBound::AtMostMs(ms))
        .collect()
}

/// Renders the live aggregate for a scrape whose `Accept` header is `accept`.
///
/// # Errors
/// As [`Telemetry::collect_now`](crate::Telemetry::collect_now).
pub fn scrape(
    telemetry: &(impl Collect + ?Sized),
    options: &RenderOptions,
    accept: Option<&str>,
    timeout: Duration,
) -> Result<Scrape, Error> {
    let snapshot = telemetry.collect_now(timeout)?;
    let format = ScrapeFormat::negotiate(accept);
    let catalog = telemetry.catalog();
    let om = format == ScrapeFormat::OpenMetrics;
    let body = render_as(&snapshot, options, om, catalog.as_deref());
    Ok(Scrape { format, body })
}

#[cfg(feature = "scrape-server")]
pub use server::ScrapeServer;

#[cfg(feature = "scrape-server")]
mod server {
    use std::net::{SocketAddr, ToSocketAddrs};
    use std::sync::Arc;
    use std::thread::JoinHandle;
    use std::time::Duration;

    use super::{scrape, Collect, RenderOptions};
    use crate::Error;

    /// How long a scrape waits for the flusher.
    const SCRAPE_TIMEOUT: Duration = Duration::from_secs(10);

    /// A listener thread answering `GET /metrics` (any query string) with a scrape of
    /// one pipeline; 404 for other paths, 405 for other methods, 503 when the
    /// pipeline cannot be read (shut down, or the flusher did not answer in 10 s).
    /// Built on `tiny_http`. Stops when dropped or [`stop`](Self::stop)ped.
    pub struct ScrapeServer {
        addr: SocketAddr,
        server: Arc<tiny_http::Server>,
        thread: Option<JoinHandle<()>>,
    }

    impl std::fmt::Debug for ScrapeServer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("ScrapeServer")
                .field("addr", &self.addr)
                .finish_non_exhaustive()
        }
    }

    impl ScrapeServer {
        /// Listens on `addr` (port 0 picks a free port; see
        /// [`local_addr`](Self::local_addr)) and serves `telemetry` rendered with
        /// `options`.
        ///
        /// # Errors
        /// [`Error::Config`] (field `scrape_server`) when `addr` cannot be bound;
        /// [`Error::Spawn`] when the thread cannot start.
        pub fn start<T: Collect + Clone + Send + 'static>(
            telemetry: &T,
            addr: impl ToSocketAddrs,
            options: RenderOptions,
        ) -> Result<ScrapeServer, Error> {
            let bind_err = |reason: String| Error::Config {
                field: "scrape_server",
                reason,
            };
            let addr = addr
                .to_socket_addrs()
                .map_err(|e| bind_err(format!("address does not resolve: {e}")))?
                .next()
                .ok_or_else(|| bind_err("address does not resolve".to_owned()))?;
            let server = tiny_http::Server::http(addr)
                .map_err(|e| bind_err(format!("cannot listen on {addr}: {e}")))?;
            let addr = server
                .server_addr()
                .to_ip()
                .ok_or_else(|| bind_err("not an IP listener".to_owned()))?;
            let server = Arc::new(server);
            let (srv, t) = (Arc::clone(&server), telemetry.clone());
            let thread = std::thread::Builder::new()
                .name("telemetra-scrape".to_owned())
                .spawn(move || serve(&srv, &t, &options))
                .map_err(|source| Error::Spawn {
                    what: "scrape server".to_owned(),
                    source,
                })?;
            Ok(ScrapeServer {
                addr,
                server,
                thread: Some(thread),
            })
        }

        /// The address listened on.
        pub fn local_addr(&self) -> SocketAddr {
            self.addr
        }

        /// Stops listening and joins the thread.
        pub fn stop(mut self) {
            self.halt();
        }

        fn halt(&mut self) {
            self.server.unblock();
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }

    impl Drop for ScrapeServer {
        fn drop(&mut self) {
            self.halt();
        }
    }

    fn serve(server: &tiny_http::Server, t: &impl Collect, options: &RenderOptions) {
        for req in server.incoming_requests() {
            let path = req.url().split('?').next().unwrap_or_default();
            let reply = if path != "/metrics" {
                text(404, "not found; scrape /metrics\n".to_owned())
            } else if *req.method() != tiny_http::Method::Get {
                text(405, "use GET\n".to_owned())
            } else {
                let accept = req
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Accept"))
                    .map(|h| h.value.as_str().to_owned());
                match scrape(t, options, accept.as_deref(), SCRAPE_TIMEOUT) {
                    Ok(s) => {
                        let ct = s.content_type();
                        let mut r = tiny_http::Response::from_string(s.body);
                        if let Ok(h) = tiny_http::Header::from_bytes("Content-Type", ct) {
                            r.add_header(h);
                        }
                        r
                    }
                    Err(e) => text(503, format!("{e}\n")),
                }
            };
            // A client that went away is its own problem.
            let _ = req.respond(reply);
        }
    }

    fn text(status: u16, body: String) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
        tiny_http::Response::from_string(body).with_status_code(status)
    }
}
