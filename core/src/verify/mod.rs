//! One verifier API for the three OMS signing methods.
//!
//! Each method is a type built once from its trust material, then used for
//! any number of bundles through the one [`Verifier`] trait:
//!
//! | method | type | trust material | evidence |
//! |---|---|---|---|
//! | `key` | [`KeyVerifier`] | a pinned public key | [`KeyEvidence`] |
//! | `certificate` | `CertificateVerifier` | pinned roots and intermediates (`TrustStore`) | `CertificateEvidence` |
//! | `sigstore` | `SigstoreVerifier` | a trusted root and an identity policy, or a managed key | `SigstoreEvidence` |
//!
//! [`Verifier::verify`] authenticates the bundle and only then parses the
//! signed statement into a `VerifiedManifest` (steps 2 to 8); the caller
//! then streams the model through it (step 9, `VerifiedManifest::verify_model`
//! or the `Planner`/`Tally` split). The time is an explicit input
//! ([`Time`], which can say "no clock"): see each verifier for what it
//! does with it.

use crate::error::Error;
use crate::manifest::VerifiedManifest;
use crate::time::Time;

#[cfg(feature = "certificate")]
mod certificate;
mod inspect;
mod key;
#[cfg(feature = "sigstore")]
mod sigstore;

#[cfg(feature = "certificate")]
pub use certificate::{CertificateEvidence, CertificateVerifier};
pub use inspect::UnverifiedBundle;
pub use key::{KeyEvidence, KeyVerifier};
#[cfg(feature = "sigstore")]
pub use sigstore::{SigstoreEvidence, SigstoreVerifier, VerifiedLogEntry};

/// Verifies OMS bundles against trust material fixed when the verifier was
/// built.
pub trait Verifier {
    /// What a successful verification proved besides the manifest (who
    /// signed, with which key, at which times).
    type Evidence;

    /// Authenticates `bundle` at `time`, then parses its signed statement.
    ///
    /// `payload_buf` receives the decoded payload (the statement the
    /// returned manifest borrows); it must be at least as long as the
    /// payload's base64 text, which the bundle's length always is.
    fn verify<'p>(
        &self,
        bundle: &[u8],
        time: Time,
        payload_buf: &'p mut [u8],
    ) -> Result<Verified<'p, Self::Evidence>, Error>;
}

/// A verified bundle: its authenticated manifest and the evidence of how
/// it was authenticated. Only a [`Verifier`] of this crate makes one.
#[derive(Debug, Clone)]
pub struct Verified<'p, E> {
    manifest: VerifiedManifest<'p>,
    evidence: E,
}

impl<'p, E> Verified<'p, E> {
    pub(crate) fn new(manifest: VerifiedManifest<'p>, evidence: E) -> Self {
        Self { manifest, evidence }
    }

    /// The authenticated manifest: check the model with it.
    pub fn manifest(&self) -> &VerifiedManifest<'p> {
        &self.manifest
    }

    /// What the verification proved besides the manifest.
    pub fn evidence(&self) -> &E {
        &self.evidence
    }

    /// The manifest and the evidence, apart.
    pub fn into_parts(self) -> (VerifiedManifest<'p>, E) {
        (self.manifest, self.evidence)
    }
}
