//! Tests of `merkle`.

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
