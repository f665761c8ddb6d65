//! RFC 3161 signed timestamps from a Sigstore bundle
//! (`verificationMaterial.timestampVerificationData.rfc3161Timestamps`),
//! verified against the trusted root's timestamp authorities the way
//! sigstore-go (`pkg/verify/tsa.go` with timestamp-authority's
//! `VerifyTimestampResponse`) and sigstore-python (`rfc3161-client`) do.
//!
//! Sigstore timestamps the *signature*: the `messageSignature.signature`
//! bytes, or the DSSE envelope's signature bytes. The caller passes them in.
//!
//! Checks of the list ([`verify_all`]), in order:
//! 1. `rfc3161Timestamps` is an array of at most [`MAX_TIMESTAMPS`] objects
//!    (sigstore-go's `maxAllowedTimestamps`); absent data is an empty list;
//! 2. each `signedTimestamp` is base64 (line breaks skipped, as the
//!    references' decoders do) of at most [`MAX_TIMESTAMP_BYTES`];
//! 3. no two decode to the same bytes (sigstore-go: duplicates could fake a
//!    threshold);
//! 4. every one verifies ([`verify_timestamp`]); the first failure is
//!    returned with its index. (The references instead drop a timestamp
//!    they cannot verify and count the rest against a threshold; this
//!    verifier fails closed.);
//! 5. no two are the same timestamp by what was signed: the same `TSTInfo`
//!    (one token re-wrapped, say with a status text added or its
//!    certificates dropped, which changes its bytes but not what the TSA
//!    signed), or the same TSA at the same genTime second.
//!
//! Checks of one timestamp ([`verify_timestamp`]), in order:
//! 1. it is a DER `TimeStampResp` (RFC 3161 §2.4.2) — what Sigstore clients
//!    store, as digitorus `ParseResponse` and `decode_timestamp_response`
//!    read it — with status `granted` (0) and a `timeStampToken`;
//! 2. the token is a CMS `ContentInfo` of type id-signedData (RFC 5652 §3)
//!    holding a `SignedData` (§5.1) of version 1 or 3, with exactly one
//!    `SignerInfo` (RFC 3161 §2.4.2), `eContentType` id-ct-TSTInfo and the
//!    `eContent` present;
//! 3. the `eContent` is a DER `TSTInfo` (RFC 3161 §2.4.2): version 1,
//!    policy, messageImprint, serialNumber, genTime (GeneralizedTime,
//!    `YYYYMMDDHHMMSS[.f]Z`, X.690 §11.7), then the optional accuracy,
//!    ordering, nonce, tsa and extensions;
//! 4. messageImprint: the hash algorithm is SHA-256, SHA-384 or SHA-512 and
//!    `hashedMessage` is that hash of the signature bytes;
//! 5. the `SignerInfo` (RFC 5652 §5.3) has version 1 with an
//!    issuerAndSerialNumber or version 3 with a subjectKeyIdentifier, a
//!    SHA-256/384/512 digestAlgorithm, and signed attributes (at most
//!    [`MAX_SIGNED_ATTRIBUTES`], no attribute type twice) holding one
//!    contentType equal to id-ct-TSTInfo (§11.1) and one messageDigest equal
//!    to the digest of the `eContent` (§11.2);
//! 6. a trusted TSA issued it: the `SignerInfo`'s signer identifier names
//!    a TSA's leaf (`chain[0]`: issuer and serial, or subject key
//!    identifier); otherwise the TSA is untrusted. Certificates embedded in
//!    the token never supply a key: when present (at most
//!    [`MAX_TSA_EMBEDDED_CERTS`]) they must include the trusted leaf
//!    byte for byte, and hold no other end-entity certificate (as
//!    timestamp-authority's `verifyEmbeddedLeafCert` and rfc3161-client
//!    require);
//! 7. the signature over the DER signed attributes (as a SET OF, RFC 5652
//!    §5.4) verifies with the trusted leaf's key: ECDSA (P-256/384/521) or
//!    RSA PKCS#1 v1.5 (2048–4096 bits), hashed with the digestAlgorithm; a
//!    signatureAlgorithm that names a hash must name that one. The set is
//!    re-encoded from its decoded form, in DER order: a TSA that signed its
//!    attributes out of order fails here, as with sigstore-go, whose
//!    encoder sorts too;
//! 8. the leaf has exactly one extendedKeyUsage, id-kp-timeStamping, in a
//!    critical extension (RFC 3161 §2.3), and every intermediate's
//!    extendedKeyUsage, when present, allows timeStamping or any purpose
//!    (timestamp-authority's EKU chaining);
//! 9. the TSA's chain (leaf first, root last, from the trusted root) is a
//!    valid path at genTime (RFC 5280 §6.1, shared with the certificate
//!    step: every certificate valid at genTime, issuer signatures, CA
//!    constraints);
//! 10. genTime lies in the TSA's `validFor` (both ends inclusive).
//!
//! Not checked, as in both references: the ESS signingCertificate(V2)
//! attribute (the signer is the trusted leaf whatever it says), the
//! signingTime attribute, the policy, the nonce and the TSA name.
//!
//! A genTime with a fraction of a second lies strictly between two whole
//! seconds: every bound is applied exactly (the path is validated at both
//! whole seconds around it, `validFor` too), and the result says so.
//!
//! Why `cms` for the CMS structures but hand-declared TSP ones: `cms`
//! 0.3.0-rc.0 is on this crate's der 0.8 / x509-cert 0.3 generation;
//! `x509-tsp` 0.1 (the RustCrypto TSP types) is still on der 0.7, so the
//! few RFC 3161 structures are declared here with der's derive macros.

use alloc::vec::Vec;
use core::fmt;

use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{CertificateSet, SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{AnyRef, BitStringRef, IntRef, ObjectIdentifier, OctetStringRef, Utf8StringRef};
use der::{Decode, Encode, Sequence, Tag, Tagged};
use sha2::{Digest as _, Sha256};
use spki::AlgorithmIdentifierRef;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, SubjectKeyIdentifier};

use crate::error::{CertPosition, CertificateError, Error};
use crate::json::{JsonStr, Object};
use crate::keys::{ID_EC_PUBLIC_KEY, PrehashState, PublicKey, SigHash};
use crate::limits::{
    MAX_SIGNED_ATTRIBUTES, MAX_TIMESTAMP_BYTES, MAX_TIMESTAMPS, MAX_TSA_EMBEDDED_CERTS,
};
use crate::trust_root::CertificateAuthority;
use crate::x509::{
    Cert, ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512, EXT_EXT_KEY_USAGE, RSA_ENCRYPTION, RSA_SHA256,
    RSA_SHA384, RSA_SHA512, SHA256, SHA384, SHA512, TrustStore, UnixTime, validate_path,
};

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
const ANY_EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");

/// A timestamp that passed every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct VerifiedTimestamp {
    /// genTime in whole Unix seconds (any fraction cut off).
    pub gen_time: u64,
    /// Whether genTime had a fraction of a second: the instant then lies
    /// strictly between `gen_time` and `gen_time + 1`.
    pub fraction: bool,
    /// Index of the timestamp authority, in the list passed in, that
    /// issued it.
    pub tsa: usize,
    /// SHA-256 of the DER `TSTInfo`: what the TSA signed (through the
    /// messageDigest attribute), whatever wraps it.
    pub tst_info_sha256: [u8; 32],
}

