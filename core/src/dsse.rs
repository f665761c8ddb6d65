//! Step 7: the DSSE envelope (DSSE protocol v1.0) and its one signature.
//!
//! Checks, in order:
//! 1. `payloadType` is `application/vnd.in-toto+json` (in-toto Statement v1);
//! 2. `signatures` holds exactly one entry (OMS §4.1); its `keyid` may be
//!    absent, `null` or any string (OMS does not use it); `sig` is base64
//!    of at most [`MAX_SIGNATURE_BYTES`] bytes;
//! 3. the signature verifies over PAE(payloadType, payload) =
//!    `"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload`;
//! 4. only if that fails, and only for OMS model bundles (the caller passes
//!    a [`CompatHash`]; generic DSSE bundles pass none, as DSSE v1,
//!    sigstore-go and sigstore-python accept nothing but the standard PAE),
//!    over the encoding model_signing used before v1.0 (`pae_compat` in
//!    `model_signing/_signing/sign_sigstore_pb.py`):
//!    `"DSSEV1 28 application/vnd.in-toto+json " + str(LEN) + " " +
//!    repr(payload)`, where `repr` is Python's `bytes` repr (`b'...'`).
//!    The reference verifies that fallback with the curve's hash for the key
//!    method and with SHA-256 for the certificate method (v0.2 signers
//!    hard-coded SHA-256); [`CompatHash`] selects which.
//!
//! The PAE is streamed into the hash: no buffer holds it.

use core::fmt;

use crate::bundle::Envelope;
use crate::check::Check;
use crate::encoding::hex_digit;
use crate::json::{Field, FieldError, JsonError, Problem, decode_base64};
use crate::keys::{PrehashKey, PrehashState, SigHash, SignatureError};
use crate::limits::{MAX_DSSE_SIGNATURES, MAX_SIGNATURE_BYTES};

/// The only payload type an OMS envelope may carry.
pub(crate) const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// Why the DSSE envelope or its signature was refused (step 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum DsseError {
    /// `payloadType` is not `application/vnd.in-toto+json`.
    WrongPayloadType,
    /// `signatures` is empty.
    NoSignature,
    /// More than one signature (OMS signs with exactly one key).
    MultipleSignatures,
    /// `keyid` is neither absent, `null` nor a string.
    InvalidKeyid,
    /// The signature is not a signature of the key's encoding (DER ECDSA
    /// for its curve; for RSA, of the modulus' length).
    SignatureEncoding,
    /// The signature does not verify over PAE(payloadType, payload)
    /// (nor over the pre-1.0 compat encoding, where that is allowed).
    BadSignature,
    /// The decoded payload does not fit the caller's payload buffer.
    PayloadTooLarge {
        /// Bytes needed.
        needed: usize,
    },
    /// A member of the envelope (`payload`, `signatures[0]`, its `sig` or
    /// `keyid`) is missing, mistyped, duplicated, not base64 or too long.
    Field {
        /// Which member.
        field: Field,
        /// What is wrong with it.
        problem: Problem,
    },
}

impl From<FieldError> for DsseError {
    fn from(e: FieldError) -> Self {
        DsseError::Field {
            field: e.field,
            problem: e.problem,
        }
    }
}

impl DsseError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            DsseError::WrongPayloadType => Check::DsseWrongPayloadType,
            DsseError::NoSignature => Check::DsseNoSignature,
            DsseError::MultipleSignatures => Check::DsseMultipleSignatures,
            DsseError::InvalidKeyid => Check::DsseInvalidKeyid,
            DsseError::SignatureEncoding => Check::DsseSignatureEncoding,
            DsseError::BadSignature => Check::DsseBadSignature,
            DsseError::PayloadTooLarge { .. } => Check::DssePayloadTooLarge,
            DsseError::Field { problem, .. } => match problem {
                Problem::Missing => Check::DsseFieldMissing,
                Problem::WrongType => Check::DsseFieldWrongType,
                Problem::Duplicate => Check::DsseFieldDuplicate,
                Problem::Base64 => Check::DsseFieldBase64,
                Problem::TooLong => Check::DsseFieldTooLong,
                Problem::Invalid => Check::DsseFieldInvalid,
            },
        }
    }

    /// The member the error is about, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            DsseError::Field { field, .. } => Some(*field),
            _ => None,
        }
    }
}

impl From<SignatureError> for DsseError {
    fn from(e: SignatureError) -> Self {
        match e {
            SignatureError::Encoding => DsseError::SignatureEncoding,
            SignatureError::Mismatch => DsseError::BadSignature,
        }
    }
}

