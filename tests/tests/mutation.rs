//! Mutation sweep: every valid key- and certificate-method bundle of
//! `testdata/vectors` (those expected to verify) and `testdata/sample`,
//! mutated thousands of ways, then verified as `oms-edge verify` does.
//!
//! Mutations (all deterministic):
//! - `flip`: one byte XOR `1 << (offset % 7)`, at every byte of the
//!   signature's base64, every [`PAYLOAD_STRIDE`]th byte of the payload's
//!   base64 and every [`OTHER_STRIDE`]th byte elsewhere;
//! - `truncate`: at 0, 1, 2, len-2, len-1 and [`TRUNCATIONS`] - 1 evenly
//!   spaced lengths;
//! - `delete`: each object member, recursively;
//! - `duplicate`: each object member, repeated right after itself;
//! - `reorder`: each object's members reversed, and rotated by one;
//! - `base64`: each base64 string without padding, with one more `=`, with
//!   `====` appended;
//! - `escape`: `/` written `\/` in each base64 string; every ASCII letter of
//!   one string (key or value) written `\u00XX`; whitespace added around
//!   every structural character;
//! - `add`: an unknown member in each object;
//! - `media_type`: `mediaType` set to each spelling the verifier knows and
//!   to some it does not.
//!
//! For each mutant, never a panic, and:
//! - if it verifies (bundle to manifest), what the signature covers is
//!   unchanged: the payload after base64 decoding, `payloadType`, the
//!   signature bytes, the certificates (DER) the path uses (those the
//!   original needs: it does not verify without them), and `publicKey.rawBytes`
//!   (absent, or the same key). Then the model is verified too, through the
//!   CLI's own path, and must pass.
//! - every verified mutant differs from the original (as JSON values, read
//!   by `serde_json`) only in ways that are allowed to be unsigned:
//!   [`Allowed`] lists them, with why. Anything else fails the test.
//! - mutants that keep the JSON value (member order, escapes, whitespace)
//!   must verify: the verifier reads JSON, not bytes.
//!
//! Bundles whose checks involve P-384 or P-521 keys, 3 to 4 times slower to
//! verify, get flips and truncations that much sparser (see [`cost`]); the
//! other mutations are applied in full to every bundle.
//!
//! Run with `--nocapture` to see the counts.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use base64ct::{Base64, Base64Unpadded, Encoding};
use oms_edge::report::Outcome;
use oms_edge::verify::Run;
use oms_edge_core::__fuzz::Cert;
use oms_edge_core::{
    CertificateVerifier, Error, KeyVerifier, PublicKey, Time, TrustStore, Verifier,
};
use oms_edge_tests::{Case, testdata, vector_cases};
use serde_json::Value;

/// Stride of flipped bytes in the payload's base64 text.
const PAYLOAD_STRIDE: usize = 48;
/// Stride of flipped bytes outside the payload and signature.
const OTHER_STRIDE: usize = 11;
/// Evenly spaced truncation lengths.
const TRUNCATIONS: usize = 24;

/// Why a mutant that verifies may do so: what it changed is not signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Allowed {
    /// Same JSON value: member order, string escapes (`\u0041`, `\/`) that
    /// decode to the same text, whitespace. The verifier compares decoded
    /// values, as every JSON reader must.
    SameJson,
    /// A duplicated member the verifier never reads (duplicates of members
    /// it reads are refused).
    DuplicateUnread,
    /// `mediaType` changed to another accepted spelling or version: it only
    /// selects how the bundle is read, and is not signed.
    MediaType,
    /// `signatures[0].keyid` removed or changed: OMS does not use it.
    Keyid,
    /// `verificationMaterial.tlogEntries` removed or changed (still an
    /// array): the key and certificate methods have no transparency log.
    TlogEntries,
    /// `publicKey.hint` removed or emptied: it only helps pick a key; the
    /// pinned key verifies either way (a wrong hint is refused).
    HintRemoved,
    /// `publicKey.rawBytes` removed: the pinned key is the caller's; the
    /// bundle's copy (older bundles) is checked only when present.
    RawBytesRemoved,
    /// A member the verifier never reads was added, removed, renamed or
    /// changed (`extra`, `unknown`, `keyDetails`, a renamed `keyid`...).
    UnknownMember,
    /// A base64 text (payload, signature, certificate) whose last digit
    /// carries set bits that padding discards: it decodes to the same
    /// bytes. `base64ct`'s in-place decoder does not check those bits, nor
    /// do Python's and Go's default decoders, which the signers use.
    Base64UnusedBits,
    /// A certificate of the bundle's chain that no path uses (a copy of the
    /// trusted root, an unrelated intermediate) changed: after the leaf the
    /// chain is a pool the path is built from, and what is not on the path
    /// is not relied on (as OpenSSL's untrusted certificates).
    UnusedCertificate,
}

