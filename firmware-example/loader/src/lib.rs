//! # oms-edge-loader
//!
//! A `no_std` model loader that only boots verified models: two equal
//! slots on NOR flash (through `embedded-storage`), a log of state records
//! that names the active one, trial boots that revert unless confirmed,
//! and an update that streams the package straight into the inactive slot
//! and verifies an OMS signature before, while and after writing.
//!
//! Update flow ([`Loader::verify_update`], then [`Loader::commit`]), over
//! a package stream (`embedded_io::Read`: a UART, a network socket, a
//! file; nothing is staged):
//! 1. the package's first member, `model.sig`, is read into a buffer and
//!    authenticated by the pinned verifier (any [`Verifier`] of the core
//!    whose evidence says what anti-rollback compares: [`AntiRollback`]):
//!    signature, then manifest;
//! 2. anti-rollback (sigstore method): the earliest verified signing time
//!    must not be older than the confirmed model's;
//! 3. the second member, when it is `VERSION`, is read into memory; its
//!    digest must be the one the manifest signs, and (key method) its
//!    number must not be older than the confirmed model's. Up to here no
//!    flash operation has happened: a replayed old package, a bad
//!    signature, another key are refused with the flash untouched;
//! 4. the package streams into the inactive slot (each erase sector erased
//!    just before its first page; whole pages written once) while every
//!    file goes through its hash; the first mismatch, missing or unsigned
//!    file stops it;
//! 5. the slot is read back: `model.sig` equals the authenticated bundle
//!    and every file hashes again to its signed digest (at rest);
//! 6. [`Loader::commit`], with the [`VerifiedUpdate`] only step 5 can
//!    make, appends a state record naming the new model *pending*, the old
//!    one its fallback.
//!
//! At boot ([`Loader::boot`]) a pending model runs on trial (a record says
//! so first); the application confirms it with [`Loader::mark_good`]. If
//! it does not, the next boot reverts to the fallback (MCUboot's
//! test/confirm, embassy-boot's `mark_booted`). A power cut anywhere leaves
//! the newest whole record the state, so the device boots the old model or
//! the new fully verified one, never neither.

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

#[cfg(test)]
extern crate std;

mod archive;
pub mod error;
mod flashio;
pub mod ramflash;
pub mod state;
pub mod trust;
#[cfg(feature = "tuf")]
pub mod trust_state;
pub mod ustar;

use embedded_io::Read;
use embedded_storage::nor_flash::NorFlash;
use oms_edge_core::{
    Digest, Error, Hasher, ModelError, ModelOptions, Time, UnixTime, VerifiedManifest,
    VerifiedModel, Verifier,
};

use archive::{
    Early, Input, PackageSource, Rest, SlotInput, SlotWriter, StreamInput, next_block, read_exact,
    skip,
};
use error::FlashErr;
pub use error::{PackageError, Refused};
pub use flashio::MAX_READ_SIZE;
use flashio::{is_erased, read_at};
use state::RECORD_LEN;
pub use state::{Model, State, Trial};
pub use trust::AntiRollback;
#[cfg(feature = "tuf")]
pub use trust_state::{TrustBuffers, TrustLayout, TrustState, TrustUpdate};
use ustar::{BLOCK, Header, Member};

/// The name of the package's first member.
pub const BUNDLE_NAME: &[u8] = b"model.sig";
/// The name of the model file holding the version; it comes right after
/// `model.sig` in a package.
pub const VERSION_NAME: &str = "VERSION";
/// The longest `VERSION` file accepted (a decimal `u64` and whitespace).
pub const VERSION_LEN: usize = 32;
const BLOCK_LEN: usize = BLOCK as usize;
/// The largest record slot (write units up to 256 bytes).
const MAX_STRIDE: usize = 256;
const RECORD_LEN32: u32 = RECORD_LEN as u32;

/// Where the slots and the state log live in the flash.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Offsets of slot 0 and slot 1 (erase-sector aligned).
    pub slots: [u32; 2],
    /// Bytes per slot (a multiple of the erase sector).
    pub slot_size: u32,
    /// Offset of the state log (erase-sector aligned).
    pub state: u32,
    /// Erase sectors of the state log (at least 2).
    pub state_sectors: u32,
}

