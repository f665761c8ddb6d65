//! `oms-edge verify ...`: read inputs, let the core authenticate the bundle,
//! enumerate the model under the signed policy, plan, hash in parallel,
//! tally, report.

use std::path::PathBuf;
use std::process::ExitCode;

use oms_edge_core::Error;
use oms_edge_core::bundle::{Bundle, decode_base64};
use oms_edge_core::error::Field;
use oms_edge_core::keys::PublicKey;
use oms_edge_core::limits::MAX_BUNDLE_BYTES;
use oms_edge_core::manifest::VerifiedManifest;
use oms_edge_core::model::{JobSpec, ModelOptions, Passed};
use oms_edge_core::statement::{Method, resource_name_at};
use oms_edge_core::x509::{TrustStore, UnixTime, verify_certificate_bundle};

use crate::exec::{self, Task};
use crate::report::{Failure, Outcome, Report, ResourceResult, Resources, usage_error};
use crate::walk::{
    DirSource, Model, WalkOptions, normalize_relative, own_path, relative_inside, user_ignore,
};
use crate::{CertificateArgs, CommonVerifyArgs, KeyArgs};

/// The result of a `verify` command.
#[derive(Debug)]
pub enum Run {
    /// A usage or configuration error (exit 2).
    Usage(String),
    /// A verdict, with what to report.
    Done(Box<Report>, Outcome),
}

impl Run {
    /// Prints the result and returns the exit code.
    pub fn exit(self) -> ExitCode {
        match self {
            Run::Usage(msg) => usage_error(&msg),
            Run::Done(report, outcome) => report.finish(outcome),
        }
    }

    /// The outcome, if the command got that far.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self {
            Run::Usage(_) => None,
            Run::Done(_, o) => Some(o),
        }
    }
}

/// `verify key`.
pub fn key(args: &KeyArgs) -> Run {
    let public_key = &args.public_key;
    let key_bytes = match std::fs::read(public_key) {
        Ok(b) => b,
        Err(e) => {
            return Run::Usage(format!(
                "cannot read public key {}: {e}",
                public_key.display()
            ));
        }
    };
    let key = match PublicKey::from_pem_or_der(&key_bytes) {
        Ok(k) => k,
        Err(e) => {
            return Run::Usage(format!(
                "public key {}: {}",
                public_key.display(),
                Error::Key(e)
            ));
        }
    };
    run_method(
        &args.common,
        "key",
        Some(key.curve_name()),
        |bundle, payload, _| oms_edge_core::verify_key_bundle(bundle, &key, payload),
    )
}

/// `verify certificate`.
pub fn certificate(args: &CertificateArgs) -> Run {
    if args.certificate_chain.is_empty() {
        return Run::Usage(
            "give the trusted root(s) with --certificate-chain (oms-edge never uses system roots)"
                .to_owned(),
        );
    }
    let mut store = TrustStore::new();
    for path in &args.certificate_chain {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                return Run::Usage(format!(
                    "cannot read certificate chain {}: {e}",
                    path.display()
                ));
            }
        };
        let added = if bytes.first() == Some(&0x30) {
            store.add_der(&bytes).map(|()| 1)
        } else {
            store.add_pem(&bytes)
        };
        if let Err(e) = added {
            return Run::Usage(format!("certificate chain {}: {e}", path.display()));
        }
    }
    if store.anchor_count() == 0 {
        return Run::Usage("--certificate-chain holds no self-signed root to trust".to_owned());
    }
    let time = match &args.at {
        None => std::time::SystemTime::now(),
        Some(at) => match humantime::parse_rfc3339_weak(at) {
            Ok(t) => t,
            Err(e) => {
                return Run::Usage(format!(
                    "--at {at:?}: {e} (want RFC 3339, e.g. 2026-01-31T12:00:00Z)"
                ));
            }
        },
    };
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    run_method(&args.common, "certificate", None, |bundle, payload, _| {
        verify_certificate_bundle(bundle, &store, UnixTime(secs), payload)
    })
}

/// The part every method shares: read inputs, authenticate with `verify`
/// (which may add to the report), then check the model.
pub fn run_method<F>(
    args: &CommonVerifyArgs,
    method: &'static str,
    key: Option<&'static str>,
    verify: F,
) -> Run
where
    F: for<'p> FnOnce(&[u8], &'p mut [u8], &mut Report) -> Result<VerifiedManifest<'p>, Error>,
{
    let inputs = match Inputs::read(args) {
        Ok(i) => i,
        Err(msg) => return Run::Usage(msg),
    };
    let mut payload = vec![0u8; inputs.bundle.len()];
    let mut report = Report::new(method, &inputs.model_path, args.json);
    report.key = key;
    let result = verify(&inputs.bundle, &mut payload, &mut report);
    match result {
        Ok(manifest) => check_model(&manifest, &inputs, args, report),
        Err(e) => failed(report, e, &inputs.bundle),
    }
}

/// The bundle's decoded payload, read without any check.
pub fn raw_payload(bundle: &[u8]) -> Result<Vec<u8>, Error> {
    let parsed = Bundle::parse(bundle)?;
    let envelope = parsed.envelope()?;
    let mut buf = vec![0u8; envelope.payload.raw().len()];
    let n = decode_base64(envelope.payload, &mut buf, Field::Payload)?.len();
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
        report.failed_name = resource_name_at(&payload, i).map(|n| n.chars().collect());
    }
    Run::Done(Box::new(report), Outcome::Failed(Failure::core(e, None)))
}

/// The files a verification reads before the core runs.
struct Inputs {
    bundle: Vec<u8>,
    model_path: PathBuf,
    root: PathBuf,
    signature: PathBuf,
}

