//! The firmware's run, shared by the two variants: boot (trial, revert),
//! check the model that boots, confirm it, and, when asked, stream an
//! update package from the host into the inactive slot. Board support
//! (QEMU `mps2-an386`) is in [`board`].
//!
//! The command line (QEMU `-append`), words separated by spaces:
//!
//! | word | meaning |
//! |---|---|
//! | `flash=PATH` | the host file holding the emulated NOR flash (created erased when missing); required |
//! | `update=PATH` | a package to stream into the inactive slot |
//! | `cut=N` | cut power at flash operation *N* (erases and writes, counted from this run's start): it is half done, then the run ends |
//! | `no-confirm` | do not confirm a model on trial (the next boot reverts it) |
//! | `rtc=SECS` | a real-time clock reading (Unix seconds); without it the device has no clock |
//! | `trust=PATH` | (sigstore) a trust package to apply first (TUF metadata and `trusted_root.json`) |
//!
//! Output lines (no `core::fmt` is linked: numbers and names only):
//! `BOOT none|confirmed|trial|reverted ...`, `ACTIVE verified ...` or
//! `ACTIVE REFUSED <code> <check>`, `CONFIRMED ...`, `FLASHED ...` or
//! `REFUSED <code> <check> ...`, `TRUST root N ...`, `TRUST UPDATED ...`,
//! `TRUST REFUSED <code> ...`, `POWERCUT at flash operation N`,
//! `FLASH ops N`, `STACK peak N of M`, `HARDFAULT ...`, `PANIC at
//! file:line`. Exit status 0 when the update was flashed (with
//! `update=`), or the model that boots verified (without).

#![no_std]

pub mod board;

use core::ptr::addr_of_mut;

use board::{FileFlash, HostFile, LAYOUT, Line, Stream, arg, flag, say};
use cortex_m_semihosting::nr;
use oms_edge_core::{Time, UnixTime, Verifier};
use oms_edge_loader::{AntiRollback, Boot, Buffers, Loader, Model, Refused};

/// Bytes for `model.sig` and its decoded payload together: a key bundle
/// is about 1.5 KB (payload 0.5 KB); a Sigstore bundle with a
/// certificate, a Rekor entry and a timestamp up to about 10 KB.
pub const BUNDLE_LEN: usize = if cfg!(feature = "sigstore") {
    13 * 1024
} else {
    6 * 1024
};

/// The buffers of one verification, in statics.
#[derive(Debug)]
pub struct Bufs {
    bundle: &'static mut [u8],
    io: &'static mut [u8],
    page: &'static mut [u8],
    block: &'static mut [u8; 512],
}

impl Bufs {
    fn get(&mut self) -> Buffers<'_> {
        Buffers {
            bundle: self.bundle,
            io: self.io,
            page: self.page,
            block: self.block,
        }
    }

    /// Bytes of RAM the buffers take.
    pub fn len(&self) -> usize {
        self.bundle.len() + self.io.len() + self.page.len() + self.block.len()
    }

    /// Never: the buffers are fixed.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// The buffers, in statics (`.bss`).
///
/// # Safety
///
/// Call once (from `main`): the buffers are handed out as `&'static mut`.
pub unsafe fn take_bufs() -> Bufs {
    static mut BUNDLE: [u8; BUNDLE_LEN] = [0; BUNDLE_LEN];
    static mut IO: [u8; 1024] = [0; 1024];
    static mut PAGE: [u8; 256] = [0; 256];
    static mut BLOCK: [u8; 512] = [0; 512];
    // SAFETY: called once (the caller's contract): the only references.
    unsafe {
        Bufs {
            bundle: &mut *addr_of_mut!(BUNDLE),
            io: &mut *addr_of_mut!(IO),
            page: &mut *addr_of_mut!(PAGE),
            block: &mut *addr_of_mut!(BLOCK),
        }
    }
}

/// Appends ` slot S version V root HEX`.
#[inline(never)]
fn model(l: &mut Line, m: &Model) {
    l.s(" slot ")
        .u(u64::from(m.slot))
        .s(" version ")
        .u(m.version)
        .s(" root ")
        .hex(m.root.as_bytes());
}

/// Prints `<what> <code>` and what else the refusal says (the check's
/// name is the host's to print: `docs/checks.md`, and the loader's codes in
/// the firmware README).
#[inline(never)]
fn refused(what: &str, e: &Refused) {
    let mut l = Line::new(what);
    l.s(" ").u(u64::from(e.code()));
    #[cfg(feature = "sigstore")]
    if let Refused::Tuf(t) = e {
        l.s(" role ").s(t.role.name());
    }
    if let Refused::Rollback { confirmed, offered } = e {
        l.s(" confirmed ").u(*confirmed).s(" offered ").u(*offered);
    }
    #[cfg(feature = "sigstore")]
    if let Refused::TrustDamaged { area } = e {
        l.s(" area ").u(u64::from(*area));
    }
    l.print();
}

