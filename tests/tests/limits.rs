//! Every bound in `oms_edge_core::limits`, at the limit and one past it.
//!
//! At the limit the input must get past the bound's check (accepted, or
//! failing only at a later check, shown by its different error); one past
//! it, a typed error, never a panic.
//!
//! | limit | test | how |
//! |---|---|---|
//! | `MAX_BUNDLE_BYTES` (256 MiB) | [`bundle_bytes`] | Not built at full size: a zero-filled buffer (mapped lazily, never written past the real bundle at its start) of exactly the limit passes the size check and fails at the JSON's trailing NULs; one byte more is `TooLarge` before any byte is read. The CLI refuses a sparse file of limit + 1 before reading it. |
//! | `MAX_JSON_DEPTH` (64) | [`json_depth`] | `json::parse`, and an unknown bundle member nested to the limit |
//! | `MAX_DSSE_SIGNATURES` (16) | [`dsse_signatures`] | Not an accept/reject threshold: OMS wants exactly one signature, so 2, 16, 17 and 10 000 are all `MultipleSignatures`; the limit only stops the counting early. |
//! | `MAX_SIGNATURE_BYTES` (512, an RSA-4096 signature) | [`signature_bytes`] | a 512-byte `sig` reaches the ECDSA decoder (`SignatureEncoding`), 513 is `sig` `TooLong` |
//! | `MAX_SPKI_BYTES` (256) | [`spki_bytes`] | no valid P-256/384/521 SPKI is that long, so an SPKI for an unsupported curve padded to 256 bytes is parsed (`UnsupportedKey`); 257 bytes is `Spki`, also inside a PEM document, whose base64 (344 characters at most) is decoded in a buffer sized for the bound: 260 bytes are `Pem` there |
//! | `MAX_PEM_BYTES` (64 KiB) | [`pem_bytes`] | the sample key after explanatory text, 64 KiB in all, is read; one byte more is `Pem` |
//! | `MAX_RESOURCES` (2^22) | [`resources_unreachable_through_a_bundle`], [`resources_at_full_size`] (`#[ignore]`d: ~430 MB of JSON; run with `cargo test --release -p oms-edge-tests --test limits -- --ignored`) | every resource carries at least 64 hex digits, so a bundle of `MAX_BUNDLE_BYTES` cannot list 2^22 of them; the full-size test reads the raw payload |
//! | `MAX_NAME_BYTES` (4096) | [`name_bytes`] | a signed bundle with a 4096-byte name verifies, model included (the planner's path buffer is exactly that long); also for escaped and multi-byte names and a shard whose path is 4096 bytes (its `:start:end` does not count); 4097 is `NameTooLong` |
//! | `MAX_SHARD_SUFFIX_BYTES` (42) | [`name_bytes`] | a 4096-byte path with the longest `u64` range suffix gets past the length check; one digit more is `NameTooLong` |
//! | `MAX_DIGEST_HEX` (128) | [`digest_hex`] | BLAKE2b-512 with 128 hex digits is read; 129 and 130 are `BadDigest` |
//! | `MAX_SHARD_SIZE` (`u64::MAX`) | [`shard_size`] | 2^53, `1e+16` and the largest `u64` a binary64 float holds (also as `...0` and with an exponent) are read; 2^53 + 1 and `u64::MAX` (which a float reader rounds), 2^64, fractions, negatives and zero are `ShardSize` |
//! | `MAX_IGNORE_PATHS` (1024) | [`ignore_paths`] | 1024 entries are read; 1025 is `ignore_paths` `TooLong` |
//! | `MAX_CHAIN_CERTS` (8) | [`chain_certs`] | 8 copies of a leaf pass the length check and fail the path search (`UnknownIssuer` at the leaf); 9 are `ChainTooLong`, in `validate_chain` and in a bundle; through supplied intermediates ([`path_depth`]), a path of 8 below the anchor is built, one of 9 is `ChainTooLong` |
//! | `MAX_PATH_SEARCH_SIGNATURES` (64) | [`path_search_signatures`] | a pool of same-named intermediates that sign nothing costs one check each: 63 leave room for the real issuer, 64 exhaust the search (`PathSearchLimit`) |
//! | `MAX_CERT_BYTES` (16 KiB) | [`cert_bytes`] | a real leaf whose signature BIT STRING is padded to a 16 KiB certificate parses; 16 KiB + 1 does not (`TrustMaterial`, or `Encoding` in a bundle) |
//! | `MAX_TRUST_CERTS` (256) | [`trust_certs`] | 256 certificates are added; the 257th is `TrustMaterial` |

