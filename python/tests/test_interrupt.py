"""Ctrl-C stops a long verification promptly with KeyboardInterrupt, and
the GIL is released while hashing."""

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time

import oms_edge

from conftest import TESTDATA

# A sparse file this large takes tens of seconds to hash on 2 cores.
HUGE = 64 << 30


def _huge_model(tmp_path):
    """The single-file vector's signature over a huge sparse file of the
    same name: the signature verifies, then hashing runs to the end (and
    would fail there, as a digest mismatch)."""
    case = TESTDATA / "vectors/single-file"
    sig = tmp_path / "model.sig"
    shutil.copy(case / "model.sig", sig)
    model = tmp_path / "model.onnx"
    with open(model, "wb") as f:
        f.truncate(HUGE)
    return model, sig, TESTDATA / "keys/p256.pub.pem"


def test_sigint_raises_keyboard_interrupt_promptly(tmp_path):
    model, sig, key = _huge_model(tmp_path)
    script = textwrap.dedent(
        f"""
        import sys, time, oms_edge
        print("started", flush=True)
        t = time.monotonic()
        try:
            oms_edge.verify_key({str(model)!r}, {str(sig)!r}, {str(key)!r})
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(42)
        except oms_edge.VerificationError as e:
            print("finished", e.check, time.monotonic() - t, flush=True)
            sys.exit(1)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "started"
        time.sleep(1.0)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        rc = child.wait(timeout=30)
        took = time.monotonic() - sent
        out = child.stdout.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert rc == 42, out
    assert "interrupted" in out
    assert took < 3.0, f"KeyboardInterrupt came {took:.1f}s after SIGINT"


def test_gil_is_released_while_hashing(tmp_path):
    """Another Python thread keeps running while a verification hashes."""
    model, sig, key = _huge_model(tmp_path)
    with open(model, "r+b") as f:
        f.truncate(4 << 30)
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    t = threading.Thread(target=ticker)
    t.start()
    start = time.monotonic()
    try:
        oms_edge.verify_key(model, sig, key)
    except oms_edge.VerificationError as e:
        assert e.check == "model.digest_mismatch"
    finally:
        done.set()
        t.join()
    took = time.monotonic() - start
    during = [x for x in ticks if start < x < start + took]
    # A held GIL would let the ticker run not at all while hashing.
    assert took > 0.3
    assert len(during) > took / 0.01 / 4, (len(during), took)
