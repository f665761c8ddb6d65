//! Puts the variant's linker memory map where cortex-m-rt's link.x finds
//! it: memory-sigstore.x with the `sigstore` feature, memory-key.x
//! otherwise. Both are the nRF52840's memory cut to the variant's budgets.
//!
//! It also computes the pinned key's `publicKey.hint` digests
//! (`key_hints.rs`), with the core's own `KeyHints::of`: fw-key passes them
//! to `KeyVerifier::with_hints` and links no DER or PEM encoder.
//!
//! `OMS_EDGE_FW_UNBUDGETED=1` links with the nRF52840's whole memory
//! instead (stack 32 KiB): to measure a build that does not fit its
//! budget. footprint.sh reports the budgets whatever the build used.
use std::{env, fs, path::PathBuf};

const UNBUDGETED: &str = "/* The nRF52840's whole memory (OMS_EDGE_FW_UNBUDGETED=1): for measuring
   a build over its budget. */
MEMORY
{
  FLASH : ORIGIN = 0x00000000, LENGTH = 1024K
  STACK : ORIGIN = 0x20000000, LENGTH = 32K
  RAM   : ORIGIN = 0x20008000, LENGTH = 224K
}

_stack_start = ORIGIN(STACK) + LENGTH(STACK);
_stack_end = ORIGIN(STACK);
";

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let map: &[u8] = if env::var_os("OMS_EDGE_FW_UNBUDGETED").is_some_and(|v| v == "1") {
        UNBUDGETED.as_bytes()
    } else if env::var_os("CARGO_FEATURE_SIGSTORE").is_some() {
        include_bytes!("memory-sigstore.x")
    } else {
        include_bytes!("memory-key.x")
    };
    fs::write(out.join("memory.x"), map).expect("memory.x");
    // cortex-m-rt's `device` feature includes device.x: aliases for the
    // interrupt handlers, which __INTERRUPTS (src/board.rs) names directly.
    fs::write(out.join("device.x"), "/* src/board.rs: __INTERRUPTS */\n").expect("device.x");
    println!("cargo:rerun-if-env-changed=OMS_EDGE_FW_UNBUDGETED");
    let key_path = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("../../testdata/keys/p256.pub.der");
    let der = fs::read(&key_path).expect("the pinned key");
    let key = oms_edge_core::PublicKey::from_spki_der(&der).expect("a P-256 key");
    let hints = oms_edge_core::KeyHints::of(&key).expect("hint digests");
    let pem = hints.pem().expect("a PEM digest");
    fs::write(
        out.join("key_hints.rs"),
        format!(
            "/// The pinned key's hint digests (build.rs).\n\
             pub const KEY_HINTS: oms_edge_core::KeyHints = \
             oms_edge_core::KeyHints::from_digests({pem:?}, {:?});\n",
            hints.der()
        ),
    )
    .expect("key_hints.rs");
    println!("cargo:rerun-if-changed={}", key_path.display());
    // The TUF root the sigstore variant compiles in (the trust state's
    // starting point, src/bin/sigstore.rs): the test repository's with
    // `test-trust`, else OMS_EDGE_TUF_ROOT when set (a root file the
    // builder vetted; run-qemu.sh: Sigstore's v13, for the real 13 -> 15
    // update), else Sigstore's production root the core pins.
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let tuf_root = if env::var_os("CARGO_FEATURE_TEST_TRUST").is_some() {
        manifest.join("../../testdata/tuf/firmware/1.root.json")
    } else if let Some(p) = env::var_os("OMS_EDGE_TUF_ROOT") {
        PathBuf::from(p)
    } else {
        manifest.join("../../core/trust/production.root.json")
    };
    fs::copy(&tuf_root, out.join("tuf_root.json")).expect("the TUF root");
    println!("cargo:rerun-if-env-changed=OMS_EDGE_TUF_ROOT");
    println!("cargo:rerun-if-changed={}", tuf_root.display());
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory-key.x");
    println!("cargo:rerun-if-changed=memory-sigstore.x");
}
