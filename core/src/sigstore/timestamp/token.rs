//! The RFC 3161 token's CMS layers (RFC 5652 §3, §5.1–§5.3), read in
//! place from the DER.
//!
//! Why not the `cms` crate: its derived decoders build owned copies of
//! every structure (certificates and CRLs included) and, linked into the
//! Sigstore firmware, were about 40 KB of its 256 KiB flash budget
//! (issue 18). This reader walks the same grammar with `der`'s own
//! primitives (`Header`, `Tag`, `SliceReader`, nested readers that refuse
//! trailing data) and hands the leaves to the same decoders the `cms`
//! types used (`der`'s INTEGER/OID/OCTET STRING/ANY, `spki`'s
//! AlgorithmIdentifier, x509-cert's `Certificate`, `Name`, `SerialNumber`
//! and `CertificateList`), so it accepts exactly what `cms` 0.3 did: DER
//! only (definite, minimal lengths), the same CHOICE tags, IMPLICIT tags
//! with the base type's constructed bit, CMSVersion 0–5, and no byte left
//! over at any level. Like `cms` (whose SET OF decoding sorts), it reads
//! the SET OF elements in any order; the signed attributes are re-encoded
//! in DER order, values too, as `cms` re-encoded them.

use alloc::vec::Vec;

use der::asn1::{AnyRef, IntRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, DecodeValue, Encode, Header, Reader, SliceReader, Tag, TagNumber, Tagged};
use spki::AlgorithmIdentifierRef;
use x509_cert::Certificate;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

/// `SignerIdentifier` (RFC 5652 §5.3).
#[derive(Debug)]
pub(super) enum Sid<'a> {
    /// `issuerAndSerialNumber`.
    IssuerAndSerial(Name, SerialNumber),
    /// `[0] IMPLICIT SubjectKeyIdentifier`: the key identifier's bytes.
    KeyId(&'a [u8]),
}

/// One signed attribute: its type, its values' DER (each one element) in
/// DER order, and its DER with the values in that order.
#[derive(Debug)]
pub(super) struct Attribute<'a> {
    pub oid: ObjectIdentifier,
    pub values: Vec<&'a [u8]>,
    encoded: Vec<u8>,
}

/// The one `SignerInfo` the checks read.
#[derive(Debug)]
pub(super) struct SignerInfo<'a> {
    pub version: u8,
    pub sid: Sid<'a>,
    pub digest_alg: AlgorithmIdentifierRef<'a>,
    /// In the token's order (DER order in [`SignerInfo::signed_attrs_der`]).
    pub signed_attrs: Option<Vec<Attribute<'a>>>,
    pub signature_algorithm: AlgorithmIdentifierRef<'a>,
    pub signature: &'a [u8],
}

/// `CertificateChoices`: a certificate, or another format (`[3]`).
#[derive(Debug, Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "held in a Vec on the heap; most tokens have no other format"
)]
pub(super) enum CertificateChoice {
    Certificate(Certificate),
    Other,
}

/// The `SignedData` fields the checks read (the CRLs and unsigned
/// attributes are decoded, then dropped).
#[derive(Debug)]
pub(super) struct SignedData<'a> {
    pub version: u8,
    pub digest_algorithms: Vec<AlgorithmIdentifierRef<'a>>,
    pub econtent_type: ObjectIdentifier,
    /// `eContent`: the `[0] EXPLICIT` element, any type.
    pub econtent: Option<AnyRef<'a>>,
    pub certificates: Option<Vec<CertificateChoice>>,
    pub signer_infos: Vec<SignerInfo<'a>>,
}

