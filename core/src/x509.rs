//! Step 5 (certificate method): the bundle's `x509CertificateChain` must
//! chain to a pinned root, at a verification time the caller passes in.
//!
//! Checks, in order (RFC 5280 §6.1 on a path built as §3.2 and RFC 4158
//! describe):
//! 1. the chain holds 1 to [`MAX_CHAIN_CERTS`] DER certificates, the leaf
//!    first; the others, in any order, with the intermediates the caller
//!    supplied, form a pool to build the path from (signers write the
//!    chain in the order of their command line: root first, and unrelated
//!    intermediates, happen; the reference's verifier accepts any order);
//! 2. the leaf is not self-signed (a root is not a signing certificate);
//! 3. a pool certificate that is a trust anchor's copy is that anchor;
//! 4. the path is built depth first from the leaf: each certificate's
//!    issuer is an anchor (tried first) or a pool certificate not yet on the
//!    path, matched by name and then by signature, at most
//!    [`MAX_CHAIN_CERTS`] certificates below the anchor and at most
//!    [`MAX_PATH_SEARCH_SIGNATURES`] signature checks in all; every path
//!    that reaches an anchor gets checks 5–8 and the first to pass them is
//!    the path. When none passes, the failure reported is a complete path's
//!    (the first found), else the deepest dead end's: the certificate whose
//!    issuer is unknown, or whose named issuer's signature fails;
//! 5. every certificate of the path, anchor included, is valid at the
//!    verification time (both bounds inclusive);
//! 6. a certificate with extensions is X.509 v3 (RFC 5280 §4.1.2.9) and
//!    has no extension twice (§4.2) (a negative serial number is accepted,
//!    as §4.1.2.2 asks; the sigstore method refuses one on a Fulcio leaf);
//!    no certificate has a critical extension this verifier does not
//!    process (it processes basicConstraints, keyUsage, extKeyUsage and
//!    accepts subjectAltName, subject and authority key identifiers).
//!    Every issuer needs basicConstraints (check 8) and a Fulcio leaf its
//!    SAN and SCT extensions, so every certificate of a Sigstore path is
//!    v3;
//! 7. each certificate's signature verifies with its issuer's key (checked
//!    while building, 4), under an algorithm matching the TBS signature
//!    field: ECDSA on P-256, P-384 or P-521 with SHA-256/384/512, or RSA
//!    (2048–4096 bits) with PKCS#1 v1.5 or PSS (MGF1 with the same hash)
//!    and SHA-256/384/512;
//! 8. every issuer is a CA (basicConstraints cA), may sign certificates
//!    (keyCertSign when keyUsage is present), and its pathLenConstraint
//!    covers the non-self-issued intermediates below it;
//! 9. the leaf may sign: keyUsage digitalSignature, or extKeyUsage
//!    codeSigning (what the reference accepts). A leaf that is also a CA is
//!    accepted, as the reference (OpenSSL) and RFC 5280 allow: the OMS
//!    conformance suite signs with one;
//! 10. the leaf's key is EC P-256, P-384 or P-521: it verifies the DSSE
//!     envelope (with SHA-256 for the pre-1.0 compat encoding, as the
//!     reference does for this method).
//!
//! An algorithm this build leaves out (features `p256`, `p384`, `p521`,
//! `rsa`, `sha512`) is an unsupported signature algorithm (check 7) or an
//! unsupported leaf key (check 10), never a pass.
//!
//! Time: the core has no clock. The verification time comes from the
//! caller (`crate::Time`; the CLI uses the system clock, or `--at`);
//! without one (`Time::NoClock`) no certificate can be checked and the
//! method fails ([`CertificateError::NoVerificationTime`]). Unlike the
//! reference, which validates at the leaf's own notBefore and so never
//! rejects an expired certificate, the whole path must be valid at that
//! time (OMS §8.2).
//!
//! Why hand-written path validation: rustls-webpki (the well-kept no_std
//! validator) rejects a CA certificate used as the end entity
//! (`CaUsedAsEndEntity`, a web-PKI rule with no option to relax it), and
//! ignores keyUsage entirely. OMS signing certificates need neither web-PKI
//! rule: the reference accepts a CA:TRUE leaf and the OMS conformance suite
//! requires it, and keyCertSign is required here. Path building is a small
//! bounded search over at most [`MAX_CHAIN_CERTS`] bundle certificates and
//! the caller's intermediates. Parsing is x509-cert's, signatures are
//! RustCrypto's.
//!
//! This module needs `alloc` (x509-cert's owned types, RSA big integers);
//! its peak heap for a three-certificate chain is measured by
//! `tests/tests/heap.rs`.

use alloc::vec::Vec;
use core::fmt;
use core::sync::atomic::{AtomicBool, Ordering};

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader};
use sha2::{Digest as _, Sha256};
#[cfg(feature = "sha512")]
use sha2::{Sha384, Sha512};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};

use crate::check::Check;
use crate::keys::{KeyError, PublicKey};
use crate::limits::{MAX_CERT_BYTES, MAX_CHAIN_CERTS, MAX_PATH_SEARCH_SIGNATURES, MAX_TRUST_CERTS};
use crate::time::{UnixTime, x509_secs};

mod leaf;
pub(crate) mod san;
pub use leaf::{LeafIdentity, LeafPolicy};
pub(crate) use san::{GeneralName, subject_alt_names};

