//! NOR flash emulated over a RAM region, with NOR's rules enforced:
//! erase sets whole sectors to `0xFF`; a write must be aligned to
//! `WRITE` and may only land on erased bytes (no write without an erase
//! first). The firmware uses it over a RAM region of the QEMU board; the
//! host tests wrap it to count operations and cut power.

use embedded_storage::nor_flash::{
    ErrorType, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash,
};

/// A RAM-backed NOR flash with `ERASE`-byte sectors and `WRITE`-byte
/// program units.
#[derive(Debug)]
pub struct RamFlash<'a, const ERASE: usize, const WRITE: usize> {
    mem: &'a mut [u8],
}

impl<'a, const ERASE: usize, const WRITE: usize> RamFlash<'a, ERASE, WRITE> {
    /// A flash over `mem`, whose contents are kept (a RAM region that
    /// survived a reset, or fresh memory: then erase it first).
    pub fn new(mem: &'a mut [u8]) -> Self {
        Self { mem }
    }

    /// The underlying memory.
    pub fn memory(&self) -> &[u8] {
        self.mem
    }

    fn range(&self, from: u32, len: usize) -> Result<core::ops::Range<usize>, RamFlashError> {
        let from = usize::try_from(from).map_err(|_| RamFlashError::OutOfBounds)?;
        let to = from.checked_add(len).ok_or(RamFlashError::OutOfBounds)?;
        if to > self.mem.len() {
            return Err(RamFlashError::OutOfBounds);
        }
        Ok(from..to)
    }
}

/// What the emulated flash refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RamFlashError {
    /// Offset or length not aligned to the sector or write unit.
    NotAligned,
    /// Outside the region.
    OutOfBounds,
    /// A write over bytes that were not erased.
    NotErased,
}

impl NorFlashError for RamFlashError {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            Self::NotAligned => NorFlashErrorKind::NotAligned,
            Self::OutOfBounds => NorFlashErrorKind::OutOfBounds,
            Self::NotErased => NorFlashErrorKind::Other,
        }
    }
}

impl<const ERASE: usize, const WRITE: usize> ErrorType for RamFlash<'_, ERASE, WRITE> {
    type Error = RamFlashError;
}

impl<const ERASE: usize, const WRITE: usize> ReadNorFlash for RamFlash<'_, ERASE, WRITE> {
    const READ_SIZE: usize = 1;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        let r = self.range(offset, bytes.len())?;
        bytes.copy_from_slice(self.mem.get(r).ok_or(RamFlashError::OutOfBounds)?);
        Ok(())
    }

    fn capacity(&self) -> usize {
        self.mem.len()
    }
}

impl<const ERASE: usize, const WRITE: usize> NorFlash for RamFlash<'_, ERASE, WRITE> {
    const WRITE_SIZE: usize = WRITE;
    const ERASE_SIZE: usize = ERASE;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        let len = to.checked_sub(from).ok_or(RamFlashError::OutOfBounds)? as usize;
        let r = self.range(from, len)?;
        if !r.start.is_multiple_of(ERASE) || !len.is_multiple_of(ERASE) {
            return Err(RamFlashError::NotAligned);
        }
        self.mem
            .get_mut(r)
            .ok_or(RamFlashError::OutOfBounds)?
            .fill(0xff);
        Ok(())
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        let r = self.range(offset, bytes.len())?;
        if !r.start.is_multiple_of(WRITE) || !bytes.len().is_multiple_of(WRITE) {
            return Err(RamFlashError::NotAligned);
        }
        let dst = self.mem.get_mut(r).ok_or(RamFlashError::OutOfBounds)?;
        if dst.iter().any(|&b| b != 0xff) {
            return Err(RamFlashError::NotErased);
        }
        dst.copy_from_slice(bytes);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nor_rules() {
        let mut mem = [0u8; 256];
        let mut f = RamFlash::<64, 4>::new(&mut mem);
        assert_eq!(f.write(0, &[1, 2, 3, 4]), Err(RamFlashError::NotErased));
        f.erase(0, 64).unwrap();
        f.write(0, &[1, 2, 3, 4]).unwrap();
        assert_eq!(f.write(0, &[0, 0, 0, 0]), Err(RamFlashError::NotErased));
        assert_eq!(f.write(2, &[0, 0, 0, 0]), Err(RamFlashError::NotAligned));
        assert_eq!(f.write(4, &[0, 0]), Err(RamFlashError::NotAligned));
        assert_eq!(f.erase(0, 32), Err(RamFlashError::NotAligned));
        assert_eq!(f.erase(192, 320), Err(RamFlashError::OutOfBounds));
        let mut b = [0u8; 5];
        f.read(0, &mut b).unwrap();
        assert_eq!(b, [1, 2, 3, 4, 0xff]);
        assert_eq!(f.read(252, &mut b), Err(RamFlashError::OutOfBounds));
    }
}
