//! The key variant: clean updates, trial boots, a power cut at every flash
//! operation of an update, its trial boot and its confirmation (three
//! ways to tear), refusals before any flash operation, and every read and
//! write unit from 1 to 32 bytes.

mod common;

use common::*;
use oms_edge_core::Digest;
use oms_edge_core::Error;
use oms_edge_core::ModelError;
use oms_edge_core::PublicKey;
use oms_edge_core::{KeyVerifier, Time, Verifier};
use oms_edge_loader::{Boot, Loader, PackageError, Refused, State, Trial};

const NAMES: [&str; 4] = [
    "VERSION",
    "config.json",
    "tokenizer/vocab.txt",
    "weights.bin",
];

struct Version {
    files: Files,
    bundle: Vec<u8>,
    pkg: Vec<u8>,
    root: Digest,
}

fn version(v: u32) -> Version {
    let dir = fw_testdata();
    let files = read_model(&dir.join(format!("model-v{v}")), &NAMES);
    let bundle = std::fs::read(dir.join(format!("model-v{v}.sig"))).unwrap();
    let pkg = package(&bundle, &files);
    let mut payload = vec![0; bundle.len()];
    let root = trust()
        .verify(&bundle, TIME, &mut payload)
        .unwrap()
        .manifest()
        .root_digest()
        .unwrap();
    Version {
        files,
        bundle,
        pkg,
        root,
    }
}

/// The key method needs no time: the device has no clock.
const TIME: Time = Time::NoClock;

fn key(name: &str) -> KeyVerifier {
    let pem = std::fs::read(repo().join("testdata/keys").join(name)).unwrap();
    KeyVerifier::new(PublicKey::from_pem_or_der(&pem).unwrap())
}

fn trust() -> KeyVerifier {
    key("p256.pub.pem")
}

fn loader<const R: usize, const W: usize>(flash: SimFlash<R, W>) -> Loader<SimFlash<R, W>> {
    Loader::new(flash, LAYOUT).unwrap()
}

/// The state of a flash, after checking that the model it boots verifies
/// at rest and that its slot holds exactly one of `models`, file by file.
fn check<const R: usize, const W: usize>(
    l: &mut Loader<SimFlash<R, W>>,
    models: &[&Version],
) -> Option<State> {
    let state = l.state().unwrap();
    let mut bufs = Bufs::default();
    let active = l.verify_active(&trust(), TIME, bufs.get()).unwrap();
    assert_eq!(active, state.and_then(|s| s.active));
    if let Some(m) = active {
        let files = slot_files(l, &m);
        let matching = models
            .iter()
            .filter(|v| v.files == files && v.root == m.root);
        assert_eq!(
            matching.count(),
            1,
            "slot {} holds none of the models",
            m.slot
        );
    }
    state
}

/// Flash with `versions` installed and confirmed one after the other.
fn installed(versions: &[u32]) -> Flash {
    let mut l = loader(Flash::blank());
    for &v in versions {
        install_confirmed(&mut l, &version(v).pkg, &trust(), TIME).unwrap();
    }
    l.into_flash()
}

fn root_of(boot: &Boot) -> Option<Digest> {
    boot.model().map(|m| m.root)
}

#[test]
fn clean_updates_boot_on_trial_then_confirmed() {
    let mut l = loader(Flash::blank());
    assert_eq!(l.boot().unwrap(), Boot::Empty);
    for v in 1..=3 {
        let m = version(v);
        let s = install(&mut l, &m.pkg, &trust(), TIME).unwrap();
        let model = s.active.unwrap();
        assert_eq!(
            (s.trial, model.version, model.root),
            (Trial::Pending, u64::from(v), m.root)
        );
        assert_eq!(model.slot, ((v + 1) % 2) as u8);
        assert_eq!(slot_files(&mut l, &model), m.files);
        assert_eq!(l.boot().unwrap(), Boot::Trial(model));
        let s = l.mark_good().unwrap().unwrap();
        assert_eq!(
            (s.trial, s.floor, s.fallback),
            (Trial::Confirmed, u64::from(v), None)
        );
        assert_eq!(l.boot().unwrap(), Boot::Confirmed(model));
        // Confirming again writes nothing.
        let ops = l.flash().ops;
        assert_eq!(l.mark_good().unwrap(), Some(s));
        assert_eq!(l.flash().ops, ops);
    }
    let mut l = loader(l.into_flash().reboot());
    let s = check(&mut l, &[&version(3)]).unwrap();
    assert_eq!(s.active.unwrap().version, 3);
}

