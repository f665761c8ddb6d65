//! Parallel hashing: every file (or shard) is a task; tasks run on all
//! cores, one task per worker at a time, each worker streaming through its
//! own fixed buffer (shards of one file are read with their own positioned
//! handles). When a model has fewer tasks than cores (one big file), each
//! task gets a read-ahead thread: it reads the next buffers while the
//! worker hashes the previous one, so the copy out of the page cache does
//! not stall the hash.
//!
//! The bytes go to a [`Sink`]: the core's [`Stream`] check for `verify`, a
//! plain hasher for `digest`.

use std::io::{IsTerminal, Read};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use oms_edge_core::{ModelFailure, Passed, Stream};
use rayon::prelude::*;

use crate::walk::{Listed, open_file_at};

/// Bytes each worker reads at a time. 64 KiB to 1 MiB made no difference
/// on the development machine (page-cached); 128 KiB keeps two workers'
/// buffers in L2.
pub const CHUNK: usize = 128 << 10;

/// Read-ahead: buffers in flight per task, and their size. Large reads
/// keep the reader's syscalls few and give BLAKE3 enough to split across
/// threads; three of them let the reader run one buffer ahead while one
/// is hashed and one is handed over.
pub const AHEAD: usize = 3;
/// Size of each read-ahead buffer.
pub const AHEAD_CHUNK: usize = 1 << 20;

/// Alignment of each buffer. The kernel copies file data into a
/// 64-byte-aligned buffer much faster: on the development machine (AMD
/// EPYC, page-cached 1 GiB file) read+SHA-256 takes 0.77 s into an aligned
/// buffer and 1.10 s into one 16 bytes off, which is where `malloc` puts
/// large blocks.
const ALIGN: usize = 64;

/// A heap buffer whose usable part starts on an [`ALIGN`] boundary.
#[derive(Debug)]
struct AlignedBuf {
    storage: Vec<u8>,
    start: usize,
}

impl AlignedBuf {
    fn new(len: usize) -> Self {
        let storage = vec![0u8; len + ALIGN];
        let start = storage.as_ptr().align_offset(ALIGN).min(ALIGN);
        Self { storage, start }
    }

    fn as_mut(&mut self) -> &mut [u8] {
        let start = self.start;
        let end = self.storage.len() - ALIGN + start;
        &mut self.storage[start..end]
    }

    fn filled(&self, n: usize) -> &[u8] {
        &self.storage[self.start..self.start + n]
    }
}

/// Resources planned (and then hashed) at a time by `verify` and
/// `digest`: a range to hash, its spec and its outcome take a few hundred
/// bytes, so memory stays bounded whatever the number of files (10^6
/// files: 8192 × ~400 bytes instead of ~400 MB). A model of up to this
/// many resources is hashed in one go, as before.
pub const BATCH: usize = 8192;

/// Models at least this large get a progress bar (when stderr is a TTY).
const PROGRESS_THRESHOLD: u64 = 256 << 20;

/// One range of one file.
#[derive(Debug, Clone)]
pub struct Task {
    /// What to open, as the walk listed it.
    pub path: Listed,
    /// Where to start.
    pub offset: u64,
    /// How many bytes the task will read (for scheduling and progress).
    pub len: u64,
}

/// Where one task's bytes go.
pub trait Sink {
    /// What the task yields.
    type Output: Send;
    /// The next bytes of the range, in order.
    fn update(&mut self, data: &[u8]);
    /// Reading stopped: after `len` bytes, or earlier at the end of the
    /// file. `ended`: no byte follows the range in the file (probed only
    /// when the range ends where the file ended when listed; `false`
    /// otherwise).
    fn finish(self, ended: bool) -> Self::Output;
    /// The file could not be opened or read.
    fn failed(self, e: std::io::Error) -> Self::Output;
}

/// The core's check of one resource.
impl<'m> Sink for Stream<'m> {
    type Output = Result<Passed<'m>, ModelFailure>;

    fn update(&mut self, data: &[u8]) {
        Stream::update(self, data);
    }

    fn finish(self, ended: bool) -> Self::Output {
        Stream::finish(self, ended)
    }

    fn failed(self, e: std::io::Error) -> Self::Output {
        Err(self.read_failed(embedded_io::Error::kind(&e)))
    }
}

/// A progress bar on stderr, when it is a terminal, the work is large and
/// the user did not ask for quiet.
pub fn progress(total: u64, quiet: bool) -> Option<ProgressBar> {
    if quiet || total < PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}

