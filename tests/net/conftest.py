"""Helpers for the Fetcher tests: run a coroutine, build fetchers with the fixed clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from tests.conftest import FIXED_NOW
from wallet.net import HttpFetcher

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def _fixed() -> Any:
    return FIXED_NOW


@pytest.fixture
def make_fetcher() -> Callable[..., HttpFetcher]:
    """``make_fetcher(**options)``: an HttpFetcher on the fixed clock, loopback allowed unless
    said otherwise (the test server lives on 127.0.0.1)."""

    def build(**options: Any) -> HttpFetcher:
        options.setdefault("clock", _fixed)
        options.setdefault("allow_loopback", True)
        options.setdefault("timeout", 5.0)
        return HttpFetcher(**options)

    return build
