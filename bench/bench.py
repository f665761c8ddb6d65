#!/usr/bin/env python3
"""oms-edge against the reference (model_signing 1.1.1) and the hash limit.

Run through bench/run.sh, which makes the venv and builds the binary:

    bench/run.sh [--scale small|medium|full|huge-count] [--models big,multi,many,huge]
                 [--runs N] [--ref-runs N] [--cold] [--dir DIR]

Models (full scale; `medium` is a quarter of it, with the `many` model
unchanged; `small` divides sizes so that the run takes seconds):
    big    one 4 GiB file (in a dir)               signed files/sha256, shards/sha256
                                         (256 MiB shards), files/blake3
    multi  8 x 512 MiB                   files/sha256, shards/sha256
    many   4000 x 256 KiB in 16 dirs     files/sha256, shards/sha256
    huge   one 40 GiB sparse file        files/sha256 (oms-edge only, one
                                         run, no warm-up: time and peak RSS)
Data is pseudo-random (AES-128-CTR keystream, seeded per model), signed with
the reference's Python API and testdata/keys/p256.pem.

`--scale huge-count` is about the number of files instead (files/sha256):
    files4 10^4 x 1 KiB, files5 10^5 x 1 KiB, files6 10^6 x 1 KiB, in
    directories of 1000 files (`d0000/f0000000.bin`). Each is signed by the
    reference when its signer finishes within `--ref-timeout` seconds, else
    by bench/sign_manifest.py (the reference's bundle layout, same key).
    Next to `oms-edge verify` it times `oms-edge digest` of the same model
    (the same walk and hashing without a bundle) and the reference's verify
    (skipped above `--ref-timeout`), and reports the cost per file.

Warm runs: every file is read once (page cache), then each command runs once
untimed, then `--runs` times (the reference `--ref-runs` times); the median
wall time is reported, with the median CPU time (user + system). Every run
is under `/usr/bin/time`, whose "%M" (the "Maximum resident set size" of
`-v`) is the peak RSS.

The hash limit is `openssl dgst -sha256` of the big file (one core, SHA
extensions): for a model of B bytes the one-core time is B / that rate.

Cold runs (`--cold`): before each timed run, `sync`, then
posix_fadvise(POSIX_FADV_DONTNEED) on every file of the model drops its
pages from the page cache (`fincore` confirms nothing stays resident); the
disk's sequential read speed is measured the same way: drop, then read the
same files with `cat` (one stream), and two files at once (two streams).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "oms-edge"
KEY = ROOT / "testdata" / "keys" / "p256.pem"
PUB = ROOT / "testdata" / "keys" / "p256.pub.pem"
KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30

# name -> (files, bytes per file, shard size, sparse)
SCALES = {
    "full": {
        "big": (1, 4 * GiB, 256 * MiB, False),
        "multi": (8, 512 * MiB, 256 * MiB, False),
        "many": (4000, 256 * KiB, 256 * MiB, False),
        "huge": (1, 40 * GiB, None, True),
    },
    "medium": {
        "big": (1, 1 * GiB, 64 * MiB, False),
        "multi": (8, 128 * MiB, 64 * MiB, False),
        "many": (4000, 256 * KiB, 64 * MiB, False),
        "huge": (1, 10 * GiB, None, True),
    },
    "small": {
        "big": (1, 64 * MiB, 4 * MiB, False),
        "multi": (8, 8 * MiB, 4 * MiB, False),
        "many": (1000, 32 * KiB, 4 * MiB, False),
        "huge": (1, 640 * MiB, None, True),
    },
    "huge-count": {
        "files4": (10_000, 1 * KiB, None, False),
        "files5": (100_000, 1 * KiB, None, False),
        "files6": (1_000_000, 1 * KiB, None, False),
    },
}
COUNT_MODELS = ("files4", "files5", "files6")
METHODS = {
    "big": [("files", "sha256"), ("shards", "sha256"), ("files", "blake3")],
    "multi": [("files", "sha256"), ("shards", "sha256")],
    "many": [("files", "sha256"), ("shards", "sha256")],
    "huge": [("files", "sha256")],
    **{n: [("files", "sha256")] for n in COUNT_MODELS},
}
# Targets (issue 7): throughput as a multiple of one-core openssl SHA-256.
TARGETS = {
    ("big", "files", "sha256"): 0.95,
    ("big", "shards", "sha256"): 1.9,
    ("multi", "files", "sha256"): 1.9,
    ("multi", "shards", "sha256"): 1.9,
    ("many", "files", "sha256"): 1.8,
    ("many", "shards", "sha256"): 1.8,
}
RSS_TARGET_KIB = 16 * 1024
# Targets (issue 17) for the model of 10^5 files: verify within 1.2 x the
# wall time of `oms-edge digest`, peak RSS within the bundle's size + 16 MiB;
# and linear growth: the cost per file at 10^6 within 1.25 x that at 10^5.
COUNT_DIGEST_RATIO = 1.2
COUNT_RSS_SLACK_KIB = 16 * 1024
COUNT_LINEAR = 1.25


@dataclass
class Run:
    wall: float
    cpu: float
    rss_kib: int


@dataclass
class Row:
    model: str
    method: str
    hash: str
    bytes: int
    edge: list[Run] = field(default_factory=list)
    ref: list[Run] = field(default_factory=list)
    cold: list[Run] = field(default_factory=list)
    digest: list[Run] = field(default_factory=list)
    files: int = 0
    bundle_bytes: int = 0
    signer: str = "reference"
    ref_note: str = ""
    disk1: float | None = None
    disk2: float | None = None


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def timed(cmd: list[str], timeout: float | None = None) -> Run | None:
    """Runs `cmd` under `/usr/bin/time` (stdout discarded): wall time, CPU
    time (user + system) and peak RSS. The RSS must come from a small
    parent: Linux carries the pre-exec image's high-water mark into
    ru_maxrss, so a child forked straight from this Python would report
    Python's RSS. With `timeout`: `None` when the command took longer (it
    is killed)."""
    with tempfile.NamedTemporaryFile("r", prefix="oms-edge-bench-time-") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-o", out.name, "-f", "%M %U %S", *cmd],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            return None
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
        rss, user, system = out.read().split()[-3:]
    return Run(wall, float(user) + float(system), int(rss))


def median(xs: list[float]) -> float:
    return statistics.median(xs)


# ---------------------------------------------------------------- models

def keystream(seed: str):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    import hashlib
    key = hashlib.sha256(seed.encode()).digest()[:16]
    return Cipher(algorithms.AES(key), modes.CTR(b"\0" * 16)).encryptor()


def write_random(path: Path, size: int, enc, zeros: bytes) -> None:
    with open(path, "wb") as f:
        left = size
        while left:
            n = min(left, len(zeros))
            f.write(enc.update(zeros[:n]))
            left -= n


def model_files(d: Path, name: str, count: int) -> list[Path]:
    if count == 1:
        return [d / "model.bin"]
    if name in COUNT_MODELS:
        return [d / f"d{i // 1000:04d}" / f"f{i:07d}.bin" for i in range(count)]
    if name == "many":
        return [d / f"dir{i % 16:02d}" / f"part{i:05d}.bin" for i in range(count)]
    return [d / f"shard-{i:02d}-of-{count:02d}.bin" for i in range(count)]


def make_model(base: Path, name: str, spec) -> tuple[Path, list[Path]]:
    count, size, shard, sparse = spec
    d = base / name
    files = model_files(d, name, count)
    marker = base / f"{name}.ok"
    want = json.dumps({"spec": list(spec), "v": 2})
    # A directory even for one file: the reference cannot verify a shard
    # signature of a single-file model it signed itself (it looks for "."
    # and finds ".:0:N"...).
    target = d
    if marker.exists() and marker.read_text() == want:
        return target, files
    shutil.rmtree(d, ignore_errors=True)
    for p in base.glob(f"{name}.*.sig"):
        p.unlink()
    d.mkdir(parents=True)
    log(f"creating {name}: {count} x {size} bytes{' (sparse)' if sparse else ''}")
    enc = keystream(name)
    zeros = bytes(4 * MiB)
    if name in COUNT_MODELS:
        # Many small files: one keystream call per directory, one write per file.
        for k in range(0, count, 1000):
            group = files[k:k + 1000]
            group[0].parent.mkdir(parents=True, exist_ok=True)
            data = enc.update(bytes(size * len(group)))
            for j, p in enumerate(group):
                fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                try:
                    os.write(fd, data[j * size:(j + 1) * size])
                finally:
                    os.close(fd)
        marker.write_text(want)
        return target, files
    for p in files:
        p.parent.mkdir(parents=True, exist_ok=True)
        if sparse:
            with open(p, "wb") as f:
                f.truncate(size)
        else:
            write_random(p, size, enc, zeros)
    marker.write_text(want)
    return target, files


def sign_count(base: Path, name: str, target: Path, timeout: int) -> tuple[Path, str]:
    """A model of many files: the reference's signer if it finishes within
    `timeout` seconds, else bench/sign_manifest.py. Returns the signature
    and which signer made it."""
    sig = base / f"{name}.files-sha256.sig"
    who = base / f"{name}.signer"
    if sig.exists() and who.exists():
        return sig, who.read_text()
    tmp = sig.with_suffix(".tmp")
    log(f"signing {name} with model_signing (at most {timeout} s)")
    code = ("import sys; from model_signing import hashing, signing\n"
            "hc = hashing.Config(); hc.use_file_serialization(hashing_algorithm='sha256')\n"
            "signing.Config().use_elliptic_key_signer(private_key=sys.argv[1])"
            ".set_hashing_config(hc).sign(sys.argv[2], sys.argv[3])\n")
    t0 = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-c", code, str(KEY), str(target), str(tmp)],
                       check=True, timeout=timeout)
        signer = f"reference ({time.perf_counter() - t0:.0f} s)"
    except subprocess.TimeoutExpired:
        log(f"the reference's signer took over {timeout} s; signing with bench/sign_manifest.py")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "bench" / "sign_manifest.py"), str(KEY),
                        str(target), str(tmp)], check=True)
        signer = f"bench/sign_manifest.py ({time.perf_counter() - t0:.0f} s; reference > {timeout} s)"
    tmp.rename(sig)
    who.write_text(signer)
    return sig, signer


def sign(base: Path, name: str, target: Path, method: str, alg: str, shard) -> Path:
    sig = base / f"{name}.{method}-{alg}.sig"
    if sig.exists():
        return sig
    from model_signing import hashing, signing
    log(f"signing {name} ({method}, {alg}) with model_signing")
    hc = hashing.Config()
    if method == "shards":
        hc.use_shard_serialization(hashing_algorithm=alg, shard_size=shard)
    else:
        hc.use_file_serialization(hashing_algorithm=alg)
    tmp = sig.with_suffix(".tmp")
    signing.Config().use_elliptic_key_signer(private_key=KEY).set_hashing_config(hc).sign(target, tmp)
    tmp.rename(sig)
    return sig


# ---------------------------------------------------------------- page cache

def drop_cache(files: list[Path]) -> None:
    os.sync()
    for p in files:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def resident_bytes(files: list[Path]) -> int | None:
    if not shutil.which("fincore"):
        return None
    total = 0
    for i in range(0, len(files), 500):
        out = subprocess.run(["fincore", "-b", "-n", "-o", "RES", *map(str, files[i:i + 500])],
                             capture_output=True, text=True, check=True).stdout
        total += sum(int(x) for x in out.split())
    return total


def warm(files: list[Path]) -> None:
    buf = bytearray(4 * MiB)
    for p in files:
        with open(p, "rb", buffering=0) as f:
            while f.readinto(buf):
                pass


def read_rate(files: list[Path], streams: int) -> float:
    """Seconds to read the files to /dev/null through the page cache, in
    `streams` concurrent processes: `cat` of whole files (every
    `streams`-th file each), or `dd` of equal ranges of a single file."""
    if len(files) == 1 and streams > 1:
        size = files[0].stat().st_size
        step = -(-size // streams)
        cmds = [["dd", f"if={files[0]}", "of=/dev/null", "bs=1M", "status=none",
                 "iflag=skip_bytes,count_bytes", f"skip={k * step}", f"count={step}"]
                for k in range(streams)]
    else:
        cmds = [["cat", *map(str, files[k::streams])] for k in range(streams)]
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL) for c in cmds]
    if any(p.wait() != 0 for p in procs):
        sys.exit("reading the model failed")
    return time.perf_counter() - t0


# ---------------------------------------------------------------- main

def edge_cmd(target: Path, sig: Path) -> list[str]:
    return [str(BIN), "verify", "key", "--quiet", "--signature", str(sig),
            "--public-key", str(PUB), str(target)]


def ref_cmd(target: Path, sig: Path, method: str, alg: str) -> list[str]:
    if (method, alg) == ("files", "sha256"):
        return [sys.executable, "-m", "model_signing", "verify", "key", "--signature", str(sig),
                "--public_key", str(PUB), str(target)]
    # The reference's CLI verifies files/sha256 only (see bench/ref_verify.py).
    return [sys.executable, str(ROOT / "bench" / "ref_verify.py"), str(sig), str(PUB), str(target)]


def gbps(nbytes: int, secs: float) -> float:
    return nbytes / secs / 1e9


def fmt_bytes(n: int) -> str:
    for unit, div in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= div and n % div == 0:
            return f"{n // div} {unit}"
    return f"{n / GiB:.2f} GiB" if n >= GiB else f"{n / MiB:.1f} MiB"


def describe(name: str, spec) -> str:
    count, size, _, sparse = spec
    s = fmt_bytes(size) if count == 1 else f"{count} × {fmt_bytes(size)}"
    return s + (" sparse" if sparse else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", choices=SCALES, default="full")
    ap.add_argument("--models", default=None,
                    help="comma-separated subset of big,multi,many,huge "
                    "(huge-count: files4,files5,files6); default: all of the scale's")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of oms-edge and openssl (median)")
    ap.add_argument("--ref-runs", type=int, default=3, help="timed runs of the reference (median)")
    ap.add_argument("--no-ref", action="store_true", help="skip the reference's verify")
    ap.add_argument("--cold", action="store_true", help="also measure with the page cache dropped")
    ap.add_argument("--ref-timeout", type=int, default=600,
                    help="huge-count: seconds the reference may take to sign or verify one model")
    ap.add_argument("--dir", type=Path,
                    help="where models and signatures live (kept and reused); default: a temp dir on /tmp, removed")
    args = ap.parse_args()
    models = args.models or ",".join(SCALES[args.scale])
    names = [n for n in models.split(",") if n]
    for n in names:
        if n not in SCALES[args.scale]:
            sys.exit(f"unknown model {n!r}")
    if not BIN.exists():
        sys.exit(f"{BIN} missing: cargo build --release -p oms-edge")

    scale = SCALES[args.scale]
    keep = args.dir is not None
    base = args.dir.resolve() if keep else Path(tempfile.mkdtemp(prefix="oms-edge-bench-", dir="/tmp"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        rows, openssl, load_start = run_all(args, scale, names, base)
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
    load_end = os.getloadavg()
    report(args, scale, rows, openssl, load_start, load_end)


def settle(limit: float = 0.5, wait: int = 180) -> None:
    """Lets the machine go quiet before timing: flushes the models just
    written (writeback would otherwise compete with the first timed runs),
    then waits (at most `wait` s) for the 1-minute load average, which the
    creation and signing themselves raised, to fall below `limit`."""
    os.sync()
    for _ in range(wait // 5):
        if os.getloadavg()[0] < limit:
            return
        time.sleep(5)
    log(f"load average still {os.getloadavg()[0]:.2f} after {wait} s; timing anyway")


def run_count(args, n: str, target: Path, files: list[Path], sig: Path, signer: str) -> Row:
    """One model of many small files: oms-edge verify, oms-edge digest (the
    same walk and hashing, no bundle), then the reference's verify."""
    row = Row(n, "files", "sha256", sum(p.stat().st_size for p in files))
    row.files, row.bundle_bytes, row.signer = len(files), sig.stat().st_size, signer
    cmd = edge_cmd(target, sig)
    dcmd = [str(BIN), "digest", "--quiet", str(target)]
    warm(files)
    timed(cmd)  # warm-up; stops the bench if not verified
    timed(dcmd)
    # Interleaved, so that a change of load hits both alike.
    for _ in range(args.runs):
        row.edge.append(timed(cmd))
        row.digest.append(timed(dcmd))
    log(f"{n}: oms-edge verify median {median([r.wall for r in row.edge]):.3f}s, "
        f"digest {median([r.wall for r in row.digest]):.3f}s")
    if not args.no_ref:
        for _ in range(args.ref_runs):
            r = timed(ref_cmd(target, sig, "files", "sha256"), timeout=args.ref_timeout)
            if r is None:
                row.ref_note = f"> {args.ref_timeout} s"
                log(f"{n}: the reference's verify took over {args.ref_timeout} s; stopped")
                break
            row.ref.append(r)
        if row.ref:
            log(f"{n}: reference median {median([r.wall for r in row.ref]):.3f}s")
    return row