/// Caller-owned memory for one verification.
#[derive(Debug)]
pub struct Buffers<'b> {
    /// Holds `model.sig`, then, after it, the decoded DSSE payload: its
    /// length bounds the two together (a key bundle is about 1.5 KB with a
    /// payload of 0.5 KB, a Sigstore bundle up to 10 KB).
    pub bundle: &'b mut [u8],
    /// Every file streams through this; at least two tar blocks (1024
    /// bytes), which hold the first two headers until the first write.
    pub io: &'b mut [u8],
    /// One flash page: each slot write is this long (a multiple of the
    /// flash's write unit).
    pub page: &'b mut [u8],
    /// One tar header block.
    pub block: &'b mut [u8; BLOCK_LEN],
}

/// Proof that a slot holds a fully verified model: made only by
/// [`Loader::verify_update`], consumed by [`Loader::commit`].
#[derive(Debug)]
pub struct VerifiedUpdate {
    model: Model,
    newest_time: Option<u64>,
    base_seq: Option<u32>,
    generation: u32,
    ops: u32,
}

impl VerifiedUpdate {
    /// The verified model (slot, version, length, root digest).
    pub fn model(&self) -> Model {
        self.model
    }

    /// Flash operations (erases and writes) the update made.
    pub fn flash_ops(&self) -> u32 {
        self.ops
    }
}

/// What the device boots, decided by [`Loader::boot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boot {
    /// No model.
    Empty,
    /// A confirmed model.
    Confirmed(Model),
    /// A new model on trial: confirm it with [`Loader::mark_good`], or the
    /// next boot reverts.
    Trial(Model),
    /// The trial of `from` was not confirmed: back to `to` (`None` when it
    /// was the first model).
    Reverted {
        /// The model booted now.
        to: Option<Model>,
        /// The model whose trial failed.
        from: Model,
    },
}

impl Boot {
    /// The model to run, if any.
    pub fn model(&self) -> Option<Model> {
        match *self {
            Boot::Empty => None,
            Boot::Confirmed(m) | Boot::Trial(m) => Some(m),
            Boot::Reverted { to, .. } => to,
        }
    }
}

/// A trial transition (see [`Loader::boot`]).
#[derive(Debug, Clone, Copy)]
enum Step {
    Boot,
    Confirm,
    Revert,
}

/// What an update needs of the state.
#[derive(Debug, Clone, Copy)]
struct Context {
    floor: Option<u64>,
    target: u8,
    base_seq: Option<u32>,
}

/// The package read so far: the first member (its header in io's first
/// block) and the bundle it holds.
struct Received<'i, 'b> {
    input: &'i mut dyn Input,
    first: Member,
    bundle: &'b [u8],
}

/// Where the next state record goes.
#[derive(Debug, Clone, Copy)]
enum Append {
    /// At this offset (erased).
    At(u32),
    /// At the start of this sector, after erasing it.
    Erase(u32),
}

/// The state log, as scanned.
#[derive(Debug, Clone, Copy)]
struct Log {
    newest: Option<State>,
    next: Append,
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
    /// A loader over `flash`; fails when `layout` does not fit it. Any read
    /// unit up to [`MAX_READ_SIZE`] and any write unit that divides the
    /// erase sector work.
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
        let state_len = layout
            .state_sectors
            .checked_mul(erase)
            .ok_or(Refused::Layout)?;
        let regions = [
            (layout.slots[0], layout.slot_size),
            (layout.slots[1], layout.slot_size),
            (layout.state, state_len),
        ];
        let disjoint = regions.iter().enumerate().all(|(i, a)| {
            regions
                .iter()
                .skip(i.saturating_add(1))
                .all(|b| a.0.saturating_add(a.1) <= b.0 || b.0.saturating_add(b.1) <= a.0)
        });
        let ok = (1..=MAX_READ_SIZE).contains(&F::READ_SIZE)
            && F::WRITE_SIZE > 0
            && erase > 0
            && F::ERASE_SIZE.is_multiple_of(F::WRITE_SIZE)
            && F::ERASE_SIZE.is_multiple_of(F::READ_SIZE)
            && stride::<F>().is_some_and(|s| s <= F::ERASE_SIZE)
            && layout.state_sectors >= 2
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

