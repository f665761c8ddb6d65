#!/usr/bin/env python3
"""Builds a throw-away TUF repository and its negative variants for oms-edge.

    python3 -m venv /tmp/venv-tuf
    /tmp/venv-tuf/bin/pip install -r testdata/requirements-tuf.txt
    /tmp/venv-tuf/bin/python testdata/generate_tuf.py

Our own signer (python `cryptography`), so that every variant can be made,
including the malformed ones python-tuf's API refuses to write. Signatures
are over securesystemslib's canonical JSON of `signed` (the reference
encoder); Ed25519 and ECDSA (RFC 6979) signatures are deterministic, RSA-PSS
uses a salt derived from the message (generate_sigstore.rsa_pss_sign); the
RSA key is kept in tuf/generated/keys/ (TEST ONLY). A rerun writes the same
bytes.

Every case is then checked with python-tuf's own TrustedMetadataSet (the
reference client's verification core, driven the way its Updater drives it)
and the script exits non-zero if python-tuf accepts a negative or refuses a
positive, unless the case is listed in PYTHON_TUF_DIFFERS with the reason.

Layout (below testdata/tuf/generated/):
    repo/            the good repository, published layout with consistent
                     snapshots: 1.root.json 2.root.json 3.root.json root.json
                     timestamp.json N.snapshot.json N.targets.json
                     targets/<sha256>.trusted_root.json (+ <sha512>.)
                     The target is testdata/sigstore/trusted_root.json, the
                     local trusted root of the offline Sigstore vectors.
    old/             metadata of an earlier state (under root v1)
    cases/<name>/    case.json and the files only that case needs

case.json (paths relative to testdata/tuf/generated/):
    held     {"root": path, "timestamp": path|null, "snapshot": path|null}
    roots    [path, ...]  new root versions, in order
    timestamp, snapshot, targets, target: paths ("target" is trusted_root.json)
    now      Unix seconds of the update, or null (no clock)
    allow_expired  bool
    expect   "ok" or "fail"
    why      one line

History of the good repository (keys: R* root, T* timestamp, S* snapshot,
G* targets; ed25519 unless said):
    root v1: root {R1, R2 ecdsa} 2 of 2; timestamp {T1}; snapshot {S1 ecdsa};
             targets {G1 rsa-pss, G2} 2 of 2
    root v2: root keys rotated to {R2, R3 rsa-pss}, 2 of 2, signed by R1 R2 R3
    root v3: timestamp and snapshot keys rotated to {T2}, {S2}
    old/ (under v1): timestamp v1 -> snapshot v1 -> targets v1
    repo/ (under v3): timestamp v2 -> snapshot v2 -> targets v2
"""

from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from securesystemslib.formats import encode_canonical

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate_sigstore import rsa_pss_sign  # noqa: E402

OUT = HERE / "tuf" / "generated"
KEYS = OUT / "keys"
TARGET = HERE / "sigstore" / "trusted_root.json"

UTC = datetime.timezone.utc
NOW = int(datetime.datetime(2030, 1, 1, tzinfo=UTC).timestamp())
FAR = "2099-01-01T00:00:00Z"
PAST = "2029-06-01T00:00:00Z"  # expired at NOW

# Cases python-tuf judges otherwise, and why (reported, not an error).
PYTHON_TUF_DIFFERS = {
    "same-key-two-keyids": "python-tuf counts keyids, not keys: it accepts two "
    "signatures by one key under two keyids as 2 of 2",
    "deeply-nested": "python-tuf bounds no nesting depth (here: 16 levels)",
    "root-over-limit": "python-tuf's root limit is 512 000 bytes (here: 64 KiB)",
    "snapshot-over-limit": "python-tuf's snapshot limit is 2 000 000 bytes (here: 256 KiB)",
    "unsupported-hash": "python-tuf computes md5 (hashlib); this client only "
    "sha256, sha384 and sha512",
}


