//! The `sigstore` method: a keyless (Fulcio certificate) or managed-key
//! bundle verified offline against a pinned trusted root.
//!
//! Checks, in order (Sigstore client specification, "Verification"; the
//! order authenticates before it parses anything the signature covers):
//! 1. the bundle's structure ([`crate::bundle`]); the signature bytes: the
//!    DSSE envelope's one signature or the `messageSignature`;
//! 2. the signer: keyless needs a certificate (the `certificate`, or, in
//!    bundles before v0.3, the first of `x509CertificateChain`: a v0.3
//!    bundle carrying a chain is refused, as the bundle specification
//!    requires and sigstore-go, -python and -js do); a managed key needs
//!    `publicKey` material matching the caller's key. The key, a Fulcio
//!    leaf's or a managed one, is one of the Sigstore algorithm registry
//!    ([`crate::registry`]) and decides the hash the signature is over:
//!    SHA-256, SHA-384 or SHA-512 for ECDSA on P-256, P-384 or P-521,
//!    SHA-256 for RSA. For a message signature the artifact's digest under
//!    that hash must be known, and `messageDigest`, when present, must be
//!    the artifact's digest under the hash it names;
//! 3. every transparency-log entry ([`crate::tlog`]): body bound to this
//!    bundle, SET, inclusion proof, then its checkpoint
//!    ([`crate::checkpoint`]) signed by the same log under the convention
//!    of the entry's Rekor version, with the proof's root and size; at
//!    least one entry is required, no entry twice;
//! 4. every RFC 3161 timestamp ([`crate::timestamp`]) over the signature,
//!    from a trusted TSA; a Rekor v2 entry carries no time, so a bundle with
//!    one needs at least one timestamp, and its log's key must be valid
//!    (`validFor`) at every timestamp's genTime;
//! 5. keyless: the observed times (verified SET integrated times and TSA
//!    times; at least one) each lie in the Fulcio CA's validity and the leaf
//!    chains to that CA at each of them (RFC 5280, [`crate::x509`]); the
//!    leaf is an end-entity code-signing certificate and carries at least
//!    one valid embedded SCT ([`crate::sct`]);
//! 6. keyless: the identity policy ([`crate::policy`]);
//! 7. the signature: DSSE over PAE with the leaf's (or managed) key (for
//!    an OMS model bundle also over model_signing's pre-1.0 PAE; for a
//!    generic DSSE bundle the standard PAE only), or the message signature
//!    over the artifact's digest, each with the key's hash;
//! 8. what was signed: an OMS statement ([`crate::statement`]) for a model,
//!    or, for an artifact, an in-toto subject whose `sha256`, `sha384` or
//!    `sha512` digest (any one of them the artifact's digests are known
//!    for) is the artifact's.
//!
//! `mediaType` only selects what a bundle must at least carry (v0.1 a SET,
//! later versions an inclusion proof): whatever a bundle carries is always
//! verified, so relabelling it can never switch a check off.

use alloc::vec::Vec;
use core::fmt;

use crate::bundle::BundleVersion;
use crate::bundle::{Bundle, Content, Material, decode_base64};
use crate::dsse::{CompatHash, VerifiedPayload, envelope_signature, verify_envelope};
use crate::error::{BundleError, CertificateError, Error, Field, KeyError, MaterialKind};
use crate::json;
use crate::keys::{Digests, PrehashKey, SigHash};
use crate::limits::{MAX_CERT_BYTES, MAX_SIGNATURE_BYTES};
use crate::manifest::VerifiedManifest;
use crate::policy::{self, Identity};
use crate::registry::SigstoreKey;
use crate::statement;
use crate::trust_root::TrustedRoot;
use crate::x509::{Cert, TrustStore, UnixTime, validate_signing_leaf};
use crate::{checkpoint, sct, timestamp, tlog};

/// Who must have signed.
#[derive(Debug, Clone, Copy)]
pub enum Signer<'a> {
    /// Keyless: a Fulcio certificate for this identity from this issuer.
    Identity {
        /// The certificate's SAN (email or URI), exactly.
        identity: &'a str,
        /// The OIDC issuer (Fulcio extension), exactly.
        issuer: &'a str,
    },
    /// A managed key, pinned by the caller; the bundle's transparency-log
    /// entries are still verified.
    Key(&'a SigstoreKey),
}

