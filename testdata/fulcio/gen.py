#!/usr/bin/env python3
"""Generates the Fulcio-like certificates that core/src/sct.rs and
core/src/policy.rs test against. Run once; the outputs are committed and the
tests never run Python.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install cryptography
    /tmp/venv/bin/python testdata/fulcio/gen.py

Keys are random and not kept: every run writes a new, self-consistent set.

Outputs (DER):
    root.der            P-384 self-signed CA ("fulcio-test-root")
    intermediate.der    P-384 CA signed by the root (issues every leaf)
    ct-p256.der         SubjectPublicKeyInfo of a P-256 CT log key
    ct-rsa.der          SubjectPublicKeyInfo of an RSA-2048 CT log key
    ct-ed25519.der      SubjectPublicKeyInfo of an Ed25519 CT log key
    leaf-sct.der        URI SAN, issuer v1 and v2 (equal), three embedded
                        SCTs: P-256 (SHA-256/ECDSA), RSA (SHA-256/RSA) and
                        Ed25519 (intrinsic/Ed25519, with 8 extension bytes);
                        the SCT extension sits between other extensions
    leaf-sct.precert.der  RFC 6962 §3.2 precertificate TBS of leaf-sct.der,
                        as `cryptography` computes it (tbs_precertificate_bytes)
    leaf-email.der      email SAN, issuer v2 only, no SCT extension
    leaf-uri-v1.der     URI SAN, legacy issuer v1 only, no keyUsage
    leaf-othername.der  otherName SAN (1.3.6.1.4.1.57264.1.7, UTF8String
                        "octocat"), issuer v1 and v2 that differ
    leaf-ca.der         CA:TRUE leaf (email SAN, issuer v2)
    leaf-no-codesign.der  extKeyUsage serverAuth, DNS SAN only, no issuer
    leaf-no-digsig.der  keyUsage keyAgreement only (email SAN, issuer v2)
    leaf-two-sans.der   SAN with an email, then a URI (issuer v2)
    sct-info.txt        per SCT of leaf-sct.der: log (file), timestamp ms

An SCT is computed exactly as RFC 6962 §3.2 says for a precert_entry:
sign(version 0 || signature_type 0 || timestamp u64 || entry_type u16 = 1 ||
SHA-256(issuer SPKI) || u24 length || precert TBS || u16 length || extensions).
"""

from __future__ import annotations

import datetime
import hashlib
import struct
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

OUT = Path(__file__).resolve().parent

SCT_OID = ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2")
ISSUER_V1 = ObjectIdentifier("1.3.6.1.4.1.57264.1.1")
ISSUER_V2 = ObjectIdentifier("1.3.6.1.4.1.57264.1.8")
USERNAME = ObjectIdentifier("1.3.6.1.4.1.57264.1.7")

NOT_BEFORE = datetime.datetime(2024, 3, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
NOT_AFTER = NOT_BEFORE + datetime.timedelta(minutes=10)
SCT_MS = 1709294400123  # 2024-03-01T12:00:00.123Z

GHA = "https://token.actions.githubusercontent.com"
WORKFLOW = (
    "https://github.com/example/repo/.github/workflows/release.yml@refs/heads/main"
)


def der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def utf8(s: str) -> bytes:
    b = s.encode()
    return b"\x0c" + der_len(len(b)) + b


def name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "oms-edge test"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def spki(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def ca(subject, issuer, key, signer, path_len):
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
        .not_valid_after(datetime.datetime(2034, 1, 1, tzinfo=datetime.timezone.utc))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            True,
        )
    )
    return b.sign(signer, hashes.SHA384())


def leaf_builder(key, serial):
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(INTERMEDIATE.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
    )


def digital_signature(on=True, key_agreement=False):
    return x509.KeyUsage(on, False, False, False, key_agreement, False, False, False, False)


def code_signing():
    return x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING])


def build(exts, serial=None):
    """exts: list of (extension value, critical)."""
    key = ec.generate_private_key(ec.SECP256R1())
    b = leaf_builder(key, serial or x509.random_serial_number())
    for value, critical in exts:
        b = b.add_extension(value, critical)
    return b.sign(INT_KEY, hashes.SHA384())


def raw(oid, value: bytes):
    return x509.UnrecognizedExtension(oid, value)


def sct(log_key, log_spki: bytes, precert_tbs: bytes, issuer_spki: bytes, ext: bytes):
    """One TLS-encoded SignedCertificateTimestamp (RFC 6962 §3.2)."""
    signed = (
        struct.pack("!BBQH", 0, 0, SCT_MS, 1)
        + hashlib.sha256(issuer_spki).digest()
        + len(precert_tbs).to_bytes(3, "big")
        + precert_tbs
        + struct.pack("!H", len(ext))
        + ext
    )
    if isinstance(log_key, ec.EllipticCurvePrivateKey):
        sig, alg = log_key.sign(signed, ec.ECDSA(hashes.SHA256())), (4, 3)
    elif isinstance(log_key, rsa.RSAPrivateKey):
        sig, alg = log_key.sign(signed, padding.PKCS1v15(), hashes.SHA256()), (4, 1)
    else:
        sig, alg = log_key.sign(signed), (8, 7)
    return (
        bytes([0])
        + hashlib.sha256(log_spki).digest()
        + struct.pack("!Q", SCT_MS)
        + struct.pack("!H", len(ext))
        + ext
        + bytes(alg)
        + struct.pack("!H", len(sig))
        + sig
    )


