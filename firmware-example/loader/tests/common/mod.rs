//! Test support: a ustar writer, a NOR flash double that counts operations,
//! cuts power and tears words the way ECC flash does, and helpers to
//! install packages, boot, and read slots back.

#![allow(dead_code)]

use std::path::PathBuf;

use embedded_storage::nor_flash::{
    ErrorType, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash,
};
use oms_edge_core::{Time, Verifier};
use oms_edge_loader::ustar::{self, Entry};
use oms_edge_loader::{
    AntiRollback, Boot, Buffers, Layout, Loader, Model, Refused, State, VerifiedUpdate,
};

pub const ERASE: usize = 4096;
pub const SLOT: u32 = 64 * 1024;
pub const LAYOUT: Layout = Layout {
    slots: [0, SLOT],
    slot_size: SLOT,
    state: 2 * SLOT,
    state_sectors: 2,
};
pub const FLASH_BYTES: usize = 2 * SLOT as usize + 2 * ERASE;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fw_testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

/// A model: (name, bytes) in manifest order.
pub type Files = Vec<(String, Vec<u8>)>;

/// Reads the files `names` (in this order) of the model at `dir`.
pub fn read_model(dir: &std::path::Path, names: &[&str]) -> Files {
    names
        .iter()
        .map(|n| (n.to_string(), std::fs::read(dir.join(n)).unwrap()))
        .collect()
}

/// One ustar header for a regular file (as `tar --format=ustar` writes it).
fn header(name: &str, size: usize) -> [u8; 512] {
    let mut h = [0u8; 512];
    let (prefix, short) = if name.len() <= 100 {
        ("", name)
    } else {
        let cut = name[..name.len().min(156)].rfind('/').unwrap();
        (&name[..cut], &name[cut + 1..])
    };
    h[..short.len()].copy_from_slice(short.as_bytes());
    h[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].fill(b' ');
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

/// A ustar archive of `members`, in this order.
pub fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in members {
        out.extend_from_slice(&header(name, data.len()));
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(512), 0);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

/// The package format: `model.sig`, then `VERSION` when the model has
/// one, then the other model files in order (as pack.sh writes it).
pub fn package(bundle: &[u8], files: &Files) -> Vec<u8> {
    let mut members: Vec<(&str, &[u8])> = vec![("model.sig", bundle)];
    members.extend(
        files
            .iter()
            .filter(|(n, _)| n == "VERSION")
            .map(|(n, d)| (n.as_str(), d.as_slice())),
    );
    members.extend(
        files
            .iter()
            .filter(|(n, _)| n != "VERSION")
            .map(|(n, d)| (n.as_str(), d.as_slice())),
    );
    tar(&members)
}

/// How the operation at which power is cut behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tear {
    /// It does not happen at all.
    Lost,
    /// Its first half happens (half the sector erased, half the bytes
    /// written) and the word where it stopped holds mixed bits; every word
    /// it touched reads back as it is.
    Half,
    /// As `Half`, on flash with ECC (STM32 L4/G4/H7): the word where a
    /// write stopped, and every word of a sector whose erase was cut, fail
    /// to read (an ECC error) until the sector is erased again.
    HalfEcc,
}

/// The flash most tests use: byte reads, 4-byte words.
pub type Flash = SimFlash<1, 4>;

pub const TEARS: [Tear; 3] = [Tear::Lost, Tear::Half, Tear::HalfEcc];

/// NOR flash in RAM with `R`-byte reads and `W`-byte program words. Enforced:
/// erase by sector to `0xFF`; reads and writes aligned to their units; a
/// word is programmed at most once between erases (ECC flash refuses a
/// second program even of `0xFF`) and only when erased. It counts erase
/// and write operations, can cut power at operation `cut_at` (1-based:
/// that one is torn as `tear` says, every later one fails until
/// [`SimFlash::reboot`]), and can flip a bit of write `corrupt_write`.
#[derive(Debug, Clone)]
pub struct SimFlash<const R: usize = 1, const W: usize = 4> {
    pub mem: Vec<u8>,
    programmed: Vec<bool>,
    torn: Vec<bool>,
    ecc: bool,
    pub ops: usize,
    pub cut_at: Option<usize>,
    pub tear: Tear,
    pub corrupt_write: Option<usize>,
    pub dead: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimError {
    PowerCut,
    NotAligned,
    OutOfBounds,
    NotErased,
    Ecc,
}

impl NorFlashError for SimError {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            Self::NotAligned => NorFlashErrorKind::NotAligned,
            Self::OutOfBounds => NorFlashErrorKind::OutOfBounds,
            _ => NorFlashErrorKind::Other,
        }
    }
}

