//! Datadog's naming rules, shared by the metrics API and DogStatsD sinks.
//!
//! * Metric names: ASCII letters, digits, `_` and `.`, starting with a letter, at most
//!   200 characters. Any other character becomes `_`; leading characters that are not
//!   letters are dropped (a name with no letter at all becomes `metric`).
//! * Tags are sent as `key:value`. Datadog allows Unicode letters and digits, `_`, `-`,
//!   `:`, `.` and `/`; any other character becomes `_` (so `|`, `,`, `#`, `@` and
//!   newlines, which would break the DogStatsD grammar, never appear). The key may not
//!   contain `:` and must start with a letter (leading non-letters are dropped, an
//!   empty key becomes `tag`). A tag is at most 200 characters, truncated at a
//!   character boundary. Datadog lowercases tags itself, so case is left alone.

use crate::tags::Tag;

/// The longest metric name Datadog accepts.
pub(crate) const MAX_NAME: usize = 200;
/// The longest tag (`key:value`) Datadog keeps.
pub(crate) const MAX_TAG: usize = 200;

/// `name` under Datadog's metric-name rules.
pub(crate) fn metric_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(MAX_NAME));
    for c in name.chars() {
        if out.is_empty() && !c.is_ascii_alphabetic() {
            continue;
        }
        if out.len() >= MAX_NAME {
            break;
        }
        out.push(if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            c
        } else {
            '_'
        });
    }
    if out.is_empty() {
        out.push_str("metric");
    }
    out
}

fn tag_char(c: char, in_key: bool) -> char {
    if c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/') || (c == ':' && !in_key) {
        c
    } else {
        '_'
    }
}

/// One tag as `key:value` under Datadog's tag rules.
pub(crate) fn tag(t: &Tag) -> String {
    let mut out = String::with_capacity(t.key.len() + t.value.len() + 1);
    for c in t.key.chars() {
        if out.is_empty() && !c.is_alphabetic() {
            continue;
        }
        out.push(tag_char(c, true));
    }
    if out.is_empty() {
        out.push_str("tag");
    }
    out.push(':');
    out.extend(t.value.chars().map(|c| tag_char(c, false)));
    truncate_chars(&mut out, MAX_TAG);
    out
}

/// Cuts `s` to at most `max` characters.
pub(crate) fn truncate_chars(s: &mut String, max: usize) {
    if let Some((i, _)) = s.char_indices().nth(max) {
        s.truncate(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_names_follow_datadog_rules() {
        let cases = [
            ("product.wallet.spend", "product.wallet.spend"),
            ("wallet tx-latency/ms", "wallet_tx_latency_ms"),
            ("9lives", "lives"),
            ("_x", "x"),
            ("123", "metric"),
            ("", "metric"),
            ("é.a", "a"),
            ("aé", "a_"),
        ];
        for (input, want) in cases {
            assert_eq!(metric_name(input), want, "{input:?}");
        }
        assert_eq!(metric_name(&"a".repeat(300)).len(), MAX_NAME);
    }

    #[test]
    fn tags_follow_datadog_rules() {
        let cases = [
            (("region", "eu-west-1"), "region:eu-west-1"),
            (("path", "/v1/x"), "path:/v1/x"),
            (("a:b", "c:d"), "a_b:c:d"),
            (("1st", "x"), "st:x"),
            (("", "x"), "tag:x"),
            (("k", "a|b,c#d@e\nf g"), "k:a_b_c_d_e_f_g"),
            (("ville", "Zürich"), "ville:Zürich"),
        ];
        for ((k, v), want) in cases {
            assert_eq!(tag(&Tag::new(k, v)), want, "{k:?}={v:?}");
        }
        let long = tag(&Tag::new("k", "é".repeat(300)));
        assert_eq!(long.chars().count(), MAX_TAG);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_name_becomes_a_valid_metric_name(name in "\\PC{0,300}") {
            let n = metric_name(&name);
            let mut chars = n.chars();
            prop_assert!(chars.next().is_some_and(|c| c.is_ascii_alphabetic()));
            prop_assert!(chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'));
            prop_assert!(n.len() <= MAX_NAME);
        }

        #[test]
        fn any_tag_becomes_a_valid_tag(key in "\\PC{0,80}", value in "(\\PC|[|,#@\n ]){0,300}") {
            let t = tag(&Tag::new(key, value));
            let (k, _) = t.split_once(':').unwrap_or_default();
            prop_assert!(k.chars().next().is_some_and(char::is_alphabetic));
            prop_assert!(t.chars().count() <= MAX_TAG);
            prop_assert!(t.chars().all(|c| c.is_alphanumeric() || "_-:./".contains(c)), "{t:?}");
        }
    }
}