/// Members the verifier reads, as paths (`*` is any array index).
const READ: &[&str] = &[
    "/mediaType",
    "/verificationMaterial",
    "/verificationMaterial/publicKey",
    "/verificationMaterial/publicKey/hint",
    "/verificationMaterial/publicKey/rawBytes",
    "/verificationMaterial/x509CertificateChain",
    "/verificationMaterial/x509CertificateChain/certificates",
    "/verificationMaterial/x509CertificateChain/certificates/*",
    "/verificationMaterial/x509CertificateChain/certificates/*/rawBytes",
    "/verificationMaterial/certificate",
    "/verificationMaterial/certificate/rawBytes",
    "/verificationMaterial/tlogEntries",
    "/verificationMaterial/timestampVerificationData",
    "/dsseEnvelope",
    "/dsseEnvelope/payload",
    "/dsseEnvelope/payloadType",
    "/dsseEnvelope/signatures",
    "/dsseEnvelope/signatures/*",
    "/dsseEnvelope/signatures/*/sig",
    "/dsseEnvelope/signatures/*/keyid",
    "/messageSignature",
];

/// A JSON path with array indices written `*`.
fn pattern(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Which allowed class a difference at `path` falls in, if any; `unused`
/// are the indices of the bundle certificates no path uses.
fn allowed_at(path: &str, mutant: Option<&Value>, unused: &[usize]) -> Option<Allowed> {
    let p = pattern(path);
    if let Some(rest) =
        path.strip_prefix("/verificationMaterial/x509CertificateChain/certificates/")
        && let Some(i) = rest.split('/').next().and_then(|i| i.parse::<usize>().ok())
        && unused.contains(&i)
    {
        return Some(Allowed::UnusedCertificate);
    }
    match p.as_str() {
        "/mediaType" => return Some(Allowed::MediaType),
        "/dsseEnvelope/signatures/*/keyid" => return Some(Allowed::Keyid),
        "/verificationMaterial/tlogEntries" => return Some(Allowed::TlogEntries),
        "/verificationMaterial/publicKey/hint" => {
            let emptied = match mutant {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.is_empty(),
                _ => false,
            };
            return emptied.then_some(Allowed::HintRemoved);
        }
        "/verificationMaterial/publicKey/rawBytes" => {
            return mutant.is_none().then_some(Allowed::RawBytesRemoved);
        }
        _ => {}
    }
    if p.starts_with("/verificationMaterial/tlogEntries/") {
        return Some(Allowed::TlogEntries);
    }
    // Any other member the verifier reads must be unchanged; one it does
    // not read (at any depth) is free.
    (!READ.contains(&p.as_str())).then_some(Allowed::UnknownMember)
}

/// Differences between two JSON values: (path, the mutant's value there).
fn diff<'b>(a: &Value, b: &'b Value, path: &str, out: &mut Vec<(String, Option<&'b Value>)>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let p = format!("{path}/{k}");
                match y.get(k) {
                    Some(vb) => diff(va, vb, &p, out),
                    None => out.push((p, None)),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push((format!("{path}/{k}"), Some(vb)));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(va, vb, &format!("{path}/{i}"), out);
            }
        }
        _ if a == b => {}
        _ => out.push((path.to_owned(), Some(b))),
    }
}

