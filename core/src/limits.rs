//! Every numeric bound the verifier applies to untrusted input, in one place.
//!
//! Hostile input meets one of these limits and gets a typed error; it never
//! gets a panic, a hang or unbounded memory. Nothing here scales with the size
//! of the model: model bytes are streamed through a caller-owned buffer.

/// Largest bundle (`model.sig`) accepted, in bytes.
///
/// A manifest of one million files is about 150 MB of JSON once base64
/// encoded; 256 MiB leaves room for that and stops a runaway input early.
pub const MAX_BUNDLE_BYTES: usize = 256 * 1024 * 1024;

/// Deepest JSON nesting accepted (objects and arrays) in a bundle or payload.
///
/// A Sigstore bundle nests 6 levels, an OMS statement 5; unknown fields may
/// add some. The JSON reader is iterative, so this bound is about rejecting
/// nonsense, not about stack depth.
pub const MAX_JSON_DEPTH: usize = 64;

/// Most signatures a DSSE envelope may list before it is rejected outright
/// (OMS requires exactly one; this only bounds the counting).
pub const MAX_DSSE_SIGNATURES: usize = 16;

/// Largest DER-encoded ECDSA signature accepted (P-521 needs at most 139).
pub const MAX_SIGNATURE_BYTES: usize = 160;

/// Largest DER SubjectPublicKeyInfo accepted for a key (P-521 needs 158).
pub const MAX_SPKI_BYTES: usize = 256;

/// Largest PEM document accepted for a public key (base64 plus boundaries).
pub const MAX_PEM_BYTES: usize = 64 * 1024;

/// Most resource descriptors (files or shards) one manifest may list.
pub const MAX_RESOURCES: usize = 1 << 22;

/// Longest resource name (a relative path, plus `:start:end` for a shard),
/// in bytes of UTF-8 after JSON unescaping. Linux's PATH_MAX is 4096.
pub const MAX_NAME_BYTES: usize = 4096;

/// Longest hex digest accepted in a manifest (BLAKE2b-512: 128 characters).
pub const MAX_DIGEST_HEX: usize = 128;

/// Largest shard size accepted. The reference writes `shard_size` as a JSON
/// float; integers above 2^53 are not exactly representable, so they are
/// refused rather than silently rounded.
pub const MAX_SHARD_SIZE: u64 = 1 << 53;

/// Most `serialization.ignore_paths` entries honoured from a signed predicate.
pub const MAX_IGNORE_PATHS: usize = 1024;

/// Most certificates in a bundle's `x509CertificateChain` (leaf included).
pub const MAX_CHAIN_CERTS: usize = 8;

/// Largest DER certificate accepted.
pub const MAX_CERT_BYTES: usize = 16 * 1024;

/// Most certificates a caller's trust store may hold.
pub const MAX_TRUST_CERTS: usize = 256;

/// Most hashes an RFC 6962 inclusion proof may carry. A tree of up to
/// 2^64 − 1 leaves never needs more than 64, so this rejects no valid proof;
/// it bounds the work a hostile proof can ask for.
pub const MAX_INCLUSION_PROOF_HASHES: usize = 64;

/// Most transparency-log entries a bundle may list (`tlogEntries`), as in
/// sigstore-go (`internal/limits`, `MaxAllowedTlogEntries`).
pub const MAX_TLOG_ENTRIES: usize = 32;