    fn slot_base(&self, slot: u8) -> u32 {
        if slot == 0 {
            self.layout.slots[0]
        } else {
            self.layout.slots[1]
        }
    }

    /// The state: the newest valid record (torn or corrupted ones are
    /// ignored), `None` when there is none. Reads only.
    #[inline(never)]
    pub fn state(&mut self) -> Result<Option<State>, Refused> {
        Ok(self.scan()?.newest)
    }

    /// The time to verify with: `rtc` (a real-time clock's reading), raised
    /// to the state's time floor (the newest signing time verified so far:
    /// a clock reading below it was reset or is wrong), or
    /// [`Time::NoClock`] when the device has no clock. Without a clock the
    /// sigstore method checks certificates at the signed times and skips
    /// only the "integrated time not in the future" bound.
    #[inline(never)]
    pub fn time(&mut self, rtc: Option<UnixTime>) -> Result<Time, Refused> {
        let Some(rtc) = rtc else {
            return Ok(Time::NoClock);
        };
        let floor = self.state()?.map_or(0, |s| s.time_floor);
        Ok(Time::Now(UnixTime::from_secs(rtc.secs().max(floor))))
    }

    /// At boot: decides what runs, and records it. A pending model runs on
    /// trial (a record marks it tried first); a tried one that was never
    /// confirmed is reverted to its fallback.
    #[inline(never)]
    pub fn boot(&mut self) -> Result<Boot, Refused> {
        let (before, after) = self.step(Step::Boot)?;
        Ok(match (before, after) {
            (Some(b), Some(a)) => match (b.trial, a.trial, b.active, a.active) {
                (Trial::Confirmed, _, Some(m), _) => Boot::Confirmed(m),
                (Trial::Pending, Trial::Trying, Some(m), _) => Boot::Trial(m),
                (Trial::Trying, Trial::Confirmed, Some(from), to) => Boot::Reverted { to, from },
                _ => Boot::Empty,
            },
            _ => Boot::Empty,
        })
    }

    /// The application confirms the model on trial: it stays, and its
    /// version becomes the anti-rollback floor. Nothing is written when
    /// the model is already confirmed.
    #[inline(never)]
    pub fn mark_good(&mut self) -> Result<Option<State>, Refused> {
        Ok(self.step(Step::Confirm)?.1)
    }

    /// The application rejects the model on trial now (it did not verify
    /// at boot, or does not work): back to the fallback, as the next boot
    /// would. Nothing is written when the model is confirmed.
    #[inline(never)]
    pub fn revert(&mut self) -> Result<Option<State>, Refused> {
        Ok(self.step(Step::Revert)?.1)
    }

    /// One trial transition: the state before and after (the same when
    /// nothing changes: a confirmed model, or no state).
    #[inline(never)]
    fn step(&mut self, step: Step) -> Result<(Option<State>, Option<State>), Refused> {
        let log = self.scan()?;
        let Some(state) = log.newest else {
            return Ok((None, None));
        };
        let next = match (step, state.trial) {
            (_, Trial::Confirmed) => return Ok((Some(state), Some(state))),
            (Step::Boot, Trial::Pending) => State {
                trial: Trial::Trying,
                ..state
            },
            (Step::Boot | Step::Revert, _) => State {
                active: state.fallback,
                fallback: None,
                trial: Trial::Confirmed,
                ..state
            },
            (Step::Confirm, _) => State {
                trial: Trial::Confirmed,
                fallback: None,
                floor: state
                    .active
                    .map_or(state.floor, |m| m.version.max(state.floor)),
                ..state
            },
        };
        Ok((Some(state), Some(self.append(&log, next)?)))
    }

