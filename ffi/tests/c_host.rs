//! Builds the C test program (`ffi/c/host_test.c`) with `cc` against the
//! static library this `cargo test` built, under AddressSanitizer and
//! UBSan, and runs it: the C API from C.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `liboms_edge.a` of this build (next to the test binary's `deps/`).
fn archive() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary");
    let deps = exe.parent().expect("deps dir");
    let newest = std::fs::read_dir(deps)
        .expect("deps")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("liboms_edge-") && n.ends_with(".a"))
        })
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    newest.expect("liboms_edge-*.a in target/<profile>/deps")
}

#[test]
#[cfg(target_os = "linux")]
fn c_program_against_the_static_library() {
    let ffi = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("host_test");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let status = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g"])
        .args(["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"])
        .arg("-I")
        .arg(ffi.join("include"))
        .arg(ffi.join("c/host_test.c"))
        .arg(archive())
        // What Rust's std needs when linked statically on Linux (`cargo
        // rustc -- --print native-static-libs`).
        .args(["-lgcc_s", "-lutil", "-lrt", "-lpthread", "-lm", "-ldl", "-lc"])
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
