//! Every numeric bound the verifier applies to untrusted input, in one place.
//!
//! Hostile input meets one of these limits and gets a typed error; it never
//! gets a panic, a hang or unbounded memory. Nothing here scales with the size
//! of the model: model bytes are streamed through a caller-owned buffer.

/// Largest bundle (`model.sig`) accepted, in bytes.
///
/// The reference's bundle for one million files (`d0000/f0000000.bin`,
/// SHA-256; `bench/run.sh --scale huge-count`) is 228,001,131 bytes, its
/// payload 171 MB before base64; 256 MiB (268 MB) admits it and stops a
/// runaway input early. Names of the longest kind that
/// [`MAX_NAME_BYTES`] allows do not fit a million to a bundle: the bound
/// is on the bundle, [`MAX_RESOURCES`] on the count.
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

/// Largest signature accepted: an RSA-4096 one (the largest of the
/// Sigstore algorithm registry) is 512 bytes; DER ECDSA on P-521 at most
/// 139.
pub const MAX_SIGNATURE_BYTES: usize = 512;

/// Largest DER SubjectPublicKeyInfo accepted for a key (P-521 needs 158).
pub const MAX_SPKI_BYTES: usize = 256;

/// Largest DER SubjectPublicKeyInfo accepted for a sigstore-method key
/// (the Sigstore algorithm registry's RSA-4096 needs 550).
pub const MAX_RSA_SPKI_BYTES: usize = 1024;

/// Largest PEM document accepted for a public key (base64 plus boundaries).
pub const MAX_PEM_BYTES: usize = 64 * 1024;

/// Most resource descriptors (files or shards) one manifest may list.
pub const MAX_RESOURCES: usize = 1 << 22;

/// Longest resource path (a shard's name without its `:start:end`), in
/// bytes of UTF-8 after JSON unescaping. Linux's PATH_MAX is 4096.
pub const MAX_NAME_BYTES: usize = 4096;

/// Longest `:start:end` suffix of a shard's name: two colons and two
/// decimal `u64`s of at most 20 digits. Only bounds the counting of a
/// name's bytes; the path part is what [`MAX_NAME_BYTES`] limits.
pub const MAX_SHARD_SUFFIX_BYTES: usize = 2 * (1 + 20);

/// Longest hex digest accepted in a manifest (BLAKE2b-512: 128 characters).
pub const MAX_DIGEST_HEX: usize = 128;

/// Largest shard size accepted: any `u64` (a signer's "never shard" is
/// often written `1e+16`). The reference writes `shard_size` as a JSON
/// float, so above 2^53 only integers that a binary64 float holds exactly
/// are accepted: any other one means something else to a reader that
/// parses it as a float (the reference among them).
pub const MAX_SHARD_SIZE: u64 = u64::MAX;

/// Most `serialization.ignore_paths` entries honoured from a signed predicate.
pub const MAX_IGNORE_PATHS: usize = 1024;

/// Most certificates in a bundle's `x509CertificateChain` (leaf included).
pub const MAX_CHAIN_CERTS: usize = 8;

/// Most signature verifications one certificate path search may spend
/// (`x509`). A real chain needs one per link (2 or 3); each further
/// candidate whose name matches costs one more. 64 allows every ordering
/// of a full bundle chain with alternatives, and bounds a hostile pool of
/// same-named certificates (rustls-webpki allows 100).
pub const MAX_PATH_SEARCH_SIGNATURES: usize = 64;

/// Largest DER certificate accepted.
pub const MAX_CERT_BYTES: usize = 16 * 1024;

/// Most certificates a caller's trust store may hold.
pub const MAX_TRUST_CERTS: usize = 256;

/// Largest trusted root (`trusted_root.json`) or client trust config
/// accepted, in bytes. The production root is about 7 KB and the staging
/// root about 8 KB; 128 KiB leaves room for private deployments with long
/// RSA chains and many retired instances.
pub const MAX_TRUST_ROOT_BYTES: usize = 128 * 1024;

