//! The key variant: clean updates, a power cut at every flash operation of
//! an update, and every refusal leaving the old model active.

mod common;

use common::*;
use oms_edge_core::Digest;
use oms_edge_core::Error;
use oms_edge_core::ModelError;
use oms_edge_core::PublicKey;
use oms_edge_core::{KeyVerifier, Time, Verifier};
use oms_edge_loader::ramflash::RamFlash;
use oms_edge_loader::{Loader, PackageError, Refused, State};

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

fn loader(flash: SimFlash) -> Loader<SimFlash> {
    Loader::new(flash, LAYOUT).unwrap()
}

/// Boots a flash and returns the confirmed state, after checking that it
/// verifies at rest and that its slot holds exactly one of `models`, and
/// that every valid record, the older one too, names a slot that holds
/// its model whole.
fn boot(mem: Vec<u8>, models: &[&Version]) -> (Option<State>, Vec<u8>) {
    let mut l = loader(SimFlash::new(mem));
    let state = l.boot().unwrap();
    let mut bufs = Bufs::default();
    assert_eq!(l.verify_active(&trust(), TIME, bufs.get()).unwrap(), state);
    if let Some(s) = state {
        let files = slot_files(&mut l, &s);
        let matching = models.iter().filter(|m| m.files == files).count();
        assert_eq!(matching, 1, "slot {} holds none of the models", s.slot);
    }
    let all = [version(1), version(2), version(3)];
    for r in l.records().unwrap().into_iter().flatten() {
        let model = all.iter().find(|m| m.root == r.root).unwrap();
        assert_eq!(slot_files(&mut l, &r), model.files, "record {r:?}");
    }
    (state, l.into_flash().mem)
}

/// Flash with `versions` installed one after the other.
fn installed(versions: &[u32]) -> Vec<u8> {
    let mut l = loader(SimFlash::blank());
    for &v in versions {
        install(&mut l, &version(v).pkg, &trust(), TIME).unwrap();
    }
    l.into_flash().mem
}

#[test]
fn clean_updates() {
    let mut l = loader(SimFlash::blank());
    assert_eq!(l.boot().unwrap(), None);
    let mut last = None;
    for v in 1..=3 {
        let m = version(v);
        let s = install(&mut l, &m.pkg, &trust(), TIME).unwrap();
        assert_eq!(s.version, u64::from(v));
        assert_eq!(s.seq, v);
        assert_eq!(s.slot, ((v + 1) % 2) as u8);
        assert_eq!(slot_files(&mut l, &s), m.files);
        assert_eq!(l.boot().unwrap(), Some(s));
        last = Some(s);
    }
    let mem = l.into_flash().mem;
    assert_eq!(boot(mem, &[&version(3)]).0, last);
}

/// The operations of one clean update from `before`, then a power cut at
/// each of them (both tear modes): the device reboots into the old model
/// or the new one, whole and verified; a retry then installs the new one.
fn power_cut_sweep(before: &[u32], new: u32) -> usize {
    let base = installed(before);
    let old_root = match before.last() {
        Some(_) => boot(base.clone(), &[&version(*before.last().unwrap())])
            .0
            .map(|s| s.root),
        None => None,
    };
    let new_v = version(new);
    let mut models: Vec<Version> = before.iter().map(|&v| version(v)).collect();
    models.push(version(new));
    let models: Vec<&Version> = models.iter().collect();

    let mut clean = loader(SimFlash::new(base.clone()));
    let new_state = install(&mut clean, &new_v.pkg, &trust(), TIME).unwrap();
    let n = clean.flash().ops;
    assert!(n > 3);

    for tear in [Tear::Lost, Tear::Half] {
        for i in 1..=n + 1 {
            let mut flash = SimFlash::new(base.clone());
            flash.cut_at = Some(i);
            flash.tear = tear;
            let mut l = loader(flash);
            let result = install(&mut l, &new_v.pkg, &trust(), TIME);
            assert_eq!(result.is_ok(), i > n, "cut at {i}/{n}: {result:?}");
            let (state, mem) = boot(l.into_flash().mem, &models);
            let root = state.map(|s| s.root);
            if i <= n {
                // The state record is the last operation: until it is
                // whole, the old model stays.
                assert_eq!(root, old_root, "cut at {i}/{n} ({tear:?})");
            } else {
                assert_eq!(state, Some(new_state));
            }
            // After the reboot, the update goes through.
            let mut l = loader(SimFlash::new(mem));
            let s = install(&mut l, &new_v.pkg, &trust(), TIME).unwrap();
            assert_eq!(s.root, new_state.root);
            let (state, _) = boot(l.into_flash().mem, &[&new_v]);
            assert_eq!(state.map(|s| s.root), Some(new_state.root));
        }
    }
    n
}