/// What the signature covers, as the mutant says it.
#[derive(Debug, PartialEq, Eq)]
struct Signed {
    payload: Vec<u8>,
    payload_type: String,
    sig: Vec<u8>,
    certificates: Vec<Vec<u8>>,
    raw_key: Option<Vec<u8>>,
}

/// Base64, strictly; else with the unused bits of the last digit cleared,
/// or unpadded: a mutant with such text that verified is compared by the
/// bytes it spells.
fn b64_any(s: &str) -> Option<Vec<u8>> {
    Base64::decode_vec(s)
        .ok()
        .or_else(|| Base64::decode_vec(&clear_unused_bits(s)?).ok())
        .or_else(|| Base64Unpadded::decode_vec(s.trim_end_matches('=')).ok())
}

/// `s` with the bits that padding discards cleared in its last digit.
fn clear_unused_bits(s: &str) -> Option<String> {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data = s.trim_end_matches('=');
    let unused = match s.len() - data.len() {
        1 => 2,
        2 => 4,
        _ => return None,
    };
    let last = DIGITS
        .iter()
        .position(|&c| Some(c) == data.bytes().last())?;
    let cleared = DIGITS[last & !((1 << unused) - 1)] as char;
    Some(format!(
        "{}{cleared}{}",
        &data[..data.len() - 1],
        &s[data.len()..]
    ))
}

fn signed(v: &Value) -> Option<Signed> {
    let env = &v["dsseEnvelope"];
    let vm = &v["verificationMaterial"];
    let certificates = match vm["x509CertificateChain"]["certificates"].as_array() {
        Some(list) => list
            .iter()
            .map(|c| b64_any(c["rawBytes"].as_str()?))
            .collect::<Option<Vec<_>>>()?,
        None => Vec::new(),
    };
    Some(Signed {
        payload: b64_any(env["payload"].as_str()?)?,
        payload_type: env["payloadType"].as_str()?.to_owned(),
        sig: b64_any(env["signatures"][0]["sig"].as_str()?)?,
        certificates,
        raw_key: vm["publicKey"]["rawBytes"].as_str().and_then(b64_any),
    })
}

/// A member's byte span: from its key's opening quote to its value's end.
#[derive(Debug, Clone)]
struct Member {
    start: usize,
    end: usize,
}

/// Byte spans of a (valid) JSON document: objects and strings.
#[derive(Debug, Default)]
struct Spans {
    /// Each object: path, and its members in order.
    objects: Vec<(String, Vec<Member>)>,
    /// Each string token (keys included): path of the value it is or names,
    /// and its span including the quotes.
    strings: Vec<(String, usize, usize)>,
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    spans: Spans,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    fn string(&mut self, path: &str) -> String {
        let start = self.i;
        self.i += 1;
        while self.b[self.i] != b'"' {
            self.i += if self.b[self.i] == b'\\' { 2 } else { 1 };
        }
        self.i += 1;
        self.spans.strings.push((path.to_owned(), start, self.i));
        let text: String = serde_json::from_slice(&self.b[start..self.i]).expect("string");
        text
    }

    fn value(&mut self, path: &str) {
        self.ws();
        match self.b[self.i] {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                loop {
                    self.ws();
                    if self.b[self.i] == b'}' {
                        self.i += 1;
                        break;
                    }
                    if self.b[self.i] == b',' {
                        self.i += 1;
                        self.ws();
                    }
                    let start = self.i;
                    let key = self.string(&format!("{path}/<key>"));
                    self.ws();
                    self.i += 1; // ':'
                    self.value(&format!("{path}/{key}"));
                    members.push(Member { start, end: self.i });
                }
                self.spans.objects.push((path.to_owned(), members));
            }
            b'[' => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    match self.b[self.i] {
                        b']' => {
                            self.i += 1;
                            break;
                        }
                        b',' => self.i += 1,
                        _ => {
                            self.value(&format!("{path}/{n}"));
                            n += 1;
                        }
                    }
                }
            }
            b'"' => {
                self.string(path);
            }
            _ => {
                while !matches!(
                    self.b.get(self.i),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.i += 1;
                }
            }
        }
    }
}

