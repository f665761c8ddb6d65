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
//!    [`parse_rfc3339`]), and `start` is not after `end`.
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

use base64ct::{Base64, Encoding as _};

use crate::error::Problem;
use crate::json::{self, Array, JsonError, JsonStr, Object, Value};
use crate::limits::{
    MAX_CERT_BYTES, MAX_TRUST_ROOT_BYTES, MAX_TRUST_ROOT_CHAIN_CERTS, MAX_TRUST_ROOT_ENTRIES,
};
use crate::logkey::{KeyDetails, LogKey, LogKeyError};
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
pub const PRODUCTION_TRUSTED_ROOT: &[u8] = include_bytes!("../trust/production.trusted_root.json");

/// The Sigstore staging trusted root (TUF repository
/// `tuf-repo-cdn.sigstage.dev`), as shipped in the `sigstore` 4.5.1 wheel.
pub const STAGING_TRUSTED_ROOT: &[u8] = include_bytes!("../trust/staging.trusted_root.json");

/// Where in a trusted root a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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

/// A member of a trusted root (or of a client trust config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TrustField {
    /// The document itself.
    Document,
    /// `mediaType`.
    MediaType,
    /// `trustedRoot` (in a client trust config).
    TrustedRoot,
    /// `tlogs`.
    Tlogs,
    /// `ctlogs`.
    Ctlogs,
    /// `certificateAuthorities`.
    CertificateAuthorities,
    /// `timestampAuthorities`.
    TimestampAuthorities,
    /// An element of one of the four lists.
    Entry,
    /// `baseUrl`.
    BaseUrl,
    /// `hashAlgorithm`.
    HashAlgorithm,
    /// `publicKey`.
    PublicKey,
    /// `publicKey.rawBytes`.
    RawBytes,
    /// `publicKey.keyDetails`.
    KeyDetails,
    /// `validFor`.
    ValidFor,
    /// `validFor.start`.
    Start,
    /// `validFor.end`.
    End,
    /// `logId`.
    LogId,
    /// `logId.keyId`.
    KeyId,
    /// `uri`.
    Uri,
    /// `certChain`.
    CertChain,
    /// `certChain.certificates`.
    Certificates,
    /// `certChain.certificates[i]`.
    Certificate(usize),
}

impl fmt::Display for TrustField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Document => "the document",
            Self::MediaType => "mediaType",
            Self::TrustedRoot => "trustedRoot",
            Self::Tlogs => "tlogs",
            Self::Ctlogs => "ctlogs",
            Self::CertificateAuthorities => "certificateAuthorities",
            Self::TimestampAuthorities => "timestampAuthorities",
            Self::Entry => "the entry",
            Self::BaseUrl => "baseUrl",
            Self::HashAlgorithm => "hashAlgorithm",
            Self::PublicKey => "publicKey",
            Self::RawBytes => "publicKey.rawBytes",
            Self::KeyDetails => "publicKey.keyDetails",
            Self::ValidFor => "validFor",
            Self::Start => "validFor.start",
            Self::End => "validFor.end",
            Self::LogId => "logId",
            Self::KeyId => "logId.keyId",
            Self::Uri => "uri",
            Self::CertChain => "certChain",
            Self::Certificates => "certChain.certificates",
            Self::Certificate(i) => return write!(f, "certChain.certificates[{i}]"),
        })
    }
}

/// Why a trusted root (or client trust config) was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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
        field: TrustField,
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

/// A point in time as protobuf's `Timestamp` holds it: Unix seconds and
/// nanoseconds (UTC). Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct UnixInstant {
    /// Whole seconds since the Unix epoch.
    pub secs: u64,
    /// Nanoseconds past `secs` (below 10^9).
    pub nanos: u32,
}

impl UnixInstant {
    /// The whole second `secs`.
    pub const fn from_secs(secs: u64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// `ms` milliseconds since the Unix epoch (an SCT's timestamp).
    pub fn from_millis(ms: u64) -> Self {
        // ms % 1000 < 1000: the conversion cannot fail, the product stays
        // below 10^9.
        let millis = u32::try_from(ms % 1000).unwrap_or(0);
        Self {
            secs: ms / 1000,
            nanos: millis.saturating_mul(1_000_000),
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
        let root = at.object(at.required(doc, "trustedRoot", TrustField::TrustedRoot)?)?;
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
            tlogs: list(doc, "tlogs", TrustField::Tlogs, Location::Tlog, log)?,
            ctlogs: list(doc, "ctlogs", TrustField::Ctlogs, Location::Ctlog, log)?,
            certificate_authorities: list(
                doc,
                "certificateAuthorities",
                TrustField::CertificateAuthorities,
                Location::CertificateAuthority,
                authority,
            )?,
            timestamp_authorities: list(
                doc,
                "timestampAuthorities",
                TrustField::TimestampAuthorities,
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
    at.object((TrustField::Document, doc))
}

fn media_type<'a>(doc: &Object<'a>) -> Result<JsonStr<'a>, TrustRootError> {
    let at = Location::Document;
    at.string(at.required(doc, "mediaType", TrustField::MediaType)?)
}

/// A member and which field it is, for error reports.
type Member<'a> = (TrustField, Value<'a>);

impl Location {
    fn err(self, field: TrustField, problem: Problem) -> TrustRootError {
        TrustRootError::Field {
            at: self,
            field,
            problem,
        }
    }

