//! The Sigstore trust state in flash, updated by a trust package that
//! carries TUF metadata (feature `tuf`; design: `docs/tuf.md`, "Firmware").
//!
//! The state is what the core's TUF client ([`oms_edge_core::tuf::Updater`])
//! needs to hold between updates, and what the sigstore method verifies
//! with: the trusted TUF `root.json`, the trusted `timestamp.json` and
//! `snapshot.json` (their versions and lists are the rollback floors of
//! §5.4.3 and §5.5.5; the Updater re-verifies them under the final root,
//! and discards them after a timestamp/snapshot key rotation, §5.3.11) and
//! the `trusted_root.json` target. It lives in one of two equal trust
//! areas ([`TrustLayout`]); the other one receives the next state.
//!
//! An area: the four files concatenated from its start, and in its last
//! erase sector a commit record ([`TRUST_RECORD_LEN`] bytes, rounded up to
//! the flash's units) written last:
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 4 | magic `OMST` |
//! | 4 | 4 | sequence number (higher is newer) |
//! | 8 | 16 | lengths of root, timestamp, snapshot, trusted root (u32 each) |
//! | 24 | 32 | versions of root, timestamp, snapshot, targets (u64 each) |
//! | 56 | 8 | the root's `expires` (Unix seconds) |
//! | 64 | 32 | SHA-256 of the four files as stored |
//! | 96 | 28 | zero |
//! | 124 | 4 | CRC-32 (ISO-HDLC) of bytes 0..124 |
//!
//! An area is committed when its record's CRC, magic and padding hold (a
//! record that fails them, or fails to read, was never written whole: the
//! area does not count). A committed area is intact when its lengths fit
//! and its files hash to the record's digest, and damaged otherwise. The
//! state is the committed area with the higher sequence number; when that
//! one is damaged the loader fails closed ([`Refused::TrustDamaged`])
//! rather than fall back to the other area, which holds the state of one
//! update earlier (an older `trusted_root.json`, lower rollback floors).
//! An update ([`Loader::update_trust`]) verifies the whole package before
//! its first flash operation, then erases the other area's record sector,
//! writes the files, reads them back, and writes the record: a power cut
//! before the record's write is complete leaves that area uncommitted and
//! the old state the state; after it, the new one. No cut, and no write
//! that did not take, leaves a committed area damaged: only damage at rest
//! or tampering does, and the device then needs re-provisioning
//! ([`Loader::erase_trust`], then a trust package).

extern crate alloc;

use alloc::vec::Vec;

use embedded_io::Read;
use embedded_storage::nor_flash::NorFlash;
use oms_edge_core::tuf::{
    Expiry, Outcome, TRUSTED_ROOT_TARGET, TimestampUpdate, TufError, Updater,
};
use oms_edge_core::{Digest, HashAlgorithm, Hasher, UnixTime};

use crate::archive::{Input, SlotWriter, StreamInput, next_block, read_exact, skip};
use crate::error::{FlashErr, PackageError, Refused};
use crate::flashio::read_at;
use crate::state::CRC32;
use crate::ustar::{self, BLOCK, Header, Member};
use crate::{BLOCK_LEN, Loader, MAX_STRIDE, stride_of};

/// Bytes of a trust commit record (a write rounds it up to the flash's
/// units).
pub const TRUST_RECORD_LEN: usize = 128;
const MAGIC: &[u8; 4] = b"OMST";
const CRC_AT: usize = TRUST_RECORD_LEN - 4;

/// Where the two trust areas are (each erase-sector aligned, at least two
/// sectors: the files, and the commit record in the last sector).
#[derive(Debug, Clone, Copy)]
pub struct TrustLayout {
    /// Offsets of area 0 and area 1.
    pub areas: [u32; 2],
    /// Bytes per area (a multiple of the erase sector).
    pub area_size: u32,
}

