//! `oms-edge verify --policy POLICY MODEL` and `oms-edge policy check
//! POLICY`: read the policy (whole, before anything else), the
//! signatures, check the model once per distinct manifest, report every
//! signer's verdict.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use oms_edge_core::{Error, ObservedTime, SigstoreEvidence};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::eval::{Attempt, Evaluation, Evidence, Principal};
use super::{Policy, describe, evaluate};
use crate::report::{Outcome, Report, failure_json, usage_error};
use crate::verify::{Control, Run, check_verified_manifest, read_signature, time_at};
use crate::{CommonVerifyArgs, ModelArgs};

/// Flags of `verify --policy`. Besides the policy and the signatures,
/// the model flags are `verify key`'s.
#[derive(Debug, Args)]
pub struct PolicyVerifyArgs {
    /// The admission policy (TOML; see docs/policy.md): which signers,
    /// how many of them.
    #[arg(long, value_name = "POLICY", required = true)]
    pub policy: Option<PathBuf>,
    /// A signature (Sigstore bundle). Repeatable.
    #[arg(long = "signature", value_name = "SIGNATURE_PATH")]
    pub signatures: Vec<PathBuf>,
    /// A directory whose every `*.sig` file is a signature (not searched
    /// below).
    #[arg(long = "signature-dir", value_name = "DIR")]
    pub signature_dir: Option<PathBuf>,
    /// Verify as of this time (RFC 3339, UTC) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub model: ModelArgs,
    /// The model: a directory or a single file.
    #[arg(value_name = "MODEL_PATH", required = true)]
    pub model_path: Option<PathBuf>,
}

impl PolicyVerifyArgs {
    /// The flags of a single-signature verification of `signature`.
    fn common(&self, signature: &Path) -> CommonVerifyArgs {
        CommonVerifyArgs {
            signature: signature.to_path_buf(),
            model: self.model.clone(),
            model_path: self.model_path.clone().unwrap_or_default(),
        }
    }
}

/// `oms-edge policy ...`.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Check a policy file and say what it requires, in words (exit 0
    /// valid, 2 not).
    Check {
        /// The policy file.
        #[arg(value_name = "POLICY")]
        policy: PathBuf,
    },
}

