#!/usr/bin/env python3
"""Regenerates oms-edge's interop vectors with the reference implementation.

    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install -r testdata/requirements.txt
    /tmp/venv/bin/python testdata/generate.py

Everything is written below testdata/ and committed; the test suite never
runs Python. Keys are kept when they already exist, so regenerating only
changes signatures (ECDSA signatures are randomized).

Layout:
    keys/<name>.pem, keys/<name>.pub.pem      throw-away test keys
    pki/<name>.pem, pki/<name>.key.pem        throw-away test PKI (certificates, keys)
    vectors/<case>/case.json                  what to run, what to expect
    vectors/<case>/model/ (or a single file)  the model as it is on disk
    vectors/<case>/model.sig                  the bundle
    generated/<name>.sig, <name>.json         bundles of large models the tests
                                              rebuild from `pattern()` (1 MiB, 64 MiB)
    sample/                                   the README's sample model

A case.json holds:
    method     "key" (default) or "certificate"
    key        public key, relative to testdata/ (key method)
    chain      trusted certificate files, relative to testdata/ (certificate)
    at         verification time, RFC 3339 (certificate; default: now)
    model      model path, relative to the case directory
    signature  bundle path, relative to the case directory
    args       extra `oms-edge verify key` flags (paths relative to the case)
    expect     "verified" or "not-verified"
    why        one line: what the case is about
The exact check each negative case must hit is asserted in
tests/tests/vectors.rs (Rust), not here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import model_signing
from model_signing import hashing, signing
from model_signing._signing import sign_sigstore_pb as pb

ROOT = Path(__file__).resolve().parent
KEYS = ROOT / "keys"
PKI = ROOT / "pki"
VECTORS = ROOT / "vectors"
SAMPLE = ROOT / "sample"
REFERENCE_VERSION = "1.1.1"

CURVES = {"p256": ec.SECP256R1(), "p384": ec.SECP384R1(), "p521": ec.SECP521R1()}
HASH_FOR = {256: hashes.SHA256(), 384: hashes.SHA384(), 521: hashes.SHA512()}


def pattern(n: int, seed: int) -> bytes:
    """Deterministic bytes (the tests rebuild some models from this)."""
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:n])


def ensure_keys() -> None:
    KEYS.mkdir(exist_ok=True)
    for name, curve in [*CURVES.items(), ("wrong", ec.SECP256R1())]:
        priv = KEYS / f"{name}.pem"
        if not priv.exists():
            key = ec.generate_private_key(curve)
            priv.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        key = serialization.load_pem_private_key(priv.read_bytes(), None)
        (KEYS / f"{name}.pub.pem").write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
        )
        (KEYS / f"{name}.pub.der").write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.DER,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
        )


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def sign_api(model: Path, sig: Path, key: str, *, alg="sha256", shard=None,
             ignore=(), allow_symlinks=False) -> None:
    """Signs with the reference's Python API (hash type, shards, ignores)."""
    hc = hashing.Config()
    if shard:
        hc.use_shard_serialization(hashing_algorithm=alg, shard_size=shard,
                                   allow_symlinks=allow_symlinks)
    else:
        hc.use_file_serialization(hashing_algorithm=alg, allow_symlinks=allow_symlinks)
    hc.set_ignored_paths(paths=list(ignore), ignore_git_paths=True)
    hc.set_allow_symlinks(allow_symlinks)
    signing.Config().use_elliptic_key_signer(private_key=KEYS / f"{key}.pem") \
        .set_hashing_config(hc).sign(model, sig)


def sign_cli(model: Path, sig: Path, key: str, *extra: str) -> None:
    """Signs with the reference's CLI, exactly as a user would."""
    cli = Path(sys.executable).parent / "model_signing"
    subprocess.run(
        [str(cli), "sign", "key", "--private_key", str(KEYS / f"{key}.pem"),
         "--signature", str(sig), *extra, str(model)],
        check=True, capture_output=True,
    )


def load(sig: Path) -> dict:
    return json.loads(sig.read_text())


def statement_of(bundle: dict) -> dict:
    return json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))


def root_digest(resources: list[dict]) -> str:
    h = hashlib.sha256()
    for r in resources:
        h.update(bytes.fromhex(r["digest"]))
    return h.hexdigest()


