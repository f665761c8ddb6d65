//! The `sigstore` method (feature `sigstore`): a keyless (Fulcio
//! certificate) or managed-key bundle verified offline against a pinned
//! trusted root.
//!
//! Checks, in order (Sigstore client specification, "Verification"; the
//! order authenticates before it parses anything the signature covers):
//! 1. the bundle's structure (`crate::bundle`); the signature bytes: the
//!    DSSE envelope's one signature or the `messageSignature`;
//! 2. the signer: keyless needs a certificate (the `certificate`, or, in
//!    bundles before v0.3, the first of `x509CertificateChain`: a v0.3
//!    bundle carrying a chain is refused, as the bundle specification
//!    requires and sigstore-go, -python and -js do); a managed key needs
//!    `publicKey` material matching the caller's key. The key, a Fulcio
//!    leaf's or a managed one, is one of the Sigstore algorithm registry
//!    (`crate::sigstore::registry`) and decides the hash the signature is over:
//!    SHA-256, SHA-384 or SHA-512 for ECDSA on P-256, P-384 or P-521,
//!    SHA-256 for RSA. For a message signature the artifact's digest under
//!    that hash must be known, and `messageDigest`, when present, must be
//!    the artifact's digest under the hash it names;
//! 3. every transparency-log entry (`crate::sigstore::tlog`): body bound to this
//!    bundle, SET, inclusion proof, then its checkpoint
//!    (`crate::sigstore::checkpoint`) signed by the same log under the convention
//!    of the entry's Rekor version, with the proof's root and size; at
//!    least one entry is required, no entry twice;
//! 4. every RFC 3161 timestamp (`crate::sigstore::timestamp`) over the signature,
//!    from a trusted TSA; a Rekor v2 entry carries no time, so a bundle with
//!    one needs at least one timestamp; the log key of an entry with no
//!    verified time (Rekor v2, or Rekor v1 without a SET) must be valid
//!    (`validFor`) at every timestamp's genTime;
//! 5. keyless: a Rekor v1 entry's integrated time that no SET signs still
//!    lies in the leaf's validity (sigstore-go checks it); the observed
//!    times (verified SET integrated times and TSA
//!    times; at least one) each lie in the Fulcio CA's validity and the leaf
//!    chains to that CA at each of them (RFC 5280, `crate::x509`), through
//!    CA certificates whose extKeyUsage, if any, allows codeSigning; the
//!    leaf is an end-entity code-signing certificate and carries at least
//!    one valid embedded SCT (`crate::sigstore::sct`);
//! 6. keyless: the identity policy (`crate::sigstore::policy`);
//! 7. the signature: DSSE over PAE with the leaf's (or managed) key (for
//!    an OMS model bundle also over model_signing's pre-1.0 PAE; for a
//!    generic DSSE bundle the standard PAE only), or the message signature
//!    over the artifact's digest, each with the key's hash;
//! 8. what was signed: an OMS statement (`crate::statement`) for a model,
//!    or, for an artifact, an in-toto subject whose `sha256`, `sha384` or
//!    `sha512` digest (any one of them the artifact's digests are known
//!    for) is the artifact's.
//!
//! `mediaType` only selects what a bundle must at least carry (v0.1 a SET,
//! later versions an inclusion proof): whatever a bundle carries is always
//! verified, so relabelling it can never switch a check off.
//!
//! Time ([`Time`]): certificates are checked at the observed times only
//! (step 5); the current time only bounds a Rekor v1 entry's integrated
//! time from above (step 3). With [`Time::NoClock`] that bound is skipped,
//! and the evidence says so ([`SigstoreEvidence::checked_at`] is `None`).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::bundle::{
    Bundle, BundleError, BundleVersion, Content, Material, MaterialKind, MessageDigest,
};
use crate::dsse::{
    CompatHash, SIGNATURE_BUF, VerifiedPayload, envelope_signature, verify_envelope,
};
use crate::encoding::hex_eq;
use crate::error::Error;
use crate::json::{self, Field, JsonStr, decode_base64, decode_base64_owned};
use crate::keys::{Digests, KeyAlgorithm, KeyError, PrehashKey, SigHash};
use crate::limits::MAX_CERT_BYTES;
use crate::sigstore::policy::{self, Identity, IdentityPolicy};
use crate::sigstore::registry::SigstoreKey;
use crate::sigstore::timestamp::{self, VerifiedTimestamp};
use crate::sigstore::tlog::{self, VerifiedEntry};
use crate::sigstore::trust_root::TrustedRoot;
use crate::sigstore::{Artifact, ObservedTime, SigstoreError, checkpoint, sct};
use crate::statement;
use crate::time::{Time, UnixTime};
use crate::x509::{
    Cert, CertPosition, CertificateError, KP_CODE_SIGNING, SignatureMemo, TrustStore, eku_allows,
    validate_signing_leaf,
};