fn spans(b: &[u8]) -> Spans {
    let mut s = Scanner {
        b,
        i: 0,
        spans: Spans::default(),
    };
    s.value("");
    s.spans
}

/// Bundle media types the verifier reads (in either spelling).
const MEDIA_TYPES_KNOWN: &[&str] = &[
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
];

/// Media types it refuses.
const MEDIA_TYPES_UNKNOWN: &[&str] = &[
    "application/vnd.dev.sigstore.bundle.v0.4+json",
    "application/vnd.dev.sigstore.bundle.v0.2+json",
    "application/vnd.dev.sigstore.bundle+json;version=0.4",
    "APPLICATION/VND.DEV.SIGSTORE.BUNDLE.V0.3+JSON",
    "application/vnd.dev.sigstore.bundle.v0.3+json ",
    "",
];

/// How a mutant was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Flip,
    Truncate,
    Delete,
    Duplicate,
    Reorder,
    Base64,
    Escape,
    Add,
    MediaType,
}

struct Mutant {
    op: Op,
    what: String,
    bytes: Vec<u8>,
}

fn splice(b: &[u8], start: usize, end: usize, with: &[u8]) -> Vec<u8> {
    [&b[..start], with, &b[end..]].concat()
}

fn is_base64_path(path: &str) -> bool {
    let p = pattern(path);
    p == "/dsseEnvelope/payload"
        || p == "/dsseEnvelope/signatures/*/sig"
        || p.ends_with("/rawBytes")
}

