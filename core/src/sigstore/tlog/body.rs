//! Check 3 of a log entry: its `canonicalizedBody` describes *this*
//! bundle (the defence against CVE-2022-36056-style substitution: an entry
//! for another artifact, signature or signer). See the parent module's
//! check 3 for what each kind must log.

use alloc::vec::Vec;

use sha2::{Digest as _, Sha256};

use super::{Content, EntryKind, Signer, TlogError, base64_of, decimal, decode_base64, field};
use crate::encoding::{base64_vec, hex_val};
use crate::json::{self, Array, Field, JsonStr, Object, Problem};
use crate::keys::{Digests, KeyAlgorithm, PrehashState, SigHash};
use crate::limits::MAX_DSSE_SIGNATURES;
use crate::sigstore::registry::SigstoreKey;

/// What the logged digest must be.
#[derive(Clone, Copy)]
enum Expected<'c> {
    /// The artifact's digest under the hash the entry names.
    Artifact(&'c Digests),
    /// The hash of the envelope's PAE, with the algorithm the entry names.
    Pae {
        payload_type: &'c str,
        payload: &'c [u8],
    },
}

impl Expected<'_> {
    /// The expected digest under `hash`, or `None` when the bundle does not
    /// determine one (an artifact digest is only known as SHA-256).
    fn digest(self, hash: SigHash, out: &mut [u8; 64]) -> Option<usize> {
        match self {
            Expected::Artifact(d) => {
                let d = d.get(hash)?;
                out.get_mut(..d.len())?.copy_from_slice(d);
                Some(d.len())
            }
            Expected::Pae {
                payload_type,
                payload,
            } => {
                let mut h = PrehashState::new(hash);
                let mut digits = [0u8; 20];
                h.update(b"DSSEv1 ");
                h.update(decimal(
                    u64::try_from(payload_type.len()).unwrap_or(u64::MAX),
                    &mut digits,
                ));
                h.update(b" ");
                h.update(payload_type.as_bytes());
                h.update(b" ");
                h.update(decimal(
                    u64::try_from(payload.len()).unwrap_or(u64::MAX),
                    &mut digits,
                ));
                h.update(b" ");
                h.update(payload);
                Some(h.finalize_into(out))
            }
        }
    }
}

/// Check 3: the body names this entry's kind and describes the bundle.
#[inline(never)]
pub(super) fn check_body(
    kind: EntryKind,
    body: &[u8],
    content: &Content<'_>,
    signer: &Signer<'_>,
    signer_key: Option<&SigstoreKey>,
) -> Result<(), TlogError> {
    let doc = json::parse(body).map_err(TlogError::BodyJson)?;
    let root = doc.at(Field::CanonicalizedBody).object()?;
    let k = root
        .required_set("kind", Field::BodyKind)
        .and_then(|m| m.string())?;
    let v = root
        .required_set("apiVersion", Field::BodyApiVersion)
        .and_then(|m| m.string())?;
    if !k.eq_str(kind.kind()) || !v.eq_str(kind.version()) {
        return Err(TlogError::KindMismatch);
    }
    let spec = root
        .required_set("spec", Field::BodySpec)
        .and_then(|m| m.object())?;
    match *content {
        Content::MessageSignature { digests, signature } => match kind {
            EntryKind::HashedRekord001 => hashedrekord_v001(&spec, &digests, signature, signer),
            EntryKind::HashedRekord002 => {
                let expected = Expected::Artifact(&digests);
                hashedrekord_v002(&spec, expected, signature, signer, signer_key)
            }
            _ => Err(TlogError::ContentMismatch),
        },
        Content::Dsse {
            payload_type,
            payload,
            signatures,
        } => {
            let env = Logged {
                payload,
                signatures,
                signer: *signer,
            };
            match (kind, signatures) {
                // The entry logs one signature: the envelope must hold just it.
                (EntryKind::HashedRekord002, [signature]) => hashedrekord_v002(
                    &spec,
                    Expected::Pae {
                        payload_type,
                        payload,
                    },
                    signature,
                    signer,
                    signer_key,
                ),
                (EntryKind::HashedRekord002, _) => Err(TlogError::SignatureMismatch),
                (EntryKind::Dsse001, _) => dsse_v001(&spec, &env),
                (EntryKind::Dsse002, _) => Err(TlogError::DsseOnRekorV2),
                (EntryKind::Intoto002, _) => intoto_v002(&spec, &env),
                (EntryKind::HashedRekord001, _) => Err(TlogError::ContentMismatch),
            }
        }
    }
}

