//! Step 8a: the in-toto statement and the OMS predicate, parsed only from an
//! authenticated payload ([`VerifiedPayload`]).
//!
//! Checks, in order:
//! 1. the payload is strict JSON holding an object (in-toto Statement v1);
//! 2. `_type` is `https://in-toto.io/Statement/v1` (OMS §8.3.1);
//! 3. `predicateType` is `https://model_signing/signature/v1.0` (§5.1,
//!    §8.3.2), or the deprecated `https://model_signing/Digests/v0.1`
//!    whose file digests sit in `subject` (§5.1 historical note, §11.2.4);
//! 4. v1.0: `subject` holds exactly one entry with a non-empty `name` and a
//!    `digest.sha256` of 64 hex digits (§6.5); `predicate` is present
//!    (§8.3.3) with `serialization` (§5.2.2): `method` `files` or `shards`,
//!    `hash_type` `sha256`, `blake2b` or `blake3` (§7), `allow_symlinks` a
//!    boolean, `shard_size` a positive integer for `shards` and absent for
//!    `files` (the reference writes it as a float such as `1000.0` or
//!    `1e+16`: any number with an exact integral value up to `u64::MAX`
//!    that a binary64 float holds exactly is accepted), `ignore_paths`
//!    optionally an array of at most [`MAX_IGNORE_PATHS`] strings; and
//!    `resources` an array;
//! 5. the resources themselves: see [`crate::manifest`].

use crate::dsse::VerifiedPayload;
use crate::error::{Error, Field, Problem, StatementError};
use crate::hashing::{Digest, HashAlgorithm};
use crate::json::{self, Array, JsonError, JsonStr, Object, Value};
use crate::limits::{MAX_IGNORE_PATHS, MAX_SHARD_SIZE};
use crate::manifest::{Manifest, VerifiedManifest};

/// The in-toto statement type (`_type`).
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// The OMS v1.0 predicate type.
pub const PREDICATE_TYPE: &str = "https://model_signing/signature/v1.0";
/// The deprecated predicate of model_signing v0.2.
pub const PREDICATE_TYPE_DIGESTS_V01: &str = "https://model_signing/Digests/v0.1";

/// Which predicate layout the statement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PredicateFormat {
    /// `https://model_signing/signature/v1.0`: digests in
    /// `predicate.resources`, root digest in `subject`.
    SignatureV1,
    /// `https://model_signing/Digests/v0.1`: one `subject` per file, SHA-256,
    /// no serialization record and no root digest.
    DigestsV01,
}

/// How the model was cut into resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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
pub struct Serialization<'p> {
    /// `method` (and `shard_size`).
    pub method: Method,
    /// `hash_type`.
    pub hash: HashAlgorithm,
    /// `allow_symlinks`.
    pub allow_symlinks: bool,
    /// `ignore_paths`, when present (each element a string, checked).
    pub ignore_paths: Option<Array<'p>>,
}

fn stmt_field(field: Field, problem: Problem) -> Error {
    Error::Statement(StatementError::Field { field, problem })
}

fn get<'a>(obj: &Object<'a>, key: &str, field: Field) -> Result<Option<Value<'a>>, Error> {
    obj.get(key).map_err(|e| match e {
        JsonError::DuplicateKey => stmt_field(field, Problem::Duplicate),
        other => Error::Statement(StatementError::Json(other)),
    })
}

fn req<'a>(obj: &Object<'a>, key: &str, field: Field) -> Result<Value<'a>, Error> {
    get(obj, key, field)?.ok_or(stmt_field(field, Problem::Missing))
}

fn req_str<'a>(obj: &Object<'a>, key: &str, field: Field) -> Result<JsonStr<'a>, Error> {
    req(obj, key, field)?
        .str()
        .map_err(|_| stmt_field(field, Problem::WrongType))
}

fn req_obj<'a>(obj: &Object<'a>, key: &str, field: Field) -> Result<Object<'a>, Error> {
    req(obj, key, field)?
        .object()
        .map_err(|_| stmt_field(field, Problem::WrongType))
}

fn req_arr<'a>(obj: &Object<'a>, key: &str, field: Field) -> Result<Array<'a>, Error> {
    req(obj, key, field)?
        .array()
        .map_err(|_| stmt_field(field, Problem::WrongType))
}

/// `shard_size`: a JSON number that is exactly a positive-or-zero integer
/// up to [`MAX_SHARD_SIZE`] (`1000`, `1000.0`, `1e+16`); above 2^53 it must
/// also be exactly a binary64 float, so that readers that parse it as a
/// float read the same size. Fractions, negatives and values past `u64`
/// (an infinity to a float reader) are refused; NaN is no JSON number.
fn shard_size(v: Value<'_>) -> Result<u64, Error> {
    let n = v
        .exact_u64(MAX_SHARD_SIZE)
        .map_err(|_| StatementError::ShardSize)?;
    // A binary64 float holds `n` exactly when its significant bits (after
    // the trailing zeros) fit in the 53-bit significand.
    let significant = n.checked_shr(n.trailing_zeros()).unwrap_or(0);
    if significant >= 1 << 53 {
        return Err(StatementError::ShardSize.into());
    }
    Ok(n)
}

/// Parses and validates the statement in an authenticated payload.
pub fn parse(payload: VerifiedPayload<'_>) -> Result<VerifiedManifest<'_>, Error> {
    Ok(VerifiedManifest::new(
        parse_bytes(payload.bytes())?,
        payload.encoding(),
    ))
}

/// [`parse`] without the authentication proof: for inspecting bundles whose
/// signature is not being checked (`oms-edge inspect`). The result says
/// nothing about who signed it.
pub fn parse_unverified(payload: &[u8]) -> Result<Manifest<'_>, Error> {
    parse_bytes(payload)
}

