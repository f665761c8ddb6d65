//! Step 2: a Sigstore bundle, as borrowed views. Structure only: nothing
//! here is trusted or decoded beyond what locating the parts needs.
//!
//! Checks, in order (Sigstore bundle format, `sigstore_bundle.proto`, and
//! its protobuf JSON mapping with lowerCamel member names):
//! 1. the document is at most [`MAX_BUNDLE_BYTES`] of strict JSON;
//! 2. `mediaType` is a bundle v0.1, v0.2 or v0.3 media type, in either
//!    spelling (`...bundle+json;version=0.3`, `...bundle.v0.3+json`);
//! 3. `verificationMaterial` holds exactly one of `publicKey` (with `hint`
//!    and/or `rawBytes`), `x509CertificateChain` (`certificates[].rawBytes`)
//!    or `certificate` (`rawBytes`), plus optional `tlogEntries` (array) and
//!    `timestampVerificationData` (object);
//! 4. the content is exactly one of a `dsseEnvelope` with `payload`,
//!    `payloadType` and a `signatures` array, or a `messageSignature` with
//!    `signature` and an optional `messageDigest` (not an OMS bundle, but
//!    what `verify-bundle` checks for artifacts).
//!
//! Any member the verifier reads that appears twice is rejected; unknown
//! members are ignored. `mediaType` only selects how the bundle is read: it
//! is not signed, so it never switches a check off.

use crate::error::{BundleError, Field, MaterialKind, Problem};
use crate::json::{self, Array, JsonError, JsonStr, Object, Value};
use crate::limits::MAX_BUNDLE_BYTES;

/// The bundle format version named by `mediaType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum BundleVersion {
    /// `application/vnd.dev.sigstore.bundle+json;version=0.1`
    V0_1,
    /// `application/vnd.dev.sigstore.bundle+json;version=0.2`
    V0_2,
    /// `application/vnd.dev.sigstore.bundle+json;version=0.3` or
    /// `application/vnd.dev.sigstore.bundle.v0.3+json`
    V0_3,
}

impl BundleVersion {
    fn from_media_type(m: JsonStr<'_>) -> Option<Self> {
        [
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.1",
                Self::V0_1,
            ),
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.2",
                Self::V0_2,
            ),
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.3",
                Self::V0_3,
            ),
            ("application/vnd.dev.sigstore.bundle.v0.3+json", Self::V0_3),
        ]
        .into_iter()
        .find(|(name, _)| m.eq_str(name))
        .map(|(_, v)| v)
    }
}

/// The bundle's verification material.
#[derive(Debug, Clone, Copy)]
pub enum Material<'a> {
    /// `publicKey`: a key identified out of band.
    PublicKey {
        /// `hint`, when present and non-empty.
        hint: Option<JsonStr<'a>>,
        /// `rawBytes` (base64), when present: older bundles carry the key.
        raw_bytes: Option<JsonStr<'a>>,
    },
    /// `x509CertificateChain.certificates`: leaf first.
    X509CertificateChain {
        /// The array of `{rawBytes}` objects.
        certificates: Array<'a>,
    },
    /// `certificate.rawBytes` (base64 DER).
    Certificate {
        /// The leaf certificate, base64.
        raw_bytes: JsonStr<'a>,
    },
}

impl Material<'_> {
    /// Which variant this is.
    pub fn kind(&self) -> MaterialKind {
        match self {
            Material::PublicKey { .. } => MaterialKind::PublicKey,
            Material::X509CertificateChain { .. } => MaterialKind::X509CertificateChain,
            Material::Certificate { .. } => MaterialKind::Certificate,
        }
    }
}

/// The DSSE envelope, still encoded.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// `payload`, base64.
    pub payload: JsonStr<'a>,
    /// `payloadType`.
    pub payload_type: JsonStr<'a>,
    /// `signatures`.
    pub signatures: Array<'a>,
}

