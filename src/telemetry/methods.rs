//! `emitter_methods!`: the emission methods (`count`, `timing`, `gauge`, `timer`, …)
//! that [`Telemetry`](crate::Telemetry) and [`TaggedEmitter`](crate::TaggedEmitter)
//! share, written once. Expanded inside each `impl` in the parent module, whose names
//! (`Sample`, `local`, `register`, …) the methods use.

macro_rules! emitter_methods {
    () => {
        /// Adds `value` to a counter (exact to `u64::MAX`; past it the total stays at
        /// `u64::MAX` and the overflow is counted in [`Stats::counter_overflow`]).
        ///
        /// Tags are borrowed for the call, whatever their lifetime:
        /// ```
        /// # fn main() -> Result<(), telemetra::Error> {
        /// # let t = telemetra::Telemetry::start(telemetra::Config::builder().build()?)?;
        /// let route = String::from("/users/:id");
        /// t.count("http.requests", 1, &[("route", route.as_str())]);
        /// # Ok(()) }
        /// ```
        #[inline]
        pub fn count(&self, name: impl AsRef<str>, value: u64, tags: impl IntoTags) {
            self.emit(name.as_ref(), Sample::Count(value), &tags, None);
        }

        /// Adds 1 to a counter.
        #[inline]
        pub fn incr(&self, name: impl AsRef<str>, tags: impl IntoTags) {
            self.emit(name.as_ref(), Sample::Count(1), &tags, None);
        }

        /// Adds a fractional `value` to a counter (a cost, say). NaN, infinite and
        /// negative values are dropped and counted (`reason=invalid_value`).
        #[inline]
        pub fn add(&self, name: impl AsRef<str>, value: f64, tags: impl IntoTags) {
            self.emit(name.as_ref(), Sample::Add(value), &tags, None);
        }

        /// Sets a gauge. NaN and infinite values are dropped and counted.
        #[inline]
        pub fn gauge(&self, name: impl AsRef<str>, value: f64, tags: impl IntoTags) {
            self.emit(name.as_ref(), Sample::Gauge(value), &tags, None);
        }

        /// Records a duration into a timing (to the nanosecond; reported in
        /// milliseconds).
        #[inline]
        pub fn timing(&self, name: impl AsRef<str>, duration: Duration, tags: impl IntoTags) {
            self.emit(name.as_ref(), Sample::from_duration(duration), &tags, None);
        }

        /// Records a timing given in milliseconds. NaN, infinite and negative values
        /// are dropped and counted.
        #[inline]
        pub fn timing_ms(&self, name: impl AsRef<str>, ms: f64, tags: impl IntoTags) {
            match Sample::from_ms(ms) {
                Some(s) => self.emit(name.as_ref(), s, &tags, None),
                None => self.invalid_value(),
            }
        }

        /// Starts a timer that records a timing when dropped or [stopped](Timer::stop).
        /// It borrows this handle (no reference count is touched) and the tags; see
        /// [`timer_owned`](Self::timer_owned) for one that holds the pipeline itself.
        #[inline]
        pub fn timer<T: IntoTags>(&self, name: impl Into<Str>, tags: T) -> Timer<'_, T> {
            Timer {
                rt: self.rt.as_deref().map(RtRef::Borrowed),
                bound: Cow::Borrowed(self.bound()),
                name: Some(name.into()),
                tags,
                start: crate::clock::Stamp::now(),
            }
        }

        /// Like [`timer`](Self::timer), but the timer holds its own reference to the
        /// pipeline, so it can outlive the borrow (be kept across `&mut self` calls or
        /// `.await` points). Costs a reference-count increment.
        #[inline]
        pub fn timer_owned<T: IntoTags>(&self, name: impl Into<Str>, tags: T) -> Timer<'static, T> {
            Timer {
                rt: self.rt.clone().map(RtRef::Owned),
                bound: Cow::Owned(self.bound().clone()),
                name: Some(name.into()),
                tags,
                start: crate::clock::Stamp::now(),
            }
        }

        /// Runs `f` and records how long it took.
        #[inline]
        pub fn time<R>(
            &self,
            name: impl AsRef<str>,
            tags: impl IntoTags,
            f: impl FnOnce() -> R,
        ) -> R {
            let start = crate::clock::Stamp::now();
            let out = f();
            self.timing(name, start.elapsed(), tags);
            out
        }

        /// Runs `f`, records how long it took and tags the timing
        /// `success=true|false` from its result.
        #[inline]
        pub fn time_result<T, E>(
            &self,
            name: impl AsRef<str>,
            tags: impl IntoTags,
            f: impl FnOnce() -> Result<T, E>,
        ) -> Result<T, E> {
            let start = crate::clock::Stamp::now();
            let out = f();
            let s = Sample::from_duration(start.elapsed());
            self.emit(name.as_ref(), s, &tags, Some(out.is_ok()));
            out
        }

        /// A counter handle for a series known ahead of time: each increment is an
        /// atomic add on a cache line of the calling thread's own, with no lookup and
        /// no queue. The flusher reads the total at every flush. Asking again for the
        /// same name and tags returns a handle to the same cell.
        ///
        /// An invalid name makes a handle whose increments are dropped and counted;
        /// so does a handle past the cap of `max_series` distinct handles.
        pub fn counter(&self, name: impl Into<Str>, tags: impl IntoTags) -> Counter {
            let (cell, invalid) = match self.register(Kind::Counter, name.into(), &tags) {
                Ok(CellRef::Counter(c)) => (c, None),
                Ok(_) => (Arc::default(), Some(DropReason::InvalidName)),
                Err(why) => (Arc::default(), Some(why)),
            };
            Counter {
                rt: self.rt.clone(),
                cell,
                invalid,
            }
        }

        /// A gauge handle for a series known ahead of time: each set is one atomic
        /// store. When both a handle and plain [`gauge`](Self::gauge) calls set one
        /// series, the handle's value set since the last flush wins.
        pub fn gauge_handle(&self, name: impl Into<Str>, tags: impl IntoTags) -> Gauge {
            let (cell, invalid) = match self.register(Kind::Gauge, name.into(), &tags) {
                Ok(CellRef::Gauge(c)) => (c, None),
                Ok(_) => (Arc::default(), Some(DropReason::InvalidName)),
                Err(why) => (Arc::default(), Some(why)),
            };
            Gauge {
                rt: self.rt.clone(),
                cell,
                invalid,
            }
        }

        /// A timing handle for a series known ahead of time: recording skips hashing
        /// and comparing the name and tags, and lands in the calling thread's own
        /// histogram cell for the series.
        pub fn timing_handle(&self, name: impl Into<Str>, tags: impl IntoTags) -> TimingHandle {
            let (ident, invalid) = match self.register(Kind::Timing, name.into(), &tags) {
                Ok(CellRef::Timing(ident, hash)) => (Some((ident, hash)), None),
                Ok(_) => (None, Some(DropReason::InvalidName)),
                Err(why) => (None, Some(why)),
            };
            TimingHandle {
                rt: self.rt.clone(),
                ident,
                invalid,
            }
        }

        /// A counter family: series named `name` with the tag `keys`, told apart by
        /// their values, given per call (see [`family`](crate::family)). Only the
        /// values are hashed and compared per emission, so this is the fastest way to
        /// count with tag values known only at run time:
        /// ```
        /// # fn main() -> Result<(), telemetra::Error> {
        /// # let t = telemetra::Telemetry::start(telemetra::Config::builder().build()?)?;
        /// let requests = t.counter_vec("http.requests", ["route", "status"]);
        /// let (route, status) = (String::from("/users/:id"), 200.to_string());
        /// requests.incr([&route, &status]);
        /// # Ok(()) }
        /// ```
        /// A bad name (empty or too long) makes every emission a counted drop.
        pub fn counter_vec<const N: usize>(
            &self,
            name: impl Into<Str>,
            keys: [&str; N],
        ) -> crate::CounterVec<N> {
            crate::family::counter_vec(self.rt.clone(), self.bound(), name.into(), keys)
        }

        /// A gauge family (see [`counter_vec`](Self::counter_vec)).
        pub fn gauge_vec<const N: usize>(
            &self,
            name: impl Into<Str>,
            keys: [&str; N],
        ) -> crate::GaugeVec<N> {
            crate::family::gauge_vec(self.rt.clone(), self.bound(), name.into(), keys)
        }

        /// A timing family (see [`counter_vec`](Self::counter_vec)).
        pub fn timing_vec<const N: usize>(
            &self,
            name: impl Into<Str>,
            keys: [&str; N],
        ) -> crate::TimingVec<N> {
            crate::family::timing_vec(self.rt.clone(), self.bound(), name.into(), keys)
        }

        #[inline]
        fn emit<T: IntoTags + ?Sized>(
            &self,
            name: &str,
            sample: Sample,
            tags: &T,
            outcome: Option<bool>,
        ) {
            if let Some(rt) = &self.rt {
                local::emit(&rt.shared, self.bound(), name, sample, tags, outcome);
            }
        }

        #[cold]
        fn invalid_value(&self) {
            if let Some(rt) = &self.rt {
                rt.shared.count_drop(DropReason::InvalidValue, 1);
            }
        }

        fn register<T: IntoTags + ?Sized>(
            &self,
            kind: Kind,
            name: Str,
            tags: &T,
        ) -> Result<CellRef, DropReason> {
            let Some(rt) = &self.rt else {
                return Err(DropReason::Shutdown);
            };
            register(&rt.shared, self.bound(), kind, name, tags)
        }
    };
}
