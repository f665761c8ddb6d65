//! What the loader reads from a verification for anti-rollback.
//!
//! The loader is generic over the core's [`oms_edge_core::Verifier`]: the
//! firmware builds one verifier from the trust it pins (a compiled-in key,
//! or a compiled-in Sigstore trusted root and identity policy) and hands it
//! to [`crate::Loader::verify_update`]. Each method's evidence says what an
//! update is compared with so that an older one is refused:
//!
//! * key method ([`oms_edge_core::KeyEvidence`]): nothing signed carries a
//!   time, so the model's signed `VERSION` file is compared;
//! * sigstore method (feature `sigstore`,
//!   [`oms_edge_core::SigstoreEvidence`]): the earliest verified signing
//!   time (a Rekor v1 integrated time from its SET, or an RFC 3161 genTime
//!   from a trusted TSA). A later timestamp can be added to an old
//!   signature, an earlier one cannot, and the certificate must be valid at
//!   every one, which keeps them within its minutes. The newest verified
//!   time raises the device's time floor ([`crate::Loader::time`]).

use oms_edge_core::KeyEvidence;

use crate::Refused;

/// The anti-rollback value a verification's evidence provides.
pub trait AntiRollback {
    /// The verified signing time to compare (Unix seconds), or `None` when
    /// the method has none and the model's signed `VERSION` file is
    /// compared instead.
    fn signing_time(&self) -> Result<Option<u64>, Refused>;

    /// The newest verified time (Unix seconds), which raises the device's
    /// time floor; `None` when the method verifies no time.
    fn newest_time(&self) -> Option<u64>;
}

impl AntiRollback for KeyEvidence {
    fn signing_time(&self) -> Result<Option<u64>, Refused> {
        Ok(None)
    }

    fn newest_time(&self) -> Option<u64> {
        None
    }
}

#[cfg(feature = "sigstore")]
impl AntiRollback for oms_edge_core::SigstoreEvidence {
    fn signing_time(&self) -> Result<Option<u64>, Refused> {
        use oms_edge_core::{Error, SigstoreError};
        let earliest = self.earliest_time().ok_or(Refused::Verify(Error::Sigstore(
            SigstoreError::NoObservedTime,
        )))?;
        Ok(Some(earliest.secs()))
    }

    fn newest_time(&self) -> Option<u64> {
        self.times().iter().map(|t| t.time().secs()).max()
    }
}
