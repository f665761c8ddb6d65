//! The throw-away TUF repository of `testdata/tuf/generated/` (made by
//! `testdata/generate_tuf.py`, cross-checked with python-tuf): every
//! positive updates, and every negative is refused by exactly the check it
//! was built for, naming the role.

use std::path::PathBuf;

use oms_edge_core::tuf::{
    ExpiredRoles, Expiry, Field, HashAlg, Held, HeldState, Outcome, Role, TufCheck, TufError,
    UpdateSet, update,
};
use serde_json::Value;

const NOW: u64 = 1_893_456_000; // 2030-01-01T00:00:00Z, the cases' clock
const PAST: u64 = 1_874_966_400; // 2029-06-01T00:00:00Z, `expires` of the expired ones

fn dir() -> PathBuf {
    oms_edge_tests::testdata().join("tuf/generated")
}

fn read(rel: &Value) -> Option<Vec<u8>> {
    rel.as_str()
        .map(|p| std::fs::read(dir().join(p)).unwrap_or_else(|e| panic!("{p}: {e}")))
}

fn run(name: &str) -> Result<Outcome, TufError> {
    let text = std::fs::read_to_string(dir().join("cases").join(name).join("case.json"))
        .expect("case.json");
    let c: Value = serde_json::from_str(&text).expect("case.json");
    let held_root = read(&c["held"]["root"]).expect("held root");
    let held_ts = read(&c["held"]["timestamp"]);
    let held_snap = read(&c["held"]["snapshot"]);
    let roots: Vec<Vec<u8>> = c["roots"]
        .as_array()
        .expect("roots")
        .iter()
        .map(|r| read(r).expect("root"))
        .collect();
    let roots: Vec<&[u8]> = roots.iter().map(Vec::as_slice).collect();
    let (ts, snap, targets, target) = (
        read(&c["timestamp"]).expect("timestamp"),
        read(&c["snapshot"]).expect("snapshot"),
        read(&c["targets"]).expect("targets"),
        read(&c["target"]).expect("target"),
    );
    let expiry = match (c["now"].as_u64(), c["allow_expired"].as_bool()) {
        (None, _) => Expiry::NoClock,
        (Some(now), Some(true)) => Expiry::AllowExpired { now },
        (Some(now), _) => Expiry::Enforce { now },
    };
    update(
        HeldState {
            root: &held_root,
            timestamp: held_ts.as_deref(),
            snapshot: held_snap.as_deref(),
        },
        UpdateSet {
            roots: &roots,
            timestamp: &ts,
            snapshot: &snap,
            targets: &targets,
            target: ("trusted_root.json", &target),
        },
        expiry,
    )
}

