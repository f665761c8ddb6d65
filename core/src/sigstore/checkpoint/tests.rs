//! Tests of `checkpoint`.

use super::*;
use crate::sigstore::trust_root::TimeRange;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use ecdsa::signature::Signer as _;

/// DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410 §4).
const ED25519_SPKI: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
/// DER SubjectPublicKeyInfo header of an uncompressed P-256 key.
const P256_SPKI: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

const HOST: &str = "log2025-test.rekor.example.dev";
const URL: &str = "https://log2025-test.rekor.example.dev";
const V1_ORIGIN: &str = "rekor.example.dev - 1193050959916656506";
const V1_URL: &str = "https://rekor.example.dev";
const ROOT: [u8; 32] = [0x5a; 32];
const SIZE: u64 = 736;

fn b64(bytes: &[u8]) -> String {
    let mut buf = alloc::vec![0u8; bytes.len().div_ceil(3) * 4];
    String::from(Base64::encode(bytes, &mut buf).unwrap())
}

fn unb64(s: &str) -> Vec<u8> {
    let mut buf = alloc::vec![0u8; s.len()];
    Base64::decode(s, &mut buf).unwrap().to_vec()
}

/// A signed-note verifier key `<name>+<hex id>+<base64(type || key)>`:
/// the raw key after its type byte.
fn vkey_raw(vkey: &str) -> Vec<u8> {
    let key = unb64(vkey.splitn(3, '+').nth(2).unwrap());
    key[1..].to_vec()
}

fn ed25519_log_key(raw: &[u8]) -> LogKey {
    LogKey {
        details: KeyDetails::Ed25519,
        der: [&ED25519_SPKI[..], raw].concat(),
    }
}

/// The test's log signer: Ed25519 or P-256, fixed keys.
enum TestSigner {
    Ed(ed25519_dalek::SigningKey),
    P256(p256::ecdsa::SigningKey),
}

impl TestSigner {
    fn ed(seed: u8) -> Self {
        Self::Ed(ed25519_dalek::SigningKey::from_bytes(&[seed; 32]))
    }

    fn p256(seed: u8) -> Self {
        Self::P256(p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap())
    }

    fn key(&self) -> LogKey {
        match self {
            Self::Ed(k) => ed25519_log_key(&k.verifying_key().to_bytes()),
            Self::P256(k) => LogKey {
                details: KeyDetails::EcdsaP256Sha256,
                der: [
                    &P256_SPKI[..],
                    k.verifying_key().to_sec1_point(false).as_bytes(),
                ]
                .concat(),
            },
        }
    }

    fn sign(&self, msg: &str) -> Vec<u8> {
        match self {
            Self::Ed(k) => k.sign(msg.as_bytes()).to_bytes().to_vec(),
            Self::P256(k) => {
                let sig: p256::ecdsa::DerSignature = k.sign(msg.as_bytes());
                sig.as_bytes().to_vec()
            }
        }
    }

    /// A signature line over `text` under `name` with key ID `hint`.
    fn line(&self, text: &str, name: &str, hint: [u8; 4]) -> String {
        sig_line(name, hint, &self.sign(text))
    }

    /// This key's own line as the log (`name`, its `convention` ID).
    fn log_line(&self, text: &str, convention: Convention, name: &str) -> String {
        let hint = key_hint(&self.key(), convention, name).unwrap();
        self.line(text, name, hint)
    }
}

fn sig_line(name: &str, hint: [u8; 4], sig: &[u8]) -> String {
    format!("\u{2014} {name} {}\n", b64(&[&hint[..], sig].concat()))
}

fn body(origin: &str, size: u64, root: &[u8; 32], extensions: &[&str]) -> String {
    let mut s = format!("{origin}\n{size}\n{}\n", b64(root));
    for e in extensions {
        s.push_str(e);
        s.push('\n');
    }
    s
}

fn note(text: &str, lines: &[String]) -> String {
    format!("{text}\n{}", lines.concat())
}

fn log(base_url: &str, key: LogKey) -> TransparencyLog {
    TransparencyLog {
        base_url: base_url.into(),
        key,
        valid_for: TimeRange::default(),
        log_id: Vec::new(),
    }
}

