//! The state: which slot boots, whether it is on trial, and the
//! anti-rollback floors, as records appended to a log in flash.
//!
//! Every record is a whole snapshot ([`State`]); the newest valid one is
//! the state. Records are [`RECORD_LEN`] bytes (rounded up to the flash's
//! read and write units), so an erase sector holds many: the log appends
//! in the sector that holds the newest record, after the last slot that is
//! not erased (a torn write is skipped, never written over), and when that
//! sector is full it erases the next one (circularly) and starts there.
//! The newest record is never in the sector being erased, so a power cut
//! at any write or erase leaves it the newest valid one.
//!
//! A record counts only when all of these hold (a torn erase or write fails
//! one, and a read that fails, an ECC error on a torn word, makes it
//! invalid):
//! 1. magic `OMS2`;
//! 2. CRC-32 (ISO-HDLC) over the record;
//! 3. slots 0 or 1, known hash algorithms with their digest lengths, the
//!    trial state one of three, a fallback only while on trial and in the
//!    other slot.
//!
//! On-flash format (little-endian), never reordered:
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 4 | magic `OMS2` |
//! | 4 | 4 | sequence number (higher is newer) |
//! | 8 | 1 | trial: 0 confirmed, 1 pending, 2 trying |
//! | 9 | 3 | zero |
//! | 12 | 8 | anti-rollback floor: the confirmed model's version |
//! | 20 | 8 | time floor: the newest verified signing time (Unix seconds) |
//! | 28 | 80 | the active model ([`Model`], below) |
//! | 108 | 80 | the fallback model |
//! | 188 | 4 | CRC-32 of bytes 0..188 |
//!
//! A model: present (1) or not (0), slot, hash algorithm (0 sha256,
//! 1 blake2b, 2 blake3), digest length, package length (4), version (8),
//! root digest (64, zero-padded).

use crc::{CRC_32_ISO_HDLC, Crc, NoTable};
use oms_edge_core::{Digest, HashAlgorithm};

/// Bytes of a record (a write rounds it up to the flash's units).
pub const RECORD_LEN: usize = 192;
const MAGIC: &[u8; 4] = b"OMS2";
const CRC_AT: usize = RECORD_LEN - 4;
const MODEL_LEN: usize = 80;
const ACTIVE_AT: usize = 28;
const FALLBACK_AT: usize = ACTIVE_AT + MODEL_LEN;
/// The CRC-32 of the state records and of the trust areas' commit records
/// (`trust_state.rs`). Bitwise, without the 1 KiB lookup table: a record
/// is 188 bytes (124 for a trust record).
pub(crate) const CRC32: Crc<u32, NoTable> = Crc::<u32, NoTable>::new(&CRC_32_ISO_HDLC);

/// A verified model in a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Model {
    /// The slot holding it (0 or 1).
    pub slot: u8,
    /// Its anti-rollback value: the `VERSION` (key method) or the earliest
    /// verified signing time in Unix seconds (sigstore method).
    pub version: u64,
    /// The package's length in the slot.
    pub len: u32,
    /// The model's root digest (from the verified statement).
    pub root: Digest,
}

/// Whether the active model has been confirmed by the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trial {
    /// Confirmed ([`crate::Loader::mark_good`]), or reverted to.
    Confirmed,
    /// Just committed; the next boot runs it on trial.
    Pending,
    /// Booted once on trial and not confirmed: the next boot reverts to
    /// the fallback.
    Trying,
}

/// The state, as one record holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// The record's sequence number (higher is newer).
    pub seq: u32,
    /// The model that boots (`None`: no model).
    pub active: Option<Model>,
    /// While on trial: the confirmed model to revert to.
    pub fallback: Option<Model>,
    /// Whether `active` is confirmed.
    pub trial: Trial,
    /// Anti-rollback: an update older than this is refused (the confirmed
    /// model's version).
    pub floor: u64,
    /// The newest verified signing time seen (sigstore method; 0 when
    /// none): a device clock reading below it is wrong.
    pub time_floor: u64,
}

/// The digest algorithms by their code in a record (never reorder).
const ALGORITHMS: [&str; 3] = ["sha256", "blake2b", "blake3"];

