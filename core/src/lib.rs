//! # oms-edge-core
//!
//! An offline, `no_std`, allocation-free verifier for OpenSSF Model Signing
//! (OMS) signatures: a Sigstore bundle holding a DSSE envelope whose payload
//! is an in-toto statement listing every file (or shard) of a model with its
//! digest.
//!
//! The pipeline authenticates first, parses second and hashes last; each
//! step owns its checks and fails closed with a typed [`Error`]:
//!
//! | step | module | checks |
//! |---|---|---|
//! | 2 | [`bundle`] | bundle JSON, media type, verification material, envelope |
//! | 5 | `x509` (feature `certificate`) | certificate chain to a pinned root at a given time |
//! | 7 | [`keys`], [`dsse`] | pinned key, hint, DSSE PAE signature (and the pre-1.0 compat PAE) |
//! | 8 | [`statement`], [`manifest`] | statement and predicate types, serialization, resource names, order, shards, root digest |
//! | 9 | [`model`], [`hashing`] | every file present and matching, no unsigned file |
//!
//! Values that prove a step passed ([`dsse::VerifiedPayload`],
//! [`manifest::VerifiedManifest`], [`model::VerifiedModel`]) can only be
//! built by the step that checked them.
//!
//! The core never reads a clock, a file system or the network: bundle and
//! key bytes come in as slices, model bytes through a [`model::ModelSource`]
//! of the caller's, time as a parameter, and every buffer is the caller's.
//! The key method allocates nothing; the certificate method (feature
//! `certificate`) uses `alloc` for X.509 and RSA, bounded by the chain.
//! Memory use never depends on the model's size; bounds on untrusted input
//! live in [`limits`].
//!
//! ## Example: verify a key-signed model held in memory
//!
//! ```
//! use oms_edge_core::keys::PublicKey;
//! use oms_edge_core::model::{ModelOptions, SliceModel};
//!
//! let bundle = include_bytes!("../../testdata/sample/model.sig");
//! let key = PublicKey::from_pem_or_der(include_bytes!("../../testdata/sample/key.pub"))?;
//!
//! // Authenticate the bundle, then parse its manifest.
//! let mut payload = vec![0u8; bundle.len()];
//! let manifest = oms_edge_core::verify_key_bundle(bundle, &key, &mut payload)?;
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
//! let verified = manifest.verify_model(&mut source, ModelOptions::default(), &mut buf)?;
//! assert_eq!(verified.resources, 3);
//!
//! // A flipped bit is caught, and the error names the check and resource.
//! let mut tampered = files[1].1.to_vec();
//! tampered[7] ^= 1;
//! let files = [files[0], ("model.safetensors", &tampered[..]), files[2]];
//! let mut source = SliceModel::new(&files, &mut listed);
//! let err = manifest.verify_model(&mut source, ModelOptions::default(), &mut buf).unwrap_err();
//! assert!(matches!(
//!     err,
//!     oms_edge_core::Error::Model {
//!         index: 1,
//!         cause: oms_edge_core::error::ModelError::DigestMismatch { .. }
//!     }
//! ));
//! # Ok::<(), oms_edge_core::Error>(())
//! ```

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
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
        clippy::arithmetic_side_effects
    )
)]

#[cfg(test)]
extern crate std;

#[cfg(any(feature = "certificate", feature = "tuf"))]
extern crate alloc;

pub mod bundle;
#[cfg(feature = "sigstore")]
pub mod checkpoint;
pub mod dsse;
pub mod error;
pub mod hashing;
pub mod json;
pub mod keys;
pub mod limits;
#[cfg(feature = "sigstore")]
pub mod logkey;
pub mod manifest;
pub mod merkle;
pub mod model;
mod pem;
#[cfg(feature = "sigstore")]
pub mod policy;
#[cfg(feature = "sigstore")]
pub mod registry;
#[cfg(feature = "sigstore")]
pub mod sct;
#[cfg(feature = "sigstore")]
pub mod sigstore;
pub mod statement;
#[cfg(feature = "sigstore")]
pub mod timestamp;
#[cfg(feature = "sigstore")]
pub mod tlog;
#[cfg(feature = "sigstore")]
pub mod trust_root;
#[cfg(feature = "tuf")]
pub mod tuf;
pub mod verify;
#[cfg(feature = "certificate")]
pub mod x509;

pub use error::Error;
pub use verify::{verify_key_bundle, verify_key_model};
#[cfg(feature = "certificate")]
pub use x509::verify_certificate_bundle;