/// The extension `oid` of `cert`: `Ok(None)` when absent, `Err` when it
/// appears more than once (RFC 5280 §4.2). Not generic, so that each
/// extension type's lookup does not carry a copy of it (firmware flash).
pub(crate) fn only_extension(
    cert: &Certificate,
    oid: ObjectIdentifier,
) -> Result<Option<&x509_cert::ext::Extension>, ()> {
    let exts = cert
        .tbs_certificate()
        .extensions()
        .map_or(&[][..], |e| e.as_slice());
    let mut found = exts.iter().filter(|e| e.extn_id == oid);
    let first = found.next();
    if found.next().is_some() {
        return Err(());
    }
    Ok(first)
}

/// Extension `T` of `cert` with its critical flag, as x509-cert's
/// `get_extension` reads it: `Ok(None)` when absent, `Err` when repeated
/// or when its value is not exactly one DER `T`.
pub(crate) fn get_extension<'a, T: Decode<'a> + der::oid::AssociatedOid>(
    cert: &'a Certificate,
) -> Result<Option<(bool, T)>, ()> {
    let Some(ext) = only_extension(cert, T::OID)? else {
        return Ok(None);
    };
    let value = T::from_der(ext.extn_value.as_bytes()).map_err(|_| ())?;
    Ok(Some((ext.critical, value)))
}

/// Whether `cert` may be used for `purpose` as far as its extKeyUsage
/// says: it has none, or one that lists `purpose` or anyExtendedKeyUsage
/// (the EKU chaining of Go's x509 and timestamp-authority, for the CAs
/// above a leaf). A present but malformed or repeated one allows nothing.
#[cfg(feature = "sigstore")]
pub(crate) fn eku_allows(cert: &Certificate, purpose: ObjectIdentifier) -> bool {
    const ANY_EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
    match get_extension::<ExtendedKeyUsage>(cert) {
        Ok(None) => true,
        Ok(Some((_, purposes))) => purposes
            .0
            .iter()
            .any(|p| *p == purpose || *p == ANY_EXTENDED_KEY_USAGE),
        Err(()) => false,
    }
}

/// Which certificate a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CertPosition {
    /// `x509CertificateChain.certificates[i]` of the bundle (0 is the leaf).
    Bundle(u8),
    /// An intermediate from the caller's trust material, `i` in load order.
    Supplied(u8),
    /// The trust anchor that ends the path.
    Anchor,
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

/// Step 5: what is wrong with the certificate chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
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
    /// An extension appears more than once (RFC 5280 §4.2: "A certificate
    /// MUST NOT include more than one instance of a particular extension").
    DuplicateExtension {
        /// Which one.
        at: CertPosition,
    },
    /// A Fulcio leaf with a negative serial number (RFC 5280 §4.1.2.2: a
    /// positive integer; path validation accepts one, the sigstore method
    /// does not).
    NegativeSerial {
        /// Which one.
        at: CertPosition,
    },
    /// A signature algorithm outside the supported set (or left out of
    /// this build), or one that does not match the issuer's key or the TBS
    /// signature field.
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
    /// The caller has no clock (`Time::NoClock`): a certificate's validity
    /// period cannot be checked without a verification time.
    NoVerificationTime,
    /// The leaf's subject is not what the caller's `LeafPolicy` expects.
    LeafSubjectMismatch,
    /// No subjectAltName of the leaf (email, URI or DNS name) is what the
    /// caller's `LeafPolicy` expects, or its subjectAltName is malformed.
    LeafSanMismatch,
    /// The leaf's extKeyUsage lacks a purpose the caller's `LeafPolicy`
    /// requires.
    LeafEkuMissing,
}

impl CertificateError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        use CertificateError as E;
        match self {
            E::EmptyChain => Check::X509EmptyChain,
            E::ChainTooLong => Check::X509ChainTooLong,
            E::Encoding { .. } => Check::X509Encoding,
            E::LeafSelfSigned => Check::X509LeafSelfSigned,
            E::UnknownIssuer { .. } => Check::X509UnknownIssuer,
            E::NotYetValid { .. } => Check::X509NotYetValid,
            E::Expired { .. } => Check::X509Expired,
            E::UnsupportedCriticalExtension { .. } => Check::X509UnsupportedCriticalExtension,
            E::ExtensionsNeedV3 { .. } => Check::X509ExtensionsNeedV3,
            E::UnsupportedSignatureAlgorithm { .. } => Check::X509UnsupportedSignatureAlgorithm,
            E::RsaKeySize { .. } => Check::X509RsaKeySize,
            E::BadSignature { .. } => Check::X509BadSignature,
            E::NotACa { .. } => Check::X509NotACa,
            E::NoKeyCertSign { .. } => Check::X509NoKeyCertSign,
            E::PathLenExceeded { .. } => Check::X509PathLenExceeded,
            E::LeafCannotSign => Check::X509LeafCannotSign,
            E::TrustMaterial => Check::X509TrustMaterial,
            E::PathSearchLimit => Check::X509PathSearchLimit,
            E::NoVerificationTime => Check::X509NoVerificationTime,
            E::LeafSubjectMismatch => Check::X509LeafSubjectMismatch,
            E::LeafSanMismatch => Check::X509LeafSanMismatch,
            E::LeafEkuMissing => Check::X509LeafEkuMissing,
            E::DuplicateExtension { .. } => Check::X509DuplicateExtension,
            E::NegativeSerial { .. } => Check::X509NegativeSerial,
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
            E::DuplicateExtension { at } => write!(f, "{at} carries an extension twice"),
            E::NegativeSerial { at } => write!(f, "{at} has a negative serial number"),
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
            E::NoVerificationTime => f.write_str(
                "no verification time (no clock): certificate validity cannot be checked",
            ),
            E::LeafSubjectMismatch => {
                f.write_str("the leaf certificate's subject is not the expected one")
            }
            E::LeafSanMismatch => {
                f.write_str("no subjectAltName of the leaf certificate is the expected one")
            }
            E::LeafEkuMissing => f.write_str(
                "the leaf certificate's extKeyUsage lacks a purpose the policy requires",
            ),
        }
    }
}

