//! The pipeline for the `key` method: authenticate first, parse second,
//! hash last (steps 2, 7, 8; step 9 is [`crate::model`]).
//!
//! Checks, in order:
//! 1. the bundle's structure ([`crate::bundle`]);
//! 2. its verification material is `publicKey` (OMS §4.1: the material must
//!    match the method; a certificate-signed bundle is not accepted as
//!    key-signed, nor the reverse);
//! 3. `publicKey.hint`, when present, names the given key; `rawBytes`, when
//!    present (bundles before model_signing 1.1), holds the given key;
//! 4. the DSSE envelope verifies with the given key ([`crate::dsse`]);
//! 5. only then is the payload parsed ([`crate::statement`],
//!    [`crate::manifest`]).

use crate::bundle::{Bundle, Material, decode_base64};
use crate::dsse::{CompatHash, verify_envelope};
use crate::error::{Error, Field, KeyError, MaterialKind};
use crate::keys::PublicKey;
use crate::manifest::VerifiedManifest;
use crate::model::{ModelOptions, ModelSource, VerifiedModel};
use crate::statement;

/// Verifies a key-signed OMS bundle and returns its authenticated manifest.
///
/// `payload_buf` receives the decoded payload; it must be at least as long
/// as the payload's base64 text (the bundle's size always suffices).
pub fn verify_key_bundle<'p>(
    bundle: &[u8],
    key: &PublicKey,
    payload_buf: &'p mut [u8],
) -> Result<VerifiedManifest<'p>, Error> {
    let bundle = Bundle::parse(bundle)?;
    let Material::PublicKey { hint, raw_bytes } =
        bundle.expect_material(MaterialKind::PublicKey)?
    else {
        return Err(Error::Key(KeyError::UnsupportedKey));
    };
    if let Some(hint) = hint
        && !key.matches_hint(hint.bytes())
    {
        return Err(KeyError::HintMismatch.into());
    }
    if let Some(raw) = raw_bytes {
        let mut buf = [0u8; 2048];
        let bytes = decode_base64(raw, &mut buf, Field::RawBytes)?;
        match PublicKey::from_pem_or_der(bytes) {
            Ok(k) if k == *key => {}
            _ => return Err(KeyError::RawBytesMismatch.into()),
        }
    }
    let payload = verify_envelope(
        bundle.envelope()?,
        key,
        Some(CompatHash::KeyCurve),
        payload_buf,
    )?;
    statement::parse(payload)
}

/// [`verify_key_bundle`], then [`VerifiedManifest::verify_model`]: the whole
/// check of a key-signed model, streaming its files through `buf`.
pub fn verify_key_model<S: ModelSource>(
    bundle: &[u8],
    key: &PublicKey,
    payload_buf: &mut [u8],
    source: &mut S,
    opts: ModelOptions,
    buf: &mut [u8],
) -> Result<VerifiedModel, Error> {
    verify_key_bundle(bundle, key, payload_buf)?.verify_model(source, opts, buf)
}