use super::{Verified, Verifier};

/// Verifies Sigstore bundles against a pinned trusted root, for one
/// signer: an identity (keyless, Fulcio certificates) or a managed key.
#[derive(Debug, Clone)]
pub struct SigstoreVerifier<'r> {
    trust: &'r TrustedRoot,
    signer: Signer,
    /// The trusted root's CA and TSA chain signatures, each checked once
    /// for all the bundles this verifier checks.
    memo: SignatureMemo,
}

/// The candidate links of `trust`'s Fulcio CA and TSA chains.
fn memo(trust: &TrustedRoot) -> SignatureMemo {
    SignatureMemo::for_chains(
        trust
            .certificate_authorities
            .iter()
            .chain(&trust.timestamp_authorities)
            .map(|ca| ca.chain.as_slice()),
    )
}

/// Who must have signed.
#[derive(Debug, Clone)]
enum Signer {
    /// Keyless: a Fulcio certificate whose identity the policy admits.
    Identity(IdentityPolicy),
    /// A managed key, pinned by the caller; the bundle's transparency-log
    /// entries are still verified.
    Key(SigstoreKey),
}

/// What a Sigstore verification proved besides the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigstoreEvidence {
    identity: Option<Identity>,
    entries: Vec<VerifiedLogEntry>,
    times: Vec<ObservedTime>,
    scts: usize,
    key: KeyAlgorithm,
    checked_at: Option<UnixTime>,
}

/// A transparency-log entry that verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct VerifiedLogEntry {
    log: usize,
    log_index: u64,
}

impl VerifiedLogEntry {
    /// The log: an index into the trusted root's `tlogs`.
    pub fn log(&self) -> usize {
        self.log
    }

    /// The entry's `logIndex`.
    pub fn log_index(&self) -> u64 {
        self.log_index
    }
}

impl SigstoreEvidence {
    /// The keyless signer, as the Fulcio certificate names it (`None` for a
    /// managed key).
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    /// The log entries that verified, in bundle order.
    pub fn entries(&self) -> &[VerifiedLogEntry] {
        &self.entries
    }

    /// Every verified time: signed entry timestamps' integrated times, then
    /// RFC 3161 genTimes, in bundle order.
    pub fn times(&self) -> &[ObservedTime] {
        &self.times
    }

    /// The earliest verified time: what a device without a clock keeps as
    /// its anti-rollback floor (a later timestamp can be added to an old
    /// signature, an earlier one cannot). `None` when the bundle has no
    /// verified time (possible only for a managed key).
    pub fn earliest_time(&self) -> Option<UnixTime> {
        self.times.iter().map(ObservedTime::time).min()
    }

    /// How many embedded SCTs verified (0 for a managed key).
    pub fn scts(&self) -> usize {
        self.scts
    }

    /// The signing key's algorithm.
    pub fn key(&self) -> KeyAlgorithm {
        self.key
    }

    /// The current time integrated times were checked not to be after, or
    /// `None` when verified without a clock (that freshness check was
    /// skipped).
    pub fn checked_at(&self) -> Option<UnixTime> {
        self.checked_at
    }
}

impl<'r> SigstoreVerifier<'r> {
    /// A keyless verifier: bundles signed with a Fulcio certificate from
    /// `trusted_root`'s CAs whose identity `policy` admits.
    pub fn new(trusted_root: &'r TrustedRoot, policy: IdentityPolicy) -> Self {
        Self {
            trust: trusted_root,
            signer: Signer::Identity(policy),
            memo: memo(trusted_root),
        }
    }

    /// A verifier for bundles signed with a managed `key` (its log entries
    /// are verified against `trusted_root` all the same).
    pub fn with_key(trusted_root: &'r TrustedRoot, key: SigstoreKey) -> Self {
        Self {
            trust: trusted_root,
            signer: Signer::Key(key),
            memo: memo(trusted_root),
        }
    }