/// `oms-edge policy check`.
pub fn policy_command(cmd: &PolicyCommand) -> ExitCode {
    match cmd {
        PolicyCommand::Check { policy } => match Policy::load(policy) {
            Ok(p) => {
                out!("{}", describe::describe(&p));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

/// A policy run's result: a usage error, or the verdict and its report.
#[derive(Debug)]
pub enum PolicyRun {
    /// Exit 2 with this message.
    Usage(String),
    /// The verdict (`met`) and the JSON document; `lines` for people.
    Done {
        /// Whether the model passes.
        met: bool,
        /// The `--json` document.
        doc: Value,
        /// What is printed without `--json`.
        lines: Vec<String>,
    },
    /// Stopped through [`Control`]'s cancel flag before a verdict.
    Cancelled,
}

impl PolicyRun {
    /// Prints the result and returns the exit code.
    pub fn exit(self, json: bool) -> ExitCode {
        match self {
            PolicyRun::Usage(msg) => usage_error(&msg),
            PolicyRun::Cancelled => {
                eprintln!("error: verification cancelled");
                ExitCode::from(1)
            }
            PolicyRun::Done { met, doc, lines } => {
                if json {
                    out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
                } else if met {
                    for l in &lines {
                        out!("{l}");
                    }
                } else {
                    for l in &lines {
                        eprintln!("{l}");
                    }
                }
                if met {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// `oms-edge verify --policy`: the policy first (whole; any error is
/// exit 2 before a signature is read), then the signatures, then
/// [`evaluate`] with the model checked once per distinct manifest.
pub fn verify(args: &PolicyVerifyArgs) -> PolicyRun {
    verify_with(args, Control::default())
}

/// [`verify`], under `control` (the Python package's Ctrl-C).
pub fn verify_with(args: &PolicyVerifyArgs, control: Control<'_>) -> PolicyRun {
    let Some(policy_path) = &args.policy else {
        return PolicyRun::Usage("give the policy with --policy".to_owned());
    };
    let policy = match Policy::load(policy_path) {
        Ok(p) => p,
        Err(e) => return PolicyRun::Usage(e.to_string()),
    };
    let time = match time_at(args.at.as_deref()) {
        Ok(t) => t,
        Err(e) => return PolicyRun::Usage(e.message),
    };
    let paths = match signature_paths(args) {
        Ok(p) => p,
        Err(msg) => return PolicyRun::Usage(msg),
    };
    let mut bundles = Vec::with_capacity(paths.len());
    for p in &paths {
        match read_signature(p) {
            Ok(b) => bundles.push(b),
            Err(e) => return PolicyRun::Usage(e.message),
        }
    }
    let model_path = args.model_path.clone().unwrap_or_default();
    if let Err(e) = std::fs::metadata(&model_path) {
        return PolicyRun::Usage(format!("model {}: {e}", model_path.display()));
    }
    let refs: Vec<&[u8]> = bundles.iter().map(Vec::as_slice).collect();
    let eval = evaluate(&policy, &refs, time, |manifest, members| {
        let first = &paths[members[0]];
        let others: Vec<PathBuf> = paths
            .iter()
            .enumerate()
            .filter(|(i, _)| !members.contains(i))
            .map(|(_, p)| p.clone())
            .chain(members.iter().skip(1).map(|&i| paths[i].clone()))
            .collect();
        match check_verified_manifest(manifest, &args.common(first), &others, "policy", control) {
            Run::Done(report, Outcome::Verified(v)) => Ok((report, v)),
            Run::Done(report, Outcome::Failed(f)) => Err(Checked::Failed(report, f)),
            Run::Usage(e) => Err(Checked::Usage(e.message)),
            Run::Cancelled => Err(Checked::Cancelled),
        }
    });
    if eval
        .manifests
        .iter()
        .any(|g| matches!(g.result, Err(Checked::Cancelled)))
    {
        return PolicyRun::Cancelled;
    }
    // A model that cannot be read at all is a usage error, as for one
    // signature.
    for g in &eval.manifests {
        if let Err(Checked::Usage(msg)) = &g.result {
            return PolicyRun::Usage(msg.clone());
        }
    }
    report(&policy, &paths, &model_path, &eval)
}

/// What checking the model with one manifest gave.
#[derive(Debug)]
pub enum Checked {
    /// The model did not match (with the single-signature report).
    Failed(Box<Report>, crate::report::Failure),
    /// The model could not be read.
    Usage(String),
    /// Stopped by [`Control`]'s cancel flag (never reported: the run
    /// ends as [`PolicyRun::Cancelled`]).
    Cancelled,
}

type Verdict = (Box<Report>, oms_edge_core::VerifiedModel);

/// Every `--signature`, then every `*.sig` of `--signature-dir` (sorted),
/// each file once.
fn signature_paths(args: &PolicyVerifyArgs) -> Result<Vec<PathBuf>, String> {
    let mut paths = args.signatures.clone();
    if let Some(dir) = &args.signature_dir {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("--signature-dir {}: {e}", dir.display()))?;
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| format!("--signature-dir {}: {e}", dir.display()))?;
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "sig")
                && std::fs::metadata(&path).is_ok_and(|m| m.is_file())
            {
                found.push(path);
            }
        }
        found.sort();
        paths.extend(found);
    }
    if args.signatures.is_empty() && args.signature_dir.is_none() {
        return Err(
            "give the signatures with --signature (repeatable) or --signature-dir".to_owned(),
        );
    }
    // The same file named twice is one signature.
    let mut seen = Vec::new();
    paths.retain(|p| {
        let key = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
    Ok(paths)
}

fn rfc3339(t: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(t))
        .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who made a signature, as the report shows it.
fn principal_json(p: &Principal) -> Value {
    match p {
        Principal::Key(h) => json!({ "key": format!("sha256:{}", hex(h)) }),
        Principal::Identity { san, issuer } => json!({ "identity": san, "issuer": issuer }),
    }
}

fn sigstore_json(e: &SigstoreEvidence) -> Value {
    json!({
        "identity": e.identity().map(|i| i.san.clone()),
        "issuer": e.identity().map(|i| i.issuer.clone()),
        "extensions": e.identity().map(|i| i.extensions.iter().map(|x| json!({
            "name": x.extension.name(),
            "oid": x.read_from.oid(),
            "value": x.value,
        })).collect::<Vec<_>>()).unwrap_or_default(),
        "key": e.key().name(),
        "tlog_entries": e.entries().len(),
        "verified_times": e.times().iter().map(|t| json!({
            "source": match t { ObservedTime::Tlog(_) => "tlog", _ => "timestamp" },
            "time": rfc3339(t.time().secs()),
        })).collect::<Vec<_>>(),
        "scts": e.scts(),
    })
}

/// What a verification proved, as the report shows it.
fn evidence_json(e: &Evidence) -> Value {
    match e {
        Evidence::Key(k) => json!({ "key": k.algorithm().name() }),
        Evidence::Certificate(c) => {
            let mut buf = [0u8; oms_edge_core::limits::MAX_SPKI_BYTES];
            let key_id = c
                .leaf_public_key()
                .to_spki_der(&mut buf)
                .map(|d| format!("sha256:{}", hex(&Sha256::digest(d))))
                .ok();
            json!({
                "subject": c.leaf().subject,
                "sans": c.leaf().sans,
                "key": c.leaf_key().name(),
                "key_id": key_id,
                "path_len": c.path_len(),
            })
        }
        Evidence::Sigstore(s) => sigstore_json(s),
    }
}

/// The most telling failure of a signer over all signatures: one of its
/// own method (a signature of another method fails at the material).
fn best_failure<'e>(
    attempts: impl Iterator<Item = (usize, &'e Error)>,
) -> Option<(usize, &'e Error)> {
    let all: Vec<_> = attempts.collect();
    all.iter()
        .find(|(_, e)| e.check() != oms_edge_core::Check::BundleMaterialMismatch)
        .or_else(|| all.first())
        .copied()
}

fn name_of(p: &Path) -> String {
    p.display().to_string()
}

/// The verdict's JSON document and lines.
fn report(
    policy: &Policy,
    paths: &[PathBuf],
    model_path: &Path,
    eval: &Evaluation<Verdict, Checked>,
) -> PolicyRun {
    let mut lines = Vec::new();
    let signer_name = |j: usize| {
        policy
            .signers
            .get(j)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    // Per signer.
    let mut signers_json = Vec::new();
    let mut reasons = Vec::new();
    for (j, signer) in policy.signers.iter().enumerate() {
        let counted = eval.counted_signature(j);
        let attempts: Vec<Value> = eval
            .signatures
            .iter()
            .enumerate()
            .map(|(i, v)| match v.attempts.get(j) {
                Some(Attempt::Verified(ev)) => json!({
                    "signature": name_of(&paths[i]),
                    "result": "verified",
                    "signed_by": evidence_json(ev),
                    "manifest": v.manifest,
                    "manifest_matches_model": v.manifest.and_then(|g| eval.manifests.get(g)).map(|g| g.result.is_ok()),
                }),
                Some(Attempt::Failed(e)) => json!({
                    "signature": name_of(&paths[i]),
                    "result": "failed",
                    "failure": failure_json(e, e.to_string()),
                }),
                None => Value::Null,
            })
            .collect();
        let reason = if counted.is_some() {
            None
        } else {
            Some(unsatisfied_reason(j, policy, paths, eval))
        };
        if let Some(r) = &reason {
            reasons.push(format!("  {}: {r}", signer.name));
        }
        signers_json.push(json!({
            "name": signer.name,
            "method": signer.kind.method(),
            "verdict": if counted.is_some() { "satisfied" } else { "not satisfied" },
            "signature": counted.map(|i| name_of(&paths[i])),
            "signed_by": counted.and_then(|i| match eval.signatures[i].attempts.get(j) {
                Some(Attempt::Verified(ev)) => Some(evidence_json(ev)),
                _ => None,
            }),
            "reason": reason,
            "attempts": attempts,
        }));
    }
    // Per signature.
    let signatures_json: Vec<Value> = eval
        .signatures
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let admitted: Vec<String> = v
                .attempts
                .iter()
                .enumerate()
                .filter(|(_, a)| matches!(a, Attempt::Verified(_)))
                .map(|(j, _)| signer_name(j))
                .collect();
            json!({
                "path": name_of(&paths[i]),
                "signed_by": v.principal.as_ref().map(principal_json),
                "admitted_by": admitted,
                "counted_for": v.counted_for.map(signer_name),
                "manifest": v.manifest,
            })
        })
        .collect();
    // Per manifest.
    let mut hashed = 0u64;
    let mut resources = 0usize;
    let manifests_json: Vec<Value> = eval
        .manifests
        .iter()
        .enumerate()
        .map(|(g, m)| {
            let (doc, line) = match &m.result {
                Ok((report, v)) => {
                    hashed = hashed.saturating_add(v.bytes);
                    resources = resources.max(v.resources);
                    (report.document(Some(*v), None), None)
                }
                Err(Checked::Failed(report, f)) => {
                    (report.document(None, Some(f)), Some(report.failure_line(f)))
                }
                Err(Checked::Usage(msg)) => (
                    json!({ "verdict": "error", "message": msg }),
                    Some(msg.clone()),
                ),
                Err(Checked::Cancelled) => (
                    json!({ "verdict": "cancelled" }),
                    Some("cancelled".to_owned()),
                ),
            };
            json!({
                "index": g,
                "signatures": m.signatures.iter().map(|&i| name_of(&paths[i])).collect::<Vec<_>>(),
                "model_matches": m.result.is_ok(),
                "mismatch": line,
                "check": doc,
            })
        })
        .collect();
    let threshold = policy.requirement.threshold;
    let required: Vec<String> = policy
        .requirement
        .signers
        .iter()
        .map(|&j| signer_name(j))
        .collect();
    let counted_names: Vec<String> = eval
        .counted
        .iter()
        .map(|&(j, i)| format!("{} ({})", signer_name(j), name_of(&paths[i])))
        .collect();
    let message = format!(
        "policy {} needs {threshold} of {} signer{} ({}); {} counted{}",
        policy.file.display(),
        required.len(),
        if required.len() == 1 { "" } else { "s" },
        required.join(", "),
        eval.counted.len(),
        if counted_names.is_empty() {
            String::new()
        } else {
            format!(": {}", counted_names.join(", "))
        },
    );
    if eval.met {
        let manifests = eval.manifests.len();
        lines.push(format!(
            "verified: {} (policy {}: {} of {threshold} required signer{} counted: {}; {manifests} manifest{}, {resources} resources, {hashed} bytes)",
            model_path.display(),
            policy.file.display(),
            eval.counted.len(),
            if threshold == 1 { "" } else { "s" },
            counted_names.join(", "),
            if manifests == 1 { "" } else { "s" },
        ));
    } else {
        lines.push(format!("not verified: {message}"));
        lines.extend(reasons);
    }
    let doc = json!({
        "verdict": if eval.met { "verified" } else { "not verified" },
        "method": "policy",
        "policy": {
            "path": policy.file.display().to_string(),
            "threshold": threshold,
            "signers": required,
        },
        "model": { "path": model_path.display().to_string() },
        "requirement": {
            "threshold": threshold,
            "counted": eval.counted.len(),
            "met": eval.met,
        },
        "signers": signers_json,
        "signatures": signatures_json,
        "manifests": manifests_json,
        "bytes_hashed": hashed,
        "failure": if eval.met { Value::Null } else { json!({
            "step": "requirement",
            "check": "requirement.not_met",
            "code": null,
            "field": null,
            "message": message,
        }) },
    });
    PolicyRun::Done {
        met: eval.met,
        doc,
        lines,
    }
}

/// Why signer `j` does not count, in one line.
fn unsatisfied_reason(
    j: usize,
    policy: &Policy,
    paths: &[PathBuf],
    eval: &Evaluation<Verdict, Checked>,
) -> String {
    if paths.is_empty() {
        return "no signature".to_owned();
    }
    // It admitted a signature: why that one does not count.
    for (i, v) in eval.signatures.iter().enumerate() {
        if !matches!(v.attempts.get(j), Some(Attempt::Verified(_))) {
            continue;
        }
        let sig = name_of(&paths[i]);
        match v
            .manifest
            .and_then(|g| eval.manifests.get(g))
            .map(|g| &g.result)
        {
            Some(Err(Checked::Failed(report, f))) => {
                return format!(
                    "{sig} verifies, but the model does not match its manifest: {}",
                    report.failure_line(f)
                );
            }
            Some(Err(Checked::Usage(msg))) => return format!("{sig}: {msg}"),
            _ => {}
        }
        if let Some(other) = v.counted_for.or_else(|| {
            // Its signer counts for another signer with another signature.
            let who = v.principal.as_ref()?;
            eval.counted.iter().find_map(|&(k, s)| {
                (eval.signatures[s].principal.as_ref() == Some(who) && k != j).then_some(k)
            })
        }) && other != j
        {
            let name = policy.signers.get(other).map_or("?", |s| s.name.as_str());
            return format!("{sig} verifies, but its signer already counts for {name:?}");
        }
    }
    let failures =
        eval.signatures
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v.attempts.get(j) {
                Some(Attempt::Failed(e)) => Some((i, e)),
                _ => None,
            });
    match best_failure(failures) {
        Some((i, e)) if e.check() == oms_edge_core::Check::BundleMaterialMismatch => format!(
            "no signature of method {:?} ({}: {})",
            policy.signers.get(j).map_or("?", |s| s.kind.method()),
            name_of(&paths[i]),
            e.check().as_str()
        ),
        Some((i, e)) => format!("{}: {} ({})", name_of(&paths[i]), e, e.check().as_str()),
        None => "no signature".to_owned(),
    }
}
