//! The `key` method: a bundle signed with a key the caller pins (OMS §4.1,
//! §4.2): authenticate first, parse second (steps 2, 7, 8).
//!
//! Checks, in order:
//! 1. the bundle's structure (`crate::bundle`);
//! 2. its verification material is `publicKey` (OMS §4.1: the material must
//!    match the method; a certificate-signed bundle is not accepted as
//!    key-signed, nor the reverse);
//! 3. `publicKey.hint`, when present, names the given key; `rawBytes`, when
//!    present (bundles before model_signing 1.1), holds the given key;
//! 4. the DSSE envelope verifies with the given key (`crate::dsse`: the
//!    standard PAE, else model_signing's pre-1.0 one with the curve's hash);
//! 5. only then is the payload parsed (`crate::statement`,
//!    `crate::manifest`).
//!
//! The time is not used: a key has no validity period. Nothing is
//! allocated.

use crate::bundle::{Bundle, Material, MaterialKind};
use crate::dsse::{self, CompatHash, DsseError, PaeEncoding, VerifiedPayload, verify_envelope};
use crate::error::Error;
use crate::json::{Field, JsonStr, Problem, decode_base64, decode_base64_in_place, span_in};
use crate::keys::{KeyAlgorithm, KeyError, KeyHints, PublicKey};
use crate::manifest::VerifiedManifest;
use crate::statement;
use crate::time::Time;

use super::{Verified, Verifier};

/// Verifies key-signed bundles against one pinned public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyVerifier {
    key: PublicKey,
    /// What a `publicKey.hint` may name the key by (`None`: nothing).
    hints: Option<KeyHints>,
}

impl KeyVerifier {
    /// A verifier that trusts `key` only.
    pub fn new(key: PublicKey) -> Self {
        Self {
            key,
            hints: KeyHints::of(&key).ok(),
        }
    }

    /// A verifier that trusts `key` only, with its hint digests computed
    /// elsewhere (see [`KeyHints::from_digests`]: firmware computes them when
    /// it is built, and links no DER or PEM encoder). They must be `key`'s:
    /// `KeyHints::of(&key)`.
    pub fn with_hints(key: PublicKey, hints: KeyHints) -> Self {
        Self {
            key,
            hints: Some(hints),
        }
    }

    /// The pinned key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }
}

/// What a key-method verification proved besides the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct KeyEvidence {
    algorithm: KeyAlgorithm,
    pae: PaeEncoding,
}

impl KeyEvidence {
    /// The pinned key's algorithm (its curve and hash).
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    /// Which pre-authentication encoding the signature covered (the
    /// compat one means a bundle from model_signing before v1.0).
    pub fn pae_encoding(&self) -> PaeEncoding {
        self.pae
    }
}

impl KeyVerifier {
    /// Checks 2–3 of the module docs. Always inlined: `verify`'s frame
    /// stays what the firmware's stack budget measured.
    #[inline(always)]
    fn check_material(&self, bundle: &Bundle<'_>) -> Result<(), Error> {
        let Material::PublicKey { hint, raw_bytes } =
            bundle.expect_material(MaterialKind::PublicKey)?
        else {
            return Err(KeyError::UnsupportedKey.into());
        };
        if let Some(hint) = hint
            && !self.hints.is_some_and(|h| h.matches(hint.bytes()))
        {
            return Err(KeyError::HintMismatch.into());
        }
        if let Some(raw) = raw_bytes {
            raw_bytes_hold(raw, &self.key)?;
        }
        Ok(())
    }

    /// [`Verifier::verify`], with the payload decoded over its own base64
    /// text inside `bundle` instead of into a buffer of the caller's: the
    /// same checks, in the same order, with half the memory for a large
    /// manifest (a bundle listing 10^6 files is about 228 MB, its decoded
    /// payload 171 MB). `bundle` is overwritten where the payload was.
    pub fn verify_in_place<'b>(
        &self,
        bundle: &'b mut [u8],
    ) -> Result<Verified<'b, KeyEvidence>, Error> {
        let (prepared, span) = {
            // 1–3.
            let parsed = parse_bundle(bundle)?;
            self.check_material(&parsed)?;
            // 4, up to the payload.
            let env = parsed.envelope()?;
            let prepared = dsse::prepare(env)?;
            // The string lies in the bundle it was parsed from.
            let span = span_in(bundle, env.payload).ok_or(DsseError::Field {
                field: Field::Payload,
                problem: Problem::Invalid,
            })?;
            (prepared, span)
        };
        let text = bundle.get_mut(span).unwrap_or(&mut []);
        let payload = decode_base64_in_place(text, Field::Payload).map_err(DsseError::from)?;
        // 4, the signature; 5.
        let payload =
            dsse::verify_decoded(&prepared, payload, &self.key, Some(CompatHash::KeyCurve))?;
        let evidence = KeyEvidence {
            algorithm: self.key.algorithm(),
            pae: payload.encoding(),
        };
        Ok(Verified::new(parse_statement(payload)?, evidence))
    }
}

