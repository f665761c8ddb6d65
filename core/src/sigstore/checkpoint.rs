//! Signed checkpoints of a Rekor log (`inclusionProof.checkpoint.envelope`),
//! for Rekor v1 and Rekor v2: the log's signed commitment to the tree head
//! that an inclusion proof ends in.
//!
//! Checks, in order:
//! 1. the note is at most [`MAX_CHECKPOINT_BYTES`] (C2SP signed-note
//!    §Format: verifiers SHOULD bound a note's size);
//! 2. signed-note §Format: no ASCII control character but newline; the text
//!    ends at the *last* blank line and keeps its final newline; the
//!    signature block after it is non-empty and ends in a newline;
//! 3. signed-note §Format, §Signatures: every signature line is
//!    `— <key name> <base64>` (U+2014, space), the key name non-empty
//!    without Unicode spaces or `+`, the base64 standard and padded, of a
//!    4-byte key ID followed by at least one signature byte; at most
//!    [`MAX_CHECKPOINT_SIGNATURES`] lines;
//! 4. C2SP tlog-checkpoint §Note text: a non-empty origin line; the tree
//!    size in decimal without leading zeros (`0` for the empty tree) that
//!    fits a `u64`; the root hash as base64 of 32 bytes; then non-empty
//!    extension lines, at most [`MAX_CHECKPOINT_EXTENSIONS`];
//! 5. the origin names the log, by the signing convention the caller
//!    takes from the log entry ([`Convention`]; a Rekor v2 entry's checkpoint
//!    is a signed note, a Rekor v1 entry's is Rekor v1's): for Rekor v2 the
//!    origin is the host of the log's `baseUrl`; for Rekor v1 it is
//!    `<hostname> - <tree ID>` with that hostname the `baseUrl`'s host (with
//!    or without its port). sigstore-go instead chooses the convention from
//!    the origin's text (`hasRekorV1STH`), so a Rekor v2 log key could sign
//!    a v1-shaped origin naming another host and have it accepted;
//! 6. the log's signature: for Rekor v2, lines naming another key (name or
//!    key ID differs) are ignored (witness cosignatures), every line with
//!    the log's name *and* key ID must verify, and at least one must
//!    (signed-note §Signatures); for Rekor v1, every line must carry the
//!    log's key ID and the origin's hostname, and verify (rekor's
//!    `SignedNote.Verify`, which sigstore-go and sigstore-python use; a
//!    Rekor v1 checkpoint is never cosigned);
//! 7. the checkpoint's root hash and tree size equal the inclusion proof's.
//!
//! Key IDs (see [`key_hint`]): Rekor v1 uses the first 4 bytes of SHA-256
//! of the key's DER SubjectPublicKeyInfo, which is also the start of its
//! `logId.keyId`. Rekor v2 uses rekor-tiles' `note.KeyHash`: for Ed25519
//! the signed-note key ID `SHA-256(name || 0x0A || 0x01 || key)[:4]`, for
//! ECDSA the same SPKI hash as v1 (signed-note signature type 0x02), for
//! RSA `SHA-256(name || 0x0A || 0xFF || "PKIX-RSA-PKCS#1v1.5" || SPKI)[:4]`.
//!
//! Stricter than sigstore-go, never looser, and every genuine Rekor
//! checkpoint passes both: a repeated line from the log's key is verified,
//! where `sumdb/note.Open` skips it unchecked; a Rekor v1 line must name the
//! origin's hostname, which rekor does not compare, and that hostname must be
//! the log's; the tree size must be
//! canonical and the root hash 32 bytes of canonical base64, where
//! `transparency-dev/formats` takes leading zeros and any length.

use core::fmt;

use base64ct::{Base64, Decoder, Encoding as _};
use sha2::{Digest as _, Sha256};

