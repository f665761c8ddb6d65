//! TUF metadata documents (spec §4 "Document formats"), parsed from the
//! bytes as given into small owned summaries.
//!
//! Checks, in order, for every document:
//! 1. at most the role's size limit ([`super::limits`]);
//! 2. one valid JSON document (the core's strict reader: a member named
//!    twice, truncation, bad UTF-8 are all refused) whose top level is an
//!    object with `signed` (object) and `signatures` (array);
//! 3. the OLPC canonical form of `signed` ([`super::canonical`]): refuses
//!    floats, duplicate members and nesting beyond
//!    [`crate::limits::MAX_TUF_DEPTH`];
//! 4. `signatures`: at most [`MAX_TUF_SIGNATURES`] objects with string `keyid`
//!    and `sig`, no keyid twice (§4);
//! 5. `_type` is the role's, `spec_version` is `1.x` or `1.x.y`, `version`
//!    an integer >= 1, `expires` a `YYYY-MM-DDTHH:MM:SSZ` date-time;
//! 6. the role's own fields, with python-tuf's rules: root `keys` and
//!    exactly the four top-level `roles` (unique keyids, threshold >= 1);
//!    timestamp `meta` with `snapshot.json` only; snapshot `meta`; targets
//!    `targets` (length >= 0, non-empty `hashes`, `custom` an object) and
//!    `delegations` an object if present (delegated roles are not
//!    followed: see [`super`]).
//!
//! Members this client does not know (`x-tuf-on-ci-*`, `keyid_hash_algorithms`)
//! are allowed: they are part of what was signed.

use alloc::vec::Vec;

use super::canonical::canonical;
use super::encoding::{is_lower_hex_of, parse_expires};
use super::error::{Field, HashAlg, Role, TufCheck, TufError};
use super::keys::{Key, KeyEntry, RoleKeys, Sig};
use crate::json::{self, JsonStr, Kind, Object, Value};
use crate::limits::{
    MAX_TUF_KEYID_BYTES, MAX_TUF_KEYS, MAX_TUF_META_ENTRIES, MAX_TUF_PATH_BYTES,
    MAX_TUF_ROLE_KEYIDS, MAX_TUF_SIGNATURES, MAX_TUF_TARGETS,
};

/// A parsed document: the canonical bytes of `signed`, its signatures, and
/// the common header.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    pub(crate) signed: Object<'a>,
    pub(crate) canonical: Vec<u8>,
    pub(crate) signatures: Vec<Sig<'a>>,
    pub(crate) version: u64,
    pub(crate) expires: u64,
}

/// Checks 1–5 for `role`'s document in `bytes`.
pub(crate) fn document(bytes: &[u8], role: Role, limit: usize) -> Result<Document<'_>, TufError> {
    let err = |check| TufError::new(role, check);
    let field = |f| TufError::new(role, TufCheck::Field(f));
    if bytes.len() > limit {
        return Err(err(TufCheck::TooLarge {
            limit: u64::try_from(limit).unwrap_or(u64::MAX),
        }));
    }
    let top = json::parse(bytes).map_err(|e| err(TufCheck::Json(e)))?;
    let top = top.object().map_err(|_| field(Field::Signed))?;
    let signed_value = get(top, "signed", role)?.ok_or(field(Field::Signed))?;
    let signed = signed_value.object().map_err(|_| field(Field::Signed))?;
    let signatures = get(top, "signatures", role)?
        .and_then(|v| v.array().ok())
        .ok_or(field(Field::Signatures))?;
    // `signed` sits at depth 2 below the top-level object.
    let canonical = canonical(signed_value, 2).map_err(err)?;

    let mut sigs: Vec<Sig<'_>> = Vec::new();
    for element in signatures.iter() {
        let element = element.map_err(|e| err(TufCheck::Json(e)))?;
        if sigs.len() >= MAX_TUF_SIGNATURES {
            return Err(err(TufCheck::TooMany(Field::Signatures)));
        }
        let obj = element.object().map_err(|_| field(Field::Signatures))?;
        let keyid = string(obj, "keyid", role, Field::SignatureKeyid)?;
        let sig = string(obj, "sig", role, Field::SignatureSig)?;
        if keyid.raw().len() > MAX_TUF_KEYID_BYTES.saturating_mul(6) || keyid.is_empty() {
            return Err(field(Field::SignatureKeyid));
        }
        if sigs.iter().any(|s| s.keyid.bytes().eq(keyid.bytes())) {
            return Err(err(TufCheck::DuplicateSignature));
        }
        sigs.push(Sig { keyid, sig });
    }

    if !string(signed, "_type", role, Field::Type)?.eq_str(role.type_name()) {
        return Err(err(TufCheck::WrongType));
    }
    if !spec_version_ok(string(signed, "spec_version", role, Field::SpecVersion)?) {
        return Err(err(TufCheck::SpecVersion));
    }
    let version = positive(signed, "version", role, Field::Version)?;
    let expires = parse_expires(string(signed, "expires", role, Field::Expires)?)
        .ok_or(field(Field::Expires))?;
    Ok(Document {
        signed,
        canonical,
        signatures: sigs,
        version,
        expires,
    })
}

