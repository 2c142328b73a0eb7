"""The Connections screen (Pilot) over the real service: connect through the (test) browser,
sync, rename, receive an OpenID4VCI offer, disconnect."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label

from tests.conftest import FIXED_NOW
from tests.connect.conftest import Browser
from tests.connect.vci_more import MoreVci
from tests.tui.conftest import build_app
from tests.tui.helpers import press_to, settle
from wallet.connect.service import connections_for
from wallet.demo.host import EarningHost
from wallet.demo.vci import add_issuer
from wallet.factory import make_service
from wallet.tui.app import PlecakApp
from wallet.tui.runner import ServiceRunner
from wallet.tui.screens.connections import ConnectionsScreen
from wallet.tui.screens.portfolio import PortfolioScreen
from wallet.tui.widgets.badge_table import BadgeTable

# slow: the connections screen driven through Pilot
pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def label(screen: object) -> str:
    return str(screen.query_one("#message", Label).content)  # type: ignore[attr-defined]


def rows(screen: object) -> list[list[str]]:
    table = screen.query_one("#connections", DataTable)  # type: ignore[attr-defined]
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@asynccontextmanager
async def connections_screen(
    folder: Path,
) -> AsyncIterator[tuple[PlecakApp, Pilot[Any], ConnectionsScreen]]:
    """A new wallet in ``folder`` (the real service, the loopback hosts allowed), its window open
    on the Connections screen (``n`` from the portfolio)."""
    service = make_service(folder / "wallet", allow_loopback=True, clock=lambda: FIXED_NOW)
    runner = ServiceRunner()
    runner.call_blocking(service.create, "pass")
    app = build_app(service, runner=runner, connections=connections_for(service))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        screen = await press_to(pilot, "n", ConnectionsScreen)
        yield app, pilot, screen
    runner.call_blocking(service.close)
    runner.close()


async def test_connect_sync_rename_receive_and_disconnect(
    tmp_path: Path,
    host: EarningHost,
    browser: Browser,
    contexts_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PLECAK_OFFLINE", raising=False)
    vci = add_issuer(host, FIXED_NOW)
    async with connections_screen(tmp_path) as (app, pilot, screen):
        assert "No connections yet" in label(screen)

        await pilot.press("a")
        screen.query_one("#url", Input).value = host.base
        await pilot.press("enter")
        await settle(pilot, rounds=6)
        assert "Connected 127-0-0-1" in label(screen)
        assert browser.opened and browser.opened[0].startswith(host.base + "/oauth/authorize?")
        assert rows(screen)[0][:4] == ["127-0-0-1", "ob3", host.base, "Ala Kowalska"]

        screen.query_one("#connections", DataTable).focus()
        await pilot.press("s")
        await settle(pilot, rounds=6)
        assert "New 5, already present 0, failed 0." in label(screen)
        assert rows(screen)[0][5] == "5"

        await pilot.press("n")
        screen.query_one("#name", Input).value = "academy"
        await pilot.press("enter")
        await settle(pilot, rounds=4)
        assert rows(screen)[0][0] == "academy"

        screen.query_one("#offer", Input).value = vci.offer(["TUI Badge"], tx_code="2468")
        screen.query_one("#offer", Input).focus()
        await pilot.press("enter")
        await settle(pilot, rounds=6)
        assert "needs a transaction code" in label(screen)
        screen.query_one("#tx-code", Input).value = "2468"
        screen.query_one("#tx-code", Input).focus()
        await pilot.press("enter")
        await settle(pilot, rounds=6)
        # The code was asked for before any token request: the single-use offer is still unspent.
        assert "New 1, already present 0, failed 0." in label(screen), label(screen)

        screen.query_one("#connections", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, rounds=6)
        assert "the host revoked the access" in label(screen)
        assert rows(screen) == []
        assert not host.state.access

        await pilot.press("escape")
        await settle(pilot, rounds=4)
        assert isinstance(app.screen, PortfolioScreen)
        assert len(app.screen.query_one(BadgeTable).rows) == 6


async def test_a_deferred_credential_is_shown_waiting_and_asked_for_with_w(
    tmp_path: Path, more: MoreVci, contexts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLECAK_OFFLINE", raising=False)
    more.defer, more.interval = True, 0
    async with connections_screen(tmp_path) as (_app, pilot, screen):
        screen.query_one("#offer", Input).value = more.vci.offer(["Later Badge"])
        screen.query_one("#offer", Input).focus()
        await pilot.press("enter")
        await settle(pilot, rounds=6)
        assert "The issuer will deliver the rest later" in label(screen), label(screen)
        waiting = str(screen.query_one("#pending", Label).content)
        assert waiting.startswith("1 credential is waiting to be delivered")
        assert "token" not in waiting.lower()

        screen.query_one("#connections", DataTable).focus()
        await pilot.press("w")  # not ready yet: still waiting
        await settle(pilot, rounds=6)
        assert "New 0, already present 0, failed 0." in label(screen)
        assert str(screen.query_one("#pending", Label).content).startswith("1 credential")

        more.ready = True
        await pilot.press("w")
        await settle(pilot, rounds=6)
        assert "New 1, already present 0, failed 0." in label(screen), label(screen)
        assert str(screen.query_one("#pending", Label).content) == ""
