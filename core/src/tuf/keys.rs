//! TUF keys (spec §4 "KEY") and the threshold count of signatures.
//!
//! Key types, as securesystemslib (python-tuf's signer library) accepts
//! them:
//! - `keytype` `ecdsa` or `ecdsa-sha2-nistp256` (Sigstore's roots use both:
//!   v1–v8 the latter, v9 on the former) with `scheme`
//!   `ecdsa-sha2-nistp256`: `keyval.public` a PEM SubjectPublicKeyInfo of a
//!   P-256 key; signatures hex DER ECDSA over SHA-256;
//! - `ed25519`/`ed25519`: `keyval.public` 64 hex digits; signatures hex,
//!   64 bytes, checked with `verify_strict` (no small-order keys or
//!   non-canonical S);
//! - `rsa`/`rsassa-pss-sha256` (with the core's `rsa` feature; without
//!   it such a key is unusable, below): a PEM SubjectPublicKeyInfo of a
//!   2048- to 4096-bit key; RSASSA-PSS with SHA-256 and MGF1-SHA-256, any
//!   salt length (as securesystemslib verifies, `PSS.AUTO`).
//!
//! Any other pair, or a `public` that does not decode, gives an unusable
//! key: python-tuf loads such a root and never counts a signature by it,
//! and so does this client.
//!
//! Keyids are opaque names here, as in python-tuf: the spec's §4 asks
//! clients to recompute each keyid as the SHA-256 of the key's canonical
//! form, but Sigstore's production roots from v5 on keep the keyids of
//! their hex-encoded v1–v4 keys after re-encoding them as PEM (and add
//! `x-tuf-on-ci-*` members), so no keyid there matches that hash; a client
//! enforcing it could not follow Sigstore's root chain. What the spec's
//! rule protects, one key counting as many, is enforced on the keys
//! themselves instead: a threshold counts distinct public keys, however
//! many keyids or signatures name the same key.

use alloc::vec::Vec;

use super::encoding::{hex_array, hex_vec, pem_public_key};
use crate::json::JsonStr;
use crate::limits::MAX_TUF_SIGNATURE_HEX;

/// The kind of a key, as `oms-edge trust show` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum KeyKind {
    /// ECDSA P-256 with SHA-256.
    EcdsaP256,
    /// Ed25519.
    Ed25519,
    /// RSASSA-PSS with SHA-256.
    RsaPss,
    /// A key type this client does not verify, or a malformed key.
    Unusable,
}

/// A parsed public key.
#[derive(Clone)]
pub(crate) enum Key {
    P256(p256::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    #[cfg(feature = "rsa")]
    Rsa(alloc::boxed::Box<rsa::RsaPublicKey>),
    Unusable,
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.kind(), f)
    }
}

impl Key {
    /// Parses `keyval.public` for a (`keytype`, `scheme`) pair.
    pub(crate) fn parse(keytype: JsonStr<'_>, scheme: JsonStr<'_>, public: JsonStr<'_>) -> Self {
        let ecdsa = keytype.eq_str("ecdsa") || keytype.eq_str("ecdsa-sha2-nistp256");
        if ecdsa && scheme.eq_str("ecdsa-sha2-nistp256") {
            use p256::pkcs8::DecodePublicKey;
            return pem_public_key(public, 128)
                .and_then(|der| p256::PublicKey::from_public_key_der(&der).ok())
                .map_or(Key::Unusable, |k| Key::P256(k.into()));
        }
        if keytype.eq_str("ed25519") && scheme.eq_str("ed25519") {
            return hex_array::<32>(public)
                .and_then(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok())
                .map_or(Key::Unusable, Key::Ed25519);
        }
        // Without the `rsa` feature (firmware: Sigstore's TUF keys are all
        // ECDSA P-256) an RSA key is unusable: its signatures never count.
        #[cfg(feature = "rsa")]
        if keytype.eq_str("rsa") && scheme.eq_str("rsassa-pss-sha256") {
            use rsa::pkcs8::DecodePublicKey;
            use rsa::traits::PublicKeyParts;
            let key = pem_public_key(public, 1024)
                .and_then(|der| rsa::RsaPublicKey::from_public_key_der(&der).ok());
            return match key {
                Some(k) if (256..=crate::limits::MAX_TUF_RSA_BITS / 8).contains(&k.size()) => {
                    Key::Rsa(alloc::boxed::Box::new(k))
                }
                _ => Key::Unusable,
            };
        }
        Key::Unusable
    }

