"""Small helpers for Pilot tests: wait until workers (and the service thread) are done."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DirectoryTree, Static


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and the screen repaint (no sleeping on a clock)."""
    for _ in range(rounds):
        # DirectoryTree keeps a loader worker alive for the tree's lifetime: never wait on it.
        finite = [w for w in pilot.app.workers if not isinstance(w.node, DirectoryTree)]
        if finite:  # an empty list would mean "all workers" to wait_for_complete
            await pilot.app.workers.wait_for_complete(finite)
        await pilot.pause()


def text_of(widget: Static) -> str:
    """The plain text a Static currently shows (renderables rendered at 200 columns)."""
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()
