//! `oms-edge verify sigstore` and `oms-edge verify-bundle`: the trusted root
//! (bundled production or staging, a file, or a TUF state), the clock, and
//! the report of what the core's Sigstore verification proved.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use oms_edge_core::{
    Artifact, ArtifactDigest, Digests, Error, IdentityPolicy, ObservedTime,
    PRODUCTION_TRUSTED_ROOT, STAGING_TRUSTED_ROOT, SigHash, SigstoreEvidence, SigstoreKey,
    SigstoreVerifier, Time, TrustedRoot,
};
use serde_json::{Value, json};

use crate::CommonVerifyArgs;
use crate::report::{failure_json, usage_error};
use crate::verify::{Control, Run, UsageError, time_of, verify_model};

/// Where the trusted root comes from (the reference's flags).
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// Use the bundled Sigstore staging trusted root instead of production.
    #[arg(long = "use-staging", visible_alias = "use_staging")]
    pub use_staging: bool,
    /// A `trusted_root.json` to trust instead of the bundled production root.
    #[arg(
        long = "trusted-root",
        visible_alias = "trusted_root",
        value_name = "FILE",
        conflicts_with_all = ["trust_config", "use_staging"]
    )]
    pub trusted_root: Option<PathBuf>,
    /// A ClientTrustConfig (`--trust-config` of the reference) whose
    /// trusted root to trust.
    #[arg(
        long = "trust-config",
        visible_alias = "trust_config",
        value_name = "FILE",
        conflicts_with = "use_staging"
    )]
    pub trust_config: Option<PathBuf>,
    /// The trusted root of this TUF state (`oms-edge trust`); without any
    /// trust flag, the default state's is used when it has one.
    #[arg(
        long = "trust-state",
        value_name = "DIR",
        conflicts_with_all = ["trusted_root", "trust_config", "use_staging"]
    )]
    pub trust_state: Option<PathBuf>,
}

/// Flags of `verify sigstore`.
#[derive(Debug, Args)]
pub struct SigstoreArgs {
    /// The signer's identity: the certificate's SAN (email or URI), exactly.
    #[arg(long, value_name = "IDENTITY")]
    pub identity: String,
    /// The signer's OIDC issuer (Fulcio's issuer extension), exactly.
    #[arg(
        long = "identity-provider",
        visible_alias = "identity_provider",
        value_name = "URL"
    )]
    pub identity_provider: String,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub trust: TrustArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: CommonVerifyArgs,
}

/// Flags of `verify-bundle` (the sigstore-conformance client protocol).
#[derive(Debug, Args)]
pub struct VerifyBundleArgs {
    /// The Sigstore bundle.
    #[arg(long, value_name = "FILE")]
    pub bundle: PathBuf,
    /// Keyless: the certificate's SAN, exactly.
    #[arg(
        long = "certificate-identity",
        value_name = "IDENTITY",
        requires = "certificate_oidc_issuer"
    )]
    pub certificate_identity: Option<String>,
    /// Keyless: the OIDC issuer, exactly.
    #[arg(
        long = "certificate-oidc-issuer",
        value_name = "URL",
        requires = "certificate_identity"
    )]
    pub certificate_oidc_issuer: Option<String>,
    /// A managed key (PEM or DER SubjectPublicKeyInfo: ECDSA P-256, P-384,
    /// P-521 or RSA 2048/3072/4096) instead of an identity.
    #[arg(long, value_name = "FILE", conflicts_with = "certificate_identity")]
    pub key: Option<PathBuf>,
    /// A `trusted_root.json` instead of the bundled production root.
    #[arg(long = "trusted-root", value_name = "FILE", conflicts_with = "staging")]
    pub trusted_root: Option<PathBuf>,
    /// Use the bundled staging trusted root.
    #[arg(long)]
    pub staging: bool,
    /// The trusted root of this TUF state (`oms-edge trust`); without
    /// `--trusted-root` or `--staging`, the default state's is used when it
    /// has one.
    #[arg(long = "trust-state", value_name = "DIR", conflicts_with_all = ["trusted_root", "staging"])]
    pub trust_state: Option<PathBuf>,
    /// Print a JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// The artifact: a file, or `sha256:<hex>` of one.
    #[arg(value_name = "ARTIFACT")]
    pub artifact: String,
}

/// Loads the trusted root the flags name.
pub fn load_trust(
    trusted_root: Option<&Path>,
    trust_config: Option<&Path>,
    staging: bool,
) -> Result<TrustedRoot, UsageError> {
    let (what, bytes) = match (trusted_root, trust_config) {
        (Some(p), _) | (None, Some(p)) => (
            p.display().to_string(),
            std::fs::read(p)
                .map_err(|e| UsageError::io(format_args!("cannot read {}", p.display()), &e))?,
        ),
        (None, None) if staging => (
            "the bundled staging trusted root".to_owned(),
            STAGING_TRUSTED_ROOT.to_vec(),
        ),
        (None, None) => (
            "the bundled production trusted root".to_owned(),
            PRODUCTION_TRUSTED_ROOT.to_vec(),
        ),
    };
    TrustedRoot::parse_any(&bytes)
        .map_err(|e| UsageError::invalid(format!("trusted root {what}: {e}")))
}