/// `hashedrekord` 0.0.1: `data.hash`, `signature.content`,
/// `signature.publicKey.content`.
#[inline(never)]
fn hashedrekord_v001(
    spec: &Object<'_>,
    digest: &Digests,
    signature: &[u8],
    signer: &Signer<'_>,
) -> Result<(), TlogError> {
    let data = spec
        .required_set("data", Field::BodyDigest)
        .and_then(|m| m.object())?;
    let hash = data
        .required_set("hash", Field::BodyDigest)
        .and_then(|m| m.object())?;
    hex_hash_matches(&hash, digest)?;
    let sig = spec
        .required_set("signature", Field::BodySignature)
        .and_then(|m| m.object())?;
    if base64_of(&sig, "content", Field::BodySignature)? != signature {
        return Err(TlogError::SignatureMismatch);
    }
    let key = sig
        .required_set("publicKey", Field::BodyVerifier)
        .and_then(|m| m.object())?;
    pem_signer_matches(
        key.required_set("content", Field::BodyVerifier)
            .and_then(|m| m.string())?,
        signer,
    )
}

/// `hashedrekord` 0.0.2: `hashedRekordV002.{data, signature}`.
#[inline(never)]
fn hashedrekord_v002(
    spec: &Object<'_>,
    expected: Expected<'_>,
    signature: &[u8],
    signer: &Signer<'_>,
    signer_key: Option<&SigstoreKey>,
) -> Result<(), TlogError> {
    let hr = spec
        .required_set("hashedRekordV002", Field::BodySpec)
        .and_then(|m| m.object())?;
    let data = hr
        .required_set("data", Field::BodyDigest)
        .and_then(|m| m.object())?;
    let hash = proto_hash(&data, Field::BodyDigest)?;
    let mut want = [0u8; 64];
    let n = expected
        .digest(hash, &mut want)
        .ok_or(TlogError::DigestMismatch)?;
    if Some(base64_of(&data, "digest", Field::BodyDigest)?.as_slice()) != want.get(..n) {
        return Err(TlogError::DigestMismatch);
    }
    let sig = hr
        .required_set("signature", Field::BodySignature)
        .and_then(|m| m.object())?;
    v2_signature_matches(&sig, signature, signer)?;
    let Some(key) = signer_key else {
        return Ok(());
    };
    let verifier = sig
        .required_set("verifier", Field::BodyVerifier)
        .and_then(|m| m.object())?;
    let logged = verifier
        .member_set("keyDetails", Field::BodyVerifier)?
        .map(|d| d.string())
        .transpose()?;
    if logged.is_some_and(|d| key_details_match(key, d)) {
        Ok(())
    } else {
        Err(TlogError::KeyDetailsMismatch)
    }
}

/// Whether `logged` is a protobuf `PublicKeyDetails` Sigstore clients log
/// for `key`: each curve with its hash (sigstore-go and sigstore-python
/// pair them so); an RSA key with SHA-256 under either padding of its size,
/// since the key alone does not fix the padding.
fn key_details_match(key: &SigstoreKey, logged: JsonStr<'_>) -> bool {
    let names: &[&str] = match key.algorithm() {
        KeyAlgorithm::EcdsaP256 => &["PKIX_ECDSA_P256_SHA_256"],
        KeyAlgorithm::EcdsaP384 => &["PKIX_ECDSA_P384_SHA_384"],
        KeyAlgorithm::EcdsaP521 => &["PKIX_ECDSA_P521_SHA_512"],
        KeyAlgorithm::Rsa2048 => &["PKIX_RSA_PKCS1V15_2048_SHA256", "PKIX_RSA_PSS_2048_SHA256"],
        KeyAlgorithm::Rsa3072 => &["PKIX_RSA_PKCS1V15_3072_SHA256", "PKIX_RSA_PSS_3072_SHA256"],
        KeyAlgorithm::Rsa4096 => &["PKIX_RSA_PKCS1V15_4096_SHA256", "PKIX_RSA_PSS_4096_SHA256"],
    };
    names.iter().any(|n| logged.eq_str(n))
}

