//! Pinned public keys for the `key` method (OMS §4.1, §4.2), and the
//! hashes signatures are made over.
//!
//! Checks, in order:
//! 1. the key is a PEM `PUBLIC KEY` document of at most [`MAX_PEM_BYTES`]
//!    (RFC 7468 §3 read laxly: explanatory text before it, as OpenSSL and
//!    `cryptography` allow, and base64 in lines of any length with any
//!    whitespace: `encoding.rs`) or DER, of at most [`MAX_SPKI_BYTES`];
//! 2. it is a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) for id-ecPublicKey
//!    (RFC 5480) on P-256, P-384 or P-521 with a valid point; a curve this
//!    build leaves out (features `p256`, `p384`, `p521`) is
//!    [`KeyError::UnsupportedAlgorithm`];
//! 3. a bundle's `publicKey.hint`, when present, is the lowercase hex SHA-256
//!    of this key's SPKI: over its canonical PEM (what model_signing writes)
//!    or over its DER;
//! 4. signatures are DER ECDSA with the hash model_signing pairs with the
//!    curve: P-256/SHA-256, P-384/SHA-384, P-521/SHA-512.

use core::fmt;

use der::Decode;
use der::asn1::ObjectIdentifier;
#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
use der::{
    Encode,
    asn1::{AnyRef, BitStringRef},
};
#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
use ecdsa::signature::hazmat::PrehashVerifier;
use sha2::{Digest as _, Sha256};
#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
use spki::AlgorithmIdentifierRef;
use spki::SubjectPublicKeyInfoRef;

use crate::check::Check;
use crate::encoding::hex_eq_lower;
use crate::limits::{MAX_PEM_BYTES, MAX_SPKI_BYTES};

/// id-ecPublicKey (RFC 5480 §2.1.1).
pub(crate) const ID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// Why a public key was refused, or does not match the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum KeyError {
    /// Neither a PEM `PUBLIC KEY` document nor DER.
    Pem,
    /// Not a DER SubjectPublicKeyInfo.
    Spki,
    /// Not an EC public key on P-256, P-384 or P-521 (nor, for the sigstore
    /// method, an RSA key).
    UnsupportedKey,
    /// The EC point is not valid for its curve.
    InvalidPoint,
    /// An RSA key (sigstore method) of another size than the Sigstore
    /// algorithm registry's 2048, 3072 and 4096 bits.
    RsaKeySize,
    /// `publicKey.hint` names another key (SHA-256 of its PEM or DER SPKI).
    HintMismatch,
    /// `publicKey.rawBytes` holds another key than the one given.
    RawBytesMismatch,
    /// A key algorithm this build leaves out: its feature (`p256`, `p384`,
    /// `p521`, `rsa`) is not enabled.
    UnsupportedAlgorithm,
}

impl KeyError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            KeyError::Pem => Check::KeyPem,
            KeyError::Spki => Check::KeySpki,
            KeyError::UnsupportedKey => Check::KeyUnsupportedKey,
            KeyError::InvalidPoint => Check::KeyInvalidPoint,
            KeyError::RsaKeySize => Check::KeyRsaKeySize,
            KeyError::HintMismatch => Check::KeyHintMismatch,
            KeyError::RawBytesMismatch => Check::KeyRawBytesMismatch,
            KeyError::UnsupportedAlgorithm => Check::KeyUnsupportedAlgorithm,
        }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyError::Pem => "key: not a PEM or DER public key",
            KeyError::Spki => "key: not a SubjectPublicKeyInfo",
            KeyError::UnsupportedKey => "key: not an EC key on P-256, P-384 or P-521",
            KeyError::InvalidPoint => "key: invalid EC point",
            KeyError::RsaKeySize => "key: RSA key is not 2048, 3072 or 4096 bits",
            KeyError::HintMismatch => {
                "key: publicKey.hint in the bundle names a different key than the one given"
            }
            KeyError::RawBytesMismatch => {
                "key: publicKey.rawBytes in the bundle is a different key than the one given"
            }
            KeyError::UnsupportedAlgorithm => {
                "key: the key's algorithm is not built into this verifier (feature off)"
            }
        })
    }
}

