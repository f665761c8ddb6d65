//! Small decoders the TUF metadata needs: hex, PEM public keys and the
//! metadata date-time. TODO(issue-13 port): use crate::encoding (and the
//! core's RFC 3339 reader) instead of these private copies.

use alloc::vec::Vec;

use crate::json::JsonStr;

fn hex_digit(d: u8) -> Option<u8> {
    match d {
        // Each arm's range keeps the subtraction in 0..=15.
        b'0'..=b'9' => Some(d.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(d.wrapping_sub(b'a' - 10)),
        b'A'..=b'F' => Some(d.wrapping_sub(b'A' - 10)),
        _ => None,
    }
}

/// Decodes hex (either case) of at most `max_bytes` bytes.
pub(crate) fn hex_vec(s: JsonStr<'_>, max_bytes: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut high: Option<u8> = None;
    for b in s.bytes() {
        let d = hex_digit(b)?;
        match high.take() {
            None => high = Some(d),
            Some(h) => {
                if out.len() >= max_bytes {
                    return None;
                }
                out.push((h << 4) | d);
            }
        }
    }
    high.is_none().then_some(out)
}

/// Decodes exactly `N` bytes of hex (either case).
pub(crate) fn hex_array<const N: usize>(s: JsonStr<'_>) -> Option<[u8; N]> {
    let v = hex_vec(s, N)?;
    v.try_into().ok()
}

/// Whether `s` is exactly the lower-case hex of `digest`: python-tuf
/// compares `hexdigest()` strings, so upper case does not match.
pub(crate) fn is_lower_hex_of(mut given: impl Iterator<Item = u8>, digest: &[u8]) -> bool {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut expected = digest.iter().flat_map(|b| {
        [
            HEX.get(usize::from(b >> 4)).copied().unwrap_or(0),
            HEX.get(usize::from(b & 15)).copied().unwrap_or(0),
        ]
    });
    loop {
        match (given.next(), expected.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// The DER of a `PUBLIC KEY` PEM block (a SubjectPublicKeyInfo), as
/// securesystemslib writes `keyval.public`: RFC 7468's strict form,
/// optionally followed by one line end.
pub(crate) fn pem_public_key(s: JsonStr<'_>, max_len: usize) -> Option<Vec<u8>> {
    if s.raw().len() > max_len.saturating_mul(2).saturating_add(128) {
        return None;
    }
    let text: Vec<u8> = s.bytes().collect();
    let (label, der) = pem_rfc7468::decode_vec(&text).ok()?;
    (label == "PUBLIC KEY" && der.len() <= max_len).then_some(der)
}

/// Days from 1970-01-01 to `y-m-d` (proleptic Gregorian), for valid dates.
fn days_from_civil(y: u64, m: u64, d: u64) -> Option<u64> {
    // Howard Hinnant's algorithm, on years >= 1970 only (no negatives).
    let y = if m <= 2 { y.checked_sub(1)? } else { y };
    let era = y / 400;
    let yoe = y % 400;
    let mp = if m > 2 {
        m.checked_sub(3)?
    } else {
        m.checked_add(9)?
    };
    let doy = (153u64.checked_mul(mp)?.checked_add(2)? / 5)
        .checked_add(d)?
        .checked_sub(1)?;
    let doe = yoe
        .checked_mul(365)?
        .checked_add(yoe / 4)?
        .checked_sub(yoe / 100)?
        .checked_add(doy)?;
    era.checked_mul(146_097)?
        .checked_add(doe)?
        .checked_sub(719_468)
}

fn days_in_month(y: u64, m: u64) -> u64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` (TUF spec §4 "date-time", the form python-tuf
/// parses) → Unix seconds. Dates before 1970 are refused.
pub(crate) fn parse_expires(s: JsonStr<'_>) -> Option<u64> {
    if s.has_escapes() {
        return None;
    }
    let b = s.raw().as_bytes();
    if b.len() != 20 {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u64> {
        let digits = b.get(from..to)?;
        digits.iter().try_fold(0u64, |acc, &c| {
            if !c.is_ascii_digit() {
                return None;
            }
            acc.checked_mul(10)?
                .checked_add(u64::from(c.wrapping_sub(b'0')))
        })
    };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-')
        && sep(7, b'-')
        && sep(10, b'T')
        && sep(13, b':')
        && sep(16, b':')
        && sep(19, b'Z'))
    {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, se) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if y < 1970 || !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    if h > 23 || mi > 59 || se > 59 {
        return None;
    }
    days_from_civil(y, mo, d)?
        .checked_mul(86_400)?
        .checked_add(h.checked_mul(3600)?)?
        .checked_add(mi.checked_mul(60)?)?
        .checked_add(se)
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
        assert!(is_lower_hex_of(b"00ff".iter().copied(), &[0, 255]));
        assert!(!is_lower_hex_of(b"00FF".iter().copied(), &[0, 255]));
        assert!(!is_lower_hex_of(b"00ff00".iter().copied(), &[0, 255]));
        assert!(!is_lower_hex_of(b"00f".iter().copied(), &[0, 255]));
    }
}
