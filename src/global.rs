//! The global handle and the free functions that emit through it.
//!
//! Before [`init`] (or [`set_global`]) every free function is a no-op. The global
//! handle is never dropped, so call [`shutdown`] before the process exits to deliver
//! what is still buffered.

use std::cell::Cell;
use std::marker::PhantomData;
use std::sync::OnceLock;
use std::time::Duration;

use crate::tags::{IntoTags, Str};
use crate::{Config, Error, TaggedEmitter, Telemetry, Timer};

static GLOBAL: OnceLock<Telemetry> = OnceLock::new();
static NOOP: Telemetry = Telemetry::noop();

thread_local! {
    /// This thread's stand-in for the global handle, while a [`LocalGlobal`] lives.
    static LOCAL: Cell<Option<&'static Telemetry>> = const { Cell::new(None) };
}

/// Makes `telemetry` the global handle *of the calling thread* until the guard drops:
/// the free functions ([`incr`], [`timing`], …) and [`global`] on this thread use it
/// instead of the process-wide handle (which is set once per process and so cannot be
/// swapped between tests). Library code written against the free functions can then
/// be checked per unit test, in parallel, each test with a pipeline of its own; see
/// [`testing`](crate::testing) and `docs/testing.md`. Guards nest.
///
/// The handle is cloned and kept for the rest of the process (a few bytes; the
/// pipeline itself stops at its `shutdown`), because [`global`] hands out
/// `&'static` references.
pub fn set_local_global(telemetry: &Telemetry) -> LocalGlobal {
    let leaked: &'static Telemetry = Box::leak(Box::new(telemetry.clone()));
    let previous = LOCAL.try_with(|l| l.replace(Some(leaked))).ok().flatten();
    LocalGlobal {
        previous,
        _not_send: PhantomData,
    }
}

/// Runs `f` with `telemetry` as this thread's global handle (see [`set_local_global`]).
pub fn with_local_global<R>(telemetry: &Telemetry, f: impl FnOnce() -> R) -> R {
    let _guard = set_local_global(telemetry);
    f()
}

/// Restores the thread's previous global handle when dropped (see
/// [`set_local_global`]). Not `Send`: it must drop on the thread that made it.
#[must_use = "the handle is this thread's global only while the guard lives"]
#[derive(Debug)]
pub struct LocalGlobal {
    previous: Option<&'static Telemetry>,
    _not_send: PhantomData<*const ()>,
}

impl Drop for LocalGlobal {
    fn drop(&mut self) {
        let _ = LOCAL.try_with(|l| l.set(self.previous));
    }
}

/// Starts a pipeline from `config` and installs it as the global handle. Returns a
/// handle to the same pipeline.
///
/// # Errors
/// [`Error::AlreadyInitialized`] if a global handle exists (the new pipeline is shut
/// down again), or any error of [`Telemetry::start`].
pub fn init(config: Config) -> Result<Telemetry, Error> {
    if GLOBAL.get().is_some() {
        return Err(Error::AlreadyInitialized);
    }
    let t = Telemetry::start(config)?;
    set_global(t.clone())?;
    Ok(t)
}

/// Installs an existing handle as the global one.
///
/// # Errors
/// [`Error::AlreadyInitialized`] if a global handle exists.
pub fn set_global(telemetry: Telemetry) -> Result<(), Error> {
    GLOBAL.set(telemetry).map_err(|_| Error::AlreadyInitialized)
}

/// The global handle: this thread's [`set_local_global`] handle if one is set, else
/// the process-wide one, or a no-op handle before [`init`].
#[inline]
pub fn global() -> &'static Telemetry {
    if let Some(t) = LOCAL.try_with(Cell::get).ok().flatten() {
        return t;
    }
    GLOBAL.get().unwrap_or(&NOOP)
}

/// [`Telemetry::count`] on the global handle.
#[inline]
pub fn count(name: impl AsRef<str>, value: u64, tags: impl IntoTags) {
    global().count(name, value, tags);
}

/// [`Telemetry::incr`] on the global handle.
#[inline]
pub fn incr(name: impl AsRef<str>, tags: impl IntoTags) {
    global().incr(name, tags);
}

/// [`Telemetry::add`] on the global handle.
#[inline]
pub fn add(name: impl AsRef<str>, value: f64, tags: impl IntoTags) {
    global().add(name, value, tags);
}

/// [`Telemetry::gauge`] on the global handle.
#[inline]
pub fn gauge(name: impl AsRef<str>, value: f64, tags: impl IntoTags) {
    global().gauge(name, value, tags);
}

/// [`Telemetry::timing`] on the global handle.
#[inline]
pub fn timing(name: impl AsRef<str>, duration: Duration, tags: impl IntoTags) {
    global().timing(name, duration, tags);
}

/// [`Telemetry::timing_ms`] on the global handle.
#[inline]
pub fn timing_ms(name: impl AsRef<str>, ms: f64, tags: impl IntoTags) {
    global().timing_ms(name, ms, tags);
}

/// [`Telemetry::timer`] on the global handle.
#[inline]
pub fn timer<T: IntoTags>(name: impl Into<Str>, tags: T) -> Timer<'static, T> {
    global().timer(name, tags)
}

/// [`Telemetry::time`] on the global handle.
#[inline]
pub fn time<R>(name: impl AsRef<str>, tags: impl IntoTags, f: impl FnOnce() -> R) -> R {
    global().time(name, tags, f)
}

/// [`Telemetry::time_result`] on the global handle.
#[inline]
pub fn time_result<T, E>(
    name: impl AsRef<str>,
    tags: impl IntoTags,
    f: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    global().time_result(name, tags, f)
}

/// [`Telemetry::tagged`] on the global handle.
pub fn tagged(tags: impl IntoTags) -> TaggedEmitter {
    global().tagged(tags)
}

/// [`Telemetry::flush`] on the global handle.
///
/// # Errors
/// As [`Telemetry::flush`]; [`Error::NotRunning`] before [`init`].
pub fn flush(timeout: Duration) -> Result<(), Error> {
    global().flush(timeout)
}

/// [`Telemetry::shutdown`] on the global handle: emissions after it are counted
/// drops.
///
/// # Errors
/// As [`Telemetry::shutdown`].
pub fn shutdown(timeout: Duration) -> Result<(), Error> {
    global().shutdown(timeout)
}
