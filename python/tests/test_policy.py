"""verify_policy: the README's policy example (a release workflow signing
keyless and a reviewer's key), met, not met, and a policy that does not
load; and a sigstore signer trusting a TUF state."""

import shutil

import pytest

import oms_edge

from conftest import ROOT, TESTDATA


@pytest.fixture
def layout(tmp_path):
    """The README's example laid out as it says (as
    edge-cli/tests/policy_cli.rs does)."""
    shutil.copy(ROOT / "docs" / "policy-example.toml", tmp_path / "policy.toml")
    shutil.copy(TESTDATA / "sigstore" / "trusted_root.json", tmp_path / "trusted_root.json")
    shutil.copy(TESTDATA / "keys" / "p256.pub.pem", tmp_path / "reviewer.pub")
    model = tmp_path / "tiny-model"
    shutil.copytree(TESTDATA / "sigstore" / "models" / "tiny-model", model)
    shutil.copy(
        TESTDATA / "sigstore" / "cases" / "gha-release-tag-model" / "bundle.sigstore.json",
        model / "model.sig",
    )
    shutil.copy(TESTDATA / "policy" / "sigs" / "key-p256.sig", model / "reviewer.sig")
    return tmp_path


def test_policy_met(layout):
    model = layout / "tiny-model"
    r = oms_edge.verify_policy(
        model,
        layout / "policy.toml",
        signatures=[model / "model.sig", model / "reviewer.sig"],
    )
    assert set(r.counted) == {"release", "reviewer"}
    assert r.threshold == 2
    assert r.bytes_hashed > 0
    assert r.report["verdict"] == "verified"


def test_policy_not_met(layout):
    model = layout / "tiny-model"
    with pytest.raises(oms_edge.VerificationError) as e:
        oms_edge.verify_policy(model, layout / "policy.toml", signatures=[model / "model.sig"])
    assert e.value.check == "requirement.not_met"
    reviewer = [s for s in e.value.report["signers"] if s["name"] == "reviewer"][0]
    assert reviewer["verdict"] == "not satisfied"


def test_bad_policy_names_line_and_column(layout):
    bad = layout / "bad.toml"
    bad.write_text('version = 1\n[signers.a]\nmethod = "key"\npublic_key = "reviewer.pub"\ncolour = 1\n')
    model = layout / "tiny-model"
    with pytest.raises(ValueError) as e:
        oms_edge.verify_policy(model, bad, signatures=[model / "reviewer.sig"])
    assert not isinstance(e.value, oms_edge.VerificationError)
    assert "bad.toml:5:1" in str(e.value)


def test_policy_argument_types(layout):
    with pytest.raises(TypeError):
        oms_edge.verify_policy(layout / "tiny-model", 42)
    with pytest.raises(TypeError):
        oms_edge.verify_policy(layout / "tiny-model", layout / "policy.toml", signatures="one.sig")


def test_sigstore_trust_state(layout, tmp_path_factory):
    """verify_sigstore(trust_state=...) trusts the state's trusted root:
    the generated TUF repository's target is the local test instance's."""
    import os
    import subprocess

    # .ci/run names the binary; elsewhere the workspace's debug build.
    exe = os.environ.get("OMS_EDGE_BIN") or str(ROOT / "target" / "debug" / "oms-edge")
    if "OMS_EDGE_BIN" not in os.environ and not os.path.exists(exe):
        pytest.skip("needs the oms-edge binary (cargo build -p oms-edge) to make a TUF state")
    repo = TESTDATA / "tuf" / "generated" / "repo"
    state = tmp_path_factory.mktemp("state") / "trust"
    for args in (
        ["trust", "init", "--root", str(repo / "1.root.json"), "--state", str(state)],
        ["trust", "update", "--from", str(repo), "--at", "2030-01-01T00:00:00Z", "--state", str(state)],
    ):
        subprocess.run([exe, *args], check=True, capture_output=True)
    model = layout / "tiny-model"
    ident = "https://github.com/acme/tiny-model/.github/workflows/release.yml@refs/tags/v1.0.0"
    r = oms_edge.verify_sigstore(
        model,
        model / "model.sig",
        identity=ident,
        oidc_issuer="https://token.actions.githubusercontent.com",
        trust_state=state,
        ignore_paths=[model / "reviewer.sig"],
    )
    assert r.evidence["trusted_root"]["source"] == "tuf-state"
    with pytest.raises(ValueError):
        oms_edge.verify_sigstore(
            model,
            model / "model.sig",
            identity=ident,
            oidc_issuer="https://token.actions.githubusercontent.com",
            trust_state=state,
            trusted_root=layout / "trusted_root.json",
        )