/// Most entries in each list of a trusted root (`tlogs`, `ctlogs`,
/// `certificateAuthorities`, `timestampAuthorities`). Staging lists 4 logs;
/// every retired instance stays listed, so this allows years of rotations.
pub const MAX_TRUST_ROOT_ENTRIES: usize = 32;

/// Most certificates in one `certChain` of a trusted root (Fulcio and the
/// TSAs use 1 or 2: an intermediate and a root).
pub const MAX_TRUST_ROOT_CHAIN_CERTS: usize = 8;

/// Largest signed checkpoint (`inclusionProof.checkpoint.envelope`) accepted,
/// in bytes. C2SP signed-note asks verifiers to accept at least 16
/// signatures of up to nearly 5 kB each (post-quantum); a Rekor checkpoint
/// is a few hundred bytes. Parsing borrows from the input and allocates
/// nothing, so this bounds work, not memory.
pub const MAX_CHECKPOINT_BYTES: usize = 128 * 1024;

/// Most signature lines a checkpoint may carry (the log's and its
/// witnesses'). C2SP signed-note requires accepting at least 16;
/// sigstore-go (`golang.org/x/mod/sumdb/note`) stops at 100. Each line that
/// names the log's key costs one signature verification.
pub const MAX_CHECKPOINT_SIGNATURES: usize = 32;

/// Most extension lines after a checkpoint's root hash (Rekor v1 writes one,
/// `Timestamp: …`; C2SP tlog-checkpoint does not recommend any).
pub const MAX_CHECKPOINT_EXTENSIONS: usize = 16;

/// Most RFC 3161 timestamps a bundle may carry (sigstore-go's
/// `maxAllowedTimestamps`).
pub const MAX_TIMESTAMPS: usize = 32;

/// Largest DER `TimeStampResp` accepted. A response with a three-certificate
/// RSA-4096 chain embedded is about 6 KiB.
pub const MAX_TIMESTAMP_BYTES: usize = 32 * 1024;

/// Most certificates a timestamp token may embed (they are compared with
/// the trusted TSA's, never trusted themselves).
pub const MAX_TSA_EMBEDDED_CERTS: usize = 8;

/// Most signed attributes a timestamp token's `SignerInfo` may carry (TSAs
/// send three or four: contentType, signingTime, messageDigest,
/// signingCertificate).
pub const MAX_SIGNED_ATTRIBUTES: usize = 16;

/// Most SCTs accepted in a leaf certificate's embedded SCT list (RFC 6962
/// §3.3). Fulcio embeds one, web PKI certificates two to five; each SCT from
/// a trusted log costs one signature verification.
pub const MAX_EMBEDDED_SCTS: usize = 16;
/// Most hashes an RFC 6962 inclusion proof may carry. A tree of up to
/// 2^64 − 1 leaves never needs more than 64, so this rejects no valid proof;
/// it bounds the work a hostile proof can ask for.
pub const MAX_INCLUSION_PROOF_HASHES: usize = 64;

/// Most transparency-log entries a bundle may list (`tlogEntries`), as in
/// sigstore-go (`internal/limits`, `MaxAllowedTlogEntries`).
pub const MAX_TLOG_ENTRIES: usize = 32;

// ---- Offline trust updates (TUF, feature `tuf`) ----------------------
//
//
//
// Sizes measured on Sigstore's production repository (`sigstore/root-signing`,
// 2025-10-15 and 2026-08-21, `testdata/tuf/sigstore-prod/`): root.json at
// most 6 911 bytes (v10, 7 keys, 10 signatures), timestamp.json 451,
// snapshot.json 1 760, targets.json 4 942 (11 targets), trusted_root.json
// 6 787. python-tuf's client defaults (`UpdaterConfig`) are given for
// comparison: root 512 000, timestamp 16 384, snapshot 2 000 000, targets
// 5 000 000 bytes, 256 root rotations. The limits below are tighter for the
// large roles because this client only needs the top-level roles of a
// trust-root repository, and the heap an update uses is a small multiple of
// the largest document (see `tuf`).

