//! A strict, zero-copy, allocation-free JSON reader (RFC 8259).
//!
//! Checks, in order:
//! 1. the document is UTF-8 (RFC 8259 §8.1) with no byte-order mark;
//! 2. the grammar of RFC 8259 §2–§7, strictly: no trailing commas, no
//!    leading `+` or zeros in numbers, no raw control characters in strings,
//!    only the escapes of §7, and `\u` surrogates only in valid pairs;
//! 3. nesting depth at most [`MAX_JSON_DEPTH`]
//!    (the walk is iterative: depth never costs stack);
//! 4. nothing but whitespace after the top-level value.
//!
//! After [`parse`] has validated a document once, [`Value`]s are borrowed
//! spans of it: objects are looked up by key ([`Object::get`] rejects a key
//! that appears twice, compared after unescaping), arrays are iterated
//! lazily ([`Array::iter`]), and strings stay escaped ([`JsonStr`]) until a
//! caller compares or unescapes them.
//!
//! Why hand-written: `serde-json-core` (the no_std JSON crate) does not fit a
//! hostile-input verifier. It rejects `\uD83D\uDE00` surrogate pairs (which
//! Python's `json` writes for every non-BMP file name), recurses without a
//! depth bound when it skips unknown values, accepts invalid JSON inside
//! skipped values, needs a scratch buffer to unescape object keys, and cannot
//! iterate an array without collecting it into fixed-capacity storage (a
//! manifest may list millions of files). This reader is small, fuzzed
//! (`fuzz/`), and every function in it is total: malformed input yields a
//! [`JsonError`], never a panic.

use core::fmt;

use crate::encoding::hex_val;
use crate::limits::MAX_JSON_DEPTH;

mod field;

pub(crate) use field::*;
pub use field::{Field, Problem};

/// What went wrong while reading JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum JsonError {
    /// The document is empty or only whitespace.
    Empty,
    /// The document is not valid UTF-8 (or starts with a byte-order mark).
    NotUtf8,
    /// The document ended inside a value.
    UnexpectedEnd,
    /// A byte that the grammar does not allow here, at this offset.
    UnexpectedByte {
        /// Byte offset into the document.
        offset: usize,
    },
    /// A malformed escape sequence or an unpaired surrogate, at this offset.
    InvalidEscape {
        /// Byte offset into the document.
        offset: usize,
    },
    /// A raw control character inside a string, at this offset.
    ControlCharacter {
        /// Byte offset into the document.
        offset: usize,
    },
    /// A malformed number, at this offset.
    InvalidNumber {
        /// Byte offset into the document.
        offset: usize,
    },
    /// Nesting deeper than [`MAX_JSON_DEPTH`].
    TooDeep,
    /// Non-whitespace after the top-level value.
    TrailingData,
    /// A value of another JSON type than the one asked for.
    WrongType,
    /// The same key appears twice in an object.
    DuplicateKey,
    /// An unescaped string does not fit the caller's buffer.
    StringTooLong,
}

/// The JSON type of a [`Value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Kind {
    /// `{...}`
    Object,
    /// `[...]`
    Array,
    /// `"..."`
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Empty => f.write_str("empty document"),
            JsonError::NotUtf8 => f.write_str("not UTF-8"),
            JsonError::UnexpectedEnd => f.write_str("truncated JSON"),
            JsonError::UnexpectedByte { offset } => write!(f, "unexpected byte at offset {offset}"),
            JsonError::InvalidEscape { offset } => write!(f, "invalid escape at offset {offset}"),
            JsonError::ControlCharacter { offset } => {
                write!(f, "raw control character in a string at offset {offset}")
            }
            JsonError::InvalidNumber { offset } => write!(f, "invalid number at offset {offset}"),
            JsonError::TooDeep => f.write_str("nested too deeply"),
            JsonError::TrailingData => f.write_str("data after the JSON value"),
            JsonError::WrongType => f.write_str("wrong JSON type"),
            JsonError::DuplicateKey => f.write_str("duplicate key"),
            JsonError::StringTooLong => f.write_str("string too long"),
        }
    }
}

