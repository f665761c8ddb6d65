//! Board support for QEMU `mps2-an386` (Cortex-M4): the memory map, host
//! I/O through Arm semihosting, the emulated NOR flash kept in a host file,
//! the stack report and the HardFault handler. Nothing here is
//! Rust-specific: a C firmware for the same board mirrors it (the
//! protocol is in the firmware README, "The QEMU board").
//!
//! Memory map (the image is linked for the nRF52840, see `memory-*.x`;
//! QEMU maps RAM at the same addresses):
//!
//! | region | address | size |
//! |---|---|---|
//! | code (nRF52840 flash; QEMU SSRAM1) | `0x0000_0000` | the flash budget: 64 KiB (key), 256 KiB (sigstore) |
//! | stack, lowest RAM | `0x2000_0000` | the stack budget: 8 KiB (key), 16 KiB (sigstore) |
//! | statics (and the heap) | above the stack | 12 KiB (key), 48 KiB (sigstore) |
//! | emulated NOR flash (a RAM copy of the host file) | `0x2100_0000` (QEMU PSRAM) | [`NOR_LEN`] |
//!
//! The emulated NOR: slot 0 at 0, slot 1 at [`SLOT`], the state log
//! (two [`SECTOR`]s) after them, then two trust areas of [`TRUST_AREA`]
//! (the sigstore variant's trust state); 4 KiB erase sectors and 4-byte program
//! words (as the nRF52840's NVMC), 4-byte reads (as its QSPI). Every
//! erase and write goes to the host file at once, so a run killed at any
//! point leaves the file as a power cut leaves flash.

use core::ptr::addr_of;

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use cortex_m_semihosting::{debug, nr, syscall, syscall1};
use embedded_storage::nor_flash::{
    ErrorType, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash,
};
use oms_edge_loader::Layout;

/// The emulated NOR flash's RAM copy (QEMU PSRAM).
pub const NOR: usize = 0x2100_0000;
/// One model slot.
pub const SLOT: u32 = 256 * 1024;
/// Erase sector of the emulated NOR.
pub const SECTOR: usize = 4096;
/// Program word of the emulated NOR.
pub const WORD: usize = 4;
/// Read unit of the emulated NOR.
pub const READ: usize = 4;
/// The layout inside the emulated NOR.
pub const LAYOUT: Layout = Layout {
    slots: [0, SLOT],
    slot_size: SLOT,
    state: 2 * SLOT,
    state_sectors: 2,
};
/// One trust area (sigstore variant): the held TUF root, timestamp,
/// snapshot and `trusted_root.json` (Sigstore's: about 15 KB) in its first
/// five sectors, the commit record in its last (loader
/// `trust_state.rs`).
pub const TRUST_AREA: u32 = 24 * 1024;
/// The two trust areas, after the state log.
#[cfg(feature = "sigstore")]
pub const TRUST: oms_edge_loader::TrustLayout = oms_edge_loader::TrustLayout {
    areas: [
        2 * SLOT + 2 * SECTOR as u32,
        2 * SLOT + 2 * SECTOR as u32 + TRUST_AREA,
    ],
    area_size: TRUST_AREA,
};
/// Bytes of the emulated NOR (and of its host file).
pub const NOR_LEN: usize = 2 * SLOT as usize + 2 * SECTOR + 2 * TRUST_AREA as usize;

/// One line of output, built without `core::fmt`.
#[derive(Debug)]
pub struct Line {
    buf: [u8; 128],
    len: usize,
}

impl Default for Line {
    fn default() -> Self {
        Self {
            buf: [0; 128],
            len: 0,
        }
    }
}

impl Line {
    /// A line starting with `s`.
    pub fn new(s: &str) -> Self {
        let mut l = Self::default();
        l.s(s);
        l
    }

