//! Certificate method: who the leaf names, and what a caller's
//! [`LeafPolicy`] requires of it, after the path validated (RFC 5280
//! §4.1.2.6, §4.2.1.6, §4.2.1.12).
//!
//! Checks of [`LeafPolicy::check`], in order:
//! 1. the subject, rendered as RFC 4514 text by x509-cert (`CN=Release
//!    Signer,O=Example`; most significant RDN last, as RFC 4514 writes
//!    it), matches the subject matcher;
//! 2. some subjectAltName entry of the leaf (an rfc822Name, URI or DNS
//!    name, in certificate order) matches the SAN matcher; a malformed or
//!    repeated subjectAltName extension matches nothing;
//! 3. the leaf's extKeyUsage lists every purpose required, each by its
//!    OID (anyExtendedKeyUsage does not stand in for one: a policy that
//!    names a purpose wants it named).
//!
//! A policy without a matcher skips that check. [`LeafIdentity`] reports
//! the subject and the SANs whatever the policy.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use der::asn1::ObjectIdentifier;
use x509_cert::ext::pkix::ExtendedKeyUsage;

use super::{Cert, CertificateError, GeneralName};
use crate::matcher::Matcher;

/// Who a certificate-method leaf names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeafIdentity {
    /// The subject, as RFC 4514 text.
    pub subject: String,
    /// The rfc822Name, URI and DNS name entries of the subjectAltName, in
    /// certificate order (empty when absent or malformed).
    pub sans: Vec<String>,
}

/// What the caller requires of a certificate-method leaf beyond a valid
/// path: its subject, one of its SANs, its extended key usages (checks
/// 1–3 of the module docs). [`LeafPolicy::default`] requires nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeafPolicy {
    subject: Option<Matcher>,
    san: Option<Matcher>,
    ekus: Vec<(String, ObjectIdentifier)>,
}

impl LeafPolicy {
    /// The leaf's subject (RFC 4514 text) must match `subject`.
    #[must_use]
    pub fn with_subject(mut self, subject: Matcher) -> Self {
        self.subject = Some(subject);
        self
    }

    /// Some SAN of the leaf (email, URI or DNS name) must match `san`.
    #[must_use]
    pub fn with_san(mut self, san: Matcher) -> Self {
        self.san = Some(san);
        self
    }

    /// The leaf's extKeyUsage must list `oid` (dotted, e.g.
    /// `1.3.6.1.5.5.7.3.3` for codeSigning); `None` when `oid` is not a
    /// dotted OID.
    pub fn with_eku(mut self, oid: &str) -> Option<Self> {
        let parsed = ObjectIdentifier::new(oid).ok()?;
        self.ekus.push((String::from(oid), parsed));
        Some(self)
    }

    /// The subject matcher, if any.
    pub fn subject(&self) -> Option<&Matcher> {
        self.subject.as_ref()
    }

    /// The SAN matcher, if any.
    pub fn san(&self) -> Option<&Matcher> {
        self.san.as_ref()
    }

    /// The required extended key usages, dotted.
    pub fn ekus(&self) -> impl Iterator<Item = &str> {
        self.ekus.iter().map(|(s, _)| s.as_str())
    }

    /// Checks 1–3 of the module docs on `leaf`.
    pub(crate) fn check(&self, leaf: &Cert) -> Result<LeafIdentity, CertificateError> {
        let tbs = leaf.parsed().tbs_certificate();
        let subject = tbs.subject().to_string();
        let sans = subject_alt_names(leaf);
        // 1.
        if let Some(m) = &self.subject
            && !m.is_match(&subject)
        {
            return Err(CertificateError::LeafSubjectMismatch);
        }
        // 2.
        if let Some(m) = &self.san
            && !sans.iter().any(|s| m.is_match(s))
        {
            return Err(CertificateError::LeafSanMismatch);
        }
        // 3.
        if !self.ekus.is_empty() {
            let listed = super::get_extension::<ExtendedKeyUsage>(leaf.parsed())
                .ok()
                .flatten()
                .map(|(_, eku)| eku.0)
                .unwrap_or_default();
            if !self.ekus.iter().all(|(_, oid)| listed.contains(oid)) {
                return Err(CertificateError::LeafEkuMissing);
            }
        }
        Ok(LeafIdentity { subject, sans })
    }
}

/// The leaf's email, URI and DNS SANs, in order (none when the extension
/// is absent, malformed or repeated).
fn subject_alt_names(leaf: &Cert) -> Vec<String> {
    let Ok(Some(names)) = super::subject_alt_names(leaf.parsed()) else {
        return Vec::new();
    };
    names
        .iter()
        .filter_map(|n| match n {
            GeneralName::Email(s) | GeneralName::Uri(s) | GeneralName::Dns(s) => {
                Some(String::from(*s))
            }
            _ => None,
        })
        .collect()
}
