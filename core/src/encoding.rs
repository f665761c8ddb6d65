//! Text encodings of binary data: hex, base64, and PEM read leniently.
//!
//! **Hex** (digests in manifests and Rekor bodies, key hints): lowercase
//! out, either case in unless a check says otherwise.
//!
//! **Base64** (RFC 4648 §4, standard alphabet, `=` padding, strict: no
//! whitespace, no missing padding, no non-zero unused bits) is `base64ct`'s,
//! decoded in place into the caller's buffer.
//!
//! **PEM**: documents read leniently, as RFC 7468 §3 asks of parsers ("be
//! liberal in what you accept"), for keys and certificates that people
//! paste, wrap and indent by hand.
//!
//! Checks of a PEM block, in order:
//! 1. the block starts at `-----BEGIN <label>-----` (text before it is
//!    explanatory and ignored, as OpenSSL and `cryptography` ignore it)
//!    and ends at the first `-----END <label>-----` after it;
//! 2. between them there is only base64 (RFC 4648 standard alphabet,
//!    `=` padding) and whitespace (RFC 7468 `W`: space, tab, CR, LF, VT,
//!    FF), anywhere and in any amount: lines of any length, one line with
//!    no final newline, indentation, blank lines, trailing spaces;
//! 3. the base64, whitespace removed, decodes strictly (padding only at
//!    the end, as a whole); what it holds is for the caller to parse as one
//!    DER object (a SubjectPublicKeyInfo, a certificate), which rejects
//!    trailing or missing bytes.
//!
//! Hand-written instead of `pem-rfc7468`, which implements the RFC's
//! *strict* grammar only: fixed line width (detected from the first line),
//! no blank line after BEGIN, no indentation or trailing spaces, and it
//! offers no lax mode. The whitespace is removed into the caller's buffer
//! (on the stack for keys: nothing here allocates), which then holds the
//! bare base64 and is decoded in place by `base64ct`.

/// The value of a hex digit (either case), or `None`.
pub(crate) fn hex_val(d: u8) -> Option<u8> {
    match d {
        // Each arm's range keeps the subtraction in 0..=15: no wrap occurs.
        b'0'..=b'9' => Some(d.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(d.wrapping_sub(b'a' - 10)),
        b'A'..=b'F' => Some(d.wrapping_sub(b'A' - 10)),
        _ => None,
    }
}

/// The lowercase hex digit for a nibble.
pub(crate) fn hex_digit(n: u8) -> u8 {
    match n & 15 {
        // `d <= 15`: the sums stay within ASCII, no wrap occurs.
        d @ 0..=9 => b'0'.wrapping_add(d),
        d => (b'a' - 10).wrapping_add(d),
    }
}

/// The lowercase hex spelling of `bytes`, digit by digit.
pub(crate) fn hex_digits(bytes: &[u8]) -> impl Iterator<Item = u8> + Clone + '_ {
    bytes
        .iter()
        .flat_map(|b| [hex_digit(b >> 4), hex_digit(b & 15)])
}

/// Whether `hex` spells `bytes` in lowercase hex, exactly.
pub(crate) fn hex_eq_lower(hex: impl Iterator<Item = u8>, bytes: &[u8]) -> bool {
    hex.eq(hex_digits(bytes))
}

/// Whether `hex` spells `bytes` in hex of either case.
#[cfg(feature = "sigstore")]
pub(crate) fn hex_eq(hex: impl Iterator<Item = u8>, bytes: &[u8]) -> bool {
    let mut want = bytes.iter().flat_map(|b| [b >> 4, b & 0xf]);
    for c in hex {
        if hex_val(c).is_none() || want.next() != hex_val(c) {
            return false;
        }
    }
    want.next().is_none()
}

/// Decodes hex (either case) into `out`; the number of bytes, or `None`
/// when the text is not hex of whole bytes or does not fit.
pub(crate) fn hex_decode(hex: impl IntoIterator<Item = u8>, out: &mut [u8]) -> Option<usize> {
    let mut n = 0usize;
    let mut hi: Option<u8> = None;
    for c in hex {
        let v = hex_val(c)?;
        match hi.take() {
            None => hi = Some(v),
            Some(h) => {
                *out.get_mut(n)? = (h << 4) | v;
                // `n < out.len()`: the write above succeeded.
                n = n.saturating_add(1);
            }
        }
    }
    hi.is_none().then_some(n)
}

/// Lowercase hex rendering of a byte slice.
#[derive(Debug, Clone, Copy)]
pub struct Hex<'a>(pub &'a [u8]);

