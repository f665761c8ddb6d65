"""Bad arguments raise the exception Python users expect, never crash."""

import datetime
import pathlib

import pytest

import oms_edge
from oms_edge.model_signing_compat import hashing, verifying

from conftest import TESTDATA


def test_verification_error_is_a_value_error():
    assert issubclass(oms_edge.VerificationError, ValueError)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(model_path=123),
        dict(signature_path=None),
        dict(public_key=b"\x00"),
        dict(ignore_paths="one/path"),
        dict(ignore_paths=[1, 2]),
        dict(allow_symlinks=1),
        dict(ignore_git_paths="yes"),
        dict(ignore_unsigned_files=None),
    ],
)
def test_wrong_types_raise_type_error(sample, kwargs):
    model, sig, key = sample
    args = dict(model_path=model, signature_path=sig, public_key=key)
    args.update(kwargs)
    with pytest.raises(TypeError):
        oms_edge.verify_key(**args)


def test_wrong_types_certificate_and_sigstore(sample):
    model, sig, _ = sample
    with pytest.raises(TypeError):
        oms_edge.verify_certificate(model, sig, "one.pem")
    with pytest.raises(TypeError):
        oms_edge.verify_certificate(model, sig, [TESTDATA / "pki/p256-root.pem"], at=5)
    with pytest.raises(TypeError):
        oms_edge.verify_sigstore(model, sig, identity=None, oidc_issuer="x")
    with pytest.raises(TypeError):
        oms_edge.verify_sigstore(model, sig, identity="a", oidc_issuer="b", use_staging="no")


def test_missing_files_raise_file_not_found(sample, tmp_path):
    model, sig, key = sample
    with pytest.raises(FileNotFoundError):
        oms_edge.verify_key(tmp_path / "nope", sig, key)
    with pytest.raises(FileNotFoundError):
        oms_edge.verify_key(model, tmp_path / "nope.sig", key)
    with pytest.raises(FileNotFoundError):
        oms_edge.verify_key(model, sig, tmp_path / "nope.pub")
    with pytest.raises(FileNotFoundError):
        oms_edge.verify_certificate(model, sig, [tmp_path / "nope.pem"])
    with pytest.raises(FileNotFoundError):
        oms_edge.verify_sigstore(
            model, sig, identity="a", oidc_issuer="b", trusted_root=tmp_path / "nope.json"
        )


def test_bad_values_raise_value_error(sample, tmp_path):
    model, sig, _ = sample
    garbage = tmp_path / "key.pub"
    garbage.write_bytes(b"not a key")
    with pytest.raises(ValueError) as info:
        oms_edge.verify_key(model, sig, garbage)
    assert not isinstance(info.value, oms_edge.VerificationError)
    with pytest.raises(ValueError):
        oms_edge.verify_certificate(model, sig, [TESTDATA / "pki/p256-root.pem"], at="yesterday")
    with pytest.raises(ValueError):
        oms_edge.verify_certificate(
            model, sig, [TESTDATA / "pki/p256-root.pem"], at=datetime.datetime(2026, 1, 1)
        )
    with pytest.raises(ValueError):
        oms_edge.verify_certificate(model, sig, [])
    with pytest.raises(ValueError):
        oms_edge.verify_sigstore(
            model, sig, identity="a", oidc_issuer="b", use_staging=True,
            trusted_root=TESTDATA / "sigstore/trusted_root.json",
        )


def test_a_directory_as_signature_is_an_os_error(sample):
    model, _, key = sample
    with pytest.raises(OSError):
        oms_edge.verify_key(model, model, key)


def test_garbage_bundle_is_a_verification_error(sample, tmp_path):
    model, _, key = sample
    sig = tmp_path / "model.sig"
    for data in [b"", b"{", b"\xff\xfe", b"[]", b'{"mediaType": 5}']:
        sig.write_bytes(data)
        with pytest.raises(oms_edge.VerificationError) as info:
            oms_edge.verify_key(model, sig, key)
        assert info.value.check.startswith("bundle."), info.value.check
        assert isinstance(info.value.code, int)


def test_aware_datetime_is_accepted():
    d = TESTDATA / "vectors/cert-p256"
    result = oms_edge.verify_certificate(
        d / "model", d / "model.sig", [TESTDATA / "pki/p256-root.pem"],
        at=datetime.datetime(2026, 6, 1, 2, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
    )
    assert result.method == "certificate"


def test_compat_usage_errors(sample, tmp_path):
    model, sig, key = sample
    with pytest.raises(ValueError, match="no configured verifier"):
        verifying.Config().verify(model, sig)
    with pytest.raises(FileNotFoundError):
        verifying.Config().use_elliptic_key_verifier(public_key=tmp_path / "nope.pub")
    with pytest.raises(ValueError):
        verifying.Config().use_certificate_verifier()
    with pytest.raises(FileNotFoundError):
        verifying.Config().use_certificate_verifier(certificate_chain=[tmp_path / "nope.pem"])
    with pytest.raises(TypeError):
        verifying.Config().set_hashing_config(object())
    with pytest.raises(FileNotFoundError):
        verifying.Config().use_sigstore_verifier(
            identity="a", oidc_issuer="b", trust_config=tmp_path / "nope.json"
        )


def test_compat_certificate_logs_fingerprints(caplog):
    with caplog.at_level("INFO"):
        verifying.Config().use_certificate_verifier(
            certificate_chain=[TESTDATA / "pki/p256-root.pem"], log_fingerprints=True
        )
    assert "fingerprint sha256:" in caplog.text


def test_compat_hashing_config_ignores_paths(tmp_path, sample):
    """An unsigned file left out through the hashing config verifies; the
    same file without it fails as unsigned."""
    import shutil

    model, sig, key = sample
    copy = tmp_path / "model"
    shutil.copytree(model, copy)
    (copy / "notes.txt").write_text("not signed")
    config = verifying.Config().use_elliptic_key_verifier(public_key=key)
    with pytest.raises(oms_edge.VerificationError) as info:
        config.verify(copy, sig)
    assert info.value.check == "model.unsigned_file"
    assert info.value.file == "notes.txt"
    config.set_hashing_config(hashing.Config().set_ignored_paths(paths=["notes.txt"]))
    config.verify(copy, sig)
