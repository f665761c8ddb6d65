"""A drop-in for ``model_signing.verifying`` (model_signing 1.1.1).

Switch with one import::

    # from model_signing import verifying
    from oms_edge.model_signing_compat import verifying

    verifying.Config().use_elliptic_key_verifier(public_key="key.pub").verify(
        "model", "model.sig"
    )

Same methods, arguments and defaults; ``verify`` raises ``ValueError`` on
failure (an :class:`oms_edge.VerificationError`, which also names the
failed check). Differences, each deliberate (``docs/python.md``):

- the hashing configuration never overrides what was signed: the signed
  serialization (method, hash, shard size, ``allow_symlinks``) decides, and
  a :meth:`Config.set_hashing_config` contributes its ignored paths and
  git-paths choice only;
- ``use_certificate_verifier`` needs a ``certificate_chain`` (no fallback
  to the system's roots) and validates every certificate at the current
  time (OMS §8.2), not at the leaf's notBefore;
- a bad signature raises ``ValueError`` (the reference lets
  ``cryptography``'s ``InvalidSignature`` through).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import pathlib
import re
from typing import Iterable, Optional

import oms_edge

from . import hashing

__all__ = ["Config"]

_log = logging.getLogger(__name__)

_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.S)


class Config:
    """Configuration to use when verifying models against signatures."""

    def __init__(self):
        self._hashing_config: Optional[object] = None
        self._verify = None
        self._ignore_unsigned_files = False

    def verify(self, model_path: hashing.PathLike, signature_path: hashing.PathLike) -> None:
        """Verifies that a model conforms to a signature.

        Raises:
            ValueError: No verifier has been configured, or the model does not
              verify (then an :class:`oms_edge.VerificationError`).
        """
        if self._verify is None:
            raise ValueError("Attempting to verify with no configured verifier")
        ignore_paths, ignore_git_paths = self._ignores(model_path)
        self._verify(
            model_path,
            signature_path,
            ignore_paths=ignore_paths,
            ignore_git_paths=ignore_git_paths,
            ignore_unsigned_files=self._ignore_unsigned_files,
        )

    def _ignores(self, model_path: hashing.PathLike):
        """The hashing config's ignored paths, relative to the model as
        ``model_signing.hashing.Config`` reads them, and its git choice."""
        config = self._hashing_config
        if config is None:
            return [], True
        paths = getattr(config, "_ignored_paths", frozenset())
        git = getattr(config, "_ignore_git_paths", True)
        model = pathlib.Path(model_path)
        out = []
        for p in paths:
            p = pathlib.Path(p)
            full = p if p.is_absolute() else model / p
            out.append(str(full.absolute()))
        return out, bool(git)

    def set_hashing_config(self, hashing_config) -> "Config":
        """Sets the hashing configuration: an
        :class:`oms_edge.model_signing_compat.hashing.Config` or a
        ``model_signing.hashing.Config``. Its ignored paths (relative to the
        model) and its git-paths choice apply; the serialization it names
        does not (the signed one decides)."""
        if not hasattr(hashing_config, "_ignored_paths"):
            raise TypeError(
                "hashing_config must be a hashing.Config (of oms_edge.model_signing_compat "
                "or model_signing)"
            )
        self._hashing_config = hashing_config
        return self

    def set_ignore_unsigned_files(self, ignore_unsigned_files: bool) -> "Config":
        """Sets whether files that were not signed are to be ignored."""
        self._ignore_unsigned_files = bool(ignore_unsigned_files)
        return self

    def use_sigstore_verifier(
        self,
        *,
        identity: str,
        oidc_issuer: str,
        use_staging: bool = False,
        trust_config: Optional[pathlib.Path] = None,
    ) -> "Config":
        """Configures the verification of Sigstore (keyless) signatures,
        offline: the bundled production (or staging) trusted root, or the
        ``trust_config`` ClientTrustConfig."""
        if trust_config is not None and not pathlib.Path(trust_config).exists():
            raise FileNotFoundError(f"trust config {trust_config} does not exist")

        def verify(model_path, signature_path, **common):
            oms_edge.verify_sigstore(
                model_path,
                signature_path,
                identity=identity,
                oidc_issuer=oidc_issuer,
                use_staging=use_staging,
                trust_config=trust_config,
                **common,
            )

        self._verify = verify
        return self

    def use_elliptic_key_verifier(self, *, public_key: hashing.PathLike) -> "Config":
        """Configures the verification of signatures made with an elliptic
        curve private key; ``public_key`` is the path of its public key."""
        # As the reference: the key file is read now.
        pathlib.Path(public_key).read_bytes()

        def verify(model_path, signature_path, **common):
            oms_edge.verify_key(model_path, signature_path, public_key, **common)

        self._verify = verify
        return self

    def use_certificate_verifier(
        self,
        *,
        certificate_chain: Iterable[hashing.PathLike] = frozenset(),
        log_fingerprints: bool = False,
    ) -> "Config":
        """Configures the verification of signatures made with a certificate
        chaining to one of ``certificate_chain`` (PEM files: self-signed
        roots, and intermediates). ``log_fingerprints`` logs each given
        certificate's SHA-256 fingerprint (logger ``oms_edge``, INFO)."""
        chain = [os.fspath(c) for c in certificate_chain]
        if not chain:
            raise ValueError(
                "certificate_chain is empty: oms_edge never falls back to the system's roots"
            )
        for path in chain:
            data = pathlib.Path(path).read_bytes()
            if log_fingerprints:
                for block in _PEM.findall(data):
                    der = base64.b64decode(b"".join(block.split()))
                    _log.info("init: certificate fingerprint sha256:%s", hashlib.sha256(der).hexdigest())

        def verify(model_path, signature_path, **common):
            oms_edge.verify_certificate(model_path, signature_path, chain, **common)

        self._verify = verify
        return self