    /// Steps 1 to 5: verifies the package read from `package` with
    /// `verifier` at `time` (see [`Loader::time`]) and writes it into the
    /// inactive slot; the active model is not touched. Refused while a
    /// model is on trial ([`Refused::TrialPending`]).
    #[inline(never)]
    pub fn verify_update<R: Read, V: Verifier>(
        &mut self,
        package: &mut R,
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
            io,
            page,
            block,
        } = bufs;
        if page.is_empty()
            || !page.len().is_multiple_of(F::WRITE_SIZE)
            || io.len() < BLOCK_LEN.saturating_mul(2)
        {
            return Err(Refused::Layout);
        }
        let ctx = self.context()?;
        let limit = self.layout.slot_size;

        // 1. Authenticate the bundle, then parse the manifest.
        let head1: &mut [u8; BLOCK_LEN] = io
            .get_mut(..BLOCK_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or(Refused::Layout)?;
        let mut stream = StreamInput(package);
        let input: &mut dyn Input = &mut stream;
        let first = match next_block(input, 0, limit, head1)? {
            Header::File(m) if ustar::name_is(head1, BUNDLE_NAME) => m,
            _ => return Err(PackageError::NoBundle.into()),
        };
        let n = usize::try_from(first.size).map_err(|_| PackageError::BundleTooLarge)?;
        if n > bundle_buf.len() {
            return Err(PackageError::BundleTooLarge.into());
        }
        let (bundle, payload) = bundle_buf.split_at_mut(n);
        read_exact(input, bundle)?;
        skip(input, first.next.saturating_sub(first.data_end()))?;
        let (manifest, evidence) = authenticate(verifier, bundle, time, payload)?;
        self.write_update(
            ctx,
            Received {
                input,
                first,
                bundle,
            },
            &manifest,
            &evidence,
            page,
            block,
            io,
        )
    }

    /// What [`Loader::verify_update`] needs of the state: refused while a
    /// model is on trial. (A frame of its own: the records it reads are
    /// not on the stack during the signature check.)
    #[inline(never)]
    fn context(&mut self) -> Result<Context, Refused> {
        let state = self.state()?;
        if state.is_some_and(|s| s.trial != Trial::Confirmed) {
            return Err(Refused::TrialPending);
        }
        Ok(Context {
            floor: state.map(|s| s.floor),
            target: state
                .and_then(|s| s.active)
                .map_or(0, |m| 1u8.saturating_sub(m.slot)),
            base_seq: state.map(|s| s.seq),
        })
    }

