//! A notification endpoint that hangs does not slow the evaluations down: with a
//! `DispatchQueue`, every export evaluates its snapshot and only queues the events; the
//! queue's worker delivers them in order once the endpoint answers, and what did not fit in
//! the queue is dropped and counted. No timing is asserted: the endpoint is held by a gate
//! that the test opens, and every wait is bounded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use crossbeam_channel::{unbounded, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use telemetra::alert::notify::{
    DispatchQueue, Dispatcher, HttpPost, HttpResponse, Secret, TransportError, WebhookNotifier,
};
use telemetra::alert::{AlertRule, Comparison, ReliabilitySink};
use telemetra::sinks::{Export, Sink};
use telemetra::snapshot::{Series, Snapshot, Value};

/// An endpoint that blocks every request until the test lets one through.
struct Gate {
    started: Sender<()>,
    release: Receiver<()>,
    bodies: Mutex<Vec<serde_json::Value>>,
}

impl HttpPost for Gate {
    fn post(
        &self,
        _url: &str,
        _headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<HttpResponse, TransportError> {
        self.bodies
            .lock()
            .unwrap()
            .push(serde_json::from_slice(body).unwrap());
        self.started.send(()).unwrap();
        // Bounded: a test that forgot to open the gate fails instead of hanging.
        let _ = self.release.recv_timeout(Duration::from_secs(20));
        Ok(HttpResponse {
            status: 200,
            ..HttpResponse::default()
        })
    }
}

fn snapshot(seq: u64) -> Arc<Snapshot> {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + 60 * seq);
    // 10 more failures every other minute: the rule fires, resolves, fires, ...
    let total = 10.0 * seq.div_ceil(2) as f64;
    Arc::new(Snapshot {
        seq,
        taken_at: at,
        series: vec![Series {
            id: 0,
            name: Arc::from("jobs.failed"),
            tags: Arc::from(vec![]),
            start: SystemTime::UNIX_EPOCH,
            updated: at,
            value: Value::Counter(total),
            exemplar: None,
        }],
    })
}

#[test]
fn a_hung_endpoint_never_delays_the_next_evaluation() {
    let (started_tx, started) = unbounded();
    let (release, release_rx) = unbounded();
    let gate = Arc::new(Gate {
        started: started_tx,
        release: release_rx,
        bodies: Mutex::new(Vec::new()),
    });
    let dispatcher = Dispatcher::new(gate.clone())
        .notifier(WebhookNotifier::new(Secret::new("http://127.0.0.1:9/hook")));
    let queue = DispatchQueue::start(dispatcher, 2).unwrap();
    let rule = AlertRule::builder("jobs_failing", "jobs.failed")
        .window(Duration::from_secs(60))
        .condition(Comparison::Gt, 5.0)
        .cooldown(Duration::ZERO)
        .build()
        .unwrap();
    let mut sink = ReliabilitySink::builder()
        .rule(rule)
        .dispatch_queue(queue)
        .build()
        .unwrap();
    let handle = sink.handle();

    let mut previous: Option<Arc<Snapshot>> = None;
    let mut export = |seq: u64| {
        let snap = snapshot(seq);
        sink.export(&Export {
            snapshot: &snap,
            previous: previous.as_ref(),
        })
        .unwrap();
        previous = Some(snap);
    };
    // The first event reaches the endpoint, which now hangs.
    export(1);
    started.recv_timeout(Duration::from_secs(20)).unwrap();
    // Nine more minutes are evaluated while it hangs: each makes one event (resolved,
    // firing, ...). Two batches wait in the queue, the other seven are dropped.
    for seq in 2..=10 {
        export(seq);
    }
    let stats = handle.stats();
    assert_eq!(stats.evaluations, 10);
    assert_eq!(stats.events, 10);
    assert_eq!(stats.dropped, 7);
    assert_eq!(gate.bodies.lock().unwrap().len(), 1);

    // Open the gate: the queued events arrive, in evaluation order.
    for _ in 0..3 {
        release.send(()).unwrap();
    }
    assert!(support::wait_for(|| gate.bodies.lock().unwrap().len() == 3));
    drop(sink); // closes the queue (bounded wait)
    let bodies = gate.bodies.lock().unwrap();
    let statuses: Vec<&str> = bodies
        .iter()
        .map(|b| b["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["firing", "resolved", "firing"]);
    // Delivered + dropped accounts for every event.
    assert_eq!(bodies.len() as u64 + stats.dropped, stats.events);
}
