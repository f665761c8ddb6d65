"""The drop-in and the native API against the vectors the Rust tests use
(testdata/vectors, testdata/sigstore): every verdict, and the exact check
of the negative vectors the Rust tests pin (tests/tests/vectors.rs,
tests/tests/sigstore_vectors.rs)."""

import base64
import json
import pathlib

import pytest

import oms_edge
from oms_edge import _native
from oms_edge.model_signing_compat import hashing, verifying

from conftest import TESTDATA, sigstore_model_cases, vector_cases

# Negative vectors: the check that must reject each, with the resource or
# file it names (as the Rust vector tests assert).
PINNED = {
    "tampered-byte": ("model.digest_mismatch", 3, None),
    "missing-file": ("model.missing_file", 2, None),
    "extra-file": ("model.unsigned_file", None, "sub/injected.bin"),
    "shards-truncated": ("model.size_mismatch", 6, None),
    "shards-extended": ("model.size_mismatch", 6, None),
    "wrong-key": ("key.hint_mismatch", None, None),
    "wrong-key-no-hint": ("dsse.bad_signature", None, None),
    "changed-media-type": ("bundle.unknown_media_type", None, None),
    "changed-payload-type": ("dsse.wrong_payload_type", None, None),
    "sig-link-into-model": ("model.unsigned_file", None, "generation_config.json"),
    "ignore-through-link": ("model.unsigned_file", None, "plugins/evil.py"),
    "resigned-shard-size-fraction": ("statement.shard_size", None, None),
    "cert-expired-leaf": ("x509.expired", None, None),
}

SIGSTORE_PINNED = {
    "model-digest": "model.digest_mismatch",
    "dsse-signature": "dsse.bad_signature",
}


def _options(d: pathlib.Path, case: dict):
    """The case's CLI flags as keyword arguments (an --ignore-paths value
    naming a path of the case directory made absolute, as the Rust tests do)."""
    args = case.get("args", [])
    ignore = []
    it = iter(args)
    for a in it:
        if a == "--ignore-paths":
            p = next(it)
            in_case = d / p
            ignore.append(str(in_case) if in_case.exists() or in_case.is_symlink() else p)
    return dict(
        ignore_paths=ignore,
        ignore_unsigned_files="--ignore-unsigned-files" in args,
    )


def _native_verify(d: pathlib.Path, case: dict):
    opts = _options(d, case)
    if case.get("method", "key") == "certificate":
        return oms_edge.verify_certificate(
            d / case["model"],
            d / case["signature"],
            [TESTDATA / c for c in case["chain"]],
            at=case.get("at"),
            **opts,
        )
    return oms_edge.verify_key(
        d / case["model"], d / case["signature"], TESTDATA / case["key"], **opts
    )


def _compat_config(d: pathlib.Path, case: dict):
    opts = _options(d, case)
    config = verifying.Config().use_elliptic_key_verifier(public_key=TESTDATA / case["key"])
    config.set_ignore_unsigned_files(opts["ignore_unsigned_files"])
    if opts["ignore_paths"]:
        model = d / case["model"]
        # model_signing's hashing config takes paths relative to the model.
        rel = [
            str(pathlib.Path(p).relative_to(model)) if pathlib.Path(p).is_absolute() else p
            for p in opts["ignore_paths"]
        ]
        config.set_hashing_config(hashing.Config().set_ignored_paths(paths=rel))
    return config


def _signed_root(sig: pathlib.Path) -> str:
    bundle = json.loads(sig.read_text())
    statement = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
    return "sha256:" + statement["subject"][0]["digest"]["sha256"]


KEY_CASES = [c for c in vector_cases() if c[2].get("method", "key") == "key"]
CERT_CASES = [c for c in vector_cases() if c[2].get("method") == "certificate"]


@pytest.mark.parametrize("name,d,case", KEY_CASES, ids=[c[0] for c in KEY_CASES])
def test_drop_in_key_vectors(name, d, case):
    config = _compat_config(d, case)
    if case["expect"] == "verified":
        assert config.verify(d / case["model"], d / case["signature"]) is None
    else:
        with pytest.raises(ValueError) as info:
            config.verify(d / case["model"], d / case["signature"])
        assert isinstance(info.value, oms_edge.VerificationError)
        if name in PINNED:
            check, resource, file = PINNED[name]
            assert info.value.check == check
            if resource is not None:
                assert info.value.resource == resource
            if file is not None:
                assert info.value.file == file


@pytest.mark.parametrize("name,d,case", vector_cases(), ids=[c[0] for c in vector_cases()])
def test_native_vectors(name, d, case):
    if case["expect"] == "verified":
        result = _native_verify(d, case)
        assert result.method == case.get("method", "key")
        assert all(r.result == "ok" for r in result.resources)
        assert result.resources
        if result.report["predicate_type"].endswith("/v1.0"):
            assert result.root_digest == _signed_root(d / case["signature"])
    else:
        with pytest.raises(oms_edge.VerificationError) as info:
            _native_verify(d, case)
        e = info.value
        if e.code is not None:
            # The stable number names the same check.
            assert _native.check_name(e.code) == e.check
        if name in PINNED:
            check, resource, file = PINNED[name]
            assert e.check == check
            if resource is not None:
                assert e.resource == resource
            if file is not None:
                assert e.file == file


SIG_CASES = sigstore_model_cases()


@pytest.mark.parametrize("name,d,case", SIG_CASES, ids=[c[0] for c in SIG_CASES])
def test_sigstore_vectors(name, d, case):
    model = (d / case["model"]).resolve()
    bundle = d / "bundle.sigstore.json"
    root = (d / case["trusted_root"]).resolve()
    config = verifying.Config().use_sigstore_verifier(
        identity=case["identity"], oidc_issuer=case["issuer"], trust_config=root
    )
    if case["expect"] == "ok":
        config.verify(model, bundle)
        result = oms_edge.verify_sigstore(
            model, bundle, identity=case["identity"], oidc_issuer=case["issuer"], trusted_root=root
        )
        assert result.evidence["identity"] == case["identity"]
        assert result.evidence["issuer"] == case["issuer"]
        assert result.evidence["tlog_entries"]
        assert result.root_digest == _signed_root(bundle)
    else:
        with pytest.raises(oms_edge.VerificationError) as compat:
            config.verify(model, bundle)
        with pytest.raises(oms_edge.VerificationError) as native:
            oms_edge.verify_sigstore(
                model, bundle, identity=case["identity"], oidc_issuer=case["issuer"],
                trusted_root=root,
            )
        assert compat.value.check == native.value.check
        assert _native.check_name(native.value.code) == native.value.check
        if name in SIGSTORE_PINNED:
            assert native.value.check == SIGSTORE_PINNED[name]


def test_result_object(sample):
    model, sig, key = sample
    result = oms_edge.verify_key(model, sig, key)
    assert result.root_digest == _signed_root(sig)
    assert [r.name for r in result.resources] == [
        "config.json",
        "model.safetensors",
        "tokenizer/vocab.txt",
    ]
    assert result.evidence == {"key": "P-256"}
    assert result.bytes_hashed == sum(f.stat().st_size for f in model.rglob("*") if f.is_file())
    assert result.serialization["method"] == "files"


def test_reference_hashing_config_is_accepted(sample):
    """A model_signing.hashing.Config (when installed) works as ours does."""
    ms_hashing = pytest.importorskip("model_signing.hashing")
    model, sig, key = sample
    config = ms_hashing.Config().set_ignored_paths(paths=["README.md"])
    verifying.Config().use_elliptic_key_verifier(public_key=key).set_hashing_config(
        config
    ).verify(model, sig)
