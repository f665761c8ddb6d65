//! Why an update was refused. Every variant names one check; the firmware
//! prints [`Refused::check`] and the [`core::fmt::Display`] text.

use core::fmt;

/// The package (ustar) is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageError {
    /// Reading the staging area (or the slot) failed.
    Read,
    /// The archive ends before its end-of-archive marker, or a member runs
    /// past the region.
    Truncated,
    /// A header block is malformed (name, size, checksum field, end marker).
    BadHeader {
        /// Its offset in the package.
        at: u32,
    },
    /// A header is not a POSIX ustar header.
    NotUstar {
        /// Its offset in the package.
        at: u32,
    },
    /// A header's checksum does not match.
    BadChecksum {
        /// Its offset in the package.
        at: u32,
    },
    /// A member is not a regular file (link, directory, extension header).
    NotAFile {
        /// Its offset in the package.
        at: u32,
    },
    /// The first member is not `model.sig`.
    NoBundle,
    /// `model.sig` is larger than the bundle buffer.
    BundleTooLarge,
    /// A model file is not where the manifest order puts it (the package
    /// must hold the files in manifest order, each once).
    OutOfOrder,
    /// The package does not fit in a slot.
    TooLarge,
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read => f.write_str("reading the package failed"),
            Self::Truncated => f.write_str("the package is truncated"),
            Self::BadHeader { at } => write!(f, "malformed tar header at offset {at}"),
            Self::NotUstar { at } => write!(f, "not a ustar header at offset {at}"),
            Self::BadChecksum { at } => write!(f, "tar header checksum mismatch at offset {at}"),
            Self::NotAFile { at } => write!(f, "member at offset {at} is not a regular file"),
            Self::NoBundle => f.write_str("the first member is not model.sig"),
            Self::BundleTooLarge => f.write_str("model.sig is larger than the bundle buffer"),
            Self::OutOfOrder => f.write_str("a model file is not in manifest order"),
            Self::TooLarge => f.write_str("the package does not fit in a slot"),
        }
    }
}

/// The flash failed (erase, write or read of the slots or state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlashError(pub embedded_storage::nor_flash::NorFlashErrorKind);

/// Why an update was refused (or a slot did not verify at boot). The active
/// model is untouched by any of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The package's structure.
    Package(PackageError),
    /// A check of the OMS verifier (signature, manifest, a file's digest, a
    /// missing or unsigned file).
    Verify(oms_edge_core::Error),
    /// The slot or state flash failed.
    Flash(FlashError),
    /// The signed statement has no root digest (v0.1 predicate).
    NoRootDigest,
    /// The verified model has no `VERSION` file (key method).
    NoVersion,
    /// `VERSION` is not a decimal number.
    BadVersion,
    /// Anti-rollback: the package is older than the confirmed model.
    Rollback {
        /// The confirmed model's version (or signing time).
        confirmed: u64,
        /// The package's.
        offered: u64,
    },
    /// The bytes read back from the slot differ from the verified ones.
    AtRest,
    /// The state changed between verification and commit.
    StaleToken,
    /// The state record sequence number is exhausted.
    SequenceExhausted,
    /// The layout does not fit the flash (alignment, sizes).
    Layout,
}

impl Refused {
    /// A stable short name of the failed check.
    pub fn check(&self) -> &'static str {
        match self {
            Self::Package(_) => "package",
            Self::Verify(e) => e.step(),
            Self::Flash(_) => "flash",
            Self::NoRootDigest => "statement",
            Self::NoVersion | Self::BadVersion => "version",
            Self::Rollback { .. } => "rollback",
            Self::AtRest => "at-rest",
            Self::StaleToken => "stale-token",
            Self::SequenceExhausted => "state",
            Self::Layout => "layout",
        }
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Package(e) => write!(f, "package: {e}"),
            Self::Verify(e) => write!(f, "{e}"),
            Self::Flash(FlashError(k)) => write!(f, "flash: {k:?}"),
            Self::NoRootDigest => f.write_str("the signed statement has no root digest"),
            Self::NoVersion => f.write_str("the signed model has no VERSION file"),
            Self::BadVersion => f.write_str("VERSION is not a decimal number"),
            Self::Rollback { confirmed, offered } => write!(
                f,
                "rollback: package version {offered} is older than the confirmed {confirmed}"
            ),
            Self::AtRest => f.write_str("the slot does not hold the verified bytes"),
            Self::StaleToken => f.write_str("the state changed since verification"),
            Self::SequenceExhausted => f.write_str("state sequence number exhausted"),
            Self::Layout => f.write_str("the slot layout does not fit the flash"),
        }
    }
}

impl From<PackageError> for Refused {
    fn from(e: PackageError) -> Self {
        Self::Package(e)
    }
}

impl From<oms_edge_core::Error> for Refused {
    fn from(e: oms_edge_core::Error) -> Self {
        Self::Verify(e)
    }
}

impl<E: embedded_storage::nor_flash::NorFlashError> From<FlashErr<E>> for Refused {
    fn from(e: FlashErr<E>) -> Self {
        Self::Flash(FlashError(e.0.kind()))
    }
}

/// Wraps a flash driver's error for `?`.
#[derive(Debug)]
pub(crate) struct FlashErr<E>(pub E);
