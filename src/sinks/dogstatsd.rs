//! DogStatsD sink: the snapshot deltas as DogStatsD datagrams to a local Datadog Agent.
//!
//! Aggregation happens here, not in the Agent: every export sends one line per changed
//! series and kind (plus the samples of a timing), packed into as few datagrams as the
//! size budget allows.
//!
//! * Counters: `name:<increase since the last export>|c|#tags`.
//! * Gauges: `name:<value>|g|#tags`, only when set since the last export.
//! * Timings: the values recorded since the last export, as `|ms` lines (or `|d` with
//!   [`DogStatsdBuilder::distributions`]). A delta of `n` values is sent as at most
//!   `N` lines ([`DogStatsdBuilder::timing_samples`], default 32):
//!   - `n <= N`: one line per recorded value (to the histogram's precision), no rate;
//!   - `n > N`: `N` lines whose values are the delta's quantiles at `(i + 0.5) / N`
//!     (`i = 0..N`), each with `|@<N/n>`. The Agent scales each sample by `1/rate`, so
//!     it counts exactly `n` values and its average and percentiles follow the
//!     distribution's; only the extremes are softened (its `.max` is the
//!     `(N - 0.5) / N` quantile).
//!
//! Lines are joined with `\n` into datagrams of at most
//! [`max_packet_size`](DogStatsdBuilder::max_packet_size) bytes (1432 over UDP, 8192 over
//! a Unix socket); a line is never split. A line longer than the budget goes alone if it
//! fits the Agent's 8192-byte buffer and is dropped and counted otherwise
//! ([`DogStatsdSink::oversize_dropped`]).
//!
//! Delivery: a send error (over UDP typically `ECONNREFUSED` when no Agent listens)
//! fails the export and keeps the cursor, so the next export carries the missed
//! increments. Series whose lines all went out before the failing datagram are
//! remembered as delivered and not resent. UDP itself gives no receipt: a datagram
//! the kernel accepted may still be lost.

use std::fmt::{self, Write as _};
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
#[cfg(unix)]
use std::os::unix::net::UnixDatagram;
#[cfg(unix)]
use std::path::PathBuf;

use super::cursor::{PartialCursor, PendingDelta};
use super::dd_names;
use super::{DeltaValue, Export, Sink, SinkError};
use crate::snapshot::Distribution;
use crate::tags::{Str, Tag};
use crate::Error;

/// The default Agent address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8125";
/// The default datagram budget over UDP (Datadog's clients use 1432).
pub const DEFAULT_UDP_PACKET: usize = 1432;
/// The default datagram budget over a Unix socket.
pub const DEFAULT_UDS_PACKET: usize = 8192;
/// The Agent's receive buffer (`dogstatsd_buffer_size`): longer datagrams are cut.
const AGENT_BUFFER: usize = 8192;
/// The largest UDP payload over IPv4.
const MAX_UDP_PAYLOAD: usize = 65_467;

#[derive(Debug, Clone)]
enum Target {
    Udp(String),
    #[cfg(unix)]
    Unix(PathBuf),
}

/// Configures a [`DogStatsdSink`].
#[derive(Debug, Clone)]
pub struct DogStatsdBuilder {
    target: Target,
    max_packet_size: Option<usize>,
    timing_samples: usize,
    distributions: bool,
    tags: Vec<Tag>,
    name: String,
}

impl DogStatsdBuilder {
    /// Sends to the Agent's UDP port at `addr` (`host:port`).
    ///
    /// Defaults to `127.0.0.1:8125`.
    pub fn udp(mut self, addr: impl Into<String>) -> Self {
        self.target = Target::Udp(addr.into());
        self
    }

    /// Sends to the Agent's Unix datagram socket at `path` instead of UDP.
    ///
    /// Defaults to UDP.
    #[cfg(unix)]
    pub fn unix_socket(mut self, path: impl Into<PathBuf>) -> Self {
        self.target = Target::Unix(path.into());
        self
    }