pub(crate) const ECDSA_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
pub(crate) const ECDSA_SHA384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
pub(crate) const ECDSA_SHA512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
#[cfg(feature = "rsa")]
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
#[cfg(any(feature = "rsa", feature = "sigstore"))]
pub(crate) const RSA_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
#[cfg(any(feature = "rsa", feature = "sigstore"))]
pub(crate) const RSA_SHA384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
#[cfg(any(feature = "rsa", feature = "sigstore"))]
pub(crate) const RSA_SHA512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
#[cfg(feature = "rsa")]
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
#[cfg(feature = "rsa")]
const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
#[cfg(any(feature = "rsa", feature = "sigstore"))]
pub(crate) const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
#[cfg(all(feature = "sha512", any(feature = "rsa", feature = "sigstore")))]
pub(crate) const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
#[cfg(all(feature = "sha512", any(feature = "rsa", feature = "sigstore")))]
pub(crate) const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const EXT_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
pub(crate) const EXT_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
pub(crate) const EXT_SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const EXT_SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
pub(crate) const EXT_AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
pub(crate) const KP_CODE_SIGNING: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");

/// A parsed certificate and its raw TBS bytes (what the issuer signed).
#[derive(Debug, Clone)]
pub struct Cert {
    der: Vec<u8>,
    tbs: (usize, usize),
    parsed: Certificate,
}

impl Cert {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Option<Cert> {
        if der.len() > MAX_CERT_BYTES {
            return None;
        }
        let parsed = Certificate::from_der(der).ok()?;
        // The TBS is the first element of the outer SEQUENCE: slice it out
        // rather than re-encode it.
        let mut outer = SliceReader::new(der).ok()?;
        der::Header::decode(&mut outer).ok()?;
        let start = usize::try_from(outer.position()).ok()?;
        let tbs = outer.tlv_bytes().ok()?;
        let end = start.checked_add(tbs.len())?;
        Some(Cert {
            der: der.to_vec(),
            tbs: (start, end),
            parsed,
        })
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The raw TBSCertificate bytes, as the issuer signed them.
    pub(crate) fn tbs(&self) -> &[u8] {
        self.der.get(self.tbs.0..self.tbs.1).unwrap_or(&[])
    }

    fn self_issued(&self) -> bool {
        let t = self.parsed.tbs_certificate();
        t.subject() == t.issuer()
    }

    pub(crate) fn issued(&self, child: &Cert) -> bool {
        self.parsed.tbs_certificate().subject() == child.parsed.tbs_certificate().issuer()
    }

    /// The parsed certificate, for the Sigstore checks (SCTs, policy) and
    /// the leaf policy.
    pub(crate) fn parsed(&self) -> &Certificate {
        &self.parsed
    }

    /// The subject's SubjectPublicKeyInfo, DER.
    pub(crate) fn spki_der(&self) -> Option<Vec<u8>> {
        self.parsed
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .ok()
    }

    /// The subject's key, if it is one the DSSE step can use.
    pub fn public_key(&self) -> Result<PublicKey, KeyError> {
        let der = self.spki_der().ok_or(KeyError::Spki)?;
        PublicKey::from_spki_der(&der)
    }

    /// notBefore and notAfter, in Unix seconds.
    pub(crate) fn validity(&self) -> (u64, u64) {
        let v = self.parsed.tbs_certificate().validity();
        (x509_secs(&v.not_before), x509_secs(&v.not_after))
    }

    /// Extension `T`, when present once and well formed (malformed or
    /// repeated ones are caught by `extensions_ok`).
    fn extension<'a, T: der::Decode<'a> + der::oid::AssociatedOid>(&'a self) -> Option<T> {
        get_extension::<T>(&self.parsed)
            .ok()
            .flatten()
            .map(|(_, ext)| ext)
    }

    fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.extension()
    }

    fn key_usage(&self) -> Option<KeyUsage> {
        self.extension()
    }

    fn has_code_signing(&self) -> bool {
        self.extension::<ExtendedKeyUsage>()
            .is_some_and(|eku| eku.0.contains(&KP_CODE_SIGNING))
    }

    /// RFC 5280 §4.1.2.9: a certificate carrying extensions (even an empty
    /// list) is version 3. x509-cert decodes them in any version; Go's x509
    /// ignores them in a v1 certificate and sigstore-python rejects it, so
    /// no check may rest on them: the certificate is refused.
    fn v3_if_extended(&self) -> bool {
        let t = self.parsed.tbs_certificate();
        t.extensions().is_none() || t.version() == x509_cert::certificate::Version::V3
    }

