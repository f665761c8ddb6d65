//! `oms-edge trust init|update|show` and `--trust-state` as users see them:
//! both repository layouts, the one-line refusals and their exit codes, a
//! state left byte-identical by every refused update, and `verify-bundle`
//! and `verify sigstore` using the state's trusted root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::testdata;

fn prod(date: &str) -> PathBuf {
    testdata().join("tuf/sigstore-prod").join(date)
}

fn generated() -> PathBuf {
    testdata().join("tuf/generated")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A scratch home: HOME and XDG_DATA_HOME point into it, so the default
/// state directory is `<home>/xdg/oms-edge/trust` and never the user's.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn state(&self) -> PathBuf {
        self.path().join("state")
    }

    fn default_state(&self) -> PathBuf {
        self.path().join("xdg/oms-edge/trust")
    }

    fn oms(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_oms-edge"))
            .env("HOME", self.path())
            .env("XDG_DATA_HOME", self.path().join("xdg"))
            .args(args)
            .output()
            .expect("run oms-edge")
    }

    /// `trust update --from <from> --at <at> <extra>` on the state.
    fn update(&self, from: &Path, at: &str, extra: &[&str], code: i32) -> Output {
        let mut a = vec!["trust", "update", "--from", s(from), "--at", at];
        a.extend_from_slice(extra);
        self.trust(&a, code)
    }

    /// Runs `args` with `--state <state>` appended; asserts the exit code.
    fn trust(&self, args: &[&str], code: i32) -> Output {
        let state = self.state();
        let mut a = args.to_vec();
        a.extend(["--state", s(&state)]);
        let o = self.oms(&a);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}\n{}{}",
            out(&o),
            err(&o)
        );
        o
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` with its bytes.
fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    files
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir") {
        let e = e.expect("entry");
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
}

fn current_trusted_root(state: &Path) -> Vec<u8> {
    let g = std::fs::read_to_string(state.join("CURRENT")).expect("CURRENT");
    std::fs::read(state.join(g.trim()).join("trusted_root.json")).expect("trusted_root.json")
}

/// The state after the 2025 copy and then the 2026 one.
fn sigstore_2026(home: &Home) {
    let root13 = prod("2025-10-15").join("metadata/root.json");
    home.trust(&["trust", "init", "--root", s(&root13)], 0);
    let from = prod("2025-10-15");
    home.update(&from, "2025-10-16T00:00:00Z", &[], 0);
    let from = prod("2026-08-21");
    let o = home.update(&from, "2026-08-22T00:00:00Z", &[], 0);
    assert!(
        out(&o).contains("root v13 -> v15, timestamp v762, snapshot v165, targets v14"),
        "{}",
        out(&o)
    );
}

#[test]
fn init_starts_from_the_pinned_sigstore_root() {
    let home = Home::new();
    let o = home.oms(&["trust", "init"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("TUF root v15"), "{}", out(&o));
    assert!(
        out(&o).contains("the default state directory"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("sigstore 4.5.1 wheel"), "{}", out(&o));
    assert_eq!(
        std::fs::read(home.default_state().join("g-000001/root.json")).unwrap(),
        std::fs::read(prod("2026-08-21").join("metadata/root_history/15.root.json")).unwrap()
    );
    // Again: refused without --force (usage), accepted with it.
    assert_eq!(home.oms(&["trust", "init"]).status.code(), Some(2));
    assert_eq!(
        home.oms(&["trust", "init", "--force"]).status.code(),
        Some(0)
    );
    let o = home.oms(&["trust", "show", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["root"]["version"], 15);
    assert_eq!(doc["root"]["roles"]["root"]["threshold"], 3);
    assert!(doc["trusted_root"].is_null());
    assert!(doc["timestamp"].is_null());
}

#[test]
fn update_2025_to_2026_extracts_the_trusted_root() {
    let home = Home::new();
    sigstore_2026(&home);
    assert_eq!(
        current_trusted_root(&home.state()),
        std::fs::read(prod("2026-08-21").join("targets/trusted_root.json")).unwrap()
    );
    let o = home.trust(&["trust", "show"], 0);
    let text = out(&o);
    for want in [
        "root      v15",
        "timestamp v762",
        "snapshot  v165",
        "targets   v14",
        "CA    https://fulcio.sigstore.dev",
        "tlog  https://log2025-1.rekor.sigstore.dev",
        "TSA   https://timestamp.sigstore.dev/api/v1/timestamp",
    ] {
        assert!(text.contains(want), "{want:?} not in\n{text}");
    }
    // The same copy again: nothing new.
    let from = prod("2026-08-21");
    let o = home.update(&from, "2026-08-22T00:00:00Z", &[], 0);
    assert!(out(&o).starts_with("up to date"), "{}", out(&o));
}

#[test]
fn refused_updates_leave_the_state_byte_identical() {
    let home = Home::new();
    sigstore_2026(&home);
    let before = snapshot_tree(&home.state());
    let refuse = |from: &Path, at: &str, needle: &str| {
        let o = home.update(from, at, &[], 1);
        let e = err(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(
            e.starts_with("refused: ") && e.contains(needle),
            "{needle:?}: {e}"
        );
        assert_eq!(
            snapshot_tree(&home.state()),
            before,
            "{at} changed the state"
        );
    };
    // The 2025 timestamp after the 2026 state: a rollback.
    let old = prod("2025-10-15");
    refuse(
        &old,
        "2026-08-22T00:00:00Z",
        "timestamp: version 489 is below the trusted version 762: rollback (spec §5.4.3.1)",
    );
    // Expiry: the timestamp expired on 2026-08-28 (the held one is kept:
    // same version), root v15 on 2026-11-20.
    let new = prod("2026-08-21");
    refuse(&new, "2026-09-01T00:00:00Z", "TUF timestamp: expired");
    refuse(
        &new,
        "2026-12-01T00:00:00Z",
        "root.json: TUF root: expired (expires at Unix time 1795183098, now is 1796083200): possible freeze attack (spec §5.3.10) [expires 2026-11-20T13:58:18Z",
    );
    // A tampered copy: each kind of file.
    let tmp = tempfile::tempdir().unwrap();
    for (file, needle) in [
        (
            "metadata/timestamp.json",
            "TUF timestamp: not signed by a threshold",
        ),
        (
            "metadata/snapshot.json",
            "TUF snapshot: not signed by a threshold",
        ),
        (
            "metadata/targets.json",
            "TUF targets: not signed by a threshold",
        ),
        ("metadata/root_history/15.root.json", "TUF root"),
        (
            "targets/trusted_root.json",
            "TUF target file: sha256 hash differs",
        ),
    ] {
        let copy = tmp.path().join(file.replace('/', "_"));
        copy_dir(&new, &copy);
        let path = copy.join(file);
        let mut bytes = std::fs::read(&path).unwrap();
        // Change one digit of a version or a character of the trusted root,
        // keeping the JSON valid.
        let at = bytes
            .iter()
            .rposition(|b| b.is_ascii_digit())
            .expect("a digit");
        bytes[at] = if bytes[at] == b'9' {
            b'8'
        } else {
            bytes[at] + 1
        };
        std::fs::write(&path, &bytes).unwrap();
        // The 2026 copy is already held: replay it over a 2025 state.
        let home = Home::new();
        let root13 = prod("2025-10-15").join("metadata/root.json");
        home.trust(&["trust", "init", "--root", s(&root13)], 0);
        let before = snapshot_tree(&home.state());
        let o = home.update(&copy, "2026-08-22T00:00:00Z", &[], 1);
        assert!(err(&o).contains(needle), "{file}: {}", err(&o));
        assert_eq!(
            snapshot_tree(&home.state()),
            before,
            "{file} changed the state"
        );
    }
}

#[test]
fn expired_copies_are_accepted_only_when_asked() {
    let home = Home::new();
    let root13 = prod("2025-10-15").join("metadata/root.json");
    home.trust(&["trust", "init", "--root", s(&root13)], 0);
    let from = prod("2026-08-21");
    // 2026-08-29: the timestamp (expires 2026-08-28T19:25:56Z) is stale.
    let at = ["--at", "2026-08-29T00:00:00Z"];
    let mut a = vec!["trust", "update", "--from", s(&from)];
    a.extend(at);
    let o = home.trust(&a, 1);
    assert!(
        err(&o).contains("timestamp.json: TUF timestamp: expired")
            && err(&o).contains("expires 2026-08-28T19:25:56Z"),
        "{}",
        err(&o)
    );
    a.push("--allow-expired");
    let o = home.trust(&a, 0);
    assert!(
        out(&o).contains("EXPIRED metadata accepted as asked (--allow-expired) at 2026-08-29T00:00:00Z: timestamp"),
        "{}",
        out(&o)
    );
    a.push("--json");
    let home = Home::new();
    home.trust(&["trust", "init", "--root", s(&root13)], 0);
    let o = home.trust(&a, 0);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["freshness"]["enforced"], false);
    assert_eq!(doc["freshness"]["expired_accepted"]["timestamp"], true);
    assert_eq!(doc["root"]["to"], 15);
}

#[test]
fn published_layout_with_key_rotations() {
    let home = Home::new();
    let g = generated();
    home.trust(
        &["trust", "init", "--root", s(&g.join("repo/1.root.json"))],
        0,
    );
    let o = home.update(&g.join("repo"), "2030-01-01T00:00:00Z", &["--json"], 0);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["root"]["from"], 1);
    assert_eq!(doc["root"]["to"], 3);
    assert_eq!(doc["verdict"], "updated");
    assert_eq!(
        current_trusted_root(&home.state()),
        std::fs::read(testdata().join("sigstore/trusted_root.json")).unwrap()
    );
    // An interrupted earlier update left a temporary directory and a
    // renamed generation that CURRENT never named: ignored, then cleaned.
    std::fs::create_dir_all(home.state().join(".tmp-g-000003-1")).unwrap();
    std::fs::create_dir_all(home.state().join("g-000003")).unwrap();
    std::fs::write(home.state().join("g-000003/root.json"), b"half").unwrap();
    home.trust(&["trust", "show"], 0);
    home.trust(
        &[
            "trust",
            "init",
            "--force",
            "--root",
            s(&g.join("repo/1.root.json")),
        ],
        0,
    );
    let names: Vec<String> = std::fs::read_dir(home.state())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn verify_bundle_uses_the_trust_state() {
    let home = Home::new();
    let g = generated();
    home.trust(
        &["trust", "init", "--root", s(&g.join("repo/1.root.json"))],
        0,
    );
    home.update(&g.join("repo"), "2030-01-01T00:00:00Z", &[], 0);
    let case = testdata().join("sigstore/cases/v2-hashedrekord-tsa");
    let bundle = case.join("bundle.sigstore.json");
    let artifact = testdata().join("sigstore/artifacts/artifact.txt");
    let state = home.state();
    let base = [
        "verify-bundle",
        "--bundle",
        s(&bundle),
        "--certificate-identity",
        "signer@example.com",
        "--certificate-oidc-issuer",
        "https://oidc.example.com",
    ];
    let run = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        a.push(s(&artifact));
        home.oms(&a)
    };
    // With the state: its trusted root (the local one of testdata/sigstore).
    let o = run(&["--trust-state", s(&state)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with(&format!(
        "trusted root: TUF state {} (root v3, targets v2",
        state.display()
    )));
    let o = run(&["--trust-state", s(&state), "--json"]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["trusted_root"]["source"], "tuf-state");
    assert_eq!(doc["trusted_root"]["tuf_root_version"], 3);
    // Without it (and no default state): the bundled production root,
    // which does not know the local logs.
    let o = run(&["--json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["trusted_root"]["source"], "bundled-production");
    // The default state, once it exists, is used and named.
    copy_dir(&state, &home.default_state());
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains("the default state directory"),
        "{}",
        out(&o)
    );
    // An explicit --trusted-root still wins over the default state.
    let other = testdata().join("sigstore/trusted_root_tsa_old.json");
    let o = run(&["--trusted-root", s(&other), "--json"]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["trusted_root"]["source"], "file");
    // verify sigstore (a model) with the state.
    let model_case = testdata().join("sigstore/cases/v1-dsse-model");
    let o = home.oms(&[
        "verify",
        "sigstore",
        "--identity",
        "signer@example.com",
        "--identity-provider",
        "https://oidc.example.com",
        "--trust-state",
        s(&state),
        "--signature",
        s(&model_case.join("bundle.sigstore.json")),
        "--json",
        s(&testdata().join("sigstore/models/tiny-model")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["sigstore"]["trusted_root"]["source"], "tuf-state");
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let home = Home::new();
    let state = home.state();
    let empty = home.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let repo = generated().join("repo");
    let bundle = testdata().join("sigstore/cases/v2-hashedrekord-tsa/bundle.sigstore.json");
    let file = testdata().join("sigstore/trusted_root.json");
    // verify-bundle with a managed key and `extra`, over `file`.
    fn verify_bundle<'a>(bundle: &'a Path, file: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
        let head = ["verify-bundle", "--bundle", s(bundle), "--key", s(file)];
        [&head[..], extra, &[s(file)]].concat()
    }
    for args in [
        vec!["trust", "update"],
        vec!["trust", "update", "--from", s(&repo), "--state", s(&state)],
        vec!["trust", "show", "--state", s(&state)],
        vec!["trust", "frobnicate"],
        vec!["trust", "init", "--root", s(&empty), "--state", s(&state)],
        vec!["trust", "init", "--root", s(&bundle), "--state", s(&state)],
        verify_bundle(&bundle, &file, &["--trust-state", s(&empty)]),
        verify_bundle(
            &bundle,
            &file,
            &["--trust-state", s(&state), "--trusted-root", s(&file)],
        ),
    ] {
        let o = home.oms(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
    }
    home.trust(&["trust", "init"], 0);
    for args in [
        vec!["trust", "update", "--from", s(&empty)],
        vec!["trust", "update", "--from", s(&repo), "--at", "yesterday"],
        vec!["trust", "update", "--from", "/nonexistent/oms-edge"],
    ] {
        let o = home.trust(&args, 2);
        assert_eq!(err(&o).lines().count(), 1, "{args:?}: {}", err(&o));
    }
    // A state with no trusted root yet cannot be used to verify.
    let o = home.oms(&verify_bundle(
        &bundle,
        &file,
        &["--trust-state", s(&state)],
    ));
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no trusted_root.json yet"), "{}", err(&o));
    // The pinned root (Sigstore's) does not sign the throw-away repository.
    let o = home.trust(
        &["trust", "update", "--from", s(&repo), "--allow-expired"],
        1,
    );
    assert!(
        err(&o).contains("TUF timestamp: not signed by a threshold"),
        "{}",
        err(&o)
    );
}
