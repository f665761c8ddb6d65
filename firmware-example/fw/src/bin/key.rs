//! Key variant: a compiled-in public key, no heap at all (no global
//! allocator is linked). Anti-rollback on the model's signed VERSION file.

#![no_std]
#![no_main]

use cortex_m_rt::entry;
use oms_edge_core::{KeyVerifier, PublicKey};

include!(concat!(env!("OUT_DIR"), "/key_hints.rs"));
use oms_edge_fw::board::{exit, say};
use oms_edge_fw::{report_stack, run, take_bufs};

/// The pinned key: the repository's P-256 test key (DER SPKI). A product
/// compiles in its own.
const KEY: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/keys/p256.pub.der"
));

#[entry]
fn main() -> ! {
    // SAFETY: the only call.
    #[allow(unsafe_code)]
    let mut bufs = unsafe { take_bufs() };
    let ok = match PublicKey::from_spki_der(KEY) {
        // A key has no validity period: the key method needs no clock.
        Ok(key) => run(&KeyVerifier::with_hints(key, KEY_HINTS), &mut bufs),
        Err(_) => {
            say("ERROR pinned key\n");
            false
        }
    };
    report_stack("", None);
    exit(ok)
}
