"""Seeds of the `asn1` fuzz target (fuzz/seeds/asn1/): the first byte picks
the structure (tests/src/fuzz_bodies.rs `asn1`), the rest is its DER.

    /work/venv-td/bin/python fuzz/make_asn1_seeds.py

Needs asn1crypto and cryptography (testdata/requirements.txt). The CRL is
signed with a fresh key: rerunning changes its bytes, not its shape.
"""
import datetime
import ipaddress
import pathlib

from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

root = pathlib.Path(__file__).resolve().parent
tsa = root.parent / "testdata" / "tsa"
out = root / "seeds" / "asn1"
out.mkdir(parents=True, exist_ok=True)

# 0: a token's SignedData; 3: whole TimeStampResps.
for name in ["ec-embedded", "rsa"]:
    resp = (tsa / f"{name}.tsr").read_bytes()
    token = tsp.TimeStampResp.load(resp)["time_stamp_token"]
    (out / f"signed-data-{name}.der").write_bytes(b"\x00" + token["content"].dump())
    (out / f"timestamp-{name}.der").write_bytes(b"\x03" + resp)

# 1: a CRL with every optional part.
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crl issuer")])
when = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
revoked = (
    x509.RevokedCertificateBuilder()
    .serial_number(7)
    .revocation_date(when)
    .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
    .build()
)
crl = (
    x509.CertificateRevocationListBuilder()
    .issuer_name(name)
    .last_update(when)
    .next_update(when + datetime.timedelta(days=30))
    .add_revoked_certificate(revoked)
    .add_extension(x509.CRLNumber(1), critical=False)
    .sign(key, hashes.SHA256())
)
(out / "crl.der").write_bytes(b"\x01" + crl.public_bytes(serialization.Encoding.DER))

# 2: a subjectAltName with every choice x509-cert decodes.
san = x509.SubjectAlternativeName(
    [
        x509.OtherName(ObjectIdentifier("1.3.6.1.4.1.57264.1.7"), b"\x0c\x04user"),
        x509.RFC822Name("a@example.com"),
        x509.DNSName("example.com"),
        x509.DirectoryName(name),
        x509.UniformResourceIdentifier("https://example.com/x"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.RegisteredID(ObjectIdentifier("1.2.3.4")),
    ]
)
(out / "san.der").write_bytes(b"\x02" + san.public_bytes())
