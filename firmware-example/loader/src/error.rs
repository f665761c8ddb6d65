//! Why an update was refused. Every variant names one check, with a stable
//! number and name ([`Refused::code`], [`Refused::name`]): the core's
//! [`oms_edge_core::Check`] for a verification failure, the loader's own
//! (codes 9000 and up, which the core never uses) for the rest. The
//! firmware prints the code and name only, so no `core::fmt` text is
//! linked; [`core::fmt::Display`] is for hosts.

use core::fmt;

/// The package (ustar) is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageError {
    /// Reading the package (or the slot) failed.
    Read,
    /// The package ends before its end-of-archive marker, or a member runs
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
    /// A model file is not where the manifest order puts it (at rest: the
    /// slot holds the files in manifest order, each once).
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
    /// The verified model has no `VERSION` file right after `model.sig`
    /// (key method).
    NoVersion,
    /// `VERSION` is not a decimal number, or its signed digest is not one
    /// file's.
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
    /// The active model is on trial: confirm it (`mark_good`) or let the
    /// next boot revert it before updating again.
    TrialPending,
    /// The layout does not fit the flash (alignment, sizes), or a buffer
    /// is too small.
    Layout,
    /// The TUF client refused the trust package (the core's `tuf.*`
    /// check; [`oms_edge_core::tuf::TufError::role`] names the role).
    #[cfg(feature = "tuf")]
    Tuf(oms_edge_core::tuf::TufError),
    /// No trust state in flash yet: the sigstore method has no trusted
    /// root until a trust package is applied.
    NoTrust,
    /// A trust package member is not one of `N.root.json`,
    /// `timestamp.json`, `snapshot.json`, `targets.json`,
    /// `trusted_root.json` in this order, or one is missing.
    TrustPackage,
    /// The trust package's timestamp is the held one: nothing newer.
    TrustUnchanged,
    /// A trust package member, or the new trust state, does not fit.
    TrustTooLarge,
    /// The newest committed trust area is damaged: its commit record is
    /// valid but its files do not match it (damage at rest, or
    /// tampering; no power cut leaves this). The older area is not used
    /// (that would roll the trust state back): sigstore models and trust
    /// packages are refused until the device is re-provisioned
    /// (`Loader::erase_trust` with feature `tuf`, then a trust package).
    TrustDamaged {
        /// The damaged area (0 or 1).
        area: u8,
    },
}

impl PackageError {
    fn index(&self) -> u16 {
        match self {
            Self::Read => 0,
            Self::Truncated => 1,
            Self::BadHeader { .. } => 2,
            Self::NotUstar { .. } => 3,
            Self::BadChecksum { .. } => 4,
            Self::NotAFile { .. } => 5,
            Self::NoBundle => 6,
            Self::BundleTooLarge => 7,
            Self::OutOfOrder => 8,
            Self::TooLarge => 9,
        }
    }
}

/// The loader's own check names, by code (9000 and up: the core's `Check`
/// codes stay below). The firmware prints codes only, so these strings
/// are linked only where names are printed.
const NAMES: [(u16, &str); 25] = [
    (9000, "package.read"),
    (9001, "package.truncated"),
    (9002, "package.bad_header"),
    (9003, "package.not_ustar"),
    (9004, "package.bad_checksum"),
    (9005, "package.not_a_file"),
    (9006, "package.no_bundle"),
    (9007, "package.bundle_too_large"),
    (9008, "package.out_of_order"),
    (9009, "package.too_large"),
    (9100, "flash.error"),
    (9101, "loader.layout"),
    (9200, "loader.no_root_digest"),
    (9201, "loader.no_version"),
    (9202, "loader.bad_version"),
    (9203, "loader.rollback"),
    (9204, "loader.at_rest"),
    (9205, "loader.stale_token"),
    (9206, "loader.sequence_exhausted"),
    (9207, "loader.trial_pending"),
    (9208, "loader.no_trust"),
    (9209, "loader.trust_package"),
    (9210, "loader.trust_unchanged"),
    (9211, "loader.trust_too_large"),
    (9212, "loader.trust_damaged"),
];

impl Refused {
    /// The stable number of the failed check: the core's
    /// [`oms_edge_core::Check::code`], or the loader's (9000 and up).
    pub fn code(&self) -> u16 {
        match self {
            Self::Package(e) => 9000u16.saturating_add(e.index()),
            Self::Verify(e) => e.check().code(),
            Self::Flash(_) => 9100,
            Self::Layout => 9101,
            Self::NoRootDigest => 9200,
            Self::NoVersion => 9201,
            Self::BadVersion => 9202,
            Self::Rollback { .. } => 9203,
            Self::AtRest => 9204,
            Self::StaleToken => 9205,
            Self::SequenceExhausted => 9206,
            Self::TrialPending => 9207,
            #[cfg(feature = "tuf")]
            Self::Tuf(e) => e.check().code(),
            Self::NoTrust => 9208,
            Self::TrustPackage => 9209,
            Self::TrustUnchanged => 9210,
            Self::TrustTooLarge => 9211,
            Self::TrustDamaged { .. } => 9212,
        }
    }

