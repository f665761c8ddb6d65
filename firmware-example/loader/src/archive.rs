//! The package read as a stream, as an OMS [`ModelSource`]: while
//! updating from the package stream, every byte also written into the
//! inactive slot ([`SlotWriter`]); at rest from the slot, the same way
//! without writing. One reader for both keeps one copy of the core's model
//! check in the firmware.
//!
//! The package holds the model files in manifest order, so the core's
//! planner, which asks for files in that order, finds each one at the
//! stream's cursor: no index, no allocation, no look-ahead. A file that is
//! not at the cursor is missing (a file out of order is missing too). The
//! one exception is `VERSION`, which comes right after `model.sig` so that
//! it can be checked before the first flash operation; it is held in
//! memory (an "early" member) and served whenever the planner asks for it,
//! and is an unsigned file like any other if the manifest never does.
//! Members left when the manifest is done are unsigned files.

use embedded_io::{ErrorKind, ErrorType, Read};
use embedded_storage::nor_flash::{NorFlash, ReadNorFlash};
use oms_edge_core::ModelSource;

use crate::error::{FlashErr, PackageError, Refused};
use crate::flashio::read_at;
use crate::ustar::{self, BLOCK, Header, Member};
use crate::{VERSION_LEN, VERSION_NAME};

/// Bytes in order, from the package stream or from a slot. A trait object
/// (`&mut dyn Input`): the model check is then compiled once for both.
pub(crate) trait Input {
    /// Reads up to `buf.len()` bytes; 0 at the end.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, PackageError>;
}

/// The caller's package stream.
pub(crate) struct StreamInput<'r, R>(pub &'r mut R);

impl<R: Read> Input for StreamInput<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, PackageError> {
        loop {
            match self.0.read(buf) {
                Ok(n) => return Ok(n.min(buf.len())),
                Err(e) if embedded_io::Error::kind(&e) == ErrorKind::Interrupted => {}
                Err(_) => return Err(PackageError::Read),
            }
        }
    }
}

/// A package in a slot (`base..base + end` of the flash), read in order.
pub(crate) struct SlotInput<'f, F> {
    pub flash: &'f mut F,
    pub base: u32,
    pub pos: u32,
    pub end: u32,
}

impl<F: ReadNorFlash> Input for SlotInput<'_, F> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, PackageError> {
        let left = usize::try_from(self.end.saturating_sub(self.pos)).unwrap_or(usize::MAX);
        let n = left.min(buf.len());
        let chunk = buf.get_mut(..n).ok_or(PackageError::Read)?;
        let at = self.base.checked_add(self.pos).ok_or(PackageError::Read)?;
        read_at(self.flash, at, chunk).map_err(|_| PackageError::Read)?;
        // `n <= end - pos`.
        self.pos = self.pos.saturating_add(u32::try_from(n).unwrap_or(0));
        Ok(n)
    }
}

/// Reads exactly `buf.len()` bytes.
pub(crate) fn read_exact(input: &mut dyn Input, mut buf: &mut [u8]) -> Result<(), PackageError> {
    while !buf.is_empty() {
        let n = input.read(buf)?;
        if n == 0 {
            return Err(PackageError::Truncated);
        }
        buf = buf.get_mut(n..).ok_or(PackageError::Read)?;
    }
    Ok(())
}

/// Reads and drops `n` bytes (tar padding).
pub(crate) fn skip(input: &mut dyn Input, n: u32) -> Result<(), PackageError> {
    let mut chunk = [0u8; 64];
    let mut left = usize::try_from(n).map_err(|_| PackageError::Read)?;
    while left > 0 {
        let k = left.min(chunk.len());
        read_exact(input, chunk.get_mut(..k).ok_or(PackageError::Read)?)?;
        left = left.saturating_sub(k);
    }
    Ok(())
}

/// The next header block at package offset `pos`, read into `block` (a
/// file whose data would run past `limit` does not fit a slot).
pub(crate) fn next_block(
    input: &mut dyn Input,
    pos: u32,
    limit: u32,
    block: &mut [u8; BLOCK as usize],
) -> Result<Header, PackageError> {
    read_exact(input, block)?;
    match ustar::parse(block, pos)? {
        Header::File(m) if m.next > limit => Err(PackageError::TooLarge),
        h => Ok(h),
    }
}

