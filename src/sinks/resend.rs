//! Records already delivered by a partly failed `export_records`.
//!
//! A record sink that splits one batch into several requests can fail after some of
//! them went through. The pipeline then keeps the *whole* batch and hands it back on the
//! next attempt (see [`Sink::export_records`](super::Sink::export_records)); without
//! this memory, the delivered part would be sent twice. [`Delivered`] remembers those
//! records until a call succeeds or fails permanently, so the retry sends only the rest.

use crate::record::Record;

/// Most records remembered; beyond it the oldest are forgotten (and, should the pipeline
/// still hold them, sent again: at least once, never lost).
const MAX_REMEMBERED: usize = 4096;

/// Records delivered ahead of a failed request of the same batch.
#[derive(Debug, Default)]
pub(crate) struct Delivered(Vec<Record>);

impl Delivered {
    /// The records of `batch` not delivered yet, in order.
    pub(crate) fn pending<'a>(&self, batch: &'a [Record]) -> Vec<&'a Record> {
        batch.iter().filter(|r| !self.0.contains(r)).collect()
    }

    /// Remembers that `records` reached the receiver.
    pub(crate) fn extend<'a>(&mut self, records: impl IntoIterator<Item = &'a Record>) {
        self.0.extend(records.into_iter().cloned());
        let excess = self.0.len().saturating_sub(MAX_REMEMBERED);
        if excess > 0 {
            self.0.drain(..excess);
        }
    }

    /// Forgets everything: the batch was delivered, or dropped for good.
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;
    use crate::event::Event;

    #[test]
    fn remembers_delivered_records_until_cleared() {
        let batch: Vec<Record> = (0..5)
            .map(|i| Record::Event(Event::new("d", format!("op{i}"))))
            .collect();
        let mut d = Delivered::default();
        assert_eq!(d.pending(&batch).len(), 5);
        d.extend([&batch[1], &batch[3]]);
        let left: Vec<&Record> = d.pending(&batch);
        assert_eq!(left, vec![&batch[0], &batch[2], &batch[4]]);
        d.clear();
        assert_eq!(d.pending(&batch).len(), 5);
    }
}