/// A parsed bundle: borrowed views into the bundle's bytes.
#[derive(Debug, Clone, Copy)]
pub struct Bundle<'a> {
    /// The format version from `mediaType`.
    pub version: BundleVersion,
    /// The verification material.
    pub material: Material<'a>,
    /// `verificationMaterial.tlogEntries`, when present.
    pub tlog_entries: Option<Array<'a>>,
    /// `verificationMaterial.timestampVerificationData`, when present.
    pub timestamp_verification_data: Option<Object<'a>>,
    /// The signed content.
    pub content: Content<'a>,
}

/// What the bundle's signature covers.
#[derive(Debug, Clone, Copy)]
pub enum Content<'a> {
    /// `dsseEnvelope`: what every OMS bundle carries.
    Dsse(Envelope<'a>),
    /// `messageSignature`: a signature over an artifact's digest.
    MessageSignature(MessageSignature<'a>),
}

/// `messageSignature`, still encoded.
#[derive(Debug, Clone, Copy)]
pub struct MessageSignature<'a> {
    /// `messageDigest`, when present.
    pub digest: Option<MessageDigest<'a>>,
    /// `signature`, base64.
    pub signature: JsonStr<'a>,
}

/// `messageSignature.messageDigest`, still encoded.
#[derive(Debug, Clone, Copy)]
pub struct MessageDigest<'a> {
    /// `algorithm`, e.g. `SHA2_256`.
    pub algorithm: JsonStr<'a>,
    /// `digest`, base64.
    pub digest: JsonStr<'a>,
}

/// Looks `key` up in `obj`, mapping JSON problems to [`BundleError`]s.
fn member<'a>(obj: &Object<'a>, key: &str, field: Field) -> Result<Option<Value<'a>>, BundleError> {
    obj.get(key).map_err(|e| match e {
        JsonError::DuplicateKey => BundleError::Field {
            field,
            problem: Problem::Duplicate,
        },
        other => BundleError::Json(other),
    })
}

fn missing(field: Field) -> BundleError {
    BundleError::Field {
        field,
        problem: Problem::Missing,
    }
}

fn wrong_type(field: Field) -> BundleError {
    BundleError::Field {
        field,
        problem: Problem::WrongType,
    }
}

fn required<'a>(obj: &Object<'a>, key: &str, field: Field) -> Result<Value<'a>, BundleError> {
    member(obj, key, field)?.ok_or(missing(field))
}

fn as_object<'a>(v: Value<'a>, field: Field) -> Result<Object<'a>, BundleError> {
    v.object().map_err(|_| wrong_type(field))
}

fn as_str<'a>(v: Value<'a>, field: Field) -> Result<JsonStr<'a>, BundleError> {
    v.str().map_err(|_| wrong_type(field))
}

fn as_array<'a>(v: Value<'a>, field: Field) -> Result<Array<'a>, BundleError> {
    v.array().map_err(|_| wrong_type(field))
}

/// An optional string member: absent and `null` both read as `None`.
fn optional_str<'a>(
    obj: &Object<'a>,
    key: &str,
    field: Field,
) -> Result<Option<JsonStr<'a>>, BundleError> {
    match member(obj, key, field)? {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) => as_str(v, field).map(Some),
    }
}

impl<'a> Bundle<'a> {
    /// Parses the bundle's structure.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, BundleError> {
        if bytes.len() > MAX_BUNDLE_BYTES {
            return Err(BundleError::TooLarge);
        }
        let root = json::parse(bytes).map_err(BundleError::Json)?;
        let root = root.object().map_err(|_| BundleError::NotAnObject)?;

        let media_type = as_str(
            required(&root, "mediaType", Field::MediaType)?,
            Field::MediaType,
        )?;
        let version =
            BundleVersion::from_media_type(media_type).ok_or(BundleError::UnknownMediaType)?;

