//! Prometheus Pushgateway sink (text exposition format 0.0.4).
