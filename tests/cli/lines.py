"""Reading what the CLI printed: JSON Lines records, and the id of a credential just imported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_cli


def json_lines(out: str) -> list[dict[str, Any]]:
    """Every JSON Lines record of ``out`` (blank lines skipped)."""
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def import_one(capsys: pytest.CaptureFixture[str], source: Path) -> str:
    """``plecak import --json SOURCE`` of one credential; its wallet id."""
    code, out, err = run_cli(capsys, "import", "--json", str(source))
    assert code == 0, err
    return str(json_lines(out)[0]["id"])
