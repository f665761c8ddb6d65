//! `oms-edge digest`: the root digest a signer would put in `subject[0]`
//! for a model, computed the way model_signing does: same enumeration,
//! per-file (or per-shard) digests sorted in the reference's order, then
//! SHA-256 over the concatenated raw digests (OMS §6.5.1).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use oms_edge_core::{Digest, HashAlgorithm, Hasher, reference_path_cmp};

use crate::exec::{self, Sink, Task};
use crate::report::usage_error;
use crate::walk::{Model, WalkOptions, user_ignore};

/// Flags of `oms-edge digest`.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// sha256, blake2b (or blake2) or blake3.
    #[arg(long = "hash-type", default_value = "sha256")]
    hash_type: String,
    /// Serialize by shards of this many bytes instead of by files (ignored
    /// for blake3, as the reference does).
    #[arg(long = "shard-size")]
    shard_size: Option<u64>,
    /// Paths to leave out (as for `verify`).
    #[arg(long = "ignore-paths")]
    ignore_paths: Vec<PathBuf>,
    /// Treat top-level git paths as model files.
    #[arg(long = "no-ignore-git-paths")]
    no_ignore_git_paths: bool,
    /// Follow symlinks inside the model.
    #[arg(long = "allow-symlinks", visible_alias = "allow_symlinks")]
    allow_symlinks: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// The model: a directory or a single file.
    model_path: PathBuf,
}

/// Runs `oms-edge digest`.
pub fn run(args: &DigestArgs) -> ExitCode {
    let name = if args.hash_type == "blake2" {
        "blake2b"
    } else {
        args.hash_type.as_str()
    };
    let Some(alg) = HashAlgorithm::from_name(name) else {
        return usage_error(&format!(
            "unknown hash type {:?} (sha256, blake2b, blake3)",
            args.hash_type
        ));
    };
    let shard = match args.shard_size {
        Some(0) => return usage_error("--shard-size must be positive"),
        Some(_) if alg == HashAlgorithm::Blake3 => None,
        other => other,
    };
    let root = match std::fs::canonicalize(&args.model_path) {
        Ok(r) => r,
        Err(e) => return usage_error(&format!("model {}: {e}", args.model_path.display())),
    };
    let opts = WalkOptions {
        ignore_git_paths: !args.no_ignore_git_paths,
        allow_symlinks: args.allow_symlinks,
        skip_odd: false,
        ignored: args
            .ignore_paths
            .iter()
            .filter_map(|p| user_ignore(&root, p).rel)
            .collect(),
    };
    let model = match Model::walk(&root, &args.model_path, &opts) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    // (file, start) of each resource with its digest; the tasks that hash
    // them, a batch at a time (as `verify` does).
    let bar = exec::progress(model.total_bytes(), args.quiet);
    let whole = shard.is_none();
    let mut items: Vec<((usize, u64), Digest)> = Vec::with_capacity(model.len());
    let mut keys: Vec<(usize, u64)> = Vec::new();
    let mut tasks: Vec<Task> = Vec::new();
    let mut hash_batch = |keys: &mut Vec<(usize, u64)>, tasks: &mut Vec<Task>| {
        let digests: Vec<Result<Digest, String>> = exec::run(tasks, bar.as_ref(), |i| Resource {
            hasher: Hasher::new(alg),
            left: tasks[i].len,
            whole,
            path: &tasks[i].path,
        });
        tasks.clear();
        for (k, d) in keys.drain(..).zip(digests) {
            items.push((k, d?));
        }
        Ok::<(), String>(())
    };
    for (i, e) in model.entries().enumerate() {
        let ranges: Vec<(u64, u64)> = match shard {
            None => vec![(0, e.size)],
            Some(s) => (0..e.size.div_ceil(s))
                .map(|k| (k * s, ((k + 1) * s).min(e.size)))
                .collect(),
        };
        let Some(file) = model.file(i) else {
            continue;
        };
        for (start, end) in ranges {
            keys.push((i, start));
            tasks.push(Task {
                path: file.clone(),
                offset: start,
                len: end - start,
            });
            if tasks.len() >= exec::BATCH
                && let Err(e) = hash_batch(&mut keys, &mut tasks)
            {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    if let Err(e) = hash_batch(&mut keys, &mut tasks) {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let name = |i: usize| model.entry(i).map_or("", |e| e.rel);
    items.sort_by(|((a, sa), _), ((b, sb), _)| {
        reference_path_cmp(name(*a), name(*b)).then(sa.cmp(sb))
    });
    let mut root_digest = Hasher::new(HashAlgorithm::Sha256);
    for (_, d) in &items {
        root_digest.update(d.as_bytes());
    }
    out!("{}", root_digest.finalize().hex());
    ExitCode::SUCCESS
}

/// One file or shard being hashed: exactly its length, and a whole file
/// must end there.
struct Resource<'a> {
    hasher: Hasher,
    left: u64,
    whole: bool,
    path: &'a std::path::Path,
}

impl Sink for Resource<'_> {
    type Output = Result<Digest, String>;

    fn update(&mut self, data: &[u8]) {
        self.hasher.update(data);
        self.left = self.left.saturating_sub(data.len() as u64);
    }

    fn finish(self, ended: bool) -> Self::Output {
        if self.left > 0 {
            return Err(format!(
                "{}: file ended early while being read",
                self.path.display()
            ));
        }
        if self.whole && !ended {
            return Err(format!(
                "{}: file grew while being read",
                self.path.display()
            ));
        }
        Ok(self.hasher.finalize())
    }

    fn failed(self, e: std::io::Error) -> Self::Output {
        Err(format!("{}: {e}", self.path.display()))
    }
}
