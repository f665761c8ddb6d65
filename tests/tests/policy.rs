//! Admission policies (issue 15) end to end through `oms-edge verify
//! --policy`'s library entry: several signatures of one model, distinct
//! signers counted against a threshold, GitHub Actions identities matched
//! by pattern and Fulcio extension, certificate leaf policies, and the
//! model checked once per distinct manifest. The bundles are
//! `testdata/policy/sigs` (`testdata/generate_policy.py`) and the GitHub
//! Actions cases of `testdata/sigstore` (`generate_sigstore.py`).

use std::path::{Path, PathBuf};

use oms_edge::ModelArgs;
use oms_edge::policy::cli::{PolicyRun, PolicyVerifyArgs, verify};
use serde_json::Value;

fn td() -> PathBuf {
    oms_edge_tests::testdata()
}

fn model() -> PathBuf {
    td().join("sigstore/models/tiny-model")
}

fn sig(name: &str) -> PathBuf {
    td().join("policy/sigs").join(name)
}

fn gha(case: &str) -> PathBuf {
    td().join("sigstore/cases")
        .join(case)
        .join("bundle.sigstore.json")
}

/// `text` with `@TD@` for the testdata directory, as a policy file in a
/// new temporary directory.
fn policy(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    let td = td();
    std::fs::write(&path, text.replace("@TD@", td.to_str().unwrap())).unwrap();
    (dir, path)
}

fn args(policy: &Path, sigs: &[PathBuf], model: &Path) -> PolicyVerifyArgs {
    PolicyVerifyArgs {
        policy: Some(policy.to_path_buf()),
        signatures: sigs.to_vec(),
        signature_dir: None,
        at: None,
        model: ModelArgs {
            json: true,
            quiet: true,
            ..ModelArgs::default()
        },
        model_path: Some(model.to_path_buf()),
    }
}

/// Runs a policy over `sigs` and `model`: whether it is met, and the
/// `--json` document (which must agree with it).
fn run_with(a: &PolicyVerifyArgs) -> (bool, Value) {
    match verify(a) {
        PolicyRun::Done { met, doc, .. } => {
            assert_eq!(doc["requirement"]["met"], Value::Bool(met));
            assert_eq!(
                doc["verdict"],
                if met { "verified" } else { "not verified" }
            );
            (met, doc)
        }
        PolicyRun::Usage(msg) => panic!("usage error: {msg}"),
        PolicyRun::Cancelled => panic!("cancelled without a cancel flag"),
    }
}

fn run(text: &str, sigs: &[PathBuf]) -> (bool, Value) {
    let (_dir, p) = policy(text);
    run_with(&args(&p, sigs, &model()))
}

