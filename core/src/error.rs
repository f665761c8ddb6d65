//! Typed errors: one small `Copy` enum per pipeline step under [`Error`].
//!
//! No strings are allocated: an error names the step, the field or resource
//! index and the check that failed. [`core::fmt::Display`] renders one line;
//! the CLI adds file names, and firmware can log with `defmt`.

use core::fmt;

use crate::hashing::Digest;
use crate::json::JsonError;

/// A JSON member that a check refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)] // each variant is the JSON member of the same name
pub enum Field {
    MediaType,
    VerificationMaterial,
    PublicKey,
    Hint,
    RawBytes,
    X509CertificateChain,
    Certificates,
    Certificate,
    TlogEntries,
    TimestampVerificationData,
    DsseEnvelope,
    MessageSignature,
    MessageDigest,
    Signature,
    Payload,
    PayloadType,
    Signatures,
    Sig,
    Keyid,
    Type,
    Subject,
    SubjectName,
    SubjectDigest,
    PredicateType,
    Predicate,
    Serialization,
    Method,
    HashType,
    ShardSize,
    AllowSymlinks,
    IgnorePaths,
    Resources,
    Name,
    Digest,
    Algorithm,
}

impl Field {
    /// The member's name as written in JSON.
    pub fn json_name(self) -> &'static str {
        match self {
            Field::MediaType => "mediaType",
            Field::VerificationMaterial => "verificationMaterial",
            Field::PublicKey => "publicKey",
            Field::Hint => "hint",
            Field::RawBytes => "rawBytes",
            Field::X509CertificateChain => "x509CertificateChain",
            Field::Certificates => "certificates",
            Field::Certificate => "certificate",
            Field::TlogEntries => "tlogEntries",
            Field::TimestampVerificationData => "timestampVerificationData",
            Field::DsseEnvelope => "dsseEnvelope",
            Field::MessageSignature => "messageSignature",
            Field::MessageDigest => "messageDigest",
            Field::Signature => "signature",
            Field::Payload => "payload",
            Field::PayloadType => "payloadType",
            Field::Signatures => "signatures",
            Field::Sig => "sig",
            Field::Keyid => "keyid",
            Field::Type => "_type",
            Field::Subject => "subject",
            Field::SubjectName => "subject[0].name",
            Field::SubjectDigest => "subject[0].digest.sha256",
            Field::PredicateType => "predicateType",
            Field::Predicate => "predicate",
            Field::Serialization => "predicate.serialization",
            Field::Method => "serialization.method",
            Field::HashType => "serialization.hash_type",
            Field::ShardSize => "serialization.shard_size",
            Field::AllowSymlinks => "serialization.allow_symlinks",
            Field::IgnorePaths => "serialization.ignore_paths",
            Field::Resources => "predicate.resources",
            Field::Name => "name",
            Field::Digest => "digest",
            Field::Algorithm => "algorithm",
        }
    }
}

/// What is wrong with a [`Field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Problem {
    /// Required but absent.
    Missing,
    /// Present with the wrong JSON type.
    WrongType,
    /// The key appears twice in its object.
    Duplicate,
    /// Not valid base64 (standard alphabet, padded).
    Base64,
    /// Longer than this verifier accepts (see [`crate::limits`]).
    TooLong,
    /// Present but its value is not allowed.
    Invalid,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::Missing => "missing",
            Problem::WrongType => "has the wrong JSON type",
            Problem::Duplicate => "appears twice",
            Problem::Base64 => "is not valid base64",
            Problem::TooLong => "is too long",
            Problem::Invalid => "has an invalid value",
        })
    }
}

/// The verification material a bundle carries (or a method expects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MaterialKind {
    /// `publicKey` (the `key` method).
    PublicKey,
    /// `x509CertificateChain` (the `certificate` method).
    X509CertificateChain,
    /// `certificate` (the `sigstore` method).
    Certificate,
}

impl MaterialKind {
    /// The signing method that uses this material.
    pub fn method(self) -> &'static str {
        match self {
            MaterialKind::PublicKey => "key",
            MaterialKind::X509CertificateChain => "certificate",
            MaterialKind::Certificate => "sigstore",
        }
    }
}

