//! `oms-edge`: verify OpenSSF Model Signing signatures offline.
//!
//! The binary is a thin shell over this library (so that the integration
//! tests can drive each step): argument parsing, directory enumeration,
//! parallel hashing and reporting. Every check is the core's.
//!
//! Exit codes: 0 verified, 1 not verified (any reason, including a
//! malformed bundle or an internal error), 2 usage or configuration error.

/// `println!` that ignores a closed stdout (`oms-edge inspect x | head`)
/// instead of panicking.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

pub mod digest;
pub mod exec;
pub mod inspect;
pub mod policy;
pub mod report;
pub mod sigstore;
pub mod trust;
pub mod verify;
pub mod walk;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Verify OpenSSF Model Signing (OMS) signatures offline.
#[derive(Debug, Parser)]
#[command(name = "oms-edge", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify a model against its signature, or its signatures against an
    /// admission policy (`verify --policy POLICY --signature S... MODEL`).
    Verify(VerifyArgs),
    /// Admission policies: `policy check POLICY` says what one requires.
    #[command(subcommand)]
    Policy(policy::cli::PolicyCommand),
    /// Print a model's root digest, as the reference computes it when signing.
    Digest(digest::DigestArgs),
    /// Show what a bundle says, WITHOUT verifying it.
    Inspect(inspect::InspectArgs),
    /// Verify a Sigstore bundle over an artifact (the sigstore-conformance
    /// client protocol): keyless with an identity, or with a managed key.
    VerifyBundle(sigstore::VerifyBundleArgs),
    /// Keep the Sigstore trusted root current offline through Sigstore's
    /// TUF repository (a copy of it on disk).
    #[command(subcommand)]
    Trust(trust::TrustCommand),
}

/// `verify`: a method and one signature, or a policy and several.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct VerifyArgs {
    #[command(subcommand)]
    #[allow(missing_docs)]
    pub method: Option<VerifyCommand>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub policy: policy::cli::PolicyVerifyArgs,
}

#[derive(Debug, Subcommand)]
pub enum VerifyCommand {
    /// Verify a model signed with a private key (`model_signing sign key`).
    Key(KeyArgs),
    /// Verify a model signed with a certificate chaining to a root you trust
    /// (`model_signing sign certificate`).
    Certificate(CertificateArgs),
    /// Verify a model signed keyless with Sigstore (`model_signing sign
    /// sigstore`), offline, against a pinned trusted root.
    Sigstore(sigstore::SigstoreArgs),
}

/// Flags shared by every `verify` method (the reference's spellings are
/// accepted too: `--allow_symlinks`, `--ignore_unsigned_files`).
#[derive(Debug, Args)]
pub struct CommonVerifyArgs {
    /// The signature (Sigstore bundle) to verify.
    #[arg(long, value_name = "SIGNATURE_PATH")]
    pub signature: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub model: ModelArgs,
    /// The model: a directory or a single file.
    #[arg(value_name = "MODEL_PATH")]
    pub model_path: PathBuf,
}

/// How the model is read and reported: the flags of `verify
/// key|certificate|sigstore` and `verify --policy` alike.
#[derive(Debug, Clone, Default, Args)]
pub struct ModelArgs {
    /// Paths to leave out of the model: relative to the current directory
    /// (as the reference; relative to the model only when no such path
    /// exists), or absolute; read as text below the model root, never
    /// through a link in the model. A value may start with `-`.
    #[arg(
        long = "ignore-paths",
        value_name = "IGNORE_PATHS",
        allow_hyphen_values = true
    )]
    pub ignore_paths: Vec<PathBuf>,
    /// Leave `.git`, `.gitignore`, `.gitattributes`, `.github` out (default).
    #[arg(long = "ignore-git-paths", overrides_with = "no_ignore_git_paths")]
    pub ignore_git_paths: bool,
    /// Treat top-level git paths as model files.
    #[arg(long = "no-ignore-git-paths", overrides_with = "ignore_git_paths")]
    pub no_ignore_git_paths: bool,
    /// Accepted for compatibility: the signed `allow_symlinks` decides, and a
    /// disagreeing flag is reported, never applied.
    #[arg(long = "allow-symlinks", visible_alias = "allow_symlinks")]
    pub allow_symlinks: bool,
    /// Accept files the signature does not list (with a policy: each
    /// counted signature then vouches only for the files it lists).
    #[arg(
        long = "ignore-unsigned-files",
        visible_alias = "ignore_unsigned_files",
        overrides_with = "no_ignore_unsigned_files"
    )]
    pub ignore_unsigned_files: bool,
    /// Fail on files the signature does not list (default).
    #[arg(
        long = "no-ignore-unsigned-files",
        alias = "no-ignore_unsigned_files",
        overrides_with = "ignore_unsigned_files"
    )]
    pub no_ignore_unsigned_files: bool,
    /// Print a JSON document on stdout instead of a line.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Flags of `verify key`.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The public key (PEM or DER SubjectPublicKeyInfo, EC P-256/384/521).
    #[arg(
        long = "public-key",
        visible_alias = "public_key",
        value_name = "PUBLIC_KEY"
    )]
    pub public_key: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonVerifyArgs,
}

/// Flags of `verify certificate`.
#[derive(Debug, Args)]
pub struct CertificateArgs {
    /// PEM (or DER) certificates to trust: self-signed ones are the roots,
    /// others are intermediates that may complete a path. Repeatable.
    #[arg(
        long = "certificate-chain",
        visible_alias = "certificate_chain",
        value_name = "CERTIFICATE_PATH"
    )]
    pub certificate_chain: Vec<PathBuf>,
    /// Verify as of this time (RFC 3339, UTC, e.g. 2026-01-31T12:00:00Z)
    /// instead of now. Every certificate of the path must be valid then.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonVerifyArgs,
}

/// Parses the command line, runs the command, returns the exit code.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("oms-edge: internal error{at}: {what}");
    }));
    guarded(run)
}

/// Runs `command`. A panic (a bug, or something the OS refused, such as a
/// thread) ends as exit 1, "not verified", after the one line the panic
/// hook printed: never as Rust's exit 101, which callers that test for 1
/// would not read as a failure.
fn guarded(command: impl FnOnce() -> ExitCode) -> ExitCode {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(command))
        .unwrap_or_else(|_| ExitCode::from(1))
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Verify(VerifyArgs {
            method: Some(method),
            ..
        }) => match method {
            VerifyCommand::Key(args) => verify::key(&args).exit(),
            VerifyCommand::Certificate(args) => verify::certificate(&args).exit(),
            VerifyCommand::Sigstore(args) => sigstore::verify(&args).exit(),
        },
        Command::Verify(VerifyArgs {
            method: None,
            policy,
        }) => policy::cli::verify(&policy).exit(policy.model.json),
        Command::Policy(cmd) => policy::cli::policy_command(&cmd),
        Command::VerifyBundle(args) => sigstore::verify_bundle(&args),
        Command::Digest(args) => digest::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Trust(cmd) => trust::run(&cmd),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_exit_1_not_101() {
        assert_eq!(guarded(|| ExitCode::from(2)), ExitCode::from(2));
        assert_eq!(guarded(|| panic!("a bug")), ExitCode::from(1));
        let thread = || {
            std::thread::scope(|s| {
                s.spawn(|| panic!("in a scoped thread"));
            });
            ExitCode::SUCCESS
        };
        assert_eq!(guarded(thread), ExitCode::from(1));
    }
}
