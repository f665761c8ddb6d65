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
//!    anything: `integratedTime` is present, not after `now`, inside the
//!    log key's `validFor`, and `signedEntryTimestamp` is the log key's signature over
//!    [`set_payload`]; only then is the entry's time returned;
//! 5. the inclusion proof, whenever present: it carries a non-empty
//!    checkpoint (checked after the proof), and RFC 6962 folding of `SHA-256(0x00 || body)` at
//!    `inclusionProof.logIndex` in a tree of `treeSize` leaves with
//!    `hashes` gives `rootHash` ([`crate::merkle`]); for Rekor v2 the
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
use sha2::{Digest as _, Sha256};

use crate::bundle::BundleVersion;
use crate::dsse::hex_digit;
use crate::error::Problem;
use crate::json::{self, Array, JsonError, JsonStr, Kind, Object, Value, hex_val};
use crate::keys::{Digests, PrehashState, PublicKey, SigHash};
use crate::limits::{MAX_DSSE_SIGNATURES, MAX_INCLUSION_PROOF_HASHES, MAX_TLOG_ENTRIES};
use crate::logkey::LogKeyError;
use crate::merkle::{self, Hash, MerkleError};
use crate::registry::SigstoreKey;
use crate::trust_root::{TransparencyLog, TrustedRoot};

/// What the bundle signed, as the caller has decoded it.
#[derive(Debug, Clone, Copy)]
pub enum Content<'a> {
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
pub enum Signer<'a> {
    /// The leaf certificate, DER.
    Certificate(&'a [u8]),
    /// The public key, DER SubjectPublicKeyInfo.
    PublicKey(&'a [u8]),
}

/// A `kindVersion` this verifier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EntryKind {
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
    pub fn kind(self) -> &'static str {
        match self {
            Self::HashedRekord001 | Self::HashedRekord002 => "hashedrekord",
            Self::Dsse001 | Self::Dsse002 => "dsse",
            Self::Intoto002 => "intoto",
        }
    }

    /// `kindVersion.version`.
    pub fn version(self) -> &'static str {
        match self {
            Self::HashedRekord001 | Self::Dsse001 => "0.0.1",
            _ => "0.0.2",
        }
    }

    /// Whether entries of this kind come from a Rekor v2 (tile-based) log.
    pub fn is_rekor_v2(self) -> bool {
        matches!(self, Self::HashedRekord002 | Self::Dsse002)
    }

    fn find(kind: JsonStr<'_>, version: JsonStr<'_>) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| kind.eq_str(k.kind()) && version.eq_str(k.version()))
    }
}

/// A member of a log entry or of its body, for error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TlogField {
    /// `tlogEntries[]`.
    Entry,
    /// `logIndex`.
    LogIndex,
    /// `logId`.
    LogId,
    /// `logId.keyId`.
    KeyId,
    /// `kindVersion`.
    KindVersion,
    /// `kindVersion.kind`.
    Kind,
    /// `kindVersion.version`.
    Version,
    /// `integratedTime`.
    IntegratedTime,
    /// `inclusionPromise`.
    InclusionPromise,
    /// `inclusionPromise.signedEntryTimestamp`.
    SignedEntryTimestamp,
    /// `inclusionProof`.
    InclusionProof,
    /// `inclusionProof.logIndex`.
    ProofLogIndex,
    /// `inclusionProof.rootHash`.
    RootHash,
    /// `inclusionProof.treeSize`.
    TreeSize,
    /// `inclusionProof.hashes`.
    Hashes,
    /// `inclusionProof.checkpoint.envelope`.
    Checkpoint,
    /// `canonicalizedBody`.
    CanonicalizedBody,
    /// `canonicalizedBody kind`.
    BodyKind,
    /// `canonicalizedBody apiVersion`.
    BodyApiVersion,
    /// `canonicalizedBody spec`.
    BodySpec,
    /// `canonicalizedBody digest`.
    BodyDigest,
    /// `canonicalizedBody signature`.
    BodySignature,
    /// `canonicalizedBody verifier`.
    BodyVerifier,
    /// `canonicalizedBody signatures`.
    BodySignatures,
    /// `canonicalizedBody payloadHash`.
    BodyPayloadHash,
}

impl TlogField {
    /// Where the member sits, as written in JSON.
    pub fn json_name(self) -> &'static str {
        match self {
            Self::Entry => "tlogEntries[]",
            Self::LogIndex => "logIndex",
            Self::LogId => "logId",
            Self::KeyId => "logId.keyId",
            Self::KindVersion => "kindVersion",
            Self::Kind => "kindVersion.kind",
            Self::Version => "kindVersion.version",
            Self::IntegratedTime => "integratedTime",
            Self::InclusionPromise => "inclusionPromise",
            Self::SignedEntryTimestamp => "inclusionPromise.signedEntryTimestamp",
            Self::InclusionProof => "inclusionProof",
            Self::ProofLogIndex => "inclusionProof.logIndex",
            Self::RootHash => "inclusionProof.rootHash",
            Self::TreeSize => "inclusionProof.treeSize",
            Self::Hashes => "inclusionProof.hashes",
            Self::Checkpoint => "inclusionProof.checkpoint.envelope",
            Self::CanonicalizedBody => "canonicalizedBody",
            Self::BodyKind => "canonicalizedBody kind",
            Self::BodyApiVersion => "canonicalizedBody apiVersion",
            Self::BodySpec => "canonicalizedBody spec",
            Self::BodyDigest => "canonicalizedBody digest",
            Self::BodySignature => "canonicalizedBody signature",
            Self::BodyVerifier => "canonicalizedBody verifier",
            Self::BodySignatures => "canonicalizedBody signatures",
            Self::BodyPayloadHash => "canonicalizedBody payloadHash",
        }
    }
}

/// Why a transparency-log entry was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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
        field: TlogField,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A signed integer member is negative (check 1).
    Negative(TlogField),
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
}

impl fmt::Display for TlogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoEntries => f.write_str("tlog: the bundle lists no log entry"),
            Self::TooManyEntries => f.write_str("tlog: too many log entries"),
            Self::DuplicateEntry => f.write_str("tlog: the same log entry appears twice"),
            Self::Json(e) => write!(f, "tlog: entry JSON: {e}"),
            Self::Field { field, problem } => {
                write!(f, "tlog: {} {problem}", field.json_name())
            }
            Self::Negative(field) => write!(f, "tlog: {} is negative", field.json_name()),
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
        }
    }
}

/// A verified inclusion proof: the root and size the caller must find in
/// the log's signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inclusion {
    /// `inclusionProof.rootHash`, which the proof leads to.
    pub root: [u8; 32],
    /// `inclusionProof.treeSize`.
    pub tree_size: u64,
    /// `inclusionProof.checkpoint.envelope`, unescaped and not yet verified.
    pub checkpoint: String,
}

/// An entry that passed checks 1–6.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedEntry {
    /// The log's index in [`TrustedRoot::tlogs`].
    pub log: usize,
    /// `logIndex`.
    pub log_index: u64,
    /// The entry's kind.
    pub kind: EntryKind,
    /// `integratedTime`, only when a verified inclusion promise signs it.
    pub integrated_time: Option<u64>,
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
pub fn verify_entries(
    entries: Array<'_>,
    content: &Content<'_>,
    signer: &Signer<'_>,
    signer_key: Option<&SigstoreKey>,
    trust: &TrustedRoot,
    version: BundleVersion,
    now: u64,
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
    now: u64,
}