/// Validates `input` as one JSON document and returns its top-level value.
pub fn parse(input: &[u8]) -> Result<Value<'_>, JsonError> {
    let text = core::str::from_utf8(input).map_err(|_| JsonError::NotUtf8)?;
    if text.starts_with('\u{feff}') {
        return Err(JsonError::NotUtf8);
    }
    let bytes = text.as_bytes();
    let start = skip_ws(bytes, 0);
    if start >= bytes.len() {
        return Err(JsonError::Empty);
    }
    let end = validate_value(bytes, start)?;
    if skip_ws(bytes, end) != bytes.len() {
        return Err(JsonError::TrailingData);
    }
    let raw = bytes.get(start..end).ok_or(JsonError::UnexpectedEnd)?;
    Ok(Value { raw })
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(c) = b.get(i) {
        if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            break;
        }
        // `i` indexes a byte of `b`, so `i + 1` fits: never saturates.
        i = i.saturating_add(1);
    }
    i
}

fn byte(b: &[u8], i: usize) -> Result<u8, JsonError> {
    b.get(i).copied().ok_or(JsonError::UnexpectedEnd)
}

/// Validates the value starting at `start` (no leading whitespace) and
/// returns the offset just past it. Iterative: containers are tracked in a
/// bit stack (1 = object), so the depth bound is also the memory bound.
fn validate_value(b: &[u8], start: usize) -> Result<usize, JsonError> {
    // One bit per open container; MAX_JSON_DEPTH must fit in it.
    const _: () = assert!(MAX_JSON_DEPTH <= 128);
    let mut stack: u128 = 0;
    let mut depth: usize = 0;
    let mut i = start;
    // true: a value is expected next; false: a value was just completed.
    let mut want_value = true;
    loop {
        if want_value {
            i = skip_ws(b, i);
            let c = byte(b, i)?;
            match c {
                b'{' | b'[' => {
                    if depth >= MAX_JSON_DEPTH {
                        return Err(JsonError::TooDeep);
                    }
                    let is_object = c == b'{';
                    stack = (stack << 1) | u128::from(is_object);
                    depth = depth.saturating_add(1);
                    i = skip_ws(b, i.saturating_add(1));
                    let close = if is_object { b'}' } else { b']' };
                    if byte(b, i)? == close {
                        stack >>= 1;
                        depth = depth.saturating_sub(1);
                        i = i.saturating_add(1);
                        want_value = false;
                    } else if is_object {
                        i = validate_key(b, i)?;
                    }
                }
                b'"' => {
                    i = validate_string(b, i)?;
                    want_value = false;
                }
                b'-' | b'0'..=b'9' => {
                    i = validate_number(b, i)?;
                    want_value = false;
                }
                b't' => {
                    i = literal(b, i, b"true")?;
                    want_value = false;
                }
                b'f' => {
                    i = literal(b, i, b"false")?;
                    want_value = false;
                }
                b'n' => {
                    i = literal(b, i, b"null")?;
                    want_value = false;
                }
                _ => return Err(JsonError::UnexpectedByte { offset: i }),
            }
        } else {
            // The value ends here, before any trailing whitespace.
            if depth == 0 {
                return Ok(i);
            }
            i = skip_ws(b, i);
            let in_object = stack & 1 == 1;
            match byte(b, i)? {
                b',' => {
                    i = i.saturating_add(1);
                    if in_object {
                        i = validate_key(b, skip_ws(b, i))?;
                    }
                    want_value = true;
                }
                // `depth` is at least 1 here (0 returned above).
                b'}' if in_object => {
                    stack >>= 1;
                    depth = depth.saturating_sub(1);
                    i = i.saturating_add(1);
                }
                b']' if !in_object => {
                    stack >>= 1;
                    depth = depth.saturating_sub(1);
                    i = i.saturating_add(1);
                }
                _ => return Err(JsonError::UnexpectedByte { offset: i }),
            }
        }
    }
}

/// Validates `"key" :` at `i` and returns the offset after the colon.
fn validate_key(b: &[u8], i: usize) -> Result<usize, JsonError> {
    if byte(b, i)? != b'"' {
        return Err(JsonError::UnexpectedByte { offset: i });
    }
    let after = skip_ws(b, validate_string(b, i)?);
    if byte(b, after)? != b':' {
        return Err(JsonError::UnexpectedByte { offset: after });
    }
    Ok(after.saturating_add(1))
}

fn literal(b: &[u8], i: usize, word: &[u8]) -> Result<usize, JsonError> {
    let end = i.saturating_add(word.len());
    match b.get(i..end) {
        Some(s) if s == word => Ok(end),
        Some(_) => Err(JsonError::UnexpectedByte { offset: i }),
        None => Err(JsonError::UnexpectedEnd),
    }
}