/// Step 2: the Sigstore bundle's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum BundleError {
    /// Larger than [`crate::limits::MAX_BUNDLE_BYTES`].
    TooLarge,
    /// Not a JSON document.
    Json(JsonError),
    /// The top level is not a JSON object.
    NotAnObject,
    /// A member is missing, mistyped, duplicated or invalid.
    Field {
        /// Which member.
        field: Field,
        /// What is wrong with it.
        problem: Problem,
    },
    /// `mediaType` is not a Sigstore bundle v0.1, v0.2 or v0.3 media type.
    UnknownMediaType,
    /// `verificationMaterial` holds none, or more than one, of `publicKey`,
    /// `x509CertificateChain` and `certificate`.
    AmbiguousMaterial,
    /// The bundle carries a `messageSignature` instead of a DSSE envelope:
    /// an OMS bundle always signs an in-toto statement.
    NotDsse,
    /// The verification material is not the one the method needs.
    MaterialMismatch {
        /// What the chosen method needs.
        expected: MaterialKind,
        /// What the bundle holds.
        found: MaterialKind,
    },
    /// The decoded payload does not fit the caller's payload buffer.
    PayloadTooLarge {
        /// Bytes needed.
        needed: usize,
    },
}

/// Step 7 (key): the public key and its binding to the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum KeyError {
    /// Neither a PEM `PUBLIC KEY` document nor DER.
    Pem,
    /// Not a DER SubjectPublicKeyInfo.
    Spki,
    /// Not an EC public key on P-256, P-384 or P-521.
    UnsupportedKey,
    /// The EC point is not valid for its curve.
    InvalidPoint,
    /// An RSA key (sigstore method) of another size than the Sigstore
    /// algorithm registry's 2048, 3072 and 4096 bits.
    RsaKeySize,
    /// `publicKey.hint` names another key (SHA-256 of its PEM or DER SPKI).
    HintMismatch,
    /// `publicKey.rawBytes` holds another key than the one given.
    RawBytesMismatch,
}

/// Which certificate a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CertPosition {
    /// `x509CertificateChain.certificates[i]` of the bundle (0 is the leaf).
    Bundle(u8),
    /// An intermediate from the caller's trust material, `i` in load order.
    Supplied(u8),
    /// The trust anchor that ends the path.
    Anchor,
}

/// Step 5: what is wrong with the certificate chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CertificateError {
    /// `certificates` is empty.
    EmptyChain,
    /// More than [`crate::limits::MAX_CHAIN_CERTS`] certificates.
    ChainTooLong,
    /// Not base64 of a DER X.509 certificate.
    Encoding {
        /// Which one.
        at: CertPosition,
    },
    /// The leaf is self-signed: a root, not a signing certificate.
    LeafSelfSigned,
    /// No trust anchor, nor any certificate of the bundle or the supplied
    /// intermediates, issued this certificate (by name).
    UnknownIssuer {
        /// The certificate whose issuer is unknown.
        at: CertPosition,
    },
    /// Not valid yet at the verification time.
    NotYetValid {
        /// Which one.
        at: CertPosition,
    },
    /// Expired at the verification time.
    Expired {
        /// Which one.
        at: CertPosition,
    },
    /// A critical extension this verifier does not process.
    UnsupportedCriticalExtension {
        /// Which one.
        at: CertPosition,
    },
    /// Extensions in a certificate that is not X.509 v3 (RFC 5280
    /// §4.1.2.9: extensions appear only in v3).
    ExtensionsNeedV3 {
        /// Which one.
        at: CertPosition,
    },
    /// A signature algorithm outside the supported set, or one that does not
    /// match the issuer's key or the TBS signature field.
    UnsupportedSignatureAlgorithm {
        /// The certificate whose signature it is.
        at: CertPosition,
    },
    /// An RSA issuer key outside 2048–4096 bits.
    RsaKeySize {
        /// The certificate whose issuer's key it is.
        at: CertPosition,
    },
    /// The signature does not verify with the issuer's key.
    BadSignature {
        /// The certificate whose signature fails.
        at: CertPosition,
    },
    /// An issuer is not a CA (no basicConstraints cA).
    NotACa {
        /// Which one.
        at: CertPosition,
    },
    /// An issuer's keyUsage lacks keyCertSign.
    NoKeyCertSign {
        /// Which one.
        at: CertPosition,
    },
    /// More intermediates below an issuer than its pathLenConstraint allows.
    PathLenExceeded {
        /// Which one.
        at: CertPosition,
    },
    /// The leaf has neither keyUsage digitalSignature nor extKeyUsage
    /// codeSigning.
    LeafCannotSign,
    /// A trust certificate given by the caller is not DER/PEM X.509.
    TrustMaterial,
    /// Building the path took more signature checks than
    /// [`crate::limits::MAX_PATH_SEARCH_SIGNATURES`].
    PathSearchLimit,
}

