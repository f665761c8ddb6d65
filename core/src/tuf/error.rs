//! What a TUF check rejected: the role whose metadata (or target file) was
//! being checked, and the check, with the spec step it implements.

use core::fmt;

use crate::check::Check;
use crate::json::JsonError;

/// A TUF check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct TufError {
    /// The metadata (or target file) being checked.
    pub role: Role,
    /// What rejected it.
    pub check: TufCheck,
}

impl TufError {
    pub(crate) const fn new(role: Role, check: TufCheck) -> Self {
        Self { role, check }
    }

    /// The step of the TUF specification (v1.0, "Detailed client workflow"
    /// §5) that this check implements, if it is one of them.
    pub fn spec_step(&self) -> Option<&'static str> {
        use Role as R;
        use TufCheck as C;
        Some(match (self.role, self.check) {
            (R::Root, C::PreviousRootThreshold { .. }) => "5.3.4",
            (R::Root, C::Threshold { .. }) => "5.3.4",
            (R::Root, C::RootVersion { .. }) => "5.3.5",
            (R::Root, C::TooManyRoots) => "5.3.3",
            (R::Root, C::Expired { .. }) => "5.3.10",
            (R::Timestamp | R::Snapshot, C::HeldInvalid) => "5.3.11",
            (R::Timestamp, C::TooLarge { .. }) => "5.4.1",
            (R::Timestamp, C::Threshold { .. }) => "5.4.2",
            (R::Timestamp, C::Rollback { .. }) => "5.4.3.1",
            (R::Timestamp, C::SnapshotRollback { .. }) => "5.4.3.2",
            (R::Timestamp, C::Expired { .. }) => "5.4.4",
            (R::Snapshot, C::TooLarge { .. }) => "5.5.1",
            (R::Snapshot, C::Length { .. } | C::Hash(_) | C::UnsupportedHash) => "5.5.2",
            (R::Snapshot, C::Threshold { .. }) => "5.5.3",
            (R::Snapshot, C::Version { .. }) => "5.5.4",
            (R::Snapshot, C::MetaRollback { .. } | C::MetaRemoved) => "5.5.5",
            (R::Snapshot, C::Expired { .. }) => "5.5.6",
            (R::Targets, C::NotListed | C::TooLarge { .. }) => "5.6.1",
            (R::Targets, C::Length { .. } | C::Hash(_) | C::UnsupportedHash) => "5.6.2",
            (R::Targets, C::Threshold { .. }) => "5.6.3",
            (R::Targets, C::Version { .. }) => "5.6.4",
            (R::Targets, C::Expired { .. }) => "5.6.5",
            (R::TargetFile, C::NotListed) => "5.7.2",
            (R::TargetFile, C::TooLarge { .. }) => "5.7.3",
            (R::TargetFile, C::Length { .. } | C::Hash(_) | C::UnsupportedHash) => "5.7.3",
            _ => return None,
        })
    }
}

