//! The `oms-edge` binary as users and scripts see it: exit codes, the one
//! failure line, the JSON document, the reference's flag spellings, and the
//! enumeration rules (ignores, symlinks, names) on real directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{copy_dir, testdata};

fn vector(name: &str) -> PathBuf {
    testdata().join("vectors").join(name)
}

fn key() -> PathBuf {
    testdata().join("keys/p256.pub.pem")
}

fn oms(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oms-edge"))
        .args(args)
        .output()
        .expect("run oms-edge")
}

fn verify_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oms-edge"))
        .current_dir(dir)
        .args(["verify", "key"])
        .args(args)
        .output()
        .expect("run oms-edge")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Verifies `model` (a path) against vector `case`'s bundle with `extra`.
fn verify_case(case: &str, model: &Path, extra: &[&str]) -> Output {
    let sig = vector(case).join("model.sig");
    let key = key();
    let mut args = vec![
        "verify",
        "key",
        "--quiet",
        "--public-key",
        s(&key),
        "--signature",
        s(&sig),
    ];
    args.extend_from_slice(extra);
    args.push(s(model));
    oms(&args)
}

/// A writable copy of a vector's model.
fn copy_model(case: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dst = tmp.path().join("model");
    copy_dir(&vector(case).join("model"), &dst);
    (tmp, dst)
}

