"""The reference's verification through its Python API, for the signatures
its CLI cannot check:

- `python -m model_signing verify key` always hashes with files/sha256 (it
  passes its own hashing config), so shard and blake3 signatures fail there;
- without a hashing config the API takes the serialization from the signed
  manifest, but passes `shard_size` on as the float it reads back from JSON
  (`1000.0`), which crashes; the one patch below makes it an int.

    python bench/ref_verify.py SIGNATURE PUBLIC_KEY MODEL_PATH
"""

import pathlib
import sys

from model_signing import hashing, verifying

_guess = verifying.Config._guess_hashing_config


def _guess_int_shards(self, manifest):
    args = manifest.serialization_type
    if args.get("method") != "shards":
        return _guess(self, manifest)
    self._hashing_config = hashing.Config().use_shard_serialization(
        hashing_algorithm=args["hash_type"],
        shard_size=int(args["shard_size"]),
        allow_symlinks=args["allow_symlinks"],
        ignore_paths=args.get("ignore_paths", frozenset()),
    )
    return None


verifying.Config._guess_hashing_config = _guess_int_shards

if __name__ == "__main__":
    # (Importing this module applies the patch only: python/bench/compare.py.)
    sig, pub, model = sys.argv[1:4]
    try:
        verifying.Config().use_elliptic_key_verifier(public_key=pub).verify(pathlib.Path(model), sig)
    except Exception as err:  # reported as the CLI does
        sys.exit(f"Verification failed with error: {err}")