/// The step-level failures of the sigstore method (those the modules of
/// the individual checks do not own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SigstoreError {
    /// Keyless verification needs a certificate in the bundle.
    NoCertificate,
    /// A v0.3 bundle carries its keyless certificate as `certificate`, not
    /// `x509CertificateChain`.
    ChainInV03,
    /// A managed key needs `publicKey` material.
    NotKeyMaterial,
    /// The bundle has no transparency-log entry.
    NoTlogEntry,
    /// No verified time: no SET-verified entry and no trusted timestamp.
    NoObservedTime,
    /// A Rekor v2 entry has no integrated time: a trusted timestamp is
    /// required.
    NoTimestamp,
    /// No trusted Fulcio CA was valid at an observed time.
    NoCaAtTime,
    /// `messageDigest` is not a SHA2_256, SHA2_384 or SHA2_512 digest of
    /// that hash's length.
    UnsupportedDigest,
    /// The artifact's digest under a hash the bundle needs is not known
    /// (only its SHA-256 was given, `sha256:<hex>`).
    DigestUnavailable,
    /// `messageDigest` is not the artifact's digest.
    ArtifactDigestMismatch,
    /// No in-toto subject of the DSSE statement has the artifact's digest.
    SubjectMismatch,
    /// The signature does not verify over the artifact.
    BadMessageSignature,
}

impl fmt::Display for SigstoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoCertificate => "keyless verification needs a certificate in the bundle",
            Self::ChainInV03 => {
                "a v0.3 bundle must carry its certificate as `certificate`, not `x509CertificateChain`"
            }
            Self::NotKeyMaterial => "a managed key needs publicKey material in the bundle",
            Self::NoTlogEntry => "the bundle has no transparency-log entry",
            Self::NoObservedTime => {
                "no verified time: neither a signed entry timestamp nor a trusted RFC 3161 timestamp"
            }
            Self::NoTimestamp => "a Rekor v2 entry needs a trusted RFC 3161 timestamp",
            Self::NoCaAtTime => "no trusted Fulcio CA was valid at the signing time",
            Self::UnsupportedDigest => {
                "messageDigest is not a SHA2_256, SHA2_384 or SHA2_512 digest"
            }
            Self::DigestUnavailable => {
                "the artifact's digest under the hash the bundle needs is not known (give the artifact itself, not its sha256)"
            }
            Self::ArtifactDigestMismatch => "messageDigest is not the artifact's digest",
            Self::SubjectMismatch => "no in-toto subject has the artifact's digest",
            Self::BadMessageSignature => "the signature does not verify over the artifact",
        })
    }
}

/// A time an independent service vouched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ObservedTime {
    /// A Rekor v1 entry's integrated time, from its verified SET.
    Tlog(u64),
    /// An RFC 3161 timestamp's genTime.
    Timestamp(u64),
}

impl ObservedTime {
    /// Unix seconds.
    pub fn unix(&self) -> u64 {
        match *self {
            ObservedTime::Tlog(t) | ObservedTime::Timestamp(t) => t,
        }
    }
}

/// What a verified Sigstore bundle proved besides its content.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The keyless signer (absent for a managed key).
    pub identity: Option<Identity>,
    /// Verified log entries: (index into `trust.tlogs`, log index).
    pub entries: Vec<(usize, u64)>,
    /// Verified times.
    pub times: Vec<ObservedTime>,
    /// Embedded SCTs that verified.
    pub scts: usize,
    /// The signing key's algorithm (`P-256`, `RSA-3072`, ...).
    pub key: &'static str,
}

/// The artifact a `messageSignature` or an in-toto subject must match, as
/// its digests: asked for under the hashes the bundle needs (the signing
/// key's, the one `messageDigest` names, the ones the subjects name).
pub trait Artifact {
    /// The artifact's digest under `hash`, in the first [`SigHash::len`]
    /// bytes, or `None` when it is not known.
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]>;
}

impl<A: Artifact + ?Sized> Artifact for &mut A {
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]> {
        (**self).digest(hash)
    }
}

/// An artifact known only by its SHA-256 (`sha256:<hex>`).
#[derive(Debug, Clone, Copy)]
pub struct ArtifactDigest(pub [u8; 32]);

impl Artifact for ArtifactDigest {
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]> {
        let mut out = [0u8; 64];
        out.get_mut(..32)?.copy_from_slice(&self.0);
        (hash == SigHash::Sha256).then_some(out)
    }
}

/// An artifact with the digests recorded in a [`Digests`] (all three for
/// one held in memory: [`Digests::of`]).
impl Artifact for Digests {
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]> {
        let d = self.get(hash)?;
        let mut out = [0u8; 64];
        out.get_mut(..d.len())?.copy_from_slice(d);
        Some(out)
    }
}

