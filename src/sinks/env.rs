//! Choosing and configuring sinks from the environment (OBSERVABILITY_PROVIDER and friends).
