//! Unit tests of `pipeline/ident_hash.rs`.

use super::*;

fn h(seed: u64, parts: &[&str]) -> u64 {
    parts
        .iter()
        .fold(SeriesHash::new(seed, 7), |h, s| h.str(s))
        .finish()
}

#[test]
fn same_agrees_with_equality_at_every_length() {
    let base: String = (0..40u8).map(|i| char::from(b'a' + i % 26)).collect();
    for n in 0..=base.len() {
        let a = &base[..n];
        assert!(same(a, a), "{n}");
        let owned = String::from(a);
        assert!(same(a, owned.as_str()), "{n}");
        for i in 0..n {
            let mut b = a.as_bytes().to_vec();
            b[i] = b'Z';
            let b = String::from_utf8(b).unwrap();
            assert!(!same(a, &b), "{n} differs at {i}");
        }
        if n > 0 {
            assert!(!same(a, &base[..n - 1]));
        }
    }
}

#[test]
fn value_keys_tell_apart_every_byte_length_and_position() {
    let base: String = (0..32u8).map(|i| char::from(b'a' + i % 26)).collect();
    let key = |v: [&str; 2]| SeriesKey::of(v).unwrap();
    // The emit path compares a stored key with one being built.
    let buf = |v: [&str; 2]| {
        let mut b = KeyBuf::new();
        v.iter().for_each(|s| b.push(s));
        assert!(b.fits::<SERIES_WORDS>());
        b
    };
    for n in 0..=base.len() {
        let a = &base[..n];
        let k = key([a, "200"]);
        assert!(k.same(&key([&String::from(a), "200"])), "{n}");
        assert!(k.same_as(&buf([&String::from(a), "200"])), "{n}");
        assert_eq!(k.hash(1, 2), key([&String::from(a), "200"]).hash(1, 2));
        assert_eq!(
            k.hash(1, 2),
            buf([&String::from(a), "200"]).hash::<SERIES_WORDS>(1, 2)
        );
        for i in 0..n {
            let mut b = a.as_bytes().to_vec();
            b[i] ^= 1;
            let b = String::from_utf8(b).unwrap();
            assert!(!k.same(&key([&b, "200"])), "{n} at {i}");
            assert!(!k.same_as(&buf([&b, "200"])), "{n} at {i}");
            assert!(!k.same_as(&buf(["200", &b])), "{n} at {i} swapped");
        }
        if n > 0 {
            assert!(!k.same(&key([&base[..n - 1], "200"])), "{n} shorter");
            assert!(!k.same_as(&buf([&base[..n - 1], "200"])), "{n} shorter");
            // Where one value ends and the next begins matters.
            let (x, y) = a.split_at(n / 2);
            assert!(!k.same(&key([x, y])) || n == 0, "{n} split");
            assert!(!k.same_as(&buf([x, y])), "{n} split");
        }
    }
    // Too long, too many words or strings: no key (the caller compares strings
    // instead).
    let vk = |v: &[&str; 2]| ValueKey::of(v, |s| s);
    assert!(vk(&[&base[..32], "x"]).is_some());
    assert!(vk(&[&base[..24], &base[..16]]).is_some());
    assert!(vk(&[&format!("{base}!"), "x"]).is_none());
    assert!(vk(&[&base[..32], &base[..32]]).is_some());
    assert!(ValueKey::of(&[&base[..32], &base[..32], "x"], |s| s).is_none());
    // A family's key tells values apart like the series key.
    for n in 0..=base.len() {
        let k = vk(&[&base[..n], "200"]).unwrap();
        assert!(k.same(&vk(&[&String::from(&base[..n]), "200"]).unwrap()));
        if n > 0 {
            let (x, y) = base[..n].split_at(n / 2);
            assert!(!k.same(&vk(&[x, y]).unwrap()), "{n} split");
            assert!(
                !k.same(&vk(&[&base[..n - 1], "200"]).unwrap()),
                "{n} shorter"
            );
        }
    }
    assert!(SeriesKey::of(["x"; 9]).is_some());
    assert!(SeriesKey::of(["x"; 10]).is_none());
}

#[test]
fn hash_tells_apart_every_byte_length_and_boundary() {
    let base: String = (0..40u8).map(|i| char::from(b'a' + i % 26)).collect();
    let mut seen = std::collections::HashSet::new();
    for n in 0..=base.len() {
        let a = &base[..n];
        assert!(seen.insert(h(1, &[a])), "length {n} collides");
        for i in 0..n {
            let mut b = a.as_bytes().to_vec();
            b[i] ^= 1;
            let b = String::from_utf8(b).unwrap();
            assert_ne!(h(1, &[a]), h(1, &[&b]), "{n} at {i}");
        }
    }
    // Where one string ends and the next begins matters.
    assert_ne!(h(1, &["ab", "c"]), h(1, &["a", "bc"]));
    assert_ne!(h(1, &["", "abc"]), h(1, &["abc", ""]));
    // The seed matters.
    assert_ne!(h(1, &["route"]), h(2, &["route"]));
}

#[test]
fn hash_spreads_sequential_values_over_the_top_bits() {
    // The 64-slot cache indexes by the top 6 bits; hashbrown's control bytes use
    // the top 7. Sequential route numbers must not pile into a few slots.
    let mut slots = [0u32; 64];
    for i in 0..6400 {
        let v = format!("/api/v1/route/{i}");
        slots[(h(99, &["http.requests", "route", &v]) >> 58) as usize] += 1;
    }
    assert!(slots.iter().all(|&c| (50..=150).contains(&c)), "{slots:?}");
}