    /// Appends bytes (cut at the line's end).
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        for &c in b {
            if let Some(d) = self.buf.get_mut(self.len) {
                *d = c;
                self.len += 1;
            }
        }
        self
    }

    /// Appends text.
    pub fn s(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    /// Appends a number in decimal.
    pub fn u(&mut self, mut v: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes(&digits[i..])
    }

    /// Appends bytes in lowercase hex.
    pub fn hex(&mut self, b: &[u8]) -> &mut Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for &c in b {
            self.bytes(&[HEX[usize::from(c >> 4)], HEX[usize::from(c & 15)]]);
        }
        self
    }

    /// Appends `0x` and a word in hex.
    pub fn word(&mut self, v: u32) -> &mut Self {
        self.s("0x").hex(&v.to_be_bytes())
    }

    /// Prints the line on the host's stdout.
    pub fn print(&mut self) {
        self.s("\n");
        if let Some(fd) = stdout() {
            // SAFETY: SYS_WRITE reads `len` bytes of `buf`.
            unsafe { syscall!(WRITE, fd, self.buf.as_ptr(), self.len) };
        }
        self.len = 0;
    }
}

/// The host's stdout (`:tt`), opened once.
fn stdout() -> Option<usize> {
    static FD: AtomicUsize = AtomicUsize::new(usize::MAX);
    let fd = FD.load(Ordering::Relaxed);
    if fd != usize::MAX {
        return Some(fd);
    }
    let name = b":tt\0";
    // SAFETY: `name` is NUL-terminated and outlives the call.
    let fd = unsafe { syscall!(OPEN, name.as_ptr(), nr::open::W_TRUNC, 3) };
    if fd as isize == -1 {
        return None;
    }
    FD.store(fd, Ordering::Relaxed);
    Some(fd)
}

/// Prints `s` (a whole line, with its newline) as it is.
pub fn say(s: &str) {
    if let Some(fd) = stdout() {
        // SAFETY: SYS_WRITE reads `s.len()` bytes of `s`.
        unsafe { syscall!(WRITE, fd, s.as_ptr(), s.len()) };
    }
}

/// Ends the QEMU run with status 0 or 1.
pub fn exit(ok: bool) -> ! {
    debug::exit(if ok {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    #[allow(clippy::empty_loop)]
    loop {}
}

/// The command line QEMU passes (`-kernel FILE -append "ARGS"`: `FILE
/// ARGS`), read once into a static buffer.
pub fn cmdline() -> &'static str {
    static TAKEN: AtomicBool = AtomicBool::new(false);
    static mut TEXT: [u8; 512] = [0; 512];
    if TAKEN.swap(true, Ordering::AcqRel) {
        return "";
    }
    // SAFETY: the flag above lets this run once: the only reference.
    let buf = unsafe { &mut *core::ptr::addr_of_mut!(TEXT) };
    let mut block = [buf.as_mut_ptr() as usize, buf.len().saturating_sub(1)];
    // SAFETY: SYS_GET_CMDLINE takes the address of `block` (buffer,
    // length), writes at most that many bytes into `buf` and the length it
    // wrote back into `block[1]`.
    let r = unsafe { syscall1(nr::GET_CMDLINE, block.as_mut_ptr() as usize) };
    let n = if r == 0 { block[1].min(buf.len()) } else { 0 };
    core::str::from_utf8(&buf[..n]).unwrap_or("")
}

/// The value of `key=` on the command line.
pub fn arg<'c>(cmdline: &'c str, key: &str) -> Option<&'c str> {
    words(cmdline).find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
}

/// A decimal number (digits only). By hand rather than `str::parse`,
/// which links a generic parser per integer type.
pub fn decimal(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, c| {
        let d = c.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(u64::from(d))
    })
}

/// Whether `word` is on the command line.
pub fn flag(cmdline: &str, word: &str) -> bool {
    words(cmdline).any(|w| w == word)
}

/// The command line's words (separated by single spaces).
fn words(cmdline: &str) -> impl Iterator<Item = &str> {
    let mut rest = cmdline;
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // Split at a space: never inside a character (no slicing panic).
        let (word, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        rest = tail;
        Some(word)
    })
}

/// A file of the host (semihosting).
#[derive(Debug)]
pub struct HostFile(usize);

impl HostFile {
    /// Opens `path` with semihosting mode `mode` (`nr::open::RW_BINARY`,
    /// `nr::open::W_TRUNC_BINARY`, ...).
    pub fn open(path: &str, mode: usize) -> Option<Self> {
        let mut name = [0u8; 256];
        let n = path.len();
        if n >= name.len() {
            return None;
        }
        name[..n].copy_from_slice(path.as_bytes());
        // SAFETY: `name` is NUL-terminated and outlives the call.
        let fd = unsafe { syscall!(OPEN, name.as_ptr(), mode, n) };
        (fd as isize != -1).then_some(Self(fd))
    }