    /// The trusted root.
    pub fn trusted_root(&self) -> &'r TrustedRoot {
        self.trust
    }

    /// Verifies a Sigstore bundle over an artifact rather than a model: a
    /// `messageSignature`, or a DSSE in-toto statement one of whose
    /// subjects is the artifact (the sigstore-conformance `verify-bundle`).
    /// The artifact is asked for its digests under the hashes the bundle
    /// needs. A generic DSSE bundle is checked over the standard PAE only
    /// (DSSE v1, sigstore-go, sigstore-python).
    pub fn verify_artifact(
        &self,
        bundle: &[u8],
        time: Time,
        mut artifact: impl Artifact,
    ) -> Result<SigstoreEvidence, Error> {
        let parsed = Bundle::parse(bundle)?;
        let mut payload_buf = match &parsed.content {
            Content::Dsse(env) => alloc::vec![0u8; env.payload.raw().len()],
            Content::MessageSignature(_) => Vec::new(),
        };
        let (signed, evidence) =
            self.verify_parsed(&parsed, time, Some(&mut artifact), None, &mut payload_buf)?;
        if let Signed::Payload(p) = signed {
            subject_matches(p.bytes(), &mut artifact)?;
        }
        Ok(evidence)
    }

    /// Checks 1–7 of the module docs, in order.
    fn verify_parsed<'p>(
        &self,
        parsed: &Bundle<'_>,
        time: Time,
        artifact: Option<&mut dyn Artifact>,
        compat: Option<CompatHash>,
        payload_buf: &'p mut [u8],
    ) -> Result<(Signed<'p>, SigstoreEvidence), Error> {
        let trust = self.trust;
        // 1.
        // The signature's base64 text, then the signature decoded in place.
        let mut sig_buf = [0u8; SIGNATURE_BUF * 2];
        let (signature, message_digest) = signature_bytes(&parsed.content, &mut sig_buf)?;
        // 2.
        let (leaf, key) = match &self.signer {
            Signer::Identity(_) => keyless_signer(parsed)?,
            Signer::Key(key) => (None, managed_signer(parsed, key)?),
        };
        let digests = match message_digest {
            Some(md) => artifact_digests(md, artifact, key.sig_hash())?,
            None => Digests::default(),
        };
        // 3.
        let entries = log_entries(
            parsed,
            signature,
            digests,
            leaf.as_deref(),
            &key,
            trust,
            time,
        )?;
        let mut times: Vec<ObservedTime> = entries
            .iter()
            .filter_map(|e| e.integrated_time)
            .map(|t| ObservedTime::Tlog(UnixTime::from_secs(t)))
            .collect();
        // 4.
        let stamps = timestamps(parsed, signature, &entries, trust, &self.memo)?;
        times.extend(
            stamps
                .iter()
                .map(|s| ObservedTime::Timestamp(UnixTime::from_secs(s.gen_time))),
        );
        // 5–6.
        if let Some(leaf) = &leaf {
            unsigned_times_in_leaf(leaf, &entries)?;
        }
        let (identity, scts) = match (&leaf, &self.signer) {
            (Some(leaf), Signer::Identity(policy)) => {
                keyless_certificate(leaf, policy, &times, &stamps, trust, &self.memo)?
            }
            (None, Signer::Key(_)) => (None, 0),
            _ => return Err(SigstoreError::NoCertificate.into()),
        };
        // 7.
        let signed = match &parsed.content {
            Content::Dsse(env) => Signed::Payload(verify_envelope(env, &key, compat, payload_buf)?),
            Content::MessageSignature(_) => {
                let digest = digests
                    .get(key.sig_hash())
                    .ok_or(SigstoreError::DigestUnavailable)?;
                key.verify_prehash(digest, signature)
                    .map_err(|_| SigstoreError::BadMessageSignature)?;
                Signed::Message
            }
        };
        let evidence = SigstoreEvidence {
            identity,
            entries: entries
                .iter()
                .map(|e| VerifiedLogEntry {
                    log: e.log,
                    log_index: e.log_index,
                })
                .collect(),
            times,
            scts,
            key: key.algorithm(),
            checked_at: time.now(),
        };
        Ok((signed, evidence))
    }
}

impl Verifier for SigstoreVerifier<'_> {
    type Evidence = SigstoreEvidence;

    /// Verifies a Sigstore-signed OMS model bundle (checks 1–8 of the
    /// module docs; a DSSE envelope, whose signature may also be over
    /// model_signing's pre-1.0 PAE).
    fn verify<'p>(
        &self,
        bundle: &[u8],
        time: Time,
        payload_buf: &'p mut [u8],
    ) -> Result<Verified<'p, SigstoreEvidence>, Error> {
        let parsed = Bundle::parse(bundle)?;
        parsed.envelope()?;
        // OMS model bundles keep model_signing's pre-1.0 PAE fallback.
        let compat = Some(CompatHash::KeyCurve);
        let (signed, evidence) = self.verify_parsed(&parsed, time, None, compat, payload_buf)?;
        match signed {
            // 8.
            Signed::Payload(p) => Ok(Verified::new(statement::parse(p)?, evidence)),
            Signed::Message => Err(BundleError::NotDsse.into()),
        }
    }
}

