//! Token cost is exact: a table of cases checked to the cent and to the pico-dollar.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use telemetra::cost::{token_cost, AiCall, CostTracker, ModelPrice, Money, PricingTable};

struct Case {
    model: &'static str,
    input: u64,
    output: u64,
    /// Exact decimal USD.
    exact: &'static str,
    /// Rounded half up to the cent.
    cents: &'static str,
    known: bool,
}

const CASES: &[Case] = &[
    // every model in the product-targets table, one million tokens each side
    Case {
        model: "claude-sonnet-4-5",
        input: 1_000_000,
        output: 1_000_000,
        exact: "18",
        cents: "18.00",
        known: true,
    },
    Case {
        model: "claude-opus-4",
        input: 1_000_000,
        output: 1_000_000,
        exact: "90",
        cents: "90.00",
        known: true,
    },
    Case {
        model: "gpt-4",
        input: 1_000_000,
        output: 1_000_000,
        exact: "90",
        cents: "90.00",
        known: true,
    },
    Case {
        model: "gpt-4-turbo",
        input: 1_000_000,
        output: 1_000_000,
        exact: "40",
        cents: "40.00",
        known: true,
    },
    // small, uneven counts
    Case {
        model: "claude-sonnet-4-5",
        input: 1_234,
        output: 567,
        exact: "0.012207",
        cents: "0.01",
        known: true,
    },
    Case {
        model: "claude-opus-4",
        input: 2_500,
        output: 1_500,
        exact: "0.15",
        cents: "0.15",
        known: true,
    },
    Case {
        model: "gpt-4",
        input: 10_000,
        output: 5_000,
        exact: "0.6",
        cents: "0.60",
        known: true,
    },
    Case {
        model: "gpt-4-turbo",
        input: 100_000,
        output: 20_000,
        exact: "1.6",
        cents: "1.60",
        known: true,
    },
    Case {
        model: "gpt-4-turbo",
        input: 1,
        output: 1,
        exact: "0.00004",
        cents: "0.00",
        known: true,
    },
    Case {
        model: "gpt-4",
        input: 0,
        output: 0,
        exact: "0",
        cents: "0.00",
        known: true,
    },
    // the half-cent boundary rounds half up
    Case {
        model: "claude-sonnet-4-5",
        input: 0,
        output: 5_000,
        exact: "0.075",
        cents: "0.08",
        known: true,
    },
    Case {
        model: "claude-sonnet-4-5",
        input: 1_666,
        output: 0,
        exact: "0.004998",
        cents: "0.00",
        known: true,
    },
    Case {
        model: "claude-sonnet-4-5",
        input: 1_667,
        output: 0,
        exact: "0.005001",
        cents: "0.01",
        known: true,
    },
    // large counts
    Case {
        model: "claude-opus-4",
        input: 1_000_000_000_000,
        output: 1_000_000_000_000,
        exact: "90000000",
        cents: "90000000.00",
        known: true,
    },
    Case {
        model: "gpt-4",
        input: u64::MAX,
        output: 0,
        exact: "553402322211286.54845",
        cents: "553402322211286.55",
        known: true,
    },
    // dated model names resolve to their table entry
    Case {
        model: "claude-sonnet-4-5-20250929",
        input: 1_000_000,
        output: 0,
        exact: "3",
        cents: "3.00",
        known: true,
    },
    Case {
        model: "gpt-4-turbo-2024-04-09",
        input: 1_000,
        output: 1_000,
        exact: "0.04",
        cents: "0.04",
        known: true,
    },
    // unknown models use the conservative unknown price (30 / 75)
    Case {
        model: "mystery-model",
        input: 1_000,
        output: 1_000,
        exact: "0.105",
        cents: "0.11",
        known: false,
    },
    Case {
        model: "gpt-4o",
        input: 1_000,
        output: 0,
        exact: "0.03",
        cents: "0.03",
        known: false,
    },
];

#[test]
fn table_of_cases_is_exact() {
    let table = PricingTable::default();
    for c in CASES {
        let priced = table.price(c.model, c.input, c.output);
        let ctx = format!("{} {}/{}", c.model, c.input, c.output);
        assert_eq!(priced.cost.total.to_decimal_string(), c.exact, "{ctx}");
        assert_eq!(priced.cost.total.to_string(), c.cents, "{ctx}");
        assert_eq!(priced.known, c.known, "{ctx}");
        assert_eq!(
            priced.cost.input + priced.cost.output,
            priced.cost.total,
            "{ctx}"
        );
    }
}

#[test]
fn fractional_prices_from_json_are_exact() {
    let table = PricingTable::from_json(
        r#"{"models": {"mini": {"input": 0.15, "output": "0.6"}}, "unknown": {"input": 0, "output": 0}}"#,
    )
    .unwrap();
    assert_eq!(
        table
            .price("mini", 1_000_000, 1_000_000)
            .cost
            .total
            .to_decimal_string(),
        "0.75"
    );
    assert_eq!(
        table.price("mini", 333, 777).cost.total.to_decimal_string(),
        "0.00051615"
    );
    // a zero unknown price is allowed and is still reported as unknown
    let p = table.price("other", 5, 5);
    assert!(!p.known && p.cost.total == Money::ZERO);
}

#[test]
fn prices_with_more_than_six_decimals_are_rejected_naming_the_field() {
    let err = PricingTable::from_json(r#"{"models": {"x": {"input": "0.0000001", "output": 1}}}"#)
        .unwrap_err();
    assert!(err.to_string().contains("models.x.input"), "{err}");
    let err =
        PricingTable::from_json(r#"{"models": {"x": {"input": -1, "output": 1}}}"#).unwrap_err();
    assert!(
        err.to_string().starts_with("invalid pricing config"),
        "{err}"
    );
}

#[test]
fn many_small_costs_sum_without_drift() {
    let price = ModelPrice::usd(30, 60);
    let total: Money = (0..100_000).map(|_| token_cost(&price, 1, 0).total).sum();
    assert_eq!(total.to_decimal_string(), "3");

    let tracker = CostTracker::builder().build().unwrap();
    let now = chrono::DateTime::UNIX_EPOCH;
    for _ in 0..1_000 {
        tracker.record_call(&AiCall::new("u", "gpt-4-turbo", 1_000, 0), now);
    }
    let usage = tracker.usage("u", now.date_naive()).unwrap();
    assert_eq!(usage.cost.to_decimal_string(), "10");
    assert_eq!(usage.models["gpt-4-turbo"].calls, 1_000);
}
