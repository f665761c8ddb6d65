//! Step 3 (feature `sigstore`): the bundle's transparency-log entries
//! (`verificationMaterial.tlogEntries[]`, `TransparencyLogEntry` of
//! `sigstore_rekor.proto` in protobuf JSON), one by one, as sigstore-go
//! (`pkg/verify/tlog.go`, `pkg/tlog/entry.go`) and sigstore-python
//! (`sigstore/verify/verifier.py`) check them offline.
//!
//! Checks per entry, in order:
//! 1. the entry's members parse: `logIndex` and `inclusionProof.logIndex`,
//!    `treeSize` and `integratedTime` are non-negative decimal integers (a
//!    negative one is [`TlogError::Negative`]), `logId.keyId`,
//!    `canonicalizedBody`, `signedEntryTimestamp`, `rootHash` and the proof
//!    `hashes` are base64, and `kindVersion` is one this verifier knows
//!    ([`EntryKind`]: `hashedrekord` 0.0.1 and `dsse` 0.0.1 and `intoto`
//!    0.0.2 of Rekor v1; `hashedrekord` 0.0.2 of Rekor v2). A Rekor v2
//!    `dsse` 0.0.2 entry is refused ([`TlogError::DsseOnRekorV2`]): Rekor v2
//!    logs DSSE as `hashedrekord` 0.0.2 over the envelope's PAE
//!    (rekor-v2-spec §6.1.4), and sigstore-go and sigstore-python refuse
//!    the earlier rekor-tiles encoding, which binds only the payload's
//!    hash and not the payload type;
//! 2. `logId.keyId` names a log of the trusted root (`tlogs[].logId`, the
//!    first that matches) whose key validity has a start (an open start is
//!    a malformed trusted root, not an unbounded one);
//! 3. `canonicalizedBody` is JSON whose `kind` and `apiVersion` equal
//!    `kindVersion`, and it describes this bundle (the check against
//!    CVE-2022-36056-style substitution):
//!    - `hashedrekord` 0.0.1: `spec.data.hash` is the artifact's digest
//!      under the hash it names (`sha256`, `sha384` or `sha512`; a
//!      registry signer logs its key's),
//!      `spec.signature.content` the bundle's signature and
//!      `spec.signature.publicKey.content` (base64 PEM) the signer's
//!      certificate or key, compared as DER;
//!    - `hashedrekord` 0.0.2: `spec.hashedRekordV002.data.digest` is the
//!      artifact digest under the hash `data.algorithm` names, or for a
//!      DSSE bundle the digest of the envelope's
//!      PAE (rekor-v2 spec §6.1.4, "hashedrekord over DSSE"; sigstore-go
//!      `reconstructV2EntryHash`) with the hash `data.algorithm` names; the
//!      signature is the bundle's (the envelope's only one) and
//!      `signature.verifier` holds the signer's certificate
//!      (`x509Certificate.rawBytes`) or key (`publicKey.rawBytes`) with the
//!      `keyDetails` Sigstore clients write for that key (sigstore-go
//!      rebuilds the entry from the bundle, so it compares them too);
//!    - `dsse` 0.0.1: the payload hash is the SHA-256 of the envelope's
//!      payload, and the logged signatures are, as a set, the envelope's,
//!      each with the signer as verifier (`spec.payloadHash`,
//!      `spec.signatures[].{signature, verifier}`); the `envelopeHash`
//!      covers the envelope's uncanonicalized JSON and is not checked, as
//!      in sigstore-python;
//!    - `intoto` 0.0.2: `spec.content.payloadHash` is the SHA-256 of the
//!      payload, and `spec.content.envelope.signatures[]` are the envelope's
//!      signatures (each `sig` base64 encoded twice, as sigstore-go and
//!      sigstore-js decode it) with `publicKey` (base64 PEM) the signer;
//!
//!    a kind that cannot describe the bundle's content (a DSSE entry for a
//!    message signature, `hashedrekord` 0.0.1 for an envelope) is refused;
//! 4. the inclusion promise (Rekor v1 only; a Rekor v2 entry carrying one
//!    is refused): whenever `inclusionPromise` is present it is verified,
//!    whatever the bundle version claims, so stripping nothing downgrades
//!    anything: `integratedTime` is present, not after `now` (when the
//!    caller has a clock), inside the
//!    log key's `validFor`, and `signedEntryTimestamp` is the log key's signature over
//!    [`set_payload`]; only then is the entry's time returned;
//! 5. the inclusion proof, whenever present: it carries a non-empty
//!    checkpoint (checked after the proof), and RFC 6962 folding of `SHA-256(0x00 || body)` at
//!    `inclusionProof.logIndex` in a tree of `treeSize` leaves with
//!    `hashes` gives `rootHash` ([`crate::sigstore::merkle`]); for Rekor v2 the
//!    proof's index is the entry's (rekor-tiles proves the entry's
//!    `logIndex`). The checkpoint's signature and its agreement with
//!    `rootHash` and `treeSize` are checked by the caller on the returned
//!    [`Inclusion`];
//! 6. what must be present: a Rekor v2 entry needs an inclusion proof; a
//!    Rekor v1 entry needs an inclusion proof in a v0.2 or later bundle and
//!    an inclusion promise in a v0.1 bundle.
//!
//! [`verify_entries`] applies these to every entry: at least one, at most
//! [`MAX_TLOG_ENTRIES`], each verified, and no two naming the same log and
//! index (sigstore-go: "duplicate tlog entries found"; a copy would count
//! twice against a threshold).
//!
//! Allocation is bounded by the entry's size: the decoded body, PEM and
//! key material, the SET payload and the checkpoint text.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64ct::{Base64, Encoding as _};