/// The raw `name` of resource `index` in a payload, found without
/// validating anything else: for naming the resource an error is about
/// when the manifest as a whole was rejected.
pub fn resource_name_at(payload: &[u8], index: usize) -> Option<JsonStr<'_>> {
    let root = json::parse(payload).ok()?.object().ok()?;
    let in_predicate = root
        .get("predicate")
        .ok()
        .flatten()
        .and_then(|p| p.object().ok())
        .and_then(|p| p.get("resources").ok().flatten());
    let list = match in_predicate {
        Some(list) => list,
        None => root.get("subject").ok()??,
    };
    let item = list.array().ok()?.iter().nth(index)?.ok()?;
    item.object().ok()?.get("name").ok()??.str().ok()
}

fn parse_bytes(payload: &[u8]) -> Result<Manifest<'_>, Error> {
    let root = json::parse(payload).map_err(|e| Error::Statement(StatementError::Json(e)))?;
    let root = root
        .object()
        .map_err(|_| Error::Statement(StatementError::NotAnObject))?;
    if !req_str(&root, "_type", Field::Type)?.eq_str(STATEMENT_TYPE) {
        return Err(StatementError::WrongStatementType.into());
    }
    let predicate_type = req_str(&root, "predicateType", Field::PredicateType)?;
    let subjects = req_arr(&root, "subject", Field::Subject)?;
    if predicate_type.eq_str(PREDICATE_TYPE) {
        parse_v1(&root, subjects)
    } else if predicate_type.eq_str(PREDICATE_TYPE_DIGESTS_V01) {
        Manifest::new(
            PredicateFormat::DigestsV01,
            None,
            None,
            Serialization {
                method: Method::Files,
                hash: HashAlgorithm::Sha256,
                allow_symlinks: false,
                ignore_paths: None,
            },
            subjects,
        )
    } else {
        Err(StatementError::WrongPredicateType.into())
    }
}

fn parse_v1<'p>(root: &Object<'p>, subjects: Array<'p>) -> Result<Manifest<'p>, Error> {
    let mut it = subjects.iter();
    let subject = match (it.next(), it.next()) {
        (Some(s), None) => s.map_err(|e| Error::Statement(StatementError::Json(e)))?,
        _ => return Err(StatementError::SubjectCount.into()),
    };
    let subject = subject
        .object()
        .map_err(|_| stmt_field(Field::Subject, Problem::WrongType))?;
    let name = req_str(&subject, "name", Field::SubjectName)?;
    if name.is_empty() {
        return Err(stmt_field(Field::SubjectName, Problem::Invalid));
    }
    let digest = req_obj(&subject, "digest", Field::SubjectDigest)?;
    let root_hex = req_str(&digest, "sha256", Field::SubjectDigest)?;
    let root_digest = Digest::from_hex(HashAlgorithm::Sha256, root_hex.bytes())
        .ok_or(stmt_field(Field::SubjectDigest, Problem::Invalid))?;

    let predicate = match get(root, "predicate", Field::Predicate)? {
        Some(p) if !p.is_null() => p
            .object()
            .map_err(|_| stmt_field(Field::Predicate, Problem::WrongType))?,
        _ => return Err(stmt_field(Field::Predicate, Problem::Missing)),
    };
    let ser = req_obj(&predicate, "serialization", Field::Serialization)?;
    let method = req_str(&ser, "method", Field::Method)?;
    let hash_name = req_str(&ser, "hash_type", Field::HashType)?;
    let hash = HashAlgorithm::ALL
        .into_iter()
        .find(|a| hash_name.eq_str(a.name()))
        .ok_or(StatementError::UnknownHashType)?;
    let allow_symlinks = req(&ser, "allow_symlinks", Field::AllowSymlinks)?
        .bool()
        .map_err(|_| stmt_field(Field::AllowSymlinks, Problem::WrongType))?;
    let shard_size = match get(&ser, "shard_size", Field::ShardSize)? {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => Some(shard_size(v)?),
    };
    let method = if method.eq_str("files") {
        if shard_size.is_some() {
            return Err(StatementError::ShardSize.into());
        }
        Method::Files
    } else if method.eq_str("shards") {
        match shard_size {
            Some(n) if n > 0 => Method::Shards { shard_size: n },
            _ => return Err(StatementError::ShardSize.into()),
        }
    } else {
        return Err(StatementError::UnknownMethod.into());
    };
    let ignore_paths = match get(&ser, "ignore_paths", Field::IgnorePaths)? {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => {
            let arr = v
                .array()
                .map_err(|_| stmt_field(Field::IgnorePaths, Problem::WrongType))?;
            for (i, e) in arr.iter().enumerate() {
                if i >= MAX_IGNORE_PATHS {
                    return Err(stmt_field(Field::IgnorePaths, Problem::TooLong));
                }
                let e = e.map_err(|e| Error::Statement(StatementError::Json(e)))?;
                if e.str().is_err() {
                    return Err(stmt_field(Field::IgnorePaths, Problem::WrongType));
                }
            }
            Some(arr)
        }
    };
    let resources = req_arr(&predicate, "resources", Field::Resources)?;
    Manifest::new(
        PredicateFormat::SignatureV1,
        Some(name),
        Some(root_digest),
        Serialization {
            method,
            hash,
            allow_symlinks,
            ignore_paths,
        },
        resources,
    )
}
