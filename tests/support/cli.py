"""Running ``wallet.cli.main`` in tests: one test-wallet environment and one way to call it.

Why shared: the CLI suites (tests/cli, the exporters' round trip) all need the same environment
(a fixed passphrase, the fast test KDF, offline, no mirror, a known interface language) and the same
``main(argv)`` call with captured output; kept once so a new setting reaches all of them.
"""

from __future__ import annotations

import pytest

from wallet.cli import main

PASS = "correct horse battery staple"


def cli_env(monkeypatch: pytest.MonkeyPatch, *, lang: str | None = None) -> None:
    """Passphrase ``PASS``, test KDF, offline, no mirror; ``PLECAK_LANG`` = ``lang`` (unset: None)."""
    monkeypatch.setenv("PLECAK_PASSPHRASE", PASS)
    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")
    monkeypatch.setenv("PLECAK_OFFLINE", "1")
    if lang is None:
        monkeypatch.delenv("PLECAK_LANG", raising=False)
    else:
        monkeypatch.setenv("PLECAK_LANG", lang)
    monkeypatch.delenv("PLECAK_MIRROR", raising=False)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``main(args)``: (exit code, stdout, stderr)."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
