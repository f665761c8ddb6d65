//! What the loader trusts, fixed when the firmware is built.
//!
//! * [`KeyTrust`]: a compiled-in public key (OMS `key` method). Nothing is
//!   allocated. Anti-rollback uses the model's signed `VERSION` file.
//! * `SigstoreTrust` (feature `sigstore`): a compiled-in Sigstore trusted
//!   root and a fixed identity and issuer. Anti-rollback uses the earliest
//!   verified signing time (Rekor v1 integrated time from its SET, or an
//!   RFC 3161 genTime from a trusted TSA).

use oms_edge_core::keys::PublicKey;
use oms_edge_core::manifest::VerifiedManifest;

/// A way to authenticate a bundle against the pinned trust. Sealed: only
/// the loader's own methods exist.
pub trait Trust: sealed::Sealed {
    /// Authenticates `bundle` and returns its manifest, and the verified
    /// signing time when the method uses it for anti-rollback (`None`: the
    /// model's `VERSION` file is used).
    fn authenticate<'p>(
        &self,
        bundle: &[u8],
        payload: &'p mut [u8],
    ) -> Result<(VerifiedManifest<'p>, Option<u64>), oms_edge_core::Error>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::KeyTrust {}
    #[cfg(feature = "sigstore")]
    impl Sealed for super::SigstoreTrust<'_> {}
}

/// The key method: one pinned public key.
#[derive(Debug, Clone, Copy)]
pub struct KeyTrust(pub PublicKey);

impl Trust for KeyTrust {
    fn authenticate<'p>(
        &self,
        bundle: &[u8],
        payload: &'p mut [u8],
    ) -> Result<(VerifiedManifest<'p>, Option<u64>), oms_edge_core::Error> {
        Ok((
            oms_edge_core::verify_key_bundle(bundle, &self.0, payload)?,
            None,
        ))
    }
}

/// The sigstore method: a pinned trusted root and identity policy.
#[cfg(feature = "sigstore")]
#[derive(Debug)]
pub struct SigstoreTrust<'r> {
    /// The trusted root (e.g. `TrustedRoot::production()`).
    pub root: &'r oms_edge_core::trust_root::TrustedRoot,
    /// The signer's identity (certificate SAN), exactly.
    pub identity: &'r str,
    /// The OIDC issuer, exactly.
    pub issuer: &'r str,
    /// The device has no trusted clock: an upper bound on signing times
    /// (e.g. when the firmware was built).
    pub now: oms_edge_core::x509::UnixTime,
}

#[cfg(feature = "sigstore")]
impl Trust for SigstoreTrust<'_> {
    fn authenticate<'p>(
        &self,
        bundle: &[u8],
        payload: &'p mut [u8],
    ) -> Result<(VerifiedManifest<'p>, Option<u64>), oms_edge_core::Error> {
        use oms_edge_core::sigstore::{Signer, SigstoreError, verify_sigstore_bundle};
        let signer = Signer::Identity {
            identity: self.identity,
            issuer: self.issuer,
        };
        let (manifest, evidence) =
            verify_sigstore_bundle(bundle, self.root, signer, self.now, payload)?;
        // The earliest verified time: a later timestamp can be added to an
        // old signature, an earlier one cannot (and the certificate must be
        // valid at every one, which keeps them within its minutes).
        let time =
            evidence
                .times
                .iter()
                .map(|t| t.unix())
                .min()
                .ok_or(oms_edge_core::Error::Sigstore(
                    SigstoreError::NoObservedTime,
                ))?;
        Ok((manifest, Some(time)))
    }
}
