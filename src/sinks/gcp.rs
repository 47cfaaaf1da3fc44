//! Google Cloud Monitoring sink (projects.timeSeries.create).
