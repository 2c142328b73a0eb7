"""A verification that cannot reach the network speaks in sentences with the fix, everywhere.

Every user-facing string of a failed offline or unreachable verification — the CLI's text and its
JSON lines (messages, and the check details the TUI shows), and the TUI's verification tab — is
grepped for the marks of a leaked exception: ``Errno``, ``gaierror``, ``Error(``.
"""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tests.conftest import FIXED_NOW
from wallet.cli import main
from wallet.model import Credential
from wallet.net import HttpFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.verifier import verify

LEAKS = ("Errno", "gaierror", "Error(")
DID_WEB_CASE = (
    "fixtures/dcc-vc-test-fixtures/v1/bothSignatureTypes/didWeb/legacy-noStatus-noExpiry.json"
)


async def _no_dns(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")


@pytest.fixture(autouse=True)
def _world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("wallet.factory.system_clock", lambda: FIXED_NOW)
    monkeypatch.setattr("wallet.net.transport.system_resolver", _no_dns)
    monkeypatch.setenv("PLECAK_HOME", str(tmp_path / "no-wallet"))
    for var in ("PLECAK_CONTEXTS", "PLECAK_MIRROR", "PLECAK_LANG", "PLECAK_OFFLINE"):
        monkeypatch.delenv(var, raising=False)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _leaks(texts: list[str]) -> list[str]:
    return [text for text in texts if any(mark in text for mark in LEAKS)]


def _cli(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _tui_text(document: Path, offline: bool) -> str:
    from importers.registry import default_registry
    from wallet.tui.detail_parts import verification

    found = [c for c in default_registry().read_path(document).found if isinstance(c, Credential)]

    async def go() -> Any:
        async with HttpFetcher(offline=offline) as fetcher:
            return await verify(found[0], VerifyContext(fetcher=fetcher, clock=lambda: FIXED_NOW))

    report = asyncio.run(go())
    console = Console(record=True, width=200, color_system=None)
    console.print(verification(report))
    return console.export_text()


@pytest.mark.parametrize("offline", [True, False], ids=["offline", "unreachable"])
def test_a_key_that_cannot_be_fetched_reads_as_sentences(
    offline: bool, conformance_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = conformance_dir / "ob3" / DID_WEB_CASE
    flags = ["--offline"] if offline else []
    code, out, err = _cli(capsys, [*flags, "verify", "--json", str(document)])
    record = json.loads(out)
    assert code == 1 and record["status"] == "unverified"
    key = next(c for c in record["checks"] if c["id"] == "issuer-key")
    assert key["status"] == "unknown"
    assert ("offline" if offline else "could not be found") in key["message"]
    assert "mirror" in key["message"]  # the fix is named
    texts = [*_strings(record), err]
    code, out, err = _cli(capsys, [*flags, "verify", str(document)])
    texts += [out, err, _tui_text(document, offline)]
    assert not _leaks(texts), _leaks(texts)


def test_an_unreachable_badge_address_reads_as_a_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Connection refused (a closed loopback port) and no such host, as the import error."""
    monkeypatch.setenv("PLECAK_ALLOW_LOOPBACK", "1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens
    texts: list[str] = []
    for url in (f"http://127.0.0.1:{port}/assertion.json", "https://issuer.example/badge.json"):
        for json_flag in (["--json"], []):
            code, out, err = _cli(capsys, [*json_flag, "verify", url])
            assert code != 0
            texts += [out, err]
            if json_flag:
                message = json.loads(out)["error"]["message"]
                assert message.endswith("."), message
                assert "connection" in message
    assert not _leaks(texts), _leaks(texts)


def test_technical_detail_keeps_the_systems_words_and_drops_the_reprs() -> None:
    from wallet.net.describe import technical

    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except OSError as inner:
            raise RuntimeError("ConnectError('[Errno 111] Connection refused')") from inner
    except RuntimeError as outer:
        assert technical(outer) == "Connection refused"
    assert technical(socket.gaierror(-2, "Name or service not known")) == (
        "Name or service not known"
    )
    assert technical(TimeoutError()) == ""