#[test]
fn an_unconfirmed_trial_reverts_at_the_next_boot() {
    let mut l = loader(installed(&[1]));
    let v1 = l.state().unwrap().unwrap().active.unwrap();
    let s = install(&mut l, &version(2).pkg, &trust(), TIME).unwrap();
    let v2 = s.active.unwrap();
    assert_eq!(s.fallback, Some(v1));
    // Another update waits until the trial is decided.
    assert_eq!(
        verify(&mut l, &version(3).pkg, &trust(), TIME).unwrap_err(),
        Refused::TrialPending
    );
    assert_eq!(l.boot().unwrap(), Boot::Trial(v2));
    // Not confirmed: the next boot goes back to v1.
    let mut l = loader(l.into_flash().reboot());
    assert_eq!(
        l.boot().unwrap(),
        Boot::Reverted {
            to: Some(v1),
            from: v2
        }
    );
    let s = check(&mut l, &[&version(1)]).unwrap();
    assert_eq!(
        (s.trial, s.floor, s.active),
        (Trial::Confirmed, 1, Some(v1))
    );
    assert_eq!(l.boot().unwrap(), Boot::Confirmed(v1));
    // v2 can be offered again.
    install_confirmed(&mut l, &version(2).pkg, &trust(), TIME).unwrap();
}

#[test]
fn the_application_can_reject_a_trial() {
    let mut l = loader(installed(&[1]));
    install(&mut l, &version(2).pkg, &trust(), TIME).unwrap();
    let Boot::Trial(v2) = l.boot().unwrap() else {
        panic!("not on trial")
    };
    let s = l.revert().unwrap().unwrap();
    assert_eq!((s.trial, s.active.unwrap().version), (Trial::Confirmed, 1));
    assert_ne!(s.active, Some(v2));
    // A confirmed model is not reverted.
    let ops = l.flash().ops;
    assert_eq!(l.revert().unwrap(), Some(s));
    assert_eq!(l.flash().ops, ops);
}

#[test]
fn a_first_install_that_is_not_confirmed_leaves_no_model() {
    let mut l = loader(Flash::blank());
    install(&mut l, &version(1).pkg, &trust(), TIME).unwrap();
    assert!(matches!(l.boot().unwrap(), Boot::Trial(_)));
    assert!(matches!(l.boot().unwrap(), Boot::Reverted { to: None, .. }));
    assert_eq!(l.boot().unwrap(), Boot::Empty);
}

/// One step of a device's life.
#[derive(Debug, Clone, Copy)]
enum Step {
    Update(u32),
    Boot,
    MarkGood,
}

fn run_step<const R: usize, const W: usize>(
    l: &mut Loader<SimFlash<R, W>>,
    step: Step,
) -> Result<(), Refused> {
    match step {
        Step::Update(v) => install(l, &version(v).pkg, &trust(), TIME).map(|_| ()),
        Step::Boot => l.boot().map(|_| ()),
        Step::MarkGood => l.mark_good().map(|_| ()),
    }
}

const UPDATE: [Step; 3] = [Step::Update(0), Step::Boot, Step::MarkGood];

/// The flash operations of `steps` (an update to `new`, its trial boot and
/// its confirmation) from `base`, then a power cut at each of them, torn
/// each way: every reboot boots the old model or the new one, verified at
/// rest, never neither; finishing the update then confirms the new one.
/// Returns the number of operations.
fn power_cut_sweep<const R: usize, const W: usize>(
    base: SimFlash<R, W>,
    old: Option<u32>,
    new: u32,
) -> usize {
    let steps = UPDATE.map(|s| match s {
        Step::Update(_) => Step::Update(new),
        s => s,
    });
    let new_v = version(new);
    let old_root = old.map(|v| version(v).root);
    let mut models = vec![&new_v];
    let old_v = old.map(version);
    models.extend(old_v.as_ref());

    let mut clean = loader(base.clone().reboot());
    for &s in &steps {
        run_step(&mut clean, s).unwrap();
    }
    let n = clean.flash().ops;
    let want = clean.state().unwrap();
    assert!(n > 3);

    for tear in TEARS {
        for i in 1..=n + 1 {
            let mut l = loader(base.clone().reboot().cut(i, tear));
            let result = steps.iter().try_for_each(|&s| run_step(&mut l, s));
            assert_eq!(
                result.is_ok(),
                i > n,
                "cut at {i}/{n} ({tear:?}): {result:?}"
            );
            // Power comes back.
            let mut l = loader(l.into_flash().reboot());
            let boot = l.boot().unwrap();
            let root = root_of(&boot);
            assert!(
                root == Some(new_v.root) || root == old_root,
                "cut at {i}/{n} ({tear:?}): boots {boot:?}"
            );
            if old.is_some() {
                assert_ne!(boot, Boot::Empty, "cut at {i}/{n} ({tear:?})");
            }
            check(&mut l, &models);
            // Finish: confirm the new model on trial, or update again.
            match boot {
                Boot::Trial(m) if m.root == new_v.root => {
                    l.mark_good().unwrap();
                }
                Boot::Confirmed(m) if m.root == new_v.root => {}
                _ => {
                    for &s in &steps {
                        run_step(&mut l, s).unwrap();
                    }
                }
            }
            let s = check(&mut l, &[&new_v]).unwrap();
            assert_eq!(s.trial, Trial::Confirmed);
            assert_eq!(s.active.map(|m| m.root), Some(new_v.root));
            assert_eq!(s.floor, want.unwrap().floor);
        }
    }
    n
}

