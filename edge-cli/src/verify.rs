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

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use oms_edge_core::limits::MAX_BUNDLE_BYTES;
use oms_edge_core::{
    CertificateVerifier, Error, JobSpec, KeyEvidence, KeyVerifier, Manifest, Method, ModelFailure,
    ModelOptions, Passed, PublicKey, SigstoreVerifier, Tally, Time, TrustStore, UnverifiedBundle,
    Verified, VerifiedManifest, Verifier,
};

use crate::exec::{self, Task};
use crate::report::{Failure, Outcome, Report, ResourceResult, Resources, usage_error};
use crate::walk::{
    DirSource, Model, UserIgnore, WalkError, WalkOptions, normalize_relative, own_path,
    relative_inside, user_ignore,
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

/// A verifier the CLI hands its bundle buffer to: [`Verifier::verify`]
/// into a payload buffer of the bundle's size, unless the method can
/// decode the payload over the bundle's own bytes (the key method, by far
/// the most common for large models: a bundle of 10^6 resources is
/// 228 MB, the buffer saved as large).
pub trait BundleVerifier: Verifier {
    /// Authenticates `bundle` at `time`; `payload` may hold the decoded
    /// payload, or `bundle` itself (then overwritten).
    fn verify_buffer<'b>(
        &self,
        bundle: &'b mut Vec<u8>,
        time: Time,
        payload: &'b mut Vec<u8>,
    ) -> Result<Verified<'b, Self::Evidence>, Error> {
        payload.resize(bundle.len(), 0);
        self.verify(bundle, time, payload)
    }
}

impl BundleVerifier for KeyVerifier {
    fn verify_buffer<'b>(
        &self,
        bundle: &'b mut Vec<u8>,
        _time: Time,
        _payload: &'b mut Vec<u8>,
    ) -> Result<Verified<'b, KeyEvidence>, Error> {
        self.verify_in_place(bundle)
    }
}

impl BundleVerifier for CertificateVerifier {}

impl BundleVerifier for SigstoreVerifier<'_> {}

