//! The client workflow (spec §5.1–§5.7) as a sequence of steps over
//! caller-supplied bytes: the caller finds the files (in a directory, a
//! flash partition, an update package), this module decides.

use alloc::vec::Vec;

use super::error::{HashAlg, Role, TufCheck, TufError};
use super::keys::{KeyKind, count_valid, same_keys};
use super::metadata::{
    Document, MetaFile, RoleIndex, Root, Snapshot, Targets, Timestamp, document,
};
use crate::limits::{
    MAX_TUF_ROOT_BYTES, MAX_TUF_ROOT_ROTATIONS, MAX_TUF_SNAPSHOT_BYTES, MAX_TUF_TARGET_BYTES,
    MAX_TUF_TARGETS_BYTES, MAX_TUF_TIMESTAMP_BYTES,
};
use crate::time::Time;

/// How `expires` is checked against the update's fixed start time (§5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Expiry {
    /// Refuse metadata expired at `now` (Unix seconds): §5.3.10, §5.4.4,
    /// §5.5.6, §5.6.5.
    Enforce {
        /// The caller's time.
        now: u64,
    },
    /// The caller knows its copy is old and asked to accept expired
    /// metadata: expiry is computed at `now` and reported in
    /// [`Freshness::expired`], never enforced. Every other check still
    /// applies.
    AllowExpired {
        /// The caller's time.
        now: u64,
    },
    /// No clock: expiry cannot be checked. Signatures, versions and
    /// rollback are; [`Freshness::now`] is `None`.
    NoClock,
}

impl Expiry {
    /// The expiry check for the core's [`Time`]: enforced at that time
    /// (or, with `allow_expired`, only reported), and impossible without a
    /// clock.
    pub fn at(time: Time, allow_expired: bool) -> Self {
        match time.now() {
            None => Expiry::NoClock,
            Some(now) if allow_expired => Expiry::AllowExpired { now: now.secs() },
            Some(now) => Expiry::Enforce { now: now.secs() },
        }
    }
}

/// Which metadata was found expired (under [`Expiry::AllowExpired`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ExpiredRoles {
    /// The final root.
    pub root: bool,
    /// The new (or kept) timestamp.
    pub timestamp: bool,
    /// The new snapshot.
    pub snapshot: bool,
    /// The new targets.
    pub targets: bool,
}

impl ExpiredRoles {
    /// Whether any metadata was expired.
    pub fn any(&self) -> bool {
        self.root || self.timestamp || self.snapshot || self.targets
    }
}

/// Whether freshness (expiry) was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Freshness {
    /// The time expiry was computed at; `None` without a clock.
    pub now: Option<u64>,
    /// Whether expired metadata was refused (false: no clock, or the
    /// caller allowed expired metadata).
    pub enforced: bool,
    /// What was expired at `now` and accepted anyway (only when not
    /// enforced).
    pub expired: ExpiredRoles,
}

/// What the held timestamp became after the root update (§5.3.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Held {
    /// No held timestamp or snapshot was given.
    None,
    /// Kept: their keys were not rotated, and they verify under the new root.
    Kept,
    /// Discarded: the timestamp or snapshot keys were rotated
    /// (fast-forward attack recovery).
    DiscardedAfterRotation,
}

/// The result of the timestamp step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum TimestampUpdate {
    /// A newer timestamp: go on with the snapshot.
    New,
    /// The same version as the held one (§5.4.3.1: "This is normal"): the
    /// update cycle ends here, the held snapshot and targets stay.
    Unchanged,
}

/// What an update changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Outcome {
    /// The trusted root's version before the update.
    pub root_from: u64,
    /// The trusted root's version after it.
    pub root_to: u64,
    /// The final root's `expires` (Unix seconds).
    pub root_expires: u64,
    /// What became of the held timestamp and snapshot.
    pub held: Held,
    /// The trusted timestamp version after the update.
    pub timestamp: Option<u64>,
    /// Its `expires`.
    pub timestamp_expires: Option<u64>,
    /// Whether the timestamp had the held version (nothing newer).
    pub timestamp_unchanged: bool,
    /// The new snapshot version (None if unchanged).
    pub snapshot: Option<u64>,
    /// Its `expires`.
    pub snapshot_expires: Option<u64>,
    /// The new targets version (None if unchanged).
    pub targets: Option<u64>,
    /// Its `expires`.
    pub targets_expires: Option<u64>,
    /// Whether expiry was checked.
    pub freshness: Freshness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Roots,
    Timestamp,
    Snapshot,
    Targets,
    Done,
}

