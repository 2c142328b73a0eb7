"""Edges of the connection commands: no connections, offline, Polish, stdin, no wallet."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tests.connect.conftest import Browser
from tests.support.cli import run_cli
from wallet.demo.host import EarningHost
from wallet.demo.vci import add_issuer


@pytest.fixture
def wallet_home(home: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run_cli(capsys, "init")[0] == 0
    return home


def test_sync_without_connections_says_how_to_connect_in_polish(
    wallet_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "--lang", "pl", "sync")
    assert code == 2
    assert out == ""
    assert "Nie ma jeszcze żadnych połączeń." in err
    assert "plecak connect URL" in err


def test_offline_sync_is_refused_clearly(
    wallet_home: Path, host: EarningHost, browser: Browser, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "connect", host.base, "--name", "academy")[0] == 0
    code, _out, err = run_cli(capsys, "--offline", "sync", "academy")
    assert code == 2
    assert "not available offline" in err
    assert "Traceback" not in err


def test_an_unknown_connection_and_a_bad_name_are_usage_errors(
    wallet_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(capsys, "sync", "nowhere")
    assert code == 2 and "no connection named nowhere" in err
    code, _out, err = run_cli(capsys, "connect", "https://x.example", "--name", "bad name!")
    assert code == 2 and "cannot name a connection" in err


def test_receive_reads_the_offer_from_stdin(
    wallet_home: Path,
    host: EarningHost,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vci = add_issuer(host, FIXED_NOW)
    monkeypatch.setattr("sys.stdin", io.StringIO(vci.offer(["Piped Badge"]) + "\n"))
    code, out, err = run_cli(capsys, "receive", "-", "--json")
    assert code == 0, err
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["Piped Badge"]


def test_connect_needs_a_wallet(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "connect", "https://badges.example.edu")
    assert code == 2
    assert "There is no wallet" in err
