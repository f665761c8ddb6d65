//! Output: one line for people (stdout on success, stderr on failure), or a
//! stable JSON document with `--json`; and the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use oms_edge_core::{
    Digest, Error, Method, ModelError, PaeEncoding, VerifiedManifest, VerifiedModel,
};
use serde_json::{Value, json};

use crate::walk::{Model, UserIgnore, WalkError};

/// Exit code 2 with a message.
pub fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

/// Where one resource stands.
#[derive(Debug, Clone, Copy)]
pub enum ResourceResult {
    /// Not reached (an earlier check failed).
    NotChecked,
    /// Present and matching.
    Ok,
    /// This check failed.
    Failed(Error),
}

/// Why a model is not verified.
#[derive(Debug)]
pub enum Failure {
    /// A check of the core.
    Core {
        /// The error.
        error: Error,
        /// For an unsigned file: which one.
        file: Option<String>,
    },
    /// The model could not be enumerated under the signed policy.
    Walk {
        /// What went wrong.
        message: String,
        /// A stable name for it.
        check: &'static str,
    },
}

impl Failure {
    /// From a core error.
    pub fn core(error: Error, file: Option<String>) -> Self {
        Failure::Core { error, file }
    }

    /// From an enumeration error.
    pub fn walk(e: &WalkError) -> Self {
        let check = match e {
            WalkError::SymlinkNotAllowed(_) => "symlink_not_allowed",
            WalkError::SymlinkEscapes(_) => "symlink_escapes",
            WalkError::SymlinkLoop(_) => "symlink_loop",
            WalkError::NotUtf8(_) => "name_not_utf8",
            WalkError::NotRegular(_) => "not_regular_file",
            WalkError::Io(..) => "io",
            WalkError::Empty => "empty_model",
        };
        Failure::Walk {
            message: e.to_string(),
            check,
        }
    }
}

/// The verdict.
#[derive(Debug)]
pub enum Outcome {
    /// Every check passed.
    Verified(VerifiedModel),
    /// A check failed.
    Failed(Failure),
}

/// What the manifest says about one resource.
#[derive(Debug, Clone)]
struct Listed {
    name: String,
    algorithm: &'static str,
    digest: Digest,
}

impl Listed {
    fn of(r: &oms_edge_core::Resource<'_>) -> Self {
        Listed {
            name: r.name.chars().collect(),
            algorithm: r.digest.algorithm().name(),
            digest: r.digest,
        }
    }
}

/// The manifest's resources as the report names them (one allocation per
/// resource: built on another thread while the model is walked, for
/// `--json` only).
#[derive(Debug)]
pub struct Resources(Vec<Listed>);

impl Resources {
    /// Every resource of `m`, in manifest order.
    pub fn of(m: &VerifiedManifest<'_>) -> Self {
        Self(m.resources().map(|r| Listed::of(&r)).collect())
    }

    /// No list: the report names only the resource that failed
    /// ([`Report::name_resource`]).
    pub fn none() -> Self {
        Self(Vec::new())
    }
}

/// Everything the report prints.
#[derive(Debug)]
pub struct Report {
    method: &'static str,
    model_path: PathBuf,
    json: bool,
    /// The key's curve, for the key method.
    pub key: Option<&'static str>,
    /// What a Sigstore verification proved (signer, log entries, times).
    pub signer: Option<Value>,
    model_name: Option<String>,
    root_digest: Option<Digest>,
    predicate_type: Option<&'static str>,
    pae: Option<&'static str>,
    serialization: Option<Value>,
    listed: Vec<Listed>,
    /// Without the list: the resource a failure names, and its index.
    named: Option<(usize, Listed)>,
    /// Per-resource results, in manifest order (`--json` only).
    pub resources: Vec<ResourceResult>,
    /// Files on disk the manifest does not list.
    pub unsigned: Vec<String>,
    /// The name of the resource a manifest error is about, when the
    /// manifest was rejected as a whole (so `listed` is empty).
    pub failed_name: Option<String>,
    /// How each `--ignore-paths` was read, and what it leaves out.
    user_ignores: Vec<Value>,
    /// The file symlinks followed, and where to.
    links: Vec<Value>,
}

fn short(d: &Digest) -> String {
    let hex = d.hex().to_string();
    format!("{}…", &hex[..hex.len().min(12)])
}