impl TrustLayout {
    /// The offset of area `area` (0, or 1 for any other value).
    fn base(&self, area: u8) -> u32 {
        let [a0, a1] = self.areas;
        if area == 0 { a0 } else { a1 }
    }
}

/// The trust state held in flash, as its commit record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustState {
    /// The area holding it (0 or 1).
    pub area: u8,
    /// The record's sequence number (higher is newer).
    pub seq: u32,
    /// Lengths of the held root, timestamp, snapshot and trusted root.
    pub lens: [u32; 4],
    /// The trusted TUF root's version.
    pub root_version: u64,
    /// The trusted timestamp's version.
    pub timestamp_version: u64,
    /// The trusted snapshot's version.
    pub snapshot_version: u64,
    /// The trusted targets' version.
    pub targets_version: u64,
    /// The trusted root's `expires` (Unix seconds).
    pub root_expires: u64,
    digest: [u8; 32],
}

impl TrustState {
    fn encode(&self) -> [u8; TRUST_RECORD_LEN] {
        let mut r = [0u8; TRUST_RECORD_LEN];
        let mut fields: Vec<u8> = Vec::with_capacity(CRC_AT);
        fields.extend_from_slice(MAGIC);
        fields.extend_from_slice(&self.seq.to_le_bytes());
        for l in self.lens {
            fields.extend_from_slice(&l.to_le_bytes());
        }
        for v in [
            self.root_version,
            self.timestamp_version,
            self.snapshot_version,
            self.targets_version,
            self.root_expires,
        ] {
            fields.extend_from_slice(&v.to_le_bytes());
        }
        fields.extend_from_slice(&self.digest);
        for (dst, src) in r.iter_mut().zip(&fields) {
            *dst = *src;
        }
        let crc = CRC32.checksum(r.get(..CRC_AT).unwrap_or(&[]));
        for (dst, src) in r.iter_mut().skip(CRC_AT).zip(crc.to_le_bytes()) {
            *dst = src;
        }
        r
    }

    /// A record as read from `area`, or `None` when its CRC, magic or
    /// padding do not hold (the files are checked apart).
    fn decode(area: u8, r: &[u8; TRUST_RECORD_LEN]) -> Option<Self> {
        let (body, crc) = r.split_at(CRC_AT);
        if CRC32.checksum(body).to_le_bytes() != *crc || body.get(..4)? != MAGIC {
            return None;
        }
        if body.get(96..)?.iter().any(|&b| b != 0) {
            return None;
        }
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(
                body.get(at..at.checked_add(4)?)?.try_into().ok()?,
            ))
        };
        let u64_at = |at: usize| -> Option<u64> {
            Some(u64::from_le_bytes(
                body.get(at..at.checked_add(8)?)?.try_into().ok()?,
            ))
        };
        Some(Self {
            area,
            seq: u32_at(4)?,
            lens: [u32_at(8)?, u32_at(12)?, u32_at(16)?, u32_at(20)?],
            root_version: u64_at(24)?,
            timestamp_version: u64_at(32)?,
            snapshot_version: u64_at(40)?,
            targets_version: u64_at(48)?,
            root_expires: u64_at(56)?,
            digest: body.get(64..96)?.try_into().ok()?,
        })
    }

    /// Offset (in the area) and length of file `i` (0 root, 1 timestamp,
    /// 2 snapshot, 3 trusted root).
    fn file(&self, i: usize) -> Option<(u32, u32)> {
        let before = self.lens.get(..i)?;
        let at = before.iter().try_fold(0u32, |a, &l| a.checked_add(l))?;
        Some((at, *self.lens.get(i)?))
    }

    fn total(&self) -> Option<u32> {
        self.lens.iter().try_fold(0u32, |a, &l| a.checked_add(l))
    }
}

