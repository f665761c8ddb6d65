//! The subjectAltName extension (RFC 5280 §4.2.1.6), read in place.
//!
//! Why not x509-cert's `SubjectAltName`: decoding it builds an owned
//! `GeneralName` for every entry, and its code was about 8 KB of the
//! Sigstore firmware's 256 KiB flash budget (issue 18), for the three
//! string choices the checks read. This reader walks the same grammar with
//! `der`'s primitives and hands each choice to the decoder x509-cert 0.3
//! uses for it (IA5String, OCTET STRING, OID, `Name`, `DirectoryString`,
//! ANY), so it accepts exactly what x509-cert did: a DER SEQUENCE OF
//! GeneralName, the choices of its `GeneralName` (no x400Address), each
//! with its tag's constructed bit, and nothing left over at any level.

use alloc::vec::Vec;

use der::asn1::{AnyRef, Ia5StringRef, ObjectIdentifier};
use der::{Decode, DecodeValue, Header, Reader, SliceReader, Tag, TagNumber};
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::DirectoryString;
use x509_cert::name::Name;

use super::EXT_SUBJECT_ALT_NAME;

/// One `GeneralName`, as far as the checks read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeneralName<'a> {
    /// `otherName`: its type and its `[0] EXPLICIT` value.
    Other(ObjectIdentifier, AnyRef<'a>),
    /// `rfc822Name`.
    Email(&'a str),
    /// `dNSName`.
    Dns(&'a str),
    /// `uniformResourceIdentifier`.
    Uri(&'a str),
    /// `directoryName`, `ediPartyName`, `iPAddress` or `registeredID`.
    Unread,
}

/// The certificate's subjectAltName entries, in order; `Ok(None)` when it
/// has none; `Err` when the extension is repeated or does not decode (as
/// x509-cert's `get_extension::<SubjectAltName>` fails).
pub(crate) fn subject_alt_names(cert: &Certificate) -> Result<Option<Vec<GeneralName<'_>>>, ()> {
    let exts = cert
        .tbs_certificate()
        .extensions()
        .map_or(&[][..], |e| e.as_slice());
    let mut found = exts.iter().filter(|e| e.extn_id == EXT_SUBJECT_ALT_NAME);
    let Some(first) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() {
        return Err(());
    }
    general_names(first.extn_value.as_bytes())
        .map(Some)
        .map_err(|_| ())
}

/// `GeneralNames ::= SEQUENCE OF GeneralName`, the whole of `der`.
fn general_names(der: &[u8]) -> der::Result<Vec<GeneralName<'_>>> {
    let mut reader = SliceReader::new(der)?;
    let names = reader.sequence(|r| {
        let mut names = Vec::new();
        while !r.is_finished() {
            names.push(general_name(r)?);
        }
        Ok::<_, der::Error>(names)
    })?;
    reader.finish()?;
    Ok(names)
}

/// For the `asn1` fuzz target: the entries of a whole `GeneralNames`, as
/// (choice number, the bytes read: the string, or the otherName's type
/// and value DER; empty for the choices not read).
#[cfg(any(test, feature = "sigstore"))]
pub fn fuzz_general_names(der: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    use der::Encode;
    let names = general_names(der).ok()?;
    names
        .iter()
        .map(|n| {
            Some(match n {
                GeneralName::Other(t, v) => (0, [t.to_der().ok()?, v.to_der().ok()?].concat()),
                GeneralName::Email(s) => (1, s.as_bytes().to_vec()),
                GeneralName::Dns(s) => (2, s.as_bytes().to_vec()),
                GeneralName::Uri(s) => (6, s.as_bytes().to_vec()),
                GeneralName::Unread => (9, Vec::new()),
            })
        })
        .collect()
}

/// One `GeneralName` CHOICE, by its tag (constructed bit included).
fn general_name<'a>(r: &mut SliceReader<'a>) -> der::Result<GeneralName<'a>> {
    let header = Header::decode(r)?;
    let Tag::ContextSpecific {
        constructed,
        number: TagNumber(n),
    } = header.tag()
    else {
        return Err(header.tag().unexpected_error(None).into());
    };
    r.read_nested(header.length(), |r| match (n, constructed) {
        // otherName [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
        (0, true) => {
            let type_id = r.decode()?;
            match explicit(r, |r| r.decode::<AnyRef<'a>>())? {
                (0, value) => Ok(GeneralName::Other(type_id, value)),
                _ => Err(context_error(0)),
            }
        }
        (1, false) => Ok(GeneralName::Email(ia5(r, header)?)),
        (2, false) => Ok(GeneralName::Dns(ia5(r, header)?)),
        // directoryName [4] EXPLICIT Name
        (4, true) => {
            let _: Name = r.decode()?;
            Ok(GeneralName::Unread)
        }
        // ediPartyName [5] IMPLICIT SEQUENCE { nameAssigner [0] EXPLICIT
        // DirectoryString OPTIONAL, partyName [1] EXPLICIT DirectoryString }
        (5, true) => {
            let directory_string = |r: &mut SliceReader<'a>| DirectoryString::decode(r).map(|_| ());
            let (mut n, ()) = explicit(r, directory_string)?;
            if n == 0 {
                (n, ()) = explicit(r, directory_string)?;
            }
            if n != 1 {
                return Err(context_error(1));
            }
            Ok(GeneralName::Unread)
        }
        (6, false) => Ok(GeneralName::Uri(ia5(r, header)?)),
        // iPAddress [7] IMPLICIT OCTET STRING: any bytes.
        (7, false) => {
            r.read_slice(header.length())?;
            Ok(GeneralName::Unread)
        }
        // registeredID [8] IMPLICIT OBJECT IDENTIFIER
        (8, false) => {
            <ObjectIdentifier>::decode_value(r, header)?;
            Ok(GeneralName::Unread)
        }
        _ => Err(header.tag().unexpected_error(None).into()),
    })
}