/// Verifies one entry (checks 1–6).
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
    Ok(VerifiedEntry {
        log,
        log_index: e.log_index,
        kind: e.kind,
        integrated_time,
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
pub fn set_payload(body: &[u8], integrated_time: u64, log_id: &[u8], log_index: u64) -> Vec<u8> {
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
fn decimal(mut v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i = i.saturating_sub(1);
        if let Some(d) = buf.get_mut(i) {
            // reason: v % 10 < 10, so the digit stays in b'0'..=b'9'.
            *d = b'0'.wrapping_add((v % 10) as u8);
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
    hashes: [Hash; MAX_INCLUSION_PROOF_HASHES],
    count: usize,
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
    fn parse(v: Value<'a>) -> Result<Self, TlogError> {
        let o = object(v, TlogField::Entry)?;
        let log_index = int64_at(&o, "logIndex", TlogField::LogIndex)?;
        let log_id = object_at(&o, "logId", TlogField::LogId)?;
        let key_id = base64_of(&log_id, "keyId", TlogField::KeyId)?;
        let kv = object_at(&o, "kindVersion", TlogField::KindVersion)?;
        let kind = EntryKind::find(
            string_at(&kv, "kind", TlogField::Kind)?,
            string_at(&kv, "version", TlogField::Version)?,
        )
        .ok_or(TlogError::UnknownKind)?;
        let integrated_time = member(&o, "integratedTime", TlogField::IntegratedTime)?
            .map(|t| int64(t, TlogField::IntegratedTime))
            .transpose()?;
        let set = member(&o, "inclusionPromise", TlogField::InclusionPromise)?
            .map(|p| {
                let p = object(p, TlogField::InclusionPromise)?;
                base64_of(&p, "signedEntryTimestamp", TlogField::SignedEntryTimestamp)
            })
            .transpose()?;
        let proof = member(&o, "inclusionProof", TlogField::InclusionProof)?
            .map(Proof::parse)
            .transpose()?;
        let body = base64_of(&o, "canonicalizedBody", TlogField::CanonicalizedBody)?;
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
    fn parse(v: Value<'a>) -> Result<Self, TlogError> {
        let o = object(v, TlogField::InclusionProof)?;
        let log_index = int64_at(&o, "logIndex", TlogField::ProofLogIndex)?;
        let tree_size = int64_at(&o, "treeSize", TlogField::TreeSize)?;
        let root = hash_of(
            string_at(&o, "rootHash", TlogField::RootHash)?,
            TlogField::RootHash,
        )?;
        let mut hashes = [[0u8; 32]; MAX_INCLUSION_PROOF_HASHES];
        let mut count = 0usize;
        let list = array_at(&o, "hashes", TlogField::Hashes)?;
        for h in list.iter() {
            let h = string(h.map_err(TlogError::Json)?, TlogField::Hashes)?;
            let slot = hashes
                .get_mut(count)
                .ok_or(TlogError::InclusionProof(MerkleError::ProofTooLong))?;
            *slot = hash_of(h, TlogField::Hashes)?;
            count = count.saturating_add(1);
        }
        let checkpoint = match member(&o, "checkpoint", TlogField::Checkpoint)? {
            None => None,
            Some(cp) => {
                let cp = object(cp, TlogField::Checkpoint)?;
                member(&cp, "envelope", TlogField::Checkpoint)?
                    .map(|e| string(e, TlogField::Checkpoint))
                    .transpose()?
            }
        };
        Ok(Proof {
            log_index,
            tree_size,
            root,
            hashes,
            count,
            checkpoint,
        })
    }
}

/// Check 4: the signed entry timestamp; returns the time it signs.
fn check_set(e: &Entry<'_>, set: &[u8], log: &TransparencyLog, now: u64) -> Result<u64, TlogError> {
    let t = e
        .integrated_time
        .ok_or(field(TlogField::IntegratedTime, Problem::Missing))?;
    if t > now {
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
fn check_proof(e: &Entry<'_>, p: &Proof<'_>) -> Result<Inclusion, TlogError> {
    if e.kind.is_rekor_v2() && p.log_index != e.log_index {
        return Err(TlogError::LogIndexMismatch);
    }
    let hashes = p
        .hashes
        .get(..p.count)
        .ok_or(TlogError::InclusionProof(MerkleError::ProofTooLong))?;
    let leaf = merkle::leaf_hash(&e.body);
    merkle::verify_inclusion(p.log_index, p.tree_size, &leaf, hashes, &p.root)
        .map_err(TlogError::InclusionProof)?;
    // Without a checkpoint the root is unsigned and proves nothing.
    let checkpoint = p
        .checkpoint
        .filter(|c| !c.is_empty())
        .ok_or(field(TlogField::Checkpoint, Problem::Missing))?;
    Ok(Inclusion {
        root: p.root,
        tree_size: p.tree_size,
        checkpoint: checkpoint.chars().collect(),
    })
}

/// What the logged digest must be.
#[derive(Clone, Copy)]
enum Expected<'c> {
    /// The artifact's digest under the hash the entry names.
    Artifact(&'c Digests),
    /// The hash of the envelope's PAE, with the algorithm the entry names.
    Pae {
        payload_type: &'c str,
        payload: &'c [u8],
    },
}

impl Expected<'_> {
    /// The expected digest under `hash`, or `None` when the bundle does not
    /// determine one (an artifact digest is only known as SHA-256).
    fn digest(self, hash: SigHash, out: &mut [u8; 64]) -> Option<usize> {
        match self {
            Expected::Artifact(d) => {
                let d = d.get(hash)?;
                out.get_mut(..d.len())?.copy_from_slice(d);
                Some(d.len())
            }
            Expected::Pae {
                payload_type,
                payload,
            } => {
                let mut h = PrehashState::new(hash);
                let mut digits = [0u8; 20];
                h.update(b"DSSEv1 ");
                h.update(decimal(payload_type.len() as u64, &mut digits));
                h.update(b" ");
                h.update(payload_type.as_bytes());
                h.update(b" ");
                h.update(decimal(payload.len() as u64, &mut digits));
                h.update(b" ");
                h.update(payload);
                Some(h.finalize_into(out))
            }
        }
    }
}

/// Check 3: the body names this entry's kind and describes the bundle.
fn check_body(
    kind: EntryKind,
    body: &[u8],
    content: &Content<'_>,
    signer: &Signer<'_>,
    signer_key: Option<&SigstoreKey>,
) -> Result<(), TlogError> {
    let doc = json::parse(body).map_err(TlogError::BodyJson)?;
    let root = object(doc, TlogField::CanonicalizedBody)?;
    let k = string_at(&root, "kind", TlogField::BodyKind)?;
    let v = string_at(&root, "apiVersion", TlogField::BodyApiVersion)?;
    if !k.eq_str(kind.kind()) || !v.eq_str(kind.version()) {
        return Err(TlogError::KindMismatch);
    }
    let spec = object_at(&root, "spec", TlogField::BodySpec)?;
    match *content {
        Content::MessageSignature { digests, signature } => match kind {
            EntryKind::HashedRekord001 => hashedrekord_v001(&spec, &digests, signature, signer),
            EntryKind::HashedRekord002 => {
                let expected = Expected::Artifact(&digests);
                hashedrekord_v002(&spec, expected, signature, signer, signer_key)
            }
            _ => Err(TlogError::ContentMismatch),
        },
        Content::Dsse {
            payload_type,
            payload,
            signatures,
        } => {
            let env = Logged {
                payload,
                signatures,
                signer: *signer,
            };
            match (kind, signatures) {
                // The entry logs one signature: the envelope must hold just it.
                (EntryKind::HashedRekord002, [signature]) => hashedrekord_v002(
                    &spec,
                    Expected::Pae {
                        payload_type,
                        payload,
                    },
                    signature,
                    signer,
                    signer_key,
                ),
                (EntryKind::HashedRekord002, _) => Err(TlogError::SignatureMismatch),
                (EntryKind::Dsse001, _) => dsse_v001(&spec, &env),
                (EntryKind::Dsse002, _) => Err(TlogError::DsseOnRekorV2),
                (EntryKind::Intoto002, _) => intoto_v002(&spec, &env),
                (EntryKind::HashedRekord001, _) => Err(TlogError::ContentMismatch),
            }
        }
    }
}

/// `hashedrekord` 0.0.1: `data.hash`, `signature.content`,
/// `signature.publicKey.content`.
fn hashedrekord_v001(
    spec: &Object<'_>,
    digest: &Digests,
    signature: &[u8],
    signer: &Signer<'_>,
) -> Result<(), TlogError> {
    let data = object_at(spec, "data", TlogField::BodyDigest)?;
    let hash = object_at(&data, "hash", TlogField::BodyDigest)?;
    hex_hash_matches(&hash, digest)?;
    let sig = object_at(spec, "signature", TlogField::BodySignature)?;
    if base64_of(&sig, "content", TlogField::BodySignature)? != signature {
        return Err(TlogError::SignatureMismatch);
    }
    let key = object_at(&sig, "publicKey", TlogField::BodyVerifier)?;
    pem_signer_matches(string_at(&key, "content", TlogField::BodyVerifier)?, signer)
}

/// `hashedrekord` 0.0.2: `hashedRekordV002.{data, signature}`.
fn hashedrekord_v002(
    spec: &Object<'_>,
    expected: Expected<'_>,
    signature: &[u8],
    signer: &Signer<'_>,
    signer_key: Option<&SigstoreKey>,
) -> Result<(), TlogError> {
    let hr = object_at(spec, "hashedRekordV002", TlogField::BodySpec)?;
    let data = object_at(&hr, "data", TlogField::BodyDigest)?;
    let hash = proto_hash(&data, TlogField::BodyDigest)?;
    let mut want = [0u8; 64];
    let n = expected
        .digest(hash, &mut want)
        .ok_or(TlogError::DigestMismatch)?;
    if Some(base64_of(&data, "digest", TlogField::BodyDigest)?.as_slice()) != want.get(..n) {
        return Err(TlogError::DigestMismatch);
    }
    let sig = object_at(&hr, "signature", TlogField::BodySignature)?;
    v2_signature_matches(&sig, signature, signer)?;
    let Some(key) = signer_key else {
        return Ok(());
    };
    let verifier = object_at(&sig, "verifier", TlogField::BodyVerifier)?;
    let logged = member(&verifier, "keyDetails", TlogField::BodyVerifier)?
        .map(|d| string(d, TlogField::BodyVerifier))
        .transpose()?;
    if logged.is_some_and(|d| key_details_match(key, d)) {
        Ok(())
    } else {
        Err(TlogError::KeyDetailsMismatch)
    }
}

/// Whether `logged` is a protobuf `PublicKeyDetails` Sigstore clients log
/// for `key`: each curve with its hash (sigstore-go and sigstore-python
/// pair them so); an RSA key with SHA-256 under either padding of its size,
/// since the key alone does not fix the padding.
fn key_details_match(key: &SigstoreKey, logged: JsonStr<'_>) -> bool {
    let names: &[&str] = match key {
        SigstoreKey::Ec(PublicKey::P256(_)) => &["PKIX_ECDSA_P256_SHA_256"],
        SigstoreKey::Ec(PublicKey::P384(_)) => &["PKIX_ECDSA_P384_SHA_384"],
        SigstoreKey::Ec(PublicKey::P521(_)) => &["PKIX_ECDSA_P521_SHA_512"],
        SigstoreKey::Rsa(k) => match k.bits() {
            2048 => &["PKIX_RSA_PKCS1V15_2048_SHA256", "PKIX_RSA_PSS_2048_SHA256"],
            3072 => &["PKIX_RSA_PKCS1V15_3072_SHA256", "PKIX_RSA_PSS_3072_SHA256"],
            _ => &["PKIX_RSA_PKCS1V15_4096_SHA256", "PKIX_RSA_PSS_4096_SHA256"],
        },
    };
    names.iter().any(|n| logged.eq_str(n))
}

/// What a DSSE entry must log of the bundle.
struct Logged<'c> {
    payload: &'c [u8],
    signatures: &'c [&'c [u8]],
    signer: Signer<'c>,
}

/// `dsse` 0.0.1: `payloadHash` and `signatures[].{signature, verifier}`.
fn dsse_v001(spec: &Object<'_>, env: &Logged<'_>) -> Result<(), TlogError> {
    let ph = object_at(spec, "payloadHash", TlogField::BodyPayloadHash)?;
    hex_hash_matches(&ph, &payload_sha256(env.payload))?;
    let list = array_at(spec, "signatures", TlogField::BodySignatures)?;
    signatures_match(list, env.signatures, |s| {
        pem_signer_matches(
            string_at(s, "verifier", TlogField::BodyVerifier)?,
            &env.signer,
        )?;
        base64_of(s, "signature", TlogField::BodySignature)
    })
}

/// `intoto` 0.0.2: `content.payloadHash` and
/// `content.envelope.signatures[].{sig, publicKey}`.
fn intoto_v002(spec: &Object<'_>, env: &Logged<'_>) -> Result<(), TlogError> {
    let c = object_at(spec, "content", TlogField::BodySpec)?;
    let ph = object_at(&c, "payloadHash", TlogField::BodyPayloadHash)?;
    hex_hash_matches(&ph, &payload_sha256(env.payload))?;
    let envelope = object_at(&c, "envelope", TlogField::BodySpec)?;
    let list = array_at(&envelope, "signatures", TlogField::BodySignatures)?;
    signatures_match(list, env.signatures, |s| {
        pem_signer_matches(
            string_at(s, "publicKey", TlogField::BodyVerifier)?,
            &env.signer,
        )?;
        // Base64 of the base64 text of the signature. Text that is not
        // base64 inside is no signature of the bundle's (sigstore-go reads
        // it as empty and reports a mismatch).
        let text = base64_of(s, "sig", TlogField::BodySignature)?;
        decode_base64_bytes(text, TlogField::BodySignature)
            .map_err(|_| TlogError::SignatureMismatch)
    })
}

/// The logged signatures, each read by `read` (which also checks its
/// verifier), equal the envelope's as a set.
fn signatures_match(
    list: Array<'_>,
    wanted: &[&[u8]],
    read: impl Fn(&Object<'_>) -> Result<Vec<u8>, TlogError>,
) -> Result<(), TlogError> {
    if wanted.len() > MAX_DSSE_SIGNATURES {
        return Err(field(TlogField::BodySignatures, Problem::TooLong));
    }
    let mut used = [false; MAX_DSSE_SIGNATURES];
    let mut n = 0usize;
    for item in list.iter() {
        let item = object(
            item.map_err(TlogError::BodyJson)?,
            TlogField::BodySignatures,
        )?;
        let sig = read(&item)?;
        n = n.saturating_add(1);
        if n > wanted.len() {
            return Err(TlogError::SignatureMismatch);
        }
        let slot = wanted
            .iter()
            .zip(used.iter_mut())
            .find(|(w, u)| !**u && **w == sig.as_slice())
            .ok_or(TlogError::SignatureMismatch)?;
        *slot.1 = true;
    }
    if n == wanted.len() {
        Ok(())
    } else {
        Err(TlogError::SignatureMismatch)
    }
}

/// A Rekor v2 `Signature`: `content` is `signature`, `verifier` the signer.
fn v2_signature_matches(
    sig: &Object<'_>,
    signature: &[u8],
    signer: &Signer<'_>,
) -> Result<(), TlogError> {
    if base64_of(sig, "content", TlogField::BodySignature)? != signature {
        return Err(TlogError::SignatureMismatch);
    }
    let verifier = object_at(sig, "verifier", TlogField::BodyVerifier)?;
    v2_verifier_matches(&verifier, signer)
}

/// A Rekor v2 `Verifier`: exactly one of `x509Certificate.rawBytes` and
/// `publicKey.rawBytes`, equal to the signer's DER.
fn v2_verifier_matches(v: &Object<'_>, signer: &Signer<'_>) -> Result<(), TlogError> {
    let cert = member(v, "x509Certificate", TlogField::BodyVerifier)?;
    let key = member(v, "publicKey", TlogField::BodyVerifier)?;
    let (is_cert, holder) = match (cert, key) {
        (Some(c), None) => (true, c),
        (None, Some(k)) => (false, k),
        _ => return Err(field(TlogField::BodyVerifier, Problem::Invalid)),
    };
    let der = base64_of(
        &object(holder, TlogField::BodyVerifier)?,
        "rawBytes",
        TlogField::BodyVerifier,
    )?;
    signer_is(signer, is_cert, &der)
}

/// A Rekor v1 verifier: base64 of a PEM `CERTIFICATE` or `PUBLIC KEY`
/// whose DER is the signer's.
fn pem_signer_matches(b64_pem: JsonStr<'_>, signer: &Signer<'_>) -> Result<(), TlogError> {
    let invalid = |_| field(TlogField::BodyVerifier, Problem::Invalid);
    let pem = decode_base64(b64_pem, TlogField::BodyVerifier)?;
    // Rekor stores whatever PEM the client sent: Go and Python wrap at 64
    // columns, some clients not at all (the intoto entries of
    // sigstore-conformance hold one long line), so the width is detected.
    let mut decoder = pem_rfc7468::Decoder::new_detect_wrap(&pem).map_err(invalid)?;
    let mut der = Vec::new();
    decoder.decode_to_end(&mut der).map_err(invalid)?;
    let is_cert = match decoder.type_label() {
        "CERTIFICATE" => true,
        "PUBLIC KEY" => false,
        _ => return Err(field(TlogField::BodyVerifier, Problem::Invalid)),
    };
    signer_is(signer, is_cert, &der)
}

fn signer_is(signer: &Signer<'_>, is_cert: bool, der: &[u8]) -> Result<(), TlogError> {
    let same = match signer {
        Signer::Certificate(c) => is_cert && *c == der,
        Signer::PublicKey(k) => !is_cert && *k == der,
    };
    if same {
        Ok(())
    } else {
        Err(TlogError::SignerMismatch)
    }
}

/// The SHA-256 of a DSSE payload, as the only digest known of it.
fn payload_sha256(payload: &[u8]) -> Digests {
    let mut d = Digests::default();
    d.set(SigHash::Sha256, &Sha256::digest(payload));
    d
}

/// A Rekor v1 hash object `{algorithm, value}` (hex): the digest `digest`
/// holds under that algorithm (`sha256`, `sha384` or `sha512`).
fn hex_hash_matches(hash: &Object<'_>, digest: &Digests) -> Result<(), TlogError> {
    let f = TlogField::BodyDigest;
    let alg = string_at(hash, "algorithm", f)?;
    let hash_alg = SigHash::ALL
        .into_iter()
        .find(|h| alg.eq_str(h.lower_name()))
        .ok_or(field(f, Problem::Invalid))?;
    let want = digest.get(hash_alg);
    let value = string_at(hash, "value", f)?;
    let mut hex = value.bytes();
    let mut equal = want.is_some();
    let mut n = 0usize;
    while let Some(hi) = hex.next() {
        let lo = hex.next().ok_or(field(f, Problem::Invalid))?;
        let b = match (hex_val(hi), hex_val(lo)) {
            (Some(h), Some(l)) => (h << 4) | l,
            _ => return Err(field(f, Problem::Invalid)),
        };
        equal &= want.and_then(|w| w.get(n)) == Some(&b);
        n = n.saturating_add(1);
    }
    if equal && Some(n) == want.map(<[u8]>::len) {
        Ok(())
    } else {
        Err(TlogError::DigestMismatch)
    }
}

/// A protobuf `HashAlgorithm` name in `obj.algorithm`.
fn proto_hash(obj: &Object<'_>, f: TlogField) -> Result<SigHash, TlogError> {
    let alg = string_at(obj, "algorithm", f)?;
    [
        ("SHA2_256", SigHash::Sha256),
        ("SHA2_384", SigHash::Sha384),
        ("SHA2_512", SigHash::Sha512),
    ]
    .into_iter()
    .find(|(name, _)| alg.eq_str(name))
    .map(|(_, h)| h)
    .ok_or(field(f, Problem::Invalid))
}

// JSON access, mapping problems to `TlogError`s. `null` reads as absent,
// as protobuf JSON allows.

fn field(field: TlogField, problem: Problem) -> TlogError {
    TlogError::Field { field, problem }
}

fn member<'a>(o: &Object<'a>, key: &str, f: TlogField) -> Result<Option<Value<'a>>, TlogError> {
    match o.get(key) {
        Ok(v) => Ok(v.filter(|v| !v.is_null())),
        Err(JsonError::DuplicateKey) => Err(field(f, Problem::Duplicate)),
        Err(e) => Err(TlogError::Json(e)),
    }
}

fn required<'a>(o: &Object<'a>, key: &str, f: TlogField) -> Result<Value<'a>, TlogError> {
    member(o, key, f)?.ok_or(field(f, Problem::Missing))
}

fn object_at<'a>(o: &Object<'a>, key: &str, f: TlogField) -> Result<Object<'a>, TlogError> {
    object(required(o, key, f)?, f)
}

