//! Shared support for oms-edge's integration tests: where the vectors are,
//! the deterministic byte pattern `testdata/generate.py` builds large models
//! from, and a model source that produces those models without memory.

pub mod forge;
pub mod fuzz_bodies;

use std::path::{Path, PathBuf};

use embedded_io::{ErrorKind, ErrorType, Read};
use oms_edge::verify::{Run, certificate, key};
use oms_edge::{CertificateArgs, CommonVerifyArgs, KeyArgs, ModelArgs};
use oms_edge_core::ModelSource;
use sha2::{Digest as _, Sha256};

/// The repository's `testdata/` directory.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

/// The vector case directories, sorted.
pub fn vector_cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(testdata().join("vectors"))
        .expect("testdata/vectors")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A vector's `case.json`.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case directory.
    pub dir: PathBuf,
    /// `key` or `certificate`.
    pub method: String,
    /// The public key (key method).
    pub key: PathBuf,
    /// Trusted certificate files (certificate method).
    pub chain: Vec<PathBuf>,
    /// Verification time, RFC 3339 (certificate method; `None`: now).
    pub at: Option<String>,
    /// The model path.
    pub model: PathBuf,
    /// The bundle.
    pub signature: PathBuf,
    /// Extra CLI flags.
    pub args: Vec<String>,
    /// `verified` or `not-verified`.
    pub expect: String,
}

impl Case {
    /// Loads `testdata/vectors/<name>/case.json`.
    pub fn load(name: &str) -> Case {
        let dir = testdata().join("vectors").join(name);
        let text = std::fs::read_to_string(dir.join("case.json")).expect("case.json");
        let v: serde_json::Value = serde_json::from_str(&text).expect("case.json is JSON");
        let s = |k: &str| {
            v[k].as_str()
                .unwrap_or_else(|| panic!("{name}: {k}"))
                .to_owned()
        };
        let strings = |k: &str| -> Vec<String> {
            v[k].as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        Case {
            method: v["method"].as_str().unwrap_or("key").to_owned(),
            key: v["key"]
                .as_str()
                .map(|k| testdata().join(k))
                .unwrap_or_default(),
            chain: strings("chain")
                .iter()
                .map(|c| testdata().join(c))
                .collect(),
            at: v["at"].as_str().map(str::to_owned),
            model: dir.join(s("model")),
            signature: dir.join(s("signature")),
            args: v["args"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            expect: s("expect"),
            dir,
        }
    }
}

/// `oms-edge verify` options as the tests run it: quiet, the rest default.
pub fn verify_args(signature: PathBuf, model_path: PathBuf) -> CommonVerifyArgs {
    CommonVerifyArgs {
        signature,
        model: ModelArgs {
            quiet: true,
            ..ModelArgs::default()
        },
        model_path,
    }
}

impl Case {
    /// This case's `verify` options: its signature, model and flags. An
    /// `--ignore-paths` value that names a path of the case directory is
    /// made absolute (the tests do not run there); another is passed as
    /// written (and so read relative to the model).
    pub fn verify_args(&self) -> CommonVerifyArgs {
        let mut args = verify_args(self.signature.clone(), self.model.clone());
        args.model.ignore_unsigned_files = self.args.iter().any(|a| a == "--ignore-unsigned-files");
        let mut it = self.args.iter();
        while let Some(a) = it.next() {
            if a == "--ignore-paths"
                && let Some(p) = it.next()
            {
                let in_case = self.dir.join(p);
                let exists = std::fs::symlink_metadata(&in_case).is_ok();
                args.model
                    .ignore_paths
                    .push(if exists { in_case } else { PathBuf::from(p) });
            }
        }
        args
    }

    /// `oms-edge verify <method>` with this case's key or trust and `common`.
    pub fn run(&self, common: CommonVerifyArgs) -> Run {
        match self.method.as_str() {
            "key" => key(&KeyArgs {
                public_key: self.key.clone(),
                common,
            }),
            "certificate" => certificate(&CertificateArgs {
                certificate_chain: self.chain.clone(),
                at: self.at.clone(),
                common,
            }),
            other => panic!("unknown method {other}"),
        }
    }
}

/// Copies the directory `src` to `dst`, symlinks as symlinks (unix).
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir") {
        let e = e.expect("entry");
        let to = dst.join(e.file_name());
        let ft = e.file_type().expect("type");
        if ft.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(e.path()).expect("link"), &to)
                .expect("symlink");
        } else if ft.is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
}

