//! The bodies of the cargo-fuzz targets (`fuzz/`), as plain functions so
//! that a stable test (`tests/tests/fuzz_replay.rs`) replays the seeds and
//! every crash ever found. Each must return normally on any input; a panic
//! is the bug being looked for.
//!
//! They drive the core through its public API; the parsers with no public
//! entry point of their own (JSON, bundle structure, checkpoints, Merkle
//! proofs) through `oms_edge_core::__fuzz` only.

use oms_edge_core::__fuzz::{self, Kind, Value};
use oms_edge_core::{
    ArtifactDigest, CertificateVerifier, IdentityPolicy, JsonError, KeyVerifier, Manifest,
    ModelOptions, PublicKey, SigstoreVerifier, SliceModel, Time, TrustStore, TrustedRoot, Verifier,
};
use sha2::Digest as _;

/// Walks every value of a parsed document, exercising every accessor.
fn walk(v: Value<'_>, depth: usize) {
    assert!(depth <= oms_edge_core::limits::MAX_JSON_DEPTH + 1);
    match v.kind() {
        Kind::Object => {
            let obj = v.object().expect("object");
            for m in obj.members() {
                let (k, val) = m.expect("members of a validated object");
                let mut buf = [0u8; 64];
                let _ = k.unescape(&mut buf);
                let _ = obj.get(&k.chars().collect::<String>());
                walk(val, depth + 1);
            }
        }
        Kind::Array => {
            for e in v.array().expect("array").iter() {
                walk(e.expect("elements of a validated array"), depth + 1);
            }
        }
        Kind::String => {
            let s = v.str().expect("string");
            let decoded: String = s.chars().collect();
            let mut buf = vec![0u8; s.raw().len() * 4 + 4];
            assert_eq!(s.unescape(&mut buf).expect("fits"), decoded);
            assert!(s.eq_str(&decoded));
            assert_eq!(s.bytes().collect::<Vec<u8>>(), decoded.as_bytes());
        }
        Kind::Number => {
            let _ = v.exact_u64(u64::MAX);
        }
        Kind::Bool => {
            v.bool().expect("bool");
        }
        Kind::Null => assert!(v.is_null()),
    }
}

/// The JSON reader: never panics, and agrees with serde_json on validity
/// (serde_json accepting within our depth bound means we accept too, and
/// the reverse), and on every decoded string.
pub fn json(data: &[u8]) {
    let ours = __fuzz::parse_json(data);
    if let Ok(v) = ours {
        walk(v, 0);
    }
    let theirs: Result<serde_json::Value, _> = serde_json::from_slice(data);
    match (&ours, &theirs) {
        (Ok(_), Err(e)) => panic!("we accept what serde_json rejects: {e}"),
        (Err(JsonError::TooDeep | JsonError::NotUtf8), Ok(_)) => {}
        (Err(e), Ok(_)) => panic!("we reject ({e:?}) what serde_json accepts"),
        _ => {}
    }
    if let (Ok(v), Ok(t)) = (ours, theirs) {
        same(v, &t);
    }
}

/// Our view of a value equals serde_json's (last duplicate key wins there;
/// only keys we can look up unambiguously are compared).
fn same(v: Value<'_>, t: &serde_json::Value) {
    match (v.kind(), t) {
        (Kind::String, serde_json::Value::String(s)) => {
            assert_eq!(&v.str().expect("string").chars().collect::<String>(), s);
        }
        (Kind::Array, serde_json::Value::Array(items)) => {
            let ours: Vec<_> = v
                .array()
                .expect("array")
                .iter()
                .map(|e| e.expect("element"))
                .collect();
            assert_eq!(ours.len(), items.len());
            for (a, b) in ours.into_iter().zip(items) {
                same(a, b);
            }
        }
        (Kind::Object, serde_json::Value::Object(map)) => {
            let obj = v.object().expect("object");
            for (k, tv) in map {
                if let Ok(Some(ov)) = obj.get(k) {
                    same(ov, tv);
                }
            }
        }
        (Kind::Bool, serde_json::Value::Bool(b)) => assert_eq!(v.bool().ok(), Some(*b)),
        (Kind::Null, serde_json::Value::Null) | (Kind::Number, serde_json::Value::Number(_)) => {}
        (k, t) => panic!("kind {k:?} vs {t:?}"),
    }
}