impl VerifiedTimestamp {
    /// Whether genTime lies in `[not_before, not_after]` (Unix seconds,
    /// both inclusive), exactly, fraction included: for the signing
    /// certificate's validity, say.
    pub fn within(&self, not_before: u64, not_after: u64) -> bool {
        not_before <= self.gen_time && self.upper() <= not_after
    }

    /// The first whole second at or after genTime.
    pub fn upper(&self) -> u64 {
        self.gen_time.saturating_add(u64::from(self.fraction))
    }

    /// Whether `other` is this timestamp again (check 5 of the list): the
    /// same signed `TSTInfo`, or the same TSA at the same genTime second.
    fn same_as(&self, other: &Self) -> bool {
        self.tst_info_sha256 == other.tst_info_sha256
            || (self.tsa == other.tsa
                && self.gen_time == other.gen_time
                && self.fraction == other.fraction)
    }
}

/// Why a signed timestamp was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TimestampError {
    /// More than [`MAX_TIMESTAMPS`] timestamps.
    TooMany,
    /// The same timestamp appears twice: the same bytes, the same signed
    /// `TSTInfo`, or the same TSA and genTime second.
    Duplicate,
    /// The list or an entry is not the expected JSON, or not base64.
    Encoding,
    /// A timestamp longer than [`MAX_TIMESTAMP_BYTES`].
    TooLarge,
    /// Not a DER `TimeStampResp` carrying a token.
    Response,
    /// The response's status is not `granted`.
    Status,
    /// Not a CMS `SignedData` of version 1 or 3.
    Token,
    /// Not exactly one `SignerInfo`.
    SignerCount,
    /// `eContentType` is not id-ct-TSTInfo, or the `eContent` is missing.
    ContentType,
    /// The `eContent` is not a DER `TSTInfo` of version 1.
    TstInfo,
    /// genTime is not a DER GeneralizedTime after 1970.
    GenTime,
    /// A hash algorithm other than SHA-256, SHA-384 or SHA-512.
    UnsupportedHash,
    /// messageImprint is not the hash of the signature.
    ImprintMismatch,
    /// The `SignerInfo`'s version does not match its signer identifier, or
    /// `SignedData.digestAlgorithms` is not exactly the signer's algorithm.
    SignerInfo,
    /// Signed attributes missing, too many, repeated, or without a single
    /// contentType and messageDigest value.
    SignedAttributes,
    /// The contentType attribute is not id-ct-TSTInfo.
    ContentTypeAttribute,
    /// The messageDigest attribute is not the digest of the `TSTInfo`.
    MessageDigestMismatch,
    /// No trusted TSA's leaf certificate is the signer.
    UntrustedTsa,
    /// Embedded certificates that are too many, of another format, lack the
    /// trusted leaf, or hold another end-entity certificate.
    EmbeddedCertificates,
    /// A signature algorithm or key outside the supported set, or one whose
    /// hash differs from the digestAlgorithm.
    UnsupportedSignatureAlgorithm,
    /// The signature does not verify with the TSA leaf's key.
    BadSignature,
    /// The TSA leaf lacks a critical extendedKeyUsage of exactly
    /// id-kp-timeStamping.
    LeafEku,
    /// An intermediate's extendedKeyUsage excludes timeStamping.
    IntermediateEku,
    /// The TSA's chain is not a valid path at genTime; `Bundle(i)` positions
    /// index the TSA's `chain`.
    Chain(CertificateError),
    /// genTime is outside the TSA's `validFor`.
    OutsideTsaValidity,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooMany => f.write_str("timestamp: too many timestamps"),
            Self::Duplicate => f.write_str("timestamp: duplicate timestamp"),
            Self::Encoding => f.write_str("timestamp: malformed JSON or base64"),
            Self::TooLarge => f.write_str("timestamp: too large"),
            Self::Response => f.write_str("timestamp: not a TimeStampResp with a token"),
            Self::Status => f.write_str("timestamp: status is not granted"),
            Self::Token => f.write_str("timestamp: token is not a CMS SignedData"),
            Self::SignerCount => f.write_str("timestamp: not exactly one signer"),
            Self::ContentType => f.write_str("timestamp: content is not a TSTInfo"),
            Self::TstInfo => f.write_str("timestamp: malformed TSTInfo"),
            Self::GenTime => f.write_str("timestamp: malformed genTime"),
            Self::UnsupportedHash => f.write_str("timestamp: unsupported hash algorithm"),
            Self::ImprintMismatch => f.write_str("timestamp: imprint is not the signature's hash"),
            Self::SignerInfo => f.write_str("timestamp: SignerInfo version and identifier differ"),
            Self::SignedAttributes => f.write_str("timestamp: malformed signed attributes"),
            Self::ContentTypeAttribute => f.write_str("timestamp: contentType attribute mismatch"),
            Self::MessageDigestMismatch => f.write_str("timestamp: messageDigest mismatch"),
            Self::UntrustedTsa => f.write_str("timestamp: signer is no trusted TSA"),
            Self::EmbeddedCertificates => {
                f.write_str("timestamp: embedded certificates do not match the TSA")
            }
            Self::UnsupportedSignatureAlgorithm => {
                f.write_str("timestamp: unsupported signature algorithm")
            }
            Self::BadSignature => f.write_str("timestamp: signature does not verify"),
            Self::LeafEku => f.write_str("timestamp: TSA leaf is not for timestamping only"),
            Self::IntermediateEku => f.write_str("timestamp: intermediate excludes timestamping"),
            Self::Chain(e) => write!(f, "timestamp: TSA chain at genTime: {e:?}"),
            Self::OutsideTsaValidity => f.write_str("timestamp: genTime outside TSA validFor"),
        }
    }
}

// RFC 3161 §2.4.2 structures. The fields the verifier does not use are
// still decoded, so the structure is validated in full.

/// `TimeStampResp`.
#[derive(Sequence)]
struct TimeStampResp<'a> {
    status: PkiStatusInfo<'a>,
    time_stamp_token: Option<ContentInfo>,
}

/// `PKIStatusInfo` (RFC 4210 §5.2.3).
#[derive(Sequence)]
#[allow(dead_code, reason = "decoded to validate the structure")]
struct PkiStatusInfo<'a> {
    status: u8,
    status_string: Option<Vec<Utf8StringRef<'a>>>,
    fail_info: Option<BitStringRef<'a>>,
}

/// `TSTInfo`.
#[derive(Sequence)]
#[allow(dead_code, reason = "decoded to validate the structure")]
struct TstInfo<'a> {
    version: u8,
    policy: ObjectIdentifier,
    message_imprint: MessageImprint<'a>,
    serial_number: IntRef<'a>,
    /// A GeneralizedTime, read here: der's type has no fractions.
    gen_time: AnyRef<'a>,
    accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    ordering: bool,
    nonce: Option<IntRef<'a>>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<AnyRef<'a>>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    extensions: Option<x509_cert::ext::Extensions>,
}

