//! What a transport sends and gets back: [`Request`], [`Response`], [`Secret`] header
//! values, and how secrets are kept out of error text.

use std::fmt;
use std::io::Write;

use flate2::write::{GzEncoder, ZlibEncoder};
use flate2::Compression;

use super::MAX_ERROR_TEXT;
pub use crate::net::Secret;
use crate::sinks::SinkError;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    pub(super) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// A request-body encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Sent as is, no `Content-Encoding`.
    Identity,
    /// `Content-Encoding: gzip`.
    Gzip,
    /// `Content-Encoding: deflate` (a zlib stream, as HTTP defines it).
    Deflate,
}

impl Encoding {
    /// The `Content-Encoding` value, `None` for identity.
    pub fn header_value(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Deflate => Some("deflate"),
        }
    }
}

/// Compresses `body` with `encoding` (identity returns it unchanged).
pub fn encode_body(body: &[u8], encoding: Encoding) -> Result<Vec<u8>, SinkError> {
    let fail = |e: std::io::Error| SinkError::permanent(format!("compressing the body: {e}"));
    match encoding {
        Encoding::Identity => Ok(body.to_vec()),
        Encoding::Gzip => {
            let mut enc =
                GzEncoder::new(Vec::with_capacity(body.len() / 4), Compression::default());
            enc.write_all(body).map_err(fail)?;
            enc.finish().map_err(fail)
        }
        Encoding::Deflate => {
            let mut enc =
                ZlibEncoder::new(Vec::with_capacity(body.len() / 4), Compression::default());
            enc.write_all(body).map_err(fail)?;
            enc.finish().map_err(fail)
        }
    }
}

#[derive(Clone)]
pub(super) enum HeaderValue {
    Plain(String),
    Secret(Secret),
}

/// One HTTP request, built by a sink and handed to [`HttpTransport::send`](super::HttpTransport::send).
///
/// ```
/// use telemetra::sinks::http::{Encoding, Method, Request, Secret};
/// let req = Request::new(Method::Post, "http://127.0.0.1:9/ingest")
///     .header("content-type", "application/json")
///     .secret_header("authorization", Secret::new("Bearer t0ken"))
///     .encoding(Encoding::Gzip)
///     .body(b"{}".to_vec());
/// assert!(!format!("{req:?}").contains("t0ken"));
/// ```
#[derive(Clone)]
pub struct Request {
    pub(super) method: Method,
    pub(super) url: String,
    pub(super) headers: Vec<(String, HeaderValue)>,
    pub(super) body: Vec<u8>,
    pub(super) encoding: Option<Encoding>,
    /// Secrets the request carries outside its secret headers (a webhook URL's path
    /// token, say): scrubbed from error text like those.
    pub(super) redact: Vec<Secret>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| match v {
                HeaderValue::Plain(s) => (k.as_str(), s.as_str()),
                HeaderValue::Secret(_) => (k.as_str(), "***"),
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request with no headers and an empty body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            encoding: None,
            redact: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into(), HeaderValue::Plain(value.into())));
        self
    }

    /// Adds a header whose value is a credential: marked sensitive, never printed.
    pub fn secret_header(mut self, name: impl Into<String>, value: Secret) -> Self {
        self.headers.push((name.into(), HeaderValue::Secret(value)));
        self
    }

    /// Sets the (uncompressed) body.
    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// Compresses the body with `encoding`, whatever [`HttpConfig::gzip`](super::HttpConfig::gzip) says.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Registers a secret that is sent some other way than in a secret header (in the
    /// URL or the body): scrubbed from error text all the same.
    pub(crate) fn redacting(mut self, secret: Secret) -> Self {
        self.redact.push(secret);
        self
    }

    /// Moves user info out of the URL (`http://user:pass@host`) into an explicit
    /// `Authorization: Basic` secret header (kept out of every error text), unless the
    /// request already has an `authorization` header; then the URL's credentials are
    /// dropped, still registered for scrubbing. HTTP clients would otherwise send them
    /// as a header the transport does not know is a secret.
    pub(super) fn with_url_credentials_as_header(mut self) -> Self {
        let Ok(mut url) = reqwest::Url::parse(self.url.trim()) else {
            return self;
        };
        // Query values may be tokens (`?access_token=…`): an endpoint echoing the
        // request line must not put them in an error.
        let query: Vec<Secret> = url
            .query_pairs()
            .map(|(_, v)| Secret::new(v.into_owned()))
            .filter(|v| !v.is_empty())
            .collect();
        self.redact.extend(query);
        let Some(basic) = take_basic_auth(&mut url) else {
            return self;
        };
        self.url = url.to_string();
        let has_auth = self
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("authorization"));
        if has_auth {
            self.redacting(basic)
        } else {
            self.secret_header("authorization", basic)
        }
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The uncompressed body.
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// `text` with every secret of this request (secret headers and registered
    /// ones), in every form a server may echo it, replaced by `***`.
    pub(super) fn scrub(&self, text: &str) -> String {
        let secret_headers = self.headers.iter().filter_map(|(_, v)| match v {
            HeaderValue::Secret(s) => Some(s),
            HeaderValue::Plain(_) => None,
        });
        crate::net::scrub(text, secret_headers.chain(&self.redact).map(Secret::expose))
    }
}

