//! Building test inputs: OMS statements, key-signed bundles (signed with
//! the test key `testdata/keys/p256.pem`, as model_signing signs: ECDSA
//! P-256 with SHA-256 over the DSSE PAE) and hand-written DER.

use base64ct::{Base64, Encoding};
use oms_edge_core::PublicKey;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::DecodePrivateKey;
use sha2::{Digest as _, Sha256};

use crate::testdata;

/// The DSSE payload type of an in-toto statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// The test signing key (`testdata/keys/p256.pem`).
pub fn signing_key() -> SigningKey {
    let pem = std::fs::read(testdata().join("keys/p256.pem")).expect("p256.pem");
    let (label, der) = pem_rfc7468::decode_vec(&pem).expect("PEM");
    assert_eq!(label, "PRIVATE KEY");
    SigningKey::from_pkcs8_der(&der).expect("PKCS#8 P-256 key")
}

/// The test key's public half, as the verifier reads it.
pub fn public_key() -> PublicKey {
    let pem = std::fs::read(testdata().join("keys/p256.pub.pem")).expect("p256.pub.pem");
    PublicKey::from_pem_or_der(&pem).expect("public key")
}

/// DSSE v1 PAE of an in-toto payload.
pub fn pae(payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {PAYLOAD_TYPE} {} ",
        PAYLOAD_TYPE.len(),
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// Base64 (standard alphabet, padded).
pub fn b64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// A v0.3 key-method bundle whose envelope carries `payload` and the DER
/// signature `sig` as given.
pub fn bundle_with_sig(payload: &[u8], sig: &[u8]) -> Vec<u8> {
    format!(
        r#"{{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{{"publicKey":{{}}}},"dsseEnvelope":{{"payload":"{}","payloadType":"{PAYLOAD_TYPE}","signatures":[{{"sig":"{}"}}]}}}}"#,
        b64(payload),
        b64(sig)
    )
    .into_bytes()
}

/// A v0.3 key-method bundle over `payload`, validly signed with the test key.
pub fn sign_bundle(payload: &[u8]) -> Vec<u8> {
    let sig: DerSignature = signing_key().sign(&pae(payload));
    bundle_with_sig(payload, sig.as_bytes())
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One resource of a v1.0 manifest: `name` as it goes into the JSON string
/// (escapes allowed), `algorithm` and the hex `digest` as written.
#[derive(Debug, Clone)]
pub struct Res {
    /// The JSON string's contents.
    pub name: String,
    /// `algorithm`.
    pub algorithm: String,
    /// `digest` (hex).
    pub digest: String,
}

impl Res {
    /// A `sha256` resource with the digest of `content`.
    pub fn sha256(name: &str, content: &[u8]) -> Self {
        Res {
            name: name.to_owned(),
            algorithm: "sha256".to_owned(),
            digest: hex(&Sha256::digest(content)),
        }
    }
}

/// A v1.0 OMS statement with `serialization` (a JSON object, as text) and
/// `resources`; the subject digest is computed over the resources' digests
/// (hex that does not decode contributes nothing: the manifest check fails
/// first anyway).
pub fn statement(serialization: &str, resources: &[Res]) -> String {
    let mut root = Sha256::new();
    for r in resources {
        let raw: Option<Vec<u8>> = (0..r.digest.len() / 2)
            .map(|i| u8::from_str_radix(r.digest.get(2 * i..2 * i + 2)?, 16).ok())
            .collect();
        root.update(raw.unwrap_or_default());
    }
    let list: Vec<String> = resources
        .iter()
        .map(|r| {
            format!(
                r#"{{"name":"{}","algorithm":"{}","digest":"{}"}}"#,
                r.name, r.algorithm, r.digest
            )
        })
        .collect();
    format!(
        r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"model","digest":{{"sha256":"{}"}}}}],"predicateType":"https://model_signing/signature/v1.0","predicate":{{"serialization":{serialization},"resources":[{}]}}}}"#,
        hex(&root.finalize()),
        list.join(",")
    )
}

/// `serialization` for the files method with `hash`.
pub fn files_serialization(hash: &str) -> String {
    format!(r#"{{"method":"files","hash_type":"{hash}","allow_symlinks":false}}"#)
}

/// A DER TLV with a definite length.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// The content length `c` for which `tlv(tag, c bytes)` is `total` bytes
/// long, if there is one.
pub fn content_len_for(total: usize) -> Option<usize> {
    (0..=total)
        .rev()
        .find(|&c| tlv(0, &vec![0; c]).len() == total)
}
