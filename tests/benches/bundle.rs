//! The cost of verifying a bundle alone, no model bytes: from the bundle's
//! bytes to the authenticated manifest (JSON, DSSE signature, statement and
//! manifest rules; X.509 path; Sigstore log proofs, SCTs, timestamps).
//! What every verification pays before hashing starts.
//!
//!     cargo bench -p oms-edge-tests --bench bundle
//!
//! Inputs are the committed vectors (testdata/sample, testdata/vectors,
//! testdata/sigstore), plus a key-signed manifest of 4000 resources (the
//! benchmark's many-small-files model) made here with the test key.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use oms_edge_core::{
    CertificateVerifier, Error, IdentityPolicy, KeyVerifier, PublicKey, SigstoreVerifier, Time,
    TrustStore, TrustedRoot, Verifier,
};
use oms_edge_tests::forge::{Res, files_serialization, sign_bundle, statement};
use oms_edge_tests::{Case, testdata};

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn unix(rfc3339: &str) -> Time {
    let t = humantime::parse_rfc3339(rfc3339).expect("RFC 3339");
    Time::at_secs(
        t.duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs(),
    )
}

fn now() -> Time {
    Time::at_secs(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// The key method on `bundle`, counting resources (so that the manifest is
/// walked once, as the planner does).
fn key_once(bundle: &[u8], key: &KeyVerifier, payload: &mut [u8]) -> Result<usize, Error> {
    let v = key.verify(bundle, Time::NoClock, payload)?;
    Ok(v.manifest().len())
}

fn key_method(c: &mut Criterion) {
    let mut g = c.benchmark_group("key");
    let sample = testdata().join("sample");
    let cases = [
        (
            "p256 (sample)",
            read(&sample.join("model.sig")),
            read(&sample.join("key.pub")),
        ),
        (
            "p384",
            read(&Case::load("key-p384").signature),
            read(&Case::load("key-p384").key),
        ),
        (
            "p521",
            read(&Case::load("key-p521").signature),
            read(&Case::load("key-p521").key),
        ),
    ];
    for (name, bundle, key) in &cases {
        let key = KeyVerifier::new(PublicKey::from_pem_or_der(key).expect("key"));
        let mut payload = vec![0u8; bundle.len()];
        key_once(bundle, &key, &mut payload).expect("verifies");
        g.bench_function(*name, |b| {
            b.iter(|| key_once(black_box(bundle), &key, &mut payload))
        });
    }

    // A manifest of 4000 files (the benchmark's many-small-files model).
    let resources: Vec<Res> = (0..4000)
        .map(|i| Res::sha256(&format!("dir{:02}/part{i:05}.bin", i % 16), &[]))
        .collect();
    let mut resources = resources;
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    let bundle = sign_bundle(statement(&files_serialization("sha256"), &resources).as_bytes());
    let key = KeyVerifier::new(oms_edge_tests::forge::public_key());
    let mut payload = vec![0u8; bundle.len()];
    assert_eq!(key_once(&bundle, &key, &mut payload), Ok(4000));
    g.bench_function("p256, 4000 resources", |b| {
        b.iter(|| key_once(black_box(&bundle), &key, &mut payload))
    });
    g.finish();
}

fn certificate_method(c: &mut Criterion) {
    let mut g = c.benchmark_group("certificate");
    for (name, case) in [
        ("p256 3-level", "cert-p256"),
        ("p384 3-level", "cert-p384"),
        ("rsa-4096 root", "cert-rsa-root"),
    ] {
        let case = Case::load(case);
        let bundle = read(&case.signature);
        let mut store = TrustStore::new();
        for p in &case.chain {
            store.add_pem(&read(p)).expect("chain");
        }
        let at = unix(case.at.as_deref().expect("at"));
        let verifier = CertificateVerifier::new(store);
        let mut payload = vec![0u8; bundle.len()];
        verifier
            .verify(&bundle, at, &mut payload)
            .expect("verifies");
        g.bench_function(name, |b| {
            b.iter(|| {
                verifier
                    .verify(black_box(&bundle), at, &mut payload)
                    .map(|v| v.manifest().len())
            })
        });
    }
    g.finish();
}

fn sigstore_method(c: &mut Criterion) {
    let mut g = c.benchmark_group("sigstore");
    let dir = testdata().join("sigstore");
    let root_bytes = read(&dir.join("trusted_root.json"));
    g.bench_function("trusted root parse", |b| {
        b.iter(|| TrustedRoot::parse_any(black_box(&root_bytes)).map(|_| ()))
    });
    let trust = TrustedRoot::parse_any(&root_bytes).expect("trusted root");
    let policy = IdentityPolicy::exact("signer@example.com", "https://oidc.example.com");
    let verifier = SigstoreVerifier::new(&trust, policy);
    for (name, case) in [
        ("rekor v1 dsse", "v1-dsse-model"),
        ("rekor v2 + rfc3161", "v2-dsse-model-tsa"),
    ] {
        let bundle = read(&dir.join("cases").join(case).join("bundle.sigstore.json"));
        let mut payload = vec![0u8; bundle.len()];
        let now = now();
        verifier
            .verify(&bundle, now, &mut payload)
            .expect("verifies");
        g.bench_function(name, |b| {
            b.iter(|| {
                verifier
                    .verify(black_box(&bundle), now, &mut payload)
                    .map(|v| v.manifest().len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, key_method, certificate_method, sigstore_method);
criterion_main!(benches);
