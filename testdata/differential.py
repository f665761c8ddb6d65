#!/usr/bin/env python3
"""Differential test material: random models signed by the reference, then
tampered, with the verdict each must get.

    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install -r testdata/requirements.txt
    /tmp/venv/bin/python testdata/differential.py                 # the committed sample
    /tmp/venv/bin/python testdata/differential.py --count 300 --out /tmp/diff
    OMS_EDGE_DIFFERENTIAL=/tmp/diff cargo test -p oms-edge-tests --test differential

Each model is drawn from a seeded random generator (`--seed`, model i uses
seed*100000 + i): 2 to 9 files in nested directories, names with unicode,
spaces, colons (in `files` models: the reference's verifier cannot read a
shard name with a colon), backslashes and dashes, empty files, random
sizes; the
`files` or `shards` serialization (a random shard size) with sha256,
blake2b or blake3; a third of them signed with allow_symlinks (file links
inside the model and out of it, a directory link inside), a third with a
signer's ignore path (its files stay on disk). model_signing 1.1.1 signs
each through its API (`hashing.Config`, `signing.Config`) with
`keys/p256.pem`.

Then each model gets tampered variants, described (not copied): flip a byte,
truncate, append, add a file, remove, rename, swap a file for a link to
another file; and, where a model has an ignore path, a change inside it,
which must still verify. Every expectation is checked against the
reference itself before it is written: the reference must verify the
model and each variant meant to verify, and reject each tampered one (a
draw it would not reject is replaced). `tests/tests/differential.rs`
replays the sample through oms-edge's `verify key` and asserts each verdict
and the check that rejects each tampered variant. A seed gives the same
models and variants; the signatures change on a rerun (the reference's
ECDSA is randomized). Requirements: testdata/requirements.txt (only
model-signing 1.1.1 and what it pulls in are used).

Not drawn, as oms-edge and the reference differ on purpose there: links to
directories out of the model (oms-edge refuses them, the reference skips
directory links wherever they point), and models whose every file is
ignored (the reference signs and verifies an empty resource list, which
OMS v1.0 §5.2.1 forbids).

Layout (below --out, default testdata/differential):
    m000/model/...        the model as signed
    m000/outside/...      files the model's links point at, out of it
    m000/model.sig        the bundle
    m000/case.json        {"serialization", "expect", "tampers": [{"op", ..., "expect", "checks"}]}
Ops: flip {path, offset}; truncate {path, len}; append {path, data (hex)};
add {path, data (hex)}; remove {path}; rename {path, to}; link {path, target}
(paths relative to the model; link targets relative to the link's directory).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import shutil
import sys
import tempfile

from model_signing import hashing, signing, verifying

ROOT = pathlib.Path(__file__).resolve().parent
KEY = ROOT / "keys" / "p256.pem"
PUB = ROOT / "keys" / "p256.pub.pem"

# Pieces of file and directory names: what real models and hostile names hold.
NAME_PARTS = ["weights", "config", "tok", "héllo", "日本語", "😀", "a b", "x:y", "w\\v", "-d",
              "model.safetensors", "ε", "part 2", "a:b:c", "shard-01", "ф", "q#r", "s+t=u"]
HASHES = ["sha256", "blake2", "blake3"]


def name(rng: random.Random, colons: bool = True) -> str:
    parts = NAME_PARTS if colons else [p for p in NAME_PARTS if ":" not in p]
    n = "".join(rng.choice(parts) for _ in range(rng.randint(1, 2)))
    if n.startswith(".git"):
        n = "x" + n
    return n


def write(path: pathlib.Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class Model:
    """One random model and how it was signed."""

    def __init__(self, rng: random.Random, root: pathlib.Path) -> None:
        self.rng = rng
        self.dir = root
        self.model = root / "model"
        self.outside = root / "outside"
        self.files: dict[str, bytes] = {}  # regular files, model-relative
        self.links: dict[str, str] = {}  # file links: path -> link text
        self.link_targets: set[str] = set()  # model files a link points at
        self.method = rng.choice(["files", "shards"])
        self.hash = rng.choice(HASHES)
        self.shard_size = rng.choice([100, 333, 512, 1000, 4096]) if \
            self.method == "shards" else None
        self.allow_symlinks = rng.random() < 0.33
        self.ignore: list[str] = []
        # The reference's verifier splits a shard's name at every colon (it
        # wants exactly three parts), so it cannot check its own sharded
        # signature of a name with a colon; colons go to `files` models.
        self.colons = self.method == "files"
        self.build()

    def name(self) -> str:
        return name(self.rng, self.colons)

    def build(self) -> None:
        rng = self.rng
        dirs = [""]
        for _ in range(rng.randint(0, 3)):
            parent = rng.choice(dirs)
            dirs.append(f"{parent}/{self.name()}".lstrip("/"))
        for _ in range(rng.randint(2, 9)):
            rel = f"{rng.choice(dirs)}/{self.name()}.{rng.choice(['bin', 'json', 'txt'])}".lstrip("/")
            if rel in self.files or any(rel.startswith(f + "/") for f in self.files):
                continue
            size = 0 if rng.random() < 0.2 else rng.choice([1, 5, 64, 300, 1200])
            self.files[rel] = rng.randbytes(size)
        for rel, data in self.files.items():
            write(self.model / rel, data)
        if self.allow_symlinks:
            self.add_links(dirs)
        if rng.random() < 0.33:
            # A signer's ignore path: a directory (or file) whose files stay.
            target = rng.choice([d for d in dirs if d] or [""]) or None
            ign = target or f"ignored-{rng.randint(0, 99)}"
            write(self.model / ign / "scratch.tmp", rng.randbytes(rng.randint(1, 200)))
            self.ignore = [ign]
        # OMS requires at least one resource (the reference would sign an
        # empty list, which verifiers must refuse): keep one file signed.
        if not any(self.content(f) or self.method == "files" for f in self.signed_files()):
            self.files["anchor.bin"] = rng.randbytes(rng.randint(1, 300))
            write(self.model / "anchor.bin", self.files["anchor.bin"])

    def add_links(self, dirs: list[str]) -> None:
        rng = self.rng
        regular = sorted(self.files)
        # A file link inside the model, to another file of it.
        src = rng.choice(regular)
        at = f"{rng.choice(dirs)}/{self.name()}.link".lstrip("/")
        if self.free(at):
            self.link(at, src)
        # A file link out of the model (the Hugging Face cache's shape).
        blob = f"blob-{rng.randint(0, 10**6):06d}"
        write(self.outside / blob, rng.randbytes(rng.randint(1, 800)))
        at = f"{rng.choice(dirs)}/{self.name()}.out".lstrip("/")
        if self.free(at):
            depth = at.count("/") + 1
            (self.model / at).parent.mkdir(parents=True, exist_ok=True)
            os.symlink("../" * depth + f"outside/{blob}", self.model / at)
            self.links[at] = "../" * depth + f"outside/{blob}"
        # A directory link inside (never descended), not to an ancestor.
        subdirs = [d for d in dirs if d and (self.model / d).is_dir()]
        if subdirs:
            target = rng.choice(subdirs)
            alias = f"alias-{rng.randint(0, 99)}"
            if not (self.model / alias).exists():
                os.symlink(target, self.model / alias)

    def free(self, at: str) -> bool:
        return at not in self.files and at not in self.links and not any(
            f.startswith(at + "/") for f in self.files)

    def link(self, at: str, to: str) -> None:
        rel = os.path.relpath(to, os.path.dirname(at) or ".")
        (self.model / at).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(rel, self.model / at)
        self.links[at] = rel
        self.link_targets.add(to)

    def hashing_config(self) -> hashing.Config:
        hc = hashing.Config()
        if self.method == "shards":
            hc.use_shard_serialization(hashing_algorithm=self.hash, shard_size=self.shard_size,
                                       allow_symlinks=self.allow_symlinks)
        else:
            hc.use_file_serialization(hashing_algorithm=self.hash,
                                      allow_symlinks=self.allow_symlinks)
        hc.set_ignored_paths(paths=self.ignore, ignore_git_paths=True)
        hc.set_allow_symlinks(self.allow_symlinks)
        return hc

    def sign(self) -> None:
        signing.Config().use_elliptic_key_signer(private_key=KEY).set_hashing_config(
            self.hashing_config()).sign(self.model, self.dir / "model.sig")

    def reference_verifies(self, model: pathlib.Path) -> bool:
        try:
            verifying.Config().use_elliptic_key_verifier(public_key=PUB).set_hashing_config(
                self.hashing_config()).verify(model, self.dir / "model.sig")
            return True
        except Exception:  # noqa: BLE001 - any refusal is a refusal
            return False

    def signed_files(self) -> list[str]:
        """Model files the signature covers (regular files and file links,
        outside the ignore paths)."""
        return [f for f in [*self.files, *self.links]
                if not any(f == i or f.startswith(i + "/") for i in self.ignore)]

    def content(self, rel: str) -> bytes:
        return (self.model / rel).read_bytes()

    # -- tampering -----------------------------------------------------------

    def candidates(self) -> list[dict]:
        rng = self.rng
        signed = self.signed_files()
        # An empty file has no shards (OMS 6.3.2): in `shards`, nothing
        # records it, so it can neither be changed nor missed.
        if self.method == "shards":
            signed = [f for f in signed if self.content(f)]
        nonempty = [f for f in signed if self.content(f)]
        out = []
        if nonempty:
            f = rng.choice(nonempty)
            out.append({"op": "flip", "path": f, "offset": rng.randrange(len(self.content(f)))})
            f = rng.choice(nonempty)
            out.append({"op": "truncate", "path": f, "len": rng.randrange(len(self.content(f)))})
        if signed:
            f = rng.choice(signed)
            out.append({"op": "append", "path": f, "data": rng.randbytes(rng.randint(1, 9)).hex()})
            out.append({"op": "remove", "path": rng.choice(signed)})
            out.append({"op": "rename", "path": rng.choice(signed), "to": f"renamed-{rng.randint(0, 999)}.bin"})
        out.append({"op": "add", "path": f"{self.name()}/{self.name()}.new",
                    "data": rng.randbytes(rng.randint(1, 50)).hex()})
        others = [f for f in self.files if self.content(f)]
        if signed and others:
            f = rng.choice(signed)
            to = rng.choice([o for o in others if o != f] or others)
            if self.content(to) != self.content(f):
                out.append({"op": "link", "path": f,
                            "target": os.path.relpath(to, os.path.dirname(f) or ".")})
        rng.shuffle(out)
        return out

    def apply(self, t: dict, model: pathlib.Path) -> None:
        p = model / t["path"]
        op = t["op"]
        if op == "flip":
            data = bytearray(p.read_bytes())
            data[t["offset"]] ^= 0x01
            p.write_bytes(bytes(data))
        elif op == "truncate":
            p.write_bytes(p.read_bytes()[:t["len"]])
        elif op == "append":
            p.write_bytes(p.read_bytes() + bytes.fromhex(t["data"]))
        elif op == "add":
            write(p, bytes.fromhex(t["data"]))
        elif op == "remove":
            p.unlink()
        elif op == "rename":
            p.rename(model / t["to"])
        elif op == "link":
            p.unlink()
            os.symlink(t["target"], p)
        else:
            raise ValueError(op)

    def checks(self, t: dict) -> list[str]:
        """The checks of oms-edge that may reject `t` (the first failure it
        meets, in manifest order, decides which)."""
        op = t["op"]
        if op == "flip":
            return ["model.digest_mismatch"]
        if op in ("truncate", "append"):
            return ["model.digest_mismatch", "model.size_mismatch"]
        if op in ("remove", "rename"):
            checks = ["model.missing_file"]
            if t["path"] in self.link_targets or (op == "rename" and t["path"] in self.links):
                # A link of the model now dangles (a moved relative link too).
                checks.append("symlink_loop")
            if op == "remove" and len(self.signed_files()) == 1:
                checks.append("empty_model")  # nothing is left to verify
            return checks
        if op == "add":
            return ["model.unsigned_file"]
        if not self.allow_symlinks:
            return ["symlink_not_allowed"]
        return ["model.digest_mismatch", "model.size_mismatch"]

    def variants(self, tamper_count: int) -> list[dict]:
        chosen = []
        for t in self.candidates():
            if len(chosen) >= tamper_count:
                break
            with tempfile.TemporaryDirectory() as tmp:
                copy = pathlib.Path(tmp) / "m"
                shutil.copytree(self.dir, copy, symlinks=True)
                self.apply(t, copy / "model")
                if self.reference_verifies(copy / "model"):
                    continue  # not a tamper the signature covers: drawn again
            chosen.append({**t, "expect": "not verified", "checks": self.checks(t)})
        for ign in self.ignore:
            # A change inside a signer's ignore path: still verified.
            t = {"op": "add", "path": f"{ign}/later.tmp", "data": "00ff"}
            with tempfile.TemporaryDirectory() as tmp:
                copy = pathlib.Path(tmp) / "m"
                shutil.copytree(self.dir, copy, symlinks=True)
                self.apply(t, copy / "model")
                assert self.reference_verifies(copy / "model"), f"{self.dir}: {t}"
            chosen.append({**t, "expect": "verified", "checks": []})
        return chosen


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--tampers", type=int, default=4, help="tampered variants per model")
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "differential")
    args = ap.parse_args()
    import model_signing
    if model_signing.__version__ != "1.1.1":
        sys.exit(f"need model-signing==1.1.1, found {model_signing.__version__}")
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    totals = {"models": 0, "verified": 0, "tampered": 0}
    by_op: dict[str, int] = {}
    for i in range(args.count):
        rng = random.Random(args.seed * 100000 + i)
        m = Model(rng, args.out / f"m{i:03d}")
        m.sign()
        if not m.reference_verifies(m.model):
            sys.exit(f"{m.dir}: the reference does not verify its own signature")
        tampers = m.variants(args.tampers)
        case = {
            "key": "keys/p256.pub.pem",
            "model": "model",
            "signature": "model.sig",
            "serialization": {"method": m.method, "hash": m.hash, "shard_size": m.shard_size,
                              "allow_symlinks": m.allow_symlinks, "ignore_paths": m.ignore},
            "expect": "verified",
            "tampers": tampers,
        }
        (m.dir / "case.json").write_text(json.dumps(case, indent=1, ensure_ascii=False) + "\n")
        totals["models"] += 1
        for t in tampers:
            key = "tampered" if t["expect"] == "not verified" else "verified"
            totals[key] += 1
            by_op[t["op"]] = by_op.get(t["op"], 0) + 1
    print(f"{totals['models']} models, {totals['tampered']} tampered variants (reference "
          f"rejects each), {totals['verified']} changed-but-ignored variants; by op: "
          + ", ".join(f"{k} {v}" for k, v in sorted(by_op.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
