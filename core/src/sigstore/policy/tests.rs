//! Tests of `policy`.

use super::*;
use crate::sigstore::sct::tests::cert;
use der::Encode;

const GHA: &str = "https://token.actions.githubusercontent.com";
const WORKFLOW: &str =
    "https://github.com/example/repo/.github/workflows/release.yml@refs/heads/main";
const EMAIL: &str = "signer@example.com";

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../../testdata/fulcio/", $name)).as_slice()
    };
}

fn patched(der: &[u8], from: &[u8], to: &[u8]) -> Cert {
    cert(&crate::sigstore::sct::tests::patched(der, from, to))
}

/// The DER of `oid` with its last arc's (single) byte replaced by `arc`.
fn oid_der(oid: ObjectIdentifier, arc: Option<u8>) -> alloc::vec::Vec<u8> {
    let mut der = oid.to_der().unwrap();
    if let Some(arc) = arc {
        *der.last_mut().unwrap() = arc;
    }
    der
}

fn identity(kind: SanKind, san: &str, issuer: &str) -> Identity {
    Identity {
        kind,
        san: String::from(san),
        issuer: String::from(issuer),
        extensions: alloc::vec::Vec::new(),
    }
}

/// Checks 1–5: the exact identity and issuer.
fn check(leaf: &Cert, identity: &str, issuer: &str) -> Result<Identity, PolicyError> {
    IdentityPolicy::exact(identity, issuer).check(leaf)
}

#[test]
fn reads_identities() {
    let cases = [
        // URI SAN, issuer v1 and v2 (equal).
        (fixture!("leaf-sct.der"), SanKind::Uri, WORKFLOW, GHA),
        (fixture!("leaf-email.der"), SanKind::Email, EMAIL, GHA),
        // Legacy issuer v1 only.
        (
            fixture!("leaf-uri-v1.der"),
            SanKind::Uri,
            WORKFLOW,
            "https://accounts.google.com",
        ),
        // An email, then a URI: the URI wins, as in sigstore-go.
        (fixture!("leaf-two-sans.der"), SanKind::Uri, WORKFLOW, GHA),
    ];
    for (der, kind, san, issuer) in cases {
        let want = identity(kind, san, issuer);
        assert_eq!(fulcio_identity(&cert(der)), Ok(want), "{san}");
    }
    // Fulcio username, issuer v2 only (its v1 renamed to another arc).
    let v2_only = patched(
        fixture!("leaf-othername.der"),
        &oid_der(OIDC_ISSUER_V1, None),
        &oid_der(OIDC_ISSUER_V1, Some(2)),
    );
    assert_eq!(
        fulcio_identity(&v2_only),
        Ok(identity(SanKind::Username, "octocat", "https://v2.example"))
    );
    // v1 and v2 name different issuers: sigstore-python reads v1,
    // sigstore-go the last one; neither wins.
    assert_eq!(
        fulcio_identity(&cert(fixture!("leaf-othername.der"))),
        Err(PolicyError::IssuerConflict)
    );
}

#[test]
fn san_failures() {
    // DNS names are not identities.
    let leaf = cert(fixture!("leaf-no-codesign.der"));
    assert_eq!(fulcio_identity(&leaf), Err(PolicyError::NoSan));
    // An otherName of another type is ignored.
    let other_type = patched(
        fixture!("leaf-othername.der"),
        &oid_der(FULCIO_USERNAME, None),
        &oid_der(FULCIO_USERNAME, Some(6)),
    );
    assert_eq!(fulcio_identity(&other_type), Err(PolicyError::NoSan));
    // A username that is not a UTF8String.
    let printable = patched(
        fixture!("leaf-othername.der"),
        b"\x0c\x07octocat",
        b"\x13\x07octocat",
    );
    assert_eq!(fulcio_identity(&printable), Err(PolicyError::SanEncoding));
    // An unknown GeneralName tag ([9]) makes the extension malformed.
    let bad_tag = patched(
        fixture!("leaf-email.der"),
        b"\x81\x12signer@example.com",
        b"\x89\x12signer@example.com",
    );
    assert_eq!(fulcio_identity(&bad_tag), Err(PolicyError::SanEncoding));
}