/// A Rekor v2-style checkpoint signed by `s`, plus `extra` lines after.
fn v2_note(s: &TestSigner, extra: &[String]) -> String {
    let text = body(HOST, SIZE, &ROOT, &[]);
    let mut lines = alloc::vec![s.log_line(&text, Convention::SignedNote, HOST)];
    lines.extend_from_slice(extra);
    note(&text, &lines)
}

/// Verifies `n` as a Rekor v2 entry's checkpoint from the log at `URL`.
fn check<'a>(n: &'a str, s: &TestSigner) -> Result<Checkpoint<'a>, CheckpointError> {
    verify(n, &log(URL, s.key()), Convention::SignedNote, &ROOT, SIZE)
}

/// Verifies `n` as a Rekor v1 entry's checkpoint from the log at
/// `V1_URL`.
fn check_v1<'a>(n: &'a str, s: &TestSigner) -> Result<Checkpoint<'a>, CheckpointError> {
    verify(n, &log(V1_URL, s.key()), Convention::RekorV1, &ROOT, SIZE)
}

/// The Ed25519 test log, its checkpoint text and its key ID.
fn v2_setup() -> (TestSigner, String, [u8; 4]) {
    let s = TestSigner::ed(7);
    let hint = key_hint(&s.key(), Convention::SignedNote, HOST).unwrap();
    (s, body(HOST, SIZE, &ROOT, &[]), hint)
}

fn witness_line(text: &str, name: &str) -> String {
    TestSigner::ed(0xee).log_line(text, Convention::SignedNote, name)
}

// golang.org/x/mod/sumdb/note, note.go package documentation and
// note_test.go (TestOpen): two Ed25519 keys and their signatures.
const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                       then you don't know what your problem is.\n";
const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

#[test]
fn go_sumdb_note_vectors() {
    let msg = format!("{GO_TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    let (text, lines) = open_note(&msg).unwrap();
    assert_eq!(text, GO_TEXT);
    let lines: Vec<_> = lines.map(Result::unwrap).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].name, "PeterNeumann");
    assert_eq!(lines[0].key_hint, [0xc7, 0x4f, 0x20, 0xa3]);
    assert_eq!(lines[1].name, "EnochRoot");
    assert_eq!(lines[1].key_hint, [0xaf, 0x0c, 0xfe, 0x78]);

    let peter = ed25519_log_key(&vkey_raw(PETER_VKEY));
    let enoch = ed25519_log_key(&vkey_raw(ENOCH_VKEY));
    let peter_id = key_hint(&peter, Convention::SignedNote, "PeterNeumann").unwrap();
    let enoch_id = key_hint(&enoch, Convention::SignedNote, "EnochRoot").unwrap();
    assert_eq!(peter_id, [0xc7, 0x4f, 0x20, 0xa3]);
    assert_eq!(enoch_id, [0xaf, 0x0c, 0xfe, 0x78]);

    // Each key verifies its own line; the other line is ignored.
    let (text, lines) = open_note(&msg).unwrap();
    let known =
        |k: &LogKey, name: &str, id: [u8; 4]| verify_known_key(text, lines.clone(), k, name, id);
    assert_eq!(known(&peter, "PeterNeumann", peter_id), Ok(1));
    assert_eq!(known(&enoch, "EnochRoot", enoch_id), Ok(1));
    // Name or ID alone matching is another key: ignored.
    assert_eq!(known(&peter, "PeterNeuman", peter_id), Ok(0));
    assert_eq!(known(&peter, "PeterNeumann", enoch_id), Ok(0));
    // A known key's bad signature rejects the note.
    assert_eq!(
        known(&enoch, "PeterNeumann", peter_id),
        Err(CheckpointError::BadSignature)
    );
    let tampered = msg.replacen("answer", "Answer", 1);
    let (text, lines) = open_note(&tampered).unwrap();
    assert_eq!(
        verify_known_key(text, lines, &peter, "PeterNeumann", peter_id),
        Err(CheckpointError::BadSignature)
    );
}