impl fmt::Display for DsseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DsseError::WrongPayloadType => {
                f.write_str("dsse: payloadType is not application/vnd.in-toto+json")
            }
            DsseError::NoSignature => f.write_str("dsse: envelope has no signature"),
            DsseError::MultipleSignatures => {
                f.write_str("dsse: envelope has more than one signature")
            }
            DsseError::InvalidKeyid => f.write_str("dsse: keyid is not a string or null"),
            DsseError::SignatureEncoding => {
                f.write_str("dsse: signature is not encoded for the key (DER ECDSA for its curve)")
            }
            DsseError::BadSignature => f.write_str("dsse: signature does not verify with the key"),
            DsseError::PayloadTooLarge { needed } => {
                write!(
                    f,
                    "dsse: payload needs {needed} bytes, more than the buffer"
                )
            }
            DsseError::Field { field, problem } => write!(f, "dsse: `{field}` {problem}"),
        }
    }
}

/// Which pre-authentication encoding the signature was made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PaeEncoding {
    /// DSSE v1.0 PAE.
    Standard,
    /// model_signing < 1.0's buggy encoding (see the module docs).
    Compat,
}

/// The hash the compat fallback (check 4) uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompatHash {
    /// The hash paired with the key's curve (the reference's key method).
    KeyCurve,
    /// SHA-256 whatever the curve (the reference's certificate method).
    #[cfg(feature = "certificate")]
    Sha256,
}

/// The envelope's payload, authenticated: only [`verify_envelope`] makes one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VerifiedPayload<'p> {
    bytes: &'p [u8],
    encoding: PaeEncoding,
}

impl<'p> VerifiedPayload<'p> {
    /// The signed payload bytes.
    pub(crate) fn bytes(&self) -> &'p [u8] {
        self.bytes
    }

    /// The encoding the signature covered.
    pub(crate) fn encoding(&self) -> PaeEncoding {
        self.encoding
    }
}

/// Checks 1–2: the payload type and the one signature's bytes, decoded
/// into `sig_buf`.
pub(crate) fn envelope_signature<'s>(
    env: &Envelope<'_>,
    sig_buf: &'s mut [u8],
) -> Result<&'s [u8], DsseError> {
    if !env.payload_type.eq_str(IN_TOTO_PAYLOAD_TYPE) {
        return Err(DsseError::WrongPayloadType);
    }
    // The elements of a validated document always read; be total anyway.
    let element = |e: Result<_, JsonError>| {
        e.map_err(|_| FieldError::new(Field::Signatures, Problem::Invalid))
    };
    let mut sigs = env.signatures.iter();
    let first = match sigs.next() {
        None => return Err(DsseError::NoSignature),
        Some(v) => element(v)?,
    };
    let mut count = 1usize;
    for extra in sigs {
        element(extra)?;
        count = count.saturating_add(1);
        if count > MAX_DSSE_SIGNATURES {
            break;
        }
    }
    if count > 1 {
        return Err(DsseError::MultipleSignatures);
    }
    let sig = first
        .object()
        .map_err(|_| FieldError::new(Field::Signatures, Problem::WrongType))?;
    if let Some(keyid) = sig.member("keyid", Field::Keyid)?
        && !(keyid.value.is_null() || keyid.value.str().is_ok())
    {
        return Err(DsseError::InvalidKeyid);
    }
    let sig = sig.required("sig", Field::Sig)?.string()?;
    Ok(decode_base64(sig, sig_buf, Field::Sig)?)
}

/// The longest signature this build can verify: RSA-4096's 512 bytes with
/// the `rsa` feature, else a DER ECDSA P-521 signature's 139 (Ed25519:
/// 64). A longer one fails as too long (without `rsa`, no key here could
/// verify it anyway); the bound keeps the buffer small on small stacks.
pub(crate) const SIGNATURE_BUF: usize = if cfg!(feature = "rsa") {
    MAX_SIGNATURE_BYTES
} else {
    144
};

/// Checks 1–2 into `out`: the signature decoded in a buffer of this frame
/// (it holds the base64 text, twice the limit), then copied out. Not
/// inlined, so that only the decoded bytes, not the text, are on the stack
/// while the signature is checked.
#[inline(never)]
fn decoded_signature<'s>(
    env: &Envelope<'_>,
    out: &'s mut [u8; SIGNATURE_BUF],
) -> Result<&'s [u8], DsseError> {
    let mut text = [0u8; SIGNATURE_BUF * 2];
    let sig = envelope_signature(env, &mut text)?;
    // The buffer holds the base64 text; the limit is on the decoded DER.
    let dst = out
        .get_mut(..sig.len())
        .ok_or(FieldError::new(Field::Sig, Problem::TooLong))?;
    dst.copy_from_slice(sig);
    Ok(dst)
}