def resign(bundle: dict, stmt: dict, key: str, *, fix_root=True, compat=False,
           raw: bytes | None = None) -> dict:
    """Re-signs a (modified) statement with a test key, as a signer would."""
    if fix_root and "resources" in stmt.get("predicate", {}):
        stmt["subject"][0]["digest"]["sha256"] = root_digest(stmt["predicate"]["resources"])
    payload = raw if raw is not None else json.dumps(stmt, indent=2).encode()
    priv = serialization.load_pem_private_key((KEYS / f"{key}.pem").read_bytes(), None)
    pae = pb.pae_compat(payload) if compat else pb.pae(payload)
    sig = priv.sign(pae, ec.ECDSA(HASH_FOR[priv.curve.key_size]))
    out = json.loads(json.dumps(bundle))
    out["dsseEnvelope"]["payload"] = base64.b64encode(payload).decode()
    out["dsseEnvelope"]["signatures"] = [{"sig": base64.b64encode(sig).decode(), "keyid": ""}]
    return out


class Case:
    def __init__(self, name: str, why: str, *, key="p256", expect="verified",
                 args=(), model="model"):
        self.dir = VECTORS / name
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        self.model = self.dir / model
        self.sig = self.dir / "model.sig"
        self.meta = {"key": f"keys/{key}.pub.pem", "model": model, "signature": "model.sig",
                     "args": list(args), "expect": expect, "why": why}

    def write(self, bundle: dict | None = None) -> "Case":
        if bundle is not None:
            self.sig.write_text(json.dumps(bundle, indent=2))
        (self.dir / "case.json").write_text(json.dumps(self.meta, indent=2) + "\n")
        return self


BASIC = {
    "config.json": b'{"hidden": 64}\n',
    "weights.bin": pattern(3000, 1),
    "sub/adapter.bin": pattern(700, 2),
    "nested/deeper/notes.txt": b"nested\n",
}


def derived(src: Case, name: str, why: str, *, expect="not-verified", key=None,
            args=None, mutate_model=None, bundle: dict | None = None,
            raw_sig: str | None = None) -> Case:
    """A case that reuses `src`'s model and bundle, with one change."""
    c = Case(name, why, key=key or src.meta["key"].split("/")[1].split(".")[0],
             expect=expect, args=args if args is not None else src.meta["args"],
             model=src.meta["model"])
    if src.model.is_dir():
        shutil.copytree(src.model, c.model, symlinks=True)
    else:
        shutil.copy2(src.model, c.model)
    if mutate_model:
        mutate_model(c.model)
    if raw_sig is not None:
        c.sig.write_text(raw_sig)
    else:
        c.sig.write_text(json.dumps(bundle if bundle is not None else load(src.sig), indent=2))
    return c.write()


# ---- certificate method: a throw-away PKI --------------------------------------

VALID_FROM = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
VALID_TO = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)
VERIFY_AT = "2026-06-01T00:00:00Z"


def new_key(kind: str):
    if kind.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
    return ec.generate_private_key(CURVES[kind])


def name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "oms-edge test PKI")])