fn hex4(b: &[u8], i: usize) -> Result<u16, JsonError> {
    let digits = b
        .get(i..i.saturating_add(4))
        .ok_or(JsonError::UnexpectedEnd)?;
    let mut v: u16 = 0;
    for &d in digits {
        let n = hex_val(d).ok_or(JsonError::InvalidEscape { offset: i })?;
        v = (v << 4) | u16::from(n);
    }
    Ok(v)
}

/// Validates the string starting at the quote at `i`; returns the offset
/// after the closing quote. The document is already known to be UTF-8.
///
/// Offsets only grow past bytes that exist, so they stay below `b.len()`
/// plus a few: the saturating adds never saturate, and if they did, the
/// next read would fail with [`JsonError::UnexpectedEnd`].
fn validate_string(b: &[u8], i: usize) -> Result<usize, JsonError> {
    let mut j = i.saturating_add(1);
    loop {
        let c = byte(b, j)?;
        match c {
            b'"' => return Ok(j.saturating_add(1)),
            b'\\' => {
                let e = byte(b, j.saturating_add(1))?;
                match e {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                        j = j.saturating_add(2);
                    }
                    b'u' => {
                        let unit = hex4(b, j.saturating_add(2))?;
                        match unit {
                            0xD800..=0xDBFF => {
                                // A high surrogate must be followed by a low one.
                                let next = b.get(j.saturating_add(6)..j.saturating_add(8));
                                if next != Some(b"\\u".as_slice()) {
                                    return Err(JsonError::InvalidEscape { offset: j });
                                }
                                let low = hex4(b, j.saturating_add(8))?;
                                if !(0xDC00..=0xDFFF).contains(&low) {
                                    return Err(JsonError::InvalidEscape { offset: j });
                                }
                                j = j.saturating_add(12);
                            }
                            0xDC00..=0xDFFF => {
                                return Err(JsonError::InvalidEscape { offset: j });
                            }
                            _ => j = j.saturating_add(6),
                        }
                    }
                    _ => return Err(JsonError::InvalidEscape { offset: j }),
                }
            }
            0x00..=0x1F => return Err(JsonError::ControlCharacter { offset: j }),
            _ => j = j.saturating_add(1),
        }
    }
}

fn validate_number(b: &[u8], i: usize) -> Result<usize, JsonError> {
    let bad = JsonError::InvalidNumber { offset: i };
    // The offset past a run of digits at `j`, and whether there was any.
    let digits = |mut j: usize| {
        let from = j;
        while matches!(b.get(j), Some(b'0'..=b'9')) {
            j = j.saturating_add(1);
        }
        (j, j != from)
    };
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j = j.saturating_add(1);
    }
    match b.get(j) {
        Some(b'0') => j = j.saturating_add(1),
        Some(b'1'..=b'9') => j = digits(j).0,
        _ => return Err(bad),
    }
    if b.get(j) == Some(&b'.') {
        let (k, any) = digits(j.saturating_add(1));
        if !any {
            return Err(bad);
        }
        j = k;
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        j = j.saturating_add(1);
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j = j.saturating_add(1);
        }
        let (k, any) = digits(j);
        if !any {
            return Err(bad);
        }
        j = k;
    }
    Ok(j)
}

/// Returns the offset just past the (already validated) value at `i`.
fn skip_value(b: &[u8], i: usize) -> Result<usize, JsonError> {
    let mut depth: usize = 0;
    let mut j = i;
    loop {
        let c = byte(b, j)?;
        match c {
            b'"' => {
                j = skip_string(b, j)?;
                if depth == 0 {
                    return Ok(j);
                }
            }
            b'{' | b'[' => {
                depth = depth.saturating_add(1);
                j = j.saturating_add(1);
            }
            b'}' | b']' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or(JsonError::UnexpectedByte { offset: j })?;
                j = j.saturating_add(1);
                if depth == 0 {
                    return Ok(j);
                }
            }
            _ if depth == 0 => {
                // A scalar: runs until a delimiter.
                while let Some(c) = b.get(j) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    j = j.saturating_add(1);
                }
                return Ok(j);
            }
            _ => j = j.saturating_add(1),
        }
    }
}

