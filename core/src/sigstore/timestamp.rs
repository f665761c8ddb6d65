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
//! The few RFC 3161 structures are declared here with der's derive
//! macros (`x509-tsp` 0.1, the RustCrypto TSP types, is still on der
//! 0.7); the CMS layers are read in place by [`token`] (why not the `cms`
//! crate: see there).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef, Utf8StringRef};
use der::{Decode, Encode, Sequence, Tag, Tagged};
use sha2::{Digest as _, Sha256};
use spki::AlgorithmIdentifierRef;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, SubjectKeyIdentifier};

use crate::check::Check;
use crate::json::{JsonStr, Object};
use crate::keys::{ID_EC_PUBLIC_KEY, PrehashState, PublicKey, SigHash};
use crate::limits::{
    MAX_SIGNED_ATTRIBUTES, MAX_TIMESTAMP_BYTES, MAX_TIMESTAMPS, MAX_TSA_EMBEDDED_CERTS,
};
use crate::sigstore::trust_root::CertificateAuthority;
use crate::time::UnixTime;
#[cfg(feature = "rsa")]
use crate::x509::RSA_ENCRYPTION;
use crate::x509::{
    Cert, CertPosition, CertificateError, ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512, RSA_SHA256,
    RSA_SHA384, RSA_SHA512, SHA256, SignatureMemo, TrustStore, eku_allows, get_extension,
    validate_path,
};
#[cfg(feature = "sha512")]
use crate::x509::{SHA384, SHA512};
use token::{CertificateChoice, Sid, SignedData, SignerInfo};

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

/// A timestamp that passed every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct VerifiedTimestamp {
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
    #[cfg(all(test, feature = "p384", feature = "p521", feature = "rsa"))]
    pub(crate) fn within(&self, not_before: u64, not_after: u64) -> bool {
        not_before <= self.gen_time && self.upper() <= not_after
    }

    /// The first whole second at or after genTime.
    pub(crate) fn upper(&self) -> u64 {
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
#[non_exhaustive]
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

impl TimestampError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        use TimestampError as E;
        match self {
            E::TooMany => Check::TimestampTooMany,
            E::Duplicate => Check::TimestampDuplicate,
            E::Encoding => Check::TimestampEncoding,
            E::TooLarge => Check::TimestampTooLarge,
            E::Response => Check::TimestampResponse,
            E::Status => Check::TimestampStatus,
            E::Token => Check::TimestampToken,
            E::SignerCount => Check::TimestampSignerCount,
            E::ContentType => Check::TimestampContentType,
            E::TstInfo => Check::TimestampTstInfo,
            E::GenTime => Check::TimestampGenTime,
            E::UnsupportedHash => Check::TimestampUnsupportedHash,
            E::ImprintMismatch => Check::TimestampImprintMismatch,
            E::SignerInfo => Check::TimestampSignerInfo,
            E::SignedAttributes => Check::TimestampSignedAttributes,
            E::ContentTypeAttribute => Check::TimestampContentTypeAttribute,
            E::MessageDigestMismatch => Check::TimestampMessageDigestMismatch,
            E::UntrustedTsa => Check::TimestampUntrustedTsa,
            E::EmbeddedCertificates => Check::TimestampEmbeddedCertificates,
            E::UnsupportedSignatureAlgorithm => Check::TimestampUnsupportedSignatureAlgorithm,
            E::BadSignature => Check::TimestampBadSignature,
            E::LeafEku => Check::TimestampLeafEku,
            E::IntermediateEku => Check::TimestampIntermediateEku,
            E::Chain(_) => Check::TimestampChain,
            E::OutsideTsaValidity => Check::TimestampOutsideTsaValidity,
        }
    }
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

// RFC 3161 §2.4.2 structures (TSTInfo: `token::tst_info`). The fields
// the verifier does not use are still decoded, so the structure is
// validated in full.

/// `TimeStampResp`.
#[derive(Sequence)]
struct TimeStampResp<'a> {
    status: PkiStatusInfo<'a>,
    time_stamp_token: Option<ContentInfo<'a>>,
}

/// `ContentInfo` (RFC 5652 §3).
#[derive(Sequence)]
struct ContentInfo<'a> {
    content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    content: AnyRef<'a>,
}

/// `PKIStatusInfo` (RFC 4210 §5.2.3).
#[derive(Sequence)]
#[allow(dead_code, reason = "decoded to validate the structure")]
struct PkiStatusInfo<'a> {
    status: u8,
    status_string: Option<Vec<Utf8StringRef<'a>>>,
    fail_info: Option<BitStringRef<'a>>,
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
        #[cfg(feature = "sha512")]
        SHA384 => Some(SigHash::Sha384),
        #[cfg(feature = "sha512")]
        SHA512 => Some(SigHash::Sha512),
        _ => None,
    }
}