use oms_edge_core::__fuzz::{self, Bundle, Cert};
use oms_edge_core::limits::*;
use oms_edge_core::{
    BundleError, CertPosition, CertificateError, CertificateVerifier, Digest, DsseError, Error,
    Field, HashAlgorithm, JsonError, KeyError, KeyVerifier, Manifest, ManifestError, ModelOptions,
    Problem, PublicKey, SliceModel, StatementError, Time, TrustStore, UnixTime, Verifier,
};
use oms_edge_tests::forge::{
    self, Res, b64, bundle_with_sig, content_len_for, files_serialization, hex, sign_bundle,
    statement, tlv,
};
use oms_edge_tests::{testdata, verify_args};
use sha2::{Digest as _, Sha256};

fn sample_bundle() -> Vec<u8> {
    std::fs::read(testdata().join("sample/model.sig")).expect("sample bundle")
}

fn sample_key() -> PublicKey {
    let pem = std::fs::read(testdata().join("sample/key.pub")).expect("sample key");
    PublicKey::from_pem_or_der(&pem).expect("sample key")
}

fn verify_key(bundle: &[u8], key: &PublicKey) -> Result<usize, Error> {
    let mut buf = vec![0u8; bundle.len()];
    KeyVerifier::new(*key)
        .verify(bundle, Time::NoClock, &mut buf)
        .map(|v| v.manifest().len())
}

fn manifest_len(payload: &str) -> Result<usize, Error> {
    Manifest::parse_unverified(payload.as_bytes()).map(|m| m.len())
}

#[test]
fn bundle_bytes() {
    let sample = sample_bundle();
    // `vec![0; n]` is calloc'd: untouched pages cost no memory, and reading
    // them (the UTF-8 check) maps the shared zero page.
    let mut at = vec![0u8; MAX_BUNDLE_BYTES];
    at[..sample.len()].copy_from_slice(&sample);
    assert_eq!(
        Bundle::parse(&at).err(),
        Some(BundleError::Json(JsonError::TrailingData)),
        "at the limit: past the size check, the bundle is read"
    );
    drop(at);
    let over = vec![0u8; MAX_BUNDLE_BYTES + 1];
    assert_eq!(Bundle::parse(&over).err(), Some(BundleError::TooLarge));
    drop(over);
    assert!(Bundle::parse(&sample).is_ok());

    // The CLI checks the file's size before reading it: a sparse file.
    let tmp = tempfile::tempdir().expect("tempdir");
    let sig = tmp.path().join("model.sig");
    let f = std::fs::File::create(&sig).expect("create");
    f.set_len(MAX_BUNDLE_BYTES as u64 + 1).expect("set_len");
    drop(f);
    let run = oms_edge::verify::key(&oms_edge::KeyArgs {
        public_key: testdata().join("sample/key.pub"),
        common: verify_args(sig, testdata().join("sample/model")),
    });
    match run {
        oms_edge::verify::Run::Usage(e) => {
            assert!(e.message.contains("is larger than"), "{e:?}")
        }
        other => panic!("oversized signature file: {other:?}"),
    }
}

#[test]
fn json_depth() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(__fuzz::parse_json(nested(MAX_JSON_DEPTH).as_bytes()).is_ok());
    assert_eq!(
        __fuzz::parse_json(nested(MAX_JSON_DEPTH + 1).as_bytes()),
        Err(JsonError::TooDeep)
    );
    // In a bundle: the top-level object is one level, an unknown member's
    // value the rest.
    let sample = String::from_utf8(sample_bundle()).expect("UTF-8");
    let with = |depth: usize| format!("{{\"x\":{},{}", nested(depth), &sample[1..]);
    let key = sample_key();
    assert_eq!(verify_key(with(MAX_JSON_DEPTH - 1).as_bytes(), &key), Ok(3));
    assert_eq!(
        verify_key(with(MAX_JSON_DEPTH).as_bytes(), &key),
        Err(Error::Bundle(BundleError::Json(JsonError::TooDeep)))
    );
}

