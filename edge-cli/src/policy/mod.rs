//! Admission policies: which signers a model needs, how many of them, and
//! one verdict with the reasons (`docs/policy.md`).
//!
//! A [`Policy`] is read whole from a TOML file ([`Policy::load`], module
//! `file`) and refused whole when anything in it is wrong; [`evaluate`]
//! then verifies several signatures of one model against it and counts
//! distinct signers; `oms-edge verify --policy` (module `cli`) reads the
//! signatures, checks the model once per distinct manifest and reports.
//! A binding can build or load a [`Policy`] and call [`evaluate`] with its
//! own model check.
//!
//! What is matched lives in the core (`IdentityPolicy`, `LeafPolicy`,
//! `Matcher`); this module only reads the file and counts.

pub mod cli;
pub mod describe;
mod eval;
pub mod file;

use std::path::{Path, PathBuf};

use oms_edge_core::{CertificateVerifier, IdentityPolicy, KeyVerifier, TrustedRoot};

pub use eval::{
    Attempt, Evaluation, Evidence, ManifestGroup, Principal, SignatureVerdict, evaluate,
};
pub use file::{MatcherDoc, PolicyFileError};

/// A checked policy: its signers and what it requires of them.
#[derive(Debug)]
pub struct Policy {
    /// The file it was read from (for messages).
    pub file: PathBuf,
    /// The signers, by name (in name order).
    pub signers: Vec<Signer>,
    /// How many of which signers must have signed.
    pub requirement: Requirement,
}

impl Policy {
    /// Reads and checks the policy file at `path` (every check of module
    /// `file`); relative paths in it are read from its directory.
    pub fn load(path: &Path) -> Result<Self, PolicyFileError> {
        file::load(path)
    }

    /// Checks a policy's text; `file` names it in errors, relative paths
    /// are read from `base`.
    pub fn parse(text: &str, file: &Path, base: &Path) -> Result<Self, PolicyFileError> {
        file::parse(text, file, base)
    }

    /// The signer called `name`.
    pub fn signer(&self, name: &str) -> Option<&Signer> {
        self.signers.iter().find(|s| s.name == name)
    }
}

/// One named signer and its trust material.
#[derive(Debug)]
pub struct Signer {
    /// Its name in the policy.
    pub name: String,
    /// Its method and trust material.
    pub kind: SignerKind,
}

/// A signer's method, verifier and where its trust material came from.
#[derive(Debug)]
pub enum SignerKind {
    /// A pinned public key.
    Key {
        /// The verifier.
        verifier: KeyVerifier,
        /// The key's file, or `(inline PEM)`.
        source: String,
    },
    /// Certificates chaining to pinned roots, with a leaf policy.
    Certificate {
        /// The verifier (trust store and leaf policy).
        verifier: CertificateVerifier,
        /// The root files.
        roots: Vec<String>,
        /// The intermediate files.
        intermediates: Vec<String>,
    },
    /// Sigstore keyless: a Fulcio identity under a trusted root.
    Sigstore {
        /// The trusted root.
        trust: Box<TrustedRoot>,
        /// Its file, or the bundled root's name.
        trust_source: String,
        /// Who may sign.
        policy: IdentityPolicy,
    },
}

impl SignerKind {
    /// `key`, `certificate` or `sigstore`.
    pub fn method(&self) -> &'static str {
        match self {
            SignerKind::Key { .. } => "key",
            SignerKind::Certificate { .. } => "certificate",
            SignerKind::Sigstore { .. } => "sigstore",
        }
    }
}

/// At least `threshold` of `signers` (indexes into [`Policy::signers`])
/// must have signed: distinct signers, each counted once however many
/// signatures it made, each signature counted for one signer at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// How many.
    pub threshold: usize,
    /// Of which.
    pub signers: Vec<usize>,
}
