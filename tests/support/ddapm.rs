//! Datadog's APM test agent (`ddapm-test-agent`, PyPI) for the tests that check our trace
//! payloads against it: found in `$TELEMETRA_DDAPM_AGENT`, then `$TELEMETRA_VENV/bin`
//! (default `/tmp/telemetra-venv`), then `PATH`, then `/tmp/v/bin`;
//! started on 127.0.0.1 ephemeral ports; killed and reaped on drop.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn find_agent() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TELEMETRA_DDAPM_AGENT") {
        let p = PathBuf::from(p);
        if p.is_file() {
            return Some(p);
        }
    }
    // Where scripts/test-deps/python.sh installs it.
    let venv = std::env::var_os("TELEMETRA_VENV")
        .map_or_else(|| PathBuf::from("/tmp/telemetra-venv"), PathBuf::from)
        .join("bin/ddapm-test-agent");
    if venv.is_file() {
        return Some(venv);
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
pub(crate) struct Agent {
    child: Child,
    pub(crate) port: u16,
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
    pub(crate) fn start(exe: &PathBuf) -> Agent {
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

    /// The agent's log so far (for assertion messages).
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("agent.log")).unwrap_or_default()
    }
}

/// A tiny HTTP/1.1 client: one request per connection, `Connection: close`.
pub(crate) fn http(
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
