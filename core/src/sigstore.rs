//! The `sigstore` method: a keyless (Fulcio certificate) or managed-key
//! bundle verified offline against a pinned trusted root.
//!
//! Checks, in order (Sigstore client specification, "Verification"; the
//! order authenticates before it parses anything the signature covers):
//! 1. the bundle's structure ([`crate::bundle`]); the signature bytes: the
//!    DSSE envelope's one signature or the `messageSignature`;
//! 2. the signer: keyless needs a certificate (the `certificate`, or the
//!    first of `x509CertificateChain`); a managed key needs `publicKey`
//!    material matching the caller's key;
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
//!    over the artifact's SHA-256 digest;
//! 8. what was signed: an OMS statement ([`crate::statement`]) for a model,
//!    or, for an artifact, the `messageDigest` or an in-toto subject digest
//!    equal to the artifact's.
//!
//! `mediaType` only selects what a bundle must at least carry (v0.1 a SET,
//! later versions an inclusion proof): whatever a bundle carries is always
//! verified, so relabelling it can never switch a check off.

use alloc::vec::Vec;
use core::fmt;

use crate::bundle::{Bundle, Content, Material, decode_base64};
use crate::dsse::{CompatHash, VerifiedPayload, envelope_signature, verify_envelope};
use crate::error::{BundleError, CertificateError, Error, Field, KeyError, MaterialKind};
use crate::json;
use crate::keys::PublicKey;
use crate::limits::{MAX_CERT_BYTES, MAX_SIGNATURE_BYTES};
use crate::manifest::VerifiedManifest;
use crate::policy::{self, Identity};
use crate::statement;
use crate::trust_root::TrustedRoot;
use crate::x509::{Cert, TrustStore, UnixTime, validate_chain};
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
    Key(&'a PublicKey),
}

/// The step-level failures of the sigstore method (those the modules of
/// the individual checks do not own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SigstoreError {
    /// Keyless verification needs a certificate in the bundle.
    NoCertificate,
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
    /// `messageDigest` is not SHA2_256 or not 32 bytes.
    UnsupportedDigest,
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
            Self::NotKeyMaterial => "a managed key needs publicKey material in the bundle",
            Self::NoTlogEntry => "the bundle has no transparency-log entry",
            Self::NoObservedTime => {
                "no verified time: neither a signed entry timestamp nor a trusted RFC 3161 timestamp"
            }
            Self::NoTimestamp => "a Rekor v2 entry needs a trusted RFC 3161 timestamp",
            Self::NoCaAtTime => "no trusted Fulcio CA was valid at the signing time",
            Self::UnsupportedDigest => "messageDigest is not a SHA2_256 digest",
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
}

/// The artifact a `messageSignature` or DSSE subject must match.
#[derive(Debug, Clone, Copy)]
pub struct ArtifactDigest(pub [u8; 32]);

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

/// Verifies a Sigstore bundle over an artifact given by its SHA-256
/// digest: a `messageSignature`, or a DSSE in-toto statement one of whose
/// subjects is the artifact (the sigstore-conformance `verify-bundle`).
pub fn verify_artifact_bundle(
    bundle: &[u8],
    trust: &TrustedRoot,
    signer: Signer<'_>,
    now: UnixTime,
    artifact: ArtifactDigest,
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
        Some(artifact),
        None,
        &mut payload_buf,
    )?;
    if let Signed::Payload(p) = signed {
        subject_matches(p.bytes(), &artifact.0)?;
    }
    Ok(evidence)
}