    /// RFC 5280 §4.2: no extension appears twice. Go's x509 and
    /// `cryptography` refuse such a certificate when parsing it; x509-cert
    /// decodes it, and a check reading one instance could differ from one
    /// reading the other.
    fn extensions_unique(&self) -> bool {
        let exts = self
            .parsed
            .tbs_certificate()
            .extensions()
            .map_or(&[][..], |e| e.as_slice());
        exts.iter().enumerate().all(|(i, e)| {
            exts.get(..i)
                .is_none_or(|before| before.iter().all(|b| b.extn_id != e.extn_id))
        })
    }

    /// Whether the serial number is negative (the DER INTEGER's sign bit
    /// set). RFC 5280 §4.1.2.2 wants it positive but asks certificate users
    /// to "gracefully handle" negative and zero ones from non-conforming
    /// CAs, so path validation accepts them (the certificate method, like
    /// the reference's OpenSSL store). A Fulcio leaf never has one, and
    /// sigstore-go (Go's x509 since Go 1.23) and sigstore-python refuse it:
    /// the sigstore method refuses it for the leaf.
    #[cfg(feature = "sigstore")]
    pub(crate) fn serial_negative(&self) -> bool {
        self.parsed
            .tbs_certificate()
            .serial_number()
            .as_bytes()
            .first()
            .is_some_and(|b| b & 0x80 != 0)
    }

    /// Whether every critical extension is one this module processes, and
    /// the ones it processes decode (once each).
    fn extensions_ok(&self) -> bool {
        let t = self.parsed.tbs_certificate();
        let known = [
            EXT_BASIC_CONSTRAINTS,
            EXT_KEY_USAGE,
            EXT_EXT_KEY_USAGE,
            EXT_SUBJECT_ALT_NAME,
            EXT_SUBJECT_KEY_ID,
            EXT_AUTHORITY_KEY_ID,
        ];
        let critical_ok = t.extensions().is_none_or(|exts| {
            exts.iter()
                .all(|e| !e.critical || known.contains(&e.extn_id))
        });
        critical_ok
            && get_extension::<BasicConstraints>(&self.parsed).is_ok()
            && get_extension::<KeyUsage>(&self.parsed).is_ok()
            && get_extension::<ExtendedKeyUsage>(&self.parsed).is_ok()
    }

