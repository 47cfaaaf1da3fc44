//! The DogStatsD sink on the wire: datagrams received on loopback UDP and Unix
//! sockets stay within the budget and carry the deltas; Etsy StatsD (npm `statsd`
//! 0.9.0, an independent implementation) parses every line without a bad line and
//! adds up the same totals, sample rates included.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout
)]
#![cfg(feature = "dogstatsd")]

#[path = "support/skip.rs"]
mod skip;

mod vendor;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use telemetra::sinks::dogstatsd::DogStatsdSink;
use telemetra::{Config, Telemetry};

fn start(sink: DogStatsdSink) -> Telemetry {
    Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn receive_all(sock: &UdpSocket) -> Vec<String> {
    sock.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 65_536];
    while let Ok(n) = sock.recv(&mut buf) {
        out.push(String::from_utf8(buf[..n].to_vec()).unwrap());
    }
    out
}

#[test]
fn udp_datagrams_carry_the_deltas_within_the_budget() {
    let agent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let sink = DogStatsdSink::builder()
        .udp(agent.local_addr().unwrap().to_string())
        .max_packet_size(512)
        .build()
        .unwrap();
    let t = start(sink);
    for i in 0..50 {
        t.count("jobs.done", 2, vec![("shard".to_owned(), format!("s{i}"))]);
    }
    t.gauge("queue.depth", 4.0, ());
    t.flush(Duration::from_secs(10)).unwrap();
    t.timing_ms("latency.ms", 3.25, &[("op", "get")]);
    for i in 0..500 {
        t.timing_ms("sampled.ms", f64::from(i), ());
    }
    t.flush(Duration::from_secs(10)).unwrap();
    let datagrams = receive_all(&agent);
    assert!(datagrams.len() > 1);
    if std::env::var_os("TELEMETRA_KEEP_BODIES").is_some() {
        // One datagram per line, packed lines as a literal `\n` (the shared linter's input).
        let dir = vendor::temp_dir("dsd-datagrams");
        let text: Vec<String> = datagrams.iter().map(|d| d.replace('\n', "\\n")).collect();
        std::fs::write(dir.join("datagrams.txt"), text.join("\n") + "\n").unwrap();
        println!("datagrams kept in {}", dir.display());
    }
    assert!(datagrams
        .iter()
        .all(|d| d.len() <= 512 && !d.ends_with('\n')));
    let lines: Vec<&str> = datagrams.iter().flat_map(|d| d.split('\n')).collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("jobs.done:2|c|#shard:s"))
            .count(),
        50
    );
    assert!(lines.contains(&"queue.depth:4|g"));

    t.count("jobs.done", 3, vec![("shard".to_owned(), "s7".to_owned())]);
    t.flush(Duration::from_secs(10)).unwrap();
    assert_eq!(
        receive_all(&agent),
        vec!["jobs.done:3|c|#shard:s7".to_owned()]
    );
}

#[cfg(unix)]
#[test]
fn unix_datagram_sockets_are_supported() {
    use std::os::unix::net::UnixDatagram;
    let dir = vendor::temp_dir("dsd-uds");
    let path = dir.join("dsd.socket");
    let agent = UnixDatagram::bind(&path).unwrap();
    let sink = DogStatsdSink::builder().unix_socket(&path).build().unwrap();
    let t = start(sink);
    t.count("uds.works", 1, ());
    t.flush(Duration::from_secs(10)).unwrap();
    agent
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 8192];
    let n = agent.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"uds.works:1|c");
    let _ = std::fs::remove_dir_all(dir);
}

/// Etsy StatsD on loopback ports, killed on drop.
struct Statsd {
    child: Child,
    udp: u16,
    mgmt: u16,
    log: std::path::PathBuf,
}