/// `MessageImprint`.
#[derive(Sequence)]
struct MessageImprint<'a> {
    hash_algorithm: AlgorithmIdentifierRef<'a>,
    hashed_message: &'a OctetStringRef,
}

/// `Accuracy`.
#[derive(Sequence)]
#[allow(dead_code, reason = "decoded to validate the structure")]
struct Accuracy {
    seconds: Option<u64>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    millis: Option<u16>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    micros: Option<u16>,
}

/// A digest of up to 64 bytes.
struct Digest {
    bytes: [u8; 64],
    len: usize,
}

impl Digest {
    fn of(hash: SigHash, data: &[u8]) -> Self {
        let mut state = PrehashState::new(hash);
        state.update(data);
        let mut bytes = [0u8; 64];
        let len = state.finalize_into(&mut bytes);
        Digest { bytes, len }
    }

    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

/// SHA-256/384/512, with absent or NULL parameters.
fn hash_of(alg: &AlgorithmIdentifierRef<'_>) -> Option<SigHash> {
    if alg.parameters.is_some_and(|p| !p.is_null()) {
        return None;
    }
    match alg.oid {
        SHA256 => Some(SigHash::Sha256),
        SHA384 => Some(SigHash::Sha384),
        SHA512 => Some(SigHash::Sha512),
        _ => None,
    }
}

/// Parses a DER GeneralizedTime (X.690 §11.7: `YYYYMMDDHHMMSS[.f]Z`, the
/// fraction without trailing zeros) into Unix seconds and whether a
/// fraction followed.
fn parse_gen_time(text: &[u8]) -> Option<(u64, bool)> {
    let (main, rest) = (text.get(..14)?, text.get(14..)?);
    if !main.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |at: usize, len: usize| -> Option<u16> {
        main.get(at..at.checked_add(len)?)?
            .iter()
            .try_fold(0u16, |n, d| {
                n.checked_mul(10)?
                    .checked_add(u16::from(d.wrapping_sub(b'0')))
            })
    };
    let small = |at: usize| num(at, 2).and_then(|n| u8::try_from(n).ok());
    let (fraction, z) = match rest {
        [b'Z'] => (false, true),
        [b'.', digits @ .., b'Z'] => {
            let ok = !digits.is_empty()
                && digits.iter().all(u8::is_ascii_digit)
                && digits.last() != Some(&b'0');
            (true, ok)
        }
        _ => (false, false),
    };
    if !z {
        return None;
    }
    let t = der::DateTime::new(
        num(0, 4)?,
        small(4)?,
        small(6)?,
        small(8)?,
        small(10)?,
        small(12)?,
    )
    .ok()?;
    Some((t.unix_duration().as_secs(), fraction))
}

/// What the TSA-independent checks (1–5) established.
struct Checked {
    signer: SignerInfo,
    certificates: Option<CertificateSet>,
    /// DER of the signed attributes as a SET OF: the signed message.
    signed_attrs: Vec<u8>,
    digest: SigHash,
    time: VerifiedTimestamp,
}

/// Checks 1–5.
fn check_token(signed_timestamp: &[u8], signature: &[u8]) -> Result<Checked, TimestampError> {
    use TimestampError as E;
    // 1.
    if signed_timestamp.len() > MAX_TIMESTAMP_BYTES {
        return Err(E::TooLarge);
    }
    let resp = TimeStampResp::from_der(signed_timestamp).map_err(|_| E::Response)?;
    if resp.status.status != 0 {
        return Err(E::Status);
    }
    let token = resp.time_stamp_token.ok_or(E::Response)?;
    // 2.
    if token.content_type != ID_SIGNED_DATA {
        return Err(E::Token);
    }
    let sd: SignedData = token.content.decode_as().map_err(|_| E::Token)?;
    if !matches!(sd.version, CmsVersion::V1 | CmsVersion::V3) {
        return Err(E::Token);
    }
    let signer = match sd.signer_infos.0.as_slice() {
        [one] => one.clone(),
        _ => return Err(E::SignerCount),
    };
    if sd.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(E::ContentType);
    }
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .filter(|c| c.tag() == Tag::OctetString)
        .ok_or(E::ContentType)?
        .value();
    // 3.
    let info = TstInfo::from_der(econtent).map_err(|_| E::TstInfo)?;
    if info.version != 1 {
        return Err(E::TstInfo);
    }
    if info.gen_time.tag() != Tag::GeneralizedTime {
        return Err(E::GenTime);
    }
    let (gen_time, fraction) = parse_gen_time(info.gen_time.value()).ok_or(E::GenTime)?;
    // 4.
    let imprint = &info.message_imprint;
    let hash = hash_of(&imprint.hash_algorithm).ok_or(E::UnsupportedHash)?;
    if Digest::of(hash, signature).as_slice() != imprint.hashed_message.as_bytes() {
        return Err(E::ImprintMismatch);
    }
    // 5.
    let version_ok = match signer.sid {
        SignerIdentifier::IssuerAndSerialNumber(_) => signer.version == CmsVersion::V1,
        SignerIdentifier::SubjectKeyIdentifier(_) => signer.version == CmsVersion::V3,
    };
    if !version_ok {
        return Err(E::SignerInfo);
    }
    let digest_alg = AlgorithmIdentifierRef::from(&signer.digest_alg);
    let digest = hash_of(&digest_alg).ok_or(E::UnsupportedHash)?;
    // SignedData.digestAlgorithms is not signed: hold it to the signer's
    // one, so that no byte of the token can change without failing.
    if sd.digest_algorithms.len() != 1
        || !sd.digest_algorithms.iter().all(|a| *a == signer.digest_alg)
    {
        return Err(E::SignerInfo);
    }
    let attrs = signer.signed_attrs.as_ref().ok_or(E::SignedAttributes)?;
    check_signed_attributes(attrs.as_slice(), Digest::of(digest, econtent).as_slice())?;
    let signed_attrs = attrs.to_der().map_err(|_| E::SignedAttributes)?;
    Ok(Checked {
        certificates: sd.certificates,
        signer,
        signed_attrs,
        digest,
        time: VerifiedTimestamp {
            gen_time,
            fraction,
            tsa: 0,
            tst_info_sha256: Sha256::digest(econtent).into(),
        },
    })
}

/// Check 5's attributes: bounded, each type once, one contentType of
/// id-ct-TSTInfo and one messageDigest equal to `digest`.
fn check_signed_attributes(
    attrs: &[x509_cert::attr::Attribute],
    digest: &[u8],
) -> Result<(), TimestampError> {
    use TimestampError as E;
    if attrs.len() > MAX_SIGNED_ATTRIBUTES {
        return Err(E::SignedAttributes);
    }
    for (i, a) in attrs.iter().enumerate() {
        if attrs
            .get(..i)
            .is_some_and(|s| s.iter().any(|b| b.oid == a.oid))
        {
            return Err(E::SignedAttributes);
        }
    }
    let single = |oid: ObjectIdentifier| -> Result<&der::Any, TimestampError> {
        match attrs
            .iter()
            .find(|a| a.oid == oid)
            .map(|a| a.values.as_slice())
        {
            Some([one]) => Ok(one),
            _ => Err(E::SignedAttributes),
        }
    };
    let content_type: ObjectIdentifier = single(ID_CONTENT_TYPE)?
        .decode_as()
        .map_err(|_| E::SignedAttributes)?;
    if content_type != ID_CT_TST_INFO {
        return Err(E::ContentTypeAttribute);
    }
    let message_digest: &OctetStringRef = single(ID_MESSAGE_DIGEST)?
        .decode_as()
        .map_err(|_| E::SignedAttributes)?;
    if message_digest.as_bytes() != digest {
        return Err(E::MessageDigestMismatch);
    }
    Ok(())
}

