"""The wallets the CLI suites run against: one environment (tests.support.cli), one folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import cli_env, run_cli


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``PLECAK_HOME`` for the test (no wallet there yet) and the CLI test environment."""
    wallet_home = tmp_path / "wallet"
    monkeypatch.setenv("PLECAK_HOME", str(wallet_home))
    cli_env(monkeypatch)
    return wallet_home


@pytest.fixture
def wallet(home: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A wallet made by ``plecak init`` in :func:`home` (its output already read)."""
    code, _out, err = run_cli(capsys, "init")
    assert code == 0, err
    return home
