//! Peak heap of a full verification does not grow with the model: a 1 MiB
//! and a 64 MiB model (same layout; testdata/generated, signed by the
//! reference) peak at the same heap, through the core alone and through the
//! CLI's whole path (enumeration, planning, parallel hashing, report).
//!
//! Each measurement runs in its own process (this binary, re-executed with
//! `OMS_HEAP_CASE`), because the allocator's peak is process-wide.

use std::alloc::System;
use std::path::Path;
use std::process::Command;

use cap::Cap;
use oms_edge::KeyArgs;
use oms_edge::report::Outcome;
use oms_edge_core::{KeyVerifier, ModelOptions, PublicKey, Time, Verifier};
use oms_edge_tests::{Pattern, PatternModel, generated_files, testdata, verify_args};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

const SIZES: [(&str, u64); 2] = [("1mib", 1 << 20), ("64mib", 64 << 20)];

fn main() {
    if let Ok(case) = std::env::var("OMS_HEAP_CASE") {
        let model = std::env::var("OMS_HEAP_MODEL").ok();
        child(&case, model.as_deref());
        return;
    }
    // The certificate method allocates (x509-cert, RSA): bounded by the
    // chain, never by the model.
    for case in ["cert-p256", "cert-rsa-root"] {
        let peak = measure(&format!("x509:{case}"), None);
        println!("heap: x509 {case}: 3-certificate chain, bundle to manifest: peak {peak} bytes");
        assert!(
            peak < 64 * 1024,
            "{case}: certificate path peak {peak} bytes >= 64 KiB"
        );
    }

    // The sigstore method: tlog entry, checkpoint, SCT, chain at each
    // observed time, RFC 3161 token; bounded by the bundle.
    for case in ["v1-dsse-model", "v2-dsse-model-tsa"] {
        let peak = measure(&format!("sigstore:{case}"), None);
        println!("heap: sigstore {case}: bundle to manifest: peak {peak} bytes");
        assert!(
            peak < 256 * 1024,
            "{case}: sigstore path peak {peak} bytes >= 256 KiB"
        );
    }

    let tmp = tempfile::tempdir().expect("tempdir");
    let mut peaks = Vec::new();
    for (name, size) in SIZES {
        let model = tmp.path().join(name);
        std::fs::create_dir_all(&model).expect("mkdir");
        for (file, len, seed) in generated_files(size) {
            std::fs::write(model.join(file), Pattern::new(seed, len).to_vec()).expect("write");
        }
        for path in ["core", "cli"] {
            let peak = measure(&format!("{path}:{name}"), Some(&model));
            println!(
                "heap: {path:4} {name:6} model: verification peak {peak} bytes above its inputs"
            );
            peaks.push((path, name, peak));
        }
    }
    let peak = |p: &str, n: &str| {
        peaks
            .iter()
            .find(|x| x.0 == p && x.1 == n)
            .map(|x| x.2)
            .unwrap_or(0)
    };
    assert_eq!(
        peak("core", "1mib"),
        peak("core", "64mib"),
        "core peak grew with the model"
    );
    let (small, large) = (peak("cli", "1mib"), peak("cli", "64mib"));
    // The CLI's peak is workers × 1 MiB buffers plus bookkeeping; allow the
    // scheduler's own small allocations to differ a little.
    assert!(
        large.abs_diff(small) <= 16 * 1024,
        "CLI peak grew with the model: {small} -> {large}"
    );
}

/// Runs one measurement in a child process; returns its peak heap.
fn measure(case: &str, model: Option<&Path>) -> u64 {
    let mut cmd = Command::new(std::env::current_exe().expect("exe"));
    cmd.env("OMS_HEAP_CASE", case).env("RAYON_NUM_THREADS", "2");
    if let Some(m) = model {
        cmd.env("OMS_HEAP_MODEL", m);
    }
    let out = cmd.output().expect("run child");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{case} failed: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.trim()
        .strip_prefix("peak=")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("child said {text:?}"))
}