    /// Whether `issuer`'s key made this certificate's signature.
    fn signed_by(&self, issuer: &Cert) -> Result<(), SigFailure> {
        let outer = self.parsed.signature_algorithm();
        if outer != self.parsed.tbs_certificate().signature() {
            return Err(SigFailure::Unsupported);
        }
        let sig = self.parsed.signature().as_bytes().ok_or(SigFailure::Bad)?;
        let spki = issuer.parsed.tbs_certificate().subject_public_key_info();
        let tbs = self.tbs();
        match outer.oid {
            ECDSA_SHA256 | ECDSA_SHA384 | ECDSA_SHA512 => {
                if outer.parameters.is_some() {
                    return Err(SigFailure::Unsupported);
                }
                let key = issuer
                    .spki_der()
                    .and_then(|d| PublicKey::from_spki_der(&d).ok())
                    .ok_or(SigFailure::Unsupported)?;
                let mut digest = [0u8; 64];
                let n = hash_into(outer.oid, tbs, &mut digest).ok_or(SigFailure::Unsupported)?;
                key.verify_prehash(digest.get(..n).unwrap_or(&[]), sig)
                    .map_err(|_| SigFailure::Bad)
            }
            #[cfg(feature = "rsa")]
            RSA_SHA256 | RSA_SHA384 | RSA_SHA512 | RSA_PSS => {
                if spki.algorithm.oid != RSA_ENCRYPTION {
                    return Err(SigFailure::Unsupported);
                }
                let key_bytes = spki
                    .subject_public_key
                    .as_bytes()
                    .ok_or(SigFailure::Unsupported)?;
                rsa_verify(outer, key_bytes, tbs, sig)
            }
            // Any other algorithm, or one this build leaves out.
            _ => {
                let _ = (spki, sig);
                Err(SigFailure::Unsupported)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SigFailure {
    Unsupported,
    #[cfg(feature = "rsa")]
    KeySize,
    Bad,
}

/// Hashes `data` with the hash of an ECDSA signature algorithm, if this
/// build has it; the digest's length.
fn hash_into(alg: ObjectIdentifier, data: &[u8], out: &mut [u8; 64]) -> Option<usize> {
    let copy = |out: &mut [u8; 64], d: &[u8]| {
        for (o, i) in out.iter_mut().zip(d) {
            *o = *i;
        }
        d.len()
    };
    match alg {
        ECDSA_SHA256 => Some(copy(out, &Sha256::digest(data))),
        #[cfg(feature = "sha512")]
        ECDSA_SHA384 => Some(copy(out, &Sha384::digest(data))),
        #[cfg(feature = "sha512")]
        ECDSA_SHA512 => Some(copy(out, &Sha512::digest(data))),
        _ => None,
    }
}

/// RSA PKCS#1 v1.5 or PSS verification of a certificate signature.
#[cfg(feature = "rsa")]
fn rsa_verify(
    alg: &spki::AlgorithmIdentifierOwned,
    key_der: &[u8],
    tbs: &[u8],
    sig: &[u8],
) -> Result<(), SigFailure> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::signature::Verifier;
    use rsa::traits::PublicKeyParts;

    let key = rsa::RsaPublicKey::from_pkcs1_der(key_der).map_err(|_| SigFailure::Unsupported)?;
    let bits = key.n().bits();
    if !(2048..=4096).contains(&bits) {
        return Err(SigFailure::KeySize);
    }
    let bad = |_| SigFailure::Bad;
    match alg.oid {
        RSA_SHA256 | RSA_SHA384 | RSA_SHA512 => {
            // RFC 4055 §5: parameters NULL (or, leniently, absent).
            if let Some(p) = &alg.parameters
                && !p.is_null()
            {
                return Err(SigFailure::Unsupported);
            }
            let sig = rsa::pkcs1v15::Signature::try_from(sig).map_err(bad)?;
            match alg.oid {
                RSA_SHA256 => rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key).verify(tbs, &sig),
                #[cfg(feature = "sha512")]
                RSA_SHA384 => rsa::pkcs1v15::VerifyingKey::<Sha384>::new(key).verify(tbs, &sig),
                #[cfg(feature = "sha512")]
                RSA_SHA512 => rsa::pkcs1v15::VerifyingKey::<Sha512>::new(key).verify(tbs, &sig),
                _ => return Err(SigFailure::Unsupported),
            }
            .map_err(bad)
        }
        _ => {
            let params = alg.parameters.as_ref().ok_or(SigFailure::Unsupported)?;
            let params = params.to_der().map_err(|_| SigFailure::Unsupported)?;
            let params = rsa::pkcs1::RsaPssParams::<der::Any>::from_der(&params)
                .map_err(|_| SigFailure::Unsupported)?;
            let hash = params.hash.oid;
            let mgf_ok = params.mask_gen.oid == MGF1
                && params
                    .mask_gen
                    .parameters
                    .as_ref()
                    .is_some_and(|p| p.oid == hash);
            if !mgf_ok || params.trailer_field != rsa::pkcs1::TrailerField::BC {
                return Err(SigFailure::Unsupported);
            }
            let salt = usize::from(params.salt_len);
            let sig = rsa::pss::Signature::try_from(sig).map_err(bad)?;
            match hash {
                SHA256 => {
                    rsa::pss::VerifyingKey::<Sha256>::new_with_salt_len(key, salt).verify(tbs, &sig)
                }
                #[cfg(feature = "sha512")]
                SHA384 => {
                    rsa::pss::VerifyingKey::<Sha384>::new_with_salt_len(key, salt).verify(tbs, &sig)
                }
                #[cfg(feature = "sha512")]
                SHA512 => {
                    rsa::pss::VerifyingKey::<Sha512>::new_with_salt_len(key, salt).verify(tbs, &sig)
                }
                _ => return Err(SigFailure::Unsupported),
            }
            .map_err(bad)
        }
    }
}

/// The caller's pinned trust: self-issued certificates are anchors, the
/// others intermediates that may complete a path (as OpenSSL treats a
/// store without partial-chain verification, which the reference uses).
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Cert>,
    intermediates: Vec<Cert>,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one DER certificate.
    pub fn add_der(&mut self, der: &[u8]) -> Result<(), CertificateError> {
        if self.anchors.len().saturating_add(self.intermediates.len()) >= MAX_TRUST_CERTS {
            return Err(CertificateError::TrustMaterial);
        }
        let cert = Cert::from_der(der).ok_or(CertificateError::TrustMaterial)?;
        if cert.self_issued() {
            self.anchors.push(cert);
        } else {
            self.intermediates.push(cert);
        }
        Ok(())
    }

    /// Adds every `CERTIFICATE` block of a PEM file (text around the blocks
    /// is ignored, the base64 may be laid out in any lines: see
    /// `encoding.rs`);
    /// returns how many. A file with none is an error.
    pub fn add_pem(&mut self, text: &[u8]) -> Result<usize, CertificateError> {
        let mut rest = text;
        let mut n = 0usize;
        while let Some((body, after)) = crate::encoding::find_block(rest, "CERTIFICATE") {
            let mut buf = alloc::vec![0u8; body.len()];
            let der = crate::encoding::decode_body(body, &mut buf)
                .map_err(|_| CertificateError::TrustMaterial)?;
            self.add_der(der)?;
            n = n.saturating_add(1);
            rest = after;
        }
        if n == 0 {
            return Err(CertificateError::TrustMaterial);
        }
        Ok(n)
    }

    /// How many anchors the store holds.
    pub fn anchor_count(&self) -> usize {
        self.anchors.len()
    }
}

/// Signatures between certificates of the caller's trusted material that
/// have verified once, so that a verifier checking many bundles against
/// the same trusted root checks each of them once (a Sigstore CA's
/// intermediate-by-root link, a TSA's chain: P-384 signatures that are
/// most of a bundle's cost) rather than at every verification.
///
/// The candidates are fixed when the verifier is built, from its trusted
/// material: ordered pairs (subject, issuer) of distinct certificates of
/// one chain where the issuer's subject name is the subject's issuer name
/// (no signature is checked then). A candidate is remembered only after
/// its signature verified, in the ordinary path search; a failure is
/// never remembered, so a bundle sees the same verdict and the same error
/// as without the memo. Pairs are named by the SHA-256 of both DER
/// encodings: what a signature check depends on is in them (the subject's
/// TBS, algorithm and signature; the issuer's key).
///
/// Shared between threads: each flag is an `AtomicBool` (plain loads and
/// stores, which Cortex-M0 has too); two threads racing on one pair both
/// verify it, and both store `true`.
#[derive(Debug, Default)]
pub(crate) struct SignatureMemo {
    links: Vec<MemoLink>,
}

#[derive(Debug)]
struct MemoLink {
    subject: [u8; 32],
    issuer: [u8; 32],
    verified: AtomicBool,
}

impl Clone for SignatureMemo {
    fn clone(&self) -> Self {
        Self {
            links: self
                .links
                .iter()
                .map(|l| MemoLink {
                    subject: l.subject,
                    issuer: l.issuer,
                    verified: AtomicBool::new(l.verified.load(Ordering::Relaxed)),
                })
                .collect(),
        }
    }
}

impl SignatureMemo {
    /// The candidate links of each chain (DER certificates; unreadable
    /// ones are left out: the verification that meets them refuses them
    /// as before). At most [`MAX_TRUST_CERTS`] certificates are read, in
    /// chains of at most [`MAX_CHAIN_CERTS`] + 1 (longer chains get no
    /// memo), so at most a few hundred candidates. Only the names are
    /// read ([`issuer_and_subject`]), not the whole certificate: no heap
    /// but the list, and a shallow stack.
    #[cfg(feature = "sigstore")]
    pub(crate) fn for_chains<'a, C, D>(chains: C) -> Self
    where
        C: IntoIterator<Item = &'a [D]>,
        D: AsRef<[u8]> + 'a,
    {
        let mut links = Vec::new();
        let mut read = 0usize;
        for chain in chains {
            if chain.len() > MAX_CHAIN_CERTS.saturating_add(1) {
                continue;
            }
            read = read.saturating_add(chain.len());
            if read > MAX_TRUST_CERTS {
                break;
            }
            let named = |d: &'a D| {
                let (issuer, subject) = issuer_and_subject(d.as_ref())?;
                Some((
                    <[u8; 32]>::from(Sha256::digest(d.as_ref())),
                    issuer,
                    subject,
                ))
            };
            for (sid, subject_issuer, _) in chain.iter().filter_map(named) {
                for (iid, _, issuer_subject) in chain.iter().filter_map(named) {
                    // As `Cert::issued`, on the DER encodings of the names
                    // (one encoding per name in DER; a pair missed or added
                    // here is only checked at every verification).
                    if sid != iid && issuer_subject == subject_issuer {
                        links.push(MemoLink {
                            subject: sid,
                            issuer: iid,
                            verified: AtomicBool::new(false),
                        });
                    }
                }
            }
        }
        Self { links }
    }

