#!/usr/bin/env python3
"""Builds offline Sigstore test vectors for oms-edge from a throw-away local PKI.

    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install -r testdata/requirements.txt
    /tmp/venv/bin/python testdata/generate_sigstore.py

Nothing here talks to the network: a Fulcio-like CA, a CT log, a Rekor v1 log
(ECDSA P-256), a Rekor v2 log (Ed25519, C2SP signed-note checkpoints) and an
RFC 3161 TSA are all simulated with python `cryptography` (X.509, signatures)
and `asn1crypto` (the CMS timestamp token). Bundles are written the way
sigstore-python 4.x writes them (Sigstore bundle protobuf JSON, lowerCamel
names, compact), and log entry bodies the way Rekor v1 / rekor-tiles store
them (RFC 8785 canonical JSON).

Every case is then checked twice, and the script exits non-zero on any
surprise:
  * independent_checks() below runs every check of the pipeline without
    stopping at the first failure: a positive must fail none, a negative
    exactly its `check` (plus `also`, where unavoidable);
  * sigstore-python (and model_signing for model cases) verifies it offline
    against the local trusted root; a rejected positive is an error unless
    listed in KNOWN_GAPS, a negative it accepts is only reported (it skips
    some checks). Positives must also survive a parse/serialize round trip
    through sigstore-python's bundle model unchanged.
The table it prints is written into sigstore/README.md.

Layout (all below testdata/sigstore/):
    keys/*.pem                  throw-away private keys and CA certificates
                                (TEST ONLY; reused on reruns so the trust
                                roots stay stable)
    trusted_root.json           the local Sigstore trusted root
    trusted_root_*.json         variants a few negative cases need
    artifacts/                  files signed by the artifact cases
    models/                     model directories signed by the model cases
    cases/<name>/bundle.sigstore.json, cases/<name>/case.json
    README.md                   description + the sigstore-python table

case.json (paths relative to the case directory):
    kind          "model" or "artifact"
    model         model directory (kind model)
    artifact      artifact file (kind artifact)
    trusted_root  trusted root JSON
    identity      expected SAN (email or URI)
    issuer        expected OIDC issuer
    key           (managed-key cases, instead of identity and issuer) the
                  PEM public key to verify with
    expect        "ok" or "fail"
    check         (negatives) the one check that must reject it
    also          (rare) checks that cannot help failing too; `check` must
                  still be the one reported, as it comes first
    why           one line
Every case verifies (or fails) the same way at any "now" from 2025 to
2099: certificates are checked at the signed times, not the clock. Only
integrated-time-future depends on the clock (it fails until 2099).

Structure is deterministic (names, times, serials, tree shapes); ECDSA
signatures are deterministic (RFC 6979) and the model payload is kept in
keys/model-payload.json, so a rerun is byte-identical (with PYTHONHASHSEED=0).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import rfc8785
from asn1crypto import algos as a_algos
from asn1crypto import cms as a_cms
from asn1crypto import core as a_core
from asn1crypto import tsp as a_tsp
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

ROOT = Path(__file__).resolve().parent / "sigstore"
KEYS = ROOT / "keys"
CASES = ROOT / "cases"
MODELS = ROOT / "models"
ARTIFACTS = ROOT / "artifacts"

UTC = datetime.timezone.utc
T_CA = datetime.datetime(2025, 1, 1, tzinfo=UTC)
T_SIGN = datetime.datetime(2025, 6, 2, 10, 0, 0, tzinfo=UTC)  # leaf notBefore
LEAF_LIFETIME = datetime.timedelta(minutes=10)  # as Fulcio issues them
T_INTEGRATED = T_SIGN + datetime.timedelta(seconds=23)  # Rekor v1 integratedTime
T_TSA = T_SIGN + datetime.timedelta(seconds=24)  # RFC 3161 genTime
T_FUTURE = datetime.datetime(2099, 6, 1, 10, 0, 0, tzinfo=UTC)

EMAIL = "signer@example.com"
EMAIL_ISSUER = "https://oidc.example.com"
URI = "https://github.com/example/model-repo/.github/workflows/sign.yml@refs/heads/main"
URI_ISSUER = "https://token.actions.githubusercontent.com"

REKOR1_URL = "https://rekor.local"
REKOR1_ORIGIN = "rekor.local - 1234567890"
REKOR1_NAME = "rekor.local"
REKOR1_INDEX_OFFSET = 1000  # v1 logIndex is global; the proof index is per shard
REKOR2_URL = "https://log2026.rekor.local"
REKOR2_ORIGIN = "log2026.rekor.local"
WITNESS_NAME = "witness.local"
CT_URL = "https://ctfe.local/test"
FULCIO_URL = "https://fulcio.local"
TSA_URL = "https://timestamp.local/api/v1/timestamp"

MT_NEW = "application/vnd.dev.sigstore.bundle.v0.3+json"
MT_03 = "application/vnd.dev.sigstore.bundle+json;version=0.3"
MT_02 = "application/vnd.dev.sigstore.bundle+json;version=0.2"
MT_01 = "application/vnd.dev.sigstore.bundle+json;version=0.1"
INTOTO = "application/vnd.in-toto+json"

OID_ISSUER_V1 = ObjectIdentifier("1.3.6.1.4.1.57264.1.1")
OID_ISSUER_V2 = ObjectIdentifier("1.3.6.1.4.1.57264.1.8")
OID_SCT_LIST = ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2")
TSA_POLICY = "1.3.6.1.4.1.57264.2"

# Positive cases sigstore-python rejects on purpose; anything else rejected
# makes the script fail.
KNOWN_GAPS = {
    "issuer-v2-only": "sigstore-python's Identity policy reads only the "
    "legacy 1.3.6.1.4.1.57264.1.1 issuer extension",
    "dsse-compat-pae-model": "model_signing's sigstore method has no pre-1.0 PAE "
    "fallback (its key and certificate methods do); oms-edge keeps it for every "
    "OMS model bundle",
}
# sigstore-python 4.5.1 verifies only P-256 keys the registry's way: it
# hashes every artifact with SHA-256 (`sha256_digest`), casts every signing
# key to an EC key and verifies DSSE with ECDSA-SHA256 (`dsse._verify`),
# and has no managed-key verifier. Registry cases it cannot verify for
# these reasons are known gaps too (see README).
REGISTRY_GAP_EC = ("sigstore-python hashes with SHA-256 whatever the curve; the registry "
                   "pairs P-384 with SHA-384 and P-521 with SHA-512")
REGISTRY_GAP_RSA = "sigstore-python verifies every leaf key as an EC key (no RSA)"
REGISTRY_GAP_KEY = "sigstore-python 4.5.1 has no managed-key verifier"
KNOWN_GAPS.update({
    "v1-hashedrekord-p384": REGISTRY_GAP_EC,
    "v2-hashedrekord-p521": REGISTRY_GAP_EC,
    "v1-dsse-model-p384": REGISTRY_GAP_EC,
    "v2-hashedrekord-rsa2048": REGISTRY_GAP_RSA,
    "v1-hashedrekord-rsa3072-pss": REGISTRY_GAP_RSA,
    "v2-hashedrekord-rsa4096-pss": REGISTRY_GAP_RSA,
    "v2-dsse-artifact-rsa3072": REGISTRY_GAP_RSA,
    "managed-key-p384": REGISTRY_GAP_KEY,
    "managed-key-rsa2048-pss-v2": REGISTRY_GAP_KEY,
})
# For the keyless ones, sigstore-python still checks all it can: the
# certificate chain at the signed times, SCT, log entry (SET, inclusion
# proof, checkpoint), timestamps and identity (`_verify_common_signing_cert`);
# the signature and the log body's consistency are independent_checks'.



# --------------------------------------------------------------------------
# small helpers


def b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def sha256(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def unix(t: datetime.datetime) -> int:
    return int(t.timestamp())


def rfc3339(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def spki(key) -> bytes:
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def ed_raw(key: ed25519.Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def serial_for(label: str) -> int:
    """A deterministic, positive, 20-byte-at-most serial number."""
    return int.from_bytes(sha256(b"serial:" + label.encode())[:20], "big") >> 1


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding."""
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def ecdsa(key: ec.EllipticCurvePrivateKey, msg: bytes, h=None) -> bytes:
    return key.sign(msg, ec.ECDSA(h or hashes.SHA256(), deterministic_signing=True))


# The Sigstore algorithm registry: the hash each key signs with, and its
# PublicKeyDetails names.
def registry_hash(pub) -> hashes.HashAlgorithm:
    if isinstance(pub, rsa.RSAPublicKey):
        return hashes.SHA256()
    return {256: hashes.SHA256(), 384: hashes.SHA384(), 521: hashes.SHA512()}[pub.curve.key_size]


def hash_names(h: hashes.HashAlgorithm) -> tuple[str, str]:
    """(Rekor v1 / in-toto name, protobuf HashAlgorithm name)."""
    return {"sha256": ("sha256", "SHA2_256"), "sha384": ("sha384", "SHA2_384"),
            "sha512": ("sha512", "SHA2_512")}[h.name]


def digest_of(h: hashes.HashAlgorithm, data: bytes) -> bytes:
    return hashlib.new(h.name, data).digest()


def key_details(pub, pss: bool = False) -> str:
    if isinstance(pub, rsa.RSAPublicKey):
        return f"PKIX_RSA_{'PSS' if pss else 'PKCS1V15'}_{pub.key_size}_SHA256"
    return {256: "PKIX_ECDSA_P256_SHA_256", 384: "PKIX_ECDSA_P384_SHA_384",
            521: "PKIX_ECDSA_P521_SHA_512"}[pub.curve.key_size]


def _mgf1(seed: bytes, n: int) -> bytes:
    out, counter = b"", 0
    while len(out) < n:
        out += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:n]


def rsa_pss_sign(key: rsa.RSAPrivateKey, msg: bytes, salt: bytes) -> bytes:
    """RSASSA-PSS (RFC 8017 9.1.1, SHA-256, MGF1-SHA-256, trailer 0xbc) with
    a given salt, so that the signature is deterministic (cryptography draws
    the salt at random); the RSA step is the textbook one."""
    n = key.private_numbers().public_numbers.n
    d = key.private_numbers().d
    em_bits = n.bit_length() - 1
    em_len = (em_bits + 7) // 8
    m_hash = hashlib.sha256(msg).digest()
    h = hashlib.sha256(b"\0" * 8 + m_hash + salt).digest()
    db = b"\0" * (em_len - len(salt) - 32 - 2) + b"\x01" + salt
    masked = bytes(a ^ b for a, b in zip(db, _mgf1(h, len(db))))
    masked = bytes([masked[0] & (0xFF >> (8 * em_len - em_bits))]) + masked[1:]
    em = masked + h + b"\xbc"
    sig = pow(int.from_bytes(em, "big"), d, n)
    return sig.to_bytes((n.bit_length() + 7) // 8, "big")


def sign_registry(key, msg: bytes, *, pss_salt: bytes | None = None, h=None) -> bytes:
    """Signs `msg` the registry's way for `key` (deterministically): ECDSA
    with the curve's hash, RSA PKCS#1 v1.5 or (with a salt) PSS with
    SHA-256. `h` overrides the hash (for the negatives)."""
    if isinstance(key, rsa.RSAPrivateKey):
        if pss_salt is not None:
            return rsa_pss_sign(key, msg, pss_salt)
        return key.sign(msg, padding.PKCS1v15(), h or hashes.SHA256())
    return ecdsa(key, msg, h or registry_hash(key.public_key()))


def name(org: str, cn: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org, _ASN1Type.PrintableString),
        x509.NameAttribute(NameOID.COMMON_NAME, cn, _ASN1Type.PrintableString),
    ])


def canonical(obj: Any) -> bytes:
    """RFC 8785 JSON, as Rekor and rekor-tiles store entry bodies."""
    return rfc8785.dumps(obj)


# --------------------------------------------------------------------------
# throw-away PKI


def load_key(label: str, kind: str):
    KEYS.mkdir(parents=True, exist_ok=True)
    path = KEYS / f"{label}.pem"
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), None)
    key = {
        "p256": lambda: ec.generate_private_key(ec.SECP256R1()),
        "p384": lambda: ec.generate_private_key(ec.SECP384R1()),
        "p521": lambda: ec.generate_private_key(ec.SECP521R1()),
        "rsa1024": lambda: rsa.generate_private_key(65537, 1024),
        "rsa2048": lambda: rsa.generate_private_key(65537, 2048),
        "rsa3072": lambda: rsa.generate_private_key(65537, 3072),
        "rsa4096": lambda: rsa.generate_private_key(65537, 4096),
        "ed25519": ed25519.Ed25519PrivateKey.generate,
    }[kind]()
    path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    return key


def stored_cert(label: str, key, build: Callable[[], x509.Certificate]) -> x509.Certificate:
    """Reuses keys/<label>.crt.pem when it still matches its key."""
    path = KEYS / f"{label}.crt.pem"
    if path.exists():
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        if spki(cert.public_key()) == spki(key.public_key()):
            return cert
    cert = build()
    path.write_bytes(pem(cert))
    return cert


def key_usage(*, signing: bool) -> x509.KeyUsage:
    """digitalSignature (end entities) or keyCertSign + cRLSign (CAs)."""
    return x509.KeyUsage(
        digital_signature=signing, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=not signing,
        crl_sign=not signing, encipher_only=False, decipher_only=False)


def ca_cert(label, key, subject, *, issuer_cert=None, issuer_key=None,
            not_before, not_after, path_len, code_signing_eku=False,
            eku=None) -> x509.Certificate:
    def build():
        iss_name = issuer_cert.subject if issuer_cert else subject
        iss_key = issuer_key or key
        b = (x509.CertificateBuilder()
             .subject_name(subject).issuer_name(iss_name)
             .public_key(key.public_key()).serial_number(serial_for(label))
             .not_valid_before(not_before).not_valid_after(not_after)
             .add_extension(key_usage(signing=False), critical=True))
        if code_signing_eku or eku:
            # Fulcio's real intermediate carries EKU codeSigning.
            b = b.add_extension(x509.ExtendedKeyUsage(
                list(eku or [ExtendedKeyUsageOID.CODE_SIGNING])), critical=False)
        b = (b.add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                            critical=False))
        if issuer_cert:
            b = b.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()),
                critical=False)
        return b.sign(iss_key, hashes.SHA384(), ecdsa_deterministic=True)
    return stored_cert(label, key, build)


