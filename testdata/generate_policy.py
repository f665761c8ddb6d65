#!/usr/bin/env python3
"""Bundles for oms-edge's admission policies (issue 15): several signers
of one model with the key and certificate methods, made with the
reference implementation's API.

    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install -r testdata/requirements.txt
    /tmp/venv/bin/python testdata/generate_policy.py

It signs `sigstore/models/tiny-model` (the model the Sigstore vectors of
`generate_sigstore.py` sign, GitHub Actions identities included), reusing
`generate.py`'s keys (`keys/`) and test PKI (`pki/`, loaded, never
regenerated), and writes only `policy/`: rebuilt from scratch on every run.
Its signatures change on a rerun (model_signing's ECDSA is randomized, and
the vendor leaf gets a new key); the cases stay equivalent. The tests that
use them are `tests/tests/policy.rs` and `edge-cli/tests/policy_cli.rs`.

Layout (below policy/):
    sigs/key-p256.sig            keys/p256 over tiny-model (files, sha256)
    sigs/key-p384.sig            keys/p384, the same manifest
    sigs/key-p521.sig            keys/p521, the same manifest
    sigs/key-wrong.sig           keys/wrong: a valid signature by a key no
                                 policy names
    sigs/key-p256-shards.sig     keys/p256 again, shard serialization: the
                                 same signer, another manifest
    sigs/key-p384-blake2.sig     keys/p384, blake2b: another manifest
    sigs/key-p521-stale.sig      keys/p521 over the model with one byte of
                                 weights.bin flipped (sigstore/models/
                                 tampered): a manifest the model does not match
    sigs/cert-p256.sig           pki/p256-signer (chain: p256-intermediate)
    sigs/cert-p384.sig           pki/p384-signer
    sigs/cert-p521.sig           pki/p521-signer
    sigs/cert-vendor.sig         pki/vendor-signer.pem (below), chained to
                                 p256-intermediate
    sigs/key-p384-after-release.sig
                                 keys/p384 over tiny-model with the GitHub
                                 release workflow's bundle (sigstore/cases/
                                 gha-release-tag-model) in it as model.sig:
                                 a co-signer who signed after the release
                                 signed its signature as a model file
    pki/vendor-signer.pem        a leaf "CN=Model Release, O=Vendor" with
                                 SAN email release@vendor.example and URI
                                 https://vendor.example/release, EKU
                                 codeSigning (its key: vendor-signer.key.pem)
    manifests.json               the manifest (serialization and resources)
                                 of each bundle, to show which agree
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate as g  # noqa: E402  (the reference's helpers, keys and layout)
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402

ROOT = g.ROOT
OUT = ROOT / "policy"
MODEL = ROOT / "sigstore" / "models" / "tiny-model"
STALE = ROOT / "sigstore" / "models" / "tampered" / "tiny-model"


def vendor_leaf() -> tuple[Path, Path]:
    """A leaf with a subject and SANs worth matching, issued by the p256
    test intermediate."""
    int_key = serialization.load_pem_private_key(
        (g.PKI / "p256-intermediate.key.pem").read_bytes(), None)
    int_cert = x509.load_pem_x509_certificate((g.PKI / "p256-intermediate.pem").read_bytes())
    key = g.new_key("p256")
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Model Release"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Vendor")])
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(int_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(g.VALID_FROM).not_valid_after(g.VALID_TO)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]),
                           critical=False)
            .add_extension(x509.SubjectAlternativeName([
                x509.RFC822Name("release@vendor.example"),
                x509.UniformResourceIdentifier("https://vendor.example/release")]),
                critical=False)
            .sign(int_key, hashes.SHA256()))
    pki = OUT / "pki"
    pki.mkdir(parents=True)
    leaf = pki / "vendor-signer.pem"
    leaf.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem = pki / "vendor-signer.key.pem"
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return leaf, key_pem


def manifest(stmt: dict) -> dict:
    """What makes two manifests the same: the root digest, the
    serialization (ignore_paths as a set: model_signing lists them in hash
    order) and the resources."""
    ser = dict(stmt["predicate"]["serialization"])
    ser["ignore_paths"] = sorted(ser.get("ignore_paths", []))
    return {"root_digest": stmt["subject"][0]["digest"]["sha256"],
            "serialization": ser,
            "resources": stmt["predicate"]["resources"]}


def manifest_of(sig: Path) -> dict:
    return manifest(g.statement_of(g.load(sig)))


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    sigs = OUT / "sigs"
    sigs.mkdir(parents=True)
    for key in ("p256", "p384", "p521", "wrong"):
        g.sign_api(MODEL, sigs / f"key-{key}.sig", key)
    g.sign_api(MODEL, sigs / "key-p256-shards.sig", "p256", shard=256)
    g.sign_api(MODEL, sigs / "key-p384-blake2.sig", "p384", alg="blake2")
    g.sign_api(STALE, sigs / "key-p521-stale.sig", "p521")
    for label in ("p256", "p384", "p521"):
        g.sign_cert(MODEL, sigs / f"cert-{label}.sig", g.PKI / f"{label}-signer.key.pem",
                    g.PKI / f"{label}-signer.pem", [g.PKI / f"{label}-intermediate.pem"])
    gha = ROOT / "sigstore" / "cases" / "gha-release-tag-model" / "bundle.sigstore.json"
    with tempfile.TemporaryDirectory() as tmp:
        released = Path(tmp) / "tiny-model"
        shutil.copytree(MODEL, released)
        shutil.copyfile(gha, released / "model.sig")
        g.sign_api(released, sigs / "key-p384-after-release.sig", "p384")
    leaf, key = vendor_leaf()
    g.sign_cert(MODEL, sigs / "cert-vendor.sig", key, leaf, [g.PKI / "p256-intermediate.pem"])

    manifests = {p.name: manifest_of(p) for p in sorted(sigs.iterdir())}
    # The Sigstore GitHub Actions vectors sign the same manifest as the
    # plain key bundles: a policy over both hashes the model once.
    env = json.loads(gha.read_text())["dsseEnvelope"]
    same = manifest(json.loads(base64.b64decode(env["payload"])))
    plain = manifests["key-p256.sig"]
    assert same == plain, "the key bundles' manifest differs from the Sigstore vectors'"
    for name in ("key-p384.sig", "key-p521.sig", "key-wrong.sig", "cert-p256.sig",
                 "cert-vendor.sig"):
        assert manifests[name] == plain, name
    for name in ("key-p256-shards.sig", "key-p384-blake2.sig", "key-p521-stale.sig",
                 "key-p384-after-release.sig"):
        assert manifests[name] != plain, name
    names = [r["name"] for r in manifests["key-p384-after-release.sig"]["resources"]]
    assert "model.sig" in names, names
    (OUT / "manifests.json").write_text(json.dumps(manifests, indent=2) + "\n")
    print(f"wrote {len(manifests)} bundles to {sigs}")


if __name__ == "__main__":
    main()
