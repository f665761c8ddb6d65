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
/// for tests here and in [`crate::tlog`].
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
mod tests {
    use super::testing::{mth, path};
    use super::*;
    use std::vec::Vec;

    fn h(hex: &str) -> Hash {
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    fn bytes(hex: &str) -> Vec<u8> {
        (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    // The RFC 6962 test tree: its eight leaves, the root of each prefix
    // (sizes 1..=8) and known inclusion proofs (leaf index 1-based, size,
    // proof). Data tables from transparency-dev/merkle, proof/verify_test.go
    // (`leaves`, `roots`, `inclusionProofs`), which took them from the
    // certificate-transparency reference tests.
    const LEAVES: [&str; 8] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];
    const ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    const PROOFS: [(u64, u64, &[&str]); 5] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            3,
            3,
            &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
        (
            2,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];

    fn rfc_leaves() -> Vec<Hash> {
        LEAVES.iter().map(|l| leaf_hash(&bytes(l))).collect()
    }

    #[test]
    fn rfc6962_roots() {
        let leaves = rfc_leaves();
        for (n, root) in ROOTS.iter().enumerate() {
            assert_eq!(mth(&leaves[..=n]), h(root), "size {}", n + 1);
        }
        // The empty tree's hash is SHA-256 of nothing.
        assert_eq!(
            mth(&[]),
            h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
    }

    #[test]
    fn rfc6962_inclusion_vectors() {
        let leaves = rfc_leaves();
        for (leaf, size, proof) in PROOFS {
            let proof: Vec<Hash> = proof.iter().map(|p| h(p)).collect();
            let index = leaf - 1;
            let root = h(ROOTS[size as usize - 1]);
            let lh = &leaves[index as usize];
            assert_eq!(path(index as usize, &leaves[..size as usize]), proof);
            assert_eq!(
                root_from_inclusion_proof(index, size, lh, &proof),
                Ok(root),
                "leaf {leaf} size {size}"
            );
            verify_inclusion(index, size, lh, &proof, &root).unwrap();
            // A flipped bit anywhere in the proof moves the root.
            for i in 0..proof.len() {
                let mut bad = proof.clone();
                bad[i][0] ^= 8;
                assert_eq!(
                    verify_inclusion(index, size, lh, &bad, &root),
                    Err(MerkleError::RootMismatch)
                );
            }
        }
    }

    #[test]
    fn every_leaf_of_trees_up_to_17() {
        for size in 1..=17u64 {
            let leaves: Vec<Hash> = (0..size)
                .map(|i| leaf_hash(&[i as u8; 3][..(i % 4) as usize]))
                .collect();
            let root = mth(&leaves);
            for index in 0..size {
                let proof = path(index as usize, &leaves);
                let lh = &leaves[index as usize];
                assert_eq!(inclusion_proof_len(index, size), Ok(proof.len()));
                assert_eq!(
                    root_from_inclusion_proof(index, size, lh, &proof),
                    Ok(root),
                    "index {index} size {size}"
                );
                // Negatives: another leaf, index, size, root or length.
                let other = leaf_hash(b"not a leaf");
                assert!(verify_inclusion(index, size, &other, &proof, &root).is_err());
                for (i, s) in [
                    (index ^ 1, size),
                    (index + 1, size),
                    (index.wrapping_sub(1), size),
                    (index, size * 2),
                    (index, size / 2),
                ] {
                    if (i, s) != (index, size) {
                        assert!(
                            verify_inclusion(i, s, lh, &proof, &root).is_err(),
                            "accepted index {i} size {s} for {index}/{size}"
                        );
                    }
                }
                let mut wrong_root = root;
                wrong_root[31] ^= 1;
                assert_eq!(
                    verify_inclusion(index, size, lh, &proof, &wrong_root),
                    Err(MerkleError::RootMismatch)
                );
                let mut longer = proof.clone();
                longer.push(root);
                assert_eq!(
                    verify_inclusion(index, size, lh, &longer, &root),
                    Err(MerkleError::WrongProofLength {
                        expected: proof.len(),
                        found: proof.len() + 1
                    })
                );
                let mut front = proof.clone();
                front.insert(0, root);
                assert!(verify_inclusion(index, size, lh, &front, &root).is_err());
                if !proof.is_empty() {
                    assert!(
                        verify_inclusion(index, size, lh, &proof[1..], &root).is_err(),
                        "accepted a truncated proof"
                    );
                }
            }
        }
    }

    #[test]
    fn index_must_be_below_size() {
        let x = leaf_hash(b"x");
        assert_eq!(
            root_from_inclusion_proof(0, 0, &x, &[]),
            Err(MerkleError::IndexOutOfRange)
        );
        assert_eq!(
            root_from_inclusion_proof(3, 3, &x, &[x, x]),
            Err(MerkleError::IndexOutOfRange)
        );
        assert_eq!(
            root_from_inclusion_proof(u64::MAX, u64::MAX, &x, &[]),
            Err(MerkleError::IndexOutOfRange)
        );
        // A one-leaf tree's root is its leaf.
        assert_eq!(root_from_inclusion_proof(0, 1, &x, &[]), Ok(x));
    }

    #[test]
    fn proof_length_limit() {
        // The largest tree needs exactly MAX_INCLUSION_PROOF_HASHES for its
        // first leaf: at the limit the proof is folded, past it refused.
        let x = leaf_hash(b"x");
        let at_limit = [x; MAX_INCLUSION_PROOF_HASHES];
        assert_eq!(
            inclusion_proof_len(0, u64::MAX),
            Ok(MAX_INCLUSION_PROOF_HASHES)
        );
        assert!(root_from_inclusion_proof(0, u64::MAX, &x, &at_limit).is_ok());
        assert!(root_from_inclusion_proof(u64::MAX - 1, u64::MAX, &x, &at_limit).is_err());
        let past = [x; MAX_INCLUSION_PROOF_HASHES + 1];
        assert_eq!(
            root_from_inclusion_proof(0, u64::MAX, &x, &past),
            Err(MerkleError::ProofTooLong)
        );
    }
}
