//! Sigstore method: the keyless identity policy and the Fulcio leaf
//! profile. The signer is who the Fulcio certificate names, vouched for by
//! the OIDC issuer that Fulcio recorded, with what the CI system that
//! signed told Fulcio (the certificate extensions of Fulcio's
//! `docs/oid-info.md`).
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
//!    at most once, and when both are present they name the same issuer
//!    (sigstore-python reads only .1.1, sigstore-go whichever comes last:
//!    Fulcio writes both, equal).
//!
//! [`IdentityPolicy::check`] then matches, in order (each a
//! [`Matcher`](crate::Matcher): exact, byte for byte, or an anchored
//! regular expression over the whole value):
//! 4. the identity (the SAN of check 2);
//! 5. the OIDC issuer (check 3);
//! 6. each extension matcher, in the order given: the extension is
//!    present at most once; 1.3.6.1.4.1.57264.1.9 to .1.22 are exactly
//!    one DER UTF8String each (oid-info: "DER-encoded strings; the ASN.1
//!    tag is UTF8String"), the deprecated GitHub ones (.1.2 to .1.6) raw
//!    UTF-8 bytes; when build trigger (.1.20), source repository digest
//!    (.1.13) or source repository ref (.1.14) is absent, its deprecated
//!    GitHub predecessor (.1.2, .1.3, .1.6: the same token claim, in the
//!    same format) is read instead, as sigstore-go's and cosign's
//!    deprecation notes direct; an extension the policy names that the
//!    certificate lacks fails, as does a value the matcher does not match.
//!
//! The evidence ([`Identity`]) reports the SAN, the issuer and each
//! extension value the policy matched, with the extension it was read
//! from.
//!
//! Checks of [`check_leaf_profile`] (RFC 5280 §4.2.1.3, §4.2.1.9,
//! §4.2.1.12; Fulcio issues exactly this profile):
//! 1. basicConstraints is absent or has cA false: the leaf is not a CA;
//! 2. extKeyUsage is present, lists codeSigning, and is not critical;
//! 3. keyUsage is present, asserts digitalSignature and not keyCertSign;
//! 4. an empty subject comes with a critical subjectAltName (RFC 5280
//!    §4.2.1.6);
//! 5. authorityKeyIdentifier is present (RFC 5280 §4.2.1.1);
//!
//! (sigstore-python requires 3's digitalSignature, its `cryptography`
//! verifier the rest);
//!
//! each of those extensions decoding, once.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use der::Decode;
use der::asn1::{ObjectIdentifier, Utf8StringRef};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};

use crate::check::Check;
use crate::matcher::Matcher;
use crate::x509::{
    Cert, EXT_AUTHORITY_KEY_ID, EXT_SUBJECT_ALT_NAME, GeneralName, KP_CODE_SIGNING, get_extension,
};

