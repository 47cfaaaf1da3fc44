//! A span with a `'static` name and no attributes, sampled, costs the ending thread no
//! allocation in the pipeline either: its timing takes the static-tag metric path and
//! its record goes into the preallocated record queue. (Scrubbing and delivery happen
//! on the flusher and sink threads.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use telemetra::sinks::MemorySink;
use telemetra::{Config, Telemetry};

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards every call unchanged to the system allocator; the counter is a
// thread-local `Cell` with a const initialiser, so touching it never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
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
fn ending_a_static_span_allocates_nothing() {
    let sink = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .batch_size(64)
            .sink(sink.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let tracer = t.tracer();
    // The thread's first span of each name creates its series cell (an allocation);
    // after that, ending a span of a name seen before allocates nothing.
    for _ in 0..500 {
        let root = tracer.root_span("chat.request");
        drop(root.child("chat.send"));
    }
    t.flush(Duration::from_secs(5)).unwrap();

    let before = allocs();
    for _ in 0..30 {
        let root = tracer.root_span("chat.request");
        let child = root.child("chat.send");
        drop(child);
        drop(root);
    }
    assert_eq!(allocs() - before, 0, "allocations ending spans");
    t.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(sink.spans().len(), 1_060);
    let d = sink.timing_count("chat.send", &[("error_code", "none"), ("success", "true")]);
    assert_eq!(d, Some(530));
    t.shutdown(Duration::from_secs(5)).unwrap();
}
