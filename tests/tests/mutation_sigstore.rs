//! Mutation sweep over the Sigstore bundles of `testdata/sigstore` (the
//! key- and certificate-method sweep is `mutation.rs`): byte flips sampled
//! across the whole bundle, truncations, and the deletion of every member.
//! No mutant may panic, and a mutant that still verifies may differ from
//! the original only where nothing signs or proves the bundle:
//!
//! - the same JSON value (escapes, whitespace);
//! - `mediaType` (another accepted spelling or version: it only sets what
//!   the bundle must at least carry, and everything present is verified);
//! - a DSSE `keyid` (unused);
//! - `messageSignature.messageDigest` removed (the caller's artifact digest
//!   is authoritative; a present one must equal it);
//! - the inclusion proof of a v0.1 bundle removed (a v0.1 bundle needs
//!   only a SET, which is verified; a present proof is always verified);
//! - a checkpoint signature line that is not the log's (a cosignature from
//!   a witness the trusted root does not name is ignored, C2SP);
//! - base64 whose last digit carries bits that padding discards (same
//!   bytes).
//!
//! Everything else in a Sigstore bundle is covered by the DSSE or message
//! signature, the SET, the inclusion proof and checkpoint, the RFC 3161
//! signatures or the certificate chain, so any other change must be
//! refused.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use base64ct::{Base64, Encoding};
use oms_edge_core::{
    ArtifactDigest, IdentityPolicy, SigstoreVerifier, Time, TrustedRoot, Verifier,
};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

const CASES: &[&str] = &[
    "v1-hashedrekord",
    "v1-dsse-model",
    "v2-hashedrekord-tsa",
    "v2-dsse-model-tsa",
    "v2-checkpoint-cosigned",
    "media-v0.1",
];

/// Flipped bytes per bundle, evenly spread.
const FLIPS: usize = 150;
const TRUNCATIONS: usize = 8;

const KNOWN_MEDIA_TYPES: &[&str] = &[
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
];

struct Subject {
    bundle: Vec<u8>,
    trust: TrustedRoot,
    /// The artifact's digest, for artifact cases.
    artifact: Option<[u8; 32]>,
}

