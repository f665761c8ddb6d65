//! Step 1: a pinned Sigstore trusted root (`trusted_root.json`,
//! `sigstore_trustroot.proto`): the Fulcio certificate authorities, the
//! Rekor transparency logs, the CT logs and the timestamp authorities, each
//! with the window in which it may be trusted.
//!
//! Checks, in order (sigstore/protobuf-specs `sigstore_trustroot.proto` and
//! `sigstore_common.proto`, read through the protobuf JSON mapping with
//! lowerCamel member names):
//! 1. the document is at most [`MAX_TRUST_ROOT_BYTES`] of strict JSON
//!    (RFC 8259, [`crate::json`]) and is an object;
//! 2. `mediaType` is a trusted root v0.1 or v0.2 media type
//!    ([`TRUSTED_ROOT_MEDIA_TYPES`]); for a `--trust-config`
//!    (`ClientTrustConfig`, [`CLIENT_TRUST_CONFIG_MEDIA_TYPE`]) the embedded
//!    `trustedRoot` is read and checked the same way (`signingConfig` is
//!    ignored: this verifier never signs);
//! 3. `tlogs`, `ctlogs`, `certificateAuthorities` and
//!    `timestampAuthorities` are each absent or an array of at most
//!    [`MAX_TRUST_ROOT_ENTRIES`] objects;
//! 4. a transparency log (`TransparencyLogInstance`): `baseUrl` is a
//!    string; `hashAlgorithm` is `SHA2_256` (the only Merkle tree hash of
//!    RFC 6962 §2.1 / RFC 9162 that Rekor and CT use); `publicKey.rawBytes`
//!    is base64; `publicKey.keyDetails` names the algorithm
//!    ([`KeyDetails::from_name`]): an algorithm this verifier does not
//!    implement keeps its entry, which then never verifies anything, but the
//!    bytes of an implemented one must be a key of that algorithm
//!    ([`LogKey::check`]); `logId.keyId` is base64;
//! 5. a certificate authority (`CertificateAuthority`): `uri` (optional) is
//!    a string; `certChain.certificates` holds 1 to
//!    [`MAX_TRUST_ROOT_CHAIN_CERTS`] base64 `rawBytes`, each a DER X.509
//!    certificate (RFC 5280 §4.1) of at most [`MAX_CERT_BYTES`]; `subject`
//!    is ignored;
//! 6. every `validFor` (`TimeRange`) has a `start` (the spec requires it; a
//!    missing start is never read as "since forever"), an optional `end`,
//!    both protobuf `Timestamp` JSON strings (RFC 3339 §5.6, see
//!    [`crate::time::parse_rfc3339`]), and `start` is not after `end`.
//!
//! Unknown members are ignored; a member the parser reads that appears twice
//! is rejected, and `null` reads as absent (protobuf JSON). Base64 is the
//! standard alphabet with padding, as for bundles ([`crate::bundle`]).
//! Everything allocated is bounded by the document's size.
//!
//! The production and staging roots of the public-good Sigstore instance
//! are compiled in ([`PRODUCTION_TRUSTED_ROOT`], [`STAGING_TRUSTED_ROOT`]),
//! byte for byte as the `sigstore` wheel on PyPI ships them
//! (`testdata/fetch-trust-roots.sh` fetches and checks them).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::check::Check;
use crate::json::{self, Array, Field, FieldError, JsonError, JsonStr, Member, Object, Problem};
use crate::limits::{
    MAX_CERT_BYTES, MAX_TRUST_ROOT_BYTES, MAX_TRUST_ROOT_CHAIN_CERTS, MAX_TRUST_ROOT_ENTRIES,
};
use crate::sigstore::logkey::{KeyDetails, LogKey, LogKeyError};
pub(crate) use crate::time::UnixInstant;
use crate::time::parse_rfc3339;
use crate::x509::Cert;

/// The `mediaType`s of a trusted root this parser reads: v0.1 in its old
/// and new spellings, and v0.2 (which only adds members that are ignored
/// here).
pub const TRUSTED_ROOT_MEDIA_TYPES: [&str; 3] = [
    "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    "application/vnd.dev.sigstore.trustedroot.v0.1+json",
    "application/vnd.dev.sigstore.trustedroot.v0.2+json",
];

