//! Datadog metrics API v2 sink.
//!
//! TEMPORARY STUB on branch `sinks-a`, replaced by the real sink from `sinks-b`: it only
//! fixes the constructor that [`env`](super::env) calls, so both branches compile on
//! their own and after the merge.

use super::{Export, Sink, SinkError};
use crate::Error;

/// The Datadog sink (stub: cannot be constructed yet).
#[derive(Debug)]
pub struct DatadogSink {
    _private: (),
}

impl DatadogSink {
    /// Builds the sink from `DD_API_KEY` and `DD_SITE` (stub: always an error).
    pub fn from_env_parts(api_key: String, site: Option<String>) -> Result<DatadogSink, Error> {
        let _ = (api_key, site);
        Err(Error::config("datadog", "sink not built yet"))
    }
}

impl Sink for DatadogSink {
    fn name(&self) -> &str {
        "datadog"
    }

    fn export(&mut self, _export: &Export<'_>) -> Result<(), SinkError> {
        Err(SinkError::permanent("datadog sink not built yet"))
    }
}
