//! The package format: a POSIX ustar archive (POSIX.1-1988, as
//! `tar --format=ustar` writes it), read header by header from flash.
//!
//! Checks, per 512-byte header block:
//! 1. the block lies inside the region (a truncated package fails here);
//! 2. an all-zero block must be followed by a second one: the end of the
//!    archive;
//! 3. magic `ustar\0` and version `00`;
//! 4. the header checksum (unsigned sum, checksum field read as spaces);
//! 5. type `0` (or NUL): a regular file; links, directories and every
//!    extension header are refused;
//! 6. the size is octal (no base-256) and the data, padded to a block,
//!    lies inside the region.
//!
//! The loader reads a package twice: as a stream while flashing it (each
//! block parsed by [`parse`]) and from the slot at rest
//! ([`read_header`]).
//!
//! The member name is `prefix/name` (or `name` with an empty prefix). It is
//! compared byte for byte with the names of the signed manifest, so no
//! path interpretation happens here.
//!
//! Hand-written: the crates that read tar need `std` or read from a slice,
//! and the loader reads from a stream and from flash through
//! `embedded-storage`.

use embedded_storage::nor_flash::ReadNorFlash;

use crate::error::PackageError;
use crate::flashio::read_at;

/// The ustar block size.
pub const BLOCK: u32 = 512;
/// The longest member name: a 155-byte prefix, `/`, a 100-byte name.
pub const MAX_NAME: usize = 256;

const NAME: core::ops::Range<usize> = 0..100;
const SIZE: core::ops::Range<usize> = 124..136;
const CHECKSUM: core::ops::Range<usize> = 148..156;
const TYPEFLAG: usize = 156;
const MAGIC: core::ops::Range<usize> = 257..263;
const VERSION: core::ops::Range<usize> = 263..265;
const PREFIX: core::ops::Range<usize> = 345..500;

/// One regular-file member. Its name stays in the header block just read
/// (see [`name_is`], [`name_parts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// Where its header starts (from the start of the region).
    pub header: u32,
    /// Where its data starts.
    pub data: u32,
    /// Its size in bytes.
    pub size: u32,
    /// Where the next header starts.
    pub next: u32,
}

impl Member {
    /// The end of its data (without padding).
    pub fn data_end(&self) -> u32 {
        // `read_header` checked that `next` (>= this) fits in a u32.
        self.data.saturating_add(self.size)
    }
}

/// The name of the member whose header is in `block`: (prefix, name); the
/// full name is `prefix/name`, or `name` when the prefix is empty.
pub fn name_parts(block: &[u8; BLOCK as usize]) -> (&[u8], &[u8]) {
    (
        field(block.get(PREFIX).unwrap_or(&[])),
        field(block.get(NAME).unwrap_or(&[])),
    )
}

/// Whether the member whose header is in `block` is named `want`.
pub fn name_is(block: &[u8; BLOCK as usize], want: &[u8]) -> bool {
    match name_parts(block) {
        ([], name) => name == want,
        (prefix, name) => want
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix(b"/"))
            .is_some_and(|rest| rest == name),
    }
}

/// What a header block holds.
#[derive(Debug, Clone, Copy)]
pub enum Entry {
    /// A regular file.
    File(Member),
    /// The end-of-archive marker; the archive's length up to its end.
    End(u32),
}

/// Reads the header at `pos` (a multiple of [`BLOCK`]) of the archive
/// stored at `base..base + limit` of `flash` into `block`.
pub fn read_header<F: ReadNorFlash>(
    flash: &mut F,
    base: u32,
    pos: u32,
    limit: u32,
    block: &mut [u8; BLOCK as usize],
) -> Result<Entry, PackageError> {
    read_block(flash, base, pos, limit, block)?;
    match parse(block, pos)? {
        Header::File(m) if m.next > limit => Err(PackageError::Truncated),
        Header::File(m) => Ok(Entry::File(m)),
        Header::Zero => {
            let second = pos.checked_add(BLOCK).ok_or(PackageError::Truncated)?;
            read_block(flash, base, second, limit, block)?;
            end_marker(block, pos)
        }
    }
}

/// What one header block holds.
#[derive(Debug, Clone, Copy)]
pub enum Header {
    /// A regular file.
    File(Member),
    /// An all-zero block: the first half of the end-of-archive marker.
    Zero,
}

