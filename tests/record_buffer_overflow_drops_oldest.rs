//! A hung record sink fills its own bounded buffer: the oldest records are dropped and
//! counted, the newest are delivered once it recovers, and nobody else waits.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use telemetra::sinks::{Export, MemorySink, Sink, SinkError};
use telemetra::{Config, Record, Telemetry};

const T: Duration = Duration::from_secs(10);

/// Blocks in its first `export_records` until released.
#[derive(Debug)]
struct Hung {
    entered: Sender<()>,
    release: Receiver<()>,
    first: bool,
    got: Arc<Mutex<Vec<Record>>>,
}

impl Sink for Hung {
    fn name(&self) -> &str {
        "hung"
    }
    fn export(&mut self, _: &Export<'_>) -> Result<(), SinkError> {
        Ok(())
    }
    fn accepts_records(&self) -> bool {
        true
    }
    fn export_records(&mut self, records: &[Record]) -> Result<(), SinkError> {
        if self.first {
            self.first = false;
            let _ = self.entered.send(());
            let _ = self.release.recv();
        }
        self.got.lock().unwrap().extend_from_slice(records);
        Ok(())
    }
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + T;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn index(r: &Record) -> u64 {
    r.as_event().unwrap().metadata["i"].as_u64().unwrap()
}

#[test]
fn hung_sink_drops_oldest_and_others_get_everything() {
    let (entered_tx, entered) = crossbeam_channel::bounded(1);
    let (release, release_rx) = crossbeam_channel::bounded(1);
    let got = Arc::new(Mutex::new(Vec::new()));
    let healthy = MemorySink::new();
    let t = Telemetry::start(
        Config::builder()
            .sink(Hung {
                entered: entered_tx,
                release: release_rx,
                first: true,
                got: Arc::clone(&got),
            })
            .sink(healthy.clone())
            .record_buffer(10)
            .record_flush_interval(Duration::from_millis(5))
            .build()
            .unwrap(),
    )
    .unwrap();

    t.event("infra", "probe").meta("i", 0).emit();
    entered.recv_timeout(T).unwrap(); // the worker is now stuck on record 0
                                      // Ten at a time, so that the healthy sink (whose buffer is as small) keeps up: it
                                      // is not held back by the hung one.
    for chunk in 0..5 {
        for i in 1..=10 {
            t.event("infra", "probe").meta("i", chunk * 10 + i).emit();
        }
        wait_for("the healthy sink", || {
            healthy.events().len() == 11 + chunk * 10
        });
    }
    wait_for("the overflow", || t.record_stats().buffer_overflow == 40);

    release.send(()).unwrap();
    t.flush(T).unwrap(); // the hung sink has now exported everything it kept
    t.flush(T).unwrap(); // and this snapshot's self-metrics say so
    let got: Vec<u64> = got.lock().unwrap().iter().map(index).collect();
    let want: Vec<u64> = std::iter::once(0).chain(41..=50).collect();
    assert_eq!(
        got, want,
        "the oldest are dropped, the newest kept, in order"
    );
    assert_eq!(
        healthy.counter(
            "telemetra.records.dropped",
            &[("reason", "buffer_overflow"), ("sink", "hung")]
        ),
        Some(40.0)
    );
    assert_eq!(
        healthy.counter("telemetra.records.exported", &[("sink", "hung")]),
        Some(11.0)
    );
    let st = t.record_stats();
    assert_eq!(st.queued, 51);
    assert_eq!(st.exported, 51 + 11);
    t.shutdown(T).unwrap();
}

#[test]
fn failed_record_exports_are_retried_not_lost() {
    let sink = MemorySink::new();
    let t = Telemetry::start(Config::builder().sink(sink.clone()).build().unwrap()).unwrap();
    sink.fail_records_next(1);
    for i in 0..5 {
        t.event("infra", "probe").meta("i", i).emit();
    }
    // The first attempt may fail inside this flush (it then reports the failure) or
    // before it (then the flush retries and succeeds); either way nothing is lost.
    let _ = t.flush(T);
    t.flush(T).unwrap();
    let got: Vec<u64> = sink.records().iter().map(index).collect();
    assert_eq!(got, vec![0, 1, 2, 3, 4]);
    assert_eq!(t.record_stats().rejected, 0);
    t.shutdown(T).unwrap();
}