use crate::bundle::BundleVersion;
use crate::check::Check;
use crate::encoding::hex_digit;
use crate::json::{
    Array, Field, FieldError, JsonError, JsonStr, Kind, Object, Problem, Value, decode_base64_owned,
};
use crate::keys::Digests;
use crate::limits::{MAX_INCLUSION_PROOF_HASHES, MAX_TLOG_ENTRIES};
use crate::sigstore::logkey::LogKeyError;
use crate::sigstore::merkle::{self, Hash, MerkleError};
use crate::sigstore::registry::SigstoreKey;
use crate::sigstore::trust_root::{TransparencyLog, TrustedRoot};

/// What the bundle signed, as the caller has decoded it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Content<'a> {
    /// `messageSignature`: a signature over an artifact's digest.
    MessageSignature {
        /// The artifact's digests (under the signing key's hash, and
        /// whatever else is known of it).
        digests: Digests,
        /// The signature bytes.
        signature: &'a [u8],
    },
    /// `dsseEnvelope`.
    Dsse {
        /// `payloadType`, unescaped.
        payload_type: &'a str,
        /// The decoded payload.
        payload: &'a [u8],
        /// Every `signatures[].sig`, decoded.
        signatures: &'a [&'a [u8]],
    },
}

/// Who signed the bundle, as its verification material gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Signer<'a> {
    /// The leaf certificate, DER.
    Certificate(&'a [u8]),
    /// The public key, DER SubjectPublicKeyInfo.
    PublicKey(&'a [u8]),
}

/// A `kindVersion` this verifier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) enum EntryKind {
    /// `hashedrekord` 0.0.1 (Rekor v1).
    HashedRekord001,
    /// `hashedrekord` 0.0.2 (Rekor v2).
    HashedRekord002,
    /// `dsse` 0.0.1 (Rekor v1).
    Dsse001,
    /// `dsse` 0.0.2 (Rekor v2).
    Dsse002,
    /// `intoto` 0.0.2 (Rekor v1).
    Intoto002,
}

impl EntryKind {
    const ALL: [Self; 5] = [
        Self::HashedRekord001,
        Self::HashedRekord002,
        Self::Dsse001,
        Self::Dsse002,
        Self::Intoto002,
    ];