impl<const R: usize, const W: usize> SimFlash<R, W> {
    pub fn new(mem: Vec<u8>) -> Self {
        let words = mem.len() / W;
        Self {
            mem,
            programmed: vec![false; words],
            torn: vec![false; words],
            ecc: false,
            ops: 0,
            cut_at: None,
            tear: Tear::Lost,
            corrupt_write: None,
            dead: false,
        }
    }

    pub fn blank() -> Self {
        Self::new(vec![0xff; FLASH_BYTES])
    }

    /// Power comes back: the memory (torn words included) stays.
    pub fn reboot(mut self) -> Self {
        self.dead = false;
        self.cut_at = None;
        self.corrupt_write = None;
        self.ops = 0;
        self
    }

    /// Cut power at operation `i` (1-based) with `tear`.
    pub fn cut(mut self, i: usize, tear: Tear) -> Self {
        self.cut_at = Some(i);
        self.tear = tear;
        self.ecc |= tear == Tear::HalfEcc;
        self.ops = 0;
        self
    }

    fn range(
        &self,
        from: u32,
        len: usize,
        unit: usize,
    ) -> Result<std::ops::Range<usize>, SimError> {
        let from = from as usize;
        if !from.is_multiple_of(unit) || !len.is_multiple_of(unit) {
            return Err(SimError::NotAligned);
        }
        if from + len > self.mem.len() {
            return Err(SimError::OutOfBounds);
        }
        Ok(from..from + len)
    }

    /// Counts one operation; `Some(tear)` when power is cut at it.
    fn op(&mut self) -> Result<Option<Tear>, SimError> {
        if self.dead {
            return Err(SimError::PowerCut);
        }
        self.ops += 1;
        if self.cut_at == Some(self.ops) {
            self.dead = true;
            return Ok(Some(self.tear));
        }
        Ok(None)
    }
}

impl<const R: usize, const W: usize> ErrorType for SimFlash<R, W> {
    type Error = SimError;
}

impl<const R: usize, const W: usize> ReadNorFlash for SimFlash<R, W> {
    const READ_SIZE: usize = R;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), SimError> {
        if self.dead {
            return Err(SimError::PowerCut);
        }
        let r = self.range(offset, bytes.len(), R)?;
        if self.ecc && (r.start / W..r.end.div_ceil(W)).any(|w| self.torn[w]) {
            return Err(SimError::Ecc);
        }
        bytes.copy_from_slice(&self.mem[r]);
        Ok(())
    }

    fn capacity(&self) -> usize {
        self.mem.len()
    }
}

impl<const R: usize, const W: usize> NorFlash for SimFlash<R, W> {
    const WRITE_SIZE: usize = W;
    const ERASE_SIZE: usize = ERASE;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), SimError> {
        let r = self.range(
            from,
            (to.checked_sub(from).ok_or(SimError::OutOfBounds)?) as usize,
            ERASE,
        )?;
        let tear = self.op()?;
        let words = r.start / W..r.end / W;
        match tear {
            None => {
                self.mem[r].fill(0xff);
                self.programmed[words.clone()].fill(false);
                self.torn[words].fill(false);
                Ok(())
            }
            Some(Tear::Lost) => Err(SimError::PowerCut),
            Some(Tear::Half | Tear::HalfEcc) => {
                // NOR erases a sector as a unit; a cut leaves it partly
                // erased, every cell of it marginal.
                let half = r.start + r.len() / 2;
                self.mem[r.start..half].fill(0xff);
                self.torn[words].fill(true);
                Err(SimError::PowerCut)
            }
        }
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), SimError> {
        let r = self.range(offset, bytes.len(), W)?;
        let tear = self.op()?;
        let words = r.start / W..r.end / W;
        if self.mem[r.clone()].iter().any(|&b| b != 0xff)
            || self.programmed[words.clone()].iter().any(|&p| p)
        {
            return Err(SimError::NotErased);
        }
        let mut data = bytes.to_vec();
        if self.corrupt_write == Some(self.ops) {
            data[0] ^= 0x01;
        }
        let done = match tear {
            None => data.len(),
            Some(Tear::Lost) => return Err(SimError::PowerCut),
            Some(Tear::Half | Tear::HalfEcc) => (data.len() / 2) / W * W,
        };
        self.mem[r.start..r.start + done].copy_from_slice(&data[..done]);
        self.programmed[r.start / W..(r.start + done) / W].fill(true);
        if done < data.len() {
            // The word being programmed when power went: some of its zero
            // bits made it.
            let w = (r.start + done) / W;
            for i in 0..W {
                let b = data[done + i];
                self.mem[w * W + i] = b | 0x55;
            }
            self.programmed[w] = true;
            self.torn[w] = true;
            return Err(SimError::PowerCut);
        }
        let _ = words;
        Ok(())
    }
}

