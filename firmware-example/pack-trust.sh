#!/usr/bin/env bash
# Packs a trust package for the sigstore firmware: a ustar archive of
# FILE... in the order given, each member named by the file's base name
# (N.root.json for each new root version, increasing, then
# timestamp.json, snapshot.json, targets.json, trusted_root.json; see
# loader/src/trust_state.rs). Deterministic (owner 0, mode 0644, mtime 0).
#
#   firmware-example/pack-trust.sh OUT.tar FILE...
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OUT.tar FILE..." >&2
  exit 2
fi
out=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
names=()
for f in "$@"; do
  n=$(basename "$f")
  cp "$f" "$work/$n"
  names+=("$n")
done
tar --format=ustar --owner=0 --group=0 --numeric-owner --mode=0644 --mtime=@0 \
  --no-recursion -cf "$out" -C "$work" "${names[@]}"
