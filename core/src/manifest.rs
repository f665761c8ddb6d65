//! Step 8b: the manifest, i.e. the signed resource descriptors.
//!
//! Checks, in order, for each resource (OMS §5.2.1, §6.1.2, §6.3, §6.4):
//! 1. it is an object with string `name`, `algorithm` and `digest`
//!    (for the v0.1 predicate: `name` and `digest.sha256`);
//! 2. for `shards` the name is `path:start:end`, split at the *last two*
//!    colons, with canonical decimals (no sign, no leading zeros); the path
//!    part (the whole name for `files`) is at most [`MAX_NAME_BYTES`] once
//!    unescaped, so a shard suffix never makes a path too long;
//! 3. the path is canonical and relative: non-empty, no leading or trailing
//!    `/`, no empty, `.` or `..` component, no NUL. Names are byte strings
//!    split on `/` only: a backslash is an ordinary byte of a POSIX file
//!    name, as the reference signs it. A path of exactly `.` is accepted
//!    when it is the model's only path: older signers named a single-file
//!    model's one file `.`;
//! 4. `algorithm` equals `serialization.hash_type`; for shards the
//!    reference writes `<hash_type>-sharded-<shard_size>`, also accepted;
//! 5. `digest` is hex of exactly the algorithm's length;
//! 6. shards: non-empty, at most `shard_size` long, starting at a multiple
//!    of `shard_size`; and the shards of each file, taken together, are
//!    exactly `[0, s), [s, 2s), ...` with only the last one shorter
//!    (contiguous from 0, no overlap, no gap). Zero-byte files have no
//!    shards (§6.3.2);
//! 7. names strictly increase, in one of the two orders in use: Unicode
//!    code-point order of the whole name (the spec, and the Go signer), or
//!    the Python reference's order (path compared component by component,
//!    then shard offsets as numbers). Strictly increasing means no name
//!    repeats.
//!
//! Then, over all resources: at least one and at most [`MAX_RESOURCES`]; and
//! (v1.0) `subject[0].digest.sha256` is SHA-256 over the concatenated raw
//! digests in manifest order (§6.5.1).

use core::cmp::Ordering;

use sha2::{Digest as _, Sha256};

use crate::dsse::PaeEncoding;
use crate::error::{Error, Field, ManifestError, Problem, StatementError};
use crate::hashing::Digest;
use crate::json::{Array, Bytes, Elements, JsonError, JsonStr, Object, Value};
use crate::limits::{MAX_NAME_BYTES, MAX_RESOURCES, MAX_SHARD_SUFFIX_BYTES};
use crate::statement::{Method, PredicateFormat, Serialization};

/// One validated resource descriptor.
#[derive(Debug, Clone, Copy)]
pub struct Resource<'p> {
    /// Index into the manifest's resource list.
    pub index: usize,
    /// `name` as signed (still JSON-escaped).
    pub name: JsonStr<'p>,
    /// Unescaped UTF-8 length of the path part of `name`.
    path_len: usize,
    /// For `shards`: the byte range `[start, end)`.
    pub range: Option<(u64, u64)>,
    /// The signed digest.
    pub digest: Digest,
}

impl<'p> Resource<'p> {
    /// The path's bytes (the name without a shard suffix), unescaped.
    pub fn path_bytes(&self) -> core::iter::Take<Bytes<'p>> {
        self.name.bytes().take(self.path_len)
    }

    /// The path (the name without a shard suffix), unescaped into `buf`
    /// (at most [`MAX_NAME_BYTES`] bytes).
    pub fn path<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, JsonError> {
        let dst = buf
            .get_mut(..self.path_len)
            .ok_or(JsonError::StringTooLong)?;
        for (d, b) in dst.iter_mut().zip(self.path_bytes()) {
            *d = b;
        }
        // The path ends before an ASCII `:` (or at the end of the name), so
        // it is whole UTF-8 characters.
        core::str::from_utf8(dst).map_err(|_| JsonError::NotUtf8)
    }

    /// Whether the path is `.` (a single-file model, older spelling).
    pub fn is_dot(&self) -> bool {
        self.path_len == 1 && self.path_bytes().eq(*b".")
    }
}

