//! Test support: a ustar writer, a NOR flash double that counts operations
//! and cuts power, and helpers to install packages and read slots back.

#![allow(dead_code)]

use std::path::PathBuf;

use embedded_storage::nor_flash::{
    ErrorType, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash,
};
use oms_edge_core::{Time, Verifier};
use oms_edge_loader::ramflash::{RamFlash, RamFlashError};
use oms_edge_loader::ustar::{self, Entry};
use oms_edge_loader::{AntiRollback, Buffers, Layout, Loader, Refused, State};

pub const ERASE: usize = 4096;
pub const WRITE: usize = 4;
pub const SLOT: u32 = 64 * 1024;
pub const LAYOUT: Layout = Layout {
    slots: [0, SLOT],
    slot_size: SLOT,
    state: [2 * SLOT, 2 * SLOT + ERASE as u32],
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

/// The package format: `model.sig`, then the model files in order.
pub fn package(bundle: &[u8], files: &Files) -> Vec<u8> {
    let mut members: Vec<(&str, &[u8])> = vec![("model.sig", bundle)];
    members.extend(files.iter().map(|(n, d)| (n.as_str(), d.as_slice())));
    tar(&members)
}

/// How the operation at which power is cut behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tear {
    /// It does not happen at all.
    Lost,
    /// Its first half happens (half the sector erased, half the bytes
    /// written).
    Half,
}

/// NOR flash in RAM (erase before write enforced by [`RamFlash`]) that
/// counts erase and write operations, can cut power at operation `cut_at`
/// (1-based: it is torn, every later operation fails), and can flip a bit
/// of the data of write operation `corrupt_write`.
#[derive(Debug)]
pub struct SimFlash {
    pub mem: Vec<u8>,
    pub ops: usize,
    pub cut_at: Option<usize>,
    pub tear: Tear,
    pub corrupt_write: Option<usize>,
    pub dead: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimError {
    PowerCut,
    Nor(RamFlashError),
}

impl NorFlashError for SimError {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            Self::PowerCut => NorFlashErrorKind::Other,
            Self::Nor(e) => e.kind(),
        }
    }
}

impl SimFlash {
    pub fn new(mem: Vec<u8>) -> Self {
        Self {
            mem,
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

    fn ram(&mut self) -> RamFlash<'_, ERASE, WRITE> {
        RamFlash::new(&mut self.mem)
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

impl ErrorType for SimFlash {
    type Error = SimError;
}

impl ReadNorFlash for SimFlash {
    const READ_SIZE: usize = 1;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), SimError> {
        if self.dead {
            return Err(SimError::PowerCut);
        }
        self.ram().read(offset, bytes).map_err(SimError::Nor)
    }

    fn capacity(&self) -> usize {
        self.mem.len()
    }
}

impl NorFlash for SimFlash {
    const WRITE_SIZE: usize = WRITE;
    const ERASE_SIZE: usize = ERASE;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), SimError> {
        match self.op()? {
            None => self.ram().erase(from, to).map_err(SimError::Nor),
            Some(Tear::Lost) => Err(SimError::PowerCut),
            Some(Tear::Half) => {
                // Real NOR erases a sector as a unit, but a cut leaves it
                // partly erased: model that as half of it at 0xFF.
                let (from, to) = (from as usize, to as usize);
                self.mem[from..from + (to - from) / 2].fill(0xff);
                Err(SimError::PowerCut)
            }
        }
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), SimError> {
        let tear = self.op()?;
        let mut data = bytes.to_vec();
        if self.corrupt_write == Some(self.ops) {
            data[0] ^= 0x01;
        }
        match tear {
            None => self.ram().write(offset, &data).map_err(SimError::Nor),
            Some(Tear::Lost) => Err(SimError::PowerCut),
            Some(Tear::Half) => {
                let half = (data.len() / 2).next_multiple_of(WRITE).min(data.len());
                self.ram()
                    .write(offset, &data[..half])
                    .map_err(SimError::Nor)?;
                Err(SimError::PowerCut)
            }
        }
    }
}

/// Buffers as the firmware has them.
pub struct Bufs {
    bundle: Vec<u8>,
    payload: Vec<u8>,
    io: Vec<u8>,
    page: Vec<u8>,
    block: [u8; 512],
}

impl Default for Bufs {
    fn default() -> Self {
        Self {
            bundle: vec![0; 16 * 1024],
            payload: vec![0; 16 * 1024],
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
            payload: &mut self.payload,
            io: &mut self.io,
            page: &mut self.page,
            block: &mut self.block,
        }
    }
}

/// Verifies `pkg` with `verifier` at `time` and commits it.
pub fn install<V: Verifier>(
    loader: &mut Loader<SimFlash>,
    pkg: &[u8],
    verifier: &V,
    time: Time,
) -> Result<State, Refused>
where
    V::Evidence: AntiRollback,
{
    let mut pkg = pkg.to_vec();
    let mut staging = RamFlash::<512, 1>::new(&mut pkg);
    let mut bufs = Bufs::default();
    let update = loader.verify_update(&mut staging, verifier, time, bufs.get())?;
    loader.commit(update)
}

/// The model files of a slot (every member after `model.sig`).
pub fn slot_files(loader: &mut Loader<SimFlash>, state: &State) -> Files {
    let base = loader.layout().slots[state.slot as usize];
    let flash = loader.flash();
    let mut block = [0u8; 512];
    let mut pos = 0;
    let mut out = Vec::new();
    while let Entry::File(m) = ustar::read_header(flash, base, pos, state.len, &mut block).unwrap()
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
        let mut data = vec![0u8; m.size as usize];
        flash.read(base + m.data, &mut data).unwrap();
        out.push((name, data));
        pos = m.next;
    }
    assert_eq!(out.first().map(|(n, _)| n.as_str()), Some("model.sig"));
    out.remove(0);
    out
}