/// Checks 1–2 passed: the one signature's bytes, copied out of the bundle,
/// so that the payload can be decoded wherever the caller wants it (even
/// over the bundle's own bytes) before checks 3–4 ([`verify_decoded`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prepared {
    sig: [u8; SIGNATURE_BUF],
    sig_len: usize,
}

/// Checks 1–2 (see [`Prepared`]).
pub(crate) fn prepare(env: &Envelope<'_>) -> Result<Prepared, DsseError> {
    let mut out = Prepared {
        sig: [0; SIGNATURE_BUF],
        sig_len: 0,
    };
    out.sig_len = decoded_signature(env, &mut out.sig)?.len();
    Ok(out)
}

/// Checks 3–4 over `payload`, the decoded `payload` of the envelope that
/// [`prepare`] read.
pub(crate) fn verify_decoded<'p, K: PrehashKey + ?Sized>(
    prepared: &Prepared,
    payload: &'p [u8],
    key: &K,
    compat: Option<CompatHash>,
) -> Result<VerifiedPayload<'p>, DsseError> {
    let sig = prepared.sig.get(..prepared.sig_len).unwrap_or(&[]);
    check_signature(sig, payload, key, compat)
}

/// Verifies the envelope with `key` (its hash: the curve's, or SHA-256 for
/// RSA) and returns the authenticated payload, decoded into `payload_buf`
/// (which must hold the payload's base64 text). `compat` enables the
/// pre-1.0 fallback (check 4) with that hash; `None` accepts the standard
/// PAE only.
pub(crate) fn verify_envelope<'p, K: PrehashKey + ?Sized>(
    env: &Envelope<'_>,
    key: &K,
    compat: Option<CompatHash>,
    payload_buf: &'p mut [u8],
) -> Result<VerifiedPayload<'p>, DsseError> {
    let mut sig_buf = [0u8; SIGNATURE_BUF];
    let sig = decoded_signature(env, &mut sig_buf)?;
    let needed = env.payload.raw().len();
    if payload_buf.len() < needed {
        return Err(DsseError::PayloadTooLarge { needed });
    }
    let payload = decode_base64(env.payload, payload_buf, Field::Payload)?;
    check_signature(sig, payload, key, compat)
}

/// Checks 3–4: `sig` over the PAE of `payload` with `key`, the standard
/// encoding first, then (with `compat`) the pre-1.0 one. Always inlined:
/// [`verify_envelope`]'s frame stays what the firmware's stack budget
/// measured.
#[inline(always)]
fn check_signature<'p, K: PrehashKey + ?Sized>(
    sig: &[u8],
    payload: &'p [u8],
    key: &K,
    compat: Option<CompatHash>,
) -> Result<VerifiedPayload<'p>, DsseError> {
    let mut digest = [0u8; 64];
    let n = pae_digest(key.sig_hash(), payload, &mut digest);
    let standard = key.verify_prehash(digest.get(..n).unwrap_or(&[]), sig);
    let hash = match (standard, compat) {
        (Ok(()), _) => {
            return Ok(VerifiedPayload {
                bytes: payload,
                encoding: PaeEncoding::Standard,
            });
        }
        (Err(SignatureError::Encoding), _) => {
            return Err(DsseError::SignatureEncoding);
        }
        (Err(e), None) => return Err(e.into()),
        (Err(_), Some(CompatHash::KeyCurve)) => key.sig_hash(),
        #[cfg(feature = "certificate")]
        (Err(_), Some(CompatHash::Sha256)) => SigHash::Sha256,
    };
    let n = compat_pae_digest(hash, payload, &mut digest);
    key.verify_prehash(digest.get(..n).unwrap_or(&[]), sig)?;
    Ok(VerifiedPayload {
        bytes: payload,
        encoding: PaeEncoding::Compat,
    })
}

/// Feeds `"<tag> <len(type)> <type> <len(payload)> "` into `h`: the PAE's
/// header. The lengths are written by hand rather than with `write!`, so
/// that verifying a signature links no `core::fmt` (firmware size).
fn pae_header(h: &mut PrehashState, tag: &[u8], payload: &[u8]) {
    h.update(tag);
    h.update(b" ");
    h.update(decimal(IN_TOTO_PAYLOAD_TYPE.len(), &mut [0; 20]));
    h.update(b" ");
    h.update(IN_TOTO_PAYLOAD_TYPE.as_bytes());
    h.update(b" ");
    h.update(decimal(payload.len(), &mut [0; 20]));
    h.update(b" ");
}

