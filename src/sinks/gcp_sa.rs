//! Service-account keys of the GCP sink: the JSON key file, the RS256-signed JWT and
//! its exchange for an access token at the key's `token_uri` (RFC 7523, Google's
//! "OAuth 2.0 for server to server applications").
//!
//! The private key never leaves this module: `Debug` prints `***` for it, load errors
//! name the file and the faulty field but never quote its content, and a token
//! endpoint that echoes the request (assertion included) has every fragment of the
//! assertion scrubbed from the error.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use serde_json::{json, Value as Json};

use super::super::http::{
    check_http_url, redact_url, Encoding, HttpTransport, Method, Request, Secret,
};
use super::super::SinkError;
use super::token::parse_token;

/// Google's token endpoint, used when a key file has no `token_uri`.
pub(crate) const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// The OAuth2 scope asked for: writing time series, nothing more.
pub(crate) const SCOPE: &str = "https://www.googleapis.com/auth/monitoring.write";
/// The JWT's lifetime (`exp - iat`), the most Google accepts.
const JWT_LIFETIME_SECS: u64 = 3600;
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// A key file is a few KiB; anything much larger is not one (and is not read whole).
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;
/// `application/x-www-form-urlencoded`: everything but `A-Za-z0-9*-._` is escaped.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');
/// Fragments of the assertion this long or longer are scrubbed from error text.
const SCRUB_WINDOW: usize = 8;

/// Where a service-account key comes from, as the builder was given it.
#[derive(Clone, Debug)]
pub(crate) enum KeySource {
    /// A key file (`GOOGLE_APPLICATION_CREDENTIALS`).
    File(PathBuf),
    /// The key file's content (its `Debug` prints `***`).
    Json(Secret),
}

impl KeySource {
    /// Reads and parses the key; the error says what is wrong (naming the file,
    /// never quoting it), for an `Error::Config` reason.
    pub(crate) fn load(&self) -> Result<ServiceAccount, String> {
        match self {
            KeySource::File(path) => {
                let shown = path.display().to_string();
                let text = read_key_file(path).map_err(|why| format!("{shown:?} {why}"))?;
                ServiceAccount::from_json(&text)
                    .map_err(|why| format!("{shown:?} is not a usable service-account key: {why}"))
            }
            KeySource::Json(json) => ServiceAccount::from_json(json.expose())
                .map_err(|why| format!("is not a usable service-account key: {why}")),
        }
    }
}

fn read_key_file(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
    let mut text = String::new();
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => "is not UTF-8 text".to_owned(),
            _ => format!("cannot be read: {e}"),
        })?;
    if text.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(format!(
            "is larger than {} KiB, too large for a key file",
            MAX_KEY_FILE_BYTES / 1024
        ));
    }
    Ok(text)
}

/// A loaded service-account key.
pub(crate) struct ServiceAccount {
    client_email: String,
    /// The key's `project_id`: the project when none is configured.
    project_id: Option<String>,
    key_id: Option<String>,
    token_uri: String,
    key: RsaKeyPair,
    rng: SystemRandom,
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_email", &self.client_email)
            .field("project_id", &self.project_id)
            .field("private_key_id", &self.key_id)
            .field("token_uri", &redact_url(&self.token_uri))
            .field("private_key", &"***")
            .finish()
    }
}

