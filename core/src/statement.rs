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
//!    a `hash_type` this build leaves out (features `blake2b`, `blake3`)
//!    is [`StatementError::UnsupportedAlgorithm`];
//! 5. the resources themselves (`crate::manifest`); then there is at
//!    least one, and (v1.0) `subject[0].digest.sha256` is SHA-256 over the
//!    concatenated raw resource digests in manifest order (§6.5.1).

use core::fmt;

use crate::check::Check;
use crate::dsse::VerifiedPayload;
use crate::hashing::{Digest, HASH_NAMES, HashAlgorithm};
use crate::json::{self, Array, Field, FieldError, JsonError, JsonStr, Object, Problem, Value};
use crate::limits::{MAX_IGNORE_PATHS, MAX_SHARD_SIZE};
use crate::manifest::{
    Manifest, ManifestError, Method, PredicateFormat, ResourceFailure, Serialization,
    VerifiedManifest,
};

/// The in-toto statement type (`_type`).
const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";

/// Why the statement or its predicate was refused as a whole (step 8a).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum StatementError {
    /// The payload is not a JSON document.
    Json(JsonError),
    /// The payload is not a JSON object.
    NotAnObject,
    /// A member is missing, mistyped, duplicated or invalid.
    Field {
        /// Which member.
        field: Field,
        /// What is wrong with it.
        problem: Problem,
    },
    /// `_type` is not `https://in-toto.io/Statement/v1`.
    WrongStatementType,
    /// `predicateType` is neither the OMS v1.0 predicate nor the deprecated
    /// `https://model_signing/Digests/v0.1`.
    WrongPredicateType,
    /// `subject` does not hold exactly one entry.
    SubjectCount,
    /// `serialization.method` is neither `files` nor `shards`.
    UnknownMethod,
    /// `serialization.hash_type` is not `sha256`, `blake2b` or `blake3`.
    UnknownHashType,
    /// `serialization.hash_type` names an algorithm this build leaves out
    /// (feature `blake2b` or `blake3` off).
    UnsupportedAlgorithm,
    /// `shards` without `shard_size`, `files` with one, or a size of zero.
    ShardSize,
    /// `resources` is empty.
    NoResources,
    /// `subject[0].digest.sha256` is not SHA-256 over the concatenated
    /// resource digests (OMS §6.5.1).
    RootDigestMismatch,
}

impl From<FieldError> for StatementError {
    fn from(e: FieldError) -> Self {
        StatementError::Field {
            field: e.field,
            problem: e.problem,
        }
    }
}

impl StatementError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            StatementError::Json(j) => json_check(*j),
            StatementError::NotAnObject => Check::StatementNotAnObject,
            StatementError::Field { problem, .. } => match problem {
                Problem::Missing => Check::StatementFieldMissing,
                Problem::WrongType => Check::StatementFieldWrongType,
                Problem::Duplicate => Check::StatementFieldDuplicate,
                Problem::Base64 => Check::StatementFieldBase64,
                Problem::TooLong => Check::StatementFieldTooLong,
                Problem::Invalid => Check::StatementFieldInvalid,
            },
            StatementError::WrongStatementType => Check::StatementWrongStatementType,
            StatementError::WrongPredicateType => Check::StatementWrongPredicateType,
            StatementError::SubjectCount => Check::StatementSubjectCount,
            StatementError::UnknownMethod => Check::StatementUnknownMethod,
            StatementError::UnknownHashType => Check::StatementUnknownHashType,
            StatementError::UnsupportedAlgorithm => Check::StatementUnsupportedAlgorithm,
            StatementError::ShardSize => Check::StatementShardSize,
            StatementError::NoResources => Check::StatementNoResources,
            StatementError::RootDigestMismatch => Check::StatementRootDigestMismatch,
        }
    }

    /// The member the error is about, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            StatementError::Field { field, .. } => Some(*field),
            _ => None,
        }
    }
}

