//! Reading the members of signed and trusted JSON documents (bundles,
//! statements, manifests, log entries, trusted roots), each problem
//! reported as a [`Field`] and a [`Problem`].
//!
//! Rules every reader of this crate shares:
//! - a member that appears twice is [`Problem::Duplicate`] whenever it is
//!   looked up ([`super::Object::get`]), whatever value the caller wanted;
//! - a required member that is absent is [`Problem::Missing`]; `null` is a
//!   value like any other unless the reader asks for protobuf JSON's
//!   reading, where `null` means absent ([`Object::member_set`],
//!   [`Object::required_set`]);
//! - a member of the wrong JSON type is [`Problem::WrongType`];
//! - base64 members are the standard alphabet with padding
//!   ([`decode_base64`]), escapes such as `\/` decoded first.

use core::fmt;

use super::{Array, JsonError, JsonStr, Object, Value};
use crate::encoding::hex_val;

/// A JSON member that a check refers to, in a bundle, a signed statement,
/// a transparency-log entry or a trusted root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
#[allow(missing_docs)] // each variant is the member that `Field::json_name` spells
pub enum Field {
    // The bundle (`sigstore_bundle.proto`).
    MediaType,
    VerificationMaterial,
    PublicKey,
    Hint,
    RawBytes,
    X509CertificateChain,
    Certificates,
    Certificate,
    TlogEntries,
    TimestampVerificationData,
    DsseEnvelope,
    MessageSignature,
    MessageDigest,
    Signature,
    Payload,
    PayloadType,
    Signatures,
    Sig,
    Keyid,
    // The in-toto statement and the OMS predicate.
    Type,
    Subject,
    SubjectName,
    SubjectDigest,
    PredicateType,
    Predicate,
    Serialization,
    Method,
    HashType,
    ShardSize,
    AllowSymlinks,
    IgnorePaths,
    Resources,
    Name,
    Digest,
    Algorithm,
    // A transparency-log entry (`sigstore_rekor.proto`) and its body.
    TlogEntry,
    LogIndex,
    LogId,
    KeyId,
    KindVersion,
    Kind,
    Version,
    IntegratedTime,
    InclusionPromise,
    SignedEntryTimestamp,
    InclusionProof,
    ProofLogIndex,
    RootHash,
    TreeSize,
    Hashes,
    Checkpoint,
    CanonicalizedBody,
    BodyKind,
    BodyApiVersion,
    BodySpec,
    BodyDigest,
    BodySignature,
    BodyVerifier,
    BodySignatures,
    BodyPayloadHash,
    // A trusted root (`sigstore_trustroot.proto`) or client trust config.
    Document,
    TrustedRoot,
    Tlogs,
    Ctlogs,
    CertificateAuthorities,
    TimestampAuthorities,
    TrustEntry,
    BaseUrl,
    HashAlgorithm,
    KeyRawBytes,
    KeyDetails,
    ValidFor,
    Start,
    End,
    Uri,
    CertChain,
    CertChainCertificates,
    /// `certChain.certificates[i]`.
    CertChainCertificate(usize),
}

