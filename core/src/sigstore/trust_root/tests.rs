//! Tests of `trust_root`.

use super::*;
use alloc::format;
use alloc::string::ToString;
use alloc::vec;
use base64ct::{Base64, Encoding as _};
use sha2::{Digest, Sha256};

const PRODUCTION: &str = match core::str::from_utf8(PRODUCTION_TRUSTED_ROOT) {
    Ok(s) => s,
    Err(_) => panic!("not UTF-8"),
};
const REKOR_ID: &str = "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=";
const REKOR_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==";

fn b64(s: &str) -> Vec<u8> {
    Base64::decode_vec(s).unwrap()
}

/// The production root with the first `from` replaced by `to`.
fn production_with(from: &str, to: &str) -> Result<TrustedRoot, TrustRootError> {
    assert!(PRODUCTION.contains(from), "{from:?} not in the root");
    TrustedRoot::parse(PRODUCTION.replacen(from, to, 1).as_bytes())
}

/// Each case: the production root with `from` replaced by `to` fails so.
fn rejects(cases: &[(&str, &str, TrustRootError)]) {
    for &(from, to, err) in cases {
        assert_eq!(production_with(from, to), Err(err), "{from:?} -> {to:?}");
    }
}

fn field(at: Location, field: Field, problem: Problem) -> TrustRootError {
    TrustRootError::Field { at, field, problem }
}

fn tlog(key: &str, id: &str) -> String {
    format!(
        r#"{{"baseUrl":"https://rekor.example","hashAlgorithm":"SHA2_256",
            "publicKey":{{"rawBytes":"{key}","keyDetails":"PKIX_ECDSA_P256_SHA_256",
            "validFor":{{"start":"2021-01-12T11:53:27Z"}}}},"logId":{{"keyId":"{id}"}}}}"#
    )
}

fn root(members: &str) -> String {
    format!(
        r#"{{"mediaType":"{}"{members}}}"#,
        TRUSTED_ROOT_MEDIA_TYPES[0]
    )
}

fn kinds(logs: &[TransparencyLog]) -> Vec<KeyDetails> {
    logs.iter().map(|l| l.key.details).collect()
}

fn chain_lens(cas: &[CertificateAuthority]) -> Vec<usize> {
    cas.iter().map(|c| c.chain.len()).collect()
}

#[test]
fn bundled_roots_are_the_pinned_files() {
    // The digests written in testdata/fetch-trust-roots.sh and
    // testdata/README.md (sigstore 4.5.1 wheel).
    let hex = |b: &[u8]| {
        Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    };
    assert_eq!(
        hex(PRODUCTION_TRUSTED_ROOT),
        "6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66"
    );
    assert_eq!(
        hex(STAGING_TRUSTED_ROOT),
        "81f5af777952d2c3955062ad56924c05ca916b5d49f3a0bce945faa475a8b1cc"
    );
}

