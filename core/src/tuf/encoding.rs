//! What TUF metadata encodes differently from bundles: hex keys and
//! signatures, PEM keys inside JSON strings, and the `expires` date-time.
//! Thin wrappers over the core's own readers (`crate::encoding`,
//! `crate::time`).

use alloc::vec::Vec;

use crate::encoding::{hex_decode, hex_eq_lower};
use crate::json::JsonStr;

/// Decodes hex (either case) of at most `max_bytes` bytes.
pub(crate) fn hex_vec(s: JsonStr<'_>, max_bytes: usize) -> Option<Vec<u8>> {
    // Hex of more than `max_bytes` does not fit `out` and is refused.
    let mut out = alloc::vec![0u8; max_bytes.min(s.raw().len() / 2)];
    let n = hex_decode(s.bytes(), &mut out)?;
    out.truncate(n);
    Some(out)
}

/// Decodes exactly `N` bytes of hex (either case).
pub(crate) fn hex_array<const N: usize>(s: JsonStr<'_>) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    (hex_decode(s.bytes(), &mut out)? == N).then_some(out)
}

/// Whether `given` is exactly the lower-case hex of `digest`: python-tuf
/// compares `hexdigest()` strings, so upper case does not match.
pub(crate) fn is_lower_hex_of(given: impl Iterator<Item = u8>, digest: &[u8]) -> bool {
    hex_eq_lower(given, digest)
}

/// The DER of the `PUBLIC KEY` PEM block in `keyval.public` (a
/// SubjectPublicKeyInfo of at most `max_len` bytes), read with the core's
/// lax PEM reader (any line layout).
pub(crate) fn pem_public_key(s: JsonStr<'_>, max_len: usize) -> Option<Vec<u8>> {
    if s.raw().len() > max_len.saturating_mul(2).saturating_add(128) {
        return None;
    }
    let text: Vec<u8> = s.bytes().collect();
    let mut buf = alloc::vec![0u8; text.len()];
    let der = crate::encoding::decode(&text, "PUBLIC KEY", &mut buf).ok()?;
    (der.len() <= max_len).then(|| der.to_vec())
}

/// `YYYY-MM-DDTHH:MM:SSZ` (TUF spec §4 "date-time", the only form
/// python-tuf parses: no fraction, no offset) → Unix seconds, 1970 to 9999.
pub(crate) fn parse_expires(s: JsonStr<'_>) -> Option<u64> {
    let text = s.raw();
    let exact_form = !s.has_escapes() && text.len() == 20 && text.ends_with('Z');
    exact_form
        .then(|| crate::time::parse_rfc3339(text))
        .flatten()
        .map(|t| t.secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn js(s: &str) -> JsonStr<'_> {
        json::parse(s.as_bytes()).unwrap().str().unwrap()
    }

    #[test]
    fn expires() {
        assert_eq!(parse_expires(js("\"1970-01-01T00:00:00Z\"")), Some(0));
        assert_eq!(
            parse_expires(js("\"2026-11-20T13:58:18Z\"")),
            Some(1_795_183_098)
        );
        assert_eq!(
            parse_expires(js("\"2000-02-29T23:59:59Z\"")),
            Some(951_868_799)
        );
        for bad in [
            "\"2001-02-29T00:00:00Z\"",
            "\"2026-13-01T00:00:00Z\"",
            "\"2026-01-01T24:00:00Z\"",
            "\"2026-01-01T00:00:00\"",
            "\"2026-01-01T00:00:00.5Z\"",
            "\"2021-12-18T13:28:12.99008-06:00\"",
            "\"1969-12-31T23:59:59Z\"",
            "\"2026-01-01 00:00:00Z\"",
            "\"2026-01-01T00:00:00+00:00\"",
        ] {
            assert_eq!(parse_expires(js(bad)), None, "{bad}");
        }
    }

    #[test]
    fn hex() {
        assert_eq!(hex_vec(js("\"00fFa1\""), 8), Some(std::vec![0, 255, 161]));
        assert_eq!(hex_vec(js("\"0\""), 8), None);
        assert_eq!(hex_vec(js("\"0g\""), 8), None);
        assert_eq!(hex_vec(js("\"0000\""), 1), None);
        assert_eq!(hex_array::<2>(js("\"00ff\"")), Some([0, 255]));
        assert_eq!(hex_array::<2>(js("\"00\"")), None);
        assert!(is_lower_hex_of(b"00ff".iter().copied(), &[0, 255]));
        assert!(!is_lower_hex_of(b"00FF".iter().copied(), &[0, 255]));
        assert!(!is_lower_hex_of(b"00ff00".iter().copied(), &[0, 255]));
        assert!(!is_lower_hex_of(b"00f".iter().copied(), &[0, 255]));
    }
}
