"""Nasty inputs through ``wallet.cli.main``: a clear message and an exit code, never a traceback.

Each test is named after the defect it pins (each one printed a Python traceback before).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.cli import run_cli


@pytest.fixture
def home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI suites' wallet folder, with English messages (the tests read them)."""
    monkeypatch.setenv("PLECAK_LANG", "en")
    return home


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code, out, err = run_cli(capsys, *args)
    assert "Traceback" not in err + out
    return code, out, err


def test_export_to_missing_folder_oserror_traceback(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], conformance_dir: Path
) -> None:
    assert run(capsys, "init")[0] == 0
    badge = conformance_dir / "ob3/generated/v2-unsigned.json"
    assert run(capsys, "import", str(badge))[0] == 0
    target = tmp_path / "no-such-folder" / "badge.json"
    code, _out, err = run(capsys, "export", "json", "--all", "-o", str(target))
    assert code == 2
    assert "cannot write" in err and "folder exists" in err
    assert not target.parent.exists()
    code, _out, err = run(capsys, "--lang", "pl", "export", "json", "--all", "-o", str(target))
    assert code == 2 and "nie można zapisać" in err


def test_verify_malformed_url_value_error_traceback(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for url in ("http://[::1", "https://example.org:99999/b.json"):
        code, _out, err = run(capsys, "verify", url)
        assert code == 1 and "not a valid web address" in err, err


def test_verify_fifo_hangs(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "badge.json"
    os.mkfifo(pipe)
    code, _out, err = run(capsys, "verify", str(pipe))
    assert code == 1 and "not a regular file" in err
