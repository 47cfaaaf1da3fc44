//! The emitting thread's paths for series whose identity is known ahead: a family's
//! values (`CounterVec` & co.) and a pre-bound timing handle.

use super::*;

/// Records into the calling thread's cell of a family's series: the name and tag keys
/// are the family's, fixed when it was made, so only the tag `values` are hashed and
/// compared. Allocates only for a series new to this thread.
#[inline]
pub(crate) fn emit_family<const N: usize>(
    shared: &Shared,
    fam: &Family,
    values: &[&str; N],
    sample: Sample,
) {
    if !accepting(shared) {
        return;
    }
    if !sample.is_valid() {
        shared.count_drop(DropReason::InvalidValue, 1);
        return;
    }
    let at = shared.clip_at;
    let done = LOCAL.try_with(|cell| {
        let Ok(mut local) = cell.try_borrow_mut() else {
            return false;
        };
        let Some(entry) = local.entry(shared) else {
            shared.count_drop(DropReason::Shutdown, 1);
            return true;
        };
        let key = ValueKey::of(values, |v| clip(v, at));
        if let Some(key) = &key {
            let hash = key.hash(shared.seed, fam.id);
            if let Some(slot) = entry
                .families
                .find(hash, |s| s.family == fam.id && s.key.same(key))
            {
                slot.cell.record(sample);
                return true;
            }
            let ident = || Arc::new(fam.ident(values, at));
            let queue = || fam.queued(values, at, sample);
            if let Some(i) = entry.add_or_queue(shared, hash, false, ident, sample, queue) {
                if let Some(cell) = entry.cells.get(i) {
                    let slot = FamSlot {
                        family: fam.id,
                        key: *key,
                        cell: Arc::clone(cell),
                        index: i as u32,
                    };
                    let seed = shared.seed;
                    entry.families.insert_unique(hash, slot, |s| s.hash(seed));
                }
            }
            return true;
        }
        // Values too long for a key: hashed and compared as strings.
        let mut h = SeriesHash::new(shared.seed, fam.id);
        for v in values {
            h = h.str(clip(v, at));
        }
        let hash = h.finish();
        if let Some(c) = entry
            .find(hash, |c| c.ident.values_match(fam.id, values, at))
            .and_then(|i| entry.cells.get(i))
        {
            c.record(sample);
            return true;
        }
        let ident = || Arc::new(fam.ident(values, at));
        let queue = || fam.queued(values, at, sample);
        entry.add_or_queue(shared, hash, true, ident, sample, queue);
        true
    });
    if !matches!(done, Ok(true)) {
        push(shared, &shared.fallback, fam.queued(values, at, sample));
    }
}

/// Records into the calling thread's cell of a pre-bound timing handle.
#[inline]
pub(crate) fn emit_handle(shared: &Shared, ident: &Arc<Ident>, hash: u64, sample: Sample) {
    if !accepting(shared) {
        return;
    }
    if !sample.is_valid() {
        shared.count_drop(DropReason::InvalidValue, 1);
        return;
    }
    let id = ident.handle;
    let done = LOCAL.try_with(|cell| {
        let Ok(mut local) = cell.try_borrow_mut() else {
            return false;
        };
        let Some(entry) = local.entry(shared) else {
            shared.count_drop(DropReason::Shutdown, 1);
            return true;
        };
        if let Some(c) = entry
            .find(hash, |c| c.ident.handle == id)
            .and_then(|i| entry.cells.get(i))
        {
            c.record(sample);
            return true;
        }
        let queue = || queued_ident(ident, sample);
        entry.add_or_queue(shared, hash, true, || Arc::clone(ident), sample, queue);
        true
    });
    if !matches!(done, Ok(true)) {
        push(shared, &shared.fallback, queued_ident(ident, sample));
    }
}