/// The sample bundle with its one signature object repeated `n` times.
fn with_signatures(n: usize) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(&sample_bundle()).expect("JSON");
    let sig = v["dsseEnvelope"]["signatures"][0].clone();
    v["dsseEnvelope"]["signatures"] = serde_json::Value::Array(vec![sig; n]);
    serde_json::to_vec(&v).expect("JSON")
}

#[test]
fn dsse_signatures() {
    let key = sample_key();
    assert_eq!(verify_key(&with_signatures(1), &key), Ok(3));
    for n in [2, MAX_DSSE_SIGNATURES, MAX_DSSE_SIGNATURES + 1, 10_000] {
        assert_eq!(
            verify_key(&with_signatures(n), &key),
            Err(Error::Dsse(DsseError::MultipleSignatures)),
            "{n} signatures"
        );
    }
}

#[test]
fn signature_bytes() {
    let payload = statement(
        &files_serialization("sha256"),
        &[Res::sha256("a", b"hello")],
    );
    let key = forge::public_key();
    assert_eq!(verify_key(&sign_bundle(payload.as_bytes()), &key), Ok(1));
    // At the limit the bytes reach the ECDSA decoder, which refuses them.
    let at = bundle_with_sig(payload.as_bytes(), &[0x30; MAX_SIGNATURE_BYTES]);
    assert_eq!(
        verify_key(&at, &key),
        Err(Error::Dsse(DsseError::SignatureEncoding))
    );
    let too_long = Err(Error::Dsse(DsseError::Field {
        field: Field::Sig,
        problem: Problem::TooLong,
    }));
    let over = bundle_with_sig(payload.as_bytes(), &[0x30; MAX_SIGNATURE_BYTES + 1]);
    assert_eq!(verify_key(&over, &key), too_long);
    // Far over: the base64 text no longer fits the decoding buffer.
    let far = bundle_with_sig(payload.as_bytes(), &[0x30; 10 * MAX_SIGNATURE_BYTES]);
    assert_eq!(verify_key(&far, &key), too_long);
}

/// A DER SPKI on secp256k1 (parsed, but not a curve OMS uses), `total`
/// bytes long.
fn spki_of_len(total: usize) -> Vec<u8> {
    const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    const SECP256K1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x0a];
    let alg = tlv(
        0x30,
        &[tlv(0x06, EC_PUBLIC_KEY), tlv(0x06, SECP256K1)].concat(),
    );
    let content = content_len_for(total).expect("length");
    let bits = content_len_for(content - alg.len()).expect("length");
    let mut point = vec![0x00, 0x04];
    point.resize(bits, 0x11);
    let der = tlv(0x30, &[alg, tlv(0x03, &point)].concat());
    assert_eq!(der.len(), total);
    der
}

#[test]
fn spki_bytes() {
    let at = spki_of_len(MAX_SPKI_BYTES);
    assert_eq!(PublicKey::from_spki_der(&at), Err(KeyError::UnsupportedKey));
    assert_eq!(
        PublicKey::from_pem_or_der(&at),
        Err(KeyError::UnsupportedKey)
    );
    let over = spki_of_len(MAX_SPKI_BYTES + 1);
    assert_eq!(PublicKey::from_spki_der(&over), Err(KeyError::Spki));
    assert_eq!(PublicKey::from_pem_or_der(&over), Err(KeyError::Spki));
    let pem = |der: &[u8]| {
        pem_rfc7468::encode_string("PUBLIC KEY", pem_rfc7468::LineEnding::LF, der)
            .expect("PEM")
            .into_bytes()
    };
    assert_eq!(
        PublicKey::from_pem_or_der(&pem(&at)),
        Err(KeyError::UnsupportedKey)
    );
    // The PEM text is decoded into a buffer sized for MAX_SPKI_BYTES of
    // DER: 257 and 258 bytes still fit its base64 (344 characters) and are
    // refused as too long an SPKI; 260 do not fit.
    assert_eq!(PublicKey::from_pem_or_der(&pem(&over)), Err(KeyError::Spki));
    let beyond = spki_of_len(MAX_SPKI_BYTES + 4);
    assert_eq!(
        PublicKey::from_pem_or_der(&pem(&beyond)),
        Err(KeyError::Pem)
    );
}