def sha256(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


class Key:
    def __init__(self, name: str, kind: str):
        self.name, self.kind = name, kind
        seed = sha256(b"oms-edge tuf test key " + name.encode())
        if kind == "ed25519":
            self.priv = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
            raw = self.priv.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            self.public = {"keytype": "ed25519", "scheme": "ed25519",
                           "keyval": {"public": raw.hex()}}
        elif kind == "ecdsa":
            n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
            self.priv = ec.derive_private_key(int.from_bytes(seed, "big") % (n - 1) + 1,
                                              ec.SECP256R1())
            self.public = {"keytype": "ecdsa", "scheme": "ecdsa-sha2-nistp256",
                           "keyval": {"public": pem(self.priv.public_key())}}
        elif kind == "rsa":
            path = KEYS / f"{name}.pem"
            if path.exists():
                self.priv = serialization.load_pem_private_key(path.read_bytes(), None)
            else:
                KEYS.mkdir(parents=True, exist_ok=True)
                self.priv = rsa.generate_private_key(65537, 2048)
                path.write_bytes(self.priv.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption()))
            self.public = {"keytype": "rsa", "scheme": "rsassa-pss-sha256",
                           "keyval": {"public": pem(self.priv.public_key())}}
        # securesystemslib's default keyid: SHA-256 of the canonical key.
        self.keyid = hashlib.sha256(encode_canonical(self.public).encode()).hexdigest()

    def sign(self, msg: bytes) -> str:
        if self.kind == "ed25519":
            return self.priv.sign(msg).hex()
        if self.kind == "ecdsa":
            return self.priv.sign(
                msg, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)).hex()
        return rsa_pss_sign(self.priv, msg, sha256(b"salt" + msg)).hex()


def pem(pub) -> str:
    return pub.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()


K = {name: Key(name, kind) for name, kind in [
    ("R1", "ed25519"), ("R2", "ecdsa"), ("R3", "rsa"), ("T1", "ed25519"),
    ("T2", "ed25519"), ("S1", "ecdsa"), ("S2", "ed25519"), ("G1", "rsa"),
    ("G2", "ed25519"), ("X", "ed25519"),
]}


def canonical(signed: dict) -> bytes:
    return encode_canonical(signed).encode()


def envelope(signed: dict, signers: list[Key], sigs: list[dict] | None = None) -> dict:
    msg = canonical(signed)
    sigs = sigs if sigs is not None else []
    return {"signatures": sigs + [{"keyid": k.keyid, "sig": k.sign(msg)} for k in signers],
            "signed": signed}


def dump(md: dict) -> bytes:
    # python-tuf's JSONSerializer layout.
    return json.dumps(md, indent=1, separators=(",", ": "), sort_keys=True).encode()


def root(version: int, roles: dict[str, tuple[list[Key], int]], expires: str = FAR) -> dict:
    keys = {k.keyid: k.public for ks, _ in roles.values() for k in ks}
    return {"_type": "root", "spec_version": "1.0.31", "version": version,
            "expires": expires, "consistent_snapshot": True, "keys": keys,
            "roles": {r: {"keyids": [k.keyid for k in ks], "threshold": t}
                      for r, (ks, t) in roles.items()}}


def metafile(data: bytes, version: int, full: bool = True) -> dict:
    if not full:
        return {"version": version}
    return {"version": version, "length": len(data),
            "hashes": {"sha256": hashlib.sha256(data).hexdigest(),
                       "sha512": hashlib.sha512(data).hexdigest()}}


def timestamp(version: int, snapshot: bytes, snapshot_version: int, expires: str = FAR,
              full: bool = True) -> dict:
    return {"_type": "timestamp", "spec_version": "1.0.31", "version": version,
            "expires": expires,
            "meta": {"snapshot.json": metafile(snapshot, snapshot_version, full)}}


def snapshot(version: int, targets: bytes, targets_version: int, expires: str = FAR,
             extra: dict | None = None) -> dict:
    meta = {"targets.json": metafile(targets, targets_version)}
    meta.update(extra or {})
    return {"_type": "snapshot", "spec_version": "1.0.31", "version": version,
            "expires": expires, "meta": meta}


def targets(version: int, files: dict[str, bytes], expires: str = FAR) -> dict:
    return {"_type": "targets", "spec_version": "1.0.31", "version": version,
            "expires": expires,
            "targets": {name: {"length": len(b),
                               "hashes": {"sha256": hashlib.sha256(b).hexdigest(),
                                          "sha512": hashlib.sha512(b).hexdigest()},
                               "custom": {"sigstore": {"status": "Active",
                                                       "usage": "Unknown"}}}
                        for name, b in files.items()}}


