//! Google Cloud Monitoring sink (projects.timeSeries.create).

#[allow(dead_code)] // until the sink that uses it lands
#[path = "gcp_encode.rs"]
mod encode;

pub use encode::DEFAULT_BOUNDS_MS;