/// Whether the in-toto statement `payload` lists a subject whose sha256
/// digest is `digest`.
fn subject_matches(payload: &[u8], digest: &[u8; 32]) -> Result<(), Error> {
    let mismatch = Error::Sigstore(SigstoreError::SubjectMismatch);
    let doc = json::parse(payload).map_err(|_| mismatch)?;
    let subjects = doc
        .object()
        .ok()
        .and_then(|o| o.get("subject").ok().flatten())
        .and_then(|s| s.array().ok())
        .ok_or(mismatch)?;
    for s in subjects.iter() {
        let hex = s
            .ok()
            .and_then(|s| s.object().ok())
            .and_then(|s| s.get("digest").ok().flatten())
            .and_then(|d| d.object().ok())
            .and_then(|d| d.get("sha256").ok().flatten())
            .and_then(|h| h.str().ok());
        if let Some(hex) = hex
            && hex_eq(hex.bytes(), digest)
        {
            return Ok(());
        }
    }
    Err(mismatch)
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
    artifact: Option<ArtifactDigest>,
    compat: Option<CompatHash>,
    payload_buf: &'p mut [u8],
) -> Result<(Signed<'p>, Evidence), Error> {
    // 1. The signature bytes, and what the log entries must bind to.
    let mut sig_buf = [0u8; MAX_SIGNATURE_BYTES * 2];
    let (signature, message_digest): (&[u8], Option<[u8; 32]>) = match &parsed.content {
        Content::Dsse(env) => (envelope_signature(env, &mut sig_buf)?, None),
        Content::MessageSignature(m) => {
            let sig = decode_base64(m.signature, &mut sig_buf, Field::Signature)?;
            let digest = match (m.digest, artifact) {
                (Some(d), _) => {
                    if !d.algorithm.eq_str("SHA2_256") {
                        return Err(SigstoreError::UnsupportedDigest.into());
                    }
                    let mut b = [0u8; 64];
                    let bytes = decode_base64(d.digest, &mut b, Field::Digest)?;
                    let bytes: [u8; 32] = bytes
                        .try_into()
                        .map_err(|_| Error::Sigstore(SigstoreError::UnsupportedDigest))?;
                    if artifact.is_some_and(|a| a.0 != bytes) {
                        return Err(SigstoreError::ArtifactDigestMismatch.into());
                    }
                    bytes
                }
                (None, Some(a)) => a.0,
                (None, None) => return Err(SigstoreError::UnsupportedDigest.into()),
            };
            (sig, Some(digest))
        }
    };

    // 2. The signer's certificate or key.
    let leaf = match signer {
        Signer::Identity { .. } => {
            let raw = match parsed.material {
                Material::Certificate { raw_bytes } => raw_bytes,
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
            Some(Cert::from_der(&der).ok_or(CertificateError::Encoding {
                at: crate::error::CertPosition::Bundle(0),
            })?)
        }
        Signer::Key(key) => {
            // `hint` is an opaque, unsigned label in Sigstore bundles (not
            // model_signing's SHA-256 of the key): the signature decides.
            let Material::PublicKey { raw_bytes, .. } = parsed.material else {
                return Err(SigstoreError::NotKeyMaterial.into());
            };
            if let Some(raw) = raw_bytes {
                let bytes = decode_owned(raw, Field::RawBytes)?;
                match PublicKey::from_pem_or_der(&bytes) {
                    Ok(k) if k == *key => {}
                    _ => return Err(KeyError::RawBytesMismatch.into()),
                }
            }
            None
        }
    };

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
    let content = match (&parsed.content, message_digest) {
        (Content::MessageSignature(_), Some(digest)) => tlog::Content::MessageSignature {
            digest_sha256: digest,
            signature,
        },
        (Content::Dsse(env), _) => {
            dsse_payload = decode_owned(env.payload, Field::Payload)?;
            tlog::Content::Dsse {
                payload_type: &payload_type,
                payload: &dsse_payload,
                signatures: &signatures,
            }
        }
        (Content::MessageSignature(_), None) => {
            return Err(SigstoreError::UnsupportedDigest.into());
        }
    };
    let key_spki;
    // The leaf's key, if it is one this verifier reads (step 5 needs it
    // anyway), for the logged key algorithm.
    let leaf_key = leaf.as_ref().and_then(|c| c.public_key().ok());
    let signer_key = match signer {
        Signer::Key(key) => Some(key),
        Signer::Identity { .. } => leaf_key.as_ref(),
    };
    let tlog_signer = match (&leaf, signer) {
        (Some(cert), _) => tlog::Signer::Certificate(cert.der()),
        (None, Signer::Key(key)) => {
            let mut buf = [0u8; crate::limits::MAX_SPKI_BYTES];
            key_spki = key.to_spki_der(&mut buf)?.to_vec();
            tlog::Signer::PublicKey(&key_spki)
        }
        (None, Signer::Identity { .. }) => return Err(SigstoreError::NoCertificate.into()),
    };
    let verified = tlog::verify_entries(
        entries,
        &content,
        &tlog_signer,
        signer_key,
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
    let (key, identity, scts) = match (&leaf, signer) {
        (Some(leaf), Signer::Identity { identity, issuer }) => {
            if times.is_empty() {
                return Err(SigstoreError::NoObservedTime.into());
            }
            let mut issuer_cert = None;
            let mut key = None;
            for &t in &instants {
                let (k, iss) = chain_at(leaf, trust, t)?;
                key = Some(k);
                issuer_cert = Some(iss);
            }
            let key = key.ok_or(Error::Sigstore(SigstoreError::NoObservedTime))?;
            let issuer_cert = issuer_cert.ok_or(Error::Sigstore(SigstoreError::NoCaAtTime))?;
            policy::check_leaf_profile(leaf).map_err(Error::Policy)?;
            let scts =
                sct::verify_embedded_scts(leaf, &issuer_cert, &trust.ctlogs).map_err(Error::Sct)?;
            let id = policy::check(leaf, identity, issuer).map_err(Error::Policy)?;
            (key, Some(id), scts)
        }
        (None, Signer::Key(key)) => (*key, None, 0),
        _ => return Err(SigstoreError::NoCertificate.into()),
    };

    // 7. The signature.
    let signed = match (&parsed.content, message_digest) {
        (Content::Dsse(env), _) => {
            Signed::Payload(verify_envelope(env, &key, compat, payload_buf)?)
        }
        (Content::MessageSignature(_), Some(digest)) => {
            key.verify_prehash(&digest, signature)
                .map_err(|_| Error::Sigstore(SigstoreError::BadMessageSignature))?;
            Signed::Message
        }
        (Content::MessageSignature(_), None) => {
            return Err(SigstoreError::UnsupportedDigest.into());
        }
    };
    let evidence = Evidence {
        identity,
        entries: verified.iter().map(|e| (e.log, e.log_index)).collect(),
        times,
        scts,
    };
    Ok((signed, evidence))
}

/// Step 5 for one time: some Fulcio CA valid at `t` whose chain validates
/// the leaf at `t`. Returns the leaf's key and the certificate that issued
/// the leaf (for the SCTs' issuer key hash).
fn chain_at(leaf: &Cert, trust: &TrustedRoot, t: u64) -> Result<(PublicKey, Cert), Error> {
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
        match validate_chain(core::slice::from_ref(leaf), &store, UnixTime(t)) {
            Ok(key) => {
                let issuer = ca
                    .chain
                    .iter()
                    .filter_map(|d| Cert::from_der(d))
                    .find(|c| c.issued(leaf))
                    .ok_or(Error::Sigstore(SigstoreError::NoCaAtTime))?;
                return Ok((key, issuer));
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
        let d = [0xab; 32];
        let hex: std::string::String = d.iter().map(|b| std::format!("{b:02x}")).collect();
        let ok = std::format!(
            r#"{{"subject":[{{"name":"x","digest":{{"sha256":"00"}}}},{{"name":"a","digest":{{"sha256":"{hex}"}}}}]}}"#
        );
        assert!(subject_matches(ok.as_bytes(), &d).is_ok());
        assert!(subject_matches(ok.as_bytes(), &[0; 32]).is_err());
        assert!(subject_matches(b"{}", &d).is_err());
        assert!(subject_matches(b"not json", &d).is_err());
    }
}
