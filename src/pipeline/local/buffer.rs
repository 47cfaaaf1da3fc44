//! A thread's buffer: the emissions that cannot live in one of its cells (past its
//! series cap, re-entrant or at thread exit), batched into the bounded queue, and the
//! list of its cells that the flusher reads.

use super::*;

/// One thread's buffer: its queued emissions and the list of its cells, which the
/// flusher reads.
#[derive(Debug, Default)]
pub(crate) struct ThreadBuf {
    pub(super) inner: CachePadded<Mutex<BufState>>,
}

#[derive(Debug, Default)]
pub(super) struct BufState {
    pub(super) items: Vec<Emission>,
    /// This thread's cells, in order of first appearance (series are created in the
    /// order they were first emitted; sinks that number look-alike series rely on it).
    pub(super) cells: Vec<Arc<LocalCell>>,
    /// The final sweep has run: nothing may be added any more.
    pub(super) closed: bool,
    /// The owning thread has exited: after one more collection, the flusher forgets
    /// the buffer.
    pub(super) orphaned: bool,
}

impl ThreadBuf {
    /// Takes the queued emissions (swapping in `spare`) and a copy of the cell list.
    /// With `close`, marks the buffer closed in the same critical section. Returns the
    /// emissions and whether the thread is gone (its cells cannot change any more).
    pub(crate) fn take(
        &self,
        spare: Vec<Emission>,
        cells: &mut Vec<Arc<LocalCell>>,
        close: bool,
    ) -> (Vec<Emission>, bool) {
        let mut st = self.inner.lock();
        st.closed |= close;
        let items = std::mem::replace(&mut st.items, spare);
        cells.extend(st.cells.iter().cloned());
        (items, st.orphaned)
    }

    pub(super) fn is_closed(&self) -> bool {
        self.inner.lock().closed
    }
}

pub(super) fn queued<T: IntoTags + ?Sized>(
    bound: &BoundTags,
    name: &str,
    sample: Sample,
    tags: &T,
    outcome: Option<bool>,
    clip_at: usize,
) -> Emission {
    Emission {
        name: Str::Owned(name.to_owned()),
        tags: TagsRepr::with_bound(bound, to_owned_tags(tags, clip_at)),
        sample,
        outcome,
    }
}

pub(super) fn queued_ident(ident: &Ident, sample: Sample) -> Emission {
    Emission {
        name: ident.name.clone(),
        tags: TagsRepr::with_bound(&ident.bound, ident.tags.clone()),
        sample,
        outcome: ident.outcome,
    }
}

/// An emission that cannot live in a cell: into the buffer, and a full buffer into
/// the queue.
#[cold]
pub(super) fn push(shared: &Shared, buf: &ThreadBuf, e: Emission) {
    let mut st = buf.inner.lock();
    if st.closed {
        drop(st);
        shared.count_drop(DropReason::Shutdown, 1);
        return;
    }
    st.items.push(e);
    if st.items.len() >= shared.batch_size {
        let full = std::mem::replace(&mut st.items, shared.spare_vec());
        // Sent under the buffer lock so that the final sweep (which takes this lock)
        // either sees the batch already in the queue or sees it still here.
        if let Err(err) = shared.tx.try_send(full) {
            let mut batch = match err {
                TrySendError::Full(b) | TrySendError::Disconnected(b) => b,
            };
            let n = batch.len() as u64;
            batch.clear();
            shared.recycle(batch);
            drop(st);
            shared.count_drop(DropReason::QueueFull, n);
        }
    }
}
