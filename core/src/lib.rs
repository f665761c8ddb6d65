//! # oms-edge-core
//!
//! An offline, `no_std` verifier for OpenSSF Model Signing (OMS)
//! signatures: a Sigstore bundle holding a DSSE envelope whose payload is
//! an in-toto statement listing every file (or shard) of a model with its
//! digest.
//!
//! Build a [`Verifier`] once from its trust material, verify each bundle
//! with it, then stream the model through the [`VerifiedManifest`] it
//! returns:
//!
//! | method | verifier | feature |
//! |---|---|---|
//! | `key` | [`KeyVerifier::new`]`(public_key)` | (always) |
//! | `certificate` | `CertificateVerifier::new(trust_store)`, `CertificateVerifier::with_leaf_policy` | `certificate` |
//! | `sigstore` | `SigstoreVerifier::new(&trusted_root, identity_policy)`, `SigstoreVerifier::with_key` | `sigstore` |
//!
//! The pipeline authenticates first, parses second and hashes last; each
//! step owns its checks and fails closed with a typed [`Error`], whose
//! [`Error::check`] is a stable [`Check`] code:
//!
//! | step | checks | codes |
//! |---|---|---|
//! | 1 | the trusted root (sigstore) | `trust_root.*` |
//! | 2 | bundle JSON, media type, verification material, envelope | `bundle.*` |
//! | 3–4 | transparency-log entries, checkpoints, RFC 3161 timestamps (sigstore) | `tlog.*`, `checkpoint.*`, `timestamp.*` |
//! | 5 | certificate path to a pinned root at a given time; SCTs (sigstore) | `x509.*`, `sct.*` |
//! | 6 | identity policy and Fulcio leaf profile (sigstore) | `policy.*` |
//! | 7 | pinned key, hint, DSSE signature (and the pre-1.0 compat PAE) | `key.*`, `dsse.*` |
//! | 8 | statement and predicate types, serialization, resource names, order, shards, root digest | `statement.*`, `manifest.*` |
//! | 9 | every file present and matching, no unsigned file | `model.*` |
//!
//! Values that prove a step passed ([`VerifiedManifest`], [`Passed`],
//! [`VerifiedModel`]) can only be built by the step that checked them.
//! The whole list of checks, with their codes, is `docs/checks.md`.
//!
//! The core never reads a clock, a file system or the network: bundle and
//! key bytes come in as slices, model bytes through a [`ModelSource`] of
//! the caller's, the time as a [`Time`] (which can say "no clock"), and
//! every buffer is the caller's. The key method allocates nothing; the
//! certificate and sigstore methods use `alloc` for X.509, bounded by the
//! bundle. Memory use never depends on the model's size; bounds on
//! untrusted input live in [`limits`].
//!
//! ## Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `p256` | yes | ECDSA P-256 with SHA-256 |
//! | `p384` | yes | ECDSA P-384 with SHA-384 (implies `sha512`) |
//! | `p521` | yes | ECDSA P-521 with SHA-512 (implies `sha512`) |
//! | `rsa` | yes | RSA 2048–4096, PKCS#1 v1.5 and PSS (certificate and sigstore methods) |
//! | `sha512` | yes | SHA-384 and SHA-512 signature hashes |
//! | `blake2b` | yes | the `blake2b` manifest hash |
//! | `blake3` | yes | the `blake3` manifest hash |
//! | `certificate` | no | the certificate method (needs `alloc` and atomics: Cortex-M3 and up) |
//! | `sigstore` | no | the sigstore method (implies `certificate`) |
//! | `regex` | no | anchored regular expressions in identity and leaf policies (`Matcher::regex`; implies `certificate`) |
//! | `parallel` | no | **std only**: BLAKE3 over rayon's threads for large buffers (brings `std` in through `blake3`; the CLI uses it) |
//! | `defmt` | no | `defmt::Format` for every error, check and public enum |
//!
//! A key, certificate, bundle or manifest that needs an algorithm left out
//! fails with that step's unsupported-algorithm check
//! (`key.unsupported_algorithm`, `statement.unsupported_algorithm`,
//! `x509.unsupported_signature_algorithm`), never with a wrong verdict.
//! The smallest build, for a device that pins one P-256 key:
//! `default-features = false, features = ["p256"]`.
//!
//! ## Example: verify a key-signed model held in memory
//!
//! ```
//! # #[cfg(feature = "p256")] {
//! use oms_edge_core::{KeyVerifier, ModelOptions, PublicKey, SliceModel, Time, Verifier};
//!
//! let bundle = include_bytes!("../../testdata/sample/model.sig");
//! let key = PublicKey::from_pem_or_der(include_bytes!("../../testdata/sample/key.pub"))?;
//! let verifier = KeyVerifier::new(key);
//!
//! // Authenticate the bundle, then parse its manifest.
//! let mut payload = vec![0u8; bundle.len()];
//! let verified = verifier.verify(bundle, Time::NoClock, &mut payload)?;
//! let manifest = verified.manifest();
//! assert_eq!(manifest.len(), 3);
//!
//! // Stream the model's files through a fixed buffer.
//! let files: [(&str, &[u8]); 3] = [
//!     ("config.json", include_bytes!("../../testdata/sample/model/config.json")),
//!     ("model.safetensors", include_bytes!("../../testdata/sample/model/model.safetensors")),
//!     ("tokenizer/vocab.txt", include_bytes!("../../testdata/sample/model/tokenizer/vocab.txt")),
//! ];
//! let mut listed = [false; 3];
//! let mut source = SliceModel::new(&files, &mut listed);
//! let mut buf = [0u8; 1024];
//! let model = manifest.verify_model(&mut source, ModelOptions::default(), &mut buf)?;
//! assert_eq!(model.resources, 3);
//!
//! // A flipped bit is caught, and the error names the check and resource.
//! let mut tampered = files[1].1.to_vec();
//! tampered[7] ^= 1;
//! let files = [files[0], ("model.safetensors", &tampered[..]), files[2]];
//! let mut source = SliceModel::new(&files, &mut listed);
//! let err: oms_edge_core::Error = manifest
//!     .verify_model(&mut source, ModelOptions::default(), &mut buf)
//!     .unwrap_err()
//!     .into();
//! assert_eq!(err.check().as_str(), "model.digest_mismatch");
//! assert_eq!(err.resource_index(), Some(1));
//! # }
//! # Ok::<(), oms_edge_core::Error>(())
//! ```

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs, unreachable_pub, clippy::as_conversions)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::as_conversions
    )
)]