fn child(case: &str, model: Option<&str>) {
    let (path, name) = case.split_once(':').expect("path:name");
    if path == "x509" {
        return x509_child(name);
    }
    if path == "sigstore" {
        return sigstore_child(name);
    }
    let size = SIZES.iter().find(|s| s.0 == name).expect("size").1;
    let bundle_path = testdata().join("generated").join(format!("{name}.sig"));
    let key_path = testdata().join("keys/p256.pub.pem");
    // Heap held before verifying (paths, inputs) stays allocated throughout;
    // the setup has no transient larger than the verification, so the
    // verification's own peak is the process peak above this base.
    let base;
    match path {
        "core" => {
            // Fixed-size input buffers, so that the two bundles (which differ
            // by a few bytes of base64) cost the same.
            let mut bundle = Vec::with_capacity(64 * 1024);
            std::io::Read::read_to_end(
                &mut std::fs::File::open(&bundle_path).expect("bundle"),
                &mut bundle,
            )
            .expect("read bundle");
            assert!(bundle.len() < 64 * 1024);
            let key =
                PublicKey::from_pem_or_der(&std::fs::read(&key_path).expect("key")).expect("key");
            let mut payload = vec![0u8; 64 * 1024];
            let mut buf = vec![0u8; 1 << 20];
            let files = generated_files(size);
            let verifier = KeyVerifier::new(key);
            base = ALLOCATOR.allocated();
            let verified = verifier
                .verify(&bundle, Time::NoClock, &mut payload)
                .expect("verified");
            let v = verified
                .manifest()
                .verify_model(
                    &mut PatternModel::new(&files),
                    ModelOptions::default(),
                    &mut buf,
                )
                .expect("verified");
            assert_eq!(v.bytes, size + 100);
        }
        _ => {
            let model = Path::new(model.expect("model dir"));
            let args = KeyArgs {
                public_key: key_path,
                common: verify_args(bundle_path, model.to_path_buf()),
            };
            base = ALLOCATOR.allocated();
            let run = oms_edge::verify::key(&args);
            assert!(
                matches!(run.outcome(), Some(Outcome::Verified(_))),
                "{run:?}"
            );
        }
    }
    println!("peak={}", ALLOCATOR.max_allocated() - base);
}

/// Peak heap of the certificate method for a vector: root -> intermediate
/// -> leaf, from bundle bytes to the verified manifest (trust store and
/// inputs excluded).
fn x509_child(name: &str) {
    use oms_edge_core::{CertificateVerifier, TrustStore};
    let case = oms_edge_tests::Case::load(name);
    let bundle = std::fs::read(&case.signature).expect("bundle");
    let mut store = TrustStore::new();
    for c in &case.chain {
        store
            .add_pem(&std::fs::read(c).expect("chain"))
            .expect("pem");
    }
    let mut payload = vec![0u8; bundle.len()];
    let at = Time::at_secs(1_780_272_000); // 2026-06-01T00:00:00Z, as the vectors
    let verifier = CertificateVerifier::new(store);
    let base = ALLOCATOR.allocated();
    let v = verifier
        .verify(&bundle, at, &mut payload)
        .expect("verified");
    assert_eq!(v.manifest().len(), 4);
    println!("peak={}", ALLOCATOR.max_allocated() - base);
}

/// Peak heap of one Sigstore verification, bundle bytes to the verified
/// manifest (the parsed trusted root and the inputs excluded).
fn sigstore_child(name: &str) {
    use oms_edge_core::{IdentityPolicy, SigstoreVerifier, TrustedRoot};
    let dir = testdata().join("sigstore");
    let trust = TrustedRoot::parse(&std::fs::read(dir.join("trusted_root.json")).expect("root"))
        .expect("trusted root");
    let bundle =
        std::fs::read(dir.join("cases").join(name).join("bundle.sigstore.json")).expect("bundle");
    let mut payload = vec![0u8; bundle.len()];
    let policy = IdentityPolicy::exact("signer@example.com", "https://oidc.example.com");
    let verifier = SigstoreVerifier::new(&trust, policy);
    let now = Time::at_secs(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs(),
    );
    let base = ALLOCATOR.allocated();
    let v = verifier
        .verify(&bundle, now, &mut payload)
        .expect("verified");
    assert_eq!(v.manifest().len(), 4);
    assert!(!v.evidence().times().is_empty());
    drop(v);
    println!("peak={}", ALLOCATOR.max_allocated() - base);
}
