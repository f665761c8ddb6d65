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
    }
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
        // Fulcio username; v1 and v2 differ and v2 wins.
        (
            fixture!("leaf-othername.der"),
            SanKind::Username,
            "octocat",
            "https://v2.example",
        ),
        // An email, then a URI: the URI wins, as in sigstore-go.
        (fixture!("leaf-two-sans.der"), SanKind::Uri, WORKFLOW, GHA),
    ];
    for (der, kind, san, issuer) in cases {
        let want = identity(kind, san, issuer);
        assert_eq!(fulcio_identity(&cert(der)), Ok(want), "{san}");
    }
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
    for ok in [
        fixture!("leaf-sct.der"),
        fixture!("leaf-email.der"),
        // No keyUsage at all.
        fixture!("leaf-uri-v1.der"),
    ] {
        assert_eq!(check_leaf_profile(&cert(ok)), Ok(()));
    }
    let cases = [
        (fixture!("leaf-ca.der"), PolicyError::LeafIsCa),
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
