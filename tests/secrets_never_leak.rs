//! No credential escapes, on any error path of any sink or notifier. Every request goes
//! to a loopback server that answers 4xx/5xx and echoes what it received — request line,
//! headers (as sent, percent-encoded and base64-encoded) and body — as careless gateways
//! and debugging proxies do. Whatever the application can then see (every `Error`'s
//! `Display` and `Debug`, every builder's and sink's `Debug`, every `on_error` text,
//! every notifier outcome) must hold no secret: not as sent, not base64-encoded, not
//! percent-encoded, and for Basic credentials not the base64 of `user:pass` nor the
//! password.
//!
//! Each test also checks that the server did receive the credential and that the error
//! text shows `***` where the echo was, so that a clean text means "scrubbed", not
//! "the echo never made it into the error".
#![cfg(all(
    feature = "prometheus",
    feature = "http",
    feature = "datadog",
    feature = "gcp"
))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use support::server::{Reply, TestServer};
use telemetra::alert::notify::{
    AlertmanagerNotifier, Channel, Dispatcher, HttpPost, HttpResponse, Notifier, PagerDutyNotifier,
    Request as NotifyRequest, RetryPolicy, Secret, SlackNotifier, TransportError, WebhookNotifier,
};
use telemetra::alert::{AlertRule, Comparison, ReliabilitySink, Severity};
use telemetra::sinks::datadog::DatadogSink;
use telemetra::sinks::gcp::GcpSink;
use telemetra::sinks::http::{HttpConfig, HttpTransport};
use telemetra::sinks::ingest::HttpIngestSink;
use telemetra::sinks::prometheus::PushgatewaySink;
use telemetra::sinks::Sink;

/// A secret in every form it must not appear in.
fn forms(secret: &str) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
    let pct = |s: &str, set| percent_encoding::utf8_percent_encode(s, set).to_string();
    const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    vec![
        secret.to_owned(),
        b64.clone(),
        pct(secret, UNRESERVED),
        pct(secret, percent_encoding::NON_ALPHANUMERIC),
        pct(&b64, percent_encoding::NON_ALPHANUMERIC),
    ]
}

/// Basic credentials: the password, `user:pass` and its base64, in every form.
fn basic_forms(user: &str, pass: &str) -> Vec<String> {
    let pair = format!("{user}:{pass}");
    let mut all = forms(pass);
    all.extend(forms(&pair));
    all
}

/// Credentials a URL held (`user:encoded_pass@`): the password as written in the URL
/// and decoded, `user:pass`, each in every form.
fn url_credential_forms(user: &str, pass: &str, encoded_pass: &str) -> Vec<String> {
    let mut all = basic_forms(user, pass);
    all.extend(forms(encoded_pass));
    all
}

/// The `Authorization` value a client makes of URL credentials.
fn basic_header(user: &str, pass: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    format!("Basic {b64}")
}

#[track_caller]
fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for s in secrets {
        assert!(
            !text.contains(s.as_str()),
            "{what}: `{s}` leaked in: {text}"
        );
    }
}