/// A signing key's algorithm, with the hash it signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// ECDSA on NIST P-256 with SHA-256.
    EcdsaP256,
    /// ECDSA on NIST P-384 with SHA-384.
    EcdsaP384,
    /// ECDSA on NIST P-521 with SHA-512.
    EcdsaP521,
    /// RSA, 2048-bit modulus, with SHA-256 (PKCS#1 v1.5 or PSS).
    Rsa2048,
    /// RSA, 3072-bit modulus, with SHA-256 (PKCS#1 v1.5 or PSS).
    Rsa3072,
    /// RSA, 4096-bit modulus, with SHA-256 (PKCS#1 v1.5 or PSS).
    Rsa4096,
}

impl KeyAlgorithm {
    /// A short name: `P-256`, `P-384`, `P-521`, `RSA-2048`, ...
    pub fn name(self) -> &'static str {
        match self {
            KeyAlgorithm::EcdsaP256 => "P-256",
            KeyAlgorithm::EcdsaP384 => "P-384",
            KeyAlgorithm::EcdsaP521 => "P-521",
            KeyAlgorithm::Rsa2048 => "RSA-2048",
            KeyAlgorithm::Rsa3072 => "RSA-3072",
            KeyAlgorithm::Rsa4096 => "RSA-4096",
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The hash a signature was made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SigHash {
    /// SHA-256.
    Sha256,
    /// SHA-384 (feature `sha512`).
    #[cfg(feature = "sha512")]
    Sha384,
    /// SHA-512 (feature `sha512`).
    #[cfg(feature = "sha512")]
    Sha512,
}

impl SigHash {
    /// Every hash this build implements, SHA-256 first.
    pub const ALL: &'static [SigHash] = &[
        SigHash::Sha256,
        #[cfg(feature = "sha512")]
        SigHash::Sha384,
        #[cfg(feature = "sha512")]
        SigHash::Sha512,
    ];

    /// The digest's length in bytes.
    pub fn len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            #[cfg(feature = "sha512")]
            Self::Sha384 => 48,
            #[cfg(feature = "sha512")]
            Self::Sha512 => 64,
        }
    }

    /// Always false: no digest is empty.
    pub fn is_empty(self) -> bool {
        false
    }

    /// The protobuf `HashAlgorithm` name (`SHA2_256`, ...).
    pub fn proto_name(self) -> &'static str {
        match self {
            Self::Sha256 => "SHA2_256",
            #[cfg(feature = "sha512")]
            Self::Sha384 => "SHA2_384",
            #[cfg(feature = "sha512")]
            Self::Sha512 => "SHA2_512",
        }
    }

    /// The name Rekor v1 bodies and in-toto digests use (`sha256`, ...).
    pub fn lower_name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            #[cfg(feature = "sha512")]
            Self::Sha384 => "sha384",
            #[cfg(feature = "sha512")]
            Self::Sha512 => "sha512",
        }
    }

    /// The digest of `data`, in the first [`SigHash::len`] bytes.
    pub fn digest(self, data: &[u8]) -> [u8; 64] {
        let mut h = PrehashState::new(self);
        h.update(data);
        let mut out = [0u8; 64];
        h.finalize_into(&mut out);
        out
    }
}

/// Digests of one message under some of the [`SigHash`]es: what is known
/// of an artifact (all of a file at hand, only SHA-256 of a `sha256:<hex>`
/// given instead).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Digests {
    sha256: Option<[u8; 32]>,
    #[cfg(feature = "sha512")]
    sha384: Option<[u8; 48]>,
    #[cfg(feature = "sha512")]
    sha512: Option<[u8; 64]>,
}

