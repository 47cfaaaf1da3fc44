//! The alert notifiers' HTTP seam implemented by the sinks' shared transport (reqwest
//! with rustls): what production Slack, PagerDuty and Alertmanager endpoints need.

use super::{HttpPost, HttpResponse, TransportError};
use crate::sinks::http::{Encoding, HttpTransport, Method, Request, Secret};

/// Sends with the shared HTTP transport, one attempt per call: the
/// [`Dispatcher`](super::Dispatcher) does the retrying, with the same backoff policy
/// (its [`RetryPolicy`](super::RetryPolicy)), so the two never multiply.
impl HttpPost for HttpTransport {
    fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<HttpResponse, TransportError> {
        // Vendors' webhook endpoints take plain JSON: no request compression.
        let mut req = Request::new(Method::Post, url)
            .encoding(Encoding::Identity)
            .body(body.to_vec());
        // The URL is a secret (a Slack or webhook path token), so are header values
        // other than the content type (auth headers): an endpoint that echoes them in
        // an error has them scrubbed.
        req = req.redacting(Secret::new(url));
        if let Ok(parsed) = reqwest::Url::parse(url) {
            let path = match parsed.query() {
                Some(q) => format!("{}?{q}", parsed.path()),
                None => parsed.path().to_owned(),
            };
            if path.len() > 1 {
                req = req.redacting(Secret::new(path));
            }
        }
        for (k, v) in headers {
            req = if k.eq_ignore_ascii_case("content-type") {
                req.header(*k, *v)
            } else {
                req.secret_header(*k, Secret::new(*v))
            };
        }
        match self.send_once(req) {
            Ok(r) => Ok(HttpResponse {
                status: r.status,
                body: r.body,
                retry_after: None,
            }),
            // An HTTP answer that is not a success: hand its status to the dispatcher,
            // whose retry policy decides. The text is the transport's (secrets
            // scrubbed, then truncated), never the request.
            Err(e) => match e.status() {
                Some(status) => Ok(HttpResponse {
                    status,
                    body: e.to_string().into_bytes(),
                    retry_after: e.retry_after_hint(),
                }),
                None => Err(TransportError::Connect(e.to_string())),
            },
        }
    }
}