fn one_attempt() -> HttpConfig {
    HttpConfig::builder()
        .max_attempts(1)
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Runs `sink` in a pipeline for `rounds` flushes, each with a new counter (so that
/// every sink has something due); returns every error text the application saw.
fn run(sink: impl Sink, rounds: usize) -> Vec<String> {
    let (t, errors) = support::start_reporting(sink);
    let mut returned = Vec::new();
    for round in 0..rounds {
        t.count(format!("jobs.round{round}"), 1, ());
        if let Err(e) = t.flush(Duration::from_secs(20)) {
            returned.push(format!("flush: {e} | {e:?}"));
        }
    }
    if let Err(e) = t.shutdown(Duration::from_secs(20)) {
        returned.push(format!("shutdown: {e} | {e:?}"));
    }
    support::wait_for(|| errors.lock().unwrap().len() >= rounds);
    let mut all = errors.lock().unwrap().clone();
    assert!(
        all.len() >= rounds,
        "every round must fail and be reported: {all:?}"
    );
    all.extend(returned);
    all
}

/// Every reported error shows the scrubbed echo.
#[track_caller]
fn assert_scrubbed(texts: &[String]) {
    let reported: Vec<&String> = texts.iter().filter(|t| t.starts_with("on_error")).collect();
    assert!(
        reported.iter().all(|t| t.contains("***")),
        "the echo should reach the error, scrubbed: {reported:?}"
    );
}

const DD_KEY: &str = "dd0123456789abcdef+dd/s3cret=KEY";

#[test]
fn datadog_api_key() {
    // A permanent rejection, then a transient failure.
    let server = TestServer::start(vec![Reply::echo(403), Reply::echo(503)]);
    let builder = DatadogSink::builder(DD_KEY)
        .base_url(server.url(""))
        .transport(HttpTransport::new(one_attempt()).unwrap());
    let builder_debug = format!("{builder:?}");
    let sink = builder.build().unwrap();
    let sink_debug = format!("{sink:?}");
    let texts = run(sink, 2);
    let reqs = server.requests();
    assert_eq!(reqs[0].header("dd-api-key"), Some(DD_KEY));
    assert_scrubbed(&texts);
    let all = format!("{texts:?} {builder_debug} {sink_debug}");
    assert_clean("datadog", &all, &forms(DD_KEY));
}

#[test]
fn datadog_base_url_credentials() {
    let (user, pass) = ("dduser", "dd-pr0xy-pa55!word");
    let server = TestServer::start(vec![Reply::echo(407)]);
    let url = format!(
        "http://{user}:{}@127.0.0.1:{}",
        "dd-pr0xy-pa55%21word",
        server.port()
    );
    let builder = DatadogSink::builder(DD_KEY)
        .base_url(url)
        .transport(HttpTransport::new(one_attempt()).unwrap());
    let builder_debug = format!("{builder:?}");
    let sink = builder.build().unwrap();
    let sink_debug = format!("{sink:?}");
    let texts = run(sink, 1);
    let reqs = server.requests();
    assert_eq!(
        reqs[0].header("authorization"),
        Some(basic_header(user, pass).as_str()),
        "the transport sends URL user info as a Basic header it knows is secret"
    );
    assert_scrubbed(&texts);
    let mut secrets = url_credential_forms(user, pass, "dd-pr0xy-pa55%21word");
    secrets.extend(forms(DD_KEY));
    let all = format!("{texts:?} {builder_debug} {sink_debug}");
    assert_clean("datadog base_url", &all, &secrets);
}

#[test]
fn pushgateway_basic_auth() {
    let (user, pass) = ("pusher", "pg-hunter2/s3cret!");
    let encoded_pass = "pg-hunter2%2Fs3cret%21";
    let server = TestServer::start(vec![Reply::echo(401), Reply::echo(502)]);
    let url = format!("http://{user}:{encoded_pass}@127.0.0.1:{}", server.port());
    let builder = PushgatewaySink::builder(url)
        .job("leak_check")
        .unique_grouping_key(true)
        .http(one_attempt());
    let builder_debug = format!("{builder:?}");
    let sink = builder.build().unwrap();
    let sink_debug = format!("{sink:?}");
    let texts = run(sink, 2);
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(basic_header(user, pass).as_str())
    );
    assert_scrubbed(&texts);
    let secrets = url_credential_forms(user, pass, encoded_pass);
    let all = format!("{texts:?} {builder_debug} {sink_debug}");
    assert_clean("pushgateway", &all, &secrets);
}

/// The delete at shutdown (`delete_on_shutdown`) is an error path of its own since it
/// is reported: an echoing 401 shows no credential there either.
#[test]
fn pushgateway_delete_at_shutdown() {
    let (user, pass) = ("deleter", "pg-d3lete/s3cret!");
    let encoded_pass = "pg-d3lete%2Fs3cret%21";
    // The flush's and the final export's PUTs are accepted, the DELETE is not.
    let server = TestServer::start(vec![Reply::ok(), Reply::ok(), Reply::echo(401)]);
    let url = format!("http://{user}:{encoded_pass}@127.0.0.1:{}", server.port());
    let sink = PushgatewaySink::builder(url)
        .job("leak_check")
        .unique_grouping_key(true)
        .delete_on_shutdown(true)
        .http(one_attempt())
        .build()
        .unwrap();
    let texts = run(sink, 1);
    assert_eq!(server.requests()[2].method, "DELETE");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("shutdown:") && t.contains("Export")),
        "{texts:?}"
    );
    assert_scrubbed(&texts);
    let secrets = url_credential_forms(user, pass, encoded_pass);
    assert_clean("pushgateway delete", &format!("{texts:?}"), &secrets);
}

