use super::{Export, Sink, SinkError};

/// A sink that discards everything (and opens no socket). Selected by
/// `OBSERVABILITY_PROVIDER=none`, and useful to measure the pipeline alone.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopSink;

impl Sink for NoopSink {
    fn name(&self) -> &str {
        "noop"
    }

    fn export(&mut self, _export: &Export<'_>) -> Result<(), SinkError> {
        Ok(())
    }
}
