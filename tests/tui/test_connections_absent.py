"""A window whose shell gave it no connections (the fake here, the advisor's review window in real
use) opens the Connections screen and says there are none, instead of failing."""

from __future__ import annotations

import pytest
from textual.widgets import Label

from tests.tui.conftest import build_app
from tests.tui.fakes import FakeWalletService
from tests.tui.helpers import press_to, settle
from wallet.tui.screens.connections import ConnectionsScreen
from wallet.tui.screens.portfolio import PortfolioScreen

pytestmark = [pytest.mark.anyio]


async def test_no_connections_in_this_window_is_said() -> None:
    app = build_app(FakeWalletService(unlocked=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        screen = await press_to(pilot, "n", ConnectionsScreen)
        message = str(screen.query_one("#message", Label).content)
        assert message == "Connections are not available in this window."