    /// Member `key` of `obj`; `null` reads as absent.
    fn optional<'a>(
        self,
        obj: &Object<'a>,
        key: &str,
        field: TrustField,
    ) -> Result<Option<Member<'a>>, TrustRootError> {
        match obj.get(key) {
            Ok(v) => Ok(v.filter(|v| !v.is_null()).map(|v| (field, v))),
            Err(JsonError::DuplicateKey) => Err(self.err(field, Problem::Duplicate)),
            Err(e) => Err(TrustRootError::Json(e)),
        }
    }

    fn required<'a>(
        self,
        obj: &Object<'a>,
        key: &str,
        field: TrustField,
    ) -> Result<Member<'a>, TrustRootError> {
        self.optional(obj, key, field)?
            .ok_or(self.err(field, Problem::Missing))
    }

    fn object<'a>(self, (field, v): Member<'a>) -> Result<Object<'a>, TrustRootError> {
        v.object().map_err(|_| self.err(field, Problem::WrongType))
    }

    fn array<'a>(self, (field, v): Member<'a>) -> Result<Array<'a>, TrustRootError> {
        v.array().map_err(|_| self.err(field, Problem::WrongType))
    }

    fn string<'a>(self, (field, v): Member<'a>) -> Result<JsonStr<'a>, TrustRootError> {
        v.str().map_err(|_| self.err(field, Problem::WrongType))
    }

    /// A string member, unescaped.
    fn text(self, m: Member<'_>) -> Result<String, TrustRootError> {
        Ok(self.string(m)?.chars().collect())
    }

    /// A required, non-empty base64 member, decoded.
    fn bytes(
        self,
        obj: &Object<'_>,
        key: &str,
        field: TrustField,
    ) -> Result<Vec<u8>, TrustRootError> {
        let s = self.string(self.required(obj, key, field)?)?;
        // The unescaped text is at most as long as the document's span:
        // decode it in place.
        let mut buf: Vec<u8> = s.bytes().collect();
        let len = Base64::decode_in_place(&mut buf)
            .map_err(|_| self.err(field, Problem::Base64))?
            .len();
        if len == 0 {
            // Empty bytes are protobuf's default: the same as absent.
            return Err(self.err(field, Problem::Missing));
        }
        buf.truncate(len);
        Ok(buf)
    }

    /// Check 6: `validFor` of `obj`.
    fn valid_for(self, obj: &Object<'_>) -> Result<TimeRange, TrustRootError> {
        let range = self.object(self.required(obj, "validFor", TrustField::ValidFor)?)?;
        let start = self
            .time(&range, "start", TrustField::Start)?
            .ok_or(self.err(TrustField::Start, Problem::Missing))?;
        let end = self.time(&range, "end", TrustField::End)?;
        if end.is_some_and(|end| start > end) {
            return Err(TrustRootError::StartAfterEnd { at: self });
        }
        let at = |(secs, nanos)| UnixInstant { secs, nanos };
        Ok(TimeRange {
            start: Some(at(start)),
            end: end.map(at),
        })
    }

    fn time(
        self,
        obj: &Object<'_>,
        key: &str,
        field: TrustField,
    ) -> Result<Option<(u64, u32)>, TrustRootError> {
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
    field: TrustField,
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
        let obj = at(i).object((TrustField::Entry, item))?;
        out.push(read(at(i), &obj)?);
    }
    Ok(out)
}

/// Check 4: a `TransparencyLogInstance`.
fn log(at: Location, obj: &Object<'_>) -> Result<TransparencyLog, TrustRootError> {
    let base_url = at.text(at.required(obj, "baseUrl", TrustField::BaseUrl)?)?;
    // A missing hashAlgorithm is protobuf's default, UNSPECIFIED.
    let hash = at
        .optional(obj, "hashAlgorithm", TrustField::HashAlgorithm)?
        .map(|m| at.string(m))
        .transpose()?;
    if !hash.is_some_and(|h| h.eq_str("SHA2_256")) {
        return Err(TrustRootError::UnsupportedHashAlgorithm { at });
    }
    let public_key = at.object(at.required(obj, "publicKey", TrustField::PublicKey)?)?;
    let der = at.bytes(&public_key, "rawBytes", TrustField::RawBytes)?;
    // A missing keyDetails is PUBLIC_KEY_DETAILS_UNSPECIFIED: unsupported.
    let details = match at.optional(&public_key, "keyDetails", TrustField::KeyDetails)? {
        Some(m) => KeyDetails::from_name(&at.text(m)?),
        None => KeyDetails::Unsupported,
    };
    let key = LogKey { details, der };
    match key.check() {
        Ok(()) | Err(LogKeyError::UnsupportedAlgorithm) => {}
        Err(_) => return Err(TrustRootError::BadKey { at }),
    }
    let valid_for = at.valid_for(&public_key)?;
    let log_id = at.object(at.required(obj, "logId", TrustField::LogId)?)?;
    let log_id = at.bytes(&log_id, "keyId", TrustField::KeyId)?;
    Ok(TransparencyLog {
        base_url,
        key,
        valid_for,
        log_id,
    })
}