/// Step 7: the DSSE envelope and its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DsseError {
    /// `payloadType` is not `application/vnd.in-toto+json`.
    WrongPayloadType,
    /// `signatures` is empty.
    NoSignature,
    /// More than one signature (OMS signs with exactly one key).
    MultipleSignatures,
    /// `keyid` is neither absent, `null` nor a string.
    InvalidKeyid,
    /// The signature is not a DER ECDSA signature for the key's curve.
    SignatureEncoding,
    /// The signature does not verify over PAE(payloadType, payload)
    /// (nor over the pre-1.0 compat encoding).
    BadSignature,
}

/// Step 8: the in-toto statement and the OMS predicate (whole document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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
    /// `shards` without `shard_size`, `files` with one, or a size of zero.
    ShardSize,
    /// `resources` is empty.
    NoResources,
    /// More resources than [`crate::limits::MAX_RESOURCES`].
    TooManyResources,
    /// The resource names are not sorted (in code-point order or the
    /// reference's path order), or a name repeats.
    Unsorted {
        /// Index of the first resource out of order.
        index: usize,
    },
    /// `subject[0].digest.sha256` is not SHA-256 over the concatenated
    /// resource digests (OMS §6.5.1).
    RootDigestMismatch,
}

/// Step 8: one resource descriptor of the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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
}

/// Step 9: the model on disk (or in flash) against one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ModelError {
    /// The model has no such file.
    MissingFile,
    /// The file's size is not where its signed shards end.
    SizeMismatch {
        /// Where the signed shards end.
        signed: u64,
        /// The file's size.
        actual: u64,
    },
    /// The file ended before the signed range did (it changed while read).
    Truncated,
    /// The file is longer than when its size was taken (it changed while read).
    Grew,
    /// Reading failed.
    Read(embedded_io::ErrorKind),
    /// The bytes hash to another digest than the signed one (which is the
    /// resource's, at the error's index).
    DigestMismatch {
        /// The digest of the bytes read.
        actual: Digest,
    },
}

/// Any failed check, tagged with the pipeline step that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Error {
    /// The bundle's structure.
    Bundle(BundleError),
    /// The public key or its binding to the bundle.
    Key(KeyError),
    /// The certificate chain (certificate method).
    Certificate(CertificateError),
    /// The DSSE envelope or its signature.
    Dsse(DsseError),
    /// The statement or predicate as a whole.
    Statement(StatementError),
    /// One resource descriptor.
    Manifest {
        /// Index into `predicate.resources`.
        index: usize,
        /// What is wrong with it.
        cause: ManifestError,
    },
    /// The model's bytes for one resource.
    Model {
        /// Index into `predicate.resources`.
        index: usize,
        /// What failed.
        cause: ModelError,
    },
    /// The model holds a file that no resource lists (and unsigned files
    /// are not being ignored). The model source knows which file.
    UnsignedFile,
    /// The model source failed outside of reading a resource.
    Source(embedded_io::ErrorKind),
    /// The sigstore method as a whole (what no single check owns).
    #[cfg(feature = "sigstore")]
    Sigstore(crate::sigstore::SigstoreError),
    /// One transparency-log entry.
    #[cfg(feature = "sigstore")]
    Tlog {
        /// Index into `verificationMaterial.tlogEntries`.
        entry: usize,
        /// What failed.
        cause: crate::tlog::TlogError,
    },
    /// The signed checkpoint of one transparency-log entry.
    #[cfg(feature = "sigstore")]
    Checkpoint {
        /// Index into `verificationMaterial.tlogEntries`.
        entry: usize,
        /// What failed.
        cause: crate::checkpoint::CheckpointError,
    },
    /// One RFC 3161 timestamp.
    #[cfg(feature = "sigstore")]
    Timestamp {
        /// Index into `timestampVerificationData.rfc3161Timestamps`.
        index: usize,
        /// What failed.
        cause: crate::timestamp::TimestampError,
    },
    /// The leaf certificate's embedded SCTs.
    #[cfg(feature = "sigstore")]
    Sct(crate::sct::SctError),
    /// The identity policy or the Fulcio leaf profile.
    #[cfg(feature = "sigstore")]
    Policy(crate::policy::PolicyError),
}