def run_all(args, scale, names, base: Path):
    models = {}
    signers = {}
    for n in names:
        target, files = make_model(base, n, scale[n])
        if n in COUNT_MODELS:
            sig, signers[n] = sign_count(base, n, target, args.ref_timeout)
            sigs = [("files", "sha256", sig)]
        else:
            sigs = [(m, a, sign(base, n, target, m, a, scale[n][2])) for m, a in METHODS[n]]
        models[n] = (target, files, sigs)
    settle()
    load_start = os.getloadavg()
    if all(n in COUNT_MODELS for n in names):
        rows = [run_count(args, n, models[n][0], models[n][1], models[n][2][0][2], signers[n])
                for n in names]
        return rows, None, load_start

    # The one-core hash limit: openssl on the big file (or the first model).
    lim_name = "big" if "big" in models else names[0]
    lim_file = models[lim_name][1][0]
    warm([lim_file])
    timed(["openssl", "dgst", "-sha256", str(lim_file)])
    o = [timed(["openssl", "dgst", "-sha256", str(lim_file)]) for _ in range(args.runs)]
    openssl = (lim_file.stat().st_size, o)
    log(f"openssl dgst -sha256 {lim_file.stat().st_size} bytes: median {median([r.wall for r in o]):.3f}s")

    rows = []
    for n in names:
        target, files, sigs = models[n]
        nbytes = sum(p.stat().st_size for p in files)
        for method, alg, sig in sigs:
            row = Row(n, method, alg, nbytes)
            cmd = edge_cmd(target, sig)
            huge = n == "huge"
            if n in COUNT_MODELS:
                rows.append(run_count(args, n, target, files, sig, signers[n]))
                continue
            if not huge:  # sparse: nothing to cache, and 40 GiB takes a while
                warm(files)
                timed(cmd)  # warm-up; exits non-zero (and stops the bench) if not verified
            for _ in range(1 if huge else args.runs):
                row.edge.append(timed(cmd))
            log(f"{n} {method}/{alg}: oms-edge median {median([r.wall for r in row.edge]):.3f}s")
            if not args.no_ref and not huge:
                rcmd = ref_cmd(target, sig, method, alg)
                for _ in range(args.ref_runs):
                    row.ref.append(timed(rcmd))
                log(f"{n} {method}/{alg}: reference median {median([r.wall for r in row.ref]):.3f}s")
            if args.cold and not scale[n][3]:
                for _ in range(args.runs):
                    drop_cache(files)
                    res = resident_bytes(files)
                    if res:
                        log(f"warning: {res} bytes still resident after POSIX_FADV_DONTNEED")
                    row.cold.append(timed(cmd))
                ones, twos = [], []
                for _ in range(args.runs):
                    drop_cache(files)
                    ones.append(read_rate(files, 1))
                    drop_cache(files)
                    twos.append(read_rate(files, 2))
                row.disk1 = median(ones)
                row.disk2 = median(twos)
                log(f"{n} {method}/{alg}: cold oms-edge {median([r.wall for r in row.cold]):.3f}s, "
                    f"cat {row.disk1:.3f}s")
            rows.append(row)
    return rows, openssl, load_start


