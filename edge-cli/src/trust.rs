//! `oms-edge trust init|update|show`: keep the Sigstore trusted root current
//! offline through Sigstore's TUF repository (the checks are the core's,
//! `oms_edge_core::tuf`), and the state directory `verify` reads it from.
//!
//! The state directory (default `$XDG_DATA_HOME/oms-edge/trust`, else
//! `$HOME/.local/share/oms-edge/trust`) holds generations: `CURRENT` names
//! one (`g-000007`), and that directory holds `root.json` and, after an
//! update, `timestamp.json`, `snapshot.json`, `targets.json` (the bytes as
//! verified, never re-serialized) and `trusted_root.json`. An update writes
//! a complete new generation (each file written and fsynced, the directory
//! fsynced, renamed into place) and only then replaces `CURRENT` the same
//! way, so a crash at any point leaves either the old state or the new one;
//! a refused update writes nothing at all.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use oms_edge_core::limits;
use oms_edge_core::tuf::{
    self, Expiry, Held, KeyKind, Outcome, Role, RoleInfo, TRUSTED_ROOT_TARGET, TimestampUpdate,
    TufCheck, TufError, Updater,
};
use oms_edge_core::{TimeRange, TrustedRoot};
use serde_json::{Value, json};

use crate::report::usage_error;

/// `oms-edge trust ...`.
#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Start a TUF state from the root pinned in the `sigstore` wheel (root
    /// v15 of Sigstore's production repository) or from a root you vetted.
    Init(InitArgs),
    /// Verify a copy of the TUF repository (new roots, timestamp, snapshot,
    /// targets, trusted_root.json) and, if every check passes, make it the
    /// state. Nothing changes when a check fails.
    Update(UpdateArgs),
    /// Print the state: versions, expiries, keys, and what is trusted.
    Show(ShowArgs),
}

/// Flags of `trust init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// A TUF root.json you vetted, instead of the pinned Sigstore root.
    #[arg(long, value_name = "FILE")]
    pub root: Option<PathBuf>,
    /// The state directory (default: $XDG_DATA_HOME/oms-edge/trust, else
    /// ~/.local/share/oms-edge/trust).
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Replace an existing state.
    #[arg(long)]
    pub force: bool,
}

/// Flags of `trust update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// A copy of the TUF repository: the `sigstore/root-signing` layout
    /// (`metadata/root_history/N.root.json`, `metadata/timestamp.json`, …,
    /// `targets/trusted_root.json`) or the published one (`N.root.json`,
    /// `timestamp.json`, `N.snapshot.json`, `N.targets.json`,
    /// `targets/<sha256>.trusted_root.json`).
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    /// The state directory (default: see `trust init`).
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// TufCheck expiry as of this time (RFC 3339, e.g. 2026-08-22T00:00:00Z)
    /// instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Accept expired metadata (a copy you know is old); what was expired
    /// is reported. Every other check still applies.
    #[arg(long)]
    pub allow_expired: bool,
    /// Print a JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `trust show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The state directory (default: see `trust init`).
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Print a JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Runs a `trust` subcommand.
pub fn run(cmd: &TrustCommand) -> ExitCode {
    let result = match cmd {
        TrustCommand::Init(a) => init(a),
        TrustCommand::Update(a) => update(a),
        TrustCommand::Show(a) => show(a),
    };
    match result {
        Ok(code) => code,
        Err(Fail::Usage(msg)) => usage_error(&msg),
        Err(Fail::Refused { json, doc, line }) => {
            if json {
                out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                eprintln!("refused: {line}");
            }
            ExitCode::from(1)
        }
    }
}

enum Fail {
    /// Exit 2.
    Usage(String),
    /// Exit 1: a TUF check (or the state) refused the update.
    Refused {
        json: bool,
        doc: Value,
        line: String,
    },
}

fn usage(msg: impl Into<String>) -> Fail {
    Fail::Usage(msg.into())
}

/// The default state directory: `$XDG_DATA_HOME/oms-edge/trust` when
/// `XDG_DATA_HOME` is an absolute path, else `$HOME/.local/share/oms-edge/trust`.
pub fn default_state_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .map(|h| h.join(".local/share"))
    })?;
    Some(base.join("oms-edge/trust"))
}

