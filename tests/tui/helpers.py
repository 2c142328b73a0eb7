"""Small helpers for Pilot tests: wait until workers (and the service thread) are done."""

from __future__ import annotations

import html
import re
from typing import Any, TypeVar

from rich.cells import cell_len
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DirectoryTree, Static


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and the screen repaint (no sleeping on a clock)."""
    for _ in range(rounds):
        # DirectoryTree keeps a loader worker alive for the tree's lifetime: never wait on it.
        finite = [w for w in pilot.app.workers if not isinstance(w.node, DirectoryTree)]
        if finite:  # an empty list would mean "all workers" to wait_for_complete
            await pilot.app.workers.wait_for_complete(finite)
        await pilot.pause()


ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def press_to(pilot: Pilot[Any], key: str, kind: type[ScreenT]) -> ScreenT:
    """Press ``key``, let the app settle, and return the screen it opened (which must be a
    ``kind``)."""
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind), f"{key} opened {type(screen).__name__}, not {kind.__name__}"
    return screen


def text_of(widget: Static) -> str:
    """The plain text a Static currently shows (renderables rendered at 200 columns)."""
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


_SVG_TEXT = re.compile(
    r'<text [^>]*?x="(?P<x>[\d.]+)"[^>]*?textLength="(?P<length>[\d.]+)"'
    r'[^>]*?clip-path="url\(#[\w-]*?line-(?P<row>\d+)\)">(?P<text>[^<]*)</text>'
)


def screen_lines(app: App[Any]) -> list[str]:
    """The screen as the terminal shows it, one string a row, read back from Textual's own
    screenshot (text placed by its column, so what one widget draws over another is what shows)."""
    pieces: dict[int, list[tuple[int, str]]] = {}
    cell = 0.0
    for match in _SVG_TEXT.finditer(app.export_screenshot()):
        text = html.unescape(match["text"]).replace("\xa0", " ")
        if not cell and text:
            cell = float(match["length"]) / cell_len(text)
        pieces.setdefault(int(match["row"]), []).append((round(float(match["x"]) / cell), text))
    lines = []
    for row in range(max(pieces, default=-1) + 1):
        line = ""
        for column, text in sorted(pieces.get(row, [])):
            line = line.ljust(column) + text
        lines.append(line)
    return lines
