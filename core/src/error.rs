//! The top-level [`Error`]: which pipeline step failed, where (the entry
//! or resource index, when there is one), and that step's own error.
//!
//! Each step's module owns its error type, its `Display` and the
//! [`Check`] each variant stands for; this module only gathers them (the
//! `From`s that `?` uses) and never the other way round: no pipeline
//! module depends on this one. No strings are allocated: an error names
//! the step, the index and the check. [`core::fmt::Display`] renders one
//! line; front ends print [`Error::check`] as the stable code.

use core::fmt;

use crate::bundle::BundleError;
use crate::check::Check;
use crate::dsse::DsseError;
use crate::json::Field;
use crate::keys::KeyError;
use crate::manifest::ManifestError;
use crate::model::{ModelError, ModelFailure};
#[cfg(feature = "sigstore")]
use crate::sigstore::{
    SigstoreError, checkpoint::CheckpointError, policy::PolicyError, sct::SctError,
    timestamp::TimestampError, tlog::TlogError, trust_root::TrustRootError,
};
use crate::statement::{PayloadError, StatementError};
#[cfg(feature = "certificate")]
use crate::x509::{CertificateError, ChainError};

/// Any failed check, tagged with the pipeline step that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error {
    /// Step 2: the bundle's structure.
    Bundle(BundleError),
    /// Step 7 (key method), or a signing key of the certificate and
    /// sigstore methods: the key or its binding to the bundle.
    Key(KeyError),
    /// Step 5: the certificate path.
    #[cfg(feature = "certificate")]
    Certificate(CertificateError),
    /// Step 7: the DSSE envelope or its signature.
    Dsse(DsseError),
    /// Step 8a: the statement or predicate as a whole.
    Statement(StatementError),
    /// Step 8b: one resource descriptor.
    Manifest {
        /// Index into `predicate.resources`.
        index: usize,
        /// What is wrong with it.
        cause: ManifestError,
    },
    /// Step 9: the model's bytes for one resource.
    Model {
        /// Index into `predicate.resources`.
        index: usize,
        /// What failed.
        cause: ModelError,
    },
    /// Step 9: the model holds a file that no resource lists (and unsigned
    /// files are not being ignored). The model source knows which file.
    UnsignedFile,
    /// Step 9: the model source failed outside of reading a resource.
    Source(embedded_io::ErrorKind),
    /// The sigstore method as a whole (what no single step owns).
    #[cfg(feature = "sigstore")]
    Sigstore(SigstoreError),
    /// Step 1: the trusted root.
    #[cfg(feature = "sigstore")]
    TrustRoot(TrustRootError),
    /// Step 3: one transparency-log entry.
    #[cfg(feature = "sigstore")]
    Tlog {
        /// Index into `verificationMaterial.tlogEntries`.
        entry: usize,
        /// What failed.
        cause: TlogError,
    },
    /// Step 3: the signed checkpoint of one transparency-log entry.
    #[cfg(feature = "sigstore")]
    Checkpoint {
        /// Index into `verificationMaterial.tlogEntries`.
        entry: usize,
        /// What failed.
        cause: CheckpointError,
    },
    /// Step 4: one RFC 3161 timestamp.
    #[cfg(feature = "sigstore")]
    Timestamp {
        /// Index into `timestampVerificationData.rfc3161Timestamps`.
        index: usize,
        /// What failed.
        cause: TimestampError,
    },
    /// Step 5: the leaf certificate's embedded SCTs.
    #[cfg(feature = "sigstore")]
    Sct(SctError),
    /// Step 6: the identity policy or the Fulcio leaf profile.
    #[cfg(feature = "sigstore")]
    Policy(PolicyError),
}

impl Error {
    /// The stable code of the check that failed (what front ends print).
    pub fn check(&self) -> Check {
        match self {
            Error::Bundle(e) => e.check(),
            Error::Key(e) => e.check(),
            #[cfg(feature = "certificate")]
            Error::Certificate(e) => e.check(),
            Error::Dsse(e) => e.check(),
            Error::Statement(e) => e.check(),
            Error::Manifest { cause, .. } => cause.check(),
            Error::Model { cause, .. } => cause.check(),
            Error::UnsignedFile => Check::ModelUnsignedFile,
            Error::Source(_) => Check::ModelSource,
            #[cfg(feature = "sigstore")]
            Error::Sigstore(e) => e.check(),
            #[cfg(feature = "sigstore")]
            Error::TrustRoot(e) => e.check(),
            #[cfg(feature = "sigstore")]
            Error::Tlog { cause, .. } => cause.check(),
            #[cfg(feature = "sigstore")]
            Error::Checkpoint { cause, .. } => cause.check(),
            #[cfg(feature = "sigstore")]
            Error::Timestamp { cause, .. } => cause.check(),
            #[cfg(feature = "sigstore")]
            Error::Sct(e) => e.check(),
            #[cfg(feature = "sigstore")]
            Error::Policy(e) => e.check(),
        }
    }

