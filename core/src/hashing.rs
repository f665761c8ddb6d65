//! The hashes a manifest may name, and digests tagged with their
//! algorithm. Nothing here allocates.
//!
//! Algorithms (OMS §7, the names the reference writes): `sha256` (FIPS
//! 180-4), `blake2b` (BLAKE2b-512, RFC 7693, feature `blake2b`) and
//! `blake3` (32-byte output, feature `blake3`). A manifest naming one this
//! build leaves out fails as `statement.unsupported_algorithm`.

use core::fmt;

#[cfg(feature = "blake2b")]
use blake2::Blake2b512;
use sha2::{Digest as _, Sha256};

use crate::limits::MAX_DIGEST_HEX;

/// Room for the longest digest (BLAKE2b-512): [`MAX_DIGEST_HEX`] bounds
/// the hex a manifest may carry because decoding stops when this is full.
const MAX_DIGEST_BYTES: usize = MAX_DIGEST_HEX / 2;

/// A hash algorithm a manifest may name (of those this build includes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-256.
    Sha256,
    /// BLAKE2b with a 512-bit output (feature `blake2b`).
    #[cfg(feature = "blake2b")]
    Blake2b,
    /// BLAKE3 with a 256-bit output (feature `blake3`).
    #[cfg(feature = "blake3")]
    Blake3,
}

/// Every `hash_type` OMS defines, built into this verifier or not.
pub(crate) const HASH_NAMES: [&str; 3] = ["sha256", "blake2b", "blake3"];

impl HashAlgorithm {
    /// Every algorithm this build implements.
    pub const ALL: &'static [HashAlgorithm] = &[
        Self::Sha256,
        #[cfg(feature = "blake2b")]
        Self::Blake2b,
        #[cfg(feature = "blake3")]
        Self::Blake3,
    ];

    /// The identifier used in `hash_type` and `algorithm`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            #[cfg(feature = "blake2b")]
            Self::Blake2b => "blake2b",
            #[cfg(feature = "blake3")]
            Self::Blake3 => "blake3",
        }
    }

    /// Looks an identifier up (among the algorithms this build implements).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// Digest length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            #[cfg(feature = "blake2b")]
            Self::Blake2b => 64,
            #[cfg(feature = "blake3")]
            Self::Blake3 => 32,
        }
    }
}

/// A digest of up to 64 bytes, tagged with its algorithm.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Digest {
    algorithm: HashAlgorithm,
    bytes: [u8; MAX_DIGEST_BYTES],
}

impl Digest {
    /// Builds a digest from raw bytes; `None` if the length does not fit.
    pub fn new(algorithm: HashAlgorithm, value: &[u8]) -> Option<Self> {
        if value.len() != algorithm.digest_len() {
            return None;
        }
        let mut bytes = [0; MAX_DIGEST_BYTES];
        bytes.get_mut(..value.len())?.copy_from_slice(value);
        Some(Self { algorithm, bytes })
    }

    /// Decodes hex (either case) of exactly the algorithm's length.
    pub fn from_hex(algorithm: HashAlgorithm, hex: impl IntoIterator<Item = u8>) -> Option<Self> {
        let mut bytes = [0; MAX_DIGEST_BYTES];
        let n = crate::encoding::hex_decode(hex, &mut bytes)?;
        (n == algorithm.digest_len()).then_some(Self { algorithm, bytes })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.algorithm.digest_len()).unwrap_or(&[])
    }

    /// Lowercase hex, for display.
    pub fn hex(&self) -> Hex<'_> {
        Hex(self.as_bytes())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm.name(), self.hex())
    }
}

pub(crate) use crate::encoding::Hex;

/// The smallest buffer BLAKE3 splits across threads (`parallel` feature):
/// below 128 KiB blake3's own documentation finds `update_rayon` slower.
#[cfg(feature = "parallel")]
const PARALLEL_MIN: usize = 128 << 10;

/// An incremental hash of any [`HashAlgorithm`].
// BLAKE3's state is ~2 KiB; it lives on the stack once per stream.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub struct Hasher(State);