impl Field {
    /// Where the member sits, as written in JSON (for
    /// [`Field::CertChainCertificate`] without its index, which
    /// [`fmt::Display`] adds).
    pub fn json_name(self) -> &'static str {
        match self {
            Field::MediaType => "mediaType",
            Field::VerificationMaterial => "verificationMaterial",
            Field::PublicKey => "publicKey",
            Field::Hint => "hint",
            Field::RawBytes => "rawBytes",
            Field::X509CertificateChain => "x509CertificateChain",
            Field::Certificates => "certificates",
            Field::Certificate => "certificate",
            Field::TlogEntries => "tlogEntries",
            Field::TimestampVerificationData => "timestampVerificationData",
            Field::DsseEnvelope => "dsseEnvelope",
            Field::MessageSignature => "messageSignature",
            Field::MessageDigest => "messageDigest",
            Field::Signature => "signature",
            Field::Payload => "payload",
            Field::PayloadType => "payloadType",
            Field::Signatures => "signatures",
            Field::Sig => "sig",
            Field::Keyid => "keyid",
            Field::Type => "_type",
            Field::Subject => "subject",
            Field::SubjectName => "subject[0].name",
            Field::SubjectDigest => "subject[0].digest.sha256",
            Field::PredicateType => "predicateType",
            Field::Predicate => "predicate",
            Field::Serialization => "predicate.serialization",
            Field::Method => "serialization.method",
            Field::HashType => "serialization.hash_type",
            Field::ShardSize => "serialization.shard_size",
            Field::AllowSymlinks => "serialization.allow_symlinks",
            Field::IgnorePaths => "serialization.ignore_paths",
            Field::Resources => "predicate.resources",
            Field::Name => "name",
            Field::Digest => "digest",
            Field::Algorithm => "algorithm",
            Field::TlogEntry => "tlogEntries[]",
            Field::LogIndex => "logIndex",
            Field::LogId => "logId",
            Field::KeyId => "logId.keyId",
            Field::KindVersion => "kindVersion",
            Field::Kind => "kindVersion.kind",
            Field::Version => "kindVersion.version",
            Field::IntegratedTime => "integratedTime",
            Field::InclusionPromise => "inclusionPromise",
            Field::SignedEntryTimestamp => "inclusionPromise.signedEntryTimestamp",
            Field::InclusionProof => "inclusionProof",
            Field::ProofLogIndex => "inclusionProof.logIndex",
            Field::RootHash => "inclusionProof.rootHash",
            Field::TreeSize => "inclusionProof.treeSize",
            Field::Hashes => "inclusionProof.hashes",
            Field::Checkpoint => "inclusionProof.checkpoint.envelope",
            Field::CanonicalizedBody => "canonicalizedBody",
            Field::BodyKind => "canonicalizedBody kind",
            Field::BodyApiVersion => "canonicalizedBody apiVersion",
            Field::BodySpec => "canonicalizedBody spec",
            Field::BodyDigest => "canonicalizedBody digest",
            Field::BodySignature => "canonicalizedBody signature",
            Field::BodyVerifier => "canonicalizedBody verifier",
            Field::BodySignatures => "canonicalizedBody signatures",
            Field::BodyPayloadHash => "canonicalizedBody payloadHash",
            Field::Document => "the document",
            Field::TrustedRoot => "trustedRoot",
            Field::Tlogs => "tlogs",
            Field::Ctlogs => "ctlogs",
            Field::CertificateAuthorities => "certificateAuthorities",
            Field::TimestampAuthorities => "timestampAuthorities",
            Field::TrustEntry => "the entry",
            Field::BaseUrl => "baseUrl",
            Field::HashAlgorithm => "hashAlgorithm",
            Field::KeyRawBytes => "publicKey.rawBytes",
            Field::KeyDetails => "publicKey.keyDetails",
            Field::ValidFor => "validFor",
            Field::Start => "validFor.start",
            Field::End => "validFor.end",
            Field::Uri => "uri",
            Field::CertChain => "certChain",
            Field::CertChainCertificates => "certChain.certificates",
            Field::CertChainCertificate(_) => "certChain.certificates[]",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::CertChainCertificate(i) => write!(f, "certChain.certificates[{i}]"),
            other => f.write_str(other.json_name()),
        }
    }
}

/// What is wrong with a [`Field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Problem {
    /// Required but absent.
    Missing,
    /// Present with the wrong JSON type.
    WrongType,
    /// The key appears twice in its object.
    Duplicate,
    /// Not valid base64 (standard alphabet, padded).
    Base64,
    /// Longer (or with more elements) than this verifier accepts (see
    /// [`crate::limits`]).
    TooLong,
    /// Present but its value is not allowed.
    Invalid,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::Missing => "missing",
            Problem::WrongType => "has the wrong JSON type",
            Problem::Duplicate => "appears twice",
            Problem::Base64 => "is not valid base64",
            Problem::TooLong => "is too long",
            Problem::Invalid => "has an invalid value",
        })
    }
}