    /// The pipeline step that failed, as a short stable word (the part of
    /// [`Error::check`]'s name before the dot).
    pub fn step(&self) -> &'static str {
        self.check().step()
    }

    /// The resource index the error is about, if any.
    pub fn resource_index(&self) -> Option<usize> {
        match self {
            Error::Manifest { index, .. } | Error::Model { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// The JSON member the error is about, if any (a field problem such as
    /// `bundle.field_missing` names the member here).
    pub fn field(&self) -> Option<Field> {
        match self {
            Error::Bundle(e) => e.field(),
            Error::Dsse(e) => e.field(),
            Error::Statement(e) => e.field(),
            Error::Manifest { cause, .. } => cause.field(),
            #[cfg(feature = "sigstore")]
            Error::Tlog { cause, .. } => cause.field(),
            #[cfg(feature = "sigstore")]
            Error::TrustRoot(e) => e.field(),
            _ => None,
        }
    }
}

impl From<BundleError> for Error {
    fn from(e: BundleError) -> Self {
        Error::Bundle(e)
    }
}

impl From<KeyError> for Error {
    fn from(e: KeyError) -> Self {
        Error::Key(e)
    }
}

impl From<DsseError> for Error {
    fn from(e: DsseError) -> Self {
        Error::Dsse(e)
    }
}

impl From<StatementError> for Error {
    fn from(e: StatementError) -> Self {
        Error::Statement(e)
    }
}

impl From<PayloadError> for Error {
    fn from(e: PayloadError) -> Self {
        match e {
            PayloadError::Statement(e) => Error::Statement(e),
            PayloadError::Resource(index, cause) => Error::Manifest { index, cause },
        }
    }
}

impl From<ModelFailure> for Error {
    fn from(e: ModelFailure) -> Self {
        match e {
            ModelFailure::Resource { index, cause } => Error::Model { index, cause },
            ModelFailure::UnsignedFile => Error::UnsignedFile,
            ModelFailure::Source(kind) => Error::Source(kind),
            ModelFailure::Manifest { index, cause } => Error::Manifest { index, cause },
        }
    }
}

#[cfg(feature = "certificate")]
impl From<CertificateError> for Error {
    fn from(e: CertificateError) -> Self {
        Error::Certificate(e)
    }
}

#[cfg(feature = "certificate")]
impl From<ChainError> for Error {
    fn from(e: ChainError) -> Self {
        match e {
            ChainError::Path(e) => Error::Certificate(e),
            ChainError::LeafKey(e) => Error::Key(e),
        }
    }
}

#[cfg(feature = "sigstore")]
impl From<SigstoreError> for Error {
    fn from(e: SigstoreError) -> Self {
        Error::Sigstore(e)
    }
}

#[cfg(feature = "sigstore")]
impl From<TrustRootError> for Error {
    fn from(e: TrustRootError) -> Self {
        Error::TrustRoot(e)
    }
}

#[cfg(feature = "sigstore")]
impl From<SctError> for Error {
    fn from(e: SctError) -> Self {
        Error::Sct(e)
    }
}

#[cfg(feature = "sigstore")]
impl From<PolicyError> for Error {
    fn from(e: PolicyError) -> Self {
        Error::Policy(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Bundle(e) => e.fmt(f),
            Error::Key(e) => e.fmt(f),
            #[cfg(feature = "certificate")]
            Error::Certificate(e) => write!(f, "x509: {e}"),
            Error::Dsse(e) => e.fmt(f),
            Error::Statement(e) => e.fmt(f),
            Error::Manifest { cause, .. } => cause.fmt(f),
            Error::Model { cause, .. } => cause.fmt(f),
            Error::UnsignedFile => f.write_str("file is not in the signed manifest"),
            Error::Source(kind) => write!(f, "model source failed ({kind:?})"),
            #[cfg(feature = "sigstore")]
            Error::Sigstore(e) => write!(f, "sigstore: {e}"),
            #[cfg(feature = "sigstore")]
            Error::TrustRoot(e) => e.fmt(f),
            #[cfg(feature = "sigstore")]
            Error::Tlog { entry, cause } => write!(f, "tlogEntries[{entry}]: {cause}"),
            #[cfg(feature = "sigstore")]
            Error::Checkpoint { entry, cause } => write!(f, "tlogEntries[{entry}]: {cause}"),
            #[cfg(feature = "sigstore")]
            Error::Timestamp { index, cause } => write!(f, "rfc3161Timestamps[{index}]: {cause}"),
            #[cfg(feature = "sigstore")]
            Error::Sct(e) => e.fmt(f),
            #[cfg(feature = "sigstore")]
            Error::Policy(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for Error {}