    pub(crate) fn kind(&self) -> KeyKind {
        match self {
            Key::P256(_) => KeyKind::EcdsaP256,
            Key::Ed25519(_) => KeyKind::Ed25519,
            #[cfg(feature = "rsa")]
            Key::Rsa(_) => KeyKind::RsaPss,
            Key::Unusable => KeyKind::Unusable,
        }
    }

    /// Whether both are the same usable public key.
    pub(crate) fn same(&self, other: &Key) -> bool {
        match (self, other) {
            (Key::P256(a), Key::P256(b)) => a == b,
            (Key::Ed25519(a), Key::Ed25519(b)) => a == b,
            #[cfg(feature = "rsa")]
            (Key::Rsa(a), Key::Rsa(b)) => a == b,
            _ => false,
        }
    }

    /// Whether `sig` (hex) is this key's signature over `msg`.
    pub(crate) fn verifies(&self, msg: &[u8], sig: JsonStr<'_>) -> bool {
        match self {
            Key::P256(k) => hex_vec(sig, MAX_TUF_SIGNATURE_HEX / 2)
                .and_then(|der| p256::ecdsa::Signature::from_der(&der).ok())
                .is_some_and(|s| p256::ecdsa::signature::Verifier::verify(k, msg, &s).is_ok()),
            Key::Ed25519(k) => hex_array::<64>(sig).is_some_and(|b| {
                k.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(&b))
                    .is_ok()
            }),
            #[cfg(feature = "rsa")]
            Key::Rsa(k) => hex_vec(sig, MAX_TUF_SIGNATURE_HEX / 2)
                .and_then(|b| rsa::pss::Signature::try_from(b.as_slice()).ok())
                .is_some_and(|s| {
                    let key = rsa::pss::VerifyingKey::<sha2::Sha256>::new_with_auto_salt_len(
                        k.as_ref().clone(),
                    );
                    rsa::signature::Verifier::verify(&key, msg, &s).is_ok()
                }),
            Key::Unusable => false,
        }
    }
}

/// A key of a root's `keys`, with its keyid (decoded).
#[derive(Debug, Clone)]
pub(crate) struct KeyEntry {
    pub(crate) id: Vec<u8>,
    pub(crate) key: Key,
}

/// One entry of a document's `signatures`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sig<'a> {
    pub(crate) keyid: JsonStr<'a>,
    pub(crate) sig: JsonStr<'a>,
}

/// A role's keys: indices into the root's keys (`None`: a keyid the root
/// does not define, which python-tuf skips) and the threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleKeys {
    pub(crate) keys: Vec<Option<usize>>,
    pub(crate) threshold: u64,
}

/// The number of distinct public keys among `role`'s whose signature in
/// `sigs` verifies over `msg`. A key is counted once however many keyids
/// or signatures name it; each signature is verified at most once.
pub(crate) fn count_valid(keys: &[KeyEntry], role: &RoleKeys, msg: &[u8], sigs: &[Sig<'_>]) -> u64 {
    let mut counted: Vec<&Key> = Vec::new();
    for entry in role.keys.iter().flatten().filter_map(|&i| keys.get(i)) {
        let Some(sig) = sigs
            .iter()
            .find(|s| s.keyid.bytes().eq(entry.id.iter().copied()))
        else {
            continue;
        };
        if counted.iter().any(|k| k.same(&entry.key)) {
            continue;
        }
        if entry.key.verifies(msg, sig.sig) {
            counted.push(&entry.key);
        }
    }
    u64::try_from(counted.len()).unwrap_or(u64::MAX)
}

/// Whether two roles (of two roots) have the same threshold and the same
/// keys under the same keyids: if not, the role's keys were rotated
/// (§5.3.11). A keyid renamed is a rotation too: signatures are found by
/// keyid, so metadata signed under the old name no longer verifies (root
/// v12 of Sigstore renamed its online key this way).
pub(crate) fn same_keys(
    a_keys: &[KeyEntry],
    a: &RoleKeys,
    b_keys: &[KeyEntry],
    b: &RoleKeys,
) -> bool {
    fn members<'k>(
        keys: &'k [KeyEntry],
        r: &'k RoleKeys,
    ) -> impl Iterator<Item = &'k KeyEntry> + 'k {
        r.keys.iter().flatten().filter_map(move |&i| keys.get(i))
    }
    let same = |x: &KeyEntry, y: &KeyEntry| x.id == y.id && x.key.same(&y.key);
    a.threshold == b.threshold
        && a.keys.len() == b.keys.len()
        && members(a_keys, a).all(|x| members(b_keys, b).any(|y| same(x, y)))
        && members(b_keys, b).all(|y| members(a_keys, a).any(|x| same(x, y)))
}