/// An update in progress: the trusted metadata so far, and what to check
/// next. Each step takes the bytes of one file (borrowed for the call
/// only: a device can reuse one buffer) and either trusts it or returns the
/// error naming role and check; after an error the updater should be
/// dropped (nothing the caller holds has changed).
///
/// Order: [`Updater::new`], [`Updater::update_root`] for each version
/// N+1, N+2, … the copy has, [`Updater::finish_roots`] with the held
/// timestamp and snapshot, [`Updater::update_timestamp`],
/// [`Updater::update_snapshot`], [`Updater::update_targets`],
/// [`Updater::verify_target`]. A step called out of order fails with
/// [`TufCheck::OutOfOrder`]. A clone is an independent copy of the update so
/// far (to try several candidate files for one step).
#[derive(Debug, Clone)]
pub struct Updater {
    expiry: Expiry,
    initial: Root,
    root: Root,
    new_roots: u64,
    stage: Stage,
    held: Held,
    timestamp: Option<Timestamp>,
    held_snapshot: Option<Snapshot>,
    snapshot: Option<Snapshot>,
    targets: Option<Targets>,
    timestamp_unchanged: bool,
    expired: ExpiredRoles,
}

fn verify_role(root: &Root, role: RoleIndex, doc: &Document<'_>) -> Result<(), (u64, u64)> {
    let keys = root.role(role);
    let valid = count_valid(&root.keys, keys, &doc.canonical, &doc.signatures);
    if valid >= keys.threshold {
        Ok(())
    } else {
        Err((valid, keys.threshold))
    }
}

fn threshold(root: &Root, role: RoleIndex, doc: &Document<'_>, r: Role) -> Result<(), TufError> {
    verify_role(root, role, doc)
        .map_err(|(valid, threshold)| TufError::new(r, TufCheck::Threshold { valid, threshold }))
}

/// A snapshot or targets document as the higher role pins it: within the
/// size limit, then (§5.5.2/§5.6.2) the pinned length and hashes, then
/// (§5.5.3/§5.6.3) a threshold of the role's signatures, then
/// (§5.5.4/§5.6.4) the pinned version.
fn pinned_document<'b>(
    bytes: &'b [u8],
    (role, index, limit): (Role, RoleIndex, usize),
    pinned: &MetaFile,
    root: &Root,
) -> Result<Document<'b>, TufError> {
    if bytes.len() > limit {
        return Err(TufError::new(
            role,
            TufCheck::TooLarge {
                limit: u64::try_from(limit).unwrap_or(u64::MAX),
            },
        ));
    }
    pinned.verify(bytes, role)?;
    let doc = document(bytes, role, limit)?;
    threshold(root, index, &doc, role)?;
    if doc.version != pinned.version {
        return Err(TufError::new(
            role,
            TufCheck::Version {
                expected: pinned.version,
                found: doc.version,
            },
        ));
    }
    Ok(doc)
}

fn out_of_order(role: Role) -> TufError {
    TufError::new(role, TufCheck::OutOfOrder)
}

/// Reads the trusted root (§5.2): a document that parses and is signed by
/// a threshold of its own root keys (as python-tuf checks the root it
/// starts from). Its expiry does not matter here (§5.2).
fn load_trusted_root(bytes: &[u8]) -> Result<Root, TufError> {
    let doc = document(bytes, Role::Root, MAX_TUF_ROOT_BYTES)?;
    let root = Root::parse(&doc)?;
    threshold(&root, RoleIndex::Root, &doc, Role::Root)?;
    Ok(root)
}

impl Updater {
    /// §5.1–§5.2: starts an update from the trusted root metadata,
    /// fixing the time for the whole update.
    pub fn new(trusted_root: &[u8], expiry: Expiry) -> Result<Self, TufError> {
        let root = load_trusted_root(trusted_root)?;
        Ok(Self {
            expiry,
            initial: root.clone(),
            root,
            new_roots: 0,
            stage: Stage::Roots,
            held: Held::None,
            timestamp: None,
            held_snapshot: None,
            snapshot: None,
            targets: None,
            timestamp_unchanged: false,
            expired: ExpiredRoles::default(),
        })
    }