use crate::check::Check;
use crate::limits::{MAX_CHECKPOINT_BYTES, MAX_CHECKPOINT_EXTENSIONS, MAX_CHECKPOINT_SIGNATURES};
use crate::sigstore::logkey::{KeyDetails, LogKey, LogKeyError};
use crate::sigstore::trust_root::TransparencyLog;

/// What starts a signature line: EM DASH (U+2014) and a space.
const SIG_PREFIX: &str = "\u{2014} ";

/// Largest log signature this verifier can check: RSA-4096 (512 bytes);
/// DER ECDSA P-521 needs at most 139, Ed25519 64. A longer line that names
/// the log's key cannot verify.
const MAX_LOG_SIGNATURE_BYTES: usize = 512;

/// rekor-tiles' identifier for RSA note keys, after signature type 0xFF.
const RSA_NOTE_ID: &[u8] = b"PKIX-RSA-PKCS#1v1.5";

/// Why a checkpoint was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CheckpointError {
    /// The note is longer than [`MAX_CHECKPOINT_BYTES`].
    TooLarge,
    /// The note holds an ASCII control character other than newline.
    ControlCharacter,
    /// No blank line separates the text from the signatures.
    NoBlankLine,
    /// The signature block is empty or does not end in a newline.
    NoSignatures,
    /// A signature line is not `— <name> <base64 of key ID and signature>`.
    BadSignatureLine,
    /// More than [`MAX_CHECKPOINT_SIGNATURES`] signature lines.
    TooManySignatures,
    /// The origin line is missing or empty.
    BadOrigin,
    /// The tree size line is missing, not canonical decimal, or over `u64`.
    BadSize,
    /// The root hash line is missing or not base64 of 32 bytes.
    BadRootHash,
    /// An extension line is empty.
    EmptyExtension,
    /// More than [`MAX_CHECKPOINT_EXTENSIONS`] extension lines.
    TooManyExtensions,
    /// The log's key type cannot sign checkpoints here (PKCS#1-only RSA or
    /// an unsupported algorithm).
    UnsupportedKey,
    /// The log's key bytes are malformed.
    BadLogKey,
    /// The log's `baseUrl` has no host that is a valid key name.
    BadLogUrl,
    /// The origin does not name the log: for Rekor v2 it is not the host of
    /// the log's `baseUrl`; for Rekor v1 it is not `<that host> - <tree ID>`.
    OriginMismatch,
    /// Rekor v1: a signature line does not carry the log's key ID.
    BadKeyHint,
    /// Rekor v1: a signature line's key name is not the origin's hostname.
    BadKeyName,
    /// Rekor v2: no signature line has the log's key name and key ID.
    NoSignatureFromLog,
    /// A signature line with the log's key name and key ID does not verify.
    BadSignature,
    /// The checkpoint's root hash is not the inclusion proof's.
    RootMismatch,
    /// The checkpoint's tree size is not the inclusion proof's.
    SizeMismatch,
}