/// What a trust area holds.
#[derive(Debug, Clone, Copy)]
enum Area {
    /// No valid commit record (never committed, erased, or its record's
    /// write was torn): it does not count.
    Uncommitted,
    /// A valid record, and the files it names.
    Intact(TrustState),
    /// A valid record (a committed state: its sequence number is known)
    /// whose files do not match it: lengths beyond the room, a failed
    /// read, another digest. No power cut leaves this (an update erases
    /// the record's sector first and writes the record last, after the
    /// files read back whole): only damage at rest or tampering does.
    Damaged {
        /// The record's sequence number.
        seq: u32,
    },
}

impl Area {
    /// The committed record's sequence number.
    fn seq(&self) -> Option<u32> {
        match self {
            Self::Uncommitted => None,
            Self::Intact(s) => Some(s.seq),
            Self::Damaged { seq } => Some(*seq),
        }
    }
}

/// A trust update applied by [`Loader::update_trust`].
#[derive(Debug, Clone, Copy)]
pub struct TrustUpdate {
    /// The new state (committed).
    pub state: TrustState,
    /// What the TUF client verified (versions, expiry, freshness).
    pub outcome: Outcome,
    /// Flash operations (erases and writes) made.
    pub ops: u32,
}

/// Caller-owned memory for a trust update.
#[derive(Debug)]
pub struct TrustBuffers<'b> {
    /// Each package member is read into it whole (and the held files from
    /// flash): at least the largest (a Sigstore root is about 7 KB, its
    /// `trusted_root.json` about 7 KB).
    pub work: &'b mut [u8],
    /// One flash page, as for a model update.
    pub page: &'b mut [u8],
    /// One tar header block.
    pub block: &'b mut [u8; BLOCK_LEN],
}

/// What a trust package member is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `N.root.json`, with N.
    Root(u64),
    Timestamp,
    Snapshot,
    Targets,
    Target,
}

fn kind(block: &[u8; BLOCK_LEN]) -> Option<Kind> {
    let (prefix, name) = ustar::name_parts(block);
    if !prefix.is_empty() {
        return None;
    }
    match name {
        b"timestamp.json" => Some(Kind::Timestamp),
        b"snapshot.json" => Some(Kind::Snapshot),
        b"targets.json" => Some(Kind::Targets),
        n if n == TRUSTED_ROOT_TARGET.as_bytes() => Some(Kind::Target),
        n => {
            let digits = n.strip_suffix(b".root.json")?;
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            digits
                .iter()
                .try_fold(0u64, |v, d| {
                    v.checked_mul(10)?
                        .checked_add(u64::from(d.saturating_sub(b'0')))
                })
                .map(Kind::Root)
        }
    }
}

/// The sectors' size, as a u32.
fn sector<F: NorFlash>() -> Result<u32, Refused> {
    u32::try_from(F::ERASE_SIZE).map_err(|_| Refused::Layout)
}

/// The commit record's slot: [`TRUST_RECORD_LEN`] rounded up to the read
/// and write units, as a state record's.
fn record_stride<F: NorFlash>() -> Result<usize, Refused> {
    stride_of::<F>(TRUST_RECORD_LEN).ok_or(Refused::Layout)
}

fn tuf(e: TufError) -> Refused {
    Refused::Tuf(e)
}