#[test]
fn production_root() {
    use KeyDetails::*;
    let r = TrustedRoot::production().unwrap();
    assert_eq!(kinds(&r.tlogs), [EcdsaP256Sha256, Ed25519]);
    assert_eq!(kinds(&r.ctlogs), [EcdsaP256Sha256, EcdsaP256Sha256]);
    assert_eq!(chain_lens(&r.certificate_authorities), [1, 2]);
    assert_eq!(chain_lens(&r.timestamp_authorities), [2]);

    let rekor = r.tlog_by_id(&b64(REKOR_ID)).unwrap();
    assert_eq!(rekor.base_url, "https://rekor.sigstore.dev");
    assert_eq!(rekor.key.der, b64(REKOR_KEY));
    assert_eq!(
        rekor.valid_for,
        TimeRange::seconds(Some(1_610_452_407), None)
    );
    assert_eq!(r.tlogs[1].base_url, "https://log2025-1.rekor.sigstore.dev");
    assert!(r.tlogs[1].key.ed25519_raw().is_some());
    // Rekor v1 and CT log ids are SHA-256 of the key.
    for l in [&r.tlogs[0], &r.ctlogs[0], &r.ctlogs[1]] {
        assert_eq!(l.log_id, Sha256::digest(&l.key.der).as_slice());
    }
    let ct = r.ctlog_by_id(&r.ctlogs[1].log_id).unwrap();
    assert_eq!(ct.base_url, "https://ctfe.sigstore.dev/2022");
    assert_eq!(r.tlog_by_id(&r.ctlogs[1].log_id), None);
    assert_eq!(r.ctlog_by_id(&[0; 32]), None);
    assert_eq!(
        r.ctlogs[0].valid_for,
        TimeRange {
            start: Some(UnixInstant::from_secs(1_615_680_000)),
            end: Some(UnixInstant {
                secs: 1_667_260_799,
                nanos: 999_000_000
            })
        }
    );
    // `…T23:59:59.999Z` ends at that whole second, inclusive.
    let fulcio = &r.certificate_authorities[0];
    assert_eq!(fulcio.uri, "https://fulcio.sigstore.dev");
    assert_eq!(
        fulcio.valid_for.end,
        Some(UnixInstant {
            secs: 1_672_531_199,
            nanos: 999_000_000
        })
    );
    assert!(fulcio.valid_for.contains(1_672_531_199));
    assert!(!fulcio.valid_for.contains(1_672_531_200));
    assert!(Cert::from_der(&fulcio.chain[0]).is_some());
    let tsa = &r.timestamp_authorities[0];
    assert_eq!(tsa.uri, "https://timestamp.sigstore.dev/api/v1/timestamp");
    assert_eq!(
        tsa.valid_for.start,
        Some(UnixInstant::from_secs(1_751_587_200))
    );
}

#[test]
fn staging_root() {
    use KeyDetails::*;
    let r = TrustedRoot::staging().unwrap();
    assert_eq!(
        kinds(&r.tlogs),
        [EcdsaP256Sha256, Ed25519, Ed25519, Ed25519]
    );
    assert_eq!(
        kinds(&r.ctlogs),
        [
            Pkcs1RsaPkcs1v15Sha256,
            EcdsaP256Sha256,
            EcdsaP256Sha256,
            EcdsaP256Sha256
        ]
    );
    assert_eq!(chain_lens(&r.certificate_authorities), [2]);
    assert_eq!(chain_lens(&r.timestamp_authorities), [2]);
    assert!(r.tlogs.iter().all(|l| l.key.check().is_ok()));
    assert!(r.ctlogs.iter().all(|l| l.key.check().is_ok()));
    assert_ne!(r, TrustedRoot::production().unwrap());
}

#[test]
fn trust_config_wraps_a_root() {
    let config = format!(
        r#"{{"mediaType":"{CLIENT_TRUST_CONFIG_MEDIA_TYPE}","trustedRoot":{PRODUCTION},
            "signingConfig":{{"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json"}}}}"#
    );
    let expected = TrustedRoot::production().unwrap();
    assert_eq!(
        TrustedRoot::parse_trust_config(config.as_bytes()),
        Ok(expected.clone())
    );
    assert_eq!(
        TrustedRoot::parse_any(config.as_bytes()),
        Ok(expected.clone())
    );
    assert_eq!(
        TrustedRoot::parse_any(PRODUCTION_TRUSTED_ROOT),
        Ok(expected)
    );
    // Each parser reads only its own kind.
    assert_eq!(
        TrustedRoot::parse(config.as_bytes()),
        Err(TrustRootError::UnknownMediaType)
    );
    assert_eq!(
        TrustedRoot::parse_trust_config(PRODUCTION_TRUSTED_ROOT),
        Err(TrustRootError::UnknownMediaType)
    );
    // The embedded root is checked like any other.
    let bad = config.replacen("trustedroot+json;version=0.1", "trustedroot+json", 1);
    assert_eq!(
        TrustedRoot::parse_any(bad.as_bytes()),
        Err(TrustRootError::UnknownMediaType)
    );
    let missing = format!(r#"{{"mediaType":"{CLIENT_TRUST_CONFIG_MEDIA_TYPE}"}}"#);
    assert_eq!(
        TrustedRoot::parse_trust_config(missing.as_bytes()),
        Err(field(
            Location::Document,
            Field::TrustedRoot,
            Problem::Missing
        ))
    );
}