/// `(signer, signature file name)` of each counted signer.
fn counted(doc: &Value) -> Vec<(String, String)> {
    doc["signers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["verdict"] == "satisfied")
        .map(|s| {
            let path = s["signature"].as_str().unwrap();
            (
                s["name"].as_str().unwrap().to_owned(),
                Path::new(path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            )
        })
        .collect()
}

fn signer<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["signers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()
}

/// The check a signer's attempt on signature `file` failed.
fn attempt_check(doc: &Value, name: &str, file: &str) -> String {
    signer(doc, name)["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["signature"].as_str().unwrap().ends_with(file))
        .map(|a| {
            a["failure"]["check"]
                .as_str()
                .unwrap_or("verified")
                .to_owned()
        })
        .unwrap()
}

const KEYS_2_OF_3: &str = r#"
version = 1
[signers.a]
method = "key"
public_key = "@TD@/keys/p256.pub.pem"
[signers.b]
method = "key"
public_key = "@TD@/keys/p384.pub.pem"
[signers.c]
method = "key"
public_key = "@TD@/keys/p521.pub.pem"
[require]
threshold = 2
"#;

#[test]
fn two_of_three_keys() {
    let (met, doc) = run(KEYS_2_OF_3, &[sig("key-p256.sig"), sig("key-p521.sig")]);
    assert!(met);
    assert_eq!(
        counted(&doc),
        [
            ("a".to_owned(), "key-p256.sig".to_owned()),
            ("c".to_owned(), "key-p521.sig".to_owned())
        ]
    );
    assert_eq!(signer(&doc, "b")["verdict"], "not satisfied");
    // One manifest: the model is hashed once for both.
    assert_eq!(doc["manifests"].as_array().unwrap().len(), 1);
    assert_eq!(doc["bytes_hashed"], 637);

    // One of three is not two.
    let (met, doc) = run(KEYS_2_OF_3, &[sig("key-p384.sig")]);
    assert!(!met);
    assert_eq!(doc["requirement"]["counted"], 1);
    assert_eq!(doc["failure"]["check"], "requirement.not_met");
    // b's key did not sign key-p384's neighbours: each reason names its check.
    assert_eq!(
        attempt_check(&doc, "a", "key-p384.sig"),
        "key.hint_mismatch"
    );
}

#[test]
fn the_same_signer_twice_counts_once() {
    // key-p256 twice over (files and shards): two manifests, one key.
    let (met, doc) = run(
        KEYS_2_OF_3,
        &[sig("key-p256.sig"), sig("key-p256-shards.sig")],
    );
    assert!(!met, "{doc:#}");
    assert_eq!(counted(&doc).len(), 1);
    assert_eq!(doc["manifests"].as_array().unwrap().len(), 2);
    // The same file given twice is one signature.
    let (met, doc) = run(KEYS_2_OF_3, &[sig("key-p256.sig"), sig("key-p256.sig")]);
    assert!(!met);
    assert_eq!(doc["signatures"].as_array().unwrap().len(), 1);

    // Two Sigstore bundles of one workflow identity, two signers whose
    // identity patterns both admit it: one signer counts.
    let overlapping = r#"
version = 1
[signers.release]
method = "sigstore"
trusted_root = "@TD@/sigstore/trusted_root.json"
identity = { regex = '^https://github\.com/acme/tiny-model/\.github/workflows/release\.yml@refs/tags/v[0-9.]+$' }
issuer = "https://token.actions.githubusercontent.com"
[signers.any_acme]
method = "sigstore"
trusted_root = "@TD@/sigstore/trusted_root.json"
identity = { regex = '^https://github\.com/acme/.*$' }
issuer = "https://token.actions.githubusercontent.com"
[require]
threshold = 2
"#;
    let (met, doc) = run(
        overlapping,
        &[
            gha("gha-release-tag-model"),
            gha("gha-release-tag-model-tsa"),
        ],
    );
    assert!(!met, "{doc:#}");
    assert_eq!(counted(&doc).len(), 1);
    let reason = [
        &signer(&doc, "release")["reason"],
        &signer(&doc, "any_acme")["reason"],
    ]
    .iter()
    .find_map(|r| r.as_str().map(str::to_owned))
    .unwrap();
    assert!(reason.contains("already counts for"), "{reason}");
    // Two identities: each signer counts, whichever bundle the broader
    // pattern would take first (the matching is a maximum one).
    let (met, doc) = run(
        overlapping,
        &[gha("gha-release-tag-model"), gha("gha-branch-model")],
    );
    assert!(met, "{doc:#}");
    let c = counted(&doc);
    assert_eq!(c.len(), 2);
    let path_of = |n: &str| signer(&doc, n)["signature"].as_str().unwrap().to_owned();
    assert!(path_of("release").contains("gha-release-tag-model"));
    assert!(path_of("any_acme").contains("gha-branch-model"));
}

#[test]
fn two_of_three_certificates() {
    let certs = r#"
version = 1
[signers.p256]
method = "certificate"
roots = ["@TD@/pki/p256-root.pem"]
intermediates = ["@TD@/pki/p256-intermediate.pem"]
[signers.p384]
method = "certificate"
roots = ["@TD@/pki/p384-root.pem"]
[signers.p521]
method = "certificate"
roots = ["@TD@/pki/p521-root.pem"]
[require]
threshold = 2
"#;
    let (met, doc) = run(certs, &[sig("cert-p256.sig"), sig("cert-p384.sig")]);
    assert!(met, "{doc:#}");
    assert_eq!(counted(&doc).len(), 2);
    assert_eq!(
        signer(&doc, "p384")["signed_by"]["subject"],
        "O=oms-edge test PKI,CN=p384 signer"
    );
    // A key signature made with the p256 signer's certificate key is not
    // a certificate signature; the p521 root did not issue p256's leaf.
    let (met, doc) = run(certs, &[sig("cert-p256.sig"), sig("key-p521.sig")]);
    assert!(!met);
    assert_eq!(
        attempt_check(&doc, "p521", "cert-p256.sig"),
        "x509.unknown_issuer"
    );
    assert_eq!(
        attempt_check(&doc, "p521", "key-p521.sig"),
        "bundle.material_mismatch"
    );
    // Keys and certificates mix: 2 of {key p384, certificate p521}.
    let mixed = r#"
version = 1
[signers.reviewer]
method = "key"
public_key = "@TD@/keys/p384.pub.pem"
[signers.vendor]
method = "certificate"
roots = ["@TD@/pki/p521-root.pem"]
[require]
threshold = 2
signers = ["reviewer", "vendor"]
"#;
    let (met, _) = run(mixed, &[sig("key-p384.sig"), sig("cert-p521.sig")]);
    assert!(met);
}

#[test]
fn certificate_leaf_policy() {
    let vendor = |leaf: &str| {
        format!(
            r#"
version = 1
[signers.vendor]
method = "certificate"
roots = ["@TD@/pki/p256-root.pem"]
intermediates = ["@TD@/pki/p256-intermediate.pem"]
[signers.vendor.leaf]
{leaf}
[require]
threshold = 1
"#
        )
    };
    let ok = vendor(
        r#"subject = "O=Vendor,CN=Model Release"
san = { regex = '^[a-z]+@vendor\.example$' }
eku = ["codeSigning"]"#,
    );
    let (met, doc) = run(&ok, &[sig("cert-vendor.sig")]);
    assert!(met, "{doc:#}");
    let by = &signer(&doc, "vendor")["signed_by"];
    assert_eq!(by["subject"], "O=Vendor,CN=Model Release");
    assert_eq!(
        by["sans"],
        serde_json::json!(["release@vendor.example", "https://vendor.example/release"])
    );
    // The URI SAN matches too; another leaf of the same CA does not.
    let uri = vendor(r#"san = "https://vendor.example/release""#);
    assert!(run(&uri, &[sig("cert-vendor.sig")]).0);
    let (met, doc) = run(&uri, &[sig("cert-p256.sig")]);
    assert!(!met);
    assert_eq!(
        attempt_check(&doc, "vendor", "cert-p256.sig"),
        "x509.leaf_san_mismatch"
    );
    for (leaf, check) in [
        (
            r#"subject = "CN=Model Release,O=Vendor""#,
            "x509.leaf_subject_mismatch",
        ),
        (
            r#"san = { regex = '^vendor\.example$' }"#,
            "x509.leaf_san_mismatch",
        ),
        (
            r#"eku = ["codeSigning", "emailProtection"]"#,
            "x509.leaf_eku_missing",
        ),
    ] {
        let (met, doc) = run(&vendor(leaf), &[sig("cert-vendor.sig")]);
        assert!(!met, "{leaf}");
        assert_eq!(
            attempt_check(&doc, "vendor", "cert-vendor.sig"),
            check,
            "{leaf}"
        );
    }
}

const RELEASE: &str = r#"
version = 1
[signers.release]
method = "sigstore"
trusted_root = "@TD@/sigstore/trusted_root.json"
identity = { regex = '^https://github\.com/acme/tiny-model/\.github/workflows/release\.yml@refs/tags/v[0-9]+\.[0-9]+\.[0-9]+$' }
issuer = "https://token.actions.githubusercontent.com"
[signers.release.extensions]
source_repository_uri = "https://github.com/acme/tiny-model"
source_repository_ref = { regex = '^refs/tags/v.*$' }
build_trigger = "push"
runner_environment = "github-hosted"
[require]
threshold = 1
"#;

#[test]
fn github_actions_release_tags() {
    let (met, doc) = run(RELEASE, &[gha("gha-release-tag-model")]);
    assert!(met, "{doc:#}");
    let by = &signer(&doc, "release")["signed_by"];
    assert_eq!(
        by["identity"],
        "https://github.com/acme/tiny-model/.github/workflows/release.yml@refs/tags/v1.0.0"
    );
    // The matched extension values, with the OIDs they were read from.
    let exts: Vec<(String, String)> = by["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["oid"].as_str().unwrap().to_owned(),
                e["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(exts.contains(&("1.3.6.1.4.1.57264.1.14".into(), "refs/tags/v1.0.0".into())));
    assert!(exts.contains(&("1.3.6.1.4.1.57264.1.20".into(), "push".into())));
    assert_eq!(exts.len(), 4);
    // Rekor v2 with a timestamp: the same.
    assert!(run(RELEASE, &[gha("gha-release-tag-model-tsa")]).0);
    // The 2022 certificate: build trigger and ref read from .1.2 and .1.6
    // (it has no source repository URI nor runner environment: the policy
    // without them).
    let legacy = RELEASE
        .replace(
            "source_repository_uri = \"https://github.com/acme/tiny-model\"\n",
            "",
        )
        .replace("runner_environment = \"github-hosted\"\n", "");
    let (met, doc) = run(&legacy, &[gha("gha-legacy-extensions-model")]);
    assert!(met, "{doc:#}");
    assert_eq!(
        signer(&doc, "release")["signed_by"]["identity"],
        "https://github.com/acme/tiny-model/.github/workflows/release.yml@refs/tags/v0.9.0"
    );
    let oids: Vec<&str> = signer(&doc, "release")["signed_by"]["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["oid"].as_str().unwrap())
        .collect();
    assert!(oids.contains(&"1.3.6.1.4.1.57264.1.2"), "{oids:?}");
    assert!(oids.contains(&"1.3.6.1.4.1.57264.1.6"), "{oids:?}");
    let (met, doc) = run(RELEASE, &[gha("gha-legacy-extensions-model")]);
    assert!(!met);
    assert_eq!(
        attempt_check(&doc, "release", "bundle.sigstore.json"),
        "policy.extension_missing"
    );
}

#[test]
fn an_identity_pattern_never_matches_a_longer_identity() {
    // `…@refs/tags/v1.0.0-evil` starts with a release tag's identity.
    let (met, doc) = run(RELEASE, &[gha("gha-longer-identity-model")]);
    assert!(!met);
    assert_eq!(
        attempt_check(&doc, "release", "bundle.sigstore.json"),
        "policy.identity_mismatch"
    );
    // A branch build of another workflow is refused by its identity; with
    // a pattern that admits it, by its ref.
    let (met, doc) = run(RELEASE, &[gha("gha-branch-model")]);
    assert!(!met);
    assert_eq!(
        attempt_check(&doc, "release", "bundle.sigstore.json"),
        "policy.identity_mismatch"
    );
    let any_workflow = RELEASE.replace(
        r"release\.yml@refs/tags/v[0-9]+\.[0-9]+\.[0-9]+$",
        r"[a-z]+\.yml@.*$",
    );
    let (met, doc) = run(&any_workflow, &[gha("gha-branch-model")]);
    assert!(!met);
    assert_eq!(
        attempt_check(&doc, "release", "bundle.sigstore.json"),
        "policy.extension_mismatch"
    );
}

#[test]
fn reusable_workflows_are_matched_by_build_signer_and_config() {
    let reusable = r#"
version = 1
[signers.release]
method = "sigstore"
trusted_root = "@TD@/sigstore/trusted_root.json"
identity = { regex = '^https://github\.com/acme/signing-workflows/\.github/workflows/sign-model\.yml@refs/tags/v[0-9]+$' }
issuer = "https://token.actions.githubusercontent.com"
[signers.release.extensions]
build_signer_uri = { regex = '^https://github\.com/acme/signing-workflows/.*$' }
build_config_uri = { regex = '^https://github\.com/acme/tiny-model/\.github/workflows/release\.yml@refs/tags/v.*$' }
source_repository_uri = "https://github.com/acme/tiny-model"
build_trigger = "release"
[require]
threshold = 1
"#;
    let (met, doc) = run(reusable, &[gha("gha-reusable-model")]);
    assert!(met, "{doc:#}");
    // The tag-push run of release.yml itself is not the reusable signer.
    let (met, _) = run(reusable, &[gha("gha-release-tag-model")]);
    assert!(!met);
}

#[test]
fn a_valid_signer_not_in_the_policy_does_not_count() {
    // keys/wrong signed validly; no signer pins it.
    let (met, doc) = run(
        KEYS_2_OF_3,
        &[
            sig("key-wrong.sig"),
            sig("key-p256.sig"),
            sig("key-p384.sig"),
        ],
    );
    assert!(met);
    let wrong = &doc["signatures"][0];
    assert!(wrong["path"].as_str().unwrap().ends_with("key-wrong.sig"));
    assert_eq!(wrong["admitted_by"], serde_json::json!([]));
    assert_eq!(wrong["counted_for"], Value::Null);
    let (met, _) = run(KEYS_2_OF_3, &[sig("key-wrong.sig"), sig("key-p256.sig")]);
    assert!(!met);
    // A valid Sigstore signer (signer@example.com) under the policy's
    // trusted root, but not the release workflow.
    let other = td().join("sigstore/cases/v1-dsse-model/bundle.sigstore.json");
    let (met, doc) = run(RELEASE, &[other]);
    assert!(!met);
    assert_eq!(
        attempt_check(&doc, "release", "bundle.sigstore.json"),
        "policy.identity_mismatch"
    );
}

#[test]
fn mixed_manifests_are_each_checked() {
    // files/sha256 and files/blake2b: two manifests, both match.
    let two = r#"
version = 1
[signers.a]
method = "key"
public_key = "@TD@/keys/p256.pub.pem"
[signers.b]
method = "key"
public_key = "@TD@/keys/p384.pub.pem"
[require]
threshold = 2
"#;
    let (met, doc) = run(two, &[sig("key-p256.sig"), sig("key-p384-blake2.sig")]);
    assert!(met, "{doc:#}");
    let manifests = doc["manifests"].as_array().unwrap();
    assert_eq!(manifests.len(), 2);
    assert!(manifests.iter().all(|m| m["model_matches"] == true));
    assert_eq!(doc["bytes_hashed"], 2 * 637);
    // Shards of the same files: another manifest, the same verdict.
    let (met, doc) = run(
        &two.replace("p384.pub", "p521.pub"),
        &[sig("key-p521.sig"), sig("key-p256-shards.sig")],
    );
    assert!(met, "{doc:#}");
    assert_eq!(doc["manifests"].as_array().unwrap().len(), 2);

    // A signature over an older model (one byte of weights.bin differs)
    // verifies, but its manifest does not match: it does not count.
    let stale = two.replace("p384.pub", "p521.pub");
    let (met, doc) = run(&stale, &[sig("key-p256.sig"), sig("key-p521-stale.sig")]);
    assert!(!met);
    let reason = signer(&doc, "b")["reason"].as_str().unwrap().to_owned();
    assert!(reason.contains("does not match its manifest"), "{reason}");
    assert!(reason.contains("weights.bin"), "{reason}");
    let stale_manifest = doc["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model_matches"] == false)
        .unwrap();
    assert_eq!(
        stale_manifest["check"]["failure"]["check"],
        "model.digest_mismatch"
    );
    // With the requirement met by others, the stale one is only reported.
    let (met, doc) = run(
        KEYS_2_OF_3,
        &[
            sig("key-p256.sig"),
            sig("key-p384.sig"),
            sig("key-p521-stale.sig"),
        ],
    );
    assert!(met);
    assert_eq!(signer(&doc, "c")["verdict"], "not satisfied");
}

#[test]
fn signatures_inside_the_model_are_not_model_files() {
    // The model as published: the release workflow's bundle in it as
    // model.sig, a reviewer's signature beside it in signatures/.
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("tiny-model");
    copy_dir(&model(), &m);
    std::fs::copy(gha("gha-release-tag-model"), m.join("model.sig")).unwrap();
    std::fs::create_dir(m.join("signatures")).unwrap();
    std::fs::copy(sig("key-p256.sig"), m.join("signatures/reviewer.sig")).unwrap();
    let text = format!(
        "{}\n[signers.reviewer]\nmethod = \"key\"\npublic_key = \"@TD@/keys/p256.pub.pem\"\n",
        RELEASE.replace("threshold = 1", "threshold = 2")
    );
    let (_d, p) = policy(&text);
    let mut a = args(&p, &[m.join("model.sig")], &m);
    a.signature_dir = Some(m.join("signatures"));
    let (met, doc) = run_with(&a);
    assert!(met, "{doc:#}");
    assert_eq!(doc["manifests"].as_array().unwrap().len(), 1);

    // A co-signer who signed after the release signed model.sig as a
    // model file: its manifest lists it, and it is hashed for that one.
    std::fs::copy(
        sig("key-p384-after-release.sig"),
        m.join("signatures/late.sig"),
    )
    .unwrap();
    std::fs::remove_file(m.join("signatures/reviewer.sig")).unwrap();
    let late = text.replace("p256.pub.pem", "p384.pub.pem");
    let (_d, p) = policy(&late);
    let mut a = args(&p, &[m.join("model.sig")], &m);
    a.signature_dir = Some(m.join("signatures"));
    let (met, doc) = run_with(&a);
    assert!(met, "{doc:#}");
    assert_eq!(doc["manifests"].as_array().unwrap().len(), 2);
    // Change model.sig's bytes (still valid JSON, same meaning to a
    // verifier): the late co-signer's manifest no longer matches.
    let mut bundle: Value =
        serde_json::from_slice(&std::fs::read(m.join("model.sig")).unwrap()).unwrap();
    bundle["note"] = Value::String("added later".into());
    std::fs::write(m.join("model.sig"), serde_json::to_vec(&bundle).unwrap()).unwrap();
    let (met, doc) = run_with(&a);
    assert!(!met);
    let reason = signer(&doc, "reviewer")["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(reason.contains("model.sig"), "{reason}");
}

#[test]
fn signature_dir_and_usage_errors() {
    let (_d, p) = policy(KEYS_2_OF_3);
    // Every *.sig of the directory, nothing else.
    let dir = tempfile::tempdir().unwrap();
    for n in ["key-p256.sig", "key-p384.sig"] {
        std::fs::copy(sig(n), dir.path().join(n)).unwrap();
    }
    std::fs::copy(sig("key-p521.sig"), dir.path().join("key-p521.sig.bak")).unwrap();
    let mut a = args(&p, &[], &model());
    a.signature_dir = Some(dir.path().to_path_buf());
    let (met, doc) = run_with(&a);
    assert!(met);
    assert_eq!(doc["signatures"].as_array().unwrap().len(), 2);
    // An empty directory: nothing signed the model.
    let empty = tempfile::tempdir().unwrap();
    a.signature_dir = Some(empty.path().to_path_buf());
    let (met, doc) = run_with(&a);
    assert!(!met);
    assert_eq!(signer(&doc, "a")["reason"], "no signature");
    // Usage errors: no signature flag, an unreadable signature, a bad --at.
    a.signature_dir = None;
    assert!(matches!(verify(&a), PolicyRun::Usage(m) if m.contains("--signature")));
    let mut b = args(&p, &[sig("no-such.sig")], &model());
    assert!(matches!(verify(&b), PolicyRun::Usage(m) if m.contains("no-such.sig")));
    b.signatures = vec![sig("key-p256.sig")];
    b.at = Some("yesterday".into());
    assert!(matches!(verify(&b), PolicyRun::Usage(m) if m.contains("--at")));
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}
