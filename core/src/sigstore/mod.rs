//! Everything only the `sigstore` method needs (feature `sigstore`), one
//! module per step, in pipeline order:
//!
//! | step | module | checks |
//! |---|---|---|
//! | 1 | `trust_root` | the pinned trusted root: CAs, logs, TSAs and their windows |
//! | 3 | `tlog` (`merkle`, `checkpoint`) | each log entry bound to the bundle; SET; RFC 6962 inclusion proof; signed checkpoint |
//! | 4 | `timestamp` | RFC 3161 timestamps from trusted TSAs |
//! | 5 | `sct` (with `crate::x509`) | the Fulcio leaf chains at every observed time; embedded SCTs |
//! | 6 | `policy` | the signer's identity and the Fulcio leaf profile |
//! | 7 | `registry`, `logkey` | the keys of the Sigstore algorithm registry and of the trusted services |
//!
//! The order the steps run in, and what the method as a whole checks
//! (the [`SigstoreError`]s), is `SigstoreVerifier`'s (`crate::verify`).

use core::fmt;

use crate::check::Check;
use crate::keys::{Digests, SigHash};
use crate::time::UnixTime;

pub(crate) mod checkpoint;
pub(crate) mod logkey;
pub(crate) mod merkle;
pub(crate) mod policy;
pub(crate) mod registry;
pub(crate) mod sct;
pub(crate) mod timestamp;
pub(crate) mod tlog;
pub(crate) mod trust_root;

/// The step-level failures of the sigstore method (those the modules of
/// the individual checks do not own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SigstoreError {
    /// Keyless verification needs a certificate in the bundle.
    NoCertificate,
    /// A v0.3 bundle carries its keyless certificate as `certificate`, not
    /// `x509CertificateChain`.
    ChainInV03,
    /// A managed key needs `publicKey` material.
    NotKeyMaterial,
    /// The bundle has no transparency-log entry.
    NoTlogEntry,
    /// No verified time: no SET-verified entry and no trusted timestamp.
    NoObservedTime,
    /// A Rekor v2 entry has no integrated time: a trusted timestamp is
    /// required.
    NoTimestamp,
    /// No trusted Fulcio CA was valid at an observed time.
    NoCaAtTime,
    /// `messageDigest` is not a SHA2_256, SHA2_384 or SHA2_512 digest of
    /// that hash's length.
    UnsupportedDigest,
    /// The artifact's digest under a hash the bundle needs is not known
    /// (only its SHA-256 was given, `sha256:<hex>`).
    DigestUnavailable,
    /// `messageDigest` is not the artifact's digest.
    ArtifactDigestMismatch,
    /// No in-toto subject of the DSSE statement has the artifact's digest.
    SubjectMismatch,
    /// The signature does not verify over the artifact.
    BadMessageSignature,
    /// A certificate of the Fulcio CA's chain has an extKeyUsage that
    /// allows neither codeSigning nor any purpose (Go's x509, which
    /// sigstore-go verifies with, refuses a codeSigning leaf under it).
    CaEkuNotCodeSigning,
}

impl SigstoreError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            Self::NoCertificate => Check::SigstoreNoCertificate,
            Self::ChainInV03 => Check::SigstoreChainInV03,
            Self::NotKeyMaterial => Check::SigstoreNotKeyMaterial,
            Self::NoTlogEntry => Check::SigstoreNoTlogEntry,
            Self::NoObservedTime => Check::SigstoreNoObservedTime,
            Self::NoTimestamp => Check::SigstoreNoTimestamp,
            Self::NoCaAtTime => Check::SigstoreNoCaAtTime,
            Self::UnsupportedDigest => Check::SigstoreUnsupportedDigest,
            Self::DigestUnavailable => Check::SigstoreDigestUnavailable,
            Self::ArtifactDigestMismatch => Check::SigstoreArtifactDigestMismatch,
            Self::SubjectMismatch => Check::SigstoreSubjectMismatch,
            Self::BadMessageSignature => Check::SigstoreBadMessageSignature,
            Self::CaEkuNotCodeSigning => Check::SigstoreCaEkuNotCodeSigning,
        }
    }
}

impl fmt::Display for SigstoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoCertificate => "keyless verification needs a certificate in the bundle",
            Self::ChainInV03 => {
                "a v0.3 bundle must carry its certificate as `certificate`, not `x509CertificateChain`"
            }
            Self::NotKeyMaterial => "a managed key needs publicKey material in the bundle",
            Self::NoTlogEntry => "the bundle has no transparency-log entry",
            Self::NoObservedTime => {
                "no verified time: neither a signed entry timestamp nor a trusted RFC 3161 timestamp"
            }
            Self::NoTimestamp => "a Rekor v2 entry needs a trusted RFC 3161 timestamp",
            Self::NoCaAtTime => "no trusted Fulcio CA was valid at the signing time",
            Self::UnsupportedDigest => {
                "messageDigest is not a SHA2_256, SHA2_384 or SHA2_512 digest"
            }
            Self::DigestUnavailable => {
                "the artifact's digest under the hash the bundle needs is not known (give the artifact itself, not its sha256)"
            }
            Self::ArtifactDigestMismatch => "messageDigest is not the artifact's digest",
            Self::SubjectMismatch => "no in-toto subject has the artifact's digest",
            Self::BadMessageSignature => "the signature does not verify over the artifact",
            Self::CaEkuNotCodeSigning => {
                "a certificate of the Fulcio CA's chain does not allow codeSigning (extKeyUsage)"
            }
        })
    }
}

/// A time an independent service vouched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ObservedTime {
    /// A Rekor v1 entry's integrated time, from its verified SET.
    Tlog(UnixTime),
    /// An RFC 3161 timestamp's genTime (whole seconds, any fraction cut
    /// off).
    Timestamp(UnixTime),
}

impl ObservedTime {
    /// The time.
    pub fn time(&self) -> UnixTime {
        match *self {
            ObservedTime::Tlog(t) | ObservedTime::Timestamp(t) => t,
        }
    }
}

/// The artifact a `messageSignature` or an in-toto subject must match, as
/// its digests: asked for under the hashes the bundle needs (the signing
/// key's, the one `messageDigest` names, the ones the subjects name).
pub trait Artifact {
    /// The artifact's digest under `hash`, in the first [`SigHash::len`]
    /// bytes, or `None` when it is not known.
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]>;
}

impl<A: Artifact + ?Sized> Artifact for &mut A {
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]> {
        (**self).digest(hash)
    }
}

/// An artifact known only by its SHA-256 (`sha256:<hex>`).
#[derive(Debug, Clone, Copy)]
pub struct ArtifactDigest(pub [u8; 32]);

impl Artifact for ArtifactDigest {
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]> {
        let mut out = [0u8; 64];
        out.get_mut(..32)?.copy_from_slice(&self.0);
        (hash == SigHash::Sha256).then_some(out)
    }
}

/// An artifact with the digests recorded in a [`Digests`] (all three for
/// one held in memory: [`Digests::of`]).
impl Artifact for Digests {
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]> {
        let d = self.get(hash)?;
        let mut out = [0u8; 64];
        out.get_mut(..d.len())?.copy_from_slice(d);
        Some(out)
    }
}
