//! Step 9: the model's bytes against a [`VerifiedManifest`].
//!
//! Checks, in order (OMS §8.4, §8.5):
//! 1. every file a resource names exists in the model ([`ModelSource`]);
//! 2. `shards`: the file's size is exactly where its signed shards end (a
//!    truncated or extended file fails before any byte is hashed);
//! 3. each file (or shard) hashes to its signed digest with the signed
//!    `hash_type`, reading exactly the signed range; a whole file, and a
//!    file's last shard, must end there (it did not grow while being read:
//!    a sharded file that grew after its size was taken would otherwise
//!    pass, every signed range still matching and the tail never read);
//! 4. unless unsigned files are ignored, the model holds no file that no
//!    resource names (zero-byte files are exempt under `shards`, which
//!    gives them no resource, §6.3.2).
//!
//! The work is split so that a caller can hash in parallel without being
//! able to skip a check: a [`Planner`] turns resources into [`JobSpec`]s
//! (checks 1–2), [`JobSpec::check`] hashes one (check 3) and is, with the
//! push-fed [`JobSpec::start`] → [`Stream`] for callers that read ahead
//! into their own buffers, the only way to get a [`Passed`] token, and a
//! [`Tally`] builds the [`VerifiedModel`] only from one token per
//! resource, in order, plus the planner's [`Planned`] (check 4).
//! [`VerifiedManifest::verify_model`] does all of it sequentially.
//!
//! Tokens are bound to their manifest: each carries the manifest's lifetime
//! and identity (where its authenticated payload sits), so a job, pass or
//! plan of one manifest is refused by another's tally
//! ([`ModelError::ForeignToken`]), and tokens out of order, twice or
//! missing are refused as such ([`ModelError::TokenOutOfOrder`]).

use core::fmt;
use core::marker::PhantomData;

use embedded_io::{ErrorKind, Read};

use crate::check::Check;
use crate::hashing::{Digest, HashAlgorithm, Hasher};
use crate::limits::MAX_NAME_BYTES;
use crate::manifest::Method;
use crate::manifest::{ManifestError, ManifestId, Resource, ResourceIter, VerifiedManifest};

/// Why a resource's bytes failed (step 9); the resource's index travels
/// with it ([`ModelFailure::Resource`], `Error::Model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ModelError {
    /// The model has no such file.
    MissingFile,
    /// The file's size is not where its signed shards end.
    SizeMismatch {
        /// Where the signed shards end.
        signed: u64,
        /// The file's size.
        actual: u64,
    },
    /// The file ended before the signed range did (it changed while read).
    Truncated,
    /// The file is longer than when its size was taken (it changed while read).
    Grew,
    /// Reading failed.
    Read(ErrorKind),
    /// The bytes hash to another digest than the signed one (which is the
    /// resource's, at the error's index).
    DigestMismatch {
        /// The digest of the bytes read.
        actual: Digest,
    },
    /// A job, pass or plan made for another manifest was given to this
    /// manifest's tally.
    ForeignToken,
    /// Passes were not recorded one per resource in index order (out of
    /// order, twice, or missing at the end), or a plan was finished before
    /// every resource was planned.
    TokenOutOfOrder,
}

impl ModelError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            ModelError::MissingFile => Check::ModelMissingFile,
            ModelError::SizeMismatch { .. } => Check::ModelSizeMismatch,
            ModelError::Truncated => Check::ModelTruncated,
            ModelError::Grew => Check::ModelGrew,
            ModelError::Read(_) => Check::ModelRead,
            ModelError::DigestMismatch { .. } => Check::ModelDigestMismatch,
            ModelError::ForeignToken => Check::ModelForeignToken,
            ModelError::TokenOutOfOrder => Check::ModelTokenOutOfOrder,
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::MissingFile => f.write_str("file is missing"),
            ModelError::SizeMismatch { signed, actual } => {
                write!(
                    f,
                    "file is {actual} bytes but its signed shards end at {signed}"
                )
            }
            ModelError::Truncated => f.write_str("file ended early while being read"),
            ModelError::Grew => f.write_str("file grew while being read"),
            ModelError::Read(kind) => write!(f, "read failed ({kind:?})"),
            ModelError::DigestMismatch { actual } => write!(
                f,
                "{} mismatch (got {})",
                actual.algorithm().name(),
                actual.hex()
            ),
            ModelError::ForeignToken => {
                f.write_str("a model-check token of another manifest was given")
            }
            ModelError::TokenOutOfOrder => {
                f.write_str("model-check tokens were not given one per resource, in order")
            }
        }
    }
}

