//! Tests of `sct`.

use super::*;
use crate::sigstore::logkey::LogKey;
use crate::sigstore::trust_root::TimeRange;
use crate::time::UnixInstant;
use alloc::string::String;
use alloc::vec;
use der::asn1::OctetString;

/// testdata/fulcio/gen.py: every SCT's timestamp.
const SCT_MS: u64 = 1_709_294_400_123;
const SCT_S: u64 = SCT_MS / 1000;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../../testdata/fulcio/", $name)).as_slice()
    };
}

pub(crate) fn cert(der: &[u8]) -> Cert {
    Cert::from_der(der).unwrap()
}

fn leaf() -> Cert {
    cert(fixture!("leaf-sct.der"))
}

fn intermediate() -> Cert {
    cert(fixture!("intermediate.der"))
}

fn log(spki: &[u8], details: KeyDetails) -> TransparencyLog {
    TransparencyLog {
        base_url: String::from("https://ct.example"),
        key: LogKey {
            details,
            der: spki.to_vec(),
        },
        valid_for: TimeRange::default(),
        log_id: Sha256::digest(spki).to_vec(),
    }
}

fn p256() -> TransparencyLog {
    log(fixture!("ct-p256.der"), KeyDetails::EcdsaP256Sha256)
}

fn rsa() -> TransparencyLog {
    log(fixture!("ct-rsa.der"), KeyDetails::PkixRsaPkcs1v15Sha256)
}

fn ed25519() -> TransparencyLog {
    log(fixture!("ct-ed25519.der"), KeyDetails::Ed25519)
}

fn verify(leaf: &Cert, logs: &[TransparencyLog]) -> Result<usize, SctError> {
    verify_embedded_scts(leaf, &intermediate(), logs)
}

/// `der` with the only occurrence of `from` replaced by `to`.
pub(crate) fn patched(der: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at: Vec<usize> = der
        .windows(from.len())
        .enumerate()
        .filter(|(_, w)| *w == from)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 1, "pattern must occur once");
    let mut out = der.to_vec();
    out[at[0]..at[0] + from.len()].copy_from_slice(to);
    out
}

/// The TLS SignedCertificateTimestampList of leaf-sct.der.
fn tls_list() -> Vec<u8> {
    let leaf = leaf();
    let (_, list) = leaf
        .parsed()
        .tbs_certificate()
        .get_extension::<SignedCertificateTimestampList>()
        .unwrap()
        .unwrap();
    let octets: &OctetString = list.as_ref();
    octets.as_bytes().to_vec()
}

/// The serialized SCTs (without their length prefixes) of leaf-sct.der.
fn sct_bytes() -> Vec<Vec<u8>> {
    let list = tls_list();
    let mut rest = &list[2..];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let n = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        out.push(rest[2..2 + n].to_vec());
        rest = &rest[2 + n..];
    }
    out
}