/// Offset past the closing quote of the (validated) string at `i`.
///
/// Lookups skip whole values (a manifest's resource list, a base64
/// payload) once per member they pass, so this jumps from quote or
/// backslash to the next with `memchr` instead of stepping byte by byte.
fn skip_string(b: &[u8], i: usize) -> Result<usize, JsonError> {
    let mut j = i.saturating_add(1);
    loop {
        let rest = b.get(j..).ok_or(JsonError::UnexpectedEnd)?;
        let k = memchr::memchr2(b'"', b'\\', rest).ok_or(JsonError::UnexpectedEnd)?;
        // `k < rest.len()`, so `j + k` is inside `b`.
        j = j.saturating_add(k);
        match byte(b, j)? {
            b'"' => return Ok(j.saturating_add(1)),
            _ => j = j.saturating_add(2),
        }
    }
}

/// A borrowed span holding exactly one validated JSON value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Value<'a> {
    raw: &'a [u8],
}

impl core::fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match core::str::from_utf8(self.raw) {
            Ok(s) => write!(f, "Value({s})"),
            Err(_) => write!(f, "Value(<{} bytes>)", self.raw.len()),
        }
    }
}

impl<'a> Value<'a> {
    /// The value's bytes, exactly as they appear in the document.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The value's JSON type.
    pub fn kind(&self) -> Kind {
        match self.raw.first() {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::String,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'n') => Kind::Null,
            _ => Kind::Number,
        }
    }

    /// The value as an object.
    pub fn object(&self) -> Result<Object<'a>, JsonError> {
        match self.kind() {
            Kind::Object => Ok(Object { raw: self.raw }),
            _ => Err(JsonError::WrongType),
        }
    }

    /// The value as an array.
    pub fn array(&self) -> Result<Array<'a>, JsonError> {
        match self.kind() {
            Kind::Array => Ok(Array { raw: self.raw }),
            _ => Err(JsonError::WrongType),
        }
    }

    /// The value as a (still escaped) string.
    pub fn str(&self) -> Result<JsonStr<'a>, JsonError> {
        match self.kind() {
            Kind::String => {
                let inner = self
                    .raw
                    .get(1..self.raw.len().saturating_sub(1))
                    .ok_or(JsonError::WrongType)?;
                let raw = core::str::from_utf8(inner).map_err(|_| JsonError::NotUtf8)?;
                Ok(JsonStr { raw })
            }
            _ => Err(JsonError::WrongType),
        }
    }

    /// The value as a boolean.
    pub fn bool(&self) -> Result<bool, JsonError> {
        match self.raw {
            b"true" => Ok(true),
            b"false" => Ok(false),
            _ => Err(JsonError::WrongType),
        }
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        self.raw == b"null"
    }

    /// The value as a non-negative integer, written with or without a
    /// fraction or exponent (`1000`, `1000.0` and `1e3` are all 1000), as
    /// long as it is exactly integral and at most `max`.
    pub fn exact_u64(&self, max: u64) -> Result<u64, JsonError> {
        if self.kind() != Kind::Number {
            return Err(JsonError::WrongType);
        }
        exact_integer(self.raw, max).ok_or(JsonError::InvalidNumber { offset: 0 })
    }
}

/// Parses a validated JSON number that denotes an exact integer in `0..=max`.
fn exact_integer(raw: &[u8], max: u64) -> Option<u64> {
    let text = core::str::from_utf8(raw).ok()?;
    if text.starts_with('-') {
        // "-0" and "-0.0" are zero; anything else negative is refused.
        return text
            .bytes()
            .all(|c| matches!(c, b'-' | b'0' | b'.' | b'e' | b'E' | b'+'))
            .then_some(0);
    }
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    // value = digits(int_part ++ frac_part) * 10^(exponent - len(frac_part))
    let frac_len = i32::try_from(frac_part.len()).ok()?;
    let mut scale = exponent.checked_sub(frac_len)?;
    let digits = int_part.bytes().chain(frac_part.bytes());
    let total = int_part.len().checked_add(frac_part.len())?;
    // Digits that the negative scale divides away must all be zero.
    let keep = if scale < 0 {
        let drop = usize::try_from(scale.unsigned_abs()).ok()?;
        if drop > total {
            // Everything is divided away: only zero survives.
            return int_part
                .bytes()
                .chain(frac_part.bytes())
                .all(|c| c == b'0')
                .then_some(0);
        }
        scale = 0;
        total.checked_sub(drop)?
    } else {
        total
    };
    let mut value: u64 = 0;
    for (n, c) in digits.enumerate() {
        let d = u64::from(c.checked_sub(b'0')?);
        if n < keep {
            value = value.checked_mul(10)?.checked_add(d)?;
        } else if d != 0 {
            return None;
        }
    }
    // Zero stays zero however large the exponent (found by fuzzing: a
    // billion-fold loop on `0e1000000000`); anything else overflows u64
    // past 10^19.
    if value == 0 {
        return Some(0);
    }
    if scale > 19 {
        return None;
    }
    for _ in 0..scale {
        value = value.checked_mul(10)?;
    }
    (value <= max).then_some(value)
}