/// Writes a package into an erased-on-demand slot through a page buffer:
/// every flash write is one whole, aligned page (the last one padded with
/// `0xFF` to the write unit), written once; each erase sector is erased
/// just before the first page that lands in it.
#[derive(Debug)]
pub(crate) struct SlotWriter<'w, F> {
    flash: &'w mut F,
    base: u32,
    capacity: u32,
    page: &'w mut [u8],
    /// Bytes in `page`.
    fill: usize,
    /// Slot offset of `page`'s first byte.
    at: u32,
    /// Sectors up to here are erased.
    erased: u32,
    /// Flash operations so far (erases and writes).
    pub ops: u32,
}

impl<'w, F: NorFlash> SlotWriter<'w, F> {
    pub fn new(flash: &'w mut F, base: u32, capacity: u32, page: &'w mut [u8]) -> Self {
        Self {
            flash,
            base,
            capacity,
            page,
            fill: 0,
            at: 0,
            erased: 0,
            ops: 0,
        }
    }

    /// Bytes written so far (the package's length once done).
    pub fn len(&self) -> u32 {
        let fill = u32::try_from(self.fill).unwrap_or(u32::MAX);
        self.at.saturating_add(fill)
    }

    /// Appends `bytes`.
    pub fn put(&mut self, mut bytes: &[u8]) -> Result<(), Refused> {
        let len = u32::try_from(bytes.len()).map_err(|_| PackageError::TooLarge)?;
        if self
            .len()
            .checked_add(len)
            .is_none_or(|end| end > self.capacity)
        {
            return Err(PackageError::TooLarge.into());
        }
        while !bytes.is_empty() {
            let room = self.page.get_mut(self.fill..).ok_or(Refused::Layout)?;
            let n = room.len().min(bytes.len());
            let (now, rest) = bytes.split_at(n);
            room.get_mut(..n)
                .ok_or(Refused::Layout)?
                .copy_from_slice(now);
            self.fill = self.fill.checked_add(n).ok_or(Refused::Layout)?;
            bytes = rest;
            if self.fill == self.page.len() {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Appends zeros up to the next tar block.
    pub fn pad_block(&mut self) -> Result<(), Refused> {
        let zeros = [0u8; 64];
        while !self.len().is_multiple_of(BLOCK) {
            let left = BLOCK.saturating_sub(self.len() % BLOCK);
            let n = usize::try_from(left).unwrap_or(0).min(zeros.len());
            self.put(zeros.get(..n).ok_or(Refused::Layout)?)?;
        }
        Ok(())
    }

    /// Writes the buffered page (padded to the write unit).
    pub fn flush(&mut self) -> Result<(), Refused> {
        if self.fill == 0 {
            return Ok(());
        }
        let len = self
            .fill
            .checked_next_multiple_of(F::WRITE_SIZE)
            .ok_or(Refused::Layout)?;
        let page = self.page.get_mut(..len).ok_or(Refused::Layout)?;
        if let Some(pad) = page.get_mut(self.fill..) {
            pad.fill(0xff);
        }
        let end = self
            .at
            .checked_add(u32::try_from(len).map_err(|_| Refused::Layout)?)
            .ok_or(Refused::Layout)?;
        let sector = u32::try_from(F::ERASE_SIZE).map_err(|_| Refused::Layout)?;
        while self.erased < end {
            let from = self.base.checked_add(self.erased).ok_or(Refused::Layout)?;
            let to = from.checked_add(sector).ok_or(Refused::Layout)?;
            self.ops = self.ops.saturating_add(1);
            self.flash.erase(from, to).map_err(FlashErr)?;
            self.erased = self.erased.checked_add(sector).ok_or(Refused::Layout)?;
        }
        let to = self.base.checked_add(self.at).ok_or(Refused::Layout)?;
        let page = self.page.get(..len).ok_or(Refused::Layout)?;
        self.ops = self.ops.saturating_add(1);
        self.flash.write(to, page).map_err(FlashErr)?;
        let fill = u32::try_from(self.fill).map_err(|_| Refused::Layout)?;
        self.at = self.at.checked_add(fill).ok_or(Refused::Layout)?;
        self.fill = 0;
        Ok(())
    }
}

/// `VERSION` when it came right after `model.sig`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Early {
    /// Its header's place in the package.
    pub member: Member,
    /// Its bytes.
    pub bytes: [u8; VERSION_LEN],
    /// Whether the planner asked for it.
    pub listed: bool,
}

impl Early {
    /// Its bytes.
    pub fn data(&self) -> &[u8] {
        let n = usize::try_from(self.member.size).unwrap_or(usize::MAX);
        self.bytes.get(..n).unwrap_or(&[])
    }

    /// Reads it from `input` (at its data, up to the next header).
    pub fn read(input: &mut dyn Input, member: Member) -> Result<Self, Refused> {
        let mut bytes = [0u8; VERSION_LEN];
        let len = usize::try_from(member.size).map_err(|_| Refused::BadVersion)?;
        read_exact(input, bytes.get_mut(..len).ok_or(Refused::BadVersion)?)?;
        skip(input, member.next.saturating_sub(member.data_end()))?;
        Ok(Self {
            member,
            bytes,
            listed: false,
        })
    }
}

/// Where the model files start: what [`PackageSource`] continues from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rest {
    /// A header already read (it is in the block buffer).
    Pending(Member),
    /// The next byte is a header.
    Next,
    /// The end marker was read.
    Ended,
}

/// The model files of a package read in order from `input` (from package
/// offset `pos` on), each byte also written to the slot when there is a
/// writer.
pub(crate) struct PackageSource<'a, F> {
    input: &'a mut dyn Input,
    pub writer: Option<SlotWriter<'a, F>>,
    /// Package offset of the next byte of `input`.
    pub pos: u32,
    block: &'a mut [u8; BLOCK as usize],
    /// The member whose header is in `block` and that the planner has not
    /// asked for yet.
    pending: Option<Member>,
    /// The member the planner asked for last, read up to `pos`.
    current: Option<Member>,
    early: Option<Early>,
    ended: bool,
    limit: u32,
    /// The first failure that the core's error type cannot carry.
    pub problem: Option<Refused>,
}

