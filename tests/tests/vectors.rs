//! Every vector made by `testdata/generate.py` with model-signing 1.1.1,
//! verified through the same code path as `oms-edge verify key`, and each
//! negative one asserted to fail at exactly the check it was built for.

use oms_edge::report::{Failure, Outcome};
use oms_edge::verify::Run;
use oms_edge_core::{
    BundleError, CertPosition, CertificateError, DsseError, Error, JsonError, KeyError,
    ManifestError, MaterialKind, ModelError, StatementError,
};
use oms_edge_tests::{Case, vector_cases};

type Check = fn(&Outcome) -> bool;

fn core(o: &Outcome) -> Option<Error> {
    match o {
        Outcome::Failed(Failure::Core { error, .. }) => Some(*error),
        _ => None,
    }
}

fn verified(o: &Outcome) -> bool {
    matches!(o, Outcome::Verified(_))
}

/// The expected outcome of every vector.
const EXPECTED: &[(&str, Check)] = &[
    // Positive: everything model-signing 1.1.1 produces, and bundle shapes
    // of older releases.
    ("compat-pae", verified),
    ("extra-file-ignored", verified),
    ("files-blake2", verified),
    ("files-blake3", verified),
    ("files-sha256", verified),
    ("git-ignores", verified),
    ("ignore-paths", verified),
    ("json-escapes-bundle", verified),
    ("json-escapes-payload", verified),
    ("key-p256", verified),
    ("key-p384", verified),
    ("key-p521", verified),
    ("rawbytes-key", verified),
    ("shards-blake2", verified),
    ("shards-sha256", verified),
    ("sig-inside-model", verified),
    ("single-file", verified),
    ("single-file-basename", verified),
    ("spaces-colons", verified),
    ("symlinks-allowed", verified),
    ("unicode-names", verified),
    // Positive: what real signers and file systems produce (issue 12).
    ("backslash-name", verified),
    ("hf-cache-layout", verified),
    ("ignore-dash-name", verified),
    ("key-pem-76-columns", verified),
    ("key-pem-indented", verified),
    ("key-pem-one-line", verified),
    ("shard-size-1e16", verified),
    // Positive: unlisted links are not checked with --ignore-unsigned-files
    // (OMS §8.5; red-team review).
    ("unsigned-odd-entries-ignored", verified),
    // Negative: a listed file that became a link still fails with
    // --ignore-unsigned-files; a directory link to its own ancestor is
    // refused on purpose (docs/interop.md).
    ("unsigned-odd-entry-listed", |o| {
        walk(o, "symlink_not_allowed", "\"config.json\"")
    }),
    ("dir-link-to-ancestor", |o| {
        walk(o, "symlink_loop", "\"sub/up\"")
    }),
    // Negative: what must not be left out of the model (issue 12).
    ("sig-link-into-model", |o| {
        unsigned(o, "generation_config.json")
    }),
    ("ignore-through-link", |o| unsigned(o, "plugins/evil.py")),
    ("ignore-cwd-outside", |o| unsigned(o, "config.json")),
    // Negative: shard sizes no float reader agrees on, or no size at all.
    ("resigned-shard-size-fraction", |o| {
        core(o) == Some(StatementError::ShardSize.into())
    }),
    ("resigned-shard-size-negative", |o| {
        core(o) == Some(StatementError::ShardSize.into())
    }),
    ("resigned-shard-size-inexact", |o| {
        core(o) == Some(StatementError::ShardSize.into())
    }),
    ("resigned-shard-size-nan", |o| {
        matches!(
            core(o),
            Some(Error::Statement(StatementError::Json(
                JsonError::UnexpectedByte { .. }
            )))
        )
    }),
    // Negative: the model changed.
    ("tampered-byte", |o| {
        matches!(
            core(o),
            Some(Error::Model {
                index: 3,
                cause: ModelError::DigestMismatch { .. }
            })
        )
    }),
    ("missing-file", |o| {
        core(o)
            == Some(Error::Model {
                index: 2,
                cause: ModelError::MissingFile,
            })
    }),
    (
        "extra-file",
        |o| matches!(o, Outcome::Failed(Failure::Core { error: Error::UnsignedFile, file: Some(f) }) if f == "sub/injected.bin"),
    ),
    ("shards-truncated", |o| {
        core(o)
            == Some(Error::Model {
                index: 6,
                cause: ModelError::SizeMismatch {
                    signed: 40,
                    actual: 39,
                },
            })
    }),
    ("shards-extended", |o| {
        core(o)
            == Some(Error::Model {
                index: 6,
                cause: ModelError::SizeMismatch {
                    signed: 40,
                    actual: 41,
                },
            })
    }),
    // Negative: keys.
    ("wrong-key", |o| {
        core(o) == Some(Error::Key(KeyError::HintMismatch))
    }),
    ("wrong-key-no-hint", |o| {
        core(o) == Some(Error::Dsse(DsseError::BadSignature))
    }),
    // Negative: unsigned bundle fields.
    ("changed-media-type", |o| {
        core(o) == Some(Error::Bundle(BundleError::UnknownMediaType))
    }),
    ("changed-payload-type", |o| {
        core(o) == Some(Error::Dsse(DsseError::WrongPayloadType))
    }),
    ("material-mismatch", |o| {
        core(o)
            == Some(Error::Bundle(BundleError::MaterialMismatch {
                expected: MaterialKind::PublicKey,
                found: MaterialKind::X509CertificateChain,
            }))
    }),
    // Negative: the payload changed under the original signature.
    ("payload-edited", |o| {
        core(o) == Some(Error::Dsse(DsseError::BadSignature))
    }),
    ("predicate-type-edited", |o| {
        core(o) == Some(Error::Dsse(DsseError::BadSignature))
    }),
    // Negative: validly re-signed payloads only statement/manifest rules catch.
    ("resigned-predicate-type", |o| {
        core(o) == Some(StatementError::WrongPredicateType.into())
    }),
    ("resigned-statement-type", |o| {
        core(o) == Some(StatementError::WrongStatementType.into())
    }),
    ("resigned-unsorted", |o| {
        core(o)
            == Some(Error::Manifest {
                index: 1,
                cause: ManifestError::Unsorted,
            })
    }),
    ("resigned-duplicate", |o| {
        core(o)
            == Some(Error::Manifest {
                index: 1,
                cause: ManifestError::Unsorted,
            })
    }),
    ("resigned-escape", |o| {
        core(o)
            == Some(Error::Manifest {
                index: 0,
                cause: ManifestError::NonCanonicalName,
            })
    }),
    ("resigned-absolute", |o| {
        core(o)
            == Some(Error::Manifest {
                index: 0,
                cause: ManifestError::NonCanonicalName,
            })
    }),
    ("resigned-root-digest", |o| {
        core(o) == Some(StatementError::RootDigestMismatch.into())
    }),
    ("resigned-empty-resources", |o| {
        core(o) == Some(StatementError::NoResources.into())
    }),
    ("resigned-two-subjects", |o| {
        core(o) == Some(StatementError::SubjectCount.into())
    }),
    ("resigned-algorithm", |o| {
        core(o)
            == Some(Error::Manifest {
                index: 0,
                cause: ManifestError::AlgorithmMismatch,
            })
    }),
    ("resigned-shards-overlap", |o| {
        core(o)
            == Some(Error::Manifest {
                index: 8,
                cause: ManifestError::ShardsNotContiguous,
            })
    }),
    ("resigned-shards-gap", |o| {
        core(o)
            == Some(Error::Manifest {
                index: 5,
                cause: ManifestError::ShardsNotContiguous,
            })
    }),
    // Certificate method: positive.
    ("cert-p256", verified),
    ("cert-p384", verified),
    ("cert-p521", verified),
    ("cert-rsa-root", verified),
    ("cert-root-in-bundle", verified),
    ("cert-supplied-intermediate", verified),
    ("cert-default-time", verified),
    ("cert-ca-leaf", verified),
    // Any order after the leaf (the reference's verifier accepts any).
    ("cert-chain-out-of-order", verified),
    ("cert-root-first", verified),
    ("cert-extra-intermediate", verified),
    ("cert-leaf-root-supplied-intermediate", verified),
    ("cert-renewed-intermediate", verified),
    ("cert-pem-lax", verified),
    // Certificate method: negative, each at its check.
    ("cert-wrong-root", |o| {
        x509(o)
            == Some(CertificateError::UnknownIssuer {
                at: CertPosition::Bundle(1),
            })
    }),
    ("cert-wrong-root-same-name", |o| {
        x509(o)
            == Some(CertificateError::BadSignature {
                at: CertPosition::Bundle(1),
            })
    }),
    ("cert-expired-leaf", |o| {
        x509(o)
            == Some(CertificateError::Expired {
                at: CertPosition::Bundle(0),
            })
    }),
    ("cert-not-yet-valid-leaf", |o| {
        x509(o)
            == Some(CertificateError::NotYetValid {
                at: CertPosition::Bundle(0),
            })
    }),
    ("cert-expired-intermediate", |o| {
        x509(o)
            == Some(CertificateError::Expired {
                at: CertPosition::Bundle(1),
            })
    }),
    ("cert-expired-root", |o| {
        x509(o)
            == Some(CertificateError::Expired {
                at: CertPosition::Anchor,
            })
    }),
    ("cert-intermediate-not-ca", |o| {
        x509(o)
            == Some(CertificateError::NotACa {
                at: CertPosition::Bundle(1),
            })
    }),
    ("cert-intermediate-no-keycertsign", |o| {
        x509(o)
            == Some(CertificateError::NoKeyCertSign {
                at: CertPosition::Bundle(1),
            })
    }),
    ("cert-path-len", |o| {
        x509(o)
            == Some(CertificateError::PathLenExceeded {
                at: CertPosition::Bundle(2),
            })
    }),
    ("cert-leaf-cannot-sign", |o| {
        x509(o) == Some(CertificateError::LeafCannotSign)
    }),
    ("cert-critical-extension", |o| {
        x509(o)
            == Some(CertificateError::UnsupportedCriticalExtension {
                at: CertPosition::Bundle(0),
            })
    }),
    ("cert-root-as-leaf", |o| {
        x509(o) == Some(CertificateError::LeafSelfSigned)
    }),
    ("cert-leaf-root-no-intermediate", |o| {
        x509(o)
            == Some(CertificateError::UnknownIssuer {
                at: CertPosition::Bundle(0),
            })
    }),
    ("cert-other-key", |o| {
        core(o) == Some(Error::Dsse(DsseError::BadSignature))
    }),
];

