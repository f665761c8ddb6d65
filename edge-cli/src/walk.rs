//! Model enumeration per OMS §6.1–§6.2, and the [`ModelSource`] over it.
//!
//! - Regular files under the model root, recursively; a single file is a
//!   model of one file (the manifest names it by its basename, or `.` as
//!   model_signing does).
//! - Excluded, with their subtrees: `.git`, `.gitignore`, `.gitattributes`,
//!   `.github` at the top level only (unless `--no-ignore-git-paths`); the
//!   caller's `--ignore-paths`; the signed `serialization.ignore_paths`;
//!   the signature file when its own path lies inside the model. All of
//!   these are model-relative paths compared textually with the listed
//!   names: no link is followed to decide what is left out ([`user_ignore`],
//!   [`own_path`]).
//! - Symlinks follow the *signed* `allow_symlinks`: when false, any symlink
//!   fails; when true, a link to a file is that file's content under the
//!   link's name, wherever the file is (the Hugging Face cache links
//!   `snapshots/<rev>/<name>` to `../../blobs/<sha256>`, and the reference
//!   follows file links anywhere; the content is hashed and checked all
//!   the same); a link that loops or dangles fails; a link to a directory
//!   must resolve inside the model root (or it fails as escaping), must
//!   not point at one of its own ancestors, and is not descended (as the
//!   reference, whose `glob("**/*")` does not follow directory links).
//! - Names must be UTF-8 (they could not be in the JSON manifest otherwise);
//!   sockets, FIFOs and devices fail.
//! - With [`WalkOptions::skip_odd`] (`--ignore-unsigned-files`), an entry
//!   that would fail the walk for what it is (a symlink the signed policy
//!   forbids, a link that loops, dangles or leaves the model as a
//!   directory, a socket, FIFO or device, a name that is not UTF-8) is
//!   skipped instead and recorded ([`Model::skipped`]): such an entry can
//!   be no signed file, and OMS §8.5 says files the manifest does not list
//!   must not fail the check then (the reference, which then hashes only
//!   the listed files, never looks at them). The caller fails the check
//!   when the manifest names a skipped entry or a path under it.
//!
//! Files are opened later, for hashing, and must then still be what the
//! walk saw ([`open_at`]): a regular file, not a symlink (the walk resolved
//! allowed links already), the same device and inode, the same size. A
//! file swapped for a symlink, a FIFO or another file between enumeration
//! and hashing fails instead of being followed, waited on or read.

use std::fs::{self, File, Metadata};
use std::io::{Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};

use embedded_io::ErrorKind;
use embedded_io_adapters::std::FromStd;
use oms_edge_core::ModelSource;

/// Why a model cannot be enumerated. All are "not verified" outcomes.
#[derive(Debug)]
pub enum WalkError {
    /// A symlink while the signed policy forbids them.
    SymlinkNotAllowed(String),
    /// A symlink to a directory resolving outside the model root.
    SymlinkEscapes(String),
    /// A symlink that loops, dangles, or points at its own ancestor.
    SymlinkLoop(String),
    /// A name that is not UTF-8.
    NotUtf8(PathBuf),
    /// A socket, FIFO or device.
    NotRegular(String),
    /// An I/O error while listing.
    Io(String, std::io::Error),
    /// The model has no file left after exclusions (OMS §6.1).
    Empty,
}

impl WalkError {
    /// Whether the error is about what one entry is (see
    /// [`WalkOptions::skip_odd`]), rather than about reading the model.
    pub fn is_odd(&self) -> bool {
        matches!(
            self,
            WalkError::SymlinkNotAllowed(_)
                | WalkError::SymlinkEscapes(_)
                | WalkError::SymlinkLoop(_)
                | WalkError::NotUtf8(_)
                | WalkError::NotRegular(_)
        )
    }

    /// The model-relative name of the entry an odd error is about (`None`
    /// for a name that is not UTF-8, which no manifest can hold).
    pub fn entry_name(&self) -> Option<&str> {
        match self {
            WalkError::SymlinkNotAllowed(p)
            | WalkError::SymlinkEscapes(p)
            | WalkError::SymlinkLoop(p)
            | WalkError::NotRegular(p) => Some(p),
            _ => None,
        }
    }
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalkError::SymlinkNotAllowed(p) => write!(
                f,
                "{p:?}: is a symlink, and the signature was made with allow_symlinks=false"
            ),
            WalkError::SymlinkEscapes(p) => {
                write!(f, "{p:?}: symlink to a directory outside the model")
            }
            WalkError::SymlinkLoop(p) => {
                write!(
                    f,
                    "{p:?}: symlink loops, dangles or points at its own ancestor"
                )
            }
            WalkError::NotUtf8(p) => write!(f, "{}: file name is not UTF-8", p.display()),
            WalkError::NotRegular(p) => write!(f, "{p:?}: not a regular file or directory"),
            WalkError::Io(p, e) => write!(f, "{p:?}: {e}"),
            WalkError::Empty => f.write_str("the model has no file left after exclusions"),
        }
    }
}