#[test]
fn http_ingest_bearer_token() {
    let token = "ing-t0ken/s3cret+value=";
    let server = TestServer::start(vec![Reply::echo(401), Reply::echo(503)]);
    let builder = HttpIngestSink::builder(server.url("/v1/ingest"))
        .bearer_token(Secret::new(token))
        .records(false)
        .http(one_attempt());
    let builder_debug = format!("{builder:?}");
    let sink = builder.build().unwrap();
    let sink_debug = format!("{sink:?}");
    let texts = run(sink, 2);
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_scrubbed(&texts);
    let mut secrets = forms(token);
    secrets.extend(forms(&format!("Bearer {token}")));
    let all = format!("{texts:?} {builder_debug} {sink_debug}");
    assert_clean("ingest", &all, &secrets);
}

#[test]
fn gcp_static_token() {
    let token = "ya29.gcp-s3cret/token+value";
    // Unauthorized (transient: the token is refreshed), a server error, a refusal.
    let server = TestServer::start(vec![Reply::echo(401), Reply::echo(500), Reply::echo(400)]);
    let builder = GcpSink::builder("leak-project")
        .base_url(server.url(""))
        .token(token)
        .transport(HttpTransport::new(one_attempt()).unwrap());
    let builder_debug = format!("{builder:?}");
    let sink = builder.build().unwrap();
    let sink_debug = format!("{sink:?}");
    let texts = run(sink, 3);
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    // The 400 is summarised (points refused), the others carry the scrubbed echo.
    let with_echo: Vec<String> = texts
        .iter()
        .filter(|t| {
            t.starts_with("on_error") && (t.contains("status 401") || t.contains("status 500"))
        })
        .cloned()
        .collect();
    assert_scrubbed(&with_echo);
    let mut secrets = forms(token);
    secrets.extend(forms(&format!("Bearer {token}")));
    let all = format!("{texts:?} {builder_debug} {sink_debug}");
    assert_clean("gcp", &all, &secrets);
}

