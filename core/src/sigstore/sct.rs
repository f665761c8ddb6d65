//! Sigstore method: the Fulcio leaf certificate's embedded Signed
//! Certificate Timestamps (SCTs) must show that a trusted CT log saw it.
//!
//! Checks, in order (RFC 6962 §3.2 and §3.3; policy as sigstore-go's
//! `VerifySignedCertificateTimestamp`):
//! 1. the leaf carries the SCT-list extension (1.3.6.1.4.1.11129.2.4.2)
//!    exactly once, a DER OCTET STRING (§3.3);
//! 2. it holds a TLS `SignedCertificateTimestampList`: the list length and
//!    every SCT's length agree with the bytes, nothing trails (§3.3);
//! 3. the list holds 1 to [`MAX_EMBEDDED_SCTS`] SCTs;
//! 4. every SCT is a well-formed v1 SCT: version 0, log id, timestamp,
//!    extensions (any content is accepted, as Static CT logs fill them),
//!    and a digitally-signed struct with known algorithm codes (§3.2). One
//!    malformed SCT rejects the list, as certificate-transparency-go's
//!    parser does; unlike it, an SCT of another version counts as
//!    malformed rather than skipped (x509-cert decodes v1 only);
//! 5. `issuer` is the leaf's issuer (its subject names the leaf's issuer);
//! 6. the precertificate TBS is rebuilt: the leaf's TBSCertificate without
//!    the SCT-list extension (§3.2), and the issuer key hash is SHA-256 of
//!    the issuer's SubjectPublicKeyInfo (§3.2);
//!
//! then, for each SCT (one that fails is skipped, as sigstore-go does):
//! 7. its log id is the `logId` of a CT log in the trusted root;
//! 8. its timestamp lies in that log's `validFor` (sigstore-go);
//! 9. its hash and signature algorithms are the log key's: SHA-256/ECDSA
//!    for P-256, SHA-384/ECDSA for P-384, SHA-512/ECDSA for P-521,
//!    SHA-256/RSA for RSA keys, intrinsic/Ed25519 for Ed25519;
//! 10. the log's signature verifies over the `digitally-signed` data of a
//!     `precert_entry` (§3.2): version, signature type 0, timestamp, entry
//!     type 1, issuer key hash, u24-prefixed TBS, u16-prefixed extensions;
//!
//! and finally:
//! 11. at least one SCT verified (sigstore-go's default threshold, 1).
//!
//! The SCT structures are decoded by x509-cert (feature `sct`). Time is not
//! compared with a clock: sigstore-go does not check an SCT's timestamp
//! against the verification time either.

use alloc::vec::Vec;
use core::fmt;

use der::asn1::ObjectIdentifier;
use der::oid::AssociatedOid;
use der::{Decode, Encode, Header, Length, Reader, SliceReader, Tag, TagNumber};
use sha2::{Digest as _, Sha256};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::sct::{
    HashAlgorithm, SignatureAlgorithm, SignedCertificateTimestamp, SignedCertificateTimestampList,
    Version,
};

use crate::check::Check;
use crate::limits::MAX_EMBEDDED_SCTS;
use crate::sigstore::logkey::{KeyDetails, LogKeyError};
use crate::sigstore::trust_root::TransparencyLog;
use crate::x509::Cert;

/// Which layer of the embedded SCT list is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SctPart {
    /// The X.509 extension: repeated, or its value is not one OCTET STRING.
    Extension,
    /// The TLS list: its length or an SCT's length disagrees with the bytes.
    List,
    /// An SCT's own fields: truncated, trailing bytes, an unknown version
    /// or algorithm code.
    Entry,
}

/// Why an SCT did not verify. Ordered by how far the SCT got: when none
/// verifies, the error reports the furthest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SctFailure {
    /// No CT log of the trusted root has the SCT's log id.
    UnknownLog,
    /// The SCT's timestamp lies outside the log's `validFor`.
    OutsideLogValidity,
    /// The log's key is of an algorithm this verifier does not implement,
    /// or its bytes are not a key of the declared algorithm.
    UnsupportedKey,
    /// The SCT's hash or signature algorithm is not the log key's.
    AlgorithmMismatch,
    /// The log's signature does not verify.
    BadSignature,
}

