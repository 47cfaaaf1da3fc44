//! A counting global allocator proves that scrubbing clean values allocates nothing: free
//! text, tag values (first sight and cache hits) and clean JSON metadata.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

use telemetra::pii::{Scrubber, ScrubberConfig};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call unchanged to the system allocator; the counter is a plain
// relaxed atomic (only its total matters, no ordering with other memory is needed).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as ours, passed through.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as ours, passed through.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    f();
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

// One test function, so no other test thread allocates while we count.
#[test]
fn scrubbing_clean_values_allocates_nothing() {
    let scrubber = Scrubber::new(
        ScrubberConfig::builder()
            .hash_key(*b"alloc-test-key-0123456789abcdef!")
            .build()
            .unwrap(),
    );
    let clean_text = "GET /api/v1/orders/ORD-2024-000123 200 in 35 ms, request_id=550e8400-e29b-41d4-a716-446655440000 at 2024-01-15T12:30:45Z";
    let clean_tags = [
        "INSUFFICIENT_FUNDS",
        "chat.send",
        "eu-west-1",
        "/api/v1/users/12345",
        "200",
    ];
    let mut clean_json = serde_json::json!({
        "requestId": "req_8f3a2b1c9d",
        "latencyMs": 235,
        "errorCode": "E4012",
        "nested": { "operation": "wallet.spend", "amounts": [12.5, 99.0], "ok": true }
    });

    let n = allocations_during(|| {
        let out = scrubber.scrub_text(clean_text);
        assert!(matches!(out, Cow::Borrowed(_)));
    });
    assert_eq!(n, 0, "scrub_text on clean text allocated {n} times");

    for round in 0..3 {
        let n = allocations_during(|| {
            for value in clean_tags {
                let out = scrubber.scrub_tag_value("reason", value).unwrap();
                assert!(matches!(out, Cow::Borrowed(_)));
            }
        });
        assert_eq!(n, 0, "scrub_tag_value round {round} allocated {n} times");
    }
    assert!(scrubber.cache_stats().hits >= 10);

    let n = allocations_during(|| scrubber.scrub_json(&mut clean_json));
    assert_eq!(n, 0, "scrub_json on clean metadata allocated {n} times");

    // Sanity: the counter does see allocations.
    let n = allocations_during(|| {
        let out = scrubber.scrub_text("mail ann@example.com");
        assert!(matches!(out, Cow::Owned(_)));
    });
    assert!(n > 0);
}