    /// `kindVersion.kind`.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Self::HashedRekord001 | Self::HashedRekord002 => "hashedrekord",
            Self::Dsse001 | Self::Dsse002 => "dsse",
            Self::Intoto002 => "intoto",
        }
    }

    /// `kindVersion.version`.
    pub(crate) fn version(self) -> &'static str {
        match self {
            Self::HashedRekord001 | Self::Dsse001 => "0.0.1",
            _ => "0.0.2",
        }
    }

    /// Whether entries of this kind come from a Rekor v2 (tile-based) log.
    pub(crate) fn is_rekor_v2(self) -> bool {
        matches!(self, Self::HashedRekord002 | Self::Dsse002)
    }

    fn find(kind: JsonStr<'_>, version: JsonStr<'_>) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| kind.eq_str(k.kind()) && version.eq_str(k.version()))
    }
}

mod body;

use body::check_body;

/// Why a transparency-log entry was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum TlogError {
    /// The bundle lists no entry.
    NoEntries,
    /// The bundle lists more than [`MAX_TLOG_ENTRIES`] entries.
    TooManyEntries,
    /// Two entries name the same log and index.
    DuplicateEntry,
    /// An entry is not valid JSON (check 1).
    Json(JsonError),
    /// A member is missing, of the wrong type, twice, not base64 or not an
    /// allowed value (checks 1 and 3).
    Field {
        /// Which member.
        field: Field,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A signed integer member is negative (check 1).
    Negative(Field),
    /// `kindVersion` is not one this verifier reads (check 1).
    UnknownKind,
    /// `logId.keyId` names no log of the trusted root (check 2).
    UnknownLog,
    /// `canonicalizedBody` is not JSON (check 3).
    BodyJson(JsonError),
    /// The body's `kind` or `apiVersion` differs from `kindVersion`
    /// (check 3).
    KindMismatch,
    /// The entry's kind cannot describe this bundle's content (check 3).
    ContentMismatch,
    /// The logged digest or payload hash is not this bundle's (check 3).
    DigestMismatch,
    /// The logged signatures are not this bundle's (check 3).
    SignatureMismatch,
    /// The logged certificate or key is not this bundle's signer (check 3).
    SignerMismatch,
    /// A Rekor v2 `hashedrekord` names another key algorithm
    /// (`verifier.keyDetails`) than the signer's key (check 3).
    KeyDetailsMismatch,
    /// A Rekor v2 `dsse` 0.0.2 entry: Rekor v2 logs DSSE as
    /// `hashedrekord` 0.0.2 over the PAE (check 1).
    DsseOnRekorV2,
    /// A Rekor v2 entry carries an inclusion promise (check 4).
    UnexpectedPromise,
    /// `integratedTime` is after the verification time (check 4).
    IntegratedTimeInFuture,
    /// The log's key validity has no start (check 2) or does not contain
    /// `integratedTime` (check 4); for a Rekor v2 entry, reported by the
    /// caller, it does not contain a timestamp's genTime.
    LogKeyNotValid,
    /// The signed entry timestamp does not verify (check 4).
    SetSignature(LogKeyError),
    /// The inclusion proof does not lead to its root (check 5).
    InclusionProof(MerkleError),
    /// A Rekor v2 proof is for another index than the entry's (check 5).
    LogIndexMismatch,
    /// The entry lacks the inclusion proof it needs (check 6).
    MissingInclusionProof,
    /// The entry lacks the inclusion promise it needs (check 6).
    MissingInclusionPromise,
    /// A Rekor v1 entry's `integratedTime` that no inclusion promise signs
    /// lies outside the signing certificate's validity (reported by the
    /// caller; sigstore-go checks every entry's integrated time against
    /// the certificate).
    TimeOutsideLeafValidity,
}

impl From<FieldError> for TlogError {
    fn from(e: FieldError) -> Self {
        TlogError::Field {
            field: e.field,
            problem: e.problem,
        }
    }
}