#[test]
fn c2sp_signed_note_example() {
    // c2sp.org/signed-note@v1.1.0 (C2SP commit d4c16da5), "Example".
    let vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    let msg = "This is an example message.\n\n\u{2014} example.com/foo \
               Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    let key = ed25519_log_key(&vkey_raw(vkey));
    let id = key_hint(&key, Convention::SignedNote, "example.com/foo").unwrap();
    assert_eq!(id, [0x53, 0x0d, 0x90, 0x3a]);
    let (text, lines) = open_note(msg).unwrap();
    assert_eq!(text, "This is an example message.\n");
    assert_eq!(
        verify_known_key(text, lines, &key, "example.com/foo", id),
        Ok(1)
    );
}

#[test]
fn c2sp_tlog_checkpoint_example() {
    // c2sp.org/tlog-checkpoint, the example at the top (no key given).
    let msg = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\
               \u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
    let (cp, mut lines) = parse(msg).unwrap();
    assert_eq!(cp.origin, "example.com/behind-the-sofa");
    assert_eq!(cp.size, 20852163);
    assert_eq!(cp.root_hash[..2], [0x0a, 0xc5]);
    assert_eq!(cp.extensions, "");
    assert_eq!(v1_hostname(cp.origin), None);
    let line = lines.next().unwrap().unwrap();
    assert_eq!(line.name, "example.com/behind-the-sofa");
    assert_eq!(line.signature(&mut [0u8; 64]).unwrap().len(), 64);
    assert!(lines.next().is_none());
}

#[test]
fn rekor_v1_production_key_id() {
    // The Rekor v1 production key as a signed-note verifier key of type
    // 0x02 (ECDSA, key ID = SHA-256 of the SPKI), from
    // transparency-dev/formats log/id_test.go ("rekor 1").
    let vkey = "rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=";
    let key = LogKey {
        details: KeyDetails::EcdsaP256Sha256,
        der: vkey_raw(vkey),
    };
    key.check().unwrap();
    let id = [0xc0, 0xd2, 0x3d, 0x6a];
    assert_eq!(key_hint(&key, Convention::RekorV1, "x"), Ok(id));
    assert_eq!(
        key_hint(&key, Convention::SignedNote, "rekor.sigstore.dev"),
        Ok(id)
    );
}

#[test]
fn key_hint_conventions() {
    let ed = TestSigner::ed(1).key();
    let spki_id = sha256_prefix(&[&ed.der]);
    // Ed25519: v1 hashes the SPKI, signed-note the name and raw key.
    assert_eq!(key_hint(&ed, Convention::RekorV1, "a"), Ok(spki_id));
    let a = key_hint(&ed, Convention::SignedNote, "a").unwrap();
    assert_ne!(a, spki_id);
    assert_ne!(Ok(a), key_hint(&ed, Convention::SignedNote, "b"));
    // ECDSA: the SPKI hash under both, whatever the name.
    let ec = TestSigner::p256(2).key();
    let ec_id = sha256_prefix(&[&ec.der]);
    assert_eq!(key_hint(&ec, Convention::SignedNote, "a"), Ok(ec_id));
    assert_eq!(key_hint(&ec, Convention::RekorV1, "b"), Ok(ec_id));
    // RSA: rekor-tiles' 0xFF type with its identifier string.
    let rsa = LogKey {
        details: KeyDetails::PkixRsaPkcs1v15Sha256,
        der: alloc::vec![1, 2, 3],
    };
    assert_eq!(
        key_hint(&rsa, Convention::SignedNote, "n"),
        Ok(sha256_prefix(&[b"n\n\xffPKIX-RSA-PKCS#1v1.5", &[1, 2, 3]]))
    );
    assert_eq!(
        key_hint(&rsa, Convention::RekorV1, "n"),
        Ok(sha256_prefix(&[&[1, 2, 3]]))
    );
    for details in [KeyDetails::Pkcs1RsaPkcs1v15Sha256, KeyDetails::Unsupported] {
        let k = LogKey {
            details,
            der: Vec::new(),
        };
        assert_eq!(
            key_hint(&k, Convention::SignedNote, "n"),
            Err(CheckpointError::UnsupportedKey)
        );
    }
    let broken = LogKey {
        details: KeyDetails::Ed25519,
        der: alloc::vec![0x30],
    };
    assert_eq!(
        key_hint(&broken, Convention::SignedNote, "n"),
        Err(CheckpointError::BadLogKey)
    );
}

