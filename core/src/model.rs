//! Step 9: the model's bytes against a [`VerifiedManifest`].
//!
//! Checks, in order (OMS §8.4, §8.5):
//! 1. every file a resource names exists in the model ([`ModelSource`]);
//! 2. `shards`: the file's size is exactly where its signed shards end (a
//!    truncated or extended file fails before any byte is hashed);
//! 3. each file (or shard) hashes to its signed digest with the signed
//!    `hash_type`, reading exactly the signed range; a whole file must end
//!    there (it did not grow while being read);
//! 4. unless unsigned files are ignored, the model holds no file that no
//!    resource names (zero-byte files are exempt under `shards`, which
//!    gives them no resource, §6.3.2).
//!
//! The work is split so that a caller can hash in parallel without being
//! able to skip a check: a [`Planner`] turns resources into [`JobSpec`]s
//! (checks 1–2), [`JobSpec::check`] hashes one (check 3) and is, with the
//! push-fed [`JobSpec::start`] → [`Stream`] for callers that read ahead
//! into their own buffers, the only way to get a [`Passed`] token, and a
//! [`Tally`] builds the [`VerifiedModel`]
//! only from one token per resource plus the planner's [`Planned`] (check 4).
//! [`VerifiedManifest::verify_model`] does all of it sequentially.

use embedded_io::{ErrorKind, Read};

use crate::error::{Error, ModelError};
use crate::hashing::{Digest, Hasher, hash_stream};
use crate::limits::MAX_NAME_BYTES;
use crate::manifest::{Resource, Resources, VerifiedManifest};
use crate::statement::Method;

/// Where the model's files come from: a directory, flash, an archive...
///
/// All directory, ignore and symlink policy is the source's business; the
/// core only asks for files by the names the signed manifest uses.
pub trait ModelSource {
    /// A reader over one file, positioned at the requested offset.
    type Reader<'s>: Read
    where
        Self: 's;

    /// The size of the model's regular file `path`, or `None` when the
    /// model has no such file. `path` is a canonical relative path from the
    /// manifest, or `.`, which older signers used for the one file of a
    /// single-file model. The call also records that the manifest lists the
    /// file, for [`ModelSource::has_unlisted_file`].
    fn file_size(&mut self, path: &str) -> Result<Option<u64>, ErrorKind>;

    /// Opens `path` for reading from byte `offset`.
    fn open(&mut self, path: &str, offset: u64) -> Result<Self::Reader<'_>, ErrorKind>;

    /// After every resource was planned: whether the model holds a file that
    /// no [`ModelSource::file_size`] call named. With `empty_files_exempt`,
    /// zero-byte files do not count.
    fn has_unlisted_file(&mut self, empty_files_exempt: bool) -> Result<bool, ErrorKind>;
}

/// Caller choices for checking a model.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelOptions {
    /// Accept files the manifest does not list (OMS §8.5).
    pub ignore_unsigned_files: bool,
}

/// One range of one file to hash and compare. Built only by a [`Planner`].
#[derive(Debug, Clone, Copy)]
pub struct JobSpec {
    index: usize,
    offset: u64,
    len: u64,
    whole_file: bool,
    expected: Digest,
}

impl JobSpec {
    /// The resource this job checks.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Where to start reading.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// How many bytes to hash.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the job hashes nothing (an empty file).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The signed digest.
    pub fn expected(&self) -> Digest {
        self.expected
    }

    /// Check 3: hashes `len` bytes from `reader` (opened at `offset`) through
    /// `buf` and compares with the signed digest.
    pub fn check<R: Read>(&self, reader: &mut R, buf: &mut [u8]) -> Result<Passed, Error> {
        let model = |cause| Error::Model {
            index: self.index,
            cause,
        };
        let actual = hash_stream(
            self.expected.algorithm(),
            reader,
            self.len,
            self.whole_file,
            buf,
        )
        .map_err(model)?;
        if actual != self.expected {
            return Err(model(ModelError::DigestMismatch { actual }));
        }
        Ok(Passed {
            index: self.index,
            bytes: self.len,
        })
    }
}

impl JobSpec {
    /// Check 3, fed by the caller: the bytes of the range go to
    /// [`Stream::update`] in order, then [`Stream::finish`] compares.
    pub fn start(&self) -> Stream {
        Stream {
            spec: *self,
            hasher: Hasher::new(self.expected.algorithm()),
            left: self.len,
            overflow: false,
        }
    }
}

