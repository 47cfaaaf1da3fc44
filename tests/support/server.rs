//! A loopback HTTP/1.1 server for the HTTP sink tests: records every request byte for
//! byte (method, path, headers, raw and decompressed body) and answers from a script.
//! Bound to 127.0.0.1 on an ephemeral port; every loop is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use flate2::read::{GzDecoder, ZlibDecoder};

/// One scripted answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// Wait this long before answering (to trip the client's timeout).
    pub(crate) delay: Duration,
    /// Close the connection without answering.
    pub(crate) hang_up: bool,
    /// Answer with what was received (see [`Reply::echo`]) instead of `body`.
    pub(crate) echo: bool,
    /// Answer with the request's (decompressed) body alone.
    pub(crate) echo_body: bool,
}

impl Reply {
    pub(crate) fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            hang_up: false,
            echo: false,
            echo_body: false,
        }
    }
    /// `status` with a body that echoes the request, as careless gateways and
    /// debugging proxies do: the request line, then every header (credential-looking
    /// ones first, so that they fall within the part a client keeps) as sent,
    /// percent-encoded and base64-encoded, then the (decompressed) body.
    pub(crate) fn echo(status: u16) -> Self {
        Reply {
            echo: true,
            ..Reply::status(status)
        }
    }
    /// `status` with the request's body as the answer (as PagerDuty repeats the event
    /// it refuses).
    pub(crate) fn echo_body(status: u16) -> Self {
        Reply {
            echo_body: true,
            ..Reply::status(status)
        }
    }
    pub(crate) fn ok() -> Self {
        Reply::status(200)
    }
    pub(crate) fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_owned(), v.to_owned()));
        self
    }
    pub(crate) fn body(mut self, b: &str) -> Self {
        self.body = b.as_bytes().to_vec();
        self
    }
    pub(crate) fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
    pub(crate) fn hang_up() -> Self {
        Reply {
            hang_up: true,
            ..Reply::status(0)
        }
    }
}

/// One request as received.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    pub(crate) method: String,
    pub(crate) path: String,
    /// Header names lowercased, in arrival order.
    pub(crate) headers: Vec<(String, String)>,
    /// The body as sent (possibly compressed).
    pub(crate) raw_body: Vec<u8>,
    /// The body after undoing `content-encoding` (gzip or deflate).
    pub(crate) body: Vec<u8>,
}

impl Recorded {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub(crate) fn header_count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(k, _)| k == name).count()
    }
    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("body is UTF-8")
    }
}

#[derive(Debug, Default)]
struct State {
    script: Vec<Reply>,
    next: usize,
    requests: Vec<Recorded>,
    errors: Vec<String>,
}

/// The server; stops (and joins its thread) on drop.
#[derive(Debug)]
pub(crate) struct TestServer {
    addr: std::net::SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Answers with the script in order, then `200` with an empty body.
    pub(crate) fn start(script: Vec<Reply>) -> Self {
        Self::serve_on(TcpListener::bind("127.0.0.1:0").unwrap(), script)
    }

