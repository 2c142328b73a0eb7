"""Python code run in a fresh interpreter from the project root: for tests about what a process
imports (which is per process, so it cannot be observed inside the test run's own)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_code(code: str, *, stdin: str = "", env: dict[str, str] | None = None) -> str:
    """What ``code`` prints (it must exit 0; its stderr is in the failure if not)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=None if env is None else {**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
