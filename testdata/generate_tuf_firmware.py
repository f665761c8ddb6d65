#!/usr/bin/env python3
"""Builds the throw-away TUF repository of the firmware example's trust
updates (firmware-example/README.md, "Trust updates"; docs/tuf.md).

    python3 -m venv /tmp/venv-tuf
    /tmp/venv-tuf/bin/pip install -r testdata/requirements-tuf.txt
    /tmp/venv-tuf/bin/python testdata/generate_tuf_firmware.py

ECDSA P-256 keys only, as Sigstore's repository uses (the firmware links
no RSA: an RSA key would be unusable there), made from fixed seeds;
signatures are RFC 6979 (deterministic), so a rerun writes the same bytes.
The signer and the metadata layout are generate_tuf.py's. The target is
testdata/sigstore/trusted_root.json, the trusted root of the offline
Sigstore vectors the QEMU runs verify.

Output (testdata/tuf/firmware/):
    1.root.json   the TUF root the QEMU test firmware compiles in
    update-1/     2.root.json (root key rotated: FR1 -> FR2), timestamp v1,
                  snapshot v1, targets v1, trusted_root.json
    update-2/     2.root.json, timestamp v2, snapshot v2, targets v2,
                  trusted_root.json
    expired/      timestamp v3, snapshot v3, targets v3 that expired on
                  2021-01-01 (before every signing time of the vectors),
                  trusted_root.json
A trust package is a ustar archive of one directory's files in the order
above (firmware-example/pack-trust.sh).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate_tuf as gt  # noqa: E402
from generate_tuf import (  # noqa: E402
    FAR, Key, dump, envelope, root, snapshot, targets, timestamp)

OUT = HERE / "tuf" / "firmware"
TARGET = HERE / "sigstore" / "trusted_root.json"
PAST = "2021-01-01T00:00:00Z"

K = {n: Key("firmware " + n, "ecdsa") for n in ["R1", "R2", "T", "S", "G"]}


def roles(root_key: Key) -> dict:
    return {"root": ([root_key], 1), "timestamp": ([K["T"]], 1),
            "snapshot": ([K["S"]], 1), "targets": ([K["G"]], 1)}


def chain(version: int, target: bytes, expires: str = FAR) -> list[tuple[str, bytes]]:
    g = dump(envelope(targets(version, {"trusted_root.json": target}, expires), [K["G"]]))
    s = dump(envelope(snapshot(version, g, version, expires), [K["S"]]))
    t = dump(envelope(timestamp(version, s, version, expires), [K["T"]]))
    return [("timestamp.json", t), ("snapshot.json", s), ("targets.json", g),
            ("trusted_root.json", target)]


def main() -> int:
    target = TARGET.read_bytes()
    v1 = dump(envelope(root(1, roles(K["R1"])), [K["R1"]]))
    v2 = dump(envelope(root(2, roles(K["R2"])), [K["R1"], K["R2"]]))
    files = {"1.root.json": v1}
    for d, members in [("update-1", [("2.root.json", v2)] + chain(1, target)),
                       ("update-2", [("2.root.json", v2)] + chain(2, target)),
                       ("expired", chain(3, target, PAST))]:
        for name, data in members:
            files[f"{d}/{name}"] = data
    for rel, data in files.items():
        path = OUT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # Cross-check with python-tuf (generate_tuf.python_tuf, its client's
    # verification core): update-1 from root v1, update-2 after it, and
    # the expired chain refused at 2030 but accepted at 2020.
    gt.FILES.update({f"fw/{k}": v for k, v in files.items()})
    held1 = {"root": "fw/1.root.json", "timestamp": None, "snapshot": None}
    held2 = {"root": "fw/update-1/2.root.json", "timestamp": "fw/update-1/timestamp.json",
             "snapshot": "fw/update-1/snapshot.json"}
    checks = [("update-1", held1, ["fw/update-1/2.root.json"], gt.NOW, "ok"),
              ("update-2", held2, [], gt.NOW, "ok"),
              ("expired", held2, [], gt.NOW, "fail"),
              ("expired", held2, [], 1_577_836_800, "ok")]
    bad = 0
    for d, held, roots, now, want in checks:
        c = {"held": held, "roots": roots, "timestamp": f"fw/{d}/timestamp.json",
             "snapshot": f"fw/{d}/snapshot.json", "targets": f"fw/{d}/targets.json",
             "target": f"fw/{d}/trusted_root.json", "now": now}
        got = gt.python_tuf(c)
        if not got.startswith(want):
            print(f"python-tuf: {d} at {now}: {got}, expected {want}")
            bad += 1
    print(f"wrote {len(files)} files under {OUT.relative_to(HERE.parent)}; "
          f"python-tuf agrees on {len(checks) - bad} of {len(checks)} checks")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