/// An IMPLICIT IA5String's text.
fn ia5<'a>(r: &mut SliceReader<'a>, header: Header) -> der::Result<&'a str> {
    Ia5StringRef::decode_value(r, header).map(|s| s.as_str())
}

/// An `[n] EXPLICIT` element (any `n`, returned): constructed, holding
/// exactly what `f` reads.
fn explicit<'a, T>(
    r: &mut SliceReader<'a>,
    f: impl FnOnce(&mut SliceReader<'a>) -> der::Result<T>,
) -> der::Result<(u32, T)> {
    let header = Header::decode(r)?;
    let Tag::ContextSpecific {
        constructed: true,
        number: TagNumber(n),
    } = header.tag()
    else {
        return Err(header.tag().non_canonical_error().into());
    };
    Ok((n, r.read_nested(header.length(), f)?))
}

/// A missing `[n] EXPLICIT` element.
fn context_error(n: u32) -> der::Error {
    Tag::ContextSpecific {
        constructed: true,
        number: TagNumber(n),
    }
    .value_error()
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use der::Encode;
    use der::asn1::{Ia5String, OctetString};
    use x509_cert::ext::pkix::SubjectAltName;
    use x509_cert::ext::pkix::name::{EdiPartyName, GeneralName as X509Name, OtherName};

    /// What x509-cert's `SubjectAltName` decodes `der` to, in this
    /// module's terms.
    fn reference(der: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
        let san = SubjectAltName::from_der(der).ok()?;
        Some(
            san.0
                .iter()
                .map(|n| match n {
                    X509Name::OtherName(o) => (
                        0,
                        [o.type_id.to_der().unwrap(), o.value.to_der().unwrap()].concat(),
                    ),
                    X509Name::Rfc822Name(s) => (1, s.as_bytes().to_vec()),
                    X509Name::DnsName(s) => (2, s.as_bytes().to_vec()),
                    X509Name::UniformResourceIdentifier(s) => (6, s.as_bytes().to_vec()),
                    _ => (9, Vec::new()),
                })
                .collect(),
        )
    }

    fn mine(der: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
        fuzz_general_names(der)
    }

    /// Every choice x509-cert decodes, twice where the choice has an
    /// optional part.
    fn every_choice() -> Vec<u8> {
        let name: Name = "CN=a,O=b".parse().unwrap();
        let dir = |s: &str| DirectoryString::Utf8String(s.into());
        SubjectAltName(vec![
            X509Name::OtherName(OtherName {
                type_id: ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.7"),
                value: der::Any::encode_from(&der::asn1::Utf8StringRef::new("user").unwrap())
                    .unwrap(),
            }),
            X509Name::Rfc822Name(Ia5String::new("a@example.com").unwrap()),
            X509Name::DnsName(Ia5String::new("example.com").unwrap()),
            X509Name::DirectoryName(name),
            X509Name::EdiPartyName(EdiPartyName {
                name_assigner: Some(dir("x")),
                party_name: dir("y"),
            }),
            X509Name::EdiPartyName(EdiPartyName {
                name_assigner: None,
                party_name: DirectoryString::PrintableString(
                    der::asn1::PrintableString::new("z").unwrap(),
                ),
            }),
            X509Name::UniformResourceIdentifier(Ia5String::new("https://x/y").unwrap()),
            X509Name::IpAddress(OctetString::new([127, 0, 0, 1]).unwrap()),
            X509Name::RegisteredId(ObjectIdentifier::new_unwrap("1.2.3.4")),
        ])
        .to_der()
        .unwrap()
    }

    /// The reader decodes exactly what x509-cert does: the same verdict
    /// and entries for every single-byte change (four values each) and
    /// every truncation of a SAN holding every choice.
    #[test]
    fn agrees_with_x509_cert_on_every_mutation() {
        let san = every_choice();
        assert_eq!(mine(&san), reference(&san));
        assert_eq!(mine(&san).unwrap().len(), 9);
        let mut rejected = 0;
        for at in 0..san.len() {
            for flip in [0x01, 0x20, 0x80, 0xff] {
                let mut t = san.clone();
                t[at] ^= flip;
                assert_eq!(mine(&t), reference(&t), "byte {at} ^ {flip:#04x}");
                rejected += usize::from(mine(&t).is_none());
            }
            assert_eq!(mine(&san[..at]), reference(&san[..at]), "truncated to {at}");
        }
        assert!(rejected > san.len());
    }
}
