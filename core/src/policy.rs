//! Sigstore method: the keyless identity policy and the Fulcio leaf
//! profile. The signer is who the Fulcio certificate names, vouched for by
//! the OIDC issuer that Fulcio recorded.
//!
//! Checks of [`fulcio_identity`], in order (RFC 5280 §4.2.1.6; Fulcio's
//! `docs/oid-info.md`; the SAN choice of sigstore-go's
//! `certificate.SummarizeCertificate`):
//! 1. the subjectAltName extension is present once and decodes;
//! 2. the identity is its first URI, else its first rfc822Name (email),
//!    else its first otherName of type 1.3.6.1.4.1.57264.1.7 (Fulcio's
//!    "username", a UTF8String; sigstore-python accepts it too);
//! 3. the OIDC issuer is extension 1.3.6.1.4.1.57264.1.8 (a DER
//!    UTF8String), or, when that is absent, the legacy
//!    1.3.6.1.4.1.57264.1.1 (the string's raw bytes, UTF-8); each present
//!    at most once.
//!
//! [`check`] then compares both, byte for byte, with what the caller
//! expects: no case folding, no normalisation, no patterns.
//!
//! Checks of [`check_leaf_profile`] (RFC 5280 §4.2.1.3, §4.2.1.9,
//! §4.2.1.12; Fulcio issues exactly this profile):
//! 1. basicConstraints is absent or has cA false: the leaf is not a CA;
//! 2. extKeyUsage is present and lists codeSigning;
//! 3. keyUsage, when present, asserts digitalSignature;
//!
//! each of those extensions decoding, once.

use alloc::string::String;
use core::fmt;

use der::Decode;
use der::asn1::{ObjectIdentifier, Utf8StringRef};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName};

use crate::x509::Cert;

/// Fulcio's OIDC issuer extension (v2, a DER UTF8String).
const OIDC_ISSUER_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");
/// Fulcio's legacy OIDC issuer extension (v1, raw string bytes).
const OIDC_ISSUER_V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");
/// Fulcio's otherName SAN type for a username.
const FULCIO_USERNAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.7");
/// id-kp-codeSigning.
const KP_CODE_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");

/// Why a Fulcio leaf's identity or profile was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PolicyError {
    /// The leaf has no subjectAltName, or none of a supported kind (URI,
    /// email, Fulcio username).
    NoSan,
    /// The subjectAltName extension is malformed or repeated, or the chosen
    /// name is not valid text.
    SanEncoding,
    /// The leaf has neither OIDC issuer extension.
    NoIssuer,
    /// An OIDC issuer extension is repeated, or is not a UTF-8 string (v2:
    /// not exactly one DER UTF8String).
    IssuerEncoding,
    /// The SAN is not the expected identity.
    IdentityMismatch,
    /// The OIDC issuer is not the expected issuer.
    IssuerMismatch,
    /// basicConstraints, keyUsage or extKeyUsage is malformed or repeated.
    ProfileEncoding,
    /// The leaf is a CA (basicConstraints cA true).
    LeafIsCa,
    /// extKeyUsage is absent or does not list codeSigning.
    NoCodeSigning,
    /// keyUsage is present without digitalSignature.
    NoDigitalSignature,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoSan => "identity: the certificate names no URI, email or username",
            Self::SanEncoding => "identity: malformed subjectAltName",
            Self::NoIssuer => "identity: the certificate records no OIDC issuer",
            Self::IssuerEncoding => "identity: malformed OIDC issuer extension",
            Self::IdentityMismatch => "identity: the signer is not the expected identity",
            Self::IssuerMismatch => "identity: the OIDC issuer is not the expected issuer",
            Self::ProfileEncoding => "leaf profile: malformed key usage or basic constraints",
            Self::LeafIsCa => "leaf profile: the signing certificate is a CA",
            Self::NoCodeSigning => "leaf profile: no codeSigning extended key usage",
            Self::NoDigitalSignature => "leaf profile: keyUsage lacks digitalSignature",
        })
    }
}

/// The kind of subjectAltName entry the identity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SanKind {
    /// uniformResourceIdentifier (CI workflows, SPIFFE IDs).
    Uri,
    /// rfc822Name (people).
    Email,
    /// otherName 1.3.6.1.4.1.57264.1.7 (Fulcio username).
    Username,
}

/// Who signed, as the Fulcio certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Which SAN kind `san` is.
    pub kind: SanKind,
    /// The subjectAltName value.
    pub san: String,
    /// The OIDC issuer.
    pub issuer: String,
}

/// Checks 1–3 of [`fulcio_identity`]: reads the signer's identity and OIDC
/// issuer from a Fulcio leaf.
pub fn fulcio_identity(leaf: &Cert) -> Result<Identity, PolicyError> {
    let (kind, san) = subject_alt_name(leaf)?;
    let issuer = oidc_issuer(leaf)?;
    Ok(Identity { kind, san, issuer })
}

