//! The Sigstore trust state in flash and its TUF trust packages (feature
//! `tuf`, part of `sigstore`): the throw-away repository of
//! testdata/tuf/firmware (testdata/generate_tuf_firmware.py), the real
//! Sigstore update of testdata/tuf/sigstore-prod, every refusal with its
//! exact check and zero flash operations, anti-rollback, and a power cut
//! at every flash operation of a trust update.
#![cfg(feature = "sigstore")]

mod common;

use common::*;
use oms_edge_core::tuf::{HashAlg, Role, TufCheck, TufError};
use oms_edge_core::{IdentityPolicy, SigstoreVerifier, Time, TrustedRoot, UnixTime};
use oms_edge_loader::{Loader, Refused, TrustBuffers, TrustLayout, TrustState, TrustUpdate};

/// 24 KiB areas (five sectors of files, one of record) after the model
/// layout, as in the QEMU board.
const AREA: u32 = 24 * 1024;
const TRUST: TrustLayout = TrustLayout {
    areas: [FLASH_BYTES as u32, FLASH_BYTES as u32 + AREA],
    area_size: AREA,
};

fn blank() -> Flash {
    Flash::new(vec![0xff; FLASH_BYTES + 2 * AREA as usize])
}

fn fw_tuf() -> std::path::PathBuf {
    repo().join("testdata/tuf/firmware")
}

/// The TUF root the test firmware compiles in.
fn tuf_root() -> Vec<u8> {
    std::fs::read(fw_tuf().join("1.root.json")).unwrap()
}

fn target() -> Vec<u8> {
    std::fs::read(repo().join("testdata/sigstore/trusted_root.json")).unwrap()
}

const ORDER: [&str; 5] = [
    "timestamp.json",
    "snapshot.json",
    "targets.json",
    "trusted_root.json",
    "",
];

/// The members of a directory of testdata/tuf/firmware, in package order.
fn members(dir: &str) -> Vec<(String, Vec<u8>)> {
    let d = fw_tuf().join(dir);
    let mut out = Vec::new();
    if d.join("2.root.json").exists() {
        out.push((
            "2.root.json".into(),
            std::fs::read(d.join("2.root.json")).unwrap(),
        ));
    }
    for n in ORDER.iter().filter(|n| !n.is_empty()) {
        out.push((n.to_string(), std::fs::read(d.join(n)).unwrap()));
    }
    out
}

fn pack(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let m: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    tar(&m)
}

fn apply_with(
    l: &mut Loader<Flash>,
    pkg: &[u8],
    root: &[u8],
    rtc: Option<UnixTime>,
    work: usize,
) -> Result<TrustUpdate, Refused> {
    let mut work = vec![0u8; work];
    let mut page = vec![0u8; 256];
    let mut block = [0u8; 512];
    let mut stream = pkg;
    l.update_trust(
        &TRUST,
        &mut stream,
        root,
        rtc,
        TrustBuffers {
            work: &mut work,
            page: &mut page,
            block: &mut block,
        },
    )
}

fn apply(l: &mut Loader<Flash>, pkg: &[u8]) -> Result<TrustUpdate, Refused> {
    apply_with(l, pkg, &tuf_root(), None, 13 * 1024)
}

fn loader(flash: Flash) -> Loader<Flash> {
    Loader::new(flash, LAYOUT).unwrap()
}

fn held(l: &mut Loader<Flash>) -> Option<TrustState> {
    l.trust_state(&TRUST).unwrap()
}

/// The held versions: root, timestamp, snapshot, targets.
fn versions(s: &TrustState) -> [u64; 4] {
    [
        s.root_version,
        s.timestamp_version,
        s.snapshot_version,
        s.targets_version,
    ]
}

fn held_root(l: &mut Loader<Flash>) -> Vec<u8> {
    let mut buf = vec![0u8; 16 * 1024];
    l.trusted_root(&TRUST, &mut buf).unwrap().1.to_vec()
}

