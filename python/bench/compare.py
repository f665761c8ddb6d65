#!/usr/bin/env python3
"""oms_edge against model_signing.verifying, in one Python process.

    python python/bench/compare.py [--scale small|medium|full] [--runs N]
                                   [--models big,multi,many] [--dir DIR]

Needs a venv with model-signing 1.1.1 (bench/requirements.txt) and
oms_edge (pip install ./python). The models are bench/bench.py's (same
sizes, same pseudo-random data, signed with the reference's API and
testdata/keys/p256.pem); `--dir` keeps them for the next run.

Each (model, serialization) pair is verified warm (the files are read once
first, then each verifier runs once untimed), then `--runs` times with each
verifier alternately: the median wall time of each, and the speedup. The
reference's verification is `verifying.Config().use_elliptic_key_verifier(
public_key=...).verify(model, sig)` with the hashing configuration it
guesses from the signature (as bench/ref_verify.py: the guessed shard size
made an int, which the reference itself fails to do); oms_edge's is the
same call through `oms_edge.model_signing_compat.verifying`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench  # noqa: E402  (bench/bench.py: models, signing)
import ref_verify  # noqa: E402,F401  (bench/ref_verify.py: the shard-size patch)
from model_signing import verifying  # noqa: E402

import oms_edge  # noqa: E402
from oms_edge.model_signing_compat import verifying as edge_verifying  # noqa: E402

def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", choices=sorted(bench.SCALES), default="medium")
    ap.add_argument("--models", default="big,multi,many")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path)
    args = ap.parse_args()
    scale = bench.SCALES[args.scale]
    names = [n for n in args.models.split(",") if n in scale and n != "huge"]
    base = args.dir or Path(tempfile.mkdtemp(prefix="oms-edge-compare-"))
    base.mkdir(parents=True, exist_ok=True)
    pub = str(bench.PUB)
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, oms_edge {oms_edge.__version__}, scale {args.scale}, "
          f"median of {args.runs} warm runs, load average {os.getloadavg()[0]:.1f} at start")
    print(f"{'model':<34} {'serialization':<14} {'oms_edge':>10} {'model_signing':>14} {'speedup':>8}")
    for name in names:
        spec = scale[name]
        target, files = bench.make_model(base, name, spec)
        size = sum(p.stat().st_size for p in files)
        for method, alg in bench.METHODS[name]:
            sig = bench.sign(base, name, target, method, alg, spec[2])
            edge = edge_verifying.Config().use_elliptic_key_verifier(public_key=pub)
            ref = verifying.Config().use_elliptic_key_verifier(public_key=pub)
            bench.warm(files)
            # One untimed run each; a fresh reference Config per run, as
            # its guessed hashing config is kept after the first verify.
            edge.verify(target, sig)
            verifying.Config().use_elliptic_key_verifier(public_key=pub).verify(target, sig)
            e, r = [], []
            for _ in range(args.runs):
                e.append(timed(lambda: edge.verify(target, sig)))
                ref = verifying.Config().use_elliptic_key_verifier(public_key=pub)
                r.append(timed(lambda: ref.verify(target, sig)))
            me, mr = statistics.median(e), statistics.median(r)
            label = f"{bench.describe(name, spec)}"
            print(f"{label:<34} {method + '/' + alg:<14} {me:>9.3f}s {mr:>13.3f}s {mr / me:>7.1f}x",
                  flush=True)
    print(f"# load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