impl core::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Decodes the base64 text in `buf` in place (standard alphabet, padded);
/// the decoded bytes.
///
/// The payload of a million resources is about 228 MB of base64: `base64ct`'s
/// constant-time decoder spends about 25 instructions a byte on it (a
/// quarter of a 10^5-file verification's serial part, measured with
/// callgrind), the `base64` crate's table decoder about 4. Nothing decoded
/// here is secret, so constant time buys nothing. It decodes into a
/// separate buffer, hence the chunks: each decodes onto the stack and is
/// copied down to where the output has got to, always behind the input
/// still to read (3 bytes out per 4 in). Feature `fast-base64` (the CLI);
/// without it, `base64ct`.
#[cfg(feature = "fast-base64")]
pub(crate) fn base64_in_place(buf: &mut [u8]) -> Option<&[u8]> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    // As base64ct (what the verifier used before, and still does without
    // the feature): padding required, and the unused bits of the last
    // quad not checked (`QR==` is `A`, as Go's and Python's decoders read
    // it too).
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
    );
    const IN: usize = 4096;
    let mut out = [0u8; IN / 4 * 3];
    let len = buf.len();
    // Padding belongs to the last quad only: chunks decoded one by one
    // would otherwise accept `QQ==QUJD`.
    let body = buf.get(..len.saturating_sub(4)).unwrap_or(&[]);
    if !len.is_multiple_of(4) || memchr::memchr(b'=', body).is_some() {
        return None;
    }
    let (mut read, mut written) = (0usize, 0usize);
    while read < len {
        let end = read.saturating_add(IN).min(len);
        let n = ENGINE.decode_slice(buf.get(read..end)?, &mut out).ok()?;
        // `written + n <= read * 3 / 4 + n <= end`: inside `buf`.
        let dst = buf.get_mut(written..written.saturating_add(n))?;
        dst.copy_from_slice(out.get(..n)?);
        written = written.saturating_add(n);
        read = end;
    }
    buf.get(..written)
}

/// Decodes the base64 text in `buf` in place (standard alphabet, padded);
/// the decoded bytes.
#[cfg(not(feature = "fast-base64"))]
pub(crate) fn base64_in_place(buf: &mut [u8]) -> Option<&[u8]> {
    <base64ct::Base64 as base64ct::Encoding>::decode_in_place(buf)
        .ok()
        .map(|d| -> &[u8] { d })
}

/// Decodes base64 `text`, reusing its allocation.
#[cfg(feature = "sigstore")]
pub(crate) fn base64_vec(mut text: alloc::vec::Vec<u8>) -> Option<alloc::vec::Vec<u8>> {
    let n = base64_in_place(&mut text)?.len();
    text.truncate(n);
    Some(text)
}

/// Why a PEM block could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PemError {
    /// No `-----BEGIN <label>-----` ... `-----END <label>-----` block.
    NoBlock,
    /// A byte that is neither base64 nor whitespace between the boundaries.
    NotBase64,
    /// The base64 does not fit the caller's buffer.
    TooLong,
}

/// RFC 7468 `W`: WSP / CR / LF / VT / FF.
fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// The first `label` block of `text` (check 1): its body, and the text
/// after its END line.
pub(crate) fn find_block<'t>(text: &'t [u8], label: &str) -> Option<(&'t [u8], &'t [u8])> {
    let dashes = b"-----";
    let boundary = |kind: &[u8], hay: &[u8]| -> Option<(usize, usize)> {
        // `kind` + label + dashes, found by its parts to need no buffer.
        let mut from = 0usize;
        loop {
            let rest = hay.get(from..)?;
            let at = from.checked_add(find(rest, dashes)?)?;
            let mut p = at.checked_add(dashes.len())?;
            let parts: [&[u8]; 3] = [kind, label.as_bytes(), dashes];
            let matched = parts.iter().all(|part| {
                let ok = hay.get(p..).is_some_and(|h| h.starts_with(part));
                p = p.saturating_add(part.len());
                ok
            });
            if matched {
                return Some((at, p));
            }
            from = at.checked_add(1)?;
        }
    };
    let (_, body_start) = boundary(b"BEGIN ", text)?;
    let after_begin = text.get(body_start..)?;
    let (end_at, end_len) = boundary(b"END ", after_begin)?;
    Some((after_begin.get(..end_at)?, after_begin.get(end_len..)?))
}

/// Checks 2–3 on a block's body: the decoded bytes, in `buf`.
pub(crate) fn decode_body<'b>(body: &[u8], buf: &'b mut [u8]) -> Result<&'b [u8], PemError> {
    let mut n = 0usize;
    for &b in body {
        if is_whitespace(b) {
            continue;
        }
        if !is_base64(b) {
            return Err(PemError::NotBase64);
        }
        *buf.get_mut(n).ok_or(PemError::TooLong)? = b;
        // `n < buf.len()`: the write above succeeded.
        n = n.saturating_add(1);
    }
    let text = buf.get_mut(..n).ok_or(PemError::TooLong)?;
    base64_in_place(text).ok_or(PemError::NotBase64)
}