/// Bundle structure parsing.
pub fn bundle(data: &[u8]) {
    if let Ok(b) = __fuzz::Bundle::parse(data) {
        let mut buf = vec![0u8; data.len()];
        if let Ok(env) = b.envelope() {
            let _ = __fuzz::decode_base64(env.payload, &mut buf);
            let _ = env.signatures.iter().count();
        }
        let _ = b.tlog_entries.map(|t| t.iter().count());
    }
}

/// Statement and manifest parsing (as if the payload were authenticated),
/// then planning and checking against an in-memory model.
pub fn statement(data: &[u8]) {
    let Ok(m) = Manifest::parse_unverified(data) else {
        return;
    };
    let mut names = Vec::new();
    for r in m.resources() {
        let mut buf = vec![0u8; oms_edge_core::limits::MAX_NAME_BYTES];
        let path = r.path(&mut buf).expect("path").to_owned();
        assert!(!path.is_empty());
        names.push(path);
    }
    assert_eq!(names.len(), m.len());
    let _ = m.resource(m.len() / 2);
}

/// Public key parsing, hints and DER round trip.
pub fn keys(data: &[u8]) {
    if let Ok(k) = PublicKey::from_pem_or_der(data) {
        let mut buf = [0u8; oms_edge_core::limits::MAX_SPKI_BYTES];
        let der = k.to_spki_der(&mut buf).expect("re-encodes");
        assert_eq!(PublicKey::from_pem_or_der(der), Ok(k));
        let _ = k.matches_hint(b"00".iter().copied());
    }
}

const FUZZ_KEY: &[u8] = include_bytes!("../../testdata/keys/p256.pub.pem");

/// The whole key-method path: bundle, key binding, DSSE, statement,
/// manifest, and a small in-memory model.
pub fn verify(data: &[u8]) {
    let Ok(key) = PublicKey::from_pem_or_der(FUZZ_KEY) else {
        return;
    };
    let mut payload = vec![0u8; data.len()];
    let verifier = KeyVerifier::new(key);
    if let Ok(v) = verifier.verify(data, Time::NoClock, &mut payload) {
        let files: [(&str, &[u8]); 3] = [("a", b"alpha"), ("b/c", b""), ("d", &[0u8; 100])];
        let mut listed = [false; 3];
        let mut source = SliceModel::new(&files, &mut listed);
        let mut buf = [0u8; 7];
        let _ = v
            .manifest()
            .verify_model(&mut source, ModelOptions::default(), &mut buf);
    }
}

const FUZZ_ROOT: &[u8] = include_bytes!("../../testdata/pki/p256-root.pem");

/// Trust material parsing, and the whole certificate-method path against a
/// fixed root at a fixed time.
pub fn certificate(data: &[u8]) {
    let mut scratch = TrustStore::new();
    let _ = scratch.add_pem(data);
    let _ = scratch.add_der(data);
    let _ = __fuzz::Cert::from_der(data).map(|c| c.public_key());
    let mut store = TrustStore::new();
    if store.add_pem(FUZZ_ROOT).is_err() {
        return;
    }
    let mut payload = vec![0u8; data.len()];
    let verifier = CertificateVerifier::new(store);
    let _ = verifier.verify(data, Time::at_secs(1_780_272_000), &mut payload);
}

/// Trusted-root and ClientTrustConfig parsing.
pub fn trust_root(data: &[u8]) {
    if let Ok(root) = TrustedRoot::parse_any(data) {
        for log in root.tlogs.iter().chain(&root.ctlogs) {
            let _ = log.key.verify(b"message", &[0x30, 0x06, 2, 1, 1, 2, 1, 1]);
            let _ = root.tlog_by_id(&log.log_id);
        }
    }
}

/// Checkpoint (signed note) parsing, and verification against the local
/// test Rekor logs with an arbitrary root.
pub fn checkpoint(data: &[u8]) {
    use __fuzz::Convention;
    let Ok(note) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok((cp, lines)) = __fuzz::parse_checkpoint(note) {
        let _ = cp.extension_lines().count();
        for line in lines.flatten() {
            let mut buf = [0u8; 512];
            let _ = line.signature(&mut buf);
        }
    }
    if let Some(root) = sigstore_root() {
        for log in &root.tlogs {
            for convention in [Convention::RekorV1, Convention::SignedNote] {
                let _ = __fuzz::verify_checkpoint(note, log, convention, &[0u8; 32], 7);
            }
        }
    }
}