/// A parsed, validated manifest. Reading it says nothing about who signed
/// it: only a [`VerifiedManifest`] can check a model.
#[derive(Debug, Clone, Copy)]
pub struct Manifest<'p> {
    format: PredicateFormat,
    model_name: Option<JsonStr<'p>>,
    root_digest: Option<Digest>,
    serialization: Serialization<'p>,
    resources: Array<'p>,
    count: usize,
}

fn res_err(index: usize, cause: ManifestError) -> Error {
    Error::Manifest { index, cause }
}

fn res_field(index: usize, field: Field, problem: Problem) -> Error {
    res_err(index, ManifestError::Field { field, problem })
}

fn json_err(e: JsonError) -> Error {
    Error::Statement(StatementError::Json(e))
}

impl<'p> Manifest<'p> {
    /// Validates every resource (checks 1–7 of the module docs) and the root
    /// digest.
    pub(crate) fn new(
        format: PredicateFormat,
        model_name: Option<JsonStr<'p>>,
        root_digest: Option<Digest>,
        serialization: Serialization<'p>,
        resources: Array<'p>,
    ) -> Result<Self, Error> {
        let mut m = Manifest {
            format,
            model_name,
            root_digest,
            serialization,
            resources,
            count: 0,
        };
        let mut root = Sha256::new();
        let mut order = OrderCheck::default();
        let mut run = ShardRun::default();
        let mut dots = (false, false); // (a `.` path seen, another path seen)
        let mut prev: Option<Resource<'p>> = None;
        for item in m.iter_unchecked() {
            let r = item?;
            if r.index >= MAX_RESOURCES {
                return Err(StatementError::TooManyResources.into());
            }
            root.update(r.digest.as_bytes());
            if r.is_dot() {
                dots.0 = true;
            } else {
                dots.1 = true;
            }
            if dots.0 && dots.1 {
                return Err(res_err(r.index, ManifestError::DotWithOthers));
            }
            if let Some(p) = &prev {
                order.step(p, &r)?;
            }
            if let Method::Shards { shard_size } = m.serialization.method {
                let same_file = prev
                    .as_ref()
                    .is_some_and(|p| p.path_bytes().eq(r.path_bytes()));
                if !same_file {
                    if let Some(p) = &prev {
                        run.finish(p.index, shard_size)?;
                    }
                    run = ShardRun::default();
                }
                run.add(&r, shard_size)?;
            }
            // `r.index < MAX_RESOURCES` (checked above).
            m.count = r.index.saturating_add(1);
            prev = Some(r);
        }
        match (&prev, m.serialization.method) {
            (None, _) => return Err(StatementError::NoResources.into()),
            (Some(p), Method::Shards { shard_size }) => run.finish(p.index, shard_size)?,
            _ => {}
        }
        if let Some(expected) = m.root_digest {
            let actual: [u8; 32] = root.finalize().into();
            if expected.as_bytes() != actual {
                return Err(StatementError::RootDigestMismatch.into());
            }
        }
        Ok(m)
    }

    /// The predicate layout.
    pub fn format(&self) -> PredicateFormat {
        self.format
    }

    /// `subject[0].name` (informational only, OMS §6.5); `None` for v0.1.
    pub fn model_name(&self) -> Option<JsonStr<'p>> {
        self.model_name
    }

    /// `subject[0].digest.sha256`, checked against the resources; `None`
    /// for the v0.1 predicate, which has none.
    pub fn root_digest(&self) -> Option<Digest> {
        self.root_digest
    }

    /// The signed serialization record (v0.1: files, sha256, no symlinks).
    pub fn serialization(&self) -> &Serialization<'p> {
        &self.serialization
    }

    /// How many resources the manifest lists.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Always false: a manifest lists at least one resource.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The resources, in manifest order.
    pub fn resources(&self) -> Resources<'p> {
        self.iter_unchecked()
    }

    fn iter_unchecked(&self) -> Resources<'p> {
        Resources {
            elements: self.resources.iter(),
            index: 0,
            format: self.format,
            serialization: self.serialization,
        }
    }

    /// The resource at `index` (a linear scan: for reporting, not hot paths).
    pub fn resource(&self, index: usize) -> Option<Resource<'p>> {
        self.resources().nth(index).and_then(Result::ok)
    }
}