/// A stable identifier of the failed check, e.g. `model.digest_mismatch`
/// (the core's [`oms_edge_core::Check`] name).
pub fn check_name(e: &Error) -> &'static str {
    e.check().as_str()
}

/// The `failure` member of `--json` for a core error: its step, stable
/// check name and number, the JSON member it is about (if any), and
/// `message`.
pub fn failure_json(e: &Error, message: String) -> Value {
    json!({
        "step": e.step(),
        "check": e.check().as_str(),
        "code": e.check().code(),
        "field": e.field().map(|f| f.to_string()),
        "message": message,
    })
}

impl Report {
    /// An empty report for `method` on `model_path`.
    pub fn new(method: &'static str, model_path: &Path, json: bool) -> Self {
        Self {
            method,
            model_path: model_path.to_path_buf(),
            json,
            key: None,
            signer: None,
            model_name: None,
            root_digest: None,
            predicate_type: None,
            pae: None,
            serialization: None,
            listed: Vec::new(),
            named: None,
            resources: Vec::new(),
            unsigned: Vec::new(),
            failed_name: None,
            user_ignores: Vec::new(),
            links: Vec::new(),
        }
    }

    /// Records how the `--ignore-paths` were read.
    pub fn set_user_ignores(&mut self, ignores: &[UserIgnore]) {
        self.user_ignores = ignores
            .iter()
            .map(|u| {
                json!({
                    "given": u.given.display().to_string(),
                    "relative_to": u.meaning.name(),
                    "ignores": u.rel,
                })
            })
            .collect();
    }

    /// Records the file symlinks the walk followed (signed
    /// `allow_symlinks: true`), with their targets.
    pub fn set_links(&mut self, model: &Model) {
        self.links = model
            .links()
            .map(|(name, target)| json!({ "name": name, "target": target.display().to_string() }))
            .collect();
    }

    /// Records what the verified manifest says.
    pub fn set_manifest(&mut self, m: &VerifiedManifest<'_>) {
        self.set_manifest_fields(m);
        self.set_resources(Resources::of(m));
    }

    /// [`Report::set_manifest`] but for the resource list.
    pub fn set_manifest_fields(&mut self, m: &VerifiedManifest<'_>) {
        self.model_name = m.model_name().map(|n| n.chars().collect());
        self.root_digest = m.root_digest();
        self.predicate_type = Some(m.format().predicate_type());
        self.pae = Some(match m.pae_encoding() {
            PaeEncoding::Compat => "compat",
            _ => "standard",
        });
        let ser = m.serialization();
        let ignore: Vec<String> = ser
            .ignore_paths
            .map(|a| a.iter().map(|s| s.chars().collect()).collect())
            .unwrap_or_default();
        self.serialization = Some(json!({
            "method": ser.method.name(),
            "hash_type": ser.hash.name(),
            "shard_size": match ser.method { Method::Shards { shard_size } => Some(shard_size), _ => None },
            "allow_symlinks": ser.allow_symlinks,
            "ignore_paths": ignore,
        }));
    }

    /// The resource list, made apart (on another thread) with
    /// [`Resources::of`]; [`Report::set_manifest_fields`] sets the rest.
    pub fn set_resources(&mut self, r: Resources) {
        self.listed = r.0;
        self.resources = vec![ResourceResult::NotChecked; self.listed.len()];
    }

    /// Keeps what `m` lists at `index` for the failure line, when the
    /// report has no list of every resource.
    pub fn name_resource(&mut self, m: &VerifiedManifest<'_>, index: usize) {
        if self.listed.is_empty() {
            self.named = m.resources().nth(index).map(|r| (index, Listed::of(&r)));
        }
    }

    fn listed_at(&self, index: usize) -> Option<&Listed> {
        self.listed.get(index).or(match &self.named {
            Some((i, l)) if *i == index => Some(l),
            _ => None,
        })
    }

    fn name_of(&self, index: usize) -> String {
        self.listed_at(index)
            .map(|l| l.name.clone())
            .or_else(|| self.failed_name.clone())
            .unwrap_or_else(|| "?".to_owned())
    }

    /// The one-line explanation of a failure.
    pub fn failure_line(&self, f: &Failure) -> String {
        match f {
            Failure::Walk { message, .. } => message.clone(),
            Failure::Core {
                error: Error::UnsignedFile,
                file,
            } => {
                let more = self.unsigned.len().saturating_sub(1);
                let file = file.clone().unwrap_or_else(|| "?".to_owned());
                if more > 0 {
                    format!("{file:?}: file is not in the signed manifest (and {more} more)")
                } else {
                    format!("{file:?}: file is not in the signed manifest")
                }
            }
            Failure::Core { error, .. } => self.error_line(error),
        }
    }

