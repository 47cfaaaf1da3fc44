//! Errors from cost configuration and accounting.

/// Errors from pricing tables, budgets, quotas and the cost tracker.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CostError {
    /// An amount is not a plain non-negative decimal such as `12` or `0.075`.
    #[error("`{field}` must be a non-negative decimal number with at most {max_decimals} decimal places")]
    InvalidAmount {
        /// The field at fault.
        field: String,
        /// Decimal places the field accepts.
        max_decimals: u32,
    },
    /// A name (model, service, currency) is empty.
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
    /// A limit that must be positive is zero.
    #[error("`{0}` must be greater than zero")]
    Zero(String),
    /// A percentage is outside its range.
    #[error("`{field}` must be between 1 and {max}")]
    Percent {
        /// The field at fault.
        field: &'static str,
        /// Largest accepted value.
        max: u32,
    },
    /// Spend was recorded for a service without a budget.
    #[error("no budget for service `{0}`")]
    UnknownService(String),
    /// A service appears twice in a budget config.
    #[error("service `{0}` appears twice in `services`")]
    DuplicateService(String),
    /// A JSON config could not be parsed.
    #[error("invalid {what} config: {message}")]
    Config {
        /// Which config (`pricing`, `budget`).
        what: &'static str,
        /// The parser's message.
        message: String,
    },
}
