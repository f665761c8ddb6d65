//! # oms-edge-loader
//!
//! A `no_std` model loader that only flashes verified models: two equal
//! slots on NOR flash (through `embedded-storage`), a state record that
//! names the active one, and an update flow that verifies an OMS signature
//! before, while and after writing.
//!
//! Update flow ([`Loader::verify_update`], then [`Loader::commit`]):
//! 1. the package's first member, `model.sig`, is authenticated by the
//!    pinned verifier (any [`Verifier`] of the core whose evidence says
//!    what anti-rollback compares: [`AntiRollback`]): signature, then
//!    manifest;
//! 2. anti-rollback (sigstore method): the verified signing time must not
//!    be older than the confirmed model's;
//! 3. every header of the package is checked ([`ustar`]) and the package
//!    must fit in a slot;
//! 4. a state record that names the inactive slot (an older one) is erased,
//!    then the slot's sectors;
//! 5. each file streams from staging through its hash while being written
//!    to the inactive slot (erase-before-write, whole pages); the first
//!    mismatch, missing or unsigned file stops it;
//! 6. the slot is read back: `model.sig` equals the authenticated bundle and
//!    every file hashes again to its signed digest (at rest);
//! 7. anti-rollback (key method): the verified `VERSION` file must not be
//!    older than the confirmed model's;
//! 8. [`Loader::commit`], with the [`VerifiedUpdate`] only step 7 can
//!    make, writes the state record (sequence + 1, CRC) into the other
//!    state sector: the one flash write that switches the model.
//!
//! A power cut anywhere leaves the old state record the newest valid one
//! until step 8's record is whole, so the device boots the old confirmed
//! model or the new fully verified one ([`Loader::boot`]).

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

mod archive;
pub mod error;
pub mod ramflash;
pub mod state;
pub mod trust;
pub mod ustar;

use embedded_storage::nor_flash::{NorFlash, ReadNorFlash};
use oms_edge_core::{Digest, ModelOptions, Time, VerifiedManifest, VerifiedModel, Verifier};

use archive::{Archive, NoTee, SlotWriter, archive_len};
use error::FlashErr;
pub use error::{PackageError, Refused};
use state::RECORD_LEN;
pub use state::State;
pub use trust::AntiRollback;
use ustar::{BLOCK, Entry, Member};

/// The name of the package's first member.
pub const BUNDLE_NAME: &[u8] = b"model.sig";
/// The name of the model file holding the version (key method).
pub const VERSION_NAME: &str = "VERSION";

/// Where the slots and the state records live in the flash.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Offsets of slot 0 and slot 1 (erase-sector aligned).
    pub slots: [u32; 2],
    /// Bytes per slot (a multiple of the erase sector).
    pub slot_size: u32,
    /// Offsets of the two state sectors (one erase sector each).
    pub state: [u32; 2],
}

/// Caller-owned memory for one verification.
#[derive(Debug)]
pub struct Buffers<'b> {
    /// Holds `model.sig` (its size bounds the bundles accepted).
    pub bundle: &'b mut [u8],
    /// Receives the decoded DSSE payload (as large as `bundle`).
    pub payload: &'b mut [u8],
    /// Every file streams through this.
    pub io: &'b mut [u8],
    /// One flash page: each slot write is this long (a multiple of the
    /// flash's write unit).
    pub page: &'b mut [u8],
    /// One tar header block.
    pub block: &'b mut [u8; BLOCK as usize],
}

/// Proof that a slot holds a fully verified model: made only by
/// [`Loader::verify_update`], consumed by [`Loader::commit`].
#[derive(Debug)]
pub struct VerifiedUpdate {
    slot: u8,
    version: u64,
    len: u32,
    root: Digest,
    base_seq: Option<u32>,
    generation: u32,
}

impl VerifiedUpdate {
    /// The verified model's root digest.
    pub fn root(&self) -> Digest {
        self.root
    }

    /// Its anti-rollback value (`VERSION` or signing time).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The slot it was written to.
    pub fn slot(&self) -> u8 {
        self.slot
    }
}

/// The loader over the slot-and-state flash `F`.
#[derive(Debug)]
pub struct Loader<F> {
    flash: F,
    layout: Layout,
    /// Bumped by every [`Loader::verify_update`]: a token from an earlier
    /// one no longer describes the slot.
    generation: u32,
}

