//! Step 1: a pinned Sigstore trusted root (`trusted_root.json`,
//! `sigstore_trustroot.proto`): the Fulcio certificate authorities, the
//! Rekor transparency logs, the CT logs and the timestamp authorities, each
//! with the window in which it may be trusted.

use alloc::string::String;
use alloc::vec::Vec;

use crate::logkey::LogKey;

/// A validity window in Unix seconds; both ends inclusive. A missing end
/// is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TimeRange {
    /// `validFor.start`.
    pub start: Option<u64>,
    /// `validFor.end`.
    pub end: Option<u64>,
}

impl TimeRange {
    /// Whether `t` lies in the window (ends inclusive).
    pub fn contains(&self, t: u64) -> bool {
        self.start.is_none_or(|s| s <= t) && self.end.is_none_or(|e| t <= e)
    }
}

/// A transparency log: a Rekor instance (`tlogs`) or a CT log (`ctlogs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransparencyLog {
    /// `baseUrl`; for Rekor v2 logs the checkpoint origin is its host part.
    pub base_url: String,
    /// The log's key.
    pub key: LogKey,
    /// `publicKey.validFor`.
    pub valid_for: TimeRange,
    /// `logId.keyId` (decoded): for Rekor v1 and CT, SHA-256 of the key's
    /// DER SubjectPublicKeyInfo.
    pub log_id: Vec<u8>,
}

/// A certificate authority: Fulcio (`certificateAuthorities`) or a TSA
/// (`timestampAuthorities`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateAuthority {
    /// `uri`.
    pub uri: String,
    /// `certChain.certificates` (decoded DER), in file order: issuing
    /// certificate first, root last.
    pub chain: Vec<Vec<u8>>,
    /// `validFor`.
    pub valid_for: TimeRange,
}

/// A parsed trusted root.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustedRoot {
    /// Rekor logs.
    pub tlogs: Vec<TransparencyLog>,
    /// Certificate-transparency logs.
    pub ctlogs: Vec<TransparencyLog>,
    /// Fulcio CAs.
    pub certificate_authorities: Vec<CertificateAuthority>,
    /// RFC 3161 timestamp authorities.
    pub timestamp_authorities: Vec<CertificateAuthority>,
}
