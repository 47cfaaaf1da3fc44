//! The crate's modules depend one way, in the layers `docs/architecture.md` ("Code
//! structure") describes: records and events below the pipeline, the pipeline below
//! the public handle, integrations on top. This test reads `src/` and fails on any use
//! of a module from a layer below it (or on a cycle inside a layer), so the page stays
//! true as the code changes.
//!
//! A use is any `crate::<module>` path outside tests and comments, plus the crate-root
//! re-exports of `src/lib.rs` (`crate::Telemetry` is a use of `telemetry`). The one
//! exception is `error`: the crate's error enum names every subsystem's error type, and
//! every layer returns it; it holds no logic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom first. A module may use modules of its own layer (without a cycle) and of the
/// layers below it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundations",
        &[
            "error",
            "clock",
            "tags",
            "switches",
            "histogram",
            "sampling",
            "pii",
            "slo",
            "net",
            "cost",
            "health",
            "trace",
            "off_thread",
        ],
    ),
    ("records", &["event", "snapshot", "record", "catalog"]),
    ("sinks", &["sinks"]),
    ("configuration", &["config", "alert"]),
    ("pipeline", &["pipeline"]),
    ("handles", &["family", "telemetry", "testing", "global"]),
    ("integrations", &["integrations", "doc_pages"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments and its `#[cfg(test)] mod tests { … }`.
fn code(text: &str) -> String {
    let text = text
        .split("#[cfg(test)]\nmod tests {")
        .next()
        .unwrap_or_default();
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Every name used as `crate::<name>` or inside `use crate::{…}`.
fn crate_names(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let item = item.trim();
                if !item.is_empty() {
                    names.push(ident_at(item).to_owned());
                }
            }
        } else {
            names.push(ident_at(rest).to_owned());
        }
    }
    names
}

/// Crate-root names (`Telemetry`, `init`, …) to the module they are re-exported from,
/// read from `pub use module::…` in `src/lib.rs`.
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for stmt in code(lib).split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module = ident_at(rest).to_owned();
        let names = match rest.find('{') {
            Some(i) => rest[i + 1..].trim_end_matches('}').to_owned(),
            None => rest.rsplit("::").next().unwrap_or_default().to_owned(),
        };
        for name in names.split(',') {
            let name = name.trim();
            if !name.is_empty() {
                map.insert(ident_at(name).to_owned(), module.clone());
            }
        }
    }
    map
}

/// module → (used module → files that use it).
fn dependencies() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let roots = root_exports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut deps: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let name = file.file_stem().unwrap().to_string_lossy();
        // Test-only files (`tests_*.rs`, `*_tests.rs`, `testutil.rs`) are not part of
        // the library's structure.
        if rel == "lib.rs"
            || name.starts_with("tests_")
            || name.ends_with("_tests")
            || name == "testutil"
        {
            continue;
        }
        let module = ident_at(&rel).to_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        for used in crate_names(&code(&text)) {
            let used = roots.get(&used).cloned().unwrap_or(used);
            if used != module && !used.is_empty() && used != "self" {
                deps.entry(module.clone())
                    .or_default()
                    .entry(used)
                    .or_default()
                    .insert(rel.clone());
            }
        }
    }
    deps
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

#[test]
fn every_module_is_in_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let missing: Vec<String> = code(&lib)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("pub(crate) mod "))
                .or_else(|| l.strip_prefix("mod "))?;
            Some(ident_at(rest).to_owned())
        })
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a layer (add them to LAYERS and to docs/architecture.md): {missing:?}"
    );
}

#[test]
fn no_module_uses_a_higher_layer() {
    let mut upward = Vec::new();
    for (module, used) in dependencies() {
        if module == "error" {
            continue;
        }
        let Some(from) = layer_of(&module) else {
            continue; // reported by every_module_is_in_a_layer
        };
        for (target, files) in used {
            let Some(to) = layer_of(&target) else {
                continue; // a crate-root function or an unknown name
            };
            if to > from {
                upward.push(format!(
                    "{module} ({}) uses {target} ({}) in {files:?}",
                    LAYERS[from].0, LAYERS[to].0
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "uses of a higher layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn modules_of_one_layer_form_no_cycle() {
    let deps = dependencies();
    // Depth-first search for a back edge among same-layer uses.
    fn visit(
        m: &str,
        deps: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_owned());
            return Some(cycle);
        }
        if done.contains(m) || m == "error" {
            return None;
        }
        path.push(m.to_owned());
        for next in deps.get(m).into_iter().flat_map(|d| d.keys()) {
            if layer_of(next) == layer_of(m) {
                if let Some(c) = visit(next, deps, path, done) {
                    return Some(c);
                }
            }
        }
        path.pop();
        done.insert(m.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for m in deps.keys() {
        if let Some(cycle) = visit(m, &deps, &mut Vec::new(), &mut done) {
            panic!("modules use each other in a circle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_reader_sees_uses_it_must_catch() {
    // The parser itself: an upward use written each way is found, comments are not.
    let code = code(
        "use crate::{Telemetry, tags::Str};\n// crate::pipeline in a comment\nlet x = crate::sinks::MemorySink::new();",
    );
    let names = crate_names(&code);
    assert_eq!(names, ["Telemetry", "tags", "sinks"]);
    let roots =
        root_exports("pub use telemetry::{\n    Counter, Telemetry,\n};\npub use error::Error;");
    assert_eq!(
        roots.get("Telemetry").map(String::as_str),
        Some("telemetry")
    );
    assert_eq!(roots.get("Error").map(String::as_str), Some("error"));
}
