//! The alert notifiers' HTTP seam implemented by the sinks' shared transport (reqwest
//! with rustls): what production Slack, PagerDuty and Alertmanager endpoints need.

use super::{HttpPost, HttpResponse, TransportError};
use crate::sinks::http::{HttpTransport, Method, Request};

/// Sends with the shared HTTP transport. Give the transport `max_attempts(1)` when the
/// [`Dispatcher`](super::Dispatcher) does the retrying (it does by default), so that
/// the two retry loops do not multiply.
impl HttpPost for HttpTransport {
    fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<HttpResponse, TransportError> {
        let mut req = Request::new(Method::Post, url).body(body.to_vec());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        match self.send(req) {
            Ok(r) => Ok(HttpResponse {
                status: r.status,
                body: r.body,
                retry_after: None,
            }),
            // An HTTP answer that is not a success: hand its status to the dispatcher,
            // whose retry policy decides. The text is the transport's (truncated,
            // secrets scrubbed), never the request.
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