#[test]
fn power_cut_at_every_operation_of_a_first_install() {
    let n = power_cut_sweep(&[], 1);
    eprintln!("first install: {n} flash operations, {} cuts", 2 * (n + 1));
}

#[test]
fn power_cut_at_every_operation_of_an_update() {
    let n = power_cut_sweep(&[1], 2);
    eprintln!(
        "update v1 -> v2: {n} flash operations, {} cuts",
        2 * (n + 1)
    );
}

#[test]
fn power_cut_at_every_operation_of_an_update_over_an_older_record() {
    // v1 in slot 0 (record seq 1), v2 in slot 1 (seq 2): installing v3
    // into slot 0 first erases the record that still names slot 0.
    let n = power_cut_sweep(&[1, 2], 3);
    eprintln!(
        "update v2 -> v3: {n} flash operations, {} cuts",
        2 * (n + 1)
    );
}

/// Installs v1, then offers `pkg`: it must be refused with the result of
/// `expect`, and v1 stays active and verified.
fn refused_over_v1(pkg: &[u8], trust: &KeyVerifier) -> Refused {
    let base = installed(&[1]);
    let v1 = version(1);
    let mut l = loader(SimFlash::new(base));
    let before = l.boot().unwrap();
    let err = install(&mut l, pkg, trust, TIME).unwrap_err();
    let (state, _) = boot(l.into_flash().mem, &[&v1]);
    assert_eq!(state, before);
    err
}

