//! `oms-edge verify ...`: read inputs, let the core authenticate the bundle,
//! enumerate the model under the signed policy, plan, hash in parallel,
//! tally, report.
//!
//! The library API front ends share (the binary, the Python package):
//! [`key_verifier`], [`certificate_verifier`], [`time_at`] and
//! [`crate::sigstore::load_trust`] turn the flags' files into a verifier,
//! [`verify_model`] checks a model with it and returns a [`Run`]: a
//! [`Report`] and its [`Outcome`], or a [`UsageError`]. [`key`],
//! [`certificate`] and [`crate::sigstore::verify`] do both for a command
//! line; the `_with` forms take a [`Control`] (a cancellation flag).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use oms_edge_core::limits::MAX_BUNDLE_BYTES;
use oms_edge_core::{
    CertificateVerifier, Error, JobSpec, KeyVerifier, Manifest, Method, ModelFailure, ModelOptions,
    Passed, Planned, PublicKey, Time, TrustStore, UnverifiedBundle, VerifiedManifest, Verifier,
};

use crate::exec::{self, Task};
use crate::report::{Failure, Outcome, Report, ResourceResult, Resources, usage_error};
use crate::walk::{
    DirSource, Model, WalkError, WalkOptions, normalize_relative, own_path, relative_inside,
    user_ignore,
};
use crate::{CertificateArgs, CommonVerifyArgs, KeyArgs};

/// What kind of usage or configuration error (exit 2) it is: the Python
/// package raises `FileNotFoundError`, `PermissionError`, `OSError` or
/// `ValueError` from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageKind {
    /// A file the flags name does not exist.
    NotFound,
    /// A file the flags name cannot be read for lack of permission.
    PermissionDenied,
    /// Another I/O error while reading a file the flags name.
    Io,
    /// A flag's value, or a file's content, is not acceptable.
    Invalid,
}

/// A usage or configuration error: what to tell the user, and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    /// The message (one line, no `error: ` prefix).
    pub message: String,
    /// Its kind.
    pub kind: UsageKind,
}

impl UsageError {
    /// An unacceptable value.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: UsageKind::Invalid,
        }
    }

    /// A file that could not be read: `what` names it.
    pub fn io(what: impl std::fmt::Display, e: &std::io::Error) -> Self {
        let kind = match e.kind() {
            std::io::ErrorKind::NotFound => UsageKind::NotFound,
            std::io::ErrorKind::PermissionDenied => UsageKind::PermissionDenied,
            _ => UsageKind::Io,
        };
        Self {
            message: format!("{what}: {e}"),
            kind,
        }
    }
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for UsageError {
    fn from(message: String) -> Self {
        Self::invalid(message)
    }
}

/// How a front end runs a verification besides its flags.
#[derive(Debug, Clone, Copy, Default)]
pub struct Control<'c> {
    /// Set by another thread to stop hashing (Ctrl-C in the Python
    /// package): the verification then ends as [`Run::Cancelled`].
    pub cancel: Option<&'c AtomicBool>,
}

impl Control<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// The result of a `verify` command.
#[derive(Debug)]
pub enum Run {
    /// A usage or configuration error (exit 2).
    Usage(UsageError),
    /// A verdict, with what to report.
    Done(Box<Report>, Outcome),
    /// Stopped through [`Control::cancel`] before a verdict.
    Cancelled,
}

impl Run {
    /// Prints the result and returns the exit code.
    pub fn exit(self) -> ExitCode {
        match self {
            Run::Usage(e) => usage_error(&e.message),
            Run::Done(report, outcome) => report.finish(outcome),
            Run::Cancelled => usage_error("cancelled"),
        }
    }

    /// The outcome, if the command got that far.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self {
            Run::Usage(_) | Run::Cancelled => None,
            Run::Done(_, o) => Some(o),
        }
    }

    fn failed(report: Report, failure: Failure) -> Self {
        Run::Done(Box::new(report), Outcome::Failed(failure))
    }
}