/// The `mediaType` of a `ClientTrustConfig` (the reference's
/// `--trust-config`): a trusted root plus a signing configuration.
pub const CLIENT_TRUST_CONFIG_MEDIA_TYPE: &str =
    "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json";

/// The public-good Sigstore production trusted root (TUF repository
/// `tuf-repo-cdn.sigstore.dev`), as shipped in the `sigstore` 4.5.1 wheel.
pub const PRODUCTION_TRUSTED_ROOT: &[u8] =
    include_bytes!("../../trust/production.trusted_root.json");

/// The Sigstore staging trusted root (TUF repository
/// `tuf-repo-cdn.sigstage.dev`), as shipped in the `sigstore` 4.5.1 wheel.
pub const STAGING_TRUSTED_ROOT: &[u8] = include_bytes!("../../trust/staging.trusted_root.json");

/// Where in a trusted root a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Location {
    /// The document's top level (or, in a trust config, the embedded root's).
    Document,
    /// `tlogs[i]`.
    Tlog(usize),
    /// `ctlogs[i]`.
    Ctlog(usize),
    /// `certificateAuthorities[i]`.
    CertificateAuthority(usize),
    /// `timestampAuthorities[i]`.
    TimestampAuthority(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Document => f.write_str("document"),
            Self::Tlog(i) => write!(f, "tlogs[{i}]"),
            Self::Ctlog(i) => write!(f, "ctlogs[{i}]"),
            Self::CertificateAuthority(i) => write!(f, "certificateAuthorities[{i}]"),
            Self::TimestampAuthority(i) => write!(f, "timestampAuthorities[{i}]"),
        }
    }
}

/// Why a trusted root (or client trust config) was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum TrustRootError {
    /// The document is larger than [`MAX_TRUST_ROOT_BYTES`].
    TooLarge,
    /// The document is not strict JSON.
    Json(JsonError),
    /// `mediaType` is not one this parser reads.
    UnknownMediaType,
    /// A member is missing, of the wrong JSON type, present twice, not
    /// base64, too long or too many (`TooLong`), or has a value that is not
    /// allowed (`Invalid`: a malformed time, a certificate that is not DER
    /// X.509).
    Field {
        /// Which entry.
        at: Location,
        /// Which member.
        field: Field,
        /// What is wrong with it.
        problem: Problem,
    },
    /// `hashAlgorithm` is not `SHA2_256`.
    UnsupportedHashAlgorithm {
        /// Which log.
        at: Location,
    },
    /// `keyDetails` names an implemented algorithm but `rawBytes` is not a
    /// key of it.
    BadKey {
        /// Which log.
        at: Location,
    },
    /// `validFor.start` is after `validFor.end`.
    StartAfterEnd {
        /// Which entry.
        at: Location,
    },
}

impl TrustRootError {
    /// The check that failed.
    pub fn check(&self) -> Check {
        match self {
            Self::TooLarge => Check::TrustRootTooLarge,
            Self::Json(_) => Check::TrustRootJson,
            Self::UnknownMediaType => Check::TrustRootUnknownMediaType,
            Self::Field { problem, .. } => match problem {
                Problem::Missing => Check::TrustRootFieldMissing,
                Problem::WrongType => Check::TrustRootFieldWrongType,
                Problem::Duplicate => Check::TrustRootFieldDuplicate,
                Problem::Base64 => Check::TrustRootFieldBase64,
                Problem::TooLong => Check::TrustRootFieldTooLong,
                Problem::Invalid => Check::TrustRootFieldInvalid,
            },
            Self::UnsupportedHashAlgorithm { .. } => Check::TrustRootUnsupportedHashAlgorithm,
            Self::BadKey { .. } => Check::TrustRootBadKey,
            Self::StartAfterEnd { .. } => Check::TrustRootStartAfterEnd,
        }
    }

    /// The member the error is about, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            Self::Field { field, .. } => Some(*field),
            _ => None,
        }
    }
}