def report(args, scale, rows: list[Row], openssl, load_start, load_end) -> None:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    small = args.scale not in ("full", "huge-count")
    print(f"## oms-edge benchmark — scale {args.scale}" + (" (SMALL: not the published sizes)" if small else ""))
    print()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, oms-edge {rev}, {cpu}, {os.cpu_count()} cores, "
          f"Linux {platform.release()}, load average {load_start[0]:.2f} before timing "
          f"({load_end[0]:.2f} at the end, from the benchmark's own runs). "
          f"Median of {args.runs} runs (reference: {args.ref_runs}), page cache warm.")
    if load_start[0] > 0.5:
        print()
        print(f"**Warning: the machine was busy (load average {load_start[0]:.2f} before timing); "
              "these figures are not representative.**")
    count_rows = [r for r in rows if r.model in COUNT_MODELS]
    if count_rows:
        report_count(count_rows)
    rows = [r for r in rows if r.model not in COUNT_MODELS]
    if not rows or openssl is None:
        return
    obytes, oruns = openssl
    rate = obytes / median([r.wall for r in oruns])  # bytes/s, one core
    print()
    print(f"One-core hash limit: `openssl dgst -sha256` of {fmt_bytes(obytes)}: "
          f"{median([r.wall for r in oruns]):.3f} s = {rate / 1e9:.2f} GB/s.")
    print()
    print("| model | method | bytes | oms-edge s | (CPU s) | GB/s | × 1-core openssl | reference s | speedup vs reference | RSS oms-edge | RSS reference |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        e = median([x.wall for x in r.edge])
        erss = max(x.rss_kib for x in r.edge)
        ratio = gbps(r.bytes, e) * 1e9 / rate
        if r.ref:
            rs = median([x.wall for x in r.ref])
            ref = f"{rs:.2f} | {rs / e:.1f}×"
            rrss = f"{max(x.rss_kib for x in r.ref) / 1024:.1f} MiB"
        else:
            ref, rrss = "— | —", "—"
        cpu = median([x.cpu for x in r.edge])
        print(f"| {describe(r.model, scale[r.model])} | {r.method}/{r.hash} | {r.bytes} | {e:.3f} | {cpu:.2f} | "
              f"{gbps(r.bytes, e):.2f} | {ratio:.2f}× | {ref} | {erss / 1024:.1f} MiB | {rrss} |")
    if args.cold:
        print()
        print("Cold page cache (POSIX_FADV_DONTNEED on every model file before each run):")
        print()
        print("| model | method | oms-edge cold s | GB/s | disk `cat`, 1 stream GB/s | 2 streams GB/s | oms-edge / disk |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for r in rows:
            if not r.cold:
                continue
            c = median([x.wall for x in r.cold])
            d1 = gbps(r.bytes, r.disk1)
            d2 = f"{gbps(r.bytes, r.disk2):.2f}" if r.disk2 else "—"
            best = max(d1, gbps(r.bytes, r.disk2) if r.disk2 else 0)
            print(f"| {describe(r.model, scale[r.model])} | {r.method}/{r.hash} | {c:.3f} | "
                  f"{gbps(r.bytes, c):.2f} | {d1:.2f} | {d2} | {gbps(r.bytes, c) / best:.2f}× |")
    print()
    print("Targets:")
    print()
    for r in rows:
        want = TARGETS.get((r.model, r.method, r.hash))
        if want is None:
            continue
        e = median([x.wall for x in r.edge])
        ratio = r.bytes / e / rate
        verdict = "PASS" if ratio >= want else "MISS"
        print(f"- {verdict} {r.model} {r.method}/{r.hash}: {ratio:.2f}× one-core openssl (target ≥ {want}×)")
    for r in rows:
        if r.hash == "sha256" and r.method == "files" and r.model in ("big", "huge"):
            rss = max(x.rss_kib for x in r.edge)
            verdict = "PASS" if rss <= RSS_TARGET_KIB else "MISS"
            print(f"- {verdict} {r.model} ({fmt_bytes(r.bytes)}) peak RSS {rss / 1024:.1f} MiB (target ≤ 16 MiB)")
    worst = max(rows, key=lambda r: max(x.rss_kib for x in r.edge))
    rss = max(x.rss_kib for x in worst.edge)
    print(f"- largest oms-edge peak RSS of any row: {rss / 1024:.1f} MiB ({worst.model} {worst.method}/{worst.hash})")


def report_count(rows: list[Row]) -> None:
    """The table of models of many small files, and their targets."""
    print()
    print("| files | bundle | signed by | oms-edge verify s | (CPU s) | RSS | µs per file | "
          "`oms-edge digest` s | RSS | verify / digest | reference verify s | RSS | speedup vs reference |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_file = {}
    for r in rows:
        e = median([x.wall for x in r.edge])
        d = median([x.wall for x in r.digest])
        erss = max(x.rss_kib for x in r.edge)
        drss = max(x.rss_kib for x in r.digest)
        per_file[r.model] = (e / r.files, erss * 1024 / r.files)
        if r.ref:
            rs = median([x.wall for x in r.ref])
            ref = f"{rs:.2f} | {max(x.rss_kib for x in r.ref) / 1024:.0f} MiB | {rs / e:.1f}×"
        else:
            ref = f"{r.ref_note or '—'} | — | —"
        print(f"| {r.files:,} × {fmt_bytes(r.bytes // r.files)} | {r.bundle_bytes / 1e6:.1f} MB | {r.signer} | "
              f"{e:.3f} | {median([x.cpu for x in r.edge]):.2f} | {erss / 1024:.1f} MiB | "
              f"{e / r.files * 1e6:.2f} | {d:.3f} | {drss / 1024:.1f} MiB | {e / d:.2f}× | {ref} |")
    print()
    print("Targets:")
    print()
    for r in rows:
        if r.model != "files5":
            continue
        e = median([x.wall for x in r.edge])
        d = median([x.wall for x in r.digest])
        verdict = "PASS" if e <= COUNT_DIGEST_RATIO * d else "MISS"
        print(f"- {verdict} {r.files:,} files: verify {e:.3f} s = {e / d:.2f}× `oms-edge digest` "
              f"(target ≤ {COUNT_DIGEST_RATIO}×)")
        rss = max(x.rss_kib for x in r.edge)
        limit = r.bundle_bytes / 1024 + COUNT_RSS_SLACK_KIB
        verdict = "PASS" if rss <= limit else "MISS"
        print(f"- {verdict} {r.files:,} files: peak RSS {rss / 1024:.1f} MiB, bundle "
              f"{r.bundle_bytes / MiB:.1f} MiB + {(rss - r.bundle_bytes / 1024) / 1024:.1f} MiB "
              f"(target ≤ bundle + {COUNT_RSS_SLACK_KIB // 1024} MiB)")
    if "files5" in per_file and "files6" in per_file:
        (t5, m5), (t6, m6) = per_file["files5"], per_file["files6"]
        for what, a, b, unit in (("time", t5 * 1e6, t6 * 1e6, "µs"), ("peak RSS", m5, m6, "bytes")):
            verdict = "PASS" if b <= COUNT_LINEAR * a else "MISS"
            print(f"- {verdict} linear growth of {what}: {b:.2f} {unit} per file at 10^6 against "
                  f"{a:.2f} at 10^5 (target ≤ {COUNT_LINEAR}×)")
    if any(r.model == "files6" for r in rows):
        print("- PASS the limits admit 10^6 resources (the verify above succeeded)")


if __name__ == "__main__":
    main()
