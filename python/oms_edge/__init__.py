"""Verify OpenSSF Model Signing (OMS) signatures offline.

One function per signing method, each taking the model, its signature and
the options of ``oms-edge verify``::

    import oms_edge

    result = oms_edge.verify_key("model", "model.sig", "key.pub")
    print(result.root_digest, len(result.resources))

A verification that fails raises :class:`VerificationError` (a
``ValueError``) naming the failed check; bad arguments raise ``TypeError``
or ``ValueError``, unreadable files ``FileNotFoundError``,
``PermissionError`` or ``OSError``. Every check, the walk of the model
directory and the hashing are those of the ``oms-edge`` CLI (Rust): the
GIL is released while hashing on all cores, and Ctrl-C stops a long
verification with ``KeyboardInterrupt``.

For code written against ``model_signing.verifying``, see
:mod:`oms_edge.model_signing_compat`.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Tuple, Union

from . import _native

__all__ = [
    "Resource",
    "VerificationError",
    "VerificationResult",
    "PolicyResult",
    "verify_certificate",
    "verify_key",
    "verify_policy",
    "verify_sigstore",
]

__version__: str = _native.__version__

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Resource:
    """One signed file (or shard) and what the verification found."""

    #: The signed name (``dir/file``, or ``file:start:end`` for a shard).
    name: str
    #: The manifest's hash algorithm (``sha256``, ``blake2b``, ``blake3``).
    algorithm: str
    #: The signed digest, hex.
    digest: str
    #: ``"ok"``, ``"failed"`` or ``"not checked"``.
    result: str
    #: The failed check (e.g. ``"model.digest_mismatch"``), if it failed.
    error: Optional[str] = None
    #: The digest of the bytes read, when they did not match.
    actual: Optional[str] = None


@dataclass(frozen=True)
class VerificationResult:
    """What a successful verification proved."""

    #: ``"key"``, ``"certificate"`` or ``"sigstore"``.
    method: str
    #: The model path as given.
    model_path: str
    #: The signed model name (``subject[0].name``), if any.
    model_name: Optional[str]
    #: ``"sha256:<hex>"``: the manifest's root digest (``None`` for the
    #: deprecated v0.1 predicate, which has none).
    root_digest: Optional[str]
    #: Every signed resource, in manifest order.
    resources: Tuple[Resource, ...]
    #: Bytes hashed.
    bytes_hashed: int
    #: How the signature was authenticated: ``{"key": "p256"}`` for the key
    #: method; for sigstore the signer's ``identity``, ``issuer``, the
    #: verified ``tlog_entries``, ``verified_times`` and ``scts`` count.
    evidence: Mapping[str, Any]
    #: The signed serialization record (method, hash_type, shard_size,
    #: allow_symlinks, ignore_paths).
    serialization: Mapping[str, Any]
    #: The whole report, as ``oms-edge verify --json`` prints it.
    report: Mapping[str, Any]


class VerificationError(ValueError):
    """The model or its signature did not verify.

    A ``ValueError``, as ``model_signing.verifying`` raises on failure.
    ``check`` is the stable name of the failed check (``docs/checks.md``,
    e.g. ``"model.digest_mismatch"``; for a model directory that cannot be
    enumerated under the signed policy, a name such as
    ``"symlink_not_allowed"`` with ``code`` ``None``), ``code`` its stable
    number, ``resource`` the index of the manifest entry it is about,
    ``file`` the file's name, ``report`` the whole ``--json`` report.
    """

    check: str
    code: Optional[int]
    step: Optional[str]
    field: Optional[str]
    resource: Optional[int]
    file: Optional[str]
    report: Mapping[str, Any]

    def __init__(self, message: str, report: Mapping[str, Any]):
        super().__init__(message)
        failure = report.get("failure") or {}
        self.check = failure.get("check") or "unknown"
        self.code = failure.get("code")
        self.step = failure.get("step")
        self.field = failure.get("field")
        self.resource = failure.get("resource")
        self.file = failure.get("file")
        self.report = report


def _paths(value: Iterable[PathLike], name: str) -> list:
    if isinstance(value, (str, bytes)) or isinstance(value, os.PathLike):
        raise TypeError(f"{name} must be a list of paths, not one path")
    out = []
    for p in value:
        if not isinstance(p, (str, os.PathLike)):
            raise TypeError(f"{name}: {p!r} is not a path")
        out.append(os.fspath(p))
    return out


def _path(value: PathLike, name: str) -> str:
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), not {type(value).__name__}")
    return os.fspath(value)


def _flag(value: bool, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    return value


def _at(value: Union[None, str, datetime.datetime]) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("at: a datetime must be timezone-aware (e.g. tzinfo=timezone.utc)")
        utc = value.astimezone(datetime.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    raise TypeError(f"at must be an RFC 3339 str or a datetime, not {type(value).__name__}")


def _result(text: str) -> VerificationResult:
    report = json.loads(text)
    if report.get("verdict") != "verified":
        failure = report.get("failure") or {}
        raise VerificationError(failure.get("message") or "not verified", report)
    evidence = {"key": report.get("key")} if report.get("key") else {}
    evidence.update(report.get("sigstore") or {})
    return VerificationResult(
        method=report["method"],
        model_path=report["model"]["path"],
        model_name=report["model"].get("name"),
        root_digest=report.get("root_digest"),
        resources=tuple(
            Resource(
                name=r["name"],
                algorithm=r["algorithm"],
                digest=r["digest"],
                result=r["result"],
                error=r.get("error"),
                actual=r.get("actual"),
            )
            for r in report.get("resources", [])
        ),
        bytes_hashed=report.get("bytes_hashed") or 0,
        evidence=evidence,
        serialization=report.get("serialization") or {},
        report=report,
    )


def _common(
    model_path: PathLike,
    signature_path: PathLike,
    ignore_paths: Iterable[PathLike],
    ignore_git_paths: bool,
    allow_symlinks: bool,
    ignore_unsigned_files: bool,
) -> tuple:
    """The options every method shares, checked, as the native module
    takes them."""
    return (
        _path(model_path, "model_path"),
        _path(signature_path, "signature_path"),
        _paths(ignore_paths, "ignore_paths"),
        _flag(ignore_git_paths, "ignore_git_paths"),
        _flag(allow_symlinks, "allow_symlinks"),
        _flag(ignore_unsigned_files, "ignore_unsigned_files"),
    )


def verify_key(
    model_path: PathLike,
    signature_path: PathLike,
    public_key: PathLike,
    *,
    ignore_paths: Iterable[PathLike] = (),
    ignore_git_paths: bool = True,
    allow_symlinks: bool = False,
    ignore_unsigned_files: bool = False,
) -> VerificationResult:
    """Verifies a model signed with a private key (``model_signing sign key``).

    Args:
        model_path: The model: a directory or a single file.
        signature_path: The signature (Sigstore bundle), e.g. ``model.sig``.
        public_key: PEM or DER SubjectPublicKeyInfo (ECDSA P-256/384/521).
        ignore_paths: Paths to leave out of the model, as ``--ignore-paths``:
            relative to the current directory when that path exists, else to
            the model; or absolute.
        ignore_git_paths: Leave ``.git``, ``.gitignore``, ``.gitattributes``,
            ``.github`` out (default).
        allow_symlinks: Accepted for compatibility: the signed
            ``allow_symlinks`` decides.
        ignore_unsigned_files: Accept files the signature does not list.

    Returns:
        The :class:`VerificationResult`.

    Raises:
        VerificationError: A check failed.
        FileNotFoundError: The model, signature or key does not exist.
        ValueError: The key is not a supported public key.
        TypeError: An argument has the wrong type.
        KeyboardInterrupt: Ctrl-C while hashing.
    """
    common = _common(
        model_path, signature_path, ignore_paths, ignore_git_paths, allow_symlinks,
        ignore_unsigned_files,
    )
    return _result(_native.verify_key(common, _path(public_key, "public_key")))


def verify_certificate(
    model_path: PathLike,
    signature_path: PathLike,
    certificate_chain: Iterable[PathLike],
    *,
    at: Union[None, str, datetime.datetime] = None,
    ignore_paths: Iterable[PathLike] = (),
    ignore_git_paths: bool = True,
    allow_symlinks: bool = False,
    ignore_unsigned_files: bool = False,
) -> VerificationResult:
    """Verifies a model signed with a certificate (``model_signing sign certificate``).

    Args:
        model_path: The model: a directory or a single file.
        signature_path: The signature (Sigstore bundle).
        certificate_chain: PEM (or DER) files of certificates to trust: the
            self-signed ones are the roots, others intermediates that may
            complete a path. There is no fallback to system roots.
        at: Verify as of this time (RFC 3339 text such as
            ``"2026-01-31T12:00:00Z"``, or an aware ``datetime``) instead of
            now. Every certificate of the path must be valid then.
        ignore_paths, ignore_git_paths, allow_symlinks, ignore_unsigned_files:
            As for :func:`verify_key`.

    Raises:
        VerificationError, FileNotFoundError, ValueError, TypeError,
        KeyboardInterrupt: As for :func:`verify_key`.
    """
    common = _common(
        model_path, signature_path, ignore_paths, ignore_git_paths, allow_symlinks,
        ignore_unsigned_files,
    )
    return _result(
        _native.verify_certificate(
            common, _paths(certificate_chain, "certificate_chain"), _at(at)
        )
    )


def verify_sigstore(
    model_path: PathLike,
    signature_path: PathLike,
    *,
    identity: str,
    oidc_issuer: str,
    use_staging: bool = False,
    trusted_root: Optional[PathLike] = None,
    trust_config: Optional[PathLike] = None,
    trust_state: Optional[PathLike] = None,
    ignore_paths: Iterable[PathLike] = (),
    ignore_git_paths: bool = True,
    allow_symlinks: bool = False,
    ignore_unsigned_files: bool = False,
) -> VerificationResult:
    """Verifies a model signed keyless with Sigstore, offline.

    Trusts the ``trusted_root.json`` / ClientTrustConfig given, the
    bundled staging root with ``use_staging``, or the trusted root of a TUF
    state kept by ``oms-edge trust init|update`` (``trust_state``); with
    none of these, as the CLI does, the default TUF state's trusted root
    when ``oms-edge trust`` has made one, else the Sigstore production root
    compiled in. Nothing is fetched.

    Args:
        model_path: The model: a directory or a single file.
        signature_path: The signature (Sigstore bundle).
        identity: The signer's identity (the certificate's SAN), exactly.
        oidc_issuer: The OIDC issuer (Fulcio's issuer extension), exactly.
        use_staging: Trust the bundled staging root.
        trusted_root: A ``trusted_root.json`` to trust instead.
        trust_config: A ClientTrustConfig whose trusted root to trust.
        trust_state: A TUF state directory whose verified trusted root to
            trust.
        ignore_paths, ignore_git_paths, allow_symlinks, ignore_unsigned_files:
            As for :func:`verify_key`.

    Raises:
        VerificationError, FileNotFoundError, ValueError, TypeError,
        KeyboardInterrupt: As for :func:`verify_key`.
    """
    for name, value in (("identity", identity), ("oidc_issuer", oidc_issuer)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    common = _common(
        model_path, signature_path, ignore_paths, ignore_git_paths, allow_symlinks,
        ignore_unsigned_files,
    )
    return _result(
        _native.verify_sigstore(
            common,
            identity,
            oidc_issuer,
            _flag(use_staging, "use_staging"),
            None if trusted_root is None else _path(trusted_root, "trusted_root"),
            None if trust_config is None else _path(trust_config, "trust_config"),
            None if trust_state is None else _path(trust_state, "trust_state"),
        )
    )


@dataclass(frozen=True)
class PolicyResult:
    """What a met admission policy proved (:func:`verify_policy`)."""

    #: The policy file as given.
    policy: str
    #: The model path as given.
    model_path: str
    #: ``{signer name: signature path}`` for every signer counted towards
    #: the threshold.
    counted: Mapping[str, str]
    #: The policy's threshold.
    threshold: int
    #: Bytes hashed (once per distinct manifest).
    bytes_hashed: int
    #: The whole report, as ``oms-edge verify --policy --json`` prints it:
    #: every signer's verdict, every signature, every manifest's check.
    report: Mapping[str, Any]


def verify_policy(
    model_path: PathLike,
    policy: PathLike,
    *,
    signatures: Iterable[PathLike] = (),
    signature_dir: Optional[PathLike] = None,
    at: Union[None, str, datetime.datetime] = None,
    ignore_paths: Iterable[PathLike] = (),
    ignore_git_paths: bool = True,
    ignore_unsigned_files: bool = False,
) -> PolicyResult:
    """Verifies a model against an admission policy (``docs/policy.md``).

    Every signature given is verified on its own against the policy's
    named signers (key, certificate or Sigstore); the model passes when at
    least ``threshold`` distinct signers signed it and it matches every
    counted signature's manifest (hashed once per distinct manifest).

    Args:
        model_path: The model: a directory or a single file.
        policy: The policy file (TOML). It is checked whole first.
        signatures: Signature files (Sigstore bundles).
        signature_dir: A directory whose every ``*.sig`` is a signature.
        at: Verify as of this time instead of now (as for
            :func:`verify_certificate`).
        ignore_paths, ignore_git_paths, ignore_unsigned_files: As for
            :func:`verify_key`.

    Raises:
        VerificationError: The policy is not met (``check`` is
            ``"requirement.not_met"``; ``report`` says why for each signer).
        ValueError: The policy does not load (the message names its file,
            line and column), or no signature was given.
        TypeError: An argument has the wrong type.
        KeyboardInterrupt: Ctrl-C while hashing.
    """
    text = _native.verify_policy(
        _path(policy, "policy"),
        _path(model_path, "model_path"),
        _paths(signatures, "signatures"),
        None if signature_dir is None else _path(signature_dir, "signature_dir"),
        _paths(ignore_paths, "ignore_paths"),
        _flag(ignore_git_paths, "ignore_git_paths"),
        _flag(ignore_unsigned_files, "ignore_unsigned_files"),
        _at(at),
    )
    report = json.loads(text)
    if report.get("verdict") != "verified":
        failure = report.get("failure") or {}
        raise VerificationError(failure.get("message") or "policy not met", report)
    counted = {
        s["name"]: s["signature"]
        for s in report.get("signers", [])
        if s.get("verdict") == "satisfied"
    }
    return PolicyResult(
        policy=report["policy"]["path"],
        model_path=report["model"]["path"],
        counted=counted,
        threshold=report["policy"]["threshold"],
        bytes_hashed=report.get("bytes_hashed") or 0,
        report=report,
    )