/// What to leave out and how to treat symlinks.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Exclude `.git`, `.gitignore`, `.gitattributes`, `.github` at the top.
    pub ignore_git_paths: bool,
    /// Follow symlinks (the signed policy).
    pub allow_symlinks: bool,
    /// Model-relative paths excluded with their subtrees (canonical form).
    pub ignored: Vec<String>,
    /// Skip (and record) the entries that would fail the walk for what they
    /// are, instead of failing (see the module docs).
    pub skip_odd: bool,
}

const GIT_PATHS: [&str; 4] = [".git", ".gitignore", ".gitattributes", ".github"];

/// One regular file of the model, as [`Model::entry`] gives it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'m> {
    /// Path relative to the model root, `/`-separated.
    pub rel: &'m str,
    /// Size in bytes.
    pub size: u64,
    /// Whether `rel` is a symlink (followed to its target).
    pub link: bool,
}

/// A file as the walk saw it: its path, and the identity and size that
/// [`open_at`] checks the opened file against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    path: PathBuf,
    /// Device and inode (unix).
    id: Option<(u64, u64)>,
    size: u64,
}

impl Listed {
    /// The size the walk saw.
    pub fn size(&self) -> u64 {
        self.size
    }
}

impl std::ops::Deref for Listed {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

#[cfg(unix)]
fn file_id(meta: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Metadata) -> Option<(u64, u64)> {
    None
}

/// What the walk keeps of one file: 48 bytes and its name in
/// [`Model`]'s one string of names, instead of a `String` name, an
/// absolute `PathBuf` and their allocations per file (with the batches of
/// `exec::BATCH`, `oms-edge digest` of 10^5 files peaked at 21 MB instead
/// of 71 MB). The absolute path is made when the file is opened
/// ([`Model::file`]).
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Where the name starts in [`Model::names`].
    name: usize,
    /// Its length in bytes.
    name_len: u32,
    /// 0, or 1 + the index of the followed link's target in
    /// [`Model::links`].
    link: u32,
    size: u64,
    id: Option<(u64, u64)>,
}

/// An enumerated model: its files sorted by name (bytewise).
#[derive(Debug)]
pub struct Model {
    /// Whether the model is a single file.
    pub single_file: bool,
    /// The model root (the file itself for a single file).
    root: PathBuf,
    /// Every file's name, one after the other.
    names: String,
    slots: Vec<Slot>,
    /// The resolved targets of followed file links.
    links: Vec<PathBuf>,
    /// What [`WalkOptions::skip_odd`] skipped, and why.
    skipped: Vec<WalkError>,
}

impl Model {
    /// How many files.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there is none (never, for a model that walked).
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn name_of(&self, slot: &Slot) -> &str {
        let end = slot.name + slot.name_len as usize;
        self.names.get(slot.name..end).unwrap_or_default()
    }