        let vm = as_object(
            required(&root, "verificationMaterial", Field::VerificationMaterial)?,
            Field::VerificationMaterial,
        )?;
        let material = Self::material(&vm)?;
        let tlog_entries = member(&vm, "tlogEntries", Field::TlogEntries)?
            .map(|v| as_array(v, Field::TlogEntries))
            .transpose()?;
        let timestamp_verification_data = member(
            &vm,
            "timestampVerificationData",
            Field::TimestampVerificationData,
        )?
        .filter(|v| !v.is_null())
        .map(|v| as_object(v, Field::TimestampVerificationData))
        .transpose()?;

        let dsse = member(&root, "dsseEnvelope", Field::DsseEnvelope)?;
        let message = member(&root, "messageSignature", Field::MessageSignature)?;
        let content = match (dsse, message) {
            (Some(_), Some(_)) => {
                return Err(BundleError::Field {
                    field: Field::MessageSignature,
                    problem: Problem::Invalid,
                });
            }
            (None, None) => return Err(missing(Field::DsseEnvelope)),
            (None, Some(msg)) => {
                let msg = as_object(msg, Field::MessageSignature)?;
                let signature = as_str(
                    required(&msg, "signature", Field::Signature)?,
                    Field::Signature,
                )?;
                // `messageDigest` is optional in the proto; a verifier
                // given the artifact hashes it itself.
                let digest = member(&msg, "messageDigest", Field::MessageDigest)?
                    .filter(|v| !v.is_null())
                    .map(|d| -> Result<_, BundleError> {
                        let d = as_object(d, Field::MessageDigest)?;
                        Ok(MessageDigest {
                            algorithm: as_str(
                                required(&d, "algorithm", Field::Algorithm)?,
                                Field::Algorithm,
                            )?,
                            digest: as_str(required(&d, "digest", Field::Digest)?, Field::Digest)?,
                        })
                    })
                    .transpose()?;
                Content::MessageSignature(MessageSignature { digest, signature })
            }
            (Some(env), None) => {
                let env = as_object(env, Field::DsseEnvelope)?;
                Content::Dsse(Envelope {
                    payload: as_str(required(&env, "payload", Field::Payload)?, Field::Payload)?,
                    payload_type: as_str(
                        required(&env, "payloadType", Field::PayloadType)?,
                        Field::PayloadType,
                    )?,
                    signatures: as_array(
                        required(&env, "signatures", Field::Signatures)?,
                        Field::Signatures,
                    )?,
                })
            }
        };
        Ok(Bundle {
            version,
            material,
            tlog_entries,
            timestamp_verification_data,
            content,
        })
    }

    fn material(vm: &Object<'a>) -> Result<Material<'a>, BundleError> {
        let pk = member(vm, "publicKey", Field::PublicKey)?;
        let chain = member(vm, "x509CertificateChain", Field::X509CertificateChain)?;
        let cert = member(vm, "certificate", Field::Certificate)?;
        match (pk, chain, cert) {
            (Some(pk), None, None) => {
                let pk = as_object(pk, Field::PublicKey)?;
                let hint = optional_str(&pk, "hint", Field::Hint)?.filter(|h| !h.is_empty());
                let raw_bytes =
                    optional_str(&pk, "rawBytes", Field::RawBytes)?.filter(|h| !h.is_empty());
                Ok(Material::PublicKey { hint, raw_bytes })
            }
            (None, Some(chain), None) => {
                let chain = as_object(chain, Field::X509CertificateChain)?;
                let certificates = as_array(
                    required(&chain, "certificates", Field::Certificates)?,
                    Field::Certificates,
                )?;
                Ok(Material::X509CertificateChain { certificates })
            }
            (None, None, Some(cert)) => {
                let cert = as_object(cert, Field::Certificate)?;
                let raw_bytes = as_str(
                    required(&cert, "rawBytes", Field::RawBytes)?,
                    Field::RawBytes,
                )?;
                Ok(Material::Certificate { raw_bytes })
            }
            _ => Err(BundleError::AmbiguousMaterial),
        }
    }

    /// The DSSE envelope; a `messageSignature` is not an OMS bundle.
    pub fn envelope(&self) -> Result<&Envelope<'a>, BundleError> {
        match &self.content {
            Content::Dsse(env) => Ok(env),
            Content::MessageSignature(_) => Err(BundleError::NotDsse),
        }
    }

    /// The material, if it is the kind `expected` (the signing method's).
    pub fn expect_material(&self, expected: MaterialKind) -> Result<Material<'a>, BundleError> {
        let found = self.material.kind();
        if found == expected {
            Ok(self.material)
        } else {
            Err(BundleError::MaterialMismatch { expected, found })
        }
    }
}