    /// The largest datagram to send, in bytes (between 64 and 65467).
    ///
    /// Defaults to 1432 over UDP and 8192 over a Unix socket.
    pub fn max_packet_size(mut self, bytes: usize) -> Self {
        self.max_packet_size = Some(bytes);
        self
    }

    /// The most lines sent per timing series and export (at least 1); above that the
    /// values are sampled with a rate (see the module docs).
    ///
    /// Defaults to 32.
    pub fn timing_samples(mut self, n: usize) -> Self {
        self.timing_samples = n;
        self
    }

    /// Sends timings as Datadog distributions (`|d`) instead of timers (`|ms`).
    ///
    /// Defaults to `false` (`|ms`, aggregated by the Agent into `.avg`, `.count`,
    /// `.max`, `.median`, `.95percentile`).
    pub fn distributions(mut self, enabled: bool) -> Self {
        self.distributions = enabled;
        self
    }

    /// Adds a tag to every line (`env`, `service`, …).
    ///
    /// Defaults to no extra tags.
    pub fn tag(mut self, key: impl Into<Str>, value: impl Into<Str>) -> Self {
        self.tags.push(Tag::new(key, value));
        self
    }

    /// The sink's name in self-metrics and errors.
    ///
    /// Defaults to `dogstatsd`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Validates the settings and opens the socket (nothing is sent).
    pub fn build(self) -> Result<DogStatsdSink, Error> {
        if self.timing_samples == 0 {
            return Err(Error::config("timing_samples", "must be at least 1"));
        }
        let (socket, default_packet) = match &self.target {
            Target::Udp(addr) => (Socket::udp(addr)?, DEFAULT_UDP_PACKET),
            #[cfg(unix)]
            Target::Unix(path) => {
                let s = UnixDatagram::unbound().map_err(|e| {
                    Error::config("unix_socket", format!("cannot create a socket: {e}"))
                })?;
                (Socket::Unix(s, path.clone()), DEFAULT_UDS_PACKET)
            }
        };
        let max_packet = self.max_packet_size.unwrap_or(default_packet);
        if !(64..=MAX_UDP_PAYLOAD).contains(&max_packet) {
            return Err(Error::config(
                "max_packet_size",
                format!("must be between 64 and {MAX_UDP_PAYLOAD} bytes, got {max_packet}"),
            ));
        }
        Ok(DogStatsdSink {
            name: self.name,
            socket,
            encoder: Encoder {
                max_packet,
                timing_samples: self.timing_samples,
                timing_type: if self.distributions { "d" } else { "ms" },
                extra_tags: self.tags.iter().map(dd_names::tag).collect(),
            },
            cursor: PartialCursor::default(),
            oversize_dropped: 0,
        })
    }
}

enum Socket {
    Udp(UdpSocket),
    #[cfg(unix)]
    Unix(UnixDatagram, PathBuf),
}

impl fmt::Debug for Socket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Socket::Udp(s) => write!(f, "Udp({:?})", s.peer_addr().ok()),
            #[cfg(unix)]
            Socket::Unix(_, p) => write!(f, "Unix({p:?})"),
        }
    }
}

impl Socket {
    fn udp(addr: &str) -> Result<Socket, Error> {
        let target: SocketAddr = addr
            .to_socket_addrs()
            .map_err(|e| Error::config("udp", format!("cannot resolve `{addr}`: {e}")))?
            .next()
            .ok_or_else(|| Error::config("udp", format!("`{addr}` resolves to no address")))?;
        let local: SocketAddr = if target.is_ipv4() {
            ([0, 0, 0, 0], 0).into()
        } else {
            ([0u16; 8], 0).into()
        };
        let s = UdpSocket::bind(local)
            .map_err(|e| Error::config("udp", format!("cannot bind a local socket: {e}")))?;
        // Connected: a missing Agent surfaces as ECONNREFUSED on a later send, which
        // keeps the data for the next export instead of losing it silently.
        s.connect(target)
            .map_err(|e| Error::config("udp", format!("cannot connect to `{addr}`: {e}")))?;
        Ok(Socket::Udp(s))
    }

