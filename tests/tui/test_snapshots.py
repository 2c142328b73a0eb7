"""Screenshots of every screen at 80x24 and 120x40, from the CLI's own app factory.

Deterministic by construction: the fake service's fixed data and clock, no cursor blink, a fixed
start folder for the file picker.  Update after an intended change with ``--snapshot-update`` and
review the SVGs under ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import build_app
from tests.tui.fakes import FakeWalletService
from tests.tui.helpers import settle
from wallet.model import Status

# slow: Pilot snapshots of every screen at two sizes (1-15 s each)
pytestmark = pytest.mark.slow

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

Steps = Callable[[Pilot[Any]], Awaitable[None]]


def keys(*pressed: str) -> Steps:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot, rounds=2)
        await settle(pilot)

    return run


def recheck_done() -> Steps:
    """Press R, then wait for the real end: the results shown at their final column widths."""
    press = keys("R")

    async def run(pilot: Pilot[Any]) -> None:
        await press(pilot)
        for _ in range(100):  # rounds of the event loop, not a clock
            if getattr(pilot.app.screen, "laid_out", False):
                await settle(pilot)
                return
            await pilot.pause()
        raise AssertionError("the recheck screen never laid out its results")

    return run


def _fake(**options: Any) -> FakeWalletService:
    options.setdefault("unlocked", True)
    return FakeWalletService(**options)


SCREENS: dict[str, tuple[Callable[[], FakeWalletService], Steps]] = {
    "unlock": (lambda: _fake(unlocked=False), keys()),
    "unlock_wrong": (lambda: _fake(unlocked=False), keys(*"nope", "enter")),
    "create": (lambda: _fake(exists=False, unlocked=False), keys(*"horse staple")),
    "portfolio": (_fake, keys()),
    "portfolio_filtered": (_fake, keys("slash", *"python")),
    "portfolio_marked": (_fake, keys("space", "space", "s")),
    "detail_overview": (_fake, keys("down", "down", "down", "down", "down", "down", "enter")),
    "detail_verification": (_fake, keys("down", "down", "down", "down", "enter", "2")),
    "detail_history": (_fake, keys("down", "down", "down", "down", "enter", "3")),
    "detail_eu": (_fake, keys("enter", "4")),
    "import": (_fake, keys("i")),
    "import_url": (_fake, keys("i", "f3", *"https://badges.example/x")),
    "recheck_all": (_fake, recheck_done()),
    "tags": (_fake, keys("t")),
    "confirm_remove": (_fake, keys("d")),
    "identities": (_fake, keys("m")),
    "export": (_fake, keys("e")),
    "export_unavailable": (lambda: _fake(exporters=()), keys("e")),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_screen(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    make, steps = SCREENS[screen]
    service = make()
    if screen == "recheck_all":
        service.recheck_status["d4e5f6"] = Status.VALID
    assert snap_compare(build_app(service), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_in_polish(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(_fake(), lang="pl"), terminal_size=size, run_before=keys())