def tsa_leaf_cert(label, key, subject, issuer_cert, issuer_key, not_before, not_after):
    def build():
        return (x509.CertificateBuilder()
                .subject_name(subject).issuer_name(issuer_cert.subject)
                .public_key(key.public_key()).serial_number(serial_for(label))
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(key_usage(signing=True), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                               critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    issuer_cert.public_key()), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                               critical=True)
                .sign(issuer_key, hashes.SHA384(), ecdsa_deterministic=True))
    return stored_cert(label, key, build)


@dataclass
class Tsa:
    key: Any
    leaf: x509.Certificate
    root: x509.Certificate


class Pki:
    def __init__(self) -> None:
        (self.fulcio_root_key, self.fulcio_root,
         self.fulcio_int_key, self.fulcio_int) = self._fulcio("fulcio", "sigstore.local")
        # An intermediate of the same root whose extKeyUsage is serverAuth
        # only (fulcio-intermediate-eku): Go's x509 refuses a codeSigning
        # leaf under it.
        self.fulcio_int_tls_key = load_key("fulcio-intermediate-tls", "p384")
        self.fulcio_int_tls = ca_cert(
            "fulcio-intermediate-tls", self.fulcio_int_tls_key,
            name("sigstore.local", "sigstore-intermediate-tls"), issuer_cert=self.fulcio_root,
            issuer_key=self.fulcio_root_key, not_before=T_CA,
            not_after=datetime.datetime(2099, 12, 31, tzinfo=UTC), path_len=0,
            eku=(ExtendedKeyUsageOID.SERVER_AUTH,))
        # A CA the trusted root does not know (chain-untrusted).
        _, _, self.rogue_int_key, self.rogue_int = self._fulcio("rogue-fulcio", "rogue.local")

        self.rekor1 = load_key("rekor-v1", "p256")
        self.rekor2 = load_key("rekor-v2", "ed25519")
        self.ct = load_key("ctlog", "p256")
        self.witness = load_key("witness", "ed25519")
        self.wrong_p256 = load_key("wrong-p256", "p256")  # SET/checkpoint/SCT forgeries
        self.wrong_ed25519 = load_key("wrong-ed25519", "ed25519")
        self.signer = load_key("signer", "p256")  # Fulcio leaf keys (ephemeral in real life)
        # Keys of the Sigstore algorithm registry beyond P-256 (Fulcio leaves
        # and managed keys), and an RSA size the registry does not list.
        self.registry = {kind: load_key(f"signer-{kind}", kind)
                         for kind in ("p384", "p521", "rsa2048", "rsa3072", "rsa4096",
                                      "rsa1024")}
        for kind, key in self.registry.items():
            (KEYS / f"signer-{kind}.pub.pem").write_bytes(key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))

        self.tsa = self._tsa("tsa", name("sigstore.local", "sigstore-tsa-selfsigned"),
                             name("sigstore.local", "sigstore-tsa"),
                             T_CA, datetime.datetime(2035, 1, 1, tzinfo=UTC),
                             T_CA, datetime.datetime(2035, 1, 1, tzinfo=UTC))
        # Its leaf expired before T_SIGN (tsa-validity-cert).
        self.tsa_old = self._tsa("tsa-old", name("sigstore.local", "sigstore-tsa-2024-root"),
                                 name("sigstore.local", "sigstore-tsa-2024"),
                                 datetime.datetime(2024, 1, 1, tzinfo=UTC),
                                 datetime.datetime(2034, 1, 1, tzinfo=UTC),
                                 datetime.datetime(2024, 1, 1, tzinfo=UTC),
                                 datetime.datetime(2025, 1, 1, tzinfo=UTC))
        # Not in any trusted root (tsa-untrusted).
        self.tsa_rogue = self._tsa("tsa-rogue", name("rogue.local", "sigstore-tsa-selfsigned"),
                                   name("rogue.local", "sigstore-tsa"),
                                   T_CA, datetime.datetime(2035, 1, 1, tzinfo=UTC),
                                   T_CA, datetime.datetime(2035, 1, 1, tzinfo=UTC))

    @staticmethod
    def _fulcio(label: str, org: str):
        """Root + intermediate shaped like Fulcio's (P-384, pathlen 1 / 0, the
        intermediate with EKU codeSigning), valid until 2100 (GeneralizedTime)."""
        far = datetime.datetime(2100, 1, 1, tzinfo=UTC)
        root_key = load_key(f"{label}-root", "p384")
        root = ca_cert(f"{label}-root", root_key, name(org, "sigstore"),
                       not_before=T_CA, not_after=far, path_len=1)
        int_key = load_key(f"{label}-intermediate", "p384")
        inter = ca_cert(f"{label}-intermediate", int_key, name(org, "sigstore-intermediate"),
                        issuer_cert=root, issuer_key=root_key, not_before=T_CA,
                        not_after=far - datetime.timedelta(days=1), path_len=0,
                        code_signing_eku=True)
        return root_key, root, int_key, inter

    def _tsa(self, label, root_name, leaf_name, root_nb, root_na, leaf_nb, leaf_na) -> Tsa:
        root_key = load_key(f"{label}-root", "p384")
        root = ca_cert(f"{label}-root", root_key, root_name,
                       not_before=root_nb, not_after=root_na, path_len=0)
        leaf_key = load_key(f"{label}-leaf", "p384")
        leaf = tsa_leaf_cert(f"{label}-leaf", leaf_key, leaf_name, root, root_key,
                             leaf_nb, leaf_na)
        return Tsa(leaf_key, leaf, root)

    # ids ---------------------------------------------------------------

    def rekor1_id(self) -> bytes:
        return sha256(spki(self.rekor1.public_key()))

    def rekor2_id(self) -> bytes:
        # rekor-tiles / sigstore: SHA-256(origin || "\n" || 0x01 || raw key),
        # the C2SP signed-note Ed25519 key ID; its first 4 bytes are the key hint.
        return sha256(REKOR2_ORIGIN.encode() + b"\n\x01" + ed_raw(self.rekor2.public_key()))

    def ct_id(self) -> bytes:
        return sha256(spki(self.ct.public_key()))

    # trusted root ------------------------------------------------------

    def trusted_root(self, *, tsa: Tsa | None = None, tsa_valid_for=None,
                     rekor2_valid_for=None, ct_valid_for=None,
                     fulcio_int: x509.Certificate | None = None,
                     rekor1_valid_for=None) -> dict:
        tsa = tsa or self.tsa
        fulcio_int = fulcio_int or self.fulcio_int
        start = rfc3339(T_CA)

        def key(raw: bytes, details: str, valid_start: str, valid_for=None) -> dict:
            return {"rawBytes": b64(raw), "keyDetails": details,
                    "validFor": valid_for or {"start": valid_start}}

        return {
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [
                {"baseUrl": REKOR1_URL, "hashAlgorithm": "SHA2_256",
                 "publicKey": key(spki(self.rekor1.public_key()),
                                  "PKIX_ECDSA_P256_SHA_256", start, rekor1_valid_for),
                 "logId": {"keyId": b64(self.rekor1_id())}},
                {"baseUrl": REKOR2_URL, "hashAlgorithm": "SHA2_256",
                 "publicKey": key(spki(self.rekor2.public_key()), "PKIX_ED25519", start,
                                  rekor2_valid_for),
                 "logId": {"keyId": b64(self.rekor2_id())}},
            ],
            "certificateAuthorities": [{
                "subject": {"organization": "sigstore.local", "commonName": "sigstore"},
                "uri": FULCIO_URL,
                "certChain": {"certificates": [{"rawBytes": b64(der(fulcio_int))},
                                               {"rawBytes": b64(der(self.fulcio_root))}]},
                "validFor": {"start": start},
            }],
            "ctlogs": [
                {"baseUrl": CT_URL, "hashAlgorithm": "SHA2_256",
                 "publicKey": key(spki(self.ct.public_key()), "PKIX_ECDSA_P256_SHA_256", start,
                                  ct_valid_for),
                 "logId": {"keyId": b64(self.ct_id())}},
            ],
            "timestampAuthorities": [{
                "subject": {"organization": "sigstore.local",
                            "commonName": tsa.root.subject.get_attributes_for_oid(
                                NameOID.COMMON_NAME)[0].value},
                "uri": TSA_URL,
                "certChain": {"certificates": [{"rawBytes": b64(der(tsa.leaf))},
                                               {"rawBytes": b64(der(tsa.root))}]},
                "validFor": tsa_valid_for or {"start": rfc3339(tsa.leaf.not_valid_before_utc)},
            }],
        }


# --------------------------------------------------------------------------
# Fulcio-like leaf certificates with an embedded SCT (RFC 6962 3.2)


def sct_list(pki: Pki, issuer: x509.Certificate, precert_tbs: bytes, ts: datetime.datetime,
             ct_key) -> bytes:
    """A TLS-encoded SignedCertificateTimestampList with one v1 precert SCT."""
    ts_ms = unix(ts) * 1000 + ts.microsecond // 1000
    issuer_key_hash = sha256(spki(issuer.public_key()))
    signed = (struct.pack("!BBQH", 0, 0, ts_ms, 1)  # v1, certificate_timestamp, precert_entry
              + issuer_key_hash
              + len(precert_tbs).to_bytes(3, "big") + precert_tbs
              + struct.pack("!H", 0))  # no CtExtensions
    sig = ecdsa(ct_key, signed)
    sct = (struct.pack("!B", 0) + pki.ct_id() + struct.pack("!QH", ts_ms, 0)
           + struct.pack("!BBH", 4, 3, len(sig)) + sig)  # sha256, ecdsa
    body = struct.pack("!H", len(sct)) + sct
    return struct.pack("!H", len(body)) + body


def der_octets(b: bytes) -> bytes:
    return a_core.OctetString(b).dump()


def der_utf8(s: str) -> bytes:
    return a_core.UTF8String(s).dump()


def leaf_cert(pki: Pki, label: str, *, key=None, email: str | None = EMAIL,
              uri: str | None = None, issuer: str = EMAIL_ISSUER,
              not_before: datetime.datetime = T_SIGN, legacy_issuer=True, v2_issuer=True,
              is_ca=False, eku=(ExtendedKeyUsageOID.CODE_SIGNING,), sct="good",
              sct_time: datetime.datetime | None = None, ca=None,
              legacy_exts: list[tuple[str, bytes]] = (),
              v2_exts: list[tuple[str, bytes]] = (), ku=True, san_critical=True,
              legacy_issuer_value: str | None = None, eku_critical=False,
              aki=True) -> x509.Certificate:
    """Issues a leaf the way Fulcio does: empty subject, critical SAN, issuer
    extensions, then an embedded SCT over the precertificate TBS.
    `legacy_exts` follow the legacy issuer (.1.2-.1.6), `v2_exts` the v2
    issuer (.1.9-.1.22), each (dotted OID, extension value) in order."""
    ca_cert_, ca_key = ca or (pki.fulcio_int, pki.fulcio_int_key)
    key = key or pki.signer
    sans: list[x509.GeneralName] = []
    if email:
        sans.append(x509.RFC822Name(email))
    if uri:
        sans.append(x509.UniformResourceIdentifier(uri))
    b = (x509.CertificateBuilder()
         .subject_name(x509.Name([])).issuer_name(ca_cert_.subject)
         .public_key(key.public_key()).serial_number(serial_for("leaf:" + label))
         .not_valid_before(not_before).not_valid_after(not_before + LEAF_LIFETIME))
    if ku == "cert-sign":  # digitalSignature and keyCertSign
        b = b.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
    elif ku:
        b = b.add_extension(key_usage(signing=True), critical=True)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=eku_critical)
    if is_ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                        critical=False)
    if aki:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_cert_.public_key()), critical=False)
    b = b.add_extension(x509.SubjectAlternativeName(sans), critical=san_critical)
    if legacy_issuer:  # raw bytes, not DER (deprecated Fulcio extension)
        b = b.add_extension(x509.UnrecognizedExtension(
            OID_ISSUER_V1, (legacy_issuer_value or issuer).encode()), critical=False)
    for oid, value in legacy_exts:
        b = b.add_extension(x509.UnrecognizedExtension(ObjectIdentifier(oid), value),
                            critical=False)
    if v2_issuer:  # DER UTF8String
        b = b.add_extension(x509.UnrecognizedExtension(OID_ISSUER_V2, der_utf8(issuer)),
                            critical=False)
    for oid, value in v2_exts:
        b = b.add_extension(x509.UnrecognizedExtension(ObjectIdentifier(oid), value),
                            critical=False)
    if sct == "none":
        return b.sign(ca_key, hashes.SHA384(), ecdsa_deterministic=True)
    precert = b.sign(ca_key, hashes.SHA384(), ecdsa_deterministic=True)
    tbs = precert.tbs_certificate_bytes
    ct_key = pki.wrong_p256 if sct == "bad-signature" else pki.ct
    lst = sct_list(pki, ca_cert_, tbs, sct_time or not_before, ct_key)
    final = b.add_extension(x509.UnrecognizedExtension(OID_SCT_LIST, der_octets(lst)),
                            critical=False).sign(ca_key, hashes.SHA384(), ecdsa_deterministic=True)
    assert final.tbs_precertificate_bytes == tbs, "precert TBS must round-trip"
    return final


def leaf_cert_edited(pki: Pki, label: str, edit: Callable[[Any], None], *,
                     precert_check=True, **kw) -> x509.Certificate:
    """A leaf like leaf_cert's, every extension and a valid SCT included,
    whose TBS `edit` changes in ways `cryptography`'s builder refuses
    (version, serial, repeated extensions): asn1crypto re-encodes the TBS,
    the SCT is made over the edited precertificate, the CA's key re-signs."""
    ca_cert_, ca_key = pki.fulcio_int, pki.fulcio_int_key
    base = a_x509.Certificate.load(der(leaf_cert(pki, label, sct="none", **kw)))
    tbs = a_x509.TbsCertificate.load(base["tbs_certificate"].dump())
    edit(tbs)
    precert = tbs.dump(force=True)
    lst = sct_list(pki, ca_cert_, precert, T_SIGN, pki.ct)
    sct_ext = a_x509.Extension.load(
        b"\x30" + _der_len(len(OID_DER_SCT_LIST) + len(der_octets(der_octets(lst))))
        + OID_DER_SCT_LIST + der_octets(der_octets(lst)))
    tbs["extensions"] = a_x509.Extensions([*tbs["extensions"], sct_ext])
    final_tbs = tbs.dump(force=True)
    cert_der = a_x509.Certificate({
        "tbs_certificate": a_x509.TbsCertificate.load(final_tbs),
        "signature_algorithm": base["signature_algorithm"],
        "signature_value": ecdsa(ca_key, final_tbs, hashes.SHA384()),
    }).dump()
    cert = x509.load_der_x509_certificate(cert_der)
    assert cert.tbs_certificate_bytes == final_tbs
    if precert_check:  # `cryptography` cannot read a TBS with repeated extensions
        assert cert.tbs_precertificate_bytes == precert, "precert TBS must round-trip"
    return cert