/// `SignedData` from a `ContentInfo`'s `content` (as `cms`'s
/// `Any::decode_as` read it: a SEQUENCE, nothing after its fields).
pub(super) fn signed_data(content: AnyRef<'_>) -> der::Result<SignedData<'_>> {
    content.tag().assert_eq(Tag::Sequence)?;
    let mut reader = SliceReader::new(content.value())?;
    let r = &mut reader;
    let version = cms_version(r)?;
    let digest_algorithms = set_of(r, |r| r.decode())?;
    let (econtent_type, econtent) = r.sequence(|r| {
        let oid = r.decode()?;
        let content = explicit_any(r, 0)?;
        Ok::<_, der::Error>((oid, content))
    })?;
    let certificates = implicit_set(r, 0, certificate_choice)?;
    implicit_set(r, 1, revocation_choice)?;
    let signer_infos = set_of(r, signer_info)?;
    reader.finish()?;
    Ok(SignedData {
        version,
        digest_algorithms,
        econtent_type,
        econtent,
        certificates,
        signer_infos,
    })
}

/// `CMSVersion ::= INTEGER { v0(0) .. v5(5) }`.
fn cms_version(r: &mut SliceReader<'_>) -> der::Result<u8> {
    let v: u8 = r.decode()?;
    if v > 5 {
        return Err(Tag::Integer.value_error().into());
    }
    Ok(v)
}

/// A SET OF's elements, each read by `f` until the value ends.
fn set_of<'a, T>(
    r: &mut SliceReader<'a>,
    f: impl Fn(&mut SliceReader<'a>) -> der::Result<T>,
) -> der::Result<Vec<T>> {
    let header = Header::decode(r)?;
    header.tag().assert_eq(Tag::Set)?;
    elements(r, header, f)
}

fn elements<'a, T>(
    r: &mut SliceReader<'a>,
    header: Header,
    f: impl Fn(&mut SliceReader<'a>) -> der::Result<T>,
) -> der::Result<Vec<T>> {
    r.read_nested(header.length(), |r| {
        let mut out = Vec::new();
        while !r.is_finished() {
            out.push(f(r)?);
        }
        Ok(out)
    })
}

/// An OPTIONAL `[n] IMPLICIT SET OF`: absent unless the next tag is
/// context-specific `n`; then it must be constructed, as a SET is.
fn implicit_set<'a, T>(
    r: &mut SliceReader<'a>,
    n: u8,
    f: impl Fn(&mut SliceReader<'a>) -> der::Result<T>,
) -> der::Result<Option<Vec<T>>> {
    if !peek_context(r, n)? {
        return Ok(None);
    }
    let header = Header::decode(r)?;
    if !header.tag().is_constructed() {
        return Err(header.tag().non_canonical_error().into());
    }
    elements(r, header, f).map(Some)
}

/// Whether the next element is context-specific `[n]` (either form).
fn peek_context(r: &mut SliceReader<'_>, n: u8) -> der::Result<bool> {
    if r.is_finished() {
        return Ok(false);
    }
    Ok(
        matches!(Tag::peek(r)?, Tag::ContextSpecific { number, .. } if number == TagNumber(n.into())),
    )
}

/// An OPTIONAL `[n] EXPLICIT ANY`: constructed, holding exactly one
/// element.
fn explicit_any<'a>(r: &mut SliceReader<'a>, n: u8) -> der::Result<Option<AnyRef<'a>>> {
    if !peek_context(r, n)? {
        return Ok(None);
    }
    let header = Header::decode(r)?;
    if !header.tag().is_constructed() {
        return Err(header.tag().non_canonical_error().into());
    }
    r.read_nested(header.length(), |r| r.decode()).map(Some)
}

/// `CertificateChoices`: `certificate`, or `other [3] IMPLICIT
/// OtherCertificateFormat` (a SEQUENCE of an OID and any value). The
/// obsolete and attribute-certificate choices are refused, as by `cms`.
fn certificate_choice(r: &mut SliceReader<'_>) -> der::Result<CertificateChoice> {
    match Tag::peek(r)? {
        Tag::Sequence => Ok(CertificateChoice::Certificate(r.decode()?)),
        Tag::ContextSpecific {
            constructed: true,
            number: TagNumber(3),
        } => {
            let header = Header::decode(r)?;
            r.read_nested(header.length(), |r| {
                let _: ObjectIdentifier = r.decode()?;
                let _: AnyRef<'_> = r.decode()?;
                Ok(CertificateChoice::Other)
            })
        }
        tag => Err(tag.unexpected_error(None).into()),
    }
}

/// `RevocationInfoChoice`: a `CertificateList`, or `other [1] IMPLICIT
/// OtherRevocationInfoFormat` (an AlgorithmIdentifier and any value).
/// Only validated: no check reads a CRL.
fn revocation_choice(r: &mut SliceReader<'_>) -> der::Result<()> {
    match Tag::peek(r)? {
        Tag::Sequence => certificate_list(r),
        Tag::ContextSpecific {
            constructed: true,
            number: TagNumber(1),
        } => {
            let header = Header::decode(r)?;
            r.read_nested(header.length(), |r| {
                let _: AlgorithmIdentifierRef<'_> = r.decode()?;
                let _: AnyRef<'_> = r.decode()?;
                Ok(())
            })
        }
        tag => Err(tag.unexpected_error(None).into()),
    }
}

