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
//! Then, over all resources: at most [`MAX_RESOURCES`]. Whether there is
//! at least one, and whether `subject[0].digest.sha256` is SHA-256 over the
//! concatenated raw digests in manifest order (OMS §6.5.1), the statement
//! checks ([`crate::statement`]) with the count and digest computed here.

use core::cmp::Ordering;
use core::fmt;

use sha2::{Digest as _, Sha256};

use crate::check::Check;
use crate::dsse::PaeEncoding;
use crate::hashing::{Digest, HashAlgorithm};
use crate::json::{Array, Bytes, Elements, Field, FieldError, JsonError, JsonStr, Problem, Value};
use crate::limits::{MAX_NAME_BYTES, MAX_RESOURCES, MAX_SHARD_SUFFIX_BYTES};

/// Why a resource descriptor was refused (step 8b). The resource's index
/// travels with it (`Error::Manifest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ManifestError {
    /// The entry is not an object, or a member is missing or mistyped.
    Field {
        /// Which member.
        field: Field,
        /// What is wrong with it.
        problem: Problem,
    },
    /// The name is not a canonical relative path (empty, absolute, `.`,
    /// `..`, empty component, trailing `/`, or NUL).
    NonCanonicalName,
    /// A name longer than [`crate::limits::MAX_NAME_BYTES`].
    NameTooLong,
    /// `algorithm` differs from `serialization.hash_type`.
    AlgorithmMismatch,
    /// The digest is not hex, or its length does not fit the algorithm.
    BadDigest,
    /// A `shards` name is not `path:start:end` with canonical decimals.
    BadShardName,
    /// A shard is empty, longer than `shard_size`, or not aligned to it.
    BadShardRange,
    /// The shards of one file overlap, leave a gap, do not start at 0, or
    /// a shard other than the last is shorter than `shard_size`.
    ShardsNotContiguous,
    /// The name `.` (an older spelling of a single-file model) appears next
    /// to other files.
    DotWithOthers,
    /// The resource names are not sorted (in code-point order or the
    /// reference's path order), or a name repeats; the index is the first
    /// resource out of order.
    Unsorted,
    /// More resources than [`crate::limits::MAX_RESOURCES`]; the index is
    /// the first one past the limit.
    TooManyResources,
}

impl From<FieldError> for ManifestError {
    fn from(e: FieldError) -> Self {
        ManifestError::Field {
            field: e.field,
            problem: e.problem,
        }
    }
}

impl ManifestError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            ManifestError::Field { problem, .. } => match problem {
                Problem::Missing => Check::ManifestFieldMissing,
                Problem::WrongType => Check::ManifestFieldWrongType,
                Problem::Duplicate => Check::ManifestFieldDuplicate,
                Problem::Base64 => Check::ManifestFieldBase64,
                Problem::TooLong => Check::ManifestFieldTooLong,
                Problem::Invalid => Check::ManifestFieldInvalid,
            },
            ManifestError::NonCanonicalName => Check::ManifestNonCanonicalName,
            ManifestError::NameTooLong => Check::ManifestNameTooLong,
            ManifestError::AlgorithmMismatch => Check::ManifestAlgorithmMismatch,
            ManifestError::BadDigest => Check::ManifestBadDigest,
            ManifestError::BadShardName => Check::ManifestBadShardName,
            ManifestError::BadShardRange => Check::ManifestBadShardRange,
            ManifestError::ShardsNotContiguous => Check::ManifestShardsNotContiguous,
            ManifestError::DotWithOthers => Check::ManifestDotWithOthers,
            ManifestError::Unsorted => Check::ManifestUnsorted,
            ManifestError::TooManyResources => Check::ManifestTooManyResources,
        }
    }

    /// The member the error is about, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            ManifestError::Field { field, .. } => Some(*field),
            _ => None,
        }
    }
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManifestError::Field { field, problem } => write!(f, "manifest: `{field}` {problem}"),
            ManifestError::NonCanonicalName => {
                f.write_str("manifest: name is not a canonical relative path")
            }
            ManifestError::NameTooLong => f.write_str("manifest: name too long"),
            ManifestError::AlgorithmMismatch => {
                f.write_str("manifest: algorithm differs from serialization.hash_type")
            }
            ManifestError::BadDigest => {
                f.write_str("manifest: digest is not hex of the algorithm's length")
            }
            ManifestError::BadShardName => {
                f.write_str("manifest: shard name is not path:start:end")
            }
            ManifestError::BadShardRange => {
                f.write_str("manifest: shard is empty, longer than shard_size or not aligned to it")
            }
            ManifestError::ShardsNotContiguous => f.write_str(
                "manifest: shards of the file overlap, leave a gap or do not start at 0",
            ),
            ManifestError::DotWithOthers => {
                f.write_str("manifest: name `.` appears next to other files")
            }
            ManifestError::Unsorted => {
                f.write_str("manifest: resources are not sorted by name, or a name repeats")
            }
            ManifestError::TooManyResources => {
                f.write_str("manifest: more resources than the limit")
            }
        }
    }
}