/// Feeds every task's bytes to the sink `start(i)` makes for it, in
/// parallel; returns the outputs in task order. Larger tasks start first so
/// that one big file does not finish last.
pub fn run<S, F>(tasks: &[Task], bar: Option<&ProgressBar>, start: F) -> Vec<S::Output>
where
    S: Sink,
    F: Fn(usize) -> S + Sync,
{
    run_until(tasks, bar, &AtomicBool::new(false), start)
}

/// [`run`], stopping soon after `cancel` is set (by another thread: the
/// Python binding sets it on Ctrl-C): every task not finished then fails
/// with [`cancelled`]. Checked before each task and each buffer read, so
/// the stop comes within one buffer's hashing per worker.
pub fn run_until<S, F>(
    tasks: &[Task],
    bar: Option<&ProgressBar>,
    cancel: &AtomicBool,
    start: F,
) -> Vec<S::Output>
where
    S: Sink,
    F: Fn(usize) -> S + Sync,
{
    // Fewer tasks than cores: idle cores read ahead. The choice depends on
    // counts only, so memory does not depend on the model's size.
    let read_ahead = tasks.len() < rayon::current_num_threads();
    run_with(tasks, bar, start, read_ahead, cancel)
}

/// The error of a task stopped by [`run_until`]'s `cancel`.
pub fn cancelled() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Interrupted, "verification cancelled")
}

fn run_with<S, F>(
    tasks: &[Task],
    bar: Option<&ProgressBar>,
    start: F,
    read_ahead: bool,
    cancel: &AtomicBool,
) -> Vec<S::Output>
where
    S: Sink,
    F: Fn(usize) -> S + Sync,
{
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(tasks[i].len));
    let workers = rayon::current_num_threads().max(1);
    // One buffer per worker, allocated up front: memory is workers × CHUNK
    // whatever the model's size or the scheduling.
    let buffers: Vec<Mutex<AlignedBuf>> = if read_ahead {
        Vec::new()
    } else {
        (0..workers)
            .map(|_| Mutex::new(AlignedBuf::new(CHUNK)))
            .collect()
    };
    let mut results: Vec<(usize, S::Output)> = order
        .par_iter()
        .with_max_len(1)
        .map(|&i| {
            let task = &tasks[i];
            let sink = start(i);
            if cancel.load(Ordering::Relaxed) {
                return (i, sink.failed(cancelled()));
            }
            if read_ahead {
                return (i, feed_ahead(task, bar, cancel, sink));
            }
            let slot = rayon::current_thread_index().unwrap_or(0) % buffers.len();
            let mut buf = buffers[slot].lock().unwrap_or_else(|e| e.into_inner());
            let mut sink = sink;
            let end = read_task(task, &mut buf, bar, cancel, |b, n| sink.update(b.filled(n)));
            (i, conclude(sink, end))
        })
        .collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, t)| t).collect()
}

fn conclude<S: Sink>(sink: S, end: std::io::Result<bool>) -> S::Output {
    match end {
        Ok(ended) => sink.finish(ended),
        Err(e) => sink.failed(e),
    }
}