fn mutants(b: &[u8], cost: usize) -> Vec<Mutant> {
    let s = spans(b);
    let mut out = Vec::new();
    let mut push = |op, what: String, bytes| out.push(Mutant { op, what, bytes });

    // Flips.
    let span_of = |want: &str| {
        s.strings
            .iter()
            .find(|(p, ..)| pattern(p) == want)
            .map_or(0..0, |(_, a, z)| *a..*z)
    };
    let sig = span_of("/dsseEnvelope/signatures/*/sig");
    let payload = span_of("/dsseEnvelope/payload");
    for i in 0..b.len() {
        let pick = if sig.contains(&i) {
            (i - sig.start) % cost == 0
        } else if payload.contains(&i) {
            (i - payload.start) % (PAYLOAD_STRIDE * cost) == 0
        } else {
            i % (OTHER_STRIDE * cost) == 0
        };
        if pick {
            let mut m = b.to_vec();
            m[i] ^= 1 << (i % 7);
            push(Op::Flip, format!("flip byte {i}"), m);
        }
    }

    // Truncations.
    let steps = TRUNCATIONS / cost;
    let mut lens: Vec<usize> = (1..steps).map(|k| b.len() * k / steps).collect();
    lens.extend([0, 1, 2, b.len() - 2, b.len() - 1]);
    lens.sort_unstable();
    lens.dedup();
    for n in lens {
        push(Op::Truncate, format!("truncate to {n}"), b[..n].to_vec());
    }

    // Deletions, duplications, reorderings.
    for (path, members) in &s.objects {
        for (k, m) in members.iter().enumerate() {
            let name = format!("{path}/#{k}");
            // Delete with one adjacent comma.
            let deleted = if members.len() == 1 {
                splice(b, m.start, m.end, b"")
            } else if let Some(next) = members.get(k + 1) {
                splice(b, m.start, next.start, b"")
            } else {
                splice(b, members[k - 1].end, m.end, b"")
            };
            push(Op::Delete, format!("delete {name}"), deleted);
            let mut dup = b",".to_vec();
            dup.extend_from_slice(&b[m.start..m.end]);
            push(
                Op::Duplicate,
                format!("duplicate {name}"),
                splice(b, m.end, m.end, &dup),
            );
        }
        if members.len() >= 2 {
            let (first, last) = (members[0].start, members[members.len() - 1].end);
            let texts: Vec<&[u8]> = members.iter().map(|m| &b[m.start..m.end]).collect();
            let mut reversed = texts.clone();
            reversed.reverse();
            push(
                Op::Reorder,
                format!("reverse {path}"),
                splice(b, first, last, &reversed.join(&b","[..])),
            );
            if members.len() >= 3 {
                let mut rotated = texts.clone();
                rotated.rotate_left(1);
                push(
                    Op::Reorder,
                    format!("rotate {path}"),
                    splice(b, first, last, &rotated.join(&b","[..])),
                );
            }
        }
    }

    // Re-encodings.
    for (path, start, end) in &s.strings {
        let inner = &b[start + 1..end - 1];
        if is_base64_path(path) {
            let text = std::str::from_utf8(inner).expect("base64 is ASCII");
            let unpadded = text.trim_end_matches('=');
            let variants = [
                ("without padding", unpadded.to_owned()),
                ("with one more '='", format!("{text}=")),
                ("with '====' appended", format!("{text}====")),
            ];
            for (how, v) in variants {
                if v != text {
                    push(
                        Op::Base64,
                        format!("{path} {how}"),
                        splice(b, start + 1, end - 1, v.as_bytes()),
                    );
                }
            }
            if text.contains('/') {
                push(
                    Op::Escape,
                    format!("{path} with \\/"),
                    splice(b, start + 1, end - 1, text.replace('/', "\\/").as_bytes()),
                );
            }
        }
        // Every ASCII letter as \u00XX (escapes already there stay).
        let mut escaped = Vec::new();
        let mut i = 0;
        while i < inner.len() {
            let c = inner[i];
            if c == b'\\' {
                let n = if inner[i + 1] == b'u' { 6 } else { 2 };
                escaped.extend_from_slice(&inner[i..i + n]);
                i += n;
                continue;
            }
            if c.is_ascii_alphabetic() {
                escaped.extend_from_slice(format!("\\u{c:04X}").as_bytes());
            } else {
                escaped.push(c);
            }
            i += 1;
        }
        if escaped != inner {
            push(
                Op::Escape,
                format!("{path} letters as \\u00XX"),
                splice(b, start + 1, end - 1, &escaped),
            );
        }
    }
    // An unknown member in every non-empty object.
    for (path, members) in &s.objects {
        if let Some(first) = members.first() {
            push(
                Op::Add,
                format!("unknown member in {path}"),
                splice(
                    b,
                    first.start,
                    first.start,
                    br#""zz-unknown":{"a":[1,null,"\u0041"]},"#,
                ),
            );
        }
    }
    // Every mediaType spelling the verifier knows, and some it does not.
    if let Some((_, start, end)) = s.strings.iter().find(|(p, ..)| p == "/mediaType") {
        for v in MEDIA_TYPES_KNOWN.iter().chain(MEDIA_TYPES_UNKNOWN) {
            push(
                Op::MediaType,
                format!("mediaType {v}"),
                splice(b, start + 1, end - 1, v.as_bytes()),
            );
        }
    }
    // Whitespace around every structural character (outside strings).
    let mut spaced = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        spaced.push(c);
        if in_string {
            if c == b'\\' {
                spaced.push(b[i + 1]);
                i += 1;
            } else if c == b'"' {
                in_string = false;
            }
        } else if c == b'"' {
            in_string = true;
        } else if matches!(c, b'{' | b'}' | b'[' | b']' | b',' | b':') {
            spaced.extend_from_slice(b" \n\t\r ");
        }
        i += 1;
    }
    push(Op::Escape, "whitespace everywhere".to_owned(), spaced);
    out
}

/// How a case's bundle is verified.
enum Method {
    Key(Box<KeyVerifier>),
    Certificate(Box<CertificateVerifier>, Time),
}

/// One bundle to mutate.
struct Subject {
    name: String,
    case: Case,
    method: Method,
    original: Vec<u8>,
    /// Indices of the bundle's certificates no path uses: the bundle still
    /// verifies without each of them.
    unused_certs: Vec<usize>,
}

