//! A running pipeline with a [`DatadogApmSink`] delivers a small trace to Datadog's own
//! APM test agent (`ddapm-test-agent`, PyPI), which stores it with parent/child ids
//! intact.
//!
//! Skips (with a printed reason) when the agent is not installed. Looks in
//! `$TELEMETRA_DDAPM_AGENT`, then `PATH`, then `/tmp/v/bin`.
#![cfg(feature = "datadog")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr,
    missing_docs
)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use telemetra::sinks::datadog_apm::DatadogApmSink;
use telemetra::{Config, Telemetry};

fn find_agent() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TELEMETRA_DDAPM_AGENT") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("ddapm-test-agent"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let p = PathBuf::from("/tmp/v/bin/ddapm-test-agent");
        p.is_file().then_some(p)
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The running agent; killed (by its own pid) and reaped on drop.
struct Agent {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Agent {
    fn start(exe: &PathBuf) -> Agent {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!(
            "telemetra-ddapm-pipeline-{}-{port}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let log = std::fs::File::create(dir.join("agent.log")).unwrap();
        let child = Command::new(exe)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--otlp-http-port", &free_port().to_string()])
            .args(["--otlp-grpc-port", &free_port().to_string()])
            .arg("--snapshot-dir")
            .arg(&dir)
            .env(
                "ENABLED_CHECKS",
                "trace_count_header,meta_tracer_version_header,trace_content_length",
            )
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut agent = Agent { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok((200, _)) = http(agent.port, "GET", "/info") {
                return agent;
            }
            if let Ok(Some(status)) = agent.child.try_wait() {
                let log = std::fs::read_to_string(agent.dir.join("agent.log")).unwrap_or_default();
                panic!("test agent exited early ({status}): {log}");
            }
            assert!(
                Instant::now() < deadline,
                "test agent did not come up within 60 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("agent.log")).unwrap_or_default()
    }
}

/// A tiny HTTP/1.1 client: one bodiless request per connection, `Connection: close`.
fn http(port: u16, method: &str, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or(std::io::ErrorKind::InvalidData)?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut rest = raw[split + 4..].to_vec();
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or(std::io::ErrorKind::InvalidData)?;
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        rest = dechunk(&rest);
    }
    Ok((status, rest))
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

#[test]
fn pipeline_spans_reach_the_agent_with_parent_child_ids_intact() {
    let Some(exe) = find_agent() else {
        println!(
            "SKIPPED: ddapm-test-agent not found (set TELEMETRA_DDAPM_AGENT, put it on PATH, or pip install ddapm-test-agent into /tmp/v)"
        );
        return;
    };
    let agent = Agent::start(&exe);
    // The sink sends no session token: a session started without one collects every
    // untokened request made after it (this agent serves this test only).
    let (code, _) = http(agent.port, "GET", "/test/session/start").unwrap();
    assert_eq!(code, 200);

    let sink = DatadogApmSink::builder("telemetra-pipeline-test")
        .env("test")
        .version("0.0.1")
        .agent_url(format!("http://127.0.0.1:{}", agent.port))
        .build()
        .unwrap();
    let telemetry = Telemetry::start(
        Config::builder()
            .flush_interval(Duration::from_secs(3600))
            .self_metrics(false)
            .sink(sink)
            .build()
            .unwrap(),
    )
    .unwrap();

    // root → (db.query → db.fetch), root → cache.get (an error)
    let mut expected: Vec<(u64, u64, u64, &str)> = Vec::new(); // (trace, span, parent, name)
    let trace = {
        let root = telemetry.span("http.request");
        let tid = root.context().trace_id;
        let rid = root.context().span_id.to_u64();
        expected.push((tid.low64(), rid, 0, "http.request"));
        {
            let db = root.child("db.query");
            let did = db.context().span_id.to_u64();
            expected.push((tid.low64(), did, rid, "db.query"));
            let fetch = db.child("db.fetch");
            expected.push((
                tid.low64(),
                fetch.context().span_id.to_u64(),
                did,
                "db.fetch",
            ));
        }
        let mut cache = root.child("cache.get");
        expected.push((
            tid.low64(),
            cache.context().span_id.to_u64(),
            rid,
            "cache.get",
        ));
        cache.set_error("miss");
        tid
    };
    telemetry.flush(Duration::from_secs(30)).unwrap();
    let stats = telemetry.record_stats();
    assert_eq!(stats.exported, 4, "{stats:?}\n{}", agent.log());

    let (code, body) = http(agent.port, "GET", "/test/session/traces").unwrap();
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    let traces: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let spans: Vec<&serde_json::Value> = traces
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t.as_array().unwrap())
        .collect();
    assert_eq!(spans.len(), 4, "{traces}\n{}", agent.log());
    for (tid, sid, parent, name) in &expected {
        let s = spans
            .iter()
            .find(|s| s["span_id"].as_u64() == Some(*sid))
            .unwrap_or_else(|| panic!("span {name} missing: {traces}"));
        assert_eq!(s["trace_id"].as_u64(), Some(*tid));
        assert_eq!(s["parent_id"].as_u64().unwrap_or(0), *parent, "{name}");
        assert_eq!(s["name"], *name);
        assert_eq!(s["service"], "telemetra-pipeline-test");
        assert_eq!(
            s["meta"]["_dd.p.tid"].as_str(),
            Some(format!("{:016x}", trace.high64()).as_str())
        );
    }
    let cache = spans.iter().find(|s| s["name"] == "cache.get").unwrap();
    assert_eq!(cache["error"].as_i64(), Some(1));

    telemetry.shutdown(Duration::from_secs(10)).unwrap();
    println!(
        "agent stored {} spans of trace {trace}; parent/child ids intact",
        spans.len()
    );
    drop(agent);
}
