//! Datadog's own APM test agent (`ddapm-test-agent`, PyPI) accepts our v0.4 JSON payload
//! and stores it with parent/child ids intact.
//!
//! Skips (with a printed reason) when the agent is not installed. Looks in
//! `$TELEMETRA_DDAPM_AGENT`, then `PATH`, then `/tmp/v/bin`.
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
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use telemetra::trace::datadog::{encode_v04_json, DdApmConfig, TRACES_PATH};
use telemetra::trace::{SpanExporter, SpanRecord, Tracer};

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
        let dir =
            std::env::temp_dir().join(format!("telemetra-ddapm-{}-{port}", std::process::id()));
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
            if let Ok((200, _)) = http(agent.port, "GET", "/info", &[], b"") {
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
}

/// A tiny HTTP/1.1 client: one request per connection, `Connection: close`.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
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

#[derive(Default)]
struct Collect(Mutex<Vec<SpanRecord>>);
impl SpanExporter for Collect {
    fn on_end(&self, record: SpanRecord) {
        self.0.lock().push(record);
    }
}

#[test]
fn agent_accepts_payload_and_keeps_parent_child_ids() {
    let Some(exe) = find_agent() else {
        println!(
            "SKIPPED: ddapm-test-agent not found (set TELEMETRA_DDAPM_AGENT, put it on PATH, or pip install ddapm-test-agent into /tmp/v)"
        );
        return;
    };
    let collect = Arc::new(Collect::default());
    let tracer = Tracer::builder().exporter(collect.clone()).build().unwrap();
    {
        let mut root = tracer.root_span("http.request");
        root.set_attribute("resource.name", "GET /users/:id");
        root.set_attribute("span.type", "web");
        root.set_attribute("http.status_code", 500_i64);
        let child = root.child("db.query");
        let r: Result<(), &'static str> = child.in_child("db.fetch", |_| Err("timeout"));
        assert!(r.is_err());
        drop(child);
        root.set_error("upstream_failed");
    }
    let _ = tracer.in_span("other.trace", |s| {
        s.set_attribute("ratio", 0.5);
        Ok::<_, std::io::Error>(())
    });
    let records = collect.0.lock().clone();
    assert_eq!(records.len(), 4);
    let payload = encode_v04_json(
        &records,
        &DdApmConfig::new("telemetra-test")
            .env("test")
            .lang_version("1.95"),
    )
    .unwrap();
    assert_eq!(payload.trace_count, 2);

    let agent = Agent::start(&exe);
    let token = format!("telemetra-{}", std::process::id());
    let (code, _) = http(
        agent.port,
        "GET",
        &format!("/test/session/start?test_session_token={token}"),
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(code, 200);

    let mut headers = payload.headers.clone();
    headers.push(("X-Datadog-Test-Session-Token", token.clone()));
    let (code, body) = http(agent.port, "PUT", TRACES_PATH, &headers, &payload.body).unwrap();
    let text = String::from_utf8_lossy(&body);
    assert_eq!(code, 200, "agent rejected payload: {text}");
    assert!(text.contains("rate_by_service"), "{text}");

    let (code, body) = http(
        agent.port,
        "GET",
        &format!("/test/session/traces?test_session_token={token}"),
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(code, 200);
    let traces: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let spans: Vec<&serde_json::Value> = traces
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t.as_array().unwrap())
        .collect();
    assert_eq!(spans.len(), 4, "{traces}");
    for r in &records {
        let s = spans
            .iter()
            .find(|s| s["span_id"].as_u64() == Some(r.context.span_id.to_u64()))
            .unwrap_or_else(|| panic!("span {} missing", r.name));
        assert_eq!(s["trace_id"].as_u64(), Some(r.context.trace_id.low64()));
        assert_eq!(
            s["parent_id"].as_u64().unwrap_or(0),
            r.parent_span_id.map_or(0, |p| p.to_u64())
        );
        assert_eq!(s["name"], r.name.as_ref());
        assert_eq!(
            s["meta"]["_dd.p.tid"].as_str(),
            Some(format!("{:016x}", r.context.trace_id.high64()).as_str())
        );
        assert_eq!(s["error"].as_i64(), Some(i64::from(!r.status.is_ok())));
    }
    let fetch = spans.iter().find(|s| s["name"] == "db.fetch").unwrap();
    assert_eq!(fetch["meta"]["error.type"], "timeout");
    // The enabled checks really run: a wrong trace count is refused (checked last:
    // the agent keeps rejected traces in the session too).
    let mut wrong = headers.clone();
    wrong.retain(|(k, _)| *k != "X-Datadog-Trace-Count");
    wrong.push(("X-Datadog-Trace-Count", "5".to_owned()));
    let (code, _) = http(agent.port, "PUT", TRACES_PATH, &wrong, &payload.body).unwrap();
    assert_eq!(code, 400);

    println!(
        "agent accepted {} traces / {} spans; parent/child ids intact",
        payload.trace_count,
        spans.len()
    );
    drop(agent);
}