/// [`fulcio_identity`], then: the SAN equals `identity` and the OIDC issuer
/// equals `issuer`, exactly. Returns the identity for reporting.
pub fn check(leaf: &Cert, identity: &str, issuer: &str) -> Result<Identity, PolicyError> {
    let found = fulcio_identity(leaf)?;
    if found.san != identity {
        return Err(PolicyError::IdentityMismatch);
    }
    if found.issuer != issuer {
        return Err(PolicyError::IssuerMismatch);
    }
    Ok(found)
}

/// Checks 1–3 of [`check_leaf_profile`]: the leaf is a code-signing end
/// entity.
pub fn check_leaf_profile(leaf: &Cert) -> Result<(), PolicyError> {
    let tbs = leaf.parsed().tbs_certificate();
    let bad = |_| PolicyError::ProfileEncoding;
    // 1.
    if tbs
        .get_extension::<BasicConstraints>()
        .map_err(bad)?
        .is_some_and(|(_, bc)| bc.ca)
    {
        return Err(PolicyError::LeafIsCa);
    }
    // 2.
    let eku = tbs.get_extension::<ExtendedKeyUsage>().map_err(bad)?;
    if !eku.is_some_and(|(_, eku)| eku.0.contains(&KP_CODE_SIGNING)) {
        return Err(PolicyError::NoCodeSigning);
    }
    // 3.
    if tbs
        .get_extension::<KeyUsage>()
        .map_err(bad)?
        .is_some_and(|(_, ku)| !ku.digital_signature())
    {
        return Err(PolicyError::NoDigitalSignature);
    }
    Ok(())
}

/// Checks 1–2 of [`fulcio_identity`].
fn subject_alt_name(leaf: &Cert) -> Result<(SanKind, String), PolicyError> {
    let (_, san) = leaf
        .parsed()
        .tbs_certificate()
        .get_extension::<SubjectAltName>()
        .map_err(|_| PolicyError::SanEncoding)?
        .ok_or(PolicyError::NoSan)?;
    let names = &san.0;
    let uri = names.iter().find_map(|n| match n {
        GeneralName::UniformResourceIdentifier(s) => Some(s.as_str()),
        _ => None,
    });
    let email = || {
        names.iter().find_map(|n| match n {
            GeneralName::Rfc822Name(s) => Some(s.as_str()),
            _ => None,
        })
    };
    if let Some(uri) = uri {
        return Ok((SanKind::Uri, String::from(uri)));
    }
    if let Some(email) = email() {
        return Ok((SanKind::Email, String::from(email)));
    }
    let username = names.iter().find_map(|n| match n {
        GeneralName::OtherName(o) if o.type_id == FULCIO_USERNAME => Some(&o.value),
        _ => None,
    });
    let value = username.ok_or(PolicyError::NoSan)?;
    let text = value
        .decode_as::<Utf8StringRef<'_>>()
        .map_err(|_| PolicyError::SanEncoding)?;
    Ok((SanKind::Username, String::from(text.as_str())))
}

/// Check 3 of [`fulcio_identity`].
fn oidc_issuer(leaf: &Cert) -> Result<String, PolicyError> {
    let exts = leaf
        .parsed()
        .tbs_certificate()
        .extensions()
        .map_or(&[][..], |e| e.as_slice());
    let only = |oid: ObjectIdentifier| -> Result<Option<&[u8]>, PolicyError> {
        let mut found = exts.iter().filter(|e| e.extn_id == oid);
        let first = found.next().map(|e| e.extn_value.as_bytes());
        if found.next().is_some() {
            return Err(PolicyError::IssuerEncoding);
        }
        Ok(first)
    };
    let v2 = only(OIDC_ISSUER_V2)?;
    let v1 = only(OIDC_ISSUER_V1)?;
    if let Some(der) = v2 {
        let text = Utf8StringRef::from_der(der).map_err(|_| PolicyError::IssuerEncoding)?;
        return Ok(String::from(text.as_str()));
    }
    let raw = v1.ok_or(PolicyError::NoIssuer)?;
    let text = core::str::from_utf8(raw).map_err(|_| PolicyError::IssuerEncoding)?;
    Ok(String::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sct::tests::cert;
    use der::Encode;

    const GHA: &str = "https://token.actions.githubusercontent.com";
    const WORKFLOW: &str =
        "https://github.com/example/repo/.github/workflows/release.yml@refs/heads/main";
    const EMAIL: &str = "signer@example.com";

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!("../../testdata/fulcio/", $name)).as_slice()
        };
    }

    fn patched(der: &[u8], from: &[u8], to: &[u8]) -> Cert {
        cert(&crate::sct::tests::patched(der, from, to))
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
}