#[test]
fn sample_model_verifies() {
    let sample = testdata().join("sample");
    let o = oms(&[
        "verify",
        "key",
        "--signature",
        s(&sample.join("model.sig")),
        "--public-key",
        s(&sample.join("key.pub")),
        s(&sample.join("model")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("verified: "), "{}", stdout(&o));
    assert!(stdout(&o).contains("3 resources"));
}

#[test]
fn failure_is_one_line_naming_check_and_file() {
    let o = verify_case("tampered-byte", &vector("tampered-byte").join("model"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("not verified: manifest[3] \"weights.bin\": sha256 mismatch (expected 8c8daaa6015b…, got 76c89630b61e…)"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());

    let o = verify_case("extra-file", &vector("extra-file").join("model"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "not verified: \"sub/injected.bin\": file is not in the signed manifest\n"
    );

    let o = verify_case("missing-file", &vector("missing-file").join("model"), &[]);
    assert_eq!(
        stderr(&o),
        "not verified: manifest[2] \"sub/adapter.bin\": file is missing\n"
    );
}

#[test]
fn json_document_is_stable() {
    let o = verify_case(
        "tampered-byte",
        &vector("tampered-byte").join("model"),
        &["--json"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let mut keys: Vec<&str> = doc
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "bytes_hashed",
            "failure",
            "ignore_paths",
            "key",
            "method",
            "model",
            "pae",
            "predicate_type",
            "resources",
            "root_digest",
            "serialization",
            "sigstore",
            "symlinks",
            "unsigned_files",
            "verdict"
        ]
    );
    assert_eq!(doc["ignore_paths"], serde_json::json!([]));
    assert_eq!(doc["symlinks"], serde_json::json!([]));
    assert_eq!(doc["verdict"], "not verified");
    assert_eq!(doc["method"], "key");
    assert_eq!(doc["key"], "P-256");
    assert_eq!(doc["serialization"]["method"], "files");
    assert_eq!(doc["serialization"]["hash_type"], "sha256");
    assert_eq!(doc["failure"]["step"], "model");
    assert_eq!(doc["failure"]["check"], "model.digest_mismatch");
    assert_eq!(doc["failure"]["resource"], 3);
    assert_eq!(doc["failure"]["file"], "weights.bin");
    let res = doc["resources"].as_array().expect("resources");
    assert_eq!(res.len(), 4);
    assert_eq!(res[0]["result"], "ok");
    assert_eq!(res[3]["result"], "failed");
    assert_eq!(res[3]["actual"].as_str().map(str::len), Some(64));

    let o = verify_case("key-p256", &vector("key-p256").join("model"), &["--json"]);
    assert_eq!(o.status.code(), Some(0));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["verdict"], "verified");
    assert_eq!(doc["failure"], Value::Null);
    assert_eq!(doc["bytes_hashed"], 3722);
    assert!(
        doc["root_digest"]
            .as_str()
            .is_some_and(|d| d.starts_with("sha256:"))
    );
    assert!(
        doc["resources"]
            .as_array()
            .expect("array")
            .iter()
            .all(|r| r["result"] == "ok")
    );

    // A bundle-level failure is reported in the same shape.
    let o = verify_case(
        "changed-media-type",
        &vector("changed-media-type").join("model"),
        &["--json"],
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["failure"]["check"], "bundle.unknown_media_type");
    assert_eq!(doc["failure"]["code"], 102);
    assert_eq!(doc["failure"]["field"], Value::Null);
    assert_eq!(doc["failure"]["resource"], Value::Null);

    // A member's problem is one check per step and problem; the member is
    // reported apart.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bundle: Value = serde_json::from_slice(
        &std::fs::read(vector("key-p256").join("model.sig")).expect("bundle"),
    )
    .expect("JSON");
    bundle.as_object_mut().expect("object").remove("mediaType");
    let sig = dir.path().join("model.sig");
    std::fs::write(&sig, serde_json::to_vec(&bundle).expect("JSON")).expect("write");
    let model = vector("key-p256").join("model");
    let o = oms(&[
        "verify",
        "key",
        "--json",
        "--signature",
        s(&sig),
        "--public-key",
        s(&key()),
        s(&model),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["failure"]["step"], "bundle");
    assert_eq!(doc["failure"]["check"], "bundle.field_missing");
    assert_eq!(doc["failure"]["code"], 110);
    assert_eq!(doc["failure"]["field"], "mediaType");
}

#[test]
fn exit_codes() {
    let model = vector("key-p256").join("model");
    let sig = vector("key-p256").join("model.sig");
    // Usage errors: 2.
    assert_eq!(oms(&["verify", "key", "--bogus"]).status.code(), Some(2));
    assert_eq!(
        oms(&["verify", "key", "--signature", s(&sig), s(&model)])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(oms(&["frobnicate"]).status.code(), Some(2));
    let o = oms(&[
        "verify",
        "key",
        "--public-key",
        "/nonexistent.pem",
        "--signature",
        s(&sig),
        s(&model),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read public key"));
    let o = oms(&[
        "verify",
        "key",
        "--public-key",
        s(&sig),
        "--signature",
        s(&sig),
        s(&model),
    ]);
    assert_eq!(o.status.code(), Some(2), "a bundle is not a key");
    let o = oms(&[
        "verify",
        "key",
        "--public-key",
        s(&key()),
        "--signature",
        s(&sig),
        "/nonexistent-model",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = oms(&[
        "verify",
        "key",
        "--public-key",
        s(&key()),
        "--signature",
        "/nonexistent.sig",
        s(&model),
    ]);
    assert_eq!(o.status.code(), Some(2));
    // Help is not an error.
    assert_eq!(oms(&["verify", "key", "--help"]).status.code(), Some(0));
    // A malformed bundle is "not verified": 1.
    let tmp = tempfile::tempdir().expect("tmp");
    let junk = tmp.path().join("junk.sig");
    std::fs::write(&junk, b"{\"mediaType\": ").expect("write");
    let o = oms(&[
        "verify",
        "key",
        "--public-key",
        s(&key()),
        "--signature",
        s(&junk),
        s(&model),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "not verified: bundle: invalid JSON (truncated JSON)\n"
    );
}

#[test]
fn reference_flag_spellings_are_accepted() {
    let case = vector("extra-file-ignored");
    let o = oms(&[
        "verify",
        "key",
        "--public_key",
        s(&key()),
        "--signature",
        s(&case.join("model.sig")),
        "--ignore_unsigned_files",
        "--allow_symlinks",
        "--ignore-git-paths",
        s(&case.join("model")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The disagreeing --allow_symlinks is reported, not applied.
    assert!(
        stderr(&o).contains("--allow-symlinks not applied"),
        "{}",
        stderr(&o)
    );
    // The last of --ignore-unsigned-files / --no-... wins.
    let o = oms(&[
        "verify",
        "key",
        "--public-key",
        s(&key()),
        "--signature",
        s(&case.join("model.sig")),
        "--ignore-unsigned-files",
        "--no-ignore_unsigned_files",
        s(&case.join("model")),
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn ignore_paths_absolute_model_relative_and_cwd_relative() {
    let (tmp, model) = copy_model("key-p256");
    std::fs::create_dir_all(model.join("cache")).expect("mkdir");
    std::fs::write(model.join("cache/x.bin"), b"local").expect("write");
    assert_eq!(verify_case("key-p256", &model, &[]).status.code(), Some(1));
    let abs = model.join("cache");
    assert_eq!(
        verify_case("key-p256", &model, &["--ignore-paths", s(&abs)])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        verify_case("key-p256", &model, &["--ignore-paths", "cache"])
            .status
            .code(),
        Some(0)
    );
    // Relative to the current directory, as the reference resolves it.
    let sig = vector("key-p256").join("model.sig");
    let o = verify_in(
        tmp.path(),
        &[
            "--public-key",
            s(&key()),
            "--signature",
            s(&sig),
            "--ignore-paths",
            "model/cache",
            "model",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // An ignore path outside the model is no ignore at all.
    let o = verify_case("key-p256", &model, &["--ignore-paths", "/tmp"]);
    assert_eq!(o.status.code(), Some(1));
    // Ignoring a signed file makes it missing.
    let o = verify_case(
        "key-p256",
        &model,
        &["--ignore-paths", s(&abs), "--ignore-paths", "weights.bin"],
    );
    assert_eq!(
        stderr(&o),
        "not verified: manifest[3] \"weights.bin\": file is missing\n"
    );
}

/// The model is walked while the bundle is verified, before the signed
/// policy is known (verify.rs, `early_walk`); whatever that walk meets, the
/// verdict is the signed policy's: a symlink under a signed ignore path
/// (allow_symlinks=false) is left out with its directory, one elsewhere
/// still fails, and files under a signed ignore path are not unsigned.
#[test]
fn the_walk_before_the_signature_changes_no_verdict() {
    let (_tmp, model) = copy_model("ignore-paths");
    std::fs::write(model.join("cache").join("more.bin"), b"x").expect("write");
    std::os::unix::fs::symlink("tmp.bin", model.join("cache").join("link.bin")).expect("symlink");
    let o = verify_case("ignore-paths", &model, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::os::unix::fs::symlink("model.bin", model.join("alias.bin")).expect("symlink");
    let o = verify_case("ignore-paths", &model, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "\"alias.bin\": is a symlink, and the signature was made with allow_symlinks=false"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn signed_policy_governs_symlinks() {
    // Signed with allow_symlinks=false: any symlink fails, flag or not.
    let (_tmp, model) = copy_model("key-p256");
    std::os::unix::fs::symlink("weights.bin", model.join("alias.bin")).expect("symlink");
    for extra in [&[][..], &["--allow-symlinks"][..]] {
        let o = verify_case("key-p256", &model, extra);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains(
                "\"alias.bin\": is a symlink, and the signature was made with allow_symlinks=false"
            ),
            "{}",
            stderr(&o)
        );
    }

    // Signed with allow_symlinks=true: links inside the model are fine...
    let (tmp, model) = copy_model("symlinks-allowed");
    assert_eq!(
        verify_case("symlinks-allowed", &model, &[]).status.code(),
        Some(0)
    );
    // ...a file link out of the model is followed (and, not being
    // signed, is an unsigned file like any other),
    std::fs::write(tmp.path().join("outside.bin"), b"x").expect("write");
    std::os::unix::fs::symlink("../outside.bin", model.join("escape.bin")).expect("symlink");
    let o = verify_case("symlinks-allowed", &model, &[]);
    assert_eq!(
        stderr(&o),
        "not verified: \"escape.bin\": file is not in the signed manifest\n"
    );
    let o = verify_case("symlinks-allowed", &model, &["--ignore-unsigned-files"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::remove_file(model.join("escape.bin")).expect("rm");
    // ...but not a directory link out of it,
    std::fs::create_dir(tmp.path().join("outside")).expect("mkdir");
    std::os::unix::fs::symlink("../outside", model.join("escape")).expect("symlink");
    let o = verify_case("symlinks-allowed", &model, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("\"escape\": symlink to a directory outside the model"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(model.join("escape")).expect("rm");
    // ...nor one that loops,
    std::os::unix::fs::symlink("loop-b", model.join("loop-a")).expect("symlink");
    std::os::unix::fs::symlink("loop-a", model.join("loop-b")).expect("symlink");
    let o = verify_case("symlinks-allowed", &model, &[]);
    assert!(stderr(&o).contains("symlink loops"), "{}", stderr(&o));
    std::fs::remove_file(model.join("loop-a")).expect("rm");
    std::fs::remove_file(model.join("loop-b")).expect("rm");
    // ...nor one pointing at its own ancestor.
    std::os::unix::fs::symlink("..", model.join("real/up")).expect("symlink");
    let o = verify_case("symlinks-allowed", &model, &[]);
    assert!(
        stderr(&o).contains("\"real/up\": symlink loops"),
        "{}",
        stderr(&o)
    );
    // None of them is a signed file: with --ignore-unsigned-files they are
    // not checked (OMS §8.5), as the reference, which then hashes only the
    // listed files, never looks at them.
    std::os::unix::fs::symlink("../outside", model.join("escape")).expect("symlink");
    std::os::unix::fs::symlink("loop-b", model.join("loop-a")).expect("symlink");
    std::os::unix::fs::symlink("loop-a", model.join("loop-b")).expect("symlink");
    let o = verify_case("symlinks-allowed", &model, &["--ignore-unsigned-files"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Signed without symlinks, an unlisted link is not checked either; a
    // listed one still fails.
    let (_tmp, model) = copy_model("key-p256");
    std::os::unix::fs::symlink("weights.bin", model.join("alias.bin")).expect("symlink");
    let o = verify_case("key-p256", &model, &["--ignore-unsigned-files"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::rename(model.join("config.json"), model.join("config.copy")).expect("mv");
    std::os::unix::fs::symlink("config.copy", model.join("config.json")).expect("symlink");
    let o = verify_case("key-p256", &model, &["--ignore-unsigned-files"]);
    assert!(
        stderr(&o).contains("\"config.json\": is a symlink"),
        "{}",
        stderr(&o)
    );
    // So does a link to a directory holding listed files.
    let (_tmp, model) = copy_model("key-p256");
    std::fs::rename(model.join("sub"), model.join("sub.copy")).expect("mv");
    std::os::unix::fs::symlink("sub.copy", model.join("sub")).expect("symlink");
    let o = verify_case("key-p256", &model, &["--ignore-unsigned-files"]);
    assert!(
        stderr(&o).contains("\"sub\": is a symlink"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn names_must_be_utf8_and_files_regular() {
    use std::os::unix::ffi::OsStrExt;
    // Refused by the walk (before the unsigned-file check) unless
    // --ignore-unsigned-files: then an entry the manifest does not list is
    // not checked at all, whatever it is (OMS §8.5; the reference, which
    // then hashes only the listed files, never looks at it). A listed one
    // still fails.
    let (_tmp, model) = copy_model("key-p256");
    let bad = std::ffi::OsStr::from_bytes(b"bad-\xff.bin");
    std::fs::write(model.join(bad), b"x").expect("write");
    let o = verify_case("key-p256", &model, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("file name is not UTF-8"),
        "{}",
        stderr(&o)
    );
    let o = verify_case("key-p256", &model, &["--ignore-unsigned-files"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let (_tmp, model) = copy_model("key-p256");
    let _socket = std::os::unix::net::UnixListener::bind(model.join("sock")).expect("socket");
    let o = verify_case("key-p256", &model, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("\"sock\": not a regular file"),
        "{}",
        stderr(&o)
    );
    let o = verify_case("key-p256", &model, &["--ignore-unsigned-files"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let (_tmp, model) = copy_model("key-p256");
    std::fs::remove_file(model.join("config.json")).expect("rm");
    let _socket =
        std::os::unix::net::UnixListener::bind(model.join("config.json")).expect("socket");
    let o = verify_case("key-p256", &model, &["--ignore-unsigned-files"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("\"config.json\": not a regular file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn signature_inside_model_and_single_file() {
    let case = vector("sig-inside-model");
    let o = oms(&[
        "verify",
        "key",
        "--public-key",
        s(&key()),
        "--signature",
        s(&case.join("model/model.sig")),
        s(&case.join("model")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let single = vector("single-file");
    let o = verify_case("single-file", &single.join("model.onnx"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A directory is not the single file the bundle names `.`.
    let o = verify_case("single-file", &single, &[]);
    assert_eq!(o.status.code(), Some(1));
}

/// `digest` reproduces the root digest the reference signed, for every
/// positive vector.
#[test]
fn digest_matches_the_reference() {
    let mut checked = 0;
    for entry in std::fs::read_dir(testdata().join("vectors")).expect("vectors") {
        let dir = entry.expect("entry").path();
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).expect("case"))
                .expect("json");
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let lenient = case["args"]
            .as_array()
            .is_some_and(|a| a.iter().any(|a| a == "--ignore-unsigned-files"));
        if case["expect"] != "verified" || lenient || name == "rawbytes-key" {
            continue;
        }
        let sig = dir.join(case["signature"].as_str().expect("sig"));
        let info = oms(&["inspect", "--json", s(&sig)]);
        let info: Value = serde_json::from_str(&stdout(&info)).expect("inspect JSON");
        let ser = &info["serialization"];
        let model = dir.join(case["model"].as_str().expect("model"));
        let mut args = vec!["digest".to_owned(), "--quiet".to_owned()];
        args.push(format!(
            "--hash-type={}",
            ser["hash_type"].as_str().expect("hash")
        ));
        if let Some(n) = ser["shard_size"].as_u64() {
            args.push(format!("--shard-size={n}"));
        }
        if ser["allow_symlinks"] == true {
            args.push("--allow-symlinks".to_owned());
        }
        // The signer's ignores (read from the unverified payload of our own vector).
        let payload_ignores = ignores_of(&sig);
        for p in payload_ignores {
            args.push(format!("--ignore-paths={}", model.join(p).display()));
        }
        // The verifier's ignores (model-relative in the positive vectors).
        let extra: Vec<&str> = case["args"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for w in extra.windows(2) {
            if w[0] == "--ignore-paths" {
                args.push(format!("--ignore-paths={}", model.join(w[1]).display()));
            }
        }
        args.push(model.display().to_string());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = oms(&args);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(
            stdout(&o).trim(),
            info["root_digest"].as_str().expect("root"),
            "{name}: digest differs from the signed root digest"
        );
        checked += 1;
    }
    assert!(checked >= 18, "only {checked} vectors checked");
}

fn ignores_of(sig: &Path) -> Vec<String> {
    let bundle: Value =
        serde_json::from_str(&std::fs::read_to_string(sig).expect("sig")).expect("json");
    let payload = bundle["dsseEnvelope"]["payload"].as_str().expect("payload");
    let decoded = base64_decode(payload);
    let stmt: Value = serde_json::from_slice(&decoded).expect("statement");
    stmt["predicate"]["serialization"]["ignore_paths"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Standard padded base64 (test helper; the core uses base64ct).
fn base64_decode(text: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => 0,
    };
    let bytes: Vec<u8> = text.bytes().filter(|c| *c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= u32::from(val(*c)) << (18 - 6 * i);
        }
        let take = chunk.len().saturating_sub(1);
        out.extend_from_slice(&n.to_be_bytes()[1..1 + take]);
    }
    out
}

#[test]
fn inspect_says_it_did_not_verify() {
    let o = oms(&["inspect", s(&vector("tampered-byte").join("model.sig"))]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("UNVERIFIED"), "{out}");
    assert!(out.contains("weights.bin"));
    let o = oms(&["inspect", s(&key())]);
    assert_eq!(o.status.code(), Some(1));
}

fn pki(name: &str) -> PathBuf {
    testdata().join("pki").join(name)
}

fn verify_cert(case: &str, extra: &[&str]) -> Output {
    let dir = vector(case);
    let sig = dir.join("model.sig");
    let model = dir.join("model");
    let mut args = vec!["verify", "certificate", "--quiet", "--signature", s(&sig)];
    args.extend_from_slice(extra);
    args.push(s(&model));
    oms(&args)
}

#[test]
fn certificate_method() {
    let root = pki("p256-root.pem");
    let o = verify_cert("cert-p256", &["--certificate-chain", s(&root)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("certificate method"));
    // The reference's spelling, and a verification time.
    let o = verify_cert(
        "cert-p256",
        &[
            "--certificate_chain",
            s(&root),
            "--at",
            "2030-01-01T00:00:00Z",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Before the PKI existed, every certificate is "not yet valid".
    let o = verify_cert(
        "cert-p256",
        &[
            "--certificate-chain",
            s(&root),
            "--at",
            "2024-06-01T00:00:00Z",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "not verified: x509: the leaf certificate is not valid yet at the verification time\n"
    );
    // After it expired (2045).
    let o = verify_cert(
        "cert-p256",
        &[
            "--certificate-chain",
            s(&root),
            "--at",
            "2046-01-01T00:00:00Z",
        ],
    );
    assert_eq!(
        stderr(&o),
        "not verified: x509: the leaf certificate has expired at the verification time\n"
    );
    // The key method's bundle is not a certificate bundle, nor the reverse.
    let o = verify_cert("key-p256", &["--certificate-chain", s(&root)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("signed with the key method"),
        "{}",
        stderr(&o)
    );
    let o = verify_case("cert-p256", &vector("cert-p256").join("model"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("signed with the certificate method"),
        "{}",
        stderr(&o)
    );
    // JSON names the check.
    let o = verify_cert(
        "cert-expired-intermediate",
        &["--certificate-chain", s(&root), "--json"],
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["method"], "certificate");
    assert_eq!(doc["failure"]["step"], "x509");
    assert_eq!(doc["failure"]["check"], "x509.expired");
}

#[test]
fn certificate_usage_errors() {
    let root = pki("p256-root.pem");
    // No trust given: never fall back to system roots.
    assert_eq!(verify_cert("cert-p256", &[]).status.code(), Some(2));
    assert_eq!(
        verify_cert("cert-p256", &["--certificate-chain", "/nonexistent.pem"])
            .status
            .code(),
        Some(2)
    );
    // A key is not a certificate.
    assert_eq!(
        verify_cert("cert-p256", &["--certificate-chain", s(&key())])
            .status
            .code(),
        Some(2)
    );
    // Only an intermediate: nothing to trust.
    let o = verify_cert(
        "cert-p256",
        &["--certificate-chain", s(&pki("p256-intermediate.pem"))],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no self-signed root"), "{}", stderr(&o));
    let o = verify_cert(
        "cert-p256",
        &["--certificate-chain", s(&root), "--at", "yesterday"],
    );
    assert_eq!(o.status.code(), Some(2));
    // DER trust material works too.
    let tmp = tempfile::tempdir().expect("tmp");
    let der = tmp.path().join("root.der");
    let pem = std::fs::read_to_string(&root).expect("pem");
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    std::fs::write(&der, base64_decode(&b64)).expect("write");
    assert_eq!(
        verify_cert("cert-p256", &["--certificate-chain", s(&der)])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn single_file_model_behind_a_link_keeps_its_name() {
    // As in a Hugging Face cache: snapshots/x/model.onnx -> ../../blobs/<hash>.
    // The reference names the resource `.`; a signer following the spec
    // names it by its basename: both resolve through the link's own name.
    let tmp = tempfile::tempdir().expect("tmp");
    let blob = tmp.path().join("3f2a9c");
    std::fs::copy(vector("single-file").join("model.onnx"), &blob).expect("copy");
    let link = tmp.path().join("model.onnx");
    std::os::unix::fs::symlink(&blob, &link).expect("symlink");
    for case in ["single-file", "single-file-basename"] {
        let o = verify_case(case, &link, &[]);
        assert_eq!(o.status.code(), Some(0), "{case}: {}", stderr(&o));
    }
    // The blob under its own name is not the file the bundle names.
    let o = verify_case("single-file-basename", &blob, &[]);
    assert_eq!(
        stderr(&o),
        "not verified: manifest[0] \"model.onnx\": file is missing\n"
    );
}

fn sigstore_case(name: &str) -> PathBuf {
    testdata().join("sigstore/cases").join(name)
}

#[test]
fn verify_sigstore_model_offline() {
    let case = sigstore_case("v1-dsse-model");
    let root = testdata().join("sigstore/trusted_root.json");
    let model = testdata().join("sigstore/models/tiny-model");
    let args = |identity: &str| {
        vec![
            "verify".to_owned(),
            "sigstore".to_owned(),
            "--signature".to_owned(),
            s(&case.join("bundle.sigstore.json")).to_owned(),
            "--identity".to_owned(),
            identity.to_owned(),
            "--identity-provider".to_owned(),
            "https://oidc.example.com".to_owned(),
            "--trusted-root".to_owned(),
            s(&root).to_owned(),
            "--json".to_owned(),
            s(&model).to_owned(),
        ]
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        oms(&a)
    };
    let o = run(args("signer@example.com"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["verdict"], "verified");
    assert_eq!(doc["method"], "sigstore");
    assert_eq!(doc["sigstore"]["identity"], "signer@example.com");
    assert_eq!(doc["sigstore"]["issuer"], "https://oidc.example.com");
    assert_eq!(
        doc["sigstore"]["tlog_entries"][0]["log"],
        "https://rekor.local"
    );
    assert!(doc["sigstore"]["tlog_entries"][0]["log_index"].is_u64());
    assert_eq!(doc["sigstore"]["verified_times"][0]["source"], "tlog");

    let mut a = args("someone-else@example.com");
    a.retain(|x| x != "--json");
    let o = run(a);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("not verified: identity:"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // Not a usable trusted root: a usage error, not a verdict.
    let mut a = args("signer@example.com");
    let i = a.iter().position(|x| x == "--trusted-root").unwrap();
    a[i + 1] = s(&key()).to_owned();
    assert_eq!(run(a).status.code(), Some(2));
}

#[test]
fn verify_bundle_conformance_protocol() {
    let case = sigstore_case("v2-hashedrekord-tsa");
    let artifact = testdata().join("sigstore/artifacts/artifact.txt");
    let root = testdata().join("sigstore/trusted_root.json");
    let bytes = std::fs::read(&artifact).unwrap();
    let digest: String = {
        use sha2::Digest as _;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let bundle = case.join("bundle.sigstore.json");
    let base = [
        "verify-bundle",
        "--bundle",
        s(&bundle),
        "--certificate-identity",
        "signer@example.com",
        "--certificate-oidc-issuer",
        "https://oidc.example.com",
        "--trusted-root",
        s(&root),
    ];
    for target in [s(&artifact).to_owned(), format!("sha256:{digest}")] {
        let mut a = base.to_vec();
        a.push(&target);
        let o = oms(&a);
        assert_eq!(o.status.code(), Some(0), "{target}: {}", stderr(&o));
    }
    // Another artifact: rejected with one line.
    let other = testdata().join("sigstore/artifacts/other.txt");
    let mut a = base.to_vec();
    a.push(s(&other));
    let o = oms(&a);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    // A malformed digest or no identity: usage errors.
    let mut a = base.to_vec();
    a.push("sha256:abc");
    assert_eq!(oms(&a).status.code(), Some(2));
    let o = oms(&["verify-bundle", "--bundle", s(&bundle), s(&artifact)]);
    assert_eq!(o.status.code(), Some(2));
}

// Hostile file systems: what the walk refuses, and what may change between
// enumeration and hashing. Every run has a time limit: nothing may block.

/// Runs `cmd`, killing it (and failing the test) after 30 s.
fn run_in_time(cmd: &mut Command) -> Output {
    let args = cmd.get_args().map(|a| a.to_owned()).collect::<Vec<_>>();
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run oms-edge");
    let start = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(30) {
            child.kill().expect("kill");
            panic!("oms-edge {args:?} hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// `verify key` of vector `case`'s bundle against `model`, within time.
fn verify_case_in_time(case: &str, model: &Path) -> Output {
    run_in_time(Command::new(env!("CARGO_BIN_EXE_oms-edge")).args(verify_case_args(case, model)))
}

/// The arguments of `verify key` of vector `case`'s bundle against `model`.
fn verify_case_args(case: &str, model: &Path) -> Vec<PathBuf> {
    let sig = vector(case).join("model.sig");
    ["verify", "key", "--public-key"]
        .map(PathBuf::from)
        .into_iter()
        .chain([key(), "--signature".into(), sig, model.to_owned()])
        .collect()
}

/// Exit 1 with one line on stderr containing `reason`.
fn assert_refused(o: &Output, reason: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("not verified: "), "{err}");
    assert!(err.contains(reason), "want {reason:?}: {err}");
}

#[test]
fn a_listed_name_that_is_a_directory_is_missing() {
    // With files inside (they are then unsigned too) and empty.
    let (_tmp, model) = copy_model("key-p256");
    std::fs::remove_file(model.join("config.json")).expect("rm");
    std::fs::create_dir(model.join("config.json")).expect("mkdir");
    std::fs::write(model.join("config.json/inner"), b"{}").expect("write");
    assert_refused(
        &verify_case_in_time("key-p256", &model),
        "manifest[0] \"config.json\": file is missing",
    );
    let (_tmp, model) = copy_model("key-p256");
    std::fs::remove_file(model.join("weights.bin")).expect("rm");
    std::fs::create_dir(model.join("weights.bin")).expect("mkdir");
    assert_refused(
        &verify_case_in_time("key-p256", &model),
        "\"weights.bin\": file is missing",
    );
}

/// Makes a FIFO with `mkfifo(1)`; `false` (and a note) if it cannot.
fn mkfifo(path: &Path) -> bool {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        println!("skipped: mkfifo(1) could not create {}", path.display());
    }
    made
}

#[test]
fn fifos_are_never_opened() {
    // A FIFO listed in the manifest (in place of a signed file), and one
    // that is not: opening either would block until a writer came.
    let (_tmp, model) = copy_model("key-p256");
    std::fs::remove_file(model.join("weights.bin")).expect("rm");
    if !mkfifo(&model.join("weights.bin")) {
        return;
    }
    assert_refused(
        &verify_case_in_time("key-p256", &model),
        "\"weights.bin\": not a regular file",
    );
    let (_tmp, model) = copy_model("key-p256");
    if !mkfifo(&model.join("sub/extra")) {
        return;
    }
    assert_refused(
        &verify_case_in_time("key-p256", &model),
        "\"sub/extra\": not a regular file",
    );
    // Unlisted, with --ignore-unsigned-files: not checked, not opened.
    let mut args = verify_case_args("key-p256", &model);
    args.insert(args.len() - 1, "--ignore-unsigned-files".into());
    let o = run_in_time(Command::new(env!("CARGO_BIN_EXE_oms-edge")).args(&args));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn device_files_are_refused() {
    let (_tmp, model) = copy_model("key-p256");
    std::fs::remove_file(model.join("weights.bin")).expect("rm");
    // The null device (1, 3): needs CAP_MKNOD.
    let made = Command::new("mknod")
        .arg(model.join("weights.bin"))
        .args(["c", "1", "3"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        println!("skipped: cannot create a device file here (mknod needs CAP_MKNOD)");
        return;
    }
    assert_refused(
        &verify_case_in_time("key-p256", &model),
        "\"weights.bin\": not a regular file",
    );
}

/// Whether this process reads files whatever their mode (root, or
/// CAP_DAC_OVERRIDE): then a chmod 000 file is readable.
fn reads_anything(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".probe");
    std::fs::write(&probe, b"x").expect("write");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).expect("rm");
    readable
}

#[test]
fn unreadable_files_and_directories_fail() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, model) = copy_model("key-p256");
    // As root (CI here), chmod 000 does not stop reads: run the verifier as
    // `nobody` instead (setpriv drops every capability with the uid).
    let as_nobody = reads_anything(tmp.path());
    let verify = |model: &Path| {
        if as_nobody {
            run_in_time(
                Command::new("setpriv")
                    .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                    .arg(env!("CARGO_BIN_EXE_oms-edge"))
                    .args(verify_case_args("key-p256", model)),
            )
        } else {
            verify_case_in_time("key-p256", model)
        }
    };
    let mode = |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    if as_nobody {
        // `nobody` must reach the model; the tempdir is 0700.
        mode(tmp.path(), 0o755).expect("chmod");
        let o = verify(&model);
        assert_eq!(o.status.code(), Some(0), "as nobody: {}", stderr(&o));
    }
    mode(&model.join("weights.bin"), 0o000).expect("chmod");
    assert_refused(
        &verify(&model),
        "\"weights.bin\": read failed (PermissionDenied)",
    );
    mode(&model.join("weights.bin"), 0o644).expect("chmod");
    mode(&model.join("sub"), 0o000).expect("chmod");
    let o = verify(&model);
    mode(&model.join("sub"), 0o755).expect("chmod");
    assert_refused(&o, "\"sub\": Permission denied");
}

/// Verifies vector `case`'s bundle, enumerates and plans `model` as
/// `oms-edge verify` does, runs `between` (the model changing under the
/// verifier), then hashes through the CLI's executor and returns each
/// task's result.
/// Runs `f` on the manifest of vector `case`, its signature verified with
/// the test key.
fn with_manifest<T>(case: &str, f: impl FnOnce(&oms_edge_core::VerifiedManifest<'_>) -> T) -> T {
    use oms_edge_core::{KeyVerifier, PublicKey, Time, Verifier};
    let bundle = std::fs::read(vector(case).join("model.sig")).expect("bundle");
    let key = PublicKey::from_pem_or_der(&std::fs::read(key()).expect("key")).expect("key");
    let mut payload = vec![0u8; bundle.len()];
    let verified = KeyVerifier::new(key)
        .verify(&bundle, Time::NoClock, &mut payload)
        .expect("bundle");
    f(verified.manifest())
}

fn hash_after_walk(
    case: &str,
    model: &Path,
    between: impl FnOnce(),
) -> Vec<Result<(), oms_edge_core::ModelFailure>> {
    use oms_edge::exec::{self, Task};
    use oms_edge::walk::{DirSource, Model, WalkOptions};
    use oms_edge_core::ModelOptions;

    with_manifest(case, |manifest| {
        let root = std::fs::canonicalize(model).expect("model");
        let opts = WalkOptions {
            ignore_git_paths: true,
            allow_symlinks: manifest.serialization().allow_symlinks,
            ..Default::default()
        };
        let mut source = DirSource::new(Model::walk(&root, model, &opts).expect("walk"));
        let mut planner = manifest.planner(ModelOptions::default());
        let (mut tasks, mut specs) = (Vec::new(), Vec::new());
        while let Some(job) = planner.next(&mut source) {
            let job = job.expect("plan");
            let i = source.position(job.path).expect("listed");
            tasks.push(Task {
                path: source.model().file(i).expect("file"),
                offset: job.spec.offset(),
                len: job.spec.len(),
            });
            specs.push(job.spec);
        }
        planner.finish(&mut source).expect("planned");
        between();
        exec::run(&tasks, None, |i| specs[i].start())
            .into_iter()
            .map(|r| r.map(|_| ()))
            .collect()
    })
}

/// `results` hold failures, all read errors of `kind` (a file's shards
/// each fail).
fn read_errors(results: &[Result<(), oms_edge_core::ModelFailure>], kind: embedded_io::ErrorKind) {
    use oms_edge_core::{ModelError, ModelFailure};
    let failed: Vec<_> = results.iter().filter_map(|r| r.err()).collect();
    assert!(!failed.is_empty(), "{results:?}");
    for f in &failed {
        assert!(
            matches!(f, ModelFailure::Resource { cause: ModelError::Read(k), .. } if *k == kind),
            "{failed:?}"
        );
    }
}

#[test]
fn files_changing_size_after_the_walk_fail() {
    use embedded_io::ErrorKind;
    // Grown or shrunk between enumeration and hashing: refused on opening,
    // for whole files and for shards. (A shard model whose file grew would
    // otherwise verify: every signed range still matches, the tail is
    // never read.)
    for (case, file) in [("key-p256", "weights.bin"), ("shards-sha256", "long.bin")] {
        let (_tmp, model) = copy_model(case);
        let path = model.join(file);
        let results = hash_after_walk(case, &model, || {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .expect("open");
            std::io::Write::write_all(&mut f, b"+").expect("append");
        });
        read_errors(&results, ErrorKind::InvalidData);
        let (_tmp, model) = copy_model(case);
        let path = model.join(file);
        let results = hash_after_walk(case, &model, || {
            let len = std::fs::metadata(&path).expect("size").len();
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .expect("open");
            f.set_len(len - 1).expect("truncate");
        });
        read_errors(&results, ErrorKind::InvalidData);
    }
}

#[test]
fn files_changing_while_being_read_fail() {
    use oms_edge::walk::{DirSource, Model, WalkOptions};
    use oms_edge_core::{ModelError, ModelFailure, ModelOptions, ModelSource};

    with_manifest("key-p256", |manifest| {
        // (what happens to weights.bin once open, the failure)
        type Change = fn(&Path);
        let changes: [(Change, ModelError); 2] = [
            (
                |p| {
                    let f = std::fs::OpenOptions::new()
                        .write(true)
                        .open(p)
                        .expect("open");
                    f.set_len(2999).expect("truncate");
                },
                ModelError::Truncated,
            ),
            (
                |p| {
                    let mut f = std::fs::OpenOptions::new()
                        .append(true)
                        .open(p)
                        .expect("open");
                    std::io::Write::write_all(&mut f, b"+").expect("append");
                },
                ModelError::Grew,
            ),
        ];
        for (change, want) in changes {
            let (_tmp, model) = copy_model("key-p256");
            let root = std::fs::canonicalize(&model).expect("model");
            let walked = Model::walk(&root, &model, &WalkOptions::default()).expect("walk");
            let mut source = DirSource::new(walked);
            let mut planner = manifest.planner(ModelOptions::default());
            let mut spec = None;
            while let Some(job) = planner.next(&mut source) {
                let job = job.expect("plan");
                if job.path == "weights.bin" {
                    spec = Some(job.spec);
                }
            }
            let spec = spec.expect("weights.bin is listed");
            let mut reader = source.open("weights.bin", 0).expect("open");
            change(&model.join("weights.bin"));
            let mut buf = [0u8; 1024];
            assert_eq!(
                spec.check(&mut reader, &mut buf).err(),
                Some(ModelFailure::Resource {
                    index: spec.index(),
                    cause: want
                })
            );
        }
    });
}

#[test]
fn a_sharded_file_growing_while_its_last_shard_is_read_fails() {
    use oms_edge::walk::{DirSource, Model, WalkOptions};
    use oms_edge_core::{ModelError, ModelFailure, ModelOptions, ModelSource};

    // Its size is right when listed and when the last shard is opened;
    // then it grows. Every signed range still matches, but the file is no
    // longer what was signed: refused as a whole file would be. The other
    // shards do not look past their end.
    with_manifest("shards-sha256", |manifest| {
        let (_tmp, model) = copy_model("shards-sha256");
        let root = std::fs::canonicalize(&model).expect("model");
        let walked = Model::walk(&root, &model, &WalkOptions::default()).expect("walk");
        let mut source = DirSource::new(walked);
        let mut planner = manifest.planner(ModelOptions::default());
        let mut specs = Vec::new();
        while let Some(job) = planner.next(&mut source) {
            let job = job.expect("plan");
            if job.path == "long.bin" {
                specs.push(job.spec);
            }
        }
        let [first, _, last] = specs[..] else {
            panic!("long.bin has three shards: {specs:?}");
        };
        let mut first_reader = source.open("long.bin", first.offset()).expect("open");
        let mut last_reader = source.open("long.bin", last.offset()).expect("open");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(model.join("long.bin"))
            .expect("open");
        std::io::Write::write_all(&mut f, b"+").expect("append");
        let mut buf = [0u8; 1024];
        assert!(first.check(&mut first_reader, &mut buf).is_ok());
        assert_eq!(
            last.check(&mut last_reader, &mut buf).err(),
            Some(ModelFailure::Resource {
                index: last.index(),
                cause: ModelError::Grew
            })
        );
    });
}

#[test]
fn files_swapped_after_the_walk_are_not_followed() {
    use embedded_io::ErrorKind;
    // Outside the model: identical copies of what it signs, so that
    // reading them would verify.
    let outside = tempfile::tempdir().expect("tempdir");
    copy_dir(&vector("key-p256").join("model"), outside.path());

    // The file itself becomes a symlink: O_NOFOLLOW refuses it.
    let (_tmp, model) = copy_model("key-p256");
    let results = hash_after_walk("key-p256", &model, || {
        std::fs::remove_file(model.join("weights.bin")).expect("rm");
        std::os::unix::fs::symlink(
            outside.path().join("weights.bin"),
            model.join("weights.bin"),
        )
        .expect("symlink");
    });
    read_errors(&results, ErrorKind::InvalidData);

    // A directory on the way becomes a symlink: the file opened is not the
    // one listed (device and inode), and is not read.
    let (_tmp, model) = copy_model("key-p256");
    let results = hash_after_walk("key-p256", &model, || {
        std::fs::rename(model.join("sub"), model.join("sub.old")).expect("mv");
        std::os::unix::fs::symlink(outside.path().join("sub"), model.join("sub")).expect("symlink");
    });
    read_errors(&results, ErrorKind::InvalidData);

    // Replaced by another file with the same bytes: not the listed file.
    let (_tmp, model) = copy_model("key-p256");
    let results = hash_after_walk("key-p256", &model, || {
        std::fs::copy(model.join("weights.bin"), model.join("w.new")).expect("cp");
        std::fs::rename(model.join("w.new"), model.join("weights.bin")).expect("mv");
    });
    read_errors(&results, ErrorKind::InvalidData);

    // Replaced by a FIFO: opened without blocking, then refused. Guarded
    // by a time limit: a blocking open would hang here.
    let (_tmp, model) = copy_model("key-p256");
    let fifo = model.join("weights.bin");
    let (tx, rx) = std::sync::mpsc::channel();
    let model_path = model.clone();
    let fifo_path = fifo.clone();
    std::thread::spawn(move || {
        let results = hash_after_walk("key-p256", &model_path, || {
            std::fs::remove_file(&fifo_path).expect("rm");
            assert!(mkfifo(&fifo_path), "mkfifo");
        });
        tx.send(results).ok();
    });
    match rx.recv_timeout(std::time::Duration::from_secs(30)) {
        Ok(results) => read_errors(&results, ErrorKind::Unsupported),
        Err(_) => {
            // Unblock the reader before failing.
            let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
            panic!("opening a FIFO swapped in after the walk blocked");
        }
    }
}

// What is left out of a model is decided by names, never through a link
// (issue 12), and real signers' layouts verify.

/// `oms-edge` in `dir` with `args`.
fn oms_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oms-edge"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run oms-edge")
}

/// `verify key` with the test key, in `dir`.
fn verify_key_in(dir: &Path, sig: &Path, extra: &[&str]) -> Output {
    let key = key();
    let mut args = vec![
        "verify",
        "key",
        "--quiet",
        "--public-key",
        s(&key),
        "--signature",
        s(sig),
    ];
    args.extend_from_slice(extra);
    oms_in(dir, &args)
}

#[test]
fn signature_is_left_out_by_its_own_name_only() {
    // sigs/model.sig -> ../model/generation_config.json: that file is a
    // model file, unsigned; the bundle's extra members make it a config.
    let case = vector("sig-link-into-model");
    let o = verify_key_in(&case, &case.join("sigs/model.sig"), &["model"]);
    assert_eq!(
        stderr(&o),
        "not verified: \"generation_config.json\": file is not in the signed manifest\n"
    );
    // Named by its own path inside the model, the signature file is left
    // out, as the reference leaves out a signature kept in the model.
    let o = verify_key_in(
        &case,
        &case.join("model/generation_config.json"),
        &["--json", "model"],
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["verdict"], "verified", "{}", stdout(&o));

    // A link inside the model *named* as the signature is what is left out:
    // the file it points at outside the model is not part of the model.
    let (tmp, model) = copy_model("key-p256");
    std::fs::copy(
        vector("key-p256").join("model.sig"),
        tmp.path().join("real.sig"),
    )
    .expect("copy");
    std::os::unix::fs::symlink("../real.sig", model.join("model.sig")).expect("symlink");
    let o = verify_key_in(tmp.path(), &model.join("model.sig"), &["model"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Through a link to the model's directory, the same name is meant.
    std::os::unix::fs::symlink("model", tmp.path().join("alias")).expect("symlink");
    let o = verify_key_in(tmp.path(), &tmp.path().join("alias/model.sig"), &["model"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // `..` after a link is resolved as the file system resolves it when the
    // signature is read: `x/../model.sig` with x -> real/deeper is
    // real/model.sig (left out), not the model's top-level model.sig.
    let (tmp, model) = copy_model("symlinks-allowed");
    std::fs::create_dir(model.join("real/deeper")).expect("mkdir");
    std::os::unix::fs::symlink("real/deeper", model.join("x")).expect("symlink");
    std::fs::copy(
        vector("symlinks-allowed").join("model.sig"),
        model.join("real/model.sig"),
    )
    .expect("copy");
    std::fs::write(model.join("model.sig"), b"not the signature").expect("write");
    let o = verify_key_in(tmp.path(), &model.join("x/../model.sig"), &["model"]);
    assert_eq!(
        stderr(&o),
        "not verified: \"model.sig\": file is not in the signed manifest\n"
    );
}

#[test]
fn ignore_paths_are_read_as_text_under_the_model() {
    // Signed with allow_symlinks; logs -> plugins/; plugins/evil.py added.
    let case = vector("ignore-through-link");
    let sig = case.join("model.sig");
    let o = verify_key_in(
        &case,
        &sig,
        &["--ignore-paths", "model/logs", "--json", "model"],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["failure"]["check"], "model.unsigned_file");
    assert_eq!(doc["failure"]["file"], "plugins/evil.py");
    assert_eq!(
        doc["ignore_paths"],
        serde_json::json!([{"given": "model/logs", "relative_to": "current directory",
                            "ignores": "logs"}])
    );
    // So too through the absolute path, and from inside the model.
    let abs = case.join("model/logs");
    let o = verify_key_in(&case, &sig, &["--ignore-paths", s(&abs), "model"]);
    assert_eq!(
        stderr(&o),
        "not verified: \"plugins/evil.py\": file is not in the signed manifest\n"
    );
    let o = verify_key_in(&case.join("model"), &sig, &["--ignore-paths", "logs", "."]);
    assert_eq!(o.status.code(), Some(1));
    // Naming the file itself leaves it out.
    let o = verify_key_in(
        &case,
        &sig,
        &["--ignore-paths", "model/plugins/evil.py", "model"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A link *outside* the model (the user's own) is followed to find the
    // model: only inside it is the path text.
    let tmp = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(case.join("model"), tmp.path().join("m")).expect("symlink");
    let o = verify_key_in(
        tmp.path(),
        &sig,
        &["--ignore-paths", "m/plugins/evil.py", "m"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn ignore_paths_mean_the_current_directory_first() {
    // deploy/config.json exists: `config.json` run in deploy/ means it,
    // not the model's unsigned config.json.
    let case = vector("ignore-cwd-outside");
    let sig = case.join("model.sig");
    let o = verify_key_in(
        &case.join("deploy"),
        &sig,
        &["--ignore-paths", "config.json", "--json", "../model"],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["failure"]["file"], "config.json");
    assert_eq!(
        doc["ignore_paths"],
        serde_json::json!([{"given": "config.json", "relative_to": "current directory",
                            "ignores": null}])
    );
    // Where no config.json exists, the model-relative meaning applies.
    let o = verify_key_in(
        &case,
        &sig,
        &["--ignore-paths", "config.json", "--json", "model"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(
        doc["ignore_paths"],
        serde_json::json!([{"given": "config.json", "relative_to": "model",
                            "ignores": "config.json"}])
    );
}

#[test]
fn ignore_paths_may_start_with_a_dash() {
    let case = vector("ignore-dash-name");
    let sig = case.join("model.sig");
    let model = case.join("model");
    for args in [
        &["--ignore-paths", "-x", "."][..],
        &["--ignore-paths=-x", "."][..],
    ] {
        let o = verify_key_in(&model, &sig, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    let o = verify_key_in(&model, &sig, &["."]);
    assert_eq!(
        stderr(&o),
        "not verified: \"-x\": file is not in the signed manifest\n"
    );
}

#[test]
fn hugging_face_cache_layout_verifies() {
    // models--org--name/{blobs/<sha256>, snapshots/<rev>/<file> ->
    // ../../blobs/<sha256>, refs/main}, signed by the reference with
    // allow_symlinks, verified out of snapshots/<rev>.
    let case = vector("hf-cache-layout");
    let repo = case.join("hub/models--oms-edge--tiny");
    let rev = std::fs::read_to_string(repo.join("refs/main")).expect("refs/main");
    let snapshot = repo.join("snapshots").join(rev.trim());
    let sig = case.join("model.sig");
    let o = verify_key_in(&case, &sig, &["--json", s(&snapshot)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["serialization"]["allow_symlinks"], true);
    let blobs = std::fs::canonicalize(repo.join("blobs")).expect("blobs");
    let links = doc["symlinks"].as_array().expect("symlinks");
    let names: Vec<&str> = links.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "config.json",
            "model.safetensors",
            "tokenizer/tokenizer.json"
        ]
    );
    for l in links {
        let target = Path::new(l["target"].as_str().expect("target"));
        assert!(target.starts_with(&blobs), "{target:?}");
    }
    // Every byte is still checked: a changed blob fails its file.
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&case.join("hub"), &tmp.path().join("hub"));
    let copy = tmp.path().join("hub/models--oms-edge--tiny");
    let blob = std::fs::read_link(
        copy.join("snapshots")
            .join(rev.trim())
            .join("model.safetensors"),
    )
    .expect("link");
    let blob = copy.join("snapshots").join(rev.trim()).join(blob);
    let mut bytes = std::fs::read(&blob).expect("blob");
    bytes[10] ^= 1;
    std::fs::write(&blob, &bytes).expect("write");
    let o = verify_key_in(
        tmp.path(),
        &sig,
        &[s(&copy.join("snapshots").join(rev.trim()))],
    );
    assert!(
        stderr(&o).starts_with("not verified: manifest[1] \"model.safetensors\": sha256 mismatch"),
        "{}",
        stderr(&o)
    );
    // A blob swapped for another file after the walk is not read: the
    // open checks the target the walk listed (device, inode, size).
    let listed = oms_edge::walk::Model::walk(
        &std::fs::canonicalize(&snapshot).expect("root"),
        &snapshot,
        &oms_edge::walk::WalkOptions {
            allow_symlinks: true,
            ..Default::default()
        },
    )
    .expect("walk");
    let entry = listed.entry(1).expect("entry");
    let file = listed.file(1).expect("file");
    assert!(entry.link && file.starts_with(&blobs));
    assert!(oms_edge::walk::open_at(&file, 0).is_ok());
}

#[test]
fn backslashes_are_name_bytes() {
    let case = vector("backslash-name");
    let o = verify_key_in(&case, &case.join("model.sig"), &["--json", "model"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let names: Vec<&str> = doc["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a\\b.txt", "dir\\x/y.bin", "plain.txt"]);
}

/// `verify-bundle` over a testdata/sigstore case's artifact (a path, or
/// `sha256:<hex>`), keyless or with the case's managed key.
fn verify_bundle_case(case: &str, by_digest: bool, json: bool) -> Output {
    let dir = sigstore_case(case);
    let meta: Value =
        serde_json::from_slice(&std::fs::read(dir.join("case.json")).expect("case")).expect("JSON");
    let artifact = dir.join(meta["artifact"].as_str().expect("artifact"));
    let target = if by_digest {
        use sha2::Digest as _;
        let d = sha2::Sha256::digest(std::fs::read(&artifact).expect("artifact"));
        format!(
            "sha256:{}",
            d.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )
    } else {
        s(&artifact).to_owned()
    };
    let mut args: Vec<String> = [
        "verify-bundle",
        "--bundle",
        s(&dir.join("bundle.sigstore.json")),
        "--trusted-root",
        s(&dir.join(meta["trusted_root"].as_str().expect("root"))),
    ]
    .map(str::to_owned)
    .to_vec();
    match meta["key"].as_str() {
        Some(k) => args.extend(["--key".to_owned(), s(&dir.join(k)).to_owned()]),
        None => args.extend([
            "--certificate-identity".to_owned(),
            meta["identity"].as_str().expect("identity").to_owned(),
            "--certificate-oidc-issuer".to_owned(),
            meta["issuer"].as_str().expect("issuer").to_owned(),
        ]),
    }
    if json {
        args.push("--json".to_owned());
    }
    args.push(target);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    oms(&a)
}

/// The failure line when only an artifact's SHA-256 was given and the
/// bundle needs another digest of it.
const DIGEST_UNAVAILABLE: &str = "not verified: sigstore: the artifact's digest under the hash \
     the bundle needs is not known (give the artifact itself, not its sha256)\n";

#[test]
fn verify_bundle_with_the_sigstore_algorithm_registry() {
    // Fulcio leaves and managed keys on P-384, P-521, RSA 2048-4096.
    for (case, key) in [
        ("v1-hashedrekord-p384", "P-384"),
        ("v2-hashedrekord-p521", "P-521"),
        ("v2-hashedrekord-rsa2048", "RSA-2048"),
        ("v1-hashedrekord-rsa3072-pss", "RSA-3072"),
        ("v2-hashedrekord-rsa4096-pss", "RSA-4096"),
        ("v2-dsse-artifact-rsa3072", "RSA-3072"),
        ("managed-key-p384", "P-384"),
        ("managed-key-rsa2048-pss-v2", "RSA-2048"),
    ] {
        let o = verify_bundle_case(case, false, true);
        assert_eq!(o.status.code(), Some(0), "{case}: {}", stdout(&o));
        let doc: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        assert_eq!(doc["key"], key, "{case}");
    }
    // Given only its SHA-256, an artifact signed over its SHA-384 or
    // SHA-512 cannot be checked.
    for case in [
        "v1-hashedrekord-p384",
        "v2-hashedrekord-p521",
        "managed-key-p384",
    ] {
        let o = verify_bundle_case(case, true, false);
        assert_eq!(stderr(&o), DIGEST_UNAVAILABLE, "{case}");
    }
    // RSA signs SHA-256: the digest is enough.
    let o = verify_bundle_case("v2-hashedrekord-rsa2048", true, false);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A P-384 signature over SHA-256 is not the registry's pairing.
    let o = verify_bundle_case("p384-sha256-message", false, false);
    assert_eq!(
        stderr(&o),
        "not verified: sigstore: the signature does not verify over the artifact\n"
    );
    // A managed key laid out as one PEM line with no final newline.
    let dir = sigstore_case("managed-key-p384");
    let pem =
        std::fs::read_to_string(testdata().join("sigstore/keys/signer-p384.pub.pem")).expect("key");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    let one_line = tmp.path().join("key.pem");
    std::fs::write(
        &one_line,
        format!("-----BEGIN PUBLIC KEY-----{body}-----END PUBLIC KEY-----"),
    )
    .expect("write");
    let o = oms(&[
        "verify-bundle",
        "--bundle",
        s(&dir.join("bundle.sigstore.json")),
        "--trusted-root",
        s(&testdata().join("sigstore/trusted_root.json")),
        "--key",
        s(&one_line),
        s(&testdata().join("sigstore/artifacts/artifact.txt")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn verify_bundle_matches_sha384_and_sha512_subjects() {
    for case in [
        "v1-dsse-artifact-sha512-subject",
        "v2-dsse-artifact-sha384-subject",
    ] {
        let o = verify_bundle_case(case, false, false);
        assert_eq!(o.status.code(), Some(0), "{case}: {}", stderr(&o));
        // With `sha256:<hex>`, only a sha256 subject could match.
        let o = verify_bundle_case(case, true, false);
        assert_eq!(stderr(&o), DIGEST_UNAVAILABLE, "{case}");
    }
    // A keyless v0.3 bundle carrying x509CertificateChain is refused.
    let o = verify_bundle_case("v03-x509-chain", false, false);
    assert_eq!(
        stderr(&o),
        "not verified: sigstore: a v0.3 bundle must carry its certificate as `certificate`, \
         not `x509CertificateChain`\n"
    );
}
