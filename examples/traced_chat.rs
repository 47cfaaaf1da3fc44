//! A chat service's request handler, traced end to end: it continues the caller's
//! `traceparent`, runs "send message" and "billing" as child spans, emits telemetry
//! events (an e-mail in their metadata is scrubbed before it leaves), then prints the
//! span tree, the events and the metrics from a memory sink (`-- --json` adds the JSON
//! lines a log shipper would read).
//! `cargo run --example traced_chat`
#![allow(clippy::print_stdout)]

#[path = "support/summary.rs"]
mod summary;

use std::collections::HashMap;
use std::time::Duration;

use telemetra::event::ActorType;
use telemetra::pii::ScrubberConfig;
use telemetra::sinks::MemorySink;
use telemetra::trace::{ErrorCode, Span, SpanId, SpanRecord, Status};
use telemetra::{Config, Level, Telemetry};

/// Why a request failed: a short code for spans and events, a message for people.
#[derive(Debug)]
enum ChatError {
    InsufficientFunds { balance_cents: i64 },
}

impl ErrorCode for ChatError {
    fn error_code(&self) -> std::borrow::Cow<'static, str> {
        match self {
            ChatError::InsufficientFunds { .. } => "INSUFFICIENT_FUNDS".into(),
        }
    }
}

impl std::fmt::Display for ChatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChatError::InsufficientFunds { balance_cents } => {
                write!(f, "balance {balance_cents} cents too low")
            }
        }
    }
}

/// An incoming HTTP request, reduced to what the handler needs.
struct Request {
    headers: HashMap<String, String>,
    user_id: &'static str,
    sender_email: &'static str,
    text: &'static str,
    balance_cents: i64,
}

fn handle(t: &Telemetry, req: &Request) -> Result<(), ChatError> {
    // The server span continues the caller's trace (or starts one).
    let mut server = t.span_from_headers(&req.headers, "chat.request");
    server.set_attribute("http.route", "/v1/messages");
    server.set_attribute("user.email", req.sender_email); // scrubbed on the flusher
    let span_hex = server.context().span_id.to_string();
    let request_id = format!("req-{}", span_hex.get(..8).unwrap_or(&span_hex));

    let sent = server.in_child("chat.send_message", |span| {
        span.set_attribute("chars", i64::try_from(req.text.len()).unwrap_or(i64::MAX));
        std::thread::sleep(Duration::from_millis(3)); // the message store
        t.event("chat", "chat.send")
            .trace(span.context())
            .actor(ActorType::User, req.user_id)
            .request(request_id.clone())
            .success(true)
            .latency(Duration::from_millis(3))
            .meta("email", req.sender_email)
            .meta("content", req.text)
            .meta("recipients", 1)
            .emit();
        Ok::<_, ChatError>(())
    });
    let billed = sent.and_then(|()| server.in_child("billing.charge", |span| bill(t, span, req)));
    if let Err(e) = &billed {
        server.set_status(Status::Error {
            code: e.error_code(),
        });
        t.event("wallet", "wallet.spend")
            .level(Level::Error)
            .trace(server.context())
            .actor(ActorType::User, req.user_id)
            .request(request_id)
            .success(false)
            .error_code(e.error_code())
            .message(format!("{e} for {}", req.sender_email))
            .emit();
    }
    billed
}

/// The billing call: propagates the trace to the billing service in its headers.
fn bill(t: &Telemetry, span: &mut Span, req: &Request) -> Result<(), ChatError> {
    let mut outgoing: Vec<(String, String)> = Vec::new();
    span.inject(&mut outgoing);
    span.set_attribute("billing.amount_cents", 2_i64);
    std::thread::sleep(Duration::from_millis(2)); // the billing service
    if req.balance_cents < 2 {
        return Err(ChatError::InsufficientFunds {
            balance_cents: req.balance_cents,
        });
    }
    t.event_success("wallet", "wallet.spend", Duration::from_millis(2));
    Ok(())
}

/// Prints each trace as a tree: a span whose parent is not here (the remote caller)
/// is a local root.
fn print_tree(spans: &[SpanRecord]) {
    fn walk(spans: &[SpanRecord], parent: Option<SpanId>, depth: usize) {
        let ids: Vec<SpanId> = spans.iter().map(|s| s.context.span_id).collect();
        let mut here: Vec<&SpanRecord> = spans
            .iter()
            .filter(|s| s.parent_span_id.filter(|p| ids.contains(p)) == parent)
            .collect();
        here.sort_by_key(|s| s.start_unix_nanos);
        for s in here {
            let attrs: Vec<String> = s
                .attributes
                .iter()
                .map(|(k, v)| format!("{k}={}", serde_json::to_string(v).unwrap_or_default()))
                .collect();
            println!(
                "{:indent$}{} {:.1} ms {} span={} parent={} {}",
                "",
                s.name,
                s.duration().as_secs_f64() * 1000.0,
                if s.status.is_ok() {
                    "ok".to_owned()
                } else {
                    format!("ERROR {}", s.status.error_code())
                },
                s.context.span_id,
                s.parent_span_id.map_or("-".to_owned(), |p| p.to_string()),
                attrs.join(" "),
                indent = depth * 2
            );
            walk(spans, Some(s.context.span_id), depth + 1);
        }
    }
    let mut traces: Vec<_> = Vec::new();
    for s in spans {
        if !traces.contains(&s.context.trace_id) {
            traces.push(s.context.trace_id);
        }
    }
    for trace in traces {
        println!("trace {trace}");
        let in_trace: Vec<SpanRecord> = spans
            .iter()
            .filter(|s| s.context.trace_id == trace)
            .cloned()
            .collect();
        walk(&in_trace, None, 1);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let memory = MemorySink::new();
    let config = summary::sinks(Config::builder(), &memory)?
        // A fixed key keeps pseudonyms stable across restarts; read it from a secret
        // store in production.
        .scrubber(
            ScrubberConfig::builder()
                .hash_key(*b"example-only-key-0123456789abcde")
                .build()?,
        )
        .self_metrics(false)
        .build()?;
    let t = Telemetry::start(config)?;

    let caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let requests = [
        Request {
            headers: HashMap::from([("traceparent".to_owned(), caller.to_owned())]),
            user_id: "user-42",
            sender_email: "ann@example.com",
            text: "see you at 8, call me on +44 20 7946 0958",
            balance_cents: 500,
        },
        Request {
            headers: HashMap::new(), // no incoming trace: a new one starts here
            user_id: "user-7",
            sender_email: "bob@example.com",
            text: "hello",
            balance_cents: 1,
        },
    ];
    for req in &requests {
        match handle(&t, req) {
            Ok(()) => {}
            Err(e) => println!("(request for {} failed: {})", req.user_id, e.error_code()),
        }
    }
    t.flush(Duration::from_secs(5))?;

    println!("\n== span tree, from the memory sink");
    print_tree(&memory.spans());
    println!("\n== events, from the memory sink");
    for e in memory.events() {
        println!(
            "{} {} {} actor={} meta={}",
            e.level,
            e.operation,
            e.error_code.as_deref().unwrap_or("-"),
            e.actor_id.as_deref().unwrap_or("-"),
            e.metadata
        );
    }
    t.shutdown(Duration::from_secs(5))?;
    println!("\n== metrics (each span is also timed under its name; events are counted)");
    summary::print_metrics(&memory, &|_| false);
    Ok(())
}
