from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.attacks.support import World
from tests.conftest import FIXED_NOW
from tests.support.cli import cli_env


@pytest.fixture
def world(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    contexts_dir: Path,
) -> Iterator[World]:
    cli_env(monkeypatch)
    monkeypatch.setenv("PLECAK_ALLOW_LOOPBACK", "1")  # the issuers of these tests live on 127.0.0.1
    monkeypatch.setenv("PLECAK_CONTEXTS", str(contexts_dir))  # the employer's own pinning
    monkeypatch.setattr("wallet.factory.system_clock", lambda: FIXED_NOW)
    found = World(tmp_path, capsys, monkeypatch)
    try:
        yield found
    finally:
        found.stop()
