//! The static-name, static-tag hot path allocates nothing on the emitting thread.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use telemetra::{sinks::NoopSink, Config, Telemetry};

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts calls per thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

#[test]
fn static_emissions_do_not_allocate() {
    let t = Telemetry::start(
        Config::builder()
            .batch_size(64)
            .queue_capacity(1 << 14)
            .sink(NoopSink)
            .build()
            .unwrap(),
    )
    .unwrap();
    let tagged = t.tagged(vec![("service", "wallet")]);
    let counter = tagged.counter("spend", ());
    let body = |i: i32| {
        t.incr(
            "product.wallet.spend.success",
            &[("currency", "EUR"), ("tier", "gold")],
        );
        t.gauge("product.wallet.balance", f64::from(i), ());
        t.timing_ms("wallet_tx_latency_ms", 3.5, &[("op", "spend")]);
        tagged.incr("product.wallet.refund", &[("reason", "duplicate")]);
        counter.incr();
        let timer = t.timer("op_ms", ());
        timer.stop();
    };
    // Warm up: registers this thread's buffer, sizes its per-thread aggregation map
    // for these series and fills the batch-vector pool. The steady state is what
    // must not allocate.
    for i in 0..10_000 {
        body(i);
    }
    t.flush(Duration::from_secs(5)).unwrap();

    // 360 emissions: several batch handoffs, each taking a recycled vector.
    let before = allocs();
    for i in 0..60 {
        body(i);
    }
    let within_batch = allocs() - before;
    assert_eq!(within_batch, 0, "allocations on the static hot path");

    // Across many batch handoffs, batch vectors are recycled. While the flusher lags,
    // the pool can run dry and the emitter allocates a fresh vector, but the number of
    // vectors in circulation is bounded by the queue (256 batches here) plus the pool
    // (256 + 8): allocations are bounded by the queue size, not by traffic.
    let before = allocs();
    let n = 400_000;
    for _ in 0..n {
        t.incr("product.wallet.spend.success", &[("currency", "EUR")]);
    }
    let across = allocs() - before;
    let batches = n / 64;
    assert!(
        across <= 256 + 264 + 16,
        "{across} allocations for {batches} batches"
    );
    t.shutdown(Duration::from_secs(5)).unwrap();
}