#[cfg(test)]
extern crate std;

#[cfg(any(feature = "certificate", feature = "tuf"))]
extern crate alloc;

// The ground floor: used by every step, using nothing of ours.
mod check;
mod encoding;
mod json;
pub mod limits;
mod time;

// The pipeline steps, in the order the key path runs them.
mod bundle;
mod dsse;
mod hashing;
mod keys;
mod manifest;
mod model;
mod statement;
#[cfg(feature = "certificate")]
mod x509;
// What a policy expects of a certificate's text values.
#[cfg(feature = "certificate")]
mod matcher;
// Everything only the sigstore method needs.
#[cfg(feature = "sigstore")]
mod sigstore;
// Offline TUF trust updates: its own namespace (its roles, fields and
// checks would collide with the pipeline's names at the crate root).
#[cfg(feature = "tuf")]
pub mod tuf;

// Gathers the steps' errors; then the API over the steps.
mod error;
mod verify;

pub use crate::bundle::{BundleError, BundleVersion, MaterialKind};
pub use crate::check::Check;
pub use crate::dsse::{DsseError, PaeEncoding};
pub use crate::encoding::Hex;
pub use crate::error::Error;
pub use crate::hashing::{Digest, HashAlgorithm, Hasher};
pub use crate::json::{Bytes, Chars, Field, JsonError, JsonStr, Problem};
pub use crate::keys::{Digests, KeyAlgorithm, KeyError, KeyHints, PublicKey, SigHash};
pub use crate::manifest::{
    IgnorePaths, Manifest, ManifestError, Method, PredicateFormat, Resource, Resources,
    Serialization, VerifiedManifest, reference_path_cmp,
};
pub use crate::model::{
    Job, JobSpec, ModelError, ModelFailure, ModelOptions, ModelSource, Passed, Planned, Planner,
    SliceModel, Stream, Tally, VerifiedModel,
};
pub use crate::statement::StatementError;
pub use crate::time::{Time, UnixInstant, UnixTime};
pub use crate::verify::{KeyEvidence, KeyVerifier, UnverifiedBundle, Verified, Verifier};

