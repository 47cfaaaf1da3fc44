//! The shared HTTP transport of the network sinks: timeouts, compression, retries with backoff and jitter, Retry-After.
