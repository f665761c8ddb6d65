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

use core::fmt;

use crate::check::Check;
use crate::json::{self, Array, Field, FieldError, JsonError, JsonStr, Object, Problem};
use crate::limits::MAX_BUNDLE_BYTES;

/// Why a bundle's structure was refused (step 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum BundleError {
    /// Larger than [`crate::limits::MAX_BUNDLE_BYTES`].
    TooLarge,
    /// Not a JSON document.
    Json(JsonError),
    /// The top level is not a JSON object.
    NotAnObject,
    /// A member is missing, mistyped, duplicated or invalid.
    Field {
        /// Which member.
        field: Field,
        /// What is wrong with it.
        problem: Problem,
    },
    /// `mediaType` is not a Sigstore bundle v0.1, v0.2 or v0.3 media type.
    UnknownMediaType,
    /// `verificationMaterial` holds none, or more than one, of `publicKey`,
    /// `x509CertificateChain` and `certificate`.
    AmbiguousMaterial,
    /// The bundle carries a `messageSignature` instead of a DSSE envelope:
    /// an OMS bundle always signs an in-toto statement.
    NotDsse,
    /// The verification material is not the one the method needs.
    MaterialMismatch {
        /// What the chosen method needs.
        expected: MaterialKind,
        /// What the bundle holds.
        found: MaterialKind,
    },
}

impl From<FieldError> for BundleError {
    fn from(e: FieldError) -> Self {
        BundleError::Field {
            field: e.field,
            problem: e.problem,
        }
    }
}

impl BundleError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            BundleError::TooLarge => Check::BundleTooLarge,
            BundleError::Json(j) => json_check(*j),
            BundleError::NotAnObject => Check::BundleNotAnObject,
            BundleError::Field { problem, .. } => match problem {
                Problem::Missing => Check::BundleFieldMissing,
                Problem::WrongType => Check::BundleFieldWrongType,
                Problem::Duplicate => Check::BundleFieldDuplicate,
                Problem::Base64 => Check::BundleFieldBase64,
                Problem::TooLong => Check::BundleFieldTooLong,
                Problem::Invalid => Check::BundleFieldInvalid,
            },
            BundleError::UnknownMediaType => Check::BundleUnknownMediaType,
            BundleError::AmbiguousMaterial => Check::BundleAmbiguousMaterial,
            BundleError::NotDsse => Check::BundleNotDsse,
            BundleError::MaterialMismatch { .. } => Check::BundleMaterialMismatch,
        }
    }

    /// The member the error is about, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            BundleError::Field { field, .. } => Some(*field),
            _ => None,
        }
    }
}

fn json_check(e: JsonError) -> Check {
    match e {
        JsonError::Empty => Check::BundleJsonEmpty,
        JsonError::NotUtf8 => Check::BundleJsonNotUtf8,
        JsonError::UnexpectedEnd => Check::BundleJsonUnexpectedEnd,
        JsonError::UnexpectedByte { .. } => Check::BundleJsonUnexpectedByte,
        JsonError::InvalidEscape { .. } => Check::BundleJsonInvalidEscape,
        JsonError::ControlCharacter { .. } => Check::BundleJsonControlCharacter,
        JsonError::InvalidNumber { .. } => Check::BundleJsonInvalidNumber,
        JsonError::TooDeep => Check::BundleJsonTooDeep,
        JsonError::TrailingData => Check::BundleJsonTrailingData,
        JsonError::WrongType => Check::BundleJsonWrongType,
        JsonError::DuplicateKey => Check::BundleJsonDuplicateKey,
        JsonError::StringTooLong => Check::BundleJsonStringTooLong,
    }
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::TooLarge => f.write_str("bundle: larger than the size limit"),
            BundleError::Json(j) => write!(f, "bundle: invalid JSON ({j})"),
            BundleError::NotAnObject => f.write_str("bundle: not a JSON object"),
            BundleError::Field { field, problem } => write!(f, "bundle: `{field}` {problem}"),
            BundleError::UnknownMediaType => {
                f.write_str("bundle: mediaType is not a Sigstore bundle v0.1-v0.3 media type")
            }
            BundleError::AmbiguousMaterial => f.write_str(
                "bundle: verificationMaterial must hold exactly one of publicKey, x509CertificateChain, certificate",
            ),
            BundleError::NotDsse => {
                f.write_str("bundle: holds a messageSignature, not a DSSE envelope")
            }
            BundleError::MaterialMismatch { expected, found } => write!(
                f,
                "bundle: signed with the {} method (verificationMaterial has {:?}), not the {} method",
                found.method(),
                found,
                expected.method()
            ),
        }
    }
}