#[test]
fn power_cut_at_every_operation_of_a_first_install() {
    let n = power_cut_sweep(SimFlash::<1, 4>::blank(), None, 1);
    eprintln!("first install: {n} flash operations, {} cuts", 3 * (n + 1));
}

#[test]
fn power_cut_at_every_operation_of_an_update() {
    let n = power_cut_sweep(installed(&[1]), Some(1), 2);
    eprintln!(
        "update v1 -> v2: {n} flash operations, {} cuts",
        3 * (n + 1)
    );
}

#[test]
fn power_cut_at_every_operation_of_an_update_that_wraps_the_state_log() {
    // 21 records fit a 4 KiB sector: reinstalling v1 (3 records each)
    // fills the first sector, so the next update erases the second one.
    let mut l = loader(installed(&[1]));
    while !matches!(l.state().unwrap(), Some(State { seq: 21, .. })) {
        install_confirmed(&mut l, &version(1).pkg, &trust(), TIME).unwrap();
        assert!(l.state().unwrap().unwrap().seq <= 21);
    }
    let n = power_cut_sweep(l.into_flash(), Some(1), 2);
    eprintln!("update across the log's sectors: {n} flash operations");
}

/// Every read unit (1, and 4 as the nRF QSPI) with every write unit from
/// 1 to 32 bytes: an update, and a power cut at each of its operations.
#[test]
fn any_read_and_write_unit() {
    fn one<const R: usize, const W: usize>() -> usize {
        let mut l = loader(SimFlash::<R, W>::blank());
        install_confirmed(&mut l, &version(1).pkg, &trust(), TIME).unwrap();
        power_cut_sweep(l.into_flash(), Some(1), 2)
    }
    let ops = [
        one::<1, 1>(),
        one::<1, 8>(),
        one::<4, 4>(),
        one::<4, 8>(),
        one::<4, 16>(),
        one::<4, 32>(),
        one::<4, 1>(),
    ];
    eprintln!("operations per unit pair: {ops:?}");
}

/// Installs and confirms v1, then offers `pkg`: it must be refused, v1
/// stays active and verified, and (`untouched`) no flash operation
/// happened.
fn refused_over_v1(pkg: &[u8], trust: &KeyVerifier, untouched: bool) -> Refused {
    let mut l = loader(installed(&[1]).reboot());
    let before = l.state().unwrap();
    let err = verify(&mut l, pkg, trust, TIME).unwrap_err();
    if untouched {
        assert_eq!(l.flash().ops, 0, "{err:?}: flash operations before refusal");
    }
    assert_eq!(check(&mut l, &[&version(1)]), before);
    err
}

#[test]
fn a_replayed_older_package_is_refused_before_any_flash_operation() {
    let mut l = loader(installed(&[1, 2]).reboot());
    let before = l.state().unwrap();
    let err = verify(&mut l, &version(1).pkg, &trust(), TIME).unwrap_err();
    assert_eq!(
        err,
        Refused::Rollback {
            confirmed: 2,
            offered: 1
        }
    );
    assert_eq!(l.flash().ops, 0);
    assert_eq!(check(&mut l, &[&version(2)]), before);
}

