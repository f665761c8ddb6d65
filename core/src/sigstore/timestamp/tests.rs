//! Tests of `timestamp`.

use super::*;
use crate::sigstore::trust_root::TimeRange;
use alloc::string::String;
use alloc::vec;

// testdata/tsa/make.py made these once; see its docstring.
const SIG: &[u8] = include_bytes!("../../../../testdata/tsa/signature.bin");
const EC_EMBEDDED: &[u8] = include_bytes!("../../../../testdata/tsa/ec-embedded.tsr");
const EC_BARE: &[u8] = include_bytes!("../../../../testdata/tsa/ec-bare.tsr");
const RSA: &[u8] = include_bytes!("../../../../testdata/tsa/rsa.tsr");
const EXPIRED: &[u8] = include_bytes!("../../../../testdata/tsa/expired.tsr");
const EC_LEAF: &[u8] = include_bytes!("../../../../testdata/tsa/ec/leaf.der");
const EC_INTER: &[u8] = include_bytes!("../../../../testdata/tsa/ec/inter.der");
const EC_ROOT: &[u8] = include_bytes!("../../../../testdata/tsa/ec/root.der");
const RSA_LEAF: &[u8] = include_bytes!("../../../../testdata/tsa/rsa/leaf.der");
const RSA_ROOT: &[u8] = include_bytes!("../../../../testdata/tsa/rsa/root.der");
const EXPIRED_LEAF: &[u8] = include_bytes!("../../../../testdata/tsa/expired/leaf.der");
const EXPIRED_ROOT: &[u8] = include_bytes!("../../../../testdata/tsa/expired/root.der");
/// genTimes of the committed tokens (`openssl ts -reply -text`):
/// 2026-11-22T04:30:50.212Z, 04:30:50Z, 04:30:51Z, 04:30:51Z.
const T_EC_EMBEDDED: u64 = 1_795_321_850;
const T_EC_BARE: u64 = 1_795_321_850;
const T_RSA: u64 = 1_795_321_851;

fn tsa(chain: &[&[u8]], valid_for: TimeRange) -> CertificateAuthority {
    CertificateAuthority {
        uri: String::new(),
        chain: chain.iter().map(|c| c.to_vec()).collect(),
        valid_for,
    }
}

fn ec() -> CertificateAuthority {
    tsa(&[EC_LEAF, EC_INTER, EC_ROOT], TimeRange::default())
}

fn rsa() -> CertificateAuthority {
    tsa(&[RSA_LEAF, RSA_ROOT], TimeRange::default())
}

fn expired() -> CertificateAuthority {
    tsa(&[EXPIRED_LEAF, EXPIRED_ROOT], TimeRange::default())
}

fn find(hay: &[u8], needle: &[u8], nth: usize) -> usize {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap()
}

/// `token` with the byte at `at` replaced.
fn with_byte(token: &[u8], at: usize, value: u8) -> Vec<u8> {
    let mut t = token.to_vec();
    t[at] = value;
    t
}