impl<F: NorFlash> Loader<F> {
    /// A loader over `flash`; fails when `layout` does not fit it.
    pub fn new(flash: F, layout: Layout) -> Result<Self, Refused> {
        let erase = u32::try_from(F::ERASE_SIZE).map_err(|_| Refused::Layout)?;
        let cap = flash.capacity();
        let fits = |start: u32, len: u32| {
            start.is_multiple_of(erase)
                && start
                    .checked_add(len)
                    .and_then(|end| usize::try_from(end).ok())
                    .is_some_and(|end| end <= cap)
        };
        let regions = [
            (layout.slots[0], layout.slot_size),
            (layout.slots[1], layout.slot_size),
            (layout.state[0], erase),
            (layout.state[1], erase),
        ];
        let disjoint = regions.iter().enumerate().all(|(i, a)| {
            regions
                .iter()
                .skip(i.saturating_add(1))
                .all(|b| a.0.saturating_add(a.1) <= b.0 || b.0.saturating_add(b.1) <= a.0)
        });
        let ok = F::READ_SIZE == 1
            && F::WRITE_SIZE > 0
            && erase > 0
            && F::ERASE_SIZE.is_multiple_of(F::WRITE_SIZE)
            && RECORD_LEN.is_multiple_of(F::WRITE_SIZE)
            && RECORD_LEN <= F::ERASE_SIZE
            && layout.slot_size > 0
            && layout.slot_size.is_multiple_of(erase)
            && regions.iter().all(|&(s, l)| fits(s, l))
            && disjoint;
        if !ok {
            return Err(Refused::Layout);
        }
        Ok(Self {
            flash,
            layout,
            generation: 0,
        })
    }

    /// The flash (to read a slot's files, or to hand it back).
    pub fn flash(&mut self) -> &mut F {
        &mut self.flash
    }

    /// The layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Gives the flash back.
    pub fn into_flash(self) -> F {
        self.flash
    }

    /// The two state records, `None` where invalid.
    pub fn records(&mut self) -> Result<[Option<State>; 2], Refused> {
        let mut out = [None, None];
        for (slot, &at) in out.iter_mut().zip(&self.layout.state) {
            let mut r = [0u8; RECORD_LEN];
            self.flash.read(at, &mut r).map_err(FlashErr)?;
            *slot = State::decode(&r);
        }
        Ok(out)
    }

    /// The newest valid record and its sector.
    fn newest(&mut self) -> Result<Option<(usize, State)>, Refused> {
        let [a, b] = self.records()?;
        Ok(match (a, b) {
            (Some(a), Some(b)) if b.seq > a.seq => Some((1, b)),
            (Some(a), _) => Some((0, a)),
            (None, Some(b)) => Some((1, b)),
            (None, None) => None,
        })
    }

    /// At boot: the confirmed model, `None` when no valid record exists.
    /// Torn or corrupted records are ignored.
    pub fn boot(&mut self) -> Result<Option<State>, Refused> {
        Ok(self.newest()?.map(|(_, s)| s))
    }

    fn slot_base(&self, slot: u8) -> u32 {
        if slot == 0 {
            self.layout.slots[0]
        } else {
            self.layout.slots[1]
        }
    }