/// Buffers as the firmware has them.
pub struct Bufs {
    bundle: Vec<u8>,
    io: Vec<u8>,
    page: Vec<u8>,
    block: [u8; 512],
}

impl Default for Bufs {
    fn default() -> Self {
        Self {
            bundle: vec![0; 16 * 1024],
            io: vec![0; 1024],
            page: vec![0; 256],
            block: [0; 512],
        }
    }
}

impl Bufs {
    pub fn get(&mut self) -> Buffers<'_> {
        Buffers {
            bundle: &mut self.bundle,
            io: &mut self.io,
            page: &mut self.page,
            block: &mut self.block,
        }
    }
}

/// Verifies `pkg` (read as a stream) with `verifier` at `time`.
pub fn verify<F: NorFlash, V: Verifier>(
    loader: &mut Loader<F>,
    pkg: &[u8],
    verifier: &V,
    time: Time,
) -> Result<VerifiedUpdate, Refused>
where
    V::Evidence: AntiRollback,
{
    let mut stream = pkg;
    let mut bufs = Bufs::default();
    loader.verify_update(&mut stream, verifier, time, bufs.get())
}

/// Verifies `pkg` and commits it (pending).
pub fn install<F: NorFlash, V: Verifier>(
    loader: &mut Loader<F>,
    pkg: &[u8],
    verifier: &V,
    time: Time,
) -> Result<State, Refused>
where
    V::Evidence: AntiRollback,
{
    let update = verify(loader, pkg, verifier, time)?;
    loader.commit(update)
}

/// Installs `pkg`, boots it (on trial) and confirms it.
pub fn install_confirmed<F: NorFlash, V: Verifier>(
    loader: &mut Loader<F>,
    pkg: &[u8],
    verifier: &V,
    time: Time,
) -> Result<State, Refused>
where
    V::Evidence: AntiRollback,
{
    install(loader, pkg, verifier, time)?;
    match loader.boot()? {
        Boot::Trial(_) => {}
        other => panic!("a committed update boots on trial, not {other:?}"),
    }
    Ok(loader.mark_good()?.expect("a state"))
}

/// The model files of a slot (every member after `model.sig`, in package
/// order: `VERSION` first).
pub fn slot_files<F: NorFlash>(loader: &mut Loader<F>, model: &Model) -> Files {
    let base = loader.layout().slots[model.slot as usize];
    let flash = loader.flash();
    let mut block = [0u8; 512];
    let mut pos = 0;
    let mut out = Vec::new();
    while let Entry::File(m) = ustar::read_header(flash, base, pos, model.len, &mut block).unwrap()
    {
        let (prefix, name) = ustar::name_parts(&block);
        let name = if prefix.is_empty() {
            String::from_utf8(name.to_vec()).unwrap()
        } else {
            format!(
                "{}/{}",
                String::from_utf8_lossy(prefix),
                String::from_utf8_lossy(name)
            )
        };
        let mut data = vec![0u8; (m.size as usize).next_multiple_of(F::READ_SIZE)];
        flash.read(base + m.data, &mut data).unwrap();
        data.truncate(m.size as usize);
        out.push((name, data));
        pos = m.next;
    }
    assert_eq!(out.first().map(|(n, _)| n.as_str()), Some("model.sig"));
    out.remove(0);
    out
}