fn alg_code(a: HashAlgorithm) -> u8 {
    ALGORITHMS
        .iter()
        .position(|n| *n == a.name())
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

fn put(r: &mut [u8; RECORD_LEN], at: usize, bytes: &[u8]) {
    for (dst, src) in r.iter_mut().skip(at).zip(bytes) {
        *dst = *src;
    }
}

fn get<const N: usize>(r: &[u8], at: usize) -> Option<[u8; N]> {
    r.get(at..at.checked_add(N)?)?.try_into().ok()
}

fn encode_model(r: &mut [u8; RECORD_LEN], at: usize, m: Option<&Model>) {
    let Some(m) = m else {
        return;
    };
    let digest = m.root.as_bytes();
    put(
        r,
        at,
        &[
            1,
            m.slot,
            alg_code(m.root.algorithm()),
            u8::try_from(digest.len()).unwrap_or(0),
        ],
    );
    put(r, at.saturating_add(4), &m.len.to_le_bytes());
    put(r, at.saturating_add(8), &m.version.to_le_bytes());
    put(r, at.saturating_add(16), digest);
}

/// `Err(())`: malformed; `Ok(None)`: absent.
fn decode_model(r: &[u8], at: usize) -> Result<Option<Model>, ()> {
    let [present, slot, alg, dlen] = get::<4>(r, at).ok_or(())?;
    if present == 0 {
        return if r
            .get(at..at.saturating_add(MODEL_LEN))
            .ok_or(())?
            .iter()
            .all(|&b| b == 0)
        {
            Ok(None)
        } else {
            Err(())
        };
    }
    let algorithm = ALGORITHMS
        .get(usize::from(alg))
        .and_then(|n| HashAlgorithm::from_name(n))
        .ok_or(())?;
    let dlen = usize::from(dlen);
    if present != 1 || slot > 1 || dlen != algorithm.digest_len() {
        return Err(());
    }
    let digest_at = at.saturating_add(16);
    let root = r
        .get(digest_at..digest_at.saturating_add(dlen))
        .and_then(|d| Digest::new(algorithm, d))
        .ok_or(())?;
    Ok(Some(Model {
        slot,
        len: u32::from_le_bytes(get::<4>(r, at.saturating_add(4)).ok_or(())?),
        version: u64::from_le_bytes(get::<8>(r, at.saturating_add(8)).ok_or(())?),
        root,
    }))
}

impl State {
    /// The record's bytes.
    pub fn encode(&self) -> [u8; RECORD_LEN] {
        let mut r = [0u8; RECORD_LEN];
        put(&mut r, 0, MAGIC);
        put(&mut r, 4, &self.seq.to_le_bytes());
        let trial: u8 = match self.trial {
            Trial::Confirmed => 0,
            Trial::Pending => 1,
            Trial::Trying => 2,
        };
        put(&mut r, 8, &[trial]);
        put(&mut r, 12, &self.floor.to_le_bytes());
        put(&mut r, 20, &self.time_floor.to_le_bytes());
        encode_model(&mut r, ACTIVE_AT, self.active.as_ref());
        encode_model(&mut r, FALLBACK_AT, self.fallback.as_ref());
        let crc = CRC32.checksum(r.get(..CRC_AT).unwrap_or(&[]));
        put(&mut r, CRC_AT, &crc.to_le_bytes());
        r
    }

    /// A record read from flash, or `None` when it is not valid (erased,
    /// torn, corrupted).
    pub fn decode(r: &[u8; RECORD_LEN]) -> Option<State> {
        let (body, crc) = r.split_at(CRC_AT);
        if CRC32.checksum(body).to_le_bytes() != *crc || body.get(..4)? != MAGIC {
            return None;
        }
        let trial = match get::<4>(body, 8)? {
            [0, 0, 0, 0] => Trial::Confirmed,
            [1, 0, 0, 0] => Trial::Pending,
            [2, 0, 0, 0] => Trial::Trying,
            _ => return None,
        };
        let active = decode_model(body, ACTIVE_AT).ok()?;
        let fallback = decode_model(body, FALLBACK_AT).ok()?;
        let consistent = match (trial, &active, &fallback) {
            (Trial::Confirmed, _, None) => true,
            (Trial::Confirmed, _, Some(_)) => false,
            (_, None, _) => false,
            (_, Some(_), None) => true,
            (_, Some(a), Some(f)) => a.slot != f.slot,
        };
        if !consistent {
            return None;
        }
        Some(State {
            seq: u32::from_le_bytes(get::<4>(body, 4)?),
            active,
            fallback,
            trial,
            floor: u64::from_le_bytes(get::<8>(body, 12)?),
            time_floor: u64::from_le_bytes(get::<8>(body, 20)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(slot: u8, version: u64) -> Model {
        Model {
            slot,
            version,
            len: 10240,
            root: Digest::new(HashAlgorithm::Sha256, &[0xab; 32]).unwrap(),
        }
    }

    fn states() -> [State; 3] {
        [
            State {
                seq: 7,
                active: Some(model(1, 42)),
                fallback: None,
                trial: Trial::Confirmed,
                floor: 42,
                time_floor: 0,
            },
            State {
                seq: 8,
                active: Some(model(0, 43)),
                fallback: Some(model(1, 42)),
                trial: Trial::Pending,
                floor: 42,
                time_floor: 1_748_858_424,
            },
            State {
                seq: 9,
                active: None,
                fallback: None,
                trial: Trial::Confirmed,
                floor: 0,
                time_floor: 0,
            },
        ]
    }

    #[test]
    fn round_trip() {
        for s in states() {
            assert_eq!(State::decode(&s.encode()), Some(s));
        }
    }

    #[test]
    fn any_flipped_bit_or_torn_tail_is_invalid() {
        for s in states() {
            let r = s.encode();
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
        }
        assert_eq!(State::decode(&[0xff; RECORD_LEN]), None);
        assert_eq!(State::decode(&[0; RECORD_LEN]), None);
    }

    #[test]
    fn inconsistent_states_are_invalid() {
        let [confirmed, pending, _] = states();
        let bad = [
            // A fallback while confirmed.
            State {
                fallback: Some(model(0, 1)),
                ..confirmed
            },
            // On trial with nothing to run.
            State {
                active: None,
                ..pending
            },
            // The fallback in the trial model's slot.
            State {
                fallback: Some(model(0, 1)),
                ..pending
            },
        ];
        for s in bad {
            assert_eq!(State::decode(&s.encode()), None, "{s:?}");
        }
    }
}