/// A [`JobSpec`] being fed: the same checks as [`JobSpec::check`] (exactly
/// `len` bytes; a whole file ends there; the digest matches) for callers
/// that read into buffers of their own (a read-ahead thread).
#[derive(Debug, Clone)]
pub struct Stream {
    spec: JobSpec,
    hasher: Hasher,
    left: u64,
    overflow: bool,
}

impl Stream {
    /// The resource this stream checks.
    pub fn index(&self) -> usize {
        self.spec.index
    }

    /// Feeds the next bytes of the range. Bytes past its end are not hashed
    /// and fail the check ([`ModelError::Grew`]) at [`Stream::finish`].
    pub fn update(&mut self, data: &[u8]) {
        let room = usize::try_from(self.left).unwrap_or(usize::MAX);
        let take = data.get(..room).unwrap_or(data);
        if take.len() < data.len() {
            self.overflow = true;
        }
        self.hasher.update(take);
        // `take.len() <= left`: never saturates.
        self.left = self.left.saturating_sub(take.len() as u64);
    }

    /// Ends the range. `source_ended` says whether the file had no byte
    /// after it (a whole-file job fails with [`ModelError::Grew`] if it had;
    /// a shard job ignores it). Fewer bytes than the range fail with
    /// [`ModelError::Truncated`].
    pub fn finish(self, source_ended: bool) -> Result<Passed, Error> {
        let spec = self.spec;
        let model = |cause| Error::Model {
            index: spec.index,
            cause,
        };
        if self.overflow || (spec.whole_file && self.left == 0 && !source_ended) {
            return Err(model(ModelError::Grew));
        }
        if self.left > 0 {
            return Err(model(ModelError::Truncated));
        }
        let actual = self.hasher.finalize();
        if actual != spec.expected {
            return Err(model(ModelError::DigestMismatch { actual }));
        }
        Ok(Passed {
            index: spec.index,
            bytes: spec.len,
        })
    }
}

/// A job the [`Planner`] yields: the file's path and what to check.
#[derive(Debug, Clone, Copy)]
pub struct Job<'n> {
    /// The file, as the manifest names it (`.` for the model itself).
    pub path: &'n str,
    /// The range and digest.
    pub spec: JobSpec,
}

/// Proof that one resource's bytes matched. Only [`JobSpec::check`] and
/// [`Stream::finish`] make one.
#[derive(Debug, Clone, Copy)]
pub struct Passed {
    index: usize,
    bytes: u64,
}

impl Passed {
    /// The resource that matched.
    pub fn index(&self) -> usize {
        self.index
    }
}

/// Proof that planning found every file and no unsigned one.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    resources: usize,
}

/// A model whose every byte matched a verified manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedModel {
    /// Resources checked.
    pub resources: usize,
    /// Bytes hashed.
    pub bytes: u64,
    /// The manifest's root digest (`None` for the v0.1 predicate).
    pub root_digest: Option<Digest>,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    path_len: usize,
    size: Option<u64>,
    signed_end: u64,
    last_index: usize,
}

/// Turns resources into jobs, file by file (checks 1, 2 and 4).
#[derive(Debug)]
pub struct Planner<'p> {
    resources: Resources<'p>,
    method: Method,
    opts: ModelOptions,
    count: usize,
    lookahead: Option<Resource<'p>>,
    run: Option<Run>,
    path: [u8; MAX_NAME_BYTES],
    first_error: Option<Error>,
    done: bool,
}

