//! Scrubbing of nested `serde_json::Value` metadata, in place.

use std::borrow::Cow;

use serde_json::Value;

use super::config::Action;
use super::keys;
use super::Scrubber;

/// Nesting depth beyond which a subtree is replaced by [`TRUNCATED`] rather than walked
/// (bounds recursion on hand-built values; `serde_json` parsing already stops at 128).
pub const MAX_DEPTH: usize = 64;

/// What replaces a subtree deeper than [`MAX_DEPTH`].
pub const TRUNCATED: &str = "[truncated]";

impl Scrubber {
    /// Scrubs event metadata in place: the value under a sensitive key is masked, hashed or
    /// removed as a whole (objects and arrays included); every other string is scanned as
    /// text; object keys that themselves contain PII (a map keyed by e-mail) are scrubbed
    /// too. Numbers, booleans and nulls under ordinary keys are kept. Allocates nothing when
    /// nothing matches.
    pub fn scrub_json(&self, value: &mut Value) {
        self.scrub_json_at(value, 0);
    }

    fn scrub_json_at(&self, value: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            *value = Value::String(TRUNCATED.to_owned());
            return;
        }
        match value {
            Value::String(s) => {
                if let Cow::Owned(scrubbed) = self.scrub_text(s) {
                    *s = scrubbed;
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.scrub_json_at(item, depth + 1);
                }
            }
            Value::Object(map) => {
                let log_record = map.keys().any(|k| keys::is_level_key(k.as_bytes()));
                let mut drop_some = false;
                let mut rename = false;
                for (key, member) in map.iter_mut() {
                    let rule = self
                        .key_rule(key)
                        .filter(|rule| !(rule.log_field && log_record));
                    let rule = rule.filter(|rule| match &*member {
                        Value::String(s) => {
                            keys::rule_applies(rule, key.as_bytes(), s.as_bytes(), false)
                        }
                        Value::Number(n) => keys::rule_applies(
                            rule,
                            key.as_bytes(),
                            n.to_string().as_bytes(),
                            false,
                        ),
                        // a chat message or a list of chat turns (`{"text": …}`,
                        // `[{"role": …, "content": …}]`): walked, so that the keys inside
                        // decide (ids and roles stay, texts go)
                        Value::Object(_) if rule.label() == "content" => false,
                        Value::Array(items)
                            if rule.label() == "content"
                                && !items.is_empty()
                                && items.iter().all(Value::is_object) =>
                        {
                            false
                        }
                        _ => !rule.weak && !rule.soft && !rule.opaque,
                    });
                    if let Some(rule) = rule {
                        match rule.action() {
                            Action::Drop => drop_some = true,
                            Action::Mask | Action::Hash => {
                                let replacement = match &*member {
                                    Value::String(s) => self.apply_rule(rule, s),
                                    other => self.apply_rule(rule, &other.to_string()),
                                };
                                if let Some(replacement) = replacement {
                                    *member = Value::String(replacement);
                                }
                            }
                        }
                    } else if !is_version(key, member) {
                        self.scrub_json_at(member, depth + 1);
                    }
                    rename |= matches!(self.scrub_text(key), Cow::Owned(_));
                }
                if drop_some {
                    map.retain(|key, _| {
                        self.key_rule(key)
                            .is_none_or(|rule| rule.action() != Action::Drop)
                    });
                }
                if rename {
                    let renames: Vec<(String, String)> = map
                        .keys()
                        .filter_map(|key| match self.scrub_text(key) {
                            Cow::Owned(new) => Some((key.clone(), new)),
                            Cow::Borrowed(_) => None,
                        })
                        .collect();
                    for (old, new) in renames {
                        if let Some(member) = map.remove(&old) {
                            map.insert(new, member);
                        }
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// A dotted number under a version-like key (`version`, `appVersion`, `versionName`,
/// `os_ver`, `build`, `release`, `fw`, `sdk`): a version, not an IPv4 address.
fn is_version(key: &str, member: &Value) -> bool {
    let Value::String(v) = member else {
        return false;
    };
    super::versions::version_key(key.as_bytes())
        && !v.is_empty()
        && v.bytes()
            .all(|c| c.is_ascii_digit() || c == b'.' || c == b'v' || c == b'-')
}