#[test]
fn a_tampered_version_file_is_refused_before_any_flash_operation() {
    let mut v2 = version(2);
    v2.files[0].1 = b"9\n".to_vec();
    let err = refused_over_v1(&package(&v2.bundle, &v2.files), &trust(), true);
    assert!(
        matches!(
            err,
            Refused::Verify(Error::Model {
                index: 0,
                cause: ModelError::DigestMismatch { .. }
            })
        ),
        "{err:?}"
    );
}

#[test]
fn tampered_model_is_refused() {
    let mut v2 = version(2);
    v2.files[3].1[100] ^= 1;
    let pkg = package(&v2.bundle, &v2.files);
    let err = refused_over_v1(&pkg, &trust(), false);
    assert!(
        matches!(
            err,
            Refused::Verify(Error::Model {
                index: 3,
                cause: ModelError::DigestMismatch { .. }
            })
        ),
        "{err:?}"
    );
}

#[test]
fn tampered_bundle_is_refused_before_any_flash_operation() {
    let v2 = version(2);
    let text = String::from_utf8(v2.bundle.clone()).unwrap();
    // Change one character of the base64 payload.
    let at = text.find("\"payload\":\"").unwrap() + 40;
    let mut bundle = v2.bundle.clone();
    bundle[at] = if bundle[at] == b'A' { b'B' } else { b'A' };
    let err = refused_over_v1(&package(&bundle, &v2.files), &trust(), true);
    assert!(matches!(err, Refused::Verify(Error::Dsse(_))), "{err:?}");
}

#[test]
fn wrong_key_is_refused_before_any_flash_operation() {
    for k in ["wrong.pub.pem", "p384.pub.pem"] {
        let err = refused_over_v1(&version(2).pkg, &key(k), true);
        assert!(
            matches!(err, Refused::Verify(Error::Dsse(_))),
            "{k}: {err:?}"
        );
    }
}

#[test]
fn model_without_version_is_refused_before_any_flash_operation() {
    // The sample model of the main test data (signed by the reference
    // model_signing with the same test key) has no VERSION file.
    let sample = repo().join("testdata/sample");
    let files = read_model(
        &sample.join("model"),
        &["config.json", "model.safetensors", "tokenizer/vocab.txt"],
    );
    let pkg = package(&std::fs::read(sample.join("model.sig")).unwrap(), &files);
    let pem = std::fs::read(sample.join("key.pub")).unwrap();
    let sample_key = KeyVerifier::new(PublicKey::from_pem_or_der(&pem).unwrap());
    assert_eq!(refused_over_v1(&pkg, &sample_key, true), Refused::NoVersion);
}

#[test]
fn version_in_manifest_order_instead_of_first_is_refused() {
    // pack.sh puts VERSION right after model.sig; a package that does not
    // has no version to check before flashing.
    let v2 = version(2);
    let mut members: Vec<(&str, &[u8])> = vec![("model.sig", &v2.bundle)];
    members.extend(
        v2.files[1..]
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice())),
    );
    members.push(("VERSION", &v2.files[0].1));
    assert_eq!(
        refused_over_v1(&tar(&members), &trust(), true),
        Refused::NoVersion
    );
}

#[test]
fn truncated_package_is_refused() {
    let pkg = version(2).pkg;
    for len in [
        0,
        100,
        512,
        1024,
        3000,
        pkg.len() / 2,
        pkg.len() - 1024,
        pkg.len() - 1,
    ] {
        let err = refused_over_v1(&pkg[..len], &trust(), len < 3000);
        assert!(
            matches!(
                err,
                Refused::Package(PackageError::Truncated | PackageError::NoBundle)
            ),
            "{len}: {err:?}"
        );
    }
}

#[test]
fn extra_file_is_refused() {
    let mut v2 = version(2);
    v2.files
        .push(("zz-extra.bin".into(), b"not signed".to_vec()));
    let err = refused_over_v1(&package(&v2.bundle, &v2.files), &trust(), false);
    assert_eq!(err, Refused::Verify(Error::UnsignedFile));
}

#[test]
fn missing_file_is_refused() {
    let mut v2 = version(2);
    v2.files.remove(1);
    let err = refused_over_v1(&package(&v2.bundle, &v2.files), &trust(), false);
    assert!(
        matches!(
            err,
            Refused::Verify(Error::Model {
                index: 1,
                cause: ModelError::MissingFile
            })
        ),
        "{err:?}"
    );
}