/// The bundle certificates (after the leaf) whose removal still verifies.
fn unused_certs(method: &Method, original: &[u8]) -> Vec<usize> {
    let v: Value = serde_json::from_slice(original).expect("JSON");
    let n = v["verificationMaterial"]["x509CertificateChain"]["certificates"]
        .as_array()
        .map_or(0, Vec::len);
    (1..n)
        .filter(|&i| {
            let mut w = v.clone();
            w["verificationMaterial"]["x509CertificateChain"]["certificates"]
                .as_array_mut()
                .expect("certificates")
                .remove(i);
            verify_bundle(method, &serde_json::to_vec(&w).expect("JSON")).is_ok()
        })
        .collect()
}

/// `certs` without the unused ones (compared as what the path relies on).
fn used<'c>(certs: &'c [Vec<u8>], unused: &[usize]) -> Vec<&'c Vec<u8>> {
    certs
        .iter()
        .enumerate()
        .filter(|(i, _)| !unused.contains(i))
        .map(|(_, c)| c)
        .collect()
}

/// Relative cost of verifying with `key`: P-384 and P-521 arithmetic is
/// 3 to 4 times slower than P-256's (RSA, not a [`PublicKey`], is cheap).
fn key_cost(key: Option<PublicKey>) -> usize {
    match key.as_ref().map(PublicKey::curve_name) {
        Some("P-384") => 3,
        Some("P-521") => 4,
        _ => 1,
    }
}

/// The sampling divisor for a subject: the cost of its most expensive key
/// (the pinned key, or any certificate in its bundle or trust store).
fn cost(subject: &Subject) -> usize {
    match &subject.method {
        Method::Key(v) => key_cost(Some(*v.key())),
        Method::Certificate(..) => {
            let bundle: Value = serde_json::from_slice(&subject.original).expect("JSON");
            let mut ders: Vec<Vec<u8>> =
                bundle["verificationMaterial"]["x509CertificateChain"]["certificates"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| b64_any(c["rawBytes"].as_str()?))
                    .collect();
            for path in &subject.case.chain {
                let pem = std::fs::read(path).expect("chain");
                let text = String::from_utf8_lossy(&pem);
                // Any layout (the vectors hold hand-wrapped roots too).
                for block in text.split("-----BEGIN CERTIFICATE-----").skip(1) {
                    let body = block.split("-----END").next().unwrap_or("");
                    let b64: String = body.split_whitespace().collect();
                    ders.push(Base64::decode_vec(&b64).expect("PEM base64"));
                }
            }
            ders.iter()
                .map(|d| key_cost(Cert::from_der(d).and_then(|c| c.public_key().ok())))
                .max()
                .unwrap_or(1)
        }
    }
}

fn subjects() -> Vec<Subject> {
    let mut cases: Vec<(String, Case)> = vector_cases()
        .into_iter()
        .map(|n| {
            let c = Case::load(&n);
            (n, c)
        })
        .filter(|(_, c)| c.expect == "verified")
        .collect();
    let sample = testdata().join("sample");
    cases.push((
        "sample".to_owned(),
        Case {
            dir: sample.clone(),
            method: "key".to_owned(),
            key: sample.join("key.pub"),
            chain: Vec::new(),
            at: None,
            model: sample.join("model"),
            signature: sample.join("model.sig"),
            args: Vec::new(),
            expect: "verified".to_owned(),
        },
    ));
    cases
        .into_iter()
        .map(|(name, case)| {
            let method = match case.method.as_str() {
                "key" => Method::Key(Box::new(KeyVerifier::new(
                    PublicKey::from_pem_or_der(&std::fs::read(&case.key).expect("key"))
                        .expect("key"),
                ))),
                "certificate" => {
                    let mut store = TrustStore::new();
                    for c in &case.chain {
                        store
                            .add_pem(&std::fs::read(c).expect("chain"))
                            .expect("chain");
                    }
                    let time = match &case.at {
                        Some(at) => humantime::parse_rfc3339_weak(at).expect("at"),
                        None => std::time::SystemTime::now(),
                    };
                    let secs = time
                        .duration_since(std::time::UNIX_EPOCH)
                        .expect("time")
                        .as_secs();
                    Method::Certificate(
                        Box::new(CertificateVerifier::new(store)),
                        Time::at_secs(secs),
                    )
                }
                other => panic!("{name}: method {other}"),
            };
            let original = std::fs::read(&case.signature).expect("bundle");
            let unused_certs = unused_certs(&method, &original);
            Subject {
                name,
                case,
                method,
                original,
                unused_certs,
            }
        })
        .collect()
}