    /// Steps 2 to 5, once the bundle is authenticated.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn write_update<E: AntiRollback>(
        &mut self,
        ctx: Context,
        received: Received<'_, '_>,
        manifest: &VerifiedManifest<'_>,
        evidence: &E,
        page: &mut [u8],
        block: &mut [u8; BLOCK_LEN],
        io: &mut [u8],
    ) -> Result<VerifiedUpdate, Refused> {
        let Received {
            input,
            first,
            bundle,
        } = received;
        let floor = ctx.floor;
        let limit = self.layout.slot_size;
        // The first header is in io's first block; the second goes in the
        // next one. Both are written to the slot before io hashes files.
        let (heads, _) = io.split_at_mut(BLOCK_LEN.saturating_mul(2));
        let (head1, head2) = heads.split_at_mut(BLOCK_LEN);
        let head1: &mut [u8; BLOCK_LEN] = head1.try_into().map_err(|_| Refused::Layout)?;
        let head2: &mut [u8; BLOCK_LEN] = head2.try_into().map_err(|_| Refused::Layout)?;
        let root = manifest.root_digest().ok_or(Refused::NoRootDigest)?;
        let signed_at = evidence.signing_time()?;

        // 2. Anti-rollback on the verified signing time.
        if let Some(t) = signed_at {
            check_rollback(floor, t)?;
        }

        // 3. The second member: an early VERSION, or the first model file.
        let second = next_block(input, first.next, limit, head2)?;
        let mut early = None;
        if let Header::File(m) = second
            && ustar::name_is(head2, VERSION_NAME.as_bytes())
        {
            early = Some(Early::read(input, m)?);
        }
        let version = match signed_at {
            Some(t) => t,
            None => {
                let e = early.ok_or(Refused::NoVersion)?;
                let v = signed_version(manifest, e.data())?;
                check_rollback(floor, v)?;
                v
            }
        };

        // 4. Stream into the slot: the two headers and what they hold first.
        let target = ctx.target;
        let base = self.slot_base(target);
        let mut writer = SlotWriter::new(&mut self.flash, base, limit, page);
        writer.put(head1)?;
        writer.put(bundle)?;
        writer.pad_block()?;
        writer.put(head2)?;
        let (rest, pos) = match second {
            Header::File(m) => match &early {
                Some(e) => {
                    writer.put(e.data())?;
                    writer.pad_block()?;
                    (Rest::Next, m.next)
                }
                None => {
                    block.copy_from_slice(head2);
                    (Rest::Pending(m), m.data)
                }
            },
            Header::Zero => {
                // The end marker right after model.sig: no model file.
                let at = first.next.saturating_add(BLOCK);
                end_marker(input, at, limit, block)?;
                writer.put(block)?;
                (Rest::Ended, at.saturating_add(BLOCK))
            }
        };
        let src = PackageSource::new(input, Some(writer), pos, block, rest, early, limit);
        let (_, len, ops) = stream_model(manifest, src, io)?;

        // 5. At rest.
        let at_rest = self
            .check_slot(target, len, manifest, bundle, io, block)
            .map_err(|e| match e {
                Refused::Flash(_) => e,
                _ => Refused::AtRest,
            })?;
        if at_rest.root_digest != Some(root) {
            return Err(Refused::AtRest);
        }
        Ok(VerifiedUpdate {
            model: Model {
                slot: target,
                version,
                len,
                root,
            },
            newest_time: evidence.newest_time(),
            base_seq: ctx.base_seq,
            generation: self.generation,
            ops,
        })
    }

    /// Step 6: makes the verified slot the active one, on trial, with the
    /// confirmed model as its fallback. Fails, changing nothing, when the
    /// state or the slot changed since `update` was made.
    #[inline(never)]
    pub fn commit(&mut self, update: VerifiedUpdate) -> Result<State, Refused> {
        let log = self.scan()?;
        let state = log.newest;
        if update.generation != self.generation || state.map(|s| s.seq) != update.base_seq {
            return Err(Refused::StaleToken);
        }
        let time_floor = state.map_or(0, |s| s.time_floor);
        let next = State {
            seq: 0,
            active: Some(update.model),
            fallback: state.and_then(|s| s.active),
            trial: Trial::Pending,
            floor: state.map_or(0, |s| s.floor),
            time_floor: update.newest_time.map_or(time_floor, |t| t.max(time_floor)),
        };
        let written = self.append(&log, next)?;
        // A second update needs a new verification.
        self.generation = self.generation.wrapping_add(1);
        Ok(written)
    }

    /// Boot-time check of the model the state boots: the bundle in its
    /// slot verifies with `verifier` at `time`, its root digest is the one
    /// the state names, and every file hashes to its signed digest.
    /// Returns that model.
    #[inline(never)]
    pub fn verify_active<V: Verifier>(
        &mut self,
        verifier: &V,
        time: Time,
        bufs: Buffers<'_>,
    ) -> Result<Option<Model>, Refused> {
        let Some(model) = self.state()?.and_then(|s| s.active) else {
            return Ok(None);
        };
        let Buffers {
            bundle: bundle_buf,
            io,
            block,
            ..
        } = bufs;
        let n = self.slot_bundle(&model, bundle_buf, block)?;
        let (bundle, payload) = bundle_buf.split_at_mut(n);
        let (manifest, _) = authenticate(verifier, bundle, time, payload)?;
        let verified = self.check_slot(model.slot, model.len, &manifest, bundle, io, block)?;
        if verified.root_digest != Some(model.root) {
            return Err(Refused::AtRest);
        }
        Ok(Some(model))
    }

    /// Reads `model`'s `model.sig` from its slot into `buf`; its length.
    #[inline(never)]
    fn slot_bundle(
        &mut self,
        model: &Model,
        buf: &mut [u8],
        block: &mut [u8; BLOCK_LEN],
    ) -> Result<usize, Refused> {
        let mut slot_input = SlotInput {
            base: self.slot_base(model.slot),
            flash: &mut self.flash,
            pos: 0,
            end: model.len,
        };
        let input: &mut dyn Input = &mut slot_input;
        let first = match next_block(input, 0, model.len, block)? {
            Header::File(m) if ustar::name_is(block, BUNDLE_NAME) => m,
            _ => return Err(PackageError::NoBundle.into()),
        };
        let n = usize::try_from(first.size).map_err(|_| PackageError::BundleTooLarge)?;
        read_exact(input, buf.get_mut(..n).ok_or(PackageError::BundleTooLarge)?)?;
        Ok(n)
    }

    /// Reads slot `slot` back: its `model.sig` is `bundle`, and its files
    /// hash to `manifest`.
    #[inline(never)]
    fn check_slot(
        &mut self,
        slot: u8,
        len: u32,
        manifest: &VerifiedManifest<'_>,
        bundle: &[u8],
        io: &mut [u8],
        block: &mut [u8; BLOCK_LEN],
    ) -> Result<VerifiedModel, Refused> {
        let base = self.slot_base(slot);
        let mut slot_input = SlotInput {
            flash: &mut self.flash,
            base,
            pos: 0,
            end: len,
        };
        let input: &mut dyn Input = &mut slot_input;
        let first = match next_block(input, 0, len, block)? {
            Header::File(m) if ustar::name_is(block, BUNDLE_NAME) => m,
            _ => return Err(PackageError::NoBundle.into()),
        };
        if usize::try_from(first.size).ok() != Some(bundle.len()) || io.is_empty() {
            return Err(Refused::AtRest);
        }
        for chunk in bundle.chunks(io.len()) {
            let got = io.get_mut(..chunk.len()).ok_or(Refused::Layout)?;
            read_exact(input, got)?;
            if got != chunk {
                return Err(Refused::AtRest);
            }
        }
        skip(input, first.next.saturating_sub(first.data_end()))?;
        let (rest, early, pos) = match next_block(input, first.next, len, block)? {
            Header::File(m) if ustar::name_is(block, VERSION_NAME.as_bytes()) => {
                (Rest::Next, Some(Early::read(input, m)?), m.next)
            }
            Header::File(m) => (Rest::Pending(m), None, m.data),
            Header::Zero => {
                let at = first.next.saturating_add(BLOCK);
                end_marker(input, at, len, block)?;
                (Rest::Ended, None, at.saturating_add(BLOCK))
            }
        };
        let src = PackageSource::<F>::new(input, None, pos, block, rest, early, len);
        let (model, end, _) = stream_model(manifest, src, io)?;
        if end != len {
            return Err(Refused::AtRest);
        }
        Ok(model)
    }

    /// Record geometry: (stride, records per sector, sector bytes).
    fn geometry(&self) -> Result<(u32, u32, u32), Refused> {
        let stride = stride::<F>()
            .and_then(|s| u32::try_from(s).ok())
            .ok_or(Refused::Layout)?;
        let sector = u32::try_from(F::ERASE_SIZE).map_err(|_| Refused::Layout)?;
        let per = sector.checked_div(stride).ok_or(Refused::Layout)?;
        Ok((stride, per, sector))
    }

    /// Reads the whole log: the newest valid record, and where the next
    /// one goes (after the last slot that is not erased in the newest
    /// record's sector, or in the next sector once that one is full).
    #[inline(never)]
    fn scan(&mut self) -> Result<Log, Refused> {
        let (stride, per, sector) = self.geometry()?;
        let mut newest: Option<(State, u32)> = None;
        // Per sector of the newest: the last slot not erased.
        let mut last_used: Option<u32> = None;
        let mut record = [0u8; RECORD_LEN];
        let pad = usize::try_from(stride)
            .unwrap_or(RECORD_LEN)
            .saturating_sub(RECORD_LEN);
        for s in 0..self.layout.state_sectors {
            let start = s
                .checked_mul(sector)
                .and_then(|o| self.layout.state.checked_add(o))
                .ok_or(Refused::Layout)?;
            let mut used = None;
            for k in 0..per {
                let at = k
                    .checked_mul(stride)
                    .and_then(|o| start.checked_add(o))
                    .ok_or(Refused::Layout)?;
                let read = read_at(&mut self.flash, at, &mut record);
                let erased = read.is_ok()
                    && record.iter().all(|&b| b == 0xff)
                    && is_erased(&mut self.flash, at.saturating_add(RECORD_LEN32), pad);
                if !erased {
                    used = Some(k);
                }
                if read.is_ok()
                    && let Some(st) = State::decode(&record)
                    && newest.is_none_or(|(n, _)| st.seq > n.seq)
                {
                    newest = Some((st, s));
                }
            }
            if newest.is_some_and(|(_, ns)| ns == s) {
                last_used = used;
            }
        }
        let sector_at = |s: u32| {
            s.checked_mul(sector)
                .and_then(|o| self.layout.state.checked_add(o))
                .ok_or(Refused::Layout)
        };
        let next = match newest {
            None => Append::Erase(sector_at(0)?),
            Some((_, s)) => {
                let k = last_used.map_or(0, |k| k.saturating_add(1));
                if k < per {
                    let at = sector_at(s)?
                        .checked_add(k.checked_mul(stride).ok_or(Refused::Layout)?)
                        .ok_or(Refused::Layout)?;
                    Append::At(at)
                } else {
                    let s2 = s
                        .checked_add(1)
                        .and_then(|x| x.checked_rem(self.layout.state_sectors))
                        .ok_or(Refused::Layout)?;
                    Append::Erase(sector_at(s2)?)
                }
            }
        };
        Ok(Log {
            newest: newest.map(|(s, _)| s),
            next,
        })
    }

    /// Appends `next` (its sequence number set to the newest's + 1) to the
    /// log and reads it back.
    #[inline(never)]
    fn append(&mut self, log: &Log, next: State) -> Result<State, Refused> {
        let seq = match log.newest {
            Some(s) => s.seq.checked_add(1).ok_or(Refused::SequenceExhausted)?,
            None => 1,
        };
        let state = State { seq, ..next };
        let at = match log.next {
            Append::At(at) => at,
            Append::Erase(at) => {
                let to = at
                    .checked_add(u32::try_from(F::ERASE_SIZE).map_err(|_| Refused::Layout)?)
                    .ok_or(Refused::Layout)?;
                self.flash.erase(at, to).map_err(FlashErr)?;
                at
            }
        };
        // One write of the whole stride: the record, then 0xFF.
        let (stride, _, _) = self.geometry()?;
        let record = state.encode();
        let mut slot = [0xffu8; MAX_STRIDE];
        let stride = usize::try_from(stride).map_err(|_| Refused::Layout)?;
        let buf = slot.get_mut(..stride).ok_or(Refused::Layout)?;
        buf.get_mut(..RECORD_LEN)
            .ok_or(Refused::Layout)?
            .copy_from_slice(&record);
        self.flash.write(at, buf).map_err(FlashErr)?;
        let mut back = [0u8; RECORD_LEN];
        read_at(&mut self.flash, at, &mut back)?;
        if State::decode(&back) != Some(state) {
            return Err(Refused::AtRest);
        }
        Ok(state)
    }
}