impl TufError {
    /// The stable code of the failed check (`tuf.<check>`; the role is
    /// reported apart, [`TufError::role`]).
    pub fn check(&self) -> Check {
        match self.check {
            TufCheck::TooLarge { .. } => Check::TufTooLarge,
            TufCheck::Json(_) => Check::TufJson,
            TufCheck::TooDeep => Check::TufTooDeep,
            TufCheck::NotCanonical => Check::TufNotCanonical,
            TufCheck::TooMany(_) => Check::TufTooMany,
            TufCheck::Field(_) => Check::TufField,
            TufCheck::WrongType => Check::TufWrongType,
            TufCheck::SpecVersion => Check::TufSpecVersion,
            TufCheck::DuplicateSignature => Check::TufDuplicateSignature,
            TufCheck::DuplicateKeyid => Check::TufDuplicateKeyid,
            TufCheck::PreviousRootThreshold { .. } => Check::TufPreviousRootThreshold,
            TufCheck::Threshold { .. } => Check::TufThreshold,
            TufCheck::RootVersion { .. } => Check::TufRootVersion,
            TufCheck::TooManyRoots => Check::TufTooManyRoots,
            TufCheck::Expired { .. } => Check::TufExpired,
            TufCheck::Rollback { .. } => Check::TufRollback,
            TufCheck::SnapshotRollback { .. } => Check::TufSnapshotRollback,
            TufCheck::MetaRollback { .. } => Check::TufMetaRollback,
            TufCheck::MetaRemoved => Check::TufMetaRemoved,
            TufCheck::Length { .. } => Check::TufLength,
            TufCheck::Hash(_) => Check::TufHash,
            TufCheck::UnsupportedHash => Check::TufUnsupportedHash,
            TufCheck::Version { .. } => Check::TufVersion,
            TufCheck::NotListed => Check::TufNotListed,
            TufCheck::HeldInvalid => Check::TufHeldInvalid,
            TufCheck::OutOfOrder => Check::TufOutOfOrder,
        }
    }
}

impl fmt::Display for TufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TUF {}: {}", self.role, self.check)?;
        if let Some(step) = self.spec_step() {
            write!(f, " (spec §{step})")?;
        }
        Ok(())
    }
}

/// The metadata a check was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Role {
    /// root.json (the trusted one, or a new version).
    Root,
    /// timestamp.json.
    Timestamp,
    /// snapshot.json.
    Snapshot,
    /// targets.json (top-level).
    Targets,
    /// A target file (`trusted_root.json`).
    TargetFile,
}

impl Role {
    /// A stable lower-case name (`root`, `timestamp`, `snapshot`,
    /// `targets`, `target_file`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Root => "root",
            Role::Timestamp => "timestamp",
            Role::Snapshot => "snapshot",
            Role::Targets => "targets",
            Role::TargetFile => "target_file",
        }
    }

    /// The `_type` of this role's metadata.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            Role::Root => "root",
            Role::Timestamp => "timestamp",
            Role::Snapshot => "snapshot",
            Role::Targets | Role::TargetFile => "targets",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Root => "root",
            Role::Timestamp => "timestamp",
            Role::Snapshot => "snapshot",
            Role::Targets => "targets",
            Role::TargetFile => "target file",
        })
    }
}

/// A field of TUF metadata (spec §4), for [`TufCheck::Field`] and
/// [`TufCheck::TooMany`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Field {
    /// `signed`.
    Signed,
    /// `signatures`.
    Signatures,
    /// A `signatures[]` entry's `keyid`.
    SignatureKeyid,
    /// A `signatures[]` entry's `sig`.
    SignatureSig,
    /// `_type`.
    Type,
    /// `spec_version`.
    SpecVersion,
    /// `version`.
    Version,
    /// `expires`.
    Expires,
    /// `consistent_snapshot`.
    ConsistentSnapshot,
    /// `keys`.
    Keys,
    /// A key's `keytype`, `scheme` or `keyval`.
    Key,
    /// `roles`.
    Roles,
    /// A role's `keyids`.
    RoleKeyids,
    /// A role's `threshold`.
    Threshold,
    /// `meta`.
    Meta,
    /// A `meta` entry's `version`.
    MetaVersion,
    /// A `meta` or `targets` entry's `length`.
    Length,
    /// A `meta` or `targets` entry's `hashes`.
    Hashes,
    /// `targets`.
    Targets,
    /// A target's `custom`.
    Custom,
    /// `delegations`.
    Delegations,
}

