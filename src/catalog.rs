//! A metric catalog: the names a service emits, with their kind, unit and description.
//!
//! Given to the pipeline with [`ConfigBuilder::catalog`](crate::ConfigBuilder::catalog),
//! it is used where a format has a place for metadata: `# HELP` lines of the
//! Pushgateway text and of scrapes, `# UNIT` in OpenMetrics, OTLP metric descriptions
//! and units. And it is checked: the first time a catalogued name is emitted with
//! another kind (a timing where the catalog says counter), the pipeline reports
//! [`Error::CatalogMismatch`](crate::Error::CatalogMismatch) to the `on_error` handler,
//! once per name. The check runs on the flusher when a series is first seen, so it
//! costs emissions nothing and runs in release builds too.
//!
//! ```
//! use telemetra::catalog::{Catalog, MetricDef};
//! use telemetra::snapshot::Kind;
//!
//! let catalog = Catalog::new()
//!     .metric(MetricDef::counter("orders.placed", "Orders placed, by currency."))
//!     .metric(MetricDef::timing("orders.latency", "Time to place an order."));
//! assert_eq!(catalog.get("orders.placed").map(|d| d.kind), Some(Kind::Counter));
//! assert_eq!(catalog.get("orders.latency").map(|d| d.unit), Some("ms"));
//! ```

use std::collections::HashMap;

use crate::snapshot::Kind;

/// One catalogued metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricDef {
    /// The name as emitted.
    pub name: &'static str,
    /// What it is.
    pub kind: Kind,
    /// Its unit in UCUM-like notation (`ms`, `By`, `1`); empty when none applies.
    pub unit: &'static str,
    /// One sentence for humans.
    pub description: &'static str,
}

impl MetricDef {
    /// A counter (unit `1`).
    pub const fn counter(name: &'static str, description: &'static str) -> Self {
        MetricDef {
            name,
            kind: Kind::Counter,
            unit: "1",
            description,
        }
    }

    /// A gauge with a unit.
    pub const fn gauge(name: &'static str, unit: &'static str, description: &'static str) -> Self {
        MetricDef {
            name,
            kind: Kind::Gauge,
            unit,
            description,
        }
    }

    /// A timing (unit `ms`).
    pub const fn timing(name: &'static str, description: &'static str) -> Self {
        MetricDef {
            name,
            kind: Kind::Timing,
            unit: "ms",
            description,
        }
    }
}

/// A set of [`MetricDef`]s by name.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    by_name: HashMap<&'static str, MetricDef>,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Catalog::default()
    }

    /// Adds (or replaces) a metric.
    #[must_use]
    pub fn metric(mut self, def: MetricDef) -> Self {
        self.by_name.insert(def.name, def);
        self
    }

    /// The definition of `name`, if catalogued.
    pub fn get(&self, name: &str) -> Option<&MetricDef> {
        self.by_name.get(name)
    }

    /// How many metrics it holds.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// An example of a product's own catalog: the canonical names of the wallet, chat,
    /// calls and AI services this crate was first written for (see the README). A
    /// policy of one product, not a general default: copy it as a model for yours.
    pub fn product_example() -> Self {
        use MetricDef as M;
        [
            M::counter(
                "product.wallet.spend.success",
                "Wallet spends that succeeded.",
            ),
            M::counter(
                "product.wallet.spend.failed",
                "Wallet spends that failed, by `reason`.",
            ),
            M::counter("product.wallet.refund", "Wallet refunds."),
            M::counter("product.wallet.payout.requested", "Payouts requested."),
            M::counter(
                "product.chat.message.count",
                "Chat messages sent, by `type`.",
            ),
            M::counter("product.call.started.count", "Calls started."),
            M::counter("product.call.failed.count", "Calls that failed to connect."),
            M::counter(
                "infra.http.request.count",
                "HTTP requests served, by `endpoint`, `method` and `status`.",
            ),
            M::counter("api_http_errors_total", "HTTP responses with a 5xx status."),
            M::counter("panic_events_total", "Safety panic presses."),
            M::counter("ai_requests_total", "Requests to AI models."),
            M::timing("infra.http.request.latency_ms", "HTTP request latency."),
            M::timing("chat_delivery_latency_ms", "Chat message delivery latency."),
            M::timing("wallet_tx_latency_ms", "Wallet transaction latency."),
            M::timing("product.call.setup_latency_ms", "Call setup latency."),
            M::timing("product.ai.response.latency_ms", "AI response latency."),
            M::gauge("product.wallet.balance", "1", "A wallet's balance."),
            M::gauge("active_users", "1", "Users active now, by `region`."),
        ]
        .into_iter()
        .fold(Catalog::new(), Catalog::metric)
    }
}