/// The verifier of `verify key`: the public key file (PEM or DER SPKI).
pub fn key_verifier(public_key: &Path) -> Result<KeyVerifier, UsageError> {
    let bytes = std::fs::read(public_key).map_err(|e| {
        UsageError::io(
            format_args!("cannot read public key {}", public_key.display()),
            &e,
        )
    })?;
    let key = PublicKey::from_pem_or_der(&bytes)
        .map_err(|e| UsageError::invalid(format!("public key {}: {e}", public_key.display())))?;
    Ok(KeyVerifier::new(key))
}

/// The verifier of `verify certificate`: every `--certificate-chain` file
/// (PEM, or one DER certificate) in one trust store, which must hold a
/// self-signed root.
pub fn certificate_verifier(chain: &[PathBuf]) -> Result<CertificateVerifier, UsageError> {
    if chain.is_empty() {
        return Err(UsageError::invalid(
            "give the trusted root(s) with --certificate-chain (oms-edge never uses system roots)",
        ));
    }
    let mut store = TrustStore::new();
    for path in chain {
        let bytes = std::fs::read(path).map_err(|e| {
            UsageError::io(
                format_args!("cannot read certificate chain {}", path.display()),
                &e,
            )
        })?;
        let added = if bytes.first() == Some(&0x30) {
            store.add_der(&bytes).map(|()| 1)
        } else {
            store.add_pem(&bytes)
        };
        if let Err(e) = added {
            return Err(UsageError::invalid(format!(
                "certificate chain {}: {e}",
                path.display()
            )));
        }
    }
    if store.anchor_count() == 0 {
        return Err(UsageError::invalid(
            "--certificate-chain holds no self-signed root to trust",
        ));
    }
    Ok(CertificateVerifier::new(store))
}

/// The verification time `--at` names (RFC 3339), or now.
pub fn time_at(at: Option<&str>) -> Result<Time, UsageError> {
    let time = match at {
        None => std::time::SystemTime::now(),
        Some(at) => humantime::parse_rfc3339_weak(at).map_err(|e| {
            UsageError::invalid(format!(
                "--at {at:?}: {e} (want RFC 3339, e.g. 2026-01-31T12:00:00Z)"
            ))
        })?,
    };
    Ok(time_of(time))
}

/// `verify key`.
pub fn key(args: &KeyArgs) -> Run {
    key_with(args, Control::default())
}

/// [`key`], under `control`.
pub fn key_with(args: &KeyArgs, control: Control<'_>) -> Run {
    let verifier = match key_verifier(&args.public_key) {
        Ok(v) => v,
        Err(e) => return Run::Usage(e),
    };
    // A key has no validity period: the key method needs no time.
    verify_model(
        &args.common,
        "key",
        Some(verifier.key().curve_name()),
        &verifier,
        Time::NoClock,
        control,
        |_, _| {},
    )
}

/// `verify certificate`.
pub fn certificate(args: &CertificateArgs) -> Run {
    certificate_with(args, Control::default())
}

/// [`certificate`], under `control`.
pub fn certificate_with(args: &CertificateArgs, control: Control<'_>) -> Run {
    let verifier = match certificate_verifier(&args.certificate_chain) {
        Ok(v) => v,
        Err(e) => return Run::Usage(e),
    };
    let time = match time_at(args.at.as_deref()) {
        Ok(t) => t,
        Err(e) => return Run::Usage(e),
    };
    verify_model(
        &args.common,
        "certificate",
        None,
        &verifier,
        time,
        control,
        |_, _| {},
    )
}