    /// The `i`-th file, in name order.
    pub fn entry(&self, i: usize) -> Option<Entry<'_>> {
        self.slots.get(i).map(|s| Entry {
            rel: self.name_of(s),
            size: s.size,
            link: s.link != 0,
        })
    }

    /// Every file, in name order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        (0..self.len()).filter_map(|i| self.entry(i))
    }

    /// What to open for the `i`-th file (a link's resolved target), and
    /// what it must still be.
    pub fn file(&self, i: usize) -> Option<Listed> {
        let s = self.slots.get(i)?;
        let path = match s.link.checked_sub(1) {
            Some(l) => self.links.get(l as usize)?.clone(),
            None if self.single_file => self.root.clone(),
            None => self.root.join(self.name_of(s)),
        };
        Some(Listed {
            path,
            id: s.id,
            size: s.size,
        })
    }

    /// Takes the entries [`WalkOptions::skip_odd`] skipped, each with the
    /// error it would have failed the walk with.
    pub fn take_skipped(&mut self) -> Vec<WalkError> {
        std::mem::take(&mut self.skipped)
    }

    /// The followed file links: each one's name and target.
    pub fn links(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.slots.iter().filter_map(|s| {
            let target = self.links.get(s.link.checked_sub(1)? as usize)?;
            Some((self.name_of(s), target.as_path()))
        })
    }

    /// Leaves out every file under (or at) one of `ignored` (canonical
    /// model-relative paths), as a walk with them in
    /// [`WalkOptions::ignored`] would have. A single-file model is kept
    /// whole (its walk applies no ignore path either).
    pub fn retain_not_under(&mut self, ignored: &[String]) {
        if self.single_file || ignored.is_empty() {
            return;
        }
        let names = &self.names;
        let opts = WalkOptions {
            ignored: ignored.to_vec(),
            ..WalkOptions::default()
        };
        self.slots.retain(|s| {
            let name = names
                .get(s.name..s.name + s.name_len as usize)
                .unwrap_or_default();
            !excluded(name, false, &opts)
        });
    }

    /// The index of the file named `rel`, by binary search.
    fn find(&self, rel: &str) -> Option<usize> {
        self.slots
            .binary_search_by(|s| self.name_of(s).cmp(rel))
            .ok()
    }

    /// Appends a file named `names[start..]` (already pushed).
    fn push(
        &mut self,
        start: usize,
        meta: &Metadata,
        link: Option<PathBuf>,
    ) -> Result<(), WalkError> {
        let too_long = || {
            WalkError::Io(
                self.names.get(start..).unwrap_or_default().to_owned(),
                std::io::Error::other("name too long"),
            )
        };
        let name_len = u32::try_from(self.names.len() - start).map_err(|_| too_long())?;
        let link = match link {
            None => 0,
            Some(target) => {
                self.links.push(target);
                u32::try_from(self.links.len()).map_err(|_| too_long())?
            }
        };
        self.slots.push(Slot {
            name: start,
            name_len,
            link,
            size: meta.len(),
            id: file_id(meta),
        });
        Ok(())
    }
}

/// Canonical relative form of `p` inside `root`, if it lies inside it.
pub fn relative_inside(root: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?.to_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Normalizes a model-relative ignore entry (`./a//b/` → `a/b`); `None`
/// when it is absolute or climbs out with `..`.
pub fn normalize_relative(p: &str) -> Option<String> {
    let mut parts = Vec::new();
    for c in Path::new(p).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?.to_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// What a user `--ignore-paths` entry was taken to mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoreMeaning {
    /// An absolute path.
    Absolute,
    /// Relative to the current directory (as the reference resolves it).
    CurrentDir,
    /// Relative to the model: the current-directory path does not exist.
    Model,
}

impl IgnoreMeaning {
    /// How `--json` names it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Absolute => "absolute",
            Self::CurrentDir => "current directory",
            Self::Model => "model",
        }
    }
}

/// A user `--ignore-paths` entry, resolved.
#[derive(Debug, Clone)]
pub struct UserIgnore {
    /// As given.
    pub given: PathBuf,
    /// How it was read.
    pub meaning: IgnoreMeaning,
    /// The model-relative path it leaves out; `None` when it lies outside
    /// the model (and so leaves nothing out).
    pub rel: Option<String>,
}