/// Which predicate layout the statement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PredicateFormat {
    /// `https://model_signing/signature/v1.0`: digests in
    /// `predicate.resources`, root digest in `subject`.
    SignatureV1,
    /// `https://model_signing/Digests/v0.1`: one `subject` per file, SHA-256,
    /// no serialization record and no root digest.
    DigestsV01,
}

impl PredicateFormat {
    /// The `predicateType` URI.
    pub fn predicate_type(self) -> &'static str {
        match self {
            PredicateFormat::SignatureV1 => "https://model_signing/signature/v1.0",
            PredicateFormat::DigestsV01 => "https://model_signing/Digests/v0.1",
        }
    }
}

/// How the model was cut into resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Method {
    /// One resource per file (OMS §6.3.1).
    Files,
    /// One resource per byte range of at most `shard_size` bytes (§6.3.2).
    Shards {
        /// The shard size in bytes.
        shard_size: u64,
    },
}

impl Method {
    /// `files` or `shards`.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Files => "files",
            Method::Shards { .. } => "shards",
        }
    }
}

/// The signed `serialization` record.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Serialization<'p> {
    /// `method` (and `shard_size`).
    pub method: Method,
    /// `hash_type`.
    pub hash: HashAlgorithm,
    /// `allow_symlinks`.
    pub allow_symlinks: bool,
    /// `ignore_paths`, when present (each element a string, checked).
    pub ignore_paths: Option<IgnorePaths<'p>>,
}

impl<'p> Serialization<'p> {
    pub(crate) fn new(
        method: Method,
        hash: HashAlgorithm,
        allow_symlinks: bool,
        ignore_paths: Option<Array<'p>>,
    ) -> Self {
        Self {
            method,
            hash,
            allow_symlinks,
            ignore_paths: ignore_paths.map(IgnorePaths),
        }
    }
}

/// The signed `serialization.ignore_paths` (each element checked to be a
/// string when the statement was parsed).
#[derive(Debug, Clone, Copy)]
pub struct IgnorePaths<'p>(Array<'p>);

impl<'p> IgnorePaths<'p> {
    /// The paths, as signed (still JSON-escaped).
    pub fn iter(&self) -> impl Iterator<Item = JsonStr<'p>> + use<'p> {
        self.0.iter().filter_map(|v| v.ok()?.str().ok())
    }
}

/// Where a manifest's payload sits in memory: what tokens of the model
/// check carry to tell one manifest from another (see `crate::model`).
/// Unique while the payload is borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ManifestId {
    addr: usize,
    len: usize,
}

impl ManifestId {
    pub(crate) fn of(payload: &[u8]) -> Self {
        Self {
            addr: payload.as_ptr().addr(),
            len: payload.len(),
        }
    }
}

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

/// A resource's failed check, with its index.
pub(crate) type ResourceFailure = (usize, ManifestError);

