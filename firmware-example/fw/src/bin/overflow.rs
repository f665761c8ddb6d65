//! The stack guard, shown (and, first, the board's 64-bit division
//! checked: `DIVIDE ok`): this firmware recurses until the stack runs
//! out. It must end in the HardFault handler (`HARDFAULT stack overflow`),
//! never print `SURVIVED`: the stack is the lowest region of RAM (see
//! memory-key.x), so running past its end faults instead of overwriting
//! the statics above it.

#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use oms_edge_fw::board::{Line, exit, say, stack};

/// A static the overflow would reach first on a conventional layout
/// (statics at the bottom of RAM, the stack growing down onto them).
static mut GUARD: [u32; 4] = [0x600d_600d; 4];

#[inline(never)]
fn recurse(depth: u32) -> u32 {
    let mut frame = [0u8; 256];
    black_box(&mut frame);
    frame[0] = depth as u8;
    if black_box(depth) == u32::MAX {
        return u32::from(frame[1]);
    }
    recurse(depth + 1).wrapping_add(u32::from(frame[0]))
}

/// The board's hand-written 64-bit division (`__aeabi_uldivmod`, in
/// src/board.rs) against known quotients and remainders; true when all
/// hold. The operands go through `black_box` so that the compiler calls it.
fn division_holds() -> bool {
    const CASES: [(u64, u64, u64, u64); 6] = [
        (1_748_858_424, 10, 174_885_842, 4),
        (u64::MAX, 10, 1_844_674_407_370_955_161, 5),
        (u64::MAX, u64::MAX, 1, 0),
        (u64::MAX, (1 << 63) + 1, 1, (1 << 63) - 2),
        (
            0x1234_5678_9abc_def0,
            0x1_0000_0001,
            0x1234_5678,
            0x8888_8878,
        ),
        (7, 9, 0, 7),
    ];
    CASES.iter().all(|&(n, d, q, r)| {
        let (n, d) = (black_box(n), black_box(d));
        n / d == q && n % d == r
    })
}

#[entry]
fn main() -> ! {
    say(if division_holds() {
        "DIVIDE ok\n"
    } else {
        "DIVIDE wrong\n"
    });
    let (bottom, top) = stack::bounds();
    Line::new("OVERFLOW stack ")
        .word(bottom as u32)
        .s("..")
        .word(top as u32)
        .s("; recursing")
        .print();
    let r = black_box(recurse(0));
    // Never reached.
    // SAFETY: a read of a static nothing else touches.
    let guard = unsafe { core::ptr::read_volatile(core::ptr::addr_of!(GUARD)) };
    Line::new("SURVIVED ")
        .u(u64::from(r))
        .s(" guard ")
        .word(guard[0])
        .print();
    say("SURVIVED\n");
    exit(false)
}