    fn send(&self, datagram: &[u8]) -> std::io::Result<()> {
        let sent = match self {
            Socket::Udp(s) => s.send(datagram)?,
            #[cfg(unix)]
            Socket::Unix(s, path) => s.send_to(datagram, path)?,
        };
        if sent == datagram.len() {
            Ok(())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::WriteZero,
                "datagram truncated",
            ))
        }
    }
}

/// Sends snapshot deltas to a DogStatsD Agent (see the module docs).
///
/// ```
/// # fn main() -> Result<(), telemetra::Error> {
/// use telemetra::sinks::dogstatsd::DogStatsdSink;
///
/// let sink = DogStatsdSink::builder()
///     .udp("127.0.0.1:8125")
///     .tag("env", "prod")
///     .build()?;
/// let config = telemetra::Config::builder().sink(sink).build()?;
/// # drop(config);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct DogStatsdSink {
    name: String,
    socket: Socket,
    encoder: Encoder,
    cursor: PartialCursor,
    oversize_dropped: u64,
}

impl DogStatsdSink {
    /// Starts configuring a sink; see [`DogStatsdBuilder`].
    pub fn builder() -> DogStatsdBuilder {
        DogStatsdBuilder {
            target: Target::Udp(DEFAULT_ADDR.to_owned()),
            max_packet_size: None,
            timing_samples: 32,
            distributions: false,
            tags: Vec::new(),
            name: "dogstatsd".to_owned(),
        }
    }

    /// Lines dropped because they did not fit the Agent's 8192-byte buffer.
    pub fn oversize_dropped(&self) -> u64 {
        self.oversize_dropped
    }

    /// The datagrams one export would send, without sending them (for tests and
    /// tools; it does not move the sink's delivery state).
    pub fn encode(&self, export: &Export<'_>) -> Vec<String> {
        let pending = self.cursor.changed(export);
        let lines = self.encoder.lines(&pending);
        self.encoder
            .pack(&lines)
            .0
            .into_iter()
            .map(|d| d.text)
            .collect()
    }
}

impl Sink for DogStatsdSink {
    fn name(&self) -> &str {
        &self.name
    }

    fn export(&mut self, export: &Export<'_>) -> Result<(), SinkError> {
        let pending = self.cursor.changed(export);
        let lines = self.encoder.lines(&pending);
        let (datagrams, dropped) = self.encoder.pack(&lines);
        self.oversize_dropped += dropped;
        for (i, d) in datagrams.iter().enumerate() {
            if let Err(e) = self.socket.send(d.text.as_bytes()) {
                // Series whose lines all left before this datagram are delivered.
                let mut last = vec![None::<usize>; pending.len()];
                for (j, d) in datagrams.iter().enumerate() {
                    for &p in &d.series {
                        if let Some(slot) = last.get_mut(p) {
                            *slot = Some(j);
                        }
                    }
                }
                let done = pending
                    .iter()
                    .zip(&last)
                    .filter(|(_, l)| l.is_none_or(|l| l < i))
                    .map(|(p, _)| p.delta.series);
                self.cursor.ack(export, done);
                return Err(SinkError::new(format!(
                    "dogstatsd send failed after {i} of {} datagrams: {e}",
                    datagrams.len()
                )));
            }
        }
        self.cursor.reset();
        Ok(())
    }
}

/// One encoded line and the position of its series in the pending list.
#[derive(Debug)]
struct Line {
    series: usize,
    text: String,
}

#[derive(Debug)]
struct Datagram {
    text: String,
    /// Positions (in the pending list) of the series with lines in this datagram.
    series: Vec<usize>,
}

#[derive(Debug)]
struct Encoder {
    max_packet: usize,
    timing_samples: usize,
    timing_type: &'static str,
    extra_tags: Vec<String>,
}