    /// How many candidates there are, and how many have verified.
    #[cfg(test)]
    pub(crate) fn counts(&self) -> (usize, usize) {
        let verified = self
            .links
            .iter()
            .filter(|l| l.verified.load(Ordering::Relaxed))
            .count();
        (self.links.len(), verified)
    }

    /// The candidate for `subject` signed by `issuer`, if any. Not
    /// inlined: its hash states are off the stack before the signature
    /// check that may follow (firmware stack budget).
    #[inline(never)]
    fn find(&self, subject: &Cert, issuer: &Cert) -> Option<&AtomicBool> {
        if self.links.is_empty() {
            return None;
        }
        let s: [u8; 32] = Sha256::digest(subject.der()).into();
        let i: [u8; 32] = Sha256::digest(issuer.der()).into();
        self.links
            .iter()
            .find(|l| l.subject == s && l.issuer == i)
            .map(|l| &l.verified)
    }

    /// Whether `issuer` signed `subject`: remembered, or checked (and
    /// remembered when it verified and is a candidate). Not inlined into
    /// the recursive path search, whose every level would then hold the
    /// signature check's buffers (firmware stack budget).
    #[inline(never)]
    fn signed_by(&self, subject: &Cert, issuer: &Cert) -> Result<(), SigFailure> {
        let flag = self.find(subject, issuer);
        if flag.is_some_and(|f| f.load(Ordering::Relaxed)) {
            return Ok(());
        }
        subject.signed_by(issuer)?;
        if let Some(f) = flag {
            f.store(true, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// The issuer and subject `Name`s of a DER certificate, as encoded,
/// without decoding the rest (RFC 5280 §4.1: TBSCertificate's version,
/// serialNumber, signature, issuer, validity, subject).
#[cfg(feature = "sigstore")]
fn issuer_and_subject(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut certificate = SliceReader::new(der).ok()?;
    der::Header::decode(&mut certificate).ok()?;
    let mut tbs = SliceReader::new(certificate.tlv_bytes().ok()?).ok()?;
    der::Header::decode(&mut tbs).ok()?;
    let version = der::Tag::ContextSpecific {
        constructed: true,
        number: der::TagNumber(0),
    };
    if der::Tag::peek(&tbs).ok()? == version {
        tbs.tlv_bytes().ok()?;
    }
    tbs.tlv_bytes().ok()?;
    tbs.tlv_bytes().ok()?;
    let issuer = tbs.tlv_bytes().ok()?;
    tbs.tlv_bytes().ok()?;
    let subject = tbs.tlv_bytes().ok()?;
    Some((issuer, subject))
}

/// No memo: every signature is checked (the certificate method, whose
/// trust store is the caller's per verification).
static NO_MEMO: SignatureMemo = SignatureMemo { links: Vec::new() };

/// One element of a path: where the certificate came from.
#[derive(Debug, Clone, Copy)]
enum Link<'c> {
    Bundle(u8, &'c Cert),
    Supplied(u8, &'c Cert),
    Anchor(&'c Cert),
}

impl<'c> Link<'c> {
    fn cert(&self) -> &'c Cert {
        match self {
            Link::Bundle(_, c) | Link::Supplied(_, c) | Link::Anchor(c) => c,
        }
    }

    fn position(&self) -> CertPosition {
        match self {
            Link::Bundle(i, _) => CertPosition::Bundle(*i),
            Link::Supplied(i, _) => CertPosition::Supplied(*i),
            Link::Anchor(_) => CertPosition::Anchor,
        }
    }
}

pub(crate) fn position_u8(i: usize) -> u8 {
    u8::try_from(i).unwrap_or(u8::MAX)
}

/// Checks 1–9 over an already decoded chain; returns the leaf's key
/// (check 10) and how many certificates the validated path holds (leaf
/// and anchor included).
pub fn validate_chain(
    chain: &[Cert],
    store: &TrustStore,
    time: UnixTime,
) -> Result<(PublicKey, usize), ChainError> {
    let (leaf, len) = validate_signing_leaf(chain, store, time, &NO_MEMO)?;
    // 10.
    let key = leaf.public_key().map_err(ChainError::LeafKey)?;
    Ok((key, len))
}

/// Why a chain did not validate: the path (checks 1–9), or the leaf's key
/// (check 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ChainError {
    /// Checks 1–9.
    Path(CertificateError),
    /// Check 10: the leaf's key is not one the DSSE step can use.
    LeafKey(KeyError),
}

impl From<CertificateError> for ChainError {
    fn from(e: CertificateError) -> Self {
        ChainError::Path(e)
    }
}

/// Checks 1–9 (not the leaf key's algorithm): shared with the sigstore
/// method, whose leaf keys are those of the Sigstore algorithm registry.
pub(crate) fn validate_signing_leaf<'c>(
    chain: &'c [Cert],
    store: &TrustStore,
    time: UnixTime,
    memo: &SignatureMemo,
) -> Result<(&'c Cert, usize), CertificateError> {
    let len = validate_path(chain, store, time, memo)?;
    let leaf = chain.first().ok_or(CertificateError::EmptyChain)?;
    // 9.
    let can_sign =
        leaf.key_usage().is_some_and(|ku| ku.digital_signature()) || leaf.has_code_signing();
    if !can_sign {
        return Err(CertificateError::LeafCannotSign);
    }
    Ok((leaf, len))
}

/// Checks 1–8 (the path itself, not what its leaf may do): shared with the
/// timestamp step, whose leaf is a TSA's rather than a signer's. Returns
/// how many certificates the path holds, leaf and anchor included.
/// Signatures between trusted certificates already verified through
/// `memo` are not checked again.
pub(crate) fn validate_path(
    chain: &[Cert],
    store: &TrustStore,
    time: UnixTime,
    memo: &SignatureMemo,
) -> Result<usize, CertificateError> {
    use CertificateError as E;
    let err = |e: CertificateError| e;
    // 1.
    let leaf = chain.first().ok_or(err(E::EmptyChain))?;
    if chain.len() > MAX_CHAIN_CERTS {
        return Err(err(E::ChainTooLong));
    }
    // 2.
    if leaf.self_issued() && leaf.signed_by(leaf).is_ok() {
        return Err(err(E::LeafSelfSigned));
    }
    // 3. The pool: the bundle's other certificates, in any order, and the
    // caller's intermediates; a copy of an anchor is that anchor.
    let is_anchor = |c: &Cert| store.anchors.iter().any(|a| a.der == c.der);
    let pool: Vec<Link<'_>> = chain
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, c)| Link::Bundle(position_u8(i), c))
        .chain(
            store
                .intermediates
                .iter()
                .enumerate()
                .map(|(i, c)| Link::Supplied(position_u8(i), c)),
        )
        .filter(|l| !is_anchor(l.cert()))
        .collect();
    let mut search = Search {
        anchors: &store.anchors,
        memo,
        pool,
        time,
        budget: MAX_PATH_SEARCH_SIGNATURES,
        best: None,
        found_len: 0,
    };
    let mut path = Vec::with_capacity(MAX_CHAIN_CERTS.saturating_add(1));
    path.push(Link::Bundle(0, leaf));
    match search.extend(&mut path) {
        Found::Valid => Ok(search.found_len),
        Found::Exhausted => Err(err(E::PathSearchLimit)),
        Found::Nothing => Err(err(search.best.map_or(
            E::UnknownIssuer {
                at: CertPosition::Bundle(0),
            },
            |b| b.error,
        ))),
    }
}

/// The outcome of (part of) a path search.
enum Found {
    /// A path to an anchor that passed checks 5–8.
    Valid,
    /// No such path below this point.
    Nothing,
    /// [`MAX_PATH_SEARCH_SIGNATURES`] spent: the search stops.
    Exhausted,
}

/// The most useful failure seen so far: a complete path's outranks a dead
/// end's, a deeper dead end a shallower one, the first one a later one.
#[derive(Debug, Clone, Copy)]
struct Failure {
    complete: bool,
    depth: usize,
    error: CertificateError,
}

/// Check 4: a depth-first search for a path from the leaf to an anchor
/// through the pool, each link's issuer matched by name and then by
/// signature; every complete path gets checks 5–8, and the first that
/// passes them is the result.
struct Search<'c> {
    anchors: &'c [Cert],
    memo: &'c SignatureMemo,
    pool: Vec<Link<'c>>,
    time: UnixTime,
    /// Signature verifications left.
    budget: usize,
    best: Option<Failure>,
    /// The length of the path found, once [`Found::Valid`].
    found_len: usize,
}