#[test]
fn pem_bytes() {
    let pem = std::fs::read(testdata().join("sample/key.pub")).expect("sample key");
    let padded = |total: usize| {
        let mut text = vec![b'x'; total - pem.len() - 1];
        text.push(b'\n');
        text.extend_from_slice(&pem);
        assert_eq!(text.len(), total);
        text
    };
    assert_eq!(
        PublicKey::from_pem_or_der(&padded(MAX_PEM_BYTES)),
        Ok(sample_key())
    );
    assert_eq!(
        PublicKey::from_pem_or_der(&padded(MAX_PEM_BYTES + 1)),
        Err(KeyError::Pem)
    );
}

#[test]
fn resources_unreachable_through_a_bundle() {
    // A resource holds at least a 64-digit hex digest in quotes, and a
    // bundle's payload is base64: at most 3/4 of the bundle.
    let min_resource = 64 + 2;
    assert!(MAX_RESOURCES * min_resource > MAX_BUNDLE_BYTES / 4 * 3);
}

/// A manifest of `n` files named by zero-padded hex (so that they sort),
/// all with the same digest, built without a second copy.
fn manifest_of(n: usize) -> String {
    let digest = hex(&Sha256::digest(b"x"));
    let raw = Sha256::digest(b"x");
    let mut root = Sha256::new();
    let mut list = String::with_capacity(n * 100);
    for i in 0..n {
        if i > 0 {
            list.push(',');
        }
        list.push_str(&format!(
            r#"{{"name":"{i:07x}","algorithm":"sha256","digest":"{digest}"}}"#
        ));
        root.update(raw);
    }
    format!(
        r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"m","digest":{{"sha256":"{}"}}}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{{"serialization":{},"resources":[{list}]}}}}"#,
        hex(&root.finalize()),
        files_serialization("sha256")
    )
}

#[test]
#[ignore = "430 MB of JSON: run with --release -- --ignored"]
fn resources_at_full_size() {
    assert_eq!(manifest_len(&manifest_of(MAX_RESOURCES)), Ok(MAX_RESOURCES));
    assert_eq!(
        manifest_len(&manifest_of(MAX_RESOURCES + 1)),
        Err(Error::Manifest {
            index: MAX_RESOURCES,
            cause: ManifestError::TooManyResources,
        })
    );
}