def leaf_cert_v1(pki: Pki, label: str) -> x509.Certificate:
    """X.509 v1 (version field absent) with every extension of a Fulcio leaf:
    RFC 5280 4.1.2.9 allows extensions in v3 only."""
    def v1(tbs) -> None:
        tbs["version"] = "v1"  # the DEFAULT: asn1crypto then omits the field
        assert a_x509.TbsCertificate.load(tbs.dump(force=True))["version"].native == "v1"
    cert = leaf_cert_edited(pki, label, v1)
    assert cert.version == x509.Version.v1 and len(cert.extensions) == 8
    return cert


OID_DER_SCT_LIST = a_core.ObjectIdentifier(OID_SCT_LIST.dotted_string).dump()


# --------------------------------------------------------------------------
# GitHub Actions identities (issue 15): what Fulcio puts in a certificate
# for a GitHub OIDC token (Fulcio docs/oid-info.md, "Mapping OIDC token
# claims to Fulcio OIDs")

GH = "https://github.com"
FULCIO_ARC = "1.3.6.1.4.1.57264.1."


@dataclass
class Gha:
    """One workflow run: `repo` at `ref` runs `workflow` (the caller); a
    reusable workflow `signer` (`owner/repo/path@ref`), when set, is the job
    that signs."""
    label: str
    repo: str  # owner/name
    workflow: str  # .github/workflows/<file>
    ref: str
    trigger: str = "push"
    name: str = "Release"
    signer: str | None = None
    runner: str = "github-hosted"
    visibility: str = "public"
    legacy: bool = True  # .1.2-.1.6 (Fulcio still writes them for GitHub)
    v2: bool = True  # .1.8-.1.22

    def sha(self, what: str) -> str:  # a deterministic git commit SHA
        return hashlib.sha1(f"{self.label}:{what}".encode()).hexdigest()

    def num(self, what: str) -> str:
        return str(int.from_bytes(sha256(f"{self.label}:{what}".encode())[:4], "big"))

    def caller(self) -> str:
        return f"{self.repo}/{self.workflow}@{self.ref}"

    def san(self) -> str:
        """The SAN: `https://github.com/` + job_workflow_ref."""
        return f"{GH}/{self.signer or self.caller()}"

    def extensions(self) -> dict[str, tuple[int, str]]:
        """Extension name -> (arc, value), as the tests name them."""
        owner = self.repo.split("/")[0]
        sha = self.sha("commit")
        legacy = {
            "github_workflow_trigger": (2, self.trigger),
            "github_workflow_sha": (3, sha),
            "github_workflow_name": (4, self.name),
            "github_workflow_repository": (5, self.repo),
            "github_workflow_ref": (6, self.ref),
        } if self.legacy else {}
        v2 = {
            "build_signer_uri": (9, self.san()),
            "build_signer_digest": (10, self.sha("signer") if self.signer else sha),
            "runner_environment": (11, self.runner),
            "source_repository_uri": (12, f"{GH}/{self.repo}"),
            "source_repository_digest": (13, sha),
            "source_repository_ref": (14, self.ref),
            "source_repository_identifier": (15, self.num("repo")),
            "source_repository_owner_uri": (16, f"{GH}/{owner}"),
            "source_repository_owner_identifier": (17, self.num("owner")),
            "build_config_uri": (18, f"{GH}/{self.caller()}"),
            "build_config_digest": (19, sha),
            "build_trigger": (20, self.trigger),
            "run_invocation_uri": (21, f"{GH}/{self.repo}/actions/runs/{self.num('run')}"
                                       "/attempts/1"),
            "source_repository_visibility_at_signing": (22, self.visibility),
        } if self.v2 else {}
        return {**legacy, **v2}

    def cert_kw(self) -> dict:
        """leaf_cert's knobs: URI SAN, GitHub's issuer, the extensions
        (.1.2-.1.6 raw bytes, .1.9-.1.22 DER UTF8String)."""
        exts = self.extensions()
        return dict(
            email=None, uri=self.san(), issuer=URI_ISSUER, v2_issuer=self.v2,
            legacy_exts=[(FULCIO_ARC + str(arc), v.encode())
                         for arc, v in exts.values() if arc < 8],
            v2_exts=[(FULCIO_ARC + str(arc), der_utf8(v)) for arc, v in exts.values() if arc > 8])


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


# --------------------------------------------------------------------------
# RFC 6962 Merkle tree


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00" + data)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(hashes_: list[bytes]) -> bytes:
    if len(hashes_) == 1:
        return hashes_[0]
    k = _split(len(hashes_))
    return node_hash(mth(hashes_[:k]), mth(hashes_[k:]))


def audit_path(m: int, hashes_: list[bytes]) -> list[bytes]:
    """RFC 6962 2.1.1 PATH(m, D[n]), leaf-to-root order."""
    n = len(hashes_)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return audit_path(m, hashes_[:k]) + [mth(hashes_[k:])]
    return audit_path(m - k, hashes_[k:]) + [mth(hashes_[:k])]


def tree_with(body: bytes, size: int, index: int, seed: str) -> tuple[bytes, list[bytes]]:
    """Root and inclusion path for `body` placed at `index` among dummy leaves."""
    leaves = [leaf_hash(b'{"dummy":%d,"tree":"%s"}' % (i, seed.encode())) for i in range(size)]
    leaves[index] = leaf_hash(body)
    return mth(leaves), audit_path(index, leaves)


# Tree shapes, cycled over entries: inner nodes, right border, perfect tree,
# first leaf, last leaf of an odd tree ...
SHAPES = [(11, 6), (13, 12), (8, 5), (7, 2), (12, 0), (9, 8), (10, 3), (13, 9)]


# --------------------------------------------------------------------------
# checkpoints (C2SP signed note)


def note_line(signer_name: str, hint: bytes, sig: bytes) -> str:
    return f"\u2014 {signer_name} {b64(hint + sig)}\n"


def checkpoint_body(origin: str, size: int, root: bytes, extra: list[str] = ()) -> str:
    return f"{origin}\n{size}\n{b64(root)}\n" + "".join(f"{e}\n" for e in extra)


def cosignature_line(pki: Pki, body: str, ts: int) -> str:
    """C2SP tlog-cosignature/v1 (Ed25519) line from a witness the trusted root
    does not know: verifiers must skip it."""
    pub = ed_raw(pki.witness.public_key())
    hint = sha256(WITNESS_NAME.encode() + b"\n\x04" + pub)[:4]
    msg = b"cosignature/v1\ntime %d\n" % ts + body.encode()
    return note_line(WITNESS_NAME, hint, ts.to_bytes(8, "big") + pki.witness.sign(msg))


# --------------------------------------------------------------------------
# log entries


@dataclass
class EntryOpts:
    """Knobs for the negatives; the defaults build an honest entry."""
    shape: tuple[int, int] = (11, 6)
    integrated_time: datetime.datetime = T_INTEGRATED
    log_index: int | None = None  # top-level; default proof index (+ offset for v1)
    set_key: Any = None  # v1 SET signer (default: the log key)
    cp_key: Any = None  # checkpoint signer (default: the log key)
    cp_hint: bytes | None = None  # default: from the log id
    cp_root: bytes | None = None  # root the checkpoint commits to (default: proof root)
    cp_origin: str | None = None
    cp_name: str | None = None  # signature line's key name (default: the log's)
    cp_extra: list[str] = field(default_factory=list)
    cp_lines: str = "log"  # "log", "log+witness", "witness-only"
    tamper_sibling: bool = False


def merkle(body: bytes, o: EntryOpts, seed: str) -> tuple[bytes, list[bytes]]:
    """Root and audit path; with tamper_sibling one sibling is changed and
    nothing recomputed."""
    root, path = tree_with(body, *o.shape, seed)
    if o.tamper_sibling:
        mid = len(path) // 2
        path = path[:mid] + [sha256(b"tampered:" + path[mid])] + path[mid + 1:]
    return root, path


def inclusion_proof(o: EntryOpts, root: bytes, path: list[bytes], checkpoint: str) -> dict:
    size, index = o.shape
    return {"logIndex": str(index), "rootHash": b64(root), "treeSize": str(size),
            "hashes": [b64(h) for h in path], "checkpoint": {"envelope": checkpoint}}


def tlog_v1(pki: Pki, body: bytes, kind: str, o: EntryOpts, seed: str) -> dict:
    size, index = o.shape
    root, path = merkle(body, o, seed)
    log_index = o.log_index if o.log_index is not None else index + REKOR1_INDEX_OFFSET
    set_payload = canonical({
        "body": b64(body), "integratedTime": unix(o.integrated_time),
        "logID": pki.rekor1_id().hex(), "logIndex": log_index,
    })
    set_sig = ecdsa(o.set_key or pki.rekor1, set_payload)
    cp = checkpoint_body(o.cp_origin or REKOR1_ORIGIN, size, o.cp_root or root, o.cp_extra)
    hint = o.cp_hint or pki.rekor1_id()[:4]
    cp += "\n" + note_line(o.cp_name or REKOR1_NAME, hint,
                           ecdsa(o.cp_key or pki.rekor1, cp.encode()))
    return {
        "logIndex": str(log_index),
        "logId": {"keyId": b64(pki.rekor1_id())},
        "kindVersion": {"kind": kind, "version": "0.0.1"},
        "integratedTime": str(unix(o.integrated_time)),
        "inclusionPromise": {"signedEntryTimestamp": b64(set_sig)},
        "inclusionProof": inclusion_proof(o, root, path, cp),
        "canonicalizedBody": b64(body),
    }


def tlog_v2(pki: Pki, body: bytes, kind: str, o: EntryOpts, seed: str) -> dict:
    size, index = o.shape
    root, path = merkle(body, o, seed)
    # cp_origin changes only the note's first line: the signature line still
    # names the log, so a verifier finds the signature and must then notice
    # the origin.
    cp = checkpoint_body(o.cp_origin or REKOR2_ORIGIN, size, o.cp_root or root, o.cp_extra)
    hint = o.cp_hint or pki.rekor2_id()[:4]
    log_line = note_line(o.cp_name or REKOR2_ORIGIN, hint,
                         (o.cp_key or pki.rekor2).sign(cp.encode()))
    witness = cosignature_line(pki, cp, unix(T_TSA) + 5)
    lines = {"log": log_line, "log+witness": log_line + witness, "witness-only": witness}
    cp += "\n" + lines[o.cp_lines]
    log_index = o.log_index if o.log_index is not None else index
    return {
        "logIndex": str(log_index),
        "logId": {"keyId": b64(pki.rekor2_id())},
        "kindVersion": {"kind": kind, "version": "0.0.2"},
        "inclusionProof": inclusion_proof(o, root, path, cp),
        "canonicalizedBody": b64(body),
    }


def body_hashedrekord_v1(cert_or_pem: bytes, sig: bytes, digest: bytes,
                         alg: str = "sha256") -> bytes:
    return canonical({
        "apiVersion": "0.0.1", "kind": "hashedrekord",
        "spec": {
            "data": {"hash": {"algorithm": alg, "value": digest.hex()}},
            "signature": {"content": b64(sig), "publicKey": {"content": b64(cert_or_pem)}},
        },
    })


def envelope_json(env: dict) -> dict:
    return {"payload": env["payload"], "payloadType": env["payloadType"],
            "signatures": [{"sig": s["sig"]} for s in env["signatures"]]}


def body_dsse_v1(cert: x509.Certificate, env: dict, payload_for_hash: bytes | None = None) -> bytes:
    payload = base64.b64decode(env["payload"])
    return canonical({
        "apiVersion": "0.0.1", "kind": "dsse",
        "spec": {
            # Rekor hashes the canonical JSON of the envelope it was given.
            "envelopeHash": {"algorithm": "sha256",
                             "value": sha256(canonical(envelope_json(env))).hex()},
            "payloadHash": {"algorithm": "sha256",
                            "value": sha256(payload_for_hash or payload).hex()},
            "signatures": [{"signature": s["sig"], "verifier": b64(pem(cert))}
                           for s in env["signatures"]],
        },
    })


def v2_verifier(cert: x509.Certificate, details: str | None = None,
                managed_key=None) -> dict:
    """The verifier Rekor v2 logs: the leaf (or a managed key) with the
    PublicKeyDetails Sigstore clients write for its key (or `details`)."""
    if managed_key is not None:
        return {"keyDetails": details or key_details(managed_key),
                "publicKey": {"rawBytes": b64(spki(managed_key))}}
    return {"keyDetails": details or key_details(cert.public_key()),
            "x509Certificate": {"rawBytes": b64(der(cert))}}


def body_hashedrekord_v2(cert: x509.Certificate, sig: bytes, digest: bytes,
                         alg: str = "SHA2_256", verifier: dict | None = None,
                         key_details: str | None = None) -> bytes:
    return canonical({
        "apiVersion": "0.0.2", "kind": "hashedrekord",
        "spec": {"hashedRekordV002": {
            "data": {"algorithm": alg, "digest": b64(digest)},
            "signature": {"content": b64(sig),
                          "verifier": verifier or v2_verifier(cert, key_details)},
        }},
    })


def body_dsse_v2(cert: x509.Certificate, env: dict) -> bytes:
    """The rekor-tiles dsse/0.0.2 entry (deprecated in favour of hashedrekord
    over the PAE, rekor-v2-spec 6.1.4)."""
    payload = base64.b64decode(env["payload"])
    return canonical({
        "apiVersion": "0.0.2", "kind": "dsse",
        "spec": {"dsseV002": {
            "payloadHash": {"algorithm": "SHA2_256", "digest": b64(sha256(payload))},
            "signatures": [{"content": s["sig"], "verifier": v2_verifier(cert)}
                           for s in env["signatures"]],
        }},
    })


# --------------------------------------------------------------------------
# RFC 3161 timestamp tokens (CMS SignedData over TSTInfo), built with asn1crypto