    /// Reads up to `buf.len()` bytes; how many were read.
    pub fn read(&mut self, buf: &mut [u8]) -> usize {
        // SAFETY: SYS_READ writes at most `buf.len()` bytes into `buf`,
        // and returns how many it did not read.
        let left = unsafe { syscall!(READ, self.0, buf.as_mut_ptr(), buf.len()) };
        buf.len().saturating_sub(left)
    }

    /// Writes all of `buf`.
    pub fn write(&mut self, buf: &[u8]) -> bool {
        // SAFETY: SYS_WRITE reads `buf.len()` bytes of `buf`.
        unsafe { syscall!(WRITE, self.0, buf.as_ptr(), buf.len()) == 0 }
    }

    /// Moves to byte `pos`.
    pub fn seek(&mut self, pos: usize) -> bool {
        // SAFETY: no memory is passed.
        unsafe { syscall!(SEEK, self.0, pos) == 0 }
    }

    /// The file's length.
    pub fn len(&mut self) -> Option<usize> {
        // SAFETY: no memory is passed.
        let n = unsafe { syscall!(FLEN, self.0) };
        (n as isize >= 0).then_some(n)
    }

    /// Never true for an open file of the right length; see [`HostFile::len`].
    pub fn is_empty(&mut self) -> bool {
        self.len() == Some(0)
    }
}

impl Drop for HostFile {
    fn drop(&mut self) {
        // SAFETY: no memory is passed; the descriptor is ours.
        unsafe { syscall!(CLOSE, self.0) };
    }
}

/// A host file as a package stream.
#[derive(Debug)]
pub struct Stream(pub HostFile);

impl embedded_io::ErrorType for Stream {
    type Error = embedded_io::ErrorKind;
}

impl embedded_io::Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        Ok(self.0.read(buf))
    }
}

/// What the emulated NOR refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashError {
    /// Offset or length not aligned to the sector, word or read unit.
    NotAligned,
    /// Outside the flash.
    OutOfBounds,
    /// A write over a word that was not erased.
    NotErased,
    /// The host file could not be written.
    Host,
}

impl NorFlashError for FlashError {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            Self::NotAligned => NorFlashErrorKind::NotAligned,
            Self::OutOfBounds => NorFlashErrorKind::OutOfBounds,
            Self::NotErased | Self::Host => NorFlashErrorKind::Other,
        }
    }
}

/// NOR flash emulated in PSRAM and kept in a host file: erase sets whole
/// sectors to `0xFF`, a write must be word-aligned and land on erased
/// bytes, reads are in 4-byte units. Counts erases and writes; with a cut
/// at operation *n* it does half of that operation (half the sector
/// erased, half the words written, as far as the host file too) and ends
/// the run as a power cut would.
#[derive(Debug)]
pub struct FileFlash {
    mem: &'static mut [u8],
    file: HostFile,
    /// Erases and writes so far.
    pub ops: u32,
    cut: Option<u32>,
}

impl FileFlash {
    /// The flash of host file `path` (created erased when missing), with a
    /// power cut at operation `cut`. Call once.
    pub fn open(path: &str, cut: Option<u32>) -> Option<Self> {
        // SAFETY: PSRAM of the mps2-an386 board, which nothing else (not
        // the image, not the stack) uses; called once, so this is the only
        // reference.
        let mem = unsafe { core::slice::from_raw_parts_mut(NOR as *mut u8, NOR_LEN) };
        let existing = HostFile::open(path, nr::open::RW_BINARY)
            .and_then(|mut f| (f.len() == Some(NOR_LEN)).then_some(f));
        let file = match existing {
            Some(mut f) => {
                if f.read(mem) != NOR_LEN {
                    return None;
                }
                f
            }
            None => {
                mem.fill(0xff);
                let mut f = HostFile::open(path, nr::open::RW_TRUNC_BINARY)?;
                if !f.write(mem) {
                    return None;
                }
                f
            }
        };
        Some(Self {
            mem,
            file,
            ops: 0,
            cut,
        })
    }

