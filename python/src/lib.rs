//! `oms_edge._native`: the Python package's native module, a thin layer
//! over the CLI's library (`oms_edge::verify`, `oms_edge::sigstore`): the
//! same verifier construction, directory walk, ignore and symlink policy,
//! parallel hashing and report as `oms-edge verify`. No check is made
//! here; `python/oms_edge/__init__.py` turns the report into a result
//! object or a `VerificationError`.
//!
//! Each function takes the CLI's options, releases the GIL, runs the
//! verification on a worker thread, and meanwhile checks for signals
//! every [`SIGNAL_POLL`] on the calling thread: on Ctrl-C it sets the
//! hashing loop's cancellation flag, waits for the workers to stop (within
//! one buffer each), and raises the `KeyboardInterrupt`.
//!
//! Returns the `--json` document as a string (the Python side parses it),
//! or raises the usage error's Python counterpart: `FileNotFoundError`,
//! `PermissionError`, `OSError`, `ValueError` (wrong argument types raise
//! `TypeError` from PyO3's conversions).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use oms_edge::policy::cli::{PolicyRun, PolicyVerifyArgs};
use oms_edge::sigstore::{SigstoreArgs, TrustArgs};
use oms_edge::verify::{Control, Run, UsageKind};
use oms_edge::{CertificateArgs, CommonVerifyArgs, KeyArgs, ModelArgs};
use pyo3::exceptions::{
    PyFileNotFoundError, PyKeyboardInterrupt, PyOSError, PyPermissionError, PyRuntimeError,
    PyValueError,
};
use pyo3::prelude::*;

/// How often the waiting thread checks for signals.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// The options every method shares (the CLI's COMMON flags): model path,
/// signature, ignore paths, ignore git paths, allow symlinks, ignore
/// unsigned files.
type Common = (PathBuf, PathBuf, Vec<PathBuf>, bool, bool, bool);

/// [`Common`] as the CLI's flags.
fn common_args(
    (model_path, signature, ignore_paths, ignore_git_paths, allow_symlinks, ignore_unsigned_files): Common,
) -> CommonVerifyArgs {
    CommonVerifyArgs {
        signature,
        model: model_args(
            ignore_paths,
            ignore_git_paths,
            allow_symlinks,
            ignore_unsigned_files,
        ),
        model_path,
    }
}

/// The model flags as the bindings pass them. Nothing printed: no warning
/// line, no progress bar.
fn model_args(
    ignore_paths: Vec<PathBuf>,
    ignore_git_paths: bool,
    allow_symlinks: bool,
    ignore_unsigned_files: bool,
) -> ModelArgs {
    ModelArgs {
        ignore_paths,
        ignore_git_paths,
        no_ignore_git_paths: !ignore_git_paths,
        allow_symlinks,
        ignore_unsigned_files,
        no_ignore_unsigned_files: false,
        json: true,
        quiet: true,
    }
}

/// Runs `job` with the GIL released and Ctrl-C wired to its cancellation
/// flag; maps its [`Run`] to the JSON report or a Python exception.
fn run(py: Python<'_>, job: impl FnOnce(Control<'_>) -> Run + Send) -> PyResult<String> {
    match detached(py, job)? {
        Run::Done(report, outcome) => Ok(report.to_json(&outcome).to_string()),
        Run::Cancelled => Err(PyKeyboardInterrupt::new_err("verification cancelled")),
        Run::Usage(e) => Err(match e.kind {
            UsageKind::NotFound => PyFileNotFoundError::new_err(e.message),
            UsageKind::PermissionDenied => PyPermissionError::new_err(e.message),
            UsageKind::Io => PyOSError::new_err(e.message),
            UsageKind::Invalid => PyValueError::new_err(e.message),
            // A kind added later: still a usage error.
            #[allow(unreachable_patterns)]
            _ => PyValueError::new_err(e.message),
        }),
    }
}

