//! The sigstore variant (feature `sigstore`), with the offline Sigstore
//! vectors of testdata/sigstore: a pinned trusted root, a fixed identity
//! and issuer, the earliest verified signing time as the anti-rollback
//! value, and no clock: the newest verified time is the device's floor.
#![cfg(feature = "sigstore")]

mod common;

use common::*;
use oms_edge_core::Error;
use oms_edge_core::ModelError;
use oms_edge_core::TrustedRoot;
use oms_edge_core::{IdentityPolicy, SigstoreVerifier, Time, UnixTime};
use oms_edge_loader::{Boot, Loader, Refused, State, Trial};

const NAMES: [&str; 4] = [
    "README.md",
    "config.json",
    "tokenizer/vocab.txt",
    "weights.bin",
];
const IDENTITY: &str = "signer@example.com";
const ISSUER: &str = "https://oidc.example.com";
/// The device has no clock.
const TIME: Time = Time::NoClock;
/// The Rekor v1 entry's integrated time (2025-06-02), and the Rekor v2
/// bundle's RFC 3161 genTime one second later.
const T_V1: u64 = 1_748_858_423;
const T_V2: u64 = 1_748_858_424;

fn root() -> TrustedRoot {
    let bytes = std::fs::read(repo().join("testdata/sigstore/trusted_root.json")).unwrap();
    TrustedRoot::parse(&bytes).unwrap()
}

fn trust(root: &TrustedRoot) -> SigstoreVerifier<'_> {
    SigstoreVerifier::new(root, IdentityPolicy::exact(IDENTITY, ISSUER))
}

fn files(tampered: bool) -> Files {
    let dir = repo().join(if tampered {
        "testdata/sigstore/models/tampered/tiny-model"
    } else {
        "testdata/sigstore/models/tiny-model"
    });
    read_model(&dir, &NAMES)
}

fn pkg(case: &str, tampered: bool) -> Vec<u8> {
    let bundle = std::fs::read(
        repo()
            .join("testdata/sigstore/cases")
            .join(case)
            .join("bundle.sigstore.json"),
    )
    .unwrap();
    package(&bundle, &files(tampered))
}

fn loader(flash: Flash) -> Loader<Flash> {
    Loader::new(flash, LAYOUT).unwrap()
}

fn check(l: &mut Loader<Flash>, root: &TrustedRoot) -> Option<State> {
    let state = l.state().unwrap();
    let mut bufs = Bufs::default();
    let active = l.verify_active(&trust(root), TIME, bufs.get()).unwrap();
    assert_eq!(active, state.and_then(|s| s.active));
    if let Some(m) = active {
        assert_eq!(slot_files(l, &m), files(false));
    }
    state
}

#[test]
fn rekor_v1_and_v2_tsa_bundles_flash_without_a_clock() {
    let root = root();
    for (case, t) in [
        ("v1-dsse-model", T_V1),
        ("v2-dsse-model-tsa", T_V2),
        ("v1-dsse-model-p384", T_V1),
    ] {
        let mut l = loader(Flash::blank());
        let s = install_confirmed(&mut l, &pkg(case, false), &trust(&root), TIME).unwrap();
        // The anti-rollback value is the verified signing time; the time
        // floor the newest verified time.
        let m = s.active.unwrap();
        assert_eq!((m.version, s.floor), (t, t), "{case}: {s:?}");
        assert!((T_V1..=T_V2).contains(&s.time_floor), "{case}: {s:?}");
        assert_eq!(check(&mut l, &root), Some(s));
    }
}

/// Flash with the model of `case` installed and confirmed.
fn with(case: &str, root: &TrustedRoot) -> (Flash, State) {
    let mut l = loader(Flash::blank());
    let s = install_confirmed(&mut l, &pkg(case, false), &trust(root), TIME).unwrap();
    (l.into_flash().reboot(), s)
}

fn with_v2(root: &TrustedRoot) -> (Flash, State) {
    with("v2-dsse-model-tsa", root)
}

/// Offers `pkg` over the Rekor v1 model (the earliest signing time of the
/// vectors): refused, the old model stays, and (`untouched`) nothing was
/// written.
fn refused(
    pkg: &[u8],
    trust: &SigstoreVerifier<'_>,
    root: &TrustedRoot,
    untouched: bool,
) -> Refused {
    let (flash, before) = with("v1-dsse-model", root);
    let mut l = loader(flash);
    let err = verify(&mut l, pkg, trust, TIME).unwrap_err();
    if untouched {
        assert_eq!(l.flash().ops, 0, "{err:?}: flash operations before refusal");
    }
    assert_eq!(check(&mut l, root), Some(before));
    err
}

#[test]
fn an_older_signing_time_is_refused_before_any_flash_operation() {
    // The same model signed one second earlier (Rekor v1): a rollback.
    let root = root();
    let (flash, before) = with_v2(&root);
    let mut l = loader(flash);
    let err = verify(&mut l, &pkg("v1-dsse-model", false), &trust(&root), TIME).unwrap_err();
    assert_eq!(l.flash().ops, 0);
    assert_eq!(check(&mut l, &root), Some(before));
    assert_eq!(
        err,
        Refused::Rollback {
            confirmed: T_V2,
            offered: T_V1
        }
    );
}

