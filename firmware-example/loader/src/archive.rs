//! The package's model files as an OMS [`ModelSource`], read sequentially
//! from flash, optionally copying every byte read into a slot ("tee").
//!
//! The package holds the model files in manifest order, so the core's
//! planner, which asks for files in that order, finds each one at the
//! archive's cursor: no index, no allocation. A name that is not at the
//! cursor is missing (or, when it appears later, out of order); members
//! left when the manifest is done are unsigned files.

use embedded_io::{ErrorKind, ErrorType, Read};
use embedded_storage::nor_flash::{NorFlash, ReadNorFlash};
use oms_edge_core::ModelSource;

use crate::error::{FlashErr, PackageError, Refused};
use crate::ustar::{self, BLOCK, Entry, Member};

/// Where the bytes read from the archive also go.
pub(crate) trait Tee {
    /// The archive offset of the next byte the tee expects, or `None` when
    /// it takes nothing.
    fn next(&self) -> Option<u32>;
    /// Appends `bytes` (which start at [`Tee::next`]).
    fn put(&mut self, bytes: &[u8]) -> Result<(), Refused>;
}

/// Reading only (the check at rest).
#[derive(Debug)]
pub(crate) struct NoTee;

impl Tee for NoTee {
    fn next(&self) -> Option<u32> {
        None
    }
    fn put(&mut self, _: &[u8]) -> Result<(), Refused> {
        Ok(())
    }
}

/// Writes into an erased slot through a page buffer, so that every flash
/// write is one aligned, whole page (the last one padded with `0xFF`).
#[derive(Debug)]
pub(crate) struct SlotWriter<'w, F> {
    pub flash: &'w mut F,
    pub base: u32,
    pub page: &'w mut [u8],
    /// Bytes in `page`.
    pub fill: usize,
    /// Archive offset of `page`'s first byte.
    pub at: u32,
}

impl<F: NorFlash> SlotWriter<'_, F> {
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
        let to = self.base.checked_add(self.at).ok_or(Refused::Layout)?;
        self.flash.write(to, page).map_err(FlashErr)?;
        let fill = u32::try_from(self.fill).map_err(|_| Refused::Layout)?;
        self.at = self.at.checked_add(fill).ok_or(Refused::Layout)?;
        self.fill = 0;
        Ok(())
    }
}

impl<F: NorFlash> Tee for SlotWriter<'_, F> {
    fn next(&self) -> Option<u32> {
        u32::try_from(self.fill)
            .ok()
            .and_then(|f| self.at.checked_add(f))
    }

    fn put(&mut self, mut bytes: &[u8]) -> Result<(), Refused> {
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
}

/// The model files of a package stored at `base..base + limit` of `src`.
pub(crate) struct Archive<'a, R, T> {
    src: &'a mut R,
    base: u32,
    limit: u32,
    pub tee: T,
    block: &'a mut [u8; BLOCK as usize],
    /// The next header the planner has not consumed.
    cursor: u32,
    /// The file the planner asked for last.
    current: Option<Member>,
    /// The member named `VERSION`, once the manifest named it.
    pub version: Option<Member>,
    /// The first failure that the core's error type cannot carry.
    pub problem: Option<Refused>,
}

impl<'a, R: ReadNorFlash, T: Tee> Archive<'a, R, T> {
    /// An archive whose model files start at header `cursor`.
    pub fn new(
        src: &'a mut R,
        base: u32,
        limit: u32,
        tee: T,
        block: &'a mut [u8; BLOCK as usize],
        cursor: u32,
    ) -> Self {
        Self {
            src,
            base,
            limit,
            tee,
            block,
            cursor,
            current: None,
            version: None,
            problem: None,
        }
    }

    fn fail(&mut self, e: Refused) -> ErrorKind {
        if self.problem.is_none() {
            self.problem = Some(e);
        }
        ErrorKind::InvalidData
    }

    fn header(&mut self, pos: u32) -> Result<Entry, ErrorKind> {
        ustar::read_header(self.src, self.base, pos, self.limit, self.block)
            .map_err(|e| self.fail(e.into()))
    }

    /// Copies the archive into the tee up to `to` (headers and padding
    /// between the files, whose bytes the signature does not cover).
    pub fn copy_to(&mut self, to: u32) -> Result<(), ErrorKind> {
        while let Some(next) = self.tee.next() {
            if next >= to {
                break;
            }
            let n = usize::try_from(to.saturating_sub(next))
                .unwrap_or(usize::MAX)
                .min(self.block.len());
            let at = self.base.checked_add(next).ok_or(ErrorKind::InvalidInput)?;
            let chunk = self.block.get_mut(..n).ok_or(ErrorKind::InvalidInput)?;
            if self.src.read(at, chunk).is_err() {
                return Err(self.fail(PackageError::Read.into()));
            }
            let chunk = self.block.get(..n).ok_or(ErrorKind::InvalidInput)?;
            if let Err(e) = self.tee.put(chunk) {
                return Err(self.fail(e));
            }
        }
        Ok(())
    }