/// One run (see the crate docs) with the pinned `verifier`.
pub fn run<V: Verifier>(verifier: &V, bufs: &mut Bufs) -> bool
where
    V::Evidence: AntiRollback,
{
    let cmd = board::cmdline();
    let Some(mut loader) = open(cmd) else {
        return false;
    };
    let ok = run_with(&mut loader, verifier, bufs, cmd);
    print_number("FLASH ops ", u64::from(loader.flash().ops));
    ok
}

/// The loader over the flash file the command line names (`flash=`,
/// `cut=`); `None`, said, when there is none.
pub fn open(cmd: &str) -> Option<Loader<FileFlash>> {
    let Some(path) = arg(cmd, "flash") else {
        say("ERROR no flash=PATH\n");
        return None;
    };
    let cut = arg(cmd, "cut")
        .and_then(board::decimal)
        .and_then(|n| u32::try_from(n).ok());
    let Some(flash) = FileFlash::open(path, cut) else {
        say("ERROR flash file\n");
        return None;
    };
    match Loader::new(flash, LAYOUT) {
        Ok(l) => Some(l),
        Err(e) => {
            refused("ERROR layout", &e);
            None
        }
    }
}

/// The real-time clock reading of the command line (`rtc=`; the key
/// method reads no time: only the sigstore variant has it).
pub fn rtc(cmd: &str) -> Option<UnixTime> {
    arg(cmd, "rtc")
        .filter(|_| cfg!(feature = "sigstore"))
        .and_then(board::decimal)
        .map(UnixTime::from_secs)
}

/// The boot and the model update of a run, with `verifier`.
pub fn run_with<V: Verifier>(
    loader: &mut Loader<FileFlash>,
    verifier: &V,
    bufs: &mut Bufs,
    cmd: &str,
) -> bool
where
    V::Evidence: AntiRollback,
{
    let rtc = rtc(cmd);
    let booted = boot(loader, verifier, rtc, bufs, flag(cmd, "no-confirm"));
    match arg(cmd, "update") {
        Some(pkg) => update(loader, verifier, rtc, bufs, pkg),
        None => booted,
    }
}

/// Prints `FLASH ops N`: the run's erases and writes.
pub fn print_ops(loader: &mut Loader<FileFlash>) {
    print_number("FLASH ops ", u64::from(loader.flash().ops));
}

/// Applies the trust package at host path `pkg` (sigstore variant): its
/// TUF metadata verified against the held trust state, or `tuf_root` on a
/// device without one; then written to the other trust area and
/// committed. Prints `TRUST UPDATED ...` or `TRUST REFUSED <code> ...`.
#[cfg(feature = "sigstore")]
#[inline(never)]
pub fn trust_update(
    loader: &mut Loader<FileFlash>,
    pkg: &str,
    tuf_root: &[u8],
    rtc: Option<UnixTime>,
    bufs: &mut Bufs,
) -> bool {
    let Some(file) = HostFile::open(pkg, nr::open::R_BINARY) else {
        say("ERROR trust package file\n");
        return false;
    };
    let mut stream = Stream(file);
    let result = loader.update_trust(
        &board::TRUST,
        &mut stream,
        tuf_root,
        rtc,
        oms_edge_loader::TrustBuffers {
            work: bufs.bundle,
            page: bufs.page,
            block: bufs.block,
        },
    );
    match result {
        Ok(u) => {
            let o = &u.outcome;
            let mut l = Line::new("TRUST UPDATED root ");
            l.u(o.root_from).s(" -> ").u(o.root_to);
            trust_versions(&mut l, &u.state);
            l.s(" ops ").u(u64::from(u.ops));
            match o.freshness.now {
                Some(t) => l.s(" expiry checked at ").u(t),
                None => l.s(" freshness not checked (no clock)"),
            };
            l.print();
            true
        }
        Err(e) => {
            refused("TRUST REFUSED", &e);
            false
        }
    }
}

/// Appends the held versions and where they are.
#[cfg(feature = "sigstore")]
fn trust_versions(l: &mut Line, s: &oms_edge_loader::TrustState) {
    l.s(" timestamp ")
        .u(s.timestamp_version)
        .s(" snapshot ")
        .u(s.snapshot_version)
        .s(" targets ")
        .u(s.targets_version)
        .s(" area ")
        .u(u64::from(s.area))
        .s(" seq ")
        .u(u64::from(s.seq));
}

/// Reads the held `trusted_root.json` into the bundle buffer and hands it
/// to `f` (sigstore variant); prints `TRUST root N ...` or `TRUST REFUSED
/// <code>` (no trust state yet: `loader.no_trust`; a damaged one:
/// `loader.trust_damaged`, followed by `area N`).
#[cfg(feature = "sigstore")]
#[inline(never)]
pub fn with_trusted_root<T>(
    loader: &mut Loader<FileFlash>,
    bufs: &mut Bufs,
    f: impl FnOnce(&[u8]) -> T,
) -> Option<T> {
    match loader.trusted_root(&board::TRUST, bufs.bundle) {
        Ok((state, bytes)) => {
            let mut l = Line::new("TRUST root ");
            l.u(state.root_version);
            trust_versions(&mut l, &state);
            l.print();
            Some(f(bytes))
        }
        Err(e) => {
            refused("TRUST REFUSED", &e);
            None
        }
    }
}

