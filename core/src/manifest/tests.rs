//! Tests of `manifest`.

use super::*;
use crate::hashing::HashAlgorithm;
use crate::statement::{self, PayloadError, StatementError};
use std::format;
use std::string::String;
use std::vec::Vec;

const D0: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const D1: &str = "1111111111111111111111111111111111111111111111111111111111111111";

/// A statement over `resources` (name, digest) with a correct root digest.
fn statement(method: &str, resources: &[(&str, &str)], alg: &str) -> String {
    let mut root = Sha256::new();
    let mut items = Vec::new();
    for (name, digest) in resources {
        if let Some(d) = Digest::from_hex(HashAlgorithm::Sha256, digest.bytes()) {
            root.update(d.as_bytes());
        }
        items.push(format!(
            r#"{{"name":"{name}","algorithm":"{alg}","digest":"{digest}"}}"#
        ));
    }
    let root: [u8; 32] = root.finalize().into();
    let root = format!("{}", crate::encoding::Hex(&root));
    format!(
        r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"m","digest":{{"sha256":"{root}"}}}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{{"serialization":{{{method},"hash_type":"sha256","allow_symlinks":false}},"resources":[{}]}}}}"#,
        items.join(",")
    )
}

fn files(resources: &[(&str, &str)]) -> Result<usize, PayloadError> {
    let s = statement(r#""method":"files""#, resources, "sha256");
    statement::parse_unverified(s.as_bytes()).map(|m| m.len())
}

fn shards(size: u64, names: &[&str]) -> Result<usize, PayloadError> {
    let res: Vec<(&str, &str)> = names.iter().map(|n| (*n, D0)).collect();
    let s = statement(
        &format!(r#""method":"shards","shard_size":{size}.0"#),
        &res,
        &format!("sha256-sharded-{size}"),
    );
    statement::parse_unverified(s.as_bytes()).map(|m| m.len())
}

fn bad(index: usize, cause: ManifestError) -> Result<usize, PayloadError> {
    Err(PayloadError::Resource(index, cause))
}

#[test]
fn canonical_names() {
    assert!(canonical_path(b"a".iter().copied()));
    assert!(canonical_path(b"a/b.c/...d/...".iter().copied()));
    // A backslash is an ordinary byte of a POSIX name, in `..\x` too.
    assert!(canonical_path(br"a\b".iter().copied()));
    assert!(canonical_path(br"..\x".iter().copied()));
    for n in [
        "", "/a", "a/", "a//b", "./a", "a/./b", "a/..", "../a", "..", "a\0",
    ] {
        assert!(!canonical_path(n.bytes()), "{n:?}");
    }
    assert_eq!(files(&[("a", D0)]), Ok(1));
    assert_eq!(files(&[("a\\\\b", D0)]), Ok(1));
    assert_eq!(files(&[(".", D0)]), Ok(1));
    assert_eq!(
        files(&[(".", D0), ("a", D1)]),
        bad(1, ManifestError::DotWithOthers)
    );
    assert_eq!(
        files(&[("../x", D0)]),
        bad(0, ManifestError::NonCanonicalName)
    );
    assert_eq!(
        files(&[("/etc/passwd", D0)]),
        bad(0, ManifestError::NonCanonicalName)
    );
    assert_eq!(
        files(&[("a\\u0000", D0)]),
        bad(0, ManifestError::NonCanonicalName)
    );
    assert_eq!(
        files(&[("a\\/..", D0)]),
        bad(0, ManifestError::NonCanonicalName)
    );
}

#[test]
fn both_sort_orders_are_accepted_and_unsorted_is_not() {
    // Python reference order: `/` before `-` and ` `.
    assert_eq!(files(&[("a/x", D0), ("a b", D0), ("a-b/y", D0)]), Ok(3));
    // Code-point order (Go): ` ` < `-` < `/`.
    assert_eq!(files(&[("a b", D0), ("a-b/y", D0), ("a/x", D0)]), Ok(3));
    let unsorted = bad(1, ManifestError::Unsorted);
    assert_eq!(files(&[("b", D0), ("a", D0)]), unsorted);
    assert_eq!(files(&[("a", D0), ("a", D1)]), unsorted);
    // Mixing the orders is not sorted in either.
    assert_eq!(
        files(&[("a/x", D0), ("a b", D0), ("a-b", D0), ("a/y", D0)]),
        bad(3, ManifestError::Unsorted)
    );
    // Escaped and literal spellings of one name are the same name.
    assert_eq!(files(&[("\\u00e9", D0), ("é", D1)]), unsorted);
}

#[test]
fn shard_rules() {
    // Reference order (numeric) and code-point order both accepted.
    let numeric: Vec<String> = (0..12)
        .map(|i| format!("w:{}:{}", i * 10, i * 10 + 10))
        .collect();
    let numeric: Vec<&str> = numeric.iter().map(String::as_str).collect();
    assert_eq!(shards(10, &numeric), Ok(12));
    let mut lexical = numeric.clone();
    lexical.sort();
    assert_ne!(lexical, numeric);
    assert_eq!(shards(10, &lexical), Ok(12));
    // Last shard shorter; names with colons split at the last two.
    assert_eq!(shards(10, &["a:b:0:10", "a:b:10:15", "c:0:3"]), Ok(3));
    assert_eq!(
        shards(10, &["w:0:10", "w:10:15", "w:15:20"]),
        bad(2, ManifestError::ShardsNotContiguous)
    );
    assert_eq!(
        shards(10, &["w:0:10", "w:20:25"]),
        bad(1, ManifestError::ShardsNotContiguous)
    );
    assert_eq!(
        shards(10, &["w:0:10", "w:5:15"]),
        bad(1, ManifestError::ShardsNotContiguous)
    );
    assert_eq!(
        shards(10, &["w:10:20"]),
        bad(0, ManifestError::ShardsNotContiguous)
    );
    assert_eq!(
        shards(10, &["w:0:5", "w:10:20"]),
        bad(1, ManifestError::ShardsNotContiguous)
    );
    assert_eq!(
        shards(10, &["w:0:10", "w:0:5"]),
        bad(1, ManifestError::ShardsNotContiguous)
    );
    assert_eq!(shards(10, &["w:0:0"]), bad(0, ManifestError::BadShardRange));
    assert_eq!(
        shards(10, &["w:0:11"]),
        bad(0, ManifestError::BadShardRange)
    );
    assert_eq!(
        shards(10, &["w:10:5"]),
        bad(0, ManifestError::BadShardRange)
    );
    for name in [
        "w", "w:0", "w:00:10", "w:0:010", "w:+0:10", "w:0:1e1", ":0:10",
    ] {
        let want = if name == ":0:10" {
            ManifestError::NonCanonicalName
        } else {
            ManifestError::BadShardName
        };
        assert_eq!(shards(10, &[name]), bad(0, want), "{name}");
    }
}

#[test]
fn algorithm_and_digest_rules() {
    let s = statement(r#""method":"files""#, &[("a", D0)], "sha512");
    assert_eq!(
        statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
        bad(0, ManifestError::AlgorithmMismatch)
    );
    let s = statement(r#""method":"files""#, &[("a", D0)], "sha256-sharded-10");
    assert_eq!(
        statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
        bad(0, ManifestError::AlgorithmMismatch)
    );
    let s = statement(
        r#""method":"shards","shard_size":10"#,
        &[("a:0:1", D0)],
        "sha256-sharded-11",
    );
    assert_eq!(
        statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
        bad(0, ManifestError::AlgorithmMismatch)
    );
    let s = statement(
        r#""method":"shards","shard_size":10"#,
        &[("a:0:1", D0)],
        "sha256",
    );
    assert_eq!(
        statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
        Ok(1)
    );
    assert_eq!(files(&[("a", "00")]), bad(0, ManifestError::BadDigest));
}

#[test]
fn root_digest_is_checked() {
    let s = statement(r#""method":"files""#, &[("a", D0)], "sha256").replace(D0, D1);
    assert_eq!(
        statement::parse_unverified(s.as_bytes()).map(|m| m.len()),
        Err(PayloadError::Statement(StatementError::RootDigestMismatch))
    );
}

#[test]
fn reference_path_order() {
    let mut v = ["a-b", "a/x", "a b", "a", "a/b/c"];
    v.sort_by(|a, b| reference_path_cmp(a, b));
    assert_eq!(v, ["a", "a/b/c", "a/x", "a b", "a-b"]);
}