#[test]
fn gcp_metadata_server_token() {
    let token = "ya29.from-metadata/s3cret+tok";
    let server = TestServer::start(vec![
        Reply::ok().body(&format!(
            r#"{{"access_token":"{token}","expires_in":3599,"token_type":"Bearer"}}"#
        )),
        Reply::echo(403),
    ]);
    let sink = GcpSink::builder("leak-project")
        .base_url(server.url(""))
        .metadata_server(server.url(""))
        .transport(HttpTransport::new(one_attempt()).unwrap())
        .build()
        .unwrap();
    let texts = run(sink, 1);
    assert_eq!(
        server.requests()[1].header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_scrubbed(&texts);
    assert_clean("gcp metadata", &format!("{texts:?}"), &forms(token));
}

/// Credentials inside the GCP sink's URLs (user info, a query token) appear neither
/// in its builder's or sink's `Debug` output nor in any error; the metadata server
/// echoes the token request.
#[test]
fn gcp_url_credentials() {
    let (user, pass) = ("gcpuser", "gcp-pr0xy/pa55!");
    let encoded_pass = "gcp-pr0xy%2Fpa55%21";
    let query_token = "md-qu3ry-t0ken-s3cret";
    // Two flushes and the final export at shutdown.
    let server = TestServer::start(vec![Reply::echo(401), Reply::echo(403), Reply::echo(500)]);
    let with_creds = |query: &str| {
        format!(
            "http://{user}:{encoded_pass}@127.0.0.1:{}/{query}",
            server.port()
        )
    };
    // Debug only: a query on a base URL is not usable (paths are appended to it).
    let shown = GcpSink::builder("leak-project")
        .base_url(with_creds(&format!("?key={query_token}")))
        .metadata_server(with_creds(&format!("?access_token={query_token}")));
    let shown_debug = format!("{shown:?} {:?}", shown.clone().build().unwrap());
    assert!(shown_debug.contains("127.0.0.1"), "{shown_debug}");

    let builder = GcpSink::builder("leak-project")
        .base_url(with_creds(""))
        .metadata_server(with_creds(""))
        .transport(HttpTransport::new(one_attempt()).unwrap());
    let builder_debug = format!("{builder:?}");
    let sink = builder.build().unwrap();
    let sink_debug = format!("{sink:?}");
    let texts = run(sink, 2);
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(basic_header(user, pass).as_str()),
        "the metadata request carries the URL's credentials"
    );
    assert_scrubbed(&texts);
    let mut secrets = url_credential_forms(user, pass, encoded_pass);
    secrets.extend(forms(query_token));
    let all = format!("{texts:?} {shown_debug} {builder_debug} {sink_debug}");
    assert_clean("gcp urls", &all, &secrets);
}

/// An agent URL with credentials is refused by the APM sink's `build()`; neither the
/// builder's `Debug` output nor that error shows them.
#[test]
fn datadog_apm_agent_url_credentials() {
    use telemetra::sinks::datadog_apm::DatadogApmSink;
    let (user, pass) = ("apmuser", "apm-pr0xy/pa55!");
    let encoded_pass = "apm-pr0xy%2Fpa55%21";
    let builder = DatadogApmSink::builder("leak-service").agent_url(format!(
        "http://{user}:{encoded_pass}@127.0.0.1:8126/?token={encoded_pass}"
    ));
    let builder_debug = format!("{builder:?}");
    assert!(builder_debug.contains("127.0.0.1:8126"), "{builder_debug}");
    let e = builder.build().unwrap_err();
    let all = format!("{builder_debug} {e} {e:?}");
    let secrets = url_credential_forms(user, pass, encoded_pass);
    assert_clean("datadog apm", &all, &secrets);
}

const SLACK_TOKEN: &str = "XXsl4ck-s3cret-hook-token";
const HOOK_TOKEN: &str = "wh-path-s3cret-0123";
const HOOK_AUTH: &str = "wh-bearer/s3cret+token=";
const ROUTING_KEY: &str = "R0UT1NG-s3cret-key-0123456789abc";
const AM_USER: &str = "amuser";
const AM_PASS: &str = "am-pa55/s3cret!";

fn notifier_secrets() -> Vec<String> {
    let mut s = forms(SLACK_TOKEN);
    s.extend(forms(&format!("/services/T000/B000/{SLACK_TOKEN}")));
    s.extend(forms(HOOK_TOKEN));
    s.extend(forms(HOOK_AUTH));
    s.extend(forms(&format!("Bearer {HOOK_AUTH}")));
    s.extend(forms(ROUTING_KEY));
    s.extend(basic_forms(AM_USER, AM_PASS));
    s
}