/// `CertificateList` (RFC 5280 §5.1) as x509-cert 0.3 decodes it (its
/// derived decoder was about 3 KB more in firmware): every field with
/// the decoder x509-cert uses for it, the version required (x509-cert's
/// `TbsCertList` has it as a plain `Version`), nothing kept.
pub(super) fn certificate_list(r: &mut SliceReader<'_>) -> der::Result<()> {
    use x509_cert::certificate::Version;
    use x509_cert::ext::Extensions;
    use x509_cert::time::Time;
    r.sequence(|r| {
        r.sequence(|r| {
            let _: Version = r.decode()?;
            let _: spki::AlgorithmIdentifierOwned = r.decode()?;
            let _: Name = r.decode()?;
            let _: Time = r.decode()?;
            let _: Option<Time> = r.decode()?;
            // revokedCertificates SEQUENCE OF SEQUENCE { userCertificate,
            // revocationDate, crlEntryExtensions OPTIONAL } OPTIONAL
            if !r.is_finished() && Tag::peek(r)? == Tag::Sequence {
                r.sequence(|r| {
                    while !r.is_finished() {
                        r.sequence(|r| {
                            let _: SerialNumber = r.decode()?;
                            let _: Time = r.decode()?;
                            let _: Option<Extensions> = r.decode()?;
                            Ok::<_, der::Error>(())
                        })?;
                    }
                    Ok::<_, der::Error>(())
                })?;
            }
            // crlExtensions [0] EXPLICIT Extensions OPTIONAL
            if peek_context(r, 0)? {
                let header = Header::decode(r)?;
                if !header.tag().is_constructed() {
                    return Err(header.tag().non_canonical_error().into());
                }
                r.read_nested(header.length(), |r| r.decode::<Extensions>())?;
            }
            Ok::<_, der::Error>(())
        })?;
        let _: spki::AlgorithmIdentifierOwned = r.decode()?;
        let _: der::asn1::BitString = r.decode()?;
        Ok(())
    })
}

/// `SignerInfo` (RFC 5652 §5.3).
fn signer_info<'a>(r: &mut SliceReader<'a>) -> der::Result<SignerInfo<'a>> {
    r.sequence(|r| {
        let version = cms_version(r)?;
        let sid = match Tag::peek(r)? {
            Tag::Sequence => r.sequence(|r| {
                let issuer = r.decode()?;
                let serial = r.decode()?;
                Ok::<_, der::Error>(Sid::IssuerAndSerial(issuer, serial))
            })?,
            Tag::ContextSpecific {
                constructed: false,
                number: TagNumber(0),
            } => {
                let header = Header::decode(r)?;
                Sid::KeyId(r.read_slice(header.length())?)
            }
            tag => return Err(tag.unexpected_error(None).into()),
        };
        let digest_alg = r.decode()?;
        let signed_attrs = implicit_set(r, 0, attribute)?;
        let signature_algorithm = r.decode()?;
        let signature = <&OctetStringRef>::decode(r)?.as_bytes();
        implicit_set(r, 1, attribute)?;
        Ok(SignerInfo {
            version,
            sid,
            digest_alg,
            signed_attrs,
            signature_algorithm,
            signature,
        })
    })
}

/// `Attribute ::= SEQUENCE { attrType OID, attrValues SET OF ANY }`.
pub(super) fn attribute<'a>(r: &mut SliceReader<'a>) -> der::Result<Attribute<'a>> {
    let tlv = r.tlv_bytes()?;
    let mut a = SliceReader::new(tlv)?;
    let (oid, set_len, mut values) = a.sequence(|r| {
        let oid = r.decode()?;
        let set = Header::decode(r)?;
        set.tag().assert_eq(Tag::Set)?;
        let values = r.read_nested(set.length(), |r| {
            let mut values = Vec::new();
            while !r.is_finished() {
                let value = r.tlv_bytes()?;
                // Each value is one element (as an ANY decodes it).
                AnyRef::from_der(value)?;
                values.push(value);
            }
            Ok::<_, der::Error>(values)
        })?;
        Ok::<_, der::Error>((oid, usize::try_from(set.length())?, values))
    })?;
    a.finish()?;
    // X.690 §11.6: a SET OF's elements in the order of their encodings
    // (DER input: each re-encodes to the bytes it was read from).
    values.sort_unstable();
    let head = tlv
        .get(..tlv.len().saturating_sub(set_len))
        .ok_or_else(|| Tag::Sequence.length_error())?;
    let mut encoded = head.to_vec();
    for v in &values {
        encoded.extend_from_slice(v);
    }
    Ok(Attribute {
        oid,
        values,
        encoded,
    })
}

