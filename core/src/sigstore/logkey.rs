//! Keys of the services in a Sigstore trusted root: Rekor logs (SET and
//! checkpoint signatures), CT logs (SCT signatures) and, through their
//! certificates, TSAs.
//!
//! Checks, in order (`sigstore_common.proto`, `PublicKeyDetails`):
//! 1. the key's declared `keyDetails` is one this verifier implements:
//!    ECDSA P-256/SHA-256, P-384/SHA-384, P-521/SHA-512 (RFC 5480), Ed25519
//!    (RFC 8032, pure) or RSA PKCS#1 v1.5 with SHA-256 (RFC 8017);
//! 2. the key bytes are a SubjectPublicKeyInfo of that algorithm (the
//!    deprecated `PKCS1_RSA_PKCS1V5` carries a bare PKCS#1 `RSAPublicKey`);
//! 3. a signature is a DER ECDSA signature, a 64-byte Ed25519 signature or
//!    an RSA signature, over the message with the key's hash.

use alloc::vec::Vec;
use core::fmt;

use der::Decode;
#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
use ecdsa::signature::Verifier as _;
use spki::SubjectPublicKeyInfoRef;

#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
use crate::keys::EcKey;
use crate::keys::{KeyAlgorithm, KeyError, PublicKey};

/// id-Ed25519 (RFC 8410 §3).
const ID_ED25519: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.3.101.112");

/// The algorithm a trusted-root key is declared for (`keyDetails`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum KeyDetails {
    /// `PKIX_ECDSA_P256_SHA_256`.
    EcdsaP256Sha256,
    /// `PKIX_ECDSA_P384_SHA_384`.
    EcdsaP384Sha384,
    /// `PKIX_ECDSA_P521_SHA_512`.
    EcdsaP521Sha512,
    /// `PKIX_ED25519`.
    Ed25519,
    /// `PKIX_RSA_PKCS1V15_{2048,3072,4096}_SHA256` or the deprecated
    /// `PKIX_RSA_PKCS1V5` (SubjectPublicKeyInfo).
    PkixRsaPkcs1v15Sha256,
    /// The deprecated `PKCS1_RSA_PKCS1V5`: a bare PKCS#1 key, SHA-256.
    Pkcs1RsaPkcs1v15Sha256,
    /// Any other value: such a key never verifies anything.
    Unsupported,
}

impl KeyDetails {
    /// Maps the protobuf enum name.
    pub fn from_name(name: &str) -> Self {
        match name {
            "PKIX_ECDSA_P256_SHA_256" => Self::EcdsaP256Sha256,
            "PKIX_ECDSA_P384_SHA_384" => Self::EcdsaP384Sha384,
            "PKIX_ECDSA_P521_SHA_512" => Self::EcdsaP521Sha512,
            "PKIX_ED25519" => Self::Ed25519,
            "PKIX_RSA_PKCS1V5"
            | "PKIX_RSA_PKCS1V15_2048_SHA256"
            | "PKIX_RSA_PKCS1V15_3072_SHA256"
            | "PKIX_RSA_PKCS1V15_4096_SHA256" => Self::PkixRsaPkcs1v15Sha256,
            "PKCS1_RSA_PKCS1V5" => Self::Pkcs1RsaPkcs1v15Sha256,
            _ => Self::Unsupported,
        }
    }
}

/// Why a service key did not verify a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum LogKeyError {
    /// `keyDetails` names an algorithm this verifier does not implement.
    UnsupportedAlgorithm,
    /// The key bytes are not a key of the declared algorithm.
    Encoding,
    /// The signature is malformed or does not verify.
    BadSignature,
}

impl fmt::Display for LogKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnsupportedAlgorithm => "unsupported key algorithm",
            Self::Encoding => "malformed key",
            Self::BadSignature => "signature does not verify",
        })
    }
}

/// A service's public key as the trusted root gives it.
#[derive(Clone, PartialEq, Eq)]
pub struct LogKey {
    /// The declared algorithm.
    pub details: KeyDetails,
    /// The key bytes (`rawBytes`, decoded): DER SubjectPublicKeyInfo, or
    /// PKCS#1 for [`KeyDetails::Pkcs1RsaPkcs1v15Sha256`].
    pub der: Vec<u8>,
}

impl fmt::Debug for LogKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogKey")
            .field("details", &self.details)
            .field("der_len", &self.der.len())
            .finish()
    }
}

impl LogKey {
    /// Checks that the bytes are a key of the declared algorithm.
    pub fn check(&self) -> Result<(), LogKeyError> {
        match self.details {
            KeyDetails::Unsupported => Err(LogKeyError::UnsupportedAlgorithm),
            KeyDetails::Ed25519 => self.ed25519().map(|_| ()),
            KeyDetails::PkixRsaPkcs1v15Sha256 | KeyDetails::Pkcs1RsaPkcs1v15Sha256 => {
                self.rsa().map(|_| ())
            }
            _ => self.ecdsa().map(|_| ()),
        }
    }

    /// The raw 32-byte Ed25519 key, for C2SP key IDs.
    pub fn ed25519_raw(&self) -> Option<[u8; 32]> {
        self.ed25519().ok().map(|k| k.to_bytes())
    }

    fn ecdsa(&self) -> Result<PublicKey, LogKeyError> {
        let key = PublicKey::from_spki_der(&self.der).map_err(|e| match e {
            // A curve this build leaves out: the key is kept, and never
            // verifies anything.
            KeyError::UnsupportedAlgorithm => LogKeyError::UnsupportedAlgorithm,
            _ => LogKeyError::Encoding,
        })?;
        let declared = match self.details {
            KeyDetails::EcdsaP256Sha256 => KeyAlgorithm::EcdsaP256,
            KeyDetails::EcdsaP384Sha384 => KeyAlgorithm::EcdsaP384,
            KeyDetails::EcdsaP521Sha512 => KeyAlgorithm::EcdsaP521,
            _ => return Err(LogKeyError::Encoding),
        };
        if key.algorithm() == declared {
            Ok(key)
        } else {
            Err(LogKeyError::Encoding)
        }
    }