fn dispatcher(server: &TestServer, attempts: u32) -> Dispatcher {
    let mut pd = PagerDutyNotifier::new(Secret::new(ROUTING_KEY));
    pd.url = Secret::new(server.url("/v2/enqueue"));
    let mut hook = WebhookNotifier::new(Secret::new(server.url(&format!("/hook/{HOOK_TOKEN}"))));
    hook.headers.push((
        "Authorization".to_owned(),
        Secret::new(format!("Bearer {HOOK_AUTH}")),
    ));
    let am_url = format!(
        "http://{AM_USER}:{}@127.0.0.1:{}",
        AM_PASS.replace('/', "%2F").replace('!', "%21"),
        server.port()
    );
    Dispatcher::new(Arc::new(HttpTransport::new(one_attempt()).unwrap()))
        .retry_policy(RetryPolicy {
            max_attempts: attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            jitter: true,
        })
        .notifier(SlackNotifier::new(Secret::new(
            server.url(&format!("/services/T000/B000/{SLACK_TOKEN}")),
        )))
        .notifier(pd)
        .notifier(hook)
        .notifier(AlertmanagerNotifier::new(Secret::new(am_url)))
}

/// All four notifiers, through the pipeline: the `ReliabilitySink` reports the failed
/// notifications to `on_error`; first final statuses, then retried ones.
#[test]
fn alert_notifiers_through_the_pipeline() {
    let server = TestServer::start(vec![Reply::echo(401); 4]);
    let d = dispatcher(&server, 1);
    let dispatcher_debug = format!("{d:?}");
    let sink = ReliabilitySink::builder()
        .rule(
            AlertRule::builder("any_error", "jobs.round0")
                .condition(Comparison::Gt, 0.0)
                .severity(Severity::P0)
                .build()
                .unwrap(),
        )
        .dispatcher(d)
        .build()
        .unwrap();
    let sink_debug = format!("{sink:?}");
    let texts = run(sink, 1);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 4, "{reqs:?}");
    let auth: Vec<Option<&str>> = reqs.iter().map(|r| r.header("authorization")).collect();
    assert!(auth.contains(&Some(format!("Bearer {HOOK_AUTH}").as_str())));
    assert!(reqs.iter().any(|r| r.text().contains(ROUTING_KEY)));
    assert!(
        texts
            .iter()
            .any(|t| t.contains("4 of 4 alert notifications failed")),
        "{texts:?}"
    );
    let all = format!("{texts:?} {dispatcher_debug} {sink_debug}");
    assert_clean("notifiers via pipeline", &all, &notifier_secrets());
}

/// The dispatcher directly, with retries (503 every time), and the transport's own
/// answers: outcomes, errors and the response text hold no secret the transport knows.
#[test]
fn alert_notifiers_retried_and_raw() {
    let server = TestServer::start(vec![Reply::echo(503); 8]);
    let d = dispatcher(&server, 2);
    let event = sample_event();
    let report = d.dispatch(std::slice::from_ref(&event));
    assert_eq!(report.outcomes.len(), 4);
    assert_eq!(report.delivered(), 0);
    assert_eq!(server.requests().len(), 8);
    let mut texts = vec![format!("{report:?}"), format!("{d:?}")];
    for o in &report.outcomes {
        let e = o.result.as_ref().unwrap_err();
        texts.push(format!("{e} | {e:?}"));
    }
    assert_clean("dispatcher", &format!("{texts:?}"), &notifier_secrets());

    // The HttpPost seam itself: an echoed URL token, auth header or URL credentials
    // never come back in the response text either.
    let server = TestServer::start(vec![Reply::echo(400); 3]);
    let t = HttpTransport::new(one_attempt()).unwrap();
    let slack = t
        .post(
            &server.url(&format!("/services/T000/B000/{SLACK_TOKEN}")),
            &[("Content-Type", "application/json")],
            b"{}",
        )
        .unwrap();
    let hook = t
        .post(
            &server.url("/hook"),
            &[("Authorization", &format!("Bearer {HOOK_AUTH}"))],
            b"{}",
        )
        .unwrap();
    let am = t
        .post(
            &format!(
                "http://{AM_USER}:{}@127.0.0.1:{}/api/v2/alerts",
                AM_PASS.replace('/', "%2F").replace('!', "%21"),
                server.port()
            ),
            &[],
            b"[]",
        )
        .unwrap();
    let bodies: Vec<String> = [slack, hook, am]
        .iter()
        .map(|r| {
            assert_eq!(r.status, 400);
            String::from_utf8_lossy(&r.body).into_owned()
        })
        .collect();
    assert!(bodies.iter().all(|b| b.contains("***")), "{bodies:?}");
    assert_clean(
        "HttpPost responses",
        &format!("{bodies:?}"),
        &notifier_secrets(),
    );
}