impl SignerInfo<'_> {
    /// The signed attributes' DER as a SET OF (RFC 5652 §5.4: what the
    /// signature covers), elements in DER order.
    pub(super) fn signed_attrs_der(&self) -> Option<Vec<u8>> {
        let mut attrs: Vec<&[u8]> = self
            .signed_attrs
            .as_ref()?
            .iter()
            .map(|a| a.encoded.as_slice())
            .collect();
        // The same order as the values' (one sort for both: flash).
        attrs.sort_unstable();
        let len = attrs
            .iter()
            .map(|a| a.len())
            .try_fold(0usize, usize::checked_add)?;
        let mut out = Vec::with_capacity(len.saturating_add(6));
        Header::new(Tag::Set, der::Length::try_from(len).ok()?)
            .encode_to_vec(&mut out)
            .ok()?;
        for a in attrs {
            out.extend_from_slice(a);
        }
        Some(out)
    }
}

/// The `TSTInfo` fields the checks read.
#[derive(Debug)]
pub(super) struct TstInfo<'a> {
    pub version: u8,
    /// messageImprint.hashAlgorithm.
    pub hash_algorithm: AlgorithmIdentifierRef<'a>,
    /// messageImprint.hashedMessage.
    pub hashed_message: &'a [u8],
    /// genTime as read, any tag (the caller requires a GeneralizedTime:
    /// der's type has no fractions).
    pub gen_time: AnyRef<'a>,
}

/// `TSTInfo` (RFC 3161 §2.4.2), the whole of `der`: every field decoded
/// (so that the structure is validated in full), the ones the checks
/// read kept. `tsa [0] EXPLICIT GeneralName` is read as ANY, as the
/// derived decoder this replaces read it.
pub(super) fn tst_info(der: &[u8]) -> der::Result<TstInfo<'_>> {
    let mut reader = SliceReader::new(der)?;
    let info = reader.sequence(|r| {
        let version = r.decode()?;
        let _policy: ObjectIdentifier = r.decode()?;
        let (hash_algorithm, hashed_message) = r.sequence(|r| {
            let alg = r.decode()?;
            let hashed = <&OctetStringRef>::decode(r)?.as_bytes();
            Ok::<_, der::Error>((alg, hashed))
        })?;
        let _serial_number: IntRef<'_> = r.decode()?;
        let gen_time = r.decode()?;
        // accuracy Accuracy OPTIONAL
        if !r.is_finished() && Tag::peek(r)? == Tag::Sequence {
            r.sequence(|r| {
                let _seconds: Option<u64> = r.decode()?;
                implicit_u16(r, 0)?;
                implicit_u16(r, 1)?;
                Ok::<_, der::Error>(())
            })?;
        }
        // ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL
        let _ordering: Option<bool> = r.decode()?;
        let _nonce: Option<IntRef<'_>> = r.decode()?;
        explicit_any(r, 0)?;
        implicit_set(r, 1, |r| r.decode::<x509_cert::ext::Extension>())?;
        Ok::<_, der::Error>(TstInfo {
            version,
            hash_algorithm,
            hashed_message,
            gen_time,
        })
    })?;
    reader.finish()?;
    Ok(info)
}

/// An OPTIONAL `[n] IMPLICIT INTEGER (0..65535)` (Accuracy's millis and
/// micros): primitive, as an INTEGER is.
fn implicit_u16(r: &mut SliceReader<'_>, n: u8) -> der::Result<Option<u16>> {
    if !peek_context(r, n)? {
        return Ok(None);
    }
    let header = Header::decode(r)?;
    if header.tag().is_constructed() {
        return Err(header.tag().non_canonical_error().into());
    }
    r.read_nested(header.length(), |r| u16::decode_value(r, header))
        .map(Some)
}