/// A [`Field`] and its [`Problem`]: what every reader's `Field` error
/// variant is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) field: Field,
    pub(crate) problem: Problem,
}

impl FieldError {
    pub(crate) const fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// A member's value and the [`Field`] it is, for the typed reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Member<'a> {
    pub(crate) field: Field,
    pub(crate) value: Value<'a>,
}

impl<'a> Member<'a> {
    /// `problem` with this member.
    pub(crate) fn error(self, problem: Problem) -> FieldError {
        FieldError::new(self.field, problem)
    }

    pub(crate) fn object(self) -> Result<Object<'a>, FieldError> {
        self.value
            .object()
            .map_err(|_| self.error(Problem::WrongType))
    }

    pub(crate) fn array(self) -> Result<Array<'a>, FieldError> {
        self.value
            .array()
            .map_err(|_| self.error(Problem::WrongType))
    }

    pub(crate) fn string(self) -> Result<JsonStr<'a>, FieldError> {
        self.value.str().map_err(|_| self.error(Problem::WrongType))
    }

    pub(crate) fn boolean(self) -> Result<bool, FieldError> {
        self.value
            .bool()
            .map_err(|_| self.error(Problem::WrongType))
    }
}

impl<'a> Value<'a> {
    /// This value, read as `field` (an element of an array, say).
    #[cfg(feature = "sigstore")]
    pub(crate) fn at(self, field: Field) -> Member<'a> {
        Member { field, value: self }
    }
}

impl<'a> Object<'a> {
    /// Member `key`, read as `field`; `null` is a value like any other.
    pub(crate) fn member(&self, key: &str, field: Field) -> Result<Option<Member<'a>>, FieldError> {
        match self.get(key) {
            Ok(v) => Ok(v.map(|value| Member { field, value })),
            Err(JsonError::DuplicateKey) => Err(FieldError::new(field, Problem::Duplicate)),
            // A validated document's members always read; be total anyway.
            Err(_) => Err(FieldError::new(field, Problem::Invalid)),
        }
    }

    /// [`Object::member`], with `null` read as absent (protobuf JSON).
    pub(crate) fn member_set(
        &self,
        key: &str,
        field: Field,
    ) -> Result<Option<Member<'a>>, FieldError> {
        Ok(self.member(key, field)?.filter(|m| !m.value.is_null()))
    }

    /// [`Object::member`], absent being [`Problem::Missing`].
    pub(crate) fn required(&self, key: &str, field: Field) -> Result<Member<'a>, FieldError> {
        self.member(key, field)?
            .ok_or(FieldError::new(field, Problem::Missing))
    }

    /// Members `keys` in one pass over the object (what [`Object::member`]
    /// gives for each, with the same errors: a key present twice is
    /// [`Problem::Duplicate`] of its field). For objects read by the
    /// million, such as a manifest's resources, where one lookup per key
    /// would walk every member once per key.
    #[cfg(feature = "fast-manifest")]
    pub(crate) fn pick<const N: usize>(
        &self,
        keys: [(&str, Field); N],
    ) -> [Result<Option<Member<'a>>, FieldError>; N] {
        let mut out = keys.map(|_| Ok(None));
        for m in Object::members(self) {
            let Ok((k, value)) = m else {
                // A validated document's members always read; be total anyway.
                for (slot, (_, field)) in out.iter_mut().zip(keys) {
                    *slot = Err(FieldError::new(field, Problem::Invalid));
                }
                return out;
            };
            for (slot, (key, field)) in out.iter_mut().zip(keys) {
                if k.eq_str(key) {
                    *slot = match slot {
                        Ok(None) => Ok(Some(Member { field, value })),
                        _ => Err(FieldError::new(field, Problem::Duplicate)),
                    };
                }
            }
        }
        out
    }

    /// [`Object::member_set`], absent (or `null`) being [`Problem::Missing`].
    pub(crate) fn required_set(&self, key: &str, field: Field) -> Result<Member<'a>, FieldError> {
        self.member_set(key, field)?
            .ok_or(FieldError::new(field, Problem::Missing))
    }
}

