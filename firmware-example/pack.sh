#!/usr/bin/env bash
# Builds a model package for the firmware loader:
#
#   firmware-example/pack.sh SIGNATURE MODEL_DIR OUT.tar
#
# The package is a POSIX ustar archive (GNU tar --format=ustar) whose
# first member is the bundle, named model.sig, then the model's VERSION
# file when it has one, then every other regular file of MODEL_DIR in
# manifest order: the OMS reference's path order,
# which compares paths component by component (a '/' sorts before every
# other byte). Owner, group, mode and mtime are fixed, so the same inputs
# give the same bytes. MODEL_DIR must hold exactly the signed files (the
# loader refuses a missing, unsigned or misplaced file).
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 SIGNATURE MODEL_DIR OUT.tar" >&2
  exit 2
fi
sig=$1 model=$2 out=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$sig" "$work/model.sig"
# Manifest order: map '/' to \001 (below every byte a name may hold), sort
# bytewise, map back. NUL-separated, so any file name survives.
# A top-level VERSION file comes first, right after model.sig: the loader
# checks it against the signed manifest before it touches the flash.
{
  if [ -f "$model/VERSION" ]; then printf 'VERSION\0'; fi
  (cd "$model" && find . -type f ! -path ./VERSION -printf '%P\0') |
    tr '/' '\001' | LC_ALL=C sort -z | tr '\001' '/'
} >"$work/files"
tar --format=ustar --owner=0 --group=0 --numeric-owner --mode=0644 --mtime=@0 \
  --no-recursion -cf "$out" -C "$work" model.sig -C "$(cd "$model" && pwd)" --null -T "$work/files"