/// Refused with exactly `want`, and no flash operation.
#[track_caller]
fn refused_untouched(
    l: &mut Loader<Flash>,
    pkg: &[u8],
    rtc: Option<UnixTime>,
    want: impl Into<Want>,
) {
    let want = want.into();
    let before = l.flash().mem.clone();
    let ops = l.flash().ops;
    let got = apply_with(l, pkg, &tuf_root(), rtc, 13 * 1024).unwrap_err();
    assert!(want.matches(&got), "{got:?}, expected {want:?}");
    assert_eq!(l.flash().ops, ops, "no flash operation");
    assert!(l.flash().mem == before, "the flash is unchanged");
}

/// What a refusal must be: a loader check, or the TUF client's check of
/// a role.
#[derive(Debug, Clone, Copy)]
enum Want {
    Is(Refused),
    Tuf(Role, TufCheck),
}

impl From<Refused> for Want {
    fn from(r: Refused) -> Self {
        Want::Is(r)
    }
}

impl Want {
    fn matches(&self, got: &Refused) -> bool {
        match (self, got) {
            (Want::Is(w), g) => w == g,
            (
                Want::Tuf(role, check),
                Refused::Tuf(TufError {
                    role: r, check: c, ..
                }),
            ) => r == role && c == check,
            _ => false,
        }
    }
}

fn tuf(role: Role, check: TufCheck) -> Want {
    Want::Tuf(role, check)
}

/// A device after update-1 (root 1 -> 2), and after update-2.
fn updated(n: usize) -> Loader<Flash> {
    let mut l = loader(blank());
    apply(&mut l, &pack(&members("update-1"))).unwrap();
    if n == 2 {
        apply(&mut l, &pack(&members("update-2"))).unwrap();
    }
    let flash = l.into_flash().reboot();
    loader(flash)
}

#[test]
fn a_device_without_trust_state_refuses_sigstore_until_a_package_is_applied() {
    let mut l = loader(blank());
    assert_eq!(held(&mut l), None);
    let mut buf = vec![0u8; 16 * 1024];
    assert_eq!(
        l.trusted_root(&TRUST, &mut buf).unwrap_err(),
        Refused::NoTrust
    );
    assert_eq!(Refused::NoTrust.name(), "loader.no_trust");
}

#[test]
fn trust_packages_rotate_the_root_and_raise_the_held_versions() {
    let mut l = loader(blank());
    let u = apply(&mut l, &pack(&members("update-1"))).unwrap();
    assert_eq!((u.outcome.root_from, u.outcome.root_to), (1, 2));
    assert_eq!(versions(&u.state), [2, 1, 1, 1]);
    assert_eq!((u.state.area, u.state.seq), (0, 1));
    // No clock and no time floor: freshness not checked, and said so.
    assert_eq!(u.outcome.freshness.now, None);
    assert!(!u.outcome.freshness.enforced);
    assert!(u.ops > 0);
    assert_eq!(held(&mut l), Some(u.state));
    assert_eq!(held_root(&mut l), target());

    // The next package, verified against the held root v2 (its copy of
    // 2.root.json is not newer: skipped) and the held timestamp v1.
    let u2 = apply(&mut l, &pack(&members("update-2"))).unwrap();
    assert_eq!((u2.outcome.root_from, u2.outcome.root_to), (2, 2));
    assert_eq!(versions(&u2.state), [2, 2, 2, 2]);
    assert_eq!((u2.state.area, u2.state.seq), (1, 2));
    assert_eq!(held(&mut l), Some(u2.state));
    assert_eq!(held_root(&mut l), target());
}