impl<'a, F: NorFlash> PackageSource<'a, F> {
    pub fn new(
        input: &'a mut dyn Input,
        writer: Option<SlotWriter<'a, F>>,
        pos: u32,
        block: &'a mut [u8; BLOCK as usize],
        rest: Rest,
        early: Option<Early>,
        limit: u32,
    ) -> Self {
        Self {
            input,
            writer,
            pos,
            block,
            pending: match rest {
                Rest::Pending(m) => Some(m),
                _ => None,
            },
            current: None,
            early,
            ended: matches!(rest, Rest::Ended),
            limit,
            problem: None,
        }
    }

    fn fail(&mut self, e: Refused) -> ErrorKind {
        if self.problem.is_none() {
            self.problem = Some(e);
        }
        ErrorKind::InvalidData
    }

    /// Reads `buf.len()` bytes of the input, writing them to the slot too.
    fn take(&mut self, buf: &mut [u8]) -> Result<(), Refused> {
        read_exact(self.input, buf)?;
        if let Some(w) = self.writer.as_mut() {
            w.put(buf)?;
        }
        let n = u32::try_from(buf.len()).map_err(|_| PackageError::TooLarge)?;
        self.pos = self.pos.checked_add(n).ok_or(PackageError::TooLarge)?;
        Ok(())
    }

    /// Takes the input up to package offset `to`.
    fn take_to(&mut self, to: u32) -> Result<(), ErrorKind> {
        let mut chunk = [0u8; 64];
        while self.pos < to {
            let left = to.saturating_sub(self.pos);
            let n = usize::try_from(left).unwrap_or(usize::MAX).min(chunk.len());
            let part = chunk.get_mut(..n).ok_or(ErrorKind::InvalidInput)?;
            if let Err(e) = self.take(part) {
                return Err(self.fail(e));
            }
        }
        Ok(())
    }

    fn header(&mut self) -> Result<Header, Refused> {
        read_exact(self.input, self.block)?;
        let header = ustar::parse(self.block, self.pos)?;
        if let Header::File(m) = header
            && m.next > self.limit
        {
            return Err(PackageError::TooLarge.into());
        }
        if let Some(w) = self.writer.as_mut() {
            w.put(self.block)?;
        }
        self.pos = self.pos.checked_add(BLOCK).ok_or(PackageError::TooLarge)?;
        Ok(header)
    }