/// Check 5: a `CertificateAuthority`.
fn authority(at: Location, obj: &Object<'_>) -> Result<CertificateAuthority, TrustRootError> {
    let uri = match at.optional(obj, "uri", TrustField::Uri)? {
        Some(m) => at.text(m)?,
        None => String::new(),
    };
    let cert_chain = at.object(at.required(obj, "certChain", TrustField::CertChain)?)?;
    let certificates =
        at.array(at.required(&cert_chain, "certificates", TrustField::Certificates)?)?;
    let mut chain = Vec::new();
    for (i, item) in certificates.iter().enumerate() {
        if i >= MAX_TRUST_ROOT_CHAIN_CERTS {
            return Err(at.err(TrustField::Certificates, Problem::TooLong));
        }
        let field = TrustField::Certificate(i);
        let cert = at.object((field, item.map_err(TrustRootError::Json)?))?;
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
        return Err(at.err(TrustField::Certificates, Problem::Missing));
    }
    let valid_for = at.valid_for(obj)?;
    Ok(CertificateAuthority {
        uri,
        chain,
        valid_for,
    })
}

/// Parses an RFC 3339 `date-time` (§5.6) as protobuf's `Timestamp` JSON
/// writes it, `2021-01-12T11:53:27Z`, with an optional fraction of 1 to 9
/// digits and `Z` or a numeric offset (`+01:00`), into Unix seconds and
/// nanoseconds (UTC).
///
/// Stricter than RFC 3339 where protobuf and Go's `time.RFC3339` are: `T`
/// and `Z` upper case only, no leap second (`:60`; protobuf timestamps
/// smear them) and years from 1970 to 9999. The calendar (month lengths,
/// leap years) and the conversion are [`der::DateTime`]'s; only the text is
/// read here, as no crate of this workspace parses RFC 3339 in `no_std`.
pub fn parse_rfc3339(text: &str) -> Option<(u64, u32)> {
    let b = text.as_bytes();
    let num = |at: usize, len: usize| -> Option<u16> {
        b.get(at..at.checked_add(len)?)?
            .iter()
            .try_fold(0u16, |n, &c| {
                c.is_ascii_digit()
                    .then(|| {
                        n.checked_mul(10)?
                            .checked_add(u16::from(c.wrapping_sub(b'0')))
                    })
                    .flatten()
            })
    };
    let two = |at: usize| num(at, 2).and_then(|n| u8::try_from(n).ok());
    let layout = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !layout.iter().all(|&(at, c)| b.get(at) == Some(&c)) {
        return None;
    }
    let local = der::DateTime::new(num(0, 4)?, two(5)?, two(8)?, two(11)?, two(14)?, two(17)?)
        .ok()?
        .unix_duration()
        .as_secs();
    let mut rest = b.get(19..)?;
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        for &c in fraction.get(..digits)? {
            nanos = nanos
                .saturating_mul(10)
                .saturating_add(u32::from(c.wrapping_sub(b'0')));
        }
        nanos = nanos
            .saturating_mul(10u32.checked_pow(u32::try_from(9usize.checked_sub(digits)?).ok()?)?);
        rest = fraction.get(digits..)?;
    }
    let utc = match rest {
        b"Z" => local,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let at = b.len().checked_sub(rest.len())?;
            let (hours, minutes) = (num(at.checked_add(1)?, 2)?, num(at.checked_add(4)?, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = u64::from(hours)
                .saturating_mul(3600)
                .saturating_add(u64::from(minutes).saturating_mul(60));
            // local = UTC + offset
            if *sign == b'+' {
                local.checked_sub(offset)?
            } else {
                local.checked_add(offset)?
            }
        }
        _ => return None,
    };
    Some((utc, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec;
    use sha2::{Digest, Sha256};

    const PRODUCTION: &str = match core::str::from_utf8(PRODUCTION_TRUSTED_ROOT) {
        Ok(s) => s,
        Err(_) => panic!("not UTF-8"),
    };
    const REKOR_ID: &str = "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=";
    const REKOR_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==";

    fn b64(s: &str) -> Vec<u8> {
        Base64::decode_vec(s).unwrap()
    }

    /// The production root with the first `from` replaced by `to`.
    fn production_with(from: &str, to: &str) -> Result<TrustedRoot, TrustRootError> {
        assert!(PRODUCTION.contains(from), "{from:?} not in the root");
        TrustedRoot::parse(PRODUCTION.replacen(from, to, 1).as_bytes())
    }

    /// Each case: the production root with `from` replaced by `to` fails so.
    fn rejects(cases: &[(&str, &str, TrustRootError)]) {
        for &(from, to, err) in cases {
            assert_eq!(production_with(from, to), Err(err), "{from:?} -> {to:?}");
        }
    }

    fn field(at: Location, field: TrustField, problem: Problem) -> TrustRootError {
        TrustRootError::Field { at, field, problem }
    }

    fn tlog(key: &str, id: &str) -> String {
        format!(
            r#"{{"baseUrl":"https://rekor.example","hashAlgorithm":"SHA2_256",
            "publicKey":{{"rawBytes":"{key}","keyDetails":"PKIX_ECDSA_P256_SHA_256",
            "validFor":{{"start":"2021-01-12T11:53:27Z"}}}},"logId":{{"keyId":"{id}"}}}}"#
        )
    }

    fn root(members: &str) -> String {
        format!(
            r#"{{"mediaType":"{}"{members}}}"#,
            TRUSTED_ROOT_MEDIA_TYPES[0]
        )
    }

    fn kinds(logs: &[TransparencyLog]) -> Vec<KeyDetails> {
        logs.iter().map(|l| l.key.details).collect()
    }

    fn chain_lens(cas: &[CertificateAuthority]) -> Vec<usize> {
        cas.iter().map(|c| c.chain.len()).collect()
    }

    #[test]
    fn rfc3339_values() {
        let t = |s: &str| parse_rfc3339(s);
        assert_eq!(t("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(t("2021-01-12T11:53:27Z"), Some((1_610_452_407, 0)));
        assert_eq!(t("2038-01-19T03:14:08Z"), Some((2_147_483_648, 0)));
        assert_eq!(t("9999-12-31T23:59:59Z"), Some((253_402_300_799, 0)));
        // Leap years: every 4th, not every 100th, but every 400th.
        assert_eq!(t("2024-02-29T12:00:00Z"), Some((1_709_208_000, 0)));
        assert_eq!(t("2000-02-29T00:00:00Z"), Some((951_782_400, 0)));
        assert_eq!(t("2024-03-01T00:00:00Z"), Some((1_709_251_200, 0)));
        // Fractions: 1 to 9 digits.
        assert_eq!(
            t("2022-12-31T23:59:59.999Z"),
            Some((1_672_531_199, 999_000_000))
        );
        assert_eq!(t("1970-01-01T00:00:00.5Z"), Some((0, 500_000_000)));
        assert_eq!(t("1970-01-01T00:00:01.000000001Z"), Some((1, 1)));
        assert_eq!(t("1970-01-01T00:00:01.0Z"), Some((1, 0)));
        // Offsets: local time minus the offset is UTC.
        assert_eq!(t("2021-01-12T12:53:27+01:00"), t("2021-01-12T11:53:27Z"));
        assert_eq!(t("2021-01-12T06:23:27-05:30"), t("2021-01-12T11:53:27Z"));
        assert_eq!(t("2021-01-12T11:53:27+00:00"), t("2021-01-12T11:53:27Z"));
        assert_eq!(t("2021-01-12T11:53:27-00:00"), t("2021-01-12T11:53:27Z"));
        assert_eq!(
            t("2021-01-13T00:53:27.25+13:00"),
            Some((1_610_452_407, 250_000_000))
        );
        assert_eq!(t("2021-01-01T00:00:00-23:59"), Some((1_609_545_540, 0)));
    }

    #[test]
    fn rfc3339_rejects() {
        for s in [
            "",
            "2021-01-12",
            "2021-01-12T11:53:27",
            "2021-01-12T11:53:27z",
            "2021-01-12t11:53:27Z",
            "2021-01-12 11:53:27Z",
            "2021-13-12T11:53:27Z",
            "2021-00-12T11:53:27Z",
            "2021-01-32T11:53:27Z",
            "2021-01-00T11:53:27Z",
            "2021-04-31T11:53:27Z",
            "2023-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2021-01-12T24:00:00Z",
            "2021-01-12T11:60:27Z",
            "2021-01-12T11:53:60Z",
            "1969-12-31T23:59:59Z",
            "10000-01-01T00:00:00Z",
            "2021-1-12T11:53:27Z",
            "2021-01-12T11:53:27.Z",
            "2021-01-12T11:53:27.1234567891Z",
            "2021-01-12T11:53:27.12a",
            "2021-01-12T11:53:27ZZ",
            "2021-01-12T11:53:27Z ",
            " 2021-01-12T11:53:27Z",
            "2021-01-12T11:53:27+01",
            "2021-01-12T11:53:27+0100",
            "2021-01-12T11:53:27+24:00",
            "2021-01-12T11:53:27+01:60",
            "2021-01-12T11:53:27+1:00",
            "+021-01-12T11:53:27Z",
            "2021-01-12T11:53:2+Z",
            "1970-01-01T00:30:00+01:00",
        ] {
            assert_eq!(parse_rfc3339(s), None, "accepted {s:?}");
        }
    }

    #[test]
    fn bundled_roots_are_the_pinned_files() {
        // The digests written in testdata/fetch-trust-roots.sh and
        // testdata/README.md (sigstore 4.5.1 wheel).
        let hex = |b: &[u8]| {
            Sha256::digest(b)
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect::<String>()
        };
        assert_eq!(
            hex(PRODUCTION_TRUSTED_ROOT),
            "6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66"
        );
        assert_eq!(
            hex(STAGING_TRUSTED_ROOT),
            "81f5af777952d2c3955062ad56924c05ca916b5d49f3a0bce945faa475a8b1cc"
        );
    }

    #[test]
    fn production_root() {
        use KeyDetails::*;
        let r = TrustedRoot::production().unwrap();
        assert_eq!(kinds(&r.tlogs), [EcdsaP256Sha256, Ed25519]);
        assert_eq!(kinds(&r.ctlogs), [EcdsaP256Sha256, EcdsaP256Sha256]);
        assert_eq!(chain_lens(&r.certificate_authorities), [1, 2]);
        assert_eq!(chain_lens(&r.timestamp_authorities), [2]);

        let rekor = r.tlog_by_id(&b64(REKOR_ID)).unwrap();
        assert_eq!(rekor.base_url, "https://rekor.sigstore.dev");
        assert_eq!(rekor.key.der, b64(REKOR_KEY));
        assert_eq!(
            rekor.valid_for,
            TimeRange::seconds(Some(1_610_452_407), None)
        );
        assert_eq!(r.tlogs[1].base_url, "https://log2025-1.rekor.sigstore.dev");
        assert!(r.tlogs[1].key.ed25519_raw().is_some());
        // Rekor v1 and CT log ids are SHA-256 of the key.
        for l in [&r.tlogs[0], &r.ctlogs[0], &r.ctlogs[1]] {
            assert_eq!(l.log_id, Sha256::digest(&l.key.der).as_slice());
        }
        let ct = r.ctlog_by_id(&r.ctlogs[1].log_id).unwrap();
        assert_eq!(ct.base_url, "https://ctfe.sigstore.dev/2022");
        assert_eq!(r.tlog_by_id(&r.ctlogs[1].log_id), None);
        assert_eq!(r.ctlog_by_id(&[0; 32]), None);
        assert_eq!(
            r.ctlogs[0].valid_for,
            TimeRange {
                start: Some(UnixInstant::from_secs(1_615_680_000)),
                end: Some(UnixInstant {
                    secs: 1_667_260_799,
                    nanos: 999_000_000
                })
            }
        );
        // `…T23:59:59.999Z` ends at that whole second, inclusive.
        let fulcio = &r.certificate_authorities[0];
        assert_eq!(fulcio.uri, "https://fulcio.sigstore.dev");
        assert_eq!(
            fulcio.valid_for.end,
            Some(UnixInstant {
                secs: 1_672_531_199,
                nanos: 999_000_000
            })
        );
        assert!(fulcio.valid_for.contains(1_672_531_199));
        assert!(!fulcio.valid_for.contains(1_672_531_200));
        assert!(Cert::from_der(&fulcio.chain[0]).is_some());
        let tsa = &r.timestamp_authorities[0];
        assert_eq!(tsa.uri, "https://timestamp.sigstore.dev/api/v1/timestamp");
        assert_eq!(
            tsa.valid_for.start,
            Some(UnixInstant::from_secs(1_751_587_200))
        );
    }

    #[test]
    fn staging_root() {
        use KeyDetails::*;
        let r = TrustedRoot::staging().unwrap();
        assert_eq!(
            kinds(&r.tlogs),
            [EcdsaP256Sha256, Ed25519, Ed25519, Ed25519]
        );
        assert_eq!(
            kinds(&r.ctlogs),
            [
                Pkcs1RsaPkcs1v15Sha256,
                EcdsaP256Sha256,
                EcdsaP256Sha256,
                EcdsaP256Sha256
            ]
        );
        assert_eq!(chain_lens(&r.certificate_authorities), [2]);
        assert_eq!(chain_lens(&r.timestamp_authorities), [2]);
        assert!(r.tlogs.iter().all(|l| l.key.check().is_ok()));
        assert!(r.ctlogs.iter().all(|l| l.key.check().is_ok()));
        assert_ne!(r, TrustedRoot::production().unwrap());
    }

    #[test]
    fn trust_config_wraps_a_root() {
        let config = format!(
            r#"{{"mediaType":"{CLIENT_TRUST_CONFIG_MEDIA_TYPE}","trustedRoot":{PRODUCTION},
            "signingConfig":{{"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json"}}}}"#
        );
        let expected = TrustedRoot::production().unwrap();
        assert_eq!(
            TrustedRoot::parse_trust_config(config.as_bytes()),
            Ok(expected.clone())
        );
        assert_eq!(
            TrustedRoot::parse_any(config.as_bytes()),
            Ok(expected.clone())
        );
        assert_eq!(
            TrustedRoot::parse_any(PRODUCTION_TRUSTED_ROOT),
            Ok(expected)
        );
        // Each parser reads only its own kind.
        assert_eq!(
            TrustedRoot::parse(config.as_bytes()),
            Err(TrustRootError::UnknownMediaType)
        );
        assert_eq!(
            TrustedRoot::parse_trust_config(PRODUCTION_TRUSTED_ROOT),
            Err(TrustRootError::UnknownMediaType)
        );
        // The embedded root is checked like any other.
        let bad = config.replacen("trustedroot+json;version=0.1", "trustedroot+json", 1);
        assert_eq!(
            TrustedRoot::parse_any(bad.as_bytes()),
            Err(TrustRootError::UnknownMediaType)
        );
        let missing = format!(r#"{{"mediaType":"{CLIENT_TRUST_CONFIG_MEDIA_TYPE}"}}"#);
        assert_eq!(
            TrustedRoot::parse_trust_config(missing.as_bytes()),
            Err(field(
                Location::Document,
                TrustField::TrustedRoot,
                Problem::Missing
            ))
        );
    }

    #[test]
    fn media_types() {
        let old = TRUSTED_ROOT_MEDIA_TYPES[0];
        let expected = TrustedRoot::production().unwrap();
        for m in TRUSTED_ROOT_MEDIA_TYPES {
            assert_eq!(production_with(old, m), Ok(expected.clone()), "{m}");
        }
        for m in [
            "application/vnd.dev.sigstore.trustedroot+json;version=0.2",
            "application/vnd.dev.sigstore.trustedroot.v0.3+json",
            "application/vnd.dev.sigstore.bundle.v0.3+json",
            "",
        ] {
            assert_eq!(
                production_with(old, m),
                Err(TrustRootError::UnknownMediaType),
                "{m}"
            );
        }
        assert_eq!(
            TrustedRoot::parse(b"{}"),
            Err(field(
                Location::Document,
                TrustField::MediaType,
                Problem::Missing
            ))
        );
        assert_eq!(
            TrustedRoot::parse(b"[]"),
            Err(field(
                Location::Document,
                TrustField::Document,
                Problem::WrongType
            ))
        );
        // An escaped media type is the same string.
        let escaped = root("").replacen("application/", "application\\/", 1);
        assert_eq!(
            TrustedRoot::parse(escaped.as_bytes()),
            Ok(TrustedRoot::default())
        );
    }

    #[test]
    fn validity_start_is_required() {
        use Location::*;
        use TrustField::{End, Start, ValidFor};
        rejects(&[
            // sigstore-conformance trust-root-tlog-missing-validity-start_fail.
            (
                r#""start": "2021-01-12T11:53:27Z""#,
                r#""x": 1"#,
                field(Tlog(0), Start, Problem::Missing),
            ),
            (
                r#""start": "2022-04-13T20:06:15Z""#,
                r#""start": null"#,
                field(CertificateAuthority(1), Start, Problem::Missing),
            ),
            (
                r#""validFor": {"#,
                r#""validFrom": {"#,
                field(Tlog(0), ValidFor, Problem::Missing),
            ),
            (
                r#""2025-07-04T00:00:00Z""#,
                r#""2025-07-04""#,
                field(TimestampAuthority(0), Start, Problem::Invalid),
            ),
            (
                r#""2022-12-31T23:59:59.999Z""#,
                "1672531199",
                field(CertificateAuthority(0), End, Problem::WrongType),
            ),
        ]);
    }

    #[test]
    fn start_after_end() {
        let end = r#""end": "2022-12-31T23:59:59.999Z""#;
        rejects(&[(
            end,
            r#""end": "2021-03-07T03:20:28.999Z""#,
            TrustRootError::StartAfterEnd {
                at: Location::CertificateAuthority(0),
            },
        )]);
        // Equal ends are one second.
        let r = production_with(end, r#""end": "2021-03-07T03:20:29Z""#).unwrap();
        let one = r.certificate_authorities[0].valid_for;
        assert_eq!(
            one,
            TimeRange::seconds(Some(1_615_087_229), Some(1_615_087_229))
        );
        // Fractions are kept: this window holds no whole second, but the
        // milliseconds from .500 to .999.
        let r = production_with(
            r#""start": "2021-03-07T03:20:29Z""#,
            r#""start": "2022-12-31T23:59:59.5Z""#,
        )
        .unwrap();
        let empty = r.certificate_authorities[0].valid_for;
        let at = |secs, nanos| Some(UnixInstant { secs, nanos });
        assert_eq!(
            (empty.start, empty.end),
            (
                at(1_672_531_199, 500_000_000),
                at(1_672_531_199, 999_000_000)
            )
        );
        assert!(!empty.contains(1_672_531_199) && !empty.contains(1_672_531_200));
        let ms = 1_672_531_199_000;
        assert!(!empty.contains_millis(ms + 499) && !empty.contains_millis(ms + 1000));
        assert!(empty.contains_millis(ms + 500) && empty.contains_millis(ms + 999));
    }

    #[test]
    fn bad_base64() {
        use Location::*;
        use TrustField::{Certificate, KeyId, RawBytes};
        let base64 = Problem::Base64;
        rejects(&[
            (
                REKOR_ID,
                "wNI9atQGlz*VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=",
                field(Tlog(0), KeyId, base64),
            ),
            (
                REKOR_ID,
                "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0",
                field(Tlog(0), KeyId, base64),
            ),
            (REKOR_ID, "", field(Tlog(0), KeyId, Problem::Missing)),
            (REKOR_KEY, "MFkw!", field(Tlog(0), RawBytes, base64)),
            (
                r#""rawBytes": "MIIB+DCC"#,
                r#""rawBytes": "?IIB+DCC"#,
                field(CertificateAuthority(0), Certificate(0), base64),
            ),
        ]);
        // `\/` in base64 is `/`.
        let r = production_with(REKOR_ID, "wNI9atQGlz+VWfO6LRygH4QUfY\\/8W4RFwiT5i5WRgB0=");
        assert_eq!(r, TrustedRoot::production());
    }

    #[test]
    fn keys_of_supported_algorithms_must_parse() {
        let bad = TrustRootError::BadKey {
            at: Location::Tlog(0),
        };
        // SEQUENCE becomes SET inside the SubjectPublicKeyInfo.
        let set = REKOR_KEY.replacen("MFkw", "MFkx", 1);
        let p256 = "PKIX_ECDSA_P256_SHA_256";
        rejects(&[
            (REKOR_KEY, &set, bad),
            // A P-256 key declared as another algorithm.
            (p256, "PKIX_ED25519", bad),
            (p256, "PKIX_ECDSA_P384_SHA_384", bad),
            (p256, "PKIX_RSA_PKCS1V5", bad),
        ]);
    }

    #[test]
    fn unsupported_algorithms_keep_their_entry() {
        let p256 = r#""keyDetails": "PKIX_ECDSA_P256_SHA_256""#;
        for to in [
            r#""keyDetails": "LMS_SHA256""#,
            r#""keyDetails": null"#,
            r#""x": 1"#,
        ] {
            let r = production_with(p256, to).unwrap();
            let log = r.tlog_by_id(&b64(REKOR_ID)).unwrap();
            assert_eq!(log.key.details, KeyDetails::Unsupported);
            assert_eq!(log.key.der, b64(REKOR_KEY));
            assert_eq!(
                log.key.verify(b"m", b"s"),
                Err(LogKeyError::UnsupportedAlgorithm)
            );
            assert_eq!(r.tlogs.len(), 2);
        }
        rejects(&[(
            p256,
            r#""keyDetails": 5"#,
            field(
                Location::Tlog(0),
                TrustField::KeyDetails,
                Problem::WrongType,
            ),
        )]);
    }

    #[test]
    fn only_sha2_256_trees() {
        let sha256 = r#""hashAlgorithm": "SHA2_256""#;
        let unsupported = |at| TrustRootError::UnsupportedHashAlgorithm { at };
        let tlog0 = unsupported(Location::Tlog(0));
        // The CT logs are checked too.
        let ct = r#""baseUrl": "https://ctfe.sigstore.dev/2022",
      "hashAlgorithm": "SHA2_256""#;
        let ct384 = ct.replace("SHA2_256", "SHA2_384");
        let mut cases = vec![
            // Absent is protobuf's default, UNSPECIFIED.
            (sha256, r#""x": 1"#.to_string(), tlog0),
            (ct, ct384, unsupported(Location::Ctlog(1))),
        ];
        for other in [
            "SHA2_384",
            "SHA2_512",
            "SHA3_256",
            "HASH_ALGORITHM_UNSPECIFIED",
            "",
        ] {
            cases.push((sha256, format!(r#""hashAlgorithm": "{other}""#), tlog0));
        }
        for (from, to, err) in cases {
            assert_eq!(production_with(from, &to), Err(err), "{to}");
        }
    }

    #[test]
    fn duplicate_members() {
        use Location::*;
        let url = r#""baseUrl": "https://rekor.sigstore.dev","#;
        let mt = r#""mediaType": "#;
        let tlogs = r#""tlogs": ["#;
        let dup = Problem::Duplicate;
        rejects(&[
            (
                url,
                &format!(r#"{url} "base\u0055rl": "https://evil.example","#),
                field(Tlog(0), TrustField::BaseUrl, dup),
            ),
            (
                mt,
                &format!(r#"{mt}"x", {mt}"#),
                field(Document, TrustField::MediaType, dup),
            ),
            (
                tlogs,
                &format!(r#""tlogs": [], {tlogs}"#),
                field(Document, TrustField::Tlogs, dup),
            ),
        ]);
        // Unknown members are ignored, even repeated.
        assert_eq!(
            production_with(url, &format!(r#"{url} "operator": 1, "operator": 2,"#)),
            TrustedRoot::production()
        );
    }

    #[test]
    fn shapes() {
        use Location::{CertificateAuthority, Ctlog, Document, Tlog};
        use TrustField::{BaseUrl, Certificate, Certificates, Entry, LogId, Tlogs};
        rejects(&[
            (
                r#""tlogs": ["#,
                r#""tlogs": 1, "x": ["#,
                field(Document, Tlogs, Problem::WrongType),
            ),
            (
                r#""baseUrl": "https://rekor.sigstore.dev","#,
                "",
                field(Tlog(0), BaseUrl, Problem::Missing),
            ),
            (
                r#""logId": {"#,
                r#""x": {"#,
                field(Tlog(0), LogId, Problem::Missing),
            ),
            // A certificate must be DER X.509.
            (
                r#""rawBytes": "MIIB+DCC"#,
                r#""rawBytes": "AAAA", "x": "MIIB+DCC"#,
                field(CertificateAuthority(0), Certificate(0), Problem::Invalid),
            ),
        ]);
        let no_certs = r#","certificateAuthorities":[{"certChain":{"certificates":[]},
            "validFor":{"start":"2021-01-01T00:00:00Z"}}]"#;
        for (members, err) in [
            (
                r#","ctlogs":[1]"#,
                field(Ctlog(0), Entry, Problem::WrongType),
            ),
            (
                no_certs,
                field(CertificateAuthority(0), Certificates, Problem::Missing),
            ),
        ] {
            assert_eq!(TrustedRoot::parse(root(members).as_bytes()), Err(err));
        }
        // Everything may be absent: an empty root is well formed.
        assert_eq!(
            TrustedRoot::parse(root(r#","tlogs":null,"ctlogs":[]"#).as_bytes()),
            Ok(TrustedRoot::default())
        );
        // The uri of a CA is optional.
        let r = production_with(r#""uri": "https://fulcio.sigstore.dev","#, "").unwrap();
        assert_eq!(r.certificate_authorities[0].uri, "");
        assert!(matches!(
            TrustedRoot::parse(b"{\"mediaType\": "),
            Err(TrustRootError::Json(_))
        ));
    }

    #[test]
    fn entries_are_bounded() {
        let id = Base64::encode_string(&Sha256::digest(b64(REKOR_KEY)));
        let one = tlog(REKOR_KEY, &id);
        let n = |count: usize| {
            let logs = vec![one.as_str(); count].join(",");
            TrustedRoot::parse(root(&format!(r#","tlogs":[{logs}],"ctlogs":[{logs}]"#)).as_bytes())
        };
        let r = n(MAX_TRUST_ROOT_ENTRIES).unwrap();
        assert_eq!(r.tlogs.len(), MAX_TRUST_ROOT_ENTRIES);
        assert_eq!(r.tlogs_by_id(&b64(&id)).count(), MAX_TRUST_ROOT_ENTRIES);
        assert!(core::ptr::eq(r.tlog_by_id(&b64(&id)).unwrap(), &r.tlogs[0]));
        assert_eq!(
            n(MAX_TRUST_ROOT_ENTRIES + 1),
            Err(field(
                Location::Document,
                TrustField::Tlogs,
                Problem::TooLong
            ))
        );
    }

    #[test]
    fn chains_are_bounded() {
        let cert = PRODUCTION
            .split(r#""rawBytes": ""#)
            .find(|s| s.starts_with("MIIB+DCC"))
            .and_then(|s| s.split('"').next())
            .unwrap();
        let n = |count: usize| {
            let certs = vec![format!(r#"{{"rawBytes":"{cert}"}}"#); count].join(",");
            TrustedRoot::parse(
                root(&format!(
                    r#","timestampAuthorities":[{{"certChain":{{"certificates":[{certs}]}},
                    "validFor":{{"start":"2021-01-01T00:00:00Z"}}}}]"#
                ))
                .as_bytes(),
            )
        };
        let r = n(MAX_TRUST_ROOT_CHAIN_CERTS).unwrap();
        assert_eq!(
            chain_lens(&r.timestamp_authorities),
            [MAX_TRUST_ROOT_CHAIN_CERTS]
        );
        assert_eq!(
            n(MAX_TRUST_ROOT_CHAIN_CERTS + 1),
            Err(field(
                Location::TimestampAuthority(0),
                TrustField::Certificates,
                Problem::TooLong
            ))
        );
    }

    #[test]
    fn size_is_bounded() {
        let mut doc = PRODUCTION.to_string();
        doc.push_str(&" ".repeat(MAX_TRUST_ROOT_BYTES - doc.len()));
        assert_eq!(doc.len(), MAX_TRUST_ROOT_BYTES);
        assert_eq!(
            TrustedRoot::parse(doc.as_bytes()),
            TrustedRoot::production()
        );
        doc.push(' ');
        assert_eq!(
            TrustedRoot::parse(doc.as_bytes()),
            Err(TrustRootError::TooLarge)
        );
        assert_eq!(
            TrustedRoot::parse_any(doc.as_bytes()),
            Err(TrustRootError::TooLarge)
        );
    }

    #[test]
    fn errors_display_one_line() {
        let e = field(Location::Tlog(3), TrustField::Start, Problem::Missing);
        assert_eq!(
            e.to_string(),
            "trusted root: tlogs[3]: validFor.start missing"
        );
        let e = field(
            Location::CertificateAuthority(0),
            TrustField::Certificate(2),
            Problem::Invalid,
        );
        assert_eq!(
            e.to_string(),
            "trusted root: certificateAuthorities[0]: certChain.certificates[2] has an invalid value"
        );
        for e in [
            TrustRootError::TooLarge,
            TrustRootError::Json(JsonError::Empty),
            TrustRootError::UnknownMediaType,
            TrustRootError::UnsupportedHashAlgorithm {
                at: Location::Ctlog(1),
            },
            TrustRootError::BadKey {
                at: Location::Document,
            },
            TrustRootError::StartAfterEnd {
                at: Location::TimestampAuthority(0),
            },
        ] {
            let s = e.to_string();
            assert!(s.starts_with("trusted root: ") && !s.contains('\n'), "{s}");
        }
    }
}