fn json_check(e: JsonError) -> Check {
    match e {
        JsonError::Empty => Check::StatementJsonEmpty,
        JsonError::NotUtf8 => Check::StatementJsonNotUtf8,
        JsonError::UnexpectedEnd => Check::StatementJsonUnexpectedEnd,
        JsonError::UnexpectedByte { .. } => Check::StatementJsonUnexpectedByte,
        JsonError::InvalidEscape { .. } => Check::StatementJsonInvalidEscape,
        JsonError::ControlCharacter { .. } => Check::StatementJsonControlCharacter,
        JsonError::InvalidNumber { .. } => Check::StatementJsonInvalidNumber,
        JsonError::TooDeep => Check::StatementJsonTooDeep,
        JsonError::TrailingData => Check::StatementJsonTrailingData,
        JsonError::WrongType => Check::StatementJsonWrongType,
        JsonError::DuplicateKey => Check::StatementJsonDuplicateKey,
        JsonError::StringTooLong => Check::StatementJsonStringTooLong,
    }
}

impl fmt::Display for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatementError::Json(j) => write!(f, "statement: payload is not JSON ({j})"),
            StatementError::NotAnObject => f.write_str("statement: not a JSON object"),
            StatementError::Field { field, problem } => write!(f, "statement: `{field}` {problem}"),
            StatementError::WrongStatementType => {
                f.write_str("statement: _type is not https://in-toto.io/Statement/v1")
            }
            StatementError::WrongPredicateType => {
                f.write_str("statement: predicateType is not https://model_signing/signature/v1.0")
            }
            StatementError::SubjectCount => {
                f.write_str("statement: subject must hold exactly one entry")
            }
            StatementError::UnknownMethod => {
                f.write_str("statement: serialization.method is not files or shards")
            }
            StatementError::UnknownHashType => {
                f.write_str("statement: serialization.hash_type is not sha256, blake2b or blake3")
            }
            StatementError::UnsupportedAlgorithm => f.write_str(
                "statement: serialization.hash_type is not built into this verifier (feature off)",
            ),
            StatementError::ShardSize => f.write_str(
                "statement: shard_size must be a positive integer for shards and absent for files",
            ),
            StatementError::NoResources => f.write_str("statement: resources is empty"),
            StatementError::RootDigestMismatch => {
                f.write_str("statement: subject digest is not SHA-256 over the resource digests")
            }
        }
    }
}

/// A failure of step 8: the statement as a whole, or one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PayloadError {
    Statement(StatementError),
    Resource(usize, ManifestError),
}

impl From<StatementError> for PayloadError {
    fn from(e: StatementError) -> Self {
        PayloadError::Statement(e)
    }
}

impl From<FieldError> for PayloadError {
    fn from(e: FieldError) -> Self {
        PayloadError::Statement(e.into())
    }
}

impl From<ResourceFailure> for PayloadError {
    fn from((index, cause): ResourceFailure) -> Self {
        PayloadError::Resource(index, cause)
    }
}

/// `shard_size`: a JSON number that is exactly a positive-or-zero integer
/// up to [`MAX_SHARD_SIZE`] (`1000`, `1000.0`, `1e+16`); above 2^53 it must
/// also be exactly a binary64 float, so that readers that parse it as a
/// float read the same size. Fractions, negatives and values past `u64`
/// (an infinity to a float reader) are refused; NaN is no JSON number.
fn shard_size(v: Value<'_>) -> Result<u64, StatementError> {
    let n = v
        .exact_u64(MAX_SHARD_SIZE)
        .map_err(|_| StatementError::ShardSize)?;
    // A binary64 float holds `n` exactly when its significant bits (after
    // the trailing zeros) fit in the 53-bit significand.
    let significant = n.checked_shr(n.trailing_zeros()).unwrap_or(0);
    if significant >= 1 << 53 {
        return Err(StatementError::ShardSize);
    }
    Ok(n)
}