/// Runs `job` on a worker thread with the GIL released, checking for
/// signals meanwhile: Ctrl-C sets the job's cancel flag, and the
/// `KeyboardInterrupt` is raised once the job has stopped.
fn detached<T: Send>(py: Python<'_>, job: impl FnOnce(Control<'_>) -> T + Send) -> PyResult<T> {
    let cancel = AtomicBool::new(false);
    let mut interrupt: Option<PyErr> = None;
    let outcome = py.detach(|| {
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            let cancel = &cancel;
            s.spawn(move || {
                let _ = tx.send(job(Control {
                    cancel: Some(cancel),
                }));
            });
            loop {
                match rx.recv_timeout(SIGNAL_POLL) {
                    Ok(run) => return Some(run),
                    Err(RecvTimeoutError::Disconnected) => return None,
                    Err(RecvTimeoutError::Timeout) => {
                        if interrupt.is_none()
                            && let Err(e) = Python::attach(|py| py.check_signals())
                        {
                            interrupt = Some(e);
                            cancel.store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
        })
    });
    if let Some(e) = interrupt {
        return Err(e);
    }
    outcome.ok_or_else(|| PyRuntimeError::new_err("the verification thread failed"))
}

/// `oms-edge verify key`: returns the `--json` report.
#[pyfunction]
fn verify_key(py: Python<'_>, common: Common, public_key: PathBuf) -> PyResult<String> {
    let args = KeyArgs {
        public_key,
        common: common_args(common),
    };
    run(py, |control| oms_edge::verify::key_with(&args, control))
}

/// `oms-edge verify certificate`: returns the `--json` report.
#[pyfunction]
fn verify_certificate(
    py: Python<'_>,
    common: Common,
    certificate_chain: Vec<PathBuf>,
    at: Option<String>,
) -> PyResult<String> {
    let args = CertificateArgs {
        certificate_chain,
        at,
        common: common_args(common),
    };
    run(py, |control| {
        oms_edge::verify::certificate_with(&args, control)
    })
}

/// `oms-edge verify sigstore`: returns the `--json` report.
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the CLI's flags, one argument each
fn verify_sigstore(
    py: Python<'_>,
    common: Common,
    identity: String,
    oidc_issuer: String,
    use_staging: bool,
    trusted_root: Option<PathBuf>,
    trust_config: Option<PathBuf>,
    trust_state: Option<PathBuf>,
) -> PyResult<String> {
    // The CLI's parser refuses these combinations; the same here.
    let given = [
        use_staging,
        trusted_root.is_some(),
        trust_config.is_some(),
        trust_state.is_some(),
    ];
    if given.iter().filter(|&&g| g).count() > 1 {
        return Err(PyValueError::new_err(
            "give at most one of use_staging, trusted_root, trust_config and trust_state",
        ));
    }
    let args = SigstoreArgs {
        identity,
        identity_provider: oidc_issuer,
        trust: TrustArgs {
            use_staging,
            trusted_root,
            trust_config,
            trust_state,
        },
        common: common_args(common),
    };
    run(py, |control| {
        oms_edge::sigstore::verify_with(&args, control)
    })
}

/// `oms-edge verify --policy`: returns the `--json` report (a policy
/// that does not load is a `ValueError` naming its file, line and
/// column).
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the CLI's flags, one argument each
fn verify_policy(
    py: Python<'_>,
    policy: PathBuf,
    model_path: PathBuf,
    signatures: Vec<PathBuf>,
    signature_dir: Option<PathBuf>,
    ignore_paths: Vec<PathBuf>,
    ignore_git_paths: bool,
    ignore_unsigned_files: bool,
    at: Option<String>,
) -> PyResult<String> {
    let args = PolicyVerifyArgs {
        policy: Some(policy),
        signatures,
        signature_dir,
        at,
        model: model_args(ignore_paths, ignore_git_paths, false, ignore_unsigned_files),
        model_path: Some(model_path),
    };
    let outcome = detached(py, |control| {
        oms_edge::policy::cli::verify_with(&args, control)
    })?;
    match outcome {
        PolicyRun::Done { doc, .. } => Ok(doc.to_string()),
        PolicyRun::Cancelled => Err(PyKeyboardInterrupt::new_err("verification cancelled")),
        PolicyRun::Usage(msg) => Err(PyValueError::new_err(msg)),
    }
}

/// The check names and numbers (`docs/checks.md`), for the Python side.
#[pyfunction]
fn check_name(code: u16) -> Option<&'static str> {
    oms_edge_core::Check::from_code(code).map(|c| c.as_str())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify_key, m)?)?;
    m.add_function(wrap_pyfunction!(verify_certificate, m)?)?;
    m.add_function(wrap_pyfunction!(verify_sigstore, m)?)?;
    m.add_function(wrap_pyfunction!(verify_policy, m)?)?;
    m.add_function(wrap_pyfunction!(check_name, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
