#!/usr/bin/env python3
"""Signs a model the way `model_signing sign key` does (files
serialization, SHA-256, ECDSA P-256 over the DSSE PAE, a Sigstore v0.3
bundle with a `publicKey` hint), with `cryptography` and `hashlib` only.

The benchmark uses it where the reference's own signer would take too long
(10^6 files: the reference's signer holds its whole manifest as Python
objects, several GiB, and runs for many minutes). The output has the
reference's layout (`bench/bench.py --scale huge-count` verifies it with
both oms-edge and the reference):

    python bench/sign_manifest.py PRIVATE_KEY_PEM MODEL_DIR OUT.sig

Every regular file under MODEL_DIR is a resource, except the top-level git
paths (as the reference's default `ignore_paths`); symlinks are refused.
Names are sorted in the reference's order (component by component).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

PAYLOAD_TYPE = "application/vnd.in-toto+json"
GIT_PATHS = [".git", ".gitignore", ".github", ".gitattributes"]


def files(root: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        top = rel == "."
        if top:
            dirnames[:] = [d for d in dirnames if d not in GIT_PATHS]
        for name in filenames:
            if top and name in GIT_PATHS:
                continue
            p = os.path.join(dirpath, name)
            if os.path.islink(p) or not os.path.isfile(p):
                sys.exit(f"{p}: not a regular file")
            out.append(name if top else f"{rel}/{name}")
    # The reference's order: PurePosixPath comparison, component by component.
    out.sort(key=lambda n: n.split("/"))
    return out


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb", buffering=0) as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def main() -> None:
    key_path, model, out = sys.argv[1:4]
    root = Path(model)
    key = serialization.load_pem_private_key(Path(key_path).read_bytes(), None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        sys.exit("want an EC P-256 private key")
    names = files(root)
    digests = [sha256_file(os.path.join(root, n)) for n in names]
    # OMS §6.5.1: SHA-256 over the raw digests in manifest order.
    root_digest = hashlib.sha256(b"".join(bytes.fromhex(d) for d in digests)).hexdigest()
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": root.name, "digest": {"sha256": root_digest}}],
        "predicateType": "https://model_signing/signature/v1.0",
        "predicate": {
            "serialization": {
                "ignore_paths": GIT_PATHS,
                "method": "files",
                "hash_type": "sha256",
                "allow_symlinks": False,
            },
            "resources": [
                {"digest": d, "name": n, "algorithm": "sha256"} for n, d in zip(names, digests)
            ],
        },
    }
    payload = json.dumps(statement, indent=2).encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(PAYLOAD_TYPE), PAYLOAD_TYPE.encode(), len(payload), payload)
    sig = key.sign(pae, ec.ECDSA(hashes.SHA256()))
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    bundle = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {
            "publicKey": {"hint": hashlib.sha256(pem).hexdigest()},
            "tlogEntries": [],
        },
        "dsseEnvelope": {
            "payload": base64.b64encode(payload).decode(),
            "payloadType": PAYLOAD_TYPE,
            "signatures": [{"sig": base64.b64encode(sig).decode(), "keyid": ""}],
        },
    }
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(bundle, f, separators=(",", ":"))
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