impl<'c> Search<'c> {
    fn record(&mut self, f: Failure) {
        let better = self
            .best
            .is_none_or(|b| (f.complete, f.depth) > (b.complete, b.depth));
        if better {
            self.best = Some(f);
        }
    }

    /// Whether `issuer` signed `child`, spending one verification.
    fn verify(&mut self, child: &Cert, issuer: &Cert) -> Option<Result<(), SigFailure>> {
        self.budget = self.budget.checked_sub(1)?;
        Some(self.memo.signed_by(child, issuer))
    }

    fn extend(&mut self, path: &mut Vec<Link<'c>>) -> Found {
        use CertificateError as E;
        let Some(top) = path.last().copied() else {
            return Found::Nothing;
        };
        let depth = path.len();
        if depth > MAX_CHAIN_CERTS {
            self.record(Failure {
                complete: false,
                depth,
                error: E::ChainTooLong,
            });
            return Found::Nothing;
        }
        let mut signature_failure = None;
        let anchors = self.anchors;
        for anchor in anchors.iter().filter(|a| a.issued(top.cert())) {
            match self.verify(top.cert(), anchor) {
                None => return Found::Exhausted,
                Some(Err(f)) => {
                    signature_failure.get_or_insert(f);
                }
                Some(Ok(())) => {
                    path.push(Link::Anchor(anchor));
                    let checked = check_path(path, self.time);
                    let len = path.len();
                    path.pop();
                    match checked {
                        Ok(()) => {
                            self.found_len = len;
                            return Found::Valid;
                        }
                        Err(error) => self.record(Failure {
                            complete: true,
                            depth,
                            error,
                        }),
                    }
                }
            }
        }
        for i in 0..self.pool.len() {
            let Some(&next) = self.pool.get(i) else {
                break;
            };
            let fresh = !path.iter().any(|l| l.cert().der == next.cert().der);
            if !fresh || !next.cert().issued(top.cert()) {
                continue;
            }
            match self.verify(top.cert(), next.cert()) {
                None => return Found::Exhausted,
                Some(Err(f)) => {
                    signature_failure.get_or_insert(f);
                }
                Some(Ok(())) => {
                    path.push(next);
                    let found = self.extend(path);
                    path.pop();
                    if !matches!(found, Found::Nothing) {
                        return found;
                    }
                }
            }
        }
        let at = top.position();
        self.record(Failure {
            complete: false,
            depth,
            error: match signature_failure {
                None => E::UnknownIssuer { at },
                Some(SigFailure::Unsupported) => E::UnsupportedSignatureAlgorithm { at },
                #[cfg(feature = "rsa")]
                Some(SigFailure::KeySize) => E::RsaKeySize { at },
                Some(SigFailure::Bad) => E::BadSignature { at },
            },
        });
        Found::Nothing
    }
}

