"""Shared helpers: where the repository's vectors are."""

import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TESTDATA = ROOT / "testdata"


def vector_cases():
    """Every key/certificate vector: (name, case dir, case.json)."""
    out = []
    for d in sorted((TESTDATA / "vectors").iterdir()):
        case = json.loads((d / "case.json").read_text())
        out.append((d.name, d, case))
    return out


def sigstore_model_cases():
    """Every sigstore vector over a model: (name, case dir, case.json)."""
    out = []
    for d in sorted((TESTDATA / "sigstore" / "cases").iterdir()):
        case = json.loads((d / "case.json").read_text())
        if case.get("kind") == "model":
            out.append((d.name, d, case))
    return out


@pytest.fixture
def sample():
    """The bundled sample model, its signature and key."""
    s = TESTDATA / "sample"
    return s / "model", s / "model.sig", s / "key.pub"