fn state_dir(given: Option<&Path>) -> Result<PathBuf, Fail> {
    match given {
        Some(p) => Ok(p.to_path_buf()),
        None => default_state_dir()
            .ok_or_else(|| usage("no state directory: give --state DIR (HOME is not set)")),
    }
}

/// A state's current generation.
#[derive(Debug)]
pub struct State {
    /// The state directory.
    pub dir: PathBuf,
    /// The generation `CURRENT` names.
    pub generation: String,
    /// root.json.
    pub root: Vec<u8>,
    /// timestamp.json, snapshot.json, targets.json, trusted_root.json.
    pub timestamp: Option<Vec<u8>>,
    /// See `timestamp`.
    pub snapshot: Option<Vec<u8>>,
    /// See `timestamp`.
    pub targets: Option<Vec<u8>>,
    /// See `timestamp`.
    pub trusted_root: Option<Vec<u8>>,
}

/// Reads at most `limit + 1` bytes of `path` (the core refuses more than
/// `limit`), or `None` if it does not exist.
fn read_bounded(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, String> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut buf = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Some(buf))
}

/// Loads the state in `dir`; `Ok(None)` when it was never initialized.
pub fn load_state(dir: &Path) -> Result<Option<State>, String> {
    let current = match fs::read_to_string(dir.join("CURRENT")) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}/CURRENT: {e}", dir.display())),
    };
    let generation = current.trim_end_matches('\n').to_owned();
    if generation_number(&generation).is_none() {
        return Err(format!(
            "{}/CURRENT does not name a generation: {generation:?}",
            dir.display()
        ));
    }
    let g = dir.join(&generation);
    let file = |name: &str, limit: usize| read_bounded(&g.join(name), limit as u64);
    let root = file("root.json", limits::MAX_TUF_ROOT_BYTES)?
        .ok_or_else(|| format!("{}: no root.json", g.display()))?;
    Ok(Some(State {
        dir: dir.to_path_buf(),
        timestamp: file("timestamp.json", limits::MAX_TUF_TIMESTAMP_BYTES)?,
        snapshot: file("snapshot.json", limits::MAX_TUF_SNAPSHOT_BYTES)?,
        targets: file("targets.json", limits::MAX_TUF_TARGETS_BYTES)?,
        trusted_root: read_bounded(&g.join("trusted_root.json"), limits::MAX_TUF_TARGET_BYTES)?,
        generation,
        root,
    }))
}

fn generation_number(name: &str) -> Option<u64> {
    let n = name.strip_prefix("g-")?;
    (n.len() >= 6 && n.bytes().all(|b| b.is_ascii_digit()))
        .then(|| n.parse().ok())
        .flatten()
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // Directories can be opened and fsynced on Unix; elsewhere this is a
    // no-op error we ignore (the rename is still atomic).
    match File::open(dir) {
        Ok(d) => d.sync_all().or(Ok(())),
        Err(_) => Ok(()),
    }
}

fn write_synced(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(data)?;
    f.sync_all()
}