/// Fulcio's OIDC issuer extension (v2, a DER UTF8String).
const OIDC_ISSUER_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");
/// Fulcio's legacy OIDC issuer extension (v1, raw string bytes).
const OIDC_ISSUER_V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");
/// Fulcio's otherName SAN type for a username.
const FULCIO_USERNAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.7");

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
    /// keyUsage is absent, or present without digitalSignature.
    NoDigitalSignature,
    /// The OIDC issuer extensions …57264.1.1 and …1.8 are both present
    /// and name different issuers.
    IssuerConflict,
    /// The subject is empty and the subjectAltName extension is not
    /// critical (RFC 5280 §4.2.1.6).
    SanNotCritical,
    /// keyUsage asserts keyCertSign: an end entity may not sign
    /// certificates.
    LeafKeyCertSign,
    /// extKeyUsage is critical (sigstore-python requires it non-critical,
    /// as Fulcio issues it).
    EkuCritical,
    /// No authorityKeyIdentifier (RFC 5280 §4.2.1.1: every certificate a
    /// CA issues carries one).
    NoAuthorityKeyId,
    /// The policy matches an extension the certificate does not carry.
    ExtensionMissing(FulcioExtension),
    /// An extension's value is not what the policy expects.
    ExtensionMismatch(FulcioExtension),
    /// An extension the policy matches is repeated, or not a UTF8String
    /// (not UTF-8, for a deprecated raw one).
    ExtensionEncoding(FulcioExtension),
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
            Self::IssuerConflict => Check::PolicyIssuerConflict,
            Self::SanNotCritical => Check::PolicySanNotCritical,
            Self::LeafKeyCertSign => Check::PolicyLeafKeyCertSign,
            Self::EkuCritical => Check::PolicyEkuCritical,
            Self::NoAuthorityKeyId => Check::PolicyNoAuthorityKeyId,
            Self::ExtensionMissing(_) => Check::PolicyExtensionMissing,
            Self::ExtensionMismatch(_) => Check::PolicyExtensionMismatch,
            Self::ExtensionEncoding(_) => Check::PolicyExtensionEncoding,
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Self::NoSan => "identity: the certificate names no URI, email or username",
            Self::SanEncoding => "identity: malformed subjectAltName",
            Self::NoIssuer => "identity: the certificate records no OIDC issuer",
            Self::IssuerEncoding => "identity: malformed OIDC issuer extension",
            Self::IdentityMismatch => "identity: the signer is not the expected identity",
            Self::IssuerMismatch => "identity: the OIDC issuer is not the expected issuer",
            Self::ProfileEncoding => "leaf profile: malformed key usage or basic constraints",
            Self::LeafIsCa => "leaf profile: the signing certificate is a CA",
            Self::NoCodeSigning => "leaf profile: no codeSigning extended key usage",
            Self::NoDigitalSignature => "leaf profile: no keyUsage digitalSignature",
            Self::IssuerConflict => {
                "identity: the two OIDC issuer extensions name different issuers"
            }
            Self::SanNotCritical => "leaf profile: empty subject and a non-critical subjectAltName",
            Self::LeafKeyCertSign => "leaf profile: keyUsage asserts keyCertSign",
            Self::EkuCritical => "leaf profile: extKeyUsage is critical",
            Self::NoAuthorityKeyId => "leaf profile: no authorityKeyIdentifier",
            Self::ExtensionMissing(e) => {
                return write!(
                    f,
                    "identity: the certificate has no {} extension ({})",
                    e.description(),
                    e.oid()
                );
            }
            Self::ExtensionMismatch(e) => {
                return write!(
                    f,
                    "identity: the certificate's {} ({}) is not the expected value",
                    e.description(),
                    e.oid()
                );
            }
            Self::ExtensionEncoding(e) => {
                return write!(
                    f,
                    "identity: malformed or repeated {} extension ({})",
                    e.description(),
                    e.oid()
                );
            }
        };
        f.write_str(text)
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
    /// The extension values the policy matched, in the policy's order.
    pub extensions: Vec<ExtensionValue>,
}

/// One Fulcio extension value a policy matched.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExtensionValue {
    /// The extension the policy named.
    pub extension: FulcioExtension,
    /// The extension the value was read from: `extension`, or its
    /// deprecated GitHub predecessor when the certificate lacks it.
    pub read_from: FulcioExtension,
    /// The value.
    pub value: String,
}

/// Which keyless signers a `SigstoreVerifier` admits: an identity and an
/// OIDC issuer, each exact or an anchored regular expression, and
/// matchers on the Fulcio certificate extensions (checks 4–6 of the
/// module docs). Built by its constructors; more matchers can be added
/// without breaking callers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdentityPolicy {
    identity: Matcher,
    issuer: Matcher,
    extensions: Vec<(FulcioExtension, Matcher)>,
}

impl IdentityPolicy {
    /// The signer's certificate SAN (email, URI or Fulcio username) must be
    /// `identity` and its OIDC issuer `issuer`, byte for byte: no case
    /// folding, no normalisation, no patterns.
    pub fn exact(identity: &str, issuer: &str) -> Self {
        Self::new(Matcher::exact(identity), Matcher::exact(issuer))
    }

    /// The signer's SAN must match `identity` and its OIDC issuer
    /// `issuer`.
    pub fn new(identity: Matcher, issuer: Matcher) -> Self {
        Self {
            identity,
            issuer,
            extensions: Vec::new(),
        }
    }

    /// Also requires the Fulcio extension `extension` to be present and
    /// its value to match `matcher` (every extension matcher must hold).
    #[must_use]
    pub fn with_extension(mut self, extension: FulcioExtension, matcher: Matcher) -> Self {
        self.extensions.push((extension, matcher));
        self
    }

