//! The certificate method against bundles rebuilt from a reference-signed
//! vector (`testdata/vectors/cert-extra-intermediate`), their leaf
//! re-issued by the test PKI's intermediate.

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use der::{Decode, Encode, Header, Length, Reader, SliceReader, Tag};
use p256::ecdsa::{DerSignature, SigningKey, signature::Signer};
use p256::pkcs8::DecodePrivateKey;

use super::*;
use crate::x509::{CertificateError, TrustStore};

const VECTOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/vectors/cert-extra-intermediate"
);
const PKI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/pki");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// `tag` around `content`, DER.
fn tlv(tag: Tag, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    Header::new(tag, Length::try_from(content.len()).unwrap())
        .encode_to_vec(&mut out)
        .unwrap();
    out.extend_from_slice(content);
    out
}

/// `leaf` with its serial number's first byte replaced by `first`, signed
/// again (ECDSA P-256, SHA-256) by the intermediate that issued it.
fn reissued(leaf: &[u8], first: u8) -> Vec<u8> {
    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
    let mut outer = SliceReader::new(leaf).unwrap();
    let header = Header::decode(&mut outer).unwrap();
    assert_eq!(header.tag(), Tag::Sequence);
    let mut tbs = outer.tlv_bytes().unwrap().to_vec();
    let algorithm = outer.tlv_bytes().unwrap().to_vec();
    // TBSCertificate ::= SEQUENCE { [0] version, serialNumber INTEGER, ... }
    let mut r = SliceReader::new(&tbs).unwrap();
    let tbs_header = Header::decode(&mut r).unwrap();
    let version = r.tlv_bytes().unwrap();
    let serial_at =
        usize::try_from(u32::from(tbs_header.encoded_len().unwrap())).unwrap() + version.len();
    assert_eq!(tbs[serial_at], 0x02, "the serial number's INTEGER tag");
    // The content's first byte (short-form length): 0x80 keeps the
    // encoding minimal whatever follows.
    tbs[serial_at + 2] = first;
    let pem = String::from_utf8(read(&std::format!("{PKI}/p256-intermediate.key.pem"))).unwrap();
    let (_, key) = pem_rfc7468::decode_vec(pem.as_bytes()).unwrap();
    let key = SigningKey::from_pkcs8_der(&key).unwrap();
    let signature: DerSignature = key.sign(&tbs);
    let mut bits = alloc::vec![0u8];
    bits.extend_from_slice(signature.as_bytes());
    let mut body = tbs;
    body.extend_from_slice(&algorithm);
    body.extend_from_slice(&tlv(Tag::BitString, &bits));
    tlv(Tag::Sequence, &body)
}

/// The vector's bundle with its leaf (the chain's first `rawBytes`)
/// replaced by `leaf`.
fn with_leaf(bundle: &str, leaf: &[u8]) -> String {
    let key = "\"rawBytes\":\"";
    let start = bundle.find(key).unwrap() + key.len();
    let end = start + bundle[start..].find('"').unwrap();
    let mut out = String::from(&bundle[..start]);
    out.push_str(&Base64::encode_string(leaf));
    out.push_str(&bundle[end..]);
    out
}

fn verify(bundle: &str) -> Result<(), Error> {
    let mut store = TrustStore::new();
    store
        .add_pem(&read(&std::format!("{PKI}/p256-root.pem")))
        .unwrap();
    let verifier = CertificateVerifier::new(store);
    let mut buf = alloc::vec![0u8; bundle.len()];
    // The vector's verification time (case.json: 2026-06-01T00:00:00Z).
    let at = Time::at_secs(1_780_272_000);
    verifier.verify(bundle.as_bytes(), at, &mut buf).map(|_| ())
}

/// RFC 5280 §4.1.2.2 asks certificate users to handle a negative serial
/// number from a non-conforming CA gracefully, and the reference's OpenSSL
/// store accepts one: the certificate method does too (only the sigstore
/// method refuses it, on a Fulcio leaf).
#[test]
fn a_leaf_with_a_negative_serial_verifies() {
    let bundle = String::from_utf8(read(&std::format!("{VECTOR}/model.sig"))).unwrap();
    verify(&bundle).unwrap();
    let key = "\"rawBytes\":\"";
    let start = bundle.find(key).unwrap() + key.len();
    let end = start + bundle[start..].find('"').unwrap();
    let leaf = Base64::decode_vec(&bundle[start..end]).unwrap();
    // Re-issued with a positive serial: the rebuilt leaf verifies (the
    // test's re-signing is sound), and so does a negative one.
    verify(&with_leaf(&bundle, &reissued(&leaf, 0x11))).unwrap();
    verify(&with_leaf(&bundle, &reissued(&leaf, 0x80))).unwrap();
    // The leaf is checked: a serial changed without signing again fails.
    let mut forged = leaf.clone();
    let at = forged
        .windows(3)
        .position(|w| w[0] == 0x02 && w[1] == 0x14)
        .unwrap();
    forged[at + 2] ^= 0x80;
    assert!(matches!(
        verify(&with_leaf(&bundle, &forged)),
        Err(Error::Certificate(CertificateError::BadSignature { .. }))
    ));
}