impl fmt::Display for TrustRootError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => f.write_str("trusted root: document too large"),
            Self::Json(e) => write!(f, "trusted root: {e}"),
            Self::UnknownMediaType => f.write_str("trusted root: unsupported mediaType"),
            Self::Field { at, field, problem } => {
                write!(f, "trusted root: {at}: {field} {problem}")
            }
            Self::UnsupportedHashAlgorithm { at } => {
                write!(f, "trusted root: {at}: hashAlgorithm is not SHA2_256")
            }
            Self::BadKey { at } => write!(
                f,
                "trusted root: {at}: publicKey is not a key of its keyDetails"
            ),
            Self::StartAfterEnd { at } => {
                write!(f, "trusted root: {at}: validFor.start is after its end")
            }
        }
    }
}

/// A validity window, both ends inclusive and exact to the nanosecond, as
/// the trusted root's `Timestamp`s give them. A missing end is open.
///
/// [`TrustedRoot::parse`] always sets `start` (the spec requires it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TimeRange {
    /// `validFor.start`.
    pub start: Option<UnixInstant>,
    /// `validFor.end`.
    pub end: Option<UnixInstant>,
}

impl TimeRange {
    /// The window from `start` to `end`, in whole seconds.
    pub const fn seconds(start: Option<u64>, end: Option<u64>) -> Self {
        Self {
            start: match start {
                Some(s) => Some(UnixInstant::from_secs(s)),
                None => None,
            },
            end: match end {
                Some(e) => Some(UnixInstant::from_secs(e)),
                None => None,
            },
        }
    }

    /// Whether the instant `t` lies in the window (ends inclusive).
    pub fn contains_instant(&self, t: UnixInstant) -> bool {
        self.start.is_none_or(|s| s <= t) && self.end.is_none_or(|e| t <= e)
    }

    /// Whether the whole second `t` (Unix seconds) lies in the window: a
    /// start with a fraction admits only the seconds after it, an end with
    /// one the seconds up to it.
    pub fn contains(&self, t: u64) -> bool {
        self.contains_instant(UnixInstant::from_secs(t))
    }

    /// Whether `ms` (Unix milliseconds) lies in the window, compared to the
    /// millisecond.
    pub fn contains_millis(&self, ms: u64) -> bool {
        self.contains_instant(UnixInstant::from_millis(ms))
    }
}

/// A transparency log: a Rekor instance (`tlogs`) or a CT log (`ctlogs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransparencyLog {
    /// `baseUrl`; for Rekor v2 logs the checkpoint origin is its host part.
    pub base_url: String,
    /// The log's key.
    pub key: LogKey,
    /// `publicKey.validFor`.
    pub valid_for: TimeRange,
    /// `logId.keyId` (decoded): for Rekor v1 and CT, SHA-256 of the key's
    /// DER SubjectPublicKeyInfo.
    pub log_id: Vec<u8>,
}

/// A certificate authority: Fulcio (`certificateAuthorities`) or a TSA
/// (`timestampAuthorities`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateAuthority {
    /// `uri` (empty when absent).
    pub uri: String,
    /// `certChain.certificates` (decoded DER), in file order: issuing
    /// certificate first, root last.
    pub chain: Vec<Vec<u8>>,
    /// `validFor`.
    pub valid_for: TimeRange,
}

/// A parsed trusted root.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustedRoot {
    /// Rekor logs.
    pub tlogs: Vec<TransparencyLog>,
    /// Certificate-transparency logs.
    pub ctlogs: Vec<TransparencyLog>,
    /// Fulcio CAs.
    pub certificate_authorities: Vec<CertificateAuthority>,
    /// RFC 3161 timestamp authorities.
    pub timestamp_authorities: Vec<CertificateAuthority>,
}

impl TrustedRoot {
    /// Parses a `trusted_root.json` (checks 1 to 6 of the module).
    pub fn parse(bytes: &[u8]) -> Result<Self, TrustRootError> {
        Self::from_root(&document(bytes)?)
    }

