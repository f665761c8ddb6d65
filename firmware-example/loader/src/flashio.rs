//! Reads of any offset and length from a flash whose reads must be aligned
//! (`ReadNorFlash::READ_SIZE`: 1 for memory-mapped NOR, 4 for the nRF
//! QSPI): the aligned middle goes straight into the caller's buffer, an
//! unaligned head or tail through a small bounce buffer.

use embedded_storage::nor_flash::ReadNorFlash;

use crate::error::{FlashErr, Refused};

/// The largest `READ_SIZE` supported (the bounce buffer's size).
pub const MAX_READ_SIZE: usize = 64;

/// Reads `buf.len()` bytes at `offset`.
pub(crate) fn read_at<F: ReadNorFlash>(
    flash: &mut F,
    offset: u32,
    buf: &mut [u8],
) -> Result<(), Refused> {
    let unit = F::READ_SIZE;
    if unit <= 1 {
        return flash.read(offset, buf).map_err(|e| FlashErr(e).into());
    }
    let layout = || Refused::Layout;
    let mut bounce = [0u8; MAX_READ_SIZE];
    let bounce = bounce.get_mut(..unit).ok_or_else(layout)?;
    let mut at = offset;
    let mut rest = buf;
    // The head: from `at` to the next aligned offset.
    let skew = usize::try_from(at)
        .map_err(|_| layout())?
        .checked_rem(unit)
        .ok_or_else(layout)?;
    if skew != 0 && !rest.is_empty() {
        let start = at
            .checked_sub(u32::try_from(skew).map_err(|_| layout())?)
            .ok_or_else(layout)?;
        flash.read(start, bounce).map_err(FlashErr)?;
        let n = unit.saturating_sub(skew).min(rest.len());
        let (head, tail) = rest.split_at_mut(n);
        head.copy_from_slice(
            bounce
                .get(skew..skew.saturating_add(n))
                .ok_or_else(layout)?,
        );
        at = at
            .checked_add(u32::try_from(n).map_err(|_| layout())?)
            .ok_or_else(layout)?;
        rest = tail;
    }
    // The aligned middle.
    let mid = rest
        .len()
        .checked_div(unit)
        .ok_or_else(layout)?
        .saturating_mul(unit);
    if mid > 0 {
        let (body, tail) = rest.split_at_mut(mid);
        flash.read(at, body).map_err(FlashErr)?;
        at = at
            .checked_add(u32::try_from(mid).map_err(|_| layout())?)
            .ok_or_else(layout)?;
        rest = tail;
    }
    // The tail: less than one unit.
    if !rest.is_empty() {
        flash.read(at, bounce).map_err(FlashErr)?;
        let n = rest.len();
        rest.copy_from_slice(bounce.get(..n).ok_or_else(layout)?);
    }
    Ok(())
}

/// Whether `len` bytes at `offset` read as erased (`0xFF`); an unreadable
/// range (an ECC error on a torn write) is not erased.
pub(crate) fn is_erased<F: ReadNorFlash>(flash: &mut F, offset: u32, len: usize) -> bool {
    let mut chunk = [0u8; MAX_READ_SIZE];
    let mut done = 0usize;
    while done < len {
        let n = len.saturating_sub(done).min(chunk.len());
        let Some(part) = chunk.get_mut(..n) else {
            return false;
        };
        let Some(at) = u32::try_from(done).ok().and_then(|d| offset.checked_add(d)) else {
            return false;
        };
        if read_at(flash, at, part).is_err() || part.iter().any(|&b| b != 0xff) {
            return false;
        }
        done = done.saturating_add(n);
    }
    true
}
