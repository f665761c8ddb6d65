//! Board glue shared by the two firmware variants (QEMU `mps2-an386`,
//! Cortex-M4): where the staging area and the emulated NOR flash are, the
//! update run, output through semihosting, and stack painting.
//!
//! Memory map (PSRAM, 16 MiB at `0x2100_0000`, untouched by the firmware
//! image, which lives in SSRAM1 and SSRAM2/3):
//!
//! | region | address | size |
//! |---|---|---|
//! | staging (the package, loaded by `-device loader`) | `0x2100_0000` | 1 MiB |
//! | slot 0 | `0x2110_0000` | 256 KiB |
//! | slot 1 | `0x2114_0000` | 256 KiB |
//! | state records | `0x2118_0000` | 2 × 4 KiB |
//!
//! The slots and state records are NOR flash emulated over RAM
//! ([`RamFlash`]: 4 KiB erase sectors, 4-byte writes, erase before write
//! enforced).

#![no_std]

use core::fmt::Write as _;
use core::ptr::addr_of_mut;
use core::sync::atomic::{AtomicBool, Ordering};

use cortex_m_semihosting::{debug, hio};
use oms_edge_core::{Time, Verifier};
use oms_edge_loader::ramflash::RamFlash;
use oms_edge_loader::{AntiRollback, Buffers, Layout, Loader, Refused, State};

/// The staging area.
pub const STAGING: usize = 0x2100_0000;
/// Its size.
pub const STAGING_LEN: usize = 1024 * 1024;
/// The emulated NOR flash (slots and state).
pub const NOR: usize = 0x2110_0000;
/// One slot.
pub const SLOT: u32 = 256 * 1024;
/// Erase sector of the emulated NOR.
pub const SECTOR: usize = 4096;
/// The layout inside the emulated NOR.
pub const LAYOUT: Layout = Layout {
    slots: [0, SLOT],
    slot_size: SLOT,
    state: [2 * SLOT, 2 * SLOT + SECTOR as u32],
};
const NOR_LEN: usize = 2 * SLOT as usize + 2 * SECTOR;

/// The emulated flash type.
pub type Nor = RamFlash<'static, SECTOR, 4>;
/// The staging area, read through the same traits.
pub type Staging = RamFlash<'static, 512, 1>;