/// [`find_block`] then [`decode_body`]: the first `label` block of `text`.
pub(crate) fn decode<'b>(
    text: &[u8],
    label: &str,
    buf: &'b mut [u8],
) -> Result<&'b [u8], PemError> {
    let (body, _) = find_block(text, label).ok_or(PemError::NoBlock)?;
    decode_body(body, buf)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const B64: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE";

    fn dec(text: &str) -> Result<std::vec::Vec<u8>, PemError> {
        let mut buf = [0u8; 256];
        decode(text.as_bytes(), "PUBLIC KEY", &mut buf).map(|d| d.to_vec())
    }

    #[test]
    fn lax_layouts_decode_alike() {
        let want = dec(&std::format!(
            "-----BEGIN PUBLIC KEY-----\n{B64}\n-----END PUBLIC KEY-----\n"
        ))
        .unwrap();
        let (a, b) = B64.split_at(10);
        for text in [
            // One line, no final newline (the npm registry's key).
            std::format!("-----BEGIN PUBLIC KEY-----{B64}-----END PUBLIC KEY-----"),
            // Any line length, CRLF, indentation, blank lines, trailing
            // spaces, explanatory text before and after.
            std::format!(
                "Key:\n  -----BEGIN PUBLIC KEY-----\r\n\r\n  {a}  \r\n\t{b} \r\n-----END PUBLIC KEY-----\r\nbye"
            ),
            std::format!("-----BEGIN PUBLIC KEY-----\n{a}\x0b{b}\x0c\n-----END PUBLIC KEY-----"),
        ] {
            assert_eq!(dec(&text).as_ref(), Ok(&want), "{text:?}");
        }
    }

    #[test]
    fn anything_but_base64_and_whitespace_fails() {
        for text in [
            std::string::String::new(),
            std::format!("-----BEGIN PUBLIC KEY-----\n{B64}\n"),
            std::format!("-----BEGIN PUBLIC KEY-----\n{B64}\n-----END CERTIFICATE-----\n"),
            std::format!("-----BEGIN CERTIFICATE-----\n{B64}\n-----END CERTIFICATE-----\n"),
            std::format!("-----BEGIN PUBLIC KEY----\n{B64}\n-----END PUBLIC KEY-----\n"),
        ] {
            assert_eq!(dec(&text), Err(PemError::NoBlock), "{text:?}");
        }
        for text in [
            std::format!(
                "-----BEGIN PUBLIC KEY-----\nProc-Type: 4\n{B64}\n-----END PUBLIC KEY-----"
            ),
            std::format!("-----BEGIN PUBLIC KEY-----\n{B64}\0\n-----END PUBLIC KEY-----"),
            // Padding in the middle; base64 of a wrong length.
            std::format!("-----BEGIN PUBLIC KEY-----\nAA==\n{B64}\n-----END PUBLIC KEY-----"),
            std::format!("-----BEGIN PUBLIC KEY-----\n{B64}A\n-----END PUBLIC KEY-----"),
        ] {
            assert_eq!(dec(&text), Err(PemError::NotBase64), "{text:?}");
        }
        let mut tiny = [0u8; 8];
        assert_eq!(
            decode(
                std::format!("-----BEGIN PUBLIC KEY-----{B64}-----END PUBLIC KEY-----").as_bytes(),
                "PUBLIC KEY",
                &mut tiny
            ),
            Err(PemError::TooLong)
        );
    }

    #[test]
    fn blocks_are_found_in_turn() {
        let two = b"x-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";
        let (first, rest) = find_block(two, "CERTIFICATE").unwrap();
        assert_eq!(first, b"\nAAAA\n");
        let (second, rest) = find_block(rest, "CERTIFICATE").unwrap();
        assert_eq!(second, b"\nAQID\n");
        assert!(find_block(rest, "CERTIFICATE").is_none());
    }
}

/// The table decoder accepts exactly what `base64ct` accepts (padded;
/// trailing bits unchecked), and decodes it alike, across chunk boundaries.
#[cfg(all(test, feature = "fast-base64"))]
mod fast_base64_tests {
    extern crate std;
    use std::vec::Vec;

    fn reference(text: &[u8]) -> Option<Vec<u8>> {
        let mut buf = text.to_vec();
        <base64ct::Base64 as base64ct::Encoding>::decode_in_place(&mut buf)
            .ok()
            .map(|d| d.to_vec())
    }

    #[test]
    fn agrees_with_base64ct() {
        let long: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut enc = std::vec![0u8; long.len() * 4 / 3 + 4];
        let long_text = <base64ct::Base64 as base64ct::Encoding>::encode(&long, &mut enc)
            .expect("encode")
            .as_bytes()
            .to_vec();
        let mut cases: Vec<Vec<u8>> = [
            &b""[..],
            b"QQ==",
            b"QUI=",
            b"QUJD",
            b"QR==",
            b"QUJ=",
            b"QQ=",
            b"QQ",
            b"Q===",
            b"QQ==QUJD",
            b"QUJD\n",
            b"QU JD",
            b"====",
            b"QUJD====",
            b"-_-_",
        ]
        .iter()
        .map(|c| c.to_vec())
        .collect();
        cases.push(long_text.clone());
        // An '=' in the middle of a later chunk, and a bad byte there.
        let mut bad = long_text.clone();
        bad[5000] = b'=';
        cases.push(bad);
        let mut bad = long_text;
        bad[8191] = b'*';
        cases.push(bad);
        for text in cases {
            let mut buf = text.clone();
            let got = super::base64_in_place(&mut buf).map(<[u8]>::to_vec);
            assert_eq!(
                got,
                reference(&text),
                "{:?}",
                std::string::String::from_utf8_lossy(&text)
            );
        }
    }
}