#[test]
fn v2_ed25519_valid() {
    let s = TestSigner::ed(7);
    let n = v2_note(&s, &[]);
    let cp = check(&n, &s).unwrap();
    assert_eq!(cp.origin, HOST);
    assert_eq!(cp.size, SIZE);
    assert_eq!(cp.root_hash, ROOT);
    assert_eq!(cp.body, body(HOST, SIZE, &ROOT, &[]));
    // The same log key with another host is another key.
    assert_eq!(
        verify(
            &n,
            &log("https://other.example.dev", s.key()),
            Convention::SignedNote,
            &ROOT,
            SIZE
        ),
        Err(CheckpointError::OriginMismatch)
    );
}

#[test]
fn v2_cosigned_lines_are_ignored() {
    let (s, text, hint) = v2_setup();
    let log_line = s.line(&text, HOST, hint);
    let w1 = witness_line(&text, "witness.example/w1");
    // A line with the log's name but another key ID (another key of the
    // same origin), and one with the log's key ID but another name.
    let same_name = TestSigner::p256(9).log_line(&text, Convention::SignedNote, HOST);
    let same_hint = sig_line("witness.example/w2", hint, &[0; 64]);
    for lines in [
        alloc::vec![log_line.clone(), w1.clone()],
        alloc::vec![w1.clone(), log_line.clone()],
        alloc::vec![log_line.clone(), same_name.clone(), w1.clone()],
        alloc::vec![same_hint.clone(), log_line.clone(), same_name.clone()],
    ] {
        assert!(check(&note(&text, &lines), &s).is_ok());
    }
    // Without the log's own line, nothing is from the log.
    for lines in [
        alloc::vec![w1.clone()],
        alloc::vec![same_name.clone()],
        alloc::vec![same_hint.clone(), w1],
    ] {
        assert_eq!(
            check(&note(&text, &lines), &s),
            Err(CheckpointError::NoSignatureFromLog)
        );
    }
}

#[test]
fn v2_wrong_hint_or_name() {
    let (s, text, hint) = v2_setup();
    let mut other = hint;
    other[3] ^= 1;
    // The SPKI-hash hint of Rekor v1 is not an Ed25519 note key ID.
    let v1_hint = key_hint(&s.key(), Convention::RekorV1, HOST).unwrap();
    for line in [
        s.line(&text, HOST, other),
        s.line(&text, HOST, v1_hint),
        s.line(&text, "log2025-test.rekor.example.de", hint),
    ] {
        assert_eq!(
            check(&note(&text, &[line]), &s),
            Err(CheckpointError::NoSignatureFromLog)
        );
    }
}

#[test]
fn v2_bad_signature() {
    let (s, text, hint) = v2_setup();
    let mut sig = s.sign(&text);
    sig[10] ^= 1;
    let bad = sig_line(HOST, hint, &sig);
    let good = s.line(&text, HOST, hint);
    assert_eq!(
        check(&note(&text, core::slice::from_ref(&bad)), &s),
        Err(CheckpointError::BadSignature)
    );
    // Every line from the known key must verify (signed-note
    // §Signatures), even after a good one.
    assert_eq!(
        check(&note(&text, &[good, bad]), &s),
        Err(CheckpointError::BadSignature)
    );
    // A signature of another text.
    let other = body(HOST, SIZE + 1, &ROOT, &[]);
    let n = note(&text, &[s.line(&other, HOST, hint)]);
    assert_eq!(check(&n, &s), Err(CheckpointError::BadSignature));
    // Longer than any log signature.
    let n = note(&text, &[sig_line(HOST, hint, &[0; 600])]);
    assert_eq!(check(&n, &s), Err(CheckpointError::BadSignature));
}

