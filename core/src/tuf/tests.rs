//! The workflow over two real states of Sigstore's production TUF
//! repository (`testdata/tuf/sigstore-prod/`). The throw-away repository's
//! negatives are in `tests/tests/tuf_vectors.rs`.

use sha2::Digest as _;

use super::*;

macro_rules! prod {
    ($path:literal) => {
        include_bytes!(concat!("../../../testdata/tuf/sigstore-prod/", $path)).as_slice()
    };
}

const ROOT_13: &[u8] = prod!("2025-10-15/metadata/root.json");
const TS_2025: &[u8] = prod!("2025-10-15/metadata/timestamp.json");
const SNAP_2025: &[u8] = prod!("2025-10-15/metadata/snapshot.json");
const TARGETS_2025: &[u8] = prod!("2025-10-15/metadata/targets.json");
const TR_2025: &[u8] = prod!("2025-10-15/targets/trusted_root.json");
const ROOT_14: &[u8] = prod!("2026-08-21/metadata/root_history/14.root.json");
const ROOT_15: &[u8] = prod!("2026-08-21/metadata/root_history/15.root.json");
const TS_2026: &[u8] = prod!("2026-08-21/metadata/timestamp.json");
const SNAP_2026: &[u8] = prod!("2026-08-21/metadata/snapshot.json");
const TARGETS_2026: &[u8] = prod!("2026-08-21/metadata/targets.json");
const TR_2026: &[u8] = prod!("2026-08-21/targets/trusted_root.json");

/// 2026-08-22T00:00:00Z: everything of the 2026 state is fresh.
const AUG_22_2026: u64 = 1_787_356_800;
/// 2025-10-16T00:00:00Z: everything of the 2025 state is fresh.
const OCT_16_2025: u64 = 1_760_572_800;

fn set_2026<'a>(roots: &'a [&'a [u8]]) -> UpdateSet<'a> {
    UpdateSet {
        roots,
        timestamp: TS_2026,
        snapshot: SNAP_2026,
        targets: TARGETS_2026,
        target: (TRUSTED_ROOT_TARGET, TR_2026),
    }
}

fn held_2025() -> HeldState<'static> {
    HeldState {
        root: ROOT_13,
        timestamp: Some(TS_2025),
        snapshot: Some(SNAP_2025),
    }
}

fn held_2026() -> HeldState<'static> {
    HeldState {
        root: ROOT_15,
        timestamp: Some(TS_2026),
        snapshot: Some(SNAP_2026),
    }
}

fn err(role: Role, check: TufCheck) -> TufError {
    TufError::new(role, check)
}

#[test]
fn pinned_root_is_the_wheels_v15() {
    assert_eq!(
        hex(&sha2::Sha256::digest(SIGSTORE_PRODUCTION_ROOT)),
        "73747011d0857ada15479a16c4cae0f3ed03aac698b523b97e1de314ac9d9ca8"
    );
    assert_eq!(SIGSTORE_PRODUCTION_ROOT, ROOT_15);
    let u = Updater::new(SIGSTORE_PRODUCTION_ROOT, Expiry::NoClock).unwrap();
    assert_eq!(u.root_version(), 15);
    assert!(u.consistent_snapshot());
}

fn hex(b: &[u8]) -> std::string::String {
    b.iter().map(|x| std::format!("{x:02x}")).collect()
}

#[test]
fn sigstore_2025_state_verifies_on_its_own() {
    let set = UpdateSet {
        roots: &[],
        timestamp: TS_2025,
        snapshot: SNAP_2025,
        targets: TARGETS_2025,
        target: (TRUSTED_ROOT_TARGET, TR_2025),
    };
    let held = HeldState {
        root: ROOT_13,
        timestamp: None,
        snapshot: None,
    };
    let out = update(held, set, Expiry::Enforce { now: OCT_16_2025 }).unwrap();
    assert_eq!((out.root_from, out.root_to), (13, 13));
    assert_eq!(out.timestamp, Some(489));
    assert_eq!(out.snapshot, Some(162));
    assert!(out.freshness.enforced && !out.freshness.expired.any());
}