    /// Parses a client trust config (`--trust-config`) and returns its
    /// `trustedRoot`.
    pub fn parse_trust_config(bytes: &[u8]) -> Result<Self, TrustRootError> {
        let doc = document(bytes)?;
        if !media_type(&doc)?.eq_str(CLIENT_TRUST_CONFIG_MEDIA_TYPE) {
            return Err(TrustRootError::UnknownMediaType);
        }
        Self::from_trust_config(&doc)
    }

    /// Parses either a trusted root or a client trust config, as its
    /// `mediaType` says.
    pub fn parse_any(bytes: &[u8]) -> Result<Self, TrustRootError> {
        let doc = document(bytes)?;
        if media_type(&doc)?.eq_str(CLIENT_TRUST_CONFIG_MEDIA_TYPE) {
            Self::from_trust_config(&doc)
        } else {
            Self::from_root(&doc)
        }
    }

    /// The compiled-in production root, parsed.
    pub fn production() -> Result<Self, TrustRootError> {
        Self::parse(PRODUCTION_TRUSTED_ROOT)
    }

    /// The compiled-in staging root, parsed.
    pub fn staging() -> Result<Self, TrustRootError> {
        Self::parse(STAGING_TRUSTED_ROOT)
    }

    fn from_trust_config(doc: &Object<'_>) -> Result<Self, TrustRootError> {
        let at = Location::Document;
        let root = at.object(at.required(doc, "trustedRoot", Field::TrustedRoot)?)?;
        Self::from_root(&root)
    }

    fn from_root(doc: &Object<'_>) -> Result<Self, TrustRootError> {
        let media_type = media_type(doc)?;
        if !TRUSTED_ROOT_MEDIA_TYPES
            .iter()
            .any(|m| media_type.eq_str(m))
        {
            return Err(TrustRootError::UnknownMediaType);
        }
        Ok(Self {
            tlogs: list(doc, "tlogs", Field::Tlogs, Location::Tlog, log)?,
            ctlogs: list(doc, "ctlogs", Field::Ctlogs, Location::Ctlog, log)?,
            certificate_authorities: list(
                doc,
                "certificateAuthorities",
                Field::CertificateAuthorities,
                Location::CertificateAuthority,
                authority,
            )?,
            timestamp_authorities: list(
                doc,
                "timestampAuthorities",
                Field::TimestampAuthorities,
                Location::TimestampAuthority,
                authority,
            )?,
        })
    }

    /// The first Rekor log, in file order, whose `logId.keyId` is `id`.
    ///
    /// The spec does not forbid two entries with one id (the same key
    /// listed again, say with another validity window); callers that must
    /// consider every such entry use [`TrustedRoot::tlogs_by_id`] and check
    /// each one's `valid_for`.
    pub fn tlog_by_id(&self, id: &[u8]) -> Option<&TransparencyLog> {
        by_id(&self.tlogs, id).next()
    }

    /// Every Rekor log whose `logId.keyId` is `id`, in file order.
    pub fn tlogs_by_id<'s, 'i>(
        &'s self,
        id: &'i [u8],
    ) -> impl Iterator<Item = &'s TransparencyLog> + use<'s, 'i> {
        by_id(&self.tlogs, id)
    }

    /// The first CT log, in file order, whose `logId.keyId` is `id` (see
    /// [`TrustedRoot::tlog_by_id`] about repeated ids).
    pub fn ctlog_by_id(&self, id: &[u8]) -> Option<&TransparencyLog> {
        by_id(&self.ctlogs, id).next()
    }

    /// Every CT log whose `logId.keyId` is `id`, in file order.
    pub fn ctlogs_by_id<'s, 'i>(
        &'s self,
        id: &'i [u8],
    ) -> impl Iterator<Item = &'s TransparencyLog> + use<'s, 'i> {
        by_id(&self.ctlogs, id)
    }
}

/// The logs of `logs` whose `logId.keyId` is `id`, in file order.
fn by_id<'s, 'i>(
    logs: &'s [TransparencyLog],
    id: &'i [u8],
) -> impl Iterator<Item = &'s TransparencyLog> + use<'s, 'i> {
    logs.iter().filter(move |l| l.log_id == id)
}

