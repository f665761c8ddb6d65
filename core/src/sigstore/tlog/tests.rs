//! Tests of `tlog`.

use super::*;
use crate::json::{self, Field};
use crate::keys::{EcKey, PublicKey, SigHash};
use crate::limits::MAX_SPKI_BYTES;
use crate::sigstore::logkey::{KeyDetails, LogKey};
use crate::sigstore::merkle::testing::{mth, path};
use crate::sigstore::trust_root::TimeRange;
use crate::time::UnixInstant;
use ecdsa::signature::Signer as _;
use p256::ecdsa::{DerSignature, SigningKey};
use sha2::{Digest as _, Sha256};
use std::format;
use std::string::String;
use std::vec;

const NOW: u64 = 1_700_000_000;
const T: u64 = 1_690_000_000;
/// Stand-ins for a certificate's and a key's DER: the body binding
/// compares bytes, it does not parse them.
const CERT: &[u8] = b"\x30\x03\x02\x01\x01";
const KEY: &[u8] = b"\x30\x03\x02\x01\x02";
const OTHER: &[u8] = b"\x30\x03\x02\x01\x03";
const SIG: &[u8] = b"the artifact signature";
const SIG2: &[u8] = b"a second signature";
const PAYLOAD: &[u8] = br#"{"_type":"https://in-toto.io/Statement/v1"}"#;
const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

fn b64(b: &[u8]) -> String {
    let mut out = vec![0u8; Base64::encoded_len(b)];
    Base64::encode(b, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

fn pem_b64(label: &str, der: &[u8]) -> String {
    b64(
        pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
            .unwrap()
            .as_bytes(),
    )
}

fn digest() -> [u8; 32] {
    Sha256::digest(b"artifact").into()
}

fn message() -> Content<'static> {
    Content::MessageSignature {
        digests: sha256_only(&digest()),
        signature: SIG,
    }
}

fn sha256_only(d: &[u8; 32]) -> Digests {
    let mut out = Digests::default();
    assert!(out.set(SigHash::Sha256, d));
    out
}

fn dsse(signatures: &'static [&'static [u8]]) -> Content<'static> {
    Content::Dsse {
        payload_type: PAYLOAD_TYPE,
        payload: PAYLOAD,
        signatures,
    }
}

/// The DSSE v1 PAE of the test envelope, spelled out.
fn pae() -> Vec<u8> {
    let mut pae = format!(
        "DSSEv1 {} {PAYLOAD_TYPE} {} ",
        PAYLOAD_TYPE.len(),
        PAYLOAD.len()
    )
    .into_bytes();
    pae.extend_from_slice(PAYLOAD);
    pae
}

fn pae_sha256() -> Vec<u8> {
    Sha256::digest(pae()).to_vec()
}

fn cx<'c>(
    content: &'c Content<'c>,
    signer: &'c Signer<'c>,
    trust: &'c TrustedRoot,
    version: BundleVersion,
) -> Context<'c> {
    Context {
        content,
        signer,
        signer_key: None,
        trust,
        version,
        now: Some(NOW),
    }
}

struct Log {
    sk: SigningKey,
    root: TrustedRoot,
    id: Vec<u8>,
}

fn log() -> Log {
    let sk = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let mut buf = [0u8; MAX_SPKI_BYTES];
    let der = PublicKey(EcKey::P256(*sk.verifying_key()))
        .to_spki_der(&mut buf)
        .unwrap()
        .to_vec();
    let id = Sha256::digest(&der).to_vec();
    let root = TrustedRoot {
        tlogs: vec![TransparencyLog {
            base_url: "https://log.example".into(),
            key: LogKey {
                details: KeyDetails::EcdsaP256Sha256,
                der,
            },
            valid_for: TimeRange::seconds(Some(1_600_000_000), None),
            log_id: id.clone(),
        }],
        ..TrustedRoot::default()
    };
    Log { sk, root, id }
}

#[derive(Clone, Copy, PartialEq)]
enum Set {
    No,
    Good,
    Bad,
}

#[derive(Clone)]
struct Proof {
    index: String,
    size: u64,
    corrupt: bool,
    checkpoint: bool,
    extra_hashes: usize,
}

/// A log entry to render as protobuf JSON.
#[derive(Clone)]
struct E {
    kind: &'static str,
    version: &'static str,
    body: Vec<u8>,
    log_index: String,
    key_id: Option<Vec<u8>>,
    time: Option<String>,
    set: Set,
    proof: Option<Proof>,
}

impl E {
    /// A Rekor v1 entry at index 42 with a SET and an inclusion proof.
    fn v1(kind: &'static str, version: &'static str, body: String) -> Self {
        E {
            kind,
            version,
            body: body.into_bytes(),
            log_index: "\"42\"".into(),
            key_id: None,
            time: Some(format!("\"{T}\"")),
            set: Set::Good,
            proof: Some(Proof {
                index: "\"42\"".into(),
                size: 50,
                corrupt: false,
                checkpoint: true,
                extra_hashes: 0,
            }),
        }
    }

    /// A Rekor v2 entry: no time, no SET.
    fn v2(kind: &'static str, body: String) -> Self {
        E {
            time: None,
            set: Set::No,
            ..E::v1(kind, "0.0.2", body)
        }
    }

    fn render(&self, log: &Log) -> String {
        let key_id = self.key_id.clone().unwrap_or_else(|| log.id.clone());
        let mut parts = vec![
            format!("\"logIndex\":{}", self.log_index),
            format!("\"logId\":{{\"keyId\":\"{}\"}}", b64(&key_id)),
            format!(
                "\"kindVersion\":{{\"kind\":\"{}\",\"version\":\"{}\"}}",
                self.kind, self.version
            ),
        ];
        if let Some(t) = &self.time {
            parts.push(format!("\"integratedTime\":{t}"));
        }
        if self.set != Set::No {
            let num = |s: &str| s.trim_matches('"').parse::<u64>().unwrap();
            let t = num(self.time.as_deref().unwrap_or("0"));
            let mut payload = set_payload(&self.body, t, &key_id, num(&self.log_index));
            if self.set == Set::Bad {
                payload.push(b' ');
            }
            let sig: DerSignature = log.sk.sign(&payload);
            parts.push(format!(
                "\"inclusionPromise\":{{\"signedEntryTimestamp\":\"{}\"}}",
                b64(sig.as_bytes())
            ));
        }
        if let Some(p) = &self.proof {
            let index = p.index.trim_matches('"').parse::<u64>().unwrap_or(0);
            let leaves: Vec<Hash> = (0..p.size)
                .map(|i| {
                    if i == index {
                        merkle::leaf_hash(&self.body)
                    } else {
                        merkle::leaf_hash(&i.to_be_bytes())
                    }
                })
                .collect();
            let root = mth(&leaves);
            let mut hashes = path(index as usize, &leaves);
            if p.corrupt {
                hashes[0][0] ^= 1;
            }
            hashes.extend(std::iter::repeat_n(root, p.extra_hashes));
            let hashes: Vec<String> = hashes.iter().map(|h| format!("\"{}\"", b64(h))).collect();
            let checkpoint = if p.checkpoint {
                format!(
                    ",\"checkpoint\":{{\"envelope\":\"log.example\\n{}\\n{}\\n\\n\\u2014 log.example AAAA\\n\"}}",
                    p.size,
                    b64(&root)
                )
            } else {
                String::new()
            };
            parts.push(format!(
                "\"inclusionProof\":{{\"logIndex\":{},\"rootHash\":\"{}\",\"treeSize\":\"{}\",\"hashes\":[{}]{checkpoint}}}",
                p.index,
                b64(&root),
                p.size,
                hashes.join(",")
            ));
        }
        parts.push(format!("\"canonicalizedBody\":\"{}\"", b64(&self.body)));
        format!("{{{}}}", parts.join(","))
    }

