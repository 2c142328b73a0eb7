"""connect -> sync -> list -> rename -> disconnect through ``plecak`` against a loopback host."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.connect.conftest import Browser
from tests.support.cli import PASS, run_cli
from wallet.demo.host import EarningHost


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def wallet_home(home: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run_cli(capsys, "init")[0] == 0
    return home


@pytest.mark.parametrize(
    ("path", "protocol", "count"),
    [("/", "ob3", 5), ("/.well-known/badgeconnect.json", "badge-connect", 3)],
)
def test_connect_then_sync_stores_every_credential(
    wallet_home: Path,
    host: EarningHost,
    browser: Browser,
    capsys: pytest.CaptureFixture[str],
    path: str,
    protocol: str,
    count: int,
) -> None:
    code, out, err = run_cli(capsys, "connect", host.base + path, "--name", "academy", "--json")
    assert code == 0, err
    (shown,) = lines(out)
    assert shown["protocol"] == protocol
    assert shown["account"] == "Ala Kowalska"
    assert "token" not in out and "secret" not in out
    assert browser.opened[0] in err  # the learner can open it by hand
    assert browser.final[0].status_code == 200  # the wallet's redirect page answered

    code, out, err = run_cli(capsys, "sync", "academy", "--json")
    items = lines(out)
    assert [i["status"] for i in items] == ["valid"] * count, out
    assert code == 0, err
    assert len(items) == count
    assert {item["state"] for item in items} == {"stored"}
    assert all(item["connection"] == "academy" for item in items)
    assert f"new {count}" in err

    code, out, err = run_cli(capsys, "sync", "--json")  # nothing new since the last sync
    assert lines(out) == []
    since = [r for r in host.log if r.path.endswith(("/credentials", "/assertions"))][-1]
    assert "since" in since.query

    code, out, _err = run_cli(capsys, "list", "--json")
    assert len(lines(out)) == count


def test_list_rename_and_disconnect_revokes_at_the_host(
    wallet_home: Path, host: EarningHost, browser: Browser, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "connect", host.base)[0] == 0
    code, out, _err = run_cli(capsys, "connection", "list", "--json")
    (item,) = lines(out)
    assert item["name"] == "127-0-0-1"
    assert item["last_sync"] is None
    assert run_cli(capsys, "connection", "rename", "127-0-0-1", "school")[0] == 0
    code, out, _err = run_cli(capsys, "connection", "list")
    assert out.startswith("school\tob3\t")
    tokens = set(host.state.access) | set(host.state.refresh)
    code, _out, err = run_cli(capsys, "disconnect", "school", "--yes")
    assert code == 0, err
    assert "revoked" in err
    assert tokens <= set(host.state.revoked)
    assert not host.state.access and not host.state.refresh
    code, out, _err = run_cli(capsys, "connection", "list", "--json")
    assert out == ""


def test_tokens_are_sealed_in_the_wallet_file(
    wallet_home: Path, host: EarningHost, browser: Browser, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "connect", host.base)[0] == 0
    (access,) = host.state.access
    (refresh,) = host.state.refresh
    client = next(iter(host.state.clients.values()))
    for file in wallet_home.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            for secret in (access, refresh, client["client_secret"]):
                assert secret.encode() not in data
    assert PASS  # the wallet was opened with the test passphrase