impl Encoder {
    fn lines(&self, pending: &[PendingDelta<'_>]) -> Vec<Line> {
        let mut out = Vec::new();
        for (pos, p) in pending.iter().enumerate() {
            let s = p.delta.series;
            let name = dd_names::metric_name(&s.name);
            let mut tags: Vec<String> = s.tags.iter().map(dd_names::tag).collect();
            tags.extend(self.extra_tags.iter().cloned());
            let tail = if tags.is_empty() {
                String::new()
            } else {
                format!("|#{}", tags.join(","))
            };
            let mut push = |value: f64, kind: &str, rate: Option<f64>| {
                let Some(v) = number(value) else { return };
                let mut text = format!("{name}:{v}|{kind}");
                if let Some(r) = rate.and_then(number) {
                    let _ = write!(text, "|@{r}");
                }
                text.push_str(&tail);
                out.push(Line { series: pos, text });
            };
            match &p.delta.value {
                DeltaValue::Counter(d) => push(*d, "c", None),
                DeltaValue::Gauge(g) => push(*g, "g", None),
                DeltaValue::Timing(d) => {
                    let (values, rate) = timing_samples(d, self.timing_samples);
                    for v in values {
                        push(v, self.timing_type, rate);
                    }
                }
            }
        }
        out
    }

    /// Packs lines into datagrams; returns them and how many lines were dropped.
    fn pack(&self, lines: &[Line]) -> (Vec<Datagram>, u64) {
        let mut out: Vec<Datagram> = Vec::new();
        let mut cur = Datagram {
            text: String::new(),
            series: Vec::new(),
        };
        let mut dropped = 0;
        for line in lines {
            let len = line.text.len();
            if len > self.max_packet {
                if len <= AGENT_BUFFER.max(self.max_packet) && len <= MAX_UDP_PAYLOAD {
                    out.push(Datagram {
                        text: line.text.clone(),
                        series: vec![line.series],
                    });
                } else {
                    dropped += 1;
                }
                continue;
            }
            let needed = if cur.text.is_empty() { len } else { len + 1 };
            if cur.text.len() + needed > self.max_packet {
                out.push(std::mem::replace(
                    &mut cur,
                    Datagram {
                        text: String::new(),
                        series: Vec::new(),
                    },
                ));
            }
            if !cur.text.is_empty() {
                cur.text.push('\n');
            }
            cur.text.push_str(&line.text);
            if cur.series.last() != Some(&line.series) {
                cur.series.push(line.series);
            }
        }
        if !cur.text.is_empty() {
            out.push(cur);
        }
        (out, dropped)
    }
}

/// A finite number in DogStatsD's grammar (`12`, `0.5`, `-3`); `None` for NaN/±inf.
fn number(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    // `Display` for f64 never uses an exponent and prints the shortest round-trip form.
    let v = if v == 0.0 { 0.0 } else { v }; // no "-0"
    Some(format!("{v}"))
}

/// The values to send for a timing delta and the sample rate they carry.
fn timing_samples(d: &Distribution, max: usize) -> (Vec<f64>, Option<f64>) {
    let n = d.count;
    if n == 0 {
        return (Vec::new(), None);
    }
    if n <= max as u64 {
        let mut values = Vec::with_capacity(max);
        for v in d.hist.iter_recorded() {
            // The middle of the histogram bucket: within its precision of the value.
            let ms =
                d.hist.median_equivalent(v.value_iterated_to()) as f64 / crate::snapshot::NS_PER_MS;
            for _ in 0..v.count_at_value() {
                values.push(ms.clamp(d.min, d.max));
            }
        }
        if values.len() as u64 == n {
            return (values, None);
        }
    }
    let k = (max as u64).min(n);
    let values = (0..k)
        .map(|i| d.quantile((i as f64 + 0.5) / k as f64))
        .collect();
    let rate = k as f64 / n as f64;
    (values, (rate < 1.0).then_some(rate))
}

#[cfg(test)]
#[path = "dogstatsd_tests.rs"]
mod tests;
