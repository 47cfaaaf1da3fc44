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
    let vk = |v: &[&str; 2]| ValueKey::of(v, |s| s);
    // A plain emission's values (`of_tags`) make the key a family's make (`of`).
    let tk = |v: [&str; 2]| ValueKey::of_tags(&[("k", v[0]), ("l", v[1])][..], usize::MAX);
    for n in 0..=base.len() {
        let a = &base[..n];
        let k = vk(&[a, "200"]).unwrap();
        let owned = String::from(a);
        assert!(k.same(&vk(&[&owned, "200"]).unwrap()), "{n}");
        assert!(k.same(&tk([&owned, "200"]).unwrap()), "{n} from tags");
        assert_eq!(k.hash(1, 2), tk([&owned, "200"]).unwrap().hash(1, 2));
        for i in 0..n {
            let mut b = a.as_bytes().to_vec();
            b[i] ^= 1;
            let b = String::from_utf8(b).unwrap();
            assert!(!k.same(&vk(&[&b, "200"]).unwrap()), "{n} at {i}");
            assert!(!k.same(&tk([&b, "200"]).unwrap()), "{n} at {i} from tags");
            assert!(!k.same(&vk(&["200", &b]).unwrap()), "{n} at {i} swapped");
        }
        if n > 0 {
            // Where one value ends and the next begins matters.
            let (x, y) = a.split_at(n / 2);
            assert!(!k.same(&vk(&[x, y]).unwrap()), "{n} split");
            assert!(
                !k.same(&vk(&[&base[..n - 1], "200"]).unwrap()),
                "{n} shorter"
            );
        }
    }
    // Too long, too many words or values: no key (the caller compares strings
    // instead).
    assert!(vk(&[&base[..32], "x"]).is_some());
    assert!(vk(&[&base[..24], &base[..16]]).is_some());
    assert!(vk(&[&format!("{base}!"), "x"]).is_none());
    assert!(vk(&[&base[..32], &base[..32]]).is_some());
    assert!(ValueKey::of(&[&base[..32], &base[..32], "x"], |s| s).is_none());
    assert!(ValueKey::of_tags(&[("k", "x"); 8][..], usize::MAX).is_some());
    assert!(ValueKey::of_tags(&[("k", "x"); 9][..], usize::MAX).is_none());
    // Values are cut as stored before they are keyed.
    let long = format!("{base}{base}");
    assert!(ValueKey::of_tags(&[("k", long.as_str())][..], 32)
        .unwrap()
        .same(&ValueKey::of_tags(&[("k", &base[..32])][..], 32).unwrap()));
}

#[test]
fn fingerprints_decide_equality_up_to_32_bytes() {
    let base: String = (0..40u8).map(|i| char::from(b'a' + i % 26)).collect();
    for n in 0..=32 {
        let a = &base[..n];
        let f = Fingerprint::of(a);
        assert!(f.equals(&String::from(a)), "{n}");
        for i in 0..n {
            let mut b = a.as_bytes().to_vec();
            b[i] ^= 1;
            assert!(!f.equals(&String::from_utf8(b).unwrap()), "{n} at {i}");
        }
        assert!(!f.equals(&base[..n + 1]), "{n} longer");
    }
    // Past 32 bytes the fingerprint cannot tell: `equals` says no, and the caller
    // compares the stored string.
    assert!(!Fingerprint::of(&base[..33]).equals(&base[..33]));
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