ROLES_V1 = {"root": ([K["R1"], K["R2"]], 2), "timestamp": ([K["T1"]], 1),
            "snapshot": ([K["S1"]], 1), "targets": ([K["G1"], K["G2"]], 2)}
ROLES_V2 = dict(ROLES_V1, root=([K["R2"], K["R3"]], 2))
ROLES_V3 = dict(ROLES_V2, timestamp=([K["T2"]], 1), snapshot=([K["S2"]], 1))
ROOT_SIGNERS = {1: [K["R1"], K["R2"]], 2: [K["R1"], K["R2"], K["R3"]], 3: [K["R2"], K["R3"]]}

FILES: dict[str, bytes] = {}


def put(rel: str, data: bytes) -> str:
    FILES[rel] = data
    return rel


def chain(ts_signer: Key, snap_signer: Key, versions: tuple[int, int, int],
          target: bytes, *, expires: dict[str, str] | None = None,
          ts_full: bool = True, extra_meta: dict | None = None) -> tuple[bytes, bytes, bytes]:
    """timestamp -> snapshot -> targets, consistently pinned."""
    e = {"timestamp": FAR, "snapshot": FAR, "targets": FAR} | (expires or {})
    tv, sv, gv = versions
    g = dump(envelope(targets(gv, {"trusted_root.json": target}, e["targets"]),
                      [K["G1"], K["G2"]]))
    s = dump(envelope(snapshot(sv, g, gv, e["snapshot"], extra_meta), [snap_signer]))
    t = dump(envelope(timestamp(tv, s, sv, e["timestamp"], ts_full), [ts_signer]))
    return t, s, g


CASES: dict[str, dict] = {}


def case(name: str, why: str, expect: str, *, held: dict, roots: list[str],
         ts: str, snap: str, tgts: str, target: str = "repo/trusted_root.json",
         now: int | None = NOW, allow_expired: bool = False) -> None:
    CASES[name] = {"held": held, "roots": roots, "timestamp": ts, "snapshot": snap,
                   "targets": tgts, "target": target, "now": now,
                   "allow_expired": allow_expired, "expect": expect, "why": why}