impl ServiceAccount {
    /// Parses a service-account key file's JSON.
    pub(crate) fn from_json(text: &str) -> Result<Self, String> {
        // Parsed as a `Value`: serde's syntax errors give a position, never content.
        let v: Json = serde_json::from_str(text)
            .map_err(|e| format!("not valid JSON (line {}, column {})", e.line(), e.column()))?;
        let obj = v.as_object().ok_or("not a JSON object")?;
        let field = |name: &str| {
            obj.get(name)
                .and_then(Json::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        match field("type") {
            Some("service_account") => {}
            Some(other) => {
                // Credential types are short snake_case names; show nothing else.
                let shown = if other.len() <= 40
                    && other.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                {
                    format!("`{other}`")
                } else {
                    "another type".to_owned()
                };
                return Err(format!(
                    "`type` is {shown}; only `service_account` keys are supported \
                     (for user or workload-identity credentials use a token provider)"
                ));
            }
            None => return Err("has no `type` (expected `service_account`)".to_owned()),
        }
        let client_email = field("client_email")
            .ok_or("has no `client_email`")?
            .to_owned();
        let pem = obj
            .get("private_key")
            .and_then(Json::as_str)
            .ok_or("has no `private_key`")?;
        let key = decode_private_key(pem).map_err(|why| format!("`private_key` {why}"))?;
        let token_uri = field("token_uri").unwrap_or(DEFAULT_TOKEN_URI).to_owned();
        if check_http_url("token_uri", &token_uri).is_err() {
            return Err("`token_uri` is not an http:// or https:// URL".to_owned());
        }
        Ok(ServiceAccount {
            client_email,
            project_id: field("project_id").map(str::to_owned),
            key_id: field("private_key_id").map(str::to_owned),
            token_uri,
            key,
            rng: SystemRandom::new(),
        })
    }

    /// The key's `project_id`, if it has one.
    pub(crate) fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The signed JWT asserting this account for [`SCOPE`], issued at `now`.
    pub(crate) fn assertion(&self, now: SystemTime) -> Result<Secret, SinkError> {
        let iat = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SinkError::new("the system clock is set before 1970"))?
            .as_secs();
        let mut header = serde_json::Map::new();
        header.insert("alg".into(), "RS256".into());
        header.insert("typ".into(), "JWT".into());
        if let Some(kid) = &self.key_id {
            header.insert("kid".into(), kid.as_str().into());
        }
        let claims = json!({
            "iss": self.client_email,
            "scope": SCOPE,
            "aud": self.token_uri,
            "iat": iat,
            "exp": iat + JWT_LIFETIME_SECS,
        });
        let encode = |v: &Json| -> Result<String, SinkError> {
            serde_json::to_vec(v)
                .map(|b| URL_SAFE_NO_PAD.encode(b))
                .map_err(|e| SinkError::new(format!("encoding the JWT failed: {e}")))
        };
        let signing_input = format!("{}.{}", encode(&Json::Object(header))?, encode(&claims)?);
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &self.rng,
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| SinkError::new("signing the service-account JWT failed"))?;
        Ok(Secret::new(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }

    /// Exchanges a fresh assertion for an access token and its lifetime.
    pub(crate) fn fetch_token(
        &self,
        transport: &HttpTransport,
    ) -> Result<(Secret, Duration), SinkError> {
        let assertion = self.assertion(SystemTime::now())?;
        let body = format!(
            "grant_type={}&assertion={}",
            utf8_percent_encode(GRANT_TYPE, FORM),
            utf8_percent_encode(assertion.expose(), FORM)
        );
        let req = Request::new(Method::Post, self.token_uri.as_str())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .encoding(Encoding::Identity)
            .body(body.into_bytes());
        let resp = transport.send(req).map_err(|e| {
            let text = scrub(&e.to_string(), assertion.expose());
            let err = SinkError::new(format!("service-account token request: {text}"));
            match e.status() {
                Some(s) => err.with_status(s),
                None => err,
            }
        })?;
        let (token, expires_in) = parse_token(&resp.body)
            .ok_or_else(|| SinkError::new("service-account token: unexpected reply"))?;
        Ok((Secret::new(token), expires_in))
    }
}

/// The DER of a PEM `PRIVATE KEY` (PKCS#8, what Google issues) or `RSA PRIVATE KEY`
/// (PKCS#1), as an RSA key pair. Errors describe, never quote.
fn decode_private_key(pem: &str) -> Result<RsaKeyPair, String> {
    let begin = pem
        .find("-----BEGIN ")
        .ok_or("is not a PEM block (no `-----BEGIN`)")?;
    let after_begin = pem.get(begin + "-----BEGIN ".len()..).unwrap_or_default();
    let (label, rest) = after_begin
        .split_once("-----")
        .ok_or("is not a PEM block (bad BEGIN line)")?;
    let end_line = format!("-----END {label}-----");
    let (b64, _) = rest
        .split_once(end_line.as_str())
        .ok_or("is not a PEM block (no matching END line)")?;
    let b64: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = STANDARD
        .decode(b64.as_bytes())
        .map_err(|_| "is not a PEM block (bad base64)")?;
    let parsed = match label {
        "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
        "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
        "ENCRYPTED PRIVATE KEY" => return Err("is encrypted; an unencrypted key is needed".into()),
        _ => {
            let shown = if label.len() <= 40
                && label.bytes().all(|b| b.is_ascii_uppercase() || b == b' ')
            {
                format!("a `{label}`")
            } else {
                "another kind of".to_owned()
            };
            return Err(format!(
                "is {shown} PEM block, expected `PRIVATE KEY` (PKCS#8)"
            ));
        }
    };
    // ring's rejection reasons are fixed words (`WrongAlgorithm`, `TooSmall`, …).
    parsed.map_err(|e| match e.to_string().as_str() {
        "WrongAlgorithm" => "is not an RSA key (RS256 needs one)".to_owned(),
        why => format!("is not a usable RSA private key ({why})"),
    })
}

/// `text` with every fragment of `secret` at least [`SCRUB_WINDOW`] bytes long
/// replaced by `***`: a token endpoint that echoes the request body, whole or cut at
/// the transport's error-text limit, percent-encoded dots and all, leaves nothing of
/// the assertion behind.
fn scrub(text: &str, secret: &str) -> String {
    let windows: HashSet<&[u8]> = secret.as_bytes().windows(SCRUB_WINDOW).collect();
    let bytes = text.as_bytes();
    let mut covered = vec![false; bytes.len()];
    for (i, w) in bytes.windows(SCRUB_WINDOW).enumerate() {
        if windows.contains(w) {
            for c in covered.iter_mut().skip(i).take(SCRUB_WINDOW) {
                *c = true;
            }
        }
    }
    // Covered ranges are fragments of the (ASCII) assertion: always whole characters.
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if covered.get(i).copied().unwrap_or(false) {
            out.push_str(text.get(start..i).unwrap_or_default());
            while covered.get(i).copied().unwrap_or(false) {
                i += 1;
            }
            out.push_str("***");
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_fragment_of_the_secret_is_scrubbed() {
        let secret = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz";
        let cut = &secret[..30];
        let encoded = secret.replace('.', "%2E");
        let text = format!("status 400: a={secret}&b={cut}… c={encoded} é ok");
        let out = scrub(&text, secret);
        assert_eq!(out, "status 400: a=***&b=***… c=***%2E***%2E*** é ok");
        assert_eq!(scrub("nothing here", secret), "nothing here");
        assert_eq!(scrub("", secret), "");
    }

    #[test]
    fn bad_keys_are_described_without_their_content() {
        let cases = [
            ("{", "not valid JSON"),
            ("[1]", "not a JSON object"),
            (r#"{"type":"authorized_user"}"#, "`authorized_user`"),
            (r#"{"client_email":"a@b"}"#, "no `type`"),
            (r#"{"type":"service_account"}"#, "no `client_email`"),
            (
                r#"{"type":"service_account","client_email":"a@b"}"#,
                "no `private_key`",
            ),
            (
                r#"{"type":"service_account","client_email":"a@b","private_key":"c2VjcmV0LWtleQ=="}"#,
                "not a PEM block",
            ),
            (
                r#"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\n!!c2VjcmV0\n-----END PRIVATE KEY-----\n"}"#,
                "bad base64",
            ),
            (
                r#"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleQ==\n-----END PRIVATE KEY-----\n"}"#,
                "not a usable RSA private key",
            ),
            (
                r#"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN CERTIFICATE-----\nc2VjcmV0LWtleQ==\n-----END CERTIFICATE-----\n"}"#,
                "`CERTIFICATE`",
            ),
        ];
        for (json, expected) in cases {
            let e = ServiceAccount::from_json(json).unwrap_err();
            assert!(e.contains(expected), "{json}: {e}");
            assert!(!e.contains("c2VjcmV0"), "{e}");
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let e = KeySource::File(PathBuf::from("/nonexistent/telemetra-key.json"))
            .load()
            .unwrap_err();
        assert!(e.contains("/nonexistent/telemetra-key.json"), "{e}");
        assert!(e.contains("cannot be opened"), "{e}");
        let e = KeySource::Json(Secret::new("{\"type\":\"x\"}"))
            .load()
            .unwrap_err();
        assert!(e.contains("`x`"), "{e}");
        assert!(!format!("{:?}", KeySource::Json(Secret::new("k3y"))).contains("k3y"));
    }
}