/// A borrowed JSON object.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    raw: &'a [u8],
}

impl<'a> Object<'a> {
    /// Iterates over `(key, value)` members in document order.
    pub fn members(&self) -> Members<'a> {
        Members {
            b: self.raw,
            i: 1,
            done: false,
        }
    }

    /// The value of member `key` (compared after unescaping), or `None`.
    /// A key present twice is an error, whichever value a caller wanted:
    /// two JSON parsers must never disagree on what a signed document says.
    pub fn get(&self, key: &str) -> Result<Option<Value<'a>>, JsonError> {
        let mut found = None;
        for member in self.members() {
            let (k, v) = member?;
            if k.eq_str(key) {
                if found.is_some() {
                    return Err(JsonError::DuplicateKey);
                }
                found = Some(v);
            }
        }
        Ok(found)
    }
}

/// Iterator over an [`Object`]'s members.
#[derive(Debug)]
pub struct Members<'a> {
    b: &'a [u8],
    i: usize,
    done: bool,
}

impl<'a> Iterator for Members<'a> {
    type Item = Result<(JsonStr<'a>, Value<'a>), JsonError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = self.step();
        match r {
            Ok(Some(m)) => Some(Ok(m)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl<'a> Members<'a> {
    fn step(&mut self) -> Result<Option<(JsonStr<'a>, Value<'a>)>, JsonError> {
        let b = self.b;
        let mut i = skip_ws(b, self.i);
        match byte(b, i)? {
            b'}' => return Ok(None),
            b',' => i = skip_ws(b, i.saturating_add(1)),
            _ => {}
        }
        let key_end = skip_string(b, i)?;
        let key = Value {
            raw: b.get(i..key_end).ok_or(JsonError::UnexpectedEnd)?,
        }
        .str()?;
        let colon = skip_ws(b, key_end);
        if byte(b, colon)? != b':' {
            return Err(JsonError::UnexpectedByte { offset: colon });
        }
        let vstart = skip_ws(b, colon.saturating_add(1));
        let vend = skip_value(b, vstart)?;
        self.i = vend;
        let raw = b.get(vstart..vend).ok_or(JsonError::UnexpectedEnd)?;
        Ok(Some((key, Value { raw })))
    }
}

/// A borrowed JSON array.
#[derive(Debug, Clone, Copy)]
pub struct Array<'a> {
    raw: &'a [u8],
}

impl<'a> Array<'a> {
    /// Iterates over the elements in document order.
    pub fn iter(&self) -> Elements<'a> {
        Elements {
            b: self.raw,
            i: 1,
            done: false,
        }
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// Iterator over an [`Array`]'s elements.
#[derive(Debug, Clone)]
pub struct Elements<'a> {
    b: &'a [u8],
    i: usize,
    done: bool,
}

impl<'a> Iterator for Elements<'a> {
    type Item = Result<Value<'a>, JsonError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let b = self.b;
        let mut i = skip_ws(b, self.i);
        let r = (|| {
            match byte(b, i)? {
                b']' => return Ok(None),
                b',' => i = skip_ws(b, i.saturating_add(1)),
                _ => {}
            }
            let end = skip_value(b, i)?;
            self.i = end;
            let raw = b.get(i..end).ok_or(JsonError::UnexpectedEnd)?;
            Ok(Some(Value { raw }))
        })();
        match r {
            Ok(Some(v)) => Some(Ok(v)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// A JSON string exactly as written (escapes not yet decoded).
///
/// Never compare `raw()` with a constant: `"_\u0074ype"` is `_type`. Use
/// [`JsonStr::eq_str`], [`JsonStr::chars`] or [`JsonStr::unescape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonStr<'a> {
    raw: &'a str,
}

impl<'a> JsonStr<'a> {
    /// The string's text between the quotes, escapes included.
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// Whether the string contains any escape sequence.
    pub fn has_escapes(&self) -> bool {
        self.raw.contains('\\')
    }

    /// The decoded characters.
    pub fn chars(&self) -> Chars<'a> {
        Chars { rest: self.raw }
    }

    /// The decoded text as UTF-8 bytes.
    pub fn bytes(&self) -> Bytes<'a> {
        Bytes(if self.has_escapes() {
            BytesInner::Escaped(self.chars().flat_map(UTF8_BYTES))
        } else {
            // Nothing to decode: the text's own bytes (the common case,
            // and most of a manifest: names and hex digests).
            BytesInner::Plain(self.raw.bytes())
        })
    }

    /// Whether the decoded text equals `s`.
    pub fn eq_str(&self, s: &str) -> bool {
        if !self.has_escapes() {
            return self.raw == s;
        }
        self.chars().eq(s.chars())
    }

    /// Whether the decoded text is empty.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The decoded text: borrowed from the document when it has no escapes,
    /// otherwise decoded into `buf`.
    pub fn unescape<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, JsonError>
    where
        'a: 'b,
    {
        if !self.has_escapes() {
            return Ok(self.raw);
        }
        let mut n: usize = 0;
        for c in self.chars() {
            let end = n
                .checked_add(c.len_utf8())
                .ok_or(JsonError::StringTooLong)?;
            let dst = buf.get_mut(n..end).ok_or(JsonError::StringTooLong)?;
            c.encode_utf8(dst);
            n = end;
        }
        let out = buf.get(..n).ok_or(JsonError::StringTooLong)?;
        core::str::from_utf8(out).map_err(|_| JsonError::NotUtf8)
    }
}

/// Decoded UTF-8 bytes of a [`JsonStr`].
#[derive(Debug, Clone)]
pub struct Bytes<'a>(BytesInner<'a>);

#[derive(Debug, Clone)]
enum BytesInner<'a> {
    Plain(core::str::Bytes<'a>),
    Escaped(core::iter::FlatMap<Chars<'a>, Utf8Bytes, fn(char) -> Utf8Bytes>),
}

impl Iterator for Bytes<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        match &mut self.0 {
            BytesInner::Plain(b) => b.next(),
            BytesInner::Escaped(b) => next_escaped(b),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            BytesInner::Plain(b) => b.size_hint(),
            BytesInner::Escaped(b) => b.size_hint(),
        }
    }
}

