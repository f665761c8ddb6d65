//! The heap of a `no_std` build with the certificate or sigstore method:
//! the C firmware provides it (feature `alloc-hook`).
//!
//! ```c
//! void *oms_edge_alloc(size_t size, size_t align); /* NULL when out of memory */
//! void oms_edge_free(void *ptr, size_t size, size_t align);
//! ```
//!
//! Peak use is bounded by the bundle (under 23 KiB for the certificate and
//! sigstore methods: README), never by the model. A firmware with a
//! static arena can serve it with any allocator (TLSF, a bump allocator
//! reset after each verification, its RTOS's heap).

use core::alloc::{GlobalAlloc, Layout};

#[allow(unsafe_code)]
unsafe extern "C" {
    fn oms_edge_alloc(size: usize, align: usize) -> *mut u8;
    fn oms_edge_free(ptr: *mut u8, size: usize, align: usize);
}

struct CHeap;

#[allow(unsafe_code)]
// SAFETY: forwards to the C functions, whose contract (docs/c.md) is
// `malloc`'s with an alignment: a block of at least `size` bytes aligned
// to `align`, or null; `free` of a block `alloc` returned.
unsafe impl GlobalAlloc for CHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { oms_edge_alloc(layout.size(), layout.align()) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: see the impl.
        unsafe { oms_edge_free(ptr, layout.size(), layout.align()) }
    }
}

#[global_allocator]
#[allow(unsafe_code)]
static HEAP: CHeap = CHeap;