#[test]
fn issuer_failures() {
    // The only issuer extension renamed to another Fulcio OID.
    let none = patched(
        fixture!("leaf-uri-v1.der"),
        &oid_der(OIDC_ISSUER_V1, None),
        &oid_der(OIDC_ISSUER_V1, Some(2)),
    );
    assert_eq!(fulcio_identity(&none), Err(PolicyError::NoIssuer));
    // v2 must be a UTF8String.
    let printable = patched(
        fixture!("leaf-email.der"),
        b"\x0c\x2bhttps://token",
        b"\x13\x2bhttps://token",
    );
    assert_eq!(
        fulcio_identity(&printable),
        Err(PolicyError::IssuerEncoding)
    );
    // v1 must be UTF-8.
    let not_utf8 = patched(fixture!("leaf-uri-v1.der"), b"//accounts", b"//\xffccounts");
    assert_eq!(fulcio_identity(&not_utf8), Err(PolicyError::IssuerEncoding));
    // The v2 extension renamed to v1: v1 twice, each well formed.
    let twice = patched(
        fixture!("leaf-sct.der"),
        &oid_der(OIDC_ISSUER_V2, None),
        &oid_der(OIDC_ISSUER_V1, None),
    );
    assert_eq!(fulcio_identity(&twice), Err(PolicyError::IssuerEncoding));
}

#[test]
fn check_compares_exactly() {
    let leaf = cert(fixture!("leaf-sct.der"));
    assert_eq!(
        check(&leaf, WORKFLOW, GHA),
        Ok(identity(SanKind::Uri, WORKFLOW, GHA))
    );
    let upper = WORKFLOW.replace("example", "Example");
    let slash = alloc::format!("{GHA}/");
    for wrong in [
        upper.as_str(),
        "https://github.com/example/repo",
        &WORKFLOW[..WORKFLOW.len() - 1],
        "",
    ] {
        assert_eq!(
            check(&leaf, wrong, GHA),
            Err(PolicyError::IdentityMismatch),
            "{wrong}"
        );
    }
    for wrong in [slash.as_str(), "https://accounts.google.com", ""] {
        assert_eq!(
            check(&leaf, WORKFLOW, wrong),
            Err(PolicyError::IssuerMismatch),
            "{wrong}"
        );
    }
    let email = cert(fixture!("leaf-email.der"));
    assert_eq!(
        check(&email, EMAIL, GHA).map(|i| i.kind),
        Ok(SanKind::Email)
    );
    assert_eq!(
        check(&email, "Signer@example.com", GHA),
        Err(PolicyError::IdentityMismatch)
    );
}

#[test]
fn leaf_profile() {
    // These fixtures pass checks 1–4 but carry no authorityKeyIdentifier
    // (the Sigstore vectors' leaves, which do, pass all of them).
    for almost in [fixture!("leaf-sct.der"), fixture!("leaf-email.der")] {
        assert_eq!(
            check_leaf_profile(&cert(almost)),
            Err(PolicyError::NoAuthorityKeyId)
        );
    }
    let cases = [
        (fixture!("leaf-ca.der"), PolicyError::LeafIsCa),
        // No keyUsage at all (sigstore-python requires digitalSignature).
        (fixture!("leaf-uri-v1.der"), PolicyError::NoDigitalSignature),
        (fixture!("leaf-no-codesign.der"), PolicyError::NoCodeSigning),
        (
            fixture!("leaf-no-digsig.der"),
            PolicyError::NoDigitalSignature,
        ),
        (fixture!("intermediate.der"), PolicyError::LeafIsCa),
    ];
    for (der, want) in cases {
        assert_eq!(check_leaf_profile(&cert(der)), Err(want));
    }
}