#[test]
fn sigstore_2025_to_2026_walks_root_13_14_15() {
    let out = update(
        held_2025(),
        set_2026(&[ROOT_14, ROOT_15]),
        Expiry::Enforce { now: AUG_22_2026 },
    )
    .unwrap();
    assert_eq!((out.root_from, out.root_to), (13, 15));
    assert_eq!(out.held, Held::Kept);
    assert_eq!(out.timestamp, Some(762));
    assert_eq!(out.snapshot, Some(165));
    assert_eq!(out.targets, Some(14));
    assert!(!out.timestamp_unchanged);
    assert_eq!(
        out.freshness,
        Freshness {
            now: Some(AUG_22_2026),
            enforced: true,
            expired: ExpiredRoles::default()
        }
    );
    // The target verified is the trusted root the core compiles in.
    assert_eq!(
        TR_2026,
        include_bytes!("../../trust/production.trusted_root.json")
    );
}

#[test]
fn step_by_step_with_consistent_snapshot_names() {
    let mut u = Updater::new(ROOT_13, Expiry::Enforce { now: AUG_22_2026 }).unwrap();
    assert_eq!(u.update_root(ROOT_14), Ok(14));
    assert_eq!(u.update_root(ROOT_15), Ok(15));
    assert_eq!(
        u.finish_roots(Some(TS_2025), Some(SNAP_2025)),
        Ok(Held::Kept)
    );
    assert_eq!(u.update_timestamp(TS_2026), Ok(TimestampUpdate::New));
    assert_eq!(u.snapshot_version(), Some(165));
    u.update_snapshot(SNAP_2026).unwrap();
    assert_eq!(u.targets_version(), Some(14));
    u.update_targets(TARGETS_2026).unwrap();
    let t = u.target(TRUSTED_ROOT_TARGET).unwrap();
    assert_eq!(t.length, 6787);
    assert_eq!(
        t.sha256_hex,
        Some("6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66")
    );
    u.verify_target(TRUSTED_ROOT_TARGET, TR_2026).unwrap();
    // Another file, a wrong length, a changed byte: refused.
    let mut bad = TR_2026.to_vec();
    bad[100] ^= 1;
    assert_eq!(
        u.verify_target(TRUSTED_ROOT_TARGET, &bad),
        Err(err(Role::TargetFile, TufCheck::Hash(HashAlg::Sha256)))
    );
    assert_eq!(
        u.verify_target(TRUSTED_ROOT_TARGET, &TR_2026[1..]),
        Err(err(
            Role::TargetFile,
            TufCheck::Length {
                expected: 6787,
                found: 6786
            }
        ))
    );
    assert_eq!(
        u.verify_target("absent.json", TR_2026),
        Err(err(Role::TargetFile, TufCheck::NotListed))
    );
    // A root after the timestamp: out of order.
    assert_eq!(
        u.update_root(ROOT_15),
        Err(err(Role::Root, TufCheck::OutOfOrder))
    );
}

#[test]
fn the_2025_timestamp_after_the_2026_state_is_a_rollback() {
    let mut u = Updater::new(ROOT_15, Expiry::NoClock).unwrap();
    u.finish_roots(Some(TS_2026), Some(SNAP_2026)).unwrap();
    assert_eq!(
        u.update_timestamp(TS_2025),
        Err(err(
            Role::Timestamp,
            TufCheck::Rollback {
                held: 762,
                new: 489
            }
        ))
    );
    // The same timestamp again: nothing new, nothing else is read.
    let out = update(held_2026(), set_2026(&[]), Expiry::NoClock).unwrap();
    assert!(out.timestamp_unchanged);
    assert_eq!(out.snapshot, None);
    // The 2025 snapshot after the 2026 one: its timestamp pins 165.
    let mut u = Updater::new(ROOT_15, Expiry::NoClock).unwrap();
    u.finish_roots(None, Some(SNAP_2026)).unwrap();
    u.update_timestamp(TS_2025).unwrap();
    // registry.npmjs.org.json: v8 held, v6 in the 2025 snapshot.
    assert_eq!(
        u.update_snapshot(SNAP_2025),
        Err(err(
            Role::Snapshot,
            TufCheck::MetaRollback { held: 8, new: 6 }
        ))
    );
}