/// What the signature covers, once authenticated.
enum Signed<'p> {
    Payload(VerifiedPayload<'p>),
    Message,
}

/// Check 1: the signature bytes (the envelope's one signature, or the
/// message signature, decoded into `buf`) and, for a message signature,
/// its `messageDigest` (absent or not).
#[allow(clippy::type_complexity)]
#[inline(never)]
fn signature_bytes<'b, 'a>(
    content: &Content<'a>,
    buf: &'b mut [u8],
) -> Result<(&'b [u8], Option<Option<MessageDigest<'a>>>), Error> {
    Ok(match content {
        Content::Dsse(env) => (envelope_signature(env, buf)?, None),
        Content::MessageSignature(m) => (
            decode_base64(m.signature, buf, Field::Signature).map_err(BundleError::from)?,
            Some(m.digest),
        ),
    })
}

/// Check 2, keyless: the Fulcio leaf (the `certificate`, or the first of a
/// pre-v0.3 `x509CertificateChain`) and its key, which only chooses the
/// hash here: the chain (check 5) authenticates the certificate before it
/// verifies anything.
#[inline(never)]
fn keyless_signer(parsed: &Bundle<'_>) -> Result<(Option<Box<Cert>>, SigstoreKey), Error> {
    let raw = match parsed.material {
        Material::Certificate { raw_bytes } => raw_bytes,
        Material::X509CertificateChain { .. } if parsed.version >= BundleVersion::V0_3 => {
            return Err(SigstoreError::ChainInV03.into());
        }
        Material::X509CertificateChain { certificates } => certificates
            .iter()
            .next()
            .and_then(|c| c.ok())
            .and_then(|c| c.object().ok())
            .and_then(|c| c.get("rawBytes").ok().flatten())
            .and_then(|r| r.str().ok())
            .ok_or(SigstoreError::NoCertificate)?,
        Material::PublicKey { .. } => {
            return Err(BundleError::MaterialMismatch {
                expected: MaterialKind::Certificate,
                found: MaterialKind::PublicKey,
            }
            .into());
        }
    };
    let encoding = CertificateError::Encoding {
        at: CertPosition::Bundle(0),
    };
    if raw.raw().len() > MAX_CERT_BYTES * 2 {
        return Err(encoding.into());
    }
    let der = decode_owned(raw, Field::RawBytes)?;
    let cert = Cert::from_der(&der).ok_or(encoding)?;
    let spki = cert.spki_der().ok_or(KeyError::Spki)?;
    let key = SigstoreKey::from_spki_der(&spki)?;
    // Boxed: the parsed certificate is large, and the verifier's frame,
    // which holds it through every later check, is under all of them.
    Ok((Some(Box::new(cert)), key))
}

/// Check 2, managed key: `publicKey` material, whose `rawBytes`, when
/// present, is the caller's key. (`hint` is an opaque, unsigned label in
/// Sigstore bundles, not model_signing's SHA-256 of the key: the signature
/// decides.)
// A build with no curve and no RSA has no managed key to compare with.
#[cfg_attr(
    not(any(feature = "p256", feature = "p384", feature = "p521", feature = "rsa")),
    allow(unreachable_code)
)]
#[inline(never)]
fn managed_signer(parsed: &Bundle<'_>, key: &SigstoreKey) -> Result<SigstoreKey, Error> {
    let Material::PublicKey { raw_bytes, .. } = parsed.material else {
        return Err(SigstoreError::NotKeyMaterial.into());
    };
    if let Some(raw) = raw_bytes {
        let bytes = decode_owned(raw, Field::RawBytes)?;
        match SigstoreKey::from_pem_or_der(&bytes) {
            Ok(k) if k == *key => {}
            _ => return Err(KeyError::RawBytesMismatch.into()),
        }
    }
    Ok(key.clone())
}

/// Check 2, message signature: the artifact's digests it needs, under the
/// key's hash (what it signs) and under the hash `messageDigest` names,
/// which must be the artifact's.
#[inline(never)]
fn artifact_digests(
    message_digest: Option<MessageDigest<'_>>,
    artifact: Option<&mut dyn Artifact>,
    hash: SigHash,
) -> Result<Digests, Error> {
    let mut digests = Digests::default();
    let artifact = artifact.ok_or(SigstoreError::DigestUnavailable)?;
    if let Some(d) = artifact.digest(hash) {
        digests.set(hash, d.get(..hash.len()).unwrap_or(&[]));
    }
    if let Some(md) = message_digest {
        let unsupported = SigstoreError::UnsupportedDigest;
        let alg = SigHash::ALL
            .iter()
            .copied()
            .find(|h| md.algorithm.eq_str(h.proto_name()))
            .ok_or(unsupported)?;
        let mut b = [0u8; 128];
        let bytes = decode_base64(md.digest, &mut b, Field::Digest).map_err(BundleError::from)?;
        if bytes.len() != alg.len() {
            return Err(unsupported.into());
        }
        let ours = artifact
            .digest(alg)
            .ok_or(SigstoreError::DigestUnavailable)?;
        if ours.get(..alg.len()) != Some(bytes) {
            return Err(SigstoreError::ArtifactDigestMismatch.into());
        }
        digests.set(alg, bytes);
    }
    if digests.get(hash).is_none() {
        return Err(SigstoreError::DigestUnavailable.into());
    }
    Ok(digests)
}