/// RFC 6962 inclusion proofs: index and size from the first 16 bytes, the
/// rest as proof hashes; checked against the root the proof itself gives
/// (so every fold runs to the end).
pub fn inclusion_proof(data: &[u8]) {
    let Some((head, rest)) = data.split_at_checked(16) else {
        return;
    };
    let index = u64::from_le_bytes(head[..8].try_into().unwrap_or_default());
    let size = u64::from_le_bytes(head[8..].try_into().unwrap_or_default()) % (1 << 40);
    let proof: Vec<[u8; 32]> = rest
        .chunks_exact(32)
        .map(|c| c.try_into().unwrap_or([0; 32]))
        .collect();
    let leaf = __fuzz::leaf_hash(b"leaf");
    if let Ok(root) = __fuzz::root_from_inclusion_proof(index, size, &leaf, &proof) {
        assert!(__fuzz::verify_inclusion(index, size, &leaf, &proof, &root).is_ok());
    }
}

const SIGSTORE_ROOT: &[u8] = include_bytes!("../../testdata/sigstore/trusted_root.json");

fn sigstore_root() -> Option<TrustedRoot> {
    TrustedRoot::parse(SIGSTORE_ROOT).ok()
}

/// The whole sigstore method against the local test trusted root: as an OMS
/// model bundle, and as an artifact bundle (message signature or DSSE).
pub fn sigstore(data: &[u8]) {
    let Some(root) = sigstore_root() else {
        return;
    };
    let policy = IdentityPolicy::exact("signer@example.com", "https://oidc.example.com");
    let verifier = SigstoreVerifier::new(&root, policy);
    let now = Time::at_secs(1_795_000_000);
    let mut payload = vec![0u8; data.len()];
    if let Ok(v) = verifier.verify(data, now, &mut payload) {
        let _ = v.manifest().len();
    }
    let digest: [u8; 32] = sha2::Sha256::digest(b"artifact").into();
    let _ = verifier.verify_artifact(data, now, ArtifactDigest(digest));
    // Without a clock: only observed times count.
    let _ = verifier.verify_artifact(data, Time::NoClock, ArtifactDigest(digest));
}

const TSA_SIGNATURE: &[u8] = include_bytes!("../../testdata/tsa/signature.bin");
const TSA_EC: [&[u8]; 3] = [
    include_bytes!("../../testdata/tsa/ec/leaf.der"),
    include_bytes!("../../testdata/tsa/ec/inter.der"),
    include_bytes!("../../testdata/tsa/ec/root.der"),
];
const TSA_RSA: [&[u8]; 2] = [
    include_bytes!("../../testdata/tsa/rsa/leaf.der"),
    include_bytes!("../../testdata/tsa/rsa/root.der"),
];

/// The core's in-place ASN.1 readers (`docs/design.md`, "ASN.1 read in
/// place") against the decoders they replace: the first byte picks the
/// structure, the rest is its DER, and the verdicts must agree (for a
/// subjectAltName, the entries too). 0: `SignedData` (the `cms` crate);
/// 1: `CertificateList`, 2: `GeneralNames` (x509-cert); 3: a whole
/// `TimeStampResp` through every check against the test TSAs (no
/// reference: must not panic). The first two are read inside a token,
/// which may not exceed the core's token size limit.
pub fn asn1(data: &[u8]) {
    use der::Decode;
    use oms_edge_core::__fuzz::asn1;
    let Some((&which, der)) = data.split_first() else {
        return;
    };
    if der.len() > 16 * 1024 {
        return;
    }
    match which % 4 {
        0 => assert_eq!(
            asn1::signed_data_ok(der),
            cms::signed_data::SignedData::from_der(der).is_ok()
        ),
        1 => assert_eq!(
            asn1::crl_ok(der),
            <x509_cert::crl::CertificateList>::from_der(der).is_ok()
        ),
        2 => assert_eq!(asn1::general_names(der), x509_general_names(der)),
        _ => {
            let tsa = |chain: &[&[u8]]| oms_edge_core::CertificateAuthority {
                uri: String::new(),
                chain: chain.iter().map(|c| c.to_vec()).collect(),
                valid_for: Default::default(),
            };
            let _ = asn1::verify_timestamp(der, TSA_SIGNATURE, &[tsa(&TSA_EC), tsa(&TSA_RSA)]);
        }
    }
}

