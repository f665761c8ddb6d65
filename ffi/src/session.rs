//! The state behind an `oms_edge_verifier`: the core's verified manifest,
//! planner and tally, and the file being streamed. Every decision is the
//! core's: this module only feeds it (the file the caller begun is the
//! model source's one file; its bytes go to the core's `Stream`, shard by
//! shard, in the planner's order).

use embedded_io::ErrorKind;
use oms_edge_core::{
    Error, ModelFailure, ModelOptions, ModelSource, Planner, Stream, Tally, VerifiedManifest,
};

use crate::{OMS_EDGE_ERR_ARGUMENT, OMS_EDGE_ERR_ORDER, check_code, oms_edge_model};

/// Marks a state this library wrote ("OMSEDGE1").
const MAGIC: u64 = u64::from_le_bytes(*b"OMSEDGE1");

/// An `oms_edge_verifier`'s content. `#[repr(C)]` so that `magic` is
/// first. Owns no heap memory: overwriting it leaks nothing.
#[repr(C)]
pub(crate) struct State {
    magic: u64,
    phase: Phase,
}

// No heap by design: the session lives in the caller's fixed-size state,
// so the largest variant sets the size whatever the phase.
#[allow(clippy::large_enum_variant)]
enum Phase {
    /// Initialized, nothing verified.
    Empty,
    /// A bundle verified: the model streams through the session.
    Ready(Session),
    /// A check failed (its code), or the session was misused (a negative
    /// code): every later call returns it.
    Failed(i32),
    /// The verdict was taken.
    Done,
}

impl State {
    pub(crate) fn empty() -> Self {
        Self {
            magic: MAGIC,
            phase: Phase::Empty,
        }
    }

    pub(crate) fn ready(session: Session) -> Self {
        Self {
            magic: MAGIC,
            phase: Phase::Ready(session),
        }
    }

    pub(crate) fn failed(code: i32) -> Self {
        Self {
            magic: MAGIC,
            phase: Phase::Failed(code),
        }
    }

    /// Whether the bytes at `p` start with the magic word.
    ///
    /// # Safety
    /// `p` is aligned to 8 and readable for 8 bytes.
    #[allow(unsafe_code)]
    pub(crate) unsafe fn is_initialized(p: *const u8) -> bool {
        // SAFETY: the caller's contract. Read as an integer, volatile: the
        // bytes may be anything C left there.
        unsafe { p.cast::<u64>().read_volatile() == MAGIC }
    }

    /// What the state reports: 0 when a session is ready, its failure.
    pub(crate) fn status(&self) -> i32 {
        match &self.phase {
            Phase::Ready(_) => 0,
            Phase::Failed(c) => *c,
            Phase::Empty | Phase::Done => OMS_EDGE_ERR_ORDER,
        }
    }

    pub(crate) fn session(&self) -> Result<&Session, i32> {
        match &self.phase {
            Phase::Ready(s) => Ok(s),
            other => Err(match other {
                Phase::Failed(c) => *c,
                _ => OMS_EDGE_ERR_ORDER,
            }),
        }
    }

    /// Runs `f` on the session; a failure is sticky.
    pub(crate) fn run(
        &mut self,
        f: impl FnOnce(&mut Session) -> Result<(), i32>,
    ) -> Result<(), i32> {
        let Phase::Ready(session) = &mut self.phase else {
            return Err(self.status());
        };
        f(session).inspect_err(|&c| self.phase = Phase::Failed(c))
    }

    /// The verdict; the state is done (or failed) afterwards.
    pub(crate) fn finish(&mut self) -> Result<oms_edge_model, i32> {
        let Phase::Ready(session) = &mut self.phase else {
            return Err(self.status());
        };
        let r = session.finish();
        self.phase = match r {
            Ok(_) => Phase::Done,
            Err(c) => Phase::Failed(c),
        };
        r
    }
}

/// The file being streamed.
struct FileRun {
    /// The current range's check; `None` for a file the manifest does not
    /// list (its bytes are ignored).
    stream: Option<Stream<'static>>,
    /// Where the current range ends in the file.
    range_end: u64,
    /// Bytes of the file received.
    received: u64,
    /// The file's size, as the caller said.
    size: u64,
}

