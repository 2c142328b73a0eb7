"""One synthetic trust world per test module (making its keys and lists takes a moment)."""

from __future__ import annotations

import pytest

from tests.verify_edc import world as w
from wallet.verify.edc import trust


@pytest.fixture(scope="module")
def world() -> w.World:
    return w.make_world()


@pytest.fixture(scope="module")
def snapshot(world: w.World) -> trust.TrustSnapshot:
    """What plecak would ship for the world: its LOTL and PL list, verified and reduced."""
    return world.snapshot()