/// Parses and validates the statement in an authenticated payload.
pub(crate) fn parse(payload: VerifiedPayload<'_>) -> Result<VerifiedManifest<'_>, PayloadError> {
    let bytes = payload.bytes();
    Ok(VerifiedManifest::new(
        parse_bytes(bytes)?,
        payload.encoding(),
        bytes,
    ))
}

/// [`parse`] without the authentication proof: for inspecting bundles whose
/// signature is not being checked (`oms-edge inspect`). The result says
/// nothing about who signed it.
pub(crate) fn parse_unverified(payload: &[u8]) -> Result<Manifest<'_>, PayloadError> {
    parse_bytes(payload)
}

/// The raw `name` of resource `index` in a payload, found without
/// validating anything else: for naming the resource an error is about
/// when the manifest as a whole was rejected.
pub(crate) fn resource_name_at(payload: &[u8], index: usize) -> Option<JsonStr<'_>> {
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

fn parse_bytes(payload: &[u8]) -> Result<Manifest<'_>, PayloadError> {
    // 1.
    let root = json::parse(payload).map_err(StatementError::Json)?;
    let root = root.object().map_err(|_| StatementError::NotAnObject)?;
    // 2.
    if !root
        .required("_type", Field::Type)?
        .string()?
        .eq_str(STATEMENT_TYPE)
    {
        return Err(StatementError::WrongStatementType.into());
    }
    // 3.
    let predicate_type = root
        .required("predicateType", Field::PredicateType)?
        .string()?;
    let subjects = root.required("subject", Field::Subject)?.array()?;
    if predicate_type.eq_str(PredicateFormat::SignatureV1.predicate_type()) {
        parse_v1(&root, subjects)
    } else if predicate_type.eq_str(PredicateFormat::DigestsV01.predicate_type()) {
        let format = PredicateFormat::DigestsV01;
        let ser = Serialization::new(Method::Files, HashAlgorithm::Sha256, false, None);
        let (count, _) = Manifest::check_resources(format, ser, subjects)?;
        if count == 0 {
            return Err(StatementError::NoResources.into());
        }
        Ok(Manifest::from_checked(
            format, None, None, ser, subjects, count,
        ))
    } else {
        Err(StatementError::WrongPredicateType.into())
    }
}

/// Check 4, then 5, for the v1.0 predicate.
fn parse_v1<'p>(root: &Object<'p>, subjects: Array<'p>) -> Result<Manifest<'p>, PayloadError> {
    let (name, root_digest) = subject(subjects)?;
    let predicate = root.required_set("predicate", Field::Predicate)?.object()?;
    let ser = serialization(&predicate)?;
    let resources = predicate.required("resources", Field::Resources)?.array()?;
    // 5.
    let format = PredicateFormat::SignatureV1;
    let (count, computed) = Manifest::check_resources(format, ser, resources)?;
    if count == 0 {
        return Err(StatementError::NoResources.into());
    }
    if root_digest.as_bytes() != computed {
        return Err(StatementError::RootDigestMismatch.into());
    }
    Ok(Manifest::from_checked(
        format,
        Some(name),
        Some(root_digest),
        ser,
        resources,
        count,
    ))
}

/// The one subject: its name and the root digest it claims.
fn subject(subjects: Array<'_>) -> Result<(JsonStr<'_>, Digest), StatementError> {
    let mut it = subjects.iter();
    let subject = match (it.next(), it.next()) {
        (Some(s), None) => s.map_err(StatementError::Json)?,
        _ => return Err(StatementError::SubjectCount),
    };
    let subject = subject
        .object()
        .map_err(|_| FieldError::new(Field::Subject, Problem::WrongType))?;
    let name = subject.required("name", Field::SubjectName)?.string()?;
    if name.is_empty() {
        return Err(FieldError::new(Field::SubjectName, Problem::Invalid).into());
    }
    let digest = subject.required("digest", Field::SubjectDigest)?.object()?;
    let root_hex = digest.required("sha256", Field::SubjectDigest)?.string()?;
    let root_digest = Digest::from_hex(HashAlgorithm::Sha256, root_hex.bytes())
        .ok_or(FieldError::new(Field::SubjectDigest, Problem::Invalid))?;
    Ok((name, root_digest))
}