/// A verified manifest and the model check in progress.
pub(crate) struct Session {
    manifest: VerifiedManifest<'static>,
    planner: Option<Planner<'static>>,
    tally: Option<Tally<'static>>,
    file: Option<FileRun>,
    unlisted: Unlisted,
}

/// Files begun that the manifest does not list.
#[derive(Clone, Copy, Default)]
struct Unlisted {
    nonempty: bool,
    empty: bool,
}

/// The model source the core's planner asks: the one file the caller has
/// begun (none outside `begin_file`), and what was not listed.
struct OneFile<'n> {
    current: Option<(&'n str, u64)>,
    unlisted: Unlisted,
}

impl ModelSource for OneFile<'_> {
    type Reader<'s>
        = &'static [u8]
    where
        Self: 's;

    fn file_size(&mut self, path: &str) -> Result<Option<u64>, ErrorKind> {
        // `.` is how older signers named a single-file model's one file.
        Ok(match self.current {
            Some((name, size)) if path == name || path == "." => Some(size),
            _ => None,
        })
    }

    /// Never called: the caller pushes the bytes (`Stream`).
    fn open(&mut self, _: &str, _: u64) -> Result<&'static [u8], ErrorKind> {
        Err(ErrorKind::Unsupported)
    }

    fn has_unlisted_file(&mut self, empty_files_exempt: bool) -> Result<bool, ErrorKind> {
        Ok(self.unlisted.nonempty || (self.unlisted.empty && !empty_files_exempt))
    }
}

fn failure(e: ModelFailure) -> i32 {
    check_code(Error::from(e))
}

impl Session {
    pub(crate) fn new(manifest: VerifiedManifest<'static>, ignore_unsigned: bool) -> Self {
        let opts = ModelOptions::default().ignoring_unsigned_files(ignore_unsigned);
        Self {
            manifest,
            planner: Some(manifest.planner(opts)),
            tally: Some(manifest.tally()),
            file: None,
            unlisted: Unlisted::default(),
        }
    }

    pub(crate) fn resource_count(&self) -> usize {
        self.manifest.len()
    }

    /// Copies resource `index`'s path into `out` with a NUL when it fits;
    /// returns its length and whether it fit.
    pub(crate) fn resource_path(&self, index: usize, out: &mut [u8]) -> Result<(usize, bool), i32> {
        let r = self.manifest.resource(index).ok_or(OMS_EDGE_ERR_ARGUMENT)?;
        let len = r.path_bytes().count();
        if out.len() <= len {
            return Ok((len, false));
        }
        let mut path = r.path_bytes().chain(core::iter::once(0));
        for slot in out.iter_mut() {
            match path.next() {
                Some(b) => *slot = b,
                None => break,
            }
        }
        Ok((len, true))
    }

    fn listed(&self, name: &str) -> bool {
        self.manifest
            .resources()
            .any(|r| r.is_dot() || r.path_bytes().eq(name.bytes()))
    }

    /// The planner's next range of the current file (the source answers
    /// for `current` only).
    fn next_range(&mut self, current: Option<(&str, u64)>) -> Result<(Stream<'static>, u64), i32> {
        let planner = self.planner.as_mut().ok_or(OMS_EDGE_ERR_ORDER)?;
        let mut source = OneFile {
            current,
            unlisted: self.unlisted,
        };
        match planner.next(&mut source) {
            Some(Ok(job)) => {
                let spec = job.spec;
                Ok((spec.start(), spec.offset().saturating_add(spec.len())))
            }
            Some(Err(e)) => Err(failure(e)),
            // Every signed file came already: this one came twice.
            None => Err(OMS_EDGE_ERR_ORDER),
        }
    }

    /// Records a range that passed.
    fn record(&mut self, stream: Stream<'static>, source_ended: bool) -> Result<(), i32> {
        let passed = stream.finish(source_ended).map_err(failure)?;
        let tally = self.tally.as_mut().ok_or(OMS_EDGE_ERR_ORDER)?;
        tally.record(passed).map_err(failure)
    }