fn get<'a>(obj: Object<'a>, key: &str, role: Role) -> Result<Option<Value<'a>>, TufError> {
    obj.get(key)
        .map_err(|e| TufError::new(role, TufCheck::Json(e)))
}

fn string<'a>(obj: Object<'a>, key: &str, role: Role, f: Field) -> Result<JsonStr<'a>, TufError> {
    get(obj, key, role)?
        .and_then(|v| v.str().ok())
        .ok_or(TufError::new(role, TufCheck::Field(f)))
}

fn object<'a>(obj: Object<'a>, key: &str, role: Role, f: Field) -> Result<Object<'a>, TufError> {
    get(obj, key, role)?
        .and_then(|v| v.object().ok())
        .ok_or(TufError::new(role, TufCheck::Field(f)))
}

fn integer(v: Value<'_>) -> Option<u64> {
    // Canonicalization already refused fractions and exponents.
    (v.kind() == Kind::Number).then(|| v.exact_u64(u64::MAX).ok())?
}

fn positive(obj: Object<'_>, key: &str, role: Role, f: Field) -> Result<u64, TufError> {
    get(obj, key, role)?
        .and_then(integer)
        .filter(|&n| n >= 1)
        .ok_or(TufError::new(role, TufCheck::Field(f)))
}

/// python-tuf's rule: `X.Y` or `X.Y.Z`, digits only, major version 1.
fn spec_version_ok(s: JsonStr<'_>) -> bool {
    if s.has_escapes() {
        return false;
    }
    let parts = s.raw().split('.');
    let mut n = 0usize;
    for (i, part) in parts.enumerate() {
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
        if i == 0 && part != "1" {
            return false;
        }
        n = n.saturating_add(1);
    }
    matches!(n, 2 | 3)
}

/// Root metadata (§4 "root.json").
#[derive(Debug, Clone)]
pub(crate) struct Root {
    pub(crate) version: u64,
    pub(crate) expires: u64,
    pub(crate) consistent_snapshot: bool,
    pub(crate) keys: Vec<KeyEntry>,
    /// root, timestamp, snapshot, targets: see [`RoleIndex`].
    pub(crate) roles: [RoleKeys; 4],
}

/// Index of a top-level role in [`Root::roles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleIndex {
    Root = 0,
    Timestamp = 1,
    Snapshot = 2,
    Targets = 3,
}

impl RoleIndex {
    /// The role's place in [`Root`]'s role list.
    fn slot(self) -> usize {
        match self {
            RoleIndex::Root => 0,
            RoleIndex::Timestamp => 1,
            RoleIndex::Snapshot => 2,
            RoleIndex::Targets => 3,
        }
    }
}

const ROLE_NAMES: [(&str, RoleIndex); 4] = [
    ("root", RoleIndex::Root),
    ("timestamp", RoleIndex::Timestamp),
    ("snapshot", RoleIndex::Snapshot),
    ("targets", RoleIndex::Targets),
];

