//! The offline Sigstore vectors of `testdata/sigstore` (made by
//! `testdata/generate_sigstore.py` with a throw-away local PKI and
//! cross-checked with sigstore-python): every positive verifies, and every
//! negative is rejected by exactly the check it was built for.

use std::path::{Path, PathBuf};

use oms_edge::report::{Failure, Outcome};
use oms_edge::sigstore::{SigstoreArgs, TrustArgs, load_trust};
use oms_edge::verify::Run;
use oms_edge::{CommonVerifyArgs, ModelArgs};
use oms_edge_core::{
    Digests, Error, IdentityPolicy, PolicyError, SigstoreError, SigstoreKey, SigstoreVerifier, Time,
};
use serde_json::Value;

fn cases_dir() -> PathBuf {
    oms_edge_tests::testdata().join("sigstore/cases")
}

fn now() -> Time {
    Time::at_secs(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

/// Runs one case; `Ok(())` when it verified, else the core's error (model
/// cases through the CLI's code path, artifact cases through the core).
fn run(dir: &Path, case: &Value) -> Result<(), Option<Error>> {
    let s = |k: &str| case[k].as_str().unwrap().to_owned();
    let root = dir.join(s("trusted_root"));
    let bundle = dir.join("bundle.sigstore.json");
    match case["kind"].as_str().unwrap() {
        "model" => {
            let args = SigstoreArgs {
                identity: s("identity"),
                identity_provider: s("issuer"),
                trust: TrustArgs {
                    use_staging: false,
                    trusted_root: Some(root),
                    trust_config: None,
                    trust_state: None,
                },
                common: CommonVerifyArgs {
                    signature: bundle,
                    model: ModelArgs {
                        json: true,
                        quiet: true,
                        ..ModelArgs::default()
                    },
                    model_path: dir.join(s("model")),
                },
            };
            match oms_edge::sigstore::verify(&args) {
                Run::Done(_, Outcome::Verified(_)) => Ok(()),
                Run::Done(_, Outcome::Failed(Failure::Core { error, .. })) => Err(Some(error)),
                other => panic!("{}: {other:?}", dir.display()),
            }
        }
        "artifact" => {
            let trust = load_trust(Some(&root), None, false).unwrap();
            // The artifact at hand: its digests under every hash are known.
            let artifact = std::fs::read(dir.join(s("artifact"))).unwrap();
            let digests = Digests::of(&artifact);
            let bytes = std::fs::read(&bundle).unwrap();
            if let Some(key) = case["key"].as_str() {
                let key =
                    SigstoreKey::from_pem_or_der(&std::fs::read(dir.join(key)).unwrap()).unwrap();
                return SigstoreVerifier::with_key(&trust, key)
                    .verify_artifact(&bytes, now(), digests)
                    .map(|_| ())
                    .map_err(Some);
            }
            let policy = IdentityPolicy::exact(&s("identity"), &s("issuer"));
            SigstoreVerifier::new(&trust, policy)
                .verify_artifact(&bytes, now(), digests)
                .map(|_| ())
                .map_err(Some)
        }
        k => panic!("unknown kind {k}"),
    }
}

/// Whether `e` is the failure of the check the generator names.
fn is_check(check: &str, e: &Error) -> bool {
    use oms_edge_core::CertificateError as C;
    use oms_edge_core::{CheckpointError, TimestampError, TlogError};
    let step = e.step();
    let detail = oms_edge::report::check_name(e);
    match check {
        "set" => detail.contains("set"),
        "inclusion-proof" => step == "tlog" && detail.contains("inclusion"),
        "checkpoint-signature" | "checkpoint-root" | "checkpoint-keyhint" => step == "checkpoint",
        "checkpoint-origin" => matches!(
            e,
            Error::Checkpoint {
                cause: CheckpointError::OriginMismatch,
                ..
            }
        ),
        "duplicate-tlog-entry" => matches!(
            e,
            Error::Tlog {
                cause: TlogError::DuplicateEntry,
                ..
            }
        ),
        "tlog-validity" => matches!(
            e,
            Error::Tlog {
                cause: TlogError::LogKeyNotValid,
                ..
            }
        ),
        "key-details" => matches!(
            e,
            Error::Tlog {
                cause: TlogError::KeyDetailsMismatch,
                ..
            }
        ),
        "x509-version" => matches!(e, Error::Certificate(C::ExtensionsNeedV3 { .. })),
        "x509-duplicate-extension" => {
            matches!(e, Error::Certificate(C::DuplicateExtension { .. }))
        }
        "x509-serial" => matches!(e, Error::Certificate(C::NegativeSerial { .. })),
        "key-usage" => matches!(
            e,
            Error::Policy(PolicyError::NoDigitalSignature | PolicyError::LeafKeyCertSign)
        ),
        "eku-critical" => *e == Error::Policy(PolicyError::EkuCritical),
        "aki" => *e == Error::Policy(PolicyError::NoAuthorityKeyId),
        "chain-eku" => *e == Error::Sigstore(SigstoreError::CaEkuNotCodeSigning),
        "integrated-time-validity" => matches!(
            e,
            Error::Tlog {
                cause: TlogError::TimeOutsideLeafValidity,
                ..
            }
        ),
        "san-critical" => *e == Error::Policy(PolicyError::SanNotCritical),
        "issuer-conflict" => *e == Error::Policy(PolicyError::IssuerConflict),
        "body-binding" => step == "tlog",
        "integrated-time-future" => step == "tlog" && detail.contains("future"),
        "log-index" => step == "tlog",
        "sct" => step == "sct",
        "identity" | "issuer" => step == "policy",
        "leaf-is-ca" | "no-codesigning" => step == "policy",
        "leaf-validity" => matches!(
            e,
            Error::Certificate(C::Expired { .. } | C::NotYetValid { .. })
        ),
        "root-as-leaf" => matches!(e, Error::Certificate(C::LeafSelfSigned)),
        "chain" => step == "x509",
        "tsa-imprint" | "tsa-untrusted" | "tsa-validity" => step == "timestamp",
        "duplicate-timestamp" => matches!(
            e,
            Error::Timestamp {
                cause: TimestampError::Duplicate,
                ..
            }
        ),
        "no-timestamp-v2" => step == "sigstore",
        "dsse-signature" => step == "dsse",
        "model-digest" => step == "model",
        "dsse-v002" => matches!(
            e,
            Error::Tlog {
                cause: TlogError::DsseOnRekorV2,
                ..
            }
        ),
        "v03-chain" => *e == Error::Sigstore(SigstoreError::ChainInV03),
        "key-size" => *e == Error::Key(oms_edge_core::KeyError::RsaKeySize),
        "signature" => *e == Error::Sigstore(SigstoreError::BadMessageSignature),
        _ => false,
    }
}

#[test]
fn offline_sigstore_vectors() {
    let mut names: Vec<_> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "{} cases", names.len());
    let mut bad = Vec::new();
    let (mut pos, mut neg) = (0, 0);
    for dir in &names {
        let case: Value =
            serde_json::from_slice(&std::fs::read(dir.join("case.json")).unwrap()).unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let result = run(dir, &case);
        match (case["expect"].as_str().unwrap(), result) {
            ("ok", Ok(())) => pos += 1,
            ("ok", Err(e)) => bad.push(format!("{name}: expected ok, got {e:?}")),
            ("fail", Ok(())) => bad.push(format!("{name}: expected failure, verified")),
            ("fail", Err(None)) => bad.push(format!("{name}: failed outside the core")),
            ("fail", Err(Some(e))) => {
                let check = case["check"].as_str().unwrap();
                if is_check(check, &e) {
                    neg += 1;
                } else {
                    bad.push(format!(
                        "{name}: expected check {check}, got {} ({e})",
                        oms_edge::report::check_name(&e)
                    ));
                }
            }
            (x, _) => panic!("expect {x}"),
        }
    }
    println!("{pos} positive and {neg} negative Sigstore vectors as expected");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The vectors of issue 19 (what forged Sigstore services could still get
/// through), each pinned to the exact error, position included.
#[test]
fn forged_service_vectors_fail_exactly() {
    use oms_edge_core::{
        CertPosition, CertificateError, CheckpointError, DsseError, SctError, SctFailure,
        TimestampError, TlogError,
    };
    let origin = Error::Checkpoint {
        entry: 0,
        cause: CheckpointError::OriginMismatch,
    };
    let want: &[(&str, Result<(), Error>)] = &[
        // 1. The SCT's milliseconds count against the CT log's validFor.
        (
            "sct-log-window-ms",
            Err(Error::Sct(SctError::NotVerified(
                SctFailure::OutsideLogValidity,
            ))),
        ),
        // 2. Extensions need X.509 v3.
        (
            "leaf-v1-extensions",
            Err(Error::Certificate(CertificateError::ExtensionsNeedV3 {
                at: CertPosition::Bundle(0),
            })),
        ),
        // 3. The entry picks the checkpoint convention; a v1 origin names
        // the log's host. Through verify-bundle and through verify sigstore.
        ("v2-checkpoint-v1-origin", Err(origin)),
        ("v2-checkpoint-v1-origin-model", Err(origin)),
        ("checkpoint-origin-host", Err(origin)),
        // 4. The pre-1.0 PAE: OMS model bundles only.
        (
            "dsse-compat-pae-artifact",
            Err(Error::Dsse(DsseError::BadSignature)),
        ),
        ("dsse-compat-pae-model", Ok(())),
        // 5. The same tlog entry twice.
        (
            "tlog-duplicate-entry",
            Err(Error::Tlog {
                entry: 1,
                cause: TlogError::DuplicateEntry,
            }),
        ),
        // 6. The same timestamp re-wrapped.
        (
            "duplicate-timestamp-rewrapped",
            Err(Error::Timestamp {
                index: 1,
                cause: TimestampError::Duplicate,
            }),
        ),
        // 7. A Rekor v2 log key outside its validFor at the TSA's genTime.
        (
            "v2-log-retired",
            Err(Error::Tlog {
                entry: 0,
                cause: TlogError::LogKeyNotValid,
            }),
        ),
        // 8. hashedrekord 0.0.2 keyDetails is the signer key's.
        (
            "v2-key-details",
            Err(Error::Tlog {
                entry: 0,
                cause: TlogError::KeyDetailsMismatch,
            }),
        ),
    ];
    for (name, want) in want {
        let dir = cases_dir().join(name);
        let case: Value =
            serde_json::from_slice(&std::fs::read(dir.join("case.json")).unwrap()).unwrap();
        let got = run(&dir, &case).map_err(|e| e.expect("a core error"));
        assert_eq!(&got, want, "{name}");
    }
}

/// The vectors of the red-team review: leaves a Fulcio CA could issue
/// that sigstore-python (and, for the encoding ones, Go's x509) refuse, a
/// trusted intermediate whose extKeyUsage sigstore-go refuses, a Rekor v1
/// entry whose unsigned integrated time sigstore-go checks against the
/// leaf, and a Rekor v1 entry without SET from a retired log; each pinned
/// to the exact error.
#[test]
fn red_team_vectors_fail_exactly() {
    use oms_edge_core::{CertPosition, CertificateError, TlogError};
    let leaf = CertPosition::Bundle(0);
    let want: &[(&str, Error)] = &[
        // The two OIDC issuer extensions name different issuers.
        (
            "issuer-v1-v2-differ",
            Error::Policy(PolicyError::IssuerConflict),
        ),
        // No keyUsage at all.
        (
            "leaf-no-key-usage",
            Error::Policy(PolicyError::NoDigitalSignature),
        ),
        // Empty subject, non-critical subjectAltName.
        (
            "leaf-san-not-critical",
            Error::Policy(PolicyError::SanNotCritical),
        ),
        // An extension twice.
        (
            "leaf-duplicate-extension",
            Error::Certificate(CertificateError::DuplicateExtension { at: leaf }),
        ),
        // A negative serial number.
        (
            "leaf-serial-negative",
            Error::Certificate(CertificateError::NegativeSerial { at: leaf }),
        ),
        // keyUsage keyCertSign on an end entity.
        (
            "leaf-key-cert-sign",
            Error::Policy(PolicyError::LeafKeyCertSign),
        ),
        // A critical extKeyUsage.
        ("leaf-eku-critical", Error::Policy(PolicyError::EkuCritical)),
        // No authorityKeyIdentifier.
        ("leaf-no-aki", Error::Policy(PolicyError::NoAuthorityKeyId)),
        // The trusted intermediate's extKeyUsage (serverAuth) does not
        // allow codeSigning: Go's x509, under sigstore-go, refuses it.
        (
            "fulcio-intermediate-eku",
            Error::Sigstore(SigstoreError::CaEkuNotCodeSigning),
        ),
        // A Rekor v1 entry without SET whose integratedTime is after the
        // leaf expired (the TSA's genTime is inside its validity).
        (
            "v1-unsigned-time-after-leaf",
            Error::Tlog {
                entry: 0,
                cause: TlogError::TimeOutsideLeafValidity,
            },
        ),
        // A Rekor v1 entry without SET dated only by the TSA, from a log
        // retired before that time.
        (
            "v1-proof-only-log-retired",
            Error::Tlog {
                entry: 0,
                cause: TlogError::LogKeyNotValid,
            },
        ),
    ];
    for (name, want) in want {
        let dir = cases_dir().join(name);
        let case: Value =
            serde_json::from_slice(&std::fs::read(dir.join("case.json")).unwrap()).unwrap();
        let got = run(&dir, &case).map_err(|e| e.expect("a core error"));
        assert_eq!(got, Err(*want), "{name}");
    }
}

/// Without a clock (`Time::NoClock`) the sigstore method checks the
/// certificate at the observed times only and skips the one check that
/// needs the current time (an integrated time not after now); the
/// evidence says so.
#[test]
fn without_a_clock_only_observed_times_count() {
    use oms_edge_core::{ObservedTime, TlogError, TrustedRoot, Verifier};
    let dir = cases_dir();
    let root =
        TrustedRoot::parse(&std::fs::read(dir.join("../trusted_root.json")).unwrap()).unwrap();
    let policy = IdentityPolicy::exact("signer@example.com", "https://oidc.example.com");
    let verifier = SigstoreVerifier::new(&root, policy);
    let bundle = |case: &str| std::fs::read(dir.join(case).join("bundle.sigstore.json")).unwrap();

    let model = bundle("v1-dsse-model");
    let mut buf = vec![0u8; model.len()];
    let with_clock = verifier.verify(&model, now(), &mut buf).unwrap();
    let (_, clocked) = with_clock.into_parts();
    assert!(clocked.checked_at().is_some());
    let v = verifier.verify(&model, Time::NoClock, &mut buf).unwrap();
    let e = v.evidence();
    assert_eq!(e.checked_at(), None);
    assert_eq!(e.times(), clocked.times());
    let earliest = e.times().iter().map(ObservedTime::time).min();
    assert_eq!(e.earliest_time(), earliest);
    assert!(earliest.is_some());

    // An integrated time (2099) after now: refused with a clock. Without
    // one nothing bounds it: the entry's signed time is what the evidence
    // reports (a device without a clock compares it with the floor it
    // keeps, as the firmware loader does).
    let future = bundle("integrated-time-future");
    let artifact = std::fs::read(dir.join("../artifacts/artifact.txt")).unwrap();
    assert_eq!(
        verifier
            .verify_artifact(&future, now(), Digests::of(&artifact))
            .map(|_| ()),
        Err(Error::Tlog {
            entry: 0,
            cause: TlogError::IntegratedTimeInFuture
        })
    );
    let e = verifier
        .verify_artifact(&future, Time::NoClock, Digests::of(&artifact))
        .unwrap();
    assert_eq!(e.checked_at(), None);
    let year_2099 = 4_070_908_800;
    assert!(e.earliest_time().unwrap().secs() >= year_2099);
}
