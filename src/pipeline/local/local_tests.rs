//! Unit tests of `pipeline/local`: which table a series lives in.

use super::*;
use crate::{Config, Telemetry};

/// Cells the calling thread holds for `t`'s pipeline.
fn cells_here(t: &Telemetry) -> usize {
    let Some(shared) = t.shared() else {
        return 0;
    };
    LOCAL.with(|l| {
        l.borrow()
            .entries
            .iter()
            .find(|e| e.pipeline == shared.id)
            .map_or(0, |e| e.cells.len())
    })
}

/// One call site (one tag list, reused in place) that first sends values too long for a
/// key, then short ones: the short series must be the one another call site finds, not
/// a second cell for it on this thread.
#[test]
fn a_call_site_that_went_by_hash_still_finds_schema_series() {
    let t = Telemetry::start(
        Config::builder()
            .sink(crate::sinks::NoopSink)
            .build()
            .unwrap(),
    )
    .unwrap();
    let long = "x".repeat(40);
    let mut value = long.clone();
    for round in 0..3 {
        let tags = [("route", value.as_str())];
        t.gauge("g", f64::from(round), &tags);
        value = String::from("/short");
    }
    // The long series and the short one: two cells.
    assert_eq!(cells_here(&t), 2);
    // The short series from another call site (another tag list, another name string
    // with the same bytes): the same cell.
    let name = String::from("g");
    let route = String::from("/short");
    t.gauge(&name, 9.0, &[("route", route.as_str())]);
    assert_eq!(cells_here(&t), 2);
    t.shutdown(std::time::Duration::from_secs(5)).unwrap();
}

/// Two call sites whose addresses fall in the same set of the call-site cache both keep
/// their slot (the cache has two ways per set), and a third evicts the older.
#[test]
fn call_sites_in_one_set_both_stay_cached() {
    let mut e = Entry::new(1, Arc::new(ThreadBuf::default()));
    // Addresses are plain numbers here: find three that share a set.
    let set = Entry::recent_set(0x1000, 0x2000);
    let mut same = (1..)
        .map(|k| 0x1000 + 8 * k)
        .filter(|&n| Entry::recent_set(n, 0x2000) == set);
    let (a, b, c) = (0x1000, same.next().unwrap(), same.next().unwrap());
    e.remember(a, 0x2000, 0, None);
    e.remember(b, 0x2000, 1, None);
    assert!(e.recent_slot(a, 0x2000).is_some(), "the first stays");
    assert!(e.recent_slot(b, 0x2000).is_some(), "the second is added");
    e.remember(c, 0x2000, 2, None);
    assert!(e.recent_slot(c, 0x2000).is_some());
    assert!(e.recent_slot(b, 0x2000).is_some(), "the newer one stays");
    assert!(e.recent_slot(a, 0x2000).is_none(), "the older one goes");
}