#[cfg(feature = "sigstore")]
impl From<crate::sigstore::SigstoreError> for Error {
    fn from(e: crate::sigstore::SigstoreError) -> Self {
        Error::Sigstore(e)
    }
}

impl From<BundleError> for Error {
    fn from(e: BundleError) -> Self {
        Error::Bundle(e)
    }
}
impl From<KeyError> for Error {
    fn from(e: KeyError) -> Self {
        Error::Key(e)
    }
}
impl From<CertificateError> for Error {
    fn from(e: CertificateError) -> Self {
        Error::Certificate(e)
    }
}
impl From<DsseError> for Error {
    fn from(e: DsseError) -> Self {
        Error::Dsse(e)
    }
}
impl From<StatementError> for Error {
    fn from(e: StatementError) -> Self {
        Error::Statement(e)
    }
}

impl Error {
    /// The pipeline step that failed, as a short stable word (used by the
    /// CLI's `--json` output).
    pub fn step(&self) -> &'static str {
        match self {
            Error::Bundle(_) => "bundle",
            Error::Key(_) => "key",
            Error::Certificate(_) => "x509",
            Error::Dsse(_) => "dsse",
            Error::Statement(_) => "statement",
            Error::Manifest { .. } => "manifest",
            Error::Model { .. } | Error::UnsignedFile | Error::Source(_) => "model",
            #[cfg(feature = "sigstore")]
            Error::Sigstore(_) => "sigstore",
            #[cfg(feature = "sigstore")]
            Error::Tlog { .. } => "tlog",
            #[cfg(feature = "sigstore")]
            Error::Checkpoint { .. } => "checkpoint",
            #[cfg(feature = "sigstore")]
            Error::Timestamp { .. } => "timestamp",
            #[cfg(feature = "sigstore")]
            Error::Sct(_) => "sct",
            #[cfg(feature = "sigstore")]
            Error::Policy(_) => "policy",
        }
    }

    /// The resource index the error is about, if any.
    pub fn resource_index(&self) -> Option<usize> {
        match self {
            Error::Manifest { index, .. } | Error::Model { index, .. } => Some(*index),
            Error::Statement(StatementError::Unsorted { index }) => Some(*index),
            _ => None,
        }
    }
}

