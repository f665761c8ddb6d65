//! Sigstore variant: a compiled-in trusted root and identity policy; the
//! core's X.509 and CMS work allocates, from a fixed static heap of
//! [`HEAP_SIZE`] bytes. Anti-rollback on the earliest verified signing
//! time. No clock (`rtc=` on the command line stands for one): the
//! newest verified signing time, kept in the state, is the time floor.

#![no_std]
#![no_main]

use core::alloc::{GlobalAlloc, Layout};
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicUsize, Ordering};

use cortex_m_rt::entry;
use embedded_alloc::LlffHeap;
use oms_edge_core::{IdentityPolicy, SigstoreVerifier};
use oms_edge_fw::board::{Line, exit};
use oms_edge_fw::{report_stack, run, take_bufs};

/// The heap: everything the sigstore method allocates comes from here
/// (the parsed trusted root included).
const HEAP_SIZE: usize = 32 * 1024;

#[cfg(feature = "test-trust")]
mod pinned {
    //! The offline test PKI of testdata/sigstore (for run-qemu.sh).
    use oms_edge_core::{TrustRootError, TrustedRoot};
    pub const IDENTITY: &str = "signer@example.com";
    pub const ISSUER: &str = "https://oidc.example.com";
    const ROOT: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/sigstore/trusted_root.json"
    ));
    pub fn root() -> Result<TrustedRoot, TrustRootError> {
        TrustedRoot::parse(ROOT)
    }
}

#[cfg(not(feature = "test-trust"))]
mod pinned {
    //! The Sigstore production root compiled into the core; the signer is
    //! fixed at build time: OMS_EDGE_IDENTITY=... OMS_EDGE_ISSUER=...
    use oms_edge_core::{TrustRootError, TrustedRoot};
    pub const IDENTITY: &str = env!("OMS_EDGE_IDENTITY");
    pub const ISSUER: &str = env!("OMS_EDGE_ISSUER");
    pub fn root() -> Result<TrustedRoot, TrustRootError> {
        TrustedRoot::production()
    }
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
    let ok = match pinned::root() {
        Ok(root) => {
            let held = HEAP.used.load(Ordering::Relaxed);
            Line::new("HEAP trusted root parsed: ")
                .u(held as u64)
                .s(" bytes held")
                .print();
            let policy = IdentityPolicy::exact(pinned::IDENTITY, pinned::ISSUER);
            run(&SigstoreVerifier::new(&root, policy), &mut bufs)
        }
        Err(e) => {
            Line::new("ERROR the pinned trusted root does not parse: ")
                .u(u64::from(oms_edge_core::Error::from(e).check().code()))
                .print();
            false
        }
    };
    report_stack("", Some((HEAP.peak.load(Ordering::Relaxed), HEAP_SIZE)));
    exit(ok)
}