/// What the TSA-independent checks (1–5) established.
struct Checked<'a> {
    signer: SignerInfo<'a>,
    certificates: Vec<CertificateChoice>,
    /// DER of the signed attributes as a SET OF: the signed message.
    signed_attrs: Vec<u8>,
    digest: SigHash,
    time: VerifiedTimestamp,
}

/// Checks 1 and 2's decoding: the response's SignedData. In a frame of
/// its own and boxed, so that the decoder's frames and the decoded token
/// are not under the checks after it (firmware stack).
#[inline(never)]
fn signed_data(signed_timestamp: &[u8]) -> Result<Box<SignedData<'_>>, TimestampError> {
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
    token::signed_data(token.content)
        .map(Box::new)
        .map_err(|_| E::Token)
}

/// Checks 2–5 over the decoded SignedData (boxed: the caller's frame
/// holds the result through every TSA's signature check).
#[inline(never)]
// The box is taken by value to move its parts out without putting the
// whole SignedData on the stack.
#[allow(clippy::boxed_local)]
fn check_token<'a>(
    sd: Box<SignedData<'a>>,
    signature: &[u8],
) -> Result<Box<Checked<'a>>, TimestampError> {
    use TimestampError as E;
    if !matches!(sd.version, 1 | 3) {
        return Err(E::Token);
    }
    let mut signers = sd.signer_infos;
    let signer = match (signers.pop(), signers.is_empty()) {
        (Some(one), true) => one,
        _ => return Err(E::SignerCount),
    };
    if sd.econtent_type != ID_CT_TST_INFO {
        return Err(E::ContentType);
    }
    let econtent = sd
        .econtent
        .filter(|c| c.tag() == Tag::OctetString)
        .ok_or(E::ContentType)?
        .value();
    // 3.
    let info = token::tst_info(econtent).map_err(|_| E::TstInfo)?;
    if info.version != 1 {
        return Err(E::TstInfo);
    }
    if info.gen_time.tag() != Tag::GeneralizedTime {
        return Err(E::GenTime);
    }
    let (gen_time, fraction) =
        crate::time::parse_generalized_time(info.gen_time.value()).ok_or(E::GenTime)?;
    // 4.
    let hash = hash_of(&info.hash_algorithm).ok_or(E::UnsupportedHash)?;
    if Digest::of(hash, signature).as_slice() != info.hashed_message {
        return Err(E::ImprintMismatch);
    }
    // 5.
    let version_ok = match signer.sid {
        Sid::IssuerAndSerial(..) => signer.version == 1,
        Sid::KeyId(_) => signer.version == 3,
    };
    if !version_ok {
        return Err(E::SignerInfo);
    }
    let digest = hash_of(&signer.digest_alg).ok_or(E::UnsupportedHash)?;
    // SignedData.digestAlgorithms is not signed: hold it to the signer's
    // one, so that no byte of the token can change without failing.
    if sd.digest_algorithms.len() != 1
        || !sd.digest_algorithms.iter().all(|a| *a == signer.digest_alg)
    {
        return Err(E::SignerInfo);
    }
    let attrs = signer.signed_attrs.as_ref().ok_or(E::SignedAttributes)?;
    check_signed_attributes(attrs, Digest::of(digest, econtent).as_slice())?;
    let signed_attrs = signer.signed_attrs_der().ok_or(E::SignedAttributes)?;
    Ok(Box::new(Checked {
        certificates: sd.certificates.unwrap_or_default(),
        signer,
        signed_attrs,
        digest,
        time: VerifiedTimestamp {
            gen_time,
            fraction,
            tsa: 0,
            tst_info_sha256: Sha256::digest(econtent).into(),
        },
    }))
}

