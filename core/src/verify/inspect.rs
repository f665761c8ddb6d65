//! What a bundle claims, read WITHOUT verifying anything: for showing a
//! bundle to a person (`oms-edge inspect`) and for naming the resource a
//! failure is about. Nothing here authenticates: a [`Manifest`] read this
//! way cannot check a model (only a `VerifiedManifest` can).

use crate::bundle::{Bundle, BundleVersion, Material, MaterialKind};
use crate::dsse::DsseError;
use crate::error::Error;
use crate::json::{Field, JsonStr, decode_base64};
use crate::manifest::Manifest;
use crate::statement;

/// A bundle's structure, parsed (step 2) but not verified.
#[derive(Debug, Clone, Copy)]
pub struct UnverifiedBundle<'a> {
    bundle: Bundle<'a>,
}

impl<'a> UnverifiedBundle<'a> {
    /// Parses the bundle's structure (the same checks every method makes
    /// first).
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        Ok(Self {
            bundle: Bundle::parse(bytes)?,
        })
    }

    /// The bundle format version from `mediaType`.
    pub fn version(&self) -> BundleVersion {
        self.bundle.version
    }

    /// The verification material, hence the signing method.
    pub fn material(&self) -> MaterialKind {
        self.bundle.material.kind()
    }

    /// `publicKey.hint`, for the key method.
    pub fn key_hint(&self) -> Option<JsonStr<'a>> {
        match self.bundle.material {
            Material::PublicKey { hint, .. } => hint,
            _ => None,
        }
    }

    /// How many certificates `x509CertificateChain` lists, for the
    /// certificate method.
    pub fn chain_len(&self) -> Option<usize> {
        match self.bundle.material {
            Material::X509CertificateChain { certificates } => Some(certificates.iter().count()),
            _ => None,
        }
    }

    /// How many transparency-log entries the bundle lists.
    pub fn tlog_entry_count(&self) -> usize {
        self.bundle.tlog_entries.map_or(0, |t| t.iter().count())
    }

    /// The DSSE payload, decoded into `buf` (which must hold its base64
    /// text; the bundle's length always suffices) but NOT authenticated.
    pub fn payload<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], Error> {
        let env = self.bundle.envelope()?;
        Ok(decode_base64(env.payload, buf, Field::Payload).map_err(DsseError::from)?)
    }
}

impl<'p> Manifest<'p> {
    /// Parses and validates the statement in `payload` (steps 8a and 8b)
    /// WITHOUT authenticating it: for showing what a bundle claims. The
    /// result says nothing about who signed it, and cannot check a model.
    pub fn parse_unverified(payload: &'p [u8]) -> Result<Self, Error> {
        Ok(statement::parse_unverified(payload)?)
    }

    /// The raw `name` of resource `index` in a payload, found without
    /// validating anything else: for naming the resource an error is about
    /// when the manifest as a whole was rejected.
    pub fn resource_name_at(payload: &'p [u8], index: usize) -> Option<JsonStr<'p>> {
        statement::resource_name_at(payload, index)
    }
}