def make_cert(cn, key, issuer_cn, issuer_key, *, ca, path_len=None, key_cert_sign=None,
              digital_signature=None, eku=None, not_before=VALID_FROM, not_after=VALID_TO,
              hash_alg=hashes.SHA256(), pss=False, critical_unknown=False):
    if key_cert_sign is None:
        key_cert_sign = ca
    if digital_signature is None:
        digital_signature = not ca
    b = (x509.CertificateBuilder()
         .subject_name(name(cn)).issuer_name(name(issuer_cn))
         .public_key(key.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(not_before).not_valid_after(not_after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=path_len), critical=True)
         .add_extension(x509.KeyUsage(
             digital_signature=digital_signature, content_commitment=False,
             key_encipherment=not digital_signature and not ca, data_encipherment=False,
             key_agreement=False, key_cert_sign=key_cert_sign, crl_sign=ca,
             encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if eku is not None:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if critical_unknown:
        b = b.add_extension(x509.UnrecognizedExtension(
            x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"), critical=True)
    if isinstance(issuer_key, rsa.RSAPrivateKey):
        pad = (padding.PSS(mgf=padding.MGF1(hash_alg), salt_length=hash_alg.digest_size)
               if pss else padding.PKCS1v15())
        return b.sign(issuer_key, hash_alg, rsa_padding=pad)
    return b.sign(issuer_key, hash_alg)


def save_pki(label: str, cert, key=None) -> Path:
    PKI.mkdir(exist_ok=True)
    path = PKI / f"{label}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        (PKI / f"{label}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    return path


class Pki:
    """root -> intermediate -> leaf, on one curve (or an RSA root)."""

    def __init__(self, label, root_kind, int_kind, leaf_kind, hash_alg, *, root_pss=False,
                 **leaf_opts):
        self.label = label
        self.root_key, self.int_key, self.leaf_key = new_key(root_kind), new_key(int_kind), new_key(leaf_kind)
        self.root = make_cert(f"{label} root", self.root_key, f"{label} root", self.root_key,
                              ca=True, hash_alg=hash_alg)
        self.int = make_cert(f"{label} intermediate", self.int_key, f"{label} root", self.root_key,
                             ca=True, path_len=0, hash_alg=hash_alg, pss=root_pss)
        leaf_hash = leaf_opts.pop("leaf_hash", hash_alg)
        self.leaf = make_cert(f"{label} signer", self.leaf_key, f"{label} intermediate",
                              self.int_key, ca=False, hash_alg=leaf_hash,
                              eku=[ExtendedKeyUsageOID.CODE_SIGNING], **leaf_opts)
        self.root_pem = save_pki(f"{label}-root", self.root, self.root_key)
        self.int_pem = save_pki(f"{label}-intermediate", self.int, self.int_key)
        self.leaf_pem = save_pki(f"{label}-signer", self.leaf, self.leaf_key)


def sign_cert(model: Path, sig: Path, key_pem: Path, leaf_pem: Path, chain: list[Path]) -> None:
    """Signs with the reference CLI's certificate method."""
    cli = Path(sys.executable).parent / "model_signing"
    args = [str(cli), "sign", "certificate", "--private_key", str(key_pem),
            "--signing_certificate", str(leaf_pem), "--signature", str(sig)]
    for c in chain:
        args += ["--certificate_chain", str(c)]
    subprocess.run([*args, str(model)], check=True, capture_output=True)


def cert_case(name_, why, pki: Pki, *, expect="verified", trust=None, chain=None, at=VERIFY_AT,
              leaf=None, leaf_key=None, bundle_edit=None) -> Case:
    c = Case(name_, why, expect=expect)
    c.meta.pop("key")
    c.meta["method"] = "certificate"
    trust = trust if trust is not None else [pki.root_pem]
    c.meta["chain"] = [str(p.relative_to(ROOT)) for p in trust]
    if at:
        c.meta["at"] = at
    write_files(c.model, BASIC)
    leaf_pem = leaf if leaf is not None else pki.leaf_pem
    key_pem = leaf_key if leaf_key is not None else PKI / f"{pki.label}-signer.key.pem"
    sign_cert(c.model, c.sig, key_pem, leaf_pem, chain if chain is not None else [pki.int_pem])
    if bundle_edit:
        b = load(c.sig)
        bundle_edit(b)
        c.sig.write_text(json.dumps(b, indent=2))
    return c.write()


def der_b64(path: Path) -> str:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def certificate_cases() -> None:
    if PKI.exists():
        shutil.rmtree(PKI)
    pkis = {}
    for curve, h in [("p256", hashes.SHA256()), ("p384", hashes.SHA384()), ("p521", hashes.SHA512())]:
        pki = Pki(curve, curve, curve, curve, h)
        pkis[curve] = pki
        cert_case(f"cert-{curve}", f"3-level PKI on {curve}: root -> intermediate -> leaf", pki)
    rsa_pki = Pki("rsa", "rsa4096", "rsa2048", "p256", hashes.SHA256(), root_pss=True,
                  leaf_hash=hashes.SHA384())
    cert_case("cert-rsa-root", "RSA-4096 root signs an RSA-2048 intermediate with PSS; "
              "it signs a P-256 leaf with PKCS#1 v1.5 SHA-384", rsa_pki)
    p = pkis["p256"]
    cert_case("cert-root-in-bundle", "the signer included the root in the bundle's chain", p,
              chain=[p.int_pem, p.root_pem])
    def leaf_only(b):
        # The reference cannot sign with an empty chain; the chain is not
        # signed, so drop the intermediate afterwards.
        certs = b["verificationMaterial"]["x509CertificateChain"]["certificates"]
        del certs[1:]
    cert_case("cert-supplied-intermediate", "the bundle holds only the leaf; the intermediate "
              "comes with the trusted root", p, trust=[p.int_pem, p.root_pem], bundle_edit=leaf_only)
    cert_case("cert-default-time", "no --at: verified at the current time", p, at=None)

    # A CA:TRUE leaf, as the OMS conformance suite's signer uses.
    ca_leaf_key = new_key("p384")
    ca_leaf = make_cert("p256 intermediate", ca_leaf_key, "p256 intermediate", p.int_key, ca=True,
                        digital_signature=True, key_cert_sign=False,
                        eku=[ExtendedKeyUsageOID.CODE_SIGNING])
    cert_case("cert-ca-leaf", "the leaf is a CA:TRUE certificate named like its issuer "
              "(the reference and the OMS conformance suite accept it)", p,
              leaf=save_pki("ca-leaf", ca_leaf, ca_leaf_key), leaf_key=PKI / "ca-leaf.key.pem")

    # ---- negatives ----
    other = Pki("other", "p256", "p256", "p256", hashes.SHA256())
    cert_case("cert-wrong-root", "trusting another root", p, expect="not-verified",
              trust=[other.root_pem])
    same_name_key = new_key("p256")
    impostor = make_cert("p256 root", same_name_key, "p256 root", same_name_key, ca=True)
    cert_case("cert-wrong-root-same-name", "trusting a root with the same name but another key",
              p, expect="not-verified", trust=[save_pki("impostor-root", impostor, same_name_key)])

    def leaf_variant(label, **opts):
        key = new_key("p256")
        opts.setdefault("eku", [ExtendedKeyUsageOID.CODE_SIGNING])
        cert = make_cert(f"{label} signer", key, "p256 intermediate", p.int_key, ca=False, **opts)
        return save_pki(label, cert, key), PKI / f"{label}.key.pem"

    old = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    leaf, key = leaf_variant("expired-leaf", not_before=old, not_after=old + datetime.timedelta(days=1))
    cert_case("cert-expired-leaf", "the leaf expired in 2020", p, expect="not-verified", leaf=leaf, leaf_key=key)
    future = datetime.datetime(2040, 1, 1, tzinfo=datetime.timezone.utc)
    leaf, key = leaf_variant("future-leaf", not_before=future)
    cert_case("cert-not-yet-valid-leaf", "the leaf is valid from 2040", p, expect="not-verified",
              leaf=leaf, leaf_key=key)
    leaf, key = leaf_variant("no-signing-leaf", digital_signature=False,
                             eku=[ExtendedKeyUsageOID.SERVER_AUTH])
    cert_case("cert-leaf-cannot-sign", "the leaf allows keyEncipherment and serverAuth only", p,
              expect="not-verified", leaf=leaf, leaf_key=key)
    leaf, key = leaf_variant("critical-ext-leaf", critical_unknown=True)
    cert_case("cert-critical-extension", "the leaf has an unknown critical extension", p,
              expect="not-verified", leaf=leaf, leaf_key=key)

    def int_variant(label, **opts):
        key = new_key("p256")
        cert = make_cert(f"{label} intermediate", key, "p256 root", p.root_key, **opts)
        ipem = save_pki(label, cert, key)
        leaf_key = new_key("p256")
        leaf = make_cert(f"{label} signer", leaf_key, f"{label} intermediate", key, ca=False,
                         eku=[ExtendedKeyUsageOID.CODE_SIGNING])
        return ipem, save_pki(f"{label}-signer", leaf, leaf_key), PKI / f"{label}-signer.key.pem"

    ipem, leaf, key = int_variant("expired-int", ca=True, not_before=old,
                                  not_after=old + datetime.timedelta(days=365))
    cert_case("cert-expired-intermediate", "the intermediate expired in 2021", p,
              expect="not-verified", leaf=leaf, leaf_key=key, chain=[ipem])
    ipem, leaf, key = int_variant("not-ca-int", ca=False, key_cert_sign=True, digital_signature=False)
    cert_case("cert-intermediate-not-ca", "the intermediate has basicConstraints CA:FALSE", p,
              expect="not-verified", leaf=leaf, leaf_key=key, chain=[ipem])
    ipem, leaf, key = int_variant("no-certsign-int", ca=True, key_cert_sign=False, digital_signature=True)
    cert_case("cert-intermediate-no-keycertsign", "the intermediate's keyUsage lacks keyCertSign",
              p, expect="not-verified", leaf=leaf, leaf_key=key, chain=[ipem])

    # pathLen: root -> int (pathLen 0) -> int2 -> leaf.
    int2_key = new_key("p256")
    int2 = make_cert("p256 sub-intermediate", int2_key, "p256 intermediate", p.int_key, ca=True)
    int2_pem = save_pki("sub-intermediate", int2, int2_key)
    leaf_key = new_key("p256")
    leaf = make_cert("deep signer", leaf_key, "p256 sub-intermediate", int2_key, ca=False,
                     eku=[ExtendedKeyUsageOID.CODE_SIGNING])
    cert_case("cert-path-len", "an intermediate with pathLen 0 has another intermediate below it",
              p, expect="not-verified", leaf=save_pki("deep-signer", leaf, leaf_key),
              leaf_key=PKI / "deep-signer.key.pem", chain=[int2_pem, p.int_pem])

    def out_of_order(b):
        certs = b["verificationMaterial"]["x509CertificateChain"]["certificates"]
        certs[:] = [certs[0], {"rawBytes": der_b64(p.root_pem)}, certs[1]]
    cert_case("cert-chain-out-of-order", "the bundle lists leaf, root, intermediate: the chain "
              "after the leaf is a pool in any order", p, bundle_edit=out_of_order)
    cert_case("cert-root-as-leaf", "the root itself signed, as the leaf", p, expect="not-verified",
              leaf=p.root_pem, leaf_key=PKI / "p256-root.key.pem", bundle_edit=leaf_only)

    def other_key(b):
        stmt = statement_of(b)
        key = serialization.load_pem_private_key((PKI / "other-signer.key.pem").read_bytes(), None)
        payload = json.dumps(stmt, indent=2).encode()
        sig = key.sign(pb.pae(payload), ec.ECDSA(hashes.SHA256()))
        b["dsseEnvelope"]["payload"] = base64.b64encode(payload).decode()
        b["dsseEnvelope"]["signatures"] = [{"sig": base64.b64encode(sig).decode(), "keyid": ""}]
    cert_case("cert-other-key", "a valid chain, but the envelope was signed by another key", p,
              expect="not-verified", bundle_edit=other_key)

    old_root_key = new_key("p256")
    old_root = make_cert("p256 root", old_root_key, "p256 root", old_root_key, ca=True,
                         not_before=old, not_after=old + datetime.timedelta(days=365))
    # The same root key, re-issued with a 2020 validity: the chain verifies,
    # the anchor has expired.
    expired_anchor = make_cert("p256 root", p.root_key, "p256 root", p.root_key, ca=True,
                               not_before=old, not_after=old + datetime.timedelta(days=365))
    del old_root, old_root_key
    cert_case("cert-expired-root", "the trusted root expired in 2021", p, expect="not-verified",
              trust=[save_pki("expired-root", expired_anchor)])


def main() -> None:
    if model_signing.__version__ != REFERENCE_VERSION:
        sys.exit(f"need model-signing=={REFERENCE_VERSION}, found {model_signing.__version__}")
    ensure_keys()
    if VECTORS.exists():
        shutil.rmtree(VECTORS)
    VECTORS.mkdir()

    # ---- positive: curves -------------------------------------------------
    base = None
    for curve in CURVES:
        c = Case(f"key-{curve}", f"files/sha256 model signed with a {curve} key (reference CLI)",
                 key=curve)
        write_files(c.model, BASIC)
        sign_cli(c.model, c.sig, curve)
        c.write()
        if curve == "p256":
            base = c

    # ---- positive: hash types ---------------------------------------------
    for alg in ("sha256", "blake2", "blake3"):
        c = Case(f"files-{alg}", f"files serialization with hash_type {alg}")
        write_files(c.model, BASIC)
        sign_api(c.model, c.sig, "p256", alg=alg)
        c.write()

    # ---- positive: shards -------------------------------------------------
    shard_files = {
        "short.bin": pattern(10, 3),        # shorter than the shard size
        "exact.bin": pattern(16, 4),        # exactly one shard
        "long.bin": pattern(40, 5),         # 16 + 16 + 8
        "many.bin": pattern(16 * 11 + 3, 6),  # 12 shards: numeric != lexical order
        "empty.bin": b"",                   # no shard at all (OMS 6.3.2)
        "dir/inner.bin": pattern(33, 7),
    }
    for alg in ("sha256", "blake2"):
        c = Case(f"shards-{alg}", f"shard serialization (16-byte shards) with {alg}")
        write_files(c.model, shard_files)
        sign_api(c.model, c.sig, "p256", alg=alg, shard=16)
        c.write()
    shards = VECTORS / "shards-sha256"

    # ---- positive: names ----------------------------------------------------
    c = Case("unicode-names", "non-ASCII and non-BMP file names (JSON \\u escapes, surrogate pairs)")
    write_files(c.model, {"héllo.txt": b"1\n", "日本語/データ.bin": pattern(50, 8),
                          "emoji-😀.txt": b"2\n", "zz.txt": b"3\n"})
    sign_cli(c.model, c.sig, "p256")
    c.write()

    c = Case("spaces-colons", "names with spaces and colons, shard names split at the last two colons")
    write_files(c.model, {"with space.txt": b"s\n", "a:b:c.bin": pattern(40, 9),
                          "dir with space/x:1.bin": pattern(5, 10), "a-b/y": b"y",
                          "a/x": b"x"})
    sign_api(c.model, c.sig, "p256", shard=16)
    c.write()

    c = Case("single-file", "a single-file model (the reference names its resource `.`)",
             model="model.onnx")
    c.model.write_bytes(pattern(1234, 11))
    sign_cli(c.model, c.sig, "p256")
    c.write()
    single = c
    b1 = load(single.sig)
    st1 = statement_of(b1)
    st1["predicate"]["resources"][0]["name"] = "model.onnx"
    derived(single, "single-file-basename", "a single-file model named by its basename, as the "
            "spec says (re-signed with the test key)", expect="verified",
            bundle=resign(b1, st1, "p256"))

    # ---- positive: ignores ---------------------------------------------------
    c = Case("git-ignores", "default git paths are not signed at the top level only")
    write_files(c.model, {"data.bin": pattern(100, 12), ".git/HEAD": b"ref: refs/heads/main\n",
                          ".git/objects/ab/cdef": b"x", ".gitignore": b"*.tmp\n",
                          ".gitattributes": b"* binary\n", ".github/workflows/ci.yml": b"on: push\n",
                          "sub/.gitignore": b"nested, signed\n", ".hidden/file": b"dotdir, signed\n",
                          ".env": b"dotfile, signed\n"})
    sign_cli(c.model, c.sig, "p256")
    c.write()

    c = Case("ignore-paths", "paths ignored at signing are recorded in the predicate and honoured")
    write_files(c.model, {"model.bin": pattern(64, 13), "cache/tmp.bin": b"cache",
                          "notes.txt": b"local notes\n"})
    sign_cli(c.model, c.sig, "p256", "--ignore-paths", str(c.model / "cache"),
             "--ignore-paths", str(c.model / "notes.txt"))
    c.write()

    c = Case("sig-inside-model", "the signature file lies inside the model and is not signed",
             args=[])
    write_files(c.model, {"model.bin": pattern(64, 14)})
    c.sig = c.model / "model.sig"
    c.meta["signature"] = "model/model.sig"
    sign_cli(c.model, c.sig, "p256")
    c.write()

    c = Case("symlinks-allowed", "signed with allow_symlinks: links inside the model are followed")
    write_files(c.model, {"real/weights.bin": pattern(80, 15), "config.json": b"{}\n"})
    os.symlink("real/weights.bin", c.model / "weights-link.bin")
    os.symlink("real", c.model / "linked-dir")
    sign_api(c.model, c.sig, "p256", allow_symlinks=True)
    c.write()

    # ---- positive: encodings -------------------------------------------------
    b = load(base.sig)
    stmt = statement_of(b)
    c = derived(base, "compat-pae", "signed over model_signing < 1.0's buggy PAE (fallback)",
                expect="verified", bundle=resign(b, stmt, "p256", compat=True))

    # The outer JSON is not signed: reorder it, add unknown members, escape.
    weird = {
        "verificationMaterial": {"tlogEntries": [], "unknown": {"x": [1, {"y": None}]},
                                 "publicKey": {"hint": b["verificationMaterial"]["publicKey"]["hint"]}},
        "extra": "ignored",
        "dsseEnvelope": {"signatures": b["dsseEnvelope"]["signatures"],
                         "payloadType": "application/vnd.in-toto+json",
                         "payload": b["dsseEnvelope"]["payload"]},
        "mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.3",
    }
    text = json.dumps(weird, indent=1)
    text = text.replace('"payloadType"', '"payload\\u0054ype"')
    text = text.replace("application/vnd.in-toto+json", "application\\/vnd.in-toto+json")
    text = text.replace(b["dsseEnvelope"]["payload"],
                        b["dsseEnvelope"]["payload"].replace("/", "\\/"))
    derived(base, "json-escapes-bundle", "bundle JSON reordered, escaped and with unknown members",
            expect="verified", raw_sig=text)

    # A signed payload with escaped keys, unknown members and reordering.
    raw = json.dumps(
        {"predicate": {"resources": stmt["predicate"]["resources"], "x-extra": [1, 2],
                       "serialization": stmt["predicate"]["serialization"]},
         "predicateType": stmt["predicateType"], "subject": stmt["subject"],
         "_type": stmt["_type"]}, ensure_ascii=True).replace('"_type"', '"_\\u0074ype"').encode()
    derived(base, "json-escapes-payload", "signed payload with escaped keys and unknown members",
            expect="verified", bundle=resign(b, stmt, "p256", raw=raw))

    rawkey = json.loads(json.dumps(b))
    rawkey["verificationMaterial"]["publicKey"] = {
        "rawBytes": base64.b64encode((KEYS / "p256.pub.pem").read_bytes()).decode(),
        "keyDetails": "PKIX_ECDSA_P256_SHA_256"}
    rawkey["dsseEnvelope"]["signatures"][0]["keyid"] = None
    derived(base, "rawbytes-key", "pre-1.1 bundle shape: publicKey.rawBytes, keyid null",
            expect="verified", bundle=rawkey)

    # ---- negative: model changes ---------------------------------------------
    def flip(model: Path) -> None:
        p = model / "weights.bin"
        data = bytearray(p.read_bytes())
        data[1234] ^= 0x01
        p.write_bytes(bytes(data))

    derived(base, "tampered-byte", "one flipped bit in weights.bin", mutate_model=flip)
    derived(base, "missing-file", "sub/adapter.bin deleted",
            mutate_model=lambda m: (m / "sub" / "adapter.bin").unlink())
    derived(base, "extra-file", "an unsigned file added",
            mutate_model=lambda m: (m / "sub" / "injected.bin").write_bytes(b"evil"))
    derived(base, "extra-file-ignored", "an unsigned file added, --ignore-unsigned-files",
            expect="verified", args=["--ignore-unsigned-files"],
            mutate_model=lambda m: (m / "sub" / "injected.bin").write_bytes(b"fine"))

    def truncate(model: Path) -> None:
        p = model / "long.bin"
        p.write_bytes(p.read_bytes()[:-1])

    def extend(model: Path) -> None:
        p = model / "long.bin"
        p.write_bytes(p.read_bytes() + b"!")

    src = Case.__new__(Case)
    src.dir, src.model, src.sig = shards, shards / "model", shards / "model.sig"
    src.meta = json.loads((shards / "case.json").read_text())
    derived(src, "shards-truncated", "a sharded file lost its last byte", mutate_model=truncate)
    derived(src, "shards-extended", "a sharded file gained a byte", mutate_model=extend)

    # ---- negative: keys ---------------------------------------------------------
    derived(base, "wrong-key", "verified with another key (the hint names the signer)", key="wrong")
    nohint = json.loads(json.dumps(b))
    nohint["verificationMaterial"]["publicKey"] = {}
    derived(base, "wrong-key-no-hint", "another key and no hint: the signature fails", key="wrong",
            bundle=nohint)

    # ---- negative: bundle fields (unsigned) --------------------------------------
    mt = json.loads(json.dumps(b))
    mt["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.4+json"
    derived(base, "changed-media-type", "mediaType is not a known bundle version", bundle=mt)
    pt = json.loads(json.dumps(b))
    pt["dsseEnvelope"]["payloadType"] = "application/json"
    derived(base, "changed-payload-type", "payloadType is not in-toto", bundle=pt)
    cert = json.loads(json.dumps(b))
    cert["verificationMaterial"] = {"x509CertificateChain": {"certificates": [{"rawBytes": "MAA="}]}}
    derived(base, "material-mismatch", "a certificate bundle verified with the key method", bundle=cert)

    # ---- negative: payload edited under the original signature -------------------
    edited = json.loads(json.dumps(b))
    s2 = statement_of(b)
    s2["predicate"]["resources"][0]["digest"] = "00" * 32
    edited["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(s2, indent=2).encode()).decode()
    derived(base, "payload-edited", "a resource digest edited after signing", bundle=edited)
    s3 = statement_of(b)
    s3["predicateType"] = "https://example.com/other/v1"
    edited = json.loads(json.dumps(b))
    edited["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(s3, indent=2).encode()).decode()
    derived(base, "predicate-type-edited", "predicateType edited after signing", bundle=edited)

    # ---- negative: re-signed with the test key, caught by statement/manifest rules --
    def variant(name, why, change, *, fix_root=True, src_case=base):
        bb = load(src_case.sig)
        st = statement_of(bb)
        change(st)
        derived(src_case, name, why, bundle=resign(bb, st, "p256", fix_root=fix_root))

    res = lambda st: st["predicate"]["resources"]
    variant("resigned-predicate-type", "re-signed with another predicateType",
            lambda st: st.__setitem__("predicateType", "https://example.com/other/v1"))
    variant("resigned-statement-type", "re-signed with another _type",
            lambda st: st.__setitem__("_type", "https://in-toto.io/Statement/v0.1"))
    variant("resigned-unsorted", "resources out of order",
            lambda st: res(st).reverse())
    variant("resigned-duplicate", "a resource listed twice",
            lambda st: res(st).insert(1, dict(res(st)[0])))
    variant("resigned-escape", "a resource named ../escape",
            lambda st: res(st).insert(0, {"name": "../escape", "algorithm": "sha256",
                                          "digest": "00" * 32}))
    variant("resigned-absolute", "a resource named /etc/passwd",
            lambda st: res(st).insert(0, {"name": "/etc/passwd", "algorithm": "sha256",
                                          "digest": "00" * 32}))
    variant("resigned-root-digest", "subject digest does not match the resources",
            lambda st: st["subject"][0]["digest"].__setitem__("sha256", "ab" * 32), fix_root=False)
    variant("resigned-empty-resources", "no resources at all",
            lambda st: st["predicate"].__setitem__("resources", []))
    variant("resigned-two-subjects", "two subjects",
            lambda st: st["subject"].append(dict(st["subject"][0])))
    variant("resigned-algorithm", "a resource's algorithm differs from hash_type",
            lambda st: res(st)[0].__setitem__("algorithm", "sha512"))

    def overlap(st):
        # many.bin:16:32 becomes many.bin:8:24 (overlaps its neighbours).
        for r in res(st):
            if r["name"] == "many.bin:16:32":
                r["name"] = "many.bin:8:24"
    variant("resigned-shards-overlap", "a shard that overlaps its neighbours", overlap, src_case=src)

    def gap(st):
        st["predicate"]["resources"] = [r for r in res(st) if r["name"] != "long.bin:16:32"]
    variant("resigned-shards-gap", "a shard removed from the middle of a file", gap, src_case=src)

    certificate_cases()

    # ---- large models rebuilt by the tests from `pattern` (only bundles committed) --
    gen = ROOT / "generated"
    if gen.exists():
        shutil.rmtree(gen)
    gen.mkdir()
    import tempfile
    for name, size in [("1mib", 1 << 20), ("64mib", 64 << 20)]:
        files = {"weights.bin": (size, 100), "config.json": (100, 101)}
        with tempfile.TemporaryDirectory() as tmp:
            model = Path(tmp) / f"model-{name}"
            write_files(model, {f: pattern(n, seed) for f, (n, seed) in files.items()})
            sign_cli(model, gen / f"{name}.sig", "p256")
        (gen / f"{name}.json").write_text(json.dumps(
            {"key": "keys/p256.pub.pem",
             "files": {f: {"size": n, "seed": seed} for f, (n, seed) in files.items()}},
            indent=2) + "\n")

    # ---- the README's sample ------------------------------------------------------
    if SAMPLE.exists():
        shutil.rmtree(SAMPLE)
    write_files(SAMPLE / "model", {"config.json": b'{"layers": 2, "hidden": 16}\n',
                                   "model.safetensors": pattern(4096, 20),
                                   "tokenizer/vocab.txt": b"hello\nworld\n"})
    shutil.copy(KEYS / "p256.pub.pem", SAMPLE / "key.pub")
    sign_cli(SAMPLE / "model", SAMPLE / "model.sig", "p256")

    print(f"wrote {sum(1 for _ in VECTORS.iterdir())} cases under {VECTORS}")


if __name__ == "__main__":
    main()