/// What a DSSE entry must log of the bundle.
struct Logged<'c> {
    payload: &'c [u8],
    signatures: &'c [&'c [u8]],
    signer: Signer<'c>,
}

/// `dsse` 0.0.1: `payloadHash` and `signatures[].{signature, verifier}`.
#[inline(never)]
fn dsse_v001(spec: &Object<'_>, env: &Logged<'_>) -> Result<(), TlogError> {
    let ph = spec
        .required_set("payloadHash", Field::BodyPayloadHash)
        .and_then(|m| m.object())?;
    hex_hash_matches(&ph, &payload_sha256(env.payload))?;
    let list = spec
        .required_set("signatures", Field::BodySignatures)
        .and_then(|m| m.array())?;
    signatures_match(list, env.signatures, |s| {
        pem_signer_matches(
            s.required_set("verifier", Field::BodyVerifier)
                .and_then(|m| m.string())?,
            &env.signer,
        )?;
        base64_of(s, "signature", Field::BodySignature)
    })
}

/// `intoto` 0.0.2: `content.payloadHash` and
/// `content.envelope.signatures[].{sig, publicKey}`.
#[inline(never)]
fn intoto_v002(spec: &Object<'_>, env: &Logged<'_>) -> Result<(), TlogError> {
    let c = spec
        .required_set("content", Field::BodySpec)
        .and_then(|m| m.object())?;
    let ph = c
        .required_set("payloadHash", Field::BodyPayloadHash)
        .and_then(|m| m.object())?;
    hex_hash_matches(&ph, &payload_sha256(env.payload))?;
    let envelope = c
        .required_set("envelope", Field::BodySpec)
        .and_then(|m| m.object())?;
    let list = envelope
        .required_set("signatures", Field::BodySignatures)
        .and_then(|m| m.array())?;
    signatures_match(list, env.signatures, |s| {
        pem_signer_matches(
            s.required_set("publicKey", Field::BodyVerifier)
                .and_then(|m| m.string())?,
            &env.signer,
        )?;
        // Base64 of the base64 text of the signature. Text that is not
        // base64 inside is no signature of the bundle's (sigstore-go reads
        // it as empty and reports a mismatch).
        let text = base64_of(s, "sig", Field::BodySignature)?;
        base64_vec(text).ok_or(TlogError::SignatureMismatch)
    })
}