/// Check 5's attributes: bounded, each type once, one contentType of
/// id-ct-TSTInfo and one messageDigest equal to `digest`.
#[inline(never)]
fn check_signed_attributes(
    attrs: &[token::Attribute<'_>],
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
    let single = |oid: ObjectIdentifier| -> Result<&[u8], TimestampError> {
        match attrs
            .iter()
            .find(|a| a.oid == oid)
            .map(|a| a.values.as_slice())
        {
            Some([one]) => Ok(one),
            _ => Err(E::SignedAttributes),
        }
    };
    let content_type =
        ObjectIdentifier::from_der(single(ID_CONTENT_TYPE)?).map_err(|_| E::SignedAttributes)?;
    if content_type != ID_CT_TST_INFO {
        return Err(E::ContentTypeAttribute);
    }
    let message_digest =
        <&OctetStringRef>::from_der(single(ID_MESSAGE_DIGEST)?).map_err(|_| E::SignedAttributes)?;
    if message_digest.as_bytes() != digest {
        return Err(E::MessageDigestMismatch);
    }
    Ok(())
}

/// Whether the signer identifier names `leaf`.
fn names(sid: &Sid<'_>, leaf: &Certificate) -> bool {
    let tbs = leaf.tbs_certificate();
    match sid {
        Sid::IssuerAndSerial(issuer, serial) => {
            issuer == tbs.issuer() && serial == tbs.serial_number()
        }
        Sid::KeyId(ski) => get_extension::<SubjectKeyIdentifier>(leaf)
            .ok()
            .flatten()
            .is_some_and(|(_, own)| own.0.as_bytes() == *ski),
    }
}

/// Check 6's embedded certificates.
#[inline(never)]
fn check_embedded(certs: &[CertificateChoice], leaf: &Certificate) -> Result<(), TimestampError> {
    if certs.is_empty() {
        return Ok(());
    }
    if certs.len() > MAX_TSA_EMBEDDED_CERTS {
        return Err(TimestampError::EmbeddedCertificates);
    }
    let mut found = false;
    for c in certs {
        let CertificateChoice::Certificate(c) = c else {
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
    get_extension::<BasicConstraints>(cert)
        .ok()
        .flatten()
        .is_some_and(|(_, bc)| bc.ca)
}

/// Check 7: the CMS signature over `message` with the leaf's key.
#[inline(never)]
fn verify_signature(
    signer: &SignerInfo<'_>,
    leaf: &Certificate,
    message: &[u8],
    digest: SigHash,
) -> Result<(), TimestampError> {
    use TimestampError as E;
    let alg = &signer.signature_algorithm;
    let named = match alg.oid {
        ECDSA_SHA256 | RSA_SHA256 => Some(Some(SigHash::Sha256)),
        #[cfg(feature = "sha512")]
        ECDSA_SHA384 | RSA_SHA384 => Some(Some(SigHash::Sha384)),
        #[cfg(feature = "sha512")]
        ECDSA_SHA512 | RSA_SHA512 => Some(Some(SigHash::Sha512)),
        // A hash this build leaves out.
        #[cfg(not(feature = "sha512"))]
        ECDSA_SHA384 | RSA_SHA384 | ECDSA_SHA512 | RSA_SHA512 => Some(None),
        _ => None,
    };
    if named.is_some_and(|h| h != Some(digest)) {
        return Err(E::UnsupportedSignatureAlgorithm);
    }
    let spki = leaf.tbs_certificate().subject_public_key_info();
    let sig = signer.signature;
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
        #[cfg(feature = "rsa")]
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
                #[cfg(feature = "sha512")]
                SigHash::Sha384 => {
                    rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key).verify(message, &sig)
                }
                #[cfg(feature = "sha512")]
                SigHash::Sha512 => {
                    rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key).verify(message, &sig)
                }
            }
            .map_err(|_| E::BadSignature)
        }
        // Any other algorithm, or one this build leaves out.
        _ => {
            let _ = (spki, sig);
            Err(E::UnsupportedSignatureAlgorithm)
        }
    }
}

/// The extendedKeyUsage extension: (critical, purposes); `None` if absent
/// or malformed.
fn eku(cert: &Certificate) -> Option<(bool, ExtendedKeyUsage)> {
    get_extension::<ExtendedKeyUsage>(cert).ok().flatten()
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
    if eku_allows(cert, KP_TIME_STAMPING) {
        Ok(())
    } else {
        Err(TimestampError::IntermediateEku)
    }
}