    fn error_line(&self, e: &Error) -> String {
        let Some(index) = e.resource_index() else {
            return e.to_string();
        };
        let what = match e {
            Error::Model {
                cause: ModelError::DigestMismatch { actual },
                ..
            } => {
                let expected = self
                    .listed_at(index)
                    .map(|l| short(&l.digest))
                    .unwrap_or_default();
                format!(
                    "{} mismatch (expected {expected}, got {})",
                    actual.algorithm().name(),
                    short(actual)
                )
            }
            other => {
                let s = other.to_string();
                s.strip_prefix("manifest: ").map(str::to_owned).unwrap_or(s)
            }
        };
        format!("manifest[{index}] {:?}: {what}", self.name_of(index))
    }

    fn failure_json(&self, f: &Failure) -> Value {
        match f {
            Failure::Walk { message, check } => json!({
                "step": "model", "check": check, "code": null, "field": null,
                "resource": null, "file": null, "message": message,
            }),
            Failure::Core { error, file } => {
                let index = error.resource_index();
                let file = file.clone().or_else(|| index.map(|i| self.name_of(i)));
                let mut doc = failure_json(error, self.failure_line(f));
                doc["resource"] = json!(index);
                doc["file"] = json!(file);
                doc
            }
        }
    }

    fn resources_json(&self) -> Vec<Value> {
        self.listed
            .iter()
            .zip(&self.resources)
            .map(|(l, r)| {
                let (result, error, actual) = match r {
                    ResourceResult::NotChecked => ("not checked", None, None),
                    ResourceResult::Ok => ("ok", None, None),
                    ResourceResult::Failed(e) => {
                        let actual = match e {
                            Error::Model {
                                cause: ModelError::DigestMismatch { actual },
                                ..
                            } => Some(actual.hex().to_string()),
                            _ => None,
                        };
                        ("failed", Some(check_name(e)), actual)
                    }
                };
                json!({
                    "name": l.name,
                    "algorithm": l.algorithm,
                    "digest": l.digest.hex().to_string(),
                    "result": result,
                    "error": error,
                    "actual": actual,
                })
            })
            .collect()
    }

    /// The `--json` document of a verdict: verified, or failed with
    /// `failure`.
    pub fn document(&self, verified: Option<VerifiedModel>, failure: Option<&Failure>) -> Value {
        json!({
            "verdict": if verified.is_some() { "verified" } else { "not verified" },
            "method": self.method,
            "model": { "path": self.model_path.display().to_string(), "name": self.model_name },
            "key": self.key,
            "sigstore": self.signer,
            "root_digest": self.root_digest.map(|d| format!("sha256:{}", d.hex())),
            "predicate_type": self.predicate_type,
            "pae": self.pae,
            "serialization": self.serialization,
            "resources": self.resources_json(),
            "unsigned_files": self.unsigned,
            "ignore_paths": self.user_ignores,
            "symlinks": self.links,
            "bytes_hashed": verified.map(|v| v.bytes),
            "failure": failure.map(|f| self.failure_json(f)),
        })
    }

    /// The `--json` document of `outcome` (the Python package's result
    /// and exception are made from it).
    pub fn to_json(&self, outcome: &Outcome) -> Value {
        match outcome {
            Outcome::Verified(v) => self.document(Some(*v), None),
            Outcome::Failed(f) => self.document(None, Some(f)),
        }
    }

    /// Prints the verdict and returns the exit code.
    pub fn finish(self, outcome: Outcome) -> ExitCode {
        let (verified, failure) = match &outcome {
            Outcome::Verified(v) => (Some(*v), None),
            Outcome::Failed(f) => (None, Some(f)),
        };
        if self.json {
            let doc = self.document(verified, failure);
            out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        } else if let Some(v) = verified {
            let root = v
                .root_digest
                .map(|d| format!(", root digest sha256:{}", d.hex()))
                .unwrap_or_default();
            out!(
                "verified: {} ({} resources, {} bytes, {} method{root})",
                self.model_path.display(),
                v.resources,
                v.bytes,
                self.method,
            );
        } else if let Some(f) = failure {
            eprintln!("not verified: {}", self.failure_line(f));
        }
        if verified.is_some() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}
