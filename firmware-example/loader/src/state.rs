//! The state record: which slot holds the confirmed model.
//!
//! Two records alternate between two erase sectors. A record is written
//! into the sector that does not hold the newest valid one, so a power cut
//! while writing it leaves the newest valid record intact. At boot a record
//! counts only when all of these hold (a torn erase or write fails one):
//! 1. magic `OMSL`;
//! 2. CRC-32 (ISO-HDLC) over the record;
//! 3. slot 0 or 1, a known hash algorithm and its digest length;
//!
//! and the valid record with the highest sequence number wins.

use crc::{CRC_32_ISO_HDLC, Crc};
use oms_edge_core::{Digest, HashAlgorithm};

/// Bytes of a record on flash (one write; `WRITE_SIZE` must divide it).
pub const RECORD_LEN: usize = 128;
const MAGIC: &[u8; 4] = b"OMSL";
const CRC_AT: usize = RECORD_LEN - 4;
const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// The confirmed model, as the state record names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// The record's sequence number (higher is newer).
    pub seq: u32,
    /// The slot holding the model (0 or 1).
    pub slot: u8,
    /// The anti-rollback value: the `VERSION` (key method) or the verified
    /// signing time in Unix seconds (sigstore method).
    pub version: u64,
    /// The package's length in the slot.
    pub len: u32,
    /// The model's root digest (from the verified statement).
    pub root: Digest,
}

/// The digest algorithms by their code in a record (the on-flash format:
/// never reorder).
const ALGORITHMS: [&str; 3] = ["sha256", "blake2b", "blake3"];

fn alg_code(a: HashAlgorithm) -> u8 {
    ALGORITHMS
        .iter()
        .position(|n| *n == a.name())
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

impl State {
    /// The record's bytes.
    pub fn encode(&self) -> [u8; RECORD_LEN] {
        let mut r = [0u8; RECORD_LEN];
        let digest = self.root.as_bytes();
        let fields: [(usize, &[u8]); 8] = [
            (0, MAGIC),
            (4, &self.seq.to_le_bytes()),
            (8, &[self.slot]),
            (9, &[alg_code(self.root.algorithm())]),
            (10, &[u8::try_from(digest.len()).unwrap_or(0)]),
            (12, &self.version.to_le_bytes()),
            (20, &self.len.to_le_bytes()),
            (24, digest),
        ];
        for (at, bytes) in fields {
            for (dst, src) in r.iter_mut().skip(at).zip(bytes) {
                *dst = *src;
            }
        }
        let crc = CRC32.checksum(r.get(..CRC_AT).unwrap_or(&[]));
        for (dst, src) in r.iter_mut().skip(CRC_AT).zip(crc.to_le_bytes()) {
            *dst = src;
        }
        r
    }

    /// A record read from flash, or `None` when it is not valid (erased,
    /// torn, corrupted).
    pub fn decode(r: &[u8; RECORD_LEN]) -> Option<State> {
        let (body, crc) = r.split_at(CRC_AT);
        if CRC32.checksum(body).to_le_bytes() != *crc || body.get(..4)? != MAGIC {
            return None;
        }
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(
                body.get(at..at.checked_add(4)?)?.try_into().ok()?,
            ))
        };
        let slot = *body.get(8)?;
        let algorithm = HashAlgorithm::from_name(ALGORITHMS.get(usize::from(*body.get(9)?))?)?;
        let dlen = usize::from(*body.get(10)?);
        if slot > 1 || dlen != algorithm.digest_len() {
            return None;
        }
        let version = u64::from_le_bytes(body.get(12..20)?.try_into().ok()?);
        let root = Digest::new(algorithm, body.get(24..24usize.checked_add(dlen)?)?)?;
        Some(State {
            seq: u32_at(4)?,
            slot,
            version,
            len: u32_at(20)?,
            root,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State {
            seq: 7,
            slot: 1,
            version: 42,
            len: 10240,
            root: Digest::new(HashAlgorithm::Sha256, &[0xab; 32]).unwrap(),
        }
    }

    #[test]
    fn round_trip() {
        let s = state();
        assert_eq!(State::decode(&s.encode()), Some(s));
    }

    #[test]
    fn any_flipped_bit_or_torn_tail_is_invalid() {
        let r = state().encode();
        for i in 0..RECORD_LEN * 8 {
            let mut t = r;
            t[i / 8] ^= 1 << (i % 8);
            assert_eq!(State::decode(&t), None, "bit {i}");
        }
        for cut in 0..RECORD_LEN {
            let mut t = [0xff; RECORD_LEN];
            t[..cut].copy_from_slice(&r[..cut]);
            assert_eq!(State::decode(&t), None, "cut {cut}");
        }
        assert_eq!(State::decode(&[0xff; RECORD_LEN]), None);
        assert_eq!(State::decode(&[0; RECORD_LEN]), None);
    }
}
