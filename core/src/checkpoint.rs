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

use crate::limits::{MAX_CHECKPOINT_BYTES, MAX_CHECKPOINT_EXTENSIONS, MAX_CHECKPOINT_SIGNATURES};
use crate::logkey::{KeyDetails, LogKey, LogKeyError};
use crate::trust_root::TransparencyLog;

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
/// Made only by [`open_note`], which has checked every line once.
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
pub fn open_note(note: &str) -> Result<(&str, SignatureLines<'_>), CheckpointError> {
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
pub fn key_hint(
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
pub fn host_of(base_url: &str) -> Option<&str> {
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
mod tests {
    use super::*;
    use crate::trust_root::TimeRange;
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;
    use ecdsa::signature::Signer as _;

    /// DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410 §4).
    const ED25519_SPKI: [u8; 12] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    /// DER SubjectPublicKeyInfo header of an uncompressed P-256 key.
    const P256_SPKI: [u8; 26] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ];

    const HOST: &str = "log2025-test.rekor.example.dev";
    const URL: &str = "https://log2025-test.rekor.example.dev";
    const V1_ORIGIN: &str = "rekor.example.dev - 1193050959916656506";
    const V1_URL: &str = "https://rekor.example.dev";
    const ROOT: [u8; 32] = [0x5a; 32];
    const SIZE: u64 = 736;

    fn b64(bytes: &[u8]) -> String {
        let mut buf = alloc::vec![0u8; bytes.len().div_ceil(3) * 4];
        String::from(Base64::encode(bytes, &mut buf).unwrap())
    }

    fn unb64(s: &str) -> Vec<u8> {
        let mut buf = alloc::vec![0u8; s.len()];
        Base64::decode(s, &mut buf).unwrap().to_vec()
    }

    /// A signed-note verifier key `<name>+<hex id>+<base64(type || key)>`:
    /// the raw key after its type byte.
    fn vkey_raw(vkey: &str) -> Vec<u8> {
        let key = unb64(vkey.splitn(3, '+').nth(2).unwrap());
        key[1..].to_vec()
    }

    fn ed25519_log_key(raw: &[u8]) -> LogKey {
        LogKey {
            details: KeyDetails::Ed25519,
            der: [&ED25519_SPKI[..], raw].concat(),
        }
    }

    /// The test's log signer: Ed25519 or P-256, fixed keys.
    enum TestSigner {
        Ed(ed25519_dalek::SigningKey),
        P256(p256::ecdsa::SigningKey),
    }

    impl TestSigner {
        fn ed(seed: u8) -> Self {
            Self::Ed(ed25519_dalek::SigningKey::from_bytes(&[seed; 32]))
        }

        fn p256(seed: u8) -> Self {
            Self::P256(p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap())
        }

        fn key(&self) -> LogKey {
            match self {
                Self::Ed(k) => ed25519_log_key(&k.verifying_key().to_bytes()),
                Self::P256(k) => LogKey {
                    details: KeyDetails::EcdsaP256Sha256,
                    der: [
                        &P256_SPKI[..],
                        k.verifying_key().to_sec1_point(false).as_bytes(),
                    ]
                    .concat(),
                },
            }
        }

        fn sign(&self, msg: &str) -> Vec<u8> {
            match self {
                Self::Ed(k) => k.sign(msg.as_bytes()).to_bytes().to_vec(),
                Self::P256(k) => {
                    let sig: p256::ecdsa::DerSignature = k.sign(msg.as_bytes());
                    sig.as_bytes().to_vec()
                }
            }
        }

        /// A signature line over `text` under `name` with key ID `hint`.
        fn line(&self, text: &str, name: &str, hint: [u8; 4]) -> String {
            sig_line(name, hint, &self.sign(text))
        }

        /// This key's own line as the log (`name`, its `convention` ID).
        fn log_line(&self, text: &str, convention: Convention, name: &str) -> String {
            let hint = key_hint(&self.key(), convention, name).unwrap();
            self.line(text, name, hint)
        }
    }

    fn sig_line(name: &str, hint: [u8; 4], sig: &[u8]) -> String {
        format!("\u{2014} {name} {}\n", b64(&[&hint[..], sig].concat()))
    }

    fn body(origin: &str, size: u64, root: &[u8; 32], extensions: &[&str]) -> String {
        let mut s = format!("{origin}\n{size}\n{}\n", b64(root));
        for e in extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    fn note(text: &str, lines: &[String]) -> String {
        format!("{text}\n{}", lines.concat())
    }

    fn log(base_url: &str, key: LogKey) -> TransparencyLog {
        TransparencyLog {
            base_url: base_url.into(),
            key,
            valid_for: TimeRange::default(),
            log_id: Vec::new(),
        }
    }

    /// A Rekor v2-style checkpoint signed by `s`, plus `extra` lines after.
    fn v2_note(s: &TestSigner, extra: &[String]) -> String {
        let text = body(HOST, SIZE, &ROOT, &[]);
        let mut lines = alloc::vec![s.log_line(&text, Convention::SignedNote, HOST)];
        lines.extend_from_slice(extra);
        note(&text, &lines)
    }

    /// Verifies `n` as a Rekor v2 entry's checkpoint from the log at `URL`.
    fn check<'a>(n: &'a str, s: &TestSigner) -> Result<Checkpoint<'a>, CheckpointError> {
        verify(n, &log(URL, s.key()), Convention::SignedNote, &ROOT, SIZE)
    }

    /// Verifies `n` as a Rekor v1 entry's checkpoint from the log at
    /// `V1_URL`.
    fn check_v1<'a>(n: &'a str, s: &TestSigner) -> Result<Checkpoint<'a>, CheckpointError> {
        verify(n, &log(V1_URL, s.key()), Convention::RekorV1, &ROOT, SIZE)
    }

    /// The Ed25519 test log, its checkpoint text and its key ID.
    fn v2_setup() -> (TestSigner, String, [u8; 4]) {
        let s = TestSigner::ed(7);
        let hint = key_hint(&s.key(), Convention::SignedNote, HOST).unwrap();
        (s, body(HOST, SIZE, &ROOT, &[]), hint)
    }

    fn witness_line(text: &str, name: &str) -> String {
        TestSigner::ed(0xee).log_line(text, Convention::SignedNote, name)
    }

    // golang.org/x/mod/sumdb/note, note.go package documentation and
    // note_test.go (TestOpen): two Ed25519 keys and their signatures.
    const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                           then you don't know what your problem is.\n";
    const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    const ENOCH_SIG: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    #[test]
    fn go_sumdb_note_vectors() {
        let msg = format!("{GO_TEXT}\n{PETER_SIG}{ENOCH_SIG}");
        let (text, lines) = open_note(&msg).unwrap();
        assert_eq!(text, GO_TEXT);
        let lines: Vec<_> = lines.map(Result::unwrap).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].name, "PeterNeumann");
        assert_eq!(lines[0].key_hint, [0xc7, 0x4f, 0x20, 0xa3]);
        assert_eq!(lines[1].name, "EnochRoot");
        assert_eq!(lines[1].key_hint, [0xaf, 0x0c, 0xfe, 0x78]);

        let peter = ed25519_log_key(&vkey_raw(PETER_VKEY));
        let enoch = ed25519_log_key(&vkey_raw(ENOCH_VKEY));
        let peter_id = key_hint(&peter, Convention::SignedNote, "PeterNeumann").unwrap();
        let enoch_id = key_hint(&enoch, Convention::SignedNote, "EnochRoot").unwrap();
        assert_eq!(peter_id, [0xc7, 0x4f, 0x20, 0xa3]);
        assert_eq!(enoch_id, [0xaf, 0x0c, 0xfe, 0x78]);

        // Each key verifies its own line; the other line is ignored.
        let (text, lines) = open_note(&msg).unwrap();
        let known = |k: &LogKey, name: &str, id: [u8; 4]| {
            verify_known_key(text, lines.clone(), k, name, id)
        };
        assert_eq!(known(&peter, "PeterNeumann", peter_id), Ok(1));
        assert_eq!(known(&enoch, "EnochRoot", enoch_id), Ok(1));
        // Name or ID alone matching is another key: ignored.
        assert_eq!(known(&peter, "PeterNeuman", peter_id), Ok(0));
        assert_eq!(known(&peter, "PeterNeumann", enoch_id), Ok(0));
        // A known key's bad signature rejects the note.
        assert_eq!(
            known(&enoch, "PeterNeumann", peter_id),
            Err(CheckpointError::BadSignature)
        );
        let tampered = msg.replacen("answer", "Answer", 1);
        let (text, lines) = open_note(&tampered).unwrap();
        assert_eq!(
            verify_known_key(text, lines, &peter, "PeterNeumann", peter_id),
            Err(CheckpointError::BadSignature)
        );
    }

    #[test]
    fn c2sp_signed_note_example() {
        // c2sp.org/signed-note@v1.1.0 (C2SP commit d4c16da5), "Example".
        let vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
        let msg = "This is an example message.\n\n\u{2014} example.com/foo \
                   Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
        let key = ed25519_log_key(&vkey_raw(vkey));
        let id = key_hint(&key, Convention::SignedNote, "example.com/foo").unwrap();
        assert_eq!(id, [0x53, 0x0d, 0x90, 0x3a]);
        let (text, lines) = open_note(msg).unwrap();
        assert_eq!(text, "This is an example message.\n");
        assert_eq!(
            verify_known_key(text, lines, &key, "example.com/foo", id),
            Ok(1)
        );
    }

    #[test]
    fn c2sp_tlog_checkpoint_example() {
        // c2sp.org/tlog-checkpoint, the example at the top (no key given).
        let msg = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\
                   \u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
        let (cp, mut lines) = parse(msg).unwrap();
        assert_eq!(cp.origin, "example.com/behind-the-sofa");
        assert_eq!(cp.size, 20852163);
        assert_eq!(cp.root_hash[..2], [0x0a, 0xc5]);
        assert_eq!(cp.extensions, "");
        assert_eq!(v1_hostname(cp.origin), None);
        let line = lines.next().unwrap().unwrap();
        assert_eq!(line.name, "example.com/behind-the-sofa");
        assert_eq!(line.signature(&mut [0u8; 64]).unwrap().len(), 64);
        assert!(lines.next().is_none());
    }

    #[test]
    fn rekor_v1_production_key_id() {
        // The Rekor v1 production key as a signed-note verifier key of type
        // 0x02 (ECDSA, key ID = SHA-256 of the SPKI), from
        // transparency-dev/formats log/id_test.go ("rekor 1").
        let vkey = "rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=";
        let key = LogKey {
            details: KeyDetails::EcdsaP256Sha256,
            der: vkey_raw(vkey),
        };
        key.check().unwrap();
        let id = [0xc0, 0xd2, 0x3d, 0x6a];
        assert_eq!(key_hint(&key, Convention::RekorV1, "x"), Ok(id));
        assert_eq!(
            key_hint(&key, Convention::SignedNote, "rekor.sigstore.dev"),
            Ok(id)
        );
    }

    #[test]
    fn key_hint_conventions() {
        let ed = TestSigner::ed(1).key();
        let spki_id = sha256_prefix(&[&ed.der]);
        // Ed25519: v1 hashes the SPKI, signed-note the name and raw key.
        assert_eq!(key_hint(&ed, Convention::RekorV1, "a"), Ok(spki_id));
        let a = key_hint(&ed, Convention::SignedNote, "a").unwrap();
        assert_ne!(a, spki_id);
        assert_ne!(Ok(a), key_hint(&ed, Convention::SignedNote, "b"));
        // ECDSA: the SPKI hash under both, whatever the name.
        let ec = TestSigner::p256(2).key();
        let ec_id = sha256_prefix(&[&ec.der]);
        assert_eq!(key_hint(&ec, Convention::SignedNote, "a"), Ok(ec_id));
        assert_eq!(key_hint(&ec, Convention::RekorV1, "b"), Ok(ec_id));
        // RSA: rekor-tiles' 0xFF type with its identifier string.
        let rsa = LogKey {
            details: KeyDetails::PkixRsaPkcs1v15Sha256,
            der: alloc::vec![1, 2, 3],
        };
        assert_eq!(
            key_hint(&rsa, Convention::SignedNote, "n"),
            Ok(sha256_prefix(&[b"n\n\xffPKIX-RSA-PKCS#1v1.5", &[1, 2, 3]]))
        );
        assert_eq!(
            key_hint(&rsa, Convention::RekorV1, "n"),
            Ok(sha256_prefix(&[&[1, 2, 3]]))
        );
        for details in [KeyDetails::Pkcs1RsaPkcs1v15Sha256, KeyDetails::Unsupported] {
            let k = LogKey {
                details,
                der: Vec::new(),
            };
            assert_eq!(
                key_hint(&k, Convention::SignedNote, "n"),
                Err(CheckpointError::UnsupportedKey)
            );
        }
        let broken = LogKey {
            details: KeyDetails::Ed25519,
            der: alloc::vec![0x30],
        };
        assert_eq!(
            key_hint(&broken, Convention::SignedNote, "n"),
            Err(CheckpointError::BadLogKey)
        );
    }

    #[test]
    fn v2_ed25519_valid() {
        let s = TestSigner::ed(7);
        let n = v2_note(&s, &[]);
        let cp = check(&n, &s).unwrap();
        assert_eq!(cp.origin, HOST);
        assert_eq!(cp.size, SIZE);
        assert_eq!(cp.root_hash, ROOT);
        assert_eq!(cp.body, body(HOST, SIZE, &ROOT, &[]));
        // The same log key with another host is another key.
        assert_eq!(
            verify(
                &n,
                &log("https://other.example.dev", s.key()),
                Convention::SignedNote,
                &ROOT,
                SIZE
            ),
            Err(CheckpointError::OriginMismatch)
        );
    }

    #[test]
    fn v2_cosigned_lines_are_ignored() {
        let (s, text, hint) = v2_setup();
        let log_line = s.line(&text, HOST, hint);
        let w1 = witness_line(&text, "witness.example/w1");
        // A line with the log's name but another key ID (another key of the
        // same origin), and one with the log's key ID but another name.
        let same_name = TestSigner::p256(9).log_line(&text, Convention::SignedNote, HOST);
        let same_hint = sig_line("witness.example/w2", hint, &[0; 64]);
        for lines in [
            alloc::vec![log_line.clone(), w1.clone()],
            alloc::vec![w1.clone(), log_line.clone()],
            alloc::vec![log_line.clone(), same_name.clone(), w1.clone()],
            alloc::vec![same_hint.clone(), log_line.clone(), same_name.clone()],
        ] {
            assert!(check(&note(&text, &lines), &s).is_ok());
        }
        // Without the log's own line, nothing is from the log.
        for lines in [
            alloc::vec![w1.clone()],
            alloc::vec![same_name.clone()],
            alloc::vec![same_hint.clone(), w1],
        ] {
            assert_eq!(
                check(&note(&text, &lines), &s),
                Err(CheckpointError::NoSignatureFromLog)
            );
        }
    }

    #[test]
    fn v2_wrong_hint_or_name() {
        let (s, text, hint) = v2_setup();
        let mut other = hint;
        other[3] ^= 1;
        // The SPKI-hash hint of Rekor v1 is not an Ed25519 note key ID.
        let v1_hint = key_hint(&s.key(), Convention::RekorV1, HOST).unwrap();
        for line in [
            s.line(&text, HOST, other),
            s.line(&text, HOST, v1_hint),
            s.line(&text, "log2025-test.rekor.example.de", hint),
        ] {
            assert_eq!(
                check(&note(&text, &[line]), &s),
                Err(CheckpointError::NoSignatureFromLog)
            );
        }
    }

    #[test]
    fn v2_bad_signature() {
        let (s, text, hint) = v2_setup();
        let mut sig = s.sign(&text);
        sig[10] ^= 1;
        let bad = sig_line(HOST, hint, &sig);
        let good = s.line(&text, HOST, hint);
        assert_eq!(
            check(&note(&text, core::slice::from_ref(&bad)), &s),
            Err(CheckpointError::BadSignature)
        );
        // Every line from the known key must verify (signed-note
        // §Signatures), even after a good one.
        assert_eq!(
            check(&note(&text, &[good, bad]), &s),
            Err(CheckpointError::BadSignature)
        );
        // A signature of another text.
        let other = body(HOST, SIZE + 1, &ROOT, &[]);
        let n = note(&text, &[s.line(&other, HOST, hint)]);
        assert_eq!(check(&n, &s), Err(CheckpointError::BadSignature));
        // Longer than any log signature.
        let n = note(&text, &[sig_line(HOST, hint, &[0; 600])]);
        assert_eq!(check(&n, &s), Err(CheckpointError::BadSignature));
    }

    #[test]
    fn v2_p256_valid_and_cosigned() {
        let s = TestSigner::p256(0x11);
        let text = body(HOST, SIZE, &ROOT, &[]);
        let line = s.log_line(&text, Convention::SignedNote, HOST);
        assert_eq!(
            parse(&note(&text, core::slice::from_ref(&line)))
                .unwrap()
                .1
                .next()
                .unwrap()
                .unwrap()
                .key_hint,
            sha256_prefix(&[&s.key().der])
        );
        let w = witness_line(&text, "witness.example");
        assert!(check(&note(&text, &[w, line]), &s).is_ok());
        let mut sig = s.sign(&text);
        let last = sig.len() - 1;
        sig[last] ^= 1;
        let hint = key_hint(&s.key(), Convention::SignedNote, HOST).unwrap();
        let n = note(&text, &[sig_line(HOST, hint, &sig)]);
        assert_eq!(check(&n, &s), Err(CheckpointError::BadSignature));
    }

    fn v1_note(s: &TestSigner, extra: &[String]) -> String {
        let text = body(V1_ORIGIN, SIZE, &ROOT, &["Timestamp: 1689177396617352539"]);
        let mut lines = alloc::vec![s.log_line(&text, Convention::RekorV1, "rekor.example.dev")];
        lines.extend_from_slice(extra);
        note(&text, &lines)
    }

    #[test]
    fn v1_p256() {
        let s = TestSigner::p256(0x22);
        let n = v1_note(&s, &[]);
        let cp = check_v1(&n, &s).unwrap();
        assert_eq!(cp.origin, V1_ORIGIN);
        let ext: Vec<_> = cp.extension_lines().collect();
        assert_eq!(ext, ["Timestamp: 1689177396617352539"]);

        let text = cp.body;
        let hint = key_hint(&s.key(), Convention::RekorV1, "").unwrap();
        let mut other = hint;
        other[0] ^= 0x80;
        let cases = [
            (
                s.line(text, "rekor.example.dev", other),
                CheckpointError::BadKeyHint,
            ),
            (
                s.line(text, "rekor.example.de", hint),
                CheckpointError::BadKeyName,
            ),
            (
                s.line(text, "REKOR.example.dev", hint),
                CheckpointError::BadKeyName,
            ),
            (
                s.line("x\n", "rekor.example.dev", hint),
                CheckpointError::BadSignature,
            ),
        ];
        for (line, err) in cases {
            assert_eq!(check_v1(&note(text, &[line]), &s), Err(err));
        }
        // A Rekor v1 checkpoint carries only the log's signature.
        let n = v1_note(&s, &[witness_line(text, "witness.example")]);
        assert_eq!(check_v1(&n, &s), Err(CheckpointError::BadKeyHint));
        let n = v1_note(
            &s,
            &[s.log_line(text, Convention::RekorV1, "rekor.example.dev")],
        );
        assert!(check_v1(&n, &s).is_ok());
    }

    /// A Rekor v1 checkpoint with `origin`, signed under `name`.
    fn v1_note_of(s: &TestSigner, origin: &str, name: &str) -> String {
        let text = body(origin, SIZE, &ROOT, &[]);
        note(&text, &[s.log_line(&text, Convention::RekorV1, name)])
    }

    #[test]
    fn v1_origin_names_the_log() {
        let s = TestSigner::p256(0x22);
        let v1 = |n: &str, url: &str| {
            verify(n, &log(url, s.key()), Convention::RekorV1, &ROOT, SIZE).map(|_| ())
        };
        // A local Rekor v1 signs as `host:port` (sigstore-conformance's
        // intoto vectors): the baseUrl's host with or without its port.
        let local = v1_note_of(&s, "localhost:8000 - 124190645164477", "localhost:8000");
        assert_eq!(v1(&local, "http://localhost:8000"), Ok(()));
        let bare = v1_note_of(&s, "localhost - 1", "localhost");
        assert_eq!(v1(&bare, "http://localhost:8000"), Ok(()));
        // Signed by the log's key under another host: not this log's.
        let mismatch = Err(CheckpointError::OriginMismatch);
        let evil = v1_note_of(&s, "rekor.evil.dev - 1193050959916656506", "rekor.evil.dev");
        assert_eq!(v1(&evil, V1_URL), mismatch);
        assert_eq!(v1(&local, "http://localhost:8001"), mismatch);
        assert_eq!(v1(&v1_note(&s, &[]), "http://localhost:8000"), mismatch);
        // A Rekor v1 entry's checkpoint must have a v1 origin, even one
        // that would pass as a signed note.
        let plain = v1_note_of(&s, "rekor.example.dev", "rekor.example.dev");
        assert_eq!(v1(&plain, V1_URL), mismatch);
        assert_eq!(
            verify(
                &plain,
                &log(V1_URL, s.key()),
                Convention::SignedNote,
                &ROOT,
                SIZE
            )
            .map(|_| ()),
            Ok(())
        );
    }

    #[test]
    fn v2_entries_take_the_signed_note_path_only() {
        // The Rekor v2 log key signs a Rekor v1-shaped origin naming another
        // host, under that host's name and the SPKI-hash key ID: the v1 path
        // would accept it, but a v2 entry's origin must be the log's host.
        let s = TestSigner::ed(7);
        let evil = v1_note_of(&s, "log2026.rekor.evil - 1", "log2026.rekor.evil");
        assert_eq!(check(&evil, &s), Err(CheckpointError::OriginMismatch));
        assert_eq!(
            verify(
                &evil,
                &log("https://log2026.rekor.evil", s.key()),
                Convention::RekorV1,
                &ROOT,
                SIZE
            )
            .map(|_| ()),
            Ok(())
        );
        // The log's own origin with a v1 suffix is not its host either.
        let suffixed = format!("{HOST} - 1");
        let n = v1_note_of(&s, &suffixed, HOST);
        assert_eq!(check(&n, &s), Err(CheckpointError::OriginMismatch));
    }

    #[test]
    fn root_and_size_must_match_the_proof() {
        let s = TestSigner::ed(7);
        let n = v2_note(&s, &[]);
        let l = log(URL, s.key());
        let mut root = ROOT;
        root[31] ^= 1;
        let v2 = Convention::SignedNote;
        assert_eq!(
            verify(&n, &l, v2, &root, SIZE),
            Err(CheckpointError::RootMismatch)
        );
        assert_eq!(
            verify(&n, &l, v2, &ROOT, SIZE - 1),
            Err(CheckpointError::SizeMismatch)
        );
        assert_eq!(
            verify(&n, &l, v2, &ROOT, SIZE + 1),
            Err(CheckpointError::SizeMismatch)
        );
    }

    #[test]
    fn note_format() {
        let (s, text, hint) = v2_setup();
        let line = s.line(&text, HOST, hint);
        let good = note(&text, core::slice::from_ref(&line));
        assert!(check(&good, &s).is_ok());
        use CheckpointError::*;
        for (input, want) in [
            // No blank line: text and signatures run together.
            (format!("{text}{line}"), NoBlankLine),
            (String::new(), NoBlankLine),
            // The signature block is empty, or does not end in a newline.
            (format!("{text}\n"), NoSignatures),
            (String::from(good.trim_end_matches('\n')), NoSignatures),
            (format!("{good}trailing"), NoSignatures),
            // A blank line after the signatures moves the split there.
            (format!("{good}\n"), NoSignatures),
            // A trailing line that is not a signature line.
            (format!("{good}trailing\n"), BadSignatureLine),
            // Control characters.
            (good.replacen('\n', "\r\n", 1), ControlCharacter),
            (good.replacen(' ', "\t", 1), ControlCharacter),
            (format!("{good}\0"), ControlCharacter),
        ] {
            assert_eq!(parse(&input).map(|_| ()), Err(want), "{input:?}");
        }
    }

    #[test]
    fn signature_line_format() {
        let text = body(HOST, SIZE, &ROOT, &[]);
        let sig = b64(&[7u8; 68]);
        let bad = |line: &str| parse(&format!("{text}\n{line}\n")).map(|_| ()).unwrap_err();
        assert!(parse(&format!("{text}\n\u{2014} {HOST} {sig}\n")).is_ok());
        for line in [
            format!("- {HOST} {sig}"),           // ASCII hyphen
            format!("\u{2013} {HOST} {sig}"),    // EN DASH
            format!("\u{2014}{HOST} {sig}"),     // no space after the dash
            format!("\u{2014} {HOST}"),          // no signature
            format!("\u{2014} {HOST} "),         // empty signature
            format!("\u{2014}  {sig}"),          // empty name
            format!("\u{2014} a+b {sig}"),       // '+' in the name
            format!("\u{2014} a\u{a0}b {sig}"),  // Unicode space in the name
            format!("\u{2014} {HOST} {sig} x"),  // a third field
            format!("\u{2014} {HOST} {sig}="),   // bad padding
            format!("\u{2014} {HOST} AAAAAAA"),  // unpadded
            format!("\u{2014} {HOST} AAAAAA=="), // 4 bytes: key ID only
            format!("\u{2014} {HOST} AAAAAAB="), // non-canonical trailing bits
            format!("\u{2014} {HOST} AAAA!AAA"), // outside the alphabet
        ] {
            assert_eq!(bad(&line), CheckpointError::BadSignatureLine, "{line}");
        }
        // 5 bytes is the shortest line.
        assert!(parse(&format!("{text}\n\u{2014} {HOST} AAAAAAA=\n")).is_ok());
    }

    #[test]
    fn checkpoint_body_format() {
        let root = b64(&ROOT);
        let sig = format!("\u{2014} {HOST} {}\n", b64(&[7u8; 68]));
        let parsed = |text: &str| {
            parse(&format!("{text}\n{sig}")).map(|(c, _)| (c.size, String::from(c.extensions)))
        };
        for (text, size, extensions) in [
            (format!("o\n0\n{root}\n"), 0, ""),
            (format!("o\n18446744073709551615\n{root}\n"), u64::MAX, ""),
            (format!("o\n1\n{root}\na\nb c\n"), 1, "a\nb c\n"),
            // ...jxq2I= is canonical base64 (see the twin below).
            (
                String::from("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"),
                1,
                "",
            ),
        ] {
            assert_eq!(parsed(&text), Ok((size, extensions.into())), "{text:?}");
        }
        use CheckpointError::*;
        let mut bad = alloc::vec![
            // Missing lines, as in the conformance cases that drop one.
            (String::from("\n"), BadOrigin),
            (format!("\n736\n{root}\n"), BadOrigin),
            (format!("736\n{root}\n"), BadSize),
            (format!("o\n{root}\n"), BadSize),
            (String::from("o\n736\n"), BadRootHash),
            (String::from("o\n"), BadSize),
            // Non-canonical trailing bits.
            (
                String::from("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n"),
                BadRootHash
            ),
            // Extension lines must not be empty.
            (format!("o\n1\n{root}\n\nx\n"), EmptyExtension),
            (format!("o\n1\n{root}\nx\n\ny\n"), EmptyExtension),
        ];
        for size in [
            "0736",
            "00",
            "+736",
            "-1",
            " 736",
            "736 ",
            "7e2",
            "",
            "18446744073709551616",
        ] {
            bad.push((format!("o\n{size}\n{root}\n"), BadSize));
        }
        for hash in [
            b64(&[1; 31]),
            b64(&[1; 33]),
            String::from(root.trim_end_matches('=')),
            root.replace('=', "A"),
            String::from("not base64"),
            String::new(),
        ] {
            bad.push((format!("o\n1\n{hash}\n"), BadRootHash));
        }
        for (text, want) in bad {
            assert_eq!(parsed(&text), Err(want), "{text:?}");
        }
    }

    #[test]
    fn limit_note_bytes() {
        let s = TestSigner::ed(7);
        let sized = |len: usize| {
            // One extension line pads the note to `len` bytes.
            let base = v2_note(&s, &[]).len() + 1;
            let pad = "x".repeat(len - base);
            let text = body(HOST, SIZE, &ROOT, &[&pad]);
            note(&text, &[s.log_line(&text, Convention::SignedNote, HOST)])
        };
        let at = sized(MAX_CHECKPOINT_BYTES);
        assert_eq!(at.len(), MAX_CHECKPOINT_BYTES);
        assert!(check(&at, &s).is_ok());
        let over = sized(MAX_CHECKPOINT_BYTES + 1);
        assert_eq!(check(&over, &s), Err(CheckpointError::TooLarge));
    }

    #[test]
    fn limit_signature_lines() {
        let s = TestSigner::ed(7);
        let text = body(HOST, SIZE, &ROOT, &[]);
        let witnesses: Vec<String> = (0..MAX_CHECKPOINT_SIGNATURES)
            .map(|i| witness_line(&text, &format!("witness.example/{i}")))
            .collect();
        let n = v2_note(&s, &witnesses[1..]);
        assert!(check(&n, &s).is_ok());
        let n = v2_note(&s, &witnesses);
        assert_eq!(check(&n, &s), Err(CheckpointError::TooManySignatures));
    }

    #[test]
    fn limit_extension_lines() {
        let s = TestSigner::ed(7);
        let signed = |count: usize| {
            let ext: Vec<String> = (0..count).map(|i| format!("ext {i}")).collect();
            let ext: Vec<&str> = ext.iter().map(String::as_str).collect();
            let text = body(HOST, SIZE, &ROOT, &ext);
            note(&text, &[s.log_line(&text, Convention::SignedNote, HOST)])
        };
        let cp_at = signed(MAX_CHECKPOINT_EXTENSIONS);
        let cp = check(&cp_at, &s).unwrap();
        assert_eq!(cp.extension_lines().count(), MAX_CHECKPOINT_EXTENSIONS);
        let over = signed(MAX_CHECKPOINT_EXTENSIONS + 1);
        assert_eq!(check(&over, &s), Err(CheckpointError::TooManyExtensions));
    }

    #[test]
    fn log_host() {
        assert_eq!(host_of(URL), Some(HOST));
        assert_eq!(host_of("https://h.example/"), Some("h.example"));
        assert_eq!(host_of("https://h.example:8443/api?x#y"), Some("h.example"));
        assert_eq!(host_of("http://user:pw@h.example:80"), Some("h.example"));
        assert_eq!(host_of("http://[::1]:3000/"), Some("::1"));
        assert_eq!(host_of("h.example"), None);
        assert_eq!(host_of("https://"), None);
        assert_eq!(host_of("https://:443"), None);
        assert_eq!(host_of("https://a+b.example"), None);
        let s = TestSigner::ed(7);
        let n = v2_note(&s, &[]);
        assert_eq!(
            verify(
                &n,
                &log("log2025-test.rekor.example.dev", s.key()),
                Convention::SignedNote,
                &ROOT,
                SIZE
            ),
            Err(CheckpointError::BadLogUrl)
        );
        let v1 = v1_note(&TestSigner::p256(0x22), &[]);
        assert_eq!(
            verify(
                &v1,
                &log("rekor.example.dev", s.key()),
                Convention::RekorV1,
                &ROOT,
                SIZE
            ),
            Err(CheckpointError::BadLogUrl)
        );
    }

    #[test]
    fn origin_conventions() {
        for (origin, v1) in [
            ("rekor.sigstore.dev - 2605736670972794746", true),
            ("localhost:8000 - 124190645164477", true),
            (" - 0", true),
            ("a - 1 - 2", true),
            ("log2025-1.rekor.sigstore.dev", false),
            ("rekor.sigstore.dev - ", false),
            ("rekor.sigstore.dev - 12a", false),
            ("rekor.sigstore.dev-123", false),
            ("go.sum database tree", false),
        ] {
            assert_eq!(v1_hostname(origin).is_some(), v1, "{origin}");
        }
    }

    #[test]
    fn errors_display() {
        let all = [
            CheckpointError::TooLarge,
            CheckpointError::ControlCharacter,
            CheckpointError::NoBlankLine,
            CheckpointError::NoSignatures,
            CheckpointError::BadSignatureLine,
            CheckpointError::TooManySignatures,
            CheckpointError::BadOrigin,
            CheckpointError::BadSize,
            CheckpointError::BadRootHash,
            CheckpointError::EmptyExtension,
            CheckpointError::TooManyExtensions,
            CheckpointError::UnsupportedKey,
            CheckpointError::BadLogKey,
            CheckpointError::BadLogUrl,
            CheckpointError::OriginMismatch,
            CheckpointError::BadKeyHint,
            CheckpointError::BadKeyName,
            CheckpointError::NoSignatureFromLog,
            CheckpointError::BadSignature,
            CheckpointError::RootMismatch,
            CheckpointError::SizeMismatch,
        ];
        let texts: Vec<String> = all.iter().map(|e| format!("{e}")).collect();
        for (i, t) in texts.iter().enumerate() {
            assert!(t.starts_with("checkpoint: "));
            assert!(!texts[..i].contains(t), "{t}");
        }
    }
}
