"""A loopback earning host (wallet.demo.host) filled with signed credentials, and a browser that
is an HTTP client: it follows the authorization URL (and the host's 302) to the wallet's loopback
redirect, as the learner's browser would after signing in."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import FIXED_NOW
from tests.connect.vci_more import MoreVci, add_more
from tests.support.cli import cli_env
from wallet.connect.service import ConnectService
from wallet.demo.host import EarningHost, stock
from wallet.demo.vci import add_issuer
from wallet.factory import make_service


class Browser:
    """Stands in for the system browser; remembers every URL it was asked to open."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.final: list[httpx.Response] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        with httpx.Client(follow_redirects=True, timeout=10, trust_env=False) as client:
            self.final.append(client.get(url))
        return True


@pytest.fixture
def host() -> Iterator[EarningHost]:
    with EarningHost(clock=lambda: FIXED_NOW) as running:
        stock(running, FIXED_NOW, ob3=5, badge_connect=3)
        yield running


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Browser:
    fake = Browser()
    monkeypatch.setattr("wallet.connect.oauth.open_system_browser", fake)
    return fake


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contexts_dir: Path) -> Path:
    """A wallet home for the CLI: online (the host is on loopback, which is allowed)."""
    wallet_home = tmp_path / "wallet"
    monkeypatch.setenv("PLECAK_HOME", str(wallet_home))
    cli_env(monkeypatch)
    monkeypatch.delenv("PLECAK_OFFLINE")
    monkeypatch.setenv("PLECAK_ALLOW_LOOPBACK", "1")
    return wallet_home


class Sleeps:
    """The injected sleeper of Retry-After: records, never waits."""

    def __init__(self) -> None:
        self.waited: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waited.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def connect_service(
    tmp_path: Path, contexts_dir: Path, sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ConnectService]:
    """An unlocked wallet (online, loopback allowed, fixed clock) and its ConnectService."""
    monkeypatch.delenv("PLECAK_OFFLINE", raising=False)
    monkeypatch.delenv("PLECAK_MIRROR", raising=False)
    service = make_service(tmp_path / "wallet", allow_loopback=True, clock=lambda: FIXED_NOW)
    service.create("pass")
    yield ConnectService(service, open_browser=Browser(), sleep=sleeps)
    service.close()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture
def more(host: EarningHost) -> MoreVci:
    """The demo OpenID4VCI issuer with its extra modes (authorization code, SD-JWT, deferral)."""
    return add_more(add_issuer(host, FIXED_NOW))
