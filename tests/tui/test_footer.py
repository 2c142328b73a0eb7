"""The footer as drawn: the palette key docked at the right edge covers it to the last column.

Textual's compact footer gives every key a one-cell right margin; on the docked palette key that
margin left the last column uncovered, and whichever key scrolled behind it showed through
("^p Commandst", "Poleceniau").  Read back from the rendered screen, not from the widgets.
"""

from __future__ import annotations

import pytest

from tests.tui.conftest import build_app
from tests.tui.fakes import FakeWalletService
from tests.tui.helpers import screen_lines, settle

pytestmark = pytest.mark.anyio

PALETTE = {"en": "▏^p Commands", "pl": "▏^p Polecenia"}


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_the_footer_ends_with_the_palette_key_and_nothing_after_it(
    width: int, lang: str
) -> None:
    app = build_app(FakeWalletService(unlocked=True), lang=lang)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        for keys in ([], ["enter"]):  # the portfolio's long footer, then the detail's short one
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            footer = screen_lines(app)[-1]
            assert len(footer) == width
            assert footer.endswith(PALETTE[lang]), footer