/// Checks 5–8 on a complete path (leaf first, anchor last), whose
/// signatures the search verified.
fn check_path(path: &[Link<'_>], time: UnixTime) -> Result<(), CertificateError> {
    use CertificateError as E;
    for (i, link) in path.iter().enumerate() {
        let cert = link.cert();
        let at = link.position();
        let (not_before, not_after) = cert.validity();
        if time.secs() < not_before {
            return Err(E::NotYetValid { at });
        }
        if time.secs() > not_after {
            return Err(E::Expired { at });
        }
        if !cert.v3_if_extended() {
            return Err(E::ExtensionsNeedV3 { at });
        }
        if !cert.extensions_unique() {
            return Err(E::DuplicateExtension { at });
        }
        if !cert.extensions_ok() {
            return Err(E::UnsupportedCriticalExtension { at });
        }
        if i > 0 {
            let bc = cert.basic_constraints();
            if !bc.as_ref().is_some_and(|b| b.ca) {
                return Err(E::NotACa { at });
            }
            if cert.key_usage().is_some_and(|ku| !ku.key_cert_sign()) {
                return Err(E::NoKeyCertSign { at });
            }
            if let Some(max) = bc.and_then(|b| b.path_len_constraint) {
                let below = path
                    .get(1..i)
                    .map_or(0, |s| s.iter().filter(|l| !l.cert().self_issued()).count());
                if below > usize::from(max) {
                    return Err(E::PathLenExceeded { at });
                }
            }
        }
    }
    Ok(())
}