/// Iterator over a manifest's [`Resource`]s.
#[derive(Debug, Clone)]
pub struct Resources<'p> {
    elements: Elements<'p>,
    index: usize,
    format: PredicateFormat,
    serialization: Serialization<'p>,
}

impl Resources<'_> {
    /// The index of the next resource.
    pub fn index(&self) -> usize {
        self.index
    }
}

impl<'p> Iterator for Resources<'p> {
    type Item = Result<Resource<'p>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let v = match self.elements.next()? {
            Ok(v) => v,
            Err(e) => return Some(Err(json_err(e))),
        };
        let index = self.index;
        // One per array element held in memory: never saturates.
        self.index = self.index.saturating_add(1);
        Some(parse_resource(self.format, &self.serialization, index, v))
    }
}

fn get<'a>(obj: &Object<'a>, index: usize, key: &str, field: Field) -> Result<JsonStr<'a>, Error> {
    let v = obj
        .get(key)
        .map_err(|e| match e {
            JsonError::DuplicateKey => res_field(index, field, Problem::Duplicate),
            other => json_err(other),
        })?
        .ok_or(res_field(index, field, Problem::Missing))?;
    v.str()
        .map_err(|_| res_field(index, field, Problem::WrongType))
}

fn parse_resource<'p>(
    format: PredicateFormat,
    ser: &Serialization<'p>,
    index: usize,
    v: Value<'p>,
) -> Result<Resource<'p>, Error> {
    let obj = v
        .object()
        .map_err(|_| res_field(index, Field::Resources, Problem::WrongType))?;
    let name = get(&obj, index, "name", Field::Name)?;
    let (digest_hex, algorithm) = match format {
        PredicateFormat::SignatureV1 => (
            get(&obj, index, "digest", Field::Digest)?,
            Some(get(&obj, index, "algorithm", Field::Algorithm)?),
        ),
        PredicateFormat::DigestsV01 => {
            let d = obj
                .get("digest")
                .map_err(|e| match e {
                    JsonError::DuplicateKey => res_field(index, Field::Digest, Problem::Duplicate),
                    other => json_err(other),
                })?
                .ok_or(res_field(index, Field::Digest, Problem::Missing))?
                .object()
                .map_err(|_| res_field(index, Field::Digest, Problem::WrongType))?;
            (get(&d, index, "sha256", Field::Digest)?, None)
        }
    };

    // 2. shard suffix, then the path's length (a suffix adds at most
    // MAX_SHARD_SUFFIX_BYTES: the bound on the whole name only stops the
    // counting).
    let too_long = res_err(index, ManifestError::NameTooLong);
    let (path_len, range) = match ser.method {
        Method::Files => {
            let name_len = name.bytes().take(MAX_NAME_BYTES + 1).count();
            (name_len, None)
        }
        Method::Shards { .. } => {
            let name_len = name
                .bytes()
                .take(MAX_NAME_BYTES + MAX_SHARD_SUFFIX_BYTES + 1)
                .count();
            if name_len > MAX_NAME_BYTES + MAX_SHARD_SUFFIX_BYTES {
                return Err(too_long);
            }
            let (path_len, start, end) =
                split_shard(name, name_len).ok_or(res_err(index, ManifestError::BadShardName))?;
            (path_len, Some((start, end)))
        }
    };
    if path_len > MAX_NAME_BYTES {
        return Err(too_long);
    }

    // 3. canonical path.
    let path = name.bytes().take(path_len);
    let is_dot = path_len == 1 && path.clone().eq(*b".");
    if !is_dot && !canonical_path(path) {
        return Err(res_err(index, ManifestError::NonCanonicalName));
    }

    // 4. algorithm.
    if let Some(alg) = algorithm
        && !algorithm_matches(alg, ser)
    {
        return Err(res_err(index, ManifestError::AlgorithmMismatch));
    }

    // 5. digest.
    let digest = Digest::from_hex(ser.hash, digest_hex.bytes())
        .ok_or(res_err(index, ManifestError::BadDigest))?;

    // 6. shard range (per shard; per file in `ShardRun`).
    if let (Some((start, end)), Method::Shards { shard_size }) = (range, ser.method) {
        let len = end.saturating_sub(start);
        if len == 0 || len > shard_size {
            return Err(res_err(index, ManifestError::BadShardRange));
        }
        // `shard_size > 0` (statement check); a zero would fail here too.
        if start.checked_rem(shard_size) != Some(0) {
            return Err(res_err(index, ManifestError::ShardsNotContiguous));
        }
    }
    Ok(Resource {
        index,
        name,
        path_len,
        range,
        digest,
    })
}

