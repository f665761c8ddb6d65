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

use crate::check::Check;
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
#[non_exhaustive]
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

impl PolicyError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            Self::NoSan => Check::PolicyNoSan,
            Self::SanEncoding => Check::PolicySanEncoding,
            Self::NoIssuer => Check::PolicyNoIssuer,
            Self::IssuerEncoding => Check::PolicyIssuerEncoding,
            Self::IdentityMismatch => Check::PolicyIdentityMismatch,
            Self::IssuerMismatch => Check::PolicyIssuerMismatch,
            Self::ProfileEncoding => Check::PolicyProfileEncoding,
            Self::LeafIsCa => Check::PolicyLeafIsCa,
            Self::NoCodeSigning => Check::PolicyNoCodeSigning,
            Self::NoDigitalSignature => Check::PolicyNoDigitalSignature,
        }
    }
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Identity {
    /// Which SAN kind `san` is.
    pub kind: SanKind,
    /// The subjectAltName value.
    pub san: String,
    /// The OIDC issuer.
    pub issuer: String,
}

/// Which keyless signers a `SigstoreVerifier` admits: today an exact
/// identity and issuer. Built by its constructors; more matchers can be
/// added without breaking callers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdentityPolicy {
    identity: String,
    issuer: String,
}

impl IdentityPolicy {
    /// The signer's certificate SAN (email, URI or Fulcio username) must be
    /// `identity` and its OIDC issuer `issuer`, byte for byte: no case
    /// folding, no normalisation, no patterns.
    pub fn exact(identity: &str, issuer: &str) -> Self {
        Self {
            identity: String::from(identity),
            issuer: String::from(issuer),
        }
    }

    /// The identity and issuer of a Fulcio leaf, if the policy admits them.
    pub(crate) fn check(&self, leaf: &Cert) -> Result<Identity, PolicyError> {
        check(leaf, &self.identity, &self.issuer)
    }
}

/// Checks 1–3 of [`fulcio_identity`]: reads the signer's identity and OIDC
/// issuer from a Fulcio leaf.
pub(crate) fn fulcio_identity(leaf: &Cert) -> Result<Identity, PolicyError> {
    let (kind, san) = subject_alt_name(leaf)?;
    let issuer = oidc_issuer(leaf)?;
    Ok(Identity { kind, san, issuer })
}

/// [`fulcio_identity`], then: the SAN equals `identity` and the OIDC issuer
/// equals `issuer`, exactly. Returns the identity for reporting.
pub(crate) fn check(leaf: &Cert, identity: &str, issuer: &str) -> Result<Identity, PolicyError> {
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
pub(crate) fn check_leaf_profile(leaf: &Cert) -> Result<(), PolicyError> {
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

// The tests share the SCT tests' certificate helpers.
#[cfg(all(test, feature = "p384", feature = "p521", feature = "rsa"))]
mod tests;
