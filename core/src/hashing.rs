//! Step 9's primitive: stream bytes from an [`embedded_io::Read`] through a
//! hash, with a caller-owned buffer. Nothing here allocates.
//!
//! Algorithms (OMS §7, the names the reference writes): `sha256` (FIPS
//! 180-4), `blake2b` (BLAKE2b-512, RFC 7693) and `blake3` (32-byte output).

use core::fmt;

use blake2::Blake2b512;
use embedded_io::{ErrorKind, Read};
use sha2::{Digest as _, Sha256};

use crate::error::ModelError;
use crate::limits::MAX_DIGEST_HEX;

/// Room for the longest digest (BLAKE2b-512): [`MAX_DIGEST_HEX`] bounds
/// the hex a manifest may carry because decoding stops when this is full.
const MAX_DIGEST_BYTES: usize = MAX_DIGEST_HEX / 2;

/// A hash algorithm a manifest may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum HashAlgorithm {
    /// SHA-256.
    Sha256,
    /// BLAKE2b with a 512-bit output.
    Blake2b,
    /// BLAKE3 with a 256-bit output.
    Blake3,
}

impl HashAlgorithm {
    /// Every supported algorithm.
    pub const ALL: [HashAlgorithm; 3] = [Self::Sha256, Self::Blake2b, Self::Blake3];

    /// The identifier used in `hash_type` and `algorithm`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Blake2b => "blake2b",
            Self::Blake3 => "blake3",
        }
    }

    /// Looks an identifier up.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Digest length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Self::Sha256 | Self::Blake3 => 32,
            Self::Blake2b => 64,
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
        let mut n = 0usize;
        let mut hi: Option<u8> = None;
        for c in hex {
            let v = crate::json::hex_val(c)?;
            match hi.take() {
                None => hi = Some(v),
                Some(h) => {
                    *bytes.get_mut(n)? = (h << 4) | v;
                    // `n < MAX_DIGEST_BYTES`: the write above succeeded.
                    n = n.saturating_add(1);
                }
            }
        }
        (hi.is_none() && n == algorithm.digest_len()).then_some(Self { algorithm, bytes })
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

/// Lowercase hex rendering of a byte slice.
#[derive(Debug, Clone, Copy)]
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// The smallest buffer BLAKE3 splits across threads (`parallel` feature):
/// below 128 KiB blake3's own documentation finds `update_rayon` slower.
pub const PARALLEL_MIN: usize = 128 << 10;

/// An incremental hash of any [`HashAlgorithm`].
// BLAKE3's state is ~2 KiB; it lives on the stack once per stream.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Hasher {
    /// SHA-256.
    Sha256(Sha256),
    /// BLAKE2b-512.
    Blake2b(Blake2b512),
    /// BLAKE3.
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
        match algorithm {
            HashAlgorithm::Sha256 => Self::Sha256(Sha256::new()),
            HashAlgorithm::Blake2b => Self::Blake2b(Blake2b512::new()),
            HashAlgorithm::Blake3 => Self::Blake3(blake3::Hasher::new()),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> HashAlgorithm {
        match self {
            Self::Sha256(_) => HashAlgorithm::Sha256,
            Self::Blake2b(_) => HashAlgorithm::Blake2b,
            Self::Blake3(_) => HashAlgorithm::Blake3,
        }
    }

    /// Feeds bytes. With the `parallel` feature, BLAKE3 hashes a buffer of
    /// at least [`PARALLEL_MIN`] bytes on all of rayon's threads (its tree
    /// splits into independent chunks; SHA-256 and BLAKE2b cannot).
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(data),
            Self::Blake2b(h) => h.update(data),
            #[cfg(feature = "parallel")]
            Self::Blake3(h) if data.len() >= PARALLEL_MIN => {
                h.update_rayon(data);
            }
            Self::Blake3(h) => {
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
        match self {
            Self::Sha256(h) => copy(&mut bytes, &h.finalize()),
            Self::Blake2b(h) => copy(&mut bytes, &h.finalize()),
            Self::Blake3(h) => copy(&mut bytes, h.finalize().as_bytes()),
        }
        Digest { algorithm, bytes }
    }
}

/// Hashes exactly `len` bytes from `reader` through `buf`.
///
/// With `expect_end`, the reader must then be at its end: a file that grew
/// since its size was taken fails with [`ModelError::Grew`]. A reader that
/// ends early fails with [`ModelError::Truncated`].
pub fn hash_stream<R: Read>(
    algorithm: HashAlgorithm,
    reader: &mut R,
    len: u64,
    expect_end: bool,
    buf: &mut [u8],
) -> Result<Digest, ModelError> {
    if buf.is_empty() {
        return Err(ModelError::Read(ErrorKind::InvalidInput));
    }
    let mut hasher = Hasher::new(algorithm);
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let chunk = buf
            .get_mut(..want)
            .ok_or(ModelError::Read(ErrorKind::Other))?;
        let n = read_some(reader, chunk)?;
        if n == 0 {
            return Err(ModelError::Truncated);
        }
        hasher.update(chunk.get(..n).ok_or(ModelError::Read(ErrorKind::Other))?);
        // `n <= chunk.len() <= left`: never saturates.
        left = left.saturating_sub(n as u64);
    }
    if expect_end {
        let probe = buf.get_mut(..1).ok_or(ModelError::Read(ErrorKind::Other))?;
        if read_some(reader, probe)? != 0 {
            return Err(ModelError::Grew);
        }
    }
    Ok(hasher.finalize())
}

/// One `read`, retrying when interrupted.
fn read_some<R: Read>(reader: &mut R, buf: &mut [u8]) -> Result<usize, ModelError> {
    loop {
        match reader.read(buf) {
            Ok(n) => return Ok(n.min(buf.len())),
            Err(e) => {
                let kind = embedded_io::Error::kind(&e);
                if kind != ErrorKind::Interrupted {
                    return Err(ModelError::Read(kind));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let mut buf = [0u8; 3];
        let data = b"abc";
        let cases = [
            (
                HashAlgorithm::Sha256,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                HashAlgorithm::Blake2b,
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            ),
            (
                HashAlgorithm::Blake3,
                "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
            ),
        ];
        for (alg, want) in cases {
            let d = hash_stream(alg, &mut &data[..], 3, true, &mut buf).unwrap();
            assert_eq!(std::format!("{}", d.hex()), want);
            assert_eq!(Digest::from_hex(alg, want.bytes()), Some(d));
            assert_eq!(Digest::from_hex(alg, want.to_uppercase().bytes()), Some(d));
        }
    }

    #[test]
    fn stream_length_is_enforced() {
        let mut buf = [0u8; 2];
        let data = b"abcdef";
        let alg = HashAlgorithm::Sha256;
        assert_eq!(
            hash_stream(alg, &mut &data[..], 7, false, &mut buf),
            Err(ModelError::Truncated)
        );
        assert_eq!(
            hash_stream(alg, &mut &data[..], 5, true, &mut buf),
            Err(ModelError::Grew)
        );
        let part = hash_stream(alg, &mut &data[1..4], 3, true, &mut buf).unwrap();
        let mut r = &data[1..];
        assert_eq!(hash_stream(alg, &mut r, 3, false, &mut buf), Ok(part));
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