/// A failed model check, as this module's API returns it (it converts into
/// `Error` with `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ModelFailure {
    /// Resource `index` failed.
    Resource {
        /// Index into `predicate.resources`.
        index: usize,
        /// What failed.
        cause: ModelError,
    },
    /// The model holds a file that no resource lists (and unsigned files
    /// are not being ignored). The model source knows which file.
    UnsignedFile,
    /// The model source failed outside of reading a resource.
    Source(ErrorKind),
    /// Resource `index` of the manifest could not be read again (never for
    /// a manifest this crate made, whose resources were all checked).
    Manifest {
        /// Index into `predicate.resources`.
        index: usize,
        /// What failed.
        cause: ManifestError,
    },
}

impl ModelFailure {
    fn at(index: usize, cause: ModelError) -> Self {
        ModelFailure::Resource { index, cause }
    }
}

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
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct ModelOptions {
    /// Accept files the manifest does not list (OMS §8.5).
    pub ignore_unsigned_files: bool,
}

impl ModelOptions {
    /// These options, with unsigned files accepted (`true`) or not.
    pub fn ignoring_unsigned_files(mut self, ignore: bool) -> Self {
        self.ignore_unsigned_files = ignore;
        self
    }
}

/// One range of one file to hash and compare. Built only by a [`Planner`]
/// of manifest `'m`.
#[derive(Debug, Clone, Copy)]
pub struct JobSpec<'m> {
    manifest: ManifestId,
    index: usize,
    offset: u64,
    len: u64,
    /// The file must end where the range does: a whole file, or a file's
    /// last shard.
    ends_file: bool,
    expected: Digest,
    _manifest: PhantomData<&'m ()>,
}

impl<'m> JobSpec<'m> {
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

    fn failed(&self, cause: ModelError) -> ModelFailure {
        ModelFailure::at(self.index, cause)
    }

    fn passed(&self) -> Passed<'m> {
        Passed {
            manifest: self.manifest,
            index: self.index,
            bytes: self.len,
            _manifest: PhantomData,
        }
    }

    /// Check 3: hashes `len` bytes from `reader` (opened at `offset`) through
    /// `buf` and compares with the signed digest.
    pub fn check<R: Read>(
        &self,
        reader: &mut R,
        buf: &mut [u8],
    ) -> Result<Passed<'m>, ModelFailure> {
        let actual = hash_stream(
            self.expected.algorithm(),
            reader,
            self.len,
            self.ends_file,
            buf,
        )
        .map_err(|cause| self.failed(cause))?;
        if actual != self.expected {
            return Err(self.failed(ModelError::DigestMismatch { actual }));
        }
        Ok(self.passed())
    }

    /// Check 3, fed by the caller: the bytes of the range go to
    /// [`Stream::update`] in order, then [`Stream::finish`] compares.
    pub fn start(&self) -> Stream<'m> {
        Stream {
            spec: *self,
            hasher: Hasher::new(self.expected.algorithm()),
            left: self.len,
            overflow: false,
        }
    }
}

/// A [`JobSpec`] being fed: the same checks as [`JobSpec::check`] (exactly
/// `len` bytes; a whole file, or a last shard, ends there; the digest
/// matches) for callers
/// that read into buffers of their own (a read-ahead thread).
#[derive(Debug, Clone)]
pub struct Stream<'m> {
    spec: JobSpec<'m>,
    hasher: Hasher,
    left: u64,
    overflow: bool,
}