/// Renders `n` into `buf` as decimal; returns the digits.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// `pattern(n, seed)` of `testdata/generate.py` as a reader: SHA-256 of
/// `"{seed}:{counter}"` for counter = 0, 1, ..., concatenated, first `n`
/// bytes. Allocates nothing.
#[derive(Debug, Clone)]
pub struct Pattern {
    seed: u64,
    counter: u64,
    block: [u8; 32],
    at: usize,
    left: u64,
}

impl Pattern {
    /// The first `len` bytes of the pattern for `seed`.
    pub fn new(seed: u64, len: u64) -> Self {
        Self {
            seed,
            counter: 0,
            block: [0; 32],
            at: 32,
            left: len,
        }
    }

    /// The pattern from byte `offset` on, `len` bytes in total from the start.
    pub fn at(seed: u64, len: u64, offset: u64) -> Self {
        let mut p = Self::new(seed, len);
        p.counter = offset / 32;
        p.refill();
        p.at = (offset % 32) as usize;
        p.left = len.saturating_sub(offset);
        p
    }

    fn refill(&mut self) {
        let mut a = [0u8; 20];
        let mut b = [0u8; 20];
        let mut h = Sha256::new();
        h.update(decimal(self.seed, &mut a));
        h.update(b":");
        h.update(decimal(self.counter, &mut b));
        self.block = h.finalize().into();
        self.counter += 1;
        self.at = 0;
    }

    /// All of it, as bytes (for writing a model to disk).
    pub fn to_vec(mut self) -> Vec<u8> {
        let mut out = vec![0u8; self.left as usize];
        let mut filled = 0;
        while filled < out.len() {
            filled += self.read(&mut out[filled..]).expect("pattern");
        }
        out
    }
}

impl ErrorType for Pattern {
    type Error = ErrorKind;
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        let mut n = 0;
        while n < buf.len() && self.left > 0 {
            if self.at == 32 {
                self.refill();
            }
            let take = (32 - self.at).min(buf.len() - n).min(self.left as usize);
            buf[n..n + take].copy_from_slice(&self.block[self.at..self.at + take]);
            self.at += take;
            n += take;
            self.left -= take as u64;
        }
        Ok(n)
    }
}

/// A generated file: name, size, seed.
pub type GenFile = (&'static str, u64, u64);

/// A model whose files are [`Pattern`]s, produced on demand.
#[derive(Debug)]
pub struct PatternModel<'f, const N: usize> {
    files: &'f [GenFile; N],
    listed: [bool; N],
}

impl<'f, const N: usize> PatternModel<'f, N> {
    /// A model of `files`.
    pub fn new(files: &'f [GenFile; N]) -> Self {
        Self {
            files,
            listed: [false; N],
        }
    }
}

impl<const N: usize> ModelSource for PatternModel<'_, N> {
    type Reader<'s>
        = Pattern
    where
        Self: 's;

    fn file_size(&mut self, path: &str) -> Result<Option<u64>, ErrorKind> {
        Ok(self.files.iter().position(|f| f.0 == path).map(|i| {
            self.listed[i] = true;
            self.files[i].1
        }))
    }

    fn open(&mut self, path: &str, offset: u64) -> Result<Pattern, ErrorKind> {
        let f = self
            .files
            .iter()
            .find(|f| f.0 == path)
            .ok_or(ErrorKind::NotFound)?;
        Ok(Pattern::at(f.2, f.1, offset))
    }

    fn has_unlisted_file(&mut self, _: bool) -> Result<bool, ErrorKind> {
        Ok(self.listed.iter().any(|l| !l))
    }
}

/// The files of `testdata/generated/<name>.json`'s model.
pub fn generated_files(size: u64) -> [GenFile; 2] {
    [("config.json", 100, 101), ("weights.bin", size, 100)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_matches_python() {
        // Agreement with Python's `pattern()` is proven by the committed
        // bundles of tests/no_alloc.rs and tests/heap.rs; here: reading in
        // pieces and from an offset give the same bytes.
        let whole = Pattern::new(7, 1000).to_vec();
        let tail = Pattern::at(7, 1000, 333).to_vec();
        assert_eq!(&whole[333..], &tail[..]);
        let mut p = Pattern::new(7, 1000);
        let mut pieces = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            let n = p.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            pieces.extend_from_slice(&buf[..n]);
        }
        assert_eq!(pieces, whole);
    }
}
