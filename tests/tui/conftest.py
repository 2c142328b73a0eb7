"""The terminal wallet under test: the CLI's own app factory over a fake or real service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tui.fake_data import NOW
from tests.tui.fakes import FakeWalletService
from wallet.service import WalletApi
from wallet.tui.app import PlecakApp, make_app

DATA = Path(__file__).resolve().parents[1] / "data" / "tui"


class MutableClock:
    """A clock the test moves by hand (the idle lock is tested without sleeping)."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> Any:
        return self.now


def build_app(service: WalletApi, **options: Any) -> PlecakApp:
    options.setdefault("clock", lambda: NOW)
    options.setdefault("idle_lock", None)
    options.setdefault("blink", False)
    options.setdefault("start_dir", DATA / "picker")
    return make_app(service, **options)


@pytest.fixture
def fake() -> FakeWalletService:
    return FakeWalletService()


@pytest.fixture
def unlocked_fake() -> FakeWalletService:
    return FakeWalletService(unlocked=True)


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests are coroutines; anyio's pytest plugin (installed with httpx) runs them."""
    return "asyncio"