    fn range(
        &self,
        from: u32,
        len: usize,
        unit: usize,
    ) -> Result<core::ops::Range<usize>, FlashError> {
        let from = from as usize;
        if !from.is_multiple_of(unit) || !len.is_multiple_of(unit) {
            return Err(FlashError::NotAligned);
        }
        let to = from.checked_add(len).ok_or(FlashError::OutOfBounds)?;
        if to > self.mem.len() {
            return Err(FlashError::OutOfBounds);
        }
        Ok(from..to)
    }

    /// Writes `range` of the RAM copy to the host file.
    fn persist(&mut self, range: core::ops::Range<usize>) -> Result<(), FlashError> {
        if self.file.seek(range.start) && self.file.write(&self.mem[range]) {
            Ok(())
        } else {
            Err(FlashError::Host)
        }
    }

    /// Counts an operation; true when power is cut at it.
    fn op(&mut self) -> bool {
        self.ops += 1;
        self.cut == Some(self.ops)
    }

    #[inline(never)]
    fn power_cut(&self) -> ! {
        Line::new("POWERCUT at flash operation ")
            .u(u64::from(self.ops))
            .print();
        exit(false)
    }
}

impl ErrorType for FileFlash {
    type Error = FlashError;
}

impl ReadNorFlash for FileFlash {
    const READ_SIZE: usize = READ;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), FlashError> {
        let r = self.range(offset, bytes.len(), READ)?;
        bytes.copy_from_slice(&self.mem[r]);
        Ok(())
    }

    fn capacity(&self) -> usize {
        self.mem.len()
    }
}

impl NorFlash for FileFlash {
    const WRITE_SIZE: usize = WORD;
    const ERASE_SIZE: usize = SECTOR;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), FlashError> {
        let len = to.checked_sub(from).ok_or(FlashError::OutOfBounds)? as usize;
        let r = self.range(from, len, SECTOR)?;
        if self.op() {
            let half = r.start..r.start + len / 2;
            self.mem[half.clone()].fill(0xff);
            let _ = self.persist(half);
            self.power_cut();
        }
        self.mem[r.clone()].fill(0xff);
        self.persist(r)
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), FlashError> {
        let r = self.range(offset, bytes.len(), WORD)?;
        if self.mem[r.clone()].iter().any(|&b| b != 0xff) {
            return Err(FlashError::NotErased);
        }
        let n = if self.op() {
            bytes.len() / 2 / WORD * WORD
        } else {
            bytes.len()
        };
        self.mem[r.start..r.start + n].copy_from_slice(&bytes[..n]);
        let done = self.persist(r.start..r.start + n);
        if n < bytes.len() {
            self.power_cut();
        }
        done
    }
}

/// The stack: painted by cortex-m-rt (`paint-stack`) before `main`, from
/// its lowest address `_stack_end` to its top `_stack_start`.
pub mod stack {
    use super::addr_of;

    const PAINT: u32 = 0xcccc_cccc;

    unsafe extern "C" {
        static _stack_end: u32;
        static _stack_start: u32;
    }

    /// (lowest address, top).
    pub fn bounds() -> (usize, usize) {
        // Only the symbols' addresses are taken.
        (
            addr_of!(_stack_end) as usize,
            addr_of!(_stack_start) as usize,
        )
    }

    /// The deepest the stack went since reset, in bytes.
    pub fn peak() -> usize {
        let (bottom, top) = bounds();
        let mut p = bottom;
        // SAFETY: reads of the stack region, below the live frames first;
        // it stops at the first word the program wrote.
        while p < top && unsafe { core::ptr::read_volatile(p as *const u32) } == PAINT {
            p += 4;
        }
        top - p
    }

    /// The stack's size.
    pub fn size() -> usize {
        let (bottom, top) = bounds();
        top - bottom
    }
}

unsafe extern "C" {
    /// cortex-m-rt's handler for exceptions and interrupts nobody handles.
    fn DefaultHandler();
}

/// The interrupt vectors: the nRF52840's 48 (none is enabled: every one is
/// the default handler), instead of cortex-m-rt's generic 240 (768 bytes
/// of flash).
#[unsafe(link_section = ".vector_table.interrupts")]
#[unsafe(no_mangle)]
pub static __INTERRUPTS: [unsafe extern "C" fn(); 48] = [DefaultHandler; 48];