/// Check 3: every transparency-log entry, bound to this bundle, with its
/// checkpoint signed by the same log under the convention of the entry's
/// Rekor version; at least one entry, no entry twice.
#[inline(never)]
fn log_entries(
    parsed: &Bundle<'_>,
    signature: &[u8],
    digests: Digests,
    leaf: Option<&Cert>,
    key: &SigstoreKey,
    trust: &TrustedRoot,
    time: Time,
) -> Result<Vec<VerifiedEntry>, Error> {
    let entries = parsed
        .tlog_entries
        .filter(|e| !e.is_empty())
        .ok_or(SigstoreError::NoTlogEntry)?;
    let mut dsse_payload = Vec::new();
    let payload_type: String = match &parsed.content {
        Content::Dsse(env) => env.payload_type.chars().collect(),
        Content::MessageSignature(_) => String::new(),
    };
    let signatures = [signature];
    let content = match &parsed.content {
        Content::MessageSignature(_) => tlog::Content::MessageSignature { digests, signature },
        Content::Dsse(env) => {
            dsse_payload = decode_owned(env.payload, Field::Payload)?;
            tlog::Content::Dsse {
                payload_type: &payload_type,
                payload: &dsse_payload,
                signatures: &signatures,
            }
        }
    };
    let key_spki;
    let tlog_signer = match leaf {
        Some(cert) => tlog::Signer::Certificate(cert.der()),
        None => {
            key_spki = key.spki_der()?;
            tlog::Signer::PublicKey(&key_spki)
        }
    };
    let now = time.now().map(UnixTime::secs);
    let verified = tlog::verify_entries(
        entries,
        &content,
        &tlog_signer,
        Some(key),
        trust,
        parsed.version,
        now,
    )
    .map_err(|(entry, cause)| Error::Tlog { entry, cause })?;
    drop(dsse_payload);
    for (i, e) in verified.iter().enumerate() {
        if let Some(inc) = &e.inclusion {
            let log = trust.tlogs.get(e.log).ok_or(SigstoreError::NoTlogEntry)?;
            // The entry, not the checkpoint's text, says how its log signs.
            let convention = if e.rekor_v2 {
                checkpoint::Convention::SignedNote
            } else {
                checkpoint::Convention::RekorV1
            };
            checkpoint::verify(&inc.checkpoint, log, convention, &inc.root, inc.tree_size)
                .map_err(|cause| Error::Checkpoint { entry: i, cause })?;
        }
    }
    Ok(verified)
}

/// Check 4: every RFC 3161 timestamp over the signature, from a trusted
/// TSA; a Rekor v2 entry has no integrated time, so a bundle with one
/// needs a timestamp; the log key of an entry with no verified integrated
/// time (Rekor v2, or Rekor v1 with a proof and no SET) must be valid at
/// every timestamp (a retired or future log proves nothing).
#[inline(never)]
fn timestamps(
    parsed: &Bundle<'_>,
    signature: &[u8],
    entries: &[VerifiedEntry],
    trust: &TrustedRoot,
    memo: &SignatureMemo,
) -> Result<Vec<VerifiedTimestamp>, Error> {
    let stamps = timestamp::verify_all(
        parsed.timestamp_verification_data,
        signature,
        &trust.timestamp_authorities,
        memo,
    )
    .map_err(|(index, cause)| Error::Timestamp { index, cause })?;
    let rekor_v2 = entries.iter().any(|e| e.rekor_v2);
    if rekor_v2 && stamps.is_empty() {
        return Err(SigstoreError::NoTimestamp.into());
    }
    // An entry with no verified time of its own (Rekor v2, or a Rekor v1
    // entry with a proof and no SET) has only the timestamps to date it.
    let undated = |e: &VerifiedEntry| e.rekor_v2 || e.integrated_time.is_none();
    for (entry, e) in entries.iter().enumerate().filter(|(_, e)| undated(e)) {
        let window = trust
            .tlogs
            .get(e.log)
            .ok_or(SigstoreError::NoTlogEntry)?
            .valid_for;
        if !stamps
            .iter()
            .all(|s| window.contains(s.gen_time) && window.contains(s.upper()))
        {
            return Err(Error::Tlog {
                entry,
                cause: tlog::TlogError::LogKeyNotValid,
            });
        }
    }
    Ok(stamps)
}