impl CheckpointError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            Self::TooLarge => Check::CheckpointTooLarge,
            Self::ControlCharacter => Check::CheckpointControlCharacter,
            Self::NoBlankLine => Check::CheckpointNoBlankLine,
            Self::NoSignatures => Check::CheckpointNoSignatures,
            Self::BadSignatureLine => Check::CheckpointBadSignatureLine,
            Self::TooManySignatures => Check::CheckpointTooManySignatures,
            Self::BadOrigin => Check::CheckpointBadOrigin,
            Self::BadSize => Check::CheckpointBadSize,
            Self::BadRootHash => Check::CheckpointBadRootHash,
            Self::EmptyExtension => Check::CheckpointEmptyExtension,
            Self::TooManyExtensions => Check::CheckpointTooManyExtensions,
            Self::UnsupportedKey => Check::CheckpointUnsupportedKey,
            Self::BadLogKey => Check::CheckpointBadLogKey,
            Self::BadLogUrl => Check::CheckpointBadLogUrl,
            Self::OriginMismatch => Check::CheckpointOriginMismatch,
            Self::BadKeyHint => Check::CheckpointBadKeyHint,
            Self::BadKeyName => Check::CheckpointBadKeyName,
            Self::NoSignatureFromLog => Check::CheckpointNoSignatureFromLog,
            Self::BadSignature => Check::CheckpointBadSignature,
            Self::RootMismatch => Check::CheckpointRootMismatch,
            Self::SizeMismatch => Check::CheckpointSizeMismatch,
        }
    }
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TooLarge => "checkpoint: note too large",
            Self::ControlCharacter => "checkpoint: control character in note",
            Self::NoBlankLine => "checkpoint: no blank line before the signatures",
            Self::NoSignatures => "checkpoint: no signature lines",
            Self::BadSignatureLine => "checkpoint: malformed signature line",
            Self::TooManySignatures => "checkpoint: too many signature lines",
            Self::BadOrigin => "checkpoint: missing or empty origin",
            Self::BadSize => "checkpoint: missing or malformed tree size",
            Self::BadRootHash => "checkpoint: missing or malformed root hash",
            Self::EmptyExtension => "checkpoint: empty extension line",
            Self::TooManyExtensions => "checkpoint: too many extension lines",
            Self::UnsupportedKey => "checkpoint: log key type cannot sign checkpoints",
            Self::BadLogKey => "checkpoint: malformed log key",
            Self::BadLogUrl => "checkpoint: log baseUrl has no usable host",
            Self::OriginMismatch => "checkpoint: origin does not name the log",
            Self::BadKeyHint => "checkpoint: signature key ID is not the log's",
            Self::BadKeyName => "checkpoint: signature key name is not the origin's host",
            Self::NoSignatureFromLog => "checkpoint: no signature from the log",
            Self::BadSignature => "checkpoint: log signature does not verify",
            Self::RootMismatch => "checkpoint: root hash differs from the inclusion proof's",
            Self::SizeMismatch => "checkpoint: tree size differs from the inclusion proof's",
        })
    }
}

/// How a log names and identifies its key in checkpoint signatures. The
/// caller takes it from the log entry (Rekor v1 or v2), never from the
/// checkpoint itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Convention {
    /// Rekor v1: origin `<hostname> - <tree ID>`, key name `<hostname>`,
    /// key ID from the SPKI hash for every key type.
    RekorV1,
    /// C2SP signed-note as Rekor v2 (rekor-tiles) signs: origin and key name
    /// are the log's host, key ID per rekor-tiles' `note.KeyHash`.
    SignedNote,
}

/// The `<hostname>` of a Rekor v1 origin `<hostname> - <tree ID>` (the
/// shape sigstore-go tests for, `.* - [0-9]+$`).
fn v1_hostname(origin: &str) -> Option<&str> {
    let (host, tree_id) = origin.rsplit_once(" - ")?;
    let digits = !tree_id.is_empty() && tree_id.bytes().all(|b| b.is_ascii_digit());
    digits.then_some(host)
}

/// A parsed checkpoint body (tlog-checkpoint §Note text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint<'a> {
    /// The origin line: the log's identity.
    pub origin: &'a str,
    /// The tree size.
    pub size: u64,
    /// The Merkle tree root hash at that size.
    pub root_hash: [u8; 32],
    /// The extension lines, each ending in a newline (empty if none).
    pub extensions: &'a str,
    /// The signed note text: every line up to and including the final
    /// newline before the blank line. Signatures are over these bytes.
    pub body: &'a str,
}

impl<'a> Checkpoint<'a> {
    /// The extension lines, without their newlines.
    pub fn extension_lines(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.extensions.split_terminator('\n')
    }
}

/// One signature line of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureLine<'a> {
    /// The key name.
    pub name: &'a str,
    /// The key ID (the first four decoded bytes), big-endian.
    pub key_hint: [u8; 4],
    /// The base64 text (key ID and signature).
    encoded: &'a str,
}