#[test]
fn media_types() {
    let old = TRUSTED_ROOT_MEDIA_TYPES[0];
    let expected = TrustedRoot::production().unwrap();
    for m in TRUSTED_ROOT_MEDIA_TYPES {
        assert_eq!(production_with(old, m), Ok(expected.clone()), "{m}");
    }
    for m in [
        "application/vnd.dev.sigstore.trustedroot+json;version=0.2",
        "application/vnd.dev.sigstore.trustedroot.v0.3+json",
        "application/vnd.dev.sigstore.bundle.v0.3+json",
        "",
    ] {
        assert_eq!(
            production_with(old, m),
            Err(TrustRootError::UnknownMediaType),
            "{m}"
        );
    }
    assert_eq!(
        TrustedRoot::parse(b"{}"),
        Err(field(
            Location::Document,
            Field::MediaType,
            Problem::Missing
        ))
    );
    assert_eq!(
        TrustedRoot::parse(b"[]"),
        Err(field(
            Location::Document,
            Field::Document,
            Problem::WrongType
        ))
    );
    // An escaped media type is the same string.
    let escaped = root("").replacen("application/", "application\\/", 1);
    assert_eq!(
        TrustedRoot::parse(escaped.as_bytes()),
        Ok(TrustedRoot::default())
    );
}

#[test]
fn validity_start_is_required() {
    use Field::{End, Start, ValidFor};
    use Location::*;
    rejects(&[
        // sigstore-conformance trust-root-tlog-missing-validity-start_fail.
        (
            r#""start": "2021-01-12T11:53:27Z""#,
            r#""x": 1"#,
            field(Tlog(0), Start, Problem::Missing),
        ),
        (
            r#""start": "2022-04-13T20:06:15Z""#,
            r#""start": null"#,
            field(CertificateAuthority(1), Start, Problem::Missing),
        ),
        (
            r#""validFor": {"#,
            r#""validFrom": {"#,
            field(Tlog(0), ValidFor, Problem::Missing),
        ),
        (
            r#""2025-07-04T00:00:00Z""#,
            r#""2025-07-04""#,
            field(TimestampAuthority(0), Start, Problem::Invalid),
        ),
        (
            r#""2022-12-31T23:59:59.999Z""#,
            "1672531199",
            field(CertificateAuthority(0), End, Problem::WrongType),
        ),
    ]);
}

