#!/usr/bin/env python3
"""Vectors for what real signers produce and what real file systems hold
(oms-edge issue 12), made with the reference implementation.

    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install -r testdata/requirements.txt
    /tmp/venv/bin/python testdata/generate_interop.py [GROUP...]   (see GROUPS)

It reuses `generate.py`'s helpers, keys (`keys/`) and test PKI (`pki/`,
loaded, never regenerated), and writes only its own cases below
`vectors/` (each rebuilt from scratch), `keys/p256.pub.*.pem`,
`pki/p256-root.lax.pem`, `pki/p256-intermediate-expired.pem`,
`pki/deep-chain.pem` and `generated/shard-long-path.*`. Running it changes
nothing else: unlike `generate.py`, it can be rerun alone (its signatures
change, ECDSA being randomized; the cases stay equivalent). generate.py
rebuilds `vectors/` and `pki/` from scratch: run this script after it.

Cases (the exact outcome each must have is asserted in
tests/tests/vectors.rs; the CLI-level behaviour in edge-cli/tests/cli.rs):
    sig-link-into-model       --signature is a link to a model file: not
                              left out of the model (item 1)
    ignore-through-link       --ignore-paths model/logs, logs -> plugins/
                              added after signing: plugins/ is not
                              ignored (item 2)
    ignore-cwd-outside        --ignore-paths config.json from deploy/:
                              deploy/config.json, not the model's (item 3)
    key-pem-*, cert-pem-lax   PEM keys and roots laid out by hand (item 6)
    cert-root-first, cert-extra-intermediate, cert-leaf-root-supplied-
    intermediate, cert-renewed-intermediate, cert-leaf-root-no-intermediate
                              chains in any order (item 7)
    hf-cache-layout           a Hugging Face hub cache, verified out of
                              snapshots/<rev> (item 8)
    backslash-name            `a\\b` is a file name (item 9)
    shard-size-1e16, resigned-shard-size-*
                              shard_size above 2^53 and bad ones (item 10)
    generated/shard-long-path a shard whose path is 4093 bytes (item 11)
    ignore-dash-name          --ignore-paths -x (item 14)

Red-team review of the model path (reference verdicts asserted here):
    unsigned-odd-entries-ignored
                              links added after a signature made without
                              symlinks, with --ignore-unsigned-files:
                              unlisted, so not checked (OMS §8.5)
    unsigned-odd-entry-listed a listed file became a link: still refused
                              with --ignore-unsigned-files
    dir-link-to-ancestor      a directory link to its own parent, signed
                              with allow_symlinks: refused on purpose
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate as g  # noqa: E402  (the reference's helpers, keys and layout)
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID  # noqa: E402

ROOT = g.ROOT
PKI = g.PKI
KEYS = g.KEYS


def load_key(path: Path):
    return serialization.load_pem_private_key(path.read_bytes(), None)


def load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


# ---- item 1 --------------------------------------------------------------

def sig_link_into_model() -> None:
    c = g.Case("sig-link-into-model",
               "--signature sigs/model.sig is a link to model/generation_config.json, an "
               "unsigned file whose content is the bundle with extra (config) members: it "
               "stays a model file, and is not signed", expect="not-verified")
    g.write_files(c.model, {"config.json": b'{"hidden": 64}\n',
                            "model.safetensors": g.pattern(2000, 30)})
    g.sign_cli(c.model, c.sig, "p256")
    bundle = g.load(c.sig)
    c.sig.unlink()
    # Unknown members are ignored by verifiers: the bundle is also a
    # generation config with the keys an attacker chose.
    bundle.update({"do_sample": True, "temperature": 9.5, "max_new_tokens": 100000})
    (c.model / "generation_config.json").write_text(json.dumps(bundle, indent=2))
    (c.dir / "sigs").mkdir()
    os.symlink("../model/generation_config.json", c.dir / "sigs" / "model.sig")
    c.meta["signature"] = "sigs/model.sig"
    c.write()


# ---- items 2, 3, 14 ---------------------------------------------------------

def ignore_cases() -> None:
    c = g.Case("ignore-through-link",
               "signed with allow_symlinks; then plugins/evil.py and logs -> plugins/ added: "
               "--ignore-paths model/logs names the link, not plugins/", expect="not-verified",
               args=["--ignore-paths", "model/logs"])
    g.write_files(c.model, {"weights.bin": g.pattern(900, 31), "config.json": b"{}\n"})
    g.sign_api(c.model, c.sig, "p256", allow_symlinks=True)
    (c.model / "plugins").mkdir()
    (c.model / "plugins" / "evil.py").write_bytes(b"import os; os.system('id')\n")
    os.symlink("plugins", c.model / "logs")
    c.write()

    c = g.Case("ignore-cwd-outside",
               "model/config.json is unsigned; deploy/config.json is the user's: "
               "--ignore-paths config.json run in deploy/ means deploy/config.json",
               expect="not-verified")
    g.write_files(c.model, {"weights.bin": g.pattern(700, 32), "tokenizer.json": b"{}\n"})
    g.sign_cli(c.model, c.sig, "p256")
    (c.model / "config.json").write_bytes(b'{"trust_remote_code": true}\n')
    g.write_files(c.dir / "deploy", {"config.json": b'{"replicas": 3}\n'})
    c.write()

    c = g.Case("ignore-dash-name",
               "a file named -x added after signing, left out with --ignore-paths -x",
               expect="verified", args=["--ignore-paths", "-x"])
    g.write_files(c.model, {"weights.bin": g.pattern(500, 33)})
    g.sign_cli(c.model, c.sig, "p256")
    (c.model / "-x").write_bytes(b"local scratch\n")
    c.write()


# ---- item 6 -------------------------------------------------------------------

def lax_pem(der: bytes, label: str, layout: str) -> str:
    import base64
    b = base64.b64encode(der).decode()
    if layout == "one-line":  # the npm registry's key: one line, no final newline
        return f"-----BEGIN {label}-----\n{b}\n-----END {label}-----"
    if layout == "76":  # MIME's line length
        lines = [b[i:i + 76] for i in range(0, len(b), 76)]
        return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"
    # indented, a blank line after BEGIN, trailing spaces, CRLF, odd widths
    lines = [b[i:i + 50] for i in range(0, len(b), 50)]
    body = "".join(f"    {ln}  \r\n" for ln in lines)
    return f"  -----BEGIN {label}-----\r\n\r\n{body}  -----END {label}-----  \r\n"


def pem_cases() -> None:
    pub = load_key(KEYS / "p256.pem").public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    for layout in ("one-line", "76", "indented"):
        name = {"one-line": "key-pem-one-line", "76": "key-pem-76-columns",
                "indented": "key-pem-indented"}[layout]
        key_file = KEYS / f"p256.pub.{layout}.pem"
        key_file.write_text(lax_pem(pub, "PUBLIC KEY", layout))
        c = g.Case(name, f"the public key as a PEM laid out {layout!r} (RFC 7468 lax)")
        c.meta["key"] = str(key_file.relative_to(ROOT))
        g.write_files(c.model, g.BASIC)
        g.sign_cli(c.model, c.sig, "p256")
        c.write()
    root = load_cert(PKI / "p256-root.pem")
    lax_root = PKI / "p256-root.lax.pem"
    lax_root.write_text(lax_pem(root.public_bytes(serialization.Encoding.DER),
                                "CERTIFICATE", "indented"))
    cert_case("cert-pem-lax", "the trusted root as a PEM laid out by hand (RFC 7468 lax)",
              trust=[lax_root], chain=[PKI / "p256-intermediate.pem"])


# ---- item 7 -------------------------------------------------------------------

def cert_case(name: str, why: str, *, trust: list[Path], chain: list[Path],
              expect="verified", leaf=PKI / "p256-signer.pem",
              leaf_key=PKI / "p256-signer.key.pem") -> None:
    c = g.Case(name, why, expect=expect)
    c.meta.pop("key")
    c.meta["method"] = "certificate"
    c.meta["chain"] = [str(p.relative_to(ROOT)) for p in trust]
    c.meta["at"] = g.VERIFY_AT
    g.write_files(c.model, g.BASIC)
    g.sign_cert(c.model, c.sig, leaf_key, leaf, chain)
    c.write()


def chain_cases() -> None:
    root, inter = PKI / "p256-root.pem", PKI / "p256-intermediate.pem"
    cert_case("cert-root-first", "the signer listed --certificate_chain root then "
              "intermediate: the bundle holds leaf, root, intermediate",
              trust=[root], chain=[root, inter])
    cert_case("cert-extra-intermediate", "the bundle holds an unrelated intermediate (of "
              "another PKI) before the real one", trust=[root],
              chain=[PKI / "other-intermediate.pem", inter])
    cert_case("cert-leaf-root-supplied-intermediate", "the bundle holds leaf and root; the "
              "intermediate comes with the trusted root at verify time",
              trust=[root, inter], chain=[root])
    cert_case("cert-leaf-root-no-intermediate", "the bundle holds leaf and root, and no "
              "intermediate is supplied: no path", trust=[root], chain=[root],
              expect="not-verified")
    # The intermediate re-issued with the same name and key: the bundle
    # lists the expired copy first. The first path fails (expired), the
    # search goes on to the valid copy.
    old = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    expired = g.make_cert("p256 intermediate", load_key(PKI / "p256-intermediate.key.pem"),
                          "p256 root", load_key(PKI / "p256-root.key.pem"), ca=True, path_len=0,
                          not_before=old, not_after=old + datetime.timedelta(days=365))
    expired_pem = PKI / "p256-intermediate-expired.pem"
    expired_pem.write_bytes(expired.public_bytes(serialization.Encoding.PEM))
    cert_case("cert-renewed-intermediate", "the bundle lists an expired copy of the "
              "intermediate (same name and key) before the valid one", trust=[root],
              chain=[expired_pem, inter])
    deep_chain()


def deep_chain() -> None:
    """root -> 8 intermediates -> leaf, for the path-length bound (limits.rs)."""
    key = g.new_key("p256")
    certs = [g.make_cert("deep root", key, "deep root", key, ca=True)]
    keys = [key]
    for i in range(8):
        k = g.new_key("p256")
        certs.append(g.make_cert(f"deep intermediate {i}", k,
                                 certs[-1].subject.get_attributes_for_oid(
                                     x509.oid.NameOID.COMMON_NAME)[0].value,
                                 keys[-1], ca=True))
        keys.append(k)
    leaf_key = g.new_key("p256")
    certs.append(g.make_cert("deep leaf", leaf_key, "deep intermediate 7", keys[-1], ca=False,
                             eku=[ExtendedKeyUsageOID.CODE_SIGNING]))
    (PKI / "deep-chain.pem").write_bytes(
        b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))


# ---- item 8 -------------------------------------------------------------------

def hf_cache_layout() -> None:
    c = g.Case("hf-cache-layout",
               "a Hugging Face hub cache (models--org--name: blobs/<sha256>, "
               "snapshots/<rev>/<file> -> ../../blobs/<sha256>, refs/main), signed with "
               "allow_symlinks and verified out of snapshots/<rev>",
               model="hub/models--oms-edge--tiny/snapshots/" + "3" * 8 + "a1b2c3d4" * 4)
    repo = c.dir / "hub" / "models--oms-edge--tiny"
    rev = Path(c.meta["model"]).name
    files = {"config.json": b'{"model_type": "tiny", "hidden_size": 8}\n',
             "model.safetensors": g.pattern(5000, 34),
             "tokenizer/tokenizer.json": b'{"version": "1.0"}\n'}
    for rel, data in files.items():
        blob = hashlib.sha256(data).hexdigest()
        (repo / "blobs").mkdir(parents=True, exist_ok=True)
        (repo / "blobs" / blob).write_bytes(data)
        link = repo / "snapshots" / rev / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        up = "../" * (len(Path(rel).parts) + 1)
        os.symlink(f"{up}blobs/{blob}", link)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(rev)
    g.sign_api(c.model, c.sig, "p256", allow_symlinks=True)
    c.write()


# ---- item 9 -------------------------------------------------------------------

def backslash_name() -> None:
    c = g.Case("backslash-name", "file names with backslashes (`a\\b.txt`, `dir\\x/y.bin`): "
               "legal POSIX names the reference signs")
    g.write_files(c.model, {"a\\b.txt": b"backslash\n", "dir\\x/y.bin": g.pattern(300, 35),
                            "plain.txt": b"plain\n"})
    g.sign_cli(c.model, c.sig, "p256")
    c.write()


# ---- item 10 ------------------------------------------------------------------

def shard_size_cases() -> None:
    c = g.Case("shard-size-1e16", "shard_size 10^16 (a signer's \"never shard\"), written "
               "1e+16 by the reference")
    g.write_files(c.model, {"weights.bin": g.pattern(3000, 36), "config.json": b"{}\n"})
    g.sign_api(c.model, c.sig, "p256", shard=10**16)
    payload = g.statement_of(g.load(c.sig))
    assert payload["predicate"]["serialization"]["shard_size"] == 1e16, payload
    c.write()
    src = c
    for name, text, why in [
        ("resigned-shard-size-fraction", "16.5", "shard_size 16.5"),
        ("resigned-shard-size-negative", "-16.0", "shard_size -16.0"),
        ("resigned-shard-size-inexact", "9007199254740993.0",
         "shard_size 2^53 + 1, which a float reader reads as 2^53"),
        ("resigned-shard-size-nan", "NaN", "shard_size NaN, as Python's json writes it "
         "(not JSON)"),
    ]:
        b = g.load(src.sig)
        st = g.statement_of(b)
        raw = json.dumps(st, indent=2).replace('"shard_size": 1e+16', f'"shard_size": {text}')
        assert text in raw
        g.derived(src, name, why, bundle=g.resign(b, st, "p256", raw=raw.encode()))


# ---- item 11 ------------------------------------------------------------------

def shard_long_path() -> None:
    """A shard of a file whose relative path is 4093 bytes (so `path:start:end`
    is longer than 4096): signed by the reference from inside the model,
    whose absolute paths would pass PATH_MAX. Only the bundle is committed;
    tests/tests/interop.rs rebuilds the model in memory from `pattern`."""
    parts = ["d" * 250] * 16 + ["f" * 77]
    rel = "/".join(parts)
    assert len(rel) == 4093
    size, seed = 25, 37
    out = ROOT / "generated"
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "long-path-model"
        model.mkdir()
        here = os.getcwd()
        os.chdir(model)
        try:
            os.makedirs("/".join(parts[:-1]))
            with open(rel, "wb") as f:
                f.write(g.pattern(size, seed))
            g.sign_api(Path("."), out / "shard-long-path.sig", "p256", shard=10)
        finally:
            os.chdir(here)
    names = [r["name"] for r in g.statement_of(g.load(out / "shard-long-path.sig"))
             ["predicate"]["resources"]]
    assert all(len(n.encode()) > 4096 for n in names), names
    (out / "shard-long-path.json").write_text(json.dumps(
        {"key": "keys/p256.pub.pem", "files": {rel: {"size": size, "seed": seed}}},
        indent=2) + "\n")


# ---- red-team review of the model path ------------------------------------------

def reference_verifies(c: "g.Case", *, ignore_unsigned=False, allow_symlinks=False) -> bool:
    """The reference's verdict on a case, configured as it signed."""
    from model_signing import hashing, verifying
    hc = hashing.Config().use_file_serialization(allow_symlinks=allow_symlinks)
    hc.set_allow_symlinks(allow_symlinks)
    try:
        verifying.Config().use_elliptic_key_verifier(public_key=KEYS / "p256.pub.pem") \
            .set_hashing_config(hc).set_ignore_unsigned_files(ignore_unsigned) \
            .verify(c.model, c.sig)
        return True
    except Exception:  # noqa: BLE001 - any refusal is a refusal
        return False


