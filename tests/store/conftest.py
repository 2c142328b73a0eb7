"""Store tests use the cheap KDF profile (PLECAK_KDF_PROFILE=test) except where they say not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wallet.store import PROFILE_ENV, Wallet

PASS = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROFILE_ENV, "test")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "wallet"


@pytest.fixture
def wallet(home: Path) -> Iterator[Wallet]:
    with Wallet.create(home, PASS) as opened:
        yield opened
