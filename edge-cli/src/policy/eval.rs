//! Several signatures of one model against a [`Policy`]: one verdict.
//!
//! Steps of [`evaluate`], in order:
//! 1. every signature is verified on its own against every signer of the
//!    policy (the core's verifiers: a signature of another method fails
//!    that signer's check at once). A signature that some signer admits
//!    names who made it, its [`Principal`]: the signing key (key and
//!    certificate methods: the same key is the same signer whatever the
//!    method) or the Fulcio identity and issuer (sigstore);
//! 2. the verified signatures are grouped by manifest: the same
//!    serialization (method, shard size, hash, symlinks, ignore paths as a
//!    set), the same resources (names and digests, in order) and the same
//!    root digest. The model is checked once per group, by the caller's
//!    `check_model`. (The root digest alone is not enough: it hashes the
//!    resources' digests, not their names.);
//! 3. signers are matched to principals: a principal counts for at most
//!    one signer, a signer counts once however many signatures its
//!    principal made, and only signatures whose manifest the model
//!    matched count. The matching is a maximum one (augmenting paths), so
//!    two signers whose matchers overlap never cost the policy a signer
//!    that one assignment would have counted;
//! 4. the policy is met when at least `threshold` of the required signers
//!    are matched.
//!
//! A signature that no signer admits, or whose manifest the model does
//! not match, does not count and does not fail the verdict: a model
//! passes when its counted signatures meet the requirement, and every
//! counted signature's manifest matches it (by step 3).

use std::collections::BTreeMap;

use oms_edge_core::{
    CertificateEvidence, Error, KeyEvidence, SigstoreEvidence, SigstoreVerifier, Time,
    VerifiedManifest, Verifier,
};
use sha2::{Digest as _, Sha256};

use super::{Policy, SignerKind};

/// Who made a signature.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Principal {
    /// A signing key: SHA-256 of its DER SubjectPublicKeyInfo.
    Key([u8; 32]),
    /// A Fulcio identity.
    Identity {
        /// The certificate's SAN.
        san: String,
        /// The OIDC issuer.
        issuer: String,
    },
}

/// What a verification proved, by method.
#[derive(Debug, Clone)]
pub enum Evidence {
    /// Key method.
    Key(KeyEvidence),
    /// Certificate method.
    Certificate(Box<CertificateEvidence>),
    /// Sigstore method.
    Sigstore(Box<SigstoreEvidence>),
}

/// What one signer made of one signature.
#[derive(Debug, Clone)]
pub enum Attempt {
    /// The signer admits it.
    Verified(Evidence),
    /// It does not: the check that failed.
    Failed(Error),
}

/// Everything found about one signature.
#[derive(Debug, Clone)]
pub struct SignatureVerdict {
    /// One attempt per signer of the policy, in [`Policy::signers`] order.
    pub attempts: Vec<Attempt>,
    /// Who made it, when some signer admits it.
    pub principal: Option<Principal>,
    /// Its manifest group (an index into [`Evaluation::manifests`]), when
    /// some signer admits it.
    pub manifest: Option<usize>,
    /// The signer it counts for, if any.
    pub counted_for: Option<usize>,
}

/// One distinct manifest and the model check made with it.
#[derive(Debug)]
pub struct ManifestGroup<T, E> {
    /// The signatures that carry it.
    pub signatures: Vec<usize>,
    /// What the caller's model check said.
    pub result: Result<T, E>,
}

/// The verdict on a set of signatures.
#[derive(Debug)]
pub struct Evaluation<T, E> {
    /// Per signature, in the order given.
    pub signatures: Vec<SignatureVerdict>,
    /// Per distinct manifest, in order of first appearance.
    pub manifests: Vec<ManifestGroup<T, E>>,
    /// The counted signers: `(signer, signature)`, in signer order.
    pub counted: Vec<(usize, usize)>,
    /// Whether the requirement is met.
    pub met: bool,
}

impl<T, E> Evaluation<T, E> {
    /// The signature a signer counts with, if it counts.
    pub fn counted_signature(&self, signer: usize) -> Option<usize> {
        self.counted
            .iter()
            .find(|(s, _)| *s == signer)
            .map(|(_, sig)| *sig)
    }
}

