//! Replays every fuzz target's body over its committed seeds
//! (`fuzz/seeds/<target>/`) and every crash ever found
//! (`fuzz/regressions/<target>/`), on the stable toolchain.

use std::path::Path;

use oms_edge_tests::fuzz_bodies;

fn replay(target: &str, body: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let path = e.expect("entry").path();
            let data = std::fs::read(&path).expect("read");
            body(&data);
            // Truncations and one-byte edits of every seed too.
            for cut in [0, 1, data.len() / 2, data.len().saturating_sub(1)] {
                body(&data[..cut.min(data.len())]);
            }
            n += 1;
        }
    }
    n
}

#[test]
fn json() {
    assert!(replay("json", fuzz_bodies::json) >= 5);
}

#[test]
fn bundle() {
    assert!(replay("bundle", fuzz_bodies::bundle) >= 2);
}

#[test]
fn statement() {
    assert!(replay("statement", fuzz_bodies::statement) >= 4);
}

#[test]
fn keys() {
    assert!(replay("keys", fuzz_bodies::keys) >= 3);
}

#[test]
fn verify() {
    assert!(replay("verify", fuzz_bodies::verify) >= 2);
}

#[test]
fn certificate() {
    assert!(replay("certificate", fuzz_bodies::certificate) >= 4);
}

#[test]
fn trust_root() {
    assert!(replay("trust_root", fuzz_bodies::trust_root) >= 2);
}

#[test]
fn checkpoint() {
    assert!(replay("checkpoint", fuzz_bodies::checkpoint) >= 8);
}

#[test]
fn inclusion_proof() {
    assert!(replay("inclusion_proof", fuzz_bodies::inclusion_proof) >= 4);
}

#[test]
fn sigstore() {
    assert!(replay("sigstore", fuzz_bodies::sigstore) >= 6);
}

#[test]
fn tuf() {
    assert!(replay("tuf", fuzz_bodies::tuf) >= 12);
}

#[test]
fn asn1() {
    assert!(replay("asn1", fuzz_bodies::asn1) >= 6);
}
