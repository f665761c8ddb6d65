//! What a policy requires, in words (`oms-edge policy check`).

use std::fmt::Write as _;

use oms_edge_core::{MatchKind, Matcher};
use sha2::{Digest as _, Sha256};

use super::{Policy, SignerKind};
use crate::policy::file::EKU_NAMES;

/// "is \"x\"" or "matches /x/ (the whole value)".
fn matches(m: &Matcher) -> String {
    match m.kind() {
        MatchKind::Regex => format!("matches the regular expression {m} (the whole value)"),
        _ => format!("is {m}"),
    }
}

/// The policy in a few lines: what must have signed, and each signer.
pub fn describe(policy: &Policy) -> String {
    let r = &policy.requirement;
    let mut out = String::new();
    let names: Vec<&str> = r
        .signers
        .iter()
        .filter_map(|&j| policy.signers.get(j))
        .map(|s| s.name.as_str())
        .collect();
    let how_many = if r.threshold == names.len() {
        if names.len() == 1 {
            "the signer".to_owned()
        } else {
            format!("all {} signers", names.len())
        }
    } else {
        format!("at least {} of {} signers", r.threshold, names.len())
    };
    let _ = writeln!(out, "{}: valid policy (version 1).", policy.file.display());
    let _ = writeln!(
        out,
        "A model is admitted when {how_many} ({}) signed it: each signer counts once however many \
         signatures it made, a signature counts for one signer at most, and every counted \
         signature's manifest must match the model.",
        names.join(", ")
    );
    for &j in &r.signers {
        let Some(s) = policy.signers.get(j) else {
            continue;
        };
        let _ = writeln!(out, "\n{} ({}):", s.name, s.kind.method());
        match &s.kind {
            SignerKind::Key { verifier, source } => {
                let key = verifier.key();
                let mut buf = [0u8; oms_edge_core::limits::MAX_SPKI_BYTES];
                let id = key
                    .to_spki_der(&mut buf)
                    .map(|d| {
                        Sha256::digest(d)
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect::<String>()
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  signed with the {} public key in {source} (SubjectPublicKeyInfo sha256:{id})",
                    key.curve_name()
                );
            }
            SignerKind::Certificate {
                verifier,
                roots,
                intermediates,
            } => {
                let _ = writeln!(
                    out,
                    "  signed with a certificate that chains, valid at the verification time, to a root in {}{}",
                    roots.join(", "),
                    if intermediates.is_empty() {
                        String::new()
                    } else {
                        format!(" (intermediates from {})", intermediates.join(", "))
                    }
                );
                let leaf = verifier.leaf_policy();
                if let Some(m) = leaf.subject() {
                    let _ = writeln!(out, "  whose subject {}", matches(m));
                }
                if let Some(m) = leaf.san() {
                    let _ = writeln!(out, "  one of whose SANs (email, URI, DNS) {}", matches(m));
                }
                for oid in leaf.ekus() {
                    let name = EKU_NAMES
                        .iter()
                        .find(|(_, o)| *o == oid)
                        .map_or(oid.to_owned(), |(n, _)| format!("{n} ({oid})"));
                    let _ = writeln!(out, "  whose extended key usage lists {name}");
                }
            }
            SignerKind::Sigstore {
                trust_source,
                policy,
                ..
            } => {
                let _ = writeln!(
                    out,
                    "  signed keyless with a Fulcio certificate from {trust_source}"
                );
                let _ = writeln!(out, "  whose identity (SAN) {}", matches(policy.identity()));
                let _ = writeln!(out, "  whose OIDC issuer {}", matches(policy.issuer()));
                for (ext, m) in policy.extensions() {
                    let fallback = ext
                        .legacy_fallback()
                        .map(|l| format!(", or {} when it is absent", l.oid()))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "  whose {} ({}{fallback}) {}",
                        ext.description(),
                        ext.oid(),
                        matches(m)
                    );
                }
            }
        }
    }
    out.trim_end().to_owned()
}