/// Why the embedded SCTs were rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SctError {
    /// The leaf has no SCT-list extension.
    Missing,
    /// The extension, the list or an SCT is malformed.
    Malformed(SctPart),
    /// The list holds no SCT.
    Empty,
    /// The list holds more than [`MAX_EMBEDDED_SCTS`] SCTs.
    TooMany,
    /// The issuer certificate given is not the leaf's issuer.
    WrongIssuer,
    /// The precertificate TBS cannot be rebuilt from the leaf, or the
    /// issuer's key cannot be encoded.
    Precertificate,
    /// No SCT verified; the failure of the one that got furthest.
    NotVerified(SctFailure),
}

impl SctError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            Self::Missing => Check::SctMissing,
            Self::Malformed(_) => Check::SctMalformed,
            Self::Empty => Check::SctEmpty,
            Self::TooMany => Check::SctTooMany,
            Self::WrongIssuer => Check::SctWrongIssuer,
            Self::Precertificate => Check::SctPrecertificate,
            Self::NotVerified(_) => Check::SctNotVerified,
        }
    }
}

impl fmt::Display for SctError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("SCT: the certificate embeds no SCT list"),
            Self::Malformed(part) => write!(f, "SCT: malformed SCT list ({part:?})"),
            Self::Empty => f.write_str("SCT: the SCT list is empty"),
            Self::TooMany => f.write_str("SCT: too many SCTs"),
            Self::WrongIssuer => f.write_str("SCT: the issuer given did not issue the leaf"),
            Self::Precertificate => f.write_str("SCT: cannot rebuild the precertificate"),
            Self::NotVerified(why) => {
                write!(f, "SCT: no SCT verified by a trusted CT log ({why:?})")
            }
        }
    }
}

/// RFC 6962 §3.3: the SCT-list extension.
const SCT_LIST_OID: ObjectIdentifier = SignedCertificateTimestampList::OID;

/// Checks 1–11: verifies the SCTs embedded in `leaf`, issued by `issuer`
/// (the certificate that signed the leaf, from the validated path), against
/// the trusted root's CT logs. Returns how many SCTs verified (at least 1).
pub(crate) fn verify_embedded_scts(
    leaf: &Cert,
    issuer: &Cert,
    ctlogs: &[TransparencyLog],
) -> Result<usize, SctError> {
    let tbs = leaf.parsed().tbs_certificate();
    // 1.
    let list = match crate::x509::get_extension::<SignedCertificateTimestampList>(leaf.parsed()) {
        Ok(Some((_, list))) => list,
        Ok(None) => return Err(SctError::Missing),
        Err(_) => return Err(SctError::Malformed(SctPart::Extension)),
    };
    // 2–4.
    let scts = parse_list(&list)?;
    // 5.
    if issuer.parsed().tbs_certificate().subject() != tbs.issuer() {
        return Err(SctError::WrongIssuer);
    }
    // 6.
    let precert = precert_tbs(leaf.tbs()).ok_or(SctError::Precertificate)?;
    let issuer_spki = issuer.spki_der().ok_or(SctError::Precertificate)?;
    let issuer_key_hash = Sha256::digest(&issuer_spki);
    // 7–11.
    let mut verified = 0usize;
    let mut furthest = SctFailure::UnknownLog;
    let mut message = Vec::new();
    for sct in &scts {
        signed_data(&mut message, sct, &issuer_key_hash, &precert)
            .ok_or(SctError::Precertificate)?;
        match verify_one(sct, &message, ctlogs) {
            Ok(()) => verified = verified.saturating_add(1),
            Err(why) => furthest = furthest.max(why),
        }
    }
    if verified == 0 {
        return Err(SctError::NotVerified(furthest));
    }
    Ok(verified)
}