#[test]
fn name_bytes() {
    let content = b"hello";
    let name_err = Err(Error::Manifest {
        index: 0,
        cause: ManifestError::NameTooLong,
    });
    // Through a signed bundle and the model, at the limit.
    let name = "a".repeat(MAX_NAME_BYTES);
    let payload = statement(
        &files_serialization("sha256"),
        &[Res::sha256(&name, content)],
    );
    let bundle = sign_bundle(payload.as_bytes());
    let key = forge::public_key();
    let mut buf = vec![0u8; bundle.len()];
    let verified = KeyVerifier::new(key)
        .verify(&bundle, Time::NoClock, &mut buf)
        .expect("verifies");
    let manifest = verified.manifest();
    let files: [(&str, &[u8]); 1] = [(&name, content)];
    let mut listed = [false; 1];
    let mut source = SliceModel::new(&files, &mut listed);
    let mut hash_buf = [0u8; 64];
    let verified = manifest
        .verify_model(&mut source, ModelOptions::default(), &mut hash_buf)
        .expect("model verifies");
    assert_eq!(verified.resources, 1);
    let over = "a".repeat(MAX_NAME_BYTES + 1);
    let payload = statement(
        &files_serialization("sha256"),
        &[Res::sha256(&over, content)],
    );
    assert_eq!(verify_key(&sign_bundle(payload.as_bytes()), &key), name_err);

    // The bound is on unescaped UTF-8 bytes: escapes and multi-byte
    // characters count as what they decode to.
    let cases = [
        (
            "\\u0061".repeat(MAX_NAME_BYTES),
            "\\u0061".repeat(MAX_NAME_BYTES + 1),
        ),
        (
            "é".repeat(MAX_NAME_BYTES / 2),
            format!("{}a", "é".repeat(MAX_NAME_BYTES / 2)),
        ),
        (
            "\\u00e9".repeat(MAX_NAME_BYTES / 2),
            format!("a{}", "\\u00e9".repeat(MAX_NAME_BYTES / 2)),
        ),
    ];
    for (at, over) in cases {
        let ser = files_serialization("sha256");
        assert_eq!(
            manifest_len(&statement(&ser, &[Res::sha256(&at, content)])),
            Ok(1)
        );
        assert_eq!(
            manifest_len(&statement(&ser, &[Res::sha256(&over, content)])),
            name_err
        );
    }

    // A shard's `:start:end` does not count: the bound is on its path,
    // also with the longest suffix a `u64` range can have.
    let ser = r#"{"method":"shards","hash_type":"sha256","allow_symlinks":false,"shard_size":5}"#;
    let at = format!("{}:0:5", "a".repeat(MAX_NAME_BYTES));
    let over = format!("{}:0:5", "a".repeat(MAX_NAME_BYTES + 1));
    assert_eq!(
        manifest_len(&statement(ser, &[Res::sha256(&at, content)])),
        Ok(1)
    );
    assert_eq!(
        manifest_len(&statement(ser, &[Res::sha256(&over, content)])),
        name_err
    );
    let big = u64::MAX; // a multiple of 5
    let longest = format!(":{}:{}", big - 5, big);
    assert!(longest.len() <= MAX_SHARD_SUFFIX_BYTES);
    let at = format!("{}{longest}", "a".repeat(MAX_NAME_BYTES));
    // The range is past the file's first shard (not contiguous), so it
    // gets past the length check and fails at the shard check.
    assert_eq!(
        manifest_len(&statement(ser, &[Res::sha256(&at, content)])),
        Err(Error::Manifest {
            index: 0,
            cause: ManifestError::ShardsNotContiguous
        })
    );
    // A suffix longer than any `u64` range stops the counting.
    let at = format!("{}:{}:{}0", "a".repeat(MAX_NAME_BYTES), big - 5, big);
    assert_eq!(
        manifest_len(&statement(ser, &[Res::sha256(&at, content)])),
        name_err
    );

    // The planner's path buffer (exactly MAX_NAME_BYTES) holds the path of
    // a shard at the limit: the model verifies.
    let path = "a".repeat(MAX_NAME_BYTES);
    let name = format!("{path}:0:5");
    let payload = statement(ser, &[Res::sha256(&name, content)]);
    let bundle = sign_bundle(payload.as_bytes());
    let mut buf = vec![0u8; bundle.len()];
    let verified = KeyVerifier::new(key)
        .verify(&bundle, Time::NoClock, &mut buf)
        .expect("verifies");
    let manifest = verified.manifest();
    let files: [(&str, &[u8]); 1] = [(&path, content)];
    let mut listed = [false; 1];
    let mut source = SliceModel::new(&files, &mut listed);
    let mut hash_buf = [0u8; 64];
    let verified = manifest
        .verify_model(&mut source, ModelOptions::default(), &mut hash_buf)
        .expect("sharded model verifies");
    assert_eq!(verified.resources, 1);
}

#[test]
fn digest_hex() {
    let digest = |hex_digits: &str| Res {
        name: "a".to_owned(),
        algorithm: "blake2b".to_owned(),
        digest: hex_digits.to_owned(),
    };
    let full = "ab".repeat(MAX_DIGEST_HEX / 2);
    let ser = files_serialization("blake2b");
    assert_eq!(manifest_len(&statement(&ser, &[digest(&full)])), Ok(1));
    for over in [format!("{full}a"), format!("{full}ab")] {
        assert_eq!(
            manifest_len(&statement(&ser, &[digest(&over)])),
            Err(Error::Manifest {
                index: 0,
                cause: ManifestError::BadDigest
            })
        );
    }
    assert!(Digest::from_hex(HashAlgorithm::Blake2b, full.bytes()).is_some());
    assert!(Digest::from_hex(HashAlgorithm::Blake2b, format!("{full}ab").bytes()).is_none());
    // No algorithm has a longer digest.
    for alg in HashAlgorithm::ALL {
        assert!(alg.digest_len() * 2 <= MAX_DIGEST_HEX);
    }
}