impl Root {
    pub(crate) fn role(&self, r: RoleIndex) -> &RoleKeys {
        match r {
            RoleIndex::Root => &self.roles[0],
            RoleIndex::Timestamp => &self.roles[1],
            RoleIndex::Snapshot => &self.roles[2],
            RoleIndex::Targets => &self.roles[3],
        }
    }

    /// Parses the root-specific fields of a root document.
    pub(crate) fn parse(doc: &Document<'_>) -> Result<Self, TufError> {
        let role = Role::Root;
        let err = |check| TufError::new(role, check);
        let field = |f| TufError::new(role, TufCheck::Field(f));
        let consistent_snapshot = match get(doc.signed, "consistent_snapshot", role)? {
            None => false,
            Some(v) => v.bool().map_err(|_| field(Field::ConsistentSnapshot))?,
        };
        let mut keys: Vec<KeyEntry> = Vec::new();
        for member in object(doc.signed, "keys", role, Field::Keys)?.members() {
            let (keyid, value) = member.map_err(|e| err(TufCheck::Json(e)))?;
            if keys.len() >= MAX_TUF_KEYS {
                return Err(err(TufCheck::TooMany(Field::Keys)));
            }
            let id: Vec<u8> = keyid
                .bytes()
                .take(MAX_TUF_KEYID_BYTES.saturating_add(1))
                .collect();
            if id.is_empty() || id.len() > MAX_TUF_KEYID_BYTES {
                return Err(field(Field::Keys));
            }
            let key = value.object().map_err(|_| field(Field::Key))?;
            let keytype = string(key, "keytype", role, Field::Key)?;
            let scheme = string(key, "scheme", role, Field::Key)?;
            let keyval = object(key, "keyval", role, Field::Key)?;
            let public = string(keyval, "public", role, Field::Key)?;
            keys.push(KeyEntry {
                id,
                key: Key::parse(keytype, scheme, public),
            });
        }
        let roles_obj = object(doc.signed, "roles", role, Field::Roles)?;
        let mut count = 0usize;
        for member in roles_obj.members() {
            let (name, _) = member.map_err(|e| err(TufCheck::Json(e)))?;
            if !ROLE_NAMES.iter().any(|(n, _)| name.eq_str(n)) {
                return Err(field(Field::Roles));
            }
            count = count.saturating_add(1);
        }
        if count != ROLE_NAMES.len() {
            return Err(field(Field::Roles));
        }
        let mut parsed: [Option<RoleKeys>; 4] = [None, None, None, None];
        for (name, index) in ROLE_NAMES {
            let r = object(roles_obj, name, role, Field::Roles)?;
            let ids = get(r, "keyids", role)?
                .and_then(|v| v.array().ok())
                .ok_or(field(Field::RoleKeyids))?;
            let mut seen: Vec<JsonStr<'_>> = Vec::new();
            let mut indices = Vec::new();
            for id in ids.iter() {
                let id = id.map_err(|e| err(TufCheck::Json(e)))?;
                let id = id.str().map_err(|_| field(Field::RoleKeyids))?;
                if seen.len() >= MAX_TUF_ROLE_KEYIDS {
                    return Err(err(TufCheck::TooMany(Field::RoleKeyids)));
                }
                if seen.iter().any(|s| s.bytes().eq(id.bytes())) {
                    return Err(err(TufCheck::DuplicateKeyid));
                }
                seen.push(id);
                indices.push(
                    keys.iter()
                        .position(|k| id.bytes().eq(k.id.iter().copied())),
                );
            }
            let threshold = positive(r, "threshold", role, Field::Threshold)?;
            if let Some(slot) = parsed.get_mut(index.slot()) {
                *slot = Some(RoleKeys {
                    keys: indices,
                    threshold,
                });
            }
        }
        let [Some(r0), Some(r1), Some(r2), Some(r3)] = parsed else {
            return Err(field(Field::Roles));
        };
        Ok(Root {
            version: doc.version,
            expires: doc.expires,
            consistent_snapshot,
            keys,
            roles: [r0, r1, r2, r3],
        })
    }
}

/// `hashes` of a meta or target entry: algorithm (None: one this client
/// cannot compute) and the hex digest as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hashes(Vec<(Option<HashAlg>, Vec<u8>)>);