/// Checks 2–4.
fn parse_list(
    list: &SignedCertificateTimestampList,
) -> Result<Vec<SignedCertificateTimestamp>, SctError> {
    let entries = list
        .parse_timestamps()
        .map_err(|_| SctError::Malformed(SctPart::List))?;
    if entries.is_empty() {
        return Err(SctError::Empty);
    }
    if entries.len() > MAX_EMBEDDED_SCTS {
        return Err(SctError::TooMany);
    }
    entries
        .iter()
        .map(|e| {
            e.parse_timestamp()
                .map_err(|_| SctError::Malformed(SctPart::Entry))
        })
        .collect()
}

/// Checks 7–10 for one SCT, given its signed data.
fn verify_one(
    sct: &SignedCertificateTimestamp,
    message: &[u8],
    ctlogs: &[TransparencyLog],
) -> Result<(), SctFailure> {
    // Version::V1 is the only value x509-cert decodes; kept explicit.
    let Version::V1 = sct.version;
    let mut furthest = SctFailure::UnknownLog;
    // A root may list one key twice (say, with two windows): any may verify.
    for log in ctlogs
        .iter()
        .filter(|l| l.log_id.as_slice() == sct.log_id.key_id.as_slice())
    {
        match verify_with(sct, message, log) {
            Ok(()) => return Ok(()),
            Err(why) => furthest = furthest.max(why),
        }
    }
    Err(furthest)
}

fn verify_with(
    sct: &SignedCertificateTimestamp,
    message: &[u8],
    log: &TransparencyLog,
) -> Result<(), SctFailure> {
    // 8. To the millisecond, both ends inclusive.
    if !log.valid_for.contains_millis(sct.timestamp) {
        return Err(SctFailure::OutsideLogValidity);
    }
    // 9.
    let alg = &sct.signature.algorithm;
    let (hash, sig) = (&alg.hash, &alg.signature);
    let agrees = match log.key.details {
        KeyDetails::EcdsaP256Sha256 => {
            matches!(
                (hash, sig),
                (HashAlgorithm::Sha256, SignatureAlgorithm::Ecdsa)
            )
        }
        KeyDetails::EcdsaP384Sha384 => {
            matches!(
                (hash, sig),
                (HashAlgorithm::Sha384, SignatureAlgorithm::Ecdsa)
            )
        }
        KeyDetails::EcdsaP521Sha512 => {
            matches!(
                (hash, sig),
                (HashAlgorithm::Sha512, SignatureAlgorithm::Ecdsa)
            )
        }
        KeyDetails::Ed25519 => matches!(
            (hash, sig),
            (HashAlgorithm::Intrinsic, SignatureAlgorithm::Ed25519)
        ),
        KeyDetails::PkixRsaPkcs1v15Sha256 | KeyDetails::Pkcs1RsaPkcs1v15Sha256 => {
            matches!(
                (hash, sig),
                (HashAlgorithm::Sha256, SignatureAlgorithm::Rsa)
            )
        }
        KeyDetails::Unsupported => return Err(SctFailure::UnsupportedKey),
    };
    if !agrees {
        return Err(SctFailure::AlgorithmMismatch);
    }
    // 10.
    log.key
        .verify(message, sct.signature.signature.as_slice())
        .map_err(|e| match e {
            LogKeyError::BadSignature => SctFailure::BadSignature,
            LogKeyError::UnsupportedAlgorithm | LogKeyError::Encoding => SctFailure::UnsupportedKey,
        })
}