impl Digests {
    /// The digest under `hash`, when known.
    pub fn get(&self, hash: SigHash) -> Option<&[u8]> {
        match hash {
            SigHash::Sha256 => self.sha256.as_ref().map(|d| &d[..]),
            #[cfg(feature = "sha512")]
            SigHash::Sha384 => self.sha384.as_ref().map(|d| &d[..]),
            #[cfg(feature = "sha512")]
            SigHash::Sha512 => self.sha512.as_ref().map(|d| &d[..]),
        }
    }

    /// Records the digest under `hash`; `false` (and nothing recorded) if
    /// `digest` is not that hash's length.
    pub fn set(&mut self, hash: SigHash, digest: &[u8]) -> bool {
        match hash {
            SigHash::Sha256 => digest.try_into().map(|d| self.sha256 = Some(d)).is_ok(),
            #[cfg(feature = "sha512")]
            SigHash::Sha384 => digest.try_into().map(|d| self.sha384 = Some(d)).is_ok(),
            #[cfg(feature = "sha512")]
            SigHash::Sha512 => digest.try_into().map(|d| self.sha512 = Some(d)).is_ok(),
        }
    }

    /// The digests of `data` under every hash of [`SigHash::ALL`].
    pub fn of(data: &[u8]) -> Self {
        let mut d = Self::default();
        for &h in SigHash::ALL {
            let out = h.digest(data);
            d.set(h, out.get(..h.len()).unwrap_or(&[]));
        }
        d
    }
}

/// Why a signature over a digest failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// `Encoding` is made by the ECDSA curves' decoders and by RSA's, which only
// the certificate and sigstore methods link.
#[cfg_attr(
    not(any(
        feature = "p256",
        feature = "p384",
        feature = "p521",
        all(feature = "rsa", feature = "sigstore")
    )),
    allow(dead_code)
)]
pub(crate) enum SignatureError {
    /// Not a signature of the key's encoding (DER ECDSA for the curve, an
    /// RSA signature of the modulus' length).
    Encoding,
    /// Well formed, but not the key's signature over the digest.
    Mismatch,
}

/// A key that verifies signatures over a digest it picks the hash of:
/// [`PublicKey`] for the key and certificate methods, and the Sigstore
/// algorithm registry's keys for the sigstore method.
pub(crate) trait PrehashKey {
    /// The hash this key signs with.
    fn sig_hash(&self) -> SigHash;
    /// Verifies `sig` over `prehash` (a [`PrehashKey::sig_hash`] digest).
    fn verify_prehash(&self, prehash: &[u8], sig: &[u8]) -> Result<(), SignatureError>;
}

impl PrehashKey for PublicKey {
    fn sig_hash(&self) -> SigHash {
        PublicKey::sig_hash(self)
    }

    fn verify_prehash(&self, prehash: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
        PublicKey::verify_prehash(self, prehash, sig)
    }
}

/// An incremental hash for one [`SigHash`].
#[derive(Debug, Clone)]
pub(crate) enum PrehashState {
    Sha256(Sha256),
    #[cfg(feature = "sha512")]
    Sha384(sha2::Sha384),
    #[cfg(feature = "sha512")]
    Sha512(sha2::Sha512),
}