    /// What the identity must match.
    pub fn identity(&self) -> &Matcher {
        &self.identity
    }

    /// What the OIDC issuer must match.
    pub fn issuer(&self) -> &Matcher {
        &self.issuer
    }

    /// The extension matchers, in the order they are checked.
    pub fn extensions(&self) -> &[(FulcioExtension, Matcher)] {
        &self.extensions
    }

    /// Checks 1–6 of the module docs on a Fulcio leaf: its identity,
    /// issuer and matched extension values, if the policy admits them.
    pub(crate) fn check(&self, leaf: &Cert) -> Result<Identity, PolicyError> {
        let mut found = fulcio_identity(leaf)?;
        // 4.
        if !self.identity.is_match(&found.san) {
            return Err(PolicyError::IdentityMismatch);
        }
        // 5.
        if !self.issuer.is_match(&found.issuer) {
            return Err(PolicyError::IssuerMismatch);
        }
        // 6.
        for (extension, matcher) in &self.extensions {
            let (read_from, value) = extension_value(leaf, *extension)?
                .ok_or(PolicyError::ExtensionMissing(*extension))?;
            if !matcher.is_match(&value) {
                return Err(PolicyError::ExtensionMismatch(*extension));
            }
            found.extensions.push(ExtensionValue {
                extension: *extension,
                read_from,
                value,
            });
        }
        Ok(found)
    }
}

/// Declares [`FulcioExtension`] from one table of `name arc "key"
/// "description"` rows.
macro_rules! fulcio_extensions {
    ($($(#[$doc:meta])* $name:ident $arc:literal $key:literal $what:literal,)*) => {
        /// A Fulcio certificate extension a policy can match (Fulcio's
        /// `docs/oid-info.md`): the CI-provider generic ones,
        /// 1.3.6.1.4.1.57264.1.9 to .1.22, and the deprecated GitHub
        /// Actions ones, .1.2 to .1.6, that cosign's
        /// `--certificate-github-workflow-*` flags read.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[non_exhaustive]
        pub enum FulcioExtension {
            $($(#[$doc])* $name,)*
        }

        impl FulcioExtension {
            /// Every extension, in OID order.
            pub const ALL: &'static [FulcioExtension] = &[$(FulcioExtension::$name,)*];

            /// The OID, dotted (`1.3.6.1.4.1.57264.1.12`).
            pub const fn oid(self) -> &'static str {
                match self {
                    $(FulcioExtension::$name => concat!("1.3.6.1.4.1.57264.1.", $arc),)*
                }
            }

            /// The name a policy file uses (`source_repository_uri`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(FulcioExtension::$name => $key,)*
                }
            }

            /// What it records, in words (`source repository URI`).
            pub const fn description(self) -> &'static str {
                match self {
                    $(FulcioExtension::$name => $what,)*
                }
            }

            const fn arc(self) -> u32 {
                match self {
                    $(FulcioExtension::$name => $arc,)*
                }
            }
        }
    };
}