/// Resolves a user `--ignore-paths` entry to a model-relative path. An
/// absolute path means itself; a relative one means the path under the
/// current directory (as the reference resolves it) when that exists or
/// lies inside the model, and only otherwise the path under the model. The
/// result is textual ([`textual_inside`]): no link inside the model is
/// followed, so `logs -> plugins/` cannot make `logs` hide `plugins/`.
pub fn user_ignore(root: &Path, p: &Path) -> UserIgnore {
    let resolved = |meaning, rel| UserIgnore {
        given: p.to_path_buf(),
        meaning,
        rel,
    };
    if p.is_absolute() {
        return resolved(IgnoreMeaning::Absolute, textual_inside(root, p));
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let here = cwd.join(p);
    let inside = textual_inside(root, &here);
    // `symlink_metadata`: a dangling link still exists as a name.
    if inside.is_some() || fs::symlink_metadata(&here).is_ok() {
        return resolved(IgnoreMeaning::CurrentDir, inside);
    }
    resolved(
        IgnoreMeaning::Model,
        p.to_str().and_then(normalize_relative),
    )
}

/// The model-relative form of `p`, read as text below the point where it
/// enters the model: the shortest prefix of `p` (made absolute and
/// normalized lexically) that is the model root is found by resolving that
/// prefix alone (links outside the model, such as `/tmp`, are the user's
/// own); what follows it is taken as written. `None` when no prefix is the
/// root, or `p` is the root itself.
pub fn textual_inside(root: &Path, p: &Path) -> Option<String> {
    let p = lexical(p);
    let parts: Vec<Component<'_>> = p.components().collect();
    let mut prefix = PathBuf::new();
    for (i, c) in parts.iter().enumerate() {
        prefix.push(c);
        if fs::canonicalize(&prefix).is_ok_and(|real| real == root) {
            let rest: Vec<&str> = parts
                .get(i + 1..)?
                .iter()
                .map(|c| c.as_os_str().to_str())
                .collect::<Option<_>>()?;
            return (!rest.is_empty()).then(|| rest.join("/"));
        }
    }
    None
}

/// The path a file was given by, its directory resolved and its last
/// component not followed (as `lstat` sees it): what to leave out of a
/// model as the signature is this name, never the file a link names.
pub fn own_path(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // The directory is resolved as the file system resolves it when the
    // file is read (`..` after a link included), never lexically: the name
    // left out is the entry that was read.
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => fs::canonicalize(dir).map_or(abs.clone(), |d| d.join(name)),
        _ => abs,
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

impl Model {
    /// Enumerates the model at `root` (canonical); `given` is the path as
    /// the user wrote it, whose last component names a single-file model
    /// (a link `model.bin -> blobs/3f2a...` is still `model.bin`).
    pub fn walk(root: &Path, given: &Path, opts: &WalkOptions) -> Result<Model, WalkError> {
        let meta = fs::metadata(root).map_err(|e| WalkError::Io(root.display().to_string(), e))?;
        let mut model = Model {
            single_file: meta.is_file(),
            root: root.to_path_buf(),
            names: String::new(),
            slots: Vec::new(),
            links: Vec::new(),
            skipped: Vec::new(),
        };
        if model.single_file {
            let name = given
                .file_name()
                .or_else(|| root.file_name())
                .and_then(|n| n.to_str())
                .ok_or_else(|| WalkError::NotUtf8(root.to_path_buf()))?;
            model.names.push_str(name);
            model.push(0, &meta, None)?;
            return Ok(model);
        }
        let mut stack = vec![(root.to_path_buf(), String::new())];
        while let Some((dir, prefix)) = stack.pop() {
            let read = fs::read_dir(&dir).map_err(|e| WalkError::Io(prefix.clone(), e))?;
            for item in read {
                let item = item.map_err(|e| WalkError::Io(prefix.clone(), e))?;
                let start = model.names.len();
                match model.entry_at(&item, &dir, &prefix, root, opts) {
                    Ok(Some(sub)) => stack.push(sub),
                    Ok(None) => {}
                    Err(e) if opts.skip_odd && e.is_odd() => {
                        model.names.truncate(start);
                        model.skipped.push(e);
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        if model.slots.is_empty() {
            return Err(WalkError::Empty);
        }
        // Names are unique: no order among equals to keep, and no buffer
        // to allocate.
        let names = &model.names;
        let name = |s: &Slot| {
            names
                .get(s.name..s.name + s.name_len as usize)
                .unwrap_or_default()
        };
        model.slots.sort_unstable_by(|a, b| name(a).cmp(name(b)));
        model.slots.shrink_to_fit();
        model.names.shrink_to_fit();
        Ok(model)
    }

    /// Lists one directory entry of `dir` (model-relative `prefix`): a
    /// file is pushed, a directory to descend is returned, anything else is
    /// left out or fails. On failure the entry's name may be left in
    /// [`Model::names`]; the caller truncates it.
    fn entry_at(
        &mut self,
        item: &fs::DirEntry,
        dir: &Path,
        prefix: &str,
        root: &Path,
        opts: &WalkOptions,
    ) -> Result<Option<(PathBuf, String)>, WalkError> {
        let name = item.file_name();
        let name = name
            .to_str()
            .ok_or_else(|| WalkError::NotUtf8(item.path()))?;
        // The name goes straight into the model's names, and is taken back
        // out if the entry is not a file.
        let start = self.names.len();
        if !prefix.is_empty() {
            self.names.push_str(prefix);
            self.names.push('/');
        }
        self.names.push_str(name);
        let owned = || tail(&self.names, start);
        if excluded(
            self.names.get(start..).unwrap_or_default(),
            prefix.is_empty(),
            opts,
        ) {
            self.names.truncate(start);
            return Ok(None);
        }
        let ft = item.file_type().map_err(|e| WalkError::Io(owned(), e))?;
        if ft.is_symlink() {
            if !opts.allow_symlinks {
                return Err(WalkError::SymlinkNotAllowed(owned()));
            }
            let abs = item.path();
            let target = fs::canonicalize(&abs).map_err(|_| WalkError::SymlinkLoop(owned()))?;
            let tmeta = fs::metadata(&target).map_err(|e| WalkError::Io(owned(), e))?;
            if tmeta.is_dir() {
                if !target.starts_with(root) {
                    return Err(WalkError::SymlinkEscapes(owned()));
                }
                // A link to a directory: an alias of files that are
                // enumerated where they are; but one pointing at its own
                // ancestor is a loop.
                let real_parent = fs::canonicalize(dir).map_err(|e| WalkError::Io(owned(), e))?;
                if real_parent.starts_with(&target) {
                    return Err(WalkError::SymlinkLoop(owned()));
                }
                self.names.truncate(start);
            } else if tmeta.is_file() {
                // Followed wherever it points (inside the model or not):
                // the target is what is opened and hashed, and must still
                // be this file then.
                self.push(start, &tmeta, Some(target))?;
            } else {
                return Err(WalkError::NotRegular(owned()));
            }
        } else if ft.is_dir() {
            let rel = owned();
            self.names.truncate(start);
            return Ok(Some((item.path(), rel)));
        } else if ft.is_file() {
            let meta = item.metadata().map_err(|e| WalkError::Io(owned(), e))?;
            if !meta.is_file() {
                return Err(WalkError::NotRegular(owned()));
            }
            self.push(start, &meta, None)?;
        } else {
            return Err(WalkError::NotRegular(owned()));
        }
        Ok(None)
    }

    /// Total size of all files.
    pub fn total_bytes(&self) -> u64 {
        self.slots.iter().map(|s| s.size).sum()
    }
}

/// `names[start..]`, owned (for an error).
fn tail(names: &str, start: usize) -> String {
    names.get(start..).unwrap_or_default().to_owned()
}

fn excluded(rel: &str, top_level: bool, opts: &WalkOptions) -> bool {
    if top_level && opts.ignore_git_paths && GIT_PATHS.contains(&rel) {
        return true;
    }
    opts.ignored.iter().any(|p| {
        rel == p
            || rel
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The [`ModelSource`] the core checks a directory (or file) through.
///
/// The core asks for files in manifest order, which is the walk's order
/// for every name without a byte below `/` in it: the next lookup is tried
/// at the last one's successor first, and by binary search otherwise (no
/// second copy of the names in a hash map).
#[derive(Debug)]
pub struct DirSource {
    model: Model,
    listed: Vec<bool>,
    cursor: usize,
}

impl DirSource {
    /// Wraps an enumerated model.
    pub fn new(model: Model) -> Self {
        let listed = vec![false; model.len()];
        Self {
            model,
            listed,
            cursor: 0,
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The index of the entry a manifest path names (`.` is a single-file
    /// model's file).
    pub fn position(&mut self, path: &str) -> Option<usize> {
        if path == "." && self.model.single_file {
            return Some(0);
        }
        let near = [self.cursor, self.cursor + 1];
        let found = near
            .into_iter()
            .find(|&i| self.model.entry(i).is_some_and(|e| e.rel == path))
            .or_else(|| self.model.find(path))?;
        self.cursor = found;
        Some(found)
    }

    /// Files the manifest did not name (for reporting), in name order.
    pub fn unlisted(&self, empty_files_exempt: bool) -> impl Iterator<Item = Entry<'_>> {
        self.model
            .entries()
            .zip(&self.listed)
            .filter(move |(e, listed)| !(**listed || (empty_files_exempt && e.size == 0)))
            .map(|(e, _)| e)
    }
}

/// The reader model files are hashed through.
pub type Reader = FromStd<File>;

/// Opens a listed file at `offset` as an `embedded_io` reader, if it is
/// still the regular file the walk saw (same device, inode and size).
/// Otherwise: `InvalidData` (changed, or now a symlink) or `Unsupported`
/// (now a FIFO, socket or device, which is never waited on or read).
pub fn open_at(file: &Listed, offset: u64) -> std::io::Result<Reader> {
    open_file_at(file, offset).map(FromStd::new)
}

/// [`open_at`], as a plain [`File`].
pub fn open_file_at(file: &Listed, offset: u64) -> std::io::Result<File> {
    use std::io::{Error, ErrorKind};
    let changed = |what: &str| {
        Error::new(
            ErrorKind::InvalidData,
            format!("{}: {what} since the model was listed", file.path.display()),
        )
    };
    let mut f = open_no_follow(&file.path).map_err(|e| {
        if is_symlink_error(&e) {
            changed("became a symlink")
        } else {
            e
        }
    })?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::Unsupported,
            format!("{}: no longer a regular file", file.path.display()),
        ));
    }
    if file_id(&meta) != file.id {
        return Err(changed("was replaced"));
    }
    if meta.len() != file.size {
        return Err(changed("changed size"));
    }
    if offset > 0 {
        f.seek(SeekFrom::Start(offset))?;
    }
    Ok(f)
}

/// Opens for reading without following a final symlink and without
/// blocking on a FIFO (reads of regular files ignore `O_NONBLOCK`).
#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// `O_NOFOLLOW` met a symlink (`ELOOP`; FreeBSD says `EMLINK`).
#[cfg(unix)]
fn is_symlink_error(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ELOOP | libc::EMLINK))
}

#[cfg(not(unix))]
fn is_symlink_error(_: &std::io::Error) -> bool {
    false
}

fn kind(e: &std::io::Error) -> ErrorKind {
    embedded_io::Error::kind(e)
}

impl ModelSource for DirSource {
    type Reader<'s> = FromStd<File>;

    fn file_size(&mut self, path: &str) -> Result<Option<u64>, ErrorKind> {
        let Some(i) = self.position(path) else {
            return Ok(None);
        };
        if let Some(l) = self.listed.get_mut(i) {
            *l = true;
        }
        Ok(self.model.entry(i).map(|e| e.size))
    }

    fn open(&mut self, path: &str, offset: u64) -> Result<Self::Reader<'_>, ErrorKind> {
        let i = self.position(path).ok_or(ErrorKind::NotFound)?;
        let file = self.model.file(i).ok_or(ErrorKind::NotFound)?;
        open_at(&file, offset).map_err(|e| kind(&e))
    }

    fn has_unlisted_file(&mut self, empty_files_exempt: bool) -> Result<bool, ErrorKind> {
        Ok(self.unlisted(empty_files_exempt).next().is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(m: &Model) -> Vec<String> {
        m.entries().map(|e| e.rel.to_owned()).collect()
    }

    /// The early walk (verify.rs, `early_walk`) stands for the walk under
    /// the signed policy: leaving the signed ignore paths out of its list
    /// gives what a walk with them lists, and the lookups find every file
    /// in and out of order.
    #[test]
    fn ignoring_after_the_walk_lists_what_ignoring_during_it_does() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = fs::canonicalize(dir.path()).expect("root");
        for rel in [
            "a.txt",
            "a/b.bin",
            "a/c/d.bin",
            "a-b/x",
            "ab/y",
            "z",
            "a/c.bin",
            ".git/HEAD",
        ] {
            let p = root.join(rel);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(&p, rel).expect("write");
        }
        let base = WalkOptions {
            ignore_git_paths: true,
            ..Default::default()
        };
        for ignored in [
            &[][..],
            &["a".to_owned()][..],
            &["a/c".to_owned(), "z".to_owned()][..],
            &["a-b".to_owned(), "a/b.bin".to_owned(), "nothing".to_owned()][..],
        ] {
            let mut early = Model::walk(&root, &root, &base).expect("walk");
            early.retain_not_under(ignored);
            let opts = WalkOptions {
                ignored: ignored.to_vec(),
                ..base.clone()
            };
            let direct = Model::walk(&root, &root, &opts).expect("walk");
            assert_eq!(names(&early), names(&direct), "{ignored:?}");
        }
        let model = Model::walk(&root, &root, &base).expect("walk");
        let all = names(&model);
        assert!(!all.iter().any(|n| n.starts_with(".git")));
        let mut source = DirSource::new(model);
        let mut shuffled = all.clone();
        shuffled.reverse();
        for name in all.iter().chain(&shuffled) {
            let i = source.position(name).expect("found");
            assert_eq!(source.model().entry(i).map(|e| e.rel), Some(name.as_str()));
            let file = source.model().file(i).expect("file");
            assert_eq!(fs::read(&*file).expect("read"), name.as_bytes());
        }
        assert_eq!(source.position("a/nothing"), None);
        assert_eq!(source.position("."), None);
    }
}
