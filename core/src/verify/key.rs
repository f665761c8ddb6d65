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
use crate::dsse::{CompatHash, PaeEncoding, verify_envelope};
use crate::error::Error;
use crate::json::{Field, decode_base64};
use crate::keys::{KeyAlgorithm, KeyError, PublicKey};
use crate::statement;
use crate::time::Time;

use super::{Verified, Verifier};

/// Verifies key-signed bundles against one pinned public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyVerifier {
    key: PublicKey,
}

impl KeyVerifier {
    /// A verifier that trusts `key` only.
    pub fn new(key: PublicKey) -> Self {
        Self { key }
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
        let bundle = Bundle::parse(bundle)?;
        let Material::PublicKey { hint, raw_bytes } =
            bundle.expect_material(MaterialKind::PublicKey)?
        else {
            return Err(KeyError::UnsupportedKey.into());
        };
        // 3.
        if let Some(hint) = hint
            && !self.key.matches_hint(hint.bytes())
        {
            return Err(KeyError::HintMismatch.into());
        }
        if let Some(raw) = raw_bytes {
            let mut buf = [0u8; 2048];
            let bytes = decode_base64(raw, &mut buf, Field::RawBytes)
                .map_err(crate::bundle::BundleError::from)?;
            match PublicKey::from_pem_or_der(bytes) {
                Ok(k) if k == self.key => {}
                _ => return Err(KeyError::RawBytesMismatch.into()),
            }
        }
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
        Ok(Verified::new(statement::parse(payload)?, evidence))
    }
}