/// The trusted root a verification uses, and how the output names it.
#[derive(Debug)]
pub struct Trust {
    /// The parsed root.
    pub root: TrustedRoot,
    /// `trusted_root` of the `--json` output.
    pub source: Value,
    /// A line for the text output when a TUF state's root is used.
    pub note: Option<String>,
}

/// The trusted root the flags name: an explicit file or the bundled
/// staging root first, else a TUF state (`--trust-state`, or the default
/// state when it has a trusted root), else the bundled production root.
pub fn choose_trust(
    trusted_root: Option<&Path>,
    trust_config: Option<&Path>,
    staging: bool,
    trust_state: Option<&Path>,
) -> Result<Trust, UsageError> {
    let explicit = trusted_root.or(trust_config);
    if explicit.is_none()
        && !staging
        && let Some(st) = crate::trust::state_trust(trust_state).map_err(UsageError::invalid)?
    {
        let root = TrustedRoot::parse_any(&st.trusted_root)
            .map_err(|e| UsageError::invalid(format!("{}: {e}", st.description)))?;
        return Ok(Trust {
            root,
            source: st.json,
            note: Some(st.description),
        });
    }
    let source = match (explicit, staging) {
        (Some(p), _) => json!({ "source": "file", "path": p.display().to_string() }),
        (None, true) => json!({ "source": "bundled-staging" }),
        (None, false) => json!({ "source": "bundled-production" }),
    };
    Ok(Trust {
        root: load_trust(trusted_root, trust_config, staging)?,
        source,
        note: None,
    })
}

/// The system clock, as the core's verification time.
fn now() -> Time {
    time_of(std::time::SystemTime::now())
}

fn rfc3339(t: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(t))
        .to_string()
}

/// The evidence as JSON: signer, issuer, log entries, verified times.
pub fn evidence_json(e: &SigstoreEvidence, trust: &TrustedRoot) -> Value {
    json!({
        "key": e.key().name(),
        "identity": e.identity().map(|i| i.san.clone()),
        "issuer": e.identity().map(|i| i.issuer.clone()),
        "tlog_entries": e.entries().iter().map(|entry| json!({
            "log": trust.tlogs.get(entry.log()).map(|l| l.base_url.clone()),
            "log_index": entry.log_index(),
        })).collect::<Vec<_>>(),
        "verified_times": e.times().iter().map(|t| json!({
            "source": match t { ObservedTime::Tlog(_) => "tlog", _ => "timestamp" },
            "time": rfc3339(t.time().secs()),
        })).collect::<Vec<_>>(),
        "scts": e.scts(),
    })
}

/// `verify sigstore`.
pub fn verify(args: &SigstoreArgs) -> Run {
    verify_with(args, Control::default())
}

/// [`verify`], under `control`.
pub fn verify_with(args: &SigstoreArgs, control: Control<'_>) -> Run {
    let Trust {
        root: trust,
        source,
        note,
    } = match choose_trust(
        args.trust.trusted_root.as_deref(),
        args.trust.trust_config.as_deref(),
        args.trust.use_staging,
        args.trust.trust_state.as_deref(),
    ) {
        Ok(t) => t,
        Err(e) => return Run::Usage(e),
    };
    if let (Some(note), false) = (note, args.common.model.json) {
        out!("{note}");
    }
    let policy = IdentityPolicy::exact(&args.identity, &args.identity_provider);
    let verifier = SigstoreVerifier::new(&trust, policy);
    verify_model(
        &args.common,
        "sigstore",
        None,
        &verifier,
        now(),
        control,
        |evidence, report| {
            let mut doc = evidence_json(evidence, &trust);
            doc["trusted_root"] = source.clone();
            report.signer = Some(doc);
        },
    )
}

/// `verify-bundle`.
pub fn verify_bundle(args: &VerifyBundleArgs) -> ExitCode {
    match run_verify_bundle(args) {
        Err(msg) => usage_error(&msg),
        Ok((trust, Ok(evidence))) => {
            if let (Some(note), false) = (&trust.note, args.json) {
                out!("{note}");
            }
            if args.json {
                let mut doc = evidence_json(&evidence, &trust.root);
                doc["verdict"] = json!("verified");
                doc["trusted_root"] = trust.source;
                out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                let who = evidence
                    .identity()
                    .map(|i| format!("{} ({})", i.san, i.issuer))
                    .unwrap_or_else(|| "the given key".to_owned());
                out!("verified: {} signed by {who}", args.artifact);
            }
            ExitCode::SUCCESS
        }
        Ok((trust, Err(e))) => {
            if let (Some(note), false) = (&trust.note, args.json) {
                out!("{note}");
            }
            if args.json {
                let doc = json!({
                    "verdict": "not verified",
                    "failure": failure_json(&e, e.to_string()),
                    "trusted_root": trust.source,
                });
                out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                eprintln!("not verified: {e}");
            }
            ExitCode::from(1)
        }
    }
}