impl<'p> Manifest<'p> {
    /// Checks 1–7 of the module docs over every resource; returns how many
    /// there are and SHA-256 over their digests in order (the root digest
    /// the statement's subject must hold).
    pub(crate) fn check_resources(
        format: PredicateFormat,
        serialization: Serialization<'p>,
        resources: Array<'p>,
    ) -> Result<(usize, [u8; 32]), ResourceFailure> {
        let mut root = Sha256::new();
        let mut order = OrderCheck::default();
        let mut run = ShardRun::default();
        let mut dots = (false, false); // (a `.` path seen, another path seen)
        let mut prev: Option<Resource<'p>> = None;
        let mut count = 0usize;
        let items = ResourceIter {
            elements: resources.iter(),
            index: 0,
            format,
            serialization,
        };
        for item in items {
            let r = item?;
            if r.index >= MAX_RESOURCES {
                return Err((r.index, ManifestError::TooManyResources));
            }
            root.update(r.digest.as_bytes());
            if r.is_dot() {
                dots.0 = true;
            } else {
                dots.1 = true;
            }
            if dots.0 && dots.1 {
                return Err((r.index, ManifestError::DotWithOthers));
            }
            if let Some(p) = &prev {
                order.step(p, &r)?;
            }
            if let Method::Shards { shard_size } = serialization.method {
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
            count = r.index.saturating_add(1);
            prev = Some(r);
        }
        if let (Some(p), Method::Shards { shard_size }) = (&prev, serialization.method) {
            run.finish(p.index, shard_size)?;
        }
        Ok((count, root.finalize().into()))
    }

    /// A manifest whose resources [`Manifest::check_resources`] passed.
    pub(crate) fn from_checked(
        format: PredicateFormat,
        model_name: Option<JsonStr<'p>>,
        root_digest: Option<Digest>,
        serialization: Serialization<'p>,
        resources: Array<'p>,
        count: usize,
    ) -> Self {
        Self {
            format,
            model_name,
            root_digest,
            serialization,
            resources,
            count,
        }
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
        Resources(Some(self.checked_resources()))
    }

    /// The resources, each read (and checked) again: for the model check,
    /// which passes on any failure rather than stopping quietly.
    pub(crate) fn checked_resources(&self) -> ResourceIter<'p> {
        ResourceIter {
            elements: self.resources.iter(),
            index: 0,
            format: self.format,
            serialization: self.serialization,
        }
    }

    /// The resource at `index` (a linear scan: for reporting, not hot paths).
    pub fn resource(&self, index: usize) -> Option<Resource<'p>> {
        self.resources().nth(index)
    }
}

/// Iterator over a manifest's [`Resource`]s, in manifest order. (Every
/// resource of a [`Manifest`] passed its checks when the manifest was
/// made, so this never meets one that fails.)
#[derive(Debug, Clone)]
pub struct Resources<'p>(Option<ResourceIter<'p>>);

impl<'p> Iterator for Resources<'p> {
    type Item = Resource<'p>;

    fn next(&mut self) -> Option<Resource<'p>> {
        match self.0.as_mut()?.next()? {
            Ok(r) => Some(r),
            Err(_) => {
                self.0 = None;
                None
            }
        }
    }
}

/// The resources, each checked as it is read.
#[derive(Debug, Clone)]
pub(crate) struct ResourceIter<'p> {
    elements: Elements<'p>,
    index: usize,
    format: PredicateFormat,
    serialization: Serialization<'p>,
}

impl ResourceIter<'_> {
    /// The index of the next resource.
    pub(crate) fn index(&self) -> usize {
        self.index
    }
}

impl<'p> Iterator for ResourceIter<'p> {
    type Item = Result<Resource<'p>, ResourceFailure>;

    fn next(&mut self) -> Option<Self::Item> {
        let index = self.index;
        let v = match self.elements.next()? {
            Ok(v) => v,
            // A validated document's elements always read; be total anyway.
            Err(_) => {
                let bad = FieldError::new(Field::Resources, Problem::Invalid);
                return Some(Err((index, bad.into())));
            }
        };
        // One per array element held in memory: never saturates.
        self.index = self.index.saturating_add(1);
        Some(parse_resource(self.format, &self.serialization, index, v))
    }
}