/// Check 5, keyless, for a Rekor v1 entry with no inclusion promise: its
/// `integratedTime` is no verified time, but sigstore-go requires the
/// leaf valid at it all the same (`integrated time outside certificate
/// validity`), so this verifier does too.
fn unsigned_times_in_leaf(leaf: &Cert, entries: &[VerifiedEntry]) -> Result<(), Error> {
    let (not_before, not_after) = leaf.validity();
    for (entry, e) in entries.iter().enumerate() {
        if e.unsigned_time
            .is_some_and(|t| t < not_before || t > not_after)
        {
            return Err(Error::Tlog {
                entry,
                cause: tlog::TlogError::TimeOutsideLeafValidity,
            });
        }
    }
    Ok(())
}

/// Checks 5–6, keyless: at every observed time some Fulcio CA valid then
/// issues a path to the leaf; the leaf has the Fulcio profile and a valid
/// embedded SCT; the policy admits its identity.
#[inline(never)]
fn keyless_certificate(
    leaf: &Cert,
    policy: &IdentityPolicy,
    times: &[ObservedTime],
    stamps: &[VerifiedTimestamp],
    trust: &TrustedRoot,
    memo: &SignatureMemo,
) -> Result<(Option<Identity>, usize), Error> {
    if times.is_empty() {
        return Err(SigstoreError::NoObservedTime.into());
    }
    // Fulcio never issues a negative serial; sigstore-go and
    // sigstore-python refuse one (the certificate method accepts it, as
    // RFC 5280 §4.1.2.2 asks of path validation).
    if leaf.serial_negative() {
        return Err(CertificateError::NegativeSerial {
            at: CertPosition::Bundle(0),
        }
        .into());
    }
    // The instants the certificate must be valid at, in whole seconds: a
    // genTime with a fraction lies strictly between two of them, so both
    // are checked (a leaf whose notAfter is the earlier second had expired).
    let instants = times.iter().map(|t| t.time().secs()).chain(
        stamps
            .iter()
            .filter(|s| s.fraction)
            .map(|s| s.gen_time.saturating_add(1)),
    );
    let mut issuer_cert = None;
    for t in instants {
        issuer_cert = Some(chain_at(leaf, trust, t, memo)?);
    }
    let issuer_cert = issuer_cert.ok_or(SigstoreError::NoCaAtTime)?;
    leaf_checks(leaf, &issuer_cert, policy, trust)
}

/// Check 6 after the chain: the leaf's profile, its SCTs and the identity
/// policy. Not inlined: its frame is not under the chain's signature
/// checks (firmware stack).
#[inline(never)]
fn leaf_checks(
    leaf: &Cert,
    issuer_cert: &Cert,
    policy: &IdentityPolicy,
    trust: &TrustedRoot,
) -> Result<(Option<Identity>, usize), Error> {
    policy::check_leaf_profile(leaf)?;
    let scts = sct::verify_embedded_scts(leaf, issuer_cert, &trust.ctlogs)?;
    let id = policy.check(leaf)?;
    Ok((Some(id), scts))
}

/// Check 5 for one time: some Fulcio CA valid at `t` whose chain validates
/// the leaf at `t`. Returns the certificate that issued the leaf (for the
/// SCTs' issuer key hash).
#[inline(never)]
fn chain_at(
    leaf: &Cert,
    trust: &TrustedRoot,
    t: u64,
    memo: &SignatureMemo,
) -> Result<Box<Cert>, Error> {
    let mut last = Error::Sigstore(SigstoreError::NoCaAtTime);
    for ca in trust
        .certificate_authorities
        .iter()
        .filter(|ca| ca.valid_for.contains(t))
    {
        // sigstore-go verifies with Go's x509 asking for codeSigning: every
        // certificate above the leaf with an extKeyUsage must allow it.
        let eku_ok = ca
            .chain
            .iter()
            .all(|d| Cert::from_der(d).is_none_or(|c| eku_allows(c.parsed(), KP_CODE_SIGNING)));
        if !eku_ok {
            last = SigstoreError::CaEkuNotCodeSigning.into();
            continue;
        }
        let mut store = TrustStore::new();
        for der in &ca.chain {
            store.add_der(der)?;
        }
        match validate_signing_leaf(
            core::slice::from_ref(leaf),
            &store,
            UnixTime::from_secs(t),
            memo,
        ) {
            Ok(_) => {
                return ca
                    .chain
                    .iter()
                    .filter_map(|d| Cert::from_der(d))
                    .find(|c| c.issued(leaf))
                    .map(Box::new)
                    .ok_or(Error::Sigstore(SigstoreError::NoCaAtTime));
            }
            Err(e) => last = e.into(),
        }
    }
    Err(last)
}