#[test]
fn tampered_model_is_refused() {
    let root = root();
    let err = refused(&pkg("model-digest", true), &trust(&root), &root, false);
    assert!(
        matches!(
            err,
            Refused::Verify(Error::Model {
                cause: ModelError::DigestMismatch { .. },
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn rekor_v2_dsse_entries_are_refused() {
    // Rekor v2 logs DSSE as hashedrekord 0.0.2 over the PAE; the earlier
    // dsse 0.0.2 entry is refused (as sigstore-go and sigstore-python do).
    let root = root();
    let err = refused(
        &pkg("v2-dsse002-model-tsa", false),
        &trust(&root),
        &root,
        true,
    );
    assert_eq!(
        err,
        Refused::Verify(Error::Tlog {
            entry: 0,
            cause: oms_edge_core::TlogError::DsseOnRekorV2
        })
    );
}

#[test]
fn other_identity_or_issuer_is_refused_before_any_flash_operation() {
    let root = root();
    for (identity, issuer) in [
        ("other@example.com", ISSUER),
        (IDENTITY, "https://accounts.example.com"),
    ] {
        let t = SigstoreVerifier::new(&root, IdentityPolicy::exact(identity, issuer));
        let err = refused(&pkg("v2-dsse-model-tsa", false), &t, &root, true);
        assert!(matches!(err, Refused::Verify(Error::Policy(_))), "{err:?}");
    }
}

#[test]
fn other_trusted_root_is_refused() {
    let root = root();
    let production = TrustedRoot::production().unwrap();
    let err = refused(
        &pkg("v2-dsse-model-tsa", false),
        &trust(&production),
        &root,
        true,
    );
    assert!(matches!(err, Refused::Verify(_)), "{err:?}");
}

#[test]
fn failing_sigstore_cases_are_refused_before_any_flash_operation() {
    let root = root();
    for case in [
        "set-wrong-key",
        "checkpoint-signature",
        "tsa-untrusted",
        "chain-untrusted",
    ] {
        let err = refused(&pkg(case, false), &trust(&root), &root, true);
        assert!(matches!(err, Refused::Verify(_)), "{case}: {err:?}");
    }
}

#[test]
fn the_time_floor_corrects_a_clock_that_is_behind() {
    let root = root();
    let (flash, s) = with_v2(&root);
    let mut l = loader(flash);
    assert_eq!(s.time_floor, T_V2);
    // No clock: the core skips only the "integrated time in the future"
    // bound.
    assert_eq!(l.time(None).unwrap(), Time::NoClock);
    // A clock reset to 2020 reads the floor instead; a clock ahead of it
    // is taken as it is.
    let reset = UnixTime::from_secs(1_577_836_800);
    assert_eq!(
        l.time(Some(reset)).unwrap(),
        Time::Now(UnixTime::from_secs(T_V2))
    );
    let later = UnixTime::from_secs(T_V2 + 1000);
    assert_eq!(l.time(Some(later)).unwrap(), Time::Now(later));
    // That 2020 clock, uncorrected, refuses a Rekor v1 entry integrated
    // in 2025 as "in the future"; corrected, the same entry verifies.
    let v1 = pkg("v1-dsse-model", false);
    let mut blank = loader(Flash::blank());
    let err = verify(&mut blank, &v1, &trust(&root), Time::Now(reset)).unwrap_err();
    assert_eq!(err.name(), "tlog.integrated_time_in_future", "{err:?}");
    let corrected = l.time(Some(reset)).unwrap();
    let mut blank = loader(Flash::blank());
    install_confirmed(&mut blank, &v1, &trust(&root), corrected).unwrap();
}

#[test]
fn the_time_floor_only_rises() {
    let root = root();
    let (flash, s) = with_v2(&root);
    assert_eq!(s.time_floor, T_V2);
    let mut l = loader(flash);
    // Reinstalling the same model keeps it; a trial that reverts keeps it.
    let s = install(
        &mut l,
        &pkg("v2-dsse-model-tsa", false),
        &trust(&root),
        TIME,
    )
    .unwrap();
    assert_eq!((s.trial, s.time_floor), (Trial::Pending, T_V2));
    assert!(matches!(l.boot().unwrap(), Boot::Trial(_)));
    assert!(matches!(l.boot().unwrap(), Boot::Reverted { .. }));
    assert_eq!(l.state().unwrap().unwrap().time_floor, T_V2);
}

#[test]
fn power_cut_at_every_operation() {
    // An update from the Rekor v1 model to the Rekor v2 + TSA one, its
    // trial boot and confirmation, cut at each operation on ECC flash.
    let root = root();
    let mut l = loader(Flash::blank());
    install_confirmed(&mut l, &pkg("v1-dsse-model", false), &trust(&root), TIME).unwrap();
    let base = l.into_flash().reboot();
    let new = pkg("v2-dsse-model-tsa", false);
    let steps = |l: &mut Loader<Flash>| -> Result<(), Refused> {
        install(l, &new, &trust(&root), TIME)?;
        l.boot()?;
        l.mark_good()?;
        Ok(())
    };
    let mut clean = loader(base.clone());
    steps(&mut clean).unwrap();
    let n = clean.flash().ops;
    let want = clean.state().unwrap().unwrap();
    for i in 1..=n + 1 {
        let mut l = loader(base.clone().cut(i, Tear::HalfEcc));
        let result = steps(&mut l);
        assert_eq!(result.is_ok(), i > n, "cut at {i}/{n}");
        let mut l = loader(l.into_flash().reboot());
        let boot = l.boot().unwrap();
        let version = boot.model().map(|m| m.version);
        assert!(
            version == Some(T_V1) || version == Some(T_V2),
            "cut at {i}/{n}: {boot:?}"
        );
        check(&mut l, &root);
        if version == Some(T_V1) {
            steps(&mut l).unwrap();
        } else {
            l.mark_good().unwrap();
        }
        let s = check(&mut l, &root).unwrap();
        assert_eq!(
            (s.active, s.trial, s.floor),
            (want.active, Trial::Confirmed, T_V2)
        );
    }
    eprintln!("sigstore update: {n} flash operations, {} cuts", n + 1);
}
