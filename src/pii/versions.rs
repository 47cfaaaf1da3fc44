//! Dotted quads that are versions, not IPv4 addresses: after `v`, a version word or key
//! (`version=`, `appVersion:`, `build`, `firmware`), a product (`Chrome/…`, `agent`,
//! `kernel`, `nginx`), an upgrade verb (`upgraded to`), a package name after one of those,
//! another version and a filler (`from 1.2.3.4 to 1.2.3.5`), inside a user-agent string, or
//! under a version-like JSON key.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use super::detect::{at, before, is_alnum};
use super::names;

/// Words whose forms announce a version (`upgraded 1.2.3.4`, `bumped to`, `Installed`):
/// matched on their start, right before the dotted quad or before a filler word
/// (`upgraded to`); two words back only across a package name, never across a host word
/// (`upgraded host 10.0.0.5` is an address).
const VERB_WORDS: &[&[u8]] = &[
    b"upgrad",
    b"downgrad",
    b"bump",
    b"updat",
    b"instal",
    b"rolled",
    b"rolling",
];

/// Words between a version word and its version (`upgraded to`, `from 1.2.3.4 to`).
const FILLERS: &[&[u8]] = &[
    b"to", b"from", b"->", b"=>", b"auf", b"von", b"a", b"de", b"para", b"vers", b"na", b"naar",
    b"till", b"is", b"now",
];

/// Words naming a host or peer: an address follows them, not a version.
const NET_WORDS: &[&[u8]] = &[
    b"host",
    b"server",
    b"node",
    b"ip",
    b"addr",
    b"address",
    b"peer",
    b"client",
    b"at",
    b"on",
    b"via",
    b"gateway",
    b"proxy",
    b"upstream",
    b"backend",
    b"endpoint",
    b"remote",
    b"target",
    b"source",
    b"src",
    b"dst",
    b"dest",
    b"instance",
    b"router",
    b"resolver",
    b"dns",
    b"nameserver",
    b"for",
    b"by",
    b"with",
];

/// Version-like words and keys (`version`, `app_version`, `fw`) and software whose
/// versions logs print next to its name (not servers such as `redis`, whose name is as
/// often followed by their address: `redis 10.0.0.5`); matched on their end.
pub(crate) const VERSION_WORDS: &[&str] = &[
    "version",
    "ver",
    "release",
    "build",
    "firmware",
    "fw",
    "os",
    "vsn",
    "rev",
    "revision",
    "library",
    "li",
    "sdk",
    "kernel",
    "plugin",
    "package",
    "pkg",
    "patch",
    "tag",
    "chart",
    "windows",
    "android",
    "ios",
    "linux",
    "ubuntu",
    "debian",
    "centos",
    "rhel",
    "alpine",
    "fedora",
    "macos",
    "darwin",
    "agent",
    "jdk",
    "jre",
    "java",
    "python",
    "openssl",
    "chrome",
    "firefox",
    "safari",
    "kubelet",
    "kubectl",
    "terraform",
    "helm",
    "bios",
    "runtime",
    "toolkit",
    "nginx",
    "httpd",
    "apache",
    "tomcat",
    "envoy",
    "nodejs",
    "npm",
    "docker",
    "containerd",
    "glibc",
    "gcc",
    "clang",
    "llvm",
    "curl",
    "git",
    "dotnet",
    "cuda",
    "driver",
    "edge",
    "opera",
    "brave",
    "vivaldi",
    "chromium",
    "electron",
    "webview",
    "okhttp",
    "dalvik",
    "cfnetwork",
];

fn starts_with_word(word: &[u8], list: &[&[u8]]) -> bool {
    list.iter().any(|v| {
        word.len() >= v.len()
            && word
                .get(..v.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(v))
    })
}