/// Check 1: size, JSON, an object.
fn document(bytes: &[u8]) -> Result<Object<'_>, TrustRootError> {
    if bytes.len() > MAX_TRUST_ROOT_BYTES {
        return Err(TrustRootError::TooLarge);
    }
    let doc = json::parse(bytes).map_err(TrustRootError::Json)?;
    let at = Location::Document;
    at.object(doc.at(Field::Document))
}

fn media_type<'a>(doc: &Object<'a>) -> Result<JsonStr<'a>, TrustRootError> {
    let at = Location::Document;
    at.string(at.required(doc, "mediaType", Field::MediaType)?)
}

impl Location {
    fn err(self, field: Field, problem: Problem) -> TrustRootError {
        TrustRootError::Field {
            at: self,
            field,
            problem,
        }
    }

    /// A field problem, placed at this entry.
    fn at(self, e: FieldError) -> TrustRootError {
        self.err(e.field, e.problem)
    }

    /// Member `key` of `obj`; `null` reads as absent (protobuf JSON).
    fn optional<'a>(
        self,
        obj: &Object<'a>,
        key: &str,
        field: Field,
    ) -> Result<Option<Member<'a>>, TrustRootError> {
        obj.member_set(key, field).map_err(|e| self.at(e))
    }

    fn required<'a>(
        self,
        obj: &Object<'a>,
        key: &str,
        field: Field,
    ) -> Result<Member<'a>, TrustRootError> {
        obj.required_set(key, field).map_err(|e| self.at(e))
    }

    fn object<'a>(self, m: Member<'a>) -> Result<Object<'a>, TrustRootError> {
        m.object().map_err(|e| self.at(e))
    }

    fn array<'a>(self, m: Member<'a>) -> Result<Array<'a>, TrustRootError> {
        m.array().map_err(|e| self.at(e))
    }

    fn string<'a>(self, m: Member<'a>) -> Result<JsonStr<'a>, TrustRootError> {
        m.string().map_err(|e| self.at(e))
    }

    /// A string member, unescaped.
    fn text(self, m: Member<'_>) -> Result<String, TrustRootError> {
        Ok(self.string(m)?.chars().collect())
    }

    /// A required, non-empty base64 member, decoded.
    fn bytes(self, obj: &Object<'_>, key: &str, field: Field) -> Result<Vec<u8>, TrustRootError> {
        let s = self.string(self.required(obj, key, field)?)?;
        let buf = crate::json::decode_base64_owned(s, field).map_err(|e| self.at(e))?;
        if buf.is_empty() {
            // Empty bytes are protobuf's default: the same as absent.
            return Err(self.err(field, Problem::Missing));
        }
        Ok(buf)
    }

    /// Check 6: `validFor` of `obj`.
    fn valid_for(self, obj: &Object<'_>) -> Result<TimeRange, TrustRootError> {
        let range = self.object(self.required(obj, "validFor", Field::ValidFor)?)?;
        let start = self
            .time(&range, "start", Field::Start)?
            .ok_or(self.err(Field::Start, Problem::Missing))?;
        let end = self.time(&range, "end", Field::End)?;
        if end.is_some_and(|end| start > end) {
            return Err(TrustRootError::StartAfterEnd { at: self });
        }
        Ok(TimeRange {
            start: Some(start),
            end,
        })
    }

    fn time(
        self,
        obj: &Object<'_>,
        key: &str,
        field: Field,
    ) -> Result<Option<UnixInstant>, TrustRootError> {
        let Some(m) = self.optional(obj, key, field)? else {
            return Ok(None);
        };
        let s = self.string(m)?;
        // The longest accepted form is 35 bytes (nine fraction digits and
        // an offset).
        let mut buf = [0u8; 40];
        s.unescape(&mut buf)
            .ok()
            .and_then(parse_rfc3339)
            .map(Some)
            .ok_or(self.err(field, Problem::Invalid))
    }
}