fn parse_resource<'p>(
    format: PredicateFormat,
    ser: &Serialization<'p>,
    index: usize,
    v: Value<'p>,
) -> Result<Resource<'p>, ResourceFailure> {
    let at = |cause: ManifestError| (index, cause);
    let field = |e: FieldError| (index, ManifestError::from(e));
    let obj = v
        .object()
        .map_err(|_| field(FieldError::new(Field::Resources, Problem::WrongType)))?;
    // One pass over the members (a manifest has millions of these
    // objects): feature `fast-manifest` (the CLI); firmware keeps the
    // smaller code of one lookup per key (the same errors either way).
    #[cfg(feature = "fast-manifest")]
    let (name, digest_hex, algorithm) = {
        let [name, digest, algorithm] = obj.pick([
            ("name", Field::Name),
            ("digest", Field::Digest),
            ("algorithm", Field::Algorithm),
        ]);
        let required = |m: Result<Option<crate::json::Member<'p>>, FieldError>, f| {
            m.and_then(|m| m.ok_or(FieldError::new(f, Problem::Missing)))
                .map_err(field)
        };
        let name = required(name, Field::Name)?.string().map_err(field)?;
        let (digest_hex, algorithm) = match format {
            PredicateFormat::SignatureV1 => (
                required(digest, Field::Digest)?.string().map_err(field)?,
                Some(
                    required(algorithm, Field::Algorithm)?
                        .string()
                        .map_err(field)?,
                ),
            ),
            PredicateFormat::DigestsV01 => {
                let d = required(digest, Field::Digest)?.object().map_err(field)?;
                let sha = d
                    .required("sha256", Field::Digest)
                    .and_then(|m| m.string())
                    .map_err(field)?;
                (sha, None)
            }
        };
        (name, digest_hex, algorithm)
    };
    #[cfg(not(feature = "fast-manifest"))]
    let (name, digest_hex, algorithm) = {
        let text = |o: &crate::json::Object<'p>, key, f| {
            o.required(key, f).and_then(|m| m.string()).map_err(field)
        };
        let name = text(&obj, "name", Field::Name)?;
        let (digest_hex, algorithm) = match format {
            PredicateFormat::SignatureV1 => (
                text(&obj, "digest", Field::Digest)?,
                Some(text(&obj, "algorithm", Field::Algorithm)?),
            ),
            PredicateFormat::DigestsV01 => {
                let d = obj
                    .required("digest", Field::Digest)
                    .and_then(|m| m.object())
                    .map_err(field)?;
                (text(&d, "sha256", Field::Digest)?, None)
            }
        };
        (name, digest_hex, algorithm)
    };

    // 2. shard suffix, then the path's length (a suffix adds at most
    // MAX_SHARD_SUFFIX_BYTES: the bound on the whole name only stops the
    // counting).
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
                return Err(at(ManifestError::NameTooLong));
            }
            let (path_len, start, end) =
                split_shard(name, name_len).ok_or(at(ManifestError::BadShardName))?;
            (path_len, Some((start, end)))
        }
    };
    if path_len > MAX_NAME_BYTES {
        return Err(at(ManifestError::NameTooLong));
    }

    // 3. canonical path.
    let path = name.bytes().take(path_len);
    let is_dot = path_len == 1 && path.clone().eq(*b".");
    if !is_dot && !canonical_path(path) {
        return Err(at(ManifestError::NonCanonicalName));
    }

    // 4. algorithm.
    if let Some(alg) = algorithm
        && !algorithm_matches(alg, ser)
    {
        return Err(at(ManifestError::AlgorithmMismatch));
    }

    // 5. digest.
    let digest =
        Digest::from_hex(ser.hash, digest_hex.bytes()).ok_or(at(ManifestError::BadDigest))?;

    // 6. shard range (per shard; per file in `ShardRun`).
    if let (Some((start, end)), Method::Shards { shard_size }) = (range, ser.method) {
        let len = end.saturating_sub(start);
        if len == 0 || len > shard_size {
            return Err(at(ManifestError::BadShardRange));
        }
        // `shard_size > 0` (statement check); a zero would fail here too.
        if start.checked_rem(shard_size) != Some(0) {
            return Err(at(ManifestError::ShardsNotContiguous));
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
    fn step(&mut self, prev: &Resource<'_>, cur: &Resource<'_>) -> Result<(), ResourceFailure> {
        if self.code_point && prev.name.bytes().cmp(cur.name.bytes()) != Ordering::Less {
            self.code_point = false;
        }
        if self.reference && reference_cmp(prev, cur) != Ordering::Less {
            self.reference = false;
        }
        if self.code_point || self.reference {
            Ok(())
        } else {
            Err((cur.index, ManifestError::Unsorted))
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
    fn add(&mut self, r: &Resource<'_>, shard_size: u64) -> Result<(), ResourceFailure> {
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
            return Err((r.index, ManifestError::ShardsNotContiguous));
        }
        Ok(())
    }

    fn finish(&self, last_index: usize, shard_size: u64) -> Result<(), ResourceFailure> {
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
            Err((last_index, ManifestError::ShardsNotContiguous))
        }
    }
}

/// A manifest whose payload was authenticated by its signature: the only
/// kind that can check a model (see `VerifiedManifest::verify_model` and
/// `VerifiedManifest::planner`).
#[derive(Debug, Clone, Copy)]
pub struct VerifiedManifest<'p> {
    manifest: Manifest<'p>,
    encoding: PaeEncoding,
    id: ManifestId,
}

impl<'p> VerifiedManifest<'p> {
    /// `manifest`, parsed from the authenticated `payload`.
    pub(crate) fn new(manifest: Manifest<'p>, encoding: PaeEncoding, payload: &'p [u8]) -> Self {
        Self {
            manifest,
            encoding,
            id: ManifestId::of(payload),
        }
    }

    /// Which manifest this is, for the model check's tokens.
    pub(crate) fn id(&self) -> ManifestId {
        self.id
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
mod tests;