fn array_at<'a>(o: &Object<'a>, key: &str, f: TlogField) -> Result<Array<'a>, TlogError> {
    array(required(o, key, f)?, f)
}

fn string_at<'a>(o: &Object<'a>, key: &str, f: TlogField) -> Result<JsonStr<'a>, TlogError> {
    string(required(o, key, f)?, f)
}

fn object<'a>(v: Value<'a>, f: TlogField) -> Result<Object<'a>, TlogError> {
    v.object().map_err(|_| field(f, Problem::WrongType))
}

fn array<'a>(v: Value<'a>, f: TlogField) -> Result<Array<'a>, TlogError> {
    v.array().map_err(|_| field(f, Problem::WrongType))
}

fn string<'a>(v: Value<'a>, f: TlogField) -> Result<JsonStr<'a>, TlogError> {
    v.str().map_err(|_| field(f, Problem::WrongType))
}

/// Standard padded base64, as protobuf JSON writes `bytes`.
fn decode_base64(s: JsonStr<'_>, f: TlogField) -> Result<Vec<u8>, TlogError> {
    decode_base64_bytes(s.bytes().collect(), f)
}

fn decode_base64_bytes(mut text: Vec<u8>, f: TlogField) -> Result<Vec<u8>, TlogError> {
    let n = Base64::decode_in_place(&mut text)
        .map_err(|_| field(f, Problem::Base64))?
        .len();
    text.truncate(n);
    Ok(text)
}

fn base64_of(o: &Object<'_>, key: &str, f: TlogField) -> Result<Vec<u8>, TlogError> {
    decode_base64(string_at(o, key, f)?, f)
}

fn hash_of(s: JsonStr<'_>, f: TlogField) -> Result<Hash, TlogError> {
    decode_base64(s, f)?
        .try_into()
        .map_err(|_| field(f, Problem::Invalid))
}

fn int64_at(o: &Object<'_>, key: &str, f: TlogField) -> Result<u64, TlogError> {
    int64(required(o, key, f)?, f)
}