/// Check 8, artifact: whether the in-toto statement `payload` lists a
/// subject with a `sha256`, `sha384` or `sha512` digest equal to the
/// artifact's (any one that the artifact's digest is known for).
fn subject_matches(payload: &[u8], artifact: &mut dyn Artifact) -> Result<(), Error> {
    let mismatch = Error::Sigstore(SigstoreError::SubjectMismatch);
    let doc = json::parse(payload).map_err(|_| mismatch)?;
    let subjects = doc
        .object()
        .ok()
        .and_then(|o| o.get("subject").ok().flatten())
        .and_then(|s| s.array().ok())
        .ok_or(mismatch)?;
    // Whether some digest could be compared, and whether some could not
    // for want of the artifact's digest under its hash.
    let (mut compared, mut unknown) = (false, false);
    for s in subjects.iter() {
        let Some(digests) = s
            .ok()
            .and_then(|s| s.object().ok())
            .and_then(|s| s.get("digest").ok().flatten())
            .and_then(|d| d.object().ok())
        else {
            continue;
        };
        for &h in SigHash::ALL {
            let Some(hex) = digests
                .get(h.lower_name())
                .ok()
                .flatten()
                .and_then(|v| v.str().ok())
            else {
                continue;
            };
            let Some(ours) = artifact.digest(h) else {
                unknown = true;
                continue;
            };
            compared = true;
            if hex_eq(hex.bytes(), ours.get(..h.len()).unwrap_or(&[])) {
                return Ok(());
            }
        }
    }
    if unknown && !compared {
        Err(SigstoreError::DigestUnavailable.into())
    } else {
        Err(mismatch)
    }
}

fn decode_owned(s: JsonStr<'_>, field: Field) -> Result<Vec<u8>, BundleError> {
    decode_base64_owned(s, field).map_err(BundleError::from)
}

// The tests match subjects digested with SHA-384 and SHA-512.
#[cfg(all(test, feature = "sha512"))]
mod tests {
    use super::*;
    use crate::sigstore::ArtifactDigest;