impl PrehashState {
    pub(crate) fn new(h: SigHash) -> Self {
        match h {
            SigHash::Sha256 => Self::Sha256(Sha256::new()),
            #[cfg(feature = "sha512")]
            SigHash::Sha384 => Self::Sha384(sha2::Sha384::new()),
            #[cfg(feature = "sha512")]
            SigHash::Sha512 => Self::Sha512(sha2::Sha512::new()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(data),
            #[cfg(feature = "sha512")]
            Self::Sha384(h) => h.update(data),
            #[cfg(feature = "sha512")]
            Self::Sha512(h) => h.update(data),
        }
    }

    /// Writes the digest into `out` and returns its length.
    pub(crate) fn finalize_into(self, out: &mut [u8; 64]) -> usize {
        let (src, n): ([u8; 64], usize) = match self {
            Self::Sha256(h) => (pad(&h.finalize()), 32),
            #[cfg(feature = "sha512")]
            Self::Sha384(h) => (pad(&h.finalize()), 48),
            #[cfg(feature = "sha512")]
            Self::Sha512(h) => (pad(&h.finalize()), 64),
        };
        *out = src;
        n
    }
}

fn pad(d: &[u8]) -> [u8; 64] {
    let mut out = [0; 64];
    for (o, i) in out.iter_mut().zip(d) {
        *o = *i;
    }
    out
}

/// An EC public key on one of the curves OMS supports (those this build
/// includes: features `p256`, `p384`, `p521`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub(crate) EcKey);

/// The key, by curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EcKey {
    #[cfg(feature = "p256")]
    P256(p256::ecdsa::VerifyingKey),
    #[cfg(feature = "p384")]
    P384(p384::ecdsa::VerifyingKey),
    #[cfg(feature = "p521")]
    P521(p521::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// Reads a PEM `PUBLIC KEY` document or a DER SubjectPublicKeyInfo.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.first() == Some(&0x30) {
            return Self::from_spki_der(bytes);
        }
        let mut der = [0u8; SPKI_BASE64_BYTES];
        let der = pem_public_key(bytes, &mut der)?;
        Self::from_spki_der(der)
    }

    /// Reads a DER SubjectPublicKeyInfo.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        if der.len() > MAX_SPKI_BYTES {
            return Err(KeyError::Spki);
        }
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| KeyError::Spki)?;
        Self::from_spki(&spki)
    }

    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Self, KeyError> {
        let (alg, curve) = spki.algorithm.oids().map_err(|_| KeyError::Spki)?;
        if alg != ID_EC_PUBLIC_KEY {
            return Err(KeyError::UnsupportedKey);
        }
        let point = spki
            .subject_public_key
            .as_bytes()
            .ok_or(KeyError::InvalidPoint)?;
        let curve = curve.ok_or(KeyError::UnsupportedKey)?;
        if ![SECP256R1, SECP384R1, SECP521R1].contains(&curve) {
            return Err(KeyError::UnsupportedKey);
        }
        Self::on_curve(curve, point)
    }

    /// The key `point` on `curve` (one of the three), if this build has it.
    fn on_curve(curve: ObjectIdentifier, point: &[u8]) -> Result<Self, KeyError> {
        #[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
        let bad = |_| KeyError::InvalidPoint;
        #[cfg(not(any(feature = "p256", feature = "p384", feature = "p521")))]
        let _ = point;
        match curve {
            #[cfg(feature = "p256")]
            SECP256R1 => Ok(Self(EcKey::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?,
            ))),
            #[cfg(feature = "p384")]
            SECP384R1 => Ok(Self(EcKey::P384(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?,
            ))),
            #[cfg(feature = "p521")]
            SECP521R1 => Ok(Self(EcKey::P521(
                p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?,
            ))),
            _ => Err(KeyError::UnsupportedAlgorithm),
        }
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self.0 {
            #[cfg(feature = "p256")]
            EcKey::P256(_) => KeyAlgorithm::EcdsaP256,
            #[cfg(feature = "p384")]
            EcKey::P384(_) => KeyAlgorithm::EcdsaP384,
            #[cfg(feature = "p521")]
            EcKey::P521(_) => KeyAlgorithm::EcdsaP521,
        }
    }

    /// The curve's name as OpenSSL spells it (`P-256`, ...).
    pub fn curve_name(&self) -> &'static str {
        self.algorithm().name()
    }

    /// The hash model_signing pairs with this key's curve.
    pub fn sig_hash(&self) -> SigHash {
        match self.0 {
            #[cfg(feature = "p256")]
            EcKey::P256(_) => SigHash::Sha256,
            #[cfg(feature = "p384")]
            EcKey::P384(_) => SigHash::Sha384,
            #[cfg(feature = "p521")]
            EcKey::P521(_) => SigHash::Sha512,
        }
    }

    /// The canonical DER SubjectPublicKeyInfo (uncompressed point, named
    /// curve), as `cryptography` serializes it.
    pub fn to_spki_der<'b>(&self, buf: &'b mut [u8; MAX_SPKI_BYTES]) -> Result<&'b [u8], KeyError> {
        #[cfg(not(any(feature = "p256", feature = "p384", feature = "p521")))]
        let _ = buf;
        match self.0 {
            #[cfg(feature = "p256")]
            EcKey::P256(k) => encode_spki(SECP256R1, k.to_sec1_point(false).as_ref(), buf),
            #[cfg(feature = "p384")]
            EcKey::P384(k) => encode_spki(SECP384R1, k.to_sec1_point(false).as_ref(), buf),
            #[cfg(feature = "p521")]
            EcKey::P521(k) => encode_spki(SECP521R1, k.to_sec1_point(false).as_ref(), buf),
        }
    }

    /// Whether `hint` (lowercase hex SHA-256, as in `publicKey.hint`) names
    /// this key: over its canonical PEM (model_signing ≥ 1.1 writes this) or
    /// over its DER SPKI.
    pub fn matches_hint(&self, hint: impl Iterator<Item = u8> + Clone) -> bool {
        KeyHints::of(self).is_ok_and(|h| h.matches(hint))
    }

    /// Verifies a DER ECDSA signature over a message digest (`prehash`).
    // A build with no curve has no key to verify with.
    #[cfg_attr(
        not(any(feature = "p256", feature = "p384", feature = "p521")),
        allow(unreachable_code, unused_variables)
    )]
    pub(crate) fn verify_prehash(
        &self,
        prehash: &[u8],
        der_sig: &[u8],
    ) -> Result<(), SignatureError> {
        #[cfg(not(any(feature = "p256", feature = "p384", feature = "p521")))]
        let _ = (prehash, der_sig);
        #[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
        let enc = |_| SignatureError::Encoding;
        let ok = match self.0 {
            #[cfg(feature = "p256")]
            EcKey::P256(k) => {
                let sig = p256::ecdsa::DerSignature::from_bytes(der_sig).map_err(enc)?;
                k.verify_prehash(prehash, &sig).is_ok()
            }
            #[cfg(feature = "p384")]
            EcKey::P384(k) => {
                let sig = p384::ecdsa::DerSignature::from_bytes(der_sig).map_err(enc)?;
                k.verify_prehash(prehash, &sig).is_ok()
            }
            #[cfg(feature = "p521")]
            EcKey::P521(k) => {
                let sig = p521::ecdsa::DerSignature::from_bytes(der_sig).map_err(enc)?;
                k.verify_prehash(prehash, &sig).is_ok()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(SignatureError::Mismatch)
        }
    }
}