    fn check(
        &self,
        log: &Log,
        content: &Content<'_>,
        signer: &Signer<'_>,
        version: BundleVersion,
    ) -> Result<VerifiedEntry, TlogError> {
        let text = self.render(log);
        let v = json::parse(text.as_bytes()).unwrap();
        verify_entry(v, &cx(content, signer, &log.root, version))
    }

    fn ok(&self, content: &Content<'_>, signer: &Signer<'_>) -> VerifiedEntry {
        let log = log();
        self.check(&log, content, signer, BundleVersion::V0_3)
            .unwrap_or_else(|e| panic!("{e} ({e:?}): {}", self.render(&log)))
    }

    fn err(&self, content: &Content<'_>, signer: &Signer<'_>) -> TlogError {
        self.check(&log(), content, signer, BundleVersion::V0_3)
            .unwrap_err()
    }
}

fn hashedrekord_v001(alg: &str, digest: &[u8], sig: &[u8], verifier: &str) -> String {
    format!(
        r#"{{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{{"data":{{"hash":{{"algorithm":"{alg}","value":"{}"}}}},"signature":{{"content":"{}","publicKey":{{"content":"{verifier}"}}}}}}}}"#,
        hex(digest),
        b64(sig)
    )
}

fn v2_verifier(field: &str, der: &[u8]) -> String {
    format!(
        r#"{{"keyDetails":"PKIX_ECDSA_P256_SHA_256","{field}":{{"rawBytes":"{}"}}}}"#,
        b64(der)
    )
}

fn hashedrekord_v002(alg: &str, digest: &[u8], sig: &[u8], verifier: &str) -> String {
    format!(
        r#"{{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{{"hashedRekordV002":{{"data":{{"algorithm":"{alg}","digest":"{}"}},"signature":{{"content":"{}","verifier":{verifier}}}}}}}}}"#,
        b64(digest),
        b64(sig)
    )
}