#[test]
fn shard_size() {
    let ser = |size: &str| {
        format!(
            r#"{{"method":"shards","hash_type":"sha256","allow_symlinks":false,"shard_size":{size}}}"#
        )
    };
    let shard = [Res::sha256("w:0:5", b"hello")];
    // Any integer a binary64 float holds exactly, up to u64::MAX (the
    // largest is 2^64 - 2^11), whether written as an integer, with `.0`
    // or with an exponent: `1e+16` is a signer's "never shard".
    let max_exact = u64::MAX - (1 << 11) + 1;
    for at in [
        (1u64 << 53).to_string(),
        format!("{}.0", 1u64 << 53),
        "9.007199254740992e15".to_owned(),
        (1u64 << 53 | 2).to_string(),
        "1e+16".to_owned(),
        "1E16".to_owned(),
        "10000000000000000.0".to_owned(),
        max_exact.to_string(),
        format!("{max_exact}.0"),
    ] {
        assert_eq!(manifest_len(&statement(&ser(&at), &shard)), Ok(1), "{at}");
    }
    assert_eq!(MAX_SHARD_SIZE, u64::MAX);
    let refused = Err(StatementError::ShardSize.into());
    for over in [
        // Not what a float reader reads: 2^53 + 1 and u64::MAX round.
        (1u64 << 53 | 1).to_string(),
        "9.007199254740993e15".to_owned(),
        MAX_SHARD_SIZE.to_string(),
        // Past u64 (an infinity to a float reader).
        "18446744073709551616".to_owned(),
        "1e20".to_owned(),
        "1e400".to_owned(),
        // Fractions, negatives, zero.
        "1000.5".to_owned(),
        "1e-1".to_owned(),
        "-16".to_owned(),
        "-1.6e1".to_owned(),
        "0".to_owned(),
        "-0.0".to_owned(),
    ] {
        assert_eq!(
            manifest_len(&statement(&ser(&over), &shard)),
            refused,
            "{over}"
        );
    }
    // NaN and Infinity, as Python's json writes them, are no JSON at all.
    for not_json in ["NaN", "Infinity", "-Infinity"] {
        assert!(
            matches!(
                manifest_len(&statement(&ser(not_json), &shard)),
                Err(Error::Statement(StatementError::Json(_)))
            ),
            "{not_json}"
        );
    }
}

#[test]
fn ignore_paths() {
    let ser = |n: usize| {
        let list: Vec<String> = (0..n).map(|i| format!("\"ignored/{i}\"")).collect();
        format!(
            r#"{{"method":"files","hash_type":"sha256","allow_symlinks":false,"ignore_paths":[{}]}}"#,
            list.join(",")
        )
    };
    let res = [Res::sha256("a", b"hello")];
    assert_eq!(
        manifest_len(&statement(&ser(MAX_IGNORE_PATHS), &res)),
        Ok(1)
    );
    assert_eq!(
        manifest_len(&statement(&ser(MAX_IGNORE_PATHS + 1), &res)),
        Err(StatementError::Field {
            field: Field::IgnorePaths,
            problem: Problem::TooLong
        }
        .into())
    );
}

fn pki_der(name: &str) -> Vec<u8> {
    let pem = std::fs::read(testdata().join("pki").join(name)).expect("PEM");
    let (label, der) = pem_rfc7468::decode_vec(&pem).expect("PEM");
    assert_eq!(label, "CERTIFICATE");
    der
}

/// 2026-06-01, inside every test certificate's validity.
const AT: UnixTime = UnixTime::from_secs(1_780_272_000);

/// The path checks of the certificate method over a decoded chain.
fn validate_chain(chain: &[Cert], store: &TrustStore, at: UnixTime) -> Result<(), Error> {
    __fuzz::validate_chain(chain, store, at)
        .map(|_| ())
        .map_err(Error::from)
}