#[test]
fn root_versions_must_follow_one_another() {
    let mut u = Updater::new(ROOT_13, Expiry::NoClock).unwrap();
    // v13 again: signed by v13's keys, but not version 14.
    assert_eq!(
        u.update_root(ROOT_13),
        Err(err(
            Role::Root,
            TufCheck::RootVersion {
                expected: 14,
                found: 13
            }
        ))
    );
    // v15 straight after v13: v13's root keys signed it (they did not
    // change), so only the version check refuses it.
    assert_eq!(
        u.update_root(ROOT_15),
        Err(err(
            Role::Root,
            TufCheck::RootVersion {
                expected: 14,
                found: 15
            }
        ))
    );
}

#[test]
fn expiry_is_enforced_after_expires_and_skipped_only_when_asked() {
    // timestamp v762 expires 2026-08-28T19:25:56Z.
    let ts_expires = 1_787_945_156;
    let after = ts_expires + 1;
    let r = update(
        held_2025(),
        set_2026(&[ROOT_14, ROOT_15]),
        Expiry::Enforce { now: after },
    );
    assert_eq!(
        r,
        Err(err(
            Role::Timestamp,
            TufCheck::Expired {
                expires: ts_expires,
                now: after
            }
        ))
    );
    // At `expires` exactly it is expired too (the spec: expires must be
    // higher than the update's time).
    assert!(
        update(
            held_2025(),
            set_2026(&[ROOT_14, ROOT_15]),
            Expiry::Enforce { now: ts_expires }
        )
        .is_err()
    );
    let out = update(
        held_2025(),
        set_2026(&[ROOT_14, ROOT_15]),
        Expiry::AllowExpired { now: after },
    )
    .unwrap();
    assert_eq!(
        out.freshness.expired,
        ExpiredRoles {
            timestamp: true,
            ..ExpiredRoles::default()
        }
    );
    assert!(!out.freshness.enforced);
    let out = update(held_2025(), set_2026(&[ROOT_14, ROOT_15]), Expiry::NoClock).unwrap();
    assert_eq!(out.freshness.now, None);
    // Root v15 expires 2026-11-20T13:58:18Z: §5.3.10 comes first.
    let later = 1_795_183_098 + 60;
    assert_eq!(
        update(
            held_2025(),
            set_2026(&[ROOT_14, ROOT_15]),
            Expiry::Enforce { now: later }
        ),
        Err(err(
            Role::Root,
            TufCheck::Expired {
                expires: 1_795_183_098,
                now: later
            }
        ))
    );
}

#[test]
fn sigstore_root_chain_from_v5_to_v15() {
    // v1–v4 carry hex-encoded ECDSA keys, which python-tuf does not read
    // either; from v5 on every key is PEM (keytype `ecdsa-sha2-nistp256`
    // up to v8, `ecdsa` from v9).
    let history: [&[u8]; 11] = [
        prod!("2026-08-21/metadata/root_history/5.root.json"),
        prod!("2026-08-21/metadata/root_history/6.root.json"),
        prod!("2026-08-21/metadata/root_history/7.root.json"),
        prod!("2026-08-21/metadata/root_history/8.root.json"),
        prod!("2026-08-21/metadata/root_history/9.root.json"),
        prod!("2026-08-21/metadata/root_history/10.root.json"),
        prod!("2026-08-21/metadata/root_history/11.root.json"),
        prod!("2026-08-21/metadata/root_history/12.root.json"),
        prod!("2026-08-21/metadata/root_history/13.root.json"),
        ROOT_14,
        ROOT_15,
    ];
    let mut u = Updater::new(history[0], Expiry::NoClock).unwrap();
    for (i, root) in history.iter().enumerate().skip(1) {
        assert_eq!(u.update_root(root), Ok(5 + i as u64), "v{}", 5 + i);
    }
    let info = u.root_info();
    assert_eq!(info.version, 15);
    assert_eq!(info.root.threshold, 3);
    assert_eq!(info.root.keys, std::vec![KeyKind::EcdsaP256; 5]);
}