/// Each negative and the one (role, check) that must refuse it.
fn negatives() -> Vec<(&'static str, Role, TufCheck)> {
    use Role as R;
    use TufCheck as C;
    vec![
        (
            "fast-forward-without-rotation",
            R::Timestamp,
            C::Rollback { held: 1000, new: 2 },
        ),
        (
            "root-version-skipped",
            R::Root,
            C::RootVersion {
                expected: 2,
                found: 3,
            },
        ),
        (
            "root-rotation-not-signed-by-old",
            R::Root,
            C::PreviousRootThreshold {
                valid: 1,
                threshold: 2,
            },
        ),
        (
            "root-not-signed-by-new",
            R::Root,
            C::Threshold {
                valid: 1,
                threshold: 2,
            },
        ),
        ("root-duplicate-signature", R::Root, C::DuplicateSignature),
        (
            "threshold-not-met",
            R::Targets,
            C::Threshold {
                valid: 1,
                threshold: 2,
            },
        ),
        (
            "other-role-key",
            R::Timestamp,
            C::Threshold {
                valid: 0,
                threshold: 1,
            },
        ),
        (
            "same-key-two-keyids",
            R::Targets,
            C::Threshold {
                valid: 1,
                threshold: 2,
            },
        ),
        (
            "bad-signature",
            R::Targets,
            C::Threshold {
                valid: 1,
                threshold: 2,
            },
        ),
        (
            "snapshot-mix-and-match",
            R::Snapshot,
            C::Length {
                expected: 704,
                found: 718,
            },
        ),
        (
            "snapshot-version-mismatch",
            R::Snapshot,
            C::Version {
                expected: 2,
                found: 1,
            },
        ),
        (
            "snapshot-hash-mismatch",
            R::Snapshot,
            C::Hash(HashAlg::Sha256),
        ),
        (
            "snapshot-length-mismatch",
            R::Snapshot,
            C::Length {
                expected: 704,
                found: 720,
            },
        ),
        (
            "targets-mix-and-match",
            R::Targets,
            C::Hash(HashAlg::Sha256),
        ),
        (
            "targets-version-mismatch",
            R::Targets,
            C::Version {
                expected: 2,
                found: 1,
            },
        ),
        (
            "targets-hash-mismatch",
            R::Targets,
            C::Hash(HashAlg::Sha256),
        ),
        ("targets-not-listed", R::Targets, C::NotListed),
        ("unsupported-hash", R::Snapshot, C::UnsupportedHash),
        (
            "timestamp-rollback",
            R::Timestamp,
            C::Rollback { held: 5, new: 2 },
        ),
        (
            "timestamp-snapshot-rollback",
            R::Timestamp,
            C::SnapshotRollback { held: 3, new: 2 },
        ),
        (
            "snapshot-meta-rollback",
            R::Snapshot,
            C::MetaRollback { held: 3, new: 2 },
        ),
        ("snapshot-meta-removed", R::Snapshot, C::MetaRemoved),
        (
            "target-length-mismatch",
            R::TargetFile,
            C::Length {
                expected: 5142,
                found: 5143,
            },
        ),
        (
            "target-hash-mismatch",
            R::TargetFile,
            C::Hash(HashAlg::Sha256),
        ),
        (
            "expired-root",
            R::Root,
            C::Expired {
                expires: PAST,
                now: NOW,
            },
        ),
        (
            "expired-timestamp",
            R::Timestamp,
            C::Expired {
                expires: PAST,
                now: NOW,
            },
        ),
        (
            "expired-snapshot",
            R::Snapshot,
            C::Expired {
                expires: PAST,
                now: NOW,
            },
        ),
        (
            "expired-targets",
            R::Targets,
            C::Expired {
                expires: PAST,
                now: NOW,
            },
        ),
        (
            "timestamp-over-limit",
            R::Timestamp,
            C::TooLarge { limit: 16384 },
        ),
        ("root-over-limit", R::Root, C::TooLarge { limit: 65536 }),
        (
            "snapshot-over-limit",
            R::Snapshot,
            C::TooLarge { limit: 262144 },
        ),
        (
            "truncated-timestamp",
            R::Timestamp,
            C::Json(oms_edge_core::JsonError::UnexpectedEnd),
        ),
        (
            "duplicate-member",
            R::Timestamp,
            C::Json(oms_edge_core::JsonError::DuplicateKey),
        ),
        ("version-as-string", R::Timestamp, C::Field(Field::Version)),
        ("version-float", R::Timestamp, C::NotCanonical),
        ("deeply-nested", R::Timestamp, C::TooDeep),
        ("wrong-type", R::Timestamp, C::WrongType),
        ("spec-version-2", R::Timestamp, C::SpecVersion),
        ("timestamp-two-meta", R::Timestamp, C::Field(Field::Meta)),
    ]
}

const POSITIVES: [&str; 6] = [
    "ok-update-from-v1",
    "ok-held-discarded-after-rotation",
    "ok-fast-forward-recovery",
    "ok-no-clock-expired",
    "ok-allow-expired",
    "ok-timestamp-at-limit",
];

#[test]
fn every_case_is_listed_here() {
    let mut on_disk: Vec<String> = std::fs::read_dir(dir().join("cases"))
        .expect("cases")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = negatives()
        .iter()
        .map(|n| n.0.to_owned())
        .chain(POSITIVES.iter().map(|p| (*p).to_owned()))
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn negatives_are_refused_by_exactly_their_check() {
    let mut wrong = Vec::new();
    for (name, role, check) in negatives() {
        match run(name) {
            Err(e) if e.role == role && e.check == check => {
                // The message names the role, the check and the spec step.
                let text = e.to_string();
                assert!(text.starts_with(&format!("TUF {role}: ")), "{name}: {text}");
            }
            other => wrong.push(format!(
                "{name}: expected {role:?} {check:?}, got {other:?}"
            )),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn positives_update() {
    let out = run("ok-update-from-v1").unwrap();
    assert_eq!((out.root_from, out.root_to), (1, 3));
    assert_eq!(out.held, Held::None);
    assert_eq!(
        (out.timestamp, out.snapshot, out.targets),
        (Some(2), Some(2), Some(2))
    );
    assert!(out.freshness.enforced);

    for name in [
        "ok-held-discarded-after-rotation",
        "ok-fast-forward-recovery",
    ] {
        let out = run(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(out.held, Held::DiscardedAfterRotation, "{name}");
        assert_eq!(out.timestamp, Some(2), "{name}");
    }

    let out = run("ok-no-clock-expired").unwrap();
    assert_eq!(out.freshness.now, None);
    assert!(!out.freshness.enforced);

    let out = run("ok-allow-expired").unwrap();
    assert_eq!(out.freshness.now, Some(NOW));
    assert_eq!(
        out.freshness.expired,
        ExpiredRoles {
            timestamp: true,
            ..ExpiredRoles::default()
        }
    );

    run("ok-timestamp-at-limit").unwrap();
}