/// `time` as the core's verification time.
pub fn time_of(time: std::time::SystemTime) -> Time {
    Time::at_secs(
        time.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// What every method shares: read the signature and find the model,
/// authenticate with `verifier` at `time` (`describe` adds what the
/// evidence says to the report), then check the model under `args`
/// (enumerate, plan, hash on all cores, tally). `method` and `key` (the
/// pinned key's algorithm) name them in the report.
pub fn verify_model<V: Verifier>(
    args: &CommonVerifyArgs,
    method: &'static str,
    key: Option<&'static str>,
    verifier: &V,
    time: Time,
    control: Control<'_>,
    describe: impl FnOnce(&V::Evidence, &mut Report),
) -> Run {
    let inputs = match Inputs::read(args) {
        Ok(i) => i,
        Err(e) => return Run::Usage(e),
    };
    let mut payload = vec![0u8; inputs.bundle.len()];
    let mut report = Report::new(method, &inputs.model_path, args.json);
    report.key = key;
    match verifier.verify(&inputs.bundle, time, &mut payload) {
        Ok(verified) => {
            describe(verified.evidence(), &mut report);
            check_model(verified.manifest(), &inputs, args, control, report)
        }
        Err(e) => failed(report, e, &inputs.bundle),
    }
}

/// Checks the model at `args.model_path` against `manifest`, verified by a
/// policy run that had several signatures: `args.signature` is one whose
/// manifest this is, `others` the run's other signature files. Those are
/// left out of the model like the signature itself, unless the manifest
/// lists them (a co-signer who signed after another may have signed the
/// first signature as a model file).
pub fn check_verified_manifest(
    manifest: &VerifiedManifest<'_>,
    args: &CommonVerifyArgs,
    others: &[PathBuf],
    method: &'static str,
    control: Control<'_>,
) -> Run {
    let mut inputs = match Inputs::locate(args) {
        Ok(i) => i,
        Err(e) => return Run::Usage(e),
    };
    inputs.others = others.iter().map(|p| own_path(p)).collect();
    let report = Report::new(method, &inputs.model_path, args.json);
    check_model(manifest, &inputs, args, control, report)
}

/// The bundle's decoded payload, read without any check.
pub fn raw_payload(bundle: &[u8]) -> Result<Vec<u8>, Error> {
    let parsed = UnverifiedBundle::parse(bundle)?;
    let mut buf = vec![0u8; bundle.len()];
    let n = parsed.payload(&mut buf)?.len();
    buf.truncate(n);
    Ok(buf)
}

/// Reports a failure of the bundle, signature or manifest steps.
fn failed(mut report: Report, e: Error, bundle: &[u8]) -> Run {
    // A manifest rule failed after the signature verified: name the entry.
    if matches!(e, Error::Manifest { .. } | Error::Statement(_))
        && let Some(i) = e.resource_index()
        && let Ok(payload) = raw_payload(bundle)
    {
        report.failed_name = Manifest::resource_name_at(&payload, i).map(|n| n.chars().collect());
    }
    Run::failed(report, Failure::core(e, None))
}

/// The files a verification reads before the core runs.
struct Inputs {
    bundle: Vec<u8>,
    model_path: PathBuf,
    root: PathBuf,
    signature: PathBuf,
    /// Other signatures of a policy run (their own paths).
    others: Vec<PathBuf>,
}

impl Inputs {
    /// The model's root and the signature's own path, without reading the
    /// signature.
    fn locate(args: &CommonVerifyArgs) -> Result<Self, UsageError> {
        let root = std::fs::canonicalize(&args.model_path)
            .map_err(|e| UsageError::io(format_args!("model {}", args.model_path.display()), &e))?;
        // The signature's own name, not what a link there points at: a
        // link into the model does not take a model file out of it.
        Ok(Self {
            bundle: Vec::new(),
            model_path: args.model_path.clone(),
            root,
            signature: own_path(&args.signature),
            others: Vec::new(),
        })
    }

    fn read(args: &CommonVerifyArgs) -> Result<Self, UsageError> {
        let mut inputs = Self::locate(args)?;
        inputs.bundle = read_signature(&args.signature)?;
        Ok(inputs)
    }
}

/// A signature file's bytes, at most `MAX_BUNDLE_BYTES` of them.
pub fn read_signature(path: &Path) -> Result<Vec<u8>, UsageError> {
    let cannot_read = |e: std::io::Error| {
        UsageError::io(format_args!("cannot read signature {}", path.display()), &e)
    };
    let meta = std::fs::metadata(path).map_err(cannot_read)?;
    if meta.len() > MAX_BUNDLE_BYTES as u64 {
        return Err(UsageError::invalid(format!(
            "signature {} is larger than {MAX_BUNDLE_BYTES} bytes",
            path.display()
        )));
    }
    std::fs::read(path).map_err(cannot_read)
}

/// Everything after the bundle verified: enumerate, plan, hash, tally.
fn check_model(
    manifest: &VerifiedManifest<'_>,
    inputs: &Inputs,
    args: &CommonVerifyArgs,
    control: Control<'_>,
    mut report: Report,
) -> Run {
    report.set_manifest_fields(manifest);
    // The report's copy of the resource list (a string per resource, for
    // messages and --json) is made on another core while this one walks
    // the model and plans: with many files, that is time off the serial
    // part that precedes hashing.
    std::thread::scope(|s| {
        let listing = s.spawn(|| Resources::of(manifest));
        check_listed_model(manifest, inputs, args, control, report, || {
            listing.join().unwrap_or_else(|_| Resources::of(manifest))
        })
    })
}

/// [`check_model`] once `listing` can give the resource list: the steps
/// of OMS §8.4–8.5 in order.
fn check_listed_model(
    manifest: &VerifiedManifest<'_>,
    inputs: &Inputs,
    args: &CommonVerifyArgs,
    control: Control<'_>,
    mut report: Report,
    listing: impl FnOnce() -> Resources,
) -> Run {
    let mut listing = Some(listing);
    let mut listed = move |report: &mut Report| {
        if let Some(f) = listing.take() {
            report.set_resources(f());
        }
    };
    // 1. What the model is: the signed symlink policy and every path left
    // out, then the walk.
    let mut source = match enumerate_model(manifest, inputs, args, &mut report) {
        Ok(source) => source,
        Err(e) => {
            listed(&mut report);
            return Run::failed(report, Failure::walk(&e));
        }
    };
    // 2. Plan: every signed file exists, sharded sizes fit, no unsigned
    // file.
    let plan = plan_model(manifest, &mut source, args.ignore_unsigned_files);
    listed(&mut report);
    report.unsigned = if args.ignore_unsigned_files {
        Vec::new()
    } else {
        let exempt = matches!(manifest.serialization().method, Method::Shards { .. });
        source.unlisted(exempt).map(|e| e.rel.clone()).collect()
    };
    let mut results = plan.results;
    let planned = match plan.planned {
        Ok(p) => p,
        Err(e) => {
            report.resources = results;
            let first = plan.first_failure.unwrap_or(e);
            let unsigned = report.unsigned.first().cloned();
            return Run::failed(report, Failure::core(first, unsigned));
        }
    };
    // 3. Hash every planned range on all cores.
    let never = AtomicBool::new(false);
    let cancel = control.cancel.unwrap_or(&never);
    let outcomes = hash_planned(&plan.tasks, &plan.specs, args.quiet || args.json, cancel);
    if control.cancelled() {
        return Run::Cancelled;
    }
    // 4. Tally in manifest order.
    let verdict = tally_model(manifest, &plan.specs, outcomes, planned, &mut results);
    report.resources = results;
    match verdict {
        Ok(v) => Run::Done(Box::new(report), Outcome::Verified(v)),
        Err(e) => Run::failed(report, Failure::core(e, None)),
    }
}

/// Step 1: the model's files, enumerated under the signed `allow_symlinks`
/// and `ignore_paths`, the user's `--ignore-paths` and the signature's own
/// path (decided as text under the model root, never through a link).
fn enumerate_model(
    manifest: &VerifiedManifest<'_>,
    inputs: &Inputs,
    args: &CommonVerifyArgs,
    report: &mut Report,
) -> Result<DirSource, WalkError> {
    let ser = *manifest.serialization();
    let signed_symlinks = ser.allow_symlinks;
    if args.allow_symlinks && !signed_symlinks && !args.json {
        eprintln!(
            "warning: --allow-symlinks not applied: the signature was made with allow_symlinks=false"
        );
    }
    let user: Vec<_> = args
        .ignore_paths
        .iter()
        .map(|p| user_ignore(&inputs.root, p))
        .collect();
    let mut ignored: Vec<String> = user.iter().filter_map(|u| u.rel.clone()).collect();
    report.set_user_ignores(&user);
    if let Some(list) = ser.ignore_paths {
        for s in list.iter() {
            let s: String = s.chars().collect();
            if let Some(rel) = normalize_relative(&s) {
                ignored.push(rel);
            }
        }
    }
    if let Some(rel) = relative_inside(&inputs.root, &inputs.signature) {
        ignored.push(rel);
    }
    for other in &inputs.others {
        if let Some(rel) = relative_inside(&inputs.root, other)
            && !manifest.resources().any(|r| r.path_bytes().eq(rel.bytes()))
        {
            ignored.push(rel);
        }
    }
    let opts = WalkOptions {
        ignore_git_paths: !args.no_ignore_git_paths,
        allow_symlinks: signed_symlinks,
        ignored,
    };
    let model = Model::walk(&inputs.root, &inputs.model_path, &opts)?;
    report.set_links(&model);
    Ok(DirSource::new(model))
}

/// What planning found: the ranges to hash, each resource's standing, and
/// the plan's verdict (check 4 included).
struct Plan<'m> {
    tasks: Vec<Task>,
    specs: Vec<JobSpec<'m>>,
    results: Vec<ResourceResult>,
    first_failure: Option<Error>,
    planned: Result<Planned<'m>, Error>,
}

/// Step 2: plan (existence, sizes) in manifest order, every failure seen.
fn plan_model<'m>(
    manifest: &'m VerifiedManifest<'_>,
    source: &mut DirSource,
    ignore_unsigned_files: bool,
) -> Plan<'m> {
    let opts = ModelOptions::default().ignoring_unsigned_files(ignore_unsigned_files);
    let mut planner = manifest.planner(opts);
    let mut plan = Plan {
        tasks: Vec::new(),
        specs: Vec::new(),
        results: vec![ResourceResult::NotChecked; manifest.len()],
        first_failure: None,
        planned: Err(Error::UnsignedFile),
    };
    while let Some(item) = planner.next(source) {
        match item {
            Ok(job) => {
                let Some(entry) = source.lookup(job.path) else {
                    continue;
                };
                plan.tasks.push(Task {
                    path: entry.abs.clone(),
                    offset: job.spec.offset(),
                    len: job.spec.len(),
                });
                plan.specs.push(job.spec);
            }
            Err(e) => {
                let e = Error::from(e);
                if let Some(i) = e.resource_index()
                    && let Some(slot) = plan.results.get_mut(i)
                {
                    *slot = ResourceResult::Failed(e);
                }
                plan.first_failure.get_or_insert(e);
            }
        }
    }
    plan.planned = planner.finish(source).map_err(Error::from);
    plan
}