impl<F: NorFlash> Loader<F> {
    /// Checks `trust` against the flash and the model layout.
    fn check_trust_layout(&mut self, trust: &TrustLayout) -> Result<u32, Refused> {
        let sector = sector::<F>()?;
        let layout = self.layout();
        let state_len = layout
            .state_sectors
            .checked_mul(sector)
            .ok_or(Refused::Layout)?;
        let mut regions = [
            (layout.slots[0], layout.slot_size),
            (layout.slots[1], layout.slot_size),
            (layout.state, state_len),
            (trust.areas[0], trust.area_size),
            (trust.areas[1], trust.area_size),
        ];
        regions.sort_unstable();
        let disjoint = regions
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.0.saturating_add(a.1) <= b.0));
        let cap = self.flash.capacity();
        let fits = trust.areas.iter().all(|&a| {
            a.is_multiple_of(sector)
                && a.checked_add(trust.area_size)
                    .and_then(|e| usize::try_from(e).ok())
                    .is_some_and(|e| e <= cap)
        });
        if !disjoint
            || !fits
            || !trust.area_size.is_multiple_of(sector)
            || trust.area_size < sector.saturating_mul(2)
        {
            return Err(Refused::Layout);
        }
        record_stride::<F>()?;
        // The files' room: all but the record's sector.
        Ok(trust.area_size.saturating_sub(sector))
    }

    fn record_at(trust: &TrustLayout, area: u8) -> Result<u32, Refused> {
        trust
            .base(area)
            .checked_add(trust.area_size.saturating_sub(sector::<F>()?))
            .ok_or(Refused::Layout)
    }

    /// What area `area` holds: a record that does not verify (CRC, magic,
    /// padding, or a failed read) is no commit at all; a valid one is
    /// intact only when its lengths fit `room` and its files hash to its
    /// digest, and damaged otherwise.
    fn read_area(&mut self, trust: &TrustLayout, area: u8, room: u32) -> Result<Area, Refused> {
        let mut record = [0u8; TRUST_RECORD_LEN];
        if read_at(&mut self.flash, Self::record_at(trust, area)?, &mut record).is_err() {
            return Ok(Area::Uncommitted);
        }
        let Some(state) = TrustState::decode(area, &record) else {
            return Ok(Area::Uncommitted);
        };
        let damaged = Area::Damaged { seq: state.seq };
        let Some(total) = state.total().filter(|&t| t <= room) else {
            return Ok(damaged);
        };
        Ok(
            if self.files_match(trust.base(area), total, &state.digest)? {
                Area::Intact(state)
            } else {
                damaged
            },
        )
    }

    /// Whether the `total` bytes at `base` hash to `digest` (`false` when
    /// a read fails).
    fn files_match(&mut self, base: u32, total: u32, digest: &[u8; 32]) -> Result<bool, Refused> {
        let mut hasher = Hasher::new(HashAlgorithm::Sha256);
        let mut chunk = [0u8; 64];
        let mut at = 0u32;
        while at < total {
            let n = usize::try_from(total.saturating_sub(at))
                .unwrap_or(chunk.len())
                .min(chunk.len());
            let buf = chunk.get_mut(..n).ok_or(Refused::Layout)?;
            if read_at(&mut self.flash, base.saturating_add(at), buf).is_err() {
                return Ok(false);
            }
            hasher.update(buf);
            at = at.saturating_add(u32::try_from(n).map_err(|_| Refused::Layout)?);
        }
        let actual: Digest = hasher.finalize();
        Ok(actual.as_bytes() == digest)
    }

    /// The trust state: the committed area with the higher sequence
    /// number, `None` when neither is committed (a device before its first
    /// trust package). Fails closed: when that area is damaged
    /// ([`Refused::TrustDamaged`]) the older area is not used, since that
    /// would roll the state back by one update. Reads only.
    #[inline(never)]
    pub fn trust_state(&mut self, trust: &TrustLayout) -> Result<Option<TrustState>, Refused> {
        let room = self.check_trust_layout(trust)?;
        let (area, newest) = self.newest_area(trust, room)?;
        match newest {
            Area::Uncommitted => Ok(None),
            Area::Intact(state) => Ok(Some(state)),
            Area::Damaged { .. } => Err(Refused::TrustDamaged { area }),
        }
    }

    /// The committed area with the higher sequence number (area 0 on a
    /// tie, which no update writes; area 0 when neither is committed): its
    /// number, and what it holds.
    fn newest_area(&mut self, trust: &TrustLayout, room: u32) -> Result<(u8, Area), Refused> {
        let a = self.read_area(trust, 0, room)?;
        let b = self.read_area(trust, 1, room)?;
        Ok(if b.seq() > a.seq() { (1, b) } else { (0, a) })
    }

    /// Erases both trust areas' commit records, making the device one
    /// without trust state: the next trust package is verified against
    /// the compiled-in TUF root, as on a new device. This is
    /// re-provisioning (a device whose state is damaged,
    /// [`Refused::TrustDamaged`], or a factory reset): it drops the held
    /// versions, the rollback floors of the next update, so it must not
    /// be reachable by whoever delivers trust packages. The older
    /// committed record is erased first: a power cut leaves the state as
    /// it was (damaged or not) or none, never the older one. Returns the
    /// flash operations made (two erases).
    #[inline(never)]
    pub fn erase_trust(&mut self, trust: &TrustLayout) -> Result<u32, Refused> {
        let room = self.check_trust_layout(trust)?;
        let (newest, _) = self.newest_area(trust, room)?;
        let sector = sector::<F>()?;
        let mut ops = 0u32;
        for area in [1u8.saturating_sub(newest), newest] {
            let at = Self::record_at(trust, area)?;
            ops = ops.saturating_add(1);
            self.flash
                .erase(at, at.checked_add(sector).ok_or(Refused::Layout)?)
                .map_err(FlashErr)?;
        }
        if self.trust_state(trust)?.is_some() {
            return Err(Refused::AtRest);
        }
        Ok(ops)
    }

    /// Reads file `i` of `state` into the start of `buf`; its bytes.
    fn read_trust_file<'b>(
        &mut self,
        trust: &TrustLayout,
        state: &TrustState,
        i: usize,
        buf: &'b mut [u8],
    ) -> Result<&'b mut [u8], Refused> {
        let (at, len) = state.file(i).ok_or(Refused::Layout)?;
        let base = trust.base(state.area);
        let len = usize::try_from(len).map_err(|_| Refused::Layout)?;
        let out = buf.get_mut(..len).ok_or(Refused::TrustTooLarge)?;
        read_at(
            &mut self.flash,
            base.checked_add(at).ok_or(Refused::Layout)?,
            out,
        )?;
        Ok(out)
    }

    /// The held `trusted_root.json`, read into `buf` (the state is
    /// checked whole first). [`Refused::NoTrust`] when there is no trust
    /// state yet, [`Refused::TrustDamaged`] when it is damaged.
    #[inline(never)]
    pub fn trusted_root<'b>(
        &mut self,
        trust: &TrustLayout,
        buf: &'b mut [u8],
    ) -> Result<(TrustState, &'b [u8]), Refused> {
        let state = self.trust_state(trust)?.ok_or(Refused::NoTrust)?;
        let bytes = self.read_trust_file(trust, &state, 3, buf)?;
        Ok((state, bytes))
    }

    /// Applies the trust package read from `package`: its TUF metadata is
    /// verified by the core's TUF client against the held state (or, on a
    /// device without one, against `tuf_root`, the TUF root compiled into
    /// the firmware), the whole package before the first flash operation;
    /// then the new state is written to the other area and committed.
    /// A damaged state ([`Refused::TrustDamaged`]) is refused before
    /// anything is read from the package: an update never starts from the
    /// older area.
    ///
    /// The package is a ustar archive of, in this order: new root versions
    /// `N.root.json` (increasing; those not newer than the held root are
    /// skipped), `timestamp.json`, `snapshot.json`, `targets.json` and the
    /// target `trusted_root.json`. The time: `rtc` raised to the state's
    /// time floor; without a clock, metadata that expired before the time
    /// floor (the newest signing time verified, so before now) is refused,
    /// and freshness is otherwise not checked (reported in the outcome).
    #[inline(never)]
    pub fn update_trust<R: Read>(
        &mut self,
        trust: &TrustLayout,
        package: &mut R,
        tuf_root: &[u8],
        rtc: Option<UnixTime>,
        bufs: TrustBuffers<'_>,
    ) -> Result<TrustUpdate, Refused> {
        let TrustBuffers { work, page, block } = bufs;
        if page.is_empty() || !page.len().is_multiple_of(F::WRITE_SIZE) {
            return Err(Refused::Layout);
        }
        let room = self.check_trust_layout(trust)?;
        let held = self.trust_state(trust)?;
        let floor = self.state()?.map_or(0, |s| s.time_floor);
        let expiry = match rtc {
            Some(t) => Expiry::Enforce {
                now: t.secs().max(floor),
            },
            None if floor > 0 => Expiry::Enforce { now: floor },
            None => Expiry::NoClock,
        };

        // Verify: §5.2, with the held root (or the compiled-in one).
        let mut root: Vec<u8> = match &held {
            Some(h) => self.read_trust_file(trust, h, 0, work)?.to_vec(),
            None => tuf_root.to_vec(),
        };
        let mut u = Updater::new(&root, expiry).map_err(tuf)?;
        let mut stream = StreamInput(package);
        let input: &mut dyn Input = &mut stream;
        let mut pos = 0u32;
        let mut last: Option<Kind> = None;
        let (mut timestamp, mut snapshot) = (Vec::new(), Vec::new());
        let mut target_len = 0usize;
        while let Header::File(member) = next_block(input, pos, u32::MAX, block)? {
            let k = kind(block).ok_or(Refused::TrustPackage)?;
            // Strictly in order: roots (increasing), then one of each.
            let in_order = matches!(
                (last, k),
                (None, Kind::Root(_) | Kind::Timestamp)
                    | (Some(Kind::Root(_)), Kind::Timestamp)
                    | (Some(Kind::Timestamp), Kind::Snapshot)
                    | (Some(Kind::Snapshot), Kind::Targets)
                    | (Some(Kind::Targets), Kind::Target)
            ) || matches!((last, k), (Some(Kind::Root(a)), Kind::Root(b)) if b > a);
            let size = usize::try_from(member.size).map_err(|_| Refused::TrustTooLarge)?;
            if !in_order || size > work.len() {
                return Err(if in_order {
                    Refused::TrustTooLarge
                } else {
                    Refused::TrustPackage
                });
            }
            if !matches!(k, Kind::Root(_)) && last.is_none_or(|l| matches!(l, Kind::Root(_))) {
                // §5.3.10–§5.3.11: the roots are done; the held timestamp
                // and snapshot (read from flash) give the rollback floors.
                self.finish_roots(trust, &held, &mut u, work)?;
            }
            last = Some(k);
            let data = work.get_mut(..size).ok_or(Refused::TrustTooLarge)?;
            read_member(input, &member, data)?;
            pos = member.next;
            match k {
                Kind::Root(n) if n <= u.root_version() => {}
                Kind::Root(_) => {
                    u.update_root(data).map_err(tuf)?;
                    root = data.to_vec();
                }
                Kind::Timestamp => {
                    if u.update_timestamp(data).map_err(tuf)? == TimestampUpdate::Unchanged {
                        return Err(Refused::TrustUnchanged);
                    }
                    timestamp = data.to_vec();
                }
                Kind::Snapshot => {
                    u.update_snapshot(data).map_err(tuf)?;
                    snapshot = data.to_vec();
                }
                Kind::Targets => u.update_targets(data).map_err(tuf)?,
                Kind::Target => {
                    u.verify_target(TRUSTED_ROOT_TARGET, data).map_err(tuf)?;
                    target_len = size;
                }
            }
        }
        // The end marker's second block, and every step done.
        let end = pos.saturating_add(BLOCK);
        if !matches!(next_block(input, end, u32::MAX, block)?, Header::Zero) {
            return Err(PackageError::BadHeader { at: pos }.into());
        }
        if last != Some(Kind::Target) {
            return Err(Refused::TrustPackage);
        }
        let outcome = u.outcome();
        drop(u);

        // Write: the other area, its record's sector erased first.
        let target = work.get(..target_len).ok_or(Refused::Layout)?;
        let files: [&[u8]; 4] = [&root, &timestamp, &snapshot, target];
        let len32 = |b: &[u8]| u32::try_from(b.len()).map_err(|_| Refused::TrustTooLarge);
        let lens = [
            len32(&root)?,
            len32(&timestamp)?,
            len32(&snapshot)?,
            len32(target)?,
        ];
        let area = held.map_or(0, |h| 1u8.saturating_sub(h.area));
        let mut hasher = Hasher::new(HashAlgorithm::Sha256);
        for f in files {
            hasher.update(f);
        }
        let digest: Digest = hasher.finalize();
        let state = TrustState {
            area,
            seq: match held {
                Some(h) => h.seq.checked_add(1).ok_or(Refused::SequenceExhausted)?,
                None => 1,
            },
            lens,
            root_version: outcome.root_to,
            timestamp_version: outcome.timestamp.unwrap_or(0),
            snapshot_version: outcome.snapshot.unwrap_or(0),
            targets_version: outcome.targets.unwrap_or(0),
            root_expires: outcome.root_expires,
            digest: digest.as_bytes().try_into().map_err(|_| Refused::Layout)?,
        };
        if state.total().is_none_or(|t| t > room) {
            return Err(Refused::TrustTooLarge);
        }
        let record_at = Self::record_at(trust, area)?;
        let sector = sector::<F>()?;
        let mut ops = 1u32;
        self.flash
            .erase(record_at, record_at.saturating_add(sector))
            .map_err(FlashErr)?;
        let base = trust.base(area);
        let mut writer = SlotWriter::new(&mut self.flash, base, room, page);
        for f in files {
            writer.put(f)?;
        }
        writer.flush()?;
        ops = ops.saturating_add(writer.ops);
        // The files read back before the record commits them: a write
        // that did not take leaves the area uncommitted, never damaged.
        let total = state.total().ok_or(Refused::TrustTooLarge)?;
        if !self.files_match(base, total, &state.digest)? {
            return Err(Refused::AtRest);
        }
        let stride = record_stride::<F>()?;
        let mut slot = [0xffu8; MAX_STRIDE];
        let buf = slot.get_mut(..stride).ok_or(Refused::Layout)?;
        for (dst, src) in buf.iter_mut().zip(state.encode()) {
            *dst = src;
        }
        ops = ops.saturating_add(1);
        self.flash.write(record_at, buf).map_err(FlashErr)?;
        // Read back: the new area is valid, and the state.
        if self.trust_state(trust)? != Some(state) {
            return Err(Refused::AtRest);
        }
        Ok(TrustUpdate {
            state,
            outcome,
            ops,
        })
    }

    /// §5.3.10–§5.3.11 with the held timestamp and snapshot, read from
    /// flash into `work` (both at once).
    fn finish_roots(
        &mut self,
        trust: &TrustLayout,
        held: &Option<TrustState>,
        u: &mut Updater,
        work: &mut [u8],
    ) -> Result<(), Refused> {
        let Some(h) = held else {
            u.finish_roots(None, None).map_err(tuf)?;
            return Ok(());
        };
        let ts_len = h.lens[1];
        let ts_len = usize::try_from(ts_len).map_err(|_| Refused::Layout)?;
        if work.len() < ts_len {
            return Err(Refused::TrustTooLarge);
        }
        let (ts_buf, rest) = work.split_at_mut(ts_len);
        self.read_trust_file(trust, h, 1, ts_buf)?;
        let snap = self.read_trust_file(trust, h, 2, rest)?;
        u.finish_roots(Some(ts_buf), Some(snap)).map_err(tuf)?;
        Ok(())
    }
}

/// Reads `member`'s data (exactly `data.len()` bytes) and its padding.
fn read_member(input: &mut dyn Input, member: &Member, data: &mut [u8]) -> Result<(), Refused> {
    read_exact(input, data)?;
    skip(input, member.next.saturating_sub(member.data_end()))?;
    Ok(())
}