impl<'m> Stream<'m> {
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
        self.left = self
            .left
            .saturating_sub(u64::try_from(take.len()).unwrap_or(u64::MAX));
    }

    /// Ends the range. `source_ended` says whether the file had no byte
    /// after it (a whole file, or a file's last shard, fails with
    /// [`ModelError::Grew`] if it had; the other shards ignore it). Fewer
    /// bytes than the range fail with [`ModelError::Truncated`].
    pub fn finish(self, source_ended: bool) -> Result<Passed<'m>, ModelFailure> {
        let spec = self.spec;
        if self.overflow || (spec.ends_file && self.left == 0 && !source_ended) {
            return Err(spec.failed(ModelError::Grew));
        }
        if self.left > 0 {
            return Err(spec.failed(ModelError::Truncated));
        }
        let actual = self.hasher.finalize();
        if actual != spec.expected {
            return Err(spec.failed(ModelError::DigestMismatch { actual }));
        }
        Ok(spec.passed())
    }

    /// The failure to report when the caller could not read the range.
    pub fn read_failed(&self, kind: ErrorKind) -> ModelFailure {
        self.spec.failed(ModelError::Read(kind))
    }
}

/// A job the [`Planner`] yields: the file's path and what to check.
#[derive(Debug, Clone, Copy)]
pub struct Job<'n, 'm> {
    /// The file, as the manifest names it (`.` for the model itself).
    pub path: &'n str,
    /// The range and digest.
    pub spec: JobSpec<'m>,
}

/// Proof that one resource's bytes matched. Only [`JobSpec::check`] and
/// [`Stream::finish`] make one; only the tally of the same manifest takes
/// it.
#[derive(Debug, Clone, Copy)]
pub struct Passed<'m> {
    manifest: ManifestId,
    index: usize,
    bytes: u64,
    _manifest: PhantomData<&'m ()>,
}

impl Passed<'_> {
    /// The resource that matched.
    pub fn index(&self) -> usize {
        self.index
    }
}

/// Proof that planning found every file and no unsigned one.
#[derive(Debug, Clone, Copy)]
pub struct Planned<'m> {
    manifest: ManifestId,
    resources: usize,
    _manifest: PhantomData<&'m ()>,
}

/// A model whose every byte matched a verified manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
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
///
/// It holds the current file's path in a buffer of `N` bytes (default:
/// [`MAX_NAME_BYTES`], every name a manifest may hold). A smaller `N`
/// ([`VerifiedManifest::planner_for`]) is for small stacks whose model
/// source cannot name longer files anyway (a ustar archive: 255 bytes); a
/// name longer than `N` then fails as [`ManifestError::NameTooLong`].
#[derive(Debug)]
pub struct Planner<'m, const N: usize = MAX_NAME_BYTES> {
    manifest: ManifestId,
    resources: ResourceIter<'m>,
    method: Method,
    opts: ModelOptions,
    count: usize,
    lookahead: Option<Resource<'m>>,
    run: Option<Run>,
    path: [u8; N],
    first_error: Option<ModelFailure>,
    done: bool,
}