impl SignatureLine<'_> {
    /// Decodes the signature (the bytes after the key ID) into `buf`.
    pub fn signature<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], CheckpointError> {
        let bad = |_| CheckpointError::BadSignatureLine;
        let mut dec = Decoder::<Base64>::new(self.encoded.as_bytes()).map_err(bad)?;
        dec.decode(&mut [0u8; 4]).map_err(bad)?;
        let out = buf
            .get_mut(..dec.remaining_len())
            .ok_or(CheckpointError::BadSignatureLine)?;
        dec.decode(out).map_err(bad)
    }
}

/// The signature lines of a note, in order.
///
/// Made only by `open_note`, which has checked every line once.
#[derive(Debug, Clone)]
pub struct SignatureLines<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SignatureLines<'a> {
    type Item = Result<SignatureLine<'a>, CheckpointError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (line, rest) = self.rest.split_once('\n')?;
        self.rest = rest;
        Some(parse_signature_line(line))
    }
}

/// Key names are non-empty, without Unicode spaces or `+` (signed-note
/// §Format; Go's `isValidName` with `unicode.IsSpace`, the same set as
/// Rust's `char::is_whitespace`).
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

fn parse_signature_line(line: &str) -> Result<SignatureLine<'_>, CheckpointError> {
    let bad = |_| CheckpointError::BadSignatureLine;
    let rest = line
        .strip_prefix(SIG_PREFIX)
        .ok_or(CheckpointError::BadSignatureLine)?;
    let (name, encoded) = rest
        .split_once(' ')
        .ok_or(CheckpointError::BadSignatureLine)?;
    if !valid_name(name) || encoded.is_empty() {
        return Err(CheckpointError::BadSignatureLine);
    }
    // Stream the base64 through a small buffer: the whole line is checked
    // (alphabet, padding, canonical trailing bits) without allocating.
    let mut dec = Decoder::<Base64>::new(encoded.as_bytes()).map_err(bad)?;
    if dec.remaining_len() < 5 {
        return Err(CheckpointError::BadSignatureLine);
    }
    let mut key_hint = [0u8; 4];
    dec.decode(&mut key_hint).map_err(bad)?;
    let mut chunk = [0u8; 48];
    while dec.remaining_len() > 0 {
        let n = dec.remaining_len().min(chunk.len());
        let out = chunk
            .get_mut(..n)
            .ok_or(CheckpointError::BadSignatureLine)?;
        dec.decode(out).map_err(bad)?;
    }
    if !dec.is_finished() {
        return Err(CheckpointError::BadSignatureLine);
    }
    Ok(SignatureLine {
        name,
        key_hint,
        encoded,
    })
}

/// Checks 1–3: splits a signed note into its text and signature lines.
///
/// The text keeps its final newline and is what signatures cover.
pub(crate) fn open_note(note: &str) -> Result<(&str, SignatureLines<'_>), CheckpointError> {
    if note.len() > MAX_CHECKPOINT_BYTES {
        return Err(CheckpointError::TooLarge);
    }
    if note.bytes().any(|b| b < 0x20 && b != b'\n') {
        return Err(CheckpointError::ControlCharacter);
    }
    let split = note.rfind("\n\n").ok_or(CheckpointError::NoBlankLine)?;
    let (text, block) = note
        .split_at_checked(split.saturating_add(1))
        .ok_or(CheckpointError::NoBlankLine)?;
    let block = block.get(1..).unwrap_or_default();
    if !block.ends_with('\n') {
        return Err(CheckpointError::NoSignatures);
    }
    let lines = SignatureLines { rest: block };
    for (i, line) in lines.clone().enumerate() {
        if i >= MAX_CHECKPOINT_SIGNATURES {
            return Err(CheckpointError::TooManySignatures);
        }
        line?;
    }
    Ok((text, lines))
}