def write(name_: str, data: bytes):
    (OUT / name_).write_bytes(data)


ROOT_KEY = ec.generate_private_key(ec.SECP384R1())
INT_KEY = ec.generate_private_key(ec.SECP384R1())
ROOT = ca(name("fulcio-test-root"), name("fulcio-test-root"), ROOT_KEY, ROOT_KEY, None)
INTERMEDIATE = ca(name("fulcio-test-intermediate"), ROOT.subject, INT_KEY, ROOT_KEY, 0)


def main():
    write("root.der", ROOT.public_bytes(serialization.Encoding.DER))
    write("intermediate.der", INTERMEDIATE.public_bytes(serialization.Encoding.DER))

    ct_p256 = ec.generate_private_key(ec.SECP256R1())
    ct_rsa = rsa.generate_private_key(65537, 2048)
    ct_ed = ed25519.Ed25519PrivateKey.generate()
    logs = [("ct-p256.der", ct_p256), ("ct-rsa.der", ct_rsa), ("ct-ed25519.der", ct_ed)]
    for file, key in logs:
        write(file, spki(key))

    # leaf-sct: build the precertificate's final form without the SCT
    # extension, take its TBS, then issue the same TBS with the SCT list
    # inserted (key, serial and other extensions unchanged).
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    serial = x509.random_serial_number()
    before = [
        (digital_signature(), True),
        (code_signing(), False),
        (x509.SubjectAlternativeName([x509.UniformResourceIdentifier(WORKFLOW)]), True),
    ]
    after = [
        (raw(ISSUER_V1, GHA.encode()), False),
        (raw(ISSUER_V2, utf8(GHA)), False),
    ]

    def issue(exts):
        b = leaf_builder(leaf_key, serial)
        for value, critical in exts:
            b = b.add_extension(value, critical)
        return b.sign(INT_KEY, hashes.SHA384())

    precert_tbs = issue(before + after).tbs_certificate_bytes
    int_spki = INTERMEDIATE.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    static_ct_ext = bytes([0, 0, 5]) + (1234).to_bytes(5, "big")
    entries = [
        sct(ct_p256, spki(ct_p256), precert_tbs, int_spki, b""),
        sct(ct_rsa, spki(ct_rsa), precert_tbs, int_spki, b""),
        sct(ct_ed, spki(ct_ed), precert_tbs, int_spki, static_ct_ext),
    ]
    body = b"".join(struct.pack("!H", len(e)) + e for e in entries)
    tls_list = struct.pack("!H", len(body)) + body
    octets = b"\x04" + der_len(len(tls_list)) + tls_list
    leaf = issue(before + [(raw(SCT_OID, octets), False)] + after)
    assert leaf.tbs_precertificate_bytes == precert_tbs
    write("leaf-sct.der", leaf.public_bytes(serialization.Encoding.DER))
    write("leaf-sct.precert.der", precert_tbs)
    with open(OUT / "sct-info.txt", "w") as f:
        for file, _ in logs:
            f.write(f"{file} {SCT_MS}\n")

    email = x509.SubjectAlternativeName([x509.RFC822Name("signer@example.com")])
    common = [(digital_signature(), True), (code_signing(), False)]
    leaves = {
        "leaf-email.der": common + [(email, True), (raw(ISSUER_V2, utf8(GHA)), False)],
        "leaf-uri-v1.der": [
            (code_signing(), False),
            (x509.SubjectAlternativeName([x509.UniformResourceIdentifier(WORKFLOW)]), True),
            (raw(ISSUER_V1, b"https://accounts.google.com"), False),
        ],
        "leaf-othername.der": common
        + [
            (x509.SubjectAlternativeName([x509.OtherName(USERNAME, utf8("octocat"))]), True),
            (raw(ISSUER_V1, b"https://legacy.example"), False),
            (raw(ISSUER_V2, utf8("https://v2.example")), False),
        ],
        "leaf-ca.der": [
            (x509.BasicConstraints(ca=True, path_length=None), True),
        ]
        + common
        + [(email, True), (raw(ISSUER_V2, utf8(GHA)), False)],
        "leaf-no-codesign.der": [
            (digital_signature(), True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
            (x509.SubjectAlternativeName([x509.DNSName("signer.example.com")]), True),
        ],
        "leaf-no-digsig.der": [
            (digital_signature(on=False, key_agreement=True), True),
            (code_signing(), False),
            (email, True),
            (raw(ISSUER_V2, utf8(GHA)), False),
        ],
        "leaf-two-sans.der": common
        + [
            (
                x509.SubjectAlternativeName(
                    [x509.RFC822Name("signer@example.com"), x509.UniformResourceIdentifier(WORKFLOW)]
                ),
                True,
            ),
            (raw(ISSUER_V2, utf8(GHA)), False),
        ],
    }
    for file, exts in leaves.items():
        write(file, build(exts).public_bytes(serialization.Encoding.DER))


if __name__ == "__main__":
    main()