/// Whether the path bytes form a canonical relative path (check 3).
fn canonical_path(bytes: impl Iterator<Item = u8>) -> bool {
    let mut comp_len = 0usize;
    let mut comp_dots = true;
    for b in bytes {
        match b {
            0 => return false,
            b'/' => {
                if comp_len == 0 || (comp_dots && comp_len <= 2) {
                    return false;
                }
                comp_len = 0;
                comp_dots = true;
            }
            _ => {
                // Only compared with 0 and 2: saturating is exact.
                comp_len = comp_len.saturating_add(1);
                comp_dots &= b == b'.';
            }
        }
    }
    comp_len > 0 && !(comp_dots && comp_len <= 2)
}

/// Splits `path:start:end` at the last two colons (check 2). Returns the
/// path's length and the range; `None` unless both numbers are canonical.
fn split_shard(name: JsonStr<'_>, len: usize) -> Option<(usize, u64, u64)> {
    let mut colons = (None, None);
    for (i, b) in name.bytes().enumerate() {
        if b == b':' {
            colons = (colons.1, Some(i));
        }
    }
    let (c1, c2) = (colons.0?, colons.1?);
    // `c1 < c2 < len`: the bytes strictly between the colons, then after
    // the last one.
    let start = decimal(name.bytes().take(c2).skip(c1.saturating_add(1)))?;
    let end = decimal(name.bytes().take(len).skip(c2.saturating_add(1)))?;
    Some((c1, start, end))
}