/// The stack guard's MPU region: the 64 KiB below RAM, no access. The
/// stack is the lowest region of RAM, so running past its end lands here
/// and faults at once (MemManage, escalated to HardFault). On the
/// nRF52840 nothing is mapped there and an access would fault anyway;
/// QEMU's board reads zeros and ignores writes there, which only the MPU
/// turns into a fault.
pub const GUARD: (u32, u32) = (0x1fff_0000, 64 * 1024);

/// Runs before RAM is initialised (cortex-m-rt's `__pre_init`): turns the
/// stack guard on, so it holds from the first instruction of `main`.
///
/// # Safety
///
/// Called once by the reset handler, before anything else runs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __pre_init() {
    const MPU_CTRL: *mut u32 = 0xE000_ED94 as *mut u32;
    const MPU_RNR: *mut u32 = 0xE000_ED98 as *mut u32;
    const MPU_RBAR: *mut u32 = 0xE000_ED9C as *mut u32;
    const MPU_RASR: *mut u32 = 0xE000_EDA0 as *mut u32;
    let (base, size) = GUARD;
    // RASR: XN, AP = 000 (no access), SIZE = log2(size) - 1, enabled.
    let rasr = (1 << 28) | ((size.trailing_zeros() - 1) << 1) | 1;
    // SAFETY: writes of the MPU's registers (ARMv7-M PMSAv7), region 0;
    // then the MPU is enabled with the default memory map as background
    // (PRIVDEFENA) for every other address.
    unsafe {
        core::ptr::write_volatile(MPU_RNR, 0);
        core::ptr::write_volatile(MPU_RBAR, base);
        core::ptr::write_volatile(MPU_RASR, rasr);
        core::ptr::write_volatile(MPU_CTRL, (1 << 2) | 1);
    }
    cortex_m::asm::dsb();
    cortex_m::asm::isb();
}

// The HardFault handler runs on the stack that may just have overflowed:
// before anything else it moves SP back to the top of the stack (the run
// ends here, nothing on the stack is needed), then reports.
core::arch::global_asm!(
    ".section .HardFault.user, \"ax\"",
    ".global HardFault",
    ".type HardFault, %function",
    ".thumb_func",
    "HardFault:",
    "  mrs r0, msp",
    "  ldr r1, =_stack_start",
    "  msr msp, r1",
    "  b {report}",
    "  .ltorg",
    report = sym hard_fault,
);

/// Prints what faulted and ends the run. `sp`: the stack pointer when the
/// fault was taken; CFSR says which fault (MemManage, bus, usage).
extern "C" fn hard_fault(sp: u32) -> ! {
    // SAFETY: a read of the System Control Block's fault status register.
    let cfsr = unsafe { core::ptr::read_volatile(0xE000_ED28 as *const u32) };
    let (bottom, _) = stack::bounds();
    let mut l = Line::new("HARDFAULT");
    if (sp as usize) <= bottom {
        l.s(" stack overflow");
    }
    l.s(" sp ").word(sp).s(" cfsr ").word(cfsr).print();
    exit(false)
}

/// A panic (none can come from the core, which has no panic paths; a
/// dependency's bounds check could) ends the run. `info` is not read: its
/// message would link `core::fmt` and every `Debug` impl a panic site
/// names (about 5 KiB); the panic sites are few, listed by
/// `stack-bound.py --callers core::panicking::panic_fmt`.
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    say("PANIC\n");
    exit(false)
}

// The memory functions the compiler calls. compiler_builtins' are tuned
// for speed and take 1.9 KiB of flash together; these take about 100
// bytes. They copy a word at a time when both pointers are word-aligned,
// else a byte at a time, with volatile accesses so that the compiler
// cannot turn the loops back into calls to themselves.

/// Copies `n` bytes from `src` to `dst` (the regions do not overlap).
///
/// # Safety
///
/// `memcpy`'s contract: both valid for `n` bytes, not overlapping.
unsafe fn copy(dst: *mut u8, src: *const u8, n: usize) {
    let mut i = 0;
    if (dst as usize | src as usize).is_multiple_of(4) {
        while i + 4 <= n {
            // SAFETY: in bounds and word-aligned (checked above).
            unsafe {
                let w = core::ptr::read_volatile(src.add(i) as *const u32);
                core::ptr::write_volatile(dst.add(i) as *mut u32, w);
            }
            i += 4;
        }
    }
    while i < n {
        // SAFETY: in bounds.
        unsafe { core::ptr::write_volatile(dst.add(i), core::ptr::read_volatile(src.add(i))) };
        i += 1;
    }
}