    /// The stable name of the failed check (`model.digest_mismatch`,
    /// `loader.rollback`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Verify(e) => e.check().as_str(),
            #[cfg(feature = "tuf")]
            Self::Tuf(e) => e.check().as_str(),
            _ => name_of(self.code()).unwrap_or("loader.unknown"),
        }
    }

    /// The step that failed: the name up to its first `.` (`model`,
    /// `dsse`, `package`, `loader`, ...).
    pub fn check(&self) -> &'static str {
        let name = self.name();
        name.split_once('.').map_or(name, |(step, _)| step)
    }
}

/// The name of the loader's check `code` (9000 and up).
pub fn name_of(code: u16) -> Option<&'static str> {
    NAMES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Package(e) => write!(f, "package: {e}"),
            Self::Verify(e) => write!(f, "{e}"),
            Self::Flash(FlashError(k)) => write!(f, "flash: {k:?}"),
            Self::NoRootDigest => f.write_str("the signed statement has no root digest"),
            Self::NoVersion => f.write_str("the signed model has no VERSION file after model.sig"),
            Self::BadVersion => f.write_str("VERSION is not a decimal number"),
            Self::Rollback { confirmed, offered } => write!(
                f,
                "rollback: package version {offered} is older than the confirmed {confirmed}"
            ),
            Self::AtRest => f.write_str("the slot does not hold the verified bytes"),
            Self::StaleToken => f.write_str("the state changed since verification"),
            Self::SequenceExhausted => f.write_str("state sequence number exhausted"),
            Self::TrialPending => {
                f.write_str("the active model is on trial: confirm or revert it first")
            }
            Self::Layout => f.write_str("the slot layout does not fit the flash"),
            #[cfg(feature = "tuf")]
            Self::Tuf(e) => write!(f, "trust package: {e}"),
            Self::NoTrust => f.write_str("no trust state: apply a trust package first"),
            Self::TrustPackage => f.write_str(
                "a trust package holds N.root.json..., timestamp.json, snapshot.json, targets.json, trusted_root.json in this order",
            ),
            Self::TrustUnchanged => {
                f.write_str("the trust package's timestamp is the held one: nothing newer")
            }
            Self::TrustTooLarge => f.write_str("a trust package member or the trust state does not fit"),
            Self::TrustDamaged { area } => write!(
                f,
                "trust area {area} is committed but its files do not match its record: re-provision the trust state"
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_codes_are_unique_and_above_the_core() {
        let all = [
            Refused::Package(PackageError::Read),
            Refused::Package(PackageError::Truncated),
            Refused::Package(PackageError::BadHeader { at: 0 }),
            Refused::Package(PackageError::NotUstar { at: 0 }),
            Refused::Package(PackageError::BadChecksum { at: 0 }),
            Refused::Package(PackageError::NotAFile { at: 0 }),
            Refused::Package(PackageError::NoBundle),
            Refused::Package(PackageError::BundleTooLarge),
            Refused::Package(PackageError::OutOfOrder),
            Refused::Package(PackageError::TooLarge),
            Refused::Flash(FlashError(
                embedded_storage::nor_flash::NorFlashErrorKind::Other,
            )),
            Refused::Layout,
            Refused::NoRootDigest,
            Refused::NoVersion,
            Refused::BadVersion,
            Refused::Rollback {
                confirmed: 2,
                offered: 1,
            },
            Refused::AtRest,
            Refused::StaleToken,
            Refused::SequenceExhausted,
            Refused::TrialPending,
            Refused::NoTrust,
            Refused::TrustPackage,
            Refused::TrustUnchanged,
            Refused::TrustTooLarge,
            Refused::TrustDamaged { area: 1 },
        ];
        let mut codes: std::vec::Vec<u16> = all.iter().map(Refused::code).collect();
        let max_core = oms_edge_core::Check::ALL
            .iter()
            .map(|c| c.code())
            .max()
            .unwrap();
        assert!(codes.iter().all(|&c| c >= 9000 && c > max_core));
        for (r, &c) in all.iter().zip(&codes) {
            assert_eq!(name_of(c), Some(r.name()), "{r:?}");
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        let mut table: std::vec::Vec<u16> = NAMES.iter().map(|(c, _)| *c).collect();
        table.dedup();
        assert_eq!(table.len(), NAMES.len());
        assert_eq!(
            Refused::Rollback {
                confirmed: 2,
                offered: 1
            }
            .name(),
            "loader.rollback"
        );
        assert_eq!(
            Refused::Rollback {
                confirmed: 2,
                offered: 1
            }
            .check(),
            "loader"
        );
        assert_eq!(Refused::Package(PackageError::NoBundle).check(), "package");
    }
}