/// A protobuf JSON `int64` that must not be negative: a decimal string
/// (canonical, as protobuf JSON writes it) or a plain JSON integer, at most
/// 2^63 − 1.
fn int64(v: Value<'_>, f: TlogField) -> Result<u64, TlogError> {
    let text = match v.kind() {
        Kind::String => {
            let s = string(v, f)?;
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
            .filter(|n| *n <= i64::MAX as u64)
            .ok_or(field(f, Problem::Invalid))?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_SPKI_BYTES;
    use crate::logkey::{KeyDetails, LogKey};
    use crate::merkle::testing::{mth, path};
    use crate::trust_root::{TimeRange, UnixInstant};
    use ecdsa::signature::Signer as _;
    use p256::ecdsa::{DerSignature, SigningKey};
    use std::format;
    use std::string::String;
    use std::vec;

    const NOW: u64 = 1_700_000_000;
    const T: u64 = 1_690_000_000;
    /// Stand-ins for a certificate's and a key's DER: the body binding
    /// compares bytes, it does not parse them.
    const CERT: &[u8] = b"\x30\x03\x02\x01\x01";
    const KEY: &[u8] = b"\x30\x03\x02\x01\x02";
    const OTHER: &[u8] = b"\x30\x03\x02\x01\x03";
    const SIG: &[u8] = b"the artifact signature";
    const SIG2: &[u8] = b"a second signature";
    const PAYLOAD: &[u8] = br#"{"_type":"https://in-toto.io/Statement/v1"}"#;
    const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

    fn b64(b: &[u8]) -> String {
        let mut out = vec![0u8; Base64::encoded_len(b)];
        Base64::encode(b, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn pem_b64(label: &str, der: &[u8]) -> String {
        b64(
            pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
                .unwrap()
                .as_bytes(),
        )
    }

    fn digest() -> [u8; 32] {
        Sha256::digest(b"artifact").into()
    }

    fn message() -> Content<'static> {
        Content::MessageSignature {
            digests: sha256_only(&digest()),
            signature: SIG,
        }
    }

    fn sha256_only(d: &[u8; 32]) -> Digests {
        let mut out = Digests::default();
        assert!(out.set(SigHash::Sha256, d));
        out
    }

    fn dsse(signatures: &'static [&'static [u8]]) -> Content<'static> {
        Content::Dsse {
            payload_type: PAYLOAD_TYPE,
            payload: PAYLOAD,
            signatures,
        }
    }

    /// The DSSE v1 PAE of the test envelope, spelled out.
    fn pae() -> Vec<u8> {
        let mut pae = format!(
            "DSSEv1 {} {PAYLOAD_TYPE} {} ",
            PAYLOAD_TYPE.len(),
            PAYLOAD.len()
        )
        .into_bytes();
        pae.extend_from_slice(PAYLOAD);
        pae
    }

    fn pae_sha256() -> Vec<u8> {
        Sha256::digest(pae()).to_vec()
    }

    fn cx<'c>(
        content: &'c Content<'c>,
        signer: &'c Signer<'c>,
        trust: &'c TrustedRoot,
        version: BundleVersion,
    ) -> Context<'c> {
        Context {
            content,
            signer,
            signer_key: None,
            trust,
            version,
            now: NOW,
        }
    }

    struct Log {
        sk: SigningKey,
        root: TrustedRoot,
        id: Vec<u8>,
    }

    fn log() -> Log {
        let sk = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let mut buf = [0u8; MAX_SPKI_BYTES];
        let der = PublicKey::P256(*sk.verifying_key())
            .to_spki_der(&mut buf)
            .unwrap()
            .to_vec();
        let id = Sha256::digest(&der).to_vec();
        let root = TrustedRoot {
            tlogs: vec![TransparencyLog {
                base_url: "https://log.example".into(),
                key: LogKey {
                    details: KeyDetails::EcdsaP256Sha256,
                    der,
                },
                valid_for: TimeRange::seconds(Some(1_600_000_000), None),
                log_id: id.clone(),
            }],
            ..TrustedRoot::default()
        };
        Log { sk, root, id }
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Set {
        No,
        Good,
        Bad,
    }

    #[derive(Clone)]
    struct Proof {
        index: String,
        size: u64,
        corrupt: bool,
        checkpoint: bool,
        extra_hashes: usize,
    }

    /// A log entry to render as protobuf JSON.
    #[derive(Clone)]
    struct E {
        kind: &'static str,
        version: &'static str,
        body: Vec<u8>,
        log_index: String,
        key_id: Option<Vec<u8>>,
        time: Option<String>,
        set: Set,
        proof: Option<Proof>,
    }

    impl E {
        /// A Rekor v1 entry at index 42 with a SET and an inclusion proof.
        fn v1(kind: &'static str, version: &'static str, body: String) -> Self {
            E {
                kind,
                version,
                body: body.into_bytes(),
                log_index: "\"42\"".into(),
                key_id: None,
                time: Some(format!("\"{T}\"")),
                set: Set::Good,
                proof: Some(Proof {
                    index: "\"42\"".into(),
                    size: 50,
                    corrupt: false,
                    checkpoint: true,
                    extra_hashes: 0,
                }),
            }
        }

        /// A Rekor v2 entry: no time, no SET.
        fn v2(kind: &'static str, body: String) -> Self {
            E {
                time: None,
                set: Set::No,
                ..E::v1(kind, "0.0.2", body)
            }
        }

        fn render(&self, log: &Log) -> String {
            let key_id = self.key_id.clone().unwrap_or_else(|| log.id.clone());
            let mut parts = vec![
                format!("\"logIndex\":{}", self.log_index),
                format!("\"logId\":{{\"keyId\":\"{}\"}}", b64(&key_id)),
                format!(
                    "\"kindVersion\":{{\"kind\":\"{}\",\"version\":\"{}\"}}",
                    self.kind, self.version
                ),
            ];
            if let Some(t) = &self.time {
                parts.push(format!("\"integratedTime\":{t}"));
            }
            if self.set != Set::No {
                let num = |s: &str| s.trim_matches('"').parse::<u64>().unwrap();
                let t = num(self.time.as_deref().unwrap_or("0"));
                let mut payload = set_payload(&self.body, t, &key_id, num(&self.log_index));
                if self.set == Set::Bad {
                    payload.push(b' ');
                }
                let sig: DerSignature = log.sk.sign(&payload);
                parts.push(format!(
                    "\"inclusionPromise\":{{\"signedEntryTimestamp\":\"{}\"}}",
                    b64(sig.as_bytes())
                ));
            }
            if let Some(p) = &self.proof {
                let index = p.index.trim_matches('"').parse::<u64>().unwrap_or(0);
                let leaves: Vec<Hash> = (0..p.size)
                    .map(|i| {
                        if i == index {
                            merkle::leaf_hash(&self.body)
                        } else {
                            merkle::leaf_hash(&i.to_be_bytes())
                        }
                    })
                    .collect();
                let root = mth(&leaves);
                let mut hashes = path(index as usize, &leaves);
                if p.corrupt {
                    hashes[0][0] ^= 1;
                }
                hashes.extend(std::iter::repeat_n(root, p.extra_hashes));
                let hashes: Vec<String> =
                    hashes.iter().map(|h| format!("\"{}\"", b64(h))).collect();
                let checkpoint = if p.checkpoint {
                    format!(
                        ",\"checkpoint\":{{\"envelope\":\"log.example\\n{}\\n{}\\n\\n\\u2014 log.example AAAA\\n\"}}",
                        p.size,
                        b64(&root)
                    )
                } else {
                    String::new()
                };
                parts.push(format!(
                    "\"inclusionProof\":{{\"logIndex\":{},\"rootHash\":\"{}\",\"treeSize\":\"{}\",\"hashes\":[{}]{checkpoint}}}",
                    p.index,
                    b64(&root),
                    p.size,
                    hashes.join(",")
                ));
            }
            parts.push(format!("\"canonicalizedBody\":\"{}\"", b64(&self.body)));
            format!("{{{}}}", parts.join(","))
        }

        fn check(
            &self,
            log: &Log,
            content: &Content<'_>,
            signer: &Signer<'_>,
            version: BundleVersion,
        ) -> Result<VerifiedEntry, TlogError> {
            let text = self.render(log);
            let v = json::parse(text.as_bytes()).unwrap();
            verify_entry(v, &cx(content, signer, &log.root, version))
        }

        fn ok(&self, content: &Content<'_>, signer: &Signer<'_>) -> VerifiedEntry {
            let log = log();
            self.check(&log, content, signer, BundleVersion::V0_3)
                .unwrap_or_else(|e| panic!("{e} ({e:?}): {}", self.render(&log)))
        }

        fn err(&self, content: &Content<'_>, signer: &Signer<'_>) -> TlogError {
            self.check(&log(), content, signer, BundleVersion::V0_3)
                .unwrap_err()
        }
    }

    fn hashedrekord_v001(alg: &str, digest: &[u8], sig: &[u8], verifier: &str) -> String {
        format!(
            r#"{{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{{"data":{{"hash":{{"algorithm":"{alg}","value":"{}"}}}},"signature":{{"content":"{}","publicKey":{{"content":"{verifier}"}}}}}}}}"#,
            hex(digest),
            b64(sig)
        )
    }

    fn v2_verifier(field: &str, der: &[u8]) -> String {
        format!(
            r#"{{"keyDetails":"PKIX_ECDSA_P256_SHA_256","{field}":{{"rawBytes":"{}"}}}}"#,
            b64(der)
        )
    }

    fn hashedrekord_v002(alg: &str, digest: &[u8], sig: &[u8], verifier: &str) -> String {
        format!(
            r#"{{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{{"hashedRekordV002":{{"data":{{"algorithm":"{alg}","digest":"{}"}},"signature":{{"content":"{}","verifier":{verifier}}}}}}}}}"#,
            b64(digest),
            b64(sig)
        )
    }

    fn dsse_v001(payload_hash: &[u8], sigs: &[(&[u8], &str)]) -> String {
        let sigs: Vec<String> = sigs
            .iter()
            .map(|(s, v)| format!(r#"{{"signature":"{}","verifier":"{v}"}}"#, b64(s)))
            .collect();
        format!(
            r#"{{"apiVersion":"0.0.1","kind":"dsse","spec":{{"envelopeHash":{{"algorithm":"sha256","value":"{}"}},"payloadHash":{{"algorithm":"sha256","value":"{}"}},"signatures":[{}]}}}}"#,
            hex(&[0; 32]),
            hex(payload_hash),
            sigs.join(",")
        )
    }

    fn dsse_v002(payload_hash: &[u8], sigs: &[(&[u8], &str)]) -> String {
        let sigs: Vec<String> = sigs
            .iter()
            .map(|(s, v)| format!(r#"{{"content":"{}","verifier":{v}}}"#, b64(s)))
            .collect();
        format!(
            r#"{{"apiVersion":"0.0.2","kind":"dsse","spec":{{"dsseV002":{{"payloadHash":{{"algorithm":"SHA2_256","digest":"{}"}},"signatures":[{}]}}}}}}"#,
            b64(payload_hash),
            sigs.join(",")
        )
    }

    fn intoto_v002(payload_hash: &[u8], sigs: &[(&str, &str)]) -> String {
        let sigs: Vec<String> = sigs
            .iter()
            .map(|(s, v)| format!(r#"{{"publicKey":"{v}","sig":"{s}"}}"#))
            .collect();
        format!(
            r#"{{"apiVersion":"0.0.2","kind":"intoto","spec":{{"content":{{"envelope":{{"payloadType":"{PAYLOAD_TYPE}","signatures":[{}]}},"hash":{{"algorithm":"sha256","value":"{}"}},"payloadHash":{{"algorithm":"sha256","value":"{}"}}}}}}}}"#,
            sigs.join(","),
            hex(&[0; 32]),
            hex(payload_hash)
        )
    }

    fn double_b64(sig: &[u8]) -> String {
        b64(b64(sig).as_bytes())
    }

    #[test]
    fn set_payload_is_canonical_json() {
        assert_eq!(
            set_payload(b"{}", 1, &[0xab, 0x01, 0xff], 0),
            br#"{"body":"e30=","integratedTime":1,"logID":"ab01ff","logIndex":0}"#
        );
        let p = set_payload(b"\xfb\xff", u64::MAX, &[], 1_234_567_890);
        assert_eq!(
            std::str::from_utf8(&p).unwrap(),
            r#"{"body":"+/8=","integratedTime":18446744073709551615,"logID":"","logIndex":1234567890}"#
        );
    }

    #[test]
    fn hashedrekord_v001_binds_digest_signature_and_signer() {
        let cert = Signer::Certificate(CERT);
        let pem = pem_b64("CERTIFICATE", CERT);
        let body = |alg: &str, d: &[u8], s: &[u8], v: &str| {
            E::v1("hashedrekord", "0.0.1", hashedrekord_v001(alg, d, s, v))
        };
        let good = body("sha256", &digest(), SIG, &pem).ok(&message(), &cert);
        assert_eq!(good.integrated_time, Some(T));
        assert_eq!(good.log_index, 42);
        assert!(!good.rekor_v2);
        assert_eq!(good.kind, EntryKind::HashedRekord001);
        // Upper-case hex is the same digest.
        let upper = hashedrekord_v001("sha256", &digest(), SIG, &pem)
            .replace(&hex(&digest()), &hex(&digest()).to_uppercase());
        E::v1("hashedrekord", "0.0.1", upper).ok(&message(), &cert);
        // A key signer, logged as a PUBLIC KEY PEM.
        let key = Signer::PublicKey(KEY);
        body("sha256", &digest(), SIG, &pem_b64("PUBLIC KEY", KEY)).ok(&message(), &key);
        // A P-384 or P-521 signer logs the digest its key signs: any one
        // the bundle knows of the artifact binds it.
        let all = Content::MessageSignature {
            digests: Digests::of(b"artifact"),
            signature: SIG,
        };
        for h in [SigHash::Sha384, SigHash::Sha512] {
            let d = h.digest(b"artifact");
            body(h.lower_name(), &d[..h.len()], SIG, &pem).ok(&all, &cert);
            assert_eq!(
                body(h.lower_name(), &d[..h.len()], SIG, &pem).err(&message(), &cert),
                TlogError::DigestMismatch
            );
        }

        let mut other = digest();
        other[0] ^= 1;
        for (e, want) in [
            (body("sha256", &other, SIG, &pem), TlogError::DigestMismatch),
            (
                body("sha256", &digest()[..31], SIG, &pem),
                TlogError::DigestMismatch,
            ),
            (
                body("sha512", &digest(), SIG, &pem),
                TlogError::DigestMismatch,
            ),
            (
                body("md5", &digest(), SIG, &pem),
                field(TlogField::BodyDigest, Problem::Invalid),
            ),
            (
                body("sha256", &digest(), SIG2, &pem),
                TlogError::SignatureMismatch,
            ),
            (
                body("sha256", &digest(), SIG, &pem_b64("CERTIFICATE", OTHER)),
                TlogError::SignerMismatch,
            ),
            (
                body("sha256", &digest(), SIG, &pem_b64("PUBLIC KEY", CERT)),
                TlogError::SignerMismatch,
            ),
            (
                body("sha256", &digest(), SIG, &pem_b64("PRIVATE KEY", CERT)),
                field(TlogField::BodyVerifier, Problem::Invalid),
            ),
            (
                body("sha256", &digest(), SIG, "bm90IGEgUEVN"),
                field(TlogField::BodyVerifier, Problem::Invalid),
            ),
            (
                body("sha256", &digest(), SIG, "%%%"),
                field(TlogField::BodyVerifier, Problem::Base64),
            ),
        ] {
            assert_eq!(e.err(&message(), &cert), want, "{}", e.render(&log()));
        }
        // A key bundle whose entry logs a certificate, and the reverse.
        assert_eq!(
            body("sha256", &digest(), SIG, &pem).err(&message(), &Signer::PublicKey(CERT)),
            TlogError::SignerMismatch
        );
        // A DSSE bundle cannot be described by hashedrekord 0.0.1.
        assert_eq!(
            body("sha256", &digest(), SIG, &pem).err(&dsse(&[SIG]), &cert),
            TlogError::ContentMismatch
        );
    }

    #[test]
    fn body_kind_and_encoding() {
        let cert = Signer::Certificate(CERT);
        let pem = pem_b64("CERTIFICATE", CERT);
        let body = hashedrekord_v001("sha256", &digest(), SIG, &pem);
        // kindVersion naming another kind than the body.
        let mut e = E::v1("dsse", "0.0.1", body.clone());
        assert_eq!(e.err(&message(), &cert), TlogError::KindMismatch);
        e = E::v1(
            "hashedrekord",
            "0.0.1",
            body.replace("\"0.0.1\"", "\"0.0.2\""),
        );
        assert_eq!(e.err(&message(), &cert), TlogError::KindMismatch);
        // Kinds this verifier does not read.
        for (k, v) in [
            ("hashedrekord", "0.0.3"),
            ("rekord", "0.0.1"),
            ("intoto", "0.0.1"),
        ] {
            e = E::v1(k, v, body.clone());
            assert_eq!(e.err(&message(), &cert), TlogError::UnknownKind, "{k} {v}");
        }
        // A body that is not JSON, and one that is not base64.
        e = E::v1("hashedrekord", "0.0.1", "{\"kind\":".into());
        assert!(matches!(e.err(&message(), &cert), TlogError::BodyJson(_)));
        let text = E::v1("hashedrekord", "0.0.1", body.clone())
            .render(&log())
            .replace("\"canonicalizedBody\":\"", "\"canonicalizedBody\":\"*");
        let v = json::parse(text.as_bytes()).unwrap();
        assert_eq!(
            verify_entry(v, &cx(&message(), &cert, &log().root, BundleVersion::V0_3)),
            Err(field(TlogField::CanonicalizedBody, Problem::Base64))
        );
        // A duplicated body member.
        e = E::v1(
            "hashedrekord",
            "0.0.1",
            body.replacen(
                "{\"apiVersion\":\"0.0.1\",",
                "{\"apiVersion\":\"0.0.1\",\"apiVersion\":\"0.0.1\",",
                1,
            ),
        );
        assert_eq!(
            e.err(&message(), &cert),
            field(TlogField::BodyApiVersion, Problem::Duplicate)
        );
    }

    #[test]
    fn hashedrekord_v002_names_the_signer_key_algorithm() {
        let l = log();
        let (m, c) = (message(), Signer::Certificate(CERT));
        let p256 = SigstoreKey::Ec(PublicKey::P256(
            *SigningKey::from_slice(&[7; 32]).unwrap().verifying_key(),
        ));
        let p384 = SigstoreKey::Ec(PublicKey::P384(
            *p384::ecdsa::SigningKey::from_slice(&[7; 48])
                .unwrap()
                .verifying_key(),
        ));
        let with = |e: &E, key: Option<&SigstoreKey>| {
            let text = e.render(&l);
            let v = json::parse(text.as_bytes()).unwrap();
            let mut cx = cx(&m, &c, &l.root, BundleVersion::V0_3);
            cx.signer_key = key;
            verify_entry(v, &cx).map(|_| ())
        };
        let mismatch = Err(TlogError::KeyDetailsMismatch);
        assert_eq!(with(&hr002(), Some(&p256)), Ok(()));
        assert_eq!(with(&hr002(), Some(&p384)), mismatch);
        let bare = format!(r#"{{"x509Certificate":{{"rawBytes":"{}"}}}}"#, b64(CERT));
        let no_details = E::v2(
            "hashedrekord",
            hashedrekord_v002("SHA2_256", &digest(), SIG, &bare),
        );
        assert_eq!(with(&no_details, Some(&p256)), mismatch);
        // Without a readable key there is nothing to compare (nothing
        // verifies then either).
        assert_eq!(with(&no_details, None), Ok(()));
        // A Rekor v1 body names no algorithm.
        assert_eq!(with(&hr001(), Some(&p384)), Ok(()));
    }

    #[test]
    fn hashedrekord_v002_binds_artifact_or_envelope() {
        let cert = Signer::Certificate(CERT);
        let x509 = v2_verifier("x509Certificate", CERT);
        let body = |alg: &str, d: &[u8], s: &[u8], v: &str| {
            E::v2("hashedrekord", hashedrekord_v002(alg, d, s, v))
        };
        let good = body("SHA2_256", &digest(), SIG, &x509).ok(&message(), &cert);
        assert!(good.rekor_v2);
        assert_eq!(good.integrated_time, None);
        assert_eq!(good.kind, EntryKind::HashedRekord002);
        let key = Signer::PublicKey(KEY);
        body("SHA2_256", &digest(), SIG, &v2_verifier("publicKey", KEY)).ok(&message(), &key);
        // The artifact's SHA-384 or SHA-512, when the bundle knows it.
        let all = Content::MessageSignature {
            digests: Digests::of(b"artifact"),
            signature: SIG,
        };
        for h in [SigHash::Sha384, SigHash::Sha512] {
            let d = h.digest(b"artifact");
            body(h.proto_name(), &d[..h.len()], SIG, &x509).ok(&all, &cert);
        }

        // Hashedrekord over DSSE: the digest is the envelope's PAE hash,
        // under the algorithm the entry names.
        body("SHA2_256", &pae_sha256(), SIG, &x509).ok(&dsse(&[SIG]), &cert);
        let pae384 = sha2::Sha384::digest(pae());
        body("SHA2_384", &pae384, SIG, &x509).ok(&dsse(&[SIG]), &cert);

        let sha256_payload = Sha256::digest(PAYLOAD);
        let both = format!(
            r#"{{"x509Certificate":{{"rawBytes":"{0}"}},"publicKey":{{"rawBytes":"{0}"}}}}"#,
            b64(CERT)
        );
        for (e, content, want) in [
            (
                body("SHA2_256", &sha256_payload, SIG, &x509),
                dsse(&[SIG]),
                TlogError::DigestMismatch,
            ),
            (
                body("SHA2_384", &pae_sha256(), SIG, &x509),
                dsse(&[SIG]),
                TlogError::DigestMismatch,
            ),
            (
                body("SHA2_256", &pae_sha256(), SIG, &x509),
                dsse(&[SIG, SIG2]),
                TlogError::SignatureMismatch,
            ),
            (
                body("SHA2_256", &pae_sha256(), SIG2, &x509),
                dsse(&[SIG]),
                TlogError::SignatureMismatch,
            ),
            (
                body("SHA2_384", &digest(), SIG, &x509),
                message(),
                TlogError::DigestMismatch,
            ),
            (
                body("SHA2_256", &pae_sha256(), SIG, &x509),
                message(),
                TlogError::DigestMismatch,
            ),
            (
                body("SHA2_256", &digest(), SIG2, &x509),
                message(),
                TlogError::SignatureMismatch,
            ),
            (
                body(
                    "SHA2_256",
                    &digest(),
                    SIG,
                    &v2_verifier("x509Certificate", OTHER),
                ),
                message(),
                TlogError::SignerMismatch,
            ),
            (
                body("SHA2_256", &digest(), SIG, &v2_verifier("publicKey", CERT)),
                message(),
                TlogError::SignerMismatch,
            ),
            (
                body("SHA2_256", &digest(), SIG, &both),
                message(),
                field(TlogField::BodyVerifier, Problem::Invalid),
            ),
            (
                body("SHA256", &digest(), SIG, &x509),
                message(),
                field(TlogField::BodyDigest, Problem::Invalid),
            ),
        ] {
            assert_eq!(e.err(&content, &cert), want, "{}", e.render(&log()));
        }
    }

    #[test]
    fn dsse_entries_bind_payload_and_signature_set() {
        let cert = Signer::Certificate(CERT);
        let pem = pem_b64("CERTIFICATE", CERT);
        let x509 = v2_verifier("x509Certificate", CERT);
        let ph: [u8; 32] = Sha256::digest(PAYLOAD).into();
        let two = dsse(&[SIG, SIG2]);
        // v0.0.1, with the signatures in either order.
        E::v1(
            "dsse",
            "0.0.1",
            dsse_v001(&ph, &[(SIG2, &pem), (SIG, &pem)]),
        )
        .ok(&two, &cert);
        // Rekor v2 logs DSSE as hashedrekord 0.0.2: a dsse 0.0.2 entry is
        // refused even when it describes the envelope exactly.
        assert_eq!(
            E::v2("dsse", dsse_v002(&ph, &[(SIG, &x509), (SIG2, &x509)])).err(&two, &cert),
            TlogError::DsseOnRekorV2
        );

        let other_pem = pem_b64("CERTIFICATE", OTHER);
        let mut bad_ph = ph;
        bad_ph[5] ^= 1;
        for (e, want) in [
            (dsse_v001(&ph, &[(SIG, &pem)]), TlogError::SignatureMismatch),
            (
                dsse_v001(&ph, &[(SIG, &pem), (SIG, &pem)]),
                TlogError::SignatureMismatch,
            ),
            (
                dsse_v001(&ph, &[(SIG, &pem), (SIG2, &pem), (SIG2, &pem)]),
                TlogError::SignatureMismatch,
            ),
            (dsse_v001(&ph, &[]), TlogError::SignatureMismatch),
            (
                dsse_v001(&bad_ph, &[(SIG, &pem), (SIG2, &pem)]),
                TlogError::DigestMismatch,
            ),
            (
                dsse_v001(&ph, &[(SIG, &pem), (SIG2, &other_pem)]),
                TlogError::SignerMismatch,
            ),
        ] {
            assert_eq!(
                E::v1("dsse", "0.0.1", e.clone()).err(&two, &cert),
                want,
                "{e}"
            );
        }
        // A message signature cannot be described by a DSSE entry.
        assert_eq!(
            E::v1("dsse", "0.0.1", dsse_v001(&ph, &[(SIG, &pem)])).err(&message(), &cert),
            TlogError::ContentMismatch
        );
        assert_eq!(
            E::v2("dsse", dsse_v002(&ph, &[(SIG, &x509)])).err(&message(), &cert),
            TlogError::DsseOnRekorV2
        );
    }

    #[test]
    fn intoto_v002_signatures_are_base64_twice() {
        let cert = Signer::Certificate(CERT);
        let pem = pem_b64("CERTIFICATE", CERT);
        let ph: [u8; 32] = Sha256::digest(PAYLOAD).into();
        let one = dsse(&[SIG]);
        let e = E::v1(
            "intoto",
            "0.0.2",
            intoto_v002(&ph, &[(&double_b64(SIG), &pem)]),
        );
        let ok = e.ok(&one, &cert);
        assert_eq!((ok.kind, ok.rekor_v2), (EntryKind::Intoto002, false));
        // A PEM on one long line (as some clients log it) reads the same.
        let one_line = b64(format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            b64(CERT)
        )
        .as_bytes());
        E::v1(
            "intoto",
            "0.0.2",
            intoto_v002(&ph, &[(&double_b64(SIG), &one_line)]),
        )
        .ok(&one, &cert);

        let mut bad_ph = ph;
        bad_ph[0] ^= 1;
        for (body, want) in [
            // Encoded once only: not the bundle's signature.
            (
                intoto_v002(&ph, &[(&b64(SIG), &pem)]),
                TlogError::SignatureMismatch,
            ),
            (
                intoto_v002(&ph, &[(&double_b64(SIG2), &pem)]),
                TlogError::SignatureMismatch,
            ),
            (
                intoto_v002(&bad_ph, &[(&double_b64(SIG), &pem)]),
                TlogError::DigestMismatch,
            ),
            (
                intoto_v002(&ph, &[(&double_b64(SIG), &pem_b64("CERTIFICATE", OTHER))]),
                TlogError::SignerMismatch,
            ),
        ] {
            assert_eq!(
                E::v1("intoto", "0.0.2", body.clone()).err(&one, &cert),
                want,
                "{body}"
            );
        }
    }

    fn hr001() -> E {
        E::v1(
            "hashedrekord",
            "0.0.1",
            hashedrekord_v001("sha256", &digest(), SIG, &pem_b64("CERTIFICATE", CERT)),
        )
    }

    fn hr002() -> E {
        E::v2(
            "hashedrekord",
            hashedrekord_v002(
                "SHA2_256",
                &digest(),
                SIG,
                &v2_verifier("x509Certificate", CERT),
            ),
        )
    }

    fn check_with(e: &E, version: BundleVersion, log: &Log) -> Result<VerifiedEntry, TlogError> {
        e.check(log, &message(), &Signer::Certificate(CERT), version)
    }

    fn check(e: &E) -> Result<VerifiedEntry, TlogError> {
        check_with(e, BundleVersion::V0_3, &log())
    }

    #[test]
    fn integers_are_non_negative_decimal() {
        let with_index = |index: &str| E {
            log_index: index.into(),
            set: Set::No,
            ..hr001()
        };
        for (index, want) in [
            ("\"42\"", Ok(42)),
            ("42", Ok(42)),
            ("\"0\"", Ok(0)),
            ("\"9223372036854775807\"", Ok(i64::MAX as u64)),
            ("\"-1\"", Err(TlogError::Negative(TlogField::LogIndex))),
            ("-1", Err(TlogError::Negative(TlogField::LogIndex))),
            (
                "\"9223372036854775808\"",
                Err(field(TlogField::LogIndex, Problem::Invalid)),
            ),
            ("\"042\"", Err(field(TlogField::LogIndex, Problem::Invalid))),
            ("\"4e1\"", Err(field(TlogField::LogIndex, Problem::Invalid))),
            ("4.2e1", Err(field(TlogField::LogIndex, Problem::Invalid))),
            ("\"\"", Err(field(TlogField::LogIndex, Problem::Invalid))),
            (
                "\"\\u0034\"",
                Err(field(TlogField::LogIndex, Problem::Invalid)),
            ),
            ("true", Err(field(TlogField::LogIndex, Problem::WrongType))),
            ("null", Err(field(TlogField::LogIndex, Problem::Missing))),
        ] {
            assert_eq!(
                check(&with_index(index)).map(|v| v.log_index),
                want,
                "{index}"
            );
        }
        let mut e = hr001();
        e.time = Some("\"-5\"".into());
        e.set = Set::No;
        assert_eq!(
            check(&e),
            Err(TlogError::Negative(TlogField::IntegratedTime))
        );
        let mut e = hr001();
        e.set = Set::No;
        e.proof.as_mut().unwrap().index = "\"-1\"".into();
        assert_eq!(
            check(&e),
            Err(TlogError::Negative(TlogField::ProofLogIndex))
        );
    }

    #[test]
    fn log_must_be_trusted() {
        let mut e = hr001();
        e.key_id = Some(vec![0xaa; 32]);
        assert_eq!(check(&e), Err(TlogError::UnknownLog));
        // A log whose validity has no start is not trusted for anything.
        let mut l = log();
        l.root.tlogs[0].valid_for.start = None;
        assert_eq!(
            check_with(&hr001(), BundleVersion::V0_3, &l),
            Err(TlogError::LogKeyNotValid)
        );
        assert_eq!(
            check_with(&hr002(), BundleVersion::V0_3, &l),
            Err(TlogError::LogKeyNotValid)
        );
        // The log is reported by its place in the trusted root.
        let mut l = log();
        let first = l.root.tlogs[0].clone();
        l.root.tlogs[0].log_id = vec![1; 32];
        l.root.tlogs.push(first);
        assert_eq!(
            check_with(&hr001(), BundleVersion::V0_3, &l).unwrap().log,
            1
        );
    }

    #[test]
    fn inclusion_promise_is_always_verified() {
        let ok = check(&hr001()).unwrap();
        assert_eq!(ok.integrated_time, Some(T));
        let mut e = hr001();
        e.set = Set::Bad;
        assert_eq!(
            check(&e),
            Err(TlogError::SetSignature(LogKeyError::BadSignature))
        );
        // Even in a v0.3 bundle with a good inclusion proof.
        assert!(e.proof.is_some());
        // The time is signed: a SET over another time fails.
        let mut e = hr001();
        e.time = Some(format!("\"{}\"", T + 1));
        let text = e
            .render(&log())
            .replace(&format!("\"{}\"", T + 1), &format!("\"{T}\""));
        assert!(text.contains(&format!("\"integratedTime\":\"{T}\"")));
        let good = hr001().render(&log());
        assert_ne!(text, good, "the SET differs");
        let v = json::parse(text.as_bytes()).unwrap();
        let (m, c) = (message(), Signer::Certificate(CERT));
        let l = log();
        assert_eq!(
            verify_entry(v, &cx(&m, &c, &l.root, BundleVersion::V0_3)),
            Err(TlogError::SetSignature(LogKeyError::BadSignature))
        );
        // Time after `now`, time outside the log key's window, no time.
        let mut e = hr001();
        e.time = Some(format!("\"{}\"", NOW + 1));
        assert_eq!(check(&e), Err(TlogError::IntegratedTimeInFuture));
        e.time = Some(format!("\"{NOW}\""));
        assert_eq!(check(&e).unwrap().integrated_time, Some(NOW));
        let mut l = log();
        l.root.tlogs[0].valid_for.end = Some(UnixInstant::from_secs(T - 1));
        assert_eq!(
            check_with(&hr001(), BundleVersion::V0_3, &l),
            Err(TlogError::LogKeyNotValid)
        );
        l.root.tlogs[0].valid_for = TimeRange::seconds(Some(T), Some(T));
        assert!(check_with(&hr001(), BundleVersion::V0_3, &l).is_ok());
        l.root.tlogs[0].valid_for = TimeRange::seconds(Some(T + 1), None);
        assert_eq!(
            check_with(&hr001(), BundleVersion::V0_3, &l),
            Err(TlogError::LogKeyNotValid)
        );
        let text = hr001()
            .render(&log())
            .replace(&format!("\"integratedTime\":\"{T}\","), "");
        let v = json::parse(text.as_bytes()).unwrap();
        assert_eq!(
            verify_entry(v, &cx(&m, &c, &l.root, BundleVersion::V0_3)),
            Err(field(TlogField::IntegratedTime, Problem::Missing))
        );
        // Rekor v2 entries carry no promise.
        let mut e = hr002();
        e.time = Some(format!("\"{T}\""));
        e.set = Set::Good;
        assert_eq!(check(&e), Err(TlogError::UnexpectedPromise));
        // An unsigned time is never reported.
        let mut e = hr001();
        e.set = Set::No;
        assert_eq!(check(&e).unwrap().integrated_time, None);
    }

    #[test]
    fn inclusion_proof_is_always_verified() {
        let v = check(&hr002()).unwrap();
        let inc = v.inclusion.unwrap();
        assert_eq!(inc.tree_size, 50);
        assert!(inc.checkpoint.starts_with("log.example\n50\n"));
        assert!(inc.checkpoint.ends_with("\n\n\u{2014} log.example AAAA\n"));
        // Every leaf position and tree shape folds to its root.
        for (index, size) in [
            (0u64, 1u64),
            (0, 2),
            (1, 2),
            (6, 7),
            (7, 8),
            (16, 17),
            (5, 17),
        ] {
            let mut e = hr001();
            e.log_index = format!("\"{index}\"");
            e.set = Set::No;
            let p = e.proof.as_mut().unwrap();
            p.index = format!("\"{index}\"");
            p.size = size;
            let got = check(&e).unwrap().inclusion.unwrap();
            assert_eq!(got.tree_size, size);
        }
        let broken = |f: &dyn Fn(&mut Proof)| {
            let mut e = hr002();
            f(e.proof.as_mut().unwrap());
            check(&e)
        };
        assert_eq!(
            broken(&|p| p.corrupt = true),
            Err(TlogError::InclusionProof(MerkleError::RootMismatch))
        );
        assert_eq!(
            broken(&|p| p.extra_hashes = 1),
            Err(TlogError::InclusionProof(MerkleError::WrongProofLength {
                expected: 6,
                found: 7
            }))
        );
        assert_eq!(
            broken(&|p| p.extra_hashes = MAX_INCLUSION_PROOF_HASHES - 6 + 1),
            Err(TlogError::InclusionProof(MerkleError::ProofTooLong))
        );
        assert_eq!(
            broken(&|p| p.checkpoint = false),
            Err(field(TlogField::Checkpoint, Problem::Missing))
        );
        // Rekor v2 proves the entry's own index.
        assert_eq!(
            broken(&|p| p.index = "\"41\"".into()),
            Err(TlogError::LogIndexMismatch)
        );
        // A proof for a leaf past the tree's end.
        let mut e = hr001();
        e.set = Set::No;
        e.proof.as_mut().unwrap().size = 42;
        let text = e
            .render(&log())
            .replace("\"treeSize\":\"42\"", "\"treeSize\":\"40\"");
        let v = json::parse(text.as_bytes()).unwrap();
        let (m, c, l) = (message(), Signer::Certificate(CERT), log());
        assert_eq!(
            verify_entry(v, &cx(&m, &c, &l.root, BundleVersion::V0_3)),
            Err(TlogError::InclusionProof(MerkleError::IndexOutOfRange))
        );
        // A root hash that is not 32 bytes.
        let text = hr002()
            .render(&log())
            .replace("\"rootHash\":\"", "\"rootHash\":\"AAAA");
        let v = json::parse(text.as_bytes()).unwrap();
        assert_eq!(
            verify_entry(v, &cx(&m, &c, &l.root, BundleVersion::V0_3)),
            Err(field(TlogField::RootHash, Problem::Invalid))
        );
    }

    #[test]
    fn what_each_version_requires() {
        let l = log();
        let no_proof = E {
            proof: None,
            ..hr001()
        };
        let no_set = E {
            set: Set::No,
            ..hr001()
        };
        let corrupt = {
            let mut e = hr001();
            e.proof.as_mut().unwrap().corrupt = true;
            e
        };
        for (e, version, want) in [
            (&no_proof, BundleVersion::V0_1, Ok(())),
            (
                &no_proof,
                BundleVersion::V0_2,
                Err(TlogError::MissingInclusionProof),
            ),
            (
                &no_proof,
                BundleVersion::V0_3,
                Err(TlogError::MissingInclusionProof),
            ),
            (
                &no_set,
                BundleVersion::V0_1,
                Err(TlogError::MissingInclusionPromise),
            ),
            (&no_set, BundleVersion::V0_2, Ok(())),
            (&no_set, BundleVersion::V0_3, Ok(())),
            // A present proof is verified whatever the version claims.
            (
                &corrupt,
                BundleVersion::V0_1,
                Err(TlogError::InclusionProof(MerkleError::RootMismatch)),
            ),
        ] {
            assert_eq!(check_with(e, version, &l).map(|_| ()), want, "{version:?}");
        }
        let v2 = E {
            proof: None,
            ..hr002()
        };
        for version in [BundleVersion::V0_1, BundleVersion::V0_3] {
            assert_eq!(
                check_with(&v2, version, &l),
                Err(TlogError::MissingInclusionProof)
            );
            assert!(check_with(&hr002(), version, &l).is_ok());
        }
    }

    fn run_all(entries: &[String], l: &Log) -> Result<Vec<VerifiedEntry>, (usize, TlogError)> {
        let text = format!("[{}]", entries.join(","));
        let v = json::parse(text.as_bytes()).unwrap();
        verify_entries(
            v.array().unwrap(),
            &message(),
            &Signer::Certificate(CERT),
            None,
            &l.root,
            BundleVersion::V0_3,
            NOW,
        )
    }

    #[test]
    fn entries_are_counted_and_unique() {
        let l = log();
        assert_eq!(run_all(&[], &l), Err((0, TlogError::NoEntries)));
        let one = hr001().render(&l);
        let other = {
            let mut e = hr002();
            e.log_index = "\"7\"".into();
            e.proof.as_mut().unwrap().index = "\"7\"".into();
            e.render(&l)
        };
        let got = run_all(&[one.clone(), other.clone()], &l).unwrap();
        assert_eq!(got.iter().map(|v| v.log_index).collect::<Vec<_>>(), [42, 7]);
        // The same log and index twice: a copy, or another body under the
        // same index.
        let twice = [one.clone(), other.clone(), one.clone()];
        assert_eq!(run_all(&twice, &l), Err((2, TlogError::DuplicateEntry)));
        let same_index = {
            let mut e = hr002();
            e.log_index = "\"42\"".into();
            e.proof.as_mut().unwrap().index = "\"42\"".into();
            e.render(&l)
        };
        let got = run_all(&[one.clone(), same_index.clone()], &l);
        assert_eq!(got, Err((1, TlogError::DuplicateEntry)));
        let past = vec![one.clone(); MAX_TLOG_ENTRIES + 1];
        assert_eq!(
            run_all(&past, &l),
            Err((MAX_TLOG_ENTRIES, TlogError::TooManyEntries))
        );
        let mut bad = hr001();
        bad.set = Set::Bad;
        assert_eq!(
            run_all(&[one, bad.render(&l)], &l),
            Err((1, TlogError::SetSignature(LogKeyError::BadSignature)))
        );
        assert_eq!(
            run_all(&["[]".into()], &l),
            Err((0, field(TlogField::Entry, Problem::WrongType)))
        );
    }

    // A real Rekor v1 entry and the public-good Rekor key, from sigstore-js
    // (packages/verify/src/__tests__/__fixtures__/bundles/v01/signature.ts,
    // `validBundleWithSigningCert`; the key from
    // packages/verify/src/timestamp/__tests__/tlog.test.ts). Public data.
    const REKOR_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==";
    const REKOR_LOG_ID: &str = "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=";
    const REAL_CERT: &str = "MIICoDCCAiagAwIBAgIUevae+nLQ8mg6OyOB43MKJ10F2CEwCgYIKoZIzj0EAwMwNzEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MR4wHAYDVQQDExVzaWdzdG9yZS1pbnRlcm1lZGlhdGUwHhcNMjIxMTA5MDEzMzA5WhcNMjIxMTA5MDE0MzA5WjAAMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9DbYBIMQLtWb6J5gtL69jgRwwEfdtQtKvvG4+o3ZzlOroJplpXaVgF6wBDob++rNG9/AzSaBmApkEwI52XBjWqOCAUUwggFBMA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDAzAdBgNVHQ4EFgQUVIIFc08z6uV9Y96S+v5oDbbmHEYwHwYDVR0jBBgwFoAU39Ppz1YkEZb5qNjpKFWixi4YZD8wHwYDVR0RAQH/BBUwE4ERYnJpYW5AZGVoYW1lci5jb20wLAYKKwYBBAGDvzABAQQeaHR0cHM6Ly9naXRodWIuY29tL2xvZ2luL29hdXRoMIGKBgorBgEEAdZ5AgQCBHwEegB4AHYA3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4AAAGEWgUGQwAABAMARzBFAiEAlKycMBC2q+QM+mct60RNENxpURHes6vgOBWdx71XcXgCIAtnMzw/cBw5h0hrYJ8b1PJjoxn3k1N2TdgofqvMhbSTMAoGCCqGSM49BAMDA2gAMGUCMQC2KLFYSiD/+S1WEsyf9czf52w+E577Hi77r8pGUM1rQ/Bzg1aGvQs0/kAg3S/JSDgCMEdN5dIS0tRm1SOMbOFcW+1yzR+OiCVJ7DVFwUdI3D/7ERxtN9e/LJ6uaRnR/Sanrw==";
    const REAL_DIGEST: &str = "aOZWslHmfoNYvvhIOrDVHGYZ8+ehqfDnWDjUH/No9yg=";
    const REAL_SIG: &str = "MEQCIHs5aUulq1HpR+fwmSKpLk/oAwq5O9CDNFHhZAKfG5GmAiBwcVnf2obzsCGVlf0AIvbvHr21NXt7tpLBl4+Brh6OKA==";
    const REAL_SET: &str = "MEUCIFUNcHgHB318gCNJR0/CH4E0daODbnfePyzKCDqrt3twAiEA9N+ZObaLwVJwvOtPgkfoBa5NzjTH0eC06YBlOyZlMiY=";
    const REAL_BODY: &str = "eyJhcGlWZXJzaW9uIjoiMC4wLjEiLCJraW5kIjoiaGFzaGVkcmVrb3JkIiwic3BlYyI6eyJkYXRhIjp7Imhhc2giOnsiYWxnb3JpdGhtIjoic2hhMjU2IiwidmFsdWUiOiI2OGU2NTZiMjUxZTY3ZTgzNThiZWY4NDgzYWIwZDUxYzY2MTlmM2U3YTFhOWYwZTc1ODM4ZDQxZmYzNjhmNzI4In19LCJzaWduYXR1cmUiOnsiY29udGVudCI6Ik1FUUNJSHM1YVV1bHExSHBSK2Z3bVNLcExrL29Bd3E1TzlDRE5GSGhaQUtmRzVHbUFpQndjVm5mMm9ienNDR1ZsZjBBSXZidkhyMjFOWHQ3dHBMQmw0K0JyaDZPS0E9PSIsInB1YmxpY0tleSI6eyJjb250ZW50IjoiTFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2sxSlNVTnZSRU5EUVdsaFowRjNTVUpCWjBsVlpYWmhaU3R1VEZFNGJXYzJUM2xQUWpRelRVdEtNVEJHTWtORmQwTm5XVWxMYjFwSmVtb3dSVUYzVFhjS1RucEZWazFDVFVkQk1WVkZRMmhOVFdNeWJHNWpNMUoyWTIxVmRWcEhWakpOVWpSM1NFRlpSRlpSVVVSRmVGWjZZVmRrZW1SSE9YbGFVekZ3WW01U2JBcGpiVEZzV2tkc2FHUkhWWGRJYUdOT1RXcEplRTFVUVRWTlJFVjZUWHBCTlZkb1kwNU5ha2w0VFZSQk5VMUVSVEJOZWtFMVYycEJRVTFHYTNkRmQxbElDa3R2V2tsNmFqQkRRVkZaU1V0dldrbDZhakJFUVZGalJGRm5RVVU1UkdKWlFrbE5VVXgwVjJJMlNqVm5kRXcyT1dwblVuZDNSV1prZEZGMFMzWjJSelFLSzI4elducHNUM0p2U25Cc2NGaGhWbWRHTm5kQ1JHOWlLeXR5VGtjNUwwRjZVMkZDYlVGd2EwVjNTVFV5V0VKcVYzRlBRMEZWVlhkblowWkNUVUUwUndwQk1WVmtSSGRGUWk5M1VVVkJkMGxJWjBSQlZFSm5UbFpJVTFWRlJFUkJTMEpuWjNKQ1owVkdRbEZqUkVGNlFXUkNaMDVXU0ZFMFJVWm5VVlZXU1VsR0NtTXdPSG8yZFZZNVdUazJVeXQyTlc5RVltSnRTRVZaZDBoM1dVUldVakJxUWtKbmQwWnZRVlV6T1ZCd2VqRlphMFZhWWpWeFRtcHdTMFpYYVhocE5Ga0tXa1E0ZDBoM1dVUldVakJTUVZGSUwwSkNWWGRGTkVWU1dXNUtjRmxYTlVGYVIxWnZXVmN4YkdOcE5XcGlNakIzVEVGWlMwdDNXVUpDUVVkRWRucEJRZ3BCVVZGbFlVaFNNR05JVFRaTWVUbHVZVmhTYjJSWFNYVlpNamwwVERKNGRsb3liSFZNTWpsb1pGaFNiMDFKUjB0Q1oyOXlRbWRGUlVGa1dqVkJaMUZEQ2tKSWQwVmxaMEkwUVVoWlFUTlVNSGRoYzJKSVJWUktha2RTTkdOdFYyTXpRWEZLUzFoeWFtVlFTek12YURSd2VXZERPSEEzYnpSQlFVRkhSVmRuVlVjS1VYZEJRVUpCVFVGU2VrSkdRV2xGUVd4TGVXTk5Ra015Y1N0UlRTdHRZM1EyTUZKT1JVNTRjRlZTU0dWek5uWm5UMEpYWkhnM01WaGpXR2REU1VGMGJncE5lbmN2WTBKM05XZ3dhSEpaU2poaU1WQkthbTk0YmpOck1VNHlWR1JuYjJaeGRrMW9ZbE5VVFVGdlIwTkRjVWRUVFRRNVFrRk5SRUV5WjBGTlIxVkRDazFSUXpKTFRFWlpVMmxFTHl0VE1WZEZjM2xtT1dONlpqVXlkeXRGTlRjM1NHazNOM0k0Y0VkVlRURnlVUzlDZW1jeFlVZDJVWE13TDJ0Qlp6TlRMMG9LVTBSblEwMUZaRTQxWkVsVE1IUlNiVEZUVDAxaVQwWmpWeXN4ZVhwU0swOXBRMVpLTjBSV1JuZFZaRWt6UkM4M1JWSjRkRTQ1WlM5TVNqWjFZVkp1VWdvdlUyRnVjbmM5UFFvdExTMHRMVVZPUkNCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PSJ9fX19";

    fn unb64(s: &str) -> Vec<u8> {
        decode_base64_bytes(s.as_bytes().to_vec(), TlogField::Entry).unwrap()
    }

    #[test]
    fn real_rekor_entry_and_set() {
        let key = unb64(REKOR_KEY);
        let log_id = unb64(REKOR_LOG_ID);
        // Rekor's log ID is the SHA-256 of its key's DER SPKI.
        assert_eq!(Sha256::digest(&key).as_slice(), log_id.as_slice());
        let root = |start: u64| TrustedRoot {
            tlogs: vec![TransparencyLog {
                base_url: "https://rekor.sigstore.dev".into(),
                key: LogKey {
                    details: KeyDetails::EcdsaP256Sha256,
                    der: key.clone(),
                },
                // Production's rekor.sigstore.dev key: 2021-01-12T11:53:27Z.
                valid_for: TimeRange::seconds(Some(start), None),
                log_id: log_id.clone(),
            }],
            ..TrustedRoot::default()
        };
        let entry = format!(
            r#"[{{"logIndex":"6757503","logId":{{"keyId":"{REKOR_LOG_ID}"}},"kindVersion":{{"kind":"hashedrekord","version":"0.0.1"}},"integratedTime":"1667957590","inclusionPromise":{{"signedEntryTimestamp":"{REAL_SET}"}},"canonicalizedBody":"{REAL_BODY}"}}]"#
        );
        let cert = unb64(REAL_CERT);
        let sig = unb64(REAL_SIG);
        let digest: [u8; 32] = unb64(REAL_DIGEST).try_into().unwrap();
        let content = Content::MessageSignature {
            digests: sha256_only(&digest),
            signature: &sig,
        };
        let signer = Signer::Certificate(&cert);
        let entries = json::parse(entry.as_bytes()).unwrap().array().unwrap();
        let run = |content: &Content<'_>, version, now, start| {
            verify_entries(entries, content, &signer, None, &root(start), version, now)
        };
        let got = run(&content, BundleVersion::V0_1, NOW, 1_610_452_407).unwrap();
        assert_eq!(
            got,
            [VerifiedEntry {
                log: 0,
                log_index: 6_757_503,
                kind: EntryKind::HashedRekord001,
                integrated_time: Some(1_667_957_590),
                rekor_v2: false,
                inclusion: None,
            }]
        );
        // The same entry checked before it was logged, against a key not yet
        // valid, in a bundle version that needs a proof, for another digest.
        assert_eq!(
            run(&content, BundleVersion::V0_1, 1_667_957_589, 1_610_452_407),
            Err((0, TlogError::IntegratedTimeInFuture))
        );
        assert_eq!(
            run(&content, BundleVersion::V0_1, NOW, 1_667_957_591),
            Err((0, TlogError::LogKeyNotValid))
        );
        assert_eq!(
            run(&content, BundleVersion::V0_2, NOW, 1_610_452_407),
            Err((0, TlogError::MissingInclusionProof))
        );
        let mut other = digest;
        other[31] ^= 1;
        let wrong = Content::MessageSignature {
            digests: sha256_only(&other),
            signature: &sig,
        };
        assert_eq!(
            run(&wrong, BundleVersion::V0_1, NOW, 1_610_452_407),
            Err((0, TlogError::DigestMismatch))
        );
    }
}