/// A canonical unsigned decimal: digits only, no leading zero but `0`.
fn decimal(mut digits: impl Iterator<Item = u8>) -> Option<u64> {
    let first = digits.next()?;
    let mut v = u64::from(first.checked_sub(b'0').filter(|d| *d <= 9)?);
    let mut more = false;
    for d in digits {
        more = true;
        let d = d.checked_sub(b'0').filter(|d| *d <= 9)?;
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    if first == b'0' && more {
        return None;
    }
    Some(v)
}

/// Check 4.
fn algorithm_matches(alg: JsonStr<'_>, ser: &Serialization<'_>) -> bool {
    let name = ser.hash.name();
    if alg.eq_str(name) {
        return true;
    }
    let Method::Shards { shard_size } = ser.method else {
        return false;
    };
    // `<hash_type>-sharded-<shard_size>`, as model_signing writes it.
    let mut rest = alg.bytes();
    let prefix_ok = name
        .bytes()
        .chain(*b"-sharded-")
        .all(|expected| rest.next() == Some(expected));
    prefix_ok && decimal(rest) == Some(shard_size)
}

/// Check 7: strict increase in code-point order or the reference's order.
#[derive(Debug)]
struct OrderCheck {
    code_point: bool,
    reference: bool,
}

impl Default for OrderCheck {
    fn default() -> Self {
        Self {
            code_point: true,
            reference: true,
        }
    }
}

impl OrderCheck {
    fn step(&mut self, prev: &Resource<'_>, cur: &Resource<'_>) -> Result<(), Error> {
        if self.code_point && prev.name.bytes().cmp(cur.name.bytes()) != Ordering::Less {
            self.code_point = false;
        }
        if self.reference && reference_cmp(prev, cur) != Ordering::Less {
            self.reference = false;
        }
        if self.code_point || self.reference {
            Ok(())
        } else {
            Err(StatementError::Unsorted { index: cur.index }.into())
        }
    }
}

/// The Python reference's order: `PurePosixPath` comparison (component by
/// component, i.e. `/` sorts before every other byte), then shard start
/// and end as numbers.
fn reference_cmp(a: &Resource<'_>, b: &Resource<'_>) -> Ordering {
    a.path_bytes()
        .map(separator_first)
        .cmp(b.path_bytes().map(separator_first))
        .then_with(|| a.range.cmp(&b.range))
}

/// Maps a path byte so that `/` sorts before every other byte: comparing
/// mapped paths compares them component by component.
fn separator_first(c: u8) -> u16 {
    if c == b'/' { 0 } else { u16::from(c) + 1 }
}

/// Path order used by the Python reference for sorting directory listings:
/// components compared in turn (`a/b` < `a-b`). Exposed for callers that
/// build manifests or digests the way the reference does.
pub fn reference_path_cmp(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(separator_first)
        .cmp(b.bytes().map(separator_first))
}

/// Check 6 across the shards of one file, in any order, without storage:
/// with distinct starts that are multiples of `s`, `k` shards whose largest
/// start is `(k-1)·s` are exactly `0, s, ..., (k-1)·s`; then only the shard
/// at the largest start may be short.
#[derive(Debug, Default)]
struct ShardRun {
    count: u64,
    max_start: u64,
    full_at_max: bool,
    short_start: Option<u64>,
    shorts: u32,
}

impl ShardRun {
    fn add(&mut self, r: &Resource<'_>, shard_size: u64) -> Result<(), Error> {
        let Some((start, end)) = r.range else {
            return Ok(());
        };
        // `start < end` (check 6, per shard).
        let full = end.checked_sub(start) == Some(shard_size);
        if self.count == 0 || start > self.max_start {
            self.max_start = start;
            self.full_at_max = full;
        } else if start == self.max_start && full {
            self.full_at_max = true;
        }
        if !full {
            self.shorts = self.shorts.saturating_add(1);
            self.short_start = Some(start);
        }
        self.count = self.count.saturating_add(1);
        if self.shorts > 1 {
            return Err(res_err(r.index, ManifestError::ShardsNotContiguous));
        }
        Ok(())
    }

    fn finish(&self, last_index: usize, shard_size: u64) -> Result<(), Error> {
        let expected_max = self
            .count
            .checked_sub(1)
            .and_then(|k| k.checked_mul(shard_size));
        let short_ok = match self.short_start {
            None => true,
            Some(s) => s == self.max_start && !self.full_at_max,
        };
        if expected_max == Some(self.max_start) && short_ok {
            Ok(())
        } else {
            Err(res_err(last_index, ManifestError::ShardsNotContiguous))
        }
    }
}

/// A manifest whose payload was authenticated by its signature: the only
/// kind that can check a model (see [`crate::model`]).
#[derive(Debug, Clone, Copy)]
pub struct VerifiedManifest<'p> {
    manifest: Manifest<'p>,
    encoding: PaeEncoding,
}

impl<'p> VerifiedManifest<'p> {
    pub(crate) fn new(manifest: Manifest<'p>, encoding: PaeEncoding) -> Self {
        Self { manifest, encoding }
    }

    /// Which PAE the signature covered (the compat one means a bundle from
    /// model_signing before v1.0).
    pub fn pae_encoding(&self) -> PaeEncoding {
        self.encoding
    }
}

impl<'p> core::ops::Deref for VerifiedManifest<'p> {
    type Target = Manifest<'p>;

    fn deref(&self) -> &Manifest<'p> {
        &self.manifest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hashing::HashAlgorithm;
    use crate::statement;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    const D0: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    const D1: &str = "1111111111111111111111111111111111111111111111111111111111111111";