/// Whether the signer identifier names `leaf`.
fn names(sid: &SignerIdentifier, leaf: &Certificate) -> bool {
    let tbs = leaf.tbs_certificate();
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            isn.issuer == *tbs.issuer() && isn.serial_number == *tbs.serial_number()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .get_extension::<SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, own)| own == *ski),
    }
}

/// Check 6's embedded certificates.
fn check_embedded(certs: &[CertificateChoices], leaf: &Certificate) -> Result<(), TimestampError> {
    if certs.is_empty() {
        return Ok(());
    }
    if certs.len() > MAX_TSA_EMBEDDED_CERTS {
        return Err(TimestampError::EmbeddedCertificates);
    }
    let mut found = false;
    for c in certs {
        let CertificateChoices::Certificate(c) = c else {
            return Err(TimestampError::EmbeddedCertificates);
        };
        if c == leaf {
            found = true;
        } else if !is_ca(c) {
            return Err(TimestampError::EmbeddedCertificates);
        }
    }
    if found {
        Ok(())
    } else {
        Err(TimestampError::EmbeddedCertificates)
    }
}

fn is_ca(cert: &Certificate) -> bool {
    cert.tbs_certificate()
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, bc)| bc.ca)
}

/// Check 7: the CMS signature over `message` with the leaf's key.
fn verify_signature(
    signer: &SignerInfo,
    leaf: &Certificate,
    message: &[u8],
    digest: SigHash,
) -> Result<(), TimestampError> {
    use TimestampError as E;
    let alg = &signer.signature_algorithm;
    let named = match alg.oid {
        ECDSA_SHA256 | RSA_SHA256 => Some(SigHash::Sha256),
        ECDSA_SHA384 | RSA_SHA384 => Some(SigHash::Sha384),
        ECDSA_SHA512 | RSA_SHA512 => Some(SigHash::Sha512),
        _ => None,
    };
    if named.is_some_and(|h| h != digest) {
        return Err(E::UnsupportedSignatureAlgorithm);
    }
    let spki = leaf.tbs_certificate().subject_public_key_info();
    let sig = signer.signature.as_bytes();
    match alg.oid {
        ECDSA_SHA256 | ECDSA_SHA384 | ECDSA_SHA512 | ID_EC_PUBLIC_KEY => {
            if alg.oid != ID_EC_PUBLIC_KEY && alg.parameters.is_some() {
                return Err(E::UnsupportedSignatureAlgorithm);
            }
            let key = spki
                .to_der()
                .ok()
                .and_then(|d| PublicKey::from_spki_der(&d).ok())
                .ok_or(E::UnsupportedSignatureAlgorithm)?;
            key.verify_prehash(Digest::of(digest, message).as_slice(), sig)
                .map_err(|_| E::BadSignature)
        }
        RSA_ENCRYPTION | RSA_SHA256 | RSA_SHA384 | RSA_SHA512 => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            use rsa::signature::Verifier;
            use rsa::traits::PublicKeyParts;
            if alg.parameters.as_ref().is_some_and(|p| !p.is_null())
                || spki.algorithm.oid != RSA_ENCRYPTION
            {
                return Err(E::UnsupportedSignatureAlgorithm);
            }
            let key = spki
                .subject_public_key
                .as_bytes()
                .and_then(|k| rsa::RsaPublicKey::from_pkcs1_der(k).ok())
                .filter(|k| (2048..=4096).contains(&k.n().bits()))
                .ok_or(E::UnsupportedSignatureAlgorithm)?;
            let sig = rsa::pkcs1v15::Signature::try_from(sig).map_err(|_| E::BadSignature)?;
            match digest {
                SigHash::Sha256 => {
                    rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key).verify(message, &sig)
                }
                SigHash::Sha384 => {
                    rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key).verify(message, &sig)
                }
                SigHash::Sha512 => {
                    rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key).verify(message, &sig)
                }
            }
            .map_err(|_| E::BadSignature)
        }
        _ => Err(E::UnsupportedSignatureAlgorithm),
    }
}

/// The extendedKeyUsage extension: (critical, purposes); `None` if absent
/// or malformed.
fn eku(cert: &Certificate) -> Option<(bool, ExtendedKeyUsage)> {
    cert.tbs_certificate()
        .get_extension::<ExtendedKeyUsage>()
        .ok()
        .flatten()
}

/// Check 8 for the leaf: one critical extendedKeyUsage, timeStamping only.
fn check_leaf_eku(leaf: &Certificate) -> Result<(), TimestampError> {
    match eku(leaf) {
        Some((true, purposes)) if purposes.0.as_slice() == [KP_TIME_STAMPING] => Ok(()),
        _ => Err(TimestampError::LeafEku),
    }
}

/// Check 8 for an intermediate: no extendedKeyUsage, or one allowing
/// timeStamping or any purpose. A present but malformed one fails.
fn check_intermediate_eku(cert: &Certificate) -> Result<(), TimestampError> {
    let present = cert
        .tbs_certificate()
        .extensions()
        .is_some_and(|exts| exts.iter().any(|e| e.extn_id == EXT_EXT_KEY_USAGE));
    if !present {
        return Ok(());
    }
    match eku(cert) {
        Some((_, purposes))
            if purposes
                .0
                .iter()
                .any(|p| *p == KP_TIME_STAMPING || *p == ANY_EXTENDED_KEY_USAGE) =>
        {
            Ok(())
        }
        _ => Err(TimestampError::IntermediateEku),
    }
}