def odd_entry_cases() -> None:
    c = g.Case("unsigned-odd-entries-ignored",
               "signed without symlinks; then a file link, a directory link and a dangling "
               "link added: with --ignore-unsigned-files they are unlisted files, not checked",
               args=["--ignore-unsigned-files"])
    g.write_files(c.model, {"weights.bin": g.pattern(600, 38), "config.json": b"{}\n"})
    g.sign_cli(c.model, c.sig, "p256")
    os.symlink("weights.bin", c.model / "weights.link")
    (c.model / "sub").mkdir()
    os.symlink("..", c.model / "sub" / "up")
    os.symlink("nowhere", c.model / "dangling")
    assert reference_verifies(c, ignore_unsigned=True)
    c.write()

    c = g.Case("unsigned-odd-entry-listed",
               "signed without symlinks; then config.json became a link to an identical "
               "copy: listed, so refused even with --ignore-unsigned-files",
               expect="not-verified", args=["--ignore-unsigned-files"])
    g.write_files(c.model, {"weights.bin": g.pattern(600, 39), "config.json": b"{}\n"})
    g.sign_cli(c.model, c.sig, "p256")
    (c.dir / "config.json").write_bytes(b"{}\n")
    (c.model / "config.json").unlink()
    os.symlink("../config.json", c.model / "config.json")
    assert not reference_verifies(c, ignore_unsigned=True)
    c.write()

    c = g.Case("dir-link-to-ancestor",
               "sub/up -> .. signed with allow_symlinks: the reference signs and verifies it "
               "(its glob does not descend the link); oms-edge refuses a link to its own "
               "ancestor on purpose", expect="not-verified")
    g.write_files(c.model, {"weights.bin": g.pattern(400, 40), "sub/config.json": b"{}\n"})
    os.symlink("..", c.model / "sub" / "up")
    g.sign_api(c.model, c.sig, "p256", allow_symlinks=True)
    assert reference_verifies(c, allow_symlinks=True)
    c.write()


GROUPS = {
    "sig-link": sig_link_into_model,
    "ignore": ignore_cases,
    "pem": pem_cases,
    "chain": chain_cases,
    "hf-cache": hf_cache_layout,
    "backslash": backslash_name,
    "shard-size": shard_size_cases,
    "shard-long-path": shard_long_path,
    "odd-entries": odd_entry_cases,
}


def main() -> None:
    """All groups, or those named on the command line (their signatures
    change on every run: regenerate only what changed)."""
    import model_signing
    if model_signing.__version__ != g.REFERENCE_VERSION:
        sys.exit(f"need model-signing=={g.REFERENCE_VERSION}, found {model_signing.__version__}")
    assert (PKI / "p256-root.key.pem").exists(), "run generate.py first (test PKI)"
    for group in sys.argv[1:] or GROUPS:
        GROUPS[group]()
    print("wrote the issue-12 interop vectors")


if __name__ == "__main__":
    main()
