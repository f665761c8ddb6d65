//! The `certificate` method (feature `certificate`): a bundle signed with a
//! key whose X.509 certificate chains to a root the caller pins (OMS §4.1,
//! §8.2).
//!
//! Checks, in order:
//! 1. the bundle's structure (`crate::bundle`), with
//!    `x509CertificateChain` material;
//! 2. a verification time: [`Time::NoClock`] fails here
//!    (`x509.no_verification_time`), since no certificate's validity can be
//!    checked without one;
//! 3. every `certificates[].rawBytes` is base64 DER X.509, at most
//!    `limits::MAX_CHAIN_CERTS` of them;
//! 4. the path from the leaf to a pinned root, valid at the verification
//!    time (`crate::x509`, RFC 5280 §6.1), and the leaf's EC key;
//! 5. the leaf's subject, SANs and extended key usages, as the caller's
//!    [`LeafPolicy`] requires (none by default; `crate::x509::leaf`);
//! 6. the DSSE envelope verifies with the leaf's key (`crate::dsse`; the
//!    pre-1.0 PAE with SHA-256, as the reference retries for this method);
//! 7. only then is the payload parsed (`crate::statement`).

use alloc::vec::Vec;

use crate::bundle::{Bundle, BundleError, Material, MaterialKind};
use crate::dsse::{CompatHash, verify_envelope};
use crate::error::Error;
use crate::json::{Field, decode_base64};
use crate::keys::{KeyAlgorithm, PublicKey};
use crate::limits::MAX_CHAIN_CERTS;
use crate::statement;
use crate::time::{Time, UnixTime};
use crate::x509::{
    Cert, CertPosition, CertificateError, LeafIdentity, LeafPolicy, TrustStore, position_u8,
    validate_chain,
};

use super::{Verified, Verifier};

/// Verifies certificate-signed bundles against pinned roots and
/// intermediates.
#[derive(Debug, Clone)]
pub struct CertificateVerifier {
    store: TrustStore,
    leaf: LeafPolicy,
}

impl CertificateVerifier {
    /// A verifier that trusts `store`'s roots (its self-signed
    /// certificates), completing paths with its intermediates, and admits
    /// any leaf that chains to them.
    pub fn new(store: TrustStore) -> Self {
        Self::with_leaf_policy(store, LeafPolicy::default())
    }

    /// As [`CertificateVerifier::new`], admitting only leaves `leaf`
    /// admits (check 5 of the module docs).
    pub fn with_leaf_policy(store: TrustStore, leaf: LeafPolicy) -> Self {
        Self { store, leaf }
    }

    /// The trust store.
    pub fn trust_store(&self) -> &TrustStore {
        &self.store
    }

    /// What the leaf must be.
    pub fn leaf_policy(&self) -> &LeafPolicy {
        &self.leaf
    }
}

/// What a certificate-method verification proved besides the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateEvidence {
    path_len: usize,
    leaf_key: PublicKey,
    leaf: LeafIdentity,
    validated_at: UnixTime,
}

impl CertificateEvidence {
    /// How many certificates the validated path holds, leaf and root
    /// included.
    pub fn path_len(&self) -> usize {
        self.path_len
    }

    /// The leaf key's algorithm.
    pub fn leaf_key(&self) -> KeyAlgorithm {
        self.leaf_key.algorithm()
    }

    /// The leaf's public key (what signed the envelope).
    pub fn leaf_public_key(&self) -> &PublicKey {
        &self.leaf_key
    }

    /// Who the leaf names.
    pub fn leaf(&self) -> &LeafIdentity {
        &self.leaf
    }

    /// The time every certificate of the path was valid at.
    pub fn validated_at(&self) -> UnixTime {
        self.validated_at
    }
}

impl Verifier for CertificateVerifier {
    type Evidence = CertificateEvidence;

    /// Checks 1–7 of the module docs.
    // A build with no curve has no leaf key to verify with (the leaf's key
    // fails as unsupported before step 6).
    #[cfg_attr(
        not(any(feature = "p256", feature = "p384", feature = "p521")),
        allow(unreachable_code)
    )]
    fn verify<'p>(
        &self,
        bundle: &[u8],
        time: Time,
        payload_buf: &'p mut [u8],
    ) -> Result<Verified<'p, CertificateEvidence>, Error> {
        // 1.
        let parsed = Bundle::parse(bundle)?;
        let Material::X509CertificateChain { certificates } =
            parsed.expect_material(MaterialKind::X509CertificateChain)?
        else {
            return Err(CertificateError::EmptyChain.into());
        };
        // 2.
        let now = time.now().ok_or(CertificateError::NoVerificationTime)?;
        // 3.
        let mut chain = Vec::new();
        for (i, item) in certificates.iter().enumerate() {
            if i >= MAX_CHAIN_CERTS {
                return Err(CertificateError::ChainTooLong.into());
            }
            let at = CertPosition::Bundle(position_u8(i));
            let encoding = CertificateError::Encoding { at };
            let item = item.map_err(BundleError::Json)?;
            let raw = item
                .object()
                .ok()
                .and_then(|o| o.get("rawBytes").ok().flatten())
                .and_then(|v| v.str().ok())
                .ok_or(encoding)?;
            let mut buf = alloc::vec![0u8; raw.raw().len()];
            let der = decode_base64(raw, &mut buf, Field::Certificates).map_err(|_| encoding)?;
            chain.push(Cert::from_der(der).ok_or(encoding)?);
        }
        // 4.
        let (key, path_len) = validate_chain(&chain, &self.store, now)?;
        // 5.
        let leaf = chain.first().ok_or(CertificateError::EmptyChain)?;
        let leaf = self.leaf.check(leaf)?;
        drop(chain);
        // 6.
        let payload = verify_envelope(
            parsed.envelope()?,
            &key,
            Some(CompatHash::Sha256),
            payload_buf,
        )?;
        let evidence = CertificateEvidence {
            path_len,
            leaf_key: key,
            leaf,
            validated_at: now,
        };
        // 7.
        Ok(Verified::new(statement::parse(payload)?, evidence))
    }
}

#[cfg(test)]
mod tests;