/// Checks 6–10 against one TSA; `Ok(None)` when the TSA's leaf is not the
/// signer (or is unreadable), so another TSA may be.
fn check_tsa(checked: &Checked, tsa: &CertificateAuthority) -> Result<Option<()>, TimestampError> {
    use TimestampError as E;
    // 6.
    let Some(leaf) = tsa.chain.first().and_then(|d| Cert::from_der(d)) else {
        return Ok(None);
    };
    if !names(&checked.signer.sid, leaf.parsed()) {
        return Ok(None);
    }
    let embedded = checked
        .certificates
        .as_ref()
        .map_or(&[][..], |s| s.0.as_slice());
    check_embedded(embedded, leaf.parsed())?;
    // 7.
    verify_signature(
        &checked.signer,
        leaf.parsed(),
        &checked.signed_attrs,
        checked.digest,
    )?;
    // 8.
    let mut chain = Vec::with_capacity(tsa.chain.len());
    for (i, der) in tsa.chain.iter().enumerate() {
        let at = CertPosition::Bundle(u8::try_from(i).unwrap_or(u8::MAX));
        chain.push(Cert::from_der(der).ok_or(E::Chain(CertificateError::Encoding { at }))?);
    }
    check_leaf_eku(leaf.parsed())?;
    let last = chain.len().saturating_sub(1);
    for cert in chain.get(1..last).unwrap_or(&[]) {
        check_intermediate_eku(cert.parsed())?;
    }
    // 9.
    let mut store = TrustStore::new();
    if let Some(root) = tsa.chain.last() {
        store.add_der(root).map_err(E::Chain)?;
    }
    let time = checked.time;
    let chain_err = |e: Error| match e {
        Error::Certificate(c) => E::Chain(c),
        // validate_path reports only certificate errors.
        _ => E::Chain(CertificateError::EmptyChain),
    };
    validate_path(&chain, &store, UnixTime(time.gen_time)).map_err(chain_err)?;
    if time.fraction {
        validate_path(&chain, &store, UnixTime(time.upper())).map_err(chain_err)?;
    }
    // 10.
    let range = tsa.valid_for;
    if !(range.contains(time.gen_time) && range.contains(time.upper())) {
        return Err(E::OutsideTsaValidity);
    }
    Ok(Some(()))
}