    fn ed25519(&self) -> Result<ed25519_dalek::VerifyingKey, LogKeyError> {
        let spki =
            SubjectPublicKeyInfoRef::from_der(&self.der).map_err(|_| LogKeyError::Encoding)?;
        if spki.algorithm.oid != ID_ED25519 || spki.algorithm.parameters.is_some() {
            return Err(LogKeyError::Encoding);
        }
        let raw: [u8; 32] = spki
            .subject_public_key
            .as_bytes()
            .and_then(|b| b.try_into().ok())
            .ok_or(LogKeyError::Encoding)?;
        ed25519_dalek::VerifyingKey::from_bytes(&raw).map_err(|_| LogKeyError::Encoding)
    }

    #[cfg(not(feature = "rsa"))]
    fn rsa(&self) -> Result<(), LogKeyError> {
        Err(LogKeyError::UnsupportedAlgorithm)
    }

    #[cfg(feature = "rsa")]
    fn rsa(&self) -> Result<rsa::RsaPublicKey, LogKeyError> {
        use rsa::pkcs1::DecodeRsaPublicKey;
        use rsa::pkcs8::DecodePublicKey;
        match self.details {
            KeyDetails::Pkcs1RsaPkcs1v15Sha256 => rsa::RsaPublicKey::from_pkcs1_der(&self.der),
            _ => rsa::RsaPublicKey::from_public_key_der(&self.der)
                .map_err(|_| rsa::pkcs1::Error::KeyMalformed),
        }
        .map_err(|_| LogKeyError::Encoding)
    }

    /// Verifies `sig` over `message` with the key's algorithm and hash.
    pub fn verify(&self, message: &[u8], sig: &[u8]) -> Result<(), LogKeyError> {
        #[cfg(feature = "rsa")]
        let bad = |_| LogKeyError::BadSignature;
        match self.details {
            KeyDetails::Unsupported => Err(LogKeyError::UnsupportedAlgorithm),
            KeyDetails::Ed25519 => verify_ed25519(self, message, sig),
            #[cfg(feature = "rsa")]
            KeyDetails::PkixRsaPkcs1v15Sha256 | KeyDetails::Pkcs1RsaPkcs1v15Sha256 => {
                use rsa::signature::Verifier as _;
                let key = self.rsa()?;
                let sig = rsa::pkcs1v15::Signature::try_from(sig).map_err(bad)?;
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
                    .verify(message, &sig)
                    .map_err(bad)
            }
            #[cfg(not(feature = "rsa"))]
            KeyDetails::PkixRsaPkcs1v15Sha256 | KeyDetails::Pkcs1RsaPkcs1v15Sha256 => {
                Err(LogKeyError::UnsupportedAlgorithm)
            }
            _ => verify_ecdsa(self, message, sig),
        }
    }
}

// Each algorithm's verification in a frame of its own (not inlined into
// `LogKey::verify`): the deepest is only one of them, not their sum.

#[inline(never)]
fn verify_ed25519(key: &LogKey, message: &[u8], sig: &[u8]) -> Result<(), LogKeyError> {
    let key = key.ed25519()?;
    let sig = ed25519_dalek::Signature::from_slice(sig).map_err(|_| LogKeyError::BadSignature)?;
    key.verify_strict(message, &sig)
        .map_err(|_| LogKeyError::BadSignature)
}

#[inline(never)]
fn verify_ecdsa(key: &LogKey, message: &[u8], sig: &[u8]) -> Result<(), LogKeyError> {
    #[cfg(not(any(feature = "p256", feature = "p384", feature = "p521")))]
    let _ = (message, sig);
    match key.ecdsa()?.0 {
        #[cfg(feature = "p256")]
        EcKey::P256(k) => verify_p256(&k, message, sig),
        #[cfg(feature = "p384")]
        EcKey::P384(k) => verify_p384(&k, message, sig),
        #[cfg(feature = "p521")]
        EcKey::P521(k) => verify_p521(&k, message, sig),
    }
}

// One frame per curve, for the same reason.

#[cfg(feature = "p256")]
#[inline(never)]
fn verify_p256(
    k: &p256::ecdsa::VerifyingKey,
    message: &[u8],
    sig: &[u8],
) -> Result<(), LogKeyError> {
    let sig = p256::ecdsa::DerSignature::from_bytes(sig).map_err(|_| LogKeyError::BadSignature)?;
    k.verify(message, &sig)
        .map_err(|_| LogKeyError::BadSignature)
}

#[cfg(feature = "p384")]
#[inline(never)]
fn verify_p384(
    k: &p384::ecdsa::VerifyingKey,
    message: &[u8],
    sig: &[u8],
) -> Result<(), LogKeyError> {
    let sig = p384::ecdsa::DerSignature::from_bytes(sig).map_err(|_| LogKeyError::BadSignature)?;
    k.verify(message, &sig)
        .map_err(|_| LogKeyError::BadSignature)
}

#[cfg(feature = "p521")]
#[inline(never)]
fn verify_p521(
    k: &p521::ecdsa::VerifyingKey,
    message: &[u8],
    sig: &[u8],
) -> Result<(), LogKeyError> {
    let sig = p521::ecdsa::DerSignature::from_bytes(sig).map_err(|_| LogKeyError::BadSignature)?;
    k.verify(message, &sig)
        .map_err(|_| LogKeyError::BadSignature)
}