    /// The trusted root's version (the next one to look for is this + 1).
    pub fn root_version(&self) -> u64 {
        self.root.version
    }

    /// Whether the trusted root says the repository writes consistent
    /// snapshots (§5.3.12): snapshot and targets are then also published
    /// as `VERSION.snapshot.json`, target files as `HASH.NAME`.
    pub fn consistent_snapshot(&self) -> bool {
        self.root.consistent_snapshot
    }

    /// §5.3.3–§5.3.9: one new root version. It must be signed by a
    /// threshold of the trusted root's root keys and of its own (§5.3.4),
    /// and be exactly the trusted version + 1 (§5.3.5); it then becomes the
    /// trusted root. Expiry of intermediate roots does not matter (§5.3.6).
    pub fn update_root(&mut self, bytes: &[u8]) -> Result<u64, TufError> {
        if self.stage != Stage::Roots {
            return Err(out_of_order(Role::Root));
        }
        if self.new_roots >= MAX_TUF_ROOT_ROTATIONS {
            return Err(TufError::new(Role::Root, TufCheck::TooManyRoots));
        }
        let doc = document(bytes, Role::Root, MAX_TUF_ROOT_BYTES)?;
        let new = Root::parse(&doc)?;
        verify_role(&self.root, RoleIndex::Root, &doc).map_err(|(valid, threshold)| {
            TufError::new(
                Role::Root,
                TufCheck::PreviousRootThreshold { valid, threshold },
            )
        })?;
        threshold(&new, RoleIndex::Root, &doc, Role::Root)?;
        let expected = self.root.version.saturating_add(1);
        if new.version != expected {
            return Err(TufError::new(
                Role::Root,
                TufCheck::RootVersion {
                    expected,
                    found: new.version,
                },
            ));
        }
        self.root = new;
        self.new_roots = self.new_roots.saturating_add(1);
        Ok(self.root.version)
    }

