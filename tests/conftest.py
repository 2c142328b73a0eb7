"""Shared fixtures: the public conformance corpora, contexts, a fixed clock, a loopback server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.server import LoopbackServer
from wallet import i18n

FIXED_NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)


def _shared_dir(var: str) -> Path:
    value = os.environ.get(var)
    if not value:
        pytest.fail(f"{var} is not set: point it at ../shared (see README's test command)")
    path = Path(value).resolve()
    if not path.is_dir():
        pytest.fail(f"{var}={value} is not a folder")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        help="also run the tests marked slow (CI and README's test command do; a bare run skips them)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A bare ``pytest`` deselects the slow tests so it stays quick; ``--run-slow`` runs all."""
    if config.getoption("--run-slow"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    return _shared_dir("PLECAK_CONFORMANCE")


@pytest.fixture(scope="session")
def contexts_dir() -> Path:
    return _shared_dir("PLECAK_CONTEXTS")


@pytest.fixture
def fixed_clock() -> object:
    return lambda: FIXED_NOW


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wallets made by tests use the cheap KDF profile (the real one is tested in tests/store)."""
    monkeypatch.setenv("PLECAK_KDF_PROFILE", "test")


@pytest.fixture(autouse=True)
def _private_context_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never write the user's real cache folder."""
    monkeypatch.setenv("PLECAK_CACHE_DIR", str(tmp_path / "plecak-cache"))
    # ... nor the user's real state folder (the rollback markers of wallet.store.seen)
    monkeypatch.setenv("PLECAK_STATE_DIR", str(tmp_path / "plecak-state"))


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")