/// The `cert-p256` vector's bundle with its certificate list replaced.
fn cert_bundle_with(certs: &[Vec<u8>]) -> Vec<u8> {
    let path = testdata().join("vectors/cert-p256/model.sig");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("bundle")).expect("JSON");
    let list = certs
        .iter()
        .map(|c| serde_json::json!({ "rawBytes": b64(c) }))
        .collect();
    v["verificationMaterial"]["x509CertificateChain"]["certificates"] =
        serde_json::Value::Array(list);
    serde_json::to_vec(&v).expect("JSON")
}

fn root_store() -> TrustStore {
    let mut store = TrustStore::new();
    store.add_der(&pki_der("p256-root.pem")).expect("root");
    store
}

fn cert_verify(bundle: &[u8]) -> Result<usize, Error> {
    let mut buf = vec![0u8; bundle.len()];
    CertificateVerifier::new(root_store())
        .verify(bundle, Time::Now(AT), &mut buf)
        .map(|v| v.manifest().len())
}

#[test]
fn chain_certs() {
    let leaf = pki_der("p256-signer.pem");
    let cert = Cert::from_der(&leaf).expect("leaf");
    let store = root_store();
    // Copies of the leaf are no issuer of it: the search ends at the leaf.
    let no_issuer = Error::Certificate(CertificateError::UnknownIssuer {
        at: CertPosition::Bundle(0),
    });
    let too_long = Error::Certificate(CertificateError::ChainTooLong);
    let at = vec![cert.clone(); MAX_CHAIN_CERTS];
    assert_eq!(validate_chain(&at, &store, AT).err(), Some(no_issuer));
    let over = vec![cert; MAX_CHAIN_CERTS + 1];
    assert_eq!(validate_chain(&over, &store, AT).err(), Some(too_long));

    // In a bundle (the real chain verifies).
    let real = [leaf.clone(), pki_der("p256-intermediate.pem")];
    assert!(cert_verify(&cert_bundle_with(&real)).is_ok());
    let at = vec![leaf.clone(); MAX_CHAIN_CERTS];
    assert_eq!(cert_verify(&cert_bundle_with(&at)), Err(no_issuer));
    let over = vec![leaf; MAX_CHAIN_CERTS + 1];
    assert_eq!(cert_verify(&cert_bundle_with(&over)), Err(too_long));
}

/// Every certificate of a PEM file of `testdata/pki`, DER.
fn pki_ders(name: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(testdata().join("pki").join(name)).expect("PEM");
    text.split_inclusive("-----END CERTIFICATE-----\n")
        .map(|block| pem_rfc7468::decode_vec(block.as_bytes()).expect("PEM").1)
        .collect()
}

#[test]
fn path_search_signatures() {
    let leaf = Cert::from_der(&pki_der("p256-signer.pem")).expect("leaf");
    let inter = pki_der("p256-intermediate.pem");
    // Decoys: the intermediate with one byte of its EC point changed, at a
    // different place each: the same name, no key that signed the leaf.
    let spki = Cert::from_der(&inter)
        .expect("intermediate")
        .public_key()
        .expect("key");
    let mut buf = [0u8; MAX_SPKI_BYTES];
    let spki = spki.to_spki_der(&mut buf).expect("SPKI").to_vec();
    let at = inter
        .windows(spki.len())
        .position(|w| w == spki.as_slice())
        .expect("SPKI in the certificate");
    let decoy = |i: usize| {
        let mut d = inter.clone();
        d[at + spki.len() - 1 - i] ^= 1;
        d
    };
    let store_with = |decoys: usize| {
        let mut store = root_store();
        for i in 0..decoys {
            store.add_der(&decoy(i)).expect("decoy");
        }
        store.add_der(&inter).expect("intermediate");
        store
    };
    // Each decoy costs one check, then the intermediate and the root one
    // each: MAX - 2 decoys fit, MAX - 1 exhaust the search.
    let fits = store_with(MAX_PATH_SEARCH_SIGNATURES - 2);
    assert!(validate_chain(std::slice::from_ref(&leaf), &fits, AT).is_ok());
    let exhausts = store_with(MAX_PATH_SEARCH_SIGNATURES - 1);
    assert_eq!(
        validate_chain(std::slice::from_ref(&leaf), &exhausts, AT).err(),
        Some(Error::Certificate(CertificateError::PathSearchLimit))
    );
}