/// The digests a bundle's `publicKey.hint` may name a key by (check 3):
/// SHA-256 of its canonical PEM (what model_signing ≥ 1.1 writes) and of
/// its DER SubjectPublicKeyInfo.
///
/// [`KeyHints::of`] computes them (DER and PEM encoding, two SHA-256);
/// firmware that pins one key can compute them when it is built and pass
/// them to `KeyVerifier::with_hints`, so that neither encoder is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHints {
    pem: Option<[u8; 32]>,
    der: [u8; 32],
}

impl KeyHints {
    /// The digests of `key`.
    pub fn of(key: &PublicKey) -> Result<Self, KeyError> {
        let mut spki = [0u8; MAX_SPKI_BYTES];
        let der = key.to_spki_der(&mut spki)?;
        let der_hash: [u8; 32] = Sha256::digest(der).into();
        let mut pem = [0u8; 512];
        let pem_hash: Option<[u8; 32]> =
            pem_rfc7468::encode("PUBLIC KEY", pem_rfc7468::LineEnding::LF, der, &mut pem)
                .ok()
                .map(|s| {
                    let mut h = Sha256::new();
                    h.update(s.as_bytes());
                    // `cryptography` ends the document with a newline.
                    if !s.ends_with('\n') {
                        h.update(b"\n");
                    }
                    h.finalize().into()
                });
        Ok(Self {
            pem: pem_hash,
            der: der_hash,
        })
    }