/// The tree size: ASCII decimal, no sign, no leading zeros but `0` itself.
fn parse_size(s: &str) -> Result<u64, CheckpointError> {
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if !canonical {
        return Err(CheckpointError::BadSize);
    }
    s.parse().map_err(|_| CheckpointError::BadSize)
}

fn parse_root_hash(s: &str) -> Result<[u8; 32], CheckpointError> {
    let mut root = [0u8; 32];
    let n = Base64::decode(s, &mut root)
        .map_err(|_| CheckpointError::BadRootHash)?
        .len();
    if n == root.len() {
        Ok(root)
    } else {
        Err(CheckpointError::BadRootHash)
    }
}

/// Check 4: parses a note text as a checkpoint (tlog-checkpoint §Note text).
fn parse_body(body: &str) -> Result<Checkpoint<'_>, CheckpointError> {
    let (origin, rest) = body.split_once('\n').ok_or(CheckpointError::BadOrigin)?;
    if origin.is_empty() {
        return Err(CheckpointError::BadOrigin);
    }
    let (size, rest) = rest.split_once('\n').ok_or(CheckpointError::BadSize)?;
    let size = parse_size(size)?;
    let (root, extensions) = rest.split_once('\n').ok_or(CheckpointError::BadRootHash)?;
    let root_hash = parse_root_hash(root)?;
    for (i, line) in extensions.split_terminator('\n').enumerate() {
        if i >= MAX_CHECKPOINT_EXTENSIONS {
            return Err(CheckpointError::TooManyExtensions);
        }
        if line.is_empty() {
            return Err(CheckpointError::EmptyExtension);
        }
    }
    Ok(Checkpoint {
        origin,
        size,
        root_hash,
        extensions,
        body,
    })
}

/// Checks 1–4: parses a signed checkpoint without verifying any signature.
pub fn parse(note: &str) -> Result<(Checkpoint<'_>, SignatureLines<'_>), CheckpointError> {
    let (text, lines) = open_note(note)?;
    Ok((parse_body(text)?, lines))
}

fn sha256_prefix(parts: &[&[u8]]) -> [u8; 4] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    let [a, b, c, d, ..]: [u8; 32] = h.finalize().into();
    [a, b, c, d]
}

/// The 4-byte key ID a log with `key` writes in its signature lines under
/// key name `name`, by `convention` (see the module documentation).
///
/// The SPKI hashed is the trusted root's `rawBytes` as given.
pub(crate) fn key_hint(
    key: &LogKey,
    convention: Convention,
    name: &str,
) -> Result<[u8; 4], CheckpointError> {
    let spki = key.der.as_slice();
    match (convention, key.details) {
        (_, KeyDetails::Unsupported | KeyDetails::Pkcs1RsaPkcs1v15Sha256) => {
            Err(CheckpointError::UnsupportedKey)
        }
        (Convention::RekorV1, _)
        | (
            Convention::SignedNote,
            KeyDetails::EcdsaP256Sha256 | KeyDetails::EcdsaP384Sha384 | KeyDetails::EcdsaP521Sha512,
        ) => Ok(sha256_prefix(&[spki])),
        (Convention::SignedNote, KeyDetails::Ed25519) => {
            let raw = key.ed25519_raw().ok_or(CheckpointError::BadLogKey)?;
            Ok(sha256_prefix(&[name.as_bytes(), b"\n", &[0x01], &raw]))
        }
        (Convention::SignedNote, KeyDetails::PkixRsaPkcs1v15Sha256) => Ok(sha256_prefix(&[
            name.as_bytes(),
            b"\n",
            &[0xff],
            RSA_NOTE_ID,
            spki,
        ])),
    }
}

/// The host of a `baseUrl`, as Go's `url.URL.Hostname` gives it (scheme,
/// user info, port and path dropped, IPv6 brackets removed), if it is a
/// valid key name.
pub(crate) fn host_of(base_url: &str) -> Option<&str> {
    host_and_port(base_url).map(|(host, _)| host)
}

