//! Property tests: arbitrary UTF-8 (and PII-dense text) through the scrubber never panics
//! and never grows by more than `MAX_GROWTH` bytes, under every action.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use telemetra::pii::{Action, Detector, KeyRule, Scrubber, ScrubberConfig, MAX_GROWTH};

fn scrubber(action: Action) -> Scrubber {
    let mut b = ScrubberConfig::builder()
        .hash_key(*b"prop-test-key-0123456789abcdef!!")
        .key_rule(KeyRule::new("k", "k", action));
    for d in Detector::ALL {
        b = b.detector_action(d, action);
    }
    Scrubber::new(b.build().unwrap())
}

/// Fragments that trigger detectors and key rules, glued by arbitrary text.
fn dense() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a@b.co".to_owned()),
        Just("x=1".to_owned()),
        Just("k=v".to_owned()),
        Just("token=".to_owned()),
        Just("password: ".to_owned()),
        Just("\"email\":\"".to_owned()),
        Just("1.2.3.4".to_owned()),
        Just("::".to_owned()),
        Just("+44 20 7946 0958".to_owned()),
        Just("4111111111111111".to_owned()),
        Just("Bearer ".to_owned()),
        Just("https://u:p@h".to_owned()),
        Just("{[\\\"'".to_owned()),
        "[0-9 .:+()-]{0,12}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_utf8_is_safe(s in "\\PC*", action in prop_oneof![Just(Action::Mask), Just(Action::Hash), Just(Action::Drop)]) {
        let out = scrubber(action).scrub_text(&s);
        prop_assert!(out.len() <= s.len() + MAX_GROWTH);
    }

    #[test]
    fn any_chars_including_controls(s in any::<String>()) {
        let sc = scrubber(Action::Hash);
        let out = sc.scrub_text(&s);
        prop_assert!(out.len() <= s.len() + MAX_GROWTH);
        let tag = sc.scrub_tag_value("region", &s);
        prop_assert!(tag.is_none_or(|t| t.len() <= s.len() + MAX_GROWTH));
    }

    #[test]
    fn pii_dense_text_stays_bounded(s in dense(), action in prop_oneof![Just(Action::Mask), Just(Action::Hash), Just(Action::Drop)]) {
        let out = scrubber(action).scrub_text(&s);
        prop_assert!(out.len() <= s.len() + MAX_GROWTH, "{} -> {}", s.len(), out.len());
    }

    #[test]
    fn json_strings_are_safe(s in "\\PC*") {
        let sc = scrubber(Action::Mask);
        let mut v = serde_json::json!({ "note": s.clone(), "list": [s.clone()], s.clone(): 1 });
        sc.scrub_json(&mut v);
        let note = v.get("note").and_then(|n| n.as_str()).map_or(0, str::len);
        prop_assert!(note <= s.len() + MAX_GROWTH);
    }
}