type BundleVerdict = (Trust, Result<SigstoreEvidence, Error>);

/// An artifact file, hashed under each hash the bundle asks for (once
/// each, read again for another hash).
struct FileArtifact<'a> {
    path: &'a str,
    known: Digests,
    error: Option<String>,
}

impl Artifact for FileArtifact<'_> {
    fn digest(&mut self, hash: SigHash) -> Option<[u8; 64]> {
        if self.known.get(hash).is_none() {
            match hash_file(self.path, hash) {
                Ok(d) => {
                    self.known
                        .set(hash, d.get(..hash.len()).unwrap_or_default());
                }
                Err(e) => {
                    self.error.get_or_insert(e);
                    return None;
                }
            }
        }
        self.known.digest(hash)
    }
}

fn hash_file(path: &str, hash: SigHash) -> Result<[u8; 64], String> {
    use sha2::Digest as _;
    let read_err = |e: std::io::Error| format!("cannot read artifact {path}: {e}");
    let mut file = std::fs::File::open(path).map_err(read_err)?;
    let mut buf = vec![0u8; 128 * 1024];
    let mut out = [0u8; 64];
    macro_rules! stream {
        ($h:ty) => {{
            let mut h = <$h>::new();
            loop {
                let n = std::io::Read::read(&mut file, &mut buf).map_err(read_err)?;
                if n == 0 {
                    break;
                }
                h.update(buf.get(..n).unwrap_or_default());
            }
            let d = h.finalize();
            out[..d.len()].copy_from_slice(&d);
        }};
    }
    match hash {
        SigHash::Sha256 => stream!(sha2::Sha256),
        SigHash::Sha384 => stream!(sha2::Sha384),
        SigHash::Sha512 => stream!(sha2::Sha512),
        other => return Err(format!("no {} here", other.proto_name())),
    }
    Ok(out)
}

fn run_verify_bundle(args: &VerifyBundleArgs) -> Result<BundleVerdict, String> {
    let trust = choose_trust(
        args.trusted_root.as_deref(),
        None,
        args.staging,
        args.trust_state.as_deref(),
    )
    .map_err(|e| e.message)?;
    let bundle = std::fs::read(&args.bundle)
        .map_err(|e| format!("cannot read bundle {}: {e}", args.bundle.display()))?;
    let given_digest = match args.artifact.strip_prefix("sha256:") {
        Some(hex) => Some(
            parse_sha256_hex(hex)
                .ok_or_else(|| format!("{}: not a sha256:<64 hex digits> digest", args.artifact))?,
        ),
        None => {
            std::fs::File::open(&args.artifact)
                .map_err(|e| format!("cannot read artifact {}: {e}", args.artifact))?;
            None
        }
    };
    let verifier = bundle_verifier(args, &trust.root)?;
    let result = match given_digest {
        // Only its SHA-256 is known of an artifact given as `sha256:<hex>`.
        Some(d) => verifier.verify_artifact(&bundle, now(), ArtifactDigest(d)),
        None => {
            let mut file = FileArtifact {
                path: &args.artifact,
                known: Digests::default(),
                error: None,
            };
            let result = verifier.verify_artifact(&bundle, now(), &mut file);
            if let Some(e) = file.error {
                return Err(e);
            }
            result
        }
    };
    drop(verifier);
    Ok((trust, result))
}

/// The verifier the flags ask for: a managed key, or an identity.
fn bundle_verifier<'r>(
    args: &VerifyBundleArgs,
    trust: &'r TrustedRoot,
) -> Result<SigstoreVerifier<'r>, String> {
    match (
        &args.key,
        &args.certificate_identity,
        &args.certificate_oidc_issuer,
    ) {
        (Some(path), _, _) => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read key {}: {e}", path.display()))?;
            let key = SigstoreKey::from_pem_or_der(&bytes)
                .map_err(|e| format!("key {}: {e}", path.display()))?;
            Ok(SigstoreVerifier::with_key(trust, key))
        }
        (None, Some(identity), Some(issuer)) => Ok(SigstoreVerifier::new(
            trust,
            IdentityPolicy::exact(identity, issuer),
        )),
        _ => Err("give --certificate-identity and --certificate-oidc-issuer, or --key".to_owned()),
    }
}

fn parse_sha256_hex(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
