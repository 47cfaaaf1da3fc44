//! DogStatsD UDP sink.
