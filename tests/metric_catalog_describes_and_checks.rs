//! A metric catalog gives `# HELP` text where the format has a place for it, and a
//! name emitted as another kind than the catalog's is reported once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use telemetra::catalog::{Catalog, MetricDef};
use telemetra::sinks::MemorySink;
use telemetra::snapshot::Kind;
use telemetra::{Config, Error, Telemetry};

const T: Duration = Duration::from_secs(10);

#[test]
fn a_catalogued_name_of_the_wrong_kind_is_reported_once() {
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&errors);
    let catalog = Catalog::new()
        .metric(MetricDef::counter("orders", "Orders placed."))
        .metric(MetricDef::timing(
            "orders.latency",
            "Time to place an order.",
        ));
    let t = Telemetry::start(
        Config::builder()
            .sink(MemorySink::new())
            .catalog(catalog)
            .on_error(move |e| {
                if let Error::CatalogMismatch {
                    name,
                    catalogued,
                    emitted,
                } = e
                {
                    assert_eq!((*catalogued, *emitted), (Kind::Counter, Kind::Timing));
                    seen.lock().unwrap().push(name.clone());
                }
            })
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(t.catalog().map(|c| c.len()), Some(2));
    t.incr("orders", ());
    t.timing("orders.latency", Duration::from_millis(5), ());
    // The mistake: a timing under a counter's name, under two tag sets.
    t.timing("orders", Duration::from_millis(5), ());
    t.flush(T).unwrap();
    t.timing("orders", Duration::from_millis(5), &[("shop", "b")]);
    t.flush(T).unwrap();
    assert_eq!(*errors.lock().unwrap(), vec!["orders".to_owned()]);

    #[cfg(feature = "prometheus")]
    {
        use telemetra::sinks::prometheus::{scrape, RenderOptions};
        let body = scrape(&t, &RenderOptions::default(), None, T).unwrap().body;
        assert!(
            body.contains("# HELP orders_total Orders placed.\n"),
            "{body}"
        );
        assert!(
            body.contains("# HELP orders_latency_seconds Time to place an order.\n"),
            "{body}"
        );
        // The wrongly kinded series keeps the generic help.
        assert!(
            body.contains("# HELP orders_seconds telemetra timing in seconds orders\n"),
            "{body}"
        );
    }
    t.shutdown(T).unwrap();
}

#[test]
fn the_product_example_is_a_usable_catalog() {
    let c = Catalog::product_example();
    assert!(c.len() >= 15);
    let d = c.get("infra.http.request.latency_ms").unwrap();
    assert_eq!((d.kind, d.unit), (Kind::Timing, "ms"));
    assert_eq!(c.get("active_users").unwrap().kind, Kind::Gauge);
    assert!(c.get("no.such.metric").is_none());
}