impl Drop for Statsd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = self.log.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Statsd {
    /// Starts StatsD flushing every `flush_ms` to its console backend (into a log).
    fn start(flush_ms: u64) -> Result<Statsd, String> {
        let dir = vendor::statsd_dir()?;
        let (udp, mgmt) = (free_port(), free_port());
        let tmp = vendor::temp_dir("statsd");
        let cfg = tmp.join("config.js");
        let log = tmp.join("statsd.log");
        std::fs::write(
            &cfg,
            format!(
                "{{ address: \"127.0.0.1\", port: {udp}, mgmt_address: \"127.0.0.1\", mgmt_port: {mgmt}, \
                 backends: [\"./backends/console\"], flushInterval: {flush_ms}, prettyprint: true }}"
            ),
        )
        .unwrap();
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new("node")
            .arg(dir.join("stats.js"))
            .arg(&cfg)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start node: {e}"))?;
        let s = Statsd {
            child,
            udp,
            mgmt,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", mgmt)).is_ok() {
                return Ok(s);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("statsd did not start listening".into())
    }

    fn mgmt(&self, cmd: &str) -> String {
        let mut t = TcpStream::connect(("127.0.0.1", self.mgmt)).unwrap();
        t.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        t.write_all(format!("{cmd}\n").as_bytes()).unwrap();
        let mut out = Vec::new();
        let mut buf = [0u8; 65_536];
        while !String::from_utf8_lossy(&out).trim_end().ends_with("END") {
            let n = t.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        let _ = t.write_all(b"quit\n");
        String::from_utf8(out).unwrap()
    }

    fn stat(&self, name: &str) -> u64 {
        let stats = self.mgmt("stats");
        let line = stats
            .lines()
            .find(|l| l.starts_with(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("{name} in {stats}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    }
}

/// The value printed for `'key': value` in a `util.inspect` dump.
fn inspected<'a>(dump: &'a str, key: &str) -> Option<&'a str> {
    let start = dump.find(&format!("'{key}': "))? + key.len() + 4;
    let rest = &dump[start..];
    let end = if rest.starts_with('[') {
        rest.find(']')? + 1
    } else {
        rest.find([',', '\n', ' ', '}']).unwrap_or(rest.len())
    };
    Some(&rest[..end])
}

#[test]
fn etsy_statsd_parses_every_line_and_adds_up_the_same_totals() {
    let statsd = match Statsd::start(3_600_000) {
        Ok(s) => s,
        Err(why) => {
            skip::skipped(&format!("etsy statsd check: {why}"));
            return;
        }
    };
    let sink = DogStatsdSink::builder()
        .udp(format!("127.0.0.1:{}", statsd.udp))
        .timing_samples(10)
        .tag("env", "ci")
        .build()
        .unwrap();
    let t = start(sink);
    t.count("payments", 3, &[("outcome", "ok")]);
    t.gauge("queue.depth", -2.5, ());
    for ms in [1.0, 2.0, 3.0, 4.0] {
        t.timing_ms("small.latency", ms, &[("op", "get")]);
    }
    for i in 0..100 {
        t.timing_ms("big.latency", f64::from(i) + 0.5, ());
    }
    t.flush(Duration::from_secs(10)).unwrap();
    t.count("payments", 4, &[("outcome", "ok")]);
    t.flush(Duration::from_secs(10)).unwrap();

    // UDP is asynchronous: wait (bounded) until StatsD has seen every line.
    let expected_lines = 1 + 1 + 4 + 10 + 1;
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if statsd.mgmt("counters").contains("payments") {
            let received = inspected(&statsd.mgmt("counters"), "statsd.metrics_received")
                .unwrap()
                .parse::<u64>()
                .unwrap();
            if received >= expected_lines {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(statsd.stat("messages.bad_lines_seen"), 0);
    let counters = statsd.mgmt("counters");
    assert_eq!(
        inspected(&counters, "statsd.metrics_received"),
        Some("17"),
        "{counters}"
    );
    assert_eq!(
        inspected(&counters, "payments;outcome=ok;env=ci"),
        Some("7"),
        "{counters}"
    );
    let gauges = statsd.mgmt("gauges");
    assert_eq!(
        inspected(&gauges, "queue.depth;env=ci"),
        Some("-2.5"),
        "{gauges}"
    );
    let timers = statsd.mgmt("timers");
    let count = |key: &str| {
        let list = inspected(&timers, key).unwrap_or_else(|| panic!("{key} in {timers}"));
        list.trim_matches(['[', ']'])
            .split(',')
            .filter(|v| !v.trim().is_empty())
            .count()
    };
    assert_eq!(count("small.latency;op=get;env=ci"), 4);
    assert_eq!(
        count("big.latency;env=ci"),
        10,
        "100 values sampled to 10 lines at @0.1"
    );
    println!("etsy statsd: 17 lines, 0 bad lines");
}

/// The console backend's log without ANSI colour codes.
fn plain_log(path: &std::path::Path) -> String {
    let raw = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn etsy_statsd_counts_sampled_timings_at_their_full_number() {
    let statsd = match Statsd::start(500) {
        Ok(s) => s,
        Err(why) => {
            skip::skipped(&format!("etsy statsd check: {why}"));
            return;
        }
    };
    let sink = DogStatsdSink::builder()
        .udp(format!("127.0.0.1:{}", statsd.udp))
        .timing_samples(10)
        .build()
        .unwrap();
    let t = start(sink);
    for i in 0..1000 {
        t.timing_ms("sampled.latency", f64::from(i % 100) + 0.5, ());
    }
    t.flush(Duration::from_secs(10)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut count = None;
    while Instant::now() < deadline && count.is_none() {
        std::thread::sleep(Duration::from_millis(200));
        let log = plain_log(&statsd.log);
        let Some(at) = log.find("'sampled.latency': {") else {
            continue;
        };
        let rest = &log[at..];
        let Some(c) = rest.find(" count: ") else {
            continue;
        };
        let digits: String = rest[c + 8..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        count = digits.parse::<f64>().ok();
    }
    assert_eq!(statsd.stat("messages.bad_lines_seen"), 0);
    let count = count.expect("statsd flushed the timer");
    assert!((count - 1000.0).abs() < 1e-6, "statsd counted {count}");
    println!("etsy statsd: 10 sampled lines counted as {count} timings");
}
