//! `verify` of a model of more files than one batch of the CLI's pipeline
//! (batch k hashed while batch k+1 is planned, tallied in order): the
//! verdict and the file it names are those of a one-batch run, whichever
//! batch the failure is in, and planning that fails stops the hashing.

use std::path::Path;

use oms_edge::KeyArgs;
use oms_edge::report::{Failure, Outcome, ResourceResult, check_name};
use oms_edge::verify::{Run, key};
use oms_edge_tests::forge::{Res, files_serialization, sign_bundle, statement};
use oms_edge_tests::{testdata, verify_args};

/// More than two batches of [`oms_edge::exec::BATCH`] / 2 (what `verify`
/// plans at a time), and a part batch at the end.
const FILES: usize = oms_edge::exec::BATCH * 3 / 2 + 17;

/// The `i`th file, in manifest order too.
fn name(i: usize) -> String {
    format!("d{:02}/f{i:05}", i / 1000)
}

/// A model of [`FILES`] small files and its signature; returns the
/// signature's path.
fn make(dir: &Path) -> std::path::PathBuf {
    let model = dir.join("model");
    let mut resources = Vec::with_capacity(FILES);
    for i in 0..FILES {
        let n = name(i);
        let path = model.join(&n);
        if i % 1000 == 0 {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        }
        let content = i.to_le_bytes();
        std::fs::write(&path, content).expect("write");
        resources.push(Res::sha256(&n, &content));
    }
    let bundle = sign_bundle(statement(&files_serialization("sha256"), &resources).as_bytes());
    let sig = dir.join("model.sig");
    std::fs::write(&sig, bundle).expect("write");
    sig
}

/// The verdict: `Ok(n)` resources verified, or the failed check and the
/// resource it is about; and how many resources were checked (`--json`).
fn verify(dir: &Path, json: bool) -> (Result<usize, (String, Option<String>)>, usize) {
    let mut common = verify_args(dir.join("model.sig"), dir.join("model"));
    common.json = json;
    let run = key(&KeyArgs {
        public_key: testdata().join("keys/p256.pub.pem"),
        common,
    });
    let Run::Done(report, outcome) = run else {
        panic!("no verdict: {run:?}");
    };
    let checked = report
        .resources
        .iter()
        .filter(|r| !matches!(r, ResourceResult::NotChecked))
        .count();
    let verdict = match outcome {
        Outcome::Verified(v) => Ok(v.resources),
        Outcome::Failed(Failure::Core { error, .. }) => Err((
            check_name(&error).to_owned(),
            error.resource_index().map(name),
        )),
        other => panic!("{other:?}"),
    };
    (verdict, checked)
}

#[test]
fn failures_in_any_batch_are_found_and_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    make(dir);
    let (verdict, checked) = verify(dir, true);
    assert_eq!(verdict, Ok(FILES));
    assert_eq!(checked, FILES);

    // A changed file in the first batch, the second, and the part batch.
    for i in [3, oms_edge::exec::BATCH / 2 + 5, FILES - 2] {
        let path = dir.join("model").join(name(i));
        std::fs::write(&path, b"changed").expect("write");
        let (verdict, checked) = verify(dir, true);
        assert_eq!(
            verdict,
            Err(("model.digest_mismatch".to_owned(), Some(name(i)))),
            "file {i}"
        );
        // Every batch was hashed: planning found nothing wrong.
        assert_eq!(checked, FILES, "file {i}");
        std::fs::write(&path, i.to_le_bytes()).expect("restore");
    }

    // A missing file in the second batch: a planning failure; the first
    // batch (full before it) was hashed, no batch after it was (the
    // missing file counts as checked: it failed).
    let i = oms_edge::exec::BATCH / 2 + 100;
    let path = dir.join("model").join(name(i));
    std::fs::remove_file(&path).expect("remove");
    let (verdict, checked) = verify(dir, true);
    assert_eq!(
        verdict,
        Err(("model.missing_file".to_owned(), Some(name(i))))
    );
    assert_eq!(checked, oms_edge::exec::BATCH / 2 + 1);
    std::fs::write(&path, i.to_le_bytes()).expect("restore");

    // Without --json, the same verdicts.
    assert_eq!(verify(dir, false).0, Ok(FILES));
}