/// A state record's slot: [`RECORD_LEN`] rounded up to both the read and
/// the write unit.
fn stride<F: NorFlash>() -> Option<usize> {
    stride_of::<F>(RECORD_LEN)
}

/// The slot of a `len`-byte commit record (a state record, or a trust
/// area's): `len` rounded up to both the read and the write unit, at most
/// [`MAX_STRIDE`] (a slot is written in one write from a stack buffer).
pub(crate) fn stride_of<F: NorFlash>(len: usize) -> Option<usize> {
    let (r, w) = (F::READ_SIZE.max(1), F::WRITE_SIZE.max(1));
    let unit = r.checked_div(gcd(r, w))?.checked_mul(w)?;
    let stride = len.checked_next_multiple_of(unit)?;
    (stride <= MAX_STRIDE).then_some(stride)
}

fn gcd(a: usize, b: usize) -> usize {
    let (mut a, mut b) = (a, b);
    while b != 0 {
        let t = a.checked_rem(b).unwrap_or(0);
        a = b;
        b = t;
    }
    a
}

/// Step 1's verification, in a frame of its own (the signature check is
/// the deepest stack of an update; nothing of the streaming below adds to
/// it).
#[inline(never)]
fn authenticate<'p, V: Verifier>(
    verifier: &V,
    bundle: &[u8],
    time: Time,
    payload: &'p mut [u8],
) -> Result<(VerifiedManifest<'p>, V::Evidence), Refused> {
    Ok(verifier.verify(bundle, time, payload)?.into_parts())
}