#[test]
fn files_out_of_manifest_order_are_refused() {
    // A stream cannot look ahead: the file the manifest wants next is not
    // there, so it is missing.
    let mut v2 = version(2);
    v2.files.swap(1, 2);
    let err = refused_over_v1(&package(&v2.bundle, &v2.files), &trust(), false);
    assert!(
        matches!(
            err,
            Refused::Verify(Error::Model {
                index: 1,
                cause: ModelError::MissingFile
            })
        ),
        "{err:?}"
    );
}

#[test]
fn bundle_must_come_first() {
    let v2 = version(2);
    let mut members: Vec<(&str, &[u8])> = v2
        .files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    members.push(("model.sig", &v2.bundle));
    let err = refused_over_v1(&tar(&members), &trust(), true);
    assert_eq!(err, Refused::Package(PackageError::NoBundle));
}

#[test]
fn corrupted_header_is_refused() {
    let mut pkg = version(2).pkg;
    pkg[0] ^= 0x20; // the name of model.sig: checksum mismatch
    let err = refused_over_v1(&pkg, &trust(), true);
    assert_eq!(err, Refused::Package(PackageError::BadChecksum { at: 0 }));
}

#[test]
fn a_package_larger_than_a_slot_is_refused() {
    let mut v2 = version(2);
    v2.files[3].1 = vec![0; SLOT as usize];
    let err = refused_over_v1(&package(&v2.bundle, &v2.files), &trust(), false);
    assert_eq!(err, Refused::Package(PackageError::TooLarge));
}

#[test]
fn same_version_may_be_reinstalled() {
    let mut l = loader(installed(&[1, 2]));
    let s = install(&mut l, &version(2).pkg, &trust(), TIME).unwrap();
    let m = s.active.unwrap();
    assert_eq!((s.seq, m.slot, m.version), (7, 0, 2));
}

#[test]
fn corruption_while_writing_is_caught_at_rest() {
    let base = installed(&[1]).reboot();
    // Flip a bit of each write in turn.
    let mut clean = loader(base.clone());
    install(&mut clean, &version(2).pkg, &trust(), TIME).unwrap();
    let n = clean.flash().ops;
    let mut caught = 0;
    for k in 1..n {
        let mut flash = base.clone();
        flash.corrupt_write = Some(k);
        let mut l = loader(flash);
        match verify(&mut l, &version(2).pkg, &trust(), TIME) {
            Err(Refused::AtRest) => caught += 1,
            Err(e) => panic!("write {k}: {e:?}"),
            // Not a write of the slot (an erase).
            Ok(_) => {}
        }
        let state = check(&mut l, &[&version(1)]);
        assert_eq!(state.and_then(|s| s.active).map(|m| m.version), Some(1));
    }
    assert!(caught > 10, "{caught}");
}

#[test]
fn a_token_is_good_for_the_slot_as_verified_only() {
    let mut l = loader(installed(&[1]));
    let t2 = verify(&mut l, &version(2).pkg, &trust(), TIME).unwrap();
    // A second verification rewrites the slot: the first token is stale.
    let t3 = verify(&mut l, &version(3).pkg, &trust(), TIME).unwrap();
    assert_eq!(l.commit(t2).unwrap_err(), Refused::StaleToken);
    let s = l.commit(t3).unwrap();
    assert_eq!(s.active.unwrap().version, 3);
    assert_eq!(check(&mut l, &[&version(3)]), Some(s));
}

#[test]
fn layout_must_fit_the_flash() {
    let bad = [
        oms_edge_loader::Layout {
            slots: [0, 100],
            ..LAYOUT
        },
        oms_edge_loader::Layout {
            slots: [0, 0],
            ..LAYOUT
        },
        oms_edge_loader::Layout {
            state: LAYOUT.slots[1],
            ..LAYOUT
        },
        oms_edge_loader::Layout {
            state_sectors: 1,
            ..LAYOUT
        },
        oms_edge_loader::Layout {
            slot_size: SLOT * 4,
            ..LAYOUT
        },
    ];
    for layout in bad {
        assert_eq!(
            Loader::new(SimFlash::<1, 4>::blank(), layout).unwrap_err(),
            Refused::Layout,
            "{layout:?}"
        );
    }
}

#[test]
fn erased_or_zeroed_state_boots_nothing() {
    for fill in [0x00, 0xff] {
        let mut l = loader(SimFlash::<1, 4>::new(vec![fill; FLASH_BYTES]));
        assert_eq!(l.boot().unwrap(), Boot::Empty);
        // And a first install works over zeroed memory (it erases first).
        install_confirmed(&mut l, &version(1).pkg, &trust(), TIME).unwrap();
    }
}