impl TlogError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            Self::NoEntries => Check::TlogNoEntries,
            Self::TooManyEntries => Check::TlogTooManyEntries,
            Self::DuplicateEntry => Check::TlogDuplicateEntry,
            Self::Json(_) => Check::TlogJson,
            Self::Field { problem, .. } => match problem {
                Problem::Missing => Check::TlogFieldMissing,
                Problem::WrongType => Check::TlogFieldWrongType,
                Problem::Duplicate => Check::TlogFieldDuplicate,
                Problem::Base64 => Check::TlogFieldBase64,
                Problem::TooLong => Check::TlogFieldTooLong,
                Problem::Invalid => Check::TlogFieldInvalid,
            },
            Self::Negative(_) => Check::TlogNegative,
            Self::UnknownKind => Check::TlogUnknownKind,
            Self::UnknownLog => Check::TlogUnknownLog,
            Self::BodyJson(_) => Check::TlogBodyJson,
            Self::KindMismatch => Check::TlogKindMismatch,
            Self::ContentMismatch => Check::TlogContentMismatch,
            Self::DigestMismatch => Check::TlogDigestMismatch,
            Self::SignatureMismatch => Check::TlogSignatureMismatch,
            Self::SignerMismatch => Check::TlogSignerMismatch,
            Self::KeyDetailsMismatch => Check::TlogKeyDetailsMismatch,
            Self::DsseOnRekorV2 => Check::TlogDsseOnRekorV2,
            Self::UnexpectedPromise => Check::TlogUnexpectedPromise,
            Self::IntegratedTimeInFuture => Check::TlogIntegratedTimeInFuture,
            Self::LogKeyNotValid => Check::TlogLogKeyNotValid,
            Self::SetSignature(_) => Check::TlogSetSignature,
            Self::InclusionProof(_) => Check::TlogInclusionProof,
            Self::LogIndexMismatch => Check::TlogLogIndexMismatch,
            Self::MissingInclusionProof => Check::TlogMissingInclusionProof,
            Self::MissingInclusionPromise => Check::TlogMissingInclusionPromise,
            Self::TimeOutsideLeafValidity => Check::TlogTimeOutsideLeafValidity,
        }
    }

    /// The member the error is about, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            Self::Field { field, .. } | Self::Negative(field) => Some(*field),
            _ => None,
        }
    }
}

impl fmt::Display for TlogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoEntries => f.write_str("tlog: the bundle lists no log entry"),
            Self::TooManyEntries => f.write_str("tlog: too many log entries"),
            Self::DuplicateEntry => f.write_str("tlog: the same log entry appears twice"),
            Self::Json(e) => write!(f, "tlog: entry JSON: {e}"),
            Self::Field { field, problem } => write!(f, "tlog: {field} {problem}"),
            Self::Negative(field) => write!(f, "tlog: {field} is negative"),
            Self::UnknownKind => f.write_str("tlog: unsupported entry kind/version"),
            Self::UnknownLog => f.write_str("tlog: entry from a log the trusted root lacks"),
            Self::BodyJson(e) => write!(f, "tlog: canonicalizedBody JSON: {e}"),
            Self::KindMismatch => f.write_str("tlog: body kind/apiVersion differ from kindVersion"),
            Self::ContentMismatch => {
                f.write_str("tlog: entry kind does not fit the bundle content")
            }
            Self::DigestMismatch => f.write_str("tlog: logged digest is not the bundle's"),
            Self::SignatureMismatch => f.write_str("tlog: logged signature is not the bundle's"),
            Self::SignerMismatch => f.write_str("tlog: logged signer is not the bundle's"),
            Self::KeyDetailsMismatch => {
                f.write_str("tlog: logged keyDetails is not the signer key's algorithm")
            }
            Self::DsseOnRekorV2 => f.write_str(
                "tlog: Rekor v2 dsse 0.0.2 entry refused (Rekor v2 logs DSSE as hashedrekord 0.0.2)",
            ),
            Self::UnexpectedPromise => {
                f.write_str("tlog: Rekor v2 entry with an inclusion promise")
            }
            Self::IntegratedTimeInFuture => f.write_str("tlog: integrated time is in the future"),
            Self::LogKeyNotValid => {
                f.write_str("tlog: log key validity has no start or excludes the entry's time")
            }
            Self::SetSignature(e) => write!(f, "tlog: signed entry timestamp: {e}"),
            Self::InclusionProof(e) => write!(f, "tlog: {e}"),
            Self::LogIndexMismatch => {
                f.write_str("tlog: inclusion proof index differs from entry's")
            }
            Self::MissingInclusionProof => f.write_str("tlog: inclusion proof required"),
            Self::MissingInclusionPromise => f.write_str("tlog: inclusion promise required"),
            Self::TimeOutsideLeafValidity => {
                f.write_str("tlog: integrated time outside the certificate's validity")
            }
        }
    }
}