/// Largest root.json: 64 KiB, nine times Sigstore's largest (6 911 bytes);
/// room for 20 RSA-4096 keys with their signatures (about 1.9 KB each).
pub const MAX_TUF_ROOT_BYTES: usize = 64 * 1024;

/// Largest timestamp.json: python-tuf's default, 16 KiB (Sigstore's: 451).
pub const MAX_TUF_TIMESTAMP_BYTES: usize = 16 * 1024;

/// Largest snapshot.json: 256 KiB (Sigstore's: 1 760 bytes for 6 entries;
/// room for about a thousand entries with two hashes each).
pub const MAX_TUF_SNAPSHOT_BYTES: usize = 256 * 1024;

/// Largest targets.json: 1 MiB (Sigstore's: 4 942 bytes for 11 targets;
/// room for about 2 000 targets with custom metadata).
pub const MAX_TUF_TARGETS_BYTES: usize = 1024 * 1024;

/// Largest target file accepted (`trusted_root.json`): 1 MiB. Sigstore's is
/// 6 787 bytes; a trusted root keeping a decade of rotated CAs, logs and
/// TSAs stays far below.
pub const MAX_TUF_TARGET_BYTES: u64 = 1024 * 1024;

/// Most new root versions one update may walk (spec §5.3.3's "Y"):
/// python-tuf's default, 256. Sigstore published 15 roots in five years.
pub const MAX_TUF_ROOT_ROTATIONS: u64 = 256;

/// Deepest nesting inside a metadata document (the document's top-level
/// object is depth 1). The deepest Sigstore path is 6
/// (`signed.targets.<name>.custom.sigstore.status`); anything beyond 16 is
/// rejected before canonicalization, which recurses once per level.
pub const MAX_TUF_DEPTH: usize = 16;

/// Most signatures on one document (Sigstore's most: 10, root v9 and v10).
pub const MAX_TUF_SIGNATURES: usize = 64;

/// Most keys in a root's `keys` (Sigstore's most: 7).
pub const MAX_TUF_KEYS: usize = 64;

/// Most keyids one role lists (Sigstore's most: 5).
pub const MAX_TUF_ROLE_KEYIDS: usize = 64;

/// Longest keyid, in bytes (Sigstore's: 64 hex digits, a SHA-256).
pub const MAX_TUF_KEYID_BYTES: usize = 128;

/// Longest signature, hex encoded: RSA-4096 is 512 bytes (1 024 hex
/// digits); ECDSA P-256 DER at most 72 bytes, Ed25519 64.
pub const MAX_TUF_SIGNATURE_HEX: usize = 1024;

/// Largest RSA modulus accepted, in bits (the spec's minimum is 2048).
pub const MAX_TUF_RSA_BITS: usize = 4096;

/// Most entries in a snapshot's `meta` (Sigstore's: 6).
pub const MAX_TUF_META_ENTRIES: usize = 1024;

/// Most entries in a targets' `targets` (Sigstore's: 11).
pub const MAX_TUF_TARGETS: usize = 4096;

/// Longest target or metadata path, in bytes (Sigstore's longest:
/// `signing_config_rekor_v2.v0.2.json`, 33). Linux's PATH_MAX is 4096.
pub const MAX_TUF_PATH_BYTES: usize = 4096;

// ---- Policies (feature `regex`) ---------------------------------------

/// Longest regular expression a policy may use (`Matcher::regex`), in
/// bytes. An identity pattern for a GitHub workflow with its tags is about
/// 120 bytes; 1 KiB leaves room for alternations of several workflows.
pub const MAX_PATTERN_BYTES: usize = 1024;

/// Most heap one compiled pattern's automaton may take (regex-automata's
/// `nfa_size_limit`). A 120-byte identity pattern compiles to about 10 KiB
/// with Unicode classes (`.` alone is a few hundred states); 256 KiB
/// refuses nested counted repetitions that would blow up, not real
/// policies.
pub const MAX_PATTERN_NFA_BYTES: usize = 256 * 1024;