fn cert(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

#[test]
fn embedded_certs_fraction_and_optional_fields_verify() {
    let v = verify_timestamp(EC_EMBEDDED, SIG, &[ec()], &SignatureMemo::default()).unwrap();
    assert_eq!(
        v,
        VerifiedTimestamp {
            gen_time: T_EC_EMBEDDED,
            fraction: true,
            tsa: 0,
            tst_info_sha256: v.tst_info_sha256,
        }
    );
}

#[test]
fn bare_token_sha384_verifies() {
    let v = verify_timestamp(EC_BARE, SIG, &[ec()], &SignatureMemo::default()).unwrap();
    assert_eq!((v.gen_time, v.fraction), (T_EC_BARE, false));
}

#[test]
fn rsa_tsa_verifies_and_is_named_by_index() {
    let v = verify_timestamp(RSA, SIG, &[ec(), rsa()], &SignatureMemo::default()).unwrap();
    assert_eq!((v.gen_time, v.tsa), (T_RSA, 1));
    assert_eq!(
        verify_timestamp(EC_BARE, SIG, &[rsa(), ec()], &SignatureMemo::default())
            .unwrap()
            .tsa,
        1
    );
}

#[test]
fn imprint_must_hash_the_signature() {
    let mut other = SIG.to_vec();
    other[0] ^= 1;
    for token in [EC_EMBEDDED, EC_BARE, RSA] {
        assert_eq!(
            verify_timestamp(token, &other, &[ec(), rsa()], &SignatureMemo::default()),
            Err(TimestampError::ImprintMismatch)
        );
    }
}

/// The byte at the end of the `nth` occurrence of `pattern` in
/// `token`, set to `value`.
fn mutate(token: &[u8], pattern: &[u8], nth: usize, value: u8) -> Vec<u8> {
    with_byte(token, find(token, pattern, nth) + pattern.len() - 1, value)
}

#[test]
fn mutated_tokens_fail_the_check_they_break() {
    use TimestampError as E;
    let sha256 = [
        0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    ];
    let policy = [
        0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x02,
    ];
    let tst_info = [
        0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
    ];
    let cases = [
        // The second SHA-256 AlgorithmIdentifier is the imprint's (the
        // first is SignedData.digestAlgorithms): SHA-224.
        (mutate(EC_EMBEDDED, &sha256, 1, 0x04), E::UnsupportedHash),
        // TSTInfo.policy ...57264.2 -> .3: signed content changed.
        (
            mutate(EC_EMBEDDED, &policy, 0, 0x03),
            E::MessageDigestMismatch,
        ),
        // The first id-ct-TSTInfo is eContentType, the second the
        // contentType attribute.
        (mutate(EC_BARE, &tst_info, 0, 0x05), E::ContentType),
        (mutate(EC_BARE, &tst_info, 1, 0x05), E::ContentTypeAttribute),
    ];
    for (i, (token, expected)) in cases.iter().enumerate() {
        assert_eq!(
            verify_timestamp(token, SIG, &[ec()], &SignatureMemo::default()),
            Err(*expected),
            "{i}"
        );
    }
}

#[test]
fn tampered_signature_fails() {
    // The signature is the response's last TLV.
    for (token, tsas) in [(EC_BARE, [ec()]), (RSA, [rsa()])] {
        let at = token.len() - 5;
        let t = with_byte(token, at, token[at] ^ 0x01);
        assert_eq!(
            verify_timestamp(&t, SIG, &tsas, &SignatureMemo::default()),
            Err(TimestampError::BadSignature)
        );
    }
}

#[test]
fn status_must_be_granted() {
    let at = find(EC_BARE, &[0x30, 0x03, 0x02, 0x01, 0x00], 0) + 4;
    for status in [1, 2, 5] {
        let t = with_byte(EC_BARE, at, status);
        assert_eq!(
            verify_timestamp(&t, SIG, &[ec()], &SignatureMemo::default()),
            Err(TimestampError::Status)
        );
    }
}

#[test]
fn garbage_and_truncation_fail_to_parse() {
    for bad in [
        &b""[..],
        b"\x30\x00",
        b"not DER at all",
        &EC_BARE[..EC_BARE.len() - 1],
    ] {
        assert_eq!(
            verify_timestamp(bad, SIG, &[ec()], &SignatureMemo::default()),
            Err(TimestampError::Response)
        );
    }
    let mut trailing = EC_BARE.to_vec();
    trailing.push(0);
    assert_eq!(
        verify_timestamp(&trailing, SIG, &[ec()], &SignatureMemo::default()),
        Err(TimestampError::Response)
    );
}

#[test]
fn untrusted_tsa_fails_with_or_without_embedded_certs() {
    for token in [EC_EMBEDDED, EC_BARE] {
        for tsas in [&[][..], &[rsa()], &[rsa(), expired()]] {
            assert_eq!(
                verify_timestamp(token, SIG, tsas, &SignatureMemo::default()),
                Err(TimestampError::UntrustedTsa)
            );
        }
    }
    // A TSA list naming only the intermediate or the root: not the signer.
    let partial = [tsa(&[EC_INTER, EC_ROOT], TimeRange::default())];
    assert_eq!(
        verify_timestamp(EC_BARE, SIG, &partial, &SignatureMemo::default()),
        Err(TimestampError::UntrustedTsa)
    );
}

#[test]
fn tsa_chain_must_reach_its_own_root() {
    // The right leaf and intermediate under a foreign root.
    let wrong_root = [tsa(&[EC_LEAF, EC_INTER, RSA_ROOT], TimeRange::default())];
    assert_eq!(
        verify_timestamp(EC_BARE, SIG, &wrong_root, &SignatureMemo::default()),
        Err(TimestampError::Chain(CertificateError::UnknownIssuer {
            at: CertPosition::Bundle(1)
        }))
    );
    // Without the intermediate.
    let short = [tsa(&[EC_LEAF, EC_ROOT], TimeRange::default())];
    assert_eq!(
        verify_timestamp(EC_BARE, SIG, &short, &SignatureMemo::default()),
        Err(TimestampError::Chain(CertificateError::UnknownIssuer {
            at: CertPosition::Bundle(0)
        }))
    );
}

#[test]
fn gen_time_outside_tsa_cert_validity_fails() {
    assert_eq!(
        verify_timestamp(EXPIRED, SIG, &[expired()], &SignatureMemo::default()),
        Err(TimestampError::Chain(CertificateError::Expired {
            at: CertPosition::Bundle(0)
        }))
    );
}

#[test]
fn valid_for_ends_are_inclusive_and_exact() {
    let range = TimeRange::seconds;
    let with = |r| [tsa(&[EC_LEAF, EC_INTER, EC_ROOT], r)];
    let t = T_EC_BARE;
    // Whole seconds: both ends inclusive.
    for r in [
        range(Some(t), Some(t)),
        range(None, Some(t)),
        range(Some(t), None),
    ] {
        assert!(verify_timestamp(EC_BARE, SIG, &with(r), &SignatureMemo::default()).is_ok());
    }
    for r in [range(None, Some(t - 1)), range(Some(t + 1), None)] {
        assert_eq!(
            verify_timestamp(EC_BARE, SIG, &with(r), &SignatureMemo::default()),
            Err(TimestampError::OutsideTsaValidity)
        );
    }
    // 04:30:50.212: after an end at :50, within a window [:50, :51].
    let t = T_EC_EMBEDDED;
    assert!(
        verify_timestamp(
            EC_EMBEDDED,
            SIG,
            &with(range(Some(t), Some(t + 1))),
            &SignatureMemo::default()
        )
        .is_ok()
    );
    for r in [range(None, Some(t)), range(Some(t + 1), None)] {
        assert_eq!(
            verify_timestamp(EC_EMBEDDED, SIG, &with(r), &SignatureMemo::default()),
            Err(TimestampError::OutsideTsaValidity)
        );
    }
}

#[test]
fn within_is_exact_for_fractions() {
    let whole = VerifiedTimestamp {
        gen_time: 100,
        fraction: false,
        tsa: 0,
        tst_info_sha256: [0; 32],
    };
    let frac = VerifiedTimestamp {
        fraction: true,
        ..whole
    };
    assert!(whole.within(100, 100));
    assert!(!frac.within(100, 100));
    assert!(frac.within(100, 101));
    assert!(!whole.within(101, 200) && !frac.within(101, 200));
    assert!(!whole.within(0, 99));
}

#[test]
fn leaf_eku_must_be_critical_time_stamping_only() {
    assert_eq!(check_leaf_eku(&cert(EC_LEAF)), Ok(()));
    assert_eq!(check_leaf_eku(&cert(RSA_LEAF)), Ok(()));
    // Non-critical timeStamping; none at all.
    assert_eq!(
        check_leaf_eku(&cert(EC_INTER)),
        Err(TimestampError::LeafEku)
    );
    assert_eq!(check_leaf_eku(&cert(EC_ROOT)), Err(TimestampError::LeafEku));
}

#[test]
fn intermediate_eku_must_allow_time_stamping() {
    assert_eq!(check_intermediate_eku(&cert(EC_INTER)), Ok(()));
    assert_eq!(check_intermediate_eku(&cert(EC_ROOT)), Ok(()));
}

#[test]
fn embedded_certs_must_hold_the_trusted_leaf_and_no_other_leaf() {
    let leaf = cert(EC_LEAF);
    let c = |d: &[u8]| CertificateChoices::Certificate(cert(d));
    assert_eq!(check_embedded(&[], &leaf), Ok(()));
    assert_eq!(
        check_embedded(&[c(EC_ROOT), c(EC_LEAF), c(EC_INTER)], &leaf),
        Ok(())
    );
    let bad = TimestampError::EmbeddedCertificates;
    // Only CA certificates; another TSA's leaf beside ours, or alone.
    assert_eq!(check_embedded(&[c(EC_INTER), c(EC_ROOT)], &leaf), Err(bad));
    assert_eq!(check_embedded(&[c(EC_LEAF), c(RSA_LEAF)], &leaf), Err(bad));
    assert_eq!(check_embedded(&[c(RSA_LEAF)], &leaf), Err(bad));
    // The limit: the leaf and CA copies.
    let mut certs = vec![c(EC_LEAF)];
    certs.resize(MAX_TSA_EMBEDDED_CERTS, c(EC_ROOT));
    assert_eq!(check_embedded(&certs, &leaf), Ok(()));
    certs.push(c(EC_ROOT));
    assert_eq!(check_embedded(&certs, &leaf), Err(bad));
}

fn attribute(oid: ObjectIdentifier, value: der::Any) -> x509_cert::attr::Attribute {
    x509_cert::attr::Attribute {
        oid,
        values: der::asn1::SetOfVec::try_from(vec![value]).unwrap(),
    }
}

#[test]
fn signed_attributes_rules_and_limit() {
    let digest = [7u8; 32];
    let ct = || {
        attribute(
            ID_CONTENT_TYPE,
            der::Any::encode_from(&ID_CT_TST_INFO).unwrap(),
        )
    };
    let md = |d: &[u8]| {
        let os = der::asn1::OctetString::new(d).unwrap();
        attribute(ID_MESSAGE_DIGEST, der::Any::encode_from(&os).unwrap())
    };
    assert_eq!(
        check_signed_attributes(&[ct(), md(&digest)], &digest),
        Ok(())
    );
    let e = TimestampError::SignedAttributes;
    assert_eq!(check_signed_attributes(&[md(&digest)], &digest), Err(e));
    assert_eq!(check_signed_attributes(&[ct()], &digest), Err(e));
    assert_eq!(
        check_signed_attributes(&[ct(), md(&digest), md(&digest)], &digest),
        Err(e)
    );
    assert_eq!(
        check_signed_attributes(&[ct(), md(&[8u8; 32])], &digest),
        Err(TimestampError::MessageDigestMismatch)
    );
    // The limit: fillers with distinct types.
    let mut attrs = vec![ct(), md(&digest)];
    let mut arc = 0u32;
    let mut filler = || {
        arc += 1;
        let oid = ObjectIdentifier::new_unwrap("1.2.3").push_arc(arc).unwrap();
        attribute(oid, der::Any::encode_from(&true).unwrap())
    };
    while attrs.len() < MAX_SIGNED_ATTRIBUTES {
        attrs.push(filler());
    }
    assert_eq!(check_signed_attributes(&attrs, &digest), Ok(()));
    attrs.push(filler());
    assert_eq!(check_signed_attributes(&attrs, &digest), Err(e));
}

#[test]
fn token_size_limit() {
    let at_limit = vec![0x30; MAX_TIMESTAMP_BYTES];
    assert_eq!(
        verify_timestamp(&at_limit, SIG, &[ec()], &SignatureMemo::default()),
        Err(TimestampError::Response)
    );
    let over = vec![0x30; MAX_TIMESTAMP_BYTES + 1];
    assert_eq!(
        verify_timestamp(&over, SIG, &[ec()], &SignatureMemo::default()),
        Err(TimestampError::TooLarge)
    );
}

fn b64(bytes: &[u8]) -> String {
    let mut buf = vec![0u8; bytes.len().div_ceil(3) * 4];
    String::from(<base64ct::Base64 as base64ct::Encoding>::encode(bytes, &mut buf).unwrap())
}

/// `{"rfc3161Timestamps":[{"signedTimestamp":"…"},…]}`
fn tvd_json(texts: &[String]) -> String {
    let items: Vec<String> = texts
        .iter()
        .map(|t| alloc::format!(r#"{{"signedTimestamp":"{t}"}}"#))
        .collect();
    alloc::format!(r#"{{"rfc3161Timestamps":[{}]}}"#, items.join(","))
}

fn run(json: &str) -> Result<Vec<VerifiedTimestamp>, (usize, TimestampError)> {
    let v = crate::json::parse(json.as_bytes()).unwrap();
    verify_all(
        Some(v.object().unwrap()),
        SIG,
        &[rsa(), ec()],
        &SignatureMemo::default(),
    )
}

#[test]
fn verify_all_lists() {
    let all = run(&tvd_json(&[b64(EC_EMBEDDED), b64(RSA), b64(EC_BARE)])).unwrap();
    assert_eq!(
        all.iter().map(|t| (t.gen_time, t.tsa)).collect::<Vec<_>>(),
        [(T_EC_EMBEDDED, 1), (T_RSA, 0), (T_EC_BARE, 1)]
    );
    assert_eq!(
        verify_all(None, SIG, &[ec()], &SignatureMemo::default()),
        Ok(vec![])
    );
    assert_eq!(run("{}"), Ok(vec![]));
    assert_eq!(run(&tvd_json(&[])), Ok(vec![]));
    // The failing entry's index.
    assert_eq!(
        run(&tvd_json(&[b64(EC_BARE), b64(EXPIRED)])),
        Err((1, TimestampError::UntrustedTsa))
    );
}

#[test]
fn verify_all_line_breaks_and_escapes() {
    // `base64` wraps at 76 columns; JSON may escape the slash.
    let text = b64(EC_BARE);
    let mut wrapped = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            wrapped.push_str("\\n");
        }
        if c == '/' {
            wrapped.push_str("\\/");
        } else {
            wrapped.push(c);
        }
    }
    assert!(wrapped.contains("\\n"));
    assert_eq!(run(&tvd_json(&[wrapped])).unwrap().len(), 1);
}

#[test]
fn verify_all_rejects_duplicates_and_malformed_entries() {
    assert_eq!(
        run(&tvd_json(&[b64(EC_BARE), b64(RSA), b64(EC_BARE)])),
        Err((2, TimestampError::Duplicate))
    );
    let e = TimestampError::Encoding;
    assert_eq!(run(&tvd_json(&[String::from("!!!!")])), Err((0, e)));
    assert_eq!(run(r#"{"rfc3161Timestamps":{}}"#), Err((0, e)));
    assert_eq!(run(r#"{"rfc3161Timestamps":[{}]}"#), Err((0, e)));
    // Every entry is decoded before any is verified.
    assert_eq!(
        run(r#"{"rfc3161Timestamps":[{"signedTimestamp":"AA=="},7]}"#),
        Err((1, e))
    );
    assert_eq!(
        run(r#"{"rfc3161Timestamps":[{"signedTimestamp":1}]}"#),
        Err((0, e))
    );
    assert_eq!(
        run(r#"{"rfc3161Timestamps":[],"rfc3161Timestamps":[]}"#),
        Err((0, e))
    );
}

/// `token` re-wrapped without changing what the TSA signed: a status
/// text added, the embedded certificates dropped.
fn rewrapped(token: &[u8]) -> Vec<u8> {
    let mut resp = TimeStampResp::from_der(token).unwrap();
    resp.status.status_string = Some(vec![Utf8StringRef::new("re-wrapped").unwrap()]);
    let mut info = resp.time_stamp_token.take().unwrap();
    let mut sd: SignedData = info.content.decode_as().unwrap();
    assert!(sd.certificates.is_some());
    sd.certificates = None;
    info.content = der::Any::encode_from(&sd).unwrap();
    resp.time_stamp_token = Some(info);
    resp.to_der().unwrap()
}

#[test]
fn verify_all_rejects_the_same_timestamp_rewrapped() {
    let again = rewrapped(EC_EMBEDDED);
    assert_ne!(again.as_slice(), EC_EMBEDDED);
    let one = verify_timestamp(&again, SIG, &[ec()], &SignatureMemo::default()).unwrap();
    assert_eq!(
        one,
        verify_timestamp(EC_EMBEDDED, SIG, &[ec()], &SignatureMemo::default()).unwrap()
    );
    assert_eq!(
        run(&tvd_json(&[b64(EC_EMBEDDED), b64(RSA), b64(&again)])),
        Err((2, TimestampError::Duplicate))
    );
    // Another token of the same TSA at the same genTime second is the
    // same time source too; another second or another TSA is not.
    let a = one;
    let b = VerifiedTimestamp {
        tst_info_sha256: [0; 32],
        ..a
    };
    assert!(a.same_as(&b));
    assert!(!a.same_as(&VerifiedTimestamp { tsa: 1, ..b }));
    assert!(!a.same_as(&VerifiedTimestamp {
        gen_time: a.gen_time + 1,
        ..b
    }));
    assert!(!a.same_as(&VerifiedTimestamp {
        fraction: false,
        ..b
    }));
}

#[test]
fn verify_all_count_limit() {
    // Distinct undecodable tokens: at the limit the count passes and the
    // first token fails; one more and the count fails.
    let texts: Vec<String> = (0..=MAX_TIMESTAMPS)
        .map(|i| b64(&[0x30, 0x01, u8::try_from(i).unwrap()]))
        .collect();
    assert_eq!(
        run(&tvd_json(&texts[..MAX_TIMESTAMPS])),
        Err((0, TimestampError::Response))
    );
    assert_eq!(
        run(&tvd_json(&texts)),
        Err((MAX_TIMESTAMPS, TimestampError::TooMany))
    );
}

#[test]
fn verify_all_size_limit() {
    let at_limit = b64(&vec![0x30; MAX_TIMESTAMP_BYTES]);
    assert_eq!(
        run(&tvd_json(&[at_limit])),
        Err((0, TimestampError::Response))
    );
    let over = b64(&vec![0x30; MAX_TIMESTAMP_BYTES + 1]);
    assert_eq!(run(&tvd_json(&[over])), Err((0, TimestampError::TooLarge)));
    // Text too long to be in bounds is refused before decoding.
    let over = "A".repeat(MAX_TIMESTAMP_BYTES.div_ceil(3) * 4 + 4);
    assert_eq!(run(&tvd_json(&[over])), Err((0, TimestampError::TooLarge)));
}

#[test]
fn errors_display_their_check() {
    let e = TimestampError::Chain(CertificateError::EmptyChain);
    assert_eq!(
        alloc::format!("{e}"),
        "timestamp: TSA chain at genTime: EmptyChain"
    );
    assert_eq!(
        alloc::format!("{}", TimestampError::ImprintMismatch),
        "timestamp: imprint is not the signature's hash"
    );
}
