"""``plecak demo``: the built-in issuer on 127.0.0.1 fills a throwaway wallet with real badges."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from wallet.demo import run_demo

# slow: the demo: issuer, host and app started for real
pytestmark = pytest.mark.slow

DEMO_SETS = ("PLECAK_KDF_PROFILE", "PLECAK_CACHE_DIR", "PLECAK_STATE_DIR")  # run_demo's own env


@pytest.fixture
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test's own temporary folder for the demo: other processes' demos (other test runs on
    the machine) come and go in the shared /tmp, so only a folder no one else uses can show that
    this demo left nothing behind.  The demo's own environment changes are undone afterwards."""
    own = tmp_path / "tmp"
    own.mkdir()
    monkeypatch.setenv("TMPDIR", str(own))
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    saved = {name: os.environ.get(name) for name in DEMO_SETS}
    yield own
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def test_demo_lists_valid_revoked_expired_and_suspended_badges(
    contexts_dir: Path,
    own_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")
    monkeypatch.delenv("PLECAK_OFFLINE", raising=False)
    assert run_demo(no_tui=True, lang="en", json_out=True) == 0
    out, err = capsys.readouterr()
    # the demo really worked in this test's folder (so the emptiness below means something)
    assert f"{own_tmp}/plecak-demo-" in err
    rows = [json.loads(line) for line in out.splitlines()]
    by_title = {row["title"]: row["status"] for row in rows}
    assert len(rows) >= 5
    assert by_title["Python Programming Basics"] == "valid"  # OB 2.0 hosted, by URL
    assert by_title["Data Analysis with pandas"] == "valid"  # OB 2.0 hosted, baked PNG
    assert by_title["Team Leadership"] == "revoked"  # OB 2.0 signed, RevocationList
    assert by_title["First Aid Certificate"] == "expired"  # OB 2.0 signed, baked SVG
    assert by_title["Cloud Fundamentals"] == "valid"  # OB 3.0 VC-JWT, did:key
    assert by_title["Community Volunteer"] == "suspended"  # BitstringStatusList, baked PNG
    assert by_title["Summer School: Open Data"] == "valid"  # Data Integrity
    assert all(row["issuer"]["id"] for row in rows)
    # the temporary wallet and files are gone: nothing at all is left in the demo's folder
    assert list(own_tmp.iterdir()) == []


def test_demo_in_polish_prints_polish_statuses(
    contexts_dir: Path,
    own_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")
    assert run_demo(no_tui=True, lang="pl") == 0
    out = capsys.readouterr().out
    assert "unieważniony" in out and "wygasły" in out and "ważny" in out
    assert list(own_tmp.iterdir()) == []


def test_the_demo_leaves_no_rollback_marker_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The throwaway wallet's state (the rollback marker) lives in its temporary folder too."""
    state = tmp_path / "state"
    monkeypatch.setenv("PLECAK_STATE_DIR", str(state))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    tempfile.tempdir = None
    try:
        assert run_demo(no_tui=True, lang="en", json_out=True) == 0
    finally:
        tempfile.tempdir = None
    assert not state.exists() or not any(state.iterdir())
