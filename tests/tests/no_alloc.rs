//! The whole model-streaming path allocates nothing.
//!
//! A global allocator whose limit is set to what is already allocated makes
//! any further allocation fail (and the process abort). Under that limit the
//! core parses the key, authenticates the bundle, parses the manifest and
//! streams a 1 MiB model (generated on the fly, never held in memory)
//! through a fixed buffer, for a verified model and for failing ones. The
//! allocator's running total must not move either.
//!
//! `harness = false`: one test per process, no harness threads allocating.

use std::alloc::System;

use cap::Cap;
use oms_edge_core::{
    DsseError, Error, KeyVerifier, ModelError, ModelOptions, ModelSource, PublicKey, Time,
    VerifiedModel, Verifier,
};
use oms_edge_tests::{PatternModel, generated_files, testdata};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Verifies the bundle, then streams the model: the whole key method.
fn verify_key_model<S: ModelSource>(
    bundle: &[u8],
    verifier: &KeyVerifier,
    payload: &mut [u8],
    source: &mut S,
    opts: ModelOptions,
    buf: &mut [u8],
) -> Result<VerifiedModel, Error> {
    let verified = verifier.verify(bundle, Time::NoClock, payload)?;
    Ok(verified.manifest().verify_model(source, opts, buf)?)
}

fn main() {
    let dir = testdata().join("generated");
    let bundle = std::fs::read(dir.join("1mib.sig")).expect("1mib.sig");
    let key_pem = std::fs::read(testdata().join("keys/p256.pub.pem")).expect("key");
    let mut tampered_bundle = bundle.clone();
    // Flip one base64 character of the signature: still valid base64.
    let key_at = find(&tampered_bundle, b"\"sig\"").expect("sig");
    // 30 characters in: inside the DER integer r, so the encoding stays valid.
    let sig_at = key_at + 6 + find(&tampered_bundle[key_at + 6..], b"\"").expect("sig value") + 30;
    tampered_bundle[sig_at] = if tampered_bundle[sig_at] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let mut payload = vec![0u8; bundle.len()];
    let mut buf = vec![0u8; 64 * 1024];
    let files = generated_files(1 << 20);
    let mut wrong_seed = files;
    wrong_seed[1].2 = 99;

    // The allocator does see allocations (so the check below can fail).
    let seen = ALLOCATOR.total_allocated();
    let probe = std::hint::black_box(vec![7u8; 100]);
    assert!(ALLOCATOR.total_allocated() >= seen + 100);
    drop(probe);

    let total_before = ALLOCATOR.total_allocated();
    ALLOCATOR.set_limit(ALLOCATOR.allocated()).expect("limit");
    // ---- nothing below may allocate ------------------------------------------
    let key = PublicKey::from_pem_or_der(&key_pem);
    let ok = key.map(|key| {
        let key = KeyVerifier::new(key);
        let opts = ModelOptions::default();
        let good = verify_key_model(
            &bundle,
            &key,
            &mut payload,
            &mut PatternModel::new(&files),
            opts,
            &mut buf,
        );
        let tampered = verify_key_model(
            &bundle,
            &key,
            &mut payload,
            &mut PatternModel::new(&wrong_seed),
            opts,
            &mut buf,
        );
        let bad_sig = verify_key_model(
            &tampered_bundle,
            &key,
            &mut payload,
            &mut PatternModel::new(&files),
            opts,
            &mut buf,
        );
        (good, tampered, bad_sig)
    });
    // ---- end ------------------------------------------------------------------
    ALLOCATOR.set_limit(usize::MAX).expect("limit");
    let total_after = ALLOCATOR.total_allocated();

    let (good, tampered, bad_sig) = ok.expect("key parses");
    let verified = good.expect("the 1 MiB model verifies");
    assert_eq!(verified.bytes, (1 << 20) + 100);
    assert!(matches!(
        tampered,
        Err(Error::Model {
            index: 1,
            cause: ModelError::DigestMismatch { .. }
        })
    ));
    assert_eq!(bad_sig, Err(Error::Dsse(DsseError::BadSignature)));
    assert_eq!(total_after, total_before, "the verification allocated");
    println!(
        "no_alloc: key parse, bundle, manifest and {} streamed bytes (plus two failing runs): 0 allocations",
        verified.bytes
    );
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