    #[test]
    fn subjects() {
        let artifact = b"artifact";
        let all = Digests::of(artifact);
        let hex = |h: SigHash| -> std::string::String {
            all.get(h)
                .unwrap()
                .iter()
                .map(|b| std::format!("{b:02x}"))
                .collect()
        };
        let doc = |digest: &str| {
            std::format!(
                r#"{{"subject":[{{"name":"x","digest":{{"sha256":"00"}}}},{{"name":"a","digest":{{{digest}}}}}]}}"#
            )
        };
        let sha256 = SigHash::Sha256;
        let mut only256 = ArtifactDigest(all.get(sha256).unwrap().try_into().unwrap());
        let ok = doc(&std::format!(r#""sha256":"{}""#, hex(sha256)));
        assert!(subject_matches(ok.as_bytes(), &mut all.clone()).is_ok());
        assert!(subject_matches(ok.as_bytes(), &mut only256).is_ok());
        assert!(subject_matches(ok.as_bytes(), &mut Digests::of(b"other")).is_err());
        // Subjects digested only with SHA-384 or SHA-512 (npm provenance)
        // match an artifact whose digests are all known, not one known
        // only by its SHA-256.
        for h in [SigHash::Sha384, SigHash::Sha512] {
            let only = std::format!(
                r#"{{"subject":[{{"name":"a","digest":{{"{}":"{}"}}}}]}}"#,
                h.lower_name(),
                hex(h)
            );
            assert!(subject_matches(only.as_bytes(), &mut all.clone()).is_ok());
            assert_eq!(
                subject_matches(only.as_bytes(), &mut only256),
                Err(Error::Sigstore(SigstoreError::DigestUnavailable))
            );
            // With another subject that could be compared, it is a mismatch.
            let two = doc(&std::format!(r#""{}":"{}""#, h.lower_name(), hex(h)));
            assert_eq!(
                subject_matches(two.as_bytes(), &mut only256),
                Err(Error::Sigstore(SigstoreError::SubjectMismatch))
            );
        }
        // Any one digest of a subject that matches is enough.
        let mixed = doc(&std::format!(
            r#""sha256":"{}","sha512":"{}""#,
            "11".repeat(32),
            hex(SigHash::Sha512)
        ));
        assert!(subject_matches(mixed.as_bytes(), &mut all.clone()).is_ok());
        assert_eq!(
            subject_matches(mixed.as_bytes(), &mut only256),
            Err(Error::Sigstore(SigstoreError::SubjectMismatch))
        );
        assert!(subject_matches(b"{}", &mut all.clone()).is_err());
        assert!(subject_matches(b"not json", &mut all.clone()).is_err());
    }

    const ROOT: &[u8] = include_bytes!("../../../testdata/sigstore/trusted_root.json");
    const V2_TSA: &[u8] =
        include_bytes!("../../../testdata/sigstore/cases/v2-dsse-model-tsa/bundle.sigstore.json");

    fn verifier(root: &TrustedRoot) -> SigstoreVerifier<'_> {
        SigstoreVerifier::new(
            root,
            IdentityPolicy::exact("signer@example.com", "https://oidc.example.com"),
        )
    }

    fn verify(v: &SigstoreVerifier<'_>) -> Result<SigstoreEvidence, Error> {
        let mut buf = std::vec![0u8; V2_TSA.len()];
        v.verify(V2_TSA, Time::NoClock, &mut buf)
            .map(|r| r.evidence().clone())
    }

    /// The trusted root's chain signatures (the Fulcio intermediate by its
    /// root, the TSA's leaf by its root) are checked by the first
    /// verification and not by the next ones, which verify the same.
    #[test]
    fn trusted_chain_signatures_are_checked_once() {
        let root = TrustedRoot::parse(ROOT).unwrap();
        let v = verifier(&root);
        let (candidates, verified) = v.memo.counts();
        assert!(candidates >= 2, "{candidates}");
        assert_eq!(verified, 0);
        let first = verify(&v).unwrap();
        assert!(v.memo.counts().1 >= 2, "{:?}", v.memo.counts());
        assert_eq!(verify(&v).unwrap(), first);
        // A clone keeps what its original learnt.
        assert_eq!(v.clone().memo.counts(), v.memo.counts());
    }

    /// A trusted certificate whose signature does not verify is never
    /// remembered: every verification refuses the bundle, with the same
    /// error as the first.
    #[test]
    fn a_failed_chain_signature_is_not_remembered() {
        let mut root = TrustedRoot::parse(ROOT).unwrap();
        for ca in &mut root.certificate_authorities {
            let issuing = ca.chain.first_mut().unwrap();
            let last = issuing.last_mut().unwrap();
            *last ^= 1;
        }
        let v = verifier(&root);
        let first = verify(&v).unwrap_err();
        assert!(matches!(first, Error::Certificate(_)), "{first:?}");
        assert_eq!(verify(&v).unwrap_err(), first);
        let good = TrustedRoot::parse(ROOT).unwrap();
        let fresh = verifier(&good);
        verify(&fresh).unwrap();
        // What the good root's verifier learnt is about other bytes.
        assert_eq!(verify(&v).unwrap_err(), first);
    }
}

/// A build without P-384 refuses a bundle whose Fulcio leaf is P-384 as an
/// algorithm it leaves out; a P-256 leaf's bundle is refused too, at the
/// chain, as the Fulcio CA (as the public-good instance's) is a P-384 key
/// signing with SHA-384: never a pass.
#[cfg(all(test, feature = "p256", not(feature = "p384")))]
mod minimal_tests {
    use super::*;
    use crate::Verifier;

    const ROOT: &[u8] = include_bytes!("../../../testdata/sigstore/trusted_root.json");
    const P256: &[u8] =
        include_bytes!("../../../testdata/sigstore/cases/v1-dsse-model/bundle.sigstore.json");
    const P384: &[u8] =
        include_bytes!("../../../testdata/sigstore/cases/v1-dsse-model-p384/bundle.sigstore.json");

    #[test]
    fn a_leaf_of_an_algorithm_left_out_is_refused_as_such() {
        let root = TrustedRoot::parse(ROOT).unwrap();
        let policy = IdentityPolicy::exact("signer@example.com", "https://oidc.example.com");
        let verifier = SigstoreVerifier::new(&root, policy);
        let mut buf = std::vec![0u8; P384.len()];
        assert_eq!(
            verifier.verify(P384, Time::NoClock, &mut buf).map(|_| ()),
            Err(Error::Key(KeyError::UnsupportedAlgorithm))
        );
        assert_eq!(
            verifier.verify(P256, Time::NoClock, &mut buf).map(|_| ()),
            Err(Error::Certificate(
                CertificateError::UnsupportedSignatureAlgorithm {
                    at: CertPosition::Bundle(0)
                }
            ))
        );
    }
}