def timestamp_response(tsa: Tsa, message: bytes, gen_time: datetime.datetime, label: str,
                       *, imprint_of: bytes | None = None, embed_cert=True,
                       status_string: str | None = None) -> bytes:
    """A TimeStampResp as a Sigstore TSA returns it: status granted, token
    signed with ecdsa-with-SHA256 by a P-384 key, signed attributes
    contentType, signingTime, messageDigest, signingCertificateV2."""
    leaf = a_x509.Certificate.load(der(tsa.leaf))
    sha256_alg = a_algos.DigestAlgorithm({"algorithm": "sha256", "parameters": a_core.Null()})
    tst = a_tsp.TSTInfo({
        "version": "v1",
        "policy": TSA_POLICY,
        "message_imprint": {"hash_algorithm": sha256_alg,
                            "hashed_message": sha256(imprint_of or message)},
        "serial_number": serial_for("tst:" + label),
        "gen_time": gen_time,
        "accuracy": {"seconds": 1},
        "nonce": serial_for("nonce:" + label) >> 88,
        "tsa": a_x509.GeneralName(name="directory_name", value=leaf.subject),
    })
    tst_der = tst.dump()
    ess = a_tsp.SigningCertificateV2({"certs": [{
        "cert_hash": sha256(der(tsa.leaf)),
        "issuer_serial": {
            "issuer": [a_x509.GeneralName(name="directory_name", value=leaf.issuer)],
            "serial_number": leaf.serial_number,
        },
    }]})
    attrs = [
        a_cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
        a_cms.CMSAttribute({"type": "signing_time",
                            "values": [a_cms.Time({"utc_time": gen_time})]}),
        a_cms.CMSAttribute({"type": "message_digest", "values": [sha256(tst_der)]}),
        a_cms.CMSAttribute({"type": "signing_certificate_v2", "values": [ess]}),
    ]
    attrs.sort(key=lambda a: a.dump())  # DER SET OF order
    signed_attrs = a_cms.CMSAttributes(attrs)
    signature = ecdsa(tsa.key, signed_attrs.dump())  # signed as a SET (tag 0x31)
    signer = a_cms.SignerInfo({
        "version": "v1",
        "sid": a_cms.SignerIdentifier(name="issuer_and_serial_number", value={
            "issuer": leaf.issuer, "serial_number": leaf.serial_number}),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": signed_attrs,
        "signature_algorithm": {"algorithm": "sha256_ecdsa"},
        "signature": signature,
    })
    sd = {
        "version": "v3",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "tst_info", "content": tst},
        "signer_infos": [signer],
    }
    if embed_cert:
        sd["certificates"] = [leaf]
    token = a_cms.ContentInfo({"content_type": "signed_data",
                               "content": a_cms.SignedData(sd)})
    status: dict[str, Any] = {"status": "granted"}
    if status_string is not None:
        status["status_string"] = [status_string]
    return a_tsp.TimeStampResp({"status": status, "time_stamp_token": token}).dump()


# --------------------------------------------------------------------------
# content: artifacts, models, DSSE


ARTIFACT = "artifact.txt"
OTHER_ARTIFACT = "other.txt"
MODEL = "tiny-model"


def write_inputs() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ARTIFACT).write_bytes(b"oms-edge sigstore test artifact\n")
    (ARTIFACTS / OTHER_ARTIFACT).write_bytes(b"a different artifact\n")
    files = {
        "config.json": b'{"hidden_size": 8, "layers": 2}\n',
        "weights.bin": bytes(range(256)) * 2,
        "tokenizer/vocab.txt": b"<pad>\n<s>\n</s>\nhello\nworld\n",
        "README.md": b"# tiny-model\n\nA throw-away model for oms-edge's Sigstore vectors.\n",
    }
    for root, tamper in [(MODELS / MODEL, False), (MODELS / "tampered" / MODEL, True)]:
        if root.exists():
            shutil.rmtree(root)
        for rel, data in files.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if tamper and rel == "weights.bin":
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            p.write_bytes(data)


def model_payload() -> bytes:
    """The OMS in-toto statement exactly as model_signing 1.1.1 signs it
    (model_signing.signing.Config.sign -> hashing -> Payload -> JSON)."""
    from google.protobuf import json_format
    from model_signing import hashing
    from model_signing._signing import signing as ms_signing

    manifest = hashing.Config().hash(MODELS / MODEL)
    payload = ms_signing.Payload(manifest)
    fresh = json_format.MessageToJson(payload.statement.pb).encode("utf-8")
    # protobuf's Struct maps come out in a per-process order: keep the payload
    # of an earlier run while it says the same thing, so reruns are byte-stable.
    kept = KEYS / "model-payload.json"
    if kept.exists() and json.loads(kept.read_bytes()) == json.loads(fresh):
        return kept.read_bytes()
    kept.write_bytes(fresh)
    return fresh


def artifact_statement(data: bytes, subject_name: str = ARTIFACT, alg: str = "sha256") -> bytes:
    return json.dumps({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": subject_name, "digest": {alg: hashlib.new(alg, data).hexdigest()}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {"buildType": "https://oms-edge.test/build/v1"},
            "runDetails": {"builder": {"id": "https://oms-edge.test/builder"}},
        },
    }, separators=(",", ":")).encode()


def dsse_envelope(key, payload: bytes, *, sign_over: bytes | None = None,
                  pss_salt: bytes | None = None, compat=False) -> dict:
    if compat:  # the PAE model_signing wrote before v1.0
        from model_signing._signing import sign_sigstore_pb
        sig = ecdsa(key, sign_sigstore_pb.pae_compat(payload))
    else:
        sig = sign_registry(key, pae(INTOTO, sign_over or payload), pss_salt=pss_salt)
    return {"payload": b64(payload), "payloadType": INTOTO, "signatures": [{"sig": b64(sig)}]}


# --------------------------------------------------------------------------
# bundles


def bundle(media_type: str, cert: x509.Certificate | None, entry: dict, *,
           message: tuple[bytes, bytes] | None = None, envelope: dict | None = None,
           tokens: list[bytes] | None = None, digest_alg: str = "SHA2_256",
           chain: bool = False, key_hint: str | None = None) -> dict:
    vm: dict[str, Any] = {}
    if key_hint is not None:
        vm["publicKey"] = {"hint": key_hint}
    elif media_type in (MT_01, MT_02) or chain:
        vm["x509CertificateChain"] = {"certificates": [{"rawBytes": b64(der(cert))}]}
    else:
        vm["certificate"] = {"rawBytes": b64(der(cert))}
    vm["tlogEntries"] = [entry]
    if tokens is not None:
        vm["timestampVerificationData"] = {
            "rfc3161Timestamps": [{"signedTimestamp": b64(t)} for t in tokens]}
    out: dict[str, Any] = {"mediaType": media_type, "verificationMaterial": vm}
    if message:
        digest, sig = message
        out["messageSignature"] = {
            "messageDigest": {"algorithm": digest_alg, "digest": b64(digest)},
            "signature": b64(sig)}
    else:
        out["dsseEnvelope"] = envelope
    return out


@dataclass
class Case:
    name: str
    kind: str  # model | artifact
    expect: str  # ok | fail
    why: str
    bundle: dict
    check: str | None = None
    identity: str = EMAIL
    issuer: str = EMAIL_ISSUER
    trusted_root: str = "trusted_root.json"
    model_dir: str = MODEL  # below models/
    artifact: str = ARTIFACT
    style: str = "compact"  # or "legacy" (see write_json)
    # Checks that fail too, where no bundle can avoid it; a verifier must
    # report `check` because it comes first in the pipeline.
    also: tuple[str, ...] = ()
    # A managed key (below keys/) instead of an identity.
    key: str | None = None
    # The Fulcio extensions the leaf carries (policy tests), by name.
    extensions: dict[str, str] | None = None


class Builder:
    """Makes each case from scratch with the knobs it needs."""

    def __init__(self, pki: Pki) -> None:
        self.pki = pki
        self.shape_i = 0
        self.artifact = (ARTIFACTS / ARTIFACT).read_bytes()
        self.model_payload = model_payload()

    def shape(self) -> tuple[int, int]:
        s = SHAPES[self.shape_i % len(SHAPES)]
        self.shape_i += 1
        return s

    def opts(self, **kw) -> EntryOpts:
        kw.setdefault("shape", self.shape())
        return EntryOpts(**kw)

    # messageSignature over the artifact (hashedrekord)

    def hashedrekord(self, label: str, *, v2=False, media=MT_NEW, cert=None, key=None,
                     opts: EntryOpts | None = None, body_digest: bytes | None = None,
                     tokens: Callable[[bytes], list[bytes]] | None = None,
                     pss_salt: bytes | None = None, hash_=None, chain=False,
                     managed=False, v2_key_details: str | None = None, **cert_kw) -> dict:
        """A messageSignature over the artifact, signed the registry's way
        for `key` (its hash for the digest, the body and messageDigest;
        `hash_` overrides it), by a Fulcio leaf or (`managed`) the key
        itself. `v2_key_details` overrides the keyDetails Rekor v2 logs."""
        pki = self.pki
        key = key or pki.signer
        pub = key.public_key()
        h = hash_ or registry_hash(pub)
        v1_name, proto_name = hash_names(h)
        cert = None if managed else (cert or leaf_cert(pki, label, key=key, **cert_kw))
        digest = digest_of(h, self.artifact)
        sig = sign_registry(key, self.artifact, pss_salt=pss_salt, h=hash_)
        opts = opts or self.opts()
        key_pem = pub.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)
        if v2:
            details = v2_key_details or key_details(pub, pss=pss_salt is not None)
            verifier = v2_verifier(cert, details, managed_key=pub if managed else None)
            body = body_hashedrekord_v2(cert, sig, body_digest or digest, proto_name, verifier)
            entry = tlog_v2(pki, body, "hashedrekord", opts, label)
            toks = tokens(sig) if tokens else [timestamp_response(pki.tsa, sig, T_TSA, label)]
        else:
            body = body_hashedrekord_v1(key_pem if managed else pem(cert), sig,
                                        body_digest or digest, v1_name)
            entry = tlog_v1(pki, body, "hashedrekord", opts, label)
            toks = tokens(sig) if tokens else None
        return bundle(media, cert, entry, message=(digest, sig), tokens=toks,
                      digest_alg=proto_name, chain=chain,
                      key_hint=sha256(spki(pub)).hex() if managed else None)

    # DSSE (model statement or artifact statement)

    def dsse(self, label: str, payload: bytes, *, v2=False, v2_kind="hashedrekord",
             media=MT_NEW, opts: EntryOpts | None = None, sign_over: bytes | None = None,
             body_payload: bytes | None = None, key=None, pss_salt: bytes | None = None,
             tokens: Callable[[bytes], list[bytes]] | None = None, compat=False,
             **cert_kw) -> dict:
        pki = self.pki
        key = key or pki.signer
        cert = leaf_cert(pki, label, key=key, **cert_kw)
        env = dsse_envelope(key, payload, sign_over=sign_over, pss_salt=pss_salt,
                            compat=compat)
        sig = base64.b64decode(env["signatures"][0]["sig"])
        opts = opts or self.opts()
        if v2:
            if v2_kind == "hashedrekord":
                # rekor-v2-spec 6.1.4: digest = H(PAE) with the key's hash,
                # signature = envelope sig.
                signed = pae(INTOTO, body_payload or payload)
                h = registry_hash(key.public_key())
                details = key_details(key.public_key(), pss=pss_salt is not None)
                body = body_hashedrekord_v2(cert, sig, digest_of(h, signed), hash_names(h)[1],
                                            v2_verifier(cert, details))
            else:
                body = body_dsse_v2(cert, env)
            entry = tlog_v2(pki, body, v2_kind, opts, label)
            toks = tokens(sig) if tokens else [timestamp_response(pki.tsa, sig, T_TSA, label)]
        else:
            body = body_dsse_v1(cert, env, body_payload)
            entry = tlog_v1(pki, body, "dsse", opts, label)
            toks = tokens(sig) if tokens else None
        return bundle(media, cert, entry, envelope=env, tokens=toks)


