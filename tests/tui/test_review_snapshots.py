"""Screenshots of the advisor's review at 80x24 and 120x40 (kept apart from the wallet's own
snapshot file).

Deterministic: the bundles are built by the real exporter with a fixed key and creation time, the
review runs at the fake's fixed clock, paths are shown by file name only, cursors do not blink.
Update after an intended change with ``--snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tui.conftest import build_app
from tests.tui.fake_data import NOW
from tests.tui.fakes import FakeWalletService
from tests.tui.review_support import make_bundles, write_pathway
from tests.tui.test_snapshots import SIZES, keys
from wallet.tui.review_app import ReviewApp

# slow: Pilot snapshots of every review tab (2-8 s each)
pytestmark = pytest.mark.slow

TABS = {"overview": (), "timeline": ("2",), "credits": ("3",), "skills": ("4",),
        "stacks": ("5",), "pathway": ("6",), "eu": ("7",)}  # fmt: skip


def _review_app(folder: Path, **options: Any) -> ReviewApp:
    bundles = make_bundles(folder)
    return ReviewApp(
        FakeWalletService(),
        bundles,
        write_pathway(folder),
        clock=lambda: NOW,
        blink=False,
        **options,
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", sorted(TABS))
def test_review_tab(snap_compare: Any, tmp_path: Path, tab: str, size: tuple[int, int]) -> None:
    app = _review_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=keys(*TABS[tab]))


@pytest.mark.parametrize("size", SIZES)
def test_review_in_polish(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    from wallet.i18n import set_language

    set_language("pl")
    try:
        app = _review_app(tmp_path)
        assert snap_compare(app, terminal_size=size, run_before=keys())
    finally:
        set_language("en")


@pytest.mark.parametrize("size", SIZES)
def test_review_picker(snap_compare: Any, size: tuple[int, int]) -> None:
    app = build_app(FakeWalletService(unlocked=True))
    assert snap_compare(app, terminal_size=size, run_before=keys("v", "ctrl+s"))