/// The decoding path, kept out of line so that [`Bytes::next`] inlines.
#[inline(never)]
fn next_escaped(
    b: &mut core::iter::FlatMap<Chars<'_>, Utf8Bytes, fn(char) -> Utf8Bytes>,
) -> Option<u8> {
    b.next()
}

/// Decoded characters of a [`JsonStr`].
#[derive(Debug, Clone)]
pub struct Chars<'a> {
    /// The text not yet decoded (it starts at a character boundary).
    rest: &'a str,
}

impl Iterator for Chars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let b = self.rest.as_bytes();
        let first = *b.first()?;
        if first != b'\\' {
            // Plain UTF-8: decode one character from the (valid) text.
            let c = self.rest.chars().next()?;
            self.rest = self.rest.get(c.len_utf8()..)?;
            return Some(c);
        }
        let (c, used) = match b.get(1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hi = u32::from(hex4(b, 2).ok()?);
                if (0xD800..=0xDBFF).contains(&hi) {
                    let lo = u32::from(hex4(b, 8).ok()?);
                    let cp = 0x10000u32
                        .checked_add(hi.checked_sub(0xD800)? << 10)?
                        .checked_add(lo.checked_sub(0xDC00)?)?;
                    (char::from_u32(cp)?, 12)
                } else {
                    (char::from_u32(hi)?, 6)
                }
            }
            _ => return None,
        };
        // `used` ends an ASCII escape sequence: a character boundary.
        self.rest = self.rest.get(used..)?;
        Some(c)
    }
}

/// The UTF-8 bytes of one character.
#[derive(Debug, Clone)]
pub(crate) struct Utf8Bytes {
    buf: [u8; 4],
    len: u8,
    at: u8,
}

/// [`Utf8Bytes::new`] as a function pointer, the type [`Bytes`] names.
const UTF8_BYTES: fn(char) -> Utf8Bytes = Utf8Bytes::new;

impl Utf8Bytes {
    fn new(c: char) -> Self {
        let mut buf = [0; 4];
        // At most 4 bytes: the conversion never fails.
        let len = u8::try_from(c.encode_utf8(&mut buf).len()).unwrap_or(4);
        Self { buf, len, at: 0 }
    }
}

impl Iterator for Utf8Bytes {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.at >= self.len {
            return None;
        }
        let b = self.buf.get(usize::from(self.at)).copied();
        // `at < len <= 4`.
        self.at = self.at.saturating_add(1);
        b
    }
}

#[cfg(test)]
mod tests;