    /// Digests computed elsewhere (at build time) for the same key: SHA-256
    /// of its canonical PEM document (`-----BEGIN PUBLIC KEY-----`, base64
    /// lines of 64, `-----END PUBLIC KEY-----`, LF line ends, a final
    /// newline) and of its DER SubjectPublicKeyInfo.
    pub const fn from_digests(pem: [u8; 32], der: [u8; 32]) -> Self {
        Self {
            pem: Some(pem),
            der,
        }
    }

    /// SHA-256 of the canonical PEM, when it could be made.
    pub fn pem(&self) -> Option<&[u8; 32]> {
        self.pem.as_ref()
    }

    /// SHA-256 of the DER SubjectPublicKeyInfo.
    pub fn der(&self) -> &[u8; 32] {
        &self.der
    }

    /// Whether `hint` (lowercase hex) is one of the digests.
    pub fn matches(&self, hint: impl Iterator<Item = u8> + Clone) -> bool {
        hex_eq_lower(hint.clone(), &self.der) || self.pem.is_some_and(|p| hex_eq_lower(hint, &p))
    }
}

#[cfg(any(feature = "p256", feature = "p384", feature = "p521"))]
fn encode_spki<'b>(
    curve: ObjectIdentifier,
    point: &[u8],
    buf: &'b mut [u8; MAX_SPKI_BYTES],
) -> Result<&'b [u8], KeyError> {
    let spki = SubjectPublicKeyInfoRef {
        algorithm: AlgorithmIdentifierRef {
            oid: ID_EC_PUBLIC_KEY,
            parameters: Some(AnyRef::from(&curve)),
        },
        subject_public_key: BitStringRef::from_bytes(point).map_err(|_| KeyError::Spki)?,
    };
    let n = spki.encode_to_slice(buf).map_err(|_| KeyError::Spki)?.len();
    buf.get(..n).ok_or(KeyError::Spki)
}

/// Base64 text an SPKI of [`MAX_SPKI_BYTES`] needs (without whitespace).
const SPKI_BASE64_BYTES: usize = MAX_SPKI_BYTES.div_ceil(3) * 4;

/// Finds the `PUBLIC KEY` PEM block in `text` (text before and after it is
/// allowed, the base64 laid out in any lines: `encoding.rs`) and decodes
/// it into `buf`.
fn pem_public_key<'b>(
    text: &[u8],
    buf: &'b mut [u8; SPKI_BASE64_BYTES],
) -> Result<&'b [u8], KeyError> {
    if text.len() > MAX_PEM_BYTES {
        return Err(KeyError::Pem);
    }
    crate::encoding::decode(text, "PUBLIC KEY", buf).map_err(|_| KeyError::Pem)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P384_PEM: &str = "Public Key Information:\n\tstuff\n-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEsu6rZGBTjxtvRWPMixT+3HyndV0J0Ybt