/// Installs and confirms the Rekor v1 model of testdata/sigstore, verified
/// with the trusted root held in flash (no clock).
fn install_model(l: &mut Loader<Flash>) -> oms_edge_loader::State {
    let root = TrustedRoot::parse(&held_root(l)).unwrap();
    let verifier = SigstoreVerifier::new(
        &root,
        IdentityPolicy::exact("signer@example.com", "https://oidc.example.com"),
    );
    let bundle =
        std::fs::read(repo().join("testdata/sigstore/cases/v1-dsse-model/bundle.sigstore.json"))
            .unwrap();
    let files = read_model(
        &repo().join("testdata/sigstore/models/tiny-model"),
        &[
            "README.md",
            "config.json",
            "tokenizer/vocab.txt",
            "weights.bin",
        ],
    );
    install_confirmed(l, &package(&bundle, &files), &verifier, Time::NoClock).unwrap()
}

#[test]
fn a_sigstore_model_verifies_with_the_trusted_root_from_flash() {
    let mut l = updated(2);
    let state = install_model(&mut l);
    assert!(state.active.is_some());
    // The trust state is untouched by model updates.
    assert_eq!(versions(&held(&mut l).unwrap()), [2, 2, 2, 2]);
}

#[test]
fn replayed_older_and_same_packages_are_refused_without_a_flash_operation() {
    let mut l = updated(2);
    // update-1's timestamp v1 after the held v2 (§5.4.3).
    refused_untouched(
        &mut l,
        &pack(&members("update-1")),
        None,
        tuf(Role::Timestamp, TufCheck::Rollback { held: 2, new: 1 }),
    );
    // update-2 again: the held timestamp, nothing newer.
    refused_untouched(
        &mut l,
        &pack(&members("update-2")),
        None,
        Refused::TrustUnchanged,
    );
    assert_eq!(versions(&held(&mut l).unwrap()), [2, 2, 2, 2]);
}

/// `members` with byte `at` of member `name` flipped.
fn tampered(dir: &str, name: &str, at: usize) -> Vec<u8> {
    let mut m = members(dir);
    let f = m.iter_mut().find(|(n, _)| n == name).unwrap();
    f.1[at] ^= 1;
    pack(&m)
}

#[test]
fn tampered_packages_are_refused_with_their_check_and_no_flash_operation() {
    let mut l = updated(1);
    // The target: its SHA-256 (and SHA-512) as targets.json lists them.
    refused_untouched(
        &mut l,
        &tampered("update-2", "trusted_root.json", 100),
        None,
        tuf(Role::TargetFile, TufCheck::Hash(HashAlg::Sha256)),
    );
    // A signed field of the timestamp: its signature no longer verifies.
    let ts = &members("update-2")[1].1;
    let at = ts.windows(9).position(|w| w == b"\"version\"").unwrap() + 11;
    refused_untouched(
        &mut l,
        &tampered("update-2", "timestamp.json", at),
        None,
        tuf(
            Role::Timestamp,
            TufCheck::Threshold {
                valid: 0,
                threshold: 1,
            },
        ),
    );
    // The snapshot: not what the timestamp pins.
    refused_untouched(
        &mut l,
        &tampered("update-2", "snapshot.json", 300),
        None,
        tuf(Role::Snapshot, TufCheck::Hash(HashAlg::Sha256)),
    );
}

#[test]
fn a_root_signed_with_a_key_type_left_out_does_not_count() {
    // The generated repository of testdata/tuf/generated: root v2's root
    // keys are R2 (ECDSA) and R3 (RSA-PSS), 2 of 2. Without the core's
    // `rsa` feature (as in the firmware) R3 is unusable: 1 of 2.
    let generated = repo().join("testdata/tuf/generated/repo");
    let read = |n: &str| std::fs::read(generated.join(n)).unwrap();
    let pkg = tar(&[
        ("2.root.json", &read("2.root.json")),
        ("timestamp.json", &read("timestamp.json")),
    ]);
    let mut l = loader(blank());
    let before = l.flash().mem.clone();
    let got = apply_with(&mut l, &pkg, &read("1.root.json"), None, 13 * 1024).unwrap_err();
    assert!(
        tuf(
            Role::Root,
            TufCheck::Threshold {
                valid: 1,
                threshold: 2
            }
        )
        .matches(&got),
        "{got:?}"
    );
    assert_eq!(got.name(), "tuf.threshold");
    assert_eq!(l.flash().ops, 0);
    assert!(l.flash().mem == before);
}