/// Decodes a base64 JSON string (standard alphabet, padded; escapes such as
/// `\/` decoded first) into `buf`, returning the bytes. `buf` must hold the
/// encoded text: it is decoded in place.
pub(crate) fn decode_base64<'b>(
    s: JsonStr<'_>,
    buf: &'b mut [u8],
    field: Field,
) -> Result<&'b [u8], FieldError> {
    let too_long = FieldError::new(field, Problem::TooLong);
    let n = if s.has_escapes() {
        let mut n = 0usize;
        for c in s.bytes() {
            *buf.get_mut(n).ok_or(too_long)? = c;
            // `n < buf.len()`: the write above just succeeded.
            n = n.saturating_add(1);
        }
        n
    } else {
        // No escape (as every signer writes base64): copy the text as is.
        let raw = s.raw().as_bytes();
        buf.get_mut(..raw.len())
            .ok_or(too_long)?
            .copy_from_slice(raw);
        raw.len()
    };
    let text = buf.get_mut(..n).ok_or(too_long)?;
    crate::encoding::base64_in_place(text).ok_or(FieldError::new(field, Problem::Base64))
}

/// Where string `s` of document `doc` lies in it: the byte range of its
/// text between the quotes.
pub(crate) fn span_in(doc: &[u8], s: JsonStr<'_>) -> Option<core::ops::Range<usize>> {
    let start = s.raw().as_ptr().addr().checked_sub(doc.as_ptr().addr())?;
    let end = start.checked_add(s.raw().len())?;
    (end <= doc.len()).then_some(start..end)
}

/// [`decode_base64`] over the string's own bytes: `text` is the text of a
/// validated JSON string (between its quotes, escapes included), decoded
/// in place. Escapes are undone first, as [`decode_base64`] does; one that
/// stands for a character outside ASCII becomes a byte that is not base64
/// (the decoding then fails either way).
pub(crate) fn decode_base64_in_place(text: &mut [u8], field: Field) -> Result<&[u8], FieldError> {
    // Signers write no escapes in base64 (it has none to write but `\/`):
    // a 22 MB payload is then decoded without the byte-by-byte unescaping
    // pass, which cost 0.32 G instructions at 10^5 files (callgrind).
    let Some(mut read) = memchr::memchr(b'\\', text) else {
        return crate::encoding::base64_in_place(text)
            .ok_or(FieldError::new(field, Problem::Base64));
    };
    // Everything before the first escape stays where it is.
    let mut written = read;
    let len = text.len();
    while read < len {
        let c = text.get(read).copied().unwrap_or(0);
        let (out, used) = if c != b'\\' {
            (c, 1)
        } else {
            match text.get(read.saturating_add(1)).copied().unwrap_or(0) {
                b'b' => (0x08, 2),
                b'f' => (0x0c, 2),
                b'n' => (b'\n', 2),
                b'r' => (b'\r', 2),
                b't' => (b'\t', 2),
                b'u' => {
                    let hex = text.get(read.saturating_add(2)..read.saturating_add(6));
                    let v = hex.and_then(|h| {
                        h.iter()
                            .try_fold(0u32, |v, &d| Some((v << 4) | u32::from(hex_val(d)?)))
                    });
                    match v.and_then(|v| u8::try_from(v).ok()).filter(u8::is_ascii) {
                        Some(b) => (b, 6),
                        None => (0xff, 6),
                    }
                }
                other => (other, 2),
            }
        };
        // `written <= read < len`: an escape never writes more than it reads.
        if let Some(slot) = text.get_mut(written) {
            *slot = out;
        }
        written = written.saturating_add(1);
        read = read.saturating_add(used);
    }
    let text = text.get_mut(..written.min(len)).unwrap_or(&mut []);
    crate::encoding::base64_in_place(text).ok_or(FieldError::new(field, Problem::Base64))
}