/// Check 3: the list `key` of `doc`, each element read by `read`.
fn list<'a, T>(
    doc: &Object<'a>,
    key: &str,
    field: Field,
    at: fn(usize) -> Location,
    read: fn(Location, &Object<'a>) -> Result<T, TrustRootError>,
) -> Result<Vec<T>, TrustRootError> {
    let top = Location::Document;
    let Some(m) = top.optional(doc, key, field)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, item) in top.array(m)?.iter().enumerate() {
        if i >= MAX_TRUST_ROOT_ENTRIES {
            return Err(top.err(field, Problem::TooLong));
        }
        let item = item.map_err(TrustRootError::Json)?;
        let obj = at(i).object(item.at(Field::TrustEntry))?;
        out.push(read(at(i), &obj)?);
    }
    Ok(out)
}

/// Check 4: a `TransparencyLogInstance`.
fn log(at: Location, obj: &Object<'_>) -> Result<TransparencyLog, TrustRootError> {
    let base_url = at.text(at.required(obj, "baseUrl", Field::BaseUrl)?)?;
    // A missing hashAlgorithm is protobuf's default, UNSPECIFIED.
    let hash = at
        .optional(obj, "hashAlgorithm", Field::HashAlgorithm)?
        .map(|m| at.string(m))
        .transpose()?;
    if !hash.is_some_and(|h| h.eq_str("SHA2_256")) {
        return Err(TrustRootError::UnsupportedHashAlgorithm { at });
    }
    let public_key = at.object(at.required(obj, "publicKey", Field::PublicKey)?)?;
    let der = at.bytes(&public_key, "rawBytes", Field::KeyRawBytes)?;
    // A missing keyDetails is PUBLIC_KEY_DETAILS_UNSPECIFIED: unsupported.
    let details = match at.optional(&public_key, "keyDetails", Field::KeyDetails)? {
        Some(m) => KeyDetails::from_name(&at.text(m)?),
        None => KeyDetails::Unsupported,
    };
    let key = LogKey { details, der };
    match key.check() {
        Ok(()) | Err(LogKeyError::UnsupportedAlgorithm) => {}
        Err(_) => return Err(TrustRootError::BadKey { at }),
    }
    let valid_for = at.valid_for(&public_key)?;
    let log_id = at.object(at.required(obj, "logId", Field::LogId)?)?;
    let log_id = at.bytes(&log_id, "keyId", Field::KeyId)?;
    Ok(TransparencyLog {
        base_url,
        key,
        valid_for,
        log_id,
    })
}

/// Check 5: a `CertificateAuthority`.
fn authority(at: Location, obj: &Object<'_>) -> Result<CertificateAuthority, TrustRootError> {
    let uri = match at.optional(obj, "uri", Field::Uri)? {
        Some(m) => at.text(m)?,
        None => String::new(),
    };
    let cert_chain = at.object(at.required(obj, "certChain", Field::CertChain)?)?;
    let certificates =
        at.array(at.required(&cert_chain, "certificates", Field::CertChainCertificates)?)?;
    let mut chain = Vec::new();
    for (i, item) in certificates.iter().enumerate() {
        if i >= MAX_TRUST_ROOT_CHAIN_CERTS {
            return Err(at.err(Field::CertChainCertificates, Problem::TooLong));
        }
        let field = Field::CertChainCertificate(i);
        let cert = at.object(item.map_err(TrustRootError::Json)?.at(field))?;
        let der = at.bytes(&cert, "rawBytes", field)?;
        if der.len() > MAX_CERT_BYTES {
            return Err(at.err(field, Problem::TooLong));
        }
        if Cert::from_der(&der).is_none() {
            return Err(at.err(field, Problem::Invalid));
        }
        chain.push(der);
    }
    if chain.is_empty() {
        return Err(at.err(Field::CertChainCertificates, Problem::Missing));
    }
    let valid_for = at.valid_for(obj)?;
    Ok(CertificateAuthority {
        uri,
        chain,
        valid_for,
    })
}

// The tests read roots with keys of every algorithm.
#[cfg(all(test, feature = "p384", feature = "p521", feature = "rsa"))]
mod tests;