#[test]
fn v2_p256_valid_and_cosigned() {
    let s = TestSigner::p256(0x11);
    let text = body(HOST, SIZE, &ROOT, &[]);
    let line = s.log_line(&text, Convention::SignedNote, HOST);
    assert_eq!(
        parse(&note(&text, core::slice::from_ref(&line)))
            .unwrap()
            .1
            .next()
            .unwrap()
            .unwrap()
            .key_hint,
        sha256_prefix(&[&s.key().der])
    );
    let w = witness_line(&text, "witness.example");
    assert!(check(&note(&text, &[w, line]), &s).is_ok());
    let mut sig = s.sign(&text);
    let last = sig.len() - 1;
    sig[last] ^= 1;
    let hint = key_hint(&s.key(), Convention::SignedNote, HOST).unwrap();
    let n = note(&text, &[sig_line(HOST, hint, &sig)]);
    assert_eq!(check(&n, &s), Err(CheckpointError::BadSignature));
}

fn v1_note(s: &TestSigner, extra: &[String]) -> String {
    let text = body(V1_ORIGIN, SIZE, &ROOT, &["Timestamp: 1689177396617352539"]);
    let mut lines = alloc::vec![s.log_line(&text, Convention::RekorV1, "rekor.example.dev")];
    lines.extend_from_slice(extra);
    note(&text, &lines)
}

#[test]
fn v1_p256() {
    let s = TestSigner::p256(0x22);
    let n = v1_note(&s, &[]);
    let cp = check_v1(&n, &s).unwrap();
    assert_eq!(cp.origin, V1_ORIGIN);
    let ext: Vec<_> = cp.extension_lines().collect();
    assert_eq!(ext, ["Timestamp: 1689177396617352539"]);

    let text = cp.body;
    let hint = key_hint(&s.key(), Convention::RekorV1, "").unwrap();
    let mut other = hint;
    other[0] ^= 0x80;
    let cases = [
        (
            s.line(text, "rekor.example.dev", other),
            CheckpointError::BadKeyHint,
        ),
        (
            s.line(text, "rekor.example.de", hint),
            CheckpointError::BadKeyName,
        ),
        (
            s.line(text, "REKOR.example.dev", hint),
            CheckpointError::BadKeyName,
        ),
        (
            s.line("x\n", "rekor.example.dev", hint),
            CheckpointError::BadSignature,
        ),
    ];
    for (line, err) in cases {
        assert_eq!(check_v1(&note(text, &[line]), &s), Err(err));
    }
    // A Rekor v1 checkpoint carries only the log's signature.
    let n = v1_note(&s, &[witness_line(text, "witness.example")]);
    assert_eq!(check_v1(&n, &s), Err(CheckpointError::BadKeyHint));
    let n = v1_note(
        &s,
        &[s.log_line(text, Convention::RekorV1, "rekor.example.dev")],
    );
    assert!(check_v1(&n, &s).is_ok());
}

/// A Rekor v1 checkpoint with `origin`, signed under `name`.
fn v1_note_of(s: &TestSigner, origin: &str, name: &str) -> String {
    let text = body(origin, SIZE, &ROOT, &[]);
    note(&text, &[s.log_line(&text, Convention::RekorV1, name)])
}

#[test]
fn v1_origin_names_the_log() {
    let s = TestSigner::p256(0x22);
    let v1 = |n: &str, url: &str| {
        verify(n, &log(url, s.key()), Convention::RekorV1, &ROOT, SIZE).map(|_| ())
    };
    // A local Rekor v1 signs as `host:port` (sigstore-conformance's
    // intoto vectors): the baseUrl's host with or without its port.
    let local = v1_note_of(&s, "localhost:8000 - 124190645164477", "localhost:8000");
    assert_eq!(v1(&local, "http://localhost:8000"), Ok(()));
    let bare = v1_note_of(&s, "localhost - 1", "localhost");
    assert_eq!(v1(&bare, "http://localhost:8000"), Ok(()));
    // Signed by the log's key under another host: not this log's.
    let mismatch = Err(CheckpointError::OriginMismatch);
    let evil = v1_note_of(&s, "rekor.evil.dev - 1193050959916656506", "rekor.evil.dev");
    assert_eq!(v1(&evil, V1_URL), mismatch);
    assert_eq!(v1(&local, "http://localhost:8001"), mismatch);
    assert_eq!(v1(&v1_note(&s, &[]), "http://localhost:8000"), mismatch);
    // A Rekor v1 entry's checkpoint must have a v1 origin, even one
    // that would pass as a signed note.
    let plain = v1_note_of(&s, "rekor.example.dev", "rekor.example.dev");
    assert_eq!(v1(&plain, V1_URL), mismatch);
    assert_eq!(
        verify(
            &plain,
            &log(V1_URL, s.key()),
            Convention::SignedNote,
            &ROOT,
            SIZE
        )
        .map(|_| ()),
        Ok(())
    );
}