#[cfg(feature = "certificate")]
pub use crate::matcher::{MatchKind, Matcher, MatcherError};
#[cfg(feature = "certificate")]
pub use crate::verify::{CertificateEvidence, CertificateVerifier};
#[cfg(feature = "certificate")]
pub use crate::x509::{CertPosition, CertificateError, LeafIdentity, LeafPolicy, TrustStore};

#[cfg(feature = "sigstore")]
pub use crate::sigstore::{
    Artifact, ArtifactDigest, ObservedTime, SigstoreError,
    checkpoint::CheckpointError,
    logkey::{KeyDetails, LogKey, LogKeyError},
    merkle::MerkleError,
    policy::{ExtensionValue, FulcioExtension, Identity, IdentityPolicy, PolicyError, SanKind},
    registry::SigstoreKey,
    sct::{SctError, SctFailure, SctPart},
    timestamp::TimestampError,
    tlog::TlogError,
    trust_root::{
        CLIENT_TRUST_CONFIG_MEDIA_TYPE, CertificateAuthority, Location, PRODUCTION_TRUSTED_ROOT,
        STAGING_TRUSTED_ROOT, TRUSTED_ROOT_MEDIA_TYPES, TimeRange, TransparencyLog, TrustRootError,
        TrustedRoot,
    },
};
#[cfg(feature = "sigstore")]
pub use crate::verify::{SigstoreEvidence, SigstoreVerifier, VerifiedLogEntry};

/// The internals the fuzz targets (`fuzz/`, replayed by
/// `tests/tests/fuzz_replay.rs`) and the white-box tests drive directly.
/// Not part of the API: no stability promise, may change in any release.
#[doc(hidden)]
pub mod __fuzz {
    pub use crate::bundle::{Bundle, Content, Envelope, Material, MessageDigest, MessageSignature};
    pub use crate::json::{Array, Elements, Kind, Members, Object, Value, parse as parse_json};

    /// Decodes a bundle's base64 member (as every step does).
    pub fn decode_base64<'b>(
        s: crate::JsonStr<'_>,
        buf: &'b mut [u8],
    ) -> Result<&'b [u8], crate::Problem> {
        crate::json::decode_base64(s, buf, crate::Field::Payload).map_err(|e| e.problem)
    }

    /// Verifies a DSSE envelope with `key`, the model_signing pre-1.0 PAE
    /// allowed when `compat`; returns the payload and its PAE.
    pub fn verify_envelope<'p>(
        env: &Envelope<'_>,
        key: &crate::PublicKey,
        compat: bool,
        payload_buf: &'p mut [u8],
    ) -> Result<(&'p [u8], crate::PaeEncoding), crate::DsseError> {
        let compat = compat.then_some(crate::dsse::CompatHash::KeyCurve);
        crate::dsse::verify_envelope(env, key, compat, payload_buf)
            .map(|p| (p.bytes(), p.encoding()))
    }

    #[cfg(feature = "certificate")]
    pub use crate::x509::{Cert, ChainError, validate_chain};

    /// The in-place ASN.1 readers (`docs/design.md`, "ASN.1 read in
    /// place"), for a differential fuzz target against the decoders they
    /// replace.
    #[cfg(feature = "sigstore")]
    pub mod asn1 {
        pub use crate::sigstore::timestamp::fuzz::{crl_ok, signed_data_ok, verify_timestamp};
        pub use crate::x509::san::fuzz_general_names as general_names;
    }

    #[cfg(feature = "sigstore")]
    pub use crate::sigstore::checkpoint::{
        Checkpoint, Convention, SignatureLine, SignatureLines, parse as parse_checkpoint,
        verify as verify_checkpoint,
    };
    #[cfg(feature = "sigstore")]
    pub use crate::sigstore::merkle::{
        Hash, inclusion_proof_len, leaf_hash, node_hash, root_from_inclusion_proof,
        verify_inclusion,
    };
}