/// Writes `files` as a new generation of the state in `dir` and makes it
/// current (see the module's documentation). Returns the generation's name.
fn commit(dir: &Path, previous: Option<&str>, files: &[(&str, &[u8])]) -> std::io::Result<String> {
    fs::create_dir_all(dir)?;
    let next = previous
        .and_then(generation_number)
        .unwrap_or(0)
        .saturating_add(1);
    let name = format!("g-{next:06}");
    let tmp = dir.join(format!(".tmp-{name}-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    fs::create_dir(&tmp)?;
    for (file, data) in files {
        write_synced(&tmp.join(file), data)?;
    }
    sync_dir(&tmp)?;
    let target = dir.join(&name);
    if target.exists() {
        // Left by a crash after its rename but before CURRENT moved.
        fs::remove_dir_all(&target)?;
    }
    fs::rename(&tmp, &target)?;
    sync_dir(dir)?;
    let current_tmp = dir.join(format!(".CURRENT.tmp-{}", std::process::id()));
    write_synced(&current_tmp, format!("{name}\n").as_bytes())?;
    fs::rename(&current_tmp, dir.join("CURRENT"))?;
    sync_dir(dir)?;
    // The old generation and any leftovers of interrupted updates.
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n != name && (generation_number(&n).is_some() || n.starts_with(".tmp-g-")) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
    Ok(name)
}

fn rfc3339(t: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(t))
        .to_string()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn init(a: &InitArgs) -> Result<ExitCode, Fail> {
    let dir = state_dir(a.state.as_deref())?;
    let (root, source) = match &a.root {
        Some(p) => (
            read_bounded(p, limits::MAX_TUF_ROOT_BYTES as u64)
                .map_err(usage)?
                .ok_or_else(|| usage(format!("cannot read {}: no such file", p.display())))?,
            p.display().to_string(),
        ),
        None => (
            tuf::SIGSTORE_PRODUCTION_ROOT.to_vec(),
            "the Sigstore production root pinned in the sigstore 4.5.1 wheel".to_owned(),
        ),
    };
    let existing = load_state(&dir).map_err(usage)?;
    if let (Some(s), false) = (&existing, a.force) {
        return Err(usage(format!(
            "{} already holds a TUF state ({}): give --force to start over",
            dir.display(),
            s.generation
        )));
    }
    let updater = Updater::new(&root, Expiry::NoClock)
        .map_err(|e| usage(format!("{source}: not a usable TUF root: {e}")))?;
    let info = updater.root_info();
    commit(
        &dir,
        existing.as_ref().map(|s| s.generation.as_str()),
        &[("root.json", &root)],
    )
    .map_err(|e| usage(format!("cannot write the state in {}: {e}", dir.display())))?;
    out!(
        "initialized {}{} with TUF root v{} (expires {}) from {source}; next: oms-edge trust update --from <copy of the repository>",
        dir.display(),
        if a.state.is_none() {
            " (the default state directory)"
        } else {
            ""
        },
        info.version,
        rfc3339(info.expires),
    );
    Ok(ExitCode::SUCCESS)
}

/// Where the files of a repository copy are.
struct Copy {
    metadata: PathBuf,
    targets: PathBuf,
}

impl Copy {
    fn new(from: &Path) -> Result<Self, Fail> {
        if !from.is_dir() {
            return Err(usage(format!("{}: not a directory", from.display())));
        }
        let metadata = if from.join("metadata").is_dir() {
            from.join("metadata")
        } else {
            from.to_path_buf()
        };
        if !metadata.join("timestamp.json").is_file() {
            return Err(usage(format!(
                "{}: not a copy of a TUF repository (no timestamp.json)",
                from.display()
            )));
        }
        Ok(Self {
            metadata,
            targets: from.join("targets"),
        })
    }

    /// The first of `names` (in the metadata directory) that exists.
    fn find(&self, names: &[String], limit: u64) -> Result<Option<(PathBuf, Vec<u8>)>, Fail> {
        for n in names {
            let p = self.metadata.join(n);
            if let Some(data) = read_bounded(&p, limit).map_err(usage)? {
                return Ok(Some((p, data)));
            }
        }
        Ok(None)
    }
}

fn refused(json: bool, file: &Path, e: TufError) -> Fail {
    Fail::Refused {
        json,
        doc: json!({
            "verdict": "refused",
            "failure": {
                "role": e.role.name(),
                "check": e.check().as_str(),
                "code": e.check().code(),
                "spec_step": e.spec_step(),
                "file": file.display().to_string(),
                "message": e.to_string(),
            },
        }),
        line: match e.check {
            TufCheck::Expired { expires, now } => format!(
                "{}: {e} [expires {}, now {}; --allow-expired accepts a copy known to be old]",
                file.display(),
                rfc3339(expires),
                rfc3339(now)
            ),
            _ => format!("{}: {e}", file.display()),
        },
    }
}

fn refused_other(json: bool, check: &str, line: String) -> Fail {
    Fail::Refused {
        json,
        doc: json!({ "verdict": "refused", "failure": { "check": check, "message": line } }),
        line,
    }
}

fn update(a: &UpdateArgs) -> Result<ExitCode, Fail> {
    let dir = state_dir(a.state.as_deref())?;
    let state = load_state(&dir).map_err(usage)?.ok_or_else(|| {
        usage(format!(
            "no TUF state in {}: run `oms-edge trust init` first",
            dir.display()
        ))
    })?;
    let copy = Copy::new(&a.from)?;
    let time = crate::verify::time_at(a.at.as_deref()).map_err(|e| usage(e.message))?;
    let expiry = Expiry::at(time, a.allow_expired);
    let j = a.json;
    let state_root = dir.join(&state.generation).join("root.json");
    let mut u = Updater::new(&state.root, expiry).map_err(|e| refused(j, &state_root, e))?;

    // §5.3: every new root version the copy has, in order.
    let mut root = state.root.clone();
    let mut root_path = state_root.clone();
    loop {
        let v = u.root_version().saturating_add(1);
        let names = [
            format!("root_history/{v}.root.json"),
            format!("{v}.root.json"),
        ];
        let Some((path, data)) = copy.find(&names, limits::MAX_TUF_ROOT_BYTES as u64)? else {
            break;
        };
        u.update_root(&data).map_err(|e| refused(j, &path, e))?;
        root = data;
        root_path = path;
    }
    let held = u
        .finish_roots(state.timestamp.as_deref(), state.snapshot.as_deref())
        .map_err(|e| match e.role {
            Role::Root => refused(j, &root_path, e),
            _ => refused(j, &dir.join(&state.generation), e),
        })?;

    let ts_path = copy.metadata.join("timestamp.json");
    let ts = read_bounded(&ts_path, limits::MAX_TUF_TIMESTAMP_BYTES as u64)
        .map_err(usage)?
        .unwrap_or_default();
    let changed = u
        .update_timestamp(&ts)
        .map_err(|e| refused(j, &ts_path, e))?;
    let mut files: Vec<(&str, Vec<u8>)> = vec![("root.json", root)];
    if changed == TimestampUpdate::New {
        let consistent = u.consistent_snapshot();
        let versioned = |v: Option<u64>, name: &str| {
            let mut names = Vec::new();
            if let (true, Some(v)) = (consistent, v) {
                names.push(format!("{v}.{name}"));
            }
            names.push(name.to_owned());
            names
        };
        let (snap_path, snap) = copy
            .find(
                &versioned(u.snapshot_version(), "snapshot.json"),
                limits::MAX_TUF_SNAPSHOT_BYTES as u64,
            )?
            .ok_or_else(|| usage(format!("{}: no snapshot.json", a.from.display())))?;
        u.update_snapshot(&snap)
            .map_err(|e| refused(j, &snap_path, e))?;
        let (targets_path, targets) = copy
            .find(
                &versioned(u.targets_version(), "targets.json"),
                limits::MAX_TUF_TARGETS_BYTES as u64,
            )?
            .ok_or_else(|| usage(format!("{}: no targets.json", a.from.display())))?;
        u.update_targets(&targets)
            .map_err(|e| refused(j, &targets_path, e))?;
        let mut names = Vec::new();
        if let Some(info) = u.target(TRUSTED_ROOT_TARGET) {
            for hash in [info.sha256_hex, info.sha512_hex].into_iter().flatten() {
                names.push(format!("{hash}.{TRUSTED_ROOT_TARGET}"));
            }
        }
        names.push(TRUSTED_ROOT_TARGET.to_owned());
        let mut found = None;
        for n in &names {
            let p = copy.targets.join(n);
            if let Some(data) = read_bounded(&p, limits::MAX_TUF_TARGET_BYTES).map_err(usage)? {
                found = Some((p, data));
                break;
            }
        }
        let (target_path, target) = match found {
            Some(f) => f,
            // Not in the copy: let the core say whether targets lists it.
            None => (copy.targets.join(TRUSTED_ROOT_TARGET), Vec::new()),
        };
        u.verify_target(TRUSTED_ROOT_TARGET, &target)
            .map_err(|e| refused(j, &target_path, e))?;
        if let Err(e) = TrustedRoot::parse_any(&target) {
            return Err(refused_other(
                j,
                "trusted_root.unusable",
                format!(
                    "{}: verified by TUF, but not a trusted root this verifier can use: {e}",
                    target_path.display()
                ),
            ));
        }
        files.extend([
            ("timestamp.json", ts),
            ("snapshot.json", snap),
            ("targets.json", targets),
            (TRUSTED_ROOT_TARGET, target),
        ]);
    } else {
        // Nothing newer than the held timestamp: keep the held files.
        for (name, held) in [
            ("timestamp.json", &state.timestamp),
            ("snapshot.json", &state.snapshot),
            ("targets.json", &state.targets),
            (TRUSTED_ROOT_TARGET, &state.trusted_root),
        ] {
            if let Some(data) = held {
                files.push((name, data.clone()));
            }
        }
    }
    let outcome = u.outcome();
    let unchanged = outcome.timestamp_unchanged && outcome.root_from == outcome.root_to;
    let generation = if unchanged {
        state.generation.clone()
    } else {
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, d)| (*n, d.as_slice())).collect();
        commit(&dir, Some(&state.generation), &refs)
            .map_err(|e| usage(format!("cannot write the state in {}: {e}", dir.display())))?
    };
    let target = files
        .iter()
        .find(|(n, _)| *n == TRUSTED_ROOT_TARGET)
        .map(|(_, d)| d.as_slice());
    report_update(a, &dir, &generation, &outcome, held, unchanged, target);
    Ok(ExitCode::SUCCESS)
}