#[test]
fn v2_entries_take_the_signed_note_path_only() {
    // The Rekor v2 log key signs a Rekor v1-shaped origin naming another
    // host, under that host's name and the SPKI-hash key ID: the v1 path
    // would accept it, but a v2 entry's origin must be the log's host.
    let s = TestSigner::ed(7);
    let evil = v1_note_of(&s, "log2026.rekor.evil - 1", "log2026.rekor.evil");
    assert_eq!(check(&evil, &s), Err(CheckpointError::OriginMismatch));
    assert_eq!(
        verify(
            &evil,
            &log("https://log2026.rekor.evil", s.key()),
            Convention::RekorV1,
            &ROOT,
            SIZE
        )
        .map(|_| ()),
        Ok(())
    );
    // The log's own origin with a v1 suffix is not its host either.
    let suffixed = format!("{HOST} - 1");
    let n = v1_note_of(&s, &suffixed, HOST);
    assert_eq!(check(&n, &s), Err(CheckpointError::OriginMismatch));
}

#[test]
fn root_and_size_must_match_the_proof() {
    let s = TestSigner::ed(7);
    let n = v2_note(&s, &[]);
    let l = log(URL, s.key());
    let mut root = ROOT;
    root[31] ^= 1;
    let v2 = Convention::SignedNote;
    assert_eq!(
        verify(&n, &l, v2, &root, SIZE),
        Err(CheckpointError::RootMismatch)
    );
    assert_eq!(
        verify(&n, &l, v2, &ROOT, SIZE - 1),
        Err(CheckpointError::SizeMismatch)
    );
    assert_eq!(
        verify(&n, &l, v2, &ROOT, SIZE + 1),
        Err(CheckpointError::SizeMismatch)
    );
}

#[test]
fn note_format() {
    let (s, text, hint) = v2_setup();
    let line = s.line(&text, HOST, hint);
    let good = note(&text, core::slice::from_ref(&line));
    assert!(check(&good, &s).is_ok());
    use CheckpointError::*;
    for (input, want) in [
        // No blank line: text and signatures run together.
        (format!("{text}{line}"), NoBlankLine),
        (String::new(), NoBlankLine),
        // The signature block is empty, or does not end in a newline.
        (format!("{text}\n"), NoSignatures),
        (String::from(good.trim_end_matches('\n')), NoSignatures),
        (format!("{good}trailing"), NoSignatures),
        // A blank line after the signatures moves the split there.
        (format!("{good}\n"), NoSignatures),
        // A trailing line that is not a signature line.
        (format!("{good}trailing\n"), BadSignatureLine),
        // Control characters.
        (good.replacen('\n', "\r\n", 1), ControlCharacter),
        (good.replacen(' ', "\t", 1), ControlCharacter),
        (format!("{good}\0"), ControlCharacter),
    ] {
        assert_eq!(parse(&input).map(|_| ()), Err(want), "{input:?}");
    }
}

#[test]
fn signature_line_format() {
    let text = body(HOST, SIZE, &ROOT, &[]);
    let sig = b64(&[7u8; 68]);
    let bad = |line: &str| parse(&format!("{text}\n{line}\n")).map(|_| ()).unwrap_err();
    assert!(parse(&format!("{text}\n\u{2014} {HOST} {sig}\n")).is_ok());
    for line in [
        format!("- {HOST} {sig}"),           // ASCII hyphen
        format!("\u{2013} {HOST} {sig}"),    // EN DASH
        format!("\u{2014}{HOST} {sig}"),     // no space after the dash
        format!("\u{2014} {HOST}"),          // no signature
        format!("\u{2014} {HOST} "),         // empty signature
        format!("\u{2014}  {sig}"),          // empty name
        format!("\u{2014} a+b {sig}"),       // '+' in the name
        format!("\u{2014} a\u{a0}b {sig}"),  // Unicode space in the name
        format!("\u{2014} {HOST} {sig} x"),  // a third field
        format!("\u{2014} {HOST} {sig}="),   // bad padding
        format!("\u{2014} {HOST} AAAAAAA"),  // unpadded
        format!("\u{2014} {HOST} AAAAAA=="), // 4 bytes: key ID only
        format!("\u{2014} {HOST} AAAAAAB="), // non-canonical trailing bits
        format!("\u{2014} {HOST} AAAA!AAA"), // outside the alphabet
    ] {
        assert_eq!(bad(&line), CheckpointError::BadSignatureLine, "{line}");
    }
    // 5 bytes is the shortest line.
    assert!(parse(&format!("{text}\n\u{2014} {HOST} AAAAAAA=\n")).is_ok());
}