/// What every method shares: read the signature and find the model,
/// authenticate with `verifier` at `time` (`describe` adds what the
/// evidence says to the report), then check the model under `args`
/// (enumerate, plan, hash on all cores, tally). `method` and `key` (the
/// pinned key's algorithm) name them in the report.
pub fn verify_model<V: BundleVerifier>(
    args: &CommonVerifyArgs,
    method: &'static str,
    key: Option<&'static str>,
    verifier: &V,
    time: Time,
    control: Control<'_>,
    describe: impl FnOnce(&V::Evidence, &mut Report),
) -> Run {
    let (mut bundle, inputs) = match Inputs::read(args) {
        Ok(i) => i,
        Err(e) => return Run::Usage(e),
    };
    let mut payload = Vec::new();
    let mut report = Report::new(method, &inputs.model_path, args.model.json);
    report.key = key;
    match verifier.verify_buffer(&mut bundle, time, &mut payload) {
        Ok(verified) => {
            describe(verified.evidence(), &mut report);
            check_model(verified.manifest(), &inputs, args, control, report)
        }
        Err(e) => failed(report, e, &args.signature),
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
    let report = Report::new(method, &inputs.model_path, args.model.json);
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
fn failed(mut report: Report, e: Error, signature: &Path) -> Run {
    // A manifest rule failed after the signature verified: name the entry
    // (from the signature file read again: the key method decoded the
    // payload over the copy in memory).
    if matches!(e, Error::Manifest { .. } | Error::Statement(_))
        && let Some(i) = e.resource_index()
        && let Ok(bundle) = std::fs::read(signature)
        && let Ok(payload) = raw_payload(&bundle)
    {
        report.failed_name = Manifest::resource_name_at(&payload, i).map(|n| n.chars().collect());
    }
    Run::failed(report, Failure::core(e, None))
}

/// The files a verification reads before the core runs (the bundle's
/// bytes are returned apart: the verified manifest borrows them).
struct Inputs {
    model_path: PathBuf,
    root: PathBuf,
    signature: PathBuf,
    /// How each `--ignore-paths` was read.
    user: Vec<UserIgnore>,
    /// Other signatures of a policy run (their own paths).
    others: Vec<PathBuf>,
    /// The walk started before the bundle is verified ([`early_walk`]).
    early: Cell<Option<JoinHandle<Result<Model, WalkError>>>>,
}

impl Inputs {
    /// The model's root and the signature's own path, without reading the
    /// signature.
    fn locate(args: &CommonVerifyArgs) -> Result<Self, UsageError> {
        let root = std::fs::canonicalize(&args.model_path)
            .map_err(|e| UsageError::io(format_args!("model {}", args.model_path.display()), &e))?;
        let user = args
            .model
            .ignore_paths
            .iter()
            .map(|p| user_ignore(&root, p))
            .collect();
        // The signature's own name, not what a link there points at: a
        // link into the model does not take a model file out of it.
        Ok(Self {
            model_path: args.model_path.clone(),
            root,
            signature: own_path(&args.signature),
            user,
            others: Vec::new(),
            early: Cell::new(None),
        })
    }

    /// [`Inputs::locate`], the signature's bytes (returned apart: the
    /// verified manifest borrows them), and the model's walk started.
    fn read(args: &CommonVerifyArgs) -> Result<(Vec<u8>, Self), UsageError> {
        let inputs = Self::locate(args)?;
        let bundle = read_signature(&args.signature)?;
        inputs.early.set(Some(early_walk(&inputs, args)));
        Ok((bundle, inputs))
    }

    /// The walk's options before the signed policy is known: the git
    /// paths, the user's `--ignore-paths`, the signature's own path, and
    /// no symlink.
    fn walk_options(&self, args: &CommonVerifyArgs) -> WalkOptions {
        let mut ignored: Vec<String> = self.user.iter().filter_map(|u| u.rel.clone()).collect();
        if let Some(rel) = relative_inside(&self.root, &self.signature) {
            ignored.push(rel);
        }
        WalkOptions {
            ignore_git_paths: !args.model.no_ignore_git_paths,
            allow_symlinks: false,
            ignored,
        }
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

/// Walks the model on another core while this one verifies the bundle
/// (at 10^5 files the walk, about 0.15 s of `readdir` and `statx`, and the
/// bundle's verification take about as long). The signed policy is not
/// known yet, so it walks as strictly as any policy would: no symlink
/// (any one fails this walk) and none of the signed `ignore_paths` left
/// out. If it succeeds, it met no link, no odd file and no name that is
/// not UTF-8 anywhere, so the walk under the signed policy would have
/// listed exactly its files minus those under a signed ignore path
/// ([`Model::retain_not_under`]); if it fails, the model is walked again
/// under the signed policy, which reports its own error. Nothing of the
/// model is read before the signature verifies: this lists names and
/// sizes only. (A policy run's `check_verified_manifest` walks after its
/// bundles verified, with its other signatures left out: no early walk.)
fn early_walk(inputs: &Inputs, args: &CommonVerifyArgs) -> JoinHandle<Result<Model, WalkError>> {
    let opts = inputs.walk_options(args);
    let (root, given) = (inputs.root.clone(), inputs.model_path.clone());
    std::thread::spawn(move || Model::walk(&root, &given, &opts))
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
    if !args.model.json {
        // Without --json, the report names only the resource that failed
        // (Report::name_resource): no copy of every name.
        return check_listed_model(manifest, inputs, args, control, report, Resources::none);
    }
    // The report's copy of the resource list (a string per resource, for
    // --json) is made on another core while this one walks the model and
    // plans: with many files, that is time off the serial part that
    // precedes hashing.
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
    // 2–4. Plan (every signed file exists, sharded sizes fit, no unsigned
    // file), hash on all cores and tally in manifest order, a batch at a
    // time.
    let never = AtomicBool::new(false);
    let cancel = control.cancel.unwrap_or(&never);
    let quiet = args.model.quiet || args.model.json;
    let checked = check_in_batches(
        manifest,
        &mut source,
        args.model.ignore_unsigned_files,
        args.model.json,
        quiet,
        cancel,
    );
    if control.cancelled() {
        return Run::Cancelled;
    }
    listed(&mut report);
    report.unsigned = if args.model.ignore_unsigned_files {
        Vec::new()
    } else {
        let exempt = matches!(manifest.serialization().method, Method::Shards { .. });
        source.unlisted(exempt).map(|e| e.rel.to_owned()).collect()
    };
    report.resources = checked.results;
    let failure = match checked.verdict {
        Ok(v) => return Run::Done(Box::new(report), Outcome::Verified(v)),
        Err(Checked::Plan(e)) => {
            let unsigned = report.unsigned.first().cloned();
            Failure::core(e, unsigned)
        }
        Err(Checked::Hash(e)) => Failure::core(e, None),
    };
    if let Failure::Core { error, .. } = &failure
        && let Some(i) = error.resource_index()
    {
        report.name_resource(manifest, i);
    }
    Run::failed(report, failure)
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
    if args.model.allow_symlinks && !signed_symlinks && !args.model.json {
        eprintln!(
            "warning: --allow-symlinks not applied: the signature was made with allow_symlinks=false"
        );
    }
    report.set_user_ignores(&inputs.user);
    let mut signed: Vec<String> = Vec::new();
    if let Some(list) = ser.ignore_paths {
        for s in list.iter() {
            let s: String = s.chars().collect();
            if let Some(rel) = normalize_relative(&s) {
                signed.push(rel);
            }
        }
    }
    // The walk made while the bundle was verified, if it can stand for
    // this one (see `early_walk`); else the walk, now.
    if let Some(Ok(mut model)) = inputs.early.take().and_then(|h| h.join().ok()) {
        model.retain_not_under(&signed);
        if model.is_empty() {
            return Err(WalkError::Empty);
        }
        report.set_links(&model);
        return Ok(DirSource::new(model));
    }
    let mut opts = inputs.walk_options(args);
    opts.allow_symlinks = signed_symlinks;
    opts.ignored.extend(signed);
    for other in &inputs.others {
        if let Some(rel) = relative_inside(&inputs.root, other)
            && !manifest.resources().any(|r| r.path_bytes().eq(rel.bytes()))
        {
            opts.ignored.push(rel);
        }
    }
    let model = Model::walk(&inputs.root, &inputs.model_path, &opts)?;
    report.set_links(&model);
    Ok(DirSource::new(model))
}

/// What a failed check was: planning's (reported first, whatever hashing
/// found), or hashing's and the tally's.
enum Checked {
    Plan(Error),
    Hash(Error),
}

/// What steps 2–4 found: each resource's standing (with `--json`) and the
/// verdict.
struct Outcomes {
    results: Vec<ResourceResult>,
    verdict: Result<oms_edge_core::VerifiedModel, Checked>,
}

/// Resources per batch in [`check_in_batches`]: two batches are in flight
/// (one hashed, one planned), so each is half of [`exec::BATCH`] and memory
/// stays what one batch of that size took.
const BATCH: usize = exec::BATCH / 2;

/// Steps 2–4, [`BATCH`] resources at a time: plan in manifest order, every
/// failure seen; hash each batch on all cores; tally in manifest order.
/// Batch k is hashed (on another thread, with the hashing pool) while this
/// one plans batch k+1: with many small files planning is a tenth of the
/// work, and it no longer waits for the hashing. Batches are tallied in
/// order. A batch is hashed only if planning had found no failure when it
/// was full; once planning has failed, no further batch is hashed (those
/// resources stay "not checked").
fn check_in_batches<'m>(
    manifest: &'m VerifiedManifest<'_>,
    source: &mut DirSource,
    ignore_unsigned_files: bool,
    json: bool,
    quiet: bool,
    cancel: &AtomicBool,
) -> Outcomes {
    let opts = ModelOptions::default().ignoring_unsigned_files(ignore_unsigned_files);
    let mut planner = manifest.planner(opts);
    let mut tally = manifest.tally();
    // Only --json lists every resource's standing.
    let mut results = vec![ResourceResult::NotChecked; if json { manifest.len() } else { 0 }];
    let mut plan_failure: Option<Error> = None;
    let mut hash_failure: Option<Error> = None;
    let bar = exec::progress(source.model().total_bytes(), quiet);
    let bar = bar.as_ref();
    let mut tasks: Vec<Task> = Vec::new();
    let mut specs: Vec<JobSpec<'m>> = Vec::new();
    let planned = std::thread::scope(|scope| {
        let mut hashing: Option<std::thread::ScopedJoinHandle<'_, _>> = None;
        // Tallies the batch being hashed, if any, then starts hashing
        // `tasks` (emptying them) unless planning has failed.
        let mut next_batch = |tasks: &mut Vec<Task>,
                              specs: &mut Vec<JobSpec<'m>>,
                              results: &mut Vec<ResourceResult>,
                              hash: bool| {
            if let Some(batch) = hashing.take() {
                let (outcomes, done): (Vec<_>, Vec<JobSpec<'m>>) = batch
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                tally_batch(&mut tally, &done, outcomes, results, &mut hash_failure);
            }
            let tasks = std::mem::take(tasks);
            let specs = std::mem::take(specs);
            if hash && !tasks.is_empty() {
                hashing = Some(scope.spawn(move || {
                    let outcomes = exec::run_until(&tasks, bar, cancel, |i| specs[i].start());
                    (outcomes, specs)
                }));
            }
        };
        while let Some(item) = planner.next(source) {
            match item {
                Ok(job) => {
                    let spec = job.spec;
                    let Some(file) = source
                        .position(job.path)
                        .and_then(|i| source.model().file(i))
                    else {
                        continue;
                    };
                    tasks.push(Task {
                        path: file,
                        offset: spec.offset(),
                        len: spec.len(),
                    });
                    specs.push(spec);
                    if tasks.len() >= BATCH {
                        let hash = plan_failure.is_none();
                        next_batch(&mut tasks, &mut specs, &mut results, hash);
                    }
                }
                Err(e) => {
                    let e = Error::from(e);
                    if let Some(i) = e.resource_index()
                        && let Some(slot) = results.get_mut(i)
                    {
                        *slot = ResourceResult::Failed(e);
                    }
                    plan_failure.get_or_insert(e);
                }
            }
        }
        let planned = planner.finish(source).map_err(Error::from);
        let planned_ok = plan_failure.is_none() && planned.is_ok();
        next_batch(&mut tasks, &mut specs, &mut results, planned_ok);
        // The last batch, if it was started.
        next_batch(&mut tasks, &mut specs, &mut results, false);
        planned
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let verdict = match planned {
        Err(e) => Err(Checked::Plan(plan_failure.unwrap_or(e))),
        Ok(_) if hash_failure.is_some() => {
            Err(Checked::Hash(hash_failure.unwrap_or(Error::UnsignedFile)))
        }
        Ok(planned) => tally
            .finish(planned)
            .map_err(|e| Checked::Hash(Error::from(e))),
    };
    Outcomes { results, verdict }
}

/// Step 4 for one batch: every resource's pass, in manifest order, goes to
/// the tally; each resource's standing to `results`; the first failure to
/// `failure`.
fn tally_batch<'m>(
    tally: &mut Tally<'m>,
    specs: &[JobSpec<'m>],
    outcomes: Vec<Result<Passed<'m>, ModelFailure>>,
    results: &mut [ResourceResult],
    failure: &mut Option<Error>,
) {
    for (spec, outcome) in specs.iter().zip(outcomes) {
        // A planning failure already recorded for this resource stays its
        // standing: it can be found after its batch was handed to hashing
        // (a file longer than its last signed shard shows when the next
        // file is planned), and it is what the verdict reports.
        let slot = results
            .get_mut(spec.index())
            .filter(|s| !matches!(s, ResourceResult::Failed(_)));
        match outcome {
            Ok(passed) => {
                if let Some(slot) = slot {
                    *slot = ResourceResult::Ok;
                }
                // After a failure the tally is moot (and would see a gap).
                if failure.is_none()
                    && let Err(e) = tally.record(passed)
                {
                    *failure = Some(Error::from(e));
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
}
