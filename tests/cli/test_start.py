"""``plecak --help`` starts fast because it loads only click and the command declarations.

Why a test and not only a benchmark: a single top-level import in a command module (the model, the
service, the verifier, Textual) silently puts tens of milliseconds back on every ``--help``; this
catches it the day it is written.  Timing lives in tests/bench/bench_start.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NOT_FOR_HELP = (
    "textual",
    "rich",
    "httpx",
    "pyld",
    "jsonschema",
    "lxml",
    "joserfc",
    "cryptography",
    "asyncio",
    "importers",
    "exporters",
    "wallet.model",
    "wallet.service",
    "wallet.factory",
    "wallet.verify",
    "wallet.store",
    "wallet.net",
    "wallet.tui",
)
"""What ``--help`` needs none of: heavy libraries, the core and the other shell."""


def _loaded_after(argv: list[str]) -> list[str]:
    code = (
        "import sys, io, contextlib\n"
        "from wallet.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main({argv!r})\n"
        "assert rc == 0, rc\n"
        f"prefixes = {NOT_FOR_HELP!r}\n"
        "print('\\n'.join(sorted(m for m in sys.modules\n"
        "    if any(m == p or m.startswith(p + '.') for p in prefixes))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.split()


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--lang", "pl", "--help"], ["verify", "--help"], ["export", "--help"]],
    ids=["help", "help-pl", "verify-help", "export-help"],
)
def test_help_loads_no_core_and_no_heavy_library(argv: list[str]) -> None:
    assert _loaded_after(argv) == []