impl<'p> Planner<'p> {
    fn fail(&mut self, e: Error) -> Option<Result<Job<'_>, Error>> {
        if self.first_error.is_none() {
            self.first_error = Some(e);
        }
        Some(Err(e))
    }

    fn run_path(&self, run: &Run) -> &str {
        self.path
            .get(..run.path_len)
            .and_then(|p| core::str::from_utf8(p).ok())
            .unwrap_or("")
    }

    /// Check 2 when a file's last shard has been planned.
    fn close(&self, run: Run) -> Option<Error> {
        match (self.method, run.size) {
            (Method::Shards { .. }, Some(size)) if run.signed_end < size => Some(Error::Model {
                index: run.last_index,
                cause: ModelError::SizeMismatch {
                    signed: run.signed_end,
                    actual: size,
                },
            }),
            _ => None,
        }
    }

    /// The next job, or the next failed check; `None` when every resource
    /// has been planned. Keep calling after an error to see them all.
    pub fn next<S: ModelSource>(&mut self, source: &mut S) -> Option<Result<Job<'_>, Error>> {
        loop {
            let r = match self.lookahead.take() {
                Some(r) => r,
                None => match self.resources.next() {
                    Some(Ok(r)) => r,
                    Some(Err(e)) => return self.fail(e),
                    None => {
                        self.done = true;
                        let run = self.run.take()?;
                        return match self.close(run) {
                            Some(e) => self.fail(e),
                            None => None,
                        };
                    }
                },
            };
            let mut run = match self.run {
                Some(run) => {
                    let same = self
                        .path
                        .get(..run.path_len)
                        .is_some_and(|p| p.iter().copied().eq(r.path_bytes()));
                    if !same {
                        self.run = None;
                        self.lookahead = Some(r);
                        if let Some(e) = self.close(run) {
                            return self.fail(e);
                        }
                        continue;
                    }
                    run
                }
                None => {
                    // A new file: copy its path (unescaped) into the run's
                    // buffer (manifest validation bounded it by
                    // MAX_NAME_BYTES), and ask for its size once.
                    let mut path_len: usize = 0;
                    for (dst, b) in self.path.iter_mut().zip(r.path_bytes()) {
                        *dst = b;
                        // Bounded by `self.path.len()`.
                        path_len = path_len.saturating_add(1);
                    }
                    let mut run = Run {
                        path_len,
                        size: None,
                        signed_end: 0,
                        last_index: r.index,
                    };
                    match source.file_size(self.run_path(&run)) {
                        Ok(size) => run.size = size,
                        Err(kind) => return self.fail(Error::Source(kind)),
                    }
                    run
                }
            };
            run.last_index = r.index;
            if let Some((_, end)) = r.range {
                run.signed_end = run.signed_end.max(end);
            }
            self.run = Some(run);
            let model_error = |cause| Error::Model {
                index: r.index,
                cause,
            };
            let Some(size) = run.size else {
                return self.fail(model_error(ModelError::MissingFile));
            };
            let (offset, len, whole_file) = match r.range {
                None => (0, size, true),
                // Manifest check 6 made `start < end`.
                Some((start, end)) if end <= size => (start, end.saturating_sub(start), false),
                Some((_, end)) => {
                    return self.fail(model_error(ModelError::SizeMismatch {
                        signed: end,
                        actual: size,
                    }));
                }
            };
            let spec = JobSpec {
                index: r.index,
                offset,
                len,
                whole_file,
                expected: r.digest,
            };
            return Some(Ok(Job {
                path: self.run_path(&run),
                spec,
            }));
        }
    }

    /// After the last job: the first planning failure, or check 4.
    /// Finishing before [`Planner::next`] returned `None` is a failure.
    pub fn finish<S: ModelSource>(self, source: &mut S) -> Result<Planned, Error> {
        if let Some(e) = self.first_error {
            return Err(e);
        }
        if !self.done {
            return Err(Error::Model {
                index: self.resources.index(),
                cause: ModelError::MissingFile,
            });
        }
        if !self.opts.ignore_unsigned_files {
            let exempt = matches!(self.method, Method::Shards { .. });
            if source.has_unlisted_file(exempt).map_err(Error::Source)? {
                return Err(Error::UnsignedFile);
            }
        }
        Ok(Planned {
            resources: self.count,
        })
    }
}

/// Collects [`Passed`] tokens, in resource order, into a [`VerifiedModel`].
#[derive(Debug)]
pub struct Tally {
    next: usize,
    count: usize,
    bytes: u64,
    root_digest: Option<Digest>,
}

impl Tally {
    /// Records the next resource's token (tokens must come in index order,
    /// each once).
    pub fn record(&mut self, passed: Passed) -> Result<(), Error> {
        if passed.index != self.next {
            return Err(Error::Model {
                index: self.next,
                cause: ModelError::MissingFile,
            });
        }
        // `next` equals an index below `count`: never saturates.
        self.next = self.next.saturating_add(1);
        self.bytes = self.bytes.saturating_add(passed.bytes);
        Ok(())
    }

    /// The verdict: every resource passed and planning was clean.
    pub fn finish(self, planned: Planned) -> Result<VerifiedModel, Error> {
        if self.next != self.count || planned.resources != self.count {
            return Err(Error::Model {
                index: self.next,
                cause: ModelError::MissingFile,
            });
        }
        Ok(VerifiedModel {
            resources: self.count,
            bytes: self.bytes,
            root_digest: self.root_digest,
        })
    }
}