    fn serve_on(listener: TcpListener, script: Vec<Reply>) -> Self {
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State {
            script,
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (Arc::clone(&state), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            // Bounded: at most 10 minutes, and at most 10 000 connections.
            let deadline = Instant::now() + Duration::from_secs(600);
            let mut served = 0;
            while !sp.load(Ordering::SeqCst) && Instant::now() < deadline && served < 10_000 {
                match listener.accept() {
                    Ok((stream, _)) => {
                        served += 1;
                        // One thread per connection, so an idle keep-alive connection
                        // never holds up the next one.
                        let st = Arc::clone(&st);
                        std::thread::spawn(move || {
                            if let Err(e) = serve(stream, &st) {
                                st.lock().unwrap().errors.push(e);
                            }
                        });
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(e) => st.lock().unwrap().errors.push(e.to_string()),
                }
            }
        });
        TestServer {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// Like [`start`](Self::start), on `bind` (`[::1]:0`, say); an error if the
    /// address cannot be bound (no IPv6 loopback, say).
    pub(crate) fn start_at(bind: &str, script: Vec<Reply>) -> std::io::Result<Self> {
        let listener = TcpListener::bind(bind)?;
        Ok(Self::serve_on(listener, script))
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub(crate) fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request so far; fails the test if the server saw a malformed one.
    pub(crate) fn requests(&self) -> Vec<Recorded> {
        let s = self.state.lock().unwrap();
        assert!(s.errors.is_empty(), "server errors: {:?}", s.errors);
        s.requests.clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves every request of one connection (keep-alive), one scripted reply each.
fn serve(stream: TcpStream, state: &Mutex<State>) -> Result<(), String> {
    stream.set_nonblocking(false).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    for _ in 0..1000 {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            // The client closed or went idle: the connection is done.
            Err(_) => return Ok(()),
        }
        let line = line.trim_end_matches("\r\n").to_owned();
        let mut parts = line.split(' ');
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        if parts.next() != Some("HTTP/1.1") {
            return Err(format!("bad request line {line:?}"));
        }
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).map_err(|e| e.to_string())?;
            if !h.ends_with("\r\n") {
                return Err(format!("header line without CRLF: {h:?}"));
            }
            let h = h.trim_end_matches("\r\n");
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').ok_or(format!("bad header {h:?}"))?;
            headers.push((k.to_ascii_lowercase(), v.trim().to_owned()));
            if headers.len() > 100 {
                return Err("too many headers".into());
            }
        }
        let find = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        if find("transfer-encoding").is_some() {
            return Err("chunked bodies are not expected".into());
        }
        let len: usize = find("content-length")
            .map(|v| v.parse().map_err(|_| format!("bad content-length {v}")))
            .transpose()?
            .unwrap_or(0);
        let mut raw_body = vec![0; len];
        reader
            .read_exact(&mut raw_body)
            .map_err(|e| e.to_string())?;
        let body = match find("content-encoding").as_deref() {
            None => raw_body.clone(),
            Some("gzip") => {
                let mut out = Vec::new();
                GzDecoder::new(&raw_body[..])
                    .read_to_end(&mut out)
                    .map_err(|e| format!("bad gzip: {e}"))?;
                out
            }
            Some("deflate") => {
                let mut out = Vec::new();
                ZlibDecoder::new(&raw_body[..])
                    .read_to_end(&mut out)
                    .map_err(|e| format!("bad deflate: {e}"))?;
                out
            }
            // Snappy (remote write) is the caller's to decode, from the raw body.
            Some("snappy") => raw_body.clone(),
            Some(other) => return Err(format!("unexpected content-encoding {other}")),
        };
        let mut reply = {
            let mut s = state.lock().unwrap();
            let r = s.script.get(s.next).cloned().unwrap_or_else(Reply::ok);
            s.next += 1;
            r
        };
        if reply.echo_body {
            reply.body = body.clone();
        }
        if reply.echo {
            reply.body = echo(&method, &path, &headers, &body).into_bytes();
        }
        state.lock().unwrap().requests.push(Recorded {
            method,
            path,
            headers,
            raw_body,
            body,
        });
        if reply.hang_up {
            return Ok(());
        }
        std::thread::sleep(reply.delay);
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
            reply.status,
            reply.body.len()
        );
        for (k, v) in &reply.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&reply.body);
        if writer.write_all(&bytes).is_err() {
            // The client gave up (its timeout): nothing more on this connection.
            return Ok(());
        }
    }
    Ok(())
}

/// What an echoing server answers (see [`Reply::echo`]).
fn echo(method: &str, path: &str, headers: &[(String, String)], body: &[u8]) -> String {
    use base64::Engine as _;
    let secret_looking = |k: &str| ["auth", "key", "token"].iter().any(|w| k.contains(w));
    let mut sorted: Vec<&(String, String)> = headers.iter().collect();
    sorted.sort_by_key(|(k, _)| !secret_looking(k));
    let mut out = format!("you sent {method} {path}\n");
    for (k, v) in sorted {
        let pct = percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC);
        let b64 = base64::engine::general_purpose::STANDARD.encode(v);
        out.push_str(&format!("{k}: {v} [{pct}] [{b64}]\n"));
    }
    out.push_str(&String::from_utf8_lossy(body));
    out
}