/// The time to verify with: the key method reads none (no clock code is
/// linked); the sigstore variant's comes from the loader (`rtc=` raised to
/// the state's time floor, or no clock).
fn time(loader: &mut Loader<FileFlash>, rtc: Option<UnixTime>) -> Result<Time, Refused> {
    if cfg!(feature = "sigstore") {
        loader.time(rtc)
    } else {
        Ok(Time::NoClock)
    }
}

/// Prints `<what> slot S version V root HEX<tail>`.
#[inline(never)]
fn print_model(what: &str, m: &Model, tail: &str) {
    let mut l = Line::new(what);
    model(&mut l, m);
    l.s(tail).print();
}

/// Prints `<what><n>`.
#[inline(never)]
fn print_number(what: &str, n: u64) {
    Line::new(what).u(n).print();
}

/// Prints the boot decision.
#[inline(never)]
fn print_boot(decided: &Boot) {
    match decided {
        Boot::Empty => say("BOOT none\n"),
        Boot::Confirmed(m) => print_model("BOOT confirmed", m, ""),
        Boot::Trial(m) => print_model("BOOT trial", m, ""),
        Boot::Reverted { to: Some(m), from } => {
            let mut l = Line::new("BOOT reverted from version ");
            l.u(from.version).s(" to");
            model(&mut l, m);
            l.print();
        }
        Boot::Reverted { to: None, from } => {
            print_number("BOOT reverted to none from version ", from.version);
        }
    }
}

/// The boot: decide (trial, revert), verify the model that boots, confirm
/// a trial that verifies. True when it verifies (or there is none).
#[inline(never)]
fn boot<V: Verifier>(
    loader: &mut Loader<FileFlash>,
    verifier: &V,
    rtc: Option<UnixTime>,
    bufs: &mut Bufs,
    no_confirm: bool,
) -> bool
where
    V::Evidence: AntiRollback,
{
    let decided = match loader.boot() {
        Ok(b) => b,
        Err(e) => {
            refused("BOOT REFUSED", &e);
            return false;
        }
    };
    print_boot(&decided);
    if decided.model().is_none() {
        return true;
    }
    let time = match time(loader, rtc) {
        Ok(t) => t,
        Err(e) => {
            refused("ACTIVE REFUSED", &e);
            return false;
        }
    };
    match loader.verify_active(verifier, time, bufs.get()) {
        Ok(Some(m)) => print_model("ACTIVE verified", &m, ""),
        Ok(None) => say("ACTIVE none\n"),
        Err(e) => {
            refused("ACTIVE REFUSED", &e);
            // A model on trial that does not verify goes at once.
            if let Boot::Trial(_) = decided
                && loader.revert().is_ok()
            {
                say("REVERTED\n");
            }
            return false;
        }
    }
    if let Boot::Trial(_) = decided {
        if no_confirm {
            say("NOT CONFIRMED\n");
        } else {
            match loader.mark_good() {
                Ok(Some(s)) => print_number("CONFIRMED floor ", s.floor),
                Ok(None) => say("CONFIRMED nothing\n"),
                Err(e) => {
                    refused("CONFIRM REFUSED", &e);
                    return false;
                }
            }
        }
    }
    true
}

/// Streams the package at host path `pkg` into the inactive slot and
/// commits it (pending). True when flashed.
#[inline(never)]
fn update<V: Verifier>(
    loader: &mut Loader<FileFlash>,
    verifier: &V,
    rtc: Option<UnixTime>,
    bufs: &mut Bufs,
    pkg: &str,
) -> bool
where
    V::Evidence: AntiRollback,
{
    let Some(file) = HostFile::open(pkg, nr::open::R_BINARY) else {
        say("ERROR package file\n");
        return false;
    };
    let mut stream = Stream(file);
    let result = time(loader, rtc)
        .and_then(|time| loader.verify_update(&mut stream, verifier, time, bufs.get()))
        .and_then(|u| loader.commit(u));
    match result {
        Ok(state) => {
            if let Some(m) = state.active {
                print_model("FLASHED", &m, " pending");
            }
            true
        }
        Err(e) => {
            refused("REFUSED", &e);
            false
        }
    }
}

/// Prints the stack's high-water mark (`STACK peak N of M bytes`).
#[inline(never)]
pub fn report_stack(extra: &str, heap: Option<(usize, usize)>) {
    let mut l = Line::new("STACK peak ");
    l.u(board::stack::peak() as u64)
        .s(" of ")
        .u(board::stack::size() as u64)
        .s(" bytes");
    if let Some((peak, size)) = heap {
        l.s("; heap peak ")
            .u(peak as u64)
            .s(" of ")
            .u(size as u64)
            .s(" bytes");
    } else {
        l.s("; heap none");
    }
    l.s(extra).print();
}