    pub(crate) fn begin_file(&mut self, name: &str, size: u64) -> Result<(), i32> {
        if self.file.is_some() || self.planner.is_none() {
            return Err(OMS_EDGE_ERR_ORDER);
        }
        if !self.listed(name) {
            // The core decides what an unlisted file means (Planner::finish
            // asks `has_unlisted_file`, zero-byte files exempt under shards).
            if size == 0 {
                self.unlisted.empty = true;
            } else {
                self.unlisted.nonempty = true;
            }
            self.file = Some(FileRun {
                stream: None,
                range_end: size,
                received: 0,
                size,
            });
            return Ok(());
        }
        let (stream, range_end) = self.next_range(Some((name, size)))?;
        self.file = Some(FileRun {
            stream: Some(stream),
            range_end,
            received: 0,
            size,
        });
        Ok(())
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) -> Result<(), i32> {
        loop {
            let file = self.file.as_mut().ok_or(OMS_EDGE_ERR_ORDER)?;
            let Some(stream) = file.stream.as_mut() else {
                return Ok(());
            };
            let room =
                usize::try_from(file.range_end.saturating_sub(file.received)).unwrap_or(usize::MAX);
            // Past the file's last range, the rest goes to its stream too:
            // the core fails it as grown (`model.grew`).
            let last = file.range_end >= file.size;
            let (now, rest) = if last {
                (data, &[][..])
            } else {
                data.split_at(room.min(data.len()))
            };
            stream.update(now);
            file.received = file
                .received
                .saturating_add(u64::try_from(now.len()).unwrap_or(u64::MAX));
            if rest.is_empty() {
                return Ok(());
            }
            // This range is complete and more bytes follow: the next shard.
            let done = file.stream.take().ok_or(OMS_EDGE_ERR_ORDER)?;
            self.record(done, false)?;
            let (stream, range_end) = self.next_range(None)?;
            let file = self.file.as_mut().ok_or(OMS_EDGE_ERR_ORDER)?;
            file.stream = Some(stream);
            file.range_end = range_end;
            data = rest;
        }
    }

    pub(crate) fn finish_file(&mut self) -> Result<(), i32> {
        let file = self.file.take().ok_or(OMS_EDGE_ERR_ORDER)?;
        let Some(mut stream) = file.stream else {
            return Ok(());
        };
        let mut range_end = file.range_end;
        loop {
            // A whole file ended where the caller said it would; fewer
            // bytes than a range fail in the core (`model.truncated`).
            self.record(stream, file.received >= file.size)?;
            if range_end >= file.size {
                return Ok(());
            }
            // Ranges the caller declared but never sent: each fails.
            (stream, range_end) = self.next_range(None)?;
        }
    }

    pub(crate) fn finish(&mut self) -> Result<oms_edge_model, i32> {
        if self.file.is_some() {
            return Err(OMS_EDGE_ERR_ORDER);
        }
        let mut planner = self.planner.take().ok_or(OMS_EDGE_ERR_ORDER)?;
        let tally = self.tally.take().ok_or(OMS_EDGE_ERR_ORDER)?;
        let mut source = OneFile {
            current: None,
            unlisted: self.unlisted,
        };
        // Signed files never begun fail here (`model.missing_file`), as
        // does a sharded file whose shards end before it does.
        match planner.next(&mut source) {
            None => {}
            Some(Err(e)) => return Err(failure(e)),
            Some(Ok(_)) => return Err(OMS_EDGE_ERR_ORDER),
        }
        let planned = planner.finish(&mut source).map_err(failure)?;
        let model = tally.finish(planned).map_err(failure)?;
        let mut root = [0u8; 32];
        let has_root = match model.root_digest {
            Some(d) => {
                root.iter_mut().zip(d.as_bytes()).for_each(|(o, b)| *o = *b);
                true
            }
            None => false,
        };
        Ok(oms_edge_model {
            resources: u64::try_from(model.resources).unwrap_or(u64::MAX),
            bytes: model.bytes,
            has_root_digest: has_root,
            root_digest: root,
        })
    }
}
