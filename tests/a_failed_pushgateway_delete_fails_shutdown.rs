//! With `delete_on_shutdown`, the Pushgateway sink deletes its group when the pipeline
//! shuts down. A delete the gateway refuses leaves the group there: `shutdown()` says so
//! (`Error::Export` naming the sink) and `on_error` gets the reason. Before, the failed
//! delete was dropped silently and `shutdown()` returned `Ok`.
#![cfg(feature = "prometheus")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use support::server::{Reply, TestServer};
use telemetra::sinks::http::HttpConfig;
use telemetra::sinks::prometheus::PushgatewaySink;
use telemetra::Error;

/// Starts a pipeline pushing to `server` with delete-on-shutdown, emits one count and
/// shuts down; returns the shutdown result and every `on_error` text.
fn push_and_shut_down(server: &TestServer) -> (Result<(), Error>, Vec<String>) {
    let sink = PushgatewaySink::builder(server.url(""))
        .job("shutdown_delete")
        .unique_grouping_key(true)
        .delete_on_shutdown(true)
        .http(
            HttpConfig::builder()
                .max_attempts(1)
                .request_timeout(Duration::from_secs(5))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let (t, errors) = support::start_reporting(sink);
    t.count("jobs.done", 1, ());
    let result = t.shutdown(Duration::from_secs(20));
    // A second call reports the same outcome.
    let again = t.shutdown(Duration::from_secs(1));
    assert_eq!(
        format!("{result:?}"),
        format!("{again:?}"),
        "a later shutdown() reports the first one's outcome"
    );
    let texts = errors.lock().unwrap().clone();
    (result, texts)
}

fn methods(server: &TestServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.method).collect()
}

#[test]
fn a_refused_delete_is_an_export_error_of_the_sink() {
    // The final push is accepted, the delete is not.
    let server = TestServer::start(vec![Reply::ok(), Reply::status(500)]);
    let (result, errors) = push_and_shut_down(&server);
    assert_eq!(methods(&server), ["PUT", "DELETE"]);
    match result {
        Err(Error::Export { sinks, failures }) => {
            assert_eq!(sinks, ["prometheus"]);
            // The cause travels with the error, not only through `on_error`.
            let f = &failures[0];
            assert_eq!(f.kind, telemetra::FailureKind::Shutdown);
            assert_eq!(f.status, Some(500));
            assert!(f.message.contains("deleting the group"), "{f}");
            let text = Error::Export { sinks, failures }.to_string();
            assert!(
                text.contains("`prometheus` (shutdown, HTTP 500): deleting the group"),
                "{text}"
            );
        }
        other => panic!("shutdown should report the failed delete: {other:?}"),
    }
    assert!(
        errors
            .iter()
            .any(|e| e.contains("deleting the group at shutdown failed") && e.contains("500")),
        "{errors:?}"
    );
}

#[test]
fn an_unreachable_gateway_at_delete_time_is_reported_too() {
    // The gateway hangs up on the delete.
    let server = TestServer::start(vec![Reply::ok(), Reply::hang_up()]);
    let (result, errors) = push_and_shut_down(&server);
    assert!(
        matches!(&result, Err(Error::Export { sinks, failures })
            if sinks == &["prometheus"] && failures[0].status.is_none()),
        "{result:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("deleting the group at shutdown failed")),
        "{errors:?}"
    );
}

#[test]
fn an_accepted_delete_shuts_down_cleanly() {
    let server = TestServer::start(vec![Reply::ok(), Reply::status(202)]);
    let (result, errors) = push_and_shut_down(&server);
    assert_eq!(methods(&server), ["PUT", "DELETE"]);
    assert!(result.is_ok(), "{result:?}");
    assert!(errors.is_empty(), "{errors:?}");
}
