//! PEM documents read leniently, as RFC 7468 §3 asks of parsers ("be
//! liberal in what you accept"), for keys and certificates that people
//! paste, wrap and indent by hand.
//!
//! Checks, in order:
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
    <base64ct::Base64 as base64ct::Encoding>::decode_in_place(text)
        .map(|d| -> &[u8] { d })
        .map_err(|_| PemError::NotBase64)
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