    /// Steps 1 to 7: verifies the package in `staging` with `verifier` at
    /// `time` (the device's clock, or [`Time::NoClock`]) and writes it into
    /// the inactive slot; the active model is not touched.
    pub fn verify_update<S: ReadNorFlash, V: Verifier>(
        &mut self,
        staging: &mut S,
        verifier: &V,
        time: Time,
        bufs: Buffers<'_>,
    ) -> Result<VerifiedUpdate, Refused>
    where
        V::Evidence: AntiRollback,
    {
        self.generation = self.generation.wrapping_add(1);
        let Buffers {
            bundle: bundle_buf,
            payload,
            io,
            page,
            block,
        } = bufs;
        if page.is_empty() || !page.len().is_multiple_of(F::WRITE_SIZE) {
            return Err(Refused::Layout);
        }
        let newest = self.newest()?;
        let confirmed = newest.map(|(_, s)| s);
        let limit = u32::try_from(staging.capacity()).unwrap_or(u32::MAX);

        // 1. Authenticate the bundle, then parse the manifest.
        let first = bundle_member(staging, 0, limit, block)?;
        let bundle = read_bundle(staging, 0, &first, bundle_buf)?;
        let (manifest, evidence) = verifier.verify(bundle, time, payload)?.into_parts();
        let signed_at = evidence.signing_time()?;
        let root = manifest.root_digest().ok_or(Refused::NoRootDigest)?;

        // 2. Anti-rollback on the verified signing time.
        if let Some(t) = signed_at {
            check_rollback(confirmed, t)?;
        }

        // 3. The whole package's structure and size.
        let len = archive_len(staging, 0, limit, block)?;
        if len > self.layout.slot_size {
            return Err(PackageError::TooLarge.into());
        }

        // 4. Nothing may name the slot about to be overwritten; erase it.
        let target = confirmed.map_or(0, |s| 1u8.saturating_sub(s.slot));
        let records = self.records()?;
        for (i, r) in records.iter().enumerate() {
            if r.is_some_and(|r| r.slot == target) && newest.map(|(n, _)| n) != Some(i) {
                let at = self.state_at(i)?;
                self.erase(at, F::ERASE_SIZE)?;
            }
        }
        let base = self.slot_base(target);
        // Sector by sector, as NOR drivers do (each is one flash operation).
        let sector = u32::try_from(F::ERASE_SIZE).map_err(|_| Refused::Layout)?;
        let mut at = 0;
        while at < len {
            self.erase(base.checked_add(at).ok_or(Refused::Layout)?, F::ERASE_SIZE)?;
            at = at.checked_add(sector).ok_or(Refused::Layout)?;
        }

        // 5. Hash each file while writing it to the slot.
        {
            let writer = SlotWriter {
                flash: &mut self.flash,
                base,
                page: &mut *page,
                fill: 0,
                at: 0,
            };
            let mut src = Archive::new(staging, 0, len, writer, &mut *block, first.next);
            let verified = manifest.verify_model(&mut src, ModelOptions::default(), &mut *io);
            if let Err(e) = verified {
                return Err(src.problem.unwrap_or(Refused::Verify(e.into())));
            }
            if src.copy_to(len).is_err() {
                return Err(src.problem.unwrap_or(PackageError::Read.into()));
            }
            src.tee.flush()?;
        }

        // 6. At rest.
        let (at_rest, version_member) = self
            .check_slot(target, len, &manifest, bundle, io, block)
            .map_err(|e| match e {
                Refused::Flash(_) => e,
                _ => Refused::AtRest,
            })?;
        if at_rest.root_digest != Some(root) {
            return Err(Refused::AtRest);
        }

        // 7. Anti-rollback on the verified VERSION file.
        let version = match signed_at {
            Some(t) => t,
            None => {
                let m = version_member.ok_or(Refused::NoVersion)?;
                let v = read_version(&mut self.flash, base, &m)?;
                check_rollback(confirmed, v)?;
                v
            }
        };
        Ok(VerifiedUpdate {
            slot: target,
            version,
            len,
            root,
            base_seq: confirmed.map(|s| s.seq),
            generation: self.generation,
        })
    }

    /// Step 8: makes the verified slot the active one. Fails, changing
    /// nothing, when the state or the slot changed since `update` was made.
    pub fn commit(&mut self, update: VerifiedUpdate) -> Result<State, Refused> {
        let newest = self.newest()?;
        if update.generation != self.generation || newest.map(|(_, s)| s.seq) != update.base_seq {
            return Err(Refused::StaleToken);
        }
        let seq = match update.base_seq {
            Some(s) => s.checked_add(1).ok_or(Refused::SequenceExhausted)?,
            None => 1,
        };
        let state = State {
            seq,
            slot: update.slot,
            version: update.version,
            len: update.len,
            root: update.root,
        };
        let sector = newest.map_or(0, |(i, _)| 1usize.saturating_sub(i));
        let at = self.state_at(sector)?;
        self.erase(at, F::ERASE_SIZE)?;
        let record = state.encode();
        self.flash.write(at, &record).map_err(FlashErr)?;
        let mut back = [0u8; RECORD_LEN];
        self.flash.read(at, &mut back).map_err(FlashErr)?;
        if State::decode(&back) != Some(state) {
            return Err(Refused::AtRest);
        }
        // A second update needs a new verification.
        self.generation = self.generation.wrapping_add(1);
        Ok(state)
    }

    /// Boot-time check of the active slot: the bundle in the slot verifies
    /// with `verifier` at `time`, its root digest is the one the state
    /// record names, and every file hashes to its signed digest. Returns
    /// the state.
    pub fn verify_active<V: Verifier>(
        &mut self,
        verifier: &V,
        time: Time,
        bufs: Buffers<'_>,
    ) -> Result<Option<State>, Refused> {
        let Some(state) = self.boot()? else {
            return Ok(None);
        };
        let Buffers {
            bundle: bundle_buf,
            payload,
            io,
            block,
            ..
        } = bufs;
        let base = self.slot_base(state.slot);
        let first = bundle_member(&mut self.flash, base, state.len, block)?;
        let bundle = read_bundle(&mut self.flash, base, &first, bundle_buf)?;
        let verified = verifier.verify(bundle, time, payload)?;
        let (model, _) = self.check_slot(
            state.slot,
            state.len,
            verified.manifest(),
            bundle,
            io,
            block,
        )?;
        if model.root_digest != Some(state.root) {
            return Err(Refused::AtRest);
        }
        Ok(Some(state))
    }