fn verify_bundle(method: &Method, bundle: &[u8]) -> Result<usize, Error> {
    let mut buf = vec![0u8; bundle.len()];
    match method {
        Method::Key(v) => {
            let verdict = v
                .verify(bundle, Time::NoClock, &mut buf)
                .map(|v| v.manifest().len());
            // Decoding the payload over the bundle's own bytes changes
            // nothing of the verdict.
            let mut copy = bundle.to_vec();
            let in_place = v.verify_in_place(&mut copy).map(|v| v.manifest().len());
            assert_eq!(in_place, verdict, "verify_in_place disagrees with verify");
            verdict
        }
        Method::Certificate(v, t) => v.verify(bundle, *t, &mut buf).map(|v| v.manifest().len()),
    }
}

/// Verifies bundle and model through the CLI's path, with the mutant
/// (written to `sig`) in place of the case's signature. A signature inside
/// the model is then an unsigned file: it is ignored explicitly.
fn verify_model(subject: &Subject, sig: &Path, bundle: &[u8]) -> Run {
    let case = &subject.case;
    std::fs::write(sig, bundle).expect("write mutant");
    let mut common = case.verify_args();
    common.signature = sig.to_path_buf();
    if case.signature.starts_with(&case.model) {
        common.model.ignore_paths.push(case.signature.clone());
    }
    case.run(common)
}

#[derive(Debug, Default, Clone)]
struct Counts {
    tried: usize,
    rejected: usize,
    accepted: BTreeMap<Allowed, usize>,
}

#[derive(Debug, Default)]
struct Tally {
    by_op: BTreeMap<Op, Counts>,
    failures: Vec<String>,
}

