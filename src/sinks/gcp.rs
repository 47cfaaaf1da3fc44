//! Google Cloud Monitoring sink (projects.timeSeries.create).
//!
//! TEMPORARY STUB on branch `sinks-a`, replaced by the real sink from `sinks-b`: it only
//! fixes the constructor that [`env`](super::env) calls, so both branches compile on
//! their own and after the merge.

use super::{Export, Sink, SinkError};
use crate::Error;

/// The Google Cloud Monitoring sink (stub: cannot be constructed yet).
#[derive(Debug)]
pub struct GcpSink {
    _private: (),
}

impl GcpSink {
    /// Builds the sink from `GOOGLE_CLOUD_PROJECT` (stub: always an error).
    pub fn from_env_parts(project: String) -> Result<GcpSink, Error> {
        let _ = project;
        Err(Error::config("gcp", "sink not built yet"))
    }
}

impl Sink for GcpSink {
    fn name(&self) -> &str {
        "gcp"
    }

    fn export(&mut self, _export: &Export<'_>) -> Result<(), SinkError> {
        Err(SinkError::permanent("gcp sink not built yet"))
    }
}