/// Verifies one `signedTimestamp` (a DER `TimeStampResp`) over the
/// `signature` bytes against the trusted TSAs, in order; the first TSA
/// that verifies it is named in the result.
pub fn verify_timestamp(
    signed_timestamp: &[u8],
    signature: &[u8],
    tsas: &[CertificateAuthority],
) -> Result<VerifiedTimestamp, TimestampError> {
    let checked = check_token(signed_timestamp, signature)?;
    let mut first_err = None;
    for (i, tsa) in tsas.iter().enumerate() {
        match check_tsa(&checked, tsa) {
            Ok(Some(())) => {
                return Ok(VerifiedTimestamp {
                    tsa: i,
                    ..checked.time
                });
            }
            Ok(None) => {}
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or(TimestampError::UntrustedTsa))
}

/// Decodes standard padded base64 (after JSON unescaping), skipping line
/// breaks: `base64 response.tsr` wraps at 76 columns, and the references'
/// decoders (Go's `encoding/base64`, Python's `b64decode`) skip `\r` and
/// `\n`; the conformance suite has such a bundle.
fn decode_base64_lines(text: JsonStr<'_>) -> Option<Vec<u8>> {
    let mut buf = alloc::vec![0u8; text.raw().len()];
    let mut n = 0;
    for c in text.bytes().filter(|c| !matches!(c, b'\r' | b'\n')) {
        *buf.get_mut(n)? = c;
        n = n.saturating_add(1);
    }
    let len = <base64ct::Base64 as base64ct::Encoding>::decode_in_place(buf.get_mut(..n)?)
        .ok()?
        .len();
    buf.truncate(len);
    Some(buf)
}

/// Verifies every timestamp of a bundle's `timestampVerificationData`
/// over the `signature` bytes; absent data, or no `rfc3161Timestamps`, is
/// an empty list (whether one is required is the caller's policy). An
/// error carries the index of the entry it is about (0 for the list
/// itself).
pub fn verify_all(
    tvd: Option<Object<'_>>,
    signature: &[u8],
    tsas: &[CertificateAuthority],
) -> Result<Vec<VerifiedTimestamp>, (usize, TimestampError)> {
    use TimestampError as E;
    let list = match tvd.map(|o| o.get("rfc3161Timestamps")) {
        None | Some(Ok(None)) => return Ok(Vec::new()),
        Some(Ok(Some(v))) => v.array().map_err(|_| (0, E::Encoding))?,
        Some(Err(_)) => return Err((0, E::Encoding)),
    };
    // 1.
    if list.iter().count() > MAX_TIMESTAMPS {
        return Err((MAX_TIMESTAMPS, E::TooMany));
    }
    // 2–3.
    let max_text = MAX_TIMESTAMP_BYTES.div_ceil(3).saturating_mul(4);
    let mut tokens: Vec<Vec<u8>> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let text = item
            .ok()
            .and_then(|v| v.object().ok())
            .and_then(|o| o.get("signedTimestamp").ok().flatten())
            .and_then(|v| v.str().ok())
            .ok_or((i, E::Encoding))?;
        if text.raw().len() > max_text {
            return Err((i, E::TooLarge));
        }
        let der = decode_base64_lines(text).ok_or((i, E::Encoding))?;
        if tokens.iter().any(|t| t.as_slice() == der) {
            return Err((i, E::Duplicate));
        }
        tokens.push(der);
    }
    // 4–5.
    let mut out: Vec<VerifiedTimestamp> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let v = verify_timestamp(t, signature, tsas).map_err(|e| (i, e))?;
        if out.iter().any(|o| o.same_as(&v)) {
            return Err((i, E::Duplicate));
        }
        out.push(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust_root::TimeRange;
    use alloc::string::String;
    use alloc::vec;

    // testdata/tsa/make.py made these once; see its docstring.
    const SIG: &[u8] = include_bytes!("../../testdata/tsa/signature.bin");
    const EC_EMBEDDED: &[u8] = include_bytes!("../../testdata/tsa/ec-embedded.tsr");
    const EC_BARE: &[u8] = include_bytes!("../../testdata/tsa/ec-bare.tsr");
    const RSA: &[u8] = include_bytes!("../../testdata/tsa/rsa.tsr");
    const EXPIRED: &[u8] = include_bytes!("../../testdata/tsa/expired.tsr");
    const EC_LEAF: &[u8] = include_bytes!("../../testdata/tsa/ec/leaf.der");
    const EC_INTER: &[u8] = include_bytes!("../../testdata/tsa/ec/inter.der");
    const EC_ROOT: &[u8] = include_bytes!("../../testdata/tsa/ec/root.der");
    const RSA_LEAF: &[u8] = include_bytes!("../../testdata/tsa/rsa/leaf.der");
    const RSA_ROOT: &[u8] = include_bytes!("../../testdata/tsa/rsa/root.der");
    const EXPIRED_LEAF: &[u8] = include_bytes!("../../testdata/tsa/expired/leaf.der");
    const EXPIRED_ROOT: &[u8] = include_bytes!("../../testdata/tsa/expired/root.der");
    /// genTimes of the committed tokens (`openssl ts -reply -text`):
    /// 2026-11-22T04:30:50.212Z, 04:30:50Z, 04:30:51Z, 04:30:51Z.
    const T_EC_EMBEDDED: u64 = 1_795_321_850;
    const T_EC_BARE: u64 = 1_795_321_850;
    const T_RSA: u64 = 1_795_321_851;

    fn tsa(chain: &[&[u8]], valid_for: TimeRange) -> CertificateAuthority {
        CertificateAuthority {
            uri: String::new(),
            chain: chain.iter().map(|c| c.to_vec()).collect(),
            valid_for,
        }
    }

    fn ec() -> CertificateAuthority {
        tsa(&[EC_LEAF, EC_INTER, EC_ROOT], TimeRange::default())
    }

    fn rsa() -> CertificateAuthority {
        tsa(&[RSA_LEAF, RSA_ROOT], TimeRange::default())
    }

    fn expired() -> CertificateAuthority {
        tsa(&[EXPIRED_LEAF, EXPIRED_ROOT], TimeRange::default())
    }

    fn find(hay: &[u8], needle: &[u8], nth: usize) -> usize {
        hay.windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap()
    }

    /// `token` with the byte at `at` replaced.
    fn with_byte(token: &[u8], at: usize, value: u8) -> Vec<u8> {
        let mut t = token.to_vec();
        t[at] = value;
        t
    }

    fn cert(der: &[u8]) -> Certificate {
        Certificate::from_der(der).unwrap()
    }

    #[test]
    fn embedded_certs_fraction_and_optional_fields_verify() {
        let v = verify_timestamp(EC_EMBEDDED, SIG, &[ec()]).unwrap();
        assert_eq!(
            v,
            VerifiedTimestamp {
                gen_time: T_EC_EMBEDDED,
                fraction: true,
                tsa: 0,
                tst_info_sha256: v.tst_info_sha256,
            }
        );
    }

    #[test]
    fn bare_token_sha384_verifies() {
        let v = verify_timestamp(EC_BARE, SIG, &[ec()]).unwrap();
        assert_eq!((v.gen_time, v.fraction), (T_EC_BARE, false));
    }

    #[test]
    fn rsa_tsa_verifies_and_is_named_by_index() {
        let v = verify_timestamp(RSA, SIG, &[ec(), rsa()]).unwrap();
        assert_eq!((v.gen_time, v.tsa), (T_RSA, 1));
        assert_eq!(
            verify_timestamp(EC_BARE, SIG, &[rsa(), ec()]).unwrap().tsa,
            1
        );
    }

    #[test]
    fn imprint_must_hash_the_signature() {
        let mut other = SIG.to_vec();
        other[0] ^= 1;
        for token in [EC_EMBEDDED, EC_BARE, RSA] {
            assert_eq!(
                verify_timestamp(token, &other, &[ec(), rsa()]),
                Err(TimestampError::ImprintMismatch)
            );
        }
    }

    /// The byte at the end of the `nth` occurrence of `pattern` in
    /// `token`, set to `value`.
    fn mutate(token: &[u8], pattern: &[u8], nth: usize, value: u8) -> Vec<u8> {
        with_byte(token, find(token, pattern, nth) + pattern.len() - 1, value)
    }

    #[test]
    fn mutated_tokens_fail_the_check_they_break() {
        use TimestampError as E;
        let sha256 = [
            0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        ];
        let policy = [
            0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x02,
        ];
        let tst_info = [
            0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
        ];
        let cases = [
            // The second SHA-256 AlgorithmIdentifier is the imprint's (the
            // first is SignedData.digestAlgorithms): SHA-224.
            (mutate(EC_EMBEDDED, &sha256, 1, 0x04), E::UnsupportedHash),
            // TSTInfo.policy ...57264.2 -> .3: signed content changed.
            (
                mutate(EC_EMBEDDED, &policy, 0, 0x03),
                E::MessageDigestMismatch,
            ),
            // The first id-ct-TSTInfo is eContentType, the second the
            // contentType attribute.
            (mutate(EC_BARE, &tst_info, 0, 0x05), E::ContentType),
            (mutate(EC_BARE, &tst_info, 1, 0x05), E::ContentTypeAttribute),
        ];
        for (i, (token, expected)) in cases.iter().enumerate() {
            assert_eq!(verify_timestamp(token, SIG, &[ec()]), Err(*expected), "{i}");
        }
    }

    #[test]
    fn tampered_signature_fails() {
        // The signature is the response's last TLV.
        for (token, tsas) in [(EC_BARE, [ec()]), (RSA, [rsa()])] {
            let at = token.len() - 5;
            let t = with_byte(token, at, token[at] ^ 0x01);
            assert_eq!(
                verify_timestamp(&t, SIG, &tsas),
                Err(TimestampError::BadSignature)
            );
        }
    }

    #[test]
    fn status_must_be_granted() {
        let at = find(EC_BARE, &[0x30, 0x03, 0x02, 0x01, 0x00], 0) + 4;
        for status in [1, 2, 5] {
            let t = with_byte(EC_BARE, at, status);
            assert_eq!(
                verify_timestamp(&t, SIG, &[ec()]),
                Err(TimestampError::Status)
            );
        }
    }

    #[test]
    fn garbage_and_truncation_fail_to_parse() {
        for bad in [
            &b""[..],
            b"\x30\x00",
            b"not DER at all",
            &EC_BARE[..EC_BARE.len() - 1],
        ] {
            assert_eq!(
                verify_timestamp(bad, SIG, &[ec()]),
                Err(TimestampError::Response)
            );
        }
        let mut trailing = EC_BARE.to_vec();
        trailing.push(0);
        assert_eq!(
            verify_timestamp(&trailing, SIG, &[ec()]),
            Err(TimestampError::Response)
        );
    }

    #[test]
    fn untrusted_tsa_fails_with_or_without_embedded_certs() {
        for token in [EC_EMBEDDED, EC_BARE] {
            for tsas in [&[][..], &[rsa()], &[rsa(), expired()]] {
                assert_eq!(
                    verify_timestamp(token, SIG, tsas),
                    Err(TimestampError::UntrustedTsa)
                );
            }
        }
        // A TSA list naming only the intermediate or the root: not the signer.
        let partial = [tsa(&[EC_INTER, EC_ROOT], TimeRange::default())];
        assert_eq!(
            verify_timestamp(EC_BARE, SIG, &partial),
            Err(TimestampError::UntrustedTsa)
        );
    }

    #[test]
    fn tsa_chain_must_reach_its_own_root() {
        // The right leaf and intermediate under a foreign root.
        let wrong_root = [tsa(&[EC_LEAF, EC_INTER, RSA_ROOT], TimeRange::default())];
        assert_eq!(
            verify_timestamp(EC_BARE, SIG, &wrong_root),
            Err(TimestampError::Chain(CertificateError::UnknownIssuer {
                at: CertPosition::Bundle(1)
            }))
        );
        // Without the intermediate.
        let short = [tsa(&[EC_LEAF, EC_ROOT], TimeRange::default())];
        assert_eq!(
            verify_timestamp(EC_BARE, SIG, &short),
            Err(TimestampError::Chain(CertificateError::UnknownIssuer {
                at: CertPosition::Bundle(0)
            }))
        );
    }

    #[test]
    fn gen_time_outside_tsa_cert_validity_fails() {
        assert_eq!(
            verify_timestamp(EXPIRED, SIG, &[expired()]),
            Err(TimestampError::Chain(CertificateError::Expired {
                at: CertPosition::Bundle(0)
            }))
        );
    }

    #[test]
    fn valid_for_ends_are_inclusive_and_exact() {
        let range = TimeRange::seconds;
        let with = |r| [tsa(&[EC_LEAF, EC_INTER, EC_ROOT], r)];
        let t = T_EC_BARE;
        // Whole seconds: both ends inclusive.
        for r in [
            range(Some(t), Some(t)),
            range(None, Some(t)),
            range(Some(t), None),
        ] {
            assert!(verify_timestamp(EC_BARE, SIG, &with(r)).is_ok());
        }
        for r in [range(None, Some(t - 1)), range(Some(t + 1), None)] {
            assert_eq!(
                verify_timestamp(EC_BARE, SIG, &with(r)),
                Err(TimestampError::OutsideTsaValidity)
            );
        }
        // 04:30:50.212: after an end at :50, within a window [:50, :51].
        let t = T_EC_EMBEDDED;
        assert!(verify_timestamp(EC_EMBEDDED, SIG, &with(range(Some(t), Some(t + 1)))).is_ok());
        for r in [range(None, Some(t)), range(Some(t + 1), None)] {
            assert_eq!(
                verify_timestamp(EC_EMBEDDED, SIG, &with(r)),
                Err(TimestampError::OutsideTsaValidity)
            );
        }
    }

    #[test]
    fn within_is_exact_for_fractions() {
        let whole = VerifiedTimestamp {
            gen_time: 100,
            fraction: false,
            tsa: 0,
            tst_info_sha256: [0; 32],
        };
        let frac = VerifiedTimestamp {
            fraction: true,
            ..whole
        };
        assert!(whole.within(100, 100));
        assert!(!frac.within(100, 100));
        assert!(frac.within(100, 101));
        assert!(!whole.within(101, 200) && !frac.within(101, 200));
        assert!(!whole.within(0, 99));
    }

    #[test]
    fn gen_time_parsing() {
        let p = |s: &str| parse_gen_time(s.as_bytes());
        assert_eq!(p("19700101000000Z"), Some((0, false)));
        assert_eq!(p("20261122043050Z"), Some((T_EC_BARE, false)));
        assert_eq!(p("20261122043050.212Z"), Some((T_EC_BARE, true)));
        assert_eq!(p("20240229235959.5Z"), Some((1_709_251_199, true)));
        for bad in [
            "20261122043050",      // no Z
            "202611220430Z",       // no seconds
            "20261122043050.Z",    // empty fraction
            "20261122043050.210Z", // trailing zero (not DER)
            "20261122043050,2Z",   // comma
            "20261122043050+0000", // offset
            "20261122043060Z",     // second 60
            "20230229000000Z",     // not a leap year
            "19691231235959Z",     // before 1970
            "2026112204305aZ",     // not a digit
            "20261122043050.2aZ",  // not a digit
            "",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn leaf_eku_must_be_critical_time_stamping_only() {
        assert_eq!(check_leaf_eku(&cert(EC_LEAF)), Ok(()));
        assert_eq!(check_leaf_eku(&cert(RSA_LEAF)), Ok(()));
        // Non-critical timeStamping; none at all.
        assert_eq!(
            check_leaf_eku(&cert(EC_INTER)),
            Err(TimestampError::LeafEku)
        );
        assert_eq!(check_leaf_eku(&cert(EC_ROOT)), Err(TimestampError::LeafEku));
    }

    #[test]
    fn intermediate_eku_must_allow_time_stamping() {
        assert_eq!(check_intermediate_eku(&cert(EC_INTER)), Ok(()));
        assert_eq!(check_intermediate_eku(&cert(EC_ROOT)), Ok(()));
    }

    #[test]
    fn embedded_certs_must_hold_the_trusted_leaf_and_no_other_leaf() {
        let leaf = cert(EC_LEAF);
        let c = |d: &[u8]| CertificateChoices::Certificate(cert(d));
        assert_eq!(check_embedded(&[], &leaf), Ok(()));
        assert_eq!(
            check_embedded(&[c(EC_ROOT), c(EC_LEAF), c(EC_INTER)], &leaf),
            Ok(())
        );
        let bad = TimestampError::EmbeddedCertificates;
        // Only CA certificates; another TSA's leaf beside ours, or alone.
        assert_eq!(check_embedded(&[c(EC_INTER), c(EC_ROOT)], &leaf), Err(bad));
        assert_eq!(check_embedded(&[c(EC_LEAF), c(RSA_LEAF)], &leaf), Err(bad));
        assert_eq!(check_embedded(&[c(RSA_LEAF)], &leaf), Err(bad));
        // The limit: the leaf and CA copies.
        let mut certs = vec![c(EC_LEAF)];
        certs.resize(MAX_TSA_EMBEDDED_CERTS, c(EC_ROOT));
        assert_eq!(check_embedded(&certs, &leaf), Ok(()));
        certs.push(c(EC_ROOT));
        assert_eq!(check_embedded(&certs, &leaf), Err(bad));
    }

    fn attribute(oid: ObjectIdentifier, value: der::Any) -> x509_cert::attr::Attribute {
        x509_cert::attr::Attribute {
            oid,
            values: der::asn1::SetOfVec::try_from(vec![value]).unwrap(),
        }
    }

    #[test]
    fn signed_attributes_rules_and_limit() {
        let digest = [7u8; 32];
        let ct = || {
            attribute(
                ID_CONTENT_TYPE,
                der::Any::encode_from(&ID_CT_TST_INFO).unwrap(),
            )
        };
        let md = |d: &[u8]| {
            let os = der::asn1::OctetString::new(d).unwrap();
            attribute(ID_MESSAGE_DIGEST, der::Any::encode_from(&os).unwrap())
        };
        assert_eq!(
            check_signed_attributes(&[ct(), md(&digest)], &digest),
            Ok(())
        );
        let e = TimestampError::SignedAttributes;
        assert_eq!(check_signed_attributes(&[md(&digest)], &digest), Err(e));
        assert_eq!(check_signed_attributes(&[ct()], &digest), Err(e));
        assert_eq!(
            check_signed_attributes(&[ct(), md(&digest), md(&digest)], &digest),
            Err(e)
        );
        assert_eq!(
            check_signed_attributes(&[ct(), md(&[8u8; 32])], &digest),
            Err(TimestampError::MessageDigestMismatch)
        );
        // The limit: fillers with distinct types.
        let mut attrs = vec![ct(), md(&digest)];
        let mut arc = 0u32;
        let mut filler = || {
            arc += 1;
            let oid = ObjectIdentifier::new_unwrap("1.2.3").push_arc(arc).unwrap();
            attribute(oid, der::Any::encode_from(&true).unwrap())
        };
        while attrs.len() < MAX_SIGNED_ATTRIBUTES {
            attrs.push(filler());
        }
        assert_eq!(check_signed_attributes(&attrs, &digest), Ok(()));
        attrs.push(filler());
        assert_eq!(check_signed_attributes(&attrs, &digest), Err(e));
    }

    #[test]
    fn token_size_limit() {
        let at_limit = vec![0x30; MAX_TIMESTAMP_BYTES];
        assert_eq!(
            verify_timestamp(&at_limit, SIG, &[ec()]),
            Err(TimestampError::Response)
        );
        let over = vec![0x30; MAX_TIMESTAMP_BYTES + 1];
        assert_eq!(
            verify_timestamp(&over, SIG, &[ec()]),
            Err(TimestampError::TooLarge)
        );
    }

    fn b64(bytes: &[u8]) -> String {
        let mut buf = vec![0u8; bytes.len().div_ceil(3) * 4];
        String::from(<base64ct::Base64 as base64ct::Encoding>::encode(bytes, &mut buf).unwrap())
    }

    /// `{"rfc3161Timestamps":[{"signedTimestamp":"…"},…]}`
    fn tvd_json(texts: &[String]) -> String {
        let items: Vec<String> = texts
            .iter()
            .map(|t| alloc::format!(r#"{{"signedTimestamp":"{t}"}}"#))
            .collect();
        alloc::format!(r#"{{"rfc3161Timestamps":[{}]}}"#, items.join(","))
    }

    fn run(json: &str) -> Result<Vec<VerifiedTimestamp>, (usize, TimestampError)> {
        let v = crate::json::parse(json.as_bytes()).unwrap();
        verify_all(Some(v.object().unwrap()), SIG, &[rsa(), ec()])
    }

    #[test]
    fn verify_all_lists() {
        let all = run(&tvd_json(&[b64(EC_EMBEDDED), b64(RSA), b64(EC_BARE)])).unwrap();
        assert_eq!(
            all.iter().map(|t| (t.gen_time, t.tsa)).collect::<Vec<_>>(),
            [(T_EC_EMBEDDED, 1), (T_RSA, 0), (T_EC_BARE, 1)]
        );
        assert_eq!(verify_all(None, SIG, &[ec()]), Ok(vec![]));
        assert_eq!(run("{}"), Ok(vec![]));
        assert_eq!(run(&tvd_json(&[])), Ok(vec![]));
        // The failing entry's index.
        assert_eq!(
            run(&tvd_json(&[b64(EC_BARE), b64(EXPIRED)])),
            Err((1, TimestampError::UntrustedTsa))
        );
    }

    #[test]
    fn verify_all_line_breaks_and_escapes() {
        // `base64` wraps at 76 columns; JSON may escape the slash.
        let text = b64(EC_BARE);
        let mut wrapped = String::new();
        for (i, c) in text.chars().enumerate() {
            if i > 0 && i % 76 == 0 {
                wrapped.push_str("\\n");
            }
            if c == '/' {
                wrapped.push_str("\\/");
            } else {
                wrapped.push(c);
            }
        }
        assert!(wrapped.contains("\\n"));
        assert_eq!(run(&tvd_json(&[wrapped])).unwrap().len(), 1);
    }

    #[test]
    fn verify_all_rejects_duplicates_and_malformed_entries() {
        assert_eq!(
            run(&tvd_json(&[b64(EC_BARE), b64(RSA), b64(EC_BARE)])),
            Err((2, TimestampError::Duplicate))
        );
        let e = TimestampError::Encoding;
        assert_eq!(run(&tvd_json(&[String::from("!!!!")])), Err((0, e)));
        assert_eq!(run(r#"{"rfc3161Timestamps":{}}"#), Err((0, e)));
        assert_eq!(run(r#"{"rfc3161Timestamps":[{}]}"#), Err((0, e)));
        // Every entry is decoded before any is verified.
        assert_eq!(
            run(r#"{"rfc3161Timestamps":[{"signedTimestamp":"AA=="},7]}"#),
            Err((1, e))
        );
        assert_eq!(
            run(r#"{"rfc3161Timestamps":[{"signedTimestamp":1}]}"#),
            Err((0, e))
        );
        assert_eq!(
            run(r#"{"rfc3161Timestamps":[],"rfc3161Timestamps":[]}"#),
            Err((0, e))
        );
    }

    /// `token` re-wrapped without changing what the TSA signed: a status
    /// text added, the embedded certificates dropped.
    fn rewrapped(token: &[u8]) -> Vec<u8> {
        let mut resp = TimeStampResp::from_der(token).unwrap();
        resp.status.status_string = Some(vec![Utf8StringRef::new("re-wrapped").unwrap()]);
        let mut info = resp.time_stamp_token.take().unwrap();
        let mut sd: SignedData = info.content.decode_as().unwrap();
        assert!(sd.certificates.is_some());
        sd.certificates = None;
        info.content = der::Any::encode_from(&sd).unwrap();
        resp.time_stamp_token = Some(info);
        resp.to_der().unwrap()
    }

    #[test]
    fn verify_all_rejects_the_same_timestamp_rewrapped() {
        let again = rewrapped(EC_EMBEDDED);
        assert_ne!(again.as_slice(), EC_EMBEDDED);
        let one = verify_timestamp(&again, SIG, &[ec()]).unwrap();
        assert_eq!(one, verify_timestamp(EC_EMBEDDED, SIG, &[ec()]).unwrap());
        assert_eq!(
            run(&tvd_json(&[b64(EC_EMBEDDED), b64(RSA), b64(&again)])),
            Err((2, TimestampError::Duplicate))
        );
        // Another token of the same TSA at the same genTime second is the
        // same time source too; another second or another TSA is not.
        let a = one;
        let b = VerifiedTimestamp {
            tst_info_sha256: [0; 32],
            ..a
        };
        assert!(a.same_as(&b));
        assert!(!a.same_as(&VerifiedTimestamp { tsa: 1, ..b }));
        assert!(!a.same_as(&VerifiedTimestamp {
            gen_time: a.gen_time + 1,
            ..b
        }));
        assert!(!a.same_as(&VerifiedTimestamp {
            fraction: false,
            ..b
        }));
    }

    #[test]
    fn verify_all_count_limit() {
        // Distinct undecodable tokens: at the limit the count passes and the
        // first token fails; one more and the count fails.
        let texts: Vec<String> = (0..=MAX_TIMESTAMPS)
            .map(|i| b64(&[0x30, 0x01, u8::try_from(i).unwrap()]))
            .collect();
        assert_eq!(
            run(&tvd_json(&texts[..MAX_TIMESTAMPS])),
            Err((0, TimestampError::Response))
        );
        assert_eq!(
            run(&tvd_json(&texts)),
            Err((MAX_TIMESTAMPS, TimestampError::TooMany))
        );
    }

    #[test]
    fn verify_all_size_limit() {
        let at_limit = b64(&vec![0x30; MAX_TIMESTAMP_BYTES]);
        assert_eq!(
            run(&tvd_json(&[at_limit])),
            Err((0, TimestampError::Response))
        );
        let over = b64(&vec![0x30; MAX_TIMESTAMP_BYTES + 1]);
        assert_eq!(run(&tvd_json(&[over])), Err((0, TimestampError::TooLarge)));
        // Text too long to be in bounds is refused before decoding.
        let over = "A".repeat(MAX_TIMESTAMP_BYTES.div_ceil(3) * 4 + 4);
        assert_eq!(run(&tvd_json(&[over])), Err((0, TimestampError::TooLarge)));
    }

    #[test]
    fn errors_display_their_check() {
        let e = TimestampError::Chain(CertificateError::EmptyChain);
        assert_eq!(
            alloc::format!("{e}"),
            "timestamp: TSA chain at genTime: EmptyChain"
        );
        assert_eq!(
            alloc::format!("{}", TimestampError::ImprintMismatch),
            "timestamp: imprint is not the signature's hash"
        );
    }
}
