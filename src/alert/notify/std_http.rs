//! [`StdHttpPost`]: a minimal blocking HTTP/1.1 client over `std::net::TcpStream`.
//!
//! Plain `http://` only (no TLS), one request per connection (`Connection: close`),
//! `Content-Length` or chunked responses, bounded response size. Meant for loopback
//! destinations (a local Alertmanager, tests); production traffic to Slack or PagerDuty goes
//! through telemetra's reqwest transport.

use super::{HttpPost, HttpResponse, TransportError};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Largest response body read (1 MiB).
const MAX_RESPONSE: u64 = 1 << 20;

/// Blocking HTTP/1.1 client for `http://` URLs.
#[derive(Clone, Debug)]
pub struct StdHttpPost {
    /// Connect, read and write timeout. Defaults to 5 s.
    pub timeout: Duration,
}

impl Default for StdHttpPost {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(5),
        }
    }
}

fn io_error(e: &std::io::Error) -> TransportError {
    match e.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock => TransportError::Timeout,
        kind => TransportError::Io(kind.to_string()),
    }
}

impl StdHttpPost {
    /// Sends any method; `body` may be empty.
    pub fn request(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<HttpResponse, TransportError> {
        let rest = url
            .strip_prefix("http://")
            .ok_or(TransportError::InvalidUrl)?;
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, "/"),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(TransportError::InvalidUrl);
        }
        let addr_text = if authority.contains(':') {
            authority.to_owned()
        } else {
            format!("{authority}:80")
        };
        let addr = addr_text
            .to_socket_addrs()
            .map_err(|e| TransportError::Connect(e.kind().to_string()))?
            .next()
            .ok_or(TransportError::InvalidUrl)?;
        let mut stream = TcpStream::connect_timeout(&addr, self.timeout)
            .map_err(|e| TransportError::Connect(e.kind().to_string()))?;
        stream
            .set_read_timeout(Some(self.timeout))
            .map_err(|e| io_error(&e))?;
        stream
            .set_write_timeout(Some(self.timeout))
            .map_err(|e| io_error(&e))?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            if k.contains(['\r', '\n']) || v.contains(['\r', '\n']) {
                return Err(TransportError::InvalidUrl);
            }
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .map_err(|e| io_error(&e))?;
        stream.write_all(body).map_err(|e| io_error(&e))?;
        stream.flush().map_err(|e| io_error(&e))?;
        let mut raw = Vec::new();
        stream
            .take(MAX_RESPONSE + 16 * 1024)
            .read_to_end(&mut raw)
            .map_err(|e| io_error(&e))?;
        parse_response(&raw)
    }
}

impl HttpPost for StdHttpPost {
    fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<HttpResponse, TransportError> {
        self.request("POST", url, headers, body)
    }
}

/// Parses a complete HTTP/1.1 response (read until the server closed).
pub(crate) fn parse_response(raw: &[u8]) -> Result<HttpResponse, TransportError> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or(TransportError::Protocol)?;
    let (head, rest) = raw.split_at(split);
    let body = rest.get(4..).unwrap_or_default();
    let head = std::str::from_utf8(head).map_err(|_| TransportError::Protocol)?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or(TransportError::Protocol)?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(TransportError::Protocol)?;
    let mut chunked = false;
    let mut length: Option<usize> = None;
    let mut retry_after = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "content-length" => length = value.parse().ok(),
            "retry-after" => retry_after = value.parse().ok().map(Duration::from_secs),
            _ => {}
        }
    }
    let body = if chunked {
        dechunk(body)?
    } else {
        match length {
            Some(n) => body.get(..n).ok_or(TransportError::Protocol)?.to_vec(),
            None => body.to_vec(),
        }
    };
    Ok(HttpResponse {
        status,
        body,
        retry_after,
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, TransportError> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or(TransportError::Protocol)?;
        let (size_line, rest) = data.split_at(line_end);
        let size_text = std::str::from_utf8(size_line).map_err(|_| TransportError::Protocol)?;
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| TransportError::Protocol)?;
        let rest = rest.get(2..).ok_or(TransportError::Protocol)?;
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(rest.get(..size).ok_or(TransportError::Protocol)?);
        data = rest.get(size + 2..).ok_or(TransportError::Protocol)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_length_and_chunked_bodies() {
        let r = parse_response(
            b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\nRetry-After: 3\r\n\r\nokEXTRA",
        );
        assert_eq!(
            r,
            Ok(HttpResponse {
                status: 202,
                body: b"ok".to_vec(),
                retry_after: Some(Duration::from_secs(3))
            })
        );
        let c = parse_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        assert_eq!(c.map(|r| r.body), Ok(b"abcde".to_vec()));
        assert_eq!(parse_response(b"garbage"), Err(TransportError::Protocol));
        let url = StdHttpPost::default().post("https://example.invalid/x", &[], b"");
        assert_eq!(url, Err(TransportError::InvalidUrl));
    }
}
