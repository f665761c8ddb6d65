//! The Sigstore algorithm registry (sigstore/architecture-docs
//! `algorithm-registry.md`; `PublicKeyDetails` in `sigstore_common.proto`):
//! the signing keys of the `sigstore` method, Fulcio leaves and managed
//! keys alike, and the hash each one signs with.
//!
//! | key | registry entries | hash |
//! |---|---|---|
//! | EC P-256 | `PKIX_ECDSA_P256_SHA_256` | SHA-256 |
//! | EC P-384 | `PKIX_ECDSA_P384_SHA_384` | SHA-384 |
//! | EC P-521 | `PKIX_ECDSA_P521_SHA_512` | SHA-512 |
//! | RSA 2048, 3072, 4096 | `PKIX_RSA_PKCS1V15_<bits>_SHA256`, `PKIX_RSA_PSS_<bits>_SHA256` | SHA-256 |
//!
//! Checks, in order:
//! 1. the key is a DER SubjectPublicKeyInfo, or a PEM `PUBLIC KEY`
//!    document (read laxly, `encoding.rs`) holding one;
//! 2. it is id-ecPublicKey on P-256, P-384 or P-521 with a valid point
//!    ([`crate::keys`]), or rsaEncryption (parameters NULL) with a modulus
//!    of exactly 2048, 3072 or 4096 bits (the registry's sizes; sigstore-go
//!    and sigstore-python accept no others);
//! 3. a signature is checked over a digest made with the key's hash:
//!    DER ECDSA, or RSA with PKCS#1 v1.5 or PSS (MGF1-SHA-256, trailer
//!    `0xbc`, any salt length, as Go and `cryptography` signers choose
//!    different ones). An rsaEncryption key names no padding and the
//!    registry pairs both paddings with that same key, so either verifies;
//!    the signature is still the key's over the same digest.

use alloc::vec::Vec;

use der::Decode;
use der::asn1::ObjectIdentifier;
use spki::SubjectPublicKeyInfoRef;

use crate::keys::{
    ID_EC_PUBLIC_KEY, KeyAlgorithm, KeyError, PrehashKey, PublicKey, SigHash, SignatureError,
};
use crate::limits::{MAX_PEM_BYTES, MAX_RSA_SPKI_BYTES};

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The RSA modulus sizes of the registry.
#[cfg(feature = "rsa")]
const RSA_BITS: [u32; 3] = [2048, 3072, 4096];

/// A signing key of the Sigstore algorithm registry (those this build
/// includes: features `p256`, `p384`, `p521`, `rsa`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigstoreKey(pub(crate) RegistryKey);

/// The key, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegistryKey {
    /// ECDSA on P-256, P-384 or P-521, with SHA-256/384/512.
    Ec(PublicKey),
    /// RSA 2048, 3072 or 4096 bits, with SHA-256.
    #[cfg(feature = "rsa")]
    Rsa(RsaKey),
}

/// An RSA key of the registry and the SubjectPublicKeyInfo it came in.
#[cfg(feature = "rsa")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RsaKey {
    key: rsa::RsaPublicKey,
    spki: Vec<u8>,
}

#[cfg(feature = "rsa")]
impl RsaKey {
    /// The modulus size: 2048, 3072 or 4096 (checked when read).
    pub(crate) fn bits(&self) -> u32 {
        use rsa::traits::PublicKeyParts;
        self.key.n().bits()
    }
}

impl From<PublicKey> for SigstoreKey {
    fn from(k: PublicKey) -> Self {
        Self(RegistryKey::Ec(k))
    }
}