#[test]
fn errors_name_the_check() {
    let text = alloc::format!("{}", PolicyError::IssuerMismatch);
    assert!(text.starts_with("identity: "), "{text}");
    let text = alloc::format!("{}", PolicyError::LeafIsCa);
    assert!(text.starts_with("leaf profile: "), "{text}");
}

/// The Fulcio leaf of a GitHub Actions case of `testdata/sigstore`, and the
/// extension values its case.json lists.
fn gha_case(
    name: &str,
) -> (
    Cert,
    std::vec::Vec<(std::string::String, std::string::String)>,
) {
    let dir = std::format!(
        "{}/../testdata/sigstore/cases/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bundle = std::fs::read(std::format!("{dir}/bundle.sigstore.json")).unwrap();
    let parsed = crate::bundle::Bundle::parse(&bundle).unwrap();
    let crate::bundle::Material::Certificate { raw_bytes } = parsed.material else {
        panic!("{name}: not a certificate bundle");
    };
    let der = crate::json::decode_base64_owned(raw_bytes, crate::json::Field::RawBytes).unwrap();
    let meta = std::fs::read(std::format!("{dir}/case.json")).unwrap();
    let doc = crate::json::parse(&meta).unwrap();
    let exts = doc.object().unwrap().get("extensions").unwrap().unwrap();
    let values = exts
        .object()
        .unwrap()
        .members()
        .map(|m| {
            let (k, v) = m.unwrap();
            (k.chars().collect(), v.str().unwrap().chars().collect())
        })
        .collect();
    (cert(&der), values)
}

const TAG: &str =
    "https://github.com/acme/tiny-model/.github/workflows/release.yml@refs/tags/v1.0.0";
#[cfg(feature = "regex")]
const TAG_PATTERN: &str = r"^https://github\.com/acme/tiny-model/\.github/workflows/release\.yml@refs/tags/v[0-9]+\.[0-9]+\.[0-9]+$";

#[cfg(feature = "regex")]
#[test]
fn every_fulcio_extension_is_read_and_reported() {
    for case in ["gha-release-tag-model", "gha-reusable-model"] {
        let (leaf, values) = gha_case(case);
        assert_eq!(values.len(), FulcioExtension::ALL.len(), "{case}");
        let mut policy = IdentityPolicy::new(Matcher::regex("^.*$").unwrap(), Matcher::exact(GHA));
        for (name, value) in &values {
            let ext = FulcioExtension::from_name(name).unwrap();
            policy = policy.with_extension(ext, Matcher::exact(value));
        }
        let id = policy.check(&leaf).unwrap();
        assert_eq!(id.extensions.len(), values.len());
        for (got, (name, value)) in id.extensions.iter().zip(&values) {
            assert_eq!(got.extension.name(), name);
            assert_eq!(got.read_from, got.extension, "{name}: no fallback needed");
            assert_eq!(&got.value, value);
        }
        // One value off: that extension is named.
        let off = policy.clone().with_extension(
            FulcioExtension::RunnerEnvironment,
            Matcher::exact("self-hosted"),
        );
        assert_eq!(
            off.check(&leaf),
            Err(PolicyError::ExtensionMismatch(
                FulcioExtension::RunnerEnvironment
            ))
        );
    }
}

#[test]
fn reusable_workflow_signer_is_not_the_build_config() {
    let (leaf, _) = gha_case("gha-reusable-model");
    let signer =
        "https://github.com/acme/signing-workflows/.github/workflows/sign-model.yml@refs/tags/v2";
    let base = || IdentityPolicy::exact(signer, GHA);
    let ok = base()
        .with_extension(FulcioExtension::BuildSignerUri, Matcher::exact(signer))
        .with_extension(FulcioExtension::BuildConfigUri, Matcher::exact(TAG))
        .with_extension(
            FulcioExtension::SourceRepositoryUri,
            Matcher::exact("https://github.com/acme/tiny-model"),
        )
        .with_extension(FulcioExtension::BuildTrigger, Matcher::exact("release"));
    assert!(ok.check(&leaf).is_ok());
    // The caller's workflow is the build config, not the signer.
    let wrong = base().with_extension(FulcioExtension::BuildSignerUri, Matcher::exact(TAG));
    assert_eq!(
        wrong.check(&leaf),
        Err(PolicyError::ExtensionMismatch(
            FulcioExtension::BuildSignerUri
        ))
    );
    // Its SAN is the reusable workflow's: a policy for release.yml refuses it.
    assert_eq!(
        IdentityPolicy::exact(TAG, GHA).check(&leaf),
        Err(PolicyError::IdentityMismatch)
    );
}

#[cfg(feature = "regex")]
#[test]
fn identity_patterns_are_anchored() {
    let policy = IdentityPolicy::new(Matcher::regex(TAG_PATTERN).unwrap(), Matcher::exact(GHA))
        .with_extension(
            FulcioExtension::SourceRepositoryRef,
            Matcher::regex("^refs/tags/v.*$").unwrap(),
        );
    let (tag, _) = gha_case("gha-release-tag-model");
    let id = policy.check(&tag).unwrap();
    assert_eq!(id.san, TAG);
    assert_eq!(id.extensions[0].value, "refs/tags/v1.0.0");
    // `…@refs/tags/v1.0.0-evil` starts with a match but is not one.
    let (longer, _) = gha_case("gha-longer-identity-model");
    assert_eq!(policy.check(&longer), Err(PolicyError::IdentityMismatch));
    // A branch is not a tag.
    let (branch, _) = gha_case("gha-branch-model");
    let any_workflow = IdentityPolicy::new(
        Matcher::regex(r"^https://github\.com/acme/tiny-model/.*$").unwrap(),
        Matcher::exact(GHA),
    )
    .with_extension(
        FulcioExtension::SourceRepositoryRef,
        Matcher::regex("^refs/tags/v.*$").unwrap(),
    );
    assert_eq!(
        any_workflow.check(&branch),
        Err(PolicyError::ExtensionMismatch(
            FulcioExtension::SourceRepositoryRef
        ))
    );
    // The issuer can be a pattern too.
    let issuer = IdentityPolicy::new(
        Matcher::exact(TAG),
        Matcher::regex(r"^https://token\.actions\.githubusercontent\.com$").unwrap(),
    );
    assert!(issuer.check(&tag).is_ok());
}

#[cfg(feature = "regex")]
#[test]
fn legacy_extensions_stand_in_where_the_spec_says() {
    let (leaf, _) = gha_case("gha-legacy-extensions-model");
    let policy = IdentityPolicy::new(Matcher::regex(TAG_PATTERN).unwrap(), Matcher::exact(GHA))
        .with_extension(FulcioExtension::BuildTrigger, Matcher::exact("push"))
        .with_extension(
            FulcioExtension::SourceRepositoryRef,
            Matcher::exact("refs/tags/v0.9.0"),
        )
        .with_extension(
            FulcioExtension::GithubWorkflowRepository,
            Matcher::exact("acme/tiny-model"),
        );
    let id = policy.check(&leaf).unwrap();
    let from: std::vec::Vec<_> = id.extensions.iter().map(|e| e.read_from).collect();
    assert_eq!(
        from,
        [
            FulcioExtension::GithubWorkflowTrigger,
            FulcioExtension::GithubWorkflowRef,
            FulcioExtension::GithubWorkflowRepository,
        ]
    );
    // Only the same claim in the same format stands in: the legacy
    // repository is `owner/name`, not the source repository URI.
    let uri = policy.with_extension(
        FulcioExtension::SourceRepositoryUri,
        Matcher::exact("https://github.com/acme/tiny-model"),
    );
    assert_eq!(
        uri.check(&leaf),
        Err(PolicyError::ExtensionMissing(
            FulcioExtension::SourceRepositoryUri
        ))
    );
    // A certificate with both reads the current one.
    let (both, _) = gha_case("gha-release-tag-model");
    let id = IdentityPolicy::exact(TAG, GHA)
        .with_extension(FulcioExtension::BuildTrigger, Matcher::exact("push"))
        .check(&both)
        .unwrap();
    assert_eq!(id.extensions[0].read_from, FulcioExtension::BuildTrigger);
}

#[cfg(feature = "regex")]
#[test]
fn malformed_extensions_fail_only_when_matched() {
    let (leaf, _) = gha_case("gha-release-tag-model");
    let der = leaf.der().to_vec();
    let runner = FulcioExtension::RunnerEnvironment;
    let policy =
        IdentityPolicy::exact(TAG, GHA).with_extension(runner, Matcher::exact("github-hosted"));
    // A PrintableString instead of a UTF8String.
    let printable = patched(&der, b"\x0c\x0dgithub-hosted", b"\x13\x0dgithub-hosted");
    assert_eq!(
        policy.check(&printable),
        Err(PolicyError::ExtensionEncoding(runner))
    );
    // Trailing bytes after the string (the value shortened by one).
    let trailing = patched(&der, b"\x0c\x0dgithub-hosted", b"\x0c\x0cgithub-hosted");
    assert_eq!(
        policy.check(&trailing),
        Err(PolicyError::ExtensionEncoding(runner))
    );
    // A policy that does not match the extension does not read it.
    assert!(IdentityPolicy::exact(TAG, GHA).check(&printable).is_ok());
    // Repeated: build signer digest (.1.10) renamed to build signer URI (.1.9).
    let arc = |a: u8| {
        let mut oid = oid_der(OIDC_ISSUER_V2, Some(a));
        oid.extend_from_slice(b"\x04");
        oid
    };
    let twice = patched(&der, &arc(10), &arc(9));
    let signer = FulcioExtension::BuildSignerUri;
    assert_eq!(
        IdentityPolicy::exact(TAG, GHA)
            .with_extension(signer, Matcher::exact(TAG))
            .check(&twice),
        Err(PolicyError::ExtensionEncoding(signer))
    );
    // A legacy value that is not UTF-8.
    let (legacy, _) = gha_case("gha-legacy-extensions-model");
    let bad = patched(legacy.der(), b"\x04\x04push", b"\x04\x04pus\xff");
    assert_eq!(
        IdentityPolicy::new(Matcher::regex(TAG_PATTERN).unwrap(), Matcher::exact(GHA))
            .with_extension(FulcioExtension::BuildTrigger, Matcher::exact("push"))
            .check(&bad),
        Err(PolicyError::ExtensionEncoding(
            FulcioExtension::BuildTrigger
        ))
    );
}

#[test]
fn extension_table_follows_fulcio() {
    let arcs: std::vec::Vec<_> = FulcioExtension::ALL
        .iter()
        .map(|e| e.oid().rsplit('.').next().unwrap().parse::<u32>().unwrap())
        .collect();
    assert_eq!(
        arcs,
        [
            2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22
        ]
    );
    for e in FulcioExtension::ALL {
        assert_eq!(FulcioExtension::from_name(e.name()), Some(*e));
        assert!(e.object_id().is_some());
        assert_eq!(e.is_der(), !e.name().starts_with("github_"));
    }
    assert_eq!(
        FulcioExtension::SourceRepositoryUri.oid(),
        "1.3.6.1.4.1.57264.1.12"
    );
    let text = alloc::format!(
        "{}",
        PolicyError::ExtensionMismatch(FulcioExtension::SourceRepositoryRef)
    );
    assert_eq!(
        text,
        "identity: the certificate's source repository ref (1.3.6.1.4.1.57264.1.14) is not the expected value"
    );
}
