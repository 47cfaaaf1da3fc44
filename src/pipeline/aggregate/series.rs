//! Finding a series of the aggregate, or making it: the flusher's slow path for
//! emissions that arrive through the queue or from cells it has not seen.

use super::*;

impl Aggregator {
    pub(crate) fn resolve_slow(
        &mut self,
        kind: Kind,
        name: &str,
        tags: &TagsRepr,
        outcome: Option<bool>,
    ) -> Result<Resolved, DropReason> {
        if name.is_empty() || name.len() > self.limits.max_name_len {
            self.counts.invalid_name += 1;
            return Err(DropReason::InvalidName);
        }
        let mut list: Vec<Tag> = Vec::new();
        let bound = |id: &u32, list: &mut Vec<Tag>| {
            let idx = *id as usize;
            if let Some(set) = self.interned.get(idx) {
                list.extend(set.iter().cloned());
            }
        };
        match tags {
            TagsRepr::None => {}
            TagsRepr::Owned(o) => list.extend(o.iter().cloned()),
            TagsRepr::BoundOwned(id, o) => {
                bound(id, &mut list);
                list.extend(o.iter().cloned());
            }
            TagsRepr::Shared(shared) => {
                list.extend(shared.0.iter().cloned());
                list.extend(shared.1.iter().cloned());
            }
        }
        if let Some(ok) = outcome {
            list.push(Tag::new("success", if ok { "true" } else { "false" }));
        }
        let own = list.len();
        for g in self.global.iter() {
            if !list.iter().take(own).any(|t| t.key == g.key) {
                list.push(g.clone());
            }
        }
        let mut sanitized = [0u8; SANITIZE_N];
        if let Some(s) = &self.scrubber {
            // Before canonicalising, so that truncation cannot cut a match in half.
            scrub_tags(s, &mut list, &mut sanitized);
        }
        let list = canonicalize(
            list,
            self.limits.max_tags,
            self.limits.max_tag_key_len,
            self.limits.max_tag_value_len,
            |reason| {
                if let Some(i) = SANITIZE_REASONS.iter().position(|r| *r == reason) {
                    if let Some(c) = sanitized.get_mut(i) {
                        *c = c.saturating_add(1);
                    }
                }
            },
        );
        let key = SeriesKey {
            kind,
            name: Arc::from(name),
            tags: list.into(),
        };
        let (idx, overflow) = self.lookup_or_insert(key);
        Ok(Resolved {
            idx,
            overflow,
            sanitized,
        })
    }

    /// Finds the series for `key`, creating it within the caps, or routes to an
    /// overflow series.
    pub(super) fn lookup_or_insert(&mut self, key: SeriesKey) -> (usize, bool) {
        if let Some(idx) = self.by_key.get(&key) {
            return (*idx, false);
        }
        let name_key = (key.kind, Arc::clone(&key.name));
        let (count, name_overflow) = self.per_name.get(&name_key).copied().unwrap_or((0, None));
        if self.user_series >= self.limits.max_series {
            let kind = key.kind;
            if let Some(idx) = self.global_overflow.get(&kind) {
                return (*idx, true);
            }
            let idx = self.insert_series(SeriesKey {
                kind,
                name: Arc::from(GLOBAL_OVERFLOW),
                tags: Arc::from(vec![Tag::new("kind", kind.as_str())]),
            });
            self.global_overflow.insert(kind, idx);
            return (idx, true);
        }
        if count >= self.limits.max_per_metric {
            if let Some(idx) = name_overflow {
                return (idx, true);
            }
            let idx = self.insert_series(SeriesKey {
                kind: key.kind,
                name: Arc::clone(&key.name),
                tags: Arc::from(vec![Tag::new(OVERFLOW_TAG, "true")]),
            });
            self.user_series += 1;
            self.per_name.insert(name_key, (count, Some(idx)));
            return (idx, true);
        }
        let idx = self.insert_series(key);
        self.user_series += 1;
        self.per_name.insert(name_key, (count + 1, name_overflow));
        (idx, false)
    }

    pub(super) fn insert_series(&mut self, key: SeriesKey) -> usize {
        if let Some(idx) = self.by_key.get(&key) {
            return *idx;
        }
        let now = SystemTime::now();
        let state = match key.kind {
            Kind::Counter => State::Counter { int: 0, frac: 0.0 },
            Kind::Gauge => State::Gauge(0.0),
            Kind::Timing => State::Timing(TimingState::new(&self.template, self.timing.cuts.len())),
        };
        let idx = self.series.len();
        self.by_key.insert(key.clone(), idx);
        self.series.push(SeriesState {
            key,
            start: now,
            updated: now,
            state,
            exemplar: None,
            counters: Vec::new(),
            gauges: Vec::new(),
        });
        idx
    }
}