/// A verified inclusion proof: the root and size the caller must find in
/// the log's signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inclusion {
    /// `inclusionProof.rootHash`, which the proof leads to.
    pub root: [u8; 32],
    /// `inclusionProof.treeSize`.
    pub tree_size: u64,
    /// `inclusionProof.checkpoint.envelope`, unescaped and not yet verified.
    pub checkpoint: String,
}

/// An entry that passed checks 1–6.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VerifiedEntry {
    /// The log's index in [`TrustedRoot::tlogs`].
    pub log: usize,
    /// `logIndex`.
    pub log_index: u64,
    /// The entry's kind.
    pub kind: EntryKind,
    /// `integratedTime`, only when a verified inclusion promise signs it.
    pub integrated_time: Option<u64>,
    /// A Rekor v1 entry's non-zero `integratedTime` that no inclusion
    /// promise signs: no verified time, but the signing certificate must
    /// be valid then all the same (as sigstore-go requires).
    pub unsigned_time: Option<u64>,
    /// Whether the entry is a Rekor v2 one.
    pub rekor_v2: bool,
    /// The verified inclusion proof, when the entry has one.
    pub inclusion: Option<Inclusion>,
}

/// Verifies every entry of `tlogEntries` (checks 1–6 each); two entries of
/// the same log and index are refused. An error names the entry's
/// position.
///
/// `signer_key` is the key of `signer`, when the caller can read it: a
/// Rekor v2 `hashedrekord` must name its algorithm. (A signer whose key
/// cannot be read verifies no signature, so leaving it out weakens
/// nothing.)
pub(crate) fn verify_entries(
    entries: Array<'_>,
    content: &Content<'_>,
    signer: &Signer<'_>,
    signer_key: Option<&SigstoreKey>,
    trust: &TrustedRoot,
    version: BundleVersion,
    now: Option<u64>,
) -> Result<Vec<VerifiedEntry>, (usize, TlogError)> {
    let mut count = 0usize;
    for (i, e) in entries.iter().enumerate() {
        e.map_err(|e| (i, TlogError::Json(e)))?;
        count = count.saturating_add(1);
        if count > MAX_TLOG_ENTRIES {
            return Err((i, TlogError::TooManyEntries));
        }
    }
    if count == 0 {
        return Err((0, TlogError::NoEntries));
    }
    let cx = Context {
        content,
        signer,
        signer_key,
        trust,
        version,
        now,
    };
    let mut out: Vec<VerifiedEntry> = Vec::with_capacity(count);
    for (i, e) in entries.iter().enumerate() {
        let e = e.map_err(|e| (i, TlogError::Json(e)))?;
        let v = verify_entry(e, &cx).map_err(|err| (i, err))?;
        if out
            .iter()
            .any(|o| o.log == v.log && o.log_index == v.log_index)
        {
            return Err((i, TlogError::DuplicateEntry));
        }
        out.push(v);
    }
    Ok(out)
}

/// What every entry of a bundle is checked against.
struct Context<'c> {
    content: &'c Content<'c>,
    signer: &'c Signer<'c>,
    signer_key: Option<&'c SigstoreKey>,
    trust: &'c TrustedRoot,
    version: BundleVersion,
    /// The current time, if the caller has a clock.
    now: Option<u64>,
}

