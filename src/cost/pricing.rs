//! Model pricing tables and exact token cost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CostError, Money};

/// Name under which calls to models missing from the table are priced and reported.
pub const UNKNOWN_MODEL: &str = "unknown";

/// Price of one model in USD per million tokens.
///
/// Prices may have at most 6 decimal places (10⁻⁶ USD per million tokens), which makes the
/// price of a single token a whole number of pico-USD and every cost exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelPrice {
    /// USD per million input tokens.
    pub input: Money,
    /// USD per million output tokens.
    pub output: Money,
}

impl ModelPrice {
    /// A price from whole USD per million tokens, e.g. `ModelPrice::usd(3, 15)`.
    #[must_use]
    pub const fn usd(input: u64, output: u64) -> Self {
        Self {
            input: Money::from_units(input),
            output: Money::from_units(output),
        }
    }

    fn validate(&self, model: &str) -> Result<(), CostError> {
        for (side, price) in [("input", self.input), ("output", self.output)] {
            if price.picos() % 1_000_000 != 0 {
                return Err(CostError::InvalidAmount {
                    field: format!("models.{model}.{side}"),
                    max_decimals: 6,
                });
            }
        }
        Ok(())
    }
}

/// The cost of one call, split by side. All amounts are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenCost {
    /// Cost of the input tokens.
    pub input: Money,
    /// Cost of the output tokens.
    pub output: Money,
    /// `input + output`.
    pub total: Money,
}

/// Result of pricing a call: which table entry applied and the cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced<'a> {
    /// The table entry used, or [`UNKNOWN_MODEL`].
    pub model: &'a str,
    /// Whether the model was found in the table.
    pub known: bool,
    /// The cost in USD.
    pub cost: TokenCost,
}

/// Prices per model, in USD per million tokens, plus the price applied to unknown models.
///
/// Lookup: the exact model name, else the longest table entry `k` such that the name
/// starts with `k-` (so `claude-sonnet-4-5-20250929` uses `claude-sonnet-4-5` and
/// `gpt-4-turbo-2024-04-09` uses `gpt-4-turbo`), else the `unknown` price.
///
/// The default table is one product's price list at the time of writing (an example: load
/// your own from JSON); the default `unknown` price is
/// **conservative**: the highest input and the highest output price of the default table
/// (30 / 75), so an unrecognised model can over-count but never slip past a quota or a
/// budget for free.
///
/// ```
/// use telemetra::cost::{Money, PricingTable};
///
/// # fn main() -> Result<(), telemetra::cost::CostError> {
/// let table = PricingTable::from_json(
///     r#"{"models": {"claude-sonnet-4-5": {"input": 3, "output": 15}},
///         "unknown": {"input": 0, "output": 0}}"#,
/// )?;
/// let priced = table.price("claude-sonnet-4-5", 1_000, 500);
/// assert_eq!(priced.cost.total, Money::parse("0.0105", "cost")?);
/// assert_eq!(priced.cost.total.to_string(), "0.01");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PricingTable {
    /// Prices by model name.
    pub models: BTreeMap<String, ModelPrice>,
    /// Price for models not in `models`. Defaults to the conservative 30 / 75.
    #[serde(default = "default_unknown")]
    pub unknown: ModelPrice,
}

fn default_unknown() -> ModelPrice {
    ModelPrice::usd(30, 75)
}

impl Default for PricingTable {
    fn default() -> Self {
        let models = [
            ("claude-sonnet-4-5", ModelPrice::usd(3, 15)),
            ("claude-opus-4", ModelPrice::usd(15, 75)),
            ("gpt-4", ModelPrice::usd(30, 60)),
            ("gpt-4-turbo", ModelPrice::usd(10, 30)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Self {
            models,
            unknown: default_unknown(),
        }
    }
}

impl PricingTable {
    /// Parses and validates a JSON table:
    /// `{"models": {"<name>": {"input": 3, "output": 15}, …}, "unknown": {…}}`.
    /// Prices may be numbers or strings (`"0.075"`).
    ///
    /// # Errors
    /// [`CostError::Config`] for malformed JSON, otherwise as [`validate`](Self::validate).
    pub fn from_json(json: &str) -> Result<Self, CostError> {
        let table: PricingTable = serde_json::from_str(json).map_err(|e| CostError::Config {
            what: "pricing",
            message: e.to_string(),
        })?;
        table.validate()?;
        Ok(table)
    }

    /// Checks model names and price precision.
    ///
    /// # Errors
    /// [`CostError::Empty`] for an empty model name, [`CostError::InvalidAmount`] for a
    /// price with more than 6 decimal places (the field is named, e.g. `models.gpt-4.input`).
    pub fn validate(&self) -> Result<(), CostError> {
        for (name, price) in &self.models {
            if name.is_empty() {
                return Err(CostError::Empty("models.<name>"));
            }
            price.validate(name)?;
        }
        self.unknown.validate(UNKNOWN_MODEL)
    }

    /// Resolves a model name to its table entry (see the type docs for the lookup rule).
    #[must_use]
    pub fn resolve(&self, model: &str) -> Option<(&str, &ModelPrice)> {
        if let Some((k, v)) = self.models.get_key_value(model) {
            return Some((k.as_str(), v));
        }
        self.models
            .iter()
            .filter(|(k, _)| {
                model
                    .strip_prefix(k.as_str())
                    .is_some_and(|rest| rest.starts_with('-'))
            })
            .max_by_key(|(k, _)| k.len())
            .map(|(k, v)| (k.as_str(), v))
    }

    /// Prices a call exactly; unknown models use the `unknown` price.
    #[must_use]
    pub fn price(&self, model: &str, input_tokens: u64, output_tokens: u64) -> Priced<'_> {
        let (name, price, known) = match self.resolve(model) {
            Some((name, price)) => (name, price, true),
            None => (UNKNOWN_MODEL, &self.unknown, false),
        };
        Priced {
            model: name,
            known,
            cost: token_cost(price, input_tokens, output_tokens),
        }
    }
}

/// Exact cost: `tokens × price_per_million / 10⁶`, computed in pico-units with `u128`.
///
/// ```
/// use telemetra::cost::{token_cost, ModelPrice};
/// let cost = token_cost(&ModelPrice::usd(15, 75), 1_000_000, 2_000_000);
/// assert_eq!(cost.total.to_string(), "165.00");
/// ```
#[must_use]
pub fn token_cost(price: &ModelPrice, input_tokens: u64, output_tokens: u64) -> TokenCost {
    // A validated price per million is a multiple of 10⁶ pico-units, so the per-token price
    // is exact. Unvalidated prices are floored to whole pico-units per token.
    let input = Money::from_picos(price.input.picos() / 1_000_000).saturating_mul(input_tokens);
    let output = Money::from_picos(price.output.picos() / 1_000_000).saturating_mul(output_tokens);
    TokenCost {
        input,
        output,
        total: input + output,
    }
}