#[test]
fn held_timestamp_and_snapshot_are_discarded_when_their_keys_rotate() {
    // Root v12 renamed the online timestamp/snapshot key of v11
    // (keyid 7247f0db… → 0c87432c…, the same public key): metadata signed
    // under the old keyid no longer verifies, so this is a rotation. The
    // 2025 timestamp is signed under the new keyid.
    let v11 = prod!("2026-08-21/metadata/root_history/11.root.json");
    let v12 = prod!("2026-08-21/metadata/root_history/12.root.json");
    let mut u = Updater::new(v11, Expiry::NoClock).unwrap();
    u.update_root(v12).unwrap();
    assert_eq!(
        u.finish_roots(Some(TS_2025), Some(SNAP_2025)),
        Ok(Held::DiscardedAfterRotation)
    );
    // Discarded: any timestamp version is now acceptable (the 2025 one
    // after a held 2026 one would otherwise be a rollback).
    let mut u = Updater::new(v11, Expiry::NoClock).unwrap();
    u.update_root(v12).unwrap();
    u.finish_roots(Some(TS_2026), Some(SNAP_2026)).unwrap();
    assert_eq!(u.update_timestamp(TS_2025), Ok(TimestampUpdate::New));
    // No rotation (v12 → v13): kept, and then a rollback is refused.
    let mut u = Updater::new(v12, Expiry::NoClock).unwrap();
    u.update_root(ROOT_13).unwrap();
    assert_eq!(
        u.finish_roots(Some(TS_2026), Some(SNAP_2026)),
        Ok(Held::Kept)
    );
    assert!(matches!(
        u.update_timestamp(TS_2025),
        Err(TufError {
            check: TufCheck::Rollback { .. },
            ..
        })
    ));
    // Held metadata that does not verify under unrotated keys: damaged.
    let mut u = Updater::new(v11, Expiry::NoClock).unwrap();
    assert_eq!(
        u.finish_roots(Some(TS_2025), None),
        Err(err(Role::Timestamp, TufCheck::HeldInvalid))
    );
}

#[test]
fn at_most_256_new_roots_per_update() {
    use ed25519_dalek::Signer as _;
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let public = hex(key.verifying_key().as_bytes());
    // Written canonical (sorted members, no whitespace): the canonical
    // form of `signed` is these very bytes.
    let root = |v: u64| -> std::vec::Vec<u8> {
        let role = r#"{"keyids":["k"],"threshold":1}"#;
        let signed = std::format!(
            r#"{{"_type":"root","consistent_snapshot":false,"expires":"2099-01-01T00:00:00Z","keys":{{"k":{{"keytype":"ed25519","keyval":{{"public":"{public}"}},"scheme":"ed25519"}}}},"roles":{{"root":{role},"snapshot":{role},"targets":{role},"timestamp":{role}}},"spec_version":"1.0","version":{v}}}"#
        );
        let sig = hex(&key.sign(signed.as_bytes()).to_bytes());
        std::format!(r#"{{"signatures":[{{"keyid":"k","sig":"{sig}"}}],"signed":{signed}}}"#)
            .into_bytes()
    };
    let mut u = Updater::new(&root(1), Expiry::NoClock).unwrap();
    for v in 2..=257 {
        assert_eq!(u.update_root(&root(v)), Ok(v));
    }
    assert_eq!(
        u.update_root(&root(258)),
        Err(err(Role::Root, TufCheck::TooManyRoots))
    );
}