/// What the signature covers, once authenticated.
enum Signed<'p> {
    Payload(VerifiedPayload<'p>),
    Message,
}

/// Verifies a Sigstore-signed OMS bundle and returns its authenticated
/// manifest with the evidence. `now` bounds integrated times;
/// `payload_buf` receives the payload (the bundle's size always suffices).
pub fn verify_sigstore_bundle<'p>(
    bundle: &[u8],
    trust: &TrustedRoot,
    signer: Signer<'_>,
    now: UnixTime,
    payload_buf: &'p mut [u8],
) -> Result<(VerifiedManifest<'p>, Evidence), Error> {
    let parsed = Bundle::parse(bundle)?;
    parsed.envelope()?;
    // OMS model bundles keep model_signing's pre-1.0 PAE fallback.
    let compat = Some(CompatHash::KeyCurve);
    let (signed, evidence) = verify_parsed(&parsed, trust, signer, now, None, compat, payload_buf)?;
    match signed {
        Signed::Payload(p) => Ok((statement::parse(p)?, evidence)),
        Signed::Message => Err(BundleError::NotDsse.into()),
    }
}

/// Verifies a Sigstore bundle over an artifact: a `messageSignature`, or
/// a DSSE in-toto statement one of whose subjects is the artifact (the
/// sigstore-conformance `verify-bundle`). The artifact is asked for its
/// digests under the hashes the bundle needs.
pub fn verify_artifact_bundle(
    bundle: &[u8],
    trust: &TrustedRoot,
    signer: Signer<'_>,
    now: UnixTime,
    mut artifact: impl Artifact,
) -> Result<Evidence, Error> {
    let parsed = Bundle::parse(bundle)?;
    let mut payload_buf = match &parsed.content {
        Content::Dsse(env) => alloc::vec![0u8; env.payload.raw().len()],
        Content::MessageSignature(_) => Vec::new(),
    };
    // A generic DSSE bundle: the standard PAE only (DSSE v1, sigstore-go,
    // sigstore-python).
    let (signed, evidence) = verify_parsed(
        &parsed,
        trust,
        signer,
        now,
        Some(&mut artifact),
        None,
        &mut payload_buf,
    )?;
    if let Signed::Payload(p) = signed {
        subject_matches(p.bytes(), &mut artifact)?;
    }
    Ok(evidence)
}