#[test]
fn checkpoint_body_format() {
    let root = b64(&ROOT);
    let sig = format!("\u{2014} {HOST} {}\n", b64(&[7u8; 68]));
    let parsed = |text: &str| {
        parse(&format!("{text}\n{sig}")).map(|(c, _)| (c.size, String::from(c.extensions)))
    };
    for (text, size, extensions) in [
        (format!("o\n0\n{root}\n"), 0, ""),
        (format!("o\n18446744073709551615\n{root}\n"), u64::MAX, ""),
        (format!("o\n1\n{root}\na\nb c\n"), 1, "a\nb c\n"),
        // ...jxq2I= is canonical base64 (see the twin below).
        (
            String::from("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"),
            1,
            "",
        ),
    ] {
        assert_eq!(parsed(&text), Ok((size, extensions.into())), "{text:?}");
    }
    use CheckpointError::*;
    let mut bad = alloc::vec![
        // Missing lines, as in the conformance cases that drop one.
        (String::from("\n"), BadOrigin),
        (format!("\n736\n{root}\n"), BadOrigin),
        (format!("736\n{root}\n"), BadSize),
        (format!("o\n{root}\n"), BadSize),
        (String::from("o\n736\n"), BadRootHash),
        (String::from("o\n"), BadSize),
        // Non-canonical trailing bits.
        (
            String::from("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n"),
            BadRootHash
        ),
        // Extension lines must not be empty.
        (format!("o\n1\n{root}\n\nx\n"), EmptyExtension),
        (format!("o\n1\n{root}\nx\n\ny\n"), EmptyExtension),
    ];
    for size in [
        "0736",
        "00",
        "+736",
        "-1",
        " 736",
        "736 ",
        "7e2",
        "",
        "18446744073709551616",
    ] {
        bad.push((format!("o\n{size}\n{root}\n"), BadSize));
    }
    for hash in [
        b64(&[1; 31]),
        b64(&[1; 33]),
        String::from(root.trim_end_matches('=')),
        root.replace('=', "A"),
        String::from("not base64"),
        String::new(),
    ] {
        bad.push((format!("o\n1\n{hash}\n"), BadRootHash));
    }
    for (text, want) in bad {
        assert_eq!(parsed(&text), Err(want), "{text:?}");
    }
}

#[test]
fn limit_note_bytes() {
    let s = TestSigner::ed(7);
    let sized = |len: usize| {
        // One extension line pads the note to `len` bytes.
        let base = v2_note(&s, &[]).len() + 1;
        let pad = "x".repeat(len - base);
        let text = body(HOST, SIZE, &ROOT, &[&pad]);
        note(&text, &[s.log_line(&text, Convention::SignedNote, HOST)])
    };
    let at = sized(MAX_CHECKPOINT_BYTES);
    assert_eq!(at.len(), MAX_CHECKPOINT_BYTES);
    assert!(check(&at, &s).is_ok());
    let over = sized(MAX_CHECKPOINT_BYTES + 1);
    assert_eq!(check(&over, &s), Err(CheckpointError::TooLarge));
}

#[test]
fn limit_signature_lines() {
    let s = TestSigner::ed(7);
    let text = body(HOST, SIZE, &ROOT, &[]);
    let witnesses: Vec<String> = (0..MAX_CHECKPOINT_SIGNATURES)
        .map(|i| witness_line(&text, &format!("witness.example/{i}")))
        .collect();
    let n = v2_note(&s, &witnesses[1..]);
    assert!(check(&n, &s).is_ok());
    let n = v2_note(&s, &witnesses);
    assert_eq!(check(&n, &s), Err(CheckpointError::TooManySignatures));
}

