//! Tests of `timestamp`.

use super::*;
use crate::sigstore::trust_root::TimeRange;
use alloc::string::String;
use alloc::vec;
use der::Sequence;
use der::asn1::IntRef;

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
    let c = |d: &[u8]| CertificateChoice::Certificate(cert(d));
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

/// An attribute as the token reader reads it (its DER is leaked: the
/// reader borrows from it).
fn attribute(oid: ObjectIdentifier, value: der::Any) -> token::Attribute<'static> {
    let der = x509_cert::attr::Attribute {
        oid,
        values: der::asn1::SetOfVec::try_from(vec![value]).unwrap(),
    }
    .to_der()
    .unwrap();
    let der: &'static [u8] = alloc::boxed::Box::leak(der.into_boxed_slice());
    token::attribute(&mut der::SliceReader::new(der).unwrap()).unwrap()
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
    let mut sd: cms::signed_data::SignedData = info.content.decode_as().unwrap();
    assert!(sd.certificates.is_some());
    sd.certificates = None;
    let content = der::Any::encode_from(&sd).unwrap();
    info.content = (&content).into();
    resp.time_stamp_token = Some(info);
    resp.to_der().unwrap()
}

/// `token` with a CRL (and another revocation format) added to its
/// SignedData: what the signer signed is unchanged.
fn with_crls(token: &[u8]) -> Vec<u8> {
    use cms::revocation::{OtherRevocationInfoFormat, RevocationInfoChoice, RevocationInfoChoices};
    let mut resp = TimeStampResp::from_der(token).unwrap();
    let mut info = resp.time_stamp_token.take().unwrap();
    let mut sd: cms::signed_data::SignedData = info.content.decode_as().unwrap();
    let crl = x509_cert::crl::CertificateList::from_der(&every_part_crl()).unwrap();
    let other = OtherRevocationInfoFormat {
        other_format: spki::AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.3.4"),
            parameters: None,
        },
        other: der::Any::encode_from(&true).unwrap(),
    };
    sd.crls = Some(RevocationInfoChoices(
        der::asn1::SetOfVec::try_from(vec![
            RevocationInfoChoice::Crl(crl),
            RevocationInfoChoice::Other(other),
        ])
        .unwrap(),
    ));
    let content = der::Any::encode_from(&sd).unwrap();
    info.content = (&content).into();
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

/// `TSTInfo` as the derived decoder read it before `token::tst_info`
/// (the reference of the differential test).
#[derive(Sequence)]
#[allow(dead_code, reason = "decoded to validate the structure")]
struct TstInfo<'a> {
    version: u8,
    policy: ObjectIdentifier,
    message_imprint: MessageImprint<'a>,
    serial_number: IntRef<'a>,
    /// A GeneralizedTime, read here: der's type has no fractions.
    gen_time: AnyRef<'a>,
    accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    ordering: bool,
    nonce: Option<IntRef<'a>>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<AnyRef<'a>>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    extensions: Option<x509_cert::ext::Extensions>,
}

/// `MessageImprint`.
#[derive(Sequence)]
struct MessageImprint<'a> {
    hash_algorithm: AlgorithmIdentifierRef<'a>,
    hashed_message: &'a OctetStringRef,
}

/// `Accuracy`.
#[derive(Sequence)]
#[allow(dead_code, reason = "decoded to validate the structure")]
struct Accuracy {
    seconds: Option<u64>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    millis: Option<u16>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    micros: Option<u16>,
}

/// What checks 1–5 yield to compare: the signed message, the embedded
/// certificates' DER (sorted), genTime.
type Reading = (Vec<u8>, Vec<Vec<u8>>, u64);