/// RFC 6962 §3.2: the `digitally-signed` data of an SCT for a
/// `precert_entry`, written into `out` (cleared first).
fn signed_data(
    out: &mut Vec<u8>,
    sct: &SignedCertificateTimestamp,
    issuer_key_hash: &[u8],
    precert: &[u8],
) -> Option<()> {
    /// `sct_version` v1, `signature_type` certificate_timestamp.
    const HEAD: [u8; 2] = [0, 0];
    /// `entry_type` precert_entry.
    const PRECERT_ENTRY: [u8; 2] = [0, 1];
    let tbs_len = u32::try_from(precert.len()).ok().filter(|&n| n < 1 << 24)?;
    let extensions = sct.extensions.as_slice();
    let ext_len = u16::try_from(extensions.len()).ok()?;
    out.clear();
    out.extend_from_slice(&HEAD);
    out.extend_from_slice(&sct.timestamp.to_be_bytes());
    out.extend_from_slice(&PRECERT_ENTRY);
    out.extend_from_slice(issuer_key_hash);
    out.extend_from_slice(tbs_len.to_be_bytes().get(1..)?);
    out.extend_from_slice(precert);
    out.extend_from_slice(&ext_len.to_be_bytes());
    out.extend_from_slice(extensions);
    Some(())
}

/// RFC 6962 §3.2: the leaf's TBSCertificate with the SCT-list extension
/// removed, in DER. `None` if the TBS is malformed or does not hold that
/// extension exactly once.
///
/// Hand-written: x509-cert cannot drop an extension and re-encode (its
/// TbsCertificate fields are private to the crate, built only by its
/// builder), and splicing the raw bytes keeps every other byte exactly as
/// the CA signed it, whatever x509-cert would normalise on re-encoding.
/// Only the three enclosing lengths are rewritten. As certificate-
/// transparency-go does, an extension list left empty is dropped with its
/// `[3]` wrapper.
fn precert_tbs(tbs: &[u8]) -> Option<Vec<u8>> {
    const EXTENSIONS: Tag = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber(3),
    };
    let fields = tlv_value(tbs, Tag::Sequence)?;
    let mut body = Vec::with_capacity(tbs.len());
    let mut removed = 0usize;
    let mut reader = SliceReader::new(fields).ok()?;
    while !reader.is_finished() {
        let field = reader.tlv_bytes().ok()?;
        if Tag::peek(&SliceReader::new(field).ok()?).ok()? != EXTENSIONS {
            body.extend_from_slice(field);
            continue;
        }
        let list = tlv_value(tlv_value(field, EXTENSIONS)?, Tag::Sequence)?;
        let mut kept = Vec::with_capacity(list.len());
        let mut items = SliceReader::new(list).ok()?;
        while !items.is_finished() {
            let item = items.tlv_bytes().ok()?;
            if Extension::from_der(item).ok()?.extn_id == SCT_LIST_OID {
                removed = removed.saturating_add(1);
            } else {
                kept.extend_from_slice(item);
            }
        }
        if !kept.is_empty() {
            let mut sequence = Vec::with_capacity(kept.len().saturating_add(8));
            push_tlv(&mut sequence, Tag::Sequence, &kept)?;
            push_tlv(&mut body, EXTENSIONS, &sequence)?;
        }
    }
    if removed != 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len().saturating_add(8));
    push_tlv(&mut out, Tag::Sequence, &body)?;
    Some(out)
}

/// The value of the single TLV `tlv`, which must have tag `tag`.
fn tlv_value(tlv: &[u8], tag: Tag) -> Option<&[u8]> {
    let mut reader = SliceReader::new(tlv).ok()?;
    let header = Header::decode(&mut reader).ok()?;
    if header.tag() != tag {
        return None;
    }
    let value = reader.read_slice(header.length()).ok()?;
    reader.finish().ok()?;
    Some(value)
}

/// Appends the DER TLV of `tag` and `value`.
fn push_tlv(out: &mut Vec<u8>, tag: Tag, value: &[u8]) -> Option<()> {
    Header::new(tag, Length::try_from(value.len()).ok()?)
        .encode_to_vec(out)
        .ok()?;
    out.extend_from_slice(value);
    Some(())
}

// The tests verify SCTs of CT logs of every algorithm.
#[cfg(all(test, feature = "p384", feature = "p521", feature = "rsa"))]
pub(crate) mod tests;