fn dsse_v001(payload_hash: &[u8], sigs: &[(&[u8], &str)]) -> String {
    let sigs: Vec<String> = sigs
        .iter()
        .map(|(s, v)| format!(r#"{{"signature":"{}","verifier":"{v}"}}"#, b64(s)))
        .collect();
    format!(
        r#"{{"apiVersion":"0.0.1","kind":"dsse","spec":{{"envelopeHash":{{"algorithm":"sha256","value":"{}"}},"payloadHash":{{"algorithm":"sha256","value":"{}"}},"signatures":[{}]}}}}"#,
        hex(&[0; 32]),
        hex(payload_hash),
        sigs.join(",")
    )
}

fn dsse_v002(payload_hash: &[u8], sigs: &[(&[u8], &str)]) -> String {
    let sigs: Vec<String> = sigs
        .iter()
        .map(|(s, v)| format!(r#"{{"content":"{}","verifier":{v}}}"#, b64(s)))
        .collect();
    format!(
        r#"{{"apiVersion":"0.0.2","kind":"dsse","spec":{{"dsseV002":{{"payloadHash":{{"algorithm":"SHA2_256","digest":"{}"}},"signatures":[{}]}}}}}}"#,
        b64(payload_hash),
        sigs.join(",")
    )
}

fn intoto_v002(payload_hash: &[u8], sigs: &[(&str, &str)]) -> String {
    let sigs: Vec<String> = sigs
        .iter()
        .map(|(s, v)| format!(r#"{{"publicKey":"{v}","sig":"{s}"}}"#))
        .collect();
    format!(
        r#"{{"apiVersion":"0.0.2","kind":"intoto","spec":{{"content":{{"envelope":{{"payloadType":"{PAYLOAD_TYPE}","signatures":[{}]}},"hash":{{"algorithm":"sha256","value":"{}"}},"payloadHash":{{"algorithm":"sha256","value":"{}"}}}}}}}}"#,
        sigs.join(","),
        hex(&[0; 32]),
        hex(payload_hash)
    )
}

fn double_b64(sig: &[u8]) -> String {
    b64(b64(sig).as_bytes())
}

#[test]
fn set_payload_is_canonical_json() {
    assert_eq!(
        set_payload(b"{}", 1, &[0xab, 0x01, 0xff], 0),
        br#"{"body":"e30=","integratedTime":1,"logID":"ab01ff","logIndex":0}"#
    );
    let p = set_payload(b"\xfb\xff", u64::MAX, &[], 1_234_567_890);
    assert_eq!(
        std::str::from_utf8(&p).unwrap(),
        r#"{"body":"+/8=","integratedTime":18446744073709551615,"logID":"","logIndex":1234567890}"#
    );
}

#[test]
fn hashedrekord_v001_binds_digest_signature_and_signer() {
    let cert = Signer::Certificate(CERT);
    let pem = pem_b64("CERTIFICATE", CERT);
    let body = |alg: &str, d: &[u8], s: &[u8], v: &str| {
        E::v1("hashedrekord", "0.0.1", hashedrekord_v001(alg, d, s, v))
    };
    let good = body("sha256", &digest(), SIG, &pem).ok(&message(), &cert);
    assert_eq!(good.integrated_time, Some(T));
    assert_eq!(good.log_index, 42);
    assert!(!good.rekor_v2);
    assert_eq!(good.kind, EntryKind::HashedRekord001);
    // Upper-case hex is the same digest.
    let upper = hashedrekord_v001("sha256", &digest(), SIG, &pem)
        .replace(&hex(&digest()), &hex(&digest()).to_uppercase());
    E::v1("hashedrekord", "0.0.1", upper).ok(&message(), &cert);
    // A key signer, logged as a PUBLIC KEY PEM.
    let key = Signer::PublicKey(KEY);
    body("sha256", &digest(), SIG, &pem_b64("PUBLIC KEY", KEY)).ok(&message(), &key);
    // A P-384 or P-521 signer logs the digest its key signs: any one
    // the bundle knows of the artifact binds it.
    let all = Content::MessageSignature {
        digests: Digests::of(b"artifact"),
        signature: SIG,
    };
    for h in [SigHash::Sha384, SigHash::Sha512] {
        let d = h.digest(b"artifact");
        body(h.lower_name(), &d[..h.len()], SIG, &pem).ok(&all, &cert);
        assert_eq!(
            body(h.lower_name(), &d[..h.len()], SIG, &pem).err(&message(), &cert),
            TlogError::DigestMismatch
        );
    }

    let mut other = digest();
    other[0] ^= 1;
    for (e, want) in [
        (body("sha256", &other, SIG, &pem), TlogError::DigestMismatch),
        (
            body("sha256", &digest()[..31], SIG, &pem),
            TlogError::DigestMismatch,
        ),
        (
            body("sha512", &digest(), SIG, &pem),
            TlogError::DigestMismatch,
        ),
        (
            body("md5", &digest(), SIG, &pem),
            field(Field::BodyDigest, Problem::Invalid),
        ),
        (
            body("sha256", &digest(), SIG2, &pem),
            TlogError::SignatureMismatch,
        ),
        (
            body("sha256", &digest(), SIG, &pem_b64("CERTIFICATE", OTHER)),
            TlogError::SignerMismatch,
        ),
        (
            body("sha256", &digest(), SIG, &pem_b64("PUBLIC KEY", CERT)),
            TlogError::SignerMismatch,
        ),
        (
            body("sha256", &digest(), SIG, &pem_b64("PRIVATE KEY", CERT)),
            field(Field::BodyVerifier, Problem::Invalid),
        ),
        (
            body("sha256", &digest(), SIG, "bm90IGEgUEVN"),
            field(Field::BodyVerifier, Problem::Invalid),
        ),
        (
            body("sha256", &digest(), SIG, "%%%"),
            field(Field::BodyVerifier, Problem::Base64),
        ),
    ] {
        assert_eq!(e.err(&message(), &cert), want, "{}", e.render(&log()));
    }
    // A key bundle whose entry logs a certificate, and the reverse.
    assert_eq!(
        body("sha256", &digest(), SIG, &pem).err(&message(), &Signer::PublicKey(CERT)),
        TlogError::SignerMismatch
    );
    // A DSSE bundle cannot be described by hashedrekord 0.0.1.
    assert_eq!(
        body("sha256", &digest(), SIG, &pem).err(&dsse(&[SIG]), &cert),
        TlogError::ContentMismatch
    );
}

#[test]
fn body_kind_and_encoding() {
    let cert = Signer::Certificate(CERT);
    let pem = pem_b64("CERTIFICATE", CERT);
    let body = hashedrekord_v001("sha256", &digest(), SIG, &pem);
    // kindVersion naming another kind than the body.
    let mut e = E::v1("dsse", "0.0.1", body.clone());
    assert_eq!(e.err(&message(), &cert), TlogError::KindMismatch);
    e = E::v1(
        "hashedrekord",
        "0.0.1",
        body.replace("\"0.0.1\"", "\"0.0.2\""),
    );
    assert_eq!(e.err(&message(), &cert), TlogError::KindMismatch);
    // Kinds this verifier does not read.
    for (k, v) in [
        ("hashedrekord", "0.0.3"),
        ("rekord", "0.0.1"),
        ("intoto", "0.0.1"),
    ] {
        e = E::v1(k, v, body.clone());
        assert_eq!(e.err(&message(), &cert), TlogError::UnknownKind, "{k} {v}");
    }
    // A body that is not JSON, and one that is not base64.
    e = E::v1("hashedrekord", "0.0.1", "{\"kind\":".into());
    assert!(matches!(e.err(&message(), &cert), TlogError::BodyJson(_)));
    let text = E::v1("hashedrekord", "0.0.1", body.clone())
        .render(&log())
        .replace("\"canonicalizedBody\":\"", "\"canonicalizedBody\":\"*");
    let v = json::parse(text.as_bytes()).unwrap();
    assert_eq!(
        verify_entry(v, &cx(&message(), &cert, &log().root, BundleVersion::V0_3)),
        Err(field(Field::CanonicalizedBody, Problem::Base64))
    );
    // A duplicated body member.
    e = E::v1(
        "hashedrekord",
        "0.0.1",
        body.replacen(
            "{\"apiVersion\":\"0.0.1\",",
            "{\"apiVersion\":\"0.0.1\",\"apiVersion\":\"0.0.1\",",
            1,
        ),
    );
    assert_eq!(
        e.err(&message(), &cert),
        field(Field::BodyApiVersion, Problem::Duplicate)
    );
}

#[test]
fn hashedrekord_v002_names_the_signer_key_algorithm() {
    let l = log();
    let (m, c) = (message(), Signer::Certificate(CERT));
    let p256 = SigstoreKey::from(PublicKey(EcKey::P256(
        *SigningKey::from_slice(&[7; 32]).unwrap().verifying_key(),
    )));
    let p384 = SigstoreKey::from(PublicKey(EcKey::P384(
        *p384::ecdsa::SigningKey::from_slice(&[7; 48])
            .unwrap()
            .verifying_key(),
    )));
    let with = |e: &E, key: Option<&SigstoreKey>| {
        let text = e.render(&l);
        let v = json::parse(text.as_bytes()).unwrap();
        let mut cx = cx(&m, &c, &l.root, BundleVersion::V0_3);
        cx.signer_key = key;
        verify_entry(v, &cx).map(|_| ())
    };
    let mismatch = Err(TlogError::KeyDetailsMismatch);
    assert_eq!(with(&hr002(), Some(&p256)), Ok(()));
    assert_eq!(with(&hr002(), Some(&p384)), mismatch);
    let bare = format!(r#"{{"x509Certificate":{{"rawBytes":"{}"}}}}"#, b64(CERT));
    let no_details = E::v2(
        "hashedrekord",
        hashedrekord_v002("SHA2_256", &digest(), SIG, &bare),
    );
    assert_eq!(with(&no_details, Some(&p256)), mismatch);
    // Without a readable key there is nothing to compare (nothing
    // verifies then either).
    assert_eq!(with(&no_details, None), Ok(()));
    // A Rekor v1 body names no algorithm.
    assert_eq!(with(&hr001(), Some(&p384)), Ok(()));
}

#[test]
fn hashedrekord_v002_binds_artifact_or_envelope() {
    let cert = Signer::Certificate(CERT);
    let x509 = v2_verifier("x509Certificate", CERT);
    let body = |alg: &str, d: &[u8], s: &[u8], v: &str| {
        E::v2("hashedrekord", hashedrekord_v002(alg, d, s, v))
    };
    let good = body("SHA2_256", &digest(), SIG, &x509).ok(&message(), &cert);
    assert!(good.rekor_v2);
    assert_eq!(good.integrated_time, None);
    assert_eq!(good.kind, EntryKind::HashedRekord002);
    let key = Signer::PublicKey(KEY);
    body("SHA2_256", &digest(), SIG, &v2_verifier("publicKey", KEY)).ok(&message(), &key);
    // The artifact's SHA-384 or SHA-512, when the bundle knows it.
    let all = Content::MessageSignature {
        digests: Digests::of(b"artifact"),
        signature: SIG,
    };
    for h in [SigHash::Sha384, SigHash::Sha512] {
        let d = h.digest(b"artifact");
        body(h.proto_name(), &d[..h.len()], SIG, &x509).ok(&all, &cert);
    }

    // Hashedrekord over DSSE: the digest is the envelope's PAE hash,
    // under the algorithm the entry names.
    body("SHA2_256", &pae_sha256(), SIG, &x509).ok(&dsse(&[SIG]), &cert);
    let pae384 = sha2::Sha384::digest(pae());
    body("SHA2_384", &pae384, SIG, &x509).ok(&dsse(&[SIG]), &cert);

    let sha256_payload = Sha256::digest(PAYLOAD);
    let both = format!(
        r#"{{"x509Certificate":{{"rawBytes":"{0}"}},"publicKey":{{"rawBytes":"{0}"}}}}"#,
        b64(CERT)
    );
    for (e, content, want) in [
        (
            body("SHA2_256", &sha256_payload, SIG, &x509),
            dsse(&[SIG]),
            TlogError::DigestMismatch,
        ),
        (
            body("SHA2_384", &pae_sha256(), SIG, &x509),
            dsse(&[SIG]),
            TlogError::DigestMismatch,
        ),
        (
            body("SHA2_256", &pae_sha256(), SIG, &x509),
            dsse(&[SIG, SIG2]),
            TlogError::SignatureMismatch,
        ),
        (
            body("SHA2_256", &pae_sha256(), SIG2, &x509),
            dsse(&[SIG]),
            TlogError::SignatureMismatch,
        ),
        (
            body("SHA2_384", &digest(), SIG, &x509),
            message(),
            TlogError::DigestMismatch,
        ),
        (
            body("SHA2_256", &pae_sha256(), SIG, &x509),
            message(),
            TlogError::DigestMismatch,
        ),
        (
            body("SHA2_256", &digest(), SIG2, &x509),
            message(),
            TlogError::SignatureMismatch,
        ),
        (
            body(
                "SHA2_256",
                &digest(),
                SIG,
                &v2_verifier("x509Certificate", OTHER),
            ),
            message(),
            TlogError::SignerMismatch,
        ),
        (
            body("SHA2_256", &digest(), SIG, &v2_verifier("publicKey", CERT)),
            message(),
            TlogError::SignerMismatch,
        ),
        (
            body("SHA2_256", &digest(), SIG, &both),
            message(),
            field(Field::BodyVerifier, Problem::Invalid),
        ),
        (
            body("SHA256", &digest(), SIG, &x509),
            message(),
            field(Field::BodyDigest, Problem::Invalid),
        ),
    ] {
        assert_eq!(e.err(&content, &cert), want, "{}", e.render(&log()));
    }
}

#[test]
fn dsse_entries_bind_payload_and_signature_set() {
    let cert = Signer::Certificate(CERT);
    let pem = pem_b64("CERTIFICATE", CERT);
    let x509 = v2_verifier("x509Certificate", CERT);
    let ph: [u8; 32] = Sha256::digest(PAYLOAD).into();
    let two = dsse(&[SIG, SIG2]);
    // v0.0.1, with the signatures in either order.
    E::v1(
        "dsse",
        "0.0.1",
        dsse_v001(&ph, &[(SIG2, &pem), (SIG, &pem)]),
    )
    .ok(&two, &cert);
    // Rekor v2 logs DSSE as hashedrekord 0.0.2: a dsse 0.0.2 entry is
    // refused even when it describes the envelope exactly.
    assert_eq!(
        E::v2("dsse", dsse_v002(&ph, &[(SIG, &x509), (SIG2, &x509)])).err(&two, &cert),
        TlogError::DsseOnRekorV2
    );

    let other_pem = pem_b64("CERTIFICATE", OTHER);
    let mut bad_ph = ph;
    bad_ph[5] ^= 1;
    for (e, want) in [
        (dsse_v001(&ph, &[(SIG, &pem)]), TlogError::SignatureMismatch),
        (
            dsse_v001(&ph, &[(SIG, &pem), (SIG, &pem)]),
            TlogError::SignatureMismatch,
        ),
        (
            dsse_v001(&ph, &[(SIG, &pem), (SIG2, &pem), (SIG2, &pem)]),
            TlogError::SignatureMismatch,
        ),
        (dsse_v001(&ph, &[]), TlogError::SignatureMismatch),
        (
            dsse_v001(&bad_ph, &[(SIG, &pem), (SIG2, &pem)]),
            TlogError::DigestMismatch,
        ),
        (
            dsse_v001(&ph, &[(SIG, &pem), (SIG2, &other_pem)]),
            TlogError::SignerMismatch,
        ),
    ] {
        assert_eq!(
            E::v1("dsse", "0.0.1", e.clone()).err(&two, &cert),
            want,
            "{e}"
        );
    }
    // A message signature cannot be described by a DSSE entry.
    assert_eq!(
        E::v1("dsse", "0.0.1", dsse_v001(&ph, &[(SIG, &pem)])).err(&message(), &cert),
        TlogError::ContentMismatch
    );
    assert_eq!(
        E::v2("dsse", dsse_v002(&ph, &[(SIG, &x509)])).err(&message(), &cert),
        TlogError::DsseOnRekorV2
    );
}

#[test]
fn intoto_v002_signatures_are_base64_twice() {
    let cert = Signer::Certificate(CERT);
    let pem = pem_b64("CERTIFICATE", CERT);
    let ph: [u8; 32] = Sha256::digest(PAYLOAD).into();
    let one = dsse(&[SIG]);
    let e = E::v1(
        "intoto",
        "0.0.2",
        intoto_v002(&ph, &[(&double_b64(SIG), &pem)]),
    );
    let ok = e.ok(&one, &cert);
    assert_eq!((ok.kind, ok.rekor_v2), (EntryKind::Intoto002, false));
    // A PEM on one long line (as some clients log it) reads the same.
    let one_line = b64(format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        b64(CERT)
    )
    .as_bytes());
    E::v1(
        "intoto",
        "0.0.2",
        intoto_v002(&ph, &[(&double_b64(SIG), &one_line)]),
    )
    .ok(&one, &cert);

    let mut bad_ph = ph;
    bad_ph[0] ^= 1;
    for (body, want) in [
        // Encoded once only: not the bundle's signature.
        (
            intoto_v002(&ph, &[(&b64(SIG), &pem)]),
            TlogError::SignatureMismatch,
        ),
        (
            intoto_v002(&ph, &[(&double_b64(SIG2), &pem)]),
            TlogError::SignatureMismatch,
        ),
        (
            intoto_v002(&bad_ph, &[(&double_b64(SIG), &pem)]),
            TlogError::DigestMismatch,
        ),
        (
            intoto_v002(&ph, &[(&double_b64(SIG), &pem_b64("CERTIFICATE", OTHER))]),
            TlogError::SignerMismatch,
        ),
    ] {
        assert_eq!(
            E::v1("intoto", "0.0.2", body.clone()).err(&one, &cert),
            want,
            "{body}"
        );
    }
}

fn hr001() -> E {
    E::v1(
        "hashedrekord",
        "0.0.1",
        hashedrekord_v001("sha256", &digest(), SIG, &pem_b64("CERTIFICATE", CERT)),
    )
}

fn hr002() -> E {
    E::v2(
        "hashedrekord",
        hashedrekord_v002(
            "SHA2_256",
            &digest(),
            SIG,
            &v2_verifier("x509Certificate", CERT),
        ),
    )
}

fn check_with(e: &E, version: BundleVersion, log: &Log) -> Result<VerifiedEntry, TlogError> {
    e.check(log, &message(), &Signer::Certificate(CERT), version)
}

fn check(e: &E) -> Result<VerifiedEntry, TlogError> {
    check_with(e, BundleVersion::V0_3, &log())
}

#[test]
fn integers_are_non_negative_decimal() {
    let with_index = |index: &str| E {
        log_index: index.into(),
        set: Set::No,
        ..hr001()
    };
    for (index, want) in [
        ("\"42\"", Ok(42)),
        ("42", Ok(42)),
        ("\"0\"", Ok(0)),
        ("\"9223372036854775807\"", Ok(i64::MAX as u64)),
        ("\"-1\"", Err(TlogError::Negative(Field::LogIndex))),
        ("-1", Err(TlogError::Negative(Field::LogIndex))),
        (
            "\"9223372036854775808\"",
            Err(field(Field::LogIndex, Problem::Invalid)),
        ),
        ("\"042\"", Err(field(Field::LogIndex, Problem::Invalid))),
        ("\"4e1\"", Err(field(Field::LogIndex, Problem::Invalid))),
        ("4.2e1", Err(field(Field::LogIndex, Problem::Invalid))),
        ("\"\"", Err(field(Field::LogIndex, Problem::Invalid))),
        ("\"\\u0034\"", Err(field(Field::LogIndex, Problem::Invalid))),
        ("true", Err(field(Field::LogIndex, Problem::WrongType))),
        ("null", Err(field(Field::LogIndex, Problem::Missing))),
    ] {
        assert_eq!(
            check(&with_index(index)).map(|v| v.log_index),
            want,
            "{index}"
        );
    }
    let mut e = hr001();
    e.time = Some("\"-5\"".into());
    e.set = Set::No;
    assert_eq!(check(&e), Err(TlogError::Negative(Field::IntegratedTime)));
    let mut e = hr001();
    e.set = Set::No;
    e.proof.as_mut().unwrap().index = "\"-1\"".into();
    assert_eq!(check(&e), Err(TlogError::Negative(Field::ProofLogIndex)));
}

#[test]
fn log_must_be_trusted() {
    let mut e = hr001();
    e.key_id = Some(vec![0xaa; 32]);
    assert_eq!(check(&e), Err(TlogError::UnknownLog));
    // A log whose validity has no start is not trusted for anything.
    let mut l = log();
    l.root.tlogs[0].valid_for.start = None;
    assert_eq!(
        check_with(&hr001(), BundleVersion::V0_3, &l),
        Err(TlogError::LogKeyNotValid)
    );
    assert_eq!(
        check_with(&hr002(), BundleVersion::V0_3, &l),
        Err(TlogError::LogKeyNotValid)
    );
    // The log is reported by its place in the trusted root.
    let mut l = log();
    let first = l.root.tlogs[0].clone();
    l.root.tlogs[0].log_id = vec![1; 32];
    l.root.tlogs.push(first);
    assert_eq!(
        check_with(&hr001(), BundleVersion::V0_3, &l).unwrap().log,
        1
    );
}

#[test]
fn inclusion_promise_is_always_verified() {
    let ok = check(&hr001()).unwrap();
    assert_eq!(ok.integrated_time, Some(T));
    let mut e = hr001();
    e.set = Set::Bad;
    assert_eq!(
        check(&e),
        Err(TlogError::SetSignature(LogKeyError::BadSignature))
    );
    // Even in a v0.3 bundle with a good inclusion proof.
    assert!(e.proof.is_some());
    // The time is signed: a SET over another time fails.
    let mut e = hr001();
    e.time = Some(format!("\"{}\"", T + 1));
    let text = e
        .render(&log())
        .replace(&format!("\"{}\"", T + 1), &format!("\"{T}\""));
    assert!(text.contains(&format!("\"integratedTime\":\"{T}\"")));
    let good = hr001().render(&log());
    assert_ne!(text, good, "the SET differs");
    let v = json::parse(text.as_bytes()).unwrap();
    let (m, c) = (message(), Signer::Certificate(CERT));
    let l = log();
    assert_eq!(
        verify_entry(v, &cx(&m, &c, &l.root, BundleVersion::V0_3)),
        Err(TlogError::SetSignature(LogKeyError::BadSignature))
    );
    // Time after `now`, time outside the log key's window, no time.
    let mut e = hr001();
    e.time = Some(format!("\"{}\"", NOW + 1));
    assert_eq!(check(&e), Err(TlogError::IntegratedTimeInFuture));
    e.time = Some(format!("\"{NOW}\""));
    assert_eq!(check(&e).unwrap().integrated_time, Some(NOW));
    let mut l = log();
    l.root.tlogs[0].valid_for.end = Some(UnixInstant::from_secs(T - 1));
    assert_eq!(
        check_with(&hr001(), BundleVersion::V0_3, &l),
        Err(TlogError::LogKeyNotValid)
    );
    l.root.tlogs[0].valid_for = TimeRange::seconds(Some(T), Some(T));
    assert!(check_with(&hr001(), BundleVersion::V0_3, &l).is_ok());
    l.root.tlogs[0].valid_for = TimeRange::seconds(Some(T + 1), None);
    assert_eq!(
        check_with(&hr001(), BundleVersion::V0_3, &l),
        Err(TlogError::LogKeyNotValid)
    );
    let text = hr001()
        .render(&log())
        .replace(&format!("\"integratedTime\":\"{T}\","), "");
    let v = json::parse(text.as_bytes()).unwrap();
    assert_eq!(
        verify_entry(v, &cx(&m, &c, &l.root, BundleVersion::V0_3)),
        Err(field(Field::IntegratedTime, Problem::Missing))
    );
    // Rekor v2 entries carry no promise.
    let mut e = hr002();
    e.time = Some(format!("\"{T}\""));
    e.set = Set::Good;
    assert_eq!(check(&e), Err(TlogError::UnexpectedPromise));
    // An unsigned time is never reported.
    let mut e = hr001();
    e.set = Set::No;
    assert_eq!(check(&e).unwrap().integrated_time, None);
}

#[test]
fn inclusion_proof_is_always_verified() {
    let v = check(&hr002()).unwrap();
    let inc = v.inclusion.unwrap();
    assert_eq!(inc.tree_size, 50);
    assert!(inc.checkpoint.starts_with("log.example\n50\n"));
    assert!(inc.checkpoint.ends_with("\n\n\u{2014} log.example AAAA\n"));
    // Every leaf position and tree shape folds to its root.
    for (index, size) in [
        (0u64, 1u64),
        (0, 2),
        (1, 2),
        (6, 7),
        (7, 8),
        (16, 17),
        (5, 17),
    ] {
        let mut e = hr001();
        e.log_index = format!("\"{index}\"");
        e.set = Set::No;
        let p = e.proof.as_mut().unwrap();
        p.index = format!("\"{index}\"");
        p.size = size;
        let got = check(&e).unwrap().inclusion.unwrap();
        assert_eq!(got.tree_size, size);
    }
    let broken = |f: &dyn Fn(&mut Proof)| {
        let mut e = hr002();
        f(e.proof.as_mut().unwrap());
        check(&e)
    };
    assert_eq!(
        broken(&|p| p.corrupt = true),
        Err(TlogError::InclusionProof(MerkleError::RootMismatch))
    );
    assert_eq!(
        broken(&|p| p.extra_hashes = 1),
        Err(TlogError::InclusionProof(MerkleError::WrongProofLength {
            expected: 6,
            found: 7
        }))
    );
    assert_eq!(
        broken(&|p| p.extra_hashes = MAX_INCLUSION_PROOF_HASHES - 6 + 1),
        Err(TlogError::InclusionProof(MerkleError::ProofTooLong))
    );
    assert_eq!(
        broken(&|p| p.checkpoint = false),
        Err(field(Field::Checkpoint, Problem::Missing))
    );
    // Rekor v2 proves the entry's own index.
    assert_eq!(
        broken(&|p| p.index = "\"41\"".into()),
        Err(TlogError::LogIndexMismatch)
    );
    // A proof for a leaf past the tree's end.
    let mut e = hr001();
    e.set = Set::No;
    e.proof.as_mut().unwrap().size = 42;
    let text = e
        .render(&log())
        .replace("\"treeSize\":\"42\"", "\"treeSize\":\"40\"");
    let v = json::parse(text.as_bytes()).unwrap();
    let (m, c, l) = (message(), Signer::Certificate(CERT), log());
    assert_eq!(
        verify_entry(v, &cx(&m, &c, &l.root, BundleVersion::V0_3)),
        Err(TlogError::InclusionProof(MerkleError::IndexOutOfRange))
    );
    // A root hash that is not 32 bytes.
    let text = hr002()
        .render(&log())
        .replace("\"rootHash\":\"", "\"rootHash\":\"AAAA");
    let v = json::parse(text.as_bytes()).unwrap();
    assert_eq!(
        verify_entry(v, &cx(&m, &c, &l.root, BundleVersion::V0_3)),
        Err(field(Field::RootHash, Problem::Invalid))
    );
}

#[test]
fn what_each_version_requires() {
    let l = log();
    let no_proof = E {
        proof: None,
        ..hr001()
    };
    let no_set = E {
        set: Set::No,
        ..hr001()
    };
    let corrupt = {
        let mut e = hr001();
        e.proof.as_mut().unwrap().corrupt = true;
        e
    };
    for (e, version, want) in [
        (&no_proof, BundleVersion::V0_1, Ok(())),
        (
            &no_proof,
            BundleVersion::V0_2,
            Err(TlogError::MissingInclusionProof),
        ),
        (
            &no_proof,
            BundleVersion::V0_3,
            Err(TlogError::MissingInclusionProof),
        ),
        (
            &no_set,
            BundleVersion::V0_1,
            Err(TlogError::MissingInclusionPromise),
        ),
        (&no_set, BundleVersion::V0_2, Ok(())),
        (&no_set, BundleVersion::V0_3, Ok(())),
        // A present proof is verified whatever the version claims.
        (
            &corrupt,
            BundleVersion::V0_1,
            Err(TlogError::InclusionProof(MerkleError::RootMismatch)),
        ),
    ] {
        assert_eq!(check_with(e, version, &l).map(|_| ()), want, "{version:?}");
    }
    let v2 = E {
        proof: None,
        ..hr002()
    };
    for version in [BundleVersion::V0_1, BundleVersion::V0_3] {
        assert_eq!(
            check_with(&v2, version, &l),
            Err(TlogError::MissingInclusionProof)
        );
        assert!(check_with(&hr002(), version, &l).is_ok());
    }
}

fn run_all(entries: &[String], l: &Log) -> Result<Vec<VerifiedEntry>, (usize, TlogError)> {
    let text = format!("[{}]", entries.join(","));
    let v = json::parse(text.as_bytes()).unwrap();
    verify_entries(
        v.array().unwrap(),
        &message(),
        &Signer::Certificate(CERT),
        None,
        &l.root,
        BundleVersion::V0_3,
        Some(NOW),
    )
}

#[test]
fn entries_are_counted_and_unique() {
    let l = log();
    assert_eq!(run_all(&[], &l), Err((0, TlogError::NoEntries)));
    let one = hr001().render(&l);
    let other = {
        let mut e = hr002();
        e.log_index = "\"7\"".into();
        e.proof.as_mut().unwrap().index = "\"7\"".into();
        e.render(&l)
    };
    let got = run_all(&[one.clone(), other.clone()], &l).unwrap();
    assert_eq!(got.iter().map(|v| v.log_index).collect::<Vec<_>>(), [42, 7]);
    // The same log and index twice: a copy, or another body under the
    // same index.
    let twice = [one.clone(), other.clone(), one.clone()];
    assert_eq!(run_all(&twice, &l), Err((2, TlogError::DuplicateEntry)));
    let same_index = {
        let mut e = hr002();
        e.log_index = "\"42\"".into();
        e.proof.as_mut().unwrap().index = "\"42\"".into();
        e.render(&l)
    };
    let got = run_all(&[one.clone(), same_index.clone()], &l);
    assert_eq!(got, Err((1, TlogError::DuplicateEntry)));
    let past = vec![one.clone(); MAX_TLOG_ENTRIES + 1];
    assert_eq!(
        run_all(&past, &l),
        Err((MAX_TLOG_ENTRIES, TlogError::TooManyEntries))
    );
    let mut bad = hr001();
    bad.set = Set::Bad;
    assert_eq!(
        run_all(&[one, bad.render(&l)], &l),
        Err((1, TlogError::SetSignature(LogKeyError::BadSignature)))
    );
    assert_eq!(
        run_all(&["[]".into()], &l),
        Err((0, field(Field::TlogEntry, Problem::WrongType)))
    );
}

// A real Rekor v1 entry and the public-good Rekor key, from sigstore-js
// (packages/verify/src/__tests__/__fixtures__/bundles/v01/signature.ts,
// `validBundleWithSigningCert`; the key from
// packages/verify/src/timestamp/__tests__/tlog.test.ts). Public data.
const REKOR_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==";
const REKOR_LOG_ID: &str = "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=";
const REAL_CERT: &str = "MIICoDCCAiagAwIBAgIUevae+nLQ8mg6OyOB43MKJ10F2CEwCgYIKoZIzj0EAwMwNzEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MR4wHAYDVQQDExVzaWdzdG9yZS1pbnRlcm1lZGlhdGUwHhcNMjIxMTA5MDEzMzA5WhcNMjIxMTA5MDE0MzA5WjAAMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9DbYBIMQLtWb6J5gtL69jgRwwEfdtQtKvvG4+o3ZzlOroJplpXaVgF6wBDob++rNG9/AzSaBmApkEwI52XBjWqOCAUUwggFBMA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDAzAdBgNVHQ4EFgQUVIIFc08z6uV9Y96S+v5oDbbmHEYwHwYDVR0jBBgwFoAU39Ppz1YkEZb5qNjpKFWixi4YZD8wHwYDVR0RAQH/BBUwE4ERYnJpYW5AZGVoYW1lci5jb20wLAYKKwYBBAGDvzABAQQeaHR0cHM6Ly9naXRodWIuY29tL2xvZ2luL29hdXRoMIGKBgorBgEEAdZ5AgQCBHwEegB4AHYA3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4AAAGEWgUGQwAABAMARzBFAiEAlKycMBC2q+QM+mct60RNENxpURHes6vgOBWdx71XcXgCIAtnMzw/cBw5h0hrYJ8b1PJjoxn3k1N2TdgofqvMhbSTMAoGCCqGSM49BAMDA2gAMGUCMQC2KLFYSiD/+S1WEsyf9czf52w+E577Hi77r8pGUM1rQ/Bzg1aGvQs0/kAg3S/JSDgCMEdN5dIS0tRm1SOMbOFcW+1yzR+OiCVJ7DVFwUdI3D/7ERxtN9e/LJ6uaRnR/Sanrw==";
const REAL_DIGEST: &str = "aOZWslHmfoNYvvhIOrDVHGYZ8+ehqfDnWDjUH/No9yg=";
const REAL_SIG: &str = "MEQCIHs5aUulq1HpR+fwmSKpLk/oAwq5O9CDNFHhZAKfG5GmAiBwcVnf2obzsCGVlf0AIvbvHr21NXt7tpLBl4+Brh6OKA==";
const REAL_SET: &str = "MEUCIFUNcHgHB318gCNJR0/CH4E0daODbnfePyzKCDqrt3twAiEA9N+ZObaLwVJwvOtPgkfoBa5NzjTH0eC06YBlOyZlMiY=";
const REAL_BODY: &str = "eyJhcGlWZXJzaW9uIjoiMC4wLjEiLCJraW5kIjoiaGFzaGVkcmVrb3JkIiwic3BlYyI6eyJkYXRhIjp7Imhhc2giOnsiYWxnb3JpdGhtIjoic2hhMjU2IiwidmFsdWUiOiI2OGU2NTZiMjUxZTY3ZTgzNThiZWY4NDgzYWIwZDUxYzY2MTlmM2U3YTFhOWYwZTc1ODM4ZDQxZmYzNjhmNzI4In19LCJzaWduYXR1cmUiOnsiY29udGVudCI6Ik1FUUNJSHM1YVV1bHExSHBSK2Z3bVNLcExrL29Bd3E1TzlDRE5GSGhaQUtmRzVHbUFpQndjVm5mMm9ienNDR1ZsZjBBSXZidkhyMjFOWHQ3dHBMQmw0K0JyaDZPS0E9PSIsInB1YmxpY0tleSI6eyJjb250ZW50IjoiTFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2sxSlNVTnZSRU5EUVdsaFowRjNTVUpCWjBsVlpYWmhaU3R1VEZFNGJXYzJUM2xQUWpRelRVdEtNVEJHTWtORmQwTm5XVWxMYjFwSmVtb3dSVUYzVFhjS1RucEZWazFDVFVkQk1WVkZRMmhOVFdNeWJHNWpNMUoyWTIxVmRWcEhWakpOVWpSM1NFRlpSRlpSVVVSRmVGWjZZVmRrZW1SSE9YbGFVekZ3WW01U2JBcGpiVEZzV2tkc2FHUkhWWGRJYUdOT1RXcEplRTFVUVRWTlJFVjZUWHBCTlZkb1kwNU5ha2w0VFZSQk5VMUVSVEJOZWtFMVYycEJRVTFHYTNkRmQxbElDa3R2V2tsNmFqQkRRVkZaU1V0dldrbDZhakJFUVZGalJGRm5RVVU1UkdKWlFrbE5VVXgwVjJJMlNqVm5kRXcyT1dwblVuZDNSV1prZEZGMFMzWjJSelFLSzI4elducHNUM0p2U25Cc2NGaGhWbWRHTm5kQ1JHOWlLeXR5VGtjNUwwRjZVMkZDYlVGd2EwVjNTVFV5V0VKcVYzRlBRMEZWVlhkblowWkNUVUUwUndwQk1WVmtSSGRGUWk5M1VVVkJkMGxJWjBSQlZFSm5UbFpJVTFWRlJFUkJTMEpuWjNKQ1owVkdRbEZqUkVGNlFXUkNaMDVXU0ZFMFJVWm5VVlZXU1VsR0NtTXdPSG8yZFZZNVdUazJVeXQyTlc5RVltSnRTRVZaZDBoM1dVUldVakJxUWtKbmQwWnZRVlV6T1ZCd2VqRlphMFZhWWpWeFRtcHdTMFpYYVhocE5Ga0tXa1E0ZDBoM1dVUldVakJTUVZGSUwwSkNWWGRGTkVWU1dXNUtjRmxYTlVGYVIxWnZXVmN4YkdOcE5XcGlNakIzVEVGWlMwdDNXVUpDUVVkRWRucEJRZ3BCVVZGbFlVaFNNR05JVFRaTWVUbHVZVmhTYjJSWFNYVlpNamwwVERKNGRsb3liSFZNTWpsb1pGaFNiMDFKUjB0Q1oyOXlRbWRGUlVGa1dqVkJaMUZEQ2tKSWQwVmxaMEkwUVVoWlFUTlVNSGRoYzJKSVJWUktha2RTTkdOdFYyTXpRWEZLUzFoeWFtVlFTek12YURSd2VXZERPSEEzYnpSQlFVRkhSVmRuVlVjS1VYZEJRVUpCVFVGU2VrSkdRV2xGUVd4TGVXTk5Ra015Y1N0UlRTdHRZM1EyTUZKT1JVNTRjRlZTU0dWek5uWm5UMEpYWkhnM01WaGpXR2REU1VGMGJncE5lbmN2WTBKM05XZ3dhSEpaU2poaU1WQkthbTk0YmpOck1VNHlWR1JuYjJaeGRrMW9ZbE5VVFVGdlIwTkRjVWRUVFRRNVFrRk5SRUV5WjBGTlIxVkRDazFSUXpKTFRFWlpVMmxFTHl0VE1WZEZjM2xtT1dONlpqVXlkeXRGTlRjM1NHazNOM0k0Y0VkVlRURnlVUzlDZW1jeFlVZDJVWE13TDJ0Qlp6TlRMMG9LVTBSblEwMUZaRTQxWkVsVE1IUlNiVEZUVDAxaVQwWmpWeXN4ZVhwU0swOXBRMVpLTjBSV1JuZFZaRWt6UkM4M1JWSjRkRTQ1WlM5TVNqWjFZVkp1VWdvdlUyRnVjbmM5UFFvdExTMHRMVVZPUkNCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PSJ9fX19";

fn unb64(s: &str) -> Vec<u8> {
    crate::encoding::base64_vec(s.as_bytes().to_vec()).unwrap()
}

#[test]
fn real_rekor_entry_and_set() {
    let key = unb64(REKOR_KEY);
    let log_id = unb64(REKOR_LOG_ID);
    // Rekor's log ID is the SHA-256 of its key's DER SPKI.
    assert_eq!(Sha256::digest(&key).as_slice(), log_id.as_slice());
    let root = |start: u64| TrustedRoot {
        tlogs: vec![TransparencyLog {
            base_url: "https://rekor.sigstore.dev".into(),
            key: LogKey {
                details: KeyDetails::EcdsaP256Sha256,
                der: key.clone(),
            },
            // Production's rekor.sigstore.dev key: 2021-01-12T11:53:27Z.
            valid_for: TimeRange::seconds(Some(start), None),
            log_id: log_id.clone(),
        }],
        ..TrustedRoot::default()
    };
    let entry = format!(
        r#"[{{"logIndex":"6757503","logId":{{"keyId":"{REKOR_LOG_ID}"}},"kindVersion":{{"kind":"hashedrekord","version":"0.0.1"}},"integratedTime":"1667957590","inclusionPromise":{{"signedEntryTimestamp":"{REAL_SET}"}},"canonicalizedBody":"{REAL_BODY}"}}]"#
    );
    let cert = unb64(REAL_CERT);
    let sig = unb64(REAL_SIG);
    let digest: [u8; 32] = unb64(REAL_DIGEST).try_into().unwrap();
    let content = Content::MessageSignature {
        digests: sha256_only(&digest),
        signature: &sig,
    };
    let signer = Signer::Certificate(&cert);
    let entries = json::parse(entry.as_bytes()).unwrap().array().unwrap();
    let run = |content: &Content<'_>, version, now, start| {
        verify_entries(
            entries,
            content,
            &signer,
            None,
            &root(start),
            version,
            Some(now),
        )
    };
    let got = run(&content, BundleVersion::V0_1, NOW, 1_610_452_407).unwrap();
    assert_eq!(
        got,
        [VerifiedEntry {
            log: 0,
            log_index: 6_757_503,
            kind: EntryKind::HashedRekord001,
            integrated_time: Some(1_667_957_590),
            unsigned_time: None,
            rekor_v2: false,
            inclusion: None,
        }]
    );
    // The same entry checked before it was logged, against a key not yet
    // valid, in a bundle version that needs a proof, for another digest.
    assert_eq!(
        run(&content, BundleVersion::V0_1, 1_667_957_589, 1_610_452_407),
        Err((0, TlogError::IntegratedTimeInFuture))
    );
    assert_eq!(
        run(&content, BundleVersion::V0_1, NOW, 1_667_957_591),
        Err((0, TlogError::LogKeyNotValid))
    );
    assert_eq!(
        run(&content, BundleVersion::V0_2, NOW, 1_610_452_407),
        Err((0, TlogError::MissingInclusionProof))
    );
    let mut other = digest;
    other[31] ^= 1;
    let wrong = Content::MessageSignature {
        digests: sha256_only(&other),
        signature: &sig,
    };
    assert_eq!(
        run(&wrong, BundleVersion::V0_1, NOW, 1_610_452_407),
        Err((0, TlogError::DigestMismatch))
    );
}
