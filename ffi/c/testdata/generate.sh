#!/usr/bin/env bash
# Regenerates the C firmware's extra test model: files whose names sort
# before VERSION in manifest order ("00-notes.txt", "LICENSE"), so that a
# package (firmware-example/pack.sh puts VERSION right after model.sig)
# carries VERSION ahead of its manifest position. Signed by the Python
# reference, model_signing 1.1.1 (testdata/requirements.txt), with the test
# key testdata/keys/p256.pem.
#
#   ffi/c/testdata/generate.sh [PYTHON_VENV]
#
# File contents are fixed; ECDSA signatures are randomized, so a rerun
# changes model-early.sig only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
venv=${1:-$repo/testdata/.venv}
model=$here/model-early
rm -rf "$model"
mkdir -p "$model/weights"
printf 'notes that sort first\n' >"$model/00-notes.txt"
printf 'Apache-2.0\n' >"$model/LICENSE"
printf '7\n' >"$model/VERSION"
printf '{"model_type":"tiny"}\n' >"$model/config.json"
head -c 3000 /dev/zero | tr '\0' '\132' >"$model/weights/part-0.bin"
"$venv/bin/model_signing" sign key --private_key "$repo/testdata/keys/p256.pem" \
  --signature "$here/model-early.sig" "$model"