impl Field {
    /// The field's name in the metadata.
    pub fn json_name(self) -> &'static str {
        match self {
            Field::Signed => "signed",
            Field::Signatures => "signatures",
            Field::SignatureKeyid => "signatures[].keyid",
            Field::SignatureSig => "signatures[].sig",
            Field::Type => "_type",
            Field::SpecVersion => "spec_version",
            Field::Version => "version",
            Field::Expires => "expires",
            Field::ConsistentSnapshot => "consistent_snapshot",
            Field::Keys => "keys",
            Field::Key => "keys.<keyid>",
            Field::Roles => "roles",
            Field::RoleKeyids => "roles.<role>.keyids",
            Field::Threshold => "roles.<role>.threshold",
            Field::Meta => "meta",
            Field::MetaVersion => "meta.<path>.version",
            Field::Length => "length",
            Field::Hashes => "hashes",
            Field::Targets => "targets",
            Field::Custom => "targets.<path>.custom",
            Field::Delegations => "delegations",
        }
    }
}

/// The hash algorithms a `hashes` object may use here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum HashAlg {
    /// `sha256`.
    Sha256,
    /// `sha384`.
    Sha384,
    /// `sha512`.
    Sha512,
}

impl HashAlg {
    /// The name TUF metadata uses.
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "sha256",
            HashAlg::Sha384 => "sha384",
            HashAlg::Sha512 => "sha512",
        }
    }
}

/// Which check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum TufCheck {
    /// Larger than the role's size limit (checked before anything else).
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// Not one valid JSON document: truncated, malformed, a member named
    /// twice in one object, nested beyond the JSON reader's bound.
    Json(JsonError),
    /// Nested deeper than [`crate::limits::MAX_TUF_DEPTH`].
    TooDeep,
    /// A number with a fraction or exponent: canonical JSON carries
    /// integers only, so the document cannot have been signed.
    NotCanonical,
    /// More entries than the limit for this field allows.
    TooMany(Field),
    /// A field is missing, of the wrong JSON type, or out of range.
    Field(Field),
    /// `_type` names another role.
    WrongType,
    /// `spec_version` is not `1.x` or `1.x.y`.
    SpecVersion,
    /// Two signatures carry the same keyid (spec §4: the keyid "MUST be
    /// unique in the signatures array").
    DuplicateSignature,
    /// A role lists one keyid twice.
    DuplicateKeyid,
    /// A new root is not signed by a threshold of the trusted (previous)
    /// root's root keys.
    PreviousRootThreshold {
        /// Distinct keys whose signatures verified.
        valid: u64,
        /// The previous root's root threshold.
        threshold: u64,
    },
    /// Not signed by a threshold of the role's keys (for a new root: its
    /// own root keys). Each key counts once.
    Threshold {
        /// Distinct keys whose signatures verified.
        valid: u64,
        /// The role's threshold.
        threshold: u64,
    },
    /// A new root's version is not the trusted one plus one.
    RootVersion {
        /// Trusted version + 1.
        expected: u64,
        /// The new root's version.
        found: u64,
    },
    /// More than [`crate::limits::MAX_TUF_ROOT_ROTATIONS`] new roots.
    TooManyRoots,
    /// Expired at the caller's time.
    Expired {
        /// `expires`, Unix seconds.
        expires: u64,
        /// The caller's time, Unix seconds.
        now: u64,
    },
    /// A version lower than the trusted one (rollback).
    Rollback {
        /// The trusted version.
        held: u64,
        /// The new version.
        new: u64,
    },
    /// The new timestamp lists a lower snapshot version than the trusted
    /// timestamp does.
    SnapshotRollback {
        /// The trusted timestamp's snapshot version.
        held: u64,
        /// The new timestamp's snapshot version.
        new: u64,
    },
    /// The new snapshot lists a metadata file at a lower version than the
    /// trusted snapshot does.
    MetaRollback {
        /// The trusted snapshot's version of that file.
        held: u64,
        /// The new snapshot's.
        new: u64,
    },
    /// The new snapshot no longer lists a metadata file that the trusted
    /// snapshot lists.
    MetaRemoved,
    /// The length differs from the one the higher role pins.
    Length {
        /// Pinned.
        expected: u64,
        /// Found.
        found: u64,
    },
    /// A hash differs from the one the higher role pins.
    Hash(HashAlg),
    /// The higher role pins a hash this client cannot compute (only
    /// `sha256`, `sha384` and `sha512` are supported).
    UnsupportedHash,
    /// The version differs from the one the higher role pins.
    Version {
        /// Pinned.
        expected: u64,
        /// Found.
        found: u64,
    },
    /// Not listed by the higher role (targets.json in snapshot.json, the
    /// target in targets.json).
    NotListed,
    /// The held metadata no longer verifies under the new root although
    /// its role's keys were not rotated: the held state is damaged.
    HeldInvalid,
    /// The update steps were called out of order (a caller's bug).
    OutOfOrder,
}

