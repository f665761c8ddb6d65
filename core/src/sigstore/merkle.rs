//! Merkle tree hashing and inclusion proofs of RFC 6962 §2.1 (restated in
//! RFC 9162 §2.1), as Rekor and every Certificate Transparency log use them.
//!
//! Hashes: a leaf is `SHA-256(0x00 || leaf)`, an interior node
//! `SHA-256(0x01 || left || right)`.
//!
//! Checks of an inclusion proof, in order (RFC 9162 §2.1.3.2):
//! 1. the leaf index is below the tree size (so the tree is not empty);
//! 2. the proof holds at most [`MAX_INCLUSION_PROOF_HASHES`] hashes and
//!    exactly as many as a leaf at that index in a tree of that size needs
//!    (the RFC's algorithm fails on any other length; counting first gives
//!    the error a name);
//! 3. folding the proof into the leaf hash with the RFC's algorithm gives a
//!    root, which [`verify_inclusion`] compares with the expected root.
//!
//! Pure and allocation-free: this module needs no feature.

use core::fmt;

use sha2::{Digest, Sha256};

use crate::limits::MAX_INCLUSION_PROOF_HASHES;

/// A SHA-256 tree hash.
pub type Hash = [u8; 32];

/// Why an inclusion proof was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum MerkleError {
    /// The leaf index is not below the tree size (check 1).
    IndexOutOfRange,
    /// The proof holds more than [`MAX_INCLUSION_PROOF_HASHES`] hashes
    /// (check 2).
    ProofTooLong,
    /// The proof's length is not the one the index and size need (check 2).
    WrongProofLength {
        /// Hashes the index and tree size call for.
        expected: usize,
        /// Hashes the proof holds.
        found: usize,
    },
    /// The proof leads to another root than the expected one (check 3).
    RootMismatch,
}

impl fmt::Display for MerkleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IndexOutOfRange => f.write_str("inclusion proof: leaf index not below tree size"),
            Self::ProofTooLong => f.write_str("inclusion proof: too many hashes"),
            Self::WrongProofLength { expected, found } => write!(
                f,
                "inclusion proof: {found} hashes where the tree needs {expected}"
            ),
            Self::RootMismatch => f.write_str("inclusion proof: root hash mismatch"),
        }
    }
}

/// The hash of a leaf: `SHA-256(0x00 || leaf)`.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(leaf);
    h.finalize().into()
}

/// The hash of an interior node: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// How many hashes an inclusion proof for leaf `leaf_index` of a tree of
/// `tree_size` leaves holds (checks 1 and 2): the levels below the point
/// where the leaf's path and the last leaf's path join, plus one per left
/// sibling above it.
pub fn inclusion_proof_len(leaf_index: u64, tree_size: u64) -> Result<usize, MerkleError> {
    if leaf_index >= tree_size {
        return Err(MerkleError::IndexOutOfRange);
    }
    // leaf_index < tree_size, so tree_size >= 1.
    let last = tree_size.saturating_sub(1);
    let inner = u64::BITS.saturating_sub((leaf_index ^ last).leading_zeros());
    let border = leaf_index.checked_shr(inner).unwrap_or(0).count_ones();
    // At most 64 + 0: both counts are bit counts of one u64.
    Ok(usize::try_from(inner.saturating_add(border)).unwrap_or(usize::MAX))
}

/// The root that `proof` leads to from `leaf_hash` at `leaf_index` in a tree
/// of `tree_size` leaves (checks 1–3, RFC 9162 §2.1.3.2).
pub fn root_from_inclusion_proof(
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
) -> Result<Hash, MerkleError> {
    let expected = inclusion_proof_len(leaf_index, tree_size)?;
    if proof.len() > MAX_INCLUSION_PROOF_HASHES {
        return Err(MerkleError::ProofTooLong);
    }
    let wrong_length = MerkleError::WrongProofLength {
        expected,
        found: proof.len(),
    };
    if proof.len() != expected {
        return Err(wrong_length);
    }
    // fn: the node's index at the current level; sn: the last node's.
    let mut fnode = leaf_index;
    let mut snode = tree_size.saturating_sub(1);
    let mut r = *leaf_hash;
    for p in proof {
        if snode == 0 {
            return Err(wrong_length);
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            // A right-edge node with no right sibling: climb until it is a
            // right child (or the root of the subtree).
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(wrong_length);
    }
    Ok(r)
}

/// Verifies that `proof` proves `leaf_hash` is leaf `leaf_index` of the tree
/// of `tree_size` leaves whose root is `expected_root` (checks 1–3).
pub fn verify_inclusion(
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
    expected_root: &Hash,
) -> Result<(), MerkleError> {
    let root = root_from_inclusion_proof(leaf_index, tree_size, leaf_hash, proof)?;
    if &root == expected_root {
        Ok(())
    } else {
        Err(MerkleError::RootMismatch)
    }
}

/// Reference tree hashing straight from RFC 6962's recursive definitions,
/// for tests here and in [`crate::sigstore::tlog`].
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use std::vec::Vec;

    /// MTH(D[n]) straight from RFC 6962 §2.1: split at the largest power
    /// of two below n.
    pub(crate) fn mth(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => Sha256::digest([]).into(),
            1 => leaves[0],
            n => {
                let k = split(n);
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    fn split(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    /// PATH(m, D[n]) from RFC 6962 §2.1.1.
    pub(crate) fn path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
        let n = leaves.len();
        if n <= 1 {
            return Vec::new();
        }
        let k = split(n);
        if m < k {
            let mut p = path(m, &leaves[..k]);
            p.push(mth(&leaves[k..]));
            p
        } else {
            let mut p = path(m - k, &leaves[k..]);
            p.push(mth(&leaves[..k]));
            p
        }
    }
}

#[cfg(test)]
mod tests;