fn field(f: &mut fmt::Formatter<'_>, field: &Field, problem: &Problem) -> fmt::Result {
    write!(f, "`{}` {}", field.json_name(), problem)
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Bundle(e) => match e {
                BundleError::TooLarge => f.write_str("bundle: larger than the size limit"),
                BundleError::Json(j) => write!(f, "bundle: invalid JSON ({j})"),
                BundleError::NotAnObject => f.write_str("bundle: not a JSON object"),
                BundleError::Field { field: fl, problem } => {
                    f.write_str("bundle: ")?;
                    field(f, fl, problem)
                }
                BundleError::UnknownMediaType => {
                    f.write_str("bundle: mediaType is not a Sigstore bundle v0.1-v0.3 media type")
                }
                BundleError::AmbiguousMaterial => f.write_str(
                    "bundle: verificationMaterial must hold exactly one of publicKey, x509CertificateChain, certificate",
                ),
                BundleError::NotDsse => {
                    f.write_str("bundle: holds a messageSignature, not a DSSE envelope")
                }
                BundleError::MaterialMismatch { expected, found } => write!(
                    f,
                    "bundle: signed with the {} method (verificationMaterial has {:?}), not the {} method",
                    found.method(),
                    found,
                    expected.method()
                ),
                BundleError::PayloadTooLarge { needed } => {
                    write!(f, "bundle: payload needs {needed} bytes, more than the buffer")
                }
            },
            Error::Key(e) => f.write_str(match e {
                KeyError::Pem => "key: not a PEM or DER public key",
                KeyError::Spki => "key: not a SubjectPublicKeyInfo",
                KeyError::UnsupportedKey => "key: not an EC key on P-256, P-384 or P-521",
                KeyError::InvalidPoint => "key: invalid EC point",
                KeyError::RsaKeySize => "key: RSA key is not 2048, 3072 or 4096 bits",
                KeyError::HintMismatch => {
                    "key: publicKey.hint in the bundle names a different key than the one given"
                }
                KeyError::RawBytesMismatch => {
                    "key: publicKey.rawBytes in the bundle is a different key than the one given"
                }
            }),
            Error::Certificate(e) => {
                f.write_str("x509: ")?;
                e.fmt(f)
            }
            Error::Dsse(e) => f.write_str(match e {
                DsseError::WrongPayloadType => {
                    "dsse: payloadType is not application/vnd.in-toto+json"
                }
                DsseError::NoSignature => "dsse: envelope has no signature",
                DsseError::MultipleSignatures => "dsse: envelope has more than one signature",
                DsseError::InvalidKeyid => "dsse: keyid is not a string or null",
                DsseError::SignatureEncoding => "dsse: signature is not DER ECDSA for this curve",
                DsseError::BadSignature => "dsse: signature does not verify with the key",
            }),
            Error::Statement(e) => match e {
                StatementError::Json(j) => write!(f, "statement: payload is not JSON ({j})"),
                StatementError::NotAnObject => f.write_str("statement: not a JSON object"),
                StatementError::Field { field: fl, problem } => {
                    f.write_str("statement: ")?;
                    field(f, fl, problem)
                }
                StatementError::WrongStatementType => {
                    f.write_str("statement: _type is not https://in-toto.io/Statement/v1")
                }
                StatementError::WrongPredicateType => f.write_str(
                    "statement: predicateType is not https://model_signing/signature/v1.0",
                ),
                StatementError::SubjectCount => {
                    f.write_str("statement: subject must hold exactly one entry")
                }
                StatementError::UnknownMethod => {
                    f.write_str("statement: serialization.method is not files or shards")
                }
                StatementError::UnknownHashType => f.write_str(
                    "statement: serialization.hash_type is not sha256, blake2b or blake3",
                ),
                StatementError::ShardSize => f.write_str(
                    "statement: shard_size must be a positive integer for shards and absent for files",
                ),
                StatementError::NoResources => f.write_str("statement: resources is empty"),
                StatementError::TooManyResources => {
                    f.write_str("statement: more resources than the limit")
                }
                StatementError::Unsorted { .. } => {
                    f.write_str("manifest: resources are not sorted by name, or a name repeats")
                }
                StatementError::RootDigestMismatch => f.write_str(
                    "statement: subject digest is not SHA-256 over the resource digests",
                ),
            },
            Error::Manifest { cause, .. } => match cause {
                ManifestError::Field { field: fl, problem } => {
                    f.write_str("manifest: ")?;
                    field(f, fl, problem)
                }
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
                ManifestError::BadShardRange => f.write_str(
                    "manifest: shard is empty, longer than shard_size or not aligned to it",
                ),
                ManifestError::ShardsNotContiguous => f.write_str(
                    "manifest: shards of the file overlap, leave a gap or do not start at 0",
                ),
                ManifestError::DotWithOthers => {
                    f.write_str("manifest: name `.` appears next to other files")
                }
            },
            Error::Model { cause, .. } => match cause {
                ModelError::MissingFile => f.write_str("file is missing"),
                ModelError::SizeMismatch { signed, actual } => {
                    write!(f, "file is {actual} bytes but its signed shards end at {signed}")
                }
                ModelError::Truncated => f.write_str("file ended early while being read"),
                ModelError::Grew => f.write_str("file grew while being read"),
                ModelError::Read(kind) => write!(f, "read failed ({kind:?})"),
                ModelError::DigestMismatch { actual } => write!(
                    f,
                    "{} mismatch (got {})",
                    actual.algorithm().name(),
                    actual.hex()
                ),
            },
            Error::UnsignedFile => f.write_str("file is not in the signed manifest"),
            Error::Source(kind) => write!(f, "model source failed ({kind:?})"),
            #[cfg(feature = "sigstore")]
            Error::Sigstore(e) => write!(f, "sigstore: {e}"),
            #[cfg(feature = "sigstore")]
            Error::Tlog { entry, cause } => write!(f, "tlogEntries[{entry}]: {cause}"),
            #[cfg(feature = "sigstore")]
            Error::Checkpoint { entry, cause } => {
                write!(f, "tlogEntries[{entry}]: {cause}")
            }
            #[cfg(feature = "sigstore")]
            Error::Timestamp { index, cause } => write!(f, "rfc3161Timestamps[{index}]: {cause}"),
            #[cfg(feature = "sigstore")]
            Error::Sct(e) => write!(f, "{e}"),
            #[cfg(feature = "sigstore")]
            Error::Policy(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Display for CertPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertPosition::Bundle(0) => f.write_str("the leaf certificate"),
            CertPosition::Bundle(i) => write!(f, "bundle certificate [{i}]"),
            CertPosition::Supplied(i) => write!(f, "supplied intermediate [{i}]"),
            CertPosition::Anchor => f.write_str("the trust anchor"),
        }
    }
}

impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CertificateError as E;
        match self {
            E::EmptyChain => f.write_str("the bundle's certificate chain is empty"),
            E::ChainTooLong => f.write_str("the certificate chain is longer than the limit"),
            E::Encoding { at } => write!(f, "{at} is not a DER X.509 certificate"),
            E::LeafSelfSigned => f.write_str(
                "the leaf certificate is self-signed (a root, not a signing certificate)",
            ),
            E::UnknownIssuer { at } => write!(f, "{at} was not issued by a trusted root"),
            E::NotYetValid { at } => write!(f, "{at} is not valid yet at the verification time"),
            E::Expired { at } => write!(f, "{at} has expired at the verification time"),
            E::UnsupportedCriticalExtension { at } => {
                write!(
                    f,
                    "{at} has a critical extension this verifier does not process"
                )
            }
            E::ExtensionsNeedV3 { at } => {
                write!(
                    f,
                    "{at} carries extensions but is not an X.509 v3 certificate"
                )
            }
            E::UnsupportedSignatureAlgorithm { at } => {
                write!(f, "{at} is signed with an unsupported algorithm")
            }
            E::RsaKeySize { at } => write!(f, "the RSA key that signed {at} is not 2048-4096 bits"),
            E::BadSignature { at } => write!(
                f,
                "the signature on {at} does not verify with its issuer's key"
            ),
            E::NotACa { at } => write!(f, "{at} issues certificates but is not a CA"),
            E::NoKeyCertSign { at } => write!(
                f,
                "{at} issues certificates but its keyUsage lacks keyCertSign"
            ),
            E::PathLenExceeded { at } => write!(f, "{at}'s pathLenConstraint is exceeded"),
            E::LeafCannotSign => {
                f.write_str("the leaf certificate allows neither digitalSignature nor codeSigning")
            }
            E::TrustMaterial => {
                f.write_str("the trust material is not PEM or DER X.509 certificates")
            }
            E::PathSearchLimit => f.write_str(
                "building the certificate path took more signature checks than the limit",
            ),
        }
    }
}

impl core::error::Error for Error {}