/// `predicate.serialization`.
fn serialization<'p>(predicate: &Object<'p>) -> Result<Serialization<'p>, StatementError> {
    let ser = predicate
        .required("serialization", Field::Serialization)?
        .object()?;
    let method = ser.required("method", Field::Method)?.string()?;
    let hash_name = ser.required("hash_type", Field::HashType)?.string()?;
    let hash = match HashAlgorithm::ALL
        .iter()
        .copied()
        .find(|a| hash_name.eq_str(a.name()))
    {
        Some(hash) => hash,
        None if HASH_NAMES.iter().any(|n| hash_name.eq_str(n)) => {
            return Err(StatementError::UnsupportedAlgorithm);
        }
        None => return Err(StatementError::UnknownHashType),
    };
    let allow_symlinks = ser
        .required("allow_symlinks", Field::AllowSymlinks)?
        .boolean()?;
    let shard_size = ser
        .member_set("shard_size", Field::ShardSize)?
        .map(|m| shard_size(m.value))
        .transpose()?;
    let method = if method.eq_str("files") {
        if shard_size.is_some() {
            return Err(StatementError::ShardSize);
        }
        Method::Files
    } else if method.eq_str("shards") {
        match shard_size {
            Some(n) if n > 0 => Method::Shards { shard_size: n },
            _ => return Err(StatementError::ShardSize),
        }
    } else {
        return Err(StatementError::UnknownMethod);
    };
    let ignore_paths = match ser.member_set("ignore_paths", Field::IgnorePaths)? {
        None => None,
        Some(m) => {
            let arr = m.array()?;
            for (i, e) in arr.iter().enumerate() {
                if i >= MAX_IGNORE_PATHS {
                    return Err(m.error(Problem::TooLong).into());
                }
                if e.map_err(StatementError::Json)?.str().is_err() {
                    return Err(m.error(Problem::WrongType).into());
                }
            }
            Some(arr)
        }
    };
    Ok(Serialization::new(
        method,
        hash,
        allow_symlinks,
        ignore_paths,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    /// A v1.0 statement over one resource `a` hashed with `hash` (its
    /// digest all zeros, of that algorithm's length) and the given root.
    fn statement(hash: &str, digest_hex_len: usize) -> std::string::String {
        let digest = "0".repeat(digest_hex_len);
        format!(
            r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"m","digest":{{"sha256":"{}"}}}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{{"serialization":{{"method":"files","hash_type":"{hash}","allow_symlinks":false}},"resources":[{{"name":"a","algorithm":"{hash}","digest":"{digest}"}}]}}}}"#,
            "0".repeat(64)
        )
    }

    #[test]
    fn hash_types_are_known_built_or_refused() {
        let parse = |hash, len| parse_unverified(statement(hash, len).as_bytes()).map(|_| ());
        assert_eq!(
            parse("sha3", 64),
            Err(PayloadError::Statement(StatementError::UnknownHashType))
        );
        for (hash, len) in [("blake2b", 128), ("blake3", 64)] {
            let built = HashAlgorithm::from_name(hash).is_some();
            let got = parse(hash, len);
            if built {
                // Past the hash type: the all-zero root digest is wrong.
                assert_eq!(
                    got,
                    Err(PayloadError::Statement(StatementError::RootDigestMismatch)),
                    "{hash}"
                );
            } else {
                // A build without the algorithm refuses the manifest as
                // such, never as malformed and never as a pass.
                assert_eq!(
                    got,
                    Err(PayloadError::Statement(
                        StatementError::UnsupportedAlgorithm
                    )),
                    "{hash}"
                );
                assert_eq!(
                    StatementError::UnsupportedAlgorithm.check().as_str(),
                    "statement.unsupported_algorithm"
                );
            }
        }
        assert_eq!(
            cfg!(feature = "blake3"),
            HashAlgorithm::from_name("blake3").is_some()
        );
    }
}