#[test]
fn expired_metadata_is_refused_at_a_known_time_or_below_the_time_floor() {
    let expired = pack(&members("expired"));
    // With a clock reading after 2021-01-01.
    let mut l = updated(2);
    refused_untouched(
        &mut l,
        &expired,
        Some(UnixTime::from_secs(1_700_000_000)),
        tuf(
            Role::Timestamp,
            TufCheck::Expired {
                expires: 1_609_459_200,
                now: 1_700_000_000,
            },
        ),
    );
    // Without a clock, after a model signed on 2025-06-02 verified: the
    // time floor is a time the metadata had certainly expired by.
    let state = install_model(&mut l);
    let floor = state.time_floor;
    assert_eq!(floor, 1_748_858_423);
    refused_untouched(
        &mut l,
        &expired,
        None,
        tuf(
            Role::Timestamp,
            TufCheck::Expired {
                expires: 1_609_459_200,
                now: floor,
            },
        ),
    );
    // Without a clock or a floor, the same package is accepted: freshness
    // not checked (the outcome says so).
    let mut fresh = updated(2);
    let u = apply(&mut fresh, &expired).unwrap();
    assert_eq!(u.outcome.freshness.now, None);
    assert_eq!(versions(&u.state), [2, 3, 3, 3]);
}

#[test]
fn malformed_packages_are_refused_without_a_flash_operation() {
    let mut l = updated(1);
    let m = members("update-2");
    // Snapshot before timestamp.
    let mut swapped = m.clone();
    swapped.swap(1, 2);
    refused_untouched(&mut l, &pack(&swapped), None, Refused::TrustPackage);
    // A member of another name.
    let mut other = m.clone();
    other[4].0 = "other.json".into();
    refused_untouched(&mut l, &pack(&other), None, Refused::TrustPackage);
    // No target.
    refused_untouched(&mut l, &pack(&m[..4]), None, Refused::TrustPackage);
    // A member larger than the work buffer.
    let before = l.flash().ops;
    assert_eq!(
        apply_with(&mut l, &pack(&m), &tuf_root(), None, 4096).unwrap_err(),
        Refused::TrustTooLarge
    );
    assert_eq!(l.flash().ops, before);
    // Truncated.
    let full = pack(&m);
    refused_untouched(
        &mut l,
        &full[..full.len() - 2048],
        None,
        Refused::Package(oms_edge_loader::PackageError::Truncated),
    );
}

/// A power cut at every flash operation of `pkg`'s update of `base`, with
/// every tear: each reboot holds the old state or the new one (`new`
/// versions), never neither and never a mix; the update then completes.
fn cut_sweep(base: Flash, pkg: &[u8], new: [u64; 4]) -> usize {
    let old = held(&mut loader(base.clone())).unwrap();
    let ops = {
        let mut l = loader(base.clone());
        apply(&mut l, pkg).unwrap().ops as usize
    };
    assert!(ops > 3);
    for tear in TEARS {
        for i in 1..=ops {
            let mut l = loader(base.clone().cut(i, tear));
            assert!(apply(&mut l, pkg).is_err(), "cut at {i} stops it");
            let mut l = loader(l.into_flash().reboot());
            let now = held(&mut l).expect("never neither");
            // The record is the last operation and a torn one is invalid:
            // every cut leaves the old state, whole.
            assert_eq!(now, old, "cut at {i} ({tear:?})");
            assert_eq!(held_root(&mut l), target());
            let u = apply(&mut l, pkg).unwrap();
            assert_eq!(versions(&u.state), new);
            assert_eq!(held(&mut l), Some(u.state));
        }
    }
    ops
}