def build() -> None:
    target = TARGET.read_bytes()
    root_bytes = {v: dump(envelope(root(v, r), ROOT_SIGNERS[v]))
                  for v, r in [(1, ROLES_V1), (2, ROLES_V2), (3, ROLES_V3)]}
    for v, b in root_bytes.items():
        put(f"repo/{v}.root.json", b)
    put("repo/root.json", root_bytes[3])
    t, s, g = chain(K["T2"], K["S2"], (2, 2, 2), target)
    put("repo/timestamp.json", t)
    put("repo/2.snapshot.json", s)
    put("repo/2.targets.json", g)
    put("repo/trusted_root.json", target)  # plain name, for the cases
    put(f"repo/targets/{hashlib.sha256(target).hexdigest()}.trusted_root.json", target)
    put(f"repo/targets/{hashlib.sha512(target).hexdigest()}.trusted_root.json", target)
    ot, os_, og = chain(K["T1"], K["S1"], (1, 1, 1), target)
    put("old/timestamp.json", ot)
    for name, data in [("snapshot", os_), ("targets", og)]:
        put(f"old/{name}.json", data)
        put(f"repo/1.{name}.json", data)

    new = {"ts": "repo/timestamp.json", "snap": "repo/2.snapshot.json",
           "tgts": "repo/2.targets.json"}
    held_v1 = {"root": "repo/1.root.json", "timestamp": None, "snapshot": None}
    held_v3 = {"root": "repo/3.root.json", "timestamp": None, "snapshot": None}
    roots_23 = ["repo/2.root.json", "repo/3.root.json"]

    # ---- positives
    case("ok-update-from-v1", "root 1 -> 2 (root keys, RSA-PSS) -> 3 (timestamp and "
         "snapshot keys); Ed25519, ECDSA and RSA-PSS signatures", "ok",
         held=held_v1, roots=roots_23, **new)
    case("ok-held-discarded-after-rotation", "held timestamp/snapshot v1 (T1/S1); root v3 "
         "rotates their keys, so they are discarded (5.3.11)", "ok",
         held={"root": "repo/1.root.json", "timestamp": "old/timestamp.json",
               "snapshot": "old/snapshot.json"}, roots=roots_23, **new)
    d = "cases/ok-fast-forward-recovery/"
    ff_t, ff_s, _ = chain(K["T1"], K["S1"], (1000, 1000, 1), target)
    case("ok-fast-forward-recovery", "an attacker with the old timestamp key made clients "
         "hold timestamp v1000; the repository rotated the key (root v3), so v2 is "
         "accepted (5.3.11)", "ok",
         held={"root": "repo/2.root.json", "timestamp": put(d + "timestamp.json", ff_t),
               "snapshot": put(d + "snapshot.json", ff_s)},
         roots=["repo/3.root.json"], **new)
    d = "cases/fast-forward-without-rotation/"
    ff3_t, ff3_s, _ = chain(K["T2"], K["S2"], (1000, 1000, 2), target)
    case("fast-forward-without-rotation", "the same fast-forward held under root v3 "
         "(keys not rotated): timestamp v2 is a rollback", "fail",
         held={"root": "repo/3.root.json", "timestamp": put(d + "timestamp.json", ff3_t),
               "snapshot": put(d + "snapshot.json", ff3_s)}, roots=[], **new)
    case("ok-no-clock-expired", "expired metadata without a clock: accepted, freshness "
         "not checked", "ok", held=held_v3, roots=[], now=None,
         **_expired("ok-no-clock-expired", "timestamp", target))
    case("ok-allow-expired", "expired timestamp with a clock, accepted when asked", "ok",
         held=held_v3, roots=[], allow_expired=True,
         **_expired("ok-allow-expired", "timestamp", target))

    # ---- root chain
    d = "cases/root-version-skipped/"
    case("root-version-skipped", "v1 then a v3 signed by v1's root keys and its own", "fail",
         held=held_v1, roots=[put(d + "3.root.json", dump(envelope(
             root(3, ROLES_V1), [K["R1"], K["R2"]])))], **new)
    d = "cases/root-rotation-not-signed-by-old/"
    case("root-rotation-not-signed-by-old", "v2 rotates the root keys but only R2 of v1's "
         "2-of-2 signs it", "fail", held=held_v1,
         roots=[put(d + "2.root.json", dump(envelope(root(2, ROLES_V2), [K["R2"], K["R3"]])))],
         **new)
    d = "cases/root-not-signed-by-new/"
    case("root-not-signed-by-new", "v2 signed by v1's root keys but by one of its own 2",
         "fail", held=held_v1,
         roots=[put(d + "2.root.json", dump(envelope(root(2, ROLES_V2), [K["R1"], K["R2"]])))],
         **new)
    d = "cases/root-duplicate-signature/"
    v2 = root(2, ROLES_V2)
    sig = {"keyid": K["R2"].keyid, "sig": K["R2"].sign(canonical(v2))}
    case("root-duplicate-signature", "v2 carries R2's signature twice (one keyid twice)",
         "fail", held=held_v1,
         roots=[put(d + "2.root.json", dump(envelope(v2, [K["R1"], K["R3"]], [sig, sig])))],
         **new)

    # ---- thresholds and keys
    d = "cases/threshold-not-met/"
    g1 = dump(envelope(targets(2, {"trusted_root.json": target}), [K["G1"]]))
    case("threshold-not-met", "targets signed by G1 only; the role needs 2 of G1, G2",
         "fail", held=held_v3, roots=[], **_repin(d, g1, target))
    d = "cases/other-role-key/"
    case("other-role-key", "timestamp signed by the snapshot key", "fail", held=held_v3,
         roots=[], ts=put(d + "timestamp.json", dump(envelope(
             timestamp(2, FILES["repo/2.snapshot.json"], 2), [K["S2"]]))),
         snap=new["snap"], tgts=new["tgts"])
    d = "cases/same-key-two-keyids/"
    # Root v4: targets {G1 under two keyids}, 2 of 2; targets signed under both.
    g_alias = dict(K["G1"].public, **{"x-alias": True})
    alias_id = hashlib.sha256(encode_canonical(g_alias).encode()).hexdigest()
    r4 = root(4, ROLES_V3)
    r4["keys"][alias_id] = g_alias
    r4["roles"]["targets"] = {"keyids": [K["G1"].keyid, alias_id], "threshold": 2}
    g = targets(2, {"trusted_root.json": target})
    msg = canonical(g)
    g_bytes = dump({"signatures": [{"keyid": K["G1"].keyid, "sig": K["G1"].sign(msg)},
                                   {"keyid": alias_id, "sig": K["G1"].sign(msg)}],
                    "signed": g})
    case("same-key-two-keyids", "root v4 lists G1 under two keyids for targets (2 of 2); "
         "two signatures by G1 count once", "fail", held=held_v3,
         roots=[put(d + "4.root.json", dump(envelope(r4, [K["R2"], K["R3"]])))],
         **_repin(d, g_bytes, target))
    d = "cases/bad-signature/"
    bad = targets(2, {"trusted_root.json": target})
    wrong = canonical(dict(bad, version=3))
    g_bad = dump({"signatures": [{"keyid": K["G1"].keyid, "sig": K["G1"].sign(wrong)},
                                 {"keyid": K["G2"].keyid, "sig": K["G2"].sign(canonical(bad))}],
                  "signed": bad})
    case("bad-signature", "G1's signature is over other content", "fail", held=held_v3,
         roots=[], **_repin(d, g_bad, target))

    # ---- versions, hashes, lengths (mix-and-match)
    case("snapshot-mix-and-match", "the timestamp pins snapshot v2 by length and hashes; "
         "v1 (validly signed, under the old key) is presented", "fail", held=held_v1,
         roots=roots_23, ts=new["ts"], snap="repo/1.snapshot.json", tgts=new["tgts"])
    d = "cases/snapshot-version-mismatch/"
    s1 = dump(envelope(snapshot(1, FILES["repo/2.targets.json"], 2), [K["S2"]]))
    t2 = dump(envelope(timestamp(2, s1, 2, full=False), [K["T2"]]))
    case("snapshot-version-mismatch", "the timestamp pins snapshot v2 by version "
         "only; a snapshot v1 signed by the right key is presented", "fail", held=held_v3,
         roots=[], ts=put(d + "timestamp.json", t2), snap=put(d + "snapshot.json", s1),
         tgts=new["tgts"])
    d = "cases/snapshot-hash-mismatch/"
    s_other = dump(envelope(snapshot(2, FILES["repo/2.targets.json"], 2,
                                     expires="2098-01-01T00:00:00Z"), [K["S2"]]))
    assert len(s_other) == len(FILES["repo/2.snapshot.json"])
    case("snapshot-hash-mismatch", "a snapshot v2 of the same length but other content "
         "than the timestamp pins", "fail", held=held_v3, roots=[], ts=new["ts"],
         snap=put(d + "snapshot.json", s_other), tgts=new["tgts"])
    d = "cases/snapshot-length-mismatch/"
    s_long = dump(envelope(dict(snapshot(2, FILES["repo/2.targets.json"], 2),
                                **{"x-pad": "x"}), [K["S2"]]))
    case("snapshot-length-mismatch", "a longer snapshot v2 than the timestamp pins", "fail",
         held=held_v3, roots=[], ts=new["ts"], snap=put(d + "snapshot.json", s_long),
         tgts=new["tgts"])
    case("targets-mix-and-match", "the snapshot pins targets v2 by length and hashes; v1 "
         "(validly signed) is presented", "fail", held=held_v3, roots=[], ts=new["ts"],
         snap=new["snap"], tgts="repo/1.targets.json")
    d = "cases/targets-version-mismatch/"
    s_v = snapshot(2, FILES["repo/2.targets.json"], 2)
    s_v["meta"]["targets.json"] = {"version": 2}
    s_v_b = dump(envelope(s_v, [K["S2"]]))
    case("targets-version-mismatch", "the snapshot pins targets v2 by version only; v1 "
         "(validly signed) is presented", "fail", held=held_v3, roots=[],
         ts=put(d + "timestamp.json", dump(envelope(timestamp(2, s_v_b, 2), [K["T2"]]))),
         snap=put(d + "snapshot.json", s_v_b), tgts="repo/1.targets.json")
    d = "cases/targets-hash-mismatch/"
    g_other = dump(envelope(targets(2, {"trusted_root.json": target},
                                    expires="2098-01-01T00:00:00Z"), [K["G1"], K["G2"]]))
    assert len(g_other) == len(FILES["repo/2.targets.json"])
    case("targets-hash-mismatch", "a targets v2 of the same length but other content "
         "than the snapshot pins", "fail", held=held_v3, roots=[], ts=new["ts"],
         snap=new["snap"], tgts=put(d + "targets.json", g_other))
    d = "cases/targets-not-listed/"
    s_nt = {"_type": "snapshot", "spec_version": "1.0.31", "version": 2, "expires": FAR,
            "meta": {"other.json": {"version": 1}}}
    s_nt_b = dump(envelope(s_nt, [K["S2"]]))
    case("targets-not-listed", "the snapshot does not list targets.json", "fail",
         held=held_v3, roots=[],
         ts=put(d + "timestamp.json", dump(envelope(timestamp(2, s_nt_b, 2), [K["T2"]]))),
         snap=put(d + "snapshot.json", s_nt_b), tgts=new["tgts"])
    d = "cases/unsupported-hash/"
    s_md5 = dump(envelope(snapshot(2, FILES["repo/2.targets.json"], 2), [K["S2"]]))
    t_md5 = timestamp(2, s_md5, 2)
    t_md5["meta"]["snapshot.json"]["hashes"] = {"md5": hashlib.md5(s_md5).hexdigest()}
    case("unsupported-hash", "the timestamp pins the snapshot by md5 only", "fail",
         held=held_v3, roots=[], ts=put(d + "timestamp.json",
                                        dump(envelope(t_md5, [K["T2"]]))),
         snap=put(d + "snapshot.json", s_md5), tgts=new["tgts"])

    # ---- rollback
    d = "cases/timestamp-rollback/"
    t5, s5, _ = chain(K["T2"], K["S2"], (5, 2, 2), target)
    case("timestamp-rollback", "held timestamp v5, new v2", "fail",
         held={"root": "repo/3.root.json", "timestamp": put(d + "held-timestamp.json", t5),
               "snapshot": None}, roots=[], **new)
    d = "cases/timestamp-snapshot-rollback/"
    th, _, _ = chain(K["T2"], K["S2"], (1, 3, 2), target)
    case("timestamp-snapshot-rollback", "held timestamp v1 lists snapshot v3; the new "
         "timestamp v2 lists snapshot v2", "fail",
         held={"root": "repo/3.root.json", "timestamp": put(d + "held-timestamp.json", th),
               "snapshot": None}, roots=[], **new)
    d = "cases/snapshot-meta-rollback/"
    _, sh, _ = chain(K["T2"], K["S2"], (1, 1, 3), target)
    case("snapshot-meta-rollback", "held snapshot lists targets v3; the new one v2",
         "fail", held={"root": "repo/3.root.json", "timestamp": None,
                       "snapshot": put(d + "held-snapshot.json", sh)}, roots=[], **new)
    d = "cases/snapshot-meta-removed/"
    _, sh, _ = chain(K["T2"], K["S2"], (1, 1, 2), target,
                     extra_meta={"registry.json": {"version": 1}})
    case("snapshot-meta-removed", "held snapshot lists registry.json; the new one does "
         "not", "fail", held={"root": "repo/3.root.json", "timestamp": None,
                              "snapshot": put(d + "held-snapshot.json", sh)},
         roots=[], **new)

    # ---- target file
    d = "cases/target-length-mismatch/"
    case("target-length-mismatch", "trusted_root.json with one byte more", "fail",
         held=held_v3, roots=[], target=put(d + "trusted_root.json", target + b"\n"), **new)
    d = "cases/target-hash-mismatch/"
    flipped = bytearray(target)
    flipped[100] ^= 0x20
    case("target-hash-mismatch", "trusted_root.json with one letter's case flipped",
         "fail", held=held_v3, roots=[], target=put(d + "trusted_root.json", bytes(flipped)),
         **new)

    # ---- expiry with a clock
    for role in ["timestamp", "snapshot", "targets"]:
        case(f"expired-{role}", f"{role} expired at the update's time", "fail",
             held=held_v3, roots=[], **_expired(f"expired-{role}", role, target))
    d = "cases/expired-root/"
    r4 = dump(envelope(root(4, ROLES_V3, expires=PAST), [K["R2"], K["R3"]]))
    case("expired-root", "the final root (v4) expired at the update's time", "fail",
         held=held_v3, roots=[put(d + "4.root.json", r4)], **new)

    # ---- size limits
    d = "cases/timestamp-over-limit/"
    case("timestamp-over-limit", "a validly signed timestamp of 16385 bytes (limit 16384)",
         "fail", held=held_v3, roots=[], ts=put(d + "timestamp.json", _padded_timestamp(16385)),
         snap=new["snap"], tgts=new["tgts"])
    d = "cases/ok-timestamp-at-limit/"
    case("ok-timestamp-at-limit", "a validly signed timestamp of exactly 16384 bytes", "ok",
         held=held_v3, roots=[], ts=put(d + "timestamp.json", _padded_timestamp(16384)),
         snap=new["snap"], tgts=new["tgts"])
    d = "cases/snapshot-over-limit/"
    s_big = snapshot(2, FILES["repo/2.targets.json"], 2)
    s_big["x-pad"] = "x" * (256 * 1024)
    s_big_b = dump(envelope(s_big, [K["S2"]]))
    case("snapshot-over-limit", "a validly signed snapshot over 256 KiB, pinned by the "
         "timestamp", "fail", held=held_v3, roots=[],
         ts=put(d + "timestamp.json", dump(envelope(timestamp(2, s_big_b, 2), [K["T2"]]))),
         snap=put(d + "snapshot.json", s_big_b), tgts=new["tgts"])
    d = "cases/root-over-limit/"
    big = root(4, ROLES_V3)
    big["x-pad"] = "x" * (64 * 1024)
    case("root-over-limit", "a validly signed root v4 over 64 KiB", "fail", held=held_v3,
         roots=[put(d + "4.root.json", dump(envelope(big, [K["R2"], K["R3"]])))], **new)

    # ---- malformed metadata (each validly signed where it can be)
    def bad_ts(name: str, why: str, data: bytes) -> None:
        case(name, why, "fail", held=held_v3, roots=[],
             ts=put(f"cases/{name}/timestamp.json", data), snap=new["snap"],
             tgts=new["tgts"])
    good_ts = FILES["repo/timestamp.json"]
    bad_ts("truncated-timestamp", "timestamp.json cut in half", good_ts[: len(good_ts) // 2])
    bad_ts("duplicate-member", "`version` twice in signed",
           good_ts.replace(b'"version": 2\n', b'"version": 2,\n  "version": 3\n'))
    t = timestamp(2, FILES["repo/2.snapshot.json"], 2)
    bad_ts("version-as-string", "`version` is a string (signed)",
           dump(envelope(dict(t, version="2"), [K["T2"]])))
    bad_ts("version-float", "`version` is 2.0", good_ts.replace(b'"version": 2\n',
                                                                 b'"version": 2.0\n'))
    deep: Any = "x"
    for _ in range(20):
        deep = {"d": deep}
    bad_ts("deeply-nested", "an x- member nested 20 objects deep (signed)",
           dump(envelope(dict(t, **{"x-deep": deep}), [K["T2"]])))
    bad_ts("wrong-type", "a snapshot presented as the timestamp", FILES["repo/2.snapshot.json"])
    bad_ts("spec-version-2", "spec_version 2.0.0 (signed)",
           dump(envelope(dict(t, spec_version="2.0.0"), [K["T2"]])))
    bad_ts("timestamp-two-meta", "the timestamp's meta lists another file too (signed)",
           dump(envelope(dict(t, meta=dict(t["meta"], **{"targets.json": {"version": 2}})),
                         [K["T2"]])))


def _expired(name: str, role: str, target: bytes) -> dict:
    d = f"cases/{name}/"
    t, s, g = chain(K["T2"], K["S2"], (2, 2, 2), target, expires={role: PAST})
    return {"ts": put(d + "timestamp.json", t), "snap": put(d + "snapshot.json", s),
            "tgts": put(d + "targets.json", g)}


def _repin(d: str, targets_bytes: bytes, target: bytes) -> dict:
    """A new snapshot and timestamp pinning `targets_bytes` (v2)."""
    s = dump(envelope(snapshot(2, targets_bytes, 2), [K["S2"]]))
    t = dump(envelope(timestamp(2, s, 2), [K["T2"]]))
    return {"ts": put(d + "timestamp.json", t), "snap": put(d + "snapshot.json", s),
            "tgts": put(d + "targets.json", targets_bytes)}


def _padded_timestamp(size: int) -> bytes:
    t = timestamp(2, FILES["repo/2.snapshot.json"], 2)
    t["x-pad"] = ""
    n = size - len(dump(envelope(t, [K["T2"]])))
    t["x-pad"] = "x" * n
    out = dump(envelope(t, [K["T2"]]))
    assert len(out) == size, (len(out), size)
    return out


# --------------------------------------------------------------------------
# python-tuf cross-check

def python_tuf(c: dict) -> str:
    from tuf.api import exceptions
    from tuf.api.metadata import TargetFile
    from tuf.ngclient._internal.trusted_metadata_set import TrustedMetadataSet
    from tuf.ngclient.config import EnvelopeType, UpdaterConfig

    cfg = UpdaterConfig()
    limits = {"root": cfg.root_max_length, "timestamp": cfg.timestamp_max_length,
              "snapshot": cfg.snapshot_max_length, "targets": cfg.targets_max_length}
    read = lambda p: FILES[p]  # noqa: E731
    try:
        tms = TrustedMetadataSet(read(c["held"]["root"]), EnvelopeType.METADATA)
        if c["now"] is not None:
            tms.reference_time = datetime.datetime.fromtimestamp(c["now"], UTC)
        else:
            tms.reference_time = datetime.datetime(1970, 1, 1, tzinfo=UTC)
        for r in c["roots"]:
            if len(read(r)) > limits["root"]:
                raise exceptions.DownloadLengthMismatchError("root")
            tms.update_root(read(r))
        if c["held"]["timestamp"]:
            try:  # as Updater._load_timestamp loads the local copy
                tms.update_timestamp(read(c["held"]["timestamp"]))
            except exceptions.RepositoryError:
                pass
        if len(read(c["timestamp"])) > limits["timestamp"]:
            raise exceptions.DownloadLengthMismatchError("timestamp")
        try:
            tms.update_timestamp(read(c["timestamp"]))
        except exceptions.EqualVersionNumberError:
            return "ok"
        if c["held"]["snapshot"]:
            try:
                tms.update_snapshot(read(c["held"]["snapshot"]), trusted=True)
            except exceptions.RepositoryError:
                pass
        tms.update_snapshot(read(c["snapshot"]))
        tms.update_targets(read(c["targets"]))
        tf: TargetFile = tms.targets.targets["trusted_root.json"]
        tf.verify_length_and_hashes(read(c["target"]))
        return "ok"
    except Exception as e:  # noqa: BLE001 - any refusal is a verdict
        return f"fail ({type(e).__name__}: {e})"[:160]


def main() -> int:
    if OUT.exists():
        for p in OUT.iterdir():
            if p.name != "keys":
                shutil.rmtree(p) if p.is_dir() else p.unlink()
    build()
    for rel, data in FILES.items():
        path = OUT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    problems = []
    for name, c in CASES.items():
        path = OUT / "cases" / name / "case.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(c, indent=1, sort_keys=True) + "\n")
        if c["allow_expired"]:
            verdict = "ok (python-tuf has no allow-expired mode: not cross-checked)"
        else:
            verdict = python_tuf(c)
        agrees = verdict.startswith(c["expect"])
        note = "" if agrees else PYTHON_TUF_DIFFERS.get(name, "UNEXPECTED")
        if note == "UNEXPECTED":
            problems.append(name)
        print(f"{name:40} expect {c['expect']:4}  python-tuf: {verdict}"
              + (f"\n{'':40} differs: {note}" if note else ""))
    if problems:
        print(f"python-tuf disagrees unexpectedly on: {', '.join(problems)}")
        return 1
    print(f"{len(CASES)} cases in {OUT.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