impl Hashes {
    fn parse(v: Value<'_>, role: Role) -> Result<Self, TufError> {
        let field = TufError::new(role, TufCheck::Field(Field::Hashes));
        let obj = v.object().map_err(|_| field)?;
        let mut out = Vec::new();
        for member in obj.members() {
            let (alg, digest) = member.map_err(|e| TufError::new(role, TufCheck::Json(e)))?;
            let digest = digest.str().map_err(|_| field)?;
            if out.len() >= 8 || digest.raw().len() > 1024 {
                return Err(TufError::new(role, TufCheck::TooMany(Field::Hashes)));
            }
            let alg = [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512]
                .into_iter()
                .find(|a| alg.eq_str(a.name()));
            out.push((alg, digest.bytes().collect()));
        }
        if out.is_empty() {
            return Err(field);
        }
        Ok(Self(out))
    }

    /// Checks every hash over `data`, in document order (python-tuf's
    /// `_verify_hashes`): an algorithm this client cannot compute fails.
    pub(crate) fn verify(&self, data: &[u8], role: Role) -> Result<(), TufError> {
        use sha2::Digest as _;
        for (alg, hex) in &self.0 {
            let Some(alg) = alg else {
                return Err(TufError::new(role, TufCheck::UnsupportedHash));
            };
            let digest_matches = |d: &[u8]| is_lower_hex_of(hex.iter().copied(), d);
            let ok = match alg {
                HashAlg::Sha256 => digest_matches(&sha2::Sha256::digest(data)),
                HashAlg::Sha384 => digest_matches(&sha2::Sha384::digest(data)),
                HashAlg::Sha512 => digest_matches(&sha2::Sha512::digest(data)),
            };
            if !ok {
                return Err(TufError::new(role, TufCheck::Hash(*alg)));
            }
        }
        Ok(())
    }

    /// The hex `sha256` digest, if listed (for consistent-snapshot names).
    pub(crate) fn hex(&self, alg: HashAlg) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(a, _)| *a == Some(alg))
            .map(|(_, h)| h.as_slice())
    }
}

/// A `meta` entry (§4 METAFILES).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MetaFile {
    pub(crate) version: u64,
    pub(crate) length: Option<u64>,
    pub(crate) hashes: Option<Hashes>,
}

impl MetaFile {
    fn parse(v: Value<'_>, role: Role) -> Result<Self, TufError> {
        let obj = v
            .object()
            .map_err(|_| TufError::new(role, TufCheck::Field(Field::Meta)))?;
        let version = positive(obj, "version", role, Field::MetaVersion)?;
        let length = match get(obj, "length", role)? {
            None => None,
            Some(v) => Some(integer(v).ok_or(TufError::new(role, TufCheck::Field(Field::Length)))?),
        };
        let hashes = match get(obj, "hashes", role)? {
            None => None,
            Some(v) => Some(Hashes::parse(v, role)?),
        };
        Ok(Self {
            version,
            length,
            hashes,
        })
    }

    /// §5.5.2 / §5.6.2: `data` has the pinned length and hashes, if any.
    pub(crate) fn verify(&self, data: &[u8], role: Role) -> Result<(), TufError> {
        if let Some(expected) = self.length {
            let found = u64::try_from(data.len()).unwrap_or(u64::MAX);
            if found != expected {
                return Err(TufError::new(role, TufCheck::Length { expected, found }));
            }
        }
        if let Some(h) = &self.hashes {
            h.verify(data, role)?;
        }
        Ok(())
    }
}

/// Timestamp metadata (§4 "timestamp.json").
#[derive(Debug, Clone)]
pub(crate) struct Timestamp {
    pub(crate) version: u64,
    pub(crate) expires: u64,
    pub(crate) snapshot: MetaFile,
}

impl Timestamp {
    pub(crate) fn parse(doc: &Document<'_>) -> Result<Self, TufError> {
        let role = Role::Timestamp;
        let field = TufError::new(role, TufCheck::Field(Field::Meta));
        let meta = object(doc.signed, "meta", role, Field::Meta)?;
        // The spec: "this MUST only include a description of the
        // snapshot.json file".
        let mut members = meta.members();
        let (name, value) = members
            .next()
            .ok_or(field)?
            .map_err(|e| TufError::new(role, TufCheck::Json(e)))?;
        if !name.eq_str("snapshot.json") || members.next().is_some() {
            return Err(field);
        }
        Ok(Self {
            version: doc.version,
            expires: doc.expires,
            snapshot: MetaFile::parse(value, role)?,
        })
    }
}

