//! Bounds on TUF metadata, each with the real-world size that justifies it.
//!
//! TODO(issue-13 port): move to limits.rs.
//!
//! Sizes measured on Sigstore's production repository (`sigstore/root-signing`,
//! 2025-10-15 and 2026-08-21, `testdata/tuf/sigstore-prod/`): root.json at
//! most 6 911 bytes (v10, 7 keys, 10 signatures), timestamp.json 451,
//! snapshot.json 1 760, targets.json 4 942 (11 targets), trusted_root.json
//! 6 787. python-tuf's client defaults (`UpdaterConfig`) are given for
//! comparison: root 512 000, timestamp 16 384, snapshot 2 000 000, targets
//! 5 000 000 bytes, 256 root rotations. The limits below are tighter for the
//! large roles because this client only needs the top-level roles of a
//! trust-root repository, and the heap an update uses is a small multiple of
//! the largest document (see [`super`]).

/// Largest root.json: 64 KiB, nine times Sigstore's largest (6 911 bytes);
/// room for 20 RSA-4096 keys with their signatures (about 1.9 KB each).
pub const MAX_ROOT_BYTES: usize = 64 * 1024;

/// Largest timestamp.json: python-tuf's default, 16 KiB (Sigstore's: 451).
pub const MAX_TIMESTAMP_BYTES: usize = 16 * 1024;

/// Largest snapshot.json: 256 KiB (Sigstore's: 1 760 bytes for 6 entries;
/// room for about a thousand entries with two hashes each).
pub const MAX_SNAPSHOT_BYTES: usize = 256 * 1024;

/// Largest targets.json: 1 MiB (Sigstore's: 4 942 bytes for 11 targets;
/// room for about 2 000 targets with custom metadata).
pub const MAX_TARGETS_BYTES: usize = 1024 * 1024;

/// Largest target file accepted (`trusted_root.json`): 1 MiB. Sigstore's is
/// 6 787 bytes; a trusted root keeping a decade of rotated CAs, logs and
/// TSAs stays far below.
pub const MAX_TARGET_BYTES: u64 = 1024 * 1024;

/// Most new root versions one update may walk (spec §5.3.3's "Y"):
/// python-tuf's default, 256. Sigstore published 15 roots in five years.
pub const MAX_ROOT_ROTATIONS: u64 = 256;

/// Deepest nesting inside a metadata document (the document's top-level
/// object is depth 1). The deepest Sigstore path is 6
/// (`signed.targets.<name>.custom.sigstore.status`); anything beyond 16 is
/// rejected before canonicalization, which recurses once per level.
pub const MAX_DEPTH: usize = 16;

/// Most signatures on one document (Sigstore's most: 10, root v9 and v10).
pub const MAX_SIGNATURES: usize = 64;

/// Most keys in a root's `keys` (Sigstore's most: 7).
pub const MAX_KEYS: usize = 64;

/// Most keyids one role lists (Sigstore's most: 5).
pub const MAX_ROLE_KEYIDS: usize = 64;

/// Longest keyid, in bytes (Sigstore's: 64 hex digits, a SHA-256).
pub const MAX_KEYID_BYTES: usize = 128;

/// Longest signature, hex encoded: RSA-4096 is 512 bytes (1 024 hex
/// digits); ECDSA P-256 DER at most 72 bytes, Ed25519 64.
pub const MAX_SIGNATURE_HEX: usize = 1024;

/// Largest RSA modulus accepted, in bits (the spec's minimum is 2048).
pub const MAX_RSA_BITS: usize = 4096;

/// Most entries in a snapshot's `meta` (Sigstore's: 6).
pub const MAX_META_ENTRIES: usize = 1024;

/// Most entries in a targets' `targets` (Sigstore's: 11).
pub const MAX_TARGETS: usize = 4096;

/// Longest target or metadata path, in bytes (Sigstore's longest:
/// `signing_config_rekor_v2.v0.2.json`, 33). Linux's PATH_MAX is 4096.
pub const MAX_PATH_BYTES: usize = 4096;