/// Checks 6–10 against one TSA; `Ok(None)` when the TSA's leaf is not the
/// signer (or is unreadable), so another TSA may be.
#[inline(never)]
fn check_tsa(
    checked: &Checked<'_>,
    tsa: &CertificateAuthority,
    memo: &SignatureMemo,
) -> Result<Option<()>, TimestampError> {
    use TimestampError as E;
    // 6.
    let Some(leaf) = tsa.chain.first().and_then(|d| Cert::from_der(d)) else {
        return Ok(None);
    };
    if !names(&checked.signer.sid, leaf.parsed()) {
        return Ok(None);
    }
    check_embedded(&checked.certificates, leaf.parsed())?;
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
    validate_path(&chain, &store, UnixTime::from_secs(time.gen_time), memo).map_err(E::Chain)?;
    if time.fraction {
        validate_path(&chain, &store, UnixTime::from_secs(time.upper()), memo).map_err(E::Chain)?;
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
#[inline(never)]
pub(crate) fn verify_timestamp(
    signed_timestamp: &[u8],
    signature: &[u8],
    tsas: &[CertificateAuthority],
    memo: &SignatureMemo,
) -> Result<VerifiedTimestamp, TimestampError> {
    // Decoded first, in its own frame, so that the decoder's frames are
    // not under check_token's.
    let sd = signed_data(signed_timestamp)?;
    let checked = check_token(sd, signature)?;
    let mut first_err = None;
    for (i, tsa) in tsas.iter().enumerate() {
        match check_tsa(&checked, tsa, memo) {
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
pub(crate) fn verify_all(
    tvd: Option<Object<'_>>,
    signature: &[u8],
    tsas: &[CertificateAuthority],
    memo: &SignatureMemo,
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
        let v = verify_timestamp(t, signature, tsas, memo).map_err(|e| (i, e))?;
        if out.iter().any(|o| o.same_as(&v)) {
            return Err((i, E::Duplicate));
        }
        out.push(v);
    }
    Ok(out)
}

mod token;

/// Entry points for the `asn1` fuzz target (`crate::__fuzz::asn1`): the
/// in-place readers' verdicts, to compare with the decoders they replace.
/// They go through [`signed_data`], the token reader's one entry point, so
/// that they change nothing in how the firmware's copy is compiled (a
/// second caller of the reader made LTO keep it out of line: 2.8 KB).
pub(crate) mod fuzz {
    use alloc::vec::Vec;
    use der::asn1::AnyRef;
    use der::{Decode, Encode, Tag, Tagged};

    /// One element: `tag`, then `parts` as its value.
    fn tlv(tag: Tag, parts: &[&[u8]]) -> Option<Vec<u8>> {
        let value = parts.concat();
        let mut out = Vec::new();
        der::Header::new(tag, der::Length::try_from(value.len()).ok()?)
            .encode_to_vec(&mut out)
            .ok()?;
        out.extend_from_slice(&value);
        Some(out)
    }

    /// `[n]`, constructed.
    fn context(n: u32) -> Tag {
        Tag::ContextSpecific {
            constructed: true,
            number: der::TagNumber(n),
        }
    }

    /// Whether `der` is one whole `SignedData` to the token reader: read as
    /// the content of a granted `TimeStampResp`.
    pub fn signed_data_ok(der: &[u8]) -> bool {
        const SIGNED_DATA: &[u8] = &[6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 2];
        let resp = tlv(context(0), &[der])
            .and_then(|content| tlv(Tag::Sequence, &[SIGNED_DATA, &content]))
            .and_then(|info| tlv(Tag::Sequence, &[&[0x30, 3, 2, 1, 0], &info]));
        resp.is_some_and(|resp| super::signed_data(&resp).is_ok())
    }

    /// Whether `der` is one whole `CertificateList` to the token reader:
    /// read as the one CRL of an otherwise empty `SignedData`.
    pub fn crl_ok(der: &[u8]) -> bool {
        const TST_INFO: &[u8] = &[6, 11, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9, 16, 1, 4];
        let one_sequence = AnyRef::from_der(der).is_ok_and(|a| a.tag() == Tag::Sequence);
        let sd = tlv(Tag::Sequence, &[TST_INFO]).and_then(|encap| {
            let crls = tlv(context(1), &[der])?;
            tlv(
                Tag::Sequence,
                &[&[2, 1, 1, 0x31, 0], &encap, &crls, &[0x31, 0]],
            )
        });
        one_sequence && sd.is_some_and(|sd| signed_data_ok(&sd))
    }

    /// Verifies a `TimeStampResp` over `signature` against `tsas`.
    pub fn verify_timestamp(
        token: &[u8],
        signature: &[u8],
        tsas: &[crate::sigstore::trust_root::CertificateAuthority],
    ) -> bool {
        let memo = crate::x509::SignatureMemo::for_chains(tsas.iter().map(|t| t.chain.as_slice()));
        super::verify_timestamp(token, signature, tsas, &memo).is_ok()
    }
}

// The tests verify tokens of ECDSA and RSA TSAs, SHA-384 imprints.
#[cfg(all(test, feature = "p384", feature = "p521", feature = "rsa"))]
mod tests;