#[test]
fn start_after_end() {
    let end = r#""end": "2022-12-31T23:59:59.999Z""#;
    rejects(&[(
        end,
        r#""end": "2021-03-07T03:20:28.999Z""#,
        TrustRootError::StartAfterEnd {
            at: Location::CertificateAuthority(0),
        },
    )]);
    // Equal ends are one second.
    let r = production_with(end, r#""end": "2021-03-07T03:20:29Z""#).unwrap();
    let one = r.certificate_authorities[0].valid_for;
    assert_eq!(
        one,
        TimeRange::seconds(Some(1_615_087_229), Some(1_615_087_229))
    );
    // Fractions are kept: this window holds no whole second, but the
    // milliseconds from .500 to .999.
    let r = production_with(
        r#""start": "2021-03-07T03:20:29Z""#,
        r#""start": "2022-12-31T23:59:59.5Z""#,
    )
    .unwrap();
    let empty = r.certificate_authorities[0].valid_for;
    let at = |secs, nanos| Some(UnixInstant { secs, nanos });
    assert_eq!(
        (empty.start, empty.end),
        (
            at(1_672_531_199, 500_000_000),
            at(1_672_531_199, 999_000_000)
        )
    );
    assert!(!empty.contains(1_672_531_199) && !empty.contains(1_672_531_200));
    let ms = 1_672_531_199_000;
    assert!(!empty.contains_millis(ms + 499) && !empty.contains_millis(ms + 1000));
    assert!(empty.contains_millis(ms + 500) && empty.contains_millis(ms + 999));
}

#[test]
fn bad_base64() {
    use Field::{CertChainCertificate as Certificate, KeyId, KeyRawBytes as RawBytes};
    use Location::*;
    let base64 = Problem::Base64;
    rejects(&[
        (
            REKOR_ID,
            "wNI9atQGlz*VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=",
            field(Tlog(0), KeyId, base64),
        ),
        (
            REKOR_ID,
            "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0",
            field(Tlog(0), KeyId, base64),
        ),
        (REKOR_ID, "", field(Tlog(0), KeyId, Problem::Missing)),
        (REKOR_KEY, "MFkw!", field(Tlog(0), RawBytes, base64)),
        (
            r#""rawBytes": "MIIB+DCC"#,
            r#""rawBytes": "?IIB+DCC"#,
            field(CertificateAuthority(0), Certificate(0), base64),
        ),
    ]);
    // `\/` in base64 is `/`.
    let r = production_with(REKOR_ID, "wNI9atQGlz+VWfO6LRygH4QUfY\\/8W4RFwiT5i5WRgB0=");
    assert_eq!(r, TrustedRoot::production());
}

#[test]
fn keys_of_supported_algorithms_must_parse() {
    let bad = TrustRootError::BadKey {
        at: Location::Tlog(0),
    };
    // SEQUENCE becomes SET inside the SubjectPublicKeyInfo.
    let set = REKOR_KEY.replacen("MFkw", "MFkx", 1);
    let p256 = "PKIX_ECDSA_P256_SHA_256";
    rejects(&[
        (REKOR_KEY, &set, bad),
        // A P-256 key declared as another algorithm.
        (p256, "PKIX_ED25519", bad),
        (p256, "PKIX_ECDSA_P384_SHA_384", bad),
        (p256, "PKIX_RSA_PKCS1V5", bad),
    ]);
}

#[test]
fn unsupported_algorithms_keep_their_entry() {
    let p256 = r#""keyDetails": "PKIX_ECDSA_P256_SHA_256""#;
    for to in [
        r#""keyDetails": "LMS_SHA256""#,
        r#""keyDetails": null"#,
        r#""x": 1"#,
    ] {
        let r = production_with(p256, to).unwrap();
        let log = r.tlog_by_id(&b64(REKOR_ID)).unwrap();
        assert_eq!(log.key.details, KeyDetails::Unsupported);
        assert_eq!(log.key.der, b64(REKOR_KEY));
        assert_eq!(
            log.key.verify(b"m", b"s"),
            Err(LogKeyError::UnsupportedAlgorithm)
        );
        assert_eq!(r.tlogs.len(), 2);
    }
    rejects(&[(
        p256,
        r#""keyDetails": 5"#,
        field(Location::Tlog(0), Field::KeyDetails, Problem::WrongType),
    )]);
}

#[test]
fn only_sha2_256_trees() {
    let sha256 = r#""hashAlgorithm": "SHA2_256""#;
    let unsupported = |at| TrustRootError::UnsupportedHashAlgorithm { at };
    let tlog0 = unsupported(Location::Tlog(0));
    // The CT logs are checked too.
    let ct = r#""baseUrl": "https://ctfe.sigstore.dev/2022",
      "hashAlgorithm": "SHA2_256""#;
    let ct384 = ct.replace("SHA2_256", "SHA2_384");
    let mut cases = vec![
        // Absent is protobuf's default, UNSPECIFIED.
        (sha256, r#""x": 1"#.to_string(), tlog0),
        (ct, ct384, unsupported(Location::Ctlog(1))),
    ];
    for other in [
        "SHA2_384",
        "SHA2_512",
        "SHA3_256",
        "HASH_ALGORITHM_UNSPECIFIED",
        "",
    ] {
        cases.push((sha256, format!(r#""hashAlgorithm": "{other}""#), tlog0));
    }
    for (from, to, err) in cases {
        assert_eq!(production_with(from, &to), Err(err), "{to}");
    }
}

#[test]
fn duplicate_members() {
    use Location::*;
    let url = r#""baseUrl": "https://rekor.sigstore.dev","#;
    let mt = r#""mediaType": "#;
    let tlogs = r#""tlogs": ["#;
    let dup = Problem::Duplicate;
    rejects(&[
        (
            url,
            &format!(r#"{url} "base\u0055rl": "https://evil.example","#),
            field(Tlog(0), Field::BaseUrl, dup),
        ),
        (
            mt,
            &format!(r#"{mt}"x", {mt}"#),
            field(Document, Field::MediaType, dup),
        ),
        (
            tlogs,
            &format!(r#""tlogs": [], {tlogs}"#),
            field(Document, Field::Tlogs, dup),
        ),
    ]);
    // Unknown members are ignored, even repeated.
    assert_eq!(
        production_with(url, &format!(r#"{url} "operator": 1, "operator": 2,"#)),
        TrustedRoot::production()
    );
}

#[test]
fn shapes() {
    use Field::{
        BaseUrl, CertChainCertificate as Certificate, CertChainCertificates as Certificates, LogId,
        Tlogs, TrustEntry as Entry,
    };
    use Location::{CertificateAuthority, Ctlog, Document, Tlog};
    rejects(&[
        (
            r#""tlogs": ["#,
            r#""tlogs": 1, "x": ["#,
            field(Document, Tlogs, Problem::WrongType),
        ),
        (
            r#""baseUrl": "https://rekor.sigstore.dev","#,
            "",
            field(Tlog(0), BaseUrl, Problem::Missing),
        ),
        (
            r#""logId": {"#,
            r#""x": {"#,
            field(Tlog(0), LogId, Problem::Missing),
        ),
        // A certificate must be DER X.509.
        (
            r#""rawBytes": "MIIB+DCC"#,
            r#""rawBytes": "AAAA", "x": "MIIB+DCC"#,
            field(CertificateAuthority(0), Certificate(0), Problem::Invalid),
        ),
    ]);
    let no_certs = r#","certificateAuthorities":[{"certChain":{"certificates":[]},
            "validFor":{"start":"2021-01-01T00:00:00Z"}}]"#;
    for (members, err) in [
        (
            r#","ctlogs":[1]"#,
            field(Ctlog(0), Entry, Problem::WrongType),
        ),
        (
            no_certs,
            field(CertificateAuthority(0), Certificates, Problem::Missing),
        ),
    ] {
        assert_eq!(TrustedRoot::parse(root(members).as_bytes()), Err(err));
    }
    // Everything may be absent: an empty root is well formed.
    assert_eq!(
        TrustedRoot::parse(root(r#","tlogs":null,"ctlogs":[]"#).as_bytes()),
        Ok(TrustedRoot::default())
    );
    // The uri of a CA is optional.
    let r = production_with(r#""uri": "https://fulcio.sigstore.dev","#, "").unwrap();
    assert_eq!(r.certificate_authorities[0].uri, "");
    assert!(matches!(
        TrustedRoot::parse(b"{\"mediaType\": "),
        Err(TrustRootError::Json(_))
    ));
}

#[test]
fn entries_are_bounded() {
    let id = Base64::encode_string(&Sha256::digest(b64(REKOR_KEY)));
    let one = tlog(REKOR_KEY, &id);
    let n = |count: usize| {
        let logs = vec![one.as_str(); count].join(",");
        TrustedRoot::parse(root(&format!(r#","tlogs":[{logs}],"ctlogs":[{logs}]"#)).as_bytes())
    };
    let r = n(MAX_TRUST_ROOT_ENTRIES).unwrap();
    assert_eq!(r.tlogs.len(), MAX_TRUST_ROOT_ENTRIES);
    assert_eq!(r.tlogs_by_id(&b64(&id)).count(), MAX_TRUST_ROOT_ENTRIES);
    assert!(core::ptr::eq(r.tlog_by_id(&b64(&id)).unwrap(), &r.tlogs[0]));
    assert_eq!(
        n(MAX_TRUST_ROOT_ENTRIES + 1),
        Err(field(Location::Document, Field::Tlogs, Problem::TooLong))
    );
}

#[test]
fn chains_are_bounded() {
    let cert = PRODUCTION
        .split(r#""rawBytes": ""#)
        .find(|s| s.starts_with("MIIB+DCC"))
        .and_then(|s| s.split('"').next())
        .unwrap();
    let n = |count: usize| {
        let certs = vec![format!(r#"{{"rawBytes":"{cert}"}}"#); count].join(",");
        TrustedRoot::parse(
            root(&format!(
                r#","timestampAuthorities":[{{"certChain":{{"certificates":[{certs}]}},
                    "validFor":{{"start":"2021-01-01T00:00:00Z"}}}}]"#
            ))
            .as_bytes(),
        )
    };
    let r = n(MAX_TRUST_ROOT_CHAIN_CERTS).unwrap();
    assert_eq!(
        chain_lens(&r.timestamp_authorities),
        [MAX_TRUST_ROOT_CHAIN_CERTS]
    );
    assert_eq!(
        n(MAX_TRUST_ROOT_CHAIN_CERTS + 1),
        Err(field(
            Location::TimestampAuthority(0),
            Field::CertChainCertificates,
            Problem::TooLong
        ))
    );
}

#[test]
fn size_is_bounded() {
    let mut doc = PRODUCTION.to_string();
    doc.push_str(&" ".repeat(MAX_TRUST_ROOT_BYTES - doc.len()));
    assert_eq!(doc.len(), MAX_TRUST_ROOT_BYTES);
    assert_eq!(
        TrustedRoot::parse(doc.as_bytes()),
        TrustedRoot::production()
    );
    doc.push(' ');
    assert_eq!(
        TrustedRoot::parse(doc.as_bytes()),
        Err(TrustRootError::TooLarge)
    );
    assert_eq!(
        TrustedRoot::parse_any(doc.as_bytes()),
        Err(TrustRootError::TooLarge)
    );
}

#[test]
fn errors_display_one_line() {
    let e = field(Location::Tlog(3), Field::Start, Problem::Missing);
    assert_eq!(
        e.to_string(),
        "trusted root: tlogs[3]: validFor.start missing"
    );
    let e = field(
        Location::CertificateAuthority(0),
        Field::CertChainCertificate(2),
        Problem::Invalid,
    );
    assert_eq!(
        e.to_string(),
        "trusted root: certificateAuthorities[0]: certChain.certificates[2] has an invalid value"
    );
    for e in [
        TrustRootError::TooLarge,
        TrustRootError::Json(JsonError::Empty),
        TrustRootError::UnknownMediaType,
        TrustRootError::UnsupportedHashAlgorithm {
            at: Location::Ctlog(1),
        },
        TrustRootError::BadKey {
            at: Location::Document,
        },
        TrustRootError::StartAfterEnd {
            at: Location::TimestampAuthority(0),
        },
    ] {
        let s = e.to_string();
        assert!(s.starts_with("trusted root: ") && !s.contains('\n'), "{s}");
    }
}