/// Snapshot metadata (§4 "snapshot.json").
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub(crate) version: u64,
    pub(crate) expires: u64,
    pub(crate) meta: Vec<(Vec<u8>, MetaFile)>,
}

impl Snapshot {
    pub(crate) fn parse(doc: &Document<'_>) -> Result<Self, TufError> {
        let role = Role::Snapshot;
        let mut meta = Vec::new();
        for member in object(doc.signed, "meta", role, Field::Meta)?.members() {
            let (name, value) = member.map_err(|e| TufError::new(role, TufCheck::Json(e)))?;
            if meta.len() >= MAX_TUF_META_ENTRIES {
                return Err(TufError::new(role, TufCheck::TooMany(Field::Meta)));
            }
            meta.push((
                path(name, role, Field::Meta)?,
                MetaFile::parse(value, role)?,
            ));
        }
        Ok(Self {
            version: doc.version,
            expires: doc.expires,
            meta,
        })
    }

    pub(crate) fn get(&self, name: &[u8]) -> Option<&MetaFile> {
        self.meta
            .iter()
            .find(|(n, _)| n.as_slice() == name)
            .map(|(_, m)| m)
    }
}

fn path(name: JsonStr<'_>, role: Role, f: Field) -> Result<Vec<u8>, TufError> {
    let bytes: Vec<u8> = name
        .bytes()
        .take(MAX_TUF_PATH_BYTES.saturating_add(1))
        .collect();
    if bytes.len() > MAX_TUF_PATH_BYTES {
        return Err(TufError::new(role, TufCheck::Field(f)));
    }
    Ok(bytes)
}

/// A `targets` entry (§4 TARGETS).
#[derive(Debug, Clone)]
pub(crate) struct TargetFile {
    pub(crate) length: u64,
    pub(crate) hashes: Hashes,
}

/// Targets metadata (§4 "targets.json"), top-level.
#[derive(Debug, Clone)]
pub(crate) struct Targets {
    pub(crate) version: u64,
    pub(crate) expires: u64,
    pub(crate) targets: Vec<(Vec<u8>, TargetFile)>,
}

impl Targets {
    pub(crate) fn parse(doc: &Document<'_>) -> Result<Self, TufError> {
        let role = Role::Targets;
        let field = |f| TufError::new(role, TufCheck::Field(f));
        let mut targets = Vec::new();
        for member in object(doc.signed, "targets", role, Field::Targets)?.members() {
            let (name, value) = member.map_err(|e| TufError::new(role, TufCheck::Json(e)))?;
            if targets.len() >= MAX_TUF_TARGETS {
                return Err(TufError::new(role, TufCheck::TooMany(Field::Targets)));
            }
            let obj = value.object().map_err(|_| field(Field::Targets))?;
            let length = get(obj, "length", role)?
                .and_then(integer)
                .ok_or(field(Field::Length))?;
            let hashes =
                Hashes::parse(get(obj, "hashes", role)?.ok_or(field(Field::Hashes))?, role)?;
            if let Some(custom) = get(obj, "custom", role)? {
                custom.object().map_err(|_| field(Field::Custom))?;
            }
            targets.push((
                path(name, role, Field::Targets)?,
                TargetFile { length, hashes },
            ));
        }
        // Delegated roles are not followed; their description must still
        // be an object.
        if let Some(v) = get(doc.signed, "delegations", role)? {
            v.object().map_err(|_| field(Field::Delegations))?;
        }
        Ok(Self {
            version: doc.version,
            expires: doc.expires,
            targets,
        })
    }

    pub(crate) fn get(&self, name: &[u8]) -> Option<&TargetFile> {
        self.targets
            .iter()
            .find(|(n, _)| n.as_slice() == name)
            .map(|(_, t)| t)
    }
}
