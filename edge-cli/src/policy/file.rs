//! The policy file: TOML, read whole and checked whole before anything is
//! verified (`docs/policy.md`, `docs/policy.schema.json`).
//!
//! Checks, in order; the first that fails is reported as
//! `file:line:column: message` (exit 2), and nothing is verified:
//! 1. the file is TOML (toml's own parser and its error span);
//! 2. it has exactly the keys of the format, of the right types (serde,
//!    every table `deny_unknown_fields`);
//! 3. `version` is 1;
//! 4. each signer: a known `method`, the keys of that method and no
//!    other; its trust material loads (keys, certificates and trusted
//!    roots, read relative to the policy file's directory); every matcher
//!    is an exact string or an anchored regular expression
//!    (`oms_edge_core::Matcher::regex`); two key signers never pin one key;
//! 5. `require`: every listed signer is defined, listed once, every
//!    defined signer is listed (or the list is left out: all of them),
//!    and `1 <= threshold <= ` the number listed.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use oms_edge_core::{
    CertificateVerifier, FulcioExtension, IdentityPolicy, KeyVerifier, LeafPolicy, Matcher,
    MatcherError, PRODUCTION_TRUSTED_ROOT, PublicKey, TrustStore, TrustedRoot,
};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;

use super::{Policy, Requirement, Signer, SignerKind};

/// Largest policy file read, in bytes (a policy of a hundred signers with
/// inline PEM keys is under 100 KiB).
pub const MAX_POLICY_BYTES: u64 = 1 << 20;

/// Why a policy was refused: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFileError {
    /// The policy file, as given.
    pub file: PathBuf,
    /// Line and column (1-based; the column counts characters), when the
    /// problem is at a place in the file.
    pub at: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PolicyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, col)) => {
                write!(f, "{}:{line}:{col}: {}", self.file.display(), self.message)
            }
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for PolicyFileError {}

/// The extended key usages a leaf policy can name, besides dotted OIDs.
pub const EKU_NAMES: &[(&str, &str)] = &[
    ("serverAuth", "1.3.6.1.5.5.7.3.1"),
    ("clientAuth", "1.3.6.1.5.5.7.3.2"),
    ("codeSigning", "1.3.6.1.5.5.7.3.3"),
    ("emailProtection", "1.3.6.1.5.5.7.3.4"),
    ("timeStamping", "1.3.6.1.5.5.7.3.8"),
];

// ---- the format (checks 1-2) ---------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    version: Spanned<i64>,
    #[serde(default)]
    signers: BTreeMap<String, Spanned<SignerDoc>>,
    require: Spanned<RequireDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignerDoc {
    method: Spanned<String>,
    // key
    public_key: Option<Spanned<String>>,
    public_key_pem: Option<Spanned<String>>,
    // certificate
    roots: Option<Spanned<Vec<Spanned<String>>>>,
    intermediates: Option<Spanned<Vec<Spanned<String>>>>,
    leaf: Option<Spanned<LeafDoc>>,
    // sigstore
    trusted_root: Option<Spanned<String>>,
    trust_state: Option<Spanned<String>>,
    identity: Option<Spanned<MatcherDoc>>,
    issuer: Option<Spanned<MatcherDoc>>,
    extensions: Option<Spanned<BTreeMap<Spanned<String>, Spanned<MatcherDoc>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeafDoc {
    subject: Option<Spanned<MatcherDoc>>,
    san: Option<Spanned<MatcherDoc>>,
    eku: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequireDoc {
    threshold: Spanned<i64>,
    signers: Option<Vec<Spanned<String>>>,
}

/// A value to match: a string (exact) or `{ regex = "^…$" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatcherDoc {
    /// Byte for byte.
    Exact(String),
    /// An anchored regular expression.
    Regex(String),
}

impl<'de> Deserialize<'de> for MatcherDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MatcherDoc;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string (matched exactly) or a table { regex = \"^...$\" }")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<MatcherDoc, E> {
                Ok(MatcherDoc::Exact(v.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MatcherDoc, A::Error> {
                let mut regex = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "regex" {
                        return Err(de::Error::unknown_field(&key, &["regex"]));
                    }
                    if regex.is_some() {
                        return Err(de::Error::duplicate_field("regex"));
                    }
                    regex = Some(map.next_value::<String>()?);
                }
                regex
                    .map(MatcherDoc::Regex)
                    .ok_or_else(|| de::Error::missing_field("regex"))
            }
        }
        d.deserialize_any(V)
    }
}