/// Records the response bodies a notifier's `delivered` is handed.
#[derive(Debug)]
struct Recording<N> {
    inner: N,
    seen: Arc<Mutex<Vec<String>>>,
}

impl<N: Notifier> Notifier for Recording<N> {
    fn channel(&self) -> Channel {
        self.inner.channel()
    }
    fn accepts(&self, event: &telemetra::alert::AlertEvent) -> bool {
        self.inner.accepts(event)
    }
    fn request(
        &self,
        event: &telemetra::alert::AlertEvent,
    ) -> Result<NotifyRequest, telemetra::alert::AlertError> {
        self.inner.request(event)
    }
    fn delivered(&self, response: &HttpResponse) -> bool {
        let body = String::from_utf8_lossy(&response.body).into_owned();
        self.seen.lock().unwrap().push(body);
        self.inner.delivered(response)
    }
    fn secrets(&self) -> Vec<&Secret> {
        self.inner.secrets()
    }
}

/// A dispatcher over `transport` with all four notifiers, each recording what its
/// `delivered` reads into `seen`.
fn recording_dispatcher(
    transport: Arc<dyn HttpPost>,
    base: &str,
    seen: &Arc<Mutex<Vec<String>>>,
) -> Dispatcher {
    let rec = |n| Recording {
        inner: n,
        seen: Arc::clone(seen),
    };
    let mut pd = PagerDutyNotifier::new(Secret::new(ROUTING_KEY));
    pd.url = Secret::new(format!("{base}/v2/enqueue"));
    let mut hook = WebhookNotifier::new(Secret::new(format!("{base}/hook/{HOOK_TOKEN}")));
    hook.headers.push((
        "Authorization".to_owned(),
        Secret::new(format!("Bearer {HOOK_AUTH}")),
    ));
    let am_url = base.replacen(
        "http://",
        &format!(
            "http://{AM_USER}:{}@",
            AM_PASS.replace('/', "%2F").replace('!', "%21")
        ),
        1,
    );
    Dispatcher::new(transport)
        .retry_policy(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
        .notifier(rec(SlackNotifier::new(Secret::new(format!(
            "{base}/services/T000/B000/{SLACK_TOKEN}"
        )))))
        .notifier(Recording {
            inner: pd,
            seen: Arc::clone(seen),
        })
        .notifier(Recording {
            inner: hook,
            seen: Arc::clone(seen),
        })
        .notifier(Recording {
            inner: AlertmanagerNotifier::new(Secret::new(am_url)),
            seen: Arc::clone(seen),
        })
}

/// PagerDuty (and a careless gateway in front of any webhook) can answer `2xx` with
/// the request echoed: the routing key, the webhook's path token, its bearer token,
/// Alertmanager's Basic credentials. `delivered` reads the answer with all of them
/// scrubbed.
#[test]
fn alert_notifiers_delivered_answers_are_scrubbed() {
    let server = TestServer::start(vec![Reply::echo(200); 4]);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let transport = Arc::new(HttpTransport::new(one_attempt()).unwrap());
    let d = recording_dispatcher(transport, &server.url(""), &seen);
    let report = d.dispatch(&[sample_event()]);
    assert_eq!(report.delivered(), 4, "{report:?}");
    let reqs = server.requests();
    assert!(reqs.iter().any(|r| r.text().contains(ROUTING_KEY)));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4);
    assert!(
        seen.iter()
            .all(|b| b.starts_with("you sent") && b.contains("***")),
        "the echo should reach delivered(), scrubbed: {seen:?}"
    );
    assert!(
        seen.iter().any(|b| b.contains(r#""routing_key":"***""#)),
        "{seen:?}"
    );
    let all = format!("{seen:?} {report:?}");
    assert_clean("delivered answers", &all, &notifier_secrets());
}

/// An `HttpPost` of the application's own that puts the URL, the headers and the body
/// into its errors (against the trait's advice): the dispatcher's outcomes still hold
/// no secret.
#[test]
fn alert_notifiers_errors_of_a_careless_transport_are_scrubbed() {
    #[derive(Debug)]
    struct Careless;
    impl HttpPost for Careless {
        fn post(
            &self,
            url: &str,
            headers: &[(&str, &str)],
            body: &[u8],
        ) -> Result<HttpResponse, TransportError> {
            Err(TransportError::Connect(format!(
                "refused {url} {headers:?} {}",
                String::from_utf8_lossy(body)
            )))
        }
    }
    let seen = Arc::new(Mutex::new(Vec::new()));
    let d = recording_dispatcher(Arc::new(Careless), "http://127.0.0.1:9", &seen);
    let report = d.dispatch(&[sample_event()]);
    assert_eq!(report.outcomes.len(), 4);
    let errors: Vec<String> = report
        .outcomes
        .iter()
        .map(|o| {
            let e = o.result.as_ref().unwrap_err();
            format!("{e} | {e:?}")
        })
        .collect();
    assert!(
        errors.iter().all(|e| e.contains("refused ***")),
        "the transport's text should reach the error, scrubbed: {errors:?}"
    );
    assert_clean(
        "careless transport",
        &format!("{errors:?}"),
        &notifier_secrets(),
    );
}

/// A routing key echoed across the transport's 512-byte error-text cut: nothing of
/// it reaches `delivered`, whichever byte the cut falls on. The summary's length
/// moves the key in the echoed event across the cut, a few bytes at a time.
#[test]
fn a_routing_key_across_the_error_text_cut_leaves_nothing() {
    const TRIES: usize = 200;
    let server = TestServer::start(vec![Reply::echo_body(400); TRIES]);
    let transport: Arc<dyn HttpPost> = Arc::new(HttpTransport::new(one_attempt()).unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut pd = PagerDutyNotifier::new(Secret::new(ROUTING_KEY));
    pd.url = Secret::new(server.url("/v2/enqueue"));
    let d = Dispatcher::new(transport)
        .retry_policy(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
        .notifier(Recording {
            inner: pd,
            seen: Arc::clone(&seen),
        });
    for i in 0..TRIES {
        let mut event = sample_event();
        event.summary = "s".repeat(3 * i);
        let report = d.dispatch(std::slice::from_ref(&event));
        assert_eq!(report.delivered(), 0);
    }
    assert_eq!(server.requests().len(), TRIES);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), TRIES);
    let head = &ROUTING_KEY[..6];
    for body in &seen {
        assert!(!body.contains(head), "a piece of the key is left: {body}");
    }
    assert!(seen.iter().all(|b| b.contains(r#""routing_key":"***""#)));
}

fn sample_event() -> telemetra::alert::AlertEvent {
    use telemetra::alert::AlertEventKind;
    let t0 = chrono::Utc::now();
    let mut labels = std::collections::BTreeMap::new();
    labels.insert("alertname".to_owned(), "leak_check".to_owned());
    labels.insert("severity".to_owned(), "p0".to_owned());
    telemetra::alert::AlertEvent {
        id: 1,
        kind: AlertEventKind::Firing,
        repeat: false,
        rule: "leak_check".to_owned(),
        fingerprint: telemetra::alert::fingerprint(&labels),
        labels,
        severity: Severity::P0,
        description: "leak check".to_owned(),
        summary: "leak check".to_owned(),
        value: 1.0,
        threshold: 0.0,
        active_at: t0,
        fired_at: t0,
        resolved_at: None,
        at: t0,
        cooldown: Duration::from_secs(60),
        acknowledged_by: None,
        acknowledged_at: None,
    }
}
