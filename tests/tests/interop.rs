//! Issue 12's vectors that no directory on disk can hold: a shard whose
//! path is 4093 bytes, so that `path:start:end` is longer than the
//! 4096-byte name bound. The reference signed it from inside the model
//! (`testdata/generate_interop.py`); an absolute path to it would pass
//! Linux's PATH_MAX, so the model is rebuilt in memory from `pattern`.

use oms_edge_core::limits::MAX_NAME_BYTES;
use oms_edge_core::{KeyVerifier, ModelOptions, PublicKey, SliceModel, Time, Verifier};
use oms_edge_tests::{Pattern, testdata};
use serde_json::Value;

#[test]
fn shard_names_over_the_bound_whose_paths_are_under_it_verify() {
    let dir = testdata().join("generated");
    let info: Value = serde_json::from_slice(
        &std::fs::read(dir.join("shard-long-path.json")).expect("description"),
    )
    .expect("JSON");
    let bundle = std::fs::read(dir.join("shard-long-path.sig")).expect("bundle");
    let key = PublicKey::from_pem_or_der(
        &std::fs::read(testdata().join(info["key"].as_str().expect("key"))).expect("key"),
    )
    .expect("key");
    let files: Vec<(String, Vec<u8>)> = info["files"]
        .as_object()
        .expect("files")
        .iter()
        .map(|(name, f)| {
            let (size, seed) = (f["size"].as_u64().unwrap(), f["seed"].as_u64().unwrap());
            (name.clone(), Pattern::new(seed, size).to_vec())
        })
        .collect();
    let mut payload = vec![0u8; bundle.len()];
    let verified = KeyVerifier::new(key)
        .verify(&bundle, Time::NoClock, &mut payload)
        .expect("the manifest is accepted");
    let manifest = verified.manifest();
    // Every name is past the bound, every path within it.
    let mut path_buf = vec![0u8; MAX_NAME_BYTES];
    for r in manifest.resources() {
        assert!(r.name.bytes().count() > MAX_NAME_BYTES);
        assert!(r.path(&mut path_buf).expect("path").len() <= MAX_NAME_BYTES);
    }
    assert_eq!(manifest.len(), 3);
    let slices: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let mut listed = vec![false; slices.len()];
    let mut source = SliceModel::new(&slices, &mut listed);
    let mut buf = [0u8; 256];
    let verified = manifest
        .verify_model(&mut source, ModelOptions::default(), &mut buf)
        .expect("the model verifies");
    assert_eq!(verified.resources, 3);
    assert_eq!(verified.bytes, 25);
}