    /// A statement over `resources` (name, digest) with a correct root digest.
    fn statement(method: &str, resources: &[(&str, &str)], alg: &str) -> String {
        let mut root = Sha256::new();
        let mut items = Vec::new();
        for (name, digest) in resources {
            if let Some(d) = Digest::from_hex(HashAlgorithm::Sha256, digest.bytes()) {
                root.update(d.as_bytes());
            }
            items.push(format!(
                r#"{{"name":"{name}","algorithm":"{alg}","digest":"{digest}"}}"#
            ));
        }
        let root: [u8; 32] = root.finalize().into();
        let root = format!("{}", crate::hashing::Hex(&root));
        format!(
            r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"m","digest":{{"sha256":"{root}"}}}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{{"serialization":{{{method},"hash_type":"sha256","allow_symlinks":false}},"resources":[{}]}}}}"#,
            items.join(",")
        )
    }

    fn files(resources: &[(&str, &str)]) -> Result<usize, Error> {
        let s = statement(r#""method":"files""#, resources, "sha256");
        statement::parse_unverified(s.as_bytes()).map(|m| m.len())
    }

    fn shards(size: u64, names: &[&str]) -> Result<usize, Error> {
        let res: Vec<(&str, &str)> = names.iter().map(|n| (*n, D0)).collect();
        let s = statement(
            &format!(r#""method":"shards","shard_size":{size}.0"#),
            &res,
            &format!("sha256-sharded-{size}"),
        );
        statement::parse_unverified(s.as_bytes()).map(|m| m.len())
    }

    fn bad(index: usize, cause: ManifestError) -> Result<usize, Error> {
        Err(Error::Manifest { index, cause })
    }

    #[test]
    fn canonical_names() {
        assert!(canonical_path(b"a".iter().copied()));
        assert!(canonical_path(b"a/b.c/...d/...".iter().copied()));
        // A backslash is an ordinary byte of a POSIX name, in `..\x` too.
        assert!(canonical_path(br"a\b".iter().copied()));
        assert!(canonical_path(br"..\x".iter().copied()));
        for n in [
            "", "/a", "a/", "a//b", "./a", "a/./b", "a/..", "../a", "..", "a\0",
        ] {
            assert!(!canonical_path(n.bytes()), "{n:?}");
        }
        assert_eq!(files(&[("a", D0)]), Ok(1));
        assert_eq!(files(&[("a\\\\b", D0)]), Ok(1));
        assert_eq!(files(&[(".", D0)]), Ok(1));
        assert_eq!(
            files(&[(".", D0), ("a", D1)]),
            bad(1, ManifestError::DotWithOthers)
        );
        assert_eq!(
            files(&[("../x", D0)]),
            bad(0, ManifestError::NonCanonicalName)
        );
        assert_eq!(
            files(&[("/etc/passwd", D0)]),
            bad(0, ManifestError::NonCanonicalName)
        );
        assert_eq!(
            files(&[("a\\u0000", D0)]),
            bad(0, ManifestError::NonCanonicalName)
        );
        assert_eq!(
            files(&[("a\\/..", D0)]),
            bad(0, ManifestError::NonCanonicalName)
        );
    }

    #[test]
    fn both_sort_orders_are_accepted_and_unsorted_is_not() {
        // Python reference order: `/` before `-` and ` `.
        assert_eq!(files(&[("a/x", D0), ("a b", D0), ("a-b/y", D0)]), Ok(3));
        // Code-point order (Go): ` ` < `-` < `/`.
        assert_eq!(files(&[("a b", D0), ("a-b/y", D0), ("a/x", D0)]), Ok(3));
        let unsorted = Err(Error::Statement(StatementError::Unsorted { index: 1 }));
        assert_eq!(files(&[("b", D0), ("a", D0)]), unsorted);
        assert_eq!(files(&[("a", D0), ("a", D1)]), unsorted);
        // Mixing the orders is not sorted in either.
        assert_eq!(
            files(&[("a/x", D0), ("a b", D0), ("a-b", D0), ("a/y", D0)]),
            Err(Error::Statement(StatementError::Unsorted { index: 3 }))
        );
        // Escaped and literal spellings of one name are the same name.
        assert_eq!(files(&[("\\u00e9", D0), ("é", D1)]), unsorted);
    }

    #[test]
    fn shard_rules() {
        // Reference order (numeric) and code-point order both accepted.
        let numeric: Vec<String> = (0..12)
            .map(|i| format!("w:{}:{}", i * 10, i * 10 + 10))
            .collect();
        let numeric: Vec<&str> = numeric.iter().map(String::as_str).collect();
        assert_eq!(shards(10, &numeric), Ok(12));
        let mut lexical = numeric.clone();
        lexical.sort();
        assert_ne!(lexical, numeric);
        assert_eq!(shards(10, &lexical), Ok(12));
        // Last shard shorter; names with colons split at the last two.
        assert_eq!(shards(10, &["a:b:0:10", "a:b:10:15", "c:0:3"]), Ok(3));
        assert_eq!(
            shards(10, &["w:0:10", "w:10:15", "w:15:20"]),
            bad(2, ManifestError::ShardsNotContiguous)
        );
        assert_eq!(
            shards(10, &["w:0:10", "w:20:25"]),
            bad(1, ManifestError::ShardsNotContiguous)
        );
        assert_eq!(
            shards(10, &["w:0:10", "w:5:15"]),
            bad(1, ManifestError::ShardsNotContiguous)
        );
        assert_eq!(
            shards(10, &["w:10:20"]),
            bad(0, ManifestError::ShardsNotContiguous)
        );
        assert_eq!(
            shards(10, &["w:0:5", "w:10:20"]),
            bad(1, ManifestError::ShardsNotContiguous)
        );
        assert_eq!(
            shards(10, &["w:0:10", "w:0:5"]),
            bad(1, ManifestError::ShardsNotContiguous)
        );
        assert_eq!(shards(10, &["w:0:0"]), bad(0, ManifestError::BadShardRange));
        assert_eq!(
            shards(10, &["w:0:11"]),
            bad(0, ManifestError::BadShardRange)
        );
        assert_eq!(
            shards(10, &["w:10:5"]),
            bad(0, ManifestError::BadShardRange)
        );
        for name in [
            "w", "w:0", "w:00:10", "w:0:010", "w:+0:10", "w:0:1e1", ":0:10",
        ] {
            let want = if name == ":0:10" {
                ManifestError::NonCanonicalName
            } else {
                ManifestError::BadShardName
            };
            assert_eq!(shards(10, &[name]), bad(0, want), "{name}");
        }
    }

    #[test]
    fn algorithm_and_digest_rules() {
        let s = statement(r#""method":"files""#, &[("a", D0)], "sha512");
        assert_eq!(
            statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
            bad(0, ManifestError::AlgorithmMismatch)
        );
        let s = statement(r#""method":"files""#, &[("a", D0)], "sha256-sharded-10");
        assert_eq!(
            statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
            bad(0, ManifestError::AlgorithmMismatch)
        );
        let s = statement(
            r#""method":"shards","shard_size":10"#,
            &[("a:0:1", D0)],
            "sha256-sharded-11",
        );
        assert_eq!(
            statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
            bad(0, ManifestError::AlgorithmMismatch)
        );
        let s = statement(
            r#""method":"shards","shard_size":10"#,
            &[("a:0:1", D0)],
            "sha256",
        );
        assert_eq!(
            statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
            Ok(1)
        );
        assert_eq!(files(&[("a", "00")]), bad(0, ManifestError::BadDigest));
    }

    #[test]
    fn root_digest_is_checked() {
        let s = statement(r#""method":"files""#, &[("a", D0)], "sha256").replace(D0, D1);
        assert_eq!(
            statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
            Err(Error::Statement(StatementError::RootDigestMismatch))
        );
    }

    #[test]
    fn reference_path_order() {
        let mut v = ["a-b", "a/x", "a b", "a", "a/b/c"];
        v.sort_by(|a, b| reference_path_cmp(a, b));
        assert_eq!(v, ["a", "a/b/c", "a/x", "a b", "a-b"]);
    }
}