impl SigstoreKey {
    /// Reads a PEM `PUBLIC KEY` document or a DER SubjectPublicKeyInfo.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.first() == Some(&0x30) {
            return Self::from_spki_der(bytes);
        }
        if bytes.len() > MAX_PEM_BYTES {
            return Err(KeyError::Pem);
        }
        let (body, _) = crate::encoding::find_block(bytes, "PUBLIC KEY").ok_or(KeyError::Pem)?;
        let mut buf = alloc::vec![0u8; body.len()];
        let der = crate::encoding::decode_body(body, &mut buf).map_err(|_| KeyError::Pem)?;
        Self::from_spki_der(der)
    }

    /// Reads a DER SubjectPublicKeyInfo (checks 1–2).
    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        if der.len() > MAX_RSA_SPKI_BYTES {
            return Err(KeyError::Spki);
        }
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| KeyError::Spki)?;
        let alg = spki.algorithm.oid;
        if alg == ID_EC_PUBLIC_KEY {
            return PublicKey::from_spki(&spki).map(Self::from);
        }
        if alg != RSA_ENCRYPTION {
            return Err(KeyError::UnsupportedKey);
        }
        Self::rsa(&spki, der)
    }

    /// Check 2 for an rsaEncryption key.
    #[cfg(feature = "rsa")]
    fn rsa(spki: &SubjectPublicKeyInfoRef<'_>, der: &[u8]) -> Result<Self, KeyError> {
        // RFC 3279 §2.3.1: the parameters are NULL.
        if !spki.algorithm.parameters.is_some_and(|p| p.is_null()) {
            return Err(KeyError::Spki);
        }
        let pkcs1 = spki.subject_public_key.as_bytes().ok_or(KeyError::Spki)?;
        use rsa::pkcs1::DecodeRsaPublicKey;
        use rsa::traits::PublicKeyParts;
        let key = rsa::RsaPublicKey::from_pkcs1_der(pkcs1).map_err(|_| KeyError::Spki)?;
        if !RSA_BITS.contains(&key.n().bits()) {
            return Err(KeyError::RsaKeySize);
        }
        Ok(Self(RegistryKey::Rsa(RsaKey {
            key,
            spki: der.to_vec(),
        })))
    }

    /// An RSA key in a build without `rsa`.
    #[cfg(not(feature = "rsa"))]
    fn rsa(_: &SubjectPublicKeyInfoRef<'_>, _: &[u8]) -> Result<Self, KeyError> {
        Err(KeyError::UnsupportedAlgorithm)
    }

    /// The key's DER SubjectPublicKeyInfo, as a transparency log records
    /// it (EC keys re-encoded canonically, as `cryptography` writes them).
    pub(crate) fn spki_der(&self) -> Result<Vec<u8>, KeyError> {
        match &self.0 {
            RegistryKey::Ec(k) => {
                let mut buf = [0u8; crate::limits::MAX_SPKI_BYTES];
                k.to_spki_der(&mut buf).map(<[u8]>::to_vec)
            }
            #[cfg(feature = "rsa")]
            RegistryKey::Rsa(k) => Ok(k.spki.clone()),
        }
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match &self.0 {
            RegistryKey::Ec(k) => k.algorithm(),
            #[cfg(feature = "rsa")]
            RegistryKey::Rsa(k) => match k.bits() {
                2048 => KeyAlgorithm::Rsa2048,
                3072 => KeyAlgorithm::Rsa3072,
                _ => KeyAlgorithm::Rsa4096,
            },
        }
    }

    /// A short name: `P-256`, `P-384`, `P-521`, `RSA-2048` ...
    pub fn name(&self) -> &'static str {
        self.algorithm().name()
    }
}

impl PrehashKey for SigstoreKey {
    fn sig_hash(&self) -> SigHash {
        match &self.0 {
            RegistryKey::Ec(k) => k.sig_hash(),
            #[cfg(feature = "rsa")]
            RegistryKey::Rsa(_) => SigHash::Sha256,
        }
    }

    /// Check 3.
    fn verify_prehash(&self, prehash: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
        match &self.0 {
            RegistryKey::Ec(k) => k.verify_prehash(prehash, sig),
            #[cfg(feature = "rsa")]
            RegistryKey::Rsa(k) => {
                use rsa::signature::hazmat::PrehashVerifier;
                use rsa::traits::PublicKeyParts;
                if sig.len() != k.key.size() {
                    return Err(SignatureError::Encoding);
                }
                let enc = |_| SignatureError::Encoding;
                let v15 = rsa::pkcs1v15::Signature::try_from(sig).map_err(enc)?;
                let pkcs1 = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k.key.clone());
                if pkcs1.verify_prehash(prehash, &v15).is_ok() {
                    return Ok(());
                }
                let pss_sig = rsa::pss::Signature::try_from(sig).map_err(enc)?;
                let pss =
                    rsa::pss::VerifyingKey::<sha2::Sha256>::new_with_auto_salt_len(k.key.clone());
                pss.verify_prehash(prehash, &pss_sig)
                    .map_err(|_| SignatureError::Mismatch)
            }
        }
    }
}