/// Prints one line on the host's stdout.
pub fn line(args: core::fmt::Arguments<'_>) {
    if let Ok(mut out) = hio::hstdout() {
        let _ = out.write_fmt(args);
        let _ = out.write_str("\n");
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

/// The staging area and the emulated NOR, as `'static` memory. Call once.
pub fn regions() -> (Staging, Nor) {
    // SAFETY: both regions are PSRAM of the mps2-an386 board that nothing
    // else (not the image, not the stack) uses; this is called once, so
    // the two exclusive references are the only ones.
    #[allow(unsafe_code)]
    let (staging, nor) = unsafe {
        (
            core::slice::from_raw_parts_mut(STAGING as *mut u8, STAGING_LEN),
            core::slice::from_raw_parts_mut(NOR as *mut u8, NOR_LEN),
        )
    };
    (RamFlash::new(staging), RamFlash::new(nor))
}

/// The buffers of one verification, in statics.
#[derive(Debug)]
pub struct Bufs {
    /// Holds `model.sig`.
    pub bundle: &'static mut [u8],
    /// The decoded DSSE payload.
    pub payload: &'static mut [u8],
    /// File streaming.
    pub io: &'static mut [u8],
    /// One flash page.
    pub page: &'static mut [u8],
    /// One tar header.
    pub block: &'static mut [u8; 512],
}

impl Bufs {
    fn get(&mut self) -> Buffers<'_> {
        Buffers {
            bundle: self.bundle,
            payload: self.payload,
            io: self.io,
            page: self.page,
            block: self.block,
        }
    }

    /// Bytes of RAM the buffers take.
    pub fn len(&self) -> usize {
        self.bundle.len() + self.payload.len() + self.io.len() + self.page.len() + self.block.len()
    }

    /// Never: the buffers are fixed.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// The largest `model.sig` accepted (and its payload buffer): key bundles
/// are about 1.5 KB, Sigstore bundles with certificate, log entries and
/// timestamps up to about 7 KB.
pub const BUNDLE_LEN: usize = if cfg!(feature = "sigstore") {
    12 * 1024
} else {
    8 * 1024
};

/// The buffers, in statics (`.bss`), handed out once.
pub fn take_bufs() -> Bufs {
    static TAKEN: AtomicBool = AtomicBool::new(false);
    static mut BUNDLE: [u8; BUNDLE_LEN] = [0; BUNDLE_LEN];
    static mut PAYLOAD: [u8; BUNDLE_LEN] = [0; BUNDLE_LEN];
    static mut IO: [u8; 1024] = [0; 1024];
    static mut PAGE: [u8; 256] = [0; 256];
    static mut BLOCK: [u8; 512] = [0; 512];
    if TAKEN.swap(true, Ordering::AcqRel) {
        line(format_args!("PANIC the static buffers were taken twice"));
        exit(false)
    }
    // SAFETY: the flag above lets this run once, so these are the only
    // references to the statics.
    #[allow(unsafe_code)]
    unsafe {
        Bufs {
            bundle: &mut *addr_of_mut!(BUNDLE),
            payload: &mut *addr_of_mut!(PAYLOAD),
            io: &mut *addr_of_mut!(IO),
            page: &mut *addr_of_mut!(PAGE),
            block: &mut *addr_of_mut!(BLOCK),
        }
    }
}

/// The whole run with the pinned `verifier` at `time`: check the active
/// model at boot, verify and flash the staged package, check the new slot
/// as the next boot would. Prints `FLASHED <root digest>` or
/// `REFUSED <check>: <why>`; true when flashed.
pub fn run<V: Verifier>(verifier: &V, time: Time, bufs: &mut Bufs) -> bool
where
    V::Evidence: AntiRollback,
{
    let (mut staging, nor) = regions();
    let mut loader = match Loader::new(nor, LAYOUT) {
        Ok(l) => l,
        Err(e) => return refused(&e),
    };
    match loader.verify_active(verifier, time, bufs.get()) {
        Ok(Some(s)) => line(format_args!("ACTIVE slot {} {}", s.slot, s.root.hex())),
        Ok(None) => line(format_args!("ACTIVE none")),
        Err(e) => line(format_args!("ACTIVE does not verify: {e}")),
    }
    let update = match loader.verify_update(&mut staging, verifier, time, bufs.get()) {
        Ok(u) => u,
        Err(e) => return refused(&e),
    };
    let state: State = match loader.commit(update) {
        Ok(s) => s,
        Err(e) => return refused(&e),
    };
    line(format_args!("FLASHED {}", state.root.hex()));
    match loader.verify_active(verifier, time, bufs.get()) {
        Ok(Some(s)) if s == state => {
            line(format_args!(
                "BOOT slot {} version {} verified",
                s.slot, s.version
            ));
            true
        }
        Ok(_) => {
            line(format_args!("BOOT finds another state"));
            false
        }
        Err(e) => refused(&e),
    }
}

fn refused(e: &Refused) -> bool {
    line(format_args!("REFUSED {}: {e}", e.check()));
    false
}

/// Stack painting: fills the unused stack with a pattern, so that
/// [`stack_peak`] can find how deep the stack ever went.
pub mod stack {
    const PATTERN: u32 = 0xA5C3_5A3C;

    unsafe extern "C" {
        /// End of the statics (cortex-m-rt): the stack's lowest address.
        static mut __sheap: u32;
        /// Top of the stack (cortex-m-rt).
        static mut _stack_start: u32;
    }

    fn bounds() -> (usize, usize) {
        (
            core::ptr::addr_of!(__sheap) as usize,
            core::ptr::addr_of!(_stack_start) as usize,
        )
    }

    /// Paints from the stack's bottom up to 256 bytes below the current
    /// stack pointer.
    #[inline(never)]
    pub fn paint() {
        let (bottom, _) = bounds();
        let sp = cortex_m::register::msp::read() as usize;
        let mut p = bottom;
        while p.saturating_add(256) < sp {
            // SAFETY: between the end of the statics and below the live
            // stack frames: memory nothing else uses.
            #[allow(unsafe_code)]
            unsafe {
                core::ptr::write_volatile(p as *mut u32, PATTERN)
            };
            p = p.saturating_add(4);
        }
    }

    /// The deepest the stack went since [`paint`], in bytes.
    pub fn peak() -> usize {
        let (bottom, top) = bounds();
        let mut p = bottom;
        // SAFETY: reads of the same memory `paint` wrote.
        #[allow(unsafe_code)]
        while p < top && unsafe { core::ptr::read_volatile(p as *const u32) } == PATTERN {
            p = p.saturating_add(4);
        }
        top.saturating_sub(p)
    }

    /// The stack's size (RAM left after the statics).
    pub fn size() -> usize {
        let (bottom, top) = bounds();
        top.saturating_sub(bottom)
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    line(format_args!("PANIC {info}"));
    exit(false)
}

#[cortex_m_rt::exception]
#[allow(unsafe_code)]
unsafe fn HardFault(frame: &cortex_m_rt::ExceptionFrame) -> ! {
    line(format_args!("HARDFAULT at pc {:#010x}", frame.pc()));
    exit(false)
}