/// Steps 1–4 of the module docs: verifies every signature (bytes, in
/// `signatures`) against `policy` at `time`, checks the model once per
/// distinct verified manifest with `check_model` (given the manifest and
/// the indexes of the signatures that carry it; `Ok` when the model
/// matches), counts signers and decides.
pub fn evaluate<T, E>(
    policy: &Policy,
    signatures: &[&[u8]],
    time: Time,
    mut check_model: impl FnMut(&VerifiedManifest<'_>, &[usize]) -> Result<T, E>,
) -> Evaluation<T, E> {
    // 1.
    let verifiers: Vec<AnyVerifier<'_>> = policy
        .signers
        .iter()
        .map(|s| AnyVerifier::of(&s.kind))
        .collect();
    // Each verified signature's manifest, kept for step 2 in a buffer of
    // its own (`iter_mut` lends each one apart).
    let mut kept_bufs: Vec<Vec<u8>> = vec![Vec::new(); signatures.len()];
    let mut kept: Vec<Option<VerifiedManifest<'_>>> = Vec::with_capacity(signatures.len());
    let mut verdicts = Vec::with_capacity(signatures.len());
    let mut scratch = Vec::new();
    for (bundle, keep) in signatures.iter().zip(kept_bufs.iter_mut()) {
        scratch.resize(bundle.len(), 0);
        let mut attempts = Vec::with_capacity(verifiers.len());
        let mut principal = None;
        for v in &verifiers {
            match v.verify(bundle, time, &mut scratch) {
                Ok((evidence, who)) => {
                    principal.get_or_insert(who);
                    attempts.push(Attempt::Verified(evidence));
                }
                Err(e) => attempts.push(Attempt::Failed(e)),
            }
        }
        // The first signer that admits it verifies it again, into the
        // buffer its manifest will borrow (the same bytes, verifier and
        // time: the same result).
        let first = attempts
            .iter()
            .position(|a| matches!(a, Attempt::Verified(_)));
        let mut manifest = None;
        if let Some(j) = first {
            keep.resize(bundle.len(), 0);
            match verifiers[j].manifest(bundle, time, keep) {
                Ok(m) => manifest = Some(m),
                Err(e) => {
                    for a in attempts.iter_mut() {
                        if matches!(a, Attempt::Verified(_)) {
                            *a = Attempt::Failed(e);
                        }
                    }
                    principal = None;
                }
            }
        }
        kept.push(manifest);
        verdicts.push(SignatureVerdict {
            attempts,
            principal,
            manifest: None,
            counted_for: None,
        });
    }
    // 2.
    let mut groups: Vec<([u8; 32], Vec<usize>)> = Vec::new();
    for (i, m) in kept.iter().enumerate() {
        let Some(m) = m else { continue };
        let print = fingerprint(m);
        match groups.iter_mut().find(|(p, _)| *p == print) {
            Some((_, members)) => members.push(i),
            None => groups.push((print, vec![i])),
        }
    }
    let mut manifests = Vec::with_capacity(groups.len());
    for (g, (_, members)) in groups.into_iter().enumerate() {
        for &i in &members {
            verdicts[i].manifest = Some(g);
        }
        let Some(Some(manifest)) = members.first().and_then(|&i| kept.get(i)) else {
            continue;
        };
        let result = check_model(manifest, &members);
        manifests.push(ManifestGroup {
            signatures: members,
            result,
        });
    }
    // 3.
    let counted = match_signers(policy, &verdicts, &manifests);
    for &(signer, sig) in &counted {
        verdicts[sig].counted_for = Some(signer);
    }
    // 4.
    let met = counted.len() >= policy.requirement.threshold;
    Evaluation {
        signatures: verdicts,
        manifests,
        counted,
        met,
    }
}

/// Step 3: a maximum matching of required signers to principals, over
/// the signatures whose manifest the model matched; `(signer, signature)`
/// pairs in signer order.
fn match_signers<T, E>(
    policy: &Policy,
    verdicts: &[SignatureVerdict],
    manifests: &[ManifestGroup<T, E>],
) -> Vec<(usize, usize)> {
    // Each principal's usable signature per signer (the first one).
    let mut principals: BTreeMap<&Principal, BTreeMap<usize, usize>> = BTreeMap::new();
    for (i, v) in verdicts.iter().enumerate() {
        let (Some(p), Some(g)) = (&v.principal, v.manifest) else {
            continue;
        };
        if manifests[g].result.is_err() {
            continue;
        }
        let entry = principals.entry(p).or_default();
        for &signer in &policy.requirement.signers {
            if matches!(v.attempts.get(signer), Some(Attempt::Verified(_))) {
                entry.entry(signer).or_insert(i);
            }
        }
    }
    let edges: Vec<&BTreeMap<usize, usize>> = principals.values().collect();
    // Kuhn's augmenting paths: `owner[signer]` is the principal it counts.
    let mut owner: BTreeMap<usize, usize> = BTreeMap::new();
    for p in 0..edges.len() {
        let mut seen = Vec::new();
        augment(p, &edges, &mut owner, &mut seen);
    }
    owner
        .into_iter()
        .map(|(signer, p)| (signer, edges[p][&signer]))
        .collect()
}

fn augment(
    p: usize,
    edges: &[&BTreeMap<usize, usize>],
    owner: &mut BTreeMap<usize, usize>,
    seen: &mut Vec<usize>,
) -> bool {
    for &signer in edges[p].keys() {
        if seen.contains(&signer) {
            continue;
        }
        seen.push(signer);
        let free = match owner.get(&signer) {
            None => true,
            Some(&other) => augment(other, edges, owner, seen),
        };
        if free {
            owner.insert(signer, p);
            return true;
        }
    }
    false
}

/// A signer's verifier, over the policy's trust material.
enum AnyVerifier<'a> {
    Key(&'a oms_edge_core::KeyVerifier),
    Certificate(&'a oms_edge_core::CertificateVerifier),
    Sigstore(SigstoreVerifier<'a>),
}

impl<'a> AnyVerifier<'a> {
    fn of(kind: &'a SignerKind) -> Self {
        match kind {
            SignerKind::Key { verifier, .. } => AnyVerifier::Key(verifier),
            SignerKind::Certificate { verifier, .. } => AnyVerifier::Certificate(verifier),
            SignerKind::Sigstore { trust, policy, .. } => {
                AnyVerifier::Sigstore(SigstoreVerifier::new(trust, policy.clone()))
            }
        }
    }

    /// Verifies `bundle`: the evidence, and who signed.
    fn verify(
        &self,
        bundle: &[u8],
        time: Time,
        buf: &mut [u8],
    ) -> Result<(Evidence, Principal), Error> {
        match self {
            AnyVerifier::Key(v) => {
                let verified = v.verify(bundle, time, buf)?;
                Ok((Evidence::Key(*verified.evidence()), key_principal(v.key())))
            }
            AnyVerifier::Certificate(v) => {
                let (_, evidence) = v.verify(bundle, time, buf)?.into_parts();
                let who = key_principal(evidence.leaf_public_key());
                Ok((Evidence::Certificate(Box::new(evidence)), who))
            }
            AnyVerifier::Sigstore(v) => {
                let (_, evidence) = v.verify(bundle, time, buf)?.into_parts();
                let who = match evidence.identity() {
                    Some(id) => Principal::Identity {
                        san: id.san.clone(),
                        issuer: id.issuer.clone(),
                    },
                    // The policy file has no managed-key signer; a
                    // keyless verifier always reports an identity.
                    None => Principal::Key([0; 32]),
                };
                Ok((Evidence::Sigstore(Box::new(evidence)), who))
            }
        }
    }

    /// Verifies `bundle` again and keeps its manifest.
    fn manifest<'p>(
        &self,
        bundle: &[u8],
        time: Time,
        buf: &'p mut [u8],
    ) -> Result<VerifiedManifest<'p>, Error> {
        Ok(match self {
            AnyVerifier::Key(v) => v.verify(bundle, time, buf)?.into_parts().0,
            AnyVerifier::Certificate(v) => v.verify(bundle, time, buf)?.into_parts().0,
            AnyVerifier::Sigstore(v) => v.verify(bundle, time, buf)?.into_parts().0,
        })
    }
}

fn key_principal(key: &oms_edge_core::PublicKey) -> Principal {
    let mut buf = [0u8; oms_edge_core::limits::MAX_SPKI_BYTES];
    let spki = key.to_spki_der(&mut buf).unwrap_or_default();
    Principal::Key(Sha256::digest(spki).into())
}

/// Step 2: what makes two manifests the same, hashed.
fn fingerprint(m: &VerifiedManifest<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(m.format().predicate_type().as_bytes());
    field(
        m.root_digest()
            .map(|d| d.hex().to_string())
            .unwrap_or_default()
            .as_bytes(),
    );
    let ser = m.serialization();
    field(ser.method.name().as_bytes());
    if let oms_edge_core::Method::Shards { shard_size } = ser.method {
        field(&shard_size.to_be_bytes());
    }
    field(ser.hash.name().as_bytes());
    field(&[u8::from(ser.allow_symlinks)]);
    let mut ignored: Vec<String> = ser
        .ignore_paths
        .map(|a| a.iter().map(|s| s.chars().collect()).collect())
        .unwrap_or_default();
    ignored.sort();
    ignored.dedup();
    field(&(ignored.len() as u64).to_be_bytes());
    for p in &ignored {
        field(p.as_bytes());
    }
    field(&(m.len() as u64).to_be_bytes());
    for r in m.resources() {
        let name: String = r.name.chars().collect();
        field(name.as_bytes());
        field(r.digest.algorithm().name().as_bytes());
        field(r.digest.as_bytes());
    }
    h.finalize().into()
}