// The tests read a key of every algorithm of the registry.
#[cfg(all(test, feature = "p384", feature = "p521", feature = "rsa"))]
mod tests {
    use super::*;

    fn key(name: &str) -> Result<SigstoreKey, KeyError> {
        let pem = std::fs::read(std::format!(
            "{}/../testdata/sigstore/keys/{name}.pub.pem",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        SigstoreKey::from_pem_or_der(&pem)
    }

    #[test]
    fn registry_keys_and_their_hashes() {
        for (name, shown, hash) in [
            ("signer-p384", "P-384", SigHash::Sha384),
            ("signer-p521", "P-521", SigHash::Sha512),
            ("signer-rsa2048", "RSA-2048", SigHash::Sha256),
            ("signer-rsa3072", "RSA-3072", SigHash::Sha256),
            ("signer-rsa4096", "RSA-4096", SigHash::Sha256),
        ] {
            let k = key(name).unwrap();
            assert_eq!((k.name(), k.sig_hash()), (shown, hash), "{name}");
            // The SPKI round-trips (what a log records).
            assert_eq!(SigstoreKey::from_spki_der(&k.spki_der().unwrap()), Ok(k));
        }
        assert_eq!(key("signer-rsa1024"), Err(KeyError::RsaKeySize));
        // Ed25519 (id-Ed25519 SPKI) is not one of the signing keys here.
        let mut ed = std::vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        ed.extend([7u8; 32]);
        assert_eq!(
            SigstoreKey::from_spki_der(&ed),
            Err(KeyError::UnsupportedKey)
        );
    }

    /// An SPKI for OID 1.2.3 (no key of the registry) of `total` bytes.
    fn spki_of_len(total: usize) -> std::vec::Vec<u8> {
        let bits = total - 14; // 4 + 6 + 4 bytes of headers (long form, 2-byte lengths)
        let mut der = std::vec![0x30, 0x82];
        der.extend(u16::try_from(total - 4).unwrap().to_be_bytes());
        der.extend([0x30, 0x04, 0x06, 0x02, 0x2a, 0x03, 0x03, 0x82]);
        der.extend(u16::try_from(bits).unwrap().to_be_bytes());
        der.push(0);
        der.resize(total, 0x11);
        der
    }

    #[test]
    fn rsa_spki_bound() {
        use crate::limits::MAX_RSA_SPKI_BYTES;
        // At the bound the SPKI is parsed (and is no key of the registry);
        // one byte more is refused before parsing.
        let at = spki_of_len(MAX_RSA_SPKI_BYTES);
        assert_eq!(
            SigstoreKey::from_spki_der(&at),
            Err(KeyError::UnsupportedKey)
        );
        let over = spki_of_len(MAX_RSA_SPKI_BYTES + 1);
        assert_eq!(SigstoreKey::from_spki_der(&over), Err(KeyError::Spki));
        // The registry's largest, RSA-4096, fits with room to spare.
        let rsa4096 = key("signer-rsa4096").unwrap().spki_der().unwrap();
        assert!(
            rsa4096.len() <= MAX_RSA_SPKI_BYTES / 2 + 64,
            "{}",
            rsa4096.len()
        );
    }

    #[test]
    fn rsa_signatures_are_checked_for_length_and_value() {
        let k = key("signer-rsa2048").unwrap();
        let digest = SigHash::Sha256.digest(b"x");
        assert_eq!(
            k.verify_prehash(&digest[..32], &[0u8; 255]),
            Err(SignatureError::Encoding)
        );
        assert_eq!(
            k.verify_prehash(&digest[..32], &[1u8; 256]),
            Err(SignatureError::Mismatch)
        );
    }
}