/// Decodes a base64 JSON string (standard alphabet, padded; escapes such as
/// `\/` decoded first) into `buf`, returning the bytes. `buf` must hold the
/// encoded text: it is decoded in place.
pub fn decode_base64<'b>(
    s: JsonStr<'_>,
    buf: &'b mut [u8],
    field: Field,
) -> Result<&'b [u8], BundleError> {
    let too_long = BundleError::Field {
        field,
        problem: Problem::TooLong,
    };
    let n = if s.has_escapes() {
        copy_unescaped(s, buf).ok_or(too_long)?
    } else {
        // No escape (as every signer writes base64): copy the text as is.
        let raw = s.raw().as_bytes();
        buf.get_mut(..raw.len())
            .ok_or(too_long)?
            .copy_from_slice(raw);
        raw.len()
    };
    let text = buf.get_mut(..n).ok_or(too_long)?;
    <base64ct::Base64 as base64ct::Encoding>::decode_in_place(text).map_err(|_| {
        BundleError::Field {
            field,
            problem: Problem::Base64,
        }
    })
}

/// Writes `s` unescaped into `buf`; its length, or `None` if it does not fit.
fn copy_unescaped(s: JsonStr<'_>, buf: &mut [u8]) -> Option<usize> {
    let mut n = 0usize;
    for c in s.bytes() {
        *buf.get_mut(n)? = c;
        // `n < buf.len()`: the write above just succeeded.
        n = n.saturating_add(1);
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Bundle<'_>, BundleError> {
        Bundle::parse(s.as_bytes())
    }

    const ENV: &str = r#""dsseEnvelope":{"payload":"e30=","payloadType":"t","signatures":[]}"#;

    #[test]
    fn media_types() {
        for (m, v) in [
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.1",
                BundleVersion::V0_1,
            ),
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.2",
                BundleVersion::V0_2,
            ),
            (
                "application/vnd.dev.sigstore.bundle+json;version=0.3",
                BundleVersion::V0_3,
            ),
            (
                "application/vnd.dev.sigstore.bundle.v0.3+json",
                BundleVersion::V0_3,
            ),
            (
                r"application\/vnd.dev.sigstore.bundle.v0.3+json",
                BundleVersion::V0_3,
            ),
        ] {
            let doc = std::format!(
                r#"{{"mediaType":"{m}","verificationMaterial":{{"publicKey":{{"hint":"ab"}}}},{ENV}}}"#
            );
            assert_eq!(parse(&doc).unwrap().version, v, "{m}");
        }
        for m in [
            "application/json",
            "application/vnd.dev.sigstore.bundle+json;version=0.4",
            "application/vnd.dev.sigstore.bundle.v0.4+json",
            "application/vnd.dev.sigstore.bundle.v0.3+json ",
        ] {
            let doc = std::format!(
                r#"{{"mediaType":"{m}","verificationMaterial":{{"publicKey":{{}}}},{ENV}}}"#
            );
            assert_eq!(
                parse(&doc).unwrap_err(),
                BundleError::UnknownMediaType,
                "{m}"
            );
        }
    }

    #[test]
    fn material_variants_and_shapes() {
        let mt = r#""mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json""#;
        let ok = |vm: &str| {
            let doc = std::format!(r#"{{{mt},"verificationMaterial":{vm},{ENV}}}"#);
            Bundle::parse(std::boxed::Box::leak(doc.into_boxed_str()).as_bytes())
                .map(|b| b.material.kind())
        };
        assert_eq!(
            ok(r#"{"publicKey":{"hint":"ab"},"tlogEntries":[]}"#),
            Ok(MaterialKind::PublicKey)
        );
        assert_eq!(
            ok(r#"{"publicKey":{"rawBytes":"YQ==","keyDetails":"X"}}"#),
            Ok(MaterialKind::PublicKey)
        );
        assert_eq!(
            ok(r#"{"x509CertificateChain":{"certificates":[{"rawBytes":"YQ=="}]}}"#),
            Ok(MaterialKind::X509CertificateChain)
        );
        assert_eq!(
            ok(
                r#"{"certificate":{"rawBytes":"YQ=="},"tlogEntries":[{}],"timestampVerificationData":{}}"#
            ),
            Ok(MaterialKind::Certificate)
        );
        assert_eq!(ok(r#"{}"#), Err(BundleError::AmbiguousMaterial));
        assert_eq!(
            ok(r#"{"publicKey":{},"certificate":{"rawBytes":""}}"#),
            Err(BundleError::AmbiguousMaterial)
        );
        assert_eq!(
            ok(r#"{"publicKey":{"hint":1}}"#),
            Err(BundleError::Field {
                field: Field::Hint,
                problem: Problem::WrongType
            })
        );
        assert_eq!(
            ok(r#"{"publicKey":{},"tlogEntries":{}}"#),
            Err(BundleError::Field {
                field: Field::TlogEntries,
                problem: Problem::WrongType
            })
        );
        assert_eq!(
            ok(r#"{"publicKey":{"hint":"a","h\u0069nt":"b"}}"#),
            Err(BundleError::Field {
                field: Field::Hint,
                problem: Problem::Duplicate
            })
        );
    }

    #[test]
    fn content_is_dsse_or_message_signature() {
        let head = r#""mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}}"#;
        let doc = std::format!(r#"{{{head}}}"#);
        assert_eq!(parse(&doc).unwrap_err(), missing(Field::DsseEnvelope));
        let doc = std::format!(r#"{{{head},"messageSignature":{{}}}}"#);
        assert_eq!(parse(&doc).unwrap_err(), missing(Field::Signature));
        let doc = std::format!(r#"{{{head},"messageSignature":{{"signature":"YQ=="}}}}"#);
        assert_eq!(
            parse(&doc).unwrap().envelope().unwrap_err(),
            BundleError::NotDsse
        );
        let doc = std::format!(
            r#"{{{head},"messageSignature":{{"signature":"YQ==","messageDigest":{{"algorithm":"SHA2_256","digest":"YQ=="}}}}}}"#
        );
        let b = parse(&doc).unwrap();
        let Content::MessageSignature(m) = b.content else {
            panic!()
        };
        assert!(m.digest.unwrap().algorithm.eq_str("SHA2_256"));
        let doc = std::format!(r#"{{{head},"dsseEnvelope":{{"payload":"","signatures":[]}}}}"#);
        assert_eq!(parse(&doc).unwrap_err(), missing(Field::PayloadType));
        assert_eq!(parse("[]").unwrap_err(), BundleError::NotAnObject);
        assert_eq!(parse("").unwrap_err(), BundleError::Json(JsonError::Empty));
    }

    #[test]
    fn base64_with_escapes() {
        let v = json::parse(br#""aGVsbG8\/Pz8=""#).unwrap();
        let mut buf = [0u8; 32];
        assert_eq!(
            decode_base64(v.str().unwrap(), &mut buf, Field::Payload).unwrap(),
            b"hello???"
        );
        let v = json::parse(br#""aGVsbG8""#).unwrap();
        assert!(decode_base64(v.str().unwrap(), &mut buf, Field::Payload).is_err());
        let mut tiny = [0u8; 4];
        let v = json::parse(br#""aGVsbG8/Pz8=""#).unwrap();
        assert!(decode_base64(v.str().unwrap(), &mut tiny, Field::Payload).is_err());
    }
}