/// A response with a success status.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The (decompressed) body.
    pub body: Vec<u8>,
}

/// Removes the user info from `url` and returns it as a `Basic …` header value
/// (user and password percent-decoded), to be sent as a secret header: the transport
/// then scrubs it, and the decoded password, from every error.
pub(crate) fn take_basic_auth(url: &mut reqwest::Url) -> Option<Secret> {
    use base64::Engine as _;
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let pair = format!(
        "{}:{}",
        decode(url.username()),
        decode(url.password().unwrap_or(""))
    );
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Some(Secret::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )))
}

/// `url` as it may be shown (`Debug` output, errors): user info, query and fragment
/// replaced by `***`, as credentials ride there (`user:pass@`, `?access_token=…`).
/// The scheme, host, port and path stay, to tell endpoints apart.
pub(crate) fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url.trim()) {
        Ok(mut u) => {
            if !u.username().is_empty() || u.password().is_some() {
                let _ = u.set_username("***");
                let _ = u.set_password(None);
            }
            if u.query().is_some() {
                u.set_query(Some("***"));
            }
            if u.fragment().is_some() {
                u.set_fragment(Some("***"));
            }
            u.to_string()
        }
        // Unparsable: nothing before an `@` nor after a `?` or `#`.
        Err(_) => {
            let host = url.rsplit_once('@').map_or(url, |(_, h)| h);
            let (kept, cut) = match host.find(['?', '#']) {
                Some(i) => (host.get(..i).unwrap_or_default(), true),
                None => (host, false),
            };
            let mut out = String::new();
            if host.len() < url.len() {
                out.push_str("***@");
            }
            out.push_str(kept);
            if cut {
                out.push_str("?***");
            }
            out
        }
    }
}

/// A vendor's or the client's error text as it may appear in an error: the request's
/// secrets scrubbed *before* the cut to [`MAX_ERROR_TEXT`] bytes, so that a secret
/// straddling the cut cannot keep its first half.
pub(super) fn error_text(req: &Request, raw: &str) -> String {
    truncate_text(&req.scrub(raw))
}

/// Keeps at most [`MAX_ERROR_TEXT`] bytes of `text` (at a character boundary), on one
/// line.
pub(super) fn truncate_text(text: &str) -> String {
    let mut end = text.len().min(MAX_ERROR_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text.get(..end).unwrap_or_default();
    let mut out: String = cut
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned();
    if end < text.len() {
        out.push('…');
    }
    out
}
