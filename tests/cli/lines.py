"""Running the CLI and reading what it printed: JSON Lines records, the id of a credential just
imported, a verification's records; and the conformance cases the CLI suites run."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_cli
from wallet.cli import main


def json_lines(out: str) -> list[dict[str, Any]]:
    """Every JSON Lines record of ``out`` (blank lines skipped)."""
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def import_one(capsys: pytest.CaptureFixture[str], source: Path) -> str:
    """``plecak import --json SOURCE`` of one credential; its wallet id."""
    code, out, err = run_cli(capsys, "import", "--json", str(source))
    assert code == 0, err
    return str(json_lines(out)[0]["id"])


def verify_json(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> tuple[int, list[dict[str, Any]]]:
    """``main(args)`` of a ``verify --json`` run: (exit code, its records)."""
    code = main(args)
    return code, json_lines(capsys.readouterr().out)


def load_cases(kind: str) -> list[dict[str, Any]]:
    """The cases.json of one shared corpus (``ob2``, ``ob3``), read when the tests are collected;
    one placeholder case when PLECAK_CONFORMANCE is unset (the conformance fixture then says so)."""
    root = os.environ.get("PLECAK_CONFORMANCE")
    if not root:
        return [{"id": "(PLECAK_CONFORMANCE unset)"}]
    cases: list[dict[str, Any]] = json.loads((Path(root) / kind / "cases.json").read_text())
    return cases