/// Checks 3 to 6 on the header block `block`, found at `pos`. A file's
/// extent is not compared with any limit here (the caller knows it).
pub fn parse(block: &[u8; BLOCK as usize], pos: u32) -> Result<Header, PackageError> {
    if block.iter().all(|&b| b == 0) {
        return Ok(Header::Zero);
    }
    let bad = PackageError::BadHeader { at: pos };
    if block.get(MAGIC) != Some(b"ustar\0") || block.get(VERSION) != Some(b"00") {
        return Err(PackageError::NotUstar { at: pos });
    }
    let stored = octal(block.get(CHECKSUM).ok_or(bad)?).ok_or(bad)?;
    let mut sum: u64 = 0;
    for (i, &b) in block.iter().enumerate() {
        let b = if CHECKSUM.contains(&i) { b' ' } else { b };
        sum = sum.saturating_add(u64::from(b));
    }
    if sum != stored {
        return Err(PackageError::BadChecksum { at: pos });
    }
    match block.get(TYPEFLAG) {
        Some(b'0' | 0) => {}
        _ => return Err(PackageError::NotAFile { at: pos }),
    }
    let size = octal(block.get(SIZE).ok_or(bad)?).ok_or(bad)?;
    let size = u32::try_from(size).map_err(|_| PackageError::TooLarge)?;
    let data = pos.checked_add(BLOCK).ok_or(PackageError::TooLarge)?;
    let padded = size
        .checked_next_multiple_of(BLOCK)
        .ok_or(PackageError::TooLarge)?;
    let next = data.checked_add(padded).ok_or(PackageError::TooLarge)?;
    let (prefix, name) = name_parts(block);
    if name.is_empty() || prefix.len().saturating_add(name.len()) >= MAX_NAME {
        return Err(bad);
    }
    Ok(Header::File(Member {
        header: pos,
        data,
        size,
        next,
    }))
}

/// Check 2: the block after a zero block (at `pos`) must be zero too; the
/// archive's length is then up to the end of both.
pub fn end_marker(second: &[u8; BLOCK as usize], pos: u32) -> Result<Entry, PackageError> {
    if second.iter().any(|&b| b != 0) {
        return Err(PackageError::BadHeader { at: pos });
    }
    let end = pos
        .checked_add(BLOCK.saturating_mul(2))
        .ok_or(PackageError::Truncated)?;
    Ok(Entry::End(end))
}

fn read_block<F: ReadNorFlash>(
    flash: &mut F,
    base: u32,
    pos: u32,
    limit: u32,
    block: &mut [u8; BLOCK as usize],
) -> Result<(), PackageError> {
    let end = pos.checked_add(BLOCK).ok_or(PackageError::Truncated)?;
    if end > limit {
        return Err(PackageError::Truncated);
    }
    let at = base.checked_add(pos).ok_or(PackageError::Truncated)?;
    read_at(flash, at, block).map_err(|_| PackageError::Read)
}

/// A NUL-terminated text field.
fn field(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    bytes.get(..end).unwrap_or(&[])
}

/// An octal number, optionally surrounded by spaces and ended by NUL
/// (tar writes `0000644\0` or `   644 \0`); base-256 is refused.
fn octal(bytes: &[u8]) -> Option<u64> {
    let text = field(bytes);
    let text = text.trim_ascii();
    if text.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &c in text {
        if !(b'0'..=b'7').contains(&c) {
            return None;
        }
        v = v
            .checked_mul(8)?
            .checked_add(u64::from(c.checked_sub(b'0')?))?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_fields() {
        assert_eq!(octal(b"0000644\0"), Some(0o644));
        assert_eq!(octal(b"   644 \0"), Some(0o644));
        assert_eq!(octal(b"00000000017\0"), Some(15));
        assert_eq!(octal(b"\0\0\0"), None);
        assert_eq!(octal(b"0008\0"), None);
        assert_eq!(octal(&[0x80, 0, 0, 0, 1]), None);
    }

    #[test]
    fn names() {
        let mut b = [0u8; 512];
        b[..6].copy_from_slice(b"vocab\0");
        assert!(name_is(&b, b"vocab"));
        assert!(!name_is(&b, b"vocab.txt"));
        b[345..348].copy_from_slice(b"tok");
        assert!(name_is(&b, b"tok/vocab"));
        assert!(!name_is(&b, b"tokvocab"));
        assert!(!name_is(&b, b"tok/vocab/"));
        assert!(!name_is(&b, b"vocab"));
    }
}
