//! OLPC canonical JSON (the "canonical JSON" subdialect the TUF spec §4
//! names for signatures) of a parsed value, written the way the reference
//! signer (securesystemslib's `encode_canonical`) writes it:
//!
//! 1. no whitespace; object members sorted by key, compared as UTF-8 bytes
//!    of the decoded key (Python sorts `str` by code point: the same order);
//! 2. strings decoded, then only `"` and `\` escaped (as `\"` and `\\`);
//!    every other character, control characters included, is written raw
//!    as UTF-8;
//! 3. numbers: integers only (a fraction or exponent is refused, as
//!    securesystemslib refuses floats); `-0` is written `0`;
//! 4. `true`, `false`, `null` as they are.
//!
//! A member named twice is refused (the document would mean two things),
//! and nesting deeper than [`MAX_TUF_DEPTH`] is refused before recursing.
//!
//! Hand-written: no no_std crate writes OLPC canonical JSON, and it must be
//! computed from the parsed document (never re-serialized by a general JSON
//! library, which would normalise what was signed). The output is never
//! longer than the value's own text, so one allocation of that size
//! suffices; each object level also holds one vector of its members (two
//! borrowed spans each) while it is written.

use alloc::vec::Vec;

use super::error::TufCheck;
use crate::json::{JsonError, JsonStr, Kind, Value};
use crate::limits::MAX_TUF_DEPTH;

/// The canonical form of `value`, which sits at nesting depth `depth`
/// (the document's top-level object is depth 1).
pub(crate) fn canonical(value: Value<'_>, depth: usize) -> Result<Vec<u8>, TufCheck> {
    let mut out = Vec::new();
    out.try_reserve_exact(value.raw().len())
        .map_err(|_| TufCheck::TooLarge {
            limit: u64::try_from(value.raw().len()).unwrap_or(u64::MAX),
        })?;
    write_value(value, depth, &mut out)?;
    Ok(out)
}

fn write_value(value: Value<'_>, depth: usize, out: &mut Vec<u8>) -> Result<(), TufCheck> {
    match value.kind() {
        Kind::Object => {
            if depth > MAX_TUF_DEPTH {
                return Err(TufCheck::TooDeep);
            }
            let object = value.object().map_err(TufCheck::Json)?;
            let mut count = 0usize;
            for member in object.members() {
                member.map_err(TufCheck::Json)?;
                count = count.saturating_add(1);
            }
            let mut members = Vec::new();
            members
                .try_reserve_exact(count)
                .map_err(|_| TufCheck::TooLarge {
                    limit: u64::try_from(value.raw().len()).unwrap_or(u64::MAX),
                })?;
            for member in object.members() {
                members.push(member.map_err(TufCheck::Json)?);
            }
            members.sort_unstable_by(|a, b| a.0.bytes().cmp(b.0.bytes()));
            if members
                .windows(2)
                .any(|w| matches!(w, [a, b] if a.0.bytes().eq(b.0.bytes())))
            {
                return Err(TufCheck::Json(JsonError::DuplicateKey));
            }
            out.push(b'{');
            for (i, (key, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(*key, out);
                out.push(b':');
                write_value(*v, depth.saturating_add(1), out)?;
            }
            out.push(b'}');
        }
        Kind::Array => {
            if depth > MAX_TUF_DEPTH {
                return Err(TufCheck::TooDeep);
            }
            out.push(b'[');
            for (i, element) in value.array().map_err(TufCheck::Json)?.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(
                    element.map_err(TufCheck::Json)?,
                    depth.saturating_add(1),
                    out,
                )?;
            }
            out.push(b']');
        }
        Kind::String => write_string(value.str().map_err(TufCheck::Json)?, out),
        Kind::Number => {
            let raw = value.raw();
            if raw.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
                return Err(TufCheck::NotCanonical);
            }
            // The JSON grammar allows no leading zeros, so the only
            // integer with two spellings is zero.
            if raw == b"-0" {
                out.push(b'0');
            } else {
                out.extend_from_slice(raw);
            }
        }
        Kind::Bool | Kind::Null => out.extend_from_slice(value.raw()),
    }
    Ok(())
}

fn write_string(s: JsonStr<'_>, out: &mut Vec<u8>) {
    out.push(b'"');
    for b in s.bytes() {
        // `"` and `\` never occur inside a multi-byte UTF-8 sequence.
        if matches!(b, b'"' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn canon(s: &str) -> Result<std::string::String, TufCheck> {
        let v = json::parse(s.as_bytes()).map_err(TufCheck::Json)?;
        canonical(v, 1).map(|b| std::string::String::from_utf8(b).unwrap())
    }

    #[test]
    fn sorts_strips_and_escapes_like_securesystemslib() {
        assert_eq!(
            canon(r#" { "b" : [1, true, null, "x"], "a": {"d": -0, "c": "é\u00e9\n\"\\\/"} } "#)
                .unwrap(),
            "{\"a\":{\"c\":\"éé\n\\\"\\\\/\",\"d\":0},\"b\":[1,true,null,\"x\"]}"
        );
        // Keys compare by decoded UTF-8 bytes: "Z" < "a" < "é" < "😀".
        assert_eq!(
            canon(r#"{"\ud83d\ude00":1,"\u00e9":2,"a":3,"Z":4}"#).unwrap(),
            "{\"Z\":4,\"a\":3,\"é\":2,\"😀\":1}"
        );
    }

    #[test]
    fn refuses_floats_duplicates_and_depth() {
        assert_eq!(canon(r#"{"a":1.0}"#), Err(TufCheck::NotCanonical));
        assert_eq!(canon(r#"{"a":1e3}"#), Err(TufCheck::NotCanonical));
        assert_eq!(
            canon(r#"{"a":1,"\u0061":2}"#),
            Err(TufCheck::Json(JsonError::DuplicateKey))
        );
        let ok = "[".repeat(MAX_TUF_DEPTH) + &"]".repeat(MAX_TUF_DEPTH);
        assert!(canon(&ok).is_ok());
        let deep = "[".repeat(MAX_TUF_DEPTH + 1) + &"]".repeat(MAX_TUF_DEPTH + 1);
        assert_eq!(canon(&deep), Err(TufCheck::TooDeep));
    }
}