fulcio_extensions! {
    /// 1.2, deprecated: the GitHub `event_name` claim (use `BuildTrigger`).
    GithubWorkflowTrigger 2 "github_workflow_trigger" "GitHub workflow trigger (deprecated)",
    /// 1.3, deprecated: the GitHub `sha` claim (use `SourceRepositoryDigest`).
    GithubWorkflowSha 3 "github_workflow_sha" "GitHub workflow SHA (deprecated)",
    /// 1.4, deprecated: the GitHub `workflow` claim (the workflow's name).
    GithubWorkflowName 4 "github_workflow_name" "GitHub workflow name (deprecated)",
    /// 1.5, deprecated: the GitHub `repository` claim (`owner/repo`).
    GithubWorkflowRepository 5 "github_workflow_repository" "GitHub workflow repository (deprecated)",
    /// 1.6, deprecated: the GitHub `ref` claim (use `SourceRepositoryRef`).
    GithubWorkflowRef 6 "github_workflow_ref" "GitHub workflow ref (deprecated)",
    /// 1.9: the build instructions that signed (for GitHub, the workflow
    /// that ran, reusable or not: `https://github.com/` + `job_workflow_ref`).
    BuildSignerUri 9 "build_signer_uri" "build signer URI",
    /// 1.10: the build instructions' immutable version.
    BuildSignerDigest 10 "build_signer_digest" "build signer digest",
    /// 1.11: `github-hosted`, `self-hosted`, ...
    RunnerEnvironment 11 "runner_environment" "runner environment",
    /// 1.12: the source repository (`https://github.com/owner/repo`).
    SourceRepositoryUri 12 "source_repository_uri" "source repository URI",
    /// 1.13: the source commit.
    SourceRepositoryDigest 13 "source_repository_digest" "source repository digest",
    /// 1.14: the source ref (`refs/heads/main`, `refs/tags/v1.0.0`).
    SourceRepositoryRef 14 "source_repository_ref" "source repository ref",
    /// 1.15: the repository's immutable identifier.
    SourceRepositoryIdentifier 15 "source_repository_identifier" "source repository identifier",
    /// 1.16: the repository owner (`https://github.com/owner`).
    SourceRepositoryOwnerUri 16 "source_repository_owner_uri" "source repository owner URI",
    /// 1.17: the owner's immutable identifier.
    SourceRepositoryOwnerIdentifier 17 "source_repository_owner_identifier" "source repository owner identifier",
    /// 1.18: the top-level build instructions (for GitHub, the calling
    /// workflow: `https://github.com/` + `workflow_ref`).
    BuildConfigUri 18 "build_config_uri" "build config URI",
    /// 1.19: their immutable version.
    BuildConfigDigest 19 "build_config_digest" "build config digest",
    /// 1.20: what started the build (`push`, `release`, ...).
    BuildTrigger 20 "build_trigger" "build trigger",
    /// 1.21: the run (`https://github.com/owner/repo/actions/runs/1/attempts/1`).
    RunInvocationUri 21 "run_invocation_uri" "run invocation URI",
    /// 1.22: `public` or `private` when the certificate was issued.
    SourceRepositoryVisibilityAtSigning 22 "source_repository_visibility_at_signing" "source repository visibility at signing",
}

impl FulcioExtension {
    /// The extension named `name` in a policy file, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.name() == name)
    }

    /// Whether the value is a DER UTF8String (.1.8 on) rather than raw
    /// bytes (the deprecated .1.1 to .1.6).
    pub fn is_der(self) -> bool {
        self.arc() >= 8
    }

    /// The deprecated GitHub extension read when this one is absent: the
    /// same claim in the same format (check 6 of the module docs).
    pub fn legacy_fallback(self) -> Option<Self> {
        match self {
            Self::BuildTrigger => Some(Self::GithubWorkflowTrigger),
            Self::SourceRepositoryDigest => Some(Self::GithubWorkflowSha),
            Self::SourceRepositoryRef => Some(Self::GithubWorkflowRef),
            _ => None,
        }
    }

    fn object_id(self) -> Option<ObjectIdentifier> {
        ObjectIdentifier::new(self.oid()).ok()
    }
}

/// Check 6 for one extension: its value and the extension it was read
/// from (itself, or its legacy fallback when it is absent).
fn extension_value(
    leaf: &Cert,
    extension: FulcioExtension,
) -> Result<Option<(FulcioExtension, String)>, PolicyError> {
    if let Some(v) = read_extension(leaf, extension, extension)? {
        return Ok(Some((extension, v)));
    }
    match extension.legacy_fallback() {
        Some(legacy) => Ok(read_extension(leaf, legacy, extension)?.map(|v| (legacy, v))),
        None => Ok(None),
    }
}

/// The value of extension `which`, if present: once, and a DER
/// UTF8String or raw UTF-8 as its arc says. Errors name `asked` (the
/// extension the policy named).
fn read_extension(
    leaf: &Cert,
    which: FulcioExtension,
    asked: FulcioExtension,
) -> Result<Option<String>, PolicyError> {
    let bad = PolicyError::ExtensionEncoding(asked);
    let oid = which.object_id().ok_or(bad)?;
    let Some(raw) = only_extension(leaf, oid).map_err(|()| bad)? else {
        return Ok(None);
    };
    let text = if which.is_der() {
        Utf8StringRef::from_der(raw).map_err(|_| bad)?.as_str()
    } else {
        core::str::from_utf8(raw).map_err(|_| bad)?
    };
    Ok(Some(String::from(text)))
}