fn is_in(word: &[u8], list: &[&[u8]]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// The word (`A-Za-z0-9_-`, at most 40 bytes) ending at `e`, after skipping up to four
/// separators (` = : " ' (`) before it. Returns its start, end and how many bytes were
/// skipped.
fn word_back(b: &[u8], i: usize) -> (usize, usize, usize) {
    let mut e = i;
    let mut skipped = 0;
    while e > 0 && matches!(before(b, e), b' ' | b'=' | b':' | b'"' | b'\'' | b'(') && skipped < 5 {
        e -= 1;
        skipped += 1;
    }
    let mut s = e;
    while s > 0
        && (is_alnum(before(b, s)) || matches!(before(b, s), b'_' | b'-' | b'>'))
        && e - s < 40
    {
        s -= 1;
    }
    (s, e, skipped)
}

/// Whether a dotted quad at `i` is a version: right after `v`/`V`, a product name and `/`
/// (`Chrome/120.0.6099.109`), a version-like key or word (`version=`, `app_version:`,
/// `release `, `build `, `agent `, `Linux `), an upgrade verb (`upgraded to`), a package
/// name after one of those (`package libssl3 3.0.13.1`), or another version and a filler
/// (`from 1.2.3.4 to 1.2.3.5`).
pub(crate) fn version_before(b: &[u8], i: usize) -> bool {
    version_context(b, i, 2) || in_user_agent(b, i)
}

/// Whether the dotted quad at `i` stands inside a user-agent string: a `Mozilla/`,
/// `Dalvik/`, `CFNetwork/` or `okhttp/` product token, or a `User-Agent`/`user_agent` key,
/// before it on the same line with no quote or `=` between (so `ua="…" ip=10.0.0.5` is
/// still an address).
fn in_user_agent(b: &[u8], i: usize) -> bool {
    let mut k = i;
    while k > 0 && i - k < 512 {
        let c = before(b, k);
        if matches!(c, b'"' | b'=' | b'\n' | b'\'') {
            // a `User-Agent: …` header or `user_agent="…` value starts right here
            return key_is_user_agent(b, k - 1);
        }
        if c == b'/' {
            let mut s = k - 1;
            while s > 0 && before(b, s).is_ascii_alphabetic() && k - 1 - s < 12 {
                s -= 1;
            }
            let product = b.get(s..k - 1).unwrap_or(&[]);
            if is_in(
                product,
                &[b"Mozilla", b"Dalvik", b"CFNetwork", b"okhttp", b"Opera"],
            ) {
                return true;
            }
        }
        if c == b':' && key_is_user_agent(b, k - 1) {
            return true;
        }
        k -= 1;
    }
    false
}

/// Whether the key ending before `sep` (skipping a quote and spaces) is `User-Agent`,
/// `user_agent`, `userAgent` or `ua`.
fn key_is_user_agent(b: &[u8], sep: usize) -> bool {
    let mut e = sep;
    while e > 0 && matches!(before(b, e), b' ' | b'"' | b'\'' | b':' | b'=') && sep - e < 4 {
        e -= 1;
    }
    let mut s = e;
    while s > 0 && (is_alnum(before(b, s)) || matches!(before(b, s), b'-' | b'_')) && e - s < 24 {
        s -= 1;
    }
    let key = b.get(s..e).unwrap_or(&[]);
    is_in(
        key,
        &[
            b"user-agent",
            b"user_agent",
            b"useragent",
            b"ua",
            b"http_user_agent",
        ],
    )
}

/// Whether a key names a version (`version`, `appVersion`, `version_name`, `os_build`,
/// `fw`, `sdk_ver`), so a dotted quad under it is a version, not an address.
pub(crate) fn version_key(key: &[u8]) -> bool {
    // the last and the first segment of `app_version`, `datadog-agent`, `versionName`,
    // lower-cased, looked up in the gazetteer (one probe each)
    let seg_start = |c: u8, prev: u8| {
        matches!(prev, b'_' | b'-' | b'.') || (prev.is_ascii_lowercase() && c.is_ascii_uppercase())
    };
    let mut last = 0;
    let mut first_end = key.len();
    for k in 1..key.len() {
        if seg_start(at(key, k), at(key, k - 1)) {
            last = k;
            first_end = first_end.min(k);
        }
    }
    let lower_flag = |s: &[u8]| {
        let mut buf = [0_u8; 24];
        let s = s.strip_suffix(b"_").unwrap_or(s);
        let s = s.strip_suffix(b"-").unwrap_or(s);
        if s.len() > buf.len() {
            return false;
        }
        for (d, c) in buf.iter_mut().zip(s) {
            *d = c.to_ascii_lowercase();
        }
        buf.get(..s.len())
            .is_some_and(|w| names::word_flags(w) & names::F_VERSION != 0)
    };
    let first = key.get(..first_end).unwrap_or(&[]);
    lower_flag(key.get(last..).unwrap_or(&[]))
        || (first_end < key.len() && (lower_flag(first) || first.eq_ignore_ascii_case(b"version")))
        || is_in(key, &[b"v", b"vers"])
        || GLUED.iter().any(|w| {
            key.len() > w.len()
                && key
                    .get(key.len() - w.len()..)
                    .is_some_and(|t| t.eq_ignore_ascii_case(w))
        })
}

/// Version words that end a key or product name without a separator (`appversion`,
/// `openjdk`, `myos`, `fwbuild`); not `ver`, which ends `server`.
const GLUED: &[&[u8]] = &[
    b"version",
    b"jdk",
    b"jre",
    b"sdk",
    b"os",
    b"build",
    b"release",
    b"firmware",
    b"kernel",
    b"agent",
    b"lib",
];

fn version_context(b: &[u8], i: usize, depth: u8) -> bool {
    let p = before(b, i);
    if matches!(p, b'v' | b'V') && !is_alnum(before(b, i - 1)) {
        return true;
    }
    if p == b'/' && i >= 2 && before(b, i - 1).is_ascii_alphabetic() {
        return true;
    }
    let (s, e, skipped) = word_back(b, i);
    let Some(word) = b.get(s..e) else {
        return false;
    };
    // an image reference's tag (`registry.example.com/app:4.0.0.12`)
    if p == b':'
        && skipped == 1
        && s > 0
        && before(b, s) == b'/'
        && !b.get(..s).is_some_and(|h| h.ends_with(b"//"))
    {
        return true;
    }
    if skipped == 0 {
        // `go1.21.3.4`, `java11.0.2.1`
        return matches!(word, b"go" | b"java" | b"node" | b"python" | b"v");
    }
    if is_in(word, NET_WORDS) {
        return false; // `server 10.0.0.5`, `host: 10.0.0.5`
    }
    if starts_with_word(word, VERB_WORDS) || version_key(word) {
        return true;
    }
    if depth == 0 || s == 0 || is_in(word, NET_WORDS) || word.is_empty() {
        return false;
    }
    let filler = is_in(word, FILLERS);
    if filler && before(b, s) == b' ' {
        // `from 10.4.1.7 to 10.4.2.1`: the quad before the filler is a version
        let mut q = s - 1;
        while q > 0 && (before(b, q).is_ascii_digit() || before(b, q) == b'.') && s - q < 16 {
            q -= 1;
        }
        let quad = b.get(q..s - 1).unwrap_or(&[]);
        if quad.iter().filter(|&&c| c == b'.').count() == 3
            && quad.first().is_some_and(u8::is_ascii_digit)
        {
            return version_context(b, q, depth - 1);
        }
    }
    // `upgraded to 1.2.3.4`, `package libssl3 3.0.13.1`: two words back
    let package = !filler && word.first().is_some_and(u8::is_ascii_lowercase);
    if (filler || package) && before(b, s) == b' ' {
        let (s2, e2, _) = word_back(b, s);
        let w2 = b.get(s2..e2).unwrap_or(&[]);
        if starts_with_word(w2, VERB_WORDS) || (package && version_key(w2) && !is_in(w2, NET_WORDS))
        {
            return true;
        }
        // `upgraded payments-api to 4.2.0.1`: an upgrade verb, a thing, `to`
        if filler && s2 > 0 && before(b, s2) == b' ' && !is_in(w2, NET_WORDS) {
            let (s3, e3, _) = word_back(b, s2);
            let w3 = b.get(s3..e3).unwrap_or(&[]);
            return starts_with_word(w3, &[b"upgrad", b"downgrad", b"bump"]);
        }
    }
    false
}
