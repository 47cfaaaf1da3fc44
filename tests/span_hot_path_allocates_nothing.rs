//! Starting and ending a span with a `'static` name and no attributes allocates nothing
//! in this crate (what the exporter does with the record is its own business).
#![allow(clippy::unwrap_used, missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;

use telemetra::trace::{SpanExporter, SpanRecord, Tracer};

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

struct Drop_;
impl SpanExporter for Drop_ {
    fn on_end(&self, record: SpanRecord) {
        std::hint::black_box(record);
    }
}

fn allocs() -> u64 {
    ALLOCS.with(Cell::get)
}

#[test]
fn static_span_start_end_allocates_nothing() {
    for tracer in [
        Tracer::default(),
        Tracer::builder().exporter(Arc::new(Drop_)).build().unwrap(),
        Tracer::builder()
            .exporter(Arc::new(Drop_))
            .sample_rate(0.0)
            .build()
            .unwrap(),
    ] {
        // Warm up: seeds the thread's id generator.
        drop(tracer.root_span("warm"));
        let before = allocs();
        for _ in 0..1000 {
            let root = tracer.root_span("op");
            let mut child = root.child("child");
            child.set_error("timeout");
            child.end();
            let _ = tracer.in_span("closure", |_| Ok::<_, &'static str>(()));
        }
        assert_eq!(allocs() - before, 0);
    }
}