impl fmt::Display for TufCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TufCheck::TooLarge { limit } => write!(f, "larger than the limit of {limit} bytes"),
            TufCheck::Json(e) => write!(f, "not valid JSON ({e:?})"),
            TufCheck::TooDeep => write!(
                f,
                "nested deeper than {} levels",
                crate::limits::MAX_TUF_DEPTH
            ),
            TufCheck::NotCanonical => f.write_str(
                "a number with a fraction or exponent (canonical JSON has integers only)",
            ),
            TufCheck::TooMany(field) => write!(f, "too many entries in `{}`", field.json_name()),
            TufCheck::Field(field) => write!(
                f,
                "`{}` is missing, of the wrong type or out of range",
                field.json_name()
            ),
            TufCheck::WrongType => f.write_str("`_type` names another role"),
            TufCheck::SpecVersion => f.write_str("`spec_version` is not 1.x"),
            TufCheck::DuplicateSignature => f.write_str("two signatures carry the same keyid"),
            TufCheck::DuplicateKeyid => f.write_str("a role lists the same keyid twice"),
            TufCheck::PreviousRootThreshold { valid, threshold } => write!(
                f,
                "not signed by a threshold of the trusted root's root keys ({valid} of {threshold})"
            ),
            TufCheck::Threshold { valid, threshold } => write!(
                f,
                "not signed by a threshold of the role's keys ({valid} of {threshold})"
            ),
            TufCheck::RootVersion { expected, found } => {
                write!(f, "version {found} where {expected} must come next")
            }
            TufCheck::TooManyRoots => write!(
                f,
                "more than {} new root versions in one update",
                crate::limits::MAX_TUF_ROOT_ROTATIONS
            ),
            TufCheck::Expired { expires, now } => write!(
                f,
                "expired (expires at Unix time {expires}, now is {now}): possible freeze attack"
            ),
            TufCheck::Rollback { held, new } => write!(
                f,
                "version {new} is below the trusted version {held}: rollback"
            ),
            TufCheck::SnapshotRollback { held, new } => write!(
                f,
                "lists snapshot version {new}, below the trusted timestamp's {held}: rollback"
            ),
            TufCheck::MetaRollback { held, new } => write!(
                f,
                "lists a metadata file at version {new}, below the trusted snapshot's {held}: rollback"
            ),
            TufCheck::MetaRemoved => {
                f.write_str("no longer lists a metadata file that the trusted snapshot lists")
            }
            TufCheck::Length { expected, found } => write!(
                f,
                "{found} bytes where the higher role pins {expected}"
            ),
            TufCheck::Hash(alg) => write!(
                f,
                "{} hash differs from the one the higher role pins",
                alg.name()
            ),
            TufCheck::UnsupportedHash => {
                f.write_str("pinned by a hash algorithm other than sha256, sha384, sha512")
            }
            TufCheck::Version { expected, found } => write!(
                f,
                "version {found} where the higher role pins {expected}"
            ),
            TufCheck::NotListed => f.write_str("not listed by the higher role"),
            TufCheck::HeldInvalid => f.write_str(
                "the held copy no longer verifies although its keys were not rotated (damaged state)",
            ),
            TufCheck::OutOfOrder => f.write_str("update steps called out of order"),
        }
    }
}