def build_cases(pki: Pki) -> list[Case]:
    b = Builder(pki)
    mp = b.model_payload
    art_stmt = artifact_statement(b.artifact)
    other_stmt = artifact_statement((ARTIFACTS / OTHER_ARTIFACT).read_bytes(), OTHER_ARTIFACT)
    tampered_mp = mp.replace(b'"sha256"', b'"sha256" ', 1)
    assert tampered_mp != mp
    cases: list[Case] = []

    def ok(name, kind, why, bnd, **kw):
        cases.append(Case(name, kind, "ok", why, bnd, **kw))

    def bad(name, kind, check, why, bnd, **kw):
        cases.append(Case(name, kind, "fail", why, bnd, check=check, **kw))

    # ---- positives -----------------------------------------------------
    ok("v1-hashedrekord", "artifact",
       "Rekor v1 hashedrekord 0.0.1, SET + inclusion proof, bundle v0.3",
       b.hashedrekord("v1-hashedrekord"))
    ok("v1-dsse-model", "model",
       "OMS model signed with the sigstore method, Rekor v1 dsse 0.0.1",
       b.dsse("v1-dsse-model", mp))
    ok("v1-dsse-artifact", "artifact",
       "in-toto statement whose subject is the artifact, Rekor v1 dsse 0.0.1, URI SAN",
       b.dsse("v1-dsse-artifact", art_stmt, email=None, uri=URI, issuer=URI_ISSUER),
       identity=URI, issuer=URI_ISSUER)
    ok("v2-hashedrekord-tsa", "artifact",
       "Rekor v2 hashedrekord 0.0.2 + RFC 3161 timestamp (no SET, no integratedTime)",
       b.hashedrekord("v2-hashedrekord-tsa", v2=True))
    ok("v2-dsse-model-tsa", "model",
       "OMS model, Rekor v2: DSSE logged as hashedrekord 0.0.2 over SHA-256(PAE) + TSA",
       b.dsse("v2-dsse-model-tsa", mp, v2=True))
    bad("v2-dsse002-model-tsa", "model", "dsse-v002",
        "OMS model, Rekor v2 dsse 0.0.2 entry (rekor-tiles' earlier DSSE encoding) + TSA: "
        "refused, Rekor v2 logs DSSE as hashedrekord 0.0.2 over the PAE",
        b.dsse("v2-dsse002-model-tsa", mp, v2=True, v2_kind="dsse"))
    ok("v2-dsse-artifact-tsa", "artifact",
       "in-toto statement over the artifact, Rekor v2 hashedrekord over PAE + TSA",
       b.dsse("v2-dsse-artifact-tsa", art_stmt, v2=True))
    ok("v2-checkpoint-cosigned", "artifact",
       "v2 checkpoint with an extra witness cosignature line (unknown key, ignored)",
       b.hashedrekord("v2-checkpoint-cosigned", v2=True, opts=b.opts(cp_lines="log+witness")))
    ok("v2-tsa-no-embedded-cert", "artifact",
       "timestamp token without embedded certificates (TSA chain from the trusted root)",
       b.hashedrekord("v2-tsa-no-embedded-cert", v2=True, tokens=lambda s: [
           timestamp_response(pki.tsa, s, T_TSA, "v2-tsa-no-embedded-cert", embed_cert=False)]))
    ok("media-v0.1", "artifact",
       "bundle v0.1: x509CertificateChain, SET, inclusion proof, checkpoint with Timestamp line",
       b.hashedrekord("media-v0.1", media=MT_01,
                      opts=b.opts(cp_extra=[f"Timestamp: {unix(T_INTEGRATED)}000000000"])),
       style="legacy")
    ok("media-v0.2", "artifact",
       "bundle v0.2: x509CertificateChain, SET, inclusion proof",
       b.hashedrekord("media-v0.2", media=MT_02,
                      opts=b.opts(cp_extra=[f"Timestamp: {unix(T_INTEGRATED)}000000000"])),
       style="legacy")
    ok("media-v0.3", "artifact",
       "bundle v0.3 under its older media type application/vnd.dev.sigstore.bundle+json;version=0.3",
       b.hashedrekord("media-v0.3", media=MT_03))
    ok("legacy-issuer-only", "artifact",
       "leaf carries only the legacy issuer extension 1.3.6.1.4.1.57264.1.1",
       b.hashedrekord("legacy-issuer-only", v2_issuer=False))
    ok("issuer-v2-only", "artifact",
       "leaf carries only the issuer extension 1.3.6.1.4.1.57264.1.8 (DER UTF8String)",
       b.hashedrekord("issuer-v2-only", legacy_issuer=False))

    # ---- negatives: transparency log -----------------------------------
    bad("set-wrong-key", "artifact", "set",
        "SET signed by a key that is not the log's (everything else valid)",
        b.hashedrekord("set-wrong-key", opts=b.opts(set_key=pki.wrong_p256)))
    bad("inclusion-proof-sibling", "artifact", "inclusion-proof",
        "one Merkle sibling hash changed, nothing recomputed",
        b.hashedrekord("inclusion-proof-sibling", opts=b.opts(tamper_sibling=True)))
    bad("v2-inclusion-proof-sibling", "artifact", "inclusion-proof",
        "Rekor v2 entry with one Merkle sibling hash changed",
        b.hashedrekord("v2-inclusion-proof-sibling", v2=True,
                       opts=b.opts(tamper_sibling=True)))
    bad("downgrade-v01-bad-proof", "artifact", "inclusion-proof",
        "v0.1 bundle (SET valid) with a corrupted inclusion proof: the media type must not "
        "switch the proof check off",
        b.hashedrekord("downgrade-v01-bad-proof", media=MT_01,
                       opts=b.opts(tamper_sibling=True)))
    bad("checkpoint-signature", "artifact", "checkpoint-signature",
        "v1 checkpoint signed by another key under the log's key hint",
        b.hashedrekord("checkpoint-signature", opts=b.opts(cp_key=pki.wrong_p256)))
    bad("v2-checkpoint-signature", "artifact", "checkpoint-signature",
        "v2 checkpoint signed by another Ed25519 key under the log's key hint",
        b.hashedrekord("v2-checkpoint-signature", v2=True,
                       opts=b.opts(cp_key=pki.wrong_ed25519)))
    bad("v2-checkpoint-witness-only", "artifact", "checkpoint-signature",
        "v2 checkpoint carrying only a witness cosignature, no log signature",
        b.hashedrekord("v2-checkpoint-witness-only", v2=True,
                       opts=b.opts(cp_lines="witness-only")))
    bad("checkpoint-root", "artifact", "checkpoint-root",
        "checkpoint validly signed over a different root than the (valid) inclusion proof's",
        b.hashedrekord("checkpoint-root", opts=b.opts(cp_root=sha256(b"another root"))))
    bad("checkpoint-keyhint", "artifact", "checkpoint-keyhint",
        "valid log signature but the key hint bytes do not name the log's key",
        b.hashedrekord("checkpoint-keyhint", opts=b.opts(cp_hint=b"\x00\x11\x22\x33")))
    bad("v2-checkpoint-origin", "artifact", "checkpoint-origin",
        "v2 checkpoint signed by the log key (signature line names the log) whose origin "
        "line is log2026.rekor.evil",
        b.hashedrekord("v2-checkpoint-origin", v2=True,
                       opts=b.opts(cp_origin="log2026.rekor.evil")))
    bad("body-binding", "artifact", "body-binding",
        "hashedrekord body records another artifact's digest (SET/proof valid for that body)",
        b.hashedrekord("body-binding",
                       body_digest=sha256((ARTIFACTS / OTHER_ARTIFACT).read_bytes())))
    bad("v2-body-binding", "artifact", "body-binding",
        "hashedrekord 0.0.2 body records another artifact's digest",
        b.hashedrekord("v2-body-binding", v2=True,
                       body_digest=sha256((ARTIFACTS / OTHER_ARTIFACT).read_bytes())))
    bad("body-binding-dsse", "artifact", "body-binding",
        "dsse 0.0.1 body records the payload hash of another statement",
        b.dsse("body-binding-dsse", art_stmt, body_payload=other_stmt))
    bad("integrated-time-future", "artifact", "integrated-time-future",
        "integratedTime in 2099 (leaf, SCT, SET all consistent with it): later than now",
        b.hashedrekord("integrated-time-future", not_before=T_FUTURE, sct_time=T_SIGN,
                       opts=b.opts(integrated_time=T_FUTURE + datetime.timedelta(seconds=23))))
    bad("log-index-negative", "artifact", "log-index",
        "tlog entry logIndex -1 (SET re-signed over it; proof index unchanged)",
        b.hashedrekord("log-index-negative", opts=b.opts(log_index=-1)))
    bad("v2-log-index-mismatch", "artifact", "log-index",
        "Rekor v2 (unsharded) entry whose logIndex differs from its inclusion proof's "
        "(oms-edge's own rule; no Sigstore client checks it)",
        b.hashedrekord("v2-log-index-mismatch", v2=True, opts=b.opts(log_index=4242)))

    # ---- negatives: certificates ---------------------------------------
    bad("sct-bad-signature", "artifact", "sct",
        "embedded SCT names the trusted CT log but is signed by another key",
        b.hashedrekord("sct-bad-signature", sct="bad-signature"))
    bad("sct-missing", "artifact", "sct",
        "leaf without an embedded SCT",
        b.hashedrekord("sct-missing", sct="none"))
    bad("identity-mismatch", "artifact", "identity",
        "valid bundle; the verifier expects another SAN",
        b.hashedrekord("identity-mismatch"), identity="someone-else@example.com")
    bad("issuer-mismatch", "artifact", "issuer",
        "valid bundle; the verifier expects another OIDC issuer",
        b.hashedrekord("issuer-mismatch"), issuer="https://accounts.example.net")
    bad("leaf-validity", "artifact", "leaf-validity",
        "integratedTime 60 s after the leaf expired (SET re-signed over it)",
        b.hashedrekord("leaf-validity", opts=b.opts(
            integrated_time=T_SIGN + LEAF_LIFETIME + datetime.timedelta(seconds=60))))
    bad("v2-leaf-validity", "artifact", "leaf-validity",
        "TSA time 60 s after the leaf expired (token otherwise valid)",
        b.hashedrekord("v2-leaf-validity", v2=True, tokens=lambda s: [timestamp_response(
            pki.tsa, s, T_SIGN + LEAF_LIFETIME + datetime.timedelta(seconds=60),
            "v2-leaf-validity")]))
    bad("root-as-leaf", "artifact", "root-as-leaf",
        "the trusted Fulcio root itself in the leaf position, signing with its key "
        "(it also lacks SAN/SCT/EKU; the chain step must reject it first)",
        b.hashedrekord("root-as-leaf", cert=pki.fulcio_root, key=pki.fulcio_root_key),
        also=("leaf-is-ca", "key-usage", "no-codesigning", "sct", "identity", "issuer"))
    bad("leaf-is-ca", "artifact", "leaf-is-ca",
        "Fulcio-like leaf with basicConstraints CA:TRUE (path length allows it)",
        b.hashedrekord("leaf-is-ca", is_ca=True))
    bad("no-codesigning", "artifact", "no-codesigning",
        "leaf EKU is clientAuth instead of codeSigning",
        b.hashedrekord("no-codesigning", eku=(ExtendedKeyUsageOID.CLIENT_AUTH,)))
    bad("chain-untrusted", "artifact", "chain",
        "leaf (with a valid SCT) issued by an intermediate the trusted root does not know",
        b.hashedrekord("chain-untrusted", ca=(pki.rogue_int, pki.rogue_int_key)),
        also=("sct",))  # the SCT names its issuer's key: unverifiable without a chain

    # ---- negatives: timestamps -----------------------------------------
    bad("tsa-imprint", "artifact", "tsa-imprint",
        "token from the trusted TSA but its messageImprint hashes the artifact, not the signature",
        b.hashedrekord("tsa-imprint", v2=True, tokens=lambda s: [timestamp_response(
            pki.tsa, s, T_TSA, "tsa-imprint", imprint_of=b.artifact)]))
    bad("tsa-untrusted", "artifact", "tsa-untrusted",
        "token (with embedded cert) from a TSA the trusted root does not list",
        b.hashedrekord("tsa-untrusted", v2=True, tokens=lambda s: [timestamp_response(
            pki.tsa_rogue, s, T_TSA, "tsa-untrusted")]))
    bad("tsa-validity-cert", "artifact", "tsa-validity",
        "TSA leaf certificate expired (2025-01-01) before genTime",
        b.hashedrekord("tsa-validity-cert", v2=True, tokens=lambda s: [timestamp_response(
            pki.tsa_old, s, T_TSA, "tsa-validity-cert")]),
        trusted_root="trusted_root_tsa_old.json")
    bad("tsa-validity-window", "artifact", "tsa-validity",
        "genTime after the end of the TSA's validFor window in the trusted root",
        b.hashedrekord("tsa-validity-window", v2=True),
        trusted_root="trusted_root_tsa_window.json")
    bad("no-timestamp-v2", "artifact", "no-timestamp-v2",
        "Rekor v2 entry and no RFC 3161 timestamp: no trusted time at all",
        b.hashedrekord("no-timestamp-v2", v2=True, tokens=lambda s: None))
    bad("duplicate-timestamp", "artifact", "duplicate-timestamp",
        "the same valid token twice (must not count as two time sources)",
        b.hashedrekord("duplicate-timestamp", v2=True, tokens=lambda s: [timestamp_response(
            pki.tsa, s, T_TSA, "duplicate-timestamp")] * 2))

    # ---- negatives: signed content -------------------------------------
    bad("dsse-signature", "model", "dsse-signature",
        "DSSE signature over another payload; log body consistent with the envelope",
        b.dsse("dsse-signature", mp, sign_over=tampered_mp))
    bad("model-digest", "model", "model-digest",
        "valid bundle; one byte of weights.bin on disk differs from the signed manifest",
        b.dsse("model-digest", mp), model_dir=f"tampered/{MODEL}")

    # ---- issue 19: what forged services could still get through ---------
    # Explicit tree shapes (EntryOpts, not b.opts()): these cases leave the
    # shape cycle alone, so cases added elsewhere keep their bytes.
    def fixed(shape: tuple[int, int], **kw) -> EntryOpts:
        return EntryOpts(shape=shape, **kw)

    bad("sct-log-window-ms", "artifact", "sct",
        "SCT at 10:00:00.900 from a CT log whose validFor ends at 10:00:00.300 (same second)",
        b.hashedrekord("sct-log-window-ms", opts=fixed((11, 6)),
                       sct_time=T_SIGN + datetime.timedelta(milliseconds=900)),
        trusted_root="trusted_root_ct_window_ms.json")
    bad("leaf-v1-extensions", "artifact", "x509-version",
        "leaf with SAN/EKU/SCT extensions (all valid) but X.509 v1: no version field",
        b.hashedrekord("leaf-v1-extensions", opts=fixed((13, 12)),
                       cert=leaf_cert_v1(pki, "leaf-v1-extensions")))
    # The Rekor v2 log key signs a Rekor v1-shaped checkpoint for another
    # host: origin `<host> - 1`, key name `<host>`, key ID = SHA-256(SPKI).
    evil_v2 = dict(cp_origin="log2026.rekor.evil - 1", cp_name="log2026.rekor.evil",
                   cp_hint=sha256(spki(pki.rekor2.public_key()))[:4])
    bad("v2-checkpoint-v1-origin", "artifact", "checkpoint-origin",
        "Rekor v2 entry, checkpoint signed by the v2 log key in Rekor v1 shape for "
        "log2026.rekor.evil: the entry, not the origin, picks the convention",
        b.hashedrekord("v2-checkpoint-v1-origin", v2=True, opts=fixed((8, 5), **evil_v2)),
        also=("checkpoint-signature",))  # no line is named after the log
    bad("v2-checkpoint-v1-origin-model", "model", "checkpoint-origin",
        "the same v1-shaped checkpoint on an OMS model's Rekor v2 entry (verify sigstore)",
        b.dsse("v2-checkpoint-v1-origin-model", mp, v2=True, opts=fixed((7, 2), **evil_v2)),
        also=("checkpoint-signature",))
    bad("checkpoint-origin-host", "artifact", "checkpoint-origin",
        "Rekor v1 checkpoint signed by the v1 log key for origin rekor.evil - 1234567890 "
        "(key name rekor.evil): the origin's host is not the log's baseUrl host",
        b.hashedrekord("checkpoint-origin-host", opts=fixed(
            (12, 0), cp_origin="rekor.evil - 1234567890", cp_name="rekor.evil")),
        also=("checkpoint-signature",))
    bad("dsse-compat-pae-artifact", "artifact", "dsse-signature",
        "in-toto statement over the artifact signed over model_signing's pre-1.0 PAE: "
        "generic DSSE bundles take the standard PAE only",
        b.dsse("dsse-compat-pae-artifact", art_stmt, compat=True, opts=fixed((9, 8))))
    ok("dsse-compat-pae-model", "model",
       "OMS model signed over model_signing's pre-1.0 PAE: kept for model bundles",
       b.dsse("dsse-compat-pae-model", mp, compat=True, opts=fixed((10, 3))))
    dup = b.hashedrekord("tlog-duplicate-entry", opts=fixed((13, 9)))
    dup["verificationMaterial"]["tlogEntries"] *= 2
    bad("tlog-duplicate-entry", "artifact", "duplicate-tlog-entry",
        "the same valid Rekor v1 entry twice (must not count as two log entries)", dup)
    bad("duplicate-timestamp-rewrapped", "artifact", "duplicate-timestamp",
        "one valid token twice, the copy re-wrapped (statusString added, certificate "
        "dropped): other bytes, the same signed TSTInfo",
        b.hashedrekord("duplicate-timestamp-rewrapped", v2=True, opts=fixed((11, 6)),
                       tokens=lambda s: [
                           timestamp_response(pki.tsa, s, T_TSA, "duplicate-timestamp-rewrapped"),
                           timestamp_response(pki.tsa, s, T_TSA, "duplicate-timestamp-rewrapped",
                                              embed_cert=False, status_string="re-wrapped")]))
    bad("v2-log-retired", "artifact", "tlog-validity",
        "valid Rekor v2 entry from a log whose key validFor ended the day before the "
        "TSA's genTime",
        b.hashedrekord("v2-log-retired", v2=True, opts=fixed((13, 12))),
        trusted_root="trusted_root_rekor2_retired.json")
    bad("v2-key-details", "artifact", "key-details",
        "hashedrekord 0.0.2 whose verifier.keyDetails is PKIX_ECDSA_P384_SHA_384 for "
        "the leaf's P-256 key (otherwise bound to the bundle)",
        b.hashedrekord("v2-key-details", v2=True, opts=fixed((8, 5)),
                       v2_key_details="PKIX_ECDSA_P384_SHA_384"))
    # ---- the Sigstore algorithm registry beyond P-256 (appended: earlier
    # cases keep their tree shapes) --------------------------------------
    reg = pki.registry

    def salt(label: str, n: int) -> bytes:  # a PSS salt, deterministic
        return hashlib.shake_256(b"pss-salt:" + label.encode()).digest(n)

    ok("v1-hashedrekord-p384", "artifact",
       "Fulcio leaf on P-384: message signed over the artifact's SHA-384, messageDigest "
       "SHA2_384, hashedrekord 0.0.1 sha384",
       b.hashedrekord("v1-hashedrekord-p384", key=reg["p384"]))
    ok("v2-hashedrekord-p521", "artifact",
       "Fulcio leaf on P-521: SHA-512 digest, Rekor v2 hashedrekord 0.0.2 SHA2_512 + TSA",
       b.hashedrekord("v2-hashedrekord-p521", v2=True, key=reg["p521"]))
    ok("v2-hashedrekord-rsa2048", "artifact",
       "Fulcio leaf on RSA-2048, PKCS#1 v1.5 SHA-256, Rekor v2 hashedrekord 0.0.2 + TSA",
       b.hashedrekord("v2-hashedrekord-rsa2048", v2=True, key=reg["rsa2048"]))
    ok("v1-hashedrekord-rsa3072-pss", "artifact",
       "Fulcio leaf on RSA-3072, PSS SHA-256 with a 32-byte salt, hashedrekord 0.0.1",
       b.hashedrekord("v1-hashedrekord-rsa3072-pss", key=reg["rsa3072"],
                      pss_salt=salt("rsa3072", 32)))
    ok("v2-hashedrekord-rsa4096-pss", "artifact",
       "Fulcio leaf on RSA-4096, PSS SHA-256 with the longest salt (478 bytes), Rekor v2 + TSA",
       b.hashedrekord("v2-hashedrekord-rsa4096-pss", v2=True, key=reg["rsa4096"],
                      pss_salt=salt("rsa4096", 4096 // 8 - 32 - 2)))
    ok("v1-dsse-model-p384", "model",
       "OMS model signed by a P-384 Fulcio leaf: DSSE over SHA-384(PAE), Rekor v1 dsse 0.0.1",
       b.dsse("v1-dsse-model-p384", mp, key=reg["p384"]))
    ok("v2-dsse-artifact-rsa3072", "artifact",
       "in-toto statement signed by an RSA-3072 leaf (PKCS#1 v1.5), Rekor v2 hashedrekord over "
       "SHA-256(PAE) + TSA",
       b.dsse("v2-dsse-artifact-rsa3072", art_stmt, v2=True, key=reg["rsa3072"]))
    ok("managed-key-p384", "artifact",
       "managed P-384 key (publicKey material): SHA-384 message signature, hashedrekord 0.0.1 "
       "with the PUBLIC KEY",
       b.hashedrekord("managed-key-p384", key=reg["p384"], managed=True),
       key="keys/signer-p384.pub.pem")
    ok("managed-key-rsa2048-pss-v2", "artifact",
       "managed RSA-2048 key, PSS SHA-256: Rekor v2 hashedrekord 0.0.2 with a publicKey "
       "verifier + TSA",
       b.hashedrekord("managed-key-rsa2048-pss-v2", v2=True, key=reg["rsa2048"], managed=True,
                      pss_salt=salt("rsa2048", 32)),
       key="keys/signer-rsa2048.pub.pem")
    bad("p384-sha256-message", "artifact", "signature",
        "P-384 leaf that signed the artifact's SHA-256 (the registry pairs P-384 with SHA-384); "
        "messageDigest and log body consistent with that SHA-256",
        b.hashedrekord("p384-sha256-message", key=reg["p384"], hash_=hashes.SHA256()))
    bad("rsa1024-leaf", "artifact", "key-size",
        "Fulcio leaf on RSA-1024, which the registry does not list (everything else consistent)",
        b.hashedrekord("rsa1024-leaf", key=reg["rsa1024"]))
    # The bundle specification: a v0.3 bundle carries a keyless certificate
    # as `certificate`; sigstore-go, -python and -js refuse a chain.
    bad("v03-x509-chain", "artifact", "v03-chain",
        "bundle v0.3 carrying the keyless leaf as x509CertificateChain instead of certificate",
        b.hashedrekord("v03-x509-chain", chain=True))
    # in-toto subjects digested with SHA-384 or SHA-512 only (npm provenance).
    ok("v1-dsse-artifact-sha512-subject", "artifact",
       "in-toto statement whose only subject digest is sha512 (npm publish attestations)",
       b.dsse("v1-dsse-artifact-sha512-subject", artifact_statement(b.artifact, alg="sha512")))
    ok("v2-dsse-artifact-sha384-subject", "artifact",
       "in-toto statement whose only subject digest is sha384, Rekor v2 + TSA",
       b.dsse("v2-dsse-artifact-sha384-subject", artifact_statement(b.artifact, alg="sha384"),
              v2=True))
    # ---- issue 15: GitHub Actions identities for policies (appended, fixed
    # tree shapes: earlier cases keep their bytes) ------------------------
    tag = Gha("gha-tag", "acme/tiny-model", ".github/workflows/release.yml", "refs/tags/v1.0.0")
    branch = Gha("gha-branch", "acme/tiny-model", ".github/workflows/sign.yml",
                 "refs/heads/main", name="Sign")
    reusable = Gha("gha-reusable", "acme/tiny-model", ".github/workflows/release.yml",
                   "refs/tags/v1.0.0", trigger="release",
                   signer="acme/signing-workflows/.github/workflows/sign-model.yml@refs/tags/v2")
    legacy = Gha("gha-legacy", "acme/tiny-model", ".github/workflows/release.yml",
                 "refs/tags/v0.9.0", v2=False)
    longer = Gha("gha-longer", "acme/tiny-model", ".github/workflows/release.yml",
                 "refs/tags/v1.0.0-evil")
    gha_cases = [
        ("gha-release-tag-model", tag, {},
         "GitHub Actions: release.yml on a tag push, every Fulcio extension (.1.2-.1.6 and "
         ".1.8-.1.22), Rekor v1"),
        ("gha-release-tag-model-tsa", tag, {"v2": True},
         "the same workflow run's identity signing again: Rekor v2 + TSA"),
        ("gha-branch-model", branch, {},
         "GitHub Actions: sign.yml on a push to refs/heads/main"),
        ("gha-reusable-model", reusable, {},
         "GitHub Actions: a reusable workflow in another repository signs (SAN = build "
         "signer URI, not the build config URI) for a release event"),
        ("gha-legacy-extensions-model", legacy, {},
         "GitHub Actions certificate of 2022: legacy issuer and .1.2-.1.6 only"),
        ("gha-longer-identity-model", longer, {},
         "GitHub Actions: release.yml on tag v1.0.0-evil, an identity that starts with a "
         "release tag's"),
    ]
    shapes = [(11, 6), (13, 12), (8, 5), (7, 2), (12, 0), (9, 8)]
    for (name_, gha, kw, why), shape in zip(gha_cases, shapes):
        ok(name_, "model", why, b.dsse(name_, mp, opts=fixed(shape), **kw, **gha.cert_kw()),
           identity=gha.san(), issuer=URI_ISSUER,
           extensions={k: v for k, (_, v) in gha.extensions().items()})
    # ---- red-team review of the leaf profile (appended, fixed tree shapes:
    # earlier cases keep their bytes) -------------------------------------
    bad("issuer-v1-v2-differ", "artifact", "issuer-conflict",
        "Fulcio leaf whose legacy issuer (.1.1, what sigstore-python reads) is "
        "https://evil.example.com and whose .1.8 is the expected issuer",
        b.hashedrekord("issuer-v1-v2-differ", opts=fixed((11, 6)),
                       legacy_issuer_value="https://evil.example.com"))
    bad("leaf-no-key-usage", "artifact", "key-usage",
        "Fulcio leaf without keyUsage (sigstore-python requires digitalSignature)",
        b.hashedrekord("leaf-no-key-usage", opts=fixed((13, 12)), ku=False))
    bad("leaf-san-not-critical", "artifact", "san-critical",
        "Fulcio leaf with an empty subject and a non-critical subjectAltName "
        "(RFC 5280 4.2.1.6: critical)",
        b.hashedrekord("leaf-san-not-critical", opts=fixed((8, 5)), san_critical=False))

    def repeat_ski(tbs) -> None:
        exts = list(tbs["extensions"])
        ski = next(e for e in exts if e["extn_id"].native == "key_identifier")
        tbs["extensions"] = a_x509.Extensions([*exts, a_x509.Extension.load(ski.dump())])

    bad("leaf-duplicate-extension", "artifact", "x509-duplicate-extension",
        "Fulcio leaf whose subjectKeyIdentifier extension appears twice (RFC 5280 4.2)",
        b.hashedrekord("leaf-duplicate-extension", opts=fixed((7, 2)),
                       cert=leaf_cert_edited(pki, "leaf-duplicate-extension", repeat_ski,
                                             precert_check=False)))

    def negative_serial(tbs) -> None:
        tbs["serial_number"] = -tbs["serial_number"].native

    bad("leaf-serial-negative", "artifact", "x509-serial",
        "Fulcio leaf with a negative serial number (RFC 5280 4.1.2.2: positive)",
        b.hashedrekord("leaf-serial-negative", opts=fixed((12, 0)),
                       cert=leaf_cert_edited(pki, "leaf-serial-negative", negative_serial)))
    bad("leaf-key-cert-sign", "artifact", "key-usage",
        "Fulcio leaf (no CA) whose keyUsage asserts keyCertSign besides digitalSignature",
        b.hashedrekord("leaf-key-cert-sign", opts=fixed((9, 8)), ku="cert-sign"))
    bad("leaf-eku-critical", "artifact", "eku-critical",
        "Fulcio leaf whose extKeyUsage (codeSigning) is critical",
        b.hashedrekord("leaf-eku-critical", opts=fixed((10, 3)), eku_critical=True))
    bad("leaf-no-aki", "artifact", "aki",
        "Fulcio leaf without authorityKeyIdentifier",
        b.hashedrekord("leaf-no-aki", opts=fixed((13, 9)), aki=False))
    bad("fulcio-intermediate-eku", "artifact", "chain-eku",
        "Fulcio leaf (codeSigning) issued by a trusted intermediate whose extKeyUsage is "
        "serverAuth only",
        b.hashedrekord("fulcio-intermediate-eku", opts=fixed((11, 6)),
                       ca=(pki.fulcio_int_tls, pki.fulcio_int_tls_key)),
        trusted_root="trusted_root_fulcio_eku.json")
    label = "v1-unsigned-time-after-leaf"
    late = b.hashedrekord(label, opts=fixed(
        (9, 8), integrated_time=T_SIGN + datetime.timedelta(hours=1)),
        tokens=lambda s: [timestamp_response(pki.tsa, s, T_TSA, label)])
    del late["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]
    bad(label, "artifact", "integrated-time-validity",
        "Rekor v1 entry with an inclusion proof and no SET (bundle v0.3), TSA genTime in the "
        "leaf's validity, integratedTime an hour after the leaf expired", late)
    label = "v1-proof-only-log-retired"
    retired = b.hashedrekord(label, opts=fixed((10, 3)),
                             tokens=lambda s: [timestamp_response(pki.tsa, s, T_TSA, label)])
    del retired["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]
    bad(label, "artifact", "tlog-validity",
        "Rekor v1 entry with an inclusion proof and no SET (bundle v0.3) + TSA, from a log "
        "whose key validFor ended the day before the TSA's genTime", retired,
        trusted_root="trusted_root_rekor1_retired.json")
    return cases


# --------------------------------------------------------------------------
# writing


def write_json(path: Path, obj: Any, *, style="pretty") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = {
        # What sigstore-python 4.x / model_signing 1.x write (pydantic, UTF-8).
        "compact": lambda: json.dumps(obj, separators=(",", ":"), ensure_ascii=False),
        # What older clients wrote: ", " / ": " separators, non-ASCII escaped
        # (the checkpoint's em dash becomes \u2014).
        "legacy": lambda: json.dumps(obj),
        "pretty": lambda: json.dumps(obj, indent=2) + "\n",
    }[style]()
    path.write_text(text, encoding="utf-8")


def write_case(case: Case) -> dict:
    d = CASES / case.name
    meta: dict[str, Any] = {"kind": case.kind}
    if case.kind == "model":
        meta["model"] = f"../../models/{case.model_dir}"
    else:
        meta["artifact"] = f"../../artifacts/{case.artifact}"
    meta["trusted_root"] = f"../../{case.trusted_root}"
    if case.key:
        meta["key"] = f"../../{case.key}"
    else:
        meta["identity"] = case.identity
        meta["issuer"] = case.issuer
    if case.extensions:
        meta["extensions"] = case.extensions
    meta["expect"] = case.expect
    if case.check:
        meta["check"] = case.check
    if case.also:
        meta["also"] = list(case.also)
    meta["why"] = case.why
    write_json(d / "case.json", meta)
    # In protobuf field order, as the clients write them.
    write_json(d / "bundle.sigstore.json", case.bundle, style=case.style)
    return meta


# --------------------------------------------------------------------------
# independent checks: run EVERY check (no early exit) so each negative can be
# shown to fail exactly its one check. Written from the specs, not from
# sigstore-python, which stops at the first failure and skips some checks.


def _verify_ecdsa(pub, sig: bytes, msg: bytes, h=None) -> bool:
    try:
        pub.verify(sig, msg, ec.ECDSA(h or hashes.SHA256()))
        return True
    except Exception:  # noqa: BLE001
        return False


def _verify_any(pub, sig: bytes, msg: bytes) -> bool:
    if isinstance(pub, ed25519.Ed25519PublicKey):
        try:
            pub.verify(sig, msg)
            return True
        except Exception:  # noqa: BLE001
            return False
    return _verify_ecdsa(pub, sig, msg)


def _verify_registry(pub, sig: bytes, msg: bytes) -> bool:
    """A signature as the Sigstore algorithm registry pairs it with `pub`:
    ECDSA with the curve's hash, RSA PKCS#1 v1.5 or PSS (any salt) with
    SHA-256."""
    if not isinstance(pub, rsa.RSAPublicKey):
        return _verify_ecdsa(pub, sig, msg, registry_hash(pub))
    for pad in (padding.PKCS1v15(), padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.AUTO)):
        try:
            pub.verify(sig, msg, pad, hashes.SHA256())
            return True
        except Exception:  # noqa: BLE001
            pass
    return False


def _check_message(bnd: dict, pub, signature: bytes, artifact: bytes, fails: set[str]) -> None:
    """A messageSignature: messageDigest is the artifact's digest under the
    hash it names, the signature the key's over the artifact."""
    md = bnd["messageSignature"]["messageDigest"]
    alg = {"SHA2_256": "sha256", "SHA2_384": "sha384", "SHA2_512": "sha512"}[md["algorithm"]]
    if (base64.b64decode(md["digest"]) != hashlib.new(alg, artifact).digest()
            or not _verify_registry(pub, signature, artifact)):
        fails.add("signature")


def _root_from_proof(leaf: bytes, index: int, size: int, proof: list[bytes]) -> bytes | None:
    """RFC 9162 2.1.3.2 inclusion proof verification."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def _load_root(path: Path) -> dict:
    tr = json.loads(path.read_text())

    def t(s):
        form = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in s else "%Y-%m-%dT%H:%M:%SZ"
        return datetime.datetime.strptime(s, form).replace(tzinfo=UTC)

    def window(v):
        return (t(v["start"]), t(v["end"]) if "end" in v else None)

    logs = {}
    for lg in tr["tlogs"]:
        logs[base64.b64decode(lg["logId"]["keyId"])] = {
            "key": serialization.load_der_public_key(base64.b64decode(lg["publicKey"]["rawBytes"])),
            "host": lg["baseUrl"].split("://", 1)[1],
            "window": window(lg["publicKey"]["validFor"]),
        }
    cts = {base64.b64decode(c["logId"]["keyId"]):
           serialization.load_der_public_key(base64.b64decode(c["publicKey"]["rawBytes"]))
           for c in tr["ctlogs"]}
    ct_windows = {base64.b64decode(c["logId"]["keyId"]): window(c["publicKey"]["validFor"])
                  for c in tr["ctlogs"]}
    cas = [[x509.load_der_x509_certificate(base64.b64decode(c["rawBytes"]))
            for c in ca["certChain"]["certificates"]] for ca in tr["certificateAuthorities"]]
    tsas = [([x509.load_der_x509_certificate(base64.b64decode(c["rawBytes"]))
              for c in ta["certChain"]["certificates"]], window(ta["validFor"]))
            for ta in tr["timestampAuthorities"]]
    return {"logs": logs, "cts": cts, "ct_windows": ct_windows, "cas": cas, "tsas": tsas}


def _in_window(window: tuple, t: datetime.datetime) -> bool:
    start, end = window
    return start <= t and (end is None or t <= end)


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except Exception:  # noqa: BLE001
        return False


def _valid_at(cert: x509.Certificate, t: datetime.datetime) -> bool:
    return cert.not_valid_before_utc <= t <= cert.not_valid_after_utc


def _check_token(tr: dict, resp: bytes, signature: bytes, fails: set[str]) -> datetime.datetime | None:
    """One RFC 3161 token: returns its genTime if it is trustworthy."""
    token = a_tsp.TimeStampResp.load(resp)["time_stamp_token"]
    sd = token["content"]
    tst_der = sd["encap_content_info"]["content"].contents
    tst = a_tsp.TSTInfo.load(tst_der)
    gen = tst["gen_time"].native
    ok = True
    if tst["message_imprint"]["hashed_message"].native != sha256(signature):
        fails.add("tsa-imprint")
        ok = False
    si = sd["signer_infos"][0]
    attrs = {a["type"].native: a["values"][0] for a in si["signed_attrs"]}
    signed = b"\x31" + si["signed_attrs"].dump()[1:]  # [0] IMPLICIT -> SET OF
    trusted = None
    for chain, window in tr["tsas"]:
        leaf, root = chain[0], chain[-1]
        if (_verify_ecdsa(leaf.public_key(), si["signature"].native, signed)
                and attrs["message_digest"].native == sha256(tst_der)
                and attrs["signing_certificate_v2"]["certs"][0]["cert_hash"].native
                == sha256(der(leaf))
                and _issued_by(leaf, root)):
            trusted = (leaf, root, window)
            break
    if trusted is None:
        fails.add("tsa-untrusted")
        return None
    leaf, root, (start, end) = trusted
    if not (_valid_at(leaf, gen) and _valid_at(root, gen)):
        fails.add("tsa-validity")
        ok = False
    if not (start <= gen and (end is None or gen <= end)):
        fails.add("tsa-validity")
        ok = False
    return gen if ok else None


def _token_signed(resp: bytes) -> tuple[bytes, tuple[bytes, datetime.datetime]]:
    """What a token's TSA signed (the TSTInfo DER), and who signed it when."""
    sd = a_tsp.TimeStampResp.load(resp)["time_stamp_token"]["content"]
    tst_der = sd["encap_content_info"]["content"].contents
    gen = a_tsp.TSTInfo.load(tst_der)["gen_time"].native
    return tst_der, (sd["signer_infos"][0]["sid"].dump(), gen)


def _check_checkpoint(tr_log: dict, log_id: bytes, v2: bool, envelope: str, root_hash: bytes,
                      tree_size: int, fails: set[str]) -> None:
    text, _, sigs = envelope.partition("\n\n")
    body = text + "\n"
    lines = text.split("\n")
    origin = lines[0]
    host = tr_log["host"]
    if (origin != host) if v2 else not origin.startswith(host + " - "):
        fails.add("checkpoint-origin")
    if int(lines[1]) != tree_size:
        fails.add("checkpoint-size")
    if base64.b64decode(lines[2]) != root_hash:
        fails.add("checkpoint-root")
    signer = host  # the log signs under its host name (v1) / origin (v2)
    named = []
    for ln in sigs.split("\n"):
        if ln.startswith("\u2014 "):
            who, sig = ln[2:].split(" ")
            if who == signer:
                named.append(base64.b64decode(sig))
    if not named:
        fails.add("checkpoint-signature")  # no signature from the log at all
        return
    hinted = [s for s in named if s[:4] == log_id[:4]]
    if not hinted:
        fails.add("checkpoint-keyhint")
        return
    if not any(_verify_any(tr_log["key"], s[4:], body.encode()) for s in hinted):
        fails.add("checkpoint-signature")


def independent_checks(case: Case, meta: dict, now: datetime.datetime) -> set[str]:
    d = CASES / case.name
    bnd = json.loads((d / "bundle.sigstore.json").read_text())
    tr = _load_root((d / meta["trusted_root"]).resolve())
    fails: set[str] = set()
    vm = bnd["verificationMaterial"]
    if case.key:  # a managed key: no certificate
        cert = None
        pub = serialization.load_pem_public_key((d / meta["key"]).resolve().read_bytes())
    else:
        cert_der = base64.b64decode(
            vm["certificate"]["rawBytes"] if "certificate" in vm
            else vm["x509CertificateChain"]["certificates"][0]["rawBytes"])
        cert = x509.load_der_x509_certificate(cert_der)
        pub = cert.public_key()
        if bnd["mediaType"] in (MT_NEW, MT_03) and "x509CertificateChain" in vm:
            fails.add("v03-chain")  # v0.3 carries a keyless certificate as `certificate`
    if isinstance(pub, rsa.RSAPublicKey) and pub.key_size not in (2048, 3072, 4096):
        fails.add("key-size")  # not a key of the Sigstore algorithm registry
    env = bnd.get("dsseEnvelope")
    if env:
        payload = base64.b64decode(env["payload"])
        signature = base64.b64decode(env["signatures"][0]["sig"])
        signed_bytes = pae(env["payloadType"], payload)
    else:
        signature = base64.b64decode(bnd["messageSignature"]["signature"])
    artifact = (d / meta["artifact"]).read_bytes() if case.kind == "artifact" else None

    # transparency log entry: one, or copies of it (sigstore-go: "duplicate
    # tlog entries found", by log and index)
    times: list[datetime.datetime] = []
    entries = vm["tlogEntries"]
    ids = [(e["logId"]["keyId"], e["logIndex"]) for e in entries]
    if len(set(ids)) != len(ids):
        fails.add("duplicate-tlog-entry")
    entry = entries[0]
    assert all(e == entry for e in entries), "one entry per case"
    log_id = base64.b64decode(entry["logId"]["keyId"])
    tr_log = tr["logs"][log_id]
    body = base64.b64decode(entry["canonicalizedBody"])
    v2 = entry["kindVersion"]["version"] == "0.0.2"
    proof = entry["inclusionProof"]
    p_index, p_size = int(proof["logIndex"]), int(proof["treeSize"])
    root_hash = base64.b64decode(proof["rootHash"])
    if int(entry["logIndex"]) < 0 or (v2 and int(entry["logIndex"]) != p_index):
        fails.add("log-index")
    computed = _root_from_proof(leaf_hash(body), p_index, p_size,
                                [base64.b64decode(h) for h in proof["hashes"]])
    if computed != root_hash:
        fails.add("inclusion-proof")
    _check_checkpoint(tr_log, log_id, v2, proof["checkpoint"]["envelope"], root_hash, p_size,
                      fails)
    if not v2 and "inclusionPromise" not in entry:
        # A Rekor v1 entry with a proof only: its integratedTime is not
        # signed, but sigstore-go still requires the leaf valid then.
        unsigned_time = datetime.datetime.fromtimestamp(int(entry["integratedTime"]), UTC)
        if cert is not None and not _valid_at(cert, unsigned_time):
            fails.add("integrated-time-validity")
    elif not v2:
        it = int(entry["integratedTime"])
        set_msg = canonical({"body": entry["canonicalizedBody"], "integratedTime": it,
                             "logID": log_id.hex(), "logIndex": int(entry["logIndex"])})
        if _verify_any(tr_log["key"], base64.b64decode(
                entry["inclusionPromise"]["signedEntryTimestamp"]), set_msg):
            t = datetime.datetime.fromtimestamp(it, UTC)
            if t > now:
                fails.add("integrated-time-future")
            elif not _in_window(tr_log["window"], t):
                fails.add("tlog-validity")
            else:
                times.append(t)
        else:
            fails.add("set")

    # the body must describe this bundle's content
    got = json.loads(body)
    kind = entry["kindVersion"]["kind"]
    key_pem = pub.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo)
    if kind == "hashedrekord" and not v2:
        # The artifact's digest under the hash the entry names.
        alg = got["spec"]["data"]["hash"]["algorithm"]
        want = json.loads(body_hashedrekord_v1(pem(cert) if cert else key_pem, signature,
                                               hashlib.new(alg, artifact).digest(), alg))
    elif kind == "dsse" and not v2:
        want = json.loads(body_dsse_v1(cert, env))
        want["spec"]["envelopeHash"] = got["spec"].get("envelopeHash")  # not recomputable
    elif kind == "hashedrekord":
        proto = got["spec"]["hashedRekordV002"]["data"]["algorithm"]
        alg = {"SHA2_256": "sha256", "SHA2_384": "sha384", "SHA2_512": "sha512"}[proto]
        # keyDetails: one the registry lists for this key (RSA: either padding).
        # The logged key algorithm is its own check (sigstore-go rebuilds it).
        details = got["spec"]["hashedRekordV002"]["signature"]["verifier"].get("keyDetails")
        if details not in {key_details(pub), key_details(pub, pss=True)}:
            fails.add("key-details")
        want = json.loads(body_hashedrekord_v2(
            cert, signature, hashlib.new(alg, signed_bytes if env else artifact).digest(), proto,
            v2_verifier(cert, details, managed_key=None if cert else pub)))
    else:
        fails.add("dsse-v002")  # Rekor v2 logs DSSE as hashedrekord 0.0.2
        want = json.loads(body_dsse_v2(cert, env))
    if got != want:
        fails.add("body-binding")

    # timestamps
    tokens = [base64.b64decode(t["signedTimestamp"]) for t in
              vm.get("timestampVerificationData", {}).get("rfc3161Timestamps", [])]
    # The same timestamp twice: the same bytes, the same signed TSTInfo (a
    # re-wrapped token), or the same signer at the same genTime.
    signed = [_token_signed(tok) for tok in tokens]
    if any(len(set(x)) != len(x) for x in (tokens, [s[0] for s in signed],
                                           [s[1] for s in signed])):
        fails.add("duplicate-timestamp")
    for tok in dict.fromkeys(tokens):
        t = _check_token(tr, tok, signature, fails)
        if t:
            times.append(t)
            # A Rekor v2 entry has no time of its own: its log's key must be
            # valid at the TSA's.
            if (v2 or "inclusionPromise" not in entry) and not _in_window(tr_log["window"], t):
                fails.add("tlog-validity")
    if v2 and not tokens:
        fails.add("no-timestamp-v2")

    if cert is None:  # a managed key: no certificate, no identity
        _check_message(bnd, pub, signature, artifact, fails)
        return fails

    # certificate
    anchors = [c for chain in tr["cas"] for c in chain]
    a_tbs = a_x509.Certificate.load(der(cert))["tbs_certificate"]
    ext_ids = [e["extn_id"].dotted for e in a_tbs["extensions"]]
    if a_tbs["serial_number"].native <= 0:
        fails.add("x509-serial")  # RFC 5280 4.1.2.2: a positive integer
    if len(set(ext_ids)) != len(ext_ids):
        # RFC 5280 4.2: each extension at most once. `cryptography` cannot
        # read such a certificate's extensions: the other checks are moot.
        fails.add("x509-duplicate-extension")
        return fails
    if cert.version != x509.Version.v3 and len(cert.extensions) > 0:
        fails.add("x509-version")  # RFC 5280 4.1.2.9: extensions only in v3
    bc = None
    try:
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        pass
    if cert.subject == cert.issuer and _issued_by(cert, cert) or any(
            der(cert) == der(a) for a in anchors):
        fails.add("root-as-leaf")
    if bc is not None and bc.ca:
        fails.add("leaf-is-ca")
    chain = next((ch for ch in tr["cas"] if _issued_by(cert, ch[0])
                  and all(_issued_by(a, b_) for a, b_ in zip(ch, ch[1:]))), None)
    if chain is None and "root-as-leaf" not in fails:
        fails.add("chain")
    for t in times:
        if not _valid_at(cert, t) or (chain and not all(_valid_at(c, t) for c in chain)):
            fails.add("leaf-validity")
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not ku.digital_signature or ku.key_cert_sign:  # an end entity's
            fails.add("key-usage")
    except x509.ExtensionNotFound:
        fails.add("key-usage")
    try:
        eku_ext = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        eku = eku_ext.value
        if ExtendedKeyUsageOID.CODE_SIGNING not in eku:
            fails.add("no-codesigning")
        elif eku_ext.critical:
            fails.add("eku-critical")  # sigstore-python: non-critical
    except x509.ExtensionNotFound:
        fails.add("no-codesigning")
    try:
        cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    except x509.ExtensionNotFound:
        if cert.subject != cert.issuer:  # RFC 5280 4.2.1.1: a root may omit it
            fails.add("aki")
    # Go's x509 EKU chaining (sigstore-go asks for codeSigning): every CA
    # certificate with an extKeyUsage allows codeSigning or any purpose.
    for ca in chain or []:
        try:
            ca_eku = ca.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            continue
        if not {ExtendedKeyUsageOID.CODE_SIGNING, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE} & set(
                ca_eku):
            fails.add("chain-eku")
    # embedded SCT (RFC 6962 3.2): signature over the precert TBS
    try:
        (sct,) = cert.extensions.get_extension_for_class(
            x509.PrecertificateSignedCertificateTimestamps).value
        issuer = chain[0] if chain else cert
        ct_key = tr["cts"].get(sct.log_id)
        sct_time = sct.timestamp.replace(tzinfo=UTC)
        ts_ms = unix(sct_time) * 1000 + sct_time.microsecond // 1000
        # The CT log's validFor, to the millisecond (sigstore-go).
        if ct_key is not None and not _in_window(tr["ct_windows"][sct.log_id], sct_time):
            ct_key = None
        tbs = cert.tbs_precertificate_bytes
        msg = (struct.pack("!BBQH", 0, 0, ts_ms, 1) + sha256(spki(issuer.public_key()))
               + len(tbs).to_bytes(3, "big") + tbs + struct.pack("!H", 0))
        if ct_key is None or not _verify_ecdsa(ct_key, sct.signature, msg):
            fails.add("sct")
    except (x509.ExtensionNotFound, ValueError):
        fails.add("sct")
    # policy
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans = san.get_values_for_type(x509.RFC822Name) + san.get_values_for_type(
            x509.UniformResourceIdentifier)
    except x509.ExtensionNotFound:
        sans = []
    if case.identity not in sans:
        fails.add("identity")
    if len(cert.subject) == 0 and any(
            e.oid == x509.ExtensionOID.SUBJECT_ALTERNATIVE_NAME and not e.critical
            for e in cert.extensions):
        fails.add("san-critical")  # RFC 5280 4.2.1.6: empty subject, critical SAN
    exts = {e.oid: e.value for e in cert.extensions}
    if (OID_ISSUER_V2 in exts and OID_ISSUER_V1 in exts
            and a_core.UTF8String.load(exts[OID_ISSUER_V2].value).native
            != exts[OID_ISSUER_V1].value.decode()):
        fails.add("issuer-conflict")  # the two issuer extensions name different issuers
    if OID_ISSUER_V2 in exts:  # prefer the DER extension, fall back to the legacy one
        got_issuer = a_core.UTF8String.load(exts[OID_ISSUER_V2].value).native
    elif OID_ISSUER_V1 in exts:
        got_issuer = exts[OID_ISSUER_V1].value.decode()
    else:
        got_issuer = None
    if got_issuer != case.issuer:
        fails.add("issuer")

    # signature over the content
    if env:
        # model_signing's pre-1.0 PAE is accepted for OMS model bundles only.
        from model_signing._signing import sign_sigstore_pb
        compat_ok = case.kind == "model" and _verify_ecdsa(
            pub, signature, sign_sigstore_pb.pae_compat(payload))
        if not (_verify_registry(pub, signature, signed_bytes) or compat_ok):
            fails.add("dsse-signature")
        if env["payloadType"] != INTOTO:
            fails.add("payload-type")
        stmt = json.loads(payload)
        if case.kind == "artifact":
            if not any(sb["digest"].get(h) == hashlib.new(h, artifact).hexdigest()
                       for sb in stmt["subject"] for h in ("sha256", "sha384", "sha512")):
                fails.add("subject")
        else:
            from model_signing import hashing
            from model_signing._signing import signing as ms_signing
            expected = ms_signing.dsse_payload_to_manifest(stmt)
            actual = hashing.Config().hash((d / meta["model"]).resolve())
            if {r.identifier: r.digest for r in actual.resource_descriptors()} != {
                    r.identifier: r.digest for r in expected.resource_descriptors()}:
                fails.add("model-digest")
    else:
        _check_message(bnd, pub, signature, artifact, fails)
    return fails


# --------------------------------------------------------------------------
# cross-check with sigstore-python


def roundtrip_ok(raw: str, style: str) -> str | None:
    """sigstore-python's own serializer must reproduce what we wrote: the
    same bytes (compact style) or the same JSON value (legacy style)."""
    from sigstore_models.bundle.v1 import Bundle as PbBundle
    try:
        again = PbBundle.from_json(raw).to_json()
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        return f"does not parse: {type(e).__name__}"
    same = again == raw if style == "compact" else json.loads(again) == json.loads(raw)
    return None if same else "serializes differently"


def sigstore_python_verdict(case: Case, meta: dict) -> str:
    from sigstore.models import Bundle, TrustedRoot
    from sigstore.verify import Verifier, policy

    d = CASES / case.name
    raw = (d / "bundle.sigstore.json").read_text()
    tr_path = (d / meta["trusted_root"]).resolve()
    try:
        verifier = Verifier(trusted_root=TrustedRoot.from_file(str(tr_path)))
        pol = policy.Identity(identity=case.identity, issuer=case.issuer)
        if case.key:
            return "n/a: " + REGISTRY_GAP_KEY
        if case.kind == "artifact":
            bnd = Bundle.from_json(raw)
            data = (d / meta["artifact"]).read_bytes()
            if bnd._inner.dsse_envelope is None:
                verifier.verify_artifact(data, bnd, pol)
            else:
                ptype, payload = verifier.verify_dsse(bnd, pol)
                stmt = json.loads(payload)
                if ptype != INTOTO:
                    raise ValueError(f"payload type {ptype}")
                # The caller matches the subjects (sigstore-python only
                # verifies the envelope): any of sha256/384/512.
                if not any(s.get("digest", {}).get(h) == hashlib.new(h, data).hexdigest()
                           for s in stmt["subject"] for h in ("sha256", "sha384", "sha512")):
                    raise ValueError("artifact is not a subject of the statement")
        else:
            verify_model_with_model_signing(case, d / meta["model"], d / "bundle.sigstore.json",
                                            tr_path)
        return "ok"
    except Exception as e:  # noqa: BLE001 - the message is the result
        msg = " ".join(str(e).split())
        return f"fail: {type(e).__name__}: {msg[:90]}"


def sigstore_python_common(case: Case, meta: dict) -> str | None:
    """sigstore-python's checks of everything but the signature and the
    log body (see KNOWN_GAPS); None when they pass."""
    from sigstore.models import Bundle, TrustedRoot
    from sigstore.verify import Verifier, policy

    d = CASES / case.name
    try:
        verifier = Verifier(trusted_root=TrustedRoot.from_file(
            str((d / meta["trusted_root"]).resolve())))
        verifier._verify_common_signing_cert(  # noqa: SLF001 - the part it can do
            Bundle.from_json((d / "bundle.sigstore.json").read_text()),
            policy.Identity(identity=case.identity, issuer=case.issuer))
        return None
    except Exception as e:  # noqa: BLE001 - the message is the result
        return f"{type(e).__name__}: {' '.join(str(e).split())[:90]}"


def verify_model_with_model_signing(case: Case, model: Path, sig: Path, tr_path: Path) -> None:
    """model_signing 1.1.1's own sigstore verification, given a client trust
    config wrapping our trusted root."""
    from model_signing import verifying

    trust = {
        "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
        "trustedRoot": json.loads(tr_path.read_text()),
        "signingConfig": {"mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json"},
    }
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "trust_config.json"
        cfg.write_text(json.dumps(trust))
        verifying.Config().use_sigstore_verifier(
            identity=case.identity, oidc_issuer=case.issuer, trust_config=cfg,
        ).verify(model.resolve(), sig)


def readme_table(rows: list[tuple[Case, str]]) -> str:
    out = ["| case | kind | expect | check | why | sigstore-python 4.5.1 | agrees |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for case, verdict in rows:
        agrees = (verdict == "ok") == (case.expect == "ok")
        note = "yes" if agrees else ("**no** (known gap)" if case.name in KNOWN_GAPS else "**no**")
        short = verdict if len(verdict) <= 80 else verdict[:77] + "..."
        out.append(f"| {case.name} | {case.kind} | {case.expect} | {case.check or ''} | "
                   f"{case.why} | {short.replace('|', '/')} | {note} |")
    return "\n".join(out)


def update_readme(table: str) -> None:
    readme = ROOT / "README.md"
    start, end = "<!-- sigstore-python table start -->", "<!-- sigstore-python table end -->"
    text = readme.read_text() if readme.exists() else f"{start}\n{end}\n"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    readme.write_text(f"{head}{start}\n{table}\n{end}{tail}")


def main() -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # model_signing orders ignore_paths by string hash: fix the seed so a
        # rerun writes the same bytes.
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    pki = Pki()
    write_inputs()
    write_json(ROOT / "trusted_root.json", pki.trusted_root())
    write_json(ROOT / "trusted_root_tsa_old.json", pki.trusted_root(tsa=pki.tsa_old))
    write_json(ROOT / "trusted_root_tsa_window.json", pki.trusted_root(tsa_valid_for={
        "start": rfc3339(T_CA), "end": rfc3339(T_SIGN - datetime.timedelta(days=1))}))
    # The CT log's window ends 0.3 s into the leaf's first second (sct-log-window-ms).
    write_json(ROOT / "trusted_root_ct_window_ms.json", pki.trusted_root(ct_valid_for={
        "start": rfc3339(T_CA), "end": rfc3339(T_SIGN)[:-1] + ".300Z"}))
    # The Rekor v2 log retired the day before T_SIGN (v2-log-retired).
    write_json(ROOT / "trusted_root_rekor2_retired.json", pki.trusted_root(rekor2_valid_for={
        "start": rfc3339(T_CA), "end": rfc3339(T_SIGN - datetime.timedelta(days=1))}))

    # The Fulcio intermediate is the serverAuth-only one (fulcio-intermediate-eku).
    write_json(ROOT / "trusted_root_fulcio_eku.json",
               pki.trusted_root(fulcio_int=pki.fulcio_int_tls))

    # The Rekor v1 log retired the day before T_SIGN (v1-proof-only-log-retired).
    write_json(ROOT / "trusted_root_rekor1_retired.json", pki.trusted_root(rekor1_valid_for={
        "start": rfc3339(T_CA), "end": rfc3339(T_SIGN - datetime.timedelta(days=1))}))

    cases = build_cases(pki)
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    if CASES.exists():
        shutil.rmtree(CASES)

    problems: list[str] = []
    rows: list[tuple[Case, str]] = []
    for case in cases:
        meta = write_case(case)
        raw = (CASES / case.name / "bundle.sigstore.json").read_text()
        rt = roundtrip_ok(raw, case.style)
        if rt and case.expect == "ok":
            problems.append(f"{case.name}: bundle {rt} through sigstore-python's model")
        failed = independent_checks(case, meta, datetime.datetime.now(UTC))
        want = set() if case.expect == "ok" else {case.check, *case.also}
        if failed != want:
            problems.append(f"{case.name}: checks failing {sorted(failed)}, want {sorted(want)}")
        verdict = sigstore_python_verdict(case, meta)
        rows.append((case, verdict))
        if case.expect == "ok" and verdict != "ok" and case.name not in KNOWN_GAPS:
            problems.append(f"{case.name}: positive rejected by sigstore-python: {verdict}")
        if (case.expect == "ok" and verdict != "ok" and not case.key
                and KNOWN_GAPS.get(case.name) in (REGISTRY_GAP_EC, REGISTRY_GAP_RSA)):
            common = sigstore_python_common(case, meta)
            if common:
                problems.append(f"{case.name}: sigstore-python's common checks fail: {common}")

    table = readme_table(rows)
    print(table)
    update_readme(table)
    disagree = [c.name for c, v in rows if (v == "ok") != (c.expect == "ok")]
    print(f"\n{len(cases)} cases; sigstore-python disagrees on {len(disagree)}: "
          f"{', '.join(disagree) or '-'}")
    for name_, why in KNOWN_GAPS.items():
        print(f"known gap {name_}: {why}")
    if problems:
        print("\nPROBLEMS:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        sys.exit(2)
