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

use crate::limits::MAX_EMBEDDED_SCTS;
use crate::logkey::{KeyDetails, LogKeyError};
use crate::trust_root::TransparencyLog;
use crate::x509::Cert;

/// Which layer of the embedded SCT list is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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
pub fn verify_embedded_scts(
    leaf: &Cert,
    issuer: &Cert,
    ctlogs: &[TransparencyLog],
) -> Result<usize, SctError> {
    let tbs = leaf.parsed().tbs_certificate();
    // 1.
    let list = match tbs.get_extension::<SignedCertificateTimestampList>() {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::logkey::LogKey;
    use crate::trust_root::{TimeRange, UnixInstant};
    use alloc::string::String;
    use alloc::vec;
    use der::asn1::OctetString;

    /// testdata/fulcio/gen.py: every SCT's timestamp.
    const SCT_MS: u64 = 1_709_294_400_123;
    const SCT_S: u64 = SCT_MS / 1000;

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!("../../testdata/fulcio/", $name)).as_slice()
        };
    }

    pub(crate) fn cert(der: &[u8]) -> Cert {
        Cert::from_der(der).unwrap()
    }

    fn leaf() -> Cert {
        cert(fixture!("leaf-sct.der"))
    }

    fn intermediate() -> Cert {
        cert(fixture!("intermediate.der"))
    }

    fn log(spki: &[u8], details: KeyDetails) -> TransparencyLog {
        TransparencyLog {
            base_url: String::from("https://ct.example"),
            key: LogKey {
                details,
                der: spki.to_vec(),
            },
            valid_for: TimeRange::default(),
            log_id: Sha256::digest(spki).to_vec(),
        }
    }

    fn p256() -> TransparencyLog {
        log(fixture!("ct-p256.der"), KeyDetails::EcdsaP256Sha256)
    }

    fn rsa() -> TransparencyLog {
        log(fixture!("ct-rsa.der"), KeyDetails::PkixRsaPkcs1v15Sha256)
    }

    fn ed25519() -> TransparencyLog {
        log(fixture!("ct-ed25519.der"), KeyDetails::Ed25519)
    }

    fn verify(leaf: &Cert, logs: &[TransparencyLog]) -> Result<usize, SctError> {
        verify_embedded_scts(leaf, &intermediate(), logs)
    }

    /// `der` with the only occurrence of `from` replaced by `to`.
    pub(crate) fn patched(der: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
        let at: Vec<usize> = der
            .windows(from.len())
            .enumerate()
            .filter(|(_, w)| *w == from)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(at.len(), 1, "pattern must occur once");
        let mut out = der.to_vec();
        out[at[0]..at[0] + from.len()].copy_from_slice(to);
        out
    }

    /// The TLS SignedCertificateTimestampList of leaf-sct.der.
    fn tls_list() -> Vec<u8> {
        let leaf = leaf();
        let (_, list) = leaf
            .parsed()
            .tbs_certificate()
            .get_extension::<SignedCertificateTimestampList>()
            .unwrap()
            .unwrap();
        let octets: &OctetString = list.as_ref();
        octets.as_bytes().to_vec()
    }

    /// The serialized SCTs (without their length prefixes) of leaf-sct.der.
    fn sct_bytes() -> Vec<Vec<u8>> {
        let list = tls_list();
        let mut rest = &list[2..];
        let mut out = Vec::new();
        while !rest.is_empty() {
            let n = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
            out.push(rest[2..2 + n].to_vec());
            rest = &rest[2 + n..];
        }
        out
    }

    /// A TLS list holding `scts`, each with its u16 length.
    fn list_of(scts: &[&[u8]]) -> Vec<u8> {
        let mut body = Vec::new();
        for s in scts {
            body.extend_from_slice(&u16::try_from(s.len()).unwrap().to_be_bytes());
            body.extend_from_slice(s);
        }
        let mut out = u16::try_from(body.len()).unwrap().to_be_bytes().to_vec();
        out.extend_from_slice(&body);
        out
    }

    fn parse(tls: &[u8]) -> Result<Vec<SignedCertificateTimestamp>, SctError> {
        parse_list(&SignedCertificateTimestampList::from(
            OctetString::new(tls).unwrap(),
        ))
    }

    #[test]
    fn three_scts_of_three_algorithms_verify() {
        assert_eq!(verify(&leaf(), &[p256(), rsa(), ed25519()]), Ok(3));
        for one in [p256(), rsa(), ed25519()] {
            assert_eq!(verify(&leaf(), &[one]), Ok(1));
        }
    }

    #[test]
    fn scts_parse_as_generated() {
        let scts = parse(&tls_list()).unwrap();
        assert_eq!(scts.len(), 3);
        let ids = [p256(), rsa(), ed25519()].map(|l| l.log_id);
        for (sct, id) in scts.iter().zip(&ids) {
            assert_eq!(sct.timestamp, SCT_MS);
            assert_eq!(sct.log_id.key_id.as_slice(), id.as_slice());
        }
        // The Ed25519 SCT carries Static-CT-style extension bytes.
        assert!(scts[0].extensions.as_slice().is_empty());
        assert_eq!(scts[2].extensions.as_slice(), [0, 0, 5, 0, 0, 0, 4, 210]);
    }

    #[test]
    fn precertificate_matches_an_independent_implementation() {
        // leaf-sct.precert.der is `cryptography`'s tbs_precertificate_bytes;
        // the SCT list sits between other extensions in leaf-sct.der.
        assert_eq!(
            precert_tbs(leaf().tbs()).unwrap(),
            fixture!("leaf-sct.precert.der")
        );
    }

    #[test]
    fn precertificate_needs_exactly_one_sct_extension() {
        assert_eq!(precert_tbs(cert(fixture!("leaf-email.der")).tbs()), None);
        assert_eq!(precert_tbs(&[]), None);
        assert_eq!(precert_tbs(&[0x30, 0x00]), None);
        let tbs = leaf().tbs().to_vec();
        assert_eq!(precert_tbs(&tbs[..tbs.len() - 1]), None);
    }

    #[test]
    fn precertificate_drops_an_emptied_extension_list() {
        // SEQUENCE { INTEGER 1, [3] { SEQUENCE { Extension { SCT list,
        // OCTET STRING { OCTET STRING {} } } } } }
        let mut ext = vec![0x06, 0x0a];
        ext.extend_from_slice(&SCT_LIST_OID.to_der().unwrap()[2..]);
        ext.extend_from_slice(&[0x04, 0x02, 0x04, 0x00]);
        let mut ext_tlv = Vec::new();
        push_tlv(&mut ext_tlv, Tag::Sequence, &ext).unwrap();
        let mut seq = Vec::new();
        push_tlv(&mut seq, Tag::Sequence, &ext_tlv).unwrap();
        let mut body = vec![0x02, 0x01, 0x01];
        body.extend_from_slice(&[0xa3, u8::try_from(seq.len()).unwrap()]);
        body.extend_from_slice(&seq);
        let mut tbs = Vec::new();
        push_tlv(&mut tbs, Tag::Sequence, &body).unwrap();
        assert_eq!(precert_tbs(&tbs).unwrap(), [0x30, 0x03, 0x02, 0x01, 0x01]);
    }

    #[test]
    fn signed_data_is_the_rfc6962_precert_layout() {
        let scts = parse(&tls_list()).unwrap();
        let mut out = Vec::new();
        signed_data(&mut out, &scts[2], &[0xaa; 32], &[1, 2, 3]).unwrap();
        let mut want = vec![0, 0];
        want.extend_from_slice(&SCT_MS.to_be_bytes());
        want.extend_from_slice(&[0, 1]);
        want.extend_from_slice(&[0xaa; 32]);
        want.extend_from_slice(&[0, 0, 3, 1, 2, 3]);
        want.extend_from_slice(&[0, 8, 0, 0, 5, 0, 0, 0, 4, 210]);
        assert_eq!(out, want);
    }

    #[test]
    fn a_leaf_without_scts_fails() {
        assert_eq!(
            verify(&cert(fixture!("leaf-email.der")), &[p256()]),
            Err(SctError::Missing)
        );
    }

    #[test]
    fn unknown_logs_verify_nothing() {
        assert_eq!(
            verify(&leaf(), &[]),
            Err(SctError::NotVerified(SctFailure::UnknownLog))
        );
        let mut other = p256();
        other.log_id[0] ^= 1;
        assert_eq!(
            verify(&leaf(), &[other]),
            Err(SctError::NotVerified(SctFailure::UnknownLog))
        );
    }

    #[test]
    fn a_tampered_sct_signature_fails() {
        let scts = parse(&tls_list()).unwrap();
        let sig = scts[0].signature.signature.as_slice();
        let mut bad = sig.to_vec();
        *bad.last_mut().unwrap() ^= 1;
        let tampered = cert(&patched(fixture!("leaf-sct.der"), sig, &bad));
        assert_eq!(
            verify(&tampered, &[p256()]),
            Err(SctError::NotVerified(SctFailure::BadSignature))
        );
        assert_eq!(verify(&tampered, &[p256(), rsa(), ed25519()]), Ok(2));
    }

    #[test]
    fn scts_bind_the_certificate_contents() {
        let tampered = cert(&patched(
            fixture!("leaf-sct.der"),
            b"example/repo",
            b"example/repp",
        ));
        assert_eq!(
            verify(&tampered, &[p256(), rsa(), ed25519()]),
            Err(SctError::NotVerified(SctFailure::BadSignature))
        );
    }

    #[test]
    fn the_issuer_must_be_the_leafs() {
        assert_eq!(
            verify_embedded_scts(&leaf(), &cert(fixture!("root.der")), &[p256()]),
            Err(SctError::WrongIssuer)
        );
    }

    #[test]
    fn the_sct_algorithm_must_be_the_log_keys() {
        let mismatch = Err(SctError::NotVerified(SctFailure::AlgorithmMismatch));
        // The ECDSA SCT's log declared as P-384.
        let mut p384 = p256();
        p384.key.details = KeyDetails::EcdsaP384Sha384;
        assert_eq!(verify(&leaf(), &[p384]), mismatch);
        // The ECDSA SCT's log id, but an RSA key.
        let mut rsa_key = rsa();
        rsa_key.log_id = p256().log_id;
        assert_eq!(verify(&leaf(), &[rsa_key]), mismatch);
        // The RSA SCT's log id, but an ECDSA key.
        let mut ec_key = p256();
        ec_key.log_id = rsa().log_id;
        assert_eq!(verify(&leaf(), &[ec_key]), mismatch);
        // The Ed25519 SCT's log id, but an ECDSA key.
        let mut ec_key = p256();
        ec_key.log_id = ed25519().log_id;
        assert_eq!(verify(&leaf(), &[ec_key]), mismatch);
    }

    #[test]
    fn an_unusable_log_key_fails() {
        let mut unsupported = p256();
        unsupported.key.details = KeyDetails::Unsupported;
        assert_eq!(
            verify(&leaf(), &[unsupported]),
            Err(SctError::NotVerified(SctFailure::UnsupportedKey))
        );
        let mut garbage = p256();
        garbage.key.der = vec![0x30, 0x00];
        assert_eq!(
            verify(&leaf(), &[garbage]),
            Err(SctError::NotVerified(SctFailure::UnsupportedKey))
        );
    }

    #[test]
    fn the_sct_must_lie_in_the_log_validity_window() {
        let window = |start, end| {
            let mut l = p256();
            l.valid_for = TimeRange::seconds(start, end);
            verify(&leaf(), &[l])
        };
        let outside = Err(SctError::NotVerified(SctFailure::OutsideLogValidity));
        assert_eq!(window(Some(SCT_S), Some(SCT_S + 1)), Ok(1));
        assert_eq!(window(Some(SCT_S + 1), None), outside);
        assert_eq!(window(None, Some(SCT_S - 1)), outside);
    }

    #[test]
    fn the_log_window_is_compared_to_the_millisecond() {
        // The SCT is at SCT_S + 0.123 s.
        let window = |start: Option<u64>, end: Option<u64>| {
            let mut l = p256();
            l.valid_for = TimeRange {
                start: start.map(UnixInstant::from_millis),
                end: end.map(UnixInstant::from_millis),
            };
            verify(&leaf(), &[l])
        };
        let outside = Err(SctError::NotVerified(SctFailure::OutsideLogValidity));
        assert_eq!(window(Some(SCT_MS), Some(SCT_MS)), Ok(1));
        assert_eq!(window(None, Some(SCT_MS - 1)), outside);
        assert_eq!(window(Some(SCT_MS + 1), None), outside);
        // A window that ends within the SCT's second, before it: whole
        // seconds would accept it.
        assert_eq!(window(None, Some(SCT_S * 1000)), outside);
        // One that starts within that second, before it: rounding the start
        // up to a whole second would reject it.
        assert_eq!(window(Some(SCT_S * 1000 + 50), None), Ok(1));
    }

    #[test]
    fn the_furthest_failure_is_reported() {
        let mut early = p256();
        early.valid_for.end = Some(UnixInstant::from_secs(SCT_S - 1));
        let mut mismatched = rsa();
        mismatched.key.details = KeyDetails::EcdsaP256Sha256;
        assert_eq!(
            verify(&leaf(), &[early, mismatched]),
            Err(SctError::NotVerified(SctFailure::AlgorithmMismatch))
        );
        // The same log listed twice: the window that fits wins.
        let mut early = p256();
        early.valid_for.end = Some(UnixInstant::from_secs(SCT_S - 1));
        assert_eq!(verify(&leaf(), &[early, p256()]), Ok(1));
    }

    #[test]
    fn a_truncated_list_is_malformed() {
        let list = tls_list();
        for n in 0..list.len() {
            assert_eq!(
                parse(&list[..n]),
                Err(SctError::Malformed(SctPart::List)),
                "prefix {n}"
            );
        }
        assert_eq!(parse(&list).unwrap().len(), 3);
    }

    #[test]
    fn every_length_field_is_checked() {
        let sct = sct_bytes().swap_remove(0);
        let one = list_of(&[&sct]);
        assert_eq!(parse(&one).unwrap().len(), 1);
        let with_len = |at: usize, delta: i32| {
            let mut l = one.clone();
            let v = i32::from(u16::from_be_bytes([l[at], l[at + 1]])) + delta;
            l[at..at + 2].copy_from_slice(&u16::try_from(v).unwrap().to_be_bytes());
            parse(&l)
        };
        let list = Err(SctError::Malformed(SctPart::List));
        let entry = Err(SctError::Malformed(SctPart::Entry));
        // The list's length.
        assert_eq!(with_len(0, 1), list);
        assert_eq!(with_len(0, -1), list);
        // The SCT's length.
        assert_eq!(with_len(2, 1), list);
        assert_eq!(with_len(2, -1), list);
        // Inside the SCT (after the 2+2 bytes of list and SCT lengths):
        // the extensions' length at 1 + 32 + 8, the signature's after the
        // two algorithm bytes.
        let ext = 4 + 41;
        let sig = ext + 2 + 2;
        assert_eq!(with_len(ext, 1), entry);
        assert_eq!(with_len(sig, 1), entry);
        assert_eq!(with_len(sig, -1), entry);
        // An SCT list of consistent lengths whose SCT lost a byte.
        assert_eq!(parse(&list_of(&[&sct[..sct.len() - 1]])), entry);
        // Trailing bytes after the list.
        let mut trailing = one.clone();
        trailing.push(0);
        assert_eq!(parse(&trailing), list);
    }

    #[test]
    fn unknown_codes_and_empty_entries_are_malformed() {
        let entry = Err(SctError::Malformed(SctPart::Entry));
        let sct = sct_bytes().swap_remove(0);
        let with = |at: usize, v: u8| {
            let mut s = sct.clone();
            s[at] = v;
            parse(&list_of(&[&s]))
        };
        assert_eq!(with(0, 1), entry); // version v2
        assert_eq!(with(43, 9), entry); // hash algorithm
        assert_eq!(with(44, 9), entry); // signature algorithm
        assert_eq!(parse(&list_of(&[&[]])), entry);
        assert_eq!(parse(&[0, 0]), Err(SctError::Empty));
    }

    #[test]
    fn the_sct_count_is_bounded() {
        let sct = sct_bytes().swap_remove(0);
        let at_limit = vec![sct.as_slice(); MAX_EMBEDDED_SCTS];
        assert_eq!(parse(&list_of(&at_limit)).unwrap().len(), MAX_EMBEDDED_SCTS);
        let over = vec![sct.as_slice(); MAX_EMBEDDED_SCTS + 1];
        assert_eq!(parse(&list_of(&over)), Err(SctError::TooMany));
    }

    #[test]
    fn the_extension_must_hold_an_octet_string() {
        let list = tls_list();
        let len = u16::try_from(list.len()).unwrap().to_be_bytes();
        let inner = [0x04, 0x82, len[0], len[1], list[0], list[1]];
        let utf8 = [0x0c, 0x82, len[0], len[1], list[0], list[1]];
        let bad = cert(&patched(fixture!("leaf-sct.der"), &inner, &utf8));
        assert_eq!(
            verify(&bad, &[p256()]),
            Err(SctError::Malformed(SctPart::Extension))
        );
    }

    #[test]
    fn errors_name_the_check() {
        let text = alloc::format!("{}", SctError::NotVerified(SctFailure::BadSignature));
        assert!(text.starts_with("SCT: "), "{text}");
    }
}
