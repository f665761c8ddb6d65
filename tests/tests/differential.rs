//! The differential sample of `testdata/differential` (made by
//! `testdata/differential.py`: random models signed by model_signing 1.1.1
//! through its API, then tampered, each expectation checked against the
//! reference first): every model verifies through `oms-edge verify key`,
//! every variant meant to verify does, and every tampered one is refused
//! by one of the checks its description lists.
//!
//! `OMS_EDGE_DIFFERENTIAL=DIR` replays another sample of the script (a
//! larger `--count`, another `--seed`) instead of the committed one.

use std::path::{Path, PathBuf};

use oms_edge::KeyArgs;
use oms_edge::report::{Failure, Outcome, check_name};
use oms_edge::verify::key;
use oms_edge_tests::{copy_dir, testdata, verify_args};
use serde_json::Value;

fn sample_dir() -> PathBuf {
    std::env::var_os("OMS_EDGE_DIFFERENTIAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| testdata().join("differential"))
}

/// `oms-edge verify key` on `model`: `Ok(())` or the failed check's name.
fn verify(key_path: &Path, sig: &Path, model: &Path) -> Result<(), String> {
    let run = key(&KeyArgs {
        public_key: key_path.to_path_buf(),
        common: verify_args(sig.to_path_buf(), model.to_path_buf()),
    });
    match run.outcome() {
        Some(Outcome::Verified(_)) => Ok(()),
        Some(Outcome::Failed(Failure::Core { error, .. })) => Err(check_name(error).to_owned()),
        Some(Outcome::Failed(Failure::Walk { check, .. })) => Err((*check).to_owned()),
        None => Err(format!("usage error: {run:?}")),
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Applies one tamper description of `testdata/differential.py` to `model`.
fn apply(t: &Value, model: &Path) {
    let p = model.join(t["path"].as_str().expect("path"));
    match t["op"].as_str().expect("op") {
        "flip" => {
            let mut data = std::fs::read(&p).expect("read");
            data[t["offset"].as_u64().expect("offset") as usize] ^= 1;
            std::fs::write(&p, data).expect("write");
        }
        "truncate" => {
            let data = std::fs::read(&p).expect("read");
            std::fs::write(&p, &data[..t["len"].as_u64().expect("len") as usize]).expect("write");
        }
        "append" => {
            let mut data = std::fs::read(&p).expect("read");
            data.extend(hex(t["data"].as_str().expect("data")));
            std::fs::write(&p, data).expect("write");
        }
        "add" => {
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, hex(t["data"].as_str().expect("data"))).expect("write");
        }
        "remove" => std::fs::remove_file(&p).expect("remove"),
        "rename" => std::fs::rename(&p, model.join(t["to"].as_str().expect("to"))).expect("rename"),
        "link" => {
            std::fs::remove_file(&p).expect("remove");
            std::os::unix::fs::symlink(t["target"].as_str().expect("target"), &p).expect("link");
        }
        op => panic!("unknown op {op}"),
    }
}

#[test]
fn differential_sample_replays() {
    let dir = sample_dir();
    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("sample")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("case.json").exists())
        .collect();
    models.sort();
    let (mut verified, mut tampered, mut kept) = (0, 0, 0);
    let mut failures = Vec::new();
    for m in &models {
        let case: Value =
            serde_json::from_slice(&std::fs::read(m.join("case.json")).expect("case"))
                .expect("JSON");
        let key_path = testdata().join(case["key"].as_str().expect("key"));
        let sig = m.join(case["signature"].as_str().expect("signature"));
        let model = case["model"].as_str().expect("model");
        let id = m
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        match verify(&key_path, &sig, &m.join(model)) {
            Ok(()) => verified += 1,
            Err(e) => failures.push(format!("{id}: the signed model is refused: {e}")),
        }
        for t in case["tampers"].as_array().expect("tampers") {
            let tmp = tempfile::tempdir().expect("tempdir");
            let copy = tmp.path().join("m");
            copy_dir(m, &copy);
            apply(t, &copy.join(model));
            let got = verify(&key_path, &sig, &copy.join(model));
            let checks: Vec<&str> = t["checks"]
                .as_array()
                .expect("checks")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            match (t["expect"].as_str().expect("expect"), got) {
                ("verified", Ok(())) => kept += 1,
                ("not verified", Err(check)) if checks.contains(&check.as_str()) => tampered += 1,
                (want, got) => {
                    failures.push(format!("{id}: {t}: want {want} {checks:?}, got {got:?}"))
                }
            }
        }
    }
    println!(
        "differential sample {}: {verified} models verified, {tampered} tampered variants \
         refused, {kept} changes in ignored paths accepted",
        dir.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if std::env::var_os("OMS_EDGE_DIFFERENTIAL").is_none() {
        assert!(verified >= 30 && tampered >= 100, "sample too small");
    }
}