impl Inputs {
    fn read(args: &CommonVerifyArgs) -> Result<Self, String> {
        let root = std::fs::canonicalize(&args.model_path)
            .map_err(|e| format!("model {}: {e}", args.model_path.display()))?;
        let meta = std::fs::metadata(&args.signature)
            .map_err(|e| format!("cannot read signature {}: {e}", args.signature.display()))?;
        if meta.len() > MAX_BUNDLE_BYTES as u64 {
            return Err(format!(
                "signature {} is larger than {MAX_BUNDLE_BYTES} bytes",
                args.signature.display()
            ));
        }
        let bundle = std::fs::read(&args.signature)
            .map_err(|e| format!("cannot read signature {}: {e}", args.signature.display()))?;
        // The signature's own name, not what a link there points at: a
        // link into the model does not take a model file out of it.
        let signature = own_path(&args.signature);
        Ok(Self {
            bundle,
            model_path: args.model_path.clone(),
            root,
            signature,
        })
    }
}

/// Everything after the bundle verified: enumerate, plan, hash, tally.
fn check_model(
    manifest: &VerifiedManifest<'_>,
    inputs: &Inputs,
    args: &CommonVerifyArgs,
    mut report: Report,
) -> Run {
    report.set_manifest_fields(manifest);
    // The report's copy of the resource list (a string per resource, for
    // messages and --json) is made on another core while this one walks
    // the model and plans: with many files, that is time off the serial
    // part that precedes hashing.
    std::thread::scope(|s| {
        let listing = s.spawn(|| Resources::of(manifest));
        check_listed_model(manifest, inputs, args, report, || {
            listing.join().unwrap_or_else(|_| Resources::of(manifest))
        })
    })
}

/// [`check_model`] once `listing` can give the resource list.
fn check_listed_model(
    manifest: &VerifiedManifest<'_>,
    inputs: &Inputs,
    args: &CommonVerifyArgs,
    mut report: Report,
    listing: impl FnOnce() -> Resources,
) -> Run {
    let mut listing = Some(listing);
    let mut listed = move |report: &mut Report| {
        if let Some(f) = listing.take() {
            report.set_resources(f());
        }
    };
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
        for item in list.iter().flatten() {
            if let Ok(s) = item.str() {
                let s: String = s.chars().collect();
                if let Some(rel) = normalize_relative(&s) {
                    ignored.push(rel);
                }
            }
        }
    }
    if let Some(rel) = relative_inside(&inputs.root, &inputs.signature) {
        ignored.push(rel);
    }
    let opts = WalkOptions {
        ignore_git_paths: !args.no_ignore_git_paths,
        allow_symlinks: signed_symlinks,
        ignored,
    };
    let model = match Model::walk(&inputs.root, &inputs.model_path, &opts) {
        Ok(m) => m,
        Err(e) => {
            listed(&mut report);
            return Run::Done(Box::new(report), Outcome::Failed(Failure::walk(&e)));
        }
    };
    report.set_links(&model);
    let mut source = DirSource::new(model);
    let model_opts = ModelOptions {
        ignore_unsigned_files: args.ignore_unsigned_files,
    };

    // Plan (existence, sizes) in manifest order.
    let mut planner = manifest.planner(model_opts);
    let mut tasks: Vec<Task> = Vec::new();
    let mut specs: Vec<JobSpec> = Vec::new();
    let mut results: Vec<ResourceResult> = vec![ResourceResult::NotChecked; manifest.len()];
    let mut first_failure: Option<Error> = None;
    while let Some(item) = planner.next(&mut source) {
        match item {
            Ok(job) => {
                let Some(entry) = source.lookup(job.path) else {
                    continue;
                };
                tasks.push(Task {
                    path: entry.abs.clone(),
                    offset: job.spec.offset(),
                    len: job.spec.len(),
                });
                specs.push(job.spec);
            }
            Err(e) => {
                if let Some(i) = e.resource_index()
                    && let Some(slot) = results.get_mut(i)
                {
                    *slot = ResourceResult::Failed(e);
                }
                first_failure.get_or_insert(e);
            }
        }
    }
    let planned = planner.finish(&mut source);
    listed(&mut report);
    let unsigned_exempt = matches!(ser.method, Method::Shards { .. });
    report.unsigned = if args.ignore_unsigned_files {
        Vec::new()
    } else {
        source
            .unlisted(unsigned_exempt)
            .map(|e| e.rel.clone())
            .collect()
    };
    let planned = match planned {
        Ok(p) => p,
        Err(e) => {
            report.resources = results;
            let first = first_failure.unwrap_or(e);
            let unsigned = report.unsigned.first().cloned();
            return Run::Done(
                Box::new(report),
                Outcome::Failed(Failure::core(first, unsigned)),
            );
        }
    };

    // Hash every task on all cores.
    let total: u64 = tasks.iter().map(|t| t.len).sum();
    let bar = exec::progress(total, args.quiet || args.json);
    let outcomes: Vec<Result<Passed, Error>> =
        exec::run(&tasks, bar.as_ref(), |i| specs[i].start());
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    // Tally in manifest order.
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
                    failure = Some(e);
                }
            }
            Err(e) => {
                if let Some(slot) = slot {
                    *slot = ResourceResult::Failed(e);
                }
                failure.get_or_insert(e);
            }
        }
    }
    report.resources = results;
    if let Some(e) = failure {
        return Run::Done(Box::new(report), Outcome::Failed(Failure::core(e, None)));
    }
    match tally.finish(planned) {
        Ok(v) => Run::Done(Box::new(report), Outcome::Verified(v)),
        Err(e) => Run::Done(Box::new(report), Outcome::Failed(Failure::core(e, None))),
    }
}