#[test]
fn a_power_cut_at_any_flash_operation_of_a_trust_update_leaves_the_old_or_the_new_state() {
    // Into the blank area 1, then over area 0's older state.
    let ops = cut_sweep(
        updated(1).into_flash(),
        &pack(&members("update-2")),
        [2, 2, 2, 2],
    );
    let ops3 = cut_sweep(
        updated(2).into_flash(),
        &pack(&members("expired")),
        [2, 3, 3, 3],
    );
    assert_eq!(ops, ops3);
}

#[test]
fn a_power_cut_during_the_first_trust_update_leaves_none_or_the_new_state() {
    let pkg = pack(&members("update-1"));
    let ops = apply(&mut loader(blank()), &pkg).unwrap().ops as usize;
    for tear in TEARS {
        for i in 1..=ops {
            let mut l = loader(blank().cut(i, tear));
            assert!(apply(&mut l, &pkg).is_err());
            let mut l = loader(l.into_flash().reboot());
            assert_eq!(held(&mut l), None, "cut at {i} ({tear:?})");
            assert_eq!(versions(&apply(&mut l, &pkg).unwrap().state), [2, 1, 1, 1]);
        }
    }
}

#[test]
fn the_real_sigstore_update_from_root_13_to_15() {
    // The 2025-10-15 state's root (v13) as the compiled-in TUF root, and
    // the 2026-08-21 state as the package: roots 14 and 15, timestamp,
    // snapshot, targets and trusted_root.json.
    let prod = repo().join("testdata/tuf/sigstore-prod");
    let read = |p: &str| std::fs::read(prod.join(p)).unwrap();
    let v13 = read("2025-10-15/metadata/root.json");
    let new = "2026-08-21/";
    let names = [
        ("14.root.json", "metadata/root_history/14.root.json"),
        ("15.root.json", "metadata/root_history/15.root.json"),
        ("timestamp.json", "metadata/timestamp.json"),
        ("snapshot.json", "metadata/snapshot.json"),
        ("targets.json", "metadata/targets.json"),
        ("trusted_root.json", "targets/trusted_root.json"),
    ];
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|(n, p)| (n.to_string(), read(&format!("{new}{p}"))))
        .collect();
    let mut l = loader(blank());
    let u = apply_with(&mut l, &pack(&files), &v13, None, 13 * 1024).unwrap();
    assert_eq!((u.outcome.root_from, u.outcome.root_to), (13, 15));
    assert_eq!(u.state.root_version, 15);
    let mut buf = vec![0u8; 16 * 1024];
    let got = l.trusted_root(&TRUST, &mut buf).unwrap().1.to_vec();
    assert_eq!(got, read("2026-08-21/targets/trusted_root.json"));
    TrustedRoot::parse(&got).unwrap();
    // Expiry enforced at a known time after the timestamp's `expires`.
    let mut l = loader(blank());
    let late = UnixTime::from_secs(u.outcome.timestamp_expires.unwrap() + 1);
    assert_eq!(
        apply_with(&mut l, &pack(&files), &v13, Some(late), 13 * 1024)
            .unwrap_err()
            .name(),
        "tuf.expired"
    );
    assert_eq!(l.flash().ops, 0);
}

/// Offset of the commit record of `area` in the flash.
fn record_at(area: u8) -> usize {
    (TRUST.areas[area as usize] + AREA) as usize - ERASE
}

/// Flips one bit of byte `at` of file `i` (0 root, 1 timestamp, 2
/// snapshot, 3 trusted root) of `state`'s area.
fn damage_file(l: &mut Loader<Flash>, state: &TrustState, i: usize, at: usize) {
    let before: u32 = state.lens[..i].iter().sum();
    assert!(at < state.lens[i] as usize);
    let off = TRUST.areas[state.area as usize] as usize + before as usize + at;
    l.flash().mem[off] ^= 0x10;
}

