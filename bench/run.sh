#!/usr/bin/env bash
# One command for the whole benchmark: makes the reference's venv (once),
# builds oms-edge in release mode, then runs bench/bench.py, which creates
# the models, signs them with the reference and prints the table.
#
#   bench/run.sh                      full size: 4 GiB, 8 x 512 MiB,
#                                     4000 x 256 KiB, 40 GiB sparse (about
#                                     5 min; needs ~9 GiB on /tmp or --dir)
#   bench/run.sh --scale small        the same at tens of MiB (seconds)
#   bench/run.sh --scale medium       1 GiB, 8 x 128 MiB, 4000 x 256 KiB, 10 GiB
#   bench/run.sh --scale huge-count   10^4, 10^5, 10^6 files of 1 KiB against
#                                     `oms-edge digest` (issue 17; ~5 GiB on
#                                     /tmp, the reference signs 10^6 in ~7 min)
#   bench/run.sh --cold               also with the page cache dropped
#                                     (about 12 min at full size)
#   bench/run.sh --models big,many    a subset
#   bench/run.sh --dir DIR            keep models and signatures in DIR, reuse them
#   bench/run.sh --help               every option
#
# The venv lives in $OMS_BENCH_VENV (default bench/.venv, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${OMS_BENCH_VENV:-bench/.venv}
if ! "$venv/bin/python" -c 'import model_signing, OpenSSL, sys; sys.exit(model_signing.__version__ != "1.1.1")' 2>/dev/null; then
  echo "creating $venv with model-signing 1.1.1" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r bench/requirements.txt
fi
cargo build --release -q -p oms-edge
exec "$venv/bin/python" bench/bench.py "$@"
