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
        match self.answer_once(req) {
            // Any HTTP answer goes to the dispatcher, whose retry policy decides, with
            // its whole body: the request's secrets are scrubbed from a failure's body
            // here, the dispatcher scrubs the notifier's own (a routing key) from
            // every body, and nothing is cut before both are done.
            Ok(answer) => Ok(HttpResponse {
                status: answer.status,
                body: answer.body,
                retry_after: answer.retry_after,
            }),
            // No answer: the transport's text (secrets scrubbed, then cut).
            Err(e) => Err(TransportError::Connect(e.to_string())),
        }
    }
}
