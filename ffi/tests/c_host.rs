//! Builds the C test program (`ffi/c/host_test.c`) with `cc` against the
//! static library this `cargo test` built, under AddressSanitizer and
//! UBSan, and runs it: the C API from C.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `liboms_edge.a` built from this source tree. `cargo test` builds a
/// `staticlib`-only library for no test target (nothing links it), so the
/// test builds it itself, with the same cargo and lock file, into a target
/// dir of its own (the test run holds the workspace's): the first run
/// compiles the library (about a minute in debug), later runs are
/// incremental, and an archive left over from an older `cargo build` is
/// never picked up.
fn archive() -> PathBuf {
    let ffi = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("liboms_edge");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args([
            "build",
            "--locked",
            "--quiet",
            "-p",
            "oms-edge-ffi",
            "--manifest-path",
        ])
        .arg(ffi.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .expect("run cargo build -p oms-edge-ffi");
    assert!(status.success(), "cargo build -p oms-edge-ffi failed");
    let lib = target.join("debug/liboms_edge.a");
    assert!(lib.is_file(), "{} not built", lib.display());
    lib
}

#[test]
#[cfg(target_os = "linux")]
fn c_program_against_the_static_library() {
    let ffi = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("host_test");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let status = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g"])
        .args([
            "-fsanitize=address,undefined",
            "-fno-sanitize-recover=undefined",
        ])
        .arg("-I")
        .arg(ffi.join("include"))
        .arg(ffi.join("c/host_test.c"))
        .arg(archive())
        // What Rust's std needs when linked statically on Linux (`cargo
        // rustc -- --print native-static-libs`).
        .args([
            "-lgcc_s",
            "-lutil",
            "-lrt",
            "-lpthread",
            "-lm",
            "-ldl",
            "-lc",
        ])
        .arg("-o")
        .arg(&out)
        .status()
        .expect("cc runs");
    assert!(status.success(), "cc failed");
    let run = Command::new(&out)
        .arg(ffi.join("../testdata"))
        .output()
        .expect("host_test runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "host_test failed");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
