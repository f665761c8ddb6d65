//! `oms-edge verify --policy` and `oms-edge policy check` as users see
//! them: the README's example, and every kind of bad policy refused with
//! exit 2 and `file:line:column` before any signature is read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{copy_dir, testdata};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn oms_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oms-edge"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run oms-edge")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The README's example, laid out as it says: `policy.toml` (the file
/// `docs/policy-example.toml`), the trusted root and the reviewer's key it
/// names, and the model as downloaded, holding both signatures.
fn readme_layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        repo().join("docs/policy-example.toml"),
        d.join("policy.toml"),
    )
    .unwrap();
    std::fs::copy(
        testdata().join("sigstore/trusted_root.json"),
        d.join("trusted_root.json"),
    )
    .unwrap();
    std::fs::copy(testdata().join("keys/p256.pub.pem"), d.join("reviewer.pub")).unwrap();
    copy_dir(
        &testdata().join("sigstore/models/tiny-model"),
        &d.join("tiny-model"),
    );
    std::fs::copy(
        testdata().join("sigstore/cases/gha-release-tag-model/bundle.sigstore.json"),
        d.join("tiny-model/model.sig"),
    )
    .unwrap();
    std::fs::copy(
        testdata().join("policy/sigs/key-p256.sig"),
        d.join("tiny-model/reviewer.sig"),
    )
    .unwrap();
    dir
}

const README_RUN: [&str; 8] = [
    "verify",
    "--policy",
    "policy.toml",
    "--signature",
    "tiny-model/model.sig",
    "--signature",
    "tiny-model/reviewer.sig",
    "tiny-model",
];