/// Rewrites `area`'s commit record with file `i`'s length set to `len`,
/// its CRC recomputed: a record as valid as one the loader writes.
fn set_len(l: &mut Loader<Flash>, area: u8, i: usize, len: u32) {
    const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
    let r = record_at(area);
    let mem = &mut l.flash().mem;
    mem[r + 8 + 4 * i..r + 12 + 4 * i].copy_from_slice(&len.to_le_bytes());
    let crc = CRC32.checksum(&mem[r..r + 124]);
    mem[r + 124..r + 128].copy_from_slice(&crc.to_le_bytes());
}

/// Every way in which the damaged state is used is refused with
/// `loader.trust_damaged` and no flash operation.
#[track_caller]
fn refuses_damaged(l: &mut Loader<Flash>, area: u8) {
    let want = Refused::TrustDamaged { area };
    assert_eq!(l.trust_state(&TRUST), Err(want));
    let mut buf = vec![0u8; 16 * 1024];
    assert_eq!(l.trusted_root(&TRUST, &mut buf).unwrap_err(), want);
    // A package the intact state would take (timestamp 3 over 2), and
    // the first one: neither starts from the older area.
    refused_untouched(l, &pack(&members("expired")), None, want);
    refused_untouched(l, &pack(&members("update-1")), None, want);
    assert_eq!(l.flash().ops, 0);
    assert_eq!(want.code(), 9212);
    assert_eq!(want.name(), "loader.trust_damaged");
}

#[test]
fn a_damaged_newest_trust_area_is_refused_not_replaced_by_the_older_one() {
    for (file, at) in [(3, 100), (0, 0), (0, 200), (1, 50), (2, 10)] {
        let mut l = updated(2);
        let newest = held(&mut l).unwrap();
        assert_eq!((newest.area, newest.seq), (1, 2));
        // Area 0 still holds the state of update-1, intact.
        damage_file(&mut l, &newest, file, at);
        refuses_damaged(&mut l, 1);
    }
    // After one update only: the newest is area 0, the other uncommitted.
    let mut l = updated(1);
    let newest = held(&mut l).unwrap();
    damage_file(&mut l, &newest, 3, 7);
    refuses_damaged(&mut l, 0);
}

#[test]
fn a_damaged_older_trust_area_under_an_intact_newer_one_does_not_matter() {
    let mut l = updated(2);
    let newest = held(&mut l).unwrap();
    // Byte 0 of area 0: its root.json.
    l.flash().mem[TRUST.areas[0] as usize] ^= 0x10;
    assert_eq!(held(&mut l), Some(newest));
    assert_eq!(held_root(&mut l), target());
    // A valid record with lengths beyond the room, in the older area.
    set_len(&mut l, 0, 3, AREA);
    assert_eq!(held(&mut l), Some(newest));
    // The next update starts from the newer state and goes over the
    // damaged area.
    let u = apply(&mut l, &pack(&members("expired"))).unwrap();
    assert_eq!(u.outcome.timestamp, Some(3));
    assert_eq!((u.state.area, u.state.seq), (0, 3));
    assert_eq!(held(&mut l), Some(u.state));
    install_model(&mut l);
}

#[test]
fn a_valid_record_whose_lengths_do_not_fit_is_damaged_not_ignored() {
    // Beyond the room (the area less the record's sector), and a sum
    // that overflows u32.
    for (i, len) in [(3, AREA - ERASE as u32 + 1), (0, AREA), (3, u32::MAX)] {
        let mut l = updated(2);
        set_len(&mut l, 1, i, len);
        refuses_damaged(&mut l, 1);
    }
    // Within the room but not what the digest covers: damaged too.
    let mut l = updated(2);
    let lens = held(&mut l).unwrap().lens;
    set_len(&mut l, 1, 3, lens[3] - 1);
    refuses_damaged(&mut l, 1);
    // A record that fails its CRC is no commit: the older state counts
    // (a torn record write looks the same).
    let mut l = updated(2);
    let r = record_at(1);
    l.flash().mem[r + 8] ^= 1;
    assert_eq!(held(&mut l).map(|s| (s.area, s.seq)), Some((0, 1)));
}