// ---- reading and checking (checks 3-5) -----------------------------------

/// Reads and checks the policy at `path` (checks 1–5 of the module docs).
pub fn load(path: &Path) -> Result<Policy, PolicyFileError> {
    let fail = |message: String| PolicyFileError {
        file: path.to_path_buf(),
        at: None,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    if meta.len() > MAX_POLICY_BYTES {
        return Err(fail(format!("larger than {MAX_POLICY_BYTES} bytes")));
    }
    let text = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&text, path, &base)
}

/// Checks 1–5 on the text of a policy; `file` names it in errors, and
/// relative paths in it are read from `base`.
pub fn parse(text: &str, file: &Path, base: &Path) -> Result<Policy, PolicyFileError> {
    let cx = Cx { text, file, base };
    // 1-2.
    let doc: FileDoc = toml::from_str(text).map_err(|e| cx.error(e.span(), e.message()))?;
    // 3.
    if *doc.version.get_ref() != 1 {
        return Err(cx.at(
            &doc.version,
            "unsupported policy version: this oms-edge reads version 1",
        ));
    }
    // 4.
    let mut signers = Vec::new();
    for (name, spec) in &doc.signers {
        signers.push(cx.signer(name, spec, &signers)?);
    }
    // 5.
    let requirement = cx.requirement(&doc.require, &doc.signers, &signers)?;
    Ok(Policy {
        file: file.to_path_buf(),
        signers,
        requirement,
    })
}

/// What a check needs to report a place and read a path.
struct Cx<'a> {
    text: &'a str,
    file: &'a Path,
    base: &'a Path,
}