    fn fresh(&mut self, role: Role, expires: u64) -> Result<(), TufError> {
        match self.expiry {
            Expiry::Enforce { now } if now >= expires => {
                Err(TufError::new(role, TufCheck::Expired { expires, now }))
            }
            Expiry::AllowExpired { now } if now >= expires => {
                match role {
                    Role::Root => self.expired.root = true,
                    Role::Timestamp => self.expired.timestamp = true,
                    Role::Snapshot => self.expired.snapshot = true,
                    Role::Targets | Role::TargetFile => self.expired.targets = true,
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// §5.3.10–§5.3.12: no more new roots. The final root must not be
    /// expired (§5.3.10). The held timestamp and snapshot (the caller's
    /// trusted copies, if any) are discarded if the final root rotated the
    /// timestamp or snapshot keys or thresholds (§5.3.11, fast-forward
    /// attack recovery); otherwise they must still verify under the final
    /// root, and are used for the rollback checks of §5.4.3 and §5.5.5.
    pub fn finish_roots(
        &mut self,
        held_timestamp: Option<&[u8]>,
        held_snapshot: Option<&[u8]>,
    ) -> Result<Held, TufError> {
        if self.stage != Stage::Roots {
            return Err(out_of_order(Role::Root));
        }
        self.fresh(Role::Root, self.root.expires)?;
        let rotated = [RoleIndex::Timestamp, RoleIndex::Snapshot]
            .iter()
            .any(|&r| {
                !same_keys(
                    &self.initial.keys,
                    self.initial.role(r),
                    &self.root.keys,
                    self.root.role(r),
                )
            });
        self.held = if held_timestamp.is_none() && held_snapshot.is_none() {
            Held::None
        } else if rotated {
            Held::DiscardedAfterRotation
        } else {
            if let Some(bytes) = held_timestamp {
                let held = || -> Option<Timestamp> {
                    let doc = document(bytes, Role::Timestamp, MAX_TUF_TIMESTAMP_BYTES).ok()?;
                    verify_role(&self.root, RoleIndex::Timestamp, &doc).ok()?;
                    Timestamp::parse(&doc).ok()
                };
                self.timestamp =
                    Some(held().ok_or(TufError::new(Role::Timestamp, TufCheck::HeldInvalid))?);
            }
            if let Some(bytes) = held_snapshot {
                let held = || -> Option<Snapshot> {
                    let doc = document(bytes, Role::Snapshot, MAX_TUF_SNAPSHOT_BYTES).ok()?;
                    verify_role(&self.root, RoleIndex::Snapshot, &doc).ok()?;
                    Snapshot::parse(&doc).ok()
                };
                self.held_snapshot =
                    Some(held().ok_or(TufError::new(Role::Snapshot, TufCheck::HeldInvalid))?);
            }
            Held::Kept
        };
        self.stage = Stage::Timestamp;
        Ok(self.held)
    }

    /// §5.4.2–§5.4.4: the new timestamp. Signed by a threshold of the
    /// timestamp keys (§5.4.2); its version not below the held one, and
    /// the snapshot version it lists not below the held timestamp's
    /// (§5.4.3); not expired (§5.4.4). The same version as the held one
    /// ends the update ([`TimestampUpdate::Unchanged`]; the held timestamp
    /// must then still be fresh).
    pub fn update_timestamp(&mut self, bytes: &[u8]) -> Result<TimestampUpdate, TufError> {
        let role = Role::Timestamp;
        if self.stage != Stage::Timestamp {
            return Err(out_of_order(role));
        }
        let doc = document(bytes, role, MAX_TUF_TIMESTAMP_BYTES)?;
        let new = Timestamp::parse(&doc)?;
        threshold(&self.root, RoleIndex::Timestamp, &doc, role)?;
        if let Some(held) = &self.timestamp {
            let (held_version, held_expires) = (held.version, held.expires);
            if new.version < held_version {
                return Err(TufError::new(
                    role,
                    TufCheck::Rollback {
                        held: held_version,
                        new: new.version,
                    },
                ));
            }
            if new.version == held_version {
                self.fresh(role, held_expires)?;
                self.timestamp_unchanged = true;
                self.stage = Stage::Done;
                return Ok(TimestampUpdate::Unchanged);
            }
            if new.snapshot.version < held.snapshot.version {
                return Err(TufError::new(
                    role,
                    TufCheck::SnapshotRollback {
                        held: held.snapshot.version,
                        new: new.snapshot.version,
                    },
                ));
            }
        }
        self.fresh(role, new.expires)?;
        self.timestamp = Some(new);
        self.stage = Stage::Snapshot;
        Ok(TimestampUpdate::New)
    }

    /// The snapshot version the trusted timestamp pins (for the file name
    /// `VERSION.snapshot.json` under consistent snapshots).
    pub fn snapshot_version(&self) -> Option<u64> {
        self.timestamp.as_ref().map(|t| t.snapshot.version)
    }

    /// §5.5.2–§5.5.6: the new snapshot. Its length and hashes as the
    /// timestamp pins them, if it does (§5.5.2); signed by a threshold of
    /// the snapshot keys (§5.5.3); the version the timestamp pins (§5.5.4);
    /// every file the held snapshot lists still listed, at no lower
    /// version (§5.5.5); not expired (§5.5.6).
    pub fn update_snapshot(&mut self, bytes: &[u8]) -> Result<(), TufError> {
        let role = Role::Snapshot;
        let (Stage::Snapshot, Some(timestamp)) = (self.stage, &self.timestamp) else {
            return Err(out_of_order(role));
        };
        let doc = pinned_document(
            bytes,
            (role, RoleIndex::Snapshot, MAX_TUF_SNAPSHOT_BYTES),
            &timestamp.snapshot,
            &self.root,
        )?;
        let new = Snapshot::parse(&doc)?;
        if let Some(held) = &self.held_snapshot {
            for (name, old) in &held.meta {
                let Some(now) = new.get(name) else {
                    return Err(TufError::new(role, TufCheck::MetaRemoved));
                };
                if now.version < old.version {
                    return Err(TufError::new(
                        role,
                        TufCheck::MetaRollback {
                            held: old.version,
                            new: now.version,
                        },
                    ));
                }
            }
        }
        self.fresh(role, new.expires)?;
        self.snapshot = Some(new);
        self.stage = Stage::Targets;
        Ok(())
    }

    /// The targets version the trusted snapshot pins (for the file name
    /// `VERSION.targets.json` under consistent snapshots).
    pub fn targets_version(&self) -> Option<u64> {
        self.snapshot
            .as_ref()
            .and_then(|s| s.get(b"targets.json"))
            .map(|m| m.version)
    }

    /// §5.6.1–§5.6.5: the new top-level targets. Listed by the snapshot
    /// (§5.6.1); its length and hashes as the snapshot pins them, if it
    /// does (§5.6.2); signed by a threshold of the targets keys (§5.6.3);
    /// the version the snapshot pins (§5.6.4); not expired (§5.6.5).
    pub fn update_targets(&mut self, bytes: &[u8]) -> Result<(), TufError> {
        let role = Role::Targets;
        let (Stage::Targets, Some(snapshot)) = (self.stage, &self.snapshot) else {
            return Err(out_of_order(role));
        };
        let pinned = snapshot
            .get(b"targets.json")
            .ok_or(TufError::new(role, TufCheck::NotListed))?;
        let doc = pinned_document(
            bytes,
            (role, RoleIndex::Targets, MAX_TUF_TARGETS_BYTES),
            pinned,
            &self.root,
        )?;
        let new = Targets::parse(&doc)?;
        self.fresh(role, new.expires)?;
        self.targets = Some(new);
        self.stage = Stage::Done;
        Ok(())
    }

    /// What the trusted targets say of target `name`: its length, and its
    /// hex SHA-256 if listed (the `HASH.NAME` file name under consistent
    /// snapshots). Only the top-level targets role is searched (§5.6.7):
    /// delegated roles are not followed.
    pub fn target(&self, name: &str) -> Option<TargetInfo<'_>> {
        let t = self.targets.as_ref()?.get(name.as_bytes())?;
        Some(TargetInfo {
            length: t.length,
            sha256_hex: t
                .hashes
                .hex(HashAlg::Sha256)
                .and_then(|h| core::str::from_utf8(h).ok()),
            sha512_hex: t
                .hashes
                .hex(HashAlg::Sha512)
                .and_then(|h| core::str::from_utf8(h).ok()),
        })
    }

    /// §5.7: target file `name` is listed by the trusted targets, and
    /// `data` has its length and every hash listed.
    pub fn verify_target(&self, name: &str, data: &[u8]) -> Result<(), TufError> {
        let role = Role::TargetFile;
        let (Stage::Done, Some(targets)) = (self.stage, &self.targets) else {
            return Err(out_of_order(role));
        };
        let t = targets
            .get(name.as_bytes())
            .ok_or(TufError::new(role, TufCheck::NotListed))?;
        let found = u64::try_from(data.len()).unwrap_or(u64::MAX);
        if found > MAX_TUF_TARGET_BYTES {
            return Err(TufError::new(
                role,
                TufCheck::TooLarge {
                    limit: MAX_TUF_TARGET_BYTES,
                },
            ));
        }
        if found != t.length {
            return Err(TufError::new(
                role,
                TufCheck::Length {
                    expected: t.length,
                    found,
                },
            ));
        }
        t.hashes.verify(data, role)
    }

    /// What the update has changed so far.
    pub fn outcome(&self) -> Outcome {
        let (now, enforced) = match self.expiry {
            Expiry::Enforce { now } => (Some(now), true),
            Expiry::AllowExpired { now } => (Some(now), false),
            Expiry::NoClock => (None, false),
        };
        Outcome {
            root_from: self.initial.version,
            root_to: self.root.version,
            root_expires: self.root.expires,
            held: self.held,
            timestamp: self.timestamp.as_ref().map(|t| t.version),
            timestamp_expires: self.timestamp.as_ref().map(|t| t.expires),
            timestamp_unchanged: self.timestamp_unchanged,
            snapshot: self.snapshot.as_ref().map(|s| s.version),
            snapshot_expires: self.snapshot.as_ref().map(|s| s.expires),
            targets: self.targets.as_ref().map(|t| t.version),
            targets_expires: self.targets.as_ref().map(|t| t.expires),
            freshness: Freshness {
                now,
                enforced,
                expired: self.expired,
            },
        }
    }

    /// The trusted root's roles and keys, for display.
    pub fn root_info(&self) -> RootInfo {
        let role = |r: RoleIndex| {
            let keys = self.root.role(r);
            let mut kinds = Vec::new();
            for entry in keys
                .keys
                .iter()
                .map(|i| i.and_then(|i| self.root.keys.get(i)))
            {
                kinds.push(entry.map_or(KeyKind::Unusable, |e| e.key.kind()));
            }
            RoleInfo {
                threshold: keys.threshold,
                keys: kinds,
            }
        };
        RootInfo {
            version: self.root.version,
            expires: self.root.expires,
            consistent_snapshot: self.root.consistent_snapshot,
            root: role(RoleIndex::Root),
            timestamp: role(RoleIndex::Timestamp),
            snapshot: role(RoleIndex::Snapshot),
            targets: role(RoleIndex::Targets),
        }
    }
}

/// A target as the trusted targets list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetInfo<'a> {
    /// Its length in bytes.
    pub length: u64,
    /// Its SHA-256, hex as written, if listed.
    pub sha256_hex: Option<&'a str>,
    /// Its SHA-512, hex as written, if listed.
    pub sha512_hex: Option<&'a str>,
}

/// One top-level role of a root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInfo {
    /// Signatures needed.
    pub threshold: u64,
    /// The kind of each key the role lists ([`KeyKind::Unusable`] for a
    /// keyid the root does not define).
    pub keys: Vec<KeyKind>,
}

/// A root, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootInfo {
    /// `version`.
    pub version: u64,
    /// `expires`, Unix seconds.
    pub expires: u64,
    /// `consistent_snapshot`.
    pub consistent_snapshot: bool,
    /// The root role.
    pub root: RoleInfo,
    /// The timestamp role.
    pub timestamp: RoleInfo,
    /// The snapshot role.
    pub snapshot: RoleInfo,
    /// The targets role.
    pub targets: RoleInfo,
}

