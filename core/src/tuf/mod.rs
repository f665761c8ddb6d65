//! Offline TUF 1.0 client workflow (The Update Framework specification
//! v1.0, "Detailed client workflow" §5.1–§5.7) for keeping the Sigstore
//! trusted root current without a network: a device or an air-gapped host
//! holds a trusted `root.json` (and the timestamp and snapshot it last
//! accepted) and is handed a copy of the repository (new root versions,
//! `timestamp.json`, `snapshot.json`, `targets.json`, the target file
//! `trusted_root.json`); [`Updater`] decides whether to trust them.
//!
//! | step | check | where |
//! |---|---|---|
//! | §5.1 | the update's time is fixed once ([`Expiry`]) | [`Updater::new`] |
//! | §5.2 | the trusted root parses and is signed by a threshold of its own root keys | [`Updater::new`] |
//! | §5.3.3 | at most [`crate::limits::MAX_TUF_ROOT_ROTATIONS`] new roots, each at most [`crate::limits::MAX_TUF_ROOT_BYTES`] | [`Updater::update_root`] |
//! | §5.3.4 | a new root is signed by a threshold of the trusted root's root keys and of its own | [`Updater::update_root`] |
//! | §5.3.5 | its version is exactly the trusted one + 1 | [`Updater::update_root`] |
//! | §5.3.10 | the final root is not expired | [`Updater::finish_roots`] |
//! | §5.3.11 | timestamp/snapshot keys rotated: the held timestamp and snapshot are discarded | [`Updater::finish_roots`] |
//! | §5.4.2 | the timestamp is signed by a threshold of the timestamp keys | [`Updater::update_timestamp`] |
//! | §5.4.3 | its version, and the snapshot version it lists, not below the held ones | [`Updater::update_timestamp`] |
//! | §5.4.4 | it is not expired | [`Updater::update_timestamp`] |
//! | §5.5.2 | the snapshot has the length and hashes the timestamp pins | [`Updater::update_snapshot`] |
//! | §5.5.3 | signed by a threshold of the snapshot keys | [`Updater::update_snapshot`] |
//! | §5.5.4 | the version the timestamp pins | [`Updater::update_snapshot`] |
//! | §5.5.5 | every file the held snapshot lists is listed, at no lower version | [`Updater::update_snapshot`] |
//! | §5.5.6 | not expired | [`Updater::update_snapshot`] |
//! | §5.6.1 | targets.json is listed by the snapshot | [`Updater::update_targets`] |
//! | §5.6.2 | the targets have the length and hashes the snapshot pins | [`Updater::update_targets`] |
//! | §5.6.3 | signed by a threshold of the targets keys | [`Updater::update_targets`] |
//! | §5.6.4 | the version the snapshot pins | [`Updater::update_targets`] |
//! | §5.6.5 | not expired | [`Updater::update_targets`] |
//! | §5.7 | the target is listed, with its length and every hash | [`Updater::verify_target`] |
//!
//! Signatures are checked over the OLPC canonical JSON of `signed`, computed
//! from the parsed document (`canonical.rs`); a threshold counts distinct
//! public keys (`keys.rs`: ECDSA P-256, Ed25519, RSASSA-PSS-SHA256). Every
//! failure is a [`TufError`] naming the role and the check.
//!
//! Not done here: persisting (§5.3.8, §5.4.5, §5.5.7, §5.6.6) is the
//! caller's, who should write the new state only once the whole update has
//! verified; finding files by name (consistent snapshots, §5.3.12) too,
//! with [`Updater::consistent_snapshot`], [`Updater::snapshot_version`],
//! [`Updater::targets_version`] and [`Updater::target`]. Delegated targets
//! roles are not followed (§5.6.7): a target must be listed by the
//! top-level targets, as Sigstore's `trusted_root.json` is.
//!
//! Memory: `alloc`, with a stated bound: a step's peak heap is at most
//! 8 × the size of the document it checks, plus 64 KiB. The canonical form
//! takes at most the document's size; each object on the path being
//! canonicalized holds a vector of its members (two borrowed spans, 32
//! bytes on 64-bit targets, per member: at worst one member per 5 bytes,
//! `"":0,`); the summaries kept between steps (root keys, the snapshot's
//! meta list, the targets list) are smaller than their documents.
//! `tests/tests/tuf_heap.rs` measures it: a real Sigstore update peaks at
//! 15.5 KB (2.3 × its largest file), a hostile 1 MiB document of empty
//! members at 7.4 ×. With the size limits of [`crate::limits`], an update never
//! needs more than 8.1 MiB, and a device that only accepts Sigstore-sized
//! files (under 8 KiB) about 130 KiB.
//! The stack is bounded by [`crate::limits::MAX_TUF_DEPTH`] recursion levels.

mod canonical;
mod encoding;
mod error;
mod keys;
mod metadata;
mod update;

#[cfg(test)]
mod tests;

pub use error::{Field, HashAlg, Role, TufCheck, TufError};
pub use keys::KeyKind;
pub use update::{
    ExpiredRoles, Expiry, Freshness, Held, HeldState, MetadataInfo, Outcome, RoleInfo, RootInfo,
    TargetInfo, TimestampUpdate, UpdateSet, Updater, metadata_info, update,
};

/// Sigstore's production TUF root (root.json v15 of
/// `https://tuf-repo-cdn.sigstore.dev`), as the `sigstore` wheel 4.5.1 on
/// PyPI pins it (`sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/root.json`);
/// fetched and digest-checked by `testdata/fetch-trust-roots.sh`. The
/// starting point of `oms-edge trust init`.
pub const SIGSTORE_PRODUCTION_ROOT: &[u8] = include_bytes!("../../trust/production.root.json");

/// The target name of the Sigstore trusted root in Sigstore's TUF
/// repository.
pub const TRUSTED_ROOT_TARGET: &str = "trusted_root.json";