aHZUcO4DEK+OJHO/4e32bb/fbJKSpRgcBsIpKLcVijUomyFOERbd7u+BTPSUjGZD
Qq6J7lTvp/EAXQGOKxW9RP0MGX3qAkvi
-----END PUBLIC KEY-----
";

    #[cfg(feature = "p384")]
    #[test]
    fn reads_pem_with_preamble_and_matches_reference_hint() {
        let k = PublicKey::from_pem_or_der(P384_PEM.as_bytes()).unwrap();
        assert_eq!(k.sig_hash(), SigHash::Sha384);
        // model_signing's hint for this key: SHA-256 of its PEM.
        let pem_hint = "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e";
        assert!(k.matches_hint(pem_hint.bytes()));
        // SHA-256 of its DER (`openssl pkey -pubin -outform DER | sha256sum`).
        let der_hint = "c1e49d63327f85c7e2971aefd30b5a0d1c6b9b5e1a892e7f5fba995adace816d";
        assert!(k.matches_hint(der_hint.bytes()));
        assert!(!k.matches_hint(pem_hint.replace('e', "f").bytes()));
        assert!(!k.matches_hint(pem_hint.to_uppercase().bytes()));
        assert!(!k.matches_hint("".bytes()));
        // The same, from digests given rather than computed.
        let h = KeyHints::of(&k).unwrap();
        let given = KeyHints::from_digests(*h.pem().unwrap(), *h.der());
        assert_eq!(given, h);
        assert!(given.matches(pem_hint.bytes()) && given.matches(der_hint.bytes()));
        assert!(!given.matches(pem_hint.replace('e', "f").bytes()));
        // DER round trip.
        let mut buf = [0u8; MAX_SPKI_BYTES];
        let der = k.to_spki_der(&mut buf).unwrap();
        assert_eq!(PublicKey::from_pem_or_der(der).unwrap(), k);
    }

    #[cfg(feature = "p384")]
    #[test]
    fn pem_layouts_are_read_laxly_but_hold_one_der_object() {
        let want = PublicKey::from_pem_or_der(P384_PEM.as_bytes()).unwrap();
        let body: std::string::String = P384_PEM
            .lines()
            .skip_while(|l| !l.starts_with("-----BEGIN"))
            .filter(|l| !l.starts_with("-----"))
            .collect();
        for text in [
            std::format!("-----BEGIN PUBLIC KEY-----{body}-----END PUBLIC KEY-----"),
            std::format!(
                "  -----BEGIN PUBLIC KEY-----\r\n\r\n  {body}  \r\n -----END PUBLIC KEY-----"
            ),
        ] {
            assert_eq!(
                PublicKey::from_pem_or_der(text.as_bytes()),
                Ok(want),
                "{text}"
            );
        }
        // Base64 of the SPKI and one byte more is not one DER object.
        let mut der = [0u8; MAX_SPKI_BYTES];
        let mut der = want.to_spki_der(&mut der).unwrap().to_vec();
        der.push(0);
        let mut b64 = [0u8; 512];
        let b64 = <base64ct::Base64 as base64ct::Encoding>::encode(&der, &mut b64).unwrap();
        let text = std::format!("-----BEGIN PUBLIC KEY-----\n{b64}\n-----END PUBLIC KEY-----\n");
        assert_eq!(
            PublicKey::from_pem_or_der(text.as_bytes()),
            Err(KeyError::Spki)
        );
        // Not base64.
        let text = std::format!("-----BEGIN PUBLIC KEY-----\n{body}!\n-----END PUBLIC KEY-----\n");
        assert_eq!(
            PublicKey::from_pem_or_der(text.as_bytes()),
            Err(KeyError::Pem)
        );
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(PublicKey::from_pem_or_der(b""), Err(KeyError::Pem));
        assert_eq!(PublicKey::from_pem_or_der(b"\x30\x00"), Err(KeyError::Spki));
        let cert = P384_PEM.replace("PUBLIC KEY", "CERTIFICATE");
        assert_eq!(
            PublicKey::from_pem_or_der(cert.as_bytes()),
            Err(KeyError::Pem)
        );
    }

    /// A build without `p384` refuses a P-384 key by name, never as
    /// malformed, and never accepts it as something else.
    #[cfg(not(feature = "p384"))]
    #[test]
    fn a_curve_left_out_is_refused_as_unsupported() {
        assert_eq!(
            PublicKey::from_pem_or_der(P384_PEM.as_bytes()),
            Err(KeyError::UnsupportedAlgorithm)
        );
        assert_eq!(
            KeyError::UnsupportedAlgorithm.check().as_str(),
            "key.unsupported_algorithm"
        );
    }
}