#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum State {
    Sha256(Sha256),
    #[cfg(feature = "blake2b")]
    Blake2b(Blake2b512),
    #[cfg(feature = "blake3")]
    Blake3(blake3::Hasher),
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hasher({})", self.algorithm().name())
    }
}

impl Hasher {
    /// A fresh hash.
    pub fn new(algorithm: HashAlgorithm) -> Self {
        Self(match algorithm {
            HashAlgorithm::Sha256 => State::Sha256(Sha256::new()),
            #[cfg(feature = "blake2b")]
            HashAlgorithm::Blake2b => State::Blake2b(Blake2b512::new()),
            #[cfg(feature = "blake3")]
            HashAlgorithm::Blake3 => State::Blake3(blake3::Hasher::new()),
        })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> HashAlgorithm {
        match self.0 {
            State::Sha256(_) => HashAlgorithm::Sha256,
            #[cfg(feature = "blake2b")]
            State::Blake2b(_) => HashAlgorithm::Blake2b,
            #[cfg(feature = "blake3")]
            State::Blake3(_) => HashAlgorithm::Blake3,
        }
    }

    /// Feeds bytes. With the `parallel` feature, BLAKE3 hashes a buffer of
    /// at least 128 KiB on all of rayon's threads (its tree splits into
    /// independent chunks; SHA-256 and BLAKE2b cannot).
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Sha256(h) => h.update(data),
            #[cfg(feature = "blake2b")]
            State::Blake2b(h) => h.update(data),
            #[cfg(feature = "parallel")]
            State::Blake3(h) if data.len() >= PARALLEL_MIN => {
                h.update_rayon(data);
            }
            #[cfg(feature = "blake3")]
            State::Blake3(h) => {
                h.update(data);
            }
        }
    }

    /// The digest of everything fed so far.
    pub fn finalize(self) -> Digest {
        let mut bytes = [0; MAX_DIGEST_BYTES];
        let algorithm = self.algorithm();
        let copy = |out: &mut [u8; MAX_DIGEST_BYTES], d: &[u8]| {
            for (o, i) in out.iter_mut().zip(d) {
                *o = *i;
            }
        };
        match self.0 {
            State::Sha256(h) => copy(&mut bytes, &h.finalize()),
            #[cfg(feature = "blake2b")]
            State::Blake2b(h) => copy(&mut bytes, &h.finalize()),
            #[cfg(feature = "blake3")]
            State::Blake3(h) => copy(&mut bytes, h.finalize().as_bytes()),
        }
        Digest { algorithm, bytes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let data = b"abc";
        let cases = [
            (
                Some(HashAlgorithm::Sha256),
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                HashAlgorithm::from_name("blake2b"),
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            ),
            (
                HashAlgorithm::from_name("blake3"),
                "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
            ),
        ];
        // Only the algorithms this build includes (all by default).
        for (alg, want) in cases.iter().filter_map(|(a, w)| Some((a.as_ref()?, w))) {
            let mut h = Hasher::new(*alg);
            h.update(&data[..1]);
            h.update(&data[1..]);
            let d = h.finalize();
            assert_eq!(std::format!("{}", d.hex()), *want);
            assert_eq!(Digest::from_hex(*alg, want.bytes()), Some(d));
            assert_eq!(Digest::from_hex(*alg, want.to_uppercase().bytes()), Some(d));
        }
        assert_eq!(
            HashAlgorithm::ALL.len(),
            1 + usize::from(cfg!(feature = "blake2b")) + usize::from(cfg!(feature = "blake3"))
        );
    }

    #[test]
    fn bad_hex_is_refused() {
        let alg = HashAlgorithm::Sha256;
        assert_eq!(Digest::from_hex(alg, "ab".bytes()), None);
        assert_eq!(Digest::from_hex(alg, "g".repeat(64).bytes()), None);
        assert_eq!(Digest::from_hex(alg, "a".repeat(63).bytes()), None);
        assert_eq!(Digest::from_hex(alg, "a".repeat(66).bytes()), None);
        assert!(Digest::from_hex(alg, "a".repeat(64).bytes()).is_some());
    }
}