#[test]
fn tampered_model_is_refused() {
    let mut v2 = version(2);
    v2.files[3].1[100] ^= 1;
    let pkg = package(&v2.bundle, &v2.files);
    let err = refused_over_v1(&pkg, &trust());
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
fn tampered_bundle_is_refused() {
    let v2 = version(2);
    let text = String::from_utf8(v2.bundle.clone()).unwrap();
    // Change one character of the base64 payload.
    let at = text.find("\"payload\":\"").unwrap() + 40;
    let mut bundle = v2.bundle.clone();
    bundle[at] = if bundle[at] == b'A' { b'B' } else { b'A' };
    let err = refused_over_v1(&package(&bundle, &v2.files), &trust());
    assert!(matches!(err, Refused::Verify(Error::Dsse(_))), "{err:?}");
}

#[test]
fn wrong_key_is_refused() {
    for k in ["wrong.pub.pem", "p384.pub.pem"] {
        let err = refused_over_v1(&version(2).pkg, &key(k));
        assert!(
            matches!(err, Refused::Verify(Error::Dsse(_))),
            "{k}: {err:?}"
        );
    }
}

#[test]
fn model_without_version_is_refused() {
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
    assert_eq!(refused_over_v1(&pkg, &sample_key), Refused::NoVersion);
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
        let err = refused_over_v1(&pkg[..len], &trust());
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
    let err = refused_over_v1(&package(&v2.bundle, &v2.files), &trust());
    assert_eq!(err, Refused::Verify(Error::UnsignedFile));
}

#[test]
fn missing_file_is_refused() {
    let mut v2 = version(2);
    v2.files.remove(1);
    let err = refused_over_v1(&package(&v2.bundle, &v2.files), &trust());
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
    let mut v2 = version(2);
    v2.files.swap(1, 2);
    let err = refused_over_v1(&package(&v2.bundle, &v2.files), &trust());
    assert_eq!(err, Refused::Package(PackageError::OutOfOrder));
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
    let err = refused_over_v1(&tar(&members), &trust());
    assert_eq!(err, Refused::Package(PackageError::NoBundle));
}

#[test]
fn corrupted_header_is_refused() {
    let mut pkg = version(2).pkg;
    pkg[0] ^= 0x20; // the name of model.sig: checksum mismatch
    let err = refused_over_v1(&pkg, &trust());
    assert_eq!(err, Refused::Package(PackageError::BadChecksum { at: 0 }));
}

#[test]
fn rollback_is_refused() {
    let base = installed(&[1, 2]);
    let mut l = loader(SimFlash::new(base));
    let before = l.boot().unwrap();
    let err = install(&mut l, &version(1).pkg, &trust(), TIME).unwrap_err();
    assert_eq!(
        err,
        Refused::Rollback {
            confirmed: 2,
            offered: 1
        }
    );
    let (state, _) = boot(l.into_flash().mem, &[&version(2)]);
    assert_eq!(state, before);
}

#[test]
fn same_version_may_be_reinstalled() {
    let base = installed(&[1, 2]);
    let mut l = loader(SimFlash::new(base));
    let s = install(&mut l, &version(2).pkg, &trust(), TIME).unwrap();
    assert_eq!((s.seq, s.slot, s.version), (3, 0, 2));
}

#[test]
fn corruption_while_writing_is_caught_at_rest() {
    let base = installed(&[1]);
    // Find a write of file data: flip a bit of each write in turn.
    let mut clean = loader(SimFlash::new(base.clone()));
    install(&mut clean, &version(2).pkg, &trust(), TIME).unwrap();
    let n = clean.flash().ops;
    let mut caught = 0;
    for k in 1..n {
        let mut flash = SimFlash::new(base.clone());
        flash.corrupt_write = Some(k);
        let mut l = loader(flash);
        let mut pkg = version(2).pkg;
        let mut staging = RamFlash::<512, 1>::new(&mut pkg);
        let mut bufs = Bufs::default();
        match l.verify_update(&mut staging, &trust(), TIME, bufs.get()) {
            Err(Refused::AtRest) => caught += 1,
            Err(e) => panic!("write {k}: {e:?}"),
            // Not a write of the slot (an erase, or the state record is
            // written by commit).
            Ok(_) => {}
        }
        let (state, _) = boot(l.into_flash().mem, &[&version(1)]);
        assert_eq!(state.map(|s| s.version), Some(1));
    }
    assert!(caught > 10, "{caught}");
}

#[test]
fn a_token_is_good_for_the_slot_as_verified_only() {
    let base = installed(&[1]);
    let mut l = loader(SimFlash::new(base));
    let mut bufs = Bufs::default();
    let mut p2 = version(2).pkg;
    let mut p3 = version(3).pkg;
    let t2 = l
        .verify_update(
            &mut RamFlash::<512, 1>::new(&mut p2),
            &trust(),
            TIME,
            bufs.get(),
        )
        .unwrap();
    // A second verification rewrites the slot: the first token is stale.
    let t3 = l
        .verify_update(
            &mut RamFlash::<512, 1>::new(&mut p3),
            &trust(),
            TIME,
            bufs.get(),
        )
        .unwrap();
    assert_eq!(l.commit(t2).unwrap_err(), Refused::StaleToken);
    let s = l.commit(t3).unwrap();
    assert_eq!(s.version, 3);
    let (state, _) = boot(l.into_flash().mem, &[&version(3)]);
    assert_eq!(state, Some(s));
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
            state: [LAYOUT.state[0], LAYOUT.state[0]],
            ..LAYOUT
        },
        oms_edge_loader::Layout {
            slot_size: SLOT * 4,
            ..LAYOUT
        },
    ];
    for layout in bad {
        assert_eq!(
            Loader::new(SimFlash::blank(), layout).unwrap_err(),
            Refused::Layout,
            "{layout:?}"
        );
    }
}

#[test]
fn erased_or_zeroed_state_boots_nothing() {
    for fill in [0x00, 0xff] {
        let mut l = loader(SimFlash::new(vec![fill; FLASH_BYTES]));
        assert_eq!(l.boot().unwrap(), None);
        // And a first install works over zeroed memory (it erases first).
        install(&mut l, &version(1).pkg, &trust(), TIME).unwrap();
    }
}
