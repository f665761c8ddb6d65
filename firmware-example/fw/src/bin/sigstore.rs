//! Sigstore variant: the trusted root comes from the trust state in flash,
//! which trust packages of TUF metadata update, verified against the held
//! TUF root or, on a device without a trust state, the one compiled in
//! ([`TUF_ROOT`]; `trust=PATH` applies a package); the identity policy is
//! compiled in. The core's X.509, CMS and TUF work allocates, from a fixed
//! static heap of [`HEAP_SIZE`] bytes. Anti-rollback on the earliest verified signing
//! time. No clock (`rtc=` on the command line stands for one): the
//! newest verified signing time, kept in the state, is the time floor.

#![no_std]
#![no_main]

use core::alloc::{GlobalAlloc, Layout};
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicUsize, Ordering};

use cortex_m_rt::entry;
use embedded_alloc::LlffHeap;
use oms_edge_core::{IdentityPolicy, SigstoreVerifier, TrustedRoot};
use oms_edge_fw::board::{self, Line, arg, exit};
use oms_edge_fw::{
    open, print_ops, report_stack, rtc, run_with, take_bufs, trust_update, with_trusted_root,
};

/// The heap: everything the sigstore method allocates comes from here
/// (the parsed trusted root included).
const HEAP_SIZE: usize = 32 * 1024;

/// The TUF root compiled in (build.rs): the trust state's starting
/// point on a device that holds none yet.
const TUF_ROOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/tuf_root.json"));

#[cfg(feature = "test-trust")]
mod pinned {
    //! The offline test PKI of testdata/sigstore (for run-qemu.sh).
    pub const IDENTITY: &str = "signer@example.com";
    pub const ISSUER: &str = "https://oidc.example.com";
}

#[cfg(not(feature = "test-trust"))]
mod pinned {
    //! The signer is fixed at build time: OMS_EDGE_IDENTITY=...
    //! OMS_EDGE_ISSUER=...
    pub const IDENTITY: &str = env!("OMS_EDGE_IDENTITY");
    pub const ISSUER: &str = env!("OMS_EDGE_ISSUER");
}

/// The heap, counting the bytes in use and their peak.
struct Counting {
    heap: LlffHeap,
    used: AtomicUsize,
    peak: AtomicUsize,
}

#[allow(unsafe_code)]
// SAFETY: forwards to the heap; only adds counters.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { self.heap.alloc(layout) };
        if !p.is_null() {
            let now = self
                .used
                .fetch_add(layout.size(), Ordering::Relaxed)
                .saturating_add(layout.size());
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { self.heap.dealloc(ptr, layout) };
        self.used.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static HEAP: Counting = Counting {
    heap: LlffHeap::empty(),
    used: AtomicUsize::new(0),
    peak: AtomicUsize::new(0),
};

#[entry]
fn main() -> ! {
    static mut HEAP_MEM: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];
    // SAFETY: called once, before any allocation, with memory nothing else
    // uses.
    #[allow(unsafe_code)]
    unsafe {
        HEAP.heap.init(HEAP_MEM.as_mut_ptr() as usize, HEAP_SIZE)
    };
    // SAFETY: the only call.
    #[allow(unsafe_code)]
    let mut bufs = unsafe { take_bufs() };
    let cmd = board::cmdline();
    let Some(mut loader) = open(cmd) else {
        exit(false)
    };
    let mut ok = true;
    // A trust package first: the verification below uses its result.
    if let Some(pkg) = arg(cmd, "trust") {
        ok = trust_update(&mut loader, pkg, TUF_ROOT, rtc(cmd), &mut bufs);
        Line::new("HEAP trust update peak: ")
            .u(HEAP.peak.load(Ordering::Relaxed) as u64)
            .s(" bytes")
            .print();
    }
    // The trusted root from flash; parsed, its bytes' buffer is free.
    let root = with_trusted_root(&mut loader, &mut bufs, TrustedRoot::parse);
    match root {
        Some(Ok(root)) => {
            let held = HEAP.used.load(Ordering::Relaxed);
            Line::new("HEAP trusted root parsed: ")
                .u(held as u64)
                .s(" bytes held")
                .print();
            let policy = IdentityPolicy::exact(pinned::IDENTITY, pinned::ISSUER);
            let verified = run_with(
                &mut loader,
                &SigstoreVerifier::new(&root, policy),
                &mut bufs,
                cmd,
            );
            ok = ok && verified;
        }
        Some(Err(e)) => {
            Line::new("ERROR the held trusted root does not parse: ")
                .u(u64::from(oms_edge_core::Error::from(e).check().code()))
                .print();
            ok = false;
        }
        // No trust state, or a damaged one (said above): nothing verifies.
        None => ok = false,
    }
    print_ops(&mut loader);
    report_stack("", Some((HEAP.peak.load(Ordering::Relaxed), HEAP_SIZE)));
    exit(ok)
}