impl Cx<'_> {
    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> PolicyFileError {
        PolicyFileError {
            file: self.file.to_path_buf(),
            at: span.map(|s| line_col(self.text, s.start)),
            message: message.into(),
        }
    }

    fn at<T>(&self, spanned: &Spanned<T>, message: impl Into<String>) -> PolicyFileError {
        self.error(Some(spanned.span()), message)
    }

    fn path(&self, p: &str) -> PathBuf {
        self.base.join(p)
    }

    fn read(&self, p: &Spanned<String>, what: &str) -> Result<Vec<u8>, PolicyFileError> {
        std::fs::read(self.path(p.get_ref()))
            .map_err(|e| self.at(p, format!("cannot read {what} {:?}: {e}", p.get_ref())))
    }

    /// Check 4 for one signer.
    fn signer(
        &self,
        name: &str,
        spec: &Spanned<SignerDoc>,
        earlier: &[Signer],
    ) -> Result<Signer, PolicyFileError> {
        let s = spec.get_ref();
        let method = s.method.get_ref().as_str();
        // The keys each method takes; any other is refused.
        let given: [(&str, Option<Range<usize>>); 11] = [
            ("public_key", s.public_key.as_ref().map(Spanned::span)),
            (
                "public_key_pem",
                s.public_key_pem.as_ref().map(Spanned::span),
            ),
            ("roots", s.roots.as_ref().map(Spanned::span)),
            ("intermediates", s.intermediates.as_ref().map(Spanned::span)),
            ("leaf", s.leaf.as_ref().map(Spanned::span)),
            ("trusted_root", s.trusted_root.as_ref().map(Spanned::span)),
            ("trust_state", s.trust_state.as_ref().map(Spanned::span)),
            ("identity", s.identity.as_ref().map(Spanned::span)),
            ("issuer", s.issuer.as_ref().map(Spanned::span)),
            ("extensions", s.extensions.as_ref().map(Spanned::span)),
            ("method", None),
        ];
        let allowed: &[&str] = match method {
            "key" => &["public_key", "public_key_pem"],
            "certificate" => &["roots", "intermediates", "leaf"],
            "sigstore" => &[
                "trusted_root",
                "trust_state",
                "identity",
                "issuer",
                "extensions",
            ],
            other => {
                return Err(self.at(
                    &s.method,
                    format!(
                        "signer {name:?}: unknown method {other:?}: expected \"key\", \"certificate\" or \"sigstore\""
                    ),
                ));
            }
        };
        for (key, span) in &given {
            if let Some(span) = span
                && !allowed.contains(key)
            {
                return Err(self.error(
                    Some(span.clone()),
                    format!("signer {name:?}: `{key}` does not apply to method {method:?}"),
                ));
            }
        }
        let kind = match method {
            "key" => self.key_signer(name, spec, earlier)?,
            "certificate" => self.certificate_signer(name, spec)?,
            _ => self.sigstore_signer(name, spec)?,
        };
        Ok(Signer {
            name: name.to_owned(),
            kind,
        })
    }

    fn key_signer(
        &self,
        name: &str,
        spec: &Spanned<SignerDoc>,
        earlier: &[Signer],
    ) -> Result<SignerKind, PolicyFileError> {
        let s = spec.get_ref();
        let (bytes, source, span) = match (&s.public_key, &s.public_key_pem) {
            (Some(path), None) => (
                self.read(path, "public key")?,
                path.get_ref().clone(),
                path.span(),
            ),
            (None, Some(pem)) => (
                pem.get_ref().as_bytes().to_vec(),
                "(inline PEM)".to_owned(),
                pem.span(),
            ),
            (Some(_), Some(pem)) => {
                return Err(self.at(
                    pem,
                    format!("signer {name:?}: give `public_key` or `public_key_pem`, not both"),
                ));
            }
            (None, None) => {
                return Err(self.at(
                    spec,
                    format!("signer {name:?}: a key signer needs `public_key` (a file) or `public_key_pem`"),
                ));
            }
        };
        let key = PublicKey::from_pem_or_der(&bytes).map_err(|e| {
            self.error(
                Some(span.clone()),
                format!("signer {name:?}: {source}: {e}"),
            )
        })?;
        if let Some(other) = earlier.iter().find(|o| match &o.kind {
            SignerKind::Key { verifier, .. } => *verifier.key() == key,
            _ => false,
        }) {
            return Err(self.error(
                Some(span),
                format!(
                    "signer {name:?} pins the same key as signer {:?}: one key is one signer",
                    other.name
                ),
            ));
        }
        Ok(SignerKind::Key {
            verifier: KeyVerifier::new(key),
            source,
        })
    }

    fn certificate_signer(
        &self,
        name: &str,
        spec: &Spanned<SignerDoc>,
    ) -> Result<SignerKind, PolicyFileError> {
        let s = spec.get_ref();
        let Some(roots) = s.roots.as_ref().filter(|r| !r.get_ref().is_empty()) else {
            return Err(self.error(
                Some(s.roots.as_ref().map_or(spec.span(), Spanned::span)),
                format!("signer {name:?}: a certificate signer needs `roots` (at least one file)"),
            ));
        };
        let mut store = TrustStore::new();
        let mut root_names = Vec::new();
        let mut intermediate_names = Vec::new();
        let lists = [(roots, true)]
            .into_iter()
            .chain(s.intermediates.iter().map(|i| (i, false)));
        for (list, are_roots) in lists {
            for file in list.get_ref() {
                let bytes = self.read(file, "certificate file")?;
                let anchors = store.anchor_count();
                let added = if bytes.first() == Some(&0x30) {
                    store.add_der(&bytes).map(|()| 1)
                } else {
                    store.add_pem(&bytes)
                };
                let added = added.map_err(|e| {
                    self.at(file, format!("signer {name:?}: {:?}: {e}", file.get_ref()))
                })?;
                let new_anchors = store.anchor_count().saturating_sub(anchors);
                if are_roots && new_anchors != added {
                    return Err(self.at(
                        file,
                        format!(
                            "signer {name:?}: {:?} holds a certificate that is not self-signed: list it under `intermediates`",
                            file.get_ref()
                        ),
                    ));
                }
                if !are_roots && new_anchors != 0 {
                    return Err(self.at(
                        file,
                        format!(
                            "signer {name:?}: {:?} holds a self-signed certificate: list it under `roots`",
                            file.get_ref()
                        ),
                    ));
                }
                let names = if are_roots {
                    &mut root_names
                } else {
                    &mut intermediate_names
                };
                names.push(file.get_ref().clone());
            }
        }
        let mut leaf = LeafPolicy::default();
        if let Some(l) = &s.leaf {
            let l_ref = l.get_ref();
            if let Some(m) = &l_ref.subject {
                leaf = leaf.with_subject(self.matcher(name, "leaf.subject", m)?);
            }
            if let Some(m) = &l_ref.san {
                leaf = leaf.with_san(self.matcher(name, "leaf.san", m)?);
            }
            for eku in l_ref.eku.iter().flatten() {
                let text = eku.get_ref().as_str();
                let oid = EKU_NAMES
                    .iter()
                    .find(|(n, _)| *n == text)
                    .map_or(text, |(_, oid)| *oid);
                leaf = leaf.with_eku(oid).ok_or_else(|| {
                    self.at(
                        eku,
                        format!(
                            "signer {name:?}: unknown extended key usage {text:?}: give a dotted OID or one of {}",
                            EKU_NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                        ),
                    )
                })?;
            }
        }
        Ok(SignerKind::Certificate {
            verifier: CertificateVerifier::with_leaf_policy(store, leaf),
            roots: root_names,
            intermediates: intermediate_names,
        })
    }

    fn sigstore_signer(
        &self,
        name: &str,
        spec: &Spanned<SignerDoc>,
    ) -> Result<SignerKind, PolicyFileError> {
        let s = spec.get_ref();
        let (Some(identity), Some(issuer)) = (&s.identity, &s.issuer) else {
            return Err(self.at(
                spec,
                format!("signer {name:?}: a sigstore signer needs `identity` and `issuer`"),
            ));
        };
        let (trust, trust_source) = match (&s.trusted_root, &s.trust_state) {
            (Some(_), Some(state)) => {
                return Err(self.at(
                    state,
                    format!(
                        "signer {name:?}: `trusted_root` and `trust_state` name two trusted roots: give one"
                    ),
                ));
            }
            (None, Some(dir)) => {
                // A TUF state that `oms-edge trust init|update` keeps:
                // its verified trusted_root.json, as `--trust-state` reads it.
                let st = crate::trust::state_trust(Some(&self.path(dir.get_ref())))
                    .map_err(|e| self.at(dir, format!("signer {name:?}: {e}")))?
                    .ok_or_else(|| {
                        self.at(
                            dir,
                            format!("signer {name:?}: no TUF state in {:?}", dir.get_ref()),
                        )
                    })?;
                let root = TrustedRoot::parse_any(&st.trusted_root).map_err(|e| {
                    self.at(dir, format!("signer {name:?}: {}: {e}", st.description))
                })?;
                (
                    root,
                    st.description
                        .trim_start_matches("trusted root: ")
                        .to_owned(),
                )
            }
            (Some(path), None) => {
                let bytes = self.read(path, "trusted root")?;
                let root = TrustedRoot::parse_any(&bytes).map_err(|e| {
                    self.at(
                        path,
                        format!("signer {name:?}: trusted root {:?}: {e}", path.get_ref()),
                    )
                })?;
                (root, path.get_ref().clone())
            }
            (None, None) => (
                TrustedRoot::parse(PRODUCTION_TRUSTED_ROOT).map_err(|e| {
                    self.at(spec, format!("the bundled production trusted root: {e}"))
                })?,
                "the bundled Sigstore production root".to_owned(),
            ),
        };
        let mut policy = IdentityPolicy::new(
            self.matcher(name, "identity", identity)?,
            self.matcher(name, "issuer", issuer)?,
        );
        for (key, m) in s.extensions.iter().flat_map(|e| e.get_ref()) {
            let ext = FulcioExtension::from_name(key.get_ref()).ok_or_else(|| {
                self.at(
                    key,
                    format!(
                        "signer {name:?}: unknown Fulcio extension {:?}: expected one of {}",
                        key.get_ref(),
                        FulcioExtension::ALL
                            .iter()
                            .map(|e| e.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            policy = policy.with_extension(ext, self.matcher(name, ext.name(), m)?);
        }
        Ok(SignerKind::Sigstore {
            trust: Box::new(trust),
            trust_source,
            policy,
        })
    }

    /// An exact matcher, or an anchored pattern (`what` names the key).
    fn matcher(
        &self,
        name: &str,
        what: &str,
        m: &Spanned<MatcherDoc>,
    ) -> Result<Matcher, PolicyFileError> {
        match m.get_ref() {
            MatcherDoc::Exact(s) => Ok(Matcher::exact(s)),
            MatcherDoc::Regex(p) => Matcher::regex(p).map_err(|e| {
                let detail = match e {
                    MatcherError::Syntax { .. } => {
                        format!(
                            "invalid regular expression {p:?}: {}",
                            Matcher::regex_diagnostic(p)
                        )
                    }
                    MatcherError::Unanchored => format!("unanchored regular expression {p:?}: {e}"),
                    other => format!("regular expression {p:?}: {other}"),
                };
                self.at(m, format!("signer {name:?}: {what}: {detail}"))
            }),
        }
    }

    /// Check 5.
    fn requirement(
        &self,
        require: &Spanned<RequireDoc>,
        defined: &BTreeMap<String, Spanned<SignerDoc>>,
        signers: &[Signer],
    ) -> Result<Requirement, PolicyFileError> {
        let r = require.get_ref();
        if signers.is_empty() {
            return Err(self.at(require, "the policy defines no signer"));
        }
        let mut listed = Vec::new();
        match &r.signers {
            Some(names) => {
                for n in names {
                    let i = signers
                        .iter()
                        .position(|s| s.name == *n.get_ref())
                        .ok_or_else(|| {
                            self.at(
                                n,
                                format!(
                                    "signer {:?} is not defined (defined: {})",
                                    n.get_ref(),
                                    signers
                                        .iter()
                                        .map(|s| s.name.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            )
                        })?;
                    if listed.contains(&i) {
                        return Err(self.at(n, format!("signer {:?} is listed twice", n.get_ref())));
                    }
                    listed.push(i);
                }
                if let Some((name, spec)) = defined.iter().find(|(name, _)| {
                    !signers
                        .iter()
                        .enumerate()
                        .any(|(i, s)| s.name == **name && listed.contains(&i))
                }) {
                    return Err(self.at(
                        spec,
                        format!("signer {name:?} is defined but not listed in require.signers"),
                    ));
                }
            }
            None => listed = (0..signers.len()).collect(),
        }
        let threshold = *r.threshold.get_ref();
        if threshold < 1 {
            return Err(self.at(&r.threshold, "threshold must be at least 1"));
        }
        let threshold = usize::try_from(threshold).unwrap_or(usize::MAX);
        if threshold > listed.len() {
            return Err(self.at(
                &r.threshold,
                format!(
                    "threshold {threshold} is more than the {} signer(s) listed: it could never be met",
                    listed.len()
                ),
            ));
        }
        Ok(Requirement {
            threshold,
            signers: listed,
        })
    }
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn columns_count_characters() {
        let text = "a = 1\nname = \"ünï\" x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        let x = text.find(" x").unwrap() + 1;
        assert_eq!(line_col(text, x), (2, 14));
        assert_eq!(line_col(text, text.len() + 5), (3, 1));
    }
}