fn freshness_line(o: &Outcome) -> String {
    let f = o.freshness;
    match f.now {
        None => "expiry NOT checked (no clock): rollback protection only".to_owned(),
        Some(now) if f.enforced => format!("expiry checked at {}", rfc3339(now)),
        Some(now) => {
            let e = f.expired;
            let names: Vec<&str> = [
                (e.root, "root"),
                (e.timestamp, "timestamp"),
                (e.snapshot, "snapshot"),
                (e.targets, "targets"),
            ]
            .iter()
            .filter(|(x, _)| *x)
            .map(|(_, n)| *n)
            .collect();
            if names.is_empty() {
                format!(
                    "expiry computed at {} (--allow-expired): nothing was expired",
                    rfc3339(now)
                )
            } else {
                format!(
                    "EXPIRED metadata accepted as asked (--allow-expired) at {}: {}",
                    rfc3339(now),
                    names.join(", ")
                )
            }
        }
    }
}

fn report_update(
    a: &UpdateArgs,
    dir: &Path,
    generation: &str,
    o: &Outcome,
    held: Held,
    unchanged: bool,
    target: Option<&[u8]>,
) {
    let held_note = match held {
        Held::DiscardedAfterRotation => {
            "; timestamp/snapshot keys were rotated: the held timestamp and snapshot were discarded (TUF §5.3.11)"
        }
        _ => "",
    };
    if a.json {
        let expired = o.freshness.expired;
        let doc = json!({
            "verdict": if unchanged { "up to date" } else { "updated" },
            "state": dir.display().to_string(),
            "generation": generation,
            "root": { "from": o.root_from, "to": o.root_to, "expires": rfc3339(o.root_expires) },
            "timestamp": o.timestamp,
            "timestamp_unchanged": o.timestamp_unchanged,
            "snapshot": o.snapshot,
            "targets": o.targets,
            "held_discarded_after_rotation": held == Held::DiscardedAfterRotation,
            "trusted_root": target.map(|t| json!({ "sha256": sha256_hex(t), "length": t.len() })),
            "freshness": {
                "checked_at": o.freshness.now.map(rfc3339),
                "enforced": o.freshness.enforced,
                "expired_accepted": {
                    "root": expired.root, "timestamp": expired.timestamp,
                    "snapshot": expired.snapshot, "targets": expired.targets,
                },
            },
        });
        out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return;
    }
    let t = target
        .map(|t| {
            format!(
                "; trusted_root.json sha256:{} ({} bytes)",
                sha256_hex(t),
                t.len()
            )
        })
        .unwrap_or_default();
    if unchanged {
        out!(
            "up to date: {} (root v{}, timestamp v{}){t}; {}",
            dir.display(),
            o.root_to,
            o.timestamp.unwrap_or(0),
            freshness_line(o)
        );
    } else {
        let v = |x: Option<u64>| x.map_or_else(|| "unchanged".to_owned(), |v| format!("v{v}"));
        out!(
            "updated {} ({generation}): root v{} -> v{}, timestamp {}, snapshot {}, targets {}{t}; {}{held_note}",
            dir.display(),
            o.root_from,
            o.root_to,
            v(o.timestamp),
            v(o.snapshot),
            v(o.targets),
            freshness_line(o)
        );
    }
}