/// Verifies one entry (checks 1–6).
#[inline(never)]
fn verify_entry(entry: Value<'_>, cx: &Context<'_>) -> Result<VerifiedEntry, TlogError> {
    let Context {
        content,
        signer,
        signer_key,
        trust,
        version,
        now,
    } = *cx;
    // 1. Members.
    let e = Entry::parse(entry)?;
    if e.kind == EntryKind::Dsse002 {
        return Err(TlogError::DsseOnRekorV2);
    }
    // 2. The log.
    let log = trust
        .tlogs
        .iter()
        .position(|l| l.log_id == e.key_id)
        .ok_or(TlogError::UnknownLog)?;
    let tlog = trust.tlogs.get(log).ok_or(TlogError::UnknownLog)?;
    if tlog.valid_for.start.is_none() {
        return Err(TlogError::LogKeyNotValid);
    }
    // 3. The body describes this bundle.
    check_body(e.kind, &e.body, content, signer, signer_key)?;
    // 4. The inclusion promise, whenever present.
    let integrated_time = match &e.set {
        None => None,
        Some(_) if e.kind.is_rekor_v2() => return Err(TlogError::UnexpectedPromise),
        Some(set) => Some(check_set(&e, set, tlog, now)?),
    };
    // 5. The inclusion proof, whenever present.
    let inclusion = match &e.proof {
        None => None,
        Some(p) => Some(check_proof(&e, p)?),
    };
    // 6. What this kind of entry and bundle version need.
    if inclusion.is_none() && (e.kind.is_rekor_v2() || version >= BundleVersion::V0_2) {
        return Err(TlogError::MissingInclusionProof);
    }
    if integrated_time.is_none() && !e.kind.is_rekor_v2() && version == BundleVersion::V0_1 {
        return Err(TlogError::MissingInclusionPromise);
    }
    let unsigned_time = match integrated_time {
        None if !e.kind.is_rekor_v2() => e.integrated_time.filter(|&t| t != 0),
        _ => None,
    };
    Ok(VerifiedEntry {
        log,
        log_index: e.log_index,
        kind: e.kind,
        integrated_time,
        unsigned_time,
        rekor_v2: e.kind.is_rekor_v2(),
        inclusion,
    })
}

/// The payload a Rekor v1 signed entry timestamp signs: the RFC 8785
/// canonical JSON of `{"body", "integratedTime", "logID", "logIndex"}`,
/// with the body re-encoded as padded standard base64 and the log ID in
/// lowercase hex (sigstore-go `tlog.VerifySET`, sigstore-js
/// `toVerificationPayload`). For this fixed shape RFC 8785 means: keys in
/// that order, no whitespace, integers in plain decimal (exact for values
/// below 2^53, as Rekor's are) and strings needing no escapes (base64 and
/// hex only). Hand-written: four members need no JSON serializer.
pub(crate) fn set_payload(
    body: &[u8],
    integrated_time: u64,
    log_id: &[u8],
    log_index: u64,
) -> Vec<u8> {
    let b64_len = Base64::encoded_len(body);
    let mut out = Vec::with_capacity(
        b64_len
            .saturating_add(log_id.len().saturating_mul(2))
            .saturating_add(96),
    );
    let mut digits = [0u8; 20];
    out.extend_from_slice(b"{\"body\":\"");
    let start = out.len();
    out.resize(start.saturating_add(b64_len), 0);
    if let Some(tail) = out.get_mut(start..) {
        // Cannot fail: the tail is exactly the encoded length.
        let _ = Base64::encode(body, tail);
    }
    out.extend_from_slice(b"\",\"integratedTime\":");
    out.extend_from_slice(decimal(integrated_time, &mut digits));
    out.extend_from_slice(b",\"logID\":\"");
    for b in log_id {
        out.push(hex_digit(b >> 4));
        out.push(hex_digit(b & 15));
    }
    out.extend_from_slice(b"\",\"logIndex\":");
    out.extend_from_slice(decimal(log_index, &mut digits));
    out.push(b'}');
    out
}

/// `v` in decimal, written into the end of `buf`.
pub(super) fn decimal(mut v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i = i.saturating_sub(1);
        if let Some(d) = buf.get_mut(i) {
            // `v % 10 < 10`: the digit stays in b'0'..=b'9'.
            *d = b'0'.wrapping_add(u8::try_from(v % 10).unwrap_or(0));
        }
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.get(i..).unwrap_or(&[])
}

