"""Small pieces the review's tabs are drawn from: headings, bars, tables, names of credentials."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from wallet.model import Status
from wallet.tui.view import STYLES, status_text

if TYPE_CHECKING:
    from wallet.review import Review

BAR = 20
"""Width of a progress bar in cells (fits 80 columns next to its label)."""


def status_cell(value: Any) -> Text:
    try:
        status = Status(str(value))
    except ValueError:
        return Text(f"? {value}", style="bold cyan")
    return Text(status_text(status), style=STYLES[status])


def num(value: Any) -> str:
    return f"{float(value):g}" if isinstance(value, int | float) else str(value)


def heading(text: str) -> Text:
    return Text(text, style="bold underline")


def meter(fraction: float, width: int = BAR) -> Text:
    filled = max(0, min(width, round(fraction * width)))
    bar = Text("█" * filled, style="green")
    bar.append("░" * (width - filled), style="dim")
    return bar


def grid(*columns: str) -> Table:
    table = Table(expand=True, box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


class Names:
    """``bundle!path`` -> "Title (bundle)", from the timeline (which lists every credential)."""

    def __init__(self, review: Review) -> None:
        self.titles: dict[str, str] = {}
        for row in review.timeline:
            where = row.get("credential")
            if isinstance(where, str):
                self.titles[where] = str(row.get("title") or where.partition("!")[2])

    def __call__(self, where: Any) -> Text:
        key = str(where)
        bundle = key.partition("!")[0]
        text = Text(self.titles.get(key, key.partition("!")[2] or key))
        text.append(f" ({bundle})", style="dim")
        return text