/// The host of a `baseUrl` (as [`host_of`]) and its host with the port
/// (Go's `url.URL.Host`).
fn host_and_port(base_url: &str) -> Option<(&str, &str)> {
    let (_, rest) = base_url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.0,
        None => host_port.split_once(':').map_or(host_port, |(h, _)| h),
    };
    valid_name(host).then_some((host, host_port))
}

/// Verifies one signature line with the log's key over the note text.
#[inline(never)]
fn verify_line(key: &LogKey, text: &str, line: &SignatureLine<'_>) -> Result<(), CheckpointError> {
    let mut buf = [0u8; MAX_LOG_SIGNATURE_BYTES];
    let sig = line
        .signature(&mut buf)
        .map_err(|_| CheckpointError::BadSignature)?;
    key.verify(text.as_bytes(), sig).map_err(|e| match e {
        LogKeyError::UnsupportedAlgorithm => CheckpointError::UnsupportedKey,
        LogKeyError::Encoding => CheckpointError::BadLogKey,
        LogKeyError::BadSignature => CheckpointError::BadSignature,
    })
}

/// Check 6 for the signed-note convention: every line with the known key's
/// name and ID verifies, others are ignored; returns how many verified.
#[inline(never)]
fn verify_known_key(
    text: &str,
    lines: SignatureLines<'_>,
    key: &LogKey,
    name: &str,
    hint: [u8; 4],
) -> Result<usize, CheckpointError> {
    let mut verified = 0usize;
    for line in lines {
        let line = line?;
        if line.name == name && line.key_hint == hint {
            verify_line(key, text, &line)?;
            verified = verified.saturating_add(1);
        }
    }
    Ok(verified)
}

/// Checks 1–7: verifies a bundle's signed checkpoint against the trusted
/// `log` and the root hash and tree size its inclusion proof computes.
///
/// Pick `log` by the entry's `logId` first, and `convention` by the entry's
/// kind (Rekor v2 or v1); this function does not compare `logId` with the
/// key.
#[inline(never)]
pub fn verify<'a>(
    note: &'a str,
    log: &TransparencyLog,
    convention: Convention,
    root_hash: &[u8; 32],
    tree_size: u64,
) -> Result<Checkpoint<'a>, CheckpointError> {
    let (checkpoint, lines) = parse(note)?;
    let text = checkpoint.body;
    match convention {
        Convention::RekorV1 => {
            let (log_host, log_host_port) =
                host_and_port(&log.base_url).ok_or(CheckpointError::BadLogUrl)?;
            let host = v1_hostname(checkpoint.origin)
                .filter(|h| *h == log_host || *h == log_host_port)
                .ok_or(CheckpointError::OriginMismatch)?;
            // rekor's SignedNote.Verify: every line must be the log's. It
            // ignores the key name; Rekor v1 always signs with the hostname
            // it puts in the origin, so that is required too.
            let hint = key_hint(&log.key, Convention::RekorV1, host)?;
            for line in lines {
                let line = line?;
                if line.key_hint != hint {
                    return Err(CheckpointError::BadKeyHint);
                }
                if line.name != host {
                    return Err(CheckpointError::BadKeyName);
                }
                verify_line(&log.key, text, &line)?;
            }
        }
        Convention::SignedNote => {
            let host = host_of(&log.base_url).ok_or(CheckpointError::BadLogUrl)?;
            if checkpoint.origin != host {
                return Err(CheckpointError::OriginMismatch);
            }
            let hint = key_hint(&log.key, Convention::SignedNote, host)?;
            if verify_known_key(text, lines, &log.key, host, hint)? == 0 {
                return Err(CheckpointError::NoSignatureFromLog);
            }
        }
    }
    if checkpoint.root_hash != *root_hash {
        return Err(CheckpointError::RootMismatch);
    }
    if checkpoint.size != tree_size {
        return Err(CheckpointError::SizeMismatch);
    }
    Ok(checkpoint)
}

#[cfg(test)]
mod tests;