/// Reads `task`'s range through `buf`, handing each filled buffer to
/// `emit` (which may swap in another buffer); returns whether the file
/// ended right after the range (see [`Sink::finish`]). A file that ends
/// early just stops the reading: the sink sees too few bytes.
fn read_task(
    task: &Task,
    buf: &mut AlignedBuf,
    bar: Option<&ProgressBar>,
    cancel: &AtomicBool,
    mut emit: impl FnMut(&mut AlignedBuf, usize),
) -> std::io::Result<bool> {
    let mut file = open_file_at(&task.path, task.offset)?;
    let mut left = task.len;
    while left > 0 {
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let want = usize::try_from(left).unwrap_or(usize::MAX);
        let chunk = buf.as_mut();
        let want = want.min(chunk.len());
        let n = match file.read(&mut chunk[..want]) {
            Ok(0) => return Ok(true),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if let Some(bar) = bar {
            bar.inc(n as u64);
        }
        left -= n as u64;
        emit(buf, n);
    }
    if task.offset.checked_add(task.len) != Some(task.path.size()) {
        return Ok(false);
    }
    loop {
        match file.read(&mut buf.as_mut()[..1]) {
            Ok(n) => return Ok(n == 0),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// What the read-ahead thread hands over.
enum Ahead {
    /// A filled buffer and how many bytes it holds.
    Data(AlignedBuf, usize),
    /// The end of the range (see [`read_task`]).
    End(std::io::Result<bool>),
}

/// Reads `task` on a thread of its own, [`AHEAD`] buffers in flight, and
/// feeds the sink here as buffers fill.
fn feed_ahead<S: Sink>(
    task: &Task,
    bar: Option<&ProgressBar>,
    cancel: &AtomicBool,
    mut sink: S,
) -> S::Output {
    let (full_tx, full_rx) = mpsc::sync_channel::<Ahead>(AHEAD);
    let (empty_tx, empty_rx) = mpsc::channel::<AlignedBuf>();
    for _ in 0..AHEAD {
        let _ = empty_tx.send(AlignedBuf::new(AHEAD_CHUNK));
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let Ok(mut buf) = empty_rx.recv() else {
                return;
            };
            let end = read_task(task, &mut buf, bar, cancel, |b, n| {
                // Hand the full buffer over and continue in an empty one;
                // if the hashing side is gone, stop handing over (it will
                // never see the range's end either).
                if let Ok(next) = empty_rx.recv() {
                    let full = std::mem::replace(b, next);
                    let _ = full_tx.send(Ahead::Data(full, n));
                }
            });
            let _ = full_tx.send(Ahead::End(end));
        });
        for msg in full_rx {
            match msg {
                Ahead::Data(buf, n) => {
                    sink.update(buf.filled(n));
                    let _ = empty_tx.send(buf);
                }
                Ahead::End(end) => return conclude(sink, end),
            }
        }
        // The reader stopped without an end: it panicked.
        sink.failed(std::io::Error::other("read-ahead thread failed"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walk::{Model, WalkOptions};

    /// Keeps what a task was fed.
    struct Collect(Vec<u8>);

    impl Sink for Collect {
        type Output = std::io::Result<(Vec<u8>, bool)>;

        fn update(&mut self, data: &[u8]) {
            self.0.extend_from_slice(data);
        }

        fn finish(self, ended: bool) -> Self::Output {
            Ok((self.0, ended))
        }

        fn failed(self, e: std::io::Error) -> Self::Output {
            Err(e)
        }
    }

    #[test]
    fn both_read_paths_feed_every_range_exactly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = std::fs::canonicalize(dir.path()).expect("root");
        let data: Vec<u8> = (0..3 * AHEAD_CHUNK + 12_345)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        std::fs::write(root.join("f"), &data).expect("write");
        let model = Model::walk(&root, &root, &WalkOptions::default()).expect("walk");
        let file = &model.file(0).expect("file");
        let size = data.len() as u64;
        let ranges = [
            (0, size),
            (0, AHEAD_CHUNK as u64 + 5),
            (CHUNK as u64 - 1, size - CHUNK as u64 + 1),
            (7, 0),
        ];
        let tasks: Vec<Task> = ranges
            .iter()
            .map(|&(offset, len)| Task {
                path: file.clone(),
                offset,
                len,
            })
            .collect();
        let never = AtomicBool::new(false);
        for read_ahead in [false, true] {
            let out = run_with(&tasks, None, |_| Collect(Vec::new()), read_ahead, &never);
            for (&(offset, len), got) in ranges.iter().zip(out) {
                let (bytes, ended) = got.expect("read");
                let (a, b) = (offset as usize, (offset + len) as usize);
                assert!(bytes == data[a..b], "{read_ahead} {offset} {len}");
                assert_eq!(ended, offset + len == size, "{read_ahead} {offset} {len}");
            }
        }
        // A file gone since the walk fails, on both paths.
        std::fs::remove_file(root.join("f")).expect("rm");
        for read_ahead in [false, true] {
            let out = run_with(
                &tasks[..1],
                None,
                |_| Collect(Vec::new()),
                read_ahead,
                &never,
            );
            assert!(out[0].is_err(), "{read_ahead}");
        }
    }

    #[test]
    fn a_set_cancel_flag_fails_every_task_as_cancelled() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = std::fs::canonicalize(dir.path()).expect("root");
        std::fs::write(root.join("f"), vec![7u8; 3 * CHUNK]).expect("write");
        let model = Model::walk(&root, &root, &WalkOptions::default()).expect("walk");
        let tasks = vec![
            Task {
                path: model.file(0).expect("file"),
                offset: 0,
                len: 3 * CHUNK as u64,
            };
            3
        ];
        let cancel = AtomicBool::new(true);
        for read_ahead in [false, true] {
            let out = run_with(&tasks, None, |_| Collect(Vec::new()), read_ahead, &cancel);
            for got in out {
                let e = got.expect_err("cancelled");
                assert_eq!(e.kind(), std::io::ErrorKind::Interrupted, "{read_ahead}");
            }
        }
    }
}
