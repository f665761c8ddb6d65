//! Key variant: a compiled-in public key, no heap at all (no global
//! allocator is linked). Anti-rollback on the model's signed VERSION file.

#![no_std]
#![no_main]

use cortex_m_rt::entry;
use oms_edge_core::{KeyVerifier, PublicKey, Time};
use oms_edge_fw::{exit, line, run, stack, take_bufs};

/// The pinned key: the repository's P-256 test key (DER SPKI). A product
/// compiles in its own.
const KEY: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/keys/p256.pub.der"
));

#[entry]
fn main() -> ! {
    stack::paint();
    let mut bufs = take_bufs();
    let ok = match PublicKey::from_spki_der(KEY) {
        // A key has no validity period: the key method needs no clock.
        Ok(key) => run(&KeyVerifier::new(key), Time::NoClock, &mut bufs),
        Err(e) => {
            line(format_args!(
                "REFUSED key: the pinned key does not parse ({e:?})"
            ));
            false
        }
    };
    line(format_args!(
        "STACK peak {} of {} bytes; buffers {} bytes; heap none",
        stack::peak(),
        stack::size(),
        bufs.len()
    ));
    exit(ok)
}