#[test]
fn a_damaged_trust_state_is_re_provisioned_by_erasing_it() {
    let mut l = updated(2);
    let newest = held(&mut l).unwrap();
    damage_file(&mut l, &newest, 3, 100);
    refuses_damaged(&mut l, 1);
    assert_eq!(l.erase_trust(&TRUST), Ok(2));
    assert_eq!(l.flash().ops, 2);
    // A device without trust state: as a new one.
    let mut l = loader(l.into_flash().reboot());
    assert_eq!(held(&mut l), None);
    let mut buf = vec![0u8; 16 * 1024];
    assert_eq!(
        l.trusted_root(&TRUST, &mut buf).unwrap_err(),
        Refused::NoTrust
    );
    // The first package is verified against the compiled-in TUF root;
    // the erase dropped the held versions (update-1's timestamp 1 is
    // older than the damaged state's 2).
    let u = apply(&mut l, &pack(&members("update-1"))).unwrap();
    assert_eq!((u.outcome.root_from, u.outcome.root_to), (1, 2));
    assert_eq!(versions(&u.state), [2, 1, 1, 1]);
    install_model(&mut l);
    let u = apply(&mut l, &pack(&members("update-2"))).unwrap();
    assert_eq!(versions(&u.state), [2, 2, 2, 2]);
}

#[test]
fn a_power_cut_while_erasing_the_trust_state_never_exposes_the_older_one() {
    let intact = updated(2).into_flash();
    let mut damaged = loader(intact.clone());
    let newest = held(&mut damaged).unwrap();
    damage_file(&mut damaged, &newest, 0, 3);
    let damaged = damaged.into_flash();
    for (base, before) in [
        (intact, Ok(Some(newest))),
        (damaged, Err(Refused::TrustDamaged { area: 1 })),
    ] {
        for tear in TEARS {
            for i in 1..=2 {
                let mut l = loader(base.clone().cut(i, tear));
                assert!(l.erase_trust(&TRUST).is_err());
                let mut l = loader(l.into_flash().reboot());
                let now = l.trust_state(&TRUST);
                assert!(now == before || now == Ok(None), "cut at {i} ({tear:?})");
                assert_eq!(l.erase_trust(&TRUST), Ok(2));
                assert_eq!(held(&mut l), None);
                let u = apply(&mut l, &pack(&members("update-1"))).unwrap();
                assert_eq!(versions(&u.state), [2, 1, 1, 1]);
            }
        }
    }
}

#[test]
fn a_write_that_does_not_take_leaves_the_old_state_never_a_damaged_one() {
    // A bit lost in every write of a trust update in turn (a file page,
    // or the record): the update is refused and the old state stays;
    // the files are read back before the record is written.
    let base = updated(1).into_flash();
    let old = held(&mut loader(base.clone())).unwrap();
    let pkg = pack(&members("update-2"));
    let ops = apply(&mut loader(base.clone()), &pkg).unwrap().ops as usize;
    let mut refused = 0;
    for i in 1..=ops {
        let mut f = base.clone();
        f.ops = 0;
        f.corrupt_write = Some(i);
        let mut l = loader(f);
        match apply(&mut l, &pkg) {
            // An erase: nothing to corrupt.
            Ok(u) => assert_eq!(held(&mut l), Some(u.state)),
            Err(e) => {
                assert_eq!(e, Refused::AtRest, "write {i}");
                refused += 1;
                let mut l = loader(l.into_flash().reboot());
                assert_eq!(held(&mut l), Some(old), "write {i}");
                assert_eq!(versions(&apply(&mut l, &pkg).unwrap().state), [2, 2, 2, 2]);
            }
        }
    }
    assert!(refused > 2, "{refused} writes");
}