#[test]
fn the_readme_example_runs_as_written() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let example = std::fs::read_to_string(repo().join("docs/policy-example.toml")).unwrap();
    assert!(
        readme.contains(&format!("```toml\n{example}```")),
        "README's Policies example is not docs/policy-example.toml"
    );
    let dir = readme_layout();
    let out = oms_in(dir.path(), &README_RUN);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The README shows the line this prints.
    let line = text(&out.stdout);
    let shown = format!("# {}", line.trim_end());
    assert!(readme.contains(&shown), "README does not show: {shown}");

    let check = oms_in(dir.path(), &["policy", "check", "policy.toml"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let words = text(&check.stdout);
    assert!(
        words.contains("all 2 signers (release, reviewer)"),
        "{words}"
    );
    assert!(
        words.contains("source repository ref (1.3.6.1.4.1.57264.1.14"),
        "{words}"
    );

    let mut json_run = README_RUN.to_vec();
    json_run.insert(1, "--json");
    let out = oms_in(dir.path(), &json_run);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["verdict"], "verified");
    assert_eq!(doc["manifests"].as_array().unwrap().len(), 1);

    // Without the reviewer's signature the policy is not met.
    std::fs::remove_file(dir.path().join("tiny-model/reviewer.sig")).unwrap();
    let out = oms_in(
        dir.path(),
        &[
            "verify",
            "--policy",
            "policy.toml",
            "--signature",
            "tiny-model/model.sig",
            "tiny-model",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("not verified: policy policy.toml needs 2 of 2 signers"),
        "{err}"
    );
    assert!(
        err.contains("1 counted: release (tiny-model/model.sig)"),
        "{err}"
    );
    assert!(
        err.contains("\n  reviewer: no signature of method \"key\""),
        "{err}"
    );
}

/// A key, a certificate and a Sigstore signer that load, to build bad
/// policies around.
fn good_signers() -> String {
    let td = testdata();
    let td = td.to_str().unwrap();
    format!(
        r#"[signers.k]
method = "key"
public_key = "{td}/keys/p256.pub.pem"

[signers.c]
method = "certificate"
roots = ["{td}/pki/p256-root.pem"]

[signers.s]
method = "sigstore"
trusted_root = "{td}/sigstore/trusted_root.json"
identity = "x"
issuer = "y"
"#
    )
}

#[test]
fn bad_policies_exit_2_with_file_line_and_column() {
    let td = testdata();
    let td = td.to_str().unwrap().to_owned();
    let good = good_signers();
    // (what, policy, line:column, part of the message)
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "unknown key",
            format!("version = 1\n{good}colour = \"red\"\n[require]\nthreshold = 1\n"),
            "15:1",
            "unknown field `colour`",
        ),
        (
            "unknown top-level key",
            format!("version = 1\nthreshhold = 2\n{good}[require]\nthreshold = 1\n"),
            "2:1",
            "unknown field `threshhold`",
        ),
        (
            "wrong type",
            format!("version = 1\n{good}[require]\nthreshold = \"two\"\n"),
            "16:13",
            "invalid type: string \"two\"",
        ),
        (
            "wrong type in a signer",
            "version = 1\n[signers.k]\nmethod = \"key\"\npublic_key = 5\n[require]\nthreshold = 1\n"
                .to_owned(),
            "4:14",
            "expected a string",
        ),
        (
            "invalid regex",
            format!(
                "version = 1\n{}[require]\nthreshold = 1\n",
                good.replace("identity = \"x\"", "identity = { regex = '^(acme$' }")
            ),
            "13:12",
            "invalid regular expression \"^(acme$\"",
        ),
        (
            "unanchored regex",
            format!(
                "version = 1\n{}[require]\nthreshold = 1\n",
                good.replace(
                    "identity = \"x\"",
                    "identity = { regex = '^https://github\\.com/acme/.*' }"
                )
            ),
            "13:12",
            "unanchored regular expression",
        ),
        (
            "alternation that anchors one side only",
            format!(
                "version = 1\n{}[require]\nthreshold = 1\n",
                good.replace("issuer = \"y\"", "issuer = { regex = '^a|b$' }")
            ),
            "14:10",
            "unanchored regular expression",
        ),
        (
            "threshold above the signers",
            format!("version = 1\n{good}[require]\nthreshold = 4\n"),
            "16:13",
            "threshold 4 is more than the 3 signer(s) listed",
        ),
        (
            "threshold above the listed signers",
            format!(
                "version = 1\n{}[require]\nthreshold = 2\nsigners = [\"k\"]\n",
                good.split("[signers.c]").next().unwrap()
            ),
            "7:13",
            "threshold 2 is more than the 1 signer(s) listed",
        ),
        (
            "threshold 0",
            format!("version = 1\n{good}[require]\nthreshold = 0\n"),
            "16:13",
            "threshold must be at least 1",
        ),
        (
            "undefined signer",
            format!("version = 1\n{good}[require]\nthreshold = 1\nsigners = [\"k\", \"release\", \"c\", \"s\"]\n"),
            "17:17",
            "signer \"release\" is not defined",
        ),
        (
            "signer listed twice",
            format!("version = 1\n{good}[require]\nthreshold = 1\nsigners = [\"k\", \"c\", \"k\", \"s\"]\n"),
            "17:22",
            "signer \"k\" is listed twice",
        ),
        (
            "signer defined, not listed",
            format!("version = 1\n{good}[require]\nthreshold = 1\nsigners = [\"k\", \"s\"]\n"),
            "6:1",
            "signer \"c\" is defined but not listed",
        ),
        (
            "unknown method",
            "version = 1\n[signers.k]\nmethod = \"pgp\"\n[require]\nthreshold = 1\n".to_owned(),
            "3:10",
            "unknown method \"pgp\"",
        ),
        (
            "a key of another method",
            format!(
                "version = 1\n{}[require]\nthreshold = 1\n",
                good.replace(
                    "method = \"key\"\n",
                    "method = \"key\"\nidentity = \"someone\"\n"
                )
            ),
            "4:12",
            "`identity` does not apply to method \"key\"",
        ),
        (
            "unknown Fulcio extension",
            format!(
                "version = 1\n{good}[signers.s.extensions]\nsource_repo = \"x\"\n[require]\nthreshold = 1\n"
            ),
            "16:1",
            "unknown Fulcio extension \"source_repo\"",
        ),
        (
            "unknown extended key usage",
            format!(
                "version = 1\n{good}[signers.c.leaf]\neku = [\"codeSign\"]\n[require]\nthreshold = 1\n"
            ),
            "16:8",
            "unknown extended key usage \"codeSign\"",
        ),
        (
            "missing key file",
            "version = 1\n[signers.k]\nmethod = \"key\"\npublic_key = \"nowhere.pem\"\n[require]\nthreshold = 1\n".to_owned(),
            "4:14",
            "cannot read public key \"nowhere.pem\"",
        ),
        (
            "not a key",
            format!(
                "version = 1\n[signers.k]\nmethod = \"key\"\npublic_key = \"{td}/pki/p256-root.pem\"\n[require]\nthreshold = 1\n"
            ),
            "4:14",
            "signer \"k\"",
        ),
        (
            "one key twice",
            format!(
                "version = 1\n{good}[signers.z]\nmethod = \"key\"\npublic_key = \"{td}/keys/p256.pub.der\"\n[require]\nthreshold = 1\n"
            ),
            "17:14",
            "pins the same key as signer \"k\"",
        ),
        (
            "a root that is not self-signed",
            format!(
                "version = 1\n[signers.c]\nmethod = \"certificate\"\nroots = [\"{td}/pki/p256-intermediate.pem\"]\n[require]\nthreshold = 1\n"
            ),
            "4:10",
            "not self-signed: list it under `intermediates`",
        ),
        (
            "a self-signed intermediate",
            format!(
                "version = 1\n[signers.c]\nmethod = \"certificate\"\nroots = [\"{td}/pki/p256-root.pem\"]\nintermediates = [\"{td}/pki/p384-root.pem\"]\n[require]\nthreshold = 1\n"
            ),
            "5:18",
            "self-signed certificate: list it under `roots`",
        ),
        (
            "sigstore signer without an issuer",
            format!(
                "version = 1\n{}[require]\nthreshold = 1\n",
                good.replace("issuer = \"y\"\n", "")
            ),
            "10:1",
            "needs `identity` and `issuer`",
        ),
        (
            "both public_key and public_key_pem",
            format!(
                "version = 1\n{}[require]\nthreshold = 1\n",
                good.replace(
                    "method = \"key\"\n",
                    "method = \"key\"\npublic_key_pem = \"-----BEGIN PUBLIC KEY-----\"\n"
                )
            ),
            "4:18",
            "not both",
        ),
        (
            "another version",
            format!("version = 2\n{good}[require]\nthreshold = 1\n"),
            "1:11",
            "unsupported policy version",
        ),
        (
            "no require",
            format!("version = 1\n{good}"),
            "1:1",
            "missing field `require`",
        ),
        (
            "no signer",
            "version = 1\n[require]\nthreshold = 1\n".to_owned(),
            "2:1",
            "the policy defines no signer",
        ),
        (
            "TOML syntax",
            "version = 1\n[signers.k\nmethod = \"key\"\n".to_owned(),
            "2:11",
            "",
        ),
        (
            "a regex table with another key",
            format!(
                "version = 1\n{}[require]\nthreshold = 1\n",
                good.replace("identity = \"x\"", "identity = { regexp = '^x$' }")
            ),
            "13:12",
            "unknown field `regexp`, expected `regex`",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let sig = testdata().join("policy/sigs/key-p256.sig");
    let model = testdata().join("sigstore/models/tiny-model");
    let mut wrong = Vec::new();
    for (what, policy, at, message) in &cases {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, policy).unwrap();
        let p = path.to_str().unwrap();
        let want = format!("error: {p}:{at}: ");
        // `policy check`, and `verify --policy` with a signature that does
        // not exist and one that does: the policy is refused first, and
        // nothing is verified.
        for args in [
            vec!["policy", "check", p],
            vec![
                "verify",
                "--policy",
                p,
                "--signature",
                "/nonexistent.sig",
                model.to_str().unwrap(),
            ],
            vec![
                "verify",
                "--policy",
                p,
                "--signature",
                sig.to_str().unwrap(),
                model.to_str().unwrap(),
            ],
        ] {
            let out = oms_in(dir.path(), &args);
            let err = text(&out.stderr);
            if out.status.code() != Some(2)
                || !err.starts_with(&want)
                || !err.contains(message)
                || !out.stdout.is_empty()
            {
                wrong.push(format!("{what}: want {want}...{message}, got {err:?}"));
                break;
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn verify_takes_a_method_or_a_policy() {
    let dir = readme_layout();
    // A policy and a method at once.
    let out = oms_in(
        dir.path(),
        &[
            "verify",
            "--policy",
            "policy.toml",
            "key",
            "--public-key",
            "reviewer.pub",
            "--signature",
            "tiny-model/reviewer.sig",
            "tiny-model",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // Neither.
    let out = oms_in(dir.path(), &["verify", "tiny-model"]);
    assert_eq!(out.status.code(), Some(2));
    // No signature at all.
    let out = oms_in(
        dir.path(),
        &["verify", "--policy", "policy.toml", "tiny-model"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--signature"));
    // The single-signer commands are unchanged.
    let out = oms_in(
        dir.path(),
        &[
            "verify",
            "key",
            "--public-key",
            "reviewer.pub",
            "--signature",
            "tiny-model/reviewer.sig",
            "tiny-model",
        ],
    );
    // model.sig, the other signature in the model, is an unsigned file to
    // a single-signer run (as to the reference).
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("\"model.sig\": file is not in the signed manifest"));
}

#[test]
fn an_inline_key() {
    let dir = readme_layout();
    let pem = std::fs::read_to_string(testdata().join("keys/p256.pub.pem")).unwrap();
    let policy = format!(
        "version = 1\n[signers.reviewer]\nmethod = \"key\"\npublic_key_pem = \"\"\"\n{pem}\"\"\"\n[require]\nthreshold = 1\n"
    );
    std::fs::write(dir.path().join("inline.toml"), policy).unwrap();
    let out = oms_in(
        dir.path(),
        &[
            "verify",
            "--policy",
            "inline.toml",
            "--signature-dir",
            "tiny-model",
            "tiny-model",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let check = oms_in(dir.path(), &["policy", "check", "inline.toml"]);
    assert!(text(&check.stdout).contains("(inline PEM)"));
}

/// The names serde's "unknown field" error lists for a table of the
/// format (what the parser really accepts).
fn accepted(policy: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let err = oms_edge::policy::Policy::parse(policy, Path::new("t.toml"), dir.path())
        .expect_err("an unknown field");
    let list = err.message.split("expected ").nth(1).unwrap_or("");
    let mut names: Vec<String> = list
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, n)| n.to_owned())
        .collect();
    names.sort();
    names
}

fn schema_keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

#[test]
fn the_json_schema_is_the_parser_s_format() {
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo().join("docs/policy.schema.json")).unwrap())
            .unwrap();
    let signer = &schema["$defs"]["signer"];
    assert_eq!(
        schema_keys(&schema),
        accepted("version = 1\nx = 1\n[require]\nthreshold = 1\n")
    );
    assert_eq!(
        schema_keys(signer),
        accepted("version = 1\n[signers.a]\nmethod = \"key\"\nx = 1\n[require]\nthreshold = 1\n")
    );
    assert_eq!(
        schema_keys(&signer["properties"]["leaf"]),
        accepted(
            "version = 1\n[signers.a]\nmethod = \"certificate\"\nleaf = { x = 1 }\n[require]\nthreshold = 1\n"
        )
    );
    assert_eq!(
        schema_keys(&schema["properties"]["require"]),
        accepted("version = 1\n[require]\nthreshold = 1\nx = 1\n")
    );
    let mut extensions: Vec<String> = oms_edge_core::FulcioExtension::ALL
        .iter()
        .map(|e| e.name().to_owned())
        .collect();
    extensions.sort();
    assert_eq!(schema_keys(&signer["properties"]["extensions"]), extensions);
    for e in oms_edge_core::FulcioExtension::ALL {
        assert_eq!(
            signer["properties"]["extensions"]["properties"][e.name()]["description"],
            e.oid(),
        );
    }
}

/// A `sigstore` signer trusting a TUF state (`trust_state`, as
/// `oms-edge trust init|update` keeps it) instead of a trusted-root file:
/// the generated TUF repository's target is the local test instance's
/// trusted root, so the README's model verifies through the state.
#[test]
fn a_sigstore_signer_trusts_a_tuf_state() {
    let dir = readme_layout();
    let d = dir.path();
    let tuf = testdata().join("tuf/generated/repo");
    let state = d.join("trust");
    let state_arg = state.to_str().unwrap();
    for args in [
        vec![
            "trust",
            "init",
            "--root",
            tuf.join("1.root.json").to_str().unwrap(),
            "--state",
            state_arg,
        ],
        vec![
            "trust",
            "update",
            "--from",
            tuf.to_str().unwrap(),
            "--at",
            "2030-01-01T00:00:00Z",
            "--state",
            state_arg,
        ],
    ] {
        let out = oms_in(d, &args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    std::fs::remove_file(d.join("trusted_root.json")).unwrap();
    let example = std::fs::read_to_string(d.join("policy.toml")).unwrap();
    let with_state = example.replace(
        "trusted_root = \"trusted_root.json\"",
        "trust_state = \"trust\"",
    );
    assert_ne!(with_state, example);
    std::fs::write(d.join("policy.toml"), &with_state).unwrap();

    let check = oms_in(d, &["policy", "check", "policy.toml"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(
        text(&check.stdout).contains("from TUF state"),
        "{}",
        text(&check.stdout)
    );
    let out = oms_in(d, &README_RUN);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Both a file and a state: refused, pointing at `trust_state`.
    let both = with_state.replace(
        "trust_state = \"trust\"",
        "trusted_root = \"trusted_root.json\"\ntrust_state = \"trust\"",
    );
    std::fs::write(d.join("policy.toml"), &both).unwrap();
    let out = oms_in(d, &["policy", "check", "policy.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: policy.toml:12:"), "{err}");
    assert!(err.contains("`trusted_root` and `trust_state`"), "{err}");

    // A directory that holds no state: refused before anything is read.
    std::fs::write(
        d.join("policy.toml"),
        with_state.replace("trust_state = \"trust\"", "trust_state = \"nowhere\""),
    )
    .unwrap();
    let out = oms_in(d, &README_RUN);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no TUF state there"),
        "{}",
        text(&out.stderr)
    );
}