fn subject(name: &'static str) -> Subject {
    let dir = oms_edge_tests::testdata().join("sigstore/cases").join(name);
    let case: Value =
        serde_json::from_slice(&std::fs::read(dir.join("case.json")).unwrap()).unwrap();
    let trust = TrustedRoot::parse(
        &std::fs::read(dir.join(case["trusted_root"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let artifact = case["artifact"]
        .as_str()
        .map(|a| Sha256::digest(std::fs::read(dir.join(a)).unwrap()).into());
    Subject {
        bundle: std::fs::read(dir.join("bundle.sigstore.json")).unwrap(),
        trust,
        artifact,
    }
}

fn verifies(s: &Subject, bundle: &[u8]) -> bool {
    let policy = IdentityPolicy::exact("signer@example.com", "https://oidc.example.com");
    let verifier = SigstoreVerifier::new(&s.trust, policy);
    let now = Time::at_secs(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    match s.artifact {
        Some(d) => verifier
            .verify_artifact(bundle, now, ArtifactDigest(d))
            .is_ok(),
        None => {
            let mut payload = vec![0u8; bundle.len()];
            verifier.verify(bundle, now, &mut payload).is_ok()
        }
    }
}

/// Every member's path (JSON pointer) in `v`.
fn member_paths(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{path}/{k}");
                out.push(p.clone());
                member_paths(x, &p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                member_paths(x, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn delete(v: &mut Value, path: &str) {
    let (parent, key) = path.rsplit_once('/').unwrap();
    if let Some(Value::Object(m)) = v.pointer_mut(parent) {
        m.remove(key);
    }
}

/// Differences: (path, original value, mutant value).
fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<(String, Option<Value>, Option<Value>)>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let p = format!("{path}/{k}");
                match y.get(k) {
                    Some(vb) => diff(va, vb, &p, out),
                    None => out.push((p, Some(va.clone()), None)),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push((format!("{path}/{k}"), None, Some(vb.clone())));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(va, vb, &format!("{path}/{i}"), out);
            }
        }
        _ if a == b => {}
        _ => out.push((path.to_owned(), Some(a.clone()), Some(b.clone()))),
    }
}

/// Decodes base64 ignoring the bits that padding discards.
fn b64_lenient(s: &str) -> Option<Vec<u8>> {
    Base64::decode_vec(s).ok().or_else(|| {
        let data = s.trim_end_matches('=');
        let pad = s.len() - data.len();
        let unused = match pad {
            1 => 2,
            2 => 4,
            _ => return None,
        };
        const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let last = DIGITS
            .iter()
            .position(|&c| Some(c) == data.bytes().last())?;
        let cleared = DIGITS[last & !((1 << unused) - 1)] as char;
        Base64::decode_vec(&format!(
            "{}{cleared}{}",
            &data[..data.len() - 1],
            &s[data.len()..]
        ))
        .ok()
    })
}

/// Why a difference may verify, if it may.
fn allowed(path: &str, before: &Option<Value>, after: &Option<Value>) -> Option<&'static str> {
    if path == "/mediaType" {
        return after
            .as_ref()
            .and_then(Value::as_str)
            .filter(|m| KNOWN_MEDIA_TYPES.contains(m))
            .map(|_| "mediaType");
    }
    if path.starts_with("/dsseEnvelope/signatures/") && path.ends_with("/keyid") {
        return Some("keyid");
    }
    if path == "/messageSignature/messageDigest" && after.is_none() {
        return Some("messageDigest removed");
    }
    if path.ends_with("/inclusionProof") && after.is_none() {
        // Only in a v0.1 bundle (the mediaType is the original's: a
        // relabelled one differs at /mediaType too and is checked there),
        // whose verified SET suffices; the proof is unsigned evidence.
        return Some("inclusion proof removed from a v0.1 bundle (its SET verified)");
    }
    if before.is_none() {
        return Some("unknown member added");
    }
    let (Some(Value::String(a)), Some(Value::String(b))) = (before, after) else {
        return None;
    };
    if path.ends_with("/checkpoint/envelope") {
        // Only lines that are not the log's signature may differ: the note
        // body and the origin-named signature lines are unchanged.
        let origin = a.lines().next().unwrap_or_default();
        let host = origin.split(" - ").next().unwrap_or(origin);
        let log_lines = |t: &str| -> Vec<String> {
            let (body, sigs) = t.split_once("\n\n").unwrap_or((t, ""));
            let mut v = vec![body.to_owned()];
            v.extend(
                sigs.lines()
                    .filter(|l| {
                        l.strip_prefix("— ")
                            .is_some_and(|r| r.starts_with(&format!("{host} ")))
                    })
                    .map(str::to_owned),
            );
            v
        };
        if log_lines(a) == log_lines(b) {
            return Some("untrusted cosignature line");
        }
        return None;
    }
    let orig = Base64::decode_vec(a).ok()?;
    (b64_lenient(b) == Some(orig)).then_some("base64 unused bits")
}

#[test]
fn sigstore_mutants_never_panic_and_only_unsigned_changes_verify() {
    let mut tried = 0usize;
    let mut rejected = 0usize;
    let mut accepted: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for &name in CASES {
        let s = subject(name);
        assert!(verifies(&s, &s.bundle), "{name}: the original must verify");
        let original: Value = serde_json::from_slice(&s.bundle).unwrap();
        let mut mutants: Vec<(String, Vec<u8>)> = Vec::new();
        let n = s.bundle.len();
        for i in 0..FLIPS {
            let at = i * n / FLIPS;
            let mut b = s.bundle.clone();
            b[at] ^= 0x01;
            mutants.push((format!("flip {at}"), b));
        }
        for i in 0..TRUNCATIONS {
            let len = i * n / TRUNCATIONS;
            mutants.push((format!("truncate {len}"), s.bundle[..len].to_vec()));
        }
        let mut paths = Vec::new();
        member_paths(&original, "", &mut paths);
        for p in &paths {
            let mut v = original.clone();
            delete(&mut v, p);
            mutants.push((format!("delete {p}"), serde_json::to_vec(&v).unwrap()));
        }
        for (what, bytes) in mutants {
            tried += 1;
            match catch_unwind(AssertUnwindSafe(|| verifies(&s, &bytes))) {
                Err(_) => failures.push(format!("{name}: {what}: panicked")),
                Ok(false) => rejected += 1,
                Ok(true) => {
                    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
                        failures.push(format!("{name}: {what}: verified, not JSON to serde"));
                        continue;
                    };
                    let mut d = Vec::new();
                    diff(&original, &v, "", &mut d);
                    let classes: Vec<Option<&str>> =
                        d.iter().map(|(p, a, b)| allowed(p, a, b)).collect();
                    let v01 = v["mediaType"].as_str()
                        == Some("application/vnd.dev.sigstore.bundle+json;version=0.1");
                    let proof_removed_v01_only = d
                        .iter()
                        .all(|(p, _, b)| !(p.ends_with("/inclusionProof") && b.is_none()) || v01);
                    if !proof_removed_v01_only {
                        failures.push(format!("{name}: {what}: verified without its proof"));
                    } else if d.is_empty() {
                        *accepted.entry("same JSON value").or_default() += 1;
                    } else if classes.iter().all(Option::is_some) {
                        *accepted.entry(classes[0].unwrap()).or_default() += 1;
                    } else {
                        failures.push(format!("{name}: {what}: verified, differing at {d:?}"));
                    }
                }
            }
        }
    }
    let acc: usize = accepted.values().sum();
    println!(
        "sigstore mutation sweep over {} bundles: {tried} tried, {rejected} rejected, {acc} accepted: {accepted:?}",
        CASES.len()
    );
    assert!(tried >= 1000, "only {tried} mutants");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
