//! The sigstore variant (feature `sigstore`), with the offline Sigstore
//! vectors of testdata/sigstore: a pinned trusted root, a fixed identity
//! and issuer, and the earliest verified signing time as the anti-rollback
//! value.
#![cfg(feature = "sigstore")]

mod common;

use common::*;
use oms_edge_core::Error;
use oms_edge_core::ModelError;
use oms_edge_core::TrustedRoot;
use oms_edge_core::{IdentityPolicy, SigstoreVerifier, Time};
use oms_edge_loader::{Loader, Refused, State};

const NAMES: [&str; 4] = [
    "README.md",
    "config.json",
    "tokenizer/vocab.txt",
    "weights.bin",
];
const IDENTITY: &str = "signer@example.com";
const ISSUER: &str = "https://oidc.example.com";
/// A fixed "now" (2030-01-01), an upper bound on signing times: the
/// device has no clock of its own.
const TIME: Time = Time::at_secs(1_893_456_000);

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

fn loader(mem: Vec<u8>) -> Loader<SimFlash> {
    Loader::new(SimFlash::new(mem), LAYOUT).unwrap()
}

fn boot(mem: Vec<u8>, root: &TrustedRoot) -> Option<State> {
    let mut l = loader(mem);
    let state = l.boot().unwrap();
    let mut bufs = Bufs::default();
    assert_eq!(
        l.verify_active(&trust(root), TIME, bufs.get()).unwrap(),
        state
    );
    if let Some(s) = state {
        assert_eq!(slot_files(&mut l, &s), files(false));
    }
    state
}

#[test]
fn rekor_v1_and_v2_tsa_bundles_flash() {
    let root = root();
    for case in ["v1-dsse-model", "v2-dsse-model-tsa", "v1-dsse-model-p384"] {
        let mut l = loader(SimFlash::blank().mem);
        let s = install(&mut l, &pkg(case, false), &trust(&root), TIME).unwrap();
        // The anti-rollback value is a verified signing time (2025-06-02).
        assert!(
            (1_748_822_400..1_748_908_800).contains(&s.version),
            "{case}: {s:?}"
        );
        assert_eq!(boot(l.into_flash().mem, &root), Some(s));
    }
}

/// Flash with the Rekor v1 model installed.
fn with_v1(root: &TrustedRoot) -> (Vec<u8>, State) {
    let mut l = loader(SimFlash::blank().mem);
    let s = install(&mut l, &pkg("v1-dsse-model", false), &trust(root), TIME).unwrap();
    (l.into_flash().mem, s)
}

fn refused(pkg: &[u8], trust: &SigstoreVerifier<'_>, root: &TrustedRoot) -> Refused {
    let (mem, before) = with_v1(root);
    let mut l = loader(mem);
    let err = install(&mut l, pkg, trust, TIME).unwrap_err();
    assert_eq!(boot(l.into_flash().mem, root), Some(before));
    err
}

#[test]
fn tampered_model_is_refused() {
    let root = root();
    let err = refused(&pkg("model-digest", true), &trust(&root), &root);
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
    let err = refused(&pkg("v2-dsse002-model-tsa", false), &trust(&root), &root);
    assert_eq!(
        err,
        Refused::Verify(Error::Tlog {
            entry: 0,
            cause: oms_edge_core::TlogError::DsseOnRekorV2
        })
    );
}

#[test]
fn other_identity_or_issuer_is_refused() {
    let root = root();
    for (identity, issuer) in [
        ("other@example.com", ISSUER),
        (IDENTITY, "https://accounts.example.com"),
    ] {
        let t = SigstoreVerifier::new(&root, IdentityPolicy::exact(identity, issuer));
        let err = refused(&pkg("v2-dsse-model-tsa", false), &t, &root);
        assert!(matches!(err, Refused::Verify(Error::Policy(_))), "{err:?}");
    }
}

#[test]
fn other_trusted_root_is_refused() {
    let root = root();
    let production = TrustedRoot::production().unwrap();
    let err = refused(&pkg("v2-dsse-model-tsa", false), &trust(&production), &root);
    assert!(matches!(err, Refused::Verify(_)), "{err:?}");
}

#[test]
fn failing_sigstore_cases_are_refused() {
    let root = root();
    for case in [
        "set-wrong-key",
        "checkpoint-signature",
        "tsa-untrusted",
        "chain-untrusted",
    ] {
        let err = refused(&pkg(case, false), &trust(&root), &root);
        assert!(matches!(err, Refused::Verify(_)), "{case}: {err:?}");
    }
}

#[test]
fn older_signing_time_is_refused() {
    let root = root();
    let (mut mem, confirmed) = with_v1(&root);
    // Pretend the confirmed model was signed a day later: the same bundle
    // is now a rollback.
    let mut state = confirmed;
    state.version += 86_400;
    state.seq += 1;
    let at = LAYOUT.state[1] as usize;
    mem[at..at + ERASE].fill(0xff);
    mem[at..at + state.encode().len()].copy_from_slice(&state.encode());
    let mut l = loader(mem);
    assert_eq!(l.boot().unwrap(), Some(state));
    let err = install(&mut l, &pkg("v1-dsse-model", false), &trust(&root), TIME).unwrap_err();
    assert_eq!(
        err,
        Refused::Rollback {
            confirmed: state.version,
            offered: confirmed.version
        }
    );
    // Refused before any flash operation.
    assert_eq!(l.flash().ops, 0);
}

#[test]
fn power_cut_at_every_operation() {
    let root = root();
    let (base, old) = with_v1(&root);
    let new = pkg("v2-dsse-model-tsa", false);
    let mut clean = loader(base.clone());
    let new_state = install(&mut clean, &new, &trust(&root), TIME).unwrap();
    let n = clean.flash().ops;
    for i in 1..=n + 1 {
        let mut flash = SimFlash::new(base.clone());
        flash.cut_at = Some(i);
        flash.tear = Tear::Half;
        let mut l = Loader::new(flash, LAYOUT).unwrap();
        let result = install(&mut l, &new, &trust(&root), TIME);
        assert_eq!(result.is_ok(), i > n, "cut at {i}/{n}");
        let state = boot(l.into_flash().mem, &root);
        assert_eq!(
            state,
            Some(if i > n { new_state } else { old }),
            "cut at {i}/{n}"
        );
    }
    eprintln!("sigstore update: {n} flash operations, {} cuts", n + 1);
}