/// [`decode_base64`] into a new buffer of the text's size.
#[cfg(feature = "sigstore")]
pub(crate) fn decode_base64_owned(
    s: JsonStr<'_>,
    field: Field,
) -> Result<alloc::vec::Vec<u8>, FieldError> {
    let mut buf = alloc::vec![0u8; s.raw().len()];
    let n = decode_base64(s, &mut buf, field)?.len();
    buf.truncate(n);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn members_map_to_field_problems() {
        let doc = parse(br#"{"a":null,"b":"x","c":1,"b\u0000":2,"d":"e","d":"f"}"#).unwrap();
        let o = doc.object().unwrap();
        let f = Field::Name;
        assert!(o.member("a", f).unwrap().is_some());
        assert!(o.member_set("a", f).unwrap().is_none());
        assert_eq!(
            o.required_set("a", f).unwrap_err(),
            FieldError::new(f, Problem::Missing)
        );
        assert!(o.required("b", f).unwrap().string().unwrap().eq_str("x"));
        assert_eq!(
            o.required("c", f).unwrap().string().unwrap_err(),
            FieldError::new(f, Problem::WrongType)
        );
        assert_eq!(
            o.member("d", f).unwrap_err(),
            FieldError::new(f, Problem::Duplicate)
        );
        assert_eq!(
            o.required("z", f).unwrap_err(),
            FieldError::new(f, Problem::Missing)
        );
    }

    #[test]
    fn base64_in_place_with_and_without_escapes() {
        for (json, want) in [
            (&br#""aGVsbG8/Pz8=""#[..], Some(&b"hello???"[..])),
            (br#""aGVsbG8\/Pz8=""#, Some(b"hello???")),
            (br#""aGVsbG8\u002fPz8=""#, Some(b"hello???")),
            (br#""aGVsbG8\u00e9Pz8=""#, None),
            (br#""aGVsbG8""#, None),
            (br#""QQ==QUJD""#, None),
            (br#""""#, Some(b"")),
        ] {
            let doc = parse(json).unwrap();
            let s = doc.str().unwrap();
            let mut owned = json.to_vec();
            let span = span_in(json, s).unwrap();
            let got = decode_base64_in_place(&mut owned[span], Field::Payload);
            let mut buf = [0u8; 64];
            let copy = decode_base64(s, &mut buf, Field::Payload);
            assert_eq!(
                got.ok(),
                want,
                "{}",
                std::string::String::from_utf8_lossy(json)
            );
            assert_eq!(
                copy.ok(),
                want,
                "{}",
                std::string::String::from_utf8_lossy(json)
            );
        }
    }

    #[test]
    fn base64_with_escapes() {
        let v = parse(br#""aGVsbG8\/Pz8=""#).unwrap();
        let mut buf = [0u8; 32];
        assert_eq!(
            decode_base64(v.str().unwrap(), &mut buf, Field::Payload).unwrap(),
            b"hello???"
        );
        let v = parse(br#""aGVsbG8""#).unwrap();
        assert_eq!(
            decode_base64(v.str().unwrap(), &mut buf, Field::Payload),
            Err(FieldError::new(Field::Payload, Problem::Base64))
        );
        let mut tiny = [0u8; 4];
        let v = parse(br#""aGVsbG8/Pz8=""#).unwrap();
        assert_eq!(
            decode_base64(v.str().unwrap(), &mut tiny, Field::Payload),
            Err(FieldError::new(Field::Payload, Problem::TooLong))
        );
    }

    #[test]
    fn names() {
        assert_eq!(Field::Type.json_name(), "_type");
        assert_eq!(
            alloc_free_display(Field::CertChainCertificate(2)),
            "certChain.certificates[2]"
        );
    }

    fn alloc_free_display(f: Field) -> std::string::String {
        std::format!("{f}")
    }
}