/// x509-cert's reading of a `GeneralNames`, in the terms of
/// `__fuzz::asn1::general_names`.
fn x509_general_names(der: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    use der::{Decode, Encode};
    use x509_cert::ext::pkix::name::GeneralName;
    let san = x509_cert::ext::pkix::SubjectAltName::from_der(der).ok()?;
    san.0
        .iter()
        .map(|n| {
            Some(match n {
                GeneralName::OtherName(o) => (
                    0,
                    [o.type_id.to_der().ok()?, o.value.to_der().ok()?].concat(),
                ),
                GeneralName::Rfc822Name(s) => (1, s.as_bytes().to_vec()),
                GeneralName::DnsName(s) => (2, s.as_bytes().to_vec()),
                GeneralName::UniformResourceIdentifier(s) => (6, s.as_bytes().to_vec()),
                _ => (9, Vec::new()),
            })
        })
        .collect()
}

/// The TUF update path (`oms_edge_core::tuf`): the first byte picks which
/// file of a real update (Sigstore's production repository, 2025-10-15 →
/// 2026-08-21: root 13 → 14 → 15) the rest replaces, and how expiry is
/// checked; the whole update then runs (for the timestamp, snapshot,
/// targets and target slots, from a cached state after the real roots, so
/// that the fuzzer spends its time on the input). A target file other than
/// the signed one must never be accepted.
pub fn tuf(data: &[u8]) {
    use std::sync::OnceLock;

    use oms_edge_core::tuf::{Expiry, Role, TimestampUpdate, TufError, Updater, metadata_info};
    macro_rules! prod {
        ($p:literal) => {
            include_bytes!(concat!("../../testdata/tuf/sigstore-prod/", $p)).as_slice()
        };
    }
    const TARGET: &[u8] = prod!("2026-08-21/targets/trusted_root.json");
    let Some((&selector, doc)) = data.split_first() else {
        return;
    };
    let mut files = [
        prod!("2025-10-15/metadata/root.json"),
        prod!("2025-10-15/metadata/timestamp.json"),
        prod!("2025-10-15/metadata/snapshot.json"),
        prod!("2026-08-21/metadata/root_history/14.root.json"),
        prod!("2026-08-21/metadata/root_history/15.root.json"),
        prod!("2026-08-21/metadata/timestamp.json"),
        prod!("2026-08-21/metadata/snapshot.json"),
        prod!("2026-08-21/metadata/targets.json"),
        TARGET,
    ];
    let slot = usize::from(selector % 9);
    files[slot] = doc;
    // 2026-08-22T00:00:00Z: the real update is fresh then.
    let now = 1_787_356_800;
    let mode = usize::from(selector / 9) % 3;
    let expiry = [
        Expiry::Enforce { now },
        Expiry::AllowExpired { now },
        Expiry::NoClock,
    ][mode];
    let roots = |f: &[&[u8]; 9]| -> Result<Updater, TufError> {
        let mut u = Updater::new(f[0], expiry)?;
        u.update_root(f[3])?;
        u.update_root(f[4])?;
        u.finish_roots(Some(f[1]), Some(f[2]))?;
        Ok(u)
    };
    static CACHED: [OnceLock<Updater>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let result = if slot < 5 {
        roots(&files)
    } else {
        Ok(CACHED[mode]
            .get_or_init(|| roots(&files).expect("the real roots"))
            .clone())
    }
    .and_then(|mut u| {
        if u.update_timestamp(files[5])? == TimestampUpdate::New {
            u.update_snapshot(files[6])?;
            u.update_targets(files[7])?;
            u.verify_target("trusted_root.json", files[8])?;
            return Ok(Some(files[8]));
        }
        Ok(None)
    });
    match result {
        Ok(Some(target)) => assert_eq!(
            target, TARGET,
            "accepted a target file the targets metadata does not pin"
        ),
        Ok(None) => {}
        Err(e) => {
            let _ = (
                e.to_string(),
                e.spec_step(),
                e.check().as_str(),
                e.role.name(),
            );
        }
    }
    for role in [Role::Root, Role::Timestamp, Role::Snapshot, Role::Targets] {
        let _ = metadata_info(doc, role);
    }
}