/// The model check over a package source (step 4 while writing, step 5
/// at rest): the verified model, the package's length and the flash
/// operations made.
#[inline(never)]
fn stream_model<F: NorFlash>(
    manifest: &VerifiedManifest<'_>,
    mut src: PackageSource<'_, F>,
    io: &mut [u8],
) -> Result<(VerifiedModel, u32, u32), Refused> {
    // A path buffer as long as a ustar name can be (the default, 4 KiB,
    // would be most of the key firmware's stack); a longer signed name
    // cannot be in the package anyway.
    let verified =
        manifest.verify_model_for::<_, { ustar::MAX_NAME }>(&mut src, ModelOptions::default(), io);
    let model = match verified {
        Ok(m) => m,
        Err(e) => return Err(src.problem.unwrap_or(Refused::Verify(e.into()))),
    };
    src.finish()?;
    let ops = src.writer.as_ref().map_or(0, |w| w.ops);
    Ok((model, src.pos, ops))
}

/// The second half of an end marker (the block at `at`, read into
/// `block`), after a zero block.
fn end_marker(
    input: &mut dyn Input,
    at: u32,
    limit: u32,
    block: &mut [u8; BLOCK_LEN],
) -> Result<(), Refused> {
    match next_block(input, at, limit, block)? {
        Header::Zero => Ok(()),
        Header::File(_) => Err(PackageError::BadHeader {
            at: at.saturating_sub(BLOCK),
        }
        .into()),
    }
}