impl<'m, const N: usize> Planner<'m, N> {
    fn fail(&mut self, e: ModelFailure) -> Option<Result<Job<'_, 'm>, ModelFailure>> {
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
    fn close(&self, run: Run) -> Option<ModelFailure> {
        match (self.method, run.size) {
            (Method::Shards { .. }, Some(size)) if run.signed_end < size => Some(ModelFailure::at(
                run.last_index,
                ModelError::SizeMismatch {
                    signed: run.signed_end,
                    actual: size,
                },
            )),
            _ => None,
        }
    }

    /// The next job, or the next failed check; `None` when every resource
    /// has been planned. Keep calling after an error to see them all.
    pub fn next<S: ModelSource>(
        &mut self,
        source: &mut S,
    ) -> Option<Result<Job<'_, 'm>, ModelFailure>> {
        loop {
            let r = match self.lookahead.take() {
                Some(r) => r,
                None => match self.resources.next() {
                    Some(Ok(r)) => r,
                    Some(Err((index, cause))) => {
                        return self.fail(ModelFailure::Manifest { index, cause });
                    }
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
                    let mut bytes = r.path_bytes();
                    for (dst, b) in self.path.iter_mut().zip(bytes.by_ref()) {
                        *dst = b;
                        // Bounded by `self.path.len()`.
                        path_len = path_len.saturating_add(1);
                    }
                    // Only with `N < MAX_NAME_BYTES`: the buffer is full
                    // and the name goes on.
                    if path_len == N && bytes.next().is_some() {
                        return self.fail(ModelFailure::Manifest {
                            index: r.index,
                            cause: ManifestError::NameTooLong,
                        });
                    }
                    let mut run = Run {
                        path_len,
                        size: None,
                        signed_end: 0,
                        last_index: r.index,
                    };
                    match source.file_size(self.run_path(&run)) {
                        Ok(size) => run.size = size,
                        Err(kind) => return self.fail(ModelFailure::Source(kind)),
                    }
                    run
                }
            };
            run.last_index = r.index;
            if let Some((_, end)) = r.range {
                run.signed_end = run.signed_end.max(end);
            }
            self.run = Some(run);
            let Some(size) = run.size else {
                return self.fail(ModelFailure::at(r.index, ModelError::MissingFile));
            };
            let (offset, len, ends_file) = match r.range {
                None => (0, size, true),
                // Manifest check 6 made `start < end`. The shard that ends
                // where the file does must find the file ending there when
                // read.
                Some((start, end)) if end <= size => {
                    (start, end.saturating_sub(start), end == size)
                }
                Some((_, end)) => {
                    return self.fail(ModelFailure::at(
                        r.index,
                        ModelError::SizeMismatch {
                            signed: end,
                            actual: size,
                        },
                    ));
                }
            };
            let spec = JobSpec {
                manifest: self.manifest,
                index: r.index,
                offset,
                len,
                ends_file,
                expected: r.digest,
                _manifest: PhantomData,
            };
            return Some(Ok(Job {
                path: self.run_path(&run),
                spec,
            }));
        }
    }

    /// After the last job: the first planning failure, or check 4.
    /// Finishing before [`Planner::next`] returned `None` is a failure
    /// ([`ModelError::TokenOutOfOrder`]).
    pub fn finish<S: ModelSource>(self, source: &mut S) -> Result<Planned<'m>, ModelFailure> {
        if let Some(e) = self.first_error {
            return Err(e);
        }
        if !self.done {
            return Err(ModelFailure::at(
                self.resources.index(),
                ModelError::TokenOutOfOrder,
            ));
        }
        if !self.opts.ignore_unsigned_files {
            let exempt = matches!(self.method, Method::Shards { .. });
            if source
                .has_unlisted_file(exempt)
                .map_err(ModelFailure::Source)?
            {
                return Err(ModelFailure::UnsignedFile);
            }
        }
        Ok(Planned {
            manifest: self.manifest,
            resources: self.count,
            _manifest: PhantomData,
        })
    }
}

/// Collects [`Passed`] tokens, in resource order, into a [`VerifiedModel`].
#[derive(Debug)]
pub struct Tally<'m> {
    manifest: ManifestId,
    next: usize,
    count: usize,
    bytes: u64,
    root_digest: Option<Digest>,
    _manifest: PhantomData<&'m ()>,
}

impl<'m> Tally<'m> {
    /// Records the next resource's token (tokens must come in index order,
    /// each once, from this manifest).
    pub fn record(&mut self, passed: Passed<'m>) -> Result<(), ModelFailure> {
        if passed.manifest != self.manifest {
            return Err(ModelFailure::at(passed.index, ModelError::ForeignToken));
        }
        if passed.index != self.next {
            return Err(ModelFailure::at(passed.index, ModelError::TokenOutOfOrder));
        }
        // `next` equals an index below `count`: never saturates.
        self.next = self.next.saturating_add(1);
        self.bytes = self.bytes.saturating_add(passed.bytes);
        Ok(())
    }

    /// The verdict: every resource passed and planning was clean.
    pub fn finish(self, planned: Planned<'m>) -> Result<VerifiedModel, ModelFailure> {
        if planned.manifest != self.manifest {
            return Err(ModelFailure::at(self.next, ModelError::ForeignToken));
        }
        if self.next != self.count || planned.resources != self.count {
            return Err(ModelFailure::at(self.next, ModelError::TokenOutOfOrder));
        }
        Ok(VerifiedModel {
            resources: self.count,
            bytes: self.bytes,
            root_digest: self.root_digest,
        })
    }
}

