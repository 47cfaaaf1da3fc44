//! Keyed hashing (HMAC-SHA256, truncated to 64 bits) for `Action::Hash` and pseudonyms.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// A keyed hasher with the key schedule done once; each token clones the prepared state.
#[derive(Clone)]
pub(crate) struct Keyed {
    mac: HmacSha256,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl Keyed {
    /// `None` only if the key is rejected by HMAC, which accepts any length.
    pub(crate) fn new(key: &[u8]) -> Option<Keyed> {
        HmacSha256::new_from_slice(key)
            .ok()
            .map(|mac| Keyed { mac })
    }

    /// The first 8 bytes of HMAC-SHA256(key, input) as 16 lower-case hex digits.
    pub(crate) fn hex16(&self, input: &[u8]) -> [u8; 16] {
        let mut mac = self.mac.clone();
        mac.update(input);
        let digest = mac.finalize().into_bytes();
        let mut out = [b'0'; 16];
        for (pair, byte) in out.chunks_exact_mut(2).zip(digest.iter()) {
            if let [hi, lo] = pair {
                *hi = HEX.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
                *lo = HEX.get(usize::from(byte & 0x0f)).copied().unwrap_or(b'0');
            }
        }
        out
    }

    /// Appends `label_<16 hex>` to `buf`.
    pub(crate) fn write_token(&self, buf: &mut String, label: &str, input: &[u8]) {
        buf.push_str(label);
        buf.push('_');
        for &c in &self.hex16(input) {
            buf.push(char::from(c));
        }
    }
}