    /// Reads slot `slot` back: its `model.sig` is `bundle`, and its files
    /// hash to `manifest`. Returns the check's result and the `VERSION`
    /// member when the manifest names one.
    fn check_slot(
        &mut self,
        slot: u8,
        len: u32,
        manifest: &VerifiedManifest<'_>,
        bundle: &[u8],
        io: &mut [u8],
        block: &mut [u8; BLOCK as usize],
    ) -> Result<(VerifiedModel, Option<Member>), Refused> {
        let base = self.slot_base(slot);
        let first = bundle_member(&mut self.flash, base, len, block)?;
        if usize::try_from(first.size).ok() != Some(bundle.len()) {
            return Err(Refused::AtRest);
        }
        let mut at = first.data;
        for chunk in bundle.chunks(block.len()) {
            let got = block.get_mut(..chunk.len()).ok_or(Refused::Layout)?;
            let from = base.checked_add(at).ok_or(Refused::Layout)?;
            self.flash.read(from, got).map_err(FlashErr)?;
            if got != chunk {
                return Err(Refused::AtRest);
            }
            at = at
                .checked_add(u32::try_from(chunk.len()).map_err(|_| Refused::Layout)?)
                .ok_or(Refused::Layout)?;
        }
        let mut src = Archive::new(&mut self.flash, base, len, NoTee, block, first.next);
        match manifest.verify_model(&mut src, ModelOptions::default(), io) {
            Ok(model) => Ok((model, src.version)),
            Err(e) => Err(src.problem.unwrap_or(Refused::Verify(e.into()))),
        }
    }

    fn state_at(&self, i: usize) -> Result<u32, Refused> {
        self.layout.state.get(i).copied().ok_or(Refused::Layout)
    }

    fn erase(&mut self, at: u32, len: usize) -> Result<(), Refused> {
        let len = u32::try_from(len).map_err(|_| Refused::Layout)?;
        let to = at.checked_add(len).ok_or(Refused::Layout)?;
        self.flash.erase(at, to).map_err(FlashErr)?;
        Ok(())
    }
}

/// The first member, which must be `model.sig`.
fn bundle_member<R: ReadNorFlash>(
    src: &mut R,
    base: u32,
    limit: u32,
    block: &mut [u8; BLOCK as usize],
) -> Result<Member, Refused> {
    match ustar::read_header(src, base, 0, limit, block)? {
        Entry::File(m) if ustar::name_is(block, BUNDLE_NAME) => Ok(m),
        _ => Err(PackageError::NoBundle.into()),
    }
}

fn read_bundle<'b, R: ReadNorFlash>(
    src: &mut R,
    base: u32,
    m: &Member,
    buf: &'b mut [u8],
) -> Result<&'b [u8], Refused> {
    let n = usize::try_from(m.size).map_err(|_| PackageError::BundleTooLarge)?;
    let dst = buf.get_mut(..n).ok_or(PackageError::BundleTooLarge)?;
    let at = base.checked_add(m.data).ok_or(PackageError::Truncated)?;
    src.read(at, dst).map_err(|_| PackageError::Read)?;
    Ok(dst)
}

fn check_rollback(confirmed: Option<State>, offered: u64) -> Result<(), Refused> {
    match confirmed {
        Some(c) if offered < c.version => Err(Refused::Rollback {
            confirmed: c.version,
            offered,
        }),
        _ => Ok(()),
    }
}

/// The verified `VERSION` file: a decimal number, surrounding ASCII
/// whitespace allowed.
fn read_version<F: ReadNorFlash>(flash: &mut F, base: u32, m: &Member) -> Result<u64, Refused> {
    let mut buf = [0u8; 32];
    let n = usize::try_from(m.size).map_err(|_| Refused::BadVersion)?;
    let text = buf.get_mut(..n).ok_or(Refused::BadVersion)?;
    let at = base.checked_add(m.data).ok_or(Refused::BadVersion)?;
    flash.read(at, text).map_err(FlashErr)?;
    let text = text.trim_ascii();
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return Err(Refused::BadVersion);
    }
    core::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or(Refused::BadVersion)
}