impl Verifier for KeyVerifier {
    type Evidence = KeyEvidence;

    /// Checks 1–5 of the module docs. `time` is not used.
    fn verify<'p>(
        &self,
        bundle: &[u8],
        _time: Time,
        payload_buf: &'p mut [u8],
    ) -> Result<Verified<'p, KeyEvidence>, Error> {
        // 1–2.
        let bundle = parse_bundle(bundle)?;
        // 3.
        self.check_material(&bundle)?;
        // 4.
        let payload = verify_envelope(
            bundle.envelope()?,
            &self.key,
            Some(CompatHash::KeyCurve),
            payload_buf,
        )?;
        let evidence = KeyEvidence {
            algorithm: self.key.algorithm(),
            pae: payload.encoding(),
        };
        // 5.
        Ok(Verified::new(parse_statement(payload)?, evidence))
    }
}

// The steps below run in frames of their own (not inlined): what they keep
// on the stack is not there while the signature is checked.

#[inline(never)]
fn parse_bundle(bundle: &[u8]) -> Result<Bundle<'_>, Error> {
    Ok(Bundle::parse(bundle)?)
}

#[inline(never)]
fn parse_statement(payload: VerifiedPayload<'_>) -> Result<VerifiedManifest<'_>, Error> {
    Ok(statement::parse(payload)?)
}

/// The longest `rawBytes` (decoded) of a key this build can verify with:
/// an RSA-4096 PEM fits 2 KiB; without RSA the longest is a P-521 PEM
/// (about 270 bytes). A longer one is refused as too long.
const RAW_BYTES_MAX: usize = if cfg!(feature = "rsa") { 2048 } else { 512 };

/// Check 3's `rawBytes`: it holds `key`.
#[inline(never)]
fn raw_bytes_hold(raw: JsonStr<'_>, key: &PublicKey) -> Result<(), Error> {
    let mut buf = [0u8; RAW_BYTES_MAX];
    let bytes =
        decode_base64(raw, &mut buf, Field::RawBytes).map_err(crate::bundle::BundleError::from)?;
    match PublicKey::from_pem_or_der(bytes) {
        Ok(k) if k == *key => Ok(()),
        _ => Err(KeyError::RawBytesMismatch.into()),
    }
}

/// Each algorithm feature, end to end: a build with it verifies the
/// reference's bundles that need it; a build without it refuses them with
/// that step's unsupported-algorithm check, never with a wrong verdict.
/// (Run by `cargo test -p oms-edge-core --no-default-features --features
/// p256` as well as by the default build.)
#[cfg(all(test, feature = "p256"))]
mod tests {
    use super::*;
    use crate::Check;

    macro_rules! vector {
        ($case:literal) => {
            include_bytes!(concat!("../../../testdata/vectors/", $case, "/model.sig")).as_slice()
        };
    }

    /// Verifies the vector `case` with `key` (PEM): it must verify when the
    /// build has its algorithm (`built`), else fail `refused`.
    fn assert_built_or_refused(case: &str, key: &[u8], bundle: &[u8], built: bool, refused: Check) {
        let got = PublicKey::from_pem_or_der(key)
            .map_err(|e| Error::from(e).check())
            .and_then(|key| {
                let mut payload = std::vec![0u8; bundle.len()];
                KeyVerifier::new(key)
                    .verify(bundle, Time::NoClock, &mut payload)
                    .map(|_| ())
                    .map_err(|e| e.check())
            });
        let want = if built { Ok(()) } else { Err(refused) };
        assert_eq!(got, want, "{case}");
    }

    #[test]
    fn manifest_hashes_verify_when_built_and_are_refused_when_left_out() {
        let p256 = include_bytes!("../../../testdata/keys/p256.pub.pem");
        for (case, bundle, built) in [
            ("files-sha256", vector!("files-sha256"), true),
            (
                "files-blake3",
                vector!("files-blake3"),
                cfg!(feature = "blake3"),
            ),
            (
                "files-blake2",
                vector!("files-blake2"),
                cfg!(feature = "blake2b"),
            ),
        ] {
            assert_built_or_refused(
                case,
                p256,
                bundle,
                built,
                Check::StatementUnsupportedAlgorithm,
            );
        }
    }

    #[test]
    fn curves_verify_when_built_and_are_refused_when_left_out() {
        let p384 = include_bytes!("../../../testdata/keys/p384.pub.pem");
        let p521 = include_bytes!("../../../testdata/keys/p521.pub.pem");
        let refused = Check::KeyUnsupportedAlgorithm;
        assert_built_or_refused(
            "key-p384",
            p384,
            vector!("key-p384"),
            cfg!(feature = "p384"),
            refused,
        );
        assert_built_or_refused(
            "key-p521",
            p521,
            vector!("key-p521"),
            cfg!(feature = "p521"),
            refused,
        );
    }
}