#[test]
fn path_depth() {
    // root -> 8 intermediates -> leaf (testdata/pki/deep-chain.pem): the
    // intermediates supplied, the bundle holding only the leaf.
    let certs = pki_ders("deep-chain.pem");
    assert_eq!(certs.len(), 10);
    let mut store = TrustStore::new();
    store.add_der(&certs[0]).expect("root");
    for c in &certs[1..9] {
        store.add_der(c).expect("intermediate");
    }
    // A path of MAX_CHAIN_CERTS below the anchor is built: the last
    // intermediate as the leaf (then refused as one that cannot sign).
    let last = Cert::from_der(&certs[8]).expect("intermediate");
    assert_eq!(
        validate_chain(std::slice::from_ref(&last), &store, AT).err(),
        Some(Error::Certificate(CertificateError::LeafCannotSign))
    );
    // One more is too long.
    let leaf = Cert::from_der(&certs[9]).expect("leaf");
    assert_eq!(
        validate_chain(std::slice::from_ref(&leaf), &store, AT).err(),
        Some(Error::Certificate(CertificateError::ChainTooLong))
    );
}

/// Splits a DER TLV into (header length, content length).
fn der_header(b: &[u8]) -> (usize, usize) {
    let first = b[1] as usize;
    if first < 0x80 {
        return (2, first);
    }
    let n = first & 0x7f;
    let len = b[2..2 + n].iter().fold(0usize, |a, &x| a << 8 | x as usize);
    (2 + n, len)
}

/// `der` (a certificate) with its signature BIT STRING padded so that the
/// whole is `total` bytes. The signature no longer verifies; parsing does
/// not check it.
fn cert_of_len(der: &[u8], total: usize) -> Vec<u8> {
    let (h, _) = der_header(der);
    let body = &der[h..];
    let (th, tl) = der_header(body);
    let tbs = &body[..th + tl];
    let (ah, al) = der_header(&body[th + tl..]);
    let alg = &body[th + tl..th + tl + ah + al];
    let content = content_len_for(total).expect("length");
    let bits = content_len_for(content - tbs.len() - alg.len()).expect("length");
    let mut sig = vec![0x00];
    sig.resize(bits, 0x5a);
    let out = tlv(0x30, &[tbs, alg, &tlv(0x03, &sig)].concat());
    assert_eq!(out.len(), total);
    out
}

#[test]
fn cert_bytes() {
    let leaf = pki_der("p256-signer.pem");
    let at = cert_of_len(&leaf, MAX_CERT_BYTES);
    let over = cert_of_len(&leaf, MAX_CERT_BYTES + 1);
    assert!(Cert::from_der(&at).is_some());
    assert!(Cert::from_der(&over).is_none());
    let mut store = TrustStore::new();
    assert_eq!(store.add_der(&at), Ok(()));
    assert_eq!(store.add_der(&over), Err(CertificateError::TrustMaterial));
    // In a bundle: the padded leaf is read and then fails its signature.
    let inter = pki_der("p256-intermediate.pem");
    assert_eq!(
        cert_verify(&cert_bundle_with(&[at, inter.clone()])),
        Err(Error::Certificate(CertificateError::BadSignature {
            at: CertPosition::Bundle(0)
        }))
    );
    assert_eq!(
        cert_verify(&cert_bundle_with(&[over, inter])),
        Err(Error::Certificate(CertificateError::Encoding {
            at: CertPosition::Bundle(0)
        }))
    );
}

#[test]
fn trust_certs() {
    let root = pki_der("p256-root.pem");
    let mut store = TrustStore::new();
    for i in 0..MAX_TRUST_CERTS {
        assert_eq!(store.add_der(&root), Ok(()), "certificate {i}");
    }
    assert_eq!(store.add_der(&root), Err(CertificateError::TrustMaterial));
    assert_eq!(store.anchor_count(), MAX_TRUST_CERTS);
}