fn kind_name(k: KeyKind) -> &'static str {
    match k {
        KeyKind::EcdsaP256 => "ecdsa-p256",
        KeyKind::Ed25519 => "ed25519",
        KeyKind::RsaPss => "rsassa-pss-sha256",
        _ => "unusable",
    }
}

fn role_json(r: &RoleInfo) -> Value {
    json!({
        "threshold": r.threshold,
        "keys": r.keys.iter().map(|k| kind_name(*k)).collect::<Vec<_>>(),
    })
}

fn range(v: &TimeRange) -> (Option<String>, Option<String>) {
    (
        v.start.map(|s| rfc3339(s.secs)),
        v.end.map(|e| rfc3339(e.secs)),
    )
}

fn show(a: &ShowArgs) -> Result<ExitCode, Fail> {
    let dir = state_dir(a.state.as_deref())?;
    let state = load_state(&dir).map_err(usage)?.ok_or_else(|| {
        usage(format!(
            "no TUF state in {}: run `oms-edge trust init`",
            dir.display()
        ))
    })?;
    let root = Updater::new(&state.root, Expiry::NoClock)
        .map_err(|e| refused_other(a.json, "state.root", format!("{}: {e}", dir.display())))?
        .root_info();
    let now = now();
    let meta = |bytes: &Option<Vec<u8>>, role: Role| {
        bytes
            .as_ref()
            .and_then(|b| tuf::metadata_info(b, role).ok())
    };
    let roles = [
        ("timestamp", meta(&state.timestamp, Role::Timestamp)),
        ("snapshot", meta(&state.snapshot, Role::Snapshot)),
        ("targets", meta(&state.targets, Role::Targets)),
    ];
    let trusted = match &state.trusted_root {
        None => None,
        Some(b) => Some((
            b,
            TrustedRoot::parse_any(b).map_err(|e| {
                refused_other(
                    a.json,
                    "state.trusted_root",
                    format!("{}: trusted_root.json: {e}", dir.display()),
                )
            })?,
        )),
    };
    if a.json {
        let cas = |v: &[oms_edge_core::CertificateAuthority]| {
            v.iter()
                .map(|c| {
                    let (s, e) = range(&c.valid_for);
                    json!({ "uri": c.uri, "valid_from": s, "valid_until": e })
                })
                .collect::<Vec<_>>()
        };
        let logs = |v: &[oms_edge_core::TransparencyLog]| {
            v.iter()
                .map(|l| {
                    let (s, e) = range(&l.valid_for);
                    json!({ "base_url": l.base_url, "valid_from": s, "valid_until": e })
                })
                .collect::<Vec<_>>()
        };
        let doc = json!({
            "state": dir.display().to_string(),
            "generation": state.generation,
            "root": {
                "version": root.version, "expires": rfc3339(root.expires),
                "expired": now >= root.expires,
                "consistent_snapshot": root.consistent_snapshot,
                "roles": {
                    "root": role_json(&root.root), "timestamp": role_json(&root.timestamp),
                    "snapshot": role_json(&root.snapshot), "targets": role_json(&root.targets),
                },
            },
            "timestamp": roles[0].1.map(|m| json!({"version": m.version, "expires": rfc3339(m.expires), "expired": now >= m.expires})),
            "snapshot": roles[1].1.map(|m| json!({"version": m.version, "expires": rfc3339(m.expires), "expired": now >= m.expires})),
            "targets": roles[2].1.map(|m| json!({"version": m.version, "expires": rfc3339(m.expires), "expired": now >= m.expires})),
            "trusted_root": trusted.as_ref().map(|(b, t)| json!({
                "sha256": sha256_hex(b),
                "length": b.len(),
                "certificate_authorities": cas(&t.certificate_authorities),
                "tlogs": logs(&t.tlogs),
                "ctlogs": logs(&t.ctlogs),
                "timestamp_authorities": cas(&t.timestamp_authorities),
            })),
        });
        out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    let expired = |t: u64| if now >= t { " (EXPIRED)" } else { "" };
    out!("TUF state {} ({})", dir.display(), state.generation);
    out!(
        "  root      v{:<5} expires {}{}{}",
        root.version,
        rfc3339(root.expires),
        expired(root.expires),
        if root.consistent_snapshot {
            ", consistent snapshots"
        } else {
            ""
        }
    );
    for (name, r) in [
        ("root", &root.root),
        ("timestamp", &root.timestamp),
        ("snapshot", &root.snapshot),
        ("targets", &root.targets),
    ] {
        let kinds: Vec<&str> = r.keys.iter().map(|k| kind_name(*k)).collect();
        out!(
            "    {name:<9} keys: {} of {} ({})",
            r.threshold,
            r.keys.len(),
            kinds.join(", ")
        );
    }
    for (name, m) in roles {
        match m {
            Some(m) => out!(
                "  {name:<9} v{:<5} expires {}{}",
                m.version,
                rfc3339(m.expires),
                expired(m.expires)
            ),
            None => out!("  {name:<9} none yet"),
        }
    }
    match trusted {
        None => out!("  trusted_root.json: none yet (run `oms-edge trust update --from DIR`)"),
        Some((b, t)) => {
            out!(
                "  trusted_root.json sha256:{} ({} bytes)",
                sha256_hex(b),
                b.len()
            );
            let line = |what: &str, name: &str, v: &TimeRange| {
                let (s, e) = range(v);
                out!(
                    "    {what:<5} {name}  valid {} .. {}",
                    s.unwrap_or_else(|| "?".to_owned()),
                    e.unwrap_or_else(|| "(open)".to_owned())
                );
            };
            for c in &t.certificate_authorities {
                line("CA", &c.uri, &c.valid_for);
            }
            for l in &t.tlogs {
                line("tlog", &l.base_url, &l.valid_for);
            }
            for l in &t.ctlogs {
                line("ctlog", &l.base_url, &l.valid_for);
            }
            for c in &t.timestamp_authorities {
                line("TSA", &c.uri, &c.valid_for);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The trusted root `verify` uses from a TUF state: the bytes, and how to
/// name where they came from.
#[derive(Debug)]
pub struct StateTrust {
    /// trusted_root.json of the state's current generation.
    pub trusted_root: Vec<u8>,
    /// For the output.
    pub description: String,
    /// For `--json`.
    pub json: Value,
}

/// The trusted root of the TUF state in `explicit` (`--trust-state DIR`:
/// an error if it has none), or of the default state directory when it
/// holds one (`Ok(None)` otherwise).
pub fn state_trust(explicit: Option<&Path>) -> Result<Option<StateTrust>, String> {
    let (dir, default) = match explicit {
        Some(d) => (d.to_path_buf(), false),
        None => match default_state_dir() {
            Some(d) => (d, true),
            None => return Ok(None),
        },
    };
    let state = match load_state(&dir)? {
        Some(s) => s,
        None if default => return Ok(None),
        None => {
            return Err(format!(
                "--trust-state {}: no TUF state there",
                dir.display()
            ));
        }
    };
    let Some(trusted_root) = state.trusted_root else {
        if default {
            return Ok(None);
        }
        return Err(format!(
            "--trust-state {}: no trusted_root.json yet (run `oms-edge trust update --from DIR`)",
            dir.display()
        ));
    };
    let root_version = Updater::new(&state.root, Expiry::NoClock)
        .map(|u| u.root_version())
        .ok();
    let targets = state
        .targets
        .as_ref()
        .and_then(|t| tuf::metadata_info(t, Role::Targets).ok());
    let description = format!(
        "trusted root: TUF state {}{} (root v{}, targets v{}, trusted_root.json sha256:{})",
        dir.display(),
        if default {
            ", the default state directory"
        } else {
            ""
        },
        root_version.map_or_else(|| "?".to_owned(), |v| v.to_string()),
        targets.map_or_else(|| "?".to_owned(), |t| t.version.to_string()),
        sha256_hex(&trusted_root),
    );
    let json = json!({
        "source": "tuf-state",
        "state": dir.display().to_string(),
        "default_state": default,
        "tuf_root_version": root_version,
        "targets_version": targets.map(|t| t.version),
        "sha256": sha256_hex(&trusted_root),
    });
    Ok(Some(StateTrust {
        trusted_root,
        description,
        json,
    }))
}