fn check_rollback(floor: Option<u64>, offered: u64) -> Result<(), Refused> {
    match floor {
        Some(confirmed) if offered < confirmed => Err(Refused::Rollback { confirmed, offered }),
        _ => Ok(()),
    }
}

/// The early `VERSION` file's number, once its digest is the one the
/// manifest signs for `VERSION` (a whole-file resource, or one shard from
/// 0 to its end): a decimal number, surrounding ASCII whitespace allowed.
#[inline(never)]
fn signed_version(manifest: &VerifiedManifest<'_>, data: &[u8]) -> Result<u64, Refused> {
    let size = u64::try_from(data.len()).map_err(|_| Refused::BadVersion)?;
    let resource = manifest
        .resources()
        .find(|r| r.path_bytes().eq(VERSION_NAME.bytes()))
        .ok_or(Refused::NoVersion)?;
    if !matches!(resource.range, None | Some((0, _)))
        || resource.range.is_some_and(|(_, e)| e != size)
    {
        return Err(Refused::BadVersion);
    }
    let mut hasher = Hasher::new(resource.digest.algorithm());
    hasher.update(data);
    let actual: Digest = hasher.finalize();
    if actual != resource.digest {
        return Err(Refused::Verify(Error::Model {
            index: resource.index,
            cause: ModelError::DigestMismatch { actual },
        }));
    }
    let text = data.trim_ascii();
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return Err(Refused::BadVersion);
    }
    // Digits only (checked above): the number, unless it overflows.
    text.iter()
        .try_fold(0u64, |n, d| {
            n.checked_mul(10)?
                .checked_add(u64::from(d.saturating_sub(b'0')))
        })
        .ok_or(Refused::BadVersion)
}