/// The verification material a bundle carries (or a method expects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum MaterialKind {
    /// `publicKey` (the `key` method).
    PublicKey,
    /// `x509CertificateChain` (the `certificate` method).
    X509CertificateChain,
    /// `certificate` (the `sigstore` method).
    Certificate,
}

impl MaterialKind {
    /// The signing method that uses this material.
    pub fn method(self) -> &'static str {
        match self {
            MaterialKind::PublicKey => "key",
            MaterialKind::X509CertificateChain => "certificate",
            MaterialKind::Certificate => "sigstore",
        }
    }

    /// The member's name in `verificationMaterial`.
    pub fn json_name(self) -> &'static str {
        match self {
            MaterialKind::PublicKey => "publicKey",
            MaterialKind::X509CertificateChain => "x509CertificateChain",
            MaterialKind::Certificate => "certificate",
        }
    }
}

/// The bundle format version named by `mediaType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
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

impl<'a> Bundle<'a> {
    /// Parses the bundle's structure.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, BundleError> {
        if bytes.len() > MAX_BUNDLE_BYTES {
            return Err(BundleError::TooLarge);
        }
        let root = json::parse(bytes).map_err(BundleError::Json)?;
        let root = root.object().map_err(|_| BundleError::NotAnObject)?;

        // 2. mediaType.
        let media_type = root.required("mediaType", Field::MediaType)?.string()?;
        let version =
            BundleVersion::from_media_type(media_type).ok_or(BundleError::UnknownMediaType)?;

        // 3. verificationMaterial.
        let vm = root
            .required("verificationMaterial", Field::VerificationMaterial)?
            .object()?;
        let material = Self::material(&vm)?;
        let tlog_entries = vm
            .member("tlogEntries", Field::TlogEntries)?
            .map(|m| m.array())
            .transpose()?;
        let timestamp_verification_data = vm
            .member_set(
                "timestampVerificationData",
                Field::TimestampVerificationData,
            )?
            .map(|m| m.object())
            .transpose()?;

        // 4. The content.
        let dsse = root.member("dsseEnvelope", Field::DsseEnvelope)?;
        let message = root.member("messageSignature", Field::MessageSignature)?;
        let content = match (dsse, message) {
            (Some(_), Some(m)) => return Err(m.error(Problem::Invalid).into()),
            (None, None) => {
                return Err(FieldError::new(Field::DsseEnvelope, Problem::Missing).into());
            }
            (None, Some(msg)) => Content::MessageSignature(Self::message_signature(msg.object()?)?),
            (Some(env), None) => {
                let env = env.object()?;
                Content::Dsse(Envelope {
                    payload: env.required("payload", Field::Payload)?.string()?,
                    payload_type: env.required("payloadType", Field::PayloadType)?.string()?,
                    signatures: env.required("signatures", Field::Signatures)?.array()?,
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

    fn message_signature(msg: Object<'a>) -> Result<MessageSignature<'a>, BundleError> {
        let signature = msg.required("signature", Field::Signature)?.string()?;
        // `messageDigest` is optional in the proto; a verifier given the
        // artifact hashes it itself.
        let digest = msg
            .member_set("messageDigest", Field::MessageDigest)?
            .map(|d| -> Result<_, BundleError> {
                let d = d.object()?;
                Ok(MessageDigest {
                    algorithm: d.required("algorithm", Field::Algorithm)?.string()?,
                    digest: d.required("digest", Field::Digest)?.string()?,
                })
            })
            .transpose()?;
        Ok(MessageSignature { digest, signature })
    }

    fn material(vm: &Object<'a>) -> Result<Material<'a>, BundleError> {
        let pk = vm.member("publicKey", Field::PublicKey)?;
        let chain = vm.member("x509CertificateChain", Field::X509CertificateChain)?;
        let cert = vm.member("certificate", Field::Certificate)?;
        // An optional string member: absent and `null` both read as `None`,
        // and so does an empty string.
        let text = |o: &Object<'a>, key, field| -> Result<_, BundleError> {
            Ok(o.member_set(key, field)?
                .map(|m| m.string())
                .transpose()?
                .filter(|s| !s.is_empty()))
        };
        match (pk, chain, cert) {
            (Some(pk), None, None) => {
                let pk = pk.object()?;
                Ok(Material::PublicKey {
                    hint: text(&pk, "hint", Field::Hint)?,
                    raw_bytes: text(&pk, "rawBytes", Field::RawBytes)?,
                })
            }
            (None, Some(chain), None) => {
                let chain = chain.object()?;
                let certificates = chain
                    .required("certificates", Field::Certificates)?
                    .array()?;
                Ok(Material::X509CertificateChain { certificates })
            }
            (None, None, Some(cert)) => {
                let cert = cert.object()?;
                let raw_bytes = cert.required("rawBytes", Field::RawBytes)?.string()?;
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

#[cfg(test)]
mod tests;