/// Checks 1–5 as the `cms` crate's decoders read the token (the
/// implementation before `token`): the verdict, and when it passes the
/// signed message and the embedded certificates.
fn cms_reference(signed_timestamp: &[u8], signature: &[u8]) -> Result<Reading, TimestampError> {
    use TimestampError as E;
    use cms::cert::CertificateChoices;
    use cms::content_info::CmsVersion;
    use cms::signed_data::{SignedData, SignerIdentifier};
    let resp = TimeStampResp::from_der(signed_timestamp).map_err(|_| E::Response)?;
    if resp.status.status != 0 {
        return Err(E::Status);
    }
    let token = resp.time_stamp_token.ok_or(E::Response)?;
    if token.content_type != ID_SIGNED_DATA {
        return Err(E::Token);
    }
    let sd: SignedData = token.content.decode_as().map_err(|_| E::Token)?;
    if !matches!(sd.version, CmsVersion::V1 | CmsVersion::V3) {
        return Err(E::Token);
    }
    let signer = match sd.signer_infos.0.as_slice() {
        [one] => one.clone(),
        _ => return Err(E::SignerCount),
    };
    if sd.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(E::ContentType);
    }
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .filter(|c| c.tag() == Tag::OctetString)
        .ok_or(E::ContentType)?
        .value();
    // The reader accepts exactly the TSTInfos the derive did, and reads
    // the same fields.
    let derived = TstInfo::from_der(econtent);
    let mine = token::tst_info(econtent);
    assert_eq!(derived.is_ok(), mine.is_ok(), "TSTInfo {econtent:02x?}");
    let info = derived.map_err(|_| E::TstInfo)?;
    let mine = mine.map_err(|_| E::TstInfo)?;
    assert_eq!(
        (mine.version, mine.gen_time, mine.hashed_message),
        (
            info.version,
            info.gen_time,
            info.message_imprint.hashed_message.as_bytes()
        )
    );
    if info.version != 1 {
        return Err(E::TstInfo);
    }
    if info.gen_time.tag() != Tag::GeneralizedTime {
        return Err(E::GenTime);
    }
    let (gen_time, _) =
        crate::time::parse_generalized_time(info.gen_time.value()).ok_or(E::GenTime)?;
    let imprint = &info.message_imprint;
    let hash = hash_of(&imprint.hash_algorithm).ok_or(E::UnsupportedHash)?;
    if Digest::of(hash, signature).as_slice() != imprint.hashed_message.as_bytes() {
        return Err(E::ImprintMismatch);
    }
    let version_ok = match signer.sid {
        SignerIdentifier::IssuerAndSerialNumber(_) => signer.version == CmsVersion::V1,
        SignerIdentifier::SubjectKeyIdentifier(_) => signer.version == CmsVersion::V3,
    };
    if !version_ok {
        return Err(E::SignerInfo);
    }
    let digest_alg = AlgorithmIdentifierRef::from(&signer.digest_alg);
    let digest = hash_of(&digest_alg).ok_or(E::UnsupportedHash)?;
    if sd.digest_algorithms.len() != 1
        || !sd.digest_algorithms.iter().all(|a| *a == signer.digest_alg)
    {
        return Err(E::SignerInfo);
    }
    let attrs = signer.signed_attrs.as_ref().ok_or(E::SignedAttributes)?;
    // The attributes as the reader reads them, from cms's re-encoding.
    let der = attrs.to_der().map_err(|_| E::SignedAttributes)?;
    let mut r = der::SliceReader::new(&der).unwrap();
    use der::Reader as _;
    let set = der::Header::decode(&mut r).unwrap();
    let mine = r
        .read_nested(set.length(), |r| {
            let mut v = Vec::new();
            while !r.is_finished() {
                v.push(token::attribute(r)?);
            }
            Ok::<_, der::Error>(v)
        })
        .unwrap();
    check_signed_attributes(&mine, Digest::of(digest, econtent).as_slice())?;
    let certs = sd
        .certificates
        .map(|s| {
            s.0.into_vec()
                .into_iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => c.to_der().ok(),
                    CertificateChoices::Other(_) => Some(Vec::new()),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((der, sorted(certs), gen_time))
}

/// The embedded certificates' DER in order (`cms` sorted them; the
/// checks do not depend on their order).
fn sorted(mut certs: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    certs.sort();
    certs
}

/// The token reader's verdicts are the `cms` decoders': every single-byte
/// change (three values each) and every truncation of the committed
/// tokens, of one re-wrapped without certificates and of one with CRLs.
#[test]
fn token_reader_agrees_with_cms_on_every_mutation() {
    let new = |t: &[u8]| {
        let sd = signed_data(t)?;
        let c = check_token(sd, SIG)?;
        let certs = c
            .certificates
            .iter()
            .filter_map(|c| match c {
                CertificateChoice::Certificate(c) => c.to_der().ok(),
                CertificateChoice::Other => Some(Vec::new()),
            })
            .collect::<Vec<_>>();
        Ok((c.signed_attrs, sorted(certs), c.time.gen_time))
    };
    let again = rewrapped(EC_EMBEDDED);
    let crls = with_crls(EC_EMBEDDED);
    assert_eq!(
        verify_timestamp(&crls, SIG, &[ec()], &SignatureMemo::default()),
        verify_timestamp(EC_EMBEDDED, SIG, &[ec()], &SignatureMemo::default())
    );
    let mut cases = 0usize;
    for token in [EC_EMBEDDED, EC_BARE, RSA, EXPIRED, &again[..], &crls[..]] {
        assert!(new(token).is_ok() || token == EXPIRED);
        for at in 0..token.len() {
            for v in [token[at] ^ 0x01, token[at] ^ 0x80, token[at] ^ 0x20] {
                let t = with_byte(token, at, v);
                assert!(new(&t) == cms_reference(&t, SIG), "byte {at} = {v:#04x}");
                cases += 1;
            }
            let t = &token[..at];
            assert!(new(t) == cms_reference(t, SIG), "truncated to {at}");
        }
    }
    assert!(cases > 5000);
}

/// `token::tst_info` accepts exactly the TSTInfos the derived decoder
/// did: every value of every byte, and every truncation, of the TSTInfos
/// of the committed tokens (one with accuracy, ordering, nonce and tsa).
#[test]
fn tst_info_reader_agrees_with_the_derive_on_every_byte_value() {
    for token in [EC_EMBEDDED, EC_BARE, RSA] {
        let sd = signed_data(token).unwrap();
        let info = sd.econtent.unwrap().value().to_vec();
        let same = |t: &[u8]| {
            let (a, b) = (TstInfo::from_der(t), token::tst_info(t));
            assert_eq!(a.is_ok(), b.is_ok(), "{t:02x?}");
            if let (Ok(a), Ok(b)) = (a, b) {
                assert_eq!(a.message_imprint.hash_algorithm, b.hash_algorithm);
                assert_eq!(a.gen_time, b.gen_time);
            }
        };
        for at in 0..info.len() {
            for v in 0..=255u8 {
                same(&with_byte(&info, at, v));
            }
            same(&info[..at]);
        }
    }
}

/// A CRL with every optional part: nextUpdate, two revoked certificates
/// (one with entry extensions), CRL extensions.
fn every_part_crl() -> Vec<u8> {
    use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
    use x509_cert::ext::Extension;
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::time::Time;
    let leaf = cert(EC_LEAF);
    let tbs = leaf.tbs_certificate();
    let time = |s| {
        Time::GeneralTime(
            der::asn1::GeneralizedTime::from_unix_duration(core::time::Duration::from_secs(s))
                .unwrap(),
        )
    };
    let ext = |arc: u32| Extension {
        extn_id: ObjectIdentifier::new_unwrap("2.5.29")
            .push_arc(arc)
            .unwrap(),
        critical: arc == 21,
        extn_value: der::asn1::OctetString::new([2, 1, arc as u8]).unwrap(),
    };
    CertificateList {
        tbs_cert_list: TbsCertList {
            version: x509_cert::certificate::Version::V2,
            signature: leaf.signature_algorithm().clone(),
            issuer: tbs.issuer().clone(),
            this_update: tbs.validity().not_before,
            next_update: Some(time(2_000_000_000)),
            revoked_certificates: Some(vec![
                RevokedCert {
                    serial_number: <SerialNumber>::new(&[7]).unwrap(),
                    revocation_date: time(1_800_000_000),
                    crl_entry_extensions: Some(vec![ext(21)]),
                },
                RevokedCert {
                    serial_number: <SerialNumber>::new(&[1, 2]).unwrap(),
                    revocation_date: time(1_800_000_001),
                    crl_entry_extensions: None,
                },
            ]),
            crl_extensions: Some(vec![ext(20)]),
        },
        signature_algorithm: leaf.signature_algorithm().clone(),
        signature: leaf.signature().clone(),
    }
    .to_der()
    .unwrap()
}

/// `token::certificate_list` accepts exactly the CRLs x509-cert's
/// `CertificateList` did: every value of every byte, and every
/// truncation, of a CRL with every optional part.
#[test]
fn crl_reader_agrees_with_x509_cert_on_every_byte_value() {
    let crl = every_part_crl();
    let mine = |t: &[u8]| {
        let mut r = der::SliceReader::new(t)?;
        token::certificate_list(&mut r)?;
        der::Reader::finish(r)
    };
    assert!(mine(&crl).is_ok());
    let mut rejected = 0usize;
    for at in 0..crl.len() {
        for v in 0..=255u8 {
            let t = with_byte(&crl, at, v);
            let reference = <x509_cert::crl::CertificateList>::from_der(&t).is_ok();
            assert_eq!(mine(&t).is_ok(), reference, "byte {at} = {v:#04x}");
            rejected += usize::from(!reference);
        }
        let t = &crl[..at];
        let reference = <x509_cert::crl::CertificateList>::from_der(t).is_ok();
        assert_eq!(mine(t).is_ok(), reference, "truncated to {at}");
    }
    assert!(rejected > crl.len() * 100);
}
