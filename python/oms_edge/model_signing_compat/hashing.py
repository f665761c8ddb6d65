"""The part of ``model_signing.hashing.Config`` that matters to verification.

``oms_edge`` takes the serialization (method, hash, shard size, symlinks)
from the signed manifest, so of a hashing configuration only the ignored
paths and the git-paths choice apply. The serialization methods are
accepted, with the reference's arguments, so that existing code runs; they
record nothing that changes a verdict.
"""

from __future__ import annotations

import os
import pathlib
from typing import Iterable, Optional, Union

__all__ = ["Config", "PathLike"]

PathLike = Union[str, bytes, "os.PathLike"]


class Config:
    """Hashing configuration (see the module docs for what applies)."""

    def __init__(self):
        self._ignored_paths = frozenset()
        self._ignore_git_paths = True
        self._allow_symlinks = False

    def set_ignored_paths(
        self, *, paths: Iterable[PathLike], ignore_git_paths: bool = True
    ) -> "Config":
        """Paths to leave out, relative to the model directory, and whether
        to leave the git paths out (default)."""
        self._ignored_paths = frozenset(pathlib.Path(p) for p in paths)
        self._ignore_git_paths = ignore_git_paths
        return self

    def add_ignored_paths(self, *, model_path: PathLike, paths: Iterable[PathLike]) -> None:
        """Adds paths to leave out (relative to the model directory)."""
        self._ignored_paths = frozenset(set(self._ignored_paths) | {pathlib.Path(p) for p in paths})

    def set_allow_symlinks(self, allow_symlinks: bool) -> "Config":
        """Accepted: the signed ``allow_symlinks`` decides."""
        self._allow_symlinks = allow_symlinks
        return self

    def use_file_serialization(
        self,
        *,
        hashing_algorithm: str = "sha256",
        chunk_size: int = 1048576,
        max_workers: Optional[int] = None,
        allow_symlinks: bool = False,
        ignore_paths: Iterable[pathlib.Path] = frozenset(),
    ) -> "Config":
        """Accepted: the signed serialization decides. ``ignore_paths`` apply."""
        self._allow_symlinks = allow_symlinks
        self._ignored_paths = frozenset(set(self._ignored_paths) | {pathlib.Path(p) for p in ignore_paths})
        return self

    def use_shard_serialization(
        self,
        *,
        hashing_algorithm: str = "sha256",
        chunk_size: int = 1048576,
        shard_size: int = 1_000_000_000,
        max_workers: Optional[int] = None,
        allow_symlinks: bool = False,
        ignore_paths: Iterable[pathlib.Path] = frozenset(),
    ) -> "Config":
        """Accepted: the signed serialization decides. ``ignore_paths`` apply."""
        return self.use_file_serialization(
            allow_symlinks=allow_symlinks, ignore_paths=ignore_paths
        )