    /// Whether a member named `path` follows the cursor.
    fn appears_later(&mut self, path: &str) -> bool {
        let mut pos = self.cursor;
        while let Ok(Entry::File(m)) = self.header(pos) {
            if ustar::name_is(self.block, path.as_bytes()) {
                return true;
            }
            pos = m.next;
        }
        false
    }
}

/// Reads one file's range, feeding the tee.
pub(crate) struct FileReader<'s, 'a, R, T> {
    archive: &'s mut Archive<'a, R, T>,
    pos: u32,
    end: u32,
}

impl<R, T> ErrorType for FileReader<'_, '_, R, T> {
    type Error = ErrorKind;
}

impl<R: ReadNorFlash, T: Tee> Read for FileReader<'_, '_, R, T> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        let left = usize::try_from(self.end.saturating_sub(self.pos)).unwrap_or(usize::MAX);
        let n = left.min(buf.len());
        if n == 0 {
            return Ok(0);
        }
        let chunk = buf.get_mut(..n).ok_or(ErrorKind::InvalidInput)?;
        let at = self
            .archive
            .base
            .checked_add(self.pos)
            .ok_or(ErrorKind::InvalidInput)?;
        if self.archive.src.read(at, chunk).is_err() {
            return Err(self.archive.fail(PackageError::Read.into()));
        }
        if self.archive.tee.next().is_some()
            && let Err(e) = self.archive.tee.put(chunk)
        {
            return Err(self.archive.fail(e));
        }
        // `n <= end - pos`.
        self.pos = self.pos.saturating_add(u32::try_from(n).unwrap_or(0));
        Ok(n)
    }
}

impl<'a, R: ReadNorFlash, T: Tee> ModelSource for Archive<'a, R, T> {
    type Reader<'s>
        = FileReader<'s, 'a, R, T>
    where
        Self: 's;

    fn file_size(&mut self, path: &str) -> Result<Option<u64>, ErrorKind> {
        self.current = None;
        match self.header(self.cursor)? {
            Entry::File(m) if path == "." || ustar::name_is(self.block, path.as_bytes()) => {
                self.cursor = m.next;
                self.current = Some(m);
                if path == "VERSION" {
                    self.version = Some(m);
                }
                Ok(Some(u64::from(m.size)))
            }
            Entry::File(_) if self.appears_later(path) => {
                Err(self.fail(PackageError::OutOfOrder.into()))
            }
            _ => Ok(None),
        }
    }

    fn open(&mut self, _path: &str, offset: u64) -> Result<Self::Reader<'_>, ErrorKind> {
        let m = match self.current {
            // The planner opens the file it asked the size of last.
            Some(m) => m,
            _ => return Err(self.fail(PackageError::OutOfOrder.into())),
        };
        let offset = u32::try_from(offset).map_err(|_| ErrorKind::InvalidInput)?;
        let pos = m.data.checked_add(offset).ok_or(ErrorKind::InvalidInput)?;
        if self.tee.next().is_some_and(|next| next > pos) {
            // The tee only appends: shards come in order.
            return Err(self.fail(PackageError::OutOfOrder.into()));
        }
        self.copy_to(pos)?;
        Ok(FileReader {
            pos,
            end: m.data_end(),
            archive: self,
        })
    }

    fn has_unlisted_file(&mut self, empty_files_exempt: bool) -> Result<bool, ErrorKind> {
        let mut pos = self.cursor;
        loop {
            match self.header(pos)? {
                Entry::File(m) if !empty_files_exempt || m.size > 0 => return Ok(true),
                Entry::File(m) => pos = m.next,
                Entry::End(_) => return Ok(false),
            }
        }
    }
}

/// The archive's length up to the end of its end-of-archive marker; checks
/// every header on the way.
pub(crate) fn archive_len<R: ReadNorFlash>(
    src: &mut R,
    base: u32,
    limit: u32,
    block: &mut [u8; BLOCK as usize],
) -> Result<u32, PackageError> {
    let mut pos = 0;
    loop {
        match ustar::read_header(src, base, pos, limit, block)? {
            Entry::File(m) => pos = m.next,
            Entry::End(end) => return Ok(end),
        }
    }
}