    /// The next header, once the current member is read to its end.
    fn next_header(&mut self) -> Result<Option<Member>, ErrorKind> {
        if let Some(m) = self.pending {
            return Ok(Some(m));
        }
        if self.ended {
            return Ok(None);
        }
        if let Some(m) = self.current.take() {
            self.take_to(m.next)?;
        }
        let at = self.pos;
        match self.header() {
            Ok(Header::File(m)) => {
                self.pending = Some(m);
                Ok(Some(m))
            }
            Ok(Header::Zero) => {
                let second = self.header().and_then(|h| match h {
                    Header::Zero => Ok(()),
                    Header::File(_) => Err(PackageError::BadHeader { at }.into()),
                });
                if let Err(e) = second {
                    return Err(self.fail(e));
                }
                self.ended = true;
                Ok(None)
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// After the model check: the package up to and including its end
    /// marker has been read (and was checked to hold nothing else); the
    /// slot's last page is written.
    pub fn finish(&mut self) -> Result<(), Refused> {
        if self.next_header().is_err() || self.pending.is_some() || !self.ended {
            return Err(self
                .problem
                .unwrap_or(oms_edge_core::Error::UnsignedFile.into()));
        }
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

/// Reads one file's range, writing it to the slot too.
pub(crate) struct FileReader<'s, 'a, F> {
    source: &'s mut PackageSource<'a, F>,
    end: u32,
}

impl<F> ErrorType for FileReader<'_, '_, F> {
    type Error = ErrorKind;
}

impl<F: NorFlash> Read for FileReader<'_, '_, F> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        let s = &mut *self.source;
        let left = usize::try_from(self.end.saturating_sub(s.pos)).unwrap_or(usize::MAX);
        let n = left.min(buf.len());
        if n == 0 {
            return Ok(0);
        }
        let chunk = buf.get_mut(..n).ok_or(ErrorKind::InvalidInput)?;
        if let Err(e) = s.take(chunk) {
            return Err(s.fail(e));
        }
        Ok(n)
    }
}

/// Reads the early `VERSION` from memory (a copy: it is a few bytes).
pub(crate) struct EarlyReader {
    early: Early,
    pos: usize,
}

impl ErrorType for EarlyReader {
    type Error = ErrorKind;
}

impl Read for EarlyReader {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        let rest = self.early.data().get(self.pos..).unwrap_or(&[]);
        let n = rest.len().min(buf.len());
        let now = rest.get(..n).ok_or(ErrorKind::InvalidInput)?;
        buf.get_mut(..n)
            .ok_or(ErrorKind::InvalidInput)?
            .copy_from_slice(now);
        self.pos = self.pos.saturating_add(n);
        Ok(n)
    }
}

/// A file's reader: from the package, or the early `VERSION`.
pub(crate) enum Reader<'s, 'a, F> {
    File(FileReader<'s, 'a, F>),
    Early(EarlyReader),
}

impl<F> ErrorType for Reader<'_, '_, F> {
    type Error = ErrorKind;
}

impl<F: NorFlash> Read for Reader<'_, '_, F> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        match self {
            Self::File(r) => r.read(buf),
            Self::Early(r) => r.read(buf),
        }
    }
}

impl<'a, F: NorFlash> ModelSource for PackageSource<'a, F> {
    type Reader<'s>
        = Reader<'s, 'a, F>
    where
        Self: 's;

    fn file_size(&mut self, path: &str) -> Result<Option<u64>, ErrorKind> {
        if path == VERSION_NAME
            && let Some(e) = self.early.as_mut()
        {
            e.listed = true;
            return Ok(Some(u64::from(e.member.size)));
        }
        match self.next_header()? {
            Some(m) if path == "." || ustar::name_is(self.block, path.as_bytes()) => {
                self.pending = None;
                self.current = Some(m);
                Ok(Some(u64::from(m.size)))
            }
            // Missing here; a stream cannot tell whether it comes later.
            _ => Ok(None),
        }
    }

    fn open(&mut self, path: &str, offset: u64) -> Result<Self::Reader<'_>, ErrorKind> {
        if path == VERSION_NAME
            && let Some(early) = self.early
        {
            let pos = usize::try_from(offset).map_err(|_| ErrorKind::InvalidInput)?;
            return Ok(Reader::Early(EarlyReader { early, pos }));
        }
        let Some(m) = self.current else {
            // The planner opens the file it asked the size of last.
            return Err(self.fail(PackageError::OutOfOrder.into()));
        };
        let offset = u32::try_from(offset).map_err(|_| ErrorKind::InvalidInput)?;
        let at = m.data.checked_add(offset).ok_or(ErrorKind::InvalidInput)?;
        if self.pos > at {
            // A stream only goes forward: shards come in order.
            return Err(self.fail(PackageError::OutOfOrder.into()));
        }
        self.take_to(at)?;
        Ok(Reader::File(FileReader {
            end: m.data_end(),
            source: self,
        }))
    }

    fn has_unlisted_file(&mut self, empty_files_exempt: bool) -> Result<bool, ErrorKind> {
        if self
            .early
            .is_some_and(|e| !e.listed && (!empty_files_exempt || e.member.size > 0))
        {
            return Ok(true);
        }
        loop {
            match self.next_header()? {
                Some(m) if !empty_files_exempt || m.size > 0 => return Ok(true),
                Some(m) => {
                    self.pending = None;
                    self.current = Some(m);
                }
                None => return Ok(false),
            }
        }
    }
}