/// `n` in decimal ASCII, in the tail of `buf`.
fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    while let Some(i) = at.checked_sub(1) {
        at = i;
        if let Some(d) = buf.get_mut(i) {
            // `n % 10 < 10`: a digit.
            *d = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or(&[])
}

/// Hash of the DSSE v1.0 PAE of an in-toto payload; returns the length.
pub(crate) fn pae_digest(hash: SigHash, payload: &[u8], out: &mut [u8; 64]) -> usize {
    let mut h = PrehashState::new(hash);
    pae_header(&mut h, b"DSSEv1", payload);
    h.update(payload);
    h.finalize_into(out)
}

/// Hash of model_signing < 1.0's PAE (see the module docs).
pub(crate) fn compat_pae_digest(hash: SigHash, payload: &[u8], out: &mut [u8; 64]) -> usize {
    let mut h = PrehashState::new(hash);
    pae_header(&mut h, b"DSSEV1", payload);
    py_bytes_repr(payload, |chunk| h.update(chunk));
    h.finalize_into(out)
}

/// Python's `repr(bytes)` (CPython `PyBytes_Repr` with smart quotes),
/// emitted in chunks. Hand-written: no crate reproduces CPython's repr.
pub(crate) fn py_bytes_repr(data: &[u8], mut emit: impl FnMut(&[u8])) {
    let quote = if data.contains(&b'\'') && !data.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    emit(&[b'b', quote]);
    let mut run_start = 0;
    for (i, &c) in data.iter().enumerate() {
        let esc: Option<([u8; 4], usize)> = if c == quote || c == b'\\' {
            Some(([b'\\', c, 0, 0], 2))
        } else if c == b'\t' {
            Some((*b"\\t\0\0", 2))
        } else if c == b'\n' {
            Some((*b"\\n\0\0", 2))
        } else if c == b'\r' {
            Some((*b"\\r\0\0", 2))
        } else if !(b' '..0x7f).contains(&c) {
            Some(([b'\\', b'x', hex_digit(c >> 4), hex_digit(c & 15)], 4))
        } else {
            None
        };
        if let Some((bytes, n)) = esc {
            emit(data.get(run_start..i).unwrap_or(&[]));
            emit(bytes.get(..n).unwrap_or(&[]));
            // `i < data.len()`.
            run_start = i.saturating_add(1);
        }
    }
    emit(data.get(run_start..).unwrap_or(&[]));
    emit(&[quote]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn repr(data: &[u8]) -> std::string::String {
        let mut out = Vec::new();
        py_bytes_repr(data, |c| out.extend_from_slice(c));
        std::string::String::from_utf8(out).unwrap()
    }

    #[test]
    fn python_bytes_repr() {
        // Expected values from CPython 3.11 `repr(b)`.
        assert_eq!(repr(b""), "b''");
        assert_eq!(repr(b"{\"a\": 1}\n"), r#"b'{"a": 1}\n'"#);
        assert_eq!(repr(b"it's"), r#"b"it's""#);
        assert_eq!(repr(b"it's \"x\""), r#"b'it\'s "x"'"#);
        assert_eq!(
            repr(b"\\\t\r\x00\x7f\x80\xff~ "),
            r"b'\\\t\r\x00\x7f\x80\xff~ '"
        );
    }

    #[test]
    fn pae_layout() {
        // Digest of the literal PAE string, computed independently.
        use sha2::{Digest as _, Sha256};
        let payload = b"{}";
        let expected = Sha256::digest(b"DSSEv1 28 application/vnd.in-toto+json 2 {}");
        let mut out = [0u8; 64];
        let n = pae_digest(SigHash::Sha256, payload, &mut out);
        assert_eq!(&out[..n], expected.as_slice());
        let expected = Sha256::digest(b"DSSEV1 28 application/vnd.in-toto+json 2 b'{}'");
        let n = compat_pae_digest(SigHash::Sha256, payload, &mut out);
        assert_eq!(&out[..n], expected.as_slice());
    }

    #[test]
    fn decimal_lengths() {
        for n in [0, 7, 10, 28, 999, 1000, 123_456_789, usize::MAX] {
            assert_eq!(decimal(n, &mut [0; 20]), std::format!("{n}").as_bytes());
        }
    }
}