#[test]
fn limit_extension_lines() {
    let s = TestSigner::ed(7);
    let signed = |count: usize| {
        let ext: Vec<String> = (0..count).map(|i| format!("ext {i}")).collect();
        let ext: Vec<&str> = ext.iter().map(String::as_str).collect();
        let text = body(HOST, SIZE, &ROOT, &ext);
        note(&text, &[s.log_line(&text, Convention::SignedNote, HOST)])
    };
    let cp_at = signed(MAX_CHECKPOINT_EXTENSIONS);
    let cp = check(&cp_at, &s).unwrap();
    assert_eq!(cp.extension_lines().count(), MAX_CHECKPOINT_EXTENSIONS);
    let over = signed(MAX_CHECKPOINT_EXTENSIONS + 1);
    assert_eq!(check(&over, &s), Err(CheckpointError::TooManyExtensions));
}

#[test]
fn log_host() {
    assert_eq!(host_of(URL), Some(HOST));
    assert_eq!(host_of("https://h.example/"), Some("h.example"));
    assert_eq!(host_of("https://h.example:8443/api?x#y"), Some("h.example"));
    assert_eq!(host_of("http://user:pw@h.example:80"), Some("h.example"));
    assert_eq!(host_of("http://[::1]:3000/"), Some("::1"));
    assert_eq!(host_of("h.example"), None);
    assert_eq!(host_of("https://"), None);
    assert_eq!(host_of("https://:443"), None);
    assert_eq!(host_of("https://a+b.example"), None);
    let s = TestSigner::ed(7);
    let n = v2_note(&s, &[]);
    assert_eq!(
        verify(
            &n,
            &log("log2025-test.rekor.example.dev", s.key()),
            Convention::SignedNote,
            &ROOT,
            SIZE
        ),
        Err(CheckpointError::BadLogUrl)
    );
    let v1 = v1_note(&TestSigner::p256(0x22), &[]);
    assert_eq!(
        verify(
            &v1,
            &log("rekor.example.dev", s.key()),
            Convention::RekorV1,
            &ROOT,
            SIZE
        ),
        Err(CheckpointError::BadLogUrl)
    );
}

#[test]
fn origin_conventions() {
    for (origin, v1) in [
        ("rekor.sigstore.dev - 2605736670972794746", true),
        ("localhost:8000 - 124190645164477", true),
        (" - 0", true),
        ("a - 1 - 2", true),
        ("log2025-1.rekor.sigstore.dev", false),
        ("rekor.sigstore.dev - ", false),
        ("rekor.sigstore.dev - 12a", false),
        ("rekor.sigstore.dev-123", false),
        ("go.sum database tree", false),
    ] {
        assert_eq!(v1_hostname(origin).is_some(), v1, "{origin}");
    }
}

#[test]
fn errors_display() {
    let all = [
        CheckpointError::TooLarge,
        CheckpointError::ControlCharacter,
        CheckpointError::NoBlankLine,
        CheckpointError::NoSignatures,
        CheckpointError::BadSignatureLine,
        CheckpointError::TooManySignatures,
        CheckpointError::BadOrigin,
        CheckpointError::BadSize,
        CheckpointError::BadRootHash,
        CheckpointError::EmptyExtension,
        CheckpointError::TooManyExtensions,
        CheckpointError::UnsupportedKey,
        CheckpointError::BadLogKey,
        CheckpointError::BadLogUrl,
        CheckpointError::OriginMismatch,
        CheckpointError::BadKeyHint,
        CheckpointError::BadKeyName,
        CheckpointError::NoSignatureFromLog,
        CheckpointError::BadSignature,
        CheckpointError::RootMismatch,
        CheckpointError::SizeMismatch,
    ];
    let texts: Vec<String> = all.iter().map(|e| format!("{e}")).collect();
    for (i, t) in texts.iter().enumerate() {
        assert!(t.starts_with("checkpoint: "));
        assert!(!texts[..i].contains(t), "{t}");
    }
}