/// Sets `n` bytes at `dst` to `v`.
///
/// # Safety
///
/// `memset`'s contract: `dst` valid for `n` bytes.
unsafe fn fill(dst: *mut u8, n: usize, v: u8) {
    let mut i = 0;
    while i < n {
        // SAFETY: in bounds.
        unsafe { core::ptr::write_volatile(dst.add(i), v) };
        i += 1;
    }
}

macro_rules! aeabi {
    ($($copy:ident)*; $($set:ident)*; $($clr:ident)*) => {
        $(
            /// The ARM EABI `memcpy` (see [`copy`]).
            ///
            /// # Safety
            ///
            /// `memcpy`'s contract.
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn $copy(dst: *mut u8, src: *const u8, n: usize) {
                // SAFETY: the caller's contract.
                unsafe { copy(dst, src, n) }
            }
        )*
        $(
            /// The ARM EABI `memset` (its arguments are `dst, n, value`).
            ///
            /// # Safety
            ///
            /// `memset`'s contract.
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn $set(dst: *mut u8, n: usize, v: i32) {
                // SAFETY: the caller's contract.
                unsafe { fill(dst, n, v as u8) }
            }
        )*
        $(
            /// The ARM EABI zeroing `memset`.
            ///
            /// # Safety
            ///
            /// `memset`'s contract.
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn $clr(dst: *mut u8, n: usize) {
                // SAFETY: the caller's contract.
                unsafe { fill(dst, n, 0) }
            }
        )*
    };
}

aeabi!(__aeabi_memcpy __aeabi_memcpy4 __aeabi_memcpy8;
       __aeabi_memset __aeabi_memset4 __aeabi_memset8;
       __aeabi_memclr __aeabi_memclr4 __aeabi_memclr8);

// The ARM EABI 64-bit unsigned division (`u64` `/` and `%`: numbers
// printed, the core's shard checks): n = r1:r0, d = r3:r2, returns the
// quotient in r1:r0 and the remainder in r3:r2. compiler_builtins' takes
// about 1 KiB of flash (a fast path for every operand width); this one
// shifts one bit at a time (64 rounds of shift and compare, restoring
// division), about 80 bytes. A divisor of zero never gets here (Rust
// checks it first). Tested by fw-overflow's start (`DIVIDE ok`).
core::arch::global_asm!(
    ".section .text.__aeabi_uldivmod, \"ax\"",
    ".global __aeabi_uldivmod",
    ".type __aeabi_uldivmod, %function",
    ".thumb_func",
    "__aeabi_uldivmod:",
    "  push {{r4, r5, r6, r7, r8, lr}}",
    // r5:r4 the remainder, r6 the rounds left.
    "  movs r4, #0",
    "  movs r5, #0",
    "  movs r6, #64",
    "1:",
    // (remainder:quotient) <<= 1; r8 the bit shifted out of the remainder.
    "  lsr.w r8, r5, #31",
    "  lsls r5, r5, #1",
    "  orr.w r5, r5, r4, lsr #31",
    "  lsls r4, r4, #1",
    "  orr.w r4, r4, r1, lsr #31",
    "  lsls r1, r1, #1",
    "  orr.w r1, r1, r0, lsr #31",
    "  lsls r0, r0, #1",
    // remainder >= divisor (or a 65th bit): subtract, set the quotient bit.
    "  subs r7, r4, r2",
    "  sbcs ip, r5, r3",
    "  bcs 2f",
    "  cmp.w r8, #0",
    "  beq 3f",
    "2:",
    "  mov r4, r7",
    "  mov r5, ip",
    "  orr.w r0, r0, #1",
    "3:",
    "  subs r6, r6, #1",
    "  bne 1b",
    "  mov r2, r4",
    "  mov r3, r5",
    "  pop {{r4, r5, r6, r7, r8, pc}}",
    ".size __aeabi_uldivmod, . - __aeabi_uldivmod",
);