/// The logged signatures, each read by `read` (which also checks its
/// verifier), equal the envelope's as a set.
fn signatures_match(
    list: Array<'_>,
    wanted: &[&[u8]],
    read: impl Fn(&Object<'_>) -> Result<Vec<u8>, TlogError>,
) -> Result<(), TlogError> {
    if wanted.len() > MAX_DSSE_SIGNATURES {
        return Err(field(Field::BodySignatures, Problem::TooLong));
    }
    let mut used = [false; MAX_DSSE_SIGNATURES];
    let mut n = 0usize;
    for item in list.iter() {
        let item = item
            .map_err(TlogError::BodyJson)?
            .at(Field::BodySignatures)
            .object()?;
        let sig = read(&item)?;
        n = n.saturating_add(1);
        if n > wanted.len() {
            return Err(TlogError::SignatureMismatch);
        }
        let slot = wanted
            .iter()
            .zip(used.iter_mut())
            .find(|(w, u)| !**u && **w == sig.as_slice())
            .ok_or(TlogError::SignatureMismatch)?;
        *slot.1 = true;
    }
    if n == wanted.len() {
        Ok(())
    } else {
        Err(TlogError::SignatureMismatch)
    }
}

/// A Rekor v2 `Signature`: `content` is `signature`, `verifier` the signer.
fn v2_signature_matches(
    sig: &Object<'_>,
    signature: &[u8],
    signer: &Signer<'_>,
) -> Result<(), TlogError> {
    if base64_of(sig, "content", Field::BodySignature)? != signature {
        return Err(TlogError::SignatureMismatch);
    }
    let verifier = sig
        .required_set("verifier", Field::BodyVerifier)
        .and_then(|m| m.object())?;
    v2_verifier_matches(&verifier, signer)
}

/// A Rekor v2 `Verifier`: exactly one of `x509Certificate.rawBytes` and
/// `publicKey.rawBytes`, equal to the signer's DER.
fn v2_verifier_matches(v: &Object<'_>, signer: &Signer<'_>) -> Result<(), TlogError> {
    let cert = v.member_set("x509Certificate", Field::BodyVerifier)?;
    let key = v.member_set("publicKey", Field::BodyVerifier)?;
    let (is_cert, holder) = match (cert, key) {
        (Some(c), None) => (true, c),
        (None, Some(k)) => (false, k),
        _ => return Err(field(Field::BodyVerifier, Problem::Invalid)),
    };
    let der = base64_of(&holder.object()?, "rawBytes", Field::BodyVerifier)?;
    signer_is(signer, is_cert, &der)
}

/// A Rekor v1 verifier: base64 of a PEM `CERTIFICATE` or `PUBLIC KEY`
/// whose DER is the signer's.
#[inline(never)]
fn pem_signer_matches(b64_pem: JsonStr<'_>, signer: &Signer<'_>) -> Result<(), TlogError> {
    let invalid = |_| field(Field::BodyVerifier, Problem::Invalid);
    let pem = decode_base64(b64_pem, Field::BodyVerifier)?;
    // Rekor stores whatever PEM the client sent: Go and Python wrap at 64
    // columns, some clients not at all (the intoto entries of
    // sigstore-conformance hold one long line), so the width is detected.
    let mut decoder = pem_rfc7468::Decoder::new_detect_wrap(&pem).map_err(invalid)?;
    let mut der = Vec::new();
    decoder.decode_to_end(&mut der).map_err(invalid)?;
    let is_cert = match decoder.type_label() {
        "CERTIFICATE" => true,
        "PUBLIC KEY" => false,
        _ => return Err(field(Field::BodyVerifier, Problem::Invalid)),
    };
    signer_is(signer, is_cert, &der)
}

fn signer_is(signer: &Signer<'_>, is_cert: bool, der: &[u8]) -> Result<(), TlogError> {
    let same = match signer {
        Signer::Certificate(c) => is_cert && *c == der,
        Signer::PublicKey(k) => !is_cert && *k == der,
    };
    if same {
        Ok(())
    } else {
        Err(TlogError::SignerMismatch)
    }
}

/// The SHA-256 of a DSSE payload, as the only digest known of it.
fn payload_sha256(payload: &[u8]) -> Digests {
    let mut d = Digests::default();
    d.set(SigHash::Sha256, &Sha256::digest(payload));
    d
}

/// A Rekor v1 hash object `{algorithm, value}` (hex): the digest `digest`
/// holds under that algorithm (`sha256`, `sha384` or `sha512`).
fn hex_hash_matches(hash: &Object<'_>, digest: &Digests) -> Result<(), TlogError> {
    let f = Field::BodyDigest;
    let alg = hash.required_set("algorithm", f).and_then(|m| m.string())?;
    let hash_alg = SigHash::ALL
        .iter()
        .copied()
        .find(|h| alg.eq_str(h.lower_name()))
        .ok_or(field(f, Problem::Invalid))?;
    let want = digest.get(hash_alg);
    let value = hash.required_set("value", f).and_then(|m| m.string())?;
    let mut hex = value.bytes();
    let mut equal = want.is_some();
    let mut n = 0usize;
    while let Some(hi) = hex.next() {
        let lo = hex.next().ok_or(field(f, Problem::Invalid))?;
        let b = match (hex_val(hi), hex_val(lo)) {
            (Some(h), Some(l)) => (h << 4) | l,
            _ => return Err(field(f, Problem::Invalid)),
        };
        equal &= want.and_then(|w| w.get(n)) == Some(&b);
        n = n.saturating_add(1);
    }
    if equal && Some(n) == want.map(<[u8]>::len) {
        Ok(())
    } else {
        Err(TlogError::DigestMismatch)
    }
}

/// A protobuf `HashAlgorithm` name in `obj.algorithm` (of the hashes this
/// build has).
fn proto_hash(obj: &Object<'_>, f: Field) -> Result<SigHash, TlogError> {
    let alg = obj.required_set("algorithm", f)?.string()?;
    SigHash::ALL
        .iter()
        .copied()
        .find(|h| alg.eq_str(h.proto_name()))
        .ok_or(field(f, Problem::Invalid))
}