/// A parsed inclusion proof (check 1).
struct Proof<'a> {
    log_index: u64,
    tree_size: u64,
    root: Hash,
    /// On the heap rather than a 2 KiB array: the entry holding it is on
    /// the stack under the signature checks (firmware stack).
    hashes: Vec<Hash>,
    checkpoint: Option<JsonStr<'a>>,
}

/// A parsed entry (check 1).
struct Entry<'a> {
    log_index: u64,
    key_id: Vec<u8>,
    kind: EntryKind,
    integrated_time: Option<u64>,
    set: Option<Vec<u8>>,
    proof: Option<Proof<'a>>,
    body: Vec<u8>,
}

impl<'a> Entry<'a> {
    #[inline(never)]
    fn parse(v: Value<'a>) -> Result<Self, TlogError> {
        let o = v.at(Field::TlogEntry).object()?;
        let log_index = int64_at(&o, "logIndex", Field::LogIndex)?;
        let log_id = o
            .required_set("logId", Field::LogId)
            .and_then(|m| m.object())?;
        let key_id = base64_of(&log_id, "keyId", Field::KeyId)?;
        let kv = o
            .required_set("kindVersion", Field::KindVersion)
            .and_then(|m| m.object())?;
        let kind = EntryKind::find(
            kv.required_set("kind", Field::Kind)
                .and_then(|m| m.string())?,
            kv.required_set("version", Field::Version)
                .and_then(|m| m.string())?,
        )
        .ok_or(TlogError::UnknownKind)?;
        let integrated_time = o
            .member_set("integratedTime", Field::IntegratedTime)?
            .map(|t| int64(t.value, Field::IntegratedTime))
            .transpose()?;
        let set = o
            .member_set("inclusionPromise", Field::InclusionPromise)?
            .map(|p| {
                let p = p.object()?;
                base64_of(&p, "signedEntryTimestamp", Field::SignedEntryTimestamp)
            })
            .transpose()?;
        let proof = o
            .member_set("inclusionProof", Field::InclusionProof)?
            .map(|m| Proof::parse(m.value))
            .transpose()?;
        let body = base64_of(&o, "canonicalizedBody", Field::CanonicalizedBody)?;
        Ok(Entry {
            log_index,
            key_id,
            kind,
            integrated_time,
            set,
            proof,
            body,
        })
    }
}

impl<'a> Proof<'a> {
    #[inline(never)]
    fn parse(v: Value<'a>) -> Result<Self, TlogError> {
        let o = v.at(Field::InclusionProof).object()?;
        let log_index = int64_at(&o, "logIndex", Field::ProofLogIndex)?;
        let tree_size = int64_at(&o, "treeSize", Field::TreeSize)?;
        let root = hash_of(
            o.required_set("rootHash", Field::RootHash)
                .and_then(|m| m.string())?,
            Field::RootHash,
        )?;
        let mut hashes = Vec::new();
        let list = o
            .required_set("hashes", Field::Hashes)
            .and_then(|m| m.array())?;
        for h in list.iter() {
            let h = h.map_err(TlogError::Json)?.at(Field::Hashes).string()?;
            if hashes.len() >= MAX_INCLUSION_PROOF_HASHES {
                return Err(TlogError::InclusionProof(MerkleError::ProofTooLong));
            }
            hashes.push(hash_of(h, Field::Hashes)?);
        }
        let checkpoint = match o.member_set("checkpoint", Field::Checkpoint)? {
            None => None,
            Some(cp) => {
                let cp = cp.object()?;
                cp.member_set("envelope", Field::Checkpoint)?
                    .map(|e| e.string())
                    .transpose()?
            }
        };
        Ok(Proof {
            log_index,
            tree_size,
            root,
            hashes,
            checkpoint,
        })
    }
}