/// Whether the in-toto statement `payload` lists a subject with a
/// `sha256`, `sha384` or `sha512` digest equal to the artifact's (any one
/// that the artifact's digest is known for).
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
        for h in SigHash::ALL {
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

/// Whether lowercase-or-uppercase hex `text` spells `bytes`.
fn hex_eq(text: impl Iterator<Item = u8>, bytes: &[u8]) -> bool {
    let mut want = bytes.iter().flat_map(|b| [b >> 4, b & 0xf]);
    for c in text {
        let v = match c {
            b'0'..=b'9' => c.wrapping_sub(b'0'),
            b'a'..=b'f' => c.wrapping_sub(b'a' - 10),
            b'A'..=b'F' => c.wrapping_sub(b'A' - 10),
            _ => return false,
        };
        if want.next() != Some(v) {
            return false;
        }
    }
    want.next().is_none()
}

fn decode_owned(s: json::JsonStr<'_>, field: Field) -> Result<Vec<u8>, BundleError> {
    let mut buf = alloc::vec![0u8; s.raw().len()];
    let n = decode_base64(s, &mut buf, field)?.len();
    buf.truncate(n);
    Ok(buf)
}

fn verify_parsed<'p>(
    parsed: &Bundle<'_>,
    trust: &TrustedRoot,
    signer: Signer<'_>,
    now: UnixTime,
    artifact: Option<&mut dyn Artifact>,
    compat: Option<CompatHash>,
    payload_buf: &'p mut [u8],
) -> Result<(Signed<'p>, Evidence), Error> {
    // 1. The signature bytes.
    let mut sig_buf = [0u8; MAX_SIGNATURE_BYTES * 2];
    let (signature, message_digest) = match &parsed.content {
        Content::Dsse(env) => (envelope_signature(env, &mut sig_buf)?, None),
        Content::MessageSignature(m) => (
            decode_base64(m.signature, &mut sig_buf, Field::Signature)?,
            Some(m.digest),
        ),
    };

    // 2. The signer's certificate and key.
    let (leaf, key) = match signer {
        Signer::Identity { .. } => {
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
                    .ok_or(Error::Sigstore(SigstoreError::NoCertificate))?,
                Material::PublicKey { .. } => {
                    return Err(BundleError::MaterialMismatch {
                        expected: MaterialKind::Certificate,
                        found: MaterialKind::PublicKey,
                    }
                    .into());
                }
            };
            if raw.raw().len() > MAX_CERT_BYTES * 2 {
                return Err(CertificateError::Encoding {
                    at: crate::error::CertPosition::Bundle(0),
                }
                .into());
            }
            let der = decode_owned(raw, Field::RawBytes)?;
            let cert = Cert::from_der(&der).ok_or(CertificateError::Encoding {
                at: crate::error::CertPosition::Bundle(0),
            })?;
            // The key only chooses the hash here; the chain (step 5)
            // authenticates the certificate before it verifies anything.
            let spki = cert.spki_der().ok_or(KeyError::Spki)?;
            let key = SigstoreKey::from_spki_der(&spki)?;
            (Some(cert), key)
        }
        Signer::Key(key) => {
            // `hint` is an opaque, unsigned label in Sigstore bundles (not
            // model_signing's SHA-256 of the key): the signature decides.
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
            (None, key.clone())
        }
    };
    let hash = key.sig_hash();

    // The artifact's digests a message signature needs: under the key's
    // hash (what it signs) and under the hash `messageDigest` names.
    let mut digests = Digests::default();
    if let Some(md) = message_digest {
        let artifact = artifact.ok_or(Error::Sigstore(SigstoreError::DigestUnavailable))?;
        if let Some(d) = artifact.digest(hash) {
            digests.set(hash, d.get(..hash.len()).unwrap_or(&[]));
        }
        if let Some(md) = md {
            let unsupported = Error::Sigstore(SigstoreError::UnsupportedDigest);
            let alg = SigHash::ALL
                .into_iter()
                .find(|h| md.algorithm.eq_str(h.proto_name()))
                .ok_or(unsupported)?;
            let mut b = [0u8; 128];
            let bytes = decode_base64(md.digest, &mut b, Field::Digest)?;
            if bytes.len() != alg.len() {
                return Err(unsupported);
            }
            let ours = artifact
                .digest(alg)
                .ok_or(Error::Sigstore(SigstoreError::DigestUnavailable))?;
            if ours.get(..alg.len()) != Some(bytes) {
                return Err(SigstoreError::ArtifactDigestMismatch.into());
            }
            digests.set(alg, bytes);
        }
        if digests.get(hash).is_none() {
            return Err(SigstoreError::DigestUnavailable.into());
        }
    }

    // 3. Transparency-log entries and their checkpoints.
    let entries = parsed
        .tlog_entries
        .filter(|e| !e.is_empty())
        .ok_or(Error::Sigstore(SigstoreError::NoTlogEntry))?;
    let mut dsse_payload = Vec::new();
    let payload_type: alloc::string::String = match &parsed.content {
        Content::Dsse(env) => env.payload_type.chars().collect(),
        Content::MessageSignature(_) => alloc::string::String::new(),
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
    let tlog_signer = match &leaf {
        Some(cert) => tlog::Signer::Certificate(cert.der()),
        None => {
            key_spki = key.spki_der()?;
            tlog::Signer::PublicKey(&key_spki)
        }
    };
    let verified = tlog::verify_entries(
        entries,
        &content,
        &tlog_signer,
        Some(&key),
        trust,
        parsed.version,
        now.0,
    )
    .map_err(|(entry, cause)| Error::Tlog { entry, cause })?;
    drop(dsse_payload);
    let mut times = Vec::new();
    let mut rekor_v2 = false;
    for (i, e) in verified.iter().enumerate() {
        if let Some(inc) = &e.inclusion {
            let log = trust
                .tlogs
                .get(e.log)
                .ok_or(Error::Sigstore(SigstoreError::NoTlogEntry))?;
            // The entry, not the checkpoint's text, says how its log signs.
            let convention = if e.rekor_v2 {
                checkpoint::Convention::SignedNote
            } else {
                checkpoint::Convention::RekorV1
            };
            checkpoint::verify(&inc.checkpoint, log, convention, &inc.root, inc.tree_size)
                .map_err(|cause| Error::Checkpoint { entry: i, cause })?;
        }
        if let Some(t) = e.integrated_time {
            times.push(ObservedTime::Tlog(t));
        }
        rekor_v2 |= e.rekor_v2;
    }

    // 4. Timestamps.
    let stamps = timestamp::verify_all(
        parsed.timestamp_verification_data,
        signature,
        &trust.timestamp_authorities,
    )
    .map_err(|(index, cause)| Error::Timestamp { index, cause })?;
    if rekor_v2 && stamps.is_empty() {
        return Err(SigstoreError::NoTimestamp.into());
    }
    // A Rekor v2 entry has no integrated time: its log's key must be valid
    // at every TSA time instead (a retired or future log proves nothing).
    for (entry, e) in verified.iter().enumerate().filter(|(_, e)| e.rekor_v2) {
        let window = trust
            .tlogs
            .get(e.log)
            .ok_or(Error::Sigstore(SigstoreError::NoTlogEntry))?
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
    times.extend(stamps.iter().map(|s| ObservedTime::Timestamp(s.gen_time)));
    // The instants the certificate must be valid at, in whole seconds: a
    // genTime with a fraction lies strictly between two of them, so both
    // are checked (a leaf whose notAfter is the earlier second had expired).
    let mut instants: Vec<u64> = times.iter().map(ObservedTime::unix).collect();
    instants.extend(
        stamps
            .iter()
            .filter(|s| s.fraction)
            .map(|s| s.gen_time.saturating_add(1)),
    );

    // 5–6. The certificate at every observed time, SCTs, identity.
    let (identity, scts) = match (&leaf, signer) {
        (Some(leaf), Signer::Identity { identity, issuer }) => {
            if times.is_empty() {
                return Err(SigstoreError::NoObservedTime.into());
            }
            let mut issuer_cert = None;
            for &t in &instants {
                issuer_cert = Some(chain_at(leaf, trust, t)?);
            }
            let issuer_cert = issuer_cert.ok_or(Error::Sigstore(SigstoreError::NoCaAtTime))?;
            policy::check_leaf_profile(leaf).map_err(Error::Policy)?;
            let scts =
                sct::verify_embedded_scts(leaf, &issuer_cert, &trust.ctlogs).map_err(Error::Sct)?;
            let id = policy::check(leaf, identity, issuer).map_err(Error::Policy)?;
            (Some(id), scts)
        }
        (None, Signer::Key(_)) => (None, 0),
        _ => return Err(SigstoreError::NoCertificate.into()),
    };

    // 7. The signature, with the key's hash.
    let signed = match &parsed.content {
        Content::Dsse(env) => Signed::Payload(verify_envelope(env, &key, compat, payload_buf)?),
        Content::MessageSignature(_) => {
            let digest = digests
                .get(hash)
                .ok_or(Error::Sigstore(SigstoreError::DigestUnavailable))?;
            key.verify_prehash(digest, signature)
                .map_err(|_| Error::Sigstore(SigstoreError::BadMessageSignature))?;
            Signed::Message
        }
    };
    let evidence = Evidence {
        identity,
        entries: verified.iter().map(|e| (e.log, e.log_index)).collect(),
        times,
        scts,
        key: key.name(),
    };
    Ok((signed, evidence))
}

/// Step 5 for one time: some Fulcio CA valid at `t` whose chain validates
/// the leaf at `t`. Returns the certificate that issued the leaf (for the
/// SCTs' issuer key hash).
fn chain_at(leaf: &Cert, trust: &TrustedRoot, t: u64) -> Result<Cert, Error> {
    let mut last = Error::Sigstore(SigstoreError::NoCaAtTime);
    for ca in trust
        .certificate_authorities
        .iter()
        .filter(|ca| ca.valid_for.contains(t))
    {
        let mut store = TrustStore::new();
        for der in &ca.chain {
            store.add_der(der)?;
        }
        match validate_signing_leaf(core::slice::from_ref(leaf), &store, UnixTime(t)) {
            Ok(_) => {
                return ca
                    .chain
                    .iter()
                    .filter_map(|d| Cert::from_der(d))
                    .find(|c| c.issued(leaf))
                    .ok_or(Error::Sigstore(SigstoreError::NoCaAtTime));
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_compare() {
        assert!(hex_eq("0aFf".bytes(), &[0x0a, 0xff]));
        assert!(!hex_eq("0aff00".bytes(), &[0x0a, 0xff]));
        assert!(!hex_eq("0a".bytes(), &[0x0a, 0xff]));
        assert!(!hex_eq("0g".bytes(), &[0x0a]));
    }

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
}
