//! `verify` of a model of more files than one batch of the CLI's pipeline
//! (batch k hashed while batch k+1 is planned, tallied in order): the
//! verdict and the file it names are those of a one-batch run, whichever
//! batch the failure is in, and planning that fails stops the hashing.

use std::path::Path;

use oms_edge::KeyArgs;
use oms_edge::report::{Failure, Outcome, Report, ResourceResult, check_name};
use oms_edge::verify::{Run, key};
use oms_edge_tests::forge::{Res, files_serialization, hex, sign_bundle, statement};
use oms_edge_tests::{testdata, verify_args};
use sha2::{Digest as _, Sha256};

/// More than two batches of [`oms_edge::exec::BATCH`] / 2 (what `verify`
/// plans at a time), and a part batch at the end.
const FILES: usize = oms_edge::exec::BATCH * 3 / 2 + 17;

/// The `i`th file, in manifest order too.
fn name(i: usize) -> String {
    format!("d{:02}/f{i:05}", i / 1000)
}

/// Writes `files` small files under `dir/model` (the `i`th holds `i`'s
/// bytes) and `dir/model.sig`, a bundle of `serialization` whose resources
/// `resource` makes from each name and content.
fn make_with(dir: &Path, files: usize, serialization: &str, resource: impl Fn(&str, &[u8]) -> Res) {
    let model = dir.join("model");
    let mut resources = Vec::with_capacity(files);
    for i in 0..files {
        let n = name(i);
        let path = model.join(&n);
        if i % 1000 == 0 {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        }
        let content = i.to_le_bytes();
        std::fs::write(&path, content).expect("write");
        resources.push(resource(&n, &content));
    }
    let bundle = sign_bundle(statement(serialization, &resources).as_bytes());
    std::fs::write(dir.join("model.sig"), bundle).expect("write");
}

/// A model of [`FILES`] small files, signed with the files method.
fn make(dir: &Path) {
    make_with(dir, FILES, &files_serialization("sha256"), Res::sha256);
}

/// `oms-edge verify key` of `dir/model`: the report and the outcome.
fn run(dir: &Path, json: bool) -> (Box<Report>, Outcome) {
    let mut common = verify_args(dir.join("model.sig"), dir.join("model"));
    common.model.json = json;
    match key(&KeyArgs {
        public_key: testdata().join("keys/p256.pub.pem"),
        common,
    }) {
        Run::Done(report, outcome) => (report, outcome),
        other => panic!("no verdict: {other:?}"),
    }
}

/// The verdict: `Ok(n)` resources verified, or the failed check and the
/// resource it is about; and how many resources were checked (`--json`).
fn verify(dir: &Path, json: bool) -> (Result<usize, (String, Option<String>)>, usize) {
    let (report, outcome) = run(dir, json);
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

/// A file grown past its last signed shard, where that shard's job ends
/// the first batch: planning finds it when it reaches the next file, after
/// that batch was handed to hashing; the resource's standing in `--json`
/// is the planning failure the verdict names, not its shard's passing
/// hash.
#[test]
fn a_planning_failure_outlives_its_batch_hashing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let files = oms_edge::exec::BATCH / 2 + 10;
    let serialization =
        r#"{"method":"shards","hash_type":"sha256","shard_size":16,"allow_symlinks":false}"#;
    make_with(dir, files, serialization, |n, content| Res {
        name: format!("{n}:0:{}", content.len()),
        algorithm: "sha256-sharded-16".to_owned(),
        digest: hex(&Sha256::digest(content)),
    });
    assert_eq!(verify(dir, true).0, Ok(files));

    let last_of_first_batch = oms_edge::exec::BATCH / 2 - 1;
    let mut grown = last_of_first_batch.to_le_bytes().to_vec();
    grown.push(0);
    std::fs::write(dir.join("model").join(name(last_of_first_batch)), grown).expect("write");
    let (report, outcome) = run(dir, true);
    let Outcome::Failed(Failure::Core { error, .. }) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(check_name(&error), "model.size_mismatch");
    assert_eq!(error.resource_index(), Some(last_of_first_batch));
    match report.resources[last_of_first_batch] {
        ResourceResult::Failed(e) => assert_eq!(e, error),
        other => panic!("its standing is {other:?}"),
    }
}