impl VerifiedManifest<'_> {
    /// Plans the model check (see [`Planner`]).
    pub fn planner(&self, opts: ModelOptions) -> Planner<'_> {
        Planner {
            resources: self.resources(),
            method: self.serialization().method,
            opts,
            count: self.len(),
            lookahead: None,
            run: None,
            path: [0; MAX_NAME_BYTES],
            first_error: None,
            done: false,
        }
    }

    /// A fresh tally for this manifest.
    pub fn tally(&self) -> Tally {
        Tally {
            next: 0,
            count: self.len(),
            bytes: 0,
            root_digest: self.root_digest(),
        }
    }

    /// Checks the model sequentially, streaming every file through `buf`.
    /// Stops at the first failure.
    pub fn verify_model<S: ModelSource>(
        &self,
        source: &mut S,
        opts: ModelOptions,
        buf: &mut [u8],
    ) -> Result<VerifiedModel, Error> {
        let mut planner = self.planner(opts);
        let mut tally = self.tally();
        while let Some(job) = planner.next(source) {
            let Job { path, spec } = job?;
            let mut reader = source
                .open(path, spec.offset)
                .map_err(|kind| Error::Model {
                    index: spec.index,
                    cause: ModelError::Read(kind),
                })?;
            tally.record(spec.check(&mut reader, buf)?)?;
        }
        let planned = planner.finish(source)?;
        tally.finish(planned)
    }
}

/// A model held in memory as `(name, bytes)` pairs: for tests, examples,
/// and firmware that can map a model's files.
#[derive(Debug)]
pub struct SliceModel<'a, 'l> {
    files: &'a [(&'a str, &'a [u8])],
    listed: &'l mut [bool],
}

impl<'a, 'l> SliceModel<'a, 'l> {
    /// A model of `files`; `listed` (one flag per file, caller-owned so that
    /// nothing allocates) records which files the manifest names.
    pub fn new(files: &'a [(&'a str, &'a [u8])], listed: &'l mut [bool]) -> Self {
        listed.iter_mut().for_each(|l| *l = false);
        Self { files, listed }
    }

    fn find(&self, path: &str) -> Option<usize> {
        if path == "." && self.files.len() == 1 {
            return Some(0);
        }
        self.files.iter().position(|(name, _)| *name == path)
    }
}

