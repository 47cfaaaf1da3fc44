//! Datadog metrics API v2 sink.
