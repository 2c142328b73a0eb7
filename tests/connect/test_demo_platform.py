"""``plecak demo --no-tui`` also connects to its learning platform, syncs and receives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wallet.demo import run_demo


def test_demo_connects_syncs_and_receives(
    contexts_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")
    monkeypatch.delenv("PLECAK_OFFLINE", raising=False)
    assert run_demo(no_tui=True, lang="en", json_out=True) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_title = {row["title"]: row["status"] for row in rows}
    for title in ("Cloud Workshop 1", "Data Workshop 2", "Design Workshop 3"):
        assert by_title[title] == "valid"  # synced over the OB 3.0 API
    assert by_title["Demo: received over OpenID4VCI"] == "valid"