/// An unsigned file, `file`, was the failure.
fn unsigned(o: &Outcome, file: &str) -> bool {
    matches!(o, Outcome::Failed(Failure::Core { error: Error::UnsignedFile, file: Some(f) }) if f == file)
}

/// The walk failed with `check`, its message naming `name`.
fn walk(o: &Outcome, check: &str, name: &str) -> bool {
    matches!(o, Outcome::Failed(Failure::Walk { check: c, message }) if *c == check && message.starts_with(name))
}

fn x509(o: &Outcome) -> Option<CertificateError> {
    match core(o) {
        Some(Error::Certificate(e)) => Some(e),
        _ => None,
    }
}

fn run(case: &Case) -> Run {
    case.run(case.verify_args())
}

#[test]
fn every_vector_has_an_expectation_and_meets_it() {
    let cases = vector_cases();
    assert!(cases.len() >= 40, "vectors missing: {}", cases.len());
    let mut failures = Vec::new();
    for name in &cases {
        let Some((_, check)) = EXPECTED.iter().find(|(n, _)| n == name) else {
            failures.push(format!("{name}: no expectation in tests/tests/vectors.rs"));
            continue;
        };
        let case = Case::load(name);
        let run = run(&case);
        let Some(outcome) = run.outcome() else {
            failures.push(format!("{name}: usage error {run:?}"));
            continue;
        };
        if !check(outcome) {
            failures.push(format!("{name}: unexpected {outcome:?}"));
        }
        let want_verified = case.expect == "verified";
        if want_verified != verified(outcome) {
            failures.push(format!("{name}: case.json says {}", case.expect));
        }
    }
    for (name, _) in EXPECTED {
        if !cases.iter().any(|c| c == name) {
            failures.push(format!("{name}: expected but not in testdata/vectors"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn compat_pae_is_reported() {
    use oms_edge_core::{KeyVerifier, PaeEncoding, PublicKey, Time, Verifier};
    for (name, want) in [
        ("compat-pae", PaeEncoding::Compat),
        ("key-p256", PaeEncoding::Standard),
    ] {
        let case = Case::load(name);
        let bundle = std::fs::read(&case.signature).unwrap();
        let key = PublicKey::from_pem_or_der(&std::fs::read(&case.key).unwrap()).unwrap();
        let mut buf = vec![0u8; bundle.len()];
        let v = KeyVerifier::new(key)
            .verify(&bundle, Time::NoClock, &mut buf)
            .unwrap();
        assert_eq!(v.manifest().pae_encoding(), want, "{name}");
        assert_eq!(v.evidence().pae_encoding(), want, "{name}");
        assert_eq!(v.evidence().algorithm(), key.algorithm(), "{name}");
    }
}

/// The pre-1.0 PAE verifies only where the caller asks for the fallback
/// (OMS model bundles); generic DSSE bundles pass `None`.
#[test]
fn compat_pae_needs_the_fallback() {
    use oms_edge_core::__fuzz::{Bundle, verify_envelope};
    use oms_edge_core::{PaeEncoding, PublicKey};
    let case = Case::load("compat-pae");
    let bundle = std::fs::read(&case.signature).unwrap();
    let key = PublicKey::from_pem_or_der(&std::fs::read(&case.key).unwrap()).unwrap();
    let parsed = Bundle::parse(&bundle).unwrap();
    let env = parsed.envelope().unwrap();
    let mut buf = vec![0u8; bundle.len()];
    let (_, with) = verify_envelope(env, &key, true, &mut buf).unwrap();
    assert_eq!(with, PaeEncoding::Compat);
    assert_eq!(
        verify_envelope(env, &key, false, &mut buf).map(|(_, e)| e),
        Err(DsseError::BadSignature)
    );
}

#[test]
fn der_keys_verify_too() {
    let case = Case::load("key-p384");
    let mut args_key = case.key.clone();
    args_key.set_extension("der");
    let der = oms_edge_tests::testdata().join("keys/p384.pub.der");
    assert!(der.exists());
    let mut case = case;
    case.key = der;
    assert!(verified(run(&case).outcome().unwrap()));
}

/// The certificate method cannot check a certificate's validity without a
/// time: with `Time::NoClock` it fails with its own check, before any
/// path is built; at the vectors' time the same bundle verifies, and the
/// evidence names the path and the time.
#[test]
fn certificates_need_a_verification_time() {
    use oms_edge_core::{CertificateVerifier, KeyAlgorithm, Time, TrustStore, Verifier};
    let case = Case::load("cert-p256");
    let bundle = std::fs::read(&case.signature).unwrap();
    let mut store = TrustStore::new();
    for c in &case.chain {
        store.add_pem(&std::fs::read(c).unwrap()).unwrap();
    }
    let verifier = CertificateVerifier::new(store);
    let mut buf = vec![0u8; bundle.len()];
    let no_clock = verifier
        .verify(&bundle, Time::NoClock, &mut buf)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        no_clock,
        Error::Certificate(CertificateError::NoVerificationTime)
    );
    assert_eq!(no_clock.check().as_str(), "x509.no_verification_time");
    let at = Time::at_secs(1_780_272_000); // 2026-06-01, inside every validity
    let v = verifier.verify(&bundle, at, &mut buf).unwrap();
    let e = v.evidence();
    assert_eq!(e.path_len(), 3);
    assert_eq!(e.leaf_key(), KeyAlgorithm::EcdsaP256);
    assert_eq!(Time::Now(e.validated_at()), at);
}