/// Check 4: the signed entry timestamp; returns the time it signs.
#[inline(never)]
fn check_set(
    e: &Entry<'_>,
    set: &[u8],
    log: &TransparencyLog,
    now: Option<u64>,
) -> Result<u64, TlogError> {
    let t = e
        .integrated_time
        .ok_or(field(Field::IntegratedTime, Problem::Missing))?;
    // Without a clock there is no "now" to compare with (`Time::NoClock`).
    if now.is_some_and(|now| t > now) {
        return Err(TlogError::IntegratedTimeInFuture);
    }
    if !log.valid_for.contains(t) {
        return Err(TlogError::LogKeyNotValid);
    }
    let payload = set_payload(&e.body, t, &e.key_id, e.log_index);
    log.key
        .verify(&payload, set)
        .map_err(TlogError::SetSignature)?;
    Ok(t)
}

/// Check 5: the inclusion proof leads from the body's leaf to `rootHash`.
#[inline(never)]
fn check_proof(e: &Entry<'_>, p: &Proof<'_>) -> Result<Inclusion, TlogError> {
    if e.kind.is_rekor_v2() && p.log_index != e.log_index {
        return Err(TlogError::LogIndexMismatch);
    }
    let hashes = p.hashes.as_slice();
    let leaf = merkle::leaf_hash(&e.body);
    merkle::verify_inclusion(p.log_index, p.tree_size, &leaf, hashes, &p.root)
        .map_err(TlogError::InclusionProof)?;
    // Without a checkpoint the root is unsigned and proves nothing.
    let checkpoint = p
        .checkpoint
        .filter(|c| !c.is_empty())
        .ok_or(field(Field::Checkpoint, Problem::Missing))?;
    Ok(Inclusion {
        root: p.root,
        tree_size: p.tree_size,
        checkpoint: checkpoint.chars().collect(),
    })
}

/// A field problem as a [`TlogError`].
pub(super) fn field(field: Field, problem: Problem) -> TlogError {
    FieldError::new(field, problem).into()
}

/// Standard padded base64, as protobuf JSON writes `bytes`.
pub(super) fn decode_base64(s: JsonStr<'_>, f: Field) -> Result<Vec<u8>, TlogError> {
    Ok(decode_base64_owned(s, f)?)
}

/// The required base64 member `key` of `o`, decoded.
pub(super) fn base64_of(o: &Object<'_>, key: &str, f: Field) -> Result<Vec<u8>, TlogError> {
    decode_base64(o.required_set(key, f)?.string()?, f)
}

pub(super) fn hash_of(s: JsonStr<'_>, f: Field) -> Result<Hash, TlogError> {
    decode_base64(s, f)?
        .try_into()
        .map_err(|_| field(f, Problem::Invalid))
}

fn int64_at(o: &Object<'_>, key: &str, f: Field) -> Result<u64, TlogError> {
    int64(o.required_set(key, f)?.value, f)
}

/// A protobuf JSON `int64` that must not be negative: a decimal string
/// (canonical, as protobuf JSON writes it) or a plain JSON integer, at most
/// 2^63 − 1.
fn int64(v: Value<'_>, f: Field) -> Result<u64, TlogError> {
    let text = match v.kind() {
        Kind::String => {
            let s = v.at(f).string()?;
            if s.has_escapes() {
                return Err(field(f, Problem::Invalid));
            }
            s.raw().as_bytes()
        }
        Kind::Number => v.raw(),
        _ => return Err(field(f, Problem::WrongType)),
    };
    if text.first() == Some(&b'-') {
        return Err(TlogError::Negative(f));
    }
    let canonical = match text {
        [] => false,
        [b'0'] => true,
        [b'0', ..] => false,
        _ => text.iter().all(u8::is_ascii_digit),
    };
    if !canonical {
        return Err(field(f, Problem::Invalid));
    }
    let mut n: u64 = 0;
    for d in text {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d.wrapping_sub(b'0'))))
            .filter(|n| *n <= i64::MAX.unsigned_abs())
            .ok_or(field(f, Problem::Invalid))?;
    }
    Ok(n)
}

// The tests sign and bind entries with keys of every algorithm.
#[cfg(all(test, feature = "p384", feature = "p521", feature = "rsa"))]
mod tests;
