#!/usr/bin/env python3
"""Makes the RFC 3161 timestamp test vectors of core/src/timestamp.rs.

    python3 testdata/tsa/make.py      (needs `cryptography` and the openssl CLI)

Run once; the outputs are committed and the Rust tests read them with
include_bytes!, so the test suite never runs this script. Keys are kept
when they already exist; each run makes new tokens (new genTime, serial,
nonce and ECDSA signatures), so the tests derive every time they check from
the token itself rather than hard-coding it.

Three throw-away timestamp authorities, certificates made with
`cryptography` (exact validity windows), tokens made with `openssl ts`:

    ec/       root (P-384) -> intermediate (P-384, EKU timeStamping)
              -> leaf (P-256, EKU timeStamping critical); valid 2026..2036
    rsa/      root (RSA 3072) -> leaf (RSA 2048); valid 2026..2036
    expired/  root (P-256) -> leaf (P-256) whose validity ended in 2021

    signature.bin       the bytes timestamped (stands for a bundle signature)
    ec-embedded.tsr     TimeStampResp from ec/, SHA-256 imprint, signer and
                        chain certificates embedded, genTime with
                        milliseconds, accuracy, ordering, nonce, tsa name
    ec-bare.tsr         from ec/, SHA-384 imprint and signer digest, no
                        certificates embedded, no nonce, whole seconds
    rsa.tsr             from rsa/, SHA-512 imprint, PKCS#1 v1.5 SHA-256
    expired.tsr         from expired/, signed after the leaf expired
"""

from __future__ import annotations

import datetime
import hashlib
import subprocess
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent


def utc(y: int) -> datetime.datetime:
    return datetime.datetime(y, 1, 1, tzinfo=datetime.timezone.utc)


def key(path: Path, kind: str):
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), None)
    if kind == "p256":
        k = ec.generate_private_key(ec.SECP256R1())
    elif kind == "p384":
        k = ec.generate_private_key(ec.SECP384R1())
    else:
        k = rsa.generate_private_key(65537, int(kind.removeprefix("rsa")))
    path.write_bytes(
        k.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return k


def name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "oms-edge test"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def cert(subject, skey, issuer, ikey, serial, ca, start, end, eku_critical=None):
    b = (
        x509.CertificateBuilder()
        .subject_name(name(subject))
        .issuer_name(name(issuer))
        .public_key(skey.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(skey.public_key()), False)
    )
    if eku_critical is not None:
        b = b.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=eku_critical
        )
    alg = None if isinstance(ikey, rsa.RSAPrivateKey) is False else hashes.SHA256()
    if isinstance(ikey, ec.EllipticCurvePrivateKey):
        alg = hashes.SHA384() if isinstance(ikey.curve, ec.SECP384R1) else hashes.SHA256()
    return b.sign(ikey, alg)


def write_chain(d: Path, certs: dict) -> None:
    for n, c in certs.items():
        (d / f"{n}.der").write_bytes(c.public_bytes(serialization.Encoding.DER))
        (d / f"{n}.pem").write_bytes(c.public_bytes(serialization.Encoding.PEM))


def reply(
    d: Path, out: str, imprint: str, digest: str, embed: bool, nonce: bool, precision: int
) -> None:
    with tempfile.TemporaryDirectory() as t:
        t = Path(t)
        (t / "serial").write_text("01\n")
        chain = "".join(
            p.read_text() for p in sorted(d.glob("*.pem")) if p.name not in ("leaf.pem",)
            and not p.name.endswith(".key.pem")
        )
        (t / "chain.pem").write_text(chain)
        (t / "ts.cnf").write_text(
            f"""[ tsa ]
default_tsa = tsa1
[ tsa1 ]
serial = {t}/serial
crypto_device = builtin
signer_cert = {d}/leaf.pem
certs = {t}/chain.pem
signer_key = {d}/leaf.key.pem
signer_digest = {digest}
default_policy = 1.3.6.1.4.1.57264.2
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = {precision}
ordering = {"yes" if precision else "no"}
tsa_name = {"yes" if precision else "no"}
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""
        )
        query = [
            "openssl", "ts", "-query", "-data", str(HERE / "signature.bin"),
            f"-{imprint}", "-out", str(t / "q.tsq"),
        ]
        if embed:
            query.append("-cert")
        if not nonce:
            query.append("-no_nonce")
        subprocess.run(query, check=True)
        subprocess.run(
            [
                "openssl", "ts", "-reply", "-config", str(t / "ts.cnf"),
                "-queryfile", str(t / "q.tsq"), "-out", str(HERE / out),
            ],
            check=True,
        )


def main() -> None:
    sig = HERE / "signature.bin"
    if not sig.exists():
        sig.write_bytes(hashlib.sha512(b"oms-edge timestamp test signature").digest()[:71])

    d = HERE / "ec"
    d.mkdir(exist_ok=True)
    rk, ik, lk = key(d / "root.key.pem", "p384"), key(d / "inter.key.pem", "p384"), key(
        d / "leaf.key.pem", "p256"
    )
    s, e = utc(2026), utc(2036)
    root = cert("ec root", rk, "ec root", rk, 1, True, s, e)
    inter = cert("ec intermediate", ik, "ec root", rk, 2, True, s, e, eku_critical=False)
    leaf = cert("ec tsa", lk, "ec intermediate", ik, 3, False, s, e, eku_critical=True)
    write_chain(d, {"root": root, "inter": inter, "leaf": leaf})
    reply(d, "ec-embedded.tsr", "sha256", "sha256", embed=True, nonce=True, precision=3)
    reply(d, "ec-bare.tsr", "sha384", "sha384", embed=False, nonce=False, precision=0)

    d = HERE / "rsa"
    d.mkdir(exist_ok=True)
    rk, lk = key(d / "root.key.pem", "rsa3072"), key(d / "leaf.key.pem", "rsa2048")
    root = cert("rsa root", rk, "rsa root", rk, 1, True, s, e)
    leaf = cert("rsa tsa", lk, "rsa root", rk, 2, False, s, e, eku_critical=True)
    write_chain(d, {"root": root, "leaf": leaf})
    reply(d, "rsa.tsr", "sha512", "sha256", embed=False, nonce=True, precision=0)

    d = HERE / "expired"
    d.mkdir(exist_ok=True)
    rk, lk = key(d / "root.key.pem", "p256"), key(d / "leaf.key.pem", "p256")
    root = cert("expired root", rk, "expired root", rk, 1, True, utc(2020), e)
    leaf = cert("expired tsa", lk, "expired root", rk, 2, False, utc(2020), utc(2021), True)
    write_chain(d, {"root": root, "leaf": leaf})
    reply(d, "expired.tsr", "sha256", "sha256", embed=False, nonce=True, precision=0)


if __name__ == "__main__":
    main()
