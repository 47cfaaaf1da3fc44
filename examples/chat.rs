//! A chat service's handlers, instrumented: messages sent by type, delivery latency,
//! billing per message, and failures — with a pre-bound counter on the hottest path.
//!
//! Runs with no setup and prints a table of what was flushed: each series' total,
//! value, or count, sum and p50/p99 (`-- --json` adds the JSON lines a log shipper would
//! read; set `OBSERVABILITY_PROVIDER` and friends to also push to a real backend, see
//! `docs/sinks.md`):
//! `cargo run --example chat`.

#![allow(clippy::indexing_slicing, clippy::print_stdout, clippy::unwrap_used)]

#[path = "support/summary.rs"]
mod summary;

use std::time::Duration;

use telemetra::sinks::MemorySink;
use telemetra::{Config, Counter, Telemetry};

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Image,
    Voice,
}

impl Kind {
    fn as_tag(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::Text => &[("type", "text")],
            Kind::Image => &[("type", "image")],
            Kind::Voice => &[("type", "voice")],
        }
    }

    /// Price in micro-credits per message.
    fn price(self) -> u64 {
        match self {
            Kind::Text => 100,
            Kind::Image => 1_500,
            Kind::Voice => 900,
        }
    }
}

struct Chat {
    telemetry: Telemetry,
    /// Every delivery attempt: a pre-bound handle, one atomic add per message.
    attempts: Counter,
}

#[derive(Debug)]
struct DeliveryError(&'static str);

impl Chat {
    fn new(telemetry: Telemetry) -> Self {
        let attempts = telemetry.counter("chat.delivery.attempts", &[("service", "chat")]);
        Chat {
            telemetry,
            attempts,
        }
    }

    /// POST /chat/messages
    fn send(&self, kind: Kind, recipient_online: bool, size: usize) -> Result<(), DeliveryError> {
        self.attempts.incr();
        self.telemetry
            .incr("product.chat.message.count", kind.as_tag());
        let delivered =
            self.telemetry
                .time_result("chat_delivery_latency_ms", kind.as_tag(), || {
                    deliver(recipient_online, size)
                });
        match &delivered {
            Ok(()) => self.bill(kind),
            Err(e) => self
                .telemetry
                .incr("product.chat.message.failed", vec![("reason", e.0)]),
        }
        delivered
    }

    fn bill(&self, kind: Kind) {
        // Billing per message: a counter in micro-credits, tagged by type.
        self.telemetry.count(
            "product.chat.billing.micro_credits",
            kind.price(),
            kind.as_tag(),
        );
    }
}

fn deliver(online: bool, size: usize) -> Result<(), DeliveryError> {
    if !online {
        return Err(DeliveryError("RECIPIENT_OFFLINE"));
    }
    if size > 10_000 {
        return Err(DeliveryError("PAYLOAD_TOO_LARGE"));
    }
    // Pretend to write to the recipient's queue.
    std::thread::sleep(Duration::from_micros(50 + (size as u64 % 200)));
    Ok(())
}

fn main() -> Result<(), telemetra::Error> {
    let memory = MemorySink::new();
    let telemetry = Telemetry::start(
        summary::sinks(Config::builder(), &memory)?
            .flush_interval(Duration::from_secs(60))
            .self_metrics(false)
            .build()?,
    )?;
    let chat = Chat::new(telemetry.clone());
    // Two "request threads" sending messages concurrently.
    std::thread::scope(|s| {
        for worker in 0..2u64 {
            let chat = &chat;
            s.spawn(move || {
                for i in 0..150u64 {
                    let kind = [Kind::Text, Kind::Text, Kind::Image, Kind::Voice][(i % 4) as usize];
                    let online = (i + worker) % 17 != 0;
                    let size = if i % 50 == 49 {
                        20_000
                    } else {
                        (i * 37 % 2_000) as usize
                    };
                    let _ = chat.send(kind, online, size);
                }
            });
        }
    });
    telemetry.shutdown(Duration::from_secs(5))?;
    summary::print_metrics(&memory, &|_| false);
    Ok(())
}