/// Step 3: hash every planned range on all cores (a progress bar for
/// large models unless `quiet`).
fn hash_planned<'m>(
    tasks: &[Task],
    specs: &[JobSpec<'m>],
    quiet: bool,
    cancel: &AtomicBool,
) -> Vec<Result<Passed<'m>, ModelFailure>> {
    let total: u64 = tasks.iter().map(|t| t.len).sum();
    let bar = exec::progress(total, quiet);
    let outcomes = exec::run_until(tasks, bar.as_ref(), cancel, |i| specs[i].start());
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    outcomes
}

/// Step 4: every resource's pass, in manifest order, and the plan make the
/// verdict; each resource's standing goes to `results`.
fn tally_model<'m>(
    manifest: &'m VerifiedManifest<'_>,
    specs: &[JobSpec<'m>],
    outcomes: Vec<Result<Passed<'m>, ModelFailure>>,
    planned: Planned<'m>,
    results: &mut [ResourceResult],
) -> Result<oms_edge_core::VerifiedModel, Error> {
    let mut tally = manifest.tally();
    let mut failure = None;
    for (spec, outcome) in specs.iter().zip(outcomes) {
        let slot = results.get_mut(spec.index());
        match outcome {
            Ok(passed) => {
                if let Some(slot) = slot {
                    *slot = ResourceResult::Ok;
                }
                // After a failure the tally is moot (and would see a gap).
                if failure.is_none()
                    && let Err(e) = tally.record(passed)
                {
                    failure = Some(Error::from(e));
                }
            }
            Err(e) => {
                let e = Error::from(e);
                if let Some(slot) = slot {
                    *slot = ResourceResult::Failed(e);
                }
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(tally.finish(planned)?)
}