impl<'p> VerifiedManifest<'p> {
    /// Plans the model check (see [`Planner`]). The planner, its jobs and
    /// tokens live as long as the authenticated payload (`'p`), not this
    /// borrow: a binding that keeps the manifest beside its planner (the C
    /// library's verifier state) needs no reference into itself.
    pub fn planner(&self, opts: ModelOptions) -> Planner<'p> {
        self.planner_for(opts)
    }

    /// Plans the model check with a path buffer of `N` bytes (see
    /// [`Planner`]); lifetimes as [`Self::planner`].
    pub fn planner_for<const N: usize>(&self, opts: ModelOptions) -> Planner<'p, N> {
        Planner {
            manifest: self.id(),
            resources: self.checked_resources(),
            method: self.serialization().method,
            opts,
            count: self.len(),
            lookahead: None,
            run: None,
            path: [0; N],
            first_error: None,
            done: false,
        }
    }

    /// A fresh tally for this manifest (bound to `'p`, as the planner).
    pub fn tally(&self) -> Tally<'p> {
        Tally {
            manifest: self.id(),
            next: 0,
            count: self.len(),
            bytes: 0,
            root_digest: self.root_digest(),
            _manifest: PhantomData,
        }
    }

    /// Checks the model sequentially, streaming every file through `buf`.
    /// Stops at the first failure.
    pub fn verify_model<S: ModelSource>(
        &self,
        source: &mut S,
        opts: ModelOptions,
        buf: &mut [u8],
    ) -> Result<VerifiedModel, ModelFailure> {
        self.verify_model_for::<S, MAX_NAME_BYTES>(source, opts, buf)
    }

    /// [`Self::verify_model`] with a path buffer of `N` bytes on the
    /// stack instead of [`MAX_NAME_BYTES`] (see [`Planner`]): a name longer
    /// than `N` fails as [`ManifestError::NameTooLong`].
    pub fn verify_model_for<S: ModelSource, const N: usize>(
        &self,
        source: &mut S,
        opts: ModelOptions,
        buf: &mut [u8],
    ) -> Result<VerifiedModel, ModelFailure> {
        let mut planner = self.planner_for::<N>(opts);
        let mut tally = self.tally();
        while let Some(job) = planner.next(source) {
            let Job { path, spec } = job?;
            let mut reader = source
                .open(path, spec.offset)
                .map_err(|kind| spec.failed(ModelError::Read(kind)))?;
            tally.record(spec.check(&mut reader, buf)?)?;
        }
        let planned = planner.finish(source)?;
        tally.finish(planned)
    }
}

/// Hashes exactly `len` bytes from `reader` through `buf`.
///
/// With `expect_end`, the reader must then be at its end: a file that grew
/// since its size was taken fails with [`ModelError::Grew`]. A reader that
/// ends early fails with [`ModelError::Truncated`].
fn hash_stream<R: Read>(
    algorithm: HashAlgorithm,
    reader: &mut R,
    len: u64,
    expect_end: bool,
    buf: &mut [u8],
) -> Result<Digest, ModelError> {
    if buf.is_empty() {
        return Err(ModelError::Read(ErrorKind::InvalidInput));
    }
    let mut hasher = Hasher::new(algorithm);
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let chunk = buf
            .get_mut(..want)
            .ok_or(ModelError::Read(ErrorKind::Other))?;
        let n = read_some(reader, chunk)?;
        if n == 0 {
            return Err(ModelError::Truncated);
        }
        hasher.update(chunk.get(..n).ok_or(ModelError::Read(ErrorKind::Other))?);
        // `n <= chunk.len() <= left`: never saturates.
        left = left.saturating_sub(u64::try_from(n).unwrap_or(u64::MAX));
    }
    if expect_end {
        let probe = buf.get_mut(..1).ok_or(ModelError::Read(ErrorKind::Other))?;
        if read_some(reader, probe)? != 0 {
            return Err(ModelError::Grew);
        }
    }
    Ok(hasher.finalize())
}

/// One `read`, retrying when interrupted.
fn read_some<R: Read>(reader: &mut R, buf: &mut [u8]) -> Result<usize, ModelError> {
    loop {
        match reader.read(buf) {
            Ok(n) => return Ok(n.min(buf.len())),
            Err(e) => {
                let kind = embedded_io::Error::kind(&e);
                if kind != ErrorKind::Interrupted {
                    return Err(ModelError::Read(kind));
                }
            }
        }
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
        Ok(self
            .files
            .get(i)
            .and_then(|(_, data)| u64::try_from(data.len()).ok()))
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
mod tests;