/// A TLS list holding `scts`, each with its u16 length.
fn list_of(scts: &[&[u8]]) -> Vec<u8> {
    let mut body = Vec::new();
    for s in scts {
        body.extend_from_slice(&u16::try_from(s.len()).unwrap().to_be_bytes());
        body.extend_from_slice(s);
    }
    let mut out = u16::try_from(body.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(&body);
    out
}

fn parse(tls: &[u8]) -> Result<Vec<SignedCertificateTimestamp>, SctError> {
    parse_list(&SignedCertificateTimestampList::from(
        OctetString::new(tls).unwrap(),
    ))
}

#[test]
fn three_scts_of_three_algorithms_verify() {
    assert_eq!(verify(&leaf(), &[p256(), rsa(), ed25519()]), Ok(3));
    for one in [p256(), rsa(), ed25519()] {
        assert_eq!(verify(&leaf(), &[one]), Ok(1));
    }
}

#[test]
fn scts_parse_as_generated() {
    let scts = parse(&tls_list()).unwrap();
    assert_eq!(scts.len(), 3);
    let ids = [p256(), rsa(), ed25519()].map(|l| l.log_id);
    for (sct, id) in scts.iter().zip(&ids) {
        assert_eq!(sct.timestamp, SCT_MS);
        assert_eq!(sct.log_id.key_id.as_slice(), id.as_slice());
    }
    // The Ed25519 SCT carries Static-CT-style extension bytes.
    assert!(scts[0].extensions.as_slice().is_empty());
    assert_eq!(scts[2].extensions.as_slice(), [0, 0, 5, 0, 0, 0, 4, 210]);
}

#[test]
fn precertificate_matches_an_independent_implementation() {
    // leaf-sct.precert.der is `cryptography`'s tbs_precertificate_bytes;
    // the SCT list sits between other extensions in leaf-sct.der.
    assert_eq!(
        precert_tbs(leaf().tbs()).unwrap(),
        fixture!("leaf-sct.precert.der")
    );
}

#[test]
fn precertificate_needs_exactly_one_sct_extension() {
    assert_eq!(precert_tbs(cert(fixture!("leaf-email.der")).tbs()), None);
    assert_eq!(precert_tbs(&[]), None);
    assert_eq!(precert_tbs(&[0x30, 0x00]), None);
    let tbs = leaf().tbs().to_vec();
    assert_eq!(precert_tbs(&tbs[..tbs.len() - 1]), None);
}

#[test]
fn precertificate_drops_an_emptied_extension_list() {
    // SEQUENCE { INTEGER 1, [3] { SEQUENCE { Extension { SCT list,
    // OCTET STRING { OCTET STRING {} } } } } }
    let mut ext = vec![0x06, 0x0a];
    ext.extend_from_slice(&SCT_LIST_OID.to_der().unwrap()[2..]);
    ext.extend_from_slice(&[0x04, 0x02, 0x04, 0x00]);
    let mut ext_tlv = Vec::new();
    push_tlv(&mut ext_tlv, Tag::Sequence, &ext).unwrap();
    let mut seq = Vec::new();
    push_tlv(&mut seq, Tag::Sequence, &ext_tlv).unwrap();
    let mut body = vec![0x02, 0x01, 0x01];
    body.extend_from_slice(&[0xa3, u8::try_from(seq.len()).unwrap()]);
    body.extend_from_slice(&seq);
    let mut tbs = Vec::new();
    push_tlv(&mut tbs, Tag::Sequence, &body).unwrap();
    assert_eq!(precert_tbs(&tbs).unwrap(), [0x30, 0x03, 0x02, 0x01, 0x01]);
}

#[test]
fn signed_data_is_the_rfc6962_precert_layout() {
    let scts = parse(&tls_list()).unwrap();
    let mut out = Vec::new();
    signed_data(&mut out, &scts[2], &[0xaa; 32], &[1, 2, 3]).unwrap();
    let mut want = vec![0, 0];
    want.extend_from_slice(&SCT_MS.to_be_bytes());
    want.extend_from_slice(&[0, 1]);
    want.extend_from_slice(&[0xaa; 32]);
    want.extend_from_slice(&[0, 0, 3, 1, 2, 3]);
    want.extend_from_slice(&[0, 8, 0, 0, 5, 0, 0, 0, 4, 210]);
    assert_eq!(out, want);
}

#[test]
fn a_leaf_without_scts_fails() {
    assert_eq!(
        verify(&cert(fixture!("leaf-email.der")), &[p256()]),
        Err(SctError::Missing)
    );
}

#[test]
fn unknown_logs_verify_nothing() {
    assert_eq!(
        verify(&leaf(), &[]),
        Err(SctError::NotVerified(SctFailure::UnknownLog))
    );
    let mut other = p256();
    other.log_id[0] ^= 1;
    assert_eq!(
        verify(&leaf(), &[other]),
        Err(SctError::NotVerified(SctFailure::UnknownLog))
    );
}

#[test]
fn a_tampered_sct_signature_fails() {
    let scts = parse(&tls_list()).unwrap();
    let sig = scts[0].signature.signature.as_slice();
    let mut bad = sig.to_vec();
    *bad.last_mut().unwrap() ^= 1;
    let tampered = cert(&patched(fixture!("leaf-sct.der"), sig, &bad));
    assert_eq!(
        verify(&tampered, &[p256()]),
        Err(SctError::NotVerified(SctFailure::BadSignature))
    );
    assert_eq!(verify(&tampered, &[p256(), rsa(), ed25519()]), Ok(2));
}

#[test]
fn scts_bind_the_certificate_contents() {
    let tampered = cert(&patched(
        fixture!("leaf-sct.der"),
        b"example/repo",
        b"example/repp",
    ));
    assert_eq!(
        verify(&tampered, &[p256(), rsa(), ed25519()]),
        Err(SctError::NotVerified(SctFailure::BadSignature))
    );
}

#[test]
fn the_issuer_must_be_the_leafs() {
    assert_eq!(
        verify_embedded_scts(&leaf(), &cert(fixture!("root.der")), &[p256()]),
        Err(SctError::WrongIssuer)
    );
}

#[test]
fn the_sct_algorithm_must_be_the_log_keys() {
    let mismatch = Err(SctError::NotVerified(SctFailure::AlgorithmMismatch));
    // The ECDSA SCT's log declared as P-384.
    let mut p384 = p256();
    p384.key.details = KeyDetails::EcdsaP384Sha384;
    assert_eq!(verify(&leaf(), &[p384]), mismatch);
    // The ECDSA SCT's log id, but an RSA key.
    let mut rsa_key = rsa();
    rsa_key.log_id = p256().log_id;
    assert_eq!(verify(&leaf(), &[rsa_key]), mismatch);
    // The RSA SCT's log id, but an ECDSA key.
    let mut ec_key = p256();
    ec_key.log_id = rsa().log_id;
    assert_eq!(verify(&leaf(), &[ec_key]), mismatch);
    // The Ed25519 SCT's log id, but an ECDSA key.
    let mut ec_key = p256();
    ec_key.log_id = ed25519().log_id;
    assert_eq!(verify(&leaf(), &[ec_key]), mismatch);
}

#[test]
fn an_unusable_log_key_fails() {
    let mut unsupported = p256();
    unsupported.key.details = KeyDetails::Unsupported;
    assert_eq!(
        verify(&leaf(), &[unsupported]),
        Err(SctError::NotVerified(SctFailure::UnsupportedKey))
    );
    let mut garbage = p256();
    garbage.key.der = vec![0x30, 0x00];
    assert_eq!(
        verify(&leaf(), &[garbage]),
        Err(SctError::NotVerified(SctFailure::UnsupportedKey))
    );
}

#[test]
fn the_sct_must_lie_in_the_log_validity_window() {
    let window = |start, end| {
        let mut l = p256();
        l.valid_for = TimeRange::seconds(start, end);
        verify(&leaf(), &[l])
    };
    let outside = Err(SctError::NotVerified(SctFailure::OutsideLogValidity));
    assert_eq!(window(Some(SCT_S), Some(SCT_S + 1)), Ok(1));
    assert_eq!(window(Some(SCT_S + 1), None), outside);
    assert_eq!(window(None, Some(SCT_S - 1)), outside);
}

#[test]
fn the_log_window_is_compared_to_the_millisecond() {
    // The SCT is at SCT_S + 0.123 s.
    let window = |start: Option<u64>, end: Option<u64>| {
        let mut l = p256();
        l.valid_for = TimeRange {
            start: start.map(UnixInstant::from_millis),
            end: end.map(UnixInstant::from_millis),
        };
        verify(&leaf(), &[l])
    };
    let outside = Err(SctError::NotVerified(SctFailure::OutsideLogValidity));
    assert_eq!(window(Some(SCT_MS), Some(SCT_MS)), Ok(1));
    assert_eq!(window(None, Some(SCT_MS - 1)), outside);
    assert_eq!(window(Some(SCT_MS + 1), None), outside);
    // A window that ends within the SCT's second, before it: whole
    // seconds would accept it.
    assert_eq!(window(None, Some(SCT_S * 1000)), outside);
    // One that starts within that second, before it: rounding the start
    // up to a whole second would reject it.
    assert_eq!(window(Some(SCT_S * 1000 + 50), None), Ok(1));
}

#[test]
fn the_furthest_failure_is_reported() {
    let mut early = p256();
    early.valid_for.end = Some(UnixInstant::from_secs(SCT_S - 1));
    let mut mismatched = rsa();
    mismatched.key.details = KeyDetails::EcdsaP256Sha256;
    assert_eq!(
        verify(&leaf(), &[early, mismatched]),
        Err(SctError::NotVerified(SctFailure::AlgorithmMismatch))
    );
    // The same log listed twice: the window that fits wins.
    let mut early = p256();
    early.valid_for.end = Some(UnixInstant::from_secs(SCT_S - 1));
    assert_eq!(verify(&leaf(), &[early, p256()]), Ok(1));
}

#[test]
fn a_truncated_list_is_malformed() {
    let list = tls_list();
    for n in 0..list.len() {
        assert_eq!(
            parse(&list[..n]),
            Err(SctError::Malformed(SctPart::List)),
            "prefix {n}"
        );
    }
    assert_eq!(parse(&list).unwrap().len(), 3);
}

#[test]
fn every_length_field_is_checked() {
    let sct = sct_bytes().swap_remove(0);
    let one = list_of(&[&sct]);
    assert_eq!(parse(&one).unwrap().len(), 1);
    let with_len = |at: usize, delta: i32| {
        let mut l = one.clone();
        let v = i32::from(u16::from_be_bytes([l[at], l[at + 1]])) + delta;
        l[at..at + 2].copy_from_slice(&u16::try_from(v).unwrap().to_be_bytes());
        parse(&l)
    };
    let list = Err(SctError::Malformed(SctPart::List));
    let entry = Err(SctError::Malformed(SctPart::Entry));
    // The list's length.
    assert_eq!(with_len(0, 1), list);
    assert_eq!(with_len(0, -1), list);
    // The SCT's length.
    assert_eq!(with_len(2, 1), list);
    assert_eq!(with_len(2, -1), list);
    // Inside the SCT (after the 2+2 bytes of list and SCT lengths):
    // the extensions' length at 1 + 32 + 8, the signature's after the
    // two algorithm bytes.
    let ext = 4 + 41;
    let sig = ext + 2 + 2;
    assert_eq!(with_len(ext, 1), entry);
    assert_eq!(with_len(sig, 1), entry);
    assert_eq!(with_len(sig, -1), entry);
    // An SCT list of consistent lengths whose SCT lost a byte.
    assert_eq!(parse(&list_of(&[&sct[..sct.len() - 1]])), entry);
    // Trailing bytes after the list.
    let mut trailing = one.clone();
    trailing.push(0);
    assert_eq!(parse(&trailing), list);
}

#[test]
fn unknown_codes_and_empty_entries_are_malformed() {
    let entry = Err(SctError::Malformed(SctPart::Entry));
    let sct = sct_bytes().swap_remove(0);
    let with = |at: usize, v: u8| {
        let mut s = sct.clone();
        s[at] = v;
        parse(&list_of(&[&s]))
    };
    assert_eq!(with(0, 1), entry); // version v2
    assert_eq!(with(43, 9), entry); // hash algorithm
    assert_eq!(with(44, 9), entry); // signature algorithm
    assert_eq!(parse(&list_of(&[&[]])), entry);
    assert_eq!(parse(&[0, 0]), Err(SctError::Empty));
}

#[test]
fn the_sct_count_is_bounded() {
    let sct = sct_bytes().swap_remove(0);
    let at_limit = vec![sct.as_slice(); MAX_EMBEDDED_SCTS];
    assert_eq!(parse(&list_of(&at_limit)).unwrap().len(), MAX_EMBEDDED_SCTS);
    let over = vec![sct.as_slice(); MAX_EMBEDDED_SCTS + 1];
    assert_eq!(parse(&list_of(&over)), Err(SctError::TooMany));
}

#[test]
fn the_extension_must_hold_an_octet_string() {
    let list = tls_list();
    let len = u16::try_from(list.len()).unwrap().to_be_bytes();
    let inner = [0x04, 0x82, len[0], len[1], list[0], list[1]];
    let utf8 = [0x0c, 0x82, len[0], len[1], list[0], list[1]];
    let bad = cert(&patched(fixture!("leaf-sct.der"), &inner, &utf8));
    assert_eq!(
        verify(&bad, &[p256()]),
        Err(SctError::Malformed(SctPart::Extension))
    );
}

#[test]
fn errors_name_the_check() {
    let text = alloc::format!("{}", SctError::NotVerified(SctFailure::BadSignature));
    assert!(text.starts_with("SCT: "), "{text}");
}
