//! HTTP JSON ingest sink.