impl<'a> ModelSource for SliceModel<'a, '_> {
    type Reader<'s>
        = &'a [u8]
    where
        Self: 's;

    fn file_size(&mut self, path: &str) -> Result<Option<u64>, ErrorKind> {
        let Some(i) = self.find(path) else {
            return Ok(None);
        };
        if let Some(flag) = self.listed.get_mut(i) {
            *flag = true;
        }
        Ok(self.files.get(i).map(|(_, data)| data.len() as u64))
    }

    fn open(&mut self, path: &str, offset: u64) -> Result<&'a [u8], ErrorKind> {
        let (_, data) = self
            .find(path)
            .and_then(|i| self.files.get(i))
            .ok_or(ErrorKind::NotFound)?;
        let offset = usize::try_from(offset).map_err(|_| ErrorKind::InvalidInput)?;
        data.get(offset..).ok_or(ErrorKind::InvalidInput)
    }

    fn has_unlisted_file(&mut self, empty_files_exempt: bool) -> Result<bool, ErrorKind> {
        Ok(self.files.iter().enumerate().any(|(i, (_, data))| {
            let listed = self.listed.get(i).copied().unwrap_or(false);
            !(listed || (empty_files_exempt && data.is_empty()))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsse::PaeEncoding;
    use crate::hashing::{HashAlgorithm, Hasher};
    use crate::statement::parse_unverified;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    /// A statement over `files` with their true SHA-256 digests.
    fn statement(files: &[(&str, &[u8])]) -> String {
        let mut root = Hasher::new(HashAlgorithm::Sha256);
        let mut items = Vec::new();
        for (name, data) in files {
            let mut h = Hasher::new(HashAlgorithm::Sha256);
            h.update(data);
            let d = h.finalize();
            root.update(d.as_bytes());
            items.push(format!(
                r#"{{"name":"{name}","algorithm":"sha256","digest":"{}"}}"#,
                d.hex()
            ));
        }
        format!(
            r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"m","digest":{{"sha256":"{}"}}}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{{"serialization":{{"method":"files","hash_type":"sha256","allow_symlinks":false}},"resources":[{}]}}}}"#,
            root.finalize().hex(),
            items.join(",")
        )
    }

    const FILES: [(&str, &[u8]); 2] = [("a", b"alpha"), ("b", b"beta")];

    /// The manifest of [`FILES`], as if its signature had verified.
    fn files_manifest(text: &str) -> VerifiedManifest<'_> {
        VerifiedManifest::new(
            parse_unverified(text.as_bytes()).unwrap(),
            PaeEncoding::Standard,
        )
    }

    #[test]
    fn sequential_verification_and_its_failures() {
        let text = statement(&FILES);
        let m = files_manifest(&text);
        let mut listed = [false; 3];
        let mut buf = [0u8; 3];
        let opts = ModelOptions::default();
        let v = m
            .verify_model(&mut SliceModel::new(&FILES, &mut listed), opts, &mut buf)
            .unwrap();
        assert_eq!((v.resources, v.bytes), (2, 9));

        let extra: [(&str, &[u8]); 3] = [FILES[0], FILES[1], ("c", b"")];
        let got = m.verify_model(&mut SliceModel::new(&extra, &mut listed), opts, &mut buf);
        assert_eq!(got, Err(Error::UnsignedFile));
        let lenient = ModelOptions {
            ignore_unsigned_files: true,
        };
        assert!(
            m.verify_model(&mut SliceModel::new(&extra, &mut listed), lenient, &mut buf)
                .is_ok()
        );

        let missing = [FILES[1]];
        let got = m.verify_model(&mut SliceModel::new(&missing, &mut listed), opts, &mut buf);
        assert_eq!(
            got,
            Err(Error::Model {
                index: 0,
                cause: ModelError::MissingFile
            })
        );
    }

    #[test]
    fn tokens_cannot_be_skipped_or_repeated() {
        let text = statement(&FILES);
        let m = files_manifest(&text);
        let mut listed = [false; 2];
        let mut source = SliceModel::new(&FILES, &mut listed);
        let mut buf = [0u8; 8];

        // Finishing a plan early fails.
        let mut planner = m.planner(ModelOptions::default());
        let _ = planner.next(&mut source);
        assert!(planner.finish(&mut source).is_err());

        // A tally needs every resource's token, in order, once.
        let mut planner = m.planner(ModelOptions::default());
        let mut passes = Vec::new();
        while let Some(job) = planner.next(&mut source) {
            let Job { path, spec } = job.unwrap();
            let mut r = source.open(path, spec.offset()).unwrap();
            passes.push(spec.check(&mut r, &mut buf).unwrap());
        }
        let planned = planner.finish(&mut source).unwrap();
        let mut tally = m.tally();
        tally.record(passes[0]).unwrap();
        assert!(tally.record(passes[0]).is_err());
        let mut tally = m.tally();
        tally.record(passes[0]).unwrap();
        assert!(m.tally().finish(planned).is_err());
        tally.record(passes[1]).unwrap();
        assert_eq!(tally.finish(planned).unwrap().resources, 2);
    }

    #[test]
    fn pushed_streams_check_what_pulled_ones_do() {
        let text = statement(&FILES);
        let m = files_manifest(&text);
        let mut listed = [false; 2];
        let mut source = SliceModel::new(&FILES, &mut listed);
        let mut planner = m.planner(ModelOptions::default());
        let Job { spec, .. } = planner.next(&mut source).unwrap().unwrap();
        let err = |cause| {
            Err(Error::Model {
                index: spec.index(),
                cause,
            })
        };
        // "alpha", fed in pieces.
        let mut s = spec.start();
        s.update(b"al");
        s.update(b"");
        s.update(b"pha");
        assert_eq!(s.finish(true).unwrap().index(), spec.index());
        // Short, long, or more bytes after a whole file.
        let mut s = spec.start();
        s.update(b"alph");
        assert_eq!(
            s.finish(true).map(|p| p.index()),
            err(ModelError::Truncated)
        );
        let mut s = spec.start();
        s.update(b"alphax");
        assert_eq!(s.finish(true).map(|p| p.index()), err(ModelError::Grew));
        let mut s = spec.start();
        s.update(b"alpha");
        assert_eq!(s.finish(false).map(|p| p.index()), err(ModelError::Grew));
        // Other bytes of the right length.
        let mut s = spec.start();
        s.update(b"alphb");
        assert!(matches!(
            s.finish(true),
            Err(Error::Model {
                cause: ModelError::DigestMismatch { .. },
                ..
            })
        ));
    }
}