fn sweep(subject: &Subject) -> Tally {
    let mut tally = Tally::default();
    let original: Value = serde_json::from_slice(&subject.original).expect("original is JSON");
    let want = signed(&original).expect("original's signed parts");
    assert!(
        verify_bundle(&subject.method, &subject.original).is_ok(),
        "{}: the original must verify",
        subject.name
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let sig = tmp.path().join("mutant.sig");
    for m in mutants(&subject.original, cost(subject)) {
        let counts = tally.by_op.entry(m.op).or_default();
        counts.tried += 1;
        let id = format!("{}: {} ({:?})", subject.name, m.what, m.op);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            verify_bundle(&subject.method, &m.bytes)
        }));
        let fail = |tally: &mut Tally, why: String| tally.failures.push(format!("{id}: {why}"));
        let same_json = serde_json::from_slice::<Value>(&m.bytes)
            .ok()
            .filter(|v| *v == original)
            .is_some();
        // Mutations that keep the JSON value, add unknown members or pick a
        // known media type must not be refused: the verifier reads JSON
        // values and ignores what it does not know.
        let must_verify = match m.op {
            Op::Reorder | Op::Escape => same_json,
            Op::Add => true,
            Op::MediaType => MEDIA_TYPES_KNOWN.iter().any(|t| m.what.ends_with(t)),
            _ => false,
        };
        match outcome {
            Err(_) => fail(&mut tally, "panicked".to_owned()),
            Ok(Err(e)) => {
                if must_verify {
                    fail(&mut tally, format!("same JSON value, but refused: {e}"));
                }
                tally.by_op.entry(m.op).or_default().rejected += 1;
            }
            Ok(Ok(_)) => {
                let Ok(value) = serde_json::from_slice::<Value>(&m.bytes) else {
                    fail(&mut tally, "verified, but serde_json rejects it".to_owned());
                    continue;
                };
                let changed: Vec<&str> = match signed(&value) {
                    None => vec!["(unreadable)"],
                    Some(s) => [
                        ("payload", s.payload != want.payload),
                        ("payloadType", s.payload_type != want.payload_type),
                        ("sig", s.sig != want.sig),
                        (
                            "certificates",
                            s.certificates.len() != want.certificates.len()
                                || used(&s.certificates, &subject.unused_certs)
                                    != used(&want.certificates, &subject.unused_certs),
                        ),
                        (
                            "publicKey.rawBytes",
                            s.raw_key.is_some() && s.raw_key != want.raw_key,
                        ),
                    ]
                    .into_iter()
                    .filter_map(|(name, differs)| differs.then_some(name))
                    .collect(),
                };
                if !changed.is_empty() {
                    fail(
                        &mut tally,
                        format!("verified with changed signed parts: {changed:?}"),
                    );
                    continue;
                }
                let class = if same_json {
                    Some(if m.op == Op::Duplicate {
                        Allowed::DuplicateUnread
                    } else {
                        Allowed::SameJson
                    })
                } else {
                    let mut d = Vec::new();
                    diff(&original, &value, "", &mut d);
                    let classes: Vec<Option<Allowed>> = d
                        .iter()
                        .map(|(p, v)| {
                            let same_bytes = is_base64_path(p)
                                && v.and_then(Value::as_str).and_then(b64_any)
                                    == original
                                        .pointer(p)
                                        .and_then(Value::as_str)
                                        .and_then(b64_any);
                            if same_bytes {
                                Some(Allowed::Base64UnusedBits)
                            } else {
                                allowed_at(p, *v, &subject.unused_certs)
                            }
                        })
                        .collect();
                    if classes.iter().any(Option::is_none) || classes.is_empty() {
                        fail(&mut tally, format!("verified, differing at {d:?}"));
                        continue;
                    }
                    classes.into_iter().flatten().min()
                };
                let Some(class) = class else { continue };
                match verify_model(subject, &sig, &m.bytes).outcome() {
                    Some(Outcome::Verified(_)) => {}
                    other => fail(&mut tally, format!("bundle verified, model: {other:?}")),
                }
                *tally
                    .by_op
                    .entry(m.op)
                    .or_default()
                    .accepted
                    .entry(class)
                    .or_default() += 1;
            }
        }
    }
    tally
}

#[test]
fn mutants_never_panic_and_only_unsigned_changes_verify() {
    let subjects = subjects();
    assert!(subjects.len() >= 25, "{} bundles", subjects.len());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let tallies: Vec<(String, Tally)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let subjects = &subjects;
                scope.spawn(move || {
                    subjects
                        .iter()
                        .skip(w)
                        .step_by(workers)
                        .map(|s| (s.name.clone(), sweep(s)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });

    let mut total: BTreeMap<Op, Counts> = BTreeMap::new();
    let mut failures = Vec::new();
    for (_, t) in &tallies {
        for (op, c) in &t.by_op {
            let e = total.entry(*op).or_default();
            e.tried += c.tried;
            e.rejected += c.rejected;
            for (class, n) in &c.accepted {
                *e.accepted.entry(*class).or_default() += n;
            }
        }
        failures.extend(t.failures.iter().cloned());
    }
    println!("mutation sweep over {} bundles:", tallies.len());
    println!(
        "{:<10} {:>7} {:>9} {:>9}  accepted because",
        "op", "tried", "rejected", "accepted"
    );
    let (mut tried, mut rejected, mut accepted) = (0, 0, 0);
    for (op, c) in &total {
        let acc: usize = c.accepted.values().sum();
        println!(
            "{:<10} {:>7} {:>9} {:>9}  {:?}",
            format!("{op:?}"),
            c.tried,
            c.rejected,
            acc,
            c.accepted
        );
        tried += c.tried;
        rejected += c.rejected;
        accepted += acc;
    }
    println!("{:<10} {tried:>7} {rejected:>9} {accepted:>9}", "total");
    assert!(tried >= 5000, "only {tried} mutants");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