/// The header of a metadata document, read WITHOUT verifying its
/// signatures (for display of held, already verified files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetadataInfo {
    /// `version`.
    pub version: u64,
    /// `expires`, Unix seconds.
    pub expires: u64,
}

/// Reads `role`'s document header without verifying signatures.
pub fn metadata_info(bytes: &[u8], role: Role) -> Result<MetadataInfo, TufError> {
    let limit = match role {
        Role::Root => MAX_TUF_ROOT_BYTES,
        Role::Timestamp => MAX_TUF_TIMESTAMP_BYTES,
        Role::Snapshot => MAX_TUF_SNAPSHOT_BYTES,
        Role::Targets | Role::TargetFile => MAX_TUF_TARGETS_BYTES,
    };
    let doc = document(bytes, role, limit)?;
    Ok(MetadataInfo {
        version: doc.version,
        expires: doc.expires,
    })
}

/// The files of one update, for [`update`].
#[derive(Debug, Clone, Copy)]
pub struct UpdateSet<'a> {
    /// Root versions N+1, N+2, … in order (may be empty).
    pub roots: &'a [&'a [u8]],
    /// timestamp.json.
    pub timestamp: &'a [u8],
    /// The snapshot the timestamp pins.
    pub snapshot: &'a [u8],
    /// The targets the snapshot pins.
    pub targets: &'a [u8],
    /// The target file's name in targets.json and its bytes.
    pub target: (&'a str, &'a [u8]),
}

/// The caller's trusted state, for [`update`].
#[derive(Debug, Clone, Copy)]
pub struct HeldState<'a> {
    /// The trusted root.json.
    pub root: &'a [u8],
    /// The trusted timestamp.json, if any.
    pub timestamp: Option<&'a [u8]>,
    /// The trusted snapshot.json, if any.
    pub snapshot: Option<&'a [u8]>,
}

/// The whole workflow in one call: every step of [`Updater`] over files
/// already in memory. With [`TimestampUpdate::Unchanged`] the snapshot,
/// targets and target are not looked at.
pub fn update(
    held: HeldState<'_>,
    set: UpdateSet<'_>,
    expiry: Expiry,
) -> Result<Outcome, TufError> {
    let mut u = Updater::new(held.root, expiry)?;
    for root in set.roots {
        u.update_root(root)?;
    }
    u.finish_roots(held.timestamp, held.snapshot)?;
    if u.update_timestamp(set.timestamp)? == TimestampUpdate::New {
        u.update_snapshot(set.snapshot)?;
        u.update_targets(set.targets)?;
        u.verify_target(set.target.0, set.target.1)?;
    }
    Ok(u.outcome())
}