/// The value of the extension `oid`, if present; `Err` when repeated.
fn only_extension(leaf: &Cert, oid: ObjectIdentifier) -> Result<Option<&[u8]>, ()> {
    crate::x509::only_extension(leaf.parsed(), oid).map(|e| e.map(|e| e.extn_value.as_bytes()))
}

/// Checks 1–3 of [`fulcio_identity`]: reads the signer's identity and OIDC
/// issuer from a Fulcio leaf.
pub(crate) fn fulcio_identity(leaf: &Cert) -> Result<Identity, PolicyError> {
    let (kind, san) = subject_alt_name(leaf)?;
    let issuer = oidc_issuer(leaf)?;
    Ok(Identity {
        kind,
        san,
        issuer,
        extensions: Vec::new(),
    })
}

/// Checks 1–3 of [`check_leaf_profile`]: the leaf is a code-signing end
/// entity.
pub(crate) fn check_leaf_profile(leaf: &Cert) -> Result<(), PolicyError> {
    let leaf = leaf.parsed();
    let bad = |()| PolicyError::ProfileEncoding;
    // 1.
    if get_extension::<BasicConstraints>(leaf)
        .map_err(bad)?
        .is_some_and(|(_, bc)| bc.ca)
    {
        return Err(PolicyError::LeafIsCa);
    }
    // 2.
    let (eku_critical, eku) = get_extension::<ExtendedKeyUsage>(leaf)
        .map_err(bad)?
        .ok_or(PolicyError::NoCodeSigning)?;
    if !eku.0.contains(&KP_CODE_SIGNING) {
        return Err(PolicyError::NoCodeSigning);
    }
    if eku_critical {
        return Err(PolicyError::EkuCritical);
    }
    // 3.
    let (_, ku) = get_extension::<KeyUsage>(leaf)
        .map_err(bad)?
        .ok_or(PolicyError::NoDigitalSignature)?;
    if !ku.digital_signature() {
        return Err(PolicyError::NoDigitalSignature);
    }
    if ku.key_cert_sign() {
        return Err(PolicyError::LeafKeyCertSign);
    }
    // 4.
    let only = |oid| crate::x509::only_extension(leaf, oid).map_err(bad);
    let san = only(EXT_SUBJECT_ALT_NAME)?;
    if leaf.tbs_certificate().subject().is_empty() && san.is_some_and(|e| !e.critical) {
        return Err(PolicyError::SanNotCritical);
    }
    // 5.
    if only(EXT_AUTHORITY_KEY_ID)?.is_none() {
        return Err(PolicyError::NoAuthorityKeyId);
    }
    Ok(())
}

/// Checks 1–2 of [`fulcio_identity`].
fn subject_alt_name(leaf: &Cert) -> Result<(SanKind, String), PolicyError> {
    let names = crate::x509::subject_alt_names(leaf.parsed())
        .map_err(|()| PolicyError::SanEncoding)?
        .ok_or(PolicyError::NoSan)?;
    let uri = names.iter().find_map(|n| match n {
        GeneralName::Uri(s) => Some(*s),
        _ => None,
    });
    let email = || {
        names.iter().find_map(|n| match n {
            GeneralName::Email(s) => Some(*s),
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
        GeneralName::Other(type_id, value) if *type_id == FULCIO_USERNAME => Some(*value),
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
    let only = |oid| only_extension(leaf, oid).map_err(|()| PolicyError::IssuerEncoding);
    let v2 = only(OIDC_ISSUER_V2)?;
    let v1 = only(OIDC_ISSUER_V1)?;
    let v1 = v1
        .map(|raw| core::str::from_utf8(raw).map_err(|_| PolicyError::IssuerEncoding))
        .transpose()?;
    let Some(der) = v2 else {
        return v1.map(String::from).ok_or(PolicyError::NoIssuer);
    };
    let text = Utf8StringRef::from_der(der).map_err(|_| PolicyError::IssuerEncoding)?;
    // sigstore-python reads .1.1 only, sigstore-go whichever comes last:
    // two different issuers are no issuer at all.
    if v1.is_some_and(|v1| v1 != text.as_str()) {
        return Err(PolicyError::IssuerConflict);
    }
    Ok(String::from(text.as_str()))
}

// The tests share the SCT tests' certificate helpers.
#[cfg(all(test, feature = "p384", feature = "p521", feature = "rsa"))]
mod tests;
